//! `screenshot`: regenerates `docs/screenshot.png`, the README's picture of
//! the main window with the sample papers, a search, a highlight and a note.
//!
//! ```text
//! cargo build -p lectern -p lectern-desktop
//! xvfb-run -a -s "-screen 0 1280x800x24" cargo run -p lectern-e2e --bin screenshot
//! ```

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use lectern_e2e::{App, cli_binary, fixture};

fn lectern(library: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(cli_binary())
        .arg("--library")
        .arg(library)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .context("running lectern")?;
    if !status.success() {
        bail!("lectern {args:?} failed");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("Lectern");
    let seed = fixture("trending-papers.txt");
    lectern(&library, &["import", &seed.display().to_string()])?;
    let paper = "videomaeV2Scaling";
    lectern(&library, &["tag", paper, "video", "self-supervised"])?;
    lectern(&library, &["status", paper, "reading"])?;
    lectern(
        &library,
        &["tag", "contextAutoencoderSelf", "self-supervised"],
    )?;
    lectern(
        &library,
        &[
            "annotate",
            paper,
            "--quote",
            "video masked autoencoder (VideoMAE) is a scalable and general self-supervised pre-trainer",
            "--comment",
            "The central claim",
            "--color",
            "yellow",
        ],
    )?;
    lectern(
        &library,
        &[
            "annotate",
            paper,
            "--quote",
            "dual masking strategy",
            "--color",
            "green",
        ],
    )?;
    lectern(
        &library,
        &[
            "note",
            "add",
            paper,
            "--text",
            "Scales **VideoMAE** to a billion parameters.\n\nCompare with [[contextAutoencoderSelf]] for images.",
        ],
    )?;
    lectern(
        &library,
        &["link", paper, "contextAutoencoderSelf", "--kind", "extends"],
    )?;

    let app = App::start_on(library, Some(dir)).await?;
    let result = async {
        app.open_paper("masked autoencoder", "VideoMAE V2").await?;
        app.click("#tab-notes").await?;
        app.wait_text("#note-preview", "Scales").await?;
        app.js(
            "document.getElementById('reader').scrollTop = 0; return true",
            vec![],
        )
        .await?;
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshot.png");
        std::fs::create_dir_all(out.parent().context("docs folder")?)?;
        app.screenshot(&out).await?;
        println!("wrote {}", out.display());
        if let Ok(extra) = std::env::var("LECTERN_SCREENSHOT_TABS") {
            // Also pictures of each tab, scrolled into view, for review.
            for tab in ["notes", "highlights", "related"] {
                app.click(&format!("#tab-{tab}")).await?;
                tokio::time::sleep(std::time::Duration::from_millis(600)).await;
                app.js("const r = document.getElementById('reader'); r.scrollTop = r.scrollHeight; return true", vec![])
                    .await?;
                app.screenshot(&Path::new(&extra).join(format!("tab-{tab}.png"))).await?;
            }
            app.click("#btn-graph").await?;
            tokio::time::sleep(std::time::Duration::from_millis(600)).await;
            app.screenshot(&Path::new(&extra).join("graph.png")).await?;
        }
        anyhow::Ok(())
    }
    .await;
    let _ = app.close().await?;
    result
}
