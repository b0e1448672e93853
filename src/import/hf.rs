//! Parser for Hugging Face papers JSON, as the Hub's papers API returns it
//! and a user saves it to a file.
//!
//! Three shapes are accepted:
//!
//! - the daily-papers list: an array of items, each wrapping a paper:
//!   `[{"paper": {"id": "2303.16727", "title": …, "summary": …,
//!   "authors": [{"name": …, "hidden": false, "user": {…}}], "publishedAt":
//!   "2023-03-29T…", "upvotes": 12, "githubRepo": …, "projectPage": …,
//!   "ai_keywords": […]}, "title": …, "publishedAt": …, "numComments": 3}]`;
//! - one paper: `{"id", "title", "summary", "authors", "publishedAt",
//!   "upvotes", "githubRepo", "projectPage"}` (or one daily item);
//! - an array of such paper objects.
//!
//! Mapping: `id` → arXiv id (version stripped) plus a link to the paper's
//! Hugging Face page; `title` (folded; the item's own `title` stands in when
//! the paper has none); `summary` → abstract (whitespace folded, blank-line
//! paragraph breaks kept); the authors' `name`s in order, as written;
//! `publishedAt` (the paper's, else the item's) → year, with month and day in
//! `extra`; `upvotes` → `extra` `upvotes`; `numComments` → `extra`
//! `comments`; `githubStars` → `extra` `githubstars`; `ai_summary` → `extra`
//! `ai_summary`; `githubRepo` → a code link; `projectPage` → a project link;
//! `ai_keywords` → tags (lowercased, inner spaces → `-`, deduplicated). Entry
//! type is `misc` (arXiv preprints).
//!
//! Values are read loosely: a number given as a string, an author given as a
//! bare string, and `null`s are accepted. Each item's `source` line is found
//! by a small scanner that tracks nesting depth over the raw text (skipping
//! strings and their escapes), since `serde_json` values carry no positions.
//! Invalid JSON is one [`Problem`] at the line `serde_json` reports; an item
//! without an id or a title is a [`Problem`] and is skipped.

use serde_json::{Map, Value};

use super::head;
use crate::import::Parsed;
use crate::import::dates::{Date, parse_iso};
use crate::import::fields::{add_tag, normalize_tag};
use crate::import::ids::arxiv_id_or_url as arxiv_id;
use crate::model::{Link, LinkKind, NewPaper, Problem};
use crate::text::{fold_paragraphs as paragraphs, fold_whitespace as fold};

/// How many bytes [`looks_like`] examines.
const SNIFF_BYTES: usize = 4096;

/// Whether `text` looks like Hugging Face papers JSON: JSON whose first 4 KB
/// contain `"paper"` with `"id"` and `"upvotes"`, `"summary"` or
/// `"authors"`, or an `"id"` whose value is an arXiv id next to `"authors"`
/// and `"summary"` (or the authors' `"hidden"` flag).
pub fn looks_like(text: &str) -> bool {
    let head = head(text, SNIFF_BYTES);
    let start = head.trim_start();
    if !(start.starts_with('[') || start.starts_with('{')) {
        return false;
    }
    let has = |s: &str| head.contains(s);
    // A long author list can push `upvotes` and `summary` past the first
    // 4 KB; `authors` (and its HF-only `hidden` flag) come right after `id`.
    (has("\"paper\"")
        && has("\"id\"")
        && (has("\"upvotes\"") || has("\"summary\"") || has("\"authors\"")))
        || (has("\"authors\"")
            && (has("\"summary\"") || has("\"hidden\""))
            && has_arxiv_id_value(head))
}

/// Whether some `"id"` key in `head` has a string value that is an arXiv id.
fn has_arxiv_id_value(head: &str) -> bool {
    head.match_indices("\"id\"").any(|(i, m)| {
        let rest = head[i + m.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            return false;
        };
        let Some(rest) = rest.trim_start().strip_prefix('"') else {
            return false;
        };
        rest.split('"')
            .next()
            .is_some_and(|v| arxiv_id(v).is_some())
    })
}

