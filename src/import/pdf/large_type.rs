//! The title from the layout of page 1: the block of lines in the largest type
//! in the top part of the page that is clearly larger than the body text,
//! joined across line breaks; the next two sizes down when that is no title.

use super::abstract_text::{abstract_heading, is_section_stop};
use super::clean::fix_chars;
use super::layout::{Glyph, Layout};
use super::title::{EMAIL_RE, finish_title, is_header_line};
use crate::text::fold_whitespace as fold;

/// How much larger than the body text a title is set, at least.
const TITLE_SIZE_RATIO: f64 = 1.08;
/// The share of page 1, from the top, where the title is looked for.
const TITLE_AREA: f64 = 0.7;
/// The most lines a title takes; more lines in large type are not a title.
const MAX_TITLE_LINES: usize = 6;
/// A page 1 with fewer letters and digits than this is a title page.
const TITLE_PAGE_LETTERS: usize = 500;
/// The most lines in large type looked at on page 1.
const MAX_LARGE_LINES: usize = 200;

/// A line of page 1 in large type: the characters of one font size on one
/// baseline, with the smaller ones that sit on it (a subscript, the small
/// raised `A` of the LaTeX logo) but not raised footnote marks.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    /// The baseline, in points from the top of the page.
    y: f64,
    size: f64,
    text: String,
}

/// The title from the layout of page 1: the lines in the largest type
/// (clearly larger than the body text) in the top part of the page, joined
/// across line breaks. Lines in that type above the title that are headers
/// (a journal name, a label, a date) are skipped; the title ends where the
/// type changes, at a wide gap, or at an e-mail address, the abstract or a
/// section heading. When the largest type gives no title (a logo, single
/// letters, running text), the next two sizes down are tried.
pub(super) fn title_from_layout(layout: &Layout) -> Option<String> {
    let body = body_size(&layout.glyphs)?;
    let lines = large_lines(layout, body * TITLE_SIZE_RATIO);
    let mut sizes: Vec<f64> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(|a, b| b.total_cmp(a));
    sizes.dedup_by(|smaller, larger| *larger - *smaller <= 0.04 * *larger);
    for &size in sizes.iter().take(3) {
        let mut same: Vec<&Line> = lines
            .iter()
            .filter(|l| (l.size - size).abs() <= 0.04 * size)
            .collect();
        same.sort_by(|a, b| a.y.total_cmp(&b.y));
        let mut block: Vec<&Line> = Vec::new();
        for line in same {
            if let Some(last) = block.last()
                && !continues(layout, last, line)
            {
                if let Some(title) = block_title(&block) {
                    return Some(title);
                }
                block.clear();
            }
            block.push(line);
        }
        if let Some(title) = block_title(&block) {
            return Some(title);
        }
    }
    None
}

/// The font size most letters and digits of the page are set in (to half a
/// point), the smaller on a tie; `None` without text. On a title page with
/// little text where that is the largest size (the title itself), the most
/// common of the smaller sizes.
fn body_size(glyphs: &[Glyph]) -> Option<f64> {
    let mut counts: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for glyph in glyphs {
        if glyph.text.chars().any(char::is_alphanumeric) {
            // Sizes are finite and at most 500 (see `Layout::record`).
            *counts.entry((glyph.size * 2.0).round() as i64).or_default() += 1;
        }
    }
    let total: usize = counts.values().sum();
    let most_common = |limit: i64| {
        counts
            .iter()
            .filter(|&(&size, _)| size < limit)
            .max_by_key(|&(&size, &count)| (count, -size))
            .map(|(&size, _)| size)
    };
    let body = most_common(i64::MAX)?;
    let largest = counts.keys().copied().max().unwrap_or(body);
    if total < TITLE_PAGE_LETTERS && largest == body {
        let below = ((body as f64) / TITLE_SIZE_RATIO).floor() as i64;
        if let Some(smaller) = most_common(below + 1) {
            return Some(smaller as f64 / 2.0);
        }
    }
    Some(body as f64 / 2.0)
}

