//! Plain data types shared by the engine, the CLI and the desktop shell.
//!
//! Everything here is `serde`-serializable and carries no behaviour beyond
//! small conversions, so the same shapes travel to `--json` output and to the
//! UI unchanged.
//!
//! ```
//! use lectern::model::{LinkKind, Status};
//! assert_eq!(LinkKind::classify("https://github.com/a/b"), LinkKind::Code);
//! assert_eq!("reading".parse::<Status>().unwrap(), Status::Reading);
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a link of a paper points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Code,
    Dataset,
    Project,
    Pdf,
    Other,
}

impl LinkKind {
    /// The stable lowercase name used in SQLite, JSON and Markdown.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Code => "code",
            LinkKind::Dataset => "dataset",
            LinkKind::Project => "project",
            LinkKind::Pdf => "pdf",
            LinkKind::Other => "other",
        }
    }

    /// Guesses the kind of a URL found in a paper's text: code hosts are
    /// `code`, dataset pages are `dataset`, PDFs are `pdf`, the rest `project`.
    pub fn classify(url: &str) -> LinkKind {
        let lower = url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .unwrap_or(&lower);
        let rest = rest.strip_prefix("www.").unwrap_or(rest);
        let host = rest.split('/').next().unwrap_or("");
        let path = &rest[host.len()..];
        if host == "github.com"
            || host == "gitlab.com"
            || host.ends_with(".gitlab.io") && path.contains("/-/")
            || host == "bitbucket.org"
            || host == "codeberg.org"
        {
            LinkKind::Code
        } else if (host == "huggingface.co" && path.starts_with("/datasets/"))
            || host == "zenodo.org"
            || host == "kaggle.com" && path.starts_with("/datasets")
            || path.contains("/dataset/")
            || path.contains("/datasets/")
        {
            LinkKind::Dataset
        } else if path.ends_with(".pdf") || host == "arxiv.org" && path.starts_with("/pdf/") {
            LinkKind::Pdf
        } else {
            LinkKind::Project
        }
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LinkKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "code" => Ok(LinkKind::Code),
            "dataset" => Ok(LinkKind::Dataset),
            "project" => Ok(LinkKind::Project),
            "pdf" => Ok(LinkKind::Pdf),
            "other" => Ok(LinkKind::Other),
            other => Err(format!(
                "unknown link kind `{other}` (expected code, dataset, project, pdf or other)"
            )),
        }
    }
}

/// A URL attached to a paper.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Link {
    pub url: String,
    pub kind: LinkKind,
}

/// Reading status of a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Unread,
    Reading,
    Read,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unread => "unread",
            Status::Reading => "reading",
            Status::Read => "read",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "unread" => Ok(Status::Unread),
            "reading" => Ok(Status::Reading),
            "read" => Ok(Status::Read),
            other => Err(format!(
                "unknown status `{other}` (expected unread, reading or read)"
            )),
        }
    }
}

/// Highlight colors: Zotero's palette, so highlights survive a trip through
/// other tools. `(name, hex)`, in the order the UI shows them; the desktop
/// shell exports it into the UI's generated bindings.
pub const PALETTE: [(&str, &str); 8] = [
    ("yellow", "#ffd400"),
    ("red", "#ff6666"),
    ("green", "#5fb236"),
    ("blue", "#2ea8e5"),
    ("purple", "#a28ae5"),
    ("magenta", "#e56eee"),
    ("orange", "#f19837"),
    ("gray", "#aaaaaa"),
];

/// Resolves a palette color name (or its hex value) to the canonical name.
pub fn palette_color(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_ascii_lowercase();
    let lower = if lower == "grey" {
        "gray".to_string()
    } else {
        lower
    };
    PALETTE
        .iter()
        .find(|(n, hex)| *n == lower || *hex == lower)
        .map(|(n, _)| *n)
}

/// A `#rrggbb` color as RGB components from 0 to 1 (black where a digit
/// is not one).
fn hex_rgb(hex: &str) -> [f32; 3] {
    let channel = |i: usize| {
        hex.get(1 + 2 * i..3 + 2 * i)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0) as f32
            / 255.0
    };
    [channel(0), channel(1), channel(2)]
}

