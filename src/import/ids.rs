//! Identifier, URL and date helpers several importers share: arXiv ids
//! (bare, `arXiv:`-prefixed, in arxiv.org URLs and arXiv DOIs), DOIs in
//! `doi.org` URLs, and `YYYY-MM-DD` dates.

/// The lowercase host (without `www.`) and the path of an http(s) URL.
pub(crate) fn host_and_path(url: &str) -> Option<(String, &str)> {
    let url = url.trim();
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|head| &url[head.len()..])
    })?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host);
    Some((host, &rest[end..]))
}

/// The DOI of a `doi.org` / `dx.doi.org` URL.
pub(crate) fn doi_from_url(url: &str) -> Option<String> {
    let (host, path) = host_and_path(url)?;
    if host != "doi.org" && host != "dx.doi.org" {
        return None;
    }
    let doi = path.trim_start_matches('/');
    (doi.starts_with("10.") && doi.contains('/') && !doi.contains(char::is_whitespace))
        .then(|| doi.to_string())
}

/// The arXiv id of an `arxiv.org/abs|pdf|html/<id>` URL, without version.
pub(crate) fn arxiv_from_url(url: &str) -> Option<String> {
    let (host, path) = host_and_path(url)?;
    if !matches!(host.as_str(), "arxiv.org" | "export.arxiv.org") {
        return None;
    }
    let rest = ["/abs/", "/pdf/", "/html/"]
        .iter()
        .find_map(|p| path.strip_prefix(p))?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let rest = rest.strip_suffix(".pdf").unwrap_or(rest);
    arxiv_id(rest.trim_end_matches('/'))
}

/// The arXiv id of an arXiv DOI, `10.48550/arXiv.2303.16727`.
pub(crate) fn arxiv_from_doi(doi: &str) -> Option<String> {
    let rest = doi.strip_prefix("10.48550/")?;
    let prefix = rest.get(..6).filter(|h| h.eq_ignore_ascii_case("arxiv."))?;
    arxiv_id(&rest[prefix.len()..])
}

/// Validates an arXiv id (`2303.16727`, `arXiv:2303.16727v2`,
/// `hep-th/9901001`, `math.GT/0309136`) and returns it bare, without
/// version.
pub(crate) fn arxiv_id(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = match s.get(..6) {
        Some(head) if head.eq_ignore_ascii_case("arxiv:") => s[6..].trim(),
        _ => s,
    };
    let s = match s.rfind('v') {
        Some(at)
            if at > 0 && s.len() > at + 1 && s[at + 1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            &s[..at]
        }
        _ => s,
    };
    let digits = |t: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    let ok = match s.split_once('/') {
        Some((archive, number)) => {
            let (name, class) = archive.split_once('.').unwrap_or((archive, ""));
            !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                && (class.is_empty()
                    || class.len() == 2 && class.bytes().all(|b| b.is_ascii_uppercase()))
                && digits(number, 7..=7)
        }
        None => match s.split_once('.') {
            Some((yymm, number)) => digits(yymm, 4..=4) && digits(number, 4..=5),
            None => false,
        },
    };
    ok.then(|| s.to_string())
}

/// The versionless arXiv id in `s` (a bare id, `arXiv:` id, or abs/pdf URL).
pub(crate) fn arxiv_id_or_url(s: &str) -> Option<String> {
    let s = s.trim();
    let lower = s.to_ascii_lowercase();
    let rest = ["/abs/", "/pdf/"]
        .iter()
        .find_map(|m| lower.find(m).map(|i| &s[i + m.len()..]))
        .unwrap_or(s);
    let rest = rest.strip_suffix(".pdf").unwrap_or(rest);
    arxiv_id(rest.trim_end_matches('/'))
}

/// `YYYY-MM-DD…` (month and day optional) as numbers.
pub(crate) fn parse_date(s: &str) -> Option<(i32, Option<u32>, Option<u32>)> {
    let s = s.trim();
    let year: i32 = s
        .get(..4)
        .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()?;
    let mut parts = s.get(4..).unwrap_or("").splitn(3, '-').skip(1);
    let month = parts
        .next()
        .and_then(|m| m.get(..2))
        .and_then(|m| m.parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m));
    let day = month.and(
        parts
            .next()
            .and_then(|d| d.get(..2))
            .and_then(|d| d.parse::<u32>().ok())
            .filter(|d| (1..=31).contains(d)),
    );
    Some((year, month, day))
}
