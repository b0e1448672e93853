//! The `Library` façade: the one API the CLI and the desktop shell use.
//!
//! A library is a folder; its private state lives in `.lectern/`
//! (`lectern.db`, `index/`, `lock`). Opening for writing takes an exclusive
//! lock on `.lectern/lock`, so one process at a time owns the tantivy
//! writer. A second process writes beside it ([`WhenHeld::WriteBeside`]):
//! SQLite orders the writes, and the holder applies the index work the
//! other leaves queued ([`Library::catch_up_others`]), or, as the window
//! does, opens it read-only ([`WhenHeld::ReadOnly`]). [`Opening`] names the
//! ways front ends open a library.
//!
//! Every write is one SQLite transaction that also records what the index
//! owes (`pending_index`); after the commit the façade writes those papers'
//! documents into the index and clears the queue (`indexing.rs`).
//!
//! This file opens libraries and reads them; `import.rs` imports, `edit.rs`
//! holds the edits to papers, `folder_ops.rs` the library folder (sync,
//! inbox, trash, merge, repair), reindexing and exports; `indexing.rs`
//! feeds the index from the store and `search.rs` builds search results
//! and related suggestions from the index's ids and the store's rows.
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
use crate::index::SearchIndex;
use crate::model::{
    Annotation, ImportReport, NewPaper, Note, Paper, Problem, SearchHit, Status, TextPosition,
    TextQuote,
};
use crate::store::{self, now};
use crate::sync::{self as folder, SyncReport};

mod edit;
mod fetch;
mod folder_ops;
mod import;
mod indexing;
mod meaning;
mod pdf;
mod search;
pub mod watch;

pub use meaning::{MeaningStatus, SearchMode, query_mode};

/// Name of the private folder inside a library.
pub const PRIVATE_DIR: &str = ".lectern";

/// From this many papers on, an import loads the library's identifying keys
/// into memory instead of looking each paper up.
const BULK_IMPORT: usize = 1000;

/// Folder inside a library where attached files live, one subfolder per
/// citekey.
pub use crate::sync::ATTACHMENTS_DIR;

/// How often (in papers) a long import reports progress and checks for
/// cancellation.
const PROGRESS_EVERY: usize = 250;

/// How many papers [`Library::list`] loads at a time.
const LIST_CHUNK: usize = 2000;

/// How much context an annotation keeps on each side of its quote.
const QUOTE_CONTEXT_CHARS: usize = 32;

/// How many papers written by another process the holder indexes per
/// [`Library::catch_up_others`] call (one index commit each).
const OTHERS_CHUNK: usize = 500;

/// How long [`Library::without_waiting`] lets a write wait for another
/// process's.
const IMPATIENT: std::time::Duration = std::time::Duration::from_millis(10);

/// An open library.
pub struct Library {
    root: PathBuf,
    conn: Connection,
    index: SearchIndex,
    /// Held for the life of a writable library; `None` when read-only or
    /// shared.
    lock: Option<File>,
    /// Writing while another process holds the library (the window is
    /// open): SQLite takes the writes (its own locking orders them), the
    /// index work is left in the pending queue for the holder, which
    /// applies it ([`Library::catch_up_others`]).
    shared: bool,
    /// SQLite's `data_version` when the holder last looked for others'
    /// commits.
    data_version: Option<i64>,
    /// What [`Library::catch_up_others`] still has to apply of others'
    /// queue: the queue's last row and the papers left.
    others: Option<(i64, Vec<String>)>,
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
    /// At most how many papers one call indexes or writes out of work
    /// waiting from before (see [`Library::set_work_step`]).
    step: Option<usize>,
    /// Whether the last write-out left paper files owed (a bounded step).
    owes_files: bool,
    /// Told `(done, total)` as a write-out writes paper files.
    write_progress: Option<Box<dyn FnMut(usize, usize) + Send>>,
    /// The pages of the PDF read last for highlights (`pdf.rs`).
    pdf_cache: Option<pdf::CachedPdf>,
    /// While set, writes leave their index work queued (see
    /// [`Library::hold_index`]).
    index_held: bool,
    /// SQLite's `data_version` at the last [`Library::others_committed`].
    seen_version: Option<i64>,
    /// The embedding model and the stored vectors, loaded on first use
    /// (`meaning.rs`).
    meaning: std::sync::Mutex<crate::embed::Meaning>,
}

