//! End-to-end tests of the real desktop app: each starts `lectern-desktop`
//! on its own temporary library through tauri-driver and acts as a person.

use anyhow::Result;
use lectern_e2e::App;
use serde_json::{Value, json};

const ENTER: &str = "\u{E007}";

#[tokio::test]
async fn empty_library_welcomes_and_loads_the_sample_papers() -> Result<()> {
    let app = App::start().await?;
    let run = async {
        app.find("#welcome").await?;
        app.click("#welcome-sample").await?;
        let added = app.text("#summary-added").await?;
        app.click("#summary-close").await?;
        app.search("masked autoencoder").await?;
        let results = app.wait_text("#result-list", "Context Autoencoder").await?;
        app.open_paper("masked autoencoder", "VideoMAE V2").await?;
        let title = app.text("#paper-title").await?;
        let highlighted = app
            .js(
                "return document.querySelectorAll('#result-list .hit-title b').length",
                vec![],
            )
            .await?;
        anyhow::Ok((added, results, title, highlighted))
    }
    .await;
    let _dir = app.close().await?;
    let (added, results, title, highlighted) = run?;
    assert_eq!(added, "78");
    assert!(results.contains("VideoMAE V2"), "{results}");
    assert!(title.starts_with("VideoMAE V2"), "{title}");
    assert!(
        highlighted.as_u64().unwrap_or(0) >= 2,
        "matched words are highlighted in titles"
    );
    Ok(())
}

#[tokio::test]
async fn best_match_lists_papers_holding_some_words_and_strikes_the_missing_ones() -> Result<()> {
    let app = App::with_sample().await?;
    let run = async {
        app.search("diffusion robot").await?;
        app.wait_results("diffusion robot").await?;
        let titles = app.texts("#result-list .hit-title").await?;
        // What each hit says it lacks, by title.
        let missing = app
            .js(
                "return [...document.querySelectorAll('#result-list .hit')].map(h => [
                    h.querySelector('.hit-title').textContent,
                    [...h.querySelectorAll('.hit-missing s')].map(s => s.textContent)])",
                vec![],
            )
            .await?;
        if let Ok(dir) = std::env::var("LECTERN_E2E_SHOTS") {
            tokio::time::sleep(std::time::Duration::from_millis(800)).await;
            app.screenshot(&std::path::Path::new(&dir).join("best-match.png"))
                .await?;
        }
        anyhow::Ok((titles, missing))
    }
    .await;
    let _dir = app.close().await?;
    let (titles, missing) = run?;
    let find = |needle: &str| {
        missing
            .as_array()
            .and_then(|hits| {
                hits.iter()
                    .find(|h| h[0].as_str().is_some_and(|t| t.contains(needle)))
            })
            .cloned()
    };
    let diffusion = find("Diffusion Models Beat GANs").expect("the diffusion paper is listed");
    let robotic = find("Lift3D").expect("the robotics paper is listed");
    assert_eq!(diffusion[1], json!(["robot"]), "{missing}");
    assert_eq!(robotic[1], json!(["diffusion"]), "{missing}");
    assert!(titles.len() >= 2, "{titles:?}");
    Ok(())
}

/// Selects `phrase` inside the abstract and releases the mouse there, as a
/// drag-selection would.
async fn select_in_abstract(app: &App, phrase: &str) -> Result<Value> {
    app.js(
        "const box = document.getElementById('abstract');
         const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
         let node;
         while ((node = walker.nextNode())) {
           const i = node.data.indexOf(arguments[0]);
           if (i >= 0) {
             const r = document.createRange();
             r.setStart(node, i);
             r.setEnd(node, i + arguments[0].length);
             const s = window.getSelection();
             s.removeAllRanges();
             s.addRange(r);
             box.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
             return true;
           }
         }
         return false;",
        vec![json!(phrase)],
    )
    .await
}

