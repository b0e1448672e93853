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

use std::collections::HashMap;

use crate::model::{Link, LinkKind, NewPaper};

/// Topics used when the caller has no opinion.
pub const DEFAULT_TOPICS: u32 = 300;

const SEED_LISTING: &str = include_str!("../../tests/fixtures/trending-papers.txt");
/// Non-blank lines before the first title (`new`, `Get trending…`, …).
const SEED_HEADER_LINES: usize = 5;

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
        let vocab = Vocab::from_seed();
        let Vocab { units, counts } = vocab;
        let mut arena = String::new();
        let spans: Vec<Span> = units
            .iter()
            .map(|unit| {
                let start = arena.len() as u32;
                arena.push_str(&unit.text);
                Span {
                    start,
                    len: unit.text.len() as u16,
                    words: unit.words as u16,
                }
            })
            .collect();
        let index: HashMap<String, u32> = units
            .iter()
            .enumerate()
            .map(|(id, unit)| (unit.key.clone(), id as u32))
            .collect();
        let background = Alias::new(&counts, &spans);

        let content_unigrams: Vec<u32> = (0..units.len() as u32)
            .filter(|&id| units[id as usize].content && units[id as usize].words == 1)
            .collect();
        let content_unigrams = Alias::new(
            &content_unigrams
                .iter()
                .map(|&id| counts[id as usize])
                .collect::<Vec<_>>(),
            &content_unigrams
                .iter()
                .map(|&id| spans[id as usize])
                .collect::<Vec<_>>(),
        );

        // Topic words: any content unit, favouring frequent ones only mildly
        // (∝ √count) so topics stay distinctive.
        let candidates: Vec<u32> = (0..units.len() as u32)
            .filter(|&id| units[id as usize].content)
            .collect();
        let candidate_alias = Alias::new(
            &candidates
                .iter()
                .map(|&id| (counts[id as usize] * 10_000).isqrt())
                .collect::<Vec<_>>(),
            &candidates,
        );
        let topic_list: Vec<Topic> = (0..topics)
            .map(|t| {
                let mut rng = Rng::stream(seed, SALT_TOPIC, u64::from(t));
                let want = rng.range(30, 60).min(candidates.len());
                let mut chosen: Vec<u32> = Vec::with_capacity(want);
                let mut tries = 0;
                while chosen.len() < want && tries < 100_000 {
                    tries += 1;
                    let id = candidate_alias.sample(&mut rng);
                    if !chosen.contains(&id) {
                        chosen.push(id);
                    }
                }
                rng.shuffle(&mut chosen);
                let weights: Vec<u64> = (0..chosen.len() as u64)
                    .map(|rank| 1_000_000 / (rank + 5))
                    .collect();
                let plain = chosen
                    .iter()
                    .copied()
                    .filter(|&id| units[id as usize].plain)
                    .collect();
                Topic {
                    alias: Alias::new(
                        &weights,
                        &chosen
                            .iter()
                            .map(|&id| spans[id as usize])
                            .collect::<Vec<_>>(),
                    ),
                    plain,
                    domain: rng.choose(&DOMAIN_TAGS),
                }
            })
            .collect();

        let mut order: Vec<u32> = (0..topics).collect();
        Rng::stream(seed, SALT_POPULARITY, 0).shuffle(&mut order);
        let mut popularity = vec![0u64; topics as usize];
        for (rank, &t) in order.iter().enumerate() {
            popularity[t as usize] = 1_000_000_000 / ((rank as u64 + 1) * 1_000_000).isqrt();
        }

        let suffix_alphabet: Vec<u32> = (0..units.len() as u32)
            .filter(|&id| units[id as usize].plain)
            .collect();
        assert!(
            suffix_alphabet.len() >= 2,
            "the seed listing has too few plain words"
        );
        let p = suffix_alphabet.len() as u64;
        let suffix_shuffle = Shuffle::new(p * p, seed, SALT_SUFFIX);

        let mut month_starts = Vec::with_capacity(12 * 11);
        let mut slots = 0u64;
        for year in FIRST_YEAR..=LAST_YEAR {
            for _month in 1..=12 {
                month_starts.push(slots);
                slots += month_capacity(year);
            }
        }

        Corpus {
            seed,
            units,
            index,
            padded: {
                let mut bytes = arena.clone().into_bytes();
                bytes.extend_from_slice(&[b' '; BLOCK]);
                bytes
            },
            arena,
            spans,
            background,
            content_unigrams,
            topics: topic_list,
            topic_alias: Alias::new(&popularity, &(0..topics).collect::<Vec<_>>()),
            suffix_alphabet,
            suffix_shuffle,
            month_starts,
            arxiv_shuffle: Shuffle::new(slots, seed, SALT_ARXIV),
            doi_shuffle: Shuffle::new(DOI_SERIALS, seed, SALT_DOI),
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

    /// The `i`-th paper (0-based), deterministic for `(seed, i)`.
    pub fn paper(&self, i: u64) -> CorpusPaper {
        let mut rng = Rng::stream(self.seed, SALT_PAPER, i);
        let topic_id = self.topic_alias.sample(&mut rng);
        let topic = &self.topics[topic_id as usize];
        let (year, month, serial) = self.calendar(i);
        let (authors, family) = author_list(&mut rng);
        let (title, name) = self.title(&mut rng, topic, i);

        let has_code = rng.chance(30);
        let has_data = rng.chance(5);
        let owner = if has_code || has_data {
            ascii_slug(family)
        } else {
            String::new()
        };
        let mut links = Vec::new();
        if has_code {
            let repo = match &name {
                Some(name) if rng.chance(70) => name.clone(),
                _ => {
                    let a = self.plain_word(&mut rng, topic);
                    if rng.chance(50) {
                        a.to_string()
                    } else {
                        format!("{a}-{}", self.plain_word(&mut rng, topic))
                    }
                }
            };
            links.push(Link {
                url: concat(&["https://github.com/", &owner, "/", &repo]),
                kind: LinkKind::Code,
            });
        }
        if has_data {
            let word = self.plain_word(&mut rng, topic);
            let kind = if rng.chance(50) {
                ""
            } else {
                rng.choose(&["-bench", "-corpus", "-data", "-eval"])
            };
            let url = concat(&["https://huggingface.co/datasets/", &owner, "/", word, kind]);
            links.push(Link {
                url,
                kind: LinkKind::Dataset,
            });
        }

        let tail_words = match (has_code, has_data) {
            (false, false) => 0,
            (true, false) => 5,
            (false, true) => 6,
            (true, true) => 9,
        };
        let total = rng.range(120, 250);
        let mut text: Vec<u8> = Vec::with_capacity(total * 10 + 160);
        self.write_body(&mut rng, topic, total - tail_words, &mut text);
        let body_end = text.len();
        let tail: [&str; 5] = match links.as_slice() {
            [code, data] => [
                " Code and data are available at ",
                &code.url,
                " and ",
                &data.url,
                ".",
            ],
            [link] if link.kind == LinkKind::Code => {
                [" Code is available at ", &link.url, ".", "", ""]
            }
            [link] => [" The dataset is available at ", &link.url, ".", "", ""],
            _ => [""; 5],
        };
        for part in tail {
            text.extend_from_slice(part.as_bytes());
        }
        // Only whole units (valid UTF-8) and ASCII were appended.
        let abstract_text = String::from_utf8(text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());

        let arxiv = rng.chance(60).then(|| {
            let mut id = String::with_capacity(12);
            push_number(&mut id, (year % 100) as u64, 2);
            push_number(&mut id, u64::from(month), 2);
            id.push('.');
            push_number(&mut id, serial, 5);
            id
        });
        let doi = if rng.chance(50) {
            let mut doi = concat(&[
                "10.",
                rng.choose(&DOI_REGISTRANTS),
                "/",
                rng.choose(&VENUES),
                ".",
            ]);
            push_number(&mut doi, year as u64, 4);
            doi.push('.');
            push_number(&mut doi, self.doi_shuffle.apply(i), 6);
            Some(doi)
        } else {
            None
        };

        let tags = tags(&mut rng, topic_id, topic.domain);
        let note = rng.chance(10).then(|| self.note(&mut rng, topic));
        let highlight = rng
            .chance(10)
            .then(|| highlight(&mut rng, &abstract_text[..body_end]).to_string());

        CorpusPaper {
            paper: NewPaper {
                title,
                abstract_text,
                authors,
                year: Some(year),
                doi,
                arxiv,
                links,
                tags,
                source: {
                    let mut source = String::with_capacity(32);
                    source.push_str("synthetic:");
                    push_number(&mut source, i, 1);
                    source
                },
                ..NewPaper::default()
            },
            topic: topic_id,
            note,
            highlight,
        }
    }

    /// Query workloads: `count` entries each of terms, phrases, typos and
    /// fields, and every typed prefix of `count` queries. Deterministic from
    /// the seed; `queries(n)` is a prefix of `queries(m)` for `n < m`.
    pub fn queries(&self, count: usize) -> Queries {
        let pool: Vec<PoolPaper> = (0..QUERY_POOL)
            .map(|j| PoolPaper::new(self, &self.paper(j)))
            .collect();
        let stream = |kind: u64| Rng::stream(self.seed, SALT_QUERY, kind);
        let mut out = Queries::default();

        let mut rng = stream(0);
        while out.terms.len() < count {
            let paper = rng.pick(&pool);
            let want = match rng.below(100) {
                0..50 => 1,
                50..85 => 2,
                _ => 3,
            };
            let mut words: Vec<&str> = Vec::with_capacity(want);
            for _ in 0..want * 4 {
                if words.len() == want {
                    break;
                }
                let word = rng.pick(&paper.words).as_str();
                if !words.contains(&word) {
                    words.push(word);
                }
            }
            out.terms.push(words.join(" "));
        }

        let mut rng = stream(1);
        while out.phrases.len() < count {
            let paper = rng.pick(&pool);
            let pairs = if paper.collocations.is_empty() {
                &paper.pairs
            } else {
                &paper.collocations
            };
            if !pairs.is_empty() {
                out.phrases.push(format!("\"{}\"", rng.pick(pairs)));
            }
        }

        let mut rng = stream(2);
        for _ in 0..count {
            let paper = rng.pick(&pool);
            let mut typed = rng.pick(&paper.words).clone();
            if rng.chance(30) {
                typed.push(' ');
                typed.push_str(rng.pick(&paper.words).as_str());
            }
            for (end, c) in typed.char_indices() {
                if c != ' ' {
                    out.prefixes.push(typed[..end + c.len_utf8()].to_string());
                }
            }
        }

        let mut rng = stream(3);
        while out.typos.len() < count {
            let paper = rng.pick(&pool);
            let word = rng.pick(&paper.words);
            if word.len() < 6 {
                continue;
            }
            let typo = misspell(&mut rng, word);
            if typo != *word && !self.index.contains_key(&typo) {
                out.typos.push(typo);
                out.typo_words.push(word.clone());
            }
        }

        let mut rng = stream(4);
        while out.fields.len() < count {
            let paper = rng.pick(&pool);
            let query = match out.fields.len() % 4 {
                0 if !paper.title_words.is_empty() => {
                    format!("title:{}", rng.pick(&paper.title_words))
                }
                1 => format!("author:{}", rng.pick(&paper.families)),
                2 => format!("year:{}", paper.year),
                3 if !paper.tags.is_empty() => format!("tag:{}", rng.pick(&paper.tags)),
                _ => continue,
            };
            out.fields.push(query);
        }
        out
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

    /// Appends a unit's text to an abstract under construction.
    fn push_unit(&self, out: &mut Vec<u8>, span: Span) {
        let start = span.start as usize;
        let len = usize::from(span.len);
        if len <= BLOCK {
            let end = out.len() + len;
            out.extend_from_slice(&self.padded[start..start + BLOCK]);
            out.truncate(end);
        } else {
            out.extend_from_slice(&self.padded[start..start + len]);
        }
    }

    fn write_body(&self, rng: &mut Rng, topic: &Topic, words: usize, out: &mut Vec<u8>) {
        let mut left = words;
        while left > 0 {
            let mut len = rng.range(12, 28);
            if len > left || left - len < 8 {
                len = left;
            }
            self.write_sentence(rng, topic, len, out);
            left -= len;
        }
    }

    fn write_sentence(&self, rng: &mut Rng, topic: &Topic, words: usize, out: &mut Vec<u8>) {
        if !out.is_empty() {
            out.push(b' ');
        }
        let mut left = words;
        let mut first = true;
        if words >= 10 && rng.chance(35) {
            let (opener, opener_words) = rng.choose(&OPENERS);
            out.extend_from_slice(opener.as_bytes());
            left -= opener_words;
            first = false;
        }
        while left > 0 {
            // One draw decides both the source of the unit and a comma.
            let (source, comma) = rng.two_percents();
            let span = if left == 1 {
                self.single_word(rng, topic, 40)
            } else {
                // Selecting the table rather than branching on the draw
                // avoids a hard-to-predict branch in the hottest loop.
                let table = if source < 40 {
                    &topic.alias
                } else {
                    &self.background
                };
                table.sample(rng)
            };
            if first {
                let text = self.text(span).0;
                let mut chars = text.chars();
                if let Some(c) = chars.next() {
                    let mut buf = [0u8; 4];
                    for upper in c.to_uppercase() {
                        out.extend_from_slice(upper.encode_utf8(&mut buf).as_bytes());
                    }
                    out.extend_from_slice(chars.as_str().as_bytes());
                }
                first = false;
            } else {
                out.push(b' ');
                self.push_unit(out, span);
            }
            left -= usize::from(span.words);
            if left > 0 && comma < 5 {
                out.push(b',');
            }
        }
        out.push(b'.');
    }

    fn title(&self, rng: &mut Rng, topic: &Topic, i: u64) -> (String, Option<String>) {
        let suffix = self.suffix(i);
        let named = rng.chance(35);
        let total = rng.range(6, 14);
        let body_words = total
            .saturating_sub(1 + suffix.len() + usize::from(named))
            .max(2);

        let mut body = String::with_capacity(112);
        let mut initials = String::with_capacity(if named { 16 } else { 0 });
        let mut left = body_words;
        let mut since_joiner = 0;
        let mut previous = None;
        let mut tries = 0;
        while left > 0 {
            tries += 1;
            if since_joiner >= 2 && left >= 2 && rng.chance(25) {
                body.push(' ');
                body.push_str(rng.choose(&JOINERS));
                left -= 1;
                since_joiner = 0;
                continue;
            }
            let id = if left == 1 {
                self.single_word(rng, topic, 70)
            } else if rng.chance(70) {
                self.topic_unit(rng, topic)
            } else {
                self.content_unigram(rng)
            };
            if previous == Some(id) && tries < 64 {
                continue;
            }
            previous = Some(id);
            let (text, words) = self.text(id);
            let first = body.is_empty();
            push_title_words(&mut body, text, first);
            if named {
                for word in text.split(' ') {
                    if let Some(c) = word.chars().next().filter(char::is_ascii_alphabetic) {
                        initials.push(c.to_ascii_uppercase());
                    }
                }
            }
            left -= words;
            since_joiner += words;
        }
        body.push(' ');
        body.push_str(rng.choose(&CONNECTORS));
        for &id in &suffix {
            push_title_words(&mut body, self.text(self.spans[id as usize]).0, false);
        }

        if !named {
            return (body, None);
        }
        let mut name = String::with_capacity(16);
        match rng.below(3) {
            0 if initials.len() >= 3 => name.push_str(&initials[..initials.len().min(5)]),
            1 => {
                name_part(&mut name, self.plain_word(rng, topic));
                name.push_str(rng.choose(&NAME_SUFFIXES));
            }
            _ => {
                let a = self.plain_word(rng, topic);
                let b = self.plain_word(rng, topic);
                name_part(&mut name, a);
                name_part(&mut name, b);
            }
        }
        (concat(&[&name, ": ", &body]), Some(name))
    }

    fn note(&self, rng: &mut Rng, topic: &Topic) -> String {
        let sentences = rng.range(1, 3);
        let mut out = String::with_capacity(160);
        for k in 0..sentences {
            if k > 0 {
                out.push(' ');
            }
            let a = self.text(self.topic_unit(rng, topic)).0;
            let b = self.text(self.topic_unit(rng, topic)).0;
            let sentence = match rng.below(8) {
                0 => format!("Key idea: {a} combined with {b}."),
                1 => format!("The **{a}** ablation is worth a second read."),
                2 => format!("Compare with our {a} baseline before citing."),
                3 => format!("Unclear how {a} scales beyond {b}."),
                4 => format!("**TODO:** check the {a} numbers against {b}."),
                5 => format!("Nice discussion of {a} and **{b}**."),
                6 => format!("Useful for the {a} section of the survey."),
                _ => format!("Their {a} setup differs from the usual {b} one."),
            };
            out.push_str(&sentence);
        }
        out
    }
}

/// The seed listing cut into units.
struct Vocab {
    units: Vec<Unit>,
    counts: Vec<u64>,
}

impl Vocab {
    fn from_seed() -> Vocab {
        let lines: Vec<&str> = SEED_LISTING
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .skip(SEED_HEADER_LINES)
            .collect();
        // `None` marks a break (punctuation, a dropped token, a new text):
        // collocations never span one.
        let mut tokens: Vec<Option<&str>> = Vec::new();
        for pair in lines.chunks_exact(2) {
            tokenize(pair[0], &mut tokens);
            tokenize(pair[1], &mut tokens);
        }
        let keys: Vec<Option<String>> =
            tokens.iter().map(|t| t.map(|s| s.to_lowercase())).collect();

        // Display forms: the most frequent "marked" spelling (an uppercase
        // letter inside a hyphen part, as in `BERT`, `LLMs`, `2D`) if at
        // least half the occurrences are marked, else lowercase.
        let mut forms: HashMap<&str, Vec<(&str, u64)>> = HashMap::new();
        let mut totals: HashMap<&str, u64> = HashMap::new();
        for (surface, key) in tokens.iter().zip(&keys) {
            if let (Some(surface), Some(key)) = (surface, key) {
                *totals.entry(key).or_default() += 1;
                if is_marked(surface) {
                    let list = forms.entry(key).or_default();
                    match list.iter_mut().find(|(s, _)| s == surface) {
                        Some((_, n)) => *n += 1,
                        None => list.push((surface, 1)),
                    }
                }
            }
        }
        let display = |key: &str| -> String {
            let total = totals.get(key).copied().unwrap_or(0);
            match forms.get(key) {
                Some(list) => {
                    let marked: u64 = list.iter().map(|(_, n)| n).sum();
                    let mut best: Option<(&str, u64)> = None;
                    for &(s, n) in list {
                        if best.is_none_or(|(_, m)| n > m) {
                            best = Some((s, n));
                        }
                    }
                    match best {
                        Some((s, _)) if marked * 2 >= total => s.to_string(),
                        _ => key.to_string(),
                    }
                }
                None => key.to_string(),
            }
        };

        let mut bigrams: HashMap<(&str, &str), u64> = HashMap::new();
        for window in keys.windows(2) {
            if let [Some(a), Some(b)] = window
                && is_content(a)
                && is_content(b)
            {
                *bigrams.entry((a.as_str(), b.as_str())).or_default() += 1;
            }
        }

        // Greedy left-to-right segmentation into units, in order of first
        // appearance (deterministic).
        let mut units: Vec<Unit> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut add = |key: String, text: String, words: usize, content: bool| {
            let id = *ids.entry(key.clone()).or_insert_with(|| {
                let plain = words == 1
                    && content
                    && key.len() >= 3
                    && key.bytes().all(|b| b.is_ascii_lowercase());
                units.push(Unit {
                    key,
                    text,
                    words,
                    content,
                    plain,
                });
                counts.push(0);
                units.len() - 1
            });
            counts[id] += 1;
        };
        let mut k = 0;
        while k < keys.len() {
            let Some(a) = &keys[k] else {
                k += 1;
                continue;
            };
            if let Some(Some(b)) = keys.get(k + 1)
                && bigrams.get(&(a.as_str(), b.as_str())).copied().unwrap_or(0) >= 2
            {
                let text = format!("{} {}", display(a), display(b));
                add(format!("{a} {b}"), text, 2, true);
                k += 2;
                continue;
            }
            add(a.clone(), display(a), 1, is_content(a));
            k += 1;
        }
        // Most frequent first, so the hot part of the tables is compact.
        let mut order: Vec<usize> = (0..units.len()).collect();
        order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
        Vocab {
            units: order.iter().map(|&k| units[k].clone()).collect(),
            counts: order.iter().map(|&k| counts[k]).collect(),
        }
    }
}

/// Appends the word tokens of `text` to `out`, with `None` at breaks.
fn tokenize<'a>(text: &'a str, out: &mut Vec<Option<&'a str>>) {
    fn word_char(c: char) -> bool {
        c.is_alphanumeric() || c == '-' || c == '\''
    }
    out.push(None);
    let mut brk = false;
    for chunk in text.split_whitespace() {
        // URLs and LaTeX (`$\leq$`, `34.57\%`) carry no usable words.
        if chunk.contains("://") || chunk.contains("www.") || chunk.contains('\\') {
            brk = true;
            continue;
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            let Some(start) = rest.find(word_char) else {
                brk = true;
                break;
            };
            brk |= start > 0;
            rest = &rest[start..];
            let end = rest.find(|c: char| !word_char(c)).unwrap_or(rest.len());
            let run = &rest[..end];
            rest = &rest[end..];

            let leading = run.trim_start_matches(['-', '\'']);
            brk |= leading.len() != run.len();
            let trimmed = leading.trim_end_matches(['-', '\'']);
            let trailing = trimmed.len() != leading.len();
            let (word, cut) = match trimmed.find('\'') {
                Some(p) => (trimmed[..p].trim_end_matches('-'), true),
                None => (trimmed, false),
            };
            if valid_token(word) {
                if brk {
                    out.push(None);
                }
                out.push(Some(word));
                brk = false;
            } else {
                brk = true;
            }
            brk |= cut || trailing || !rest.is_empty();
        }
    }
}

