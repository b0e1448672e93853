//! Finding one paper: asking the sources in turn, choosing among what they
//! return, and combining the records taken into one [`Found`].
//!
//! A paper with an arXiv id or a DOI is looked up by it. One with only a
//! title is looked up by title: Hugging Face's paper search first (it
//! answers with the arXiv id), arXiv's title query when that found
//! nothing, Crossref's bibliographic query for the published version, and
//! Semantic Scholar when neither an arXiv id nor a DOI was found. A
//! source's answer is taken only when its title agrees with the paper's
//! ([`matching::ACCEPT`]) and its authors and year agree with those the
//! paper has; two different papers that fit equally well are reported as
//! ambiguous, never guessed between.

use std::sync::Arc;

use serde::Serialize;

use super::http::{Http, HttpSettings};
use super::matching::{self, ACCEPT};
use super::{Candidate, Endpoints, Source, sources};
use crate::error::{Error, Result};
use crate::model::{LinkKind, NewPaper};

/// A paper to find, as the library has it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Target {
    pub id: String,
    pub citekey: String,
    pub title: String,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub doi: Option<String>,
    pub arxiv: Option<String>,
    /// Titled after its identifier (`arXiv:2303.16727`): the title says
    /// nothing to compare with.
    pub placeholder: bool,
    /// Whether it has a PDF in the library already.
    pub has_pdf: bool,
}

/// What became of a paper's PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfFetch {
    NotAsked,
    /// The paper has one already.
    Had,
    /// Downloaded to this file (under `.lectern/cache/downloads`), to be
    /// attached.
    Downloaded(std::path::PathBuf),
    /// No source links an open-access PDF.
    NoneOpen,
    Failed(String),
}

/// Where and how big PDFs are downloaded.
#[derive(Debug, Clone)]
pub struct PdfWanted {
    pub dir: std::path::PathBuf,
    pub cap: u64,
}

/// What looking for a paper gave.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The paper's record as the sources give it, which source gave each
    /// field (`authors`, `doi`, …), and the open-access PDFs they link.
    Found {
        record: Box<NewPaper>,
        from: Vec<(&'static str, Source)>,
        pdfs: Vec<(Source, String)>,
    },
    /// Several different papers fit; each described in one line.
    Ambiguous(Vec<String>),
    NotFound,
    /// A source failed (offline, stalled, a broken answer); nothing is
    /// written for the paper.
    Failed(String),
}

/// A paper and what looking for it gave.
#[derive(Debug, Clone)]
pub struct Found {
    pub target: Target,
    pub outcome: Outcome,
    pub pdf: PdfFetch,
}

/// What choosing among one source's candidates gave.
enum Choice {
    Taken(Box<Candidate>),
    Ambiguous(Vec<String>),
    Nothing,
}

/// One line about a candidate, for an ambiguity report.
fn describe(c: &Candidate) -> String {
    let p = &c.paper;
    let id = p
        .arxiv
        .as_ref()
        .map(|a| format!("arXiv {a}"))
        .or_else(|| p.doi.as_ref().map(|d| format!("doi {d}")))
        .unwrap_or_else(|| c.source.name().to_string());
    let year = p.year.map(|y| format!(", {y}")).unwrap_or_default();
    let first = p
        .authors
        .first()
        .map(|a| format!(", {}", matching::family(a)))
        .unwrap_or_default();
    format!("“{}” ({id}{first}{year})", p.title)
}

/// The identity a candidate stands for, to tell two papers from one.
fn identity(c: &Candidate) -> String {
    c.paper
        .arxiv
        .clone()
        .or_else(|| c.paper.doi.as_ref().map(|d| d.to_ascii_lowercase()))
        .unwrap_or_else(|| {
            format!(
                "{}|{:?}",
                matching::match_form(&c.paper.title),
                c.paper.year
            )
        })
}

