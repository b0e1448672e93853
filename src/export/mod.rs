//! Exporters: the library written out in formats other tools read.
//!
//! `markdown` writes a folder of notes; `bibtex` and `csl` render reference
//! lists; `pdf_annots` writes a copy of a PDF with Lectern's highlights as
//! annotations other readers show. This module turns a stored [`Paper`] into the records those two
//! renderers take.

pub mod bibtex;
pub mod csl;
pub mod markdown;
pub mod paper_file;
pub mod pdf_annots;

use crate::model::Paper;

fn note_of(p: &Paper) -> Option<String> {
    let bodies: Vec<&str> = p
        .notes
        .iter()
        .map(|n| n.body.trim())
        .filter(|b| !b.is_empty())
        .collect();
    (!bodies.is_empty()).then(|| bodies.join("\n\n"))
}

/// One paper as the reference exporters (BibTeX, CSL-JSON) write it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub citekey: String,
    /// Other keys the paper goes by (BibLaTeX `ids`).
    pub aliases: Vec<String>,
    /// Kind of work in BibTeX's words (`article`, `inproceedings`, …).
    pub entry_type: Option<String>,
    pub title: String,
    /// "Family, Given", or an organization's name as written.
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub doi: Option<String>,
    pub arxiv: Option<String>,
    pub urls: Vec<String>,
    pub venue: Option<String>,
    pub abstract_text: String,
    pub tags: Vec<String>,
    pub note: Option<String>,
    /// Other fields under BibTeX names (and `csl_<name>` fields kept by the
    /// CSL importer).
    pub extra: Vec<(String, String)>,
}

/// A stored paper as an export record.
pub fn record(p: &Paper) -> Record {
    Record {
        citekey: p.citekey.clone(),
        aliases: p.aliases.clone(),
        entry_type: p.entry_type.clone(),
        title: p.title.clone(),
        authors: p.authors.clone(),
        year: p.year,
        doi: p.doi.clone(),
        arxiv: p.arxiv.clone(),
        urls: p.links.iter().map(|l| l.url.clone()).collect(),
        venue: p.venue.clone(),
        abstract_text: p.abstract_text.clone(),
        tags: p.tags.clone(),
        note: note_of(p),
        extra: p.extra.clone(),
    }
}
