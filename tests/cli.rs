//! End-to-end tests of the `lectern` binary on temporary libraries.

mod common;

use common::{Lib, SEED, fixture, seed_pairs};
use serde_json::Value;

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|p| p["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn seed_imports_exactly_its_papers_and_links() {
    let lib = Lib::new();
    let report = lib.import_seed();
    assert_eq!(report["added"], 78, "{report}");
    assert_eq!(report["merged"], 0);
    let list = lib.json(&["list"]);
    let papers = list.as_array().expect("papers");
    let expected = seed_pairs();
    assert_eq!(expected.len(), 78);
    assert_eq!(papers.len(), 78);
    for (p, (title, abstract_text)) in papers.iter().zip(&expected) {
        assert_eq!(p["title"].as_str(), Some(title.as_str()));
        assert_eq!(p["abstract"].as_str(), Some(abstract_text.as_str()));
        assert_eq!(p["status"], "unread");
        assert!(p["citekey"].as_str().is_some_and(|k| !k.is_empty()));
    }
    // Every URL of the seed, with its kind.
    let mut links: Vec<(String, String)> = Vec::new();
    for p in papers {
        for l in p["links"].as_array().expect("links") {
            links.push((
                l["url"].as_str().unwrap_or_default().to_string(),
                l["kind"].as_str().unwrap_or_default().to_string(),
            ));
        }
    }
    assert_eq!(links.len(), 31, "{links:#?}");
    let count = |k: &str| links.iter().filter(|(_, kind)| kind == k).count();
    assert_eq!(
        (count("code"), count("dataset"), count("project")),
        (25, 2, 4)
    );
    for (url, kind) in [
        ("https://github.com/om-ai-lab/ZoomEye", "code"),
        ("https://tianchi.aliyun.com/dataset/95414", "dataset"),
        (
            "https://huggingface.co/datasets/jHaselberger/SADC-Situation-Awareness-for-Driver-Centric-Driving-Style-Adaptation",
            "dataset",
        ),
        ("https://huggingface.co/crisistransformers", "project"),
        ("https://github.com/bytedance/SALMONN", "code"),
        (
            "http://explainaboard.nlpedia.ai/leaderboard/task-meval/",
            "project",
        ),
    ] {
        assert!(
            links.contains(&(url.to_string(), kind.to_string())),
            "missing {url} ({kind}) in {links:#?}"
        );
    }
    for (url, _) in &links {
        assert!(
            !url.ends_with(['.', ',', ')', '}']) && !url.contains('{'),
            "{url}"
        );
    }
}

