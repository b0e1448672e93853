import { snippetFragment } from "./snippet";

describe("snippets", () => {
  it("marks matched pieces with <b> and keeps the rest as text", () => {
    const div = document.createElement("div");
    div.appendChild(snippetFragment([
      { text: "…video ", matched: false },
      { text: "masked", matched: true },
      { text: " ", matched: false },
      { text: "autoencoder", matched: true },
      { text: " (VideoMAE)", matched: false },
    ]));
    expect([...div.querySelectorAll("b")].map((b) => b.textContent)).toEqual(["masked", "autoencoder"]);
    expect(div.textContent).toBe("…video masked autoencoder (VideoMAE)");
  });

  it("never parses markup in the text", () => {
    const div = document.createElement("div");
    div.appendChild(snippetFragment([
      { text: 'x <img src=x onerror="alert(1)"> &amp; ', matched: false },
      { text: "<script>alert(1)</script>", matched: true },
    ]));
    expect(div.querySelectorAll("img, script").length).toBe(0);
    expect(div.querySelectorAll("b").length).toBe(1);
    expect(div.textContent).toBe('x <img src=x onerror="alert(1)"> &amp; <script>alert(1)</script>');
  });

  it("shows nothing for no pieces", () => {
    const div = document.createElement("div");
    div.appendChild(snippetFragment([]));
    expect(div.childNodes.length).toBe(0);
  });
});
