//! The abstract: the text after its heading on the first two pages, up to the
//! next section heading, with paragraphs kept, hyphenation joined and the
//! length capped at a sentence end.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::join_lines;

/// The longest abstract kept, in characters.
const MAX_ABSTRACT: usize = 3000;

/// When the line is an abstract heading, the text after it on the same line.
pub(super) fn abstract_heading(line: &str) -> Option<&str> {
    let line = line.trim();
    let head = line.get(..8)?;
    if head != "Abstract" && head != "ABSTRACT" {
        return None;
    }
    let rest = &line[8..];
    let Some(first) = rest.chars().next() else {
        return Some("");
    };
    if matches!(first, '.' | ':' | '—' | '–' | '-') {
        return Some(rest[first.len_utf8()..].trim());
    }
    let rest = rest.trim_start();
    (first.is_whitespace() && rest.chars().next().is_some_and(char::is_uppercase)).then_some(rest)
}

/// A heading that ends the abstract: the introduction, the keywords, the
/// contents, or any numbered heading in title case (`2 Related Work`).
pub(super) fn is_section_stop(line: &str) -> bool {
    let line = line.trim();
    SECTION_STOP_RE.is_match(line) || numbered_heading(line)
}

/// `1 Background`, `2. Related Work`, `III. PROBLEM SETTING`: a number, then
/// up to six words, each capitalized or a short function word, no final
/// period.
fn numbered_heading(line: &str) -> bool {
    const SMALL: &[&str] = &[
        "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
        "vs", "with",
    ];
    let Some((number, rest)) = line.split_once(char::is_whitespace) else {
        return false;
    };
    let number = number.strip_suffix('.').unwrap_or(number);
    let numbered = (1..=2).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
        || (1..=4).contains(&number.len()) && number.bytes().all(|b| b"IVX".contains(&b));
    let words: Vec<&str> = rest.split_whitespace().collect();
    numbered
        && (1..=6).contains(&words.len())
        && !line.ends_with(['.', ',', ';'])
        && words[0].chars().next().is_some_and(char::is_uppercase)
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || SMALL.contains(w)
        })
}

static SECTION_STOP_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:(?:\d{1,2}|[ivx]{1,4})\.?\s*introduction\b.{0,40}$|introduction[.:]?$",
        r"|(?:table\s+of\s+)?contents$",
        r"|(?:keywords|key\s+words|index\s+terms|ccs\s+concepts|general\s+terms",
        r"|acm\s+reference\s+format)\b)",
    ))
    .expect("section stop regex is valid")
});

/// The abstract in the opening pages, if there is a heading for it.
pub(super) fn abstract_from_text(text: &str) -> Option<String> {
    let mut lines = text.lines();
    let first = lines.by_ref().find_map(abstract_heading)?;
    let mut body = vec![first];
    let mut length = first.len();
    for line in lines {
        if is_section_stop(line) || length > MAX_ABSTRACT + 500 {
            break;
        }
        length += line.len() + 1;
        body.push(line);
    }
    let text = join_lines(mark_paragraph_ends(&body));
    let text = cut(&text, MAX_ABSTRACT);
    (!text.is_empty()).then_some(text)
}

/// Adds a blank line after each line that ends a paragraph in justified
/// text: it ends a sentence, is clearly shorter than the longest line, and
/// the next line starts with a capital. (PDFs seldom leave vertical space
/// between paragraphs, so there is often no blank line to go by.)
fn mark_paragraph_ends<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        out.push(*line);
        let next = lines.get(i + 1).copied().unwrap_or("");
        let short = line.chars().count() * 4 < width * 3;
        if lines.len() >= 3
            && short
            && line.ends_with(['.', '!', '?'])
            && next.chars().next().is_some_and(char::is_uppercase)
        {
            out.push("");
        }
    }
    out
}

