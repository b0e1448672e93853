//! Where fields filled from the web came from (`field_sources`): one row
//! per paper and field, naming the source and the time. And the library's
//! settings (`settings`), one JSON value per key.

use rusqlite::{Connection, params};

use crate::error::Result;
use crate::model::FieldSource;

/// Records that `field` of paper `id` was filled from `source` at `at`.
pub fn record(conn: &Connection, id: &str, field: &str, source: &str, at: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO field_sources (paper_id, field, source, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (paper_id, field) DO UPDATE SET source = excluded.source, at = excluded.at",
    )?
    .execute(params![id, field, source, at])?;
    Ok(())
}

/// The recorded sources of a paper's fields, by field name.
pub fn for_paper(conn: &Connection, id: &str) -> Result<Vec<FieldSource>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, source, at FROM field_sources WHERE paper_id = ?1 ORDER BY field",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(FieldSource {
            field: r.get(0)?,
            source: r.get(1)?,
            at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A setting's stored value.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Stores a setting.
pub fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}
