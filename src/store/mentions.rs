//! Which papers the free-standing notes (`notes/*.md` of the library folder)
//! mention with `[[citekey]]` wikilinks.
//!
//! A mention makes the note part of the paper: its text is indexed with the
//! paper's own notes (so searching the note's words finds the papers it
//! discusses), and the paper's "Linked from" list shows it. The table is
//! derived from the notes' text; [`refresh`] recomputes it and returns the
//! papers whose index document must change.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// The ids of the papers a note's text mentions, in the order first named.
pub fn mentioned_in(conn: &Connection, body: &str) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    crate::text::find_wikilinks(body, &mut keys);
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM papers WHERE citekey = ?1
         UNION ALL SELECT paper_id FROM aliases WHERE alias = ?1 LIMIT 1",
    )?;
    let mut ids = Vec::new();
    for key in keys {
        if let Some(id) = stmt
            .query_row([&key], |r| r.get::<_, String>(0))
            .optional()?
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Brings the mentions of every free-standing note up to date with the
/// notes' text and the papers' citekeys. Returns the papers to reindex:
/// those that gained or lost a mention, and those mentioned by a note in
/// `changed_notes` (whose text changed).
pub fn refresh(conn: &Connection, changed_notes: &[String]) -> Result<BTreeSet<String>> {
    let mut affected = BTreeSet::new();
    let notes: Vec<(String, String)> = conn
        .prepare_cached("SELECT id, body FROM notes WHERE paper_id IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (note_id, body) in &notes {
        let now: BTreeSet<String> = mentioned_in(conn, body)?.into_iter().collect();
        let before: BTreeSet<String> = conn
            .prepare_cached("SELECT paper_id FROM note_mentions WHERE note_id = ?1")?
            .query_map([note_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if changed_notes.contains(note_id) {
            affected.extend(now.iter().cloned());
            affected.extend(before.iter().cloned());
        }
        for gone in before.difference(&now) {
            conn.prepare_cached("DELETE FROM note_mentions WHERE note_id = ?1 AND paper_id = ?2")?
                .execute([note_id, gone])?;
            affected.insert(gone.clone());
        }
        for new in now.difference(&before) {
            conn.prepare_cached("INSERT INTO note_mentions (note_id, paper_id) VALUES (?1, ?2)")?
                .execute([note_id, new])?;
            affected.insert(new.clone());
        }
    }
    Ok(affected)
}

/// The papers a note mentions now (before it is deleted, say).
pub fn papers_of(conn: &Connection, note_id: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT paper_id FROM note_mentions WHERE note_id = ?1")?
        .query_map([note_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Whether the library has any free-standing note (most have none, and
/// then there is nothing to refresh).
pub fn any_free_notes(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM notes WHERE paper_id IS NULL LIMIT 1")?
        .query_row([], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The free-standing notes mentioning a paper: (note id, body), newest
/// first.
pub fn notes_mentioning(conn: &Connection, paper_id: &str) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT n.id, n.body FROM note_mentions m JOIN notes n ON n.id = m.note_id
             WHERE m.paper_id = ?1 ORDER BY n.updated DESC, n.seq DESC",
        )?
        .query_map([paper_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}
