//! CSL-JSON import: the citation data Zotero, Better BibTeX, Mendeley,
//! Pandoc and citeproc tools exchange.
//!
//! A file is a JSON array of items (a single item object is accepted too);
//! each item is an object such as
//!
//! ```json
//! { "id": "maaten2008", "type": "article-journal", "title": "Visualizing Data using t-SNE",
//!   "author": [{ "family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der" }],
//!   "issued": { "date-parts": [[2008, 11]] }, "container-title": "JMLR", "page": "2579-2605" }
//! ```
//!
//! Quirks handled:
//!
//! - Names: `{family, given}` with `non-dropping-particle` and
//!   `dropping-particle` joined into the family name and `suffix` after the
//!   given name ("van der Maaten, Laurens", "King, Martin Luther Jr."); a
//!   `{literal}` name (an organization) is kept as written; a plain string
//!   is taken as it is.
//! - Dates: `date-parts` with numbers or numeric strings (`[["2021", "6"]]`,
//!   the first of a range), `raw` (`"2021-06-01"`, `"June 2021"`,
//!   `"2021/06/01"`), `literal`, EDTF (`{"edtf": "2021-06"}`, or the date
//!   given as a bare string, `"2021-06-01"`, `"2021?"`, `"2021-06/2021-07"`).
//!   `issued` gives the year, and month/day in `extra`; `accessed` becomes
//!   `urldate` (`YYYY-MM-DD`).
//! - Citekey: `citation-key`, else `id` unless it is generated (a number, a
//!   URI such as `http://zotero.org/users/…/items/…`, a UUID or hash, a
//!   Zotero item key like `ABCD2345`, `ITEM-1`, or a long random-looking
//!   string), else a `Citation Key: …` line of `note` (as Zotero's Extra
//!   field carries it; the line is then removed from the note). An `id` that
//!   is not the citekey is kept as `csl_id`.
//! - arXiv ids from `number` when `publisher` is arXiv (or `number` reads
//!   `arXiv:…`), from an arXiv `URL`, or from a `DOI` `10.48550/arXiv.…`.
//!   A `doi.org` `URL` becomes the DOI, not a link.
//! - `keyword` as a comma- or semicolon-separated string (or an array) gives
//!   one-word lowercase tags; `page` ranges get `--`.
//! - `type` becomes BibTeX words (`article-journal`/`article`/
//!   `article-magazine`/`article-newspaper` → `article`, `paper-conference`
//!   → `inproceedings`, `book`, `chapter` → `incollection`, `thesis` →
//!   `phdthesis` (`mastersthesis` when `genre` says master), `report` →
//!   `techreport`, `webpage`/`post-weblog` → `online`, others `misc`). When
//!   the CSL type is not the one [`csl_type_for`] writes back for that
//!   BibTeX type, it is kept as `csl_type`.
//!
//! Fields go to `extra` under BibTeX names where one exists (`volume`,
//! `issue` → `number`, `page` → `pages`, `publisher`, `publisher-place` →
//! `address`, `ISBN` → `isbn`, `ISSN` → `issn`, `editor`, `language`,
//! `edition`, `collection-title` → `series`); every other field is kept as
//! `csl_<name lowercase>`: other name lists as names joined with " and ",
//! other dates as `YYYY-MM-DD` (or their text), `categories` joined with
//! ", ", other arrays and objects as compact JSON. Each member of `custom`
//! is kept as `csl_<member lowercase>` too (its text, or compact JSON),
//! except `custom.urls` (more links) and `custom.arxiv`, which the CSL
//! exporter writes.
//!
//! Problems (`file:line`): invalid JSON is one problem at the line serde_json
//! reports, and nothing is imported; an item that is not an object is
//! skipped. Each paper's `source` is the line where its item starts, found
//! by a small scanner over the text since parsed JSON values carry no
//! positions.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::Parsed;
use super::dates::{Date, parse_iso, parse_text};
use super::fields::{family_given, normalize_pages, normalize_tag};
use super::ids::{
    arxiv_from_doi, arxiv_from_eprint, arxiv_from_url, arxiv_id, bare_doi, doi_from_url,
    is_web_url, strip_prefix_ci,
};
use crate::model::{Link, LinkKind, NewPaper, Problem};
use crate::text::{fold_paragraphs as paragraphs, fold_whitespace as fold};

/// How much of the text [`looks_like`] examines, in bytes.
const SNIFF_BYTES: usize = 4096;

/// CSL name variables (lists of people) of the CSL-JSON schema.
pub(crate) const NAME_VARIABLES: &[&str] = &[
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "executive-producer",
    "guest",
    "host",
    "interviewer",
    "illustrator",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
];

/// CSL date variables of the CSL-JSON schema.
pub(crate) const DATE_VARIABLES: &[&str] = &[
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
];

/// CSL variables whose value is a string (or a number) in the CSL-JSON
/// schema, in the schema's order.
pub(crate) const TEXT_VARIABLES: &[&str] = &[
    "language",
    "journalAbbreviation",
    "shortTitle",
    "abstract",
    "annote",
    "archive",
    "archive_collection",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "chapter-number",
    "citation-number",
    "citation-label",
    "collection-number",
    "collection-title",
    "container-title",
    "container-title-short",
    "dimensions",
    "division",
    "DOI",
    "edition",
    "event",
    "event-title",
    "event-place",
    "first-reference-note-number",
    "genre",
    "ISBN",
    "ISSN",
    "issue",
    "jurisdiction",
    "keyword",
    "locator",
    "medium",
    "note",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "original-publisher",
    "original-publisher-place",
    "original-title",
    "page",
    "page-first",
    "part",
    "part-title",
    "PMCID",
    "PMID",
    "printing",
    "publisher",
    "publisher-place",
    "references",
    "reviewed-genre",
    "reviewed-title",
    "scale",
    "section",
    "source",
    "status",
    "supplement",
    "title",
    "title-short",
    "URL",
    "version",
    "volume",
    "volume-title",
    "volume-title-short",
    "year-suffix",
];

