import { cpToUtf16, rangeOffsets, toSegments, utf16ToCp, type Mark } from "./highlights";

// "a😀b𝔸c": code points a,😀,b,𝔸,c (5); UTF-16 units 1+2+1+2+1 (7).
const ASTRAL = "a😀b𝔸c";

const mark = (id: string, start: number, end: number, color = id): Mark => ({ id, start, end, color });

describe("cpToUtf16 / utf16ToCp", () => {
  it("is the identity on BMP-only text", () => {
    expect(cpToUtf16("hello", 3)).toBe(3);
    expect(utf16ToCp("hello", 3)).toBe(3);
  });

  it("counts astral characters as one code point but two UTF-16 units", () => {
    expect([0, 1, 2, 3, 4, 5].map((cp) => cpToUtf16(ASTRAL, cp))).toEqual([0, 1, 3, 4, 6, 7]);
    expect([0, 1, 3, 4, 6, 7].map((u) => utf16ToCp(ASTRAL, u))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("round-trips every code-point index", () => {
    for (let cp = 0; cp <= 5; cp++) expect(utf16ToCp(ASTRAL, cpToUtf16(ASTRAL, cp))).toBe(cp);
  });

  it("clamps indexes past the end", () => {
    expect(cpToUtf16(ASTRAL, 99)).toBe(ASTRAL.length);
    expect(utf16ToCp(ASTRAL, 99)).toBe(5);
  });
});

describe("toSegments", () => {
  it("returns the whole text as one plain segment without marks", () => {
    expect(toSegments("hello", [])).toEqual([{ text: "hello", ids: [], color: null }]);
  });

  it("cuts around one mark, counting in code points", () => {
    // code points 1..4 are 😀b𝔸
    expect(toSegments(ASTRAL, [mark("m", 1, 4, "yellow")])).toEqual([
      { text: "a", ids: [], color: null },
      { text: "😀b𝔸", ids: ["m"], color: "yellow" },
      { text: "c", ids: [], color: null },
    ]);
  });

  it("lists every covering id and lets the innermost (latest) colour win", () => {
    const segs = toSegments("abcdefghij", [mark("outer", 0, 10, "red"), mark("inner", 3, 6, "blue")]);
    expect(segs).toEqual([
      { text: "abc", ids: ["outer"], color: "red" },
      { text: "def", ids: ["outer", "inner"], color: "blue" },
      { text: "ghij", ids: ["outer"], color: "red" },
    ]);
  });

  it("handles partly overlapping marks", () => {
    const segs = toSegments("abcdef", [mark("x", 0, 4, "red"), mark("y", 2, 6, "green")]);
    expect(segs.map((s) => [s.text, s.ids, s.color])).toEqual([
      ["ab", ["x"], "red"],
      ["cd", ["x", "y"], "green"],
      ["ef", ["y"], "green"],
    ]);
  });

  it("clips marks that run past the end and drops marks wholly past it", () => {
    const segs = toSegments("abc", [mark("clip", 1, 10), mark("gone", 5, 8)]);
    expect(segs).toEqual([
      { text: "a", ids: [], color: null },
      { text: "bc", ids: ["clip"], color: "clip" },
    ]);
  });

  it("ignores empty and reversed marks", () => {
    expect(toSegments("abc", [mark("empty", 1, 1), mark("rev", 2, 1)])).toEqual([
      { text: "abc", ids: [], color: null },
    ]);
  });

  it("always concatenates back to the original text", () => {
    const segs = toSegments(ASTRAL, [mark("p", 0, 2), mark("q", 1, 5), mark("r", 3, 3)]);
    expect(segs.map((s) => s.text).join("")).toBe(ASTRAL);
  });
});

describe("rangeOffsets", () => {
  let container: HTMLElement;

  // Text: "  😀 alpha beta 𝔸 gamma " spread over several text nodes and marks.
  beforeEach(() => {
    document.body.innerHTML = `<p id="outside">elsewhere</p><div id="c">  😀 al<mark>pha be</mark>ta <mark><b>𝔸</b> gam</mark>ma </div>`;
    container = document.getElementById("c")!;
  });

  const textNodes = (): Text[] => {
    const out: Text[] = [];
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) out.push(walker.currentNode as Text);
    return out;
  };

  const rangeOf = (sn: Node, so: number, en: Node, eo: number): Range => {
    const r = document.createRange();
    r.setStart(sn, so);
    r.setEnd(en, eo);
    return r;
  };

  const cpSlice = (start: number, end: number): string =>
    Array.from(container.textContent!).slice(start, end).join("");

  it("measures a range spanning text nodes and marks in code points", () => {
    const [t0, , , t3] = textNodes(); // "  😀 al", "pha be", "ta ", "𝔸"
    expect(t3.data).toBe("𝔸");
    const r = rangeOf(t0, 6, t3, 2); // from "l" of "al" through "𝔸"
    const off = rangeOffsets(container, r);
    // code points: ' ',' ','😀',' ','a','l' → "l" is code point 5
    expect(off).toEqual({ start: 5, end: 16 });
    expect(cpSlice(off!.start, off!.end)).toBe("lpha beta 𝔸");
  });

  it("trims whitespace at the edges of the selection", () => {
    const [t0, t1, t2] = textNodes();
    const r = rangeOf(t0, 0, t2, 3); // "  😀 alpha beta "
    const off = rangeOffsets(container, r);
    expect(off).toEqual({ start: 2, end: 14 });
    expect(cpSlice(off!.start, off!.end)).toBe("😀 alpha beta");
    expect(t1.data).toBe("pha be");
  });

  it("works when the range is set on element boundaries", () => {
    const marks = container.querySelectorAll("mark");
    const r = document.createRange();
    r.selectNode(marks[1]); // "𝔸 gam"
    const off = rangeOffsets(container, r);
    expect(cpSlice(off!.start, off!.end)).toBe("𝔸 gam");
    expect(off).toEqual({ start: 15, end: 20 });
  });

  it("returns null for a collapsed range", () => {
    const [t0] = textNodes();
    expect(rangeOffsets(container, rangeOf(t0, 3, t0, 3))).toBeNull();
  });

  it("returns null for a whitespace-only range", () => {
    const [t0] = textNodes();
    expect(rangeOffsets(container, rangeOf(t0, 0, t0, 2))).toBeNull();
  });

  it("returns null for a range outside the container, or leaving it", () => {
    const outside = document.getElementById("outside")!.firstChild!;
    expect(rangeOffsets(container, rangeOf(outside, 0, outside, 4))).toBeNull();
    const [t0] = textNodes();
    expect(rangeOffsets(container, rangeOf(outside, 1, t0, 5))).toBeNull();
  });
});
