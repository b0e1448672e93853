//! CSL-JSON export: papers as the citation data Zotero, Pandoc and citeproc
//! read, valid against the CSL-JSON schema (`csl-data.json`).
//!
//! [`render`] writes a pretty-printed JSON array with one item per
//! [`CslEntry`]. Every item has `id` and `citation-key` (the citekey), a
//! `type` and a `title`; then, when present, `genre`, `author`, `editor`, `issued`,
//! `accessed`, `container-title`, `collection-title`, `volume`, `issue`,
//! `page`, `edition`, `number`, `publisher`, `publisher-place`, `DOI`,
//! `ISBN`, `ISSN`, `URL`, `language`, `abstract`, `keyword`, `note`, other
//! CSL variables, and `custom`, always in that order.
//!
//! - Names: "Family, Given" becomes `{family, given}`, with leading
//!   lowercase words of the family name as `non-dropping-particle` ("van der
//!   Maaten") and a trailing `Jr.`/`Sr.`/`II`/`III`/`IV` of the given name
//!   (or BibTeX's "King, Jr., Martin") as `suffix`; a name without a comma,
//!   or with an empty part, is a `{literal}`.
//! - `issued` is `{"date-parts": [[year, month, day]]}` with month and day
//!   from `extra` (`month` as a number or an English month name). `urldate`
//!   becomes `accessed`.
//! - `type` maps BibTeX words back to CSL (`article` → `article-journal`,
//!   `inproceedings` → `paper-conference`, `incollection` → `chapter`,
//!   `phdthesis`/`mastersthesis` → `thesis`, `techreport` → `report`,
//!   `online` → `webpage`, else `article` — CSL's preprint type — with an
//!   arXiv id, or `document`); a `csl_type` kept by the importer wins when
//!   it maps to the same BibTeX type, and is dropped otherwise. A master's
//!   thesis without a genre gets `genre: "Master's thesis"`.
//! - arXiv id: for a preprint (`article`) it is `number: "arXiv:<id>"` (the
//!   way Zotero writes preprints), with `publisher: "arXiv"` when there is no
//!   other publisher; otherwise, or when `number` is taken, it goes to
//!   `custom.arxiv`. [`crate::import::csl`] reads both back.
//! - The first URL is `URL`; further URLs go to `custom.urls`. A `doi.org`
//!   URL is the DOI, as on import.
//! - `extra` fields under BibTeX names map to CSL variables (`number` is
//!   `issue`, or `number` for a report; `pages` is `page` with `--` written
//!   `-`; `address` is `publisher-place`; `series` is `collection-title`;
//!   `school`/`institution`/`organization` stand in for a missing
//!   `publisher`); `csl_<name>` fields go back under `<name>` when that is a
//!   CSL variable (name lists, dates and `categories` rebuilt); everything
//!   else — unknown fields, a variable already written — is kept as a
//!   string in `custom` under its lowercase name (the first of two fields
//!   with the same name wins; `custom`'s members are sorted by name).
//!
//! Text is normalized exactly as the CSL importer normalizes it (titles,
//! names, venues folded to single spaces, abstracts keeping paragraph
//! breaks, notes trimmed, tags one lowercase word), so rendering what
//! [`crate::import::csl::parse`] read back from a rendering gives the same
//! text.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::import::csl::{
    DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES, bibtex_type, csl_type_for, normalize_text,
};
use crate::import::dates::{Date, month_number};
use crate::import::fields::normalize_tag;
use crate::import::ids::{
    arxiv_from_doi, arxiv_from_url, arxiv_id, bare_doi, doi_from_url, is_web_url,
};
use crate::text::{fold_paragraphs as paragraphs, fold_whitespace as fold};

/// One paper as the CSL exporter needs it (the shared export record).
pub use super::Record as CslEntry;

/// Renders entries as a pretty-printed CSL-JSON array, ending with a newline.
pub fn render(items: &[CslEntry]) -> String {
    let json = J::Arr(items.iter().map(item).collect());
    match serde_json::to_string_pretty(&json) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Serializing strings, integers, arrays and maps cannot fail.
        Err(_) => "[]\n".to_string(),
    }
}

/// The item types the CSL-JSON schema allows.
const CSL_TYPES: &[&str] = &[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
];

/// The order of an item's keys; variables not listed follow in the order
/// of [`NAME_VARIABLES`], [`DATE_VARIABLES`], [`TEXT_VARIABLES`], then
/// `categories` and `custom`.
const KEY_ORDER: &[&str] = &[
    "id",
    "citation-key",
    "type",
    "genre",
    "title",
    "author",
    "editor",
    "issued",
    "accessed",
    "container-title",
    "collection-title",
    "volume",
    "issue",
    "page",
    "edition",
    "number",
    "publisher",
    "publisher-place",
    "DOI",
    "ISBN",
    "ISSN",
    "URL",
    "language",
    "abstract",
    "keyword",
    "note",
];

/// Variables never filled from a `csl_<name>` field: they are written from
/// the entry itself, or would not read back the same.
const RESERVED: &[&str] = &["id", "citation-key", "type", "custom", "keyword"];

/// Name suffixes split off a given name.
const SUFFIXES: &[&str] = &[
    "Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "jr", "jr.", "sr", "sr.",
];

