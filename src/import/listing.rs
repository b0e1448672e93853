//! Parser for a "papers listing": the plain text a person gets by selecting
//! and copying a trending-papers web page (Hugging Face daily papers style).
//!
//! A listing is a run of cards, each a title line followed by its abstract,
//! usually with blank lines between them, mixed with whatever page chrome the
//! copy picked up (navigation, upvote counts, dates, footer links):
//!
//! ```text
//! new
//! Get trending papers in your email inbox!
//! Mar 12
//!
//! Text2MDT: Extracting Medical Decision Trees from Medical Texts
//! · 9 authors
//!
//! Knowledge of the medical decision process, which can be modeled as ...
//!
//! Upvote
//! 42
//! Pointer Networks
//! We introduce a new neural architecture to learn the conditional ...
//! ```
//!
//! # Heuristic
//!
//! Every non-blank line (CRLF, non-breaking spaces and edge whitespace
//! normalized) is classified as
//!
//! - **chrome**: the line after a label like `Submitted by` or `Authors:`
//!   alone on its line, or a short line matching a list of page words (`Daily`,
//!   `Log In`, `View PDF`, `Company`, …) or a pattern (`Published on …`,
//!   `Submitted by …`, `12 authors`, `Upvote 123`, a bare count like `2.3k`,
//!   a date like `Mar 12, 2024`, `© 2024 …`, `arXiv:2303.16727`);
//! - **prose**: a long line (≥ 200 characters or ≥ 30 words), or one that ends
//!   a sentence (`.`, `!`, `…`) with at least 4 words — titles run up to
//!   ~130 characters and 20 words and never end with a period;
//! - **short**: anything else.
//!
//! A short line is a **title** when the next non-chrome line is prose and it
//! looks like a title (has letters, no URL, no final `.`/`,`/`;`/`:`). The
//! prose lines after a title, up to the next title, are its abstract: lines
//! separated by a blank (or chrome) line are separate paragraphs joined with
//! `"\n\n"`, adjacent lines are joined with `"\n"`.
//!
//! A leftover short line after an abstract (one not followed by prose) is a
//! card cut off after its title when it is title-like and in Title Case with
//! two words or more, or when it is the last title-like line after the last
//! abstract and does not continue a line that ends mid-sentence: it is
//! imported with an empty abstract and reported as a [`Problem`]. Other
//! leftovers are kept as part of the abstract when they read like text (a
//! URL, final punctuation, or three words or more) and dropped as unknown
//! chrome otherwise; leftovers before the first title are page header.
//!
//! A paper's arXiv id comes from an `arXiv:2303.16727` or
//! `arxiv.org/abs/2303.16727` found in the chrome lines of its card (after
//! its title) or else in its abstract.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use super::urls;
use crate::model::{NewPaper, Problem};

/// Result of parsing a listing.
pub struct ListingParse {
    pub papers: Vec<NewPaper>,
    pub problems: Vec<Problem>,
}

/// Lines longer than this (in bytes) are never chrome.
const MAX_CHROME_LEN: usize = 100;
/// A line of at least this many characters is prose.
const PROSE_CHARS: usize = 200;
/// A line of at least this many words is prose.
const PROSE_WORDS: usize = 30;
/// How many lines [`looks_like_listing`] examines.
const SNIFF_LINES: usize = 600;

/// Whole lines (lowercased, whitespace folded) that are page chrome.
static CHROME_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        // Header and navigation.
        "new",
        "daily",
        "weekly",
        "monthly",
        "trending",
        "papers",
        "paper",
        "daily papers",
        "trending papers",
        "collections",
        "models",
        "datasets",
        "spaces",
        "docs",
        "documentation",
        "pricing",
        "enterprise",
        "posts",
        "learn",
        "community",
        "join the community",
        "home",
        "menu",
        "explore",
        "tasks",
        "resources",
        "settings",
        "search",
        "search papers",
        "log in",
        "login",
        "log out",
        "sign in",
        "sign up",
        "signup",
        "subscribe",
        "unsubscribe",
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox",
        "byak and the research community",
        "by ak and the research community",
        "today",
        "yesterday",
        "this week",
        "this month",
        "top",
        "latest",
        "recent",
        "popular",
        "all",
        "previous",
        "next",
        "prev",
        "newer",
        "older",
        "load more",
        "show more",
        "see more",
        "read more",
        "more",
        "less",
        "show less",
        "sort by",
        "filter",
        // Card chrome.
        "upvote",
        "upvoted",
        "upvotes",
        "github",
        "arxiv",
        "arxiv page",
        "view arxiv page",
        "pdf",
        "view pdf",
        "paper page",
        "add to collection",
        "add to collections",
        "abstract",
        "authors",
        "submitted by",
        "share",
        "copy link",
        "cite",
        "comments",
        "comment",
        "discussion",
        "reply",
        "follow",
        "following",
        "code",
        "project page",
        "demo",
        "video",
        "submit",
        "submit a paper",
        "papers with code",
        // Footer.
        "system theme",
        "theme",
        "light",
        "dark",
        "company",
        "tos",
        "terms of service",
        "privacy",
        "privacy policy",
        "about",
        "jobs",
        "website",
        "careers",
        "press",
        "blog",
        "changelog",
        "forum",
        "discord",
        "status",
        "brand assets",
        "hugging face",
        "huggingface",
        "inference endpoints",
        "huggingchat",
    ]
    .into_iter()
    .collect()
});

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

