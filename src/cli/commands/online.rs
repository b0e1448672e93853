//! Commands that go online: `fetch` (fill papers in from the web) and
//! `add` (a paper from an identifier or a link).

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::{open_library, warn_folder};
use crate::Library;
use crate::cli::output::print_json;
use crate::cli::progress::Progress;
use crate::model::Applied;
use crate::online::{Fetcher, OnlineOptions, PdfWanted, Source, Target};

/// How many papers are looked for at once.
const AT_ONCE: usize = 8;

#[derive(Debug, Default, Serialize)]
struct Summary {
    papers: usize,
    filled: usize,
    unchanged: usize,
    ambiguous: usize,
    not_found: usize,
    failed: usize,
    pdfs: usize,
}

#[derive(Debug, Serialize)]
struct FetchReport {
    dry_run: bool,
    papers: Vec<Applied>,
    summary: Summary,
}

pub(in crate::cli) struct FetchArgs<'a> {
    pub papers: &'a [String],
    pub all: bool,
    pub query: Option<&'a str>,
    pub dry_run: bool,
    pub email: Option<String>,
    pub sources: Option<&'a str>,
    /// Download open-access PDFs, at most this many MB each.
    pub pdf: Option<u64>,
}

/// The library's online settings, with the command line's choices over
/// them.
fn options(
    lib: &Library,
    email: Option<String>,
    sources: Option<&str>,
) -> anyhow::Result<OnlineOptions> {
    let saved = OnlineOptions::from_settings(&lib.online_settings()?);
    let sources = match sources {
        None => saved.sources,
        Some(list) => list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                Source::from_name(s).ok_or_else(|| {
                    anyhow::anyhow!(
                        "`{}` is not a source; use arxiv, huggingface, crossref, semanticscholar or unpaywall",
                        s.trim()
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?,
    };
    Ok(OnlineOptions {
        email: email
            .or_else(|| std::env::var("LECTERN_EMAIL").ok())
            .or(saved.email),
        sources,
        intervals: saved.intervals,
    })
}

/// Looks for `targets` and writes what is found, paper by paper.
fn run(
    lib: &mut Library,
    targets: Vec<Target>,
    options: &OnlineOptions,
    dry_run: bool,
    pdf_mb: Option<u64>,
) -> anyhow::Result<FetchReport> {
    let fetcher = Arc::new(Fetcher::standard(lib.root(), options)?);
    // Nothing is downloaded on a dry run.
    let pdf = pdf_mb
        .filter(|_| !dry_run)
        .map(|mb| PdfWanted::in_library(lib.root(), mb.saturating_mul(1024 * 1024)));
    let total = targets.len();
    let mut progress = Progress::new("Fetching   ");
    let mut report = FetchReport {
        dry_run,
        papers: Vec::new(),
        summary: Summary {
            papers: total,
            ..Summary::default()
        },
    };
    lib.fetch_blocking(&fetcher, targets, AT_ONCE, pdf, dry_run, |_, line, _| {
        match line.outcome.as_str() {
            "filled" => report.summary.filled += 1,
            "unchanged" => report.summary.unchanged += 1,
            "ambiguous" => report.summary.ambiguous += 1,
            "not_found" => report.summary.not_found += 1,
            _ => report.summary.failed += 1,
        }
        if line.pdf.is_some() {
            report.summary.pdfs += 1;
        }
        report.papers.push(line);
        progress.show(report.papers.len(), total);
        true
    })?;
    progress.clear();
    Ok(report)
}

fn print(json: bool, report: &FetchReport) -> anyhow::Result<()> {
    if json {
        return print_json(report);
    }
    let would = if report.dry_run {
        "would fill"
    } else {
        "filled"
    };
    // The same failure for many papers (offline) is said once.
    let mut failures: Vec<(&str, Vec<&str>)> = Vec::new();
    for p in &report.papers {
        match p.outcome.as_str() {
            "filled" => {
                let fields: Vec<String> = p
                    .filled
                    .iter()
                    .map(|f| format!("{} ({})", f.field, f.source))
                    .collect();
                println!("{}: {would} {}", p.citekey, fields.join(", "));
            }
            "unchanged" => println!("{}: found; nothing was missing", p.citekey),
            "ambiguous" => println!(
                "{}: ambiguous, not filled; it could be {}",
                p.citekey,
                p.candidates.join(" or ")
            ),
            "not_found" => println!("{}: not found", p.citekey),
            _ => {
                let e = p.error.as_deref().unwrap_or("failed");
                match failures.iter_mut().find(|(m, _)| *m == e) {
                    Some((_, keys)) => keys.push(&p.citekey),
                    None => failures.push((e, vec![&p.citekey])),
                }
            }
        }
        for l in &p.left_out {
            println!("{}: left out: {l}", p.citekey);
        }
        if let Some(f) = &p.pdf {
            println!("{}: PDF {f}", p.citekey);
        }
        if let Some(why) = &p.pdf_problem {
            println!("{}: no PDF: {why}", p.citekey);
        }
    }
    for (message, keys) in &failures {
        if keys.len() == 1 {
            println!("{}: failed: {message}", keys[0]);
        } else {
            println!("{} papers failed: {message}", keys.len());
        }
    }
    let s = &report.summary;
    println!(
        "{} papers: {} {would}, {} unchanged, {} ambiguous, {} not found, {} failed, {} PDFs attached{}",
        s.papers,
        s.filled,
        s.unchanged,
        s.ambiguous,
        s.not_found,
        s.failed,
        s.pdfs,
        if report.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    );
    Ok(())
}

/// A non-zero exit when every paper looked for failed (offline, say).
fn outcome(report: &FetchReport) -> anyhow::Result<()> {
    let s = &report.summary;
    if s.failed > 0 && s.failed == s.papers {
        let first = report
            .papers
            .iter()
            .find_map(|p| p.error.clone())
            .unwrap_or_default();
        anyhow::bail!("nothing was fetched: {first}");
    }
    Ok(())
}

/// `lectern fetch`.
pub(in crate::cli) fn fetch(root: &Path, json: bool, args: FetchArgs<'_>) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let options = options(&lib, args.email, args.sources)?;
    let targets = lib.fetch_targets(args.papers, args.query, args.all)?;
    let report = run(&mut lib, targets, &options, args.dry_run, args.pdf)?;
    print(json, &report)?;
    warn_folder(&mut lib);
    outcome(&report)
}

/// `lectern add`: each identifier or link becomes a paper (or finds the
/// one the library has), which is then filled in from the web.
pub(in crate::cli) fn add(
    root: &Path,
    json: bool,
    ids: &[String],
    email: Option<String>,
    sources: Option<&str>,
    pdf: Option<u64>,
) -> anyhow::Result<()> {
    let idents = ids
        .iter()
        .map(|id| crate::import::identifier::parse_identifier(id))
        .collect::<crate::Result<Vec<_>>>()?;
    let records = idents
        .iter()
        .enumerate()
        .map(|(i, ident)| crate::import::identifier::record(ident, &format!("add:{}", i + 1)))
        .collect();
    let mut lib = open_library(root)?;
    let options = options(&lib, email, sources)?;
    lib.import_papers(records, Vec::new())?;
    let mut keys: Vec<String> = Vec::new();
    for ident in &idents {
        if let Some(key) = lib.paper_with_identifier(ident)?
            && !keys.contains(&key)
        {
            keys.push(key);
        }
    }
    let targets = lib.fetch_targets(&keys, None, false)?;
    let report = run(&mut lib, targets, &options, false, pdf)?;
    print(json, &report)?;
    warn_folder(&mut lib);
    outcome(&report)
}

/// Looks up papers an import just added (the library's "fill new papers
/// automatically" setting); the report is printed unless the import's
/// own output is JSON.
pub(in crate::cli) fn fill_added(
    lib: &mut Library,
    ids: &[String],
    json: bool,
) -> anyhow::Result<()> {
    let options = options(lib, None, None)?;
    let targets = lib.fetch_targets(ids, None, false)?;
    let report = run(lib, targets, &options, false, None)?;
    if !json {
        print(false, &report)?;
    }
    Ok(())
}

/// `lectern config`: shows the settings, or sets one.
pub(in crate::cli) fn config(
    root: &Path,
    out: &crate::cli::output::Output,
    key: Option<&str>,
    value: Option<&str>,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    if key == Some("search.mode") {
        if let Some(value) = value {
            let mode = crate::library::SearchMode::parse(value).ok_or_else(|| {
                anyhow::anyhow!("`{value}` is not a search mode; use hybrid, words or meaning")
            })?;
            lib.set_search_mode(mode)?;
        }
        let mode = lib.search_mode()?;
        return out.done(
            &serde_json::json!({ "search.mode": mode }),
            &format!("search.mode        {}", mode.as_str()),
        );
    }
    let mut s = lib.online_settings()?;
    match (key, value) {
        (None, _) | (Some(_), None) => {}
        (Some(key), Some(value)) => {
            let value = value.trim();
            match key {
                "online.email" => s.email = Some(value.to_string()).filter(|v| !v.is_empty()),
                "online.sources" => {
                    s.sources = value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_string)
                        .collect();
                }
                "online.rate-limit" => {
                    let (source, ms) = value.split_once('=').ok_or_else(|| {
                        anyhow::anyhow!("give SOURCE=MILLISECONDS, for example arxiv=3000")
                    })?;
                    let ms: u32 = ms
                        .trim()
                        .parse()
                        .map_err(|_| anyhow::anyhow!("`{ms}` is not a number of milliseconds"))?;
                    s.rate_limits.retain(|r| r.source != source.trim());
                    s.rate_limits.push(crate::model::RateLimit {
                        source: source.trim().to_string(),
                        ms,
                    });
                }
                "online.fill-new" => {
                    s.fill_new = match value {
                        "true" | "on" | "yes" => true,
                        "false" | "off" | "no" => false,
                        other => anyhow::bail!("`{other}` is not true or false"),
                    }
                }
                other => anyhow::bail!(
                    "`{other}` is not a setting; use online.email, online.sources, online.rate-limit, online.fill-new or search.mode"
                ),
            }
            lib.set_online_settings(&s)?;
        }
    }
    if out.is_json() {
        return print_json(&s);
    }
    let shown = |k: &str| key.is_none() || key == Some(k);
    if shown("online.email") {
        println!(
            "online.email       {}",
            s.email.as_deref().unwrap_or("(none)")
        );
    }
    if shown("online.sources") {
        println!("online.sources     {}", s.sources.join(","));
    }
    if shown("online.rate-limit") {
        let limits: Vec<String> = s
            .rate_limits
            .iter()
            .map(|r| format!("{}={}", r.source, r.ms))
            .collect();
        println!(
            "online.rate-limit  {}",
            if limits.is_empty() {
                "(defaults)".to_string()
            } else {
                limits.join(" ")
            }
        );
    }
    if shown("online.fill-new") {
        println!("online.fill-new    {}", s.fill_new);
    }
    Ok(())
}