/// Whether `text` looks like CSL-JSON: it starts with `[` or `{` and its
/// first 4 KB hold `"title"` and one of `"type"`, `"author"`, `"issued"`,
/// `"id"`.
pub fn looks_like(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !(text.starts_with('[') || text.starts_with('{')) {
        return false;
    }
    let head = super::head(text, SNIFF_BYTES);
    head.contains("\"title\"")
        && ["\"type\"", "\"author\"", "\"issued\"", "\"id\""]
            .iter()
            .any(|key| head.contains(key))
}

/// Parses CSL-JSON text. `source` names the input in each paper's `source`
/// and in problems (`source:line`).
pub fn parse(text: &str, source: &str) -> Parsed {
    let mut out = Parsed::default();
    let json = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top = match serde_json::from_str::<Top>(json) {
        Ok(top) => top,
        Err(e) => {
            out.problems.push(Problem {
                location: format!("{source}:{}", e.line().max(1)),
                message: format!("not valid JSON: {e}"),
            });
            return out;
        }
    };
    let (items, lines) = match top {
        Top::Many(items) => (items, item_lines(json)),
        Top::One(fields) => (vec![Item::Object(fields)], vec![first_line(json)]),
        Top::Other(kind) => {
            out.problems.push(Problem {
                location: format!("{source}:{}", first_line(json)),
                message: format!("expected an array of CSL items, found {kind}"),
            });
            return out;
        }
    };
    for (i, item) in items.into_iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let location = format!("{source}:{line}");
        match item {
            Item::Object(fields) => out.papers.push(item_paper(&fields, location)),
            Item::Other(kind) => out.problems.push(Problem {
                location,
                message: format!("item {} is {kind}, not an object; skipped", i + 1),
            }),
        }
    }
    out
}

/// The document: an array of items, one item, or something else.
enum Top {
    Many(Vec<Item>),
    One(Vec<(String, Value)>),
    Other(&'static str),
}

/// An array element: an object with its members in source order (a
/// `serde_json::Map` would sort them), or what it is instead.
enum Item {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

/// Collects an object's members in order, keeping duplicates.
fn members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Vec<(String, Value)>, A::Error> {
    let mut fields = Vec::new();
    while let Some((key, value)) = map.next_entry::<String, Value>()? {
        fields.push((key, value));
    }
    Ok(fields)
}

/// Implements the visitor methods for every JSON shape other than an
/// object (and, for [`Item`], an array), each naming what it found.
macro_rules! other_shapes {
    ($make:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($make("a boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($make("a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($make("a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($make("a number"))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($make("a string"))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($make("null"))
        }
    };
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a CSL item")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
                members(map).map(Item::Object)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Other("an array"))
            }
            other_shapes!(Item::Other);
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Top {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Top;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of CSL items")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Top, A::Error> {
                members(map).map(Top::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Item>()? {
                    items.push(item);
                }
                Ok(Top::Many(items))
            }
            other_shapes!(Top::Other);
        }
        d.deserialize_any(V)
    }
}

/// The 1-based line of the first non-whitespace character.
fn first_line(text: &str) -> usize {
    let start = text.len() - text.trim_start().len();
    text[..start].matches('\n').count() + 1
}

/// The 1-based line where each element of the top-level array starts, found
/// by tracking nesting depth outside strings. Meant for text serde_json has
/// accepted as an array.
pub(crate) fn item_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            continue;
        }
        if depth == 1 && expecting && c != ']' {
            lines.push(line);
            expecting = false;
        }
        match c {
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting = true,
            '"' => in_string = true,
            _ => {}
        }
    }
    lines
}

/// Turns one item's members into a paper.
fn item_paper(fields: &[(String, Value)], source: String) -> NewPaper {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let csl_type = get("type").and_then(scalar_text);
    let genre = get("genre").and_then(scalar_text);
    let entry_type = bibtex_type(csl_type.as_deref().unwrap_or(""), genre.as_deref());
    let mut b = Builder {
        paper: NewPaper {
            source,
            entry_type: Some(entry_type.to_string()),
            ..NewPaper::default()
        },
        citation_key: get("citation-key")
            .and_then(scalar_text)
            .filter(|k| usable_key(k)),
        publisher_is_arxiv: get("publisher")
            .and_then(scalar_text)
            .is_some_and(|p| p.to_ascii_lowercase().starts_with("arxiv")),
        ..Builder::default()
    };
    let mut type_at = None;
    for (name, value) in fields {
        if name == "type" {
            type_at = Some(b.paper.extra.len());
        }
        b.field(name, value);
    }
    b.finish_urls();
    if b.paper.citekey.is_none() {
        b.citekey_from_note();
    }
    // Keep a CSL type the exporter would not write back for this entry.
    if let Some(ty) = csl_type
        && ty != csl_type_for(entry_type, b.paper.arxiv.is_some())
    {
        let at = type_at.unwrap_or(0).min(b.paper.extra.len());
        b.paper.extra.insert(at, ("csl_type".to_string(), ty));
    }
    b.paper
}

