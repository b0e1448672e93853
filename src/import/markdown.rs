//! Parser for a Markdown file with YAML front matter: a file Lectern's
//! Markdown export wrote, or an Obsidian literature note. One file is one
//! paper, whose `source` line is 1.
//!
//! # Front matter
//!
//! The block between a first line `---` and the next `---` (or `...`) line is
//! read as YAML. Keys are matched case-insensitively:
//!
//! | keys | field |
//! | --- | --- |
//! | `title` (else the body's first `# ` heading) | title, folded |
//! | `authors`, `author`: a list, or one string `"A and B"` / `"A; B"` | authors as written; `[[Name]]` wikilinks are unwrapped, `{family, given}` maps become `"Family, Given"` |
//! | `year` (else the year of `date`) | year |
//! | `doi` (bare, `doi:` or a `doi.org` URL) | DOI, bare |
//! | `arxiv`, `eprint`, `arxiv_id`, `arxivid` | arXiv id, version stripped |
//! | `url`, `link`, `links` (URLs, or `{url, kind}` maps as Lectern writes them) | links; a `doi.org` URL sets the DOI instead, an arXiv URL also sets the arXiv id |
//! | `tags`, `tag`, `keywords`: a list or a comma (or space) separated string | tags: leading `#` stripped, inner spaces → `-`, deduplicated |
//! | `citekey`, `citation-key`, `citationkey`, `citation_key`, `key` | citekey |
//! | `venue`, `journal`, `journaltitle`, `container-title`, `booktitle`, `publication` | venue |
//! | `abstract` | abstract |
//! | `type`, `entry_type`, `entrytype`: a BibTeX type, or a CSL type mapped to one (`article-journal` → `article`, `paper-conference` → `inproceedings`, …) | entry type; any other value stays in `extra` as `type` |
//! | `related` | wikilinks (see below) |
//! | `aliases`, `alias` | ignored |
//!
//! Every other key with a scalar value (or a list of scalars, joined with
//! `", "`) goes to `extra` under its lowercased name. YAML reads unquoted
//! `arxiv: 2303.10670` as the number `2303.1067`; top-level numbers are
//! therefore taken from the raw front matter text as written. Invalid YAML is
//! a [`Problem`] at the file line YAML reports, and the file is skipped.
//!
//! # Body
//!
//! A file Lectern wrote has an end marker line `<!-- lectern:end … -->`.
//! Above it Lectern wrote `# Title`, an `*authors*` line, the abstract (taken
//! as the abstract when the front matter has none), `## Links`,
//! `## Highlights`, `## Related` and `## Notes`, where each note follows a
//! `<!-- lectern:note id=… -->` line. The note of the paper is those notes
//! plus everything the user wrote below the marker, joined by blank lines.
//! Highlights are not imported (a [`NewPaper`] cannot hold them).
//!
//! Any other file (an Obsidian note) gives its whole body as the note, minus
//! a leading `# ` heading.
//!
//! `[[wikilinks]]` in the note and in `related` (outside code) become
//! `extra` `("wikilinks", "key1 key2 …")`: link targets without alias,
//! heading, folder or `.md` suffix, deduplicated, without the paper's own
//! citekey. Embeds (`![[…]]`) and targets with spaces (note titles, not
//! citekeys) are left out.

use serde_yaml_ng::{Mapping, Value};

use crate::import::Parsed;
use crate::import::fields::{add_tag, family_given, tag_word};
use crate::import::ids::{arxiv_id_or_url as arxiv_id, bare_doi};
use crate::model::{Link, LinkKind, NewPaper, Problem};
use crate::text::{
    find_wikilinks, fold_paragraphs as paragraphs, fold_whitespace as fold, trim_blank_lines,
};

/// How many lines [`looks_like`] searches for the closing `---`.
const SNIFF_LINES: usize = 200;

