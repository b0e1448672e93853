//! Citekeys: stable, human-readable keys in the Better BibTeX style.
//!
//! The key is the first author's family name in lowercase, the first three
//! significant title words capitalized, and the year, all folded to ASCII.
//! Papers without authors start with their first significant title word in
//! lowercase instead. Clashes get a suffix `a`, `b`, …, `z`, `aa`, ….

use std::collections::HashSet;

const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "for", "and", "to", "with", "by", "at", "from", "via",
    "is", "are", "as", "or", "into", "its", "be", "we", "do", "does", "can", "our", "vs", "this",
    "that", "what", "how", "when", "why",
];

/// Folds a word to ASCII letters and digits.
fn fold(word: &str) -> String {
    deunicode::deunicode(word)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_ascii_uppercase()
            .to_string()
            .chars()
            .chain(chars.map(|c| c.to_ascii_lowercase()))
            .collect(),
        None => String::new(),
    }
}

/// The family name of an author written `Given Family` or `Family, Given`.
pub fn family_name(author: &str) -> &str {
    let author = author.trim();
    match author.split_once(',') {
        Some((family, _)) => family.trim(),
        None => author.split_whitespace().last().unwrap_or(""),
    }
}

/// The citekey before clash resolution.
pub fn base_citekey(authors: &[String], title: &str, year: Option<i32>) -> String {
    let words: Vec<String> = title
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/' || c == ':')
        .filter(|w| !STOP_WORDS.contains(&w.to_lowercase().as_str()))
        .map(fold)
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    let mut key = String::new();
    let family = authors
        .first()
        .map(|a| fold(family_name(a)).to_ascii_lowercase())
        .unwrap_or_default();
    let mut rest = words.iter();
    if !family.is_empty() {
        key.push_str(&family);
    } else if let Some(first) = rest.next() {
        key.push_str(&first.to_ascii_lowercase());
    }
    for w in rest {
        key.push_str(&capitalize(w));
    }
    if let Some(y) = year {
        key.push_str(&y.to_string());
    }
    if key.is_empty() {
        key.push_str("paper");
    }
    key
}

/// The `n`-th clash suffix: 0 → "", 1 → "a", 26 → "z", 27 → "aa".
fn suffix(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Hands out unique citekeys given those already taken.
#[derive(Debug, Default)]
pub struct Allocator {
    taken: HashSet<String>,
}

impl Allocator {
    pub fn new(taken: impl IntoIterator<Item = String>) -> Self {
        Allocator {
            taken: taken.into_iter().collect(),
        }
    }

    /// A free key for this paper, marked as taken.
    pub fn allocate(&mut self, authors: &[String], title: &str, year: Option<i32>) -> String {
        let base = base_citekey(authors, title, year);
        self.allocate_from(&base)
    }

    /// Takes `key` as it is if it is free and usable as a citekey (letters,
    /// digits and `_:.-/`, no spaces); returns whether it did.
    pub fn try_take(&mut self, key: &str) -> bool {
        let usable = !key.is_empty()
            && key.len() <= 100
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '-' | '/'));
        usable && self.taken.insert(key.to_string())
    }

    /// Marks `key` as taken (an alias given out).
    pub fn take(&mut self, key: &str) {
        self.taken.insert(key.to_string());
    }

    /// A free key starting with `base` (used when an import brings its own key).
    pub fn allocate_from(&mut self, base: &str) -> String {
        let mut n = 0;
        loop {
            let candidate = format!("{base}{}", suffix(n));
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the module's documentation shows.
    #[test]
    fn the_documented_example_holds() {
        let authors = vec!["Ashish Vaswani".to_string()];
        assert_eq!(
            base_citekey(&authors, "Attention Is All You Need", Some(2017)),
            "vaswaniAttentionAllYou2017"
        );
        assert_eq!(
            base_citekey(&[], "Pointer Networks", None),
            "pointerNetworks"
        );
    }

    fn check(authors: &[&str], title: &str, year: Option<i32>, expect: &str) {
        let authors: Vec<String> = authors.iter().map(|s| s.to_string()).collect();
        assert_eq!(base_citekey(&authors, title, year), expect);
    }

    #[test]
    fn keys() {
        check(
            &["Ashish Vaswani", "Noam Shazeer"],
            "Attention Is All You Need",
            Some(2017),
            "vaswaniAttentionAllYou2017",
        );
        check(
            &["Müller, Jörg"],
            "Über Graphs",
            Some(2020),
            "mullerUberGraphs2020",
        );
        check(
            &[],
            "Text2MDT: Extracting Medical Decision Trees from Medical Texts",
            None,
            "text2mdtExtractingMedical",
        );
        check(&[], "The Need for Speed", None, "needSpeed");
        check(&[], "???", None, "paper");
    }

    #[test]
    fn clashes_get_suffixes() {
        let mut alloc = Allocator::default();
        let a: Vec<String> = vec![];
        assert_eq!(
            alloc.allocate(&a, "Pointer Networks", None),
            "pointerNetworks"
        );
        assert_eq!(
            alloc.allocate(&a, "Pointer Networks", None),
            "pointerNetworksa"
        );
        assert_eq!(
            alloc.allocate(&a, "Pointer Networks", None),
            "pointerNetworksb"
        );
        assert_eq!(suffix(26), "z");
        assert_eq!(suffix(27), "aa");
    }
}
