//! Query workloads (terms, phrases, typed prefixes, typos, field queries,
//! best-match queries) made of words that really occur in the first papers
//! of the corpus.

use std::collections::HashMap;

use super::random::Rng;
use super::{Corpus, CorpusPaper, FIRST_YEAR, QUERY_POOL, Queries, SALT_QUERY};
use crate::bench::paper_words::PaperWords;

impl Corpus {
    /// Query workloads: `count` entries each of terms, phrases, typos,
    /// fields and best-match queries, and every typed prefix of `count`
    /// queries. Deterministic from the seed; `queries(n)` is a prefix of
    /// `queries(m)` for `n < m`.
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

        best_match(&mut stream(5), &pool, count, &mut out);
        out
    }
}

/// Best-match queries, imitating a reader who half remembers a paper: 2–4
/// words from one pool paper (the target), drawn from the rarer half of its
/// words by document frequency among the pool (what sets a paper apart is
/// what one remembers), and 1 or 2 words of other pool papers that the
/// target does not hold, of about the same document frequency (within a
/// factor of two of the target words' geometric mean); shuffled.
fn best_match(rng: &mut Rng, pool: &[PoolPaper], count: usize, out: &mut Queries) {
    let mut df: HashMap<&str, u32> = HashMap::new();
    for paper in pool {
        for w in distinct(&paper.words) {
            *df.entry(w).or_insert(0) += 1;
        }
    }
    let df_of = |w: &str| f64::from(df.get(w).copied().unwrap_or(1).max(1));
    while out.best_match.len() < count {
        let target = rng.below(pool.len() as u64) as usize;
        let paper = &pool[target];
        let total = rng.range(3, 5);
        let missing = if total > 3 && rng.chance(50) { 2 } else { 1 };
        let present = total - missing;
        let mut rarer = distinct(&paper.words);
        rarer.sort_by(|a, b| df_of(a).total_cmp(&df_of(b)));
        rarer.truncate(rarer.len().div_ceil(2).max(present));
        if rarer.len() < present {
            continue;
        }
        rng.shuffle(&mut rarer);
        let mut words: Vec<&str> = rarer[..present].to_vec();
        let typical = (words.iter().map(|w| df_of(w).ln()).sum::<f64>() / present as f64).exp();
        let mut closest: Option<(f64, &str)> = None;
        for _ in 0..200 {
            if words.len() == total {
                break;
            }
            let other = rng.pick(pool);
            let word = rng.pick(&other.words).as_str();
            if words.contains(&word) || paper.text.holds(word) {
                continue;
            }
            let distance = (df_of(word) / typical).ln().abs();
            if distance <= std::f64::consts::LN_2 {
                words.push(word);
                closest = None;
            } else if closest.is_none_or(|(d, _)| distance < d) {
                closest = Some((distance, word));
            }
        }
        // Rarely no word is close enough: the closest one tried.
        if words.len() < total
            && let Some((_, word)) = closest
        {
            words.push(word);
        }
        if words.len() < total {
            continue;
        }
        rng.shuffle(&mut words);
        out.best_match.push(words.join(" "));
        out.best_match_targets.push(target as u64);
    }
}

/// The distinct words of a list, in first-seen order.
fn distinct(words: &[String]) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    words
        .iter()
        .map(String::as_str)
        .filter(|w| seen.insert(*w))
        .collect()
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

/// Words of a pool paper, for queries.
struct PoolPaper {
    title_words: Vec<String>,
    words: Vec<String>,
    collocations: Vec<String>,
    pairs: Vec<String>,
    families: Vec<String>,
    year: i32,
    tags: Vec<String>,
    /// Every word of the paper as an engine may match it.
    text: PaperWords,
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
            text: PaperWords::new(p),
        }
    }
}
