import { buildPageText, isBlank, itemAt, itemGeometry, itemRect, textContext } from "./text";

describe("page text", () => {
  const items = [
    { str: "Attention is", hasEOL: false },
    { str: " all you", hasEOL: true },
    { type: "beginMarkedContent" },
    { str: "need.", hasEOL: true },
    { str: "", hasEOL: false },
    { str: "Next", hasEOL: false },
  ];

  it("joins item strings with newlines at line ends", () => {
    const t = buildPageText(items);
    expect(t.text).toBe("Attention is all you\nneed.\nNext");
    expect(t.starts).toEqual([0, 12, 21, 27, 27]);
  });

  it("finds the item at an offset", () => {
    const { starts } = buildPageText(items);
    expect(itemAt(starts, 0)).toBe(0);
    expect(itemAt(starts, 13)).toBe(1);
    expect(itemAt(starts, 20)).toBe(1); // the newline belongs to the item that ends the line
    expect(itemAt(starts, 27)).toBe(4); // empty items share the offset of the next one
    expect(itemAt([], 3)).toBe(-1);
  });

  it("gives context around a quote", () => {
    expect(textContext("abcdefghij", 3, 5, 2)).toEqual({ prefix: "bc", exact: "de", suffix: "fg" });
    expect(textContext("abc", 0, 3, 5)).toEqual({ prefix: "", exact: "abc", suffix: "" });
  });

  it("knows a blank page", () => {
    expect(isBlank(" \n ")).toBe(true);
    expect(isBlank("")).toBe(true);
    expect(isBlank(" a")).toBe(false);
  });
});

describe("item geometry", () => {
  const styles = { F1: { ascent: 0.9, descent: -0.25 }, F2: { ascent: 0, descent: 0 } };
  const items = [
    { str: "Hello", hasEOL: false, transform: [10, 0, 0, 10, 72, 700], width: 30, fontName: "F1" },
    { type: "beginMarkedContent" },
    { str: "rot", hasEOL: false, transform: [0, 10, -10, 0, 100, 100], width: 20, fontName: "F2" },
  ];

  it("follows the text items and fills in missing metrics", () => {
    const g = itemGeometry(items, styles);
    expect(g).toHaveLength(2);
    expect(g[0]).toMatchObject({ width: 30, ascent: 0.9, descent: -0.25 });
    expect(g[1]).toMatchObject({ ascent: 0.8, descent: -0.2 });
  });

  it("places part of an upright item from its advance and font metrics", () => {
    const [g] = itemGeometry(items, styles);
    expect(itemRect(g, 0, 1)).toEqual({ x0: 72, y0: 697.5, x1: 102, y1: 709 });
    expect(itemRect(g, 0.2, 0.6)).toEqual({ x0: 78, y0: 697.5, x1: 90, y1: 709 });
    expect(itemRect(g, -1, 2)).toEqual({ x0: 72, y0: 697.5, x1: 102, y1: 709 });
  });

  it("leaves rotated text to the caller", () => {
    const g = itemGeometry(items, styles);
    expect(itemRect(g[1], 0, 1)).toBeNull();
  });
});
