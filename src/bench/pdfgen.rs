//! A minimal PDF writer for benchmarks: text pages in Helvetica with an
//! Info dictionary, enough for text extraction to read back.

/// Escapes a string for a PDF literal `( … )`.
fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// A PDF whose pages hold `pages` (each a list of lines), with `title` and
/// `author` in its Info dictionary.
pub fn pdf(title: &str, author: &str, pages: &[Vec<String>]) -> Vec<u8> {
    let columns: Vec<Vec<Vec<String>>> = pages.iter().map(|p| vec![p.clone()]).collect();
    pdf_in_columns(title, author, &columns)
}

/// `paragraphs` wrapped at `width` characters, with an empty line between
/// paragraphs.
pub fn wrap(paragraphs: &[String], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, para) in paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// A PDF of `paragraphs` set in `columns` columns (1 or 2) of
/// `lines_per_column` lines, as many pages as they take: the text flows
/// down the first column, then the second, then onto the next page.
pub fn flowed(
    title: &str,
    author: &str,
    paragraphs: &[String],
    columns: usize,
    lines_per_column: usize,
) -> Vec<u8> {
    let columns = columns.clamp(1, 2);
    let width = if columns == 1 { 95 } else { 46 };
    let lines = wrap(paragraphs, width);
    let per_column = lines_per_column.max(1);
    let cols: Vec<Vec<String>> = lines.chunks(per_column).map(<[String]>::to_vec).collect();
    let pages: Vec<Vec<Vec<String>>> = cols.chunks(columns).map(<[Vec<String>]>::to_vec).collect();
    pdf_in_columns(title, author, &pages)
}

/// The sentence [`moving_sentence_paper`] is about: set at 95 characters a
/// line it crosses a line break on page 2.
pub const MOVING_SENTENCE: &str = "Masked autoencoders scale to video when most of the tubes are hidden from the encoder during pretraining";

/// A four-page paper (40 lines a page) whose page 2 holds
/// [`MOVING_SENTENCE`] across a line break; with `new_version`, a paragraph
/// added on page 1 moves the sentence down. The highlight tests' paper.
pub fn moving_sentence_paper(new_version: bool) -> Vec<u8> {
    let filler = "Video understanding needs representations that transfer across datasets and tasks without labels.";
    let mut paras = vec!["A Generated Paper on Masked Video Pretraining".to_string()];
    if new_version {
        paras.push(format!(
            "An extra paragraph in the new version. {filler} {filler} {filler}"
        ));
    }
    for i in 0..19 {
        paras.push(format!("Section {i}. {filler}"));
    }
    paras.push(format!(
        "We study the recipe in detail and report that the effect is robust. {MOVING_SENTENCE}. Other work disagrees."
    ));
    for i in 0..30 {
        paras.push(format!("Closing {i}. {filler}"));
    }
    flowed(
        "A Generated Paper on Masked Video Pretraining",
        "Doe, Jane",
        &paras,
        1,
        40,
    )
}

/// A PDF whose pages hold columns of lines (the first column at the left
/// margin, a second one at the middle of the page).
pub fn pdf_in_columns(title: &str, author: &str, pages: &[Vec<Vec<String>>]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    // 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs.
    let n = pages.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    objects.push(format!(
        "<< /Title ({}) /Author ({}) >>",
        literal(title),
        literal(author)
    ));
    for (i, columns) in pages.iter().enumerate() {
        let mut content = String::new();
        for (c, lines) in columns.iter().enumerate() {
            content.push_str(&format!("BT /F1 10 Tf 12 TL {} 760 Td\n", 56 + 280 * c));
            for line in lines {
                content.push_str(&format!("({}) Tj T*\n", literal(line)));
            }
            content.push_str("ET\n");
        }
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            6 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extraction_reads_the_generated_text_back() {
        let pages = vec![
            vec![
                "A Generated Paper About Benchmarks".to_string(),
                "Abstract".into(),
                "We measure (things) here.".into(),
            ],
            vec!["1 Introduction".into(), "Second page words.".into()],
        ];
        let bytes = pdf("A Generated Paper About Benchmarks", "Doe, Jane", &pages);
        let read = crate::import::pdf::read_pdf(&bytes, "gen.pdf", "gen");
        assert_eq!(read.warning, None);
        assert_eq!(read.pages, 2);
        assert_eq!(read.paper.title, "A Generated Paper About Benchmarks");
        assert!(
            read.full_text.contains("Second page words."),
            "{}",
            read.full_text
        );
        assert!(read.full_text.contains("We measure (things) here."));
    }

    #[test]
    fn flowed_text_fills_columns_then_pages() {
        let paragraphs: Vec<String> = (0..40)
            .map(|i| format!("Paragraph {i} says something about masked autoencoders and scaling."))
            .collect();
        let lines = wrap(&paragraphs, 46);
        assert!(lines.iter().all(|l| l.len() <= 46), "{lines:?}");
        let bytes = flowed("Flowed", "Doe, Jane", &paragraphs, 2, 30);
        let read = crate::import::pdf::read_pdf(&bytes, "flowed.pdf", "flowed");
        assert_eq!(read.pages, lines.len().div_ceil(60));
        assert!(
            read.full_text.contains("Paragraph 39 says"),
            "{}",
            read.full_text
        );
    }
}
