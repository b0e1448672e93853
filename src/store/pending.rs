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

/// Records that every paper added after `papers.seq = after` must be
/// indexed: one row for a whole bulk import.
pub fn mark_added_after(conn: &Connection, after: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO pending_index (after_seq) VALUES (?1)")?
        .execute([after])?;
    Ok(())
}

/// The highest `papers.seq` so far (0 for an empty library).
pub fn last_paper_seq(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM papers", [], |r| r.get(0))?)
}

/// The highest queue sequence number (0 when empty): what to clear up to.
pub fn max_seq(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(seq), 0) FROM pending_index", [], |r| {
            r.get(0)
        })?,
    )
}

/// The queue: the highest sequence number and the distinct paper ids.
pub fn read(conn: &Connection) -> Result<(i64, Vec<String>)> {
    let max = max_seq(conn)?;
    let mut stmt = conn.prepare(
        "SELECT paper_id FROM pending_index WHERE paper_id IS NOT NULL
         UNION
         SELECT id FROM papers
          WHERE seq > (SELECT min(after_seq) FROM pending_index WHERE after_seq IS NOT NULL)",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((max, ids))
}

/// Clears the queue up to and including `seq`, after the index committed.
pub fn clear(conn: &Connection, seq: i64) -> Result<()> {
    conn.execute("DELETE FROM pending_index WHERE seq <= ?1", params![seq])?;
    Ok(())
}

/// Removes the queue's entries after `after` up to `upto` (one
/// operation's own, leaving what was queued before it).
pub fn clear_between(conn: &Connection, after: i64, upto: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM pending_index WHERE seq > ?1 AND seq <= ?2",
        params![after, upto],
    )?;
    Ok(())
}

#[cfg(test)]
pub fn is_empty(conn: &Connection) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT EXISTS (SELECT 1 FROM pending_index)", [], |r| {
        r.get(0)
    })?;
    Ok(n == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_marker_covers_papers_added_after_it() {
        let conn = crate::store::open_in_memory().unwrap();
        let now = crate::store::now();
        let paper = |t: &str| crate::model::NewPaper {
            title: t.into(),
            ..Default::default()
        };
        crate::store::papers::insert(&conn, "a", "ka", &paper("A"), &now).unwrap();
        let before = last_paper_seq(&conn).unwrap();
        crate::store::papers::insert(&conn, "b", "kb", &paper("B"), &now).unwrap();
        crate::store::papers::insert(&conn, "c", "kc", &paper("C"), &now).unwrap();
        mark_added_after(&conn, before).unwrap();
        mark(&conn, "a").unwrap();
        let (seq, mut ids) = read(&conn).unwrap();
        ids.sort();
        assert_eq!(ids, ["a", "b", "c"]);
        clear(&conn, seq).unwrap();
        assert!(is_empty(&conn).unwrap());
        assert!(read(&conn).unwrap().1.is_empty());
    }
}
