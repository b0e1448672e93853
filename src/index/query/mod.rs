//! The search syntax and its translation to a tantivy query.
//!
//! ```text
//! diffusion video          best match: papers holding every word first,
//!                          then those holding some, by BM25 (rare words and
//!                          title matches weigh most); searched in title,
//!                          authors, abstract, notes, highlights, tags, full
//!                          text; stemmed, so "models" finds "model"
//! +robot diffusion         +word: the word is required
//! gan OR diffusion         either word, counted as one
//! "masked autoencoders"    a phrase (required)
//! title:video author:chen  field queries (required): title, author,
//! tag:to-read status:read  abstract, note, highlight, tag, status, year
//! year:2021 year:2019-2022 a year or a range (also year:>=2020, year:<2020)
//! -survey                  exclude
//! transfo                  the last word also matches as a prefix (search as
//!                          you type) unless the query ends with a space
//! transfromer              words of 5+ letters tolerate a typo (9+: two)
//! papers about pruning     stop words ("papers", "about") are left out
//! ```
//!
//! Besides the query, [`Compiled`] carries the [`Highlighter`] that marks the
//! matched words in snippets, and each word's own query, to tell which
//! words a partial match holds.

mod parse;

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;

use super::best_match::BestMatch;
use super::schema::Fields;
use crate::error::{Error, Result};
pub use parse::{Clause, parse};

/// Words this long tolerate one typo; twice this long, two.
const FUZZY_MIN_CHARS: usize = 5;
const FUZZY_TWO_EDITS_CHARS: usize = 9;
/// A typed word held by at least one paper in this many (and by at least
/// `COMMON_MIN_PAPERS`) in a field is not expanded as a prefix there.
const COMMON_SHARE: u64 = 200;
const COMMON_MIN_PAPERS: u64 = 50;
/// Prefixes shorter than this expand over titles, authors and tags only; the
/// abstract's vocabulary is too large for one- and two-letter expansions to
/// be both fast and useful.
const PREFIX_BODY_MIN_CHARS: usize = 3;

/// Marks the words of a text that a query matched.
#[derive(Debug, Default, Clone)]
pub struct Highlighter {
    pub exact: Vec<String>,
    pub prefixes: Vec<String>,
    pub fuzzy: Vec<(String, u8)>,
}

impl Highlighter {
    /// Does a stemmed, lowercased token match?
    pub fn matches(&self, token: &str) -> bool {
        self.exact.iter().any(|t| t == token)
            || self.prefixes.iter().any(|p| token.starts_with(p.as_str()))
            || self.fuzzy.iter().any(|(t, d)| {
                let d = *d as usize;
                t.len().abs_diff(token.len()) <= d && crate::text::levenshtein(t, token) <= d
            })
    }
}

/// A query ready to run.
pub struct Compiled {
    /// The query: required clauses and exclusions filter, the other words
    /// rank by best match.
    pub query: Box<dyn Query>,
    /// The same query with every word required, when the query ranks
    /// words by best match (two or more of them). Its best hits, when it
    /// finds enough, are best match's best hits, found faster.
    pub strict: Option<Box<dyn Query>>,
    /// The query's words as typed, each with the query that tells whether
    /// a paper holds it (none for required clauses: every hit holds them).
    pub words: Vec<QueryWord>,
    pub highlighter: Highlighter,
}

/// One word (or phrase, or `a OR b` group) of a query.
pub struct QueryWord {
    pub typed: String,
    pub test: Option<Box<dyn Query>>,
}

/// Tokenizes `text` with an analyzer into token texts.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(tok) = stream.next() {
        out.push(tok.text.clone());
    }
    out
}

/// Builds tantivy queries from clauses.
pub struct QueryBuilder {
    searcher: tantivy::Searcher,
    fields: Fields,
    stemmed: TextAnalyzer,
    plain: TextAnalyzer,
    keyword: TextAnalyzer,
    highlighter: Highlighter,
}

