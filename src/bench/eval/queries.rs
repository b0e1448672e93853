//! The known-item queries of the evaluation, each made from one paper (its
//! target): three words of its abstract (exact), the same three plus one
//! plausible word the paper does not hold (loose), and a short description
//! in a reader's words (natural, from a hand-written file).
//!
//! The three words are drawn from the rarer half of the abstract's content
//! words (by document frequency in the collection): a reader remembers a
//! paper by what set it apart, not by `system` or `design`. The extra word
//! of a loose query is a content word of another paper's abstract with
//! about the same document frequency (within a factor of two of the three
//! words' geometric mean), one the target does not hold even by stem,
//! prefix or a one-letter typo.

use std::collections::HashMap;

use crate::bench::corpus::STOPWORDS;
use crate::bench::corpus::random::Rng;
use crate::bench::paper_words::{PaperWords, split_words, stem};
use crate::model::Paper;

/// Random streams of the evaluation ("EVALQ").
const SALT_EVAL: u64 = 0x4556_414c_5108;

/// Papers whose abstract has fewer words are not targets: a short abstract
/// is often a remark, not a summary of the paper.
pub const MIN_ABSTRACT_WORDS: usize = 40;

/// Shortest word taken from an abstract.
const MIN_WORD_LEN: usize = 4;

/// Words frequent in any abstract that nobody remembers a paper by, besides
/// the stop words.
const GENERIC: &[&str] = &[
    "paper",
    "article",
    "report",
    "describe",
    "describes",
    "described",
    "present",
    "presents",
    "presented",
    "discuss",
    "discusses",
    "discussed",
    "show",
    "shows",
    "shown",
    "also",
    "given",
    "used",
    "uses",
    "using",
    "based",
    "make",
    "makes",
    "made",
    "well",
    "first",
    "give",
    "gives",
    "include",
    "includes",
    "including",
    "several",
    "various",
    "certain",
    "within",
    "need",
    "needs",
    "example",
    "examples",
    "work",
    "works",
    "number",
    "possible",
    "approach",
    "method",
    "methods",
    "result",
    "results",
    "new",
    "like",
    "many",
    "author",
    "authors",
    "book",
    "chapter",
    "hence",
    "already",
    "therefore",
    "furthermore",
    "moreover",
    "still",
    "usually",
    "especially",
    "particular",
    "particularly",
    "different",
    "important",
    "available",
    "help",
    "allow",
    "allows",
    "provide",
    "provides",
    "provided",
];

/// The kind of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Exact,
    Loose,
    Natural,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Exact, Kind::Loose, Kind::Natural];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Exact => "exact (3 words of the abstract)",
            Kind::Loose => "loose (the same + 1 word not in the paper)",
            Kind::Natural => "natural (a description in other words)",
        }
    }
}

/// One query and the index (in `papers`) of the paper it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub kind: Kind,
    pub text: String,
    pub target: usize,
}

/// `text` without TeX control words (`\emdash`, `\slash`), which the
/// bibliographies leave in abstracts and no reader would type.
fn without_tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_command = false;
    for c in text.chars() {
        if c == '\\' {
            in_command = true;
            out.push(' ');
        } else if in_command && c.is_ascii_alphabetic() {
            continue;
        } else {
            in_command = false;
            out.push(c);
        }
    }
    out
}

/// The words of an abstract a reader could recall it by: lowercase ASCII
/// letters, at least [`MIN_WORD_LEN`] long, neither stop words nor generic,
/// one per stem, in order of first occurrence.
pub fn content_words(abstract_text: &str) -> Vec<String> {
    let mut stems: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for w in split_words(&without_tex(abstract_text)) {
        if w.len() < MIN_WORD_LEN
            || !w.bytes().all(|b| b.is_ascii_lowercase())
            || STOPWORDS.contains(&w.as_str())
            || GENERIC.contains(&w.as_str())
        {
            continue;
        }
        let s = stem(&w);
        if !stems.contains(&s) {
            stems.push(s);
            out.push(w);
        }
    }
    out
}

/// Which papers are targets: those with an abstract of at least
/// [`MIN_ABSTRACT_WORDS`] words that no other paper shares (the same work
/// listed twice, or one proceedings summary given for each of its articles,
/// cannot be told apart by their text).
pub fn targets(papers: &[Paper]) -> Vec<bool> {
    let key = |p: &Paper| crate::text::normalize_title(&without_tex(&p.abstract_text));
    let mut count: HashMap<String, u32> = HashMap::new();
    for p in papers {
        *count.entry(key(p)).or_insert(0) += 1;
    }
    papers
        .iter()
        .map(|p| {
            p.abstract_text.split_whitespace().count() >= MIN_ABSTRACT_WORDS
                && count.get(&key(p)) == Some(&1)
        })
        .collect()
}

