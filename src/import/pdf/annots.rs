//! Reading the annotations other readers (Zotero, Acrobat, Okular, Preview,
//! pdf.js) stored in a PDF: highlights, underlines, strike-outs, squiggly
//! underlines, sticky notes and squares, with their colour, comment, author,
//! id and the text under them.
//!
//! - **Where**: the page is the one whose `/Annots` lists the annotation
//!   (not its `/P`, which writers leave out or get wrong).
//! - **Rectangles**: from `/QuadPoints`, eight numbers per quadrilateral.
//!   Writers disagree on the order of the four corners (Acrobat and most
//!   others: top-left, top-right, bottom-left, bottom-right; the
//!   specification's text: counterclockwise), so each quadrilateral is
//!   taken as the bounding box of its four points, which is the same either
//!   way. Without usable `/QuadPoints` (and for notes and squares) the
//!   `/Rect`.
//! - **Colour**: `/C` as RGB in 0..=1; one component is gray, four are
//!   CMYK (converted naively); none (transparent) or anything else is
//!   `None`.
//! - **Text strings** (`/Contents`, `/T`, `/NM`): UTF-16BE with its BOM,
//!   UTF-8 with its BOM (PDF 2.0), else PDFDocEncoding; a UTF-16 language
//!   escape is dropped, line ends become `\n`.
//! - **Replies**: an annotation that is `/IRT` (in reply to) another one
//!   read here is not returned on its own: its comment is appended to the
//!   comment of the annotation the thread starts at, after a blank line and
//!   `Author: ` when it names one. One with `/RT /Group` only groups with
//!   its parent and is dropped.
//! - **Quote**: for text markup, the page's text under the rectangles
//!   ([`PageText::quote_under`]), whitespace folded; empty for notes and
//!   squares, and where the page has no text layer.
//!
//! Popups, links, form widgets and every other subtype are skipped. Nothing
//! in a malformed dictionary makes it panic: a missing key or a value of the
//! wrong type counts as absent, references are followed with lopdf's depth
//! limit, and counts are capped ([`MAX_PER_PAGE`], [`MAX_QUADS`],
//! [`MAX_TOTAL`]). Each page is read under [`crate::panics::catch`] as well.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::load::open_document;
use super::pages::{PageText, Rect, give_media_boxes, number, page_text};
use crate::error::Result;

/// The most annotations read from one page, quadrilaterals from one
/// annotation, and annotations from one document.
const MAX_PER_PAGE: usize = 10_000;
const MAX_QUADS: usize = 10_000;
const MAX_TOTAL: usize = 100_000;
/// How far a chain of replies is followed to the annotation it starts at.
const MAX_THREAD: usize = 64;

/// The kinds of annotation read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnnotKind {
    Highlight,
    Underline,
    StrikeOut,
    Squiggly,
    /// A sticky note (`/Text`).
    Note,
    Square,
}

impl AnnotKind {
    fn from_subtype(name: &[u8]) -> Option<AnnotKind> {
        Some(match name {
            b"Highlight" => AnnotKind::Highlight,
            b"Underline" => AnnotKind::Underline,
            b"StrikeOut" => AnnotKind::StrikeOut,
            b"Squiggly" => AnnotKind::Squiggly,
            b"Text" => AnnotKind::Note,
            b"Square" => AnnotKind::Square,
            _ => return None,
        })
    }

    /// Marks text (and so has a quote).
    pub(crate) fn is_text_markup(self) -> bool {
        !matches!(self, AnnotKind::Note | AnnotKind::Square)
    }
}

/// One annotation as stored in the PDF.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PdfAnnotation {
    /// 1-based.
    pub(crate) page: u32,
    pub(crate) kind: AnnotKind,
    /// In PDF user space: one per quadrilateral, or the `/Rect`.
    pub(crate) rects: Vec<Rect>,
    /// RGB, each in 0..=1.
    pub(crate) color: Option<[f32; 3]>,
    /// `/Contents` with the replies' comments appended.
    pub(crate) comment: Option<String>,
    /// `/T`.
    pub(crate) author: Option<String>,
    /// `/NM`.
    pub(crate) id: Option<String>,
    /// The text under the rectangles, whitespace folded; empty for notes
    /// and squares.
    pub(crate) quote: String,
}

/// The highlights, underlines, strike-outs, squiggles, notes and squares of
/// a PDF, page by page in the order each page lists them.
pub(crate) fn read_annotations(bytes: &[u8]) -> Result<Vec<PdfAnnotation>> {
    let mut doc = open_document(bytes)?;
    give_media_boxes(&mut doc);
    Ok(annotations_of(&doc))
}

