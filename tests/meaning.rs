//! Search by meaning through the real `lectern` binary, with the real
//! all-MiniLM-L6-v2 model (`scripts/fetch-model` puts it in the test-data
//! cache): the vectors computed in a job that survives a kill, paraphrases
//! found, related papers and the "for you" order with their reasons, a
//! changed model redone, a library without the model working by words,
//! and the model's download checked against a stand-in on 127.0.0.1.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{Lib, SEED, test_model};
use lectern::online::server::{Reply, TestServer};
use serde_json::Value;

/// Vectors stored in a library's `.lectern/embeddings.db`.
fn stored(lib: &Lib) -> i64 {
    let path = lib.root().join(".lectern/embeddings.db");
    if !path.exists() {
        return 0;
    }
    let conn = rusqlite::Connection::open(path).expect("open the vectors");
    conn.query_row("SELECT count(*) FROM vectors", [], |r| r.get(0))
        .unwrap_or(0)
}

fn top(lib: &Lib, query: &str, n: usize) -> Vec<String> {
    lib.json(&["search", "--limit", &n.to_string(), query])
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["citekey"].as_str().expect("citekey").to_string())
        .collect()
}

/// Descriptions of sample papers in other words: none shares a
/// distinctive word with its paper, so search by words misses them.
const PARAPHRASES: [(&str, &str); 2] = [
    (
        "turning doctors' writing into flowcharts for diagnosis",
        "text2mdtExtractingMedical",
    ),
    (
        "cutting away parts of attention networks so they run faster",
        "needSpeedPruning",
    ),
];

