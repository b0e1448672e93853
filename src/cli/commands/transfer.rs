//! Commands that move papers in or out of the library: `import` and the
//! three `export` formats.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;

use super::{open_for_reading, open_library, warn_folder};
use crate::Library;
use crate::cli::output::Output;
use crate::cli::progress::Progress;
use crate::import::{Format, Parsed};

/// `lectern import`: files (or `-` for stdin) and `--id` identifiers. All
/// are read and parsed first, so a bad file leaves the library untouched.
pub(in crate::cli) fn import(
    root: &Path,
    out: &Output,
    files: &[String],
    format: Option<Format>,
    ids: &[String],
    hf_daily: Option<&str>,
) -> anyhow::Result<()> {
    let mut papers = Vec::new();
    let mut problems = Vec::new();
    // The library is opened after every file is read (a bad file leaves it
    // untouched), but first when its online settings are needed.
    let mut opened = None;
    if let Some(day) = hf_daily {
        let lib = opened.insert(open_library(root)?);
        let options = crate::online::OnlineOptions::from_settings(&lib.online_settings()?);
        let fetcher = crate::online::Fetcher::standard(root, &options)?;
        let parsed = fetcher.daily_papers_blocking((day != "latest").then_some(day))?;
        papers.extend(parsed.papers);
        problems.extend(parsed.problems);
    }
    for f in files {
        let parsed = read_import_file(f, format)?;
        papers.extend(parsed.papers);
        problems.extend(parsed.problems);
    }
    for (i, id) in ids.iter().enumerate() {
        let ident = crate::import::identifier::parse_identifier(id)?;
        papers.push(crate::import::identifier::record(
            &ident,
            &format!("--id:{}", i + 1),
        ));
    }
    let mut lib = match opened {
        Some(lib) => lib,
        None => open_library(root)?,
    };
    // Bars on a terminal: one while papers go into the store and index,
    // one while their files are written.
    let mut storing = Progress::new("Importing  ");
    let mut writing = Progress::new("Paper files");
    lib.on_write_out(Some(Box::new(move |done, total| writing.show(done, total))));
    let report = lib.import_papers_with_progress(papers, problems, &mut |done, total| {
        storing.show(done, total);
        if done == total {
            storing.clear();
        }
        true
    });
    // Dropping the write-out's bar clears its line.
    lib.on_write_out(None);
    let report = report?;
    out.import(&report)?;
    // What the write-out of the paper files could not do is said now, not
    // on the next command.
    warn_folder(&mut lib);
    // "Fill new papers automatically": the papers just added are looked up.
    if lib.online_settings()?.fill_new && !report.added_ids.is_empty() {
        super::online::fill_added(&mut lib, &report.added_ids, out.is_json())?;
    }
    Ok(())
}

/// Reads and parses one file named on the command line (`-`: stdin).
fn read_import_file(name: &str, format: Option<Format>) -> anyhow::Result<Parsed> {
    if name == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("reading standard input")?;
        Ok(crate::import::read_bytes(buf, "<stdin>", None, format)?)
    } else {
        let path = Path::new(name);
        let bytes = std::fs::read(path).with_context(|| name.to_string())?;
        Ok(crate::import::read_bytes(bytes, name, Some(path), format)?)
    }
}

/// `lectern export bibtex`: to a file, or to standard output.
pub(in crate::cli) fn export_bibtex(
    root: &Path,
    out: Option<&Path>,
    query: Option<&str>,
) -> anyhow::Result<()> {
    export_references(root, out, |lib| lib.export_bibtex(query))
}

/// `lectern export csl-json`: to a file, or to standard output.
pub(in crate::cli) fn export_csl_json(
    root: &Path,
    out: Option<&Path>,
    query: Option<&str>,
) -> anyhow::Result<()> {
    export_references(root, out, |lib| lib.export_csl_json(query))
}

/// `lectern export pdf`: a copy of a paper's PDF with its highlights.
pub(in crate::cli) fn export_pdf(root: &Path, paper: &str, file: &Path) -> anyhow::Result<()> {
    let mut lib = open_for_reading(root)?;
    let n = lib.export_pdf(paper, file)?;
    eprintln!(
        "Exported {} with {n} highlight{}",
        file.display(),
        if n == 1 { "" } else { "s" }
    );
    Ok(())
}

/// Renders a reference list of the library and writes it out.
fn export_references(
    root: &Path,
    out: Option<&Path>,
    render: impl FnOnce(&Library) -> crate::Result<String>,
) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    let text = render(&lib)?;
    write_export(out, &text)
}

/// Writes an export to a file (atomically) or to standard output.
fn write_export(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            crate::write_atomic(path, text.as_bytes())?;
            eprintln!("Exported to {}", path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// `lectern export markdown`: one file per paper (or per paper a search
/// finds) in a folder, keeping the edits made there.
pub(in crate::cli) fn export_markdown(
    root: &Path,
    out: &Output,
    dir: &Path,
    query: Option<&str>,
) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    let report = match query {
        Some(q) => {
            let ids = lib.search_ids(q)?;
            lib.export_markdown_of(dir, &ids)?
        }
        None => lib.export_markdown(dir)?,
    };
    let mut text = format!(
        "Exported to {}: {} written, {} unchanged",
        dir.display(),
        report.written,
        report.unchanged
    );
    for f in &report.kept_edits {
        text.push_str(&format!("\nkept your edits in {f}"));
    }
    out.done(&report, &text)
}