/// An annotation read from a page, before replies are joined.
struct Found {
    object: Option<ObjectId>,
    annotation: PdfAnnotation,
    in_reply_to: Option<ObjectId>,
    grouped: bool,
}

fn annotations_of(doc: &Document) -> Vec<PdfAnnotation> {
    let mut found: Vec<Found> = Vec::new();
    for (number, id) in doc.get_pages() {
        if found.len() >= MAX_TOTAL {
            break;
        }
        if let Ok(mut on_page) = crate::panics::catch(|| page_annotations(doc, number, id)) {
            on_page.truncate(MAX_TOTAL - found.len());
            found.extend(on_page);
        }
    }
    join_replies(found)
}

/// The annotations `/Annots` of one page lists, quotes included.
fn page_annotations(doc: &Document, number: u32, page: ObjectId) -> Vec<Found> {
    let Some(list) = doc
        .get_dictionary(page)
        .ok()
        .and_then(|page| array(doc, page, b"Annots"))
    else {
        return Vec::new();
    };
    let mut out: Vec<Found> = list
        .iter()
        .take(MAX_PER_PAGE)
        .filter_map(|entry| {
            let (object, value) = doc.dereference(entry).ok()?;
            read_one(doc, number, object, value.as_dict().ok()?)
        })
        .collect();
    if out.iter().any(|f| f.annotation.kind.is_text_markup()) {
        let text: PageText = page_text(doc, number, page);
        for f in &mut out {
            if f.annotation.kind.is_text_markup() {
                f.annotation.quote = text.quote_under(&f.annotation.rects);
            }
        }
    }
    out
}

fn read_one(
    doc: &Document,
    page: u32,
    object: Option<ObjectId>,
    dict: &Dictionary,
) -> Option<Found> {
    let subtype = dict
        .get(b"Subtype")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_name().ok())?;
    let kind = AnnotKind::from_subtype(subtype)?;
    let mut rects = if kind.is_text_markup() {
        quad_rects(doc, dict)
    } else {
        Vec::new()
    };
    if rects.is_empty() {
        rects.extend(rect(doc, dict));
    }
    if rects.is_empty() {
        return None;
    }
    let in_reply_to = dict.get(b"IRT").and_then(Object::as_reference).ok();
    let grouped = dict
        .get(b"RT")
        .and_then(Object::as_name)
        .is_ok_and(|n| n == b"Group");
    Some(Found {
        object,
        in_reply_to,
        grouped,
        annotation: PdfAnnotation {
            page,
            kind,
            rects,
            color: color(doc, dict),
            comment: text(doc, dict, b"Contents")
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty()),
            author: text(doc, dict, b"T")
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            id: text(doc, dict, b"NM").filter(|t| !t.trim().is_empty()),
            quote: String::new(),
        },
    })
}

/// Replies folded into the comment of the annotation their thread starts
/// at; a reply whose thread starts at nothing read here stays on its own.
fn join_replies(found: Vec<Found>) -> Vec<PdfAnnotation> {
    let index: HashMap<ObjectId, usize> = found
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.object.map(|id| (id, i)))
        .collect();
    let root = |mut i: usize| {
        for _ in 0..MAX_THREAD {
            match found[i].in_reply_to.and_then(|p| index.get(&p)) {
                Some(&parent) if parent != i => i = parent,
                _ => return Some(i),
            }
        }
        None
    };
    let roots: Vec<Option<usize>> = (0..found.len()).map(root).collect();
    let mut replies: Vec<(usize, usize)> = Vec::new();
    let mut keep = vec![true; found.len()];
    for (i, f) in found.iter().enumerate() {
        let Some(&parent) = f.in_reply_to.and_then(|p| index.get(&p)) else {
            continue;
        };
        // A reply to itself, or in a loop of replies, stays on its own.
        let Some(root) = roots[i].filter(|_| parent != i) else {
            continue;
        };
        keep[i] = false;
        if !f.grouped {
            replies.push((root, i));
        }
    }
    let mut out: Vec<Option<PdfAnnotation>> =
        found.into_iter().map(|f| Some(f.annotation)).collect();
    for (root, reply) in replies {
        let Some(reply) = out[reply].clone() else {
            continue;
        };
        let Some(said) = reply.comment else { continue };
        let said = match reply.author {
            Some(author) => format!("{author}: {said}"),
            None => said,
        };
        if let Some(Some(target)) = out.get_mut(root) {
            target.comment = Some(match target.comment.take() {
                Some(c) => format!("{c}\n\n{said}"),
                None => said,
            });
        }
    }
    out.into_iter()
        .zip(keep)
        .filter_map(|(a, keep)| a.filter(|_| keep))
        .collect()
}

