//! The rows that search results and related-paper suggestions show.
//!
//! The index answers with paper ids, best first; the façade looks up each
//! hit it shows here, one indexed lookup by id with a cached statement. A
//! paper the index still lists but SQLite no longer has (the index is
//! behind) has no row: the caller skips it.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// What a search hit shows of a paper, and what orders ties.
pub struct SearchRow {
    /// Import order: equal scores rank by it.
    pub seq: i64,
    pub citekey: String,
    pub title: String,
    pub abstract_text: String,
    /// The bodies of the paper's notes and of the free-standing notes that
    /// mention it, one after the other (the snippet's second choice).
    pub notes: Option<String>,
}

/// The search row of paper `id`; `None` if it no longer exists.
pub fn search_row(conn: &Connection, id: &str) -> Result<Option<SearchRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT seq, citekey, title, abstract,
                    (SELECT group_concat(body, char(10)) FROM notes
                     WHERE paper_id = papers.id
                        OR id IN (SELECT note_id FROM note_mentions WHERE paper_id = papers.id))
             FROM papers WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(SearchRow {
                seq: r.get(0)?,
                citekey: r.get(1)?,
                title: r.get(2)?,
                abstract_text: r.get(3)?,
                notes: r.get(4)?,
            })
        })
        .optional()?)
}

/// What a related-paper suggestion shows of a paper (and what its shared
/// terms are looked for in).
pub struct SuggestionRow {
    pub citekey: String,
    pub title: String,
    pub abstract_text: String,
}

/// The suggestion row of paper `id`; `None` if it no longer exists.
pub fn suggestion_row(conn: &Connection, id: &str) -> Result<Option<SuggestionRow>> {
    Ok(conn
        .prepare_cached("SELECT citekey, title, abstract FROM papers WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(SuggestionRow {
                citekey: r.get(0)?,
                title: r.get(1)?,
                abstract_text: r.get(2)?,
            })
        })
        .optional()?)
}
