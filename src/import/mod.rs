//! Importers: turn input text into [`NewPaper`]s.
//!
//! [`decode`] checks that a file is text at all; [`parse`] detects the
//! format from the content ([`Format::detect`]) and hands it to the right
//! parser: a papers listing (a copied trending-papers page), BibTeX, RIS,
//! CSL-JSON, an arXiv Atom feed, Hugging Face JSON or Markdown.

pub mod arxiv;
pub mod bibtex;
pub mod csl;
pub(crate) mod dates;
pub(crate) mod fields;
pub mod hf;
pub mod identifier;
pub mod ids;
pub mod listing;
pub mod markdown;
pub mod pdf;
pub mod ris;
#[cfg(test)]
mod test_support;
pub mod urls;
pub mod zotero;

use crate::error::{Error, Result};
use crate::model::{NewPaper, Problem};

/// The most text one paper keeps of each kind, in bytes: enough for any
/// real paper (a long book's text is a few MB), small enough that one huge
/// input cannot make every search slow. What is cut is reported.
pub const MAX_TITLE: usize = 2_000;
pub const MAX_ABSTRACT: usize = 100_000;
pub const MAX_NOTE: usize = 1_000_000;
pub const MAX_FULLTEXT: usize = 8_000_000;
pub const MAX_FIELD: usize = 100_000;
pub const MAX_AUTHORS: usize = 2_000;

/// `text` cut to at most `max` bytes at a character boundary; the size it
/// had when it was cut.
fn cut_to(text: &mut String, max: usize) -> Option<usize> {
    if text.len() <= max {
        return None;
    }
    let before = text.len();
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    Some(before)
}

/// Cuts what is too large in an imported record to the limits above, one
/// problem (at the record's source) for each cut.
pub fn cap_sizes(p: &mut NewPaper) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut said = |what: &str, before: usize, max: usize| {
        problems.push(Problem {
            location: p.source.clone(),
            message: format!(
                "the {what} is {} KB; the first {} KB are kept",
                before / 1000,
                max / 1000
            ),
        })
    };
    if let Some(b) = cut_to(&mut p.title, MAX_TITLE) {
        said("title", b, MAX_TITLE);
    }
    if let Some(b) = cut_to(&mut p.abstract_text, MAX_ABSTRACT) {
        said("abstract", b, MAX_ABSTRACT);
    }
    if let Some(note) = p.note.as_mut()
        && let Some(b) = cut_to(note, MAX_NOTE)
    {
        said("note", b, MAX_NOTE);
    }
    if let Some(b) = cut_to(&mut p.fulltext, MAX_FULLTEXT) {
        said("full text", b, MAX_FULLTEXT);
    }
    let mut longest = None;
    for (_, value) in p.extra.iter_mut() {
        if let Some(b) = cut_to(value, MAX_FIELD) {
            longest = longest.max(Some(b));
        }
    }
    if let Some(b) = longest {
        said("longest extra field", b, MAX_FIELD);
    }
    if p.authors.len() > MAX_AUTHORS {
        let n = p.authors.len();
        p.authors.truncate(MAX_AUTHORS);
        problems.push(Problem {
            location: p.source.clone(),
            message: format!("{n} authors; the first {MAX_AUTHORS} are kept"),
        });
    }
    problems
}

/// The first `max` bytes of `text`, cut at a character boundary (what a
/// format's `looks_like` sniffs).
pub(crate) fn head(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Papers found in one input plus what was wrong with it.
#[derive(Debug, Default)]
pub struct Parsed {
    pub papers: Vec<NewPaper>,
    pub problems: Vec<Problem>,
}

/// [`decode`] without copying: a large file is held once, not twice.
pub fn decode_owned(mut bytes: Vec<u8>, source: &str) -> Result<String> {
    check_text(&bytes, source)?;
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let pos = e.utf8_error().valid_up_to();
        binary(e.as_bytes(), pos, source)
    })
}

fn check_text(bytes: &[u8], source: &str) -> Result<()> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Parse {
            location: format!("{source}:1"),
            message: "file is empty".into(),
        });
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(binary(bytes, pos, source));
    }
    Ok(())
}

/// Decodes file bytes as UTF-8 text, refusing empty and binary files.
pub fn decode(bytes: &[u8], source: &str) -> Result<String> {
    check_text(bytes, source)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => Err(binary(bytes, e.valid_up_to(), source)),
    }
}

fn binary(bytes: &[u8], pos: usize, source: &str) -> Error {
    let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
    Error::Parse {
        location: format!("{source}:{line}"),
        message: format!(
            "not a text file (binary data at byte {pos}); expected a PDF or a text format (listing, BibTeX, RIS, CSL-JSON, arXiv Atom, Hugging Face JSON, Markdown)"
        ),
    }
}