/// Parses Hugging Face papers JSON.
pub fn parse(text: &str, source: &str) -> Parsed {
    let mut out = Parsed::default();
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            out.problems.push(problem(
                source,
                e.line().max(1),
                format!(
                    "invalid JSON at column {}: {}",
                    e.column(),
                    strip_position(&e.to_string())
                ),
            ));
            return out;
        }
    };
    match value {
        Value::Array(items) => {
            let lines = element_lines(text);
            for (i, item) in items.iter().enumerate() {
                let line = lines.get(i).copied().unwrap_or(1);
                match item {
                    Value::Object(obj) => push_item(obj, source, line, &mut out),
                    _ => out.problems.push(problem(
                        source,
                        line,
                        format!("item {} is not an object; skipped", i + 1),
                    )),
                }
            }
        }
        Value::Object(obj) => {
            let line = first_value_line(text);
            if obj.contains_key("paper") || obj.contains_key("id") || obj.contains_key("title") {
                push_item(&obj, source, line, &mut out);
            } else {
                out.problems.push(problem(
                    source,
                    line,
                    "no paper found: expected a paper object (with \"id\" and \"title\") or an array of papers".into(),
                ));
            }
        }
        _ => out.problems.push(problem(
            source,
            first_value_line(text),
            "no paper found: expected an array of papers or one paper object".into(),
        )),
    }
    out
}

/// Converts one item (a daily-papers wrapper or a bare paper) to a paper.
fn push_item(item: &Map<String, Value>, source: &str, line: usize, out: &mut Parsed) {
    let fields = Fields::of(item);
    let id = fields.text("id").unwrap_or_default();
    let title = fold(&fields.text("title").unwrap_or_default());
    if id.trim().is_empty() || title.is_empty() {
        out.problems
            .push(problem(source, line, missing_id_or_title(&id, &title)));
        return;
    }
    let id = id.trim();
    let arxiv = arxiv_id(id);
    let date = fields.text("publishedAt").and_then(|d| parse_iso(&d));
    out.papers.push(NewPaper {
        title,
        abstract_text: paragraphs(&fields.text("summary").unwrap_or_default()),
        authors: authors(&fields),
        year: date.map(|d| d.year),
        doi: None,
        links: links(&fields, id, arxiv.as_deref()),
        tags: tags(&fields),
        extra: extra(&fields, date, id, arxiv.is_some()),
        arxiv,
        source: format!("{source}:{line}"),
        venue: None,
        entry_type: Some("misc".to_string()),
        citekey: None,
        note: None,
        ..NewPaper::default()
    });
}

/// The fields of one item's paper, with the wrapping item's as fallback;
/// `null`s count as missing.
struct Fields<'a> {
    paper: &'a Map<String, Value>,
    item: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    fn of(item: &'a Map<String, Value>) -> Fields<'a> {
        let paper = match item.get("paper") {
            Some(Value::Object(p)) => p,
            _ => item,
        };
        Fields { paper, item }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.paper
            .get(key)
            .filter(|v| !v.is_null())
            .or_else(|| self.item.get(key).filter(|v| !v.is_null()))
    }

    /// A field given as a string, number or boolean, as text.
    fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(scalar)
    }
}

/// The problem of an item without an id or a title, naming it by what it
/// has.
fn missing_id_or_title(id: &str, title: &str) -> String {
    let what = match (id.trim().is_empty(), title.is_empty()) {
        (true, true) => "id and no title",
        (true, false) => "id",
        _ => "title",
    };
    let name = if title.is_empty() {
        id.trim().to_string()
    } else {
        format!("\"{title}\"")
    };
    let label = if name.is_empty() {
        String::new()
    } else {
        format!(" {name}")
    };
    format!("paper{label} has no {what}; skipped")
}

