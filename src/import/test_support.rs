//! Helpers the importers' tests share: the one paper of a parse, and the
//! value of an `extra` field.

use super::Parsed;
use crate::model::NewPaper;

/// The only paper of a parse that reported no problems.
pub(crate) fn only_paper(parsed: Parsed) -> NewPaper {
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 1);
    parsed.papers.into_iter().next().unwrap_or_default()
}

/// The value of the first `extra` field called `name`.
pub(crate) fn extra<'a>(p: &'a NewPaper, name: &str) -> Option<&'a str> {
    p.extra
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
