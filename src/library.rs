//! The `Library` façade: the one API the CLI and the desktop shell use.
//!
//! A library is a folder; its private state lives in `.lectern/`
//! (`lectern.db`, `index/`, `lock`). Opening for writing takes an exclusive
//! lock on `.lectern/lock`, so one process at a time owns the SQLite write
//! connection and the tantivy writer. A second process can still open the
//! library read-only ([`Library::open_for_reading`]) to list, show, search
//! and export.
//!
//! Every write is one SQLite transaction that also records what the index
//! owes (`pending_index`); after the commit the index applies and clears it.
//!
//! ```no_run
//! # fn main() -> lectern::Result<()> {
//! let mut lib = lectern::Library::open("demo-library")?;
//! lib.import_text("A Title\n\nAn abstract long enough to be prose, with more words than a title has. It ends here.", "pasted")?;
//! for hit in lib.search("abstract", 10)? {
//!     println!("{} {}", hit.citekey, hit.title);
//! }
//! # Ok(()) }
//! ```

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::citekey::Allocator;
use crate::error::{Error, Result};
use crate::index::{IndexDoc, SearchIndex};
use crate::model::{
    Annotation, ImportReport, NewPaper, Note, Paper, Problem, Related, SearchHit, Status,
    TextPosition, TextQuote,
};
use crate::store::{self, now};
use crate::sync::{self as folder, SyncReport};

/// Name of the private folder inside a library.
pub const PRIVATE_DIR: &str = ".lectern";

/// From this many papers on, an import loads the library's identifying keys
/// into memory instead of looking each paper up.
const BULK_IMPORT: usize = 1000;

/// Folder inside a library where attached files live, one subfolder per
/// citekey.
pub const ATTACHMENTS_DIR: &str = "attachments";

/// Gives paper `id` what a PDF import brings: its text (when the paper has
/// none) and the file, copied to `attachments/<citekey>/` and linked.
/// Returns whether anything changed.
fn merge_pdf(
    tx: &Transaction<'_>,
    root: &Path,
    id: &str,
    p: &NewPaper,
    copied: &mut Vec<PathBuf>,
) -> Result<bool> {
    let mut changed = false;
    if !p.fulltext.trim().is_empty() && store::papers::fulltext(tx, id)?.is_none() {
        store::papers::set_fulltext(tx, id, &p.fulltext)?;
        changed = true;
    }
    let Some(src) = &p.attachment else {
        return Ok(changed);
    };
    let citekey = store::papers::row(tx, id)?.citekey;
    let name = src
        .file_name()
        .map(|n| crate::paths::safe_file_name(&n.to_string_lossy()))
        .unwrap_or_else(|| "attachment.pdf".into());
    let folder = crate::paths::key_file_stem(&citekey);
    let relative = format!("{ATTACHMENTS_DIR}/{folder}/{name}");
    let mut links = store::papers::links(tx, id)?;
    if links.iter().any(|l| l.url == relative) {
        return Ok(changed);
    }
    let dest = root.join(&relative);
    if !dest.exists() {
        let bytes = std::fs::read(src).map_err(|e| Error::io(src, e))?;
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            // A symbolic link planted in attachments/ must not carry the
            // copy out of the library.
            crate::paths::ensure_dir_inside(root, dir)?;
        }
        crate::fsutil::write_atomic(&dest, &bytes)?;
        copied.push(dest);
    }
    links.push(crate::model::Link {
        url: relative,
        kind: crate::model::LinkKind::Pdf,
    });
    store::papers::set_links(tx, id, &links)?;
    Ok(true)
}

/// Removes the `wikilinks` field an importer may add (space-separated
/// citekeys) and returns the keys.
fn take_wikilinks(extra: &mut Vec<(String, String)>) -> Vec<String> {
    let mut keys = Vec::new();
    extra.retain(|(name, value)| {
        if name == "wikilinks" {
            keys.extend(value.split_whitespace().map(str::to_string));
            false
        } else {
            true
        }
    });
    keys
}

/// Removes the `ids` field (BibLaTeX: other keys of the entry, as Lectern
/// exports aliases) and returns the keys.
fn take_ids(extra: &mut Vec<(String, String)>) -> Vec<String> {
    let mut keys = Vec::new();
    extra.retain(|(name, value)| {
        if name.eq_ignore_ascii_case("ids") {
            keys.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|k| !k.is_empty())
                    .map(str::to_string),
            );
            false
        } else {
            true
        }
    });
    keys
}

/// Entry types that are instructions to a bibliography style, not works.
const NOT_WORKS: &[&str] = &["ieeetranbstctl"];

