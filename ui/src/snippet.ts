// Engine snippets and highlighted titles arrive as plain-text pieces, each
// matched or not (MarkedText in the bindings). They become text nodes and
// <b> elements directly: no HTML parser runs, so nothing in a paper can
// become markup, and it is cheap enough for every keystroke.

import type { MarkedText } from "./api";

/** A fragment of text nodes, and <b> elements for the matched pieces. */
export function snippetFragment(marked: MarkedText): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const piece of marked) {
    if (piece.matched) {
      const b = document.createElement("b");
      b.textContent = piece.text;
      frag.appendChild(b);
    } else {
      frag.appendChild(document.createTextNode(piece.text));
    }
  }
  return frag;
}
