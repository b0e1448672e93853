// The find bar: a query box, previous/next, "3 of 12" and close. It
// searches page after page (see find.ts for the matching), shows the count
// as it goes, and asks its host to draw the hits and bring the current one
// into view. Enter / Shift+Enter step, Escape closes.

import { h } from "../dom";
import { compileQuery, findInText, firstHitFrom, hitLabel, stepHit, type Hit } from "./find";

export interface FindHost {
  pageCount(): number;
  /** 0-based. */
  currentPage(): number;
  pageText(index: number): Promise<string>;
  /** Draws all hits, the current one marked (index into `hits`, or −1). */
  showHits(hits: readonly Hit[], current: number): void;
  /** Scrolls the hit into view. */
  reveal(hit: Hit): void;
  /** Focus goes back to the pages. */
  done(): void;
}

export class FindBar {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly count: HTMLElement;
  private hits: Hit[] = [];
  private index = -1;
  private searching = false;
  private generation = 0;
  private timer = 0;
  private query = "";

  constructor(private readonly host: FindHost) {
    this.input = h("input", { type: "search", class: "pdf-find-input", placeholder: "Find in PDF", "aria-label": "Find in PDF", spellcheck: "false", autocomplete: "off" });
    this.count = h("span", { class: "pdf-find-count", "aria-live": "polite" });
    this.el = h(
      "div",
      { class: "pdf-findbar", role: "search", hidden: true },
      this.input,
      h("button", { type: "button", title: "Previous match (Shift+Enter)", "aria-label": "Previous match", onclick: () => this.step(-1) }, "↑"),
      h("button", { type: "button", title: "Next match (Enter)", "aria-label": "Next match", onclick: () => this.step(1) }, "↓"),
      this.count,
      h("button", { type: "button", class: "pdf-find-close", title: "Close (Escape)", "aria-label": "Close find", onclick: () => this.close() }, "×"),
    );
    this.input.addEventListener("input", () => {
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.search(this.input.value), 150);
    });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(this.timer);
        if (this.input.value !== this.query) void this.search(this.input.value);
        else this.step(e.shiftKey ? -1 : 1);
      } else if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(): void {
    this.el.hidden = false;
    this.input.focus();
    this.input.select();
  }

  close(): void {
    if (this.el.hidden) return;
    this.el.hidden = true;
    this.generation++;
    clearTimeout(this.timer);
    this.hits = [];
    this.index = -1;
    this.query = "";
    this.host.showHits([], -1);
    this.host.done();
  }

  /** Forgets the hits of a closed document. */
  reset(): void {
    this.close();
    this.input.value = "";
    this.count.textContent = "";
  }

  /** Searches the whole document; resolves with the number of hits. */
  async search(query: string): Promise<number> {
    const gen = ++this.generation;
    this.input.value = query;
    this.query = query;
    this.hits = [];
    this.index = -1;
    const re = compileQuery(query);
    if (!re) {
      this.count.textContent = "";
      this.host.showHits([], -1);
      return 0;
    }
    this.searching = true;
    const from = this.host.currentPage();
    const n = this.host.pageCount();
    this.label();
    for (let p = 0; p < n; p++) {
      let text: string;
      try {
        text = await this.host.pageText(p);
      } catch {
        continue;
      }
      if (gen !== this.generation) return this.hits.length;
      const found = findInText(text, re).map((m) => ({ page: p, ...m }));
      if (found.length === 0) continue;
      this.hits.push(...found);
      // Show the first hit at or after the page being read as soon as it is found.
      if (this.index < 0 && p >= from) {
        this.index = firstHitFrom(this.hits, from);
        this.host.reveal(this.hits[this.index]);
      }
      this.host.showHits(this.hits, this.index);
      this.label();
    }
    this.searching = false;
    if (this.index < 0 && this.hits.length) {
      this.index = 0;
      this.host.reveal(this.hits[0]);
    }
    this.host.showHits(this.hits, this.index);
    this.label();
    return this.hits.length;
  }

  step(dir: 1 | -1): void {
    if (this.hits.length === 0) return;
    this.index = stepHit(this.index, this.hits.length, dir);
    this.host.showHits(this.hits, this.index);
    this.host.reveal(this.hits[this.index]);
    this.label();
  }

  private label(): void {
    this.count.textContent = hitLabel(this.index, this.hits.length, this.searching);
  }
}
