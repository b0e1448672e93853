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

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use biblatex::{
    Bibliography, ChunksExt, Pair, ParseError, Person, RawBibliography, RawChunk, RawEntry, Spanned,
};

use super::Parsed;
use super::dates::{MONTHS, month_from_name, month_number, parse_iso_exact};
use super::fields::{add_tag, tag_word};
use super::ids::{
    arxiv_from_doi, arxiv_from_eprint, arxiv_from_url, arxiv_id, bare_doi, strip_prefix_ci,
};
use crate::model::{Link, LinkKind, NewPaper, Problem};
use crate::text::fold_whitespace as fold;

/// Braces nested deeper than this are refused: `biblatex` reads nested
/// command arguments recursively, and no real entry comes near this.
const MAX_DEPTH: usize = 64;

/// A macro or field growing past this through `@string` expansion is
/// refused, which stops macros that double themselves from eating memory.
const MAX_FIELD_LEN: usize = 1 << 20;

/// Stands for a paragraph break while a field passes through `biblatex`,
/// which folds all whitespace. A Unicode noncharacter, so never in text.
const PARA: &str = "\u{FDD0}";

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

// ---------------------------------------------------------------------------
// Splitting the file into blocks.

/// A top-level piece of the file.
enum Item<'a> {
    Block(Block<'a>),
    /// A line starting with `@` that does not open an entry.
    Stray {
        line: usize,
        message: String,
    },
}

struct Block<'a> {
    kind_lower: String,
    /// Byte offset of the `@` in the file.
    start: usize,
    /// From the `@` to the closing delimiter (inclusive when closed).
    text: &'a str,
    /// 1-based line of the `@`.
    line: usize,
    /// Delimited by `(` … `)` instead of braces.
    paren: bool,
    state: BlockState,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockState {
    Closed,
    Unclosed,
    TooDeep,
}

/// Where an entry header `@ident {` / `@ident (` starts at `i`: returns the
/// end of the identifier and the position of the opening delimiter.
fn header_at(b: &[u8], i: usize) -> Option<(usize, usize)> {
    if b.get(i) != Some(&b'@') {
        return None;
    }
    let start = i + 1;
    if !b.get(start).is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut j = start;
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
    {
        j += 1;
    }
    let ident_end = j;
    while b.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
        j += 1;
    }
    match b.get(j) {
        Some(b'{') | Some(b'(') => Some((ident_end, j)),
        _ => None,
    }
}

/// Whether the line starting at `i` starts a new entry (after indentation).
fn line_starts_entry(b: &[u8], mut i: usize) -> bool {
    while b.get(i).is_some_and(|c| *c == b' ' || *c == b'\t') {
        i += 1;
    }
    header_at(b, i).is_some()
}

/// Whether only spaces stand between the start of its line and `i`.
fn at_line_start(b: &[u8], i: usize) -> bool {
    b[..i]
        .iter()
        .rev()
        .take_while(|c| **c != b'\n')
        .all(|c| c.is_ascii_whitespace())
}

/// Counts lines incrementally over increasing positions.
struct LineCounter<'a> {
    b: &'a [u8],
    pos: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn line_at(&mut self, pos: usize) -> usize {
        if pos > self.pos {
            self.line += self.b[self.pos..pos]
                .iter()
                .filter(|c| **c == b'\n')
                .count();
            self.pos = pos;
        }
        self.line
    }
}

fn split_blocks(text: &str) -> Vec<Item<'_>> {
    let b = text.as_bytes();
    let mut lines = LineCounter { b, pos: 0, line: 1 };
    let mut items = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'@' => match header_at(b, i) {
                Some((ident_end, open)) => {
                    let kind = &text[i + 1..ident_end];
                    let kind_lower = kind.to_ascii_lowercase();
                    let opaque = kind_lower == "comment";
                    let paren = b[open] == b'(';
                    let (end, state) = scan_body(b, open + 1, paren, opaque);
                    items.push(Item::Block(Block {
                        kind_lower,
                        start: i,
                        text: &text[i..end],
                        line: lines.line_at(i),
                        paren,
                        state,
                    }));
                    i = end;
                }
                None => {
                    let mut j = i + 1;
                    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                        j += 1;
                    }
                    let word = &text[i + 1..j];
                    if word.eq_ignore_ascii_case("comment") {
                        // `@comment` without braces comments out its line.
                        while j < b.len() && b[j] != b'\n' {
                            j += 1;
                        }
                    } else if !word.is_empty() && at_line_start(b, i) {
                        items.push(Item::Stray {
                            line: lines.line_at(i),
                            message: format!("`@{word}` is not followed by `{{` or `(`; skipped"),
                        });
                    }
                    i = j;
                }
            },
            _ => i += 1,
        }
    }
    items
}

/// Scans an entry body from just after its opening delimiter. Returns the
/// end position (after the closing delimiter when found) and the state.
fn scan_body(b: &[u8], mut i: usize, paren: bool, opaque: bool) -> (usize, BlockState) {
    let mut depth = 0usize;
    let mut max_depth = 0usize;
    let mut in_quote = false;
    let state = |max_depth: usize, closed: bool| {
        if max_depth > MAX_DEPTH {
            BlockState::TooDeep
        } else if closed {
            BlockState::Closed
        } else {
            BlockState::Unclosed
        }
    };
    while i < b.len() {
        match b[i] {
            b'\n' if line_starts_entry(b, i + 1) => {
                return (i + 1, state(max_depth, false));
            }
            // An escaped character never counts; a newline still does.
            b'\\' if b.get(i + 1).is_some_and(|c| *c != b'\n') => i += 1,
            b'"' if !opaque && depth == 0 => in_quote = !in_quote,
            b'%' if !opaque && depth == 0 && !in_quote => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            b'{' if !in_quote => {
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            b'}' if !in_quote => {
                if depth == 0 {
                    if !paren {
                        return (i + 1, state(max_depth, true));
                    }
                } else {
                    depth -= 1;
                }
            }
            b')' if paren && depth == 0 && !in_quote => {
                return (i + 1, state(max_depth, true));
            }
            _ => {}
        }
        i += 1;
    }
    (b.len(), state(max_depth, false))
}

/// The entry key as written: what follows the opening delimiter (and any
/// line break) up to a comma, a closing delimiter or a space (cheap, for
/// the crossref index and messages).
fn block_key(block: &str) -> Option<&str> {
    key_span(block).map(|(start, end)| &block[start..end])
}

/// Where the key of a block is: its start and end offsets.
fn key_span(block: &str) -> Option<(usize, usize)> {
    let open = block.find(['{', '('])?;
    let rest = &block[open + 1..];
    let start = open + 1 + (rest.len() - rest.trim_start().len());
    let key = &block[start..];
    let len = key
        .find(|c: char| matches!(c, ',' | '}' | ')') || c.is_whitespace())
        .unwrap_or(key.len());
    (len > 0).then_some((start, start + len))
}

/// `biblatex` reads only brace-delimited blocks: a copy with the outer
/// parentheses turned into braces.
fn paren_to_braces(block: &Block<'_>) -> String {
    let mut s = block.text.to_string();
    if let Some(open) = s.find('(') {
        s.replace_range(open..open + 1, "{");
    }
    if block.state == BlockState::Closed && s.ends_with(')') {
        s.pop();
        s.push('}');
    }
    s
}

// ---------------------------------------------------------------------------
// Macros.

/// `@string` definitions, each expanded when defined into raw text pieces.
#[derive(Default)]
struct Macros {
    /// Lowercase name → (index of the defining block, pieces), in file order.
    defs: HashMap<String, Vec<(usize, Vec<String>)>>,
}

impl Macros {
    /// The definition in force at block `at`; a macro defined only later
    /// in the file still resolves, to its first definition.
    fn lookup(&self, name: &str, at: usize) -> Option<&[String]> {
        let defs = self.defs.get(&name.to_lowercase())?;
        defs.iter()
            .rev()
            .find(|(idx, _)| *idx < at)
            .or_else(|| defs.first())
            .map(|(_, pieces)| pieces.as_slice())
    }

    fn define(&mut self, block: &Block<'_>, idx: usize, problems: &mut Vec<(usize, String)>) {
        if block.state != BlockState::Closed {
            problems.push((block.line, "`@string` is not closed; skipped".into()));
            return;
        }
        let owned;
        let text = if block.paren {
            owned = paren_to_braces(block);
            owned.as_str()
        } else {
            block.text
        };
        let raw = match RawBibliography::parse(text) {
            Ok(raw) => raw,
            Err(e) => {
                problems.push((
                    block.line,
                    format!(
                        "cannot read `@string`: {}{}",
                        e.kind,
                        at_line(text, &e, block.line)
                    ),
                ));
                return;
            }
        };
        for pair in &raw.abbreviations {
            let name = pair.key.v;
            let mut pieces = Vec::new();
            let mut len = 0;
            for chunk in &pair.value.v {
                match chunk.v {
                    RawChunk::Normal(s) => {
                        len += s.len();
                        pieces.push(s.to_string());
                    }
                    RawChunk::Abbreviation(other) => {
                        if let Some(found) = self.lookup(other, idx) {
                            len += found.iter().map(String::len).sum::<usize>();
                            if len <= MAX_FIELD_LEN {
                                pieces.extend(found.iter().cloned());
                            }
                        } else if let Some(month) = month_macro(other) {
                            pieces.push(month.to_string());
                        } else {
                            problems.push((
                                block.line,
                                format!("`@string` {name} uses undefined macro `{other}`"),
                            ));
                        }
                    }
                }
                if len > MAX_FIELD_LEN {
                    break;
                }
            }
            if len > MAX_FIELD_LEN {
                problems.push((block.line, format!("`@string` {name} is too long; skipped")));
                continue;
            }
            self.defs
                .entry(name.to_lowercase())
                .or_default()
                .push((idx, pieces));
        }
    }
}

/// The month a predefined macro (`jan` … `dec`) stands for.
fn month_macro(name: &str) -> Option<&'static str> {
    if name.len() != 3 {
        return None;
    }
    let n = usize::try_from(month_from_name(name)?).ok()?;
    MONTHS.get(n.checked_sub(1)?).copied()
}

