//! Reading the paper file `papers/<citekey>.md` ([`parse`]); it is
//! written by [`crate::export::paper_file::render`], re-exported here.
//!
//! One file holds everything a person authored about one paper, so the
//! library can be rebuilt from the folder. Its shape (see
//! `docs/library-folder.md` for the full description):
//!
//! ```text
//! ---
//! id: "0190c6…"            stable identity; a renamed file keeps its paper
//! citekey: "heMaskedAutoencoders2021"
//! title: "…"
//! authors: [...]           year, venue, type, doi, arxiv, url, links
//! tags: [...]
//! status: unread           unread | reading | read
//! starred: false
//! related: ["[[key]]"]     outgoing `related` links
//! relations: {extends: ["[[key]]"]}   outgoing links of other kinds
//! fields: [["publisher", "ACM"]]      other reference-manager fields
//! added: "2026-11-27T01:00:00Z"
//! ---
//!
//! # Title
//!
//! *Author One, Author Two*
//!
//! The abstract.
//!
//! ## Links                 (generated from `links`, read-only)
//! ## Highlights
//! <!-- lectern:highlight id=… color=yellow start=10 end=42 -->
//! > the highlighted words
//!
//! The comment.
//! ## Related               (generated from relations, read-only)
//! ## Notes
//! <!-- lectern:note id=… -->
//! A note in Markdown, to the next note marker or the end of the file.
//! ```
//!
//! Reading is forgiving where a person edits by hand: text after `## Notes`
//! without a marker is a new note, a new file without an `id` is a new
//! paper, and text in a section Lectern does not know is kept as a note
//! rather than dropped.

use serde_yaml_ng::Value;

use crate::import::markdown::{read_yaml, scalar, split_front_matter};
use crate::model::{AnnotationKind, NewPaper, PdfRect, Problem, Status, rects_from_str};
use crate::text::fold_paragraphs;
use crate::text::trim_blank_lines;

use crate::export::paper_file::author_line;
#[cfg(test)]
use crate::export::paper_file::render_new;
pub use crate::export::paper_file::{HIGHLIGHT_MARKER, NOTE_MARKER, PAGE_LINE, render};

/// Front matter keys this module reads itself; the Markdown importer's
/// generic reading must not turn them into extra fields.
const OWN_KEYS: &[&str] = &[
    "id",
    "aliases",
    "alias",
    "status",
    "starred",
    "added",
    "updated",
    "relations",
    "fields",
    "wikilinks",
];

/// A highlight as a paper file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHighlight {
    /// `None` for a highlight the file does not identify (never written by
    /// Lectern).
    pub id: Option<String>,
    pub color: String,
    pub start: usize,
    pub end: usize,
    pub exact: String,
    pub comment: Option<String>,
    /// The PDF page (`page=`); `None` for a highlight of the abstract.
    pub page: Option<u32>,
    pub kind: AnnotationKind,
    pub rects: Vec<PdfRect>,
    pub file: Option<String>,
    pub file_hash: Option<String>,
    /// `false` when the marker says `placed=no`.
    pub placed: bool,
}

/// A note as a paper file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNote {
    /// `None` for text a person added without a note marker.
    pub id: Option<String>,
    pub body: String,
}

/// Everything a paper file says.
#[derive(Debug, Clone, PartialEq)]
pub struct PaperFile {
    pub id: Option<String>,
    /// Metadata: title, authors, year, venue, entry type, DOI, arXiv id,
    /// links, tags, citekey, abstract and extra fields.
    pub paper: NewPaper,
    pub status: Status,
    pub starred: bool,
    pub added: Option<String>,
    /// Other keys the paper goes by (`aliases:`, which Obsidian reads too).
    pub aliases: Vec<String>,
    /// Outgoing relations: `(kind, citekey)`.
    pub relations: Vec<(String, String)>,
    pub highlights: Vec<FileHighlight>,
    pub notes: Vec<FileNote>,
}

