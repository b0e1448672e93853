//! Running a search: the best matches (see [`super::best_match`]), which
//! of the query's words each holds, and the marking of the words a query
//! matched in the texts shown with them (snippets, titles).
//!
//! The index gives scores and ids; the façade looks up the rows of the
//! hits it shows, orders ties and asks a [`Marker`] for the marked text.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument};

use tantivy::query::EnableScoring;
use tantivy::{DocId, DocSet};

use super::SearchIndex;
use super::best_match;
use super::query::{Highlighter, QueryBuilder, QueryWord};
use crate::error::{Error, Result};
use crate::model::MarkedText;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// The matches of one query, best first: their scores at once, each
/// paper's id only when asked for, so a caller that stops early looks up
/// no more documents than it shows.
pub struct Matches<'i> {
    index: &'i SearchIndex,
    searcher: tantivy::Searcher,
    /// Ranking scores: a match holding every word of a best-match query
    /// carries [`best_match::ALL_WORDS_BONUS`].
    top: Vec<(f32, DocAddress)>,
    highlighter: Highlighter,
    words: Vec<QueryWord>,
}

/// Which of a query's words one match holds, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub matched: Vec<String>,
    pub missing: Vec<String>,
}

impl Matches<'_> {
    /// The ranking scores of the matches, best first.
    pub fn scores(&self) -> impl Iterator<Item = f32> + '_ {
        self.top.iter().map(|&(score, _)| score)
    }

    /// The paper id of the match at `rank` (0 is the best).
    pub fn id(&self, rank: usize) -> Result<String> {
        let (_, addr) = self.at(rank)?;
        self.index.doc_id(&self.searcher, addr)
    }

    fn at(&self, rank: usize) -> Result<(f32, DocAddress)> {
        self.top
            .get(rank)
            .copied()
            .ok_or_else(|| self.index.index_error(format!("no match at rank {rank}")))
    }

    /// Marks the words this query matched, in the texts of its result list.
    pub fn marker(&self) -> Marker<'_> {
        Marker::new(&self.highlighter)
    }

    /// The words of the query each match of `ranks` holds and misses.
    ///
    /// A match holding every word needs no look; for the others each
    /// word's query runs once per segment, seeking the matches in document
    /// order (a word's prefix or typo expansion is built once, not once per
    /// match).
    pub fn coverage(&self, ranks: &[usize]) -> Result<Vec<Coverage>> {
        let err = |e: tantivy::TantivyError| self.index.index_error(e);
        let mut held = vec![vec![true; self.words.len()]; ranks.len()];
        let mut by_segment: BTreeMap<u32, Vec<(DocId, usize)>> = BTreeMap::new();
        for (i, &rank) in ranks.iter().enumerate() {
            let (score, addr) = self.at(rank)?;
            if !best_match::holds_every_word(score) {
                by_segment
                    .entry(addr.segment_ord)
                    .or_default()
                    .push((addr.doc_id, i));
            }
        }
        if !by_segment.is_empty() {
            for docs in by_segment.values_mut() {
                docs.sort_unstable();
            }
            let scoring = EnableScoring::disabled_from_searcher(&self.searcher);
            for (w, word) in self.words.iter().enumerate() {
                let Some(test) = &word.test else { continue };
                let weight = test.weight(scoring).map_err(err)?;
                for (&segment, docs) in &by_segment {
                    let reader = self.searcher.segment_reader(segment);
                    let mut scorer = weight.scorer(reader, 1.0).map_err(err)?;
                    for &(doc, i) in docs.iter() {
                        // A scorer never seeks backwards.
                        let at = scorer.doc();
                        held[i][w] = at == doc || (at < doc && scorer.seek(doc) == doc);
                    }
                }
            }
        }
        Ok(held
            .into_iter()
            .map(|flags| {
                let mut out = Coverage::default();
                for (word, holds) in self.words.iter().zip(flags) {
                    let list = if holds {
                        &mut out.matched
                    } else {
                        &mut out.missing
                    };
                    list.push(word.typed.clone());
                }
                out
            })
            .collect())
    }
}

