//! `lectern fetch` and `lectern add` against a stand-in for arXiv, Hugging
//! Face, Crossref and Semantic Scholar on 127.0.0.1 (`lectern::online::mirror`),
//! answering in the shapes those services document. Nothing here leaves
//! the machine.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::Lib;
use lectern::online::mirror::{Mirror, WorldPaper};
use lectern::online::server::{Reply, TestServer};
use serde_json::Value;

const VIDEOMAE: &str = "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking";
const TEXT2MDT: &str = "Text2MDT: Extracting Medical Decision Trees from Medical Texts";

/// VideoMAE V2 as arXiv, Crossref and Semantic Scholar list it; Text2MDT
/// as a preprint only.
fn world() -> Vec<WorldPaper> {
    vec![
        WorldPaper {
            title: VIDEOMAE.into(),
            arxiv: "2303.16727".into(),
            authors: vec![
                "Limin Wang".into(),
                "Bingkun Huang".into(),
                "Zhiyu Zhao".into(),
                "Zhan Tong".into(),
            ],
            abstract_text: "Scale is the primary factor for building a powerful foundation model."
                .into(),
            year: 2023,
            doi: Some("10.1109/CVPR52729.2023.01398".into()),
            venue: Some(
                "2023 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)".into(),
            ),
        },
        WorldPaper {
            title: TEXT2MDT.into(),
            arxiv: "2401.02034".into(),
            authors: vec!["Wei Zhu".into(), "Wenfeng Li".into()],
            abstract_text: "Knowledge of the medical decision process.".into(),
            year: 2024,
            doi: None,
            venue: None,
        },
    ]
}

struct Online {
    mirror: Arc<Mirror>,
    server: TestServer,
}

fn online(papers: Vec<WorldPaper>) -> Online {
    let mirror = Arc::new(Mirror::new(papers));
    let server = mirror.start().expect("start the stand-in");
    Online { mirror, server }
}

impl Online {
    fn run(&self, lib: &Lib, args: &[&str]) -> std::process::Output {
        let mut c = lib.cmd();
        for (k, v) in Mirror::env(&self.server) {
            c.env(k, v);
        }
        c.env("LECTERN_HTTP_TIMEOUT", "1");
        c.args(args).output().expect("run lectern")
    }

