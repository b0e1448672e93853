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
    // 2: what the reference-manager formats carry besides the basics.
    "ALTER TABLE papers ADD COLUMN venue TEXT;
    ALTER TABLE papers ADD COLUMN entry_type TEXT;
    -- Normalized family name of the first author, for duplicate matching.
    ALTER TABLE papers ADD COLUMN first_author TEXT;
    CREATE TABLE fields (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name     TEXT NOT NULL,
        value    TEXT NOT NULL,
        PRIMARY KEY (paper_id, position)
    ) WITHOUT ROWID;",
    // 3: text extracted from attached PDFs.
    "CREATE TABLE fulltext (
        paper_id TEXT PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
        text     TEXT NOT NULL
    ) WITHOUT ROWID;",
    // 4: the library folder (papers/, notes/): what each file held when
    // Lectern last read or wrote it, what the folder still owes, and the
    // trash.
    "CREATE TABLE folder_files (
        path    TEXT PRIMARY KEY,
        kind    TEXT NOT NULL CHECK (kind IN ('paper', 'note')),
        item_id TEXT NOT NULL,
        size    INTEGER NOT NULL,
        mtime   INTEGER NOT NULL,
        hash    TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX folder_files_item ON folder_files(item_id);

    -- Papers whose file must be rewritten (or removed), filled by triggers
    -- in the same transaction as the change. Papers added after
    -- folder_meta.written_seq are owed too.
    CREATE TABLE folder_pending (paper_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TRIGGER papers_folder_update AFTER UPDATE ON papers BEGIN
        INSERT OR IGNORE INTO folder_pending (paper_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER papers_folder_delete AFTER DELETE ON papers BEGIN
        INSERT OR IGNORE INTO folder_pending (paper_id) VALUES (OLD.id);
    END;
    CREATE TABLE folder_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    INSERT INTO folder_meta (key, value) VALUES ('written_seq', '0');

    -- Deleted papers, restorable for 30 days: the paper file as it was.
    CREATE TABLE trash (
        paper_id TEXT PRIMARY KEY,
        citekey  TEXT NOT NULL,
        title    TEXT NOT NULL,
        deleted  TEXT NOT NULL,
        content  TEXT NOT NULL
    ) WITHOUT ROWID;",
    // 5: the papers each free-standing note mentions ([[citekey]] links),
    // derived from the notes' text (filled in after the migration).
    "CREATE TABLE note_mentions (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        note_id  TEXT NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
        PRIMARY KEY (paper_id, note_id)
    ) WITHOUT ROWID;
    CREATE INDEX note_mentions_note ON note_mentions(note_id);",
    // 6: other keys a paper goes by (the keys of records merged into it),
    // and case-insensitive lookups of file names, so two papers never get
    // files whose names differ only in case.
    "CREATE TABLE aliases (
        alias    TEXT PRIMARY KEY,
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX aliases_paper ON aliases(paper_id);
    CREATE TRIGGER aliases_folder_insert AFTER INSERT ON aliases BEGIN
        INSERT OR IGNORE INTO folder_pending (paper_id) VALUES (NEW.paper_id);
    END;
    CREATE TRIGGER aliases_folder_delete AFTER DELETE ON aliases BEGIN
        INSERT OR IGNORE INTO folder_pending (paper_id) VALUES (OLD.paper_id);
    END;
    CREATE INDEX folder_files_path_nocase ON folder_files(path COLLATE NOCASE);",
    // 7: each recorded file's stamp (its path, size and mtime as one
    // number, `sync::glance::stamp`), so a quick look at the folder can
    // tell whether anything changed by comparing one sum. Files recorded
    // before get their stamp on the next full sync; until then the sums
    // differ and the folder is compared in full, as before.
    "ALTER TABLE folder_files ADD COLUMN stamp INTEGER NOT NULL DEFAULT 0",
    // 8: highlights on PDF pages. `page` is NULL for the abstract's
    // highlights, which keep working unchanged; `file` and `file_hash`
    // name the attachment and the version of it a PDF highlight was placed
    // on; `rects` are `x0,y0,x1,y1;…` in PDF user space
    // (`model::rects_to_string`); `placed` is 0 for a highlight a new
    // version of its PDF could not take.
    "ALTER TABLE annotations ADD COLUMN kind TEXT NOT NULL DEFAULT 'text';
     ALTER TABLE annotations ADD COLUMN page INTEGER;
     ALTER TABLE annotations ADD COLUMN file TEXT;
     ALTER TABLE annotations ADD COLUMN file_hash TEXT;
     ALTER TABLE annotations ADD COLUMN rects TEXT NOT NULL DEFAULT '';
     ALTER TABLE annotations ADD COLUMN placed INTEGER NOT NULL DEFAULT 1",
    // 9: where a field filled from the web came from, and when
    // (`lectern fetch`); a field the person or an import wrote has no row.
    // And the library's settings, one JSON value per key (`online`).
    "CREATE TABLE field_sources (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        field    TEXT NOT NULL,
        source   TEXT NOT NULL,
        at       TEXT NOT NULL,
        PRIMARY KEY (paper_id, field)
    ) WITHOUT ROWID;
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID",
    // 10: the number of papers, kept by triggers, so that opening a
    // library compares it with the index's document count without
    // counting every row (a scan of 100,000 index entries, 0.2 s when the
    // disk cache is cold).
    "CREATE TABLE paper_count (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        n   INTEGER NOT NULL
    );
    INSERT INTO paper_count (one, n) SELECT 1, count(*) FROM papers;
    CREATE TRIGGER paper_count_insert AFTER INSERT ON papers
    BEGIN UPDATE paper_count SET n = n + 1; END;
    CREATE TRIGGER paper_count_delete AFTER DELETE ON papers
    BEGIN UPDATE paper_count SET n = n - 1; END",
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
        if version == 2 {
            backfill_first_authors(conn)?;
        }
    }
    // Backfills that read through today's queries run once every table
    // they touch exists.
    if found < 5 {
        backfill_mentions(conn)?;
    }
    Ok(())
}

