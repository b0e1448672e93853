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
            } else if catching_up {
                // More of another process's batch to index: come back at
                // once, letting the window's commands in between.
                Duration::from_millis(1)
            } else {
                POLL
            };
            // What to reconcile: everything, some paths, or nothing.
            let scope: Option<Option<Vec<PathBuf>>> = if fresh {
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
            let report = state.with(|lib| {
                let mut report = lib.take_folder_report();
                let applied = lib.catch_up_others().unwrap_or(false);
                catching_up = lib.others_pending();
                // The window refreshes once the whole batch is in.
                if applied && !catching_up {
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
            });
            let Ok(report) = report else { continue };
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
