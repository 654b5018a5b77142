import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { ProgressEvent } from "../../bindings/ProgressEvent";
import type { ReconnectOutcome } from "../../bindings/ReconnectOutcome";
import type { ReconnectStep } from "../../bindings/ReconnectStep";
import type { ReconnectWizard } from "../../bindings/ReconnectWizard";
import ReconnectSheet from "./ReconnectSheet.svelte";
import { elapsedLabel, nextStep } from "./steps";

vi.mock("../../backend", () => ({
  reconnectPlan: vi.fn(),
  reconnectRemove: vi.fn(),
  reconnectAdd: vi.fn(),
  reconnectOpen: vi.fn(async () => null),
  reconnectWatch: vi.fn(),
  reconnectSkip: vi.fn(),
  reconnectAccept: vi.fn(async () => null),
  reconnectSummary: vi.fn(),
  reconnectFinish: vi.fn(),
  cancelOperation: vi.fn(async () => null),
}));

const WS = "/w/envdeck.toml";

const step = (provider: string, over: Partial<ReconnectStep> = {}): ReconnectStep => ({
  provider,
  account: "ana@acme.test",
  reason: "missing",
  why: "healthy in dev, missing in prod",
  url: `https://app.acme.test/api/integrations/${provider}/connect`,
  url_error: null,
  advice: null,
  status: "pending",
  outcome: null,
  ...over,
});

const wizard = (steps: ReconnectStep[], over: Partial<ReconnectWizard> = {}): ReconnectWizard => ({
  workspace: "acme",
  env: "prod",
  app_url: "https://app.acme.test",
  reference: "dev",
  steps,
  current: steps.length ? 0 : null,
  resumed: false,
  errors: [],
  timeout_ms: 600_000,
  ...over,
});

const outcome = (provider: string, over: Partial<ReconnectOutcome> = {}): ReconnectOutcome => ({
  provider,
  kind: "landed",
  env: "prod",
  expected_account: "ana@acme.test",
  account: "ana@acme.test",
  landed_in: "prod",
  landed_in_url: "https://app.acme.test",
  at: "2026-11-21T14:03:12Z",
  message: "landed in prod at 14:03:12: connected, expires in 59 days",
  warnings: [],
  elapsed_ms: 1200,
  ...over,
});

/** A wait the test ends by hand: `land(o)` resolves it. */
function pendingWatch() {
  let land: (o: ReconnectOutcome) => void = () => {};
  let progress: (e: ProgressEvent) => void = () => {};
  vi.mocked(backend.reconnectWatch).mockImplementationOnce((_w, _e, _p, _o, _op, onProgress) => {
    progress = onProgress;
    return new Promise((resolve) => (land = resolve));
  });
  return { land: (o: ReconnectOutcome) => land(o), progress: (e: ProgressEvent) => progress(e) };
}

async function startFirstStep() {
  await fireEvent.click(await screen.findByTestId("reconnect-start"));
  return screen.findByTestId("reconnect-step");
}

