//! The library folder, driven through the real `lectern` binary: changes
//! made with Lectern reach the files, edits to the files reach Lectern,
//! the watcher and the inbox, conflicts, rebuilding from the folder, and
//! two machines sharing one git repository.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use common::{Lib, SEED, eventually};
use serde_json::Value;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn paper_file(lib: &Lib, key: &str) -> PathBuf {
    lib.root().join("papers").join(format!("{key}.md"))
}

fn papers_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Asserts `lectern sync --check` finds the folder and library agreeing.
fn assert_agree(lib: &Lib) {
    let out = lib.cmd().args(["sync", "--check"]).output().expect("run");
    assert!(
        out.status.success(),
        "folder and library disagree:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn changes_made_with_lectern_reach_the_files() {
    let lib = Lib::new();
    lib.import_seed();
    let papers = lib.root().join("papers");
    assert_eq!(papers_in(&papers).len(), 78);
    let mae = lib.key_of("Context Autoencoder");
    let video = lib.key_of("VideoMAE V2");

    lib.ok(&["note", "add", &mae, "--text", "Compare with [[x]] later."]);
    lib.ok(&[
        "annotate",
        &mae,
        "--quote",
        "masked",
        "--comment",
        "Key idea.",
        "--color",
        "green",
    ]);
    lib.ok(&["tag", &mae, "vision", "ssl"]);
    lib.ok(&["status", &mae, "reading"]);
    lib.ok(&["link", &mae, &video, "--kind", "extends"]);
    lib.ok(&[
        "edit",
        &mae,
        "--venue",
        "NeurIPS",
        "--year",
        "2024",
        "--author",
        "Doe, Jane",
    ]);
    let text = read(&paper_file(&lib, &mae));
    assert!(text.contains("venue: \"NeurIPS\"\n"), "{text}");
    assert!(
        text.contains("year: 2024\n") && text.contains("  - \"Doe, Jane\"\n"),
        "{text}"
    );
    assert!(text.contains("Compare with [[x]] later."), "{text}");
    assert!(text.contains("<!-- lectern:highlight id="), "{text}");
    assert!(text.contains("color=green"), "{text}");
    assert!(text.contains("Key idea."), "{text}");
    assert!(text.contains("  - \"ssl\"\n  - \"vision\"\n"), "{text}");
    assert!(text.contains("status: reading\n"), "{text}");
    assert!(
        text.contains(&format!("relations:\n  extends:\n    - \"[[{video}]]\"")),
        "{text}"
    );
    // The other end shows the incoming link in its generated section.
    assert!(read(&paper_file(&lib, &video)).contains(&format!("- extends (from): [[{mae}|")));

    // Deleting removes the file; the trash brings both back.
    lib.ok(&["delete", &mae]);
    assert!(!paper_file(&lib, &mae).exists());
    assert!(!read(&paper_file(&lib, &video)).contains(&mae));
    let trash = lib.json(&["trash", "list"]);
    assert_eq!(trash[0]["citekey"], mae.as_str());
    lib.ok(&["trash", "restore", &mae]);
    let back = read(&paper_file(&lib, &mae));
    assert!(back.contains("Compare with [[x]] later.") && back.contains("Key idea."));
    assert!(
        back.contains(&format!("[[{video}]]")),
        "the link comes back: {back}"
    );
    assert!(
        !papers_in(&papers).iter().any(|n| n.starts_with('.')),
        "no temporary files are left: {:?}",
        papers_in(&papers)
    );
    assert_agree(&lib);
}

#[test]
fn edits_to_the_files_reach_the_library() {
    let lib = Lib::new();
    lib.import_seed();
    let mae = lib.key_of("Context Autoencoder");
    let video = lib.key_of("VideoMAE V2");
    lib.ok(&["note", "add", &mae, "--text", "First note."]);
    lib.ok(&[
        "annotate",
        &mae,
        "--quote",
        "masked",
        "--comment",
        "Old comment.",
    ]);
    let file = paper_file(&lib, &mae);
    let text = read(&file)
        .replace("status: unread", "status: read")
        .replace("tags: []", "tags: [obsidian-tag]")
        .replace("related: []", &format!("related: [\"[[{video}]]\"]"))
        .replace("Old comment.", "New comment written in vim.")
        .replace("First note.", "First note, edited elsewhere.")
        + "\nA quokkaesque second thought.\n";
    write(&file, &text);
    let report = lib.json(&["sync"]);
    assert_eq!(report["applied"], 1, "{report}");
    let p = lib.json(&["show", &mae]);
    assert_eq!(p["status"], "read");
    assert_eq!(p["tags"], serde_json::json!(["obsidian-tag"]));
    assert_eq!(
        p["annotations"][0]["comment"],
        "New comment written in vim."
    );
    assert_eq!(
        p["notes"][0]["body"],
        "First note, edited elsewhere.\n\nA quokkaesque second thought."
    );
    assert_eq!(p["relations"][0]["other_citekey"], video.as_str());
    assert_eq!(lib.search_titles("quokkaesque").len(), 1);
    // The linked paper's file now shows the incoming link.
    assert!(read(&paper_file(&lib, &video)).contains(&format!("[[{mae}|")));

    // A new file by hand (no id) becomes a paper and gets its id written.
    let new = lib.root().join("papers").join("my-own-paper.md");
    write(
        &new,
        "---\ntitle: \"A Hand Written Paper About Zebrafish Navigation\"\nauthors: [\"Doe, Jane\"]\nyear: 2024\n---\n\nAn abstract typed into Obsidian.\n\n## Notes\n\nWritten first.\n",
    );
    let report = lib.json(&["sync"]);
    assert_eq!(report["created"], 1, "{report}");
    let hits = lib.json(&["search", "zebrafish"]);
    let new_key = hits[0]["citekey"].as_str().expect("found").to_string();
    let new_text = read(&new);
    assert!(new_text.starts_with("---\nid: \""), "{new_text}");
    assert!(new_text.contains("Written first."));
    let p = lib.json(&["show", &new_key]);
    assert_eq!(p["notes"][0]["body"], "Written first.");
    let id = p["id"].as_str().expect("id").to_string();

    // A renamed file keeps its paper, notes and all.
    let renamed = lib.root().join("papers").join("zebrafish.md");
    std::fs::rename(&new, &renamed).expect("rename");
    let report = lib.json(&["sync"]);
    assert_eq!(report["renamed"], 1, "{report}");
    let p = lib.json(&["show", &id]);
    assert_eq!(p["notes"][0]["body"], "Written first.");
    assert_eq!(lib.json(&["list"]).as_array().map(Vec::len), Some(79));

    // A deleted file moves its paper to the trash, which can undo it.
    std::fs::remove_file(&renamed).expect("remove");
    let report = lib.json(&["sync"]);
    assert_eq!(report["trashed"], 1, "{report}");
    assert!(lib.search_titles("zebrafish").is_empty());
    assert_eq!(lib.json(&["trash", "list"])[0]["paper_id"], id.as_str());
    lib.ok(&["trash", "restore", &id]);
    assert_eq!(
        lib.json(&["show", &id])["notes"][0]["body"],
        "Written first."
    );
    assert_agree(&lib);

    // Nothing changed: nothing is read or written.
    let report = lib.json(&["sync"]);
    assert_eq!(report["applied"], 0, "{report}");
    assert_eq!(report["written"], 0, "{report}");
}

#[test]
fn conflict_files_are_reported_and_never_imported() {
    let lib = Lib::new();
    lib.import_seed();
    let mae = lib.key_of("Context Autoencoder");
    let papers = lib.root().join("papers");
    let original = read(&paper_file(&lib, &mae));
    // Syncthing's conflict copy.
    let copy = papers.join(format!("{mae}.sync-conflict-20261127-010203-ABCDEFG.md"));
    write(&copy, &original.replace("status: unread", "status: read"));
    // A git merge that stopped with markers.
    let marked = original.replace(
        "status: unread\n",
        "<<<<<<< HEAD\nstatus: reading\n=======\nstatus: read\n>>>>>>> origin/main\n",
    );
    write(&paper_file(&lib, &mae), &marked);
    let report = lib.json(&["sync"]);
    let conflicts: Vec<&str> = report["conflicts"]
        .as_array()
        .expect("conflicts")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        conflicts.iter().any(|c| c.contains(".sync-conflict-")),
        "{report}"
    );
    assert!(
        conflicts.contains(&format!("papers/{mae}.md").as_str()),
        "{report}"
    );
    assert_eq!(lib.json(&["list"]).as_array().map(Vec::len), Some(78));
    assert_eq!(lib.json(&["show", &mae])["status"], "unread");
    // Both sides stay in the file until the user resolves it.
    assert_eq!(read(&paper_file(&lib, &mae)), marked);
    write(
        &paper_file(&lib, &mae),
        &original.replace("status: unread", "status: read"),
    );
    lib.ok(&["sync"]);
    assert_eq!(lib.json(&["show", &mae])["status"], "read");
}

