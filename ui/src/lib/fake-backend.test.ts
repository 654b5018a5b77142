import { beforeEach, describe, expect, it } from "vitest";
import drift from "../../../src-tauri/demo/expected-drift.json";
import type { ApplyReport } from "./bindings/ApplyReport";
import type { AreaReport } from "./bindings/AreaReport";
import type { Plan } from "./bindings/Plan";
import type { SyncRecord } from "./bindings/SyncRecord";
import type { UndoPreview } from "./bindings/UndoPreview";
import type { UndoRecord } from "./bindings/UndoRecord";
import type { UndoReport } from "./bindings/UndoReport";
import type { EnvDetail } from "./bindings/EnvDetail";
import type { ProgressEvent } from "./bindings/ProgressEvent";
import type { SecretEntry } from "./bindings/SecretEntry";
import type { WorkspaceView } from "./bindings/WorkspaceView";
import { demo, fakeInvoke, resetFake } from "./fake-backend";

const AREAS = ["integrations", "workflows", "schema", "migrations", "reference_data", "data", "config", "isolation"] as const;

const workspace = demo.workspace.path;

beforeEach(() => resetFake());

describe("fake backend (dev only)", () => {
  it("plans the selected rows, applies only when the target is named, and lists the sync", async () => {
    const selections = [{ table: "roles", keys: [["manager"]], all_missing: false }];
    const plan = (await fakeInvoke("sync_plan", { workspace, from: "dev", to: "prod", selections, withParents: false })) as Plan;
    expect(plan.tables.map((t) => [t.table, t.inserts.length])).toEqual([["roles", 1]]);
    expect(plan.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    const wrong = (await fakeInvoke("sync_apply", { workspace, plan, confirmEnv: "dev", fingerprint: plan.fingerprint, operation: "s1" })) as ApplyReport;
    expect(wrong.outcome).toBe("refused");
    const ok = (await fakeInvoke("sync_apply", { workspace, plan, confirmEnv: "prod", fingerprint: plan.fingerprint, operation: "s2" })) as ApplyReport;
    expect(ok).toMatchObject({ outcome: "applied", inserted: { roles: 1 } });
    const log = (await fakeInvoke("sync_log", { workspace })) as SyncRecord[];
    expect(log.map((s) => s.outcome)).toEqual(["applied", "refused"]);
  });

  it("undoes an applied sync once, only when the target is named, and journals the undo", async () => {
    const selections = [{ table: "roles", keys: [["manager"]], all_missing: false }];
    const plan = (await fakeInvoke("sync_plan", { workspace, from: "dev", to: "prod", selections, withParents: false })) as Plan;
    const applied = (await fakeInvoke("sync_apply", { workspace, plan, confirmEnv: "prod", fingerprint: plan.fingerprint, operation: "s1" })) as ApplyReport;
    const syncId = applied.sync_id;
    const preview = (await fakeInvoke("sync_undo_preview", { workspace, syncId })) as UndoPreview;
    expect(preview.noop).toBeNull();
    expect(preview.plan?.delete.map((r) => [r.table, r.key])).toEqual([["roles", ["manager"]]]);
    const fingerprint = preview.plan?.fingerprint;
    const wrong = (await fakeInvoke("sync_undo", { workspace, syncId, confirmEnv: "dev", fingerprint, operation: "u1" })) as UndoReport;
    expect(wrong.outcome).toBe("refused");
    const ok = (await fakeInvoke("sync_undo", { workspace, syncId, confirmEnv: "prod", fingerprint, operation: "u2" })) as UndoReport;
    expect(ok).toMatchObject({ outcome: "undone", deleted: { roles: 1 } });
    const again = (await fakeInvoke("sync_undo_preview", { workspace, syncId })) as UndoPreview;
    expect(again.noop).toMatch(/already undone/);
    const undos = (await fakeInvoke("sync_undos", { workspace })) as UndoRecord[];
    expect(undos.map((u) => u.outcome)).toEqual(["refused", "undone"]);
  });

  it("finds the demo's planted drift from dev to prod, as the engine does", async () => {
    const found = [];
    for (const area of AREAS) {
      const r = (await fakeInvoke("compare_area", { workspace, from: "dev", to: "prod", area, operation: "t" })) as AreaReport;
      expect(r).toMatchObject({ area, from: "dev", to: "prod", error: null });
      found.push(...r.findings.map((f) => `${f.area} ${f.kind} ${f.key} ${f.severity}`));
    }
    const want = drift.findings.map((f) => `${f.area} ${f.kind} ${f.key} ${f.severity}`);
    expect(found.sort()).toEqual(want.sort());
  });

  it("moves dev's database URL to the keychain like the Rust command", async () => {
    const before = (await fakeInvoke("workspace_current", {})) as WorkspaceView;
    expect(before.environments.find((e) => e.name === "dev")?.database.type).toBe("url");

    const after = (await fakeInvoke("workspace_move_url_to_keychain", { workspace, env: "dev" })) as WorkspaceView;
    expect(after.environments.find((e) => e.name === "dev")?.database).toEqual({ type: "secret", name: "DATABASE_URL" });
    expect(after).not.toEqual(before);
    expect((await fakeInvoke("secrets_list", { workspace })) as SecretEntry[]).toContainEqual({
      env: "dev",
      name: "DATABASE_URL",
      is_set: true,
      used_by: "database",
    });

    // Nothing left to move.
    await expect(fakeInvoke("workspace_move_url_to_keychain", { workspace, env: "dev" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("shows the recorded expiry dates relative to now", async () => {
    const d = (await fakeInvoke("environment_detail", { workspace, env: "dev" })) as EnvDetail;
    const linkedin = d.integrations.find((r) => r.provider === "linkedin")!;
    const expected = Date.now() + linkedin.expires_in_seconds! * 1000;
    expect(Math.abs(Date.parse(linkedin.expires_at!) - expected)).toBeLessThan(60_000);
  });

  it("refuses an environment the demo does not have, like the engine", async () => {
    await expect(fakeInvoke("environment_status", { workspace, env: "staging" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("known environments are dev, prod"),
    });
  });

  it("refuses a workspace other than the demo, as loading a missing file would", async () => {
    await expect(fakeInvoke("secrets_list", { workspace: "/elsewhere/envdeck.toml" })).rejects.toMatchObject({
      code: "workspace_not_found",
    });
  });

  it("streams a compare's progress and stops it with cancel_operation, like the engine", async () => {
    const events: ProgressEvent[] = [];
    const args = { workspace, from: "dev", to: "prod", area: "schema", operation: "op-1" };
    const running = fakeInvoke("compare_area", args, { onProgress: (e: ProgressEvent) => events.push(e) });
    expect(events).toEqual([{ event: "started", label: "reading dev and prod", total: null }]);
    await fakeInvoke("cancel_operation", { operation: "op-1" });
    await expect(running).rejects.toMatchObject({ code: "cancelled" });
    // A call that arrives after its operation was cancelled stops too; another id runs.
    await expect(fakeInvoke("compare_area", args)).rejects.toMatchObject({ code: "cancelled" });
    await expect(fakeInvoke("compare_area", { ...args, operation: "op-2" })).resolves.toMatchObject({ area: "schema" });
  });

  it("answers from the recording, not from its own rules", () => {
    expect(demo.workspace.is_demo).toBe(true);
    expect(Object.keys(demo.compare).sort()).toEqual(["dev/prod", "prod/dev"]);
  });
});