/// Patterns of chrome lines (matched against the lowercased, folded line).
static CHROME_RE: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = [
        r"^(?:published|submitted|posted|updated)\s+(?:on|by|at)\b".to_string(),
        r"^featured\s+in\s+daily\s+papers\b".to_string(),
        r"^[·•|–—-]?\s*\d[\d,]*\s+authors?$".to_string(),
        r"^authors?\s*:".to_string(),
        r"^upvote[sd]?\s*\d*[\d.,]*\s*[km]?$".to_string(),
        r"^[·•]?\s*[+-]?\d[\d,]*(?:\.\d+)?\s*[km]?$".to_string(),
        r"^github\s*[^\w\s]?\s*(?:\d[\d.,]*\s*[km]?)?$".to_string(),
        format!(r"^(?:published\s+)?(?:on\s+)?{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?$"),
        format!(r"^\d{{1,2}}\s+{MONTH}(?:,?\s+\d{{4}})?$"),
        format!(r"^{MONTH}\s+\d{{4}}$"),
        r"^\d{4}-\d{2}-\d{2}$".to_string(),
        r"^(?:©|\(c\)\s*\d|copyright\b)".to_string(),
        r"^arxiv\s*:?\s*\d{4}\.\d{4,5}(?:v\d+)?$".to_string(),
        r"^(?:https?://)?(?:www\.)?arxiv\.org/\S*$".to_string(),
        r"^\d[\d,.]*\s*[km]?\s+(?:upvotes?|likes?|stars?|comments?|views?|downloads?|followers?|models?|datasets?|spaces?|collections?|papers?)$".to_string(),
        r"\bciting\s+this\s+paper\b".to_string(),
        r"^\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago$".to_string(),
        r"^(?:view|open|download|read)\s+(?:the\s+)?(?:on\s+)?(?:arxiv(?:\s+page)?|pdf|paper(?:\s+page)?|code|abstract)$".to_string(),
        r"^(?:add|save)\s+to\s+(?:collection|library|reading\s+list)s?$".to_string(),
        r"^get\s+trending\s+papers\b".to_string(),
        r"^by\s*ak\b".to_string(),
    ];
    RegexSet::new(patterns).expect("chrome regexes are valid")
});

/// A chrome label whose value is on the next line.
static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:submitted\s+by|authors?)\s*:?$").expect("label regex is valid")
});

/// An arXiv id in text: `arXiv:2303.16727v2` or `arxiv.org/abs/2303.16727`.
static ARXIV_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\barxiv\s*:?\s*|\barxiv\.org/(?:abs|pdf|html)/)(\d{4}\.\d{4,5})(?:v\d+)?\b")
        .expect("arXiv regex is valid")
});

/// What a non-blank line looks like on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Chrome,
    Prose,
    Short,
}

/// What a line turned out to be once its neighbours are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Chrome,
    Title,
    /// Part of an abstract (or prose before the first title).
    Text,
    /// A short line that is neither a title nor text: kept as abstract text
    /// if it reads like text, else dropped.
    Leftover,
    /// A title with no abstract after it.
    CutOff,
}

/// One non-blank line.
struct Line<'a> {
    /// 1-based line number in the input.
    no: usize,
    /// Normalized, trimmed text.
    text: Cow<'a, str>,
    kind: Kind,
    /// A blank or chrome line separates this line from the previous
    /// non-chrome line (or there is none).
    gap: bool,
}

