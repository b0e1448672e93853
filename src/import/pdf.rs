//! Reading research papers from PDF files.
//!
//! [`read_pdf`] takes the bytes of one PDF and returns what could be read
//! from it: a [`NewPaper`] with the bibliographic fields found, the whole
//! text for search, the page count, and a one-line warning when the file
//! could not be read as text. Text comes from `pdf-extract` page by page
//! (it understands font encodings and `ToUnicode` maps and starts a new
//! line where the text moves down); for page 1 it also gives the position
//! and size of every character, from which the title is read. The document
//! Info dictionary comes from `lopdf`. No external program runs.
//!
//! # Robustness
//!
//! Both crates can panic on odd files, so everything runs under
//! [`crate::panics::catch`], and each page separately, so one bad page
//! does not lose the others: a page that fails in `pdf-extract` (or gives
//! it no text) is retried with `lopdf`'s simpler extraction, which keeps
//! lines but not the blank lines between blocks. Before a page goes to
//! `pdf-extract` it is checked for cycles that would make it recurse until
//! the stack overflows, which no `catch_unwind` can stop: a `/Parent` chain
//! that loops, or form XObjects that draw each other. Such pages take the
//! `lopdf` path only. Every failure becomes [`PdfRead::warning`]:
//!
//! - encrypted with a password (an `/Encrypt` entry that the empty password
//!   does not open): `encrypted PDF; imported as an attachment without
//!   text`. A PDF encrypted only with an owner password (printing or copying
//!   restricted, as some publishers do) opens with the empty password;
//!   `lopdf` decrypts it while loading and it is read like any other;
//! - pages with (almost) no text, fewer than 32 letters or digits per page
//!   on average, as in a scan: `no text layer (scanned?); imported as an
//!   attachment without text`;
//! - anything else (not a PDF, truncated, no pages, a crash in the parser):
//!   `unreadable PDF (<reason>); imported as an attachment`.
//!
//! In these cases `full_text` is empty and the title is the caller's
//! fallback (the file name). A scan still has its Info dictionary read, so
//! a meaningful Info title, the authors, the year and the keywords are kept.
//!
//! # Heuristics
//!
//! The text is cleaned first: form feeds go, ligatures (`ﬁ`, `ﬂ`, …) are
//! spelled out, whitespace inside a line is folded to one space, and runs
//! of blank lines become one (a blank line is where the text jumped down
//! more than a line and a half, between blocks such as title and authors).
//!
//! - **Title**: from the layout of page 1 first. While `pdf-extract`
//!   reads page 1 it also reports where each character is drawn and at
//!   what size; the title is the block of lines in the largest type in the
//!   top 70% of the page that is clearly larger than the body text (by 8%
//!   or more), joined across line breaks (hyphenation joined as in the
//!   abstract). Smaller characters on a title line are kept when they sit
//!   on or below its baseline (subscripts, small capitals, the small `A`
//!   of the LaTeX logo) and dropped when raised (footnote marks). Running
//!   headers and author lines are told apart by their smaller type, and
//!   lines in title type that are headers (journal names, labels, dates)
//!   are skipped above the title; the block ends where the type changes,
//!   at a gap of more than two lines, at other text between lines, or at
//!   an e-mail address, the abstract or a section heading. A block of more
//!   than six lines, or of fewer than two words, is no title, and the next
//!   two sizes down are tried. The Info `Title` checks this: when it is
//!   meaningful (at least two words, not a file name such as `paper.dvi`
//!   or `Microsoft Word - x.docx`, not `untitled` or a template's
//!   placeholder), is printed on page 1, and the large type neither says
//!   the same nor contains it, the large type was a logo or a cut title and
//!   the Info title wins; otherwise the page does (an Info title that is not
//!   printed is often a placeholder or an older title). Rotated text (the
//!   arXiv stamp) is not part of the layout.
//!
//!   Without a title from the layout (all text in one size, or a page that
//!   took the `lopdf` path), the Info `Title` when meaningful, else the
//!   first one to three lines of page 1, skipping header lines before it
//!   (the arXiv stamp, single words such as `Article`, all-caps labels such
//!   as `PREPRINT`, `Published as …`/`Proceedings of …` headers, URLs,
//!   DOIs, page numbers) and ending at a blank line or where the author
//!   block starts: an e-mail address, an affiliation (`University`,
//!   `Institute`, `Department`, …), the abstract or a section heading, or,
//!   below a title line, a line of names (`Ann Lee, Bo Chen and Cy Diaz`,
//!   or names with footnote marks such as `Lee1` or `Chen∗`). Footnote marks
//!   after the title go. A fourth line in the same block means running
//!   text, and no title is taken from it.
//! - **Authors**: only from the Info `Author`, split on `,`, `;`, ` and `
//!   and `&`, each turned into `Family, Given` (particles such as `van der`
//!   stay with the family name; organizations stay as written; login names
//!   and placeholders such as `Administrator` are dropped). Guessing names
//!   from the page layout is unreliable, so it is not done.
//! - **Abstract**: on the first two pages, the text after a line that is
//!   `Abstract`/`ABSTRACT` or starts with `Abstract.`, `Abstract:`,
//!   `Abstract—` (or `Abstract` and a capitalized sentence), up to the next
//!   heading (`1 Introduction`, `1. Introduction`, `I. INTRODUCTION`,
//!   `Introduction`, `Keywords`, `Index Terms`, `CCS Concepts`, `Contents`,
//!   or any numbered heading in title case such as `2 Related Work`), at
//!   most about 3000 characters (cut at a sentence end). Blank lines, and
//!   short lines that end a sentence before a capitalized line (the last
//!   line of a justified paragraph), become paragraph breaks (`\n\n`); a
//!   word hyphenated at a line end is joined (`representa-`/`tion` →
//!   `representation`, but `state-of-the-`/`art` and `Bose-`/`Einstein`
//!   keep the hyphen); other line breaks become spaces.
//! - **DOI**: the Info `doi` entry or a DOI in the Info `Subject` (where
//!   some publishers put the citation), else the first DOI (`10.NNNN/…`,
//!   trailing punctuation and unbalanced brackets stripped) on page 1, else
//!   the first one in the text before the reference list (a DOI in the
//!   references belongs to a cited work).
//! - **arXiv id**: from the arXiv stamp or an `arXiv:NNNN.NNNNN` (or old
//!   style `arXiv:hep-th/9901001`) on page 1, version stripped. The stamp is
//!   printed rotated in the margin and usually comes out with its spaces
//!   lost (`arXiv:2303.16727v2[cs.CV]12Apr2023`), so page 1 is also
//!   searched with all whitespace removed.
//! - **Year**: the date of the arXiv stamp (`… [cs.CV] 12 Apr 2023`), else
//!   the Info `CreationDate` (`D:2023…`), else the year of a new-style arXiv
//!   id (`2303.…` → 2023).
//! - **Tags**: the Info `Keywords`, split on `,`, `;` and `|`, lowercased,
//!   inner whitespace replaced by `-`, duplicates dropped.

use std::collections::HashSet;
use std::sync::LazyLock;

use lopdf::{Dictionary, Document, Object, ObjectId};
use regex::Regex;

use crate::model::NewPaper;
use crate::text::fold_whitespace as fold;

/// What Lectern could read from one PDF.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfRead {
    /// title, authors, abstract_text, year, doi, arxiv, tags (from
    /// Keywords), source = "<source>:1"; other NewPaper fields default.
    pub paper: NewPaper,
    /// The whole extracted text, pages joined with "\n\n" (form feeds
    /// removed), whitespace inside lines folded; empty when no text could
    /// be read.
    pub full_text: String,
    pub pages: usize,
    /// Set when the PDF could not be read as text: encrypted, scanned (no
    /// text layer), or broken. One line, e.g. "encrypted PDF; imported as
    /// an attachment without text".
    pub warning: Option<String>,
}

const ENCRYPTED: &str = "encrypted PDF; imported as an attachment without text";
const NO_TEXT: &str = "no text layer (scanned?); imported as an attachment without text";
/// Below this many letters and digits per page on average, a PDF counts as
/// having no text layer (a scan with a page number or a stamp).
const MIN_ALNUM_PER_PAGE: usize = 32;
/// The longest abstract kept, in characters.
const MAX_ABSTRACT: usize = 3000;

/// True when the bytes are a PDF (`%PDF-` within the first 1024 bytes).
pub fn is_pdf(bytes: &[u8]) -> bool {
    find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some()
}

/// Reads a PDF. Never panics: extraction runs under
/// `crate::panics::catch` (pdf-extract and lopdf can panic on odd
/// files) and every failure becomes `warning`. `fallback_title` (the file
/// name without extension) is the title when none is found.
pub fn read_pdf(bytes: &[u8], source: &str, fallback_title: &str) -> PdfRead {
    let outcome = crate::panics::catch(|| load(bytes))
        .unwrap_or_else(|_| Outcome::Broken("the PDF parser crashed".into()));
    let mut read = match outcome {
        Outcome::Broken(reason) => PdfRead {
            warning: Some(format!(
                "unreadable PDF ({reason}); imported as an attachment"
            )),
            ..PdfRead::default()
        },
        Outcome::Encrypted { pages } => PdfRead {
            pages,
            warning: Some(ENCRYPTED.into()),
            ..PdfRead::default()
        },
        Outcome::Loaded {
            info,
            pages,
            layout,
        } => {
            // The heuristics below are plain string code, but a panic there
            // must not escape either.
            crate::panics::catch(|| build(&info, &pages, &layout)).unwrap_or_else(|_| PdfRead {
                pages: pages.len(),
                warning: Some(
                    "unreadable PDF (text analysis failed); imported as an attachment".into(),
                ),
                ..PdfRead::default()
            })
        }
    };
    if read.paper.title.is_empty() {
        read.paper.title = fold(fallback_title);
    }
    read.paper.source = format!("{source}:1");
    read
}

