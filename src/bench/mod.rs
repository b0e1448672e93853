//! `lectern bench`: measures the engine on a synthetic library.
//!
//! The corpus ([`corpus`]) is generated from the seed listing's vocabulary,
//! deterministic for a given `--seed`, with latent topics so related-paper
//! quality can be judged. Stages: import (end to end: SQLite + index), peak
//! memory, open + first query, search latencies by query kind, how often a
//! best-match query puts the paper it was made from first, related papers
//! latency and precision@10 against the known topics. `--eval PATH` instead
//! measures known-item search quality on real papers ([`eval`]).
//!
//! Peers ([`peers`]) run on the same corpus and queries: SQLite FTS5
//! ([`fts5`]) and ripgrep over the Markdown export ([`ripgrep`]); the
//! report ([`report`]) prints one comparison table per size and can write
//! every figure as JSON.

pub mod cli_stage;
pub mod corpus;
pub mod eval;
pub mod fetch;
pub mod folder;
pub mod formats;
pub mod fts5;
pub mod meaning;
pub mod paper_words;
pub mod pdfgen;
pub mod peers;
pub mod report;
pub mod ripgrep;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::Library;
use crate::model::NewPaper;
use corpus::Corpus;

#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Number of synthetic papers; a comma-separated list (10000,100000)
    /// runs each size in turn.
    #[arg(long, value_delimiter = ',', default_value = "100000")]
    pub papers: Vec<u64>,
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
    /// Keep the library here (default: a temporary folder, removed after);
    /// with several sizes, in `papers-N` folders inside it.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Peers to measure side by side: fts5, rg (default: every one
    /// available).
    #[arg(long, value_enum, value_delimiter = ',', conflicts_with = "no_peers")]
    pub peers: Option<Vec<peers::Peer>>,
    /// Measure Lectern alone.
    #[arg(long)]
    pub no_peers: bool,
    /// Skip the library-folder stages (write-out, sync).
    #[arg(long)]
    pub no_folder: bool,
    /// Term and phrase queries ripgrep runs (the first of each kind).
    #[arg(long, default_value_t = 50)]
    pub rg_queries: usize,
    /// Also write every figure, the machine and the commit as JSON here.
    #[arg(long, value_name = "FILE")]
    pub json_out: Option<PathBuf>,
    /// Internal: measure this peer alone and print its figures as JSON.
    #[arg(long, hide = true)]
    pub peer_child: Option<peers::Peer>,
    /// Instead, time importing BibTeX and CSL-JSON files of this many
    /// entries.
    #[arg(long, value_name = "ENTRIES")]
    pub formats: Option<u64>,
    /// Instead, measure known-item search quality (mean reciprocal rank at
    /// 10, Lectern beside FTS5) on the real papers of this bibliography or
    /// folder of bibliographies.
    #[arg(long, value_name = "PATH", conflicts_with = "formats")]
    pub eval: Option<PathBuf>,
    /// Instead, time filling in this many pasted papers from a local
    /// stand-in for the web sources (`lectern fetch`'s work, without rate
    /// limits).
    #[arg(long, value_name = "PAPERS", conflicts_with_all = ["formats", "eval"])]
    pub fetch: Option<u64>,
    /// Also time the `lectern` command itself: an import of the corpus as
    /// a listing and cold read commands, each a new process.
    #[arg(long)]
    pub cli: bool,
    /// Instead, time search by meaning: embedding speed per model, query
    /// embedding, hybrid search and related papers at each --papers size.
    #[arg(long, conflicts_with_all = ["formats", "eval", "fetch"])]
    pub meaning: bool,
    /// With --meaning: a model folder to time (repeat to compare; the
    /// first is used for the searches). Default: the installed model.
    #[arg(long, value_name = "DIR", requires = "meaning")]
    pub model: Vec<PathBuf>,
    /// With --meaning: time only the vector work (no library), for sizes
    /// too large to import.
    #[arg(long, requires = "meaning")]
    pub vectors_only: bool,
    /// With --vectors-only: start from the real vectors of this library
    /// folder (random ones fill up to each size), and report how many of
    /// the exact scan's neighbours the signature prefilter finds.
    #[arg(long, value_name = "DIR", requires = "vectors_only")]
    pub vectors_from: Option<PathBuf>,
}

/// The label of the best-match kind (queries with words the target paper
/// does not hold).
pub const BEST_MATCH: &str = "best match (words missing)";

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// As you type: the share of the top 10 shown before a keystroke that
    /// the top 10 after it still shows, averaged over keystrokes.
    pub typing_top10_kept: f64,
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

