//! Applies what a paper file says to the store, inside the caller's
//! transaction: metadata, status, star, notes and highlights. Relations are
//! applied in a second pass ([`apply_relations`]) once every file of a scan
//! has its paper, so a file may link to a paper that arrives with it.

use std::path::Path;

use rusqlite::Connection;

use crate::citekey::Allocator;
use crate::error::Result;
use crate::model::{Annotation, TextPosition, TextQuote};
use crate::store;
use crate::sync::file::{FileHighlight, PaperFile};

/// How much context a highlight keeps on each side of its quote.
const QUOTE_CONTEXT_CHARS: usize = 32;

/// Creates the paper a new file describes, with the file's id when it has a
/// usable one. The text of its PDFs under `root/attachments/` is read
/// again (it is not in the file), so a library rebuilt from its folder
/// finds it. What cannot be applied (an alias another paper uses, a PDF
/// link that leads out of the library) is added to `problems` as
/// `file:line: message`. Returns the id.
pub fn create(
    conn: &Connection,
    root: &Path,
    f: &PaperFile,
    now: &str,
    source: &str,
    problems: &mut Vec<String>,
) -> Result<String> {
    let id = match &f.id {
        Some(id) if !store::papers::exists(conn, id)? => id.clone(),
        _ => store::new_id(),
    };
    let mut alloc = Allocator::new(store::papers::citekeys(conn)?);
    let citekey = match f.paper.citekey.as_deref() {
        Some(key) if alloc.try_take(key) => key.to_string(),
        _ => alloc.allocate(&f.paper.authors, &f.paper.title, f.paper.year),
    };
    let mut p = f.paper.clone();
    p.note = None;
    store::papers::insert(conn, &id, &citekey, &p, now)?;
    if let Some(added) = &f.added {
        store::papers::set_added(conn, &id, added)?;
    }
    store::papers::set_status(conn, &id, f.status)?;
    store::papers::set_starred(conn, &id, f.starred)?;
    apply_notes(conn, &id, f, now)?;
    apply_highlights(conn, &id, &p.abstract_text, &f.highlights, now)?;
    apply_aliases(conn, &id, f, source, problems)?;
    let text = attachment_text(root, &p.links, source, problems);
    if !text.is_empty() {
        store::papers::set_fulltext(conn, &id, &text)?;
    }
    store::pending::mark(conn, &id)?;
    Ok(id)
}

/// Gives paper `id` the aliases its file lists, reporting those another
/// paper already uses.
fn apply_aliases(
    conn: &Connection,
    id: &str,
    f: &PaperFile,
    source: &str,
    problems: &mut Vec<String>,
) -> Result<()> {
    for key in store::aliases::set_for_paper(conn, id, &f.aliases)? {
        problems.push(format!(
            "{source}:1: alias `{key}` is another paper's key; left out"
        ));
    }
    Ok(())
}

/// The extracted text of a paper's PDFs inside the library's attachments
/// folder (empty when there are none or they hold no text). A link that
/// leads outside the library, through `..` or a symbolic link, is not read
/// and is reported.
fn attachment_text(
    root: &Path,
    links: &[crate::model::Link],
    source: &str,
    problems: &mut Vec<String>,
) -> String {
    let prefix = format!("{}/", super::ATTACHMENTS_DIR);
    let mut text = String::new();
    for l in links {
        if l.kind != crate::model::LinkKind::Pdf || !l.url.starts_with(&prefix) {
            continue;
        }
        if std::fs::symlink_metadata(root.join(&l.url)).is_err() {
            continue; // not there (yet): nothing to read
        }
        let path = match crate::paths::resolve_inside(root, &l.url) {
            Ok(path) => path,
            Err(message) => {
                problems.push(format!("{source}:1: {message}"));
                continue;
            }
        };
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let read = crate::import::pdf::read_pdf(&bytes, &l.url, "");
        if !read.full_text.trim().is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&read.full_text);
        }
    }
    text
}

/// Updates paper `id` to what its file says.
pub fn update(
    conn: &Connection,
    id: &str,
    f: &PaperFile,
    now: &str,
    source: &str,
    problems: &mut Vec<String>,
) -> Result<()> {
    store::papers::replace_metadata(conn, id, &f.paper)?;
    if let Some(key) = f.paper.citekey.as_deref() {
        let row = store::papers::row(conn, id)?;
        if row.citekey != key {
            let mut alloc = Allocator::new(store::papers::citekeys(conn)?);
            if alloc.try_take(key) {
                store::papers::set_citekey(conn, id, key)?;
            }
        }
    }
    store::papers::set_status(conn, id, f.status)?;
    store::papers::set_starred(conn, id, f.starred)?;
    apply_notes(conn, id, f, now)?;
    apply_highlights(conn, id, &f.paper.abstract_text, &f.highlights, now)?;
    apply_aliases(conn, id, f, source, problems)?;
    store::papers::touch(conn, id, now)?;
    store::pending::mark(conn, id)
}

fn apply_notes(conn: &Connection, paper_id: &str, f: &PaperFile, now: &str) -> Result<()> {
    let stored = store::notes::for_paper(conn, paper_id)?;
    let mut kept = Vec::new();
    for n in &f.notes {
        match n
            .id
            .as_deref()
            .and_then(|id| stored.iter().find(|s| s.id == id))
        {
            Some(s) => {
                if crate::text::trim_blank_lines(&s.body) != n.body {
                    store::notes::update(conn, &s.id, &n.body, now)?;
                }
                kept.push(s.id.clone());
            }
            None => {
                let id = match &n.id {
                    Some(id) if !store::notes::exists(conn, id)? => id.clone(),
                    _ => store::new_id(),
                };
                store::notes::insert(conn, &id, paper_id, &n.body, now)?;
                kept.push(id);
            }
        }
    }
    for s in stored {
        if !kept.contains(&s.id) {
            store::notes::delete(conn, &s.id)?;
        }
    }
    Ok(())
}

