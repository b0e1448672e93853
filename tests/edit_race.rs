//! An edit saved while Lectern writes the paper files never vanishes: a
//! thread appends a unique line to every paper file, over and over, while
//! imports merge new data into every paper (so every file is rewritten).
//! Afterwards each line must be in the library, in a paper file, or in a
//! conflict copy.
//!
//! `LECTERN_EDIT_RACE_ROUNDS` sets how many imports run (default 3).

mod common;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::Lib;

fn paper_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".md") && !name.starts_with('.') && !name.contains(".conflict-")
        })
        .collect();
    files.sort();
    files
}

/// Every paper file, conflict copy and leftover in `dir`, as one text.
fn all_text(dir: &Path) -> String {
    let mut text = String::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if let Ok(t) = std::fs::read_to_string(e.path()) {
            text.push_str(&t);
            text.push('\n');
        }
    }
    text
}

#[test]
fn edits_saved_during_a_write_out_are_never_lost() {
    let rounds: usize = std::env::var("LECTERN_EDIT_RACE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let lib = Lib::new();
    lib.import_seed();
    let titles: Vec<String> = common::seed_pairs().into_iter().map(|(t, _)| t).collect();
    let papers = lib.root().join("papers");
    let files = paper_files(&papers);
    assert_eq!(files.len(), titles.len());

    let stop = Arc::new(AtomicBool::new(false));
    let appender = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut lines = Vec::new();
            let mut round = 0;
            while !stop.load(Ordering::Relaxed) {
                for (i, f) in files.iter().enumerate() {
                    let line = format!("edit-race-line-{round}-{i}");
                    let mut file = std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(f)
                        .unwrap();
                    file.write_all(format!("\n{line}\n").as_bytes()).unwrap();
                    lines.push(line);
                }
                round += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            lines
        })
    };
    for round in 0..rounds {
        let mut bib = String::new();
        for (i, t) in titles.iter().enumerate() {
            bib.push_str(&format!(
                "@misc{{race{round}x{i},\n  title = {{{}}},\n  keywords = {{round{round}}}\n}}\n\n",
                t.replace(['{', '}'], "")
            ));
        }
        let path = lib.dir.path().join(format!("round{round}.bib"));
        std::fs::write(&path, bib).unwrap();
        let report = lib.json(&["import", path.to_str().unwrap()]);
        assert_eq!(report["added"], 0, "{report}");
    }
    stop.store(true, Ordering::Relaxed);
    let lines = appender.join().unwrap();
    lib.ok(&["sync"]);

    let mut haystack = all_text(&papers);
    haystack.push_str(&lib.ok(&["--json", "list"]));
    let lost: Vec<&String> = lines
        .iter()
        .filter(|l| !haystack.contains(l.as_str()))
        .collect();
    assert!(lines.len() >= 100, "only {} edits were made", lines.len());
    assert!(
        lost.is_empty(),
        "{} of {} edits were lost, e.g. {:?}",
        lost.len(),
        lines.len(),
        lost.iter().take(5).collect::<Vec<_>>()
    );
}

#[test]
fn an_edit_written_after_the_write_out_into_a_file_opened_before_it_is_kept() {
    let lib = Lib::new();
    lib.import_seed();
    let titles: Vec<String> = common::seed_pairs().into_iter().map(|(t, _)| t).collect();
    let papers = lib.root().join("papers");
    let file = paper_files(&papers).remove(0);
    // An editor opens the file, then is held up until the write-out that
    // replaces it has finished.
    let mut editor = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    let mut bib = String::new();
    for (i, t) in titles.iter().enumerate() {
        bib.push_str(&format!(
            "@misc{{late{i},\n  title = {{{}}},\n  keywords = {{late}}\n}}\n\n",
            t.replace(['{', '}'], "")
        ));
    }
    let path = lib.dir.path().join("late.bib");
    std::fs::write(&path, bib).unwrap();
    let out = lib
        .cmd()
        .args(["import", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("still open for writing"), "{said}");
    editor.write_all(b"\nwritten-late-by-the-editor\n").unwrap();
    drop(editor);
    let out = lib.ok(&["sync"]);
    assert!(out.contains("conflict"), "{out}");
    assert!(
        all_text(&papers).contains("written-late-by-the-editor"),
        "the late edit was lost"
    );
    // The set-aside file was taken care of by that sync.
    let left: Vec<String> = std::fs::read_dir(&papers)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".lectern-aside-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
