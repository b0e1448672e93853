//! Highlights anchored by W3C text quote and position selectors.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::{Annotation, TextPosition, TextQuote};

fn map(r: &rusqlite::Row<'_>) -> rusqlite::Result<Annotation> {
    map_from(r, 0)
}

/// An annotation from [`COLUMNS`] starting at column `at`.
pub(super) fn map_from(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Annotation> {
    Ok(Annotation {
        id: r.get(at)?,
        paper_id: r.get(at + 1)?,
        quote: TextQuote {
            exact: r.get(at + 2)?,
            prefix: r.get(at + 3)?,
            suffix: r.get(at + 4)?,
        },
        position: TextPosition {
            start: r.get::<_, i64>(at + 5)? as usize,
            end: r.get::<_, i64>(at + 6)? as usize,
        },
        color: r.get(at + 7)?,
        comment: r.get(at + 8)?,
        created: r.get(at + 9)?,
        updated: r.get(at + 10)?,
    })
}

pub(super) const COLUMNS: &str =
    "id, paper_id, exact, prefix, suffix, start, end, color, comment, created, updated";

pub fn insert(conn: &Connection, a: &Annotation) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO annotations (id, paper_id, exact, prefix, suffix, start, end, color, comment, created, updated)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        a.id,
        a.paper_id,
        a.quote.exact,
        a.quote.prefix,
        a.quote.suffix,
        a.position.start as i64,
        a.position.end as i64,
        a.color,
        a.comment,
        a.created,
        a.updated
    ])?;
    Ok(())
}

pub fn for_paper(conn: &Connection, paper_id: &str) -> Result<Vec<Annotation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM annotations WHERE paper_id = ?1 ORDER BY start, seq"
    ))?;
    let v = stmt
        .query_map([paper_id], map)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn get(conn: &Connection, id: &str) -> Result<Annotation> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM annotations WHERE id = ?1"))?
        .query_row([id], map)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "annotation",
            id: id.to_string(),
        })
}

pub fn update(
    conn: &Connection,
    id: &str,
    color: &str,
    comment: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE annotations SET color = ?2, comment = ?3, updated = ?4 WHERE id = ?1",
    )?
    .execute(params![id, color, comment, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM annotations WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Replaces a highlight's anchor, quote, color and comment.
pub fn replace(conn: &Connection, a: &Annotation) -> Result<()> {
    conn.prepare_cached(
        "UPDATE annotations SET exact = ?2, prefix = ?3, suffix = ?4, start = ?5, end = ?6,
                                color = ?7, comment = ?8, updated = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        a.id,
        a.quote.exact,
        a.quote.prefix,
        a.quote.suffix,
        a.position.start as i64,
        a.position.end as i64,
        a.color,
        a.comment,
        a.updated
    ])?;
    Ok(())
}

/// Whether a highlight with this id exists.
pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM annotations WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}
