//! The HTTP client every source goes through: one `User-Agent`, timeouts,
//! a per-source rate limit (skipped for loopback hosts), retries with
//! exponential backoff and jitter on 429 and 5xx that honour `Retry-After`,
//! a cap on the size of an answer, and a cache of answers validated with
//! `ETag` / `Last-Modified` (in `.lectern/cache/http.sqlite`), so a second
//! fetch asks only what changed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};

use super::Source;
use crate::error::{Error, Result};

/// The largest metadata answer read (a PDF has its own cap).
pub const MAX_ANSWER: u64 = 10 * 1024 * 1024;
/// How often a 429 or 5xx is asked again before giving up.
const RETRIES: u32 = 3;
/// The longest wait between tries: a `Retry-After` asking for more is a
/// failure for now, said as such.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// How the client behaves; [`Default`] is what a person gets.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    /// The longest silence while an answer is awaited or read.
    pub read_timeout: Duration,
    /// The first backoff; each retry doubles it.
    pub backoff: Duration,
    /// Least time between two requests to a source (loopback hosts are
    /// not limited).
    pub intervals: HashMap<Source, Duration>,
    /// The file answers are cached in (`.lectern/cache/http.sqlite`);
    /// `None`: no cache.
    pub cache: Option<PathBuf>,
    pub user_agent: String,
    /// Pace loopback hosts too (a benchmark of the real rules against a
    /// local stand-in; `LECTERN_PACE_LOOPBACK=1`).
    pub pace_loopback: bool,
}

impl HttpSettings {
    /// Takes `LECTERN_HTTP_TIMEOUT` (seconds), when set, as the read
    /// timeout (and caps the connect timeout and backoff by it).
    pub fn timeout_from_env(&mut self) {
        if let Some(secs) = std::env::var("LECTERN_HTTP_TIMEOUT")
            .ok()
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
        {
            self.read_timeout = Duration::from_secs_f64(secs);
            self.connect_timeout = self.connect_timeout.min(self.read_timeout);
            self.backoff = self.backoff.min(self.read_timeout / 4);
        }
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            backoff: Duration::from_millis(500),
            intervals: Source::ALL
                .iter()
                .map(|s| (*s, s.default_interval()))
                .collect(),
            cache: None,
            user_agent: format!(
                "Lectern/{} (+https://github.com/lectern-app/lectern)",
                env!("CARGO_PKG_VERSION")
            ),
            pace_loopback: std::env::var("LECTERN_PACE_LOOPBACK").is_ok_and(|v| v == "1"),
        }
    }
}

/// Whether a URL's host is a loopback address (127.0.0.0/8, `::1`,
/// `localhost`): a local mirror or a test server, never rate-limited.
pub fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// One source's pace: the time the next request may start, held while a
/// request runs when the source wants one connection at a time (arXiv).
struct Pace {
    interval: Duration,
    one_at_a_time: bool,
    next: tokio::sync::Mutex<Instant>,
}

/// A cached answer with what validates it.
struct Cached {
    etag: Option<String>,
    last_modified: Option<String>,
    body: String,
}

/// Answers kept with their validators, in one SQLite file (a file per
/// answer would cost a file creation per request). A cache that cannot be
/// opened, read or written only costs requests.
struct AnswerCache {
    conn: std::sync::Mutex<rusqlite::Connection>,
}

impl AnswerCache {
    fn open(path: &std::path::Path) -> Option<AnswerCache> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).ok()?;
        }
        let conn = rusqlite::Connection::open(path).ok()?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA busy_timeout = 2000;
             CREATE TABLE IF NOT EXISTS answers (
                 url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, body TEXT NOT NULL
             ) WITHOUT ROWID;",
        )
        .ok()?;
        Some(AnswerCache {
            conn: std::sync::Mutex::new(conn),
        })
    }

    fn get(&self, url: &str) -> Option<Cached> {
        use rusqlite::OptionalExtension;
        let conn = self.conn.lock().ok()?;
        conn.query_row(
            "SELECT etag, last_modified, body FROM answers WHERE url = ?1",
            [url],
            |r| {
                Ok(Cached {
                    etag: r.get(0)?,
                    last_modified: r.get(1)?,
                    body: r.get(2)?,
                })
            },
        )
        .optional()
        .ok()
        .flatten()
    }

    fn put(&self, url: &str, c: &Cached) {
        if let Ok(conn) = self.conn.lock() {
            let _ = conn.execute(
                "INSERT OR REPLACE INTO answers (url, etag, last_modified, body) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![url, c.etag, c.last_modified, c.body],
            );
        }
    }
}