/// Words of letters (hyphenated parts allowed), or short letter/digit mixes
/// such as `2D`; no pure numbers, no long codes like `Text2MDT`.
fn valid_token(word: &str) -> bool {
    let n = word.chars().count();
    if n == 0 || n > 24 {
        return false;
    }
    if n == 1 {
        return word == "a" || word == "A";
    }
    word.split('-').all(|part| {
        !part.is_empty()
            && (part.chars().all(char::is_alphabetic)
                || (part.chars().count() <= 3
                    && part.chars().any(char::is_alphabetic)
                    && part.chars().all(char::is_alphanumeric)))
    })
}

fn is_marked(surface: &str) -> bool {
    surface
        .split('-')
        .any(|part| part.chars().skip(1).any(char::is_uppercase))
}

fn is_stopword(key: &str) -> bool {
    STOPWORDS.contains(&key)
}

fn is_content(key: &str) -> bool {
    !is_stopword(key) && key.chars().count() >= 2
}

/// Joins `parts` with a single allocation.
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Appends `n` in decimal, zero-padded to `width` digits.
fn push_number(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in digits.len() - k..width {
        out.push('0');
    }
    for &d in &digits[k..] {
        out.push(char::from(d));
    }
}

/// Capitalizes the first letter of `text` while appending it.
fn push_capitalized(out: &mut String, text: &str) {
    let mut chars = text.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// Appends `text` in Title Case: small words stay lowercase unless first;
/// each hyphen part is capitalized; acronyms keep their case.
fn push_title_words(out: &mut String, text: &str, mut first: bool) {
    for word in text.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        for (k, part) in word.split('-').enumerate() {
            if k > 0 {
                out.push('-');
            }
            if (k > 0 || !first) && part.len() <= 7 && SMALL_WORDS.contains(&part) {
                out.push_str(part);
            } else {
                push_capitalized(out, part);
            }
        }
        first = false;
    }
}

