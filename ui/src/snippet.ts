// Engine snippets and highlighted titles are HTML-escaped text with matched
// words wrapped in <b>…</b>. They are turned into text nodes and <b>
// elements directly: no HTML parser runs, so nothing in a paper can become
// markup, and it is cheap enough for every keystroke.

const ENTITIES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&#x27;": "'",
};

/** Undoes the engine's escaping of `& < > " '`. */
export function unescapeHtml(s: string): string {
  return s.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (m) => ENTITIES[m] ?? m);
}

/** Text and bold parts of a snippet, in order. */
export function snippetParts(html: string): { text: string; bold: boolean }[] {
  const parts: { text: string; bold: boolean }[] = [];
  let bold = false;
  for (const piece of html.split(/(<\/?b>)/)) {
    if (piece === "<b>") bold = true;
    else if (piece === "</b>") bold = false;
    else if (piece) parts.push({ text: unescapeHtml(piece), bold });
  }
  return parts;
}

/** A fragment of text nodes and <b> elements for `html`. */
export function snippetFragment(html: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const part of snippetParts(html)) {
    if (part.bold) {
      const b = document.createElement("b");
      b.textContent = part.text;
      frag.appendChild(b);
    } else {
      frag.appendChild(document.createTextNode(part.text));
    }
  }
  return frag;
}
