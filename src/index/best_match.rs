//! Best-match ranking: a query that matches a document holding any of its
//! words, and ranks the documents holding all of them first.
//!
//! Each child is one word of the query (with its fields, prefix and typo
//! expansions). A document's score starts as the sum of the BM25 scores of
//! the words it holds, which weighs rare words and title matches above
//! common words and abstract matches. A document holding every word also
//! gets [`ALL_WORDS_BONUS`], more than any partial match can score, so the
//! papers holding all the words come first, in BM25 order. The others
//! follow, their sum scaled by the cube of the share of words they hold: a
//! paper holding three of four words keeps 42 % of its score, one holding a
//! single word 1.6 %, so one word in a short title does not outrank three
//! in an abstract. (The cube was chosen on the known-item evaluation of
//! `docs/benchmarks.md`: no scaling found the paper of a half-remembered
//! query at MRR 0.27, the share 0.70, its square 0.92, its cube 0.96, with
//! descriptions in other words best at the cube too.)

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// Added to the score of a document that holds every word. BM25 sums stay
/// far below it (a word scores at most a few hundred even in a title at a
/// million papers), and it is a power of two so adding it keeps f32
/// precision to a thousandth.
pub const ALL_WORDS_BONUS: Score = 4096.0;

/// The score without the bonus, as shown to people.
pub fn shown_score(score: Score) -> Score {
    if score >= ALL_WORDS_BONUS {
        score - ALL_WORDS_BONUS
    } else {
        score
    }
}

/// Does this score carry the bonus, that is, did the document hold every
/// word?
pub fn holds_every_word(score: Score) -> bool {
    score >= ALL_WORDS_BONUS
}

/// The union of the words, scored as described in the module comment.
#[derive(Debug)]
pub struct BestMatch {
    words: Vec<Box<dyn Query>>,
}

impl Clone for BestMatch {
    fn clone(&self) -> Self {
        BestMatch {
            words: self.words.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl BestMatch {
    pub fn new(words: Vec<Box<dyn Query>>) -> BestMatch {
        BestMatch { words }
    }
}

impl Query for BestMatch {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let words = self
            .words
            .iter()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(BestMatchWeight { words }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for q in &self.words {
            q.query_terms(visitor);
        }
    }
}

struct BestMatchWeight {
    words: Vec<Box<dyn Weight>>,
}

impl Weight for BestMatchWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let words = self
            .words
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(BestMatchScorer::new(words)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        let mut explanation = Explanation::new("best match", scorer.score());
        for word in &self.words {
            if let Ok(e) = word.explain(reader, doc) {
                explanation.add_detail(e);
            }
        }
        Ok(explanation)
    }
}

/// Walks the words' documents in step; the current document is the
/// smallest any word is on. Queries have a handful of words, so a linear
/// pass over them beats a heap.
struct BestMatchScorer {
    words: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl BestMatchScorer {
    fn new(words: Vec<Box<dyn Scorer>>) -> BestMatchScorer {
        let mut scorer = BestMatchScorer {
            words,
            doc: TERMINATED,
        };
        scorer.doc = scorer.smallest();
        scorer
    }

    fn smallest(&self) -> DocId {
        self.words
            .iter()
            .map(|w| w.doc())
            .min()
            .unwrap_or(TERMINATED)
    }
}

impl DocSet for BestMatchScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let current = self.doc;
        for w in &mut self.words {
            if w.doc() == current {
                w.advance();
            }
        }
        self.doc = self.smallest();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for w in &mut self.words {
            if w.doc() < target {
                w.seek(target);
            }
        }
        self.doc = self.smallest();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.words.iter().map(|w| w.size_hint()).max().unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.words.iter().map(|w| w.cost()).sum()
    }
}

impl Scorer for BestMatchScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut sum = 0.0;
        let mut held = 0;
        for w in &mut self.words {
            if w.doc() == doc {
                sum += w.score();
                held += 1;
            }
        }
        if held == self.words.len() {
            sum + ALL_WORDS_BONUS
        } else {
            let share = held as f32 / self.words.len() as f32;
            sum * share * share * share
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, STORED, Schema, TEXT, Value};
    use tantivy::{Index, TantivyDocument, Term, doc};

    fn titles_for(texts: &[&str], words: &[&str]) -> Vec<(String, bool)> {
        let mut b = Schema::builder();
        let body = b.add_text_field("body", TEXT | STORED);
        let index = Index::create_in_ram(b.build());
        let mut writer = index.writer(20_000_000).expect("writer");
        for t in texts {
            writer.add_document(doc!(body => *t)).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let query = BestMatch::new(
            words
                .iter()
                .map(|w| {
                    Box::new(TermQuery::new(
                        Term::from_field_text(body, w),
                        IndexRecordOption::WithFreqs,
                    )) as Box<dyn Query>
                })
                .collect(),
        );
        let top = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .expect("search");
        top.into_iter()
            .map(|(score, addr)| {
                let d: TantivyDocument = searcher.doc(addr).expect("doc");
                let text = d
                    .get_first(body)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                (text, holds_every_word(score))
            })
            .collect()
    }

    #[test]
    fn documents_holding_every_word_come_first_then_the_rest() {
        let got = titles_for(
            &[
                "robot robot robot robot grasping",
                "diffusion policy for a robot",
                "diffusion models beat gans",
                "nothing relevant here",
            ],
            &["diffusion", "robot"],
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], ("diffusion policy for a robot".into(), true));
        assert!(got[1..].iter().all(|(_, all)| !all), "{got:?}");
        assert!(got.iter().all(|(t, _)| t != "nothing relevant here"));
    }

    #[test]
    fn a_rare_word_outweighs_a_common_one_among_partial_matches() {
        let mut texts = vec!["common word here"; 20];
        texts.push("a rare zebra");
        texts.push("another common line");
        let got = titles_for(&texts, &["common", "zebra"]);
        assert_eq!(got[0].0, "a rare zebra", "{got:?}");
    }

    #[test]
    fn shown_scores_drop_the_bonus() {
        assert_eq!(shown_score(ALL_WORDS_BONUS + 1.5), 1.5);
        assert_eq!(shown_score(2.5), 2.5);
        assert!(holds_every_word(ALL_WORDS_BONUS));
        assert!(!holds_every_word(12.0));
    }
}
