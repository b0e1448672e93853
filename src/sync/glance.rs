//! A quick look at the folder: has anything changed since the library last
//! read or wrote it?
//!
//! Every file the store records (`folder_files`) has a *stamp*, a 40-bit
//! number made from its path, size and modification time. [`glance`]
//! walks `papers/` and `notes/` as a full sync does, but only looks at
//! each entry's metadata (one `fstatat` relative to its folder, no file
//! read) and adds up the stamps of what it finds; [`Glance::agrees`]
//! compares the sum with the sum of the recorded stamps (one aggregate
//! query). Equal sums mean every file has the path, size
//! and modification time the store recorded, which is exactly the test a
//! full sync applies before it reads a file: the full sync would find
//! nothing to do. Anything else (a file added, removed, renamed, edited; a
//! write-out's leftovers; a file waiting in `inbox/`) sends the caller to
//! the full sync.
//!
//! Cheaper still, [`folder_times`] reads only the modification times of
//! the folders `papers/`, `notes/` (and its subfolders) and `inbox/`,
//! which move when a file in them is added, removed or renamed (editors
//! that save by replacing the file, git, Syncthing), but not when a file
//! is written in place. Read commands compare them with the times recorded
//! at the end of the last comparison (`folder_meta.folder_times`) and look
//! further only when they moved.

use std::path::Path;
use std::time::{Duration, SystemTime};

use super::{INBOX_DIR, NOTES_DIR, PAPERS_DIR, is_conflict_name, is_temporary_name, stat_of};
use crate::error::{Error, Result};
use crate::fsutil::{ASIDE_PREFIX, TEMP_PREFIX};

/// Stamps are below this (2^40), so the sum of the stamps of up to 8
/// million files stays within SQLite's 64-bit integers, and two different
/// folders have the same sum about once in a trillion.
pub const STAMP_LIMIT: i64 = 1 << 40;

/// The stamp of a file at library-relative `path` with this size and
/// modification time (nanoseconds): in `1..STAMP_LIMIT`. It is stored,
/// so it must never change between versions (FNV-1a over the path, then
/// the size and time mixed in with SplitMix64's finalizer).
pub fn stamp(path: &str, size: u64, mtime: i64) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in path.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    for part in [size, mtime as u64] {
        h = mix(h ^ part);
    }
    (h % (STAMP_LIMIT as u64 - 1)) as i64 + 1
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What a quick look at the folder saw.
#[derive(Debug, Default)]
pub struct Glance {
    /// The sum of the stamps of the files a sync would compare.
    sum: i64,
    /// Something only a full sync handles: a write-out's temporary or
    /// set-aside file, or a file in `inbox/`.
    needs_sync: bool,
    /// Conflict files seen (library-relative), which every sync reports.
    pub conflicts: Vec<String>,
    /// Symbolic links out of the library, which every sync reports.
    pub problems: Vec<String>,
    /// The folders' times ([`folder_times`]) taken before the look.
    pub times: Option<String>,
}

impl Glance {
    /// Whether the folder holds exactly the files the store recorded, with
    /// their sizes and times, and nothing waits in `inbox/`. A failure to
    /// read the sum (beyond 8 million files) counts as a difference.
    pub fn agrees(&self, conn: &rusqlite::Connection) -> bool {
        !self.needs_sync && super::state::stamp_sum(conn).is_ok_and(|sum| sum == self.sum)
    }
}

/// Looks at `papers/`, `notes/` and `inbox/` under `root` (see the module
/// documentation). Reads no file and no table, so it may run before the
/// library is open.
pub fn glance(root: &Path) -> Result<Glance> {
    let mut g = Glance {
        times: folder_times(root)?,
        ..Glance::default()
    };
    for (name, recursive) in [(PAPERS_DIR, false), (NOTES_DIR, true)] {
        let dir = root.join(name);
        if dir.is_dir() {
            look(root, &dir, name, recursive, &mut g)?;
        }
    }
    g.needs_sync |= inbox_has_files(&root.join(INBOX_DIR))?;
    Ok(g)
}