/// The classified lines of a text and the role of each.
struct Analysis<'a> {
    lines: Vec<Line<'a>>,
    roles: Vec<Role>,
}

/// `source` is the file name used in locations ("file:line"), e.g.
/// "trending.txt" or "<stdin>".
pub fn parse_listing(text: &str, source: &str) -> ListingParse {
    let analysis = analyze(text, usize::MAX);
    let mut papers = Vec::new();
    let mut problems = Vec::new();
    let mut card: Option<Card> = None;

    for (line, &role) in analysis.lines.iter().zip(&analysis.roles) {
        match role {
            Role::Chrome => {
                if let Some(card) = card.as_mut()
                    && card.arxiv.is_none()
                {
                    card.arxiv = find_arxiv(&line.text);
                }
            }
            Role::Title => {
                if let Some(done) = card.take() {
                    papers.push(done.finish(source));
                }
                card = Some(Card::new(line));
            }
            Role::Text => match card.as_mut() {
                Some(card) => card.push(line),
                None => problems.push(Problem {
                    location: format!("{source}:{}", line.no),
                    message: format!(
                        "skipped text that is not under a paper title: `{}`",
                        preview(&line.text)
                    ),
                }),
            },
            Role::Leftover => {
                if let Some(card) = card.as_mut()
                    && reads_like_text(&line.text)
                {
                    card.push(line);
                }
            }
            Role::CutOff => {
                if let Some(done) = card.take() {
                    papers.push(done.finish(source));
                }
                let paper = Card::new(line).finish(source);
                problems.push(Problem {
                    location: paper.source.clone(),
                    message: format!("paper `{}` has no abstract (cut off?)", paper.title),
                });
                papers.push(paper);
            }
        }
    }
    if let Some(done) = card.take() {
        papers.push(done.finish(source));
    }

    if papers.is_empty() {
        problems = vec![Problem {
            location: format!("{source}:1"),
            message: "no papers found: expected title lines each followed by an abstract \
                      paragraph"
                .to_string(),
        }];
    }
    ListingParse { papers, problems }
}

/// Heuristic: does this text look like a listing (title line + long abstract
/// paragraph pairs)? Used for format detection.
pub fn looks_like_listing(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    // Structured formats announce themselves in their first character.
    if trimmed.is_empty() || trimmed.starts_with(['{', '[', '<', '@', '%']) {
        return false;
    }
    // BibTeX entries after a preamble of stray text.
    if super::bibtex::has_entries(text) {
        return false;
    }
    let analysis = analyze(text, SNIFF_LINES);
    let mut titles = 0;
    let mut prose = 0;
    let mut content = 0;
    let mut tabbed = 0;
    for (line, &role) in analysis.lines.iter().zip(&analysis.roles) {
        let t: &str = &line.text;
        if t.starts_with("TY  - ") || (t.starts_with('@') && t.contains('{')) {
            return false;
        }
        if role != Role::Chrome {
            content += 1;
            tabbed += usize::from(t.contains('\t'));
        }
        match role {
            Role::Title => {
                let markup = t.starts_with(['#', '|', '>', '-', '*'])
                    || (t.contains(',') && !t.contains(' '));
                if markup {
                    return false;
                }
                titles += 1;
            }
            Role::Text => prose += 1,
            _ => {}
        }
    }
    titles >= 1 && titles * 4 >= prose && tabbed * 2 <= content
}

/// A card being collected.
struct Card {
    title: String,
    line: usize,
    paragraphs: Vec<String>,
    arxiv: Option<String>,
}

impl Card {
    fn new(title: &Line<'_>) -> Card {
        Card {
            title: title.text.split_whitespace().collect::<Vec<_>>().join(" "),
            line: title.no,
            paragraphs: Vec::new(),
            arxiv: None,
        }
    }

    /// Adds a line of abstract: a new paragraph after a gap, else the next
    /// line of the current paragraph.
    fn push(&mut self, line: &Line<'_>) {
        match self.paragraphs.last_mut() {
            Some(last) if !line.gap => {
                last.push('\n');
                last.push_str(&line.text);
            }
            _ => self.paragraphs.push(line.text.to_string()),
        }
    }

    fn finish(self, source: &str) -> NewPaper {
        let abstract_text = self.paragraphs.join("\n\n");
        let links = urls::extract_links(&abstract_text);
        let arxiv = self.arxiv.or_else(|| find_arxiv(&abstract_text));
        NewPaper {
            title: self.title,
            abstract_text,
            links,
            arxiv,
            source: format!("{source}:{}", self.line),
            ..NewPaper::default()
        }
    }
}

