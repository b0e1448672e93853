//! The side-by-side report: hit statistics shared by the engines, the
//! Markdown comparison table, the JSON document and the machine it ran on.

use serde::{Deserialize, Serialize};

use super::BenchReport;
use super::fts5::Fts5Report;
use super::ripgrep::RgReport;
use crate::model::NewPaper;

/// How many queries of one kind returned at least one hit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HitStats {
    pub kind: String,
    pub queries: usize,
    pub with_hits: usize,
}

impl HitStats {
    /// Counts the queries in `found` (one list of hits per query) with hits.
    pub fn count<T>(kind: &str, found: &[Vec<T>]) -> HitStats {
        HitStats {
            kind: kind.to_string(),
            queries: found.len(),
            with_hits: found.iter().filter(|hits| !hits.is_empty()).count(),
        }
    }

    /// Counts the queries with hits from the number of hits of each.
    pub fn from_counts(kind: &str, counts: &[usize]) -> HitStats {
        HitStats {
            kind: kind.to_string(),
            queries: counts.len(),
            with_hits: counts.iter().filter(|&&n| n > 0).count(),
        }
    }
}

/// How the misspelled queries fared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TypoStats {
    pub queries: usize,
    /// Queries that returned anything.
    pub with_hits: usize,
    /// Queries whose top 10 hold a paper whose title or abstract contains
    /// the word the user meant.
    pub found_intended: usize,
}

impl TypoStats {
    /// Scores the hits of each typo query against the intended words;
    /// `paper` looks a hit up.
    pub fn score<T: Copy>(
        found: &[Vec<T>],
        intended: &[String],
        paper: impl Fn(T) -> Option<NewPaper>,
    ) -> TypoStats {
        let mut stats = TypoStats {
            queries: found.len(),
            ..TypoStats::default()
        };
        for (hits, word) in found.iter().zip(intended) {
            if hits.is_empty() {
                continue;
            }
            stats.with_hits += 1;
            let word = word.to_lowercase();
            let meant = hits.iter().any(|&h| {
                paper(h).is_some_and(|p| {
                    p.title.to_lowercase().contains(&word)
                        || p.abstract_text.to_lowercase().contains(&word)
                })
            });
            if meant {
                stats.found_intended += 1;
            }
        }
        stats
    }
}

/// How often the paper a query was made from (its target) came back
/// first, and within the first 10.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetStats {
    pub queries: usize,
    pub first: usize,
    pub in_top_10: usize,
}

impl TargetStats {
    /// Scores the hits of each query (best first) against its target.
    pub fn score<T: PartialEq>(found: &[Vec<T>], targets: &[T]) -> TargetStats {
        let mut stats = TargetStats {
            queries: found.len(),
            ..TargetStats::default()
        };
        for (hits, target) in found.iter().zip(targets) {
            match hits.iter().take(10).position(|h| h == target) {
                Some(0) => {
                    stats.first += 1;
                    stats.in_top_10 += 1;
                }
                Some(_) => stats.in_top_10 += 1,
                None => {}
            }
        }
        stats
    }

    /// The share of queries whose target came first, in percent.
    pub fn first_percent(&self) -> f64 {
        100.0 * self.first as f64 / self.queries.max(1) as f64
    }
}

/// Lectern's answers judged like the peers'.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LecternQuality {
    pub hits: Vec<HitStats>,
    pub typo: TypoStats,
    /// Best-match queries whose target paper came first.
    #[serde(default)]
    pub best_match: TargetStats,
}

/// Everything measured at one corpus size.
#[derive(Debug, Serialize)]
pub struct SizeRun {
    pub papers: u64,
    pub lectern: BenchReport,
    pub lectern_quality: LecternQuality,
    /// `None` when not asked for.
    pub fts5: Option<Fts5Report>,
    pub ripgrep: Option<RgReport>,
    /// Peers skipped and other remarks, also printed under the table.
    pub notes: Vec<String>,
    /// The library-folder stages (`None` with `--no-folder`).
    pub folder: Option<super::folder::FolderFigures>,
    /// The `lectern` command timed from outside (`None` without `--cli`).
    pub cli: Option<super::cli_stage::CliFigures>,
}

