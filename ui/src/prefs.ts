// Remembered layout: pane widths and the reader's open tab, kept in the
// window's local storage.

export interface Prefs {
  sidebarWidth: number;
  resultsWidth: number;
  tab: "highlights" | "notes" | "related";
}

const KEY = "lectern.prefs.v1";
export const DEFAULT_PREFS: Prefs = { sidebarWidth: 210, resultsWidth: 380, tab: "notes" };

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
