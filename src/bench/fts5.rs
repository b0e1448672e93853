//! The SQLite FTS5 peer: the same papers in an FTS5 table, the same queries
//! translated to FTS5's query syntax.
//!
//! The table indexes what a competitor built on FTS5 would: title, authors,
//! abstract, tags, venue and year, with the Porter stemmer (as Lectern stems
//! English) and prefix indexes for 1, 2 and 3 characters (so search as you
//! type does not scan the term list; without the 1-character index the
//! first keystroke was the slowest query). Results are ranked with
//! `bm25()`, the title weighted 3, authors and tags 1.5 (Lectern's own
//! boosts), with a `snippet()` of the abstract, 10 at a time.
//!
//! Query translation ([`translate`]), as close to Lectern's meaning as FTS5
//! allows:
//!
//! * term: every word must occur: `"w1" "w2"` (implicit AND);
//! * phrase: an FTS5 phrase, `"language models"`;
//! * field: a column filter, `title : "word"`, `authors : "chen"`,
//!   `year : "2021"`, `tags : "cs-cl"`;
//! * prefix (as you type): earlier words as terms, the last one as a prefix,
//!   `"deep" "lea"*`;
//! * typo: FTS5 has no fuzzy matching, so the query runs as typed;
//! * best match: any word may match, `"w1" OR "w2" OR "w3"`, ranked by
//!   `bm25()` (which ranks papers holding more of the rarer words first).
//!
//! Related papers have no FTS5 counterpart; the baseline is the usual "more
//! like this": the paper's [`RELATED_TERMS`] strongest words by `tf × idf`
//! (document frequencies counted once while building), OR-ed in one MATCH
//! over title and abstract, ranked by `bm25()`, the paper itself excluded.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::corpus::Queries;
use super::report::{HitStats, TargetStats, TypoStats};
use super::{Latency, latency, ms};
use crate::model::NewPaper;

/// How many of a paper's words go into its "more like this" query.
pub const RELATED_TERMS: usize = 12;

/// Columns in table order; `bm25()` weights follow the same order.
const SCHEMA: &str = "CREATE VIRTUAL TABLE papers USING fts5(\
     title, authors, abstract, tags, venue, year, \
     tokenize = 'porter unicode61 remove_diacritics 2', prefix = '1 2 3')";
const RANK: &str = "bm25(papers, 3.0, 1.5, 1.0, 1.5, 1.0, 1.0)";

/// The kinds of query the benchmark times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Term,
    Prefix,
    Phrase,
    Typo,
    Field,
    BestMatch,
}

/// Everything measured for FTS5 at one corpus size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fts5Report {
    pub papers: u64,
    /// Insert time, one transaction, document frequencies counted alongside.
    pub build_s: f64,
    pub build_papers_per_s: f64,
    pub db_mib: f64,
    /// Peak resident memory of the process that generated the corpus, built
    /// the table and ran the queries; `None` when it ran inside the Lectern
    /// process and could not be told apart.
    pub peak_rss_mib: Option<f64>,
    pub open_first_query_ms: f64,
    pub latencies: Vec<Latency>,
    pub hits: Vec<HitStats>,
    pub typo: TypoStats,
    /// Best-match queries whose target paper came first.
    #[serde(default)]
    pub best_match: TargetStats,
    pub related_precision_at_10: f64,
}

/// One ranked hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub rowid: i64,
    pub title: String,
    pub snippet: String,
}

/// `word` as an FTS5 string: quoted, inner quotes doubled. Quoting keeps
/// words such as `AND` or `e-mail` from being read as syntax.
pub fn quote(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// The FTS5 column a Lectern field name maps to.
fn column(field: &str) -> Option<&'static str> {
    Some(match field.to_ascii_lowercase().as_str() {
        "title" => "title",
        "author" | "authors" => "authors",
        "abstract" => "abstract",
        "tag" | "tags" => "tags",
        "year" => "year",
        "venue" => "venue",
        _ => return None,
    })
}

