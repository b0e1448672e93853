// Remembered layout: pane widths, the reader's open tab, whether it shows
// the abstract or the PDF, and the page each PDF was left at, kept in the
// window's local storage.

export interface Prefs {
  sidebarWidth: number;
  resultsWidth: number;
  tab: "highlights" | "notes" | "related";
  /** What the reader shows of a paper with a PDF. */
  view: "abstract" | "pdf";
  /** The page each paper's PDF was left at, by paper id (the newest last). */
  pdfPages: Record<string, number>;
}

const KEY = "lectern.prefs.v1";
/** How many papers' pages are remembered; the oldest are forgotten. */
export const REMEMBERED_PAGES = 500;
export const DEFAULT_PREFS: Prefs = { sidebarWidth: 210, resultsWidth: 380, tab: "notes", view: "abstract", pdfPages: {} };

/** The remembered pages with `id` at `page` (moved to the newest end), the
 * oldest dropped beyond REMEMBERED_PAGES. */
export function rememberPage(pages: Record<string, number>, id: string, page: number): Record<string, number> {
  const next: Record<string, number> = {};
  const kept = Object.entries(pages).filter(([k]) => k !== id);
  for (const [k, v] of kept.slice(Math.max(0, kept.length - (REMEMBERED_PAGES - 1)))) next[k] = v;
  next[id] = page;
  return next;
}

function parsePages(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!v || typeof v !== "object" || Array.isArray(v)) return out;
  for (const [k, n] of Object.entries(v as Record<string, unknown>).slice(-REMEMBERED_PAGES)) {
    if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 100000) out[k] = n;
  }
  return out;
}

export function clampWidth(w: unknown, min: number, max: number, fallback: number): number {
  return typeof w === "number" && Number.isFinite(w) ? Math.max(min, Math.min(max, Math.round(w))) : fallback;
}

export function parsePrefs(raw: string | null): Prefs {
  let v: Partial<Prefs> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    v = parsed && typeof parsed === "object" ? (parsed as Partial<Prefs>) : {};
  } catch {
    v = {};
  }
  const tab = v.tab === "highlights" || v.tab === "notes" || v.tab === "related" ? v.tab : DEFAULT_PREFS.tab;
  return {
    sidebarWidth: clampWidth(v.sidebarWidth, 150, 400, DEFAULT_PREFS.sidebarWidth),
    resultsWidth: clampWidth(v.resultsWidth, 260, 700, DEFAULT_PREFS.resultsWidth),
    tab,
    view: v.view === "pdf" ? "pdf" : "abstract",
    pdfPages: parsePages(v.pdfPages),
  };
}

export function loadPrefs(): Prefs {
  try {
    return parsePrefs(localStorage.getItem(KEY));
  } catch {
    return { ...DEFAULT_PREFS };
  }
}

export function savePrefs(p: Prefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // Storage full or unavailable: the layout simply is not remembered.
  }
}
