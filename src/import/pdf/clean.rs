//! Text cleaning: pages normalized (line breaks, form feeds, ligatures,
//! whitespace, blank-line runs), and lines joined into running text with
//! hyphenation undone where a word was broken.

use crate::text::fold_whitespace as fold;

/// Cleans one page: line breaks normalized, form feeds removed, ligatures
/// spelled out, whitespace in lines folded, blank-line runs made single.
pub(super) fn clean_page(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n").replace(['\r', '\u{c}'], "\n");
    let mut out = String::with_capacity(raw.len());
    let mut blank = false;
    for line in raw.split('\n') {
        let line = fold(&fix_chars(line));
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

/// Spells out ligatures, turns a soft or Unicode hyphen at the end of a line
/// into `-` (so hyphenation can be joined) and drops control characters.
pub(super) fn fix_chars(line: &str) -> String {
    let trimmed = line.trim_end();
    let mut out = String::with_capacity(line.len());
    for (i, c) in trimmed.char_indices() {
        let last = i + c.len_utf8() == trimmed.len();
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            '\u{ad}' | '\u{2010}' if last => out.push('-'),
            '\u{ad}' => {}
            '\u{2010}' => out.push('-'),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Joins lines into running text: blank lines (empty strings) become
/// paragraph breaks, a word hyphenated across a line break is joined, other
/// line breaks become spaces.
pub(super) fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    let mut paragraph = false;
    for line in lines {
        let line = fold(line);
        if line.is_empty() {
            paragraph = !out.is_empty();
            continue;
        }
        if out.is_empty() {
        } else if paragraph {
            out.push_str("\n\n");
        } else if let Some(keep) = hyphenated(&out, &line) {
            if !keep {
                out.pop();
            }
        } else {
            out.push(' ');
        }
        paragraph = false;
        out.push_str(&line);
    }
    out
}

/// When `text` ends in a word broken by a hyphen before `next`: `Some(false)`
/// to drop the hyphen (`representa-` + `tion`), `Some(true)` to keep it
/// (`state-of-the-` + `art`, `Bose-` + `Einstein`); `None` otherwise.
fn hyphenated(text: &str, next: &str) -> Option<bool> {
    let stem = text.strip_suffix('-')?;
    let word = stem.rsplit(char::is_whitespace).next().unwrap_or("");
    if !word.chars().last().is_some_and(char::is_alphabetic) {
        return None;
    }
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    let prev_lower = word.chars().last().is_some_and(char::is_lowercase);
    Some(!(next_lower && prev_lower && !word.contains('-')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_cleaned() {
        assert_eq!(
            clean_page("\u{c}  Ef\u{fb01}cient   \tﬂow\r\n\n\n\nnext\u{0}  line  \n\n"),
            "Efficient flow\n\nnext line"
        );
        assert_eq!(clean_page("soft\u{ad}\nhyphen"), "soft-\nhyphen");
        assert_eq!(join_lines(["soft-", "hyphen"]), "softhyphen");
        assert_eq!(join_lines(["Bose-", "Einstein"]), "Bose-Einstein");
        assert_eq!(join_lines(["x-", "y"]), "xy");
        assert_eq!(
            join_lines(["well-known cat-", "egories"]),
            "well-known categories"
        );
        assert_eq!(
            join_lines(["ends with 3-", "4 items"]),
            "ends with 3- 4 items"
        );
        assert_eq!(join_lines(["", "a", "", "", "b", ""]), "a\n\nb");
    }
}
