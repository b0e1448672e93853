//! RIS import: the tagged format that Zotero, Mendeley, EndNote, publishers'
//! "export citation" buttons and most databases write.
//!
//! An RIS file is a run of entries. Each line is `XX  - value`: a two
//! character tag (a capital letter, then a capital letter or a digit), two
//! spaces, a dash, a space and the value. An entry starts with `TY` (its
//! type) and ends with `ER`:
//!
//! ```text
//! TY  - JOUR
//! AU  - van der Maaten, Laurens
//! TI  - Visualizing Data using t-SNE
//! PY  - 2008///
//! ER  -
//! ```
//!
//! Quirks handled:
//!
//! - CRLF and old-Mac CR line endings; a tag line without the space after the
//!   dash (`ER  -`, or `PY  -2008`).
//! - Continuation lines: a line without a tag continues the previous field
//!   (wrapped abstracts and titles). A blank line inside a continued field is
//!   a paragraph break. Under `KW`, each continuation line is one more keyword
//!   (EndNote writes keywords that way).
//! - Dates in `PY`/`Y1`/`DA` as `2021///`, `2021/06/01/`, `2021/06/01/Spring`,
//!   `2021-06-01`, `2021 Jun 1` or `June 1, 2021`: the year becomes the
//!   paper's year, month and day go to `extra` (`month` "1".."12", `day`).
//!   The first date field with a year wins; another date that disagrees or
//!   cannot be read is kept as `ris_<tag>`.
//! - Names: `Family, Given` is kept; `Family, Given, Suffix` becomes
//!   `Family, Given Suffix`; a name without a comma (an organization) is kept
//!   as written.
//! - `DO` given as a URL or with `doi:` is stored bare. A `doi.org` URL in
//!   `UR`/`L1`/`L2` becomes the DOI instead of a link; an arXiv URL is a link
//!   and also sets the arXiv id. Several URLs on one `UR` line are split.
//!   `L1`/`L2` values that are not web URLs (Zotero's `internal-pdf://`,
//!   `file://` paths) are kept in `extra` as `file`.
//! - `N1` notes that are HTML (Zotero exports its notes that way) are turned
//!   into plain text; several `N1` lines become paragraphs of one note.
//! - `SP`/`EP` become `pages` "SP--EP"; `SN` is an `isbn` when it looks like
//!   one, else an `issn`.
//!
//! Mapping: `AU`/`A1` authors; `A2`/`ED` editors (`extra` `editor`, joined
//! with " and "); `TI`/`T1` title (`CT` as a fallback); `AB`/`N2` abstract;
//! `KW` tags; `T2`/`JO`/`JF`/`J2`/`BT` venue (the first one found); `N1`
//! note; `ID` citekey; `VL` volume, `IS` number, `PB` publisher, `CY`
//! address, `LA` language, `T3` series, `ET` edition, `Y2` urldate (when it
//! reads as a date); every other tag (and a second title, venue or abstract
//! that differs from the first) goes to `extra` as `ris_<tag lowercase>`.
//! The `TY` type becomes BibTeX words (`JOUR` → `article`, `CONF`/`CPAPER` →
//! `inproceedings`, `BOOK` → `book`, `CHAP` → `incollection`, `THES` →
//! `phdthesis`, `RPRT` → `techreport`, `ELEC`/`WEB` → `online`, others
//! `misc`); a type outside that list is also kept as `ris_ty`.
//!
//! Problems (each `file:line`): an entry not closed by `ER` (before the next
//! `TY` or at the end of the file) is still imported with the fields it has
//! and reported; lines outside any entry (a field before the first `TY`, text
//! between `ER` and the next `TY`) are reported once per run and ignored.
//! A paper's `source` is the line of its `TY`.

use std::collections::HashSet;

