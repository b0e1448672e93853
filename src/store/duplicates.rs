//! Which stored paper an imported record is the same work as, if any.
//!
//! Two records are one work when they share a DOI or an arXiv id, or when
//! their normalized titles match **and nothing contradicts it**:
//!
//! - different first authors (when both name one);
//! - different years, except a preprint and its publication up to two
//!   years apart;
//! - different volumes, issues or pages (when both give them);
//! - different venues or kinds of work (article vs. proceedings paper vs.
//!   book vs. thesis), unless one of them is a preprint;
//! - different entry keys in the same file: one file's entries are never
//!   taken for each other without a DOI or arXiv id saying so.
//!
//! A record read before (the same key, or the same file for records
//! without keys) is matched to what it became; otherwise a title match
//! needs exactly one stored paper that nothing contradicts. When in doubt
//! both are kept and the person can merge them (`lectern merge`). Small imports ask SQLite ([`find_duplicate`]); large ones load
//! every paper's fingerprint into a [`DedupIndex`].

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::papers::{first_author_key, normalize_doi};
use crate::error::Result;
use crate::model::NewPaper;

/// Why an imported record was taken for a stored paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Doi,
    Arxiv,
    /// Same normalized title; the strings name what else agreed.
    Title(Vec<&'static str>),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Doi => f.write_str("same DOI"),
            Reason::Arxiv => f.write_str("same arXiv id"),
            Reason::Title(also) if also.is_empty() => f.write_str("same title"),
            Reason::Title(also) => write!(f, "same title, {}", also.join(", ")),
        }
    }
}

/// What a stored paper or an imported record says about which work it is,
/// besides its title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fingerprint {
    pub author: Option<String>,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub kind: Option<String>,
    pub volume: Option<String>,
    pub number: Option<String>,
    pub pages: Option<String>,
    /// The file the record came from (its `source` without `:line`).
    pub file: Option<String>,
    /// Keys the record goes by: the entry key (stored: citekey and aliases).
    pub keys: Vec<String>,
    pub preprint: bool,
}

/// Letters and digits only, lowercase: how venues, volumes and pages compare.
fn squash(s: &str) -> Option<String> {
    let out: String = s
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    (!out.is_empty()).then_some(out)
}

/// `12--34`, `12-34`, `12–34` → `12-34`; `e123` stays.
fn pages_key(s: &str) -> Option<String> {
    let parts: Vec<String> = s.split(['-', '–', '—', ',']).filter_map(squash).collect();
    (!parts.is_empty()).then(|| parts.join("-"))
}

/// The file part of a `file:line` source.
fn source_file(source: &str) -> Option<String> {
    let file = match source.rsplit_once(':') {
        Some((file, line)) if line.chars().all(|c| c.is_ascii_digit()) => file,
        _ => source,
    };
    (!file.is_empty()).then(|| file.to_string())
}

const PREPRINT_KINDS: &[&str] = &[
    "misc",
    "unpublished",
    "online",
    "preprint",
    "techreport",
    "report",
    "electronic",
    "www",
];
const PREPRINT_VENUES: &[&str] = &["arxiv", "corr", "biorxiv", "medrxiv", "ssrn", "preprint"];

/// The family of a BibTeX entry type, for telling kinds of work apart.
fn kind_family(kind: &str) -> &str {
    match kind {
        "inproceedings" | "conference" | "paper-conference" => "proceedings-paper",
        "book" | "mvbook" | "booklet" => "book",
        "inbook" | "incollection" | "chapter" | "bookinbook" => "chapter",
        "phdthesis" | "mastersthesis" | "thesis" => "thesis",
        "proceedings" | "mvproceedings" => "proceedings",
        "article" | "article-journal" | "article-magazine" | "article-newspaper" => "article",
        other => other,
    }
}

fn extra<'a>(p: &'a NewPaper, names: &[&str]) -> Option<&'a str> {
    p.extra
        .iter()
        .find(|(n, _)| names.contains(&n.to_ascii_lowercase().as_str()))
        .map(|(_, v)| v.as_str())
}

fn is_preprint(kind: Option<&str>, venue: Option<&str>, arxiv: bool) -> bool {
    arxiv
        || kind.is_some_and(|k| PREPRINT_KINDS.contains(&k))
        || venue.is_some_and(|v| {
            let v = v.to_lowercase();
            PREPRINT_VENUES.iter().any(|p| v.contains(p))
        })
}

impl Fingerprint {
    /// The fingerprint of an imported record.
    pub fn of(p: &NewPaper) -> Fingerprint {
        let kind = p.entry_type.as_deref().map(str::to_ascii_lowercase);
        Fingerprint {
            author: first_author_key(p),
            year: p.year,
            venue: p.venue.as_deref().and_then(squash),
            volume: extra(p, &["volume"]).and_then(squash),
            number: extra(p, &["number", "issue"]).and_then(squash),
            pages: extra(p, &["pages"]).and_then(pages_key),
            file: source_file(&p.source),
            keys: p.citekey.iter().cloned().collect(),
            preprint: is_preprint(kind.as_deref(), p.venue.as_deref(), p.arxiv.is_some()),
            kind,
        }
    }

