//! The library folder: plain files kept in step with the store, both ways.
//!
//! ```text
//! <library>/
//!   papers/<citekey>.md    one file per paper (format: `file`)
//!   attachments/<citekey>/ PDFs and other files of a paper
//!   notes/**/*.md          free-standing notes
//!   inbox/                 dropped files are imported, then moved to
//!                          done/ (with a report) or failed/ (with the error)
//!   .lectern/              private: SQLite, index, lock (never synced)
//! ```
//!
//! **Library → files** ([`flush`]): triggers on `papers` record, in the
//! same transaction as any change, that the paper's file is owed
//! (`folder_pending`; new papers are owed through `folder_meta.written_seq`).
//! After each write the owed files are rendered and written atomically; the
//! state of each file (size, mtime, content hash) is recorded.
//!
//! **Files → library** ([`list`] then [`scan_listed`]): files whose size or mtime differ from
//! the recorded state are read; those whose hash differs too are parsed and
//! applied in one transaction. A file whose paper also changed in the
//! library since the last sync is a conflict: the library keeps its
//! version, and the file's version is saved beside it as
//! `<name>.conflict-<UTC time>.md`. A file that went away moves its paper to
//! the trash.
//!
//! Architecture invariant: after a completed sync, every paper's file holds
//! exactly [`file::render`] of the paper, so the folder alone can rebuild
//! the library.

pub mod apply;
pub mod file;
pub mod inbox;
pub mod state;
pub mod watch;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsutil::TEMP_PREFIX;
use crate::model::Problem;
use crate::store;
use state::FileState;

/// Folder of paper files.
pub const PAPERS_DIR: &str = "papers";
/// Folder of attached files, one subfolder per paper (named like its file).
pub const ATTACHMENTS_DIR: &str = "attachments";
/// Folder of free-standing notes.
pub const NOTES_DIR: &str = "notes";
/// Folder watched for files to import.
pub const INBOX_DIR: &str = "inbox";
/// How long a trashed paper can be restored.
pub const TRASH_DAYS: i64 = 30;
/// Owed files are rendered, written and recorded this many at a time.
const FLUSH_CHUNK: usize = 2000;

/// What a sync (or a write's write-out) did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncReport {
    /// Paper files written by the library.
    pub written: usize,
    /// Paper files removed because their paper was deleted.
    pub removed: usize,
    /// Files read whose changes were applied to the library.
    pub applied: usize,
    /// Papers created from new files.
    pub created: usize,
    /// Files that moved and kept their paper.
    pub renamed: usize,
    /// Papers moved to the trash because their file went away.
    pub trashed: usize,
    /// Free-standing notes added, changed or removed.
    pub notes: usize,
    /// Files in the inbox imported (moved to `inbox/done/` or attachments).
    pub inbox_imported: usize,
    /// Files in the inbox that failed (moved to `inbox/failed/`).
    pub inbox_failed: usize,
    /// Files in the inbox still being written; the next sync takes them.
    pub inbox_waiting: bool,
    /// Writes another Lectern process made while this one holds the
    /// library (applied to the index).
    pub others: usize,
    /// Conflicts that need the user: conflict copies written now, and
    /// conflict files found (`*.conflict-*`, `*.sync-conflict-*`, files with
    /// git conflict markers). Library-relative paths.
    pub conflicts: Vec<String>,
    /// Files that could not be read, as `file:line: message`.
    pub problems: Vec<String>,
}

impl SyncReport {
    /// Whether the library or the folder changed.
    pub fn changed(&self) -> bool {
        self.written + self.removed > 0 || self.library_changed()
    }

    /// Whether the folder changed the library (what a window showing the
    /// library must refresh for); the library's own write-outs do not count.
    pub fn library_changed(&self) -> bool {
        self.applied
            + self.created
            + self.renamed
            + self.trashed
            + self.notes
            + self.inbox_imported
            + self.inbox_failed
            + self.others
            > 0
    }

    /// Adds what `more` did to this report.
    pub fn absorb(&mut self, more: SyncReport) {
        self.written += more.written;
        self.removed += more.removed;
        self.applied += more.applied;
        self.created += more.created;
        self.renamed += more.renamed;
        self.trashed += more.trashed;
        self.notes += more.notes;
        self.inbox_imported += more.inbox_imported;
        self.inbox_failed += more.inbox_failed;
        self.inbox_waiting |= more.inbox_waiting;
        self.others += more.others;
        self.conflicts.extend(more.conflicts);
        self.problems.extend(more.problems);
    }

    fn problem(&mut self, p: &Problem) {
        self.problems.push(format!("{}: {}", p.location, p.message));
    }
}

/// Both reports added up.
pub fn merged(mut a: SyncReport, b: SyncReport) -> SyncReport {
    a.absorb(b);
    a
}

