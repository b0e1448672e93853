//! Duplicates are the same work, not the same title: what merges, what
//! stays apart, and how a merged-away key keeps working (`show`, BibTeX
//! export, `[[links]]`, the paper file, a library rebuilt from its folder).

mod common;

use std::path::{Path, PathBuf};

use common::Lib;

fn write(lib: &Lib, name: &str, text: &str) -> PathBuf {
    let path = lib.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn import(lib: &Lib, path: &Path) -> serde_json::Value {
    lib.json(&["import", path.to_str().unwrap()])
}

#[test]
fn a_preprint_and_its_publication_merge_and_the_old_key_keeps_working() {
    let lib = Lib::new();
    let pre = write(
        &lib,
        "preprints.bib",
        "@misc{lee2019sparse,\n  title = {Sparse Retrieval for Long Documents},\n  author = {Lee, Ann and Chen, Bo},\n  year = {2019},\n  eprint = {1901.00001},\n  archivePrefix = {arXiv}\n}\n",
    );
    let published = write(
        &lib,
        "journal.bib",
        "@article{Lee:2020:SRL,\n  title = {Sparse retrieval for long documents},\n  author = {Lee, Ann and Chen, Bo},\n  journal = {Journal of Retrieval},\n  volume = {12},\n  year = {2020},\n  doi = {10.1234/jr.2020.12}\n}\n",
    );
    assert_eq!(import(&lib, &pre)["added"], 1);
    let report = import(&lib, &published);
    assert_eq!(report["added"], 0, "{report}");
    assert_eq!(report["merged"], 1, "{report}");
    let merge = &report["merges"][0];
    assert_eq!(merge["citekey"], "lee2019sparse");
    assert_eq!(merge["alias"], "Lee:2020:SRL");
    let reason = merge["reason"].as_str().unwrap();
    assert!(reason.contains("preprint and publication"), "{reason}");
    // The human summary says what merged into what, and why.
    let text = lib.ok(&["import", published.to_str().unwrap()]);
    assert!(text.contains("1 already in the library"), "{text}");

    // The merged-away key works everywhere a key does.
    let shown = lib.json(&["show", "Lee:2020:SRL"]);
    assert_eq!(shown["citekey"], "lee2019sparse");
    assert_eq!(shown["doi"], "10.1234/jr.2020.12");
    assert_eq!(shown["arxiv"], "1901.00001");
    assert_eq!(shown["aliases"], serde_json::json!(["Lee:2020:SRL"]));
    assert!(
        lib.ok(&["show", "Lee:2020:SRL"])
            .contains("aliases: Lee:2020:SRL")
    );
    let bib = lib.ok(&["export", "bibtex"]);
    assert!(bib.contains("ids = {Lee:2020:SRL}"), "{bib}");
    // Export → import into a fresh library keeps the alias.
    let other = Lib::new();
    let exported = write(&other, "export.bib", &bib);
    other.json(&["import", exported.to_str().unwrap()]);
    assert_eq!(
        other.json(&["show", "Lee:2020:SRL"])["citekey"],
        "lee2019sparse"
    );

    // A `[[link]]` with the old key in a free-standing note finds the paper.
    let notes = lib.root().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("reading.md"),
        "Compare [[Lee:2020:SRL]] with zebrafishword.\n",
    )
    .unwrap();
    lib.ok(&["sync"]);
    assert_eq!(
        lib.search_titles("zebrafishword"),
        vec!["Sparse Retrieval for Long Documents".to_string()]
    );
    let err = lib.fails(&["link", "Lee:2020:SRL", "lee2019sparse"]);
    assert!(err.contains("to itself"), "{err}");

    // The paper file keeps the aliases, and a library rebuilt from its
    // folder has them again.
    let file = std::fs::read_to_string(lib.root().join("papers/lee2019sparse.md")).unwrap();
    assert!(file.contains("aliases:\n  - \"Lee:2020:SRL\""), "{file}");
    std::fs::remove_dir_all(lib.root().join(".lectern")).unwrap();
    assert_eq!(
        lib.json(&["show", "Lee:2020:SRL"])["citekey"],
        "lee2019sparse"
    );
}

