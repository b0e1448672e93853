// The words of a search that ask for the full text (`text:word`,
// `text:"a phrase"`): opening a paper from such a search shows its PDF at
// the first place it holds them. Pure.

/** The `text:` terms of a query, in order, without quotes. */
export function fullTextTerms(query: string): string[] {
  const out: string[] = [];
  const re = /(?:^|\s)[+]?text:(?:"([^"]+)"|([^\s"]\S*))/gi;
  for (const m of query.matchAll(re)) {
    const term = (m[1] ?? m[2] ?? "").trim();
    if (term) out.push(term);
  }
  return out;
}