/// At most `max` characters, cut after the last sentence end (or word) that
/// fits.
fn cut(text: &str, max: usize) -> String {
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let head = &text[..end];
    let sentence = head.rfind(". ").map(|i| i + 1);
    let word = head.rfind(char::is_whitespace);
    let at = match sentence {
        Some(i) if i > end / 2 => i,
        _ => word.unwrap_or(end),
    };
    head[..at].trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abstract_headings_and_stops() {
        assert_eq!(abstract_heading("Abstract"), Some(""));
        assert_eq!(abstract_heading("ABSTRACT"), Some(""));
        assert_eq!(abstract_heading("Abstract."), Some(""));
        assert_eq!(abstract_heading("Abstract. We study"), Some("We study"));
        assert_eq!(abstract_heading("Abstract—We study"), Some("We study"));
        assert_eq!(abstract_heading("Abstract: We study"), Some("We study"));
        assert_eq!(abstract_heading("Abstract We study"), Some("We study"));
        assert_eq!(abstract_heading("Abstracts are short"), None);
        assert_eq!(abstract_heading("Abstract syntax trees are"), None);
        assert_eq!(abstract_heading("abstract"), None);
        assert_eq!(abstract_heading("In the abstract"), None);
        for stop in [
            "1 Introduction",
            "1. Introduction",
            "1Introduction",
            "I. INTRODUCTION",
            "I INTRODUCTION",
            "Introduction",
            "INTRODUCTION",
            "Keywords: cats, dogs",
            "Key words—cats",
            "Index Terms—cats, dogs",
            "CCS Concepts",
            "Contents",
            "2 Related Work",
            "1. Background and Motivation",
            "III. PROBLEM SETTING",
        ] {
            assert!(is_section_stop(stop), "{stop:?}");
        }
        for not_stop in [
            "Introduction of a new method is what we do here and more",
            "We give an introduction to",
            "10 ways",
            "10 Languages and improves accuracy by",
            "3 Benchmarks.",
            "2024 Conference Paper On Something Long Here And More",
            "The contents",
        ] {
            assert!(!is_section_stop(not_stop), "{not_stop:?}");
        }
    }

    #[test]
    fn abstract_joins_hyphenation_keeps_paragraphs_and_stops() {
        let text = "Title Here\n\nABSTRACT\nWe present a new representa-\ntion learn-\n\
                    ing method for Bose-\nEinstein data.\n\nA second para-\ngraph.\n\
                    I. INTRODUCTION\nBody.";
        assert_eq!(
            abstract_from_text(text).as_deref(),
            Some(
                "We present a new representation learning method for Bose-Einstein data.\n\n\
                 A second paragraph."
            )
        );
        // No blank line, but a short last line ends the first paragraph.
        let justified = "Abstract\nThe first paragraph runs over a couple of full lines\n\
                         of text before it ends on a short line.\nThe second one starts \
                         here and continues for a long while.\nLast.\n1 Introduction";
        assert_eq!(
            abstract_from_text(justified).as_deref(),
            Some(
                "The first paragraph runs over a couple of full lines of text before it ends on \
                 a short line.\n\nThe second one starts here and continues for a long while. Last."
            )
        );
        let inline = "Abstract—Short and sweet.\nIndex Terms—cats";
        assert_eq!(
            abstract_from_text(inline).as_deref(),
            Some("Short and sweet.")
        );
        assert_eq!(abstract_from_text("No heading here.\nJust text."), None);
    }

    #[test]
    fn long_abstract_is_cut_at_a_sentence() {
        let sentence = "This sentence is part of a very long abstract without any stop. ";
        let text = format!("Abstract\n{}", sentence.repeat(100));
        let abstract_text = abstract_from_text(&text).unwrap_or_default();
        assert!(abstract_text.chars().count() <= MAX_ABSTRACT);
        assert!(abstract_text.chars().count() > MAX_ABSTRACT - sentence.len());
        assert!(abstract_text.ends_with("stop."), "{abstract_text:?}");
    }
}
