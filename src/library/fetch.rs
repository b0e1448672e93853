//! Filling papers from the web, the library's side: which papers a fetch
//! looks for ([`Library::fetch_targets`]) and writing what was found
//! ([`Library::apply_found`]), one transaction per paper. Only empty
//! fields are filled; each filled field records its source and time. The
//! network side is [`crate::online`].

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::model::{Applied, FieldSource};
use crate::online::{Fetcher, Found, Outcome, PdfFetch, PdfWanted, Target};

/// How often a long fetch lets the index take in the papers written so far.
const INDEX_EVERY: Duration = Duration::from_secs(1);

/// Whether a paper lacks what a fetch can give.
fn lacks_something(p: &Paper) -> bool {
    p.authors.is_empty()
        || p.year.is_none()
        || (p.doi.is_none() && p.arxiv.is_none())
        || p.abstract_text.trim().is_empty()
}

fn is_placeholder(p: &Paper) -> bool {
    p.doi.as_deref().map(|d| format!("doi:{d}")).as_deref() == Some(p.title.as_str())
        || p.arxiv.as_deref().map(|a| format!("arXiv:{a}")).as_deref() == Some(p.title.as_str())
}

impl Library {
    /// The papers to look for: those named by `keys` (all of them), else
    /// the hits of `query`, else with `all` every paper; without named
    /// keys only papers that lack something (authors, year, an identifier
    /// or an abstract) are taken.
    pub fn fetch_targets(
        &self,
        keys: &[String],
        query: Option<&str>,
        all: bool,
    ) -> Result<Vec<Target>> {
        let papers: Vec<Paper> = if !keys.is_empty() {
            keys.iter().map(|k| self.paper(k)).collect::<Result<_>>()?
        } else if let Some(q) = query {
            let ids = self.search_ids(q)?;
            store::bulk::load_many(&self.conn, &ids)?
        } else if all {
            self.list(None, None)?
        } else {
            return Err(Error::Invalid(
                "say which papers: name them, or give --query Q or --all".into(),
            ));
        };
        let named = !keys.is_empty();
        Ok(papers
            .into_iter()
            .filter(|p| named || lacks_something(p))
            .map(|p| Target {
                placeholder: is_placeholder(&p),
                has_pdf: p.links.iter().any(|l| {
                    l.kind == crate::model::LinkKind::Pdf
                        && l.url.starts_with(&format!("{ATTACHMENTS_DIR}/"))
                }),
                id: p.id,
                citekey: p.citekey,
                title: p.title,
                authors: p.authors,
                year: p.year,
                doi: p.doi,
                arxiv: p.arxiv,
            })
            .collect())
    }

    /// Writes what a fetch found for a paper: every empty field the record
    /// has is filled (nothing the paper has is overwritten), with its
    /// source recorded, in one transaction; then a downloaded PDF becomes
    /// the paper's, as `lectern attach` makes it. With `dry_run` nothing
    /// is written and the answer says what would be.
    pub fn apply_found(&mut self, found: &Found, dry_run: bool) -> Result<Applied> {
        let mut applied = self.apply_record(found, dry_run)?;
        match &found.pdf {
            PdfFetch::Downloaded(path) if !dry_run => {
                // A PDF that cannot be read is the paper's problem, not
                // the fetch's: said, and the download removed.
                match self.replace_pdf(&found.target.id, path) {
                    Ok(r) => applied.pdf = Some(r.file),
                    Err(e) => applied.pdf_problem = Some(e.to_string()),
                }
                let _ = std::fs::remove_file(path);
            }
            PdfFetch::NoneOpen => {
                applied.pdf_problem = Some("no open-access PDF was found".into());
            }
            PdfFetch::Failed(e) => applied.pdf_problem = Some(e.clone()),
            _ => {}
        }
        Ok(applied)
    }

    /// Looks `targets` up (`at_once` at a time, on a runtime of its own)
    /// and writes each finding as it comes ([`Library::apply_found`]), the
    /// index catching up about once a second rather than after every
    /// paper. `each` gets every paper's result and how long writing it
    /// took, and returns `false` to stop. An error of the library itself
    /// (a full disk) stops the fetch and is returned.
    pub fn fetch_blocking(
        &mut self,
        fetcher: &Arc<Fetcher>,
        targets: Vec<Target>,
        at_once: usize,
        pdf: Option<PdfWanted>,
        dry_run: bool,
        mut each: impl FnMut(&Found, Applied, Duration) -> bool,
    ) -> Result<()> {
        let mut failure = None;
        self.hold_index(true);
        let mut caught_up = Instant::now();
        let looked = fetcher.resolve_all_blocking(targets, at_once, pdf, |found| {
            if caught_up.elapsed() >= INDEX_EVERY {
                self.hold_index(false);
                self.hold_index(true);
                caught_up = Instant::now();
            }
            let started = Instant::now();
            match self.apply_found(&found, dry_run) {
                Ok(applied) => each(&found, applied, started.elapsed()),
                Err(e) => {
                    failure = Some(e);
                    false
                }
            }
        });
        self.hold_index(false);
        looked?;
        failure.map_or(Ok(()), Err)
    }