/// The shared client. Cheap to share behind an `Arc`; requests run
/// concurrently, each source at its own pace.
pub struct Http {
    client: reqwest::Client,
    settings: HttpSettings,
    paces: HashMap<Source, Pace>,
    cache: Option<AnswerCache>,
}

/// A text answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: String,
    pub content_type: String,
    /// Whether it came from the cache (the server said 304).
    pub cached: bool,
}

/// The host of a URL, for messages.
pub fn host_of(url: &reqwest::Url) -> String {
    match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or("?")),
        None => url.host_str().unwrap_or("?").to_string(),
    }
}

fn online(url: &reqwest::Url, message: impl std::fmt::Display) -> Error {
    let host = host_of(url);
    Error::Online {
        message: format!("{host}: {message}"),
        host,
    }
}

/// What a transport error means to a person.
pub fn describe(url: &reqwest::Url, e: &reqwest::Error, read_timeout: Duration) -> Error {
    if e.is_timeout() {
        online(
            url,
            format!(
                "did not answer within {} s (stalled)",
                read_timeout.as_secs_f64()
            ),
        )
    } else if e.is_connect() {
        let host = host_of(url);
        Error::Online {
            message: format!("offline: could not reach {host}"),
            host,
        }
    } else {
        online(url, format!("the connection failed: {e}"))
    }
}

/// A little randomness for jitter, without a generator crate.
fn jitter(max: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(Instant::now().elapsed().as_nanos());
    let n = h.finish();
    let ms = max.as_millis().max(1) as u64;
    Duration::from_millis(n % ms)
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let wait = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or_default())
}

impl Http {
    pub fn new(settings: HttpSettings) -> Result<Http> {
        // One crypto provider for TLS, chosen once per process.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .connect_timeout(settings.connect_timeout)
            .read_timeout(settings.read_timeout)
            .build()
            .map_err(|e| Error::Invalid(format!("cannot start the HTTP client: {e}")))?;
        let paces = Source::ALL
            .iter()
            .map(|s| {
                let interval = settings
                    .intervals
                    .get(s)
                    .copied()
                    .unwrap_or_else(|| s.default_interval());
                (
                    *s,
                    Pace {
                        interval,
                        one_at_a_time: s.one_connection(),
                        next: tokio::sync::Mutex::new(Instant::now()),
                    },
                )
            })
            .collect();
        let cache = settings.cache.as_deref().and_then(AnswerCache::open);
        Ok(Http {
            client,
            settings,
            paces,
            cache,
        })
    }

    pub fn settings(&self) -> &HttpSettings {
        &self.settings
    }

