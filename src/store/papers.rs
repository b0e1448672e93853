//! Papers with their authors, links and tags.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::{Link, LinkKind, NewPaper, Paper, Status};

/// The stored columns of a paper, before notes and the rest are attached.
pub struct PaperRow {
    pub venue: Option<String>,
    pub entry_type: Option<String>,
    pub id: String,
    pub citekey: String,
    pub title: String,
    pub abstract_text: String,
    pub year: Option<i32>,
    pub doi: Option<String>,
    pub arxiv: Option<String>,
    pub status: Status,
    pub starred: bool,
    pub added: String,
    pub updated: String,
}

/// Inserts a new paper with its authors, links and tags.
/// The normalized family name of an author, for duplicate matching.
pub fn author_key(name: &str) -> String {
    deunicode::deunicode(crate::citekey::family_name(name))
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

pub(crate) fn first_author_key(p: &NewPaper) -> Option<String> {
    p.authors
        .first()
        .map(|a| author_key(a))
        .filter(|k| !k.is_empty())
}

pub fn insert(conn: &Connection, id: &str, citekey: &str, p: &NewPaper, now: &str) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO papers (id, citekey, title, norm_title, abstract, year, doi, arxiv, source, added, updated,
                             venue, entry_type, first_author)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13)",
    )?;
    stmt.execute(params![
        id,
        citekey,
        p.title,
        crate::text::normalize_title(&p.title),
        p.abstract_text,
        p.year,
        p.doi.as_deref().map(normalize_doi),
        p.arxiv,
        p.source,
        now,
        p.venue,
        p.entry_type,
        first_author_key(p),
    ])?;
    set_fields(conn, id, &p.extra)?;
    if let Some(note) = p.note.as_deref().filter(|n| !n.trim().is_empty()) {
        super::notes::insert(conn, &super::new_id(), id, note, now)?;
    }
    let mut author =
        conn.prepare_cached("INSERT INTO authors (paper_id, position, name) VALUES (?1, ?2, ?3)")?;
    for (i, name) in p.authors.iter().enumerate() {
        author.execute(params![id, i as i64, name])?;
    }
    set_links(conn, id, &p.links)?;
    for tag in &p.tags {
        add_tag(conn, id, tag)?;
    }
    Ok(())
}

/// Replaces the links of a paper.
pub fn set_links(conn: &Connection, id: &str, links: &[Link]) -> Result<()> {
    conn.prepare_cached("DELETE FROM links WHERE paper_id = ?1")?
        .execute([id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO links (paper_id, position, url, kind) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, link) in links.iter().enumerate() {
        stmt.execute(params![id, i as i64, link.url, link.kind.as_str()])?;
    }
    Ok(())
}

/// DOIs are case-insensitive: store and compare them in lowercase, without
/// a resolver prefix.
pub fn normalize_doi(doi: &str) -> String {
    let d = doi.trim();
    let d = d
        .strip_prefix("https://doi.org/")
        .or_else(|| d.strip_prefix("http://dx.doi.org/"))
        .or_else(|| d.strip_prefix("doi:"))
        .unwrap_or(d);
    d.to_lowercase()
}

/// The text extracted from a paper's PDF.
pub fn fulltext(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT text FROM fulltext WHERE paper_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Sets a paper's extracted text (empty text removes it).
pub fn set_fulltext(conn: &Connection, id: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        conn.prepare_cached("DELETE FROM fulltext WHERE paper_id = ?1")?
            .execute([id])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO fulltext (paper_id, text) VALUES (?1, ?2)
             ON CONFLICT (paper_id) DO UPDATE SET text = excluded.text",
        )?
        .execute(params![id, text])?;
    }
    Ok(())
}

