//! Finding and cleaning URLs in free text such as paper abstracts.
//!
//! Abstracts copied from web pages and PDFs carry URLs in many damaged
//! shapes: glued to sentence punctuation, wrapped in brackets, doubled by a
//! LaTeX `\href`-style artifact, or written without a scheme. [`extract_links`]
//! finds them and [`clean_url`] repairs each one:
//!
//! ```text
//! "code at https://github.com/a/b."              -> https://github.com/a/b
//! "https://x.org/y{https://x.org/y}"              -> https://x.org/y
//! "https://github.com/bytedance/SALMONN},"        -> https://github.com/bytedance/SALMONN
//! "(see https://huggingface.co/crisistransformers)" -> https://huggingface.co/crisistransformers
//! "https://en.wikipedia.org/wiki/A_(b)"           -> kept whole, its `)` is balanced
//! "huggingface.co/datasets/x/y."                  -> https://huggingface.co/datasets/x/y
//! ```
//!
//! Besides `http(s)://` URLs, bare forms on a few well-known hosts
//! (`huggingface.co/…`, `hf.co/…`, `github.com/…`, `gitlab.com/…`,
//! `arxiv.org/…`, `user.github.io/…`, optionally behind `www.`) are found and
//! given an `https://` scheme.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Link, LinkKind};

/// A URL candidate: an explicit `http(s)://` URL, or a bare URL on a known
/// host. Matches run to the next whitespace or a character never found
/// unescaped in a URL; [`clean_url`] trims the rest.
static URL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)https?://[^\s<>"]+|(?:www\.)?(?:huggingface\.co|hf\.co|github\.com|gitlab\.com|arxiv\.org|[a-z0-9][a-z0-9-]*\.github\.io)/[^\s<>"]*"#,
    )
    .expect("URL regex is valid")
});

/// A scheme inside a match, where a second URL was glued to the first.
static INNER_SCHEME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)https?://").expect("scheme regex is valid"));

/// A bare URL: a domain name followed by a path (or a `www.` domain).
static BARE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:www\.[\w-]+(?:\.[\w-]+)+(?:[/?#]|$)|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/)")
        .expect("bare URL regex is valid")
});

/// Characters that cannot appear unescaped in a URL: the URL ends before them.
const STOP_CHARS: &[char] = &['{', '}', '<', '>', '"', '\\', '|', '^', '`'];

/// Punctuation that ends a sentence rather than a URL.
const TRAILING_PUNCT: &[char] = &['.', ',', ';', ':', '!', '?', '\'', '"', '*'];

/// Finds every URL in `text` (`http(s)://…` and bare `huggingface.co/…`,
/// `github.com/…` forms), cleaned, deduplicated in order of appearance, each
/// with [`LinkKind::classify`].
pub fn extract_links(text: &str) -> Vec<Link> {
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for m in URL_RE.find_iter(text) {
        let raw = m.as_str();
        let is_bare = !raw
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("http"));
        if is_bare {
            // A bare host must start a word: not `x.github.com/`, `a@github.com/`.
            let before = text[..m.start()].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || "./@-_".contains(c)) {
                continue;
            }
        }
        for part in split_glued(raw) {
            if let Some(url) = clean_url(part)
                && seen.insert(url.clone())
            {
                let kind = LinkKind::classify(&url);
                links.push(Link { url, kind });
            }
        }
    }
    links
}

/// Splits a match holding several URLs glued together, such as
/// `https://a/b{https://a/b}` or `https://a/b,https://c/d`. A scheme right
/// after a `/` (as in web-archive URLs) stays part of the URL.
fn split_glued(raw: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for m in INNER_SCHEME_RE.find_iter(raw) {
        if m.start() == 0 {
            continue;
        }
        let before = raw[..m.start()].chars().next_back();
        if before.is_some_and(|c| "{}()[],;|'\"".contains(c)) {
            parts.push(&raw[start..m.start()]);
            start = m.start();
        }
    }
    parts.push(&raw[start..]);
    parts
}

