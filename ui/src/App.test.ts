import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import * as backend from "./lib/backend";
import type { WorkspaceView } from "./lib/bindings/WorkspaceView";

const never = () => new Promise<never>(() => {});
vi.mock("./lib/backend", () => ({
  workspaceCurrent: vi.fn(),
  workspaceOpen: vi.fn(),
  workspaceMoveUrlToKeychain: vi.fn(),
  environmentStatus: vi.fn(() => never()),
  environmentDetail: vi.fn(() => never()),
  pickWorkspaceFile: vi.fn(),
}));

const env = (name: string, database: WorkspaceView["environments"][number]["database"]) => ({
  name,
  kind: "development" as const,
  protected: false,
  app_url: null,
  database,
  env_file: null,
});
const before: WorkspaceView = {
  path: "/w/envdeck.toml",
  name: "w",
  is_demo: false,
  warnings: [
    {
      message: "envdeck.toml:5: the database URL of dev contains a password in envdeck.toml: move it to the OS keychain",
      env: "dev",
      can_move_to_keychain: true,
    },
  ],
  environments: [env("dev", { type: "url", display: "postgres://app:****@localhost/app" })],
};
const after: WorkspaceView = {
  ...before,
  warnings: [],
  environments: [env("dev", { type: "secret", name: "DATABASE_URL" })],
};

describe("App", () => {
  it("drops the password warning once the URL is moved to the keychain, and keeps the page", async () => {
    vi.mocked(backend.workspaceCurrent).mockResolvedValue(before);
    vi.mocked(backend.workspaceMoveUrlToKeychain).mockResolvedValue(after);
    render(App);
    const banner = await screen.findByTestId("warnings-banner");
    expect(banner).toHaveTextContent("the database URL of dev contains a password");
    const statusCalls = vi.mocked(backend.environmentStatus).mock.calls.length;

    await fireEvent.click(screen.getByRole("button", { name: "Move the database URL of dev to the keychain" }));
    expect(backend.workspaceMoveUrlToKeychain).toHaveBeenCalledWith("/w/envdeck.toml", "dev");
    await vi.waitFor(() => expect(screen.queryByTestId("warnings-banner")).toBeNull());
    // The same workspace: not reloaded from scratch; only dev, whose database source changed, is read again.
    const calls = vi.mocked(backend.environmentStatus).mock.calls;
    expect(calls.length).toBe(statusCalls + 1);
    expect(calls.at(-1)?.[1]).toBe("dev");
    expect(document.body.dataset.ready).toBe("true");
  });

  it("shows a new page from its top, not at the previous page's scroll position", async () => {
    vi.mocked(backend.workspaceCurrent).mockResolvedValue({ ...after, environments: [after.environments[0], { ...after.environments[0], name: "qa" }] });
    render(App);
    const main = await screen.findByTestId("main");
    main.scrollTop = 640;
    expect(main.scrollTop).toBe(640);
    await fireEvent.click(screen.getByTestId("nav-settings"));
    await vi.waitFor(() => expect(main.scrollTop).toBe(0));
    main.scrollTop = 300;
    await fireEvent.click(screen.getAllByTestId("env-item")[1]);
    await vi.waitFor(() => expect(main.scrollTop).toBe(0));
  });
});
