//! A read-only, side-by-side JSON diff (CodeMirror 6 merge view). Loaded on demand, the first
//! time someone opens a diff, so CodeMirror stays out of the app's main chunk.
import { json } from "@codemirror/lang-json";
import { syntaxHighlighting } from "@codemirror/language";
import { MergeView } from "@codemirror/merge";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { baseLook, highlight, themeFollower } from "../../codemirror";

// Colours are CSS variables (app.css), so they follow light/dark without a reload.
const look = baseLook({
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

export type MergeHandle = { destroy(): void };

export function mountMergeView(parent: HTMLElement, a: string, b: string): MergeHandle {
  // The `dark` flag picks CodeMirror's own dark or light base styles (selection, markers).
  const scheme = themeFollower();
  const extensions = (): Extension => [
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    EditorView.lineWrapping,
    lineNumbers(),
    json(),
    syntaxHighlighting(highlight),
    look,
    scheme.extension,
  ];
  const view = new MergeView({
    parent,
    a: { doc: a, extensions: extensions() },
    b: { doc: b, extensions: extensions() },
    collapseUnchanged: { margin: 3, minSize: 6 },
    highlightChanges: true,
    gutter: true,
  });
  const unfollow = scheme.follow([view.a, view.b]);
  return {
    destroy() {
      unfollow();
      view.destroy();
    },
  };
}
