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

/** Where a text item sits on the page, in PDF user space. */
export interface ItemGeometry {
  /** The item's text matrix: origin (e, f) at the start of its baseline. */
  transform: readonly number[];
  /** Advance of the whole item. */
  width: number;
  /** The font's ascent and descent as fractions of the font size (descent ≤ 0). */
  ascent: number;
  descent: number;
}

/** Geometry of the text items (same order and filter as `buildPageText`), with font metrics from the text content's styles. */
export function itemGeometry(items: readonly unknown[], styles: Record<string, { ascent?: number; descent?: number }>): ItemGeometry[] {
  const out: ItemGeometry[] = [];
  for (const it of items) {
    if (!isTextItem(it)) continue;
    const t = it as TextItemLike & { transform?: number[]; width?: number; fontName?: string };
    const style = (t.fontName && styles[t.fontName]) || {};
    const ascent = typeof style.ascent === "number" && style.ascent > 0.3 ? Math.min(style.ascent, 1.2) : 0.8;
    const descent = typeof style.descent === "number" && style.descent < 0 ? Math.max(style.descent, -0.5) : -0.2;
    out.push({ transform: t.transform ?? [1, 0, 0, 1, 0, 0], width: t.width ?? 0, ascent, descent });
  }
  return out;
}

/**
 * The rectangle of part of an upright, left-to-right item: `from` and `to`
 * are fractions (0..1) of its advance; vertically it spans the font's
 * descent to ascent. Null for rotated or skewed text, where the caller falls
 * back to what the page shows.
 */
export function itemRect(g: ItemGeometry, from: number, to: number): { x0: number; y0: number; x1: number; y1: number } | null {
  const [a, b, c, d, e, f] = g.transform;
  if (Math.abs(b) > 1e-6 || Math.abs(c) > 1e-6 || a <= 0 || d <= 0 || g.width <= 0) return null;
  const lo = Math.max(0, Math.min(1, Math.min(from, to)));
  const hi = Math.max(0, Math.min(1, Math.max(from, to)));
  return { x0: e + lo * g.width, y0: f + g.descent * d, x1: e + hi * g.width, y1: f + g.ascent * d };
}
