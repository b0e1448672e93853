//! BibTeX / BibLaTeX importer.
//!
//! The file is first cut into top-level `@type{…}` blocks by a small scanner
//! of our own (it only tracks braces, quotes and `%` comments, so it is
//! linear in the file size and knows the line every block starts on). Each
//! block is then read by the [`biblatex`] crate on its own, so one broken
//! entry becomes a [`Problem`] and the entries around it still import.
//! `biblatex` does the field syntax, the LaTeX → Unicode conversion
//! (`{\"o}` → ö, `\'{e}` → é, `{\ss}` → ß, `--` → –, `\&` → &) and the
//! splitting of names into given / prefix / family parts.
//!
//! The work is split along those steps: `blocks` cuts the file into
//! blocks, `macros` expands `@string` macros, `entry` reads one entry's
//! fields (with `crossref` / `xdata` inheritance), `latex` turns LaTeX
//! into text through `biblatex`, and `paper` builds the paper. DOIs, arXiv
//! ids, dates, month names and tags are read by the importers' shared
//! helpers ([`super::ids`], `dates`, `fields`).
//!
//! Quirks handled:
//! - `@string` macros, concatenation with `#`, and the month macros `jan` …
//!   `dec`. A macro is expanded once, when it is defined, and looked up by
//!   name (case-insensitively) for each entry, so a file with many macros
//!   and many entries stays linear. A macro used before its definition still
//!   resolves (BibTeX would refuse); an undefined one is left empty with a
//!   warning.
//! - `crossref` and `xdata`: the child inherits every field it lacks from
//!   the parent (wherever the parent is in the file), except fields that
//!   identify the parent itself (title, DOI, URL, eprint, abstract, note,
//!   keywords, …); the parent's title becomes the child's `booktitle`.
//! - `@comment`, `@preamble` and text between entries are skipped silently;
//!   `@set` and `@xdata` blocks are used as parents only.
//! - Entries delimited by parentheses: `@article(key, …)`.
//! - `%` comments between fields.
//! - A block that is never closed ends at the next line that starts a new
//!   entry, so a missing `}` loses only its own entry.
//! - Ties `~` become spaces; formatting commands (`\emph{…}`, `\textbf{…}`,
//!   `{\em …}`, `\url{…}`, `\href{…}{text}`) keep only their text; protected
//!   `{Braces}` are dropped from the stored title, and the title as written
//!   is kept in `extra` as `title_raw` when it had such braces or math, so
//!   the exporter can write it back unchanged.
//! - `author`: split at `and`; "Family, Given" with particles kept with the
//!   family name ("van der Maaten, Laurens"), "Family, Jr., Given" for a
//!   suffix, and a braced corporate author (`{World Health Organization}`)
//!   kept whole. Other name lists (`editor`, `translator`, …) go to `extra`
//!   in the same format joined with " and ".
//! - `doi` (a `https://doi.org/` or `doi:` prefix is stripped), `eprint` with
//!   `archiveprefix = {arXiv}` / `eprinttype = {arxiv}` (or a bare arXiv id),
//!   `journal = {arXiv preprint arXiv:…}`, and arXiv / DOI URLs all set the
//!   identifiers; `url` (several may be separated by spaces) and a
//!   URL-only `howpublished` become links.
//! - `keywords` split on `,` or `;` become tags (inner spaces → `-`).
//! - `date = {2021-06-01}` (BibLaTeX) gives the year, and month and day go
//!   to `extra`; `month` is normalized to "1".."12" (`jan`, `January`,
//!   `Jan.`, `01`).
//! - `pages` keeps `12--19` (the en dash `biblatex` makes is turned back).
//! - `url`, `doi`, `eprint`, `file` and the other verbatim fields are taken
//!   as written (no LaTeX conversion), only `\_`-style escapes are undone in
//!   URLs and identifiers.
//! - Abstracts and notes keep paragraph breaks (a blank line in the source).
//!
//! Limits: math (`$x^2$`) stays as LaTeX source in the text; unknown
//! commands are kept as written (`\cite{x}`) and `@preamble` definitions are
//! not applied; a quoted value containing a `"` inside braces (`"a {"} b"`)
//! is not read; when a field is repeated only the first one is kept;
//! `note`, `annote` and `annotation` are merged into the note; BibTeX's
//! `and others` stays as an author called "others"; only the title keeps
//! its raw form (`title_raw`), other fields lose protective braces.

mod blocks;
mod entry;
mod latex;
mod macros;
mod paper;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use biblatex::ChunksExt;

use super::Parsed;
use crate::model::Problem;
use crate::text::fold_whitespace as fold;
use blocks::{BlockState, Item, at_line_start, block_key, key_span, split_blocks};
use entry::{Context, read_entry};
pub(crate) use entry::{is_person_field, is_verbatim};
pub(crate) use latex::braces_balanced;
use latex::{latex_convert, prepare_latex};
use macros::Macros;

/// Braces nested deeper than this are refused: `biblatex` reads nested
/// command arguments recursively, and no real entry comes near this.
const MAX_DEPTH: usize = 64;

