//! The pending-index queue: what the full-text index still owes.
//!
//! Architecture invariant: every write that changes what a paper's index
//! document holds calls [`mark`] inside the same transaction, so a crash
//! between the SQLite commit and the index commit loses nothing; opening the
//! library replays the queue.

use rusqlite::{Connection, params};

use crate::error::Result;

/// Records that `paper_id`'s index document must be rewritten (or removed).
pub fn mark(conn: &Connection, paper_id: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO pending_index (paper_id) VALUES (?1)")?
        .execute([paper_id])?;
    Ok(())
}

/// The queue: the highest sequence number and the distinct paper ids.
pub fn read(conn: &Connection) -> Result<(i64, Vec<String>)> {
    let max: Option<i64> =
        conn.query_row("SELECT max(seq) FROM pending_index", [], |r| r.get(0))?;
    let mut stmt = conn.prepare("SELECT DISTINCT paper_id FROM pending_index")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((max.unwrap_or(0), ids))
}

/// Clears the queue up to and including `seq`, after the index committed.
pub fn clear(conn: &Connection, seq: i64) -> Result<()> {
    conn.execute("DELETE FROM pending_index WHERE seq <= ?1", params![seq])?;
    Ok(())
}

pub fn is_empty(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT EXISTS (SELECT 1 FROM pending_index)", [], |r| {
        r.get(0)
    })?;
    Ok(n == 0)
}
