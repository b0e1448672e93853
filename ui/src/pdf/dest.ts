// PDF destinations (outline entries and links point at them): the page and
// the point to show. An explicit destination is [pageRef, {name}, ...args];
// named destinations are looked up first with `getDestination`. Pure.

export interface DestTarget {
  /** The page: a reference object for `getPageIndex`, or a 0-based index. */
  page: unknown;
  /** Left edge and top edge to show, in PDF user space, when the destination says. */
  left: number | null;
  top: number | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function parseExplicitDest(dest: unknown): DestTarget | null {
  if (!Array.isArray(dest) || dest.length < 2) return null;
  const [page, mode] = dest;
  const name = typeof mode === "object" && mode !== null ? (mode as { name?: unknown }).name : undefined;
  switch (name) {
    case "XYZ":
      return { page, left: num(dest[2]), top: num(dest[3]) };
    case "FitH":
    case "FitBH":
      return { page, left: null, top: num(dest[2]) };
    case "FitV":
    case "FitBV":
      return { page, left: num(dest[2]), top: null };
    case "FitR":
      return { page, left: num(dest[2]), top: num(dest[5]) };
    case "Fit":
    case "FitB":
      return { page, left: null, top: null };
    default:
      return { page, left: null, top: null };
  }
}

/** A page reference that is already a 0-based page number (some writers put integers there). */
export function pageNumberRef(ref: unknown): number | null {
  return Number.isInteger(ref) && (ref as number) >= 0 ? (ref as number) : null;
}