/// What a process does when another Lectern process holds the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenHeld {
    /// Write beside the holder: SQLite orders the writes, the holder
    /// indexes them and watches the folder.
    WriteBeside,
    /// Open read-only.
    ReadOnly,
    /// Fail with [`Error::Locked`].
    Refuse,
}

/// When opening a library compares its folder with the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconcile {
    /// Not now: the caller's first sync or
    /// [`FolderSession`](watch::FolderSession) does.
    Later,
    /// Now: every file's size and modification time against the records
    /// (a quick look first, see [`crate::sync::glance`]), and a full sync
    /// when anything differs.
    Now,
    /// Only when the times of the folders moved since the last comparison
    /// (files added, removed or renamed), then as [`Reconcile::Now`]. A
    /// file written in place is seen by the next comparison.
    WhenFoldersMoved,
}

/// How a front end opens a library ([`Library::open_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    /// When to compare the folder with the library.
    pub reconcile: Reconcile,
    /// Write paper files as writes happen (else writes only record what the
    /// folder is owed, and the next sync writes it).
    pub write_files: bool,
    /// What to do when another process holds the library.
    pub when_held: WhenHeld,
    /// See [`Library::set_work_step`].
    pub work_step: Option<usize>,
}

impl Opening {
    /// The CLI: reconcile now, write files, write beside a holder.
    pub const CLI: Opening = Opening {
        reconcile: Reconcile::Now,
        write_files: true,
        when_held: WhenHeld::WriteBeside,
        work_step: None,
    };
    /// The CLI's read commands: like [`Opening::CLI`], but the folder is
    /// compared only when its folders' times moved.
    pub const READ: Opening = Opening {
        reconcile: Reconcile::WhenFoldersMoved,
        write_files: true,
        when_held: WhenHeld::WriteBeside,
        work_step: None,
    };
    /// `lectern sync`: like the CLI, but the caller syncs (or checks)
    /// itself, and only the holder may.
    pub const SYNC: Opening = Opening {
        reconcile: Reconcile::Later,
        write_files: true,
        when_held: WhenHeld::Refuse,
        work_step: None,
    };
    /// The window: show at once and leave the folder to its
    /// `FolderSession`; work from before in steps of 500 papers between
    /// the window's commands; read-only when another process holds it.
    pub const WINDOW: Opening = Opening {
        reconcile: Reconcile::Later,
        write_files: true,
        when_held: WhenHeld::ReadOnly,
        work_step: Some(500),
    };
    /// Benchmarks and bulk loads: no paper files until a sync.
    pub const BULK: Opening = Opening {
        reconcile: Reconcile::Later,
        write_files: false,
        when_held: WhenHeld::Refuse,
        work_step: None,
    };
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
    /// writing, the CLI's way ([`Opening::CLI`]): the folder is reconciled
    /// now, and when another process holds the library this one writes
    /// beside it and leaves the folder to the holder.
    pub fn open(root: impl AsRef<Path>) -> Result<Library> {
        Library::open_with(root, Opening::CLI)
    }

