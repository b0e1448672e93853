//! Safe names and paths. Every name or path that comes from a file, a front
//! matter, an import or the window passes through here before it touches
//! the file system.
//!
//! - [`key_file_stem`] turns a citekey (which may hold `/`, `:`, `..` or
//!   anything an imported file says) into a file name that is one plain
//!   component on every system: no separators, no leading dot, no control
//!   characters, no reserved device name, at most [`MAX_STEM_BYTES`]
//!   bytes. The mapping is percent-encoding, so it is stable and, below the
//!   length cap, reversible ([`key_from_file_stem`]); the paper file keeps
//!   the real key in its front matter either way.
//! - [`check_link`] refuses links that name a file outside the library
//!   (`attachments/../../x.pdf`, `/etc/passwd`, `file:` URLs).
//! - [`resolve_inside`] resolves a library-relative path for reading,
//!   following symbolic links, and refuses anything that ends up outside the
//!   library folder; [`ensure_dir_inside`] does the same for a folder about
//!   to be written into.
//!
//! ```
//! use lectern::paths::{key_file_stem, key_from_file_stem};
//! assert_eq!(key_file_stem("vaswaniAttentionAllYou2017"), "vaswaniAttentionAllYou2017");
//! assert_eq!(key_file_stem("baez/article"), "baez%2Farticle");
//! assert_eq!(key_file_stem("../../outside/pwned"), "%2E.%2F..%2Foutside%2Fpwned");
//! assert_eq!(key_from_file_stem("baez%2Farticle"), "baez/article");
//! ```

use std::path::{Component, Path, PathBuf};

/// The longest file stem [`key_file_stem`] makes, in bytes (well under the
/// 255-byte name limit of common file systems, leaving room for `.md`,
/// conflict-copy suffixes and clash numbers).
pub const MAX_STEM_BYTES: usize = 120;

/// Names Windows reserves for devices, with or without an extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    "conin$", "conout$",
];

/// Whether `c` stays as it is in a file name.
fn plain(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '-' | '_' | '.' | '+' | '=' | ',' | '@')
        || (!c.is_ascii() && c.is_alphanumeric())
}

fn escape(c: char, out: &mut String) {
    let mut buf = [0u8; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
}

/// The file stem (name without `.md`) for citekey `key`; see the module
/// documentation.
pub fn key_file_stem(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len());
    for (i, &c) in chars.iter().enumerate() {
        let first = i == 0;
        let last = i + 1 == chars.len();
        // A dot may not start a name (hidden files, `..`, our temporary
        // files) or end one (Windows drops it).
        let dot_ok = c == '.' && !first && !last;
        if (plain(c) && c != '.') || dot_ok {
            out.push(c);
        } else {
            escape(c, &mut out);
        }
    }
    if out.is_empty() {
        out.push_str("%00");
    }
    // Names the folder scan gives another meaning: conflict copies.
    for marker in [".conflict-", ".sync-conflict-"] {
        out = out.replace(marker, &format!("%2E{}", &marker[1..]));
    }
    let device = out.split('.').next().unwrap_or("").to_ascii_lowercase();
    if RESERVED.contains(&device.as_str()) {
        let mut rest = out.chars();
        let first = rest.next().unwrap_or('_');
        let mut escaped = String::new();
        escape(first, &mut escaped);
        out = escaped + rest.as_str();
    }
    if out.len() > MAX_STEM_BYTES {
        out = shortened(&out, key);
    }
    out
}

/// `stem` cut to fit, with a hash of the whole key so that long keys
/// sharing a beginning still get different names.
fn shortened(stem: &str, key: &str) -> String {
    let tag = &blake3::hash(key.as_bytes()).to_hex()[..10];
    let room = MAX_STEM_BYTES - tag.len() - 1;
    let mut cut = room;
    // Never split a character or a `%XX` escape.
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    if let Some(pct) = stem[..cut].rfind('%')
        && pct + 3 > cut
    {
        cut = pct;
    }
    let head = stem[..cut].trim_end_matches('.');
    format!("{head}-{tag}")
}

/// The citekey a stem made by [`key_file_stem`] stands for (percent escapes
/// decoded; anything else is kept as it is).
pub fn key_from_file_stem(stem: &str) -> String {
    let bytes = stem.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| stem.to_string())
}

/// A file name for a file that came from elsewhere (an attached PDF's own
/// name), made safe the way [`key_file_stem`] makes keys safe.
pub fn safe_file_name(name: &str) -> String {
    key_file_stem(name)
}

