// The window: wires the search box, the sidebar, the result list, the
// reader, dialogs and keyboard together.

import { api, type Facets, type Filter, type FolderEvent, type ForYouHit, type ImportReport, type LibraryInfo, type SearchHit } from "./api";
import { h, byId, clear } from "./dom";
import { afterPaint, busy, metrics, showError, toast } from "./feedback";
import { Latest, moveIndex } from "./flow";
import { showDuplicates } from "./duplicates";
import { fullTextTerms } from "./fulltext";
import { findDetails, openFindDialog, type FetchHooks } from "./fetchpanel";
import { drawGraph } from "./graph";
import { closeModal, modalOpen, openModal } from "./modal";
import { loadPrefs, savePrefs } from "./prefs";
import { Reader } from "./reader";
import { openSettings } from "./settings";
import { snippetFragment } from "./snippet";
import { importDropped, importFromDialog, importSample, openExportDialog, openImportDialog, type TransferHooks } from "./transfer";

const RESULT_LIMIT = 50;

const prefs = loadPrefs();
const searchBox = byId<HTMLInputElement>("search");
const list = byId<HTMLOListElement>("result-list");
const resultMeta = byId("result-meta");
const sidebar = byId("sidebar");

let info: LibraryInfo | null = null;
let filter: Filter = { tag: null, status: null, starred: false };
/** The "for you" order instead of search results. */
let forYou = false;
/** Why the "for you" order is empty, when it is. */
let forYouProblem = "";
let hits: SearchHit[] = [];
let selected = -1;
const searches = new Latest();
const opens = new Latest();

const reader = new Reader(byId("reader"), {
  open: (key) => openPaper(key),
  changed: () => refreshLists(),
  prefs,
  savePrefs: () => savePrefs(prefs),
  showGraph: (center) => void showGraph(center),
  findDetails: (id) => void findDetails([id], true, fetchHooks),
});

const fetchHooks: FetchHooks = {
  paperChanged: async (citekey) => {
    if (reader.current && reader.current.citekey === citekey) await openPaper(reader.current.id);
  },
  finished: () => refreshLists(),
};

const transferHooks: TransferHooks = {
  imported: async (report: ImportReport) => {
    await refreshLists();
    if (report.added_ids.length > 0 && !reader.current) await openPaper(report.added_ids[0]);
    // "Look up newly imported papers at once".
    if (report.added_ids.length > 0) {
      const settings = await api.onlineSettings().catch(() => null);
      if (settings?.fill_new) void findDetails(report.added_ids, false, fetchHooks);
    }
  },
  currentIds: () => hits.map((hit) => hit.id),
  currentQuery: () => searchBox.value.trim(),
};

// ----- library and sidebar -------------------------------------------------

async function loadLibrary(next: Promise<LibraryInfo | null>): Promise<void> {
  const got = await next;
  if (!got) return;
  info = got;
  // The folder's name; the full path is in the tooltip.
  const pathLabel = byId("library-path");
  pathLabel.textContent = `Library: ${info.root.split("/").filter(Boolean).pop() ?? info.root}`;
  pathLabel.title = info.root;
  byId("readonly").hidden = info.writable || !!info.problem;
  if (info.problem) {
    clear(list);
    clear(sidebar);
    reader.empty(`Could not open the library: ${info.problem.message}`);
    showError(info.problem.message);
    return;
  }
  filter = { tag: null, status: null, starred: false };
  renderSidebar(info.facets);
  await runSearch();
  if (!info.facets || info.facets.total === 0) showWelcome();
  else if (hits.length > 0) await openPaper(hits[0].id);
}

function showWelcome(): void {
  reader.welcome({
    paste: () => openImportDialog(transferHooks),
    files: () => void importFromDialog(transferHooks),
    sample: () => void importSample(transferHooks),
  });
}

/** Re-reads the counts and the result list after a change. */
async function refreshLists(): Promise<void> {
  try {
    info = await api.libraryInfo();
    renderSidebar(info.facets);
    await runSearch(false);
    if (!reader.current && info.facets && info.facets.total > 0 && hits.length > 0) await openPaper(hits[0].id);
  } catch (e) {
    showError(e);
  }
}

