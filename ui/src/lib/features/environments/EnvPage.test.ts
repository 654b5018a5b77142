import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { EnvDetail } from "../../bindings/EnvDetail";
import type { EnvStatus } from "../../bindings/EnvStatus";
import type { EnvSummary } from "../../bindings/EnvSummary";
import type { IntegrationRow } from "../../bindings/IntegrationRow";
import { loaded, loading } from "../../loadable";
import EnvPage from "./EnvPage.svelte";

const prod: EnvSummary = {
  name: "prod",
  kind: "production",
  protected: true,
  app_url: "https://acme.app",
  database: { type: "secret", name: "DATABASE_URL" },
  env_file: null,
};

const row = (provider: string, healthy: boolean, expires: number | null, status = "connected"): IntegrationRow => ({
  provider,
  account: null,
  status,
  healthy,
  expires_at: null,
  expires_in_seconds: expires,
  updated_at: null,
});

const handlers = { onretrystatus: vi.fn(), onretrydetail: vi.fn() };

describe("EnvPage", () => {
  it("marks a protected environment read-only", () => {
    render(EnvPage, { env: prod, status: loading<EnvStatus>(), detail: loading<EnvDetail>(), ...handlers });
    expect(screen.getByTestId("env-page")).toHaveAttribute("data-env", "prod");
    expect(screen.getByTestId("read-only")).toHaveTextContent("read-only");
    expect(screen.getByTestId("env-status")).toHaveAttribute("data-reachable", "pending");
  });

  it("shows an unreachable database prominently, with the backend's advice", () => {
    render(EnvPage, {
      env: prod,
      status: loaded<EnvStatus>({
        name: "prod", kind: "production", protected: true, reachable: false, latency_ms: null, server_version: null,
        integrations: null, workflows: null, error: "Could not reach db:5432. Check the VPN, then retry.", error_code: "db_unreachable",
      }),
      detail: loading<EnvDetail>(),
      ...handlers,
    });
    const card = screen.getByTestId("error-card");
    expect(card).toHaveAttribute("data-code", "db_unreachable");
    expect(card).toHaveTextContent("Check the VPN, then retry.");
    expect(screen.getByTestId("env-status")).toHaveAttribute("data-reachable", "false");
  });

  it("puts broken and expired integrations first and says when they expired", () => {
    render(EnvPage, {
      env: prod,
      status: loading<EnvStatus>(),
      detail: loaded<EnvDetail>({
        name: "prod",
        integrations: [row("github", true, null), row("slack", false, -2 * 86400, "expired"), row("google", true, 3 * 86400)],
        workflows: [],
        integrations_error: null,
        workflows_error: { code: "table_missing", message: "Table `workflows` does not exist. Map it in envdeck.toml.", retryable: false },
      }),
      ...handlers,
    });
    const rows = screen.getAllByTestId("integration-row");
    expect(rows.map((r) => r.dataset.provider)).toEqual(["slack", "github", "google"]);
    expect(within(rows[0]).getByText("expired 2 days ago")).toBeInTheDocument();
    expect(within(rows[2]).getByText("expires in 3 days")).toBeInTheDocument();
    // The workflows section fails on its own; integrations stay visible.
    expect(screen.getByTestId("error-card")).toHaveAttribute("data-code", "table_missing");
  });
});
