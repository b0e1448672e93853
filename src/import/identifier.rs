//! `lectern import --id …`: a record from a bare identifier (a DOI or an
//! arXiv id), with no network. It either matches a paper the library has
//! (and changes nothing) or creates a placeholder titled with the
//! identifier, which a later import of the real entry fills in.

use crate::error::{Error, Result};
use crate::import::ids::{arxiv_id_or_url, bare_doi};
use crate::model::NewPaper;

/// A paper identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    Doi(String),
    Arxiv(String),
}

impl Identifier {
    /// The title a placeholder record gets.
    pub fn placeholder_title(&self) -> String {
        match self {
            Identifier::Doi(d) => format!("doi:{d}"),
            Identifier::Arxiv(a) => format!("arXiv:{a}"),
        }
    }
}

/// Reads a DOI (`10.1145/…`, `doi:10.…`, `https://doi.org/10.…`) or an
/// arXiv id (`arXiv:2303.16727`, `2303.16727v2`,
/// `https://arxiv.org/abs/2303.16727v2`, `hep-th/9901001`), in the forms
/// [`crate::import::ids`] reads.
pub fn parse_identifier(input: &str) -> Result<Identifier> {
    let s = input.trim();
    // arXiv's own DOI and a Hugging Face paper page name an arXiv paper.
    if let Some((host, path)) = crate::import::ids::host_and_path(s)
        && host == "huggingface.co"
        && let Some(rest) = path.strip_prefix("/papers/")
        && let Some(id) = arxiv_id_or_url(rest.trim_end_matches('/'))
    {
        return Ok(Identifier::Arxiv(id));
    }
    if let Some(doi) = bare_doi(s) {
        return Ok(match crate::import::ids::arxiv_from_doi(&doi) {
            Some(id) => Identifier::Arxiv(id),
            None => Identifier::Doi(doi),
        });
    }
    if let Some(id) = arxiv_id_or_url(s) {
        return Ok(Identifier::Arxiv(id));
    }
    Err(Error::Invalid(format!(
        "`{s}` is not a DOI (10.xxxx/…) or an arXiv id (2303.16727, arXiv:2303.16727v2)"
    )))
}

/// The placeholder record for an identifier.
pub fn record(id: &Identifier, source: &str) -> NewPaper {
    let mut p = NewPaper {
        title: id.placeholder_title(),
        source: source.to_string(),
        ..NewPaper::default()
    };
    match id {
        Identifier::Doi(d) => p.doi = Some(d.clone()),
        Identifier::Arxiv(a) => p.arxiv = Some(a.clone()),
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_spellings() {
        let doi = Identifier::Doi("10.1145/3292500.3330701".into());
        for s in [
            "10.1145/3292500.3330701",
            "doi:10.1145/3292500.3330701",
            "https://doi.org/10.1145/3292500.3330701",
        ] {
            assert_eq!(parse_identifier(s).unwrap(), doi, "{s}");
        }
        let ax = Identifier::Arxiv("2303.16727".into());
        for s in [
            "2303.16727",
            "2303.16727v2",
            "arXiv:2303.16727",
            "arXiv:2303.16727v12",
            "https://arxiv.org/abs/2303.16727v2",
            "https://arxiv.org/pdf/2303.16727v1.pdf",
            "10.48550/arXiv.2303.16727",
            "https://huggingface.co/papers/2303.16727",
        ] {
            assert_eq!(parse_identifier(s).unwrap(), ax, "{s}");
        }
        assert_eq!(
            parse_identifier("hep-th/9901001v1").unwrap(),
            Identifier::Arxiv("hep-th/9901001".into())
        );
    }

    #[test]
    fn refuses_other_text() {
        for s in ["", "hello", "2303.1", "v2", "10.1145", "arXiv:abc"] {
            assert!(parse_identifier(s).is_err(), "{s}");
        }
    }
}
