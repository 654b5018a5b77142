import { fireEvent, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../backend";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import { closeNewWorkspace, newWorkspaceOpen, openNewWorkspace } from "./new-workspace.svelte";
import { Workspace } from "./workspace.svelte";

vi.mock("../../backend", () => ({
  workspaceCheckNew: vi.fn(async () => ({ file: "/w/envdeck.toml", exists: false, problems: [] })),
  workspaceCreate: vi.fn(),
  environmentStatus: vi.fn(() => new Promise(() => {})),
  environmentDetail: vi.fn(() => new Promise(() => {})),
  cancelOperation: vi.fn(async () => null),
  pickNewWorkspaceFile: vi.fn(),
  pickSqliteFile: vi.fn(),
}));

const created: WorkspaceView = {
  path: "/w/envdeck.toml",
  name: "acme",
  is_demo: false,
  warnings: [],
  environments: [{ name: "dev", kind: "development", protected: false, app_url: null, database: { type: "url", display: "sqlite://dev.db" }, env_file: null }],
};

afterEach(() => closeNewWorkspace());

describe("openNewWorkspace", () => {
  it("shows the sheet over the page from anywhere, once, and Cancel closes it", async () => {
    openNewWorkspace();
    openNewWorkspace();
    expect(screen.getAllByTestId("new-workspace-sheet")).toHaveLength(1);
    expect(newWorkspaceOpen()).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("new-workspace-sheet")).toBeNull();
    expect(newWorkspaceOpen()).toBe(false);
  });

  it("opens the created workspace in the app and closes", async () => {
    vi.mocked(backend.workspaceCreate).mockResolvedValue(created);
    const ws = new Workspace();
    openNewWorkspace();
    await fireEvent.click(screen.getByTestId("create-workspace"));
    await vi.waitFor(() => expect(ws.view.status === "ok" && ws.view.value.path).toBe("/w/envdeck.toml"));
    expect(screen.queryByTestId("new-workspace-sheet")).toBeNull();
    expect(ws.selected).toEqual({ page: "env", env: "dev" });
  });
});
