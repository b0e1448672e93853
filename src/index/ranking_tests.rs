//! Tests of best-match ranking on a small index: the order of hits, what
//! each says it lacks, and the marked syntax (`+`, `-`, `OR`, phrases,
//! fields) combined with it.

use super::{IndexDoc, SearchIndex};

fn paper(id: &str, title: &str, abstract_text: &str) -> IndexDoc {
    IndexDoc {
        id: id.to_string(),
        title: title.to_string(),
        abstract_text: abstract_text.to_string(),
        status: "unread".to_string(),
        ..IndexDoc::default()
    }
}

fn index_of(papers: &[IndexDoc]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut index, _) = SearchIndex::open(&dir.path().join("index"), true).expect("open");
    for p in papers {
        index.add_new(p).expect("add");
    }
    index.commit().expect("commit");
    (dir, index)
}

/// Ids of the hits, best first, each with the words it lacks.
fn ranked(index: &SearchIndex, query: &str) -> Vec<(String, Vec<String>)> {
    let matches = index.matches(query, 20).expect("search");
    let ranks: Vec<usize> = (0..matches.scores().count()).collect();
    let coverage = matches.coverage(&ranks).expect("coverage");
    ranks
        .iter()
        .zip(coverage)
        .map(|(&rank, c)| (matches.id(rank).expect("id"), c.missing))
        .collect()
}

fn ids(hits: &[(String, Vec<String>)]) -> Vec<&str> {
    hits.iter().map(|(id, _)| id.as_str()).collect()
}

fn library() -> Vec<IndexDoc> {
    vec![
        paper(
            "gans",
            "Diffusion Models Beat GANs on Image Classification",
            "Diffusion models generate images; we classify with them.",
        ),
        paper(
            "lift3d",
            "Lift3D: Robotic Manipulation in 3D",
            "A robot policy lifts 2D features to 3D for manipulation.",
        ),
        paper(
            "both",
            "Policies for Manipulation",
            "A diffusion policy drives the robot arm.",
        ),
        paper(
            "pruning",
            "The Need for Speed: Pruning Transformers with One Recipe",
            "Pruning pre-trained transformer architectures without re-training.",
        ),
        paper(
            "unrelated",
            "Protein Folding at Scale",
            "We fold proteins with a language model.",
        ),
    ]
}

#[test]
fn papers_holding_every_word_come_before_those_holding_some() {
    let (_dir, index) = index_of(&library());
    let hits = ranked(&index, "diffusion robot");
    assert_eq!(hits[0], ("both".to_string(), vec![]), "{hits:?}");
    let rest = ids(&hits[1..]);
    assert!(
        rest.contains(&"gans") && rest.contains(&"lift3d"),
        "{hits:?}"
    );
    assert!(!rest.contains(&"unrelated"), "{hits:?}");
    let gans = hits.iter().find(|(id, _)| id == "gans").expect("gans");
    assert_eq!(gans.1, vec!["robot".to_string()]);
}

#[test]
fn a_title_match_ranks_above_an_abstract_match() {
    let (_dir, index) = index_of(&[
        paper(
            "in-abstract",
            "A Study of Arms",
            "We compare zebras and horses.",
        ),
        paper("in-title", "Zebras", "We compare stripes across animals."),
    ]);
    assert_eq!(
        ids(&ranked(&index, "zebras absent")),
        ["in-title", "in-abstract"]
    );
}

#[test]
fn nothing_matches_only_when_no_word_does() {
    let (_dir, index) = index_of(&library());
    assert!(ranked(&index, "quasar nebula").is_empty());
    let one = ranked(&index, "quasar nebula protein");
    assert_eq!(
        one,
        vec![(
            "unrelated".to_string(),
            vec!["quasar".to_string(), "nebula".to_string()]
        )]
    );
}

#[test]
fn plus_minus_or_and_phrases_stay_exact() {
    let (_dir, index) = index_of(&library());
    // +robot: only papers with robot, best match on the rest.
    let hits = ranked(&index, "+robot diffusion");
    assert_eq!(ids(&hits), ["both", "lift3d"], "{hits:?}");
    assert_eq!(hits[1].1, vec!["diffusion".to_string()]);
    // -robot excludes.
    let hits = ranked(&index, "diffusion manipulation -robot");
    assert_eq!(ids(&hits), ["gans"], "{hits:?}");
    // A phrase is required.
    let hits = ranked(&index, "\"diffusion policy\" robot images");
    assert_eq!(ids(&hits), ["both"], "{hits:?}");
    // `a OR b` counts as one word: either satisfies it.
    let hits = ranked(&index, "proteins OR robot diffusion");
    assert_eq!(hits[0], ("both".to_string(), vec![]), "{hits:?}");
    assert!(ids(&hits).contains(&"unrelated"), "{hits:?}");
    // Fields are required too; the words beside them rank by best match.
    let hits = ranked(&index, "title:manipulation diffusion robot");
    assert_eq!(ids(&hits), ["both", "lift3d"], "{hits:?}");
    // A field with one word keeps the word required (the window's sidebar
    // filters arrive as fields in front of what was typed).
    let hits = ranked(&index, "title:manipulation diffusion");
    assert_eq!(ids(&hits), ["both"], "{hits:?}");
}

#[test]
fn a_sentence_finds_its_paper_without_counting_stop_words() {
    let (_dir, index) = index_of(&library());
    let hits = ranked(
        &index,
        "papers about pruning transformers without retraining",
    );
    assert_eq!(hits[0].0, "pruning", "{hits:?}");
    // The stop words are neither matched nor missing.
    let matches = index
        .matches("papers about pruning transformers", 5)
        .expect("search");
    let coverage = matches.coverage(&[0]).expect("coverage").remove(0);
    assert_eq!(coverage.matched, ["pruning", "transformers"]);
    assert!(coverage.missing.is_empty());
}

#[test]
fn the_last_word_still_matches_as_a_prefix() {
    let (_dir, index) = index_of(&library());
    let hits = ranked(&index, "diffusion rob");
    assert_eq!(hits[0], ("both".to_string(), vec![]), "{hits:?}");
}

#[test]
fn the_quick_all_words_pass_and_the_full_pass_agree() {
    // With enough all-words papers the first pass answers alone; its
    // order must be the one the full best-match pass gives.
    let mut papers: Vec<IndexDoc> = (0..30)
        .map(|i| {
            paper(
                &format!("all{i:02}"),
                &format!("Diffusion robot study {i}"),
                &"diffusion robot ".repeat(i % 5 + 1),
            )
        })
        .collect();
    papers.push(paper("some", "Diffusion only", "diffusion diffusion"));
    let (_dir, index) = index_of(&papers);
    let quick = ranked(&index, "diffusion robot");
    assert_eq!(quick.len(), 20);
    assert!(quick.iter().all(|(_, missing)| missing.is_empty()));
    let full = index.matches("diffusion robot", 40).expect("search");
    let full_ids: Vec<String> = (0..20).map(|r| full.id(r).expect("id")).collect();
    assert_eq!(
        ids(&quick),
        full_ids.iter().map(String::as_str).collect::<Vec<_>>()
    );
}