#[test]
fn reimport_adds_nothing_and_stdin_works() {
    let lib = Lib::new();
    lib.import_seed();
    let again = lib.json(&["import", SEED]);
    assert_eq!(
        (again["added"].as_u64(), again["merged"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(again["skipped"], 78);
    let text = std::fs::read_to_string(SEED).expect("seed");
    let out = lib
        .cmd()
        .args(["--json", "import", "-"])
        .write_stdin(text)
        .output()
        .expect("run");
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["added"], 0);
    assert_eq!(lib.json(&["list"]).as_array().map(Vec::len), Some(78));

    let fresh = Lib::new();
    let out = fresh
        .cmd()
        .args(["--json", "import", "-"])
        .write_stdin(std::fs::read_to_string(SEED).expect("seed"))
        .output()
        .expect("run");
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(r["added"], 78);
}

#[test]
fn listing_variants_import_correctly() {
    let seed_titles: Vec<String> = seed_pairs().into_iter().map(|(t, _)| t).collect();
    for name in [
        "chrome.txt",
        "crlf.txt",
        "multi_paragraph.txt",
        "cutoff.txt",
    ] {
        let lib = Lib::new();
        let path = fixture(&format!("listings/{name}"));
        let report = lib.json(&["import", path.to_str().expect("path")]);
        let list = lib.json(&["list"]);
        let got = titles(&list);
        assert!(!got.is_empty(), "{name}: nothing imported");
        assert_eq!(report["added"].as_u64(), Some(got.len() as u64), "{name}");
        for p in list.as_array().expect("list") {
            let title = p["title"].as_str().unwrap_or_default();
            let abstract_text = p["abstract"].as_str().unwrap_or_default();
            // No chrome slipped in as a title or into an abstract.
            for chrome in [
                "Upvote",
                "Published on",
                "Submitted by",
                "arXiv Page",
                "GitHub",
            ] {
                assert!(!title.contains(chrome), "{name}: chrome title {title}");
                assert!(
                    !abstract_text.lines().any(|l| l.trim().starts_with(chrome)),
                    "{name}: chrome in abstract of {title}"
                );
            }
            assert!(!title.contains('\r') && !abstract_text.contains('\r'));
            assert!(!title.contains('\u{a0}') && !abstract_text.contains('\u{a0}'));
            assert_eq!(title, title.trim());
        }
        match name {
            "multi_paragraph.txt" => {
                assert!(
                    list.as_array()
                        .expect("list")
                        .iter()
                        .any(|p| p["abstract"].as_str().is_some_and(|a| a.contains("\n\n"))),
                    "{name}: paragraphs were not kept"
                );
            }
            "cutoff.txt" => {
                let last = list.as_array().and_then(|l| l.last()).expect("last");
                assert_eq!(last["abstract"], "", "{name}: last card should be cut off");
                assert!(
                    report["problems"]
                        .as_array()
                        .is_some_and(|p| p.iter().any(|p| p["location"]
                            .as_str()
                            .is_some_and(|l| l.contains("cutoff.txt:")))),
                    "{name}: the cut-off card should be reported: {report}"
                );
            }
            "chrome.txt" | "crlf.txt" => {
                for t in &got {
                    assert!(seed_titles.contains(t), "{name}: unexpected title {t:?}");
                }
            }
            _ => {}
        }
    }
}

#[test]
fn search_finds_the_right_papers() {
    let lib = Lib::new();
    lib.import_seed();
    let first = |q: &str| lib.search_titles(q).into_iter().next().unwrap_or_default();
    assert!(first("zoom eye tree search").starts_with("ZoomEye"));
    // Stemming: "decoders" finds "Decoder Pre-Training".
    assert!(
        lib.search_titles("decoders scene text")
            .iter()
            .any(|t| t.starts_with("Decoder Pre-Training"))
    );
    // Phrase.
    let hits = lib.search_titles("\"masked autoencoders\"");
    assert!(hits.iter().any(|t| t.starts_with("NeRF-MAE")), "{hits:?}");
    assert!(
        hits.iter().any(|t| t.starts_with("VideoMAE V2")),
        "{hits:?}"
    );
    let hits = lib.search_titles("\"autoencoders masked\"");
    assert!(
        !hits.iter().any(|t| t.starts_with("VideoMAE V2")),
        "{hits:?}"
    );
    // Field query.
    let hits = lib.search_titles("title:video");
    assert!(!hits.is_empty());
    assert!(
        hits.iter().all(|t| t.to_lowercase().contains("video")),
        "{hits:?}"
    );
    // Prefix of the last word, as typed.
    assert!(first("singer by listen").starts_with("Learn to Sing"));
    let hits = lib.search_titles("mamb");
    assert!(
        hits.iter().any(|t| t.starts_with("Mamba Retriever")),
        "{hits:?}"
    );
    // Typo tolerance.
    let hits = lib.search_titles("difusion models beat");
    assert!(
        hits.first()
            .is_some_and(|t| t.starts_with("Diffusion Models Beat")),
        "{hits:?}"
    );
    let hits = lib.search_titles("retreiver");
    assert!(
        hits.iter().any(|t| t.starts_with("Mamba Retriever")),
        "{hits:?}"
    );
    // Snippets mark what matched.
    let hits = lib.json(&["search", "hyperfitting"]);
    let snippet = hits[0]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.to_lowercase().contains("<b>hyperfit"), "{snippet}");
    assert!(!snippet.contains("<b>the</b>"), "{snippet}");
    // Nothing matches nonsense.
    assert!(lib.search_titles("qwxzvbn").is_empty());
}

#[test]
fn best_match_finds_papers_holding_some_of_the_words_and_says_which_they_miss() {
    let lib = Lib::new();
    lib.import_seed();
    // No sample paper holds both words; each of these holds one.
    let hits = lib.json(&["search", "diffusion", "robot"]);
    let hits = hits.as_array().expect("hits");
    let by_title = |start: &str| {
        hits.iter()
            .find(|h| h["title"].as_str().is_some_and(|t| t.starts_with(start)))
            .unwrap_or_else(|| panic!("{start} is not among {hits:?}"))
    };
    let gans = by_title("Diffusion Models Beat GANs");
    assert_eq!(gans["missing"], serde_json::json!(["robot"]));
    assert_eq!(gans["matched"], serde_json::json!(["diffusion"]));
    assert_eq!(
        by_title("Lift3D")["missing"],
        serde_json::json!(["diffusion"])
    );
    let shown = lib.ok(&["search", "diffusion", "robot"]);
    assert!(shown.contains("missing: robot"), "{shown}");
    assert!(!shown.contains("No papers match"), "{shown}");
    // A sentence: stop words neither count against a paper nor show.
    let hits = lib.json(&[
        "search",
        "papers about pruning transformers without retraining",
    ]);
    assert!(
        hits[0]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("The Need for Speed")),
        "{hits}"
    );
    // The paper writes "re-training", two words to the index.
    assert_eq!(
        hits[0]["matched"],
        serde_json::json!(["pruning", "transformers"])
    );
    assert_eq!(hits[0]["missing"], serde_json::json!(["retraining"]));
    // +word requires; "No papers match" only when no word matches at all.
    let hits = lib.json(&["search", "+robot", "diffusion"]);
    assert!(
        hits.as_array().expect("hits").iter().all(|h| h["matched"]
            .as_array()
            .is_some_and(|m| m.contains(&serde_json::json!("robot")))),
        "{hits}"
    );
    let none = lib.ok(&["search", "qwxzvbn", "zzkqpt"]);
    assert!(none.contains("No papers match"), "{none}");
    let one = lib.json(&["search", "qwxzvbn", "robot"]);
    assert!(!one.as_array().expect("hits").is_empty(), "{one}");
    // An export by query takes the papers holding every word only.
    let holding = lib.titles_holding_every_word("masked video");
    let listed = lib.search_titles("masked video");
    assert!(
        !holding.is_empty() && listed.len() > holding.len(),
        "{listed:?}"
    );
    let exported: serde_json::Value =
        serde_json::from_str(&lib.ok(&["export", "csl-json", "--query", "masked video"]))
            .expect("CSL-JSON");
    let mut titles: Vec<&str> = exported
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["title"].as_str())
        .collect();
    let mut expected: Vec<&str> = holding.iter().map(String::as_str).collect();
    titles.sort_unstable();
    expected.sort_unstable();
    assert_eq!(titles, expected);
}

