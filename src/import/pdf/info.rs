//! The document Info dictionary: its entries decoded, and the fields of a paper
//! they give on their own (title when meaningful, authors, year, DOI, tags).

use lopdf::{Dictionary, Document};

use super::identifiers::{date_year, find_doi};
use super::title::{NAME_SEPARATORS_RE, meaningful_title};
use crate::model::NewPaper;
use crate::text::fold_whitespace as fold;

/// The Info dictionary entries Lectern uses, decoded and folded.
#[derive(Debug, Default)]
pub(super) struct Info {
    pub(super) title: Option<String>,
    pub(super) author: Option<String>,
    pub(super) subject: Option<String>,
    pub(super) keywords: Option<String>,
    pub(super) creation_date: Option<String>,
    pub(super) doi: Option<String>,
}

pub(super) fn read_info(doc: &Document) -> Info {
    let Some(dict) = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return Info::default();
    };
    let get = |key: &[u8]| info_string(doc, dict, key);
    Info {
        title: get(b"Title"),
        author: get(b"Author"),
        subject: get(b"Subject"),
        keywords: get(b"Keywords"),
        creation_date: get(b"CreationDate"),
        doi: get(b"doi").or_else(|| get(b"DOI")),
    }
}

/// A text string of the Info dictionary (PDFDocEncoding, UTF-16BE or UTF-8
/// with a byte order mark), folded; `None` when absent or blank.
fn info_string(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    let (_, object) = doc.dereference(dict.get(key).ok()?).ok()?;
    let text = lopdf::decode_text_string(object)
        .ok()
        .or_else(|| Some(String::from_utf8_lossy(object.as_str().ok()?).into_owned()))?;
    let text = fold(&text.replace(char::is_control, " "));
    (!text.is_empty()).then_some(text)
}

/// The fields the Info dictionary gives on its own.
pub(super) fn paper_from_info(info: &Info) -> NewPaper {
    NewPaper {
        title: info
            .title
            .as_deref()
            .filter(|t| meaningful_title(t))
            .map(str::to_string)
            .unwrap_or_default(),
        authors: info
            .author
            .as_deref()
            .map(split_authors)
            .unwrap_or_default(),
        year: info.creation_date.as_deref().and_then(date_year),
        doi: info
            .doi
            .as_deref()
            .and_then(find_doi)
            .or_else(|| info.subject.as_deref().and_then(find_doi)),
        tags: info.keywords.as_deref().map(split_tags).unwrap_or_default(),
        ..NewPaper::default()
    }
}

/// The Info `Author` split into people as `Family, Given`.
pub(super) fn split_authors(value: &str) -> Vec<String> {
    const JUNK: &[&str] = &[
        "administrator",
        "admin",
        "user",
        "owner",
        "unknown",
        "author",
        "authors",
        "anonymous",
        "default",
        "author name",
        "the author",
        "the authors",
        "your name",
    ];
    let mut authors: Vec<String> = Vec::new();
    for part in NAME_SEPARATORS_RE.split(value) {
        let name = fold(part.trim_matches(|c: char| c.is_whitespace() || "*∗†‡".contains(c)));
        let lower = name.to_lowercase();
        let username = !name.contains(' ') && !name.chars().any(char::is_uppercase);
        if name.is_empty()
            || !name.chars().any(char::is_alphabetic)
            || JUNK.contains(&lower.as_str())
            || username
        {
            continue;
        }
        let person = person(&name);
        if !authors.contains(&person) {
            authors.push(person);
        }
    }
    authors
}

/// `Given Family` → `Family, Given`, particles kept with the family name,
/// a suffix moved after the given names, organizations left alone.
fn person(name: &str) -> String {
    const PARTICLES: &[&str] = &[
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ten",
        "ter", "dos", "das", "do", "bin", "al", "st.",
    ];
    const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];
    const ORGANIZATION: &[&str] = &[
        "organization",
        "organisation",
        "institute",
        "university",
        "consortium",
        "collaboration",
        "committee",
        "association",
        "society",
        "foundation",
        "team",
        "group",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "corporation",
        "laboratory",
        "project",
    ];
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if words
        .iter()
        .any(|w| ORGANIZATION.contains(&w.to_lowercase().as_str()))
    {
        return name.to_string();
    }
    let suffix = match words.last() {
        Some(w) if words.len() > 2 && SUFFIXES.contains(&w.to_lowercase().as_str()) => words.pop(),
        _ => None,
    };
    if words.len() < 2 {
        return name.to_string();
    }
    let last = words.len() - 1;
    let start = (1..last)
        .find(|&i| PARTICLES.contains(&words[i]))
        .unwrap_or(last);
    let mut given = words[..start].join(" ");
    if let Some(suffix) = suffix {
        given.push(' ');
        given.push_str(suffix);
    }
    format!("{}, {given}", words[start..].join(" "))
}

/// The Info `Keywords` as tags.
fn split_tags(value: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for part in value.split([',', ';', '|', '·', '•']) {
        let tag = part
            .trim()
            .trim_end_matches('.')
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_are_split_and_turned_around() {
        assert_eq!(
            split_authors("Laurens van der Maaten & Geoffrey Hinton"),
            ["van der Maaten, Laurens", "Hinton, Geoffrey"]
        );
        assert_eq!(
            split_authors("A. Lee; Bo Chen, and Cy Diaz; World Health Organization"),
            [
                "Lee, A.",
                "Chen, Bo",
                "Diaz, Cy",
                "World Health Organization"
            ]
        );
        assert_eq!(
            split_authors("Martin Luther King Jr. and Plato"),
            ["King, Martin Luther Jr.", "Plato"]
        );
        assert_eq!(
            split_authors("Ann Lee* and Bo Chen†"),
            ["Lee, Ann", "Chen, Bo"]
        );
        assert!(split_authors("Administrator").is_empty());
        assert!(split_authors("jsmith").is_empty(), "a login name");
        assert!(split_authors(" ; , ").is_empty());
    }

    #[test]
    fn keywords_become_tags() {
        assert_eq!(
            split_tags("Deep Learning, deep learning; Computer  Vision. | GANs"),
            ["deep-learning", "computer-vision", "gans"]
        );
        assert!(split_tags(" , ;").is_empty());
    }
}