/// Adds the stamps of the files in `dir` (library-relative `rel`) to `g`,
/// with the same choice of files as the full walk (`scan::list`).
fn look(root: &Path, dir: &Path, rel: &str, recursive: bool, g: &mut Glance) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path_rel = format!("{rel}/{}", name.replace('\\', "/"));
        let kind = entry.file_type().map_err(|e| Error::io(dir, e))?;
        if kind.is_dir() {
            if recursive && !name.starts_with('.') {
                look(root, &entry.path(), &path_rel, recursive, g)?;
            }
            continue;
        }
        if name.starts_with(TEMP_PREFIX) || name.starts_with(ASIDE_PREFIX) {
            // Left by a write-out: the full sync recovers it.
            g.needs_sync = true;
            continue;
        }
        let meta = if kind.is_file() {
            match entry.metadata() {
                Ok(m) => m,
                // Gone since the listing: the folder is changing.
                Err(_) => {
                    g.needs_sync = true;
                    continue;
                }
            }
        } else {
            // A symbolic link (or something stranger), judged as the
            // full walk judges it.
            match crate::paths::entry(root, &entry.path()) {
                Ok(crate::paths::Entry::File(m)) => m,
                Ok(crate::paths::Entry::Outside(why)) => {
                    g.problems.push(why);
                    continue;
                }
                Ok(_) => continue,
                Err(_) => {
                    g.needs_sync = true;
                    continue;
                }
            }
        };
        if is_temporary_name(&name) || !name.ends_with(".md") {
            continue;
        }
        if is_conflict_name(&name) {
            g.conflicts.push(path_rel);
            continue;
        }
        let (size, mtime) = stat_of(&meta);
        g.sum = g.sum.wrapping_add(stamp(&path_rel, size, mtime));
    }
    Ok(())
}

/// A folder modified this recently may be modified again within the same
/// tick of its file system's clock without its time moving (ext4 ticks in
/// milliseconds, FAT in 2 s): its time proves nothing yet.
const RACY: Duration = Duration::from_secs(2);

/// The modification times of `papers/`, `notes/` with its subfolders
/// (hidden ones left out, as the walk leaves them) and `inbox/`, one line
/// each (`-` for a missing folder). `None` when one of them changed in the
/// last [`RACY`] seconds, so a change made now could leave its time as it
/// is.
pub fn folder_times(root: &Path) -> Result<Option<String>> {
    let now = SystemTime::now();
    let mut out = String::new();
    let mut racy = false;
    let mut add = |rel: &str, dir: &Path, out: &mut String| -> Result<bool> {
        let meta = match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => m,
            Ok(_) => {
                out.push_str(&format!("{rel} not a folder\n"));
                return Ok(false);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.push_str(&format!("{rel} -\n"));
                return Ok(false);
            }
            Err(e) => return Err(Error::io(dir, e)),
        };
        let modified = meta.modified().map_err(|e| Error::io(dir, e))?;
        racy |= now.duration_since(modified).map_or(true, |age| age < RACY);
        let (_, mtime) = stat_of(&meta);
        out.push_str(&format!("{rel} {mtime}\n"));
        Ok(true)
    };
    add(PAPERS_DIR, &root.join(PAPERS_DIR), &mut out)?;
    add(INBOX_DIR, &root.join(INBOX_DIR), &mut out)?;
    let mut dirs = vec![NOTES_DIR.to_string()];
    while let Some(rel) = dirs.pop() {
        let dir = root.join(&rel);
        if !add(&rel, &dir, &mut out)? {
            continue;
        }
        let mut subs = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let entry = entry.map_err(|e| Error::io(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') && entry.file_type().is_ok_and(|t| t.is_dir()) {
                subs.push(format!("{rel}/{name}"));
            }
        }
        subs.sort_unstable_by(|a, b| b.cmp(a));
        dirs.extend(subs);
    }
    Ok((!racy).then_some(out))
}