/// Appends a capitalized piece of a plain word to a coined name.
fn name_part(out: &mut String, word: &str) {
    let piece = if word.len() <= 6 { word } else { &word[..5] };
    push_capitalized(out, piece);
}

fn author_list(rng: &mut Rng) -> (Vec<String>, &'static str) {
    let n = match rng.below(100) {
        0..6 => 1,
        6..20 => 2,
        20..40 => 3,
        40..60 => 4,
        60..76 => 5,
        76..87 => 6,
        87..94 => 7,
        _ => 8,
    };
    let mut authors: Vec<String> = Vec::with_capacity(n);
    let mut first_family = FAMILY_NAMES[0];
    for _ in 0..n {
        for _attempt in 0..8 {
            let given = rng.pick(&GIVEN_NAMES);
            let family = rng.pick(&FAMILY_NAMES);
            let name = concat(&[given, " ", family]);
            if !authors.contains(&name) {
                if authors.is_empty() {
                    first_family = family;
                }
                authors.push(name);
                break;
            }
        }
    }
    (authors, first_family)
}

fn tags(rng: &mut Rng, topic: u32, domain: &'static str) -> Vec<String> {
    let budget = match rng.below(100) {
        0..40 => 0,
        40..75 => 1,
        75..92 => 2,
        _ => 3,
    };
    let mut tags: Vec<String> = Vec::with_capacity(3);
    if rng.chance(20) {
        tags.push(format!("topic-{topic}"));
    }
    let want = budget.max(tags.len());
    for _ in 0..8 {
        if tags.len() >= want {
            break;
        }
        let tag = if rng.chance(50) {
            domain
        } else {
            rng.pick(&TAGS)
        };
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    tags
}

/// 5–12 whole words of `text`, without trailing punctuation.
fn highlight<'a>(rng: &mut Rng, text: &'a str) -> &'a str {
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(256);
    let mut start = None;
    for (pos, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(pos),
            (true, Some(s)) => {
                spans.push((s, pos));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    if spans.is_empty() {
        return text;
    }
    let len = rng.range(5, 12).min(spans.len());
    let first = rng.below((spans.len() - len + 1) as u64) as usize;
    text[spans[first].0..spans[first + len - 1].1].trim_end_matches([',', '.'])
}

/// One edit of `word` (ASCII lowercase): substitution, transposition or
/// deletion, never of the first letter.
fn misspell(rng: &mut Rng, word: &str) -> String {
    let mut bytes = word.as_bytes().to_vec();
    let pos = rng.range(1, bytes.len() - 1);
    match rng.below(3) {
        0 if pos + 1 < bytes.len() && bytes[pos] != bytes[pos + 1] => bytes.swap(pos, pos + 1),
        1 => {
            bytes.remove(pos);
        }
        _ => {
            let old = bytes[pos];
            let mut new = old;
            while new == old {
                new = b'a' + rng.below(26) as u8;
            }
            bytes[pos] = new;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Lowercase ASCII form of a family name for URLs (`Müller` → `muller`).
fn ascii_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'a'..='z' => c,
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'ı' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' | 'č' | 'ć' => 'c',
            'ś' | 'š' | 'ş' => 's',
            'ř' => 'r',
            'ł' => 'l',
            'ž' | 'ź' | 'ż' => 'z',
            'ğ' => 'g',
            'ý' => 'y',
            _ => continue,
        };
        out.push(folded);
    }
    out
}

/// arXiv slots per month of `year`: 15,000 in 2015 growing to 95,000.
fn month_capacity(year: i32) -> u64 {
    15_000 + 8_000 * (year - FIRST_YEAR) as u64
}

/// Words of a pool paper, for queries.
struct PoolPaper {
    title_words: Vec<String>,
    words: Vec<String>,
    collocations: Vec<String>,
    pairs: Vec<String>,
    families: Vec<String>,
    year: i32,
    tags: Vec<String>,
}

impl PoolPaper {
    fn new(corpus: &Corpus, paper: &CorpusPaper) -> PoolPaper {
        let vocab_word = |chunk: &str| -> Option<String> {
            let word = chunk.trim_end_matches([',', '.', ':']).to_lowercase();
            corpus
                .index
                .get(&word)
                .filter(|&&id| corpus.unit(id).plain)
                .map(|_| word)
        };
        let p = &paper.paper;
        let title_words: Vec<String> = p.title.split_whitespace().filter_map(vocab_word).collect();
        let mut words = title_words.clone();
        let mut collocations = Vec::new();
        let mut pairs = Vec::new();
        let chunks: Vec<&str> = p
            .abstract_text
            .split_whitespace()
            .filter(|c| !c.contains("://"))
            .collect();
        for (k, chunk) in chunks.iter().enumerate() {
            let Some(word) = vocab_word(chunk) else {
                continue;
            };
            words.push(word.clone());
            let ends_clean = chunk.bytes().all(|b| b.is_ascii_alphabetic());
            if let (true, Some(next)) =
                (ends_clean, chunks.get(k + 1).copied().and_then(vocab_word))
            {
                let pair = format!("{word} {next}");
                if corpus.index.contains_key(&pair) {
                    collocations.push(pair);
                } else {
                    pairs.push(pair);
                }
            }
        }
        let families = p
            .authors
            .iter()
            .filter_map(|a| a.rsplit(' ').next())
            .map(str::to_lowercase)
            .collect();
        PoolPaper {
            title_words,
            words,
            collocations,
            pairs,
            families,
            year: p.year.unwrap_or(FIRST_YEAR),
            tags: p.tags.clone(),
        }
    }
}

/// SplitMix64 step.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn mix(x: u64) -> u64 {
    let mut state = x;
    splitmix(&mut state)
}

