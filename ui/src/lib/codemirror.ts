//! What envdeck's read-only CodeMirror views share: JSON colours and the base look (CSS
//! variables from app.css), and a dark flag that follows the window's theme setting
//! (`<html data-theme>`), so CodeMirror's own selection and marker styles match it.
//! Imported only by the lazily loaded views, so CodeMirror stays out of the main chunk.
import { HighlightStyle } from "@codemirror/language";
import { Compartment, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

export const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: "var(--cm-property)" },
  { tag: t.string, color: "var(--cm-string)" },
  { tag: t.number, color: "var(--cm-number)" },
  { tag: [t.bool, t.null], color: "var(--cm-keyword)" },
  { tag: [t.brace, t.squareBracket, t.separator, t.punctuation], color: "var(--cm-punct)" },
]);

/** The base look; `extra` adds or overrides rules (the merge view's change colours). */
export const baseLook = (extra: Parameters<typeof EditorView.theme>[0] = {}) =>
  EditorView.theme({
    "&": { backgroundColor: "transparent", color: "var(--text)", fontSize: "12px" },
    ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.55" },
    ".cm-content": { padding: "6px 0", caretColor: "transparent" },
    ".cm-gutters": {
      backgroundColor: "var(--bg-subtle)",
      color: "var(--text-faint)",
      borderRight: "1px solid var(--border)",
    },
    ".cm-lineNumbers .cm-gutterElement": { padding: "0 8px 0 10px", minWidth: "34px" },
    "&.cm-focused": { outline: "none" },
    ...extra,
  });

/** The window's theme as shown now: the setting's `data-theme`, else the system's. */
export function windowIsDark(): boolean {
  const chosen = document.documentElement.dataset.theme;
  if (chosen) return chosen === "dark";
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}

const darkness = (dark: boolean) => EditorView.theme({}, { dark });

/**
 * CodeMirror's dark flag, following the window's theme: put `extension` in each view's
 * extensions, then `follow(views)` reconfigures them whenever `data-theme` changes; the
 * function it answers stops following.
 */
export function themeFollower(): { extension: Extension; follow(views: EditorView[]): () => void } {
  const scheme = new Compartment();
  return {
    extension: scheme.of(darkness(windowIsDark())),
    follow(views) {
      const update = () => {
        for (const v of views) v.dispatch({ effects: scheme.reconfigure(darkness(windowIsDark())) });
      };
      const observer = new MutationObserver(update);
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
      return () => observer.disconnect();
    },
  };
}
