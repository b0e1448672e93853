//! Deciding whether a record a source returned is the paper asked about.
//!
//! Titles are compared in a form that survives how sources write them:
//! LaTeX markup (`$\alpha$`, `\textbf{…}`, `{B}ERT`), Greek letters written
//! out or as Unicode, accents, punctuation, hyphens and case
//! ([`match_form`]). Two titles agree when that form is the same, or when
//! they differ by a few characters only ([`similarity`] ≥ [`ACCEPT`]): a
//! missing article, a British spelling; a different word or number is a
//! different paper. A candidate must also agree
//! with the authors and year the paper already has ([`agrees`]).

use crate::text::normalize_title;

/// The least [`similarity`] at which two titles are taken for the same.
pub const ACCEPT: f64 = 0.96;

/// Greek letters as LaTeX names them; a title may carry either form.
const GREEK: &[(char, &str)] = &[
    ('α', "alpha"),
    ('β', "beta"),
    ('γ', "gamma"),
    ('δ', "delta"),
    ('ε', "epsilon"),
    ('ζ', "zeta"),
    ('η', "eta"),
    ('θ', "theta"),
    ('ι', "iota"),
    ('κ', "kappa"),
    ('λ', "lambda"),
    ('μ', "mu"),
    ('ν', "nu"),
    ('ξ', "xi"),
    ('π', "pi"),
    ('ρ', "rho"),
    ('σ', "sigma"),
    ('τ', "tau"),
    ('υ', "upsilon"),
    ('φ', "phi"),
    ('χ', "chi"),
    ('ψ', "psi"),
    ('ω', "omega"),
    ('Γ', "gamma"),
    ('Δ', "delta"),
    ('Θ', "theta"),
    ('Λ', "lambda"),
    ('Π', "pi"),
    ('Σ', "sigma"),
    ('Φ', "phi"),
    ('Ψ', "psi"),
    ('Ω', "omega"),
];

/// The form titles are compared in: LaTeX commands reduced to their
/// content (Greek letters to their names), Greek letters named, then
/// [`normalize_title`] (ASCII-folded, lowercase, punctuation dropped).
pub fn match_form(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 8);
    let mut chars = title.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                // A Greek letter keeps its name; formatting commands
                // (`\textbf`, `\mathcal`, `\emph`) leave only their
                // argument; an escaped character (`\&`) stays.
                if GREEK.iter().any(|(_, g)| name.eq_ignore_ascii_case(g)) {
                    out.push(' ');
                    out.push_str(&name.to_ascii_lowercase());
                    out.push(' ');
                } else if name.is_empty() {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else {
                    out.push(' ');
                }
            }
            '$' | '{' | '}' => {}
            c => match GREEK.iter().find(|(g, _)| *g == c) {
                Some((_, name)) => {
                    out.push(' ');
                    out.push_str(name);
                    out.push(' ');
                }
                None => out.push(c),
            },
        }
    }
    normalize_title(&out)
}

/// How alike two titles are, from 0 to 1: one minus the edit distance
/// between their [`match_form`]s with spaces taken out ("pre-trained" and
/// "pretrained" are one word written two ways) over the longer one's
/// length. Titles whose numbers differ ("V2" and "V3", "2023" and "2024")
/// are different papers however close the rest is.
pub fn similarity(a: &str, b: &str) -> f64 {
    form_similarity(&match_form(a), &match_form(b))
}

/// [`similarity`] of two titles already in [`match_form`].
pub fn form_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return if a.is_empty() { 0.0 } else { 1.0 };
    }
    let numbers = |s: &str| -> Vec<String> {
        s.split(' ')
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
            .map(str::to_string)
            .collect()
    };
    if numbers(a) != numbers(b) {
        return 0.0;
    }
    let ca: Vec<char> = a.chars().filter(|c| *c != ' ').collect();
    let cb: Vec<char> = b.chars().filter(|c| *c != ' ').collect();
    likeness(&ca, &cb)
}

/// One minus the edit distance over the longer sequence's length.
fn likeness<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    // Lengths too far apart cannot reach any useful likeness.
    if a.len().abs_diff(b.len()) * 4 > longest {
        return 1.0 - a.len().abs_diff(b.len()) as f64 / longest as f64;
    }
    1.0 - levenshtein(a, b) as f64 / longest as f64
}

fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = if ca == cb {
                diag
            } else {
                1 + diag.min(up).min(row[j])
            };
            diag = up;
        }
    }
    row[b.len()]
}

