import {
  REMEMBERED_PAGES,
  rememberPage, clampWidth, DEFAULT_PREFS, parsePrefs } from "./prefs";

describe("clampWidth", () => {
  it("keeps a width inside the range, rounded", () => {
    expect(clampWidth(250, 100, 400, 200)).toBe(250);
    expect(clampWidth(250.6, 100, 400, 200)).toBe(251);
  });

  it("clamps to min and max", () => {
    expect(clampWidth(20, 100, 400, 200)).toBe(100);
    expect(clampWidth(9999, 100, 400, 200)).toBe(400);
  });

  it("falls back for anything that is not a finite number", () => {
    for (const w of ["300", null, undefined, NaN, Infinity, {}]) {
      expect(clampWidth(w, 100, 400, 200)).toBe(200);
    }
  });
});

describe("parsePrefs", () => {
  it("returns the defaults for nothing stored", () => {
    expect(parsePrefs(null)).toEqual(DEFAULT_PREFS);
    expect(parsePrefs("")).toEqual(DEFAULT_PREFS);
  });

  it("returns the defaults for garbage", () => {
    expect(parsePrefs("{not json")).toEqual(DEFAULT_PREFS);
    expect(parsePrefs("42")).toEqual(DEFAULT_PREFS);
    expect(parsePrefs('"text"')).toEqual(DEFAULT_PREFS);
    expect(parsePrefs("[1,2]")).toEqual(DEFAULT_PREFS);
  });

  it("returns the defaults for a stored null", () => {
    expect(parsePrefs("null")).toEqual(DEFAULT_PREFS);
  });

  it("reads valid prefs", () => {
    const p = { sidebarWidth: 300, resultsWidth: 500, tab: "related", view: "pdf", pdfPages: { a: 3, b: 12 } };
    expect(parsePrefs(JSON.stringify(p))).toEqual(p);
  });

  it("clamps out-of-range widths", () => {
    expect(parsePrefs(JSON.stringify({ sidebarWidth: 10, resultsWidth: 5000, tab: "highlights" }))).toEqual({
      sidebarWidth: 150,
      resultsWidth: 700,
      tab: "highlights",
      view: "abstract",
      pdfPages: {},
    });
  });

  it("uses the default tab for an unknown one and defaults for missing fields", () => {
    expect(parsePrefs(JSON.stringify({ tab: "settings", sidebarWidth: 222 }))).toEqual({
      sidebarWidth: 222,
      resultsWidth: DEFAULT_PREFS.resultsWidth,
      tab: DEFAULT_PREFS.tab,
      view: "abstract",
      pdfPages: {},
    });
  });

  it("keeps only whole page numbers and forgets the oldest papers' pages", () => {
    expect(parsePrefs(JSON.stringify({ pdfPages: { a: 2, b: -1, c: 1.5, d: "4", e: 7 } })).pdfPages).toEqual({ a: 2, e: 7 });
    let pages: Record<string, number> = {};
    for (let i = 0; i < REMEMBERED_PAGES + 10; i++) pages = rememberPage(pages, `p${i}`, i + 1);
    expect(Object.keys(pages).length).toBe(REMEMBERED_PAGES);
    expect(pages.p0).toBeUndefined();
    pages = rememberPage(pages, "p20", 99);
    expect(Object.keys(pages).at(-1)).toBe("p20");
    expect(pages.p20).toBe(99);
  });
});
