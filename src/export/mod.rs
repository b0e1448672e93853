//! Exporters: the library written out in formats other tools read.
//!
//! `markdown` writes a folder of notes; `bibtex` and `csl` render reference
//! lists. This module turns a stored [`Paper`] into the records those two
//! renderers take.

pub mod bibtex;
pub mod csl;
pub mod markdown;

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

/// A paper as a BibTeX record.
pub fn bib_entry(p: &Paper) -> bibtex::BibEntry {
    bibtex::BibEntry {
        citekey: p.citekey.clone(),
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

/// A paper as a CSL-JSON item.
pub fn csl_entry(p: &Paper) -> csl::CslEntry {
    csl::CslEntry {
        citekey: p.citekey.clone(),
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
