import { fullTextTerms } from "./fulltext";

describe("fullTextTerms", () => {
  it("finds text: words and phrases, nothing else", () => {
    expect(fullTextTerms("diffusion text:robot")).toEqual(["robot"]);
    expect(fullTextTerms('text:"dual masking" +text:tubes title:video')).toEqual(["dual masking", "tubes"]);
    expect(fullTextTerms("TEXT:Masking")).toEqual(["Masking"]);
  });

  it("ignores other fields and words that only contain text:", () => {
    expect(fullTextTerms("title:text abstract:words")).toEqual([]);
    expect(fullTextTerms("context:foo")).toEqual([]);
    expect(fullTextTerms('text:""')).toEqual([]);
    expect(fullTextTerms("")).toEqual([]);
  });
});
