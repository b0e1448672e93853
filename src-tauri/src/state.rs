//! What the window shares between commands: the open library (one writer
//! per process, behind a mutex) and the cancel flags of a running import
//! and a running fetch.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32};
use std::sync::{Arc, Mutex, MutexGuard};

use lectern::Library;

use crate::error::{CommandError, CommandResult};

pub struct Shared {
    library: Mutex<Opened>,
    pub cancel: AtomicBool,
    /// The cancel flag of a running fetch ("Find details and PDF").
    pub fetch_cancel: AtomicBool,
    /// How many folder events were sent (`commands::folder_changes`).
    pub folder_changes: AtomicU32,
    /// Paths the person chose in a native dialog or dropped on the window:
    /// the only paths the web view may hand back to read or write.
    granted: Mutex<HashSet<PathBuf>>,
}

/// The library the window shows, or why none is open.
pub enum Opened {
    Library(Box<Library>),
    Failed { path: PathBuf, error: CommandError },
}

pub type State = Arc<Shared>;

impl Shared {
    /// Opens the library at `path` ([`default_library`] unless the command
    /// line named one).
    pub fn start(path: PathBuf) -> State {
        Arc::new(Shared {
            library: Mutex::new(open(path)),
            cancel: AtomicBool::new(false),
            fetch_cancel: AtomicBool::new(false),
            folder_changes: AtomicU32::new(0),
            granted: Mutex::new(HashSet::new()),
        })
    }

    pub fn lock(&self) -> MutexGuard<'_, Opened> {
        // A panic while holding the lock leaves the library itself
        // consistent (SQLite rolls back), so the guard is still usable.
        self.library.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the open library.
    pub fn with<T>(&self, f: impl FnOnce(&mut Library) -> lectern::Result<T>) -> CommandResult<T> {
        match &mut *self.lock() {
            Opened::Library(lib) => f(lib).map_err(CommandError::from),
            Opened::Failed { error, .. } => Err(error.clone()),
        }
    }

    /// Records paths the person chose or dropped.
    pub fn grant(&self, paths: &[PathBuf]) {
        let mut granted = self.granted.lock().unwrap_or_else(|p| p.into_inner());
        granted.extend(paths.iter().cloned());
    }

    /// Whether the person chose or dropped `path`.
    pub fn is_granted(&self, path: &std::path::Path) -> bool {
        self.granted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(path)
    }

    /// When the open library is read-only because another process held
    /// it, tries to open it for writing again; true when the window is now
    /// its writer. (A window started while the CLI, or a window closing,
    /// still held the library would otherwise stay read-only, and nothing
    /// would watch the folder.)
    pub fn try_take_over(&self) -> bool {
        let mut guard = self.lock();
        let root = match &*guard {
            Opened::Library(lib) if !lib.is_writable() => lib.root().to_path_buf(),
            _ => return false,
        };
        match Library::open_with(&root, lectern::Opening::WINDOW) {
            Ok(lib) if lib.is_writable() => {
                *guard = Opened::Library(Box::new(lib));
                true
            }
            _ => false,
        }
    }

    /// Whether the library is open read-only because another process
    /// holds it.
    pub fn held_elsewhere(&self) -> bool {
        matches!(&*self.lock(), Opened::Library(lib) if !lib.is_writable())
    }

    pub fn replace(&self, path: PathBuf) {
        let mut guard = self.lock();
        // Release the old library (and its lock) before opening the next,
        // so reopening the same folder works.
        *guard = Opened::Failed {
            path: path.clone(),
            error: CommandError::new("closed", "no library is open"),
        };
        *guard = open(path);
    }
}

/// The library the window opens: `LECTERN_LIBRARY`, else `~/Lectern`.
pub fn default_library() -> PathBuf {
    if let Some(p) = std::env::var_os("LECTERN_LIBRARY") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join("Lectern")
}

/// Opens for writing; if another process holds the library, read-only.
/// The folder is reconciled by the watcher thread's first sync, so the
/// window does not wait for it.
fn open(path: PathBuf) -> Opened {
    match Library::open_with(&path, lectern::Opening::WINDOW) {
        Ok(lib) => Opened::Library(Box::new(lib)),
        Err(e) => Opened::Failed {
            path,
            error: e.into(),
        },
    }
}