/// A title for an entry that has none, from what it has: `Untitled:
/// <venue>, vol. 45, no. 2, pp. 12--20, 1980`, or its kind and key.
fn untitled_title(p: &NewPaper) -> String {
    let field = |name: &str| {
        p.extra
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut bits: Vec<String> = Vec::new();
    if let Some(first) = p.authors.first() {
        let family = crate::citekey::family_name(first);
        bits.push(if p.authors.len() > 1 {
            format!("{family} et al.")
        } else {
            family.to_string()
        });
    }
    bits.extend(p.venue.clone().or_else(|| field("howpublished")));
    bits.extend(field("volume").map(|v| format!("vol. {v}")));
    bits.extend(field("number").map(|v| format!("no. {v}")));
    bits.extend(field("pages").map(|v| format!("pp. {v}")));
    bits.extend(p.year.map(|y| y.to_string()));
    if bits.is_empty() {
        let kind = p.entry_type.as_deref().unwrap_or("entry");
        match p.citekey.as_deref() {
            Some(key) => format!("Untitled {kind} {key}"),
            None => format!("Untitled {kind}"),
        }
    } else {
        format!("Untitled: {}", bits.join(", "))
    }
}

/// How often (in papers) a long import reports progress and checks for
/// cancellation.
const PROGRESS_EVERY: usize = 250;

/// How much context an annotation keeps on each side of its quote.
const QUOTE_CONTEXT_CHARS: usize = 32;

/// An open library.
pub struct Library {
    root: PathBuf,
    conn: Connection,
    index: SearchIndex,
    /// Held for the life of a writable library; `None` when read-only.
    lock: Option<File>,
    /// The last failure to bring the index up to date after a committed
    /// write; the pending queue keeps the work for the next open.
    index_lag: Option<String>,
    /// Whether writes are written out to the library folder's files.
    mirror: bool,
    /// What write-outs and syncs since the last [`Library::take_folder_report`] did.
    folder_report: SyncReport,
    /// The last failure to write the library folder; the owed files stay
    /// recorded for the next sync.
    folder_lag: Option<String>,
}

/// What a sync compares with the library.
enum Scope<'a> {
    /// The files a walk of the folder found.
    Listed(Box<folder::Listing>),
    /// Only these paths (what file-system events named).
    Paths(&'a [PathBuf]),
}

impl Library {
    /// Opens (creating if needed) the library at `root` for reading and
    /// writing. Fails with [`Error::Locked`] if another process has it open
    /// for writing.
    pub fn open(root: impl AsRef<Path>) -> Result<Library> {
        let root = root.as_ref().to_path_buf();
        let private = root.join(PRIVATE_DIR);
        let mut lib = Library::open_unsynced(&root, &private)?;
        // Reconcile what changed in the folder while nothing watched it.
        match lib.sync() {
            Ok(report) => lib.folder_report = report,
            Err(e) => lib.folder_lag = Some(e.to_string()),
        }
        Ok(lib)
    }

    fn open_unsynced(root: &Path, private: &Path) -> Result<Library> {
        let root = root.to_path_buf();
        let private = private.to_path_buf();
        if root.exists() && !root.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: library path is not a folder",
                root.display()
            )));
        }
        std::fs::create_dir_all(&private).map_err(|e| Error::io(&private, e))?;
        // An absolute, link-free root: the watcher's events name absolute
        // paths, and paths::resolve_inside compares real paths.
        let root = root.canonicalize().map_err(|e| Error::io(&root, e))?;
        let private = root.join(PRIVATE_DIR);
        write_ignore_files(&root, &private)?;
        let lock_path = private.join("lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    library: root,
                    lock: lock_path,
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&lock_path, e)),
        }
        let conn = store::open(&private.join("lectern.db"))?;
        let index_path = private.join("index");
        let (mut index, created) = SearchIndex::open(&index_path, true)?;
        if created {
            index.rebuild(&conn)?;
        } else if index.replay(&conn).is_err() {
            // The index is derived data: one that cannot take the queued
            // writes (damaged by a crash) is thrown away and rebuilt.
            drop(index);
            index = SearchIndex::recreate(&index_path)?;
            index.rebuild(&conn)?;
        } else if index.num_docs() != store::papers::count(&conn)? {
            // A stale or foreign index (wrong document count) is rebuilt.
            index.rebuild(&conn)?;
        }
        Ok(Library {
            root,
            conn,
            index,
            lock: Some(lock),
            index_lag: None,
            mirror: true,
            folder_report: SyncReport::default(),
            folder_lag: None,
        })
    }

    /// Opens for writing like [`Library::open`] but leaves the folder
    /// reconciliation to the caller's first [`Library::sync`] (the desktop
    /// app runs it on its watcher thread, so the window shows at once).
    /// Writes are written out to the folder as usual.
    pub fn open_without_sync(root: impl AsRef<Path>) -> Result<Library> {
        let root = root.as_ref().to_path_buf();
        let private = root.join(PRIVATE_DIR);
        Library::open_unsynced(&root, &private)
    }

    /// Opens for writing without reading or writing the library folder's
    /// files: writes only record what the folder is owed, and the next
    /// [`Library::sync`] writes it out. For benchmarks and bulk loads.
    pub fn open_without_folder(root: impl AsRef<Path>) -> Result<Library> {
        let root = root.as_ref().to_path_buf();
        let private = root.join(PRIVATE_DIR);
        // A plain open would sync; take the same steps without it.
        let mut lib = Library::open_unsynced(&root, &private)?;
        lib.mirror = false;
        Ok(lib)
    }

    /// Opens for writing if possible, else read-only when another process
    /// holds the write lock. For commands that only read.
    pub fn open_for_reading(root: impl AsRef<Path>) -> Result<Library> {
        match Library::open(root.as_ref()) {
            Err(Error::Locked { .. }) => Library::open_read_only(root),
            other => other,
        }
    }

    /// Opens an existing library without taking the write lock.
    pub fn open_read_only(root: impl AsRef<Path>) -> Result<Library> {
        let root = root.as_ref().to_path_buf();
        let root = root.canonicalize().unwrap_or(root);
        let private = root.join(PRIVATE_DIR);
        let db = private.join("lectern.db");
        if !db.exists() {
            return Err(Error::Invalid(format!(
                "{}: not a Lectern library (no {PRIVATE_DIR}/lectern.db)",
                root.display()
            )));
        }
        let conn = store::open(&db)?;
        // Read-only, the index cannot be rebuilt here: say how to.
        let (index, _) = SearchIndex::open(&private.join("index"), false).map_err(|e| match e {
            Error::Index { path, message } => Error::Index {
                path,
                message: format!(
                    "{message}; it is damaged or being written: `lectern reindex` rebuilds it once no other Lectern holds the library"
                ),
            },
            other => other,
        })?;
        Ok(Library {
            root,
            conn,
            index,
            lock: None,
            index_lag: None,
            mirror: false,
            folder_report: SyncReport::default(),
            folder_lag: None,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn is_writable(&self) -> bool {
        self.lock.is_some()
    }

    /// Why the index is behind SQLite, if it is.
    pub fn index_lag(&self) -> Option<&str> {
        self.index_lag.as_deref()
    }

    /// Direct read access to the store, for exporters and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn ensure_writable(&self) -> Result<()> {
        if self.lock.is_some() {
            Ok(())
        } else {
            Err(Error::Locked {
                library: self.root.clone(),
                lock: self.root.join(PRIVATE_DIR).join("lock"),
            })
        }
    }

    /// Runs `f` in one write transaction, then brings the index up to date.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.ensure_writable()?;
        let root = self.root.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| Error::from(e).in_library(&root))?;
        let out = f(&tx).map_err(|e| e.in_library(&root))?;
        tx.commit().map_err(|e| Error::from(e).in_library(&root))?;
        self.catch_up_index();
        self.write_out();
        Ok(out)
    }

    /// Writes what the library folder is owed, when mirroring. A failure
    /// (a full disk) does not undo the committed change: the owed files
    /// stay recorded and the next write or sync retries.
    fn write_out(&mut self) {
        if !self.mirror {
            return;
        }
        let mut report = SyncReport::default();
        match folder::flush(&mut self.conn, &self.root, &mut report) {
            Ok(()) => self.folder_lag = None,
            Err(e) => self.folder_lag = Some(e.to_string()),
        }
        merge_reports(&mut self.folder_report, report);
    }

    fn catch_up_index(&mut self) {
        self.index_lag = self.index.replay(&self.conn).err().map(|e| e.to_string());
    }

    // ----- import -------------------------------------------------------

    /// Imports a text in any format the importer recognises.
    pub fn import_text(&mut self, text: &str, source: &str) -> Result<ImportReport> {
        let parsed = crate::import::parse(text, source)?;
        self.import_papers(parsed.papers, parsed.problems)
    }

    /// Imports a file (format detected from its content).
    pub fn import_file(&mut self, path: &Path) -> Result<ImportReport> {
        let parsed = crate::import::read_file(path)?;
        self.import_papers(parsed.papers, parsed.problems)
    }

    /// Adds papers in one transaction, merging those already present
    /// (matched by DOI, arXiv id, then normalized title).
    pub fn import_papers(
        &mut self,
        papers: Vec<NewPaper>,
        problems: Vec<Problem>,
    ) -> Result<ImportReport> {
        self.import_papers_with_progress(papers, problems, &mut |_, _| true)
    }

    /// [`Library::import_papers`], reporting `(done, total)` every few
    /// hundred papers. When `progress` returns `false` the import stops and
    /// is rolled back: nothing of it is written ([`Error::Cancelled`]).
    pub fn import_papers_with_progress(
        &mut self,
        papers: Vec<NewPaper>,
        problems: Vec<Problem>,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<ImportReport> {
        self.ensure_writable()?;
        let total = papers.len();
        let mut report = ImportReport {
            problems,
            ..Default::default()
        };
        let now = now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let root = self.root.clone();
        // Attachments copied into the library folder by this import, removed
        // again if it does not commit.
        let mut copied: Vec<PathBuf> = Vec::new();
        let result = (|| -> Result<Vec<String>> {
            let mut alloc = Allocator::new(store::papers::citekeys(&tx)?);
            let last_seq = store::pending::last_paper_seq(&tx)?;
            let mut merged_ids = Vec::new();
            // Large imports match duplicates in memory; small ones ask SQLite.
            let mut dedup = if papers.len() >= BULK_IMPORT {
                Some(store::duplicates::DedupIndex::load(&tx)?)
            } else {
                None
            };
            // `[[wikilinks]]` an importer found, made relations at the end
            // so papers later in the same import can be their targets.
            let mut wikilinks: Vec<(String, String)> = Vec::new();
            for (done, mut p) in papers.into_iter().enumerate() {
                if done % PROGRESS_EVERY == 0 && !progress(done, total) {
                    return Err(Error::Cancelled);
                }
                let links_to = take_wikilinks(&mut p.extra);
                let other_keys = take_ids(&mut p.extra);
                if p.entry_type
                    .as_deref()
                    .is_some_and(|t| NOT_WORKS.contains(&t.to_ascii_lowercase().as_str()))
                {
                    report.rejected += 1;
                    report.problems.push(Problem {
                        location: p.source.clone(),
                        message: format!(
                            "`@{}` controls a bibliography style; it is not a work, so it is left out",
                            p.entry_type.as_deref().unwrap_or_default()
                        ),
                    });
                    continue;
                }
                if p.title.trim().is_empty() {
                    // Physics and other styles cite without titles; the
                    // entry is kept under a title made of what it has.
                    p.title = untitled_title(&p);
                    report.problems.push(Problem {
                        location: p.source.clone(),
                        message: format!("entry has no title; imported as “{}”", p.title),
                    });
                }
                report
                    .problems
                    .extend(crate::paths::drop_unsafe_links(&mut p));
                report.problems.extend(crate::import::cap_sizes(&mut p));
                let existing = match &dedup {
                    Some(d) => d.find(&p),
                    None => store::duplicates::find_duplicate(&tx, &p)?,
                };
                let paper_id = match existing {
                    Some(found) => {
                        let existing = found.id;
                        let source = p.source.clone();
                        let mut changed = store::papers::merge_missing(&tx, &existing, &p, &now)?;
                        changed |= merge_pdf(&tx, &root, &existing, &p, &mut copied)?;
                        let row = store::papers::row(&tx, &existing)?;
                        // The record's own key keeps working: it becomes
                        // an alias of the paper it merged into.
                        let alias = match p.citekey.as_deref().map(str::trim) {
                            Some(key)
                                if !key.is_empty()
                                    && key != row.citekey
                                    && !store::aliases::for_paper(&tx, &existing)?
                                        .iter()
                                        .any(|a| a == key) =>
                            {
                                if store::aliases::add(&tx, &existing, key)? {
                                    alloc.take(key);
                                    changed = true;
                                    Some(key.to_string())
                                } else {
                                    None
                                }
                            }
                            _ => None,
                        };
                        if changed {
                            // The paper's file shows what merged (a PDF link
                            // from `merge_pdf` touches no column of papers).
                            store::papers::touch(&tx, &existing, &now)?;
                            report.merges.push(crate::model::Merge {
                                source,
                                citekey: row.citekey,
                                reason: found.reason.to_string(),
                                alias,
                            });
                            store::pending::mark(&tx, &existing)?;
                            report.merged += 1;
                            merged_ids.push(existing.clone());
                        } else {
                            report.skipped += 1;
                        }
                        existing
                    }
                    None => {
                        let id = store::new_id();
                        // The source's own key when it is free, else ours.
                        let citekey = match p.citekey.as_deref() {
                            Some(key) if alloc.try_take(key) => key.to_string(),
                            _ => alloc.allocate(&p.authors, &p.title, p.year),
                        };
                        store::papers::insert(&tx, &id, &citekey, &p, &now)?;
                        merge_pdf(&tx, &root, &id, &p, &mut copied)?;
                        if report.added == 0 {
                            // One row covers every paper this import adds.
                            store::pending::mark_added_after(&tx, last_seq)?;
                        }
                        if let Some(d) = dedup.as_mut() {
                            d.add(&id, &p);
                        }
                        self.index.add_new(&IndexDoc {
                            id: id.clone(),
                            title: p.title,
                            authors: p.authors,
                            abstract_text: p.abstract_text,
                            notes: p.note.into_iter().collect(),
                            fulltext: p.fulltext,
                            annotations: Vec::new(),
                            tags: p.tags,
                            status: Status::Unread.as_str().to_string(),
                            year: p.year,
                        })?;
                        report.added += 1;
                        report.added_ids.push(id.clone());
                        id
                    }
                };
                for key in other_keys {
                    if store::aliases::add(&tx, &paper_id, &key)? {
                        alloc.take(&key);
                    }
                }
                wikilinks.extend(links_to.into_iter().map(|key| (paper_id.clone(), key)));
            }
            for (from, key) in wikilinks {
                // A link to a paper the library does not have is left out.
                if let Ok(to) = store::papers::resolve(&tx, &key)
                    && to != from
                {
                    store::relations::insert(&tx, &from, &to, "related", &now)?;
                }
            }
            // Free-standing notes may mention papers this import added.
            if store::mentions::any_free_notes(&tx)? {
                for id in store::mentions::refresh(&tx, &[])? {
                    store::pending::mark(&tx, &id)?;
                    if !merged_ids.contains(&id) {
                        merged_ids.push(id);
                    }
                }
            }
            if !progress(total, total) {
                return Err(Error::Cancelled);
            }
            Ok(merged_ids)
        })();
        // The index flushes its new segment on the other core while SQLite
        // commits. Both must succeed; if SQLite fails, the index forgets
        // the papers again.
        let index = &mut self.index;
        let (committed, indexed) = std::thread::scope(|scope| {
            let flush = scope.spawn(move || index.commit());
            let committed = result.and_then(|m| tx.commit().map(|_| m).map_err(Error::from));
            let indexed = flush.join().unwrap_or_else(|_| {
                Err(Error::Index {
                    path: self.root.join(PRIVATE_DIR).join("index"),
                    message: "index commit panicked".into(),
                })
            });
            (committed, indexed)
        });
        let merged_ids = match committed {
            Ok(m) => m,
            Err(e) => {
                for file in &copied {
                    let _ = std::fs::remove_file(file);
                }
                if indexed.is_ok() {
                    for id in &report.added_ids {
                        let _ = self.index.remove(id);
                    }
                    // If this fails too, the document count no longer
                    // matches SQLite and the next open rebuilds the index.
                    let _ = self.index.commit();
                } else {
                    self.index.rollback();
                }
                return Err(e.in_library(&self.root));
            }
        };
        // Merged papers are re-read from SQLite and re-indexed.
        let finish = indexed.and_then(|()| {
            let seq = store::pending::max_seq(&self.conn)?;
            if !merged_ids.is_empty() {
                for id in &merged_ids {
                    if let Some(doc) = IndexDoc::load(&self.conn, id)? {
                        self.index.upsert(&doc)?;
                    }
                }
                self.index.commit()?;
            }
            store::pending::clear(&self.conn, seq)
        });
        self.index_lag = finish.err().map(|e| e.to_string());
        self.write_out();
        Ok(report)
    }

    // ----- reading ------------------------------------------------------

    /// Resolves an id or citekey to an id.
    pub fn resolve(&self, key: &str) -> Result<String> {
        store::papers::resolve(&self.conn, key)
    }

    /// A paper with its notes, highlights and relations.
    pub fn paper(&self, key: &str) -> Result<Paper> {
        let id = self.resolve(key)?;
        store::papers::load(&self.conn, &id)
    }

    /// Papers in import order, optionally filtered.
    pub fn list(&self, tag: Option<&str>, status: Option<Status>) -> Result<Vec<Paper>> {
        store::papers::list_ids(&self.conn, tag, status)?
            .iter()
            .map(|id| store::papers::load(&self.conn, id))
            .collect()
    }

    pub fn count(&self) -> Result<u64> {
        store::papers::count(&self.conn)
    }

    /// Full-text search; see [`crate::index::query`] for the syntax.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        self.index_read(|| self.index.search(&self.conn, query, limit))
    }

    /// Runs a read of the index. The index checks its files when it opens;
    /// damage it cannot see then can make the index library panic while
    /// reading, which becomes a one-line error naming the way out.
    fn index_read<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
            Err(Error::Index {
                path: self.root.join(PRIVATE_DIR).join("index"),
                message: "the index is damaged (reading it failed); `lectern reindex` rebuilds it from the library".into(),
            })
        })
    }

    /// Suggested related papers plus the user's own relations.
    pub fn related(&self, key: &str, limit: usize) -> Result<Related> {
        let id = self.resolve(key)?;
        Ok(Related {
            suggestions: self.index_read(|| self.index.related(&self.conn, &id, limit))?,
            relations: store::relations::for_paper(&self.conn, &id)?,
        })
    }

    pub fn notes(&self, key: &str) -> Result<Vec<Note>> {
        let id = self.resolve(key)?;
        store::notes::for_paper(&self.conn, &id)
    }

    // ----- writing ------------------------------------------------------

    /// Adds a Markdown note to a paper.
    pub fn add_note(&mut self, key: &str, body: &str) -> Result<Note> {
        let paper_id = self.resolve(key)?;
        if body.trim().is_empty() {
            return Err(Error::Invalid("note is empty".into()));
        }
        self.write(|tx| {
            let id = store::new_id();
            let now = now();
            store::notes::insert(tx, &id, &paper_id, body, &now)?;
            store::papers::touch(tx, &paper_id, &now)?;
            store::pending::mark(tx, &paper_id)?;
            store::notes::get(tx, &id)
        })
    }

    pub fn update_note(&mut self, note_id: &str, body: &str) -> Result<Note> {
        self.write(|tx| {
            let note = store::notes::get(tx, note_id)?;
            let now = now();
            store::notes::update(tx, note_id, body, &now)?;
            store::papers::touch(tx, &note.paper_id, &now)?;
            store::pending::mark(tx, &note.paper_id)?;
            store::notes::get(tx, note_id)
        })
    }

    pub fn delete_note(&mut self, note_id: &str) -> Result<()> {
        self.write(|tx| {
            let note = store::notes::get(tx, note_id)?;
            store::notes::delete(tx, note_id)?;
            store::papers::touch(tx, &note.paper_id, &now())?;
            store::pending::mark(tx, &note.paper_id)
        })
    }

    /// Highlights the first occurrence of `quote` in the paper's abstract.
    pub fn annotate(
        &mut self,
        key: &str,
        quote: &str,
        comment: Option<&str>,
        color: Option<&str>,
    ) -> Result<Annotation> {
        let paper = store::papers::row(&self.conn, &self.resolve(key)?)?;
        if quote.is_empty() {
            return Err(Error::Invalid("quote is empty".into()));
        }
        let Some(byte_start) = paper.abstract_text.find(quote) else {
            return Err(Error::Invalid(format!(
                "quote `{}` not found in the text of paper `{}`",
                crate::text::fold_whitespace(quote),
                paper.citekey
            )));
        };
        let start = paper.abstract_text[..byte_start].chars().count();
        let end = start + quote.chars().count();
        self.annotate_range(&paper.id, start, end, comment, color)
    }

    /// Highlights characters `start..end` of the paper's abstract (what the
    /// desktop reader sends for a selection).
    pub fn annotate_range(
        &mut self,
        key: &str,
        start: usize,
        end: usize,
        comment: Option<&str>,
        color: Option<&str>,
    ) -> Result<Annotation> {
        let paper = store::papers::row(&self.conn, &self.resolve(key)?)?;
        let text = &paper.abstract_text;
        let len = text.chars().count();
        if start >= end || end > len {
            return Err(Error::Invalid(format!(
                "highlight range {start}..{end} is outside the text of paper `{}` ({len} characters)",
                paper.citekey
            )));
        }
        let color = resolve_color(color)?;
        let b = |c: usize| crate::text::char_to_byte(text, c);
        let quote = TextQuote {
            exact: text[b(start)..b(end)].to_string(),
            prefix: text[b(start.saturating_sub(QUOTE_CONTEXT_CHARS))..b(start)].to_string(),
            suffix: text[b(end)..b((end + QUOTE_CONTEXT_CHARS).min(len))].to_string(),
        };
        let now = now();
        let annotation = Annotation {
            id: store::new_id(),
            paper_id: paper.id.clone(),
            quote,
            position: TextPosition { start, end },
            color: color.to_string(),
            comment: comment.map(str::to_string).filter(|c| !c.trim().is_empty()),
            created: now.clone(),
            updated: now.clone(),
        };
        self.write(|tx| {
            store::annotations::insert(tx, &annotation)?;
            store::papers::touch(tx, &annotation.paper_id, &now)?;
            store::pending::mark(tx, &annotation.paper_id)?;
            Ok(annotation.clone())
        })
    }

    /// Changes a highlight's color and/or comment (`Some("")` clears it).
    pub fn update_annotation(
        &mut self,
        id: &str,
        comment: Option<&str>,
        color: Option<&str>,
    ) -> Result<Annotation> {
        let color = color.map(|c| resolve_color(Some(c))).transpose()?;
        self.write(|tx| {
            let a = store::annotations::get(tx, id)?;
            let color = color.unwrap_or(&a.color).to_string();
            let comment = match comment {
                Some(c) if c.trim().is_empty() => None,
                Some(c) => Some(c.to_string()),
                None => a.comment.clone(),
            };
            let now = now();
            store::annotations::update(tx, id, &color, comment.as_deref(), &now)?;
            store::papers::touch(tx, &a.paper_id, &now)?;
            store::pending::mark(tx, &a.paper_id)?;
            store::annotations::get(tx, id)
        })
    }

    pub fn delete_annotation(&mut self, id: &str) -> Result<()> {
        self.write(|tx| {
            let a = store::annotations::get(tx, id)?;
            store::annotations::delete(tx, id)?;
            store::papers::touch(tx, &a.paper_id, &now())?;
            store::pending::mark(tx, &a.paper_id)
        })
    }

    /// Links two papers with a typed relation (`related`, `cites`,
    /// `extends`, `contradicts` or any word). Returns whether it was new.
    pub fn link(&mut self, from: &str, to: &str, kind: &str) -> Result<bool> {
        let src = self.resolve(from)?;
        let dst = self.resolve(to)?;
        if src == dst {
            return Err(Error::Invalid(format!(
                "cannot link paper `{from}` to itself"
            )));
        }
        let kind = normalize_relation_kind(kind)?;
        self.write(|tx| {
            let now = now();
            let new = store::relations::insert(tx, &src, &dst, &kind, &now)?;
            store::papers::touch(tx, &src, &now)?;
            store::papers::touch(tx, &dst, &now)?;
            Ok(new)
        })
    }

    /// Removes relations between two papers (either direction). Returns how
    /// many were removed; none is an error.
    pub fn unlink(&mut self, a: &str, b: &str, kind: Option<&str>) -> Result<usize> {
        let a_id = self.resolve(a)?;
        let b_id = self.resolve(b)?;
        let n = self.write(|tx| {
            let n = store::relations::delete(tx, &a_id, &b_id, kind)?;
            if n > 0 {
                let now = now();
                store::papers::touch(tx, &a_id, &now)?;
                store::papers::touch(tx, &b_id, &now)?;
            }
            Ok(n)
        })?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "relation between",
                id: format!("{a}` and `{b}"),
            });
        }
        Ok(n)
    }

    /// Adds tags (lowercased, trimmed). Returns the paper's tags.
    pub fn tag(&mut self, key: &str, tags: &[String]) -> Result<Vec<String>> {
        let id = self.resolve(key)?;
        let tags = normalize_tags(tags)?;
        self.write(|tx| {
            for t in &tags {
                store::papers::add_tag(tx, &id, t)?;
            }
            store::papers::touch(tx, &id, &now())?;
            store::pending::mark(tx, &id)?;
            store::papers::tags(tx, &id)
        })
    }

    pub fn untag(&mut self, key: &str, tags: &[String]) -> Result<Vec<String>> {
        let id = self.resolve(key)?;
        let tags = normalize_tags(tags)?;
        self.write(|tx| {
            for t in &tags {
                store::papers::remove_tag(tx, &id, t)?;
            }
            store::papers::touch(tx, &id, &now())?;
            store::pending::mark(tx, &id)?;
            store::papers::tags(tx, &id)
        })
    }

    pub fn set_status(&mut self, key: &str, status: Status) -> Result<()> {
        let id = self.resolve(key)?;
        self.write(|tx| {
            store::papers::set_status(tx, &id, status)?;
            store::papers::touch(tx, &id, &now())?;
            store::pending::mark(tx, &id)
        })
    }

    /// Corrects a paper's title, authors, year, venue, DOI and arXiv id.
    /// The rest (abstract, links, tags, notes, highlights) stays.
    pub fn edit_paper(&mut self, key: &str, edit: &crate::model::PaperEdit) -> Result<Paper> {
        let id = self.resolve(key)?;
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(crate::text::fold_whitespace)
                .filter(|s| !s.is_empty())
        };
        let title = crate::text::fold_whitespace(&edit.title);
        if title.is_empty() {
            return Err(Error::Invalid("a paper needs a title".into()));
        }
        if let Some(y) = edit.year
            && !(1000..=2999).contains(&y)
        {
            return Err(Error::Invalid(format!("year {y} is not a year")));
        }
        let current = store::papers::load(&self.conn, &id)?;
        let next = NewPaper {
            title,
            abstract_text: current.abstract_text,
            authors: edit
                .authors
                .iter()
                .map(|a| crate::text::fold_whitespace(a))
                .filter(|a| !a.is_empty())
                .collect(),
            year: edit.year,
            doi: clean(&edit.doi).map(|d| store::papers::normalize_doi(&d)),
            arxiv: clean(&edit.arxiv),
            links: current.links,
            tags: current.tags,
            venue: clean(&edit.venue),
            entry_type: current.entry_type,
            extra: current.extra,
            ..NewPaper::default()
        };
        self.write(|tx| {
            store::papers::replace_metadata(tx, &id, &next)?;
            store::papers::touch(tx, &id, &now())?;
            store::pending::mark(tx, &id)?;
            store::papers::load(tx, &id)
        })
    }

    pub fn set_starred(&mut self, key: &str, starred: bool) -> Result<()> {
        let id = self.resolve(key)?;
        self.write(|tx| {
            store::papers::set_starred(tx, &id, starred)?;
            store::papers::touch(tx, &id, &now())
        })
    }

    // ----- the library folder ---------------------------------------------

    /// Reconciles the library with its folder: applies files changed
    /// outside Lectern, imports the inbox, writes what the folder is owed
    /// and forgets trash older than 30 days. See [`crate::sync`].
    pub fn sync(&mut self) -> Result<SyncReport> {
        self.ensure_writable()?;
        let listing = folder::list(&self.root)?;
        self.sync_scoped(Scope::Listed(Box::new(listing)))
    }

    /// [`Library::sync`] limited to the files at `paths` (what the
    /// watcher's events named); `inbox/` is imported when a path is in it.
    pub fn sync_paths(&mut self, paths: &[PathBuf]) -> Result<SyncReport> {
        self.sync_scoped(Scope::Paths(paths))
    }

    /// [`Library::sync`] from a walk of the folder made beforehand with
    /// [`folder::list`] (which needs no access to the library: the desktop
    /// app walks a large folder before it takes the library's lock, so
    /// searches are not kept waiting for it). Files that change after the
    /// walk are left to the next sync.
    pub fn sync_listed(&mut self, listing: folder::Listing) -> Result<SyncReport> {
        self.sync_scoped(Scope::Listed(Box::new(listing)))
    }

    fn sync_scoped(&mut self, scope: Scope<'_>) -> Result<SyncReport> {
        self.ensure_writable()?;
        let mut report = SyncReport::default();
        let mut paths = None;
        match scope {
            Scope::Listed(listing) => {
                folder::scan_listed(&mut self.conn, &self.root, *listing, &mut report)?
            }
            Scope::Paths(p) => {
                paths = Some(p);
                folder::scan_paths(&mut self.conn, &self.root, p, &mut report)?
            }
        }
        self.catch_up_index();
        let inbox_dir = self.root.join(folder::INBOX_DIR);
        if paths.is_none_or(|p| p.iter().any(|p| p.starts_with(&inbox_dir))) {
            let was = std::mem::replace(&mut self.mirror, true);
            let inbox = self.import_inbox(&mut report);
            self.mirror = was;
            inbox?;
        }
        folder::flush(&mut self.conn, &self.root, &mut report)?;
        let cutoff = (chrono::Utc::now() - chrono::Duration::days(folder::TRASH_DAYS))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        folder::state::trash_purge(&self.conn, &cutoff)?;
        self.folder_lag = None;
        let written = std::mem::take(&mut self.folder_report);
        merge_reports(&mut report, written);
        Ok(report)
    }

    /// Imports the files waiting in `inbox/`, a few hundred per transaction.
    fn import_inbox(&mut self, report: &mut SyncReport) -> Result<()> {
        let folder::inbox::Ready {
            files,
            waiting,
            refused,
        } = folder::inbox::ready(&self.root)?;
        report.inbox_waiting = waiting;
        report.problems.extend(refused);
        for chunk in files.chunks(500) {
            let mut papers = Vec::new();
            let mut problems = Vec::new();
            let mut imported: Vec<(&PathBuf, bool, String)> = Vec::new();
            for file in chunk {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match crate::import::read_file(file) {
                    Ok(parsed) if !parsed.papers.is_empty() => {
                        let is_pdf = parsed.papers.iter().any(|p| p.attachment.is_some());
                        let mut note = format!(
                            "{name}: {} entr{} imported {}\n",
                            parsed.papers.len(),
                            if parsed.papers.len() == 1 { "y" } else { "ies" },
                            now()
                        );
                        for p in &parsed.problems {
                            note.push_str(&format!("{}: {}\n", p.location, p.message));
                        }
                        imported.push((file, is_pdf, note));
                        papers.extend(parsed.papers);
                        problems.extend(parsed.problems);
                    }
                    Ok(parsed) => {
                        let why = parsed
                            .problems
                            .first()
                            .map(|p| format!("{}: {}", p.location, p.message))
                            .unwrap_or_else(|| format!("{name}: no papers found"));
                        folder::inbox::failed(&self.root, file, &why)?;
                        report.inbox_failed += 1;
                        report.problems.push(why);
                    }
                    Err(e) => {
                        folder::inbox::failed(&self.root, file, &e.to_string())?;
                        report.inbox_failed += 1;
                        report.problems.push(e.to_string());
                    }
                }
            }
            if papers.is_empty() {
                continue;
            }
            // On failure the files stay in the inbox for the next sync.
            let result = self.import_papers(papers, problems)?;
            for p in &result.problems {
                report
                    .problems
                    .push(format!("{}: {}", p.location, p.message));
            }
            for (file, is_pdf, note) in imported {
                folder::inbox::done(&self.root, file, is_pdf, &note)?;
                report.inbox_imported += 1;
            }
        }
        Ok(())
    }

    /// Writes what the library folder is owed now (also when this library
    /// was opened without the folder).
    pub fn write_folder(&mut self) -> Result<SyncReport> {
        self.ensure_writable()?;
        let mut report = SyncReport::default();
        folder::flush(&mut self.conn, &self.root, &mut report)?;
        Ok(report)
    }

    /// Whether writes go to the library folder's files right away.
    pub fn set_folder_mirror(&mut self, on: bool) {
        self.mirror = on;
    }

    /// What write-outs and syncs did since the last call.
    pub fn take_folder_report(&mut self) -> SyncReport {
        std::mem::take(&mut self.folder_report)
    }

    /// Why the library folder is behind the store, if it is.
    pub fn folder_lag(&self) -> Option<&str> {
        self.folder_lag.as_deref()
    }

    /// Where the folder disagrees with the store (empty when they agree).
    pub fn check_folder(&self) -> Result<Vec<String>> {
        folder::check_folder(&self.conn, &self.root)
    }

    /// Deletes a paper: it moves to the trash, where
    /// [`Library::restore_paper`] can bring it back for 30 days.
    pub fn delete_paper(&mut self, key: &str) -> Result<folder::state::TrashEntry> {
        let id = self.resolve(key)?;
        self.write(|tx| folder::trash(tx, &id, &now()))
    }

    /// The trash, newest first.
    pub fn trash(&self) -> Result<Vec<folder::state::TrashEntry>> {
        folder::state::trash_list(&self.conn)
    }

    /// Merges paper `other` into paper `keep` (ids, citekeys or aliases):
    /// see [`store::merge::merge_papers`]. Returns the merged paper.
    pub fn merge_papers(&mut self, keep: &str, other: &str) -> Result<Paper> {
        let keep = self.resolve(keep)?;
        let other = self.resolve(other)?;
        self.write(|tx| store::merge::merge_papers(tx, &keep, &other, &now()))?;
        self.paper(&keep)
    }

    /// Pairs of papers with the same title that are kept apart, and why.
    pub fn possible_duplicates(
        &self,
        limit: usize,
    ) -> Result<Vec<crate::model::PossibleDuplicate>> {
        store::merge::possible_duplicates(&self.conn, limit)
    }

    /// Brings a paper back from the trash (by id or citekey) with its
    /// notes, highlights and links to papers still in the library.
    /// Returns its citekey.
    pub fn restore_paper(&mut self, key: &str) -> Result<String> {
        let Some((entry, content)) = folder::state::trash_take(&self.conn, key.trim())? else {
            return Err(Error::NotFound {
                what: "paper in the trash",
                id: key.to_string(),
            });
        };
        let source = format!("trash/{}.md", crate::paths::key_file_stem(&entry.citekey));
        let f = folder::file::parse(&content, &source)
            .map_err(|p| Error::Invalid(format!("{}: {}", p.location, p.message)))?;
        let root = self.root.clone();
        self.write(|tx| {
            let now = now();
            // What cannot be applied again (an alias taken since) is left out.
            let mut left_out = Vec::new();
            let id = folder::apply::create(tx, &root, &f, &now, &source, &mut left_out)?;
            folder::apply::apply_relations(tx, &id, &f.relations, &now)?;
            folder::state::trash_remove(tx, &entry.paper_id)?;
            Ok(store::papers::row(tx, &id)?.citekey)
        })
    }

    /// Rebuilds a library whose database is damaged from its folder: the
    /// old private state is moved to `.lectern/damaged-<UTC>/` (nothing is
    /// deleted), then the library is opened afresh, which reads every
    /// paper file, note and attachment. Refused while another Lectern
    /// holds the library. Returns the rebuilt library and where the old
    /// state went.
    pub fn repair(root: impl AsRef<Path>) -> Result<(Library, PathBuf)> {
        let root = root.as_ref();
        let private = root.join(PRIVATE_DIR);
        if !private.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: not a Lectern library (no {PRIVATE_DIR}/); nothing to repair",
                root.display()
            )));
        }
        let lock_path = private.join("lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    library: root.to_path_buf(),
                    lock: lock_path,
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&lock_path, e)),
        }
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let moving = root.join(format!("{PRIVATE_DIR}-repair-{stamp}"));
        std::fs::rename(&private, &moving).map_err(|e| Error::io(&private, e))?;
        drop(lock);
        std::fs::create_dir_all(&private).map_err(|e| Error::io(&private, e))?;
        let kept = private.join(format!("damaged-{stamp}"));
        std::fs::rename(&moving, &kept).map_err(|e| Error::io(&moving, e))?;
        let lib = Library::open(root)?;
        Ok((lib, kept))
    }

    /// Rebuilds the full-text index from SQLite.
    pub fn reindex(&mut self) -> Result<u64> {
        self.ensure_writable()?;
        self.index.rebuild(&self.conn)?;
        self.index_lag = None;
        Ok(self.index.num_docs())
    }

    /// Writes one Markdown file per paper into `dir`, keeping what the user
    /// wrote in files exported before.
    pub fn export_markdown(&self, dir: &Path) -> Result<crate::export::markdown::ExportReport> {
        crate::export::markdown::export(&self.conn, dir, None)
    }

    /// Exports only the given papers (ids or citekeys) to Markdown files.
    pub fn export_markdown_of(
        &self,
        dir: &Path,
        keys: &[String],
    ) -> Result<crate::export::markdown::ExportReport> {
        let ids = keys
            .iter()
            .map(|k| self.resolve(k))
            .collect::<Result<Vec<_>>>()?;
        crate::export::markdown::export(&self.conn, dir, Some(&ids))
    }

    /// Ids of every paper a search finds, best first.
    pub fn search_ids(&self, query: &str) -> Result<Vec<String>> {
        let limit = usize::try_from(self.count()?).unwrap_or(usize::MAX).max(1);
        Ok(self
            .search(query, limit)?
            .into_iter()
            .map(|h| h.id)
            .collect())
    }

    /// Papers to export: those `query` finds, or all in import order.
    fn papers_for_export(&self, query: Option<&str>) -> Result<Vec<Paper>> {
        let ids = match query {
            Some(q) => self.search_ids(q)?,
            None => store::papers::all_ids(&self.conn)?,
        };
        ids.iter()
            .map(|id| store::papers::load(&self.conn, id))
            .collect()
    }

    /// The library (or a search's results) as BibTeX.
    pub fn export_bibtex(&self, query: Option<&str>) -> Result<String> {
        let papers = self.papers_for_export(query)?;
        let entries: Vec<_> = papers.iter().map(crate::export::record).collect();
        Ok(crate::export::bibtex::render(&entries))
    }

    /// The library (or a search's results) as CSL-JSON.
    pub fn export_csl_json(&self, query: Option<&str>) -> Result<String> {
        let papers = self.papers_for_export(query)?;
        let items: Vec<_> = papers.iter().map(crate::export::record).collect();
        Ok(crate::export::csl::render(&items))
    }

    /// The absolute path of an attachment named by its link
    /// (`attachments/<citekey>/<file>`); refuses anything outside the
    /// library's attachments folder.
    pub fn attachment_path(&self, relative: &str) -> Result<PathBuf> {
        let base = self.root.join(ATTACHMENTS_DIR);
        let outside = || Error::Invalid(format!("{relative}: not an attachment of this library"));
        let base = base.canonicalize().map_err(|_| outside())?;
        let file = self
            .root
            .join(relative)
            .canonicalize()
            .map_err(|e| Error::io(self.root.join(relative), e))?;
        if file.starts_with(&base) && file.is_file() {
            Ok(file)
        } else {
            Err(outside())
        }
    }

    // ----- views for front ends -----------------------------------------

    /// Paper count, and counts per tag, status and star.
    pub fn facets(&self) -> Result<crate::views::Facets> {
        crate::views::facets(&self.conn)
    }

    /// Search with sidebar filters; an empty query browses instead.
    pub fn find(
        &self,
        query: &str,
        filter: &crate::views::Filter,
        limit: usize,
    ) -> Result<Vec<SearchHit>> {
        if query.trim().is_empty() {
            return self.browse(filter, limit);
        }
        // Filters go first so the user's last word stays a prefix.
        let mut q = String::new();
        if let Some(tag) = &filter.tag {
            q.push_str(&format!("tag:\"{}\" ", tag.replace('"', "")));
        }
        if let Some(status) = filter.status {
            q.push_str(&format!("status:{status} "));
        }
        q.push_str(query);
        if !filter.starred {
            return self.search(&q, limit);
        }
        let hits = self.search(&q, limit.saturating_mul(20).max(200))?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT starred FROM papers WHERE id = ?1")?;
        let mut kept = Vec::new();
        for hit in hits {
            let starred: bool = stmt.query_row([&hit.id], |r| r.get(0))?;
            if starred {
                kept.push(hit);
                if kept.len() == limit {
                    break;
                }
            }
        }
        Ok(kept)
    }

    /// Papers without a query, newest first, optionally filtered.
    pub fn browse(&self, filter: &crate::views::Filter, limit: usize) -> Result<Vec<SearchHit>> {
        crate::views::browse(&self.conn, filter, limit)
    }

    /// Notes on other papers that link to this one with `[[citekey]]`.
    pub fn backlinks(&self, key: &str) -> Result<Vec<crate::views::Backlink>> {
        let id = self.resolve(key)?;
        crate::views::backlinks(&self.conn, &id)
    }

    /// Papers whose citekey or title starts with (or title contains) `prefix`,
    /// for `[[` completion.
    pub fn complete(&self, prefix: &str, limit: usize) -> Result<Vec<crate::views::PaperRef>> {
        crate::views::complete(&self.conn, prefix, limit)
    }

    /// The user's links as a graph; with `center`, also that paper's
    /// strongest suggestions as suggested edges.
    pub fn graph(&self, center: Option<&str>, suggestions: usize) -> Result<crate::views::Graph> {
        let mut graph = crate::views::links_graph(&self.conn, crate::views::GRAPH_EDGE_LIMIT)?;
        if let Some(key) = center {
            let id = self.resolve(key)?;
            let related = self.index_read(|| self.index.related(&self.conn, &id, suggestions))?;
            let me = crate::views::paper_ref(&self.conn, &id)?;
            crate::views::add_suggestions(&mut graph, me, related);
        }
        Ok(graph)
    }
}