impl SearchIndex {
    /// The best `limit` matches of `input` (see [`super::query`] for the
    /// syntax), best first.
    ///
    /// A query of several words first runs with every word required: when
    /// that finds `limit` papers, they are best match's best too (papers
    /// holding every word rank first), and the wider query, which visits
    /// every paper holding any word, is not needed.
    pub fn matches(&self, input: &str, limit: usize) -> Result<Matches<'_>> {
        let searcher = self.searcher();
        let compiled =
            QueryBuilder::new(self.index(), searcher.clone(), self.fields)?.compile(input)?;
        let collector = TopDocs::with_limit(limit.max(1)).order_by_score();
        let run = |q: &dyn tantivy::query::Query| {
            searcher
                .search(q, &collector)
                .map_err(|e| self.index_error(e))
        };
        let top = match &compiled.strict {
            Some(strict) => {
                let mut top = run(strict.as_ref())?;
                if top.len() >= limit.max(1) {
                    for hit in &mut top {
                        hit.0 += best_match::ALL_WORDS_BONUS;
                    }
                    top
                } else {
                    run(compiled.query.as_ref())?
                }
            }
            None => run(compiled.query.as_ref())?,
        };
        Ok(Matches {
            index: self,
            searcher,
            top,
            highlighter: compiled.highlighter,
            words: compiled.words,
        })
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
}

/// Marks the words a query matched in the texts of one result list.
///
/// Texts are split by the unstemmed analyzer; each distinct word is stemmed
/// and judged once per list, as the same words recur across abstracts.
pub struct Marker<'h> {
    highlighter: &'h Highlighter,
    analyzer: tantivy::tokenizer::TextAnalyzer,
    /// Word → the number of its stem among the matched stems, or `None`.
    verdicts: FxHashMap<String, Option<usize>>,
    stems: FxHashMap<String, usize>,
}

impl<'h> Marker<'h> {
    pub fn new(highlighter: &'h Highlighter) -> Marker<'h> {
        Marker {
            highlighter,
            analyzer: super::schema::plain_analyzer(),
            verdicts: FxHashMap::default(),
            stems: FxHashMap::default(),
        }
    }

    /// A hit's snippet: the best fragment of the abstract, else of its
    /// notes, else the abstract's start with nothing marked.
    pub fn snippet(&mut self, abstract_text: &str, notes: Option<&str>) -> MarkedText {
        self.highlight(abstract_text, SNIPPET_CHARS)
            .or_else(|| notes.and_then(|n| self.highlight(n, SNIPPET_CHARS)))
            .unwrap_or_else(|| {
                MarkedText::plain(&crate::text::first_chars(abstract_text, SNIPPET_CHARS))
            })
    }

    /// The best fragment of `text` with the words the query matched marked;
    /// `None` when nothing matched.
    ///
    /// The fragment is the window of at most `max_chars` characters holding
    /// the most distinct matched words, widened to word boundaries.
    pub fn highlight(&mut self, text: &str, max_chars: usize) -> Option<MarkedText> {
        let mut matched: Vec<(usize, usize, usize)> = Vec::new(); // (from, to, stem number)
        let mut stream = self.analyzer.token_stream(text);
        while let Some(tok) = stream.next() {
            let verdict = match self.verdicts.get(tok.text.as_str()) {
                Some(v) => *v,
                None => {
                    let mut stem = tok.text.clone();
                    super::stem::stem_into(&mut stem);
                    let v = if self.highlighter.matches(&stem) {
                        let n = self.stems.len();
                        Some(*self.stems.entry(stem).or_insert(n))
                    } else {
                        None
                    };
                    self.verdicts.insert(tok.text.clone(), v);
                    v
                }
            };
            if let Some(stem) = verdict {
                matched.push((tok.offset_from, tok.offset_to, stem));
            }
        }
        if matched.is_empty() {
            return None;
        }
        Some(render(
            text,
            &matched,
            best_window(&matched, max_chars),
            max_chars,
        ))
    }
}

/// The index of the match that starts the window of at most `budget` bytes
/// holding the most distinct stems (then the most matches); one pass with
/// two ends. Bytes approximate characters well for mostly-ASCII text.
fn best_window(matched: &[(usize, usize, usize)], budget: usize) -> usize {
    let mut counts: FxHashMap<usize, usize> = FxHashMap::default();
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, start index)
    let mut end = 0;
    for start in 0..matched.len() {
        if end < start {
            end = start;
        }
        while end < matched.len() && matched[end].1 - matched[start].0 <= budget {
            *counts.entry(matched[end].2).or_insert(0) += 1;
            end += 1;
        }
        if end > start && (counts.len(), end - start) > (best.0, best.1) {
            best = (counts.len(), end - start, start);
        }
        if end > start {
            let stem = matched[start].2;
            if let Some(c) = counts.get_mut(&stem) {
                *c -= 1;
                if *c == 0 {
                    counts.remove(&stem);
                }
            }
        }
    }
    best.2
}