#[test]
fn related_papers_of_a_video_paper_are_video_papers() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("VideoMAE V2");
    let related = lib.json(&["related", &key, "--limit", "5"]);
    let hits = related.as_array().expect("hits");
    assert_eq!(hits.len(), 5);
    let video = hits
        .iter()
        .filter(|h| {
            h["title"]
                .as_str()
                .is_some_and(|t| t.to_lowercase().contains("video"))
        })
        .count();
    assert!(video >= 2, "{related:#}");
    assert!(hits.iter().all(|h| h["citekey"] != key.as_str()));
    assert!(hits[0]["terms"].as_array().is_some_and(|t| !t.is_empty()));
}

#[test]
fn user_data_round_trips_through_show_and_markdown() {
    let lib = Lib::new();
    lib.import_seed();
    let zoom = lib.key_of("ZoomEye");
    let dust = lib.key_of("DUSt3R");
    lib.json(&[
        "note",
        "add",
        &zoom,
        "--text",
        "Compare with [[dust]] — **tree** search.",
    ]);
    lib.json(&["note", "add", &zoom, "--text", "Second note about zooming."]);
    let ann = lib.json(&[
        "annotate",
        &zoom,
        "--quote",
        "tree search algorithm",
        "--comment",
        "the core idea",
        "--color",
        "blue",
    ]);
    assert_eq!(ann["color"], "blue");
    assert_eq!(ann["quote"]["exact"], "tree search algorithm");
    let start = ann["position"]["start"].as_u64().expect("start") as usize;
    let shown = lib.json(&["show", &zoom]);
    let abstract_text = shown["abstract"].as_str().expect("abstract");
    let chars: String = abstract_text
        .chars()
        .skip(start)
        .take("tree search algorithm".len())
        .collect();
    assert_eq!(chars, "tree search algorithm");
    assert!(
        ann["quote"]["prefix"]
            .as_str()
            .is_some_and(|p| p.ends_with("Zoom Eye, a "))
    );

    lib.json(&["link", &zoom, &dust, "--kind", "extends"]);
    lib.json(&["tag", &zoom, "vision", "To-Read"]);
    lib.json(&["status", &zoom, "reading"]);

    let shown = lib.json(&["show", &zoom]);
    assert_eq!(shown["notes"].as_array().map(Vec::len), Some(2));
    assert_eq!(shown["annotations"][0]["comment"], "the core idea");
    assert_eq!(shown["tags"], serde_json::json!(["to-read", "vision"]));
    assert_eq!(shown["status"], "reading");
    assert_eq!(shown["relations"][0]["kind"], "extends");
    assert_eq!(shown["relations"][0]["direction"], "outgoing");
    assert_eq!(shown["relations"][0]["other_citekey"], dust.as_str());
    // The relation is visible from the other end too.
    let other = lib.json(&["show", &dust]);
    assert_eq!(other["relations"][0]["direction"], "incoming");
    assert_eq!(other["relations"][0]["other_citekey"], zoom.as_str());
    let related = lib.ok(&["related", &dust]);
    assert!(
        related.contains("Your links:") && related.contains(&zoom),
        "{related}"
    );

    // Everything is searchable.
    let found = |q: &str| {
        lib.search_titles(q)
            .iter()
            .any(|t| t.starts_with("ZoomEye"))
    };
    assert!(found("zooming"), "note text");
    assert!(found("\"core idea\""), "highlight comment");
    assert!(found("tag:vision"));
    assert!(found("tag:to-read"));
    assert!(found("status:reading"));
    assert_eq!(lib.search_titles("status:reading").len(), 1);
    let listed = lib.json(&["list", "--tag", "vision"]);
    assert_eq!(titles(&listed).len(), 1);
    assert_eq!(
        lib.json(&["list", "--status", "reading"])
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        lib.json(&["note", "list", &zoom]).as_array().map(Vec::len),
        Some(2)
    );

    // Markdown export.
    let out = lib.dir.path().join("vault");
    let report = lib.json(&["export", "markdown", "--out", out.to_str().expect("path")]);
    assert_eq!(report["written"], 78);
    let file = out.join(format!("{zoom}.md"));
    let md = std::fs::read_to_string(&file).expect("exported file");
    assert!(md.starts_with("---\n"));
    assert!(md.contains(&format!("citekey: \"{zoom}\"")));
    assert!(md.contains(&format!("  - \"[[{dust}]]\"")), "{md}");
    assert!(md.contains("status: reading"));
    assert!(md.contains("  - \"vision\""));
    assert!(md.contains("> tree search algorithm"));
    assert!(md.contains("color=blue"));
    assert!(md.contains("the core idea"));
    assert!(md.contains("Compare with [[dust]] — **tree** search."));
    assert!(md.contains("kind: code"));
    let back = std::fs::read_to_string(out.join(format!("{dust}.md"))).expect("other file");
    assert!(back.contains(&format!("[[{zoom}|")), "{back}");

    // Untag, unlink.
    lib.json(&["untag", &zoom, "vision"]);
    lib.json(&["unlink", &dust, &zoom]);
    let shown = lib.json(&["show", &zoom]);
    assert_eq!(shown["tags"], serde_json::json!(["to-read"]));
    assert_eq!(shown["relations"], serde_json::json!([]));
    assert!(!found("tag:vision"));
    lib.fails(&["unlink", &dust, &zoom]);
}

