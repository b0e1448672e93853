//! Search, related papers and the "for you" order by meaning, in the
//! façade (the model, vectors and job are [`crate::embed`]).
//!
//! A search runs in one of three modes: by words (the full-text index, as
//! always), by meaning (the nearest vectors to the query's), or both
//! (hybrid, the default): the two rankings fused by reciprocal rank, each
//! paper scoring `w / (60 + rank)` from each list it is in. A paper found
//! only by meaning is marked so. Queries with field, phrase, `+word` or
//! `-word` syntax stay exact (words only); `~` before a query asks for
//! meaning only, `=` for words only, and the `search.mode` setting sets
//! the default. Without the model, everything is by words.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{Library, search};
use crate::embed::{self, Job, Quantized};
use crate::error::{Error, Result};
use crate::model::{ForYouHit, MarkedText, Related, RelatedHit, SearchHit};
use crate::store;

/// The reciprocal-rank constant: how slowly a rank's weight falls.
const RRF_K: f32 = 60.0;
/// The weight of the ranking by words…
const WORDS_WEIGHT: f32 = 1.0;
/// …and of the ranking by meaning.
const MEANING_WEIGHT: f32 = 1.0;
/// How many papers the ranking by meaning offers to the fusion…
const POOL: usize = 50;
/// …and how many more than asked for the ranking by words offers (its
/// hits carry snippets, which cost more to make).
const LEXICAL_EXTRA: usize = 10;
/// Below this cosine a paper is not offered as close in meaning
/// (all-MiniLM-L6-v2 gives unrelated abstracts 0.0–0.2).
pub const MIN_SIMILARITY: f32 = 0.25;
/// The reason given for a paper close in meaning.
pub const SIMILAR_IN_MEANING: &str = "similar in meaning";
/// Sentences of an abstract weighed for the closest one.
const SENTENCES_CAP: usize = 12;
/// How many of the reader's papers the "for you" order compares with.
const FAVOURITES_CAP: usize = 500;

/// A related paper in the fusion: its fused score, its suggestion by
/// terms, and its cosine when close in meaning.
type Fused = (f32, Option<RelatedHit>, Option<f32>);

/// How a query is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    /// Words and meaning, fused.
    Hybrid,
    /// The full-text index only.
    Words,
    /// The vectors only.
    Meaning,
}

impl SearchMode {
    pub fn parse(s: &str) -> Option<SearchMode> {
        match s.trim() {
            "hybrid" => Some(SearchMode::Hybrid),
            "words" => Some(SearchMode::Words),
            "meaning" => Some(SearchMode::Meaning),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SearchMode::Hybrid => "hybrid",
            SearchMode::Words => "words",
            SearchMode::Meaning => "meaning",
        }
    }
}

/// The mode a query asks for and the query without its prefix: `~` for
/// meaning, `=` for words, exact syntax for words.
pub fn query_mode(input: &str, default: SearchMode) -> (SearchMode, &str) {
    let trimmed = input.trim_start();
    if let Some(rest) = trimmed.strip_prefix('~') {
        return (SearchMode::Meaning, rest.trim());
    }
    if let Some(rest) = trimmed.strip_prefix('=') {
        return (SearchMode::Words, rest.trim());
    }
    if default == SearchMode::Hybrid && exact_syntax(trimmed) {
        return (SearchMode::Words, trimmed);
    }
    (default, trimmed)
}

/// Whether a query uses syntax that must match exactly: a field
/// (`author:…`), a phrase, or a required or excluded word.
fn exact_syntax(query: &str) -> bool {
    query.contains('"')
        || query.split_whitespace().any(|w| {
            w.starts_with('+')
                || (w.starts_with('-') && w.len() > 1)
                || w.split_once(':').is_some_and(|(f, v)| {
                    !f.is_empty() && !v.is_empty() && f.chars().all(char::is_alphabetic)
                })
        })
}

/// What the library can do by meaning now, for `lectern model status`
/// and the window.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MeaningStatus {
    /// Where the model is looked for.
    pub model_dir: String,
    /// The model, as `name@digest`, when it loads.
    pub model: Option<String>,
    /// What runs it: "AMX tiles (bf16)" or "candle (f32)" for a BERT
    /// model, "a lookup table" for a static one.
    pub runtime: Option<String>,
    /// Why search by meaning is off, when it is.
    pub problem: Option<String>,
    /// Papers with a vector, and papers in all.
    pub embedded: u64,
    pub papers: u64,
    /// The default search mode (`search.mode`).
    pub mode: SearchMode,
}

