//! The inbox: `inbox/` in the library folder. A file dropped there (a PDF,
//! `.bib`, `.ris`, CSL-JSON, a pasted listing `.txt`, …) is imported; then
//! a PDF is removed (it now lives in the paper's `attachments/` folder) and
//! any other file moves to `inbox/done/` with `<name>.report.txt` beside it.
//! A file that cannot be imported moves to `inbox/failed/` with
//! `<name>.error.txt`.
//!
//! A file modified less than [`SETTLE`] ago may still be being copied in;
//! it waits for the next sync.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// Where finished files go.
pub const DONE_DIR: &str = "done";
/// Where files that could not be imported go.
pub const FAILED_DIR: &str = "failed";
/// How long a file must be left alone before it is imported.
pub const SETTLE: Duration = Duration::from_millis(500);

/// What is in the inbox.
#[derive(Debug, Default)]
pub struct Ready {
    /// Files ready to import, in name order.
    pub files: Vec<PathBuf>,
    /// Whether other files are still settling.
    pub waiting: bool,
    /// Symbolic links out of the library, not read: one line each.
    pub refused: Vec<String>,
}

/// The files ready to import. A symbolic link is followed only when it
/// leads to a file inside the library.
pub fn ready(root: &Path) -> Result<Ready> {
    let dir = root.join(super::INBOX_DIR);
    let mut out = Ready::default();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io(&dir, e)),
    };
    let now = SystemTime::now();
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".part") {
            continue;
        }
        let meta = match crate::paths::entry(root, &entry.path()) {
            Ok(crate::paths::Entry::File(meta)) => meta,
            Ok(crate::paths::Entry::Outside(why)) => {
                out.refused.push(why);
                continue;
            }
            _ => continue,
        };
        let fresh = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age < SETTLE);
        if fresh {
            out.waiting = true;
        } else {
            out.files.push(entry.path());
        }
    }
    out.files.sort();
    out.refused.sort();
    Ok(out)
}

/// Copies a file the person chose (a file manager's "Open with Lectern")
/// into `inbox/` under a free name, for the library's writer to import:
/// written under a hidden `.part` name the inbox skips, flushed, then
/// renamed in one step, so a sync never reads half a file. Returns the
/// inbox path. Only regular files are taken.
pub fn deliver(root: &Path, file: &Path) -> Result<PathBuf> {
    let meta = std::fs::metadata(file).map_err(|e| Error::io(file, e))?;
    if !meta.is_file() {
        return Err(Error::io(
            file,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        ));
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.ends_with(".part") && !n.ends_with('~'))
        .unwrap_or_else(|| "opened-file".into());
    let dir = root.join(super::INBOX_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let temp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let copied = std::fs::copy(file, &temp)
        .and_then(|_| std::fs::File::open(&temp)?.sync_all())
        .map_err(|e| Error::io(&temp, e));
    if let Err(e) = copied {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    loop {
        let dest = free_name(&dir, &name);
        match crate::fsutil::rename_noreplace(&temp, &dest) {
            Ok(()) => {
                crate::fsutil::sync_dir(&dir);
                return Ok(dest);
            }
            // Another copy took the name between the look and the rename.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                return Err(Error::io(&dest, e));
            }
        }
    }
}

/// A free name for `name` in `dir` (`a.bib`, `a-1.bib`, …).
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let candidate = dir.join(name);
    if !candidate.exists() {
        return candidate;
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    (1..)
        .map(|n| dir.join(format!("{stem}-{n}{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(candidate)
}

fn move_with_note(
    root: &Path,
    file: &Path,
    sub: &str,
    suffix: &str,
    note: &str,
) -> Result<PathBuf> {
    let dir = root.join(super::INBOX_DIR).join(sub);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let dest = free_name(&dir, &name);
    let dest_name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or(name);
    crate::fsutil::write_atomic(&dir.join(format!("{dest_name}{suffix}")), note.as_bytes())?;
    std::fs::rename(file, &dest).map_err(|e| Error::io(file, e))?;
    Ok(dest)
}

/// Finishes an imported file: a PDF (now an attachment) is removed, any
/// other file moves to `inbox/done/` with its report.
pub fn done(root: &Path, file: &Path, is_pdf: bool, report: &str) -> Result<()> {
    if is_pdf {
        std::fs::remove_file(file).map_err(|e| Error::io(file, e))?;
        return Ok(());
    }
    move_with_note(root, file, DONE_DIR, ".report.txt", report).map(|_| ())
}

/// Moves a file that could not be imported to `inbox/failed/` with the
/// error.
pub fn failed(root: &Path, file: &Path, error: &str) -> Result<()> {
    move_with_note(root, file, FAILED_DIR, ".error.txt", &format!("{error}\n")).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivered_files_land_whole_under_free_names() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("library");
        let outside = dir.path().join("refs.bib");
        std::fs::write(&outside, "@article{a, title={A}}").unwrap();
        let first = deliver(&lib, &outside).unwrap();
        let second = deliver(&lib, &outside).unwrap();
        assert_eq!(first, lib.join("inbox/refs.bib"));
        assert_eq!(second, lib.join("inbox/refs-1.bib"));
        assert_eq!(
            std::fs::read_to_string(&second).unwrap(),
            "@article{a, title={A}}"
        );
        let names: Vec<_> = std::fs::read_dir(lib.join("inbox"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
        let err = deliver(&lib, dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        let err = deliver(&lib, &dir.path().join("missing.pdf"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing.pdf"), "{err}");
    }

    #[test]
    fn settling_files_wait_and_names_do_not_clash() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        std::fs::create_dir_all(&inbox).unwrap();
        std::fs::write(inbox.join("a.bib"), "x").unwrap();
        std::fs::write(inbox.join(".hidden"), "x").unwrap();
        let r = ready(dir.path()).unwrap();
        let (ready_now, waiting) = (r.files, r.waiting);
        assert!(ready_now.is_empty());
        assert!(waiting);
        std::thread::sleep(SETTLE + Duration::from_millis(50));
        let r = ready(dir.path()).unwrap();
        let (ready_now, waiting) = (r.files, r.waiting);
        assert_eq!(ready_now, vec![inbox.join("a.bib")]);
        assert!(!waiting);
        done(dir.path(), &inbox.join("a.bib"), false, "ok").unwrap();
        std::fs::write(inbox.join("a.bib"), "y").unwrap();
        done(dir.path(), &inbox.join("a.bib"), false, "ok again").unwrap();
        let done_dir = inbox.join("done");
        assert_eq!(
            std::fs::read_to_string(done_dir.join("a.bib")).unwrap(),
            "x"
        );
        assert_eq!(
            std::fs::read_to_string(done_dir.join("a-1.bib")).unwrap(),
            "y"
        );
        assert_eq!(
            std::fs::read_to_string(done_dir.join("a-1.bib.report.txt")).unwrap(),
            "ok again"
        );
    }
}
