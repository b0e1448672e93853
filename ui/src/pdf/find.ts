// Finding a query in a page's text: case- and accent-insensitive, any run
// of white space counts as one space, a space in the query may also match no
// space at all (text items that pdf.js joins without one), and a word broken
// with a hyphen at the end of a line matches the whole word. Matches are
// reported as offsets into the page text (see text.ts). Pure.

export interface Match {
  start: number;
  end: number;
}

/** Text folded for searching, and where each folded character came from. */
export interface Folded {
  s: string;
  /** For folded character i: the original range [from[i], to[i]). */
  from: number[];
  to: number[];
}

/** Lower case, without accents (é → e), compatibility forms unfolded (ﬁ → fi). */
export function foldChar(ch: string): string {
  return ch.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

const SPACE = /\s/;
const LETTER = /\p{L}/u;

export function foldText(text: string): Folded {
  let s = "";
  const from: number[] = [];
  const to: number[] = [];
  const push = (str: string, a: number, b: number) => {
    for (let k = 0; k < str.length; k++) {
      from.push(a);
      to.push(b);
    }
    s += str;
  };
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const next = i + ch.length;
    if (SPACE.test(ch)) {
      let j = next;
      while (j < text.length && SPACE.test(text[j])) j++;
      push(" ", i, j);
      i = j;
      continue;
    }
    if (ch === "-" || ch === "\u00ad") {
      // A hyphen that ends a line between two letters joins the word.
      let j = next;
      let newline = false;
      while (j < text.length && SPACE.test(text[j])) {
        if (text[j] === "\n") newline = true;
        j++;
      }
      const before = i > 0 ? text[i - 1] : "";
      const after = j < text.length ? String.fromCodePoint(text.codePointAt(j)!) : "";
      if ((newline || ch === "\u00ad") && LETTER.test(before) && LETTER.test(after)) {
        i = j;
        continue;
      }
    }
    push(foldChar(ch), i, next);
    i = next;
  }
  return { s, from, to };
}

/** The query as it is matched: folded, trimmed, inner white space as single spaces. */
export function normalizeQuery(q: string): string {
  return foldText(q.trim()).s.trim();
}

function escapeRe(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}

/** A regular expression over folded text, or null for an empty query. */
export function compileQuery(q: string): RegExp | null {
  const n = normalizeQuery(q);
  if (!n) return null;
  let src = "";
  for (const c of n) {
    if (c === " ") src += " ?";
    else if (c === "-") src += "-?";
    else src += escapeRe(c);
  }
  return new RegExp(src, "gu");
}

/** All non-overlapping matches of the query in a page's text. */
export function findInText(text: string, query: string | RegExp | null, folded?: Folded): Match[] {
  const re = typeof query === "string" ? compileQuery(query) : query;
  if (!re) return [];
  const f = folded ?? foldText(text);
  const out: Match[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(f.s); m; m = re.exec(f.s)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    out.push({ start: f.from[m.index], end: f.to[m.index + m[0].length - 1] });
  }
  return out;
}

/** A hit in the document: a page (0-based) and a range of its text. */
export interface Hit extends Match {
  page: number;
}

/** The hit to show first: the first one on or after `page`, else the first of all. */
export function firstHitFrom(hits: readonly Hit[], page: number): number {
  if (hits.length === 0) return -1;
  const i = hits.findIndex((h) => h.page >= page);
  return i >= 0 ? i : 0;
}

/** The next (dir 1) or previous (dir −1) hit, wrapping around. */
export function stepHit(index: number, count: number, dir: 1 | -1): number {
  if (count === 0) return -1;
  return (((index + dir) % count) + count) % count;
}

/** "3 of 12", or a word when there is nothing to count. */
export function hitLabel(index: number, count: number, searching = false): string {
  if (searching && count === 0) return "Searching…";
  if (count === 0) return "No matches";
  return `${index + 1} of ${count}${searching ? "+" : ""}`;
}