/// " (line N)" for an error inside a block, when it is not the first line.
fn at_line(text: &str, e: &ParseError, block_line: usize) -> String {
    let pos = e.span.start.min(text.len());
    let line = block_line
        + text.as_bytes()[..pos]
            .iter()
            .filter(|c| **c == b'\n')
            .count();
    if line == block_line {
        String::new()
    } else {
        format!(" (line {line})")
    }
}

// ---------------------------------------------------------------------------
// Reading one entry.

struct Context<'a> {
    items: &'a [Item<'a>],
    macros: &'a Macros,
    keys: &'a HashMap<String, usize>,
}

/// A field with `@string` macros expanded into raw BibTeX text pieces.
struct RawField<'a> {
    name: String,
    pieces: Vec<Cow<'a, str>>,
}

impl RawField<'_> {
    fn raw(&self) -> String {
        self.pieces.concat()
    }
}

struct RawRecord<'a> {
    kind: String,
    key: String,
    fields: Vec<RawField<'a>>,
}

/// Reads a block's fields with macros expanded (no LaTeX conversion yet).
fn read_raw<'a>(
    block: &Block<'a>,
    idx: usize,
    macros: &'a Macros,
    warnings: &mut Vec<String>,
) -> Result<RawRecord<'a>, String> {
    let key_hint = block_key(block.text)
        .map(|k| format!(" `{k}`"))
        .unwrap_or_default();
    match block.state {
        BlockState::Closed => {}
        BlockState::Unclosed => {
            return Err(format!(
                "entry{key_hint} is not closed (a `}}` is missing); skipped"
            ));
        }
        BlockState::TooDeep => {
            return Err(format!(
                "entry{key_hint} nests braces more than {MAX_DEPTH} deep; skipped"
            ));
        }
    }
    if block.paren {
        let owned = paren_to_braces(block);
        let record = read_raw_text(&owned, block.line, idx, macros, warnings, &key_hint)?;
        Ok(RawRecord {
            kind: record.kind,
            key: record.key,
            fields: record
                .fields
                .into_iter()
                .map(|f| RawField {
                    name: f.name,
                    pieces: f
                        .pieces
                        .into_iter()
                        .map(|p| Cow::Owned(p.into_owned()))
                        .collect(),
                })
                .collect(),
        })
    } else {
        read_raw_text(block.text, block.line, idx, macros, warnings, &key_hint)
    }
}

fn read_raw_text<'a>(
    text: &'a str,
    line: usize,
    idx: usize,
    macros: &'a Macros,
    warnings: &mut Vec<String>,
    key_hint: &str,
) -> Result<RawRecord<'a>, String> {
    let raw = RawBibliography::parse(text).map_err(|e| {
        format!(
            "cannot read entry{key_hint}: {}{}; skipped",
            e.kind,
            at_line(text, &e, line)
        )
    })?;
    let mut entries = raw.entries.into_iter();
    let (Some(entry), None) = (entries.next(), entries.next()) else {
        return Err(format!("cannot read entry{key_hint}; skipped"));
    };
    let entry = entry.v;
    let mut fields: Vec<RawField<'a>> = Vec::with_capacity(entry.fields.len());
    let mut seen = HashSet::new();
    for pair in entry.fields {
        let name = pair.key.v.to_ascii_lowercase();
        if !seen.insert(name.clone()) {
            continue;
        }
        let mut pieces = Vec::with_capacity(pair.value.v.len());
        // Bytes added by macros: a value written out is bounded by the file.
        let mut expanded = 0;
        for chunk in pair.value.v {
            match chunk.v {
                RawChunk::Normal(s) => pieces.push(Cow::Borrowed(s)),
                RawChunk::Abbreviation(m) => {
                    if let Some(found) = macros.lookup(m, idx) {
                        for p in found {
                            expanded += p.len();
                            pieces.push(Cow::Borrowed(p.as_str()));
                        }
                    } else if let Some(month) = month_macro(m) {
                        pieces.push(Cow::Borrowed(month));
                    } else {
                        warnings.push(format!(
                            "entry{key_hint}: undefined macro `{m}` in field `{name}`, left empty"
                        ));
                    }
                }
            }
            if expanded > MAX_FIELD_LEN {
                return Err(format!(
                    "entry{key_hint}: field `{name}` grows past {MAX_FIELD_LEN} bytes through @string macros; skipped"
                ));
            }
        }
        fields.push(RawField { name, pieces });
    }
    Ok(RawRecord {
        kind: entry.kind.v.to_ascii_lowercase(),
        key: entry.key.v.trim().to_string(),
        fields,
    })
}

/// Fields a child does not take from its crossref / xdata parent: they
/// describe the parent itself.
const NOT_INHERITED: &[&str] = &[
    "title",
    "subtitle",
    "titleaddon",
    "shorttitle",
    "abstract",
    "note",
    "annote",
    "annotation",
    "addendum",
    "keywords",
    "doi",
    "url",
    "urldate",
    "eprint",
    "eprinttype",
    "archiveprefix",
    "eprintclass",
    "primaryclass",
    "file",
    "pdf",
    "ids",
    "crossref",
    "xref",
    "xdata",
    "entryset",
    "label",
    "shorthand",
    "sortkey",
];

fn strip_braces(s: &str) -> String {
    s.chars().filter(|c| *c != '{' && *c != '}').collect()
}