/// Why a library-relative path is refused, or `Ok` when it is a plain
/// relative path that stays inside the folder it starts in: forward
/// slashes, no `.` or `..` parts, not absolute, no control characters.
pub fn check_relative(rel: &str) -> Result<(), String> {
    if rel.is_empty() {
        return Err("empty path".into());
    }
    if rel.chars().any(|c| c.is_control()) {
        return Err(format!("path {rel:?} holds control characters"));
    }
    if rel.contains('\\') {
        return Err(format!("path {rel:?} uses backslashes"));
    }
    let path = Path::new(rel);
    for part in path.components() {
        match part {
            Component::Normal(_) => {}
            Component::ParentDir => {
                return Err(format!("path {rel:?} climbs out with `..`"));
            }
            _ => return Err(format!("path {rel:?} is not relative to the library")),
        }
    }
    if rel.split('/').any(|p| p.is_empty() || p == ".") {
        return Err(format!("path {rel:?} has an empty or `.` part"));
    }
    Ok(())
}

/// Whether a link is a web address rather than a path on this machine.
fn has_web_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && scheme.len() > 1
        && !scheme.eq_ignore_ascii_case("file")
}

/// Why a paper's link is refused, or `Ok`: web addresses pass; anything
/// else names a file and must be a [`check_relative`] path inside the
/// library (`attachments/<key>/paper.pdf`). `file:` URLs and absolute or
/// climbing paths are refused.
pub fn check_link(url: &str) -> Result<(), String> {
    let url = url.trim();
    if has_web_scheme(url) {
        return Ok(());
    }
    if url.len() >= 5 && url[..5].eq_ignore_ascii_case("file:") {
        return Err(format!(
            "link {url:?} points at a file outside the library; import the file to attach it"
        ));
    }
    check_relative(url)
        .map_err(|m| format!("link {m}; only files inside the library can be linked"))
}

/// Removes the links of an imported record that name a file outside the
/// library ([`check_link`]), one problem each at the record's source.
pub fn drop_unsafe_links(p: &mut crate::model::NewPaper) -> Vec<crate::model::Problem> {
    let mut problems = Vec::new();
    p.links.retain(|l| match check_link(&l.url) {
        Ok(()) => true,
        Err(message) => {
            problems.push(crate::model::Problem {
                location: p.source.clone(),
                message: format!("{message}; left out"),
            });
            false
        }
    });
    problems
}

/// The real path of library-relative `rel` for reading: symbolic links are
/// followed, and the result must still be inside `root`.
pub fn resolve_inside(root: &Path, rel: &str) -> Result<PathBuf, String> {
    check_relative(rel)?;
    let base = root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", root.display()))?;
    let real = root
        .join(rel)
        .canonicalize()
        .map_err(|e| format!("{rel}: {e}"))?;
    if real.starts_with(&base) {
        Ok(real)
    } else {
        Err(format!(
            "{rel} leads outside the library (to {}); not read",
            real.display()
        ))
    }
}

/// Refuses to write into `dir` (which exists) when it is, through symbolic
/// links, outside `root`.
pub fn ensure_dir_inside(root: &Path, dir: &Path) -> crate::Result<()> {
    let io = |p: &Path, e| crate::Error::io(p, e);
    let base = root.canonicalize().map_err(|e| io(root, e))?;
    let real = dir.canonicalize().map_err(|e| io(dir, e))?;
    if real.starts_with(&base) {
        Ok(())
    } else {
        Err(crate::Error::Invalid(format!(
            "{} leads outside the library (to {}); nothing was written there",
            dir.display(),
            real.display()
        )))
    }
}

/// What a directory entry is, without following a symbolic link that leads
/// outside `root`.
pub enum Entry {
    /// A regular file (or a link to one inside the library).
    File(std::fs::Metadata),
    /// A folder (not a link to one).
    Dir,
    /// A symbolic link that leads outside the library (or nowhere): not
    /// read; the message says why.
    Outside(String),
    /// Anything else (sockets, devices): ignored.
    Other,
}