    /// Waits for the source's turn; the guard, when one is returned, must
    /// be held while the request runs (one connection at a time).
    async fn turn(
        &self,
        source: Source,
        url: &reqwest::Url,
    ) -> Option<tokio::sync::MutexGuard<'_, Instant>> {
        if is_loopback(url) && !self.settings.pace_loopback {
            return None;
        }
        let pace = self.paces.get(&source)?;
        let mut next = pace.next.lock().await;
        tokio::time::sleep_until((*next).into()).await;
        *next = Instant::now() + pace.interval;
        pace.one_at_a_time.then_some(next)
    }

    /// GETs a text answer (JSON, XML), through the cache.
    pub async fn get_text(&self, source: Source, url: reqwest::Url) -> Result<Answer> {
        let cached = self.cache.as_ref().and_then(|c| c.get(url.as_str()));
        let mut headers = HeaderMap::new();
        if let Some(c) = &cached {
            if let Some(e) = c
                .etag
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(header::IF_NONE_MATCH, e);
            }
            if let Some(m) = c
                .last_modified
                .as_deref()
                .and_then(|m| HeaderValue::from_str(m).ok())
            {
                headers.insert(header::IF_MODIFIED_SINCE, m);
            }
        }
        let response = self.send(source, &url, headers).await?;
        if response.status() == StatusCode::NOT_MODIFIED
            && let Some(c) = cached
        {
            return Ok(Answer {
                body: c.body,
                content_type: String::new(),
                cached: true,
            });
        }
        let etag = header_str(response.headers(), header::ETAG);
        let last_modified = header_str(response.headers(), header::LAST_MODIFIED);
        let content_type = header_str(response.headers(), header::CONTENT_TYPE).unwrap_or_default();
        let bytes = self.read_capped(&url, response, MAX_ANSWER).await?;
        let body = String::from_utf8(bytes)
            .map_err(|_| online(&url, "answered with bytes that are not UTF-8 text"))?;
        if content_type.to_ascii_lowercase().starts_with("text/html")
            || body
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("<!doctype html")
        {
            return Err(online(
                &url,
                "answered with a web page instead of data (a captive portal or a login page?)",
            ));
        }
        if let Some(cache) = &self.cache
            && (etag.is_some() || last_modified.is_some())
        {
            let entry = Cached {
                etag,
                last_modified,
                body,
            };
            cache.put(url.as_str(), &entry);
            return Ok(Answer {
                body: entry.body,
                content_type,
                cached: false,
            });
        }
        Ok(Answer {
            body,
            content_type,
            cached: false,
        })
    }

    /// Sends a GET at the source's pace, retrying 429 and 5xx answers
    /// (after `Retry-After`, else an exponential backoff with jitter).
    /// A success, 304 and 416 are returned as they are; a 404 is
    /// [`Error::NotFound`]; any other status, or a 429/5xx after the last
    /// try, is an error naming it.
    pub async fn send(
        &self,
        source: Source,
        url: &reqwest::Url,
        headers: HeaderMap,
    ) -> Result<reqwest::Response> {
        let mut backoff = self.settings.backoff;
        for attempt in 0..=RETRIES {
            let turn = self.turn(source, url).await;
            let sent = self
                .client
                .get(url.clone())
                .headers(headers.clone())
                .send()
                .await;
            drop(turn);
            let response = sent.map_err(|e| describe(url, &e, self.settings.read_timeout))?;
            let status = response.status();
            let again = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            if !again {
                if status.is_success()
                    || status == StatusCode::NOT_MODIFIED
                    || status == StatusCode::RANGE_NOT_SATISFIABLE
                {
                    return Ok(response);
                }
                if status == StatusCode::NOT_FOUND {
                    return Err(Error::NotFound {
                        what: "record at",
                        id: url.to_string(),
                    });
                }
                return Err(online(url, format!("answered {status}")));
            }
            if attempt == RETRIES {
                return Err(online(
                    url,
                    format!("answered {status} {} times; try again later", RETRIES + 1),
                ));
            }
            let wait = match retry_after(response.headers()) {
                Some(w) if w > LONGEST_WAIT => {
                    return Err(online(
                        url,
                        format!(
                            "answered {status} and asks to wait {} s; try again later",
                            w.as_secs()
                        ),
                    ));
                }
                Some(w) => w,
                None => backoff + jitter(backoff / 2),
            };
            backoff *= 2;
            tokio::time::sleep(wait).await;
        }
        Err(online(url, "gave no answer"))
    }

    /// Reads a body, failing once it passes `cap` bytes.
    pub async fn read_capped(
        &self,
        url: &reqwest::Url,
        mut response: reqwest::Response,
        cap: u64,
    ) -> Result<Vec<u8>> {
        let too_big = || {
            online(
                url,
                format!(
                    "answered with more than {} MB; not read",
                    cap / (1024 * 1024)
                ),
            )
        };
        if response.content_length().is_some_and(|n| n > cap) {
            return Err(too_big());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| describe(url, &e, self.settings.read_timeout))?
        {
            if body.len() as u64 + chunk.len() as u64 > cap {
                return Err(too_big());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        let u = |s: &str| reqwest::Url::parse(s).unwrap();
        assert!(is_loopback(&u("http://127.0.0.1:8080/api")));
        assert!(is_loopback(&u("http://127.3.2.1/api")));
        assert!(is_loopback(&u("http://[::1]:9/api")));
        assert!(is_loopback(&u("http://localhost/api")));
        assert!(!is_loopback(&u("https://export.arxiv.org/api")));
        assert!(!is_loopback(&u("http://128.0.0.1/")));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
    }
}
