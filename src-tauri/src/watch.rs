//! Keeps the open library in step with its folder while the window runs:
//! a background thread waits for file-system changes (debounced by the
//! engine's watcher), runs one sync under the library's lock, and tells the
//! window what changed through [`FolderEvent`].

use std::path::PathBuf;
use std::time::Duration;

use tauri_specta::Event;

use crate::commands::FolderEvent;
use crate::state::{Opened, State};

/// How often the thread checks whether another library was opened, and
/// whether another Lectern process (the CLI) wrote to this one.
const POLL: Duration = Duration::from_millis(400);

/// How long a just-opened library is left to the window before the full
/// reconcile starts. The window's first results come from the library as
/// it was last synced (about a second after start at 100,000 papers); the
/// reconcile then competes with nothing, and changes it finds reach the
/// window as a [`FolderEvent`]. File events of this time are kept by the
/// watcher, so nothing is missed.
const FIRST_SYNC_DELAY: Duration = Duration::from_secs(2);

/// How soon a round put off by another process's write is tried again.
const BUSY_RETRY: Duration = Duration::from_millis(100);

/// Two things to reconcile as one: nothing, some paths, or everything
/// (`Some(None)`).
fn widen(
    a: Option<Option<Vec<PathBuf>>>,
    b: Option<Option<Vec<PathBuf>>>,
) -> Option<Option<Vec<PathBuf>>> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(None), _) | (_, Some(None)) => Some(None),
        (Some(Some(mut a)), Some(Some(b))) => {
            a.extend(b);
            a.sort();
            a.dedup();
            Some(Some(a))
        }
    }
}

/// The folder of the open library, when it is open for writing.
fn writable_root(state: &State) -> Option<PathBuf> {
    match &*state.lock() {
        Opened::Library(lib) if lib.is_writable() => Some(lib.root().to_path_buf()),
        _ => None,
    }
}

/// Starts the watcher thread.
pub fn start(app: tauri::AppHandle, state: State) {
    std::thread::spawn(move || {
        let mut watched: Option<(PathBuf, lectern::sync::watch::FolderWatcher)> = None;
        let mut retry_inbox = false;
        let mut catching_up = false;
        // What a round put off because another process was writing.
        let mut carried: Option<Option<Vec<PathBuf>>> = None;
        loop {
            let root = writable_root(&state);
            // A library just opened: watch it, and reconcile what changed
            // while nothing watched it.
            let mut fresh = false;
            if watched.as_ref().map(|(r, _)| r) != root.as_ref() {
                watched = root.and_then(|r| {
                    lectern::sync::watch::FolderWatcher::new(&r)
                        .ok()
                        .map(|w| (r, w))
                });
                fresh = watched.is_some();
            }
            let Some((_, watcher)) = watched.as_mut() else {
                std::thread::sleep(POLL);
                continue;
            };
            let wait = if retry_inbox {
                lectern::sync::inbox::SETTLE
            } else if catching_up || carried.is_some() {
                // More of another process's batch to index: come back at
                // once, letting the window's commands in between.
                Duration::from_millis(1)
            } else {
                POLL
            };
            // What to reconcile: everything, some paths, or nothing.
            let heard: Option<Option<Vec<PathBuf>>> = if fresh {
                Some(None)
            } else {
                match watcher.wait(wait) {
                    lectern::sync::watch::Wait::Changed(paths) => Some(paths),
                    // Files were still being copied into the inbox.
                    lectern::sync::watch::Wait::TimedOut => retry_inbox.then(|| {
                        watched
                            .as_ref()
                            .map(|(root, _)| vec![root.join(lectern::sync::INBOX_DIR)])
                    }),
                    lectern::sync::watch::Wait::Closed => {
                        watched = None;
                        continue;
                    }
                }
            };
            // With what an earlier round had to put off.
            let scope = widen(carried.take(), heard);
            if fresh {
                std::thread::sleep(FIRST_SYNC_DELAY);
            }
            // A full comparison walks the folder first, without the lock:
            // at 100,000 papers the walk takes most of a second, and the
            // window's first searches should not wait for it.
            let mut listing = match (&scope, watched.as_ref()) {
                (Some(None), Some((root, _))) => lectern::sync::list(root).ok(),
                _ => None,
            };
            // Another process (a CLI import) may hold SQLite's write lock
            // for seconds: rather than keep the window's commands waiting
            // behind it, a round that would wait gives up and is tried
            // again shortly, with what it was to reconcile.
            let report = state.with(|lib| {
                lib.without_waiting(|lib| {
                    let mut report = lib.take_folder_report();
                    let applied = lib.work_off_backlog()?;
                    // The window refreshes once the whole batch is in.
                    if applied && !lib.others_pending() {
                        report.others += 1;
                    }
                    let more = match (&scope, listing.take()) {
                        (Some(Some(paths)), _) => Some(lib.sync_paths(paths)?),
                        (Some(None), Some(listing)) => Some(lib.sync_listed(listing)?),
                        (Some(None), None) => Some(lib.sync()?),
                        (None, _) => None,
                    };
                    if let Some(more) = more {
                        report = lectern::sync::merged(report, more);
                    }
                    Ok(report)
                })
                .map(|report| (report, lib.has_backlog()))
            });
            let report = match report {
                Ok((Some(report), backlog)) => {
                    catching_up = backlog;
                    report
                }
                Ok((None, _)) => {
                    carried = scope;
                    catching_up = false;
                    std::thread::sleep(BUSY_RETRY);
                    continue;
                }
                Err(_) => continue,
            };
            retry_inbox = report.inbox_waiting;
            // The window already shows what its own commands wrote; it is
            // refreshed only for what came from the folder.
            if report.library_changed()
                || !report.conflicts.is_empty()
                || !report.problems.is_empty()
            {
                let _ = FolderEvent { report }.emit(&app);
            }
        }
    });
}
