//! `lectern bench`: measures the engine on a synthetic library.
//!
//! The corpus ([`corpus`]) is generated from the seed listing's vocabulary,
//! deterministic for a given `--seed`, with latent topics so related-paper
//! quality can be judged. Stages: import (end to end: SQLite + index), peak
//! memory, open + first query, search latencies by query kind, related
//! papers latency and precision@10 against the known topics.

pub mod corpus;
pub mod folder;
pub mod formats;
pub mod pdfgen;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::Library;
use corpus::Corpus;

#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Number of synthetic papers.
    #[arg(long, default_value_t = 100_000)]
    pub papers: u64,
    /// Corpus seed: the same seed gives the same corpus and queries.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Latent topics in the corpus.
    #[arg(long, default_value_t = 300)]
    pub topics: u32,
    /// Queries per kind.
    #[arg(long, default_value_t = 200)]
    pub queries: usize,
    /// Papers whose related list is scored.
    #[arg(long, default_value_t = 200)]
    pub related_samples: usize,
    /// Keep the library here (default: a temporary folder, removed after).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Instead, time importing BibTeX and CSL-JSON files of this many
    /// entries.
    #[arg(long, value_name = "ENTRIES")]
    pub formats: Option<u64>,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Serialize)]
pub struct Latency {
    pub kind: String,
    pub queries: usize,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug, Serialize)]
pub struct BenchReport {
    pub papers: u64,
    pub seed: u64,
    pub generate_s: f64,
    pub import_s: f64,
    pub import_papers_per_s: f64,
    pub peak_rss_mib: f64,
    pub open_first_query_ms: f64,
    pub latencies: Vec<Latency>,
    pub related_precision_at_10: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn latency(kind: &str, mut samples: Vec<Duration>) -> Latency {
    samples.sort();
    let pick = |q: f64| {
        if samples.is_empty() {
            0.0
        } else {
            let i = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
            ms(samples[i])
        }
    };
    Latency {
        kind: kind.to_string(),
        queries: samples.len(),
        p50_ms: pick(0.50),
        p90_ms: pick(0.90),
        p99_ms: pick(0.99),
        max_ms: samples.last().map(|d| ms(*d)).unwrap_or(0.0),
    }
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn time_queries(lib: &Library, queries: &[String], limit: usize) -> anyhow::Result<Vec<Duration>> {
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        let t = Instant::now();
        let hits = lib.search(q, limit)?;
        out.push(t.elapsed());
        std::hint::black_box(hits);
    }
    Ok(out)
}

/// Runs the benchmark and prints a Markdown table (or JSON).
pub fn run(args: &BenchArgs, json: bool) -> anyhow::Result<BenchReport> {
    let tmp;
    let root = match &args.out {
        Some(p) => p.clone(),
        None => {
            tmp = tempfile::tempdir()?;
            tmp.path().join("library")
        }
    };
    eprintln!("generating {} papers (seed {})…", args.papers, args.seed);
    let t = Instant::now();
    let corpus = Corpus::new(args.seed, args.topics);
    let mut topics = Vec::with_capacity(args.papers as usize);
    let mut papers = Vec::with_capacity(args.papers as usize);
    for cp in corpus.papers(args.papers) {
        topics.push(cp.topic);
        papers.push(cp.paper);
    }
    let generate_s = t.elapsed().as_secs_f64();

    // Reuse a library kept from an earlier run with the same corpus.
    let reuse = root
        .join(crate::library::PRIVATE_DIR)
        .join("lectern.db")
        .exists();
    let (import_s, ids, peak) = if reuse {
        eprintln!("reusing the library in {}…", root.display());
        drop(papers);
        let lib = Library::open(&root)?;
        let ids = crate::store::papers::all_ids(lib.connection())?;
        anyhow::ensure!(
            ids.len() as u64 == args.papers,
            "{} holds {} papers, not {}; use another --out",
            root.display(),
            ids.len(),
            args.papers
        );
        (f64::NAN, ids, peak_rss_mib())
    } else {
        eprintln!("importing…");
        let t = Instant::now();
        let mut lib = Library::open(&root)?;
        let report = lib.import_papers(papers, Vec::new())?;
        let import_s = t.elapsed().as_secs_f64();
        anyhow::ensure!(
            report.added as u64 == args.papers,
            "expected {} papers added, got {} (merged {}, skipped {})",
            args.papers,
            report.added,
            report.merged,
            report.skipped
        );
        (import_s, report.added_ids, peak_rss_mib())
    };

    eprintln!("opening and querying…");
    let t = Instant::now();
    let lib = Library::open(&root)?;
    let first = lib.search("language models", 10)?;
    let open_first = t.elapsed();
    anyhow::ensure!(!first.is_empty(), "first query found nothing");

    let q = corpus.queries(args.queries);
    let mut latencies = vec![
        latency("term (1–3 words)", time_queries(&lib, &q.terms, 10)?),
        latency("prefix (as you type)", time_queries(&lib, &q.prefixes, 10)?),
        latency("phrase", time_queries(&lib, &q.phrases, 10)?),
        latency("typo", time_queries(&lib, &q.typos, 10)?),
        latency("field", time_queries(&lib, &q.fields, 10)?),
    ];

    // Related papers: latency and precision@10 against the latent topics.
    let step = (ids.len() / args.related_samples.max(1)).max(1);
    let topic_of: std::collections::HashMap<&str, u32> = ids
        .iter()
        .map(String::as_str)
        .zip(topics.iter().copied())
        .collect();
    let mut samples = Vec::new();
    let mut precision_sum = 0.0;
    let mut scored = 0;
    for (i, id) in ids
        .iter()
        .enumerate()
        .step_by(step)
        .take(args.related_samples)
    {
        let t = Instant::now();
        let related = lib.related(id, 10)?;
        samples.push(t.elapsed());
        if !related.suggestions.is_empty() {
            let same = related
                .suggestions
                .iter()
                .filter(|h| topic_of.get(h.id.as_str()) == Some(&topics[i]))
                .count();
            precision_sum += same as f64 / related.suggestions.len() as f64;
            scored += 1;
        }
    }
    latencies.push(latency("related", samples));

    let report = BenchReport {
        papers: args.papers,
        seed: args.seed,
        generate_s,
        import_s,
        import_papers_per_s: args.papers as f64 / import_s,
        peak_rss_mib: peak,
        open_first_query_ms: ms(open_first),
        latencies,
        related_precision_at_10: if scored == 0 {
            0.0
        } else {
            precision_sum / scored as f64
        },
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_table(&report);
    }
    Ok(report)
}

fn print_table(r: &BenchReport) {
    println!("## lectern bench: {} papers, seed {}\n", r.papers, r.seed);
    println!("| stage | figure |");
    println!("|---|---|");
    println!("| corpus generation | {:.2} s |", r.generate_s);
    println!(
        "| import (SQLite + index) | {:.2} s = {:.0} papers/s |",
        r.import_s, r.import_papers_per_s
    );
    println!(
        "| peak memory (through import) | {:.0} MiB |",
        r.peak_rss_mib
    );
    println!("| open + first query | {:.0} ms |", r.open_first_query_ms);
    println!(
        "| related precision@10 (same topic) | {:.3} |",
        r.related_precision_at_10
    );
    println!("\n| query kind | n | p50 ms | p90 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    for l in &r.latencies {
        println!(
            "| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            l.kind, l.queries, l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms
        );
    }
}
