//! Writing a copy of a PDF with Lectern's highlights and areas as standard
//! annotations, so that other readers (Acrobat, Preview, Okular, Zotero,
//! browsers) show them.
//!
//! [`with_annotations`] takes the PDF's bytes and returns new bytes; the
//! input is never changed. Each [`OutAnnotation`] becomes:
//!
//! - a text highlight: `/Subtype /Highlight` with one quadrilateral per
//!   rectangle in `/QuadPoints` and a `/Rect` around them all. The corners
//!   go in the order Acrobat writes and pdf.js, pdfium, poppler and Preview
//!   draw from: top-left, top-right, bottom-left, bottom-right (the
//!   specification's text says counterclockwise, which no viewer follows;
//!   our reader takes either, see `import::pdf::annots`);
//! - an area: `/Subtype /Square` with the area as `/Rect` and a 1.5 pt
//!   border (`/BS`);
//!
//! each with `/C` (RGB), `/CA 1`, `/F 4` (print), `/T (Lectern)`, `/NM`
//! (the annotation's id), `/M` and `/CreationDate` (its modification time,
//! RFC 3339 turned into a PDF date), `/P` (its page), `/Contents` (the
//! comment: PDFDocEncoding when ASCII, else UTF-16BE with its byte order
//! mark) and an appearance stream `/AP /N`, so viewers that draw only
//! appearances show it too: a form XObject that fills the rectangles in
//! the colour with the multiply blend mode (the text stays readable under
//! it), or strokes the area's outline.
//!
//! The annotations are appended to each page's `/Annots`, which becomes a
//! direct array of the entries it had (through a reference or not) and the
//! new ones, so an array that several pages share is not changed under the
//! others. An annotation from an earlier export (`/T (Lectern)` with the
//! same `/NM`) is replaced rather than repeated.
//!
//! The copy is the document as lopdf writes it out whole (every object
//! once, a fresh cross-reference section), not an incremental update: the
//! same for every input, and it repairs what lopdf had to reconstruct while
//! loading. Encrypted PDFs are refused, also those that open without a
//! password (only restricted by an owner password): writing them back
//! decrypted would lift the restrictions. Errors are one line each and
//! nothing is written on failure.

use std::collections::{BTreeMap, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use crate::error::{Error, Result};
use crate::import::pdf::open_document;
use crate::import::pdf::pages::Rect;

/// What an exported annotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutKind {
    /// Text, one rectangle per line stretch.
    Highlight,
    /// A region of the page (a figure, a formula), one rectangle.
    Area,
}

/// One annotation to write.
#[derive(Debug, Clone, PartialEq)]
pub struct OutAnnotation {
    /// 1-based.
    pub page: u32,
    pub kind: OutKind,
    /// In PDF user space; at least one.
    pub rects: Vec<Rect>,
    /// RGB, each in 0..=1.
    pub color: [f32; 3],
    pub comment: Option<String>,
    /// Goes to `/NM`.
    pub id: String,
    /// RFC 3339; goes to `/M` as a PDF date.
    pub modified: String,
}

/// The author written to `/T`.
const AUTHOR: &str = "Lectern";
/// The width of an area's border, in points.
const BORDER: f64 = 1.5;

/// A copy of the PDF `bytes` with `annotations` added.
pub fn with_annotations(bytes: &[u8], annotations: &[OutAnnotation]) -> Result<Vec<u8>> {
    let doc = open_document(bytes)?;
    if doc.was_encrypted() {
        return Err(Error::Pdf(
            "encrypted PDF: Lectern does not write annotations into encrypted PDFs".into(),
        ));
    }
    crate::panics::catch(move || write(doc, annotations)).unwrap_or_else(|_| {
        Err(Error::Pdf(
            "could not write the annotated PDF (the PDF writer crashed)".into(),
        ))
    })
}

