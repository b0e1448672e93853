//! "Find details and PDF" in the real window, against a stand-in for the
//! web sources on 127.0.0.1 (nothing leaves the machine): two sample
//! papers get their authors, an arXiv link and a PDF that opens in the
//! reader.

use std::sync::Arc;

use anyhow::Result;
use lectern::online::mirror::{Mirror, WorldPaper};
use lectern_e2e::App;

fn world() -> Vec<WorldPaper> {
    vec![
        WorldPaper {
            title: "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking".into(),
            arxiv: "2303.16727".into(),
            authors: vec![
                "Limin Wang".into(),
                "Bingkun Huang".into(),
                "Zhiyu Zhao".into(),
            ],
            abstract_text: "Scale is the primary factor.".into(),
            year: 2023,
            doi: Some("10.1109/CVPR52729.2023.01398".into()),
            venue: Some("CVPR".into()),
        },
        WorldPaper {
            title: "Text2MDT: Extracting Medical Decision Trees from Medical Texts".into(),
            arxiv: "2401.02034".into(),
            authors: vec!["Wei Zhu".into(), "Wenfeng Li".into()],
            abstract_text: "Medical decision trees.".into(),
            year: 2024,
            doi: None,
            venue: None,
        },
        WorldPaper {
            title: "ZoomEye: Enhancing Multimodal LLMs with Human-Like Zooming Capabilities through Tree-Based Image Exploration".into(),
            arxiv: "2411.16044".into(),
            authors: vec!["Jane Roe".into()],
            abstract_text: "Zooming.".into(),
            year: 2024,
            doi: None,
            venue: None,
        },
    ]
}

/// `lectern show --json` of the paper whose title holds `needle`.
fn show_json(library: &std::path::Path, needle: &str) -> Result<serde_json::Value> {
    let run = |args: &[&str]| -> Result<serde_json::Value> {
        let out = std::process::Command::new(lectern_e2e::cli_binary())
            .arg("--library")
            .arg(library)
            .arg("--json")
            .args(args)
            .output()?;
        Ok(serde_json::from_slice(&out.stdout)?)
    };
    let list = run(&["list"])?;
    let key = list
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["title"].as_str().is_some_and(|t| t.contains(needle)))
        .and_then(|p| p["citekey"].as_str())
        .ok_or_else(|| anyhow::anyhow!("no paper like {needle}"))?
        .to_string();
    run(&["show", &key])
}

#[tokio::test]
async fn find_details_fills_two_papers_with_authors_an_arxiv_link_and_a_readable_pdf() -> Result<()>
{
    let mut mirror = Mirror::new(world());
    let lines: Vec<String> = (0..30)
        .map(|i| format!("Line {i}: dual masking halves the decoder's cost on video tokens."))
        .collect();
    mirror.pdf = lectern::bench::pdfgen::pdf("VideoMAE V2", "Wang, Limin", &[lines.clone(), lines]);
    let mirror = Arc::new(mirror);
    let server = mirror.start()?;
    let app = App::with_sample_and_env(&Mirror::env(&server)).await?;
    let library = app.library.clone();
    let run = async {
        let mut seen = Vec::new();
        for (query, title, author, arxiv) in [
            (
                "VideoMAE V2",
                "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking",
                "Limin Wang",
                "2303.16727",
            ),
            (
                "Text2MDT",
                "Text2MDT: Extracting Medical Decision Trees from Medical Texts",
                "Wei Zhu",
                "2401.02034",
            ),
        ] {
            app.open_paper(query, title).await?;
            app.click("#find-details").await?;
            // The panel reports the paper, and the reader shows what came.
            app.wait_js(
                "return [...document.querySelectorAll('#fetch-lines li')].some(li => li.textContent.includes('PDF attached') && li.textContent.includes('arxiv'))",
            )
            .await?;
            app.wait_text("#paper .meta", author).await?;
            app.wait_text("#paper .links", &format!("arXiv:{arxiv}"))
                .await?;
            let provenance = app.wait_text("#paper-provenance", "huggingface").await?;
            // The PDF opens in the reader and its pages are drawn.
            app.wait_js("return !!document.getElementById('view-pdf')")
                .await?;
            app.show_pdf(query, title).await?;
            let pages = app.text("#pdf-pane .pdf-page-total").await?;
            if let Ok(dir) = std::env::var("LECTERN_E2E_SHOTS") {
                app.screenshot(&std::path::Path::new(&dir).join(format!("fetched-{arxiv}.png")))
                    .await?;
            }
            app.click("#view-abstract").await?;
            seen.push((provenance, pages));
        }
        // Find details… for every paper missing something, reviewed
        // first: only ZoomEye would change; nothing is written until Apply.
        app.click("#btn-find").await?;
        app.click("#find-pdf").await?; // no PDFs this time
        app.click("#find-missing").await?;
        app.wait_js("return !!document.querySelector('#fetch-apply') && !document.querySelector('#fetch-apply').hidden")
            .await?;
        let reviewed = app.texts("#fetch-lines li.fetch-filled").await?;
        let before_apply = show_json(&app.library, "ZoomEye")?;
        app.click("#fetch-apply").await?;
        app.wait_text("#fetch-label", "Done").await?;
        let after_apply = show_json(&app.library, "ZoomEye")?;
        // A day of Hugging Face papers, from the import dialog: all three
        // are in the library already, so nothing is added.
        app.click("#btn-import").await?;
        app.click("#import-hf-daily").await?;
        let known = [
            app.text("#summary-added").await?,
            app.text("#summary-merged").await?,
            app.text("#summary-skipped").await?,
        ];
        app.click("#summary-close").await?;
        // The settings dialog keeps the email in the library.
        app.click("#btn-settings").await?;
        app.type_into("#settings-email", "reader@example.org")
            .await?;
        app.click("#settings-save").await?;
        app.wait_js("return !document.getElementById('settings-email')")
            .await?;
        anyhow::Ok((seen, known, reviewed, before_apply, after_apply))
    };
    let seen = run.await;
    let dir = app.close().await?;
    let (seen, [added, merged, skipped], reviewed, before_apply, after_apply) = seen?;
    assert_eq!(added, "0");
    assert_eq!(merged.parse::<u32>()? + skipped.parse::<u32>()?, 3);
    assert_eq!(reviewed.len(), 1, "{reviewed:?}");
    assert!(reviewed[0].contains("would fill"), "{reviewed:?}");
    assert!(before_apply["arxiv"].is_null(), "the review wrote nothing");
    assert_eq!(after_apply["arxiv"], "2411.16044");
    assert!(
        mirror
            .requests()
            .iter()
            .any(|r| r.path() == "/hf/api/daily_papers")
    );
    assert_eq!(seen.len(), 2);
    for (provenance, pages) in &seen {
        assert!(provenance.contains("arxiv (huggingface"), "{provenance}");
        assert!(pages.contains('2'), "the PDF has two pages: {pages}");
    }
    let out = std::process::Command::new(lectern_e2e::cli_binary())
        .arg("--library")
        .arg(&library)
        .args(["--json", "config"])
        .output()?;
    let settings: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(settings["email"], "reader@example.org", "{settings}");
    // The window asked only the stand-in, as Lectern.
    assert!(mirror.requests().iter().all(|r| {
        r.header("User-Agent")
            .is_some_and(|u| u.starts_with("Lectern/"))
    }));
    drop(dir);
    Ok(())
}
