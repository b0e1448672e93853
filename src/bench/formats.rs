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
    out.push(time_pdfs(dir.path(), &corpus, PDF_COUNT, PDF_PAGES)?);
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

/// How many PDFs the PDF stage imports, and their pages.
const PDF_COUNT: usize = 100;
const PDF_PAGES: usize = 20;

/// Imports `count` generated PDFs of `pages` pages (about 3,000 characters
/// each) in one `lectern import`-style call.
fn time_pdfs(
    dir: &std::path::Path,
    corpus: &Corpus,
    count: usize,
    pages: usize,
) -> anyhow::Result<FormatTiming> {
    let folder = dir.join("pdfs");
    std::fs::create_dir_all(&folder)?;
    let mut bytes_total = 0;
    let mut paths = Vec::new();
    for i in 0..count {
        let cp = corpus.paper(i as u64);
        let words: Vec<&str> = cp.paper.abstract_text.split_whitespace().collect();
        let mut body = Vec::new();
        for page in 0..pages {
            let mut lines = Vec::new();
            if page == 0 {
                lines.push(cp.paper.title.clone());
                lines.push("Abstract".to_string());
            }
            // About 3,000 characters a page, 90 per line.
            let mut line = String::new();
            let mut k = page * 7;
            while lines.len() < 34 {
                let w = words.get(k % words.len().max(1)).copied().unwrap_or("text");
                k += 1;
                if line.len() + w.len() + 1 > 90 {
                    lines.push(std::mem::take(&mut line));
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(w);
            }
            body.push(lines);
        }
        let bytes = super::pdfgen::pdf(&cp.paper.title, &cp.paper.authors.join(", "), &body);
        bytes_total += bytes.len();
        let path = folder.join(format!("paper-{i:03}.pdf"));
        std::fs::write(&path, bytes)?;
        paths.push(path);
    }
    let mut runs = Vec::new();
    for run in 0..3 {
        let root = dir.join(format!("pdf-{run}"));
        let t = Instant::now();
        let mut papers = Vec::new();
        for path in &paths {
            papers.extend(crate::import::read_file(path)?.papers);
        }
        let mut lib = Library::open(&root)?;
        let report = lib.import_papers(papers, Vec::new())?;
        runs.push(t.elapsed().as_secs_f64());
        anyhow::ensure!(
            report.added == count,
            "pdf: {} of {count} imported",
            report.added
        );
    }
    runs.sort_by(f64::total_cmp);
    Ok(FormatTiming {
        format: format!("pdf ({pages} pages each)"),
        entries: count,
        file_mib: bytes_total as f64 / (1024.0 * 1024.0),
        median_s: runs[1],
        entries_per_s: count as f64 / runs[1],
    })
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
