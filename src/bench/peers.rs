//! Runs the peers on the corpus Lectern was just measured on, and judges
//! Lectern's answers the way the peers' are judged (queries with no hit,
//! typos that still find the meant word).
//!
//! FTS5 runs in a child process (`lectern bench --peer-child fts5`, same
//! size, seed and queries) so that its peak memory is its own: the child
//! generates the corpus just as the Lectern run does, builds the table,
//! runs the queries and prints its figures as JSON. ripgrep searches
//! Lectern's Markdown export of the library from this process.

use std::collections::HashMap;
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};
use serde::Serialize;

use super::BenchArgs;
use super::corpus::{Corpus, Queries};
use super::fts5::{self, Fts5Report};
use super::report::{HitStats, LecternQuality, TargetStats, TypoStats};
use super::ripgrep::{self, RgReport};
use crate::Library;
use crate::model::NewPaper;

/// A peer engine measured next to Lectern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
pub enum Peer {
    /// SQLite FTS5 (the bundled SQLite).
    Fts5,
    /// ripgrep over the Markdown export.
    Rg,
}

/// Which peers run, and why others do not.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub fts5: bool,
    pub rg: bool,
    pub notes: Vec<String>,
}

impl Selection {
    /// `--no-peers`, `--peers LIST` or every available peer.
    pub fn from_args(args: &BenchArgs) -> Selection {
        if args.no_peers {
            return Selection::default();
        }
        let wanted = args
            .peers
            .clone()
            .unwrap_or_else(|| vec![Peer::Fts5, Peer::Rg]);
        let mut sel = Selection {
            fts5: wanted.contains(&Peer::Fts5),
            ..Selection::default()
        };
        if wanted.contains(&Peer::Rg) {
            if ripgrep::available() {
                sel.rg = true;
            } else {
                sel.notes
                    .push("rg not installed: the ripgrep peer was skipped.".into());
            }
        }
        sel
    }
}

/// What the peers stage adds to one size's figures.
pub struct Outcome {
    pub lectern_quality: LecternQuality,
    pub fts5: Option<Fts5Report>,
    pub ripgrep: Option<RgReport>,
    pub notes: Vec<String>,
}

/// The state of the Lectern run the peers are compared with.
pub struct Context<'a> {
    pub args: &'a BenchArgs,
    pub papers: u64,
    pub corpus: &'a Corpus,
    pub lib: &'a Library,
    /// Paper ids in corpus order.
    pub ids: &'a [String],
    pub queries: &'a Queries,
}

/// Judges Lectern's answers, then runs the selected peers.
pub fn compare(cx: &Context, sel: &Selection) -> anyhow::Result<Outcome> {
    let lectern_quality = lectern_quality(cx)?;
    let mut notes = sel.notes.clone();
    let fts5 = if sel.fts5 {
        eprintln!("FTS5: building and querying in a child process…");
        match fts5_in_child(cx.args, cx.papers) {
            Ok(report) => Some(report),
            Err(e) => {
                eprintln!("FTS5: {e:#}; running it in this process instead…");
                notes.push(format!(
                    "FTS5 ran inside the benchmark process ({e:#}), so its peak memory \
                     is not reported."
                ));
                Some(fts5_here(cx)?)
            }
        }
    } else {
        None
    };
    let ripgrep = if sel.rg {
        eprintln!("ripgrep: exporting Markdown and searching it…");
        let tmp = tempfile::tempdir()?;
        let report = ripgrep::measure(
            cx.lib,
            &tmp.path().join("vault"),
            cx.queries,
            cx.args.rg_queries,
        )?;
        if report.queries_per_kind < cx.queries.terms.len() {
            notes.push(format!(
                "ripgrep ran the first {} queries of each kind (Lectern and FTS5: {}).",
                report.queries_per_kind,
                cx.queries.terms.len()
            ));
        }
        Some(report)
    } else {
        None
    };
    Ok(Outcome {
        lectern_quality,
        fts5,
        ripgrep,
        notes,
    })
}

/// Runs every query once more (untimed) to count hits and score typos.
fn lectern_quality(cx: &Context) -> anyhow::Result<LecternQuality> {
    let index_of: HashMap<&str, u64> = cx
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i as u64))
        .collect();
    let q = cx.queries;
    let mut out = LecternQuality::default();
    for (label, list) in [
        ("term (1–3 words)", &q.terms),
        ("prefix (as you type)", &q.prefixes),
        ("phrase", &q.phrases),
        ("typo", &q.typos),
        ("field", &q.fields),
        (super::BEST_MATCH, &q.best_match),
    ] {
        let mut found: Vec<Vec<u64>> = Vec::with_capacity(list.len());
        for query in list {
            let hits = cx.lib.search(query, 10)?;
            found.push(
                hits.iter()
                    .filter_map(|h| index_of.get(h.id.as_str()).copied())
                    .collect(),
            );
        }
        out.hits.push(HitStats::count(label, &found));
        if label == "typo" {
            out.typo = TypoStats::score(&found, &q.typo_words, |i| {
                (i < cx.papers).then(|| cx.corpus.paper(i).paper)
            });
        }
        if label == super::BEST_MATCH {
            out.best_match = TargetStats::score(&found, &q.best_match_targets);
        }
    }
    Ok(out)
}

/// Runs the FTS5 peer in a child process of this executable.
fn fts5_in_child(args: &BenchArgs, papers: u64) -> anyhow::Result<Fts5Report> {
    let exe = std::env::current_exe().context("finding the lectern executable")?;
    let out = Command::new(exe)
        .arg("bench")
        .args(["--papers", &papers.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .args(["--topics", &args.topics.to_string()])
        .args(["--queries", &args.queries.to_string()])
        .args(["--related-samples", &args.related_samples.to_string()])
        .args(["--peer-child", "fts5"])
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .context("running the FTS5 child process")?;
    if !out.status.success() {
        bail!("the FTS5 child process failed ({})", out.status);
    }
    serde_json::from_slice(&out.stdout).context("reading the FTS5 child's figures")
}

/// Runs the FTS5 peer in this process, on a fresh copy of the corpus.
fn fts5_here(cx: &Context) -> anyhow::Result<Fts5Report> {
    let (papers, topics): (Vec<NewPaper>, Vec<u32>) = cx
        .corpus
        .papers(cx.papers)
        .map(|cp| (cp.paper, cp.topic))
        .unzip();
    let tmp = tempfile::tempdir()?;
    fts5::measure(&fts5::Inputs {
        papers: &papers,
        topics: &topics,
        queries: cx.queries,
        related_samples: cx.args.related_samples,
        dir: tmp.path(),
    })
}

/// The child side: measures one peer at `args.papers[0]` papers and prints
/// its figures as JSON on stdout.
pub fn child(args: &BenchArgs, peer: Peer) -> anyhow::Result<()> {
    let Peer::Fts5 = peer else {
        bail!("--peer-child runs fts5 only");
    };
    let n = args.papers.first().copied().context("--papers is empty")?;
    let corpus = Corpus::new(args.seed, args.topics);
    let (papers, topics): (Vec<NewPaper>, Vec<u32>) =
        corpus.papers(n).map(|cp| (cp.paper, cp.topic)).unzip();
    let queries = corpus.queries(args.queries);
    let tmp = tempfile::tempdir()?;
    let mut report = fts5::measure(&fts5::Inputs {
        papers: &papers,
        topics: &topics,
        queries: &queries,
        related_samples: args.related_samples,
        dir: tmp.path(),
    })?;
    report.peak_rss_mib = Some(super::peak_rss_mib());
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