    /// Whether `self` (imported) and `stored` can be one work; `Some` with
    /// what agreed besides the title.
    pub fn agrees(&self, stored: &Fingerprint) -> Option<Vec<&'static str>> {
        self.compare(stored).ok()
    }

    /// What agreed besides the title, or what contradicts the two being
    /// one work.
    pub fn compare(&self, stored: &Fingerprint) -> Result<Vec<&'static str>, String> {
        let mut also = Vec::new();
        if let (Some(a), Some(b)) = (&self.author, &stored.author) {
            if a != b {
                return Err(format!("first authors differ ({a}, {b})"));
            }
            also.push("first author");
        }
        let either_preprint = self.preprint || stored.preprint;
        if let (Some(a), Some(b)) = (self.year, stored.year) {
            if a == b {
                also.push("year");
            } else if !(either_preprint && (a - b).abs() <= 2) {
                return Err(format!("years differ ({a}, {b})"));
            } else {
                also.push("preprint and publication");
            }
        }
        for (mine, theirs, what) in [
            (&self.volume, &stored.volume, "volume"),
            (&self.number, &stored.number, "issue"),
            (&self.pages, &stored.pages, "pages"),
        ] {
            if let (Some(a), Some(b)) = (mine, theirs) {
                if a != b {
                    return Err(format!("{what} differs ({a}, {b})"));
                }
                also.push(what);
            }
        }
        if !either_preprint {
            if let (Some(a), Some(b)) = (&self.venue, &stored.venue) {
                if a != b {
                    return Err("venues differ".to_string());
                }
                also.push("venue");
            }
            if let (Some(a), Some(b)) = (&self.kind, &stored.kind)
                && kind_family(a) != kind_family(b)
            {
                return Err(format!("kinds of work differ ({a}, {b})"));
            }
        }
        if let (Some(file), Some(other)) = (&self.file, &stored.file)
            && file == other
            && let Some(key) = self.keys.first()
            && !stored.keys.contains(key)
        {
            let name = std::path::Path::new(file)
                .file_name()
                .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
            return Err(format!(
                "two entries of {name} ({key}, {})",
                stored.keys.first().map_or("", String::as_str)
            ));
        }
        Ok(also)
    }
}

impl Fingerprint {
    /// Whether `stored` is this very record seen before: it goes by the
    /// record's key, or the record has no key and came from the same file.
    fn same_record(&self, stored: &Fingerprint) -> bool {
        match self.keys.first() {
            Some(key) => stored.keys.contains(key),
            None => self.file.is_some() && self.file == stored.file,
        }
    }
}

/// The stored paper among `candidates` (same normalized title) that the
/// record is: the one it was imported as before, else the only one nothing
/// contradicts. When several could be it, none is chosen (in doubt, both
/// are kept).
fn pick<'a>(
    mine: &Fingerprint,
    candidates: impl Iterator<Item = (&'a String, &'a Fingerprint)>,
) -> Option<Duplicate> {
    let mut agreeing = Vec::new();
    for (id, stored) in candidates {
        if let Some(also) = mine.agrees(stored) {
            if mine.same_record(stored) {
                return Some(Duplicate {
                    id: id.clone(),
                    reason: Reason::Title(also),
                });
            }
            agreeing.push((id, also));
        }
    }
    match agreeing.len() {
        1 => agreeing.pop().map(|(id, also)| Duplicate {
            id: id.clone(),
            reason: Reason::Title(also),
        }),
        _ => None,
    }
}

/// A stored paper that an imported record is the same work as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub id: String,
    pub reason: Reason,
}

/// The fingerprints of the stored papers with normalized title `norm`.
pub(crate) fn stored_with_title(
    conn: &Connection,
    norm: &str,
) -> Result<Vec<(String, Fingerprint)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, year, venue, entry_type, first_author, source, citekey, arxiv IS NOT NULL
         FROM papers WHERE norm_title = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([norm], |r| {
        let venue: Option<String> = r.get(2)?;
        let kind: Option<String> = r
            .get::<_, Option<String>>(3)?
            .map(|k| k.to_ascii_lowercase());
        let source: String = r.get(5)?;
        let arxiv: bool = r.get(7)?;
        Ok((
            r.get::<_, String>(0)?,
            Fingerprint {
                author: r.get(4)?,
                year: r.get(1)?,
                preprint: is_preprint(kind.as_deref(), venue.as_deref(), arxiv),
                venue: venue.as_deref().and_then(squash),
                kind,
                file: source_file(&source),
                keys: vec![r.get(6)?],
                ..Default::default()
            },
        ))
    })?;
    let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut fields = conn.prepare_cached(
        "SELECT lower(name), value FROM fields WHERE paper_id = ?1
           AND lower(name) IN ('volume', 'number', 'issue', 'pages')",
    )?;
    for (id, fp) in &mut out {
        for row in fields.query_map([&*id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })? {
            let (name, value) = row?;
            set_field(fp, &name, &value);
        }
        fp.keys.extend(super::aliases::for_paper(conn, id)?);
    }
    Ok(out)
}

