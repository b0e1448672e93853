// The reader pane: one paper's metadata, its abstract with highlights, and
// tabs for highlights, notes (editor, preview, backlinks) and related papers.

import { api, PALETTE, type Annotation, type Note, type Paper, type PaperEdit, type Status } from "./api";
import { closeModal, openModal } from "./modal";
import { h, html, byId, clear } from "./dom";
import { createEditor, type NoteEditor } from "./editor";
import { busy, showError, toast } from "./feedback";
import { SaveQueue } from "./flow";
import { rangeOffsets, toSegments } from "./highlights";
import { PdfPane, pdfFiles } from "./pdfpane";
import type { Prefs } from "./prefs";
import { renderNote } from "./sanitize";

// The highlight colors, (name, hex), come from the engine via the bindings.
const HEX = new Map<string, string>(PALETTE);
const hex = (color: string) => HEX.get(color) ?? color;

export interface ReaderHooks {
  open(key: string): Promise<void>;
  /** Something changed that the sidebar or results may show. */
  changed(): Promise<void>;
  prefs: Prefs;
  savePrefs(): void;
  showGraph(center: string | null): void;
  /** Looks the paper up on the web sources and downloads its PDF. */
  findDetails(id: string): void;
}

type Tab = Prefs["tab"];

/** The note being edited and the queue that saves it. */
interface NoteSession {
  paperId: string;
  noteId: string | null;
  queue: SaveQueue<string>;
}

export class Reader {
  private paper: Paper | null = null;
  private editor: NoteEditor | null = null;
  private note: NoteSession | null = null;
  private toolbar: HTMLElement | null = null;
  private lastColor = "yellow";
  /** The PDF view, made the first time a PDF is shown. */
  private pdfPane: PdfPane | null = null;

  constructor(private readonly root: HTMLElement, private readonly hooks: ReaderHooks) {
    document.addEventListener("mousedown", (e) => {
      if (this.toolbar && !this.toolbar.contains(e.target as Node)) this.hideToolbar();
    });
    window.addEventListener("beforeunload", () => void this.flushNote());
  }

  get current(): Paper | null {
    return this.paper;
  }

  /** Whether the reader shows a paper's PDF. */
  get showsPdf(): boolean {
    return this.pdfPane?.shown != null;
  }

  /** Waits for the note being typed to be saved. */
  async flushNote(): Promise<void> {
    if (this.note) await this.note.queue.flush();
  }

  welcome(actions: { paste(): void; files(): void; sample(): void }): void {
    this.paper = null;
    this.pdfPane?.close();
    clear(this.root);
    this.root.appendChild(
      h(
        "div",
        { class: "welcome", id: "welcome" },
        h("h1", {}, "Welcome to Lectern"),
        h("p", {}, "This library is empty. Bring in some papers to search, read, highlight and link them."),
        h(
          "div",
          { class: "welcome-actions" },
          h("button", { id: "welcome-paste", type: "button", class: "primary", onclick: actions.paste }, "Paste a paper listing"),
          h("button", { id: "welcome-files", type: "button", onclick: actions.files }, "Import files…"),
          h("button", { id: "welcome-sample", type: "button", onclick: actions.sample }, "Load the sample papers"),
        ),
      ),
    );
  }

  empty(message: string): void {
    this.paper = null;
    this.pdfPane?.close();
    clear(this.root);
    this.root.appendChild(h("div", { class: "placeholder" }, message));
  }

  /** Shows `paper`. The note being edited is saved first. With `findInPdf`
   * (the words of a full-text search), a paper with a PDF opens in the PDF
   * view at the first place the PDF holds them. */
  async show(paper: Paper, findInPdf: string | null = null): Promise<void> {
    await this.flushNote();
    const same = this.paper?.id === paper.id;
    this.paper = paper;
    const scroll = same ? this.root.scrollTop : 0;
    if (findInPdf && pdfFiles(paper).length > 0 && this.hooks.prefs.view !== "pdf") {
      this.hooks.prefs.view = "pdf";
      this.hooks.savePrefs();
    }
    this.render();
    this.root.scrollTop = scroll;
    if (findInPdf && this.pdfPane?.shown) await this.pdfPane.findText(findInPdf);
  }

