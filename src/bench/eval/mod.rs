//! `lectern bench --eval PATH`: known-item search quality on real papers.
//!
//! The files at `PATH` (a bibliography, or a folder of them) are imported
//! into a temporary library through [`Library`], as a user would import
//! them; the papers the library then holds are also put in an FTS5 table
//! ([`super::fts5`]). Each paper with a real abstract (a target) gives
//! known-item queries ([`queries`]): three words of its abstract (exact),
//! the same plus one plausible word it does not hold (loose), and, for the
//! papers of a hand-written file, a short description (natural). Every
//! query runs through [`Library::search`] (as the CLI searches, 10 hits),
//! FTS5 with every word required (AND) and FTS5 with any word (OR), both
//! ranked by `bm25()`. The score is the mean reciprocal rank at 10: 1 when
//! the target always comes first, 0 when it is never in the top 10.

pub mod queries;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::fts5::{self, Fts5};
use crate::Library;
use crate::model::Paper;
use queries::{Kind, Query};

/// The descriptions of the natural queries, written for the bibliographies
/// `scripts/fetch-test-data` fetches (matched by title; other data sets
/// simply have no natural queries).
pub const DESCRIPTIONS: &str = include_str!("../../../tests/fixtures/eval/descriptions.tsv");

/// How many hits count.
const DEPTH: usize = 10;

/// One system's answers to one kind of query.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub mrr_at_10: f64,
    /// Queries whose target came first.
    pub first: usize,
    /// Queries whose target was among the first 10.
    pub in_top_10: usize,
}

impl Score {
    /// Scores the 1-based rank of each query's target (`None`: not in the
    /// first 10).
    fn from_ranks(ranks: &[Option<usize>]) -> Score {
        let n = ranks.len().max(1) as f64;
        Score {
            mrr_at_10: ranks
                .iter()
                .flatten()
                .fold(0.0, |sum, &r| sum + 1.0 / r as f64)
                / n,
            first: ranks.iter().filter(|r| **r == Some(1)).count(),
            in_top_10: ranks.iter().flatten().count(),
        }
    }
}

/// The scores of one kind of query.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KindScores {
    pub kind: String,
    pub queries: usize,
    pub lectern: Score,
    pub fts5_and: Score,
    pub fts5_or: Score,
    /// The first few queries, to show what they look like.
    pub examples: Vec<String>,
}

/// Everything the evaluation measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvalReport {
    pub date: String,
    pub git_commit: Option<String>,
    /// The files read, by name.
    pub files: Vec<String>,
    /// Papers in the library (after the import merged duplicates).
    pub papers: usize,
    /// Papers with an abstract of at least 40 words that no other paper
    /// shares.
    pub targets: usize,
    pub seed: u64,
    pub kinds: Vec<KindScores>,
    /// Descriptions whose title names no target of the data.
    pub unmatched_descriptions: Vec<String>,
}

impl EvalReport {
    /// The scores of `kind`, when it had queries.
    pub fn kind(&self, kind: Kind) -> Option<&KindScores> {
        self.kinds.iter().find(|k| k.kind == kind.label())
    }
}

/// The files to import: `path` itself, or the bibliographies and other
/// importable files of a folder (by name; `.tsv` bookkeeping left out).
fn input_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        anyhow::ensure!(path.is_file(), "{} does not exist", path.display());
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| path.display().to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                    ["bib", "ris", "json", "txt", "md"].contains(&e.to_ascii_lowercase().as_str())
                })
        })
        .collect();
    files.sort();
    anyhow::ensure!(
        !files.is_empty(),
        "{} holds no bibliography",
        path.display()
    );
    Ok(files)
}

/// Runs the evaluation on the files at `path` with the embedded
/// descriptions.
pub fn evaluate(path: &Path, seed: u64) -> anyhow::Result<EvalReport> {
    evaluate_with(path, seed, DESCRIPTIONS)
}