/// Classifies the first `max_lines` lines of `text` and assigns roles.
fn analyze(text: &str, max_lines: usize) -> Analysis<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut gap = true;
    // After a label such as `Submitted by` alone on its line, the next line is
    // its value (a user name, an author list): chrome too.
    let mut value_next = false;
    for (index, raw) in text.split('\n').take(max_lines).enumerate() {
        let norm = normalize(raw);
        if norm.is_empty() {
            gap = true;
            continue;
        }
        let kind = if value_next {
            value_next = false;
            Kind::Chrome
        } else {
            classify(&norm)
        };
        if kind == Kind::Chrome && norm.len() <= MAX_CHROME_LEN {
            value_next = LABEL_RE.is_match(&norm);
        }
        lines.push(Line {
            no: index + 1,
            text: norm,
            kind,
            gap,
        });
        gap = kind == Kind::Chrome;
    }

    // The kind of the next non-chrome line after each line.
    let mut next_kind = vec![None; lines.len()];
    let mut following = None;
    for (i, line) in lines.iter().enumerate().rev() {
        next_kind[i] = following;
        if line.kind != Kind::Chrome {
            following = Some(line.kind);
        }
    }

    let mut roles = Vec::with_capacity(lines.len());
    let mut prev_content: Option<&Line<'_>> = None;
    for (i, line) in lines.iter().enumerate() {
        let role = match line.kind {
            Kind::Chrome => Role::Chrome,
            Kind::Prose => Role::Text,
            Kind::Short => {
                let wrapped = !line.gap
                    && prev_content
                        .is_some_and(|p| p.kind == Kind::Prose && !ends_sentence(&p.text));
                if next_kind[i] == Some(Kind::Prose) && title_like(&line.text) {
                    Role::Title
                } else if wrapped {
                    Role::Text
                } else {
                    Role::Leftover
                }
            }
        };
        roles.push(role);
        if line.kind != Kind::Chrome {
            prev_content = Some(line);
        }
    }

    // Leftovers after the first title: a title-like one in Title Case, and
    // the last title-like one after the last abstract, are cards cut off
    // after their title.
    if let Some(first) = roles.iter().position(|&r| r == Role::Title) {
        let tail = roles
            .iter()
            .rposition(|&r| r == Role::Text)
            .map_or(0, |i| i + 1);
        let last = (tail..lines.len())
            .rfind(|&i| roles[i] == Role::Leftover && title_like(&lines[i].text));
        for i in first..lines.len() {
            if roles[i] == Role::Leftover
                && title_like(&lines[i].text)
                && (Some(i) == last
                    || lines[i].text.split_whitespace().nth(1).is_some()
                        && title_cased(&lines[i].text))
            {
                roles[i] = Role::CutOff;
            }
        }
    }
    Analysis { lines, roles }
}

/// CRLF → LF, non-breaking spaces → spaces, edges trimmed.
fn normalize(raw: &str) -> Cow<'_, str> {
    const NBSP: [char; 3] = ['\u{a0}', '\u{202f}', '\u{2007}'];
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    if raw.contains(NBSP) {
        Cow::Owned(raw.replace(NBSP, " ").trim().to_string())
    } else {
        Cow::Borrowed(raw.trim())
    }
}

fn classify(line: &str) -> Kind {
    if line.len() <= MAX_CHROME_LEN && is_chrome(line) {
        Kind::Chrome
    } else if is_prose(line) {
        Kind::Prose
    } else {
        Kind::Short
    }
}

fn is_chrome(line: &str) -> bool {
    if !line.chars().any(char::is_alphanumeric) {
        return true;
    }
    let folded = line
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    CHROME_WORDS.contains(folded.as_str()) || CHROME_RE.is_match(&folded)
}

fn is_prose(line: &str) -> bool {
    if line.len() >= PROSE_CHARS && line.chars().count() >= PROSE_CHARS {
        return true;
    }
    let words = line.split_whitespace().count();
    words >= PROSE_WORDS || (ends_sentence(line) && (words >= 4 || line.chars().count() >= 40))
}

/// Ends with `.`, `!` or `…` (possibly inside closing quotes or brackets).
fn ends_sentence(line: &str) -> bool {
    let core = line.trim_end_matches([')', ']', '}', '"', '\'', '”', '’', '»', '*']);
    core.ends_with(['.', '!', '…', '。', '！'])
}

