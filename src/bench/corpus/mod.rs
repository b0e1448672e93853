//! Deterministic synthetic research papers for benchmarks.
//!
//! The corpus imitates the embedded seed listing
//! (`tests/fixtures/trending-papers.txt`, 78 real titles and abstracts) at any
//! size, typically 100,000 to 1,000,000 papers. The same `(seed, i)` always
//! gives byte-identical papers on any machine: everything is drawn from a
//! built-in xoshiro256** generator and integer-only sampling tables.
//!
//! # Model
//!
//! * **Vocabulary.** The seed's titles and abstracts are cut into words
//!   (lowercase keys; acronyms such as `BERT` or `LLMs` keep their case for
//!   display). Two-word collocations of content words that occur at least
//!   twice (`language models`) become single units, so phrase queries match.
//!   The *background* distribution is the seed's own unit frequency,
//!   stopwords included, so it is Zipf-like and reads English-ish.
//! * **Topics.** Each of the latent topics is a Zipf-weighted distribution
//!   over 30–60 content units drawn from the vocabulary. Topics differ in
//!   popularity (weight ∝ 1/√rank).
//! * **Papers.** Paper `i` draws from its own random stream seeded by
//!   `(seed, i)`, so papers can be generated in any order, split or streamed.
//!   It picks a topic; its abstract (120–250 words, in sentences) takes 40 %
//!   of its units from the topic and 60 % from the background; its title
//!   (6–14 words, Title Case, sometimes `Name: Subtitle`) 70 % from the topic.
//!   Same-topic papers therefore share many rare words and are clearly
//!   related under TF-IDF.
//! * **Uniqueness by construction.** Every title ends with a connector
//!   (`for`, `with`, …) followed by vocabulary words that spell a permutation
//!   of `i` in base *P* (the number of plain vocabulary words), so normalized
//!   titles never collide. arXiv ids and DOIs encode `i` bijectively too, and
//!   the year is read off the arXiv month.
//!
//! ```
//! use lectern::bench::corpus::{Corpus, DEFAULT_TOPICS};
//!
//! let corpus = Corpus::new(7, DEFAULT_TOPICS);
//! let first = corpus.paper(0);
//! assert_eq!(first, corpus.paper(0)); // deterministic random access
//! assert_eq!(first.paper.source, "synthetic:0");
//! let words = first.paper.abstract_text.split_whitespace().count();
//! assert!((120..=250).contains(&words));
//! assert!(first.topic < corpus.topic_count());
//!
//! let queries = corpus.queries(5);
//! assert_eq!(queries.terms.len(), 5);
//! assert!(queries.phrases[0].starts_with('"'));
//! ```
//!
//! # Where things are
//!
//! `vocab` cuts the seed into units, `random` holds the generator and the
//! sampling tables, `tables` builds the corpus's tables from the units,
//! `paper` writes one paper, `queries` the query workloads, and `words` the
//! fixed word lists (names, venues, stopwords).

mod paper;
mod queries;
pub(in crate::bench) mod random;
mod tables;
mod vocab;
mod words;

pub(in crate::bench) use words::STOPWORDS;

use std::collections::HashMap;

use crate::model::NewPaper;
use random::{Alias, Rng, Shuffle};
use vocab::Vocab;

/// Topics used when the caller has no opinion.
pub const DEFAULT_TOPICS: u32 = 300;

/// Query words are taken from papers `0..QUERY_POOL`, so they occur in every
/// corpus of at least that many papers.
const QUERY_POOL: u64 = 1_000;

const SALT_PAPER: u64 = 0x5041_5045_5201;
const SALT_TOPIC: u64 = 0x544f_5049_4302;
const SALT_POPULARITY: u64 = 0x504f_5055_4c03;
const SALT_SUFFIX: u64 = 0x5355_4646_4904;
const SALT_ARXIV: u64 = 0x4152_5849_5605;
const SALT_DOI: u64 = 0x444f_4906;
const SALT_QUERY: u64 = 0x5155_4552_5907;

