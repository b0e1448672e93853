//! Commands that only read the library: `list`, `show`, `search`,
//! `related` and `note list`.

use std::path::Path;

use super::open_for_reading;
use crate::cli::output::Output;
use crate::model::Status;

/// `lectern list`: papers in import order, optionally by tag or status.
pub(in crate::cli) fn list(
    root: &Path,
    out: &Output,
    tag: Option<&str>,
    status: Option<Status>,
) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    if out.is_json() {
        out.list(&lib.list(tag, status)?)
    } else {
        out.listed(&lib.list_brief(tag, status)?)
    }
}

/// `lectern show`: one paper with its notes, highlights and links.
pub(in crate::cli) fn show(root: &Path, out: &Output, paper: &str) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    out.paper(&lib.paper(paper)?)
}

/// `lectern search`: the words of the query, joined, searched.
pub(in crate::cli) fn search(
    root: &Path,
    out: &Output,
    query: &[String],
    limit: usize,
) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    out.search(&lib.search(&query.join(" "), limit)?)
}

/// `lectern related`: similar papers and the links made by hand.
pub(in crate::cli) fn related(
    root: &Path,
    out: &Output,
    paper: &str,
    limit: usize,
) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    out.related(&lib.related(paper, limit)?)
}

/// `lectern note list`: a paper's notes.
pub(in crate::cli) fn note_list(root: &Path, out: &Output, paper: &str) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    out.notes(&lib.notes(paper)?)
}
