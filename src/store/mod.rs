//! SQLite, the library's source of truth.
//!
//! [`open`] sets the connection pragmas (WAL, foreign keys, busy timeout)
//! outside any transaction, then brings the schema up to date with the
//! migrations in [`migrations`], refusing a database written by a newer
//! Lectern. Queries live beside their row mapping in one module per
//! aggregate; they are free functions over a `&Connection`, so callers choose
//! the transaction (a `Transaction` derefs to a `Connection`).

pub mod aliases;
pub mod annotations;
pub mod bulk;
pub mod duplicates;
pub mod hits;
pub mod mentions;
pub mod merge;
pub mod migrations;
pub mod notes;
pub mod papers;
pub mod pending;
pub mod provenance;
pub mod relations;
pub mod texts;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};

impl From<rusqlite::Error> for Error {
    fn from(source: rusqlite::Error) -> Self {
        sqlite_error(Path::new(".lectern").join("lectern.db"), source)
    }
}

/// A SQLite error as the engine's error: a damaged or foreign file is
/// [`Error::Damaged`], which says how to recover.
fn sqlite_error(path: std::path::PathBuf, source: rusqlite::Error) -> Error {
    let code = source.sqlite_error_code();
    if code == Some(rusqlite::ErrorCode::DiskFull) {
        return Error::DiskFull { path };
    }
    let damaged = matches!(
        code,
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    );
    if damaged {
        Error::Damaged {
            path,
            detail: source.to_string(),
        }
    } else {
        Error::Sqlite { path, source }
    }
}

/// Opens (creating if needed) the database at `path` and migrates it.
pub fn open(path: &Path) -> Result<Connection> {
    let name = |e: Error| match e {
        Error::Sqlite { source, .. } => sqlite_error(path.to_path_buf(), source),
        Error::Damaged { detail, .. } => Error::Damaged {
            path: path.to_path_buf(),
            detail,
        },
        other => other,
    };
    let conn = Connection::open(path).map_err(|source| sqlite_error(path.to_path_buf(), source))?;
    configure(&conn).map_err(name)?;
    migrations::migrate(&conn, path).map_err(name)?;
    Ok(conn)
}

/// Opens an in-memory database with the full schema (tests and benches).
#[cfg(test)]
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrations::migrate(&conn, Path::new(":memory:"))?;
    Ok(conn)
}

/// How long a write waits for another process's to finish.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // journal_mode returns a row; query it rather than execute.
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA synchronous = NORMAL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -131072;",
    )?;
    Ok(())
}

/// The current time as RFC 3339 UTC with second precision.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A fresh opaque id: a time-ordered UUID in its short form.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}
