import { buildPageText, isBlank, itemAt, textContext } from "./text";

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