/// A JSON value that keeps its object keys in insertion order.
enum J {
    Str(String),
    Int(i64),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl Serialize for J {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            J::Str(text) => s.serialize_str(text),
            J::Int(n) => s.serialize_i64(*n),
            J::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            J::Obj(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

fn obj(members: &[(&str, &str)]) -> J {
    J::Obj(
        members
            .iter()
            .map(|(k, v)| (k.to_string(), J::Str(v.to_string())))
            .collect(),
    )
}

/// An item's top-level members and its `custom` members, each key once.
#[derive(Default)]
struct Item {
    top: Vec<(String, J)>,
    custom: Vec<(String, J)>,
}

impl Item {
    fn has(&self, key: &str) -> bool {
        self.top.iter().any(|(k, _)| k == key)
    }

    /// Sets a top-level member unless it is already set; says whether it did.
    fn set(&mut self, key: &str, value: J) -> bool {
        if self.has(key) {
            return false;
        }
        self.top.push((key.to_string(), value));
        true
    }

    fn set_text(&mut self, key: &str, text: String) -> bool {
        !text.is_empty() && self.set(key, J::Str(text))
    }

    fn keep(&mut self, key: &str, value: J) {
        if !self.custom.iter().any(|(k, _)| k == key) {
            self.custom.push((key.to_string(), value));
        }
    }

    fn finish(mut self) -> J {
        let rank = |key: &str| {
            KEY_ORDER
                .iter()
                .chain(NAME_VARIABLES)
                .chain(DATE_VARIABLES)
                .chain(TEXT_VARIABLES)
                .chain(&["categories"])
                .position(|k| *k == key)
                .unwrap_or(usize::MAX)
        };
        self.top.sort_by_key(|(k, _)| rank(k));
        // Sorted, as serde_json reads objects back.
        self.custom.sort_by(|a, b| a.0.cmp(&b.0));
        if !self.custom.is_empty() {
            self.top.push(("custom".to_string(), J::Obj(self.custom)));
        }
        J::Obj(self.top)
    }
}

/// One entry as a CSL item.
fn item(e: &CslEntry) -> J {
    let mut out = Item::default();
    let mut extra = Extras::new(&e.extra);
    let ids = Identifiers::resolve(e);
    let (csl_type, genre) = resolve_type(e, &mut extra, ids.arxiv.is_some());
    set_head(&mut out, e, &mut extra, &csl_type, genre);
    set_dates(&mut out, e, &mut extra);
    set_publication(&mut out, e, &mut extra, &csl_type);
    set_arxiv(&mut out, &extra, ids.arxiv.as_deref(), &csl_type);
    set_links(&mut out, ids.doi, ids.urls);
    set_text_fields(&mut out, e);

    // Everything else: back under its CSL name, or into `custom`.
    let mut leftovers: Vec<(&str, &str)> = Vec::new();
    if let Some(bad) = ids.bad_doi {
        leftovers.push(("csl_doi", bad));
    }
    if let Some(bad) = ids.bad_arxiv {
        leftovers.push(("csl_arxiv", bad));
    }
    leftovers.extend(ids.other_urls.iter().map(|u| ("url", u.as_str())));
    leftovers.extend(extra.rest());
    for (name, value) in leftovers {
        other(&mut out, name, value);
    }
    out.finish()
}

/// An entry's identifiers, resolved the way the importer will read them
/// back: a `doi.org` URL is the DOI; the arXiv id comes from an arXiv DOI,
/// else from `arxiv`, else from an arXiv URL. An `arxiv` that is not valid,
/// or that disagrees with the DOI, is kept as it is.
struct Identifiers<'a> {
    doi: Option<String>,
    /// A DOI that is not one, kept as it is.
    bad_doi: Option<&'a str>,
    /// The web URLs, deduplicated, without the one that gave the DOI.
    urls: Vec<String>,
    /// The URLs that are not web URLs, kept as they are.
    other_urls: Vec<String>,
    arxiv: Option<String>,
    /// An `arxiv` that is not the resolved arXiv id, kept as it is.
    bad_arxiv: Option<&'a str>,
}

impl<'a> Identifiers<'a> {
    fn resolve(e: &'a CslEntry) -> Self {
        let mut doi = e.doi.as_deref().and_then(bare_doi);
        let bad_doi = e
            .doi
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty() && doi.is_none());
        let mut urls: Vec<String> = Vec::new();
        let mut other_urls: Vec<String> = Vec::new();
        for url in e.urls.iter().map(|u| u.trim()).filter(|u| !u.is_empty()) {
            if !is_web_url(url) || url.contains(char::is_whitespace) {
                other_urls.push(url.to_string());
                continue;
            }
            if let Some(d) = doi_from_url(url) {
                if doi.is_none() {
                    doi = Some(d);
                    continue;
                }
                if doi.as_deref() == Some(d.as_str()) {
                    continue;
                }
            }
            if !urls.iter().any(|u| u == url) {
                urls.push(url.to_string());
            }
        }
        let given_arxiv = e.arxiv.as_deref().and_then(arxiv_id);
        let arxiv = doi
            .as_deref()
            .and_then(arxiv_from_doi)
            .or(given_arxiv.clone())
            .or_else(|| urls.iter().find_map(|u| arxiv_from_url(u)));
        let bad_arxiv = e
            .arxiv
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty() && given_arxiv != arxiv);
        Identifiers {
            doi,
            bad_doi,
            urls,
            other_urls,
            arxiv,
            bad_arxiv,
        }
    }
}

