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

/// Overwrites part of the index file with the given extension with noise
/// (from `from` to `to`, fractions of its length), keeping its size.
fn scramble_index_file(lib: &Lib, ext: &str, from: f64, to: f64) {
    let dir = lib.root().join(".lectern/index");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .unwrap_or_else(|| panic!("no .{ext} file in {}", dir.display()));
    let mut bytes = std::fs::read(&path).unwrap();
    let (start, end) = (
        (bytes.len() as f64 * from) as usize,
        (bytes.len() as f64 * to) as usize,
    );
    let mut state: u32 = 0x9e37_79b9;
    for byte in &mut bytes[start..end] {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        *byte = state as u8;
    }
    std::fs::write(&path, bytes).unwrap();
}

/// Puts back the copy of the index taken by [`copy_dir`].
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).unwrap();
    }
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// A command on a damaged index either works (the index was rebuilt when
/// the library opened) or fails with one line that names the way out;
/// it never panics.
fn works_or_names_reindex(lib: &Lib, args: &[&str], what: &str) -> bool {
    let out = lib.cmd().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return true;
    }
    assert_eq!(out.status.code(), Some(1), "{what}: {args:?}: {err}");
    assert!(err.contains("lectern reindex"), "{what}: {args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: {args:?}: {err}");
    false
}

#[test]
fn a_damaged_index_is_rebuilt_or_named_never_a_panic() {
    let lib = Lib::new();
    lib.import_seed();
    let key = lib.key_of("VideoMAE V2");
    let query = "masked autoencoder";
    let before = lib.search_titles(query);
    assert!(before.len() >= 3, "{before:?}");
    let index = lib.root().join(".lectern/index");
    let pristine = lib.dir.path().join("index-copy");
    copy_dir(&index, &pristine);
    let spans = [
        (0.0, 0.25),
        (0.25, 0.5),
        (0.5, 0.75),
        (0.75, 0.9),
        (0.9, 0.97),
        (0.0, 1.0),
    ];
    let (mut failed, mut flagged) = (0, 0);
    for ext in ["term", "idx", "pos", "store", "fast", "fieldnorm"] {
        for (from, to) in spans {
            let what = format!(".{ext} {from}..{to}");
            copy_dir(&pristine, &index);
            scramble_index_file(&lib, ext, from, to);
            // The check reads every index file: when it says all is well,
            // the index is whole (or was rebuilt when the library opened).
            let out = lib.cmd().args(["sync", "--check"]).output().unwrap();
            let said = String::from_utf8_lossy(&out.stdout);
            if out.status.success() {
                assert_eq!(lib.search_titles(query), before, "{what}: {said}");
                continue;
            }
            assert!(said.contains("damaged search index file"), "{what}: {said}");
            flagged += 1;
            let searched = works_or_names_reindex(&lib, &["search", query], &what);
            let related = works_or_names_reindex(&lib, &["related", &key], &what);
            failed += usize::from(!searched) + usize::from(!related);
            lib.ok(&["reindex"]);
            assert_eq!(lib.search_titles(query), before, "{what}: after reindex");
            lib.ok(&["sync", "--check"]);
        }
    }
    assert!(
        flagged > 0 && failed > 0,
        "the damage went unseen: {flagged} {failed}"
    );
    // While another process holds the index, a reader cannot rebuild it:
    // a file damaged so that it cannot be opened is named in one line.
    copy_dir(&pristine, &index);
    let holder = lectern::Library::open(lib.root()).expect("open");
    assert!(holder.holds_index());
    scramble_index_file(&lib, "term", 0.0, 1.0);
    let err = lib.fails(&["search", query]);
    assert!(err.contains("lectern reindex"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    drop(holder);
    assert_eq!(lib.search_titles(query), before, "rebuilt once free");
}
