//! Identifiers and dates in a PDF's running text: where the first DOI
//! (before the reference list), the arXiv id and the date of the arXiv
//! stamp stand, and the year of a PDF date. Finding them in the text is
//! this module's; what a DOI, an arXiv id, a month name or a date is comes
//! from [`crate::import::ids`] and [`crate::import::dates`], as for every
//! importer.

use std::sync::LazyLock;

use regex::Regex;

use crate::import::dates::{MONTHS, parse_pdf};
/// The year an arXiv id was given in, for papers without a stamp date.
pub(super) use crate::import::ids::arxiv_year;
use crate::import::ids::{arxiv_id, bare_doi};

pub(super) static DOI_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b10\.\d{4,9}/[^\s"<>]+"#).expect("DOI regex is valid"));

/// The first DOI in the text, trailing punctuation and unbalanced closing
/// brackets stripped, read as [`bare_doi`] reads DOIs.
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
        // The trimming can leave `10.1234/`, which the shared reader takes.
        bare_doi(doi).filter(|d| {
            d.split_once('/')
                .is_some_and(|(_, suffix)| !suffix.is_empty())
        })
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
/// Apr 2023` (spaces optional, so it also matches with them removed). The
/// month is any word that starts with a month name's first three letters.
static STAMP_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let months: Vec<String> = MONTHS
        .iter()
        .map(|m| m.chars().take(3).collect::<String>().to_lowercase())
        .collect();
    Regex::new(&format!(
        concat!(
            r"(?i)arxiv:\s*\S+?\s*(?:\[[^\]]{{1,24}}\])?\s*\d{{1,2}}\s*",
            r"(?:{})[a-z]*\.?\s*((?:19|20)\d{{2}})\b",
        ),
        months.join("|")
    ))
    .expect("stamp date regex is valid")
});

/// The first arXiv id stamped `arXiv:` in the text, read as [`arxiv_id`]
/// reads ids.
pub(super) fn find_arxiv(text: &str) -> Option<String> {
    ARXIV_RE.captures_iter(text).find_map(|c| arxiv_id(&c[1]))
}

/// [`find_arxiv`] in text with its white space removed.
pub(super) fn find_arxiv_compact(text: &str) -> Option<String> {
    ARXIV_COMPACT_RE
        .captures_iter(text)
        .find_map(|c| arxiv_id(&c[1]))
}

/// The year of the date after the arXiv stamp.
pub(super) fn stamp_year(text: &str) -> Option<i32> {
    STAMP_DATE_RE.captures(text)?[1].parse().ok()
}

/// The year of a PDF date (`D:20230412…`), or of the first plausible year
/// in a date written some other way.
pub(super) fn date_year(date: &str) -> Option<i32> {
    let plausible = |y: i32| (1900..=2100).contains(&y).then_some(y);
    match parse_pdf(date) {
        Some(pdf_date) => plausible(pdf_date.year),
        None => YEAR_RE
            .find(date)
            .and_then(|m| m.as_str().parse().ok())
            .and_then(plausible),
    }
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
