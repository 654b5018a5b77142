//! The window's keyboard shortcuts (App.svelte listens): Ctrl/Cmd+K the command palette,
//! Ctrl/Cmd+R (and F5) refresh the page instead of reloading the webview, Ctrl/Cmd+F the
//! page's filter box, Escape the topmost overlay (overlays.svelte.ts).

export type Shortcut = "palette" | "refresh" | "filter" | "escape";

/** Which shortcut `e` is, if any. Shift/Alt combinations are left to the page. */
export function shortcutOf(e: KeyboardEvent): Shortcut | null {
  if (e.key === "Escape") return "escape";
  if (e.key === "F5") return "refresh";
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || e.altKey || e.shiftKey) return null;
  switch (e.key.toLowerCase()) {
    case "k":
      return "palette";
    case "r":
      return "refresh";
    case "f":
      return "filter";
    default:
      return null;
  }
}

/** Shown, as far as styles say (works without layout, e.g. under jsdom). */
function shown(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (e.hasAttribute("hidden") || e.hasAttribute("inert")) return false;
    const s = getComputedStyle(e);
    if (s.display === "none" || s.visibility === "hidden") return false;
  }
  return true;
}

/**
 * Focuses (and selects the text of) the first shown `[data-filter]` element, inside the
 * topmost modal dialog when one is open; false when there is none.
 */
export function focusFirstFilter(doc: Document = document): boolean {
  const dialogs = doc.querySelectorAll('[role="dialog"][aria-modal="true"]');
  const scope: ParentNode = dialogs.length > 0 ? dialogs[dialogs.length - 1] : doc;
  for (const el of scope.querySelectorAll<HTMLElement>("[data-filter]")) {
    if ((el as HTMLInputElement).disabled || !shown(el)) continue;
    el.focus();
    if (el instanceof HTMLInputElement) el.select();
    return true;
  }
  return false;
}