/// xoshiro256** seeded through SplitMix64.
#[derive(Debug, Clone)]
struct Rng([u64; 4]);

impl Rng {
    fn from_u64(seed: u64) -> Rng {
        let mut state = seed;
        Rng([
            splitmix(&mut state),
            splitmix(&mut state),
            splitmix(&mut state),
            splitmix(&mut state),
        ])
    }

    /// An independent stream for item `index` of kind `salt`.
    fn stream(seed: u64, salt: u64, index: u64) -> Rng {
        Rng::from_u64(mix(mix(seed ^ salt).wrapping_add(index)))
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-high.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below((hi - lo + 1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// Two independent values in `0..100` from one draw.
    fn two_percents(&mut self) -> (u64, u64) {
        let r = self.next_u64();
        (((r >> 32) * 100) >> 32, ((r & 0xFFFF_FFFF) * 100) >> 32)
    }

    /// A uniform element of a non-empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A uniform element of a non-empty slice of `Copy` values.
    fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick(items)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for k in (1..items.len()).rev() {
            let j = self.below(k as u64 + 1) as usize;
            items.swap(k, j);
        }
    }
}

/// Walker/Vose alias table over `values`, with integer thresholds so
/// sampling is O(1), takes one random number, and is identical on every
/// platform.
#[derive(Debug, Clone)]
struct Alias<T> {
    entries: Vec<AliasEntry<T>>,
}

#[derive(Debug, Clone, Copy)]
struct AliasEntry<T> {
    /// Keep `value` when the fractional draw is below this (out of 2^64).
    threshold: u64,
    value: T,
    alias: T,
}

impl<T: Copy> Alias<T> {
    /// `weights` (one per value) must be non-empty with a positive sum,
    /// which holds for every table built from the seed.
    fn new(weights: &[u64], values: &[T]) -> Alias<T> {
        let n = weights.len();
        let full = u128::from(weights.iter().sum::<u64>().max(1));
        let mut scaled: Vec<u128> = weights.iter().map(|&w| u128::from(w) * n as u128).collect();
        let mut entries: Vec<AliasEntry<T>> = values
            .iter()
            .map(|&value| AliasEntry {
                threshold: u64::MAX,
                value,
                alias: value,
            })
            .collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&k| scaled[k] < full);
        while let (Some(s), Some(l)) = (small.pop(), large.pop()) {
            entries[s].threshold = ((scaled[s] << 64) / full) as u64;
            entries[s].alias = values[l];
            scaled[l] = scaled[l] + scaled[s] - full;
            if scaled[l] < full {
                small.push(l);
            } else {
                large.push(l);
            }
        }
        Alias { entries }
    }

    fn sample(&self, rng: &mut Rng) -> T {
        let wide = u128::from(rng.next_u64()) * self.entries.len() as u128;
        let entry = &self.entries[(wide >> 64) as usize];
        if (wide as u64) < entry.threshold {
            entry.value
        } else {
            entry.alias
        }
    }
}

/// A bijection of `0..domain` (`x ↦ a·x + b mod domain`, `a` coprime with
/// the domain and near `domain/φ` so consecutive indices spread evenly);
/// values outside the domain map to themselves.
#[derive(Debug, Clone, Copy)]
struct Shuffle {
    domain: u64,
    mul: u64,
    add: u64,
}

impl Shuffle {
    fn new(domain: u64, seed: u64, salt: u64) -> Shuffle {
        let domain = domain.max(1);
        let mut rng = Rng::stream(seed, salt, 0);
        let golden = ((u128::from(domain) * 0x9E37_79B9_7F4A_7C15) >> 64) as u64;
        let mut mul = golden + rng.below(domain / 1000 + 1);
        while gcd(mul, domain) != 1 {
            mul += 1;
        }
        Shuffle {
            domain,
            mul,
            add: rng.below(domain),
        }
    }

