// The "Possible duplicates" view: pairs of papers with the same title that
// the library keeps apart, why, and a button to merge each pair.

import { api, type PossibleDuplicate } from "./api";
import { h, clear } from "./dom";
import { busy, showError, toast } from "./feedback";
import { openModal } from "./modal";

export interface DuplicateHooks {
  /** The library changed: refresh lists and the open paper. */
  changed(): Promise<void>;
  open(id: string): void;
}

function label(key: string, year: number | null | undefined): string {
  return year == null ? key : `${key} (${year})`;
}

function row(d: PossibleDuplicate, hooks: DuplicateHooks, list: HTMLElement): HTMLElement {
  const item = h("li", { class: "dup", "data-a": d.a_citekey, "data-b": d.b_citekey });
  const merge = async (keep: string, other: string, keepKey: string, otherKey: string): Promise<void> => {
    try {
      await busy(api.mergePapers(keep, other));
      item.remove();
      if (list.childElementCount === 0) list.replaceWith(h("p", { class: "hint" }, "No more pairs."));
      toast(`Merged ${otherKey} into ${keepKey}; “${otherKey}” is now an alias.`);
      await hooks.changed();
    } catch (e) {
      showError(e);
    }
  };
  const link = (id: string, text: string) =>
    h("a", { href: "#", class: "dup-open", onclick: (e: Event) => { e.preventDefault(); hooks.open(id); } }, text);
  item.append(
    h("div", { class: "dup-title" }, d.a_title),
    h("div", { class: "dup-keys" }, link(d.a_id, label(d.a_citekey, d.a_year)), " · ", link(d.b_id, label(d.b_citekey, d.b_year))),
    h("div", { class: "dup-reason" }, `Kept apart: ${d.reason}`),
    h(
      "div",
      { class: "dup-actions" },
      h("button", { type: "button", class: "dup-merge-a", onclick: () => void merge(d.a_id, d.b_id, d.a_citekey, d.b_citekey) }, `Keep ${d.a_citekey}, merge the other`),
      h("button", { type: "button", class: "dup-merge-b", onclick: () => void merge(d.b_id, d.a_id, d.b_citekey, d.a_citekey) }, `Keep ${d.b_citekey}, merge the other`),
    ),
  );
  return item;
}

export async function showDuplicates(hooks: DuplicateHooks): Promise<void> {
  try {
    const pairs = await busy(api.possibleDuplicates());
    const list = h("ol", { id: "dup-list" });
    clear(list);
    for (const d of pairs) list.appendChild(row(d, hooks, list));
    openModal(
      "duplicates-modal",
      "Possible duplicates",
      h(
        "p",
        { class: "hint" },
        "Papers with the same title that imports kept apart, because something about them differs or because more than one paper could be the match. Merging keeps both papers' notes, highlights, tags and links; the merged paper's key keeps working as an alias.",
      ),
      pairs.length ? list : h("p", { class: "hint", id: "dup-none" }, "No two papers share a title."),
    );
  } catch (e) {
    showError(e);
  }
}
