// Everything that came from a paper or a note reaches the page through
// here. Paper text is set as text (never as HTML); the engine's snippets
// become text nodes and <b> elements (snippet.ts); the Markdown preview is
// HTML, so it passes through DOMPurify with a short allow-list first.

import DOMPurify from "dompurify";
import { Marked } from "marked";

const NOTE_TAGS = [
  "a", "p", "br", "hr", "strong", "em", "b", "i", "del", "code", "pre", "blockquote",
  "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
  "tr", "th", "td", "span",
];

/** Rendered Markdown of a note: structure and links, nothing active. */
export function sanitizeNote(html: string): string {
  return DOMPurify.sanitize(html, {
    ALLOWED_TAGS: NOTE_TAGS,
    ALLOWED_ATTR: ["href", "class", "data-paper", "title"],
    ALLOWED_URI_REGEXP: /^(?:https?:|#)/i,
  });
}

function escapeAttr(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

const WIKILINK = /^\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]/;

const marked = new Marked({
  gfm: true,
  breaks: true,
  extensions: [
    {
      name: "wikilink",
      level: "inline",
      start(src: string) {
        const i = src.indexOf("[[");
        return i < 0 ? undefined : i;
      },
      tokenizer(src: string) {
        const m = WIKILINK.exec(src);
        if (!m) return undefined;
        return { type: "wikilink", raw: m[0], key: m[1].trim(), label: (m[2] ?? m[1]).trim() };
      },
      renderer(token) {
        const t = token as unknown as { key: string; label: string };
        return `<a class="wikilink" href="#" data-paper="${escapeAttr(t.key)}">${escapeAttr(t.label)}</a>`;
      },
    },
  ],
});

/** Markdown (with [[citekey]] and [[citekey|label]] links) to safe HTML. */
export function renderNote(markdown: string): string {
  const html = marked.parse(markdown, { async: false }) as string;
  return sanitizeNote(html);
}