/// Whether `text` holds git's conflict markers (`<<<<<<<`, `=======`,
/// `>>>>>>>` at line starts, in that order).
pub fn has_git_conflict_markers(text: &str) -> bool {
    let mut stage = 0;
    for line in text.lines() {
        match stage {
            0 if line.starts_with("<<<<<<< ") || line == "<<<<<<<" => stage = 1,
            1 if line.starts_with("=======") => stage = 2,
            2 if line.starts_with(">>>>>>> ") || line == ">>>>>>>" => return true,
            _ => {}
        }
    }
    false
}

fn problem(source: &str, line: usize, message: impl Into<String>) -> Problem {
    Problem {
        location: format!("{source}:{line}"),
        message: message.into(),
    }
}

/// The 1-based line of the first front matter line starting with `key:`.
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

/// `[[key]]`, `[[key|alias]]` or a bare `key` → `key`.
fn link_target(s: &str) -> Option<String> {
    let s = s.trim();
    let inner = s
        .strip_prefix("[[")
        .and_then(|r| r.strip_suffix("]]"))
        .unwrap_or(s);
    let key = inner.split('|').next().unwrap_or(inner);
    let key = key.split('#').next().unwrap_or(key).trim();
    let key = key.strip_suffix(".md").unwrap_or(key);
    (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| key.to_string())
}

fn links_of(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items
            .iter()
            .filter_map(scalar)
            .filter_map(|s| link_target(&s))
            .collect(),
        other => scalar(other)
            .and_then(|s| link_target(&s))
            .into_iter()
            .collect(),
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Reads a paper file. `source` names it in problems (`papers/x.md`).
pub fn parse(text: &str, source: &str) -> Result<PaperFile, Problem> {
    let text = text.trim_start_matches('\u{feff}');
    refuse_conflict_markers(text, source)?;
    let (front, body) = split_front_matter(text).map_err(|m| problem(source, 1, m))?;
    let front = front.unwrap_or("");
    let map = read_yaml(front).map_err(|(line, m)| problem(source, line, m))?;
    let mut file = PaperFile {
        id: None,
        paper: metadata(text, source)?,
        status: Status::Unread,
        starred: false,
        added: None,
        aliases: Vec::new(),
        relations: Vec::new(),
        highlights: Vec::new(),
        notes: Vec::new(),
    };
    let mut fields = Vec::new();
    for (key, value) in &map {
        let Some(key) = scalar(key) else { continue };
        let fail = |m: String| problem(source, key_line(text, &key), m);
        read_own_key(&mut file, &mut fields, &key, value, &fail)?;
    }
    merge_extra_fields(&mut file, fields);
    let front_abstract = !file.paper.abstract_text.is_empty();
    let body_line = text[..text.len() - body.len()].lines().count() + 1;
    read_body(body, body_line, source, &mut file, front_abstract)?;
    Ok(file)
}

/// A file with git's conflict markers is refused, pointing at the first.
fn refuse_conflict_markers(text: &str, source: &str) -> Result<(), Problem> {
    if has_git_conflict_markers(text) {
        let line = text
            .lines()
            .position(|l| l.starts_with("<<<<<<<"))
            .map_or(1, |i| i + 1);
        return Err(problem(
            source,
            line,
            "the file holds git conflict markers; resolve the conflict, then sync again",
        ));
    }
    Ok(())
}

/// The paper's metadata through the Markdown importer, which knows every
/// spelling; without a note, and without the keys this module reads itself.
fn metadata(text: &str, source: &str) -> Result<NewPaper, Problem> {
    let mut parsed = crate::import::markdown::parse(text, source);
    if let Some(p) = parsed.problems.first() {
        return Err(p.clone());
    }
    let Some(mut paper) = parsed.papers.pop() else {
        return Err(problem(source, 1, "the file holds no paper"));
    };
    paper.note = None;
    paper
        .extra
        .retain(|(name, _)| !OWN_KEYS.contains(&name.as_str()));
    Ok(paper)
}

/// Reads one front matter key Lectern writes itself into `file` (`fields`
/// collects the `fields:` pairs); other keys are left alone. `fail` makes
/// a problem at the key's line.
fn read_own_key(
    file: &mut PaperFile,
    fields: &mut Vec<(String, String)>,
    key: &str,
    value: &Value,
    fail: &dyn Fn(String) -> Problem,
) -> Result<(), Problem> {
    match key.trim().to_lowercase().as_str() {
        "id" => {
            let id = scalar(value).unwrap_or_default().trim().to_string();
            if !id.is_empty() {
                if !is_valid_id(&id) {
                    return Err(fail(format!(
                        "`id: {id}` is not an id Lectern wrote (letters, digits, - and _ only)"
                    )));
                }
                file.id = Some(id);
            }
        }
        "status" => {
            let s = scalar(value).unwrap_or_default();
            file.status = s.trim().parse().map_err(fail)?;
        }
        "starred" => file.starred = read_starred(value),
        "added" => file.added = scalar(value).filter(|s| !s.trim().is_empty()),
        "aliases" | "alias" => read_aliases(value, &mut file.aliases),
        "related" => {
            for key in links_of(value) {
                file.relations.push(("related".into(), key));
            }
        }
        "relations" => read_relations(value, &mut file.relations, fail)?,
        "fields" => read_fields(value, fields, fail)?,
        _ => {}
    }
    Ok(())
}

/// `starred:` as a YAML boolean, or `true`, `yes` or `1` written otherwise.
fn read_starred(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        other => matches!(
            scalar(other).unwrap_or_default().trim(),
            "true" | "yes" | "1"
        ),
    }
}