#[test]
fn export_keeps_what_the_user_wrote() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("Pointer Networks");
    let out = lib.dir.path().join("vault");
    let out_s = out.to_str().expect("path");
    lib.json(&["export", "markdown", "--out", out_s]);
    let file = out.join(format!("{key}.md"));
    let mut md = std::fs::read_to_string(&file).expect("file");
    md.push_str("\nMy reading notes, written in Obsidian.\n");
    let md = md.replace("# Pointer Networks", "# Pointer Networks (classic!)");
    std::fs::write(&file, &md).expect("edit");
    lib.json(&["note", "add", &key, "--text", "A note made in Lectern."]);
    let report = lib.json(&["export", "markdown", "--out", out_s]);
    assert_eq!(report["written"], 1, "{report}");
    let after = std::fs::read_to_string(&file).expect("file");
    assert!(after.contains("My reading notes, written in Obsidian."));
    assert!(after.contains("# Pointer Networks (classic!)"));
    assert!(after.contains("A note made in Lectern."));
    // A third export with nothing new changes nothing.
    let report = lib.json(&["export", "markdown", "--out", out_s]);
    assert_eq!(report["written"], 0);
    assert_eq!(std::fs::read_to_string(&file).expect("file"), after);
}

#[test]
fn bad_input_fails_cleanly_and_changes_nothing() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("ZoomEye");
    let before = lib.ok(&["--json", "list"]);
    let dir = lib.dir.path();

    let binary = dir.join("paper.bin");
    std::fs::write(&binary, b"GIF89a\n\x00\x01\x02\xff binary").expect("write");
    let err = lib.fails(&["import", binary.to_str().expect("p")]);
    assert!(
        err.contains("paper.bin:2") && err.contains("not a text file"),
        "{err}"
    );

    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").expect("write");
    let err = lib.fails(&["import", empty.to_str().expect("p")]);
    assert!(
        err.contains("empty.txt:1") && err.contains("empty"),
        "{err}"
    );

    let none = dir.join("none.txt");
    std::fs::write(&none, "Home\n\nLog In\n\nSign Up\n").expect("write");
    let err = lib.fails(&["import", none.to_str().expect("p")]);
    assert!(
        err.contains("none.txt:") && err.contains("no papers"),
        "{err}"
    );

    // A good file together with a bad one imports nothing.
    let err = lib.fails(&["import", SEED, empty.to_str().expect("p")]);
    assert!(err.contains("empty.txt"), "{err}");

    let err = lib.fails(&["show", "noSuchPaper2099"]);
    assert!(err.contains("noSuchPaper2099"), "{err}");
    lib.fails(&["note", "add", "noSuchPaper2099", "--text", "x"]);
    lib.fails(&["tag", "noSuchPaper2099", "x"]);
    lib.fails(&["link", &key, "noSuchPaper2099"]);
    let err = lib.fails(&[
        "annotate",
        &key,
        "--quote",
        "words that are not in the abstract",
    ]);
    assert!(err.contains("not found") && err.contains(&key), "{err}");
    let err = lib.fails(&["annotate", &key, "--quote", "tree", "--color", "chartreuse"]);
    assert!(err.contains("chartreuse"), "{err}");
    lib.fails(&["link", &key, &key]);
    lib.fails(&["search", "   "]);
    lib.fails(&["search", "year:abc"]);

    assert_eq!(lib.ok(&["--json", "list"]), before, "the library changed");
}

