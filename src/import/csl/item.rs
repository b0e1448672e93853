//! One CSL item's members turned into a paper, in order: the mapped
//! variables, identifiers from `DOI`, `URL`, `number` and `custom`, the
//! citekey (`citation-key`, a chosen `id`, or a `Citation Key:` line of the
//! note), and every other member kept as `csl_<name>`.

use std::collections::HashSet;

use serde_json::Value;

use super::mapping::{
    DATE_VARIABLES, NAME_VARIABLES, bibtex_name, bibtex_type, csl_type_for, normalize_text,
};
use super::values::{DateValue, compact, csl_date, names, scalar_text};
use crate::import::fields::normalize_tag;
use crate::import::ids::{
    arxiv_from_doi, arxiv_from_eprint, arxiv_from_url, arxiv_id, bare_doi, doi_from_url,
    is_web_url, strip_prefix_ci,
};
use crate::model::{Link, LinkKind, NewPaper};
use crate::text::{fold_paragraphs as paragraphs, fold_whitespace as fold};

/// Turns one item's members into a paper.
pub(super) fn item_paper(fields: &[(String, Value)], source: String) -> NewPaper {
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