/// Adds the fields the entry inherits through `crossref` and `xdata`.
fn inherit<'a>(
    record: &mut RawRecord<'a>,
    idx: usize,
    ctx: &Context<'a>,
    warnings: &mut Vec<String>,
) {
    let mut parents: Vec<(String, bool)> = Vec::new();
    for field in &record.fields {
        if field.name == "crossref" {
            parents.push((strip_braces(&field.raw()).trim().to_string(), true));
        } else if field.name == "xdata" {
            for key in strip_braces(&field.raw()).split(',') {
                parents.push((key.trim().to_string(), false));
            }
        }
    }
    for (parent_key, is_crossref) in parents {
        if parent_key.is_empty() {
            continue;
        }
        let Some(&pidx) = ctx.keys.get(&parent_key.to_lowercase()) else {
            continue;
        };
        let Some(Item::Block(pblock)) = ctx.items.get(pidx) else {
            continue;
        };
        if pidx == idx {
            continue;
        }
        let mut parent_warnings = Vec::new();
        let parent = match read_raw(pblock, pidx, ctx.macros, &mut parent_warnings) {
            Ok(parent) => parent,
            Err(_) => {
                warnings.push(format!(
                    "entry `{}`: its crossref parent `{parent_key}` cannot be read",
                    record.key
                ));
                continue;
            }
        };
        for field in parent.fields {
            let target = if field.name == "title" && is_crossref {
                "booktitle".to_string()
            } else if NOT_INHERITED.contains(&field.name.as_str()) {
                continue;
            } else {
                field.name
            };
            if record.fields.iter().any(|f| f.name == target) {
                continue;
            }
            record.fields.push(RawField {
                name: target,
                pieces: field.pieces,
            });
        }
    }
}

/// Fields `biblatex` treats as verbatim: taken as written.
pub(crate) fn is_verbatim(name: &str) -> bool {
    matches!(
        name,
        "url" | "doi" | "eprint" | "file" | "pdf" | "urlraw" | "uri" | "verba" | "verbb" | "verbc"
    )
}

/// Fields holding lists of people.
pub(crate) fn is_person_field(name: &str) -> bool {
    matches!(
        name,
        "author"
            | "editor"
            | "editora"
            | "editorb"
            | "editorc"
            | "translator"
            | "annotator"
            | "commentator"
            | "introduction"
            | "foreword"
            | "afterword"
            | "bookauthor"
            | "holder"
            | "shortauthor"
            | "shorteditor"
    )
}

/// Fields whose paragraph breaks are kept.
fn keeps_paragraphs(name: &str) -> bool {
    matches!(name, "abstract" | "note" | "annote" | "annotation")
}

/// Fields that do not go through LaTeX conversion at all.
fn is_raw_only(name: &str) -> bool {
    is_verbatim(name) || matches!(name, "crossref" | "xdata")
}

fn read_entry(
    block: &Block<'_>,
    idx: usize,
    ctx: &Context<'_>,
    warnings: &mut Vec<String>,
) -> Result<NewPaper, String> {
    let mut record = read_raw(block, idx, ctx.macros, warnings)?;
    if record
        .fields
        .iter()
        .any(|f| f.name == "crossref" || f.name == "xdata")
    {
        inherit(&mut record, idx, ctx, warnings);
    }

    // LaTeX conversion of every field that needs it.
    let inputs: Vec<(String, Vec<Cow<'_, str>>)> = record
        .fields
        .iter()
        .filter(|f| !is_raw_only(&f.name))
        .map(|f| (f.name.clone(), latex_input(f)))
        .collect();
    let converted = match latex_convert(&inputs) {
        Ok(converted) => converted,
        Err(_) => convert_each(&inputs, &record.key, warnings),
    };

    Ok(build_paper(&record, &converted))
}

/// The pieces of a field prepared for `biblatex`, with paragraph breaks of
/// abstracts and notes marked.
fn latex_input<'a>(field: &RawField<'a>) -> Vec<Cow<'a, str>> {
    let mut out = Vec::with_capacity(field.pieces.len());
    for piece in &field.pieces {
        let prepared = match piece {
            Cow::Borrowed(s) => prepare_latex(s),
            Cow::Owned(s) => Cow::Owned(prepare_latex(s).into_owned()),
        };
        if keeps_paragraphs(&field.name) {
            split_paragraphs(prepared, &mut out);
        } else {
            out.push(prepared);
        }
    }
    out
}

/// Splits a piece at blank lines outside braces and math, putting [`PARA`]
/// pieces between the parts.
fn split_paragraphs<'a>(piece: Cow<'a, str>, out: &mut Vec<Cow<'a, str>>) {
    let b = piece.as_bytes();
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    let mut math = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'$' => math = !math,
            b'\n' if depth == 0 && !math => {
                let mut j = i + 1;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r') {
                    j += 1;
                }
                if b.get(j) == Some(&b'\n') {
                    cuts.push((i, j + 1));
                    i = j;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if cuts.is_empty() {
        out.push(piece);
        return;
    }
    let mut start = 0;
    for (cut_start, cut_end) in cuts {
        out.push(sub_cow(&piece, start, cut_start));
        out.push(Cow::Borrowed(PARA));
        start = cut_end;
    }
    out.push(sub_cow(&piece, start, piece.len()));
}

fn sub_cow<'a>(piece: &Cow<'a, str>, start: usize, end: usize) -> Cow<'a, str> {
    match piece {
        Cow::Borrowed(s) => Cow::Borrowed(s.get(start..end).unwrap_or("")),
        Cow::Owned(s) => Cow::Owned(s.get(start..end).unwrap_or("").to_string()),
    }
}

/// Commands whose argument is kept as plain text.
const TEXT_COMMANDS: &[&str] = &[
    "emph",
    "textit",
    "textbf",
    "textsc",
    "texttt",
    "textrm",
    "textsf",
    "textsl",
    "textup",
    "textmd",
    "textnormal",
    "textsuperscript",
    "textsubscript",
    "mbox",
    "hbox",
    "text",
    "underline",
    "uppercase",
    "lowercase",
    "MakeUppercase",
    "MakeLowercase",
    "MakeTextUppercase",
    "MakeTextLowercase",
    "NoCaseChange",
    "nocase",
    "enquote",
    "mkbibquote",
    "mkbibemph",
    "mkbibitalic",
    "mkbibbold",
];

/// Font switches and no-ops that are dropped.
const SWITCH_COMMANDS: &[&str] = &[
    "em",
    "it",
    "bf",
    "sc",
    "tt",
    "rm",
    "sf",
    "sl",
    "up",
    "md",
    "itshape",
    "bfseries",
    "scshape",
    "ttfamily",
    "rmfamily",
    "sffamily",
    "slshape",
    "upshape",
    "mdseries",
    "normalfont",
    "relax",
    "protect",
];

