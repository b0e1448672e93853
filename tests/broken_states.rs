//! The library folder in states an unlucky person or a hostile file leaves
//! it in: `papers/` deleted as a whole, empty and non-UTF-8 paper files, a
//! symbolic link the watcher hears about, a relative library path for the
//! watcher, and a reader that closes the pipe.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use common::{Lib, eventually};

#[test]
fn papers_deleted_as_a_whole_are_written_again_and_said_so() {
    let lib = Lib::new();
    lib.import_seed();
    std::fs::remove_dir_all(lib.root().join("papers")).unwrap();
    let said = lib.ok(&["sync"]);
    assert!(said.contains("78 paper file(s) written"), "{said}");
    assert!(said.contains("papers/ is missing as a whole"), "{said}");
    assert_eq!(
        std::fs::read_dir(lib.root().join("papers"))
            .unwrap()
            .count(),
        78
    );
    lib.ok(&["sync", "--check"]);
    assert_eq!(lib.json(&["list"]).as_array().unwrap().len(), 78);
}

#[test]
fn empty_and_non_utf8_paper_files_are_refused_and_left_alone() {
    let lib = Lib::new();
    lib.import_seed();
    let empty = lib.root().join("papers/empty.md");
    let latin = lib.root().join("papers/latin.md");
    std::fs::write(&empty, "").unwrap();
    let latin_bytes = b"---\ntitle: Caf\xe9 society\n---\n\nAn abstract.\n".to_vec();
    std::fs::write(&latin, &latin_bytes).unwrap();
    let out = lib.cmd().args(["sync"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("papers/empty.md:1: the file is empty; not read"),
        "{said}"
    );
    assert!(
        said.contains("papers/latin.md:2: not UTF-8 text (byte 14)"),
        "{said}"
    );
    assert_eq!(lib.json(&["list"]).as_array().unwrap().len(), 78);
    assert_eq!(std::fs::read(&empty).unwrap(), b"");
    assert_eq!(std::fs::read(&latin).unwrap(), latin_bytes);
}

/// `lectern sync --watch` on a library named by a relative path, from the
/// folder that holds it.
fn watch_relative(lib: &Lib) -> std::process::Child {
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("lectern"))
        .env_remove("LECTERN_LIBRARY")
        .current_dir(lib.dir.path())
        .args(["--library", "library", "sync", "--watch"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    assert!(
        lines.any(|l| l.is_ok_and(|l| l.starts_with("Watching"))),
        "the watcher did not start"
    );
    std::thread::spawn(move || for _ in lines {});
    child
}

#[test]
fn the_watcher_hears_edits_through_a_relative_path_and_never_follows_links_out() {
    let lib = Lib::new();
    lib.import_seed();
    let outside = lib.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("secret.md"),
        "---\ntitle: Secret outside paper\n---\n\nquokkaword outside.\n",
    )
    .unwrap();
    let mut watcher = watch_relative(&lib);
    let key = lib.key_of("Context Autoencoder");
    let file = lib.root().join("papers").join(format!("{key}.md"));
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "## Notes\n",
        "## Notes\n\nA wombatlike idea typed elsewhere.\n",
    );
    std::fs::write(&file, text).unwrap();
    eventually("the edit to be searchable", || {
        lib.search_titles("wombatlike").len() == 1
    });
    let link = lib.root().join("papers/secret.md");
    std::os::unix::fs::symlink(outside.join("secret.md"), &link).unwrap();
    // Give the watcher time to hear the link, then one more edit to know it
    // has handled the events before it.
    std::thread::sleep(Duration::from_millis(800));
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("wombatlike", "wombatlike numbatlike");
    std::fs::write(&file, text).unwrap();
    eventually("the second edit", || {
        lib.search_titles("numbatlike").len() == 1
    });
    let _ = watcher.kill();
    let _ = watcher.wait();
    assert!(
        lib.search_titles("quokkaword").is_empty(),
        "read through a link"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("secret.md")).unwrap(),
        "---\ntitle: Secret outside paper\n---\n\nquokkaword outside.\n"
    );
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    let lib = Lib::new();
    lib.import_seed();
    for args in [&["--json", "list"][..], &["sync", "--check"][..]] {
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("lectern"))
            .env_remove("LECTERN_LIBRARY")
            .arg("--library")
            .arg(lib.root())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        let mut stdout = child.stdout.take().unwrap();
        let _ = stdout.read(&mut first);
        drop(stdout);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let _ = child.wait().unwrap();
        assert!(
            !stderr.contains("error") && !stderr.contains("panicked"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_damaged_database_says_how_to_recover_and_repair_rebuilds_it() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("VideoMAE V2");
    lib.ok(&["note", "add", &key, "--text", "A precious note."]);
    let db = lib.root().join(".lectern/lectern.db");
    let size = std::fs::metadata(&db).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(size / 2)
        .unwrap();
    let err = lib.fails(&["list"]);
    assert!(
        err.contains("is damaged") && err.contains("lectern repair"),
        "{err}"
    );
    let said = lib.ok(&["repair"]);
    assert!(said.contains("78 papers"), "{said}");
    let notes = lib.json(&["show", &key])["notes"].to_string();
    assert!(notes.contains("A precious note."), "{notes}");
    let kept: Vec<String> = std::fs::read_dir(lib.root().join(".lectern"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("damaged-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged state is kept");
    lib.ok(&["sync", "--check"]);
}

#[test]
fn one_huge_record_is_cut_to_size_and_says_so() {
    let lib = Lib::new();
    lib.import_seed();
    let sentence = "Sloths digest leaves slowly while the canopy sways in the wind. ";
    let huge = sentence.repeat(3_000_000 / sentence.len());
    let path = lib.dir.path().join("huge.bib");
    std::fs::write(
        &path,
        format!("@article{{huge2020, title = {{A Very Long Record}}, abstract = {{{huge}}}}}\n"),
    )
    .unwrap();
    let report = lib.json(&["import", path.to_str().unwrap()]);
    let problems = report["problems"].to_string();
    assert!(
        problems.contains("the abstract is 2999 KB; the first 100 KB are kept")
            || problems.contains("the abstract is 3000 KB; the first 100 KB are kept"),
        "{problems}"
    );
    let shown = lib.json(&["show", "huge2020"]);
    let kept = shown["abstract"].as_str().unwrap().len();
    assert!(
        kept <= lectern::import::MAX_ABSTRACT && kept > 90_000,
        "{kept}"
    );
    assert_eq!(
        lib.search_titles("sloths canopy"),
        vec!["A Very Long Record".to_string()]
    );
    lib.ok(&["sync", "--check"]);
}

#[test]
fn a_full_disk_is_named_and_the_library_stays_as_it_was() {
    // A 3 MB file system of our own, in a private mount namespace (no root
    // needed where unprivileged user namespaces are allowed, as on Debian
    // and Ubuntu).
    let lib = Lib::new();
    let base = lib.dir.path();
    let disk = base.join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let mut big = String::new();
    for i in 0..6000 {
        big.push_str(&format!(
            "@article{{big{i}, title = {{Paper number {i} about {}}}, abstract = {{{}}}}}\n",
            "filling the disk ".repeat(3),
            "A long abstract sentence that takes room. ".repeat(20)
        ));
    }
    let big_path = base.join("big.bib");
    std::fs::write(&big_path, big).unwrap();
    let script = r#"set -e
mount -t tmpfs -o size=3m tmpfs "$DISK"
"$BIN" --library "$DISK/lib" import "$SEED" > /dev/null
if "$BIN" --library "$DISK/lib" import "$BIG" 2> "$OUT/err.txt"; then exit 3; fi
"$BIN" --library "$DISK/lib" --json list > "$OUT/list.json"
"$BIN" --library "$DISK/lib" sync --check > "$OUT/check.txt"
"#;
    let status = Process::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", script])
        .env("DISK", &disk)
        .env("BIN", assert_cmd::cargo::cargo_bin("lectern"))
        .env("SEED", common::SEED)
        .env("BIG", &big_path)
        .env("OUT", base)
        .env_remove("LECTERN_LIBRARY")
        .status()
        .expect("run unshare (util-linux)");
    assert_eq!(status.code(), Some(0), "the scenario failed: {status}");
    let err = std::fs::read_to_string(base.join("err.txt")).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("the disk holding") && err.contains("is full"),
        "{err}"
    );
    let list: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(base.join("list.json")).unwrap()).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        78,
        "the import was rolled back"
    );
}
