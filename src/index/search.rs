//! Running a search: top hits by BM25 with a highlighted snippet each.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, TantivyDocument};

use super::SearchIndex;
use super::query::{Highlighter, QueryBuilder, analyze};
use crate::error::{Error, Result};
use crate::model::SearchHit;

/// Extra candidates fetched so ties at the cut-off can be ordered stably.
const TIE_MARGIN: usize = 16;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

impl SearchIndex {
    /// The ids and scores of the best `limit` matches of `input`.
    pub fn top(&self, input: &str, limit: usize) -> Result<(Vec<(f32, String)>, Highlighter)> {
        let compiled = QueryBuilder::new(self.index(), self.fields)?.compile(input)?;
        let searcher = self.searcher();
        let top = searcher
            .search(
                &compiled.query,
                &TopDocs::with_limit(limit.max(1)).order_by_score(),
            )
            .map_err(|e| self.index_error(e))?;
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            out.push((score, self.doc_id(&searcher, addr)?));
        }
        Ok((out, compiled.highlighter))
    }

    pub(crate) fn doc_id(&self, searcher: &tantivy::Searcher, addr: DocAddress) -> Result<String> {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.index_error(e))?;
        Ok(doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string())
    }

    pub(crate) fn index_error(&self, e: impl std::fmt::Display) -> Error {
        Error::Index {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Searches and builds result rows (title, citekey, snippet) from SQLite.
    pub fn search(&self, conn: &Connection, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let (top, highlighter) = self.top(input, limit + TIE_MARGIN)?;
        let mut analyzer = super::schema::stemmed_analyzer();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, citekey, title, abstract,
                    (SELECT group_concat(body, char(10)) FROM notes WHERE paper_id = papers.id)
             FROM papers WHERE id = ?1",
        )?;
        type Row = (i64, String, String, String, Option<String>);
        let mut rows: Vec<(f32, String, Row)> = Vec::with_capacity(top.len());
        for (score, id) in top {
            let row: Option<Row> = stmt
                .query_row([&id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            // A hit whose paper is gone means the index is behind; skip it
            // rather than show a ghost (the pending queue will catch up).
            if let Some(row) = row {
                rows.push((score, id, row));
            }
        }
        // Equal scores (to 3 decimals) rank in import order, so results do
        // not depend on segment layout: a rebuilt index answers the same.
        rows.sort_by(|a, b| {
            let key = |s: f32| (s * 1000.0).round() as i64;
            key(b.0).cmp(&key(a.0)).then(a.2.0.cmp(&b.2.0))
        });
        rows.truncate(limit);
        let mut hits = Vec::with_capacity(rows.len());
        for (score, id, (_, citekey, title, abstract_text, notes)) in rows {
            let mut snippet = highlight(&mut analyzer, &highlighter, &abstract_text, SNIPPET_CHARS);
            if !snippet.contains("<b>")
                && let Some(notes) = notes.as_deref()
            {
                let from_notes = highlight(&mut analyzer, &highlighter, notes, SNIPPET_CHARS);
                if from_notes.contains("<b>") {
                    snippet = from_notes;
                }
            }
            if snippet.is_empty() {
                snippet = crate::text::escape_html(&first_chars(&abstract_text, SNIPPET_CHARS));
            }
            hits.push(SearchHit {
                id,
                citekey,
                title,
                score,
                snippet,
            });
        }
        Ok(hits)
    }
}

fn first_chars(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((b, _)) => format!("{}…", &s[..b]),
        None => s.to_string(),
    }
}

/// The best fragment of `text` with the words the query matched wrapped in
/// `<b>…</b>` and everything else HTML-escaped.
pub fn highlight(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    highlighter: &Highlighter,
    text: &str,
    max_chars: usize,
) -> String {
    let mut terms: BTreeMap<String, f32> = BTreeMap::new();
    for token in analyze(analyzer, text) {
        if !terms.contains_key(&token) && highlighter.matches(&token) {
            terms.insert(token, 1.0);
        }
    }
    if terms.is_empty() {
        return String::new();
    }
    let generator = SnippetGenerator::new(
        terms,
        analyzer.clone(),
        tantivy::schema::Field::from_field_id(0),
        max_chars,
    );
    generator.snippet(text).to_html()
}
