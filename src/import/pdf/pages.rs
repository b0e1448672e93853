//! Positioned page text: the text of every page with the box of each of its
//! characters, so a highlight's rectangles can be turned into the text under
//! them and a range of text into rectangles to draw.
//!
//! # Coordinates
//!
//! Everything is in PDF user space, the space annotations' `/Rect` and
//! `/QuadPoints` are written in and pdf.js's `viewport.convertToPdfPoint`
//! gives: points, y growing up, the page's `/Rotate` not applied. For the
//! usual MediaBox `[0 0 w h]` the origin is the bottom-left corner of the
//! page; a MediaBox that starts elsewhere keeps its own origin
//! ([`PageText::media_box`]). A [`Rect`] is `x0, y0, x1, y1` with
//! `x0 <= x1` and `y0 <= y1`.
//!
//! # Text
//!
//! The characters come from `pdf-extract` (font encodings, `ToUnicode`
//! maps), in the order the content stream draws them, as pdf.js's text
//! content has them. Between two drawn characters the reader adds:
//!
//! - a newline when the baseline moved by more than 0.6 of the font size
//!   across the writing direction, or the direction turned (a new line, a
//!   column, a rotated label);
//! - else a space when the pen jumped forward by more than 0.1 of the font
//!   size (a word gap written as a move rather than a space character), or
//!   back by more than the font size;
//! - nothing next to a space the PDF draws itself.
//!
//! Added characters are marked [`CharBox::synthetic`] and have a zero-size
//! box at the pen position where the previous character ended. Control
//! characters are left out, and a glyph that decodes to several characters
//! (a ligature) gives each an equal share of its width, so there is always
//! exactly one box per `char` of [`PageText::text`].
//!
//! Rotated text (the arXiv stamp in the margin, a rotated table) is kept:
//! its boxes are the upright bounding boxes of the turned glyphs, and a turn
//! in direction starts a new line.
//!
//! # Glyph boxes
//!
//! The box of a character spans its advance width along the baseline and,
//! across it, from 0.25 of the font size below the baseline to 0.8 above it:
//! about a Latin font's descender and cap height, without reading the
//! font's own metrics (often missing or wrong). Highlights other readers
//! store cover about that band, so a box's centre lies well inside them.
//!
//! # Robustness
//!
//! As in the import, each page runs under [`crate::panics::catch`] on its
//! own and pages with cycles `pdf-extract` would recurse on are left out
//! (empty text); what a page drew before a failure is kept. The document
//! opens as in the import, so an encrypted PDF that needs a password is an
//! error saying so.
//!
//! The import reads the same pages once more through `pdf-extract`'s plain
//! text output; it could take its text from this pass instead, one read
//! for both, once its heuristics are checked against this text.

use lopdf::{Document, Object, ObjectId};

use super::extract::safe_for_pdf_extract;
use super::load::open_document;
use crate::error::Result;
use crate::text::fold_whitespace;

/// How far below the baseline a glyph box reaches, in font sizes.
const DESCENT: f64 = 0.25;
/// How far above the baseline a glyph box reaches, in font sizes.
const ASCENT: f64 = 0.8;
/// A move across the baseline larger than this (in font sizes) is a new
/// line; sub- and superscripts stay on their line.
const NEW_LINE: f64 = 0.6;
/// A forward jump larger than this (in font sizes) is a word gap.
const WORD_GAP: f64 = 0.1;
/// The most characters kept for one page.
const MAX_CHARS: usize = 200_000;

