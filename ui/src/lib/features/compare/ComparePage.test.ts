import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { Area } from "../../bindings/Area";
import type { AreaReport } from "../../bindings/AreaReport";
import type { Finding } from "../../bindings/Finding";
import type { FindingKind } from "../../bindings/FindingKind";
import type { ParityGrid } from "../../bindings/ParityGrid";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import { CompareSession } from "./compare.svelte";
import ComparePage from "./ComparePage.svelte";
import { mountMergeView } from "./merge-view";

vi.mock("../../backend", () => ({
  compareArea: vi.fn(),
  integrationParity: vi.fn(),
  findingValues: vi.fn(),
  cancelOperation: vi.fn(async () => null),
}));
// CodeMirror needs a real layout engine; here we only check what it is given.
vi.mock("./merge-view", () => ({ mountMergeView: vi.fn(() => ({ destroy: vi.fn() })) }));

const env = (name: string, kind: "development" | "staging" | "production") => ({
  name,
  kind,
  protected: kind === "production",
  app_url: null,
  database: { type: "url" as const, display: `sqlite://${name}.db` },
  env_file: null,
});
const workspace: WorkspaceView = {
  path: "/w/envdeck.toml",
  name: "acme",
  is_demo: true,
  warnings: [],
  environments: [env("dev", "development"), env("staging", "staging"), env("prod", "production")],
};

const f = (area: Area, kind: FindingKind, key: string, severity: Finding["severity"], detail = ""): Finding => ({
  area,
  kind,
  key,
  key_parts: { subject: null, parts: [{ type: "text", value: key }] },
  severity,
  detail,
});

const DRIFT: Finding[] = [
  f("integrations", "missing", "twitter/ana@acme.test", "warning", "Not connected in prod"),
  f("integrations", "expired", "slack/ana@acme.test", "critical", "Expired 6 days ago"),
  f("integrations", "broken", "instagram/ben@acme.test", "critical", "needs_reauthorization"),
  f("workflows", "changed", "Stripe failed payment follow-up", "warning", "Wait.parameters.amount 3 → 2"),
  f("workflows", "missing", "Post new blog articles to X", "warning", "Exists in dev only"),
  f("config", "extra_key", "SENTRY_DSN", "info", "Only in `.env.production`"),
  f("isolation", "shared_backend", "CONVEX_DEPLOYMENT", "critical", "prod uses dev's deployment"),
  f("isolation", "same_secret", "SLACK_CLIENT_SECRET", "critical", "Same secret"),
];

const report = (
  from: string,
  to: string,
  area: Area,
  findings: Finding[],
  error: AreaReport["error"] = null,
  skipped: string | null = null,
): AreaReport => ({
  area,
  from,
  to,
  findings,
  error,
  skipped,
  duration_ms: 12,
});

function answerWith(findings: Finding[]) {
  vi.mocked(backend.compareArea).mockImplementation(async (_workspace, from, to, area) =>
    report(from, to, area, findings.filter((x) => x.area === area)),
  );
}

const GRID: ParityGrid = {
  environments: ["dev", "staging", "prod"],
  rows: [
    {
      provider: "slack",
      cells: [
        { env: "dev", state: "healthy", accounts: 1, needs_reconnect: false, detail: null },
        { env: "prod", state: "expired", accounts: 1, needs_reconnect: true, detail: "expired 6 days ago" },
      ],
    },
    {
      provider: "twitter",
      cells: [
        { env: "dev", state: "healthy", accounts: 1, needs_reconnect: false, detail: null },
        { env: "prod", state: "missing", accounts: 0, needs_reconnect: true, detail: "not connected" },
      ],
    },
    {
      provider: "linkedin",
      cells: [
        { env: "dev", state: "expiring", accounts: 1, needs_reconnect: false, detail: "expires in 3 days" },
        { env: "prod", state: "healthy", accounts: 2, needs_reconnect: false, detail: null },
      ],
    },
  ],
  errors: [{ env: "staging", error: { code: "db_unreachable", message: "staging-db is down", retryable: true } }],
};

function open() {
  const session = new CompareSession(workspace.path);
  render(ComparePage, { workspace, session });
  return session;
}

const card = (area: Area) => screen.getAllByTestId("area-card").find((c) => c.dataset.area === area)!;
const rows = () => screen.queryAllByTestId("finding-row");
const allDone = () =>
  vi.waitFor(() => {
    const states = screen.getAllByTestId("area-card").map((c) => c.dataset.state);
    expect(states).not.toContain("loading");
  });

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(backend.integrationParity).mockResolvedValue(GRID);
});