#[test]
fn a_paper_changed_on_both_sides_keeps_both_versions() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("library");
    let mut lib = lectern::Library::open(&root).expect("open");
    lib.import_text(&read(Path::new(SEED)), "seed")
        .expect("import");
    let key = lib.list(None, None).expect("list")[0].citekey.clone();
    let file = root.join("papers").join(format!("{key}.md"));
    // The file is edited while the library changes the same paper.
    let edited = read(&file).replace("## Notes\n", "## Notes\n\nMy edit in the file.\n");
    write(&file, &edited);
    lib.add_note(&key, "My edit in the app.").expect("note");
    let report = lib.take_folder_report();
    assert_eq!(report.conflicts.len(), 1, "{report:?}");
    let copy = root.join(&report.conflicts[0]);
    assert!(
        copy.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{key}.conflict-"))),
        "{}",
        copy.display()
    );
    assert_eq!(read(&copy), edited, "the file's version is kept whole");
    let now = read(&file);
    assert!(now.contains("My edit in the app."), "{now}");
    assert!(!now.contains("My edit in the file."));
    // The copy is reported again by each sync, never imported.
    drop(lib);
    let mut lib = lectern::Library::open(&root).expect("reopen");
    let report = lib.sync().expect("sync");
    assert!(
        report.conflicts.iter().any(|c| c.contains(".conflict-")),
        "{report:?}"
    );
    assert_eq!(lib.count().expect("count"), 78);
}

