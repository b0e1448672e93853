//! `pdf-bench`: the reader's PDF view in the real desktop app, measured
//! through WebDriver, and carrying highlights over to a new version with the
//! real `lectern` binary.
//!
//! ```text
//! cargo build --release -p lectern -p lectern-desktop
//! xvfb-run -a -s "-screen 0 1280x800x24" cargo run --release -p lectern-e2e --bin pdf-bench
//! ```
//!
//! It makes a 30-page two-column paper and a 100-page one (generated text,
//! Helvetica), imports them with the CLI into a new library, and reports:
//! - open: from clicking "PDF" to page 1 painted (timed inside the page);
//! - jump: from asking for a page 20 pages on to it painted;
//! - highlight: from picking a color for a selection to the highlight drawn
//!   (stored by the engine, the paper re-read, drawn on the page);
//! - memory: the web view's resident memory after scrolling through the
//!   100-page PDF;
//! - new version: `lectern attach` of a new version of the 30-page paper
//!   carrying 200 highlights over (the whole command: reading the new PDF,
//!   placing every highlight, writing the paper file).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use lectern::bench::pdfgen;
use lectern_e2e::{App, summary};
use serde_json::{Value, json};

/// Paragraphs of generated prose: `n` of them, each a few sentences whose
/// words vary with the paragraph, so quotes are found in one place.
fn prose(n: usize, extra: bool) -> Vec<String> {
    let words = [
        "masked",
        "video",
        "tokens",
        "encoder",
        "pretraining",
        "scaling",
        "attention",
        "dataset",
        "transfer",
        "benchmark",
        "gradient",
        "sparse",
        "diffusion",
        "language",
        "robot",
        "policy",
        "retrieval",
        "memory",
        "latency",
        "quantized",
    ];
    let mut out = vec!["Scaling Masked Pretraining: A Generated Benchmark Paper".to_string()];
    if extra {
        out.push("A paragraph added in the second version, which moves every later line down and over to the next column.".into());
    }
    for i in 0..n {
        let w = |k: usize| words[(i * 7 + k * 3) % words.len()];
        out.push(format!(
            "Paragraph {i} studies {} {} under {} {}. We find that {} {} improves {} by {i} points. The {} results hold across {} settings.",
            w(1), w(2), w(3), w(4), w(5), w(6), w(7), w(8), w(9)
        ));
    }
    out
}

