//! A stand-in for the web sources on 127.0.0.1, answering the documented
//! paths in the documented shapes (arXiv's Atom feed, Hugging Face's
//! papers JSON, Crossref's work list, Semantic Scholar's match) from a
//! small world of papers, with faults queued on demand. For the tests and
//! benchmarks of the online code, which never leave the machine; not used
//! by the product.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use serde_json::json;

use super::matching::{match_form, similarity};
use super::server::{Reply, Request, TestServer};

/// A paper of the stand-in's world.
#[derive(Debug, Clone, Default)]
pub struct WorldPaper {
    pub title: String,
    pub arxiv: String,
    /// "Given Family".
    pub authors: Vec<String>,
    pub abstract_text: String,
    pub year: i32,
    /// The published version's DOI, when there is one.
    pub doi: Option<String>,
    pub venue: Option<String>,
}

/// The stand-in: its world, the requests it saw, and faults to give.
#[derive(Default)]
pub struct Mirror {
    pub papers: Vec<WorldPaper>,
    /// Answers given instead of the real one, first to the first request
    /// whose path starts with the prefix.
    faults: Mutex<Vec<(String, VecDeque<Reply>)>>,
    seen: Mutex<Vec<Request>>,
    /// The status of each answer, in order.
    statuses: Mutex<Vec<u16>>,
    /// PDF bytes served at `/arxiv/pdf/<id>`.
    pub pdf: Vec<u8>,
    /// Papers by title in [`match_form`], so most questions need no scan.
    by_form: std::collections::HashMap<String, Vec<usize>>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn etag_of(body: &[u8]) -> String {
    format!("\"{}\"", &blake3::hash(body).to_hex()[..16])
}

impl Mirror {
    pub fn new(papers: Vec<WorldPaper>) -> Mirror {
        let mut by_form: std::collections::HashMap<String, Vec<usize>> = Default::default();
        for (i, p) in papers.iter().enumerate() {
            by_form.entry(match_form(&p.title)).or_default().push(i);
        }
        Mirror {
            papers,
            by_form,
            ..Mirror::default()
        }
    }

    /// Gives `replies` (in turn) to requests whose path starts with
    /// `prefix` (`/arxiv/`, `/hf/`, `/crossref/`, `/s2/`).
    pub fn fail_next(&self, prefix: &str, replies: Vec<Reply>) {
        if let Ok(mut f) = self.faults.lock() {
            f.push((prefix.to_string(), replies.into()));
        }
    }

    /// The status of each answer so far, in order.
    pub fn statuses(&self) -> Vec<u16> {
        self.statuses.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// The requests answered so far.
    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Starts serving.
    pub fn start(self: &Arc<Self>) -> std::io::Result<TestServer> {
        let me = Arc::clone(self);
        TestServer::start(move |r| me.answer(r))
    }

    /// The environment that points Lectern at a started mirror.
    pub fn env(server: &TestServer) -> Vec<(&'static str, String)> {
        let base = server.url();
        vec![
            ("LECTERN_ARXIV_API", format!("{base}/arxiv/api")),
            ("LECTERN_ARXIV_PDF", format!("{base}/arxiv/pdf")),
            ("LECTERN_HF_API", format!("{base}/hf/api")),
            ("LECTERN_CROSSREF_API", format!("{base}/crossref")),
            ("LECTERN_S2_API", format!("{base}/s2/graph/v1")),
            ("LECTERN_UNPAYWALL_API", format!("{base}/unpaywall/v2")),
        ]
    }

    /// Papers whose title is like `q`, best first.
    fn like(&self, q: &str, least: f64) -> Vec<&WorldPaper> {
        if let Some(same) = self.by_form.get(&match_form(q)) {
            return same.iter().map(|&i| &self.papers[i]).collect();
        }
        let mut scored: Vec<(f64, &WorldPaper)> = self
            .papers
            .iter()
            .map(|p| (similarity(&p.title, q), p))
            .filter(|(s, _)| *s >= least)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.into_iter().map(|(_, p)| p).collect()
    }

    fn answer(&self, r: &Request) -> Reply {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(r.clone());
        }
        let reply = self.answer_for(r);
        if let Ok(mut statuses) = self.statuses.lock() {
            statuses.push(reply.status);
        }
        reply
    }