/// The raw result of opening a PDF.
enum Outcome {
    Broken(String),
    Encrypted {
        pages: usize,
    },
    Loaded {
        info: Info,
        pages: Vec<String>,
        /// Where and how large the characters of page 1 are drawn.
        layout: Layout,
    },
}

/// The Info dictionary entries Lectern uses, decoded and folded.
#[derive(Debug, Default)]
struct Info {
    title: Option<String>,
    author: Option<String>,
    subject: Option<String>,
    keywords: Option<String>,
    creation_date: Option<String>,
    doi: Option<String>,
}

fn load(bytes: &[u8]) -> Outcome {
    if !is_pdf(bytes) {
        return Outcome::Broken("no %PDF- header".into());
    }
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if has_encrypt_entry(bytes) => return Outcome::Encrypted { pages: 0 },
        Err(e) => return Outcome::Broken(short_reason(&e.to_string())),
    };
    let page_ids = doc.get_pages();
    if doc.trailer.has(b"Encrypt") || doc.is_encrypted() {
        return Outcome::Encrypted {
            pages: page_ids.len(),
        };
    }
    if page_ids.is_empty() {
        return Outcome::Broken("no pages".into());
    }
    let info = read_info(&doc);
    let mut layout = Layout::default();
    let mut pages = Vec::with_capacity(page_ids.len());
    for (i, (&number, &id)) in page_ids.iter().enumerate() {
        let wanted = (i == 0).then_some(&mut layout);
        pages.push(page_text(&doc, number, id, wanted));
    }
    Outcome::Loaded {
        info,
        pages,
        layout,
    }
}

/// Whether the raw bytes carry an `/Encrypt` key (used when lopdf could not
/// load the file, e.g. because the encryption dictionary is unusable).
fn has_encrypt_entry(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(at) = find(rest, b"/Encrypt") {
        let after = rest.get(at + 8).copied();
        // `/EncryptMetadata` is a key inside the encryption dictionary; any
        // delimiter after the name means the trailer key itself.
        if after.is_none_or(|b| !b.is_ascii_alphanumeric()) {
            return true;
        }
        rest = &rest[at + 8..];
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The first line of an error message, short enough for a warning.
fn short_reason(message: &str) -> String {
    let line = fold(message.lines().next().unwrap_or(""));
    let line = line.trim_end_matches('.');
    let mut reason: String = line.chars().take(80).collect();
    if reason.len() < line.len() {
        reason.push('…');
    }
    if reason.is_empty() {
        "unknown error".into()
    } else {
        reason
    }
}

fn read_info(doc: &Document) -> Info {
    let Some(dict) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return Info::default();
    };
    let get = |key: &[u8]| info_string(doc, dict, key);
    Info {
        title: get(b"Title"),
        author: get(b"Author"),
        subject: get(b"Subject"),
        keywords: get(b"Keywords"),
        creation_date: get(b"CreationDate"),
        doi: get(b"doi").or_else(|| get(b"DOI")),
    }
}

/// A text string of the Info dictionary (PDFDocEncoding, UTF-16BE or UTF-8
/// with a byte order mark), folded; `None` when absent or blank.
fn info_string(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    let (_, object) = doc.dereference(dict.get(key).ok()?).ok()?;
    let text = lopdf::decode_text_string(object)
        .ok()
        .or_else(|| Some(String::from_utf8_lossy(object.as_str().ok()?).into_owned()))?;
    let text = fold(&text.replace(char::is_control, " "));
    (!text.is_empty()).then_some(text)
}

/// The raw text of one page: `pdf-extract` when the page is safe for it,
/// else (or when it fails) `lopdf`'s own extraction; empty when both fail.
/// With `layout`, the characters `pdf-extract` draws are recorded there too
/// (left empty when it fails: `lopdf`'s extraction knows no positions).
fn page_text(doc: &Document, number: u32, id: ObjectId, mut layout: Option<&mut Layout>) -> String {
    if safe_for_pdf_extract(doc, id) {
        let extracted = crate::panics::catch(|| {
            let mut text = String::new();
            let done = match layout.as_deref_mut() {
                Some(layout) => {
                    let mut output = Recorder {
                        text: pdf_extract::PlainTextOutput::new(&mut text),
                        layout,
                    };
                    pdf_extract::output_doc_page(doc, &mut output, number)
                }
                None => {
                    let mut output = pdf_extract::PlainTextOutput::new(&mut text);
                    pdf_extract::output_doc_page(doc, &mut output, number)
                }
            };
            done.map(|()| text)
        });
        if let Ok(Ok(text)) = extracted
            && text.chars().any(char::is_alphanumeric)
        {
            return text;
        }
    }
    if let Some(layout) = layout {
        *layout = Layout::default();
    }
    crate::panics::catch(|| doc.extract_text(&[number]))
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default()
}

/// How deep `pdf-extract` may nest form XObjects, and how many it may
/// visit on one page, before the page is left to the simpler extraction.
const MAX_FORM_DEPTH: usize = 12;
const MAX_FORM_VISITS: usize = 2000;

/// False when `pdf-extract` could recurse without end on this page: its
/// `/Parent` chain loops (pdf-extract follows it for inherited entries), or
/// its form XObjects nest in a cycle (pdf-extract runs each form's content
/// with no depth limit). A form without its own resources runs with those
/// of its caller, so it counts as containing every form its caller can
/// reach, itself included; such rare pages take the fallback too.
fn safe_for_pdf_extract(doc: &Document, page: ObjectId) -> bool {
    let mut seen = HashSet::from([page]);
    let mut node = doc.get_dictionary(page).ok();
    let mut resources = None;
    while let Some(dict) = node {
        if resources.is_none() {
            resources = dict
                .get(b"Resources")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
        }
        node = match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) if !seen.insert(parent) => return false,
            Ok(parent) => doc.get_dictionary(parent).ok(),
            Err(_) => None,
        };
    }
    let mut budget = MAX_FORM_VISITS;
    resources.is_none_or(|r| forms_acyclic(doc, r, &mut Vec::new(), &mut budget))
}

fn forms_acyclic(
    doc: &Document,
    resources: &Dictionary,
    stack: &mut Vec<Option<ObjectId>>,
    budget: &mut usize,
) -> bool {
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return true;
    };
    for (_, entry) in xobjects.iter() {
        let id = entry.as_reference().ok();
        let Some(stream) = doc
            .dereference(entry)
            .ok()
            .and_then(|(_, o)| o.as_stream().ok())
        else {
            continue;
        };
        if stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|s| s != b"Form")
        {
            continue;
        }
        *budget = budget.saturating_sub(1);
        if *budget == 0 || stack.len() >= MAX_FORM_DEPTH || id.is_some() && stack.contains(&id) {
            return false;
        }
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .unwrap_or(resources);
        stack.push(id);
        let ok = forms_acyclic(doc, inner, stack, budget);
        stack.pop();
        if !ok {
            return false;
        }
    }
    true
}

// ---------------------------------------------------------------------------
// The layout of page 1
// ---------------------------------------------------------------------------

/// The most characters of page 1 kept for the layout; the title is near the
/// top, and a page with more is not worth the memory.
const MAX_GLYPHS: usize = 50_000;

/// One character drawn upright on page 1, as `pdf-extract` decodes it.
#[derive(Debug, Clone, PartialEq)]
struct Glyph {
    /// Where the character starts, in points from the left.
    x: f64,
    /// Its baseline, in points down from the top of the page.
    y: f64,
    /// The font size it is drawn at, in points on the page.
    size: f64,
    /// How far it advances the pen, in points; 0 when the font gives no
    /// width.
    advance: f64,
    text: String,
}

/// The characters of page 1 with where and how large they are drawn.
/// Rotated and mirrored text (the arXiv stamp in the margin) is left out.
#[derive(Debug, Default)]
struct Layout {
    /// The height of the page in points; 0 when unknown.
    height: f64,
    /// The top of the page in PDF user space.
    top: f64,
    glyphs: Vec<Glyph>,
}

impl Layout {
    /// Records one character from `pdf-extract`: `trm` is its text
    /// rendering matrix without the font size.
    fn record(&mut self, trm: &pdf_extract::Transform, width: f64, font_size: f64, text: &str) {
        if self.glyphs.len() >= MAX_GLYPHS || text.is_empty() {
            return;
        }
        let (a, b, c, d) = (trm.m11, trm.m12, trm.m21, trm.m22);
        let upright = a > 0.0 && d > 0.0 && b.abs() <= 0.05 * a && c.abs() <= 0.05 * d;
        let size = font_size.abs() * d;
        let advance = width * font_size.abs() * a;
        let (x, y) = (trm.m31, self.top - trm.m32);
        if !upright
            || ![size, advance, x, y].iter().all(|v| v.is_finite())
            || !(1.0..=500.0).contains(&size)
        {
            return;
        }
        self.glyphs.push(Glyph {
            x,
            y,
            size,
            advance: advance.max(0.0),
            text: text.to_string(),
        });
    }
}

