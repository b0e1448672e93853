//! The search syntax, parsed into clauses; which words a query leaves out
//! (stop words).
//!
//! Bare words rank by best match; everything marked is exact: `+word` and
//! `"a phrase"` are required, `-word` excluded, `field:word` a required
//! field match, and `a OR b` one word that either spelling satisfies.

/// One parsed piece of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A word; `prefix` when it is the last word being typed.
    Word {
        field: Option<String>,
        text: String,
        prefix: bool,
    },
    Phrase {
        field: Option<String>,
        text: String,
    },
    Not(Box<Clause>),
    /// `+word`, `+"a phrase"`: must match.
    Required(Box<Clause>),
    /// `a OR b OR c`: any of them, counted as one word of the query.
    Any(Vec<Clause>),
}

impl Clause {
    /// The clause as the person typed it (without `+`), for "matched" and
    /// "missing" lists.
    pub fn typed(&self) -> String {
        match self {
            Clause::Word {
                field: Some(f),
                text,
                ..
            } => format!("{f}:{text}"),
            Clause::Word { text, .. } => text.clone(),
            Clause::Phrase {
                field: Some(f),
                text,
            } => format!("{f}:\"{text}\""),
            Clause::Phrase { text, .. } => format!("\"{text}\""),
            Clause::Not(inner) => format!("-{}", inner.typed()),
            Clause::Required(inner) => inner.typed(),
            Clause::Any(members) => members
                .iter()
                .map(Clause::typed)
                .collect::<Vec<_>>()
                .join(" OR "),
        }
    }

    /// A bare word (no field, no marks), the kind best match may leave
    /// unmatched.
    fn is_bare_word(&self) -> bool {
        matches!(self, Clause::Word { field: None, .. })
    }

    fn is_stop_word(&self) -> bool {
        match self {
            Clause::Word {
                field: None, text, ..
            } => is_stop_word(text),
            _ => false,
        }
    }
}

/// Splits a query string into clauses, joins `a OR b` groups and drops the
/// stop words of a query that has other words.
pub fn parse(input: &str) -> Vec<Clause> {
    let mut clauses = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mark = chars[i];
        let marked =
            (mark == '-' || mark == '+') && i + 1 < chars.len() && !chars[i + 1].is_whitespace();
        if marked {
            i += 1;
        }
        let (clause, next) = one_clause(&chars, i, marked && mark == '-');
        i = next;
        clauses.push(match (marked, mark) {
            (true, '-') => Clause::Not(Box::new(clause)),
            (true, _) => Clause::Required(Box::new(clause)),
            _ => clause,
        });
    }
    drop_stop_words(join_alternatives(clauses))
}

/// The clause starting at `i`: an optional `field:` and a word or a
/// quoted phrase. Returns it and where the next one starts.
fn one_clause(chars: &[char], mut i: usize, negated: bool) -> (Clause, usize) {
    let mut field = None;
    let start = i;
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_alphabetic() {
        j += 1;
    }
    if j > start && j < chars.len() && chars[j] == ':' && j + 1 < chars.len() {
        let name: String = chars[start..j].iter().collect::<String>().to_lowercase();
        if FIELD_NAMES.contains(&name.as_str()) {
            field = Some(name);
            i = j + 1;
        }
    }
    if i < chars.len() && chars[i] == '"' {
        let end = chars[i + 1..]
            .iter()
            .position(|&c| c == '"')
            .map(|p| i + 1 + p)
            .unwrap_or(chars.len());
        let text: String = chars[i + 1..end].iter().collect();
        return (Clause::Phrase { field, text }, (end + 1).min(chars.len()));
    }
    let end = chars[i..]
        .iter()
        .position(|c| c.is_whitespace())
        .map(|p| i + p)
        .unwrap_or(chars.len());
    let text: String = chars[i..end].iter().collect();
    let prefix = end == chars.len() && !negated;
    (
        Clause::Word {
            field,
            text,
            prefix,
        },
        end,
    )
}

fn is_or(clause: &Clause) -> bool {
    matches!(clause, Clause::Word { field: None, text, .. } if text == "OR")
}

/// Turns `a OR b OR c` into one [`Clause::Any`]. An `OR` with nothing on
/// one side (being typed, or a stray one) is left out.
fn join_alternatives(clauses: Vec<Clause>) -> Vec<Clause> {
    let mut out: Vec<Clause> = Vec::with_capacity(clauses.len());
    let mut pending_or = false;
    for clause in clauses {
        if is_or(&clause) {
            pending_or = !out.is_empty();
            continue;
        }
        let joinable = |c: &Clause| !matches!(c, Clause::Not(_) | Clause::Required(_));
        if pending_or && joinable(&clause) && out.last().is_some_and(joinable) {
            let left = out.pop().unwrap_or_else(|| Clause::Any(Vec::new()));
            let mut members = match left {
                Clause::Any(members) => members,
                other => vec![other],
            };
            members.push(clause);
            out.push(Clause::Any(members));
        } else {
            out.push(clause);
        }
        pending_or = false;
    }
    out
}

