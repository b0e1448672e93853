import { snippetFragment, snippetParts, unescapeHtml } from "./snippet";

describe("snippets", () => {
  it("undoes the engine's escaping only", () => {
    expect(unescapeHtml("a &lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; &nbsp;")).toBe("a <b> & \"q\" 's' &nbsp;");
  });

  it("splits bold and plain parts", () => {
    expect(snippetParts("…video <b>masked</b> <b>autoencoder</b> (VideoMAE)")).toEqual([
      { text: "…video ", bold: false },
      { text: "masked", bold: true },
      { text: " ", bold: false },
      { text: "autoencoder", bold: true },
      { text: " (VideoMAE)", bold: false },
    ]);
  });

  it("builds text nodes, so escaped markup stays text", () => {
    const div = document.createElement("div");
    div.appendChild(snippetFragment('x &lt;img src=x onerror=&quot;alert(1)&quot;&gt; <b>hit</b>'));
    expect(div.querySelectorAll("img").length).toBe(0);
    expect(div.querySelectorAll("b").length).toBe(1);
    expect(div.textContent).toBe('x <img src=x onerror="alert(1)"> hit');
  });

  it("never parses raw tags either", () => {
    const div = document.createElement("div");
    div.appendChild(snippetFragment("<script>alert(1)</script><i>x</i>"));
    expect(div.children.length).toBe(0);
    expect(div.textContent).toBe("<script>alert(1)</script><i>x</i>");
  });
});