const FIRST_YEAR: i32 = 2015;
const LAST_YEAR: i32 = 2025;
/// DOI serials are shuffled within this many; larger indices are used as is.
const DOI_SERIALS: u64 = 1_000_000;
/// Units up to this many bytes are copied into abstracts as a fixed block.
const BLOCK: usize = 16;

/// One generated paper plus the ground truth and extras benchmarks need.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusPaper {
    pub paper: NewPaper,
    /// The latent topic the paper was drawn from (`0..topic_count()`).
    pub topic: u32,
    /// A short Markdown note for about 10 % of papers.
    pub note: Option<String>,
    /// For about 10 % of papers, an exact substring of the abstract (5–12
    /// words, starting at a word) to highlight.
    pub highlight: Option<String>,
}

/// Query workloads made of words that really occur in the corpus (taken from
/// papers `0..1000`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queries {
    /// 1–3 word queries, lowercase.
    pub terms: Vec<String>,
    /// Quoted two-word phrases that occur verbatim, e.g. `"language models"`.
    pub phrases: Vec<String>,
    /// Every prefix of a 1–2 word query as typed one character at a time
    /// (prefixes ending in a space are skipped).
    pub prefixes: Vec<String>,
    /// Words of at least 6 letters with one substitution, transposition or
    /// deletion; never a vocabulary word.
    pub typos: Vec<String>,
    /// The correctly spelled word of each typo, in the same order.
    pub typo_words: Vec<String>,
    /// Field queries: `title:…`, `author:…`, `year:…`, `tag:…` in turn.
    pub fields: Vec<String>,
    /// Best-match queries, lowercase: 3–5 words, of which 1 or 2 do not
    /// occur in the paper the others come from (a half-remembered paper).
    pub best_match: Vec<String>,
    /// The corpus index of the paper each best-match query was made from,
    /// in the same order.
    pub best_match_targets: Vec<u64>,
}

/// The generator: vocabulary, topics and sampling tables built from the seed.
#[derive(Debug, Clone)]
pub struct Corpus {
    seed: u64,
    units: Vec<Unit>,
    /// Lowercase key (`word` or `word word`) → unit.
    index: HashMap<String, u32>,
    /// Hot copy of the units' display texts: `spans[id]` is a range of
    /// `arena` and the unit's word count.
    arena: String,
    /// `arena` followed by `BLOCK` spaces, so short units can be copied as
    /// one fixed-size block (much faster than a variable-length copy).
    padded: Vec<u8>,
    spans: Vec<Span>,
    background: Alias<Span>,
    content_unigrams: Alias<Span>,
    topics: Vec<Topic>,
    topic_alias: Alias<u32>,
    /// Plain words used as digits of the unique title suffix.
    suffix_alphabet: Vec<u32>,
    suffix_shuffle: Shuffle,
    /// First arXiv slot of each month from January 2015.
    month_starts: Vec<u64>,
    arxiv_shuffle: Shuffle,
    doi_shuffle: Shuffle,
}

/// A vocabulary unit: one word, or a two-word collocation.
#[derive(Debug, Clone)]
struct Unit {
    key: String,
    /// Display form (acronyms keep their case); words separated by a space.
    text: String,
    words: usize,
    /// Not a stopword (collocations are always content).
    content: bool,
    /// A single content word of at least three ASCII lowercase letters.
    plain: bool,
}

/// Where a unit's display text lies in `Corpus::arena`, and its word count:
/// small, so the hot sampling tables stay in cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u16,
    words: u16,
}

#[derive(Debug, Clone)]
struct Topic {
    alias: Alias<Span>,
    /// The topic's plain words, for names and repositories.
    plain: Vec<u32>,
    domain: &'static str,
}