/// Leaves out the stop words among the bare words, unless nothing but stop
/// words would remain (then the query is about them: "to be or").
fn drop_stop_words(clauses: Vec<Clause>) -> Vec<Clause> {
    let has_content = clauses
        .iter()
        .any(|c| !matches!(c, Clause::Not(_)) && !c.is_stop_word());
    if !has_content {
        return clauses;
    }
    clauses.into_iter().filter(|c| !c.is_stop_word()).collect()
}

/// Is this a clause that best match ranks by, rather than requires?
pub fn is_optional(clause: &Clause) -> bool {
    clause.is_bare_word() || matches!(clause, Clause::Any(_))
}

pub const FIELD_NAMES: &[&str] = &[
    "title",
    "author",
    "authors",
    "abstract",
    "note",
    "notes",
    "highlight",
    "annotation",
    "text",
    "fulltext",
    "tag",
    "tags",
    "status",
    "year",
];

/// Words that say nothing about which paper is meant: common English
/// function words, and the words people put around a description
/// ("papers about …").
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
    "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "one", "or", "our",
    "paper", "papers", "so", "some", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "using", "via", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "why", "will", "with", "without", "would", "you",
];

/// Is `word` (as typed) a stop word?
pub fn is_stop_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    STOP_WORDS.binary_search(&lower.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(field: Option<&str>, text: &str, prefix: bool) -> Clause {
        Clause::Word {
            field: field.map(str::to_string),
            text: text.to_string(),
            prefix,
        }
    }

    #[test]
    fn the_stop_word_list_is_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn parses() {
        assert_eq!(
            parse("video diffusion"),
            vec![word(None, "video", false), word(None, "diffusion", true)]
        );
        assert_eq!(parse("video "), vec![word(None, "video", false)]);
        assert_eq!(
            parse("title:\"masked auto\" -survey tag:to-read"),
            vec![
                Clause::Phrase {
                    field: Some("title".into()),
                    text: "masked auto".into()
                },
                Clause::Not(Box::new(word(None, "survey", false))),
                word(Some("tag"), "to-read", true),
            ]
        );
        assert_eq!(parse("foo:bar"), vec![word(None, "foo:bar", true)]);
        assert_eq!(
            parse("\"unterminated phrase"),
            vec![Clause::Phrase {
                field: None,
                text: "unterminated phrase".into()
            }]
        );
    }

    #[test]
    fn plus_requires_and_or_joins() {
        assert_eq!(
            parse("+robot diffusion"),
            vec![
                Clause::Required(Box::new(word(None, "robot", false))),
                word(None, "diffusion", true)
            ]
        );
        assert_eq!(
            parse("gan OR diffusion OR vae video"),
            vec![
                Clause::Any(vec![
                    word(None, "gan", false),
                    word(None, "diffusion", false),
                    word(None, "vae", false)
                ]),
                word(None, "video", true)
            ]
        );
        // An OR being typed, or standing alone, is left out; a lowercase
        // "or" is a stop word.
        assert_eq!(parse("gan OR"), vec![word(None, "gan", false)]);
        assert_eq!(parse("OR gan"), vec![word(None, "gan", true)]);
        assert_eq!(
            parse("gan or vae"),
            vec![word(None, "gan", false), word(None, "vae", true)]
        );
    }

    #[test]
    fn stop_words_go_unless_nothing_else_is_left() {
        assert_eq!(
            parse("papers about pruning transformers without retraining"),
            vec![
                word(None, "pruning", false),
                word(None, "transformers", false),
                word(None, "retraining", true)
            ]
        );
        assert_eq!(parse("to be or").len(), 3);
        // A stop word that is required or quoted stays.
        assert_eq!(parse("+the wall").len(), 2);
        assert_eq!(parse("\"the wall\"").len(), 1);
        assert_eq!(parse("the -wall").len(), 2);
    }

    #[test]
    fn typed_forms() {
        let typed: Vec<String> = parse("+robot \"masked auto\" title:video a OR b")
            .iter()
            .map(Clause::typed)
            .collect();
        assert_eq!(
            typed,
            vec!["robot", "\"masked auto\"", "title:video", "a OR b"]
        );
    }
}