    /// Opens the library at `root` as `how` says (see [`Opening`]).
    pub fn open_with(root: impl AsRef<Path>, how: Opening) -> Result<Library> {
        let root = root.as_ref().to_path_buf();
        let private = root.join(PRIVATE_DIR);
        // Looking at the folder needs neither the store nor the lock: it
        // happens while they open, on another thread for the walk.
        let look = match how.reconcile {
            Reconcile::Later => folder_ops::Look::Nothing,
            Reconcile::Now => {
                let root = root.clone();
                folder_ops::Look::Walking(std::thread::spawn(move || {
                    let root = root.canonicalize().unwrap_or(root);
                    folder::glance::glance(&root)
                }))
            }
            Reconcile::WhenFoldersMoved => {
                folder_ops::Look::Times(folder::glance::folder_times(&root))
            }
        };
        let mut lib = match (Library::open_unsynced(&root, &private), how.when_held) {
            // Another process (the window) holds the library: write beside
            // it; it watches the folder and applies the index work.
            (Err(Error::Locked { .. }), WhenHeld::WriteBeside) => {
                return Library::open_shared(&root);
            }
            (Err(Error::Locked { .. }), WhenHeld::ReadOnly) => {
                return Library::open_read_only(&root);
            }
            (other, _) => other?,
        };
        lib.mirror = how.write_files;
        lib.step = how.work_step;
        lib.reconcile(look);
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
        let lock = take_lock(&root, &private)?;
        let conn = store::open(&private.join("lectern.db"))?;
        let index_path = private.join("index");
        let (mut index, created) = SearchIndex::open(&index_path, true)?;
        if created {
            indexing::rebuild(&mut index, &conn)?;
        } else if indexing::replay(&mut index, &conn).is_err() {
            // The index is derived data: one that cannot take the queued
            // writes (damaged by a crash) is thrown away and rebuilt.
            drop(index);
            index = SearchIndex::recreate(&index_path)?;
            indexing::rebuild(&mut index, &conn)?;
        } else if index.num_docs() != store::papers::count(&conn)?
            && index.num_docs() != store::papers::count_rows(&conn)?
        {
            // A stale or foreign index (wrong document count, counted row
            // by row before anything is thrown away) is rebuilt.
            indexing::rebuild(&mut index, &conn)?;
        }
        Ok(Library {
            // Before `root` moves into the library.
            meaning: std::sync::Mutex::new(crate::embed::Meaning::for_library(&root)),
            root,
            conn,
            index,
            lock: Some(lock),
            shared: false,
            data_version: None,
            others: None,
            index_lag: None,
            mirror: true,
            folder_report: SyncReport::default(),
            folder_lag: None,
            step: None,
            owes_files: false,
            write_progress: None,
            pdf_cache: None,
            index_held: false,
            seen_version: None,
        })
    }

    /// Opens an existing library that another process holds, for writing
    /// beside it: see the `shared` field.
    fn open_shared(root: impl AsRef<Path>) -> Result<Library> {
        let mut lib = Library::open_read_only(root)?;
        lib.shared = true;
        lib.mirror = true;
        Ok(lib)
    }

    /// Whether this process holds the library (and its index writer).
    pub fn holds_index(&self) -> bool {
        self.lock.is_some()
    }

    /// Brings the index up to date with what other processes committed
    /// since the last look (a CLI writing while the window holds the
    /// library). Cheap when nothing changed: one `PRAGMA data_version`.
    /// A large batch (a CLI import) is applied [`OTHERS_CHUNK`] papers per
    /// call, so a window calling this between its own commands never waits
    /// long for the library; [`Library::others_pending`] says whether a
    /// call should follow at once. Returns whether anything was applied.
    pub fn catch_up_others(&mut self) -> Result<bool> {
        if !self.holds_index() {
            return Ok(false);
        }
        if self.others.is_none() {
            let version: i64 = self
                .conn
                .query_row("PRAGMA data_version", [], |r| r.get(0))?;
            if self.data_version == Some(version) {
                return Ok(false);
            }
            self.data_version = Some(version);
            let (seq, ids) = store::pending::read(&self.conn)?;
            if ids.is_empty() {
                return Ok(false);
            }
            self.others = Some((seq, ids));
        }
        let Some((seq, ids)) = self.others.as_mut() else {
            return Ok(false);
        };
        let step = self.step.unwrap_or(OTHERS_CHUNK);
        let chunk: Vec<String> = ids.drain(..ids.len().min(step)).collect();
        let (seq, done) = (*seq, ids.is_empty());
        indexing::apply(&mut self.index, &self.conn, &chunk)?;
        if done {
            self.others = None;
            if let Err(e) = store::pending::clear(&self.conn, seq) {
                // Applied but still queued: look again next time.
                self.data_version = None;
                return Err(e);
            }
        }
        self.index_lag = None;
        Ok(true)
    }

    /// Runs `f` without waiting on another process's write: while another
    /// Lectern (a CLI import) holds SQLite's write lock, a write inside
    /// `f` gives up at once and this returns `Ok(None)`, so the caller can
    /// come back later instead of keeping the library (and the window's
    /// commands) waiting. Each step of `f` is its own transaction, so what
    /// was done before giving up stays done.
    pub fn without_waiting<T>(
        &mut self,
        f: impl FnOnce(&mut Library) -> Result<T>,
    ) -> Result<Option<T>> {
        self.conn.busy_timeout(IMPATIENT)?;
        let out = f(self);
        self.conn.busy_timeout(store::BUSY_TIMEOUT)?;
        match out {
            Err(e) if e.is_busy() => Ok(None),
            other => other.map(Some),
        }
    }

