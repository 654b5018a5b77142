import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { Area } from "../../bindings/Area";
import type { Finding } from "../../bindings/Finding";
import type { FindingKind } from "../../bindings/FindingKind";
import type { Sides } from "../../bindings/Sides";
import { reconnect } from "../reconnect/open.svelte";
import FindingsTable from "./FindingsTable.svelte";
import { NO_FILTER } from "./findings";

vi.mock("../../backend", () => ({ findingSides: vi.fn(), findingValues: vi.fn() }));
vi.mock("./merge-view", () => ({ mountMergeView: vi.fn(() => ({ destroy: vi.fn() })) }));

const f = (area: Area, kind: FindingKind, key: string, detail: string, extra: Partial<Finding> = {}): Finding => ({
  area,
  kind,
  key,
  key_parts: { subject: null, parts: [{ type: "text", value: key }] },
  severity: "warning",
  detail,
  ...extra,
});

const COLUMN = f("schema", "missing_column", "users.nickname", "column text exists in dev but not in prod", {
  key_parts: { subject: "users", parts: [{ type: "text", value: "nickname" }] },
  sql: "ALTER TABLE users ADD COLUMN nickname text;",
});
const PENDING = f("migrations", "pending", "002_nickname", "applied in dev (schema_migrations) but not in prod");
const KEY = f("config", "missing_key", "STRIPE_WEBHOOK_SECRET", "set in dev (.env.dev) but not in prod (.env.prod)");
const ROLE = f("reference_data", "missing", "roles/manager", "missing in prod", {
  key_parts: { subject: "roles", parts: [{ type: "text", value: "manager" }] },
});
const SLACK = f("integrations", "expired", "slack/ana@acme.test", "slack's token in prod expired: reconnect it in prod", {
  key_parts: { subject: null, parts: [{ type: "text", value: "slack" }, { type: "text", value: "ana@acme.test" }] },
});
const SHARED = f("isolation", "shared_database", "database", "dev and prod share a database: set the URL in Settings", {
  severity: "critical",
});

const COLUMNS: Sides = {
  view: "columns",
  table: "users",
  in_from: true,
  in_to: true,
  migrate_command: "npx prisma migrate deploy",
  columns: [
    { name: "email", from: { data_type: "text", nullable: false, default: null }, to: { data_type: "text", nullable: false, default: null }, state: "equal" },
    { name: "nickname", from: { data_type: "text", nullable: true, default: null }, to: null, state: "missing" },
    { name: "score", from: { data_type: "integer", nullable: true, default: null }, to: { data_type: "bigint", nullable: true, default: null }, state: "different" },
  ],
};

function table(findings: Finding[], extra: Record<string, unknown> = {}) {
  return render(FindingsTable, {
    workspace: "/w/envdeck.toml",
    findings,
    filter: NO_FILTER,
    from: "dev",
    to: "prod",
    pending: 0,
    failed: 0,
    onfilter: () => {},
    ...extra,
  });
}

const row = (key: string) => screen.getAllByTestId("finding-row").find((r) => r.dataset.key === key)!;
const drawer = () => screen.getByTestId("finding-drawer");

beforeEach(() => {
  vi.clearAllMocks();
  reconnect.env = null;
  reconnect.also = null;
});