/// Cleans one raw URL match: strips trailing punctuation `.,;:)]}'"` (but
/// keeps a `)` when the URL has a matching `(`), repairs broken forms such as
/// `https://x/y{https://x/y}` -> `https://x/y` and
/// `https://github.com/bytedance/SALMONN}` -> `...SALMONN`, adds `https://` to
/// a bare `huggingface.co/…` etc.
///
/// Returns `None` when what is left is not a usable URL.
pub fn clean_url(raw: &str) -> Option<String> {
    let mut s = raw.trim();
    // Start at the scheme; for a bare form, skip leading brackets and quotes.
    let has_scheme = match find_scheme(s) {
        Some(at) => {
            s = &s[at..];
            true
        }
        None => {
            s = s.trim_start_matches(|c: char| !c.is_alphanumeric());
            false
        }
    };
    // The URL ends at whitespace or at a character a URL never holds.
    if let Some(end) = s.find(|c: char| c.is_whitespace() || STOP_CHARS.contains(&c)) {
        s = &s[..end];
    }
    s = trim_trailing(s);

    let (scheme, rest) = if has_scheme {
        let (scheme, rest) = s.split_once("://")?;
        (scheme.to_ascii_lowercase(), rest)
    } else {
        if !BARE_RE.is_match(s) {
            return None;
        }
        ("https".to_string(), s)
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(host_end);
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => host_port,
    };
    if !valid_host(host) {
        return None;
    }
    let host_lower = host.to_lowercase();
    let authority = authority.replacen(host, &host_lower, 1);
    Some(format!("{scheme}://{authority}{path}"))
}

/// Byte offset of an `http://` or `https://` scheme in `s`.
fn find_scheme(s: &str) -> Option<usize> {
    INNER_SCHEME_RE.find(s).map(|m| m.start())
}

/// Strips sentence punctuation and unbalanced closing brackets from the end.
fn trim_trailing(mut s: &str) -> &str {
    loop {
        let Some(last) = s.chars().next_back() else {
            return s;
        };
        let strip = match last {
            ')' => s.matches('(').count() < s.matches(')').count(),
            ']' => s.matches('[').count() < s.matches(']').count(),
            c => TRAILING_PUNCT.contains(&c),
        };
        if !strip {
            return s;
        }
        s = &s[..s.len() - last.len_utf8()];
    }
}