/// The paper's Hugging Face page, then its code repository and project
/// page, each once.
fn links(fields: &Fields, id: &str, arxiv: Option<&str>) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    let mut add_link = |url: &str, kind: Option<LinkKind>| {
        let url = url.trim();
        if url.is_empty() || links.iter().any(|l| l.url == url) {
            return;
        }
        links.push(Link {
            url: url.to_string(),
            kind: kind.unwrap_or_else(|| LinkKind::classify(url)),
        });
    };
    let page = format!("https://huggingface.co/papers/{}", arxiv.unwrap_or(id));
    add_link(&page, None);
    if let Some(repo) = fields.text("githubRepo") {
        add_link(&repo, Some(LinkKind::Code));
    }
    if let Some(project) = fields.text("projectPage") {
        add_link(&project, Some(LinkKind::Project));
    }
    links
}

/// The authors' names in order, an author given as an object or as a bare
/// string.
fn authors(fields: &Fields) -> Vec<String> {
    let mut authors = Vec::new();
    if let Some(Value::Array(list)) = fields.get("authors") {
        for a in list {
            let name = match a {
                Value::Object(o) => o.get("name").and_then(scalar),
                other => scalar(other),
            };
            let name = fold(&name.unwrap_or_default());
            if !name.is_empty() {
                authors.push(name);
            }
        }
    }
    authors
}

/// `ai_keywords` as tags, normalized and deduplicated.
fn tags(fields: &Fields) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    if let Some(Value::Array(list)) = fields.get("ai_keywords") {
        for tag in list
            .iter()
            .filter_map(scalar)
            .filter_map(|k| normalize_tag(&k))
        {
            add_tag(&mut tags, tag);
        }
    }
    tags
}

/// The `extra` fields: month and day of the date, the Hub's counts and
/// summary, and the Hub's id when it is not an arXiv id.
fn extra(fields: &Fields, date: Option<Date>, id: &str, is_arxiv: bool) -> Vec<(String, String)> {
    let mut extra = Vec::new();
    if let Some(date) = date {
        if let Some(m) = date.month {
            extra.push(("month".to_string(), m.to_string()));
        }
        if let Some(d) = date.day {
            extra.push(("day".to_string(), d.to_string()));
        }
    }
    for (key, name) in [
        ("upvotes", "upvotes"),
        ("numComments", "comments"),
        ("githubStars", "githubstars"),
        ("ai_summary", "ai_summary"),
    ] {
        if let Some(v) = fields.text(key) {
            let v = fold(&v);
            if !v.is_empty() {
                extra.push((name.to_string(), v));
            }
        }
    }
    if !is_arxiv {
        extra.push(("hfid".to_string(), id.to_string()));
    }
    extra
}

/// A string, number or boolean as text; `None` for null, arrays, objects.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The 1-based line of each element of the top-level array, in order.
///
/// Walks the raw text once, tracking nesting depth and skipping string
/// contents (with their backslash escapes), and records where each value at
/// depth 1 starts.
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // At depth 1, whether the next non-blank character starts an element.
    let mut expect = false;
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        if depth == 1 && expect && b != b']' && b != b',' {
            lines.push(line);
            expect = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                if depth == 0 && b == b'[' {
                    expect = true;
                }
                depth += 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect = true,
            _ => {}
        }
    }
    lines
}

/// The line of the first non-blank character.
fn first_value_line(text: &str) -> usize {
    let end = text.len() - text.trim_start().len();
    text[..end].bytes().filter(|&b| b == b'\n').count() + 1
}

/// `serde_json`'s message without its trailing "at line L column C".
fn strip_position(message: &str) -> String {
    let cut = message.rfind(" at line ").unwrap_or(message.len());
    fold(&message[..cut])
}