/// The CSL type and genre: a kept `csl_type` while it still fits the
/// entry's BibTeX type, else the type mapped from it.
fn resolve_type(e: &CslEntry, extra: &mut Extras, has_arxiv: bool) -> (String, Option<String>) {
    let bibtex = e.entry_type.as_deref().map(str::trim).unwrap_or("");
    let bibtex = if bibtex.is_empty() { "misc" } else { bibtex };
    let mut genre = extra.take("csl_genre").map(|g| normalize_text("genre", &g));
    if genre.is_none() && bibtex == "mastersthesis" {
        genre = Some("Master's thesis".to_string());
    }
    // A kept CSL type that no longer fits the entry's type is dropped, and
    // so is any second one.
    let kept_type = extra
        .take("csl_type")
        .filter(|t| CSL_TYPES.contains(&t.as_str()) && bibtex_type(t, genre.as_deref()) == bibtex);
    while extra.take("csl_type").is_some() {}
    let csl_type = kept_type.unwrap_or_else(|| csl_type_for(bibtex, has_arxiv).to_string());
    (csl_type, genre)
}

/// `id`, `citation-key`, `type`, `genre`, `title`, `author` and `editor`.
fn set_head(
    out: &mut Item,
    e: &CslEntry,
    extra: &mut Extras,
    csl_type: &str,
    genre: Option<String>,
) {
    out.set("id", J::Str(e.citekey.clone()));
    out.set("citation-key", J::Str(e.citekey.clone()));
    out.set("type", J::Str(csl_type.to_string()));
    if let Some(genre) = genre {
        out.set_text("genre", genre);
    }
    out.set("title", J::Str(fold(&e.title)));
    let authors: Vec<J> = e.authors.iter().filter_map(|a| person(a)).collect();
    if !authors.is_empty() {
        out.set("author", J::Arr(authors));
    }
    if let Some(editors) = extra.take("editor") {
        set_names(out, "editor", &editors);
    }
}

/// `issued` (year, with month and day from `extra` when they are usable)
/// and `accessed` (from `urldate`).
fn set_dates(out: &mut Item, e: &CslEntry, extra: &mut Extras) {
    if let Some(year) = e.year {
        let mut parts = vec![J::Int(i64::from(year))];
        let month = extra.peek("month").and_then(month_number);
        if let Some(month) = month {
            extra.take("month");
            parts.push(J::Int(i64::from(month)));
            let day = extra
                .peek("day")
                .and_then(|d| d.parse::<u32>().ok())
                .filter(|d| (1..=31).contains(d));
            if let Some(day) = day {
                extra.take("day");
                parts.push(J::Int(i64::from(day)));
            }
        }
        out.set(
            "issued",
            J::Obj(vec![("date-parts".into(), J::Arr(vec![J::Arr(parts)]))]),
        );
    }
    if let Some(date) = extra.peek("urldate").and_then(Date::from_iso) {
        extra.take("urldate");
        out.set("accessed", date_json(date));
    }
}

/// Container, numbers and publisher (falling back to the school,
/// institution or organization).
fn set_publication(out: &mut Item, e: &CslEntry, extra: &mut Extras, csl_type: &str) {
    if let Some(venue) = e.venue.as_deref() {
        out.set_text("container-title", fold(venue));
    }
    let is_report = csl_type == "report";
    for (bib, csl) in [
        ("series", "collection-title"),
        ("volume", "volume"),
        ("number", if is_report { "number" } else { "issue" }),
        ("pages", "page"),
        ("edition", "edition"),
        ("publisher", "publisher"),
        ("address", "publisher-place"),
        ("isbn", "ISBN"),
        ("issn", "ISSN"),
        ("language", "language"),
    ] {
        if let Some(value) = extra.take(bib) {
            out.set_text(csl, text_out(csl, &value));
        }
    }
    if !out.has("publisher") {
        for bib in ["school", "institution", "organization"] {
            if let Some(value) = extra.take(bib) {
                out.set_text("publisher", text_out("publisher", &value));
                break;
            }
        }
    }
}

/// The arXiv id: a preprint's `number` (and `publisher` when free), else
/// `custom.arxiv`.
fn set_arxiv(out: &mut Item, extra: &Extras, arxiv: Option<&str>, csl_type: &str) {
    if let Some(id) = arxiv {
        if csl_type == "article" && !out.has("number") && !extra.claims("number") {
            out.set("number", J::Str(format!("arXiv:{id}")));
            if !out.has("publisher") && !extra.claims("publisher") {
                out.set("publisher", J::Str("arXiv".to_string()));
            }
        } else {
            out.keep("arxiv", J::Str(id.to_string()));
        }
    }
}

/// `DOI`, `URL` (the first URL) and `custom.urls` (the rest).
fn set_links(out: &mut Item, doi: Option<String>, urls: Vec<String>) {
    if let Some(doi) = doi {
        out.set("DOI", J::Str(doi));
    }
    let mut urls = urls.into_iter();
    if let Some(first) = urls.next() {
        out.set("URL", J::Str(first));
    }
    let rest: Vec<J> = urls.map(J::Str).collect();
    if !rest.is_empty() {
        out.keep("urls", J::Arr(rest));
    }
}

/// `abstract`, `keyword` (the tags) and `note`.
fn set_text_fields(out: &mut Item, e: &CslEntry) {
    out.set_text("abstract", paragraphs(&e.abstract_text));
    let mut tags: Vec<String> = Vec::new();
    for tag in e.tags.iter().filter_map(|t| normalize_tag(t)) {
        let tag = tag.replace([',', ';'], "-");
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    out.set_text("keyword", tags.join(", "));
    if let Some(note) = e.note.as_deref() {
        out.set_text("note", note.trim().to_string());
    }
}

/// The non-empty `extra` fields of an entry, each used at most once.
struct Extras<'a> {
    slots: Vec<Option<(&'a str, &'a str)>>,
}