/// Runs the evaluation with the descriptions in `descriptions`
/// (`title<TAB>description` lines).
pub fn evaluate_with(path: &Path, seed: u64, descriptions: &str) -> anyhow::Result<EvalReport> {
    let files = input_files(path)?;
    let tmp = tempfile::tempdir()?;
    let root = tmp.path().join("library");
    eprintln!("eval: importing {} file(s)…", files.len());
    let mut lib = Library::open_with(&root, crate::library::Opening::BULK)?;
    for f in &files {
        lib.import_file(f)
            .with_context(|| format!("importing {}", f.display()))?;
    }
    let papers: Vec<Paper> = lib.list(None, None)?;
    anyhow::ensure!(!papers.is_empty(), "no paper was imported");
    let fts = Fts5::build(
        &tmp.path().join("fts5.db"),
        &papers.iter().map(queries::as_new_paper).collect::<Vec<_>>(),
    )?;

    let mut all = queries::known_item(&papers, seed);
    let (natural, unmatched) =
        queries::natural(&papers, &queries::parse_descriptions(descriptions));
    all.extend(natural);
    eprintln!("eval: {} papers, {} queries…", papers.len(), all.len());

    let mut kinds = Vec::new();
    for kind in Kind::ALL {
        let list: Vec<&Query> = all.iter().filter(|q| q.kind == kind).collect();
        if list.is_empty() {
            continue;
        }
        let (mut lectern, mut and, mut or) = (Vec::new(), Vec::new(), Vec::new());
        for q in &list {
            let want = &papers[q.target].id;
            let hits = lib
                .search(&q.text, DEPTH)
                .with_context(|| format!("Lectern query {:?}", q.text))?;
            lectern.push(hits.iter().position(|h| &h.id == want).map(|r| r + 1));
            let row = q.target as i64 + 1;
            for (mode, ranks) in [
                (fts5::Kind::Term, &mut and),
                (fts5::Kind::BestMatch, &mut or),
            ] {
                let hits = match fts5::translate(mode, &q.text) {
                    Some(expr) => fts.search(&expr, DEPTH)?,
                    None => Vec::new(),
                };
                ranks.push(hits.iter().position(|h| h.rowid == row).map(|r| r + 1));
            }
        }
        kinds.push(KindScores {
            kind: kind.label().to_string(),
            queries: list.len(),
            lectern: Score::from_ranks(&lectern),
            fts5_and: Score::from_ranks(&and),
            fts5_or: Score::from_ranks(&or),
            examples: list.iter().take(3).map(|q| q.text.clone()).collect(),
        });
    }
    Ok(EvalReport {
        date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        git_commit: super::report::git_commit(),
        files: files
            .iter()
            .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect(),
        papers: papers.len(),
        targets: queries::targets(&papers).iter().filter(|t| **t).count(),
        seed,
        kinds,
        unmatched_descriptions: unmatched,
    })
}

/// The report as Markdown: mean reciprocal rank at 10 per kind and system,
/// then how often the target came first and within the top 10.
pub fn table(r: &EvalReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## lectern bench --eval: {} papers ({} targets: an abstract of their own), seed {}\n",
        r.papers, r.targets, r.seed
    );
    let _ = writeln!(
        out,
        "Mean reciprocal rank at 10 (1 = the paper first every time):\n"
    );
    let _ = writeln!(
        out,
        "| query kind | queries | Lectern | FTS5 AND | FTS5 OR |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    for k in &r.kinds {
        let _ = writeln!(
            out,
            "| {} | {} | {:.3} | {:.3} | {:.3} |",
            k.kind, k.queries, k.lectern.mrr_at_10, k.fts5_and.mrr_at_10, k.fts5_or.mrr_at_10
        );
    }
    let _ = writeln!(out, "\nThe paper first / in the top 10:\n");
    let _ = writeln!(out, "| query kind | Lectern | FTS5 AND | FTS5 OR |");
    let _ = writeln!(out, "|---|---|---|---|");
    let cell = |s: &Score, n: usize| {
        format!(
            "{:.0}% / {:.0}%",
            100.0 * s.first as f64 / n.max(1) as f64,
            100.0 * s.in_top_10 as f64 / n.max(1) as f64
        )
    };
    for k in &r.kinds {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            k.kind,
            cell(&k.lectern, k.queries),
            cell(&k.fts5_and, k.queries),
            cell(&k.fts5_or, k.queries)
        );
    }
    let _ = writeln!(out, "\nExamples:");
    for k in &r.kinds {
        let _ = writeln!(out, "- {}: `{}`", k.kind, k.examples.join("`, `"));
    }
    if !r.unmatched_descriptions.is_empty() {
        let _ = writeln!(
            out,
            "\n{} description(s) name no target of these files.",
            r.unmatched_descriptions.len()
        );
    }
    out
}