/// Where and when the benchmark ran.
#[derive(Debug, Serialize)]
pub struct Machine {
    pub cores: usize,
    pub memory_mib: Option<u64>,
    pub os: Option<String>,
}

impl Machine {
    /// Reads the machine's facts (Linux files; missing ones are `None`).
    pub fn probe() -> Machine {
        let memory_mib = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|s| meminfo_total_mib(&s));
        let os = std::fs::read_to_string("/etc/os-release")
            .ok()
            .and_then(|s| os_pretty_name(&s));
        Machine {
            cores: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            memory_mib,
            os,
        }
    }
}

fn meminfo_total_mib(meminfo: &str) -> Option<u64> {
    meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| kb / 1024)
}

fn os_pretty_name(os_release: &str) -> Option<String> {
    os_release
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim().trim_matches('"').to_string())
}

/// The JSON document `--json` prints and `--json-out` writes.
#[derive(Debug, Serialize)]
pub struct Document {
    pub date: String,
    pub git_commit: Option<String>,
    pub machine: Machine,
    pub seed: u64,
    pub topics: u32,
    pub queries: usize,
    pub runs: Vec<SizeRun>,
}

impl Document {
    pub fn new(seed: u64, topics: u32, queries: usize, runs: Vec<SizeRun>) -> Document {
        Document {
            date: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            git_commit: git_commit(),
            machine: Machine::probe(),
            seed,
            topics,
            queries,
            runs,
        }
    }
}

/// The checked-out commit, when run inside a git work tree.
pub(super) fn git_commit() -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let hash = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !hash.is_empty()).then_some(hash)
}

/// Resets this process's peak resident memory to its current size (Linux
/// 4.0+), so each corpus size reports its own peak. Best effort.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

const NA: &str = "—";

/// Milliseconds with a precision that suits their size; "—" when unknown.
pub fn fmt_ms(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => {
            if x < 10.0 {
                format!("{x:.2} ms")
            } else if x < 100.0 {
                format!("{x:.1} ms")
            } else {
                format!("{x:.0} ms")
            }
        }
        _ => NA.to_string(),
    }
}

/// `a / b` as `0.25×`; "—" when either is unknown or `b` is zero.
pub fn fmt_ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() && b != 0.0 => {
            let r = a / b;
            if r < 0.1 {
                format!("{r:.3}×")
            } else if r < 10.0 {
                format!("{r:.2}×")
            } else {
                format!("{r:.0}×")
            }
        }
        _ => NA.to_string(),
    }
}

