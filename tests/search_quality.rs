//! Search quality on real papers: the known-item evaluation of
//! `lectern bench --eval` (src/bench/eval/) run on the titles and abstracts
//! of Nelson Beebe's public-domain bibliographies of typesetting, fonts, TeX
//! and the journal Electronic Publishing (about 2,500 papers, about 500 of
//! them with an abstract of their own).
//!
//! The files are not in the repository: `scripts/fetch-test-data` puts them
//! in `eval/` of its cache folder, `$LECTERN_TEST_DATA` or
//! `${XDG_CACHE_HOME:-$HOME/.cache}/lectern-test-data`. Without them these
//! tests say so and pass: they never reach the network.
#![cfg(feature = "bench")]

use std::path::PathBuf;
use std::sync::OnceLock;

use lectern::bench::eval::queries::Kind;
use lectern::bench::eval::{EvalReport, evaluate, table};

/// Where `scripts/fetch-test-data` puts the evaluation's files.
fn data_dir() -> Option<PathBuf> {
    let cache = lectern::bench::test_data_dir()?;
    let dir = cache.join("eval");
    dir.join("typeset.bib").is_file().then_some(dir)
}

/// The evaluation, run once for every test of this file; `None` (and a
/// message) without the data.
fn report() -> Option<&'static EvalReport> {
    static REPORT: OnceLock<Option<EvalReport>> = OnceLock::new();
    REPORT
        .get_or_init(|| {
            let Some(dir) = data_dir() else {
                println!(
                    "skipped: the evaluation's papers are not cached; \
                     scripts/fetch-test-data fetches them"
                );
                return None;
            };
            let report = evaluate(&dir, 1).expect("the evaluation runs");
            println!("{}", table(&report));
            Some(report)
        })
        .as_ref()
}

#[test]
fn the_evaluation_is_complete_and_exact_queries_find_their_paper() {
    let Some(r) = report() else { return };
    assert!(r.papers >= 2_000, "{} papers", r.papers);
    assert!(r.targets >= 400, "{} targets", r.targets);
    assert!(
        r.unmatched_descriptions.is_empty(),
        "descriptions naming no target: {:?}",
        r.unmatched_descriptions
    );
    let natural = r.kind(Kind::Natural).expect("natural queries");
    assert!(natural.queries >= 50, "{}", natural.queries);
    let exact = r.kind(Kind::Exact).expect("exact queries");
    assert_eq!(exact.queries, r.targets);
    assert!(
        exact.lectern.mrr_at_10 >= 0.98,
        "exact MRR@10 {:.3} (FTS5 AND {:.3})",
        exact.lectern.mrr_at_10,
        exact.fts5_and.mrr_at_10
    );
    // The peer is sound: OR ranking finds most half-remembered papers.
    let loose = r.kind(Kind::Loose).expect("loose queries");
    assert!(loose.fts5_or.mrr_at_10 > 0.5, "{:?}", loose.fts5_or);
}

#[test]
fn loose_and_natural_queries_rank_at_least_as_well_as_fts5_or() {
    let Some(r) = report() else { return };
    for kind in [Kind::Loose, Kind::Natural] {
        let k = r.kind(kind).expect("queries of the kind");
        assert!(
            k.lectern.mrr_at_10 >= k.fts5_or.mrr_at_10 - 0.02,
            "{}: Lectern MRR@10 {:.3}, FTS5 OR {:.3}",
            k.kind,
            k.lectern.mrr_at_10,
            k.fts5_or.mrr_at_10
        );
    }
}