impl QueryBuilder {
    pub fn new(
        index: &tantivy::Index,
        searcher: tantivy::Searcher,
        fields: Fields,
    ) -> Result<QueryBuilder> {
        let get = |name: &str| {
            index.tokenizers().get(name).ok_or_else(|| Error::Index {
                path: Default::default(),
                message: format!("analyzer {name} is not registered"),
            })
        };
        Ok(QueryBuilder {
            searcher,
            fields,
            stemmed: get(super::schema::STEMMED)?,
            plain: get(super::schema::PLAIN)?,
            keyword: get(super::schema::KEYWORD)?,
            highlighter: Highlighter::default(),
        })
    }

    /// Compiles a query string. An empty query is an error.
    pub fn compile(mut self, input: &str) -> Result<Compiled> {
        let mut required: Vec<Box<dyn Query>> = Vec::new();
        let mut optional: Vec<Box<dyn Query>> = Vec::new();
        let mut excluded: Vec<Box<dyn Query>> = Vec::new();
        let mut words = Vec::new();
        let clauses = parse(input);
        // A lone word beside only field filters stays required, as the
        // window's sidebar filters arrive as fields in front of it; beside
        // a `+word` or a phrase it ranks.
        let anchored = clauses
            .iter()
            .any(|c| matches!(c, Clause::Required(_) | Clause::Phrase { field: None, .. }));
        for clause in &clauses {
            if let Clause::Not(inner) = clause {
                excluded.extend(self.clause(inner, false)?);
                continue;
            }
            let Some(q) = self.clause(clause, true)? else {
                continue;
            };
            let typed = clause.typed();
            if parse::is_optional(clause) {
                words.push(QueryWord {
                    typed,
                    test: Some(q.box_clone()),
                });
                optional.push(q);
            } else {
                words.push(QueryWord { typed, test: None });
                required.push(q);
            }
        }
        if required.is_empty() && optional.is_empty() && excluded.is_empty() {
            return Err(Error::Invalid(format!(
                "search query `{}` has no words to look for",
                input.trim()
            )));
        }
        let filters = |parts: &mut Vec<(Occur, Box<dyn Query>)>| {
            parts.extend(required.iter().map(|q| (Occur::Must, q.box_clone())));
            parts.extend(excluded.iter().map(|q| (Occur::MustNot, q.box_clone())));
        };
        let mut strict = Vec::new();
        filters(&mut strict);
        strict.extend(optional.iter().map(|q| (Occur::Must, q.box_clone())));
        if required.is_empty() && optional.is_empty() {
            strict.push((Occur::Must, Box::new(AllQuery)));
        }
        // A query of one clause runs as that clause: a word's disjunction
        // of plain term queries then gets tantivy's block-max pruning,
        // which a wrapping boolean query would hide.
        let strict: Box<dyn Query> = if strict.len() == 1 && strict[0].0 == Occur::Must {
            strict
                .pop()
                .map(|(_, q)| q)
                .unwrap_or_else(|| Box::new(AllQuery))
        } else {
            Box::new(BooleanQuery::new(strict))
        };
        if optional.len() < 2 && !(anchored && optional.len() == 1) {
            for w in &mut words {
                w.test = None;
            }
            return Ok(Compiled {
                query: strict,
                strict: None,
                words,
                highlighter: self.highlighter,
            });
        }
        let mut best = Vec::new();
        filters(&mut best);
        let occur = if required.is_empty() {
            Occur::Must
        } else {
            Occur::Should
        };
        best.push((occur, Box::new(BestMatch::new(optional))));
        Ok(Compiled {
            query: Box::new(BooleanQuery::new(best)),
            strict: Some(strict),
            words,
            highlighter: self.highlighter,
        })
    }

