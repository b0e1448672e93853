//! Commands that change one paper or the links between papers: `note add`,
//! `annotate`, `link`, `unlink`, `tag`, `untag`, `edit` and `status`.

use std::path::Path;

use anyhow::{Context, bail};

use super::open_library;
use crate::Library;
use crate::cli::args::{EditArgs, NoteAdd};
use crate::cli::output::Output;
use crate::model::{Paper, PaperEdit, Status};

/// `lectern note add`: a Markdown note from `--text` or from a file.
pub(in crate::cli) fn note_add(root: &Path, out: &Output, add: NoteAdd) -> anyhow::Result<()> {
    let body = match (add.text, add.file) {
        (Some(t), _) => t,
        (None, Some(f)) => {
            let bytes = std::fs::read(&f).with_context(|| f.display().to_string())?;
            crate::import::decode(&bytes, &f.display().to_string())?
        }
        (None, None) => bail!("give --text or --file"),
    };
    let mut lib = open_library(root)?;
    out.note(&lib.add_note(&add.paper, &body)?)
}

/// `lectern annotate`: a highlight of a quote of the abstract.
pub(in crate::cli) fn annotate(
    root: &Path,
    out: &Output,
    paper: &str,
    quote: &str,
    comment: Option<&str>,
    color: Option<&str>,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let a = lib.annotate(paper, quote, comment, color)?;
    out.annotation(&a)
}

/// `lectern attach`: a new version of a paper's PDF, its highlights
/// carried over.
pub(in crate::cli) fn attach(
    root: &Path,
    out: &Output,
    paper: &str,
    file: &Path,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let r = lib.replace_pdf(paper, file)?;
    let mut text = format!("Attached {}", r.file);
    if r.highlights > 0 {
        text.push_str(&format!(
            "; {} of {} highlights placed in the new version",
            r.placed, r.highlights
        ));
        let unplaced = r.highlights - r.placed;
        if unplaced > 0 {
            text.push_str(&format!(
                "; {unplaced} could not be placed (kept, marked: {})",
                r.unplaced.join(", ")
            ));
        }
    }
    out.done(&r, &text)
}

/// `lectern read-annotations`: highlights and notes other readers stored
/// in a paper's PDF, into the library.
pub(in crate::cli) fn read_annotations(
    root: &Path,
    out: &Output,
    paper: &str,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let r = lib.read_pdf_annotations(paper)?;
    let text = format!(
        "Read {} annotation{} from {}: {} new",
        r.found,
        if r.found == 1 { "" } else { "s" },
        r.file,
        r.added
    );
    out.done(&r, &text)
}

/// `lectern link`: a typed relation from one paper to another.
pub(in crate::cli) fn link(
    root: &Path,
    out: &Output,
    from: &str,
    to: &str,
    kind: &str,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let new = lib.link(from, to, kind)?;
    out.done(
        &serde_json::json!({"linked": true, "new": new, "kind": kind}),
        &if new {
            format!("Linked {from} -{kind}-> {to}")
        } else {
            format!("{from} -{kind}-> {to} was already linked")
        },
    )
}

/// `lectern unlink`: removes the relations (of one kind, or all) between
/// two papers.
pub(in crate::cli) fn unlink(
    root: &Path,
    out: &Output,
    a: &str,
    b: &str,
    kind: Option<&str>,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let n = lib.unlink(a, b, kind)?;
    out.done(
        &serde_json::json!({"removed": n}),
        &format!("Removed {n} link(s) between {a} and {b}"),
    )
}

/// `lectern tag`: adds tags and prints the paper's tags after.
pub(in crate::cli) fn tag(
    root: &Path,
    out: &Output,
    paper: &str,
    tags: &[String],
) -> anyhow::Result<()> {
    change_tags(root, out, |lib| lib.tag(paper, tags))
}

/// `lectern untag`: removes tags and prints the paper's tags after.
pub(in crate::cli) fn untag(
    root: &Path,
    out: &Output,
    paper: &str,
    tags: &[String],
) -> anyhow::Result<()> {
    change_tags(root, out, |lib| lib.untag(paper, tags))
}

/// Applies a change to a paper's tags and prints the tags it has after.
fn change_tags(
    root: &Path,
    out: &Output,
    change: impl FnOnce(&mut Library) -> crate::Result<Vec<String>>,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let now = change(&mut lib)?;
    out.done(
        &serde_json::json!({"tags": now}),
        &format!("Tags: {}", now.join(", ")),
    )
}

/// `lectern edit`: corrects the fields given and keeps the others.
pub(in crate::cli) fn edit(root: &Path, out: &Output, args: EditArgs) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    let current = lib.paper(&args.paper)?;
    let paper = args.paper.clone();
    let edit = merged_edit(args, current)?;
    let p = lib.edit_paper(&paper, &edit)?;
    out.done(&p, &format!("Edited {}", p.citekey))
}

/// The edit `lectern edit` asks for: each field given on the command line,
/// else the paper's current value.
fn merged_edit(args: EditArgs, current: Paper) -> anyhow::Result<PaperEdit> {
    let year = match args.year.as_deref().map(str::trim) {
        None => current.year,
        Some("" | "none") => None,
        Some(y) => Some(
            y.parse()
                .with_context(|| format!("--year {y} is not a year"))?,
        ),
    };
    Ok(PaperEdit {
        title: args.title.unwrap_or(current.title),
        authors: if args.authors.is_empty() {
            current.authors
        } else {
            args.authors
        },
        year,
        venue: args.venue.or(current.venue),
        doi: args.doi.or(current.doi),
        arxiv: args.arxiv.or(current.arxiv),
    })
}

/// `lectern star`: stars a paper, or takes the star away.
pub(in crate::cli) fn star(root: &Path, out: &Output, paper: &str, on: bool) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    lib.set_starred(paper, on)?;
    out.done(
        &serde_json::json!({"starred": on}),
        &format!("{paper} is {}", if on { "starred" } else { "not starred" }),
    )
}

/// `lectern status`: sets the reading status.
pub(in crate::cli) fn status(
    root: &Path,
    out: &Output,
    paper: &str,
    status: Status,
) -> anyhow::Result<()> {
    let mut lib = open_library(root)?;
    lib.set_status(paper, status)?;
    out.done(
        &serde_json::json!({"status": status}),
        &format!("{paper} is now {status}"),
    )
}