#[test]
fn unusable_library_folders_fail_with_their_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").expect("write");
    for root in [file.clone(), file.join("below")] {
        let out = assert_cmd::Command::cargo_bin("lectern")
            .expect("bin")
            .args(["--library", root.to_str().expect("p"), "list"])
            .output()
            .expect("run");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("plain-file"), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}

#[test]
fn the_cli_writes_while_another_process_holds_the_library() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("ZoomEye");
    // The holder stands for the open window: it has the index writer.
    let mut holder = lectern::Library::open(lib.root()).expect("open");
    assert!(holder.holds_index());
    lib.ok(&["tag", &key, "busy"]);
    lib.ok(&["note", "add", &key, "--text", "written beside the window"]);
    let bib = lib.dir.path().join("more.bib");
    std::fs::write(
        &bib,
        "@article{beside2024, title = {Imported beside the window}, year = {2024}}\n",
    )
    .unwrap();
    let report = lib.json(&["import", bib.to_str().unwrap()]);
    assert_eq!(report["added"], 1, "{report}");
    // Stored at once and in the files; the holder's index applies the queue.
    assert_eq!(
        lib.json(&["show", &key])["tags"],
        serde_json::json!(["busy"])
    );
    assert!(lib.root().join("papers/beside2024.md").exists());
    assert!(holder.catch_up_others().expect("catch up"));
    assert!(!holder.catch_up_others().expect("nothing new"));
    let hits: Vec<String> = holder
        .search("tag:busy", 10)
        .unwrap()
        .into_iter()
        .map(|h| h.citekey)
        .collect();
    assert_eq!(hits, vec![key.clone()]);
    let best = holder.search("imported beside window", 10).unwrap();
    assert_eq!(best[0].citekey, "beside2024");
    assert!(best[0].missing.is_empty(), "{:?}", best[0]);
    assert!(best[1..].iter().all(|h| !h.missing.is_empty()));
    // A large batch is taken in a chunk per call, so the window between
    // calls is never kept waiting long.
    let many: String = (0..1200)
        .map(|i| format!("@article{{batch{i}, title = {{Batch paper {i} on axolotl gills}}}}\n"))
        .collect();
    let many_bib = lib.dir.path().join("many.bib");
    std::fs::write(&many_bib, many).unwrap();
    assert_eq!(
        lib.json(&["import", many_bib.to_str().unwrap()])["added"],
        1200
    );
    let mut calls = 0;
    while holder.catch_up_others().expect("catch up") {
        calls += 1;
        if !holder.others_pending() {
            break;
        }
    }
    assert_eq!(calls, 3, "1,200 papers in chunks of 500");
    assert_eq!(holder.search("axolotl", 2000).unwrap().len(), 1200);
    // Only the holder rebuilds the index.
    let err = lib.fails(&["reindex"]);
    assert!(err.contains("in use by another Lectern process"), "{err}");
    drop(holder);
    lib.ok(&["sync", "--check"]);
    assert_eq!(lib.titles_holding_every_word("written beside").len(), 1);
}

