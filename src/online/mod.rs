//! Everything Lectern does online, in one place: finding a paper's
//! identity and details from a title or an identifier (arXiv, Hugging
//! Face, Crossref, Semantic Scholar) and downloading open-access PDFs.
//!
//! The rest of the engine never goes online: this module turns questions
//! into [`Found`] records (plain data), and the library façade
//! ([`crate::Library::apply_found`]) writes them, one transaction per
//! paper. Network work runs on tokio ([`Fetcher`]), so many papers are
//! resolved at once while each source keeps its own pace
//! ([`http::Http`]); the library is touched only between answers, so a
//! front end keeps searching and reading while a fetch runs.
//!
//! Each source's base URL comes from the environment when set
//! ([`Endpoints::from_env`]), for mirrors and tests; a base on a loopback
//! address is never rate-limited.

pub mod download;
pub mod http;
pub mod matching;
#[doc(hidden)]
pub mod mirror;
mod resolve;
#[doc(hidden)]
pub mod server;
pub mod sources;

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::NewPaper;

pub use resolve::{Fetcher, Found, Outcome, PdfFetch, PdfWanted, Target};

/// A web source of paper records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Source {
    Arxiv,
    #[serde(rename = "huggingface")]
    HuggingFace,
    Crossref,
    #[serde(rename = "semanticscholar")]
    SemanticScholar,
    Unpaywall,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Arxiv,
        Source::HuggingFace,
        Source::Crossref,
        Source::SemanticScholar,
        Source::Unpaywall,
    ];

    /// The stable name used in provenance, settings and reports.
    pub fn name(self) -> &'static str {
        match self {
            Source::Arxiv => "arxiv",
            Source::HuggingFace => "huggingface",
            Source::Crossref => "crossref",
            Source::SemanticScholar => "semanticscholar",
            Source::Unpaywall => "unpaywall",
        }
    }

    pub fn from_name(name: &str) -> Option<Source> {
        Source::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The environment variable that replaces the base URL.
    pub fn env_var(self) -> &'static str {
        match self {
            Source::Arxiv => "LECTERN_ARXIV_API",
            Source::HuggingFace => "LECTERN_HF_API",
            Source::Crossref => "LECTERN_CROSSREF_API",
            Source::SemanticScholar => "LECTERN_S2_API",
            Source::Unpaywall => "LECTERN_UNPAYWALL_API",
        }
    }

    pub fn default_base(self) -> &'static str {
        match self {
            Source::Arxiv => "https://export.arxiv.org/api",
            Source::HuggingFace => "https://huggingface.co/api",
            Source::Crossref => "https://api.crossref.org",
            Source::SemanticScholar => "https://api.semanticscholar.org/graph/v1",
            Source::Unpaywall => "https://api.unpaywall.org/v2",
        }
    }

    /// The least time between two requests: arXiv's published rule is one
    /// request every 3 seconds; Semantic Scholar's public pool allows
    /// about one a second; Crossref's polite pool and Unpaywall allow
    /// several a second; Hugging Face documents no limit for its papers
    /// API, so it is asked as gently as Crossref.
    pub fn default_interval(self) -> Duration {
        match self {
            Source::Arxiv => Duration::from_secs(3),
            Source::SemanticScholar => Duration::from_millis(1100),
            Source::Crossref | Source::Unpaywall | Source::HuggingFace => {
                Duration::from_millis(200)
            }
        }
    }

    /// Whether requests to the source go one at a time (arXiv asks for a
    /// single connection).
    pub fn one_connection(self) -> bool {
        self == Source::Arxiv
    }
}

/// The base URL of each source, and the arXiv PDF base.
#[derive(Debug, Clone)]
pub struct Endpoints {
    pub bases: HashMap<Source, String>,
    /// `https://arxiv.org/pdf` (`LECTERN_ARXIV_PDF`).
    pub arxiv_pdf: String,
}