    fn clause(&mut self, clause: &Clause, highlight: bool) -> Result<Option<Box<dyn Query>>> {
        let f = self.fields;
        match clause {
            Clause::Not(inner) => self.clause(inner, false),
            Clause::Required(inner) => self.clause(inner, highlight),
            Clause::Any(members) => {
                let mut shoulds: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for member in members {
                    if let Some(q) = self.clause(member, highlight)? {
                        shoulds.push((Occur::Should, q));
                    }
                }
                Ok(disjunction(shoulds))
            }
            Clause::Word {
                field: None,
                text,
                prefix,
            } => {
                let long_prefix = text.chars().count() >= PREFIX_BODY_MIN_CHARS;
                // (field, boost, prefix allowed, typo tolerance allowed)
                let targets = [
                    (f.title, 3.0, true, true),
                    (f.author, 1.5, true, false),
                    (f.tag, 1.5, true, false),
                    (f.abstract_text, 1.0, long_prefix, true),
                    (f.notes, 1.0, long_prefix, false),
                    (f.annotations, 1.0, long_prefix, false),
                    // Full text: whole words only, weighed low.
                    (f.fulltext, 0.4, false, false),
                ];
                let mut shoulds: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (field, boost, allow_prefix, allow_fuzzy) in targets {
                    if let Some(q) =
                        self.word(field, text, *prefix && allow_prefix, allow_fuzzy, highlight)?
                    {
                        shoulds.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
                    }
                }
                Ok(disjunction(shoulds))
            }
            Clause::Phrase { field: None, text } => {
                let mut shoulds: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (field, boost) in [
                    (f.title, 3.0),
                    (f.abstract_text, 1.0),
                    (f.notes, 1.0),
                    (f.annotations, 1.0),
                    (f.fulltext, 0.4),
                ] {
                    if let Some(q) = self.phrase(field, text, highlight) {
                        shoulds.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
                    }
                }
                Ok(disjunction(shoulds))
            }
            Clause::Word {
                field: Some(name),
                text,
                prefix,
            } => match name.as_str() {
                "status" => Ok(Some(Box::new(TermQuery::new(
                    Term::from_field_text(f.status, &text.to_lowercase()),
                    IndexRecordOption::Basic,
                )))),
                "year" => self.year(text).map(Some),
                _ => {
                    let field = self.named_field(name);
                    let fuzzy = field != f.tag;
                    self.word(field, text, *prefix, fuzzy, highlight)
                }
            },
            Clause::Phrase {
                field: Some(name),
                text,
            } => match name.as_str() {
                "status" | "year" => self.clause(
                    &Clause::Word {
                        field: Some(name.clone()),
                        text: text.clone(),
                        prefix: false,
                    },
                    highlight,
                ),
                _ => {
                    let field = self.named_field(name);
                    if field == f.tag {
                        return self.word(field, text, false, false, highlight);
                    }
                    Ok(self.phrase(field, text, highlight))
                }
            },
        }
    }

    fn named_field(&self, name: &str) -> Field {
        let f = self.fields;
        match name {
            "title" => f.title,
            "author" | "authors" => f.author,
            "abstract" => f.abstract_text,
            "note" | "notes" => f.notes,
            "highlight" | "annotation" => f.annotations,
            "text" | "fulltext" => f.fulltext,
            _ => f.tag,
        }
    }

    fn analyzer(&mut self, field: Field) -> &mut TextAnalyzer {
        if field == self.fields.author {
            &mut self.plain
        } else if field == self.fields.tag {
            &mut self.keyword
        } else {
            &mut self.stemmed
        }
    }

