//! Reading one entry: its fields with `@string` macros expanded, the
//! fields it inherits through `crossref` and `xdata`, and the LaTeX
//! conversion of the fields that need it, handed to [`build_paper`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use biblatex::{RawBibliography, RawChunk};

use super::blocks::{Block, BlockState, Item, block_key, paren_to_braces};
use super::latex::{convert_each, latex_convert, latex_input};
use super::macros::{Macros, at_line, month_macro};
use super::paper::build_paper;
use super::{MAX_DEPTH, MAX_FIELD_LEN};
use crate::model::NewPaper;

pub(super) struct Context<'a> {
    pub(super) items: &'a [Item<'a>],
    pub(super) macros: &'a Macros,
    pub(super) keys: &'a HashMap<String, usize>,
}

/// A field with `@string` macros expanded into raw BibTeX text pieces.
pub(super) struct RawField<'a> {
    pub(super) name: String,
    pub(super) pieces: Vec<Cow<'a, str>>,
}

impl RawField<'_> {
    pub(super) fn raw(&self) -> String {
        self.pieces.concat()
    }
}

pub(super) struct RawRecord<'a> {
    pub(super) kind: String,
    pub(super) key: String,
    pub(super) fields: Vec<RawField<'a>>,
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
pub(super) fn keeps_paragraphs(name: &str) -> bool {
    matches!(name, "abstract" | "note" | "annote" | "annotation")
}

/// Fields that do not go through LaTeX conversion at all.
pub(super) fn is_raw_only(name: &str) -> bool {
    is_verbatim(name) || matches!(name, "crossref" | "xdata")
}

pub(super) fn read_entry(
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
