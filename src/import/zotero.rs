//! Zotero's own JSON: what the Zotero web API returns for items
//! (`/users/<id>/items?format=json`: an array of `{key, version, library,
//! meta, data}`) and the bare `data` objects some tools save. This is not
//! CSL-JSON: fields have Zotero's names (`itemType`, `creators`,
//! `abstractNote`, `publicationTitle`, `DOI`, `extra`, …).
//!
//! Regular items become papers. Child notes (`itemType: note` with a
//! `parentItem`) become notes on their paper, their HTML reduced to text.
//! Attachments are reported once (their files are not in the export) and
//! standalone notes are reported and left out, so nothing is dropped
//! without a word. Fields without a Lectern column are kept under BibTeX
//! names (`volume`, `issue` → `number`, `pages`, `publisher`, `ISSN`, …).
//!
//! ```
//! let text = r#"[{"key": "AB12CD34", "version": 3, "library": {"type": "user", "id": 1},
//!   "meta": {"parsedDate": "2020-05-01"},
//!   "data": {"key": "AB12CD34", "itemType": "journalArticle", "title": "A Study",
//!            "creators": [{"creatorType": "author", "firstName": "Ann", "lastName": "Lee"}],
//!            "publicationTitle": "Journal of Studies", "DOI": "10.1/x", "tags": [{"tag": "ml"}]}}]"#;
//! let parsed = lectern::import::zotero::parse(text, "z.json");
//! let p = &parsed.papers[0];
//! assert_eq!(p.title, "A Study");
//! assert_eq!(p.authors, vec!["Lee, Ann"]);
//! assert_eq!(p.year, Some(2020));
//! assert_eq!(p.venue.as_deref(), Some("Journal of Studies"));
//! ```

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::Parsed;
use crate::model::{Link, LinkKind, NewPaper, Problem};

/// How much of the text [`looks_like`] reads.
const SNIFF_BYTES: usize = 16 * 1024;

/// Whether the text is Zotero item JSON: an array (or one object) whose
/// items have `itemType`, at the top or under `data`.
pub fn looks_like(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !(text.starts_with('[') || text.starts_with('{')) {
        return false;
    }
    super::head(text, SNIFF_BYTES).contains("\"itemType\"")
}

/// One element of the array: the web API's wrapper or a bare item.
#[derive(Deserialize)]
struct Element {
    data: Option<Item>,
    meta: Option<Meta>,
    #[serde(flatten)]
    bare: Item,
}

#[derive(Deserialize, Default)]
struct Meta {
    #[serde(rename = "parsedDate")]
    parsed_date: Option<String>,
}

#[derive(Deserialize, Default)]
struct Creator {
    #[serde(rename = "creatorType", default)]
    creator_type: String,
    #[serde(rename = "firstName")]
    first_name: Option<String>,
    #[serde(rename = "lastName")]
    last_name: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct Tag {
    tag: String,
}

#[derive(Deserialize, Default)]
struct Item {
    key: Option<String>,
    #[serde(rename = "itemType")]
    item_type: Option<String>,
    title: Option<String>,
    #[serde(default)]
    creators: Vec<Creator>,
    #[serde(rename = "abstractNote")]
    abstract_note: Option<String>,
    date: Option<String>,
    #[serde(rename = "DOI")]
    doi: Option<String>,
    url: Option<String>,
    extra: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(rename = "parentItem")]
    parent_item: Option<String>,
    note: Option<String>,
    /// Every other field, kept by name.
    #[serde(flatten)]
    rest: HashMap<String, Value>,
}

/// Zotero item types as BibTeX entry types.
fn entry_type(item_type: &str) -> &'static str {
    match item_type {
        "journalArticle" | "magazineArticle" | "newspaperArticle" => "article",
        "conferencePaper" => "inproceedings",
        "book" => "book",
        "bookSection" | "encyclopediaArticle" | "dictionaryEntry" => "incollection",
        "thesis" => "phdthesis",
        "report" => "techreport",
        "manuscript" => "unpublished",
        "webpage" | "blogPost" | "forumPost" => "online",
        "patent" => "patent",
        "dataset" => "dataset",
        "computerProgram" => "software",
        _ => "misc",
    }
}

/// Zotero field names that hold the container title, first found wins.
const VENUE_FIELDS: &[&str] = &[
    "publicationTitle",
    "proceedingsTitle",
    "bookTitle",
    "conferenceName",
    "websiteTitle",
    "blogTitle",
    "encyclopediaTitle",
    "dictionaryTitle",
    "repository",
    "university",
    "institution",
];