/// Picks the candidate that is the target, if exactly one is.
fn choose(target: &Target, candidates: Vec<Candidate>) -> Choice {
    let wanted = matching::match_form(&target.title);
    let mut fitting: Vec<(f64, Candidate)> = candidates
        .into_iter()
        .map(|c| {
            let sim = matching::form_similarity(&wanted, &matching::match_form(&c.paper.title));
            (sim, c)
        })
        .filter(|(sim, c)| {
            *sim >= ACCEPT
                && matching::agrees(&target.authors, target.year, &c.paper.authors, c.paper.year)
        })
        .collect();
    if fitting.is_empty() {
        return Choice::Nothing;
    }
    fitting.sort_by(|a, b| b.0.total_cmp(&a.0));
    let best = fitting[0].0;
    let mut ids: Vec<String> = fitting.iter().map(|(_, c)| identity(c)).collect();
    ids.sort();
    ids.dedup();
    if ids.len() == 1 {
        return Choice::Taken(Box::new(fitting.swap_remove(0).1));
    }
    // Several papers fit: the one clearly closest wins, else it is for the
    // person to say.
    let close: Vec<&Candidate> = fitting
        .iter()
        .filter(|(sim, _)| best - *sim < 0.02)
        .map(|(_, c)| c)
        .collect();
    let mut close_ids: Vec<String> = close.iter().map(|c| identity(c)).collect();
    close_ids.sort();
    close_ids.dedup();
    if close_ids.len() == 1 {
        return Choice::Taken(Box::new(fitting.swap_remove(0).1));
    }
    Choice::Ambiguous(close.into_iter().map(describe).collect())
}

/// Which sources a field is taken from first: the published version's
/// identity and venue from Crossref, the preprint's from arXiv.
fn preference(field: &str) -> &'static [Source] {
    use Source::*;
    match field {
        "doi" | "venue" | "entry_type" => &[Crossref, SemanticScholar, Arxiv, HuggingFace],
        "abstract" => &[Arxiv, HuggingFace, SemanticScholar, Crossref],
        _ => &[Arxiv, HuggingFace, Crossref, SemanticScholar],
    }
}

/// Combines the records taken into one, each field from the first source
/// in its [`preference`] that has it.
fn combine(target: &Target, taken: &[Candidate], arxiv_pdf: &str) -> Outcome {
    let mut record = NewPaper {
        source: "fetch".into(),
        ..NewPaper::default()
    };
    let mut from = Vec::new();
    let by = |field: &str| -> Vec<&Candidate> {
        let mut out = Vec::new();
        for s in preference(field) {
            out.extend(taken.iter().filter(|c| c.source == *s));
        }
        out
    };
    macro_rules! pick {
        ($field:literal, $get:expr, $set:expr) => {
            if let Some(c) = by($field).into_iter().find(|c| $get(&c.paper)) {
                $set(&mut record, &c.paper);
                from.push(($field, c.source));
            }
        };
    }
    pick!(
        "title",
        |p: &NewPaper| !p.title.is_empty(),
        |r: &mut NewPaper, p: &NewPaper| r.title = p.title.clone()
    );
    pick!(
        "authors",
        |p: &NewPaper| !p.authors.is_empty(),
        |r: &mut NewPaper, p: &NewPaper| r.authors = p.authors.clone()
    );
    pick!(
        "year",
        |p: &NewPaper| p.year.is_some(),
        |r: &mut NewPaper, p: &NewPaper| r.year = p.year
    );
    pick!(
        "arxiv",
        |p: &NewPaper| p.arxiv.is_some(),
        |r: &mut NewPaper, p: &NewPaper| r.arxiv = p.arxiv.clone()
    );
    pick!(
        "doi",
        |p: &NewPaper| p.doi.is_some(),
        |r: &mut NewPaper, p: &NewPaper| r.doi = p.doi.clone()
    );
    pick!(
        "venue",
        |p: &NewPaper| p.venue.is_some(),
        |r: &mut NewPaper, p: &NewPaper| r.venue = p.venue.clone()
    );
    pick!(
        "entry_type",
        |p: &NewPaper| p.entry_type.is_some(),
        |r: &mut NewPaper, p: &NewPaper| r.entry_type = p.entry_type.clone()
    );
    pick!(
        "abstract",
        |p: &NewPaper| !p.abstract_text.is_empty(),
        |r: &mut NewPaper, p: &NewPaper| r.abstract_text = p.abstract_text.clone()
    );
    // Links and other fields from every source, the first of each kept.
    let mut pdfs: Vec<(Source, String)> = Vec::new();
    for c in taken {
        for l in &c.paper.links {
            if l.kind == LinkKind::Pdf {
                continue; // downloaded on request, not linked
            }
            if !record.links.iter().any(|x| x.url == l.url) {
                record.links.push(l.clone());
                if !from.iter().any(|(f, s)| *f == "links" && *s == c.source) {
                    from.push(("links", c.source));
                }
            }
        }
        for (k, v) in &c.paper.extra {
            if !record.extra.iter().any(|(x, _)| x == k) {
                record.extra.push((k.clone(), v.clone()));
                if !from.iter().any(|(f, _)| *f == "extra") {
                    from.push(("extra", c.source));
                }
            }
        }
        if let Some(u) = &c.pdf_url
            && !pdfs.iter().any(|(_, x)| x == u)
        {
            pdfs.push((c.source, u.clone()));
        }
    }
    // arXiv's own PDF, at the configured base, comes first; links to
    // arxiv.org itself are left for it (a mirror stands in for it).
    pdfs.retain(|(_, u)| {
        reqwest::Url::parse(u).is_ok_and(|url| {
            !url.host_str()
                .is_some_and(|h| h == "arxiv.org" || h.ends_with(".arxiv.org"))
        })
    });
    if let Some(a) = record.arxiv.as_ref().or(target.arxiv.as_ref()) {
        let url = format!("{arxiv_pdf}/{a}");
        pdfs.retain(|(_, u)| u != &url);
        pdfs.insert(0, (Source::Arxiv, url));
    }
    Outcome::Found {
        record: Box::new(record),
        from,
        pdfs,
    }
}