/// A palette color's RGB components (0 to 1), yellow's for an unknown name.
pub fn palette_rgb(name: &str) -> [f32; 3] {
    hex_rgb(
        PALETTE
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(PALETTE[0].1, |(_, hex)| *hex),
    )
}

/// The palette color nearest to an RGB color (components 0 to 1), as a
/// highlight read from another reader's PDF gets its color.
pub fn nearest_palette_color(rgb: [f32; 3]) -> &'static str {
    PALETTE
        .iter()
        .map(|(name, hex)| {
            let c = hex_rgb(hex);
            let d: f32 = (0..3).map(|i| (c[i] - rgb[i]).powi(2)).sum();
            (name, d)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(name, _)| *name)
        .unwrap_or("yellow")
}

/// A paper as it arrives from an importer, before it has an id or citekey.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewPaper {
    pub title: String,
    pub abstract_text: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub doi: Option<String>,
    pub arxiv: Option<String>,
    pub links: Vec<Link>,
    pub tags: Vec<String>,
    /// Where the paper came from, `file:line`, for reports.
    pub source: String,
    /// Journal, proceedings or other container title.
    pub venue: Option<String>,
    /// Kind of work in BibTeX's words (`article`, `inproceedings`, `misc`, …).
    pub entry_type: Option<String>,
    /// The key the source gave the entry; it becomes the citekey when free.
    pub citekey: Option<String>,
    /// A note that came with the entry (BibTeX `note`, RIS `N1`, a Markdown
    /// body); it becomes a note on the paper.
    pub note: Option<String>,
    /// Text extracted from the paper's PDF; stored and searchable.
    pub fulltext: String,
    /// A file (the PDF) to copy into the library's `attachments/<citekey>/`
    /// folder and link from the paper.
    pub attachment: Option<std::path::PathBuf>,
    /// Other fields, kept so nothing is lost, under BibTeX field names
    /// (`volume`, `number`, `pages`, `publisher`, `month`, `url`, `file`, …).
    pub extra: Vec<(String, String)>,
}

/// The metadata a person can correct by hand ([`crate::Library::edit_paper`]).
/// Every field is replaced; `None` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PaperEdit {
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub doi: Option<String>,
    pub arxiv: Option<String>,
}

/// A paper with everything the user attached to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Paper {
    pub id: String,
    pub citekey: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub doi: Option<String>,
    pub arxiv: Option<String>,
    pub links: Vec<Link>,
    pub tags: Vec<String>,
    pub status: Status,
    pub starred: bool,
    pub notes: Vec<Note>,
    pub annotations: Vec<Annotation>,
    pub relations: Vec<Relation>,
    pub venue: Option<String>,
    pub entry_type: Option<String>,
    /// Fields from reference managers kept as they came (BibTeX names).
    pub extra: Vec<(String, String)>,
    /// Other keys the paper goes by (the keys of records merged into it);
    /// every command accepts them in place of the citekey.
    pub aliases: Vec<String>,
    pub added: String,
    pub updated: String,
    /// Fields filled from the web (`lectern fetch`), with their source and
    /// time; empty in lists, filled when one paper is read.
    #[serde(default)]
    pub filled_from: Vec<FieldSource>,
}

/// What a person chose about going online; kept in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct OnlineSettings {
    /// Sent to Crossref (its polite pool) and Unpaywall (which needs it).
    pub email: Option<String>,
    /// The sources asked: `arxiv`, `huggingface`, `crossref`,
    /// `semanticscholar`, `unpaywall`.
    pub sources: Vec<String>,
    /// Least milliseconds between two requests to a source, where the
    /// default does not suit.
    pub rate_limits: Vec<RateLimit>,
    /// Look up newly imported papers at once (off: only on request).
    pub fill_new: bool,
}

impl Default for OnlineSettings {
    fn default() -> Self {
        OnlineSettings {
            email: None,
            sources: [
                "arxiv",
                "huggingface",
                "crossref",
                "semanticscholar",
                "unpaywall",
            ]
            .map(str::to_string)
            .to_vec(),
            rate_limits: Vec::new(),
            fill_new: false,
        }
    }
}

