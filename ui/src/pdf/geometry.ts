// Page geometry for the PDF viewer: rectangles in PDF user space (points,
// y up), boxes in CSS pixels relative to a page's top-left corner, the affine
// maps between them (a pdf.js viewport's `transform`) and the merging of a
// selection's many small rectangles into one rectangle per line. Pure.

/** A rectangle in PDF user space: y grows upwards, x0 < x1 and y0 < y1. */
export interface PdfRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A box in CSS pixels relative to the page's top-left corner. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** An affine map [a, b, c, d, e, f]: (x, y) → (a·x + c·y + e, b·x + d·y + f). */
export type Matrix = readonly [number, number, number, number, number, number] | readonly number[];

export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export function invert(m: Matrix): [number, number, number, number, number, number] {
  const det = m[0] * m[3] - m[1] * m[2];
  if (det === 0) throw new Error("singular page transform");
  return [
    m[3] / det,
    -m[1] / det,
    -m[2] / det,
    m[0] / det,
    (m[2] * m[5] - m[3] * m[4]) / det,
    (m[1] * m[4] - m[0] * m[5]) / det,
  ];
}

/** The rectangle spanned by two corners, in either order. */
export function rectFrom(xa: number, ya: number, xb: number, yb: number): PdfRect {
  return { x0: Math.min(xa, xb), y0: Math.min(ya, yb), x1: Math.max(xa, xb), y1: Math.max(ya, yb) };
}

/**
 * A CSS box on a page → PDF user space, given the viewport transform that
 * maps PDF points to the page's CSS pixels (`viewport.transform`). Pages are
 * rotated by multiples of 90°, so an axis-aligned box stays axis-aligned.
 */
export function boxToPdf(box: Box, viewportTransform: Matrix): PdfRect {
  const inv = invert(viewportTransform);
  const [xa, ya] = apply(inv, box.left, box.top);
  const [xb, yb] = apply(inv, box.left + box.width, box.top + box.height);
  return rectFrom(xa, ya, xb, yb);
}

/** A PDF rectangle → a CSS box on the page at the viewport's scale. */
export function pdfToBox(rect: PdfRect, viewportTransform: Matrix): Box {
  const [xa, ya] = apply(viewportTransform, rect.x0, rect.y0);
  const [xb, yb] = apply(viewportTransform, rect.x1, rect.y1);
  return { left: Math.min(xa, xb), top: Math.min(ya, yb), width: Math.abs(xb - xa), height: Math.abs(yb - ya) };
}

/**
 * A PDF rectangle as percentages of the page box, from the transform of the
 * page's viewport at any scale and that viewport's size. Elements placed with
 * these percentages follow every zoom without being moved again.
 */
export function pdfToPercent(rect: PdfRect, viewportTransform: Matrix, width: number, height: number): Box {
  const b = pdfToBox(rect, viewportTransform);
  return { left: (100 * b.left) / width, top: (100 * b.top) / height, width: (100 * b.width) / width, height: (100 * b.height) / height };
}

/** A client rectangle (getBoundingClientRect, getClientRects) relative to a page's client rectangle. */
export function clientToBox(r: { left: number; top: number; width: number; height: number }, page: { left: number; top: number }): Box {
  return { left: r.left - page.left, top: r.top - page.top, width: r.width, height: r.height };
}

export function area(r: PdfRect): number {
  return Math.max(0, r.x1 - r.x0) * Math.max(0, r.y1 - r.y0);
}

export function union(a: PdfRect, b: PdfRect): PdfRect {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

export function contains(outer: PdfRect, inner: PdfRect, eps = 0.5): boolean {
  return inner.x0 >= outer.x0 - eps && inner.x1 <= outer.x1 + eps && inner.y0 >= outer.y0 - eps && inner.y1 <= outer.y1 + eps;
}

export function containsPoint(r: PdfRect, x: number, y: number): boolean {
  return x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1;
}

/** How much two rectangles overlap vertically, as a share of the shorter one's height (0..1). */
function verticalOverlap(a: PdfRect, b: PdfRect): number {
  const h = Math.min(a.y1 - a.y0, b.y1 - b.y0);
  if (h <= 0) return 0;
  return Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0)) / h;
}

/** The horizontal gap between two rectangles (negative when they overlap). */
function horizontalGap(a: PdfRect, b: PdfRect): number {
  return Math.max(a.x0, b.x0) - Math.min(a.x1, b.x1);
}

export interface MergeOptions {
  /** Rectangles thinner than this (points) in either direction are dropped. */
  minSize?: number;
  /** Two rectangles on a line are joined when the gap between them is at most this many line heights. */
  maxGap?: number;
  /** Rectangles are on the same line when they overlap vertically by at least this share of the shorter one. */
  minOverlap?: number;
}

/**
 * Merges a selection's rectangles into one per line and column: empty and
 * duplicate rectangles (a box inside another) go, rectangles on the same line
 * whose gap is small (word spaces, font changes) are joined; a gap as wide as
 * a column gutter keeps two columns apart. Result: top to bottom, then left
 * to right.
 */
export function mergeLines(rects: readonly PdfRect[], opts: MergeOptions = {}): PdfRect[] {
  const minSize = opts.minSize ?? 0.5;
  const maxGap = opts.maxGap ?? 0.9;
  const minOverlap = opts.minOverlap ?? 0.5;
  const kept = rects
    .map((r) => rectFrom(r.x0, r.y0, r.x1, r.y1))
    .filter((r) => r.x1 - r.x0 >= minSize && r.y1 - r.y0 >= minSize);
  // Largest first, so a box that holds others absorbs them.
  kept.sort((a, b) => area(b) - area(a));
  const unique: PdfRect[] = [];
  for (const r of kept) if (!unique.some((u) => contains(u, r))) unique.push(r);

  // Group into lines, top to bottom: a rectangle joins the line above it
  // when it overlaps the line's band enough.
  unique.sort((a, b) => b.y1 + b.y0 - (a.y1 + a.y0));
  const lines: { band: PdfRect; rects: PdfRect[] }[] = [];
  for (const r of unique) {
    const last = lines[lines.length - 1];
    if (last && verticalOverlap(last.band, r) >= minOverlap) {
      last.rects.push(r);
      last.band = union(last.band, r);
    } else {
      lines.push({ band: r, rects: [r] });
    }
  }
  // Within a line, left to right: join neighbours whose gap is small.
  const out: PdfRect[] = [];
  for (const line of lines) {
    line.rects.sort((a, b) => a.x0 - b.x0);
    let cur = line.rects[0];
    for (const r of line.rects.slice(1)) {
      const h = Math.max(cur.y1 - cur.y0, r.y1 - r.y0);
      if (horizontalGap(cur, r) <= maxGap * h) cur = union(cur, r);
      else {
        out.push(cur);
        cur = r;
      }
    }
    out.push(cur);
  }
  return out;
}