fn write(mut doc: Document, annotations: &[OutAnnotation]) -> Result<Vec<u8>> {
    let pages = doc.get_pages();
    let mut added: BTreeMap<ObjectId, Vec<Object>> = BTreeMap::new();
    for a in annotations {
        let &page = pages.get(&a.page).ok_or_else(|| {
            Error::Pdf(format!(
                "annotation `{}`: page {} is not in this PDF (it has {} pages)",
                a.id,
                a.page,
                pages.len()
            ))
        })?;
        let (mut dict, appearance) = annotation(a, page)?;
        let appearance = doc.add_object(appearance);
        let mut ap = Dictionary::new();
        ap.set("N", appearance);
        dict.set("AP", ap);
        let id = doc.add_object(dict);
        added.entry(page).or_default().push(Object::Reference(id));
    }
    let ours: HashSet<&str> = annotations.iter().map(|a| a.id.as_str()).collect();
    for (page, new) in added {
        let mut list: Vec<Object> = existing_annots(&doc, page)
            .into_iter()
            .filter(|entry| !is_replaced(&doc, entry, &ours))
            .collect();
        list.extend(new);
        doc.get_dictionary_mut(page)
            .map_err(|e| Error::Pdf(format!("could not write the annotated PDF ({e})")))?
            .set("Annots", list);
    }
    if doc.version.parse::<f32>().is_ok_and(|v| v < 1.4) {
        // Blend modes (the highlight's multiply) are PDF 1.4.
        doc.version = "1.4".into();
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| Error::Pdf(format!("could not write the annotated PDF ({e})")))?;
    Ok(out)
}

/// The entries of a page's `/Annots` (direct or through a reference).
fn existing_annots(doc: &Document, page: ObjectId) -> Vec<Object> {
    doc.get_dictionary(page)
        .ok()
        .and_then(|p| p.get(b"Annots").ok())
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_array().ok())
        .cloned()
        .unwrap_or_default()
}

/// An annotation an earlier export wrote with one of the ids written now.
fn is_replaced(doc: &Document, entry: &Object, ours: &HashSet<&str>) -> bool {
    let Some(dict) = doc
        .dereference(entry)
        .ok()
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return false;
    };
    let text = |key: &[u8]| {
        dict.get(key)
            .and_then(Object::as_str)
            .ok()
            .map(crate::import::pdf::annots::decode_text_string)
    };
    text(b"T").as_deref() == Some(AUTHOR)
        && text(b"NM").is_some_and(|nm| ours.contains(nm.as_str()))
}

/// The annotation dictionary (without `/AP`) and its appearance stream.
fn annotation(a: &OutAnnotation, page: ObjectId) -> Result<(Dictionary, Stream)> {
    let problem = |what: &str| Error::Pdf(format!("annotation `{}`: {what}", a.id));
    if a.rects.is_empty() {
        return Err(problem("no rectangles"));
    }
    if let Some(r) = a.rects.iter().find(|r| !r.is_finite()) {
        return Err(problem(&format!("rectangle {r:?} is not finite")));
    }
    let rects: Vec<Rect> = a
        .rects
        .iter()
        .map(|r| Rect::new(r.x0, r.y0, r.x1, r.y1))
        .collect();
    let bounds = rects[1..].iter().fold(rects[0], |acc, r| acc.union(*r));
    let date = pdf_date(&a.modified)
        .ok_or_else(|| problem(&format!("`{}` is not an RFC 3339 time", a.modified)))?;
    let color = a.color.map(|c| {
        if c.is_finite() {
            c.clamp(0.0, 1.0)
        } else {
            0.0
        }
    });
    let rgb = color.map(|c| number(f64::from(c))).join(" ");
    let color: Vec<Object> = color.map(Object::from).to_vec();

    let mut dict = Dictionary::new();
    dict.set("Type", "Annot");
    dict.set("Rect", rect_array(bounds));
    dict.set("C", color);
    dict.set("CA", 1.0);
    dict.set("F", 4);
    dict.set("T", Object::String(AUTHOR.into(), StringFormat::Literal));
    dict.set("NM", lopdf::text_string(&a.id));
    dict.set(
        "M",
        Object::String(date.clone().into_bytes(), StringFormat::Literal),
    );
    dict.set(
        "CreationDate",
        Object::String(date.into_bytes(), StringFormat::Literal),
    );
    dict.set("P", page);
    if let Some(comment) = a.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        dict.set("Contents", lopdf::text_string(comment));
    }

    let mut resources = Dictionary::new();
    let content = match a.kind {
        OutKind::Highlight => {
            dict.set("Subtype", "Highlight");
            let quads: Vec<Object> = rects
                .iter()
                .flat_map(|r| [r.x0, r.y1, r.x1, r.y1, r.x0, r.y0, r.x1, r.y0])
                .map(Object::from)
                .collect();
            dict.set("QuadPoints", quads);
            let mut multiply = Dictionary::new();
            multiply.set("Type", "ExtGState");
            multiply.set("BM", "Multiply");
            multiply.set("CA", 1.0);
            multiply.set("ca", 1.0);
            let mut states = Dictionary::new();
            states.set("GS0", multiply);
            resources.set("ExtGState", states);
            let mut content = format!("/GS0 gs\n{rgb} rg\n");
            for r in &rects {
                content.push_str(&format!(
                    "{} {} {} {} re\n",
                    number(r.x0),
                    number(r.y0),
                    number(r.x1 - r.x0),
                    number(r.y1 - r.y0)
                ));
            }
            content.push_str("f\n");
            content
        }
        OutKind::Area => {
            dict.set("Subtype", "Square");
            let mut border = Dictionary::new();
            border.set("Type", "Border");
            border.set("W", BORDER);
            border.set("S", "S");
            dict.set("BS", border);
            let half = BORDER / 2.0;
            format!(
                "{rgb} RG\n{} w\n{} {} {} {} re\nS\n",
                number(BORDER),
                number(bounds.x0 + half),
                number(bounds.y0 + half),
                number((bounds.x1 - bounds.x0 - BORDER).max(0.0)),
                number((bounds.y1 - bounds.y0 - BORDER).max(0.0))
            )
        }
    };
    let mut form = Dictionary::new();
    form.set("Type", "XObject");
    form.set("Subtype", "Form");
    form.set("FormType", 1);
    form.set("BBox", rect_array(bounds));
    form.set("Resources", resources);
    Ok((dict, Stream::new(form, content.into_bytes())))
}