    /// Whether another process committed to the library since the last
    /// call (the first call only takes note). For a window that opened
    /// the library read-only: the writer's changes are in SQLite at once,
    /// and the window re-reads what it shows. One `PRAGMA data_version`.
    pub fn others_committed(&mut self) -> Result<bool> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let changed = self.seen_version.is_some_and(|v| v != version);
        self.seen_version = Some(version);
        Ok(changed)
    }

    /// Whether [`Library::catch_up_others`] has more of a batch to apply.
    pub fn others_pending(&self) -> bool {
        self.others.is_some()
    }

    /// Bounds the work one call does on what waits from before (another
    /// process's batch to index, paper files owed to the folder) to about
    /// `papers` papers, leaving the rest for [`Library::work_off_backlog`]:
    /// the window sets it so no command waits long behind such work. The
    /// default, `None`, does all of it at once (the CLI).
    pub fn set_work_step(&mut self, papers: Option<usize>) {
        self.step = papers;
    }

    /// Tells `progress` `(done, total)` while paper files are written out
    /// (after an import of many papers, say); `None` stops telling.
    pub fn on_write_out(&mut self, progress: Option<Box<dyn FnMut(usize, usize) + Send>>) {
        self.write_progress = progress;
    }

    /// Whether work is left from a bounded step: papers to index or paper
    /// files to write. [`Library::work_off_backlog`] does the next step.
    pub fn has_backlog(&self) -> bool {
        self.others.is_some() || self.owes_files
    }

    /// Does one step of what waits: others' commits to index
    /// ([`Library::catch_up_others`]) and owed paper files to write.
    /// Returns whether others' work was applied.
    pub fn work_off_backlog(&mut self) -> Result<bool> {
        let applied = self.catch_up_others()?;
        if self.owes_files {
            self.write_out();
        }
        Ok(applied)
    }

    /// Opens an existing library without taking the write lock.
    fn open_read_only(root: impl AsRef<Path>) -> Result<Library> {
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
            // Before `root` moves into the library.
            meaning: std::sync::Mutex::new(crate::embed::Meaning::for_library(&root)),
            root,
            conn,
            index,
            lock: None,
            shared: false,
            data_version: None,
            others: None,
            index_lag: None,
            mirror: false,
            folder_report: SyncReport::default(),
            folder_lag: None,
            step: None,
            owes_files: false,
            write_progress: None,
            pdf_cache: None,
            index_held: false,
            seen_version: None,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn is_writable(&self) -> bool {
        self.lock.is_some() || self.shared
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
        if self.is_writable() {
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
        if !self.index_held {
            self.catch_up_index();
        }
        self.write_out();
        Ok(out)
    }

    /// With `true`, writes leave the index work they queue for later
    /// (each write is still its own committed transaction, and the queue
    /// is in SQLite, so nothing is lost); with `false`, the queue is
    /// applied now. A long run of small writes (a fetch of many papers)
    /// commits the index once in a while instead of once per write;
    /// search sees its papers after the next catch-up.
    pub fn hold_index(&mut self, hold: bool) {
        self.index_held = hold;
        if !hold {
            self.catch_up_index();
        }
    }

    /// Writes what the library folder is owed, when mirroring. A failure
    /// (a full disk) does not undo the committed change: the owed files
    /// stay recorded and the next write or sync retries.
    fn write_out(&mut self) {
        if !self.mirror {
            return;
        }
        let mut report = SyncReport::default();
        let progress = self.write_progress.as_deref_mut().map(|p| p as _);
        match folder::flush(&mut self.conn, &self.root, &mut report, self.step, progress) {
            Ok(more) => {
                self.folder_lag = None;
                self.owes_files = more;
            }
            Err(e) => self.folder_lag = Some(e.to_string()),
        }
        self.folder_report.absorb(report);
    }

    fn catch_up_index(&mut self) {
        if !self.holds_index() {
            return; // the holder applies the queue
        }
        if self.step.is_some() {
            // Bounded: one step of the whole queue (others' batch too);
            // the rest is the backlog.
            self.others = None;
            self.data_version = None;
            if let Err(e) = self.catch_up_others() {
                self.index_lag = Some(e.to_string());
            }
            return;
        }
        // The replay below takes everything queued, others' batch too.
        self.others = None;
        self.index_lag = indexing::replay(&mut self.index, &self.conn)
            .err()
            .map(|e| e.to_string());
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

    /// Papers in import order, optionally filtered (loaded a few thousand
    /// at a time, one query per table each).
    pub fn list(&self, tag: Option<&str>, status: Option<Status>) -> Result<Vec<Paper>> {
        let ids = store::papers::list_ids(&self.conn, tag, status)?;
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(LIST_CHUNK) {
            out.extend(store::bulk::load_many(&self.conn, chunk)?);
        }
        Ok(out)
    }

    /// [`Library::list`] as one line per paper (citekey, status, title).
    pub fn list_brief(
        &self,
        tag: Option<&str>,
        status: Option<Status>,
    ) -> Result<Vec<crate::views::Listed>> {
        crate::views::listed(&self.conn, tag, status)
    }

    pub fn count(&self) -> Result<u64> {
        store::papers::count(&self.conn)
    }

    /// Runs a read of the index. The index checks its files when it opens;
    /// damage it cannot see then can make a read fail, or make the index
    /// library panic, which becomes a one-line error naming the way out.
    pub(super) fn index_read<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        let failed = match crate::panics::catch(read) {
            Ok(Err(Error::Index { message, .. })) => message,
            Ok(done) => return done,
            Err(panic) => panic,
        };
        Err(Error::Index {
            path: self.root.join(PRIVATE_DIR).join("index"),
            message: format!(
                "reading it failed ({failed}); it may be damaged: `lectern reindex` rebuilds it from the library"
            ),
        })
    }

    /// Index files whose contents fail their checksums (`sync --check`).
    pub fn check_index(&self) -> Result<Vec<String>> {
        let index = self.root.join(PRIVATE_DIR).join("index");
        Ok(self
            .index
            .damaged_files()?
            .into_iter()
            .map(|file| {
                format!(
                    "{}: damaged search index file; `lectern reindex` rebuilds it",
                    index.join(file).display()
                )
            })
            .collect())
    }

    pub fn notes(&self, key: &str) -> Result<Vec<Note>> {
        let id = self.resolve(key)?;
        store::notes::for_paper(&self.conn, &id)
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
        let (mode, query) = query_mode(query, self.search_mode()?);
        // Filters go first so the user's last word stays a prefix.
        let mut q = String::new();
        if let Some(tag) = &filter.tag {
            q.push_str(&format!("tag:\"{}\" ", tag.replace('"', "")));
        }
        if let Some(status) = filter.status {
            q.push_str(&format!("status:{status} "));
        }
        q.push_str(query);
        // Papers found by meaning alone pass the same filters.
        let keep = |id: &str| crate::views::passes(&self.conn, id, filter);
        if !filter.starred {
            return self.search_filtered(mode, &q, query, limit, keep);
        }
        let hits =
            self.search_filtered(mode, &q, query, limit.saturating_mul(20).max(200), keep)?;
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
            let related =
                self.index_read(|| search::related(&self.index, &self.conn, &id, suggestions))?;
            let me = crate::views::paper_ref(&self.conn, &id)?;
            crate::views::add_suggestions(&mut graph, me, related);
        }
        Ok(graph)
    }
}

/// Takes the exclusive lock `.lectern/lock` of the library at `root`;
/// [`Error::Locked`] when another process holds it.
fn take_lock(root: &Path, private: &Path) -> Result<File> {
    lock_file(root, &private.join("lock"))
}

/// Takes the exclusive lock file `lock_path` of the library at `root`
/// (created if missing); [`Error::Locked`] when another process holds it.
pub(crate) fn lock_file(root: &Path, lock_path: &Path) -> Result<File> {
    let lock_path = lock_path.to_path_buf();
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, e))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Locked {
            library: root.to_path_buf(),
            lock: lock_path,
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&lock_path, e)),
    }
}

/// Keeps `.lectern/` and write-out leftovers out of git and Syncthing.
fn write_ignore_files(root: &Path, private: &Path) -> Result<()> {
    let gitignore = private.join(".gitignore");
    if !gitignore.exists() {
        crate::fsutil::write_atomic(&gitignore, b"*\n")?;
    }
    let stignore = root.join(".stignore");
    if !stignore.exists() {
        crate::fsutil::write_atomic(&stignore, b".lectern\n.lectern-tmp-*\n.lectern-aside-*\n")?;
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
