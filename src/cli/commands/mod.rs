//! One function per command, grouped by concern; [`super::run`] only
//! dispatches to them. Here: opening the library the way every command
//! does.

pub(super) mod editing;
pub(super) mod folder;
pub(super) mod meaning;
pub(super) mod online;
pub(super) mod reading;
pub(super) mod tidying;
pub(super) mod transfer;

#[cfg(feature = "bench")]
pub(super) mod bench;

use std::path::Path;

use crate::Library;

/// Opens the library the CLI's way ([`Library::open`]: beside the window
/// when it holds the library) and warns (on stderr) about what the folder
/// reconciliation on opening found.
fn open_library(root: &Path) -> anyhow::Result<Library> {
    let mut lib = Library::open(root)?;
    warn_folder(&mut lib);
    Ok(lib)
}

/// [`open_library`] for a command that only reads: the folder is compared
/// with the library only when its folders' times moved since the last
/// comparison ([`crate::Opening::READ`]), so reading a large library does
/// not wait for a look at every file.
fn open_for_reading(root: &Path) -> anyhow::Result<Library> {
    let mut lib = Library::open_with(root, crate::Opening::READ)?;
    warn_folder(&mut lib);
    Ok(lib)
}

/// Says on stderr what the library found wrong with its folder: conflicts,
/// problems, and how far the folder is behind.
fn warn_folder(lib: &mut Library) {
    let report = lib.take_folder_report();
    if !report.conflicts.is_empty() {
        eprintln!(
            "lectern: warning: {} conflict(s) in the library folder: {} (see `lectern sync`)",
            report.conflicts.len(),
            report.conflicts.join(", ")
        );
    }
    for p in &report.problems {
        eprintln!("lectern: warning: {p}");
    }
    if let Some(lag) = lib.folder_lag() {
        eprintln!("lectern: warning: the library folder is behind: {lag}");
    }
}