/// A macro or field growing past this through `@string` expansion is
/// refused, which stops macros that double themselves from eating memory.
const MAX_FIELD_LEN: usize = 1 << 20;

/// Whether `text` looks like a BibTeX file: [`starts_like`] or
/// [`has_entries`].
pub fn looks_like(text: &str) -> bool {
    starts_like(text) || has_entries(text)
}

/// Whether `text` starts like a BibTeX file: its first line that is neither
/// blank nor a `%` comment starts with `@`, letters, and `{` or `(` (or
/// ends there, the delimiter coming on the next line).
pub fn starts_like(text: &str) -> bool {
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('%') {
            continue;
        }
        let Some(rest) = line.strip_prefix('@') else {
            return false;
        };
        let letters = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        if letters == 0 {
            return false;
        }
        let after = rest[letters..].trim_start();
        return after.is_empty() || after.starts_with('{') || after.starts_with('(');
    }
    false
}

/// Whether the whole of `text` reads as BibTeX even though it does not
/// start like it: it has entries with keys (`@type{key,` at the start of a
/// line, the delimiter possibly on the next line), and at least as many of
/// its lines are inside `@` blocks as outside. So a preamble of stray text
/// (a copyright notice, "This file was created with …") does not hide the
/// entries after it, while a text that only quotes an entry somewhere (a
/// papers listing with a "cite as" block) is not taken for BibTeX. Linear
/// in the size of the text.
pub fn has_entries(text: &str) -> bool {
    let b = text.as_bytes();
    let mut entries = 0usize;
    let mut inside = 0usize;
    for item in split_blocks(text) {
        let Item::Block(block) = item else { continue };
        if !at_line_start(b, block.start) {
            continue;
        }
        inside += content_lines(block.text);
        let is_entry = !matches!(block.kind_lower.as_str(), "comment" | "preamble" | "string")
            && block.state == BlockState::Closed
            && has_key_comma(block.text);
        entries += usize::from(is_entry);
    }
    entries > 0 && inside >= content_lines(text).saturating_sub(inside)
}

/// Lines that are neither blank nor `%` comments.
fn content_lines(text: &str) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('%'))
        .count()
}

/// Whether the key after a block's opening delimiter is followed by a
/// comma (`@article{key,`), as in every entry with fields.
fn has_key_comma(block: &str) -> bool {
    key_span(block).is_some_and(|(_, end)| block[end..].trim_start().starts_with(','))
}

/// Parses BibTeX / BibLaTeX text. `source` names the input in problem
/// locations (`source:line`, the line where the entry starts).
pub fn parse(text: &str, source: &str) -> Parsed {
    let items = split_blocks(text);
    let mut problems: Vec<(usize, String)> = Vec::new();
    let mut macros = Macros::default();
    let mut keys: HashMap<String, usize> = HashMap::new();

    // Pass 1: macros, and where each entry key is (for crossref).
    for (idx, item) in items.iter().enumerate() {
        let block = match item {
            Item::Stray { line, message } => {
                problems.push((*line, message.clone()));
                continue;
            }
            Item::Block(block) => block,
        };
        match block.kind_lower.as_str() {
            "comment" | "preamble" => {}
            "string" => macros.define(block, idx, &mut problems),
            _ => {
                if let Some(key) = block_key(block.text) {
                    keys.entry(key.to_lowercase()).or_insert(idx);
                }
            }
        }
    }

    // Pass 2: the entries.
    let ctx = Context {
        items: &items,
        macros: &macros,
        keys: &keys,
    };
    let mut papers = Vec::new();
    for (idx, item) in items.iter().enumerate() {
        let Item::Block(block) = item else { continue };
        if matches!(
            block.kind_lower.as_str(),
            "comment" | "preamble" | "string" | "set" | "xdata"
        ) {
            continue;
        }
        let mut warnings = Vec::new();
        match read_entry(block, idx, &ctx, &mut warnings) {
            Ok(mut paper) => {
                paper.source = format!("{source}:{}", block.line);
                papers.push(paper);
            }
            Err(message) => problems.push((block.line, message)),
        }
        problems.extend(warnings.into_iter().map(|w| (block.line, w)));
    }

    problems.sort_by_key(|(line, _)| *line);
    Parsed {
        papers,
        problems: problems
            .into_iter()
            .map(|(line, message)| Problem {
                location: format!("{source}:{line}"),
                message,
            })
            .collect(),
    }
}

/// Converts one field value written in BibTeX (without its outer braces) to
/// the plain text this importer stores, the way a `title` is read. `None` if
/// `biblatex` cannot read it. The exporter uses this to check that a kept
/// `title_raw` still says the same as the title.
pub fn latex_to_text(raw: &str) -> Option<String> {
    let pieces = vec![prepare_latex(raw)];
    let inputs = vec![("title".to_string(), pieces)];
    let fields = latex_convert(&inputs).ok()?;
    Some(
        fields
            .get("title")
            .map(|c| fold(&c.format_verbatim()))
            .unwrap_or_default(),
    )
}
