//! Keeps the open library in step with its folder while the window runs:
//! a background thread runs the engine's folder-watch session
//! ([`lectern::FolderSession`]), each round under the library's lock, and
//! tells the window what changed through [`FolderEvent`].

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tauri_specta::Event;

use crate::commands::FolderEvent;
use crate::state::{Opened, State};

/// How long a just-opened library is left to the window before the full
/// reconcile starts. The window's first results come from the library as
/// it was last synced (about a second after start at 100,000 papers); the
/// reconcile then competes with nothing, and changes it finds reach the
/// window as a [`FolderEvent`]. File events of this time are kept by the
/// watcher, so nothing is missed.
const FIRST_SYNC_DELAY: Duration = Duration::from_secs(2);

/// How often a window that opened its library read-only tries to become
/// its writer.
const TAKE_OVER_EVERY: Duration = Duration::from_secs(1);

/// The folder of the open library, when it is open for writing.
fn writable_root(state: &State) -> Option<PathBuf> {
    match &*state.lock() {
        Opened::Library(lib) if lib.is_writable() => Some(lib.root().to_path_buf()),
        _ => None,
    }
}

/// Starts the watcher thread. While the library is open read-only it
/// tries every [`TAKE_OVER_EVERY`] to become the library's writer, and
/// tells the window when the writer commits.
pub fn start(app: tauri::AppHandle, state: State) {
    std::thread::spawn(move || {
        let mut session: Option<lectern::FolderSession> = None;
        let mut tried = Instant::now();
        loop {
            // Read-only because another process held the library when the
            // window opened it: become its writer once it is free.
            if tried.elapsed() >= TAKE_OVER_EVERY && {
                tried = Instant::now();
                state.try_take_over()
            } {
                let report = lectern::SyncReport {
                    others: 1,
                    ..Default::default()
                };
                emit(&app, &state, report);
            }
            // A library just opened: watch it, and reconcile what changed
            // while nothing watched it.
            let root = writable_root(&state);
            if session.as_ref().map(|s| s.root()) != root.as_deref() {
                session = root.and_then(|r| lectern::FolderSession::new(&r, true).ok());
                if session.is_some() {
                    std::thread::sleep(FIRST_SYNC_DELAY);
                }
            }
            let Some(watching) = session.as_mut() else {
                // Read-only: the writer (another Lectern) applies the
                // folder's changes; the window is told when it commits.
                if state.with(|lib| lib.others_committed()).unwrap_or(false) {
                    let report = lectern::SyncReport {
                        others: 1,
                        ..Default::default()
                    };
                    emit(&app, &state, report);
                }
                std::thread::sleep(lectern::WATCH_POLL);
                continue;
            };
            // Waiting and walking the folder happen without the lock.
            let Ok(round) = watching.wait() else {
                session = None;
                continue;
            };
            let Ok(Some(report)) = state.with(|lib| watching.run(lib, round)) else {
                continue;
            };
            // The window already shows what its own commands wrote; it is
            // refreshed only for what came from the folder.
            if report.library_changed()
                || !report.conflicts.is_empty()
                || !report.problems.is_empty()
            {
                emit(&app, &state, report);
            }
        }
    });
}

/// Tells the window what changed, counting the event.
fn emit(app: &tauri::AppHandle, state: &State, report: lectern::SyncReport) {
    let seq = state.folder_changes.fetch_add(1, Ordering::SeqCst) + 1;
    let _ = FolderEvent { report, seq }.emit(app);
}