    fn answer_for(&self, r: &Request) -> Reply {
        let fault = self.faults.lock().ok().and_then(|mut f| {
            let i = f
                .iter()
                .position(|(p, q)| r.path().starts_with(p.as_str()) && !q.is_empty())?;
            f[i].1.pop_front()
        });
        if let Some(reply) = fault {
            return reply;
        }
        let reply = self.route(r);
        // Validators: a request that holds the current one gets 304.
        if reply.status == 200 && !reply.body.is_empty() {
            let tag = etag_of(&reply.body);
            if r.header("If-None-Match") == Some(tag.as_str()) {
                return Reply::new(304, "text/plain", Vec::new()).with_header("ETag", &tag);
            }
            return reply.with_header("ETag", &tag);
        }
        reply
    }

    fn route(&self, r: &Request) -> Reply {
        let path = r.path().to_string();
        if path == "/arxiv/api/query" {
            return self.arxiv(r);
        }
        if let Some(id) = path.strip_prefix("/arxiv/pdf/") {
            return match self.papers.iter().find(|p| p.arxiv == id) {
                Some(_) if !self.pdf.is_empty() => self.pdf_reply(r),
                _ => Reply::status(404),
            };
        }
        if path == "/hf/api/daily_papers" {
            let day: Vec<serde_json::Value> = self.papers.iter().map(|p| self.hf_item(p)).collect();
            return Reply::json(&serde_json::Value::Array(day).to_string());
        }
        if path == "/hf/api/papers/search" {
            let q = r.query("q").unwrap_or_default();
            let hits: Vec<serde_json::Value> = self
                .like(&q, 0.5)
                .into_iter()
                .take(5)
                .map(|p| self.hf_item(p))
                .collect();
            return Reply::json(&serde_json::Value::Array(hits).to_string());
        }
        if let Some(id) = path.strip_prefix("/hf/api/papers/") {
            return match self.papers.iter().find(|p| p.arxiv == id) {
                Some(p) => Reply::json(&self.hf_item(p)["paper"].to_string()),
                None => Reply::new(404, "application/json", r#"{"error":"Paper not found"}"#),
            };
        }
        if path == "/crossref/works" {
            let q = r.query("query.bibliographic").unwrap_or_default();
            let items: Vec<serde_json::Value> = self
                .like(&q, 0.5)
                .into_iter()
                .filter(|p| p.doi.is_some())
                .take(5)
                .map(crossref_item)
                .collect();
            return Reply::json(
                &json!({"status": "ok", "message-type": "work-list",
                        "message": {"total-results": items.len(), "items": items}})
                .to_string(),
            );
        }
        if let Some(doi) = path.strip_prefix("/crossref/works/") {
            return match self.papers.iter().find(|p| {
                p.doi
                    .as_deref()
                    .is_some_and(|d| d.eq_ignore_ascii_case(doi))
            }) {
                Some(p) => Reply::json(
                    &json!({"status": "ok", "message-type": "work", "message": crossref_item(p)})
                        .to_string(),
                ),
                None => Reply::new(404, "text/plain", "Resource not found."),
            };
        }
        if path == "/s2/graph/v1/paper/search/match" {
            let q = r.query("query").unwrap_or_default();
            return match self.like(&q, 0.9).first() {
                Some(p) => Reply::json(&json!({"data": [s2_item(p)]}).to_string()),
                None => Reply::new(
                    404,
                    "application/json",
                    r#"{"error":"Title match not found"}"#,
                ),
            };
        }
        if let Some(id) = path.strip_prefix("/s2/graph/v1/paper/") {
            let found = if let Some(a) = id.strip_prefix("arXiv:") {
                self.papers.iter().find(|p| p.arxiv == a)
            } else if let Some(d) = id.strip_prefix("DOI:") {
                self.papers.iter().find(|p| p.doi.as_deref() == Some(d))
            } else {
                None
            };
            return match found {
                Some(p) => Reply::json(&s2_item(p).to_string()),
                None => Reply::new(404, "application/json", r#"{"error":"Paper not found"}"#),
            };
        }
        Reply::status(404)
    }

    /// The PDF, or the part of it a `Range: bytes=N-` asks for.
    fn pdf_reply(&self, r: &Request) -> Reply {
        let len = self.pdf.len();
        let from = r
            .header("Range")
            .and_then(|v| v.strip_prefix("bytes="))
            .and_then(|v| v.strip_suffix('-'))
            .and_then(|n| n.parse::<usize>().ok());
        match from {
            Some(n) if n < len => Reply::new(206, "application/pdf", self.pdf[n..].to_vec())
                .with_header("Content-Range", &format!("bytes {n}-{}/{len}", len - 1)),
            Some(_) => Reply::status(416),
            None => Reply::new(200, "application/pdf", self.pdf.clone()),
        }
    }

    fn arxiv(&self, r: &Request) -> Reply {
        let found: Vec<&WorldPaper> = if let Some(ids) = r.query("id_list") {
            let ids: Vec<&str> = ids.split(',').collect();
            self.papers
                .iter()
                .filter(|p| ids.contains(&p.arxiv.as_str()))
                .collect()
        } else {
            let q = r.query("search_query").unwrap_or_default();
            let phrase = q
                .strip_prefix("ti:")
                .unwrap_or(&q)
                .trim_matches('"')
                .to_string();
            // A phrase query: titles holding the words in order.
            let words = match_form(&phrase);
            self.papers
                .iter()
                .filter(|p| !words.is_empty() && match_form(&p.title).contains(&words))
                .take(5)
                .collect()
        };
        let mut feed = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n  <title>arXiv Query</title>\n",
        );
        feed.push_str(&format!(
            "  <opensearch:totalResults>{}</opensearch:totalResults>\n",
            found.len()
        ));
        for p in found {
            feed.push_str(&format!(
                "  <entry>\n    <id>http://arxiv.org/abs/{id}v1</id>\n    <published>{y}-03-29T17:59:58Z</published>\n    <title>{t}</title>\n    <summary>{s}</summary>\n",
                id = p.arxiv,
                y = p.year,
                t = esc(&p.title),
                s = esc(&p.abstract_text)
            ));
            for a in &p.authors {
                feed.push_str(&format!("    <author><name>{}</name></author>\n", esc(a)));
            }
            if let Some(d) = &p.doi {
                feed.push_str(&format!("    <arxiv:doi>{}</arxiv:doi>\n", esc(d)));
            }
            feed.push_str(&format!(
                "    <link href=\"http://arxiv.org/abs/{id}v1\" rel=\"alternate\" type=\"text/html\"/>\n    <link title=\"pdf\" href=\"http://arxiv.org/pdf/{id}v1\" rel=\"related\" type=\"application/pdf\"/>\n    <arxiv:primary_category term=\"cs.CV\"/>\n  </entry>\n",
                id = p.arxiv
            ));
        }
        feed.push_str("</feed>\n");
        Reply::atom(&feed)
    }

    fn hf_item(&self, p: &WorldPaper) -> serde_json::Value {
        let authors: Vec<serde_json::Value> = p
            .authors
            .iter()
            .map(|a| json!({"_id": "x", "name": a, "hidden": false}))
            .collect();
        json!({
            "paper": {
                "id": p.arxiv, "title": p.title, "summary": p.abstract_text,
                "authors": authors, "publishedAt": format!("{}-03-29T17:59:58.000Z", p.year),
                "upvotes": 12, "githubRepo": format!("https://github.com/example/{}", p.arxiv.replace('.', "-"))
            },
            "publishedAt": format!("{}-03-30T01:00:00.000Z", p.year),
            "title": p.title, "numComments": 2
        })
    }
}

fn split_name(a: &str) -> (String, String) {
    match a.rsplit_once(' ') {
        Some((given, family)) => (given.to_string(), family.to_string()),
        None => (String::new(), a.to_string()),
    }
}

fn crossref_item(p: &WorldPaper) -> serde_json::Value {
    let authors: Vec<serde_json::Value> = p
        .authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (given, family) = split_name(a);
            json!({"given": given, "family": family, "sequence": if i == 0 { "first" } else { "additional" }})
        })
        .collect();
    json!({
        "DOI": p.doi, "type": "proceedings-article", "title": [p.title],
        "author": authors, "issued": {"date-parts": [[p.year, 6]]},
        "container-title": [p.venue.clone().unwrap_or_default()],
        "publisher": "IEEE", "score": 80.5
    })
}

fn s2_item(p: &WorldPaper) -> serde_json::Value {
    let authors: Vec<serde_json::Value> = p
        .authors
        .iter()
        .map(|a| json!({"authorId": "1", "name": a}))
        .collect();
    let mut ids = json!({"ArXiv": p.arxiv, "CorpusId": 1});
    if let Some(d) = &p.doi {
        ids["DOI"] = json!(d);
    }
    json!({
        "paperId": blake3::hash(p.arxiv.as_bytes()).to_hex()[..40].to_string(),
        "title": p.title, "matchScore": 180.5, "year": p.year,
        "venue": p.venue.clone().unwrap_or_default(), "externalIds": ids,
        "openAccessPdf": {"url": format!("https://arxiv.org/pdf/{}", p.arxiv), "status": "GREEN"},
        "authors": authors, "abstract": p.abstract_text
    })
}
