//! The title from the text of page 1, and the choice between it, the large
//! type (`large_type`) and the Info title; also what bounds a title: header
//! lines above it and the author block below it.

use std::sync::LazyLock;

use regex::Regex;

use super::abstract_text::{abstract_heading, is_section_stop};
use super::clean::join_lines;
use super::identifiers::DOI_RE;

/// Whether an Info title names the paper rather than a file or a template.
pub(super) fn meaningful_title(title: &str) -> bool {
    const JUNK_PREFIXES: &[&str] = &[
        "microsoft word",
        "microsoft powerpoint",
        "untitled",
        "no title",
        "powerpoint presentation",
        "slide 1",
        "layout 1",
        "title of the",
        "paper title",
        "insert title",
        "type title",
        "author guidelines",
        "instructions for",
        "formatting instructions",
        "preparation of papers",
        "doi:",
        "arxiv:",
    ];
    const FILE_SUFFIXES: &[&str] = &[
        ".pdf", ".dvi", ".tex", ".ps", ".eps", ".doc", ".docx", ".rtf", ".odt", ".txt", ".ppt",
        ".pptx", ".indd", ".qxd", ".qxp", ".pmd", ".fm", ".xml", ".htm", ".html",
    ];
    let lower = title.trim().to_lowercase();
    let words = lower
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    words >= 2
        && !JUNK_PREFIXES.iter().any(|p| lower.starts_with(p))
        && !FILE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// The first one to three heading-like lines of page 1.
pub(super) fn title_from_text(page: &str) -> Option<String> {
    let mut title: Vec<&str> = Vec::new();
    let mut lines = page.lines().take(24);
    for line in lines.by_ref() {
        if line.is_empty() {
            if title.is_empty() {
                continue;
            }
            break;
        }
        if starts_author_block(line) || !title.is_empty() && names_line(line) {
            break;
        }
        if is_header_line(line) {
            if title.is_empty() {
                continue;
            }
            break;
        }
        title.push(line);
        if title.len() == 3 {
            // A fourth line in the same block means running text, not a title.
            if lines.next().is_some_and(|next| {
                !next.is_empty() && !starts_author_block(next) && !names_line(next)
            }) {
                return None;
            }
            break;
        }
    }
    finish_title(&title)
}

/// The title from its lines: joined, footnote marks cut, and kept only
/// when it has two words or more and at most 300 characters.
pub(super) fn finish_title(lines: &[&str]) -> Option<String> {
    let title = join_lines(lines.iter().copied());
    let title = title.trim_end_matches(FOOTNOTE_MARKS).trim_end();
    let words = title
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    (words >= 2 && title.chars().count() <= 300).then(|| title.to_string())
}

/// The title of the paper: the large type at the top of page 1 (see
/// [`super::large_type::title_from_layout`]), checked against the Info
/// title. Where the two agree, or the Info title is not printed on page 1
/// (a placeholder, a file name, an older title), the page wins; where the
/// Info title is printed on page 1 but the large type says something else
/// or only part of it, the large type was a logo or a cut title and the
/// Info title wins. Without large type, the Info title, else the first
/// lines of the text.
pub(super) fn choose_title(
    info: Option<&str>,
    printed: Option<String>,
    page: &str,
) -> Option<String> {
    let Some(printed) = printed else {
        return info.map(str::to_string).or_else(|| title_from_text(page));
    };
    let Some(info) = info else {
        return Some(printed);
    };
    let info_letters = loose(info);
    if loose(&printed).contains(&info_letters) {
        return Some(printed);
    }
    if info_letters.len() >= 8 && loose(page).contains(&info_letters) {
        return Some(info.to_string());
    }
    Some(printed)
}

/// Letters and digits only, lowercased and transliterated to ASCII: what two
/// spellings of one title have in common.
fn loose(text: &str) -> String {
    deunicode::deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Footnote marks printed after a title or a name.
pub(super) const FOOTNOTE_MARKS: &[char] = &['*', '∗', '†', '‡', '§', '¶', '⋆'];

/// A line printed above the title: a journal or conference header, a
/// label, a stamp, a page number, a URL.
pub(super) fn is_header_line(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "arxiv:",
        "preprint",
        "under review",
        "to appear",
        "proceedings of",
        "in proceedings",
        "submitted to",
        "journal of",
        "vol.",
        "volume ",
        "doi:",
        "doi ",
        "doi.org",
        "http://",
        "https://",
        "www.",
        "copyright",
        "©",
        "technical report",
        "research article",
        "original article",
        "workshop",
    ];
    const LABELS: &[&str] = &[
        "PREPRINT",
        "DRAFT",
        "ARTICLE",
        "RESEARCH",
        "ORIGINAL",
        "REVIEW",
        "LETTER",
        "LETTERS",
        "REPORT",
        "TECHNICAL",
        "CONFIDENTIAL",
        "UNDER",
        "SUBMITTED",
        "ACCEPTED",
        "MANUSCRIPT",
        "AUTHOR",
        "OPEN",
        "ACCESS",
        "PAPER",
        "NOT",
        "FOR",
        "DISTRIBUTION",
        "VERSION",
        "COMMUNICATION",
        "PERSPECTIVE",
        "BRIEF",
    ];
    let lower = line.to_lowercase();
    let words: Vec<&str> = line.split_whitespace().collect();
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    words.len() <= 1
        || letters < 3
        || PREFIXES.iter().any(|p| lower.starts_with(p))
        || lower.contains("://")
        || HEADER_DATE_RE.is_match(line)
        || DOI_RE.is_match(line)
        || !line.chars().any(char::is_lowercase)
            && words.iter().all(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                w.is_empty() || LABELS.contains(&w)
            })
}

