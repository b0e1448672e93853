//! `screenshot`: regenerates `docs/screenshot.png`, the README's picture of
//! the main window with the sample papers, a search, a highlight and a note,
//! and `docs/screenshot-pdf.png`, the reader's PDF view of a paper with
//! highlights on its first page (the PDF is generated text).
//!
//! ```text
//! cargo build -p lectern -p lectern-desktop
//! xvfb-run -a -s "-screen 0 1280x800x24" cargo run -p lectern-e2e --bin screenshot
//! ```

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, bail};
use lectern::bench::pdfgen;
use lectern_e2e::{App, cli_binary, fixture};

/// The generated PDF's text: the paper's story in its own words, in two
/// columns.
fn pdf_text() -> Vec<String> {
    [
        "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking",
        "1 Introduction",
        "Pretraining large video models is expensive because every clip holds many frames and most of them repeat what their neighbours show. Masked autoencoding turns that redundancy into an advantage: hiding most of the space-time tubes leaves a hard but learnable reconstruction task.",
        "We ask how far this recipe scales. Training a billion-parameter encoder on a million clips needs both less compute per step and more unlabeled data than earlier work used.",
        "Our answer is dual masking. The encoder sees a small visible subset of tokens, and the decoder reconstructs only a sampled part of the hidden ones, which cuts the cost of the decoder without hurting the representation.",
        "2 Method",
        "Each clip is cut into cubes of two frames by sixteen by sixteen pixels. A tube mask hides ninety percent of the cubes for the encoder; a running-cell mask chooses half of the hidden cubes for the decoder to rebuild.",
        "The encoder is a plain vision transformer with joint space-time attention. The decoder is shallow and is thrown away after pretraining.",
        "3 Scaling up",
        "We pretrain on a mixed set of unlabeled clips from several public sources and then fine-tune on labeled action recognition data. Progressive training first adapts the model to a large labeled set before the target task.",
        "The largest model reaches new results on Kinetics and Something-Something while the pretraining budget stays within reach of an academic lab.",
        "4 Discussion",
        "Masking is a cheap way to make video pretraining affordable, and the decoder mask matters as much as the encoder mask once models grow large.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

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

    let pdf = dir.path().join("videomae-v2.pdf");
    std::fs::write(
        &pdf,
        pdfgen::flowed(
            "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking",
            "Wang, Limin",
            &pdf_text(),
            2,
            56,
        ),
    )?;
    lectern(&library, &["attach", paper, &pdf.display().to_string()])?;
    lectern(
        &library,
        &[
            "annotate",
            paper,
            "--quote",
            "hiding most of the space-time tubes leaves a hard but learnable reconstruction task",
            "--comment",
            "Why masking works for video",
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
            "the decoder reconstructs only a sampled part of the hidden ones",
            "--color",
            "green",
        ],
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
            return anyhow::Ok(());
        }
        // The PDF view, the Highlights tab below it.
        app.click("#tab-highlights").await?;
        app.click("#view-pdf").await?;
        app.wait_js("return document.querySelectorAll('#pdf-pane .pdf-hl').length >= 2")
            .await?;
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        app.js(
            "document.getElementById('reader').scrollTop = 170; return true",
            vec![],
        )
        .await?;
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshot-pdf.png");
        app.screenshot(&out).await?;
        println!("wrote {}", out.display());
        anyhow::Ok(())
    }
    .await;
    let _ = app.close().await?;
    result
}
