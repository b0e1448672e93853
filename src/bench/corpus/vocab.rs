//! The vocabulary: the seed listing's titles and abstracts cut into word
//! tokens, frequent two-word collocations joined into units, each unit with
//! its display form and frequency.

use std::collections::HashMap;

use super::Unit;
use super::words::STOPWORDS;

const SEED_LISTING: &str = include_str!("../../../tests/fixtures/trending-papers.txt");
/// Non-blank lines before the first title (`new`, `Get trending…`, …).
const SEED_HEADER_LINES: usize = 5;

/// The seed listing cut into units.
pub(super) struct Vocab {
    pub(super) units: Vec<Unit>,
    pub(super) counts: Vec<u64>,
}

impl Vocab {
    pub(super) fn from_seed() -> Vocab {
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

pub(super) fn is_stopword(key: &str) -> bool {
    STOPWORDS.contains(&key)
}

fn is_content(key: &str) -> bool {
    !is_stopword(key) && key.chars().count() >= 2
}