/// The start of the end marker line Lectern's Markdown export writes.
const END_MARKER: &str = "<!-- lectern:end ";
/// The start of the line Lectern writes before each note.
const NOTE_MARKER: &str = "<!-- lectern:note ";

/// Whether `text` starts with a `---` line and a closing `---` line follows
/// within the first 200 lines.
pub fn looks_like(text: &str) -> bool {
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    lines
        .take(SNIFF_LINES - 1)
        .any(|l| matches!(l.trim_end(), "---" | "..."))
}

/// Parses one Markdown file into one paper.
pub fn parse(text: &str, source: &str) -> Parsed {
    let mut out = Parsed::default();
    let location = format!("{source}:1");
    let text = text.trim_start_matches('\u{feff}');
    let (front, body) = match split_front_matter(text) {
        Ok(parts) => parts,
        Err(message) => {
            out.problems.push(Problem { location, message });
            return out;
        }
    };
    let map = match front.map(read_yaml).transpose() {
        Ok(map) => map.unwrap_or_default(),
        Err((line, message)) => {
            out.problems.push(Problem {
                location: format!("{source}:{line}"),
                message,
            });
            return out;
        }
    };
    let mut paper = NewPaper {
        source: location,
        ..NewPaper::default()
    };
    let mut wikilinks = Vec::new();
    read_front_matter(&map, front.unwrap_or(""), &mut paper, &mut wikilinks);

    let body = Body::read(body, &paper.authors);
    if paper.title.is_empty() {
        paper.title = body.heading.clone();
    }
    if paper.abstract_text.is_empty() {
        paper.abstract_text = paragraphs(&body.abstract_text);
    }
    for part in &body.notes {
        find_wikilinks(part, &mut wikilinks);
    }
    let note = body
        .notes
        .iter()
        .map(|n| trim_blank_lines(n))
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if !note.is_empty() {
        paper.note = Some(note);
    }
    wikilinks.retain(|w| Some(w) != paper.citekey.as_ref());
    if !wikilinks.is_empty() {
        paper
            .extra
            .push(("wikilinks".to_string(), wikilinks.join(" ")));
    }
    out.papers.push(paper);
    out
}

/// Splits `text` into the front matter (without its `---` lines) and the
/// body. No opening `---` line: no front matter, all body.
pub(crate) fn split_front_matter(text: &str) -> Result<(Option<&str>, &str), String> {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return Ok((None, text)),
    }
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            return Ok((Some(&text[start..offset]), &text[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err("the front matter that starts here is never closed by a `---` line".into())
}

/// Reads the front matter as a YAML mapping; an error carries its file line
/// (the front matter starts on line 2).
pub(crate) fn read_yaml(front: &str) -> Result<Mapping, (usize, String)> {
    match serde_yaml_ng::from_str::<Value>(front) {
        Ok(Value::Mapping(m)) => Ok(m),
        Ok(Value::Null) => Ok(Mapping::new()),
        Ok(_) => Err((
            2,
            "the front matter is not a list of `key: value` lines".into(),
        )),
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line()) + 1;
            let message = e.to_string();
            let cut = message.find(" at line ").unwrap_or(message.len());
            Err((
                line,
                format!("invalid YAML front matter: {}", fold(&message[..cut])),
            ))
        }
    }
}

