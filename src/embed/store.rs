//! The vectors on disk: `.lectern/embeddings.db`, a SQLite file of its own
//! beside the library's database.
//!
//! Derived data, like the full-text index: deleting the file loses nothing
//! (`lectern reindex --embeddings` does), and the background job computes
//! it again. A separate file keeps the job's many small commits off the
//! library's own database and its write lock. Each vector records the
//! digest of the text it was computed from, so an edited paper is seen as
//! stale, and the file records the model that made its vectors: another
//! model empties it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::vectors::{Quantized, VectorSet};
use crate::error::{Error, Result};

/// The file's name inside `.lectern/`.
pub const FILE: &str = "embeddings.db";

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS vectors (
        paper_id TEXT NOT NULL,
        part     INTEGER NOT NULL,
        source   INTEGER NOT NULL,
        scale    REAL NOT NULL,
        vec      BLOB NOT NULL,
        seq      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (paper_id, part)
    ) WITHOUT ROWID;
";

/// Each commit numbers the vectors it writes (`seq`, the commit's number,
/// kept in `meta` with the number of the last commit that dropped any), so
/// a reader holding the vectors up to one commit reads only what came
/// after. Files written before the numbering gain the column here.
const NUMBERING: &str = "
    CREATE INDEX IF NOT EXISTS vectors_by_seq ON vectors (seq);
";

/// How far a reader of the vectors has read: the file (named at its
/// creation) and the number of the last commit read.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    born: String,
    seq: i64,
}

/// One vector to store: the paper, its part, the digest of its text.
pub struct Row {
    pub paper_id: String,
    pub part: u8,
    pub source: i64,
    pub vector: Quantized,
}

/// The open vector file.
pub struct VectorStore {
    conn: Connection,
    path: PathBuf,
}