impl Endpoints {
    /// The documented defaults, each replaced by its environment variable
    /// when set.
    pub fn from_env() -> Endpoints {
        let var = |name: &str, default: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().trim_end_matches('/').to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_string())
        };
        Endpoints {
            bases: Source::ALL
                .iter()
                .map(|s| (*s, var(s.env_var(), s.default_base())))
                .collect(),
            arxiv_pdf: var("LECTERN_ARXIV_PDF", "https://arxiv.org/pdf"),
        }
    }

    pub fn base(&self, source: Source) -> &str {
        self.bases
            .get(&source)
            .map(String::as_str)
            .unwrap_or(source.default_base())
    }
}

/// A record a source returned for a question.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub source: Source,
    pub paper: NewPaper,
    /// An open-access PDF the source links.
    pub pdf_url: Option<String>,
}

impl PdfWanted {
    /// PDFs downloaded for the library at `root`, into
    /// `.lectern/cache/downloads` (until attached), at most `cap` bytes.
    pub fn in_library(root: &std::path::Path, cap: u64) -> PdfWanted {
        PdfWanted {
            dir: root
                .join(crate::library::PRIVATE_DIR)
                .join("cache")
                .join("downloads"),
            cap,
        }
    }
}

/// What a person chooses about going online.
#[derive(Debug, Clone, Default)]
pub struct OnlineOptions {
    /// Sent to Crossref (its polite pool) and Unpaywall.
    pub email: Option<String>,
    /// The sources asked; empty: all.
    pub sources: Vec<Source>,
    /// Paces that replace the defaults.
    pub intervals: Vec<(Source, Duration)>,
}

impl OnlineOptions {
    /// The options a library's settings give.
    pub fn from_settings(s: &crate::model::OnlineSettings) -> OnlineOptions {
        OnlineOptions {
            email: s.email.clone().filter(|e| !e.trim().is_empty()),
            sources: s
                .sources
                .iter()
                .filter_map(|n| Source::from_name(n))
                .collect(),
            intervals: s
                .rate_limits
                .iter()
                .filter_map(|r| {
                    Source::from_name(&r.source)
                        .map(|src| (src, Duration::from_millis(u64::from(r.ms))))
                })
                .collect(),
        }
    }
}

impl Fetcher {
    /// A fetcher for the library at `root`: answers cached in
    /// `.lectern/cache/http.sqlite`, base URLs from the environment, and
    /// `LECTERN_HTTP_TIMEOUT` (seconds) as the read timeout when set.
    pub fn standard(root: &std::path::Path, options: &OnlineOptions) -> crate::Result<Fetcher> {
        let mut settings = http::HttpSettings {
            cache: Some(
                root.join(crate::library::PRIVATE_DIR)
                    .join("cache")
                    .join("http.sqlite"),
            ),
            ..http::HttpSettings::default()
        };
        settings.timeout_from_env();
        for (source, every) in &options.intervals {
            settings.intervals.insert(*source, *every);
        }
        let sources = if options.sources.is_empty() {
            Source::ALL.to_vec()
        } else {
            options.sources.clone()
        };
        Fetcher::new(
            settings,
            Endpoints::from_env(),
            sources,
            options.email.clone(),
        )
    }
}

impl Fetcher {
    /// A day's Hugging Face daily papers (`date` as `YYYY-MM-DD`; `None`:
    /// the latest day), as records to import.
    pub async fn daily_papers(&self, date: Option<&str>) -> crate::Result<crate::import::Parsed> {
        let mut query: Vec<(&str, &str)> = Vec::new();
        if let Some(d) = date {
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(crate::Error::Invalid(format!(
                    "`{d}` is not a date (YYYY-MM-DD)"
                )));
            }
            query.push(("date", d));
        }
        let url = self.url(Source::HuggingFace, "daily_papers", &query)?;
        let answer = self.http().get_text(Source::HuggingFace, url).await?;
        // The list must be JSON; its items are read as an import reads a
        // saved copy of it.
        sources::hf_papers(&answer.body)?;
        Ok(crate::import::hf::parse(
            &answer.body,
            "huggingface daily papers",
        ))
    }

    /// [`Fetcher::daily_papers`] on a runtime of its own (the CLI).
    pub fn daily_papers_blocking(
        &self,
        date: Option<&str>,
    ) -> crate::Result<crate::import::Parsed> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| crate::Error::Invalid(format!("cannot start the network runtime: {e}")))?
            .block_on(self.daily_papers(date))
    }
}