/// An array value (through references).
fn array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    let (_, value) = doc.dereference(dict.get(key).ok()?).ok()?;
    value.as_array().ok()
}

/// The finite numbers of an array, `None` when one is not a number.
fn numbers(doc: &Document, values: &[Object]) -> Option<Vec<f64>> {
    values.iter().map(|o| number(doc, o)).collect()
}

/// One rectangle per quadrilateral of `/QuadPoints`: the bounding box of
/// its four corners, whatever order they come in.
fn quad_rects(doc: &Document, dict: &Dictionary) -> Vec<Rect> {
    let Some(values) = array(doc, dict, b"QuadPoints") else {
        return Vec::new();
    };
    let values = &values[..values.len().min(MAX_QUADS * 8)];
    let Some(values) = numbers(doc, values) else {
        return Vec::new();
    };
    values
        .chunks_exact(8)
        .filter_map(|q| Rect::around(q.chunks_exact(2).map(|p| (p[0], p[1]))))
        .collect()
}

/// `/Rect`, normalized.
fn rect(doc: &Document, dict: &Dictionary) -> Option<Rect> {
    let values = array(doc, dict, b"Rect").filter(|a| a.len() == 4)?;
    let v = numbers(doc, values)?;
    Some(Rect::new(v[0], v[1], v[2], v[3]))
}

/// `/C` as RGB: gray and CMYK converted, components clamped to 0..=1.
fn color(doc: &Document, dict: &Dictionary) -> Option<[f32; 3]> {
    let values = array(doc, dict, b"C").filter(|a| a.len() <= 4)?;
    let v: Vec<f32> = numbers(doc, values)?
        .into_iter()
        .map(|c| c.clamp(0.0, 1.0) as f32)
        .collect();
    match v[..] {
        [g] => Some([g, g, g]),
        [r, g, b] => Some([r, g, b]),
        [c, m, y, k] => Some([
            (1.0 - c) * (1.0 - k),
            (1.0 - m) * (1.0 - k),
            (1.0 - y) * (1.0 - k),
        ]),
        _ => None,
    }
}

/// A text string value (through references), decoded.
fn text(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    let (_, value) = doc.dereference(dict.get(key).ok()?).ok()?;
    Some(decode_text_string(value.as_str().ok()?))
}

/// A PDF text string: UTF-16BE or UTF-8 after their byte order marks, else
/// PDFDocEncoding. Undecodable parts become U+FFFD; line ends become `\n`.
pub(crate) fn decode_text_string(bytes: &[u8]) -> String {
    let decoded = if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        drop_language_escapes(&String::from_utf16_lossy(&units))
    } else if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        bytes.iter().map(|&b| pdf_doc_char(b)).collect()
    };
    decoded.replace("\r\n", "\n").replace('\r', "\n")
}

