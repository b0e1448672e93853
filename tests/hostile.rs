//! Hostile names and paths, through every importer and the folder sync:
//! nothing outside the library folder is created, changed or read.
//!
//! Each test lists the tree around the library (everything in the test's
//! temporary folder except the library itself) before and after, and
//! checks the places a climbing key would reach beyond it.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Lib, fixture};

/// Every file and folder under `dir` except `skip`, with its size and
/// content hash (links are listed as links, not followed).
fn tree(dir: &Path, skip: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path == skip {
                continue;
            }
            let meta = std::fs::symlink_metadata(&path).expect("stat");
            let what = if meta.file_type().is_symlink() {
                format!("link → {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                "dir".to_string()
            } else {
                let bytes = std::fs::read(&path).expect("read");
                format!("{} bytes, {}", bytes.len(), blake3::hash(&bytes).to_hex())
            };
            out.insert(path, what);
        }
    }
    out
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Keys that climb out of `papers/` or the attachments folder, or that
/// name things the folder gives another meaning.
const HOSTILE_KEYS: &[&str] = &[
    "../../outside/pwned",
    "../../../../../../../../lectern-hostile-root",
    "..",
    ".lectern-tmp-evil",
    "CON",
    "baez/article",
    "x.conflict-20260101T000000Z",
];

/// Where a key would have put its paper file if it were used as a path.
fn naive_targets(lib: &Lib) -> Vec<PathBuf> {
    HOSTILE_KEYS
        .iter()
        .map(|k| lib.root().join("papers").join(format!("{k}.md")))
        .collect()
}

fn bibtex() -> String {
    let mut out = String::new();
    for (i, key) in HOSTILE_KEYS.iter().enumerate() {
        out.push_str(&format!(
            "@article{{{key},\n  title = {{Hostile key number {i}}},\n  author = {{Mallory, Eve}},\n  year = {{2020}},\n  file = {{../../../etc/passwd}}\n}}\n\n"
        ));
    }
    out
}

fn ris() -> String {
    "TY  - JOUR\nID  - ../../ris-evil\nTI  - Hostile RIS record\nAU  - Mallory, Eve\nPY  - 2021\nL1  - ../../../outside/f.pdf\nUR  - file:///etc/passwd\nER  - \n"
        .to_string()
}

fn csl() -> String {
    r#"[{"id": "../../csl-evil", "type": "article-journal", "title": "Hostile CSL item",
        "author": [{"family": "Mallory", "given": "Eve"}], "issued": {"date-parts": [[2022]]},
        "URL": "file:///etc/passwd"}]"#
        .to_string()
}

fn markdown() -> String {
    "---\ncitekey: ../../md-evil\ntitle: Hostile Markdown note\nlinks:\n  - url: attachments/../../../outside/f.pdf\n    kind: pdf\n  - url: /etc/passwd\n    kind: pdf\n  - url: https://example.org/fine\n    kind: project\n---\nBody.\n".to_string()
}

fn hf() -> String {
    r#"[{"paper": {"id": "2401.00001", "title": "Hostile HF paper", "summary": "An abstract long enough.", "authors": [{"name": "Eve Mallory"}]}, "title": "Hostile HF paper"}]"#
        .to_string()
}

fn arxiv() -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>arXiv query</title>\n<entry>\n<id>http://arxiv.org/abs/2401.00002v1</id>\n<published>2024-01-02T00:00:00Z</published>\n<title>Hostile arXiv entry</title>\n<summary>An abstract.</summary>\n<author><name>Eve Mallory</name></author>\n<link title=\"pdf\" href=\"../../../outside/f.pdf\" rel=\"related\"/>\n<link href=\"file:///etc/passwd\" rel=\"related\"/>\n</entry>\n</feed>\n".to_string()
}

fn zotero() -> String {
    r#"[{"key": "EVIL0001", "data": {"key": "EVIL0001", "itemType": "journalArticle",
        "title": "Hostile Zotero item", "url": "/etc/passwd",
        "extra": "Citation Key: ../../zotero-evil"}}]"#
        .to_string()
}