/// A rectangle in PDF user space: `x0 <= x1`, `y0 <= y1`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    /// The rectangle between two corners, in any order.
    pub fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }

    /// The smallest rectangle holding all the points; `None` without
    /// points or with one that is not finite.
    pub(crate) fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Rect> {
        let mut out: Option<Rect> = None;
        for (x, y) in points {
            if !x.is_finite() || !y.is_finite() {
                return None;
            }
            let point = Rect::new(x, y, x, y);
            out = Some(out.map_or(point, |r| r.union(point)));
        }
        out
    }

    pub(crate) fn union(self, other: Rect) -> Rect {
        Rect {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    pub(crate) fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }

    pub(crate) fn contains(&self, (x, y): (f64, f64)) -> bool {
        self.x0 <= x && x <= self.x1 && self.y0 <= y && y <= self.y1
    }

    pub(crate) fn is_finite(&self) -> bool {
        [self.x0, self.y0, self.x1, self.y1]
            .iter()
            .all(|v| v.is_finite())
    }
}

/// Where one character of [`PageText::text`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CharBox {
    pub(crate) rect: Rect,
    /// The font size on the page, in points; 0 for synthetic characters.
    pub(crate) size: f64,
    /// Added by the reader (a space or newline the PDF does not draw).
    pub(crate) synthetic: bool,
}

/// The text of one page with the box of each character.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PageText {
    /// 1-based.
    pub(crate) number: u32,
    /// The MediaBox's width and height in points (before `/Rotate`).
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) media_box: Rect,
    pub(crate) text: String,
    /// One per `char` of `text`.
    pub(crate) boxes: Vec<CharBox>,
}

/// Every page's positioned text, in page order.
pub(crate) fn page_texts(bytes: &[u8]) -> Result<Vec<PageText>> {
    let mut doc = open_document(bytes)?;
    give_media_boxes(&mut doc);
    Ok(doc
        .get_pages()
        .into_iter()
        .map(|(number, id)| page_text(&doc, number, id))
        .collect())
}

/// Gives every page without a MediaBox of its own or inherited the one
/// [`page_text`] assumes, as `pdf-extract` panics without one.
pub(super) fn give_media_boxes(doc: &mut Document) {
    let missing: Vec<ObjectId> = doc
        .get_pages()
        .into_values()
        .filter(|&id| find_media_box(doc, id).is_none())
        .collect();
    for id in missing {
        if let Ok(page) = doc.get_dictionary_mut(id) {
            let Rect { x0, y0, x1, y1 } = LETTER;
            page.set("MediaBox", vec![x0.into(), y0.into(), x1.into(), y1.into()]);
        }
    }
}

/// The positioned text of one page (call [`give_media_boxes`] first):
/// empty when `pdf-extract` must not read it, what it drew before it
/// failed otherwise.
pub(super) fn page_text(doc: &Document, number: u32, id: ObjectId) -> PageText {
    let media_box = media_box(doc, id);
    let mut page = PageText {
        number,
        width: media_box.x1 - media_box.x0,
        height: media_box.y1 - media_box.y0,
        media_box,
        ..PageText::default()
    };
    if safe_for_pdf_extract(doc, id) {
        let mut builder = Builder {
            page: &mut page,
            last: None,
        };
        let _ = crate::panics::catch(|| pdf_extract::output_doc_page(doc, &mut builder, number));
    }
    page
}

/// US Letter, the MediaBox pdf.js assumes for a page without one.
const LETTER: Rect = Rect {
    x0: 0.0,
    y0: 0.0,
    x1: 612.0,
    y1: 792.0,
};

/// The page's MediaBox, or [`LETTER`].
fn media_box(doc: &Document, page: ObjectId) -> Rect {
    find_media_box(doc, page).unwrap_or(LETTER)
}

/// The page's MediaBox, inherited through `/Parent`; `None` when it has no
/// usable one.
fn find_media_box(doc: &Document, page: ObjectId) -> Option<Rect> {
    let mut node = doc.get_dictionary(page).ok();
    for _ in 0..32 {
        let Some(dict) = node else { break };
        let corners = dict
            .get(b"MediaBox")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_array().ok())
            .filter(|a| a.len() == 4)
            .and_then(|a| {
                let v: Vec<f64> = a.iter().filter_map(|o| number(doc, o)).collect();
                (v.len() == 4).then(|| Rect::new(v[0], v[1], v[2], v[3]))
            });
        if let Some(rect) = corners.filter(|r| r.x1 > r.x0 && r.y1 > r.y0) {
            return Some(rect);
        }
        node = dict
            .get(b"Parent")
            .and_then(Object::as_reference)
            .ok()
            .and_then(|p| doc.get_dictionary(p).ok());
    }
    None
}

