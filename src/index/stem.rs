//! English stemming with a per-thread cache.
//!
//! Stemming is the costliest step of analyzing text (a Snowball run per
//! token), yet a corpus has few distinct words: most tokens repeat. This
//! filter remembers each word's stem per thread, so an import stems each
//! distinct word about once per indexing thread. Results are identical to
//! tantivy's English `Stemmer`.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Cached words per thread before the cache is cleared.
const CACHE_LIMIT: usize = 200_000;

thread_local! {
    static CACHE: RefCell<(frostem::Stemmer, FxHashMap<String, String>)> =
        RefCell::new((frostem::Stemmer::new(frostem::Algorithm::English), FxHashMap::default()));
}

/// Replaces `word` by its English stem.
pub fn stem_into(word: &mut String) {
    CACHE.with(|cell| {
        let mut guard = cell.borrow_mut();
        let (stemmer, cache) = &mut *guard;
        if let Some(stem) = cache.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem = stemmer.stem(word).into_owned();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(std::mem::replace(word, stem.clone()), stem);
    });
}

/// The token filter.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct CachedStemmerStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        stem_into(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};

    use super::*;

    #[test]
    fn same_stems_as_tantivy() {
        let text = "Transformers transforming transformed models modeling running runs \
                    generalization generalizes autoencoders autoencoder studies";
        let mut ours = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer)
            .build();
        let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        for _ in 0..2 {
            assert_eq!(
                crate::index::query::analyze(&mut ours, text),
                crate::index::query::analyze(&mut theirs, text)
            );
        }
    }
}
