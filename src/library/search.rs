//! Search results and related-paper suggestions: the index ranks, the
//! store gives the rows shown.
//!
//! The index answers with ids and scores, best first; each hit that can
//! make the list is looked up in the store (one query by id, as the index
//! resolves its id), equal scores are ordered by import order, and the
//! index's [`Marker`](crate::index::search::Marker) marks the matched
//! words in the titles and snippets.

use rusqlite::Connection;

use crate::error::Result;
use crate::index::SearchIndex;
use crate::model::{MarkedText, RelatedHit, SearchHit};
use crate::store;

/// The reason given for a suggestion that shares weighty terms.
pub(super) const SHARED_TERMS: &str = "shared terms";

/// Extra candidates fetched so ties at the cut-off can be ordered stably.
const TIE_MARGIN: usize = 16;

/// The best `limit` hits of `input`, with their rows and snippets.
pub(super) fn search(
    index: &SearchIndex,
    conn: &Connection,
    input: &str,
    limit: usize,
) -> Result<Vec<SearchHit>> {
    let matches = index.matches(input, limit + TIE_MARGIN)?;
    let mut rows: Vec<(f32, usize, String, store::hits::SearchRow)> = Vec::with_capacity(limit + 1);
    // Only hits that can make the list are looked up: the first `limit`
    // that still exist, and those tied with the last of them.
    let mut last_key = None;
    for (rank, score) in matches.scores().enumerate() {
        let key = score_key(score);
        if rows.len() >= limit && Some(key) != last_key {
            break;
        }
        let id = matches.id(rank)?;
        // A hit whose paper is gone means the index is behind; skip it
        // rather than show a ghost (the pending queue will catch up).
        if let Some(row) = store::hits::search_row(conn, &id)? {
            rows.push((score, rank, id, row));
            last_key = Some(key);
        }
    }
    // Equal scores (to 3 decimals) rank in import order, so results do
    // not depend on segment layout: a rebuilt index answers the same.
    rows.sort_by(|a, b| {
        score_key(b.0)
            .cmp(&score_key(a.0))
            .then(a.3.seq.cmp(&b.3.seq))
    });
    rows.truncate(limit);
    let ranks: Vec<usize> = rows.iter().map(|r| r.1).collect();
    let coverage = matches.coverage(&ranks)?;
    let mut marker = matches.marker();
    let mut hits = Vec::with_capacity(rows.len());
    for ((score, _, id, row), coverage) in rows.into_iter().zip(coverage) {
        let snippet = marker.snippet(&row.abstract_text, row.notes.as_deref());
        let title_marked = marker
            .highlight(&row.title, usize::MAX)
            .unwrap_or_else(|| MarkedText::plain(&row.title));
        hits.push(SearchHit {
            id,
            citekey: row.citekey,
            title: row.title,
            title_marked,
            score: crate::index::best_match::shown_score(score),
            snippet,
            matched: coverage.matched,
            missing: coverage.missing,
            by_meaning: false,
        });
    }
    Ok(hits)
}

/// A score rounded to 3 decimals: scores equal under it count as a tie.
fn score_key(score: f32) -> i64 {
    (score * 1000.0).round() as i64
}

/// The papers most similar to paper `id`, best first, with the terms each
/// shares with it.
pub(super) fn related(
    index: &SearchIndex,
    conn: &Connection,
    id: &str,
    limit: usize,
) -> Result<Vec<RelatedHit>> {
    // The paper's title, abstract and own notes are what it is about.
    let row = store::papers::row(conn, id)?;
    let notes: Vec<String> = store::notes::for_paper(conn, id)?
        .into_iter()
        .map(|n| n.body)
        .collect();
    let text = format!("{}\n{}\n{}", row.title, row.abstract_text, notes.join("\n"));
    let mut suggestions = index.related(id, &text, limit)?;
    let top = std::mem::take(&mut suggestions.top);
    let mut hits = Vec::with_capacity(top.len());
    for (score, other) in top {
        // A paper the index still lists but the store no longer has is
        // left out.
        let Ok(Some(row)) = store::hits::suggestion_row(conn, &other) else {
            continue;
        };
        let terms = suggestions.shared_terms(&format!("{}\n{}", row.title, row.abstract_text));
        hits.push(RelatedHit {
            id: other,
            citekey: row.citekey,
            title: row.title,
            score,
            reason: if terms.is_empty() {
                String::new()
            } else {
                SHARED_TERMS.to_string()
            },
            terms,
            sentence: None,
        });
    }
    Ok(hits)
}