impl<'a> Extras<'a> {
    fn new(extra: &'a [(String, String)]) -> Self {
        let slots = extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.trim()))
            .filter(|(_, v)| !v.is_empty())
            .map(Some)
            .collect();
        Extras { slots }
    }

    /// The first unused field called `name`.
    fn peek(&self, name: &str) -> Option<&'a str> {
        self.slots
            .iter()
            .flatten()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
    }

    /// Uses the first unused field called `name`.
    fn take(&mut self, name: &str) -> Option<String> {
        let slot = self
            .slots
            .iter_mut()
            .find(|s| s.is_some_and(|(k, _)| k == name))?;
        slot.take().map(|(_, v)| v.to_string())
    }

    /// Whether an unused field will go to CSL variable `variable` (see
    /// [`other`]).
    fn claims(&self, variable: &str) -> bool {
        self.slots.iter().flatten().any(|(k, _)| {
            k.strip_prefix("csl_")
                .unwrap_or(k)
                .eq_ignore_ascii_case(variable)
        })
    }

    /// The fields not used, in order.
    fn rest(self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.slots.into_iter().flatten()
    }
}

/// Writes a field that has no fixed place: a `csl_<variable>` (or a field
/// named like a CSL variable) goes back under its variable when that is
/// free; the rest is kept in `custom`.
fn other(out: &mut Item, name: &str, value: &str) {
    let bare = name.strip_prefix("csl_").unwrap_or(name);
    let variable = csl_variable(bare);
    let key = bare.to_lowercase();
    if let Some(variable) = variable.filter(|v| !RESERVED.contains(v) && !out.has(v)) {
        let written = if NAME_VARIABLES.contains(&variable) {
            set_names(out, variable, value)
        } else if DATE_VARIABLES.contains(&variable) {
            let date = match Date::from_iso(value) {
                Some(date) => date_json(date),
                None => obj(&[("literal", value)]),
            };
            out.set(variable, date)
        } else if variable == "categories" {
            let items: Vec<J> = value
                .split(", ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| J::Str(c.to_string()))
                .collect();
            !items.is_empty() && out.set(variable, J::Arr(items))
        } else {
            out.set_text(variable, text_out(variable, value))
        };
        if written {
            return;
        }
    }
    out.keep(&key, J::Str(value.to_string()));
}

/// The CSL variable a lowercase name stands for, in the schema's spelling.
fn csl_variable(name: &str) -> Option<&'static str> {
    NAME_VARIABLES
        .iter()
        .chain(DATE_VARIABLES)
        .chain(TEXT_VARIABLES)
        .chain(&["categories", "id", "type", "citation-key", "custom"])
        .find(|v| v.eq_ignore_ascii_case(name))
        .copied()
}

/// A variable's text as written: normalized like the importer reads it,
/// with page ranges as `12-19`.
fn text_out(variable: &str, value: &str) -> String {
    let text = normalize_text(variable, value);
    if variable == "page" {
        text.replace("--", "-")
    } else {
        text
    }
}

/// Writes names joined with " and " as a CSL name list.
fn set_names(out: &mut Item, variable: &str, names: &str) -> bool {
    let people: Vec<J> = names.split(" and ").filter_map(person).collect();
    !people.is_empty() && out.set(variable, J::Arr(people))
}

fn date_json(date: Date) -> J {
    let mut parts = vec![J::Int(i64::from(date.year))];
    if let Some(month) = date.month {
        parts.push(J::Int(i64::from(month)));
        if let Some(day) = date.day {
            parts.push(J::Int(i64::from(day)));
        }
    }
    J::Obj(vec![("date-parts".into(), J::Arr(vec![J::Arr(parts)]))])
}

/// A person as a CSL name.
fn person(raw: &str) -> Option<J> {
    let name = fold(raw);
    let Some((family, given)) = name.split_once(',') else {
        return (!name.is_empty()).then(|| obj(&[("literal", name.as_str())]));
    };
    let (family, given) = (family.trim(), given.trim());
    if family.is_empty() {
        // ", Given" or ",,": the rest is the name.
        return person(given);
    }
    if given.is_empty() {
        return Some(obj(&[("literal", family)]));
    }
    // BibTeX's "Family, Jr., Given".
    let (given, suffix) = split_given(given);
    let (particle, family) = split_particle(family);
    let mut members = vec![("family", family.as_str())];
    if let Some(particle) = particle.as_deref() {
        members.push(("non-dropping-particle", particle));
    }
    members.push(("given", given.as_str()));
    if let Some(suffix) = suffix {
        members.push(("suffix", suffix));
    }
    Some(obj(&members))
}

/// Splits a suffix off a given name: "Martin Luther Jr.", "Martin Luther,
/// Jr." or BibTeX's "Jr., Martin Luther" (from "King, Jr., Martin Luther").
/// The importer reads the split back as "Martin Luther Jr."; a split that
/// would not come out the same from that is not made.
fn split_given(given: &str) -> (String, Option<&'static str>) {
    let split = |given: &str| {
        let bibtex = given.split_once(',').and_then(|(mid, last)| {
            let suffix = SUFFIXES.iter().find(|s| **s == mid.trim())?;
            let last = last.trim();
            (!last.is_empty()).then(|| (last.to_string(), Some(*suffix)))
        });
        bibtex.unwrap_or_else(|| split_suffix(given))
    };
    let (rest, suffix) = split(given);
    match suffix {
        Some(s) if split(&format!("{rest} {s}")) != (rest.clone(), Some(s)) => {
            (given.to_string(), None)
        }
        _ => (rest, suffix),
    }
}

