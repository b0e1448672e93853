//! Highlights on PDF pages through the real `lectern` binary: a quote of a
//! PDF's text highlighted with its page, kept in the paper file and edited
//! there, carried over to a new version of the PDF, written into a copy of
//! it, and read from the annotations another program stored in a PDF.

mod common;

use common::{Lib, fixture};
use lectern::bench::pdfgen::{self, MOVING_SENTENCE};
use serde_json::Value;

fn write_pdf(dir: &std::path::Path, name: &str, new_version: bool) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pdfgen::moving_sentence_paper(new_version)).unwrap();
    path
}

fn only_paper(lib: &Lib) -> String {
    let list = lib.json(&["list"]);
    list[0]["citekey"].as_str().unwrap().to_string()
}

fn highlights(lib: &Lib, key: &str) -> Vec<Value> {
    lib.json(&["show", key])["annotations"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_pdf_quote_is_highlighted_with_its_page_and_follows_a_new_version() {
    let lib = Lib::new();
    let dir = tempfile::tempdir().unwrap();
    let v1 = write_pdf(dir.path(), "paper-v1.pdf", false);
    lib.ok(&["import", v1.to_str().unwrap()]);
    let key = only_paper(&lib);

    // The abstract does not hold the sentence; the PDF does, on page 2.
    lib.ok(&[
        "annotate",
        &key,
        "--quote",
        MOVING_SENTENCE,
        "--comment",
        "the claim",
    ]);
    let hl = highlights(&lib, &key);
    assert_eq!(hl.len(), 1, "{hl:?}");
    let a = &hl[0];
    assert_eq!(a["page"], 2, "{a}");
    assert_eq!(a["kind"], "text");
    assert_eq!(a["placed"], true);
    assert_eq!(a["quote"]["exact"], MOVING_SENTENCE);
    let rects = a["rects"].as_array().unwrap();
    assert_eq!(
        rects.len(),
        2,
        "a sentence across a line break has two rectangles: {a}"
    );
    let old_top = rects[0]["y1"].as_f64().unwrap();

    // The paper file holds it with its page; an edit there comes back.
    let file = lib.root().join("papers").join(format!("{key}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("> — p. 2\n"), "{text}");
    assert!(text.contains(" page=2 "), "{text}");
    std::fs::write(&file, text.replace("the claim", "the central claim")).unwrap();
    lib.ok(&["sync"]);
    let a = &highlights(&lib, &key)[0];
    assert_eq!(a["comment"], "the central claim");
    assert_eq!(a["page"], 2);
    assert_eq!(a["rects"].as_array().unwrap().len(), 2);

    // A new version with an extra paragraph on page 1: the sentence moved
    // down, and the highlight moves with it.
    let v2 = write_pdf(dir.path(), "paper-v2.pdf", true);
    let report = lib.json(&["attach", &key, v2.to_str().unwrap()]);
    assert_eq!(report["highlights"], 1, "{report}");
    assert_eq!(report["placed"], 1, "{report}");
    let a = &highlights(&lib, &key)[0];
    assert_eq!(a["placed"], true);
    assert_eq!(a["quote"]["exact"], MOVING_SENTENCE);
    assert_eq!(a["comment"], "the central claim");
    assert!(a["file"].as_str().unwrap().ends_with("paper-v2.pdf"), "{a}");
    let new_rects = a["rects"].as_array().unwrap();
    let new_top = new_rects[0]["y1"].as_f64().unwrap();
    let moved = a["page"] != 2 || (new_top - old_top).abs() > 5.0;
    assert!(moved, "the highlight follows the moved sentence: {a}");
    let shown = lib.ok(&["show", &key]);
    assert!(shown.contains("the central claim"), "{shown}");

    // A copy of the PDF with the highlight in it; the attachment stays as it was.
    let attachment = lib.root().join(a["file"].as_str().unwrap());
    let before = std::fs::read(&attachment).unwrap();
    let copy = dir.path().join("copy.pdf");
    let out = lib
        .cmd()
        .args(["export", "pdf", &key, "--out"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&attachment).unwrap(), before);
    let copied = std::fs::read(&copy).unwrap();
    assert!(
        copied.windows(10).any(|w| w == b"/Highlight"),
        "the copy holds a Highlight annotation"
    );

    // The same copy imported into another library brings the highlight.
    let other = Lib::new();
    let imported = other.json(&["import", copy.to_str().unwrap()]);
    assert_eq!(imported["highlights_read"], 1, "{imported}");
    let k = only_paper(&other);
    let b = &highlights(&other, &k)[0];
    assert_eq!(b["quote"]["exact"], MOVING_SENTENCE, "{b}");
    assert_eq!(b["comment"], "the central claim");
    assert_eq!(b["page"], a["page"]);
    // Reading the same file's annotations again adds nothing twice.
    let again = other.json(&["read-annotations", &k]);
    assert_eq!(again["found"], 1, "{again}");
    assert_eq!(again["added"], 0, "{again}");
}

#[test]
fn a_highlight_the_new_version_lacks_is_kept_and_marked() {
    let lib = Lib::new();
    let dir = tempfile::tempdir().unwrap();
    let v1 = write_pdf(dir.path(), "paper.pdf", false);
    lib.ok(&["import", v1.to_str().unwrap()]);
    let key = only_paper(&lib);
    lib.ok(&["annotate", &key, "--quote", MOVING_SENTENCE]);
    // A "new version" that is a different paper altogether.
    let other = dir.path().join("other.pdf");
    std::fs::write(
        &other,
        pdfgen::flowed(
            "Something Else",
            "Roe, Richard",
            &[
                "Nothing here is about video or masks at all; it studies rivers and their deltas."
                    .to_string(),
            ],
            1,
            40,
        ),
    )
    .unwrap();
    let report = lib.json(&["attach", &key, other.to_str().unwrap()]);
    assert_eq!(report["placed"], 0, "{report}");
    assert_eq!(report["unplaced"].as_array().unwrap().len(), 1);
    let a = &highlights(&lib, &key)[0];
    assert_eq!(a["placed"], false);
    assert_eq!(a["quote"]["exact"], MOVING_SENTENCE, "the quote is kept");
    let shown = lib.ok(&["show", &key]);
    assert!(shown.contains("not placed in this version"), "{shown}");
    let text =
        std::fs::read_to_string(lib.root().join("papers").join(format!("{key}.md"))).unwrap();
    assert!(text.contains(" placed=no "), "{text}");
}

#[test]
fn annotations_another_program_stored_in_a_pdf_become_highlights_once() {
    let lib = Lib::new();
    let imported = lib.json(&["import", fixture("pdf/annotated.pdf").to_str().unwrap()]);
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("pdf/annotated.json")).unwrap())
            .unwrap();
    let wanted = expected["annotations"].as_array().unwrap();
    assert_eq!(imported["highlights_read"], wanted.len(), "{imported}");
    let key = only_paper(&lib);
    let hl = highlights(&lib, &key);
    assert_eq!(hl.len(), wanted.len());
    for w in wanted {
        let quote = w["quote"].as_str().unwrap_or("");
        let found = hl.iter().find(|h| {
            h["page"] == w["page"]
                && lectern_fold(h["quote"]["exact"].as_str().unwrap()) == lectern_fold(quote)
        });
        assert!(found.is_some(), "{w} among {hl:?}");
        let found = found.unwrap();
        if !quote.is_empty() {
            assert_eq!(found["kind"], "text", "{found}");
        } else {
            assert_eq!(found["kind"], "area", "{found}");
        }
    }
    let again = lib.json(&["read-annotations", &key]);
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(highlights(&lib, &key).len(), wanted.len());
}

#[test]
fn bad_pdfs_and_unknown_papers_get_one_line_errors() {
    let lib = Lib::new();
    lib.ok(&["import", fixture("trending-papers.txt").to_str().unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    let not_pdf = dir.path().join("notes.pdf");
    std::fs::write(&not_pdf, "just text").unwrap();
    let err = lib.fails(&["attach", "videomaeV2Scaling", not_pdf.to_str().unwrap()]);
    assert!(
        err.contains("not a PDF") && err.lines().count() == 1,
        "{err}"
    );
    let err = lib.fails(&["attach", "no-such-paper", not_pdf.to_str().unwrap()]);
    assert!(err.contains("no-such-paper"), "{err}");
    let err = lib.fails(&["read-annotations", "videomaeV2Scaling"]);
    assert!(err.contains("has no PDF"), "{err}");
    let err = lib.fails(&["export", "pdf", "videomaeV2Scaling", "--out", "/tmp/x.pdf"]);
    assert!(err.contains("has no PDF"), "{err}");
    // Nothing was attached.
    assert!(
        !lib.root()
            .join("attachments")
            .join("videomaeV2Scaling")
            .exists()
    );
}

/// Whitespace folded, as quotes are compared.
fn lectern_fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