/// A source's pace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RateLimit {
    pub source: String,
    /// Least milliseconds between two requests.
    pub ms: u32,
}

/// What a fetch did for one paper (or, on a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Applied {
    pub citekey: String,
    /// `filled`, `unchanged` (found; nothing was missing), `ambiguous`,
    /// `not_found` or `failed`.
    pub outcome: String,
    /// The fields filled, each with its source.
    pub filled: Vec<FieldSource>,
    /// Findings left out, each said in one line (an arXiv id another paper
    /// of the library has).
    pub left_out: Vec<String>,
    /// When ambiguous: the papers that fit, one line each.
    pub candidates: Vec<String>,
    /// When failed: why.
    pub error: Option<String>,
    /// The PDF attached (`attachments/<citekey>/…`).
    pub pdf: Option<String>,
    /// Why no PDF was attached, when one was asked for.
    pub pdf_problem: Option<String>,
}

/// Where a field filled from the web came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldSource {
    /// `authors`, `year`, `doi`, `arxiv`, `venue`, `abstract`, `links`, …
    pub field: String,
    /// `arxiv`, `huggingface`, `crossref`, `semanticscholar`, `unpaywall`.
    pub source: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A Markdown note attached to a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Note {
    pub id: String,
    pub paper_id: String,
    pub body: String,
    pub created: String,
    pub updated: String,
}

/// W3C Web Annotation `TextQuoteSelector`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextQuote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// W3C Web Annotation `TextPositionSelector`: character (not byte) offsets
/// into the paper's abstract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextPosition {
    pub start: usize,
    pub end: usize,
}

/// What a highlight marks: a span of text, or an area of a PDF page (a
/// figure or an equation, which may have no text under it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum AnnotationKind {
    #[default]
    Text,
    Area,
}

impl AnnotationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Text => "text",
            AnnotationKind::Area => "area",
        }
    }

    pub fn parse(s: &str) -> Option<AnnotationKind> {
        match s {
            "text" => Some(AnnotationKind::Text),
            "area" => Some(AnnotationKind::Area),
            _ => None,
        }
    }
}

/// A rectangle on a PDF page in PDF user space: points from the page's
/// lower left corner, `y` growing upwards, `x0 < x1` and `y0 < y1`. Drawing
/// from these does not depend on the zoom the highlight was made at.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfRect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

// Coordinates are checked to be finite wherever they enter (see
// `PdfRect::checked`), so equality is an equivalence.
impl Eq for PdfRect {}

impl PdfRect {
    /// The rectangle with its corners ordered, or `None` when a coordinate
    /// is not a finite number or the rectangle is absurdly large (beyond
    /// the 14,400 pt a PDF page can measure).
    pub fn checked(x0: f64, y0: f64, x1: f64, y1: f64) -> Option<PdfRect> {
        let ok = |v: f64| v.is_finite() && v.abs() <= 100_000.0;
        if !(ok(x0) && ok(y0) && ok(x1) && ok(y1)) {
            return None;
        }
        Some(PdfRect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        })
    }
}

/// Rectangles as the store and the paper files keep them:
/// `x0,y0,x1,y1;x0,y0,x1,y1`, each number to a hundredth of a point.
pub fn rects_to_string(rects: &[PdfRect]) -> String {
    let n = |v: f64| {
        let s = format!("{:.2}", v);
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".to_string()
        } else {
            s.to_string()
        }
    };
    rects
        .iter()
        .map(|r| format!("{},{},{},{}", n(r.x0), n(r.y0), n(r.x1), n(r.y1)))
        .collect::<Vec<_>>()
        .join(";")
}

/// Reads [`rects_to_string`]'s form; `None` when any rectangle is not four
/// finite numbers. At most 1,000 rectangles are read.
pub fn rects_from_str(s: &str) -> Option<Vec<PdfRect>> {
    let s = s.trim();
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split(';')
        .take(1000)
        .map(|r| {
            let v: Vec<f64> = r
                .split(',')
                .map(|n| n.trim().parse::<f64>().ok())
                .collect::<Option<Vec<f64>>>()?;
            match v[..] {
                [x0, y0, x1, y1] => PdfRect::checked(x0, y0, x1, y1),
                _ => None,
            }
        })
        .collect()
}