describe("Compare", () => {
  it("compares dev with prod on first open, every area at once", async () => {
    answerWith(DRIFT);
    open();
    expect(screen.getByTestId("compare-from")).toHaveValue("dev");
    expect(screen.getByTestId("compare-to")).toHaveValue("prod");
    expect(backend.compareArea).toHaveBeenCalledTimes(8);
    expect(vi.mocked(backend.compareArea).mock.calls.map((c) => c[3])).toEqual([
      "integrations",
      "workflows",
      "schema",
      "migrations",
      "reference_data",
      "data",
      "config",
      "isolation",
    ]);
    const calls = vi.mocked(backend.compareArea).mock.calls;
    // Every call names the workspace on screen, and one operation covers the whole run.
    expect(calls.every(([ws, from, to]) => ws === workspace.path && from === "dev" && to === "prod")).toBe(true);
    expect(new Set(calls.map((c) => c[4])).size).toBe(1);
    await allDone();
  });

  it("counts each area's findings by severity on its card", async () => {
    answerWith(DRIFT);
    open();
    await allDone();
    const integrations = card("integrations");
    expect(integrations).toHaveAttribute("data-count", "3");
    const counts = within(integrations).getAllByTestId("severity-count");
    expect(counts.map((c) => [c.dataset.severity, c.dataset.count])).toEqual([
      ["critical", "2"],
      ["warning", "1"],
    ]);
    expect(card("schema")).toHaveAttribute("data-count", "0");
    expect(card("schema")).toHaveTextContent("No differences");
    expect(card("isolation")).toHaveAttribute("data-count", "2");
    expect(card("isolation")).toHaveClass("alarm");
    const totals = screen.getByTestId("compare-totals");
    expect(within(totals).getByText("4").closest("[data-severity]")).toHaveAttribute("data-severity", "critical");
  });

  it("lists findings most severe first and narrows them with the filters", async () => {
    answerWith(DRIFT);
    open();
    await allDone();
    expect(rows().map((r) => r.dataset.severity)).toEqual([
      "critical",
      "critical",
      "critical",
      "critical",
      "warning",
      "warning",
      "warning",
      "info",
    ]);
    expect(rows()[0]).toHaveAttribute("data-key", "instagram/ben@acme.test");

    // Severity chip.
    const info = screen.getAllByTestId("severity-chip").find((c) => c.dataset.severity === "info")!;
    await fireEvent.click(info);
    expect(rows().map((r) => r.dataset.key)).toEqual(["SENTRY_DSN"]);
    await fireEvent.click(info);
    expect(rows()).toHaveLength(8);

    // Text over key, kind and detail.
    await fireEvent.input(screen.getByTestId("finding-filter"), { target: { value: "slack" } });
    expect(rows().map((r) => r.dataset.key)).toEqual(["slack/ana@acme.test", "SLACK_CLIENT_SECRET"]);
    await fireEvent.input(screen.getByTestId("finding-filter"), { target: { value: "" } });

    // Clicking a card shows that area only; clicking it again shows all.
    await fireEvent.click(card("workflows"));
    expect(rows().map((r) => r.dataset.area)).toEqual(["workflows", "workflows"]);
    expect(screen.getByTestId("area-filter")).toHaveValue("workflows");
    await fireEvent.click(card("workflows"));
    expect(rows()).toHaveLength(8);

    // Filters combine; nothing left says so.
    await fireEvent.change(screen.getByTestId("area-filter"), { target: { value: "config" } });
    await fireEvent.input(screen.getByTestId("finding-filter"), { target: { value: "twitter" } });
    expect(rows()).toHaveLength(0);
    expect(screen.getByTestId("findings-empty")).toHaveTextContent("No findings match these filters");
    await fireEvent.click(screen.getByTestId("clear-filters"));
    expect(rows()).toHaveLength(8);
  });

  it("keeps the other areas when one fails or reports an error", async () => {
    let releaseSchema!: () => void;
    vi.mocked(backend.compareArea).mockImplementation((_workspace, from, to, area) => {
      if (area === "workflows")
        return Promise.reject({ code: "table_missing", message: "Table `workflows` does not exist in prod.", retryable: false });
      if (area === "migrations")
        return Promise.resolve(report(from, to, area, [], { code: "db_timeout", message: "prod took too long.", retryable: true }));
      if (area === "schema") return new Promise((r) => (releaseSchema = () => r(report(from, to, area, []))));
      return Promise.resolve(report(from, to, area, DRIFT.filter((x) => x.area === area)));
    });
    open();
    await vi.waitFor(() => expect(card("workflows")).toHaveAttribute("data-state", "error"));
    await vi.waitFor(() => expect(card("migrations")).toHaveAttribute("data-state", "error"));
    expect(within(card("workflows")).getByTestId("error-card")).toHaveAttribute("data-code", "table_missing");
    expect(within(card("workflows")).getByTestId("error-card")).toHaveTextContent("does not exist in prod");
    expect(within(card("migrations")).getByTestId("error-card")).toHaveAttribute("data-code", "db_timeout");
    // Still loading, with its own spinner, while the rest are done.
    expect(card("schema")).toHaveAttribute("data-state", "loading");
    expect(within(card("schema")).getByRole("status")).toBeInTheDocument();
    expect(card("integrations")).toHaveAttribute("data-state", "done");
    expect(card("isolation")).toHaveAttribute("data-state", "done");
    expect(rows().map((r) => r.dataset.area)).not.toContain("workflows");
    expect(rows()).toHaveLength(6);

    releaseSchema();
    await vi.waitFor(() => expect(card("schema")).toHaveAttribute("data-state", "done"));

    // A missing table is fixed in envdeck.toml, not by retrying: Reload, not Retry; a timeout may pass.
    expect(within(card("workflows")).queryByRole("button", { name: /retry/i })).toBeNull();
    expect(within(card("migrations")).getByRole("button", { name: /retry/i })).toBeInTheDocument();
    // Reload re-runs only that area.
    vi.mocked(backend.compareArea).mockClear();
    answerWith(DRIFT);
    await fireEvent.click(within(card("workflows")).getByRole("button", { name: /reload/i }));
    await vi.waitFor(() => expect(card("workflows")).toHaveAttribute("data-state", "done"));
    expect(vi.mocked(backend.compareArea).mock.calls.map((c) => c.slice(0, 4))).toEqual([[workspace.path, "dev", "prod", "workflows"]]);
    expect(rows()).toHaveLength(8);
  });

  it("shows an area the workspace does not configure as not configured, not as a failure", async () => {
    const reason = 'not compared: prod has no env_file in envdeck.toml (add env_file = "…" to compare config keys)';
    vi.mocked(backend.compareArea).mockImplementation(async (_workspace, from, to, area) =>
      area === "config"
        ? report(from, to, area, [], null, reason)
        : report(from, to, area, DRIFT.filter((x) => x.area === area)),
    );
    open();
    await allDone();
    const config = card("config");
    expect(config).toHaveAttribute("data-state", "skipped");
    expect(config).toHaveTextContent("Not configured");
    expect(within(config).getByTestId("skip-reason")).toHaveTextContent(reason);
    // Neutral: no error card, no spinner, no count, not clickable.
    expect(within(config).queryByTestId("error-card")).toBeNull();
    expect(within(config).queryByRole("status")).toBeNull();
    expect(within(config).queryByTestId("area-total")).toBeNull();
    expect(config.tagName).not.toBe("BUTTON");
    expect(config).not.toHaveClass("failed");
    // The summary counts it apart from failures.
    expect(screen.queryByTestId("compare-failed")).toBeNull();
    expect(screen.getByTestId("compare-skipped")).toHaveTextContent("1 not configured");
    expect(rows()).toHaveLength(7);
  });

  it("does not claim every area matches when one was not configured", async () => {
    vi.mocked(backend.compareArea).mockImplementation(async (_workspace, from, to, area) =>
      report(from, to, area, [], null, area === "reference_data" ? "not compared: envdeck.toml has no [[reference_data]] tables" : null),
    );
    open();
    await allDone();
    expect(screen.getByTestId("findings-empty")).toHaveTextContent("dev and prod match in every area that was compared");
    expect(screen.getByTestId("findings-empty")).toHaveTextContent("1 area is not configured");
    expect(screen.getByTestId("findings-empty")).not.toHaveTextContent("failed");
  });

  it("shows each running area's progress and cancels every one of them with one button", async () => {
    const cancelled = { code: "cancelled", message: "cancelled: nothing was changed; run it again when you are ready", retryable: false };
    const stops = new Map<string, Array<() => void>>();
    vi.mocked(backend.compareArea).mockImplementation((_workspace, from, to, area, operation, onProgress) => {
      if (area === "config") return Promise.resolve(report(from, to, area, DRIFT.filter((x) => x.area === area)));
      onProgress({ event: "started", label: `reading ${from} and ${to}`, total: null });
      return new Promise((_resolve, reject) => stops.set(operation, [...(stops.get(operation) ?? []), () => reject(cancelled)]));
    });
    vi.mocked(backend.cancelOperation).mockImplementation(async (operation) => {
      for (const stop of stops.get(operation) ?? []) stop();
      return null;
    });
    open();
    await vi.waitFor(() => expect(card("config")).toHaveAttribute("data-state", "done"));
    expect(within(card("schema")).getByTestId("area-progress")).toHaveTextContent("Reading dev and prod…");
    expect(screen.getByTestId("compare-progress")).toHaveTextContent("1/8 areas");
    expect(screen.queryByTestId("compare-run")).toBeNull();

    await fireEvent.click(screen.getByTestId("compare-cancel"));
    // One operation for the whole run: one cancel stops every area still running.
    expect(backend.cancelOperation).toHaveBeenCalledTimes(1);
    expect(backend.cancelOperation).toHaveBeenCalledWith(vi.mocked(backend.compareArea).mock.calls[0][4]);
    await vi.waitFor(() => expect(card("schema")).toHaveAttribute("data-state", "cancelled"));
    // Cancelled, not failed: no error card; what finished stays.
    for (const area of ["integrations", "workflows", "schema", "migrations", "reference_data", "data", "isolation"] as Area[]) {
      expect(card(area)).toHaveAttribute("data-state", "cancelled");
      expect(card(area)).toHaveTextContent("Cancelled");
      expect(within(card(area)).queryByTestId("error-card")).toBeNull();
    }
    expect(card("config")).toHaveAttribute("data-state", "done");
    expect(screen.queryByTestId("compare-failed")).toBeNull();
    expect(screen.getByTestId("compare-cancelled")).toHaveTextContent("7 cancelled");
    expect(screen.queryByTestId("compare-cancel")).toBeNull();
    expect(screen.getByTestId("compare-run")).toBeEnabled();
    expect(rows().map((r) => r.dataset.area)).toEqual(["config"]);

    // Run again re-runs that area alone, under an operation of its own.
    answerWith(DRIFT);
    vi.mocked(backend.compareArea).mockClear();
    await fireEvent.click(within(card("workflows")).getByTestId("area-rerun"));
    await vi.waitFor(() => expect(card("workflows")).toHaveAttribute("data-state", "done"));
    expect(vi.mocked(backend.compareArea).mock.calls.map((c) => c[3])).toEqual(["workflows"]);
  });

  it("says so when the two environments match", async () => {
    answerWith([]);
    open();
    await allDone();
    expect(screen.getByTestId("findings-empty")).toHaveTextContent("dev and prod match in every area");
  });

  it("compares again when a picker changes", async () => {
    answerWith(DRIFT);
    open();
    await allDone();
    vi.mocked(backend.compareArea).mockClear();
    await fireEvent.change(screen.getByTestId("compare-from"), { target: { value: "staging" } });
    expect(backend.compareArea).toHaveBeenCalledTimes(8);
    expect(vi.mocked(backend.compareArea).mock.calls[0].slice(1, 3)).toEqual(["staging", "prod"]);
  });

  it("opens a side-by-side diff of a changed workflow's two definitions in the finding's drawer", async () => {
    answerWith(DRIFT);
    vi.mocked(backend.findingValues).mockResolvedValue({ from_json: '{"amount":3}', to_json: '{"amount":2}' });
    open();
    await allDone();
    const row = rows().find((r) => r.dataset.key === "Stripe failed payment follow-up")!;
    await fireEvent.click(row);
    expect(screen.getByTestId("finding-drawer")).toHaveAttribute("data-key", "Stripe failed payment follow-up");
    expect(backend.findingValues).toHaveBeenCalledWith(
      workspace.path,
      "dev",
      "prod",
      "workflows",
      { subject: null, parts: [{ type: "text", value: "Stripe failed payment follow-up" }] },
      "changed",
    );
    await vi.waitFor(() => expect(screen.getByTestId("json-diff")).toHaveAttribute("data-state", "ready"));
    await vi.waitFor(() => expect(mountMergeView).toHaveBeenCalled());
    const [, a, b] = vi.mocked(mountMergeView).mock.calls[0];
    expect(a).toBe('{\n  "amount": 3\n}');
    expect(b).toBe('{\n  "amount": 2\n}');
  });

  it("shows a value missing on one side against an empty document", async () => {
    answerWith(DRIFT);
    vi.mocked(backend.findingValues).mockResolvedValue({ from_json: '{"name":"x"}', to_json: null });
    open();
    await allDone();
    await fireEvent.click(rows().find((r) => r.dataset.key === "Post new blog articles to X")!);
    await vi.waitFor(() => expect(mountMergeView).toHaveBeenCalled());
    expect(vi.mocked(mountMergeView).mock.calls[0][2]).toBe("");
    expect(screen.getByTestId("json-diff")).toHaveTextContent("not in prod");
  });

  it("shows integration parity for every environment, with what to reconnect", async () => {
    answerWith([]);
    open();
    await vi.waitFor(() => expect(screen.getByTestId("tab-parity")).toHaveTextContent("2 to reconnect"));
    expect(screen.queryByTestId("parity-grid")).toBeNull();
    await fireEvent.click(screen.getByTestId("tab-parity"));
    const grid = await screen.findByTestId("parity-grid");
    const cell = (provider: string, env: string) =>
      within(grid)
        .getAllByTestId("parity-cell")
        .find((c) => c.dataset.provider === provider && c.dataset.env === env)!;
    expect(new Set(within(grid).getAllByTestId("parity-cell").map((c) => c.dataset.env))).toEqual(
      new Set(["dev", "staging", "prod"]),
    );
    expect(cell("slack", "prod")).toHaveAttribute("data-state", "expired");
    expect(within(cell("slack", "prod")).getByTestId("reconnect-hint")).toHaveTextContent("reconnect");
    expect(cell("twitter", "prod")).toHaveAttribute("data-state", "missing");
    expect(cell("twitter", "prod")).toHaveTextContent("—");
    expect(cell("linkedin", "dev")).toHaveAttribute("data-state", "expiring");
    expect(within(cell("linkedin", "dev")).queryByTestId("reconnect-hint")).toBeNull();
    expect(cell("linkedin", "prod")).toHaveTextContent("×2");
    // An environment that could not be read is marked, not mistaken for "missing".
    expect(cell("slack", "staging")).toHaveAttribute("data-state", "error");
    const todo = screen.getByTestId("reconnect-list");
    expect(within(todo).getAllByRole("listitem").map((li) => li.dataset.provider)).toEqual(["slack", "twitter"]);
    expect(within(todo).getByTestId("error-card")).toHaveAttribute("data-code", "db_unreachable");
  });

  it("never offers the From environment as To, and picking it swaps the pair", async () => {
    answerWith(DRIFT);
    const session = open();
    await allDone();
    const toOptions = () => [...(screen.getByTestId("compare-to") as HTMLSelectElement).options].map((o) => o.value);
    expect(toOptions()).toEqual(["staging", "prod"]);
    vi.mocked(backend.compareArea).mockClear();
    // From = the current To: the two trade places, never dev → dev.
    await fireEvent.change(screen.getByTestId("compare-from"), { target: { value: "prod" } });
    expect([session.from, session.to]).toEqual(["prod", "dev"]);
    expect(toOptions()).toEqual(["dev", "staging"]);
    expect(vi.mocked(backend.compareArea).mock.calls[0].slice(1, 3)).toEqual(["prod", "dev"]);
  });

  it("never shows results under a pair they were not compared for", async () => {
    answerWith(DRIFT);
    const session = open();
    await allDone();
    expect(screen.getByRole("heading", { level: 2, name: /dev.*prod/ })).toBeInTheDocument();
    // A pair that cannot be compared (e.g. from an address): the old results go away.
    session.to = "dev";
    await vi.waitFor(() => expect(screen.queryAllByTestId("area-card")).toHaveLength(0));
    expect(rows()).toHaveLength(0);
    expect(screen.getByTestId("compare-totals")).toHaveTextContent("Pick two different environments");
  });

  it("shows an unreachable target once, not as the same error on every card", async () => {
    const down = { code: "db_unreachable" as const, message: "Can't connect to prod-db:5432: connection refused.", retryable: true };
    vi.mocked(backend.compareArea).mockImplementation((_workspace, from, to, area) =>
      area === "config" ? Promise.resolve(report(from, to, area, [])) : Promise.reject(down),
    );
    const session = open();
    await allDone();
    expect(screen.getAllByTestId("error-card")).toHaveLength(1);
    const shared = screen.getByTestId("compare-shared-error");
    expect(shared).toHaveTextContent("connection refused");
    expect(shared).toHaveTextContent("Couldn't compare dev with prod (7 areas)");
    expect(screen.getAllByTestId("area-shared-error")).toHaveLength(7);
    expect(card("config")).toHaveAttribute("data-state", "done");

    // One Retry runs the seven again.
    vi.mocked(backend.compareArea).mockClear();
    answerWith([]);
    await fireEvent.click(within(shared).getByRole("button", { name: /retry/i }));
    await allDone();
    expect(backend.compareArea).toHaveBeenCalledTimes(7);
    expect(screen.queryByTestId("compare-shared-error")).toBeNull();
    expect(session.current).toBe(true);
  });
});