fn resolve_color(color: Option<&str>) -> Result<&'static str> {
    match color {
        None => Ok("yellow"),
        Some(c) => crate::model::palette_color(c).ok_or_else(|| {
            let names: Vec<&str> = crate::model::PALETTE.iter().map(|(n, _)| *n).collect();
            Error::Invalid(format!(
                "unknown highlight color `{c}` (use one of {})",
                names.join(", ")
            ))
        }),
    }
}

fn normalize_relation_kind(kind: &str) -> Result<String> {
    let k = kind.trim().to_lowercase();
    if k.is_empty()
        || !k
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Invalid(format!(
            "relation kind `{kind}` must be one word (related, cites, extends, contradicts, …)"
        )));
    }
    Ok(k)
}

fn normalize_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for t in tags {
        let t = t.trim().trim_start_matches('#').to_lowercase();
        if t.is_empty() || t.chars().any(char::is_whitespace) {
            return Err(Error::Invalid(format!(
                "tag `{t}` must be one word without spaces"
            )));
        }
        out.push(t);
    }
    if out.is_empty() {
        return Err(Error::Invalid("no tags given".into()));
    }
    Ok(out)
}

/// Keeps `.lectern/` out of git and Syncthing.
/// Adds what `more` did to `into`.
pub(crate) fn merge_reports(into: &mut SyncReport, more: SyncReport) {
    into.written += more.written;
    into.removed += more.removed;
    into.applied += more.applied;
    into.created += more.created;
    into.renamed += more.renamed;
    into.trashed += more.trashed;
    into.notes += more.notes;
    into.inbox_imported += more.inbox_imported;
    into.inbox_failed += more.inbox_failed;
    into.inbox_waiting |= more.inbox_waiting;
    into.conflicts.extend(more.conflicts);
    into.problems.extend(more.problems);
}

