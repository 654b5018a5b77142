//! A read-only CodeMirror 6 view of a workflow's definition (JSON). Loaded on demand, the
//! first time a workflow drawer shows one, so CodeMirror stays out of the main chunk. Looks
//! like the compare screen's diff (same CSS variables, so it follows light and dark).
import { json } from "@codemirror/lang-json";
import { foldGutter, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { baseLook, highlight, themeFollower } from "../../codemirror";

const look = baseLook({
  "&": { backgroundColor: "transparent", color: "var(--text)", fontSize: "12px", maxHeight: "420px" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.55", overflow: "auto" },
});

export type ViewHandle = { destroy(): void };

export function mountDefinitionView(parent: HTMLElement, text: string): ViewHandle {
  const scheme = themeFollower();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
        EditorView.lineWrapping,
        lineNumbers(),
        foldGutter(),
        json(),
        syntaxHighlighting(highlight),
        look,
        scheme.extension,
      ],
    }),
  });
  const unfollow = scheme.follow([view]);
  return {
    destroy() {
      unfollow();
      view.destroy();
    },
  };
}
