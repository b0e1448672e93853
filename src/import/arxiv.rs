//! Parser for arXiv API responses: the Atom feed that
//! `export.arxiv.org/api/query` returns, saved to a file.
//!
//! ```text
//! <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
//!   <entry>
//!     <id>http://arxiv.org/abs/2303.16727v2</id>
//!     <published>2023-03-29T17:59:58Z</published>
//!     <title>VideoMAE V2: Scaling Video Masked
//!       Autoencoders with Dual Masking</title>
//!     <summary>  Scale is the primary factor ...</summary>
//!     <author><name>Limin Wang</name></author>
//!     <arxiv:doi>10.1109/CVPR52729.2023.01398</arxiv:doi>
//!     <link title="pdf" href="http://arxiv.org/pdf/2303.16727v2" rel="related"/>
//!     <arxiv:primary_category term="cs.CV"/>
//!     <category term="cs.CV"/>
//!   </entry>
//! </feed>
//! ```
//!
//! The document is streamed with `quick-xml`'s [`Reader`] (no tree is
//! built): only the entry being read is held, so a large response is not kept
//! in several copies. Elements are matched by local name, so the `arxiv:`
//! prefix may be bound to any name.
//!
//! Each `<entry>` becomes one paper:
//!
//! - `<id>` gives the arXiv id with its version stripped
//!   (`…/abs/2303.16727v2` → `2303.16727`, `…/abs/hep-th/9901001v1` →
//!   `hep-th/9901001`); an id under `/api/errors` is the API's way of
//!   reporting a bad query: it becomes a [`Problem`] carrying the entry's
//!   summary, not a paper;
//! - `<title>` is whitespace-folded; `<summary>` (the abstract) is folded
//!   too, but blank lines in it stay paragraph breaks;
//! - `<author><name>` in document order, kept as written ("Given Family":
//!   arXiv does not say where a family name starts, so nothing is reordered);
//! - `<published>` gives the year, and month and day go to `extra`;
//!   `<updated>` goes to `extra` as `updated` (a date);
//! - `<link title="pdf">` is a PDF link, other links keep
//!   [`LinkKind::classify`]; the `title="doi"` link sets the DOI (stored bare)
//!   instead of becoming a link;
//! - `<arxiv:doi>` → DOI (the first, when it lists several separated by
//!   spaces), `<arxiv:journal_ref>` → venue (and entry type
//!   `article` instead of `misc`), `<arxiv:comment>` → note, every
//!   `<category term>` → a tag, `<arxiv:primary_category term>` → `extra`
//!   `primaryclass`.
//!
//! Entities and character references are decoded, CDATA sections are taken
//! as they are, and CRLF line ends are normalized. A paper's `source` is the
//! line of its `<entry>` tag. Malformed XML stops the parse with a
//! [`Problem`] at the line of the error; entries finished before it are kept.
//! A file that ends inside an entry (a truncated download) reports that entry
//! as a [`Problem`] and skips it. A bare `&` that starts no reference (a
//! common flaw of hand-edited files) is read as a literal `&`.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::head;
use crate::import::Parsed;
use crate::import::dates::parse_iso;
use crate::import::fields::{add_tag, tag_word};
use crate::import::ids::{arxiv_id_or_url as arxiv_id, bare_doi};
use crate::model::{Link, LinkKind, NewPaper, Problem};
use crate::text::{fold_paragraphs as paragraphs, fold_whitespace as fold};

/// How many bytes [`looks_like`] examines.
const SNIFF_BYTES: usize = 4096;

/// Whether `text` looks like an arXiv API Atom response: its first 4 KB
/// contain a `<feed` tag, the Atom namespace and the word `arxiv`.
pub fn looks_like(text: &str) -> bool {
    let head = head(text, SNIFF_BYTES);
    head.contains("<feed")
        && head.contains("http://www.w3.org/2005/Atom")
        && head.to_ascii_lowercase().contains("arxiv")
}