/// The fragment starting near `matched[first]`, in pieces.
fn render(
    text: &str,
    matched: &[(usize, usize, usize)],
    first: usize,
    budget: usize,
) -> MarkedText {
    let first = matched[first];
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
    let mut to = from.saturating_add(budget).min(text.len());
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
    let mut out = MarkedText::default();
    if from > 0 {
        out.push("…", false);
    }
    let mut pos = from;
    for &(a, b, _) in matched.iter().filter(|m| m.0 >= from && m.1 <= to) {
        out.push(&text[pos..a], false);
        out.push(&text[a..b], true);
        pos = b;
    }
    out.push(&text[pos..to], false);
    if to < text.len() {
        out.push("…", false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_matched_words_and_leaves_the_rest_as_it_is() {
        let h = Highlighter {
            exact: vec!["model".into()],
            prefixes: vec!["transf".into()],
            fuzzy: vec![],
        };
        let mut a = Marker::new(&h);
        let mark = |a: &mut Marker, text: &str, max: usize| {
            a.highlight(text, max)
                .map(|m| m.render("[", "]", str::to_string))
        };
        assert_eq!(
            mark(&mut a, "Big <models> & transformers, said Ö.", 200).as_deref(),
            Some("Big <[models]> & [transformers], said Ö.")
        );
        assert_eq!(mark(&mut a, "nothing here", 200), None);
        let long = format!("{} model {}", "word ".repeat(100), "tail ".repeat(100));
        let s = mark(&mut a, &long, 80).unwrap_or_default();
        assert!(
            s.starts_with('…') && s.ends_with('…') && s.contains("[model]"),
            "{s}"
        );
        assert!(s.chars().count() < 100, "{s}");
    }

    #[test]
    fn a_snippet_comes_from_the_abstract_else_the_notes_else_the_start() {
        let h = Highlighter {
            exact: vec!["zebra".into()],
            prefixes: vec![],
            fuzzy: vec![],
        };
        let mut a = Marker::new(&h);
        let shown = |m: MarkedText| m.render("[", "]", str::to_string);
        assert_eq!(shown(a.snippet("a zebra", Some("zebra"))), "a [zebra]");
        assert_eq!(shown(a.snippet("a horse", Some("my zebra"))), "my [zebra]");
        assert_eq!(shown(a.snippet("a horse", None)), "a horse");
        let long = "horse ".repeat(100);
        assert!(shown(a.snippet(&long, None)).ends_with('…'));
    }

    /// The window search as first written: every start, every window.
    fn best_window_by_brute_force(matched: &[(usize, usize, usize)], budget: usize) -> usize {
        let mut best = (0usize, 0usize, 0usize);
        for i in 0..matched.len() {
            let mut seen = std::collections::HashSet::new();
            let mut count = 0;
            for m in &matched[i..] {
                if m.1 - matched[i].0 > budget {
                    break;
                }
                seen.insert(m.2);
                count += 1;
            }
            if (seen.len(), count) > (best.0, best.1) {
                best = (seen.len(), count, i);
            }
        }
        best.2
    }

    proptest::proptest! {
        #[test]
        fn the_one_pass_window_is_the_brute_force_one(
            gaps in proptest::collection::vec((1usize..40, 1usize..12, 0usize..6), 1..60),
            budget in 5usize..200,
        ) {
            let mut at = 0;
            let matched: Vec<(usize, usize, usize)> = gaps
                .into_iter()
                .map(|(gap, len, stem)| {
                    at += gap;
                    let m = (at, at + len, stem);
                    at += len;
                    m
                })
                .collect();
            proptest::prop_assert_eq!(
                best_window(&matched, budget),
                best_window_by_brute_force(&matched, budget)
            );
        }
    }
}
