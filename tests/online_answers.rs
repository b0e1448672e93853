//! Lectern's readers of arXiv and Crossref answers on answers the real
//! services gave: the recordings that PyPI's `arxiv` (arXiv API Atom
//! feeds) and `habanero` (Crossref works) packages ship with their tests,
//! which `scripts/fetch-test-data` puts in the test-data cache. No network.

mod common;

use std::path::PathBuf;

use lectern::online::matching::{ACCEPT, similarity};
use lectern::online::sources;

fn answers(kind: &str) -> Vec<(String, String)> {
    let dir: PathBuf = common::test_data_dir().join("online").join(kind);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/fetch-test-data", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(e.path()).expect("read answer"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn real_arxiv_feeds_give_papers_with_ids_titles_authors_and_pdf_links() {
    let feeds = answers("arxiv");
    assert!(feeds.len() >= 10, "{} feeds", feeds.len());
    let mut papers = 0;
    for (name, body) in &feeds {
        match sources::arxiv_feed(body) {
            Ok(found) => {
                for c in found {
                    papers += 1;
                    let p = &c.paper;
                    assert!(p.arxiv.is_some(), "{name}: {p:?}");
                    assert!(
                        !p.title.is_empty() && !p.authors.is_empty(),
                        "{name}: {p:?}"
                    );
                    assert!(
                        p.year.is_some_and(|y| (1991..=2030).contains(&y)),
                        "{name}: {p:?}"
                    );
                    assert!(
                        c.pdf_url
                            .as_deref()
                            .is_some_and(|u| u.contains("arxiv.org/pdf/")),
                        "{name}"
                    );
                    // A title finds itself as another source would write it.
                    assert!(
                        similarity(&p.title, &p.title.to_uppercase()) >= ACCEPT,
                        "{}",
                        p.title
                    );
                }
            }
            // The API's way of saying an id is malformed: a failure named
            // as the source's, not a panic.
            Err(e) => assert!(e.to_string().contains("arxiv"), "{name}: {e}"),
        }
    }
    eprintln!("{papers} papers read from {} real arXiv feeds", feeds.len());
    assert!(papers >= 50, "only {papers} papers read");
    let one = feeds
        .iter()
        .find(|(n, _)| n.starts_with("id_1605.08386"))
        .expect("the 1605.08386 feed");
    let found = sources::arxiv_feed(&one.1).expect("parse");
    assert_eq!(found[0].paper.arxiv.as_deref(), Some("1605.08386"));
    assert_eq!(
        found[0].paper.title,
        "Heat-bath random walks with Markov bases"
    );
}

#[test]
fn real_crossref_answers_give_works_with_dois_titles_and_authors() {
    let bodies = answers("crossref");
    assert!(bodies.len() >= 5, "{} answers", bodies.len());
    let (mut works, mut with_authors) = (0, 0);
    for (name, body) in &bodies {
        let found = sources::crossref(body).unwrap_or_else(|e| panic!("{name}: {e}"));
        for c in found {
            works += 1;
            let p = &c.paper;
            assert!(
                p.doi.as_deref().is_some_and(|d| d.starts_with("10.")),
                "{name}: {p:?}"
            );
            assert!(!p.title.is_empty(), "{name}");
            with_authors += usize::from(!p.authors.is_empty());
            for a in &p.authors {
                assert!(!a.trim().is_empty() && !a.contains("null"), "{name}: {a:?}");
            }
        }
    }
    eprintln!(
        "{works} works ({with_authors} with authors) read from {} real Crossref answers",
        bodies.len()
    );
    assert!(works >= 20, "only {works} works read");
    assert!(
        with_authors * 2 >= works,
        "{with_authors} of {works} with authors"
    );
}