function renderSidebar(f: Facets | null | undefined): void {
  clear(sidebar);
  if (!f) return;
  const item = (label: string, count: number, active: boolean, onClick: () => void, attrs: Record<string, string> = {}) =>
    h("li", {},
      h("button", { type: "button", class: active ? "facet active" : "facet", "aria-pressed": String(active), onclick: onClick, ...attrs },
        h("span", { class: "facet-name" }, label),
        h("span", { class: "count" }, String(count)),
      ),
    );
  const noFilter = !filter.tag && !filter.status && !filter.starred;
  sidebar.append(
    h("ul", { class: "facets" },
      item("All papers", f.total, noFilter, () => setFilter({ tag: null, status: null, starred: false }), { id: "facet-all" }),
      item("★ Starred", f.starred, filter.starred, () => setFilter({ ...filter, starred: !filter.starred }), { id: "facet-starred" }),
    ),
    h("ul", { class: "facets" },
      h("li", {},
        h("button", {
          type: "button",
          id: "facet-for-you",
          class: forYou ? "facet active" : "facet",
          "aria-pressed": String(forYou),
          title: "Papers ordered by their closeness in meaning to those you starred, highlighted or wrote notes on",
          onclick: () => {
            forYou = !forYou;
            if (info?.facets) renderSidebar(info.facets);
            void runSearch();
          },
        }, h("span", { class: "facet-name" }, "✦ For you")),
      ),
    ),
    h("h3", {}, "Status"),
    h("ul", { class: "facets" },
      ...f.statuses.map((s) =>
        item(s.name, s.count, filter.status === s.name, () =>
          setFilter({ ...filter, status: filter.status === s.name ? null : (s.name as Filter["status"]) }), { "data-status": s.name }),
      ),
    ),
    h("h3", {}, "Tags"),
    f.tags.length === 0
      ? h("p", { class: "hint" }, "No tags yet.")
      : h("ul", { class: "facets tags" },
          ...f.tags.map((t) =>
            item(t.name, t.count, filter.tag === t.name, () =>
              setFilter({ ...filter, tag: filter.tag === t.name ? null : t.name }), { "data-tag": t.name }),
          ),
        ),
  );
}

function setFilter(next: Filter): void {
  filter = next;
  if (info?.facets) renderSidebar(info.facets);
  void runSearch();
}

// ----- search -----------------------------------------------------------------

async function runSearch(resetSelection = true, since = performance.now()): Promise<void> {
  const ticket = searches.next();
  const query = searchBox.value;
  try {
    const asked = performance.now();
    const found = forYou ? await forYouHits(query) : await api.search(query, filter, RESULT_LIMIT);
    if (query) metrics.search.push(performance.now() - asked);
    if (!searches.isCurrent(ticket)) return;
    const keep = !resetSelection && selected >= 0 ? hits[selected]?.id : undefined;
    hits = found;
    selected = keep ? hits.findIndex((x) => x.id === keep) : hits.length > 0 ? 0 : -1;
    renderResults(query);
    afterPaint(since, (ms) => {
      if (query) metrics.keystroke.push(ms);
    });
  } catch (e) {
    if (searches.isCurrent(ticket)) showError(e);
  }
}

/** The "for you" order as result-list entries, each saying which of the
 *  reader's papers it is close to. */
async function forYouHits(query: string): Promise<SearchHit[]> {
  forYouProblem = "";
  let ranked: ForYouHit[];
  try {
    ranked = await api.forYou(query.trim() || null, RESULT_LIMIT);
  } catch (e) {
    forYouProblem = e instanceof Error ? e.message : String(e);
    return [];
  }
  return ranked.map((r) => ({
    id: r.id,
    citekey: r.citekey,
    title: r.title,
    title_marked: [{ text: r.title, matched: false }],
    score: r.score,
    snippet: [{ text: `Close to “${r.because_title}” (${r.because_citekey})`, matched: false }],
    matched: [],
    missing: [],
    by_meaning: false,
  }));
}