  async reload(): Promise<void> {
    if (!this.paper) return;
    try {
      await this.show(await api.paper(this.paper.id));
    } catch (e) {
      showError(e);
    }
  }

  private render(): void {
    const p = this.paper;
    if (!p) return;
    this.hideToolbar();
    const meta = [p.authors.join("; "), p.venue, p.year ? String(p.year) : null].filter(Boolean).join(" · ");
    const links = h(
      "div",
      { class: "links" },
      ...p.links.map((l) =>
        h("button", {
          type: "button",
          class: `link ${l.kind}`,
          title: l.url,
          "data-url": l.url,
          onclick: () => void (/^https?:/i.test(l.url) ? api.openUrl(l.url) : api.openAttachment(l.url)).catch(showError),
        }, l.kind, " ↗"),
      ),
      p.doi ? h("span", { class: "ident" }, "doi:", p.doi) : null,
      p.arxiv ? h("span", { class: "ident" }, "arXiv:", p.arxiv) : null,
    );
    const tabsBar = h("div", { class: "tabs", role: "tablist" });
    const tabBody = h("div", { id: "tab-body" });
    // A PDF view of this paper already on screen stays in place (taking it
    // out of the page would lose its scroll position): the rest of the
    // article is rebuilt around it.
    const kept = this.root.querySelector<HTMLElement>(`article[data-id="${CSS.escape(p.id)}"] > .reading.pdf`);
    const body = this.renderBody(p, kept);
    const parts = [
        h("div", { class: "paper-head" },
          h("h1", { id: "paper-title" }, p.title),
          h("button", { id: "star", type: "button", class: p.starred ? "star on" : "star", title: p.starred ? "Unstar" : "Star", "aria-pressed": String(p.starred), onclick: () => void this.toggleStar() }, p.starred ? "★" : "☆"),
          h("button", { id: "find-details", type: "button", class: "head-btn push", title: "Look this paper up on Hugging Face, arXiv, Crossref and Semantic Scholar: fill in what is missing (authors, identifiers, venue) and download its open-access PDF", onclick: () => this.hooks.findDetails(p.id) }, "Find details and PDF"),
          h("button", { id: "edit-paper", type: "button", class: "head-btn", title: "Correct the title, authors, year, venue, DOI or arXiv id", onclick: () => this.openEdit() }, "Edit"),
          h("button", { id: "delete-paper", type: "button", class: "head-btn delete", title: "Move to the trash (restorable for 30 days)", onclick: (e: Event) => void this.deletePaper(e.currentTarget as HTMLButtonElement) }, "Delete"),
        ),
        h(
          "div",
          { class: "meta" },
          meta,
          h("span", { class: "citekey", id: "paper-citekey" }, p.citekey),
          p.aliases.length ? h("span", { class: "aliases", id: "paper-aliases", title: "Other keys this paper goes by" }, `also ${p.aliases.join(", ")}`) : null,
        ),
        links,
        ...((p.filled_from ?? []).length
          ? [h("div", { class: "provenance", id: "paper-provenance", title: "Fields filled in from the web, with their source and date" },
              "From the web: ",
              (p.filled_from ?? []).map((f) => `${f.field} (${f.source}, ${f.at.slice(0, 10)})`).join(", "))]
          : []),
        this.renderOrganize(p),
    ];
    if (body === kept && kept?.parentElement) {
      const article = kept.parentElement;
      for (const child of [...article.children]) if (child !== kept) child.remove();
      kept.before(...parts);
      kept.after(tabsBar, tabBody);
    } else {
      clear(this.root);
      this.root.appendChild(h("article", { id: "paper", "data-id": p.id, "data-citekey": p.citekey }, ...parts, body, tabsBar, tabBody));
    }
    const tabs: [Tab, string][] = [
      ["highlights", `Highlights (${p.annotations.length})`],
      ["notes", `Notes${p.notes.length ? ` (${p.notes.length})` : ""}`],
      ["related", `Related (${p.relations.length})`],
    ];
    for (const [tab, label] of tabs) {
      tabsBar.appendChild(
        h("button", {
          type: "button",
          role: "tab",
          id: `tab-${tab}`,
          class: this.hooks.prefs.tab === tab ? "tab active" : "tab",
          "aria-selected": String(this.hooks.prefs.tab === tab),
          onclick: () => void this.switchTab(tab),
        }, label),
      );
    }
    void this.renderTab();
  }

