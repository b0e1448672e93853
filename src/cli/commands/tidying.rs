//! Commands that remove, bring back or fold papers together: `delete`,
//! `trash list`, `trash restore`, `duplicates` and `merge`.

use std::path::Path;

use super::{open_for_reading, open_library};
use crate::cli::output::Output;

/// `lectern delete`: moves a paper to the trash.
pub(in crate::cli) fn delete(root: &Path, out: &Output, paper: &str) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let entry = lib.delete_paper(paper)?;
    out.done(
        &entry,
        &format!(
            "Moved {} to the trash (`lectern trash restore {}` brings it back)",
            entry.citekey, entry.citekey
        ),
    )
}

/// `lectern trash list`: the trash, newest first.
pub(in crate::cli) fn trash_list(root: &Path, out: &Output) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    let entries = lib.trash()?;
    let text = if entries.is_empty() {
        "The trash is empty.".to_string()
    } else {
        entries
            .iter()
            .map(|e| format!("{}  {}  {}", e.deleted, e.citekey, e.title))
            .collect::<Vec<_>>()
            .join("\n")
    };
    out.done(&entries, &text)
}

/// `lectern trash restore`: brings a paper back from the trash.
pub(in crate::cli) fn trash_restore(root: &Path, out: &Output, paper: &str) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let citekey = lib.restore_paper(paper)?;
    out.done(
        &serde_json::json!({"citekey": citekey}),
        &format!("Restored {citekey}"),
    )
}

/// `lectern duplicates`: pairs of papers with one title that the library
/// keeps apart, and why.
pub(in crate::cli) fn duplicates(root: &Path, out: &Output, limit: usize) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    let pairs = lib.possible_duplicates(limit)?;
    let text = if pairs.is_empty() {
        "No two papers share a title.".to_string()
    } else {
        let year = |y: Option<i32>| y.map(|y| format!(" ({y})")).unwrap_or_default();
        pairs
            .iter()
            .map(|d| {
                format!(
                    "{}{}  ~  {}{}  {}: {}",
                    d.a_citekey,
                    year(d.a_year),
                    d.b_citekey,
                    year(d.b_year),
                    d.a_title,
                    d.reason
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n(`lectern merge KEEP OTHER` merges a pair)"
    };
    out.done(&pairs, &text)
}

/// `lectern merge`: folds OTHER into KEEP; OTHER's citekey becomes an
/// alias of KEEP.
pub(in crate::cli) fn merge(
    root: &Path,
    out: &Output,
    keep: &str,
    other: &str,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let gone = lib.paper(other)?.citekey;
    let paper = lib.merge_papers(keep, other)?;
    out.done(
        &paper,
        &format!(
            "Merged {gone} into {} (`{gone}` is now an alias of it)",
            paper.citekey
        ),
    )
}