fn cli(target: &Path, library: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(target.join("lectern"))
        .arg("--library")
        .arg(library)
        .args(args)
        .output()
        .context("running lectern")?;
    if !out.status.success() {
        bail!("lectern {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `script` in the page as an asynchronous script (its last argument
/// is the callback) and returns what it passes back.
async fn run_async(app: &App, script: &str, args: Vec<Value>) -> Result<Value> {
    app.client
        .execute_async(script, args)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Waits in the page until `test()` holds, then calls back the time since
/// `t0` in ms.
const WAIT_FN: &str = "const waitFor = (test, t0, done) => {
       const tick = () => { if (test()) requestAnimationFrame(() => done(performance.now() - t0)); else requestAnimationFrame(tick); };
       tick();
     };";

/// Asks the PDF view for `page` as a person does, in its page box.
async fn go_to_page(app: &App, page: u32) -> Result<()> {
    app.js(
        "const input = document.querySelector('#pdf-pane .pdf-page-input');
         input.value = String(arguments[0]);
         input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
         return true;",
        vec![json!(page)],
    )
    .await?;
    Ok(())
}

/// Resident memory of the web view's processes (WebKitWebProcess), in MiB.
fn web_view_rss_mib() -> f64 {
    let mut kib = 0u64;
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return f64::NAN;
    };
    for e in dir.flatten() {
        let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        if !String::from_utf8_lossy(&cmd).contains("WebKitWebProcess") {
            continue;
        }
        let status = std::fs::read_to_string(e.path().join("status")).unwrap_or_default();
        if let Some(line) = status.lines().find(|l| l.starts_with("VmRSS:")) {
            kib += line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    kib as f64 / 1024.0
}

#[tokio::main]
async fn main() -> Result<()> {
    let profile = if std::env::args().any(|a| a == "--debug") {
        "debug"
    } else {
        "release"
    };
    let target = lectern_e2e::target_dir().join(profile);
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let paper30 = dir.path().join("paper-30.pdf");
    let paper30v2 = dir.path().join("paper-30-v2.pdf");
    let paper100 = dir.path().join("paper-100.pdf");
    // Two columns of 56 lines a page: about 1,900 words a page.
    std::fs::write(
        &paper30,
        pdfgen::flowed(
            "Scaling Masked Pretraining",
            "Doe, Jane",
            &prose(600, false),
            2,
            56,
        ),
    )?;
    std::fs::write(
        &paper30v2,
        pdfgen::flowed(
            "Scaling Masked Pretraining",
            "Doe, Jane",
            &prose(600, true),
            2,
            56,
        ),
    )?;
    let long: Vec<String> =
        std::iter::once("A Long Generated Report on Sparse Retrieval".to_string())
            .chain(prose(2040, false).into_iter().skip(1))
            .collect();
    std::fs::write(
        &paper100,
        pdfgen::flowed(
            "A Long Generated Report on Sparse Retrieval",
            "Roe, Richard",
            &long,
            2,
            56,
        ),
    )?;
    for f in [&paper30, &paper100] {
        cli(
            &target,
            &library,
            &["import", f.to_str().unwrap_or_default()],
        )?;
    }
    let list: Value = serde_json::from_str(&cli(&target, &library, &["list", "--json"])?)?;
    let key30 = list
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| {
            p["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Scaling"))
        })
        .and_then(|p| p["citekey"].as_str())
        .context("the 30-page paper")?
        .to_string();

    let app = App::start_binary_on(&target.join("lectern-desktop"), library.clone(), None).await?;
    let run = async {
        app.wait_results("").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let baseline = web_view_rss_mib();
        app.show_pdf("title:scaling", "Scaling Masked Pretraining").await?;
        let pages = app.text("#pdf-pane .pdf-page-total").await?;
        // Open: from the click on "PDF" to page 1 painted.
        let mut open = Vec::new();
        for _ in 0..10 {
            app.click("#view-abstract").await?;
            app.wait_js("return !document.querySelector('#pdf-pane')").await?;
            let ms = run_async(
                &app,
                &format!(
                    "{WAIT_FN} const done = arguments[arguments.length - 1];
                     const t0 = performance.now();
                     document.getElementById('view-pdf').click();
                     waitFor(() => !!document.querySelector(\"#pdf-pane .pdf-page[data-page='1'] canvas\"), t0, done);"
                ),
                vec![],
            )
            .await?;
            open.extend(ms.as_f64());
        }
        // Jump: to a page far from the one shown, until it is painted.
        let mut jump = Vec::new();
        let count: u32 = pages.trim_start_matches(['/', ' ']).trim().parse().unwrap_or(1);
        let targets = [21u32, 1, 25, 5, 29, 9, 22, 2, 27, 7].map(|p| p.min(count));
        for page in targets {
            let ms = run_async(
                &app,
                &format!(
                    "{WAIT_FN} const done = arguments[arguments.length - 1];
                     const input = document.querySelector('#pdf-pane .pdf-page-input');
                     const t0 = performance.now();
                     input.value = String(arguments[0]);
                     input.dispatchEvent(new KeyboardEvent('keydown', {{ key: 'Enter', bubbles: true }}));
                     waitFor(() => !!document.querySelector(`#pdf-pane .pdf-page[data-page='${{arguments[0]}}'] canvas`), t0, done);"
                ),
                vec![json!(page)],
            )
            .await?;
            jump.extend(ms.as_f64());
        }
        // Highlight: select a sentence on a page, pick a color; the page
        // times it until painted and until stored.
        for i in 0..10 {
            let page = 2 + i;
            go_to_page(&app, page).await?;
            app.wait_js(&format!(
                "return !!document.querySelector(\"#pdf-pane .pdf-page[data-page='{page}'] .textLayer span\")"
            ))
            .await?;
            // A reader reads before selecting: the pages around are drawn by then.
            tokio::time::sleep(Duration::from_millis(800)).await;
            let selected = app
                .js(
                    "const layer = document.querySelector(`#pdf-pane .pdf-page[data-page='${arguments[0]}'] .textLayer`);
                     const spans = [...layer.querySelectorAll('span')].filter(s => s.textContent.includes('We find that'));
                     const s = spans[0];
                     if (!s || !s.firstChild) return false;
                     const r = document.createRange();
                     r.setStart(s.firstChild, s.textContent.indexOf('We find that'));
                     r.setEnd(s.firstChild, s.textContent.length);
                     const sel = window.getSelection();
                     sel.removeAllRanges();
                     sel.addRange(r);
                     layer.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
                     return true;",
                    vec![json!(page)],
                )
                .await?;
            if selected != Value::Bool(true) {
                continue;
            }
            app.wait_js("return !!document.querySelector('#hl-toolbar')").await?;
            let stored = app
                .js("return window.__lectern.pdfHighlightStored.length", vec![])
                .await?;
            app.click("#hl-toolbar [data-color='yellow']").await?;
            app.wait_js(&format!(
                "return window.__lectern.pdfHighlightStored.length > {stored}"
            ))
            .await?;
        }
        let drawn = app.metric("pdfHighlightDrawn").await?;
        let stored = app.metric("pdfHighlightStored").await?;
        // Memory: the 100-page PDF, scrolled through from the first page to the last.
        app.show_pdf("title:report", "A Long Generated Report on Sparse Retrieval").await?;
        let long_pages = app.text("#pdf-pane .pdf-page-total").await?;
        let mut peak = web_view_rss_mib();
        for page in (1..=100).step_by(3) {
            go_to_page(&app, page).await?;
            tokio::time::sleep(Duration::from_millis(120)).await;
            peak = peak.max(web_view_rss_mib());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        let settled = web_view_rss_mib();
        anyhow::Ok((pages, open, jump, drawn, stored, long_pages, baseline, peak, settled))
    }
    .await;
    let _ = app.close().await?;
    let (pages, open, jump, drawn, stored, long_pages, baseline, peak, settled) = run?;

    // A new version carrying 200 highlights: made with the CLI, one quote
    // from each of 200 paragraphs.
    for i in 0..200 {
        let quote = format!("Paragraph {i} studies");
        cli(&target, &library, &["annotate", &key30, "--quote", &quote])?;
    }
    let started = Instant::now();
    let report: Value = serde_json::from_str(&cli(
        &target,
        &library,
        &[
            "--json",
            "attach",
            &key30,
            paper30v2.to_str().unwrap_or_default(),
        ],
    )?)?;
    let attach_ms = started.elapsed().as_secs_f64() * 1000.0;

    println!(
        "PDF view, {profile} build (30-page two-column paper: {pages}; long PDF: {long_pages})\n"
    );
    println!("| measure | n | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    summary("open → page 1 painted", open);
    summary("jump to a page → painted", jump);
    summary("highlight → painted", drawn);
    summary("highlight → stored by the engine", stored);
    println!(
        "\nweb view memory: {baseline:.0} MiB with the library open and no PDF shown; with the 100-page PDF, peak {peak:.0} MiB while scrolling through it, {settled:.0} MiB after"
    );
    println!(
        "new version with {} highlights (`lectern attach`, whole command): {attach_ms:.0} ms, {} placed",
        report["highlights"], report["placed"]
    );
    drop(dir);
    Ok(())
}
