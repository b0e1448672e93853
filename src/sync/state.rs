//! What the store remembers about the library folder: per-file state
//! (`folder_files`), the papers whose file is owed (`folder_pending`, filled
//! by triggers), the last paper written out (`folder_meta.written_seq`) and
//! the trash.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// A file as Lectern last read or wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileState {
    /// Relative to the library, `/`-separated: `papers/key.md`.
    pub path: String,
    /// `paper` or `note`.
    pub kind: String,
    pub item_id: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch.
    pub mtime: i64,
    /// blake3 of the content, 32 hex digits.
    pub hash: String,
}

fn map(r: &rusqlite::Row<'_>) -> rusqlite::Result<FileState> {
    Ok(FileState {
        path: r.get(0)?,
        kind: r.get(1)?,
        item_id: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        mtime: r.get(4)?,
        hash: r.get(5)?,
    })
}

const COLUMNS: &str = "path, kind, item_id, size, mtime, hash";

/// Every file's state, by path.
pub fn all(conn: &Connection) -> Result<HashMap<String, FileState>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM folder_files"))?;
    let rows = stmt.query_map([], map)?;
    let mut out = HashMap::new();
    for r in rows {
        let r = r?;
        out.insert(r.path.clone(), r);
    }
    Ok(out)
}

/// The recorded size, mtime and stamp ([`super::glance::stamp`]) of every
/// file, by path: all a sync needs to tell that a file did not change.
pub fn stamps(conn: &Connection) -> Result<HashMap<String, (u64, i64, i64)>> {
    let mut stmt = conn.prepare("SELECT path, size, mtime, stamp FROM folder_files")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            (r.get::<_, i64>(1)? as u64, r.get(2)?, r.get(3)?),
        ))
    })?;
    let mut out = HashMap::new();
    for r in rows {
        let (path, stamp) = r?;
        out.insert(path, stamp);
    }
    Ok(out)
}

/// The state of the file at `path` (library-relative).
pub fn get(conn: &Connection, path: &str) -> Result<Option<FileState>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM folder_files WHERE path = ?1"
        ))?
        .query_row([path], map)
        .optional()?)
}

/// The states of the files that hold the items `ids`, by item id (one
/// query for a batch).
pub fn for_items(conn: &Connection, ids: &[String]) -> Result<HashMap<String, FileState>> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS state_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
         DELETE FROM temp.state_ids;",
    )?;
    {
        let mut ins =
            conn.prepare_cached("INSERT OR IGNORE INTO temp.state_ids (id) VALUES (?1)")?;
        for id in ids {
            ins.execute([id])?;
        }
    }
    let cols: Vec<String> = COLUMNS.split(", ").map(|c| format!("f.{c}")).collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM temp.state_ids s CROSS JOIN folder_files f ON f.item_id = s.id",
        cols.join(", ")
    ))?;
    let rows = stmt.query_map([], map)?;
    let mut out = HashMap::new();
    for r in rows {
        let r = r?;
        out.entry(r.item_id.clone()).or_insert(r);
    }
    drop(stmt);
    conn.execute_batch("DELETE FROM temp.state_ids")?;
    Ok(out)
}

/// Whether a file is recorded at `path` in any letter case.
pub fn taken_any_case(conn: &Connection, path: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM folder_files WHERE path = ?1 COLLATE NOCASE")?
        .query_row([path], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The state of the file that holds item `id`.
pub fn for_item(conn: &Connection, id: &str) -> Result<Option<FileState>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM folder_files WHERE item_id = ?1 LIMIT 1"
        ))?
        .query_row([id], map)
        .optional()?)
}

/// Records a file's state, with its stamp ([`super::glance::stamp`]).
pub fn put(conn: &Connection, s: &FileState) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO folder_files (path, kind, item_id, size, mtime, hash, stamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, item_id = excluded.item_id,
           size = excluded.size, mtime = excluded.mtime, hash = excluded.hash,
           stamp = excluded.stamp",
    )?
    .execute(params![
        s.path,
        s.kind,
        s.item_id,
        s.size as i64,
        s.mtime,
        s.hash,
        super::glance::stamp(&s.path, s.size, s.mtime)
    ])?;
    Ok(())
}

