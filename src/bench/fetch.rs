//! `lectern bench --fetch N`: times filling in N pasted papers (titles and
//! abstracts only) from the web sources, against a stand-in for them on
//! 127.0.0.1 ([`crate::online::mirror`]), so rate limits do not apply and
//! what is measured is Lectern's own work: the requests, reading the
//! answers, matching titles and writing each paper. The first 78 papers
//! are the sample listing's; the rest are made-up titles.

use std::sync::Arc;
use std::time::Instant;

use crate::Library;
use crate::online::mirror::{Mirror, WorldPaper};
use crate::online::{Fetcher, OnlineOptions, Outcome};

/// How many papers are looked for at once (as the CLI does).
const AT_ONCE: usize = 8;

/// `n` papers as the stand-in knows them: the sample listing's first,
/// then made-up ones, each with an arXiv id, authors and a year (every
/// other one a DOI and a venue).
pub fn world(n: usize) -> Vec<WorldPaper> {
    let sample = include_str!("../../tests/fixtures/trending-papers.txt");
    let mut papers: Vec<WorldPaper> = crate::import::parse(sample, "sample")
        .map(|p| p.papers)
        .unwrap_or_default()
        .into_iter()
        .map(|p| WorldPaper {
            title: p.title,
            abstract_text: p.abstract_text,
            ..WorldPaper::default()
        })
        .collect();
    let words = [
        "sparse",
        "video",
        "retrieval",
        "diffusion",
        "robot",
        "policy",
        "memory",
        "quantized",
        "graph",
        "language",
    ];
    let mut i = 0;
    while papers.len() < n {
        let w = |k: usize| words[(i * 7 + k * 3) % words.len()];
        papers.push(WorldPaper {
            title: format!("Study {i} of {} {} for {} {}", w(1), w(2), w(3), w(4)),
            abstract_text: format!(
                "We study {} {} in setting {i}. It ends here with more words than a title.",
                w(5),
                w(6)
            ),
            ..WorldPaper::default()
        });
        i += 1;
    }
    papers.truncate(n);
    for (i, p) in papers.iter_mut().enumerate() {
        p.arxiv = format!("2501.{:05}", i + 1);
        p.authors = vec![format!("Author{i} Family{i}"), "Jane Doe".into()];
        p.year = 2025;
        if i % 2 == 0 {
            p.doi = Some(format!("10.5555/bench.{i}"));
            p.venue = Some("Proceedings of a Benchmark".into());
        }
    }
    papers
}

pub fn run(n: u64, json: bool) -> anyhow::Result<()> {
    let n = usize::try_from(n)?.max(1);
    let papers = world(n);
    let listing: String = papers
        .iter()
        .map(|p| format!("{}\n\n{}\n\n", p.title, p.abstract_text))
        .collect();
    let mirror = Arc::new(Mirror::new(papers));
    let server = mirror.start()?;
    for (k, v) in Mirror::env(&server) {
        // SAFETY: set before any other thread of this process reads the
        // environment (the stand-in's threads do not).
        unsafe { std::env::set_var(k, v) };
    }
    let dir = tempfile::tempdir()?;
    let mut lib = Library::open(dir.path().join("library"))?;
    lib.import_text(&listing, "bench")?;
    let targets = lib.fetch_targets(&[], None, true)?;
    let asked = targets.len();
    super::report::reset_peak_rss();
    let fetcher = Arc::new(Fetcher::standard(lib.root(), &OnlineOptions::default())?);
    let started = Instant::now();
    let (mut filled, mut other) = (0usize, 0usize);
    let mut writing = std::time::Duration::ZERO;
    lib.fetch_blocking(&fetcher, targets, AT_ONCE, None, false, |found, a, took| {
        writing += took;
        if matches!(found.outcome, Outcome::Found { .. }) && !a.filled.is_empty() {
            filled += 1;
        } else {
            other += 1;
        }
        true
    })?;
    let secs = started.elapsed().as_secs_f64();
    let requests = mirror.requests().len();
    let rss = super::peak_rss_mib();
    if json {
        println!(
            "{}",
            serde_json::json!({"papers": asked, "filled": filled, "other": other,
                "seconds": secs, "writing_seconds": writing.as_secs_f64(),
                "requests": requests, "peak_rss_mib": rss})
        );
    } else {
        println!(
            "fetch {asked} pasted papers from the local stand-in: {secs:.2} s ({:.1} ms a paper, of which {:.1} ms writing it), {filled} filled, {other} not, {requests} requests, peak memory {rss:.0} MiB",
            secs * 1000.0 / asked.max(1) as f64,
            writing.as_secs_f64() * 1000.0 / asked.max(1) as f64
        );
    }
    Ok(())
}
