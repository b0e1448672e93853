//! Tests of `read_pdf` on whole documents: generated papers, files that cannot
//! be read as text, arbitrary bytes, and the fixtures (with a timing run by
//! hand).

use lopdf::Document;
use proptest::prelude::*;

use super::abstract_text::abstract_from_text;
use super::assemble::NO_TEXT;
use super::clean::clean_page;
use super::identifiers::{date_year, find_doi};
use super::info::split_authors;
use super::testpdf::{TestPdf, content, lit, raw_pdf, stream};
use super::title::title_from_text;
use super::*;

/// Page 1 of a typical paper.
const PAPER_PAGE_1: &str = "PREPRINT
Published as a conference paper at ICLR 2024

Sparse Retrieval with Learned
Term Weights for Long Documents

Ann Lee1, Bo Chen2 and Cy Diaz1
1University of Somewhere, 2Institute of Elsewhere
{ann, cy}@somewhere.edu

Abstract
We study sparse retrieval for long documents and show that learned
term weights improve the representa-
tion of rare terms. Our state-of-the-
art model is fast.

Code and data: https://doi.org/10.1145/3292500.3330701.

1 Introduction
Retrieval systems index documents (Smith, 2020).";

const PAPER_PAGE_2: &str = "2 Method
We weight each term by a small network trained end to end.

References
[1] J. Smith. Older work. doi:10.1000/cited.2019.";

fn paper_pdf() -> TestPdf {
    TestPdf::new(&[PAPER_PAGE_1, PAPER_PAGE_2])
        .stamp("arXiv:2303.16727v2 [cs.IR] 12 Apr 2023")
        .info(
            "Title",
            lit("Sparse Retrieval with Learned Term Weights for Long Documents"),
        )
        .info("Author", lit("Ann Lee, Bo Chen and Cy Diaz"))
        .info(
            "Keywords",
            lit("Information Retrieval; sparse retrieval, Long Documents"),
        )
        .info("CreationDate", lit("D:20230411093000Z"))
        .info("Producer", lit("Lectern test PDF generator"))
}

fn read(pdf: &TestPdf) -> PdfRead {
    read_pdf(&pdf.bytes(), "paper.pdf", "paper")
}

// -----------------------------------------------------------------------
// The generator itself
// -----------------------------------------------------------------------

#[test]
fn generated_pdf_text_comes_back_through_pdf_extract() {
    let bytes = TestPdf::new(&["Hello (round) world\\\nsecond line", "page two"]).bytes();
    let doc = Document::load_mem(&bytes).expect("generated PDF loads");
    assert_eq!(doc.get_pages().len(), 2);
    let text = pdf_extract::extract_text_from_mem(&bytes).expect("pdf-extract reads it");
    assert!(text.contains("Hello (round) world\\"), "{text:?}");
    assert!(text.contains("second line"), "{text:?}");
    assert!(text.contains("page two"), "{text:?}");
}

// -----------------------------------------------------------------------
// Whole documents
// -----------------------------------------------------------------------

#[test]
fn paper_with_info_reads_every_field() {
    let read = read(&paper_pdf());
    assert_eq!(read.warning, None);
    assert_eq!(read.pages, 2);
    let p = &read.paper;
    assert_eq!(
        p.title,
        "Sparse Retrieval with Learned Term Weights for Long Documents"
    );
    assert_eq!(p.authors, ["Lee, Ann", "Chen, Bo", "Diaz, Cy"]);
    assert_eq!(
        p.tags,
        [
            "information-retrieval",
            "sparse-retrieval",
            "long-documents"
        ]
    );
    assert_eq!(p.doi.as_deref(), Some("10.1145/3292500.3330701"));
    assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
    assert_eq!(p.year, Some(2023));
    assert_eq!(p.source, "paper.pdf:1");
    assert_eq!(
        p.abstract_text,
        "We study sparse retrieval for long documents and show that learned term weights \
         improve the representation of rare terms. Our state-of-the-art model is fast.\n\n\
         Code and data: https://doi.org/10.1145/3292500.3330701."
    );
    assert_eq!(p.venue, None);
    assert!(p.links.is_empty() && p.extra.is_empty());
    assert!(
        read.full_text
            .contains("Retrieval systems index documents (Smith, 2020).")
    );
    assert!(read.full_text.contains("We weight each term"));
}

