//! `lectern bench --formats N`: import speed of reference files. A library
//! of N synthetic papers is exported as BibTeX and CSL-JSON, and each file
//! is imported into an empty library (median of three runs).

use std::time::Instant;

use serde::Serialize;

use super::corpus::Corpus;
use crate::Library;

/// One format's import time.
#[derive(Debug, Serialize)]
pub struct FormatTiming {
    pub format: String,
    pub entries: usize,
    pub file_mib: f64,
    pub median_s: f64,
    pub entries_per_s: f64,
}

pub fn run(entries: u64, seed: u64, topics: u32) -> anyhow::Result<Vec<FormatTiming>> {
    let dir = tempfile::tempdir()?;
    eprintln!("generating {entries} papers and exporting them…");
    let source = dir.path().join("source");
    let mut lib = Library::open(&source)?;
    let corpus = Corpus::new(seed, topics);
    let papers: Vec<_> = corpus.papers(entries).map(|p| p.paper).collect();
    lib.import_papers(papers, Vec::new())?;
    let files = [
        ("bibtex", "refs.bib", lib.export_bibtex(None)?),
        ("csl-json", "refs.json", lib.export_csl_json(None)?),
    ];
    drop(lib);
    let mut out = Vec::new();
    for (format, name, text) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, &text)?;
        let mut runs = Vec::new();
        for run in 0..3 {
            let root = dir.path().join(format!("{format}-{run}"));
            let t = Instant::now();
            let mut lib = Library::open(&root)?;
            let report = lib.import_file(&path)?;
            runs.push(t.elapsed().as_secs_f64());
            anyhow::ensure!(
                report.added as u64 == entries,
                "{format}: {} of {entries} papers imported ({} problems)",
                report.added,
                report.problems.len()
            );
        }
        runs.sort_by(f64::total_cmp);
        let median = runs[1];
        out.push(FormatTiming {
            format: format.to_string(),
            entries: entries as usize,
            file_mib: text.len() as f64 / (1024.0 * 1024.0),
            median_s: median,
            entries_per_s: entries as f64 / median,
        });
    }
    Ok(out)
}

/// The table `lectern bench --formats` prints.
pub fn table(rows: &[FormatTiming]) -> String {
    let mut s = String::from(
        "| format | entries | file MiB | import s (median of 3) | entries/s |\n|---|---|---|---|---|\n",
    );
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {:.1} | {:.2} | {:.0} |\n",
            r.format, r.entries, r.file_mib, r.median_s, r.entries_per_s
        ));
    }
    s
}
