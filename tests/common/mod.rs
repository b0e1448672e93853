//! Helpers for tests that drive the real `lectern` binary on a temporary
//! library.

#![allow(dead_code, reason = "each test file uses a different subset")]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/trending-papers.txt"
);

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The embedding model `scripts/fetch-model` puts in the test-data cache
/// (`$LECTERN_TEST_DATA` or `${XDG_CACHE_HOME:-$HOME/.cache}/lectern-test-data`,
/// then `models/all-MiniLM-L6-v2`). Without it a test says so and passes,
/// unless `LECTERN_REQUIRE_MODEL=1` (as `scripts/test` sets) makes that a
/// failure.
pub fn test_model() -> Option<PathBuf> {
    if let Some(dir) = lectern::bench::test_model_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("LECTERN_REQUIRE_MODEL").is_none_or(|v| v != "1"),
        "the test model is missing from the test-data cache; scripts/fetch-model fetches it"
    );
    println!("skipped: the test model is not cached; scripts/fetch-model fetches it");
    None
}

/// A temporary library folder, removed when dropped.
pub struct Lib {
    pub dir: tempfile::TempDir,
    /// The embedding model the commands use (`LECTERN_MODEL`): by default
    /// a folder that does not exist, so no test reads the user's.
    pub model: PathBuf,
}

impl Lib {
    pub fn new() -> Lib {
        let dir = tempfile::tempdir().expect("temp dir");
        let model = dir.path().join("no-model");
        Lib { dir, model }
    }

    /// A library whose commands use the test model ([`test_model`]).
    pub fn with_model() -> Option<Lib> {
        let mut lib = Lib::new();
        lib.model = test_model()?;
        Some(lib)
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("library")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("lectern").expect("lectern binary");
        c.env_remove("LECTERN_LIBRARY");
        c.env("LECTERN_MODEL", &self.model);
        c.arg("--library").arg(self.root());
        c
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run lectern");
        assert!(
            out.status.success(),
            "lectern {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs a command with `--json` that must succeed and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let s = self.ok(&all);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("bad JSON from {args:?}: {e}\n{s}"))
    }

    /// Runs a command that must fail; returns its stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run lectern");
        assert!(
            !out.status.success(),
            "lectern {args:?} should have failed; stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err = String::from_utf8(out.stderr).expect("utf-8 stderr");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "error must be one line: {err}"
        );
        err
    }

    pub fn import_seed(&self) -> Value {
        self.json(&["import", SEED])
    }

    /// The citekey of the paper whose title contains `needle`.
    pub fn key_of(&self, needle: &str) -> String {
        let list = self.json(&["list"]);
        list.as_array()
            .expect("list")
            .iter()
            .find(|p| p["title"].as_str().is_some_and(|t| t.contains(needle)))
            .and_then(|p| p["citekey"].as_str())
            .unwrap_or_else(|| panic!("no paper titled like {needle}"))
            .to_string()
    }

    /// Search result titles.
    pub fn search_titles(&self, query: &str) -> Vec<String> {
        self.json(&["search", query])
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| h["title"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Titles of the hits that hold every word of `query` (best match also
    /// lists papers holding only some).
    pub fn titles_holding_every_word(&self, query: &str) -> Vec<String> {
        self.json(&["search", query])
            .as_array()
            .expect("hits")
            .iter()
            .filter(|h| h["missing"].as_array().is_some_and(|m| m.is_empty()))
            .map(|h| h["title"].as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// Titles and abstracts of the seed read the simple way: after the header,
/// non-empty lines alternate title, abstract.
pub fn seed_pairs() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(SEED).expect("seed");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .skip(5)
        .collect();
    lines
        .chunks(2)
        .map(|c| {
            (
                c[0].to_string(),
                c.get(1).copied().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Waits (up to 20 s) until `cond` holds.
pub fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(20) {
        if cond() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

/// Where `scripts/fetch-test-data` keeps its cache: `$LECTERN_TEST_DATA`,
/// else `${XDG_CACHE_HOME:-$HOME/.cache}/lectern-test-data`.
pub fn test_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("LECTERN_TEST_DATA").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .expect("neither XDG_CACHE_HOME nor HOME is set");
    cache.join("lectern-test-data")
}