#[test]
fn title_comes_from_page_text_without_info() {
    let read = read(&TestPdf::new(&[PAPER_PAGE_1]));
    assert_eq!(read.warning, None);
    assert_eq!(
        read.paper.title,
        "Sparse Retrieval with Learned Term Weights for Long Documents"
    );
    assert!(
        read.paper.authors.is_empty(),
        "names are not guessed from text"
    );
    assert_eq!(read.paper.year, None);
    assert!(read.paper.tags.is_empty());
}

/// Page 1 with a running header and an author line in small type above
/// a title in large type that wraps onto a second line and ends in a
/// raised footnote mark.
const LARGE_TITLE_PAGE: &str = "#8 Journal of Dynamic Languages 3 (2009) 465-478
#9 Andreas Gal, Brendan Eich and Mike Shaver

#20 Trace-based Just-in-Time Type Specialization for Dynamic
#20 Languages^*

Abstract
Dynamic languages such as JavaScript are more difficult to compile than
statically typed ones. Since no concrete type information is available,
traditional compilers need to emit generic code that can handle all
possible type combinations at runtime. We present an alternative
compilation technique for dynamically-typed languages that identifies
frequently executed loop traces at run-time and then generates machine
code on the fly that is specialized for the actual dynamic types.

1 Introduction
Dynamic languages are popular for writing web applications.";

const TRACE_TITLE: &str = "Trace-based Just-in-Time Type Specialization for Dynamic Languages";

#[test]
fn title_in_large_type_is_joined_across_lines() {
    let read = read(&TestPdf::new(&[LARGE_TITLE_PAGE]));
    assert_eq!(read.warning, None);
    assert_eq!(read.paper.title, TRACE_TITLE);
    // The text alone cannot tell the author line from a title.
    assert_ne!(
        title_from_text(&clean_page(&read.full_text)).as_deref(),
        Some(TRACE_TITLE)
    );
}

#[test]
fn info_title_is_checked_against_the_large_type() {
    let with_info = |title: &str| {
        read(&TestPdf::new(&[LARGE_TITLE_PAGE]).info("Title", lit(title)))
            .paper
            .title
    };
    // A placeholder, a shorter or an older title: the page wins.
    assert_eq!(with_info("What is the name of this paper?"), TRACE_TITLE);
    assert_eq!(
        with_info("Trace-based Just-in-Time Type Specialization"),
        TRACE_TITLE
    );
    assert_eq!(with_info("TraceMonkey: a tracing JIT"), TRACE_TITLE);
    // Only case and punctuation differ: the page as printed.
    assert_eq!(
        with_info("trace based just in time type specialization for dynamic languages"),
        TRACE_TITLE
    );

    // The largest type is a journal banner; the Info title is printed
    // below it and wins.
    let banner = "#24 Dynamic Languages Quarterly

#14 Tracing Compilers for the Web
Ann Lee and Bo Chen
Abstract
We study tracing compilers for dynamic languages on the web and find them
faster than method compilers on loops, and slower on branchy code paths.";
    let read_banner = |info: Option<&str>| {
        let mut pdf = TestPdf::new(&[banner]);
        if let Some(title) = info {
            pdf = pdf.info("Title", lit(title));
        }
        read(&pdf).paper.title
    };
    assert_eq!(
        read_banner(Some("Tracing Compilers for the Web")),
        "Tracing Compilers for the Web"
    );
    assert_eq!(read_banner(None), "Dynamic Languages Quarterly");
}

#[test]
fn meaningless_info_titles_give_way_to_page_text() {
    for junk in [
        "paper.dvi",
        "Microsoft Word - final version.docx",
        "untitled",
        "Untitled document",
        "main",
        "",
    ] {
        let pdf = TestPdf::new(&[PAPER_PAGE_1]).info("Title", lit(junk));
        assert_eq!(
            read(&pdf).paper.title,
            "Sparse Retrieval with Learned Term Weights for Long Documents",
            "Info title {junk:?}"
        );
    }
}