/// A highlight of a span of a paper's text: of its abstract (`page` is
/// `None`), or of a page of one of its PDF attachments.
///
/// For a PDF highlight, `quote` and `position` are W3C selectors over the
/// engine's extracted text of that page (`position` counts characters from
/// the start of the page), `rects` are where it is drawn, and
/// `file`/`file_hash` name the attachment and the exact version of it the
/// highlight was placed on. An area highlight has only `page` and `rects`
/// (its quote is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Annotation {
    pub id: String,
    pub paper_id: String,
    pub kind: AnnotationKind,
    pub quote: TextQuote,
    pub position: TextPosition,
    /// The page of the PDF (1-based); `None` for the abstract.
    pub page: Option<u32>,
    /// The attachment's link (`attachments/<citekey>/<file>.pdf`).
    pub file: Option<String>,
    /// The BLAKE3 hash (hex) of the attachment the highlight was placed on.
    pub file_hash: Option<String>,
    pub rects: Vec<PdfRect>,
    /// `false` when a new version of the PDF replaced the one the highlight
    /// was made on and its quote could not be found in it: it is kept,
    /// listed and marked, never deleted.
    pub placed: bool,
    pub color: String,
    pub comment: Option<String>,
    pub created: String,
    pub updated: String,
}

impl Annotation {
    /// A highlight of the abstract with no PDF target.
    pub fn on_abstract(
        id: String,
        paper_id: String,
        quote: TextQuote,
        position: TextPosition,
        color: String,
        comment: Option<String>,
        now: &str,
    ) -> Annotation {
        Annotation {
            id,
            paper_id,
            kind: AnnotationKind::Text,
            quote,
            position,
            page: None,
            file: None,
            file_hash: None,
            rects: Vec::new(),
            placed: true,
            color,
            comment,
            created: now.to_string(),
            updated: now.to_string(),
        }
    }
}

/// What the window sends for a highlight made on a PDF page: the
/// attachment, the page, where the selection (or the dragged area) is
/// drawn, and the selected text with a little of the page's text on each
/// side as the window's PDF text layer has it. The engine finds the quote
/// in its own text of the page, which is the reference for re-anchoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfSelection {
    pub file: String,
    pub page: u32,
    pub kind: AnnotationKind,
    pub rects: Vec<PdfRect>,
    /// The selected text; empty for an area.
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// A paper's PDF as the engine reads it for highlights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfInfo {
    pub file: String,
    pub hash: String,
    pub pages: u32,
    /// Whether any page has text (a scan has none: only areas can be
    /// highlighted).
    pub has_text: bool,
}

/// What replacing a paper's PDF by a new version did to its highlights.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfReplaced {
    /// The new attachment's link.
    pub file: String,
    /// Highlights of the old version.
    pub highlights: usize,
    /// Of those, how many were placed in the new version.
    pub placed: usize,
    /// The ids of those that could not be placed (kept, marked).
    pub unplaced: Vec<String>,
}

/// What reading a PDF's own annotations added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PdfAnnotationsRead {
    pub file: String,
    /// Annotations found in the file (highlights, underlines, strike-outs,
    /// notes, squares).
    pub found: usize,
    /// Of those, how many were new to the library.
    pub added: usize,
}

/// Which end of a relation the paper being shown is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// This paper → other paper.
    Outgoing,
    /// Other paper → this paper.
    Incoming,
}

/// A typed link the user made between two papers, seen from one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Relation {
    pub kind: String,
    pub direction: Direction,
    pub other_id: String,
    pub other_citekey: String,
    pub other_title: String,
    pub created: String,
}

/// One run of a [`MarkedText`]: plain text, and whether the query matched it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TextPiece {
    pub text: String,
    pub matched: bool,
}

/// A text (a search snippet or a title) as the pieces it is made of, in
/// order: joined, their `text`s give the text back, and the pieces with
/// `matched` set are the words the query matched. No markup and no escaping:
/// each front end marks matched pieces its own way (a `<b>` element, bold in
/// a terminal, `[word]`). Two plain pieces never follow each other, no piece
/// is empty, and a text without a match is one plain piece (none if empty).
/// An elided start or end shows as `…` in the plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MarkedText(pub Vec<TextPiece>);