#[test]
fn editorials_with_one_title_in_different_years_stay_apart() {
    let lib = Lib::new();
    let bib = write(
        &lib,
        "tugboat.bib",
        "@article{Beeton:1990:EC,\n  author = {Barbara Beeton},\n  title = {Editorial comments},\n  journal = {TUGboat},\n  volume = {11},\n  number = {1},\n  pages = {1--2},\n  year = {1990}\n}\n\n\
         @article{Beeton:1991:EC,\n  author = {Barbara Beeton},\n  title = {Editorial Comments},\n  journal = {TUGboat},\n  volume = {12},\n  number = {1},\n  pages = {3--4},\n  year = {1991}\n}\n\n\
         @article{Beeton:1991:ECa,\n  author = {Barbara Beeton},\n  title = {Editorial comments},\n  journal = {TUGboat},\n  volume = {12},\n  number = {2},\n  year = {1991}\n}\n",
    );
    let report = import(&lib, &bib);
    assert_eq!(report["added"], 3, "{report}");
    assert_eq!(report["merged"], 0, "{report}");
    // Importing the same file again changes nothing.
    let again = import(&lib, &bib);
    assert_eq!(
        (
            again["added"].as_u64(),
            again["merged"].as_u64(),
            again["skipped"].as_u64()
        ),
        (Some(0), Some(0), Some(3)),
        "{again}"
    );
    // They are listed as possible duplicates, with what tells them apart.
    let pairs = lib.json(&["duplicates"]);
    let pairs = pairs.as_array().unwrap();
    assert_eq!(pairs.len(), 3, "{pairs:?}");
    let reasons: Vec<&str> = pairs
        .iter()
        .map(|p| p["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("years differ")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("issue differs")),
        "{reasons:?}"
    );
}

#[test]
fn merging_by_hand_moves_everything_and_keeps_the_key() {
    let lib = Lib::new();
    let bib = write(
        &lib,
        "two.bib",
        "@article{keep2020, title = {A Study of Things}, author = {Roe, Jan}, year = {2020}}\n\
         @article{dup2020, title = {A Study of Things}, author = {Roe, Jan}, year = {2020}, doi = {10.5/things}, journal = {Things}}\n\
         @article{third, title = {Something Else}, year = {2021}}\n",
    );
    // Two keys of one file: kept apart, though the titles match.
    assert_eq!(import(&lib, &bib)["added"], 3);
    lib.ok(&[
        "note",
        "add",
        "dup2020",
        "--text",
        "My note on the duplicate.",
    ]);
    lib.ok(&["tag", "dup2020", "to-read"]);
    lib.ok(&["link", "third", "dup2020", "--kind", "extends"]);
    let merged = lib.json(&["merge", "keep2020", "dup2020"]);
    assert_eq!(merged["citekey"], "keep2020");
    assert_eq!(merged["doi"], "10.5/things");
    assert_eq!(merged["venue"], "Things");
    assert_eq!(merged["tags"], serde_json::json!(["to-read"]));
    assert_eq!(merged["notes"][0]["body"], "My note on the duplicate.");
    assert_eq!(merged["aliases"], serde_json::json!(["dup2020"]));
    assert_eq!(merged["relations"][0]["other_citekey"], "third");
    assert_eq!(lib.json(&["show", "dup2020"])["citekey"], "keep2020");
    assert_eq!(lib.json(&["list"]).as_array().unwrap().len(), 2);
    assert!(!lib.root().join("papers/dup2020.md").exists());
    // The other paper's file now links to the merged one.
    let third = std::fs::read_to_string(lib.root().join("papers/third.md")).unwrap();
    assert!(third.contains("[[keep2020]]"), "{third}");
    let err = lib.fails(&["merge", "keep2020", "dup2020"]);
    assert!(err.contains("into itself"), "{err}");
    assert!(
        lib.fails(&["merge", "keep2020", "nosuch"])
            .contains("nosuch")
    );
    lib.ok(&["sync", "--check"]);
}