#[test]
fn the_library_comes_back_from_the_folder_alone() {
    let lib = Lib::new();
    lib.import_seed();
    let mae = lib.key_of("Context Autoencoder");
    let video = lib.key_of("VideoMAE V2");
    lib.ok(&[
        "note",
        "add",
        &mae,
        "--text",
        "A note with [[link]]\n\n## and a heading",
    ]);
    lib.ok(&[
        "annotate",
        &mae,
        "--quote",
        "masked",
        "--comment",
        "Why it works.",
    ]);
    lib.ok(&["annotate", &video, "--quote", "video", "--color", "blue"]);
    lib.ok(&["link", &mae, &video, "--kind", "extends"]);
    lib.ok(&["link", &video, &mae]);
    lib.ok(&["tag", &video, "video"]);
    lib.ok(&["status", &video, "read"]);
    let pdf = lib.json(&[
        "import",
        common::fixture("formats/pdf-paper.pdf")
            .to_str()
            .expect("utf-8"),
    ]);
    let pdf_id = pdf["added_ids"][0].as_str().expect("pdf paper").to_string();
    let before = lib.json(&["list"]);
    std::fs::remove_dir_all(lib.root().join(".lectern")).expect("remove private folder");
    let after = lib.json(&["list"]);
    let strip = |v: &Value| -> Vec<Value> {
        v.as_array()
            .expect("list")
            .iter()
            .map(|p| {
                let mut p = p.clone();
                // When a change was made is not part of the folder.
                p["updated"] = Value::Null;
                for n in p["notes"].as_array_mut().into_iter().flatten() {
                    n["created"] = Value::Null;
                    n["updated"] = Value::Null;
                }
                for a in p["annotations"].as_array_mut().into_iter().flatten() {
                    a["created"] = Value::Null;
                    a["updated"] = Value::Null;
                }
                for r in p["relations"].as_array_mut().into_iter().flatten() {
                    r["created"] = Value::Null;
                }
                p
            })
            .collect()
    };
    let (mut b, mut a) = (strip(&before), strip(&after));
    let by_id = |x: &Value, y: &Value| x["id"].as_str().cmp(&y["id"].as_str());
    b.sort_by(by_id);
    a.sort_by(by_id);
    assert_eq!(b.len(), 79);
    for (x, y) in b.iter().zip(&a) {
        assert_eq!(x, y, "paper differs after the rebuild");
    }
    assert_eq!(lib.search_titles("\"why it works\"").len(), 1);
    // The PDF's text is read again from the attachment.
    let words = lib.json(&["search", "text:introduction"]);
    assert!(
        words
            .as_array()
            .expect("hits")
            .iter()
            .any(|h| h["id"] == pdf_id.as_str()),
        "{words}"
    );
    assert_agree(&lib);
}