    fn ok(&self, lib: &Lib, args: &[&str]) -> String {
        let out = self.run(lib, args);
        assert!(
            out.status.success(),
            "lectern {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

fn show(lib: &Lib, key: &str) -> Value {
    lib.json(&["show", key])
}

fn source_of(paper: &Value, field: &str) -> Option<String> {
    paper["filled_from"]
        .as_array()?
        .iter()
        .find(|f| f["field"] == field)
        .and_then(|f| f["source"].as_str())
        .map(str::to_string)
}

#[test]
fn a_pasted_paper_gets_authors_ids_venue_and_links_with_their_sources() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("VideoMAE V2");
    let before = show(&lib, &key);
    let on = online(world());
    let out = on.ok(&lib, &["fetch", &key]);
    assert!(out.contains(&format!("{key}: filled")), "{out}");
    let p = show(&lib, &key);
    assert_eq!(p["arxiv"], "2303.16727");
    assert_eq!(p["doi"], "10.1109/CVPR52729.2023.01398");
    assert_eq!(p["authors"][0], "Limin Wang");
    assert_eq!(p["authors"].as_array().map(Vec::len), Some(4));
    assert_eq!(p["year"], 2023);
    assert!(
        p["venue"].as_str().unwrap_or_default().contains("CVPR"),
        "{p}"
    );
    // What the paper had is kept: the pasted abstract, the title.
    assert_eq!(p["abstract"], before["abstract"]);
    assert_eq!(p["title"], VIDEOMAE);
    assert!(
        p["links"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|l| l["kind"] == "code"),
        "{p}"
    );
    assert_eq!(source_of(&p, "arxiv").as_deref(), Some("huggingface"));
    assert_eq!(source_of(&p, "doi").as_deref(), Some("crossref"));
    assert_eq!(source_of(&p, "venue").as_deref(), Some("crossref"));
    // The paper file carries what was filled.
    let file = std::fs::read_to_string(lib.root().join("papers").join(format!("{key}.md")))
        .unwrap_or_default();
    assert!(file.contains("2303.16727"), "{file}");
    // Every request named Lectern.
    assert!(on.mirror.requests().iter().all(|r| {
        r.header("User-Agent")
            .is_some_and(|u| u.starts_with("Lectern/"))
    }));
    // Looked up again by its arXiv id, arXiv's own record adds its links;
    // after that nothing is missing and nothing changes.
    on.ok(&lib, &["fetch", &key]);
    let again = on.ok(&lib, &["fetch", &key]);
    assert!(again.contains("nothing was missing"), "{again}");
    assert_eq!(show(&lib, &key)["doi"], "10.1109/CVPR52729.2023.01398");
}

#[test]
fn a_dry_run_writes_nothing_and_a_second_look_asks_only_what_changed() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("Text2MDT");
    let on = online(world());
    let out = on.ok(&lib, &["fetch", "--dry-run", &key]);
    assert!(
        out.contains("would fill") && out.contains("dry run"),
        "{out}"
    );
    assert!(show(&lib, &key)["arxiv"].is_null());
    let asked = on.mirror.requests().len();
    let out = on.ok(&lib, &["--json", "fetch", &key]);
    let report: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["summary"]["filled"], 1, "{report}");
    assert_eq!(show(&lib, &key)["arxiv"], "2401.02034");
    // The same questions again: each carried the validator it was given.
    let again = &on.mirror.requests()[asked..];
    assert!(!again.is_empty());
    assert!(
        again.iter().all(|r| r.header("If-None-Match").is_some()),
        "{again:?}"
    );
}