/// Could be a paper title: has letters, no URL, does not end like a clause.
fn title_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    line.chars().any(char::is_alphabetic)
        && words <= 40
        && (words >= 2 || line.chars().any(char::is_uppercase))
        && !ends_sentence(line)
        && !line.ends_with([',', ';', ':'])
        && !has_url(line)
}

/// Most longer words start with a capital or digit, as in `Pointer Networks`
/// or `Discrete Key-Value Bottleneck`.
fn title_cased(line: &str) -> bool {
    let (mut big, mut all) = (0, 0);
    for word in line.split_whitespace() {
        let letters = word.trim_matches(|c: char| !c.is_alphanumeric());
        if letters.chars().count() >= 4 {
            all += 1;
            big += usize::from(letters.starts_with(|c: char| c.is_uppercase() || c.is_numeric()));
        }
    }
    if all == 0 {
        line.chars().any(char::is_uppercase)
    } else {
        big * 3 >= all * 2
    }
}

/// A leftover line worth keeping as abstract text.
fn reads_like_text(line: &str) -> bool {
    line.split_whitespace().count() >= 3
        || ends_sentence(line)
        || line.ends_with([',', ';', ':'])
        || has_url(line)
}

fn has_url(line: &str) -> bool {
    !urls::extract_links(line).is_empty()
}