#[test]
fn hostile_names_and_paths_stay_inside_the_library() {
    let lib = Lib::new();
    let base = lib.dir.path().to_path_buf();
    let outside = base.join("outside");
    write(&outside.join("f.pdf"), "%PDF-1.4 not really");
    write(
        &outside.join("secret.md"),
        "---\ntitle: Secret outside file\n---\nsecretword\n",
    );
    let root_target = PathBuf::from("/lectern-hostile-root.md");
    let root_existed = root_target.exists();
    lib.ok(&["import", common::SEED]);

    let inputs = base.join("inputs");
    let files = [
        ("h.bib", bibtex()),
        ("h.ris", ris()),
        ("h.json", csl()),
        ("h.md", markdown()),
        ("hf.json", hf()),
        ("a.xml", arxiv()),
        ("z.json", zotero()),
    ];
    for (name, text) in &files {
        write(&inputs.join(name), text);
    }
    let with_doi = inputs.join("doi.bib");
    write(
        &with_doi,
        "@article{../../outside/att, title = {Sparse Retrieval with Learned Term Weights for Long Documents}, doi = {10.1145/3292500.3330701}}\n",
    );
    // A PDF whose own file name is hostile keeps a safe one.
    let odd = inputs.join(".. odd:name.pdf");
    std::fs::copy(fixture("formats/pdf-paper.pdf"), &odd).unwrap();
    let before = tree(&base, &lib.root());

    for (name, _) in &files {
        let report = lib.json(&["import", inputs.join(name).to_str().unwrap()]);
        assert!(report["added"].as_u64().unwrap() >= 1, "{name}: {report}");
    }
    // A PDF whose DOI matches a hostile-key paper lands in that paper's
    // attachments folder, under a safe name.
    lib.ok(&["import", with_doi.to_str().unwrap()]);
    let pdf = lib.json(&["import", fixture("formats/pdf-paper.pdf").to_str().unwrap()]);
    assert_eq!(pdf["merged"], 1, "{pdf}");
    lib.ok(&["import", odd.to_str().unwrap()]);
    lib.ok(&["sync"]);
    lib.ok(&[
        "export",
        "markdown",
        "--out",
        lib.root().join("export").to_str().unwrap(),
    ]);

    assert_eq!(
        lib.json(&["show", "../../zotero-evil"])["links"],
        serde_json::json!([])
    );
    let hostile_arxiv = lib
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Hostile arXiv entry")
        .cloned()
        .unwrap();
    assert_eq!(
        hostile_arxiv["links"],
        serde_json::json!([]),
        "{hostile_arxiv}"
    );
    let att_dir = lib
        .root()
        .join("attachments")
        .join(lectern::paths::key_file_stem("../../outside/att"));
    // The odd PDF joined the hostile-key paper (same DOI) under a safe name.
    let odd_name = lectern::paths::safe_file_name(".. odd:name.pdf");
    assert!(
        !odd_name.starts_with('.') && !odd_name.contains(':'),
        "{odd_name}"
    );
    assert!(att_dir.join(&odd_name).is_file(), "{odd_name}");
    // Every hostile key still works as a key.
    for key in HOSTILE_KEYS {
        let shown = lib.json(&["show", key]);
        assert_eq!(shown["citekey"], *key);
    }
    // Its file is a plain name inside papers/ and says the real key.
    for p in lib.json(&["list"]).as_array().unwrap() {
        let key = p["citekey"].as_str().unwrap();
        if !HOSTILE_KEYS.contains(&key) {
            continue;
        }
        let stem = lectern::paths::key_file_stem(key);
        let file = lib.root().join("papers").join(format!("{stem}.md"));
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{key}: {e}"));
        assert!(text.contains(&format!("citekey: {}", serde_json::to_string(key).unwrap())));
    }
    let att = lectern::paths::key_file_stem("../../outside/att");
    assert!(
        lib.root()
            .join("attachments")
            .join(&att)
            .join("pdf-paper.pdf")
            .is_file()
    );
    // Links that name files outside were refused.
    let md = lib.json(&["show", "../../md-evil"]);
    let urls: Vec<&str> = md["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, vec!["https://example.org/fine"]);

    assert_eq!(
        before,
        tree(&base, &lib.root()),
        "something outside the library changed"
    );
    for target in naive_targets(&lib) {
        if target.starts_with(lib.root()) {
            continue;
        }
        let normalized = lexical(&target);
        if normalized.starts_with(&base) {
            continue; // covered by the tree comparison
        }
        assert_eq!(
            normalized.exists(),
            root_existed && normalized == root_target,
            "{}",
            normalized.display()
        );
    }
    assert!(lib.search_titles("secretword").is_empty());
    let check = lib.cmd().args(["sync", "--check"]).output().unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "the folder disagrees: {said}");
}

