//! Markdown export: one `<citekey>.md` per paper, a folder Obsidian opens as
//! a vault.
//!
//! A file is the library folder's paper file ([`super::paper_file`]: YAML
//! front matter, the title, the abstract, `## Highlights`, `## Related` and
//! `## Notes`), then an end marker:
//!
//! ```text
//! <!-- lectern:end 3f2a… Lectern rewrites the part above on export; write below this line. -->
//! ```
//!
//! Re-export rewrites the part above the marker and keeps everything below
//! it. The marker carries a hash of the part above as written; if the user
//! edited that part, the lines they changed or added are kept too: they are
//! moved below the marker under a dated heading, so an export never destroys
//! what the user wrote.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::Paper;
use crate::store;

const MARKER_PREFIX: &str = "<!-- lectern:end ";
const MARKER_TEXT: &str = "Lectern rewrites the part above on export; write below this line. -->";

/// What an export did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportReport {
    pub written: usize,
    pub unchanged: usize,
    /// Files whose generated part the user had edited; their edits were kept.
    pub kept_edits: Vec<String>,
}

/// Exports every paper of the store into `dir`, or only the papers `only`
/// names (ids, in that order).
pub fn export(conn: &Connection, dir: &Path, only: Option<&[String]>) -> Result<ExportReport> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "{}: export target is not a folder",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut report = ExportReport::default();
    let ids = match only {
        Some(ids) => ids.to_vec(),
        None => store::papers::all_ids(conn)?,
    };
    // Written in chunks through one durable batch each (bounded memory).
    for chunk in ids.chunks(2000) {
        export_chunk(conn, dir, chunk, &mut report)?;
    }
    Ok(report)
}

fn export_chunk(
    conn: &Connection,
    dir: &Path,
    ids: &[String],
    report: &mut ExportReport,
) -> Result<()> {
    let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
    for id in ids {
        let paper = store::papers::load(conn, id)?;
        let file = dir.join(format!(
            "{}.md",
            crate::paths::key_file_stem(&paper.citekey)
        ));
        let generated = render(&paper);
        let old = match std::fs::read_to_string(&file) {
            Ok(s) => Some(s),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&file, e)),
        };
        let (content, kept) = merge(&generated, old.as_deref());
        if old.as_deref() == Some(content.as_str()) {
            report.unchanged += 1;
            continue;
        }
        report.written += 1;
        if kept {
            report.kept_edits.push(file.display().to_string());
        }
        files.push((file, content));
    }
    let refs: Vec<(&Path, &[u8])> = files
        .iter()
        .map(|(p, c)| (p.as_path(), c.as_bytes()))
        .collect();
    crate::fsutil::write_many(&refs)
}

fn hash(s: &str) -> String {
    blake3::hash(s.as_bytes()).to_hex()[..16].to_string()
}

fn marker(generated: &str) -> String {
    format!("{MARKER_PREFIX}{} {MARKER_TEXT}\n", hash(generated))
}

/// Combines a freshly generated part with the file already on disk.
/// Returns the new content and whether user edits to the generated part had
/// to be kept below the marker.
pub fn merge(generated: &str, old: Option<&str>) -> (String, bool) {
    let mut out = String::with_capacity(generated.len() + 128);
    out.push_str(generated);
    out.push_str(&marker(generated));
    let Some(old) = old else {
        return (out, false);
    };
    // Find the marker line in the old file.
    let mut offset = 0;
    let mut split = None;
    for line in old.split_inclusive('\n') {
        if line.starts_with(MARKER_PREFIX) {
            split = Some((offset, offset + line.len(), line));
            break;
        }
        offset += line.len();
    }
    match split {
        Some((start, end, line)) => {
            let above = &old[..start];
            let below = &old[end..];
            let recorded = line[MARKER_PREFIX.len()..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            let mut kept = false;
            if recorded != hash(above) {
                // The user edited the generated part: keep every line of it
                // the new export does not already contain.
                let fresh: HashSet<&str> = generated.lines().collect();
                let edited: Vec<&str> = above
                    .lines()
                    .filter(|l| !l.trim().is_empty() && !fresh.contains(l))
                    .collect();
                if !edited.is_empty() {
                    kept = true;
                    let _ = writeln!(
                        out,
                        "\n## Kept from your edits ({})\n",
                        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
                    );
                    for l in edited {
                        out.push_str(l);
                        out.push('\n');
                    }
                }
            }
            out.push_str(below);
            (out, kept)
        }
        None => {
            // Not a file this exporter wrote (or its marker was removed):
            // keep all of it below the marker.
            out.push('\n');
            out.push_str(old);
            (out, !old.trim().is_empty())
        }
    }
}

/// The generated part of a paper's file (everything above the marker): the
/// library folder's paper file ([`super::paper_file::render`]).
pub fn render(p: &Paper) -> String {
    super::paper_file::render(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untouched_file_is_rewritten_and_user_part_kept() {
        let (first, kept) = merge("---\na: 1\n---\n\nText\n", None);
        assert!(!kept);
        let edited = format!("{first}\nMy own thoughts.\n");
        let (second, kept) = merge("---\na: 2\n---\n\nText\n", Some(&edited));
        assert!(!kept);
        assert!(second.starts_with("---\na: 2\n"));
        assert!(second.ends_with("\nMy own thoughts.\n"));
        assert_eq!(second.matches(MARKER_PREFIX).count(), 1);
    }

    #[test]
    fn edits_above_the_marker_are_kept() {
        let (first, _) = merge("---\na: 1\n---\n\nText\n", None);
        let edited = first.replace("Text\n", "Text I changed\n");
        let (second, kept) = merge("---\na: 1\n---\n\nText\n", Some(&edited));
        assert!(kept);
        assert!(second.contains("## Kept from your edits"));
        assert!(second.contains("Text I changed"));
        // Exporting again over the merged file changes nothing more.
        let (third, kept) = merge("---\na: 1\n---\n\nText\n", Some(&second));
        assert!(!kept);
        assert_eq!(third, second);
    }

    #[test]
    fn foreign_file_is_kept_whole() {
        let (out, kept) = merge("gen\n", Some("someone else's file\n"));
        assert!(kept);
        assert!(out.ends_with("someone else's file\n"));
    }
}