/// Exact and loose queries for every target of `papers`, deterministic
/// from `seed` (each paper has its own random stream, so a paper's queries
/// do not depend on the others').
pub fn known_item(papers: &[Paper], seed: u64) -> Vec<Query> {
    // Document frequency by stem over titles and abstracts.
    let mut df: HashMap<String, u32> = HashMap::new();
    for p in papers {
        let mut stems: Vec<String> = split_words(&p.title)
            .chain(split_words(&p.abstract_text))
            .map(|w| stem(&w))
            .collect();
        stems.sort_unstable();
        stems.dedup();
        for s in stems {
            *df.entry(s).or_insert(0) += 1;
        }
    }
    let df_of = |w: &str| df.get(&stem(w)).copied().unwrap_or(0);
    let words: Vec<Vec<String>> = papers
        .iter()
        .zip(targets(papers))
        .map(|(p, target)| {
            if target {
                content_words(&p.abstract_text)
            } else {
                Vec::new()
            }
        })
        .collect();
    // Candidate extra words: every content word of every target.
    let mut pool: Vec<&str> = words.iter().flatten().map(String::as_str).collect();
    pool.sort_unstable();
    pool.dedup();

    let mut out = Vec::new();
    for (target, (paper, own)) in papers.iter().zip(&words).enumerate() {
        if own.len() < 3 {
            continue;
        }
        let mut rng = Rng::stream(seed, SALT_EVAL, target as u64);
        // The rarer half (ties kept in text order), at least three words.
        let mut by_rarity: Vec<&str> = own.iter().map(String::as_str).collect();
        by_rarity.sort_by_key(|w| df_of(w));
        by_rarity.truncate(by_rarity.len().div_ceil(2).max(3));
        let mut picked: Vec<&str> = Vec::with_capacity(4);
        while picked.len() < 3 {
            let w = *rng.pick(&by_rarity);
            if !picked.contains(&w) {
                picked.push(w);
            }
        }
        out.push(Query {
            kind: Kind::Exact,
            text: picked.join(" "),
            target,
        });
        let held = PaperWords::new(&as_new_paper(paper));
        let typical = geometric_mean(picked.iter().map(|w| df_of(w)));
        if let Some(extra) = extra_word(&mut rng, &pool, &held, typical, &df_of) {
            let at = rng.range(0, picked.len());
            picked.insert(at, extra);
            out.push(Query {
                kind: Kind::Loose,
                text: picked.join(" "),
                target,
            });
        }
    }
    out
}

/// A word of `pool` that the target does not hold, whose document frequency
/// is within a factor of two of `typical` (else the closest of the words
/// tried).
fn extra_word<'a>(
    rng: &mut Rng,
    pool: &[&'a str],
    held: &PaperWords,
    typical: f64,
    df_of: &dyn Fn(&str) -> u32,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for _ in 0..300 {
        let w = *rng.pick(pool);
        if held.holds(w) {
            continue;
        }
        let distance = (f64::from(df_of(w).max(1)) / typical).ln().abs();
        if distance <= std::f64::consts::LN_2 {
            return Some(w);
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, w));
        }
    }
    best.map(|(_, w)| w)
}

fn geometric_mean(values: impl Iterator<Item = u32>) -> f64 {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| {
        (s + f64::from(v.max(1)).ln(), n + 1)
    });
    if n == 0 {
        1.0
    } else {
        (sum / f64::from(n)).exp()
    }
}

/// The searched fields of a stored paper, as the FTS5 peer takes them.
pub fn as_new_paper(p: &Paper) -> crate::model::NewPaper {
    crate::model::NewPaper {
        title: p.title.clone(),
        authors: p.authors.clone(),
        abstract_text: p.abstract_text.clone(),
        tags: p.tags.clone(),
        venue: p.venue.clone(),
        year: p.year,
        ..crate::model::NewPaper::default()
    }
}

/// Parses the descriptions file (`title<TAB>description` lines, `#`
/// comments) into pairs.
pub fn parse_descriptions(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(t, d)| (t.trim().to_string(), d.trim().to_string()))
        .filter(|(t, d)| !t.is_empty() && !d.is_empty())
        .collect()
}

