//! Field values several importers store the same way: people's names,
//! page ranges and tags.
//!
//! - Names: [`family_given`] writes a person as `Family, Given`, or the one
//!   part there is.
//! - Pages: [`normalize_pages`] turns the dash of a range (`-`, `–`, `—`,
//!   with or without spaces around it) into `--`: `12 – 19` → `12--19`;
//!   a trailing dash stays one dash (`12-`).
//! - Tags: [`tag_word`] makes one word of a tag by joining its words with
//!   `-` (`Graph Neural Nets` → `Graph-Neural-Nets`), case kept;
//!   [`normalize_tag`] also lowercases it and drops a leading `#`
//!   (`#Deep Learning` → `deep-learning`). [`add_tag`] adds a tag once.

/// `Family, Given`; the family or given name alone when the other is
/// empty; `None` when both are.
pub(crate) fn family_given(family: &str, given: &str) -> Option<String> {
    match (family.is_empty(), given.is_empty()) {
        (true, true) => None,
        (false, true) => Some(family.to_string()),
        (true, false) => Some(given.to_string()),
        (false, false) => Some(format!("{family}, {given}")),
    }
}

/// Normalizes a page range's dash (`-`, `–`, `—`, with or without spaces)
/// to `--`.
pub(crate) fn normalize_pages(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        if matches!(c, '-' | '\u{2013}' | '\u{2014}') {
            dash = true;
            continue;
        }
        if c.is_whitespace() && (dash || out.ends_with(' ')) {
            continue;
        }
        if dash {
            let trimmed = out.trim_end().len();
            out.truncate(trimmed);
            out.push_str("--");
            dash = false;
        }
        out.push(c);
    }
    if dash {
        out.push('-');
    }
    out
}

/// A tag as one word: its words joined with `-`, case kept.
pub(crate) fn tag_word(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join("-")
}

/// A tag as one lowercase word: inner whitespace becomes `-`, a leading `#`
/// goes.
pub(crate) fn normalize_tag(raw: &str) -> Option<String> {
    let tag = tag_word(&raw.to_lowercase());
    let tag = tag.trim_start_matches('#');
    (!tag.is_empty()).then(|| tag.to_string())
}

/// Adds `tag` to `tags` unless it is empty or already there.
pub(crate) fn add_tag(tags: &mut Vec<String>, tag: String) {
    if !tag.is_empty() && !tags.contains(&tag) {
        tags.push(tag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_normalize_dashes() {
        assert_eq!(normalize_pages("12-19"), "12--19");
        assert_eq!(normalize_pages("12 \u{2013} 19"), "12--19");
        assert_eq!(normalize_pages("12--19"), "12--19");
        assert_eq!(normalize_pages("e1234"), "e1234");
        assert_eq!(normalize_pages("12-"), "12-");
    }

    #[test]
    fn tags_and_names() {
        assert_eq!(tag_word(" Graph  Neural Nets "), "Graph-Neural-Nets");
        assert_eq!(
            normalize_tag("#Deep Learning").as_deref(),
            Some("deep-learning")
        );
        assert_eq!(normalize_tag(" # "), None);
        let mut tags = vec!["a".to_string()];
        add_tag(&mut tags, "a".into());
        add_tag(&mut tags, String::new());
        add_tag(&mut tags, "b".into());
        assert_eq!(tags, ["a", "b"]);
        assert_eq!(family_given("Doe", "Jane").as_deref(), Some("Doe, Jane"));
        assert_eq!(family_given("", "Jane").as_deref(), Some("Jane"));
        assert_eq!(family_given("", ""), None);
    }
}
