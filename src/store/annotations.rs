//! Highlights anchored by W3C text quote and position selectors.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::{
    Annotation, AnnotationKind, TextPosition, TextQuote, rects_from_str, rects_to_string,
};

fn map(r: &rusqlite::Row<'_>) -> rusqlite::Result<Annotation> {
    map_from(r, 0)
}

/// An annotation from [`COLUMNS`] starting at column `at`.
pub(super) fn map_from(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Annotation> {
    let kind: String = r.get(at + 11)?;
    let rects: String = r.get(at + 15)?;
    Ok(Annotation {
        id: r.get(at)?,
        paper_id: r.get(at + 1)?,
        kind: AnnotationKind::parse(&kind).unwrap_or_default(),
        quote: TextQuote {
            exact: r.get(at + 2)?,
            prefix: r.get(at + 3)?,
            suffix: r.get(at + 4)?,
        },
        position: TextPosition {
            start: r.get::<_, i64>(at + 5)?.max(0) as usize,
            end: r.get::<_, i64>(at + 6)?.max(0) as usize,
        },
        page: r
            .get::<_, Option<i64>>(at + 12)?
            .and_then(|p| u32::try_from(p).ok()),
        file: r.get(at + 13)?,
        file_hash: r.get(at + 14)?,
        rects: rects_from_str(&rects).unwrap_or_default(),
        placed: r.get::<_, i64>(at + 16)? != 0,
        color: r.get(at + 7)?,
        comment: r.get(at + 8)?,
        created: r.get(at + 9)?,
        updated: r.get(at + 10)?,
    })
}

pub(super) const COLUMNS: &str = "id, paper_id, exact, prefix, suffix, start, end, color, comment, created, updated, \
     kind, page, file, file_hash, rects, placed";

/// The order highlights are listed in: the abstract's first, then page by
/// page in reading order.
const READING_ORDER: &str = "page IS NOT NULL, page, start, seq";

pub fn insert(conn: &Connection, a: &Annotation) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO annotations (id, paper_id, exact, prefix, suffix, start, end, color, comment, created, updated,
                                  kind, page, file, file_hash, rects, placed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
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
        a.updated,
        a.kind.as_str(),
        a.page.map(i64::from),
        a.file,
        a.file_hash,
        rects_to_string(&a.rects),
        a.placed as i64,
    ])?;
    Ok(())
}

pub fn for_paper(conn: &Connection, paper_id: &str) -> Result<Vec<Annotation>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM annotations WHERE paper_id = ?1 ORDER BY {READING_ORDER}"
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

/// Replaces a highlight's anchor, target, quote, color and comment.
pub fn replace(conn: &Connection, a: &Annotation) -> Result<()> {
    conn.prepare_cached(
        "UPDATE annotations SET exact = ?2, prefix = ?3, suffix = ?4, start = ?5, end = ?6,
                                color = ?7, comment = ?8, updated = ?9, kind = ?10, page = ?11,
                                file = ?12, file_hash = ?13, rects = ?14, placed = ?15
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
        a.updated,
        a.kind.as_str(),
        a.page.map(i64::from),
        a.file,
        a.file_hash,
        rects_to_string(&a.rects),
        a.placed as i64,
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
