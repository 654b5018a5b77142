import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { EnvSummary } from "../../bindings/EnvSummary";
import SecretsSection from "./SecretsSection.svelte";

vi.mock("../../backend", () => ({ secretsList: vi.fn(), secretSet: vi.fn(), secretDelete: vi.fn() }));

const env = (name: string, kind: EnvSummary["kind"]): EnvSummary => ({
  name,
  kind,
  protected: kind === "production",
  app_url: null,
  database: { type: "secret", name: "DATABASE_URL" },
  env_file: null,
});

describe("SecretsSection", () => {
  afterEach(() => document.body.replaceChildren());

  it("tells the app which environment's secret was set, so its status is read again", async () => {
    vi.mocked(backend.secretsList).mockResolvedValue([
      { env: "prod", name: "DATABASE_URL", is_set: false, used_by: "database" },
      { env: "dev", name: "DATABASE_URL", is_set: true, used_by: "database" },
    ]);
    vi.mocked(backend.secretSet).mockResolvedValue(null);
    const onsecretchanged = vi.fn();
    render(SecretsSection, {
      props: { workspace: "/w/envdeck.toml", environments: [env("dev", "development"), env("prod", "production")], onsecretchanged },
    });
    const prod = await waitFor(() => {
      const g = document.querySelector<HTMLElement>("[data-testid='secret-group'][data-env='prod']");
      if (!g) throw new Error("no prod group yet");
      return g;
    });
    await fireEvent.input(within(prod).getByLabelText(/new value for DATABASE_URL/i), { target: { value: "postgres://x" } });
    await fireEvent.click(within(prod).getByRole("button", { name: "Set" }));
    await waitFor(() => expect(onsecretchanged).toHaveBeenCalledWith("prod"));
    expect(onsecretchanged).toHaveBeenCalledTimes(1);
    // The list itself is read again too.
    expect(backend.secretsList).toHaveBeenCalledTimes(2);
    screen.getByText("Secrets");
  });
});
