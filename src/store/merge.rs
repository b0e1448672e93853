//! Merging two papers a person says are one work, and finding the pairs
//! that might be (same title, kept apart by the import's duplicate rule or
//! by the folder).

use rusqlite::{Connection, params};

use super::duplicates::stored_with_title;
use crate::error::{Error, Result};
use crate::model::{NewPaper, PossibleDuplicate};

/// Merges paper `other` into paper `keep`: empty fields of `keep` are
/// filled from `other`; notes, highlights, links to and from other papers,
/// tags, attachments and aliases move over; `other`'s citekey becomes an
/// alias; then `other` is deleted. Nothing of either is lost.
pub fn merge_papers(conn: &Connection, keep: &str, other: &str, now: &str) -> Result<()> {
    if keep == other {
        return Err(Error::Invalid(
            "a paper cannot be merged into itself".to_string(),
        ));
    }
    let gone = super::papers::load(conn, other)?;
    let incoming = NewPaper {
        title: gone.title.clone(),
        abstract_text: gone.abstract_text.clone(),
        authors: gone.authors.clone(),
        year: gone.year,
        doi: gone.doi.clone(),
        arxiv: gone.arxiv.clone(),
        links: gone.links.clone(),
        tags: gone.tags.clone(),
        venue: gone.venue.clone(),
        entry_type: gone.entry_type.clone(),
        extra: gone.extra.clone(),
        ..Default::default()
    };
    super::papers::merge_missing(conn, keep, &incoming, now)?;
    if super::papers::fulltext(conn, keep)?.is_none()
        && let Some(text) = super::papers::fulltext(conn, other)?
    {
        super::papers::set_fulltext(conn, keep, &text)?;
    }
    conn.execute(
        "UPDATE notes SET paper_id = ?1 WHERE paper_id = ?2",
        params![keep, other],
    )?;
    conn.execute(
        "UPDATE annotations SET paper_id = ?1 WHERE paper_id = ?2",
        params![keep, other],
    )?;
    // Links to and from `other` become links of `keep` (not to itself).
    conn.execute(
        "INSERT OR IGNORE INTO relations (src, dst, kind, created)
         SELECT ?1, dst, kind, created FROM relations WHERE src = ?2 AND dst <> ?1",
        params![keep, other],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO relations (src, dst, kind, created)
         SELECT src, ?1, kind, created FROM relations WHERE dst = ?2 AND src <> ?1",
        params![keep, other],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO note_mentions (paper_id, note_id)
         SELECT ?1, note_id FROM note_mentions WHERE paper_id = ?2",
        params![keep, other],
    )?;
    if gone.starred {
        super::papers::set_starred(conn, keep, true)?;
    }
    let neighbours = super::relations::neighbours(conn, other)?;
    super::aliases::move_all(conn, other, keep)?;
    super::papers::delete(conn, other)?;
    super::aliases::add(conn, keep, &gone.citekey)?;
    for n in neighbours.iter().filter(|n| n.as_str() != keep) {
        super::papers::touch(conn, n, now)?;
        super::pending::mark(conn, n)?;
    }
    super::papers::touch(conn, keep, now)?;
    super::pending::mark(conn, keep)?;
    super::pending::mark(conn, other)?;
    Ok(())
}

/// Pairs of papers with the same normalized title, with what tells them
/// apart (or that nothing does), at most `limit` pairs, oldest first.
pub fn possible_duplicates(conn: &Connection, limit: usize) -> Result<Vec<PossibleDuplicate>> {
    let titles: Vec<String> = conn
        .prepare(
            "SELECT norm_title FROM papers GROUP BY norm_title HAVING count(*) > 1
             ORDER BY min(seq)",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    let mut refs = conn.prepare_cached("SELECT citekey, title, year FROM papers WHERE id = ?1")?;
    for norm in titles {
        let papers = stored_with_title(conn, &norm)?;
        for (i, (a, fa)) in papers.iter().enumerate() {
            for (b, fb) in &papers[i + 1..] {
                if out.len() >= limit {
                    return Ok(out);
                }
                let reason = match fb.compare(fa) {
                    Ok(_) => "nothing tells them apart".to_string(),
                    Err(why) => why,
                };
                let (a_key, a_title, a_year) = refs.query_row([a], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
                })?;
                let (b_key, b_title, b_year) = refs.query_row([b], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
                })?;
                out.push(PossibleDuplicate {
                    a_id: a.clone(),
                    a_citekey: a_key,
                    a_title,
                    a_year,
                    b_id: b.clone(),
                    b_citekey: b_key,
                    b_title,
                    b_year,
                    reason,
                });
            }
        }
    }
    Ok(out)
}
