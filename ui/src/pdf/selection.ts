// Turns text-layer ranges into page geometry: the document selection split
// per page (it may cross page breaks) with its rectangles in PDF space
// merged per line, its text and its offsets in the page text; and the
// rectangles of a range of page-text offsets, for find hits.

import { boxToPdf, clientToBox, mergeLines, type Matrix, type PdfRect } from "./geometry";
import { itemAt, itemRect, type ItemGeometry, type PageText } from "./text";

/** What a page offers for this: its box, its text layer's spans and its text. */
export interface TextPage {
  index: number;
  div: HTMLElement;
  textDivs: readonly HTMLElement[];
  text: PageText;
  /** Geometry of each text item, aligned with `textDivs`. */
  items: readonly ItemGeometry[];
  /** The viewport transform at the scale the page box is shown at. */
  transform: Matrix;
}

export interface SelectionTarget {
  /** 1-based page number. */
  page: number;
  /** The selected text's rectangles in PDF user space, one per line and column. */
  rects: PdfRect[];
  /** The selected text as it is in the page text (`pageText(page).slice(start, end)`). */
  text: string;
  /** Offsets of the selection in the page text. */
  start: number;
  end: number;
}

/** The text node of an item's span, if any. */
function textNode(div: HTMLElement | undefined): Text | null {
  const n = div?.firstChild;
  return n && n.nodeType === Node.TEXT_NODE ? (n as Text) : null;
}

/**
 * The rectangles of part of item i's text node, in PDF space of the page.
 * For upright text the page only says which share of the item is covered;
 * the rectangle itself comes from the item's position, advance and font
 * metrics, so it sits on the printed glyphs at any zoom. Other text takes
 * the client rectangles as they are.
 */
function rectsOf(page: TextPage, i: number, node: Text, from: number, to: number, origin: DOMRect): PdfRect[] {
  const r = document.createRange();
  r.setStart(node, from);
  r.setEnd(node, to);
  const rects = Array.from(r.getClientRects())
    .filter((c) => c.width > 0 && c.height > 0)
    .map((c) => boxToPdf(clientToBox(c, origin), page.transform));
  const g = page.items[i];
  if (g && rects.length > 0) {
    // Upright text runs along PDF x, whatever the page's rotation on screen.
    const span = boxToPdf(clientToBox(page.textDivs[i].getBoundingClientRect(), origin), page.transform);
    const w = span.x1 - span.x0;
    if (w > 0) {
      const fx0 = from === 0 ? 0 : (Math.min(...rects.map((c) => c.x0)) - span.x0) / w;
      const fx1 = to >= node.length ? 1 : (Math.max(...rects.map((c) => c.x1)) - span.x0) / w;
      const rect = itemRect(g, fx0, fx1);
      if (rect) return [rect];
    }
  }
  return rects;
}

/** Which part [from, to) of a text node a range covers, or null when none. */
export function coveredPart(range: Range, node: Text): [number, number] | null {
  if (!range.intersectsNode(node)) return null;
  let from = 0;
  let to = node.length;
  if (range.startContainer === node) from = range.startOffset;
  else if (range.comparePoint(node, 0) < 0) return null;
  if (range.endContainer === node) to = range.endOffset;
  return to > from ? [from, to] : null;
}

/** The selection in these pages, page by page; null when nothing is selected in them. */
export function selectionTargets(range: Range | null, pages: readonly TextPage[]): SelectionTarget[] | null {
  if (!range || range.collapsed) return null;
  const out: SelectionTarget[] = [];
  for (const page of pages) {
    if (!range.intersectsNode(page.div)) continue;
    const origin = page.div.getBoundingClientRect();
    let start = -1;
    let end = -1;
    const rects: PdfRect[] = [];
    page.textDivs.forEach((div, i) => {
      const node = textNode(div);
      if (!node || !div.isConnected) return;
      const part = coveredPart(range, node);
      if (!part) return;
      const base = page.text.starts[i];
      if (start < 0) start = base + part[0];
      end = base + part[1];
      rects.push(...rectsOf(page, i, node, part[0], part[1], origin));
    });
    if (start < 0 || end <= start) continue;
    out.push({ page: page.index + 1, rects: mergeLines(rects), text: page.text.text.slice(start, end), start, end });
  }
  return out.length ? out : null;
}

/** The rectangles, merged per line, of the page text between two offsets. */
export function textRangeRects(page: TextPage, start: number, end: number): PdfRect[] {
  const { starts, text } = page.text;
  if (end <= start || starts.length === 0) return [];
  const origin = page.div.getBoundingClientRect();
  const rects: PdfRect[] = [];
  for (let i = Math.max(0, itemAt(starts, start)); i < starts.length && starts[i] < end; i++) {
    const node = textNode(page.textDivs[i]);
    if (!node) continue;
    const itemEnd = i + 1 < starts.length ? starts[i + 1] : text.length;
    const from = Math.max(start, starts[i]) - starts[i];
    const to = Math.min(end, itemEnd, starts[i] + node.length) - starts[i];
    if (to > from) rects.push(...rectsOf(page, i, node, from, to, origin));
  }
  return mergeLines(rects);
}
