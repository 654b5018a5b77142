import { beforeEach, describe, expect, it } from "vitest";
import drift from "../../../src-tauri/demo/expected-drift.json";
import type { AreaReport } from "./bindings/AreaReport";
import type { EnvDetail } from "./bindings/EnvDetail";
import type { SecretEntry } from "./bindings/SecretEntry";
import type { WorkspaceView } from "./bindings/WorkspaceView";
import { demo, fakeInvoke, resetFake } from "./fake-backend";

const AREAS = ["integrations", "workflows", "schema", "migrations", "reference_data", "config", "isolation"] as const;

beforeEach(() => resetFake());

describe("fake backend (dev only)", () => {
  it("finds the demo's planted drift from dev to prod, as the engine does", async () => {
    const found = [];
    for (const area of AREAS) {
      const r = (await fakeInvoke("compare_area", { from: "dev", to: "prod", area })) as AreaReport;
      expect(r).toMatchObject({ area, from: "dev", to: "prod", error: null });
      found.push(...r.findings.map((f) => `${f.area} ${f.kind} ${f.key} ${f.severity}`));
    }
    const want = drift.findings.map((f) => `${f.area} ${f.kind} ${f.key} ${f.severity}`);
    expect(found.sort()).toEqual(want.sort());
  });

  it("moves dev's database URL to the keychain like the Rust command", async () => {
    const before = (await fakeInvoke("workspace_current", {})) as WorkspaceView;
    expect(before.environments.find((e) => e.name === "dev")?.database.type).toBe("url");

    const after = (await fakeInvoke("workspace_move_url_to_keychain", { env: "dev" })) as WorkspaceView;
    expect(after.environments.find((e) => e.name === "dev")?.database).toEqual({ type: "secret", name: "DATABASE_URL" });
    expect(after).not.toEqual(before);
    expect((await fakeInvoke("secrets_list", {})) as SecretEntry[]).toContainEqual({
      env: "dev",
      name: "DATABASE_URL",
      is_set: true,
      used_by: "database",
    });

    // Nothing left to move.
    await expect(fakeInvoke("workspace_move_url_to_keychain", { env: "dev" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("shows the recorded expiry dates relative to now", async () => {
    const d = (await fakeInvoke("environment_detail", { env: "dev" })) as EnvDetail;
    const linkedin = d.integrations.find((r) => r.provider === "linkedin")!;
    const expected = Date.now() + linkedin.expires_in_seconds! * 1000;
    expect(Math.abs(Date.parse(linkedin.expires_at!) - expected)).toBeLessThan(60_000);
  });

  it("refuses an environment the demo does not have, like the engine", async () => {
    await expect(fakeInvoke("environment_status", { env: "staging" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("known environments are dev, prod"),
    });
  });

  it("answers from the recording, not from its own rules", () => {
    expect(demo.workspace.is_demo).toBe(true);
    expect(Object.keys(demo.compare).sort()).toEqual(["dev/prod", "prod/dev"]);
  });
});
