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

/// Reads and parses one file.
pub fn read_file(path: &std::path::Path) -> Result<Parsed> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let name = path.display().to_string();
    let text = decode(&bytes, &name)?;
    parse(&text, &name)
}

/// Reads and parses several files for one import, calling `progress(done,
/// total, path)` before each. A file that cannot be read or parsed becomes
/// a problem of the import, and the other files still count (the desktop's
/// drop-many-files case; the CLI instead refuses the whole import).
/// Returns `None` if `progress` asked to stop.
pub fn read_files_lenient(
    paths: &[std::path::PathBuf],
    progress: &mut dyn FnMut(usize, usize, &std::path::Path) -> bool,
) -> Option<Parsed> {
    let mut all = Parsed::default();
    for (done, path) in paths.iter().enumerate() {
        if !progress(done, paths.len(), path) {
            return None;
        }
        match read_file(path) {
            Ok(parsed) => {
                all.papers.extend(parsed.papers);
                all.problems.extend(parsed.problems);
            }
            Err(e) => all.problems.push(Problem {
                location: path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }
    Some(all)
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
    fn lenient_reading_reports_bad_files_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.txt");
        std::fs::write(
            &good,
            "A Good Title\n\nAn abstract long enough to be prose, with more words than a title has. It ends here.\n",
        )
        .unwrap();
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        let missing = dir.path().join("missing.txt");
        let paths = vec![empty.clone(), good, missing.clone()];
        let mut seen = Vec::new();
        let parsed = read_files_lenient(&paths, &mut |d, t, _| {
            seen.push((d, t));
            true
        })
        .unwrap();
        assert_eq!(seen, vec![(0, 3), (1, 3), (2, 3)]);
        assert_eq!(parsed.papers.len(), 1);
        assert_eq!(parsed.problems.len(), 2);
        assert!(parsed.problems[0].message.contains("file is empty"));
        assert_eq!(parsed.problems[1].location, missing.display().to_string());
        assert!(read_files_lenient(&paths, &mut |d, _, _| d < 1).is_none());
    }

    #[test]
    fn no_papers_is_an_error() {
        let e = parse("hello\nworld\n", "n.txt").unwrap_err().to_string();
        assert!(e.starts_with("n.txt:1: no papers found"), "{e}");
    }
}