/// Zotero fields kept as extra fields, with their BibTeX names.
const KEPT: &[(&str, &str)] = &[
    ("volume", "volume"),
    ("issue", "number"),
    ("pages", "pages"),
    ("publisher", "publisher"),
    ("place", "address"),
    ("ISSN", "issn"),
    ("ISBN", "isbn"),
    ("series", "series"),
    ("edition", "edition"),
    ("language", "language"),
    ("shortTitle", "shorttitle"),
    ("numPages", "pagetotal"),
    ("archiveID", "eprint"),
];

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The year in a free-form Zotero date (`2020-05-01`, `May 2020`,
/// `5/1/2020`).
fn year_of(date: &str) -> Option<i32> {
    let digits: Vec<&str> = date
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .collect();
    digits
        .into_iter()
        .filter_map(|d| d.parse::<i32>().ok())
        .find(|y| (1000..=2999).contains(y))
}

/// `Key: value` lines of Zotero's `extra` field.
fn extra_lines(extra: &str) -> Vec<(String, String)> {
    extra
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .collect()
}

/// Parses Zotero item JSON. `source` names the input in each paper's
/// `source` and in problems (`source:line`).
pub fn parse(text: &str, source: &str) -> Parsed {
    let mut out = Parsed::default();
    let json = text.strip_prefix('\u{feff}').unwrap_or(text);
    let elements: Vec<Value> = match serde_json::from_str::<Value>(json) {
        Ok(Value::Array(items)) => items,
        Ok(one @ Value::Object(_)) => vec![one],
        Ok(_) => {
            out.problems.push(Problem {
                location: format!("{source}:1"),
                message: "expected an array of Zotero items".into(),
            });
            return out;
        }
        Err(e) => {
            out.problems.push(Problem {
                location: format!("{source}:{}", e.line().max(1)),
                message: format!("not valid JSON: {e}"),
            });
            return out;
        }
    };
    let lines = super::csl::item_lines(json);
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut child_notes: Vec<(String, String, String)> = Vec::new();
    let mut attachments = 0usize;
    for (i, value) in elements.into_iter().enumerate() {
        let location = format!("{source}:{}", lines.get(i).copied().unwrap_or(1));
        let element: Element = match serde_json::from_value(value) {
            Ok(e) => e,
            Err(e) => {
                out.problems.push(Problem {
                    location,
                    message: format!("item {} is not a Zotero item ({e}); skipped", i + 1),
                });
                continue;
            }
        };
        let parsed_date = element.meta.unwrap_or_default().parsed_date;
        let item = element.data.unwrap_or(element.bare);
        match item.item_type.as_deref() {
            Some("attachment") => {
                attachments += 1;
                continue;
            }
            Some("note") | Some("annotation") => {
                let body = super::ris::note_text(item.note.as_deref().unwrap_or(""));
                match item.parent_item.clone() {
                    Some(parent) if !body.is_empty() => {
                        child_notes.push((parent, body, location));
                    }
                    Some(_) => {}
                    None => out.problems.push(Problem {
                        location,
                        message: "a standalone Zotero note (not attached to an item); left out"
                            .into(),
                    }),
                }
                continue;
            }
            None => {
                out.problems.push(Problem {
                    location,
                    message: format!("item {} has no itemType; skipped", i + 1),
                });
                continue;
            }
            Some(_) => {}
        }
        let key = item.key.clone();
        let paper = item_paper(item, parsed_date.as_deref(), location);
        if let Some(key) = key {
            by_key.insert(key, out.papers.len());
        }
        out.papers.push(paper);
    }
    for (parent, body, location) in child_notes {
        match by_key.get(&parent) {
            Some(&i) => {
                let p = &mut out.papers[i];
                p.note = Some(match p.note.take() {
                    Some(before) => format!("{before}\n\n{body}"),
                    None => body,
                });
            }
            None => out.problems.push(Problem {
                location,
                message: format!("a note of item {parent}, which is not in this file; left out"),
            }),
        }
    }
    if attachments > 0 {
        out.problems.push(Problem {
            location: format!("{source}:1"),
            message: format!(
                "{attachments} attachment item(s) left out: Zotero's JSON does not carry the files (import the PDFs themselves to attach them)"
            ),
        });
    }
    out
}

fn item_paper(item: Item, parsed_date: Option<&str>, location: String) -> NewPaper {
    let kind = item.item_type.as_deref().unwrap_or("");
    let extra = extra_lines(item.extra.as_deref().unwrap_or(""));
    let from_extra = |k: &str| {
        extra
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
    };
    let mut paper = NewPaper {
        title: crate::text::fold_whitespace(item.title.as_deref().unwrap_or("")),
        abstract_text: item
            .abstract_note
            .as_deref()
            .map(crate::text::fold_paragraphs)
            .unwrap_or_default(),
        source: location,
        entry_type: Some(entry_type(kind).to_string()),
        citekey: from_extra("citation key"),
        ..Default::default()
    };
    for c in &item.creators {
        let name = match (&c.last_name, &c.first_name, &c.name) {
            (Some(last), Some(first), _) if !first.trim().is_empty() => {
                format!("{}, {}", last.trim(), first.trim())
            }
            (Some(last), _, _) if !last.trim().is_empty() => last.trim().to_string(),
            (_, _, Some(name)) if !name.trim().is_empty() => name.trim().to_string(),
            _ => continue,
        };
        match c.creator_type.as_str() {
            "author" | "" | "presenter" | "programmer" | "inventor" | "artist" => {
                paper.authors.push(name)
            }
            "editor" | "seriesEditor" => push_person(&mut paper.extra, "editor", name),
            other => push_person(&mut paper.extra, other, name),
        }
    }
    paper.year = parsed_date
        .and_then(super::dates::parse_iso)
        .map(|d| d.year)
        .or_else(|| item.date.as_deref().and_then(year_of));
    if let Some(date) = item.date.as_deref().filter(|d| !d.trim().is_empty()) {
        paper.extra.push(("date".into(), date.trim().to_string()));
    }
    paper.doi = item
        .doi
        .as_deref()
        .and_then(super::ids::bare_doi)
        .or_else(|| from_extra("doi").as_deref().and_then(super::ids::bare_doi));
    paper.arxiv = from_extra("arxiv")
        .as_deref()
        .and_then(super::ids::arxiv_id_or_url)
        .or_else(|| item.url.as_deref().and_then(super::ids::arxiv_from_url))
        .or_else(|| {
            item.rest
                .get("archiveID")
                .and_then(text_of)
                .and_then(|a| super::ids::arxiv_id_or_url(&a))
        });
    if let Some(url) = item.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        paper.links.push(Link {
            url: url.to_string(),
            kind: LinkKind::classify(url),
        });
    }
    paper.venue = VENUE_FIELDS
        .iter()
        .find_map(|f| item.rest.get(*f).and_then(text_of));
    for (zotero, bibtex) in KEPT {
        if let Some(v) = item.rest.get(*zotero).and_then(text_of) {
            let v = if *bibtex == "pages" {
                super::fields::normalize_pages(&v)
            } else {
                v
            };
            paper.extra.push((bibtex.to_string(), v));
        }
    }
    for t in &item.tags {
        if let Some(tag) = super::fields::normalize_tag(&t.tag)
            && !paper.tags.contains(&tag)
        {
            paper.tags.push(tag);
        }
    }
    if let Some(e) = item
        .extra
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        paper.extra.push(("zotero_extra".into(), e.to_string()));
    }
    paper
}