#[tokio::test]
async fn a_highlight_with_a_comment_survives_reopening() -> Result<()> {
    let phrase = "scalable and general self-supervised pre-trainer";
    let app = App::with_sample().await?;
    let run = async {
        app.open_paper("videomae", "VideoMAE V2").await?;
        assert_eq!(select_in_abstract(&app, phrase).await?, Value::Bool(true));
        app.type_into("#hl-comment", "the central claim").await?;
        app.click("#hl-toolbar [data-color='green']").await?;
        let first = app
            .wait_text("#abstract mark.hl", "self-supervised")
            .await?;
        // Open another paper, then come back.
        app.open_paper("context autoencoder", "Context Autoencoder")
            .await?;
        app.open_paper("videomae", "VideoMAE V2").await?;
        let again = app.text("#abstract mark.hl").await?;
        app.click("#tab-highlights").await?;
        let listed = app.wait_text("#hl-list", "the central claim").await?;
        // Clicking the quote scrolls to and flashes the highlight.
        app.click("#hl-list .hl-quote").await?;
        app.wait_js(
            "return document.querySelector('#abstract mark.hl').classList.contains('flash')",
        )
        .await?;
        // Edit the comment, then delete the highlight.
        app.click("#hl-list .hl-edit").await?;
        app.clear_input("#hl-list .hl-comment-input").await?;
        app.type_into(
            "#hl-list .hl-comment-input",
            &format!("edited comment{ENTER}"),
        )
        .await?;
        let edited = app.wait_text("#hl-list", "edited comment").await?;
        app.click("#hl-list .hl-delete").await?;
        app.wait_js("return document.querySelectorAll('#abstract mark.hl').length === 0")
            .await?;
        anyhow::Ok((first, again, listed, edited))
    }
    .await;
    let _dir = app.close().await?;
    let (first, again, listed, edited) = run?;
    assert_eq!(first, phrase);
    assert_eq!(again, phrase);
    assert!(listed.contains(phrase));
    assert!(edited.contains("edited comment"));
    Ok(())
}

#[tokio::test]
async fn a_note_links_papers_and_outlives_the_window() -> Result<()> {
    let app = App::with_sample().await?;
    let library = app.library.clone();
    let run = async {
        app.open_paper("context autoencoder", "Context Autoencoder")
            .await?;
        app.click("#tab-notes").await?;
        app.click("#note-editor .cm-content").await?;
        app.type_into(
            "#note-editor .cm-content",
            "Compare with [[videomaeV2Scaling]] on video.",
        )
        .await?;
        app.wait_text("#note-saved", "Saved").await?;
        app.wait_text("#note-preview a.wikilink", "videomaeV2Scaling")
            .await?;
        app.click("#note-preview a.wikilink").await?;
        let followed = app.wait_text("#paper-title", "VideoMAE V2").await?;
        app.click("#tab-notes").await?;
        let back = app.wait_text("#backlinks", "Context Autoencoder").await?;
        anyhow::Ok((followed, back))
    }
    .await;
    let _dir = app.close().await?;
    let (followed, back) = run?;
    assert!(followed.starts_with("VideoMAE V2"));
    assert!(back.contains("Compare with [[videomaeV2Scaling]]"));

    // The note is in the library after the window is gone.
    let app = App::start_on(library, _dir).await?;
    let run = async {
        app.open_paper("context autoencoder", "Context Autoencoder")
            .await?;
        app.click("#tab-notes").await?;
        app.wait_text("#note-editor .cm-content", "Compare with")
            .await
    }
    .await;
    let _dir = app.close().await?;
    assert!(run?.contains("[[videomaeV2Scaling]] on video."));
    Ok(())
}

