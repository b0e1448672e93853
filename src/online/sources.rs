//! What each source is asked and how its answer becomes [`Candidate`]s.
//!
//! Every request is a GET on the source's documented path under its base
//! URL ([`super::Endpoints`]):
//!
//! | source | by title | by identifier |
//! |---|---|---|
//! | arXiv API | `query?search_query=ti:"…"&max_results=5` (Atom) | `query?id_list=2303.16727` |
//! | Hugging Face | `papers/search?q=…` (JSON) | `papers/2303.16727` |
//! | Crossref | `works?query.bibliographic=…&rows=5` (JSON) | `works/<doi>` |
//! | Semantic Scholar | `paper/search/match?query=…&fields=…` | `paper/arXiv:<id>`, `paper/DOI:<doi>` |
//!
//! arXiv and Hugging Face answers are read by the importers that read the
//! same documents from files ([`crate::import::arxiv`],
//! [`crate::import::hf`]); Crossref and Semantic Scholar JSON is read here.
//! An answer that cannot be read is an error naming the source, never a
//! panic and never a partial record.

use serde_json::Value;

use super::{Candidate, Source};
use crate::error::{Error, Result};
use crate::import::ids::{arxiv_id_or_url, bare_doi};
use crate::model::{Link, LinkKind, NewPaper};
use crate::text::{fold_paragraphs, fold_whitespace};

/// The fields asked of Semantic Scholar.
pub const S2_FIELDS: &str = "title,authors,year,venue,externalIds,openAccessPdf,abstract";

fn malformed(source: Source, what: impl std::fmt::Display) -> Error {
    Error::Online {
        host: source.name().to_string(),
        message: format!(
            "{}: answered with something that cannot be read: {what}",
            source.name()
        ),
    }
}

/// The words of a title, for a phrase query (quotes and field syntax
/// would break the query).
pub fn query_words(title: &str) -> String {
    super::matching::match_form(title)
}

fn candidate(source: Source, paper: NewPaper) -> Candidate {
    let pdf_url = paper
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Pdf)
        .map(|l| l.url.clone());
    Candidate {
        source,
        paper,
        pdf_url,
    }
}

/// An arXiv API Atom feed.
pub fn arxiv_feed(text: &str) -> Result<Vec<Candidate>> {
    let parsed = crate::import::arxiv::parse(text, Source::Arxiv.name());
    if parsed.papers.is_empty()
        && let Some(p) = parsed.problems.first()
    {
        // An empty feed is no match; a broken one, or an error entry, is
        // a failure.
        return Err(malformed(Source::Arxiv, &p.message));
    }
    if !text.contains("<feed") {
        return Err(malformed(Source::Arxiv, "not an Atom feed"));
    }
    Ok(parsed
        .papers
        .into_iter()
        .map(|p| candidate(Source::Arxiv, p))
        .collect())
}

/// Hugging Face papers JSON (a search answer, one paper, or a day's list).
pub fn hf_papers(text: &str) -> Result<Vec<Candidate>> {
    let value: Value = serde_json::from_str(text).map_err(|e| malformed(Source::HuggingFace, e))?;
    if let Value::Array(items) = &value
        && items.is_empty()
    {
        return Ok(Vec::new());
    }
    let parsed = crate::import::hf::parse(text, Source::HuggingFace.name());
    if parsed.papers.is_empty()
        && let Some(p) = parsed.problems.first()
    {
        return Err(malformed(Source::HuggingFace, &p.message));
    }
    Ok(parsed
        .papers
        .into_iter()
        .map(|p| candidate(Source::HuggingFace, p))
        .collect())
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The first string of a Crossref list field (`title`, `container-title`).
fn first_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    match v.get(key)? {
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .find(|s| !s.is_empty()),
        Value::String(s) => Some(s.trim()).filter(|s| !s.is_empty()),
        _ => None,
    }
}

/// Text without its markup (Crossref abstracts are JATS XML).
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    fold_whitespace(&out)
}

