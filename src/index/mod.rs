//! The full-text index: a tantivy index derived from SQLite.
//!
//! Architecture invariant: the index holds nothing SQLite does not. It
//! knows nothing of SQLite either: it takes documents in ([`IndexDoc`]
//! values, ids to remove) and gives ids, scores and marked text out. The
//! façade feeds it from the store (`library/indexing.rs`: the pending
//! queue, rebuilds) and builds result rows from the store. It can be
//! deleted at any time: opening the library rebuilds it.

pub mod best_match;
pub mod query;
#[cfg(test)]
mod ranking_tests;
pub mod related;
pub mod schema;
pub mod search;
pub mod stem;

use std::path::{Path, PathBuf};

use tantivy::schema::Term;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::error::{Error, Result};
pub use schema::Fields;

/// Memory budget of the index writer, split across its threads. Large enough
/// that a 100k-paper import flushes a handful of segments, small enough to
/// keep an import well under 1 GiB.
const WRITER_MEMORY: usize = 200_000_000;

/// Indexing threads. One: on a two-core machine the importing thread needs
/// the other core for SQLite, and one tantivy thread keeps pace with it.
const WRITER_THREADS: usize = 1;

/// What the index stores about one paper (the façade gathers it from the
/// store, or from the records an import is writing).
#[derive(Debug, Clone, Default)]
pub struct IndexDoc {
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    pub abstract_text: String,
    pub notes: Vec<String>,
    /// Quotes and comments of the paper's highlights.
    pub annotations: Vec<String>,
    /// Text extracted from the paper's PDF, if any.
    pub fulltext: String,
    pub tags: Vec<String>,
    pub status: String,
    pub year: Option<i32>,
}

/// The index on disk with its reader and, for the writing process, writer.
pub struct SearchIndex {
    path: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    pub fields: Fields,
}

impl SearchIndex {
    fn err(&self, e: impl std::fmt::Display) -> Error {
        index_err(&self.path, e)
    }

    /// Opens the index at `path`, creating an empty one if it is missing.
    /// Returns the index and whether it was created (or recreated because it
    /// could not be opened), in which case the caller must rebuild it.
    pub fn open(path: &Path, writable: bool) -> Result<(SearchIndex, bool)> {
        let existing = path.join("meta.json").exists();
        if existing {
            // Damaged files can make the index library panic while opening.
            let opened = crate::panics::catch(|| Self::open_existing(path, writable))
                .unwrap_or_else(|panic| Err(index_err(path, format!("damaged ({panic})"))));
            match opened {
                Ok(index) => return Ok((index, false)),
                Err(e) if !writable => return Err(e),
                Err(_) => return Ok((Self::recreate(path)?, true)),
            }
        }
        if !writable {
            return Err(index_err(
                path,
                "missing; open the library for writing to rebuild it",
            ));
        }
        Ok((Self::recreate(path)?, true))
    }

