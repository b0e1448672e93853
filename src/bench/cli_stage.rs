//! `lectern bench --cli`: the commands a person runs, timed from outside.
//!
//! The engine stages call the library in-process; this stage spawns the
//! real `lectern` binary (the one running the benchmark) as a shell would.
//! It writes the corpus as a copied papers listing (a title line, a blank
//! line, the abstract), times `lectern import` of it into an empty library
//! from process start to exit (parsing, the store, the index and every
//! paper file), then times each read command in a new process several
//! times: `search`, `show`, `related`, `list`, and a `sync` with nothing
//! changed. Each command's output is read to its end, so its time is the
//! time until a person has the whole answer.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::corpus::Corpus;

/// How many times each read command runs.
const RUNS: usize = 7;

/// One command's times over its runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommandTiming {
    /// The command as a person types it (without `--library`).
    pub command: String,
    pub runs: usize,
    pub median_ms: f64,
    pub max_ms: f64,
    /// The first run (the first command after the import).
    pub first_ms: f64,
}

/// What the CLI stage measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CliFigures {
    pub papers: u64,
    pub listing_mib: f64,
    /// `lectern import <listing>` into an empty library, process start to
    /// exit.
    pub import_s: f64,
    pub import_papers_per_s: f64,
    /// Paper files in `papers/` after the import.
    pub paper_files: usize,
    pub commands: Vec<CommandTiming>,
}

/// The first `n` papers of `corpus` as a papers listing: each card a
/// title line, a blank line, the abstract and a blank line.
pub fn listing(corpus: &Corpus, n: u64) -> String {
    let mut out = String::with_capacity(n as usize * 1200);
    for cp in corpus.papers(n) {
        out.push_str(cp.paper.title.trim());
        out.push_str("\n\n");
        out.push_str(cp.paper.abstract_text.trim());
        out.push_str("\n\n");
    }
    out
}

/// The `lectern` binary this benchmark runs in.
fn lectern() -> anyhow::Result<PathBuf> {
    std::env::current_exe().context("finding the lectern binary")
}

/// Runs `lectern --library <root> <args>` to its end with its output read;
/// returns the time and standard output, or fails with its standard error.
fn lectern_run(root: &Path, args: &[&str]) -> anyhow::Result<(Duration, Vec<u8>)> {
    let mut cmd = Command::new(lectern()?);
    cmd.arg("--library")
        .arg(root)
        .args(args)
        .env_remove("LECTERN_LIBRARY")
        .stdin(Stdio::null());
    let t = Instant::now();
    let out = cmd.output().context("starting lectern")?;
    let took = t.elapsed();
    anyhow::ensure!(
        out.status.success(),
        "`lectern {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok((took, out.stdout))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Times `args` [`RUNS`] times, each in a new process.
fn time_command(root: &Path, args: &[&str]) -> anyhow::Result<CommandTiming> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let (took, stdout) = lectern_run(root, args)?;
        anyhow::ensure!(
            !stdout.is_empty(),
            "`lectern {}` printed nothing",
            args.join(" ")
        );
        times.push(took);
    }
    let first = times[0];
    times.sort();
    Ok(CommandTiming {
        command: format!("lectern {}", args.join(" ")),
        runs: RUNS,
        median_ms: ms(times[RUNS / 2]),
        max_ms: ms(times[RUNS - 1]),
        first_ms: ms(first),
    })
}

/// Runs the stage in `<out>/cli` (made afresh; kept afterwards), or in a
/// temporary folder without `--out`.
pub fn run(out: Option<&Path>, corpus: &Corpus, n: u64) -> anyhow::Result<CliFigures> {
    match out {
        Some(out) => {
            let dir = out.join("cli");
            if dir.exists() {
                std::fs::remove_dir_all(&dir).with_context(|| dir.display().to_string())?;
            }
            std::fs::create_dir_all(&dir).with_context(|| dir.display().to_string())?;
            measure(corpus, n, &dir)
        }
        None => measure(corpus, n, tempfile::tempdir()?.path()),
    }
}

/// Imports `n` papers of `corpus` as a listing into a new library in
/// `dir`, then times the read commands on it.
fn measure(corpus: &Corpus, n: u64, dir: &Path) -> anyhow::Result<CliFigures> {
    eprintln!("CLI: writing a listing of {n} papers…");
    let text = listing(corpus, n);
    let file = dir.join("listing.txt");
    std::fs::write(&file, &text).with_context(|| file.display().to_string())?;
    let listing_mib = text.len() as f64 / (1024.0 * 1024.0);
    drop(text);
    let root = dir.join("cli-library");
    eprintln!("CLI: lectern import…");
    let file_arg = file.to_string_lossy().into_owned();
    let (took, stdout) = lectern_run(&root, &["--json", "import", &file_arg])?;
    let report: serde_json::Value =
        serde_json::from_slice(&stdout).context("reading `lectern import --json`")?;
    let ids: Vec<&str> = report["added_ids"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    anyhow::ensure!(
        ids.len() as u64 == n,
        "the listing gave {} papers of {n}",
        ids.len()
    );
    let paper_files = std::fs::read_dir(root.join(crate::sync::PAPERS_DIR))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".md"))
        .count();
    anyhow::ensure!(
        paper_files as u64 == n,
        "{paper_files} paper files written for {n} papers"
    );

    let queries = corpus.queries(1);
    let term = queries
        .terms
        .first()
        .cloned()
        .unwrap_or_else(|| "language models".to_string());
    let paper = ids[ids.len() / 2].to_string();
    eprintln!("CLI: timing read commands…");
    let mut commands = Vec::new();
    for args in [
        vec!["search", term.as_str()],
        vec!["show", paper.as_str()],
        vec!["related", paper.as_str()],
        vec!["list"],
        vec!["sync"],
    ] {
        commands.push(time_command(&root, &args)?);
    }
    Ok(CliFigures {
        papers: n,
        listing_mib,
        import_s: took.as_secs_f64(),
        import_papers_per_s: n as f64 / took.as_secs_f64(),
        paper_files,
        commands,
    })
}

/// The stage as a Markdown table.
pub fn table(f: &CliFigures) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nThe `lectern` command, one process per run ({} papers):\n",
        f.papers
    );
    let _ = writeln!(out, "| command | median | max | first run |");
    let _ = writeln!(out, "|---|---|---|---|");
    let _ = writeln!(
        out,
        "| `lectern import` of a {:.0} MiB listing (parse, store, index, {} paper files) | {:.2} s ({:.0} papers/s) | — | — |",
        f.listing_mib, f.paper_files, f.import_s, f.import_papers_per_s
    );
    for c in &f.commands {
        let _ = writeln!(
            out,
            "| `{}` ({} runs) | {:.0} ms | {:.0} ms | {:.0} ms |",
            c.command, c.runs, c.median_ms, c.max_ms, c.first_ms
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_listing_reads_back_as_its_papers() {
        let corpus = super::Corpus::new(1, 20);
        let text = super::listing(&corpus, 50);
        let parsed = crate::import::parse(&text, "listing.txt").expect("parse");
        assert_eq!(parsed.papers.len(), 50, "{:?}", parsed.problems);
        let first = corpus.paper(0).paper;
        assert_eq!(parsed.papers[0].title, first.title);
    }
}
