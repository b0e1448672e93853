//! Writing the library folder's paper file, `papers/<citekey>.md`: the
//! one format both the folder's write-out and the Markdown export use.
//! Its shape is described in `crate::sync::file` (which reads it back) and
//! in `docs/library-folder.md`.

use std::fmt::Write as _;

use crate::model::{AnnotationKind, Direction, Paper, rects_to_string};
use crate::text::trim_blank_lines;

/// The line before each highlight.
pub const HIGHLIGHT_MARKER: &str = "<!-- lectern:highlight ";
/// The line before each note.
pub const NOTE_MARKER: &str = "<!-- lectern:note ";

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        let _ = writeln!(out, "{key}: []");
    } else {
        let _ = writeln!(out, "{key}:");
        for i in items {
            let _ = writeln!(out, "  - {}", q(i));
        }
    }
}

/// The file of a paper, exactly as Lectern writes it.
pub fn render(p: &Paper) -> String {
    let mut out = String::with_capacity(p.abstract_text.len() + 1024);
    write_front_matter(&mut out, p);
    write_heading(&mut out, p);
    write_links_section(&mut out, p);
    write_highlights_section(&mut out, p);
    write_related_section(&mut out, p);
    write_notes_section(&mut out, p);
    out
}

/// The YAML block between the two `---` lines, and the blank line after it.
fn write_front_matter(out: &mut String, p: &Paper) {
    out.push_str("---\n");
    write_identity_fields(out, p);
    write_bibliographic_fields(out, p);
    write_link_fields(out, p);
    list(out, "tags", &p.tags);
    let _ = writeln!(out, "status: {}", p.status);
    let _ = writeln!(out, "starred: {}", p.starred);
    write_relation_fields(out, p);
    write_extra_fields(out, p);
    let _ = writeln!(out, "added: {}", q(&p.added));
    out.push_str("---\n\n");
}

/// `id`, `citekey` and, when there are any, `aliases`.
fn write_identity_fields(out: &mut String, p: &Paper) {
    let _ = writeln!(out, "id: {}", q(&p.id));
    let _ = writeln!(out, "citekey: {}", q(&p.citekey));
    if !p.aliases.is_empty() {
        list(out, "aliases", &p.aliases);
    }
}

/// `title`, `authors` and the optional `year`, `venue`, `type`, `doi`, `arxiv`.
fn write_bibliographic_fields(out: &mut String, p: &Paper) {
    let _ = writeln!(out, "title: {}", q(&p.title));
    list(out, "authors", &p.authors);
    if let Some(y) = p.year {
        let _ = writeln!(out, "year: {y}");
    }
    if let Some(v) = &p.venue {
        let _ = writeln!(out, "venue: {}", q(v));
    }
    if let Some(t) = &p.entry_type {
        let _ = writeln!(out, "type: {}", q(t));
    }
    if let Some(d) = &p.doi {
        let _ = writeln!(out, "doi: {}", q(d));
    }
    if let Some(a) = &p.arxiv {
        let _ = writeln!(out, "arxiv: {}", q(a));
    }
}

/// `url` (the first link, when there is one) and the full `links` list.
fn write_link_fields(out: &mut String, p: &Paper) {
    if let Some(first) = p.links.first() {
        let _ = writeln!(out, "url: {}", q(&first.url));
    }
    if p.links.is_empty() {
        out.push_str("links: []\n");
    } else {
        out.push_str("links:\n");
        for l in &p.links {
            let _ = writeln!(out, "  - url: {}\n    kind: {}", q(&l.url), l.kind);
        }
    }
}

/// The outgoing relations as `[[citekey]]` links: the `related` ones
/// (deduplicated) and the other kinds grouped by kind in first-seen order.
fn outgoing_relation_links(p: &Paper) -> (Vec<String>, Vec<(&str, Vec<String>)>) {
    let mut related: Vec<String> = Vec::new();
    let mut typed: Vec<(&str, Vec<String>)> = Vec::new();
    for r in p
        .relations
        .iter()
        .filter(|r| r.direction == Direction::Outgoing)
    {
        let link = format!("[[{}]]", r.other_citekey);
        if r.kind == "related" {
            if !related.contains(&link) {
                related.push(link);
            }
        } else {
            match typed.iter_mut().find(|(k, _)| *k == r.kind) {
                Some((_, links)) => links.push(link),
                None => typed.push((&r.kind, vec![link])),
            }
        }
    }
    (related, typed)
}

/// `related` and, when there are other kinds, `relations`.
fn write_relation_fields(out: &mut String, p: &Paper) {
    // Outgoing relations only: an incoming one is its source's to write.
    let (related, typed) = outgoing_relation_links(p);
    list(out, "related", &related);
    if !typed.is_empty() {
        out.push_str("relations:\n");
        for (kind, links) in &typed {
            let _ = writeln!(out, "  {kind}:");
            for l in links {
                let _ = writeln!(out, "    - {}", q(l));
            }
        }
    }
}