    /// Throws away whatever is at `path` and creates an empty, writable
    /// index there; the caller rebuilds it from SQLite.
    pub fn recreate(path: &Path) -> Result<SearchIndex> {
        if path.exists() {
            std::fs::remove_dir_all(path).map_err(|e| Error::io(path, e))?;
        }
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))?;
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(path, schema).map_err(|e| index_err(path, e))?;
        Self::from_index(path, index, true)
    }

    fn open_existing(path: &Path, writable: bool) -> Result<SearchIndex> {
        let index = Index::open_in_dir(path).map_err(|e| index_err(path, e))?;
        let me = Self::from_index(path, index, writable)?;
        // Open every part of every segment once (each field's terms and the
        // stored documents), so a damaged file shows up now, not mid-query.
        let searcher = me.reader.searcher();
        let schema = me.index.schema();
        let indexed: Vec<_> = schema
            .fields()
            .filter(|(_, entry)| entry.is_indexed())
            .map(|(field, _)| field)
            .collect();
        for segment in searcher.segment_readers() {
            for &field in &indexed {
                segment
                    .inverted_index(field)
                    .map_err(|e| index_err(path, e))?;
            }
            segment
                .get_store_reader(0)
                .map_err(|e| index_err(path, e))?;
        }
        Ok(me)
    }

    fn from_index(path: &Path, index: Index, writable: bool) -> Result<SearchIndex> {
        schema::register(&index);
        let fields = schema::fields_of(&index.schema()).map_err(|e| index_err(path, e))?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_err(path, e))?;
        let writer = if writable {
            let writer: IndexWriter = index
                .writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)
                .map_err(|e| index_err(path, e))?;
            // A process killed mid-write leaves files no commit refers to.
            // Tantivy would later want to create some of them again under
            // the same name (a delete file is named by segment and opstamp,
            // and opstamps restart from the last commit), so they go now.
            writer
                .garbage_collect_files()
                .wait()
                .map_err(|e| index_err(path, e))?;
            Some(writer)
        } else {
            None
        };
        Ok(SearchIndex {
            path: path.to_path_buf(),
            index,
            reader,
            writer,
            fields,
        })
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The index files whose contents no longer match their checksums
    /// (reads every file once: for an explicit check, not for every open).
    pub fn damaged_files(&self) -> Result<Vec<PathBuf>> {
        let damaged = crate::panics::catch(|| self.index.validate_checksum())
            .unwrap_or_else(|panic| Err(tantivy::TantivyError::InternalError(panic)))
            .map_err(|e| self.err(e))?;
        let mut damaged: Vec<PathBuf> = damaged.into_iter().collect();
        damaged.sort();
        Ok(damaged)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        let path = self.path.clone();
        self.writer
            .as_mut()
            .ok_or_else(|| index_err(&path, "opened read-only"))
    }

    fn document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, &d.id);
        doc.add_text(f.title, &d.title);
        for a in &d.authors {
            doc.add_text(f.author, a);
        }
        doc.add_text(f.abstract_text, &d.abstract_text);
        for n in &d.notes {
            doc.add_text(f.notes, n);
        }
        if !d.fulltext.is_empty() {
            doc.add_text(f.fulltext, &d.fulltext);
        }
        for a in &d.annotations {
            doc.add_text(f.annotations, a);
        }
        for t in &d.tags {
            doc.add_text(f.tag, t);
        }
        doc.add_text(f.status, &d.status);
        if let Some(y) = d.year.and_then(|y| u64::try_from(y).ok()) {
            doc.add_u64(f.year, y);
        }
        doc
    }

    /// Replaces (or adds) a paper's document. Not visible until [`commit`].
    ///
    /// [`commit`]: SearchIndex::commit
    pub fn upsert(&mut self, d: &IndexDoc) -> Result<()> {
        let doc = self.document(d);
        let id_field = self.fields.id;
        let w = self.writer()?;
        w.delete_term(Term::from_field_text(id_field, &d.id));
        w.add_document(doc).map_err(|e| index_err(&self.path, e))?;
        Ok(())
    }

    /// Adds a document for a paper known to be new (bulk import).
    pub fn add_new(&mut self, d: &IndexDoc) -> Result<()> {
        let doc = self.document(d);
        let w = self.writer()?;
        w.add_document(doc).map_err(|e| index_err(&self.path, e))?;
        Ok(())
    }

    pub fn remove(&mut self, id: &str) -> Result<()> {
        let id_field = self.fields.id;
        self.writer()?
            .delete_term(Term::from_field_text(id_field, id));
        Ok(())
    }

    /// Commits pending writes and makes them visible to searches.
    pub fn commit(&mut self) -> Result<()> {
        let path = self.path.clone();
        self.writer()?.commit().map_err(|e| index_err(&path, e))?;
        self.reader.reload().map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Drops uncommitted writes (after the SQLite transaction failed).
    pub fn rollback(&mut self) {
        if let Some(w) = self.writer.as_mut() {
            let _ = w.rollback();
        }
    }

    /// Removes every document. Not visible until [`commit`]: a rebuild
    /// adds every paper again before committing.
    ///
    /// [`commit`]: SearchIndex::commit
    pub fn remove_all(&mut self) -> Result<()> {
        let path = self.path.clone();
        self.writer()?
            .delete_all_documents()
            .map_err(|e| index_err(&path, e))?;
        Ok(())
    }
}

fn index_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Index {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str) -> IndexDoc {
        IndexDoc {
            id: id.to_string(),
            title: title.to_string(),
            status: "unread".to_string(),
            ..IndexDoc::default()
        }
    }

    /// What a process killed between writing a delete file and committing
    /// leaves behind: files listed in `.managed.json` that no commit uses,
    /// with the names the next commits will want.
    fn leave_orphan_delete_files(path: &Path, index: &Index) {
        let managed = path.join(".managed.json");
        let text = std::fs::read_to_string(&managed).unwrap();
        let mut names: Vec<String> = serde_json::from_str(&text).unwrap();
        for segment in index.searchable_segment_ids().unwrap() {
            for opstamp in 0..50 {
                let name = format!("{}.{opstamp}.del", segment.uuid_string());
                std::fs::write(path.join(&name), b"left by a killed process").unwrap();
                names.push(name);
            }
        }
        std::fs::write(&managed, serde_json::to_string(&names).unwrap()).unwrap();
    }

    #[test]
    fn files_left_by_a_killed_writer_do_not_block_the_next_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        {
            let (mut index, created) = SearchIndex::open(&path, true).unwrap();
            assert!(created);
            for i in 0..5 {
                index
                    .add_new(&doc(&format!("p{i}"), "attention is all you need"))
                    .unwrap();
            }
            index.commit().unwrap();
            leave_orphan_delete_files(&path, index.index());
        }
        let (mut index, created) = SearchIndex::open(&path, true).unwrap();
        assert!(!created);
        index.remove("p1").unwrap();
        index.upsert(&doc("p2", "a new title")).unwrap();
        index.commit().unwrap();
        assert_eq!(index.num_docs(), 4);
    }

    #[test]
    fn an_index_of_an_older_schema_is_recreated_for_rebuilding() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        std::fs::create_dir_all(&path).unwrap();
        let mut old = tantivy::schema::Schema::builder();
        old.add_text_field("id", tantivy::schema::STRING | tantivy::schema::STORED);
        old.add_text_field("title", tantivy::schema::TEXT);
        Index::create_in_dir(&path, old.build()).unwrap();
        assert!(SearchIndex::open(&path, false).is_err());
        let (index, created) = SearchIndex::open(&path, true).unwrap();
        assert!(created, "the caller must be told to rebuild");
        assert!(index.index().schema().get_field("annotations").is_ok());
    }
}