/// The lines of the top part of the page set in at least `min_size`.
fn large_lines(layout: &Layout, min_size: f64) -> Vec<Line> {
    let limit = if layout.height > 0.0 {
        layout.height * TITLE_AREA
    } else {
        f64::INFINITY
    };
    // Characters of one size (within 3%) on one baseline (within 30% of the
    // size, so the lowered `E` of the LaTeX logo stays on its line).
    let mut groups: Vec<(f64, f64, Vec<&Glyph>)> = Vec::new();
    for glyph in &layout.glyphs {
        if glyph.size < min_size || glyph.y > limit || glyph.y < -glyph.size {
            continue;
        }
        let found = groups.iter().position(|(y, size, _)| {
            (size - glyph.size).abs() <= 0.03 * size && (y - glyph.y).abs() <= 0.3 * size
        });
        match found {
            Some(i) => groups[i].2.push(glyph),
            None if groups.len() < MAX_LARGE_LINES => {
                groups.push((glyph.y, glyph.size, vec![glyph]));
            }
            None => {}
        }
    }
    groups
        .into_iter()
        .filter_map(|(y, size, mut members)| {
            let left = members.iter().map(|g| g.x).fold(f64::INFINITY, f64::min);
            let right = members
                .iter()
                .map(|g| g.x + g.advance)
                .fold(f64::NEG_INFINITY, f64::max);
            // Smaller characters on the line: from a little above the
            // baseline (the LaTeX logo's `A`) to subscripts below it; a
            // footnote mark is raised higher. Small capitals after the
            // line's last large letter go on while the gaps are narrow.
            let mut smaller: Vec<&Glyph> = layout
                .glyphs
                .iter()
                .filter(|g| {
                    g.size < 0.97 * size
                        && g.size >= 0.45 * size
                        && (-0.28 * size..=0.45 * size).contains(&(g.y - y))
                        && g.x >= left - 0.2 * size
                })
                .collect();
            smaller.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut reach = right;
            for glyph in smaller {
                if glyph.x > reach + 0.6 * size {
                    break;
                }
                reach = reach.max(glyph.x + glyph.advance.max(0.3 * glyph.size));
                members.push(glyph);
            }
            let text = line_text(members, size);
            text.chars()
                .any(char::is_alphabetic)
                .then_some(Line { y, size, text })
        })
        .collect()
}

/// The text of a line's characters, left to right, with a space where the
/// gap between two is wider than 15% of the size.
fn line_text(mut glyphs: Vec<&Glyph>, size: f64) -> String {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut text = String::new();
    let mut end: Option<f64> = None;
    for glyph in glyphs {
        if glyph.text.trim().is_empty() {
            text.push(' ');
            end = None;
            continue;
        }
        if end.is_some_and(|end| glyph.x - end > 0.15 * size) {
            text.push(' ');
        }
        text.push_str(&glyph.text);
        end = (glyph.advance > 0.0).then_some(glyph.x + glyph.advance);
    }
    fold(&fix_chars(&text))
}

/// Whether `next` (below `last`, in the same type) goes on the same block:
/// at most two sizes below it, with no other text between them.
fn continues(layout: &Layout, last: &Line, next: &Line) -> bool {
    let size = last.size;
    let (top, bottom) = (last.y + 0.5 * size, next.y - 0.75 * next.size);
    next.y - last.y <= 2.0 * size
        && !layout
            .glyphs
            .iter()
            .any(|g| g.y > top && g.y < bottom && g.text.chars().any(char::is_alphanumeric))
}