/// A `pdf-extract` output that writes the plain text as usual and records
/// every character in a [`Layout`] on the side, so page 1 is read once.
struct Recorder<'a> {
    text: pdf_extract::PlainTextOutput<&'a mut String>,
    layout: &'a mut Layout,
}

impl pdf_extract::OutputDev for Recorder<'_> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &pdf_extract::MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        let (low, high) = (media_box.lly, media_box.ury);
        if low.is_finite() && high.is_finite() {
            self.layout.top = high.max(low);
            self.layout.height = (high - low).abs();
        }
        self.text.begin_page(page_num, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_page()
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        self.layout.record(trm, width, font_size, char);
        self.text
            .output_character(trm, width, spacing, font_size, char)
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.begin_word()
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_word()
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_line()
    }
}

fn build(info: &Info, raw_pages: &[String], layout: &Layout) -> PdfRead {
    let pages: Vec<String> = raw_pages.iter().map(|p| clean_page(p)).collect();
    let alnum: usize = pages
        .iter()
        .map(|p| p.chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    let mut paper = paper_from_info(info);
    if alnum < MIN_ALNUM_PER_PAGE * pages.len().max(1) {
        return PdfRead {
            paper,
            full_text: String::new(),
            pages: pages.len(),
            warning: Some(NO_TEXT.into()),
        };
    }
    let first = pages.first().map(String::as_str).unwrap_or("");
    let opening = pages
        .iter()
        .take(2)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n\n");
    let full_text = pages
        .iter()
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n\n");

    paper.title = choose_title(
        info.title.as_deref().filter(|t| meaningful_title(t)),
        title_from_layout(layout),
        first,
    )
    .unwrap_or_default();
    paper.abstract_text = abstract_from_text(&opening).unwrap_or_default();
    if paper.doi.is_none() {
        paper.doi = find_doi(first).or_else(|| find_doi(before_references(&full_text)));
    }
    let compact: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    paper.arxiv = find_arxiv(first).or_else(|| find_arxiv_compact(&compact));
    let stamp_year = stamp_year(first).or_else(|| stamp_year(&compact));
    paper.year = stamp_year
        .or(paper.year)
        .or_else(|| paper.arxiv.as_deref().and_then(arxiv_year));
    PdfRead {
        paper,
        full_text,
        pages: pages.len(),
        warning: None,
    }
}

/// The fields the Info dictionary gives on its own.
fn paper_from_info(info: &Info) -> NewPaper {
    NewPaper {
        title: info
            .title
            .as_deref()
            .filter(|t| meaningful_title(t))
            .map(str::to_string)
            .unwrap_or_default(),
        authors: info
            .author
            .as_deref()
            .map(split_authors)
            .unwrap_or_default(),
        year: info.creation_date.as_deref().and_then(date_year),
        doi: info
            .doi
            .as_deref()
            .and_then(find_doi)
            .or_else(|| info.subject.as_deref().and_then(find_doi)),
        tags: info.keywords.as_deref().map(split_tags).unwrap_or_default(),
        ..NewPaper::default()
    }
}

// ---------------------------------------------------------------------------
// Text cleaning
// ---------------------------------------------------------------------------

/// Cleans one page: line breaks normalized, form feeds removed, ligatures
/// spelled out, whitespace in lines folded, blank-line runs made single.
fn clean_page(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n").replace(['\r', '\u{c}'], "\n");
    let mut out = String::with_capacity(raw.len());
    let mut blank = false;
    for line in raw.split('\n') {
        let line = fold(&fix_chars(line));
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

/// Spells out ligatures, turns a soft or Unicode hyphen at the end of a line
/// into `-` (so hyphenation can be joined) and drops control characters.
fn fix_chars(line: &str) -> String {
    let trimmed = line.trim_end();
    let mut out = String::with_capacity(line.len());
    for (i, c) in trimmed.char_indices() {
        let last = i + c.len_utf8() == trimmed.len();
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            '\u{ad}' | '\u{2010}' if last => out.push('-'),
            '\u{ad}' => {}
            '\u{2010}' => out.push('-'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Joins lines into running text: blank lines (empty strings) become
/// paragraph breaks, a word hyphenated across a line break is joined, other
/// line breaks become spaces.
fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut paragraph = false;
    for line in lines {
        let line = fold(line);
        if line.is_empty() {
            paragraph = !out.is_empty();
            continue;
        }
        if out.is_empty() {
        } else if paragraph {
            out.push_str("\n\n");
        } else if let Some(keep) = hyphenated(&out, &line) {
            if !keep {
                out.pop();
            }
        } else {
            out.push(' ');
        }
        paragraph = false;
        out.push_str(&line);
    }
    out
}

/// When `text` ends in a word broken by a hyphen before `next`: `Some(false)`
/// to drop the hyphen (`representa-` + `tion`), `Some(true)` to keep it
/// (`state-of-the-` + `art`, `Bose-` + `Einstein`); `None` otherwise.
fn hyphenated(text: &str, next: &str) -> Option<bool> {
    let stem = text.strip_suffix('-')?;
    let word = stem.rsplit(char::is_whitespace).next().unwrap_or("");
    if !word.chars().last().is_some_and(char::is_alphabetic) {
        return None;
    }
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    let prev_lower = word.chars().last().is_some_and(char::is_lowercase);
    Some(!(next_lower && prev_lower && !word.contains('-')))
}

// ---------------------------------------------------------------------------
// Title
// ---------------------------------------------------------------------------

/// Whether an Info title names the paper rather than a file or a template.
fn meaningful_title(title: &str) -> bool {
    const JUNK_PREFIXES: &[&str] = &[
        "microsoft word",
        "microsoft powerpoint",
        "untitled",
        "no title",
        "powerpoint presentation",
        "slide 1",
        "layout 1",
        "title of the",
        "paper title",
        "insert title",
        "type title",
        "author guidelines",
        "instructions for",
        "formatting instructions",
        "preparation of papers",
        "doi:",
        "arxiv:",
    ];
    const FILE_SUFFIXES: &[&str] = &[
        ".pdf", ".dvi", ".tex", ".ps", ".eps", ".doc", ".docx", ".rtf", ".odt", ".txt", ".ppt",
        ".pptx", ".indd", ".qxd", ".qxp", ".pmd", ".fm", ".xml", ".htm", ".html",
    ];
    let lower = title.trim().to_lowercase();
    let words = lower
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    words >= 2
        && !JUNK_PREFIXES.iter().any(|p| lower.starts_with(p))
        && !FILE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// The first one to three heading-like lines of page 1.
fn title_from_text(page: &str) -> Option<String> {
    let mut title: Vec<&str> = Vec::new();
    let mut lines = page.lines().take(24);
    for line in lines.by_ref() {
        if line.is_empty() {
            if title.is_empty() {
                continue;
            }
            break;
        }
        if starts_author_block(line) || !title.is_empty() && names_line(line) {
            break;
        }
        if is_header_line(line) {
            if title.is_empty() {
                continue;
            }
            break;
        }
        title.push(line);
        if title.len() == 3 {
            // A fourth line in the same block means running text, not a title.
            if lines.next().is_some_and(|next| {
                !next.is_empty() && !starts_author_block(next) && !names_line(next)
            }) {
                return None;
            }
            break;
        }
    }
    let title = join_lines(title);
    let title = title.trim_end_matches(FOOTNOTE_MARKS).trim_end();
    let words = title
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    (words >= 2 && title.chars().count() <= 300).then(|| title.to_string())
}

/// The title of the paper: the large type at the top of page 1 (see
/// [`title_from_layout`]), checked against the Info title. Where the two
/// agree, or the Info title is not printed on page 1 (a placeholder, a file
/// name, an older title), the page wins; where the Info title is printed on
/// page 1 but the large type says something else or only part of it, the
/// large type was a logo or a cut title and the Info title wins. Without
/// large type, the Info title, else the first lines of the text.
fn choose_title(info: Option<&str>, printed: Option<String>, page: &str) -> Option<String> {
    let Some(printed) = printed else {
        return info.map(str::to_string).or_else(|| title_from_text(page));
    };
    let Some(info) = info else {
        return Some(printed);
    };
    let info_letters = loose(info);
    if loose(&printed).contains(&info_letters) {
        return Some(printed);
    }
    if info_letters.len() >= 8 && loose(page).contains(&info_letters) {
        return Some(info.to_string());
    }
    Some(printed)
}

/// Letters and digits only, lowercased and transliterated to ASCII: what two
/// spellings of one title have in common.
fn loose(text: &str) -> String {
    deunicode::deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// How much larger than the body text a title is set, at least.
const TITLE_SIZE_RATIO: f64 = 1.08;
/// The share of page 1, from the top, where the title is looked for.
const TITLE_AREA: f64 = 0.7;
/// The most lines a title takes; more lines in large type are not a title.
const MAX_TITLE_LINES: usize = 6;
/// A page 1 with fewer letters and digits than this is a title page.
const TITLE_PAGE_LETTERS: usize = 500;
/// The most lines in large type looked at on page 1.
const MAX_LARGE_LINES: usize = 200;

/// A line of page 1 in large type: the characters of one font size on one
/// baseline, with the smaller ones that sit on it (a subscript, the small
/// raised `A` of the LaTeX logo) but not raised footnote marks.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    /// The baseline, in points from the top of the page.
    y: f64,
    size: f64,
    text: String,
}

/// The title from the layout of page 1: the lines in the largest type
/// (clearly larger than the body text) in the top part of the page, joined
/// across line breaks. Lines in that type above the title that are headers
/// (a journal name, a label, a date) are skipped; the title ends where the
/// type changes, at a wide gap, or at an e-mail address, the abstract or a
/// section heading. When the largest type gives no title (a logo, single
/// letters, running text), the next two sizes down are tried.
fn title_from_layout(layout: &Layout) -> Option<String> {
    let body = body_size(&layout.glyphs)?;
    let lines = large_lines(layout, body * TITLE_SIZE_RATIO);
    let mut sizes: Vec<f64> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(|a, b| b.total_cmp(a));
    sizes.dedup_by(|smaller, larger| *larger - *smaller <= 0.04 * *larger);
    for &size in sizes.iter().take(3) {
        let mut same: Vec<&Line> = lines
            .iter()
            .filter(|l| (l.size - size).abs() <= 0.04 * size)
            .collect();
        same.sort_by(|a, b| a.y.total_cmp(&b.y));
        let mut block: Vec<&Line> = Vec::new();
        for line in same {
            if let Some(last) = block.last()
                && !continues(layout, last, line)
            {
                if let Some(title) = block_title(&block) {
                    return Some(title);
                }
                block.clear();
            }
            block.push(line);
        }
        if let Some(title) = block_title(&block) {
            return Some(title);
        }
    }
    None
}

/// The font size most letters and digits of the page are set in (to half a
/// point), the smaller on a tie; `None` without text. On a title page with
/// little text where that is the largest size (the title itself), the most
/// common of the smaller sizes.
fn body_size(glyphs: &[Glyph]) -> Option<f64> {
    let mut counts: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for glyph in glyphs {
        if glyph.text.chars().any(char::is_alphanumeric) {
            // Sizes are finite and at most 500 (see `Layout::record`).
            *counts.entry((glyph.size * 2.0).round() as i64).or_default() += 1;
        }
    }
    let total: usize = counts.values().sum();
    let most_common = |limit: i64| {
        counts
            .iter()
            .filter(|&(&size, _)| size < limit)
            .max_by_key(|&(&size, &count)| (count, -size))
            .map(|(&size, _)| size)
    };
    let body = most_common(i64::MAX)?;
    let largest = counts.keys().copied().max().unwrap_or(body);
    if total < TITLE_PAGE_LETTERS && largest == body {
        let below = ((body as f64) / TITLE_SIZE_RATIO).floor() as i64;
        if let Some(smaller) = most_common(below + 1) {
            return Some(smaller as f64 / 2.0);
        }
    }
    Some(body as f64 / 2.0)
}

/// The lines of the top part of the page set in at least `min_size`.
fn large_lines(layout: &Layout, min_size: f64) -> Vec<Line> {
    let limit = if layout.height > 0.0 {
        layout.height * TITLE_AREA
    } else {
        f64::INFINITY
    };
    // Characters of one size (within 3%) on one baseline (within 30% of the
    // size, so the lowered `E` of the LaTeX logo stays on its line).
    let mut groups: Vec<(f64, f64, Vec<&Glyph>)> = Vec::new();
    for glyph in &layout.glyphs {
        if glyph.size < min_size || glyph.y > limit || glyph.y < -glyph.size {
            continue;
        }
        let found = groups.iter().position(|(y, size, _)| {
            (size - glyph.size).abs() <= 0.03 * size && (y - glyph.y).abs() <= 0.3 * size
        });
        match found {
            Some(i) => groups[i].2.push(glyph),
            None if groups.len() < MAX_LARGE_LINES => {
                groups.push((glyph.y, glyph.size, vec![glyph]));
            }
            None => {}
        }
    }
    groups
        .into_iter()
        .filter_map(|(y, size, mut members)| {
            let left = members.iter().map(|g| g.x).fold(f64::INFINITY, f64::min);
            let right = members
                .iter()
                .map(|g| g.x + g.advance)
                .fold(f64::NEG_INFINITY, f64::max);
            // Smaller characters on the line: from a little above the
            // baseline (the LaTeX logo's `A`) to subscripts below it; a
            // footnote mark is raised higher. Small capitals after the
            // line's last large letter go on while the gaps are narrow.
            let mut smaller: Vec<&Glyph> = layout
                .glyphs
                .iter()
                .filter(|g| {
                    g.size < 0.97 * size
                        && g.size >= 0.45 * size
                        && (-0.28 * size..=0.45 * size).contains(&(g.y - y))
                        && g.x >= left - 0.2 * size
                })
                .collect();
            smaller.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut reach = right;
            for glyph in smaller {
                if glyph.x > reach + 0.6 * size {
                    break;
                }
                reach = reach.max(glyph.x + glyph.advance.max(0.3 * glyph.size));
                members.push(glyph);
            }
            let text = line_text(members, size);
            text.chars()
                .any(char::is_alphabetic)
                .then_some(Line { y, size, text })
        })
        .collect()
}

/// The text of a line's characters, left to right, with a space where the
/// gap between two is wider than 15% of the size.
fn line_text(mut glyphs: Vec<&Glyph>, size: f64) -> String {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut text = String::new();
    let mut end: Option<f64> = None;
    for glyph in glyphs {
        if glyph.text.trim().is_empty() {
            text.push(' ');
            end = None;
            continue;
        }
        if end.is_some_and(|end| glyph.x - end > 0.15 * size) {
            text.push(' ');
        }
        text.push_str(&glyph.text);
        end = (glyph.advance > 0.0).then_some(glyph.x + glyph.advance);
    }
    fold(&fix_chars(&text))
}

/// Whether `next` (below `last`, in the same type) goes on the same block:
/// at most two sizes below it, with no other text between them.
fn continues(layout: &Layout, last: &Line, next: &Line) -> bool {
    let size = last.size;
    let (top, bottom) = (last.y + 0.5 * size, next.y - 0.75 * next.size);
    next.y - last.y <= 2.0 * size
        && !layout
            .glyphs
            .iter()
            .any(|g| g.y > top && g.y < bottom && g.text.chars().any(char::is_alphanumeric))
}

/// The title in one block of large-type lines, if it holds one.
fn block_title(block: &[&Line]) -> Option<String> {
    let mut block = block;
    // Headers in title type above the title. A line that only looks like one
    // and is set tight above the next (`Preprint Template for ASME` /
    // `Journal Papers`), or a single word followed by more lines (`Eraser:` /
    // `A Race Detector`), is the title's first line.
    while let Some(first) = block.first() {
        let text = first.text.as_str();
        let lowercase = text.chars().any(char::is_lowercase);
        let words = text.split_whitespace().count();
        let tight = block
            .get(1)
            .is_some_and(|next| next.y - first.y <= 1.5 * first.size);
        let opening = tight
            && lowercase
            && (words >= 2 || text.chars().filter(|c| c.is_alphabetic()).count() >= 3);
        if !is_header_line(text) || opening {
            break;
        }
        block = &block[1..];
    }
    let mut lines: Vec<&str> = block.iter().map(|l| l.text.as_str()).collect();
    if let Some(end) = lines
        .iter()
        .position(|l| EMAIL_RE.is_match(l) || abstract_heading(l).is_some() || is_section_stop(l))
    {
        lines.truncate(end);
    }
    if lines.is_empty() || lines.len() > MAX_TITLE_LINES {
        return None;
    }
    let title = join_lines(lines);
    let title = title.trim_end_matches(FOOTNOTE_MARKS).trim_end();
    let words = title
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    (words >= 2 && title.chars().count() <= 300).then(|| title.to_string())
}

/// Footnote marks printed after a title or a name.
const FOOTNOTE_MARKS: &[char] = &['*', '∗', '†', '‡', '§', '¶', '⋆'];

/// A line printed above the title: a journal or conference header, a
/// label, a stamp, a page number, a URL.
fn is_header_line(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "arxiv:",
        "preprint",
        "under review",
        "to appear",
        "proceedings of",
        "in proceedings",
        "submitted to",
        "journal of",
        "vol.",
        "volume ",
        "doi:",
        "doi ",
        "doi.org",
        "http://",
        "https://",
        "www.",
        "copyright",
        "©",
        "technical report",
        "research article",
        "original article",
        "workshop",
    ];
    const LABELS: &[&str] = &[
        "PREPRINT",
        "DRAFT",
        "ARTICLE",
        "RESEARCH",
        "ORIGINAL",
        "REVIEW",
        "LETTER",
        "LETTERS",
        "REPORT",
        "TECHNICAL",
        "CONFIDENTIAL",
        "UNDER",
        "SUBMITTED",
        "ACCEPTED",
        "MANUSCRIPT",
        "AUTHOR",
        "OPEN",
        "ACCESS",
        "PAPER",
        "NOT",
        "FOR",
        "DISTRIBUTION",
        "VERSION",
        "COMMUNICATION",
        "PERSPECTIVE",
        "BRIEF",
    ];
    let lower = line.to_lowercase();
    let words: Vec<&str> = line.split_whitespace().collect();
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    words.len() <= 1
        || letters < 3
        || PREFIXES.iter().any(|p| lower.starts_with(p))
        || lower.contains("://")
        || HEADER_DATE_RE.is_match(line)
        || DOI_RE.is_match(line)
        || !line.chars().any(char::is_lowercase)
            && words.iter().all(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                w.is_empty() || LABELS.contains(&w)
            })
}

/// `Received 12 May 2020`, `Accepted at ICML`, `Published as a conference
/// paper`: editorial lines above a title.
static HEADER_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:received|revised|accepted|published)\b[:\s]*(?:\d|(?:on|in|at|as|for|to|by)\b)",
    )
    .expect("header regex is valid")
});