/// blake3 of `bytes`, 32 hex digits.
pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_string()
}

/// Size and modification time (ns since the epoch) of a file.
fn stat(path: &Path) -> std::io::Result<(u64, i64)> {
    let m = std::fs::metadata(path)?;
    Ok(stat_of(&m))
}

fn stat_of(m: &std::fs::Metadata) -> (u64, i64) {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    (m.len(), mtime)
}

/// Whether a file name is a conflict copy (ours or Syncthing's).
pub fn is_conflict_name(name: &str) -> bool {
    name.contains(".conflict-") || name.contains(".sync-conflict-")
}

/// Whether a file name is a temporary file (ours, Syncthing's, an
/// editor's) that a scan must not read.
fn is_temporary_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".tmp") || name.ends_with(".swp")
}

/// Where the conflict copy of `rel` goes: `papers/x.conflict-20261127T010203Z.md`.
fn conflict_path(root: &Path, rel: &str) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let mut n = 0;
    loop {
        let candidate = if n == 0 {
            format!("{stem}.conflict-{stamp}.md")
        } else {
            format!("{stem}.conflict-{stamp}-{n}.md")
        };
        let path = root.join(&candidate);
        if !path.exists() {
            return path;
        }
        n += 1;
    }
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A file compared with what Lectern last recorded of it.
enum OnDisk {
    Missing,
    /// As recorded; its size and mtime now.
    Unchanged((u64, i64)),
    /// Changed since: its text, size and mtime, and the hash of its bytes.
    Changed(String, (u64, i64), String),
}