fn push_person(extra: &mut Vec<(String, String)>, field: &str, name: String) {
    match extra.iter_mut().find(|(n, _)| n == field) {
        Some((_, v)) => {
            v.push_str(" and ");
            v.push_str(&name);
        }
        None => extra.push((field.to_string(), name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = include_str!("../../tests/fixtures/formats/zotero-api.json");

    #[test]
    fn web_api_items_become_papers_with_their_notes() {
        assert!(looks_like(API));
        let parsed = parse(API, "z.json");
        assert_eq!(parsed.papers.len(), 2);
        let p = &parsed.papers[0];
        assert_eq!(p.title, "Sparse Retrieval for Long Documents");
        assert_eq!(p.authors, vec!["Lee, Ann", "Chen, Bo"]);
        assert_eq!(p.year, Some(2019));
        assert_eq!(p.doi.as_deref(), Some("10.1145/123.456"));
        assert_eq!(p.arxiv.as_deref(), Some("1907.00001"));
        assert_eq!(p.citekey.as_deref(), Some("lee2019sparse"));
        assert_eq!(p.entry_type.as_deref(), Some("inproceedings"));
        assert_eq!(p.venue.as_deref(), Some("Proceedings of SIGIR"));
        assert_eq!(p.tags, vec!["information-retrieval", "sparse"]);
        assert_eq!(p.source, "z.json:2");
        assert!(p.extra.contains(&("pages".into(), "12--20".into())));
        assert!(
            p.extra
                .contains(&("editor".into(), "Program Committee".into()))
        );
        assert_eq!(
            p.note.as_deref(),
            Some("Read the ablation & results.\n\nSecond paragraph.")
        );
        let book = &parsed.papers[1];
        assert_eq!(book.year, Some(2001));
        assert!(book.extra.contains(&("isbn".into(), "978-0-00".into())));
        let messages: Vec<&str> = parsed.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages
                .iter()
                .any(|m| m.contains("standalone Zotero note"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("1 attachment item(s)"))
        );
    }

    #[test]
    fn bare_data_objects_and_bad_input() {
        let bare = r#"[{"itemType": "journalArticle", "title": "T", "date": "5/1/1999"}]"#;
        let parsed = parse(bare, "b.json");
        assert_eq!(parsed.papers[0].year, Some(1999));
        let bad = parse("[1, {\"itemType\": \"book\", \"title\": \"B\"}]", "x.json");
        assert_eq!(bad.papers.len(), 1);
        assert_eq!(bad.problems.len(), 1);
        assert!(
            parse("{\"itemType\": ", "y.json").problems[0]
                .message
                .starts_with("not valid JSON")
        );
    }
}