/// Accumulates one paper from an item's members, in order.
#[derive(Default)]
struct Builder {
    paper: NewPaper,
    /// The item's usable `citation-key`, which wins over `id` wherever it is.
    citation_key: Option<String>,
    publisher_is_arxiv: bool,
    urls: Vec<String>,
    seen_tags: HashSet<String>,
    seen_links: HashSet<String>,
}

impl Builder {
    fn field(&mut self, name: &str, value: &Value) {
        match name {
            "type" => {}
            "citation-key" => match scalar_text(value) {
                Some(key) if self.paper.citekey.is_none() && usable_key(&key) => {
                    self.paper.citekey = Some(key);
                }
                _ => self.other(name, value),
            },
            "id" => match scalar_text(value) {
                Some(id) if self.citation_key.as_deref() == Some(id.as_str()) => {}
                Some(id)
                    if self.citation_key.is_none()
                        && self.paper.citekey.is_none()
                        && value.is_string()
                        && !generated_id(&id) =>
                {
                    self.paper.citekey = Some(id);
                }
                _ => self.other(name, value),
            },
            "title" if self.paper.title.is_empty() => {
                self.paper.title = scalar_text(value).map(|t| fold(&t)).unwrap_or_default();
            }
            "author" => {
                let names = names(value);
                self.paper.authors.extend(names);
            }
            "editor" => self.extra("editor", names(value).join(" and ")),
            "issued" => match csl_date(value, true) {
                DateValue::Date(date) if self.paper.year.is_none() => {
                    self.paper.year = Some(date.year);
                    if let Some(month) = date.month {
                        self.extra("month", month.to_string());
                        if let Some(day) = date.day {
                            self.extra("day", day.to_string());
                        }
                    }
                }
                _ => self.other(name, value),
            },
            "accessed" => match csl_date(value, false) {
                DateValue::Date(date) => self.extra("urldate", date.iso()),
                _ => self.other(name, value),
            },
            "DOI" => match scalar_text(value).and_then(|d| bare_doi(&d)) {
                Some(doi) if self.paper.doi.is_none() => {
                    if self.paper.arxiv.is_none() {
                        self.paper.arxiv = arxiv_from_doi(&doi);
                    }
                    self.paper.doi = Some(doi);
                }
                _ => self.other(name, value),
            },
            "URL" => match scalar_text(value) {
                // Several URLs separated by spaces, or one (odd) URL.
                Some(urls) if urls.split_whitespace().all(is_web_url) => {
                    self.urls
                        .extend(urls.split_whitespace().map(str::to_string));
                }
                // Not a web URL (a file path, say): kept as it is, in place.
                Some(url) => self.extra("url", url),
                None => self.other(name, value),
            },
            "abstract" if self.paper.abstract_text.is_empty() => {
                self.paper.abstract_text = scalar_text(value)
                    .map(|t| paragraphs(&t))
                    .unwrap_or_default();
            }
            "container-title" if self.paper.venue.is_none() => {
                self.paper.venue = scalar_text(value)
                    .map(|t| fold(&t))
                    .filter(|t| !t.is_empty());
            }
            "keyword" => {
                let words: Vec<String> = match value {
                    Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
                    _ => scalar_text(value).into_iter().collect(),
                };
                for tag in words.iter().flat_map(|w| w.split([',', ';'])) {
                    if let Some(tag) = normalize_tag(tag)
                        && self.seen_tags.insert(tag.clone())
                    {
                        self.paper.tags.push(tag);
                    }
                }
            }
            "note" if self.paper.note.is_none() => {
                self.paper.note = scalar_text(value)
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty());
            }
            "number" => match scalar_text(value).and_then(|n| self.arxiv_number(&n)) {
                Some(id) if self.paper.arxiv.is_none() => self.paper.arxiv = Some(id),
                Some(id) if self.paper.arxiv.as_deref() == Some(id.as_str()) => {}
                _ => self.other(name, value),
            },
            "custom" => match value {
                Value::Object(map) => {
                    for (key, member) in map {
                        self.custom(key, member);
                    }
                }
                _ => self.other(name, value),
            },
            _ => match bibtex_name(name) {
                Some(bib) => {
                    let text = scalar_text(value).map(|t| normalize_text(name, &t));
                    match text {
                        Some(text) => self.extra(bib, text),
                        None => self.other(name, value),
                    }
                }
                None => self.other(name, value),
            },
        }
    }

    /// A member of `custom`: more URLs and the arXiv id as the exporter
    /// writes them, else kept like any other field.
    fn custom(&mut self, key: &str, value: &Value) {
        match (key, value) {
            ("urls", Value::Array(items)) if items.iter().all(Value::is_string) => {
                self.urls.extend(
                    items
                        .iter()
                        .filter_map(scalar_text)
                        .map(|u| u.trim().to_string()),
                );
            }
            ("arxiv", _) => match scalar_text(value).and_then(|a| arxiv_id(&a)) {
                Some(id) if self.paper.arxiv.is_none() => self.paper.arxiv = Some(id),
                Some(id) if self.paper.arxiv.as_deref() == Some(id.as_str()) => {}
                _ => self.extra("csl_arxiv", compact(value).trim().to_string()),
            },
            _ => {
                let name = format!("csl_{}", key.to_lowercase());
                self.extra(&name, compact(value).trim().to_string());
            }
        }
    }

    /// The arXiv id in a `number`: `arXiv:2303.16727 [cs.CL]`, or a bare id
    /// when the publisher is arXiv.
    fn arxiv_number(&self, number: &str) -> Option<String> {
        let says_arxiv = strip_prefix_ci(number.trim(), "arxiv:").is_some();
        if !says_arxiv && !self.publisher_is_arxiv {
            return None;
        }
        arxiv_from_eprint(number)
    }

    fn extra(&mut self, name: &str, value: String) {
        if !value.is_empty() {
            self.paper.extra.push((name.to_string(), value));
        }
    }

    /// Keeps a field the mapping has no place for as `csl_<name>`.
    fn other(&mut self, name: &str, value: &Value) {
        let text = if NAME_VARIABLES.contains(&name) {
            names(value).join(" and ")
        } else if DATE_VARIABLES.contains(&name) {
            match csl_date(value, false) {
                DateValue::Date(date) => date.iso(),
                DateValue::Text(text) => text,
                DateValue::None => compact(value),
            }
        } else {
            match value {
                Value::Array(items) if name == "categories" => items
                    .iter()
                    .filter_map(scalar_text)
                    .collect::<Vec<_>>()
                    .join(", "),
                _ => compact(value),
            }
        };
        let name = format!("csl_{}", name.to_lowercase());
        self.extra(&name, text.trim().to_string());
    }

    /// Turns the collected URLs into links, a DOI or an arXiv id.
    fn finish_urls(&mut self) {
        for url in std::mem::take(&mut self.urls) {
            if url.is_empty() {
                continue;
            }
            if !is_web_url(&url) {
                self.extra("url", url);
                continue;
            }
            if let Some(doi) = doi_from_url(&url) {
                match &self.paper.doi {
                    None => {
                        if self.paper.arxiv.is_none() {
                            self.paper.arxiv = arxiv_from_doi(&doi);
                        }
                        self.paper.doi = Some(doi);
                        continue;
                    }
                    Some(d) if *d == doi => continue,
                    Some(_) => {}
                }
            }
            if self.paper.arxiv.is_none() {
                self.paper.arxiv = arxiv_from_url(&url);
            }
            if self.seen_links.insert(url.clone()) {
                let kind = LinkKind::classify(&url);
                self.paper.links.push(Link { url, kind });
            }
        }
    }

    /// Takes the citekey from a `Citation Key: …` line of the note.
    fn citekey_from_note(&mut self) {
        let Some(note) = self.paper.note.as_deref() else {
            return;
        };
        let mut key = None;
        let kept: Vec<&str> = note
            .lines()
            .filter(|line| {
                let found = line
                    .split_once(':')
                    .filter(|(label, _)| label.trim().eq_ignore_ascii_case("citation key"))
                    .map(|(_, k)| k.trim())
                    .filter(|k| usable_key(k));
                match found {
                    Some(k) if key.is_none() => {
                        key = Some(k.to_string());
                        false
                    }
                    _ => true,
                }
            })
            .collect();
        if let Some(key) = key {
            let note = kept.join("\n").trim().to_string();
            self.paper.note = (!note.is_empty()).then_some(note);
            self.paper.citekey = Some(key);
        }
    }
}

