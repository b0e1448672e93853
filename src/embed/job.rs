//! The background job that keeps the vectors up to date: it compares what
//! each paper says now with the digest its stored vector was computed
//! from, embeds what is new or changed (newest papers first, a few dozen
//! per commit, so a killed job loses at most one batch and the next run
//! resumes), and drops the vectors of papers that are gone.
//!
//! The job has its own connections (it only reads the library's database)
//! and a lock of its own, `.lectern/embeddings.lock`: one job per library
//! at a time, and searches never wait for it.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::Connection;

use super::Model;
use super::store::{Row, VectorStore};
use super::vectors::Quantized;
use crate::error::Result;
use crate::store::texts;

/// Texts committed at a time.
const COMMIT_EVERY: usize = 64;

/// One text to embed.
struct Todo {
    paper_id: String,
    part: u8,
    source: i64,
    text: String,
}

/// What a run has to do: texts to embed, vectors to drop.
pub struct Plan {
    todo: Vec<Todo>,
    gone: Vec<(String, u8)>,
    /// Vectors already up to date.
    pub current: usize,
}

impl Plan {
    /// Texts left to embed.
    pub fn remaining(&self) -> usize {
        self.todo.len()
    }

    pub fn is_empty(&self) -> bool {
        self.todo.is_empty() && self.gone.is_empty()
    }
}

/// The job of one library.
pub struct Job {
    main: Connection,
    vectors: VectorStore,
    model: Arc<Model>,
    _lock: File,
    /// The library database's `data_version` at the last plan.
    planned_at: Option<i64>,
}

impl Job {
    /// Starts the job for the library at `root` with `model`; fails when
    /// another process runs one for this library. Vectors of another model
    /// are dropped now.
    pub fn start(root: &Path, model: Arc<Model>) -> Result<Job> {
        let private = root.join(crate::library::PRIVATE_DIR);
        let lock_path = private.join("embeddings.lock");
        let lock = crate::library::lock_file(root, &lock_path)?;
        let main =
            crate::store::open(&private.join("lectern.db")).map_err(|e| e.in_library(root))?;
        let mut vectors = VectorStore::open(&private)?;
        vectors.use_model(&model.id().key())?;
        Ok(Job {
            main,
            vectors,
            model,
            _lock: lock,
            planned_at: None,
        })
    }

    /// Whether the library changed since the last plan.
    pub fn library_changed(&self) -> Result<bool> {
        Ok(self.planned_at != Some(data_version(&self.main)?))
    }

    /// Compares every paper's text with its stored vector.
    pub fn plan(&mut self) -> Result<Plan> {
        self.planned_at = Some(data_version(&self.main)?);
        let mut stored: HashMap<(String, u8), i64> = self.vectors.sources()?;
        let mut todo = Vec::new();
        let mut current = 0;
        texts::for_embedding(&self.main, |id, part, text| {
            let source = digest(text);
            match stored.remove(&(id.to_string(), part)) {
                Some(s) if s == source => current += 1,
                _ => todo.push(Todo {
                    paper_id: id.to_string(),
                    part,
                    source,
                    text: text.to_string(),
                }),
            }
            Ok(())
        })?;
        // Ids are time-ordered: the newest papers are embedded first.
        todo.reverse();
        let mut gone: Vec<(String, u8)> = stored.into_keys().collect();
        gone.sort();
        Ok(Plan {
            todo,
            gone,
            current,
        })
    }

    /// Embeds up to `budget` texts of `plan` (all with `usize::MAX`),
    /// committing every few dozen; `progress(done, total)` is told after
    /// each commit and stops the run by answering `false`. Returns how many
    /// texts were embedded.
    pub fn run(
        &mut self,
        plan: &mut Plan,
        budget: usize,
        mut progress: impl FnMut(usize, usize) -> bool,
    ) -> Result<usize> {
        if !plan.gone.is_empty() {
            self.vectors.write(&[], &plan.gone)?;
            plan.gone.clear();
        }
        let total = plan.todo.len();
        let mut done = 0;
        while done < budget && !plan.todo.is_empty() {
            let take = COMMIT_EVERY.min(budget - done).min(plan.todo.len());
            let mut chunk: Vec<Todo> = plan.todo.drain(..take).collect();
            // Texts of like length together: less padding per batch.
            chunk.sort_by_key(|t| t.text.len());
            let refs: Vec<&str> = chunk.iter().map(|t| t.text.as_str()).collect();
            let embedded = self.model.embed(&refs)?;
            let rows: Vec<Row> = chunk
                .into_iter()
                .zip(embedded)
                .map(|(t, v)| Row {
                    paper_id: t.paper_id,
                    part: t.part,
                    source: t.source,
                    vector: Quantized::from_floats(&v),
                })
                .collect();
            self.vectors.write(&rows, &[])?;
            done += rows.len();
            if !progress(done, total) {
                break;
            }
        }
        Ok(done)
    }
}

fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// The digest a stored vector keeps of the text it was computed from.
pub fn digest(text: &str) -> i64 {
    let hash = blake3::hash(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    i64::from_le_bytes(first)
}

/// Where the job's lock lives (for messages).
pub fn lock_path(root: &Path) -> PathBuf {
    root.join(crate::library::PRIVATE_DIR)
        .join("embeddings.lock")
}
