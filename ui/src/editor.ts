// The note editor: CodeMirror 6 with Markdown, and `[[` completion of
// papers by citekey or title.

import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { markdown } from "@codemirror/lang-markdown";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, placeholder } from "@codemirror/view";
import type { PaperRef } from "./api";
import { openWikilink } from "./wikilink";

export interface NoteEditor {
  view: EditorView;
  setText(text: string): void;
  text(): string;
}

export function createEditor(
  parent: HTMLElement,
  onChange: (text: string) => void,
  complete: (query: string) => Promise<PaperRef[]>,
): NoteEditor {
  async function papers(ctx: CompletionContext): Promise<CompletionResult | null> {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const open = openWikilink(before);
    if (!open) return null;
    const found = await complete(open.query);
    const after = ctx.state.sliceDoc(ctx.pos, Math.min(line.to, ctx.pos + 2));
    return {
      from: line.from + open.from,
      filter: false,
      options: found.map((p) => ({
        label: p.citekey,
        detail: p.title.length > 70 ? p.title.slice(0, 69) + "…" : p.title,
        apply: after === "]]" ? p.citekey : `${p.citekey}]]`,
      })),
    };
  }
  let silent = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: "",
      extensions: [
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        markdown(),
        EditorView.lineWrapping,
        placeholder("Write a note in Markdown. Type [[ to link a paper."),
        autocompletion({ override: [papers], activateOnTyping: true }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !silent) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    setText(text: string) {
      silent = true;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      silent = false;
    },
    text: () => view.state.doc.toString(),
  };
}
