//! The first pass over a BibTeX file: cutting it into top-level
//! `@type{…}` blocks, each with its kind, its text and the line it starts
//! on. Only braces, quotes and `%` comments are tracked, so the scan is
//! linear in the size of the file; a block that is never closed ends at
//! the next line that starts an entry.

use super::MAX_DEPTH;

/// A top-level piece of the file.
pub(super) enum Item<'a> {
    Block(Block<'a>),
    /// A line starting with `@` that does not open an entry.
    Stray {
        line: usize,
        message: String,
    },
}

pub(super) struct Block<'a> {
    pub(super) kind_lower: String,
    /// Byte offset of the `@` in the file.
    pub(super) start: usize,
    /// From the `@` to the closing delimiter (inclusive when closed).
    pub(super) text: &'a str,
    /// 1-based line of the `@`.
    pub(super) line: usize,
    /// Delimited by `(` … `)` instead of braces.
    pub(super) paren: bool,
    pub(super) state: BlockState,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockState {
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
pub(super) fn at_line_start(b: &[u8], i: usize) -> bool {
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

pub(super) fn split_blocks(text: &str) -> Vec<Item<'_>> {
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
pub(super) fn block_key(block: &str) -> Option<&str> {
    key_span(block).map(|(start, end)| &block[start..end])
}

/// Where the key of a block is: its start and end offsets.
pub(super) fn key_span(block: &str) -> Option<(usize, usize)> {
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
pub(super) fn paren_to_braces(block: &Block<'_>) -> String {
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
