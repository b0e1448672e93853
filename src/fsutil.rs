//! File-system helpers: atomic writes, no-replace renames, and whether
//! a file is still open for writing elsewhere.
//!
//! Architecture invariant: the engine never leaves a half-written file. Every
//! file it writes goes to a temporary file in the same folder, is flushed to
//! disk, and is renamed over the target.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// How the names of temporary files start.
pub const TEMP_PREFIX: &str = ".lectern-tmp-";

/// A temporary file beside `path` holding `bytes` (not yet durable).
fn temp_beside(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    Ok(tmp)
}

/// Writes `bytes` to `path` atomically (temp file + fsync + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_beside(path, bytes)?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// From this many files on, [`write_many`] makes the data durable with one
/// file-system sync instead of one fsync per file.
const BATCH_DURABLE: usize = 64;

/// Writes many files atomically: each goes to a temporary file beside its
/// target; the temporary files are made durable together (one `syncfs`),
/// then renamed over their targets. A crash leaves every target either old
/// or new, never partly written. Few files are written one by one with
/// [`write_atomic`].
pub fn write_many(files: &[(&Path, &[u8])]) -> Result<()> {
    if files.len() < BATCH_DURABLE {
        for (path, bytes) in files {
            write_atomic(path, bytes)?;
        }
        return Ok(());
    }
    let mut temps = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        // Closed now (bounded open files); the path stays until renamed.
        temps.push(temp_beside(path, bytes)?.into_temp_path());
    }
    let dir = files[0].0.parent().unwrap_or(Path::new("."));
    let handle = std::fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
    sync_filesystem(&handle).map_err(|e| Error::io(dir, e))?;
    let mut dirs: Vec<&Path> = Vec::new();
    for (tmp, (path, _)) in temps.into_iter().zip(files) {
        tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
        let parent = path.parent().unwrap_or(Path::new("."));
        if !dirs.contains(&parent) {
            dirs.push(parent);
        }
    }
    for d in dirs {
        sync_dir(d);
    }
    Ok(())
}

/// How the names of files set aside by a write-out start: the file a
/// write-out replaces is first renamed to such a name, so an edit made in
/// the meantime is never overwritten (see `sync::flush`). A crash can
/// leave one behind; the next sync puts it back or keeps it as a conflict
/// copy.
pub const ASIDE_PREFIX: &str = ".lectern-aside-";

/// Writes each file's bytes to a temporary file beside it and makes them
/// durable (one `syncfs` for many, an fsync each for a few). The caller
/// moves them into place. Each comes with its metadata as written (a
/// rename keeps a file's size and modification time).
pub fn prepare_many(
    files: &[(&Path, &[u8])],
) -> Result<Vec<(tempfile::TempPath, std::fs::Metadata)>> {
    let mut temps = Vec::with_capacity(files.len());
    let few = files.len() < BATCH_DURABLE;
    for (path, bytes) in files {
        let tmp = temp_beside(path, bytes)?;
        if few {
            tmp.as_file().sync_all().map_err(|e| Error::io(*path, e))?;
        }
        let meta = tmp.as_file().metadata().map_err(|e| Error::io(*path, e))?;
        temps.push((tmp.into_temp_path(), meta));
    }
    if few {
        return Ok(temps);
    }
    if let Some((first, _)) = files.first() {
        let dir = first.parent().unwrap_or(Path::new("."));
        let handle = std::fs::File::open(dir).map_err(|e| Error::io(dir, e))?;
        sync_filesystem(&handle).map_err(|e| Error::io(dir, e))?;
    }
    Ok(temps)
}

/// Renames `from` to `to` unless `to` exists, in one step: the error is
/// `AlreadyExists` when it does. File systems without an atomic
/// no-replace rename fall back to a hard link, then to a check.
pub fn rename_noreplace(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL in path"))
    };
    let (f, t) = (c(from)?, c(to)?);
    // SAFETY: both strings are valid NUL-terminated paths that outlive the
    // call; renameat2 reads them and touches no other memory.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            f.as_ptr(),
            libc::AT_FDCWD,
            t.as_ptr(),
            libc::RENAME_NOREPLACE,
        )
    };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    if !matches!(err.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
        return Err(err);
    }
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if to.exists() => Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists)),
        Err(_) => std::fs::rename(from, to),
    }
}

/// Makes everything written to the file system holding `file` durable
/// (one `syncfs` instead of an fsync per file, for large batches).
pub fn sync_filesystem(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: syncfs takes any open descriptor and touches no memory.
    let rc = unsafe { libc::syncfs(file.as_raw_fd()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Whether some process still has `path` open for writing, or `None` when
/// this file system cannot say. Linux grants a read lease only on a file
/// nobody has open for writing, so one is taken and at once given back.
/// A write-out asks this before removing a file it set aside: an editor
/// that opened the file just before it was renamed may not have written
/// yet, and what it writes into a removed file is gone.
pub fn open_for_writing(path: &Path) -> Option<bool> {
    use std::os::fd::AsRawFd;
    // Linux's fcntl command that chooses the signal (not in the libc crate).
    const F_SETSIG: libc::c_int = 10;
    let file = std::fs::File::open(path).ok()?;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is open for the whole block (owned by `file`); these
    // fcntl calls take no pointers. Should the lease be broken in the
    // moment it is held, the signal asked for is SIGURG, which a process
    // ignores by default, instead of SIGIO, which would end it.
    unsafe {
        if libc::fcntl(fd, F_SETSIG, libc::SIGURG) != 0 {
            return None;
        }
        if libc::fcntl(fd, libc::F_SETLEASE, libc::F_RDLCK) == 0 {
            libc::fcntl(fd, libc::F_SETLEASE, libc::F_UNLCK);
            return Some(false);
        }
    }
    match std::io::Error::last_os_error().raw_os_error() {
        Some(libc::EAGAIN) => Some(true),
        _ => None,
    }
}

/// Makes renames inside `dir` durable (best effort: some file systems
/// cannot fsync a folder).
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_open_for_writing_is_seen_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        let Some(open) = super::open_for_writing(&path) else {
            return; // no leases on this file system: the caller waits instead
        };
        assert!(!open);
        let writer = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        assert_eq!(super::open_for_writing(&path), Some(true));
        let reader = std::fs::File::open(&path).unwrap();
        drop(writer);
        assert_eq!(super::open_for_writing(&path), Some(false));
        drop(reader);
    }

    #[test]
    fn rename_noreplace_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "new").unwrap();
        std::fs::write(&b, "edited").unwrap();
        let err = super::rename_noreplace(&a, &b).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "edited");
        std::fs::remove_file(&b).unwrap();
        super::rename_noreplace(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new");
        assert!(!a.exists());
    }

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        super::write_atomic(&p, b"one").unwrap();
        super::write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