/// Whether `inbox/` holds a file to import (or one still being written).
fn inbox_has_files(dir: &Path) -> Result<bool> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".part") {
            continue;
        }
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Library, Opening};

    const SEED: &str = include_str!("../../tests/fixtures/trending-papers.txt");

    /// A library of the seed papers, synced, and one of its paper files.
    fn seeded() -> (tempfile::TempDir, Library, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let mut lib = Library::open(dir.path()).unwrap();
        lib.import_text(SEED, "trending-papers.txt").unwrap();
        lib.sync().unwrap();
        let file = std::fs::read_dir(lib.root().join(PAPERS_DIR))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "md"))
            .unwrap();
        (dir, lib, file)
    }

    fn append(path: &Path, text: &str) {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        f.write_all(text.as_bytes()).unwrap();
    }

    #[test]
    fn the_quick_look_sees_what_a_full_sync_would() {
        let (_dir, mut lib, file) = seeded();
        let root = lib.root().to_path_buf();
        assert!(glance(&root).unwrap().agrees(lib.connection()));
        // Written in place: the size and time move, the folder's do not.
        append(&file, "\nA zanzibarian remark.\n");
        assert!(!glance(&root).unwrap().agrees(lib.connection()));
        lib.sync().unwrap();
        assert!(glance(&root).unwrap().agrees(lib.connection()));
        std::fs::create_dir_all(root.join(NOTES_DIR)).unwrap();
        std::fs::write(root.join(NOTES_DIR).join("n.md"), "a note").unwrap();
        assert!(!glance(&root).unwrap().agrees(lib.connection()));
        lib.sync().unwrap();
        assert!(glance(&root).unwrap().agrees(lib.connection()));
        std::fs::create_dir_all(root.join(INBOX_DIR)).unwrap();
        std::fs::write(root.join(INBOX_DIR).join("x.bib"), "@misc{k, title={T}}").unwrap();
        assert!(!glance(&root).unwrap().agrees(lib.connection()));
    }

    #[test]
    fn read_commands_look_further_only_when_a_folder_moved() {
        let (_dir, mut lib, file) = seeded();
        let root = lib.root().to_path_buf();
        // Folders last changed a minute ago: their times can be trusted.
        let old = SystemTime::now() - Duration::from_secs(60);
        let papers = std::fs::File::open(root.join(PAPERS_DIR)).unwrap();
        papers.set_modified(old).unwrap();
        lib.sync().unwrap();
        assert!(
            crate::sync::state::folder_times(lib.connection())
                .unwrap()
                .is_some()
        );
        drop(lib);
        // Written in place: a read command does not see it yet…
        append(&file, "\n## Notes\n\nA zanzibarian remark.\n");
        let lib = Library::open_with(&root, Opening::READ).unwrap();
        assert!(lib.search("zanzibarian", 10).unwrap().is_empty());
        drop(lib);
        // …a command that changes the library compares every file first.
        let lib = Library::open(&root).unwrap();
        assert_eq!(lib.search("zanzibarian", 10).unwrap().len(), 1);
        drop(lib);
        // A new file moves the folder's time: read commands see it.
        papers.set_modified(old).unwrap();
        let mut lib = Library::open(&root).unwrap();
        lib.sync().unwrap();
        drop(lib);
        std::fs::write(
            root.join(PAPERS_DIR).join("hand.md"),
            "---\ntitle: \"A quokkian paper\"\n---\n\nWritten by hand.\n",
        )
        .unwrap();
        let lib = Library::open_with(&root, Opening::READ).unwrap();
        assert_eq!(lib.search("quokkian", 10).unwrap().len(), 1);
    }

    #[test]
    fn stamps_are_fixed_and_in_range() {
        // Stored in libraries: this value must never change.
        assert_eq!(stamp("papers/a.md", 10, 1), 695_642_071_142);
        assert_ne!(stamp("papers/a.md", 10, 1), stamp("papers/a.md", 10, 2));
        assert_ne!(stamp("papers/a.md", 10, 1), stamp("papers/a.md", 11, 1));
        assert_ne!(stamp("papers/a.md", 10, 1), stamp("papers/b.md", 10, 1));
        for i in 0..1000 {
            let s = stamp(&format!("notes/{i}.md"), i, i as i64 * 7);
            assert!((1..STAMP_LIMIT).contains(&s));
        }
    }
}
