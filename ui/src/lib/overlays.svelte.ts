//! Escape closes the topmost overlay (a dialog, drawer, sheet or pop-over), and only that one.
//! Overlays register here (`use:overlay={close}` or `pushOverlay`); modal dialogs that do not
//! (the Sheet-based sheets) are closed through their own Close button (`aria-label="Close"`
//! or `data-overlay-close`), so a sheet that hides that button while it works (an apply
//! running) is not closed by Escape either. An element that handles Escape itself calls
//! `preventDefault()`, and nothing else closes.

type Entry = { el: Element; close: () => void };

const stack: Entry[] = [];
let count = $state(0);

/** Registers an open overlay rooted at `el`; the returned function unregisters it. */
export function pushOverlay(el: Element, close: () => void): () => void {
  const entry = { el, close };
  stack.push(entry);
  count = stack.length;
  return () => {
    const i = stack.indexOf(entry);
    if (i >= 0) stack.splice(i, 1);
    count = stack.length;
  };
}

/** Svelte action: `<div use:overlay={onclose}>` is an overlay while it is mounted. */
export function overlay(el: Element, close: () => void) {
  let current = close;
  const remove = pushOverlay(el, () => current());
  return {
    update(next: () => void) {
      current = next;
    },
    destroy: remove,
  };
}

/** How many overlays registered here are open. */
export function openOverlays(): number {
  return count;
}

const UNREGISTERED = '[role="dialog"][aria-modal="true"]';
const CLOSE_BUTTON = 'button[aria-label="Close"]:not(:disabled), [data-overlay-close]:not(:disabled)';

/** Later in the document is on top: sheets and pop-overs are rendered after what they cover. */
function above(a: Element, b: Element): boolean {
  return (b.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
}

/** Closes the topmost overlay; false when there is none (or it cannot be closed now). */
export function closeTopOverlay(doc: Document = document): boolean {
  type Candidate = { el: Element; close: (() => void) | null };
  const candidates: Candidate[] = stack.filter((e) => e.el.isConnected).map((e) => ({ el: e.el, close: e.close }));
  for (const el of doc.querySelectorAll(UNREGISTERED)) {
    if (stack.some((e) => e.el === el || e.el.contains(el))) continue;
    const button = [...el.querySelectorAll<HTMLElement>(CLOSE_BUTTON)].find((b) => b.closest(UNREGISTERED) === el);
    candidates.push({ el, close: button ? () => button.click() : null });
  }
  if (candidates.length === 0) return false;
  // Registered last wins a tie (an overlay inside another one is above it).
  let top = candidates[0];
  for (const c of candidates.slice(1)) if (above(c.el, top.el) || c.el === top.el || top.el.contains(c.el)) top = c;
  if (!top.close) return false;
  top.close();
  return true;
}
