//! Markdown notes attached to papers.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::Note;

fn map(r: &rusqlite::Row<'_>) -> rusqlite::Result<Note> {
    map_from(r, 0)
}

/// A note from the columns `id, paper_id, body, created, updated` starting
/// at column `at` (batch queries put the paper id first).
pub(crate) fn map_from(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Note> {
    Ok(Note {
        id: r.get(at)?,
        paper_id: r.get::<_, Option<String>>(at + 1)?.unwrap_or_default(),
        body: r.get(at + 2)?,
        created: r.get(at + 3)?,
        updated: r.get(at + 4)?,
    })
}

pub fn insert(conn: &Connection, id: &str, paper_id: &str, body: &str, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO notes (id, paper_id, body, created, updated) VALUES (?1, ?2, ?3, ?4, ?4)",
    )?
    .execute(params![id, paper_id, body, now])?;
    Ok(())
}

pub fn for_paper(conn: &Connection, paper_id: &str) -> Result<Vec<Note>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, paper_id, body, created, updated FROM notes WHERE paper_id = ?1 ORDER BY seq",
    )?;
    let v = stmt
        .query_map([paper_id], map)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn get(conn: &Connection, id: &str) -> Result<Note> {
    conn.prepare_cached("SELECT id, paper_id, body, created, updated FROM notes WHERE id = ?1")?
        .query_row([id], map)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            what: "note",
            id: id.to_string(),
        })
}

pub fn update(conn: &Connection, id: &str, body: &str, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE notes SET body = ?2, updated = ?3 WHERE id = ?1")?
        .execute(params![id, body, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM notes WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Adds a free-standing note (one of the library folder's `notes/*.md`).
pub fn insert_free(conn: &Connection, id: &str, body: &str, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO notes (id, paper_id, body, created, updated) VALUES (?1, NULL, ?2, ?3, ?3)",
    )?
    .execute(params![id, body, now])?;
    Ok(())
}

/// Whether a note with this id exists.
pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM notes WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}
