//! End-to-end tests of the reader's PDF view in the real window: reading a
//! paper's PDF, highlighting across a line break and marking an area,
//! finding both again after a restart, an edit made in the paper file, and
//! a new version of the PDF that moves the highlighted sentence.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use lectern::bench::pdfgen::{self, MOVING_SENTENCE};
use lectern_e2e::{App, cli_binary};
use serde_json::{Value, json};

fn cli(library: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new(cli_binary())
        .arg("--library")
        .arg(library)
        .args(args)
        .output()
        .with_context(|| format!("running {}", cli_binary().display()))?;
    if !out.status.success() {
        bail!(
            "lectern {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Selects the page text from `from` through `to` in page `page`'s text
/// layer and releases the mouse, as a drag would.
async fn select_on_page(app: &App, page: u32, from: &str, to: &str) -> Result<Value> {
    select_across(app, (page, from), (page, to)).await
}

/// Selects from the text `from.1` on page `from.0` through the text `to.1`
/// on page `to.0` (the next page, or the same) and releases the mouse.
async fn select_across(app: &App, from: (u32, &str), to: (u32, &str)) -> Result<Value> {
    app.js(
        "const find = (page, text, after) => {
           const layer = document.querySelector(`#pdf-pane .pdf-page[data-page='${page}'] .textLayer`);
           if (!layer) return null;
           const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
           let node, seen = !after;
           while ((node = walker.nextNode())) {
             if (after && node === after[0]) seen = true;
             if (!seen) continue;
             const i = node.data.indexOf(text, after && node === after[0] ? after[1] : 0);
             if (i >= 0) return [node, i, layer];
           }
           return null;
         };
         const start = find(arguments[0], arguments[1], null);
         if (!start) return 'start not found';
         const end = find(arguments[2], arguments[3], arguments[0] === arguments[2] ? start : null);
         if (!end) return 'end not found';
         const r = document.createRange();
         r.setStart(start[0], start[1]);
         r.setEnd(end[0], end[1] + arguments[3].length);
         const s = window.getSelection();
         s.removeAllRanges();
         s.addRange(r);
         end[2].dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
         return true;",
        vec![json!(from.0), json!(from.1), json!(to.0), json!(to.1)],
    )
    .await
}

/// Drags an area on page `page` with the area tool, from 20% to 60% of
/// its width at the top of the page.
async fn mark_area(app: &App, page: u32) -> Result<Value> {
    app.js(
        "const div = document.querySelector(`#pdf-pane .pdf-page[data-page='${arguments[0]}']`);
         if (!div) return 'no page';
         const r = div.getBoundingClientRect();
         const at = (fx, fy) => ({ clientX: r.left + r.width * fx, clientY: r.top + r.height * fy });
         const opts = { bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', button: 0, buttons: 1, altKey: true };
         const target = div.querySelector('.pdf-overlay') || div;
         try {
           target.dispatchEvent(new PointerEvent('pointerdown', { ...opts, ...at(0.2, 0.05) }));
           target.dispatchEvent(new PointerEvent('pointermove', { ...opts, ...at(0.6, 0.15) }));
           target.dispatchEvent(new PointerEvent('pointerup', { ...opts, ...at(0.6, 0.15), buttons: 0 }));
         } catch (e) {
           return String(e);
         }
         return document.getElementById('hl-toolbar') ? true : 'no toolbar';",
        vec![json!(page)],
    )
    .await
}

/// The highlight boxes drawn on page `page`: `[id, top]` of each.
async fn boxes_on(app: &App, page: u32) -> Result<Vec<(String, f64)>> {
    let v = app
        .js(
            "return [...document.querySelectorAll(`#pdf-pane .pdf-page[data-page='${arguments[0]}'] .pdf-hl`)]
               .map(b => [b.dataset.id, b.getBoundingClientRect().top - b.closest('.pdf-page').getBoundingClientRect().top]);",
            vec![json!(page)],
        )
        .await?;
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| Some((b[0].as_str()?.to_string(), b[1].as_f64()?)))
        .collect())
}

/// `lectern show --json` of the paper whose file is `file`.
fn show_json(library: &Path, file: &Path) -> Result<String> {
    let key = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    cli(library, &["show", "--json", key])
}

fn paper_file(library: &Path) -> Result<PathBuf> {
    let papers = library.join("papers");
    for e in std::fs::read_dir(&papers)? {
        let path = e?.path();
        if path.extension().is_some_and(|x| x == "md") {
            return Ok(path);
        }
    }
    bail!("no paper file in {}", papers.display())
}

#[tokio::test]
async fn a_pdf_highlight_and_an_area_survive_a_restart_an_edit_and_a_new_version() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let v1 = dir.path().join("paper-v1.pdf");
    let v2 = dir.path().join("paper-v2.pdf");
    std::fs::write(&v1, pdfgen::moving_sentence_paper(false))?;
    std::fs::write(&v2, pdfgen::moving_sentence_paper(true))?;
    cli(&library, &["import", v1.to_str().unwrap_or_default()])?;
    let shots = std::env::var_os("LECTERN_E2E_SHOTS").map(PathBuf::from);

    // First session: read, go to page 2, highlight a sentence across a line
    // break with a comment, mark an area.
    let app = App::start_on(library.clone(), None).await?;
    let run = async {
        app.show_pdf("masked video", "A Generated Paper on Masked Video Pretraining").await?;
        let pages = app.text("#pdf-pane .pdf-page-total").await?;
        app.clear_input("#pdf-pane .pdf-page-input").await?;
        app.type_into("#pdf-pane .pdf-page-input", "2\u{E007}").await?;
        app.wait_js("return !!document.querySelector(\"#pdf-pane .pdf-page[data-page='2'] .textLayer span\")")
            .await?;
        let selected = select_on_page(&app, 2, "Masked autoencoders", "during pretraining").await?;
        app.type_into("#hl-comment", "the claim").await?;
        app.click("#hl-toolbar [data-color='green']").await?;
        app.wait_js("return document.querySelectorAll(\"#pdf-pane .pdf-page[data-page='2'] .pdf-hl.text:not(.pending)\").length >= 2")
            .await?;
        let area = mark_area(&app, 2).await?;
        if area != Value::Bool(true) {
            bail!("marking an area: {area}");
        }
        app.click("#hl-toolbar [data-color='blue']").await?;
        app.wait_js("return !!document.querySelector(\"#pdf-pane .pdf-page[data-page='2'] .pdf-hl.area:not(.pending)\")")
            .await?;
        if let Some(dir) = &shots {
            app.screenshot(&dir.join("pdf-highlight.png")).await?;
        }
        anyhow::Ok((pages, selected, area))
    }
    .await;
    let _ = app.close().await?;
    let (pages, selected, area) = run?;
    assert_eq!(selected, Value::Bool(true));
    assert_eq!(area, Value::Bool(true));
    assert!(pages.contains('4'), "a four-page PDF: {pages}");

    // The paper file holds the highlight with its page.
    let file = paper_file(&library)?;
    let text = std::fs::read_to_string(&file)?;
    assert!(text.contains("> — p. 2\n"), "{text}");
    assert!(text.contains("the claim"), "{text}");
    assert!(text.contains("kind=area"), "{text}");
    let shown = show_json(&library, &file)?;
    let paper: Value = serde_json::from_str(&shown)?;
    let texts: Vec<&Value> = paper["annotations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["kind"] == "text")
        .collect();
    assert_eq!(texts.len(), 1, "{shown}");
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    // The quote selected in the window is the sentence, found by the engine
    // in its own text of page 2.
    assert_eq!(
        fold(texts[0]["quote"]["exact"].as_str().unwrap_or_default()),
        MOVING_SENTENCE
    );
    assert_eq!(texts[0]["page"], 2);
    assert!(
        texts[0]["position"]["end"].as_u64().unwrap_or(0) > 0,
        "the engine found the quote: {shown}"
    );

    // Second session: the PDF reopens at page 2 with both marks; an edit in
    // the file shows; a new version moves the sentence, and the highlight.
    let app = App::start_on(library.clone(), None).await?;
    let run = async {
        app.show_pdf("masked video", "A Generated Paper on Masked Video Pretraining").await?;
        app.wait_js("return document.querySelector('#pdf-pane .pdf-page-input').value === '2'")
            .await?;
        app.wait_js("return document.querySelectorAll(\"#pdf-pane .pdf-page[data-page='2'] .pdf-hl\").length >= 3")
            .await?;
        let before = boxes_on(&app, 2).await?;
        app.click("#tab-highlights").await?;
        let listed = app.wait_text("#hl-list", "p. 2").await?;
        let edit = std::fs::read_to_string(&file)?.replace("the claim", "the central claim");
        std::fs::write(&file, &edit)?;
        // The window shows the edit: from the folder event, or, when the
        // event is not delivered (seen on a busy machine), from its next
        // look at the count of events, within 2 s.
        let edited = match app.wait_text("#hl-list", "the central claim").await {
            Ok(t) => {
                eprintln!("TEMP folder: {}", app.js("return window.__lectern.folder.join(' | ')", vec![]).await?);
                t
            }
            Err(e) => {
                let did = app.js("return window.__lectern.folder.join(' | ')", vec![]).await?;
                anyhow::bail!("{e}; what the window did with folder changes: {did}");
            }
        };
        cli(&library, &["attach", file.file_stem().and_then(|s| s.to_str()).unwrap_or_default(), v2.to_str().unwrap_or_default()])?;
        app.wait_js("return [...document.querySelectorAll('#paper .link.pdf')].some(b => (b.dataset.url || '').endsWith('paper-v2.pdf'))")
            .await?;
        app.wait_js("return !!document.querySelector('#pdf-pane .pdf-page canvas')").await?;
        // The text highlight is drawn where the sentence now is.
        let mut after = Vec::new();
        for page in 2..=3 {
            app.wait_js("return !!document.querySelector('#pdf-pane .pdf-page canvas')").await?;
            for (id, top) in boxes_on(&app, page).await? {
                after.push((page, id, top));
            }
        }
        if let Some(dir) = &shots {
            app.screenshot(&dir.join("pdf-new-version.png")).await?;
        }
        // A search of the full text opens the PDF where the words are.
        app.search("text:\"Closing 28\"").await?;
        app.wait_text("#results", "A Generated Paper").await?;
        app.click("#results li.hit").await?;
        app.wait_js("return Number(document.querySelector('#pdf-pane .pdf-page-input').value) >= 3")
            .await?;
        let found_on = app
            .js("return document.querySelector('#pdf-pane .pdf-page-input').value", vec![])
            .await?;
        anyhow::Ok((before, listed, edited, after, found_on))
    }
    .await;
    let _ = app.close().await?;
    let (before, listed, edited, after, found_on) = run?;
    assert!(found_on.as_str().is_some_and(|p| p != "2"), "{found_on}");
    assert!(listed.contains("Area, p. 2"), "{listed}");
    assert!(edited.contains("the central claim"), "{edited}");
    let text_id = texts[0]["id"].as_str().unwrap_or_default();
    let old_top = before
        .iter()
        .filter(|(id, _)| id == text_id)
        .map(|(_, top)| *top)
        .fold(f64::MAX, f64::min);
    let moved: Vec<_> = after.iter().filter(|(_, id, _)| id == text_id).collect();
    assert!(
        !moved.is_empty(),
        "the highlight is drawn in the new version: {after:?}"
    );
    assert!(
        moved
            .iter()
            .all(|(page, _, top)| *page != 2 || (top - old_top).abs() > 5.0),
        "it moved with the sentence: before {old_top}, after {moved:?}"
    );
    let shown = show_json(&library, &file)?;
    assert!(
        shown.contains("\"placed\": true") || shown.contains("\"placed\":true"),
        "{shown}"
    );
    drop(dir);
    Ok(())
}

#[tokio::test]
async fn another_readers_annotations_show_on_the_pages_and_find_works() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let fixture = lectern_e2e::fixture("pdf/annotated.pdf");
    cli(&library, &["import", fixture.to_str().unwrap_or_default()])?;
    let app = App::start_on(library.clone(), None).await?;
    let run = async {
        app.show_pdf("annotated", "Reading Annotated Papers").await?;
        // Six annotations made by pypdf: four on page 1, two on page 2.
        app.wait_js("return document.querySelectorAll(\"#pdf-pane .pdf-page[data-page='1'] .pdf-hl\").length >= 4")
            .await?;
        app.click("#tab-highlights").await?;
        let listed = app.wait_text("#hl-list", "Area, p. 2").await?;
        // Find in the PDF: Ctrl+F on the pages, a word, the count.
        app.js(
            "document.querySelector('#pdf-pane .pdf-scroll').focus();
             document.querySelector('#pdf-pane .pdf-scroll').dispatchEvent(new KeyboardEvent('keydown', { key: 'f', ctrlKey: true, bubbles: true }));
             return true;",
            vec![],
        )
        .await?;
        app.wait_js("const i = document.querySelector('#pdf-pane .pdf-find-input'); return !!i && i.offsetParent !== null")
            .await?;
        app.type_into("#pdf-pane .pdf-find-input", "column").await?;
        let count = app.wait_text("#pdf-pane .pdf-find-count", "of").await?;
        app.click("#pdf-pane .pdf-find-close").await?;
        // Reading the same annotations again adds nothing.
        app.click("#pdf-read-annotations").await?;
        let again = app.wait_text("#toasts", "0 new").await?;
        // A selection across the page break: one highlight on each page.
        app.wait_js("return !!document.querySelector(\"#pdf-pane .pdf-page[data-page='2'] .textLayer span\")")
            .await?;
        let across = select_across(&app, (1, "naïve résumé"), (2, "Left column first")).await?;
        if across != Value::Bool(true) {
            bail!("selecting across the page break: {across}");
        }
        app.click("#hl-toolbar [data-color='red']").await?;
        app.wait_text("#tab-highlights", "Highlights (8)").await?;
        // A selection from the left column into the right one.
        let columns = select_on_page(&app, 2, "Left column third", "Right column opens").await?;
        app.click("#hl-toolbar [data-color='purple']").await?;
        app.wait_text("#tab-highlights", "Highlights (9)").await?;
        anyhow::Ok((listed, count, again, across, columns))
    }
    .await;
    let _ = app.close().await?;
    let (listed, count, again, across, columns) = run?;
    assert!(again.contains("Read 6 annotations"), "{again}");
    assert_eq!(across, Value::Bool(true));
    assert_eq!(columns, Value::Bool(true));
    let list = cli(&library, &["list", "--json"])?;
    let key = serde_json::from_str::<Value>(&list)?[0]["citekey"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let shown: Value = serde_json::from_str(&cli(&library, &["show", "--json", &key])?)?;
    let annotations = shown["annotations"].as_array().cloned().unwrap_or_default();
    let red: Vec<&Value> = annotations
        .iter()
        .filter(|a| a["color"] == "red" && a["kind"] == "text")
        .collect();
    let red_pages: Vec<&Value> = red.iter().map(|a| &a["page"]).collect();
    assert_eq!(red_pages, [&json!(1), &json!(2)], "{red:?}");
    let two_columns = annotations
        .iter()
        .find(|a| a["color"] == "purple")
        .map(|a| {
            let xs: Vec<f64> = a["rects"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| r["x0"].as_f64())
                .collect();
            xs.iter().cloned().fold(f64::MIN, f64::max)
                - xs.iter().cloned().fold(f64::MAX, f64::min)
        })
        .unwrap_or(0.0);
    assert!(
        two_columns > 100.0,
        "rectangles in both columns: {annotations:?}"
    );
    assert!(
        listed.contains("p. 1") && listed.contains("p. 2"),
        "{listed}"
    );
    assert!(listed.contains("a sentence that runs across"), "{listed}");
    assert!(listed.contains("Area, p. 2"), "{listed}");
    assert!(count.starts_with("1 of "), "{count}");
    drop(dir);
    Ok(())
}
