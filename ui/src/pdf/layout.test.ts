import { anchorAt, anchorY, computeLayout, currentPage, fitPageZoom, fitWidthZoom, pageAt, renderWindow, stepZoom, visibleRange } from "./layout";

// Ten pages 800 px high, 10 px apart, 20 px padding: page i spans [20 + 810 i, 820 + 810 i).
const sizes = Array.from({ length: 10 }, () => ({ width: 600, height: 800 }));
const L = computeLayout(sizes, 10, 20);

describe("layout", () => {
  it("stacks pages", () => {
    expect(L.tops.slice(0, 3)).toEqual([20, 830, 1640]);
    expect(L.total).toBe(20 + 10 * 800 + 9 * 10 + 20);
    expect(L.maxWidth).toBe(600);
  });

  it("handles pages of different sizes", () => {
    const l = computeLayout([{ width: 600, height: 800 }, { width: 800, height: 600 }, { width: 600, height: 800 }], 10, 0);
    expect(l.tops).toEqual([0, 810, 1420]);
    expect(l.maxWidth).toBe(800);
  });

  it("finds the page at a point; a gap belongs to the page below", () => {
    expect(pageAt(L, 0)).toBe(0);
    expect(pageAt(L, 500)).toBe(0);
    expect(pageAt(L, 825)).toBe(1);
    expect(pageAt(L, 1000)).toBe(1);
    expect(pageAt(L, 1e9)).toBe(9);
  });

  it("lists the visible pages", () => {
    expect(visibleRange(L, 0, 700)).toEqual([0, 0]);
    expect(visibleRange(L, 700, 1500)).toEqual([0, 1]);
    expect(visibleRange(L, 700, 2500)).toEqual([0, 3]);
    expect(visibleRange(computeLayout([], 10, 20), 0, 100)).toBeNull();
  });

  it("takes the page filling most of the view as current", () => {
    expect(currentPage(L, 0, 700)).toBe(0);
    expect(currentPage(L, 500, 1200)).toBe(1); // 320 px of page 1, 370 of page 2
    expect(currentPage(L, 300, 1000)).toBe(0);
    expect(currentPage(L, 2 * 810 + 20, 2 * 810 + 820)).toBe(2);
  });

  it("makes the last page current at the end of the content", () => {
    const end = L.total;
    // A tall view at the end: page 8 fills more of it, but the end was reached.
    expect(currentPage(L, end - 1000, end)).toBe(9);
  });

  it("keeps a point through a zoom", () => {
    const a = anchorAt(L, 830 + 400);
    expect(a).toEqual({ page: 1, fraction: 0.5 });
    const zoomed = computeLayout(sizes.map((s) => ({ width: s.width * 2, height: s.height * 2 })), 10, 20);
    expect(anchorY(zoomed, a)).toBe(20 + 1610 + 800);
  });

  it("steps the zoom", () => {
    expect(stepZoom(1, 1)).toBe(1.1);
    expect(stepZoom(1, -1)).toBe(0.9);
    expect(stepZoom(1.17, 1)).toBe(1.25);
    expect(stepZoom(1.17, -1)).toBe(1.1);
    expect(stepZoom(5, 1)).toBeCloseTo(6.25);
    expect(stepZoom(0.25, -1)).toBeCloseTo(0.2);
  });

  it("fits width and page", () => {
    expect(fitWidthZoom(800, 1000)).toBeCloseTo(1.25);
    expect(fitPageZoom({ width: 800, height: 1000 }, 1000, 500)).toBeCloseTo(0.5);
  });

  it("draws around the view and keeps a little more", () => {
    expect(renderWindow([3, 4], 10, 1, 3)).toEqual({ draw: [2, 5], keep: [0, 7] });
    expect(renderWindow([9, 9], 10, 1, 3)).toEqual({ draw: [8, 9], keep: [6, 9] });
  });
});