fn fmt_count(n: f64) -> String {
    let digits = format!("{:.0}", n.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn fmt_build(seconds: Option<f64>, per_s: Option<f64>) -> String {
    match (seconds, per_s) {
        (Some(s), Some(r)) if s.is_finite() && r.is_finite() => {
            format!("{s:.2} s ({}/s)", fmt_count(r))
        }
        _ => NA.to_string(),
    }
}

fn p(latencies: &[super::Latency], kind: &str, pick: fn(&super::Latency) -> f64) -> Option<f64> {
    latencies
        .iter()
        .find(|l| l.kind.starts_with(kind) && l.queries > 0)
        .map(pick)
}

fn hit_rate(hits: &[HitStats]) -> String {
    if hits.is_empty() {
        return NA.to_string();
    }
    hits.iter()
        .map(|h| {
            let kind = h.kind.split_whitespace().next().unwrap_or_default();
            let share = 100.0 * (h.queries - h.with_hits) as f64 / h.queries.max(1) as f64;
            format!("{kind} {share:.0}%")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn typo_cell(t: &TypoStats) -> String {
    format!(
        "{}/{} hits, {}/{} meant",
        t.with_hits, t.queries, t.found_intended, t.queries
    )
}

fn target_cell(t: &TargetStats) -> String {
    if t.queries == 0 {
        return NA.to_string();
    }
    format!(
        "{:.0}% ({}/{}; top 10: {})",
        t.first_percent(),
        t.first,
        t.queries,
        t.in_top_10
    )
}

/// One row: label, values per engine (for the ratios) and cells.
struct Row {
    label: String,
    cells: [String; 3],
    values: [Option<f64>; 3],
}

impl Row {
    fn ms(label: &str, values: [Option<f64>; 3]) -> Row {
        Row {
            label: label.to_string(),
            cells: values.map(fmt_ms),
            values,
        }
    }

    fn text(label: &str, cells: [String; 3]) -> Row {
        Row {
            label: label.to_string(),
            cells,
            values: [None; 3],
        }
    }
}

/// The comparison table of one size, in Markdown.
pub fn table(run: &SizeRun) -> String {
    use std::fmt::Write as _;
    let mut rows = speed_rows(run);
    rows.extend(quality_rows(run));
    rows.extend(cost_rows(run));

    let mut out = String::new();
    let _ = writeln!(
        out,
        "## lectern bench: {} papers, seed {}\n",
        fmt_count(run.papers as f64),
        run.lectern.seed
    );
    let _ = writeln!(
        out,
        "| stage | Lectern | FTS5 | ripgrep | Lectern/FTS5 | Lectern/rg |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for r in &rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.label,
            r.cells[0],
            r.cells[1],
            r.cells[2],
            fmt_ratio(r.values[0], r.values[1]),
            fmt_ratio(r.values[0], r.values[2]),
        );
    }
    out.push_str(&table_notes(run));
    out
}

/// The rows of times: import or build, opening, and the query latencies.
fn speed_rows(run: &SizeRun) -> Vec<Row> {
    let l = &run.lectern;
    let f = run.fts5.as_ref();
    let g = run.ripgrep.as_ref();
    let lat = |kind: &str, pick: fn(&super::Latency) -> f64| -> [Option<f64>; 3] {
        [
            p(&l.latencies, kind, pick),
            f.and_then(|f| p(&f.latencies, kind, pick)),
            g.and_then(|g| p(&g.latencies, kind, pick)),
        ]
    };
    let p50 = |x: &super::Latency| x.p50_ms;
    let p99 = |x: &super::Latency| x.p99_ms;
    let finite = |x: f64| x.is_finite().then_some(x);
    vec![
        Row {
            label: "import / build".into(),
            cells: [
                fmt_build(finite(l.import_s), finite(l.import_papers_per_s)),
                f.map(|f| fmt_build(Some(f.build_s), Some(f.build_papers_per_s)))
                    .unwrap_or_else(|| NA.into()),
                NA.into(),
            ],
            values: [finite(l.import_s), f.map(|f| f.build_s), None],
        },
        Row::ms(
            "open + first query",
            [
                Some(l.open_first_query_ms),
                f.map(|f| f.open_first_query_ms),
                g.and_then(|g| g.first_query_ms),
            ],
        ),
        Row::ms("term p50", lat("term", p50)),
        Row::ms("term p99", lat("term", p99)),
        Row::ms("prefix (as you type) p99", lat("prefix", p99)),
        Row::ms("phrase p99", lat("phrase", p99)),
        Row::ms("field p99", lat("field", p99)),
        Row::ms("typo p99", lat("typo", p99)),
        Row::ms("best match (words missing) p99", lat("best match", p99)),
        Row::ms("related p99", lat("related", p99)),
    ]
}

/// The rows of result quality: related precision, typos, empty answers.
fn quality_rows(run: &SizeRun) -> Vec<Row> {
    let l = &run.lectern;
    let f = run.fts5.as_ref();
    let g = run.ripgrep.as_ref();
    vec![
        Row {
            label: "related precision@10".into(),
            cells: [
                format!("{:.3}", l.related_precision_at_10),
                f.map(|f| format!("{:.3}", f.related_precision_at_10))
                    .unwrap_or_else(|| NA.into()),
                NA.into(),
            ],
            values: [
                Some(l.related_precision_at_10),
                f.map(|f| f.related_precision_at_10),
                None,
            ],
        },
        Row {
            label: "best match: target first".into(),
            cells: [
                target_cell(&run.lectern_quality.best_match),
                f.map(|f| target_cell(&f.best_match))
                    .unwrap_or_else(|| NA.into()),
                NA.into(),
            ],
            values: [
                (run.lectern_quality.best_match.queries > 0)
                    .then(|| run.lectern_quality.best_match.first_percent()),
                f.filter(|f| f.best_match.queries > 0)
                    .map(|f| f.best_match.first_percent()),
                None,
            ],
        },
        Row::text(
            "typo queries: with hits, finding the meant word",
            [
                typo_cell(&run.lectern_quality.typo),
                f.map(|f| typo_cell(&f.typo)).unwrap_or_else(|| NA.into()),
                NA.into(),
            ],
        ),
        Row::text(
            "queries with no hit",
            [
                hit_rate(&run.lectern_quality.hits),
                f.map(|f| hit_rate(&f.hits)).unwrap_or_else(|| NA.into()),
                g.map(|g| hit_rate(&g.hits)).unwrap_or_else(|| NA.into()),
            ],
        ),
    ]
}

/// The rows of what a run costs besides time per query: the Markdown
/// export ripgrep searches, and peak memory.
fn cost_rows(run: &SizeRun) -> Vec<Row> {
    let l = &run.lectern;
    let f = run.fts5.as_ref();
    let g = run.ripgrep.as_ref();
    vec![
        Row {
            label: "markdown export".into(),
            cells: [
                g.map(|g| fmt_build(Some(g.export_s), Some(g.export_files_per_s)))
                    .unwrap_or_else(|| NA.into()),
                NA.into(),
                NA.into(),
            ],
            values: [None; 3],
        },
        Row {
            label: "peak memory".into(),
            cells: [
                format!("{:.0} MiB", l.peak_rss_mib),
                f.map(|f| match f.peak_rss_mib {
                    Some(m) => format!("{m:.0} MiB"),
                    None => NA.into(),
                })
                .unwrap_or_else(|| NA.into()),
                NA.into(),
            ],
            values: [Some(l.peak_rss_mib), f.and_then(|f| f.peak_rss_mib), None],
        },
    ]
}

/// The lines under the table: how to read the ratios, what each peer
/// measured, and the run's own notes.
fn table_notes(run: &SizeRun) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nRatios are Lectern's figure over the peer's: below 1 Lectern is faster \
         (times, memory); for precision and target-first rates above 1 is better."
    );
    if let Some(f) = &run.fts5 {
        let _ = writeln!(
            out,
            "FTS5: {:.0} MiB database; peak memory is its own process's (corpus generation included, \
             as for Lectern).",
            f.db_mib
        );
    }
    if let Some(g) = &run.ripgrep {
        let _ = writeln!(
            out,
            "ripgrep: {} queries per kind (term, phrase), one `rg` process per word over {} \
             Markdown files ({:.0} MiB); times include process start-up.",
            g.queries_per_kind,
            fmt_count(g.files as f64),
            g.folder_mib
        );
    }
    for note in &run.notes {
        let _ = writeln!(out, "{note}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::{Latency, latency};
    use std::time::Duration;

    #[test]
    fn percentiles_pick_the_right_samples() {
        let samples: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let l = latency("x", samples);
        assert_eq!(l.queries, 100);
        assert_eq!(l.p50_ms, 50.0);
        assert_eq!(l.p90_ms, 90.0);
        assert_eq!(l.p99_ms, 99.0);
        assert_eq!(l.max_ms, 100.0);
        let one = latency("y", vec![Duration::from_micros(1500)]);
        assert_eq!((one.p50_ms, one.p99_ms), (1.5, 1.5));
        let none = latency("z", Vec::new());
        assert_eq!((none.queries, none.p99_ms), (0, 0.0));
    }

    #[test]
    fn formats_times_and_ratios() {
        assert_eq!(fmt_ms(Some(0.4567)), "0.46 ms");
        assert_eq!(fmt_ms(Some(12.34)), "12.3 ms");
        assert_eq!(fmt_ms(Some(1234.4)), "1234 ms");
        assert_eq!(fmt_ms(None), "—");
        assert_eq!(fmt_ms(Some(f64::NAN)), "—");
        assert_eq!(fmt_ratio(Some(1.0), Some(4.0)), "0.25×");
        assert_eq!(fmt_ratio(Some(1.0), Some(40.0)), "0.025×");
        assert_eq!(fmt_ratio(Some(30.0), Some(2.0)), "15×");
        assert_eq!(fmt_ratio(Some(1.0), Some(0.0)), "—");
        assert_eq!(fmt_ratio(None, Some(1.0)), "—");
        assert_eq!(fmt_ratio(Some(f64::NAN), Some(1.0)), "—");
        assert_eq!(fmt_count(1234567.0), "1,234,567");
        assert_eq!(fmt_count(999.0), "999");
        assert_eq!(fmt_build(Some(4.9), Some(20408.2)), "4.90 s (20,408/s)");
    }

    #[test]
    fn reads_machine_facts() {
        assert_eq!(
            meminfo_total_mib("MemTotal:       24684032 kB\nMemFree: 1 kB\n"),
            Some(24105)
        );
        assert_eq!(meminfo_total_mib("nothing"), None);
        assert_eq!(
            os_pretty_name("NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
                .as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert!(Machine::probe().cores >= 1);
    }

    #[test]
    fn scores_typos_against_the_meant_word() {
        let paper = |title: &str| NewPaper {
            title: title.into(),
            ..NewPaper::default()
        };
        let papers = [paper("Transformers for Video"), paper("Graph Networks")];
        let found: Vec<Vec<usize>> = vec![vec![0], vec![1], vec![]];
        let meant = ["transformers".to_string(), "video".into(), "graph".into()];
        let stats = TypoStats::score(&found, &meant, |i| papers.get(i).cloned());
        assert_eq!(
            stats,
            TypoStats {
                queries: 3,
                with_hits: 2,
                found_intended: 1
            }
        );
        let hits = HitStats::count("k", &found);
        assert_eq!((hits.queries, hits.with_hits), (3, 2));
        let found: Vec<Vec<u64>> = vec![vec![4, 2], vec![1, 2, 3], vec![], vec![9]];
        let targets = TargetStats::score(&found, &[4, 3, 1, 7]);
        assert_eq!(
            targets,
            TargetStats {
                queries: 4,
                first: 1,
                in_top_10: 2
            }
        );
        assert_eq!(targets.first_percent(), 25.0);
    }

    #[test]
    fn table_has_every_stage_and_dashes_for_missing_peers() {
        let lat = |kind: &str, p99: f64| Latency {
            kind: kind.into(),
            queries: 10,
            p50_ms: p99 / 2.0,
            p90_ms: p99,
            p99_ms: p99,
            max_ms: p99,
        };
        let run = SizeRun {
            papers: 10_000,
            lectern: BenchReport {
                papers: 10_000,
                seed: 1,
                generate_s: 0.1,
                import_s: 0.5,
                import_papers_per_s: 20_000.0,
                peak_rss_mib: 95.0,
                open_first_query_ms: 5.0,
                latencies: vec![
                    lat("term (1–3 words)", 1.0),
                    lat("prefix (as you type)", 2.0),
                    lat("phrase", 1.5),
                    lat("typo", 1.6),
                    lat("field", 0.8),
                    lat(crate::bench::BEST_MATCH, 1.1),
                    lat("related", 1.2),
                ],
                related_precision_at_10: 0.99,
                typing_top10_kept: 0.8,
            },
            lectern_quality: LecternQuality {
                best_match: TargetStats {
                    queries: 20,
                    first: 15,
                    in_top_10: 19,
                },
                ..LecternQuality::default()
            },
            fts5: None,
            ripgrep: None,
            notes: vec!["rg not installed: ripgrep skipped".into()],
            folder: None,
            cli: None,
        };
        let t = table(&run);
        for stage in [
            "import",
            "open + first query",
            "term p50",
            "term p99",
            "prefix",
            "phrase p99",
            "field p99",
            "typo p99",
            "best match (words missing) p99",
            "best match: target first",
            "related p99",
            "related precision@10",
            "markdown export",
            "peak memory",
        ] {
            assert!(t.contains(&format!("| {stage}")), "{stage} missing:\n{t}");
        }
        assert!(t.contains("| term p99 | 1.00 ms | — | — | — | — |"), "{t}");
        assert!(
            t.contains("| best match: target first | 75% (15/20; top 10: 19) | — |"),
            "{t}"
        );
        assert!(t.contains("rg not installed"));
        assert!(t.contains("10,000 papers"));
    }
}