  private async switchTab(tab: Tab): Promise<void> {
    await this.flushNote();
    this.hooks.prefs.tab = tab;
    this.hooks.savePrefs();
    for (const b of this.root.querySelectorAll<HTMLElement>(".tabs .tab")) {
      const on = b.id === `tab-${tab}`;
      b.classList.toggle("active", on);
      b.setAttribute("aria-selected", String(on));
    }
    await this.renderTab();
  }

  private async renderTab(): Promise<void> {
    const body = byId("tab-body");
    clear(body);
    this.editor = null;
    const p = this.paper;
    if (!p) return;
    switch (this.hooks.prefs.tab) {
      case "highlights":
        body.appendChild(this.renderHighlights(p));
        break;
      case "notes":
        await this.renderNotes(p, body);
        break;
      case "related":
        await this.renderRelated(p, body);
        break;
    }
  }

  // ----- organize: status, tags ------------------------------------------

  private renderOrganize(p: Paper): HTMLElement {
    const statuses: Status[] = ["unread", "reading", "read"];
    const input = h("input", { id: "tag-input", type: "text", placeholder: "add tag", spellcheck: "false", size: 10 });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && input.value.trim()) {
        const tags = input.value.split(",").map((t) => t.trim()).filter(Boolean);
        void this.mutate(() => api.tag(p.id, tags));
      }
    });
    return h(
      "div",
      { class: "organize" },
      h("div", { class: "status", role: "group", "aria-label": "Reading status" },
        ...statuses.map((s) =>
          h("button", {
            type: "button",
            class: p.status === s ? "on" : "",
            "data-status": s,
            "aria-pressed": String(p.status === s),
            onclick: () => void this.mutate(() => api.setStatus(p.id, s)),
          }, s),
        ),
      ),
      h("div", { class: "paper-tags", id: "paper-tags" },
        ...p.tags.map((t) =>
          h("span", { class: "chip", "data-tag": t }, t,
            h("button", { type: "button", class: "remove", title: `Remove tag ${t}`, "aria-label": `Remove tag ${t}`, onclick: () => void this.mutate(() => api.untag(p.id, [t])) }, "×"),
          ),
        ),
        input,
      ),
    );
  }

  private async toggleStar(): Promise<void> {
    const p = this.paper;
    if (p) await this.mutate(() => api.setStarred(p.id, !p.starred));
  }

  /** A dialog to correct the paper's metadata. */
  private openEdit(): void {
    const p = this.paper;
    if (!p) return;
    const field = (id: string, label: string, value: string, rows = 1) => {
      const input =
        rows > 1
          ? h("textarea", { id, rows, spellcheck: "false" })
          : h("input", { id, type: "text", spellcheck: "false" });
      (input as HTMLInputElement | HTMLTextAreaElement).value = value;
      return [h("label", { for: id }, label), input] as const;
    };
    const title = field("edit-title", "Title", p.title);
    const authors = field("edit-authors", "Authors, one per line", p.authors.join("\n"), 4);
    const year = field("edit-year", "Year", p.year ? String(p.year) : "");
    const venue = field("edit-venue", "Venue", p.venue ?? "");
    const doi = field("edit-doi", "DOI", p.doi ?? "");
    const arxiv = field("edit-arxiv", "arXiv id", p.arxiv ?? "");
    const value = (f: readonly [HTMLElement, HTMLElement]) => (f[1] as HTMLInputElement).value.trim();
    const save = async () => {
      const y = value(year);
      if (y && !/^\d{4}$/.test(y)) {
        showError("The year must be four digits.");
        return;
      }
      const edit: PaperEdit = {
        title: value(title),
        authors: value(authors).split("\n").map((a) => a.trim()).filter(Boolean),
        year: y ? Number(y) : null,
        venue: value(venue) || null,
        doi: value(doi) || null,
        arxiv: value(arxiv) || null,
      };
      closeModal();
      await this.mutate(() => api.editPaper(p.id, edit));
    };
    openModal(
      "edit-modal",
      "Edit paper",
      ...title,
      ...authors,
      ...year,
      ...venue,
      ...doi,
      ...arxiv,
      h("div", { class: "actions" }, h("button", { id: "edit-save", type: "button", class: "primary", onclick: () => void save() }, "Save")),
    );
    (title[1] as HTMLInputElement).focus();
  }

  /** Deletes in two clicks: the first asks, the second moves the paper to
   * the trash (the library folder's file goes too; `lectern trash restore`
   * brings both back). */
  private async deletePaper(button: HTMLButtonElement): Promise<void> {
    const p = this.paper;
    if (!p) return;
    if (button.dataset.confirm !== "yes") {
      button.dataset.confirm = "yes";
      button.textContent = "Move to trash?";
      button.classList.add("confirm");
      return;
    }
    try {
      const entry = await busy(api.deletePaper(p.id));
      // Lists first, message last: with the reader still on this paper the
      // refresh opens no other paper over the message.
      await this.hooks.changed();
      this.empty(`Moved “${entry.title}” to the trash. Restore it with: lectern trash restore ${entry.citekey}`);
    } catch (e) {
      showError(e);
    }
  }

  /** Runs a change, then shows the paper and the lists again. */
  private async mutate(change: () => Promise<unknown>): Promise<void> {
    try {
      await busy(change());
      await this.reload();
      await this.hooks.changed();
    } catch (e) {
      showError(e);
    }
  }

  // ----- abstract and highlights -------------------------------------------

  /** The abstract, or for a paper with a PDF, a switch between the
   * abstract and the PDF view. */
  private renderBody(p: Paper, kept: HTMLElement | null): HTMLElement {
    const files = pdfFiles(p);
    if (files.length === 0) {
      this.pdfPane?.close();
      return this.renderAbstract(p);
    }
    const view = this.hooks.prefs.view;
    const choose = (v: Prefs["view"]) => {
      if (this.hooks.prefs.view === v) return;
      this.hooks.prefs.view = v;
      this.hooks.savePrefs();
      this.render();
    };
    const switcher = h(
      "div",
      { class: "view-switch", role: "tablist", "aria-label": "Read" },
      h("button", { type: "button", role: "tab", id: "view-abstract", class: view === "abstract" ? "on" : "", "aria-selected": String(view === "abstract"), onclick: () => choose("abstract") }, "Abstract"),
      h("button", { type: "button", role: "tab", id: "view-pdf", class: view === "pdf" ? "on" : "", "aria-selected": String(view === "pdf"), onclick: () => choose("pdf") }, "PDF"),
    );
    if (view === "abstract") {
      this.pdfPane?.close();
      return h("div", { class: "reading" }, switcher, this.renderAbstract(p));
    }
    const pane = this.ensurePdfPane();
    void pane.show(p, files[0]);
    const bar = h("div", { class: "view-bar" }, switcher, pane.actions(p));
    if (kept && kept.contains(pane.element)) {
      kept.firstElementChild?.replaceWith(bar);
      return kept;
    }
    return h("div", { class: "reading pdf" }, bar, pane.element);
  }

  private ensurePdfPane(): PdfPane {
    this.pdfPane ??= new PdfPane({
      prefs: this.hooks.prefs,
      savePrefs: () => this.hooks.savePrefs(),
      mutate: (change) => this.mutate(change),
      offerHighlight: (rect, create) => this.showToolbar(rect, create),
      focusHighlight: (id) => void this.focusHighlight(id),
    });
    return this.pdfPane;
  }

  /** Makes `path` (a PDF dropped on the reader) the shown paper's new PDF.
   * Returns false when no paper with a PDF is shown. */
  async replacePdf(path: string): Promise<boolean> {
    const p = this.paper;
    if (!p || pdfFiles(p).length === 0) return false;
    await this.ensurePdfPane().replace(p, path);
    return true;
  }

  private renderAbstract(p: Paper): HTMLElement {
    const box = h("div", { id: "abstract", class: "abstract", lang: "en" });
    const marks = p.annotations
      .filter((a) => a.page == null)
      .map((a) => ({ id: a.id, start: a.position.start, end: a.position.end, color: a.color }));
    for (const seg of toSegments(p.abstract, marks)) {
      if (seg.ids.length === 0) {
        box.appendChild(document.createTextNode(seg.text));
      } else {
        const comment = p.annotations.filter((a) => seg.ids.includes(a.id)).map((a) => a.comment).filter(Boolean).join(" · ");
        const mark = h("mark", { class: "hl", "data-ids": seg.ids.join(" "), title: comment || null }, seg.text);
        mark.style.setProperty("--hl", hex(seg.color ?? "yellow"));
        mark.addEventListener("click", () => void this.focusHighlight(seg.ids[seg.ids.length - 1]));
        box.appendChild(mark);
      }
    }
    if (!p.abstract) box.appendChild(h("em", {}, "No abstract."));
    box.addEventListener("mouseup", () => this.maybeShowToolbar(box));
    box.addEventListener("keyup", (e) => {
      if (e.shiftKey) this.maybeShowToolbar(box);
    });
    return box;
  }

  private maybeShowToolbar(box: HTMLElement): void {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || !this.paper) return;
    const range = sel.getRangeAt(0);
    const offsets = rangeOffsets(box, range);
    if (!offsets) return;
    const rect = range.getBoundingClientRect();
    const paper = this.paper;
    this.showToolbar(rect, async (color, comment) => {
      window.getSelection()?.removeAllRanges();
      await this.mutate(() => api.annotate(paper.id, offsets.start, offsets.end, color, comment));
    });
  }

  /** The highlight toolbar (palette and comment) over `rect`; picking a
   * color calls `store` with it and the comment. */
  private showToolbar(rect: DOMRect, store: (color: string, comment: string | null) => Promise<void>): void {
    this.hideToolbar();
    if (!this.paper) return;
    const comment = h("input", { id: "hl-comment", type: "text", placeholder: "Comment (optional)", spellcheck: "true" });
    const create = async (color: string) => {
      this.lastColor = color;
      this.hideToolbar();
      const text = comment.value.trim();
      await store(color, text ? text : null);
    };
    comment.addEventListener("keydown", (e) => {
      if (e.key === "Enter") void create(this.lastColor);
      if (e.key === "Escape") this.hideToolbar();
    });
    const bar = h(
      "div",
      { id: "hl-toolbar", class: "hl-toolbar", role: "toolbar", "aria-label": "Highlight" },
      ...PALETTE.map(([name, color]) => {
        const b = h("button", { type: "button", class: "swatch", title: `Highlight ${name}`, "aria-label": `Highlight ${name}`, "data-color": name, onclick: () => void create(name) });
        b.style.background = color;
        return b;
      }),
      comment,
    );
    document.body.appendChild(bar);
    const top = Math.max(8, rect.top - 46);
    const left = Math.min(window.innerWidth - 420, Math.max(8, rect.left));
    bar.style.top = `${top}px`;
    bar.style.left = `${left}px`;
    this.toolbar = bar;
  }

  private hideToolbar(): void {
    this.toolbar?.remove();
    this.toolbar = null;
  }

  private async focusHighlight(id: string): Promise<void> {
    if (this.hooks.prefs.tab !== "highlights") await this.switchTab("highlights");
    const item = this.root.querySelector<HTMLElement>(`.hl-item[data-id="${CSS.escape(id)}"]`);
    if (item) {
      item.scrollIntoView({ block: "nearest" });
      flash(item);
    }
  }

  /** Scrolls to a highlight in the abstract or on its PDF page and flashes it. */
  private async showHighlight(a: Annotation): Promise<void> {
    if (a.page == null) {
      if (this.hooks.prefs.view === "pdf" && this.paper && pdfFiles(this.paper).length > 0) {
        this.hooks.prefs.view = "abstract";
        this.hooks.savePrefs();
        this.render();
      }
      const mark = this.root.querySelector<HTMLElement>(`mark.hl[data-ids~="${CSS.escape(a.id)}"]`);
      if (mark) {
        mark.scrollIntoView({ block: "center", behavior: "smooth" });
        flash(mark);
      }
      return;
    }
    if (this.hooks.prefs.view !== "pdf") {
      this.hooks.prefs.view = "pdf";
      this.hooks.savePrefs();
      this.render();
    }
    await this.pdfPane?.reveal(a);
  }

  private renderHighlights(p: Paper): HTMLElement {
    if (p.annotations.length === 0) {
      return h("p", { class: "hint" }, pdfFiles(p).length
        ? "Select text in the abstract or the PDF to highlight it; Alt+drag on a PDF page marks an area."
        : "Select text in the abstract to highlight it.");
    }
    const list = h("ul", { class: "hl-list", id: "hl-list" });
    // The engine lists them in reading order: the abstract's, then page by page.
    for (const a of p.annotations) list.appendChild(this.highlightItem(a));
    return list;
  }

  private highlightItem(a: Annotation): HTMLElement {
    const item = h("li", { class: "hl-item", "data-id": a.id });
    item.style.setProperty("--hl", hex(a.color));
    const where =
      a.page == null
        ? null
        : h("span", { class: a.placed ? "hl-page" : "hl-page unplaced", title: a.placed ? "" : "Not found in this version of the PDF; kept here" },
            a.kind === "area" ? `Area, p. ${a.page}` : `p. ${a.page}`,
            a.placed ? "" : " · not placed");
    const quote = h("blockquote", { class: "hl-quote", title: "Show in the text" }, where, a.quote.exact);
    quote.addEventListener("click", () => void this.showHighlight(a));
    const view = () => {
      clear(item);
      item.append(
        quote,
        ...(a.comment ? [h("p", { class: "hl-comment" }, a.comment)] : []),
        h("div", { class: "hl-actions" },
          h("button", { type: "button", class: "hl-edit", onclick: edit }, "Edit"),
          h("button", { type: "button", class: "hl-delete", onclick: () => void this.mutate(() => api.deleteAnnotation(a.id)) }, "Delete"),
        ),
      );
    };
    const edit = () => {
      clear(item);
      let color = a.color;
      const input = h("input", { type: "text", class: "hl-comment-input", value: a.comment ?? "", placeholder: "Comment" });
      const swatches = h("div", { class: "swatches" },
        ...PALETTE.map(([name, c]) => {
          const b = h("button", { type: "button", class: name === color ? "swatch on" : "swatch", "data-color": name, "aria-label": name, onclick: () => {
            color = name;
            for (const s of swatches.querySelectorAll(".swatch")) s.classList.toggle("on", (s as HTMLElement).dataset.color === name);
          } });
          b.style.background = c;
          return b;
        }),
      );
      const save = () => void this.mutate(() => api.updateAnnotation(a.id, color, input.value));
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") save();
        if (e.key === "Escape") view();
      });
      item.append(quote, swatches, input, h("div", { class: "hl-actions" },
        h("button", { type: "button", class: "hl-save primary", onclick: save }, "Save"),
        h("button", { type: "button", onclick: view }, "Cancel"),
      ));
      input.focus();
    };
    view();
    return item;
  }

  // ----- notes ----------------------------------------------------------------

  private async renderNotes(p: Paper, body: HTMLElement): Promise<void> {
    const first: Note | undefined = p.notes[0];
    const session: NoteSession = {
      paperId: p.id,
      noteId: first?.id ?? null,
      queue: new SaveQueue<string>(async (text) => {
        if (session.noteId) {
          await api.updateNote(session.noteId, text);
        } else if (text.trim()) {
          const note = await api.addNote(session.paperId, text);
          session.noteId = note.id;
        }
        saved.textContent = "Saved";
      }, showError),
    };
    this.note = session;
    const saved = h("span", { class: "saved", id: "note-saved" }, first ? "Saved" : "");
    const editorBox = h("div", { class: "editor", id: "note-editor" });
    const preview = h("div", { class: "preview markdown", id: "note-preview" });
    preview.addEventListener("click", (e) => this.followLink(e));
    const updatePreview = (text: string) => {
      preview.innerHTML = renderNote(text);
    };
    body.append(
      h("div", { class: "note-head" }, h("span", {}, "Markdown note"), saved),
      editorBox,
      h("div", { class: "preview-label" }, "Preview"),
      preview,
    );
    this.editor = createEditor(
      editorBox,
      (text) => {
        saved.textContent = "Saving…";
        session.queue.push(text);
        updatePreview(text);
      },
      (q) => api.complete(q).catch(() => []),
    );
    this.editor.setText(first?.body ?? "");
    updatePreview(first?.body ?? "");
    for (const other of p.notes.slice(1)) {
      body.appendChild(html("div", { class: "preview markdown other-note" }, renderNote(other.body)));
    }
    const back = h("div", { class: "backlinks", id: "backlinks" }, h("h3", {}, "Linked from"));
    body.appendChild(back);
    back.addEventListener("click", (e) => this.followLink(e));
    try {
      const links = await api.backlinks(p.id);
      if (links.length === 0) back.appendChild(h("p", { class: "hint" }, "No notes link here yet."));
      for (const b of links) {
        // A note on another paper links to that paper; a free-standing note
        // of the library folder is named by its file.
        const source = b.paper
          ? h("a", { href: "#", class: "wikilink", "data-paper": b.paper.id }, b.paper.title)
          : h("span", { class: "note-file", title: "A note in the library folder" }, b.file ?? "a note in the library folder");
        back.appendChild(h("div", { class: "backlink" }, source, h("div", { class: "context" }, b.context)));
      }
    } catch (e) {
      showError(e);
    }
  }

  private followLink(e: Event): void {
    const a = (e.target as Element).closest("a");
    if (!a) return;
    e.preventDefault();
    const key = a.getAttribute("data-paper");
    if (key) {
      void this.hooks.open(key);
      return;
    }
    const href = a.getAttribute("href");
    if (href && /^https?:/i.test(href)) void api.openUrl(href).catch(showError);
  }

  // ----- related --------------------------------------------------------------

  private async renderRelated(p: Paper, body: HTMLElement): Promise<void> {
    const mine = h("div", { class: "your-links", id: "your-links" }, h("h3", {}, "Your links"));
    const suggested = h("div", { class: "suggestions", id: "suggestions" }, h("h3", {}, "Suggested"));
    body.append(
      h("div", { class: "related-head" }, h("button", { type: "button", id: "open-graph", onclick: () => this.hooks.showGraph(p.id) }, "Show graph")),
      mine,
      suggested,
    );
    try {
      const r = await busy(api.related(p.id));
      if (this.paper?.id !== p.id) return;
      if (r.relations.length === 0) mine.appendChild(h("p", { class: "hint" }, "No links yet. Link a suggestion below, or write [[citekey]] in a note."));
      for (const rel of r.relations) {
        mine.appendChild(
          h("div", { class: "relation", "data-other": rel.other_id },
            h("span", { class: "kind" }, rel.direction === "outgoing" ? `${rel.kind} →` : `← ${rel.kind}`),
            h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); void this.hooks.open(rel.other_id); } }, rel.other_title),
            h("button", {
              type: "button",
              class: "unlink",
              title: "Remove this link",
              onclick: () => void this.mutate(() =>
                rel.direction === "outgoing" ? api.unlink(p.id, rel.other_id, rel.kind) : api.unlink(rel.other_id, p.id, rel.kind)),
            }, "Remove"),
          ),
        );
      }
      if (r.suggestions.length === 0) suggested.appendChild(h("p", { class: "hint" }, "Nothing similar enough yet."));
      for (const s of r.suggestions) {
        suggested.appendChild(
          h("div", { class: "suggestion", "data-id": s.id },
            h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); void this.hooks.open(s.id); } }, s.title),
            h("div", { class: "reason" }, s.reason),
            s.terms.length > 0 ? h("div", { class: "terms" }, ...s.terms.map((t) => h("span", { class: "term" }, t))) : null,
            h("div", { class: "closest", title: "The sentence of its abstract closest in meaning to this paper", hidden: !s.sentence }, s.sentence ? `“${s.sentence}”` : ""),
            h("button", {
              type: "button",
              class: "accept",
              title: "Link this paper",
              onclick: async () => {
                await this.mutate(() => api.link(p.id, s.id, "related"));
                toast("Linked.");
              },
            }, "Link"),
          ),
        );
      }
      // The sentences that say why a paper is close in meaning come after
      // the list, which they would slow down.
      const close = r.suggestions.filter((s) => s.reason.includes("similar in meaning") && !s.sentence).map((s) => s.id);
      if (close.length > 0) {
        const found = await api.relatedSentences(p.id, close);
        if (this.paper?.id !== p.id) return;
        for (const { id, sentence } of found) {
          const line = suggested.querySelector<HTMLElement>(`.suggestion[data-id="${CSS.escape(id)}"] .closest`);
          if (!line) continue;
          line.textContent = `“${sentence}”`;
          line.hidden = false;
        }
      }
    } catch (e) {
      showError(e);
    }
  }
}

function flash(e: HTMLElement): void {
  e.classList.remove("flash");
  void e.offsetWidth;
  e.classList.add("flash");
}
