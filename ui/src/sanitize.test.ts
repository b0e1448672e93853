import { renderNote } from "./sanitize";

/** Parses HTML into a detached container for inspection. */
function parse(html: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = html;
  return div;
}

/** Every attribute name in the tree. */
function attributeNames(root: Element): string[] {
  return [...root.querySelectorAll("*")].flatMap((e) => [...e.attributes].map((a) => a.name));
}

describe("renderNote", () => {
  it("renders Markdown", () => {
    const root = parse(renderNote("# Title\n\nSome **bold** and *em*.\n\n- one\n- two"));
    expect(root.querySelector("h1")?.textContent).toBe("Title");
    expect(root.querySelector("strong")?.textContent).toBe("bold");
    expect(root.querySelector("em")?.textContent).toBe("em");
    expect([...root.querySelectorAll("li")].map((li) => li.textContent)).toEqual(["one", "two"]);
  });

  it("turns [[citekey]] into a wikilink labelled with the key", () => {
    const a = parse(renderNote("See [[smith2020]].")).querySelector("a")!;
    expect(a.className).toBe("wikilink");
    expect(a.getAttribute("data-paper")).toBe("smith2020");
    expect(a.textContent).toBe("smith2020");
  });

  it("turns [[citekey|label]] into a wikilink with that label", () => {
    const links = parse(renderNote("[[smith2020|Smith et al.]] and [[ doe1999 ]]")).querySelectorAll("a.wikilink");
    expect([...links].map((a) => [a.getAttribute("data-paper"), a.textContent])).toEqual([
      ["smith2020", "Smith et al."],
      ["doe1999", "doe1999"],
    ]);
  });

  it("escapes markup inside a wikilink label", () => {
    const root = parse(renderNote("[[k|<img src=x onerror=alert(1)>]]"));
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("a.wikilink")?.textContent).toBe("<img src=x onerror=alert(1)>");
  });

  it("keeps http links", () => {
    const a = parse(renderNote("[site](https://example.org/x)")).querySelector("a")!;
    expect(a.getAttribute("href")).toBe("https://example.org/x");
  });

  it("strips images with onerror and scripts", () => {
    const root = parse(renderNote('text <img src=x onerror="alert(1)"> more\n\n<script>alert(2)</script>'));
    expect(root.querySelector("img, script")).toBeNull();
    expect(root.innerHTML).not.toMatch(/onerror|alert\(2\)/);
    expect(root.textContent).toContain("text");
  });

  it("drops javascript: links", () => {
    const html = renderNote('[click](javascript:alert(1)) <a href="JavaScript:alert(2)">raw</a>');
    const root = parse(html);
    expect(html.toLowerCase()).not.toContain("javascript:");
    for (const a of root.querySelectorAll("a")) expect(a.hasAttribute("href")).toBe(false);
    expect(root.textContent).toContain("raw");
  });

  it("drops inline event handlers and style attributes", () => {
    const root = parse(
      renderNote('<p onclick="evil()" style="color:red">para</p> <span onmouseover="evil()" style="x">s</span>'),
    );
    expect(root.textContent).toContain("para");
    const names = attributeNames(root);
    expect(names).not.toContain("onclick");
    expect(names).not.toContain("onmouseover");
    expect(names).not.toContain("style");
  });
});
