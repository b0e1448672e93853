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
mod flush;
pub mod glance;
pub mod inbox;
mod scan;
pub mod state;
pub mod watch;

pub use flush::flush;
use scan::list_files;
pub use scan::{Listing, list, scan_listed, scan_paths};

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
const FLUSH_CHUNK: usize = 5000;

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