/// Rewrites raw field text before `biblatex` reads it: ties `~` become
/// spaces, formatting commands keep only their text, `\url{…}` keeps its
/// URL literally and `\href{url}{text}` its text.
fn prepare_latex(raw: &str) -> Cow<'_, str> {
    if !raw.contains(['\\', '~']) {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find(['\\', '~', '$']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(after_tie) = tail.strip_prefix('~') {
            out.push(' ');
            rest = after_tie;
            continue;
        }
        if tail.starts_with('$') {
            // Math is left exactly as written.
            let end = math_end(tail).unwrap_or(tail.len());
            out.push_str(&tail[..end]);
            rest = &tail[end..];
            continue;
        }
        let name_len = tail[1..]
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(tail.len() - 1);
        if name_len == 0 {
            // `\` + one character (an escape or accent): keep both.
            let width = tail[1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&tail[..1 + width]);
            rest = &tail[1 + width..];
            continue;
        }
        let name = &tail[1..1 + name_len];
        let after = &tail[1 + name_len..];
        if TEXT_COMMANDS.contains(&name) && after.starts_with('{') {
            rest = after;
        } else if name == "url"
            && let Some(end) = group_end(after)
        {
            out.push('{');
            out.push_str(&escape_literal(&after[1..end]));
            out.push('}');
            rest = &after[end + 1..];
        } else if name == "href"
            && let Some(end) = group_end(after)
            && let Some(text_end) = group_end(&after[end + 1..])
        {
            let text = &after[end + 1..end + 1 + text_end + 1];
            out.push_str(&prepare_latex(text));
            rest = &after[end + 1 + text_end + 1..];
        } else if SWITCH_COMMANDS.contains(&name) {
            rest = after.trim_start_matches([' ', '\t', '\n', '\r']);
        } else {
            out.push_str(&tail[..1 + name_len]);
            // `biblatex` reads `\\dots.` as one command named `dots.`: a space
            // ends the name (and is dropped by it) where TeX would end it.
            let takes_next_char = name_len == 1 && "bcdHkruv".contains(name);
            if !takes_next_char && after.chars().next().is_some_and(ends_command_badly) {
                out.push(' ');
            }
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A character TeX does not read as part of a command name but `biblatex`
/// does.
fn ends_command_badly(c: char) -> bool {
    !c.is_ascii_alphabetic()
        && !c.is_whitespace()
        && !c.is_control()
        && !matches!(
            c,
            '@' | '{' | '}' | '"' | '#' | '\'' | '(' | ')' | ',' | '=' | '%' | '\\' | '~'
        )
}

/// The end (after the closing `$`) of the math starting at `s[0] == '$'`.
fn math_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'$' => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// If `s` starts with `{`, the index of its matching `}`.
fn group_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Text that must come out of `biblatex` literally (a `\url` argument):
/// `\_`-style escapes undone, then the characters `biblatex` would change
/// written so that it gives them back.
fn escape_literal(s: &str) -> String {
    let unescaped = unescape(s);
    let mut out = String::with_capacity(unescaped.len());
    let mut prev_hyphen = false;
    for c in unescaped.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '$' => out.push_str("\\$"),
            '-' if prev_hyphen => out.push_str("{}-"),
            c => out.push(c),
        }
        prev_hyphen = c == '-';
    }
    out
}

/// Undoes `\X` escapes of ASCII punctuation (`\_` → `_`) and drops
/// unescaped braces: for URLs and identifiers.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&next) if next.is_ascii_punctuation() => {
                    out.push(next);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            '{' | '}' => {}
            c => out.push(c),
        }
    }
    out
}

type Converted = BTreeMap<String, biblatex::Chunks>;

