//! Commands that reconcile the library with its folder or rebuild what is
//! derived from it: `sync` (once, `--check`, `--watch`), `repair` and
//! `reindex`.

use std::path::Path;
use std::process::ExitCode;

use super::open_library;
use crate::SyncReport;
use crate::cli::output::Output;
use crate::{FolderSession, Library};

/// How long a one-shot `lectern sync` waits for files still being written
/// into the inbox.
const INBOX_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// `lectern sync`: reports the differences (`--check`, exit 1 if any), or
/// syncs once and, with `--watch`, on every change after.
pub(in crate::cli) fn sync(
    root: &Path,
    out: &Output,
    watch: bool,
    check: bool,
) -> anyhow::Result<ExitCode> {
    // Opened without the usual reconcile: `--check` reports the folder as
    // it is, and a sync runs once, below.
    let mut lib = Library::open_with(root, crate::Opening::SYNC)?;
    if check {
        return sync_check(&mut lib, out);
    }
    // A file dropped into the inbox just before is waited for.
    let report = if watch {
        lib.sync()?
    } else {
        lib.sync_settled(INBOX_PATIENCE)?
    };
    out.done(&report, &describe_sync(&report))?;
    if watch {
        watch_folder(&mut lib, out, report)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `lectern sync --check`: where the folder and the index disagree with
/// the library, without changing anything.
fn sync_check(lib: &mut Library, out: &Output) -> anyhow::Result<ExitCode> {
    let mut problems = lib.check_folder()?;
    problems.extend(lib.check_index()?);
    out.done(
        &serde_json::json!({"agree": problems.is_empty(), "differences": problems}),
        &if problems.is_empty() {
            "The library and its folder agree.".to_string()
        } else {
            problems.join("\n")
        },
    )?;
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `lectern sync --watch` after the first sync: syncs what changes until
/// the watcher closes, printing each round that did or found something.
fn watch_folder(lib: &mut Library, out: &Output, report: SyncReport) -> anyhow::Result<()> {
    let mut session = FolderSession::new(lib.root(), false)?;
    session.continue_from(&report);
    eprintln!("Watching {} (Ctrl+C stops)…", lib.root().display());
    while let Ok(round) = session.wait() {
        // `None`: another process was writing; the round comes again.
        let Some(report) = session.run(lib, round)? else {
            continue;
        };
        if report.changed() || !report.conflicts.is_empty() || !report.problems.is_empty() {
            out.done(&report, &describe_sync(&report))?;
        }
    }
    Ok(())
}

/// One line per thing a sync did, for people.
fn describe_sync(r: &SyncReport) -> String {
    let mut parts = Vec::new();
    for (n, what) in [
        (r.applied, "file change(s) applied"),
        (r.created, "paper(s) created from new files"),
        (r.renamed, "renamed file(s) followed"),
        (r.trashed, "paper(s) moved to the trash (file deleted)"),
        (r.notes, "free-standing note change(s)"),
        (r.inbox_imported, "inbox file(s) imported"),
        (r.inbox_failed, "inbox file(s) failed (see inbox/failed/)"),
        (r.written, "paper file(s) written"),
        (r.removed, "paper file(s) removed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let mut text = if parts.is_empty() && r.problems.is_empty() && r.conflicts.is_empty() {
        "The library and its folder agree; nothing to do.".to_string()
    } else if parts.is_empty() {
        "Nothing to sync, but the folder holds what Lectern cannot take:".to_string()
    } else {
        format!("Synced: {}.", parts.join(", "))
    };
    for c in &r.conflicts {
        text.push_str(&format!("\nconflict: {c}"));
    }
    for p in &r.problems {
        text.push_str(&format!("\nproblem: {p}"));
    }
    text
}

/// `lectern repair`: rebuilds a damaged database from the folder and says
/// where the damaged state is kept.
pub(in crate::cli) fn repair(root: &Path, out: &Output) -> anyhow::Result<()> {
    let (lib, kept) = Library::repair(root)?;
    let n = lib.count()?;
    out.done(
        &serde_json::json!({"papers": n, "kept": kept}),
        &format!(
            "Rebuilt the library from its folder: {n} papers. The damaged state is kept in {}.",
            kept.display()
        ),
    )
}

/// `lectern reindex`: rebuilds the full-text index from the database.
pub(in crate::cli) fn reindex(root: &Path, out: &Output, embeddings: bool) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    if embeddings {
        lib.drop_embeddings()?;
        return out.done(
            &serde_json::json!({"embeddings": "dropped"}),
            "Dropped the vectors of search by meaning; `lectern embed` computes them again",
        );
    }
    let n = lib.reindex()?;
    out.done(
        &serde_json::json!({"indexed": n}),
        &format!("Indexed {n} papers"),
    )
}