#[test]
fn utf16_info_strings_are_decoded() {
    // "Über Graphen" in UTF-16BE with a byte order mark.
    let pdf = TestPdf::new(&[PAPER_PAGE_1])
        .info(
            "Title",
            "<FEFF00DC0062006500720020004700720061007000680065006E>".into(),
        )
        .info(
            "Author",
            "<FEFF004A00F60072006700200053006D006900740068>".into(),
        );
    let read = read(&pdf);
    assert_eq!(read.paper.title, "Über Graphen");
    assert_eq!(read.paper.authors, ["Smith, Jörg"]);
}

#[test]
fn multi_page_text_is_joined_in_order() {
    let pdf = TestPdf::new(&[
        "A Study of Three Pages\n\nfirst page body text that is long enough to count",
        "second   page   body text that is long enough to count",
        "third page body text that is long enough to count",
    ]);
    let read = read(&pdf);
    assert_eq!(read.warning, None);
    assert_eq!(read.pages, 3);
    assert_eq!(read.paper.title, "A Study of Three Pages");
    assert_eq!(
        read.full_text,
        "A Study of Three Pages\n\nfirst page body text that is long enough to count\n\n\
         second page body text that is long enough to count\n\n\
         third page body text that is long enough to count"
    );
}

#[test]
fn arxiv_stamp_as_a_line_and_doi_on_page_one() {
    let pdf = TestPdf::new(&[
        "arXiv:1412.6980v9 [cs.LG] 30 Jan 2017\n\nAdam: A Method for Stochastic Optimization\n\n\
         Published version: doi:10.48550/arXiv.1412.6980).\nBody text follows here.",
    ]);
    let read = read(&pdf);
    assert_eq!(
        read.paper.title,
        "Adam: A Method for Stochastic Optimization"
    );
    assert_eq!(read.paper.arxiv.as_deref(), Some("1412.6980"));
    assert_eq!(read.paper.year, Some(2017));
    assert_eq!(read.paper.doi.as_deref(), Some("10.48550/arXiv.1412.6980"));
}

#[test]
fn rotated_stamp_with_old_style_id() {
    let pdf = TestPdf::new(&["Dualities in String Theory\n\nSome body text of the paper."])
        .stamp("arXiv:hep-th/9901001v1 4 Jan 1999");
    let read = read(&pdf);
    assert_eq!(read.paper.arxiv.as_deref(), Some("hep-th/9901001"));
    assert_eq!(read.paper.year, Some(1999));
}

#[test]
fn doi_in_references_is_not_the_papers() {
    let pdf = TestPdf::new(&[
        "A Paper Without Its Own DOI\n\nBody text of the paper goes here.",
        "References\n[1] A. Cited. Work. 10.1000/not-ours.",
    ]);
    assert_eq!(read(&pdf).paper.doi, None);
    let pdf = TestPdf::new(&[
        "A Paper With a DOI Later\n\nBody text of the paper goes here.",
        "Published as 10.5555/ours.42.\n\nReferences\n[1] 10.1000/not-ours",
    ]);
    assert_eq!(read(&pdf).paper.doi.as_deref(), Some("10.5555/ours.42"));
}

#[test]
fn doi_from_info_subject_wins() {
    let pdf = TestPdf::new(&[PAPER_PAGE_1]).info(
        "Subject",
        lit("Journal of Tests, 12 (2020) 1-9. doi:10.1016/j.test.2020.01.001"),
    );
    assert_eq!(
        read(&pdf).paper.doi.as_deref(),
        Some("10.1016/j.test.2020.01.001")
    );
}

#[test]
fn creation_date_gives_the_year_without_a_stamp() {
    let pdf = TestPdf::new(&[PAPER_PAGE_1]).info("CreationDate", lit("D:20190102030405+01'00'"));
    assert_eq!(read(&pdf).paper.year, Some(2019));
}

// -----------------------------------------------------------------------
// Files that cannot be read as text
// -----------------------------------------------------------------------

