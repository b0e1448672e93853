// The document outline (bookmarks) as a collapsible list: titles are text
// nodes, entries with children get a toggle, and a click hands the entry's
// destination or address to the viewer. Entries are open or closed as the
// PDF says (a positive `count` is open).

import { h } from "../dom";

export interface OutlineNode {
  title: string;
  dest: string | unknown[] | null;
  url: string | null;
  count?: number;
  items: OutlineNode[];
}

/** The outline's title with control characters and runs of white space tidied. */
export function outlineTitle(t: unknown): string {
  const s = typeof t === "string" ? t.replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim() : "";
  return s || "(untitled)";
}

/** Counts entries, to decide whether an outline is worth showing. */
export function outlineSize(items: readonly OutlineNode[]): number {
  return items.reduce((n, it) => n + 1 + outlineSize(it.items ?? []), 0);
}

export function buildOutline(items: readonly OutlineNode[], select: (node: OutlineNode) => void): HTMLElement {
  const list = (nodes: readonly OutlineNode[], depth: number): HTMLUListElement =>
    h(
      "ul",
      { role: depth === 0 ? "tree" : "group" },
      ...nodes.map((node) => {
        const kids = node.items ?? [];
        const open = (node.count ?? 0) > 0;
        const li = h("li", { role: "treeitem", class: kids.length ? (open ? "open" : "closed") : "leaf" });
        if (kids.length) li.setAttribute("aria-expanded", String(open));
        const toggle = kids.length
          ? h("button", {
              type: "button",
              class: "pdf-outline-toggle",
              "aria-label": "Show or hide the sub-entries",
              onclick: () => {
                const nowOpen = !li.classList.contains("open");
                li.classList.toggle("open", nowOpen);
                li.classList.toggle("closed", !nowOpen);
                li.setAttribute("aria-expanded", String(nowOpen));
              },
            })
          : h("span", { class: "pdf-outline-toggle" });
        const title = h("button", { type: "button", class: "pdf-outline-title", title: outlineTitle(node.title), onclick: () => select(node) }, outlineTitle(node.title));
        li.append(h("div", { class: "pdf-outline-row" }, toggle, title));
        if (kids.length) li.append(list(kids, depth + 1));
        return li;
      }),
    );
  return list(items, 0);
}