/// Replaces a paper's extra fields.
pub fn set_fields(conn: &Connection, id: &str, fields: &[(String, String)]) -> Result<()> {
    conn.prepare_cached("DELETE FROM fields WHERE paper_id = ?1")?
        .execute([id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO fields (paper_id, position, name, value) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, (name, value)) in fields.iter().enumerate() {
        stmt.execute(params![id, i as i64, name, value])?;
    }
    Ok(())
}

pub fn fields(conn: &Connection, id: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn
        .prepare_cached("SELECT name, value FROM fields WHERE paper_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The paper (id, citekey) with this arXiv id, if any.
pub fn with_arxiv(conn: &Connection, arxiv: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, citekey FROM papers WHERE arxiv = ?1 LIMIT 1")?
        .query_row([arxiv], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The paper (id, citekey) with this DOI, if any.
pub fn with_doi(conn: &Connection, doi: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, citekey FROM papers WHERE doi = ?1 LIMIT 1")?
        .query_row([normalize_doi(doi)], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Fills fields the stored paper lacks from an imported copy. Returns
/// whether anything changed. User data (notes, status, tags) is untouched
/// except that new tags and links are added.
pub fn merge_missing(conn: &Connection, id: &str, p: &NewPaper, now: &str) -> Result<bool> {
    Ok(!fill_missing(conn, id, p, now)?.is_empty())
}

/// [`merge_missing`], naming the fields it filled (`title`, `abstract`,
/// `year`, `doi`, `arxiv`, `authors`, `links`, `tags`, `venue`,
/// `entry_type`, `extra`, `note`).
pub fn fill_missing(
    conn: &Connection,
    id: &str,
    p: &NewPaper,
    now: &str,
) -> Result<Vec<&'static str>> {
    let row = row(conn, id)?;
    let mut filled: Vec<&'static str> = Vec::new();
    // A record made from a bare identifier takes the real title.
    let placeholder = row.doi.as_deref().map(|d| format!("doi:{d}")).as_deref()
        == Some(row.title.as_str())
        || row
            .arxiv
            .as_deref()
            .map(|a| format!("arXiv:{a}"))
            .as_deref()
            == Some(row.title.as_str());
    if placeholder && !p.title.trim().is_empty() && p.title != row.title {
        conn.execute(
            "UPDATE papers SET title = ?2, norm_title = ?3 WHERE id = ?1",
            params![id, p.title, crate::text::normalize_title(&p.title)],
        )?;
        filled.push("title");
    }
    if row.abstract_text.is_empty() && !p.abstract_text.is_empty() {
        conn.execute(
            "UPDATE papers SET abstract = ?2 WHERE id = ?1",
            params![id, p.abstract_text],
        )?;
        filled.push("abstract");
    }
    if row.year.is_none() && p.year.is_some() {
        conn.execute(
            "UPDATE papers SET year = ?2 WHERE id = ?1",
            params![id, p.year],
        )?;
        filled.push("year");
    }
    if row.doi.is_none() && p.doi.is_some() {
        conn.execute(
            "UPDATE papers SET doi = ?2 WHERE id = ?1",
            params![id, p.doi],
        )?;
        filled.push("doi");
    }
    if row.arxiv.is_none() && p.arxiv.is_some() {
        conn.execute(
            "UPDATE papers SET arxiv = ?2 WHERE id = ?1",
            params![id, p.arxiv],
        )?;
        filled.push("arxiv");
    }
    if authors(conn, id)?.is_empty() && !p.authors.is_empty() {
        let mut stmt = conn
            .prepare_cached("INSERT INTO authors (paper_id, position, name) VALUES (?1, ?2, ?3)")?;
        for (i, name) in p.authors.iter().enumerate() {
            stmt.execute(params![id, i as i64, name])?;
        }
        filled.push("authors");
    }
    let mut links = links(conn, id)?;
    let before = links.len();
    for link in &p.links {
        if !links.iter().any(|l| l.url == link.url) {
            links.push(link.clone());
        }
    }
    if links.len() != before {
        set_links(conn, id, &links)?;
        filled.push("links");
    }
    for tag in &p.tags {
        if add_tag(conn, id, tag)? && !filled.contains(&"tags") {
            filled.push("tags");
        }
    }
    let before_cols = (row.venue.is_none(), row.entry_type.is_none());
    let updated = conn
        .prepare_cached(
            "UPDATE papers SET venue = coalesce(venue, ?2), entry_type = coalesce(entry_type, ?3),
                               first_author = coalesce(first_author, ?4)
             WHERE id = ?1 AND ((venue IS NULL AND ?2 IS NOT NULL)
                                OR (entry_type IS NULL AND ?3 IS NOT NULL)
                                OR (first_author IS NULL AND ?4 IS NOT NULL))",
        )?
        .execute(params![id, p.venue, p.entry_type, first_author_key(p)])?;
    if updated > 0 {
        let venue = before_cols.0 && p.venue.is_some();
        let entry_type = before_cols.1 && p.entry_type.is_some();
        if venue {
            filled.push("venue");
        }
        if entry_type {
            filled.push("entry_type");
        }
        if !venue && !entry_type && !filled.contains(&"authors") {
            filled.push("authors"); // the first author's sort key
        }
    }
    let mut extra = fields(conn, id)?;
    let before = extra.len();
    for (name, value) in &p.extra {
        if !extra.iter().any(|(n, _)| n == name) {
            extra.push((name.clone(), value.clone()));
        }
    }
    if extra.len() != before {
        set_fields(conn, id, &extra)?;
        filled.push("extra");
    }
    if let Some(note) = p.note.as_deref().filter(|n| !n.trim().is_empty()) {
        let known = super::notes::for_paper(conn, id)?
            .iter()
            .any(|n| n.body.trim() == note.trim());
        if !known {
            super::notes::insert(conn, &super::new_id(), id, note, now)?;
            filled.push("note");
        }
    }
    if !filled.is_empty() {
        touch(conn, id, now)?;
    }
    Ok(filled)
}

/// Marks a paper as updated now.
pub fn touch(conn: &Connection, id: &str, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE papers SET updated = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// Resolves an id or a citekey to the paper's id.
pub fn resolve(conn: &Connection, key: &str) -> Result<String> {
    let key = key.trim();
    let found: Option<String> = conn
        .prepare_cached("SELECT id FROM papers WHERE id = ?1 OR citekey = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => {
            super::aliases::resolve(conn, key)?.ok_or_else(|| Error::UnknownPaper(key.to_string()))
        }
    }
}

/// Every citekey in use, and every alias (which a new paper cannot take
/// either).
pub fn citekeys(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT citekey FROM papers UNION ALL SELECT alias FROM aliases")?;
    let keys = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(keys)
}

/// The columns [`map_row`] reads, in order.
pub(super) const ROW_COLUMNS: &str = "id, citekey, title, abstract, year, doi, arxiv, status, starred, added, updated, venue, entry_type";

pub(super) fn map_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PaperRow> {
    let status: String = r.get(7)?;
    Ok(PaperRow {
        id: r.get(0)?,
        citekey: r.get(1)?,
        title: r.get(2)?,
        abstract_text: r.get(3)?,
        year: r.get(4)?,
        doi: r.get(5)?,
        arxiv: r.get(6)?,
        status: status.parse().unwrap_or_default(),
        starred: r.get(8)?,
        added: r.get(9)?,
        updated: r.get(10)?,
        venue: r.get(11)?,
        entry_type: r.get(12)?,
    })
}

pub fn row(conn: &Connection, id: &str) -> Result<PaperRow> {
    conn.prepare_cached(&format!("SELECT {ROW_COLUMNS} FROM papers WHERE id = ?1"))?
        .query_row([id], map_row)
        .optional()?
        .ok_or_else(|| Error::UnknownPaper(id.to_string()))
}

pub fn authors(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT name FROM authors WHERE paper_id = ?1 ORDER BY position")?;
    let v = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(v)
}

pub fn links(conn: &Connection, id: &str) -> Result<Vec<Link>> {
    let mut stmt =
        conn.prepare_cached("SELECT url, kind FROM links WHERE paper_id = ?1 ORDER BY position")?;
    let v = stmt
        .query_map([id], |r| {
            let kind: String = r.get(1)?;
            Ok(Link {
                url: r.get(0)?,
                kind: kind.parse().unwrap_or(LinkKind::Other),
            })
        })?
        .collect::<rusqlite::Result<Vec<Link>>>()?;
    Ok(v)
}

pub fn tags(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT tag FROM tags WHERE paper_id = ?1 ORDER BY tag")?;
    let v = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(v)
}

/// Adds a tag; returns whether it was new.
pub fn add_tag(conn: &Connection, id: &str, tag: &str) -> Result<bool> {
    let n = conn
        .prepare_cached("INSERT OR IGNORE INTO tags (paper_id, tag) VALUES (?1, ?2)")?
        .execute(params![id, tag])?;
    Ok(n > 0)
}

/// Removes a tag; returns whether it was there.
pub fn remove_tag(conn: &Connection, id: &str, tag: &str) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM tags WHERE paper_id = ?1 AND tag = ?2")?
        .execute(params![id, tag])?;
    Ok(n > 0)
}

pub fn set_status(conn: &Connection, id: &str, status: Status) -> Result<()> {
    conn.prepare_cached("UPDATE papers SET status = ?2 WHERE id = ?1")?
        .execute(params![id, status.as_str()])?;
    Ok(())
}

pub fn set_starred(conn: &Connection, id: &str, starred: bool) -> Result<()> {
    conn.prepare_cached("UPDATE papers SET starred = ?2 WHERE id = ?1")?
        .execute(params![id, starred])?;
    Ok(())
}

/// Ids of papers in import order, optionally filtered by tag and status.
pub fn list_ids(
    conn: &Connection,
    tag: Option<&str>,
    status: Option<Status>,
) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT p.id FROM papers p
         WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.paper_id = p.id AND t.tag = ?1))
           AND (?2 IS NULL OR p.status = ?2)
         ORDER BY p.seq",
    )?;
    let ids = stmt
        .query_map(params![tag, status.map(|s| s.as_str())], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Every paper id in import order.
pub fn all_ids(conn: &Connection) -> Result<Vec<String>> {
    list_ids(conn, None, None)
}

/// The number of papers, as the triggers keep it (one row read).
pub fn count(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT n FROM paper_count", [], |r| r.get::<_, i64>(0))? as u64)
}

/// The number of papers, counted row by row: [`count`]'s check.
pub fn count_rows(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM papers", [], |r| r.get::<_, i64>(0))? as u64)
}

/// Loads a paper with everything attached to it.
pub fn load(conn: &Connection, id: &str) -> Result<Paper> {
    let row = row(conn, id)?;
    let paper = row.into_paper(Attached {
        authors: authors(conn, id)?,
        links: links(conn, id)?,
        tags: tags(conn, id)?,
        notes: super::notes::for_paper(conn, id)?,
        annotations: super::annotations::for_paper(conn, id)?,
        relations: super::relations::for_paper(conn, id)?,
        extra: fields(conn, id)?,
        aliases: super::aliases::for_paper(conn, id)?,
    });
    let mut paper = paper;
    paper.filled_from = super::provenance::for_paper(conn, id)?;
    Ok(paper)
}

/// What is attached to a paper besides its row ([`load`] reads it one
/// paper at a time, `bulk::load_many` for a batch).
pub(super) struct Attached {
    pub authors: Vec<String>,
    pub links: Vec<Link>,
    pub tags: Vec<String>,
    pub notes: Vec<crate::model::Note>,
    pub annotations: Vec<crate::model::Annotation>,
    pub relations: Vec<crate::model::Relation>,
    pub extra: Vec<(String, String)>,
    pub aliases: Vec<String>,
}

impl PaperRow {
    /// The whole paper: this row and what is attached to it.
    pub(super) fn into_paper(self, a: Attached) -> Paper {
        Paper {
            authors: a.authors,
            links: a.links,
            tags: a.tags,
            notes: a.notes,
            annotations: a.annotations,
            relations: a.relations,
            extra: a.extra,
            aliases: a.aliases,
            venue: self.venue,
            entry_type: self.entry_type,
            id: self.id,
            citekey: self.citekey,
            title: self.title,
            abstract_text: self.abstract_text,
            year: self.year,
            doi: self.doi,
            arxiv: self.arxiv,
            status: self.status,
            starred: self.starred,
            added: self.added,
            updated: self.updated,
            filled_from: Vec::new(),
        }
    }
}

/// Replaces a paper's metadata (what a paper file's front matter and
/// abstract say): title, abstract, year, venue, type, DOI, arXiv id,
/// authors, links, tags and extra fields. Notes, highlights and relations
/// are not touched.
pub fn replace_metadata(conn: &Connection, id: &str, p: &NewPaper) -> Result<()> {
    conn.prepare_cached(
        "UPDATE papers SET title = ?2, norm_title = ?3, abstract = ?4, year = ?5, doi = ?6,
                           arxiv = ?7, venue = ?8, entry_type = ?9, first_author = ?10
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        p.title,
        crate::text::normalize_title(&p.title),
        p.abstract_text,
        p.year,
        p.doi.as_deref().map(normalize_doi),
        p.arxiv,
        p.venue,
        p.entry_type,
        first_author_key(p),
    ])?;
    conn.prepare_cached("DELETE FROM authors WHERE paper_id = ?1")?
        .execute([id])?;
    let mut author =
        conn.prepare_cached("INSERT INTO authors (paper_id, position, name) VALUES (?1, ?2, ?3)")?;
    for (i, name) in p.authors.iter().enumerate() {
        author.execute(params![id, i as i64, name])?;
    }
    set_links(conn, id, &p.links)?;
    conn.prepare_cached("DELETE FROM tags WHERE paper_id = ?1")?
        .execute([id])?;
    for tag in &p.tags {
        add_tag(conn, id, tag)?;
    }
    set_fields(conn, id, &p.extra)
}

/// Changes a paper's citekey (the caller checked it is free).
pub fn set_citekey(conn: &Connection, id: &str, citekey: &str) -> Result<()> {
    conn.prepare_cached("UPDATE papers SET citekey = ?2 WHERE id = ?1")?
        .execute(params![id, citekey])?;
    Ok(())
}

/// Sets when a paper was added (a paper restored from its file keeps the
/// date it had).
pub fn set_added(conn: &Connection, id: &str, added: &str) -> Result<()> {
    conn.prepare_cached("UPDATE papers SET added = ?2 WHERE id = ?1")?
        .execute(params![id, added])?;
    Ok(())
}

/// Whether a paper with this id exists.
pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM papers WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Deletes a paper; its notes, highlights, relations and the rest go with
/// it.
pub fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM papers WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