#[tokio::test]
async fn a_suggestion_becomes_a_link_and_a_tag_filters() -> Result<()> {
    let app = App::with_sample().await?;
    let run = async {
        app.open_paper("context autoencoder", "Context Autoencoder").await?;
        app.click("#tab-related").await?;
        let first = app.text("#suggestions .suggestion a").await?;
        app.click("#suggestions .suggestion .accept").await?;
        let linked = app.wait_text("#your-links", &first).await?;
        // The graph shows the link; clicking the other paper opens it.
        app.click("#btn-graph").await?;
        app.find("#graph-modal svg .node").await?;
        let nodes = app
            .js("return document.querySelectorAll('#graph-modal svg .node').length", vec![])
            .await?;
        // WebDriver clicks reach HTML elements only; an SVG node gets the
        // same click event from a script.
        app.js(
            "document.querySelector('#graph-modal .node:not(.center)').dispatchEvent(new MouseEvent('click', {bubbles: true})); return true",
            vec![],
        )
        .await?;
        app.wait_js("return !document.getElementById('graph-modal')").await?;
        // Tag the open paper and filter by the tag.
        app.open_paper("context autoencoder", "Context Autoencoder").await?;
        app.type_into("#tag-input", &format!("to-compare{ENTER}")).await?;
        app.wait_text("#paper-tags", "to-compare").await?;
        app.click("#sidebar [data-tag='to-compare']").await?;
        app.search("").await?;
        app.wait_results("").await?;
        app.wait_js("return document.querySelectorAll('#result-list .hit').length === 1")
            .await?;
        let only = app.text("#result-list").await?;
        // Removing the link leaves none.
        app.click("#tab-related").await?;
        app.click("#your-links .unlink").await?;
        app.wait_js("return document.querySelectorAll('#your-links .relation').length === 0")
            .await?;
        anyhow::Ok((first, linked, nodes, only))
    }
    .await;
    let _dir = app.close().await?;
    let (first, linked, nodes, only) = run?;
    assert!(linked.contains(&first));
    assert!(nodes.as_u64().unwrap_or(0) >= 2);
    assert!(only.contains("Context Autoencoder"));
    Ok(())
}

#[tokio::test]
async fn export_writes_markdown_files() -> Result<()> {
    let app = App::with_sample().await?;
    let out = app
        .library
        .parent()
        .map(|p| p.join("vault"))
        .unwrap_or_default();
    let run = async {
        app.click("#btn-export").await?;
        app.type_into("#export-dir", &out.display().to_string())
            .await?;
        app.click("#export-run").await?;
        app.wait_text("#export-result", "Wrote 78 files").await?;
        // Only the current results.
        app.click("#export-modal .close").await?;
        app.search("videomae").await?;
        app.wait_text("#result-list", "VideoMAE V2").await?;
        app.click("#btn-export").await?;
        app.type_into("#export-dir", &format!("{}-results", out.display()))
            .await?;
        app.click("#export-results").await?;
        app.click("#export-run").await?;
        app.wait_text("#export-result", "Wrote").await
    }
    .await;
    let _dir = app.close().await?;
    let result = run?;
    let files = std::fs::read_dir(&out)?.count();
    assert_eq!(files, 78);
    let video = std::fs::read_to_string(out.join("videomaeV2Scaling.md"))?;
    assert!(video.contains("VideoMAE V2"));
    let subset = std::fs::read_dir(format!("{}-results", out.display()))?.count();
    assert!((1..78).contains(&subset), "{result}: {subset} files");
    Ok(())
}

#[tokio::test]
async fn markup_in_papers_and_notes_shows_as_text_and_never_runs() -> Result<()> {
    let app = App::start().await?;
    let listing = "Rendering Untrusted Abstracts Safely <script>window.__pwned = 2</script>\n\n\
        This abstract carries <img src=x onerror=\"window.__pwned = 1\"> markup that a reader must show as plain text instead of running it in the window.\n";
    let run = async {
        app.click("#welcome-paste").await?;
        // WebDriver types a new line as the Enter key.
        app.type_into("#paste", &listing.replace('\n', ENTER)).await?;
        app.click("#import-paste").await?;
        if app.wait_text("#summary-added", "1").await.is_err() {
            app.screenshot(std::path::Path::new("/tmp/xss-fail.png")).await?;
            anyhow::bail!("no summary");
        }
        app.click("#summary-close").await?;
        app.open_paper("untrusted", "Rendering Untrusted").await?;
        let abstract_text = app.text("#abstract").await?;
        app.click("#tab-notes").await?;
        app.click("#note-editor .cm-content").await?;
        app.type_into("#note-editor .cm-content", "<img src=x onerror=\"window.__pwned = 3\"> <script>window.__pwned = 4</script> **bold**")
            .await?;
        app.wait_text("#note-saved", "Saved").await?;
        app.wait_text("#note-preview", "bold").await?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let verdict = app
            .js(
                "return {
                   pwned: window.__pwned === undefined ? null : window.__pwned,
                   imgs: document.querySelectorAll('#reader img, #result-list img').length,
                   scripts: document.querySelectorAll('#reader script, #result-list script').length,
                   bold: document.querySelectorAll('#note-preview strong').length
                 }",
                vec![],
            )
            .await?;
        anyhow::Ok((abstract_text, verdict))
    }
    .await;
    let _dir = app.close().await?;
    let (abstract_text, verdict) = run?;
    assert!(
        abstract_text.contains("<img src=x onerror=\"window.__pwned = 1\">"),
        "{abstract_text}"
    );
    assert_eq!(verdict["pwned"], Value::Null, "{verdict}");
    assert_eq!(verdict["imgs"], json!(0));
    assert_eq!(verdict["scripts"], json!(0));
    assert_eq!(verdict["bold"], json!(1));
    Ok(())
}

