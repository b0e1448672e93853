//! Library-folder stages of `lectern bench`: writing out every paper file
//! of a library that has none yet, a sync with nothing changed, one edited
//! file reflected in search, and a sync after 1 % of the files changed.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::Library;

/// Edits timed one at a time for the edit → search figure.
const SINGLE_EDITS: usize = 5;
/// Syncs with nothing changed.
const UNCHANGED_RUNS: usize = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FolderFigures {
    pub files: usize,
    /// Writing `papers/<citekey>.md` for every paper.
    pub write_out_s: f64,
    /// `sync` with nothing changed (median).
    pub sync_unchanged_ms: f64,
    /// One paper file edited → sync → the edit is found by search (median).
    pub edit_to_search_ms: f64,
    /// The same when the watcher names the file: sync of that path only
    /// (median; the watcher's debounce of 0.2 s comes on top).
    pub edit_to_search_watched_ms: f64,
    /// Files changed for the 1 % figure.
    pub changed_files: usize,
    /// `sync` after 1 % of the files changed.
    pub sync_changed_s: f64,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Appends a line to a paper file, as an editor would.
fn edit(path: &Path, line: &str) -> anyhow::Result<()> {
    let mut text = std::fs::read_to_string(path)?;
    text.push_str(&format!("\n{line}\n"));
    std::fs::write(path, text)?;
    Ok(())
}

/// Runs the folder stages on the library at `root` (imported without its
/// folder).
pub fn measure(root: &Path) -> anyhow::Result<FolderFigures> {
    let mut lib = Library::open_with(root, crate::library::Opening::BULK)?;
    eprintln!("writing the library folder…");
    let t = Instant::now();
    let written = lib.write_folder()?;
    let write_out_s = t.elapsed().as_secs_f64();

    eprintln!("syncing with nothing changed…");
    let mut unchanged = Vec::new();
    for _ in 0..UNCHANGED_RUNS {
        let t = Instant::now();
        let r = lib.sync()?;
        unchanged.push(t.elapsed());
        anyhow::ensure!(
            !r.changed(),
            "a sync with nothing changed changed something: {r:?}"
        );
    }

    let mut files: Vec<_> = std::fs::read_dir(root.join(crate::sync::PAPERS_DIR))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    anyhow::ensure!(!files.is_empty(), "no paper files were written");

    eprintln!("editing one file at a time…");
    let mut single = Vec::new();
    let mut watched = Vec::new();
    let step = (files.len() / SINGLE_EDITS).max(1);
    for (i, path) in files.iter().step_by(step).take(SINGLE_EDITS).enumerate() {
        for (scoped, times) in [(false, &mut single), (true, &mut watched)] {
            let word = format!("qzxbenchedit{i}x{}", u8::from(scoped));
            // Let the mtime move past the last recorded one.
            std::thread::sleep(Duration::from_millis(5));
            edit(path, &format!("An edit made elsewhere: {word}."))?;
            let t = Instant::now();
            if scoped {
                lib.sync_paths(std::slice::from_ref(path))?;
            } else {
                lib.sync()?;
            }
            let hits = lib.search(&word, 10)?;
            times.push(t.elapsed());
            anyhow::ensure!(
                hits.len() == 1,
                "the edit `{word}` was not found after sync"
            );
        }
    }

    let changed_files = (files.len() / 100).max(1);
    eprintln!("changing {changed_files} files…");
    let step = (files.len() / changed_files).max(1);
    for path in files.iter().step_by(step).take(changed_files) {
        edit(path, "A batch edit made elsewhere.")?;
    }
    let t = Instant::now();
    let r = lib.sync()?;
    let sync_changed_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        r.applied >= changed_files,
        "expected {changed_files} files applied, got {}",
        r.applied
    );
    Ok(FolderFigures {
        files: written.written,
        write_out_s,
        sync_unchanged_ms: median(unchanged).as_secs_f64() * 1000.0,
        edit_to_search_ms: median(single).as_secs_f64() * 1000.0,
        edit_to_search_watched_ms: median(watched).as_secs_f64() * 1000.0,
        changed_files,
        sync_changed_s,
    })
}

/// The folder figures as a Markdown table.
pub fn table(f: &FolderFigures) -> String {
    format!(
        "\n### Library folder\n\n| stage | figure |\n|---|---|\n\
         | write out {} paper files | {:.1} s |\n\
         | sync, nothing changed (median of {UNCHANGED_RUNS}) | {:.0} ms |\n\
         | one file edited → sync → found by search (median of {SINGLE_EDITS}) | {:.0} ms |\n\
         | … when the watcher names the file (plus its 0.2 s debounce) | {:.0} ms |\n\
         | sync after {} files (1 %) changed | {:.2} s |\n",
        f.files,
        f.write_out_s,
        f.sync_unchanged_ms,
        f.edit_to_search_ms,
        f.edit_to_search_watched_ms,
        f.changed_files,
        f.sync_changed_s
    )
}