/// Translates one Lectern query of `kind` to an FTS5 MATCH expression;
/// `None` when nothing searchable is left.
pub fn translate(kind: Kind, query: &str) -> Option<String> {
    let words: Vec<&str> = query.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    Some(match kind {
        Kind::Term | Kind::Typo => words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "),
        Kind::BestMatch => words
            .iter()
            .map(|w| quote(w))
            .collect::<Vec<_>>()
            .join(" OR "),
        Kind::Phrase => {
            let inner = query.trim().trim_matches('"').trim();
            if inner.is_empty() {
                return None;
            }
            quote(inner)
        }
        Kind::Prefix => {
            let mut parts: Vec<String> = words.iter().map(|w| quote(w)).collect();
            // A trailing space means the last word is complete.
            if !query.ends_with(char::is_whitespace)
                && let Some(last) = parts.last_mut()
            {
                last.push('*');
            }
            parts.join(" ")
        }
        Kind::Field => match query.trim().split_once(':') {
            Some((name, value)) if column(name).is_some() && !value.trim().is_empty() => {
                let value = value.trim().trim_matches('"');
                format!("{} : {}", column(name)?, quote(value))
            }
            _ => return translate(Kind::Term, query),
        },
    })
}

/// Lowercase alphanumeric words, as the "more like this" baseline counts
/// them.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
}

/// The built table: an open connection and the document frequencies the
/// related baseline needs.
pub struct Fts5 {
    conn: Connection,
    doc_freq: HashMap<String, u32>,
    docs: u32,
}

impl Fts5 {
    /// Creates the table in a new database file at `path` and inserts
    /// `papers` (row `i + 1` is paper `i`) in one transaction.
    pub fn build(path: &Path, papers: &[NewPaper]) -> anyhow::Result<Fts5> {
        let mut conn = Connection::open(path).with_context(|| path.display().to_string())?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
        conn.execute_batch(SCHEMA)
            .context("creating the FTS5 table (is FTS5 compiled in?)")?;
        let mut doc_freq: HashMap<String, u32> = HashMap::new();
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO papers (rowid, title, authors, abstract, tags, venue, year) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut seen: Vec<String> = Vec::new();
            for (i, p) in papers.iter().enumerate() {
                insert.execute(params![
                    i as i64 + 1,
                    p.title,
                    p.authors.join("; "),
                    p.abstract_text,
                    p.tags.join(" "),
                    p.venue.as_deref().unwrap_or(""),
                    p.year.map(|y| y.to_string()).unwrap_or_default(),
                ])?;
                seen.clear();
                seen.extend(words(&p.title).chain(words(&p.abstract_text)));
                seen.sort_unstable();
                seen.dedup();
                for w in seen.drain(..) {
                    *doc_freq.entry(w).or_insert(0) += 1;
                }
            }
        }
        tx.commit()?;
        Ok(Fts5 {
            conn,
            doc_freq,
            docs: papers.len() as u32,
        })
    }

    /// The connection, e.g. to close it and open the file afresh.
    pub fn into_parts(self) -> (Connection, HashMap<String, u32>, u32) {
        (self.conn, self.doc_freq, self.docs)
    }

    /// Wraps a connection to an existing table.
    pub fn from_parts(conn: Connection, doc_freq: HashMap<String, u32>, docs: u32) -> Fts5 {
        Fts5 {
            conn,
            doc_freq,
            docs,
        }
    }

    /// The top `limit` hits for an FTS5 MATCH expression.
    pub fn search(&self, expr: &str, limit: usize) -> anyhow::Result<Vec<Hit>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT rowid, title, snippet(papers, 2, '<b>', '</b>', '…', 16) \
             FROM papers WHERE papers MATCH ?1 ORDER BY {RANK} LIMIT ?2"
        ))?;
        let rows = stmt
            .query_map(params![expr, limit as i64], |r| {
                Ok(Hit {
                    rowid: r.get(0)?,
                    title: r.get(1)?,
                    snippet: r.get(2)?,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .with_context(|| format!("FTS5 query {expr}"))?;
        Ok(rows)
    }

    /// "More like this" for paper row `rowid`: its strongest words by
    /// `tf × idf`, OR-ed over title and abstract, itself excluded.
    pub fn related(&self, rowid: i64, limit: usize) -> anyhow::Result<Vec<i64>> {
        let (title, abstract_text): (String, String) = self
            .conn
            .prepare_cached("SELECT title, abstract FROM papers WHERE rowid = ?1")?
            .query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?)))
            .with_context(|| format!("FTS5 row {rowid}"))?;
        let mut tf: HashMap<String, u32> = HashMap::new();
        for w in words(&title).chain(words(&abstract_text)) {
            *tf.entry(w).or_insert(0) += 1;
        }
        let total = self.docs.max(1) as f64;
        let mut weighted: Vec<(f64, String)> = tf
            .into_iter()
            .filter_map(|(w, n)| {
                let df = *self.doc_freq.get(&w)? as f64;
                // Words in half the papers or more say nothing about topic.
                (df <= total * 0.5).then(|| {
                    (
                        (1.0 + f64::from(n).ln()) * (1.0 + total / (1.0 + df)).ln(),
                        w,
                    )
                })
            })
            .collect();
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        weighted.truncate(RELATED_TERMS);
        if weighted.is_empty() {
            return Ok(Vec::new());
        }
        let expr = format!(
            "{{title abstract}} : ({})",
            weighted
                .iter()
                .map(|(_, w)| quote(w))
                .collect::<Vec<_>>()
                .join(" OR ")
        );
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT rowid FROM papers WHERE papers MATCH ?1 AND rowid != ?2 \
             ORDER BY {RANK} LIMIT ?3"
        ))?;
        let ids = stmt
            .query_map(params![expr, rowid, limit as i64], |r| r.get(0))
            .and_then(|rows| rows.collect::<Result<Vec<i64>, _>>())
            .with_context(|| format!("FTS5 related query {expr}"))?;
        Ok(ids)
    }
}