/// Runs fields through `biblatex` as one entry.
fn latex_convert(inputs: &[(String, Vec<Cow<'_, str>>)]) -> Result<Converted, ParseError> {
    let fields: Vec<Pair<'_>> = inputs
        .iter()
        .map(|(name, pieces)| {
            Pair::new(
                Spanned::zero(name.as_str()),
                Spanned::zero(
                    pieces
                        .iter()
                        .map(|p| Spanned::zero(RawChunk::Normal(p.as_ref())))
                        .collect(),
                ),
            )
        })
        .collect();
    let raw = RawBibliography {
        preamble: String::new(),
        entries: vec![Spanned::zero(RawEntry {
            key: Spanned::zero("entry"),
            kind: Spanned::zero("misc"),
            fields,
        })],
        abbreviations: Vec::new(),
    };
    let bib = Bibliography::from_raw(raw)?;
    Ok(bib
        .into_vec()
        .into_iter()
        .next()
        .map(|e| e.fields)
        .unwrap_or_default())
}

/// Converts fields one by one after the whole entry failed: a field
/// `biblatex` refuses (an unclosed `$`, a trailing `\`) is retried with `$`
/// escaped, then kept as plain text with a warning.
fn convert_each(
    inputs: &[(String, Vec<Cow<'_, str>>)],
    key: &str,
    warnings: &mut Vec<String>,
) -> Converted {
    let mut out = Converted::new();
    for input in inputs {
        let single = std::slice::from_ref(input);
        if let Ok(c) = latex_convert(single) {
            out.extend(c);
            continue;
        }
        let (name, pieces) = input;
        let escaped: Vec<Cow<'_, str>> = pieces
            .iter()
            .map(|p| Cow::Owned(escape_dollars(p)))
            .collect();
        if let Ok(c) = latex_convert(&[(name.clone(), escaped)]) {
            out.extend(c);
            continue;
        }
        warnings.push(format!(
            "entry `{key}`: field `{name}` has malformed LaTeX; kept as plain text"
        ));
        let plain: String = pieces
            .iter()
            .map(|p| {
                p.chars()
                    .filter(|c| !matches!(c, '{' | '}' | '\\' | '$'))
                    .collect::<String>()
            })
            .collect();
        if let Ok(c) = latex_convert(&[(name.clone(), vec![Cow::Owned(plain)])]) {
            out.extend(c);
        }
    }
    out
}

fn escape_dollars(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut escaped = false;
    for c in s.chars() {
        if c == '$' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    if escaped {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------
// Building the paper.

/// Folds whitespace but keeps the paragraph breaks marked by [`PARA`].
fn fold_paragraphs(s: &str) -> String {
    s.split(PARA)
        .map(fold)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// "Family, Given", "Family, Suffix, Given", or the name alone.
fn format_person(p: &Person) -> String {
    let family = fold(&format!("{} {}", p.prefix, p.name));
    let given = fold(&p.given_name);
    let suffix = fold(&p.suffix);
    match (given.is_empty(), suffix.is_empty()) {
        (true, true) => family,
        (false, true) => format!("{family}, {given}"),
        (true, false) => format!("{family}, {suffix}"),
        (false, false) => format!("{family}, {suffix}, {given}"),
    }
}

fn people(chunks: &biblatex::Chunks) -> Vec<String> {
    chunks
        .parse::<Vec<Person>>()
        .unwrap_or_default()
        .iter()
        .map(format_person)
        .filter(|n| !n.is_empty())
        .collect()
}

/// Whether a raw title has braces that protect text (not only the
/// argument braces of commands such as `\'{e}`).
fn has_protective_braces(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                i += 1;
                if b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    while b.get(i).is_some_and(u8::is_ascii_alphabetic) {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
                // The argument brace of the command.
                if b.get(i) == Some(&b'{') {
                    i += 1;
                }
                continue;
            }
            b'{' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Whether a raw value has math (`$…$`), which plain text cannot carry.
fn has_math(raw: &str) -> bool {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'$' => return math_end(&raw[i..]).is_some(),
            _ => {}
        }
        i += 1;
    }
    false
}

/// Braces balance both when escapes count and when they don't, so the text
/// can go back between braces for any BibTeX reader.
pub(crate) fn braces_balanced(s: &str) -> bool {
    let (mut plain, mut escaped_aware) = (0i64, 0i64);
    let mut prev_backslash = false;
    for c in s.chars() {
        let delta = match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        plain += delta;
        if !prev_backslash {
            escaped_aware += delta;
        }
        if plain < 0 || escaped_aware < 0 {
            return false;
        }
        prev_backslash = c == '\\' && !prev_backslash;
    }
    plain == 0 && escaped_aware == 0 && !prev_backslash
}

/// A year from `2020`, `{2020}`, `2020a`, `c2020`: the first run of 1–4
/// digits; whether that was the whole value.
fn parse_year(s: &str) -> Option<(i32, bool)> {
    let t = s.trim();
    if let Ok(y) = t.parse::<i32>() {
        return Some((y, true));
    }
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let digits: String = t[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.len() > 4 || digits.len() < 3 {
        return None;
    }
    Some((digits.parse().ok()?, false))
}

/// The arXiv id in text like "arXiv preprint arXiv:2303.16727".
fn arxiv_in_text(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("arxiv:")?;
    let rest = &text[at + "arxiv:".len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-')))
        .unwrap_or(rest.len());
    arxiv_id(rest[..end].trim_end_matches('.'))
}

/// A `howpublished` that is only a URL.
fn url_only(text: &str) -> Option<&str> {
    let t = text.trim();
    let is_url = (strip_prefix_ci(t, "https://").is_some()
        || strip_prefix_ci(t, "http://").is_some())
        && !t.contains(char::is_whitespace);
    is_url.then_some(t)
}

/// Which fields give the venue, by preference, for an entry type.
fn venue_fields(kind: &str) -> [&'static str; 4] {
    match kind {
        "inproceedings" | "conference" | "incollection" | "inbook" | "bookinbook"
        | "inreference" | "suppbook" | "suppcollection" => {
            ["booktitle", "journal", "journaltitle", "howpublished"]
        }
        "article" | "periodical" | "suppperiodical" => {
            ["journal", "journaltitle", "booktitle", "howpublished"]
        }
        _ => ["howpublished", "journal", "journaltitle", "booktitle"],
    }
}

fn push_link(links: &mut Vec<Link>, url: &str) {
    if !links.iter().any(|l| l.url == url) {
        links.push(Link {
            url: url.to_string(),
            kind: LinkKind::classify(url),
        });
    }
}

fn build_paper(record: &RawRecord<'_>, conv: &Converted) -> NewPaper {
    let text = |name: &str| conv.get(name).map(|c| fold(&c.format_verbatim()));
    let raw_of = |name: &str| {
        record
            .fields
            .iter()
            .find(|f| f.name == name)
            .map(RawField::raw)
    };

    let mut p = NewPaper {
        entry_type: (!record.kind.is_empty()).then(|| record.kind.clone()),
        citekey: (!record.key.is_empty()).then(|| record.key.clone()),
        ..NewPaper::default()
    };
    let mut consumed: HashSet<&str> = HashSet::new();

    // Venue.
    let mut venue_from = None;
    for name in venue_fields(&record.kind) {
        if let Some(v) = text(name).filter(|v| !v.is_empty()) {
            if name == "howpublished" && url_only(&v).is_some() {
                continue;
            }
            p.venue = Some(v);
            venue_from = Some(name);
            break;
        }
    }
    if let Some(name) = venue_from {
        consumed.insert(name);
    }
    if let Some(v) = text("howpublished")
        && let Some(url) = url_only(&v)
    {
        push_link(&mut p.links, url);
        consumed.insert("howpublished");
    }

    // Identifiers.
    if let Some(raw) = raw_of("doi")
        && let Some(doi) = bare_doi(&unescape(&raw))
    {
        p.doi = Some(doi);
        consumed.insert("doi");
    }
    let prefix_field = ["archiveprefix", "eprinttype"]
        .into_iter()
        .find_map(|n| text(n).map(|v| (n, v)));
    if let Some(raw) = raw_of("eprint") {
        let says_arxiv = prefix_field
            .as_ref()
            .map(|(_, v)| v.eq_ignore_ascii_case("arxiv"));
        if says_arxiv != Some(false)
            && let Some(id) = arxiv_from_eprint(&unescape(&raw))
        {
            p.arxiv = Some(id);
            consumed.insert("eprint");
            if let Some((name, _)) = prefix_field {
                consumed.insert(name);
                consumed.insert(if name == "archiveprefix" {
                    "eprinttype"
                } else {
                    "archiveprefix"
                });
            }
        }
    }
    if let Some(raw) = raw_of("url") {
        for url in unescape(&raw).split_whitespace() {
            if let Some(doi) = bare_doi(url)
                && !url.starts_with("10.")
            {
                match &p.doi {
                    None => {
                        p.doi = Some(doi);
                        continue;
                    }
                    Some(d) if d.eq_ignore_ascii_case(&doi) => continue,
                    Some(_) => {}
                }
            }
            if p.arxiv.is_none() {
                p.arxiv = arxiv_from_url(url);
            }
            push_link(&mut p.links, url);
        }
        consumed.insert("url");
    }
    if p.arxiv.is_none() {
        p.arxiv = p
            .doi
            .as_deref()
            .and_then(arxiv_from_doi)
            .or_else(|| p.venue.as_deref().and_then(arxiv_in_text));
    }

    // Text fields.
    if let Some(t) = text("title") {
        p.title = t;
    }
    consumed.insert("title");
    if let Some(chunks) = conv.get("author") {
        p.authors = people(chunks);
    }
    consumed.insert("author");
    if let Some(c) = conv.get("abstract") {
        p.abstract_text = fold_paragraphs(&c.format_verbatim());
    }
    consumed.insert("abstract");
    let notes: Vec<String> = ["note", "annote", "annotation"]
        .iter()
        .filter_map(|n| conv.get(*n))
        .map(|c| fold_paragraphs(&c.format_verbatim()))
        .filter(|n| !n.is_empty())
        .collect();
    if !notes.is_empty() {
        p.note = Some(notes.join("\n\n"));
    }
    consumed.extend(["note", "annote", "annotation"]);
    if let Some(k) = text("keywords") {
        for tag in k.split([',', ';']) {
            add_tag(&mut p.tags, tag_word(tag));
        }
    }
    consumed.insert("keywords");

    // Dates.
    let mut date_parts: Vec<(String, String)> = Vec::new();
    if let Some(y) = text("year") {
        if let Some((year, whole)) = parse_year(&y) {
            p.year = Some(year);
            if whole {
                consumed.insert("year");
            }
        }
    } else if let Some(d) = text("date")
        && let Some((date, whole)) = parse_iso_exact(&d)
    {
        p.year = Some(date.year);
        if whole {
            consumed.insert("date");
        }
        let has = |n: &str| record.fields.iter().any(|f| f.name == n);
        if let Some(m) = date.month.filter(|_| !has("month")) {
            date_parts.push(("month".into(), m.to_string()));
        }
        if let Some(d) = date.day.filter(|_| !has("day")) {
            date_parts.push(("day".into(), d.to_string()));
        }
    }

    // Everything else, in source order.
    for field in &record.fields {
        let name = field.name.as_str();
        if name == "title" {
            let raw = fold(&field.raw());
            if (has_protective_braces(&raw) || has_math(&raw)) && braces_balanced(&raw) {
                p.extra.push(("title_raw".into(), raw));
            }
            continue;
        }
        if name == "date" && consumed.contains("date") {
            p.extra.append(&mut date_parts);
            continue;
        }
        if consumed.contains(name) {
            continue;
        }
        let value = if is_raw_only(name) {
            let raw = field.raw();
            match name {
                "url" | "doi" | "eprint" | "urlraw" | "uri" => fold(&unescape(&raw)),
                _ => raw.trim().to_string(),
            }
        } else if is_person_field(name) {
            conv.get(name)
                .map(|c| people(c).join(" and "))
                .unwrap_or_default()
        } else {
            let Some(v) = text(name) else { continue };
            match name {
                "pages" => v.replace('—', "---").replace('–', "--"),
                "month" => month_number(&v).map_or(v, |m| m.to_string()),
                _ => v,
            }
        };
        if !value.is_empty() {
            p.extra.push((name.to_string(), value));
        }
    }
    p.extra.append(&mut date_parts);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn one(text: &str) -> NewPaper {
        let parsed = parse(text, "t.bib");
        assert_eq!(parsed.papers.len(), 1, "problems: {:?}", parsed.problems);
        parsed.papers.into_iter().next().unwrap_or_default()
    }

    fn extra<'a>(p: &'a NewPaper, name: &str) -> Option<&'a str> {
        p.extra
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn detects_bibtex() {
        assert!(looks_like("% Encoding: UTF-8\n\n@Article{x,\n}"));
        assert!(looks_like("\u{feff}@misc (x, title=\"a\")"));
        assert!(looks_like("  @inproceedings{"));
        // Stray text first: BibTeX when entries are most of the file.
        assert!(!starts_like("# Title\n@article{x,}"));
        assert!(looks_like("# Title\n@article{x,}"));
        assert!(looks_like(
            "A notice\nof two lines\n@article\n(\n  x\n  ,\n title = {T}\n)"
        ));
        assert!(!looks_like("Prose\nand more\nprose\n@article{x,}"));
        // An entry that is not at the start of a line, or has no key.
        assert!(!looks_like("mail me@article{x, y}"));
        assert!(!looks_like("Notes\n@article{ title = {T} }"));
        assert!(!looks_like("Notes\n@string{x = {y}}"));
        assert!(!looks_like("@ article{x}"));
        assert!(!looks_like("@123{x}"));
        assert!(!looks_like("@article x"));
        assert!(!looks_like(""));
    }

    #[test]
    fn reads_a_plain_article() {
        let p = one(
            "@Article{smith2020,\n  author = {Smith, John and Doe, Jane},\n  title = {A Study},\n  journal = {Nature},\n  year = 2020,\n  volume = {5},\n  pages = {12--19},\n}\n",
        );
        assert_eq!(p.citekey.as_deref(), Some("smith2020"));
        assert_eq!(p.entry_type.as_deref(), Some("article"));
        assert_eq!(p.title, "A Study");
        assert_eq!(p.authors, ["Smith, John", "Doe, Jane"]);
        assert_eq!(p.venue.as_deref(), Some("Nature"));
        assert_eq!(p.year, Some(2020));
        assert_eq!(p.source, "t.bib:1");
        assert_eq!(
            p.extra,
            [
                ("volume".to_string(), "5".to_string()),
                ("pages".to_string(), "12--19".to_string())
            ]
        );
    }

    #[test]
    fn converts_latex_to_unicode() {
        let p = one(concat!(
            "@misc{k, title = {Schr{\\\"o}dinger's caf\\'{e} in Stra{\\ss}e -- A \\& B},\n",
            " author = {M{\\\"u}ller, J{\\\"o}rg and \\v{S}koda, {\\O}ystein},\n",
            " note = {50\\% off \\emph{now}, see \\url{https://x.org/a_b~c}}}"
        ));
        assert_eq!(p.title, "Schrödinger's café in Straße – A & B");
        assert_eq!(p.authors, ["Müller, Jörg", "Škoda, Øystein"]);
        assert_eq!(
            p.note.as_deref(),
            Some("50% off now, see https://x.org/a_b~c")
        );
    }

    #[test]
    fn ties_become_spaces_but_escaped_tildes_stay() {
        let p = one("@misc{k, author = {D.~E. Knuth}, title = {a\\~{n}o \\textasciitilde{} x}}");
        assert_eq!(p.authors, ["Knuth, D. E."]);
        assert_eq!(p.title, "año ~ x");
    }

    #[test]
    fn protected_braces_are_dropped_and_kept_raw() {
        let p = one("@article{k, title = {The {NASA} Mission to {M}ars}}");
        assert_eq!(p.title, "The NASA Mission to Mars");
        assert_eq!(extra(&p, "title_raw"), Some("The {NASA} Mission to {M}ars"));
        let plain = one("@article{k, title = {Caf\\'{e} \\& Bar}}");
        assert_eq!(plain.title, "Café & Bar");
        assert_eq!(extra(&plain, "title_raw"), None);
    }

    #[test]
    fn names_keep_particles_suffixes_and_organizations() {
        let p = one(concat!(
            "@misc{k, author = {van der Maaten, Laurens and Ludwig van Beethoven and ",
            "{World Health Organization} and King, Jr., Martin Luther and Aristotle and ",
            "{Barnes and Noble}}}"
        ));
        assert_eq!(
            p.authors,
            [
                "van der Maaten, Laurens",
                "van Beethoven, Ludwig",
                "World Health Organization",
                "King, Jr., Martin Luther",
                "Aristotle",
                "Barnes and Noble"
            ]
        );
    }

    #[test]
    fn editors_go_to_extra_as_people() {
        let p = one("@book{k, editor = {Jane Doe and {ACME Corp}}, title = {B}}");
        assert_eq!(extra(&p, "editor"), Some("Doe, Jane and ACME Corp"));
    }

    #[test]
    fn string_macros_and_months() {
        let p = one(concat!(
            "@string{ieee = \"IEEE Trans.\"}\n@String(conf = ieee # { on } # \"Things\")\n",
            "@article{k, journal = CONF, month = jan, note = \"Due \" # dec, title = {T}}"
        ));
        assert_eq!(p.venue.as_deref(), Some("IEEE Trans. on Things"));
        assert_eq!(extra(&p, "month"), Some("1"));
        assert_eq!(p.note.as_deref(), Some("Due December"));
    }

    #[test]
    fn month_forms_are_normalized() {
        for (m, want) in [
            ("{January}", "1"),
            ("{Feb.}", "2"),
            ("{09}", "9"),
            ("{Spring}", "Spring"),
        ] {
            let p = one(&format!("@misc{{k, month = {m}}}"));
            assert_eq!(extra(&p, "month"), Some(want), "{m}");
        }
    }

    #[test]
    fn undefined_macro_is_a_warning_not_a_loss() {
        let parsed = parse("@misc{k, title = {T}, publisher = pub}", "t.bib");
        assert_eq!(parsed.papers.len(), 1);
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.problems[0].message.contains("`pub`"));
    }

    #[test]
    fn crossref_inherits_from_the_parent() {
        let parsed = parse(
            concat!(
                "@inproceedings{child, author = {A, B}, title = {Paper}, crossref = {Proc}, pages = {1--2}}\n",
                "@proceedings{proc, title = {Proc. of Things}, year = 1999, publisher = {ACM}, doi = {10.1/parent}, editor = {E, F}}\n",
            ),
            "t.bib",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let p = &parsed.papers[0];
        assert_eq!(p.title, "Paper");
        assert_eq!(p.venue.as_deref(), Some("Proc. of Things"));
        assert_eq!(p.year, Some(1999));
        assert_eq!(p.doi, None);
        assert_eq!(extra(p, "publisher"), Some("ACM"));
        assert_eq!(extra(p, "editor"), Some("E, F"));
        assert_eq!(extra(p, "crossref"), Some("Proc"));
        assert_eq!(parsed.papers[1].title, "Proc. of Things");
    }

    #[test]
    fn self_and_cyclic_crossrefs_do_not_loop() {
        let parsed = parse(
            "@misc{a, crossref = {a}, title = {A}}\n@misc{b, crossref = {c}}\n@misc{c, crossref = {b}, year = 2000}",
            "t.bib",
        );
        assert_eq!(parsed.papers.len(), 3);
        assert_eq!(parsed.papers[1].year, Some(2000));
    }

    #[test]
    fn identifiers() {
        let p = one(concat!(
            "@article{k, doi = {https://doi.org/10.1145/3292500.3330701}, ",
            "eprint = {2303.16727v2}, archivePrefix = {arXiv}, primaryClass = {cs.CL}, ",
            "url = {https://github.com/a/b\\_c https://doi.org/10.1145/3292500.3330701}}"
        ));
        assert_eq!(p.doi.as_deref(), Some("10.1145/3292500.3330701"));
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        assert_eq!(p.links.len(), 1);
        assert_eq!(p.links[0].url, "https://github.com/a/b_c");
        assert_eq!(p.links[0].kind, LinkKind::Code);
        assert_eq!(p.extra, [("primaryclass".to_string(), "cs.CL".to_string())]);
    }

    #[test]
    fn arxiv_from_eprinttype_url_doi_and_journal() {
        let a = one("@online{k, eprint = {hep-th/9901001 [hep-th]}, eprinttype = {arxiv}}");
        assert_eq!(a.arxiv.as_deref(), Some("hep-th/9901001"));
        let b = one("@misc{k, url = {https://arxiv.org/pdf/2101.00001v3.pdf}}");
        assert_eq!(b.arxiv.as_deref(), Some("2101.00001"));
        assert_eq!(b.links[0].kind, LinkKind::Pdf);
        let c = one("@article{k, journal = {arXiv preprint arXiv:1706.03762}}");
        assert_eq!(c.arxiv.as_deref(), Some("1706.03762"));
        assert_eq!(c.venue.as_deref(), Some("arXiv preprint arXiv:1706.03762"));
        let d = one("@misc{k, doi = {10.48550/arXiv.2303.16727}}");
        assert_eq!(d.arxiv.as_deref(), Some("2303.16727"));
        let e = one("@misc{k, eprint = {12345}, eprinttype = {pubmed}}");
        assert_eq!(e.arxiv, None);
        assert_eq!(extra(&e, "eprint"), Some("12345"));
        assert_eq!(extra(&e, "eprinttype"), Some("pubmed"));
    }

    #[test]
    fn biblatex_date_and_fields() {
        let p = one(
            "@article{k, date = {2021-06-01}, journaltitle = {J}, location = {Berlin}, abstract = {One\n\n  two\nlines.\n\nThree.}}",
        );
        assert_eq!(p.year, Some(2021));
        assert_eq!(extra(&p, "month"), Some("6"));
        assert_eq!(extra(&p, "day"), Some("1"));
        assert_eq!(extra(&p, "date"), None);
        assert_eq!(p.venue.as_deref(), Some("J"));
        assert_eq!(extra(&p, "location"), Some("Berlin"));
        assert_eq!(p.abstract_text, "One\n\ntwo lines.\n\nThree.");
        let range = one("@misc{k, date = {2020/2021}}");
        assert_eq!(range.year, Some(2020));
        assert_eq!(extra(&range, "date"), Some("2020/2021"));
        let odd = one("@misc{k, year = {in press}}");
        assert_eq!(odd.year, None);
        assert_eq!(extra(&odd, "year"), Some("in press"));
    }

    #[test]
    fn keywords_become_tags() {
        let p = one("@misc{k, keywords = {deep learning; NLP, nlp,  Graph  Neural Nets ,NLP}}");
        assert_eq!(p.tags, ["deep-learning", "NLP", "nlp", "Graph-Neural-Nets"]);
    }

    #[test]
    fn verbatim_fields_are_taken_as_written() {
        let p = one(
            "@misc{k, file = {Full Text:files/1/a--b.pdf:application/pdf}, url = {https://x.org/a--b%20c#d}}",
        );
        assert_eq!(
            extra(&p, "file"),
            Some("Full Text:files/1/a--b.pdf:application/pdf")
        );
        assert_eq!(p.links[0].url, "https://x.org/a--b%20c#d");
    }

    #[test]
    fn howpublished_url_becomes_a_link_and_text_the_venue() {
        let p = one("@misc{k, howpublished = {\\url{https://github.com/a/b}}}");
        assert_eq!(p.venue, None);
        assert_eq!(p.links[0].url, "https://github.com/a/b");
        let q = one("@misc{k, howpublished = {Blog post}}");
        assert_eq!(q.venue.as_deref(), Some("Blog post"));
    }

    #[test]
    fn paren_entries_comments_and_preamble() {
        let parsed = parse(
            concat!(
                "% a comment with @article{fake,}\n",
                "@preamble{\"\\newcommand{\\x}{y}\"}\n",
                "@comment{jabref-meta: {x}}\n",
                "Free text between entries.\n",
                "@book(k1,\n  title = \"A (Paren) Book\",\n  % title = {commented {out\n  year = 2001)\n",
                "@misc{k2, title = \"50% off\"}\n",
            ),
            "t.bib",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.papers.len(), 2);
        assert_eq!(parsed.papers[0].title, "A (Paren) Book");
        assert_eq!(parsed.papers[0].source, "t.bib:5");
        assert_eq!(parsed.papers[1].title, "50% off");
        assert_eq!(parsed.papers[1].source, "t.bib:9");
    }

    #[test]
    fn broken_entries_are_problems_with_their_line() {
        let parsed = parse(
            concat!(
                "@article{good1, title = {One}}\n",
                "\n",
                "@article{bad, title = {Two}\n",
                "  author = {X}}\n",
                "@article{unclosed, title = {Three\n",
                "@article{good2, title = {Four}}\n",
                "@article\n",
            ),
            "t.bib",
        );
        let titles: Vec<_> = parsed.papers.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["One", "Four"]);
        let locations: Vec<_> = parsed
            .problems
            .iter()
            .map(|p| p.location.as_str())
            .collect();
        assert_eq!(locations, ["t.bib:3", "t.bib:5", "t.bib:7"]);
        assert!(parsed.problems[0].message.contains("`bad`"));
        assert!(parsed.problems[0].message.contains("line 4"));
        assert!(parsed.problems[1].message.contains("not closed"));
    }

    #[test]
    fn crlf_line_endings() {
        let parsed = parse(
            "% c\r\n@misc{a,\r\n  title = {T},\r\n  abstract = {One\r\n\r\nTwo}\r\n}\r\n\r\n@misc{b, title = {U}}\r\n",
            "t.bib",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.papers[0].abstract_text, "One\n\nTwo");
        assert_eq!(parsed.papers[1].source, "t.bib:9");
    }

    #[test]
    fn bad_latex_in_one_field_keeps_the_entry() {
        let parsed = parse("@misc{k, title = {Costs $5}, note = {ok}}", "t.bib");
        assert_eq!(parsed.papers.len(), 1);
        assert_eq!(parsed.papers[0].title, "Costs $5");
        assert_eq!(parsed.papers[0].note.as_deref(), Some("ok"));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowing() {
        let deep = format!(
            "@misc{{a, title = {{{}x{}}}}}\n@misc{{b, title = {{ok}}}}",
            "\\textbf{".repeat(5000),
            "}".repeat(5000)
        );
        let parsed = parse(&deep, "t.bib");
        assert_eq!(parsed.papers.len(), 1);
        assert_eq!(parsed.papers[0].title, "ok");
        assert!(parsed.problems[0].message.contains("deep"));
    }

    #[test]
    fn exploding_macros_are_refused() {
        let mut text = String::from("@string{a0 = \"xxxxxxxxxxxxxxxx\"}\n");
        for i in 1..40 {
            text.push_str(&format!("@string{{a{i} = a{p} # a{p}}}\n", p = i - 1));
        }
        text.push_str("@misc{k, title = a39}\n@misc{k2, title = a10}\n");
        let parsed = parse(&text, "t.bib");
        assert_eq!(parsed.papers.len(), 2);
        assert_eq!(parsed.papers[1].title.len(), 16 * 1024);
        assert!(!parsed.problems.is_empty());
    }

    #[test]
    fn latex_to_text_matches_import() {
        assert_eq!(
            latex_to_text("The {NASA} \\emph{way}").as_deref(),
            Some("The NASA way")
        );
        assert_eq!(latex_to_text("bad $").as_deref(), None);
    }

    #[test]
    fn fixture_zotero() {
        let parsed = parse(
            include_str!("../../tests/fixtures/formats/bibtex-zotero.bib"),
            "z.bib",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.papers.len(), 3);
        let p = &parsed.papers[0];
        assert_eq!(p.citekey.as_deref(), Some("vaswani_attention_2017"));
        assert_eq!(p.arxiv.as_deref(), Some("1706.03762"));
        assert_eq!(
            p.tags,
            [
                "Computer-Science---Computation-and-Language",
                "Transformers"
            ]
        );
        assert!(extra(p, "file").is_some_and(|f| f.contains("Vaswani et al. - 2017")));
        assert_eq!(extra(p, "urldate"), Some("2023-05-01"));
        assert_eq!(p.authors[0], "Vaswani, Ashish");
        let book = &parsed.papers[1];
        assert_eq!(book.entry_type.as_deref(), Some("book"));
        assert_eq!(book.doi.as_deref(), Some("10.1007/978-0-387-84858-7"));
        assert_eq!(extra(book, "address"), Some("New York, NY"));
        let web = &parsed.papers[2];
        assert_eq!(
            web.links[0].url,
            "https://www.who.int/publications/i/item/9789240064324"
        );
        assert_eq!(web.authors, ["World Health Organization"]);
    }

    #[test]
    fn fixture_macros() {
        let parsed = parse(
            include_str!("../../tests/fixtures/formats/bibtex-macros.bib"),
            "m.bib",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.papers.len(), 3);
        let a = &parsed.papers[0];
        assert_eq!(
            a.venue.as_deref(),
            Some("Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition")
        );
        assert_eq!(a.year, Some(2016));
        assert_eq!(extra(a, "month"), Some("6"));
        assert_eq!(extra(a, "publisher"), Some("IEEE"));
        assert_eq!(extra(a, "address"), Some("Las Vegas, NV, USA"));
        let b = &parsed.papers[1];
        assert_eq!(
            b.venue.as_deref(),
            Some("Journal of Machine Learning Research")
        );
        assert_eq!(extra(b, "month"), Some("11"));
        assert_eq!(b.year, Some(2008));
        assert_eq!(b.authors[0], "van der Maaten, Laurens");
    }

    #[test]
    fn fixture_latex() {
        let parsed = parse(
            include_str!("../../tests/fixtures/formats/bibtex-latex.bib"),
            "l.bib",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let p = &parsed.papers[0];
        assert_eq!(
            p.title,
            "Über die Quantenmechanik der BCS-Theorie: Schrödinger's Ansatz – Revisited"
        );
        assert_eq!(
            p.authors,
            [
                "Gödel, Kurt",
                "Erdős, Paul",
                "Çelik, Ayşe",
                "de la Peña, José",
                "Łukasiewicz, Jan",
                "Strauß, Hans"
            ]
        );
        assert_eq!(
            extra(p, "title_raw"),
            Some(
                "{\\\"U}ber die {Quantenmechanik} der {BCS}-Theorie: Schr\\\"{o}dinger's {Ansatz} -- {R}evisited"
            )
        );
        assert_eq!(extra(p, "pages"), Some("101--142"));
        assert_eq!(p.venue.as_deref(), Some("Annalen der Physik & Chemie"));
        let q = &parsed.papers[1];
        assert_eq!(
            q.title,
            "Price of $O(n^2)$ Algorithms: 100% Correct_Ness #1"
        );
        assert_eq!(
            extra(q, "title_raw"),
            Some(r"Price of $O(n^2)$ Algorithms: 100\% Correct\_Ness \#1")
        );
        assert_eq!(
            q.abstract_text,
            "First paragraph with ellipsis… and “quotes”.\n\nSecond paragraph."
        );
    }

    #[test]
    fn fixture_broken() {
        let parsed = parse(
            include_str!("../../tests/fixtures/formats/bibtex-broken.bib"),
            "b.bib",
        );
        let keys: Vec<_> = parsed
            .papers
            .iter()
            .filter_map(|p| p.citekey.as_deref())
            .collect();
        assert_eq!(keys, ["good_before", "good_after", "good_last"]);
        assert_eq!(parsed.problems.len(), 2, "{:?}", parsed.problems);
        assert_eq!(parsed.problems[0].location, "b.bib:9");
        assert_eq!(parsed.problems[1].location, "b.bib:20");
    }

    #[test]
    fn fixture_biblatex() {
        let parsed = parse(
            include_str!("../../tests/fixtures/formats/bibtex-biblatex.bib"),
            "x.bib",
        );
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.papers.len(), 2);
        let p = &parsed.papers[0];
        assert_eq!(p.source, "x.bib:4");
        assert_eq!(p.authors, ["Radford, Alec", "Kim, Jong Wook", "others"]);
        assert_eq!(p.year, Some(2021));
        assert_eq!(p.arxiv.as_deref(), Some("2103.00020"));
        assert_eq!(
            p.venue.as_deref(),
            Some("Proceedings of Machine Learning Research")
        );
        assert_eq!(p.tags, ["vision", "language", "contrastive-learning"]);
        assert_eq!(extra(p, "eprintclass"), Some("cs.CV"));
        assert_eq!(extra(p, "month"), Some("6"));
        assert_eq!(extra(p, "day"), Some("1"));
        let q = &parsed.papers[1];
        assert_eq!(q.source, "x.bib:16");
        assert_eq!(q.entry_type.as_deref(), Some("online"));
        assert_eq!(q.authors, ["Hugging Face"]);
        assert_eq!(q.year, Some(2020));
        assert_eq!(q.links[0].kind, LinkKind::Dataset);
        assert_eq!(extra(q, "urldate"), Some("2024-01-02"));
    }

    #[test]
    fn many_entries_quickly() {
        let mut text = String::from("@string{jml = {Journal of ML}}\n");
        for i in 0..10_000 {
            text.push_str(&format!(
                "@article{{key{i},\n  author = {{M{{\\\"u}}ller, J. and van Dam, A{i}}},\n  title = {{A {{Study}} of Things {i}}},\n  journal = jml,\n  year = {{2020}},\n  month = mar,\n  pages = {{1--{i}}},\n  doi = {{10.1/{i}}},\n  keywords = {{a, b c}},\n  abstract = {{Some text about \\emph{{things}} that goes on for a while.}},\n}}\n\n"
            ));
        }
        let start = std::time::Instant::now();
        let parsed = parse(&text, "big.bib");
        let elapsed = start.elapsed();
        assert_eq!(parsed.papers.len(), 10_000);
        assert!(parsed.problems.is_empty());
        assert_eq!(parsed.papers[9_999].source, "big.bib:119990");
        eprintln!("parsed 10k entries ({} bytes) in {elapsed:?}", text.len());
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
            let _ = parse(&s, "p.bib");
            let _ = looks_like(&s);
        }

        #[test]
        fn bibtex_like_text_never_panics(
            parts in prop::collection::vec(
                prop_oneof![
                    Just("@article{".to_string()), Just("@string{".to_string()),
                    Just("@misc(".to_string()), Just("@comment{".to_string()),
                    Just("}".to_string()), Just("{".to_string()), Just(")".to_string()),
                    Just(",".to_string()), Just(" = ".to_string()), Just("\"".to_string()),
                    Just("#".to_string()), Just("\\".to_string()), Just("$".to_string()),
                    Just("%".to_string()), Just("\n".to_string()), Just("~".to_string()),
                    Just("author".to_string()), Just("title".to_string()),
                    Just("crossref".to_string()), Just(" and ".to_string()),
                    Just("jan".to_string()), Just("\\'".to_string()), Just("\\url".to_string()),
                    Just("\\href".to_string()), Just("\\emph".to_string()),
                    Just("=".to_string()), Just("x".to_string()), "[a-z0-9 ,.=-]{0,8}",
                ],
                0..60,
            )
        ) {
            let text = parts.concat();
            let _ = parse(&text, "p.bib");
        }
    }
}
