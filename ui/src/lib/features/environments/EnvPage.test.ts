import { render, screen, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { EnvDetail } from "../../bindings/EnvDetail";
import type { EnvStatus } from "../../bindings/EnvStatus";
import type { EnvSummary } from "../../bindings/EnvSummary";
import type { IntegrationRow } from "../../bindings/IntegrationRow";
import { failed, loaded, loading } from "../../loadable";
import EnvPage from "./EnvPage.svelte";

const prod: EnvSummary = {
  name: "prod",
  kind: "production",
  protected: true,
  app_url: "https://acme.app",
  database: { type: "secret", name: "DATABASE_URL" },
  env_file: null,
};

// Test data; the engine computes `health` (snapshot/rows.rs) and the page shows it as is.
const row = (provider: string, healthy: boolean, expires: number | null, status = "connected"): IntegrationRow => ({
  provider,
  account: null,
  status,
  healthy,
  health:
    (expires !== null && expires < 0) || status === "expired"
      ? "expired"
      : !healthy
        ? "broken"
        : expires !== null && expires < 7 * 86400
          ? "expiring"
          : "healthy",
  expires_at: null,
  expires_in_seconds: expires,
  updated_at: null,
});

const DAY = 86400;

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
        integrations: null, workflows: null, migrations: null, error: "Could not reach db:5432. Check the VPN, then retry.", error_code: "db_unreachable",
      }),
      detail: loading<EnvDetail>(),
      ...handlers,
    });
    const card = screen.getByTestId("error-card");
    expect(card).toHaveAttribute("data-code", "db_unreachable");
    expect(card).toHaveTextContent("Check the VPN, then retry.");
    expect(screen.getByTestId("env-status")).toHaveAttribute("data-reachable", "false");
  });

  it("says a failed environment failed, not that it is still waiting", () => {
    render(EnvPage, {
      env: prod,
      status: loaded<EnvStatus>({
        name: "prod", kind: "production", protected: true, reachable: false, latency_ms: null, server_version: null,
        integrations: null, workflows: null, migrations: null, error: "Could not reach db:5432.", error_code: "db_unreachable",
      }),
      detail: failed<EnvDetail>({ code: "db_unreachable", message: "Could not reach db:5432.", retryable: true }),
      ...handlers,
    });
    expect(screen.getByTestId("detail-not-read")).toHaveTextContent("Not read: the prod database could not be reached");
    expect(document.body.textContent).not.toMatch(/waiting/i);
    // Said once: one error card, not a second one for the detail.
    expect(screen.getAllByTestId("error-card")).toHaveLength(1);
  });

  it("groups integrations into broken, expired, expiring and healthy, in that order", () => {
    render(EnvPage, {
      env: prod,
      status: loading<EnvStatus>(),
      detail: loaded<EnvDetail>({
        name: "prod",
        integrations: [
          row("github", true, null),
          row("slack", false, -6 * DAY, "expired"),
          row("linkedin", true, 3 * DAY),
          row("instagram", false, 30 * DAY, "needs_reauthorization"),
          row("google", true, 30 * DAY),
        ],
        workflows: [],
        integrations_error: null,
        workflows_error: { code: "table_missing", message: "Table `workflows` does not exist. Map it in envdeck.toml.", retryable: false },
      }),
      ...handlers,
    });
    const rows = screen.getAllByTestId("integration-row");
    expect(rows.map((r) => [r.dataset.provider, r.dataset.group])).toEqual([
      ["instagram", "broken"],
      ["slack", "expired"],
      ["linkedin", "expiring"],
      ["github", "healthy"],
      ["google", "healthy"],
    ]);
    const heads = screen.getAllByTestId("integration-group");
    expect(heads.map((h) => h.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Broken 1",
      "Expired 1",
      "Expiring within 7 days 1",
      "Healthy 2",
    ]);
    expect(within(rows[1]).getByText("expired 6 days ago")).toBeInTheDocument();
    expect(within(rows[2]).getByText("expires in 3 days")).toBeInTheDocument();
    // The workflows section fails on its own; integrations stay visible.
    expect(screen.getByTestId("error-card")).toHaveAttribute("data-code", "table_missing");
  });

  it("hides empty groups", () => {
    render(EnvPage, {
      env: prod,
      status: loading<EnvStatus>(),
      detail: loaded<EnvDetail>({
        name: "prod",
        integrations: [row("github", true, null), row("stripe", true, 300 * DAY)],
        workflows: [],
        integrations_error: null,
        workflows_error: null,
      }),
      ...handlers,
    });
    expect(screen.getAllByTestId("integration-group").map((h) => h.dataset.group)).toEqual(["healthy"]);
  });

  it("shows how many migrations are applied, or that there is no migration table", () => {
    const status = (migrations: EnvStatus["migrations"]) =>
      loaded<EnvStatus>({
        name: "prod", kind: "production", protected: true, reachable: true, latency_ms: 4, server_version: "PostgreSQL 16.3",
        integrations: 11, workflows: 29, migrations, error: null, error_code: null,
      });
    const { unmount } = render(EnvPage, {
      env: prod,
      status: status({ table: "_prisma_migrations", applied: 8 }),
      detail: loading<EnvDetail>(),
      ...handlers,
    });
    expect(screen.getByTestId("env-migrations")).toHaveTextContent("8 applied");
    expect(screen.getByTestId("env-migrations")).toHaveTextContent("_prisma_migrations");
    unmount();
    render(EnvPage, { env: prod, status: status(null), detail: loading<EnvDetail>(), ...handlers });
    expect(screen.getByTestId("env-migrations")).toHaveTextContent("no migration table found");
  });
});
