//! Opening a PDF: the header and encryption checks ([`open`], and
//! [`open_document`] for the reader's text and annotations and the
//! annotated copy), then for the import the Info dictionary and the raw
//! text of every page (the layout of page 1 recorded on the way), as one
//! `Outcome`.

use lopdf::Document;

use super::extract::page_text;
use super::info::read_info;
use super::layout::Layout;
use super::{Outcome, is_pdf};
use crate::error::Error;
use crate::text::fold_whitespace as fold;

pub(super) fn load(bytes: &[u8]) -> Outcome {
    let doc = match open(bytes) {
        Ok(doc) => doc,
        Err(Unopened::Broken(reason)) => return Outcome::Broken(reason),
        Err(Unopened::Encrypted { pages }) => return Outcome::Encrypted { pages },
    };
    let page_ids = doc.get_pages();
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

/// Why a PDF could not be opened.
pub(super) enum Unopened {
    /// Not a PDF, truncated, no pages, …: a short reason.
    Broken(String),
    /// Encrypted with a password that the empty one does not open.
    Encrypted { pages: usize },
}

/// The document of a PDF with at least one page that opens without a
/// password (one encrypted only with an owner password is decrypted while
/// loading). May panic on odd files: callers run it under
/// `crate::panics::catch`.
pub(super) fn open(bytes: &[u8]) -> Result<Document, Unopened> {
    if !is_pdf(bytes) {
        return Err(Unopened::Broken("no %PDF- header".into()));
    }
    let doc = match Document::load_mem(bytes) {
        Ok(doc) => doc,
        Err(_) if has_encrypt_entry(bytes) => return Err(Unopened::Encrypted { pages: 0 }),
        Err(e) => return Err(Unopened::Broken(short_reason(&e.to_string()))),
    };
    let pages = doc.get_pages().len();
    if doc.trailer.has(b"Encrypt") || doc.is_encrypted() {
        return Err(Unopened::Encrypted { pages });
    }
    if pages == 0 {
        return Err(Unopened::Broken("no pages".into()));
    }
    Ok(doc)
}

/// [`open`] for the callers that want an [`Error`]: panics caught, each
/// failure one line (`unreadable PDF (<reason>)`, `encrypted PDF: …`).
pub(crate) fn open_document(bytes: &[u8]) -> Result<Document, Error> {
    match crate::panics::catch(|| open(bytes)) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(Unopened::Broken(reason))) => Err(Error::Pdf(format!("unreadable PDF ({reason})"))),
        Ok(Err(Unopened::Encrypted { .. })) => Err(Error::Pdf(ENCRYPTED_NEEDS_PASSWORD.into())),
        Err(_) => Err(Error::Pdf("unreadable PDF (the PDF parser crashed)".into())),
    }
}

/// The error for a PDF that only opens with a password.
const ENCRYPTED_NEEDS_PASSWORD: &str =
    "encrypted PDF: it opens only with a password, which Lectern does not ask for";

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
