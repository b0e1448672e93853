import { openWikilink, wikilinkKeys } from "./wikilink";

describe("openWikilink", () => {
  it("finds an unclosed [[ and what was typed after it", () => {
    expect(openWikilink("see [[smi")).toEqual({ from: 6, query: "smi" });
    expect(openWikilink("[[")).toEqual({ from: 2, query: "" });
  });

  it("uses the last [[ on the line", () => {
    expect(openWikilink("[[a]] and [[b")).toEqual({ from: 12, query: "b" });
  });

  it("returns null when there is no open link", () => {
    expect(openWikilink("plain text")).toBeNull();
    expect(openWikilink("[single")).toBeNull();
    expect(openWikilink("done [[smith2020]]")).toBeNull();
  });

  it("returns null once a label, a newline or a long run was typed", () => {
    expect(openWikilink("[[smith2020|lab")).toBeNull();
    expect(openWikilink("[[smith\nmore")).toBeNull();
    expect(openWikilink("[[" + "x".repeat(81))).toBeNull();
    expect(openWikilink("[[" + "x".repeat(80))).toEqual({ from: 2, query: "x".repeat(80) });
  });
});

describe("wikilinkKeys", () => {
  it("lists keys of plain and labelled links in order", () => {
    expect(wikilinkKeys("First [[b2021]], then [[a2019|Alice et al.]].")).toEqual(["b2021", "a2019"]);
  });

  it("lists each key once and trims spaces", () => {
    expect(wikilinkKeys("[[ k1 ]] [[k2]] [[k1|again]] [[k2]]")).toEqual(["k1", "k2"]);
  });

  it("ignores unclosed, empty, nested and multi-line brackets", () => {
    expect(wikilinkKeys("[[open and [[]] and [[a\nb]] and [[ ]] and [single]")).toEqual([]);
  });

  it("returns nothing for text without links", () => {
    expect(wikilinkKeys("")).toEqual([]);
  });
});