fn problem(source: &str, line: usize, message: String) -> Problem {
    Problem {
        location: format!("{source}:{line}"),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAILY: &str = include_str!("../../tests/fixtures/formats/hf-daily.json");
    const PAPER: &str = include_str!("../../tests/fixtures/formats/hf-paper.json");

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn sniffs_hf_json_only() {
        assert!(looks_like(DAILY));
        assert!(looks_like(PAPER));
        assert!(looks_like(
            r#"[{"id": "2401.00001", "title": "T", "summary": "S", "authors": []}]"#
        ));
        // CSL-JSON has ids and authors but no `summary`/`paper`.
        assert!(!looks_like(
            r#"[{"id": "smith2020", "type": "paper-conference", "title": "T", "author": []}]"#
        ));
        assert!(!looks_like(
            r#"[{"id": "abc", "summary": "S", "authors": []}]"#
        ));
        assert!(!looks_like("paper id upvotes"));
        // Many authors push `summary` and `upvotes` past the sniffed prefix.
        let author =
            r#"{"_id": "6425a3b1c2f4e5d6a7b8c901", "name": "Some Author", "hidden": false},"#;
        let long = format!(
            r#"{{"id": "2401.00001", "authors": [{}{{"name": "Last"}}], "title": "T", "summary": "S"}}"#,
            author.repeat(100)
        );
        assert!(looks_like(&long));
        assert!(looks_like(&format!("[{{\"paper\": {long}}}]")));
        assert_eq!(parse(&long, "l.json").papers[0].authors.len(), 101);
    }

    #[test]
    fn daily_fixture() {
        let parsed = parse(DAILY, "daily.json");
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.papers.len(), 3);
        let p = &parsed.papers[0];
        assert_eq!(p.source, "daily.json:2");
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        assert_eq!(
            p.title,
            "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking"
        );
        assert_eq!(p.authors, ["Limin Wang", "Bingkun Huang", "Zhiyu Zhao"]);
        assert_eq!(p.year, Some(2023));
        assert_eq!(p.abstract_text.matches("\n\n").count(), 1);
        assert!(!p.abstract_text.contains("  "));
        assert_eq!(
            p.links,
            [
                Link {
                    url: "https://huggingface.co/papers/2303.16727".into(),
                    kind: LinkKind::classify("https://huggingface.co/papers/2303.16727"),
                },
                Link {
                    url: "https://github.com/OpenGVLab/VideoMAEv2".into(),
                    kind: LinkKind::Code,
                },
                Link {
                    url: "https://videomaev2.github.io/".into(),
                    kind: LinkKind::Project,
                },
            ]
        );
        assert_eq!(
            p.tags,
            ["masked-autoencoders", "video-foundation-models", "vit"]
        );
        assert_eq!(
            p.extra,
            [
                pair("month", "3"),
                pair("day", "29"),
                pair("upvotes", "12"),
                pair("comments", "3"),
            ]
        );
        assert_eq!(p.entry_type.as_deref(), Some("misc"));

        // The second item's line accounts for a string holding brackets,
        // braces, commas and escaped quotes.
        let second = &parsed.papers[1];
        assert_eq!(second.source, "daily.json:44");
        assert_eq!(second.title, "Tricky \"Strings\", [Brackets] and {Braces}");
        assert_eq!(second.authors, ["Jane Q. Public"]);
        assert!(second.links.len() == 1);
        assert_eq!(parsed.papers[2].source, "daily.json:59");
        assert_eq!(parsed.papers[2].arxiv.as_deref(), Some("2402.01234"));
    }

    #[test]
    fn single_paper_fixture() {
        let parsed = parse(PAPER, "paper.json");
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.papers.len(), 1);
        let p = &parsed.papers[0];
        assert_eq!(p.source, "paper.json:1");
        assert_eq!(p.arxiv.as_deref(), Some("2310.06825"));
        assert_eq!(p.title, "Mistral 7B");
        assert_eq!(p.authors.len(), 4);
        assert_eq!(p.authors[3], "Devendra Singh Chaplot");
        assert_eq!(p.year, Some(2023));
        assert!(p.extra.contains(&pair("upvotes", "48")));
        assert!(p.links.iter().any(|l| l.kind == LinkKind::Project));
    }

    #[test]
    fn array_of_bare_papers_with_loose_values() {
        let text = r#"[
  {"id": "2401.00001v2", "title": "One", "summary": "S", "authors": ["Plain String", {"name": "  Spaced   Name "}, {"name": null}], "upvotes": "7", "publishedAt": "2024"},
  {"title": "No id"},
  42,
  {"id": "2401.00003", "title": null}
]"#;
        let parsed = parse(text, "a.json");
        assert_eq!(parsed.papers.len(), 1);
        let p = &parsed.papers[0];
        assert_eq!(p.arxiv.as_deref(), Some("2401.00001"));
        assert_eq!(p.authors, ["Plain String", "Spaced Name"]);
        assert_eq!(p.year, Some(2024));
        assert_eq!(p.extra, [pair("upvotes", "7")]);
        assert_eq!(
            parsed.problems,
            [
                Problem {
                    location: "a.json:3".into(),
                    message: "paper \"No id\" has no id; skipped".into(),
                },
                Problem {
                    location: "a.json:4".into(),
                    message: "item 3 is not an object; skipped".into(),
                },
                Problem {
                    location: "a.json:5".into(),
                    message: "paper 2401.00003 has no title; skipped".into(),
                },
            ]
        );
    }

    #[test]
    fn invalid_json_is_one_problem_at_its_line() {
        let parsed = parse(
            "[\n  {\"id\": \"2401.00001\",\n   \"title\": \"x\"\n  ,]\n",
            "bad.json",
        );
        assert!(parsed.papers.is_empty());
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].location, "bad.json:4");
        assert!(
            parsed.problems[0]
                .message
                .starts_with("invalid JSON at column")
        );
        assert!(!parsed.problems[0].message.contains(" at line "));
    }

    #[test]
    fn non_arxiv_id_is_kept_in_extra() {
        let parsed = parse(r#"{"id": "paper-xyz", "title": "T"}"#, "x.json");
        let p = &parsed.papers[0];
        assert_eq!(p.arxiv, None);
        assert_eq!(p.links[0].url, "https://huggingface.co/papers/paper-xyz");
        assert_eq!(p.extra, [pair("hfid", "paper-xyz")]);
    }

    #[test]
    fn element_lines_skip_strings() {
        let text = "[\"a,[{\\\"\", \n {\"b\": [1,\n2]},\n3 ,\n\n[]]";
        assert_eq!(element_lines(text), [1, 2, 4, 6]);
        assert_eq!(element_lines("{}"), Vec::<usize>::new());
        assert_eq!(element_lines("[]"), Vec::<usize>::new());
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let _ = looks_like(&s);
            let _ = parse(&s, "p.json");
        }

        #[test]
        fn never_panics_on_jsonish(parts in proptest::collection::vec(
            prop_oneof![
                Just("[".to_string()), Just("]".to_string()), Just("{".to_string()),
                Just("}".to_string()), Just(",".to_string()), Just(":".to_string()),
                Just("\"id\":\"2303.16727v1\"".to_string()), Just("\"title\":".to_string()),
                Just("\"paper\":".to_string()), Just("\"authors\":".to_string()),
                Just("\"publishedAt\":\"2023-1".to_string()), Just("null".to_string()),
                Just("\"\\\"\"".to_string()), "\\PC{0,8}",
            ],
            0..40,
        )) {
            let text = parts.concat();
            let parsed = parse(&text, "p.json");
            // Every line reported lies inside the text.
            let lines = text.lines().count().max(1);
            for p in parsed.papers {
                let n: usize = p.source.rsplit(':').next().unwrap_or("0").parse().unwrap_or(0);
                prop_assert!(n >= 1 && n <= lines);
            }
        }
    }
}