/// The folders' times recorded at the end of the last comparison of the
/// folder with the store (see [`super::glance::folder_times`]).
pub fn folder_times(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM folder_meta WHERE key = 'folder_times'")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Records the folders' times after a comparison that found the folder
/// and the store in step (`None`: forgets them).
pub fn set_folder_times(conn: &Connection, times: Option<&str>) -> Result<()> {
    match times {
        Some(t) => conn
            .prepare_cached(
                "INSERT INTO folder_meta (key, value) VALUES ('folder_times', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([t])?,
        None => conn
            .prepare_cached("DELETE FROM folder_meta WHERE key = 'folder_times'")?
            .execute([])?,
    };
    Ok(())
}

/// The sum of every recorded file's stamp (see [`super::glance`]).
pub fn stamp_sum(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(stamp), 0) FROM folder_files",
        [],
        |r| r.get(0),
    )?)
}

pub fn remove(conn: &Connection, path: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM folder_files WHERE path = ?1")?
        .execute([path])?;
    Ok(())
}

/// The papers whose file is owed, and the highest paper sequence number
/// they cover.
pub fn owed(conn: &Connection) -> Result<(Vec<String>, i64)> {
    let written: i64 = conn
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM folder_meta WHERE key = 'written_seq'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let max: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM papers", [], |r| r.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT paper_id FROM folder_pending
         UNION
         SELECT id FROM papers WHERE seq > ?1",
    )?;
    let ids = stmt
        .query_map([written], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((ids, max))
}

/// Clears what was owed for `ids` and records papers up to `seq` as
/// written.
pub fn paid(conn: &Connection, ids: &[String], seq: i64) -> Result<()> {
    let mut del = conn.prepare_cached("DELETE FROM folder_pending WHERE paper_id = ?1")?;
    for id in ids {
        del.execute([id])?;
    }
    conn.prepare_cached(
        "INSERT INTO folder_meta (key, value) VALUES ('written_seq', ?1)
         ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), excluded.value)",
    )?
    .execute([seq])?;
    Ok(())
}

/// Marks the files of `ids` as owed again (a write-out that failed for
/// them).
pub fn owe(conn: &Connection, ids: &[String]) -> Result<()> {
    let mut ins =
        conn.prepare_cached("INSERT OR IGNORE INTO folder_pending (paper_id) VALUES (?1)")?;
    for id in ids {
        ins.execute([id])?;
    }
    Ok(())
}

/// One deleted paper.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TrashEntry {
    pub paper_id: String,
    pub citekey: String,
    pub title: String,
    /// When it was deleted (RFC 3339 UTC).
    pub deleted: String,
}

pub fn trash_put(conn: &Connection, entry: &TrashEntry, content: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO trash (paper_id, citekey, title, deleted, content) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (paper_id) DO UPDATE SET citekey = excluded.citekey, title = excluded.title,
           deleted = excluded.deleted, content = excluded.content",
    )?
    .execute(params![
        entry.paper_id,
        entry.citekey,
        entry.title,
        entry.deleted,
        content
    ])?;
    Ok(())
}

pub fn trash_list(conn: &Connection) -> Result<Vec<TrashEntry>> {
    let mut stmt = conn.prepare(
        "SELECT paper_id, citekey, title, deleted FROM trash ORDER BY deleted DESC, citekey",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TrashEntry {
            paper_id: r.get(0)?,
            citekey: r.get(1)?,
            title: r.get(2)?,
            deleted: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A trashed paper's file content, by id or citekey (the newest if a
/// citekey was trashed more than once).
pub fn trash_take(conn: &Connection, key: &str) -> Result<Option<(TrashEntry, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT paper_id, citekey, title, deleted, content FROM trash
             WHERE paper_id = ?1 OR citekey = ?1 ORDER BY deleted DESC LIMIT 1",
        )?
        .query_row([key], |r| {
            Ok((
                TrashEntry {
                    paper_id: r.get(0)?,
                    citekey: r.get(1)?,
                    title: r.get(2)?,
                    deleted: r.get(3)?,
                },
                r.get(4)?,
            ))
        })
        .optional()?)
}

pub fn trash_remove(conn: &Connection, paper_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM trash WHERE paper_id = ?1")?
        .execute([paper_id])?;
    Ok(())
}

/// Forgets papers deleted before `cutoff` (RFC 3339). Returns how many.
pub fn trash_purge(conn: &Connection, cutoff: &str) -> Result<usize> {
    // Looked at first: a read never waits for another process's write,
    // and there is seldom anything to purge.
    let due: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM trash WHERE deleted < ?1)",
        [cutoff],
        |r| r.get(0),
    )?;
    if !due {
        return Ok(0);
    }
    Ok(conn.execute("DELETE FROM trash WHERE deleted < ?1", [cutoff])?)
}