#[tokio::test]
async fn edits_to_the_library_folder_show_up_while_the_window_runs() -> Result<()> {
    let app = App::with_sample().await?;
    let file = app.library.join("papers").join("videomaeV2Scaling.md");
    let run = async {
        app.wait_results("").await?;
        // Another editor changes the paper's file: a tag and a note.
        let text = std::fs::read_to_string(&file)?
            .replace("tags: []", "tags: [edited-outside]")
            .replace("## Notes\n", "## Notes\n\nWritten in another editor.\n");
        std::fs::write(&file, text)?;
        // … and a free-standing note mentions the paper.
        let notes = app.library.join("notes");
        std::fs::create_dir_all(&notes)?;
        std::fs::write(
            notes.join("reading-group.md"),
            "# Reading group\n\n[[videomaeV2Scaling]] scales masked video pretraining.\n",
        )?;
        let sidebar = app.wait_text("#sidebar", "edited-outside").await?;
        app.open_paper("VideoMAE V2", "VideoMAE V2").await?;
        app.click("#tab-notes").await?;
        let note = app
            .wait_text("#note-editor .cm-content", "Written in another editor.")
            .await?;
        let mentioned = app
            .wait_text("#backlinks", "notes/reading-group.md")
            .await?;
        // Metadata corrected in the window reaches the file.
        app.click("#edit-paper").await?;
        app.js(
            "document.getElementById('edit-venue').value = 'ICLR (edited)'; return true",
            vec![],
        )
        .await?;
        app.click("#edit-save").await?;
        app.wait_text("#paper .meta", "ICLR (edited)").await?;
        let edited = std::fs::read_to_string(&file)?.contains("venue: \"ICLR (edited)\"");
        // Deleting in the window takes two clicks and removes the file.
        app.click("#delete-paper").await?;
        let asked = app.text("#delete-paper").await?;
        let still_there = file.exists();
        app.click("#delete-paper").await?;
        let gone = app.wait_text("#reader", "Moved").await?;
        anyhow::Ok((sidebar, note, mentioned, edited, asked, still_there, gone))
    }
    .await;
    let library = app.library.clone();
    let dir = app.close().await?;
    let (sidebar, note, mentioned, edited, asked, still_there, gone) = run?;
    assert!(
        mentioned.contains("scales masked video pretraining"),
        "{mentioned}"
    );
    assert!(edited, "the venue edited in the window is in the file");
    assert!(sidebar.contains("edited-outside"), "{sidebar}");
    assert!(note.contains("Written in another editor."), "{note}");
    assert!(asked.contains("trash"), "{asked}");
    assert!(still_there, "the first click only asks");
    assert!(
        gone.contains("lectern trash restore videomaeV2Scaling"),
        "{gone}"
    );
    assert!(!file.exists(), "the paper's file is removed");
    let trash = std::process::Command::new(lectern_e2e::cli_binary())
        .arg("--library")
        .arg(&library)
        .args(["trash", "list"])
        .output()?;
    assert!(String::from_utf8_lossy(&trash.stdout).contains("videomaeV2Scaling"));
    drop(dir);
    Ok(())
}