/// `Received 12 May 2020`, `Accepted at ICML`, `Published as a conference
/// paper`: editorial lines above a title.
static HEADER_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:received|revised|accepted|published)\b[:\s]*(?:\d|(?:on|in|at|as|for|to|by)\b)",
    )
    .expect("header regex is valid")
});

/// Affiliation words that end the title block.
static AFFILIATION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:universit(?:y|ies|é|ät|at|à|ad|e)|institut(?:e|o)?|department|dept\.",
        r"|laborator(?:y|ies)|school of|college|faculty|academy of)\b",
    ))
    .expect("affiliation regex is valid")
});

/// A capitalized name with a footnote mark right after it: `Lee1`,
/// `Chen∗`, `Smith1,2`, `Doe†`.
static MARKED_NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\p{Lu}\p{Ll}+(?:\d+|[*∗†‡§¶♠♣♦♥⋆])(?:,\d+)*(?:\s|,|$)")
        .expect("marked name regex is valid")
});

/// Whether a line starts the author/abstract block below the title: an
/// e-mail address, an affiliation, the abstract or the introduction.
fn starts_author_block(line: &str) -> bool {
    EMAIL_RE.is_match(line)
        || abstract_heading(line).is_some()
        || is_section_stop(line)
        || AFFILIATION_RE.is_match(line)
}

/// Whether a line below a title line is a line of names. Only asked once a
/// title line was seen: a title in title case (`The Foo Package∗`) looks
/// just like names.
fn names_line(line: &str) -> bool {
    MARKED_NAME_RE.is_match(line) || is_name_list(line)
}

pub(super) static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\w.+}-]@[\w-]+(?:\.[\w-]+)*\.\p{L}{2,}").expect("e-mail regex is valid")
});

/// `Ann Lee, Bo Chen and Cy Diaz`: two or more parts, each of two to four
/// capitalized words (initials allowed).
fn is_name_list(line: &str) -> bool {
    let parts: Vec<&str> = NAME_SEPARATORS_RE
        .split(line)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    parts.len() >= 2
        && parts.iter().all(|part| {
            let words: Vec<&str> = part.split_whitespace().collect();
            (2..=4).contains(&words.len())
                && words
                    .iter()
                    .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        })
}