/// A number, through references; `None` when it is not a finite one.
pub(super) fn number(doc: &Document, object: &Object) -> Option<f64> {
    let (_, object) = doc.dereference(object).ok()?;
    let value = f64::from(object.as_float().ok()?);
    value.is_finite().then_some(value)
}

impl PageText {
    /// The rectangles covering the characters `start..end` (offsets in
    /// `char`s): one per stretch of a line, the boxes of neighbouring
    /// characters on the same baseline merged. A line break in the text, a
    /// gap wider than the font size (a column gutter) or a change of
    /// baseline starts a new rectangle. Spaces and newlines at either end
    /// add nothing.
    pub(crate) fn rects(&self, start: usize, end: usize) -> Vec<Rect> {
        let end = end.min(self.boxes.len());
        let mut out = Vec::new();
        let mut current: Option<(Rect, f64)> = None;
        let chars = self.text.chars().zip(&self.boxes).take(end).skip(start);
        for (c, b) in chars {
            if c == '\n' {
                out.extend(current.take().map(|(r, _)| r));
                continue;
            }
            if b.synthetic || c.is_whitespace() {
                continue;
            }
            current = match current {
                Some((r, size)) if same_line(r, b.rect, size.max(b.size)) => {
                    Some((r.union(b.rect), size.max(b.size)))
                }
                other => {
                    out.extend(other.map(|(r, _)| r));
                    Some((b.rect, b.size))
                }
            };
        }
        out.extend(current.map(|(r, _)| r));
        out
    }

    /// The smallest range of characters (`char` offsets, end exclusive)
    /// holding every drawn character whose box centre lies inside one of
    /// `quads` (the rectangles of a highlight); `None` when none does.
    /// Spaces do not count, so the range starts and ends on a visible
    /// character.
    pub(crate) fn range_under(&self, quads: &[Rect]) -> Option<(usize, usize)> {
        let mut range: Option<(usize, usize)> = None;
        for (i, (c, b)) in self.text.chars().zip(&self.boxes).enumerate() {
            if b.synthetic || c.is_whitespace() {
                continue;
            }
            let centre = b.rect.centre();
            if quads.iter().any(|q| q.contains(centre)) {
                range = Some(range.map_or((i, i + 1), |(s, _)| (s, i + 1)));
            }
        }
        range
    }

    /// The characters `start..end` with whitespace (line breaks included)
    /// folded to single spaces.
    pub(crate) fn quote(&self, start: usize, end: usize) -> String {
        let text: String = self
            .text
            .chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect();
        fold_whitespace(&text)
    }

    /// The text under `quads` ([`Self::range_under`], [`Self::quote`]);
    /// empty when no character is under them.
    pub(crate) fn quote_under(&self, quads: &[Rect]) -> String {
        self.range_under(quads)
            .map(|(start, end)| self.quote(start, end))
            .unwrap_or_default()
    }
}

/// Whether box `b` continues the line stretch `r`: they overlap by half
/// the smaller extent across the line and lie at most `size` apart along
/// it (the axes swap for text running up or down).
fn same_line(r: Rect, b: Rect, size: f64) -> bool {
    let overlap = |a0: f64, a1: f64, b0: f64, b1: f64| {
        let smaller = (a1 - a0).min(b1 - b0);
        a1.min(b1) - a0.max(b0) >= 0.5 * smaller
    };
    let gap = |a0: f64, a1: f64, b0: f64, b1: f64| (b0 - a1).max(a0 - b1);
    (overlap(r.y0, r.y1, b.y0, b.y1) && gap(r.x0, r.x1, b.x0, b.x1) <= size)
        || (overlap(r.x0, r.x1, b.x0, b.x1) && gap(r.y0, r.y1, b.y0, b.y1) <= size)
}

