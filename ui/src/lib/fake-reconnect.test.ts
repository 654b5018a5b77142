import { beforeEach, describe, expect, it } from "vitest";
import type { ReconnectOutcome } from "./bindings/ReconnectOutcome";
import type { ReconnectSummary } from "./bindings/ReconnectSummary";
import type { ReconnectWizard } from "./bindings/ReconnectWizard";
import { demo, fakeInvoke, resetFake } from "./fake-backend";

const workspace = demo.workspace.path;
const watchOptions = { timeout_ms: 1000, interval_ms: 50, reference: "dev" };

beforeEach(() => resetFake());

describe("fake reconnect wizard (dev only)", () => {
  it("lists what the recorded grid says to reconnect, lands, resumes, and forgets on finish", async () => {
    const w = (await fakeInvoke("reconnect_plan", { workspace, env: "prod", from: null, providers: [] })) as ReconnectWizard;
    const wanted = demo.parity.rows.filter((r) => r.cells.some((c) => c.env === "prod" && c.needs_reconnect)).map((r) => r.provider);
    expect(w.steps.map((s) => s.provider)).toEqual(wanted);
    expect(w.resumed).toBe(false);
    const first = w.steps[0].provider;
    const o = (await fakeInvoke("reconnect_watch", { workspace, env: "prod", provider: first, options: watchOptions, operation: "op1" }, { onProgress: () => {} })) as ReconnectOutcome;
    expect(o.kind).toBe("landed");
    const again = (await fakeInvoke("reconnect_plan", { workspace, env: "prod", from: null, providers: [] })) as ReconnectWizard;
    expect(again.resumed).toBe(true);
    expect(again.current).toBe(wanted.length > 1 ? 1 : null);
    const s = (await fakeInvoke("reconnect_finish", { workspace, env: "prod" })) as ReconnectSummary;
    expect(s.landed).toEqual([first]);
    const fresh = (await fakeInvoke("reconnect_plan", { workspace, env: "prod", from: null, providers: [] })) as ReconnectWizard;
    expect(fresh.resumed).toBe(false);
  });
});