/// Affiliation words that end the title block.
static AFFILIATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:universit(?:y|ies|é|ät|at|à|ad|e)|institut(?:e|o)?|department|dept\.",
        r"|laborator(?:y|ies)|school of|college|faculty|academy of)\b",
    ))
    .expect("affiliation regex is valid")
});

/// A capitalized name with a footnote mark right after it: `Lee1`,
/// `Chen∗`, `Smith1,2`, `Doe†`.
static MARKED_NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\p{Lu}\p{Ll}+(?:\d+|[*∗†‡§¶♠♣♦♥⋆])(?:,\d+)*(?:\s|,|$)")
        .expect("marked name regex is valid")
});

/// Whether a line starts the author/abstract block below the title: an
/// e-mail address, an affiliation, the abstract or the introduction.
fn starts_author_block(line: &str) -> bool {
    EMAIL_RE.is_match(line)
        || abstract_heading(line).is_some()
        || is_section_stop(line)
        || AFFILIATION_RE.is_match(line)
}

/// Whether a line below a title line is a line of names. Only asked once a
/// title line was seen: a title in title case (`The Foo Package∗`) looks
/// just like names.
fn names_line(line: &str) -> bool {
    MARKED_NAME_RE.is_match(line) || is_name_list(line)
}

static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+}-]@[\w-]+(?:\.[\w-]+)*\.\p{L}{2,}").expect("e-mail regex is valid")
});