/// One Crossref work.
fn crossref_work(item: &Value) -> Option<Candidate> {
    let title = fold_whitespace(first_of(item, "title")?);
    let doi = str_at(item, "DOI").and_then(bare_doi);
    let authors = item
        .get("author")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| {
                    match (str_at(a, "family"), str_at(a, "given"), str_at(a, "name")) {
                        (Some(f), Some(g), _) => Some(format!("{f}, {g}")),
                        (Some(f), None, _) => Some(f.to_string()),
                        (None, _, Some(n)) => Some(n.to_string()),
                        _ => None,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let year = [
        "issued",
        "published",
        "published-print",
        "published-online",
        "created",
    ]
    .iter()
    .find_map(|k| item.get(*k)?.get("date-parts")?.get(0)?.get(0)?.as_i64())
    .and_then(|y| i32::try_from(y).ok())
    .filter(|y| (1000..=9999).contains(y));
    let kind = str_at(item, "type").unwrap_or_default();
    // A preprint's record names the version it became: that DOI is the
    // paper's published identity.
    let published = item
        .get("relation")
        .and_then(|r| r.get("is-preprint-of"))
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|x| str_at(x, "id-type") == Some("doi"))
                .and_then(|x| str_at(x, "id"))
                .and_then(bare_doi)
        });
    let doi = match (kind, published) {
        ("posted-content", Some(p)) => Some(p),
        _ => doi,
    };
    let entry_type = match kind {
        "journal-article" => Some("article"),
        "proceedings-article" => Some("inproceedings"),
        "book-chapter" => Some("incollection"),
        "book" | "monograph" => Some("book"),
        "posted-content" => Some("misc"),
        _ => None,
    };
    // A preprint server's record (posted-content) names no venue.
    let venue = (kind != "posted-content")
        .then(|| first_of(item, "container-title").map(fold_whitespace))
        .flatten();
    let mut links = Vec::new();
    for l in item
        .get("link")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(url) = str_at(l, "URL")
            && str_at(l, "content-type") == Some("application/pdf")
            && url.starts_with("https://")
        {
            links.push(Link {
                url: url.to_string(),
                kind: LinkKind::Pdf,
            });
        }
    }
    let mut extra = Vec::new();
    for (key, name) in [
        ("volume", "volume"),
        ("issue", "number"),
        ("page", "pages"),
        ("publisher", "publisher"),
    ] {
        if let Some(v) = str_at(item, key) {
            extra.push((name.to_string(), fold_whitespace(v)));
        }
    }
    let paper = NewPaper {
        title,
        abstract_text: str_at(item, "abstract").map(strip_tags).unwrap_or_default(),
        authors,
        year,
        doi: doi.clone(),
        arxiv: None,
        links,
        source: Source::Crossref.name().to_string(),
        venue,
        entry_type: entry_type.map(str::to_string),
        extra,
        ..NewPaper::default()
    };
    Some(candidate(Source::Crossref, paper))
}

/// A Crossref answer: a work list (`message.items`) or one work.
pub fn crossref(text: &str) -> Result<Vec<Candidate>> {
    let value: Value = serde_json::from_str(text).map_err(|e| malformed(Source::Crossref, e))?;
    let message = value
        .get("message")
        .ok_or_else(|| malformed(Source::Crossref, "no `message`"))?;
    Ok(match message.get("items") {
        Some(Value::Array(items)) => items.iter().filter_map(crossref_work).collect(),
        Some(_) => return Err(malformed(Source::Crossref, "`items` is not a list")),
        None => crossref_work(message).into_iter().collect(),
    })
}

/// One Semantic Scholar paper.
fn s2_paper(p: &Value) -> Option<Candidate> {
    let title = fold_whitespace(str_at(p, "title")?);
    let ids = p.get("externalIds");
    let id = |k: &str| ids.and_then(|i| i.get(k)).and_then(Value::as_str);
    let arxiv = id("ArXiv").and_then(arxiv_id_or_url);
    // The arXiv DataCite DOI is the preprint's, not a published version.
    let doi = id("DOI")
        .and_then(bare_doi)
        .filter(|d| !d.to_ascii_lowercase().starts_with("10.48550/"));
    let authors = p
        .get("authors")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| str_at(x, "name"))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let year = p
        .get("year")
        .and_then(Value::as_i64)
        .and_then(|y| i32::try_from(y).ok());
    let mut links = Vec::new();
    if let Some(url) = p
        .get("openAccessPdf")
        .and_then(|o| str_at(o, "url"))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    {
        links.push(Link {
            url: url.to_string(),
            kind: LinkKind::Pdf,
        });
    }
    let paper = NewPaper {
        title,
        abstract_text: str_at(p, "abstract")
            .map(fold_paragraphs)
            .unwrap_or_default(),
        authors,
        year,
        doi,
        arxiv,
        links,
        source: Source::SemanticScholar.name().to_string(),
        venue: str_at(p, "venue").map(fold_whitespace),
        ..NewPaper::default()
    };
    Some(candidate(Source::SemanticScholar, paper))
}

/// A Semantic Scholar answer: `{"data": [...]}` (search) or one paper.
pub fn s2(text: &str) -> Result<Vec<Candidate>> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| malformed(Source::SemanticScholar, e))?;
    Ok(match value.get("data") {
        Some(Value::Array(items)) => items.iter().filter_map(s2_paper).collect(),
        Some(_) => return Err(malformed(Source::SemanticScholar, "`data` is not a list")),
        None if value.get("title").is_some() => s2_paper(&value).into_iter().collect(),
        None => {
            return Err(malformed(
                Source::SemanticScholar,
                "no `data` and no `title`",
            ));
        }
    })
}

