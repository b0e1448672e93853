// A page's text as pdf.js builds it: the text items' strings in order, each
// followed by a newline when the item ends a line (`hasEOL`). Offsets into
// this string are what selections, find hits and highlight context refer
// to. Pure.

export interface TextItemLike {
  str: string;
  hasEOL?: boolean;
}

export interface PageText {
  text: string;
  /** Offset in `text` where item i starts. */
  starts: number[];
}

/** Items without `str` (marked-content markers) are skipped, as the text layer skips them. */
export function buildPageText(items: readonly unknown[]): PageText {
  const starts: number[] = [];
  let text = "";
  for (const it of items) {
    if (!isTextItem(it)) continue;
    starts.push(text.length);
    text += it.str;
    if (it.hasEOL) text += "\n";
  }
  return { text, starts };
}

export function isTextItem(it: unknown): it is TextItemLike {
  return typeof it === "object" && it !== null && typeof (it as TextItemLike).str === "string";
}

/** The item holding `offset` (the last item starting at or before it). */
export function itemAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** True when the text has nothing but white space: a scanned page. */
export function isBlank(text: string): boolean {
  return !/\S/.test(text);
}

/** The quoted text with up to `chars` characters before and after it, for a TextQuote selector. */
export function textContext(text: string, start: number, end: number, chars = 32): { prefix: string; exact: string; suffix: string } {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  return { prefix: text.slice(Math.max(0, s - chars), s), exact: text.slice(s, e), suffix: text.slice(e, e + chars) };
}
