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
//!
//! # Where things are
//!
//! - `load`: opening the file (header, encryption, Info, every page);
//! - `extract`: the raw text of one page, and the cycle checks that keep
//!   `pdf-extract` off pages it would recurse on without end;
//! - `layout`: where and how large the characters of page 1 are drawn;
//! - `info`: the Info dictionary and the fields it gives (authors, tags);
//! - `assemble`: the [`PdfRead`] built from the pages and the Info;
//! - `clean`: text cleaning and joining lines into running text;
//! - `title` and `large_type`: the title from the text and from the layout;
//! - `abstract_text`: the abstract;
//! - `identifiers`: DOI, arXiv id and year.
//!
//! Beside the import, for the reader and its highlights:
//!
//! - `pages`: every page's text with the box of each character, the text
//!   under a highlight's rectangles and the rectangles of a range of text;
//! - `annots`: the highlights, notes and other markup other readers stored
//!   in a PDF (`export::pdf_annots` writes them).

mod abstract_text;
#[allow(dead_code, reason = "the reader's commands will call it")]
pub(crate) mod annots;
mod assemble;
mod clean;
mod extract;
mod identifiers;
mod info;
mod large_type;
mod layout;
mod load;
#[allow(dead_code, reason = "the reader's commands will call it")]
pub(crate) mod pages;
mod title;

use crate::model::NewPaper;
use crate::text::fold_whitespace as fold;

use assemble::build;
use info::Info;
use layout::Layout;
pub(crate) use load::open_document;
use load::{find, load};

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

#[cfg(test)]
pub(crate) mod testpdf;
#[cfg(test)]
mod tests;