/// Fills `paper` from the front matter.
fn read_front_matter(map: &Mapping, raw: &str, paper: &mut NewPaper, wikilinks: &mut Vec<String>) {
    let mut date_year = None;
    for (key, value) in map {
        let Some(key) = scalar(key) else { continue };
        let name = key.trim().to_lowercase();
        // Top-level numbers as written, so `2303.10670` keeps its zero.
        let text = match value {
            Value::Number(_) => raw_value(raw, &key).or_else(|| scalar(value)),
            _ => scalar(value),
        };
        match name.as_str() {
            "title" => paper.title = fold(&text.unwrap_or_default()),
            "author" | "authors" => read_authors(value, &mut paper.authors),
            "year" => {
                paper.year = text.as_deref().and_then(year_of);
                if paper.year.is_none() {
                    push_extra(paper, &name, text);
                }
            }
            "date" => {
                date_year = text.as_deref().and_then(year_of);
                push_extra(paper, &name, text);
            }
            "doi" => match text.as_deref().and_then(bare_doi) {
                Some(doi) => paper.doi = Some(doi),
                None => push_extra(paper, &name, text),
            },
            "arxiv" | "eprint" | "arxiv_id" | "arxivid" => {
                match text.as_deref().and_then(arxiv_id) {
                    Some(id) => paper.arxiv = Some(id),
                    None => push_extra(paper, &name, text),
                }
            }
            "url" | "link" | "links" | "urls" => read_links(value, paper),
            "tags" | "tag" | "keywords" => read_tags(value, &mut paper.tags),
            "citekey" | "citation-key" | "citationkey" | "citation_key" | "key" => {
                paper.citekey = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
            }
            "venue" | "journal" | "journaltitle" | "container-title" | "booktitle"
            | "publication" => {
                paper.venue = text.map(|t| fold(&t)).filter(|t| !t.is_empty());
            }
            "abstract" => paper.abstract_text = paragraphs(&text.unwrap_or_default()),
            "type" | "entry_type" | "entrytype" => match text.as_deref().and_then(bibtex_type) {
                Some(t) => paper.entry_type = Some(t.to_string()),
                None => push_extra(paper, "type", text),
            },
            "related" => {
                for item in list_items(value) {
                    find_wikilinks(&item, wikilinks);
                }
            }
            "aliases" | "alias" => {}
            _ => {
                let text = text.or_else(|| {
                    let items = list_items(value);
                    (!items.is_empty()).then(|| items.join(", "))
                });
                push_extra(paper, &name, text);
            }
        }
    }
    if paper.year.is_none() {
        paper.year = date_year;
    }
}

/// Adds a non-empty `extra` field.
fn push_extra(paper: &mut NewPaper, name: &str, value: Option<String>) {
    if let Some(v) = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    {
        paper.extra.push((name.to_string(), v));
    }
}

/// A scalar as text; `None` for null, lists and maps.
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

/// The scalars of a list (or the one scalar given instead of a list).
fn list_items(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items.iter().filter_map(scalar).collect(),
        Value::Tagged(t) => list_items(&t.value),
        other => scalar(other).into_iter().collect(),
    }
}

/// The value of top-level `key:` exactly as written in the front matter,
/// when it is a plain one-line scalar.
fn raw_value(front: &str, key: &str) -> Option<String> {
    front.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.trim_start_matches([' ', '\t']);
        let value = rest.strip_prefix(':')?;
        let value = match value.find(" #") {
            Some(i) => &value[..i],
            None => value,
        }
        .trim();
        let plain =
            !value.is_empty() && !value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']);
        plain.then(|| value.to_string())
    })
}

fn read_authors(value: &Value, authors: &mut Vec<String>) {
    let mut push = |name: &str| {
        let name = fold(&unwrap_wikilink(name));
        if !name.is_empty() {
            authors.push(name);
        }
    };
    match value {
        Value::Sequence(items) => {
            for item in items {
                match item {
                    Value::Mapping(m) => {
                        if let Some(name) = person_from_map(m) {
                            push(&name);
                        }
                    }
                    other => {
                        if let Some(name) = scalar(other) {
                            push(&name);
                        }
                    }
                }
            }
        }
        Value::Mapping(m) => {
            if let Some(name) = person_from_map(m) {
                push(&name);
            }
        }
        other => {
            let Some(all) = scalar(other) else { return };
            for name in split_people(&all) {
                push(name);
            }
        }
    }
}

/// `"A and B"` or `"A; B"` as separate people.
fn split_people(all: &str) -> Vec<&str> {
    if all.contains(';') {
        all.split(';').collect()
    } else {
        all.split(" and ").collect()
    }
}

