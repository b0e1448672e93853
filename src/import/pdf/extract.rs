//! The raw text of one page: `pdf-extract` when the page is safe for it, else
//! `lopdf`'s simpler extraction. Safe means no cycle that would make
//! `pdf-extract` recurse until the stack overflows: a `/Parent` chain that
//! loops, or form XObjects that draw each other.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::layout::{Layout, Recorder};

/// The raw text of one page: `pdf-extract` when the page is safe for it,
/// else (or when it fails) `lopdf`'s own extraction; empty when both fail.
/// With `layout`, the characters `pdf-extract` draws are recorded there too
/// (left empty when it fails: `lopdf`'s extraction knows no positions).
pub(super) fn page_text(
    doc: &Document,
    number: u32,
    id: ObjectId,
    mut layout: Option<&mut Layout>,
) -> String {
    if safe_for_pdf_extract(doc, id) {
        let extracted = crate::panics::catch(|| {
            let mut text = String::new();
            let done = match layout.as_deref_mut() {
                Some(layout) => {
                    let mut output = Recorder {
                        text: pdf_extract::PlainTextOutput::new(&mut text),
                        layout,
                    };
                    pdf_extract::output_doc_page(doc, &mut output, number)
                }
                None => {
                    let mut output = pdf_extract::PlainTextOutput::new(&mut text);
                    pdf_extract::output_doc_page(doc, &mut output, number)
                }
            };
            done.map(|()| text)
        });
        if let Ok(Ok(text)) = extracted
            && text.chars().any(char::is_alphanumeric)
        {
            return text;
        }
    }
    if let Some(layout) = layout {
        *layout = Layout::default();
    }
    crate::panics::catch(|| doc.extract_text(&[number]))
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default()
}

/// How deep `pdf-extract` may nest form XObjects, and how many it may
/// visit on one page, before the page is left to the simpler extraction.
const MAX_FORM_DEPTH: usize = 12;
const MAX_FORM_VISITS: usize = 2000;

/// False when `pdf-extract` could recurse without end on this page: its
/// `/Parent` chain loops (pdf-extract follows it for inherited entries), or
/// its form XObjects nest in a cycle (pdf-extract runs each form's content
/// with no depth limit). A form without its own resources runs with those
/// of its caller, so it counts as containing every form its caller can
/// reach, itself included; such rare pages take the fallback too.
pub(super) fn safe_for_pdf_extract(doc: &Document, page: ObjectId) -> bool {
    let mut seen = HashSet::from([page]);
    let mut node = doc.get_dictionary(page).ok();
    let mut resources = None;
    while let Some(dict) = node {
        if resources.is_none() {
            resources = dict
                .get(b"Resources")
                .ok()
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok());
        }
        node = match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) if !seen.insert(parent) => return false,
            Ok(parent) => doc.get_dictionary(parent).ok(),
            Err(_) => None,
        };
    }
    let mut budget = MAX_FORM_VISITS;
    resources.is_none_or(|r| forms_acyclic(doc, r, &mut Vec::new(), &mut budget))
}

fn forms_acyclic(
    doc: &Document,
    resources: &Dictionary,
    stack: &mut Vec<Option<ObjectId>>,
    budget: &mut usize,
) -> bool {
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return true;
    };
    for (_, entry) in xobjects.iter() {
        let id = entry.as_reference().ok();
        let Some(stream) = doc
            .dereference(entry)
            .ok()
            .and_then(|(_, o)| o.as_stream().ok())
        else {
            continue;
        };
        if stream
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|s| s != b"Form")
        {
            continue;
        }
        *budget = budget.saturating_sub(1);
        if *budget == 0 || stack.len() >= MAX_FORM_DEPTH || id.is_some() && stack.contains(&id) {
            return false;
        }
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .unwrap_or(resources);
        stack.push(id);
        let ok = forms_acyclic(doc, inner, stack, budget);
        stack.pop();
        if !ok {
            return false;
        }
    }
    true
}