#[test]
fn a_bounded_step_leaves_the_rest_for_later_and_loses_nothing() {
    let lib = Lib::new();
    lib.import_seed();
    let mut holder = lectern::Library::open(lib.root()).expect("open");
    // The window's way: a step of 100 papers per call.
    holder.set_work_step(Some(100));
    // A batch another process committed (and wrote out) ...
    let batch: String = (0..350)
        .map(|i| {
            format!("@article{{beside{i}, title = {{Beside paper {i} on tardigrade moss}}}}\n")
        })
        .collect();
    let batch_bib = lib.dir.path().join("batch.bib");
    std::fs::write(&batch_bib, batch).unwrap();
    assert_eq!(
        lib.json(&["import", batch_bib.to_str().unwrap()])["added"],
        350
    );
    // ... and papers whose files are owed.
    holder.set_folder_mirror(false);
    let owed: String = (0..450)
        .map(|i| format!("@article{{owed{i}, title = {{Owed paper {i} on tardigrade cysts}}}}\n"))
        .collect();
    holder.import_text(&owed, "owed.bib").expect("import");
    holder.set_folder_mirror(true);
    let papers = lib.root().join("papers");
    let files = || std::fs::read_dir(&papers).unwrap().count();
    assert_eq!(files(), 78 + 350);
    holder.sync_paths(&[]).expect("sync");
    assert!(holder.has_backlog());
    assert_eq!(files(), 78 + 350 + 100, "one step writes 100 owed files");
    let mut steps = 1;
    while holder.has_backlog() {
        let had = files();
        holder.work_off_backlog().expect("step");
        assert!(files() - had <= 100, "a step writes at most 100 files");
        steps += 1;
        assert!(steps < 50, "the backlog never ends");
    }
    // At least 450 files and 350 papers' index work in steps of 100.
    assert!(steps >= 5, "{steps} steps");
    assert_eq!(files(), 78 + 450 + 350);
    assert_eq!(holder.search("tardigrade", 2000).unwrap().len(), 800);
    drop(holder);
    lib.ok(&["sync", "--check"]);
}