fn assert_attachment(read: &PdfRead, warning_start: &str) {
    let warning = read.warning.as_deref().unwrap_or("");
    assert!(warning.starts_with(warning_start), "{warning:?}");
    assert!(!warning.contains('\n'));
    assert_eq!(read.paper.title, "fallback name");
    assert_eq!(read.paper.source, "x.pdf:1");
    assert!(read.full_text.is_empty());
    assert!(read.paper.abstract_text.is_empty());
}

#[test]
fn encrypt_entry_in_the_trailer_means_encrypted() {
    let bytes = paper_pdf().encrypted().bytes();
    let read = read_pdf(&bytes, "x.pdf", "fallback name");
    assert_attachment(&read, ENCRYPTED);
    assert_eq!(read.warning.as_deref(), Some(ENCRYPTED));
}

/// The paper encrypted by lopdf (RC4, 128 bit), with and without a user
/// password.
fn really_encrypted(user_password: &str) -> Vec<u8> {
    let mut doc = Document::load_mem(&paper_pdf().bytes()).expect("loads");
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password,
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    })
    .expect("encryption state");
    doc.encrypt(&state).expect("encrypts");
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("saves");
    bytes
}

#[test]
fn pdf_encrypted_with_a_user_password_is_encrypted() {
    let read = read_pdf(&really_encrypted("secret"), "x.pdf", "fallback name");
    assert_eq!(read.warning.as_deref(), Some(ENCRYPTED));
    assert_attachment(&read, ENCRYPTED);
    assert_eq!(read.pages, 0, "the file could not be opened");
}

/// Owner-password-only encryption (printing or copying restricted, as
/// some publishers do) opens with the empty password; lopdf decrypts it
/// while loading, so it reads like any other PDF.
#[test]
fn pdf_encrypted_with_an_empty_user_password_is_read() {
    let read = read_pdf(&really_encrypted(""), "x.pdf", "fallback name");
    assert_eq!(read.warning, None);
    assert_eq!(
        read,
        read_pdf(&paper_pdf().bytes(), "x.pdf", "fallback name")
    );
}

#[test]
fn random_bytes_after_a_header_are_unreadable() {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    let mut x: u32 = 12345;
    for _ in 0..4000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        bytes.push((x >> 16) as u8);
    }
    let read = read_pdf(&bytes, "x.pdf", "fallback name");
    assert_attachment(&read, "unreadable PDF (");
    assert!(
        read.warning
            .as_deref()
            .unwrap_or("")
            .ends_with("); imported as an attachment")
    );
    assert_eq!(read.pages, 0);
}

#[test]
fn truncated_pdf_is_unreadable() {
    let bytes = paper_pdf().bytes();
    for keep in [bytes.len() / 2, bytes.len() / 5, 40, 9] {
        let read = read_pdf(&bytes[..keep], "x.pdf", "fallback name");
        assert_attachment(&read, "unreadable PDF (");
    }
}

#[test]
fn not_a_pdf_at_all() {
    let read = read_pdf(b"@article{x, title={No}}", "x.pdf", "fallback name");
    assert_attachment(&read, "unreadable PDF (no %PDF- header)");
}

#[test]
fn empty_pages_have_no_text_layer() {
    let read = read_pdf(
        &TestPdf::new(&["", "", ""]).bytes(),
        "x.pdf",
        "fallback name",
    );
    assert_attachment(&read, NO_TEXT);
    assert_eq!(read.pages, 3);
}

#[test]
fn page_numbers_alone_are_no_text_layer() {
    let pdf = TestPdf::new(&["1", "2", "Scanned by a copier 3"])
        .info("Author", lit("Ann Lee"))
        .info("Title", lit("paper.pdf"));
    let read = read_pdf(&pdf.bytes(), "x.pdf", "fallback name");
    assert_attachment(&read, NO_TEXT);
    assert_eq!(read.paper.authors, ["Lee, Ann"], "Info is still read");
}