/// A person given as `{family, given}`, `{name}` or `{literal}`.
fn person_from_map(m: &Mapping) -> Option<String> {
    let get = |k: &str| {
        m.iter()
            .find(|(key, _)| scalar(key).is_some_and(|s| s.eq_ignore_ascii_case(k)))
            .and_then(|(_, v)| scalar(v))
            .map(|s| fold(&s))
            .filter(|s| !s.is_empty())
    };
    if let Some(name) = get("name").or_else(|| get("literal")) {
        return Some(name);
    }
    family_given(
        &get("family").unwrap_or_default(),
        &get("given").unwrap_or_default(),
    )
}

/// `[[Jane Doe]]` → `Jane Doe`, `[[people/Jane Doe|Jane]]` → `Jane Doe`.
fn unwrap_wikilink(s: &str) -> String {
    let t = s.trim();
    match t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
        Some(inner) => {
            let target = inner.split('|').next().unwrap_or(inner);
            target.rsplit('/').next().unwrap_or(target).to_string()
        }
        None => t.to_string(),
    }
}

fn read_links(value: &Value, paper: &mut NewPaper) {
    let entries: Vec<(String, Option<LinkKind>)> = match value {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::Mapping(m) => {
                    let get = |k: &str| {
                        m.iter()
                            .find(|(key, _)| scalar(key).is_some_and(|s| s.eq_ignore_ascii_case(k)))
                            .and_then(|(_, v)| scalar(v))
                    };
                    let url = get("url").or_else(|| get("href"))?;
                    Some((url, get("kind").and_then(|k| link_kind(&k))))
                }
                other => scalar(other).map(|u| (u, None)),
            })
            .collect(),
        other => scalar(other).map(|u| (u, None)).into_iter().collect(),
    };
    for (url, kind) in entries {
        add_link(paper, &url, kind);
    }
}

/// Adds a URL: a DOI URL sets the DOI, an arXiv URL also sets the arXiv id,
/// a URL seen before takes an explicit kind given now.
fn add_link(paper: &mut NewPaper, url: &str, kind: Option<LinkKind>) {
    let url = unwrap_angle(url.trim());
    if url.is_empty() {
        return;
    }
    let lower = url.to_ascii_lowercase();
    if lower.contains("doi.org/")
        && let Some(doi) = bare_doi(url)
    {
        if paper.doi.is_none() {
            paper.doi = Some(doi);
        }
        return;
    }
    if lower.contains("arxiv.org/") && paper.arxiv.is_none() {
        paper.arxiv = arxiv_id(url);
    }
    match paper.links.iter_mut().find(|l| l.url == url) {
        Some(existing) => {
            if let Some(k) = kind {
                existing.kind = k;
            }
        }
        None => paper.links.push(Link {
            url: url.to_string(),
            kind: kind.unwrap_or_else(|| LinkKind::classify(url)),
        }),
    }
}

fn unwrap_angle(s: &str) -> &str {
    s.strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or(s)
}

fn link_kind(s: &str) -> Option<LinkKind> {
    match s.trim().to_ascii_lowercase().as_str() {
        "code" => Some(LinkKind::Code),
        "dataset" => Some(LinkKind::Dataset),
        "project" => Some(LinkKind::Project),
        "pdf" => Some(LinkKind::Pdf),
        "other" => Some(LinkKind::Other),
        _ => None,
    }
}

fn read_tags(value: &Value, tags: &mut Vec<String>) {
    let raw: Vec<String> = match value {
        Value::Sequence(_) | Value::Tagged(_) => list_items(value),
        other => match scalar(other) {
            Some(s) if s.contains(',') => s.split(',').map(str::to_string).collect(),
            Some(s) => s.split_whitespace().map(str::to_string).collect(),
            None => Vec::new(),
        },
    };
    for t in raw {
        add_tag(tags, tag_word(t.trim().trim_start_matches('#')));
    }
}