fn set_field(fp: &mut Fingerprint, name: &str, value: &str) {
    match name {
        "volume" => fp.volume = squash(value),
        "number" | "issue" => fp.number = fp.number.take().or_else(|| squash(value)),
        "pages" => fp.pages = pages_key(value),
        _ => {}
    }
}

/// Finds the stored paper that is the same work as `p` (see the module
/// documentation), asking SQLite.
pub fn find_duplicate(conn: &Connection, p: &NewPaper) -> Result<Option<Duplicate>> {
    if let Some(doi) = &p.doi {
        let found: Option<String> = conn
            .prepare_cached("SELECT id FROM papers WHERE doi = ?1")?
            .query_row([normalize_doi(doi)], |r| r.get(0))
            .optional()?;
        if let Some(id) = found {
            return Ok(Some(Duplicate {
                id,
                reason: Reason::Doi,
            }));
        }
    }
    if let Some(arxiv) = &p.arxiv {
        let found: Option<String> = conn
            .prepare_cached("SELECT id FROM papers WHERE arxiv = ?1")?
            .query_row([arxiv], |r| r.get(0))
            .optional()?;
        if let Some(id) = found {
            return Ok(Some(Duplicate {
                id,
                reason: Reason::Arxiv,
            }));
        }
    }
    let norm = crate::text::normalize_title(&p.title);
    let stored = stored_with_title(conn, &norm)?;
    Ok(pick(
        &Fingerprint::of(p),
        stored.iter().map(|(id, fp)| (id, fp)),
    ))
}

/// The identifying keys and fingerprints of every stored paper, held in
/// memory so a large import matches duplicates without lookups per paper.
#[derive(Debug, Default)]
pub struct DedupIndex {
    doi: HashMap<String, String>,
    arxiv: HashMap<String, String>,
    /// Normalized title → papers with it.
    title: HashMap<String, Vec<(String, Fingerprint)>>,
}