function renderResults(query: string): void {
  const items = hits.map((hit, i) =>
    h("li", { class: i === selected ? "hit selected" : "hit", "data-id": hit.id, "data-index": i, "aria-selected": String(i === selected) },
      h("div", { class: "hit-title" }, snippetFragment(hit.title_marked)),
      h("div", { class: "hit-key" }, hit.citekey),
      h("div", { class: "hit-snippet" }, snippetFragment(hit.snippet)),
      hit.by_meaning
        ? h("div", { class: "hit-meaning", title: "Found by meaning: this paper holds none of your words" }, "Similar in meaning")
        : missingWords(hit.missing),
    ),
  );
  list.replaceChildren(...items);
  // Lets tests (and the benchmark) tell which query the list shows.
  list.dataset.query = query;
  const scope = [filter.tag ? `tag ${filter.tag}` : "", filter.status ?? "", filter.starred ? "starred" : ""].filter(Boolean).join(", ");
  if (forYou) {
    resultMeta.textContent = forYouProblem || `For you: ${hits.length} paper${hits.length === 1 ? "" : "s"} by closeness to yours`;
    return;
  }
  resultMeta.textContent = query.trim()
    ? `${hits.length === RESULT_LIMIT ? `${RESULT_LIMIT}+` : hits.length} result${hits.length === 1 ? "" : "s"}${scope ? ` in ${scope}` : ""}`
    : `${scope ? `${scope}: ` : ""}${hits.length === RESULT_LIMIT ? "newest " + RESULT_LIMIT : hits.length} paper${hits.length === 1 ? "" : "s"}`;
}

/** The query words a best-match hit lacks, struck through, as web search
 *  engines show them; nothing when it holds them all. */
function missingWords(missing: string[]): HTMLElement | null {
  if (missing.length === 0) return null;
  const words = missing.flatMap((w, i) => (i === 0 ? [h("s", {}, w)] : [" ", h("s", {}, w)]));
  return h("div", { class: "hit-missing", title: "This paper lacks these words of your search" }, "Missing: ", ...words);
}

function select(i: number): void {
  if (i < 0 || i >= hits.length) return;
  selected = i;
  for (const li of list.children) li.classList.toggle("selected", Number((li as HTMLElement).dataset.index) === i);
  list.children[i]?.scrollIntoView({ block: "nearest" });
}

async function openPaper(key: string): Promise<void> {
  const since = performance.now();
  const ticket = opens.next();
  try {
    const paper = await api.paper(key);
    if (!opens.isCurrent(ticket)) {
      metrics.folder.push(`${Math.round(performance.now())} open ${key} superseded`);
      return;
    }
    // From a search of the full text, the PDF opens where it holds the words.
    await reader.show(paper, fullTextTerms(searchBox.value)[0] ?? null);
    const i = hits.findIndex((x) => x.id === paper.id);
    if (i >= 0) select(i);
    afterPaint(since, (ms) => metrics.open.push(ms));
  } catch (e) {
    showError(e);
  }
}

list.addEventListener("click", (e) => {
  const li = (e.target as Element).closest<HTMLElement>("li.hit");
  if (!li) return;
  select(Number(li.dataset.index));
  void openPaper(li.dataset.id ?? "");
});

searchBox.addEventListener("input", () => void runSearch(true, performance.now()));

// ----- graph --------------------------------------------------------------------

async function showGraph(center: string | null): Promise<void> {
  try {
    const g = await busy(api.graph(center));
    const width = Math.min(1100, window.innerWidth - 80);
    const height = Math.min(680, window.innerHeight - 160);
    const body = g.nodes.length === 0
      ? h("p", { class: "hint" }, "No links yet. Link papers from the Related tab, and they appear here.")
      : drawGraph(
          g.nodes.map((n) => ({ id: n.id, label: n.citekey, title: n.title })),
          g.edges,
          width,
          height,
          center,
          (id) => {
            closeModal();
            void openPaper(id);
          },
        );
    openModal("graph-modal", "Links between papers", body, h("p", { class: "hint" }, "Solid lines are your links; dashed lines are suggestions for the open paper. Click a paper to open it."));
  } catch (e) {
    showError(e);
  }
}