#[tokio::test]
async fn possible_duplicates_are_listed_with_their_reason_and_merge() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let bib = dir.path().join("two.bib");
    std::fs::write(
        &bib,
        "@article{keep2020, title = {A Study of Things}, author = {Roe, Jan}, year = {2020}}\n\
         @article{dup2020, title = {A study of things}, author = {Roe, Jan}, year = {2020}, doi = {10.5/things}}\n",
    )?;
    let cli = |args: &[&str]| {
        std::process::Command::new(lectern_e2e::cli_binary())
            .arg("--library")
            .arg(&library)
            .args(args)
            .output()
    };
    let imported = cli(&["import", bib.to_str().unwrap_or_default()])?;
    assert!(imported.status.success(), "{imported:?}");
    let app = App::start_on(library.clone(), Some(dir)).await?;
    let run = async {
        app.wait_results("").await?;
        app.click("#btn-duplicates").await?;
        let listed = app.wait_text("#dup-list", "A Study of Things").await?;
        let reason = app.text("#dup-list .dup-reason").await?;
        app.click("#dup-list .dup-merge-a").await?;
        let after = app.wait_text("#duplicates-modal", "No more pairs.").await?;
        anyhow::Ok((listed, reason, after))
    }
    .await;
    let dir = app.close().await?;
    let (listed, reason, _after) = run?;
    assert!(
        listed.contains("keep2020 (2020)") && listed.contains("dup2020 (2020)"),
        "{listed}"
    );
    assert!(reason.contains("two entries of"), "{reason}");
    let shown = cli(&["--json", "show", "dup2020"])?;
    let shown: Value = serde_json::from_slice(&shown.stdout)?;
    assert_eq!(shown["citekey"], "keep2020");
    assert_eq!(shown["doi"], "10.5/things");
    drop(dir);
    Ok(())
}

#[tokio::test]
async fn the_web_view_cannot_export_into_a_folder_nobody_chose() -> Result<()> {
    let app = App::with_sample().await?;
    let elsewhere = app
        .library
        .parent()
        .unwrap_or(&app.library)
        .join("elsewhere");
    std::fs::create_dir_all(&elsewhere)?;
    std::fs::write(elsewhere.join("secret.txt"), "not a vault")?;
    let run = async {
        app.wait_results("").await?;
        app.js(
            "return window.__TAURI_INTERNALS__.invoke('export_markdown', {dir: arguments[0], keys: null})
               .then(r => ({ok: r}), e => ({err: e}))",
            vec![json!(elsewhere.display().to_string())],
        )
        .await
    }
    .await;
    let written: Vec<_> = std::fs::read_dir(&elsewhere)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let _dir = app.close().await?;
    let answer = run?;
    assert!(
        answer["err"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("holds no Markdown")),
        "{answer}"
    );
    assert_eq!(written, vec!["secret.txt".to_string()]);
    Ok(())
}

#[tokio::test]
async fn the_cli_writes_while_the_window_is_open_and_the_window_shows_it() -> Result<()> {
    let app = App::with_sample().await?;
    let run = async {
        app.wait_results("").await?;
        let out = std::process::Command::new(lectern_e2e::cli_binary())
            .arg("--library")
            .arg(&app.library)
            .args(["tag", "videomaeV2Scaling", "from-the-shell"])
            .output()?;
        let sidebar = app.wait_text("#sidebar", "from-the-shell").await?;
        anyhow::Ok((out, sidebar))
    }
    .await;
    let _dir = app.close().await?;
    let (out, sidebar) = run?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(sidebar.contains("from-the-shell"), "{sidebar}");
    Ok(())
}

#[tokio::test]
async fn a_window_opened_while_the_cli_held_the_library_becomes_its_writer() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let import = std::process::Command::new(lectern_e2e::cli_binary())
        .arg("--library")
        .arg(&library)
        .arg("import")
        .arg(lectern_e2e::fixture("trending-papers.txt"))
        .output()?;
    assert!(import.status.success());
    // `sync --watch` holds the library while the window opens.
    let mut holder = hold_library(&library)?;
    let app = App::start_on(library.clone(), None).await;
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            let _ = holder.kill();
            return Err(e);
        }
    };
    let run = async {
        app.wait_js("return !document.getElementById('readonly').hidden")
            .await?;
        let _ = std::process::Command::new("kill")
            .args(["-INT", &holder.id().to_string()])
            .status();
        let _ = holder.wait();
        // The window takes the library over and watches its folder.
        app.wait_js("return document.getElementById('readonly').hidden")
            .await?;
        let file = library.join("papers").join("videomaeV2Scaling.md");
        let text = std::fs::read_to_string(&file)?.replace("tags: []", "tags: [after-takeover]");
        std::fs::write(&file, text)?;
        app.wait_text("#sidebar", "after-takeover").await
    }
    .await;
    let _ = holder.kill();
    let _dir = app.close().await?;
    let sidebar = run?;
    assert!(sidebar.contains("after-takeover"), "{sidebar}");
    drop(dir);
    Ok(())
}