fn rect_array(r: Rect) -> Vec<Object> {
    [r.x0, r.y0, r.x1, r.y1].map(Object::from).to_vec()
}

/// A number for a content stream: at most three decimals, no trailing
/// zeros.
fn number(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "" | "-0" => "0".into(),
        s => s.into(),
    }
}

/// An RFC 3339 time as a PDF date: `D:YYYYMMDDHHmmSS` and `Z` or the
/// offset as `+HH'mm`.
fn pdf_date(rfc3339: &str) -> Option<String> {
    let time = chrono::DateTime::parse_from_rfc3339(rfc3339.trim()).ok()?;
    let offset = time.offset().local_minus_utc() / 60;
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        format!("{sign}{:02}'{:02}", offset.abs() / 60, offset.abs() % 60)
    };
    Some(format!("D:{}{zone}", time.format("%Y%m%d%H%M%S")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::pdf::annots::{AnnotKind, read_annotations};
    use crate::import::pdf::pages::page_texts;
    use crate::import::pdf::testpdf::fixture;

    /// The rectangles of the first `needle` on a page of `bytes`.
    fn rects_of(bytes: &[u8], page: u32, needle: &str) -> Vec<Rect> {
        let pages = page_texts(bytes).expect("reads");
        let page = &pages[page as usize - 1];
        let at = page.text.find(needle).expect("the text is there");
        let start = page.text[..at].chars().count();
        page.rects(start, start + needle.chars().count())
    }

    fn highlight(bytes: &[u8], id: &str) -> OutAnnotation {
        OutAnnotation {
            page: 1,
            kind: OutKind::Highlight,
            rects: rects_of(bytes, 1, "a sentence that runs across\na line break"),
            color: [1.0, 0.831, 0.0],
            comment: Some("Über den Zeilenumbruch ☕\nzweite Zeile".into()),
            id: id.into(),
            modified: "2024-05-01T12:34:56+02:00".into(),
        }
    }

    fn area(id: &str) -> OutAnnotation {
        OutAnnotation {
            page: 2,
            kind: OutKind::Area,
            rects: vec![Rect::new(72.0, 420.0, 272.0, 560.0)],
            color: [0.18, 0.659, 0.898],
            comment: Some("The figure".into()),
            id: id.into(),
            modified: "2024-05-01T10:00:00Z".into(),
        }
    }

    #[test]
    fn what_is_written_reads_back_with_its_quote() {
        let plain = fixture("plain.pdf");
        let wanted = [highlight(&plain, "h-1"), area("a-1")];
        let out = with_annotations(&plain, &wanted).expect("writes");
        let read = read_annotations(&out).expect("reads");
        assert_eq!(read.len(), 2, "{read:#?}");
        let (h, a) = (&read[0], &read[1]);
        assert_eq!((h.kind, h.page), (AnnotKind::Highlight, 1));
        assert_eq!(h.id.as_deref(), Some("h-1"));
        assert_eq!(h.author.as_deref(), Some("Lectern"));
        assert_eq!(h.comment, wanted[0].comment);
        assert_eq!(h.quote, "a sentence that runs across a line break");
        assert_eq!(h.rects.len(), 2);
        for (got, want) in h.rects.iter().zip(&wanted[0].rects) {
            for (g, w) in [
                (got.x0, want.x0),
                (got.y0, want.y0),
                (got.x1, want.x1),
                (got.y1, want.y1),
            ] {
                assert!((g - w).abs() < 1e-3, "{got:?} {want:?}");
            }
        }
        let color = h.color.expect("colour");
        assert!((color[1] - 0.831).abs() < 1e-6);
        assert_eq!((a.kind, a.page), (AnnotKind::Square, 2));
        assert_eq!(a.rects, wanted[1].rects);
        assert_eq!(a.comment.as_deref(), Some("The figure"));
        assert_eq!(a.quote, "");
        // The page text is untouched.
        assert_eq!(
            page_texts(&out).expect("reads")[0].text,
            page_texts(&plain).expect("reads")[0].text
        );
    }

    #[test]
    fn dictionaries_follow_the_conventions_viewers_expect() {
        let plain = fixture("plain.pdf");
        let out =
            with_annotations(&plain, &[highlight(&plain, "h-1"), area("a-1")]).expect("writes");
        let doc = Document::load_mem(&out).expect("lopdf loads the copy");
        assert_eq!(
            doc.version, "1.4",
            "raised from reportlab's 1.3 for the blend mode"
        );
        let pages = doc.get_pages();
        let annots = |page: u32| -> Vec<&Dictionary> {
            let page = doc.get_dictionary(pages[&page]).expect("page");
            page.get(b"Annots")
                .and_then(Object::as_array)
                .expect("a direct array")
                .iter()
                .map(|o| {
                    doc.dereference(o)
                        .expect("resolves")
                        .1
                        .as_dict()
                        .expect("dict")
                })
                .collect()
        };
        let h = annots(1)[0];
        let name = |d: &Dictionary, key: &[u8]| {
            d.get(key)
                .and_then(Object::as_name)
                .map(|n| n.to_vec())
                .ok()
        };
        assert_eq!(name(h, b"Subtype").as_deref(), Some(&b"Highlight"[..]));
        let quads: Vec<f32> = h
            .get(b"QuadPoints")
            .and_then(Object::as_array)
            .expect("quads")
            .iter()
            .map(|o| o.as_float().expect("number"))
            .collect();
        assert_eq!(quads.len(), 16);
        // Top-left, top-right, bottom-left, bottom-right.
        let (x0, y0, x1, y1) = (quads[4], quads[5], quads[2], quads[3]);
        assert!(x0 < x1 && y0 < y1);
        assert_eq!(&quads[..8], &[x0, y1, x1, y1, x0, y0, x1, y0]);
        let contents = h
            .get(b"Contents")
            .and_then(Object::as_str)
            .expect("contents");
        assert!(contents.starts_with(b"\xFE\xFF"), "UTF-16BE with its BOM");
        assert_eq!(
            h.get(b"M").and_then(Object::as_str).ok(),
            Some(&b"D:20240501123456+02'00"[..])
        );
        assert_eq!(h.get(b"F").and_then(Object::as_i64).ok(), Some(4));
        assert_eq!(
            h.get(b"P").and_then(Object::as_reference).ok(),
            Some(pages[&1])
        );
        let ap = h
            .get(b"AP")
            .and_then(Object::as_dict)
            .expect("an appearance");
        let (_, normal) = doc
            .dereference(ap.get(b"N").expect("/N"))
            .expect("resolves");
        let normal = normal.as_stream().expect("a form XObject");
        assert_eq!(
            name(&normal.dict, b"Subtype").as_deref(),
            Some(&b"Form"[..])
        );
        let drawn = String::from_utf8(normal.content.clone()).expect("text");
        assert!(
            drawn.starts_with("/GS0 gs\n1 0.831 0 rg\n") && drawn.ends_with("re\nf\n"),
            "{drawn}"
        );
        let a = annots(2)[0];
        assert_eq!(name(a, b"Subtype").as_deref(), Some(&b"Square"[..]));
        assert!(a.get(b"QuadPoints").is_err());
        assert_eq!(
            a.get(b"Contents").and_then(Object::as_str).ok(),
            Some(&b"The figure"[..])
        );
    }

    #[test]
    fn existing_annotations_stay_and_a_second_export_replaces_the_first() {
        let annotated = fixture("annotated.pdf");
        let before = read_annotations(&annotated).expect("reads");
        let out = with_annotations(&annotated, &[highlight(&annotated, "h-1"), area("a-1")])
            .expect("writes");
        let after = read_annotations(&out).expect("reads");
        assert_eq!(after.len(), before.len() + 2);
        // Page 2 listed its annotations in an indirect array.
        let on_page_2: Vec<_> = after
            .iter()
            .filter(|a| a.page == 2)
            .filter_map(|a| a.id.as_deref())
            .collect();
        assert_eq!(on_page_2, ["ann-square-1", "ann-highlight-2", "a-1"]);
        let mut changed = area("a-1");
        changed.comment = Some("changed".into());
        let again = with_annotations(&out, &[changed]).expect("writes");
        let read = read_annotations(&again).expect("reads");
        assert_eq!(read.len(), after.len());
        let a = read
            .iter()
            .find(|a| a.id.as_deref() == Some("a-1"))
            .expect("there");
        assert_eq!(a.comment.as_deref(), Some("changed"));
    }

    #[test]
    fn object_streams_and_cross_reference_streams_are_written_too() {
        let mut doc = Document::load_mem(&fixture("plain.pdf")).expect("loads");
        let mut modern = Vec::new();
        doc.save_modern(&mut modern).expect("saves");
        let out = with_annotations(&modern, &[area("a-1")]).expect("writes");
        let read = read_annotations(&out).expect("reads");
        assert_eq!(read.len(), 1);
        assert_eq!(page_texts(&out).expect("reads").len(), 2);
    }

    #[test]
    fn bad_requests_and_encrypted_or_broken_pdfs_are_refused() {
        let plain = fixture("plain.pdf");
        let err = |bytes: &[u8], a: OutAnnotation| {
            with_annotations(bytes, &[a])
                .expect_err("refused")
                .to_string()
        };
        let mut a = area("x");
        a.page = 3;
        assert_eq!(
            err(&plain, a),
            "annotation `x`: page 3 is not in this PDF (it has 2 pages)"
        );
        let mut a = area("x");
        a.rects.clear();
        assert_eq!(err(&plain, a), "annotation `x`: no rectangles");
        let mut a = area("x");
        a.rects[0].x1 = f64::INFINITY;
        assert!(err(&plain, a).contains("is not finite"));
        let mut a = area("x");
        a.modified = "yesterday".into();
        assert_eq!(
            err(&plain, a),
            "annotation `x`: `yesterday` is not an RFC 3339 time"
        );
        assert!(err(b"%PDF-1.7 nothing", area("x")).starts_with("unreadable PDF ("));
        assert!(err(&plain[..plain.len() / 3], area("x")).starts_with("unreadable PDF ("));
        // Encrypted with a password, or only restricted by an owner one.
        for user in ["secret", ""] {
            let mut doc = Document::load_mem(&plain).expect("loads");
            let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
                document: &doc,
                owner_password: "owner",
                user_password: user,
                key_length: 128,
                permissions: lopdf::Permissions::all(),
            })
            .expect("encryption state");
            doc.encrypt(&state).expect("encrypts");
            let mut bytes = Vec::new();
            doc.save_to(&mut bytes).expect("saves");
            assert!(
                err(&bytes, area("x")).starts_with("encrypted PDF: "),
                "{user:?}"
            );
        }
        // Nothing to add still gives a copy that reads.
        let out = with_annotations(&plain, &[]).expect("writes");
        assert_eq!(read_annotations(&out).expect("reads"), []);
    }

    #[test]
    fn colours_are_clamped() {
        let plain = fixture("plain.pdf");
        let mut a = area("x");
        a.color = [2.0, -1.0, f32::NAN];
        let out = with_annotations(&plain, &[a]).expect("writes");
        assert_eq!(
            read_annotations(&out).expect("reads")[0].color,
            Some([1.0, 0.0, 0.0])
        );
    }

    #[test]
    fn pdf_dates_and_numbers() {
        assert_eq!(
            pdf_date("2024-05-01T12:34:56Z").as_deref(),
            Some("D:20240501123456Z")
        );
        assert_eq!(
            pdf_date("2024-05-01T12:34:56.789+02:00").as_deref(),
            Some("D:20240501123456+02'00")
        );
        assert_eq!(
            pdf_date("2024-12-31T23:00:00-05:30").as_deref(),
            Some("D:20241231230000-05'30")
        );
        assert_eq!(pdf_date("2024-05-01"), None);
        assert_eq!(pdf_date(""), None);
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.8314), "0.831");
        assert_eq!(number(-0.0001), "0");
        assert_eq!(number(612.5), "612.5");
    }
}
