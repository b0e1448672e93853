//! The ripgrep peer: the library exported as a folder of Markdown files (the
//! way an Obsidian-style vault is searched), searched with one `rg` process
//! per query word.
//!
//! The export itself is timed too: it is Lectern's "Markdown export" stage.
//!
//! How a query runs ([`patterns`] and [`files_matching`]):
//!
//! * term: every word must occur in the file, in any case, anywhere (a
//!   substring, so `model` also finds `models`). The first word lists the
//!   matching files, `rg -l -i -F --null -- word1 DIR`; each further word
//!   filters that list, `xargs -0 rg -l -i -F --null -- word2`, as one would
//!   in a shell (`rg -l a | xargs rg -l b`). Words are taken in the order
//!   typed; nothing knows which is rarest.
//! * phrase: the phrase as one fixed string, `rg -l -i -F -- "language
//!   models" DIR`.
//!
//! `rg` has no ranking, fuzzy matching or fields, so prefix, field, typo and
//! related queries are not run. Every query pays for starting one or more
//! processes (about a millisecond each), and the files are in the page
//! cache since they were just written: that is how a tool calling `rg`
//! behaves on a warm machine.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};

use super::corpus::Queries;
use super::report::HitStats;
use super::{Latency, latency, ms};
use crate::Library;

/// Everything measured for ripgrep at one corpus size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RgReport {
    /// Lectern's Markdown export of the whole library.
    pub export_s: f64,
    pub export_files_per_s: f64,
    pub files: u64,
    pub folder_mib: f64,
    /// The first query after the export (no index to open).
    pub first_query_ms: Option<f64>,
    /// Queries run per kind (term, phrase).
    pub queries_per_kind: usize,
    pub latencies: Vec<Latency>,
    pub hits: Vec<HitStats>,
}

/// Whether `rg` can be run.
pub fn available() -> bool {
    Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The fixed strings a query needs in a file: each word of a term query, or
/// a quoted phrase as one string.
pub fn patterns(query: &str) -> Vec<String> {
    let q = query.trim();
    if q.len() >= 2 && q.starts_with('"') && q.ends_with('"') {
        let inner = q[1..q.len() - 1].trim();
        return if inner.is_empty() {
            Vec::new()
        } else {
            vec![inner.to_string()]
        };
    }
    q.split_whitespace().map(str::to_string).collect()
}

const RG_ARGS: [&str; 6] = ["-l", "-i", "-F", "--no-ignore", "--null", "--"];

/// Files of `dir` containing every pattern (case-insensitive), as
/// NUL-separated paths.
pub fn files_matching(dir: &Path, patterns: &[String]) -> anyhow::Result<Vec<u8>> {
    let Some((first, rest)) = patterns.split_first() else {
        return Ok(Vec::new());
    };
    let out = Command::new("rg")
        .args(RG_ARGS)
        .arg(first)
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .context("running rg")?;
    // 0: matches, 1: none, 2: an error.
    if !matches!(out.status.code(), Some(0 | 1)) {
        bail!("rg failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    let mut list = out.stdout;
    for pattern in rest {
        if list.is_empty() {
            break;
        }
        let mut child = Command::new("xargs")
            .arg("-0")
            .arg("rg")
            .args(RG_ARGS)
            .arg(pattern)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("running xargs rg")?;
        let mut stdin = child.stdin.take().context("xargs stdin")?;
        // Feed the list while reading the answer, so neither pipe fills up.
        let out = std::thread::scope(|s| {
            let feeder = s.spawn(move || stdin.write_all(&list));
            let out = child.wait_with_output();
            let fed = feeder.join();
            (out, fed)
        });
        let (out, fed) = out;
        let out = out.context("running xargs rg")?;
        match fed {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e).context("feeding xargs"),
            Err(_) => bail!("feeding xargs panicked"),
        }
        // xargs: 123 when some rg found nothing.
        if !matches!(out.status.code(), Some(0 | 123)) {
            bail!(
                "xargs rg failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        list = out.stdout;
    }
    Ok(list)
}

fn count_paths(list: &[u8]) -> usize {
    list.split(|&b| b == 0).filter(|p| !p.is_empty()).count()
}

/// Size in bytes and number of the files directly in `dir`.
fn folder_size(dir: &Path) -> (u64, u64) {
    let mut bytes = 0;
    let mut files = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if let Ok(m) = e.metadata()
                && m.is_file()
            {
                bytes += m.len();
                files += 1;
            }
        }
    }
    (bytes, files)
}

/// Exports `lib` into `dir` (a new folder) and times up to `per_kind` term
/// and phrase queries with `rg`.
pub fn measure(
    lib: &Library,
    dir: &Path,
    queries: &Queries,
    per_kind: usize,
) -> anyhow::Result<RgReport> {
    let t = Instant::now();
    let export = lib.export_markdown(dir)?;
    let export_s = t.elapsed().as_secs_f64();
    let (bytes, files) = folder_size(dir);

    let t = Instant::now();
    let first = files_matching(dir, &patterns("language models"))?;
    let first_query_ms = ms(t.elapsed());
    std::hint::black_box(&first);

    let mut latencies = Vec::new();
    let mut hits = Vec::new();
    let mut ran = 0;
    for (label, list) in [
        ("term (1–3 words)", &queries.terms),
        ("phrase", &queries.phrases),
    ] {
        let mut times = Vec::new();
        let mut counts = Vec::new();
        for q in list.iter().take(per_kind) {
            let t = Instant::now();
            let paths = files_matching(dir, &patterns(q))?;
            times.push(t.elapsed());
            counts.push(count_paths(&paths));
        }
        ran = ran.max(times.len());
        latencies.push(latency(label, times));
        hits.push(HitStats::from_counts(label, &counts));
    }
    Ok(RgReport {
        export_s,
        export_files_per_s: export.written as f64 / export_s,
        files,
        folder_mib: bytes as f64 / (1024.0 * 1024.0),
        first_query_ms: Some(first_query_ms),
        queries_per_kind: ran,
        latencies,
        hits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_terms_and_keeps_phrases_whole() {
        assert_eq!(patterns("diffusion video"), ["diffusion", "video"]);
        assert_eq!(patterns("  transformer "), ["transformer"]);
        assert_eq!(patterns(r#""language models""#), ["language models"]);
        assert!(patterns(r#""""#).is_empty());
        assert!(patterns("").is_empty());
    }

    #[test]
    fn counts_nul_separated_paths() {
        assert_eq!(count_paths(b""), 0);
        assert_eq!(count_paths(b"a.md\0b.md\0"), 2);
    }

    #[test]
    fn every_word_must_occur() {
        if !available() {
            eprintln!("rg not installed: skipped");
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.md"), "Diffusion models for VIDEO").expect("write");
        std::fs::write(dir.path().join("b.md"), "diffusion of heat").expect("write");
        std::fs::write(dir.path().join("c.md"), "video games").expect("write");
        let count = |q: &str| count_paths(&files_matching(dir.path(), &patterns(q)).expect("rg"));
        assert_eq!(count("diffusion"), 2);
        assert_eq!(count("diffusion video"), 1);
        assert_eq!(count("video diffusion heat"), 0);
        assert_eq!(count(r#""models for video""#), 1);
        assert_eq!(count(r#""video models""#), 0);
        assert_eq!(count("-e"), 0);
    }
}