/// `Ann Lee, Bo Chen and Cy Diaz`: two or more parts, each of two to four
/// capitalized words (initials allowed).
fn is_name_list(line: &str) -> bool {
    let parts: Vec<&str> = NAME_SEPARATORS_RE
        .split(line)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && parts.iter().all(|part| {
            let words: Vec<&str> = part.split_whitespace().collect();
            (2..=4).contains(&words.len())
                && words
                    .iter()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        })
}

static NAME_SEPARATORS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|;|&|\band\b)\s*").expect("name separator regex is valid")
});

// ---------------------------------------------------------------------------
// Abstract
// ---------------------------------------------------------------------------

/// When the line is an abstract heading, the text after it on the same line.
fn abstract_heading(line: &str) -> Option<&str> {
    let line = line.trim();
    let head = line.get(..8)?;
    if head != "Abstract" && head != "ABSTRACT" {
        return None;
    }
    let rest = &line[8..];
    let Some(first) = rest.chars().next() else {
        return Some("");
    };
    if matches!(first, '.' | ':' | '—' | '–' | '-') {
        return Some(rest[first.len_utf8()..].trim());
    }
    let rest = rest.trim_start();
    (first.is_whitespace() && rest.chars().next().is_some_and(char::is_uppercase)).then_some(rest)
}

/// A heading that ends the abstract: the introduction, the keywords, the
/// contents, or any numbered heading in title case (`2 Related Work`).
fn is_section_stop(line: &str) -> bool {
    let line = line.trim();
    SECTION_STOP_RE.is_match(line) || numbered_heading(line)
}

/// `1 Background`, `2. Related Work`, `III. PROBLEM SETTING`: a number, then
/// up to six words, each capitalized or a short function word, no final
/// period.
fn numbered_heading(line: &str) -> bool {
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
        "vs", "with",
    ];
    let Some((number, rest)) = line.split_once(char::is_whitespace) else {
        return false;
    };
    let number = number.strip_suffix('.').unwrap_or(number);
    let numbered = (1..=2).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
        || (1..=4).contains(&number.len()) && number.bytes().all(|b| b"IVX".contains(&b));
    let words: Vec<&str> = rest.split_whitespace().collect();
    numbered
        && (1..=6).contains(&words.len())
        && !line.ends_with(['.', ',', ';'])
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || SMALL.contains(w)
        })
}

static SECTION_STOP_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:(?:\d{1,2}|[ivx]{1,4})\.?\s*introduction\b.{0,40}$|introduction[.:]?$",
        r"|(?:table\s+of\s+)?contents$",
        r"|(?:keywords|key\s+words|index\s+terms|ccs\s+concepts|general\s+terms",
        r"|acm\s+reference\s+format)\b)",
    ))
    .expect("section stop regex is valid")
});

/// The abstract in the opening pages, if there is a heading for it.
fn abstract_from_text(text: &str) -> Option<String> {
    let mut lines = text.lines();
    let first = lines.by_ref().find_map(abstract_heading)?;
    let mut body = vec![first];
    let mut length = first.len();
    for line in lines {
        if is_section_stop(line) || length > MAX_ABSTRACT + 500 {
            break;
        }
        length += line.len() + 1;
        body.push(line);
    }
    let text = join_lines(mark_paragraph_ends(&body));
    let text = cut(&text, MAX_ABSTRACT);
    (!text.is_empty()).then_some(text)
}

/// Adds a blank line after each line that ends a paragraph in justified
/// text: it ends a sentence, is clearly shorter than the longest line, and
/// the next line starts with a capital. (PDFs seldom leave vertical space
/// between paragraphs, so there is often no blank line to go by.)
fn mark_paragraph_ends<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        out.push(*line);
        let next = lines.get(i + 1).copied().unwrap_or("");
        let short = line.chars().count() * 4 < width * 3;
        if lines.len() >= 3
            && short
            && line.ends_with(['.', '!', '?'])
            && next.chars().next().is_some_and(char::is_uppercase)
        {
            out.push("");
        }
    }
    out
}

/// At most `max` characters, cut after the last sentence end (or word) that
/// fits.
fn cut(text: &str, max: usize) -> String {
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let head = &text[..end];
    let sentence = head.rfind(". ").map(|i| i + 1);
    let word = head.rfind(char::is_whitespace);
    let at = match sentence {
        Some(i) if i > end / 2 => i,
        _ => word.unwrap_or(end),
    };
    head[..at].trim_end().to_string()
}

// ---------------------------------------------------------------------------
// Identifiers and dates
// ---------------------------------------------------------------------------

static DOI_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b10\.\d{4,9}/[^\s"<>]+"#).expect("DOI regex is valid"));

/// The first DOI in the text, trailing punctuation and unbalanced closing
/// brackets stripped.
fn find_doi(text: &str) -> Option<String> {
    DOI_RE.find_iter(text).find_map(|m| {
        let mut doi = m.as_str();
        loop {
            let trimmed = doi.trim_end_matches(['.', ',', ';', ':', '\'', '"', '’', '”']);
            let trimmed = match trimmed.chars().last() {
                Some(close @ (')' | ']' | '}')) => {
                    let open = match close {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    let opens = trimmed.matches(open).count();
                    let closes = trimmed.matches(close).count();
                    if closes > opens {
                        &trimmed[..trimmed.len() - 1]
                    } else {
                        trimmed
                    }
                }
                _ => trimmed,
            };
            if trimmed == doi {
                break;
            }
            doi = trimmed;
        }
        let (_, suffix) = doi.split_once('/')?;
        (!suffix.is_empty()).then(|| doi.to_string())
    })
}

/// The text before the last reference-list heading (all of it when there
/// is none).
fn before_references(text: &str) -> &str {
    REFERENCES_RE
        .find_iter(text)
        .last()
        .map_or(text, |m| &text[..m.start()])
}

static REFERENCES_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^(?:\d{1,2}\.?\s*)?(?:references|bibliography|literature cited)\s*$")
        .expect("references regex is valid")
});

static ARXIV_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\barxiv:\s*(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?\b")
        .expect("arXiv regex is valid")
});

/// The arXiv stamp with its spaces removed: the version and the `[`
/// that follows mark where the id ends.
static ARXIV_COMPACT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)arxiv:(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z][a-z.-]*/\d{7})v\d+\[")
        .expect("compact arXiv regex is valid")
});

/// The date printed after an arXiv stamp: `arXiv:2303.16727v2 [cs.CV] 12
/// Apr 2023` (spaces optional, so it also matches with them removed).
static STAMP_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)arxiv:\s*\S+?\s*(?:\[[^\]]{1,24}\])?\s*\d{1,2}\s*",
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*((?:19|20)\d{2})\b",
    ))
    .expect("stamp date regex is valid")
});

fn find_arxiv(text: &str) -> Option<String> {
    ARXIV_RE.captures(text).map(|c| c[1].to_string())
}