    /// A word in one field: the exact (stemmed) term, a prefix expansion
    /// when `prefix`, and a fuzzy match when `fuzzy` and the word is long.
    fn word(
        &mut self,
        field: Field,
        text: &str,
        prefix: bool,
        fuzzy: bool,
        highlight: bool,
    ) -> Result<Option<Box<dyn Query>>> {
        let tokens = analyze(self.analyzer(field), text);
        if tokens.len() > 1 {
            return Ok(self.phrase(field, text, highlight));
        }
        let Some(token) = tokens.into_iter().next() else {
            return Ok(None);
        };
        let stemmed_field = field != self.fields.author && field != self.fields.tag;
        let mut shoulds: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Should,
            Box::new(TermQuery::new(
                Term::from_field_text(field, &token),
                IndexRecordOption::WithFreqs,
            )),
        )];
        if highlight && stemmed_field {
            self.highlighter.exact.push(token.clone());
        }
        if prefix && !self.is_common(field, &token)? {
            // Expand what was typed, not its stem: "transfo" must find
            // "transform…" even though the stemmer would cut it differently.
            let typed = deunicode::deunicode(text).to_lowercase();
            let typed: String = typed
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            if !typed.is_empty() {
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(field, &typed), 0, true);
                shoulds.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 0.5))));
                if highlight && stemmed_field {
                    self.highlighter.prefixes.push(typed);
                }
            }
        }
        let chars = token.chars().count();
        if fuzzy
            && chars >= FUZZY_MIN_CHARS
            && token.chars().all(|c| c.is_alphabetic())
            && self.is_unknown(&token)?
        {
            let distance = if chars >= FUZZY_TWO_EDITS_CHARS { 2 } else { 1 };
            let q = FuzzyTermQuery::new(Term::from_field_text(field, &token), distance, true);
            shoulds.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 0.3))));
            if highlight && stemmed_field {
                self.highlighter.fuzzy.push((token, distance));
            }
        }
        Ok(disjunction(shoulds))
    }

    /// Is `token` a word many papers hold in `field`? Then the person has
    /// typed a whole word that already finds plenty, and expanding it as a
    /// prefix would only add a few longer words at the cost of visiting
    /// every paper holding any of them.
    fn is_common(&self, field: Field, token: &str) -> Result<bool> {
        let df = self.doc_freq(field, token)?;
        let papers = self.searcher.num_docs();
        Ok(df >= COMMON_MIN_PAPERS && df.saturating_mul(COMMON_SHARE) >= papers)
    }

    /// A word no title or abstract contains is probably misspelled: only
    /// then is it worth the cost of a fuzzy expansion.
    fn is_unknown(&self, token: &str) -> Result<bool> {
        for field in [self.fields.title, self.fields.abstract_text] {
            if self.doc_freq(field, token)? > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// How many papers hold `token` in `field`.
    fn doc_freq(&self, field: Field, token: &str) -> Result<u64> {
        self.searcher
            .doc_freq(&Term::from_field_text(field, token))
            .map_err(|e| Error::Index {
                path: Default::default(),
                message: e.to_string(),
            })
    }

    fn phrase(&mut self, field: Field, text: &str, highlight: bool) -> Option<Box<dyn Query>> {
        let tokens = analyze(self.analyzer(field), text);
        if highlight && field != self.fields.author && field != self.fields.tag {
            self.highlighter.exact.extend(tokens.iter().cloned());
        }
        match tokens.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                Term::from_field_text(field, &tokens[0]),
                IndexRecordOption::WithFreqs,
            ))),
            _ => Some(Box::new(PhraseQuery::new(
                tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            ))),
        }
    }

    fn year(&self, text: &str) -> Result<Box<dyn Query>> {
        let field = self.fields.year;
        let bad = || {
            Error::Invalid(format!(
                "`year:{text}` is not a year or range (try year:2021, year:2019-2022, year:>=2020)"
            ))
        };
        let num = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
        let term = |y: u64| Term::from_field_u64(field, y);
        let (lo, hi) = if let Some(rest) = text.strip_prefix(">=") {
            (Bound::Included(term(num(rest)?)), Bound::Unbounded)
        } else if let Some(rest) = text.strip_prefix('>') {
            (Bound::Excluded(term(num(rest)?)), Bound::Unbounded)
        } else if let Some(rest) = text.strip_prefix("<=") {
            (Bound::Unbounded, Bound::Included(term(num(rest)?)))
        } else if let Some(rest) = text.strip_prefix('<') {
            (Bound::Unbounded, Bound::Excluded(term(num(rest)?)))
        } else if let Some((a, b)) = text.split_once(['-', '.']) {
            let b = b.trim_start_matches('.');
            (
                Bound::Included(term(num(a)?)),
                Bound::Included(term(num(b)?)),
            )
        } else {
            return Ok(Box::new(TermQuery::new(
                term(num(text)?),
                IndexRecordOption::Basic,
            )));
        };
        Ok(Box::new(RangeQuery::new(lo, hi)))
    }
}

fn disjunction(mut shoulds: Vec<(Occur, Box<dyn Query>)>) -> Option<Box<dyn Query>> {
    match shoulds.len() {
        0 => None,
        1 => shoulds.pop().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(shoulds))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighter_matches() {
        let h = Highlighter {
            exact: vec!["model".into()],
            prefixes: vec!["transf".into()],
            fuzzy: vec![("diffus".into(), 1)],
        };
        assert!(h.matches("model"));
        assert!(h.matches("transform"));
        assert!(h.matches("difus"));
        assert!(!h.matches("video"));
    }
}