fn find_arxiv(text: &str) -> Option<String> {
    ARXIV_RE
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

/// The start of a line, for messages.
fn preview(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LinkKind;

    const SEED: &str = include_str!("../../tests/fixtures/trending-papers.txt");
    const CHROME: &str = include_str!("../../tests/fixtures/listings/chrome.txt");
    const CRLF: &str = include_str!("../../tests/fixtures/listings/crlf.txt");
    const MULTI: &str = include_str!("../../tests/fixtures/listings/multi_paragraph.txt");
    const CUTOFF: &str = include_str!("../../tests/fixtures/listings/cutoff.txt");

    /// The seed line with this 1-based number, trimmed.
    fn seed_line(no: usize) -> &'static str {
        SEED.lines().nth(no - 1).map_or("", str::trim)
    }

    fn titles(parse: &ListingParse) -> Vec<&str> {
        parse.papers.iter().map(|p| p.title.as_str()).collect()
    }

    fn urls(paper: &NewPaper) -> Vec<(&str, LinkKind)> {
        paper
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.kind))
            .collect()
    }

    fn by_title<'a>(parse: &'a ListingParse, prefix: &str) -> &'a NewPaper {
        parse
            .papers
            .iter()
            .find(|p| p.title.starts_with(prefix))
            .unwrap_or_else(|| panic!("no paper titled `{prefix}…`"))
    }

    #[test]
    fn seed_listing_imports_every_paper() {
        let parse = parse_listing(SEED, "trending-papers.txt");
        assert!(parse.problems.is_empty(), "{:?}", parse.problems);
        assert_eq!(parse.papers.len(), 78);
        assert_eq!(
            parse.papers[0].title,
            "Text2MDT: Extracting Medical Decision Trees from Medical Texts"
        );
        assert_eq!(
            parse.papers[77].title,
            "The Need for Speed: Pruning Transformers with One Recipe"
        );
        for (i, paper) in parse.papers.iter().enumerate() {
            // Cards start at line 11 and take four lines each.
            let line = 11 + 4 * i;
            assert_eq!(paper.source, format!("trending-papers.txt:{line}"));
            assert_eq!(paper.title, seed_line(line));
            assert!(!paper.abstract_text.is_empty(), "{}", paper.title);
            assert_eq!(paper.abstract_text, seed_line(line + 2), "{}", paper.title);
            assert!(paper.authors.is_empty());
            assert_eq!((paper.year, &paper.doi, &paper.arxiv), (None, &None, &None));
        }
        assert!(titles(&parse).contains(&"Tiny Time Mixers (TTMs): Fast Pre-trained Models for Enhanced Zero/Few-Shot Forecasting of Multivariate Time Series"));
        assert!(titles(&parse).contains(&"Can bidirectional encoder become the ultimate winner for downstream applications of foundation models?"));
    }

    #[test]
    fn seed_links() {
        let parse = parse_listing(SEED, "trending-papers.txt");
        assert_eq!(
            urls(by_title(&parse, "Text2MDT")),
            [
                (
                    "https://tianchi.aliyun.com/dataset/95414",
                    LinkKind::Dataset
                ),
                ("https://github.com/michael-wzhu/text2dt", LinkKind::Code),
            ]
        );
        assert_eq!(
            urls(by_title(&parse, "ZoomEye")),
            [("https://github.com/om-ai-lab/ZoomEye", LinkKind::Code)]
        );
        assert_eq!(
            urls(by_title(&parse, "CrisisTransformers")),
            [(
                "https://huggingface.co/crisistransformers",
                LinkKind::Project
            )]
        );
        assert_eq!(
            urls(by_title(&parse, "Situation Awareness")),
            [(
                "https://huggingface.co/datasets/jHaselberger/SADC-Situation-Awareness-for-Driver-Centric-Driving-Style-Adaptation",
                LinkKind::Dataset
            )]
        );
        assert_eq!(
            urls(by_title(&parse, "SALMONN")),
            [("https://github.com/bytedance/SALMONN", LinkKind::Code)]
        );
        assert_eq!(
            urls(by_title(&parse, "BARTScore")),
            [
                ("https://github.com/neulab/BARTScore", LinkKind::Code),
                (
                    "http://explainaboard.nlpedia.ai/leaderboard/task-meval/",
                    LinkKind::Project
                ),
            ]
        );
        assert_eq!(
            urls(by_title(&parse, "Leveraging Pre-trained")),
            [("https://guansuns.github.io/pages/llm-dm", LinkKind::Project)]
        );
        // 30 `http` URLs (ZoomEye's doubled one counted once) plus one bare
        // `huggingface.co/…`.
        let total: usize = parse.papers.iter().map(|p| p.links.len()).sum();
        assert_eq!(total, 31);
        for link in parse.papers.iter().flat_map(|p| &p.links) {
            assert!(
                !link.url.ends_with(['.', ',', ')', '}']) && !link.url.contains('{'),
                "{}",
                link.url
            );
        }
    }

    #[test]
    fn chrome_around_and_between_cards_is_ignored() {
        let parse = parse_listing(CHROME, "chrome.txt");
        assert!(parse.problems.is_empty(), "{:?}", parse.problems);
        let expected = [(34, 11), (48, 43), (62, 115), (73, 239), (83, 267)];
        assert_eq!(parse.papers.len(), expected.len());
        for (paper, (line, seed)) in parse.papers.iter().zip(expected) {
            assert_eq!(paper.source, format!("chrome.txt:{line}"));
            assert_eq!(paper.title, seed_line(seed));
            assert_eq!(paper.abstract_text, seed_line(seed + 2));
        }
        assert_eq!(
            titles(&parse),
            [
                "Text2MDT: Extracting Medical Decision Trees from Medical Texts",
                "CrisisTransformers: Pre-trained language models and sentence encoders for crisis-related social media texts",
                "Pointer Networks",
                "SALMONN: Towards Generic Hearing Abilities for Large Language Models",
                "Situation Awareness for Driver-Centric Driving Style Adaptation",
            ]
        );
    }

    #[test]
    fn crlf_nbsp_and_stray_whitespace_are_normalized() {
        assert!(CRLF.contains("\r\n") && CRLF.contains('\u{a0}') && CRLF.contains('\u{202f}'));
        let parse = parse_listing(CRLF, "crlf.txt");
        assert!(parse.problems.is_empty(), "{:?}", parse.problems);
        assert_eq!(
            titles(&parse),
            [
                "Discrete Key-Value Bottleneck",
                "DUSt3R: Geometric 3D Vision Made Easy",
                "UL2: Unifying Language Learning Paradigms",
            ]
        );
        let sources: Vec<&str> = parse.papers.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(sources, ["crlf.txt:5", "crlf.txt:9", "crlf.txt:13"]);
        for (paper, seed) in parse.papers.iter().zip([47, 63, 119]) {
            assert_eq!(paper.abstract_text, seed_line(seed + 2), "{}", paper.title);
        }
    }

    #[test]
    fn abstracts_in_several_paragraphs() {
        let parse = parse_listing(MULTI, "multi_paragraph.txt");
        assert!(parse.problems.is_empty(), "{:?}", parse.problems);
        assert_eq!(
            titles(&parse),
            [
                "ZoomEye: Enhancing Multimodal LLMs with Human-Like Zooming Capabilities through Tree-Based Image Exploration",
                "Yi: Open Foundation Models by 01.AI",
                "DUSt3R: Geometric 3D Vision Made Easy",
                "BARTScore: Evaluating Generated Text as Text Generation",
            ]
        );
        let zoom = seed_line(17)
            .replacen(" In this paper", "\n\nIn this paper", 1)
            .replacen(" We experiment", "\n\nWe experiment", 1);
        assert_eq!(parse.papers[0].abstract_text, zoom);
        assert_eq!(parse.papers[0].abstract_text.split("\n\n").count(), 3);
        let yi = seed_line(57).replacen(" For pretraining", "\n\nFor pretraining", 1);
        assert_eq!(parse.papers[1].abstract_text, yi);
        assert_eq!(
            parse.papers[2].abstract_text,
            format!(
                "{}\n\nCode and models: https://github.com/naver/dust3r",
                seed_line(65)
            )
        );
        assert_eq!(
            urls(&parse.papers[2]),
            [("https://github.com/naver/dust3r", LinkKind::Code)]
        );
        assert_eq!(parse.papers[3].abstract_text, seed_line(41));
    }

    #[test]
    fn last_card_cut_off_after_its_title() {
        let parse = parse_listing(CUTOFF, "cutoff.txt");
        assert_eq!(
            titles(&parse),
            [
                "Pointer Networks",
                "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking",
                "BARTScore: Evaluating Generated Text as Text Generation",
            ]
        );
        assert_eq!(parse.papers[0].abstract_text, seed_line(117));
        assert_eq!(parse.papers[1].abstract_text, seed_line(177));
        let last = &parse.papers[2];
        assert_eq!(last.abstract_text, "");
        assert!(last.links.is_empty());
        assert_eq!(last.source, "cutoff.txt:13");
        assert_eq!(
            parse.problems,
            [Problem {
                location: "cutoff.txt:13".to_string(),
                message: "paper `BARTScore: Evaluating Generated Text as Text Generation` has \
                          no abstract (cut off?)"
                    .to_string(),
            }]
        );
    }

    #[test]
    fn cut_off_title_followed_by_footer() {
        let text = format!(
            "{}\n\n{}\n\nGitHub 2.3k\n\nPointer Networks\nUpvote\n12\n\nCompany\nTOS\n© 2024 Hugging Face\n",
            seed_line(11),
            seed_line(13)
        );
        let parse = parse_listing(&text, "<stdin>");
        assert_eq!(titles(&parse)[1..], ["Pointer Networks"]);
        assert_eq!(parse.papers[0].abstract_text, seed_line(13));
        assert_eq!(parse.problems.len(), 1);
        assert_eq!(parse.problems[0].location, "<stdin>:7");
    }

    #[test]
    fn no_papers_is_one_problem() {
        for text in [
            "",
            "\n\n  \r\n",
            "new\n\nSubscribe\nMar 12\n",
            "Just a few words\nand some more",
        ] {
            let parse = parse_listing(text, "empty.txt");
            assert!(parse.papers.is_empty(), "{text:?}");
            assert_eq!(parse.problems.len(), 1, "{text:?}");
            assert_eq!(parse.problems[0].location, "empty.txt:1");
            assert!(parse.problems[0].message.contains("no papers"));
        }
    }

    #[test]
    fn seed_without_blank_lines() {
        let flat: String = SEED
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        let parse = parse_listing(SEED, "seed");
        let flat_parse = parse_listing(&flat, "flat");
        assert!(flat_parse.problems.is_empty(), "{:?}", flat_parse.problems);
        assert_eq!(titles(&flat_parse), titles(&parse));
        for (a, b) in flat_parse.papers.iter().zip(&parse.papers) {
            assert_eq!(a.abstract_text, b.abstract_text);
            assert_eq!(a.links, b.links);
        }
    }

    #[test]
    fn cards_without_any_blank_lines() {
        let text = format!(
            "Mar 12\n{}\n{}\n{}\nUpvote\n3\n{}\n{}\n",
            seed_line(11),
            seed_line(13),
            seed_line(115),
            seed_line(55),
            seed_line(57)
        );
        let parse = parse_listing(&text, "flat.txt");
        assert_eq!(
            titles(&parse),
            [
                "Text2MDT: Extracting Medical Decision Trees from Medical Texts",
                "Pointer Networks",
                "Yi: Open Foundation Models by 01.AI",
            ]
        );
        assert_eq!(parse.papers[1].abstract_text, "");
        assert_eq!(parse.problems.len(), 1);
        assert_eq!(parse.problems[0].location, "flat.txt:4");
        let sources: Vec<&str> = parse.papers.iter().map(|p| p.source.as_str()).collect();
        assert_eq!(sources, ["flat.txt:2", "flat.txt:4", "flat.txt:7"]);
    }

    #[test]
    fn arxiv_ids_from_card_chrome_or_abstract() {
        let abstract_a = "We study a thing in depth and report what we found. ".repeat(5);
        let abstract_b =
            format!("{abstract_a}See arxiv.org/abs/2401.01234v3 for the long version.");
        let text = format!(
            "First Paper Title\narXiv:2303.16727v2\n\n{abstract_a}\n\n\
             Second Paper Title\n\n{abstract_b}\n\n\
             Third Paper Title\n\n{abstract_a}\n"
        );
        let parse = parse_listing(&text, "a.txt");
        let ids: Vec<Option<&str>> = parse.papers.iter().map(|p| p.arxiv.as_deref()).collect();
        assert_eq!(ids, [Some("2303.16727"), Some("2401.01234"), None]);
        assert_eq!(parse.papers[0].abstract_text, abstract_a.trim());
        assert_eq!(
            urls(&parse.papers[1]),
            [("https://arxiv.org/abs/2401.01234v3", LinkKind::Project)]
        );
    }

    #[test]
    fn leftover_lines_between_cards() {
        let long = "This sentence is part of an abstract that goes on for a while. ".repeat(4);
        let text = format!(
            "akhaliq\n\nA Title Here\n\n{long}\nand wraps onto one more line\n\nakhaliq\n\n\
             Another Title\n\n{long}\n\nProject page is online now\n\nThird One\n\n{long}\n"
        );
        let parse = parse_listing(&text, "x.txt");
        assert!(parse.problems.is_empty(), "{:?}", parse.problems);
        assert_eq!(
            titles(&parse),
            ["A Title Here", "Another Title", "Third One"]
        );
        let long = long.trim();
        assert_eq!(
            parse.papers[0].abstract_text,
            format!("{long}\nand wraps onto one more line")
        );
        assert_eq!(
            parse.papers[1].abstract_text,
            format!("{long}\n\nProject page is online now")
        );
        assert_eq!(parse.papers[2].abstract_text, long);
    }

    #[test]
    fn label_values_on_their_own_line_are_chrome() {
        let text = format!(
            "Submitted by\nKseniase\nUpvote\n5\n{}\nAuthors:\nJane Doe, John Smith, Ann Lee\n\n{}\n\n\
             Submitted by\nAKhaliq\n\nPointer Networks\n·\n3 authors\n\n{}\n\nSubmitted by\nAK\n",
            seed_line(11),
            seed_line(13),
            seed_line(117)
        );
        let parse = parse_listing(&text, "x.txt");
        assert!(parse.problems.is_empty(), "{:?}", parse.problems);
        assert_eq!(
            titles(&parse),
            [
                "Text2MDT: Extracting Medical Decision Trees from Medical Texts",
                "Pointer Networks",
            ]
        );
        assert_eq!(parse.papers[0].abstract_text, seed_line(13));
        assert_eq!(parse.papers[1].abstract_text, seed_line(117));
    }

    #[test]
    fn prose_before_the_first_title_is_reported() {
        let long = "An introduction paragraph on a page that is not a paper at all. ".repeat(4);
        let text = format!("{long}\n\nA Title\n\n{long}\n");
        let parse = parse_listing(&text, "x.txt");
        assert_eq!(titles(&parse), ["A Title"]);
        assert_eq!(parse.problems.len(), 1);
        assert_eq!(parse.problems[0].location, "x.txt:1");
    }

    #[test]
    fn detects_listings() {
        for text in [SEED, CHROME, CRLF, MULTI, CUTOFF] {
            assert!(looks_like_listing(text));
        }
        let prose = seed_line(13);
        let not_listings = [
            String::new(),
            "@article{a,\n  title = {Pointer Networks},\n}\n".to_string(),
            format!("TY  - JOUR\nTI  - Pointer Networks\nAB  - {prose}\nER  - \n"),
            format!("[{{\"title\": \"Pointer Networks\", \"abstract\": \"{prose}\"}}]"),
            format!(
                "title,abstract\nA,\"{prose}\"\nB,\"{prose}\"\nC,\"{prose}\"\nD,\"{prose}\"\nE,\"{prose}\"\n"
            ),
            format!("{prose}\n\n{prose}\n"),
            "# Notes\n\nshort\n".to_string(),
        ];
        for text in &not_listings {
            assert!(!looks_like_listing(text), "{text}");
        }
    }
}