impl Library {
    /// Search in the mode the query and the `search.mode` setting ask for;
    /// see [`crate::index::query`] for the syntax of words.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let (mode, query) = query_mode(query, self.search_mode()?);
        self.search_filtered(mode, query, query, limit, |_| Ok(true))
    }

    /// Search by words only, whatever the setting.
    pub fn search_words(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        self.index_read(|| search::search(&self.index, &self.conn, query, limit))
    }

    /// The search itself: `words` for the index (it may carry the
    /// caller's filters), `meaning` for the model, and `keep` to check the
    /// papers found by meaning alone against those filters.
    pub(super) fn search_filtered(
        &self,
        mode: SearchMode,
        words: &str,
        meaning: &str,
        limit: usize,
        keep: impl Fn(&str) -> Result<bool>,
    ) -> Result<Vec<SearchHit>> {
        if mode == SearchMode::Words || meaning.trim().is_empty() {
            return self.search_words(words, limit);
        }
        let model = match self.meaning().model() {
            Ok(model) => model,
            // No model: by words, as before (the status says why).
            Err(Error::Model { .. }) if mode == SearchMode::Hybrid => {
                return self.search_words(words, limit);
            }
            Err(e) => return Err(e),
        };
        // The query is embedded on another core while the index answers.
        let (query, lexical) = std::thread::scope(|scope| {
            let embedding = scope.spawn(|| model.embed(&[meaning]));
            let lexical = if mode == SearchMode::Hybrid {
                self.search_words(words, limit + LEXICAL_EXTRA)
            } else {
                Ok(Vec::new())
            };
            let query = embedding
                .join()
                .unwrap_or_else(|_| Err(Error::Invalid("embedding the query failed".into())));
            (query, lexical)
        });
        let query = Quantized::from_floats(&query?.pop().unwrap_or_default());
        let near = self.nearest_to(&query, POOL.max(limit), &keep)?;
        fuse(&self.conn, lexical?, &near, limit)
    }

    /// The papers closest in meaning to the query vector `q`, best first,
    /// as (cosine, id), at least [`MIN_SIMILARITY`] close and kept by
    /// `keep`.
    fn nearest_to(
        &self,
        q: &Quantized,
        k: usize,
        keep: &impl Fn(&str) -> Result<bool>,
    ) -> Result<Vec<(f32, String)>> {
        let mut meaning = self.meaning();
        let set = meaning.vectors()?;
        let mut out = Vec::new();
        for (score, id) in set.nearest(q, k * 2, |_| false) {
            if score < MIN_SIMILARITY || out.len() == k {
                break;
            }
            if keep(id)? {
                out.push((score, id.to_string()));
            }
        }
        Ok(out)
    }

    fn meaning(&self) -> std::sync::MutexGuard<'_, embed::Meaning> {
        self.meaning
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The default search mode (`search.mode`; hybrid unless set).
    pub fn search_mode(&self) -> Result<SearchMode> {
        Ok(store::provenance::setting(&self.conn, "search.mode")?
            .as_deref()
            .and_then(SearchMode::parse)
            .unwrap_or(SearchMode::Hybrid))
    }

    pub fn set_search_mode(&mut self, mode: SearchMode) -> Result<()> {
        self.write(|tx| store::provenance::set_setting(tx, "search.mode", mode.as_str()))
    }

    /// Whether search by meaning works, and how far the vectors are.
    pub fn meaning_status(&self) -> Result<MeaningStatus> {
        let papers = self.count()?;
        let mode = self.search_mode()?;
        let mut meaning = self.meaning();
        let model_dir = meaning.model_dir().display().to_string();
        let (model, runtime, problem, embedded) = match meaning.model() {
            Ok(model) => {
                let key = model.id().shown();
                let runtime = model.runtime().to_string();
                let embedded = meaning.vectors()?.papers() as u64;
                (Some(key), Some(runtime), None, embedded)
            }
            Err(e) => (None, None, Some(e.to_string()), 0),
        };
        Ok(MeaningStatus {
            model_dir,
            model,
            runtime,
            problem,
            embedded,
            papers,
            mode,
        })
    }

    /// The background job that computes this library's vectors (see
    /// [`crate::embed::job`]); [`Error::Model`] without the model,
    /// [`Error::Locked`] when another process runs it.
    pub fn embedding_job(&self) -> Result<Job> {
        let model = self.meaning().model()?;
        Job::start(&self.root, model)
    }

    /// Deletes the vectors (`lectern reindex --embeddings`); the job
    /// computes them again.
    pub fn drop_embeddings(&self) -> Result<()> {
        let private = self.root.join(super::PRIVATE_DIR);
        let lock = embed::job::lock_path(&self.root);
        // Not while a job writes them.
        let _held = super::lock_file(&self.root, &lock)?;
        self.meaning().forget();
        embed::store::remove(&private)
    }

    /// Suggested related papers (shared terms and closeness in meaning,
    /// fused, each close in meaning with the sentence of its abstract
    /// closest to this paper) plus the user's own relations.
    pub fn related(&self, key: &str, limit: usize) -> Result<Related> {
        self.related_with(key, limit, true)
    }

    /// [`Library::related`] without the closest sentences, which cost the
    /// most: the window shows the list first and asks for them after
    /// ([`Library::closest_sentences`]).
    pub fn related_without_sentences(&self, key: &str, limit: usize) -> Result<Related> {
        self.related_with(key, limit, false)
    }

    /// For each paper of `others`, the sentence of its abstract closest in
    /// meaning to paper `key`, as (id, sentence).
    pub fn closest_sentences(&self, key: &str, others: &[String]) -> Result<Vec<(String, String)>> {
        let id = self.resolve(key)?;
        let mine = self.meaning().vectors()?.of(&id);
        Ok(self
            .sentences_closest_to(others, &mine)?
            .into_iter()
            .collect())
    }

    fn related_with(&self, key: &str, limit: usize, sentences: bool) -> Result<Related> {
        let id = self.resolve(key)?;
        let by_terms =
            self.index_read(|| search::related(&self.index, &self.conn, &id, POOL.max(limit)))?;
        let suggestions = match self.related_by_meaning(&id, POOL.max(limit)) {
            Ok(near) => self.fuse_related(&id, by_terms, near, limit, sentences)?,
            Err(Error::Model { .. }) => by_terms.into_iter().take(limit).collect(),
            Err(e) => return Err(e),
        };
        Ok(Related {
            suggestions,
            relations: store::relations::for_paper(&self.conn, &id)?,
        })
    }

    /// The papers nearest in meaning to paper `id` (by its closest
    /// vectors), best first.
    fn related_by_meaning(&self, id: &str, k: usize) -> Result<Vec<(f32, String)>> {
        let mut meaning = self.meaning();
        let set = meaning.vectors()?;
        let mine = set.of(id);
        let mut best: HashMap<String, f32> = HashMap::new();
        for v in &mine {
            for (score, other) in set.nearest(v, k + 1, |o| o == id) {
                if score >= MIN_SIMILARITY {
                    let e = best.entry(other.to_string()).or_insert(score);
                    *e = e.max(score);
                }
            }
        }
        let mut out: Vec<(f32, String)> = best.into_iter().map(|(id, s)| (s, id)).collect();
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        out.truncate(k);
        Ok(out)
    }

    fn fuse_related(
        &self,
        id: &str,
        by_terms: Vec<RelatedHit>,
        near: Vec<(f32, String)>,
        limit: usize,
        with_sentences: bool,
    ) -> Result<Vec<RelatedHit>> {
        let mut fused: HashMap<String, Fused> = HashMap::new();
        for (rank, hit) in by_terms.into_iter().enumerate() {
            let e = fused.entry(hit.id.clone()).or_insert((0.0, None, None));
            e.0 += WORDS_WEIGHT / (RRF_K + rank as f32 + 1.0);
            e.1 = Some(hit);
        }
        for (rank, (score, other)) in near.iter().enumerate() {
            let e = fused.entry(other.clone()).or_insert((0.0, None, None));
            e.0 += MEANING_WEIGHT / (RRF_K + rank as f32 + 1.0);
            e.2 = Some(*score);
        }
        let mut order: Vec<(String, Fused)> = fused.into_iter().collect();
        order.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then(a.0.cmp(&b.0)));
        order.truncate(limit);
        let mine = self.meaning().vectors()?.of(id);
        let close: Vec<String> = order
            .iter()
            .filter(|(_, (_, _, cosine))| cosine.is_some())
            .map(|(other, _)| other.clone())
            .collect();
        let mut sentences = if with_sentences {
            self.sentences_closest_to(&close, &mine)?
        } else {
            HashMap::new()
        };
        let mut out = Vec::with_capacity(order.len());
        for (other, (fused_score, by_terms, cosine)) in order {
            let mut hit = match by_terms {
                Some(hit) => hit,
                None => {
                    let Some(row) = store::hits::suggestion_row(&self.conn, &other)? else {
                        continue;
                    };
                    RelatedHit {
                        id: other.clone(),
                        citekey: row.citekey,
                        title: row.title,
                        score: 0.0,
                        terms: Vec::new(),
                        reason: String::new(),
                        sentence: None,
                    }
                }
            };
            hit.score = fused_score * 100.0;
            if cosine.is_some() {
                hit.reason = if hit.terms.is_empty() {
                    SIMILAR_IN_MEANING.to_string()
                } else {
                    format!("{}, {SIMILAR_IN_MEANING}", search::SHARED_TERMS)
                };
                hit.sentence = sentences.remove(&other);
            }
            out.push(hit);
        }
        Ok(out)
    }

    /// For each paper of `others`, the sentence of its abstract closest to
    /// `to` (a paper's vectors): every sentence embedded in one call.
    fn sentences_closest_to(
        &self,
        others: &[String],
        to: &[Quantized],
    ) -> Result<HashMap<String, String>> {
        let mut rows = Vec::new();
        for other in others {
            if let Some(row) = store::hits::search_row(&self.conn, other)? {
                rows.push((other, row.abstract_text));
            }
        }
        let mut owners: Vec<usize> = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        for (i, (_, abstract_text)) in rows.iter().enumerate() {
            for sentence in crate::text::sentences(abstract_text)
                .into_iter()
                .take(SENTENCES_CAP)
            {
                owners.push(i);
                texts.push(sentence);
            }
        }
        let mut best: HashMap<String, (f32, String)> = HashMap::new();
        if texts.is_empty() || to.is_empty() {
            return Ok(HashMap::new());
        }
        let model = self.meaning().model()?;
        // Like lengths together: less padding.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let sorted: Vec<&str> = order.iter().map(|&i| texts[i]).collect();
        let vectors = model.embed(&sorted)?;
        for (&i, v) in order.iter().zip(vectors) {
            let q = Quantized::from_floats(&v);
            let score = to.iter().map(|m| m.dot(&q)).fold(f32::MIN, f32::max);
            let other = rows[owners[i]].0;
            let entry = best
                .entry(other.clone())
                .or_insert((f32::MIN, String::new()));
            if score > entry.0 {
                *entry = (score, texts[i].to_string());
            }
        }
        Ok(best.into_iter().map(|(k, (_, s))| (k, s)).collect())
    }

    /// Papers ordered by closeness in meaning to those the reader starred,
    /// annotated or wrote notes on, each with the closest of those; with
    /// `query`, only the papers a search finds. The reader's own papers
    /// are left out.
    pub fn for_you(&self, query: Option<&str>, limit: usize) -> Result<Vec<ForYouHit>> {
        let mut favourites = store::texts::favourites(&self.conn)?;
        if favourites.is_empty() {
            return Err(Error::Invalid(
                "no starred, annotated or noted papers yet: \"for you\" orders papers by their closeness to those".into(),
            ));
        }
        // The most recent ones, when there are very many.
        let skip = favourites.len().saturating_sub(FAVOURITES_CAP);
        favourites.drain(..skip);
        let candidates: Option<Vec<String>> = match query {
            Some(q) => Some(self.search(q, 1000)?.into_iter().map(|h| h.id).collect()),
            None => None,
        };
        let mut meaning = self.meaning();
        let set = meaning.vectors()?;
        // For each paper, its best cosine with any favourite, and which.
        let mut best: Vec<(f32, usize)> = Vec::new();
        for (f, fav) in favourites.iter().enumerate() {
            for v in set.of(fav) {
                let scores = set.scores(&v);
                if best.is_empty() {
                    best = vec![(f32::NEG_INFINITY, 0); scores.len()];
                }
                for (b, s) in best.iter_mut().zip(scores) {
                    if s > b.0 {
                        *b = (s, f);
                    }
                }
            }
        }
        if best.is_empty() {
            return Err(Error::Invalid(format!(
                "the {} starred, annotated or noted papers have no vectors yet; `lectern embed` computes them",
                favourites.len()
            )));
        }
        let is_favourite: std::collections::HashSet<&str> =
            favourites.iter().map(String::as_str).collect();
        let wanted: Option<std::collections::HashSet<&str>> = candidates
            .as_ref()
            .map(|c| c.iter().map(String::as_str).collect());
        let mut order: Vec<(f32, usize, &str)> = set
            .ids()
            .zip(best)
            // A replaced paper's old slot scores minus infinity.
            .filter(|(_, (s, _))| s.is_finite())
            .filter(|(id, _)| !is_favourite.contains(id))
            .filter(|(id, _)| wanted.as_ref().is_none_or(|w| w.contains(id)))
            .map(|(id, (s, f))| (s, f, id))
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(b.2)));
        order.truncate(limit);
        let mut out = Vec::with_capacity(order.len());
        for (score, f, id) in order {
            let (Some(row), Some(because)) = (
                store::hits::suggestion_row(&self.conn, id)?,
                store::hits::suggestion_row(&self.conn, &favourites[f])?,
            ) else {
                continue;
            };
            out.push(ForYouHit {
                id: id.to_string(),
                citekey: row.citekey,
                title: row.title,
                score,
                because_citekey: because.citekey,
                because_title: because.title,
            });
        }
        Ok(out)
    }
}

