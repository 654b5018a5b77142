import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RecentWorkspace } from "../../bindings/RecentWorkspace";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import Sidebar from "./Sidebar.svelte";

const workspace: WorkspaceView = { path: "/p/acme/envdeck.toml", name: "acme", is_demo: false, warnings: [], environments: [] };

function renderSidebar(recent: RecentWorkspace[]) {
  const onopenrecent = vi.fn();
  render(Sidebar, { workspace, statuses: {}, selected: { page: "settings" }, recent, onselect: vi.fn(), onopen: vi.fn(), onopenrecent });
  return onopenrecent;
}

describe("Sidebar's recent workspaces", () => {
  afterEach(() => document.body.replaceChildren());

  it("lists the others opened lately, newest first, and opens one on click", async () => {
    const open = renderSidebar([
      { path: workspace.path, name: "acme", missing: false },
      { path: "/p/globex/envdeck.toml", name: "globex", missing: false },
      { path: "/p/initech/envdeck.toml", name: "initech", missing: false },
    ]);
    const group = screen.getByRole("group", { name: "Recent workspaces" });
    const items = within(group).getAllByTestId("recent-workspace");
    // The open one is not offered again.
    expect(items.map((i) => i.textContent?.trim())).toEqual(["globex", "initech"]);
    expect(items[0]).toHaveAttribute("title", "/p/globex/envdeck.toml");
    await fireEvent.click(items[1]);
    expect(open).toHaveBeenCalledWith("/p/initech/envdeck.toml");
  });

  it("shows a workspace whose file is gone as missing, not as an error, and does not open it", async () => {
    const open = renderSidebar([{ path: "/gone/envdeck.toml", name: "old-shop", missing: true }]);
    const item = screen.getByTestId("recent-workspace");
    expect(item).toHaveTextContent("old-shop");
    expect(item).toHaveTextContent("missing");
    expect(item).toBeDisabled();
    await fireEvent.click(item);
    expect(open).not.toHaveBeenCalled();
    expect(screen.queryByTestId("error-card")).toBeNull();
  });

  it("has no section when nothing else was opened", () => {
    renderSidebar([{ path: workspace.path, name: "acme", missing: false }]);
    expect(screen.queryByTestId("recent-workspaces")).toBeNull();
  });
});
