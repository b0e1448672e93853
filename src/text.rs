//! Small text helpers shared by import, search, export and the store
//! (titles, paragraphs, `[[wikilinks]]`).

/// The form of a title used to recognise the same paper twice: ASCII-folded,
/// lowercase, punctuation dropped, whitespace folded.
pub fn normalize_title(title: &str) -> String {
    let folded = deunicode::deunicode(title).to_lowercase();
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Folds runs of whitespace (including non-breaking spaces) to one space.
pub fn fold_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds whitespace inside paragraphs and joins them with "\n\n"; blank
/// lines (LF, CRLF or lone CR line ends) separate paragraphs.
pub fn fold_paragraphs(s: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let lines = s
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .flat_map(|l| l.split('\r'));
    for line in lines {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paras.push(current.join(" "));
                current.clear();
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    if !current.is_empty() {
        paras.push(current.join(" "));
    }
    paras.join("\n\n")
}

/// Levenshtein distance between two short strings, by characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Character offset → byte offset in `s` (clamped to the end).
pub fn char_to_byte(s: &str, chars: usize) -> usize {
    s.char_indices()
        .nth(chars)
        .map(|(b, _)| b)
        .unwrap_or(s.len())
}

/// Adds the citekey-like targets of `[[wikilinks]]` in `text` to `out`,
/// skipping fenced code blocks, inline code and `![[embeds]]`.
pub fn find_wikilinks(text: &str, out: &mut Vec<String>) {
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let opener = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (fence, opener) {
            (None, Some(f)) => {
                fence = Some(f);
                continue;
            }
            (Some(open), Some(f)) if open == f => {
                fence = None;
                continue;
            }
            (Some(_), _) => continue,
            (None, None) => {}
        }
        // Outside inline code: the even pieces between backticks.
        for piece in line.split('`').step_by(2) {
            let mut rest = piece;
            while let Some(i) = rest.find("[[") {
                let embed = rest[..i].ends_with('!');
                let after = &rest[i + 2..];
                let Some(j) = after.find("]]") else { break };
                let inner = &after[..j];
                rest = &after[j + 2..];
                if embed {
                    continue;
                }
                if let Some(key) = wikilink_key(inner)
                    && !out.contains(&key)
                {
                    out.push(key);
                }
            }
        }
    }
}

/// The citekey a wikilink's inside names: `key`, `key|alias`,
/// `key#heading`, `folder/key.md`; `None` for a target with spaces.
fn wikilink_key(inner: &str) -> Option<String> {
    let target = inner.split('|').next().unwrap_or(inner);
    let target = target.split('#').next().unwrap_or(target).trim();
    let target = target.rsplit('/').next().unwrap_or(target);
    let target = target.strip_suffix(".md").unwrap_or(target);
    (!target.is_empty() && !target.contains(char::is_whitespace) && !target.contains('['))
        .then(|| target.to_string())
}

/// `s` without leading blank lines and trailing whitespace (the first
/// line's indentation is kept).
pub fn trim_blank_lines(s: &str) -> &str {
    let s = s.trim_end();
    let mut start = 0;
    for line in s.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
    }
    &s[start..]
}

/// The first `n` characters of `s`, with `…` when it was cut.
pub fn first_chars(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((b, _)) => format!("{}…", &s[..b]),
        None => s.to_string(),
    }
}

/// The sentences of a prose text: split after `.`, `?` or `!` followed by
/// white space and a capital letter or digit, except after a short
/// lowercase word ("et al.") or before a number ("Fig. 3"); trimmed, empty
/// ones left out.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '?' | '!') {
            continue;
        }
        let end = i + c.len_utf8();
        let rest = &text[end..];
        let after = rest.trim_start();
        let spaced = after.len() < rest.len();
        let next_starts = after
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit());
        // "Fig. 3", "et al. Then": a short word before the dot is an
        // abbreviation.
        let word_before = text[start..i]
            .rsplit(|ch: char| !ch.is_alphanumeric())
            .next()
            .unwrap_or("");
        let short = !word_before.is_empty() && word_before.chars().count() <= 3;
        let abbreviation = c == '.'
            && short
            && (word_before.chars().all(char::is_lowercase) && word_before.chars().count() <= 2
                || after.starts_with(|n: char| n.is_ascii_digit()));
        if spaced && next_starts && !abbreviation {
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let s = text[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the module's documentation shows.
    #[test]
    fn the_documented_example_holds() {
        assert_eq!(
            normalize_title("  Yi: Open Foundation Models by 01.AI "),
            "yi open foundation models by 01 ai"
        );
    }

    #[test]
    fn folds_paragraphs_with_any_line_end() {
        assert_eq!(fold_paragraphs("  a  b\n c \n\n\n d\te "), "a b c\n\nd e");
        assert_eq!(fold_paragraphs("a\r\nb\r\n\r\nc"), "a b\n\nc");
        assert_eq!(fold_paragraphs("a\rb\r\rc"), "a b\n\nc");
        assert_eq!(fold_paragraphs(" \n "), "");
    }

    #[test]
    fn levenshtein_works() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
    }

    #[test]
    fn normalizes() {
        assert_eq!(
            normalize_title("Pre-trained  BERT\u{a0}Models"),
            "pre trained bert models"
        );
        assert_eq!(normalize_title("Über"), "uber");
    }

    #[test]
    fn sentences_split_after_full_stops_but_not_abbreviations() {
        let text =
            "We mask video. It works, e.g. on Kinetics! Fig. 3 shows it et al. Then 2 more? Yes.";
        assert_eq!(
            sentences(text),
            [
                "We mask video.",
                "It works, e.g. on Kinetics!",
                "Fig. 3 shows it et al. Then 2 more?",
                "Yes."
            ]
        );
        assert!(sentences("  ").is_empty());
    }
}
