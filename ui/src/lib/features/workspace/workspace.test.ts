import { describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { EnvStatus } from "../../bindings/EnvStatus";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import { activeWorkspace, Workspace } from "./workspace.svelte";

vi.mock("../../backend", () => ({
  workspaceCurrent: vi.fn(),
  workspaceOpen: vi.fn(),
  environmentStatus: vi.fn(),
  environmentDetail: vi.fn(),
  pickWorkspaceFile: vi.fn(),
  compareArea: vi.fn(),
  cancelOperation: vi.fn(async () => null),
}));

const env = (name: string) => ({
  name,
  kind: "development" as const,
  protected: false,
  app_url: null,
  database: { type: "url" as const, display: "sqlite://x.db" },
  env_file: null,
});
const view: WorkspaceView = { path: "/w/envdeck.toml", name: "w", is_demo: false, warnings: [], environments: [env("dev"), env("slow"), env("prod")] };
const ok = (name: string): EnvStatus => ({
  name, kind: "development", protected: false, reachable: true, latency_ms: 1, server_version: null,
  integrations: 0, workflows: 0, migrations: null, error: null, error_code: null,
});

describe("Workspace", () => {
  it("checks every environment at once and a slow one does not hold up the others", async () => {
    let releaseSlow!: () => void;
    vi.mocked(backend.workspaceCurrent).mockResolvedValue(view);
    vi.mocked(backend.environmentDetail).mockReturnValue(new Promise(() => {}));
    vi.mocked(backend.environmentStatus).mockImplementation((_workspace, name) => {
      if (name === "slow") return new Promise((r) => (releaseSlow = () => r(ok("slow"))));
      if (name === "prod") return Promise.reject({ code: "db_unreachable", message: "down", retryable: true });
      return Promise.resolve(ok(name));
    });

    const ws = new Workspace();
    await ws.load();
    expect(backend.environmentStatus).toHaveBeenCalledTimes(3);
    // Each call names the workspace it is for.
    expect(vi.mocked(backend.environmentStatus).mock.calls.map((c) => c[0])).toEqual([view.path, view.path, view.path]);
    await vi.waitFor(() => expect(ws.statuses.prod?.status).toBe("error"));
    expect(ws.statuses.dev?.status).toBe("ok");
    expect(ws.statuses.slow?.status).toBe("loading");
    expect(ws.selected).toEqual({ page: "env", env: "dev" });

    releaseSlow();
    await vi.waitFor(() => expect(ws.statuses.slow?.status).toBe("ok"));
  });

  it("stops a compare of the previous workspace when another one is opened", async () => {
    const other: WorkspaceView = { ...view, path: "/other/envdeck.toml" };
    vi.mocked(backend.workspaceCurrent).mockResolvedValue(view);
    vi.mocked(backend.environmentStatus).mockReturnValue(new Promise(() => {}));
    vi.mocked(backend.environmentDetail).mockReturnValue(new Promise(() => {}));
    vi.mocked(backend.compareArea).mockReturnValue(new Promise(() => {}));
    const ws = new Workspace();
    await ws.load();
    ws.compare.ensurePair(view);
    ws.compare.run();
    const [first] = vi.mocked(backend.compareArea).mock.calls;
    expect(first[0]).toBe(view.path);

    vi.mocked(backend.pickWorkspaceFile).mockResolvedValue(other.path);
    vi.mocked(backend.workspaceOpen).mockResolvedValue(other);
    await ws.openFromDialog();
    expect(backend.cancelOperation).toHaveBeenCalledWith(first[4]);
    expect(ws.compare.workspace).toBe(other.path);
    expect(vi.mocked(backend.environmentStatus).mock.calls.at(-1)?.[0]).toBe(other.path);
  });

  it("reads an environment's status and detail again when one of its secrets was set", async () => {
    vi.mocked(backend.workspaceCurrent).mockResolvedValue(view);
    vi.mocked(backend.environmentDetail).mockReturnValue(new Promise(() => {}));
    vi.mocked(backend.environmentStatus).mockRejectedValue({ code: "secret_missing", message: "no URL", retryable: false });
    const ws = new Workspace();
    await ws.load();
    await vi.waitFor(() => expect(ws.statuses.prod?.status).toBe("error"));

    vi.mocked(backend.environmentStatus).mockResolvedValue(ok("prod"));
    ws.secretChanged("prod");
    // At once "checking", not the old "unreachable"; then the new answer.
    expect(ws.statuses.prod?.status).toBe("loading");
    await vi.waitFor(() => expect(ws.statuses.prod?.status).toBe("ok"));
    expect(ws.statuses.dev?.status).toBe("error");
    expect(vi.mocked(backend.environmentDetail).mock.calls.at(-1)?.[1]).toBe("prod");
  });

  it("orders environments by kind (development, staging, production), then by name", async () => {
    const kinded = (name: string, kind: "development" | "staging" | "production") => ({ ...env(name), kind });
    vi.mocked(backend.workspaceCurrent).mockResolvedValue({
      ...view,
      environments: [kinded("prod", "production"), kinded("qa", "staging"), kinded("zeta", "development"), kinded("alpha", "development"), kinded("demo", "staging")],
    });
    vi.mocked(backend.environmentStatus).mockReturnValue(new Promise(() => {}));
    vi.mocked(backend.environmentDetail).mockReturnValue(new Promise(() => {}));
    const ws = new Workspace();
    await ws.load();
    expect(ws.view.status === "ok" && ws.view.value.environments.map((e) => e.name)).toEqual(["alpha", "zeta", "demo", "qa", "prod"]);
    // The first one opens.
    expect(ws.selected).toEqual({ page: "env", env: "alpha" });
  });

  it("reads an environment again when a command changed its database source (the banner's Move to keychain)", async () => {
    const withWarning: WorkspaceView = {
      ...view,
      warnings: [{ message: "password in URL", env: "prod", can_move_to_keychain: true }],
      environments: [env("dev"), { ...env("prod"), database: { type: "url", display: "postgres://app:****@db:5432/app" } }],
    };
    vi.mocked(backend.workspaceCurrent).mockResolvedValue(withWarning);
    vi.mocked(backend.environmentDetail).mockReturnValue(new Promise(() => {}));
    vi.mocked(backend.environmentStatus).mockImplementation(async (_w, name) => ok(name));
    const ws = new Workspace();
    await ws.load();
    ws.select({ page: "settings" });
    await vi.waitFor(() => expect(ws.statuses.prod?.status).toBe("ok"));
    vi.mocked(backend.environmentStatus).mockClear();

    ws.update({ ...withWarning, warnings: [], environments: [env("dev"), { ...env("prod"), database: { type: "secret", name: "DATABASE_URL" } }] });
    // The warning is gone (the banner with it), the page stays, and only prod is read again.
    expect(ws.view.status === "ok" && ws.view.value.warnings).toEqual([]);
    expect(ws.selected).toEqual({ page: "settings" });
    expect(vi.mocked(backend.environmentStatus).mock.calls.map((c) => c[1])).toEqual(["prod"]);
  });

  it("opens a workspace created from the window in the app's workspace", async () => {
    vi.mocked(backend.environmentStatus).mockReturnValue(new Promise(() => {}));
    vi.mocked(backend.environmentDetail).mockReturnValue(new Promise(() => {}));
    const ws = new Workspace();
    expect(activeWorkspace()).toBe(ws);
    const created: WorkspaceView = { ...view, path: "/new/envdeck.toml", name: "new" };
    ws.opened(created);
    expect(ws.view.status === "ok" && ws.view.value.path).toBe("/new/envdeck.toml");
    expect(ws.selected).toEqual({ page: "env", env: "dev" });
  });
});
