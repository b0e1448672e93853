//! Search by meaning in the real window, with the real all-MiniLM-L6-v2
//! model from the test-data cache (`scripts/fetch-model`): the window reads
//! the sample papers in the background, a description in other words finds
//! its paper, the Related panel says why, and "For you" orders papers by
//! closeness to a starred one.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use lectern_e2e::App;

const PARAPHRASE: &str = "turning doctors' writing into flowcharts for diagnosis";
const TARGET: &str = "Text2MDT: Extracting Medical Decision Trees from Medical Texts";

/// The model of the test-data cache; `None` (the test skips) when it is
/// missing, which fails instead when `LECTERN_REQUIRE_MODEL=1`.
fn cached_model() -> Option<std::path::PathBuf> {
    let model = lectern::bench::test_model_dir();
    if model.is_none() {
        assert!(
            std::env::var_os("LECTERN_REQUIRE_MODEL").is_none_or(|v| v != "1"),
            "the test model is missing; scripts/fetch-model fetches it"
        );
        println!("skipped: the test model is not cached; scripts/fetch-model fetches it");
    }
    model
}

/// The top 3 titles for the paraphrase once they hold its paper: the
/// background job reads the 78 papers, and until it has the paraphrase
/// finds nothing useful, so it is searched again, for 5 minutes at most.
async fn paraphrase_top3(app: &App) -> Result<Vec<String>> {
    let started = Instant::now();
    loop {
        app.search(PARAPHRASE).await?;
        app.wait_results(PARAPHRASE).await?;
        let titles = app.texts("#result-list .hit-title").await?;
        let top3: Vec<String> = titles.into_iter().take(3).collect();
        if top3.iter().any(|t| t == TARGET) {
            return Ok(top3);
        }
        if started.elapsed() > Duration::from_secs(300) {
            bail!("the paraphrase did not find its paper in 5 minutes: {top3:?}");
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

#[tokio::test]
async fn a_paraphrase_finds_its_paper_and_related_papers_say_why() -> Result<()> {
    let Some(model) = cached_model() else {
        return Ok(());
    };
    let app = App::with_sample_and_env(&[("LECTERN_MODEL", model.display().to_string())]).await?;
    let run = async {
        let top3 = paraphrase_top3(&app).await?;
        // Found by meaning alone: marked so, no word of the query holds.
        let label = app
            .js(
                "const hit = [...document.querySelectorAll('#result-list .hit')].find(h => h.querySelector('.hit-title').textContent.startsWith('Text2MDT'));
                 return hit ? (hit.querySelector('.hit-meaning') || {}).textContent || '' : ''",
                vec![],
            )
            .await?;
        // By words alone (`=`) it is not in the top 3.
        let words_query = format!("={PARAPHRASE}");
        app.search(&words_query).await?;
        app.wait_results(&words_query).await?;
        let by_words: Vec<String> = app
            .texts("#result-list .hit-title")
            .await?
            .into_iter()
            .take(3)
            .collect();

        // Related: reasons, and a sentence from the other abstract.
        app.open_paper("VideoMAE V2", "VideoMAE V2").await?;
        app.click("#tab-related").await?;
        app.wait_js("return document.querySelectorAll('#suggestions .suggestion').length > 0")
            .await?;
        let reasons = app.texts("#suggestions .suggestion .reason").await?;
        // The closest sentences arrive after the list.
        app.wait_js(
            "return [...document.querySelectorAll('#suggestions .closest')].some(e => !e.hidden && e.textContent.length > 0)",
        )
        .await?;
        let sentences = app.texts("#suggestions .suggestion .closest:not([hidden])").await?;

        // For you: star VideoMAE V2; the order then comes from it.
        app.click("#star").await?;
        app.wait_js("return document.getElementById('star').classList.contains('on')")
            .await?;
        app.click("#facet-for-you").await?;
        app.wait_text("#result-meta", "For you").await?;
        app.wait_js("return document.querySelectorAll('#result-list .hit-snippet').length > 0")
            .await?;
        let for_you: Vec<String> = app.texts("#result-list .hit-snippet").await?;
        if let Ok(dir) = std::env::var("LECTERN_E2E_SHOTS") {
            tokio::time::sleep(Duration::from_millis(600)).await;
            app.screenshot(&std::path::Path::new(&dir).join("for-you.png"))
                .await?;
        }
        anyhow::Ok((top3, label, by_words, reasons, sentences, for_you))
    }
    .await;
    let _dir = app.close().await?;
    let (top3, label, by_words, reasons, sentences, for_you) = run?;
    assert!(top3.iter().any(|t| t == TARGET), "{top3:?}");
    assert_eq!(label, "Similar in meaning");
    assert!(!by_words.iter().any(|t| t == TARGET), "{by_words:?}");
    assert!(
        reasons.iter().any(|r| r.contains("similar in meaning")),
        "{reasons:?}"
    );
    assert!(!sentences.is_empty(), "no closest sentence shown");
    assert!(!for_you.is_empty(), "the for-you order is empty");
    assert!(
        for_you.iter().all(|s| s.contains("VideoMAE V2")),
        "{for_you:?}"
    );
    Ok(())
}

/// The model's files as the stand-in serves them, from the test cache.
fn model_files(model: &std::path::Path) -> Result<Vec<(String, Vec<u8>)>> {
    [
        "config.json",
        "sentence_bert_config.json",
        "tokenizer.json",
        "model.safetensors",
    ]
    .iter()
    .map(|n| Ok((n.to_string(), std::fs::read(model.join(n))?)))
    .collect()
}

#[tokio::test]
async fn the_window_downloads_the_model_only_after_consent_and_checks_it() -> Result<()> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use lectern::online::server::{Reply, TestServer};

    let Some(model) = cached_model() else {
        return Ok(());
    };
    // A stand-in for the model hub on 127.0.0.1: it counts requests, and
    // serves a damaged model.safetensors until told otherwise.
    let files = model_files(&model)?;
    let requests = Arc::new(AtomicUsize::new(0));
    let damaged = Arc::new(AtomicBool::new(true));
    let server = {
        let (requests, damaged) = (Arc::clone(&requests), Arc::clone(&damaged));
        TestServer::start(move |req| {
            requests.fetch_add(1, Ordering::SeqCst);
            let name = req.path().trim_start_matches("/resolve/main/");
            match files.iter().find(|(n, _)| n == name) {
                Some((n, bytes)) => {
                    let mut bytes = bytes.clone();
                    if n == "model.safetensors" && damaged.load(Ordering::SeqCst) {
                        bytes[100] ^= 0xff;
                    }
                    Reply::new(200, "application/octet-stream", bytes)
                }
                None => Reply::status(404),
            }
        })?
    };
    let data = tempfile::tempdir()?;
    let dest = data.path().join("models").join("all-MiniLM-L6-v2");
    let app = App::with_sample_and_env(&[
        ("LECTERN_MODEL", dest.display().to_string()),
        (
            "LECTERN_MODEL_URL",
            format!("{}/resolve/main/", server.url()),
        ),
    ])
    .await?;
    let run = async {
        app.click("#btn-settings").await?;
        app.wait_js("return !!document.getElementById('model-download')")
            .await?;
        let offer = app.text("#model-download").await?;
        // Asking shows what, how big, from where and to where; nothing is
        // fetched before the person agrees.
        app.click("#model-download").await?;
        app.wait_js("return !document.getElementById('model-consent').hidden")
            .await?;
        let consent = app.text("#model-consent").await?;
        let before = requests.load(Ordering::SeqCst);
        // A damaged file: an error, and nothing in place.
        app.click("#model-download-yes").await?;
        app.wait_js("return [...document.querySelectorAll('#toasts .toast.error')].some(t => t.textContent.includes('checksum'))")
            .await?;
        let damaged_in_place = dest.exists();
        // The real files: the status names the model, and the background
        // job reads the papers, so a paraphrase finds its paper.
        damaged.store(false, Ordering::SeqCst);
        // The error's toast may cover the dialog's buttons: dismissed (as
        // a click on it does).
        app.js(
            "document.querySelectorAll('#toasts .toast').forEach(t => t.remove()); return true",
            vec![],
        )
        .await?;
        app.wait_js("return !document.getElementById('model-download').disabled")
            .await?;
        app.click("#model-download").await?;
        app.wait_js("return !document.getElementById('model-consent').hidden")
            .await?;
        app.click("#model-download-yes").await?;
        let state = app.wait_text("#meaning-state", "Model all-MiniLM-L6-v2").await?;
        if let Ok(dir) = std::env::var("LECTERN_E2E_SHOTS") {
            app.screenshot(&std::path::Path::new(&dir).join("model-installed.png"))
                .await?;
        }
        app.click("#settings-save").await?;
        app.wait_js("return !document.getElementById('settings-email')")
            .await?;
        let top3 = paraphrase_top3(&app).await?;
        anyhow::Ok((offer, consent, before, damaged_in_place, state, top3))
    }
    .await;
    let _dir = app.close().await?;
    let (offer, consent, before, damaged_in_place, state, top3) = run?;
    assert!(offer.contains("MB"), "{offer}");
    assert!(
        consent.contains("MB")
            && consent.contains("127.0.0.1")
            && consent.contains("all-MiniLM-L6-v2"),
        "{consent}"
    );
    assert_eq!(before, 0, "the window fetched before the person agreed");
    assert!(!damaged_in_place, "a damaged download was put in place");
    assert!(dest.join("model.safetensors").is_file());
    assert!(state.contains("on "), "{state}");
    assert!(top3.iter().any(|t| t == TARGET), "{top3:?}");
    Ok(())
}
