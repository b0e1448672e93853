//! LaTeX in field values: the rewriting done before `biblatex` reads a
//! field (ties, formatting commands, `\\url`, `\\href`, paragraph breaks),
//! the conversion to Unicode through `biblatex` (one field at a time, with
//! fallbacks, when a whole entry fails), and the checks on a raw title
//! (protective braces, math, balanced braces).

use std::borrow::Cow;
use std::collections::BTreeMap;

use biblatex::{Bibliography, Pair, ParseError, RawBibliography, RawChunk, RawEntry, Spanned};

use super::entry::{RawField, keeps_paragraphs};

/// Stands for a paragraph break while a field passes through `biblatex`,
/// which folds all whitespace. A Unicode noncharacter, so never in text.
pub(super) const PARA: &str = "\u{FDD0}";

/// The pieces of a field prepared for `biblatex`, with paragraph breaks of
/// abstracts and notes marked.
pub(super) fn latex_input<'a>(field: &RawField<'a>) -> Vec<Cow<'a, str>> {
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
pub(super) fn prepare_latex(raw: &str) -> Cow<'_, str> {
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
pub(super) fn unescape(s: &str) -> String {
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

pub(super) type Converted = BTreeMap<String, biblatex::Chunks>;

/// Runs fields through `biblatex` as one entry.
pub(super) fn latex_convert(
    inputs: &[(String, Vec<Cow<'_, str>>)],
) -> Result<Converted, ParseError> {
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
pub(super) fn convert_each(
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

/// Whether a raw title has braces that protect text (not only the
/// argument braces of commands such as `\'{e}`).
pub(super) fn has_protective_braces(raw: &str) -> bool {
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
pub(super) fn has_math(raw: &str) -> bool {
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