#[test]
fn scan_keeps_a_meaningful_info_title() {
    let pdf = TestPdf::new(&[""]).info("Title", lit("A Scanned Classic"));
    let read = read_pdf(&pdf.bytes(), "x.pdf", "fallback name");
    assert_eq!(read.warning.as_deref(), Some(NO_TEXT));
    assert_eq!(read.paper.title, "A Scanned Classic");
}

#[test]
fn is_pdf_looks_at_the_first_kilobyte() {
    assert!(is_pdf(b"%PDF-1.7\n"));
    let mut late = vec![b' '; 1000];
    late.extend_from_slice(b"%PDF-1.4");
    assert!(is_pdf(&late), "junk before the header is allowed");
    let mut too_late = vec![b' '; 1020];
    too_late.extend_from_slice(b"%PDF-1.4");
    assert!(!is_pdf(&too_late));
    assert!(!is_pdf(b""));
    assert!(!is_pdf(b"%PDF"));
}

/// A page whose content draws a form XObject that draws itself; without
/// the cycle check pdf-extract would recurse until the stack overflows.
#[test]
fn self_drawing_form_xobject_does_not_recurse() {
    let page = "Recursive Forms Considered Harmful\n\nThe body text is still read from this page.";
    let lines: Vec<String> = page.split('\n').map(str::to_string).collect();
    let ops = format!("{}q /X1 Do Q\n", content(&lines));
    for form_resources in ["/Resources << /XObject << /X1 5 0 R >> >>", ""] {
        let objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_string(),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources \
             << /Font << /F1 3 0 R >> /XObject << /X1 5 0 R >> >> /Contents 6 0 R >>"
                .to_string(),
            format!(
                "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] {form_resources} \
                 /Length 8 >>\nstream\n/X1 Do Q\nendstream"
            ),
            stream(&ops),
        ];
        let read = read_pdf(&raw_pdf(&objects, ""), "x.pdf", "fallback");
        assert_eq!(read.warning, None, "{form_resources:?}");
        // lopdf's extraction has no blank lines, so the title runs on.
        assert!(
            read.paper
                .title
                .starts_with("Recursive Forms Considered Harmful")
        );
        assert!(
            read.full_text.contains("still read"),
            "{:?}",
            read.full_text
        );
    }
}

/// A page with no MediaBox anywhere: pdf-extract panics on it, and the
/// page is read by lopdf instead.
#[test]
fn page_without_media_box_still_reads() {
    let read = read_pdf(&raw_pdf(&no_box_page("2 0 R"), ""), "x.pdf", "fallback");
    assert_eq!(read.warning, None);
    assert!(read.paper.title.starts_with("Pages Without Boxes"));
    assert!(
        read.full_text.contains("still read"),
        "{:?}",
        read.full_text
    );
}

/// The same page as its own parent: pdf-extract would look for the
/// MediaBox up that chain forever, and lopdf refuses the cycle.
#[test]
fn page_that_is_its_own_parent_does_not_recurse() {
    let read = read_pdf(&raw_pdf(&no_box_page("4 0 R"), ""), "x.pdf", "fallback");
    assert_eq!(read.warning.as_deref(), Some(NO_TEXT));
    assert_eq!(read.pages, 1);
}

fn no_box_page(parent: &str) -> Vec<String> {
    let page = "Pages Without Boxes\n\nThe body text is still read from this page.";
    let lines: Vec<String> = page.split('\n').map(str::to_string).collect();
    vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!(
            "<< /Type /Page /Parent {parent} /Resources << /Font << /F1 3 0 R >> >> \
             /Contents 5 0 R >>"
        ),
        stream(&content(&lines)),
    ]
}