/// A BibTeX entry type for a BibTeX or CSL type name.
fn bibtex_type(s: &str) -> Option<&'static str> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "article" | "article-journal" | "article-magazine" | "article-newspaper" => "article",
        "inproceedings" | "conference" | "paper-conference" => "inproceedings",
        "incollection" | "chapter" => "incollection",
        "inbook" => "inbook",
        "book" => "book",
        "booklet" => "booklet",
        "proceedings" => "proceedings",
        "phdthesis" | "thesis" => "phdthesis",
        "mastersthesis" => "mastersthesis",
        "techreport" | "report" => "techreport",
        "manual" => "manual",
        "misc" => "misc",
        "online" | "webpage" | "post-weblog" | "post" => "online",
        "unpublished" | "manuscript" => "unpublished",
        "software" => "software",
        "dataset" => "dataset",
        _ => return None,
    })
}

/// The parts of the body the paper takes.
#[derive(Default)]
struct Body {
    /// Text of a leading `# ` heading.
    heading: String,
    /// The abstract Lectern wrote (empty for other files).
    abstract_text: String,
    /// Note texts, in order.
    notes: Vec<String>,
}

impl Body {
    fn read(body: &str, authors: &[String]) -> Body {
        let mut offset = 0;
        let mut marker = None;
        for line in body.split_inclusive('\n') {
            if line.starts_with(END_MARKER) {
                marker = Some((offset, offset + line.len()));
                break;
            }
            offset += line.len();
        }
        match marker {
            Some((start, end)) => Body::lectern(&body[..start], &body[end..], authors),
            None => {
                let (heading, rest) = leading_heading(body);
                Body {
                    heading,
                    abstract_text: String::new(),
                    notes: vec![rest.trim_end().to_string()],
                }
            }
        }
    }

    /// The part above the marker as `render` writes it, and the user's part
    /// below it.
    fn lectern(above: &str, below: &str, authors: &[String]) -> Body {
        let (heading, rest) = leading_heading(above);
        let lines: Vec<&str> = rest.lines().collect();
        let first_section = lines
            .iter()
            .position(|l| l.starts_with("## "))
            .unwrap_or(lines.len());
        // Preamble: the authors line, then the abstract.
        let mut preamble: &[&str] = &lines[..first_section];
        while let Some((first, tail)) = preamble.split_first()
            && first.trim().is_empty()
        {
            preamble = tail;
        }
        if let Some((first, tail)) = preamble.split_first()
            && is_author_line(first, authors)
        {
            preamble = tail;
        }
        let abstract_text = preamble.join("\n").trim().to_string();

        // `## Notes`, then notes each after a note marker, to the end.
        let mut notes = Vec::new();
        let notes_start = (first_section..lines.len()).find(|&i| {
            lines[i].trim_end() == "## Notes"
                && lines[i + 1..]
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.starts_with(NOTE_MARKER))
        });
        if let Some(start) = notes_start {
            let mut cur: Option<Vec<&str>> = None;
            for line in &lines[start + 1..] {
                if line.starts_with(NOTE_MARKER) {
                    if let Some(done) = cur.take() {
                        notes.push(done.join("\n"));
                    }
                    cur = Some(Vec::new());
                } else if let Some(c) = cur.as_mut() {
                    c.push(line);
                }
            }
            if let Some(done) = cur {
                notes.push(done.join("\n"));
            }
        }
        notes.push(below.to_string());
        Body {
            heading,
            abstract_text,
            notes,
        }
    }
}

/// The `*A, B*` line Lectern writes under the title.
fn is_author_line(line: &str, authors: &[String]) -> bool {
    let line = line.trim();
    if !authors.is_empty() && line == format!("*{}*", authors.join(", ")) {
        return true;
    }
    line.len() > 2 && line.starts_with('*') && line.ends_with('*') && !line.starts_with("**")
}

