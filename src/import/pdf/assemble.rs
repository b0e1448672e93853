//! Building the `PdfRead` from the raw pages, the Info dictionary and the
//! layout of page 1: the no-text-layer check, then the title, abstract, DOI,
//! arXiv id and year.

use super::PdfRead;
use super::abstract_text::abstract_from_text;
use super::clean::clean_page;
use super::identifiers::{
    arxiv_year, before_references, find_arxiv, find_arxiv_compact, find_doi, stamp_year,
};
use super::info::{Info, paper_from_info};
use super::large_type::title_from_layout;
use super::layout::Layout;
use super::title::{choose_title, meaningful_title};

pub(super) const NO_TEXT: &str = "no text layer (scanned?); imported as an attachment without text";
/// Below this many letters and digits per page on average, a PDF counts as
/// having no text layer (a scan with a page number or a stamp).
const MIN_ALNUM_PER_PAGE: usize = 32;

pub(super) fn build(info: &Info, raw_pages: &[String], layout: &Layout) -> PdfRead {
    let pages: Vec<String> = raw_pages.iter().map(|p| clean_page(p)).collect();
    let alnum: usize = pages
        .iter()
        .map(|p| p.chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    let mut paper = paper_from_info(info);
    if alnum < MIN_ALNUM_PER_PAGE * pages.len().max(1) {
        return PdfRead {
            paper,
            full_text: String::new(),
            pages: pages.len(),
            warning: Some(NO_TEXT.into()),
        };
    }
    let first = pages.first().map(String::as_str).unwrap_or("");
    let opening = pages
        .iter()
        .take(2)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n\n");
    let full_text = pages
        .iter()
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join("\n\n");

    paper.title = choose_title(
        info.title.as_deref().filter(|t| meaningful_title(t)),
        title_from_layout(layout),
        first,
    )
    .unwrap_or_default();
    paper.abstract_text = abstract_from_text(&opening).unwrap_or_default();
    if paper.doi.is_none() {
        paper.doi = find_doi(first).or_else(|| find_doi(before_references(&full_text)));
    }
    let compact: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    paper.arxiv = find_arxiv(first).or_else(|| find_arxiv_compact(&compact));
    let stamp_year = stamp_year(first).or_else(|| stamp_year(&compact));
    paper.year = stamp_year
        .or(paper.year)
        .or_else(|| paper.arxiv.as_deref().and_then(arxiv_year));
    PdfRead {
        paper,
        full_text,
        pages: pages.len(),
        warning: None,
    }
}