// ----- top bar, keyboard, drops, splitters ---------------------------------

byId("btn-import").addEventListener("click", () => openImportDialog(transferHooks));
byId("btn-export").addEventListener("click", () => openExportDialog(transferHooks));
byId("btn-graph").addEventListener("click", () => void showGraph(reader.current?.id ?? null));
byId("btn-find").addEventListener("click", () => openFindDialog(hits.map((hit) => hit.id), fetchHooks));
byId("btn-settings").addEventListener("click", () => void openSettings());
byId("btn-duplicates").addEventListener("click", () =>
  void showDuplicates({
    changed: async () => {
      await refreshLists();
      const current = reader.current;
      if (!current) return;
      try {
        await reader.show(await api.paper(current.id));
      } catch {
        reader.empty("The open paper was merged into another; its key now opens that one.");
      }
    },
    open: (id) => {
      closeModal();
      void openPaper(id);
    },
  }),
);
byId("btn-library").addEventListener("click", () => {
  void (async () => {
    await reader.flushNote();
    await loadLibrary(api.chooseLibrary());
  })().catch(showError);
});

function typing(target: EventTarget | null): boolean {
  const e = target as HTMLElement | null;
  if (!e) return false;
  return e.tagName === "INPUT" || e.tagName === "TEXTAREA" || e.isContentEditable || !!e.closest?.(".cm-editor");
}

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && modalOpen()) {
    closeModal();
    return;
  }
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
    e.preventDefault();
    searchBox.focus();
    searchBox.select();
    return;
  }
  if (modalOpen()) return;
  const inSearch = e.target === searchBox;
  if (e.key === "/" && !typing(e.target)) {
    e.preventDefault();
    searchBox.focus();
    searchBox.select();
    return;
  }
  if (!inSearch && typing(e.target)) return;
  const down = e.key === "ArrowDown" || (!inSearch && e.key === "j");
  const up = e.key === "ArrowUp" || (!inSearch && e.key === "k");
  if (down || up) {
    e.preventDefault();
    select(moveIndex(selected, down ? 1 : -1, hits.length));
  } else if (e.key === "Enter" && selected >= 0 && hits[selected]) {
    e.preventDefault();
    void openPaper(hits[selected].id);
  }
});

void api.onDrop((ev) => {
  const overlay = byId("drop-overlay");
  if (ev.kind === "hover") overlay.hidden = false;
  else if (ev.kind === "left") overlay.hidden = true;
  else {
    overlay.hidden = true;
    if (ev.paths.length > 0) void dropped(ev.paths);
  }
}).catch(showError);

/** Dropped files are imported; one PDF dropped while a paper's PDF is
 * shown may instead be its new version, which the person chooses. */
async function dropped(paths: string[]): Promise<void> {
  const paper = reader.current;
  const onePdf = paths.length === 1 && /\.pdf$/i.test(paths[0]);
  if (!paper || !onePdf || !reader.showsPdf) {
    await importDropped(paths, transferHooks);
    return;
  }
  const name = paths[0].split("/").pop() ?? paths[0];
  openModal(
    "drop-pdf-modal",
    "A PDF was dropped",
    h("p", {}, `Use “${name}” as the new version of the PDF of “${paper.title}” (its highlights are placed in the new text), or import it as a paper?`),
    h(
      "div",
      { class: "actions" },
      h("button", { id: "drop-new-version", type: "button", class: "primary", onclick: () => { closeModal(); void reader.replacePdf(paths[0]); } }, "New version of this PDF"),
      h("button", { id: "drop-import", type: "button", onclick: () => { closeModal(); void importDropped(paths, transferHooks); } }, "Import as a paper"),
    ),
  );
}

// The library folder changed outside the window (an editor, git, Syncthing,
// the inbox): refresh what is shown. The open paper is re-read unless the
// user is typing in it. Events are counted: the window also asks for the
// count every 2 s, so a change whose event was not delivered (seen while
// the machine is busy) is shown at the next look.
let folderSeq = 0;

function noteFolder(what: string): void {
  metrics.folder.push(`${Math.round(performance.now())} ${what}`);
  if (metrics.folder.length > 50) metrics.folder.shift();
}