impl Corpus {
    /// Builds vocabulary and `topics` latent topics (at least one) from the
    /// embedded seed listing, deterministically from `seed`.
    pub fn new(seed: u64, topics: u32) -> Corpus {
        let topics = topics.max(1);
        let Vocab { units, counts } = Vocab::from_seed();
        let (arena, spans) = tables::arena(&units);
        let suffix_alphabet = tables::suffix_alphabet(&units);
        let p = suffix_alphabet.len() as u64;
        let (month_starts, slots) = tables::arxiv_month_starts();
        Corpus {
            seed,
            index: tables::key_index(&units),
            padded: tables::padded(&arena),
            arena,
            background: Alias::new(&counts, &spans),
            content_unigrams: tables::content_unigrams(&units, &counts, &spans),
            topics: tables::topics(seed, topics, &units, &counts, &spans),
            topic_alias: tables::topic_popularity(seed, topics),
            suffix_shuffle: Shuffle::new(p * p, seed, SALT_SUFFIX),
            suffix_alphabet,
            month_starts,
            arxiv_shuffle: Shuffle::new(slots, seed, SALT_ARXIV),
            doi_shuffle: Shuffle::new(DOI_SERIALS, seed, SALT_DOI),
            units,
            spans,
        }
    }

    /// Number of latent topics.
    pub fn topic_count(&self) -> u32 {
        self.topics.len() as u32
    }

    /// Convenience iterator over papers `0..n`.
    pub fn papers(&self, n: u64) -> impl Iterator<Item = CorpusPaper> + '_ {
        (0..n).map(move |i| self.paper(i))
    }

    /// `(year, month, serial)` of paper `i`: a bijection from `i` onto arXiv
    /// month slots, busier in later years; beyond the slots serials get six
    /// digits.
    fn calendar(&self, i: u64) -> (i32, u32, u64) {
        let slots = self.arxiv_shuffle.domain;
        let months = self.month_starts.len() as u64;
        let (month_index, serial) = if i < slots {
            let slot = self.arxiv_shuffle.apply(i);
            let m = self.month_starts.partition_point(|&start| start <= slot) - 1;
            (m as u64, slot - self.month_starts[m] + 1)
        } else {
            let extra = i - slots;
            (extra % months, 100_000 + extra / months)
        };
        let year = FIRST_YEAR + (month_index / 12) as i32;
        (year, (month_index % 12) as u32 + 1, serial)
    }

    /// The words that make paper `i`'s title unique: a connector is followed
    /// by these, and they spell `i` in base P.
    fn suffix(&self, i: u64) -> Vec<u32> {
        let p = self.suffix_alphabet.len() as u64;
        let domain = self.suffix_shuffle.domain;
        let low = self.suffix_shuffle.apply(i % domain);
        let mut digits = Vec::with_capacity(3);
        let mut high = i / domain;
        while high > 0 {
            digits.push(high % p);
            high /= p;
        }
        digits.reverse();
        digits.push(low / p);
        digits.push(low % p);
        digits
            .into_iter()
            .map(|d| self.suffix_alphabet[d as usize])
            .collect()
    }

    fn unit(&self, id: u32) -> &Unit {
        &self.units[id as usize]
    }

    /// Display text and word count of a unit, from the compact copy.
    fn text(&self, span: Span) -> (&str, usize) {
        let start = span.start as usize;
        (
            &self.arena[start..start + usize::from(span.len)],
            usize::from(span.words),
        )
    }

    fn topic_unit(&self, rng: &mut Rng, topic: &Topic) -> Span {
        topic.alias.sample(rng)
    }

    fn content_unigram(&self, rng: &mut Rng) -> Span {
        self.content_unigrams.sample(rng)
    }

    /// A single content word: from the topic with `percent` chance.
    fn single_word(&self, rng: &mut Rng, topic: &Topic, percent: u64) -> Span {
        if rng.chance(percent) {
            for _ in 0..4 {
                let span = self.topic_unit(rng, topic);
                if span.words == 1 {
                    return span;
                }
            }
        }
        self.content_unigram(rng)
    }

    /// A plain (ASCII lowercase) word of the topic, for names and URLs.
    fn plain_word(&self, rng: &mut Rng, topic: &Topic) -> &str {
        let pool = if topic.plain.is_empty() {
            &self.suffix_alphabet
        } else {
            &topic.plain
        };
        &self.unit(rng.choose(pool)).key
    }
}

/// arXiv slots per month of `year`: 15,000 in 2015 growing to 95,000.
fn month_capacity(year: i32) -> u64 {
    15_000 + 8_000 * (year - FIRST_YEAR) as u64
}

#[cfg(test)]
mod tests;