/// A leading `# ` heading (after blank lines) and the text after it.
fn leading_heading(body: &str) -> (String, &str) {
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if line.trim().is_empty() {
            offset += line.len();
            continue;
        }
        return match line.strip_prefix("# ") {
            Some(h) => (fold(h), &body[offset + line.len()..]),
            None => (String::new(), &body[offset..]),
        };
    }
    (String::new(), "")
}

/// The year at the start of `2023`, `2023-03-29`, `2023/03`.
fn year_of(s: &str) -> Option<i32> {
    let s = s.trim();
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    s[..4].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LECTERN: &str = include_str!("../../tests/fixtures/formats/markdown-lectern.md");
    const OBSIDIAN: &str = include_str!("../../tests/fixtures/formats/markdown-obsidian.md");

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    fn one(text: &str) -> NewPaper {
        let mut parsed = parse(text, "n.md");
        assert_eq!(parsed.problems, vec![]);
        assert_eq!(parsed.papers.len(), 1);
        parsed.papers.remove(0)
    }

    #[test]
    fn sniffs_front_matter() {
        assert!(looks_like(LECTERN));
        assert!(looks_like(OBSIDIAN));
        assert!(looks_like("---\r\ntitle: x\r\n---\r\n"));
        assert!(!looks_like("# Just a heading\n\ntext\n"));
        assert!(!looks_like("---\ntitle: never closed\n"));
        let far = format!("---\n{}---\n", "a: 1\n".repeat(250));
        assert!(!looks_like(&far));
    }

    #[test]
    fn lectern_export_round_trip() {
        let parsed = parse(LECTERN, "wang.md");
        assert_eq!(parsed.problems, vec![]);
        let p = &parsed.papers[0];
        assert_eq!(p.source, "wang.md:1");
        assert_eq!(
            p.title,
            "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking"
        );
        assert_eq!(p.authors, ["Limin Wang", "Bingkun Huang", "Zhiyu Zhao"]);
        assert_eq!(p.year, Some(2023));
        assert_eq!(p.doi.as_deref(), Some("10.1109/CVPR52729.2023.01398"));
        assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
        assert_eq!(p.citekey.as_deref(), Some("wangVideoMAEV2Scaling2023"));
        assert_eq!(p.tags, ["video", "self-supervised"]);
        assert_eq!(
            p.links,
            [
                Link {
                    url: "https://github.com/OpenGVLab/VideoMAEv2".into(),
                    kind: LinkKind::Code
                },
                Link {
                    url: "https://videomaev2.github.io/".into(),
                    kind: LinkKind::Project
                },
                Link {
                    url: "https://arxiv.org/pdf/2303.16727".into(),
                    kind: LinkKind::Pdf
                },
            ]
        );
        assert!(p.abstract_text.starts_with("Scale is the primary factor"));
        assert_eq!(p.abstract_text.matches("\n\n").count(), 1);
        assert!(!p.abstract_text.contains('*'));
        let note = p.note.as_deref().unwrap_or("");
        assert!(note.starts_with("Scaling recipe: ViT-g with **dual masking**"));
        assert!(note.contains("- decoder masking ratio 50%\n\nCheck the data curation"));
        assert!(note.contains("## My reading notes"));
        assert!(!note.contains("lectern:"));
        assert!(!note.contains("dual masking strategy for efficient"));
        assert_eq!(
            p.extra,
            [
                pair("id", "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b"),
                pair("status", "reading"),
                pair("starred", "true"),
                pair("added", "2024-05-01T10:00:00Z"),
                pair("updated", "2024-05-03T08:30:00Z"),
                pair(
                    "wikilinks",
                    "tongVideoMAEMaskedAutoencoders2022 heMaskedAutoencodersAre2022 \
                     feichtenhoferMaskedAutoencodersSpatiotemporal2022 \
                     zhaiScalingVisionTransformers2022"
                ),
            ]
        );
    }

    #[test]
    fn obsidian_note() {
        let p = one(OBSIDIAN);
        assert_eq!(p.title, "Attention Is All You Need");
        assert_eq!(p.authors, ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]);
        assert_eq!(p.year, Some(2017));
        assert_eq!(p.doi.as_deref(), Some("10.48550/arXiv.1706.03762"));
        assert_eq!(p.arxiv.as_deref(), Some("1706.03762"));
        assert_eq!(p.citekey.as_deref(), Some("vaswaniAttentionAllYou2017"));
        assert_eq!(
            p.venue.as_deref(),
            Some("Advances in Neural Information Processing Systems")
        );
        assert_eq!(p.entry_type.as_deref(), Some("inproceedings"));
        assert_eq!(
            p.tags,
            [
                "paper",
                "nlp/transformers",
                "Machine-Learning",
                "literature-note"
            ]
        );
        assert_eq!(
            p.links,
            [Link {
                url: "https://arxiv.org/abs/1706.03762".into(),
                kind: LinkKind::classify("https://arxiv.org/abs/1706.03762")
            }]
        );
        let note = p.note.as_deref().unwrap_or("");
        assert!(note.starts_with("> [!abstract]"), "{note}");
        assert!(!note.contains("# Attention Is All You Need"));
        assert!(note.contains("[[not-a-link]]"));
        assert!(p.extra.contains(&pair("rating", "5")));
        assert!(p.extra.contains(&pair("created", "2024-02-11")));
        assert!(p.extra.contains(&pair("cssclasses", "wide")));
        assert!(!p.extra.iter().any(|(k, _)| k == "aliases"));
        assert_eq!(
            p.extra.last(),
            Some(&pair(
                "wikilinks",
                "bahdanauNeuralMachineTranslation2015 gehringConvolutionalSequenceSequence2017"
            ))
        );
    }

    #[test]
    fn bad_yaml_is_a_problem_at_its_file_line() {
        let parsed = parse(
            "---\ntitle: ok\nauthors: [a, b\nyear: 2020\n---\nbody\n",
            "bad.md",
        );
        assert!(parsed.papers.is_empty());
        assert_eq!(parsed.problems.len(), 1);
        let p = &parsed.problems[0];
        assert!(
            p.message.starts_with("invalid YAML front matter: "),
            "{}",
            p.message
        );
        assert!(!p.message.contains(" at line "), "{}", p.message);
        assert_eq!(p.location, "bad.md:4");

        let parsed = parse("---\ntitle: x\n  bad: indent\n---\n", "b.md");
        assert_eq!(parsed.problems[0].location, "b.md:3");

        let parsed = parse("---\ntitle: never closed\n", "c.md");
        assert_eq!(parsed.problems[0].location, "c.md:1");
        let parsed = parse("---\n- a\n- b\n---\n", "d.md");
        assert_eq!(parsed.problems[0].location, "d.md:2");
    }

    #[test]
    fn unquoted_numbers_keep_their_digits() {
        let p = one("---\narxiv: 2303.10670 # trailing comment\nversion: 1.10\nyear: 2023\n---\n");
        assert_eq!(p.arxiv.as_deref(), Some("2303.10670"));
        assert_eq!(p.extra, [pair("version", "1.10")]);
        assert_eq!(p.year, Some(2023));
    }

    #[test]
    fn author_and_tag_strings() {
        let p = one(
            "---\nauthor: Jane Doe and John Smith\ntags: \"#ml, deep learning, #ml\"\ndate: 2021-06-01\n---\n",
        );
        assert_eq!(p.authors, ["Jane Doe", "John Smith"]);
        assert_eq!(p.tags, ["ml", "deep-learning"]);
        assert_eq!(p.year, Some(2021));
        let p = one("---\nauthors: \"Doe, Jane; Smith, John\"\ntags: \"a #b\"\n---\n");
        assert_eq!(p.authors, ["Doe, Jane", "Smith, John"]);
        assert_eq!(p.tags, ["a", "b"]);
        let p = one(
            "---\nauthors:\n  - family: van der Maaten\n    given: Laurens\n  - literal: OpenAI\n---\n",
        );
        assert_eq!(p.authors, ["van der Maaten, Laurens", "OpenAI"]);
    }

    #[test]
    fn urls_set_doi_and_arxiv() {
        let p = one(
            "---\nurl: https://doi.org/10.1000/xyz\nlinks:\n  - https://arxiv.org/abs/2101.00001v3\n  - url: https://github.com/a/b\n    kind: project\n  - https://github.com/a/b\n---\n",
        );
        assert_eq!(p.doi.as_deref(), Some("10.1000/xyz"));
        assert_eq!(p.arxiv.as_deref(), Some("2101.00001"));
        assert_eq!(p.links.len(), 2);
        assert_eq!(p.links[1].kind, LinkKind::Project);
    }

    #[test]
    fn types_map_to_bibtex_or_stay_extra() {
        let p = one("---\ntype: paper-conference\n---\n");
        assert_eq!(p.entry_type.as_deref(), Some("inproceedings"));
        let p = one("---\ntype: literature-note\n---\n");
        assert_eq!(p.entry_type, None);
        assert_eq!(p.extra, [pair("type", "literature-note")]);
    }

    #[test]
    fn no_front_matter_uses_heading_and_body() {
        let p =
            one("\n# A Title\n\nSome thoughts on [[smith2020#Method|Smith]] and ![[fig.png]].\n");
        assert_eq!(p.title, "A Title");
        assert_eq!(
            p.note.as_deref(),
            Some("Some thoughts on [[smith2020#Method|Smith]] and ![[fig.png]].")
        );
        assert_eq!(p.extra, [pair("wikilinks", "smith2020")]);
    }

    #[test]
    fn wikilink_targets() {
        let mut out = Vec::new();
        find_wikilinks(
            "[[a]] [[b|B]] `[[code]]` [[dir/c.md]] [[Note Title]] [[a]] ![[img.png]] [[]] [[open",
            &mut out,
        );
        assert_eq!(out, ["a", "b", "c"]);
        let mut out = Vec::new();
        find_wikilinks("~~~\n[[x]]\n~~~\n[[y]]\n", &mut out);
        assert_eq!(out, ["y"]);
    }

    #[test]
    fn own_citekey_and_empty_front_matter() {
        let p = one("---\ncitekey: me2020\n---\nSee [[me2020]] and [[you2021]].\n");
        assert_eq!(p.extra, [pair("wikilinks", "you2021")]);
        let p = one("---\n---\n# T\n");
        assert_eq!(p.title, "T");
        assert_eq!(p.note, None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let _ = looks_like(&s);
            let _ = parse(&s, "p.md");
        }

        #[test]
        fn never_panics_on_front_matter(lines in proptest::collection::vec(
            prop_oneof![
                Just("---".to_string()), Just("title: x".to_string()),
                Just("authors:".to_string()), Just("  - [[a|b]]".to_string()),
                Just("tags: [a, \"#b\"]".to_string()), Just("links:".to_string()),
                Just("  - url: https://doi.org/10.1/x".to_string()), Just("    kind: pdf".to_string()),
                Just("<!-- lectern:end x -->".to_string()), Just("## Notes".to_string()),
                Just("<!-- lectern:note id=1 -->".to_string()), Just("# T".to_string()),
                Just("```".to_string()), Just("[[k]]".to_string()), "\\PC{0,12}",
            ],
            0..30,
        )) {
            let text = lines.join("\n");
            let parsed = parse(&text, "p.md");
            prop_assert!(parsed.papers.len() + parsed.problems.len() >= 1);
        }
    }
}
