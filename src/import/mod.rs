//! Importers: turn input text into [`NewPaper`]s.
//!
//! [`decode`] checks that a file is text at all; [`parse`] detects the
//! format from the content and hands it to the right parser. Today that is
//! the papers listing (a copied trending-papers page); more formats plug in
//! here.

pub mod listing;
pub mod urls;

use crate::error::{Error, Result};
use crate::model::{NewPaper, Problem};

/// Papers found in one input plus what was wrong with it.
#[derive(Debug, Default)]
pub struct Parsed {
    pub papers: Vec<NewPaper>,
    pub problems: Vec<Problem>,
}

/// Decodes file bytes as UTF-8 text, refusing empty and binary files.
pub fn decode(bytes: &[u8], source: &str) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::Parse {
            location: format!("{source}:1"),
            message: "file is empty".into(),
        });
    }
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(binary(bytes, pos, source));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => Err(binary(bytes, e.valid_up_to(), source)),
    }
}

fn binary(bytes: &[u8], pos: usize, source: &str) -> Error {
    let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
    Error::Parse {
        location: format!("{source}:{line}"),
        message: format!("not a text file (binary data at byte {pos}); expected a papers listing"),
    }
}

/// Parses a text in the format its content shows. A text in which no paper
/// is found is an error.
pub fn parse(text: &str, source: &str) -> Result<Parsed> {
    let listing = listing::parse_listing(text, source);
    if listing.papers.is_empty() {
        let first = text.lines().position(|l| !l.trim().is_empty()).unwrap_or(0) + 1;
        return Err(Error::Parse {
            location: format!("{source}:{first}"),
            message: "no papers found (expected a listing: a title line, then its abstract)".into(),
        });
    }
    Ok(Parsed {
        papers: listing.papers,
        problems: listing.problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_empty_and_binary() {
        let e = decode(b"  \n\n", "x.txt").unwrap_err().to_string();
        assert_eq!(e, "x.txt:1: file is empty");
        let e = decode(b"abc\n\x00\x01", "x.bin").unwrap_err().to_string();
        assert!(e.starts_with("x.bin:2: not a text file"), "{e}");
        let e = decode(b"ok\n\xff\xfe", "y.bin").unwrap_err().to_string();
        assert!(e.starts_with("y.bin:2: not a text file"), "{e}");
    }

    #[test]
    fn no_papers_is_an_error() {
        let e = parse("hello\nworld\n", "n.txt").unwrap_err().to_string();
        assert!(e.starts_with("n.txt:1: no papers found"), "{e}");
    }
}
