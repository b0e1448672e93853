//! Downloading a paper's PDF: only a PDF is kept (the answer's type and
//! the `%PDF-` header are checked), at most a size cap, written to a
//! `.part` file that a later try resumes (`Range`), and put in place by a
//! rename once whole.

use std::io::Write;
use std::path::Path;

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};

use super::Source;
use super::http::{Http, describe, host_of};
use crate::error::{Error, Result};

/// The largest PDF downloaded unless the person says otherwise.
pub const MAX_PDF: u64 = 100 * 1024 * 1024;

fn failed(url: &reqwest::Url, message: impl std::fmt::Display) -> Error {
    let host = host_of(url);
    Error::Online {
        message: format!("{host}: {message}"),
        host,
    }
}

/// Whether the first KiB holds the `%PDF-` header.
fn starts_like_pdf(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 1024];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].windows(5).any(|w| w == b"%PDF-")
}

/// Downloads `url` to `dest`, resuming a `.part` file an earlier try left.
pub async fn pdf(
    http: &Http,
    source: Source,
    url: &reqwest::Url,
    dest: &Path,
    cap: u64,
) -> Result<()> {
    let part = dest.with_extension("pdf.part");
    if let Some(dir) = part.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    let mut headers = HeaderMap::new();
    if have > 0
        && let Ok(v) = HeaderValue::from_str(&format!("bytes={have}-"))
    {
        headers.insert(header::RANGE, v);
    }
    let mut response = http.send(source, url, headers.clone()).await?;
    if response.status() == StatusCode::RANGE_NOT_SATISFIABLE {
        // The part is not a prefix of this file: start again.
        have = 0;
        response = http.send(source, url, HeaderMap::new()).await?;
    }
    let resumed = response.status() == StatusCode::PARTIAL_CONTENT
        && response
            .headers()
            .get(header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|r| r.starts_with(&format!("bytes {have}-")));
    if !resumed {
        have = 0;
    }
    if !response.status().is_success() {
        return Err(failed(url, format!("answered {}", response.status())));
    }
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if kind.starts_with("text/html") {
        return Err(failed(
            url,
            "answered with a web page, not a PDF (a login or paywall page?)",
        ));
    }
    let too_big = || {
        failed(
            url,
            format!(
                "the PDF is larger than {} MB; not downloaded",
                cap / (1024 * 1024)
            ),
        )
    };
    if response.content_length().is_some_and(|n| have + n > cap) {
        return Err(too_big());
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(resumed)
        .truncate(!resumed)
        .open(&part)
        .map_err(|e| Error::io(&part, e))?;
    let mut got = have;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                let _ = file.sync_all();
                let why = describe(url, &e, http.settings().read_timeout);
                return Err(failed(
                    url,
                    format!(
                        "the download stopped after {} KB ({why}); run it again to resume",
                        got / 1024
                    ),
                ));
            }
        };
        got += chunk.len() as u64;
        if got > cap {
            drop(file);
            let _ = std::fs::remove_file(&part);
            return Err(too_big());
        }
        file.write_all(&chunk).map_err(|e| Error::io(&part, e))?;
    }
    if let Some(total) = response.content_length()
        && got < have + total
    {
        return Err(failed(
            url,
            "the download ended early; run it again to resume",
        ));
    }
    file.sync_all().map_err(|e| Error::io(&part, e))?;
    drop(file);
    if !starts_like_pdf(&part) {
        let _ = std::fs::remove_file(&part);
        return Err(failed(url, "answered with something that is not a PDF"));
    }
    std::fs::rename(&part, dest).map_err(|e| Error::io(dest, e))?;
    Ok(())
}