#[test]
fn the_sample_library_by_meaning_paraphrases_related_for_you_and_a_killed_job() {
    let Some(lib) = Lib::with_model() else { return };
    lib.ok(&["import", SEED]);
    assert_eq!(stored(&lib), 0);

    // The job is killed after its first commit; what it stored stays.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lectern"))
        .env_remove("LECTERN_LIBRARY")
        .env("LECTERN_MODEL", &lib.model)
        .arg("--library")
        .arg(lib.root())
        .arg("embed")
        .spawn()
        .expect("start lectern embed");
    let started = Instant::now();
    while stored(&lib) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the job stored nothing in 5 minutes"
        );
        if child.try_wait().expect("poll").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let after_kill = stored(&lib);
    assert!(after_kill > 0, "nothing stored before the kill");
    // The next run resumes: what was stored is up to date, the rest done.
    let run = lib.json(&["embed"]);
    assert_eq!(run["up_to_date"].as_i64(), Some(after_kill), "{run}");
    assert_eq!(run["embedded"].as_i64(), Some(78 - after_kill), "{run}");
    assert_eq!(stored(&lib), 78);
    let status = lib.json(&["model", "status"]);
    assert_eq!(status["embedded"], 78);
    assert!(
        status["model"]
            .as_str()
            .is_some_and(|m| m.starts_with("all-MiniLM-L6-v2@"))
    );

    // Paraphrases: found by meaning and by the default hybrid search, not
    // by words alone; a paper found by meaning alone says so.
    for (query, paper) in PARAPHRASES {
        let words = top(&lib, &format!("={query}"), 3);
        assert!(
            !words.contains(&paper.to_string()),
            "{query}: words found it: {words:?}"
        );
        let hybrid = top(&lib, query, 3);
        assert!(hybrid.contains(&paper.to_string()), "{query}: {hybrid:?}");
        let meaning = top(&lib, &format!("~{query}"), 3);
        assert!(meaning.contains(&paper.to_string()), "{query}: {meaning:?}");
        let hits = lib.json(&["search", "--limit", "3", query]);
        let hit = hits
            .as_array()
            .and_then(|h| h.iter().find(|h| h["citekey"] == paper))
            .expect("the paper");
        // Marked as found by meaning exactly when it holds no query word.
        let no_word = hit["matched"].as_array().is_some_and(Vec::is_empty);
        assert_eq!(hit["by_meaning"], no_word, "{hit}");
        if paper == PARAPHRASES[0].1 {
            assert!(no_word, "{hit}");
        }
    }
    // An exact title still comes first; field syntax stays exact.
    let exact = top(
        &lib,
        "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking",
        3,
    );
    assert_eq!(exact[0], "videomaeV2Scaling");
    let field = lib.json(&["search", "title:flowcharts"]);
    assert_eq!(field.as_array().map(Vec::len), Some(0), "{field}");

    // Related: the other masked-autoencoder papers, with reasons.
    let related = lib.json(&["related", "--limit", "5", "videomaeV2Scaling"]);
    let keys: Vec<&str> = related
        .as_array()
        .expect("suggestions")
        .iter()
        .map(|h| h["citekey"].as_str().unwrap_or(""))
        .collect();
    assert!(
        keys.iter()
            .any(|k| ["contextAutoencoderSelf", "nerfMaeMasked"].contains(k)),
        "{keys:?}"
    );
    for h in related.as_array().expect("suggestions") {
        for field in ["id", "citekey", "title", "score", "terms", "reason"] {
            assert!(h.get(field).is_some(), "{field} missing in {h}");
        }
        let reason = h["reason"].as_str().unwrap_or("");
        assert!(!reason.is_empty(), "{h}");
        if reason.contains("similar in meaning") {
            let sentence = h["sentence"].as_str().expect("a sentence");
            let other = lib.json(&["show", h["citekey"].as_str().unwrap_or("")]);
            assert!(
                other["abstract"].as_str().unwrap_or("").contains(sentence),
                "{sentence} is not from {}",
                h["citekey"]
            );
        }
    }

    // For you: nothing starred yet is a clear error; then the masked
    // autoencoders lead after starring two of them.
    let err = lib.fails(&["rank", "--for-me"]);
    assert!(err.contains("starred"), "{err}");
    lib.ok(&["star", "videomaeV2Scaling"]);
    lib.ok(&[
        "note",
        "add",
        "contextAutoencoderSelf",
        "--text",
        "Masking image patches and predicting them.",
    ]);
    lib.ok(&["embed"]);
    let ranked = lib.json(&["rank", "--for-me", "--limit", "5"]);
    let ranked = ranked.as_array().expect("ranked");
    assert_eq!(ranked.len(), 5);
    let keys: Vec<&str> = ranked
        .iter()
        .map(|h| h["citekey"].as_str().unwrap_or(""))
        .collect();
    assert!(
        !keys.contains(&"videomaeV2Scaling"),
        "a favourite is not suggested: {keys:?}"
    );
    let masked = [
        "nerfMaeMasked",
        "designingBertConvolutional",
        "selfieSelfSupervised",
    ];
    assert!(keys.iter().any(|k| masked.contains(k)), "{keys:?}");
    // Papers on other topics come in the lower half of the whole order.
    let all = lib.json(&["rank", "--for-me", "--limit", "100"]);
    let all: Vec<&str> = all
        .as_array()
        .expect("ranked")
        .iter()
        .map(|h| h["citekey"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(all.len(), 76, "every paper but the two favourites");
    for far in [
        "text2mdtExtractingMedical",
        "domurlsbertPreTrained",
        "crisistransformersPreTrained",
    ] {
        let at = all.iter().position(|k| *k == far).expect("ranked");
        assert!(at >= all.len() / 2, "{far} at {at}: {all:?}");
    }
    for h in ranked {
        assert!(
            ["videomaeV2Scaling", "contextAutoencoderSelf"]
                .contains(&h["because_citekey"].as_str().unwrap_or("")),
            "{h}"
        );
    }
    let robots = lib.json(&["rank", "--for-me", "--query", "=robot", "--limit", "50"]);
    assert!(!robots.as_array().expect("ranked").is_empty());
    for h in robots.as_array().expect("ranked") {
        let shown = lib.json(&["show", h["citekey"].as_str().unwrap_or("")]);
        let text = format!("{} {}", shown["title"], shown["abstract"]).to_lowercase();
        assert!(
            text.contains("robot"),
            "{} does not match the query",
            h["citekey"]
        );
    }

    // An edit makes that paper's vector stale; the next run redoes it only.
    lib.ok(&[
        "edit",
        "pointerNetworks",
        "--title",
        "Pointer Networks, Revisited",
    ]);
    let run = lib.json(&["embed"]);
    assert_eq!(run["embedded"], 1, "{run}");

    // reindex --embeddings drops them; search still answers, by words.
    lib.ok(&["reindex", "--embeddings"]);
    assert_eq!(stored(&lib), 0);
    assert!(!top(&lib, "masked video", 3).is_empty());
}

#[test]
fn another_model_has_its_vectors_redone() {
    let Some(mut lib) = Lib::with_model() else {
        return;
    };
    lib.ok(&[
        "import",
        &common::fixture("formats/bibtex-latex.bib")
            .display()
            .to_string(),
    ]);
    let papers = lib.json(&["model", "status"])["papers"]
        .as_i64()
        .expect("papers");
    assert!(papers > 0);
    assert_eq!(lib.json(&["embed"])["embedded"].as_i64(), Some(papers));
    assert_eq!(lib.json(&["embed"])["embedded"].as_i64(), Some(0));

    // The same files under another name are the same model…
    let renamed = lib.dir.path().join("renamed-model");
    copy_model(&lib.model, &renamed, false);
    lib.model = renamed;
    assert_eq!(
        lib.json(&["model", "status"])["embedded"].as_i64(),
        Some(papers)
    );
    // …a changed configuration is another: its vectors are computed anew.
    let changed = lib.dir.path().join("changed-model");
    copy_model(&lib.model, &changed, true);
    lib.model = changed;
    assert_eq!(lib.json(&["model", "status"])["embedded"].as_i64(), Some(0));
    assert_eq!(lib.json(&["embed"])["embedded"].as_i64(), Some(papers));
    assert_eq!(stored(&lib), papers);
}

fn copy_model(from: &Path, to: &Path, change: bool) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read model") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if change && entry.file_name() == "config.json" {
            let text = std::fs::read_to_string(entry.path()).expect("config");
            let text = text.replacen('{', "{\n  \"lectern_test\": true,", 1);
            std::fs::write(dest, text).expect("write config");
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

#[test]
fn without_the_model_search_is_by_words_and_says_so() {
    let lib = Lib::new();
    lib.ok(&["import", SEED]);
    assert!(top(&lib, "masked video", 3).contains(&"videomaeV2Scaling".to_string()));
    let status = lib.json(&["model", "status"]);
    assert_eq!(status["model"], Value::Null);
    assert!(
        status["problem"]
            .as_str()
            .is_some_and(|p| p.contains("not installed")),
        "{status}"
    );
    let err = lib.fails(&["search", "~brain recordings"]);
    assert!(
        err.contains("no-model") && err.contains("lectern model fetch"),
        "{err}"
    );
    let err = lib.fails(&["embed"]);
    assert!(err.contains("not installed"), "{err}");
    let related = lib.json(&["related", "videomaeV2Scaling"]);
    let first = &related.as_array().expect("suggestions")[0];
    assert_eq!(first["reason"], "shared terms");
    assert!(!lib.root().join(".lectern/embeddings.db").exists());
}

/// A stand-in for the model's home serving `files` (name → bytes) under
/// `/resolve/main/`, optionally stalling.
fn model_server(files: Vec<(String, Vec<u8>)>, stall: Option<Duration>) -> TestServer {
    TestServer::start(move |req| {
        let name = req.path().trim_start_matches("/resolve/main/");
        match files.iter().find(|(n, _)| n == name) {
            Some((_, bytes)) => Reply {
                stall,
                ..Reply::new(200, "application/octet-stream", bytes.clone())
            },
            None => Reply::status(404),
        }
    })
    .expect("start the stand-in")
}

fn model_files(model: &Path) -> Vec<(String, Vec<u8>)> {
    [
        "config.json",
        "sentence_bert_config.json",
        "tokenizer.json",
        "model.safetensors",
    ]
    .iter()
    .map(|n| {
        (
            n.to_string(),
            std::fs::read(model.join(n)).expect("model file"),
        )
    })
    .collect()
}

#[test]
fn the_model_download_is_checked_and_put_in_place_whole() {
    let Some(model) = test_model() else { return };
    let mut lib = Lib::new();
    lib.model = lib.dir.path().join("data/models/all-MiniLM-L6-v2");
    let fetch = |server: &TestServer, yes: bool| {
        let mut c = lib.cmd();
        c.env(
            "LECTERN_MODEL_URL",
            format!("{}/resolve/main/", server.url()),
        )
        .env("LECTERN_HTTP_TIMEOUT", "1")
        .args(["model", "fetch"]);
        if yes {
            c.arg("--yes");
        }
        c.output().expect("run lectern")
    };
    let one_line_error = |out: &std::process::Output| {
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        err
    };

    // A file whose bytes differ: refused, nothing put in place.
    let mut files = model_files(&model);
    files[3].1[100] ^= 0xff;
    let server = model_server(files, None);
    let err = one_line_error(&fetch(&server, true));
    assert!(
        err.contains("model.safetensors") && err.contains("checksum"),
        "{err}"
    );
    assert!(!lib.model.exists());
    // Without --yes, and no terminal to ask on: it says how to agree.
    let server = model_server(model_files(&model), None);
    let err = one_line_error(&fetch(&server, false));
    assert!(err.contains("--yes") && err.contains("MB"), "{err}");
    assert!(!lib.model.exists());
    // A server that stalls: a timeout, nothing in place.
    let stalled = model_server(model_files(&model), Some(Duration::from_secs(5)));
    let err = one_line_error(&fetch(&stalled, true));
    assert!(err.contains("127.0.0.1"), "{err}");
    assert!(!lib.model.exists());
    // The real files: in place, and they load.
    let out = fetch(&server, true);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let leftovers: Vec<_> = std::fs::read_dir(lib.model.parent().expect("parent"))
        .expect("models")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    lib.ok(&["import", SEED]);
    let status = lib.json(&["model", "status"]);
    assert!(
        status["model"]
            .as_str()
            .is_some_and(|m| m.starts_with("all-MiniLM-L6-v2@")),
        "{status}"
    );

    // `model place` from a folder: a folder without the files is refused.
    let err = lib.fails(&["model", "place", &lib.dir.path().display().to_string()]);
    assert!(err.contains("not a model folder"), "{err}");
    lib.ok(&["model", "place", &model.display().to_string()]);
    assert!(lib.model.join("model.safetensors").is_file());
}
