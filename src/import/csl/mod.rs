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
//!
//! The work is split by what it reads: `document` reads the JSON into
//! items with their members in order and finds the line each item starts
//! on, `item` turns one item into a paper, `values` reads CSL values
//! (scalars, names, dates), and `mapping` holds CSL's vocabulary and its
//! BibTeX counterparts. DOIs, arXiv ids, dates and tags are read by the
//! importers' shared helpers ([`super::ids`], `dates`, `fields`).

mod document;
mod item;
mod mapping;
#[cfg(test)]
mod tests;
mod values;

use super::Parsed;
use crate::model::Problem;
pub(crate) use document::item_lines;
use document::{Item, Top, first_line};
use item::item_paper;
pub(crate) use mapping::{
    DATE_VARIABLES, NAME_VARIABLES, TEXT_VARIABLES, bibtex_type, csl_type_for, normalize_text,
};

/// How much of the text [`looks_like`] examines, in bytes.
const SNIFF_BYTES: usize = 4096;

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