/// Parses an arXiv API response into one paper per `<entry>`.
pub fn parse(text: &str, source: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut reader = Reader::from_str(text);
    reader.config_mut().allow_dangling_amp = true;
    let mut lines = LineCounter::default();
    // Depth of open elements in the whole document.
    let mut depth = 0usize;
    let mut entry: Option<Entry> = None;
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = to_usize(reader.error_position());
                let line = lines.line_at(text, at);
                let mut message = fold(&format!("malformed XML: {e}"));
                if let Some(open) = &entry {
                    message.push_str(&format!(
                        "; the entry that starts at line {} is skipped",
                        open.line
                    ));
                }
                out.problems.push(problem(source, line, message));
                return out;
            }
        };
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = local_name(&e);
                if let Some(cur) = entry.as_mut() {
                    cur.path.push(name.to_string());
                    cur.text.clear();
                    cur.start(
                        &e,
                        &name,
                        source,
                        lines.line_at(text, tag_start(text, &reader)),
                    );
                } else if name == "entry" {
                    let line = lines.line_at(text, tag_start(text, &reader));
                    entry = Some(Entry::new(line, depth));
                }
            }
            Event::Empty(e) => {
                if let Some(cur) = entry.as_mut() {
                    let name = local_name(&e);
                    cur.start(
                        &e,
                        &name,
                        source,
                        lines.line_at(text, tag_start(text, &reader)),
                    );
                }
            }
            Event::End(_) => {
                let closes_entry = entry.as_ref().is_some_and(|cur| cur.depth == depth);
                depth = depth.saturating_sub(1);
                if closes_entry {
                    if let Some(done) = entry.take() {
                        done.finish(source, &mut out);
                    }
                } else if let Some(cur) = entry.as_mut() {
                    cur.end();
                }
            }
            Event::Text(t) => {
                if let Some(cur) = entry.as_mut() {
                    cur.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(cur) = entry.as_mut() {
                    cur.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(cur) = entry.as_mut() {
                    cur.text.push_str(&resolve_reference(&r));
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(cut) = entry {
        out.problems.push(problem(
            source,
            cut.line,
            "the file ends inside this <entry> (truncated download?); entry skipped".into(),
        ));
    } else if depth > 0 {
        let last = text.lines().count().max(1);
        out.problems.push(problem(
            source,
            last,
            "the file ends before </feed> (truncated download?); later entries may be missing"
                .into(),
        ));
    }
    out
}

/// The fields of the `<entry>` being read.
#[derive(Default)]
struct Entry {
    /// Line of the `<entry>` tag.
    line: usize,
    /// Document depth of the `<entry>` element.
    depth: usize,
    /// Local names of the open elements inside the entry.
    path: Vec<String>,
    /// Text of the innermost open element so far.
    text: String,
    id: String,
    title: String,
    summary: String,
    authors: Vec<String>,
    published: String,
    updated: String,
    doi: Option<String>,
    journal_ref: Option<String>,
    comment: Option<String>,
    links: Vec<Link>,
    tags: Vec<String>,
    primary: Option<String>,
    problems: Vec<Problem>,
}

impl Entry {
    fn new(line: usize, depth: usize) -> Self {
        Entry {
            line,
            depth,
            ..Entry::default()
        }
    }

    /// Handles the attributes of a start or empty tag inside the entry.
    fn start(&mut self, e: &BytesStart<'_>, name: &str, source: &str, line: usize) {
        if !matches!(name, "link" | "category" | "primary_category") {
            return;
        }
        let mut attrs: Vec<(String, String)> = Vec::new();
        for attr in e.attributes() {
            match attr {
                Ok(a) => {
                    let value = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .unwrap_or_else(|_| a.value.clone());
                    attrs.push((a.key.local_name().into_inner().to_string(), value.into()));
                }
                Err(err) => {
                    self.problems.push(problem(
                        source,
                        line,
                        fold(&format!("bad attribute in <{name}>: {err}")),
                    ));
                    break;
                }
            }
        }
        let get = |key: &str| {
            attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        match name {
            "link" => {
                let Some(href) = get("href") else { return };
                if get("title") == Some("doi") || bare_doi(href).is_some() {
                    if self.doi.is_none() {
                        self.doi = bare_doi(href);
                    }
                    return;
                }
                let kind = if get("title") == Some("pdf") {
                    LinkKind::Pdf
                } else {
                    LinkKind::classify(href)
                };
                if !self.links.iter().any(|l| l.url == href) {
                    self.links.push(Link {
                        url: href.to_string(),
                        kind,
                    });
                }
            }
            "category" => {
                if let Some(term) = get("term") {
                    add_tag(&mut self.tags, tag_word(term));
                }
            }
            _ => {
                if let Some(term) = get("term") {
                    self.primary = Some(term.to_string());
                }
            }
        }
    }

    /// Handles the end of an element inside the entry.
    fn end(&mut self) {
        let text = std::mem::take(&mut self.text);
        let path: Vec<&str> = self.path.iter().map(String::as_str).collect();
        match path.as_slice() {
            ["id"] => self.id = text,
            ["title"] => self.title = text,
            ["summary"] => self.summary = text,
            ["published"] => self.published = text,
            ["updated"] => self.updated = text,
            ["author", "name"] => {
                let name = fold(&text);
                if !name.is_empty() {
                    self.authors.push(name);
                }
            }
            ["doi"] => self.doi = non_empty(fold(&text)),
            ["journal_ref"] => self.journal_ref = non_empty(fold(&text)),
            ["comment"] => self.comment = non_empty(fold(&text)),
            _ => {}
        }
        self.path.pop();
    }

    /// Turns the finished entry into a paper (or a problem).
    fn finish(self, source: &str, out: &mut Parsed) {
        out.problems.extend(self.problems);
        let id = self.id.trim();
        if id.contains("/api/errors") {
            let message = non_empty(fold(&self.summary))
                .or_else(|| non_empty(fold(&self.title)))
                .unwrap_or_else(|| format!("arXiv API error {id}"));
            out.problems.push(problem(
                source,
                self.line,
                format!("arXiv API error: {message}"),
            ));
            return;
        }
        let mut extra = Vec::new();
        let published = parse_iso(&self.published);
        if let Some(date) = published {
            if let Some(m) = date.month {
                extra.push(("month".to_string(), m.to_string()));
            }
            if let Some(d) = date.day {
                extra.push(("day".to_string(), d.to_string()));
            }
        }
        if let Some(updated) = self
            .updated
            .trim()
            .get(..10)
            .filter(|d| parse_iso(d).is_some())
        {
            extra.push(("updated".to_string(), updated.to_string()));
        }
        if let Some(primary) = self.primary {
            extra.push(("primaryclass".to_string(), primary));
        }
        let arxiv = arxiv_id(id);
        if arxiv.is_none() && !id.is_empty() && !self.links.iter().any(|l| l.url == id) {
            extra.push(("url".to_string(), id.to_string()));
        }
        let doi = self
            .doi
            .as_deref()
            .and_then(|d| d.split_whitespace().next())
            .and_then(bare_doi);
        let entry_type = if self.journal_ref.is_some() {
            "article"
        } else {
            "misc"
        };
        out.papers.push(NewPaper {
            title: fold(&self.title),
            abstract_text: paragraphs(&self.summary),
            authors: self.authors,
            year: published.map(|d| d.year),
            doi,
            arxiv,
            links: self.links,
            tags: self.tags,
            source: format!("{source}:{}", self.line),
            venue: self.journal_ref,
            entry_type: Some(entry_type.to_string()),
            citekey: None,
            note: self.comment,
            extra,
            ..NewPaper::default()
        });
    }
}

/// Counts lines up to byte offsets that mostly grow, without rescanning the
/// text from the start each time.
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: usize,
}

impl LineCounter {
    /// The 1-based line of byte offset `at` in `text`.
    fn line_at(&mut self, text: &str, at: usize) -> usize {
        let at = at.min(text.len());
        if at < self.pos {
            self.pos = 0;
            self.line = 0;
        }
        let bytes = text.as_bytes();
        self.line += bytes[self.pos..at].iter().filter(|&&b| b == b'\n').count();
        self.pos = at;
        self.line + 1
    }
}

/// The byte offset of the `<` of the tag the reader just returned.
fn tag_start(text: &str, reader: &Reader<&[u8]>) -> usize {
    let end = to_usize(reader.buffer_position()).min(text.len());
    text.as_bytes()[..end]
        .iter()
        .rposition(|&b| b == b'<')
        .unwrap_or(0)
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.name().local_name().into_inner().to_string()
}

/// The text an entity or character reference stands for; an unknown entity
/// is kept as written.
fn resolve_reference(r: &BytesRef<'_>) -> Cow<'static, str> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Cow::Owned(c.to_string());
    }
    match resolve_predefined_entity(r) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(format!("&{};", &**r)),
    }
}

fn problem(source: &str, line: usize, message: String) -> Problem {
    Problem {
        location: format!("{source}:{line}"),
        message,
    }
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FIXTURE: &str = include_str!("../../tests/fixtures/formats/arxiv-api.xml");

    fn feed(entries: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n{entries}</feed>\n"
        )
    }

    #[test]
    fn sniffs_arxiv_feeds_only() {
        assert!(looks_like(FIXTURE));
        assert!(looks_like(&feed("")));
        assert!(!looks_like(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>blog</title></feed>"
        ));
        assert!(!looks_like("@article{a, title={arxiv}}"));
        // A multi-byte character across the 4 KB cut must not panic.
        let long = format!("{}<feed", "é".repeat(3000));
        assert!(!looks_like(&long));
    }

    #[test]
    fn fixture_entries() {
        let parsed = parse(FIXTURE, "api.xml");
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.papers.len(), 3);

        let p = &parsed.papers[0];
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        assert_eq!(
            p.title,
            "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking"
        );
        assert_eq!(p.source, "api.xml:14");
        assert_eq!(p.authors, ["Limin Wang", "Bingkun Huang", "Zhiyu Zhao"]);
        assert_eq!(p.year, Some(2023));
        assert_eq!(p.doi.as_deref(), Some("10.1109/CVPR52729.2023.01398"));
        assert_eq!(p.venue.as_deref(), Some("CVPR 2023, pp. 14549-14560"));
        assert_eq!(p.entry_type.as_deref(), Some("article"));
        assert_eq!(
            p.note.as_deref(),
            Some("CVPR 2023 camera-ready & code release")
        );
        assert_eq!(p.tags, ["cs.CV", "cs.LG"]);
        assert!(p.abstract_text.starts_with("Scale is the primary factor"));
        assert!(
            p.abstract_text
                .contains("\n\nSecond paragraph: we use <masks> & \"decoders\".")
        );
        assert!(!p.abstract_text.contains("  "));
        assert_eq!(
            p.links,
            [
                Link {
                    url: "http://arxiv.org/abs/2303.16727v2".into(),
                    kind: LinkKind::classify("http://arxiv.org/abs/2303.16727v2")
                },
                Link {
                    url: "http://arxiv.org/pdf/2303.16727v2".into(),
                    kind: LinkKind::Pdf
                },
            ]
        );
        assert_eq!(
            p.extra,
            [
                ("month".to_string(), "3".to_string()),
                ("day".to_string(), "29".to_string()),
                ("updated".to_string(), "2023-04-18".to_string()),
                ("primaryclass".to_string(), "cs.CV".to_string()),
            ]
        );
        assert_eq!(p.citekey, None);

        let old = &parsed.papers[1];
        assert_eq!(old.arxiv.as_deref(), Some("hep-th/9901001"));
        assert_eq!(old.entry_type.as_deref(), Some("misc"));
        assert_eq!(old.year, Some(1999));
        assert_eq!(old.title, "Strings & Things: a CDATA <title>");
        assert_eq!(old.venue, None);
        assert_eq!(old.doi, None);

        let third = &parsed.papers[2];
        assert_eq!(third.arxiv.as_deref(), Some("2401.00001"));
        assert_eq!(third.authors, ["Ana María Pérez-López"]);
        assert_eq!(third.tags, ["cs.CL"]);
    }

    #[test]
    fn api_error_entry_is_a_problem() {
        let text = feed(
            "<entry>\n<id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.1234x</id>\n<title>Error</title>\n<summary>incorrect id format for 1234.1234x</summary>\n</entry>\n",
        );
        let parsed = parse(&text, "e.xml");
        assert!(parsed.papers.is_empty());
        assert_eq!(
            parsed.problems,
            [Problem {
                location: "e.xml:3".into(),
                message: "arXiv API error: incorrect id format for 1234.1234x".into()
            }]
        );
    }

    #[test]
    fn malformed_xml_keeps_earlier_entries() {
        let text = "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<entry><id>http://arxiv.org/abs/2101.00001v1</id><title>One</title></entry>\n<entry>\n<id>http://arxiv.org/abs/2101.00002v1</id>\n<title>Two</wrong>\n</entry>\n</feed>\n";
        let parsed = parse(text, "m.xml");
        assert_eq!(parsed.papers.len(), 1);
        assert_eq!(parsed.papers[0].title, "One");
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "m.xml:5");
        assert!(
            parsed.problems[0].message.starts_with("malformed XML")
                && parsed.problems[0].message.ends_with("line 3 is skipped"),
            "{}",
            parsed.problems[0].message
        );
    }

    #[test]
    fn truncated_file_reports_the_cut_entry() {
        let text = "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<entry><id>http://arxiv.org/abs/2101.00001</id><title>One</title></entry>\n<entry>\n<id>http://arxiv.org/abs/2101.00002v3</id>\n";
        let parsed = parse(text, "t.xml");
        assert_eq!(parsed.papers.len(), 1);
        assert_eq!(parsed.papers[0].arxiv.as_deref(), Some("2101.00001"));
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "t.xml:3");

        let text =
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<entry><title>One</title></entry>\n";
        let parsed = parse(text, "t.xml");
        assert_eq!(parsed.papers.len(), 1);
        assert!(parsed.problems[0].message.contains("</feed>"));
    }

    #[test]
    fn references_crlf_and_dangling_ampersands() {
        let text = feed(
            "<entry>\r\n<title>A &#x3B1;-test &amp; &#946; &unknown; R&D</title>\r\n<summary>Line one\r\n  line two\r\n\r\n  Para two</summary>\r\n</entry>\n",
        );
        let parsed = parse(&text, "r.xml");
        assert_eq!(parsed.problems, vec![]);
        let p = &parsed.papers[0];
        assert_eq!(p.title, "A α-test & β &unknown; R&D");
        assert_eq!(p.abstract_text, "Line one line two\n\nPara two");
    }

    #[test]
    fn doi_link_sets_doi_and_other_prefixes_work() {
        let text = feed(
            "<entry>\n<id>http://arxiv.org/abs/0704.0001v2</id>\n<link title=\"doi\" href=\"http://dx.doi.org/10.1103/PhysRevD.76.013009\" rel=\"related\"/>\n<link href=\"https://github.com/a/b\" rel=\"related\"></link>\n<a:primary_category xmlns:a=\"http://arxiv.org/schemas/atom\" term=\"hep-ph\"/>\n<category term=\"hep-ph\"/><category term=\"hep-ph\"/>\n</entry>\n",
        );
        let parsed = parse(&text, "d.xml");
        let p = &parsed.papers[0];
        assert_eq!(p.arxiv.as_deref(), Some("0704.0001"));
        assert_eq!(p.doi.as_deref(), Some("10.1103/PhysRevD.76.013009"));
        assert_eq!(
            p.links,
            [Link {
                url: "https://github.com/a/b".into(),
                kind: LinkKind::Code
            }]
        );
        assert_eq!(p.tags, ["hep-ph"]);
        assert_eq!(
            p.extra,
            [("primaryclass".to_string(), "hep-ph".to_string())]
        );
    }

    #[test]
    fn arxiv_ids() {
        assert_eq!(
            arxiv_id("http://arxiv.org/abs/2303.16727v2").as_deref(),
            Some("2303.16727")
        );
        assert_eq!(
            arxiv_id("http://arxiv.org/abs/hep-th/9901001v1").as_deref(),
            Some("hep-th/9901001")
        );
        assert_eq!(
            arxiv_id("http://arxiv.org/abs/math.GT/0309136v1").as_deref(),
            Some("math.GT/0309136")
        );
        assert_eq!(
            arxiv_id("https://arxiv.org/pdf/2303.16727v12.pdf").as_deref(),
            Some("2303.16727")
        );
        assert_eq!(
            arxiv_id("http://arxiv.org/abs/2303.16727").as_deref(),
            Some("2303.16727")
        );
        assert_eq!(arxiv_id("http://example.org/paper"), None);
        assert_eq!(arxiv_id("http://arxiv.org/abs/v"), None);
    }

    #[test]
    fn entry_without_id_keeps_a_url_free_record() {
        let parsed = parse(&feed("<entry><title>Only title</title></entry>\n"), "x.xml");
        assert_eq!(parsed.papers.len(), 1);
        assert_eq!(parsed.papers[0].arxiv, None);
        assert!(parsed.papers[0].extra.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let _ = looks_like(&s);
            let _ = parse(&s, "p.xml");
        }

        #[test]
        fn never_panics_on_xmlish(parts in proptest::collection::vec(
            prop_oneof![
                Just("<entry>".to_string()), Just("</entry>".to_string()),
                Just("<title>".to_string()), Just("</title>".to_string()),
                Just("<feed>".to_string()), Just("</feed>".to_string()),
                Just("<link title=\"pdf\" href=\"x\"/>".to_string()),
                Just("<category term=".to_string()), Just("&amp;".to_string()),
                Just("&#x0;".to_string()), Just("<![CDATA[".to_string()), Just("]]>".to_string()),
                Just("<id>http://arxiv.org/abs/2101.00001v1</id>".to_string()),
                "\\PC{0,12}",
            ],
            0..40,
        )) {
            let text = parts.concat();
            let _ = parse(&text, "p.xml");
        }
    }
}
