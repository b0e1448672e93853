//! `ui-bench`: latency of the real desktop app on a large synthetic library,
//! measured through WebDriver.
//!
//! ```text
//! cargo build --release -p lectern -p lectern-desktop
//! xvfb-run -a cargo run --release -p lectern-e2e --bin ui-bench -- --papers 100000
//! ```
//!
//! It builds (or reuses) a library with `lectern bench --out`, starts the app
//! on it, and reports:
//! - start: from asking for the window to the first results painted;
//! - keystroke: typing queries one character at a time, from each input
//!   event to its results painted (timed inside the page);
//! - open: clicking a result to the paper painted in the reader.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;
use lectern::bench::corpus::Corpus;
use lectern_e2e::{App, summary};
use serde_json::Value;

struct Args {
    papers: u64,
    seed: u64,
    queries: usize,
    opens: usize,
    library: Option<PathBuf>,
    profile: String,
    /// A file the `lectern` CLI imports while the queries are typed (the
    /// window holds the library; the CLI writes beside it).
    cli_import: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        papers: 100_000,
        seed: 1,
        queries: 12,
        opens: 30,
        library: None,
        profile: "release".into(),
        cli_import: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--papers" => a.papers = value()?.parse()?,
            "--seed" => a.seed = value()?.parse()?,
            "--queries" => a.queries = value()?.parse()?,
            "--opens" => a.opens = value()?.parse()?,
            "--library" => a.library = Some(PathBuf::from(value()?)),
            "--debug" => a.profile = "debug".into(),
            "--cli-import" => a.cli_import = Some(PathBuf::from(value()?)),
            "--help" | "-h" => {
                println!(
                    "ui-bench [--papers N] [--seed S] [--queries Q] [--opens O] [--library DIR] [--cli-import FILE] [--debug]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(a)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = parse_args()?;
    let target = lectern_e2e::target_dir().join(&args.profile);
    let library = args.library.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("lectern-ui-bench-{}-{}", args.papers, args.seed))
    });
    if !library.join(".lectern").exists() {
        eprintln!(
            "building a {}-paper library in {} …",
            args.papers,
            library.display()
        );
        let status = Command::new(target.join("lectern"))
            .args([
                "bench",
                "--papers",
                &args.papers.to_string(),
                "--seed",
                &args.seed.to_string(),
            ])
            .args([
                "--no-peers",
                "--queries",
                "5",
                "--related-samples",
                "5",
                "--out",
            ])
            .arg(&library)
            .stdout(std::process::Stdio::null())
            .status()
            .context("running lectern bench")?;
        if !status.success() {
            bail!("lectern bench failed");
        }
    }
    // The benchmark library is built without its folder; write the folder
    // out now (a no-op when it is already there) so that the app's first
    // sync does not write 100,000 files while it is being measured.
    let status = Command::new(target.join("lectern"))
        .arg("--library")
        .arg(&library)
        .arg("sync")
        .stdout(std::process::Stdio::null())
        .status()
        .context("running lectern sync")?;
    if !status.success() {
        bail!("lectern sync failed");
    }
    let app_binary = target.join("lectern-desktop");
    let asked = Instant::now();
    let app = App::start_binary_on(&app_binary, library.clone(), None).await?;
    let start_ms = asked.elapsed().as_secs_f64() * 1000.0;
    let ready_in_page = app.js("return window.__lectern.ready", vec![]).await?;

    // A CLI import running beside the window while the queries are typed.
    let importing = match &args.cli_import {
        Some(file) => Some((
            Command::new(target.join("lectern"))
                .arg("--library")
                .arg(&library)
                .arg("import")
                .arg(file)
                .stdout(std::process::Stdio::null())
                .spawn()
                .context("starting the CLI import")?,
            Instant::now(),
        )),
        None => None,
    };
    let corpus = Corpus::new(args.seed, 300);
    let queries = corpus.queries(args.queries);
    let mut typed = Vec::new();
    // With an import beside the window, typing goes on until it has
    // finished and the window has had 3 s to take in what it wrote.
    let mut importing = importing;
    let mut finished_at: Option<Instant> = None;
    'typing: for round in 0..50 {
        for q in queries.terms.iter().take(args.queries) {
            app.type_query(q).await?;
            typed.push(q.clone());
            let Some((child, _)) = importing.as_mut() else {
                continue;
            };
            if finished_at.is_none() && child.try_wait()?.is_some() {
                finished_at = Some(Instant::now());
            }
            if finished_at.is_some_and(|t| t.elapsed() > Duration::from_secs(3)) {
                break 'typing;
            }
        }
        if importing.is_none() || round == 49 {
            break;
        }
    }
    let typing_done = Instant::now();
    let keystrokes = app.metric("keystroke").await?;
    let import_note = match importing {
        Some((mut child, started)) => {
            // Typing ended before or after the import: say which.
            let still_running = child.try_wait()?.is_none();
            let status = child.wait()?;
            if !status.success() {
                bail!("the CLI import failed");
            }
            format!(
                "; a CLI import ran beside the window for {:.1} s ({} when typing ended)",
                started.elapsed().as_secs_f64(),
                if still_running {
                    "still running"
                } else {
                    "finished"
                }
            ) + &format!(
                ", typing took {:.1} s",
                (typing_done - started).as_secs_f64()
            )
        }
        None => String::new(),
    };
    let search_calls = app.metric("search").await?;

    // Open papers from a broad query's results.
    app.search("").await?;
    let mut opened = 0;
    while opened < args.opens {
        let hits = app
            .client
            .find_all(Locator::Css("#result-list .hit"))
            .await?;
        if hits.is_empty() {
            bail!("no results to open");
        }
        let hit = &hits[opened % hits.len()];
        let id = hit.attr("data-id").await?.unwrap_or_default();
        hit.click().await?;
        let started = Instant::now();
        loop {
            let shown = app
                .js(
                    "return document.getElementById('paper')?.dataset.id ?? null",
                    vec![],
                )
                .await?;
            if shown == Value::String(id.clone()) {
                break;
            }
            if started.elapsed() > Duration::from_secs(10) {
                bail!("paper {id} never opened");
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        opened += 1;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let opens = app.metric("open").await?;
    let _ = app.close().await?;

    println!(
        "\nLectern desktop, {} papers ({} build), queries typed: {}{import_note}\n",
        args.papers,
        args.profile,
        {
            let mut unique = typed.clone();
            unique.dedup();
            unique.truncate(args.queries);
            format!("{} ({} typed in all)", unique.join(", "), typed.len())
        }
    );
    println!("| measure | n | median ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    summary("keystroke → results painted", keystrokes);
    summary("  of which the search call (engine + IPC)", search_calls);
    // The first open includes loading the note editor; all are counted.
    summary("click → paper painted", opens.into_iter().skip(1).collect());
    println!("| start → first results painted (WebDriver session incl.) | 1 | {start_ms:.0} | | |");
    println!("| page load → first results painted (in page) | 1 | {ready_in_page} | | |");
    Ok(())
}