/// A small BibTeX file outside the library, as a file manager would hand
/// it to "Open with Lectern".
fn bib_outside(dir: &std::path::Path) -> Result<std::path::PathBuf> {
    let bib = dir.join("opened refs.bib");
    std::fs::write(
        &bib,
        "@article{opened2026,\n  title = {Opened With Lectern From A File Manager},\n  \
         author = {Doe, Jane},\n  year = {2026}\n}\n",
    )?;
    Ok(bib)
}

#[tokio::test]
async fn a_file_opened_with_lectern_is_imported_into_the_library_it_opens() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let bib = bib_outside(dir.path())?;
    let args = [bib.display().to_string()];
    // `lectern FILE`, as the menu entry runs it: the command line hands
    // over to the window program beside it.
    let app =
        App::start_with_args(&lectern_e2e::cli_binary(), &args, library.clone(), None).await?;
    let run = async {
        app.search("opened file manager").await?;
        app.wait_text("#result-list", "Opened With Lectern").await
    }
    .await;
    let _ = app.close().await?;
    let results = run?;
    assert!(
        results.contains("Opened With Lectern From A File Manager"),
        "{results}"
    );
    // The file the person opened is left where it was; the inbox's copy
    // moved to inbox/done/ with its report.
    assert!(bib.exists());
    assert!(library.join("inbox/done/opened refs.bib").exists());
    Ok(())
}

#[test]
fn a_file_opened_while_another_lectern_holds_the_library_is_handed_to_it() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let bib = bib_outside(dir.path())?;
    let cli = |args: &[&str]| {
        std::process::Command::new(lectern_e2e::cli_binary())
            .arg("--library")
            .arg(&library)
            .args(args)
            .output()
    };
    assert!(
        cli(&["import", "--id", "arXiv:2303.16727"])?
            .status
            .success()
    );
    let mut holder = hold_library(&library)?;
    // No window opens (there is no display here to open one on): the file
    // goes to the holder, which imports it.
    let handed = std::process::Command::new(lectern_e2e::app_binary())
        .arg("--library")
        .arg(&library)
        .arg(&bib)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()?;
    let done = library.join("inbox/done/opened refs.bib");
    let started = std::time::Instant::now();
    while !done.exists() && started.elapsed() < lectern_e2e::WAIT {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = std::process::Command::new("kill")
        .args(["-INT", &holder.id().to_string()])
        .status();
    let _ = holder.wait();
    let stdout = String::from_utf8_lossy(&handed.stdout);
    assert!(
        handed.status.success(),
        "{}",
        String::from_utf8_lossy(&handed.stderr)
    );
    assert!(stdout.contains("handed to the Lectern"), "{stdout}");
    assert!(done.exists(), "the holder imported the file");
    let listed = cli(&["list"])?;
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("Opened With Lectern From A File Manager"),
        "{listed}"
    );
    Ok(())
}

#[test]
fn the_desktop_program_is_the_command_line_when_given_a_command() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let library = dir.path().join("library");
    let run = |args: &[&str]| {
        std::process::Command::new(lectern_e2e::app_binary())
            .arg("--library")
            .arg(&library)
            .args(args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
    };
    let sample = lectern_e2e::fixture("trending-papers.txt");
    let imported = run(&["import", &sample.display().to_string()])?;
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let found = run(&["search", "VideoMAE V2"])?;
    assert!(String::from_utf8_lossy(&found.stdout).contains("VideoMAE V2"));
    // A mistyped command is explained, not taken for a file to open.
    let typo = run(&["serach", "x"])?;
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("unrecognized subcommand"));
    let completions = run(&["completions", "bash"])?;
    assert!(String::from_utf8_lossy(&completions.stdout).contains("complete -F"));
    Ok(())
}

/// Starts `lectern sync --watch` on `library`: a CLI holding the library
/// (its writer, watching the folder) until it is stopped.
fn hold_library(library: &std::path::Path) -> Result<std::process::Child> {
    let holder = std::process::Command::new(lectern_e2e::cli_binary())
        .arg("--library")
        .arg(library)
        .args(["sync", "--watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    std::thread::sleep(std::time::Duration::from_millis(700));
    Ok(holder)
}
