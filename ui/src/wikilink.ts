// `[[` links in notes: where a completion should open, and which papers a
// note links to.

/** If the text before the cursor ends inside an unclosed `[[`, the position
 * just after `[[` and what has been typed since. */
export function openWikilink(before: string): { from: number; query: string } | null {
  const open = before.lastIndexOf("[[");
  if (open < 0) return null;
  const typed = before.slice(open + 2);
  if (typed.includes("]]") || typed.includes("\n") || typed.includes("|")) return null;
  if (typed.length > 80) return null;
  return { from: open + 2, query: typed };
}

/** Keys of every [[key]] or [[key|label]] in `markdown`, in order, once. */
export function wikilinkKeys(markdown: string): string[] {
  const keys: string[] = [];
  for (const m of markdown.matchAll(/\[\[([^\[\]|\n]+)(?:\|[^\[\]\n]+)?\]\]/g)) {
    const k = m[1].trim();
    if (k && !keys.includes(k)) keys.push(k);
  }
  return keys;
}