pub(super) static NAME_SEPARATORS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|;|&|\band\b)\s*").expect("name separator regex is valid")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choosing_between_page_and_info_titles() {
        let page = "Deep Nets for Cats\n\nAnn Lee\nAbstract\nWe study cats.";
        let printed = || Some("Deep Nets for Cats".to_string());
        assert_eq!(
            choose_title(None, printed(), page).as_deref(),
            Some("Deep Nets for Cats")
        );
        assert_eq!(
            choose_title(Some("Nets for Cats"), printed(), page).as_deref(),
            Some("Deep Nets for Cats")
        );
        assert_eq!(
            choose_title(Some("We study cats"), printed(), page).as_deref(),
            Some("We study cats"),
            "an Info title printed on the page beats large type that differs"
        );
        assert_eq!(
            choose_title(Some("Kittens"), None, page).as_deref(),
            Some("Kittens")
        );
        assert_eq!(
            choose_title(None, None, page).as_deref(),
            Some("Deep Nets for Cats")
        );
    }

    #[test]
    fn title_skips_headers_and_stops_at_the_author_block() {
        let cases = [
            // Stamp line, label, conference header before the title.
            (
                "arXiv:2303.16727v2 [cs.CV] 12 Apr 2023\nPREPRINT\n\
                 Published as a conference paper at ICLR 2024\nDeep Nets\nfor Cats\n\nAnn Lee",
                Some("Deep Nets for Cats"),
            ),
            // Authors right below the title with footnote marks.
            (
                "Deep Nets for Cats\nAnn Lee1 Bo Chen2\nAbstract",
                Some("Deep Nets for Cats"),
            ),
            (
                "Deep Nets for Cats\nAnn Lee∗ Bo Chen†",
                Some("Deep Nets for Cats"),
            ),
            // A plain list of names.
            (
                "Deep Nets for Cats\nAnn Lee, Bo Chen and Cy Diaz",
                Some("Deep Nets for Cats"),
            ),
            // An affiliation or an e-mail.
            (
                "Deep Nets for Cats\nUniversity of Somewhere",
                Some("Deep Nets for Cats"),
            ),
            (
                "Deep Nets for Cats\nann@somewhere.edu",
                Some("Deep Nets for Cats"),
            ),
            (
                "Deep Nets for Cats\n{ann, bo}@somewhere.edu",
                Some("Deep Nets for Cats"),
            ),
            // A title with a footnote mark; an `@` that is no e-mail.
            ("The Foo Package∗\n\nAnn Lee", Some("The Foo Package")),
            ("Deep Nets for Cats†\nAnn Lee1", Some("Deep Nets for Cats")),
            (
                "Citing @article in Papers\n\nAnn Lee",
                Some("Citing @article in Papers"),
            ),
            // Abstract or introduction straight away.
            (
                "Deep Nets for Cats\nAbstract—We study cats.",
                Some("Deep Nets for Cats"),
            ),
            (
                "Deep Nets for Cats\n1 Introduction",
                Some("Deep Nets for Cats"),
            ),
            // A title with commas is not a list of names.
            (
                "Sparse, Dense, and Attentional Representations\n\nAnn Lee",
                Some("Sparse, Dense, and Attentional Representations"),
            ),
            // An all-caps title is not a label.
            (
                "ATTENTION IS ALL YOU NEED\n\nAnn Lee",
                Some("ATTENTION IS ALL YOU NEED"),
            ),
            // Words that only start like a header.
            (
                "Doing More with Less\n\nAnn Lee",
                Some("Doing More with Less"),
            ),
            (
                "Received Wisdom Revisited\n\nAnn Lee",
                Some("Received Wisdom Revisited"),
            ),
            (
                "Received: 1 May 2020 / Accepted: 2 June 2020\nAccepted at ICML\nDeep Nets\n\nAnn Lee",
                Some("Deep Nets"),
            ),
            // Single words above the title (journal section labels).
            (
                "Article\nDeep Nets for Cats\n\nAnn Lee",
                Some("Deep Nets for Cats"),
            ),
            // Nothing but the author block, one word, or running text.
            ("ann@somewhere.edu\nDeep Nets", None),
            ("Cats\n\nAbstract", None),
            (
                "this is running text\nthat goes on and on\nover many lines\nwithout a break",
                None,
            ),
        ];
        for (page, expected) in cases {
            assert_eq!(title_from_text(page).as_deref(), expected, "{page:?}");
        }
    }

    #[test]
    fn info_titles_are_judged() {
        assert!(meaningful_title("Attention Is All You Need"));
        assert!(!meaningful_title("paper.dvi"));
        assert!(!meaningful_title("final draft.pdf"));
        assert!(!meaningful_title("Microsoft Word - x.docx"));
        assert!(!meaningful_title("untitled"));
        assert!(!meaningful_title(
            "Author Guidelines for 8.5x11-inch Proceedings Manuscripts"
        ));
        assert!(!meaningful_title("BERT"), "one word");
        assert!(!meaningful_title("12 34"));
    }
}
