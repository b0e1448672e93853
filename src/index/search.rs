//! Running a search: top hits by BM25 with a highlighted snippet each.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use super::SearchIndex;
use super::query::{Highlighter, QueryBuilder};
use crate::error::{Error, Result};
use crate::model::SearchHit;

/// Extra candidates fetched so ties at the cut-off can be ordered stably.
const TIE_MARGIN: usize = 16;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

impl SearchIndex {
    /// The ids and scores of the best `limit` matches of `input`.
    pub fn top(&self, input: &str, limit: usize) -> Result<(Vec<(f32, String)>, Highlighter)> {
        let searcher = self.searcher();
        let compiled =
            QueryBuilder::new(self.index(), searcher.clone(), self.fields)?.compile(input)?;
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
            let mut title_html = highlight(&mut analyzer, &highlighter, &title, usize::MAX);
            if title_html.is_empty() {
                title_html = crate::text::escape_html(&title);
            }
            hits.push(SearchHit {
                id,
                citekey,
                title,
                title_html,
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
/// `<b>…</b>` and everything else HTML-escaped; empty when nothing matched.
///
/// One pass of the analyzer finds the matched tokens (with their byte
/// offsets); the fragment is the window of at most `max_chars` characters
/// holding the most distinct matched words, widened to word boundaries.
pub fn highlight(
    analyzer: &mut tantivy::tokenizer::TextAnalyzer,
    highlighter: &Highlighter,
    text: &str,
    max_chars: usize,
) -> String {
    let mut verdicts: HashMap<String, bool> = HashMap::new();
    let mut matched: Vec<(usize, usize, usize)> = Vec::new(); // (from, to, word id)
    let mut words: HashMap<String, usize> = HashMap::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(tok) = stream.next() {
        let hit = match verdicts.get(&tok.text) {
            Some(v) => *v,
            None => {
                let v = highlighter.matches(&tok.text);
                verdicts.insert(tok.text.clone(), v);
                v
            }
        };
        if hit {
            let n = words.len();
            let id = *words.entry(tok.text.clone()).or_insert(n);
            matched.push((tok.offset_from, tok.offset_to, id));
        }
    }
    if matched.is_empty() {
        return String::new();
    }
    // Byte budget approximates the character budget well for mostly-ASCII text.
    let budget = max_chars;
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, start index)
    for i in 0..matched.len() {
        let start = matched[i].0;
        let mut seen = std::collections::HashSet::new();
        let mut count = 0;
        for m in &matched[i..] {
            if m.1 - start > budget {
                break;
            }
            seen.insert(m.2);
            count += 1;
        }
        if (seen.len(), count) > (best.0, best.1) {
            best = (seen.len(), count, i);
        }
    }
    let first = matched[best.2];
    // Start a little before the first match, at a word boundary.
    let lead = budget / 5;
    let mut from = first.0.saturating_sub(lead);
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    if from > 0 {
        from = text[from..first.0]
            .find(char::is_whitespace)
            .map(|p| from + p + 1)
            .unwrap_or(first.0);
    }
    let mut to = (from + budget).min(text.len());
    while to < text.len() && !text.is_char_boundary(to) {
        to += 1;
    }
    if to < text.len() {
        to = text[from..to]
            .rfind(char::is_whitespace)
            .map(|p| from + p)
            .filter(|&p| p > first.1)
            .unwrap_or(to);
    }
    let mut out = String::with_capacity(to - from + 64);
    if from > 0 {
        out.push('…');
    }
    let mut pos = from;
    for &(a, b, _) in matched.iter().filter(|m| m.0 >= from && m.1 <= to) {
        out.push_str(&crate::text::escape_html(&text[pos..a]));
        out.push_str("<b>");
        out.push_str(&crate::text::escape_html(&text[a..b]));
        out.push_str("</b>");
        pos = b;
    }
    out.push_str(&crate::text::escape_html(&text[pos..to]));
    if to < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_matched_words_and_escapes_the_rest() {
        let h = Highlighter {
            exact: vec!["model".into()],
            prefixes: vec!["transf".into()],
            fuzzy: vec![],
        };
        let mut a = super::super::schema::stemmed_analyzer();
        let s = highlight(&mut a, &h, "Big <models> & transformers, said Ö.", 200);
        assert_eq!(
            s,
            "Big &lt;<b>models</b>&gt; &amp; <b>transformers</b>, said Ö."
        );
        assert_eq!(highlight(&mut a, &h, "nothing here", 200), "");
        let long = format!("{} model {}", "word ".repeat(100), "tail ".repeat(100));
        let s = highlight(&mut a, &h, &long, 80);
        assert!(
            s.starts_with('…') && s.ends_with('…') && s.contains("<b>model</b>"),
            "{s}"
        );
        assert!(s.chars().count() < 100, "{s}");
    }
}