    fn apply_record(&mut self, found: &Found, dry_run: bool) -> Result<Applied> {
        let (outcome, candidates, error) = match &found.outcome {
            Outcome::Found { .. } => ("unchanged", Vec::new(), None),
            Outcome::Ambiguous(list) => ("ambiguous", list.clone(), None),
            Outcome::NotFound => ("not_found", Vec::new(), None),
            Outcome::Failed(e) => ("failed", Vec::new(), Some(e.clone())),
        };
        let Outcome::Found { record, from, .. } = &found.outcome else {
            return Ok(Applied {
                citekey: found.target.citekey.clone(),
                outcome: outcome.into(),
                candidates,
                error,
                ..Applied::default()
            });
        };
        self.ensure_writable()?;
        let id = self.resolve(&found.target.id)?;
        let mut record = NewPaper::clone(record);
        let mut left_out = Vec::new();
        // An identifier another paper has would make the two one paper
        // twice: it is left for the person (`lectern merge`).
        if let Some(a) = record.arxiv.clone()
            && let Some(other) = store::papers::with_arxiv(&self.conn, &a)?
            && other.0 != id
        {
            left_out.push(format!(
                "arXiv {a} is paper `{}` already (merge them?)",
                other.1
            ));
            record.arxiv = None;
        }
        if let Some(d) = record.doi.clone()
            && let Some(other) = store::papers::with_doi(&self.conn, &d)?
            && other.0 != id
        {
            left_out.push(format!(
                "doi {d} is paper `{}` already (merge them?)",
                other.1
            ));
            record.doi = None;
        }
        for p in crate::paths::drop_unsafe_links(&mut record) {
            left_out.push(p.message);
        }
        crate::import::cap_sizes(&mut record);
        let now = now();
        let source_of = |field: &str| {
            from.iter()
                .find(|(f, _)| *f == field)
                .or_else(|| from.first())
                .map(|(_, s)| s.name())
                .unwrap_or("web")
        };
        let fill = |tx: &Transaction<'_>| -> Result<Vec<FieldSource>> {
            let filled = store::papers::fill_missing(tx, &id, &record, &now)?;
            let mut out = Vec::new();
            for field in filled {
                let source = source_of(field);
                store::provenance::record(tx, &id, field, source, &now)?;
                out.push(FieldSource {
                    field: field.to_string(),
                    source: source.to_string(),
                    at: now.clone(),
                });
            }
            if !out.is_empty() {
                store::pending::mark(tx, &id)?;
            }
            Ok(out)
        };
        let filled = if dry_run {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = fill(&tx)?;
            tx.rollback()?;
            out
        } else {
            self.write(fill)?
        };
        Ok(Applied {
            citekey: store::papers::row(&self.conn, &id)?.citekey,
            outcome: if filled.is_empty() {
                "unchanged"
            } else {
                "filled"
            }
            .into(),
            filled,
            left_out,
            ..Applied::default()
        })
    }
}

impl Library {
    /// The paper that has this identifier (an arXiv id or a DOI), if any.
    pub fn paper_with_identifier(
        &self,
        id: &crate::import::identifier::Identifier,
    ) -> Result<Option<String>> {
        use crate::import::identifier::Identifier;
        Ok(match id {
            Identifier::Arxiv(a) => store::papers::with_arxiv(&self.conn, a)?,
            Identifier::Doi(d) => store::papers::with_doi(&self.conn, d)?,
        }
        .map(|(_, citekey)| citekey))
    }
}

impl Library {
    /// The library's online settings (defaults where none were saved).
    pub fn online_settings(&self) -> Result<crate::model::OnlineSettings> {
        Ok(match store::provenance::setting(&self.conn, "online")? {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                Error::Invalid(format!("the library's online settings cannot be read: {e}"))
            })?,
            None => crate::model::OnlineSettings::default(),
        })
    }

    /// Saves the library's online settings, after checking them.
    pub fn set_online_settings(&mut self, settings: &crate::model::OnlineSettings) -> Result<()> {
        for s in settings
            .sources
            .iter()
            .chain(settings.rate_limits.iter().map(|r| &r.source))
        {
            if crate::online::Source::from_name(s).is_none() {
                return Err(Error::Invalid(format!(
                    "`{s}` is not a source; use arxiv, huggingface, crossref, semanticscholar or unpaywall"
                )));
            }
        }
        if let Some(e) = &settings.email
            && !e.trim().is_empty()
            && !e.contains('@')
        {
            return Err(Error::Invalid(format!("`{e}` is not an email address")));
        }
        let json = serde_json::to_string(settings)
            .map_err(|e| Error::Invalid(format!("settings: {e}")))?;
        self.write(|tx| store::provenance::set_setting(tx, "online", &json))
    }
}