/// Anchors a highlight in `text`: its recorded range when the quote is
/// still there, else the first occurrence of the quote, else the recorded
/// range as it was (the quote is kept either way).
fn anchor(text: &str, h: &FileHighlight) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let exact: Vec<char> = h.exact.chars().collect();
    if h.end <= chars.len() && h.start < h.end && chars[h.start..h.end] == exact[..] {
        return (h.start, h.end);
    }
    if let Some(byte) = text.find(&h.exact) {
        let start = text[..byte].chars().count();
        return (start, start + exact.len());
    }
    (h.start, h.end)
}

fn apply_highlights(
    conn: &Connection,
    paper_id: &str,
    text: &str,
    highlights: &[FileHighlight],
    now: &str,
) -> Result<()> {
    let stored = store::annotations::for_paper(conn, paper_id)?;
    let len = text.chars().count();
    let b = |c: usize| crate::text::char_to_byte(text, c.min(len));
    let mut kept = Vec::new();
    for h in highlights {
        let existing =
            h.id.as_deref()
                .and_then(|id| stored.iter().find(|s| s.id == id));
        let (quote, position) = if h.page.is_some() {
            // A PDF highlight keeps what the file says: its page's text is
            // the PDF's, which a sync does not read. The context around
            // the quote stays as stored while the quote is unchanged.
            let context = existing
                .filter(|s| s.quote.exact == h.exact)
                .map(|s| (s.quote.prefix.clone(), s.quote.suffix.clone()))
                .unwrap_or_default();
            (
                TextQuote {
                    exact: h.exact.clone(),
                    prefix: context.0,
                    suffix: context.1,
                },
                TextPosition {
                    start: h.start,
                    end: h.end.max(h.start),
                },
            )
        } else {
            let (start, end) = anchor(text, h);
            (
                TextQuote {
                    exact: h.exact.clone(),
                    prefix: text[b(start.saturating_sub(QUOTE_CONTEXT_CHARS))..b(start)]
                        .to_string(),
                    suffix: text[b(end)..b(end + QUOTE_CONTEXT_CHARS)].to_string(),
                },
                TextPosition { start, end },
            )
        };
        let target = |a: Annotation| Annotation {
            kind: h.kind,
            page: h.page,
            file: h.file.clone(),
            file_hash: h.file_hash.clone(),
            rects: h.rects.clone(),
            placed: h.placed,
            ..a
        };
        match existing {
            Some(s) => {
                let next = target(Annotation {
                    quote,
                    position,
                    color: h.color.clone(),
                    comment: h.comment.clone(),
                    updated: now.to_string(),
                    ..s.clone()
                });
                let same = Annotation {
                    updated: s.updated.clone(),
                    quote: TextQuote {
                        prefix: s.quote.prefix.clone(),
                        suffix: s.quote.suffix.clone(),
                        ..next.quote.clone()
                    },
                    ..next.clone()
                } == *s;
                if !same {
                    store::annotations::replace(conn, &next)?;
                }
                kept.push(s.id.clone());
            }
            None => {
                let id = match &h.id {
                    Some(id) if !store::annotations::exists(conn, id)? => id.clone(),
                    _ => store::new_id(),
                };
                store::annotations::insert(
                    conn,
                    &target(Annotation::on_abstract(
                        id.clone(),
                        paper_id.to_string(),
                        quote,
                        position,
                        h.color.clone(),
                        h.comment.clone(),
                        now,
                    )),
                )?;
                kept.push(id);
            }
        }
    }
    for s in stored {
        if !kept.contains(&s.id) {
            store::annotations::delete(conn, &s.id)?;
        }
    }
    Ok(())
}

/// Makes paper `id`'s outgoing relations exactly `relations` (`(kind,
/// citekey or id)`). Links to papers the library does not have are left
/// out and returned, so the caller can report them. Papers that gained or
/// lost an incoming relation are touched: their files show it.
pub fn apply_relations(
    conn: &Connection,
    id: &str,
    relations: &[(String, String)],
    now: &str,
) -> Result<Vec<String>> {
    let mut missing = Vec::new();
    let mut wanted: Vec<(String, String)> = Vec::new();
    for (kind, key) in relations {
        match store::papers::resolve(conn, key) {
            Ok(dst) if dst != id => {
                if !wanted.contains(&(kind.clone(), dst.clone())) {
                    wanted.push((kind.clone(), dst));
                }
            }
            Ok(_) => {}
            Err(_) => missing.push(key.clone()),
        }
    }
    let current = store::relations::outgoing(conn, id)?;
    let mut changed = false;
    for (kind, dst) in &current {
        if !wanted.contains(&(kind.clone(), dst.clone())) {
            store::relations::delete_one(conn, id, dst, kind)?;
            store::papers::touch(conn, dst, now)?;
            changed = true;
        }
    }
    for (kind, dst) in &wanted {
        if !current.contains(&(kind.clone(), dst.clone())) {
            store::relations::insert(conn, id, dst, kind, now)?;
            store::papers::touch(conn, dst, now)?;
            changed = true;
        }
    }
    if changed {
        store::papers::touch(conn, id, now)?;
    }
    Ok(missing)
}
