//! A read-only, side-by-side JSON diff (CodeMirror 6 merge view). Loaded on demand, the first
//! time someone opens a diff, so CodeMirror stays out of the app's main chunk.
import { json } from "@codemirror/lang-json";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { MergeView } from "@codemirror/merge";
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

// Colours are CSS variables (app.css), so they follow light/dark without a reload.
const highlight = HighlightStyle.define([
  { tag: t.propertyName, color: "var(--cm-property)" },
  { tag: t.string, color: "var(--cm-string)" },
  { tag: t.number, color: "var(--cm-number)" },
  { tag: [t.bool, t.null], color: "var(--cm-keyword)" },
  { tag: [t.brace, t.squareBracket, t.separator, t.punctuation], color: "var(--cm-punct)" },
]);

const look = EditorView.theme({
  "&": {
    backgroundColor: "transparent",
    color: "var(--text)",
    fontSize: "12px",
  },
  ".cm-scroller": {
    fontFamily: "var(--font-mono)",
    lineHeight: "1.55",
  },
  ".cm-content": { padding: "6px 0", caretColor: "transparent" },
  ".cm-gutters": {
    backgroundColor: "var(--bg-subtle)",
    color: "var(--text-faint)",
    borderRight: "1px solid var(--border)",
  },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 8px 0 10px", minWidth: "34px" },
  "&.cm-focused": { outline: "none" },
  "&.cm-merge-a .cm-changedLine, .cm-deletedChunk": { backgroundColor: "var(--diff-del-line)" },
  "&.cm-merge-b .cm-changedLine, .cm-inlineChangedLine": { backgroundColor: "var(--diff-ins-line)" },
  "&.cm-merge-a .cm-changedText, .cm-deletedChunk .cm-deletedText": {
    background: "var(--diff-del-text)",
    borderRadius: "2px",
  },
  "&.cm-merge-b .cm-changedText": { background: "var(--diff-ins-text)", borderRadius: "2px" },
  "&.cm-merge-a .cm-changedLineGutter, .cm-deletedLineGutter": { background: "var(--err-dot)" },
  "&.cm-merge-b .cm-changedLineGutter": { background: "var(--ok-dot)" },
  ".cm-collapsedLines": {
    color: "var(--text-muted)",
    background: "var(--bg-subtle)",
    borderTop: "1px solid var(--border)",
    borderBottom: "1px solid var(--border)",
    fontFamily: "var(--font-ui)",
    fontSize: "11.5px",
    // The default ⦚ marks are missing from many system fonts.
    "&:before": { content: '"⋯"', marginInlineEnd: "8px" },
    "&:after": { content: '""', marginInlineStart: "0" },
    "&:hover": { color: "var(--accent)" },
  },
});

/** The `dark` flag picks CodeMirror's own dark or light base styles (selection, merge markers). */
const darkness = (dark: boolean) => EditorView.theme({}, { dark });

export type MergeHandle = { destroy(): void };

export function mountMergeView(parent: HTMLElement, a: string, b: string): MergeHandle {
  const media = window.matchMedia?.("(prefers-color-scheme: dark)");
  const scheme = new Compartment();
  const extensions = (): Extension => [
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    EditorView.lineWrapping,
    lineNumbers(),
    json(),
    syntaxHighlighting(highlight),
    look,
    scheme.of(darkness(media?.matches ?? false)),
  ];
  const view = new MergeView({
    parent,
    a: { doc: a, extensions: extensions() },
    b: { doc: b, extensions: extensions() },
    collapseUnchanged: { margin: 3, minSize: 6 },
    highlightChanges: true,
    gutter: true,
  });
  const follow = (e: MediaQueryListEvent) => {
    for (const editor of [view.a, view.b]) editor.dispatch({ effects: scheme.reconfigure(darkness(e.matches)) });
  };
  media?.addEventListener("change", follow);
  return {
    destroy() {
      media?.removeEventListener("change", follow);
      view.destroy();
    },
  };
}
