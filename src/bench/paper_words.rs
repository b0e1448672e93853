//! The words of one paper as a search engine may match them, so that a
//! query word meant to be missing from a paper really is: no word of the
//! paper shares its stem, starts with it (the last query word matches as a
//! prefix while typing) or is one typo away from it (typo tolerance).
//!
//! Used where the benchmark makes queries with words the target paper does
//! not hold: the synthetic best-match workload and the real-text
//! evaluation's loose queries.

use crate::index::stem::stem_into;
use crate::model::NewPaper;

/// The lowercase, accent-folded words of every searched field of a paper.
#[derive(Debug, Clone, Default)]
pub struct PaperWords {
    /// Distinct words, sorted (for the prefix test).
    words: Vec<String>,
    /// Distinct stems, sorted.
    stems: Vec<String>,
}

/// Lowercase alphanumeric words of `text`, accents folded.
pub fn split_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| deunicode::deunicode(w).to_lowercase())
}

/// The English stem of a lowercase word, as the index stems it.
pub fn stem(word: &str) -> String {
    let mut s = word.to_string();
    stem_into(&mut s);
    s
}

impl PaperWords {
    /// The words of a paper's title, abstract, authors, tags and venue.
    pub fn new(p: &NewPaper) -> PaperWords {
        let mut words: Vec<String> = split_words(&p.title)
            .chain(split_words(&p.abstract_text))
            .chain(p.authors.iter().flat_map(|a| split_words(a)))
            .chain(p.tags.iter().flat_map(|t| split_words(t)))
            .chain(p.venue.iter().flat_map(|v| split_words(v)))
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut stems: Vec<String> = words.iter().map(|w| stem(w)).collect();
        stems.sort_unstable();
        stems.dedup();
        PaperWords { words, stems }
    }

    /// Whether a search for `word` could match this paper: same stem, a
    /// word starting with it, or a word one edit away.
    pub fn holds(&self, word: &str) -> bool {
        let word = deunicode::deunicode(word).to_lowercase();
        if self.stems.binary_search(&stem(&word)).is_ok() {
            return true;
        }
        let from = self.words.partition_point(|w| w.as_str() < word.as_str());
        if self.words.get(from).is_some_and(|w| w.starts_with(&word)) {
            return true;
        }
        self.words
            .iter()
            .any(|w| w.len().abs_diff(word.len()) <= 1 && crate::text::levenshtein(w, &word) <= 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_by_stem_prefix_and_typo() {
        let p = NewPaper {
            title: "Hyphenating Words in Typeset Pages".into(),
            abstract_text: "Knuth and Plass break paragraphs into lines.".into(),
            authors: vec!["Frank Liang".into()],
            venue: Some("TUGboat".into()),
            ..NewPaper::default()
        };
        let w = PaperWords::new(&p);
        assert!(w.holds("hyphenate")); // same stem
        assert!(w.holds("Paragraph"));
        assert!(w.holds("typ")); // a prefix
        assert!(w.holds("lnes")); // one edit away
        assert!(w.holds("liang") && w.holds("tugboat"));
        assert!(!w.holds("kerning"));
        assert!(!w.holds("fonts"));
    }
}
