//! Identifiers and dates in text: the first DOI (before the reference list),
//! the arXiv id and the date of the arXiv stamp, and the year of a PDF date.

use std::sync::LazyLock;

use regex::Regex;

pub(super) static DOI_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b10\.\d{4,9}/[^\s"<>]+"#).expect("DOI regex is valid"));

/// The first DOI in the text, trailing punctuation and unbalanced closing
/// brackets stripped.
pub(super) fn find_doi(text: &str) -> Option<String> {
    DOI_RE.find_iter(text).find_map(|m| {
        let mut doi = m.as_str();
        loop {
            let trimmed = doi.trim_end_matches(['.', ',', ';', ':', '\'', '"', '’', '”']);
            let trimmed = match trimmed.chars().last() {
                Some(close @ (')' | ']' | '}')) => {
                    let open = match close {
                        ')' => '(',
                        ']' => '[',
                        _ => '{',
                    };
                    let opens = trimmed.matches(open).count();
                    let closes = trimmed.matches(close).count();
                    if closes > opens {
                        &trimmed[..trimmed.len() - 1]
                    } else {
                        trimmed
                    }
                }
                _ => trimmed,
            };
            if trimmed == doi {
                break;
            }
            doi = trimmed;
        }
        let (_, suffix) = doi.split_once('/')?;
        (!suffix.is_empty()).then(|| doi.to_string())
    })
}

/// The text before the last reference-list heading (all of it when there
/// is none).
pub(super) fn before_references(text: &str) -> &str {
    REFERENCES_RE
        .find_iter(text)
        .last()
        .map_or(text, |m| &text[..m.start()])
}

static REFERENCES_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^(?:\d{1,2}\.?\s*)?(?:references|bibliography|literature cited)\s*$")
        .expect("references regex is valid")
});

static ARXIV_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\barxiv:\s*(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?\b")
        .expect("arXiv regex is valid")
});

/// The arXiv stamp with its spaces removed: the version and the `[`
/// that follows mark where the id ends.
static ARXIV_COMPACT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)arxiv:(\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}|[a-z][a-z.-]*/\d{7})v\d+\[")
        .expect("compact arXiv regex is valid")
});

/// The date printed after an arXiv stamp: `arXiv:2303.16727v2 [cs.CV] 12
/// Apr 2023` (spaces optional, so it also matches with them removed).
static STAMP_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)arxiv:\s*\S+?\s*(?:\[[^\]]{1,24}\])?\s*\d{1,2}\s*",
        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*((?:19|20)\d{2})\b",
    ))
    .expect("stamp date regex is valid")
});

pub(super) fn find_arxiv(text: &str) -> Option<String> {
    ARXIV_RE.captures(text).map(|c| c[1].to_string())
}

pub(super) fn find_arxiv_compact(text: &str) -> Option<String> {
    ARXIV_COMPACT_RE.captures(text).map(|c| c[1].to_string())
}

pub(super) fn stamp_year(text: &str) -> Option<i32> {
    STAMP_DATE_RE.captures(text)?[1].parse().ok()
}

/// The year of a new-style arXiv id (`2303.16727` → 2023).
pub(super) fn arxiv_year(id: &str) -> Option<i32> {
    let yy: i32 = id.get(..2)?.parse().ok()?;
    (id.as_bytes().get(4) == Some(&b'.')).then_some(2000 + yy)
}

/// The year of a PDF date (`D:20230412…`), or of the first plausible year
/// in a date written some other way.
pub(super) fn date_year(date: &str) -> Option<i32> {
    let digits = date.trim().trim_start_matches("D:");
    let plausible = |y: i32| (1900..=2100).contains(&y).then_some(y);
    if let Some(year) = digits.get(..4).and_then(|y| y.parse().ok()) {
        return plausible(year);
    }
    YEAR_RE
        .find(date)
        .and_then(|m| m.as_str().parse().ok())
        .and_then(plausible)
}

static YEAR_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:19|20)\d{2}\b").expect("year regex is valid"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_are_trimmed() {
        let cases = [
            (
                "see https://doi.org/10.1145/3292500.3330701.",
                "10.1145/3292500.3330701",
            ),
            ("(doi:10.1000/xyz123)", "10.1000/xyz123"),
            (
                "10.1016/S0140-6736(20)30183-5, and",
                "10.1016/S0140-6736(20)30183-5",
            ),
            ("[10.5555/abc]", "10.5555/abc"),
            ("DOI 10.1109/5.771073;", "10.1109/5.771073"),
        ];
        for (text, doi) in cases {
            assert_eq!(find_doi(text).as_deref(), Some(doi), "{text:?}");
        }
        assert_eq!(find_doi("version 10.1/abc and 110.1234/x"), None);
    }

    #[test]
    fn arxiv_ids_and_years() {
        assert_eq!(
            find_arxiv("arXiv:2303.16727v2 [cs.CV]").as_deref(),
            Some("2303.16727")
        );
        assert_eq!(
            find_arxiv("see arXiv: 1706.03762").as_deref(),
            Some("1706.03762")
        );
        assert_eq!(
            find_arxiv("arXiv:math.GT/0309136v1").as_deref(),
            Some("math.GT/0309136")
        );
        assert_eq!(find_arxiv("arXiv:2313.16727"), None, "month 13");
        assert_eq!(
            find_arxiv_compact("xarXiv:1412.6980v9[cs.LG]30Jan2017").as_deref(),
            Some("1412.6980")
        );
        assert_eq!(
            stamp_year("arXiv:2303.16727v2 [cs.CV] 12 Apr 2023"),
            Some(2023)
        );
        assert_eq!(stamp_year("arXiv:2303.16727v2[cs.CV]12Apr2023"), Some(2023));
        assert_eq!(arxiv_year("2303.16727"), Some(2023));
        assert_eq!(arxiv_year("hep-th/9901001"), None);
        assert_eq!(date_year("D:20230412101010Z"), Some(2023));
        assert_eq!(date_year("D:0000"), None);
        assert_eq!(date_year("Mon Jan 12 10:00:00 2015"), Some(2015));
        assert_eq!(date_year("garbage"), None);
    }
}