/// Where the previous character ended and which way its line runs.
struct Pen {
    end: (f64, f64),
    /// A point on the baseline of the line: where its first character
    /// starts (sub- and superscripts are measured from it).
    line: (f64, f64),
    /// Unit vectors along and across (up) the line.
    along: (f64, f64),
    up: (f64, f64),
    size: f64,
}

/// A `pdf-extract` output device that builds a [`PageText`].
struct Builder<'a> {
    page: &'a mut PageText,
    last: Option<Pen>,
}

impl Builder<'_> {
    fn push(&mut self, c: char, rect: Rect, size: f64, synthetic: bool) {
        self.page.text.push(c);
        self.page.boxes.push(CharBox {
            rect,
            size,
            synthetic,
        });
    }

    /// A space or newline the PDF does not draw, at the pen.
    fn push_synthetic(&mut self, c: char, (x, y): (f64, f64)) {
        self.push(c, Rect::new(x, y, x, y), 0.0, true);
    }

    /// Adds one drawn glyph: `trm` maps text space (without the font size)
    /// to user space, `width` is its advance in text space units of 1/1000
    /// em already divided by 1000, `spacing` the character (and word)
    /// spacing after it.
    fn glyph(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        s: &str,
    ) {
        if self.page.boxes.len() >= MAX_CHARS {
            return;
        }
        let (a, b, c, d) = (trm.m11, trm.m12, trm.m21, trm.m22);
        let origin = (trm.m31, trm.m32);
        let advance = (a * width * font_size, b * width * font_size);
        let up = (c * font_size, d * font_size);
        let size = up.0.hypot(up.1);
        let run = a.hypot(b) * font_size.signum();
        let pen_step = width * font_size + spacing;
        let end = (origin.0 + a * pen_step, origin.1 + b * pen_step);
        let values = [
            origin.0, origin.1, advance.0, advance.1, size, run, end.0, end.1,
        ];
        if !values.iter().all(|v| v.is_finite()) || !(0.5..=5000.0).contains(&size) || run == 0.0 {
            return;
        }
        let along = (a / run, b / run);
        let up_unit = (up.0 / size, up.1 / size);
        let chars: Vec<char> = s.chars().filter(|c| !c.is_control()).collect();
        let mut line = self.last.as_ref().map_or(origin, |last| last.line);
        if let Some(last) = &self.last
            && let Some(&first) = chars.first()
        {
            let (dx, dy) = (origin.0 - last.end.0, origin.1 - last.end.1);
            let forward = dx * last.along.0 + dy * last.along.1;
            let (lx, ly) = (origin.0 - last.line.0, origin.1 - last.line.1);
            let across = lx * last.up.0 + ly * last.up.1;
            let turned = along.0 * last.along.0 + along.1 * last.along.1 < 0.95;
            let em = last.size.max(size);
            let after_space = self.page.text.ends_with(char::is_whitespace);
            let pen = last.end;
            if turned || across.abs() > NEW_LINE * em {
                self.push_synthetic('\n', pen);
                line = origin;
            } else if (forward > WORD_GAP * size || forward < -em)
                && !after_space
                && !first.is_whitespace()
            {
                self.push_synthetic(' ', pen);
            }
        }
        let n = chars.len() as f64;
        for (i, &ch) in chars.iter().enumerate() {
            let (t0, t1) = (i as f64 / n, (i + 1) as f64 / n);
            let corner = |t: f64, s: f64| {
                (
                    origin.0 + t * advance.0 + s * up.0,
                    origin.1 + t * advance.1 + s * up.1,
                )
            };
            let corners = [
                corner(t0, -DESCENT),
                corner(t1, -DESCENT),
                corner(t0, ASCENT),
                corner(t1, ASCENT),
            ];
            if let Some(rect) = Rect::around(corners) {
                self.push(ch, rect, size, false);
            }
        }
        self.last = Some(Pen {
            end,
            line,
            along,
            up: up_unit,
            size,
        });
    }
}