/// A symbolic link out of the library counts as missing: it is not read,
/// and the write that follows replaces the link, not what it points at.
fn on_disk(root: &Path, path: &Path, st: Option<&FileState>) -> Result<OnDisk> {
    let (size, mtime) = match crate::paths::entry(root, path) {
        Ok(crate::paths::Entry::File(meta)) => stat_of(&meta),
        Ok(_) => return Ok(OnDisk::Missing),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Some(st) = st
        && st.size == size
        && st.mtime == mtime
    {
        return Ok(OnDisk::Unchanged((size, mtime)));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let h = hash(&bytes);
    if st.is_some_and(|st| st.hash == h) {
        return Ok(OnDisk::Unchanged((size, mtime)));
    }
    Ok(OnDisk::Changed(
        String::from_utf8_lossy(&bytes).into_owned(),
        (size, mtime),
        h,
    ))
}

/// What a write-out last saw at a file's path: its size, mtime and hash.
/// `None`: no file.
type Seen = Option<((u64, i64), String)>;

/// A name for the new file of the paper with citekey `key`:
/// `papers/<safe key>.md` ([`crate::paths::key_file_stem`]), with `-2`,
/// `-3`, … when another file already has that name in any letter case
/// (the folder may travel to a system that does not tell case apart).
fn new_file_name(conn: &Connection, key: &str, named: &mut HashSet<String>) -> Result<String> {
    let stem = crate::paths::key_file_stem(key);
    let mut n = 1;
    loop {
        let rel = if n == 1 {
            format!("{PAPERS_DIR}/{stem}.md")
        } else {
            format!("{PAPERS_DIR}/{stem}-{n}.md")
        };
        if !state::taken_any_case(conn, &rel)? && named.insert(rel.to_lowercase()) {
            return Ok(rel);
        }
        n += 1;
    }
}

/// One file to write.
struct Write {
    path: PathBuf,
    rel: String,
    content: String,
    paper_id: String,
    /// What was at `path` when the write-out looked: anything else found
    /// there when the new file goes in is an edit, kept as a conflict copy.
    seen: Seen,
}

/// Writes every owed paper file. The library's version of a paper wins;
/// a file edited outside since the last sync is kept as a conflict copy
/// first.
pub fn flush(conn: &mut Connection, root: &Path, report: &mut SyncReport) -> Result<()> {
    let (ids, max_seq) = state::owed(conn)?;
    if ids.is_empty() {
        return Ok(());
    }
    let papers_dir = root.join(PAPERS_DIR);
    std::fs::create_dir_all(&papers_dir).map_err(|e| Error::io(&papers_dir, e))?;
    // In chunks, so memory and open files stay bounded at any size.
    let mut failed = Vec::new();
    for chunk in ids.chunks(FLUSH_CHUNK) {
        failed.extend(flush_chunk(conn, root, chunk, report)?);
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    state::paid(&tx, &ids, max_seq)?;
    state::owe(&tx, &failed)?;
    tx.commit()?;
    Ok(())
}

fn flush_chunk(
    conn: &mut Connection,
    root: &Path,
    ids: &[String],
    report: &mut SyncReport,
) -> Result<Vec<String>> {
    let mut writes: Vec<Write> = Vec::new();
    // Papers whose file could not be written: still owed.
    let mut failed: Vec<String> = Vec::new();
    // Names given to new files in this chunk, in lowercase.
    let mut named: HashSet<String> = HashSet::new();
    let mut gone: Vec<String> = Vec::new();
    let mut recorded: Vec<FileState> = Vec::new();
    // One query per table for the whole chunk.
    let mut loaded: std::collections::HashMap<String, crate::model::Paper> =
        store::bulk::load_many(conn, ids)?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
    let mut states = state::for_items(conn, ids)?;
    for id in ids {
        let st = states.remove(id);
        let paper = match loaded.remove(id) {
            Some(p) => p,
            None => {
                // Deleted in the library: its file goes too, unless it was
                // edited since; then it stays and the next scan brings the
                // paper back rather than lose the edit.
                if let Some(st) = st {
                    let path = root.join(&st.path);
                    match on_disk(root, &path, Some(&st))? {
                        OnDisk::Unchanged(_) => {
                            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                            report.removed += 1;
                        }
                        OnDisk::Missing => {}
                        OnDisk::Changed(..) => report.conflicts.push(st.path.clone()),
                    }
                    gone.push(st.path);
                }
                continue;
            }
        };
        let content = file::render(&paper);
        let h = hash(content.as_bytes());
        // A file keeps its name (a person may have renamed it); a new one
        // is named after the citekey, made safe and unique.
        let rel = match &st {
            Some(st) => st.path.clone(),
            None => new_file_name(conn, &paper.citekey, &mut named)?,
        };
        let path = root.join(&rel);
        let seen: Seen = match on_disk(root, &path, st.as_ref())? {
            OnDisk::Unchanged(_) if st.as_ref().is_some_and(|s| s.hash == h) => continue,
            OnDisk::Unchanged(stat) => st.as_ref().map(|s| (stat, s.hash.clone())),
            OnDisk::Missing => None,
            OnDisk::Changed(_, stat, theirs) if theirs == h => {
                // Already holds our text (an interrupted earlier write).
                recorded.push(FileState {
                    path: rel.clone(),
                    kind: "paper".into(),
                    item_id: id.clone(),
                    size: stat.0,
                    mtime: stat.1,
                    hash: h,
                });
                continue;
            }
            OnDisk::Changed(theirs, stat, their_hash) => {
                let copy = conflict_path(root, &rel);
                crate::fsutil::write_atomic(&copy, theirs.as_bytes())?;
                report.conflicts.push(relative(root, &copy));
                Some((stat, their_hash))
            }
        };
        writes.push(Write {
            path,
            rel: rel.clone(),
            content,
            paper_id: id.clone(),
            seen,
        });
    }
    let files: Vec<(&Path, &[u8])> = writes
        .iter()
        .map(|w| (w.path.as_path(), w.content.as_bytes()))
        .collect();
    let temps = crate::fsutil::prepare_many(&files)?;
    let mut written = 0;
    for (tmp, w) in temps.into_iter().zip(&writes) {
        // One file that cannot be written never stops the others; it stays
        // owed for the next sync.
        if let Err(e) = swap_in(root, &tmp, w, report) {
            report.problems.push(format!("{}: not written: {e}", w.rel));
            failed.push(w.paper_id.clone());
            continue;
        }
        let _ = tmp.keep();
        written += 1;
        let (size, mtime) = stat(&w.path).map_err(|e| Error::io(&w.path, e))?;
        recorded.push(FileState {
            path: w.rel.clone(),
            kind: "paper".into(),
            item_id: w.paper_id.clone(),
            size,
            mtime,
            hash: hash(w.content.as_bytes()),
        });
    }
    if written > 0 {
        crate::fsutil::sync_dir(&root.join(PAPERS_DIR));
    }
    report.written += written;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for g in &gone {
        state::remove(&tx, g)?;
    }
    for s in &recorded {
        state::put(&tx, s)?;
    }
    tx.commit()?;
    Ok(failed)
}

/// Puts the new file `tmp` in place of `w.path` without losing an edit
/// made since the write-out looked: the old file is first renamed aside
/// (an editor saving from then on creates a new file), the new one goes in
/// only if no file appeared meanwhile (a no-replace rename), and whatever
/// was set aside or appeared and is not what the write-out saw is kept as
/// a conflict copy.
fn swap_in(root: &Path, tmp: &Path, w: &Write, report: &mut SyncReport) -> Result<()> {
    let ours = hash(w.content.as_bytes());
    let dir = w.path.parent().unwrap_or(root);
    let mut seen = w.seen.clone();
    for _ in 0..8 {
        let aside = match &seen {
            None => None,
            Some(_) => {
                let aside = aside_path(dir, &w.path);
                match std::fs::rename(&w.path, &aside) {
                    Ok(()) => Some(aside),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => return Err(Error::io(&w.path, e)),
                }
            }
        };
        let placed = crate::fsutil::rename_noreplace(tmp, &w.path);
        if let Some(aside) = aside {
            settle_aside(root, &aside, &w.rel, seen.as_ref(), report)?;
        }
        match placed {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                // Saved by someone else after the old file was set aside.
                let bytes = match std::fs::read(&w.path) {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        seen = None;
                        continue;
                    }
                    Err(e) => return Err(Error::io(&w.path, e)),
                };
                let theirs = hash(&bytes);
                if theirs == ours {
                    let _ = std::fs::remove_file(tmp);
                    return Ok(());
                }
                let (size, mtime) = stat(&w.path).map_err(|e| Error::io(&w.path, e))?;
                seen = Some(((size, mtime), theirs));
            }
            Err(e) => return Err(Error::io(&w.path, e)),
        }
    }
    Err(Error::Invalid(format!(
        "{} keeps changing while Lectern writes it; left for the next sync",
        w.rel
    )))
}

/// A file an interrupted write-out set aside (`.lectern-aside-<pid>-<n>-<name>`):
/// back in place when `<name>` is gone, removed when `<name>` holds the
/// same bytes, else kept as a conflict copy of `<name>`. Nothing in it is
/// lost.
fn recover_aside(root: &Path, aside: &Path, report: &mut SyncReport) -> Result<()> {
    let name = aside
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let original = name
        .strip_prefix(crate::fsutil::ASIDE_PREFIX)
        .and_then(|rest| rest.splitn(3, '-').nth(2))
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let dir = aside.parent().unwrap_or(root);
    let Some(original) = original else {
        return Ok(());
    };
    let target = dir.join(&original);
    let rel = relative(root, &target);
    match std::fs::read(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::fsutil::rename_noreplace(aside, &target).map_err(|e| Error::io(aside, e))?;
        }
        Err(e) => return Err(Error::io(&target, e)),
        Ok(current) => {
            let kept = std::fs::read(aside).map_err(|e| Error::io(aside, e))?;
            if kept == current {
                std::fs::remove_file(aside).map_err(|e| Error::io(aside, e))?;
            } else {
                let copy = conflict_path(root, &rel);
                std::fs::rename(aside, &copy).map_err(|e| Error::io(aside, e))?;
                report.conflicts.push(relative(root, &copy));
            }
        }
    }
    Ok(())
}

