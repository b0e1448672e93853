//! A folder-watch session: what keeps an open library in step with its
//! folder while a front end runs (`lectern sync --watch`, the window).
//!
//! A session alternates two calls, so the front end decides how the
//! library is shared while it waits:
//!
//! - [`FolderSession::wait`] waits, without the library, for file-system
//!   changes (debounced by the engine's watcher) or for the next poll, and
//!   for a full comparison walks the folder there too (at 100,000 papers
//!   the walk takes most of a second);
//! - [`FolderSession::run`] then does one round on the library: one step
//!   of work left from before (another process's batch to index, owed
//!   paper files, see [`Library::set_work_step`]) and the sync of what
//!   changed.
//!
//! A round that would wait for another process's SQLite write lock (a CLI
//! import beside the window) gives up ([`Library::without_waiting`]) and
//! what it was to reconcile is carried into the next round, which comes
//! soon.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Result;
use crate::library::Library;
use crate::sync::watch::{FolderWatcher, Wait};
use crate::sync::{self as folder, Listing, SyncReport};

/// How often a session without news looks whether another Lectern process
/// wrote to the library (and how soon such writes reach the index).
pub const POLL: Duration = Duration::from_millis(400);

/// How soon a round put off by another process's write is tried again.
const BUSY_RETRY: Duration = Duration::from_millis(100);

/// What to reconcile: nothing, some paths, or everything (`Some(None)`).
type Scope = Option<Option<Vec<PathBuf>>>;

/// One round's work, prepared by [`FolderSession::wait`].
pub struct Round {
    scope: Scope,
    /// The walk of the folder, for a full comparison.
    listing: Option<Listing>,
}

impl Round {
    /// Whether this round compares the whole folder.
    pub fn is_full(&self) -> bool {
        matches!(self.scope, Some(None))
    }
}

/// The watcher stopped; the session is over.
#[derive(Debug)]
pub struct Closed;

/// A folder-watch session on one library folder.
pub struct FolderSession {
    root: PathBuf,
    watcher: FolderWatcher,
    /// What a round put off (another process was writing), or the full
    /// comparison a new session owes.
    carried: Scope,
    /// The inbox had files still being copied.
    retry_inbox: bool,
    /// The library has work left from a bounded step.
    backlog: bool,
    /// The last round was put off.
    busy: bool,
}

impl FolderSession {
    /// Starts watching the library folder at `root`. With `reconcile_first`
    /// the first round compares the whole folder (what changed while
    /// nothing watched it).
    pub fn new(root: &Path, reconcile_first: bool) -> Result<FolderSession> {
        Ok(FolderSession {
            root: root.to_path_buf(),
            watcher: FolderWatcher::new(root)?,
            carried: reconcile_first.then_some(None),
            retry_inbox: false,
            backlog: false,
            busy: false,
        })
    }

    /// Carries on from a sync made before the session started: an inbox
    /// whose files were still being copied is looked at again soon.
    pub fn continue_from(&mut self, report: &SyncReport) {
        self.retry_inbox = report.inbox_waiting;
    }

    /// The folder watched.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Waits for the next round: changes in the folder, a poll (others'
    /// writes), or the rest of earlier work.
    pub fn wait(&mut self) -> std::result::Result<Round, Closed> {
        let timeout = if self.busy {
            BUSY_RETRY
        } else if self.backlog || matches!(self.carried, Some(None)) {
            // Come back at once, letting the front end's commands in
            // between.
            Duration::from_millis(1)
        } else if self.retry_inbox {
            folder::inbox::SETTLE
        } else {
            POLL
        };
        let heard: Scope = match self.watcher.wait(timeout) {
            Wait::Changed(paths) => Some(paths),
            // Files were still being copied into the inbox.
            Wait::TimedOut => self
                .retry_inbox
                .then(|| Some(vec![self.root.join(folder::INBOX_DIR)])),
            Wait::Closed => return Err(Closed),
        };
        let scope = widen(self.carried.take(), heard);
        let listing = match scope {
            Some(None) => folder::list(&self.root).ok(),
            _ => None,
        };
        Ok(Round { scope, listing })
    }

    /// Runs a round on the library: one step of the work left from before,
    /// then the sync of what changed. `Ok(None)` when another process's
    /// write would have kept it waiting: the round is carried into the
    /// next one.
    pub fn run(&mut self, lib: &mut Library, round: Round) -> Result<Option<SyncReport>> {
        let Round { scope, listing } = round;
        let done = lib.without_waiting(|lib| {
            let mut report = lib.take_folder_report();
            let applied = lib.work_off_backlog()?;
            // Front ends refresh once the whole batch is in.
            if applied && !lib.others_pending() {
                report.others += 1;
            }
            let more = match (&scope, listing) {
                (Some(Some(paths)), _) => Some(lib.sync_paths(paths)?),
                (Some(None), Some(listing)) => Some(lib.sync_listed(listing)?),
                (Some(None), None) => Some(lib.sync()?),
                (None, _) => None,
            };
            if let Some(more) = more {
                report.absorb(more);
            }
            Ok(report)
        })?;
        self.busy = done.is_none();
        self.backlog = lib.has_backlog();
        match &done {
            Some(report) => self.retry_inbox = report.inbox_waiting,
            None => self.carried = scope,
        }
        Ok(done)
    }
}

/// Two things to reconcile as one.
fn widen(a: Scope, b: Scope) -> Scope {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_keeps_every_path_and_everything_wins() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(widen(None, None), None);
        assert_eq!(
            widen(
                Some(Some(vec![p("b"), p("a")])),
                Some(Some(vec![p("a"), p("c")]))
            ),
            Some(Some(vec![p("a"), p("b"), p("c")]))
        );
        assert_eq!(widen(Some(Some(vec![p("a")])), Some(None)), Some(None));
        assert_eq!(
            widen(None, Some(Some(vec![p("a")]))),
            Some(Some(vec![p("a")]))
        );
    }
}
