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
        PRIMARY KEY (paper_id, part)
    ) WITHOUT ROWID;
";

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
        tx.execute("DELETE FROM vectors", []).map_err(err)?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('model', ?1)",
            [model],
        )
        .map_err(err)?;
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
        {
            let mut put = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO vectors (paper_id, part, source, scale, vec)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(err)?;
            for row in rows {
                put.execute(params![
                    row.paper_id,
                    row.part,
                    row.source,
                    f64::from(row.vector.scale),
                    row.vector.bytes()
                ])
                .map_err(err)?;
            }
            let mut drop = tx
                .prepare_cached("DELETE FROM vectors WHERE paper_id = ?1 AND part = ?2")
                .map_err(err)?;
            for (id, part) in gone {
                drop.execute(params![id, part]).map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Every vector of `dims` dimensions, by paper id.
    pub fn load(&self, dims: usize) -> Result<VectorSet> {
        let mut set = VectorSet::new(dims);
        let mut stmt = self
            .conn
            .prepare("SELECT paper_id, scale, vec FROM vectors ORDER BY paper_id, part")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: String = row.get(0).map_err(|e| self.err(e))?;
            let scale: f64 = row.get(1).map_err(|e| self.err(e))?;
            let bytes: Vec<u8> = row.get(2).map_err(|e| self.err(e))?;
            set.push(&id, &Quantized::from_bytes(scale as f32, &bytes));
        }
        Ok(set)
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
}
