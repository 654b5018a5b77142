import { describe, expect, it } from "vitest";
import type { WorkspaceView } from "./bindings/WorkspaceView";
import { fakeInvoke } from "./fake-backend";

describe("fake backend", () => {
  it("moves dev's database URL to the keychain like the Rust command", async () => {
    const before = (await fakeInvoke("workspace_current", {})) as WorkspaceView;
    expect(before.warnings).toEqual([expect.objectContaining({ env: "dev", can_move_to_keychain: true })]);

    const after = (await fakeInvoke("workspace_move_url_to_keychain", { env: "dev" })) as WorkspaceView;
    expect(after.warnings).toEqual([]);
    expect(after.environments.find((e) => e.name === "dev")?.database).toEqual({ type: "secret", name: "DATABASE_URL" });
    expect(after).not.toBe(before);
    expect(await fakeInvoke("secrets_list", {})).toContainEqual({ env: "dev", name: "DATABASE_URL", is_set: true, used_by: "database" });

    // Nothing left to move.
    await expect(fakeInvoke("workspace_move_url_to_keychain", { env: "dev" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("reports config as not configured when an environment has no env file", async () => {
    const report = await fakeInvoke("compare_area", { from: "staging", to: "prod", area: "config" });
    expect(report).toMatchObject({ error: null, findings: [], skipped: expect.stringContaining("staging has no env_file") });
  });
});