#[test]
fn a_write_that_would_wait_for_another_process_is_put_off_not_lost() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("ZoomEye");
    let mut holder = lectern::Library::open(lib.root()).expect("open");
    // Another process in the middle of a long write (a CLI import).
    let other = rusqlite::Connection::open(lib.root().join(".lectern/lectern.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let put_off = holder
        .without_waiting(|lib| lib.add_note(&key, "written while another wrote"))
        .expect("no error");
    assert!(put_off.is_none(), "gave up instead of waiting");
    other.execute_batch("COMMIT").unwrap();
    let done = holder
        .without_waiting(|lib| lib.add_note(&key, "written once it was free"))
        .expect("no error");
    assert!(done.is_some());
    // Writes outside `without_waiting` still wait as before.
    holder.add_note(&key, "a patient note").expect("note");
    let notes = lib.json(&["show", &key])["notes"].to_string();
    assert!(!notes.contains("written while another wrote"), "{notes}");
    assert!(notes.contains("written once it was free"), "{notes}");
    assert!(notes.contains("a patient note"), "{notes}");
}

#[test]
fn newer_database_is_refused() {
    let lib = Lib::new();
    lib.import_seed();
    let db = lib.root().join(".lectern/lectern.db");
    let conn = rusqlite::Connection::open(&db).expect("db");
    conn.execute_batch("PRAGMA user_version = 4242")
        .expect("bump");
    drop(conn);
    let err = lib.fails(&["list"]);
    assert!(
        err.contains("newer Lectern") && err.contains("4242"),
        "{err}"
    );
}

#[test]
fn deleting_the_index_rebuilds_it_with_the_same_results() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("ZoomEye");
    lib.json(&["note", "add", &key, "--text", "quokka"]);
    let queries = [
        "transformer",
        "\"language models\"",
        "vide",
        "quokka",
        "title:bert",
    ];
    let before: Vec<Value> = queries.iter().map(|q| lib.json(&["search", q])).collect();
    std::fs::remove_dir_all(lib.root().join(".lectern/index")).expect("rm index");
    let after: Vec<Value> = queries.iter().map(|q| lib.json(&["search", q])).collect();
    for ((q, b), a) in queries.iter().zip(&before).zip(&after) {
        let ids = |v: &Value| -> Vec<String> {
            v.as_array()
                .expect("hits")
                .iter()
                .map(|h| h["id"].as_str().unwrap_or_default().to_string())
                .collect()
        };
        assert!(!ids(b).is_empty(), "{q}");
        assert_eq!(ids(b), ids(a), "{q}");
    }
    // A damaged index is rebuilt too.
    let index = lib.root().join(".lectern/index");
    std::fs::write(index.join("meta.json"), "{ not json").expect("corrupt");
    assert_eq!(lib.json(&["search", "quokka"])[0]["citekey"], key.as_str());
    lib.json(&["reindex"]);
    assert_eq!(lib.json(&["search", "quokka"])[0]["citekey"], key.as_str());
}