/// A fresh name beside `path` to set the old file aside under.
fn aside_path(dir: &Path, path: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let candidate = dir.join(format!(
            "{}{}-{n}-{name}",
            crate::fsutil::ASIDE_PREFIX,
            std::process::id()
        ));
        if !candidate.exists() {
            return candidate;
        }
    }
}

/// The file a write-out set aside: removed when it is what the write-out
/// saw (`seen`), else kept as a conflict copy of `rel`.
fn settle_aside(
    root: &Path,
    aside: &Path,
    rel: &str,
    seen: Option<&((u64, i64), String)>,
    report: &mut SyncReport,
) -> Result<()> {
    let unchanged = match (stat(aside), seen) {
        (Ok(now), Some((then, _))) if now == *then => true,
        (Ok(_), Some((_, h))) => std::fs::read(aside)
            .map(|b| hash(&b) == *h)
            .map_err(|e| Error::io(aside, e))?,
        (Ok(_), None) => false,
        (Err(e), _) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        (Err(e), _) => return Err(Error::io(aside, e)),
    };
    if unchanged {
        std::fs::remove_file(aside).map_err(|e| Error::io(aside, e))?;
    } else {
        let copy = conflict_path(root, rel);
        std::fs::rename(aside, &copy).map_err(|e| Error::io(aside, e))?;
        report.conflicts.push(relative(root, &copy));
    }
    Ok(())
}

/// Outgoing relations as `(kind, citekey)`.
type Relations = Vec<(String, String)>;

/// A changed file found by a scan.
struct Changed {
    rel: String,
    content: String,
    /// Where the bytes stop being UTF-8, if they do (the content is then
    /// not applied).
    not_utf8: Option<usize>,
    size: u64,
    mtime: i64,
}

/// Applies what changed since the last sync among the files a walk of the
/// folder found ([`list`], which needs no access to the store, so the
/// desktop app walks a large folder before it takes the library's lock).
pub fn scan_listed(
    conn: &mut Connection,
    root: &Path,
    listing: Listing,
    report: &mut SyncReport,
) -> Result<()> {
    let found = collect_listed(conn, root, listing, report)?;
    apply_found(conn, root, found, report)
}

