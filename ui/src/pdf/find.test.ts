import { compileQuery, findInText, firstHitFrom, foldText, hitLabel, normalizeQuery, stepHit } from "./find";
import { buildPageText } from "./text";

const slice = (text: string, ms: { start: number; end: number }[]) => ms.map((m) => text.slice(m.start, m.end));

describe("find", () => {
  it("ignores case and accents", () => {
    const t = "Résumé of the RESUME and résumé";
    expect(slice(t, findInText(t, "resume"))).toEqual(["Résumé", "RESUME", "résumé"]);
  });

  it("tolerates white space across text items", () => {
    const { text } = buildPageText([
      { str: "the gradient", hasEOL: true },
      { str: "descent and gradient", hasEOL: false },
      { str: "descent", hasEOL: false },
    ]);
    expect(slice(text, findInText(text, "gradient descent"))).toEqual(["gradient\ndescent", "gradientdescent"]);
    expect(findInText(text, "  GRADIENT   DESCENT ")).toHaveLength(2);
  });

  it("finds a word hyphenated at a line break", () => {
    const { text } = buildPageText([
      { str: "ends with a hyphen- ", hasEOL: true },
      { str: "ated word", hasEOL: false },
    ]);
    expect(slice(text, findInText(text, "hyphenated"))).toEqual(["hyphen- \nated"]);
    expect(findInText(text, "hyphen-ated")).toHaveLength(1);
    // A hyphen inside a line stays a hyphen.
    expect(findInText("well-known", "well-known")).toHaveLength(1);
    expect(findInText("well-known", "wellknown")).toHaveLength(0);
  });

  it("maps matches back through ligatures and expansions", () => {
    const t = "the ﬁrst ﬁnding";
    expect(slice(t, findInText(t, "first"))).toEqual(["ﬁrst"]);
    expect(slice(t, findInText(t, "fi"))).toEqual(["ﬁ", "ﬁ"]);
  });

  it("reports non-overlapping matches in order", () => {
    expect(findInText("aaaa", "aa")).toEqual([{ start: 0, end: 2 }, { start: 2, end: 4 }]);
  });

  it("treats regular-expression characters literally", () => {
    expect(findInText("cost (a+b)*c [1]", "(a+b)*c [1]")).toHaveLength(1);
    expect(findInText("a.c abc", "a.c")).toEqual([{ start: 0, end: 3 }]);
  });

  it("has nothing to find for an empty query", () => {
    expect(compileQuery("   ")).toBeNull();
    expect(findInText("abc", "")).toEqual([]);
    expect(normalizeQuery("  Foo \n Bar ")).toBe("foo bar");
  });

  it("folds text with its offsets", () => {
    const f = foldText("A  b");
    expect(f.s).toBe("a b");
    expect(f.from).toEqual([0, 1, 3]);
    expect(f.to).toEqual([1, 3, 4]);
  });

  it("steps through hits", () => {
    const hits = [{ page: 0, start: 0, end: 1 }, { page: 2, start: 0, end: 1 }, { page: 5, start: 0, end: 1 }];
    expect(firstHitFrom(hits, 1)).toBe(1);
    expect(firstHitFrom(hits, 6)).toBe(0);
    expect(firstHitFrom([], 0)).toBe(-1);
    expect(stepHit(2, 3, 1)).toBe(0);
    expect(stepHit(0, 3, -1)).toBe(2);
    expect(hitLabel(2, 12)).toBe("3 of 12");
    expect(hitLabel(-1, 0)).toBe("No matches");
  });
});
