import { clampWidth, DEFAULT_PREFS, parsePrefs } from "./prefs";

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
    const p = { sidebarWidth: 300, resultsWidth: 500, tab: "related" };
    expect(parsePrefs(JSON.stringify(p))).toEqual(p);
  });

  it("clamps out-of-range widths", () => {
    expect(parsePrefs(JSON.stringify({ sidebarWidth: 10, resultsWidth: 5000, tab: "highlights" }))).toEqual({
      sidebarWidth: 150,
      resultsWidth: 700,
      tab: "highlights",
    });
  });

  it("uses the default tab for an unknown one and defaults for missing fields", () => {
    expect(parsePrefs(JSON.stringify({ tab: "settings", sidebarWidth: 222 }))).toEqual({
      sidebarWidth: 222,
      resultsWidth: DEFAULT_PREFS.resultsWidth,
      tab: DEFAULT_PREFS.tab,
    });
  });
});