/// `fields`: the extra name/value pairs, when there are any.
fn write_extra_fields(out: &mut String, p: &Paper) {
    if !p.extra.is_empty() {
        out.push_str("fields:\n");
        for (name, value) in &p.extra {
            let _ = writeln!(out, "  - [{}, {}]", q(name), q(value));
        }
    }
}

/// The title line, the author line and the abstract.
fn write_heading(out: &mut String, p: &Paper) {
    let _ = writeln!(out, "# {}\n", p.title.replace('\n', " "));
    if !p.authors.is_empty() {
        let _ = writeln!(out, "{}\n", author_line(&p.authors));
    }
    if !p.abstract_text.trim().is_empty() {
        let _ = writeln!(out, "{}\n", p.abstract_text.trim());
    }
}

/// `## Links`, when the paper has links.
fn write_links_section(out: &mut String, p: &Paper) {
    if !p.links.is_empty() {
        out.push_str("## Links\n\n");
        for l in &p.links {
            let _ = writeln!(out, "- {}: <{}>", l.kind, l.url);
        }
        out.push('\n');
    }
}

/// `## Highlights`: each behind its marker line, quoted, then its comment.
/// A PDF highlight's marker also holds its page, target and rectangles,
/// and its quote ends with a `> — p. N` line.
fn write_highlights_section(out: &mut String, p: &Paper) {
    if !p.annotations.is_empty() {
        out.push_str("## Highlights\n\n");
        for a in &p.annotations {
            let _ = write!(out, "{HIGHLIGHT_MARKER}id={} color={}", a.id, a.color);
            if let Some(page) = a.page {
                let _ = write!(out, " page={page}");
            }
            let _ = write!(out, " start={} end={}", a.position.start, a.position.end);
            if a.kind != AnnotationKind::Text {
                let _ = write!(out, " kind={}", a.kind.as_str());
            }
            if !a.rects.is_empty() {
                let _ = write!(out, " rects={}", rects_to_string(&a.rects));
            }
            if let Some(file) = &a.file {
                let _ = write!(out, " file={}", escape_attr(file));
            }
            if let Some(hash) = &a.file_hash {
                let _ = write!(out, " hash={}", escape_attr(hash));
            }
            if !a.placed {
                out.push_str(" placed=no");
            }
            out.push_str(" -->\n");
            for line in a.quote.exact.lines() {
                let _ = writeln!(out, "> {line}");
            }
            if let Some(page) = a.page {
                let _ = writeln!(out, "> {PAGE_LINE}{page}");
            }
            out.push('\n');
            if let Some(c) = a
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                let _ = writeln!(out, "{c}\n");
            }
        }
    }
}

/// How a PDF highlight's quote names its page, after the quote:
/// `> — p. 4`.
pub const PAGE_LINE: &str = "— p. ";

/// A marker attribute's value with `%`, `>`, whitespace and control
/// characters percent-encoded, so a file name with spaces stays one
/// attribute and cannot end the comment. `sync::file` decodes it.
pub fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c == '%' || c == '>' || c.is_whitespace() || c.is_control() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `## Related`: both directions, for reading (the front matter is what
/// is read back).
fn write_related_section(out: &mut String, p: &Paper) {
    if !p.relations.is_empty() {
        out.push_str("## Related\n\n");
        for r in &p.relations {
            let arrow = match r.direction {
                Direction::Outgoing => r.kind.clone(),
                Direction::Incoming => format!("{} (from)", r.kind),
            };
            let _ = writeln!(
                out,
                "- {arrow}: [[{}|{}]]",
                r.other_citekey,
                crate::text::fold_whitespace(&r.other_title.replace(['[', ']', '|'], " "))
            );
        }
        out.push('\n');
    }
}

/// `## Notes`: each note behind its marker line.
fn write_notes_section(out: &mut String, p: &Paper) {
    out.push_str("## Notes\n");
    for n in &p.notes {
        let _ = writeln!(out, "\n{NOTE_MARKER}id={} -->", n.id);
        let body = trim_blank_lines(&n.body);
        if !body.is_empty() {
            let _ = writeln!(out, "{body}");
        }
    }
}

/// A minimal file for a new paper (tests and examples).
#[cfg(test)]
pub fn render_new(id: &str, citekey: &str, title: &str, abstract_text: &str) -> String {
    render(&Paper::bare(id, citekey, title, abstract_text))
}

/// The line under the title that names the authors.
pub(crate) fn author_line(authors: &[String]) -> String {
    format!("*{}*", authors.join(", "))
}