describe("ReconnectSheet", () => {
  beforeEach(() => vi.clearAllMocks());

  it("lists what to reconnect with the expected account and why, and removes an item", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(wizard([step("twitter"), step("slack", { reason: "expired", why: "expired 6 days ago" })]));
    vi.mocked(backend.reconnectRemove).mockResolvedValue(wizard([step("twitter")]));
    render(ReconnectSheet, { workspace: WS, env: "prod", onclose: () => {} });
    const items = await screen.findAllByTestId("reconnect-item");
    expect(items.map((i) => i.dataset.provider)).toEqual(["twitter", "slack"]);
    expect(items[1]).toHaveTextContent("expired 6 days ago");
    expect(items[0]).toHaveTextContent("ana@acme.test");
    await fireEvent.click(items[1].querySelector("[data-testid='reconnect-remove']")!);
    expect(backend.reconnectRemove).toHaveBeenCalledWith(WS, "prod", "slack");
    await vi.waitFor(() => expect(screen.getAllByTestId("reconnect-item")).toHaveLength(1));
  });

  it("adds any provider to the list", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(wizard([]));
    vi.mocked(backend.reconnectAdd).mockResolvedValue(wizard([step("github", { reason: "asked", why: "added by you", account: null })]));
    render(ReconnectSheet, { workspace: WS, env: "prod", onclose: () => {} });
    expect(await screen.findByTestId("reconnect-empty")).toBeInTheDocument();
    await fireEvent.input(screen.getByTestId("reconnect-add-provider"), { target: { value: "github" } });
    await fireEvent.click(screen.getByTestId("reconnect-add"));
    expect(backend.reconnectAdd).toHaveBeenCalledWith(WS, "prod", "github", null);
    expect((await screen.findByTestId("reconnect-item")).dataset.provider).toBe("github");
  });

  it("opened from a notification, lists the notified integration even when only expiring", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(wizard([step("slack")]));
    vi.mocked(backend.reconnectAdd).mockResolvedValue(
      wizard([step("slack"), step("twitter", { reason: "asked", why: "added by you" })]),
    );
    render(ReconnectSheet, { workspace: WS, env: "prod", also: { provider: "twitter", account: "ana@acme.test" }, onclose: () => {} });
    await vi.waitFor(() => expect(screen.getAllByTestId("reconnect-item")).toHaveLength(2));
    expect(backend.reconnectAdd).toHaveBeenCalledWith(WS, "prod", "twitter", "ana@acme.test");

    vi.clearAllMocks();
    vi.mocked(backend.reconnectPlan).mockResolvedValue(wizard([step("twitter")]));
    render(ReconnectSheet, { workspace: WS, env: "prod", also: { provider: "Twitter", account: null }, onclose: () => {} });
    await vi.waitFor(() => expect(backend.reconnectPlan).toHaveBeenCalled());
    expect(backend.reconnectAdd).not.toHaveBeenCalled();
  });

  it("shows the URL, opens it once the wait has its baseline, counts the time and shows the proof", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(wizard([step("twitter")], { timeout_ms: 90_000 }));
    const w = pendingWatch();
    render(ReconnectSheet, { workspace: WS, env: "prod", onclose: () => {} });
    await startFirstStep();
    expect(screen.getByTestId("reconnect-url")).toHaveValue("https://app.acme.test/api/integrations/twitter/connect");
    await fireEvent.click(screen.getByTestId("reconnect-open"));
    expect(await screen.findByTestId("reconnect-waiting")).toHaveTextContent("Waiting for prod to receive the connection… 0:00");
    expect(backend.reconnectOpen).not.toHaveBeenCalled();
    // It waits as long as the workspace's [timeouts] reconnect says.
    expect(vi.mocked(backend.reconnectWatch).mock.calls[0][3]).toMatchObject({ timeout_ms: 90_000 });
    w.progress({ event: "started", label: "waiting", total: null });
    expect(backend.reconnectOpen).toHaveBeenCalledWith(WS, "prod", "twitter");
    w.progress({ event: "advanced", done: 12 });
    await vi.waitFor(() => expect(screen.getByTestId("reconnect-elapsed")).toHaveTextContent("0:12"));
    w.land(outcome("twitter"));
    const o = await screen.findByTestId("reconnect-outcome");
    expect(o.dataset.kind).toBe("landed");
    expect(o).toHaveTextContent("landed in prod at 14:03:12: connected, expires in 59 days");
  });

  it("offers to accept a connection made as another account", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(wizard([step("twitter")]));
    vi.mocked(backend.reconnectWatch).mockResolvedValueOnce(
      outcome("twitter", { kind: "account_mismatch", account: "bob@acme.test", message: "landed in prod — but as bob@acme.test, not ana@acme.test" }),
    );
    vi.mocked(backend.reconnectSummary).mockResolvedValue({ env: "prod", landed: ["twitter"], skipped: [], failed: [], pending: [] });
    render(ReconnectSheet, { workspace: WS, env: "prod", onclose: () => {} });
    await startFirstStep();
    await fireEvent.click(screen.getByTestId("reconnect-open"));
    expect((await screen.findByTestId("reconnect-outcome")).dataset.kind).toBe("account_mismatch");
    expect(screen.getByTestId("reconnect-retry")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("reconnect-accept"));
    expect(backend.reconnectAccept).toHaveBeenCalledWith(WS, "prod", "twitter");
    expect(await screen.findByTestId("reconnect-summary-landed")).toHaveTextContent("Twitter");
  });

  it("says loudly when the connection landed in another environment", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(wizard([step("twitter")]));
    vi.mocked(backend.reconnectWatch).mockResolvedValueOnce(
      outcome("twitter", {
        kind: "wrong_environment",
        landed_in: "dev",
        message: "it landed in dev — the browser completed the flow on http://localhost:3000; open prod's URL",
      }),
    );
    render(ReconnectSheet, { workspace: WS, env: "prod", onclose: () => {} });
    await startFirstStep();
    await fireEvent.click(screen.getByTestId("reconnect-open"));
    const o = await screen.findByTestId("reconnect-outcome");
    expect(o.dataset.kind).toBe("wrong_environment");
    expect(o).toHaveAttribute("role", "alert");
    expect(o).toHaveTextContent("Landed in the wrong environment");
    expect(o).toHaveTextContent("it landed in dev");
    expect(screen.queryByTestId("reconnect-accept")).toBeNull();
  });

  it("warns about localhost before opening and lists scope warnings", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(
      wizard([step("twitter", { advice: "twitter refuses localhost redirect URIs: use a tunnel" })]),
    );
    vi.mocked(backend.reconnectWatch).mockResolvedValueOnce(outcome("twitter", { warnings: ["missing scopes: tweet.write"] }));
    render(ReconnectSheet, { workspace: WS, env: "prod", onclose: () => {} });
    await startFirstStep();
    expect(screen.getByTestId("reconnect-advice")).toHaveTextContent("refuses localhost");
    await fireEvent.click(screen.getByTestId("reconnect-open"));
    expect(await screen.findByTestId("reconnect-warning")).toHaveTextContent("missing scopes: tweet.write");
  });

  it("skips a step, goes to the next, and ends with a summary that finishes the wizard", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(wizard([step("twitter"), step("slack")]));
    vi.mocked(backend.reconnectSkip).mockResolvedValue(outcome("twitter", { kind: "skipped", message: "skipped" }));
    vi.mocked(backend.reconnectWatch).mockResolvedValueOnce(outcome("slack"));
    vi.mocked(backend.reconnectSummary).mockResolvedValue({ env: "prod", landed: ["slack"], skipped: ["twitter"], failed: [], pending: [] });
    vi.mocked(backend.reconnectFinish).mockResolvedValue({ env: "prod", landed: ["slack"], skipped: ["twitter"], failed: [], pending: [] });
    const onclose = vi.fn();
    render(ReconnectSheet, { workspace: WS, env: "prod", onclose });
    await startFirstStep();
    await fireEvent.click(screen.getByTestId("reconnect-skip"));
    await vi.waitFor(() => expect(screen.getByTestId("reconnect-step").dataset.provider).toBe("slack"));
    await fireEvent.click(screen.getByTestId("reconnect-open"));
    await fireEvent.click(await screen.findByTestId("reconnect-next"));
    expect(await screen.findByTestId("reconnect-summary-skipped")).toHaveTextContent("Twitter");
    expect(screen.getByTestId("reconnect-summary-landed")).toHaveTextContent("Slack");
    await fireEvent.click(screen.getByTestId("reconnect-finish"));
    expect(backend.reconnectFinish).toHaveBeenCalledWith(WS, "prod");
    await vi.waitFor(() => expect(onclose).toHaveBeenCalled());
  });

  it("resumes at the saved step, and closing mid-wait cancels the wait but keeps the progress", async () => {
    vi.mocked(backend.reconnectPlan).mockResolvedValue(
      wizard([step("twitter", { status: "landed" }), step("slack", { status: "waiting" })], { resumed: true, current: 1 }),
    );
    pendingWatch();
    const onclose = vi.fn();
    render(ReconnectSheet, { workspace: WS, env: "prod", onclose });
    expect(await screen.findByTestId("reconnect-resumed")).toHaveTextContent("step 2 of 2");
    expect(screen.getByTestId("reconnect-step").dataset.provider).toBe("slack");
    await fireEvent.click(screen.getByTestId("reconnect-wait"));
    await screen.findByTestId("reconnect-waiting");
    await fireEvent.click(screen.getByTestId("reconnect-close"));
    expect(backend.cancelOperation).toHaveBeenCalledWith(expect.stringContaining("reconnect-prod-slack"));
    expect(backend.reconnectFinish).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(onclose).toHaveBeenCalled());
  });
});

describe("steps", () => {
  it("writes the elapsed time as m:ss", () => {
    expect(elapsedLabel(0)).toBe("0:00");
    expect(elapsedLabel(12.7)).toBe("0:12");
    expect(elapsedLabel(65)).toBe("1:05");
  });
  it("finds the next step not done", () => {
    const s = [step("a", { status: "landed" }), step("b"), step("c", { status: "skipped" })];
    expect(nextStep(s, 0)).toBe(1);
    expect(nextStep(s, 2)).toBe(1);
    expect(nextStep(s, 2, false)).toBeNull();
  });
});