use super::Parsed;
use super::dates::parse_text;
use super::fields::{family_given, normalize_pages, normalize_tag};
use super::ids::{arxiv_from_doi, arxiv_from_url, bare_doi, doi_from_url, is_web_url};
use crate::model::{Link, LinkKind, NewPaper, Problem};
use crate::text::{fold_paragraphs as paragraphs, fold_whitespace as fold};

/// How many non-blank lines [`looks_like`] examines.
const SNIFF_LINES: usize = 5;

/// Whether `text` looks like RIS: a `TY  - ` line among its first non-blank
/// lines.
pub fn looks_like(text: &str) -> bool {
    lines(text)
        .map(|l| l.trim_start_matches('\u{feff}'))
        .filter(|l| !l.trim().is_empty())
        .take(SNIFF_LINES)
        .any(|l| tag_line(l).is_some_and(|(tag, _)| tag == "TY"))
}

/// Parses RIS text. `source` names the input in each paper's `source` and
/// in problems (`source:line`).
pub fn parse(text: &str, source: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut entry: Option<RawEntry> = None;
    // First line of a run of lines outside any entry, and how many.
    let mut stray: Option<(usize, usize)> = None;
    let mut blank_before = false;

    for (i, line) in lines(text).enumerate() {
        let no = i + 1;
        let line = if no == 1 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        match tag_line(line) {
            Some(("TY", value)) => {
                flush_stray(&mut stray, source, &mut out.problems);
                if let Some(open) = entry.take() {
                    out.problems.push(Problem {
                        location: format!("{source}:{}", open.line),
                        message: format!(
                            "entry has no `ER` line before the next `TY` (line {no}); imported \
                             what it has"
                        ),
                    });
                    out.papers.push(open.finish(source));
                }
                entry = Some(RawEntry {
                    line: no,
                    fields: vec![Field::new("TY", value)],
                });
            }
            Some(("ER", _)) => match entry.take() {
                Some(done) => out.papers.push(done.finish(source)),
                None => note_stray(&mut stray, no),
            },
            Some((tag, value)) => match entry.as_mut() {
                Some(e) => e.fields.push(Field::new(tag, value)),
                None => note_stray(&mut stray, no),
            },
            None if line.trim().is_empty() => {
                blank_before = true;
                continue;
            }
            None => match entry.as_mut().and_then(|e| e.fields.last_mut()) {
                Some(field) => field.continue_with(line.trim(), blank_before),
                None => note_stray(&mut stray, no),
            },
        }
        blank_before = false;
    }
    flush_stray(&mut stray, source, &mut out.problems);
    if let Some(open) = entry {
        out.problems.push(Problem {
            location: format!("{source}:{}", open.line),
            message: "entry has no `ER` line at the end of the file; imported what it has"
                .to_string(),
        });
        out.papers.push(open.finish(source));
    }
    out
}

/// Splits text into lines at `\n`, `\r\n` or a lone `\r`.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|l| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        l.split('\r')
    })
}

