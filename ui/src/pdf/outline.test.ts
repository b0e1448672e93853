import { buildOutline, outlineSize, outlineTitle, type OutlineNode } from "./outline";

const node = (title: string, items: OutlineNode[] = [], count?: number): OutlineNode => ({ title, dest: title, url: null, count, items });

describe("outline", () => {
  it("tidies titles", () => {
    expect(outlineTitle("  1\u0000Intro\r\nduction ")).toBe("1 Intro duction");
    expect(outlineTitle("")).toBe("(untitled)");
    expect(outlineTitle(undefined)).toBe("(untitled)");
  });

  it("counts entries", () => {
    expect(outlineSize([node("a", [node("b"), node("c", [node("d")])]), node("e")])).toBe(5);
  });

  it("opens entries as the PDF says and puts titles in as text", () => {
    const picked: string[] = [];
    const tree = buildOutline([node("<b>One</b>", [node("1.1")], 1), node("Two", [node("2.1")], -1)], (n) => picked.push(n.title));
    const items = tree.querySelectorAll(":scope > li");
    expect(items[0].className).toBe("open");
    expect(items[1].className).toBe("closed");
    const title = items[0].querySelector(".pdf-outline-title")!;
    expect(title.textContent).toBe("<b>One</b>");
    expect(title.querySelector("b")).toBeNull();
    (items[1].querySelector("button.pdf-outline-toggle") as HTMLButtonElement).click();
    expect(items[1].className).toBe("open");
    (items[1].querySelector(":scope li .pdf-outline-title") as HTMLButtonElement).click();
    expect(picked).toEqual(["2.1"]);
  });
});
