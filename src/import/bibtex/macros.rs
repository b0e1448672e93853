//! `@string` macros: each is expanded once, when it is defined, into raw
//! text pieces and looked up by name (case-insensitively) for each entry;
//! the month macros `jan` … `dec` are predefined.

use std::collections::HashMap;

use biblatex::{ParseError, RawBibliography, RawChunk};

use super::MAX_FIELD_LEN;
use super::blocks::{Block, BlockState, paren_to_braces};
use crate::import::dates::{MONTHS, month_from_name};

/// `@string` definitions, each expanded when defined into raw text pieces.
#[derive(Default)]
pub(super) struct Macros {
    /// Lowercase name → (index of the defining block, pieces), in file order.
    defs: HashMap<String, Vec<(usize, Vec<String>)>>,
}

impl Macros {
    /// The definition in force at block `at`; a macro defined only later
    /// in the file still resolves, to its first definition.
    pub(super) fn lookup(&self, name: &str, at: usize) -> Option<&[String]> {
        let defs = self.defs.get(&name.to_lowercase())?;
        defs.iter()
            .rev()
            .find(|(idx, _)| *idx < at)
            .or_else(|| defs.first())
            .map(|(_, pieces)| pieces.as_slice())
    }

    pub(super) fn define(
        &mut self,
        block: &Block<'_>,
        idx: usize,
        problems: &mut Vec<(usize, String)>,
    ) {
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
pub(super) fn month_macro(name: &str) -> Option<&'static str> {
    if name.len() != 3 {
        return None;
    }
    let n = usize::try_from(month_from_name(name)?).ok()?;
    MONTHS.get(n.checked_sub(1)?).copied()
}

/// " (line N)" for an error inside a block, when it is not the first line.
pub(super) fn at_line(text: &str, e: &ParseError, block_line: usize) -> String {
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