fn find_arxiv_compact(text: &str) -> Option<String> {
    ARXIV_COMPACT_RE.captures(text).map(|c| c[1].to_string())
}

fn stamp_year(text: &str) -> Option<i32> {
    STAMP_DATE_RE.captures(text)?[1].parse().ok()
}

/// The year of a new-style arXiv id (`2303.16727` → 2023).
fn arxiv_year(id: &str) -> Option<i32> {
    let yy: i32 = id.get(..2)?.parse().ok()?;
    (id.as_bytes().get(4) == Some(&b'.')).then_some(2000 + yy)
}

/// The year of a PDF date (`D:20230412…`), or of the first plausible year
/// in a date written some other way.
fn date_year(date: &str) -> Option<i32> {
    let digits = date.trim().trim_start_matches("D:");
    let plausible = |y: i32| (1900..=2100).contains(&y).then_some(y);
    if let Some(year) = digits.get(..4).and_then(|y| y.parse().ok()) {
        return plausible(year);
    }
    YEAR_RE
        .find(date)
        .and_then(|m| m.as_str().parse().ok())
        .and_then(plausible)
}

static YEAR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:19|20)\d{2}\b").expect("year regex is valid"));

// ---------------------------------------------------------------------------
// Authors and tags
// ---------------------------------------------------------------------------

/// The Info `Author` split into people as `Family, Given`.
fn split_authors(value: &str) -> Vec<String> {
    const JUNK: &[&str] = &[
        "administrator",
        "admin",
        "user",
        "owner",
        "unknown",
        "author",
        "authors",
        "anonymous",
        "default",
        "author name",
        "the author",
        "the authors",
        "your name",
    ];
    let mut authors: Vec<String> = Vec::new();
    for part in NAME_SEPARATORS_RE.split(value) {
        let name = fold(part.trim_matches(|c: char| c.is_whitespace() || "*∗†‡".contains(c)));
        let lower = name.to_lowercase();
        let username = !name.contains(' ') && !name.chars().any(char::is_uppercase);
        if name.is_empty()
            || !name.chars().any(char::is_alphabetic)
            || JUNK.contains(&lower.as_str())
            || username
        {
            continue;
        }
        let person = person(&name);
        if !authors.contains(&person) {
            authors.push(person);
        }
    }
    authors
}

/// `Given Family` → `Family, Given`, particles kept with the family name,
/// a suffix moved after the given names, organizations left alone.
fn person(name: &str) -> String {
    const PARTICLES: &[&str] = &[
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ten",
        "ter", "dos", "das", "do", "bin", "al", "st.",
    ];
    const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];
    const ORGANIZATION: &[&str] = &[
        "organization",
        "organisation",
        "institute",
        "university",
        "consortium",
        "collaboration",
        "committee",
        "association",
        "society",
        "foundation",
        "team",
        "group",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "corporation",
        "laboratory",
        "project",
    ];
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if words
        .iter()
        .any(|w| ORGANIZATION.contains(&w.to_lowercase().as_str()))
    {
        return name.to_string();
    }
    let suffix = match words.last() {
        Some(w) if words.len() > 2 && SUFFIXES.contains(&w.to_lowercase().as_str()) => words.pop(),
        _ => None,
    };
    if words.len() < 2 {
        return name.to_string();
    }
    let last = words.len() - 1;
    let start = (1..last)
        .find(|&i| PARTICLES.contains(&words[i]))
        .unwrap_or(last);
    let mut given = words[..start].join(" ");
    if let Some(suffix) = suffix {
        given.push(' ');
        given.push_str(suffix);
    }
    format!("{}, {given}", words[start..].join(" "))
}

