//! Opening a PDF: the header and encryption checks, then the Info dictionary
//! and the raw text of every page (the layout of page 1 recorded on the way),
//! as one `Outcome`.

use lopdf::Document;

use super::extract::page_text;
use super::info::read_info;
use super::layout::Layout;
use super::{Outcome, is_pdf};
use crate::text::fold_whitespace as fold;

pub(super) fn load(bytes: &[u8]) -> Outcome {
    if !is_pdf(bytes) {
        return Outcome::Broken("no %PDF- header".into());
    }
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if has_encrypt_entry(bytes) => return Outcome::Encrypted { pages: 0 },
        Err(e) => return Outcome::Broken(short_reason(&e.to_string())),
    };
    let page_ids = doc.get_pages();
    if doc.trailer.has(b"Encrypt") || doc.is_encrypted() {
        return Outcome::Encrypted {
            pages: page_ids.len(),
        };
    }
    if page_ids.is_empty() {
        return Outcome::Broken("no pages".into());
    }
    let info = read_info(&doc);
    let mut layout = Layout::default();
    let mut pages = Vec::with_capacity(page_ids.len());
    for (i, (&number, &id)) in page_ids.iter().enumerate() {
        let wanted = (i == 0).then_some(&mut layout);
        pages.push(page_text(&doc, number, id, wanted));
    }
    Outcome::Loaded {
        info,
        pages,
        layout,
    }
}

/// Whether the raw bytes carry an `/Encrypt` key (used when lopdf could not
/// load the file, e.g. because the encryption dictionary is unusable).
fn has_encrypt_entry(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(at) = find(rest, b"/Encrypt") {
        let after = rest.get(at + 8).copied();
        // `/EncryptMetadata` is a key inside the encryption dictionary; any
        // delimiter after the name means the trailer key itself.
        if after.is_none_or(|b| !b.is_ascii_alphanumeric()) {
            return true;
        }
        rest = &rest[at + 8..];
    }
    false
}

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The first line of an error message, short enough for a warning.
fn short_reason(message: &str) -> String {
    let line = fold(message.lines().next().unwrap_or(""));
    let line = line.trim_end_matches('.');
    let mut reason: String = line.chars().take(80).collect();
    if reason.len() < line.len() {
        reason.push('…');
    }
    if reason.is_empty() {
        "unknown error".into()
    } else {
        reason
    }
}