/// `a/b/../c` → `a/c` without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[test]
fn the_folder_sync_neither_follows_nor_reads_links_out_of_the_library() {
    let lib = Lib::new();
    let base = lib.dir.path().to_path_buf();
    let outside = base.join("outside");
    write(
        &outside.join("secret.md"),
        "---\ntitle: Secret outside paper\n---\n\nsecretword in an abstract outside.\n",
    );
    write(
        &outside.join("refs.bib"),
        "@article{outsidebib, title = {Outside bibliography secretword}}\n",
    );
    std::fs::copy(fixture("formats/pdf-paper.pdf"), outside.join("f.pdf")).unwrap();
    std::fs::create_dir_all(outside.join("attdir")).unwrap();
    lib.ok(&["import", common::SEED]);
    let root = lib.root();
    // Links planted in the folder: a paper file, a note, an inbox file and
    // an attachments folder that lead outside.
    std::os::unix::fs::symlink(outside.join("secret.md"), root.join("papers/secret.md")).unwrap();
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.md"), root.join("notes/secret.md")).unwrap();
    std::fs::create_dir_all(root.join("inbox")).unwrap();
    std::os::unix::fs::symlink(outside.join("refs.bib"), root.join("inbox/refs.bib")).unwrap();
    std::fs::create_dir_all(root.join("attachments")).unwrap();
    std::os::unix::fs::symlink(outside.join("attdir"), root.join("attachments/linked")).unwrap();
    // A paper file whose PDF link climbs out, and one whose link is fine.
    write(
        &root.join("papers/climber.md"),
        "---\ncitekey: climber\ntitle: Climbing paper\nlinks:\n  - url: attachments/../../outside/f.pdf\n    kind: pdf\n---\n\nAn abstract.\n",
    );
    let before = tree(&base, &root);
    std::thread::sleep(std::time::Duration::from_millis(600)); // the inbox settles

    let out = lib.cmd().args(["--json", "sync"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems = report["problems"].to_string();
    assert!(
        problems.contains("papers/climber.md:5: link path"),
        "{problems}"
    );
    for name in [
        "papers/secret.md",
        "notes/secret.md",
        "inbox/refs.bib",
        "papers/climber.md",
    ] {
        assert!(problems.contains(name), "{name} not reported: {problems}");
    }
    assert!(
        lib.search_titles("secretword").is_empty(),
        "read through a link"
    );
    let climber = lib.json(&["show", "climber"]);
    assert_eq!(climber["links"].as_array().unwrap().len(), 0, "{climber}");
    assert!(
        lib.search_titles("text:sparse")
            .iter()
            .all(|t| t != "Climbing paper")
    );

    // A PDF for a paper whose attachments folder is a link out of the
    // library is refused, and nothing lands outside.
    let bib = base.join("linked.bib");
    write(
        &bib,
        "@article{linked, title = {Sparse Retrieval with Learned Term Weights for Long Documents}, doi = {10.1145/3292500.3330701}}\n",
    );
    lib.ok(&["import", bib.to_str().unwrap()]);
    let out = lib
        .cmd()
        .args(["import", fixture("formats/pdf-paper.pdf").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let last = err.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.starts_with("lectern: error: ") && last.contains("outside the library"),
        "{err}"
    );

    let mut after = tree(&base, &root);
    after.remove(&bib);
    assert_eq!(before, after, "something outside the library changed");
    // The links are still where they were, untouched.
    assert!(
        std::fs::symlink_metadata(root.join("papers/secret.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