/// The cache folder of test and evaluation data (`scripts/fetch-test-data`,
/// `scripts/fetch-model`): `$LECTERN_TEST_DATA`, else
/// `${XDG_CACHE_HOME:-$HOME/.cache}/lectern-test-data`.
pub fn test_data_dir() -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    std::env::var_os("LECTERN_TEST_DATA")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .filter(|d| !d.is_empty())
                .map(|d| PathBuf::from(d).join("lectern-test-data"))
        })
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/lectern-test-data"))
        })
}

/// The embedding model `scripts/fetch-model` caches for tests and
/// benchmarks (`models/all-MiniLM-L6-v2` of [`test_data_dir`]), when it is
/// there.
pub fn test_model_dir() -> Option<std::path::PathBuf> {
    let dir = test_data_dir()?
        .join("models")
        .join(crate::embed::DEFAULT_MODEL);
    dir.join("model.safetensors").is_file().then_some(dir)
}

/// Runs the benchmark for each `--papers` size and prints a Markdown table
/// per size (or, with `json`, the whole JSON document).
pub fn run(args: &BenchArgs, json: bool) -> anyhow::Result<()> {
    if let Some(peer) = args.peer_child {
        return peers::child(args, peer);
    }
    if let Some(path) = &args.eval {
        return eval::run(path, args.seed, json, args.json_out.as_deref());
    }
    if let Some(n) = args.fetch {
        return fetch::run(n, json);
    }
    if args.meaning {
        return meaning::run(args, &args.model, args.vectors_only, json);
    }
    let selection = peers::Selection::from_args(args);
    let mut runs = Vec::new();
    for &papers in &args.papers {
        report::reset_peak_rss();
        let run = run_size(args, papers, &selection)?;
        if !json {
            println!("{}", report::table(&run));
            print_table(&run.lectern);
            if let Some(f) = &run.folder {
                print!("{}", folder::table(f));
            }
            if let Some(c) = &run.cli {
                print!("{}", cli_stage::table(c));
            }
            println!();
        }
        runs.push(run);
    }
    let doc = report::Document::new(args.seed, args.topics, args.queries, runs);
    let text = serde_json::to_string_pretty(&doc)?;
    if json {
        println!("{text}");
    }
    if let Some(path) = &args.json_out {
        std::fs::write(path, text + "\n").with_context(|| path.display().to_string())?;
        eprintln!("figures written to {}", path.display());
    }
    Ok(())
}

/// Measures Lectern, then the peers, on `n` papers.
fn run_size(
    args: &BenchArgs,
    n: u64,
    selection: &peers::Selection,
) -> anyhow::Result<report::SizeRun> {
    // Held until the end: dropping it removes a temporary library.
    let (_tmp, root) = library_root(args, n)?;
    eprintln!("generating {n} papers (seed {})…", args.seed);
    let t = Instant::now();
    let corpus = Corpus::new(args.seed, args.topics);
    let (topics, papers): (Vec<u32>, Vec<NewPaper>) =
        corpus.papers(n).map(|cp| (cp.topic, cp.paper)).unzip();
    let generate_s = t.elapsed().as_secs_f64();
    let imported = import_or_reuse(&root, papers, n)?;

    eprintln!("opening and querying…");
    let t = Instant::now();
    let lib = Library::open_with(&root, crate::library::Opening::BULK)?;
    let first = lib.search("language models", 10)?;
    let open_first = t.elapsed();
    anyhow::ensure!(!first.is_empty(), "first query found nothing");

    let q = corpus.queries(args.queries);
    let mut latencies = query_latencies(&lib, &q)?;
    let (related, precision) = related_figures(&lib, &imported.ids, &topics, args)?;
    latencies.push(related);
    let typing_top10_kept = typing_stability(&lib, &q.prefixes)?;

    // The folder stages run before the peers, whose exports and temporary
    // databases would otherwise weigh on the file system under them.
    drop(lib);
    let folder = if args.no_folder {
        None
    } else {
        Some(folder::measure(&root)?)
    };
    let cli = match args.cli {
        true => Some(cli_stage::run(args.out.as_deref(), &corpus, n)?),
        false => None,
    };
    let lib = Library::open_with(&root, crate::library::Opening::BULK)?;
    let peers = peers::compare(
        &peers::Context {
            args,
            papers: n,
            corpus: &corpus,
            lib: &lib,
            ids: &imported.ids,
            queries: &q,
        },
        selection,
    )?;

    let report = BenchReport {
        papers: n,
        seed: args.seed,
        generate_s,
        import_s: imported.seconds,
        import_papers_per_s: n as f64 / imported.seconds,
        peak_rss_mib: imported.peak_rss_mib,
        open_first_query_ms: ms(open_first),
        latencies,
        related_precision_at_10: precision,
        typing_top10_kept,
    };
    Ok(report::SizeRun {
        papers: n,
        lectern: report,
        lectern_quality: peers.lectern_quality,
        fts5: peers.fts5,
        ripgrep: peers.ripgrep,
        notes: peers.notes,
        folder,
        cli,
    })
}