/// Reads and parses one file (format detected).
pub fn read_file(path: &std::path::Path) -> Result<Parsed> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    read_bytes(bytes, &path.display().to_string(), Some(path), None)
}

/// Parses the bytes of an input named `name`. A PDF becomes one paper with
/// its text (and, when `path` is given, the file as its attachment); other
/// input must be text in a known format (`format`, or detected).
pub fn read_bytes(
    bytes: Vec<u8>,
    name: &str,
    path: Option<&std::path::Path>,
    format: Option<Format>,
) -> Result<Parsed> {
    if pdf::is_pdf(&bytes) {
        let stem = path
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.to_string());
        let read = pdf::read_pdf(&bytes, name, &stem);
        let mut paper = read.paper;
        paper.fulltext = read.full_text;
        paper.attachment = path.map(std::path::Path::to_path_buf);
        let problems = read
            .warning
            .map(|message| Problem {
                location: format!("{name}:1"),
                message,
            })
            .into_iter()
            .collect();
        return Ok(Parsed {
            papers: vec![paper],
            problems,
        });
    }
    let text = decode_owned(bytes, name)?;
    parse_as(&text, name, format)
}

/// Reads and parses several files for one import, calling `progress(done,
/// total, path)` before each. A file that cannot be read or parsed becomes
/// a problem of the import, and the other files still count (the desktop's
/// drop-many-files case; the CLI instead refuses the whole import).
/// Returns `None` if `progress` asked to stop.
pub fn read_files_lenient(
    paths: &[std::path::PathBuf],
    progress: &mut dyn FnMut(usize, usize, &std::path::Path) -> bool,
) -> Option<Parsed> {
    let mut all = Parsed::default();
    for (done, path) in paths.iter().enumerate() {
        if !progress(done, paths.len(), path) {
            return None;
        }
        match read_file(path) {
            Ok(parsed) => {
                all.papers.extend(parsed.papers);
                all.problems.extend(parsed.problems);
            }
            Err(e) => all.problems.push(Problem {
                location: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
    Some(all)
}

/// The input formats Lectern reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Listing,
    Bibtex,
    Ris,
    CslJson,
    Arxiv,
    HuggingFace,
    Markdown,
    Zotero,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Listing,
        Format::Bibtex,
        Format::Ris,
        Format::CslJson,
        Format::Arxiv,
        Format::HuggingFace,
        Format::Markdown,
        Format::Zotero,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Listing => "listing",
            Format::Bibtex => "bibtex",
            Format::Ris => "ris",
            Format::CslJson => "csl-json",
            Format::Arxiv => "arxiv",
            Format::HuggingFace => "hf",
            Format::Markdown => "markdown",
            Format::Zotero => "zotero",
        }
    }

    /// The format a text's content shows; a papers listing when nothing
    /// more specific matches.
    ///
    /// Formats that announce themselves at the start come first (Markdown
    /// front matter, a first `@entry`, an RIS `TY` tag, an Atom feed, a
    /// JSON document); then the whole text is read for BibTeX entries
    /// after stray text (many real `.bib` files open with a notice that is
    /// not a comment), and only then is it a listing. Leading blank lines,
    /// a byte-order mark and Windows line ends change nothing.
    pub fn detect(text: &str) -> Format {
        let text = text.trim_start_matches('\u{feff}');
        if markdown::looks_like(text) {
            Format::Markdown
        } else if bibtex::starts_like(text) {
            Format::Bibtex
        } else if ris::looks_like(text) {
            Format::Ris
        } else if arxiv::looks_like(text) {
            Format::Arxiv
        } else if hf::looks_like(text) {
            Format::HuggingFace
        } else if zotero::looks_like(text) {
            Format::Zotero
        } else if csl::looks_like(text) {
            Format::CslJson
        } else if bibtex::has_entries(text) {
            Format::Bibtex
        } else {
            Format::Listing
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let s = s.to_ascii_lowercase();
        let alias = match s.as_str() {
            "bib" | "biblatex" => "bibtex",
            "csl" | "json" => "csl-json",
            "huggingface" | "hugging-face" => "hf",
            "md" => "markdown",
            "txt" | "text" => "listing",
            other => other,
        };
        Format::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// Parses a text in the format its content shows. A text in which no paper
/// is found is an error.
pub fn parse(text: &str, source: &str) -> Result<Parsed> {
    parse_as(text, source, None)
}

/// Parses a text as `format`, or as detected when `None`.
pub fn parse_as(text: &str, source: &str, format: Option<Format>) -> Result<Parsed> {
    // Detection skips a byte-order mark; so must every parser.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = format.unwrap_or_else(|| Format::detect(text));
    let parsed = match format {
        Format::Listing => return parse_listing(text, source),
        Format::Bibtex => bibtex::parse(text, source),
        Format::Ris => ris::parse(text, source),
        Format::CslJson => csl::parse(text, source),
        Format::Arxiv => arxiv::parse(text, source),
        Format::HuggingFace => hf::parse(text, source),
        Format::Markdown => markdown::parse(text, source),
        Format::Zotero => zotero::parse(text, source),
    };
    if parsed.papers.is_empty() {
        // The first problem says best why nothing was found.
        let (location, message) = match parsed.problems.first() {
            Some(p) => (p.location.clone(), p.message.clone()),
            None => (
                format!("{source}:1"),
                format!("no papers found in this {} file", format.name()),
            ),
        };
        return Err(Error::Parse { location, message });
    }
    Ok(parsed)
}

fn parse_listing(text: &str, source: &str) -> Result<Parsed> {
    let listing = listing::parse_listing(text, source);
    if listing.papers.is_empty() {
        let first = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) + 1;
        return Err(Error::Parse {
            location: format!("{source}:{first}"),
            message: "no papers found (expected a listing: a title line, then its abstract)".into(),
        });
    }
    Ok(Parsed {
        papers: listing.papers,
        problems: listing.problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_empty_and_binary() {
        let e = decode(b"  \n\n", "x.txt").unwrap_err().to_string();
        assert_eq!(e, "x.txt:1: file is empty");
        let e = decode(b"abc\n\x00\x01", "x.bin").unwrap_err().to_string();
        assert!(e.starts_with("x.bin:2: not a text file"), "{e}");
        let e = decode(b"ok\n\xff\xfe", "y.bin").unwrap_err().to_string();
        assert!(e.starts_with("y.bin:2: not a text file"), "{e}");
    }

    #[test]
    fn lenient_reading_reports_bad_files_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.txt");
        std::fs::write(
            &good,
            "A Good Title\n\nAn abstract long enough to be prose, with more words than a title has. It ends here.\n",
        )
        .unwrap();
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        let missing = dir.path().join("missing.txt");
        let paths = vec![empty.clone(), good, missing.clone()];
        let mut seen = Vec::new();
        let parsed = read_files_lenient(&paths, &mut |d, t, _| {
            seen.push((d, t));
            true
        })
        .unwrap();
        assert_eq!(seen, vec![(0, 3), (1, 3), (2, 3)]);
        assert_eq!(parsed.papers.len(), 1);
        assert_eq!(parsed.problems.len(), 2);
        assert!(parsed.problems[0].message.contains("file is empty"));
        assert_eq!(parsed.problems[1].location, missing.display().to_string());
        assert!(read_files_lenient(&paths, &mut |d, _, _| d < 1).is_none());
    }

    /// One real sample per format: its text, and the comment line its
    /// syntax allows before the content (`None` where it has none: JSON, a
    /// listing, Markdown front matter, which must open the file).
    fn samples() -> Vec<(Format, &'static str, Option<&'static str>)> {
        vec![
            (
                Format::Listing,
                include_str!("../../tests/fixtures/trending-papers.txt"),
                None,
            ),
            (
                Format::Bibtex,
                include_str!("../../tests/fixtures/formats/bibtex-zotero.bib"),
                Some("% Exported from a reference manager\n"),
            ),
            (
                Format::Ris,
                include_str!("../../tests/fixtures/formats/ris-zotero.ris"),
                Some("Provider: A Publisher\nContent: text/plain; charset=\"UTF-8\"\n\n"),
            ),
            (
                Format::CslJson,
                include_str!("../../tests/fixtures/formats/csl-zotero.json"),
                None,
            ),
            (
                Format::Arxiv,
                include_str!("../../tests/fixtures/formats/arxiv-api.xml"),
                Some("<!-- saved from the arXiv API -->\n"),
            ),
            (
                Format::HuggingFace,
                include_str!("../../tests/fixtures/formats/hf-daily.json"),
                None,
            ),
            (
                Format::Markdown,
                include_str!("../../tests/fixtures/formats/markdown-obsidian.md"),
                None,
            ),
            (
                Format::Zotero,
                include_str!("../../tests/fixtures/formats/zotero-api.json"),
                None,
            ),
        ]
    }

    /// `text` with `prefix` before its content: after an XML declaration,
    /// which must stay first.
    fn before_content(text: &str, prefix: &str) -> String {
        match text.strip_prefix("<?xml") {
            Some(_) => {
                let end = text.find('\n').map_or(text.len(), |i| i + 1);
                format!("{}{prefix}{}", &text[..end], &text[end..])
            }
            None => format!("{prefix}{text}"),
        }
    }

    #[test]
    fn detection_ignores_bom_blank_lines_comments_and_crlf() {
        for (format, text, comment) in samples() {
            let name = format.name();
            let plain = parse(text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut variants: Vec<(&str, String)> = vec![
                ("as is", text.to_string()),
                ("BOM", format!("\u{feff}{text}")),
                ("CRLF", text.replace('\n', "\r\n")),
            ];
            // Front matter must open a Markdown file (as in Jekyll, Obsidian
            // and pandoc); every other format may start with blank lines.
            if format != Format::Markdown {
                variants.push(("blank lines", before_content(text, "\n  \n\t\n")));
            }
            if let Some(comment) = comment {
                variants.push(("comment", before_content(text, comment)));
                let all = before_content(text, &format!("\n\n{comment}\n"));
                variants.push(("all", format!("\u{feff}{}", all.replace('\n', "\r\n"))));
            }
            for (what, variant) in variants {
                assert_eq!(Format::detect(&variant), format, "{name}, {what}");
                let parsed =
                    parse(&variant, name).unwrap_or_else(|e| panic!("{name}, {what}: {e}"));
                assert_eq!(
                    parsed.papers.len(),
                    plain.papers.len(),
                    "{name}, {what}: papers"
                );
            }
        }
    }

    /// Stray text before the first entry, as real files have it.
    const STRAY_BIBTEX: [&str; 4] = [
        // A reference manager's header.
        "This file was created with JabRef 2.2.\nEncoding: ISO8859_1\n\n@INCOLLECTION{allen95,\n  author = {F. Allen},\n  title = {Corporate Financial Structure},\n  year = {1995}\n}\n\n@ARTICLE{gale85,\n  author = {D. Gale},\n  title = {Incentive-Compatible Debt Contracts},\n  year = {1985}\n}\n",
        // A publisher sample's notice, with text between the entries too.
        "IEEEexample.bib\nV1.14 (2015/08/26)\nCopyright (c) 2002-2015 by Michael Shell\n\nThis is an example BibTeX database for the official IEEEtran.bst\nBibTeX style file.\n\n@book{IEEEexample:book,\n  author = \"H. Kopka and P. W. Daly\",\n  title = \"A Guide to {\\LaTeX}\",\n  year = \"1999\"\n}\n\npage 205, reference #16.\n@article{IEEEexample:article,\n  author = \"S. Zhang\",\n  title = \"Low-Temperature Channel\",\n  year = \"1997\"\n}\n",
        // Box art, then entries.
        ",-------------------.\n|  BIBTEX ENTRIES   |\n`-------------------'\n\n@misc{TeXFAQ,\n  author = {UK TeX Users Group},\n  title = {{UK} List of {\\TeX} Frequently Asked Questions},\n  year = {2019}\n}\n",
        // A docstrip header, then prose, then `@type` and `(` on their own lines.
        "%% This is file `articles.bib'\nThe following entry is an example for what's allowed by\nBibTeX syntax (see btxdoc.dvi).\n\n@incollection\n(\n    RouxSmart:95\n    ,\n    author = \"M. Roux and J. Smart\",\n    title = \"A Model of Medical Knowledge Representation\",\n    year = 1995\n)\n\n@article{Schwind:96,\n    author = {Camilla B. Schwind},\n    title = {Knowledge Based Language Tutoring},\n    year = 1996\n}\n\\endinput\n",
    ];

    #[test]
    fn bibtex_after_stray_text_is_bibtex() {
        for text in STRAY_BIBTEX {
            for variant in [text.to_string(), text.replace('\n', "\r\n")] {
                assert_eq!(Format::detect(&variant), Format::Bibtex, "{variant}");
                assert!(!listing::looks_like_listing(&variant), "{variant}");
                let parsed = parse(&variant, "x.bib").unwrap_or_else(|e| panic!("{e}"));
                let want = variant.matches("\n@").count();
                assert_eq!(parsed.papers.len(), want, "{variant}");
            }
        }
    }

    #[test]
    fn a_listing_that_quotes_one_entry_stays_a_listing() {
        let seed = include_str!("../../tests/fixtures/trending-papers.txt");
        assert_eq!(Format::detect(seed), Format::Listing);
        assert!(listing::looks_like_listing(seed));
        let cited = format!(
            "{seed}\nCite as:\n@article{{wang2024,\n  title = {{Text2MDT}},\n  year = {{2024}}\n}}\n"
        );
        assert_eq!(Format::detect(&cited), Format::Listing);
        // A line that only mentions an `@` or a handle is no entry.
        let handles = "Read this\n\n@user{ says hello } and more prose that goes on for a while.\n";
        assert!(!bibtex::looks_like(handles));
    }

    #[test]
    fn no_papers_is_an_error() {
        let e = parse("hello\nworld\n", "n.txt").unwrap_err().to_string();
        assert!(e.starts_with("n.txt:1: no papers found"), "{e}");
    }
}
