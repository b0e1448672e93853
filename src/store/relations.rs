//! Typed relations the user made between papers, read from both ends.

use rusqlite::{Connection, params};

use crate::error::Result;
use crate::model::{Direction, Relation};

/// Adds `src -kind-> dst`; returns whether it was new.
pub fn insert(conn: &Connection, src: &str, dst: &str, kind: &str, now: &str) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO relations (src, dst, kind, created) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![src, dst, kind, now])?;
    Ok(n > 0)
}

/// Removes relations between two papers in either direction, of one kind or
/// all kinds. Returns how many were removed.
pub fn delete(conn: &Connection, a: &str, b: &str, kind: Option<&str>) -> Result<usize> {
    let n = conn
        .prepare_cached(
            "DELETE FROM relations
             WHERE ((src = ?1 AND dst = ?2) OR (src = ?2 AND dst = ?1))
               AND (?3 IS NULL OR kind = ?3)",
        )?
        .execute(params![a, b, kind])?;
    Ok(n)
}

/// Relations of a paper, outgoing then incoming, oldest first.
pub fn for_paper(conn: &Connection, id: &str) -> Result<Vec<Relation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.kind, 'outgoing', p.id, p.citekey, p.title, r.created
           FROM relations r JOIN papers p ON p.id = r.dst WHERE r.src = ?1
         UNION ALL
         SELECT r.kind, 'incoming', p.id, p.citekey, p.title, r.created
           FROM relations r JOIN papers p ON p.id = r.src WHERE r.dst = ?1
         ORDER BY 2 DESC, 6, 4",
    )?;
    let v = stmt
        .query_map([id], |r| map_from(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A relation from the columns `kind, 'outgoing'|'incoming', other id,
/// other citekey, other title, created` starting at column `at`.
pub(crate) fn map_from(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Relation> {
    let dir: String = r.get(at + 1)?;
    Ok(Relation {
        kind: r.get(at)?,
        direction: if dir == "outgoing" {
            Direction::Outgoing
        } else {
            Direction::Incoming
        },
        other_id: r.get(at + 2)?,
        other_citekey: r.get(at + 3)?,
        other_title: r.get(at + 4)?,
        created: r.get(at + 5)?,
    })
}

/// A paper's outgoing relations as `(kind, dst id)`.
pub fn outgoing(conn: &Connection, src: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT kind, dst FROM relations WHERE src = ?1")?;
    let v = stmt
        .query_map([src], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Removes one relation `src -kind-> dst`.
pub fn delete_one(conn: &Connection, src: &str, dst: &str, kind: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM relations WHERE src = ?1 AND dst = ?2 AND kind = ?3")?
        .execute(params![src, dst, kind])?;
    Ok(())
}

/// The papers linked with `id` in either direction.
pub fn neighbours(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT dst FROM relations WHERE src = ?1 UNION SELECT src FROM relations WHERE dst = ?1",
    )?;
    let v = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(v)
}
