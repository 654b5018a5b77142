import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { EnvStatus } from "../../bindings/EnvStatus";
import ErrorCard from "../../components/ErrorCard.svelte";
import { reachability, statusError } from "./reachability";

const SENTENCE =
  "The OS keychain is unavailable, so envdeck cannot read or store credentials. Unlock it (on Linux, start GNOME Keyring or KWallet with a default login keyring), then try again.";
const DBUS = "org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable";

const locked: EnvStatus = {
  name: "prod",
  kind: "production",
  protected: true,
  reachable: false,
  latency_ms: null,
  server_version: null,
  integrations: null,
  workflows: null,
  migrations: null,
  error: SENTENCE,
  error_code: "keychain_unavailable",
  error_detail: DBUS,
};

describe("an environment's status error", () => {
  it("keeps a keychain failure's technical text apart from its sentence", () => {
    expect(reachability({ status: "ok", value: locked })).toBe("false");
    expect(statusError({ status: "ok", value: locked })).toEqual({
      code: "keychain_unavailable",
      message: SENTENCE,
      retryable: true,
      detail: DBUS,
    });
    const { error_detail: _, ...plain } = locked;
    expect(statusError({ status: "ok", value: { ...plain, error: "no such table", error_code: "table_missing" } })).not.toHaveProperty(
      "detail",
    );
  });

  it("shows the sentence and folds the D-Bus text under Technical detail on its card", () => {
    const error = statusError({ status: "ok", value: locked });
    render(ErrorCard, { error: error!, title: "Can't reach the prod database" });
    const card = screen.getByTestId("error-card");
    const folded = within(card).getByTestId("error-detail");
    expect(folded.tagName).toBe("DETAILS");
    expect(folded).not.toHaveAttribute("open");
    expect(folded).toHaveTextContent(DBUS);
    // Outside the fold, only the sentence.
    const outside = card.cloneNode(true) as HTMLElement;
    outside.querySelector("[data-testid=error-detail]")?.remove();
    expect(outside).toHaveTextContent("The OS keychain is unavailable");
    expect(outside).not.toHaveTextContent("DBus");
  });
});