/// A person's family name as sources write it, for comparing authors:
/// "Wang, Limin" and "Limin Wang" both give "wang".
pub fn family(name: &str) -> String {
    let name = name.trim();
    let family = match name.split_once(',') {
        Some((family, _)) => family,
        None => name.rsplit(' ').next().unwrap_or(name),
    };
    normalize_title(family)
}

/// Whether a candidate's authors and year agree with what the paper has:
/// with authors on both sides, the paper's first author's family name is
/// among the candidate's first five; with years on both sides, they are at
/// most one apart (a preprint and its published version).
pub fn agrees(
    paper_authors: &[String],
    paper_year: Option<i32>,
    authors: &[String],
    year: Option<i32>,
) -> bool {
    let authors_agree = match (paper_authors.first(), authors.is_empty()) {
        (Some(first), false) => {
            let f = family(first);
            f.is_empty() || authors.iter().take(5).any(|a| family(a) == f)
        }
        _ => true,
    };
    let years_agree = match (paper_year, year) {
        (Some(a), Some(b)) => (a - b).abs() <= 1,
        _ => true,
    };
    authors_agree && years_agree
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latex_greek_and_unicode_titles_meet_in_one_form() {
        assert_eq!(
            match_form("$\\alpha$-Fold: {B}ERT for \\textbf{Proteins}"),
            "alpha fold bert for proteins"
        );
        assert_eq!(
            match_form("α-Fold: BERT for Proteins"),
            "alpha fold bert for proteins"
        );
        assert_eq!(
            match_form("Café au lait\u{a0}— a study"),
            "cafe au lait a study"
        );
        assert_eq!(match_form("Learning \\& Reasoning"), "learning reasoning");
    }

    #[test]
    fn near_titles_are_similar_and_different_ones_are_not() {
        let a = "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking";
        assert_eq!(similarity(a, a), 1.0);
        assert!(
            similarity(
                a,
                "VideoMAE V2 - Scaling Video Masked Autoencoders with Dual Masking"
            ) >= ACCEPT
        );
        assert!(
            similarity(
                a,
                "VideoMAE: Masked Autoencoders are Data-Efficient Learners for Self-Supervised Video Pre-Training"
            ) < 0.75
        );
        assert!(similarity("", "") < ACCEPT);
    }

    #[test]
    fn every_sample_title_finds_itself_and_no_other() {
        let listing = include_str!("../../tests/fixtures/trending-papers.txt");
        let titles: Vec<String> = crate::import::parse(listing, "sample")
            .unwrap()
            .papers
            .into_iter()
            .map(|p| p.title)
            .collect();
        assert_eq!(titles.len(), 78);
        for (i, t) in titles.iter().enumerate() {
            // As other sources write the same title.
            let same = [
                t.to_uppercase(),
                t.replace(": ", " - "),
                format!("{t}."),
                t.replacen(' ', "  ", 1),
                format!("{{{t}}}"),
            ];
            for s in &same {
                assert!(similarity(t, s) >= ACCEPT, "{t} / {s}");
            }
            // Near misses: one word changed, a version bumped, every other
            // sample title.
            let words: Vec<&str> = t.split(' ').collect();
            let longest = words
                .iter()
                .enumerate()
                .max_by_key(|(_, w)| w.len())
                .map(|(i, _)| i)
                .unwrap_or(0);
            let mut swapped = words.clone();
            swapped[longest] = "Quantum";
            let swapped = swapped.join(" ");
            assert!(similarity(t, &swapped) < ACCEPT, "{t} / {swapped}");
            let bumped = format!("{t} 2");
            assert!(similarity(t, &bumped) < ACCEPT, "{t} / {bumped}");
            for (j, other) in titles.iter().enumerate() {
                if i != j {
                    assert!(similarity(t, other) < ACCEPT, "{t} / {other}");
                }
            }
        }
        assert!(similarity("VideoMAE V2: Scaling", "VideoMAE V3: Scaling") < ACCEPT);
    }

    #[test]
    fn families_compare_whatever_the_order_of_names() {
        assert_eq!(family("Wang, Limin"), "wang");
        assert_eq!(family("Limin Wang"), "wang");
        let ours = vec!["Wang, Limin".to_string()];
        assert!(agrees(
            &ours,
            Some(2023),
            &["Limin Wang".into(), "Bingkun Huang".into()],
            Some(2023)
        ));
        assert!(!agrees(
            &ours,
            Some(2023),
            &["Kaiming He".into()],
            Some(2023)
        ));
        assert!(!agrees(
            &ours,
            Some(2019),
            &["Limin Wang".into()],
            Some(2023)
        ));
        assert!(agrees(&[], None, &["Anyone".into()], Some(2001)));
    }
}