#[test]
fn two_papers_with_one_title_are_ambiguous_and_nothing_is_written() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("Text2MDT");
    let mut w = world();
    w.push(WorldPaper {
        arxiv: "2402.99999".into(),
        authors: vec!["Someone Else".into()],
        ..w[1].clone()
    });
    let on = online(w);
    let out = on.ok(&lib, &["fetch", &key]);
    assert!(
        out.contains("ambiguous") && out.contains("2402.99999"),
        "{out}"
    );
    let p = show(&lib, &key);
    assert!(p["arxiv"].is_null() && p["authors"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn no_match_is_said_and_a_latex_title_matches_its_unicode_form() {
    let lib = Lib::new();
    let listing = lib.dir.path().join("listing.txt");
    std::fs::write(
        &listing,
        "α-Flow: Unifying Flow Matching for Few-Step Generation\n\nAn abstract long enough to be prose, with more words than a title has. It ends here.\n\n\
         A Paper Nobody Has Heard Of At All\n\nAnother abstract long enough to be prose, with more words than a title has. It ends here.\n",
    )
    .expect("write listing");
    lib.ok(&["import", listing.to_str().unwrap_or_default()]);
    let flow = lib.key_of("Flow");
    let nobody = lib.key_of("Nobody");
    let on = online(vec![WorldPaper {
        title: "$\\alpha$-Flow: Unifying Flow Matching for Few-Step Generation".into(),
        arxiv: "2510.20771".into(),
        authors: vec!["Jane Doe".into()],
        abstract_text: "Flows.".into(),
        year: 2025,
        ..WorldPaper::default()
    }]);
    let out = on.ok(&lib, &["fetch", "--all"]);
    assert!(out.contains(&format!("{nobody}: not found")), "{out}");
    assert_eq!(show(&lib, &flow)["arxiv"], "2510.20771", "{out}");
}

#[test]
fn a_source_that_fails_costs_that_paper_only_and_retries_are_honoured() {
    let lib = Lib::new();
    lib.import_seed();
    let video = lib.key_of("VideoMAE V2");
    let on = online(world());
    // Broken JSON for the first paper asked, then a 429 asking for a
    // second's wait and a 503: both retried.
    on.mirror.fail_next(
        "/hf/",
        vec![
            Reply::status(429).with_header("Retry-After", "1"),
            Reply::status(503),
        ],
    );
    let started = std::time::Instant::now();
    let out = on.ok(&lib, &["fetch", &video]);
    assert!(out.contains(&format!("{video}: filled")), "{out}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not waited"
    );
    let asked_hf = on
        .mirror
        .requests()
        .iter()
        .filter(|r| r.path().starts_with("/hf/"))
        .count();
    assert!(asked_hf >= 3, "asked {asked_hf} times");

    let text2mdt = lib.key_of("Text2MDT");
    for (reply, says) in [
        (Reply::json("{\"paper\": [1,"), "cannot be read"),
        (
            Reply::new(
                200,
                "text/html",
                "<!DOCTYPE html><html>Sign in to the Wi-Fi</html>",
            ),
            "web page",
        ),
        (
            Reply {
                stall: Some(Duration::from_secs(3)),
                ..Reply::json("[]")
            },
            "did not answer",
        ),
        (
            Reply::json(&" ".repeat(11 * 1024 * 1024)),
            "more than 10 MB",
        ),
        (Reply::status(500), "answered 500"),
    ] {
        let replies = if says == "answered 500" {
            vec![reply; 4]
        } else {
            vec![reply]
        };
        on.mirror.fail_next("/hf/", replies);
        let out = on.run(&lib, &["fetch", &text2mdt]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "{stdout}");
        assert!(
            stdout.contains(&format!("{text2mdt}: failed")) && stdout.contains(says),
            "{says}: {stdout}"
        );
        let p = show(&lib, &text2mdt);
        assert!(
            p["arxiv"].is_null(),
            "nothing is written for a failed paper"
        );
    }
}

#[test]
fn offline_says_so_in_one_line_and_changes_nothing() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("VideoMAE V2");
    let before = show(&lib, &key);
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let mut c = lib.cmd();
    for var in [
        "LECTERN_ARXIV_API",
        "LECTERN_HF_API",
        "LECTERN_CROSSREF_API",
        "LECTERN_S2_API",
    ] {
        c.env(var, format!("http://127.0.0.1:{port}/api"));
    }
    let out = c.args(["fetch", &key]).output().expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!("offline: could not reach 127.0.0.1:{port}")),
        "{err}"
    );
    assert_eq!(show(&lib, &key), before);
}

#[test]
fn add_takes_ids_and_links_and_the_paper_arrives_complete() {
    let lib = Lib::new();
    let on = online(world());
    on.ok(
        &lib,
        &[
            "add",
            "https://huggingface.co/papers/2303.16727",
            "10.48550/arXiv.2401.02034",
        ],
    );
    let list = lib.json(&["list"]);
    let titles: Vec<&str> = list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert_eq!(titles, vec![VIDEOMAE, TEXT2MDT]);
    let key = lib.key_of("VideoMAE V2");
    let p = show(&lib, &key);
    assert_eq!(p["authors"][0], "Limin Wang");
    assert!(
        p["abstract"]
            .as_str()
            .is_some_and(|a| a.starts_with("Scale"))
    );
    // Adding it again finds the paper it is.
    on.ok(&lib, &["add", "arXiv:2303.16727v2"]);
    assert_eq!(lib.json(&["list"]).as_array().map(Vec::len), Some(2));
    // Not an identifier: one line, exit non-zero.
    let err = lib.fails(&["add", "not-an-id"]);
    assert!(err.contains("not-an-id"), "{err}");
}