/// A host name: dot-separated, non-empty labels of letters, digits and
/// hyphens.
fn valid_host(host: &str) -> bool {
    host.split('.').all(|label| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(raw: &str) -> String {
        clean_url(raw).unwrap_or_else(|| panic!("`{raw}` should clean to a URL"))
    }

    #[test]
    fn strips_trailing_punctuation() {
        assert_eq!(
            clean("https://github.com/michael-wzhu/text2dt."),
            "https://github.com/michael-wzhu/text2dt"
        );
        assert_eq!(
            clean("https://tianchi.aliyun.com/dataset/95414,"),
            "https://tianchi.aliyun.com/dataset/95414"
        );
        assert_eq!(clean("https://a.org/x;"), "https://a.org/x");
        assert_eq!(clean("https://a.org/x:"), "https://a.org/x");
        assert_eq!(clean("https://a.org/x'"), "https://a.org/x");
        assert_eq!(clean("https://a.org/x\"."), "https://a.org/x");
        assert_eq!(clean("https://a.org/x]."), "https://a.org/x");
        assert_eq!(
            clean("http://explainaboard.nlpedia.ai/leaderboard/task-meval/"),
            "http://explainaboard.nlpedia.ai/leaderboard/task-meval/"
        );
    }

    #[test]
    fn parentheses_are_kept_only_when_balanced() {
        assert_eq!(clean("https://x.org/a_(b)"), "https://x.org/a_(b)");
        assert_eq!(clean("https://x.org/a_(b))."), "https://x.org/a_(b)");
        assert_eq!(clean("(https://github.com/a/b)"), "https://github.com/a/b");
        assert_eq!(
            clean("https://huggingface.co/crisistransformers),"),
            "https://huggingface.co/crisistransformers"
        );
        assert_eq!(clean("[https://a.org/b]"), "https://a.org/b");
    }

    #[test]
    fn repairs_brace_artifacts() {
        assert_eq!(clean("https://x/y{https://x/y}"), "https://x/y");
        assert_eq!(
            clean("https://github.com/om-ai-lab/ZoomEye{https://github.com/om-ai-lab/ZoomEye}."),
            "https://github.com/om-ai-lab/ZoomEye"
        );
        assert_eq!(
            clean("https://github.com/bytedance/SALMONN}"),
            "https://github.com/bytedance/SALMONN"
        );
        assert_eq!(
            clean("https://github.com/bytedance/SALMONN},"),
            "https://github.com/bytedance/SALMONN"
        );
        assert_eq!(clean("\\url{https://a.org/b}"), "https://a.org/b");
    }

    #[test]
    fn adds_scheme_to_bare_forms() {
        assert_eq!(
            clean("huggingface.co/datasets/jHaselberger/SADC."),
            "https://huggingface.co/datasets/jHaselberger/SADC"
        );
        assert_eq!(clean("github.com/a/b"), "https://github.com/a/b");
        assert_eq!(clean("(github.com/a/b)"), "https://github.com/a/b");
        assert_eq!(clean("www.example.org"), "https://www.example.org");
        assert_eq!(clean("HTTPS://GitHub.com/A/B"), "https://github.com/A/B");
    }

    #[test]
    fn rejects_non_urls() {
        assert_eq!(clean_url(""), None);
        assert_eq!(clean_url("https://"), None);
        assert_eq!(clean_url("https://."), None);
        assert_eq!(clean_url("hello world"), None);
        assert_eq!(clean_url("file.txt"), None);
        assert_eq!(clean_url("https://a..b/x"), None);
    }

    #[test]
    fn extracts_classified_deduplicated_links() {
        let text = "Data: https://tianchi.aliyun.com/dataset/95414, code: \
                    https://github.com/michael-wzhu/text2dt. Again \
                    (https://github.com/michael-wzhu/text2dt) and \
                    huggingface.co/datasets/a/b. Site https://x.org/p_(q).";
        let links = extract_links(text);
        let got: Vec<(&str, LinkKind)> = links.iter().map(|l| (l.url.as_str(), l.kind)).collect();
        assert_eq!(
            got,
            vec![
                (
                    "https://tianchi.aliyun.com/dataset/95414",
                    LinkKind::Dataset
                ),
                ("https://github.com/michael-wzhu/text2dt", LinkKind::Code),
                ("https://huggingface.co/datasets/a/b", LinkKind::Dataset),
                ("https://x.org/p_(q)", LinkKind::Project),
            ]
        );
    }

    #[test]
    fn glued_urls_are_split_and_deduplicated() {
        let links = extract_links("at https://github.com/a/b{https://github.com/a/b}.");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].url, "https://github.com/a/b");

        let links = extract_links("see https://a.org/x,https://b.org/y");
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["https://a.org/x", "https://b.org/y"]);

        let links = extract_links("https://web.archive.org/web/2020/https://a.org/x");
        assert_eq!(links.len(), 1);
    }

    #[test]
    fn bare_hosts_must_start_a_word() {
        assert!(extract_links("mail me at me@github.com/x").is_empty());
        assert!(extract_links("no links here, just github.com mentioned").is_empty());
        let links = extract_links("pages at guansuns.github.io/pages/llm-dm.");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].url, "https://guansuns.github.io/pages/llm-dm");
        assert_eq!(links[0].kind, LinkKind::Project);
    }
}