/// `lectern bench --eval PATH`: prints the table (or, with `json`, the
/// report) and writes the report to `json_out` when asked.
pub fn run(path: &Path, seed: u64, json: bool, json_out: Option<&Path>) -> anyhow::Result<()> {
    let report = evaluate(path, seed)?;
    let text = serde_json::to_string_pretty(&report)?;
    if json {
        println!("{text}");
    } else {
        print!("{}", table(&report));
    }
    if let Some(out) = json_out {
        std::fs::write(out, text + "\n").with_context(|| out.display().to_string())?;
        eprintln!("figures written to {}", out.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reciprocal_ranks() {
        let s = Score::from_ranks(&[Some(1), Some(2), None, Some(4)]);
        assert_eq!(s.first, 1);
        assert_eq!(s.in_top_10, 3);
        assert!((s.mrr_at_10 - (1.0 + 0.5 + 0.25) / 4.0).abs() < 1e-12);
        assert_eq!(Score::from_ranks(&[]).mrr_at_10, 0.0);
    }

    #[test]
    fn evaluates_a_small_bibliography() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut bib = String::new();
        let topics = [
            (
                "Hyphenation by Patterns",
                "hyphenation patterns dictionary syllables",
            ),
            (
                "Outline Font Hinting",
                "outline hinting stems rasterizer pixels",
            ),
            (
                "Arabic Teleprinters",
                "arabic teleprinter contextual shaping letters",
            ),
            (
                "Halftone Screens",
                "halftone screens dithering error diffusion",
            ),
        ];
        for (k, (title, words)) in topics.iter().enumerate() {
            let abstract_text = format!(
                "{words} are the subject here; we study {words} in depth and compare \
                 {words} against older practice in printing offices of many countries \
                 over several decades of careful measurement and long debate among \
                 the compositors who set them by hand"
            );
            bib.push_str(&format!(
                "@article{{k{k},\n  title = {{{title}}},\n  author = {{Ann Author}},\n  \
                 year = {{1990}},\n  abstract = {{{abstract_text}}}\n}}\n\n"
            ));
        }
        let path = dir.path().join("small.bib");
        std::fs::write(&path, bib).expect("write");
        let descriptions = "Halftone Screens\thalftone dithering\nNot Here\tx\n";
        let r = evaluate_with(&path, 3, descriptions).expect("evaluate");
        assert_eq!((r.papers, r.targets), (4, 4));
        assert_eq!(r.unmatched_descriptions, ["Not Here"]);
        let exact = r.kind(Kind::Exact).expect("exact");
        assert_eq!(exact.queries, 4);
        assert_eq!(r.kind(Kind::Natural).map(|k| k.queries), Some(1));
        assert!(exact.fts5_or.mrr_at_10 > 0.0);
        let t = table(&r);
        assert!(t.contains("| exact (3 words of the abstract) | 4 |"), "{t}");
        assert!(t.contains("FTS5 OR"));
    }
}