/// Times every query of one kind; returns the latencies and, per query, the
/// hits' rows.
fn time_kind(
    fts: &Fts5,
    kind: Kind,
    queries: &[String],
) -> anyhow::Result<(Vec<Duration>, Vec<Vec<i64>>)> {
    let mut times = Vec::with_capacity(queries.len());
    let mut found = Vec::with_capacity(queries.len());
    for q in queries {
        let t = Instant::now();
        let hits = match translate(kind, q) {
            Some(expr) => fts.search(&expr, 10)?,
            None => Vec::new(),
        };
        times.push(t.elapsed());
        found.push(hits.iter().map(|h| h.rowid).collect());
    }
    Ok((times, found))
}

/// What the FTS5 stage needs besides the papers.
pub struct Inputs<'a> {
    pub papers: &'a [NewPaper],
    pub topics: &'a [u32],
    pub queries: &'a Queries,
    pub related_samples: usize,
    /// Where the database file goes.
    pub dir: &'a Path,
}

/// Builds the table, reopens it, runs every query kind and the related
/// baseline. `peak_rss_mib` is left `None`; the caller knows whether the
/// process's peak belongs to FTS5 alone.
pub fn measure(input: &Inputs) -> anyhow::Result<Fts5Report> {
    let n = input.papers.len();
    let path = input.dir.join("fts5.db");
    let t = Instant::now();
    let fts = Fts5::build(&path, input.papers)?;
    let build_s = t.elapsed().as_secs_f64();
    let (conn, doc_freq, docs) = fts.into_parts();
    drop(conn);

    let t = Instant::now();
    let conn = Connection::open(&path).with_context(|| path.display().to_string())?;
    let fts = Fts5::from_parts(conn, doc_freq, docs);
    let first = fts.search(
        &translate(Kind::Term, "language models").unwrap_or_default(),
        10,
    )?;
    let open_first = t.elapsed();
    std::hint::black_box(&first);

    let q = input.queries;
    let kinds: [(&str, Kind, &[String]); 6] = [
        ("term (1–3 words)", Kind::Term, &q.terms),
        ("prefix (as you type)", Kind::Prefix, &q.prefixes),
        ("phrase", Kind::Phrase, &q.phrases),
        ("typo", Kind::Typo, &q.typos),
        ("field", Kind::Field, &q.fields),
        (super::BEST_MATCH, Kind::BestMatch, &q.best_match),
    ];
    let mut latencies = Vec::new();
    let mut hits = Vec::new();
    let mut typo = TypoStats::default();
    let mut best_match = TargetStats::default();
    for (label, kind, queries) in kinds {
        let (times, found) = time_kind(&fts, kind, queries)?;
        latencies.push(latency(label, times));
        hits.push(HitStats::count(label, &found));
        if kind == Kind::Typo {
            typo = TypoStats::score(&found, &q.typo_words, |row| {
                usize::try_from(row - 1)
                    .ok()
                    .and_then(|i| input.papers.get(i).cloned())
            });
        }
        if kind == Kind::BestMatch {
            let rows: Vec<i64> = q.best_match_targets.iter().map(|&i| i as i64 + 1).collect();
            best_match = TargetStats::score(&found, &rows);
        }
    }

    let step = (n / input.related_samples.max(1)).max(1);
    let mut samples = Vec::new();
    let mut precision_sum = 0.0;
    let mut scored = 0;
    for i in (0..n).step_by(step).take(input.related_samples) {
        let t = Instant::now();
        let related = fts.related(i as i64 + 1, 10)?;
        samples.push(t.elapsed());
        if !related.is_empty() {
            let want = input.topics.get(i);
            let same = related
                .iter()
                .filter(|&&row| {
                    usize::try_from(row - 1)
                        .ok()
                        .and_then(|j| input.topics.get(j))
                        == want
                })
                .count();
            precision_sum += same as f64 / related.len() as f64;
            scored += 1;
        }
    }
    latencies.push(latency("related", samples));

    let db_bytes: u64 = ["fts5.db", "fts5.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(input.dir.join(f)).ok())
        .map(|m| m.len())
        .sum();
    Ok(Fts5Report {
        papers: n as u64,
        build_s,
        build_papers_per_s: n as f64 / build_s,
        db_mib: db_bytes as f64 / (1024.0 * 1024.0),
        peak_rss_mib: None,
        open_first_query_ms: ms(open_first),
        latencies,
        hits,
        typo,
        best_match,
        related_precision_at_10: if scored == 0 {
            0.0
        } else {
            precision_sum / scored as f64
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::corpus::Corpus;

    #[test]
    fn translates_each_kind() {
        assert_eq!(
            translate(Kind::Term, "diffusion video").as_deref(),
            Some(r#""diffusion" "video""#)
        );
        assert_eq!(
            translate(Kind::Typo, "trasnformer").as_deref(),
            Some(r#""trasnformer""#)
        );
        assert_eq!(
            translate(Kind::Phrase, r#""language models""#).as_deref(),
            Some(r#""language models""#)
        );
        assert_eq!(translate(Kind::Prefix, "tr").as_deref(), Some(r#""tr"*"#));
        assert_eq!(
            translate(Kind::Prefix, "deep lea").as_deref(),
            Some(r#""deep" "lea"*"#)
        );
        assert_eq!(
            translate(Kind::Prefix, "deep ").as_deref(),
            Some(r#""deep""#)
        );
        assert_eq!(
            translate(Kind::Field, "title:video").as_deref(),
            Some(r#"title : "video""#)
        );
        assert_eq!(
            translate(Kind::Field, "author:Chen").as_deref(),
            Some(r#"authors : "Chen""#)
        );
        assert_eq!(
            translate(Kind::Field, "year:2021").as_deref(),
            Some(r#"year : "2021""#)
        );
        assert_eq!(
            translate(Kind::Field, "tag:cs-cl").as_deref(),
            Some(r#"tags : "cs-cl""#)
        );
        // Not a known field: searched as words.
        assert_eq!(
            translate(Kind::Field, "foo:bar").as_deref(),
            Some(r#""foo:bar""#)
        );
        assert_eq!(
            translate(Kind::BestMatch, "glyph kerning metafont").as_deref(),
            Some(r#""glyph" OR "kerning" OR "metafont""#)
        );
        assert_eq!(translate(Kind::Term, "   "), None);
        assert_eq!(translate(Kind::Phrase, r#""""#), None);
        // Syntax words and quotes stay plain text.
        assert_eq!(
            translate(Kind::Term, r#"AND say"hi""#).as_deref(),
            Some(r#""AND" "say""hi""""#)
        );
    }

    /// A small corpus in four topics. Queries take their words from the
    /// first 1,000 papers, so every query word occurs.
    fn tiny() -> (tempfile::TempDir, Vec<NewPaper>, Vec<u32>, Queries) {
        let corpus = Corpus::new(5, 4);
        let (papers, topics): (Vec<NewPaper>, Vec<u32>) =
            corpus.papers(1_000).map(|cp| (cp.paper, cp.topic)).unzip();
        let q = corpus.queries(20);
        (tempfile::tempdir().expect("tempdir"), papers, topics, q)
    }

    #[test]
    fn translated_queries_are_valid_fts5_and_find_papers() {
        let (dir, papers, _, q) = tiny();
        let fts = Fts5::build(&dir.path().join("t.db"), &papers).expect("build");
        for phrase in &q.phrases {
            let expr = translate(Kind::Phrase, phrase).expect("phrase");
            let hits = fts.search(&expr, 10).expect("search");
            assert!(!hits.is_empty(), "{phrase}");
            // The phrase is marked in the abstract's snippet or sits in a title.
            let first = inner_first_word(phrase);
            assert!(
                hits.iter()
                    .any(|h| h.snippet.contains("<b>") || h.title.to_lowercase().contains(&first)),
                "{phrase}"
            );
            assert!(hits.len() <= 10);
        }
        // Every term query word occurs in the corpus (stemmed alike).
        let with_hits = q
            .terms
            .iter()
            .filter(|t| {
                !fts.search(&translate(Kind::Term, t).expect("term"), 10)
                    .expect("search")
                    .is_empty()
            })
            .count();
        assert_eq!(with_hits, q.terms.len());
        for field in &q.fields {
            fts.search(&translate(Kind::Field, field).expect("field"), 10)
                .expect("field query");
        }
        for prefix in &q.prefixes {
            fts.search(&translate(Kind::Prefix, prefix).expect("prefix"), 10)
                .expect("prefix query");
        }
        // The title weighs more: a word's title hits come first.
        let title_word = papers[0]
            .title
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .max_by_key(|w| w.len())
            .expect("title word")
            .to_string();
        let top = fts
            .search(&translate(Kind::Term, &title_word).expect("term"), 1)
            .expect("search");
        assert!(
            top[0]
                .title
                .to_lowercase()
                .contains(&title_word.to_lowercase())
        );
    }

    #[test]
    fn measures_a_tiny_corpus() {
        let (dir, papers, topics, q) = tiny();
        let report = measure(&Inputs {
            papers: &papers,
            topics: &topics,
            queries: &q,
            related_samples: 20,
            dir: dir.path(),
        })
        .expect("measure");
        assert_eq!(report.papers, 1_000);
        assert!(report.build_s > 0.0 && report.build_papers_per_s > 0.0);
        assert_eq!(report.latencies.len(), 7);
        assert_eq!(report.latencies[6].kind, "related");
        assert_eq!(report.latencies[6].queries, 20);
        // OR + bm25 finds most half-remembered papers, often first.
        assert_eq!(report.best_match.queries, 20);
        assert!(report.best_match.in_top_10 >= 10, "{:?}", report.best_match);
        // Four topics: a topic-blind baseline would score about 0.25.
        assert!(
            report.related_precision_at_10 > 0.6,
            "{}",
            report.related_precision_at_10
        );
        // Terms and phrases come from the corpus; typos mostly find nothing.
        assert_eq!(report.hits[0].with_hits, 20, "{:?}", report.hits[0]);
        assert_eq!(report.hits[2].with_hits, report.hits[2].queries);
        assert_eq!(report.typo.queries, 20);
        assert!(report.typo.with_hits < 10, "{:?}", report.typo);
        assert!(report.db_mib > 0.0);
    }

    #[test]
    fn related_excludes_the_paper_and_prefers_its_topic() {
        let (dir, papers, topics, _) = tiny();
        let fts = Fts5::build(&dir.path().join("r.db"), &papers).expect("build");
        let related = fts.related(1, 10).expect("related");
        assert_eq!(related.len(), 10);
        assert!(!related.contains(&1));
        let same = related
            .iter()
            .filter(|&&r| topics[r as usize - 1] == topics[0])
            .count();
        assert!(same >= 5, "{same}");
    }

    fn inner_first_word(phrase: &str) -> String {
        phrase
            .trim_matches('"')
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase()
    }
}
