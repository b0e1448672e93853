//! Building a paper from an entry's converted fields: venue, identifiers,
//! text, people, dates, and every other field kept in `extra` in source
//! order.

use std::collections::HashSet;

use biblatex::{ChunksExt, Person};

use super::entry::{RawField, RawRecord, is_person_field, is_raw_only};
use super::latex::{Converted, PARA, braces_balanced, has_math, has_protective_braces, unescape};
use crate::import::dates::{month_number, parse_iso_exact};
use crate::import::fields::{add_tag, tag_word};
use crate::import::ids::{
    arxiv_from_doi, arxiv_from_eprint, arxiv_from_url, arxiv_id, bare_doi, strip_prefix_ci,
};
use crate::model::{Link, LinkKind, NewPaper};
use crate::text::fold_whitespace as fold;

/// Folds whitespace but keeps the paragraph breaks marked by [`PARA`].
fn fold_paragraphs(s: &str) -> String {
    s.split(PARA)
        .map(fold)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// "Family, Given", "Family, Suffix, Given", or the name alone.
fn format_person(p: &Person) -> String {
    let family = fold(&format!("{} {}", p.prefix, p.name));
    let given = fold(&p.given_name);
    let suffix = fold(&p.suffix);
    match (given.is_empty(), suffix.is_empty()) {
        (true, true) => family,
        (false, true) => format!("{family}, {given}"),
        (true, false) => format!("{family}, {suffix}"),
        (false, false) => format!("{family}, {suffix}, {given}"),
    }
}

fn people(chunks: &biblatex::Chunks) -> Vec<String> {
    chunks
        .parse::<Vec<Person>>()
        .unwrap_or_default()
        .iter()
        .map(format_person)
        .filter(|n| !n.is_empty())
        .collect()
}

/// A year from `2020`, `{2020}`, `2020a`, `c2020`: the first run of 1–4
/// digits; whether that was the whole value.
fn parse_year(s: &str) -> Option<(i32, bool)> {
    let t = s.trim();
    if let Ok(y) = t.parse::<i32>() {
        return Some((y, true));
    }
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let digits: String = t[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() > 4 || digits.len() < 3 {
        return None;
    }
    Some((digits.parse().ok()?, false))
}

/// The arXiv id in text like "arXiv preprint arXiv:2303.16727".
fn arxiv_in_text(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("arxiv:")?;
    let rest = &text[at + "arxiv:".len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-')))
        .unwrap_or(rest.len());
    arxiv_id(rest[..end].trim_end_matches('.'))
}

/// A `howpublished` that is only a URL.
fn url_only(text: &str) -> Option<&str> {
    let t = text.trim();
    let is_url = (strip_prefix_ci(t, "https://").is_some()
        || strip_prefix_ci(t, "http://").is_some())
        && !t.contains(char::is_whitespace);
    is_url.then_some(t)
}

/// Which fields give the venue, by preference, for an entry type.
fn venue_fields(kind: &str) -> [&'static str; 4] {
    match kind {
        "inproceedings" | "conference" | "incollection" | "inbook" | "bookinbook"
        | "inreference" | "suppbook" | "suppcollection" => {
            ["booktitle", "journal", "journaltitle", "howpublished"]
        }
        "article" | "periodical" | "suppperiodical" => {
            ["journal", "journaltitle", "booktitle", "howpublished"]
        }
        _ => ["howpublished", "journal", "journaltitle", "booktitle"],
    }
}

fn push_link(links: &mut Vec<Link>, url: &str) {
    if !links.iter().any(|l| l.url == url) {
        links.push(Link {
            url: url.to_string(),
            kind: LinkKind::classify(url),
        });
    }
}

/// Builds the paper of an entry from its raw fields and their converted
/// text.
pub(super) fn build_paper(record: &RawRecord<'_>, conv: &Converted) -> NewPaper {
    let mut b = Builder {
        record,
        conv,
        paper: NewPaper {
            entry_type: (!record.kind.is_empty()).then(|| record.kind.clone()),
            citekey: (!record.key.is_empty()).then(|| record.key.clone()),
            ..NewPaper::default()
        },
        consumed: HashSet::new(),
    };
    b.venue();
    b.identifiers();
    b.texts();
    let mut date_parts = b.dates();
    b.rest(&mut date_parts);
    b.paper.extra.append(&mut date_parts);
    b.paper
}

/// One entry on its way to a paper.
struct Builder<'e, 'r> {
    record: &'e RawRecord<'r>,
    conv: &'e Converted,
    paper: NewPaper,
    /// Fields already taken into the paper, left out of `extra`.
    consumed: HashSet<&'static str>,
}

impl Builder<'_, '_> {
    /// A field's converted text, whitespace folded.
    fn text(&self, name: &str) -> Option<String> {
        self.conv.get(name).map(|c| fold(&c.format_verbatim()))
    }

    /// A field as written (macros expanded).
    fn raw(&self, name: &str) -> Option<String> {
        self.record
            .fields
            .iter()
            .find(|f| f.name == name)
            .map(RawField::raw)
    }

    fn has(&self, name: &str) -> bool {
        self.record.fields.iter().any(|f| f.name == name)
    }

    /// The venue from the fields the entry type prefers, and a
    /// `howpublished` that is only a URL as a link.
    fn venue(&mut self) {
        let mut venue_from = None;
        for name in venue_fields(&self.record.kind) {
            if let Some(v) = self.text(name).filter(|v| !v.is_empty()) {
                if name == "howpublished" && url_only(&v).is_some() {
                    continue;
                }
                self.paper.venue = Some(v);
                venue_from = Some(name);
                break;
            }
        }
        if let Some(name) = venue_from {
            self.consumed.insert(name);
        }
        if let Some(v) = self.text("howpublished")
            && let Some(url) = url_only(&v)
        {
            push_link(&mut self.paper.links, url);
            self.consumed.insert("howpublished");
        }
    }

    /// DOI and arXiv id from `doi`, `eprint`, the URLs, and the venue.
    fn identifiers(&mut self) {
        if let Some(raw) = self.raw("doi")
            && let Some(doi) = bare_doi(&unescape(&raw))
        {
            self.paper.doi = Some(doi);
            self.consumed.insert("doi");
        }
        self.eprint();
        if let Some(raw) = self.raw("url") {
            for url in unescape(&raw).split_whitespace() {
                self.url(url);
            }
            self.consumed.insert("url");
        }
        let p = &mut self.paper;
        if p.arxiv.is_none() {
            p.arxiv = p
                .doi
                .as_deref()
                .and_then(arxiv_from_doi)
                .or_else(|| p.venue.as_deref().and_then(arxiv_in_text));
        }
    }

    /// The arXiv id of `eprint`, unless `archiveprefix` / `eprinttype`
    /// names another archive.
    fn eprint(&mut self) {
        let Some(raw) = self.raw("eprint") else {
            return;
        };
        let prefix_field = ["archiveprefix", "eprinttype"]
            .into_iter()
            .find_map(|n| self.text(n).map(|v| (n, v)));
        let says_arxiv = prefix_field
            .as_ref()
            .map(|(_, v)| v.eq_ignore_ascii_case("arxiv"));
        if says_arxiv == Some(false) {
            return;
        }
        let Some(id) = arxiv_from_eprint(&unescape(&raw)) else {
            return;
        };
        self.paper.arxiv = Some(id);
        self.consumed.insert("eprint");
        if let Some((name, _)) = prefix_field {
            self.consumed.insert(name);
            self.consumed.insert(if name == "archiveprefix" {
                "eprinttype"
            } else {
                "archiveprefix"
            });
        }
    }

    /// One URL of `url`: a DOI URL sets the DOI, others become links (an
    /// arXiv one also sets the arXiv id).
    fn url(&mut self, url: &str) {
        let p = &mut self.paper;
        if let Some(doi) = bare_doi(url)
            && !url.starts_with("10.")
        {
            match &p.doi {
                None => {
                    p.doi = Some(doi);
                    return;
                }
                Some(d) if d.eq_ignore_ascii_case(&doi) => return,
                Some(_) => {}
            }
        }
        if p.arxiv.is_none() {
            p.arxiv = arxiv_from_url(url);
        }
        push_link(&mut p.links, url);
    }

    /// Title, authors, abstract, notes and keywords.
    fn texts(&mut self) {
        let conv = self.conv;
        if let Some(t) = self.text("title") {
            self.paper.title = t;
        }
        if let Some(chunks) = conv.get("author") {
            self.paper.authors = people(chunks);
        }
        if let Some(c) = conv.get("abstract") {
            self.paper.abstract_text = fold_paragraphs(&c.format_verbatim());
        }
        let notes: Vec<String> = ["note", "annote", "annotation"]
            .iter()
            .filter_map(|n| conv.get(*n))
            .map(|c| fold_paragraphs(&c.format_verbatim()))
            .filter(|n| !n.is_empty())
            .collect();
        if !notes.is_empty() {
            self.paper.note = Some(notes.join("\n\n"));
        }
        if let Some(k) = self.text("keywords") {
            for tag in k.split([',', ';']) {
                add_tag(&mut self.paper.tags, tag_word(tag));
            }
        }
        self.consumed.extend([
            "title",
            "author",
            "abstract",
            "note",
            "annote",
            "annotation",
            "keywords",
        ]);
    }

    /// The year from `year`, else from a BibLaTeX `date`, whose month and
    /// day are returned for `extra` (unless `month` / `day` are given).
    fn dates(&mut self) -> Vec<(String, String)> {
        let mut date_parts = Vec::new();
        if let Some(y) = self.text("year") {
            if let Some((year, whole)) = parse_year(&y) {
                self.paper.year = Some(year);
                if whole {
                    self.consumed.insert("year");
                }
            }
        } else if let Some(d) = self.text("date")
            && let Some((date, whole)) = parse_iso_exact(&d)
        {
            self.paper.year = Some(date.year);
            if whole {
                self.consumed.insert("date");
            }
            if let Some(m) = date.month.filter(|_| !self.has("month")) {
                date_parts.push(("month".into(), m.to_string()));
            }
            if let Some(d) = date.day.filter(|_| !self.has("day")) {
                date_parts.push(("day".into(), d.to_string()));
            }
        }
        date_parts
    }

    /// Every field not consumed goes to `extra`, in source order; the month
    /// and day of a consumed `date` stand where it stood.
    fn rest(&mut self, date_parts: &mut Vec<(String, String)>) {
        for field in &self.record.fields {
            let name = field.name.as_str();
            if name == "title" {
                let raw = fold(&field.raw());
                if (has_protective_braces(&raw) || has_math(&raw)) && braces_balanced(&raw) {
                    self.paper.extra.push(("title_raw".into(), raw));
                }
                continue;
            }
            if name == "date" && self.consumed.contains("date") {
                self.paper.extra.append(date_parts);
                continue;
            }
            if self.consumed.contains(name) {
                continue;
            }
            let Some(value) = self.extra_value(field) else {
                continue;
            };
            if !value.is_empty() {
                self.paper.extra.push((name.to_string(), value));
            }
        }
    }

    /// How a field is kept in `extra`: verbatim fields as written, people
    /// as "Family, Given" joined with " and ", the rest as text.
    fn extra_value(&self, field: &RawField<'_>) -> Option<String> {
        let name = field.name.as_str();
        if is_raw_only(name) {
            let raw = field.raw();
            return Some(match name {
                "url" | "doi" | "eprint" | "urlraw" | "uri" => fold(&unescape(&raw)),
                _ => raw.trim().to_string(),
            });
        }
        if is_person_field(name) {
            return Some(
                self.conv
                    .get(name)
                    .map(|c| people(c).join(" and "))
                    .unwrap_or_default(),
            );
        }
        let v = self.text(name)?;
        Some(match name {
            "pages" => v.replace('—', "---").replace('–', "--"),
            "month" => month_number(&v).map_or(v, |m| m.to_string()),
            _ => v,
        })
    }
}