/// Fills `note_mentions` for free-standing notes stored before migration 5
/// and queues their papers for reindexing.
fn backfill_mentions(conn: &Connection) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let done = (|| {
        for id in super::mentions::refresh(conn, &[])? {
            super::pending::mark(conn, &id)?;
        }
        Ok::<(), Error>(())
    })();
    match done {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Fills `papers.first_author` for papers stored before migration 2.
fn backfill_first_authors(conn: &Connection) -> Result<()> {
    let rows: Vec<(String, String)> = conn
        .prepare(
            "SELECT p.id, a.name FROM papers p JOIN authors a ON a.paper_id = p.id AND a.position = 0",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let mut update = conn.prepare("UPDATE papers SET first_author = ?2 WHERE id = ?1")?;
    for (id, name) in rows {
        update
            .execute(rusqlite::params![id, super::papers::author_key(&name)])
            .inspect_err(|_| {
                let _ = conn.execute_batch("ROLLBACK");
            })?;
    }
    conn.execute_batch("COMMIT")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_library_upgrades_with_first_authors_filled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.execute_batch(
                "PRAGMA user_version = 1;
                 INSERT INTO papers (id, citekey, title, norm_title, added, updated)
                   VALUES ('p1', 'k1', 'T', 't', 'now', 'now'), ('p2', 'k2', 'U', 'u', 'now', 'now');
                 INSERT INTO authors VALUES ('p1', 0, 'Piotr Dollár'), ('p1', 1, 'Ross Girshick');",
            )
            .unwrap();
        }
        let conn = crate::store::open(&path).unwrap();
        let first: Vec<Option<String>> = conn
            .prepare("SELECT first_author FROM papers ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(first, vec![Some("dollar".to_string()), None]);
        let fields: i64 = conn
            .query_row("SELECT count(*) FROM fields", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fields, 0);
    }

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

    #[test]
    fn a_version_4_library_upgrades_with_the_mentions_of_its_free_notes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v4.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
            for sql in &MIGRATIONS[..4] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 4;
                 INSERT INTO papers (id, citekey, title, norm_title, added, updated)
                   VALUES ('p1', 'k1', 'T', 't', 'now', 'now'), ('p2', 'k2', 'U', 'u', 'now', 'now');
                 INSERT INTO notes (id, paper_id, body, created, updated)
                   VALUES ('n1', NULL, 'See [[k2]] and [[missing]].', 'now', 'now'),
                          ('n2', 'p1', 'On p1: [[k2]]', 'now', 'now');",
            )
            .unwrap();
        }
        let conn = crate::store::open(&path).unwrap();
        let mentions: Vec<(String, String)> = conn
            .prepare("SELECT note_id, paper_id FROM note_mentions")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(mentions, vec![("n1".to_string(), "p2".to_string())]);
        // The paper's index document must be rewritten to hold the note.
        let (_, pending) = crate::store::pending::read(&conn).unwrap();
        assert_eq!(pending, vec!["p2".to_string()]);
    }

    #[test]
    fn a_version_7_library_keeps_its_highlights_as_highlights_of_the_abstract() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v7.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
            for sql in &MIGRATIONS[..7] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 7;
                 INSERT INTO papers (id, citekey, title, norm_title, added, updated)
                   VALUES ('p1', 'k1', 'T', 't', 'now', 'now');
                 INSERT INTO annotations (id, paper_id, exact, prefix, suffix, start, end, color, comment, created, updated)
                   VALUES ('a1', 'p1', 'masked', '', ' autoencoders', 0, 6, 'green', 'Key.', 'now', 'now');",
            )
            .unwrap();
        }
        let conn = crate::store::open(&path).unwrap();
        let a = crate::store::annotations::get(&conn, "a1").unwrap();
        assert_eq!(a.quote.exact, "masked");
        assert_eq!((a.position.start, a.position.end), (0, 6));
        assert_eq!(a.kind, crate::model::AnnotationKind::Text);
        assert_eq!((a.page, a.file.as_deref(), a.rects.len()), (None, None, 0));
        assert!(a.placed);
    }

    #[test]
    fn the_paper_count_starts_from_the_rows_and_follows_inserts_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v9.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
            for sql in &MIGRATIONS[..9] {
                conn.execute_batch(sql).unwrap();
            }
            conn.execute_batch(
                "PRAGMA user_version = 9;
                 INSERT INTO papers (id, citekey, title, norm_title, added, updated)
                   VALUES ('p1', 'k1', 'T', 't', 'now', 'now'), ('p2', 'k2', 'U', 'u', 'now', 'now');",
            )
            .unwrap();
        }
        let conn = crate::store::open(&path).unwrap();
        let count = |conn: &Connection| crate::store::papers::count(conn).unwrap();
        assert_eq!(count(&conn), 2);
        conn.execute_batch(
            "INSERT INTO papers (id, citekey, title, norm_title, added, updated)
               VALUES ('p3', 'k3', 'V', 'v', 'now', 'now');
             DELETE FROM papers WHERE id IN ('p1', 'p2');",
        )
        .unwrap();
        assert_eq!(count(&conn), 1);
        assert_eq!(crate::store::papers::count_rows(&conn).unwrap(), 1);
    }
}