/// `aliases:` (one or a list), each added once.
fn read_aliases(value: &Value, aliases: &mut Vec<String>) {
    let items = match value {
        Value::Sequence(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect::<Vec<_>>(),
    };
    for a in items {
        let a = a.trim().to_string();
        if !a.is_empty() && !aliases.contains(&a) {
            aliases.push(a);
        }
    }
}

/// `relations:`, a map of one-word kinds to `[[citekey]]` links.
fn read_relations(
    value: &Value,
    relations: &mut Vec<(String, String)>,
    fail: &dyn Fn(String) -> Problem,
) -> Result<(), Problem> {
    let Value::Mapping(kinds) = value else {
        if !matches!(value, Value::Null) {
            return Err(fail(
                "`relations` must map a kind to a list of [[citekey]] links".into(),
            ));
        }
        return Ok(());
    };
    for (kind, targets) in kinds {
        let kind = scalar(kind).unwrap_or_default().trim().to_lowercase();
        if kind.is_empty()
            || !kind
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            return Err(fail(format!("relation kind `{kind}` must be one word")));
        }
        for key in links_of(targets) {
            relations.push((kind.clone(), key));
        }
    }
    Ok(())
}

/// `fields:`, a list of `[name, value]` pairs.
fn read_fields(
    value: &Value,
    fields: &mut Vec<(String, String)>,
    fail: &dyn Fn(String) -> Problem,
) -> Result<(), Problem> {
    let Value::Sequence(items) = value else {
        return Ok(());
    };
    for item in items {
        let pair: Vec<String> = match item {
            Value::Sequence(p) => p.iter().filter_map(scalar).collect(),
            _ => Vec::new(),
        };
        match pair.as_slice() {
            [name, value] => fields.push((name.clone(), value.clone())),
            _ => {
                return Err(fail("each of `fields` must be a [name, value] pair".into()));
            }
        }
    }
    Ok(())
}

/// The extra fields: `fields` first, in their order; then keys a person
/// added by hand.
fn merge_extra_fields(file: &mut PaperFile, fields: Vec<(String, String)>) {
    let by_hand = std::mem::take(&mut file.paper.extra);
    file.paper.extra = fields;
    for (name, value) in by_hand {
        if !file.paper.extra.iter().any(|(n, _)| *n == name) {
            file.paper.extra.push((name, value));
        }
    }
}

/// Which part of the body a line is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Preamble,
    /// `## Links` and `## Related`: generated from the front matter.
    Generated,
    Highlights,
    /// A `## ` section Lectern does not know: kept as a note.
    Other,
    Notes,
}

fn read_body(
    body: &str,
    first_line: usize,
    source: &str,
    file: &mut PaperFile,
    front_abstract: bool,
) -> Result<(), Problem> {
    let mut reader = BodyReader::new(source);
    for (i, line) in body.lines().enumerate() {
        reader.line(file, first_line + i, line)?;
    }
    reader.finish(file, front_abstract);
    Ok(())
}