fn write_ignore_files(root: &Path, private: &Path) -> Result<()> {
    let gitignore = private.join(".gitignore");
    if !gitignore.exists() {
        crate::fsutil::write_atomic(&gitignore, b"*\n")?;
    }
    let stignore = root.join(".stignore");
    if !stignore.exists() {
        crate::fsutil::write_atomic(&stignore, b".lectern\n.lectern-tmp-*\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn papers(n: usize) -> Vec<NewPaper> {
        (0..n)
            .map(|i| NewPaper {
                title: format!("Paper number {i} about cancellable imports"),
                abstract_text: format!("Abstract {i} of a paper that tests cancelling."),
                source: format!("test:{i}"),
                ..NewPaper::default()
            })
            .collect()
    }

    #[test]
    fn a_cancelled_import_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        lib.import_papers(papers(3), Vec::new()).unwrap();
        let mut calls = Vec::new();
        let err = lib
            .import_papers_with_progress(papers(600), Vec::new(), &mut |done, total| {
                calls.push((done, total));
                done < 500
            })
            .unwrap_err();
        assert!(matches!(err, Error::Cancelled), "{err}");
        assert_eq!(calls, vec![(0, 600), (250, 600), (500, 600)]);
        assert_eq!(lib.count().unwrap(), 3);
        assert_eq!(lib.search("cancellable", 1000).unwrap().len(), 3);
        // Reopening agrees: the index holds no ghost of the cancelled papers.
        drop(lib);
        let lib = Library::open(dir.path()).unwrap();
        assert_eq!(lib.count().unwrap(), 3);
        assert_eq!(lib.search("cancellable", 1000).unwrap().len(), 3);
    }

    #[test]
    fn progress_reaches_the_total() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        let mut last = (0, 0);
        let report = lib
            .import_papers_with_progress(papers(300), Vec::new(), &mut |d, t| {
                last = (d, t);
                true
            })
            .unwrap();
        assert_eq!(report.added, 300);
        assert_eq!(last, (300, 300));
    }
}
