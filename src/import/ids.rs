//! Identifiers and web URLs as every importer reads them: one reader per
//! shape, so that a DOI or an arXiv id means the same in every format.
//!
//! DOIs ([`bare_doi`]) are stored bare, `10.<registrant>/<suffix>`, and are
//! read from
//!
//! - the bare form, `10.1145/3292500.3330701`;
//! - a `doi:` or `doi ` prefix, any case, spaces after it allowed
//!   (`doi:10.1145/…`, `DOI: 10.1145/…`, `doi 10.1145/…`);
//! - a resolver URL, `http(s)://doi.org/…`, `dx.doi.org/…`,
//!   `www.doi.org/…`, any case, with or without the scheme;
//!
//! percent escapes (`%28` → `(`) are undone, and what is left must start
//! with `10.`, hold a `/` and no whitespace. [`doi_from_url`] reads only the
//! resolver URLs, for fields that hold links.
//!
//! arXiv ids are stored bare and without version, `2303.16727` (old style
//! `hep-th/9901001`, `math.GT/0309136`). [`arxiv_id`] validates one id
//! (`arXiv:` prefix and `v2` version allowed); [`arxiv_from_eprint`] reads
//! a field that starts with one (`arXiv: 2303.16727 [cs.CL]`);
//! [`arxiv_from_url`] an `arxiv.org/abs|pdf|html/…` URL; [`arxiv_id_or_url`]
//! an id or any `…/abs/…`, `…/pdf/…` link; [`arxiv_from_doi`] an arXiv
//! DataCite DOI, `10.48550/arXiv.2303.16727`; [`arxiv_year`] the year a
//! new-style id was given in.
//!
//! Web URLs ([`is_web_url`]) are `http://`, `https://` and `ftp://` ones,
//! any case.

/// `s` without `prefix`, compared ignoring ASCII case.
pub(crate) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The lowercase host (without `www.`) and the path of an http(s) URL.
pub(crate) fn host_and_path(url: &str) -> Option<(String, &str)> {
    let url = url.trim();
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| strip_prefix_ci(url, scheme))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host);
    Some((host, &rest[end..]))
}

/// Whether a URL is a web URL (http, https, ftp).
pub(crate) fn is_web_url(url: &str) -> bool {
    ["http://", "https://", "ftp://"]
        .iter()
        .any(|scheme| strip_prefix_ci(url, scheme).is_some())
}

/// Whether `host` is a DOI resolver.
fn is_doi_host(host: &str) -> bool {
    host == "doi.org" || host == "dx.doi.org"
}

/// What follows a DOI resolver in `s`, with or without a scheme.
fn after_resolver(s: &str) -> Option<&str> {
    if let Some((host, path)) = host_and_path(s) {
        return is_doi_host(&host).then(|| path.trim_start_matches('/'));
    }
    ["doi.org/", "dx.doi.org/", "www.doi.org/"]
        .iter()
        .find_map(|prefix| strip_prefix_ci(s, prefix))
}

/// A bare DOI from any of the forms in the module documentation.
pub(crate) fn bare_doi(raw: &str) -> Option<String> {
    let s = raw.trim();
    let body = after_resolver(s)
        .or_else(|| strip_prefix_ci(s, "doi:"))
        .or_else(|| strip_prefix_ci(s, "doi "))
        .unwrap_or(s)
        .trim();
    let doi = percent_decode(body);
    (doi.starts_with("10.") && doi.contains('/') && !doi.contains(char::is_whitespace))
        .then_some(doi)
}

/// The DOI of a `doi.org` / `dx.doi.org` URL (http or https).
pub(crate) fn doi_from_url(url: &str) -> Option<String> {
    let (host, _) = host_and_path(url)?;
    if !is_doi_host(&host) {
        return None;
    }
    bare_doi(url)
}

/// `%XX` escapes decoded; the text unchanged when they do not decode to
/// UTF-8.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
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
    arxiv_id(strip_prefix_ci(doi, "10.48550/arxiv.")?)
}

/// The arXiv id a field starts with: an optional `arXiv:` prefix, then the
/// id as the first word (`2303.16727v2`, `arXiv: 2303.16727 [cs.CL]`).
pub(crate) fn arxiv_from_eprint(s: &str) -> Option<String> {
    let t = s.trim();
    let t = strip_prefix_ci(t, "arxiv:").unwrap_or(t);
    arxiv_id(t.split_whitespace().next().unwrap_or(""))
}

/// Validates an arXiv id (`2303.16727`, `arXiv:2303.16727v2`,
/// `hep-th/9901001`, `math.GT/0309136`) and returns it bare, without
/// version.
pub(crate) fn arxiv_id(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = strip_prefix_ci(s, "arxiv:").map_or(s, str::trim);
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

/// The year of a new-style arXiv id (`2303.16727` → 2023); `None` for an
/// old-style one.
pub(crate) fn arxiv_year(id: &str) -> Option<i32> {
    let yy: i32 = id.get(..2)?.parse().ok()?;
    (id.as_bytes().get(4) == Some(&b'.')).then_some(2000 + yy)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_in_every_form() {
        let want = Some("10.1145/3292500.3330701".to_string());
        for s in [
            "10.1145/3292500.3330701",
            " doi:10.1145/3292500.3330701 ",
            "DOI: 10.1145/3292500.3330701",
            "doi 10.1145/3292500.3330701",
            "https://doi.org/10.1145/3292500.3330701",
            "HTTP://dx.doi.org/10.1145/3292500.3330701",
            "https://www.doi.org/10.1145/3292500.3330701",
            "doi.org/10.1145/3292500.3330701",
        ] {
            assert_eq!(bare_doi(s), want, "{s}");
        }
        assert_eq!(
            bare_doi("https://doi.org/10.1002/%28SICI%291097").as_deref(),
            Some("10.1002/(SICI)1097")
        );
        for s in [
            "",
            "not a doi",
            "10.1145",
            "10.1/a b",
            "https://example.org/10.1/x",
        ] {
            assert_eq!(bare_doi(s), None, "{s}");
        }
        assert_eq!(doi_from_url("10.1/x"), None);
        assert_eq!(
            doi_from_url("https://doi.org/10.1/x").as_deref(),
            Some("10.1/x")
        );
    }

    #[test]
    fn arxiv_ids_from_fields_urls_and_dois() {
        assert_eq!(
            arxiv_from_eprint("arXiv: 2303.16727v2 [cs.CL]").as_deref(),
            Some("2303.16727")
        );
        assert_eq!(
            arxiv_from_url("https://arxiv.org/html/2303.16727v1").as_deref(),
            Some("2303.16727")
        );
        assert_eq!(
            arxiv_from_doi("10.48550/ARXIV.2303.16727").as_deref(),
            Some("2303.16727")
        );
        assert_eq!(arxiv_from_url("https://example.org/abs/2303.16727"), None);
    }
}