impl MarkedText {
    /// `text` with nothing matched.
    pub fn plain(text: &str) -> MarkedText {
        let mut m = MarkedText::default();
        m.push(text, false);
        m
    }

    /// Appends `text`, joining it to a plain piece before it if it is plain
    /// too; empty text adds nothing.
    pub fn push(&mut self, text: &str, matched: bool) {
        if text.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(last) if !matched && !last.matched => last.text.push_str(text),
            _ => self.0.push(TextPiece {
                text: text.to_string(),
                matched,
            }),
        }
    }

    /// Whether any piece is a match.
    pub fn has_match(&self) -> bool {
        self.0.iter().any(|p| p.matched)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text without marks.
    pub fn text(&self) -> String {
        self.0.iter().map(|p| p.text.as_str()).collect()
    }

    /// The text with each matched piece between `on` and `off`, and every
    /// piece passed through `each` first (an escaper, or the identity).
    pub fn render(&self, on: &str, off: &str, each: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        for p in &self.0 {
            if p.matched {
                out.push_str(on);
                out.push_str(&each(&p.text));
                out.push_str(off);
            } else {
                out.push_str(&each(&p.text));
            }
        }
        out
    }
}

#[cfg(test)]
impl Paper {
    /// A paper with only these fields set, for tests.
    pub fn bare(id: &str, citekey: &str, title: &str, abstract_text: &str) -> Paper {
        Paper {
            id: id.into(),
            citekey: citekey.into(),
            title: title.into(),
            abstract_text: abstract_text.into(),
            authors: Vec::new(),
            year: None,
            doi: None,
            arxiv: None,
            links: Vec::new(),
            tags: Vec::new(),
            status: Status::Unread,
            starred: false,
            notes: Vec::new(),
            annotations: Vec::new(),
            relations: Vec::new(),
            venue: None,
            entry_type: None,
            extra: Vec::new(),
            aliases: Vec::new(),
            added: String::new(),
            updated: String::new(),
            filled_from: Vec::new(),
        }
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    pub id: String,
    pub citekey: String,
    pub title: String,
    /// The title with the words the query matched marked.
    pub title_marked: MarkedText,
    pub score: f32,
    /// A fragment of the abstract (or notes) with the words the query
    /// matched marked; the abstract's start when none matched there.
    pub snippet: MarkedText,
    /// The query's words (as typed, stop words left out) this paper holds…
    pub matched: Vec<String>,
    /// …and those it does not: best match lists papers holding only some.
    pub missing: Vec<String>,
    /// Found by meaning alone, holding none of the query's words: shown
    /// as "similar in meaning" rather than with a snippet.
    pub by_meaning: bool,
}

/// One suggested related paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RelatedHit {
    pub id: String,
    pub citekey: String,
    pub title: String,
    pub score: f32,
    /// The few words both papers share that weighed most.
    pub terms: Vec<String>,
    /// Why it is suggested: `shared terms`, `similar in meaning`, or both
    /// (`shared terms, similar in meaning`).
    pub reason: String,
    /// For a paper close in meaning: the sentence of its abstract closest
    /// to this paper.
    pub sentence: Option<String>,
}

/// One paper of the "for you" order: how close it is to the papers the
/// reader starred, annotated or wrote on, and the closest of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ForYouHit {
    pub id: String,
    pub citekey: String,
    pub title: String,
    /// The cosine similarity to the closest of those papers.
    pub score: f32,
    /// That paper's citekey…
    pub because_citekey: String,
    /// …and title.
    pub because_title: String,
}

/// Related papers: computed suggestions plus the user's own relations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Related {
    pub suggestions: Vec<RelatedHit>,
    pub relations: Vec<Relation>,
}

/// A problem met while importing, located as `file:line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Problem {
    pub location: String,
    pub message: String,
}

/// An imported entry that was merged into a paper already in the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Merge {
    /// Where the entry came from, `file:line`.
    pub source: String,
    /// The paper it was merged into.
    pub citekey: String,
    /// Why the entry was taken for that paper: `same DOI`, `same arXiv id`,
    /// or `same title, …` with what else agreed.
    pub reason: String,
    /// The entry's own key, kept as an alias of the paper.
    pub alias: Option<String>,
}

