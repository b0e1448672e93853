//! CSL's vocabulary and its BibTeX counterparts: the variables of the
//! CSL-JSON schema by kind, the BibTeX field and entry type each maps to,
//! the CSL type written back for a BibTeX type, and how the text of a
//! mapped variable is normalized (shared with the CSL exporter).

use crate::import::fields::normalize_pages;
use crate::text::{fold_paragraphs as paragraphs, fold_whitespace as fold};

/// CSL name variables (lists of people) of the CSL-JSON schema.
pub(crate) const NAME_VARIABLES: &[&str] = &[
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "executive-producer",
    "guest",
    "host",
    "interviewer",
    "illustrator",
    "narrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "script-writer",
    "series-creator",
    "translator",
];

/// CSL date variables of the CSL-JSON schema.
pub(crate) const DATE_VARIABLES: &[&str] = &[
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
];

/// CSL variables whose value is a string (or a number) in the CSL-JSON
/// schema, in the schema's order.
pub(crate) const TEXT_VARIABLES: &[&str] = &[
    "language",
    "journalAbbreviation",
    "shortTitle",
    "abstract",
    "annote",
    "archive",
    "archive_collection",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "chapter-number",
    "citation-number",
    "citation-label",
    "collection-number",
    "collection-title",
    "container-title",
    "container-title-short",
    "dimensions",
    "division",
    "DOI",
    "edition",
    "event",
    "event-title",
    "event-place",
    "first-reference-note-number",
    "genre",
    "ISBN",
    "ISSN",
    "issue",
    "jurisdiction",
    "keyword",
    "locator",
    "medium",
    "note",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "original-publisher",
    "original-publisher-place",
    "original-title",
    "page",
    "page-first",
    "part",
    "part-title",
    "PMCID",
    "PMID",
    "printing",
    "publisher",
    "publisher-place",
    "references",
    "reviewed-genre",
    "reviewed-title",
    "scale",
    "section",
    "source",
    "status",
    "supplement",
    "title",
    "title-short",
    "URL",
    "version",
    "volume",
    "volume-title",
    "volume-title-short",
    "year-suffix",
];

/// The BibTeX field a plain CSL variable maps to.
pub(super) fn bibtex_name(csl: &str) -> Option<&'static str> {
    Some(match csl {
        "volume" => "volume",
        "issue" => "number",
        "page" => "pages",
        "publisher" => "publisher",
        "publisher-place" => "address",
        "ISBN" => "isbn",
        "ISSN" => "issn",
        "language" => "language",
        "edition" => "edition",
        "collection-title" => "series",
        _ => return None,
    })
}

/// Normalizes the text of a CSL variable the way the importer stores it:
/// pages get `--`, other mapped variables and titles get whitespace folded.
pub(crate) fn normalize_text(csl: &str, text: &str) -> String {
    match csl {
        "page" => normalize_pages(&fold(text)),
        "abstract" => paragraphs(text),
        "note" => text.trim().to_string(),
        _ if bibtex_name(csl).is_some() || csl == "title" || csl == "container-title" => fold(text),
        _ => text.trim().to_string(),
    }
}

/// The BibTeX type of a CSL type (`genre` tells a master's thesis).
pub(crate) fn bibtex_type(csl: &str, genre: Option<&str>) -> &'static str {
    match csl {
        "article-journal" | "article" | "article-magazine" | "article-newspaper" => "article",
        "paper-conference" => "inproceedings",
        "book" => "book",
        "chapter" => "incollection",
        "thesis" if genre.is_some_and(|g| g.to_lowercase().contains("master")) => "mastersthesis",
        "thesis" => "phdthesis",
        "report" => "techreport",
        "webpage" | "post-weblog" => "online",
        _ => "misc",
    }
}

/// The CSL type written for a BibTeX type: `misc` (and anything unknown)
/// is a preprint (`article`) when it has an arXiv id, else `document`.
pub(crate) fn csl_type_for(bibtex: &str, has_arxiv: bool) -> &'static str {
    match bibtex {
        "article" => "article-journal",
        "inproceedings" | "conference" => "paper-conference",
        "book" => "book",
        "incollection" | "inbook" => "chapter",
        "phdthesis" | "mastersthesis" => "thesis",
        "techreport" => "report",
        "online" => "webpage",
        _ if has_arxiv => "article",
        _ => "document",
    }
}