/// The BibTeX field a plain CSL variable maps to.
fn bibtex_name(csl: &str) -> Option<&'static str> {
    Some(match csl {
        "volume" => "volume",
        "issue" => "number",
        "page" => "pages",
        "publisher" => "publisher",
        "publisher-place" => "address",
        "ISBN" => "isbn",
        "ISSN" => "issn",
        "language" => "language",
        "edition" => "edition",
        "collection-title" => "series",
        _ => return None,
    })
}

/// Normalizes the text of a CSL variable the way the importer stores it:
/// pages get `--`, other mapped variables and titles get whitespace folded.
pub(crate) fn normalize_text(csl: &str, text: &str) -> String {
    match csl {
        "page" => normalize_pages(&fold(text)),
        "abstract" => paragraphs(text),
        "note" => text.trim().to_string(),
        _ if bibtex_name(csl).is_some() || csl == "title" || csl == "container-title" => fold(text),
        _ => text.trim().to_string(),
    }
}

/// The BibTeX type of a CSL type (`genre` tells a master's thesis).
pub(crate) fn bibtex_type(csl: &str, genre: Option<&str>) -> &'static str {
    match csl {
        "article-journal" | "article" | "article-magazine" | "article-newspaper" => "article",
        "paper-conference" => "inproceedings",
        "book" => "book",
        "chapter" => "incollection",
        "thesis" if genre.is_some_and(|g| g.to_lowercase().contains("master")) => "mastersthesis",
        "thesis" => "phdthesis",
        "report" => "techreport",
        "webpage" | "post-weblog" => "online",
        _ => "misc",
    }
}

/// The CSL type written for a BibTeX type: `misc` (and anything unknown)
/// is a preprint (`article`) when it has an arXiv id, else `document`.
pub(crate) fn csl_type_for(bibtex: &str, has_arxiv: bool) -> &'static str {
    match bibtex {
        "article" => "article-journal",
        "inproceedings" | "conference" => "paper-conference",
        "book" => "book",
        "incollection" | "inbook" => "chapter",
        "phdthesis" | "mastersthesis" => "thesis",
        "techreport" => "report",
        "online" => "webpage",
        _ if has_arxiv => "article",
        _ => "document",
    }
}

