//! A generator of small, valid PDFs for the tests: text lines in Helvetica at
//! chosen sizes, an Info dictionary, a rotated arXiv stamp, an `/Encrypt`
//! entry. Also the fixtures other tools made (`tests/fixtures/pdf/`, see
//! `scripts/make-pdf-fixtures`).

/// A file of `tests/fixtures/pdf/`.
pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/pdf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// What `scripts/make-pdf-fixtures` knows about `annotated.pdf`: where it
/// drew words, its sentences, its annotations.
pub(crate) fn facts() -> serde_json::Value {
    serde_json::from_slice(&fixture("annotated.json")).expect("annotated.json is JSON")
}

/// Escapes a PDF literal string.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(c, '(' | ')' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A PDF literal string object.
pub(super) fn lit(s: &str) -> String {
    format!("({})", escape(s))
}

/// A PDF file from object bodies (object `i + 1` is `objects[i]`) and
/// extra trailer entries, with a correct xref table.
pub(super) fn raw_pdf(objects: &[String], trailer: &str) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        table.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.extend_from_slice(table.as_bytes());
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A page content stream: 11 pt Helvetica lines 14 pt apart from the
/// top left; an empty line leaves a gap. A line that starts with `#N `
/// is set in N pt with a leading of 1.2 N, and its text after a `^` is a
/// raised footnote mark in 0.6 N pt.
pub(super) fn content(lines: &[String]) -> String {
    let mut ops = String::from("BT\n/F1 11 Tf\n72 740 Td\n14 TL\n");
    for line in lines {
        if let Some((size, text)) = line
            .strip_prefix('#')
            .and_then(|l| l.split_once(' '))
            .and_then(|(n, text)| Some((n.parse::<f64>().ok()?, text)))
        {
            let (text, mark) = text.split_once('^').unwrap_or((text, ""));
            ops.push_str(&format!(
                "/F1 {size} Tf {} TL {} Tj ",
                size * 1.2,
                lit(text)
            ));
            if !mark.is_empty() {
                ops.push_str(&format!(
                    "/F1 {} Tf {} Ts {} Tj 0 Ts ",
                    size * 0.6,
                    size * 0.4,
                    lit(mark)
                ));
            }
            ops.push_str("T* /F1 11 Tf 14 TL\n");
            continue;
        }
        if !line.is_empty() {
            ops.push_str(&format!("{} Tj ", lit(line)));
        }
        ops.push_str("T*\n");
    }
    ops.push_str("ET\n");
    ops
}

pub(super) fn stream(data: &str) -> String {
    format!("<< /Length {} >>\nstream\n{data}\nendstream", data.len())
}

/// A minimal PDF: pages of text lines, an optional Info dictionary, an
/// optional arXiv stamp rotated in the left margin of page 1, and
/// optionally an `/Encrypt` trailer entry.
#[derive(Default)]
pub(super) struct TestPdf {
    pages: Vec<Vec<String>>,
    info: Vec<(&'static str, String)>,
    stamp: Option<String>,
    encrypt: bool,
}

impl TestPdf {
    /// One page per string, lines separated by `\n`.
    pub(super) fn new(pages: &[&str]) -> Self {
        TestPdf {
            pages: pages
                .iter()
                .map(|p| p.split('\n').map(str::to_string).collect())
                .collect(),
            ..TestPdf::default()
        }
    }

    /// An Info entry; `value` is a PDF object (use [`lit`]).
    pub(super) fn info(mut self, key: &'static str, value: String) -> Self {
        self.info.push((key, value));
        self
    }

    pub(super) fn stamp(mut self, stamp: &str) -> Self {
        self.stamp = Some(stamp.into());
        self
    }

    pub(super) fn encrypted(mut self) -> Self {
        self.encrypt = true;
        self
    }

    pub(super) fn bytes(&self) -> Vec<u8> {
        let n = self.pages.len();
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_string(),
        ];
        for (i, lines) in self.pages.iter().enumerate() {
            let mut ops = content(lines);
            if let (0, Some(stamp)) = (i, &self.stamp) {
                ops.push_str(&format!(
                    "BT\n/F1 20 Tf\n0 1 -1 0 32 220 Tm\n{} Tj\nET\n",
                    lit(stamp)
                ));
            }
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            ));
            objects.push(stream(&ops));
        }
        let mut trailer =
            "/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"
                .to_string();
        if !self.info.is_empty() {
            let entries: Vec<String> = self.info.iter().map(|(k, v)| format!("/{k} {v}")).collect();
            objects.push(format!("<< {} >>", entries.join(" ")));
            trailer.push_str(&format!(" /Info {} 0 R", objects.len()));
        }
        if self.encrypt {
            let hex = "ab".repeat(32);
            objects.push(format!(
                "<< /Filter /Standard /V 1 /R 2 /O <{hex}> /U <{hex}> /P -44 >>"
            ));
            trailer.push_str(&format!(" /Encrypt {} 0 R", objects.len()));
        }
        raw_pdf(&objects, &trailer)
    }
}