/// Splits a trailing `Jr.`-style suffix off a given name.
fn split_suffix(given: &str) -> (String, Option<&'static str>) {
    if let Some((rest, last)) = given.rsplit_once(' ')
        && let Some(last) = SUFFIXES.iter().find(|s| **s == last).copied()
    {
        let rest = rest.trim_end_matches(',').trim_end();
        if !rest.is_empty() {
            return (rest.to_string(), Some(last));
        }
    }
    (given.to_string(), None)
}

/// Splits leading lowercase particles ("van der", "de la") off a family
/// name that has more words after them.
fn split_particle(family: &str) -> (Option<String>, String) {
    let words: Vec<&str> = family.split(' ').collect();
    let is_particle = |w: &&&str| {
        w.chars().any(char::is_alphabetic)
            && w.chars()
                .all(|c| c.is_lowercase() || c == '\'' || c == '\u{2019}')
    };
    let count = words.iter().take_while(is_particle).count();
    if count == 0 || count == words.len() {
        return (None, family.to_string());
    }
    (Some(words[..count].join(" ")), words[count..].join(" "))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::import::csl;
    use crate::model::NewPaper;
    use serde_json::Value;

    fn entry_of(p: &NewPaper) -> CslEntry {
        CslEntry {
            citekey: p.citekey.clone().unwrap_or_default(),
            aliases: Vec::new(),
            entry_type: p.entry_type.clone(),
            title: p.title.clone(),
            authors: p.authors.clone(),
            year: p.year,
            doi: p.doi.clone(),
            arxiv: p.arxiv.clone(),
            urls: p.links.iter().map(|l| l.url.clone()).collect(),
            venue: p.venue.clone(),
            abstract_text: p.abstract_text.clone(),
            tags: p.tags.clone(),
            note: p.note.clone(),
            extra: p.extra.clone(),
        }
    }

    /// Renders, reads back, renders again; both renderings must be equal and
    /// schema-valid. Returns the papers read back.
    fn round_trip(entries: &[CslEntry]) -> Vec<NewPaper> {
        let first = render(entries);
        check_schema(&first);
        let parsed = csl::parse(&first, "r.json");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let again: Vec<CslEntry> = parsed.papers.iter().map(entry_of).collect();
        let second = render(&again);
        assert_eq!(first, second);
        parsed.papers
    }

    /// Checks the rules of the CSL-JSON schema (`csl-data.json`): required
    /// `id` and `type`, no unknown properties, and the shape of each kind of
    /// variable.
    fn check_schema(text: &str) {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("not JSON: {e}\n{text}"),
        };
        let Value::Array(items) = value else {
            panic!("not an array: {text}");
        };
        let strings = |v: &Value, allowed: &[&str]| match v {
            Value::Object(m) => m.iter().all(|(k, v)| {
                allowed.contains(&k.as_str()) && (v.is_string() || v.is_number() || v.is_boolean())
            }),
            _ => false,
        };
        for item in items {
            let Value::Object(map) = &item else {
                panic!("item is not an object: {item}");
            };
            assert!(
                map.get("id")
                    .is_some_and(|v| v.is_string() || v.is_number()),
                "{item}"
            );
            let ty = map.get("type").and_then(Value::as_str).unwrap_or("");
            assert!(CSL_TYPES.contains(&ty), "bad type in {item}");
            for (key, value) in map {
                let k = key.as_str();
                let ok = if NAME_VARIABLES.contains(&k) {
                    value.as_array().is_some_and(|names| {
                        names.iter().all(|n| {
                            strings(
                                n,
                                &[
                                    "family",
                                    "given",
                                    "dropping-particle",
                                    "non-dropping-particle",
                                    "suffix",
                                    "comma-suffix",
                                    "static-ordering",
                                    "literal",
                                    "parse-names",
                                ],
                            )
                        })
                    })
                } else if DATE_VARIABLES.contains(&k) {
                    let parts_ok = value.get("date-parts").is_none_or(|p| {
                        p.as_array().is_some_and(|ranges| {
                            (1..=2).contains(&ranges.len())
                                && ranges.iter().all(|r| {
                                    r.as_array().is_some_and(|r| {
                                        (1..=3).contains(&r.len())
                                            && r.iter().all(|x| x.is_number() || x.is_string())
                                    })
                                })
                        })
                    });
                    let rest = value.as_object().is_some_and(|m| {
                        m.keys().all(|k| {
                            ["date-parts", "season", "circa", "literal", "raw"]
                                .contains(&k.as_str())
                        })
                    });
                    parts_ok && rest
                } else if k == "categories" {
                    value
                        .as_array()
                        .is_some_and(|c| c.iter().all(Value::is_string))
                } else if k == "custom" {
                    value.is_object()
                } else if ["id", "citation-key", "type"].contains(&k) {
                    true
                } else {
                    TEXT_VARIABLES.contains(&k) && (value.is_string() || value.is_number())
                };
                assert!(ok, "`{k}` breaks the schema: {value}");
            }
        }
    }

    fn entry() -> CslEntry {
        CslEntry {
            citekey: "maaten2008".into(),
            aliases: Vec::new(),
            entry_type: Some("article".into()),
            title: "Visualizing Data using t-SNE".into(),
            authors: vec![
                "van der Maaten, Laurens".into(),
                "Hinton, Geoffrey".into(),
                "World Health Organization".into(),
                "King, Jr., Martin Luther".into(),
                "Müller, Jürgen, III".into(),
                "de la Fontaine, Jean".into(),
                "Ørsted, Hans Christian".into(),
                "毛, 泽东".into(),
            ],
            year: Some(2008),
            doi: Some("https://doi.org/10.5555/abc".into()),
            arxiv: None,
            urls: vec![
                "https://jmlr.org/papers/v9/".into(),
                "https://github.com/lvdmaaten/bhtsne".into(),
            ],
            venue: Some("Journal of Machine Learning Research".into()),
            abstract_text: "First paragraph.\n\nSecond one.".into(),
            tags: vec!["dimensionality-reduction".into(), "Visualization".into()],
            note: Some("Read twice.\nSee fig. 2.".into()),
            extra: [
                ("month", "11"),
                ("day", "3"),
                ("volume", "9"),
                ("number", "86"),
                ("pages", "2579--2605"),
                ("publisher", "JMLR"),
                ("address", "Cambridge, MA"),
                ("issn", "1532-4435"),
                ("editor", "Doe, Jane and Acme Labs"),
                ("urldate", "2024-01-05"),
                ("file", "papers/maaten.pdf"),
                ("csl_title-short", "t-SNE"),
                ("csl_translator", "Roe, R."),
                ("csl_original-date", "1999-02"),
                ("csl_event-date", "Spring 1999"),
                ("csl_pmid", "123"),
                ("ris_c3", "Proceedings"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .to_vec(),
        }
    }

    #[test]
    fn renders_an_article() {
        let text = render(&[entry()]);
        check_schema(&text);
        let value: Value = serde_json::from_str(&text).unwrap_or_default();
        let item = &value[0];
        assert_eq!(item["id"], "maaten2008");
        assert_eq!(item["citation-key"], "maaten2008");
        assert_eq!(item["type"], "article-journal");
        assert_eq!(
            item["author"][0],
            serde_json::json!({"family": "Maaten", "non-dropping-particle": "van der", "given": "Laurens"})
        );
        assert_eq!(
            item["author"][2],
            serde_json::json!({"literal": "World Health Organization"})
        );
        assert_eq!(
            item["author"][3],
            serde_json::json!({"family": "King", "given": "Martin Luther", "suffix": "Jr."})
        );
        assert_eq!(
            item["author"][4],
            serde_json::json!({"family": "Müller", "given": "Jürgen", "suffix": "III"})
        );
        assert_eq!(
            item["editor"][1],
            serde_json::json!({"literal": "Acme Labs"})
        );
        assert_eq!(
            item["issued"],
            serde_json::json!({"date-parts": [[2008, 11, 3]]})
        );
        assert_eq!(
            item["accessed"],
            serde_json::json!({"date-parts": [[2024, 1, 5]]})
        );
        assert_eq!(item["page"], "2579-2605");
        assert_eq!(item["issue"], "86");
        assert_eq!(item["publisher-place"], "Cambridge, MA");
        assert_eq!(item["DOI"], "10.5555/abc");
        assert_eq!(item["URL"], "https://jmlr.org/papers/v9/");
        assert_eq!(item["keyword"], "dimensionality-reduction, visualization");
        assert_eq!(item["title-short"], "t-SNE");
        assert_eq!(item["PMID"], "123");
        assert_eq!(
            item["original-date"],
            serde_json::json!({"date-parts": [[1999, 2]]})
        );
        assert_eq!(
            item["event-date"],
            serde_json::json!({"literal": "Spring 1999"})
        );
        assert_eq!(
            item["custom"],
            serde_json::json!({
                "urls": ["https://github.com/lvdmaaten/bhtsne"],
                "file": "papers/maaten.pdf",
                "ris_c3": "Proceedings"
            })
        );
        // Keys come in a fixed order.
        let keys: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("    \""))
            .filter_map(|l| l.split('"').next())
            .collect();
        assert_eq!(
            &keys[..5],
            ["id", "citation-key", "type", "title", "author"]
        );
        assert_eq!(keys.last().copied(), Some("custom"));
    }

    #[test]
    fn round_trips_tricky_entries() {
        let papers = round_trip(&[entry()]);
        let p = &papers[0];
        assert_eq!(
            p.authors,
            [
                "van der Maaten, Laurens",
                "Hinton, Geoffrey",
                "World Health Organization",
                "King, Martin Luther Jr.",
                "Müller, Jürgen III",
                "de la Fontaine, Jean",
                "Ørsted, Hans Christian",
                "毛, 泽东",
            ]
        );
        assert_eq!(p.year, Some(2008));
        assert_eq!(p.doi.as_deref(), Some("10.5555/abc"));
        assert_eq!(p.links.len(), 2);
        assert_eq!(p.tags, ["dimensionality-reduction", "visualization"]);
        assert_eq!(p.note.as_deref(), Some("Read twice.\nSee fig. 2."));
        let get = |name: &str| {
            p.extra
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("pages"), Some("2579--2605"));
        assert_eq!(get("month"), Some("11"));
        assert_eq!(get("editor"), Some("Doe, Jane and Acme Labs"));
        assert_eq!(get("csl_file"), Some("papers/maaten.pdf"));
    }

    #[test]
    fn preprints_and_other_types() {
        let preprint = CslEntry {
            citekey: "touvron2023".into(),
            aliases: Vec::new(),
            title: "LLaMA".into(),
            arxiv: Some("arXiv:2302.13971v1".into()),
            urls: vec!["https://arxiv.org/abs/2302.13971".into()],
            ..CslEntry::default()
        };
        let text = render(std::slice::from_ref(&preprint));
        let value: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(value[0]["type"], "article");
        assert_eq!(value[0]["number"], "arXiv:2302.13971");
        assert_eq!(value[0]["publisher"], "arXiv");
        let papers = round_trip(&[preprint]);
        assert_eq!(papers[0].arxiv.as_deref(), Some("2302.13971"));

        let cases = [
            ("inproceedings", "paper-conference"),
            ("incollection", "chapter"),
            ("book", "book"),
            ("phdthesis", "thesis"),
            ("mastersthesis", "thesis"),
            ("techreport", "report"),
            ("online", "webpage"),
            ("misc", "article"),
            ("unpublished", "article"),
        ];
        for (bibtex, csl) in cases {
            let e = CslEntry {
                citekey: format!("k-{bibtex}"),
                aliases: Vec::new(),
                entry_type: Some(bibtex.into()),
                arxiv: Some("hep-th/9901001".into()),
                extra: vec![
                    ("number".into(), "TR-7".into()),
                    ("school".into(), "MIT".into()),
                ],
                ..CslEntry::default()
            };
            let text = render(std::slice::from_ref(&e));
            let value: Value = serde_json::from_str(&text).unwrap_or_default();
            assert_eq!(value[0]["type"], csl, "{bibtex}");
            if csl == "article" {
                assert_eq!(value[0]["number"], "arXiv:hep-th/9901001", "{bibtex}");
            } else {
                assert_eq!(value[0]["custom"]["arxiv"], "hep-th/9901001", "{bibtex}");
            }
            assert_eq!(value[0]["publisher"], "MIT", "{bibtex}");
            let number_key = if csl == "report" { "number" } else { "issue" };
            assert_eq!(value[0][number_key], "TR-7", "{bibtex}");
            let papers = round_trip(&[e]);
            assert_eq!(
                papers[0].arxiv.as_deref(),
                Some("hep-th/9901001"),
                "{bibtex}"
            );
        }
        let plain = render(&[CslEntry {
            entry_type: Some("unpublished".into()),
            ..CslEntry::default()
        }]);
        assert!(plain.contains("\"type\": \"document\""), "{plain}");
        let thesis = render(&[CslEntry {
            entry_type: Some("mastersthesis".into()),
            ..CslEntry::default()
        }]);
        let papers = csl::parse(&thesis, "t.json").papers;
        assert_eq!(papers[0].entry_type.as_deref(), Some("mastersthesis"));
    }

    #[test]
    fn csl_types_and_fields_come_back() {
        let parsed = csl::parse(
            r#"[{"id": "d1", "type": "dataset", "title": "Data", "version": "2.0",
                 "issued": {"literal": "n.d."}, "custom": {"Shelf": "B2"},
                 "accessed": {"literal": "last week"}, "categories": ["ml", "nlp"],
                 "number": "42", "DOI": "not-a-doi", "URL": "ftp://example.org/x"}]"#,
            "in.json",
        );
        let entries: Vec<CslEntry> = parsed.papers.iter().map(entry_of).collect();
        let text = render(&entries);
        let value: Value = serde_json::from_str(&text).unwrap_or_default();
        let item = &value[0];
        assert_eq!(item["type"], "dataset");
        assert_eq!(item["version"], "2.0");
        assert_eq!(item["issued"], serde_json::json!({"literal": "n.d."}));
        assert_eq!(
            item["accessed"],
            serde_json::json!({"literal": "last week"})
        );
        assert_eq!(item["categories"], serde_json::json!(["ml", "nlp"]));
        assert_eq!(item["number"], "42");
        assert_eq!(item["DOI"], "not-a-doi");
        assert_eq!(item["URL"], "ftp://example.org/x");
        assert_eq!(item["custom"], serde_json::json!({"shelf": "B2"}));
        round_trip(&entries);
    }

    #[test]
    fn fixtures_round_trip() {
        for text in [
            include_str!("../../tests/fixtures/formats/csl-zotero.json"),
            include_str!("../../tests/fixtures/formats/csl-quirks.json"),
        ] {
            let papers = csl::parse(text, "f.json").papers;
            let entries: Vec<CslEntry> = papers.iter().map(entry_of).collect();
            round_trip(&entries);
        }
        let ris = crate::import::ris::parse(
            include_str!("../../tests/fixtures/formats/ris-zotero.ris"),
            "f.ris",
        );
        let entries: Vec<CslEntry> = ris.papers.iter().map(entry_of).collect();
        round_trip(&entries);
    }

    #[test]
    fn empty_and_odd_entries_stay_valid() {
        assert_eq!(render(&[]), "[]\n");
        let odd = CslEntry {
            citekey: String::new(),
            aliases: Vec::new(),
            entry_type: Some(" ".into()),
            title: " \n ".into(),
            authors: vec![
                ", ".into(),
                ",Solo".into(),
                "Trailing,".into(),
                "a, b, c, d".into(),
            ],
            year: Some(-44),
            doi: Some("doi:".into()),
            arxiv: Some("not an id".into()),
            urls: vec![
                "https://doi.org/10.1/x".into(),
                "file:///C:/papers/a b.pdf".into(),
            ],
            tags: vec!["#".into(), "a,b".into(), "A;B".into(), "  ".into()],
            note: Some("   ".into()),
            extra: vec![
                ("month".into(), "Sept".into()),
                ("day".into(), "40".into()),
                ("csl_type".into(), "nonsense".into()),
                ("csl_id".into(), "http://zotero.org/x".into()),
                ("csl_custom".into(), "{}".into()),
                ("Weird Name".into(), "v".into()),
                ("csl_".into(), "empty name".into()),
                ("pages".into(), "12 – 19".into()),
            ],
            ..CslEntry::default()
        };
        round_trip(&[odd]);
    }

    const ENTRY_TYPES: &[&str] = &[
        "article",
        "inproceedings",
        "book",
        "incollection",
        "phdthesis",
        "mastersthesis",
        "techreport",
        "online",
        "misc",
        "unpublished",
        "software",
        " ",
    ];
    const NAME_PIECES: &[&str] = &["van der ", "de ", "Jr.", "III", ",", " ", "Smith", "Ann"];
    const DOIS: &[&str] = &[
        "10.1/x",
        "https://doi.org/10.2/y",
        "doi:",
        "10.48550/arXiv.2101.00001",
    ];
    const ARXIV_IDS: &[&str] = &["2101.00001", "arXiv:2101.00002v3", "hep-th/9901001"];
    const URLS: &[&str] = &[
        "https://arxiv.org/abs/2101.00003",
        "https://doi.org/10.3/z",
        "https://github.com/a/b",
        "ftp://h/f",
        "file:///a b",
    ];
    /// BibTeX names, `csl_` names the importer writes, and odd ones.
    const FIELD_NAMES: &[&str] = &[
        "volume",
        "number",
        "pages",
        "publisher",
        "address",
        "isbn",
        "issn",
        "language",
        "edition",
        "series",
        "school",
        "editor",
        "month",
        "day",
        "urldate",
        "url",
        "file",
        "csl_type",
        "csl_genre",
        "csl_number",
        "csl_publisher",
        "csl_doi",
        "csl_url",
        "csl_title",
        "csl_issued",
        "csl_accessed",
        "csl_translator",
        "csl_original-date",
        "csl_categories",
        "csl_custom",
        "csl_id",
        "csl_keyword",
        "csl_note",
        "csl_abstract",
        "csl_container-title",
        "csl_page",
        "csl_volume",
        "csl_PMID",
        "csl_x",
        "ris_xy",
        "Other",
    ];
    const FIELD_VALUES: &[&str] = &[
        "dataset",
        "article",
        "report",
        "thesis",
        "Master",
        "jun",
        "12",
        "2020-01-02",
        "Doe, J and Roe, R",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::default())]

        #[test]
        fn arbitrary_text_round_trips(
            title in "\\PC{0,40}|[ \\n\\t\\r\"\\\\\u{2028}\u{a0}a-z]{0,20}",
            abstract_text in "\\PC{0,60}|[ \\n\\r\\ta-z.]{0,40}",
            note in prop::option::of("\\PC{0,40}|[ \\n\\r\\t\"a-z]{0,20}"),
            author in "\\PC{0,20}|[ ,a-zA-Z.]{0,20}",
            year in prop::option::of(-3000i32..3000),
        ) {
            let e = CslEntry {
                citekey: "k".into(),
                aliases: Vec::new(),
                title: title.clone(),
                abstract_text: abstract_text.clone(),
                note: note.clone(),
                authors: vec![author],
                year,
                ..CslEntry::default()
            };
            let text = render(std::slice::from_ref(&e));
            prop_assert!(serde_json::from_str::<Value>(&text).is_ok());
            let papers = round_trip(&[e]);
            prop_assert_eq!(papers.len(), 1);
            let p = &papers[0];
            prop_assert_eq!(&p.title, &fold(&title));
            prop_assert_eq!(&p.abstract_text, &paragraphs(&abstract_text));
            let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
            prop_assert_eq!(&p.note, &note);
            prop_assert_eq!(p.year, year);
        }

        #[test]
        fn arbitrary_entries_round_trip(
            entry_type in prop::option::of(prop::sample::select(ENTRY_TYPES).prop_map(String::from)),
            authors in prop::collection::vec(
                prop_oneof![
                    "\\PC{0,12}",
                    "[ ,a-zA-Z.]{0,16}",
                    prop::collection::vec(prop::sample::select(NAME_PIECES), 0..6).prop_map(|p| p.concat()),
                ],
                0..4,
            ),
            doi in prop::option::of(prop_oneof![
                prop::sample::select(DOIS).prop_map(String::from),
                "\\PC{0,6}",
            ]),
            arxiv in prop::option::of(prop_oneof![
                prop::sample::select(ARXIV_IDS).prop_map(String::from),
                "\\PC{0,6}",
            ]),
            urls in prop::collection::vec(
                prop_oneof![prop::sample::select(URLS).prop_map(String::from), "\\PC{0,8}"],
                0..4,
            ),
            tags in prop::collection::vec(prop_oneof!["\\PC{0,8}", "[a-z ,;#]{0,8}"], 0..4),
            extra in prop::collection::vec(
                (
                    prop::sample::select(FIELD_NAMES).prop_map(String::from),
                    prop_oneof![
                        prop::sample::select(FIELD_VALUES).prop_map(String::from),
                        "\\PC{0,10}",
                        "[0-9 -]{0,8}",
                    ],
                ),
                0..6,
            ),
        ) {
            let e = CslEntry {
                citekey: "k".into(),
                aliases: Vec::new(),
                entry_type,
                title: "T".into(),
                authors,
                year: Some(2020),
                doi,
                arxiv,
                urls,
                venue: None,
                abstract_text: String::new(),
                tags,
                note: None,
                extra,
            };
            round_trip(&[e]);
        }
    }
}