/// Whether a key can be a citekey: non-empty, no whitespace.
fn usable_key(key: &str) -> bool {
    !key.is_empty() && !key.contains(char::is_whitespace)
}

/// Whether an `id` looks generated rather than chosen as a citekey.
fn generated_id(id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    if !usable_key(id)
        || id.contains("://")
        || id.contains('/')
        || lower.starts_with("urn:")
        || id.bytes().all(|b| b.is_ascii_digit())
    {
        return true;
    }
    // `ITEM-1`, `item12` (citeproc test data, Pandoc).
    if let Some(rest) = lower.strip_prefix("item") {
        let rest = rest.trim_start_matches(['-', '_']);
        if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
            return true;
        }
    }
    // A UUID or a hex hash.
    let hex = id.bytes().filter(u8::is_ascii_hexdigit).count();
    let dashes = id.bytes().filter(|&b| b == b'-').count();
    if id.len() >= 16 && hex + dashes == id.len() && id.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    // A Zotero item key: eight capitals and digits, both present.
    if id.len() == 8
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && id.bytes().any(|b| b.is_ascii_digit())
        && id.bytes().any(|b| b.is_ascii_uppercase())
    {
        return true;
    }
    // A long random-looking string: letters and digits alternate often.
    let switches = id
        .as_bytes()
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count();
    id.len() >= 16 && switches >= 6
}

/// The text of a scalar (string, number, boolean), trimmed; `None` for
/// null, arrays, objects and empty strings.
fn scalar_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Any value as text: scalars as themselves, the rest as compact JSON.
fn compact(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
        _ => scalar_text(value).unwrap_or_default(),
    }
}

/// The people of a name variable, each as "Family, Given" or as written.
fn names(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(name).collect(),
        _ => name(value).into_iter().collect(),
    }
}

