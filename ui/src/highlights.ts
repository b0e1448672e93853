// Highlights over the abstract. The engine stores positions in Unicode
// characters (code points); the DOM counts UTF-16 units. These functions
// convert between the two and cut the text into segments for rendering.

export interface Mark {
  id: string;
  start: number; // code points
  end: number; // code points, exclusive
  color: string;
}

export interface Segment {
  text: string;
  /** Highlights covering this segment, innermost (latest) last. */
  ids: string[];
  color: string | null;
}

/** UTF-16 index of code point `cp` in `text`. */
export function cpToUtf16(text: string, cp: number): number {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (points >= cp) break;
    units += ch.length;
    points += 1;
  }
  return units;
}

/** Code-point index of UTF-16 index `u` in `text`. */
export function utf16ToCp(text: string, u: number): number {
  let units = 0;
  let points = 0;
  for (const ch of text) {
    if (units >= u) break;
    units += ch.length;
    points += 1;
  }
  return points;
}

/** Cuts `text` at every highlight boundary. */
export function toSegments(text: string, marks: Mark[]): Segment[] {
  const bounds = new Set<number>([0, text.length]);
  const spans = marks
    .map((m) => ({ ...m, s: cpToUtf16(text, m.start), e: cpToUtf16(text, m.end) }))
    .filter((m) => m.e > m.s);
  for (const m of spans) {
    bounds.add(m.s);
    bounds.add(m.e);
  }
  const cuts = [...bounds].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    if (b <= a) continue;
    const covering = spans.filter((m) => m.s <= a && m.e >= b);
    out.push({
      text: text.slice(a, b),
      ids: covering.map((m) => m.id),
      color: covering.length ? covering[covering.length - 1].color : null,
    });
  }
  return out;
}

/** Offsets (code points) of a DOM range inside `container`'s text, or null
 * when the range is empty or not inside the container. */
export function rangeOffsets(container: Node, range: Range): { start: number; end: number } | null {
  if (range.collapsed) return null;
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.selectNodeContents(container);
  before.setEnd(range.startContainer, range.startOffset);
  const startU = before.toString().length;
  const endU = startU + range.toString().length;
  const text = container.textContent ?? "";
  // Trim whitespace at the edges, as people select sloppily.
  let s = startU;
  let e = endU;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (e <= s) return null;
  return { start: utf16ToCp(text, s), end: utf16ToCp(text, e) };
}