/// A two-page PDF whose text holds a word no abstract has.
fn paper_pdf() -> Vec<u8> {
    let page = |n: usize| -> Vec<String> {
        (0..40)
            .map(|i| {
                format!("Line {i} of page {n}: masked video pretraining with zygomorphic tubes.")
            })
            .collect()
    };
    lectern::bench::pdfgen::pdf(VIDEOMAE, "Wang, Limin", &[page(1), page(2)])
}

fn online_with_pdf() -> Online {
    let mut mirror = Mirror::new(world());
    mirror.pdf = paper_pdf();
    let mirror = Arc::new(mirror);
    let server = mirror.start().expect("start the stand-in");
    Online { mirror, server }
}

fn attached(lib: &Lib, key: &str) -> Vec<String> {
    show(lib, key)["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["kind"] == "pdf")
        .filter_map(|l| l["url"].as_str().map(str::to_string))
        .filter(|u| u.starts_with("attachments/"))
        .collect()
}

#[test]
fn with_pdf_the_open_access_pdf_is_downloaded_attached_and_searchable() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("VideoMAE V2");
    let on = online_with_pdf();
    let out = on.ok(&lib, &["fetch", "--pdf", &key]);
    assert!(out.contains(&format!("{key}: PDF attachments/")), "{out}");
    let pdfs = attached(&lib, &key);
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let bytes = std::fs::read(lib.root().join(&pdfs[0])).expect("the PDF is in the library");
    assert_eq!(bytes, on.mirror.pdf);
    assert!(
        lib.search_titles("zygomorphic")
            .iter()
            .any(|t| t == VIDEOMAE)
    );
    // Nothing is left half-downloaded.
    let downloads = lib.root().join(".lectern/cache/downloads");
    assert!(
        std::fs::read_dir(&downloads)
            .map(|d| d.count())
            .unwrap_or(0)
            == 0
    );
    // Asked again, the paper has its PDF: nothing is downloaded twice.
    let asked = on.mirror.requests().len();
    on.ok(&lib, &["fetch", "--pdf", &key]);
    assert!(
        on.mirror.requests()[asked..]
            .iter()
            .all(|r| !r.path().starts_with("/arxiv/pdf/"))
    );
}

#[test]
fn a_pdf_link_that_gives_a_web_page_or_too_much_attaches_nothing() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("VideoMAE V2");
    let on = online_with_pdf();
    on.mirror.fail_next(
        "/arxiv/pdf/",
        vec![Reply::new(
            200,
            "text/html",
            "<!DOCTYPE html><html>Log in</html>",
        )],
    );
    let out = on.ok(&lib, &["fetch", "--pdf", &key]);
    assert!(out.contains("no PDF") && out.contains("web page"), "{out}");
    assert!(attached(&lib, &key).is_empty());
    // Bytes that are not a PDF, with a PDF's content type.
    on.mirror.fail_next(
        "/arxiv/pdf/",
        vec![Reply::new(200, "application/pdf", "GIF89a not a pdf")],
    );
    let out = on.ok(&lib, &["fetch", "--pdf", &key]);
    assert!(out.contains("not a PDF"), "{out}");
    let out = on.ok(&lib, &["fetch", "--pdf", "--max-pdf-mb", "0", &key]);
    assert!(out.contains("larger than 0 MB"), "{out}");
    assert!(attached(&lib, &key).is_empty());
}

#[test]
fn a_download_cut_in_the_middle_resumes_where_it_stopped() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("VideoMAE V2");
    let on = online_with_pdf();
    let whole = on.mirror.pdf.clone();
    on.mirror.fail_next(
        "/arxiv/pdf/",
        vec![Reply {
            cut_after: Some(whole.len() / 2),
            ..Reply::new(200, "application/pdf", whole.clone())
        }],
    );
    let out = on.ok(&lib, &["fetch", "--pdf", &key]);
    assert!(out.contains("run it again to resume"), "{out}");
    assert!(attached(&lib, &key).is_empty());
    let out = on.ok(&lib, &["fetch", "--pdf", &key]);
    assert!(out.contains(&format!("{key}: PDF attachments/")), "{out}");
    let ranged: Vec<String> = on
        .mirror
        .requests()
        .iter()
        .filter_map(|r| r.header("Range").map(str::to_string))
        .collect();
    assert_eq!(ranged, vec![format!("bytes={}-", whole.len() / 2)]);
    // It was answered with the rest of the file, and the rest was kept.
    assert!(on.mirror.statuses().contains(&206));
    let pdfs = attached(&lib, &key);
    assert_eq!(
        std::fs::read(lib.root().join(&pdfs[0])).expect("pdf"),
        whole
    );
}