impl DedupIndex {
    /// Reads the keys of all papers.
    pub fn load(conn: &Connection) -> Result<DedupIndex> {
        let mut me = DedupIndex::default();
        let mut at: HashMap<String, (String, usize)> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT id, norm_title, doi, arxiv, first_author, year, venue, entry_type, source, citekey
             FROM papers ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let title: String = r.get(1)?;
            let doi: Option<String> = r.get(2)?;
            let arxiv: Option<String> = r.get(3)?;
            let venue: Option<String> = r.get(6)?;
            let kind: Option<String> = r
                .get::<_, Option<String>>(7)?
                .map(|k| k.to_ascii_lowercase());
            let source: String = r.get(8)?;
            let fp = Fingerprint {
                author: r.get(4)?,
                year: r.get(5)?,
                preprint: is_preprint(kind.as_deref(), venue.as_deref(), arxiv.is_some()),
                venue: venue.as_deref().and_then(squash),
                kind,
                file: source_file(&source),
                keys: vec![r.get(9)?],
                ..Default::default()
            };
            let list = me.title.entry(title.clone()).or_default();
            at.insert(id.clone(), (title, list.len()));
            list.push((id.clone(), fp));
            if let Some(d) = doi {
                me.doi.entry(d).or_insert_with(|| id.clone());
            }
            if let Some(a) = arxiv {
                me.arxiv.entry(a).or_insert(id);
            }
        }
        let mut place = |id: String, f: &mut dyn FnMut(&mut Fingerprint)| {
            if let Some((title, i)) = at.get(&id)
                && let Some(list) = me.title.get_mut(title)
            {
                f(&mut list[*i].1);
            }
        };
        let mut fields = conn.prepare(
            "SELECT paper_id, lower(name), value FROM fields
             WHERE lower(name) IN ('volume', 'number', 'issue', 'pages')",
        )?;
        let mut rows = fields.query([])?;
        while let Some(r) = rows.next()? {
            let (name, value): (String, String) = (r.get(1)?, r.get(2)?);
            place(r.get(0)?, &mut |fp| set_field(fp, &name, &value));
        }
        let mut aliases = conn.prepare("SELECT paper_id, alias FROM aliases")?;
        let mut rows = aliases.query([])?;
        while let Some(r) = rows.next()? {
            let alias: String = r.get(1)?;
            place(r.get(0)?, &mut |fp| fp.keys.push(alias.clone()));
        }
        Ok(me)
    }

    /// Records a newly inserted paper.
    pub fn add(&mut self, id: &str, p: &NewPaper) {
        self.title
            .entry(crate::text::normalize_title(&p.title))
            .or_default()
            .push((id.to_string(), Fingerprint::of(p)));
        if let Some(d) = &p.doi {
            self.doi
                .entry(normalize_doi(d))
                .or_insert_with(|| id.to_string());
        }
        if let Some(a) = &p.arxiv {
            self.arxiv
                .entry(a.clone())
                .or_insert_with(|| id.to_string());
        }
    }

    /// Same rules as [`find_duplicate`].
    pub fn find(&self, p: &NewPaper) -> Option<Duplicate> {
        if let Some(id) = p
            .doi
            .as_deref()
            .and_then(|d| self.doi.get(&normalize_doi(d)))
        {
            return Some(Duplicate {
                id: id.clone(),
                reason: Reason::Doi,
            });
        }
        if let Some(id) = p.arxiv.as_ref().and_then(|a| self.arxiv.get(a)) {
            return Some(Duplicate {
                id: id.clone(),
                reason: Reason::Arxiv,
            });
        }
        let stored = self.title.get(&crate::text::normalize_title(&p.title))?;
        pick(&Fingerprint::of(p), stored.iter().map(|(id, fp)| (id, fp)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(title: &str, year: Option<i32>, key: &str, source: &str) -> NewPaper {
        NewPaper {
            title: title.into(),
            year,
            citekey: Some(key.into()),
            source: source.into(),
            authors: vec!["Barbara Beeton".into()],
            entry_type: Some("article".into()),
            venue: Some("TUGboat".into()),
            ..Default::default()
        }
    }

    fn agree(a: &NewPaper, b: &NewPaper) -> bool {
        Fingerprint::of(a).agrees(&Fingerprint::of(b)).is_some()
    }

    #[test]
    fn editorials_of_different_years_are_different_works() {
        let a = rec("Editorial comments", Some(1990), "tb11-1", "x.bib:10");
        let b = rec("Editorial comments", Some(1991), "tb12-1", "y.bib:30");
        assert!(!agree(&a, &b));
    }

    #[test]
    fn one_files_entries_with_different_keys_stay_apart() {
        let a = rec("Errata", Some(1990), "err1", "x.bib:10");
        let b = rec("Errata", Some(1990), "err2", "x.bib:30");
        assert!(!agree(&a, &b));
        // The same entry read again from the same file is the same work.
        let again = rec("Errata", Some(1990), "err1", "x.bib:10");
        assert!(agree(&again, &a));
        // From another file, nothing contradicts.
        let other = rec("Errata", Some(1990), "Errata90", "y.bib:3");
        assert!(agree(&other, &a));
    }

    #[test]
    fn volumes_pages_venues_and_kinds_contradict() {
        let base = rec("Book reviews", Some(1995), "a", "x.bib:1");
        let mut other = rec("Book reviews", Some(1995), "b", "y.bib:1");
        other.extra = vec![("volume".into(), "16".into())];
        let mut base16 = base.clone();
        base16.extra = vec![("volume".into(), "17".into())];
        assert!(!agree(&other, &base16));
        base16.extra = vec![
            ("volume".into(), "16".into()),
            ("pages".into(), "5--9".into()),
        ];
        other.extra.push(("pages".into(), "5-9".into()));
        assert!(agree(&other, &base16));
        other.extra[1].1 = "10--12".into();
        assert!(!agree(&other, &base16));
        let mut venue = rec("Book reviews", Some(1995), "c", "z.bib:1");
        venue.venue = Some("Cahiers GUTenberg".into());
        assert!(!agree(&venue, &base));
        let mut kind = rec("Book reviews", Some(1995), "d", "w.bib:1");
        kind.venue = None;
        kind.entry_type = Some("phdthesis".into());
        assert!(!agree(&kind, &base));
    }

    #[test]
    fn a_preprint_and_its_publication_are_one_work() {
        let mut pre = rec("Deep nets", Some(2019), "pre", "a.bib:1");
        pre.entry_type = Some("misc".into());
        pre.venue = Some("arXiv preprint arXiv:1901.00001".into());
        let mut published = rec("Deep Nets", Some(2020), "pub", "b.bib:1");
        published.venue = Some("Journal of Nets".into());
        assert!(agree(&published, &pre));
        published.year = Some(2023);
        assert!(!agree(&published, &pre), "too far apart");
    }

    #[test]
    fn reasons_read_well() {
        assert_eq!(Reason::Doi.to_string(), "same DOI");
        assert_eq!(
            Reason::Title(vec!["first author", "year"]).to_string(),
            "same title, first author, year"
        );
    }
}