/// Resolves papers against the sources. Shared across tasks behind an
/// [`Arc`].
pub struct Fetcher {
    http: Http,
    endpoints: Endpoints,
    enabled: Vec<Source>,
    email: Option<String>,
}

impl Fetcher {
    pub fn new(
        settings: HttpSettings,
        endpoints: Endpoints,
        enabled: Vec<Source>,
        email: Option<String>,
    ) -> Result<Fetcher> {
        Ok(Fetcher {
            http: Http::new(settings)?,
            endpoints,
            enabled,
            email: email.filter(|e| e.contains('@')),
        })
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    fn on(&self, s: Source) -> bool {
        self.enabled.contains(&s)
    }

    pub(super) fn url(
        &self,
        source: Source,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<reqwest::Url> {
        let base = self.endpoints.base(source);
        let mut url = reqwest::Url::parse(&format!("{base}/{path}")).map_err(|e| {
            Error::Invalid(format!(
                "{}: not a usable base URL ({base}): {e}",
                source.env_var()
            ))
        })?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// Asks a source and reads its answer; a 404 is no record.
    async fn ask(&self, source: Source, url: reqwest::Url) -> Result<Vec<Candidate>> {
        let answer = match self.http.get_text(source, url).await {
            Ok(a) => a,
            Err(Error::NotFound { .. }) => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        match source {
            Source::Arxiv => sources::arxiv_feed(&answer.body),
            Source::HuggingFace => sources::hf_papers(&answer.body),
            Source::Crossref => sources::crossref(&answer.body),
            Source::SemanticScholar => sources::s2(&answer.body),
            Source::Unpaywall => Ok(Vec::new()),
        }
    }

    async fn by_arxiv_id(&self, id: &str) -> Result<Vec<Candidate>> {
        let mut out = Vec::new();
        if self.on(Source::Arxiv) {
            let url = self.url(
                Source::Arxiv,
                "query",
                &[("id_list", id), ("max_results", "1")],
            )?;
            out.extend(self.ask(Source::Arxiv, url).await?);
        }
        if out.is_empty() && self.on(Source::HuggingFace) {
            let url = self.url(Source::HuggingFace, &format!("papers/{id}"), &[])?;
            out.extend(self.ask(Source::HuggingFace, url).await?);
        }
        out.retain(|c| c.paper.arxiv.as_deref() == Some(id));
        Ok(out)
    }

    async fn by_doi(&self, doi: &str) -> Result<Vec<Candidate>> {
        let mut out = Vec::new();
        if self.on(Source::Crossref) {
            let mailto = self.email.clone().unwrap_or_default();
            let query: Vec<(&str, &str)> = if mailto.is_empty() {
                Vec::new()
            } else {
                vec![("mailto", mailto.as_str())]
            };
            let url = self.url(Source::Crossref, &format!("works/{doi}"), &query)?;
            out.extend(self.ask(Source::Crossref, url).await?);
        }
        if self.on(Source::SemanticScholar) {
            let url = self.url(
                Source::SemanticScholar,
                &format!("paper/DOI:{doi}"),
                &[("fields", sources::S2_FIELDS)],
            )?;
            out.extend(self.ask(Source::SemanticScholar, url).await?);
        }
        out.retain(|c| {
            c.paper
                .doi
                .as_deref()
                .is_none_or(|d| d.eq_ignore_ascii_case(doi))
        });
        Ok(out)
    }

    async fn by_title(&self, source: Source, title: &str) -> Result<Vec<Candidate>> {
        let words = sources::query_words(title);
        let url = match source {
            Source::HuggingFace => self.url(source, "papers/search", &[("q", &words)])?,
            Source::Arxiv => {
                let q = format!("ti:\"{words}\"");
                self.url(
                    source,
                    "query",
                    &[("search_query", &q), ("max_results", "5")],
                )?
            }
            Source::Crossref => {
                let mut q = vec![("query.bibliographic", words.as_str()), ("rows", "5")];
                if let Some(m) = &self.email {
                    q.push(("mailto", m.as_str()));
                }
                self.url(source, "works", &q)?
            }
            Source::SemanticScholar => self.url(
                source,
                "paper/search/match",
                &[("query", &words), ("fields", sources::S2_FIELDS)],
            )?,
            Source::Unpaywall => return Ok(Vec::new()),
        };
        self.ask(source, url).await
    }

    /// Looks for one paper, and downloads its open-access PDF when
    /// `pdf` says where and it has none.
    pub async fn resolve(&self, target: &Target, pdf: Option<&PdfWanted>) -> Found {
        let outcome = match self.resolve_inner(target).await {
            Ok(o) => o,
            Err(e) => Outcome::Failed(e.to_string()),
        };
        let pdf = match (pdf, &outcome) {
            (None, _) => PdfFetch::NotAsked,
            (Some(_), _) if target.has_pdf => PdfFetch::Had,
            (Some(want), Outcome::Found { record, pdfs, .. }) => {
                self.download(target, record, pdfs, want).await
            }
            (Some(_), _) => PdfFetch::NotAsked,
        };
        Found {
            target: target.clone(),
            outcome,
            pdf,
        }
    }

    /// Tries each open-access PDF in turn (arXiv's first, Unpaywall's by
    /// DOI last, when an email is set).
    async fn download(
        &self,
        target: &Target,
        record: &NewPaper,
        pdfs: &[(Source, String)],
        want: &PdfWanted,
    ) -> PdfFetch {
        let mut urls: Vec<(Source, String)> = pdfs.to_vec();
        if let (Some(doi), Some(email), true) = (
            record.doi.as_ref().or(target.doi.as_ref()),
            self.email.as_deref(),
            self.on(Source::Unpaywall),
        ) && let Ok(url) = self.url(Source::Unpaywall, doi, &[("email", email)])
            && let Ok(answer) = self.http.get_text(Source::Unpaywall, url).await
            && let Ok(Some(u)) = sources::unpaywall_pdf(&answer.body)
            && !urls.iter().any(|(_, x)| *x == u)
        {
            urls.push((Source::Unpaywall, u));
        }
        if urls.is_empty() {
            return PdfFetch::NoneOpen;
        }
        let name = crate::paths::safe_file_name(&format!("{}.pdf", target.citekey));
        let dest = want.dir.join(name);
        let mut last = String::new();
        for (source, u) in urls {
            let Ok(url) = reqwest::Url::parse(&u) else {
                continue;
            };
            if !matches!(url.scheme(), "http" | "https") {
                continue;
            }
            match super::download::pdf(&self.http, source, &url, &dest, want.cap).await {
                Ok(()) => return PdfFetch::Downloaded(dest),
                Err(e) => last = e.to_string(),
            }
        }
        PdfFetch::Failed(last)
    }

    async fn resolve_inner(&self, target: &Target) -> Result<Outcome> {
        let mut taken: Vec<Candidate> = Vec::new();
        let checks_title = !target.placeholder && !target.title.trim().is_empty();
        let fits = |c: &Candidate| {
            !checks_title || matching::similarity(&target.title, &c.paper.title) >= ACCEPT
        };
        if let Some(id) = &target.arxiv {
            let found = self.by_arxiv_id(id).await?;
            if let Some(c) = found.iter().find(|c| !fits(c)) {
                return Ok(Outcome::Failed(format!(
                    "arXiv {id} is “{}”, not this paper's title; check its arXiv id",
                    c.paper.title
                )));
            }
            taken.extend(found);
        } else if let Some(doi) = &target.doi {
            let found = self.by_doi(doi).await?;
            if let Some(c) = found.iter().find(|c| !fits(c)) {
                return Ok(Outcome::Failed(format!(
                    "doi {doi} is “{}”, not this paper's title; check its DOI",
                    c.paper.title
                )));
            }
            taken.extend(found);
        }
        if !checks_title && taken.is_empty() {
            return Ok(Outcome::NotFound);
        }
        let title = if checks_title {
            target.title.clone()
        } else {
            taken[0].paper.title.clone()
        };
        let find = Target {
            title,
            ..target.clone()
        };
        // By title: the preprint's identity, then the published version.
        let has = |taken: &[Candidate], f: fn(&NewPaper) -> bool| taken.iter().any(|c| f(&c.paper));
        for source in [
            Source::HuggingFace,
            Source::Arxiv,
            Source::Crossref,
            Source::SemanticScholar,
        ] {
            if !self.on(source) {
                continue;
            }
            let wanted = match source {
                Source::HuggingFace | Source::Arxiv => {
                    !has(&taken, |p| p.arxiv.is_some()) && target.doi.is_none()
                }
                Source::Crossref => !has(&taken, |p| p.doi.is_some()),
                _ => !has(&taken, |p| p.arxiv.is_some()) && !has(&taken, |p| p.doi.is_some()),
            };
            if !wanted {
                continue;
            }
            let found = self.by_title(source, &find.title).await?;
            match choose(&find, found) {
                Choice::Taken(c) => {
                    // A record for another arXiv paper than the one taken
                    // is not this paper's.
                    let clash = taken.iter().any(|t| {
                        matches!((&t.paper.arxiv, &c.paper.arxiv), (Some(a), Some(b)) if a != b)
                    });
                    if !clash {
                        taken.push(*c);
                    }
                }
                // Two papers fit: a later source that names only one (a
                // best match) does not settle which.
                Choice::Ambiguous(list) if taken.is_empty() => return Ok(Outcome::Ambiguous(list)),
                Choice::Ambiguous(_) => {}
                Choice::Nothing => {}
            }
        }
        if taken.is_empty() {
            return Ok(Outcome::NotFound);
        }
        Ok(combine(target, &taken, &self.endpoints.arxiv_pdf))
    }

    /// Resolves `targets`, `at_once` at a time, awaiting `found` with each
    /// result as it comes until it returns `false`. For callers inside
    /// tokio (the window).
    pub async fn resolve_each<F, Fut>(
        self: &Arc<Self>,
        targets: Vec<Target>,
        at_once: usize,
        pdf: Option<PdfWanted>,
        mut found: F,
    ) where
        F: FnMut(Found) -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        use futures_util::StreamExt;
        // Each paper is its own task, so lookups go on while the caller
        // writes what came back.
        let mut stream = futures_util::stream::iter(targets.into_iter().map(|t| {
            let me = Arc::clone(self);
            let pdf = pdf.clone();
            let target = t.clone();
            let task = tokio::spawn(async move { me.resolve(&t, pdf.as_ref()).await });
            async move {
                // A lookup that panicked is that paper's failure.
                task.await.unwrap_or_else(|e| Found {
                    target,
                    outcome: Outcome::Failed(format!("the lookup stopped: {e}")),
                    pdf: PdfFetch::NotAsked,
                })
            }
        }))
        .buffer_unordered(at_once.max(1));
        while let Some(f) = stream.next().await {
            if !found(f).await {
                break;
            }
        }
    }

    /// [`Fetcher::resolve_each`] on a runtime of its own, with a plain
    /// callback: for callers outside tokio (the CLI).
    pub fn resolve_all_blocking(
        self: &Arc<Self>,
        targets: Vec<Target>,
        at_once: usize,
        pdf: Option<PdfWanted>,
        mut found: impl FnMut(Found) -> bool,
    ) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Invalid(format!("cannot start the network runtime: {e}")))?;
        runtime
            .block_on(self.resolve_each(targets, at_once, pdf, |f| std::future::ready(found(f))));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(
        source: Source,
        title: &str,
        arxiv: Option<&str>,
        authors: &[&str],
        year: Option<i32>,
    ) -> Candidate {
        Candidate {
            source,
            paper: NewPaper {
                title: title.into(),
                arxiv: arxiv.map(str::to_string),
                authors: authors.iter().map(|a| a.to_string()).collect(),
                year,
                ..NewPaper::default()
            },
            pdf_url: None,
        }
    }

    fn target(title: &str) -> Target {
        Target {
            title: title.into(),
            ..Target::default()
        }
    }

    #[test]
    fn the_exact_title_wins_over_a_near_one() {
        let t = target("Scaling Laws for Neural Language Models");
        let c = vec![
            cand(
                Source::Arxiv,
                "Scaling Laws for Neural Language Model",
                Some("1"),
                &[],
                None,
            ),
            cand(
                Source::Arxiv,
                "Scaling Laws for Neural Language Models",
                Some("2"),
                &[],
                None,
            ),
        ];
        match choose(&t, c) {
            Choice::Taken(c) => assert_eq!(c.paper.arxiv.as_deref(), Some("2")),
            _ => panic!("not taken"),
        }
    }

    #[test]
    fn two_papers_with_one_title_are_ambiguous_unless_the_authors_tell() {
        let c = || {
            vec![
                cand(
                    Source::Crossref,
                    "Attention Is All You Need",
                    Some("1"),
                    &["Vaswani, Ashish"],
                    Some(2017),
                ),
                cand(
                    Source::Crossref,
                    "Attention Is All You Need",
                    Some("2"),
                    &["Someone Else"],
                    Some(2021),
                ),
            ]
        };
        assert!(
            matches!(choose(&target("Attention is all you need"), c()), Choice::Ambiguous(l) if l.len() == 2)
        );
        let t = Target {
            authors: vec!["Ashish Vaswani".into()],
            ..target("Attention is all you need")
        };
        assert!(
            matches!(choose(&t, c()), Choice::Taken(c) if c.paper.arxiv.as_deref() == Some("1"))
        );
    }

    #[test]
    fn a_different_title_is_not_taken() {
        let c = vec![cand(
            Source::HuggingFace,
            "Masked Autoencoders Are Scalable Vision Learners",
            Some("1"),
            &[],
            None,
        )];
        assert!(matches!(
            choose(
                &target("VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking"),
                c
            ),
            Choice::Nothing
        ));
    }

    #[test]
    fn fields_come_from_the_preferred_source() {
        let mut arxiv = cand(
            Source::Arxiv,
            "T",
            Some("2303.16727"),
            &["Limin Wang"],
            Some(2023),
        );
        arxiv.paper.venue = Some("CVPR 2023".into());
        arxiv.paper.abstract_text = "from arXiv".into();
        let mut crossref = cand(Source::Crossref, "T", None, &["Wang, Limin"], Some(2023));
        crossref.paper.venue = Some("2023 IEEE/CVF CVPR".into());
        crossref.paper.doi = Some("10.1109/x".into());
        let Outcome::Found { record, from, pdfs } =
            combine(&target("T"), &[arxiv, crossref], "http://127.0.0.1:1/pdf")
        else {
            panic!()
        };
        assert_eq!(record.venue.as_deref(), Some("2023 IEEE/CVF CVPR"));
        assert_eq!(record.authors, vec!["Limin Wang"]);
        assert_eq!(record.abstract_text, "from arXiv");
        assert!(from.contains(&("doi", Source::Crossref)));
        assert!(from.contains(&("arxiv", Source::Arxiv)));
        assert_eq!(pdfs[0].1, "http://127.0.0.1:1/pdf/2303.16727");
    }
}