#[test]
fn a_days_hugging_face_papers_import_with_ids_authors_and_upvotes() {
    let lib = Lib::new();
    let on = online(world());
    let out = on.ok(&lib, &["--json", "import", "--hf-daily", "2024-01-04"]);
    let report: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["added"], 2, "{report}");
    let daily = on
        .mirror
        .requests()
        .into_iter()
        .find(|r| r.path() == "/hf/api/daily_papers")
        .expect("asked for the day");
    assert_eq!(daily.query("date").as_deref(), Some("2024-01-04"));
    let key = lib.key_of("VideoMAE V2");
    let p = show(&lib, &key);
    assert_eq!(p["arxiv"], "2303.16727");
    assert_eq!(p["authors"][0], "Limin Wang");
    assert!(p["extra"].to_string().contains("upvotes"), "{p}");
    // The same day again adds nothing twice; a bad date is one line.
    on.ok(&lib, &["import", "--hf-daily"]);
    assert_eq!(lib.json(&["list"]).as_array().map(Vec::len), Some(2));
    let out = on.run(&lib, &["import", "--hf-daily", "yesterday"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));
}

#[test]
fn settings_choose_the_sources_and_fill_new_papers_on_import() {
    let lib = Lib::new();
    lib.ok(&["config", "online.sources", "huggingface"]);
    lib.ok(&["config", "online.rate-limit", "crossref=50"]);
    lib.ok(&["config", "online.email", "someone@example.org"]);
    let shown = lib.json(&["config"]);
    assert_eq!(shown["sources"], serde_json::json!(["huggingface"]));
    assert_eq!(shown["email"], "someone@example.org");
    let err = lib.fails(&["config", "online.sources", "google"]);
    assert!(err.contains("google"), "{err}");
    let on = online(world());
    on.ok(&lib, &["config", "online.fill-new", "true"]);
    // Importing the listing looks the new papers up, asking only Hugging Face.
    let out = on.ok(&lib, &["import", common::SEED]);
    assert!(out.contains("filled"), "{out}");
    let key = lib.key_of("VideoMAE V2");
    assert_eq!(show(&lib, &key)["arxiv"], "2303.16727");
    assert!(
        on.mirror
            .requests()
            .iter()
            .all(|r| r.path().starts_with("/hf/"))
    );
}

#[test]
fn broken_xml_from_arxiv_is_that_papers_failure_and_writes_nothing() {
    let lib = Lib::new();
    let on = online(world());
    // A placeholder from an id is looked up by it, at arXiv first.
    lib.ok(&["import", "--id", "arXiv:2303.16727"]);
    let key = lib.key_of("arXiv:2303.16727");
    on.mirror.fail_next(
        "/arxiv/",
        vec![Reply::atom(
            "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>http://arxiv.org/abs/2303.16727v1</id><title>VideoMAE",
        )],
    );
    let out = on.run(&lib, &["fetch", &key]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{key}: failed")) && stdout.contains("cannot be read"),
        "{stdout}"
    );
    assert_eq!(show(&lib, &key)["title"], "arXiv:2303.16727");
    // Asked again with arXiv answering properly, the placeholder becomes
    // the paper.
    on.ok(&lib, &["fetch", &key]);
    assert_eq!(show(&lib, &key)["title"], VIDEOMAE);
}
