//! Watches the library folder for changes made outside Lectern.
//!
//! File-system events (through `notify`) are debounced: a burst of events
//! becomes one "something changed" once the folder has been quiet for
//! [`QUIET`], or after [`MAX_WAIT`] at the latest. The caller then runs a
//! sync, which compares every file with its recorded state, so a dropped
//! or overflowed event queue loses nothing: any event, including the
//! kernel's "queue overflowed, rescan", leads to a full comparison.
//!
//! Only `papers/`, `inbox/` and the library folder itself are watched
//! directly, and `notes/` with its subfolders; `attachments/` and
//! `.lectern/` are not, so a large library does not need one kernel watch
//! per paper.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::error::{Error, Result};

/// How long the folder must be quiet before a burst of events is reported.
pub const QUIET: Duration = Duration::from_millis(200);
/// The longest a burst is held back.
pub const MAX_WAIT: Duration = Duration::from_millis(800);

/// What waiting for a change gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wait {
    /// Files changed: the paths the events named, or `None` when the whole
    /// folder must be compared (the event queue overflowed, a folder itself
    /// changed, an error).
    Changed(Option<Vec<PathBuf>>),
    TimedOut,
    /// The watcher stopped (its channel closed).
    Closed,
}

pub struct FolderWatcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    watched: Vec<PathBuf>,
}

fn watch_err(root: &Path, e: notify::Error) -> Error {
    Error::Invalid(format!(
        "{}: cannot watch the library folder: {e}",
        root.display()
    ))
}

impl FolderWatcher {
    /// Starts watching the library at `root`.
    pub fn new(root: &Path) -> Result<FolderWatcher> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })
        .map_err(|e| watch_err(root, e))?;
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_err(root, e))?;
        let mut me = FolderWatcher {
            root: root.to_path_buf(),
            watcher,
            rx,
            watched: Vec::new(),
        };
        me.watch_folders();
        Ok(me)
    }

    /// Watches the folders that exist now and are not watched yet.
    fn watch_folders(&mut self) {
        for (name, mode) in [
            (super::PAPERS_DIR, RecursiveMode::NonRecursive),
            (super::INBOX_DIR, RecursiveMode::NonRecursive),
            (super::NOTES_DIR, RecursiveMode::Recursive),
        ] {
            let dir = self.root.join(name);
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.watcher.watch(&dir, mode).is_ok()
            {
                self.watched.push(dir);
            } else if !dir.is_dir() {
                self.watched.retain(|d| *d != dir);
            }
        }
    }

    /// Whether an event is about something a sync reads.
    fn relevant(&self, ev: &notify::Result<notify::Event>) -> bool {
        let Ok(ev) = ev else { return true };
        if ev.need_rescan() {
            return true;
        }
        if matches!(ev.kind, EventKind::Access(_)) {
            return false;
        }
        ev.paths.iter().any(|p| {
            let Ok(rel) = p.strip_prefix(&self.root) else {
                return false;
            };
            let mut parts = rel.components();
            let first = parts
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match first.as_str() {
                "papers" | "notes" => !name.starts_with(crate::fsutil::TEMP_PREFIX),
                "inbox" => {
                    // Our own moves into done/ and failed/ are not news.
                    let second = parts
                        .next()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned());
                    !matches!(
                        second.as_deref(),
                        Some(super::inbox::DONE_DIR | super::inbox::FAILED_DIR)
                    )
                }
                _ => false,
            }
        })
    }

    /// Adds what an event names to `paths`; `None` from then on when the
    /// event asks for a full comparison.
    fn note(&self, ev: notify::Result<notify::Event>, paths: &mut Option<Vec<PathBuf>>) {
        let Ok(ev) = ev else {
            *paths = None;
            return;
        };
        let folder_itself = ev.paths.iter().any(|p| {
            *p == self.root
                || [super::PAPERS_DIR, super::NOTES_DIR, super::INBOX_DIR]
                    .iter()
                    .any(|d| *p == self.root.join(d))
                || p.is_dir()
        });
        if ev.need_rescan() || folder_itself {
            *paths = None;
        } else if let Some(list) = paths.as_mut() {
            list.extend(ev.paths);
        }
    }

    /// Waits up to `timeout` for a change, then for the burst to end.
    pub fn wait(&mut self, timeout: Duration) -> Wait {
        let deadline = Instant::now() + timeout;
        let mut paths = Some(Vec::new());
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(ev) => {
                    if self.relevant(&ev) {
                        self.note(ev, &mut paths);
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => return Wait::TimedOut,
                Err(RecvTimeoutError::Disconnected) => return Wait::Closed,
            }
        }
        let burst_end = Instant::now() + MAX_WAIT;
        loop {
            let left = burst_end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.rx.recv_timeout(QUIET.min(left)) {
                Ok(ev) => {
                    if self.relevant(&ev) {
                        self.note(ev, &mut paths);
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Wait::Closed,
            }
        }
        // A folder may have been created (or re-created) meanwhile.
        self.watch_folders();
        Wait::Changed(paths)
    }
}