fn name(value: &Value) -> Option<String> {
    let Value::Object(map) = value else {
        return scalar_text(value)
            .map(|t| fold(&t))
            .filter(|t| !t.is_empty());
    };
    let part = |key: &str| map.get(key).and_then(scalar_text).map(|t| fold(&t));
    if let Some(literal) = part("literal").filter(|l| !l.is_empty()) {
        return Some(literal);
    }
    let join = |parts: &[Option<String>]| {
        parts
            .iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let family = join(&[
        part("dropping-particle"),
        part("non-dropping-particle"),
        part("family"),
    ]);
    let given = join(&[part("given"), part("suffix")]);
    family_given(&family, &given)
}

/// What a CSL date variable holds.
enum DateValue {
    Date(Date),
    /// A date given as text that does not read as one (`literal`).
    Text(String),
    None,
}

/// Reads a CSL date: `date-parts`, `edtf`, `raw`, `literal`, or an EDTF
/// string. A `literal` is only searched for a year when `read_literal`.
fn csl_date(value: &Value, read_literal: bool) -> DateValue {
    let from_text = |text: &str| {
        parse_iso(text)
            .or_else(|| parse_text(text))
            .map_or(DateValue::None, DateValue::Date)
    };
    let map = match value {
        Value::String(s) => return from_text(s),
        Value::Number(n) => return from_text(&n.to_string()),
        Value::Object(map) => map,
        _ => return DateValue::None,
    };
    if let Some(date) = map
        .get("date-parts")
        .and_then(|p| p.get(0))
        .and_then(date_parts)
    {
        return DateValue::Date(date);
    }
    for key in ["edtf", "raw"] {
        if let Some(text) = map.get(key).and_then(scalar_text)
            && let DateValue::Date(date) = from_text(&text)
        {
            return DateValue::Date(date);
        }
    }
    match map.get("literal").and_then(scalar_text) {
        Some(text) if read_literal => match parse_text(&text) {
            Some(date) => DateValue::Date(date),
            None => DateValue::Text(text),
        },
        Some(text) => DateValue::Text(text),
        None => DateValue::None,
    }
}

/// `[2021, 6, 1]`, numbers or numeric strings; month and day are dropped
/// when out of range (seasons are months 21–24).
fn date_parts(parts: &Value) -> Option<Date> {
    let number = |i: usize| -> Option<i64> {
        match parts.get(i)? {
            Value::Number(n) => n.as_i64().or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 1e9)
                    .map(|f| f as i64)
            }),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let year = i32::try_from(number(0)?).ok()?;
    let month = number(1).and_then(|m| u32::try_from(m).ok());
    let day = number(2).and_then(|d| u32::try_from(d).ok());
    Some(Date::checked(year, month, day))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn one(text: &str) -> NewPaper {
        let parsed = parse(text, "t.json");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.papers.len(), 1);
        parsed.papers.into_iter().next().unwrap_or_default()
    }

    fn extra<'a>(p: &'a NewPaper, name: &str) -> Option<&'a str> {
        p.extra
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn sniffs_csl() {
        assert!(looks_like(r#"  [{"id": "a", "title": "T"}]"#));
        assert!(looks_like(r#"{"title": "T", "author": []}"#));
        assert!(!looks_like(r#"{"title": "T"}"#));
        assert!(!looks_like(r#"x [{"id": "a", "title": "T"}]"#));
        assert!(!looks_like("TY  - JOUR\n"));
        // The 4 KB window ends inside a multi-byte character without panicking.
        let long = format!("[{{\"id\": \"{}\"}}, {{\"title\": 1}}]", "é".repeat(3000));
        assert!(!looks_like(&long));
    }

    #[test]
    fn maps_an_item() {
        let p = one(r#"[{"id": "maaten2008", "type": "article-journal",
                "title": "Visualizing  Data\nusing t-SNE",
                "author": [{"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
                           {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
                           {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
                           {"literal": "World Health Organization"}],
                "issued": {"date-parts": [[2008, 11, 3]]},
                "container-title": "Journal of Machine Learning Research",
                "volume": 9, "issue": "86", "page": "2579-2605", "publisher": "JMLR",
                "publisher-place": "Cambridge, MA", "ISSN": "1532-4435", "language": "en",
                "DOI": "https://doi.org/10.5555/abc", "URL": "https://jmlr.org/papers/v9/",
                "keyword": "t-SNE; Dimensionality reduction, visualization",
                "abstract": "One.\n\nTwo  lines\nhere.", "note": "  A note.  ",
                "editor": [{"family": "Doe", "given": "Jane"}],
                "accessed": {"date-parts": [["2024", "1", "5"]]},
                "title-short": "t-SNE", "translator": [{"family": "Roe", "given": "R."}]}]"#);
        assert_eq!(p.title, "Visualizing Data using t-SNE");
        assert_eq!(
            p.authors,
            [
                "van der Maaten, Laurens",
                "van Beethoven, Ludwig",
                "King, Martin Luther Jr.",
                "World Health Organization"
            ]
        );
        assert_eq!(p.year, Some(2008));
        assert_eq!(p.doi.as_deref(), Some("10.5555/abc"));
        assert_eq!(p.citekey.as_deref(), Some("maaten2008"));
        assert_eq!(p.entry_type.as_deref(), Some("article"));
        assert_eq!(
            p.venue.as_deref(),
            Some("Journal of Machine Learning Research")
        );
        assert_eq!(
            p.tags,
            ["t-sne", "dimensionality-reduction", "visualization"]
        );
        assert_eq!(p.abstract_text, "One.\n\nTwo lines here.");
        assert_eq!(p.note.as_deref(), Some("A note."));
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].url, "https://jmlr.org/papers/v9/");
        assert_eq!(
            p.extra,
            [
                ("month", "11"),
                ("day", "3"),
                ("volume", "9"),
                ("number", "86"),
                ("pages", "2579--2605"),
                ("publisher", "JMLR"),
                ("address", "Cambridge, MA"),
                ("issn", "1532-4435"),
                ("language", "en"),
                ("editor", "Doe, Jane"),
                ("urldate", "2024-01-05"),
                ("csl_title-short", "t-SNE"),
                ("csl_translator", "Roe, R."),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
    }

    #[test]
    fn dates_in_every_shape() {
        let year = |issued: &str| {
            let p = one(&format!(r#"[{{"title": "T", "issued": {issued}}}]"#));
            (
                p.year,
                extra(&p, "month").map(str::to_string),
                extra(&p, "day").map(str::to_string),
            )
        };
        let ymd = |y, m: Option<&str>, d: Option<&str>| {
            (Some(y), m.map(str::to_string), d.map(str::to_string))
        };
        assert_eq!(
            year(r#"{"date-parts": [["2021", "06", "01"]]}"#),
            ymd(2021, Some("6"), Some("1"))
        );
        assert_eq!(
            year(r#"{"date-parts": [[2021.0, 13]]}"#),
            ymd(2021, None, None)
        );
        assert_eq!(
            year(r#"{"date-parts": [[2020], [2021]]}"#),
            ymd(2020, None, None)
        );
        assert_eq!(
            year(r#"{"raw": "2021-06-01"}"#),
            ymd(2021, Some("6"), Some("1"))
        );
        assert_eq!(year(r#"{"raw": "June 2021"}"#), ymd(2021, Some("6"), None));
        assert_eq!(year(r#"{"literal": "Spring 2019"}"#), ymd(2019, None, None));
        assert_eq!(year(r#"{"edtf": "2021-06"}"#), ymd(2021, Some("6"), None));
        assert_eq!(year(r#""2021-06-01""#), ymd(2021, Some("6"), Some("1")));
        assert_eq!(year(r#""2021?""#), ymd(2021, None, None));
        assert_eq!(year(r#""2021-21""#), ymd(2021, None, None));
        assert_eq!(year(r#""2021-06/2021-08""#), ymd(2021, Some("6"), None));
        assert_eq!(year("2021"), ymd(2021, None, None));
        let p = one(r#"[{"title": "T", "issued": {"literal": "n.d."}}]"#);
        assert_eq!(p.year, None);
        assert_eq!(extra(&p, "csl_issued"), Some("n.d."));
        let p = one(r#"[{"title": "T", "issued": {"date-parts": [[1e300]]}}]"#);
        assert_eq!(p.year, None);
    }

    #[test]
    fn citekeys_and_generated_ids() {
        let key = |item: &str| one(&format!("[{item}]")).citekey;
        assert_eq!(
            key(r#"{"id": "x1", "citation-key": "smith2020"}"#).as_deref(),
            Some("smith2020")
        );
        assert_eq!(
            key(r#"{"citation-key": "smith2020", "id": "smith2020"}"#).as_deref(),
            Some("smith2020")
        );
        assert_eq!(
            key(r#"{"id": "vanDerMaaten2008visualizing"}"#).as_deref(),
            Some("vanDerMaaten2008visualizing")
        );
        assert_eq!(key(r#"{"id": 12}"#), None);
        assert_eq!(key(r#"{"id": "12"}"#), None);
        assert_eq!(
            key(r#"{"id": "http://zotero.org/users/1/items/ABCD2345"}"#),
            None
        );
        assert_eq!(key(r#"{"id": "ABCD2345"}"#), None);
        assert_eq!(key(r#"{"id": "ITEM-3"}"#), None);
        assert_eq!(
            key(r#"{"id": "3f2a9c1e-7b4d-4e2a-9f1c-0a1b2c3d4e5f"}"#),
            None
        );
        assert_eq!(key(r#"{"id": "k8d7f6s5a4q3w2e1r9t"}"#), None);
        let p = one(r#"[{"id": 7, "note": "Citation Key: lee2019\nother line"}]"#);
        assert_eq!(p.citekey.as_deref(), Some("lee2019"));
        assert_eq!(p.note.as_deref(), Some("other line"));
        assert_eq!(extra(&p, "csl_id"), Some("7"));
        let p = one(r#"[{"citation-key": "a", "note": "Citation Key: b"}]"#);
        assert_eq!(p.citekey.as_deref(), Some("a"));
        assert_eq!(p.note.as_deref(), Some("Citation Key: b"));
    }

    #[test]
    fn arxiv_from_number_url_and_doi() {
        let p = one(r#"[{"type": "article", "publisher": "arXiv", "number": "2303.16727v2"}]"#);
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        assert_eq!(p.entry_type.as_deref(), Some("article"));
        assert_eq!(extra(&p, "csl_type"), Some("article"));
        assert_eq!(extra(&p, "csl_number"), None);
        let p = one(r#"[{"number": "arXiv:hep-th/9901001 [hep-th]"}]"#);
        assert_eq!(p.arxiv.as_deref(), Some("hep-th/9901001"));
        let p = one(r#"[{"number": "TR-17", "publisher": "ACME"}]"#);
        assert_eq!(
            (p.arxiv.as_deref(), extra(&p, "csl_number")),
            (None, Some("TR-17"))
        );
        let p = one(r#"[{"URL": "https://arxiv.org/pdf/2303.16727v1.pdf"}]"#);
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        assert_eq!(p.links[0].kind, LinkKind::Pdf);
        let p = one(
            r#"[{"DOI": "10.48550/arXiv.2303.16727", "URL": "https://doi.org/10.48550/arXiv.2303.16727"}]"#,
        );
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        assert!(p.links.is_empty());
        let p = one(r#"[{"URL": "https://doi.org/10.1/x", "DOI": "10.2/y"}]"#);
        assert_eq!(p.doi.as_deref(), Some("10.2/y"));
        assert_eq!(p.links[0].url, "https://doi.org/10.1/x");
    }

    #[test]
    fn types_map_to_bibtex() {
        let ty = |item: &str| {
            let p = one(&format!("[{item}]"));
            (
                p.entry_type.clone().unwrap_or_default(),
                extra(&p, "csl_type").map(str::to_string),
            )
        };
        assert_eq!(
            ty(r#"{"type": "paper-conference"}"#),
            ("inproceedings".into(), None)
        );
        assert_eq!(
            ty(r#"{"type": "article-newspaper"}"#),
            ("article".into(), Some("article-newspaper".into()))
        );
        assert_eq!(
            ty(r#"{"type": "thesis", "genre": "Master's thesis"}"#),
            ("mastersthesis".into(), None)
        );
        assert_eq!(ty(r#"{"type": "thesis"}"#), ("phdthesis".into(), None));
        assert_eq!(
            ty(r#"{"type": "post-weblog"}"#),
            ("online".into(), Some("post-weblog".into()))
        );
        assert_eq!(
            ty(r#"{"type": "dataset"}"#),
            ("misc".into(), Some("dataset".into()))
        );
        assert_eq!(ty(r#"{"type": "document"}"#), ("misc".into(), None));
        assert_eq!(ty(r#"{}"#), ("misc".into(), None));
    }

    #[test]
    fn custom_members_and_other_fields() {
        let p = one(
            r#"[{"title": "T", "custom": {"urls": ["https://github.com/a/b"], "arxiv": "2101.00001", "Shelf": "B2", "n": 3},
                "categories": ["ml", "nlp"], "original-date": {"date-parts": [[1999, 2]]},
                "event-date": {"literal": "Spring 1999"}, "PMID": "123", "flag": true, "nested": {"a": [1]}}]"#,
        );
        assert_eq!(p.links[0].kind, LinkKind::Code);
        assert_eq!(p.arxiv.as_deref(), Some("2101.00001"));
        assert_eq!(
            p.extra,
            [
                ("csl_shelf", "B2"),
                ("csl_n", "3"),
                ("csl_categories", "ml, nlp"),
                ("csl_original-date", "1999-02"),
                ("csl_event-date", "Spring 1999"),
                ("csl_pmid", "123"),
                ("csl_flag", "true"),
                ("csl_nested", r#"{"a":[1]}"#),
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
    }

    #[test]
    fn lines_and_problems() {
        let text = "[\n  {\"title\": \"A\"},\n  \"oops\",\n\n  {\"title\": \"B \\\" ] {\",\n   \"x\": [1, {}]}, 5, [1]\n]";
        let parsed = parse(text, "l.json");
        let sources: Vec<_> = parsed.papers.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(sources, ["l.json:2", "l.json:5"]);
        assert_eq!(parsed.papers[1].title, "B \" ] {");
        let problems: Vec<_> = parsed
            .problems
            .iter()
            .map(|p| (p.location.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            problems,
            [
                ("l.json:3", "item 2 is a string, not an object; skipped"),
                ("l.json:6", "item 4 is a number, not an object; skipped"),
                ("l.json:6", "item 5 is an array, not an object; skipped"),
            ]
        );
    }

    #[test]
    fn invalid_json_is_one_problem() {
        let parsed = parse("[\n {\"title\": \"A\"},\n {\"title\": }\n]", "bad.json");
        assert!(parsed.papers.is_empty());
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "bad.json:3");
        assert!(
            parsed.problems[0].message.starts_with("not valid JSON: "),
            "{:?}",
            parsed.problems
        );
        let parsed = parse("\"just a string\"", "s.json");
        assert_eq!(
            parsed.problems[0].message,
            "expected an array of CSL items, found a string"
        );
        let p = one("\u{feff}\n{\"title\": \"Single\"}");
        assert_eq!(
            (p.title.as_str(), p.source.as_str()),
            ("Single", "t.json:2")
        );
    }

    #[test]
    fn zotero_fixture() {
        let parsed = parse(
            include_str!("../../tests/fixtures/formats/csl-zotero.json"),
            "csl-zotero.json",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let [a, b] = parsed.papers.as_slice() else {
            panic!("expected two papers, got {}", parsed.papers.len());
        };
        assert_eq!(a.citekey.as_deref(), Some("vaswaniAttentionAllYou2017"));
        assert_eq!(a.title, "Attention Is All You Need");
        assert_eq!(
            a.authors,
            ["Vaswani, Ashish", "Shazeer, Noam", "Google Brain"]
        );
        assert_eq!(a.year, Some(2017));
        assert_eq!(a.arxiv.as_deref(), Some("1706.03762"));
        assert_eq!(a.doi.as_deref(), Some("10.48550/arXiv.1706.03762"));
        assert_eq!(a.entry_type.as_deref(), Some("article"));
        assert_eq!(
            a.tags,
            [
                "computer-science---computation-and-language",
                "transformers"
            ]
        );
        assert_eq!(extra(a, "urldate"), Some("2023-03-01"));
        assert_eq!(a.source, "csl-zotero.json:2");
        assert_eq!(b.citekey.as_deref(), Some("lecunDeepLearning2015"));
        assert_eq!(b.entry_type.as_deref(), Some("article"));
        assert_eq!(b.venue.as_deref(), Some("Nature"));
        assert_eq!(extra(b, "pages"), Some("436--444"));
        assert_eq!(
            extra(b, "csl_id"),
            Some("http://zotero.org/users/local/abc/items/QX7K2M9P")
        );
        assert_eq!(extra(b, "csl_container-title-short"), Some("Nature"));
        assert_eq!(b.note.as_deref(), Some("Number: 7553"));
    }

    #[test]
    fn quirks_fixture() {
        let parsed = parse(
            include_str!("../../tests/fixtures/formats/csl-quirks.json"),
            "csl-quirks.json",
        );
        let problems: Vec<_> = parsed
            .problems
            .iter()
            .map(|p| (p.location.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            problems,
            [(
                "csl-quirks.json:32",
                "item 4 is a string, not an object; skipped"
            )]
        );
        let [a, b, c, d] = parsed.papers.as_slice() else {
            panic!("expected four papers, got {}", parsed.papers.len());
        };
        assert_eq!(
            a.authors,
            [
                "de la Fontaine, Jean",
                "van Gogh, Vincent",
                "Müller, Jürgen"
            ]
        );
        assert_eq!((a.year, extra(a, "month")), (Some(2019), Some("6")));
        assert_eq!(a.citekey, None);
        assert_eq!(a.source, "csl-quirks.json:2");
        assert_eq!(
            (b.year, extra(b, "month"), extra(b, "day")),
            (Some(2020), Some("3"), Some("14"))
        );
        assert_eq!(b.entry_type.as_deref(), Some("mastersthesis"));
        assert_eq!((c.year, extra(c, "month")), (Some(2021), Some("12")));
        assert_eq!(c.tags, ["graphs", "gnn"]);
        assert_eq!(extra(c, "pages"), Some("e1001--e1010"));
        assert_eq!(d.year, Some(1998));
        assert_eq!(d.title, "Édition critique");
        assert_eq!(d.source, "csl-quirks.json:33");
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]

        #[test]
        fn never_panics_on_json_like_text(text in r#"([\[\]{}:,"\\ \n]|"title"|"issued"|"date-parts"|"author"|"id"|-?[0-9]{1,6}|[a-zé]{1,5}){0,80}"#) {
            let _ = parse(&text, "p.json");
            let _ = looks_like(&text);
        }

        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,300}") {
            let _ = parse(&text, "p.json");
            let _ = looks_like(&text);
        }

        #[test]
        fn never_panics_on_odd_items(
            key in "(type|id|citation-key|title|author|editor|issued|accessed|DOI|URL|keyword|number|custom|page|note|x)",
            value in r#"(null|true|-?[0-9]{1,25}(\.[0-9]+)?(e[0-9]{1,3})?|"[^"\\]{0,12}"|\[\]|\{\}|\[\[\]\]|\{"date-parts": \[\["[0-9x]{0,5}", -?[0-9]{1,12}\]\]\}|\[\{"family": 1, "literal": null\}\]|\{"urls": \[1\]\})"#,
        ) {
            let text = format!(r#"[{{"{key}": {value}}}]"#);
            let parsed = parse(&text, "p.json");
            prop_assert_eq!(parsed.papers.len() + parsed.problems.len(), 1);
        }
    }
}