/// The Info `Keywords` as tags.
fn split_tags(value: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for part in value.split([',', ';', '|', '·', '•']) {
        let tag = part
            .trim()
            .trim_end_matches('.')
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // -----------------------------------------------------------------------
    // A generator of small, valid PDFs
    // -----------------------------------------------------------------------

    /// Escapes a PDF literal string.
    fn escape(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            if matches!(c, '(' | ')' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }

    /// A PDF literal string object.
    fn lit(s: &str) -> String {
        format!("({})", escape(s))
    }

    /// A PDF file from object bodies (object `i + 1` is `objects[i]`) and
    /// extra trailer entries, with a correct xref table.
    fn raw_pdf(objects: &[String], trailer: &str) -> Vec<u8> {
        let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for offset in offsets {
            table.push_str(&format!("{offset:010} 00000 n \n"));
        }
        out.extend_from_slice(table.as_bytes());
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    /// A page content stream: 11 pt Helvetica lines 14 pt apart from the
    /// top left; an empty line leaves a gap. A line that starts with `#N `
    /// is set in N pt with a leading of 1.2 N, and its text after a `^` is a
    /// raised footnote mark in 0.6 N pt.
    fn content(lines: &[String]) -> String {
        let mut ops = String::from("BT\n/F1 11 Tf\n72 740 Td\n14 TL\n");
        for line in lines {
            if let Some((size, text)) = line
                .strip_prefix('#')
                .and_then(|l| l.split_once(' '))
                .and_then(|(n, text)| Some((n.parse::<f64>().ok()?, text)))
            {
                let (text, mark) = text.split_once('^').unwrap_or((text, ""));
                ops.push_str(&format!(
                    "/F1 {size} Tf {} TL {} Tj ",
                    size * 1.2,
                    lit(text)
                ));
                if !mark.is_empty() {
                    ops.push_str(&format!(
                        "/F1 {} Tf {} Ts {} Tj 0 Ts ",
                        size * 0.6,
                        size * 0.4,
                        lit(mark)
                    ));
                }
                ops.push_str("T* /F1 11 Tf 14 TL\n");
                continue;
            }
            if !line.is_empty() {
                ops.push_str(&format!("{} Tj ", lit(line)));
            }
            ops.push_str("T*\n");
        }
        ops.push_str("ET\n");
        ops
    }

    fn stream(data: &str) -> String {
        format!("<< /Length {} >>\nstream\n{data}\nendstream", data.len())
    }

    /// A minimal PDF: pages of text lines, an optional Info dictionary, an
    /// optional arXiv stamp rotated in the left margin of page 1, and
    /// optionally an `/Encrypt` trailer entry.
    #[derive(Default)]
    struct TestPdf {
        pages: Vec<Vec<String>>,
        info: Vec<(&'static str, String)>,
        stamp: Option<String>,
        encrypt: bool,
    }

    impl TestPdf {
        /// One page per string, lines separated by `\n`.
        fn new(pages: &[&str]) -> Self {
            TestPdf {
                pages: pages
                    .iter()
                    .map(|p| p.split('\n').map(str::to_string).collect())
                    .collect(),
                ..TestPdf::default()
            }
        }

        /// An Info entry; `value` is a PDF object (use [`lit`]).
        fn info(mut self, key: &'static str, value: String) -> Self {
            self.info.push((key, value));
            self
        }

        fn stamp(mut self, stamp: &str) -> Self {
            self.stamp = Some(stamp.into());
            self
        }

        fn encrypted(mut self) -> Self {
            self.encrypt = true;
            self
        }

        fn bytes(&self) -> Vec<u8> {
            let n = self.pages.len();
            let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
            let mut objects = vec![
                "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
                format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                    .to_string(),
            ];
            for (i, lines) in self.pages.iter().enumerate() {
                let mut ops = content(lines);
                if let (0, Some(stamp)) = (i, &self.stamp) {
                    ops.push_str(&format!(
                        "BT\n/F1 20 Tf\n0 1 -1 0 32 220 Tm\n{} Tj\nET\n",
                        lit(stamp)
                    ));
                }
                objects.push(format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
                     /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                    5 + 2 * i
                ));
                objects.push(stream(&ops));
            }
            let mut trailer =
                "/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"
                    .to_string();
            if !self.info.is_empty() {
                let entries: Vec<String> =
                    self.info.iter().map(|(k, v)| format!("/{k} {v}")).collect();
                objects.push(format!("<< {} >>", entries.join(" ")));
                trailer.push_str(&format!(" /Info {} 0 R", objects.len()));
            }
            if self.encrypt {
                let hex = "ab".repeat(32);
                objects.push(format!(
                    "<< /Filter /Standard /V 1 /R 2 /O <{hex}> /U <{hex}> /P -44 >>"
                ));
                trailer.push_str(&format!(" /Encrypt {} 0 R", objects.len()));
            }
            raw_pdf(&objects, &trailer)
        }
    }

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
    fn choosing_between_page_and_info_titles() {
        let page = "Deep Nets for Cats\n\nAnn Lee\nAbstract\nWe study cats.";
        let printed = || Some("Deep Nets for Cats".to_string());
        assert_eq!(
            choose_title(None, printed(), page).as_deref(),
            Some("Deep Nets for Cats")
        );
        assert_eq!(
            choose_title(Some("Nets for Cats"), printed(), page).as_deref(),
            Some("Deep Nets for Cats")
        );
        assert_eq!(
            choose_title(Some("We study cats"), printed(), page).as_deref(),
            Some("We study cats"),
            "an Info title printed on the page beats large type that differs"
        );
        assert_eq!(
            choose_title(Some("Kittens"), None, page).as_deref(),
            Some("Kittens")
        );
        assert_eq!(
            choose_title(None, None, page).as_deref(),
            Some("Deep Nets for Cats")
        );
    }

    /// Characters of one font size laid out left to right from `x`, half a
    /// size wide each.
    fn run(text: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * 0.5 * size,
                y,
                size,
                advance: 0.5 * size,
                text: c.to_string(),
            })
            .collect()
    }

    fn layout(glyphs: Vec<Vec<Glyph>>) -> Layout {
        let mut glyphs: Vec<Glyph> = glyphs.into_iter().flatten().collect();
        for i in 0..30 {
            glyphs.extend(run(
                "body text of the paper set in ten points",
                72.0,
                300.0 + 12.0 * i as f64,
                10.0,
            ));
        }
        Layout {
            height: 792.0,
            top: 792.0,
            glyphs,
        }
    }

    #[test]
    fn large_type_keeps_subscripts_and_logos_but_not_footnote_marks() {
        // `Bounds for L` + subscript `p` + `Norms` + raised `*`; then a
        // line with the LaTeX logo: `L`, a small raised `A`, `T`, a lowered
        // `E`, `X`.
        let layout = layout(vec![
            run("Bounds for L", 72.0, 100.0, 18.0),
            run("p", 72.0 + 12.0 * 9.0, 103.0, 12.0),
            run(" Norms", 72.0 + 12.0 * 9.0 + 6.0, 100.0, 18.0),
            run("*", 72.0 + 12.0 * 9.0 + 6.0 + 6.0 * 9.0, 93.0, 10.0),
            run("in L", 72.0, 122.0, 18.0),
            run("A", 72.0 + 4.0 * 9.0 - 3.0, 118.0, 12.6),
            run("T", 72.0 + 4.0 * 9.0 + 4.0, 122.0, 18.0),
            run("E", 72.0 + 5.0 * 9.0 + 4.0, 126.0, 18.0),
            run("X", 72.0 + 6.0 * 9.0 + 4.0, 122.0, 18.0),
            run("Ann Lee and Bo Chen", 72.0, 150.0, 11.0),
        ]);
        assert_eq!(
            title_from_layout(&layout).as_deref(),
            Some("Bounds for Lp Norms in LATEX")
        );
    }

    #[test]
    fn large_type_far_apart_or_split_by_other_text_is_not_joined() {
        let layout_of = |second_y: f64, between: bool| {
            let mut parts = vec![
                run("A Study of Tracing", 72.0, 100.0, 18.0),
                run("Compilers on the Web", 72.0, second_y, 18.0),
            ];
            if between {
                parts.push(run("Ann Lee", 72.0, 110.0, 10.0));
            }
            title_from_layout(&layout(parts))
        };
        assert_eq!(
            layout_of(122.0, false).as_deref(),
            Some("A Study of Tracing Compilers on the Web")
        );
        assert_eq!(
            layout_of(200.0, false).as_deref(),
            Some("A Study of Tracing")
        );
        assert_eq!(
            layout_of(125.0, true).as_deref(),
            Some("A Study of Tracing")
        );
    }

    #[test]
    fn large_type_skips_headers_and_needs_larger_type() {
        // A header in title type set apart above the title.
        let layout_header = layout(vec![
            run("Journal of Tracing 12 (2009)", 72.0, 60.0, 18.0),
            run("Compilers on the Web", 72.0, 120.0, 18.0),
        ]);
        assert_eq!(
            title_from_layout(&layout_header).as_deref(),
            Some("Compilers on the Web")
        );
        // Everything in body type: no title from the layout.
        assert_eq!(title_from_layout(&layout(vec![])), None);
        // Single letters of a logo in huge type, then the title.
        let logo = layout(vec![
            run("W", 500.0, 40.0, 40.0),
            run("J", 500.0, 90.0, 40.0),
            run("Compilers on the Web", 72.0, 120.0, 18.0),
        ]);
        assert_eq!(
            title_from_layout(&logo).as_deref(),
            Some("Compilers on the Web")
        );
        assert_eq!(title_from_layout(&Layout::default()), None);
    }

    #[test]
    fn title_page_with_little_text_uses_the_smaller_type_as_body() {
        let layout = Layout {
            height: 792.0,
            top: 792.0,
            glyphs: [
                run("A Long Title Set Large", 72.0, 200.0, 20.0),
                run("On a Title Page Alone", 72.0, 224.0, 20.0),
                run("Ann Lee", 72.0, 300.0, 12.0),
            ]
            .concat(),
        };
        assert_eq!(
            title_from_layout(&layout).as_deref(),
            Some("A Long Title Set Large On a Title Page Alone")
        );
    }

    #[test]
    fn rotated_and_odd_characters_are_not_recorded() {
        let mut layout = Layout {
            height: 792.0,
            top: 792.0,
            glyphs: Vec::new(),
        };
        let upright = pdf_extract::Transform::row_major(1.0, 0.0, 0.0, 1.0, 72.0, 692.0);
        layout.record(&upright, 0.5, 12.0, "A");
        assert_eq!(
            layout.glyphs,
            [Glyph {
                x: 72.0,
                y: 100.0,
                size: 12.0,
                advance: 6.0,
                text: "A".into()
            }]
        );
        let rotated = pdf_extract::Transform::row_major(0.0, 1.0, -1.0, 0.0, 32.0, 220.0);
        let mirrored = pdf_extract::Transform::row_major(1.0, 0.0, 0.0, -1.0, 72.0, 692.0);
        let huge = pdf_extract::Transform::row_major(1e300, 0.0, 0.0, 1e300, 72.0, 692.0);
        layout.record(&rotated, 0.5, 12.0, "B");
        layout.record(&mirrored, 0.5, 12.0, "C");
        layout.record(&huge, 0.5, 12.0, "D");
        layout.record(&upright, 0.5, f64::NAN, "E");
        layout.record(&upright, 0.5, 12.0, "");
        assert_eq!(layout.glyphs.len(), 1);
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
        let pdf =
            TestPdf::new(&[PAPER_PAGE_1]).info("CreationDate", lit("D:20190102030405+01'00'"));
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
        let page =
            "Recursive Forms Considered Harmful\n\nThe body text is still read from this page.";
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
    // Heuristics on text
    // -----------------------------------------------------------------------

    #[test]
    fn title_skips_headers_and_stops_at_the_author_block() {
        let cases = [
            // Stamp line, label, conference header before the title.
            (
                "arXiv:2303.16727v2 [cs.CV] 12 Apr 2023\nPREPRINT\n\
                 Published as a conference paper at ICLR 2024\nDeep Nets\nfor Cats\n\nAnn Lee",
                Some("Deep Nets for Cats"),
            ),
            // Authors right below the title with footnote marks.
            (
                "Deep Nets for Cats\nAnn Lee1 Bo Chen2\nAbstract",
                Some("Deep Nets for Cats"),
            ),
            (
                "Deep Nets for Cats\nAnn Lee∗ Bo Chen†",
                Some("Deep Nets for Cats"),
            ),
            // A plain list of names.
            (
                "Deep Nets for Cats\nAnn Lee, Bo Chen and Cy Diaz",
                Some("Deep Nets for Cats"),
            ),
            // An affiliation or an e-mail.
            (
                "Deep Nets for Cats\nUniversity of Somewhere",
                Some("Deep Nets for Cats"),
            ),
            (
                "Deep Nets for Cats\nann@somewhere.edu",
                Some("Deep Nets for Cats"),
            ),
            (
                "Deep Nets for Cats\n{ann, bo}@somewhere.edu",
                Some("Deep Nets for Cats"),
            ),
            // A title with a footnote mark; an `@` that is no e-mail.
            ("The Foo Package∗\n\nAnn Lee", Some("The Foo Package")),
            ("Deep Nets for Cats†\nAnn Lee1", Some("Deep Nets for Cats")),
            (
                "Citing @article in Papers\n\nAnn Lee",
                Some("Citing @article in Papers"),
            ),
            // Abstract or introduction straight away.
            (
                "Deep Nets for Cats\nAbstract—We study cats.",
                Some("Deep Nets for Cats"),
            ),
            (
                "Deep Nets for Cats\n1 Introduction",
                Some("Deep Nets for Cats"),
            ),
            // A title with commas is not a list of names.
            (
                "Sparse, Dense, and Attentional Representations\n\nAnn Lee",
                Some("Sparse, Dense, and Attentional Representations"),
            ),
            // An all-caps title is not a label.
            (
                "ATTENTION IS ALL YOU NEED\n\nAnn Lee",
                Some("ATTENTION IS ALL YOU NEED"),
            ),
            // Words that only start like a header.
            (
                "Doing More with Less\n\nAnn Lee",
                Some("Doing More with Less"),
            ),
            (
                "Received Wisdom Revisited\n\nAnn Lee",
                Some("Received Wisdom Revisited"),
            ),
            (
                "Received: 1 May 2020 / Accepted: 2 June 2020\nAccepted at ICML\nDeep Nets\n\nAnn Lee",
                Some("Deep Nets"),
            ),
            // Single words above the title (journal section labels).
            (
                "Article\nDeep Nets for Cats\n\nAnn Lee",
                Some("Deep Nets for Cats"),
            ),
            // Nothing but the author block, one word, or running text.
            ("ann@somewhere.edu\nDeep Nets", None),
            ("Cats\n\nAbstract", None),
            (
                "this is running text\nthat goes on and on\nover many lines\nwithout a break",
                None,
            ),
        ];
        for (page, expected) in cases {
            assert_eq!(title_from_text(page).as_deref(), expected, "{page:?}");
        }
    }

    #[test]
    fn abstract_headings_and_stops() {
        assert_eq!(abstract_heading("Abstract"), Some(""));
        assert_eq!(abstract_heading("ABSTRACT"), Some(""));
        assert_eq!(abstract_heading("Abstract."), Some(""));
        assert_eq!(abstract_heading("Abstract. We study"), Some("We study"));
        assert_eq!(abstract_heading("Abstract—We study"), Some("We study"));
        assert_eq!(abstract_heading("Abstract: We study"), Some("We study"));
        assert_eq!(abstract_heading("Abstract We study"), Some("We study"));
        assert_eq!(abstract_heading("Abstracts are short"), None);
        assert_eq!(abstract_heading("Abstract syntax trees are"), None);
        assert_eq!(abstract_heading("abstract"), None);
        assert_eq!(abstract_heading("In the abstract"), None);
        for stop in [
            "1 Introduction",
            "1. Introduction",
            "1Introduction",
            "I. INTRODUCTION",
            "I INTRODUCTION",
            "Introduction",
            "INTRODUCTION",
            "Keywords: cats, dogs",
            "Key words—cats",
            "Index Terms—cats, dogs",
            "CCS Concepts",
            "Contents",
            "2 Related Work",
            "1. Background and Motivation",
            "III. PROBLEM SETTING",
        ] {
            assert!(is_section_stop(stop), "{stop:?}");
        }
        for not_stop in [
            "Introduction of a new method is what we do here and more",
            "We give an introduction to",
            "10 ways",
            "10 Languages and improves accuracy by",
            "3 Benchmarks.",
            "2024 Conference Paper On Something Long Here And More",
            "The contents",
        ] {
            assert!(!is_section_stop(not_stop), "{not_stop:?}");
        }
    }

    #[test]
    fn abstract_joins_hyphenation_keeps_paragraphs_and_stops() {
        let text = "Title Here\n\nABSTRACT\nWe present a new representa-\ntion learn-\n\
                    ing method for Bose-\nEinstein data.\n\nA second para-\ngraph.\n\
                    I. INTRODUCTION\nBody.";
        assert_eq!(
            abstract_from_text(text).as_deref(),
            Some(
                "We present a new representation learning method for Bose-Einstein data.\n\n\
                 A second paragraph."
            )
        );
        // No blank line, but a short last line ends the first paragraph.
        let justified = "Abstract\nThe first paragraph runs over a couple of full lines\n\
                         of text before it ends on a short line.\nThe second one starts \
                         here and continues for a long while.\nLast.\n1 Introduction";
        assert_eq!(
            abstract_from_text(justified).as_deref(),
            Some(
                "The first paragraph runs over a couple of full lines of text before it ends on \
                 a short line.\n\nThe second one starts here and continues for a long while. Last."
            )
        );
        let inline = "Abstract—Short and sweet.\nIndex Terms—cats";
        assert_eq!(
            abstract_from_text(inline).as_deref(),
            Some("Short and sweet.")
        );
        assert_eq!(abstract_from_text("No heading here.\nJust text."), None);
    }

    #[test]
    fn long_abstract_is_cut_at_a_sentence() {
        let sentence = "This sentence is part of a very long abstract without any stop. ";
        let text = format!("Abstract\n{}", sentence.repeat(100));
        let abstract_text = abstract_from_text(&text).unwrap_or_default();
        assert!(abstract_text.chars().count() <= MAX_ABSTRACT);
        assert!(abstract_text.chars().count() > MAX_ABSTRACT - sentence.len());
        assert!(abstract_text.ends_with("stop."), "{abstract_text:?}");
    }

    #[test]
    fn dois_are_trimmed() {
        let cases = [
            (
                "see https://doi.org/10.1145/3292500.3330701.",
                "10.1145/3292500.3330701",
            ),
            ("(doi:10.1000/xyz123)", "10.1000/xyz123"),
            (
                "10.1016/S0140-6736(20)30183-5, and",
                "10.1016/S0140-6736(20)30183-5",
            ),
            ("[10.5555/abc]", "10.5555/abc"),
            ("DOI 10.1109/5.771073;", "10.1109/5.771073"),
        ];
        for (text, doi) in cases {
            assert_eq!(find_doi(text).as_deref(), Some(doi), "{text:?}");
        }
        assert_eq!(find_doi("version 10.1/abc and 110.1234/x"), None);
    }

    #[test]
    fn arxiv_ids_and_years() {
        assert_eq!(
            find_arxiv("arXiv:2303.16727v2 [cs.CV]").as_deref(),
            Some("2303.16727")
        );
        assert_eq!(
            find_arxiv("see arXiv: 1706.03762").as_deref(),
            Some("1706.03762")
        );
        assert_eq!(
            find_arxiv("arXiv:math.GT/0309136v1").as_deref(),
            Some("math.GT/0309136")
        );
        assert_eq!(find_arxiv("arXiv:2313.16727"), None, "month 13");
        assert_eq!(
            find_arxiv_compact("xarXiv:1412.6980v9[cs.LG]30Jan2017").as_deref(),
            Some("1412.6980")
        );
        assert_eq!(
            stamp_year("arXiv:2303.16727v2 [cs.CV] 12 Apr 2023"),
            Some(2023)
        );
        assert_eq!(stamp_year("arXiv:2303.16727v2[cs.CV]12Apr2023"), Some(2023));
        assert_eq!(arxiv_year("2303.16727"), Some(2023));
        assert_eq!(arxiv_year("hep-th/9901001"), None);
        assert_eq!(date_year("D:20230412101010Z"), Some(2023));
        assert_eq!(date_year("D:0000"), None);
        assert_eq!(date_year("Mon Jan 12 10:00:00 2015"), Some(2015));
        assert_eq!(date_year("garbage"), None);
    }

    #[test]
    fn info_titles_are_judged() {
        assert!(meaningful_title("Attention Is All You Need"));
        assert!(!meaningful_title("paper.dvi"));
        assert!(!meaningful_title("final draft.pdf"));
        assert!(!meaningful_title("Microsoft Word - x.docx"));
        assert!(!meaningful_title("untitled"));
        assert!(!meaningful_title(
            "Author Guidelines for 8.5x11-inch Proceedings Manuscripts"
        ));
        assert!(!meaningful_title("BERT"), "one word");
        assert!(!meaningful_title("12 34"));
    }

    #[test]
    fn authors_are_split_and_turned_around() {
        assert_eq!(
            split_authors("Laurens van der Maaten & Geoffrey Hinton"),
            ["van der Maaten, Laurens", "Hinton, Geoffrey"]
        );
        assert_eq!(
            split_authors("A. Lee; Bo Chen, and Cy Diaz; World Health Organization"),
            [
                "Lee, A.",
                "Chen, Bo",
                "Diaz, Cy",
                "World Health Organization"
            ]
        );
        assert_eq!(
            split_authors("Martin Luther King Jr. and Plato"),
            ["King, Martin Luther Jr.", "Plato"]
        );
        assert_eq!(
            split_authors("Ann Lee* and Bo Chen†"),
            ["Lee, Ann", "Chen, Bo"]
        );
        assert!(split_authors("Administrator").is_empty());
        assert!(split_authors("jsmith").is_empty(), "a login name");
        assert!(split_authors(" ; , ").is_empty());
    }

    #[test]
    fn keywords_become_tags() {
        assert_eq!(
            split_tags("Deep Learning, deep learning; Computer  Vision. | GANs"),
            ["deep-learning", "computer-vision", "gans"]
        );
        assert!(split_tags(" , ;").is_empty());
    }

    #[test]
    fn pages_are_cleaned() {
        assert_eq!(
            clean_page("\u{c}  Ef\u{fb01}cient   \tﬂow\r\n\n\n\nnext\u{0}  line  \n\n"),
            "Efficient flow\n\nnext line"
        );
        assert_eq!(clean_page("soft\u{ad}\nhyphen"), "soft-\nhyphen");
        assert_eq!(join_lines(["soft-", "hyphen"]), "softhyphen");
        assert_eq!(join_lines(["Bose-", "Einstein"]), "Bose-Einstein");
        assert_eq!(join_lines(["x-", "y"]), "xy");
        assert_eq!(
            join_lines(["well-known cat-", "egories"]),
            "well-known categories"
        );
        assert_eq!(
            join_lines(["ends with 3-", "4 items"]),
            "ends with 3- 4 items"
        );
        assert_eq!(join_lines(["", "a", "", "", "b", ""]), "a\n\nb");
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
        fn arbitrary_layouts_never_panic(
            glyphs in proptest::collection::vec(
                (-1e4f64..1e4, -1e4f64..1e4, 1f64..500.0, 0f64..100.0, "\\PC{0,3}"),
                0..200,
            ),
        ) {
            let glyphs = glyphs
                .into_iter()
                .map(|(x, y, size, advance, text)| Glyph { x, y, size, advance, text })
                .collect();
            let layout = Layout { height: 792.0, top: 792.0, glyphs };
            let _ = title_from_layout(&layout);
        }

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
}