/// The title in one block of large-type lines, if it holds one.
fn block_title(block: &[&Line]) -> Option<String> {
    let mut block = block;
    // Headers in title type above the title. A line that only looks like one
    // and is set tight above the next (`Preprint Template for ASME` /
    // `Journal Papers`), or a single word followed by more lines (`Eraser:` /
    // `A Race Detector`), is the title's first line.
    while let Some(first) = block.first() {
        let text = first.text.as_str();
        let lowercase = text.chars().any(char::is_lowercase);
        let words = text.split_whitespace().count();
        let tight = block
            .get(1)
            .is_some_and(|next| next.y - first.y <= 1.5 * first.size);
        let opening = tight
            && lowercase
            && (words >= 2 || text.chars().filter(|c| c.is_alphabetic()).count() >= 3);
        if !is_header_line(text) || opening {
            break;
        }
        block = &block[1..];
    }
    let mut lines: Vec<&str> = block.iter().map(|l| l.text.as_str()).collect();
    if let Some(end) = lines
        .iter()
        .position(|l| EMAIL_RE.is_match(l) || abstract_heading(l).is_some() || is_section_stop(l))
    {
        lines.truncate(end);
    }
    if lines.is_empty() || lines.len() > MAX_TITLE_LINES {
        return None;
    }
    finish_title(&lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Characters of one font size laid out left to right from `x`, half a
    /// size wide each.
    fn run(text: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * 0.5 * size,
                y,
                size,
                advance: 0.5 * size,
                text: c.to_string(),
            })
            .collect()
    }

    fn layout(glyphs: Vec<Vec<Glyph>>) -> Layout {
        let mut glyphs: Vec<Glyph> = glyphs.into_iter().flatten().collect();
        for i in 0..30 {
            glyphs.extend(run(
                "body text of the paper set in ten points",
                72.0,
                300.0 + 12.0 * i as f64,
                10.0,
            ));
        }
        Layout {
            height: 792.0,
            top: 792.0,
            glyphs,
        }
    }

    #[test]
    fn large_type_keeps_subscripts_and_logos_but_not_footnote_marks() {
        // `Bounds for L` + subscript `p` + `Norms` + raised `*`; then a
        // line with the LaTeX logo: `L`, a small raised `A`, `T`, a lowered
        // `E`, `X`.
        let layout = layout(vec![
            run("Bounds for L", 72.0, 100.0, 18.0),
            run("p", 72.0 + 12.0 * 9.0, 103.0, 12.0),
            run(" Norms", 72.0 + 12.0 * 9.0 + 6.0, 100.0, 18.0),
            run("*", 72.0 + 12.0 * 9.0 + 6.0 + 6.0 * 9.0, 93.0, 10.0),
            run("in L", 72.0, 122.0, 18.0),
            run("A", 72.0 + 4.0 * 9.0 - 3.0, 118.0, 12.6),
            run("T", 72.0 + 4.0 * 9.0 + 4.0, 122.0, 18.0),
            run("E", 72.0 + 5.0 * 9.0 + 4.0, 126.0, 18.0),
            run("X", 72.0 + 6.0 * 9.0 + 4.0, 122.0, 18.0),
            run("Ann Lee and Bo Chen", 72.0, 150.0, 11.0),
        ]);
        assert_eq!(
            title_from_layout(&layout).as_deref(),
            Some("Bounds for Lp Norms in LATEX")
        );
    }

    #[test]
    fn large_type_far_apart_or_split_by_other_text_is_not_joined() {
        let layout_of = |second_y: f64, between: bool| {
            let mut parts = vec![
                run("A Study of Tracing", 72.0, 100.0, 18.0),
                run("Compilers on the Web", 72.0, second_y, 18.0),
            ];
            if between {
                parts.push(run("Ann Lee", 72.0, 110.0, 10.0));
            }
            title_from_layout(&layout(parts))
        };
        assert_eq!(
            layout_of(122.0, false).as_deref(),
            Some("A Study of Tracing Compilers on the Web")
        );
        assert_eq!(
            layout_of(200.0, false).as_deref(),
            Some("A Study of Tracing")
        );
        assert_eq!(
            layout_of(125.0, true).as_deref(),
            Some("A Study of Tracing")
        );
    }

    #[test]
    fn large_type_skips_headers_and_needs_larger_type() {
        // A header in title type set apart above the title.
        let layout_header = layout(vec![
            run("Journal of Tracing 12 (2009)", 72.0, 60.0, 18.0),
            run("Compilers on the Web", 72.0, 120.0, 18.0),
        ]);
        assert_eq!(
            title_from_layout(&layout_header).as_deref(),
            Some("Compilers on the Web")
        );
        // Everything in body type: no title from the layout.
        assert_eq!(title_from_layout(&layout(vec![])), None);
        // Single letters of a logo in huge type, then the title.
        let logo = layout(vec![
            run("W", 500.0, 40.0, 40.0),
            run("J", 500.0, 90.0, 40.0),
            run("Compilers on the Web", 72.0, 120.0, 18.0),
        ]);
        assert_eq!(
            title_from_layout(&logo).as_deref(),
            Some("Compilers on the Web")
        );
        assert_eq!(title_from_layout(&Layout::default()), None);
    }

    #[test]
    fn title_page_with_little_text_uses_the_smaller_type_as_body() {
        let layout = Layout {
            height: 792.0,
            top: 792.0,
            glyphs: [
                run("A Long Title Set Large", 72.0, 200.0, 20.0),
                run("On a Title Page Alone", 72.0, 224.0, 20.0),
                run("Ann Lee", 72.0, 300.0, 12.0),
            ]
            .concat(),
        };
        assert_eq!(
            title_from_layout(&layout).as_deref(),
            Some("A Long Title Set Large On a Title Page Alone")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::default())]

        #[test]
        fn arbitrary_layouts_never_panic(
            glyphs in proptest::collection::vec(
                (-1e4f64..1e4, -1e4f64..1e4, 1f64..500.0, 0f64..100.0, "\\PC{0,3}"),
                0..200,
            ),
        ) {
            let glyphs = glyphs
                .into_iter()
                .map(|(x, y, size, advance, text)| Glyph { x, y, size, advance, text })
                .collect();
            let layout = Layout { height: 792.0, top: 792.0, glyphs };
            let _ = title_from_layout(&layout);
        }
    }
}
