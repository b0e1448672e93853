//! Feeding the full-text index from the store.
//!
//! The index knows nothing of SQLite and the store nothing of the index;
//! this is where the two meet. A paper's [`IndexDoc`] is gathered from its
//! rows ([`load_doc`]); the pending-index queue is replayed ([`replay`]) or
//! a part of it applied ([`apply`]); a rebuild indexes every paper again
//! ([`rebuild`]). Each commits the index before the queue is cleared, so a
//! crash between the two only repeats work.

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::index::{IndexDoc, SearchIndex};
use crate::store;

/// Gathers a paper's index document from the store; `None` if the paper no
/// longer exists.
pub(super) fn load_doc(conn: &Connection, id: &str) -> Result<Option<IndexDoc>> {
    let row = match store::papers::row(conn, id) {
        Ok(row) => row,
        Err(Error::UnknownPaper(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    // The paper's own notes, then the free-standing notes that mention it.
    let notes = store::notes::for_paper(conn, id)?
        .into_iter()
        .map(|n| n.body)
        .chain(
            store::mentions::notes_mentioning(conn, id)?
                .into_iter()
                .map(|(_, body)| body),
        )
        .collect();
    let annotations = store::annotations::for_paper(conn, id)?
        .into_iter()
        .flat_map(|a| std::iter::once(a.quote.exact).chain(a.comment))
        .collect();
    Ok(Some(IndexDoc {
        id: row.id,
        title: row.title,
        authors: store::papers::authors(conn, id)?,
        abstract_text: row.abstract_text,
        notes,
        annotations,
        fulltext: store::papers::fulltext(conn, id)?.unwrap_or_default(),
        tags: store::papers::tags(conn, id)?,
        status: row.status.as_str().to_string(),
        year: row.year,
    }))
}

/// Writes the documents of `ids` from the store (removing those whose
/// paper is gone) and commits the index.
pub(super) fn apply(index: &mut SearchIndex, conn: &Connection, ids: &[String]) -> Result<()> {
    for id in ids {
        match load_doc(conn, id)? {
            Some(doc) => index.upsert(&doc)?,
            None => index.remove(id)?,
        }
    }
    index.commit()
}

/// Replays the pending-index queue, if any, and clears it.
pub(super) fn replay(index: &mut SearchIndex, conn: &Connection) -> Result<()> {
    let (seq, ids) = store::pending::read(conn)?;
    if ids.is_empty() {
        return Ok(());
    }
    apply(index, conn, &ids)?;
    store::pending::clear(conn, seq)
}

/// Throws the index's content away, indexes every paper again and clears
/// the queue up to where it stood before.
pub(super) fn rebuild(index: &mut SearchIndex, conn: &Connection) -> Result<()> {
    index.remove_all()?;
    let seq = store::pending::max_seq(conn)?;
    for id in store::papers::all_ids(conn)? {
        if let Some(doc) = load_doc(conn, &id)? {
            index.add_new(&doc)?;
        }
    }
    index.commit()?;
    store::pending::clear(conn, seq)
}