/// Classifies `path` (inside `root`) for a folder walk.
pub fn entry(root: &Path, path: &Path) -> std::io::Result<Entry> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.is_file() {
        return Ok(Entry::File(meta));
    }
    if meta.is_dir() {
        return Ok(Entry::Dir);
    }
    if !meta.file_type().is_symlink() {
        return Ok(Entry::Other);
    }
    let rel = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    if let Err(e) = std::fs::metadata(path) {
        return Ok(Entry::Outside(format!(
            "{rel}: a symbolic link that leads nowhere ({e}); not read"
        )));
    }
    match resolve_inside(root, &rel) {
        Ok(real) => match std::fs::metadata(&real) {
            Ok(m) if m.is_file() => Ok(Entry::File(m)),
            _ => Ok(Entry::Other),
        },
        Err(message) => Ok(Entry::Outside(format!(
            "{message} (a symbolic link out of the library is not followed)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_keys_become_one_plain_component() {
        let keys = [
            "../../../../outside/pwned",
            "../../../../../../../../x",
            "..",
            ".",
            ".hidden",
            ".lectern-tmp-abc",
            "a/b",
            "a\\b",
            "C:drive",
            "tab\there",
            "nul\0byte",
            "CON",
            "aux.old",
            "com1",
            "ends.",
            "x.conflict-20260101T000000Z",
            "y.sync-conflict-1",
            "",
            "spaces in key",
            "émile2020",
            "我的论文",
            &"long".repeat(100),
        ];
        let mut seen = std::collections::HashSet::new();
        for key in keys {
            let stem = key_file_stem(key);
            assert!(!stem.is_empty(), "{key:?}");
            assert!(
                !stem.contains('/') && !stem.contains('\\'),
                "{key:?} → {stem}"
            );
            assert!(
                !stem.starts_with('.') && !stem.ends_with('.'),
                "{key:?} → {stem}"
            );
            assert!(!stem.chars().any(|c| c.is_control()), "{key:?} → {stem}");
            assert!(!stem.contains(':'), "{key:?} → {stem}");
            assert!(stem.len() <= MAX_STEM_BYTES, "{key:?} → {stem}");
            assert!(!stem.contains(".conflict-"), "{key:?} → {stem}");
            let device = stem.split('.').next().unwrap().to_ascii_lowercase();
            assert!(!RESERVED.contains(&device.as_str()), "{key:?} → {stem}");
            let name = format!("{stem}.md");
            assert_eq!(Path::new(&name).components().count(), 1, "{key:?}");
            assert!(seen.insert(stem.clone()), "two keys share {stem}");
            if !key.is_empty() && stem.len() < MAX_STEM_BYTES - 11 {
                assert_eq!(key_from_file_stem(&stem), key, "round trip of {key:?}");
            }
        }
    }

    #[test]
    fn ordinary_keys_are_unchanged() {
        for key in [
            "vaswaniAttentionAllYou2017",
            "smith-2020_b",
            "pointerNetworksa",
            "v1.2",
        ] {
            assert_eq!(key_file_stem(key), key);
        }
        assert_eq!(key_file_stem("a%b"), "a%25b");
        assert_eq!(key_from_file_stem("a%25b"), "a%b");
    }

    #[test]
    fn long_keys_that_share_a_start_differ() {
        let a = format!("{}a", "x".repeat(300));
        let b = format!("{}b", "x".repeat(300));
        assert_ne!(key_file_stem(&a), key_file_stem(&b));
        assert_eq!(key_file_stem(&a), key_file_stem(&a));
        // Escapes are never cut in half.
        let c = "é/".repeat(100);
        let stem = key_file_stem(&c);
        assert!(stem.len() <= MAX_STEM_BYTES);
        let head = stem.rsplit_once('-').unwrap().0;
        assert!(c.starts_with(&key_from_file_stem(head)), "{stem}");
    }

    #[test]
    fn links() {
        assert!(check_link("https://arxiv.org/pdf/1706.03762").is_ok());
        assert!(check_link("doi:10.1/x").is_ok());
        assert!(check_link("attachments/key/paper.pdf").is_ok());
        for bad in [
            "attachments/../../../elsewhere/f.pdf",
            "/etc/passwd",
            "file:///etc/passwd",
            "FILE:/x",
            "C:\\Users\\x.pdf",
            "a//b",
            "./x",
            "x\u{7}",
        ] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reading_follows_links_only_inside() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("attachments/k")).unwrap();
        std::fs::write(root.join("attachments/k/a.pdf"), "inside").unwrap();
        std::fs::write(outside.path().join("secret"), "outside").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            root.join("attachments/k/b.pdf"),
        )
        .unwrap();
        std::os::unix::fs::symlink(
            root.join("attachments/k/a.pdf"),
            root.join("attachments/k/c.pdf"),
        )
        .unwrap();
        assert!(resolve_inside(root, "attachments/k/a.pdf").is_ok());
        assert!(resolve_inside(root, "attachments/k/c.pdf").is_ok());
        let refused = resolve_inside(root, "attachments/k/b.pdf").unwrap_err();
        assert!(refused.contains("outside the library"), "{refused}");
        assert!(resolve_inside(root, "attachments/../../x").is_err());
        assert!(matches!(
            entry(root, &root.join("attachments/k/b.pdf")).unwrap(),
            Entry::Outside(_)
        ));
        assert!(matches!(
            entry(root, &root.join("attachments/k/c.pdf")).unwrap(),
            Entry::File(_)
        ));
        std::os::unix::fs::symlink(outside.path(), root.join("attachments/out")).unwrap();
        assert!(ensure_dir_inside(root, &root.join("attachments/out")).is_err());
        assert!(ensure_dir_inside(root, &root.join("attachments/k")).is_ok());
    }
}
