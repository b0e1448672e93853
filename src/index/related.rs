//! Related-paper suggestions: TF-IDF weighted terms of one paper, searched
//! as a weighted disjunction over the others.
//!
//! The paper's title, abstract and notes are analyzed with the stemming
//! analyzer; each term is weighted `tf × idf` (idf from the abstract field's
//! document frequencies); the strongest [`QUERY_TERMS`] become a BM25 query
//! over titles and abstracts that excludes the paper itself. Each suggestion
//! then lists the shared terms that weighed most, in the words the source
//! paper used.
//!
//! The caller gives the paper's text and, for each suggestion it shows,
//! the suggested paper's title and abstract (the façade reads both from
//! the store); the index gives the suggestions' ids, scores and terms.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term};

use super::SearchIndex;
use super::query::analyze;
use crate::error::Result;

/// How many of the paper's terms go into the query.
const QUERY_TERMS: usize = 25;
/// How many shared terms each suggestion reports.
const SHOWN_TERMS: usize = 5;

/// One weighted term of the source paper.
struct Weighted {
    term: String,
    surface: String,
    weight: f32,
}

/// The papers most similar to one paper, and what they share with it.
pub struct Suggestions {
    /// The suggested papers' ids with their scores, best first.
    pub top: Vec<(f32, String)>,
    /// The source paper's query terms, strongest first.
    weighted: Vec<Weighted>,
    analyzer: tantivy::tokenizer::TextAnalyzer,
}

impl Suggestions {
    /// The source paper's terms that weighed most among those a suggested
    /// paper's `text` (its title and abstract) also has, in the source
    /// paper's words.
    pub fn shared_terms(&mut self, text: &str) -> Vec<String> {
        let tokens: std::collections::HashSet<String> =
            analyze(&mut self.analyzer, text).into_iter().collect();
        self.weighted
            .iter()
            .filter(|w| tokens.contains(&w.term))
            .take(SHOWN_TERMS)
            .map(|w| w.surface.clone())
            .collect()
    }
}

impl SearchIndex {
    /// The papers most similar to paper `id`, whose title, abstract and
    /// notes are `text`; best first, at most `limit`.
    pub fn related(&self, id: &str, text: &str, limit: usize) -> Result<Suggestions> {
        let searcher = self.searcher();
        let total = searcher.num_docs().max(1) as f32;
        let f = self.fields;

        // Term frequencies, remembering the first surface form of each stem.
        let mut analyzer = super::schema::stemmed_analyzer();
        let mut tf: HashMap<String, (u32, String)> = HashMap::new();
        {
            let mut stream = analyzer.token_stream(text);
            while let Some(tok) = stream.next() {
                if tok.text.len() < 3 || tok.text.chars().all(|c| c.is_ascii_digit()) {
                    continue;
                }
                let surface = text
                    .get(tok.offset_from..tok.offset_to)
                    .unwrap_or(&tok.text)
                    .to_lowercase();
                tf.entry(tok.text.clone()).or_insert((0, surface)).0 += 1;
            }
        }
        let mut weighted = Vec::with_capacity(tf.len());
        for (term, (count, surface)) in tf {
            let df = searcher
                .doc_freq(&Term::from_field_text(f.abstract_text, &term))
                .map_err(|e| self.index_error(e))? as f32;
            // Terms in (nearly) every paper say nothing about topic.
            if df > total * 0.5 {
                continue;
            }
            let idf = (1.0 + total / (1.0 + df)).ln();
            weighted.push(Weighted {
                weight: (1.0 + (count as f32).ln()) * idf,
                term,
                surface,
            });
        }
        weighted.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
        weighted.truncate(QUERY_TERMS);
        if weighted.is_empty() {
            return Ok(Suggestions {
                top: Vec::new(),
                weighted,
                analyzer,
            });
        }

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in &weighted {
            for (field, boost) in [(f.title, 1.5), (f.abstract_text, 1.0)] {
                let q = TermQuery::new(
                    Term::from_field_text(field, &w.term),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), w.weight * boost)),
                ));
            }
        }
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(f.id, id),
                IndexRecordOption::Basic,
            )),
        ));
        let query = BooleanQuery::new(clauses);
        let top = searcher
            .search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())
            .map_err(|e| self.index_error(e))?;

        let top = top
            .into_iter()
            .map(|(score, addr)| Ok((score, self.doc_id(&searcher, addr)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Suggestions {
            top,
            weighted,
            analyzer,
        })
    }
}