/// Reads only `paths` (what file-system events named): files there that
/// changed are applied, and a path that no longer exists counts as its
/// file deleted. Paths outside `papers/` and `notes/` are ignored.
pub fn scan_paths(
    conn: &mut Connection,
    root: &Path,
    paths: &[PathBuf],
    report: &mut SyncReport,
) -> Result<()> {
    let mut found = Found::default();
    let mut done: HashSet<&Path> = HashSet::new();
    for path in paths {
        if !done.insert(path.as_path()) {
            continue;
        }
        let rel = relative(root, path);
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let in_papers = rel
            .strip_prefix("papers/")
            .is_some_and(|r| !r.contains('/'));
        let in_notes = rel.starts_with("notes/");
        if !(in_papers || in_notes) || !consider(path, &name, &rel, report) {
            continue;
        }
        let st = state::get(conn, &rel)?;
        match crate::paths::entry(root, path) {
            Ok(crate::paths::Entry::Outside(why)) => report.problems.push(why),
            Ok(crate::paths::Entry::File(meta)) => {
                let into = if in_papers {
                    &mut found.papers
                } else {
                    &mut found.notes
                };
                check(
                    path,
                    rel,
                    stat_of(&meta),
                    st.as_ref(),
                    &mut found.restat,
                    into,
                )?;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                found.gone.extend(st);
            }
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    apply_found(conn, root, found, report)
}

/// What a scan found to do.
#[derive(Default)]
struct Found {
    /// Files whose content is as recorded but whose size or mtime moved.
    restat: Vec<FileState>,
    papers: Vec<Changed>,
    notes: Vec<Changed>,
    /// Recorded files that no longer exist.
    gone: Vec<FileState>,
    /// Papers whose files must be written again (their folder went away
    /// as a whole).
    rewrite: Vec<String>,
}

/// Whether a file in the folder is one a scan reads. Temporary files an
/// interrupted write left are removed (the caller holds the library, so no
/// write is under way; [`list`] sets them aside instead); conflict files
/// are reported.
fn consider(path: &Path, name: &str, rel: &str, report: &mut SyncReport) -> bool {
    if name.starts_with(TEMP_PREFIX) {
        let _ = std::fs::remove_file(path);
        return false;
    }
    if is_temporary_name(name) || !name.ends_with(".md") {
        return false;
    }
    if is_conflict_name(name) {
        report.conflicts.push(rel.to_string());
        return false;
    }
    true
}

/// The files of `papers/` and `notes/` with their sizes and mtimes, as one
/// walk found them. Making it reads no file and no table.
pub struct Listing {
    files: Vec<Listed>,
    /// The kinds ("paper", "note") whose folder exists.
    present: Vec<&'static str>,
    /// What the walk reported (conflict files).
    report: SyncReport,
    /// Temporary files of writes, removed under the lock if still there
    /// (the walk may run while this process is writing).
    temporary: Vec<PathBuf>,
    /// Files a write-out set aside and did not settle (it was killed):
    /// put back or kept as conflict copies under the lock.
    aside: Vec<PathBuf>,
}

struct Listed {
    path: PathBuf,
    rel: String,
    paper: bool,
    size: u64,
    mtime: i64,
}

/// Walks `papers/` and `notes/`.
pub fn list(root: &Path) -> Result<Listing> {
    let mut listing = Listing {
        files: Vec::new(),
        present: Vec::new(),
        report: SyncReport::default(),
        temporary: Vec::new(),
        aside: Vec::new(),
    };
    for (name, recursive) in [(PAPERS_DIR, false), (NOTES_DIR, true)] {
        let dir = root.join(name);
        if !dir.is_dir() {
            continue;
        }
        let paper = name == PAPERS_DIR;
        listing.present.push(if paper { "paper" } else { "note" });
        let mut refused = Vec::new();
        list_files(root, &dir, recursive, &mut refused, &mut |path, meta| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let Some(name) = name else { return Ok(()) };
            if name.starts_with(TEMP_PREFIX) {
                listing.temporary.push(path.to_path_buf());
                return Ok(());
            }
            if name.starts_with(crate::fsutil::ASIDE_PREFIX) {
                listing.aside.push(path.to_path_buf());
                return Ok(());
            }
            let rel = relative(root, path);
            if !consider(path, &name, &rel, &mut listing.report) {
                return Ok(());
            }
            let (size, mtime) = stat_of(meta);
            listing.files.push(Listed {
                path: path.to_path_buf(),
                rel,
                paper,
                size,
                mtime,
            });
            Ok(())
        })?;
        listing.report.problems.extend(refused);
    }
    Ok(listing)
}

/// Compares every listed file with its recorded state.
fn collect_listed(
    conn: &Connection,
    root: &Path,
    listing: Listing,
    report: &mut SyncReport,
) -> Result<Found> {
    let Listing {
        files,
        present,
        report: walked,
        temporary,
        aside,
    } = listing;
    report.conflicts.extend(walked.conflicts);
    report.problems.extend(walked.problems);
    // Under the lock no write is under way: a temporary file still there
    // was left by an interrupted one.
    for path in temporary {
        let _ = std::fs::remove_file(path);
    }
    for path in aside {
        recover_aside(root, &path, report)?;
    }
    // Sizes and mtimes decide; a file's whole state is read only when they
    // moved. What is left in `stamps` afterwards was not found.
    let mut stamps = state::stamps(conn)?;
    let mut found = Found::default();
    for f in files {
        let recorded = stamps.remove(&f.rel);
        if recorded == Some((f.size, f.mtime)) {
            continue;
        }
        let st = match recorded {
            Some(_) => state::get(conn, &f.rel)?,
            None => None,
        };
        let into = if f.paper {
            &mut found.papers
        } else {
            &mut found.notes
        };
        check(
            &f.path,
            f.rel,
            (f.size, f.mtime),
            st.as_ref(),
            &mut found.restat,
            into,
        )?;
    }
    // A folder that is missing as a whole is not a deletion of every file
    // in it (an unmounted disk, a sync tool mid-way): its files are
    // written again instead.
    for path in stamps.into_keys() {
        if let Some(st) = state::get(conn, &path)?
            && !root.join(&st.path).exists()
        {
            if present.contains(&st.kind.as_str()) {
                found.gone.push(st);
            } else if st.kind == "paper" {
                found.rewrite.push(st.item_id);
            }
        }
    }
    if !found.rewrite.is_empty() {
        report.problems.push(format!(
            "{PAPERS_DIR}/ is missing as a whole; its {} paper file(s) are written again from the library (delete papers one by one to trash them)",
            found.rewrite.len()
        ));
    }
    Ok(found)
}

/// Applies what a scan found, in one transaction.
fn apply_found(
    conn: &mut Connection,
    root: &Path,
    found: Found,
    report: &mut SyncReport,
) -> Result<()> {
    let Found {
        restat,
        papers: changed_papers,
        notes: changed_notes,
        gone,
        rewrite,
    } = found;
    if restat.is_empty()
        && changed_papers.is_empty()
        && changed_notes.is_empty()
        && gone.is_empty()
        && rewrite.is_empty()
    {
        return Ok(());
    }
    let owed_before: HashSet<String> = state::owed(conn)?.0.into_iter().collect();
    let now = store::now();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for s in &restat {
        state::put(&tx, s)?;
    }
    state::owe(&tx, &rewrite)?;
    // Paper files, parsed; the relations wait for the second pass.
    // (paper id, its outgoing relations, the file that names them)
    let mut relations: Vec<(String, Relations, String)> = Vec::new();
    let mut claimed: HashSet<String> = HashSet::new();
    for c in &changed_papers {
        // Files Lectern cannot read faithfully are left as they are.
        if let Some(at) = c.not_utf8 {
            let line = c.content.as_bytes()[..at.min(c.content.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            report.problems.push(format!(
                "{}:{line}: not UTF-8 text (byte {at}); not read — save it as UTF-8",
                c.rel
            ));
            continue;
        }
        if c.content.trim_start_matches('\u{feff}').trim().is_empty() {
            report.problems.push(format!(
                "{}:1: the file is empty; not read (write a title in it, or delete it)",
                c.rel
            ));
            continue;
        }
        let mut f = match file::parse(&c.content, &c.rel) {
            Ok(f) => f,
            Err(p) => {
                if file::has_git_conflict_markers(&c.content) {
                    report.conflicts.push(c.rel.clone());
                }
                report.problem(&p);
                continue;
            }
        };
        for p in crate::import::cap_sizes(&mut f.paper) {
            report.problems.push(format!("{}: {}", c.rel, p.message));
        }
        for p in crate::paths::drop_unsafe_links(&mut f.paper) {
            // Named by the line that holds the link.
            let url = p.message.split('"').nth(1).unwrap_or_default();
            let line = c
                .content
                .lines()
                .position(|l| !url.is_empty() && l.contains(url))
                .map_or(1, |i| i + 1);
            report
                .problems
                .push(format!("{}:{line}: {}", c.rel, p.message));
        }
        let known = match &f.id {
            Some(id) if store::papers::exists(&tx, id)? => Some(id.clone()),
            _ => None,
        };
        let record = |tx: &Connection, id: &str| {
            state::put(
                tx,
                &FileState {
                    path: c.rel.clone(),
                    kind: "paper".into(),
                    item_id: id.to_string(),
                    size: c.size,
                    mtime: c.mtime,
                    hash: hash(c.content.as_bytes()),
                },
            )
        };
        let id = match known {
            Some(id) => {
                if claimed.contains(&id) {
                    report.conflicts.push(c.rel.clone());
                    report.problems.push(format!(
                        "{}:1: another file in this folder has the same `id: {id}`; give this one a new id or delete it",
                        c.rel
                    ));
                    continue;
                }
                if let Some(old) = state::for_item(&tx, &id)?
                    && old.path != c.rel
                {
                    if root.join(&old.path).exists() {
                        report.conflicts.push(c.rel.clone());
                        report.problems.push(format!(
                            "{}:1: has the same `id: {id}` as {}; give it a new id or delete it",
                            c.rel, old.path
                        ));
                        continue;
                    }
                    state::remove(&tx, &old.path)?;
                    report.renamed += 1;
                }
                if owed_before.contains(&id) {
                    let ours = file::render(&store::papers::load(&tx, &id)?);
                    if ours != c.content {
                        // Changed on both sides: the library keeps its
                        // version, the file's is kept beside it.
                        let copy = conflict_path(root, &c.rel);
                        crate::fsutil::write_atomic(&copy, c.content.as_bytes())?;
                        report.conflicts.push(relative(root, &copy));
                        claimed.insert(id.clone());
                        // The write-out replaces the file with ours.
                        continue;
                    }
                }
                apply::update(&tx, &id, &f, &now, &c.rel, &mut report.problems)?;
                report.applied += 1;
                id
            }
            None => {
                if let Some(id) = &f.id {
                    state::trash_remove(&tx, id)?;
                }
                let id = apply::create(&tx, root, &f, &now, &c.rel, &mut report.problems)?;
                report.created += 1;
                id
            }
        };
        claimed.insert(id.clone());
        record(&tx, &id)?;
        relations.push((id, f.relations.clone(), c.rel.clone()));
    }
    for (id, rels, rel) in &relations {
        let missing = apply::apply_relations(&tx, id, rels, &now)?;
        for key in missing {
            report.problems.push(format!(
                "{rel}:1: links to `[[{key}]]`, which is not in the library; the link is dropped"
            ));
        }
    }
    // Files that went away: their papers go to the trash.
    for st in gone.iter().filter(|st| st.kind == "paper") {
        if claimed.contains(&st.item_id) {
            continue;
        }
        state::remove(&tx, &st.path)?;
        if store::papers::exists(&tx, &st.item_id)? {
            trash(&tx, &st.item_id, &now)?;
            report.trashed += 1;
        }
    }
    // Free-standing notes.
    let mut touched_notes: Vec<String> = Vec::new();
    for c in &changed_notes {
        let body = c.content.trim_start_matches('\u{feff}');
        let id = match state::get(&tx, &c.rel)? {
            Some(st) if store::notes::exists(&tx, &st.item_id)? => {
                store::notes::update(&tx, &st.item_id, body, &now)?;
                st.item_id.clone()
            }
            _ => {
                let id = store::new_id();
                store::notes::insert_free(&tx, &id, body, &now)?;
                id
            }
        };
        report.notes += 1;
        touched_notes.push(id.clone());
        state::put(
            &tx,
            &FileState {
                path: c.rel.clone(),
                kind: "note".into(),
                item_id: id,
                size: c.size,
                mtime: c.mtime,
                hash: hash(c.content.as_bytes()),
            },
        )?;
    }
    for st in gone.iter().filter(|st| st.kind == "note") {
        state::remove(&tx, &st.path)?;
        for paper in store::mentions::papers_of(&tx, &st.item_id)? {
            store::pending::mark(&tx, &paper)?;
        }
        store::notes::delete(&tx, &st.item_id)?;
        report.notes += 1;
    }
    // Mentions follow the notes' text and the papers that now exist.
    if store::mentions::any_free_notes(&tx)? {
        for paper in store::mentions::refresh(&tx, &touched_notes)? {
            store::pending::mark(&tx, &paper)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Compares a file against its recorded state; a file that changed is
/// read into `changed`, one whose content is as recorded only gets its
/// new size and mtime recorded.
fn check(
    path: &Path,
    rel: String,
    (size, mtime): (u64, i64),
    st: Option<&FileState>,
    restat: &mut Vec<FileState>,
    changed: &mut Vec<Changed>,
) -> Result<()> {
    if st.is_some_and(|st| st.size == size && st.mtime == mtime) {
        return Ok(());
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Some(st) = st
        && st.hash == hash(&bytes)
    {
        restat.push(FileState {
            size,
            mtime,
            ..st.clone()
        });
        return Ok(());
    }
    changed.push(Changed {
        rel,
        not_utf8: std::str::from_utf8(&bytes).err().map(|e| e.valid_up_to()),
        content: String::from_utf8_lossy(&bytes).into_owned(),
        size,
        mtime,
    });
    Ok(())
}

/// Calls `f` for each file in `dir` (and its subfolders when `recursive`),
/// in name order.
/// A symbolic link is followed only to a file inside `root`; one that
/// leads out of the library is not read, and `refused` says so. Linked
/// folders are not entered.
fn list_files(
    root: &Path,
    dir: &Path,
    recursive: bool,
    refused: &mut Vec<String>,
    f: &mut dyn FnMut(&Path, &std::fs::Metadata) -> Result<()>,
) -> Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        match crate::paths::entry(root, &path) {
            Ok(crate::paths::Entry::Dir) => {
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if recursive && !hidden {
                    list_files(root, &path, recursive, refused, f)?;
                }
            }
            Ok(crate::paths::Entry::File(meta)) => f(&path, &meta)?,
            Ok(crate::paths::Entry::Outside(why)) => refused.push(why),
            Ok(crate::paths::Entry::Other) | Err(_) => {}
        }
    }
    Ok(())
}

/// Moves paper `id` to the trash: its file as the library would write it
/// is kept for [`TRASH_DAYS`] days, then the paper is deleted. Linked
/// papers are touched so their files drop the link.
pub fn trash(conn: &Connection, id: &str, now: &str) -> Result<state::TrashEntry> {
    let paper = store::papers::load(conn, id)?;
    let entry = state::TrashEntry {
        paper_id: paper.id.clone(),
        citekey: paper.citekey.clone(),
        title: paper.title.clone(),
        deleted: now.to_string(),
    };
    state::trash_put(conn, &entry, &file::render(&paper))?;
    for other in store::relations::neighbours(conn, id)? {
        store::papers::touch(conn, &other, now)?;
    }
    store::papers::delete(conn, id)?;
    store::pending::mark(conn, id)?;
    Ok(entry)
}

/// Whether the folder agrees with the store: every paper has a file that
/// holds exactly what the library would write, and no other paper file is
/// there. Returns the disagreements, one line each.
pub fn check_folder(conn: &Connection, root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let states = state::all(conn)?;
    let mut expected: HashSet<String> = HashSet::new();
    for id in store::papers::all_ids(conn)? {
        let paper = store::papers::load(conn, &id)?;
        let Some(st) = state::for_item(conn, &id)? else {
            out.push(format!("{}: paper has no file", paper.citekey));
            continue;
        };
        expected.insert(st.path.clone());
        let path = root.join(&st.path);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == file::render(&paper) => {}
            Ok(_) => out.push(format!("{}: differs from the library", st.path)),
            Err(e) => out.push(format!("{}: {e}", st.path)),
        }
    }
    let papers_dir = root.join(PAPERS_DIR);
    if papers_dir.is_dir() {
        let mut refused = Vec::new();
        list_files(root, &papers_dir, false, &mut refused, &mut |path, _| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rel = relative(root, path);
            if name.starts_with(TEMP_PREFIX) {
                out.push(format!("{rel}: temporary file left behind"));
            } else if name.ends_with(".md")
                && !is_conflict_name(&name)
                && !is_temporary_name(&name)
                && !expected.contains(&rel)
            {
                out.push(format!("{rel}: file has no paper in the library"));
            }
            Ok(())
        })?;
        out.extend(refused);
    }
    let _ = states;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::Library;
    use crate::model::Status;

    const SEED: &str = include_str!("../../tests/fixtures/trending-papers.txt");

    #[test]
    fn a_sync_from_an_earlier_walk_applies_what_the_walk_saw() {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        lib.import_text(SEED, "trending-papers.txt").unwrap();
        let keys: Vec<String> = lib
            .list(None, None)
            .unwrap()
            .into_iter()
            .map(|p| p.citekey)
            .take(2)
            .collect();
        let file = |key: &str| dir.path().join(super::PAPERS_DIR).join(format!("{key}.md"));
        let edit = |key: &str, from: &str, to: &str| {
            let text = std::fs::read_to_string(file(key)).unwrap();
            assert!(text.contains(from), "{text}");
            std::fs::write(file(key), text.replace(from, to)).unwrap();
        };
        edit(&keys[0], "status: unread", "status: read");
        // A write of this process may be under way while the walk runs:
        // its temporary file is left alone until the library is held.
        let temporary = dir.path().join(super::PAPERS_DIR).join(".lectern-tmp-abc");
        std::fs::write(&temporary, "half").unwrap();
        let listing = super::list(dir.path()).unwrap();
        assert!(listing.files.len() >= 78);
        assert!(temporary.exists());
        // Changed after the walk: left to the next sync.
        std::thread::sleep(std::time::Duration::from_millis(20));
        edit(&keys[1], "status: unread", "status: reading");
        lib.sync_listed(listing).unwrap();
        assert!(!temporary.exists(), "left over from an interrupted write");
        assert_eq!(lib.paper(&keys[0]).unwrap().status, Status::Read);
        assert_eq!(lib.paper(&keys[1]).unwrap().status, Status::Unread);
        lib.sync().unwrap();
        assert_eq!(lib.paper(&keys[1]).unwrap().status, Status::Reading);
    }
}