impl VectorStore {
    /// Opens (creating if needed) the vector file of the library whose
    /// private folder is `private`.
    pub fn open(private: &Path) -> Result<VectorStore> {
        let path = private.join(FILE);
        let conn = Connection::open(&path).map_err(|e| damaged(&path, e))?;
        let store = VectorStore { conn, path };
        store
            .conn
            .busy_timeout(crate::store::BUSY_TIMEOUT)
            .map_err(|e| store.err(e))?;
        let _mode: String = store
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| store.err(e))?;
        store
            .conn
            .execute_batch("PRAGMA synchronous = NORMAL;")
            .and_then(|()| store.conn.execute_batch(SCHEMA))
            .map_err(|e| store.err(e))?;
        let numbered = |conn: &Connection| conn.prepare("SELECT seq FROM vectors LIMIT 0").is_ok();
        if !numbered(&store.conn) {
            let added = store
                .conn
                .execute_batch("ALTER TABLE vectors ADD COLUMN seq INTEGER NOT NULL DEFAULT 0");
            // Another process opening the old file may have added it first.
            if let Err(e) = added
                && !numbered(&store.conn)
            {
                return Err(store.err(e));
            }
        }
        store
            .conn
            .execute_batch(NUMBERING)
            .map_err(|e| store.err(e))?;
        if mark(&store.conn).map_err(|e| store.err(e))?.born.is_empty() {
            let born = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            store
                .conn
                .execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('born', ?1)",
                    [format!("{born}-{}", std::process::id())],
                )
                .map_err(|e| store.err(e))?;
        }
        Ok(store)
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        damaged(&self.path, e)
    }

    /// The model (its digest) whose vectors the file holds.
    pub fn model(&self) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'model'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Makes the file hold `model`'s vectors: another model's are all
    /// dropped, in one transaction. Says whether any were.
    pub fn use_model(&mut self, model: &str) -> Result<bool> {
        if self.model()?.as_deref() == Some(model) {
            return Ok(false);
        }
        let path = self.path.clone();
        let err = |e| damaged(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let seq = next_seq(&tx).map_err(err)?;
        tx.execute("DELETE FROM vectors", []).map_err(err)?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('model', ?1)",
            [model],
        )
        .map_err(err)?;
        set_meta(&tx, "dropped", seq).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(true)
    }

    /// The text digest of every stored vector, by (paper, part).
    pub fn sources(&self) -> Result<HashMap<(String, u8), i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT paper_id, part, source FROM vectors")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Stores `rows` and drops the vectors of `gone`, in one transaction.
    pub fn write(&mut self, rows: &[Row], gone: &[(String, u8)]) -> Result<()> {
        let path = self.path.clone();
        let err = |e| damaged(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let seq = next_seq(&tx).map_err(err)?;
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO vectors (paper_id, part, source, scale, vec, seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(err)?;
            for row in rows {
                put.execute(params![
                    row.paper_id,
                    row.part,
                    row.source,
                    f64::from(row.vector.scale),
                    row.vector.bytes(),
                    seq
                ])
                .map_err(err)?;
            }
            let mut drop = tx
                .prepare_cached("DELETE FROM vectors WHERE paper_id = ?1 AND part = ?2")
                .map_err(err)?;
            let mut dropped = 0;
            for (id, part) in gone {
                dropped += drop.execute(params![id, part]).map_err(err)?;
            }
            if dropped > 0 {
                set_meta(&tx, "dropped", seq).map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Every vector of `dims` dimensions, by paper id.
    pub fn load(&self, dims: usize) -> Result<VectorSet> {
        Ok(self.load_marked(dims)?.1)
    }

    /// [`VectorStore::load`], with the mark of what it holds.
    pub fn load_marked(&self, dims: usize) -> Result<(Mark, VectorSet)> {
        let mut set = VectorSet::new(dims);
        // One read transaction: the mark and the rows agree.
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let mark = mark(&tx).map_err(|e| self.err(e))?;
        self.read_into(
            &tx,
            "SELECT paper_id, scale, vec FROM vectors ORDER BY paper_id, part",
            [],
            |id, v| set.push(id, v),
        )?;
        tx.finish().map_err(|e| self.err(e))?;
        Ok((mark, set))
    }

    /// Where the file stands now.
    pub fn mark(&self) -> Result<Mark> {
        mark(&self.conn).map_err(|e| self.err(e))
    }

    /// What changed after `since`, for a reader holding the vectors up to
    /// it: every vector of each paper written since, by paper, with the
    /// new mark. `None` when vectors were dropped since (or the file is
    /// another), so the reader must load everything.
    pub fn changes_since(&self, since: &Mark) -> Result<Option<(Mark, Changed)>> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let now = mark(&tx).map_err(|e| self.err(e))?;
        let dropped = meta_number(&tx, "dropped").map_err(|e| self.err(e))?;
        if now.born != since.born || dropped > since.seq || now.seq < since.seq {
            return Ok(None);
        }
        let mut papers: Changed = Vec::new();
        self.read_into(
            &tx,
            "SELECT paper_id, scale, vec FROM vectors
             WHERE paper_id IN (SELECT paper_id FROM vectors WHERE seq > ?1)
             ORDER BY paper_id, part",
            [since.seq],
            |id, v| match papers.last_mut() {
                Some((last, vs)) if last == id => vs.push(v.clone()),
                _ => papers.push((id.to_string(), vec![v.clone()])),
            },
        )?;
        tx.finish().map_err(|e| self.err(e))?;
        Ok(Some((now, papers)))
    }

    /// Runs `sql` (selecting paper id, scale and bytes) and hands each
    /// vector to `each`.
    fn read_into(
        &self,
        conn: &Connection,
        sql: &str,
        params: impl rusqlite::Params,
        mut each: impl FnMut(&str, &Quantized),
    ) -> Result<()> {
        let mut stmt = conn.prepare(sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query(params).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: String = row.get(0).map_err(|e| self.err(e))?;
            let scale: f64 = row.get(1).map_err(|e| self.err(e))?;
            let bytes: Vec<u8> = row.get(2).map_err(|e| self.err(e))?;
            each(&id, &Quantized::from_bytes(scale as f32, &bytes));
        }
        Ok(())
    }

    /// How many vectors are stored.
    pub fn count(&self) -> Result<u64> {
        self.conn
            .query_row("SELECT count(*) FROM vectors", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    /// Changes when any connection commits to the file (SQLite's
    /// `data_version` plus this connection's own changes).
    pub fn version(&self) -> Result<(i64, u64)> {
        let v = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        Ok((v, self.conn.total_changes()))
    }
}

/// Each changed paper with all its vectors, ordered by paper.
pub type Changed = Vec<(String, Vec<Quantized>)>;

fn mark(conn: &Connection) -> rusqlite::Result<Mark> {
    let born: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'born'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(Mark {
        born: born.unwrap_or_default(),
        seq: meta_number(conn, "seq")?,
    })
}

/// The number `meta` holds under `key` (0 when none).
fn meta_number(conn: &Connection, key: &str) -> rusqlite::Result<i64> {
    let value: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn set_meta(conn: &Connection, key: &str, n: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
        params![key, n.to_string()],
    )
    .map(|_| ())
}

/// Numbers a commit: one more than the last.
fn next_seq(conn: &Connection) -> rusqlite::Result<i64> {
    let seq = meta_number(conn, "seq")? + 1;
    set_meta(conn, "seq", seq)?;
    Ok(seq)
}

/// Deletes the vector file of the library whose private folder is
/// `private` (with its WAL), so they are computed again.
pub fn remove(private: &Path) -> Result<()> {
    for name in [
        FILE.to_string(),
        format!("{FILE}-wal"),
        format!("{FILE}-shm"),
    ] {
        let path = private.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(())
}

fn damaged(path: &Path, e: rusqlite::Error) -> Error {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        return Error::DiskFull {
            path: path.to_path_buf(),
        };
    }
    Error::Index {
        path: path.to_path_buf(),
        message: format!("{e}; `lectern reindex --embeddings` computes the vectors again"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, part: u8, v: &[f32]) -> Row {
        Row {
            paper_id: id.into(),
            part,
            source: 7,
            vector: Quantized::from_floats(v),
        }
    }

    #[test]
    fn vectors_survive_a_reopen_and_another_model_empties_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = VectorStore::open(dir.path()).unwrap();
        assert!(store.use_model("m@1").unwrap());
        store
            .write(
                &[
                    row("b", 0, &[0.0, 1.0]),
                    row("a", 0, &[1.0, 0.0]),
                    row("a", 1, &[0.6, 0.8]),
                ],
                &[],
            )
            .unwrap();
        drop(store);
        let mut store = VectorStore::open(dir.path()).unwrap();
        assert!(!store.use_model("m@1").unwrap());
        let set = store.load(2).unwrap();
        assert_eq!(set.papers(), 2);
        assert_eq!(set.of("a").len(), 2);
        assert_eq!(
            store.sources().unwrap().get(&("b".to_string(), 0)),
            Some(&7)
        );
        store.write(&[], &[("a".to_string(), 1)]).unwrap();
        assert_eq!(store.count().unwrap(), 2);
        assert!(store.use_model("other@2").unwrap());
        assert_eq!(store.count().unwrap(), 0);
        drop(store);
        remove(dir.path()).unwrap();
        assert!(!dir.path().join(FILE).exists());
    }

    #[test]
    fn a_reader_reads_only_what_was_written_after_its_mark() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = VectorStore::open(dir.path()).unwrap();
        store.use_model("m@1").unwrap();
        store
            .write(&[row("a", 0, &[1.0, 0.0]), row("b", 0, &[0.0, 1.0])], &[])
            .unwrap();
        let reader = VectorStore::open(dir.path()).unwrap();
        let (mark, set) = reader.load_marked(2).unwrap();
        assert_eq!(set.papers(), 2);
        let (same, nothing) = reader.changes_since(&mark).unwrap().unwrap();
        assert_eq!((same, nothing.len()), (mark.clone(), 0));
        // Notes for "a" (its abstract comes along) and a new paper "c".
        store
            .write(&[row("a", 1, &[0.6, 0.8]), row("c", 0, &[0.8, 0.6])], &[])
            .unwrap();
        let (later, changed) = reader.changes_since(&mark).unwrap().unwrap();
        let shape: Vec<(&str, usize)> = changed
            .iter()
            .map(|(id, v)| (id.as_str(), v.len()))
            .collect();
        assert_eq!(shape, [("a", 2), ("c", 1)]);
        assert_eq!(reader.changes_since(&later).unwrap().unwrap().1.len(), 0);
        // A dropped vector, or a file started again, means reading it all.
        store.write(&[], &[("c".to_string(), 0)]).unwrap();
        assert!(reader.changes_since(&later).unwrap().is_none());
        let (after_drop, _) = reader.load_marked(2).unwrap();
        drop((store, reader));
        remove(dir.path()).unwrap();
        let store = VectorStore::open(dir.path()).unwrap();
        assert!(store.changes_since(&after_drop).unwrap().is_none());
    }

    #[test]
    fn a_file_from_before_the_numbering_gains_it() {
        let dir = tempfile::tempdir().unwrap();
        let old = Connection::open(dir.path().join(FILE)).unwrap();
        old.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
             CREATE TABLE vectors (paper_id TEXT NOT NULL, part INTEGER NOT NULL,
                 source INTEGER NOT NULL, scale REAL NOT NULL, vec BLOB NOT NULL,
                 PRIMARY KEY (paper_id, part)) WITHOUT ROWID;
             INSERT INTO meta VALUES ('model', 'm@1');
             INSERT INTO vectors VALUES ('a', 0, 7, 0.01, x'6400');",
        )
        .unwrap();
        drop(old);
        let mut store = VectorStore::open(dir.path()).unwrap();
        let (mark, set) = store.load_marked(2).unwrap();
        assert_eq!(set.of("a").len(), 1);
        store.write(&[row("b", 0, &[0.0, 1.0])], &[]).unwrap();
        let (_, changed) = store.changes_since(&mark).unwrap().unwrap();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].0, "b");
    }
}
