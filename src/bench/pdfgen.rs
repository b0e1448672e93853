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
    for (i, lines) in pages.iter().enumerate() {
        let mut content = String::from("BT /F1 10 Tf 12 TL 56 760 Td\n");
        for line in lines {
            content.push_str(&format!("({}) Tj T*\n", literal(line)));
        }
        content.push_str("ET");
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
}