/// Unpaywall's best open-access PDF for a DOI.
pub fn unpaywall_pdf(text: &str) -> Result<Option<String>> {
    let value: Value = serde_json::from_str(text).map_err(|e| malformed(Source::Unpaywall, e))?;
    let best = value.get("best_oa_location");
    Ok(best
        .and_then(|b| str_at(b, "url_for_pdf"))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crossref_work_list_gives_authors_year_venue_and_doi() {
        let text = r#"{"status":"ok","message-type":"work-list","message":{"items":[
          {"DOI":"10.1109/CVPR52729.2023.01398","type":"proceedings-article",
           "title":["VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking"],
           "author":[{"given":"Limin","family":"Wang","sequence":"first"},{"given":"Bingkun","family":"Huang"}],
           "issued":{"date-parts":[[2023,6]]},
           "container-title":["2023 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"],
           "abstract":"<jats:p>Scale is the primary factor &amp; more.</jats:p>","page":"14549-14560"}]}}"#;
        let c = crossref(text).unwrap();
        assert_eq!(c.len(), 1);
        let p = &c[0].paper;
        assert_eq!(p.authors, vec!["Wang, Limin", "Huang, Bingkun"]);
        assert_eq!(p.year, Some(2023));
        assert_eq!(p.doi.as_deref(), Some("10.1109/CVPR52729.2023.01398"));
        assert_eq!(p.entry_type.as_deref(), Some("inproceedings"));
        assert!(p.venue.as_deref().unwrap_or_default().contains("CVPR"));
        assert_eq!(p.abstract_text, "Scale is the primary factor & more.");
        assert!(p.extra.contains(&("pages".into(), "14549-14560".into())));
    }

    #[test]
    fn a_preprint_record_gives_the_doi_of_its_published_version() {
        let text = r#"{"message":{"DOI":"10.31219/osf.io/abcd","type":"posted-content",
          "title":["A Preprint"],"relation":{"is-preprint-of":[{"id-type":"doi","id":"10.1000/journal.5","asserted-by":"subject"}]}}}"#;
        let c = crossref(text).unwrap();
        assert_eq!(c[0].paper.doi.as_deref(), Some("10.1000/journal.5"));
        assert_eq!(c[0].paper.venue, None);
    }

    #[test]
    fn a_semantic_scholar_match_gives_ids_and_an_open_pdf() {
        let text = r#"{"data":[{"paperId":"abc","title":"VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking",
          "matchScore":183.2,"year":2023,"venue":"Computer Vision and Pattern Recognition",
          "externalIds":{"ArXiv":"2303.16727","DOI":"10.1109/CVPR52729.2023.01398","CorpusId":257805235},
          "openAccessPdf":{"url":"https://arxiv.org/pdf/2303.16727","status":"GREEN"},
          "authors":[{"authorId":"1","name":"Limin Wang"}]}]}"#;
        let c = s2(text).unwrap();
        assert_eq!(c[0].paper.arxiv.as_deref(), Some("2303.16727"));
        assert_eq!(
            c[0].pdf_url.as_deref(),
            Some("https://arxiv.org/pdf/2303.16727")
        );
        assert_eq!(c[0].paper.authors, vec!["Limin Wang"]);
    }

    #[test]
    fn unpaywall_gives_the_best_open_pdf_and_nothing_without_one() {
        let found = r#"{"doi":"10.1038/nature12373","is_oa":true,
          "best_oa_location":{"url":"https://example.org/landing","url_for_pdf":"https://example.org/paper.pdf","host_type":"repository"}}"#;
        assert_eq!(
            unpaywall_pdf(found).unwrap().as_deref(),
            Some("https://example.org/paper.pdf")
        );
        let closed = r#"{"doi":"10.1000/x","is_oa":false,"best_oa_location":null}"#;
        assert_eq!(unpaywall_pdf(closed).unwrap(), None);
        let odd = r#"{"best_oa_location":{"url_for_pdf":"file:///etc/passwd"}}"#;
        assert_eq!(unpaywall_pdf(odd).unwrap(), None);
        assert!(unpaywall_pdf("<html>").is_err());
    }

    #[test]
    fn broken_answers_are_errors_naming_the_source() {
        for (f, text) in [
            (
                crossref as fn(&str) -> Result<Vec<Candidate>>,
                "{\"message\": [1,",
            ),
            (s2, "<html>"),
            (hf_papers, "{\"id\": "),
            (
                arxiv_feed,
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>http://arxiv.org/abs/2303.1672",
            ),
        ] {
            let e = f(text).unwrap_err().to_string();
            assert!(e.contains("cannot be read"), "{e}");
        }
        assert!(crossref("{\"message\":{\"items\":[]}}").unwrap().is_empty());
        assert!(hf_papers("[]").unwrap().is_empty());
    }
}
