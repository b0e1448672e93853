//! `fetch-bench`: the window while "Find details…" runs at arXiv's real
//! pace (one request every 3 seconds) against a local stand-in for the
//! sources: keystroke → results painted while the fetch runs, and the time
//! left the panel shows.
//!
//! ```text
//! cargo build --release -p lectern -p lectern-desktop -p lectern-e2e --bins
//! xvfb-run -a target/release/fetch-bench
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use lectern::online::mirror::Mirror;
use lectern_e2e::{App, summary};

#[tokio::main]
async fn main() -> Result<()> {
    let mirror = Arc::new(Mirror::new(lectern::bench::fetch::world(78)));
    let server = mirror.start()?;
    let mut env = Mirror::env(&server);
    // arXiv's rule, applied to the stand-in too.
    env.push(("LECTERN_PACE_LOOPBACK", "1".into()));
    let release = lectern_e2e::target_dir().join("release");
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let sample = lectern_e2e::fixture("trending-papers.txt");
    // The sample papers; only arXiv is asked, so every paper waits its
    // 3 s turn.
    for args in [
        vec!["import", sample.to_str().unwrap_or_default()],
        vec!["config", "online.sources", "arxiv"],
    ] {
        let out = std::process::Command::new(release.join("lectern"))
            .arg("--library")
            .arg(&library)
            .args(&args)
            .output()?;
        anyhow::ensure!(out.status.success(), "lectern {args:?} failed");
    }
    let app =
        App::start_binary_with(&release.join("lectern-desktop"), library, Some(dir), &env).await?;
    // `--baseline`: the same typing with no fetch running.
    let fetching = !std::env::args().any(|a| a == "--baseline");
    let run = async {
        if fetching {
            app.click("#btn-find").await?;
            app.click("#find-missing").await?;
            app.wait_js("return !!document.getElementById('fetch-label')")
                .await?;
        }
        let started = Instant::now();
        let queries = [
            "masked video",
            "diffusion robot",
            "language model",
            "medical decision",
            "sparse attention",
        ];
        let before = app.metric("keystroke").await?.len();
        let mut estimates = Vec::new();
        while started.elapsed() < Duration::from_secs(30) {
            for q in queries {
                app.type_query(q).await?;
            }
            if fetching {
                estimates.push(app.text("#fetch-label").await?);
            }
        }
        let keystrokes: Vec<f64> = app
            .metric("keystroke")
            .await?
            .into_iter()
            .skip(before)
            .collect();
        if fetching {
            app.click("#fetch-cancel").await?;
        }
        anyhow::Ok((keystrokes, estimates))
    };
    let out = run.await;
    let _dir = app.close().await?;
    let (keystrokes, estimates) = out?;
    let arxiv = mirror
        .requests()
        .iter()
        .filter(|r| r.path().starts_with("/arxiv/"))
        .count();
    println!(
        "Find details… on 78 pasted papers, arXiv only, at arXiv's pace (3 s a request), typing for 30 s meanwhile:"
    );
    summary(
        if fetching {
            "keystroke → results painted while fetching"
        } else {
            "keystroke → results painted, no fetch"
        },
        keystrokes,
    );
    println!("  arXiv requests in that time: {arxiv}");
    println!(
        "  the panel said: {}",
        estimates.first().cloned().unwrap_or_default()
    );
    println!("  later: {}", estimates.last().cloned().unwrap_or_default());
    Ok(())
}