// -----------------------------------------------------------------------
// Never panics
// -----------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let read = read_pdf(&bytes, "x.pdf", "f");
        prop_assert!(read.warning.is_some());
        prop_assert_eq!(read.paper.title, "f");
    }

    #[test]
    fn arbitrary_bytes_after_a_header_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut pdf = b"%PDF-1.5\n".to_vec();
        pdf.extend_from_slice(&bytes);
        let read = read_pdf(&pdf, "x.pdf", "f");
        prop_assert!(read.warning.is_some());
    }

    #[test]
    fn damaged_pdfs_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = paper_pdf().bytes();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let keep = bytes.len() - cut.index(bytes.len() / 4);
        bytes.truncate(keep);
        let read = read_pdf(&bytes, "x.pdf", "f");
        prop_assert!(!read.paper.title.is_empty());
        prop_assert_eq!(read.paper.source, "x.pdf:1");
    }

    #[test]
    fn arbitrary_page_text_never_panics(lines in proptest::collection::vec("\\PC{0,60}", 0..12)) {
        let page = lines.join("\n");
        let _ = title_from_text(&page);
        let _ = abstract_from_text(&page);
        let _ = clean_page(&page);
        let _ = find_doi(&page);
        let _ = split_authors(&page);
        let _ = date_year(&page);
    }
}

// -----------------------------------------------------------------------
// Fixtures and timing (run by hand with `--ignored`)
// -----------------------------------------------------------------------

/// Writes the PDF fixtures into `tests/fixtures/formats/`.
#[test]
#[ignore = "writes fixture files"]
fn write_fixtures() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    std::fs::create_dir_all(&dir).expect("fixture dir");
    let paper = paper_pdf().bytes();
    std::fs::write(dir.join("pdf-paper.pdf"), &paper).expect("write");
    let blank = TestPdf::new(&["", ""]).bytes();
    std::fs::write(dir.join("pdf-no-text.pdf"), blank).expect("write");
    std::fs::write(dir.join("pdf-broken.pdf"), &paper[..paper.len() / 2]).expect("write");
}

/// The fixtures in `tests/fixtures/formats/` are what [`write_fixtures`]
/// writes, and read as intended.
#[test]
fn fixtures_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let fixture = |name: &str| std::fs::read(dir.join(name)).expect("fixture exists");
    let paper = fixture("pdf-paper.pdf");
    assert_eq!(paper, paper_pdf().bytes());
    let read = read_pdf(&paper, "pdf-paper.pdf", "pdf-paper");
    assert_eq!(read.warning, None);
    assert_eq!(read.pages, 2);
    assert_eq!(read.paper.arxiv.as_deref(), Some("2303.16727"));
    let read = read_pdf(
        &fixture("pdf-no-text.pdf"),
        "pdf-no-text.pdf",
        "pdf-no-text",
    );
    assert_eq!(read.warning.as_deref(), Some(NO_TEXT));
    assert_eq!(read.paper.title, "pdf-no-text");
    let broken = fixture("pdf-broken.pdf");
    assert_eq!(broken, paper[..paper.len() / 2]);
    let read = read_pdf(&broken, "pdf-broken.pdf", "pdf-broken");
    assert!(
        read.warning
            .is_some_and(|w| w.starts_with("unreadable PDF ("))
    );
}

/// Reads 100 PDFs of 20 pages of about 3000 characters each.
#[test]
#[ignore = "timing; run in release mode"]
fn timing_100_pdfs_of_20_pages() {
    let line = "Retrieval models weigh terms by learned importance, and we measure how ";
    let page: Vec<&str> = std::iter::repeat_n(line, 42).collect();
    let page = page.join("\n");
    let pages: Vec<&str> = std::iter::repeat_n(page.as_str(), 20).collect();
    let files: Vec<Vec<u8>> = (0..100)
        .map(|i| {
            let mut pages = pages.clone();
            let first = format!("Paper Number {i} on Retrieval\n\nAbstract\n{page}");
            pages[0] = &first;
            TestPdf::new(&pages).bytes()
        })
        .collect();
    let start = std::time::Instant::now();
    let mut characters = 0;
    for (i, bytes) in files.iter().enumerate() {
        let read = read_pdf(bytes, "t.pdf", "t");
        assert_eq!(read.warning, None);
        assert_eq!(read.pages, 20);
        assert_eq!(read.paper.title, format!("Paper Number {i} on Retrieval"));
        characters += read.full_text.len();
    }
    let elapsed = start.elapsed();
    println!("read 100 PDFs x 20 pages ({characters} characters) in {elapsed:?}");
    assert!(elapsed.as_secs() < 30);
}