/// The two rankings fused: each paper scores the sum of `w / (60 + rank)`
/// over the lists it is in. Papers only the meaning list has get their
/// rows and are marked [`SearchHit::by_meaning`].
fn fuse(
    conn: &Connection,
    lexical: Vec<SearchHit>,
    near: &[(f32, String)],
    limit: usize,
) -> Result<Vec<SearchHit>> {
    let mut scores: HashMap<&str, f32> = HashMap::new();
    for (rank, hit) in lexical.iter().enumerate() {
        *scores.entry(hit.id.as_str()).or_default() += WORDS_WEIGHT / (RRF_K + rank as f32 + 1.0);
    }
    for (rank, (_, id)) in near.iter().enumerate() {
        *scores.entry(id.as_str()).or_default() += MEANING_WEIGHT / (RRF_K + rank as f32 + 1.0);
    }
    let mut order: Vec<(&str, f32)> = scores.into_iter().collect();
    // Ties keep the words' order, then the meaning's.
    let position = |id: &str| {
        lexical
            .iter()
            .position(|h| h.id == id)
            .or_else(|| near.iter().position(|n| n.1 == id).map(|p| p + POOL * 4))
            .unwrap_or(usize::MAX)
    };
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(position(a.0).cmp(&position(b.0))));
    order.truncate(limit);
    let ids: Vec<String> = order.iter().map(|(id, _)| id.to_string()).collect();
    let fused: HashMap<String, f32> = order
        .into_iter()
        .map(|(id, s)| (id.to_string(), s))
        .collect();
    let mut by_id: HashMap<String, SearchHit> =
        lexical.into_iter().map(|h| (h.id.clone(), h)).collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let score = fused.get(&id).copied().unwrap_or_default() * 100.0;
        if let Some(mut hit) = by_id.remove(&id) {
            hit.score = score;
            out.push(hit);
            continue;
        }
        let Some(row) = store::hits::search_row(conn, &id)? else {
            continue;
        };
        out.push(SearchHit {
            id,
            citekey: row.citekey,
            title_marked: MarkedText::plain(&row.title),
            title: row.title,
            score,
            snippet: MarkedText::plain(&crate::text::first_chars(
                &row.abstract_text,
                SNIPPET_CHARS,
            )),
            matched: Vec::new(),
            missing: Vec::new(),
            by_meaning: true,
        });
    }
    Ok(out)
}

/// Longest snippet of a paper found by meaning, in characters.
const SNIPPET_CHARS: usize = 220;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_exact_syntax_choose_the_mode() {
        use SearchMode::*;
        assert_eq!(
            query_mode("~ brain recordings", Hybrid),
            (Meaning, "brain recordings")
        );
        assert_eq!(query_mode("=masked video", Hybrid), (Words, "masked video"));
        assert_eq!(query_mode("masked video", Hybrid), (Hybrid, "masked video"));
        assert_eq!(query_mode("masked video", Words), (Words, "masked video"));
        for exact in [
            "author:tong",
            "\"masked video\"",
            "+video masked",
            "video -robot",
        ] {
            assert_eq!(query_mode(exact, Hybrid).0, Words, "{exact}");
        }
        // A hyphenated word or a lone dash is not syntax.
        assert_eq!(query_mode("self-supervised - video", Hybrid).0, Hybrid);
        assert_eq!(query_mode("ratio 16:9", Hybrid).0, Hybrid);
    }
}