impl pdf_extract::OutputDev for Builder<'_> {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        self.glyph(trm, width, spacing, font_size, char);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testpdf::{TestPdf, content, facts, fixture, raw_pdf, stream};
    use super::*;

    fn annotated() -> Vec<PageText> {
        page_texts(&fixture("annotated.pdf")).expect("reads")
    }

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    /// The char offsets of the first `needle` in the page's text.
    fn find(page: &PageText, needle: &str) -> (usize, usize) {
        let at = page
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {:?}", page.text));
        let start = page.text[..at].chars().count();
        (start, start + needle.chars().count())
    }

    #[test]
    fn every_page_has_its_sentences_and_one_box_per_char() {
        let pages = annotated();
        let facts = facts();
        assert_eq!(pages.len(), 2);
        for (i, page) in pages.iter().enumerate() {
            assert_eq!(page.number, i as u32 + 1);
            assert_eq!((page.width, page.height), (612.0, 792.0));
            assert_eq!(page.media_box, Rect::new(0.0, 0.0, 612.0, 792.0));
            assert_eq!(page.text.chars().count(), page.boxes.len());
            let lines: Vec<&str> = page.text.lines().collect();
            for sentence in facts["sentences"][page.number.to_string()]
                .as_array()
                .expect("sentences")
            {
                let sentence = sentence.as_str().expect("a string");
                assert!(lines.contains(&sentence), "{sentence:?} in {lines:?}");
            }
        }
        assert!(
            pages[0]
                .text
                .starts_with("Reading Annotated Papers\nThe quick")
        );
        assert!(pages[0].text.contains("naïve résumé"));
    }

    #[test]
    fn text_follows_the_drawing_order_column_by_column() {
        let pages = annotated();
        let text = &pages[1].text;
        assert!(
            text.contains("Left column third line ends it.\nRight column opens the second part."),
            "{text:?}"
        );
    }

    #[test]
    fn known_words_lie_where_reportlab_drew_them() {
        let pages = annotated();
        let facts = facts();
        let words = facts["words"].as_array().expect("words");
        assert!(words.len() >= 8);
        for w in words {
            let page = &pages[w["page"].as_u64().expect("page") as usize - 1];
            let text = w["text"].as_str().expect("text");
            let f = |key: &str| w[key].as_f64().expect(key);
            let (start, end) = find(page, text);
            let rects = page.rects(start, end);
            assert_eq!(rects.len(), 1, "{text:?}: {rects:?}");
            let r = rects[0];
            let (baseline, size) = (f("baseline"), f("size"));
            assert!(close(r.x0, f("x0"), 0.05), "{text:?}: {r:?}");
            assert!(close(r.x1, f("x1"), 0.05), "{text:?}: {r:?}");
            assert!(
                close(r.y0, baseline - DESCENT * size, 0.01),
                "{text:?}: {r:?}"
            );
            assert!(
                close(r.y1, baseline + ASCENT * size, 0.01),
                "{text:?}: {r:?}"
            );
        }
    }

    #[test]
    fn rects_are_merged_per_line() {
        let pages = annotated();
        let page = &pages[0];
        let (start, end) = find(page, "a sentence that runs across\na line break");
        let rects = page.rects(start, end);
        assert_eq!(rects.len(), 2, "{rects:?}");
        let facts = facts();
        let x = |word: &str, key: &str| {
            facts["words"]
                .as_array()
                .and_then(|ws| ws.iter().find(|w| w["text"] == word))
                .and_then(|w| w[key].as_f64())
                .expect("a recorded word")
        };
        assert!(close(rects[0].x0, x("a sentence", "x0"), 0.05));
        assert!(close(rects[0].x1, x("across", "x1"), 0.05));
        assert!(close(rects[1].x0, 72.0, 0.05));
        assert!(close(rects[1].x1, x("break", "x1"), 0.05));
        assert!(rects[0].y0 > rects[1].y1 - 1.0, "lines stack downwards");
        // Whitespace and newlines at the ends add nothing; an empty or
        // out-of-range span gives nothing.
        assert_eq!(page.rects(start - 1, end + 1), rects);
        assert!(page.rects(end, start).is_empty());
        assert!(page.rects(usize::MAX - 1, usize::MAX).is_empty());
        // The two columns' lines are never one rectangle.
        let page2 = &pages[1];
        let (start, end) = find(page2, "ends it.\nRight column");
        let rects = page2.rects(start, end);
        assert_eq!(rects.len(), 2, "{rects:?}");
        assert!(rects[0].x1 < 300.0 && rects[1].x0 >= 319.9, "{rects:?}");
    }

    #[test]
    fn newlines_are_synthetic_and_zero_size() {
        for page in annotated() {
            for (c, b) in page.text.chars().zip(&page.boxes) {
                if c == '\n' {
                    assert!(b.synthetic);
                    assert_eq!((b.rect.x0, b.rect.y0), (b.rect.x1, b.rect.y1));
                } else if !b.synthetic {
                    assert!(b.rect.y1 > b.rect.y0 && b.size > 0.0, "{c:?} {b:?}");
                }
            }
        }
    }

    #[test]
    fn rotated_text_is_kept_as_its_own_line_with_upright_boxes() {
        let pages = annotated();
        let facts = facts();
        let label = &facts["rotated"];
        let page = &pages[1];
        let text = label["text"].as_str().expect("text");
        assert!(page.text.contains(&format!("\n{text}")), "{:?}", page.text);
        let (start, end) = find(page, text);
        let rects = page.rects(start, end);
        assert_eq!(rects.len(), 1, "{rects:?}");
        let f = |key: &str| label[key].as_f64().expect(key);
        let r = rects[0];
        // Turned a quarter to the left: up the page from (x, y), the glyphs'
        // tops towards smaller x.
        assert!(
            close(r.y0, f("y"), 0.05) && close(r.y1, f("y") + f("length"), 0.05),
            "{r:?}"
        );
        assert!(close(r.x0, f("x") - ASCENT * f("size"), 0.01), "{r:?}");
        assert!(close(r.x1, f("x") + DESCENT * f("size"), 0.01), "{r:?}");
    }

    #[test]
    fn range_under_finds_the_covered_characters() {
        let pages = annotated();
        let page = &pages[0];
        let (start, end) = find(page, "brown fox");
        let mut quads = page.rects(start, end);
        assert_eq!(page.range_under(&quads), Some((start, end)));
        assert_eq!(page.quote_under(&quads), "brown fox");
        // A rectangle a little short of the glyphs' band still catches
        // them; one that misses every centre catches nothing.
        quads[0].y0 += 2.0;
        quads[0].y1 -= 2.0;
        assert_eq!(page.quote_under(&quads), "brown fox");
        let beside = Rect::new(400.0, 100.0, 500.0, 120.0);
        assert_eq!(page.range_under(&[beside]), None);
        assert_eq!(page.quote_under(&[beside]), "");
        assert_eq!(page.range_under(&[]), None);
        // Across a line break the quote folds the newline.
        let (start, end) = find(page, "runs across\na line");
        let quads = page.rects(start, end);
        assert_eq!(page.quote_under(&quads), "runs across a line");
    }

    #[test]
    fn gaps_drawn_as_moves_become_spaces_and_sub_and_superscripts_stay() {
        // Words placed with TJ offsets and Td moves instead of spaces, a
        // raised mark, a lowered index, then a new line.
        let ops = "BT /F1 10 Tf 72 700 Td [(Word)-400(gap)] TJ 5 Ts (2) Tj -2 Ts (i) Tj 0 Ts \
                   30 0 Td (moved) Tj 0 -14 Td (Next) Tj ET";
        let objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_string(),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>"
                .to_string(),
            stream(ops),
        ];
        let pages = page_texts(&raw_pdf(&objects, "")).expect("reads");
        let page = &pages[0];
        assert_eq!(page.text, "Word gap2i moved\nNext");
        assert_eq!((page.width, page.height), (300.0, 400.0));
        let synthetic: String = page
            .text
            .chars()
            .zip(&page.boxes)
            .filter(|(_, b)| b.synthetic)
            .map(|(c, _)| c)
            .collect();
        assert_eq!(synthetic, "  \n");
        let (start, end) = find(page, "gap2i moved");
        assert_eq!(page.rects(start, end).len(), 1, "one line stretch");
    }

    #[test]
    fn unreadable_and_encrypted_pdfs_are_errors() {
        let err = |bytes: &[u8]| page_texts(bytes).expect_err("an error").to_string();
        assert_eq!(err(b"not a pdf"), "unreadable PDF (no %PDF- header)");
        let bytes = fixture("plain.pdf");
        for keep in [bytes.len() / 2, bytes.len() / 5, 40, 9] {
            assert!(err(&bytes[..keep]).starts_with("unreadable PDF ("));
        }
        // Cut anywhere, the annotated file (the plain one and an update) is
        // read as far as it goes or refused, and never panics.
        let bytes = fixture("annotated.pdf");
        for keep in (0..bytes.len()).step_by(97) {
            if let Err(e) = page_texts(&bytes[..keep]) {
                assert!(e.to_string().starts_with("unreadable PDF ("), "{e}");
            }
        }
        let mut doc = lopdf::Document::load_mem(&fixture("plain.pdf")).expect("loads");
        let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: "secret",
            key_length: 128,
            permissions: lopdf::Permissions::all(),
        })
        .expect("encryption state");
        doc.encrypt(&state).expect("encrypts");
        let mut encrypted = Vec::new();
        doc.save_to(&mut encrypted).expect("saves");
        let message = err(&encrypted);
        assert!(message.starts_with("encrypted PDF: "), "{message}");
        assert_eq!(
            page_texts(&encrypted).map_err(|e| e.kind()).err(),
            Some("pdf")
        );
    }

    #[test]
    fn pages_pdf_extract_must_not_read_are_empty_and_the_others_read() {
        // Page 1 draws a form that draws itself; page 2 has no MediaBox.
        let lines = vec!["Still here on a page without a box.".to_string()];
        let objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [4 0 R 7 0 R] /Count 2 >>".to_string(),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources \
             << /Font << /F1 3 0 R >> /XObject << /X1 5 0 R >> >> /Contents 6 0 R >>"
                .to_string(),
            "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] \
             /Resources << /XObject << /X1 5 0 R >> >> /Length 8 >>\nstream\n/X1 Do Q\nendstream"
                .to_string(),
            stream(&format!("{}q /X1 Do Q\n", content(&lines))),
            "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> \
             /Contents 8 0 R >>"
                .to_string(),
            stream(&content(&lines)),
        ];
        let pages = page_texts(&raw_pdf(&objects, "")).expect("reads");
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].text, "");
        assert!(pages[0].boxes.is_empty());
        assert_eq!(pages[1].text, lines[0]);
        assert_eq!((pages[1].width, pages[1].height), (612.0, 792.0));
    }

    /// A 30-page paper of dense text is read quickly (the bound is loose
    /// for unoptimized test builds; optimized it takes a fraction of it).
    #[test]
    fn thirty_dense_pages_read_quickly() {
        let line = "Dense running text of a paper, set line after line in one column here.";
        let page = vec![line; 48].join("\n");
        let pages: Vec<&str> = vec![page.as_str(); 30];
        let bytes = TestPdf::new(&pages).bytes();
        let started = std::time::Instant::now();
        let read = page_texts(&bytes).expect("reads");
        let took = started.elapsed();
        assert_eq!(read.len(), 30);
        assert!(read.iter().all(|p| p.text.lines().count() == 48));
        assert!(took.as_secs_f64() < 10.0, "{took:?}");
        eprintln!("30 pages, {} chars each: {took:?}", read[0].boxes.len());
    }
}
