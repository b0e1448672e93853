//! The layout of page 1: where and how large each upright character is drawn,
//! recorded by a `pdf-extract` output device while the page's text is read.

/// The most characters of page 1 kept for the layout; the title is near the
/// top, and a page with more is not worth the memory.
const MAX_GLYPHS: usize = 50_000;

/// One character drawn upright on page 1, as `pdf-extract` decodes it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Glyph {
    /// Where the character starts, in points from the left.
    pub(super) x: f64,
    /// Its baseline, in points down from the top of the page.
    pub(super) y: f64,
    /// The font size it is drawn at, in points on the page.
    pub(super) size: f64,
    /// How far it advances the pen, in points; 0 when the font gives no
    /// width.
    pub(super) advance: f64,
    pub(super) text: String,
}

/// The characters of page 1 with where and how large they are drawn.
/// Rotated and mirrored text (the arXiv stamp in the margin) is left out.
#[derive(Debug, Default)]
pub(super) struct Layout {
    /// The height of the page in points; 0 when unknown.
    pub(super) height: f64,
    /// The top of the page in PDF user space.
    pub(super) top: f64,
    pub(super) glyphs: Vec<Glyph>,
}

impl Layout {
    /// Records one character from `pdf-extract`: `trm` is its text
    /// rendering matrix without the font size.
    fn record(&mut self, trm: &pdf_extract::Transform, width: f64, font_size: f64, text: &str) {
        if self.glyphs.len() >= MAX_GLYPHS || text.is_empty() {
            return;
        }
        let (a, b, c, d) = (trm.m11, trm.m12, trm.m21, trm.m22);
        let upright = a > 0.0 && d > 0.0 && b.abs() <= 0.05 * a && c.abs() <= 0.05 * d;
        let size = font_size.abs() * d;
        let advance = width * font_size.abs() * a;
        let (x, y) = (trm.m31, self.top - trm.m32);
        if !upright
            || ![size, advance, x, y].iter().all(|v| v.is_finite())
            || !(1.0..=500.0).contains(&size)
        {
            return;
        }
        self.glyphs.push(Glyph {
            x,
            y,
            size,
            advance: advance.max(0.0),
            text: text.to_string(),
        });
    }
}

/// A `pdf-extract` output that writes the plain text as usual and records
/// every character in a [`Layout`] on the side, so page 1 is read once.
pub(super) struct Recorder<'a> {
    pub(super) text: pdf_extract::PlainTextOutput<&'a mut String>,
    pub(super) layout: &'a mut Layout,
}

impl pdf_extract::OutputDev for Recorder<'_> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &pdf_extract::MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        let (low, high) = (media_box.lly, media_box.ury);
        if low.is_finite() && high.is_finite() {
            self.layout.top = high.max(low);
            self.layout.height = (high - low).abs();
        }
        self.text.begin_page(page_num, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_page()
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        self.layout.record(trm, width, font_size, char);
        self.text
            .output_character(trm, width, spacing, font_size, char)
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.begin_word()
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_word()
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.text.end_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_and_odd_characters_are_not_recorded() {
        let mut layout = Layout {
            height: 792.0,
            top: 792.0,
            glyphs: Vec::new(),
        };
        let upright = pdf_extract::Transform::row_major(1.0, 0.0, 0.0, 1.0, 72.0, 692.0);
        layout.record(&upright, 0.5, 12.0, "A");
        assert_eq!(
            layout.glyphs,
            [Glyph {
                x: 72.0,
                y: 100.0,
                size: 12.0,
                advance: 6.0,
                text: "A".into()
            }]
        );
        let rotated = pdf_extract::Transform::row_major(0.0, 1.0, -1.0, 0.0, 32.0, 220.0);
        let mirrored = pdf_extract::Transform::row_major(1.0, 0.0, 0.0, -1.0, 72.0, 692.0);
        let huge = pdf_extract::Transform::row_major(1e300, 0.0, 0.0, 1e300, 72.0, 692.0);
        layout.record(&rotated, 0.5, 12.0, "B");
        layout.record(&mirrored, 0.5, 12.0, "C");
        layout.record(&huge, 0.5, 12.0, "D");
        layout.record(&upright, 0.5, f64::NAN, "E");
        layout.record(&upright, 0.5, 12.0, "");
        assert_eq!(layout.glyphs.len(), 1);
    }
}