describe("Finding drawer", () => {
  it("opens from a schema row by click with the table's columns side by side and the exact command", async () => {
    vi.mocked(backend.findingSides).mockResolvedValue(COLUMNS);
    table([COLUMN]);
    await fireEvent.click(row("users.nickname"));
    expect(drawer()).toHaveAttribute("data-key", "users.nickname");
    expect(backend.findingSides).toHaveBeenCalledWith("/w/envdeck.toml", "dev", "prod", "schema", COLUMN.key_parts, "missing_column");
    await vi.waitFor(() => expect(within(drawer()).getByTestId("side-by-side")).toHaveAttribute("data-state", "ok"));
    const sideRow = (name: string) => within(drawer()).getAllByTestId("side-row").find((r) => r.dataset.name === name)!;
    expect(sideRow("nickname")).toHaveAttribute("data-state", "missing");
    expect(sideRow("nickname")).toHaveTextContent("text");
    expect(sideRow("nickname")).toHaveTextContent("—");
    expect(sideRow("score")).toHaveAttribute("data-state", "different");
    expect(sideRow("score")).toHaveTextContent(/integer.*bigint/);
    expect(sideRow("email")).toHaveAttribute("data-state", "equal");
    const commands = within(drawer()).getAllByTestId("fix-command");
    expect(commands.map((c) => c.dataset.lang)).toEqual(["shell", "sql"]);
    expect(commands[0]).toHaveTextContent("npx prisma migrate deploy");
    expect(commands[1]).toHaveTextContent("ALTER TABLE users ADD COLUMN nickname text;");
    expect(within(commands[0]).getByTestId("copy-command")).toHaveTextContent("Copy");
  });

  it("moves between rows with the arrow keys, opens the focused one with Enter and closes with Escape", async () => {
    vi.mocked(backend.findingSides).mockResolvedValue({ view: "migrations", from_table: "schema_migrations", to_table: "schema_migrations", migrate_command: null, migrations: [
      { name: "001_init", state: "equal" },
      { name: "002_nickname", state: "missing" },
    ] });
    table([COLUMN, PENDING, KEY]);
    const rows = screen.getAllByTestId("finding-row");
    expect(rows.map((r) => r.tabIndex)).toEqual([0, -1, -1]);
    rows[0].focus();
    await fireEvent.keyDown(rows[0], { key: "ArrowDown" });
    await vi.waitFor(() => expect(document.activeElement).toBe(row("002_nickname")));
    expect(row("002_nickname").tabIndex).toBe(0);
    await fireEvent.keyDown(row("002_nickname"), { key: "Enter" });
    expect(drawer()).toHaveAttribute("data-key", "002_nickname");
    await vi.waitFor(() => expect(within(drawer()).getAllByTestId("side-row")).toHaveLength(2));
    expect(within(drawer()).getAllByTestId("side-row")[1]).toHaveAttribute("data-state", "missing");
    // schema_migrations belongs to several tools: envdeck says it can't know the command.
    expect(within(drawer()).getByTestId("fix-advice")).toHaveTextContent("envdeck can't know the exact command");
    await fireEvent.keyDown(drawer(), { key: "Escape" });
    expect(screen.queryByTestId("finding-drawer")).toBeNull();
  });

  it("shows config keys as equal, different or missing, never a value, and the line to add", async () => {
    vi.mocked(backend.findingSides).mockResolvedValue({
      view: "config_keys",
      from_file: ".env.dev",
      to_file: ".env.prod",
      keys: [
        { name: "NODE_ENV", state: "different" },
        { name: "SENTRY_DSN", state: "equal" },
        { name: "STRIPE_WEBHOOK_SECRET", state: "missing" },
      ],
    });
    table([KEY]);
    await fireEvent.click(row("STRIPE_WEBHOOK_SECRET"));
    await vi.waitFor(() => expect(within(drawer()).getAllByTestId("side-row")).toHaveLength(3));
    const states = within(drawer())
      .getAllByTestId("side-row")
      .map((r) => [r.dataset.name, r.dataset.state, r.lastElementChild?.textContent]);
    expect(states).toEqual([
      ["NODE_ENV", "different", "different"],
      ["SENTRY_DSN", "equal", "same"],
      ["STRIPE_WEBHOOK_SECRET", "missing", "missing in prod"],
    ]);
    expect(within(drawer()).getByTestId("fix-command")).toHaveTextContent("Add to .env.prod");
    expect(within(drawer()).getByTestId("fix-command")).toHaveTextContent("STRIPE_WEBHOOK_SECRET=");
    expect(within(drawer()).getByTestId("fix-note")).toHaveTextContent("never shows env-file values");
  });

  it("copies a missing row to the target through the sync flow, for that row only", async () => {
    const oncopy = vi.fn();
    table([ROLE], { oncopy, onpick: vi.fn(), picked: [] });
    await fireEvent.click(row("roles/manager"));
    await fireEvent.click(within(drawer()).getByTestId("finding-copy"));
    expect(oncopy).toHaveBeenCalledWith(ROLE);
    expect(screen.queryByTestId("finding-drawer")).toBeNull();
  });

  it("ticks the row for the Copy action when no single-row copy is wired in", async () => {
    const onpick = vi.fn();
    table([ROLE], { onpick, picked: [] });
    await fireEvent.click(row("roles/manager"));
    expect(within(drawer()).getByTestId("finding-copy")).toHaveTextContent("Copy to prod…");
    await fireEvent.click(within(drawer()).getByTestId("finding-copy"));
    expect(onpick).toHaveBeenCalledWith(ROLE, true);
    expect(screen.getByTestId("finding-ticked")).toHaveTextContent("Ticked roles/manager");
  });

  it("reconnects an expired integration from its drawer", async () => {
    table([SLACK]);
    await fireEvent.click(row("slack/ana@acme.test"));
    expect(within(drawer()).getByTestId("side-by-side")).toHaveTextContent(/connected\s*expired/);
    await fireEvent.click(within(drawer()).getByTestId("finding-drawer-reconnect"));
    expect(reconnect.env).toBe("prod");
    expect(reconnect.also).toEqual({ provider: "slack", account: "ana@acme.test" });
    expect(screen.queryByTestId("finding-drawer")).toBeNull();
  });

  it("makes 'Settings' in a message a link to the Settings page, and the filter a Ctrl+F target", async () => {
    table([SHARED]);
    const link = within(row("database")).getByTestId("message-link");
    expect(link).toHaveAttribute("href", "#settings");
    expect(link).toHaveTextContent("Settings");
    expect(screen.getByTestId("finding-filter")).toHaveAttribute("data-filter");
    await fireEvent.click(row("database"));
    expect(within(drawer()).getByTestId("drawer-detail").querySelector("a[href='#settings']")).not.toBeNull();
    expect(within(drawer()).getByTestId("no-sides")).toHaveTextContent("never at values");
    expect(backend.findingSides).not.toHaveBeenCalled();
  });
});
