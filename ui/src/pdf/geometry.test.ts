import { apply, boxToPdf, invert, mergeLines, pdfToBox, pdfToPercent, rectFrom, clientToBox, type PdfRect } from "./geometry";

// pdf.js's viewport transform for an A4 page (595×842 pt, viewBox at 0,0)
// at scale s and rotation 0: x' = s·x, y' = s·(842 − y).
const a4 = (s: number) => [s, 0, 0, -s, 0, 842 * s];
// The same page rotated by 90°: x' = s·y, y' = s·x (pdf.js: [0, s, s, 0, 0, 0]).
const a4r90 = (s: number) => [0, s, s, 0, 0, 0];

describe("transforms", () => {
  it("inverts an affine map", () => {
    const m = [2, 0.5, -1, 3, 10, -4];
    const inv = invert(m);
    const [x, y] = apply(m, 7, -2);
    const [bx, by] = apply(inv, x, y);
    expect(bx).toBeCloseTo(7);
    expect(by).toBeCloseTo(-2);
  });

  it("converts a CSS box to PDF space with y up", () => {
    const r = boxToPdf({ left: 100, top: 50, width: 200, height: 20 }, a4(2));
    expect(r.x0).toBeCloseTo(50);
    expect(r.x1).toBeCloseTo(150);
    expect(r.y1).toBeCloseTo(842 - 25);
    expect(r.y0).toBeCloseTo(842 - 35);
  });

  it("round-trips PDF → CSS → PDF at any zoom and rotation", () => {
    const rect: PdfRect = { x0: 72, y0: 700, x1: 300, y1: 712 };
    for (const m of [a4(1), a4(1.3333), a4(3.7), a4r90(1.5)]) {
      const back = boxToPdf(pdfToBox(rect, m), m);
      expect(back.x0).toBeCloseTo(rect.x0);
      expect(back.y0).toBeCloseTo(rect.y0);
      expect(back.x1).toBeCloseTo(rect.x1);
      expect(back.y1).toBeCloseTo(rect.y1);
    }
  });

  it("places a rectangle in percentages that do not depend on the scale", () => {
    const rect: PdfRect = { x0: 59.5, y0: 421, x1: 119, y1: 842 };
    const p1 = pdfToPercent(rect, a4(1), 595, 842);
    const p3 = pdfToPercent(rect, a4(3), 595 * 3, 842 * 3);
    expect(p1.left).toBeCloseTo(10);
    expect(p1.top).toBeCloseTo(0);
    expect(p1.width).toBeCloseTo(10);
    expect(p1.height).toBeCloseTo(50);
    expect(p3).toEqual(p1);
  });

  it("takes client rectangles relative to the page", () => {
    expect(clientToBox({ left: 130, top: 90, width: 5, height: 6 }, { left: 100, top: 40 })).toEqual({ left: 30, top: 50, width: 5, height: 6 });
  });

  it("normalizes corners given in any order", () => {
    expect(rectFrom(5, 9, 1, 2)).toEqual({ x0: 1, y0: 2, x1: 5, y1: 9 });
  });
});

describe("mergeLines", () => {
  const r = (x0: number, y0: number, x1: number, y1: number): PdfRect => ({ x0, y0, x1, y1 });

  it("joins the words of one line", () => {
    const out = mergeLines([r(72, 700, 100, 710), r(103, 700, 140, 710), r(142, 699.5, 180, 710.5)]);
    expect(out).toEqual([r(72, 699.5, 180, 710.5)]);
  });

  it("keeps lines apart, top to bottom", () => {
    const out = mergeLines([r(72, 688, 200, 698), r(72, 700, 300, 710), r(72, 676, 150, 686)]);
    expect(out.map((x) => x.y1)).toEqual([710, 698, 686]);
  });

  it("keeps two columns apart on the same line", () => {
    // Left column ends at 290, right column starts at 305: a gutter of 15 pt on 10 pt text.
    const out = mergeLines([r(72, 700, 150, 710), r(152, 700, 290, 710), r(305, 700, 400, 710), r(403, 700, 520, 710)]);
    expect(out).toEqual([r(72, 700, 290, 710), r(305, 700, 520, 710)]);
  });

  it("handles a selection that runs from the bottom of one column to the top of the next", () => {
    const out = mergeLines([r(72, 100, 290, 110), r(72, 88, 200, 98), r(305, 740, 520, 750), r(305, 728, 520, 738)]);
    expect(out).toEqual([r(305, 740, 520, 750), r(305, 728, 520, 738), r(72, 100, 290, 110), r(72, 88, 200, 98)]);
  });

  it("drops empty and duplicate rectangles", () => {
    const out = mergeLines([r(72, 700, 72.1, 710), r(80, 700, 120, 700), r(72, 700, 200, 710), r(90, 701, 120, 709)]);
    expect(out).toEqual([r(72, 700, 200, 710)]);
  });

  it("keeps a superscript on its line", () => {
    const out = mergeLines([r(72, 700, 150, 710), r(150.5, 705, 154, 712), r(155, 700, 190, 710)]);
    expect(out).toEqual([r(72, 700, 190, 712)]);
  });

  it("returns nothing for nothing", () => {
    expect(mergeLines([])).toEqual([]);
  });
});