/// Natural queries: each description whose title names a target of
/// `papers`; also returns the titles that named none (or a paper that is
/// not a target).
pub fn natural(papers: &[Paper], descriptions: &[(String, String)]) -> (Vec<Query>, Vec<String>) {
    let by_title: HashMap<String, usize> = papers
        .iter()
        .zip(targets(papers))
        .enumerate()
        .filter(|(_, (_, target))| *target)
        .map(|(i, (p, _))| (crate::text::normalize_title(&p.title), i))
        .collect();
    let mut queries = Vec::new();
    let mut unmatched = Vec::new();
    for (title, text) in descriptions {
        match by_title.get(&crate::text::normalize_title(title)) {
            Some(&target) => queries.push(Query {
                kind: Kind::Natural,
                text: text.clone(),
                target,
            }),
            None => unmatched.push(title.clone()),
        }
    }
    (queries, unmatched)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(title: &str, abstract_text: &str) -> Paper {
        let id = title.to_lowercase().replace(' ', "-");
        Paper::bare(&id, "", title, abstract_text)
    }

    #[test]
    fn content_words_skip_stop_words_tex_and_repeats() {
        let words = content_words(
            "This paper describes hyphenation\\slash justification in the TeX82 system; \
             hyphenating patterns beat a dictionary of words.",
        );
        assert_eq!(
            words,
            [
                "hyphenation",
                "justification",
                "system",
                "patterns",
                "beat",
                "dictionary",
                "words"
            ]
        );
    }

    fn corpus() -> Vec<Paper> {
        let filler = |topic: &str| {
            format!(
                "{topic} is studied at length here with kerning ligatures glyphs outlines \
                 rasters bitmaps printers halftones screens inks papers bindings spines covers \
                 margins gutters columns rules leading tracking widows orphans hyphens dashes \
                 quotes accents diacritics scripts alphabets syllabaries numerals fractions \
                 in every kind of print"
            )
        };
        vec![
            paper("Hyphenation Patterns", &filler("hyphenation")),
            paper("Metafont Design", &filler("metafont")),
            paper("A Note", "too short to be a target"),
            paper("Hyphenation Patterns Again", &filler("hyphenation")),
            paper(
                "Arabic Typesetting",
                "contextual shaping of arabic letters for teleprinters and phototypesetters \
                 with ligatures kashida justification right to left composition bidirectional \
                 paragraphs mixed with latin text numerals and diacritics placed above below \
                 letters across many fonts sizes weights and styles of the same family",
            ),
        ]
    }

    #[test]
    fn known_item_queries_are_deterministic_and_loose_words_are_absent() {
        let papers = corpus();
        let queries = known_item(&papers, 7);
        assert_eq!(queries, known_item(&papers, 7));
        assert_ne!(queries, known_item(&papers, 8));
        // Too short, or the same abstract twice: not targets.
        assert_eq!(targets(&papers), [false, true, false, false, true]);
        assert!(
            queries.iter().all(|q| [1, 4].contains(&q.target)),
            "{queries:?}"
        );
        for q in &queries {
            let held = PaperWords::new(&as_new_paper(&papers[q.target]));
            let words: Vec<&str> = q.text.split(' ').collect();
            match q.kind {
                Kind::Exact => {
                    assert_eq!(words.len(), 3, "{q:?}");
                    assert!(words.iter().all(|w| held.holds(w)), "{q:?}");
                }
                Kind::Loose => {
                    assert_eq!(words.len(), 4, "{q:?}");
                    assert_eq!(words.iter().filter(|w| !held.holds(w)).count(), 1, "{q:?}");
                }
                Kind::Natural => unreachable!(),
            }
        }
        assert_eq!(queries.iter().filter(|q| q.kind == Kind::Loose).count(), 2);
    }

    #[test]
    fn descriptions_match_titles_after_normalization() {
        let papers = corpus();
        let text = "# comment\n\nmetafont design\thow letters are drawn\n\
                    Missing Paper\tnothing\nno tab here\nHyphenation Patterns\tshared abstract\n";
        let (queries, unmatched) = natural(&papers, &parse_descriptions(text));
        assert_eq!(
            queries,
            [Query {
                kind: Kind::Natural,
                text: "how letters are drawn".into(),
                target: 1
            }]
        );
        assert_eq!(unmatched, ["Missing Paper", "Hyphenation Patterns"]);
    }
}