/// One byte of PDFDocEncoding: Latin-1 except for diacritics at
/// 0x18..=0x1F and punctuation, ligatures and letters at 0x80..=0xA0
/// (undefined codes are read as Latin-1).
fn pdf_doc_char(b: u8) -> char {
    const LOW: [char; 8] = ['˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'];
    const HIGH: [char; 33] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚',
        '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{9f}', '€',
    ];
    match b {
        0x18..=0x1F => LOW[usize::from(b - 0x18)],
        0x80..=0xA0 => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// UTF-16 text strings may mark their language as `ESC lang ESC`.
fn drop_language_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut inside = false;
    for c in s.chars() {
        if c == '\u{1b}' {
            inside = !inside;
        } else if !inside {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use lopdf::{Dictionary, Object, StringFormat};

    use super::super::testpdf::{facts, fixture};
    use super::*;

    fn kind_name(kind: AnnotKind) -> &'static str {
        match kind {
            AnnotKind::Highlight => "highlight",
            AnnotKind::Underline => "underline",
            AnnotKind::StrikeOut => "strike_out",
            AnnotKind::Squiggly => "squiggly",
            AnnotKind::Note => "note",
            AnnotKind::Square => "square",
        }
    }

    #[test]
    fn annotations_pypdf_wrote_come_back_with_their_quotes() {
        let read = read_annotations(&fixture("annotated.pdf")).expect("reads");
        let facts = facts();
        let expected = facts["annotations"].as_array().expect("annotations");
        assert_eq!(read.len(), expected.len(), "{read:#?}");
        for (got, want) in read.iter().zip(expected) {
            let id = want["id"].as_str().expect("id");
            assert_eq!(got.id.as_deref(), Some(id));
            assert_eq!(kind_name(got.kind), want["kind"], "{id}");
            assert_eq!(
                u64::from(got.page),
                want["page"].as_u64().expect("page"),
                "{id}"
            );
            assert_eq!(got.comment.as_deref(), want["comment"].as_str(), "{id}");
            assert_eq!(got.author.as_deref(), want["author"].as_str(), "{id}");
            assert_eq!(got.quote, want["quote"].as_str().expect("quote"), "{id}");
            let color = got.color.expect("a colour");
            for (c, w) in color.iter().zip(want["color"].as_array().expect("color")) {
                let w = w.as_f64().expect("a number");
                assert!((f64::from(*c) - w).abs() < 1e-3, "{id}: {color:?}");
            }
        }
    }

    #[test]
    fn quadrilaterals_in_either_corner_order_give_their_bounding_boxes() {
        let read = read_annotations(&fixture("annotated.pdf")).expect("reads");
        let facts = facts();
        let word = |text: &str, key: &str| {
            facts["words"]
                .as_array()
                .and_then(|ws| ws.iter().find(|w| w["text"] == text))
                .and_then(|w| w[key].as_f64())
                .expect("a recorded word")
        };
        let close = |a: f64, b: f64| (a - b).abs() < 1e-3;
        // Acrobat's order, two lines.
        let h = &read[0];
        assert_eq!(h.rects.len(), 2);
        assert!(close(h.rects[0].x0, word("a sentence", "x0")));
        assert!(close(h.rects[0].x1, word("across", "x1")));
        assert!(close(h.rects[1].x0, word("a line", "x0")));
        assert!(close(h.rects[1].x1, word("break", "x1")));
        assert!(h.rects[0].y0 > h.rects[1].y0);
        // The specification's counterclockwise order.
        let u = read
            .iter()
            .find(|a| a.kind == AnnotKind::Underline)
            .expect("underline");
        let line = "This line is underlined for emphasis.";
        assert_eq!(u.rects.len(), 1);
        assert!(close(u.rects[0].x0, word(line, "x0")) && close(u.rects[0].x1, word(line, "x1")));
        assert!(u.rects[0].y1 - u.rects[0].y0 > 10.0);
        // Notes and squares keep their /Rect.
        let square = read
            .iter()
            .find(|a| a.kind == AnnotKind::Square)
            .expect("square");
        assert_eq!(square.rects, [Rect::new(70.0, 418.0, 274.0, 562.0)]);
    }

    #[test]
    fn text_strings_are_decoded() {
        let utf16: Vec<u8> = [
            0xFE, 0xFF, 0x00, 0x41, 0x00, 0xE9, 0x26, 0x15, 0x00, 0x0D, 0x00, 0x0A, 0x00, 0x42,
        ]
        .to_vec();
        assert_eq!(decode_text_string(&utf16), "Aé☕\nB");
        // A language escape, an odd trailing byte, a lone surrogate.
        let marked = [
            0xFE, 0xFF, 0x00, 0x1B, 0x00, 0x65, 0x00, 0x6E, 0x00, 0x1B, 0x00, 0x48, 0xD8, 0x00,
            0x00,
        ];
        assert_eq!(decode_text_string(&marked), "H\u{FFFD}");
        assert_eq!(decode_text_string(b"\xEF\xBB\xBFna\xC3\xAFve"), "naïve");
        // PDFDocEncoding: Latin-1 above 0xA0, its own table at 0x80..0x9F.
        assert_eq!(decode_text_string(b"R\xE9sum\xE9 \x84 \x93"), "Résumé — ﬁ");
        assert_eq!(decode_text_string(b"a\rb\r\nc"), "a\nb\nc");
        assert_eq!(decode_text_string(b""), "");
    }

    #[test]
    fn colours_in_gray_rgb_and_cmyk() {
        let doc = Document::new();
        let with = |c: Object| {
            let mut d = Dictionary::new();
            d.set("C", c);
            color(&doc, &d)
        };
        let reals = |v: &[f32]| Object::Array(v.iter().map(|&x| Object::Real(x)).collect());
        assert_eq!(with(reals(&[0.25])), Some([0.25, 0.25, 0.25]));
        assert_eq!(with(reals(&[1.0, 0.5, 0.0])), Some([1.0, 0.5, 0.0]));
        assert_eq!(with(reals(&[0.0, 1.0, 1.0, 0.0])), Some([1.0, 0.0, 0.0]));
        assert_eq!(with(reals(&[0.0, 0.0, 0.0, 1.0])), Some([0.0, 0.0, 0.0]));
        assert_eq!(
            with(Object::Array(vec![
                Object::Integer(2),
                Object::Integer(-1),
                Object::Integer(0)
            ])),
            Some([1.0, 0.0, 0.0])
        );
        assert_eq!(with(reals(&[])), None);
        assert_eq!(with(reals(&[0.1, 0.2])), None);
        assert_eq!(with(reals(&[0.1; 5])), None);
        assert_eq!(with(Object::Name(b"Red".to_vec())), None);
        assert_eq!(with(Object::Array(vec![Object::Null; 3])), None);
        assert_eq!(color(&doc, &Dictionary::new()), None);
    }

    /// `plain.pdf` with annotation dictionaries added to page 1 by lopdf.
    fn with_dicts(
        dicts: Vec<Dictionary>,
        extra: impl FnOnce(&mut Document, &[ObjectId]),
    ) -> Vec<u8> {
        let mut doc = Document::load_mem(&fixture("plain.pdf")).expect("loads");
        let page = doc.get_pages()[&1];
        let ids: Vec<ObjectId> = dicts.into_iter().map(|d| doc.add_object(d)).collect();
        let refs: Vec<Object> = ids.iter().map(|&id| Object::Reference(id)).collect();
        doc.get_dictionary_mut(page)
            .expect("page")
            .set("Annots", refs);
        extra(&mut doc, &ids);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("saves");
        out
    }

    fn annot(subtype: &str, nm: &str) -> Dictionary {
        let mut d = Dictionary::new();
        d.set("Type", "Annot");
        d.set("Subtype", subtype);
        d.set("Rect", vec![10.into(), 20.into(), 30.into(), 40.into()]);
        d.set(
            "NM",
            Object::String(nm.as_bytes().to_vec(), StringFormat::Literal),
        );
        d
    }

    fn text_object(s: &str) -> Object {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    }

    #[test]
    fn malformed_dictionaries_are_read_as_far_as_they_go() {
        let mut bad_quads = annot("Highlight", "bad-quads");
        bad_quads.set("QuadPoints", vec![1.into(), text_object("x"), 3.into()]);
        bad_quads.set("C", Object::Name(b"Yellow".to_vec()));
        bad_quads.set("Contents", 42);
        bad_quads.set("T", vec![Object::Null]);
        let mut quads_dict = annot("Underline", "quads-dict");
        quads_dict.set("QuadPoints", Dictionary::new());
        let mut short_quads = annot("StrikeOut", "short-quads");
        short_quads.set("QuadPoints", vec![1.into(), 2.into(), 3.into()]);
        let mut huge = annot("Squiggly", "huge");
        huge.set("QuadPoints", vec![Object::Real(5.0); 8 * (MAX_QUADS + 50)]);
        let mut no_rect = annot("Highlight", "no-rect");
        no_rect.remove(b"Rect");
        let mut short_rect = annot("Text", "short-rect");
        short_rect.set("Rect", vec![1.into(), 2.into(), 3.into()]);
        let mut nan_rect = annot("Square", "nan-rect");
        nan_rect.set(
            "Rect",
            vec![Object::Real(f32::NAN), 2.into(), 3.into(), 4.into()],
        );
        let mut name_subtype = annot("Text", "string-subtype");
        name_subtype.set("Subtype", text_object("Highlight"));
        let mut no_subtype = annot("Text", "no-subtype");
        no_subtype.remove(b"Subtype");
        let mut indirect = annot("Square", "indirect");
        indirect.set("Contents", text_object("via a reference"));
        let bytes = with_dicts(
            vec![
                bad_quads,
                quads_dict,
                short_quads,
                huge,
                no_rect,
                short_rect,
                nan_rect,
                name_subtype,
                no_subtype,
                indirect,
            ],
            |doc, ids| {
                // /Rect and /C through references; a reference to nothing in
                // the list, plus entries that are not dictionaries.
                let rect = doc.add_object(vec![Object::from(1), 2.into(), 3.into(), 4.into()]);
                let c = doc.add_object(vec![Object::Real(0.5)]);
                let d = doc.get_dictionary_mut(ids[9]).expect("dict");
                d.set("Rect", rect);
                d.set("C", c);
                let page = doc.get_pages()[&1];
                let annots = doc
                    .get_dictionary_mut(page)
                    .expect("page")
                    .get_mut(b"Annots")
                    .expect("annots");
                let list = annots.as_array_mut().expect("array");
                list.extend([
                    Object::Reference((9999, 0)),
                    Object::Integer(3),
                    Object::Null,
                    text_object("x"),
                ]);
            },
        );
        let read = read_annotations(&bytes).expect("reads");
        let ids: Vec<&str> = read.iter().filter_map(|a| a.id.as_deref()).collect();
        assert_eq!(
            ids,
            ["bad-quads", "quads-dict", "short-quads", "huge", "indirect"]
        );
        let whole = Rect::new(10.0, 20.0, 30.0, 40.0);
        for a in &read[..3] {
            assert_eq!(a.rects, [whole], "{:?}", a.id);
            assert_eq!(
                (a.color, a.comment.as_deref(), a.author.as_deref()),
                (None, None, None)
            );
            assert_eq!(a.quote, "", "nothing is drawn there");
        }
        assert_eq!(read[3].rects.len(), MAX_QUADS);
        assert_eq!(read[4].rects, [Rect::new(1.0, 2.0, 3.0, 4.0)]);
        assert_eq!(read[4].color, Some([0.5; 3]));
        assert_eq!(read[4].comment.as_deref(), Some("via a reference"));
    }

    #[test]
    fn annots_that_are_not_an_array_are_no_annotations() {
        for annots in [
            Object::Dictionary(Dictionary::new()),
            Object::Integer(7),
            Object::Reference((9999, 0)),
        ] {
            let bytes = with_dicts(vec![annot("Square", "s")], move |doc, _| {
                let page = doc.get_pages()[&1];
                doc.get_dictionary_mut(page)
                    .expect("page")
                    .set("Annots", annots);
            });
            assert_eq!(read_annotations(&bytes).expect("reads"), []);
        }
    }

    #[test]
    fn replies_join_the_thread_they_answer() {
        let mut root = annot("Square", "root");
        root.set("Contents", text_object("Look here."));
        let mut first = annot("Text", "first");
        first.set("Contents", text_object("Why?"));
        first.set("T", text_object("Bo"));
        let mut second = annot("Text", "second");
        second.set("Contents", text_object("Because."));
        let mut grouped = annot("Text", "grouped");
        grouped.set("Contents", text_object("grouped, not a reply"));
        grouped.set("RT", "Group");
        let mut own = annot("Text", "own");
        own.set("Contents", text_object("a reply to itself"));
        let mut a = annot("Text", "loop-a");
        a.set("Contents", text_object("A"));
        let mut b = annot("Text", "loop-b");
        b.set("Contents", text_object("B"));
        let bytes = with_dicts(vec![root, first, second, grouped, own, a, b], |doc, ids| {
            let links = [(1, 0), (2, 1), (3, 0), (4, 4), (5, 6), (6, 5)];
            for (from, to) in links {
                let target = ids[to];
                doc.get_dictionary_mut(ids[from])
                    .expect("dict")
                    .set("IRT", target);
            }
        });
        let read = read_annotations(&bytes).expect("reads");
        let ids: Vec<&str> = read.iter().filter_map(|a| a.id.as_deref()).collect();
        assert_eq!(ids, ["root", "own", "loop-a", "loop-b"]);
        assert_eq!(
            read[0].comment.as_deref(),
            Some("Look here.\n\nBo: Why?\n\nBecause.")
        );
        assert_eq!(read[1].comment.as_deref(), Some("a reply to itself"));
    }

    #[test]
    fn unreadable_pdfs_are_errors_and_plain_ones_have_no_annotations() {
        assert_eq!(read_annotations(&fixture("plain.pdf")).expect("reads"), []);
        let message = read_annotations(b"%PDF-1.4 garbage")
            .expect_err("an error")
            .to_string();
        assert!(message.starts_with("unreadable PDF ("), "{message}");
        let bytes = fixture("annotated.pdf");
        for keep in (0..bytes.len()).step_by(89) {
            if let Err(e) = read_annotations(&bytes[..keep]) {
                assert!(e.to_string().starts_with("unreadable PDF ("), "{e}");
            }
        }
    }
}