    fn apply(&self, x: u64) -> u64 {
        if x >= self.domain {
            return x;
        }
        ((u128::from(x) * u128::from(self.mul) + u128::from(self.add)) % u128::from(self.domain))
            as u64
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

const TAGS: [&str; 8] = [
    "to-read",
    "survey",
    "benchmark",
    "vision",
    "nlp",
    "audio",
    "robotics",
    "theory",
];

const DOMAIN_TAGS: [&str; 5] = ["vision", "nlp", "audio", "robotics", "theory"];

/// Title connectors before the unique suffix; all are stopwords, so never
/// part of the suffix alphabet.
const CONNECTORS: [&str; 9] = [
    "for", "for", "for", "with", "in", "via", "from", "through", "towards",
];

const JOINERS: [&str; 6] = ["of", "and", "with", "for", "in", "on"];

const SMALL_WORDS: [&str; 22] = [
    "a", "an", "the", "of", "for", "with", "and", "in", "on", "to", "from", "by", "via", "at",
    "as", "or", "through", "towards", "into", "over", "without", "vs",
];

/// Sentence openers and their word counts.
const OPENERS: [(&str, usize); 16] = [
    ("In this paper, we propose", 5),
    ("In this work, we", 4),
    ("We introduce", 2),
    ("We propose", 2),
    ("We show that", 3),
    ("However,", 1),
    ("Moreover,", 1),
    ("Specifically,", 1),
    ("To address this,", 3),
    ("Experiments on", 2),
    ("Our results show that", 4),
    ("Unlike prior work,", 3),
    ("Recent work on", 3),
    ("Building on", 2),
    ("Furthermore,", 1),
    ("As a result,", 3),
];

const NAME_SUFFIXES: [&str; 10] = [
    "Former", "Net", "BERT", "GPT", "-LM", "Gen", "Bench", "3D", "Fusion", "Mix",
];

const DOI_REGISTRANTS: [&str; 10] = [
    "1109", "1145", "1007", "1016", "18653", "1038", "48550", "1162", "1613", "3390",
];

const VENUES: [&str; 12] = [
    "cvpr", "iccv", "neurips", "acl", "emnlp", "tpami", "jmlr", "icml", "iclr", "naacl", "tacl",
    "aaai",
];

const STOPWORDS: [&str; 158] = [
    "a", "about", "above", "across", "after", "again", "against", "all", "almost", "along", "also",
    "although", "always", "among", "an", "and", "another", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "down", "during", "each", "either", "even", "every", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "less",
    "many", "may", "might", "more", "most", "much", "must", "neither", "no", "nor", "not", "now",
    "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other", "our", "ours", "out",
    "over", "own", "per", "rather", "same", "several", "she", "should", "since", "so", "some",
    "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they",
    "this", "those", "though", "through", "thus", "to", "too", "toward", "towards", "two", "under",
    "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what", "when",
    "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "would", "yet", "you", "your", "three", "vs", "etc",
];

const GIVEN_NAMES: [&str; 215] = [
    // Chinese
    "Wei",
    "Jing",
    "Xin",
    "Hao",
    "Lei",
    "Jie",
    "Min",
    "Hui",
    "Tao",
    "Fang",
    "Qiang",
    "Ying",
    "Zhen",
    "Bo",
    "Yan",
    "Lu",
    "Kai",
    "Rui",
    "Yi",
    "Ming",
    "Xiaoyu",
    "Yuxuan",
    "Zihan",
    "Haoran",
    "Siyu",
    "Jiayi",
    "Chenxi",
    "Yiming",
    "Shuo",
    "Peng",
    // Japanese
    "Haruto",
    "Yuki",
    "Sora",
    "Kenji",
    "Aiko",
    "Takumi",
    "Naoki",
    "Rina",
    "Hiroshi",
    "Emi",
    "Kaito",
    "Sakura",
    // Korean
    "Minjun",
    "Jiwoo",
    "Seojun",
    "Hyunwoo",
    "Jisoo",
    "Doyun",
    "Eunji",
    "Sungmin",
    "Jihoon",
    "Soyeon",
    // South Asian
    "Arjun",
    "Priya",
    "Rahul",
    "Ananya",
    "Vikram",
    "Sneha",
    "Rohan",
    "Kavya",
    "Aditya",
    "Neha",
    "Sanjay",
    "Deepa",
    "Karthik",
    "Meera",
    "Nikhil",
    "Pooja",
    "Varun",
    "Shreya",
    "Abhishek",
    "Divya",
    "Farhan",
    "Nusrat",
    "Imran",
    // Middle East and North Africa
    "Omar",
    "Layla",
    "Youssef",
    "Fatima",
    "Karim",
    "Amira",
    "Hassan",
    "Nour",
    "Tariq",
    "Salma",
    "Khalid",
    "Yasmin",
    "Rami",
    "Leila",
    // Persian and Turkish
    "Reza",
    "Parisa",
    "Ali",
    "Maryam",
    "Amir",
    "Nazanin",
    "Dariush",
    "Shirin",
    "Emre",
    "Zeynep",
    "Mehmet",
    "Elif",
    "Burak",
    "Ayşe",
    "Can",
    "Deniz",
    // Sub-Saharan Africa
    "Kwame",
    "Amara",
    "Chinedu",
    "Thandiwe",
    "Kofi",
    "Zainab",
    "Tunde",
    "Ngozi",
    "Sipho",
    "Ayodele",
    "Abebe",
    "Wanjiru",
    "Femi",
    "Nia",
    // Europe
    "Lukas",
    "Anna",
    "Matteo",
    "Giulia",
    "Pierre",
    "Camille",
    "Lars",
    "Ingrid",
    "Jan",
    "Katarzyna",
    "Piotr",
    "Elena",
    "Dmitri",
    "Olga",
    "Nikolai",
    "Sofia",
    "Inês",
    "José",
    "Lucía",
    "Javier",
    "Carmen",
    "Søren",
    "Zoë",
    "François",
    "Hélène",
    "Jürgen",
    "Björn",
    "Émile",
    "Ana",
    "Marco",
    "Francesca",
    "Luca",
    "Chiara",
    "Hugo",
    "Léa",
    "Maximilian",
    "Hanna",
    "Erik",
    "Astrid",
    "Mikko",
    "Aino",
    "Tomasz",
    "Magdalena",
    "Andrei",
    "Ioana",
    "Nikos",
    "Eleni",
    "Pedro",
    "Joana",
    "Sven",
    // English-speaking countries
    "James",
    "Emily",
    "Michael",
    "Sarah",
    "David",
    "Laura",
    "Daniel",
    "Rachel",
    "Kevin",
    "Megan",
    "Ryan",
    "Jessica",
    "Andrew",
    "Hannah",
    "Thomas",
    "Olivia",
    "Samuel",
    "Grace",
    "Benjamin",
    "Chloe",
    "Noah",
    "Ethan",
    "Abigail",
    "Jacob",
    // Latin America
    "Diego",
    "Valentina",
    "Santiago",
    "Camila",
    "Mateo",
    "Isabela",
    "Rafael",
    "Gabriela",
    "Andrés",
    "Martina",
    "Joaquín",
    "Florencia",
    // South-East Asia
    "Minh",
    "Linh",
    "Tuan",
    "Huong",
    "Quang",
    "Thao",
    "Budi",
    "Siti",
    "Ramon",
    "Maria",
];

const FAMILY_NAMES: [&str; 310] = [
    // Chinese
    "Zhang",
    "Wang",
    "Li",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Gao",
    "Luo",
    "Zheng",
    "Liang",
    "Xie",
    "Song",
    "Tang",
    "Han",
    "Feng",
    "Deng",
    "Cao",
    "Peng",
    "Zeng",
    "Xiao",
    "Tian",
    "Dong",
    "Pan",
    "Yuan",
    "Cai",
    "Jiang",
    "Yu",
    "Du",
    "Ye",
    "Cheng",
    "Wei",
    "Su",
    "Lu",
    "Ding",
    "Ren",
    "Shen",
    "Yao",
    "Fu",
    "Zhong",
    "Jin",
    "Qian",
    "Shi",
    "Xiong",
    "Meng",
    "Qin",
    "Bai",
    "Wen",
    "Kong",
    // Korean
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Jung",
    "Kang",
    "Cho",
    "Yoon",
    "Jang",
    "Lim",
    "Shin",
    "Seo",
    "Kwon",
    "Hwang",
    // Japanese
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Watanabe",
    "Ito",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Matsumoto",
    "Inoue",
    "Kimura",
    "Hayashi",
    "Shimizu",
    "Mori",
    "Ikeda",
    // South Asian
    "Sharma",
    "Patel",
    "Gupta",
    "Singh",
    "Kumar",
    "Reddy",
    "Iyer",
    "Nair",
    "Rao",
    "Mehta",
    "Joshi",
    "Agarwal",
    "Banerjee",
    "Chatterjee",
    "Mukherjee",
    "Das",
    "Bose",
    "Menon",
    "Pillai",
    "Verma",
    "Malhotra",
    "Kapoor",
    "Bhat",
    "Desai",
    "Kulkarni",
    // Vietnamese
    "Nguyen",
    "Tran",
    "Le",
    "Pham",
    "Hoang",
    "Vu",
    "Dang",
    "Bui",
    "Do",
    "Ngo",
    // Arabic, Persian, Turkish
    "Haddad",
    "Khalil",
    "Mansour",
    "Nasser",
    "Saleh",
    "Hamdan",
    "Aziz",
    "Farouk",
    "Rahman",
    "Hussein",
    "Qureshi",
    "Hosseini",
    "Ahmadi",
    "Karimi",
    "Moradi",
    "Rezaei",
    "Jafari",
    "Sadeghi",
    "Tehrani",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Öztürk",
    "Aydin",
    // Sub-Saharan Africa
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Nkosi",
    "Okonkwo",
    "Abara",
    "Diallo",
    "Traoré",
    "Kamara",
    "Mwangi",
    "Otieno",
    "Boateng",
    "Asante",
    "Eze",
    "Balogun",
    // German, French, Italian
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Dubois",
    "Martin",
    "Bernard",
    "Moreau",
    "Laurent",
    "Lefèvre",
    "Girard",
    "Rousseau",
    "Fontaine",
    "Mercier",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    // Spanish, Portuguese
    "García",
    "Fernández",
    "González",
    "Rodríguez",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Díaz",
    "Moreno",
    "Muñoz",
    "Álvarez",
    "Navarro",
    "Silva",
    "Santos",
    "Oliveira",
    "Souza",
    "Costa",
    "Pereira",
    "Almeida",
    "Ferreira",
    "Carvalho",
    // Dutch, Nordic, Eastern Europe, Greek, Irish
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Nielsen",
    "Hansen",
    "Jensen",
    "Andersen",
    "Johansson",
    "Andersson",
    "Karlsson",
    "Nilsson",
    "Virtanen",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Kowalczyk",
    "Novák",
    "Horváth",
    "Nagy",
    "Popescu",
    "Ivanov",
    "Petrov",
    "Smirnov",
    "Volkov",
    "Kuznetsov",
    "Dvořák",
    "Papadopoulos",
    "Georgiou",
    "Murphy",
    "Kelly",
    "Walsh",
    "Byrne",
    // English-speaking countries
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    // Elsewhere
    "Cohen",
    "Levi",
    "Friedman",
    "Katz",
    "Wijaya",
    "Santoso",
    "Reyes",
    "Cruz",
    "Bautista",
    "Hidayat",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn normalize(title: &str) -> String {
        title
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn content_words(text: &str) -> HashSet<String> {
        text.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 3 && !is_stopword(w))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn deterministic() {
        let a = Corpus::new(42, DEFAULT_TOPICS);
        let b = Corpus::new(42, DEFAULT_TOPICS);
        let c = Corpus::new(43, DEFAULT_TOPICS);
        let first: Vec<CorpusPaper> = a.papers(300).collect();
        assert_eq!(first, b.papers(300).collect::<Vec<_>>());
        assert_eq!(a.paper(123_456), b.paper(123_456));
        assert_eq!(first[250], a.paper(250));
        let differing = first
            .iter()
            .zip(c.papers(300))
            .filter(|(x, y)| x.paper.abstract_text != y.paper.abstract_text)
            .count();
        assert_eq!(differing, 300);
        assert_eq!(a.queries(20), b.queries(20));
        assert_ne!(a.queries(20), c.queries(20));
    }

    /// FNV-1a over every field, so any change in the output (or a platform
    /// difference) shows up.
    fn fingerprint(papers: &[CorpusPaper]) -> u64 {
        let mut hash = 0xcbf2_9ce4_8422_2325u64;
        let mut feed = |s: &str| {
            for b in s.bytes().chain([0xff]) {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        for cp in papers {
            let p = &cp.paper;
            feed(&p.title);
            feed(&p.abstract_text);
            p.authors.iter().for_each(|a| feed(a));
            feed(&format!("{:?}", p.year));
            feed(p.doi.as_deref().unwrap_or("-"));
            feed(p.arxiv.as_deref().unwrap_or("-"));
            p.links.iter().for_each(|l| feed(&l.url));
            p.tags.iter().for_each(|t| feed(t));
            feed(&p.source);
            feed(&cp.topic.to_string());
            feed(cp.note.as_deref().unwrap_or("-"));
            feed(cp.highlight.as_deref().unwrap_or("-"));
        }
        hash
    }

    #[test]
    fn output_is_pinned() {
        let corpus = Corpus::new(42, DEFAULT_TOPICS);
        let papers: Vec<CorpusPaper> = corpus.papers(200).collect();
        // Update deliberately when the generator changes: benchmark
        // baselines depend on it.
        assert_eq!(fingerprint(&papers), 0xf182_d3fd_7364_e0ba);
    }

    #[test]
    fn unique_identifiers_and_shape() {
        let corpus = Corpus::new(1, DEFAULT_TOPICS);
        let n = 20_000;
        let (mut titles, mut arxiv, mut doi) = (HashSet::new(), HashSet::new(), HashSet::new());
        let mut counts = HashMap::<&str, usize>::new();
        for (i, cp) in corpus.papers(n).enumerate() {
            let p = &cp.paper;
            assert!(
                titles.insert(normalize(&p.title)),
                "duplicate title {}",
                p.title
            );
            if let Some(id) = &p.arxiv {
                assert!(arxiv.insert(id.clone()), "duplicate arXiv id {id}");
                let (yymm, serial) = id.split_once('.').expect("arXiv id has a dot");
                assert_eq!(yymm.len(), 4);
                assert!(serial.len() >= 5);
                let yy: i32 = yymm[..2].parse().expect("numeric year");
                assert_eq!(2000 + yy, p.year.expect("year"));
                *counts.entry("arxiv").or_default() += 1;
            }
            if let Some(d) = &p.doi {
                assert!(d.starts_with("10.") && d.contains('/'));
                assert!(doi.insert(d.clone()), "duplicate DOI {d}");
                *counts.entry("doi").or_default() += 1;
            }
            assert_eq!(p.source, format!("synthetic:{i}"));
            let words = p.abstract_text.split_whitespace().count();
            assert!((120..=250).contains(&words), "{words} words");
            let title_words = p.title.split_whitespace().count();
            assert!((6..=14).contains(&title_words), "{}", p.title);
            assert!((1..=8).contains(&p.authors.len()));
            assert!(p.authors.iter().all(|a| a.split(' ').count() == 2));
            assert!((2015..=2025).contains(&p.year.expect("year")));
            assert!(p.tags.len() <= 3);
            assert!(p.abstract_text.ends_with('.'));
            for sentence in p.abstract_text.split(". ") {
                let c = sentence.chars().next().expect("non-empty sentence");
                assert!(!c.is_lowercase(), "{sentence}");
            }
            for link in &p.links {
                assert!(p.abstract_text.contains(&link.url));
                assert_eq!(LinkKind::classify(&link.url), link.kind);
                *counts.entry(link.kind.as_str()).or_default() += 1;
            }
            if p.tags.iter().any(|t| t.starts_with("topic-")) {
                assert_eq!(p.tags[0], format!("topic-{}", cp.topic));
                *counts.entry("topic-tag").or_default() += 1;
            }
            if let Some(h) = &cp.highlight {
                assert!(p.abstract_text.contains(h.as_str()));
                let at = p.abstract_text.find(h.as_str()).expect("substring");
                assert!(at == 0 || p.abstract_text.as_bytes()[at - 1] == b' ');
                assert!((5..=12).contains(&h.split_whitespace().count()), "{h}");
                *counts.entry("highlight").or_default() += 1;
            }
            if cp.note.is_some() {
                *counts.entry("note").or_default() += 1;
            }
        }
        let share = |key: &str| counts.get(key).copied().unwrap_or(0) * 100 / n as usize;
        assert!((57..=63).contains(&share("arxiv")));
        assert!((47..=53).contains(&share("doi")));
        assert!((27..=33).contains(&share("code")));
        assert!((4..=6).contains(&share("dataset")));
        assert!((17..=23).contains(&share("topic-tag")));
        assert!((8..=12).contains(&share("highlight")));
        assert!((8..=12).contains(&share("note")));
    }

    #[test]
    fn titles_stay_unique_beyond_the_suffix_capacity() {
        let corpus = Corpus::new(5, 10);
        let p = corpus.suffix_alphabet.len() as u64;
        let base = p * p - 3;
        let titles: HashSet<String> = (base..base + 6)
            .chain([3, 3 + p * p, 3 + 2 * p * p, u64::MAX])
            .map(|i| normalize(&corpus.paper(i).paper.title))
            .collect();
        assert_eq!(titles.len(), 10);
        assert!(
            corpus
                .paper(u64::MAX)
                .paper
                .arxiv
                .is_none_or(|id| id.len() > 11)
        );
    }

    #[test]
    fn same_topic_papers_share_more_words() {
        let corpus = Corpus::new(9, 40);
        let papers: Vec<(u32, HashSet<String>)> = corpus
            .papers(2_000)
            .map(|cp| {
                let text = format!("{} {}", cp.paper.title, cp.paper.abstract_text);
                (cp.topic, content_words(&text))
            })
            .collect();
        let jaccard = |a: &HashSet<String>, b: &HashSet<String>| {
            a.intersection(b).count() as f64 / a.union(b).count() as f64
        };
        let (mut within, mut across) = ((0.0, 0), (0.0, 0));
        for i in 0..400 {
            for j in i + 1..400 {
                let score = jaccard(&papers[i].1, &papers[j].1);
                let bucket = if papers[i].0 == papers[j].0 {
                    &mut within
                } else {
                    &mut across
                };
                bucket.0 += score;
                bucket.1 += 1;
            }
        }
        let within = within.0 / within.1 as f64;
        let across = across.0 / across.1 as f64;
        assert!(
            within > 2.0 * across,
            "within {within:.3}, across {across:.3}"
        );
    }

    #[test]
    fn tfidf_neighbours_share_the_topic() {
        let corpus = Corpus::new(11, 50);
        let docs: Vec<(u32, HashMap<String, f64>)> = corpus
            .papers(3_000)
            .map(|cp| {
                let text = format!("{} {}", cp.paper.title, cp.paper.abstract_text);
                let mut tf = HashMap::new();
                for w in text
                    .to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.len() >= 2)
                {
                    *tf.entry(w.to_string()).or_insert(0.0) += 1.0;
                }
                (cp.topic, tf)
            })
            .collect();
        let mut df: HashMap<&str, f64> = HashMap::new();
        for (_, tf) in &docs {
            for w in tf.keys() {
                *df.entry(w).or_insert(0.0) += 1.0;
            }
        }
        let n = docs.len() as f64;
        let vectors: Vec<HashMap<&str, f64>> = docs
            .iter()
            .map(|(_, tf)| {
                let mut v: HashMap<&str, f64> = tf
                    .iter()
                    .map(|(w, c)| (w.as_str(), c * (n / df[w.as_str()]).ln()))
                    .collect();
                let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
                v.values_mut().for_each(|x| *x /= norm);
                v
            })
            .collect();
        let mut hits = 0;
        let queries = 40;
        for q in 0..queries {
            let mut scores: Vec<(f64, usize)> = (0..docs.len())
                .filter(|&d| d != q)
                .map(|d| {
                    let s = vectors[q]
                        .iter()
                        .filter_map(|(w, x)| vectors[d].get(w).map(|y| x * y))
                        .sum::<f64>();
                    (s, d)
                })
                .collect();
            scores.sort_by(|a, b| b.0.total_cmp(&a.0));
            hits += scores[..10]
                .iter()
                .filter(|(_, d)| docs[*d].0 == docs[q].0)
                .count();
        }
        let precision = hits as f64 / (queries * 10) as f64;
        assert!(precision >= 0.8, "precision@10 {precision:.2}");
    }

    #[test]
    fn queries_use_corpus_words() {
        let corpus = Corpus::new(3, DEFAULT_TOPICS);
        let q = corpus.queries(40);
        assert_eq!(q.terms.len(), 40);
        assert_eq!(q.phrases.len(), 40);
        assert_eq!(q.typos.len(), 40);
        assert_eq!(q.fields.len(), 40);
        assert!(q.prefixes.len() > 40);
        assert_eq!(corpus.queries(10).terms, q.terms[..10]);

        let papers: Vec<CorpusPaper> = corpus.papers(QUERY_POOL).collect();
        let mut words = HashSet::new();
        let mut titles = HashSet::new();
        let mut text = String::new();
        for cp in &papers {
            words.extend(content_words(&cp.paper.abstract_text));
            words.extend(content_words(&cp.paper.title));
            titles.extend(content_words(&cp.paper.title));
            text.push_str(&cp.paper.abstract_text.to_lowercase());
            text.push('\n');
        }
        for term in &q.terms {
            let n = term.split(' ').count();
            assert!((1..=3).contains(&n), "{term}");
            for w in term.split(' ') {
                assert!(words.contains(w), "{w} does not occur");
            }
        }
        for phrase in &q.phrases {
            let inner = phrase
                .strip_prefix('"')
                .and_then(|p| p.strip_suffix('"'))
                .expect("quoted");
            assert_eq!(inner.split(' ').count(), 2);
            assert!(text.contains(inner), "{phrase} does not occur");
        }
        assert!(
            q.phrases
                .iter()
                .any(|p| corpus.index.contains_key(p.trim_matches('"')))
        );
        for pair in q.prefixes.windows(2) {
            if pair[1].len() > pair[0].len() {
                assert!(pair[1].starts_with(pair[0].as_str()));
            }
            assert!(!pair[1].ends_with(' '));
        }
        assert_eq!(q.typo_words.len(), q.typos.len());
        for (typo, word) in q.typos.iter().zip(&q.typo_words) {
            assert!(words.contains(word), "{word} does not occur");
            assert!(
                typo.len() >= 5 && !corpus.index.contains_key(typo),
                "{typo}"
            );
        }
        for (k, field) in q.fields.iter().enumerate() {
            let (name, value) = field.split_once(':').expect("field:value");
            assert_eq!(name, ["title", "author", "year", "tag"][k % 4]);
            match name {
                "title" => assert!(titles.contains(value), "{field}"),
                "year" => assert!((2015..=2025).contains(&value.parse::<i32>().expect("year"))),
                "author" => assert!(
                    papers.iter().any(|cp| cp
                        .paper
                        .authors
                        .iter()
                        .any(|a| a.to_lowercase().ends_with(&format!(" {value}")))),
                    "{field}"
                ),
                _ => assert!(
                    papers
                        .iter()
                        .any(|cp| cp.paper.tags.iter().any(|t| t == value)),
                    "{field}"
                ),
            }
        }
    }

    #[test]
    fn vocabulary_follows_the_seed() {
        let corpus = Corpus::new(0, DEFAULT_TOPICS);
        assert!(corpus.units.iter().any(|u| u.key == "language models"));
        assert!(corpus.units.iter().any(|u| u.text == "BERT"));
        assert!(
            corpus.suffix_alphabet.len() >= 1_000,
            "{}",
            corpus.suffix_alphabet.len()
        );
        assert!(
            corpus
                .topics
                .iter()
                .all(|t| (30..=60).contains(&t.alias.entries.len()))
        );
        assert!(CONNECTORS.iter().all(|c| is_stopword(c)));
        assert_eq!(ascii_slug("Wiśniewski"), "wisniewski");
        let given: HashSet<_> = GIVEN_NAMES.iter().collect();
        let family: HashSet<_> = FAMILY_NAMES.iter().collect();
        assert_eq!(given.len(), GIVEN_NAMES.len());
        assert_eq!(family.len(), FAMILY_NAMES.len());
        assert!(FAMILY_NAMES.iter().all(|f| !ascii_slug(f).is_empty()));
    }
}