/// Two papers with the same title that the library keeps apart, and why
/// (what contradicts their being one work, or that nothing does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PossibleDuplicate {
    pub a_id: String,
    pub a_citekey: String,
    pub a_title: String,
    pub a_year: Option<i32>,
    pub b_id: String,
    pub b_citekey: String,
    pub b_title: String,
    pub b_year: Option<i32>,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportReport {
    pub added: usize,
    pub merged: usize,
    /// Entries identical to what the library already has (nothing to add).
    pub skipped: usize,
    /// Entries that could not be imported (each also has a problem).
    pub rejected: usize,
    pub problems: Vec<Problem>,
    /// Ids of papers added, in order.
    pub added_ids: Vec<String>,
    /// Entries merged into papers already in the library.
    pub merges: Vec<Merge>,
    /// Highlights and notes read from the annotations stored in imported
    /// PDFs.
    #[serde(default)]
    pub highlights_read: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_links() {
        let cases = [
            ("https://github.com/om-ai-lab/ZoomEye", LinkKind::Code),
            ("https://gitlab.com/a/b", LinkKind::Code),
            (
                "https://huggingface.co/datasets/jHaselberger/SADC",
                LinkKind::Dataset,
            ),
            (
                "https://tianchi.aliyun.com/dataset/95414",
                LinkKind::Dataset,
            ),
            (
                "https://huggingface.co/crisistransformers",
                LinkKind::Project,
            ),
            ("https://guansuns.github.io/pages/llm-dm", LinkKind::Project),
            ("https://arxiv.org/pdf/2401.00001", LinkKind::Pdf),
        ];
        for (url, kind) in cases {
            assert_eq!(LinkKind::classify(url), kind, "{url}");
        }
    }

    #[test]
    fn marked_text_joins_plain_runs_and_keeps_matches_apart() {
        let mut m = MarkedText::plain("…big ");
        m.push("", true);
        m.push("<models>", true);
        m.push("transformers", true);
        m.push(" & ", false);
        m.push("said", false);
        assert_eq!(m.0.len(), 4);
        assert!(m.has_match());
        assert_eq!(m.text(), "…big <models>transformers & said");
        assert_eq!(
            m.render("[", "]", str::to_string),
            "…big [<models>][transformers] & said"
        );
        assert!(MarkedText::plain("").is_empty());
        assert!(!MarkedText::plain("x").has_match());
    }

    #[test]
    fn palette_names() {
        assert_eq!(palette_color("Yellow"), Some("yellow"));
        assert_eq!(palette_color("#2ea8e5"), Some("blue"));
        assert_eq!(palette_color("grey"), Some("gray"));
        assert_eq!(palette_color("chartreuse"), None);
        assert_eq!(nearest_palette_color([1.0, 1.0, 0.0]), "yellow");
        assert_eq!(nearest_palette_color([0.0, 0.6, 0.9]), "blue");
        assert_eq!(nearest_palette_color([1.0, 0.0, 0.0]), "red");
        assert_eq!(nearest_palette_color([f32::NAN, 0.0, 0.0]), "yellow");
        assert_eq!(
            palette_rgb("blue"),
            [46.0 / 255.0, 168.0 / 255.0, 229.0 / 255.0]
        );
        assert_eq!(palette_rgb("chartreuse"), palette_rgb("yellow"));
    }

    #[test]
    fn rects_round_trip_through_their_text_form() {
        let rects = vec![
            PdfRect::checked(72.0, 700.123, 300.5, 712.0).unwrap(),
            PdfRect::checked(10.0, 5.0, 0.0, -0.001).unwrap(),
        ];
        let text = rects_to_string(&rects);
        assert_eq!(text, "72,700.12,300.5,712;0,0,10,5");
        let back = rects_from_str(&text).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].x1, 300.5);
        assert_eq!(rects_from_str(""), Some(Vec::new()));
        assert_eq!(rects_from_str("1,2,3"), None);
        assert_eq!(rects_from_str("1,2,3,NaN"), None);
        assert_eq!(rects_from_str("1,2,3,inf"), None);
    }
}
