//! The engine's error type: one enum, each variant a one-line message that
//! names what went wrong and where.
//!
//! Front ends map these to exit codes (the CLI) or to a small `{kind, message}`
//! value (the desktop shell) through [`Error::kind`].

use std::path::PathBuf;

/// Result alias used across the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no paper `{0}` in this library (give an id or a citekey)")]
    UnknownPaper(String),
    #[error("no {what} `{id}` in this library")]
    NotFound { what: &'static str, id: String },
    #[error("{location}: {message}")]
    Parse { location: String, message: String },
    #[error("{0}")]
    Invalid(String),
    /// A PDF that could not be read or written: unreadable, encrypted, or
    /// asked for what it does not have (a page it lacks).
    #[error("{0}")]
    Pdf(String),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "library {} is in use by another Lectern process (lock {}); close it and retry",
        library.display(),
        lock.display()
    )]
    Locked { library: PathBuf, lock: PathBuf },
    #[error(
        "library {} was written by a newer Lectern (schema version {found}, this build knows up to {known}); upgrade Lectern",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("library database {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "library database {} is damaged ({detail}); everything you wrote is also in the folder: `lectern repair` sets the database aside and rebuilds it from papers/ and notes/",
        path.display()
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "the disk holding {} is full; free some space and run it again (nothing half-written was kept)",
        path.display()
    )]
    DiskFull { path: PathBuf },
    #[error("search index {}: {message}", path.display())]
    Index { path: PathBuf, message: String },
    /// The sentence-embedding model could not be found, read or run
    /// (search by meaning is off; search by words works without it).
    #[error("embedding model {}: {message}", path.display())]
    Model { path: PathBuf, message: String },
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// A web source could not be reached or gave an answer that cannot be
    /// used; nothing was changed because of it.
    /// `message` names the host.
    #[error("{message}")]
    Online { host: String, message: String },
}

impl Error {
    /// The error with the file it came from named in front, when its own
    /// message does not name it already (a reader's complaint about a
    /// PDF's bytes).
    pub fn in_file(self, path: &std::path::Path) -> Error {
        let named = |message: &str| message.contains(&*path.to_string_lossy());
        match self {
            Error::Pdf(message) if !named(&message) => {
                Error::Pdf(format!("{}: {message}", path.display()))
            }
            Error::Invalid(message) | Error::Parse { message, .. } if !named(&message) => {
                Error::Parse {
                    location: path.display().to_string(),
                    message,
                }
            }
            other => other,
        }
    }

    /// Whether another process held SQLite's write lock for longer than
    /// this connection was willing to wait ([`crate::Library::without_waiting`]).
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Error::Sqlite {
                source: rusqlite::Error::SqliteFailure(e, _),
                ..
            } if e.code == rusqlite::ErrorCode::DatabaseBusy
        )
    }

    /// A short stable name for the kind of error, for machine consumers.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::UnknownPaper(_) | Error::NotFound { .. } => "not_found",
            Error::Parse { .. } => "parse",
            Error::Invalid(_) => "invalid",
            Error::Pdf(_) => "pdf",
            Error::Io { .. } => "io",
            Error::Locked { .. } => "locked",
            Error::NewerSchema { .. } => "newer_schema",
            Error::Sqlite { .. } => "database",
            Error::Damaged { .. } => "damaged",
            Error::DiskFull { .. } => "disk_full",
            Error::Index { .. } => "index",
            Error::Model { .. } => "model",
            Error::Cancelled => "cancelled",
            Error::Online { .. } => "online",
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        if source.raw_os_error() == Some(libc::ENOSPC) {
            return Error::DiskFull { path: path.into() };
        }
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The error with the library's database named by its full path
    /// (errors from SQLite queries name it relative to the library).
    pub(crate) fn in_library(self, root: &std::path::Path) -> Error {
        let full = |path: PathBuf| {
            if path.is_relative() {
                root.join(path)
            } else {
                path
            }
        };
        match self {
            Error::DiskFull { path } => Error::DiskFull { path: full(path) },
            Error::Damaged { path, detail } => Error::Damaged {
                path: full(path),
                detail,
            },
            Error::Sqlite { path, source } => Error::Sqlite {
                path: full(path),
                source,
            },
            other => other,
        }
    }
}
