//! "New workspace…" from anywhere (Settings, an error card, the command palette): opens the
//! sheet over whatever is on screen, and the workspace written opens in the app's
//! `Workspace` (the one `App.svelte` made). The sheet mounts itself, so no page has to host it.
import { mount, unmount } from "svelte";
import type { WorkspaceView } from "../../bindings/WorkspaceView";
import NewWorkspaceSheet from "./NewWorkspaceSheet.svelte";
import { activeWorkspace } from "./workspace.svelte";

let shown: ReturnType<typeof mount> | null = null;

/** Opens the "New workspace" sheet (once: a second call while it is open does nothing). */
export function openNewWorkspace(): void {
  if (shown) return;
  shown = mount(NewWorkspaceSheet, {
    target: document.body,
    props: { onclose: closeNewWorkspace, oncreated: created },
  });
}

export function closeNewWorkspace(): void {
  if (!shown) return;
  void unmount(shown);
  shown = null;
}

/** Whether the sheet is open (tests, the command palette). */
export function newWorkspaceOpen(): boolean {
  return shown !== null;
}

function created(view: WorkspaceView): void {
  closeNewWorkspace();
  activeWorkspace()?.opened(view);
}