function onFolderChange(report: FolderEvent["report"] | null): void {
  // A window that opened its library read-only becomes its writer once the
  // other process lets go: the banner goes.
  if (info && !info.writable) {
    void api.libraryInfo().then((next) => {
      if (!next) return;
      info = next;
      byId("readonly").hidden = info.writable || !!info.problem;
    }).catch(() => undefined);
  }
  void refreshLists().then(async () => {
    // Without the event's report (a missed event), the paper is re-read.
    const outside = !report || report.applied + report.created + report.trashed + report.notes + report.others > 0;
    const typingInEditor = document.activeElement?.closest(".cm-editor") != null;
    if (outside && reader.current && !typingInEditor) {
      await openPaper(reader.current.id);
      noteFolder(`reopened ${reader.current?.citekey ?? "-"}`);
    }
  });
  if (!report) return;
  if (report.conflicts.length > 0) {
    toast(`Library folder conflict: ${report.conflicts.join(", ")} — both versions are kept; see the file beside it.`, "error");
  } else if (report.inbox_imported > 0) {
    toast(`Imported ${report.inbox_imported} file(s) from the inbox.`);
  }
}

// The background job that reads papers for search by meaning.
void api.onMeaning(({ done, total }) => {
  const line = byId("meaning-progress");
  line.hidden = done >= total;
  line.textContent = `Reading papers for search by meaning: ${done.toLocaleString()} of ${total.toLocaleString()}`;
  if (done >= total && searchBox.value.trim()) void runSearch(false);
});

void api.onFolder(({ report, seq }) => {
  noteFolder(`event ${seq} applied=${report.applied} created=${report.created} others=${report.others}`);
  folderSeq = Math.max(folderSeq, seq);
  onFolderChange(report);
}).catch(showError);

setInterval(() => {
  void api.folderChanges().then((seq) => {
    if (seq > folderSeq) {
      noteFolder(`missed event ${seq}`);
      folderSeq = seq;
      onFolderChange(null);
    }
  }).catch(() => undefined);
}, 2000);

function applyWidths(): void {
  const panes = byId("panes");
  panes.style.setProperty("--sidebar-w", `${prefs.sidebarWidth}px`);
  panes.style.setProperty("--results-w", `${prefs.resultsWidth}px`);
}

for (const splitter of document.querySelectorAll<HTMLElement>(".splitter")) {
  splitter.addEventListener("pointerdown", (down) => {
    const which = splitter.dataset.split;
    const startX = down.clientX;
    const start = which === "sidebar" ? prefs.sidebarWidth : prefs.resultsWidth;
    splitter.setPointerCapture(down.pointerId);
    const move = (e: PointerEvent) => {
      const w = start + e.clientX - startX;
      if (which === "sidebar") prefs.sidebarWidth = Math.max(150, Math.min(400, w));
      else prefs.resultsWidth = Math.max(260, Math.min(700, w));
      applyWidths();
    };
    const up = () => {
      splitter.removeEventListener("pointermove", move);
      splitter.removeEventListener("pointerup", up);
      savePrefs(prefs);
    };
    splitter.addEventListener("pointermove", move);
    splitter.addEventListener("pointerup", up);
  });
}

// Errors anywhere become a message in the window, never a blank screen.
window.addEventListener("error", (e) => showError(e.message));
window.addEventListener("unhandledrejection", (e) => showError(e.reason));

applyWidths();
void loadLibrary(api.libraryInfo())
  .catch(showError)
  .finally(() => {
    afterPaint(0, (ms) => {
      metrics.ready = ms;
      document.body.dataset.ready = "true";
    });
    // Without the model, say that search is by words only, and where to
    // add search by meaning (after the first results: it may load it).
    setTimeout(() => void sayWhenWordsOnly(), 1500);
  });

async function sayWhenWordsOnly(): Promise<void> {
  const status = await api.meaningStatus().catch(() => null);
  if (!status || status.model) return;
  const line = byId("meaning-progress");
  line.hidden = false;
  line.title = status.problem ?? "";
  line.textContent = "Searching by words only — Settings… adds search by meaning";
}

