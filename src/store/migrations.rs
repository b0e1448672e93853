//! Schema migrations keyed on SQLite's `user_version`.
//!
//! Architecture invariant: migrations are only ever appended, never edited.
//! Each runs in its own transaction together with the version bump.

use std::path::Path;

use rusqlite::Connection;

use crate::error::{Error, Result};

/// Migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    "CREATE TABLE papers (
        seq        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        citekey    TEXT NOT NULL UNIQUE,
        title      TEXT NOT NULL,
        norm_title TEXT NOT NULL,
        abstract   TEXT NOT NULL DEFAULT '',
        year       INTEGER,
        doi        TEXT,
        arxiv      TEXT,
        status     TEXT NOT NULL DEFAULT 'unread'
                   CHECK (status IN ('unread', 'reading', 'read')),
        starred    INTEGER NOT NULL DEFAULT 0,
        source     TEXT NOT NULL DEFAULT '',
        added      TEXT NOT NULL,
        updated    TEXT NOT NULL
    );
    CREATE INDEX papers_norm_title ON papers(norm_title);
    CREATE INDEX papers_doi ON papers(doi) WHERE doi IS NOT NULL;
    CREATE INDEX papers_arxiv ON papers(arxiv) WHERE arxiv IS NOT NULL;

    CREATE TABLE authors (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name     TEXT NOT NULL,
        PRIMARY KEY (paper_id, position)
    ) WITHOUT ROWID;

    CREATE TABLE links (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        url      TEXT NOT NULL,
        kind     TEXT NOT NULL
                 CHECK (kind IN ('code', 'dataset', 'project', 'pdf', 'other')),
        PRIMARY KEY (paper_id, position)
    ) WITHOUT ROWID;

    CREATE TABLE tags (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        tag      TEXT NOT NULL,
        PRIMARY KEY (paper_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX tags_tag ON tags(tag);

    CREATE TABLE notes (
        seq      INTEGER PRIMARY KEY,
        id       TEXT NOT NULL UNIQUE,
        paper_id TEXT REFERENCES papers(id) ON DELETE CASCADE,
        body     TEXT NOT NULL,
        created  TEXT NOT NULL,
        updated  TEXT NOT NULL
    );
    CREATE INDEX notes_paper ON notes(paper_id);

    CREATE TABLE annotations (
        seq       INTEGER PRIMARY KEY,
        id        TEXT NOT NULL UNIQUE,
        paper_id  TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        exact     TEXT NOT NULL,
        prefix    TEXT NOT NULL,
        suffix    TEXT NOT NULL,
        start     INTEGER NOT NULL,
        end       INTEGER NOT NULL,
        color     TEXT NOT NULL,
        comment   TEXT,
        created   TEXT NOT NULL,
        updated   TEXT NOT NULL
    );
    CREATE INDEX annotations_paper ON annotations(paper_id);

    CREATE TABLE relations (
        src     TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        dst     TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        kind    TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (src, dst, kind),
        CHECK (src <> dst)
    ) WITHOUT ROWID;
    CREATE INDEX relations_dst ON relations(dst);

    -- What the full-text index still owes: written in the same transaction
    -- as the change, cleared after the index commits.
    -- A row names one paper, or (after_seq) every paper added after that
    -- papers.seq, which is how a bulk import records its debt in one row.
    CREATE TABLE pending_index (
        seq       INTEGER PRIMARY KEY,
        paper_id  TEXT,
        after_seq INTEGER,
        CHECK (paper_id IS NOT NULL OR after_seq IS NOT NULL)
    );",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every migration newer than the database's `user_version`.
pub fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {version}; COMMIT;"
        ))
        .inspect_err(|_| {
            let _ = conn.execute_batch("ROLLBACK");
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_and_refuses_newer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let conn = crate::store::open(&path).unwrap();
            let v: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(v, SCHEMA_VERSION);
            conn.execute_batch("PRAGMA user_version = 999").unwrap();
        }
        let err = crate::store::open(&path).unwrap_err();
        assert!(
            matches!(err, Error::NewerSchema { found: 999, .. }),
            "{err}"
        );
    }
}
