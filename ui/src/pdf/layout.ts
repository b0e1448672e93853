// Where the pages of a continuous vertical scroll sit, which of them a
// scroll position shows, which one counts as the current page, and the zoom
// steps and fit-to-width/page factors. Pure; sizes are CSS pixels.

export interface Size {
  width: number;
  height: number;
}

export interface Layout {
  /** Top edge of each page in the scroll content. */
  tops: number[];
  heights: number[];
  widths: number[];
  /** Height of the whole scroll content, padding included. */
  total: number;
  /** Widest page. */
  maxWidth: number;
}

/** Stacks pages with `gap` between them and `pad` above the first and below the last. */
export function computeLayout(sizes: readonly Size[], gap: number, pad: number): Layout {
  const tops: number[] = [];
  let y = pad;
  let maxWidth = 0;
  for (const s of sizes) {
    tops.push(y);
    y += s.height + gap;
    maxWidth = Math.max(maxWidth, s.width);
  }
  const total = sizes.length ? y - gap + pad : 2 * pad;
  return { tops, heights: sizes.map((s) => s.height), widths: sizes.map((s) => s.width), total, maxWidth };
}

/** The page whose box holds `y`, or the nearest one (the one below when `y` falls in a gap). */
export function pageAt(layout: Layout, y: number): number {
  const { tops, heights } = layout;
  if (tops.length === 0) return -1;
  let lo = 0;
  let hi = tops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  if (y > tops[lo] + heights[lo] && lo + 1 < tops.length) return lo + 1;
  return lo;
}

/** First and last page (0-based, inclusive) that intersect [top, bottom); null when none does. */
export function visibleRange(layout: Layout, top: number, bottom: number): [number, number] | null {
  const n = layout.tops.length;
  if (n === 0) return null;
  const first = pageAt(layout, top);
  if (layout.tops[first] + layout.heights[first] <= top || layout.tops[first] >= bottom) return null;
  let last = first;
  while (last + 1 < n && layout.tops[last + 1] < bottom) last++;
  return [first, last];
}

/**
 * The current page for a view of [top, bottom): the page that fills most of
 * the view; on a tie, the upper one. When the view reaches the end of the
 * content, the last page that shows is current, so that scrolling to the end
 * always lands on the last page.
 */
export function currentPage(layout: Layout, top: number, bottom: number): number {
  const range = visibleRange(layout, top, bottom);
  if (!range) return Math.max(0, pageAt(layout, top));
  const [first, last] = range;
  if (bottom >= layout.total - 1 && last === layout.tops.length - 1 && first !== last) {
    const lastTop = layout.tops[last];
    // The last page is current at the very end unless it is barely on screen.
    if (bottom - lastTop >= Math.min(layout.heights[last], bottom - top) / 3) return last;
  }
  let best = first;
  let bestShown = -1;
  for (let i = first; i <= last; i++) {
    const shown = Math.min(bottom, layout.tops[i] + layout.heights[i]) - Math.max(top, layout.tops[i]);
    if (shown > bestShown + 0.5) {
      best = i;
      bestShown = shown;
    }
  }
  return best;
}

/** A point of the content as a page and a fraction of that page's height, to come back to after a relayout. */
export interface Anchor {
  page: number;
  fraction: number;
}

export function anchorAt(layout: Layout, y: number): Anchor {
  const page = Math.max(0, pageAt(layout, y));
  const h = layout.heights[page] || 1;
  return { page, fraction: Math.min(1, Math.max(0, (y - layout.tops[page]) / h)) };
}

export function anchorY(layout: Layout, a: Anchor): number {
  if (!layout.tops.length) return 0;
  const page = Math.min(a.page, layout.tops.length - 1);
  return layout.tops[page] + a.fraction * layout.heights[page];
}

/** Zoom factors offered by the − and + buttons (1 = 100 %: 72 PDF points are one CSS inch). */
export const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5];
export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 8;

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

/** The next step above (dir 1) or below (dir −1) the zoom, skipping steps within 1 % of it. */
export function stepZoom(zoom: number, dir: 1 | -1): number {
  if (dir > 0) return ZOOM_STEPS.find((s) => s > zoom * 1.01) ?? clampZoom(zoom * 1.25);
  for (let i = ZOOM_STEPS.length - 1; i >= 0; i--) if (ZOOM_STEPS[i] < zoom / 1.01) return ZOOM_STEPS[i];
  return clampZoom(zoom / 1.25);
}

/** The zoom at which a page `pageWidth` CSS px wide at zoom 1 fills `available` px. */
export function fitWidthZoom(pageWidth: number, available: number): number {
  return clampZoom(available / Math.max(1, pageWidth));
}

/** The zoom at which a whole page fits in `availW` × `availH`. */
export function fitPageZoom(page: Size, availW: number, availH: number): number {
  return clampZoom(Math.min(availW / Math.max(1, page.width), availH / Math.max(1, page.height)));
}

/** Pages to draw around the visible range, and pages whose canvas may be kept. */
export function renderWindow(range: [number, number], count: number, ahead: number, keep: number): { draw: [number, number]; keep: [number, number] } {
  const [a, b] = range;
  return {
    draw: [Math.max(0, a - ahead), Math.min(count - 1, b + ahead)],
    keep: [Math.max(0, a - keep), Math.min(count - 1, b + keep)],
  };
}