/// Splits a tag line into its tag and trimmed value: `XX  - value`, also
/// without the space after the dash.
fn tag_line(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if b.len() < 5
        || !b[0].is_ascii_uppercase()
        || !(b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
        || &b[2..5] != b"  -"
    {
        return None;
    }
    // The first five bytes are ASCII, so these are char boundaries.
    Some((&line[..2], line[5..].trim()))
}

fn note_stray(stray: &mut Option<(usize, usize)>, no: usize) {
    match stray {
        Some((_, count)) => *count += 1,
        None => *stray = Some((no, 1)),
    }
}

fn flush_stray(stray: &mut Option<(usize, usize)>, source: &str, problems: &mut Vec<Problem>) {
    if let Some((first, count)) = stray.take() {
        let what = if count == 1 {
            "a line".to_string()
        } else {
            format!("{count} lines")
        };
        problems.push(Problem {
            location: format!("{source}:{first}"),
            message: format!("{what} outside any entry (not between `TY` and `ER`); ignored"),
        });
    }
}

/// One tagged field with its continuation lines.
struct Field {
    tag: String,
    value: String,
}

impl Field {
    fn new(tag: &str, value: &str) -> Field {
        Field {
            tag: tag.to_string(),
            value: value.to_string(),
        }
    }

    /// Appends a continuation line, after a paragraph break when blank lines
    /// came before it.
    fn continue_with(&mut self, text: &str, after_blank: bool) {
        if !self.value.is_empty() {
            self.value.push_str(if after_blank { "\n\n" } else { "\n" });
        }
        self.value.push_str(text);
    }
}

/// The fields of one entry, from its `TY` line on.
struct RawEntry {
    line: usize,
    fields: Vec<Field>,
}

impl RawEntry {
    fn finish(self, source: &str) -> NewPaper {
        let mut b = Builder::default();
        b.paper.source = format!("{source}:{}", self.line);
        for field in &self.fields {
            b.field(&field.tag, &field.value);
        }
        b.finish()
    }
}

/// Accumulates one paper from its fields, in order.
#[derive(Default)]
struct Builder {
    paper: NewPaper,
    ris_type: Option<String>,
    fallback_title: Option<String>,
    editors: Vec<String>,
    /// Index in `extra` of `editor` and `pages`, to update in place.
    editor_at: Option<usize>,
    pages_at: Option<usize>,
    has_month: bool,
    seen_tags: HashSet<String>,
    seen_links: HashSet<String>,
}

impl Builder {
    fn field(&mut self, tag: &str, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        match tag {
            "TY" => self.ris_type = Some(fold(value).to_ascii_uppercase()),
            "AU" | "A1" => {
                if let Some(name) = person(value) {
                    self.paper.authors.push(name);
                }
            }
            "A2" | "ED" => {
                if let Some(name) = person(value) {
                    self.editors.push(name);
                    let joined = self.editors.join(" and ");
                    set_at(&mut self.paper.extra, &mut self.editor_at, "editor", joined);
                }
            }
            "TI" | "T1" if self.paper.title.is_empty() => self.paper.title = fold(value),
            "TI" | "T1" if self.paper.title == fold(value) => {}
            "CT" if self.fallback_title.is_none() => self.fallback_title = Some(fold(value)),
            "PY" | "Y1" | "DA" => self.date(tag, value),
            "DO" => match bare_doi(value) {
                Some(doi) if self.paper.doi.is_none() => self.set_doi(doi),
                Some(doi) if self.paper.doi.as_deref() == Some(doi.as_str()) => {}
                _ => self.other(tag, value),
            },
            "UR" | "L1" | "L2" => {
                for url in split_urls(value) {
                    self.url(tag, url);
                }
            }
            "AB" | "N2" => {
                let text = paragraphs(value);
                if self.paper.abstract_text.is_empty() {
                    self.paper.abstract_text = text;
                } else if self.paper.abstract_text != text {
                    self.other(tag, value);
                }
            }
            "KW" => {
                for keyword in value.lines() {
                    if let Some(tag) = normalize_tag(keyword)
                        && self.seen_tags.insert(tag.clone())
                    {
                        self.paper.tags.push(tag);
                    }
                }
            }
            "T2" | "JO" | "JF" | "J2" | "BT" => {
                let venue = fold(value);
                match &self.paper.venue {
                    None => self.paper.venue = Some(venue),
                    Some(v) if *v == venue => {}
                    Some(_) => self.other(tag, value),
                }
            }
            "N1" => {
                let text = note_text(value);
                if !text.is_empty() {
                    self.paper.note = Some(match self.paper.note.take() {
                        Some(before) => format!("{before}\n\n{text}"),
                        None => text,
                    });
                }
            }
            "ID" => {
                let key = value.trim();
                if self.paper.citekey.is_none() && !key.contains(char::is_whitespace) {
                    self.paper.citekey = Some(key.to_string());
                } else {
                    self.other(tag, value);
                }
            }
            "VL" => self.extra("volume", fold(value)),
            "IS" => self.extra("number", fold(value)),
            "SP" | "EP" => self.pages(tag, value),
            "PB" => self.extra("publisher", fold(value)),
            "CY" => self.extra("address", fold(value)),
            "SN" => {
                let value = fold(value);
                let name = if looks_like_isbn(&value) {
                    "isbn"
                } else {
                    "issn"
                };
                self.extra(name, value);
            }
            "LA" => self.extra("language", fold(value)),
            "T3" => self.extra("series", fold(value)),
            "ET" => self.extra("edition", fold(value)),
            "Y2" => match parse_text(value) {
                Some(date) => self.extra("urldate", date.iso()),
                None => self.other(tag, value),
            },
            _ => self.other(tag, value),
        }
    }

    fn extra(&mut self, name: &str, value: String) {
        if !value.is_empty() {
            self.paper.extra.push((name.to_string(), value));
        }
    }

    /// Keeps a field the mapping has no place for as `ris_<tag>`.
    fn other(&mut self, tag: &str, value: &str) {
        let name = format!("ris_{}", tag.to_ascii_lowercase());
        self.extra(&name, value.trim().to_string());
    }

    fn date(&mut self, tag: &str, value: &str) {
        let Some(date) = parse_text(value) else {
            return self.other(tag, value);
        };
        match self.paper.year {
            None => self.paper.year = Some(date.year),
            Some(year) if year != date.year => return self.other(tag, value),
            Some(_) => {}
        }
        if !self.has_month
            && let Some(month) = date.month
        {
            self.has_month = true;
            self.extra("month", month.to_string());
            if let Some(day) = date.day {
                self.extra("day", day.to_string());
            }
        }
    }

    fn set_doi(&mut self, doi: String) {
        if self.paper.arxiv.is_none() {
            self.paper.arxiv = arxiv_from_doi(&doi);
        }
        self.paper.doi = Some(doi);
    }

    fn url(&mut self, tag: &str, url: &str) {
        if !is_web_url(url) {
            let name = if tag == "UR" { "url" } else { "file" };
            return self.extra(name, url.to_string());
        }
        if let Some(doi) = doi_from_url(url) {
            match &self.paper.doi {
                None => return self.set_doi(doi),
                Some(d) if *d == doi => return,
                Some(_) => {}
            }
        }
        if self.paper.arxiv.is_none() {
            self.paper.arxiv = arxiv_from_url(url);
        }
        if self.seen_links.insert(url.to_string()) {
            self.paper.links.push(Link {
                url: url.to_string(),
                kind: LinkKind::classify(url),
            });
        }
    }

    fn pages(&mut self, tag: &str, value: &str) {
        let value = normalize_pages(&fold(value));
        match (tag, self.pages_at) {
            ("EP", Some(at)) => {
                if let Some((_, pages)) = self.paper.extra.get_mut(at)
                    && !pages.contains("--")
                    && *pages != value
                {
                    *pages = format!("{pages}--{value}");
                }
            }
            _ if self.pages_at.is_none() => {
                set_at(&mut self.paper.extra, &mut self.pages_at, "pages", value);
            }
            _ => self.other(tag, &value),
        }
    }

    fn finish(mut self) -> NewPaper {
        if self.paper.title.is_empty()
            && let Some(title) = self.fallback_title.take()
        {
            self.paper.title = title;
        }
        let ty = self.ris_type.unwrap_or_default();
        let (entry_type, known) = match ty.as_str() {
            "JOUR" => ("article", true),
            "CONF" | "CPAPER" => ("inproceedings", true),
            "BOOK" => ("book", true),
            "CHAP" => ("incollection", true),
            "THES" => ("phdthesis", true),
            "RPRT" => ("techreport", true),
            "ELEC" | "WEB" => ("online", true),
            "GEN" | "" => ("misc", true),
            "EJOUR" | "MGZN" | "NEWS" => ("article", false),
            "EBOOK" | "EDBOOK" => ("book", false),
            "ECHAP" => ("incollection", false),
            "UNPB" => ("unpublished", false),
            "BLOG" => ("online", false),
            _ => ("misc", false),
        };
        self.paper.entry_type = Some(entry_type.to_string());
        if !known {
            self.paper.extra.insert(0, ("ris_ty".to_string(), ty));
        }
        self.paper
    }
}

/// Sets `name` at the index remembered in `at`, or appends it and remembers.
fn set_at(extra: &mut Vec<(String, String)>, at: &mut Option<usize>, name: &str, value: String) {
    match at.and_then(|i| extra.get_mut(i)) {
        Some(slot) => slot.1 = value,
        None => {
            *at = Some(extra.len());
            extra.push((name.to_string(), value));
        }
    }
}

/// An RIS name as "Family, Given": `Family, Given, Suffix` moves the suffix
/// after the given name; a name without a comma is kept as written.
fn person(raw: &str) -> Option<String> {
    let name = fold(raw);
    let mut parts = name.split(',').map(str::trim);
    let family = parts.next().unwrap_or("");
    let given = parts.next().unwrap_or("");
    let suffix = parts
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let given = [given, suffix.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    family_given(family, &given)
}

/// A note's text: HTML (as Zotero writes notes) becomes plain text with its
/// paragraphs; plain text is trimmed and otherwise kept.
pub(crate) fn note_text(raw: &str) -> String {
    let raw = raw.trim();
    if !(raw.starts_with('<') && raw.contains('>')) {
        return raw.to_string();
    }
    let mut text = String::new();
    let mut rest = raw;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if matches!(
            tag.as_str(),
            "p" | "div" | "br" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
        ) {
            text.push_str("\n\n");
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    paragraphs(&text)
}

fn looks_like_isbn(s: &str) -> bool {
    let first = s.split([';', ' ', ',']).next().unwrap_or("");
    let digits: Vec<char> = first.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    let all_digits = |cs: &[char]| cs.iter().all(char::is_ascii_digit);
    match digits.len() {
        10 => all_digits(&digits[..9]) && (digits[9].is_ascii_digit() || digits[9] == 'X'),
        13 => all_digits(&digits),
        _ => false,
    }
}

/// Splits a URL field holding several URLs (separated by whitespace, or by
/// `;` right before another scheme).
fn split_urls(value: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    for token in value.split_whitespace() {
        let pieces: Vec<&str> = token.split(';').collect();
        if pieces.len() > 1
            && pieces[1..]
                .iter()
                .all(|p| p.is_empty() || p.to_ascii_lowercase().starts_with("http"))
        {
            urls.extend(pieces.into_iter().filter(|p| !p.is_empty()));
        } else {
            urls.push(token);
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::import::ids::arxiv_id;
    use crate::import::test_support::{extra, only_paper};

    fn one(text: &str) -> NewPaper {
        only_paper(parse(text, "t.ris"))
    }

    #[test]
    fn sniffs_ris() {
        assert!(looks_like("\n\nTY  - JOUR\nTI  - x\nER  - \n"));
        assert!(looks_like("\u{feff}TY  - JOUR\r\nER  -\r\n"));
        assert!(!looks_like("TY - JOUR\n"));
        assert!(!looks_like("@article{x, title={y}}\n"));
        assert!(!looks_like("a\nb\nc\nd\ne\nTY  - JOUR\n"));
    }

    #[test]
    fn maps_a_journal_article() {
        let p = one(
            "TY  - JOUR\nAU  - van der Maaten, Laurens\nAU  - Hinton, Geoffrey\n\
             TI  - Visualizing Data\n  using t-SNE\nT2  - Journal of Machine Learning Research\n\
             JO  - JMLR\nPY  - 2008///\nDA  - 2008/11/01/\nVL  - 9\nIS  - 86\nSP  - 2579\n\
             EP  - 2605\nSN  - 1532-4435\nPB  - JMLR.org\nCY  - Cambridge, MA\nLA  - en\n\
             DO  - https://doi.org/10.5555/abc\nKW  - Dimensionality Reduction\nKW  - t-SNE\n\
             KW  - t-sne\nID  - maaten2008\nM3  - Journal Article\nER  - \n",
        );
        assert_eq!(p.title, "Visualizing Data using t-SNE");
        assert_eq!(p.authors, ["van der Maaten, Laurens", "Hinton, Geoffrey"]);
        assert_eq!(p.year, Some(2008));
        assert_eq!(p.doi.as_deref(), Some("10.5555/abc"));
        assert_eq!(
            p.venue.as_deref(),
            Some("Journal of Machine Learning Research")
        );
        assert_eq!(p.tags, ["dimensionality-reduction", "t-sne"]);
        assert_eq!(p.citekey.as_deref(), Some("maaten2008"));
        assert_eq!(p.entry_type.as_deref(), Some("article"));
        assert_eq!(p.source, "t.ris:1");
        assert_eq!(
            p.extra,
            [
                ("ris_jo", "JMLR"),
                ("month", "11"),
                ("day", "1"),
                ("volume", "9"),
                ("number", "86"),
                ("pages", "2579--2605"),
                ("issn", "1532-4435"),
                ("publisher", "JMLR.org"),
                ("address", "Cambridge, MA"),
                ("language", "en"),
                ("ris_m3", "Journal Article"),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
    }

    #[test]
    fn names_with_suffix_and_organizations() {
        let p = one(
            "TY  - BOOK\nAU  - King, Martin Luther, Jr.\nAU  - World  Health Organization\n\
             AU  - Plato,\nA2  - Doe, Jane\nED  - Roe,Richard\nER  -\n",
        );
        assert_eq!(
            p.authors,
            [
                "King, Martin Luther Jr.",
                "World Health Organization",
                "Plato"
            ]
        );
        assert_eq!(extra(&p, "editor"), Some("Doe, Jane and Roe, Richard"));
        assert_eq!(p.entry_type.as_deref(), Some("book"));
    }

    #[test]
    fn crlf_continuations_and_paragraphs() {
        let p = one(
            "TY  - CPAPER\r\nTI  - A Title\r\nAB  - First line\r\nsecond line.\r\n\r\n\
             Second  paragraph.\r\nKW  - deep learning\r\nneural networks\r\nER  -\r\n",
        );
        assert_eq!(
            p.abstract_text,
            "First line second line.\n\nSecond paragraph."
        );
        assert_eq!(p.tags, ["deep-learning", "neural-networks"]);
        assert_eq!(p.entry_type.as_deref(), Some("inproceedings"));
    }

    #[test]
    fn conflicting_and_unreadable_dates_are_kept() {
        let p = one("TY  - JOUR\nPY  - 2020\nDA  - 2021/01/05\nY1  - n.d.\nER  -\n");
        assert_eq!(p.year, Some(2020));
        assert_eq!(extra(&p, "month"), None);
        assert_eq!(extra(&p, "ris_da"), Some("2021/01/05"));
        assert_eq!(extra(&p, "ris_y1"), Some("n.d."));
        let p = one("TY  - JOUR\nPY  - 2021/03/04\nDA  - 2021/06/01\nER  -\n");
        let months: Vec<_> = p.extra.iter().filter(|(n, _)| n == "month").collect();
        assert_eq!(months.len(), 1);
        assert_eq!(
            (extra(&p, "month"), extra(&p, "day")),
            (Some("3"), Some("4"))
        );
        let p = one("TY  - JOUR\nPY  - 2021\nDA  - 2021/3/9\nER  -\n");
        assert_eq!(
            (extra(&p, "month"), extra(&p, "day")),
            (Some("3"), Some("9"))
        );
    }

    #[test]
    fn urls_become_links_doi_and_arxiv() {
        let p = one(
            "TY  - ELEC\nUR  - https://doi.org/10.1000/xyz https://github.com/a/b\n\
             L1  - internal-pdf://1234/paper.pdf\nL2  - https://arxiv.org/abs/2303.16727v2\n\
             UR  - https://github.com/a/b\nUR  - https://doi.org/10.9999/other\nER  -\n",
        );
        assert_eq!(p.doi.as_deref(), Some("10.1000/xyz"));
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        let urls: Vec<_> = p.links.iter().map(|l| (l.url.as_str(), l.kind)).collect();
        assert_eq!(
            urls,
            [
                ("https://github.com/a/b", LinkKind::Code),
                ("https://arxiv.org/abs/2303.16727v2", LinkKind::Project),
                ("https://doi.org/10.9999/other", LinkKind::Project),
            ]
        );
        assert_eq!(extra(&p, "file"), Some("internal-pdf://1234/paper.pdf"));
        assert_eq!(p.entry_type.as_deref(), Some("online"));
    }

    #[test]
    fn arxiv_doi_sets_arxiv_and_dois_are_cleaned() {
        let p = one("TY  - GEN\nDO  - doi:10.48550/arXiv.2303.16727\nER  -\n");
        assert_eq!(p.doi.as_deref(), Some("10.48550/arXiv.2303.16727"));
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        let p = one("TY  - GEN\nDO  - not a doi\nER  -\n");
        assert_eq!(p.doi, None);
        assert_eq!(extra(&p, "ris_do"), Some("not a doi"));
        assert_eq!(
            arxiv_id("hep-th/9901001v3").as_deref(),
            Some("hep-th/9901001")
        );
        assert_eq!(
            arxiv_id("math.GT/0309136").as_deref(),
            Some("math.GT/0309136")
        );
        assert_eq!(arxiv_id("2303.1672"), Some("2303.1672".to_string()));
        assert_eq!(arxiv_id("23031.16727"), None);
    }

    #[test]
    fn html_notes_become_text() {
        let p = one(
            "TY  - JOUR\nN1  - <p>First <b>bold</b> &amp; more</p><p>Second</p>\n\
             N1  - plain note\nER  -\n",
        );
        assert_eq!(
            p.note.as_deref(),
            Some("First bold & more\n\nSecond\n\nplain note")
        );
    }

    #[test]
    fn types_isbn_and_fallback_title() {
        let p = one("TY  - THES\nCT  - Fallback\nSN  - 978-3-16-148410-0\nER  -\n");
        assert_eq!(p.title, "Fallback");
        assert_eq!(extra(&p, "isbn"), Some("978-3-16-148410-0"));
        assert_eq!(p.entry_type.as_deref(), Some("phdthesis"));
        let p = one("TY  - PAT\nTI  - A patent\nER  -\n");
        assert_eq!(p.entry_type.as_deref(), Some("misc"));
        assert_eq!(extra(&p, "ris_ty"), Some("PAT"));
        let p = one("TY  - RPRT\nSP  - 12-19\nER  -\n");
        assert_eq!(extra(&p, "pages"), Some("12--19"));
        assert_eq!(p.entry_type.as_deref(), Some("techreport"));
    }

    #[test]
    fn missing_er_and_stray_lines_are_problems() {
        let text = "AU  - Stray, Field\nTY  - JOUR\nTI  - First\nER  -\njunk\n\nTY  - JOUR\n\
                    TI  - Second\nTY  - JOUR\nTI  - Third\n";
        let parsed = parse(text, "q.ris");
        let titles: Vec<_> = parsed.papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["First", "Second", "Third"]);
        let sources: Vec<_> = parsed.papers.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(sources, ["q.ris:2", "q.ris:7", "q.ris:9"]);
        let problems: Vec<_> = parsed
            .problems
            .iter()
            .map(|p| (p.location.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    "q.ris:1",
                    "a line outside any entry (not between `TY` and `ER`); ignored"
                ),
                (
                    "q.ris:5",
                    "a line outside any entry (not between `TY` and `ER`); ignored"
                ),
                (
                    "q.ris:7",
                    "entry has no `ER` line before the next `TY` (line 9); imported what it has"
                ),
                (
                    "q.ris:9",
                    "entry has no `ER` line at the end of the file; imported what it has"
                ),
            ]
        );
    }

    #[test]
    fn zotero_fixture() {
        let parsed = parse(
            include_str!("../../tests/fixtures/formats/ris-zotero.ris"),
            "ris-zotero.ris",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let [a, b] = parsed.papers.as_slice() else {
            panic!("expected two papers, got {}", parsed.papers.len());
        };
        assert_eq!(a.title, "Attention Is All You Need");
        assert_eq!(a.authors.len(), 3);
        assert_eq!(a.authors[0], "Vaswani, Ashish");
        assert_eq!(a.year, Some(2017));
        assert_eq!(a.entry_type.as_deref(), Some("inproceedings"));
        assert_eq!(
            a.venue.as_deref(),
            Some("Advances in Neural Information Processing Systems")
        );
        assert_eq!(a.arxiv.as_deref(), Some("1706.03762"));
        assert_eq!(a.tags, ["transformers", "machine-translation"]);
        assert_eq!(extra(a, "pages"), Some("5998--6008"));
        assert_eq!(extra(a, "month"), Some("12"));
        assert_eq!(
            a.note.as_deref(),
            Some("Read for the reading group.\n\nSee section 3.")
        );
        assert_eq!(a.source, "ris-zotero.ris:1");
        assert_eq!(b.title, "Deep learning");
        assert_eq!(b.doi.as_deref(), Some("10.1038/nature14539"));
        assert_eq!(b.entry_type.as_deref(), Some("article"));
        assert_eq!(
            b.authors,
            ["LeCun, Yann", "Bengio, Yoshua", "Hinton, Geoffrey"]
        );
        assert_eq!(extra(b, "pages"), Some("436--444"));
        assert_eq!(extra(b, "volume"), Some("521"));
        assert_eq!(b.links.len(), 1);
        assert_eq!(
            b.links[0].url,
            "https://www.nature.com/articles/nature14539"
        );
    }

    #[test]
    fn quirks_fixture() {
        let text = include_str!("../../tests/fixtures/formats/ris-quirks.ris");
        assert!(
            text.contains("\r\n"),
            "the fixture must keep its CRLF line endings"
        );
        let parsed = parse(text, "ris-quirks.ris");
        let [a, b] = parsed.papers.as_slice() else {
            panic!("expected two papers, got {}", parsed.papers.len());
        };
        assert_eq!(
            a.title,
            "A Very Long Title That an Exporter Wrapped onto a Second Line"
        );
        assert_eq!(a.authors, ["Müller, Jürgen", "Østergaard, Signe", "OpenAI"]);
        assert_eq!(a.year, Some(2019));
        assert_eq!(
            (extra(a, "month"), extra(a, "day")),
            (Some("7"), Some("15"))
        );
        assert_eq!(
            a.abstract_text,
            "The abstract starts here and continues on a line without a tag.\n\nA second paragraph."
        );
        assert_eq!(a.entry_type.as_deref(), Some("techreport"));
        assert_eq!(b.title, "Unterminated Entry");
        assert_eq!(b.year, Some(2020));
        let problems: Vec<_> = parsed
            .problems
            .iter()
            .map(|p| p.location.as_str())
            .collect();
        assert_eq!(problems, ["ris-quirks.ris:1", "ris-quirks.ris:16"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]

        #[test]
        fn never_panics(text in "(TY  - |ER  -|AU  - |PY  - |SP  - |EP  - |UR  - |N1  - <|KW  - |\r|\n|[ -~]{0,12}|[é€\u{2013}/,-]){0,60}") {
            let parsed = parse(&text, "p.ris");
            for p in &parsed.papers {
                prop_assert!(p.source.starts_with("p.ris:"));
            }
            let _ = looks_like(&text);
        }

        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,300}") {
            let _ = parse(&text, "p.ris");
            let _ = looks_like(&text);
        }
    }
}