/// The body read line by line, into what is not yet a highlight, a note
/// or the abstract.
struct BodyReader<'a> {
    source: &'a str,
    section: Section,
    /// The lines between the title and the first section.
    preamble: Vec<&'a str>,
    /// Text kept as notes without an id.
    kept: Vec<String>,
    /// The lines of the current unknown section.
    other: Vec<&'a str>,
    /// Lines under `## Highlights` before any marker.
    loose_highlights: Vec<&'a str>,
    highlight: Option<(FileHighlight, Vec<&'a str>)>,
    note: Option<(Option<String>, Vec<&'a str>)>,
    seen_title: bool,
}

impl<'a> BodyReader<'a> {
    fn new(source: &'a str) -> Self {
        BodyReader {
            source,
            section: Section::Preamble,
            preamble: Vec::new(),
            kept: Vec::new(),
            other: Vec::new(),
            loose_highlights: Vec::new(),
            highlight: None,
            note: None,
            seen_title: false,
        }
    }

    /// Reads one line; `lineno` is its line in the file.
    fn line(&mut self, file: &mut PaperFile, lineno: usize, line: &'a str) -> Result<(), Problem> {
        if self.section == Section::Notes {
            self.notes_line(file, line);
            return Ok(());
        }
        if let Some(heading) = line.strip_prefix("## ") {
            self.heading(file, line, heading);
            return Ok(());
        }
        match self.section {
            Section::Preamble => self.preamble_line(line),
            Section::Generated => {
                // Lectern's own lines are `- kind: …`; keep anything else.
                if !line.trim().is_empty() && !line.starts_with("- ") {
                    self.kept.push(line.to_string());
                }
            }
            Section::Highlights => self.highlights_line(file, lineno, line)?,
            Section::Other => self.other.push(line),
            Section::Notes => unreachable!("handled above"),
        }
        Ok(())
    }

    /// A line under `## Notes`: a note marker starts a note; any other
    /// line belongs to the current note, or starts one without an id.
    fn notes_line(&mut self, file: &mut PaperFile, line: &'a str) {
        if let Some(rest) = line.strip_prefix(NOTE_MARKER) {
            if let Some((id, lines)) = self.note.take() {
                push_note(&mut file.notes, id, &lines);
            }
            let id = attr(rest, "id").filter(|id| is_valid_id(id));
            self.note = Some((id, Vec::new()));
        } else {
            match self.note.as_mut() {
                Some((_, lines)) => lines.push(line),
                None => self.note = Some((None, vec![line])),
            }
        }
    }

    /// A `## ` heading: finishes the section it ends and starts the next.
    fn heading(&mut self, file: &mut PaperFile, line: &'a str, heading: &str) {
        if self.section == Section::Highlights {
            finish_highlight(self.highlight.take(), &mut file.highlights);
        }
        if self.section == Section::Other {
            finish_other(&mut self.other, &mut self.kept);
        }
        self.section = match heading.trim_end() {
            "Links" | "Related" => Section::Generated,
            "Highlights" => Section::Highlights,
            "Notes" => Section::Notes,
            _ => {
                self.other.push(line);
                Section::Other
            }
        };
    }

    /// A line before the first section: blank lines and the title before
    /// the first text are skipped.
    fn preamble_line(&mut self, line: &'a str) {
        if !self.seen_title && line.trim().is_empty() {
            return;
        }
        if !self.seen_title && line.starts_with("# ") {
            self.seen_title = true;
            return;
        }
        self.seen_title = true;
        self.preamble.push(line);
    }

    /// A line under `## Highlights`: a marker starts a highlight; any
    /// other line belongs to the current one, or is loose.
    fn highlights_line(
        &mut self,
        file: &mut PaperFile,
        lineno: usize,
        line: &'a str,
    ) -> Result<(), Problem> {
        if let Some(rest) = line.strip_prefix(HIGHLIGHT_MARKER) {
            finish_highlight(self.highlight.take(), &mut file.highlights);
            let num = |name: &str| -> Result<usize, Problem> {
                attr(rest, name)
                    .and_then(|v| v.parse().ok())
                    .ok_or_else(|| {
                        problem(
                            self.source,
                            lineno,
                            format!("highlight marker needs a number `{name}=`"),
                        )
                    })
            };
            let (start, end) = (num("start")?, num("end")?);
            let color = attr(rest, "color")
                .and_then(|c| crate::model::palette_color(&c))
                .unwrap_or("yellow")
                .to_string();
            let page = match attr(rest, "page") {
                None => None,
                Some(p) => Some(p.parse::<u32>().ok().filter(|&p| p > 0).ok_or_else(|| {
                    problem(
                        self.source,
                        lineno,
                        format!("highlight marker has a bad page `page={p}`"),
                    )
                })?),
            };
            let rects = match attr(rest, "rects") {
                None => Vec::new(),
                Some(r) => rects_from_str(&r).ok_or_else(|| {
                    problem(
                        self.source,
                        lineno,
                        "highlight marker has bad rectangles `rects=`: want x0,y0,x1,y1;…"
                            .to_string(),
                    )
                })?,
            };
            let kind = attr(rest, "kind")
                .and_then(|k| AnnotationKind::parse(&k))
                .unwrap_or_default();
            let unescaped = |name: &str| {
                attr(rest, name)
                    .map(|v| crate::paths::key_from_file_stem(&v))
                    .filter(|v| !v.is_empty())
            };
            self.highlight = Some((
                FileHighlight {
                    id: attr(rest, "id").filter(|id| is_valid_id(id)),
                    color,
                    start,
                    end,
                    exact: String::new(),
                    comment: None,
                    page,
                    kind: if page.is_some() {
                        kind
                    } else {
                        AnnotationKind::Text
                    },
                    rects,
                    file: unescaped("file").filter(|f| is_attachment_link(f)),
                    file_hash: unescaped("hash"),
                    placed: attr(rest, "placed").as_deref() != Some("no"),
                },
                Vec::new(),
            ));
        } else {
            match self.highlight.as_mut() {
                Some((_, lines)) => lines.push(line),
                None => self.loose_highlights.push(line),
            }
        }
        Ok(())
    }

    /// After the last line: finishes what is open, then fills in the
    /// abstract and the notes without an id.
    fn finish(mut self, file: &mut PaperFile, front_abstract: bool) {
        finish_highlight(self.highlight.take(), &mut file.highlights);
        finish_other(&mut self.other, &mut self.kept);
        if let Some((id, lines)) = self.note.take() {
            push_note(&mut file.notes, id, &lines);
        }
        let mut kept = self.kept;
        let loose = trim_blank_lines(&self.loose_highlights.join("\n")).to_string();
        if !loose.is_empty() {
            kept.insert(0, loose);
        }
        // A highlight whose quote is empty was not one: keep its text. An
        // area of a PDF page has no quote.
        file.highlights.retain(|h| {
            if h.exact.is_empty() && h.kind != AnnotationKind::Area {
                if let Some(c) = &h.comment {
                    kept.push(c.clone());
                }
                false
            } else {
                true
            }
        });
        let body_abstract = preamble_abstract(&self.preamble, &file.paper.authors);
        if !front_abstract {
            file.paper.abstract_text = body_abstract;
        } else if !body_abstract.is_empty() && body_abstract != file.paper.abstract_text {
            kept.insert(0, body_abstract);
        }
        for text in kept {
            file.notes.push(FileNote {
                id: None,
                body: text,
            });
        }
    }
}

/// The abstract in the preamble: without leading blank lines, nor the
/// author line Lectern writes under the title.
fn preamble_abstract(preamble: &[&str], authors: &[String]) -> String {
    let mut pre: &[&str] = preamble;
    while let Some((first, tail)) = pre.split_first()
        && first.trim().is_empty()
    {
        pre = tail;
    }
    if let Some((first, tail)) = pre.split_first()
        && !authors.is_empty()
        && first.trim() == author_line(authors)
    {
        pre = tail;
    }
    fold_paragraphs(&pre.join("\n"))
}

/// Ends a highlight: its `>` lines are the quote (when there are any), the
/// rest is the comment.
fn finish_highlight(h: Option<(FileHighlight, Vec<&str>)>, out: &mut Vec<FileHighlight>) {
    let Some((mut h, lines)) = h else { return };
    let mut quote = Vec::new();
    let mut rest = lines.as_slice();
    while let Some((first, tail)) = rest.split_first()
        && first.trim().is_empty()
    {
        rest = tail;
    }
    while let Some((first, tail)) = rest.split_first() {
        match first.strip_prefix("> ").or_else(|| first.strip_prefix('>')) {
            Some(q) => {
                quote.push(q);
                rest = tail;
            }
            None => break,
        }
    }
    // A PDF highlight's quote ends with the line naming its page.
    if h.page.is_some()
        && let Some(last) = quote.last()
        && last
            .trim()
            .strip_prefix(PAGE_LINE)
            .is_some_and(|n| n.trim().parse::<u32>().is_ok())
    {
        quote.pop();
    }
    if !quote.is_empty() {
        h.exact = quote.join("\n");
    }
    let comment = trim_blank_lines(&rest.join("\n")).to_string();
    h.comment = (!comment.is_empty()).then_some(comment);
    out.push(h);
}

/// Ends an unknown section: its text, when there is any, is kept as a note.
fn finish_other(other: &mut Vec<&str>, kept: &mut Vec<String>) {
    let text = trim_blank_lines(&other.join("\n")).to_string();
    if !text.is_empty() {
        kept.push(text);
    }
    other.clear();
}

fn push_note(notes: &mut Vec<FileNote>, id: Option<String>, lines: &[&str]) {
    let body = trim_blank_lines(&lines.join("\n")).to_string();
    if id.is_some() || !body.is_empty() {
        notes.push(FileNote { id, body });
    }
}

/// The value of `name=value` in a marker's attributes.
/// Whether `link` names a file under the library's `attachments/` folder
/// without climbing out of it.
fn is_attachment_link(link: &str) -> bool {
    link.strip_prefix(super::ATTACHMENTS_DIR)
        .is_some_and(|rest| rest.starts_with('/'))
        && crate::paths::check_relative(link).is_ok()
}

fn attr(rest: &str, name: &str) -> Option<String> {
    rest.split_whitespace()
        .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Annotation, Direction, Link, LinkKind, Note, Paper, Relation, TextPosition, TextQuote,
    };
    // `AnnotationKind` and `PdfRect` come with `super::*`.

    /// What the module's documentation shows.
    #[test]
    fn the_documented_example_holds() {
        let text = render_new("id1", "key1", "A Title", "An abstract.");
        let f = parse(&text, "papers/key1.md").unwrap();
        assert_eq!(f.id.as_deref(), Some("id1"));
        assert_eq!(f.paper.title, "A Title");
        assert_eq!(f.paper.abstract_text, "An abstract.");
    }

    fn paper() -> Paper {
        Paper {
            id: "p1".into(),
            citekey: "heMasked2021".into(),
            title: "Masked Autoencoders: Scalable \"Vision\" Learners".into(),
            abstract_text: "First paragraph of the abstract.\n\nSecond paragraph.".into(),
            authors: vec!["He, Kaiming".into(), "Chen, Xinlei".into()],
            year: Some(2021),
            doi: Some("10.1/abc".into()),
            arxiv: Some("2111.06377".into()),
            links: vec![Link {
                url: "https://github.com/facebookresearch/mae".into(),
                kind: LinkKind::Code,
            }],
            tags: vec!["vision".into(), "ssl".into()],
            status: Status::Reading,
            starred: true,
            notes: vec![
                Note {
                    id: "n1".into(),
                    paper_id: "p1".into(),
                    body: "# My heading\n\nSee [[other2020]].\n\n## Sub\n\n- a list".into(),
                    created: "t".into(),
                    updated: "t".into(),
                },
                Note {
                    id: "n2".into(),
                    paper_id: "p1".into(),
                    body: "Second note.".into(),
                    created: "t".into(),
                    updated: "t".into(),
                },
            ],
            annotations: vec![
                Annotation::on_abstract(
                    "a1".into(),
                    "p1".into(),
                    TextQuote {
                        exact: "paragraph".into(),
                        prefix: "First ".into(),
                        suffix: " of".into(),
                    },
                    TextPosition { start: 6, end: 15 },
                    "green".into(),
                    Some("Nice.\n\n> quoted inside a comment? no: new lines".into()),
                    "t",
                ),
                Annotation {
                    page: Some(2),
                    file: Some("attachments/smith2020/my paper%.pdf".into()),
                    file_hash: Some("ab12".into()),
                    rects: vec![
                        PdfRect::checked(72.0, 700.5, 300.0, 712.25).unwrap(),
                        PdfRect::checked(72.0, 688.0, 140.0, 700.0).unwrap(),
                    ],
                    ..Annotation::on_abstract(
                        "a2".into(),
                        "p1".into(),
                        TextQuote {
                            exact: "a sentence that crosses\na line break".into(),
                            prefix: String::new(),
                            suffix: String::new(),
                        },
                        TextPosition { start: 40, end: 76 },
                        "yellow".into(),
                        Some("On the PDF.".into()),
                        "t",
                    )
                },
                Annotation {
                    kind: AnnotationKind::Area,
                    page: Some(3),
                    rects: vec![PdfRect::checked(100.0, 100.0, 400.0, 300.0).unwrap()],
                    placed: false,
                    ..Annotation::on_abstract(
                        "a3".into(),
                        "p1".into(),
                        TextQuote {
                            exact: String::new(),
                            prefix: String::new(),
                            suffix: String::new(),
                        },
                        TextPosition { start: 0, end: 0 },
                        "blue".into(),
                        None,
                        "t",
                    )
                },
            ],
            relations: vec![
                Relation {
                    kind: "related".into(),
                    direction: Direction::Outgoing,
                    other_id: "p2".into(),
                    other_citekey: "other2020".into(),
                    other_title: "Other".into(),
                    created: "t".into(),
                },
                Relation {
                    kind: "extends".into(),
                    direction: Direction::Outgoing,
                    other_id: "p3".into(),
                    other_citekey: "third2019".into(),
                    other_title: "Third".into(),
                    created: "t".into(),
                },
                Relation {
                    kind: "cites".into(),
                    direction: Direction::Incoming,
                    other_id: "p4".into(),
                    other_citekey: "fourth2022".into(),
                    other_title: "Fourth".into(),
                    created: "t".into(),
                },
            ],
            venue: Some("CVPR".into()),
            entry_type: Some("inproceedings".into()),
            extra: vec![
                ("pages".into(), "1--10".into()),
                ("publisher".into(), "IEEE".into()),
            ],
            aliases: vec!["old/key".into()],
            added: "2026-11-27T00:00:00Z".into(),
            updated: "2026-11-27T00:00:00Z".into(),
            filled_from: Vec::new(),
        }
    }

    #[test]
    fn render_then_parse_gives_everything_back() {
        let p = paper();
        let text = render(&p);
        let f = parse(&text, "papers/x.md").unwrap();
        assert_eq!(f.id.as_deref(), Some("p1"));
        assert_eq!(f.paper.citekey.as_deref(), Some("heMasked2021"));
        assert_eq!(f.paper.title, p.title);
        assert_eq!(f.paper.abstract_text, p.abstract_text);
        assert_eq!(f.paper.authors, p.authors);
        assert_eq!(f.paper.year, Some(2021));
        assert_eq!(f.paper.doi.as_deref(), Some("10.1/abc"));
        assert_eq!(f.paper.arxiv.as_deref(), Some("2111.06377"));
        assert_eq!(f.paper.links, p.links);
        assert_eq!(f.paper.tags, p.tags);
        assert_eq!(f.paper.venue.as_deref(), Some("CVPR"));
        assert_eq!(f.paper.entry_type.as_deref(), Some("inproceedings"));
        assert_eq!(f.paper.extra, p.extra);
        assert_eq!(f.status, Status::Reading);
        assert!(f.starred);
        assert_eq!(f.added.as_deref(), Some("2026-11-27T00:00:00Z"));
        assert_eq!(
            f.relations,
            vec![
                ("related".to_string(), "other2020".to_string()),
                ("extends".to_string(), "third2019".to_string())
            ]
        );
        assert_eq!(f.highlights.len(), 3);
        let h = &f.highlights[0];
        assert_eq!(h.id.as_deref(), Some("a1"));
        assert_eq!((h.start, h.end), (6, 15));
        assert_eq!(h.color, "green");
        assert_eq!(h.exact, "paragraph");
        assert_eq!(h.comment, p.annotations[0].comment);
        assert_eq!(h.page, None);
        // A PDF highlight: its page shows under the quote and is read back
        // from the marker, with its target and rectangles.
        assert!(text.contains("> a line break\n> — p. 2\n"), "{text}");
        let h = &f.highlights[1];
        assert_eq!(h.exact, "a sentence that crosses\na line break");
        assert_eq!(h.page, Some(2));
        assert_eq!(h.kind, AnnotationKind::Text);
        assert_eq!(h.rects, p.annotations[1].rects);
        assert_eq!(
            h.file.as_deref(),
            Some("attachments/smith2020/my paper%.pdf")
        );
        assert_eq!(h.file_hash.as_deref(), Some("ab12"));
        assert_eq!(h.comment.as_deref(), Some("On the PDF."));
        assert!(h.placed);
        let h = &f.highlights[2];
        assert_eq!(
            (h.kind, h.page, h.exact.as_str()),
            (AnnotationKind::Area, Some(3), "")
        );
        assert_eq!(h.rects.len(), 1);
        assert!(!h.placed);
        assert_eq!(
            f.notes,
            vec![
                FileNote {
                    id: Some("n1".into()),
                    body: p.notes[0].body.clone()
                },
                FileNote {
                    id: Some("n2".into()),
                    body: "Second note.".into()
                }
            ]
        );
    }

    #[test]
    fn hand_edits_are_read_and_nothing_is_dropped() {
        let text = render(&paper())
            .replace("status: reading", "status: read")
            .replace("  - \"ssl\"\n", "  - \"ssl\"\n  - \"to-cite\"\n")
            .replace("Second note.", "Second note, edited in vim.")
            .replace(
                "## Notes\n",
                "## My thoughts\n\nA section of my own.\n\n## Notes\n",
            )
            + "\nA new note typed at the end.\n";
        let f = parse(&text, "papers/x.md").unwrap();
        assert_eq!(f.status, Status::Read);
        assert_eq!(f.paper.tags, ["vision", "ssl", "to-cite"]);
        assert_eq!(
            f.notes[1].body,
            "Second note, edited in vim.\n\nA new note typed at the end."
        );
        assert!(
            f.notes
                .iter()
                .any(|n| n.id.is_none() && n.body == "## My thoughts\n\nA section of my own."),
            "{:?}",
            f.notes
        );
    }

    #[test]
    fn text_after_notes_heading_without_marker_is_a_new_note() {
        let text =
            "---\ntitle: \"Hand made\"\n---\n\nAbstract here.\n\n## Notes\n\nFirst thoughts.\n";
        let f = parse(text, "papers/new.md").unwrap();
        assert_eq!(f.id, None);
        assert_eq!(f.paper.abstract_text, "Abstract here.");
        assert_eq!(
            f.notes,
            vec![FileNote {
                id: None,
                body: "First thoughts.".into()
            }]
        );
    }

    #[test]
    fn problems_name_the_line() {
        let bad = render(&paper()).replace("status: reading", "status: skimmed");
        let p = parse(&bad, "papers/x.md").unwrap_err();
        assert!(p.location.starts_with("papers/x.md:"), "{p:?}");
        let line: usize = p.location.rsplit(':').next().unwrap().parse().unwrap();
        assert_eq!(bad.lines().nth(line - 1).unwrap(), "status: skimmed");

        let yaml = "---\ntitle: [unclosed\n---\n";
        assert!(
            parse(yaml, "y.md")
                .unwrap_err()
                .location
                .starts_with("y.md:")
        );

        let conflict = format!(
            "{}<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> origin/main\n",
            render(&paper())
        );
        let p = parse(&conflict, "c.md").unwrap_err();
        assert!(p.message.contains("git conflict"), "{p:?}");
    }

    #[test]
    fn render_is_stable_through_parse() {
        // What a parsed file would store renders to the same text.
        let p = paper();
        let text = render(&p);
        let f = parse(&text, "x").unwrap();
        let again = Paper {
            title: f.paper.title.clone(),
            abstract_text: f.paper.abstract_text.clone(),
            extra: f.paper.extra.clone(),
            ..p
        };
        assert_eq!(render(&again), text);
    }
}