/// Where the library of an `n`-paper run lives: `--out` (in `papers-N` with
/// several sizes), else a temporary folder, returned to be kept alive.
fn library_root(args: &BenchArgs, n: u64) -> anyhow::Result<(Option<tempfile::TempDir>, PathBuf)> {
    Ok(match &args.out {
        Some(p) if args.papers.len() > 1 => (None, p.join(format!("papers-{n}"))),
        Some(p) => (None, p.clone()),
        None => {
            let tmp = tempfile::tempdir()?;
            let root = tmp.path().join("library");
            (Some(tmp), root)
        }
    })
}

/// What importing the corpus gave: its time (NaN for a reused library),
/// the papers' ids in corpus order, and the memory peak so far.
struct Imported {
    seconds: f64,
    ids: Vec<String>,
    peak_rss_mib: f64,
}

/// Imports the corpus, or reuses a library kept from an earlier run with
/// the same corpus.
fn import_or_reuse(root: &Path, papers: Vec<NewPaper>, n: u64) -> anyhow::Result<Imported> {
    let reuse = root
        .join(crate::library::PRIVATE_DIR)
        .join("lectern.db")
        .exists();
    if reuse {
        eprintln!("reusing the library in {}…", root.display());
        drop(papers);
        let lib = Library::open_with(root, crate::library::Opening::BULK)?;
        let ids = crate::store::papers::all_ids(lib.connection())?;
        anyhow::ensure!(
            ids.len() as u64 == n,
            "{} holds {} papers, not {n}; use another --out",
            root.display(),
            ids.len(),
        );
        return Ok(Imported {
            seconds: f64::NAN,
            ids,
            peak_rss_mib: peak_rss_mib(),
        });
    }
    eprintln!("importing…");
    let t = Instant::now();
    let mut lib = Library::open_with(root, crate::library::Opening::BULK)?;
    let report = lib.import_papers(papers, Vec::new())?;
    let seconds = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.added as u64 == n,
        "expected {n} papers added, got {} (merged {}, skipped {})",
        report.added,
        report.merged,
        report.skipped
    );
    Ok(Imported {
        seconds,
        ids: report.added_ids,
        peak_rss_mib: peak_rss_mib(),
    })
}

/// Search latencies for each kind of query of the workload.
fn query_latencies(lib: &Library, q: &corpus::Queries) -> anyhow::Result<Vec<Latency>> {
    Ok(vec![
        latency("term (1–3 words)", time_queries(lib, &q.terms, 10)?),
        latency("prefix (as you type)", time_queries(lib, &q.prefixes, 10)?),
        latency("phrase", time_queries(lib, &q.phrases, 10)?),
        latency("typo", time_queries(lib, &q.typos, 10)?),
        latency("field", time_queries(lib, &q.fields, 10)?),
        latency(BEST_MATCH, time_queries(lib, &q.best_match, 10)?),
    ])
}

/// How steady the list stays as a query is typed: for each keystroke of
/// the typed-prefix workload (a prefix followed by the same text one
/// character longer), the share of the top 10 before it that is still in
/// the top 10 after it, averaged over keystrokes with results before.
fn typing_stability(lib: &Library, prefixes: &[String]) -> anyhow::Result<f64> {
    let top = |q: &str| -> anyhow::Result<Vec<String>> {
        Ok(lib.search(q, 10)?.into_iter().map(|h| h.id).collect())
    };
    let (mut sum, mut keystrokes) = (0.0, 0usize);
    let mut before: Option<(&str, Vec<String>)> = None;
    for q in prefixes {
        let after = top(q)?;
        if let Some((prev, shown)) = &before {
            let one_more = q.starts_with(prev.trim_end()) && q.len() > prev.len();
            if one_more && !shown.is_empty() {
                let kept = shown.iter().filter(|id| after.contains(id)).count();
                sum += kept as f64 / shown.len() as f64;
                keystrokes += 1;
            }
        }
        before = Some((q.as_str(), after));
    }
    Ok(if keystrokes == 0 {
        0.0
    } else {
        sum / keystrokes as f64
    })
}

/// Related papers of evenly spaced samples: their latency, and precision@10
/// against the latent topics (the share of suggestions from the same topic).
fn related_figures(
    lib: &Library,
    ids: &[String],
    topics: &[u32],
    args: &BenchArgs,
) -> anyhow::Result<(Latency, f64)> {
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
    let precision = if scored == 0 {
        0.0
    } else {
        precision_sum / scored as f64
    };
    Ok((latency("related", samples), precision))
}

fn print_table(r: &BenchReport) {
    println!("### Lectern in detail\n");
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
    println!(
        "| as you type: top 10 kept per keystroke | {:.0} % |",
        r.typing_top10_kept * 100.0
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