#[test]
fn a_one_shot_sync_imports_a_file_dropped_just_before() {
    let lib = Lib::new();
    lib.ok(&["sync"]);
    let inbox = lib.root().join("inbox");
    std::fs::create_dir_all(&inbox).expect("inbox");
    std::fs::copy(
        common::fixture("formats/bibtex-zotero.bib"),
        inbox.join("refs.bib"),
    )
    .expect("copy bib");
    // No pause: the file is younger than the inbox's settle time.
    let report = lib.json(&["sync"]);
    assert_eq!(report["inbox_imported"], 1, "{report}");
    assert_eq!(report["inbox_waiting"], false, "{report}");
    assert!(inbox.join("done/refs.bib").exists());
    assert!(!lib.json(&["list"]).as_array().unwrap().is_empty());
}

#[test]
fn the_inbox_imports_what_is_dropped_into_it() {
    let lib = Lib::new();
    lib.ok(&["sync"]);
    let inbox = lib.root().join("inbox");
    std::fs::create_dir_all(&inbox).expect("inbox");
    std::fs::copy(SEED, inbox.join("trending.txt")).expect("copy");
    std::fs::copy(
        common::fixture("formats/bibtex-zotero.bib"),
        inbox.join("refs.bib"),
    )
    .expect("copy bib");
    std::fs::copy(
        common::fixture("formats/pdf-paper.pdf"),
        inbox.join("paper.pdf"),
    )
    .expect("copy pdf");
    write(&inbox.join("broken.json"), "[{\"title\": ");
    std::thread::sleep(Duration::from_millis(600));
    let report = lib.json(&["sync"]);
    assert_eq!(report["inbox_imported"], 3, "{report}");
    assert_eq!(report["inbox_failed"], 1, "{report}");
    let done = papers_in(&inbox.join("done"));
    assert_eq!(
        done,
        [
            "refs.bib",
            "refs.bib.report.txt",
            "trending.txt",
            "trending.txt.report.txt"
        ]
    );
    assert!(read(&inbox.join("done/trending.txt.report.txt")).contains("78 entries"));
    assert_eq!(
        papers_in(&inbox.join("failed")),
        ["broken.json", "broken.json.error.txt"]
    );
    assert!(read(&inbox.join("failed/broken.json.error.txt")).contains("broken.json"));
    assert!(!inbox.join("paper.pdf").exists());
    let pdfs: Vec<_> = walk(&lib.root().join("attachments"))
        .into_iter()
        .filter(|p| p.ends_with("paper.pdf"))
        .collect();
    assert_eq!(pdfs.len(), 1, "the PDF moved to its paper's attachments");
    assert!(lib.json(&["list"]).as_array().expect("list").len() > 78);
    assert_agree(&lib);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.filter_map(|e| e.ok()) {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// `lectern sync --watch`, stopped when dropped.
struct Watcher(Child);

impl Watcher {
    fn start(lib: &Lib) -> Watcher {
        let bin = assert_cmd::cargo::cargo_bin("lectern");
        let child = Process::new(bin)
            .env_remove("LECTERN_LIBRARY")
            .arg("--library")
            .arg(lib.root())
            .args(["sync", "--watch"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start watcher");
        let mut w = Watcher(child);
        // Ready once it says so (it holds the write lock from then on).
        let stderr = w.0.stderr.take().expect("stderr");
        let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
        let ready = lines.any(|l| l.is_ok_and(|l| l.starts_with("Watching")));
        assert!(ready, "the watcher did not start");
        std::thread::spawn(move || for _ in lines {});
        w
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_watcher_picks_up_edits_and_a_burst_of_inbox_files() {
    let lib = Lib::new();
    lib.import_seed();
    let mae = lib.key_of("Context Autoencoder");
    let watcher = Watcher::start(&lib);
    let file = paper_file(&lib, &mae);
    let text = read(&file).replace(
        "## Notes\n",
        "## Notes\n\nA wombatlike idea typed elsewhere.\n",
    );
    write(&file, &text);
    eventually("the edit to be searchable", || {
        lib.search_titles("wombatlike").len() == 1
    });

    // Many files at once: every one is imported, none is lost.
    let n: usize = std::env::var("LECTERN_INBOX_BURST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let inbox = lib.root().join("inbox");
    std::fs::create_dir_all(&inbox).expect("inbox");
    let staging = lib.dir.path().join("staging");
    std::fs::create_dir_all(&staging).expect("staging");
    for i in 0..n {
        let name = format!("burst-{i:05}.json");
        write(
            &staging.join(&name),
            &format!(
                "[{{\"id\": \"burst{i}\", \"type\": \"article-journal\", \"title\": \"Burst paper number {i} on tardigrade resilience\"}}]"
            ),
        );
    }
    for i in 0..n {
        let name = format!("burst-{i:05}.json");
        std::fs::rename(staging.join(&name), inbox.join(&name)).expect("drop");
    }
    eventually("the inbox to empty", || {
        papers_in(&inbox)
            .iter()
            .all(|n| n == "done" || n == "failed")
    });
    drop(watcher);
    let done = papers_in(&inbox.join("done"));
    assert_eq!(done.len(), 2 * n, "every file and its report are in done/");
    assert_eq!(lib.json(&["list"]).as_array().map(Vec::len), Some(78 + n));
    assert_agree(&lib);
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Process::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Lectern Test",
            "-c",
            "user.email=test@lectern.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "pull.rebase=false",
        ])
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success() || args[0] == "pull" || args[0] == "merge",
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn two_machines_share_one_library_through_git() {
    let base = tempfile::tempdir().expect("tmp");
    let bare = base.path().join("shared.git");
    git(
        base.path(),
        &["init", "--bare", "-q", bare.to_str().expect("utf-8")],
    );
    let a = Lib::new();
    let b = Lib::new();
    a.import_seed();
    let mae = a.key_of("Context Autoencoder");
    git(&a.root(), &["init", "-q"]);
    git(&a.root(), &["add", "-A"]);
    git(&a.root(), &["commit", "-qm", "library"]);
    git(
        &a.root(),
        &["remote", "add", "origin", bare.to_str().expect("utf-8")],
    );
    git(&a.root(), &["push", "-q", "origin", "HEAD:main"]);
    let tracked = git(&a.root(), &["ls-files"]);
    assert!(
        !tracked.contains(".lectern/"),
        "the private folder stays out of git"
    );

    git(
        base.path(),
        &[
            "clone",
            "-q",
            "-b",
            "main",
            bare.to_str().expect("utf-8"),
            b.root().to_str().expect("utf-8"),
        ],
    );
    let report = b.json(&["sync"]);
    assert_eq!(report["created"], 78, "{report}");

    // An edit on A arrives on B.
    a.ok(&["note", "add", &mae, "--text", "Written on machine A."]);
    git(&a.root(), &["commit", "-qam", "note on A"]);
    git(&a.root(), &["push", "-q", "origin", "HEAD:main"]);
    git(&b.root(), &["pull", "-q", "origin", "main"]);
    b.ok(&["sync"]);
    assert_eq!(
        b.json(&["show", &mae])["notes"][0]["body"],
        "Written on machine A."
    );

    // Edits of different parts of one paper on both: git merges them.
    a.ok(&["tag", &mae, "from-a"]);
    git(&a.root(), &["commit", "-qam", "tag on A"]);
    git(&a.root(), &["push", "-q", "origin", "HEAD:main"]);
    b.ok(&["note", "add", &mae, "--text", "Written on machine B."]);
    git(&b.root(), &["commit", "-qam", "note on B"]);
    git(&b.root(), &["pull", "-q", "--no-edit", "origin", "main"]);
    b.ok(&["sync"]);
    let p = b.json(&["show", &mae]);
    assert_eq!(p["tags"], serde_json::json!(["from-a"]));
    assert_eq!(p["notes"].as_array().map(Vec::len), Some(2), "{p}");

    // The same line changed on both: the conflict is reported, both
    // versions stay in the file, nothing is imported half-resolved.
    git(&b.root(), &["push", "-q", "origin", "HEAD:main"]);
    git(&a.root(), &["pull", "-q", "origin", "main"]);
    a.ok(&["sync"]);
    a.ok(&["status", &mae, "read"]);
    git(&a.root(), &["commit", "-qam", "read on A"]);
    git(&a.root(), &["push", "-q", "origin", "HEAD:main"]);
    b.ok(&["status", &mae, "reading"]);
    git(&b.root(), &["commit", "-qam", "reading on B"]);
    git(&b.root(), &["pull", "-q", "--no-edit", "origin", "main"]);
    let report = b.json(&["sync"]);
    assert!(
        report["conflicts"].as_array().is_some_and(|c| c
            .iter()
            .any(|c| c == &Value::from(format!("papers/{mae}.md")))),
        "{report}"
    );
    let text = read(&b.root().join("papers").join(format!("{mae}.md")));
    assert!(text.contains("status: read\n") && text.contains("status: reading\n"));
    assert_eq!(b.json(&["show", &mae])["status"], "reading");
    // Resolving it (taking A's side) and syncing brings B in line.
    git(
        &b.root(),
        &["checkout", "--theirs", &format!("papers/{mae}.md")],
    );
    b.ok(&["sync"]);
    assert_eq!(b.json(&["show", &mae])["status"], "read");
    let notes = b.json(&["show", &mae])["notes"].clone();
    assert_eq!(notes.as_array().map(Vec::len), Some(2), "{notes}");
    assert_agree(&b);
}

#[test]
fn syncing_the_paths_events_name_follows_renames_and_deletions() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("library");
    let mut lib = lectern::Library::open(&root).expect("open");
    lib.import_text(&read(Path::new(SEED)), "seed")
        .expect("import");
    let papers = lib.list(None, None).expect("list");
    let (a, b) = (&papers[0], &papers[1]);
    let file_a = root.join("papers").join(format!("{}.md", a.citekey));
    let file_b = root.join("papers").join(format!("{}.md", b.citekey));
    // An edit, a rename and a deletion, each named by its paths.
    let edited = read(&file_a).replace("status: unread", "status: read");
    write(&file_a, &edited);
    let moved = root.join("papers").join("moved.md");
    std::fs::rename(&file_a, &moved).expect("rename");
    std::fs::remove_file(&file_b).expect("remove");
    let report = lib
        .sync_paths(&[file_a.clone(), moved.clone(), file_b.clone()])
        .expect("sync paths");
    assert_eq!(report.renamed, 1, "{report:?}");
    assert_eq!(report.trashed, 1, "{report:?}");
    assert_eq!(lib.paper(&a.id).expect("a").status.as_str(), "read");
    assert!(lib.paper(&b.id).is_err());
    // A path outside the folder's files changes nothing.
    let report = lib
        .sync_paths(&[root.join("attachments").join("x.pdf")])
        .expect("sync");
    assert!(!report.changed(), "{report:?}");
    assert!(lib.check_folder().expect("check").is_empty());
}

#[test]
fn free_standing_notes_make_the_papers_they_mention_findable() {
    let lib = Lib::new();
    lib.import_seed();
    let mae = lib.key_of("Context Autoencoder");
    let video = lib.key_of("VideoMAE V2");
    let notes = lib.root().join("notes");
    std::fs::create_dir_all(notes.join("group")).expect("notes folder");
    let note = notes.join("group").join("reading.md");
    write(
        &note,
        &format!(
            "# Reading group\n\nCompare [[{mae}]] with [[{video}|the video one]]: \
             both lean on zanzibarian masking.\n\n[[no-such-paper]] is ignored.\n"
        ),
    );
    lib.ok(&["sync"]);
    let found = lib.search_titles("zanzibarian");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().any(|t| t.starts_with("Context Autoencoder")));
    assert!(found.iter().any(|t| t.starts_with("VideoMAE V2")));

    // The note drops one link: that paper is no longer found by its words.
    write(
        &note,
        &format!("# Reading group\n\n[[{video}]] leans on zanzibarian masking.\n"),
    );
    lib.ok(&["sync"]);
    let found = lib.search_titles("zanzibarian");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("VideoMAE V2"));

    // A paper imported after the note that mentions it is found too.
    let bib = lib.root().join("later.bib");
    write(
        &bib,
        "@article{quokka2024,\n  title = {Quokkas in the Wild},\n  author = {Doe, Jane},\n  year = {2024}\n}\n",
    );
    write(
        &note,
        &format!(
            "# Reading group\n\n[[{video}]] and [[quokka2024]] lean on zanzibarian masking.\n"
        ),
    );
    lib.ok(&["sync"]);
    assert_eq!(lib.search_titles("zanzibarian").len(), 1);
    lib.ok(&["import", bib.to_str().expect("utf-8")]);
    let found = lib.search_titles("zanzibarian");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().any(|t| t == "Quokkas in the Wild"));

    // Rebuilt from the folder alone, the mentions come back.
    std::fs::remove_dir_all(lib.root().join(".lectern")).expect("remove private folder");
    assert_eq!(lib.search_titles("zanzibarian").len(), 2);

    // Deleting the note forgets its words.
    std::fs::remove_file(&note).expect("remove note");
    lib.ok(&["sync"]);
    assert!(lib.search_titles("zanzibarian").is_empty());
    assert_agree(&lib);
}
