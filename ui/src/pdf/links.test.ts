import { buildLinkLayer, linkTarget } from "./links";

describe("links", () => {
  it("reads what a link annotation points at", () => {
    expect(linkTarget({ subtype: "Link", dest: "sec5" })).toEqual({ kind: "dest", dest: "sec5" });
    expect(linkTarget({ subtype: "Link", url: "https://example.org/" })).toEqual({ kind: "url", url: "https://example.org/" });
    expect(linkTarget({ subtype: "Link", unsafeUrl: "http://example.org/x" })).toEqual({ kind: "url", url: "http://example.org/x" });
    expect(linkTarget({ subtype: "Link", action: "NextPage" })).toEqual({ kind: "action", action: "NextPage" });
  });

  it("ignores what it cannot follow", () => {
    expect(linkTarget({ subtype: "Widget", url: "https://example.org/" })).toBeNull();
    expect(linkTarget({ subtype: "Link", unsafeUrl: "javascript:alert(1)" })).toBeNull();
    expect(linkTarget({ subtype: "Link", unsafeUrl: "file:///etc/passwd" })).toBeNull();
    expect(linkTarget({ subtype: "Link" })).toBeNull();
  });

  it("builds boxes that hand the target over instead of navigating", () => {
    const followed: unknown[] = [];
    // A 100×200 pt page at scale 1: y is flipped.
    const layer = buildLinkLayer([{ subtype: "Link", url: "https://example.org/", rect: [10, 150, 30, 170] }], [1, 0, 0, -1, 0, 200], 100, 200, (t) => followed.push(t))!;
    const a = layer.querySelector("a")!;
    expect(a.getAttribute("href")).toBeNull();
    expect(a.style.left).toBe("10%");
    expect(a.style.top).toBe("15%");
    expect(a.style.width).toBe("20%");
    expect(a.style.height).toBe("10%");
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    a.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(followed).toEqual([{ kind: "url", url: "https://example.org/" }]);
  });

  it("makes no layer for a page without links", () => {
    expect(buildLinkLayer([{ subtype: "Text", rect: [0, 0, 1, 1] }], [1, 0, 0, -1, 0, 10], 10, 10, () => {})).toBeNull();
  });
});
