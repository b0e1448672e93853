//! Importing and exporting reference formats through the real `lectern`
//! binary: detection, merging, round trips, identifiers and bad input.

mod common;

use std::path::PathBuf;

use common::Lib;
use serde_json::Value;

const BIB: &str = r#"@string{cvpr = {Conference on Computer Vision and Pattern Recognition}}

@inproceedings{he2022mae,
  author    = {He, Kaiming and Chen, Xinlei and Xie, Saining and Li, Yanghao and Doll{\'a}r, Piotr and Girshick, Ross},
  title     = {Masked Autoencoders Are Scalable Vision Learners},
  booktitle = cvpr,
  year      = {2022},
  pages     = {16000--16009},
  doi       = {10.1109/CVPR52688.2022.01553},
  keywords  = {self-supervised, vision},
  abstract  = {This paper shows that masked autoencoders (MAE) are scalable self-supervised learners for computer vision.},
  note      = {Read section 4 first.}
}

@article{tong2022videomae,
  author        = {Tong, Zhan and Song, Yibing and Wang, Jue and Wang, Limin},
  title         = {{VideoMAE}: Masked Autoencoders are Data-Efficient Learners for Self-Supervised Video Pre-Training},
  journal       = {Advances in Neural Information Processing Systems},
  year          = {2022},
  eprint        = {2203.12602},
  archivePrefix = {arXiv},
  url           = {https://github.com/MCG-NJU/VideoMAE}
}

@misc{who2020,
  author = {{World Health Organization}},
  title  = {Coronavirus disease ({COVID-19}) \& you: 100\% of the {FAQ}},
  year   = {2020},
  month  = jun
}
"#;

const RIS_SAME_MAE: &str = "TY  - CONF\r
AU  - He, Kaiming\r
AU  - Chen, Xinlei\r
TI  - Masked Autoencoders Are Scalable Vision Learners\r
PY  - 2022\r
DO  - https://doi.org/10.1109/CVPR52688.2022.01553\r
KW  - masked-image-modeling\r
UR  - https://github.com/facebookresearch/mae\r
ER  - \r
";

fn write(lib: &Lib, name: &str, text: &str) -> PathBuf {
    let path = lib.dir.path().join(name);
    std::fs::write(&path, text).expect("write fixture");
    path
}

fn paper(lib: &Lib, key: &str) -> Value {
    lib.json(&["show", key])
}

#[test]
fn bibtex_imports_people_keys_macros_and_latex() {
    let lib = Lib::new();
    let bib = write(&lib, "refs.bib", BIB);
    let report = lib.json(&["import", bib.to_str().unwrap()]);
    assert_eq!(report["added"], 3, "{report}");

    let mae = paper(&lib, "he2022mae");
    assert_eq!(mae["authors"][4], "Dollár, Piotr");
    assert_eq!(
        mae["venue"],
        "Conference on Computer Vision and Pattern Recognition"
    );
    // DOIs are case-insensitive; the library keeps them lowercase.
    assert_eq!(mae["doi"], "10.1109/cvpr52688.2022.01553");
    assert_eq!(
        mae["tags"],
        serde_json::json!(["self-supervised", "vision"])
    );
    assert_eq!(mae["notes"][0]["body"], "Read section 4 first.");
    assert_eq!(mae["entry_type"], "inproceedings");
    assert!(
        mae["extra"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f[0] == "pages" && f[1] == "16000--16009"),
        "{mae}"
    );

    let video = paper(&lib, "tong2022videomae");
    assert_eq!(video["arxiv"], "2203.12602");
    assert!(
        video["title"]
            .as_str()
            .unwrap()
            .starts_with("VideoMAE: Masked")
    );

    let who = paper(&lib, "who2020");
    assert_eq!(
        who["authors"],
        serde_json::json!(["World Health Organization"])
    );
    assert_eq!(
        who["title"],
        "Coronavirus disease (COVID-19) & you: 100% of the FAQ"
    );
    // The imported note and abstract are searchable.
    assert_eq!(
        lib.search_titles("section")[0],
        mae["title"].as_str().unwrap()
    );
}

#[test]
fn a_second_format_merges_and_reimport_changes_nothing() {
    let lib = Lib::new();
    let bib = write(&lib, "refs.bib", BIB);
    lib.ok(&["import", bib.to_str().unwrap()]);
    lib.ok(&["status", "he2022mae", "reading"]);
    lib.ok(&["tag", "he2022mae", "mine"]);

    let ris = write(&lib, "mae.ris", RIS_SAME_MAE);
    let report = lib.json(&["import", ris.to_str().unwrap()]);
    assert_eq!(report["added"], 0, "{report}");
    assert_eq!(report["merged"], 1, "{report}");
    assert_eq!(report["merges"][0]["citekey"], "he2022mae");
    assert!(
        report["merges"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("mae.ris:1")
    );

    let mae = paper(&lib, "he2022mae");
    assert_eq!(mae["status"], "reading", "user data untouched");
    let tags = mae["tags"].as_array().unwrap();
    assert!(tags.contains(&"mine".into()) && tags.contains(&"masked-image-modeling".into()));
    assert_eq!(mae["authors"].as_array().unwrap().len(), 6, "authors kept");
    assert!(
        mae["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["url"] == "https://github.com/facebookresearch/mae")
    );

    for file in [&bib, &ris] {
        let again = lib.json(&["import", file.to_str().unwrap()]);
        assert_eq!(again["added"], 0, "{again}");
        assert_eq!(again["merged"], 0, "{again}");
    }
    assert_eq!(lib.json(&["list"]).as_array().unwrap().len(), 3);
}

#[test]
fn same_title_different_first_author_is_not_a_duplicate() {
    let lib = Lib::new();
    let a = write(
        &lib,
        "a.bib",
        "@article{a, author = {Smith, Jane}, title = {A Survey of Graph Learning}, year = {2020}}\n",
    );
    let b = write(
        &lib,
        "b.bib",
        "@article{b, author = {Jones, Bob}, title = {A survey of graph learning}, year = {2021}}\n\
         @article{c, title = {A Survey of Graph Learning!}}\n",
    );
    lib.ok(&["import", a.to_str().unwrap()]);
    let report = lib.json(&["import", b.to_str().unwrap()]);
    assert_eq!(report["added"], 1, "{report}");
    // The author-less entry is not its own file's `b` (another key of the
    // same file); nothing contradicts `a`, so it joins `a` and its key
    // becomes an alias there.
    assert_eq!(report["merged"], 1, "{report}");
    assert_eq!(report["merges"][0]["citekey"], "a", "{report}");
    assert_eq!(report["merges"][0]["alias"], "c", "{report}");
    assert_eq!(report["merges"][0]["reason"], "same title", "{report}");
    assert_eq!(lib.json(&["show", "c"])["citekey"], "a");
    // Read again, every entry is found as what it became.
    let again = lib.json(&["import", b.to_str().unwrap()]);
    assert_eq!(
        (again["added"].as_u64(), again["merged"].as_u64()),
        (Some(0), Some(0)),
        "{again}"
    );
    assert_eq!(again["skipped"], 2, "{again}");
}

fn round_trip(export: &str, ext: &str) {
    let lib = Lib::new();
    let bib = write(&lib, "refs.bib", BIB);
    lib.ok(&["import", bib.to_str().unwrap()]);
    lib.ok(&["import", common::SEED]);
    let first = lib.ok(&["export", export]);
    assert!(first.contains("he2022mae"));

    let second_lib = Lib::new();
    let file = write(&second_lib, &format!("exported.{ext}"), &first);
    let report = second_lib.json(&["import", file.to_str().unwrap()]);
    assert_eq!(report["added"], 81, "{report}");
    let second = second_lib.ok(&["export", export]);
    assert_eq!(first, second, "{export} round trip changed the records");
}

#[test]
fn bibtex_round_trip_is_stable() {
    round_trip("bibtex", "bib");
}

#[test]
fn csl_json_round_trip_is_stable() {
    round_trip("csl-json", "json");
}

#[test]
fn export_to_a_file_and_of_a_query() {
    let lib = Lib::new();
    lib.ok(&["import", common::SEED]);
    let out = lib.dir.path().join("out.bib");
    lib.ok(&[
        "export",
        "bibtex",
        "--out",
        out.to_str().unwrap(),
        "--query",
        "masked autoencoder",
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let entries = text.matches("\n@").count() + usize::from(text.starts_with('@'));
    assert!((3..78).contains(&entries), "{entries} entries:\n{text}");
    assert!(text.contains("videomaeV2Scaling"));
    let json: Value =
        serde_json::from_str(&lib.ok(&["export", "csl-json", "--query", "videomae"])).unwrap();
    assert!(json.as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn identifiers_match_or_make_a_placeholder_that_fills_in() {
    let lib = Lib::new();
    let bib = write(&lib, "refs.bib", BIB);
    lib.ok(&["import", bib.to_str().unwrap()]);
    let report = lib.json(&[
        "import",
        "--id",
        "https://doi.org/10.1109/CVPR52688.2022.01553",
    ]);
    assert_eq!(
        (report["added"].as_u64(), report["merged"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(report["skipped"], 1);

    let report = lib.json(&["import", "--id", "arXiv:2303.16727v2"]);
    assert_eq!(report["added"], 1);
    let id = report["added_ids"][0].as_str().unwrap().to_string();
    assert_eq!(paper(&lib, &id)["title"], "arXiv:2303.16727");

    let ris = write(
        &lib,
        "video.ris",
        "TY  - JOUR\nTI  - VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking\nUR  - https://arxiv.org/abs/2303.16727\nER  - \n",
    );
    let report = lib.json(&["import", ris.to_str().unwrap()]);
    assert_eq!(report["merged"], 1, "{report}");
    assert!(
        paper(&lib, &id)["title"]
            .as_str()
            .unwrap()
            .starts_with("VideoMAE V2")
    );

    let err = lib.fails(&["import", "--id", "not-an-id"]);
    assert!(err.contains("not-an-id"), "{err}");
}

#[test]
fn a_bad_entry_is_reported_with_its_line_and_the_rest_import() {
    let lib = Lib::new();
    let bib = write(
        &lib,
        "broken.bib",
        "@article{good1, title = {First Good Paper}, year = {2020}}\n\n@article{bad, title = {Unclosed\n\n@article{good2, title = {Second Good Paper}, year = {2021}}\n",
    );
    let out = lib
        .cmd()
        .args(["import", bib.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.bib:3"), "{stderr}");
    let titles: Vec<String> = lib
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect();
    assert!(
        titles.contains(&"First Good Paper".to_string()),
        "{titles:?}"
    );
}

#[test]
fn a_file_with_no_entries_fails_and_changes_nothing() {
    let lib = Lib::new();
    lib.ok(&["import", common::SEED]);
    let good = write(&lib, "good.bib", BIB);
    let bad = write(&lib, "bad.json", "[{\"title\": \"x\", \"type\": ");
    let err = lib.fails(&["import", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert!(err.contains("bad.json:1"), "{err}");
    assert_eq!(lib.json(&["list"]).as_array().unwrap().len(), 78);
    let err = lib.fails(&["import", "--format", "ris", good.to_str().unwrap()]);
    assert!(err.contains("good.bib"), "{err}");
}

#[test]
fn markdown_wikilinks_become_relations() {
    let lib = Lib::new();
    let bib = write(&lib, "refs.bib", BIB);
    lib.ok(&["import", bib.to_str().unwrap()]);
    let md = write(
        &lib,
        "note.md",
        "---\ntitle: Notes on Video Pretraining\nauthors:\n  - Doe, Jane\ntags: [reading-group]\n---\n\nBuilds on [[he2022mae]] and [[tong2022videomae|VideoMAE]]; see also [[unknownKey]].\n",
    );
    let report = lib.json(&["import", md.to_str().unwrap()]);
    assert_eq!(report["added"], 1, "{report}");
    let id = report["added_ids"][0].as_str().unwrap().to_string();
    let p = paper(&lib, &id);
    let others: Vec<&str> = p["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["other_citekey"].as_str().unwrap())
        .collect();
    assert_eq!(others.len(), 2, "{p}");
    assert!(others.contains(&"he2022mae") && others.contains(&"tong2022videomae"));
    assert!(
        p["notes"][0]["body"]
            .as_str()
            .unwrap()
            .contains("[[he2022mae]]")
    );
}

#[test]
fn a_broken_pdf_imports_as_an_attachment_with_a_warning() {
    let lib = Lib::new();
    let pdf = write(
        &lib,
        "Broken Scan.pdf",
        "%PDF-1.4\n1 0 obj << /Type /Catalog",
    );
    let out = lib
        .cmd()
        .args(["--json", "import", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["added"], 1, "{report}");
    let warning = report["problems"][0]["message"].as_str().unwrap();
    assert!(warning.contains("PDF"), "{warning}");
    assert!(
        report["problems"][0]["location"]
            .as_str()
            .unwrap()
            .ends_with("Broken Scan.pdf:1")
    );
    let id = report["added_ids"][0].as_str().unwrap();
    let p = paper(&lib, id);
    assert_eq!(p["title"], "Broken Scan");
    let link = p["links"][0]["url"].as_str().unwrap();
    assert_eq!(p["links"][0]["kind"], "pdf");
    let copied = lib.root().join(link);
    assert_eq!(
        std::fs::read(&copied).unwrap(),
        std::fs::read(&pdf).unwrap()
    );
    assert!(link.starts_with("attachments/"), "{link}");

    // Importing the same file again changes nothing.
    let again = lib.json(&["import", pdf.to_str().unwrap()]);
    assert_eq!(
        (again["added"].as_u64(), again["merged"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn a_text_pdf_brings_its_metadata_and_searchable_full_text() {
    let fixture = common::fixture("formats/pdf-paper.pdf");
    let lib = Lib::new();
    let report = lib.json(&["import", fixture.to_str().unwrap()]);
    assert_eq!(report["added"], 1, "{report}");
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );
    let id = report["added_ids"][0].as_str().unwrap().to_string();
    let p = paper(&lib, &id);
    assert!(!p["title"].as_str().unwrap().is_empty());
    assert!(!p["abstract"].as_str().unwrap().is_empty(), "{p}");
    assert!(
        p["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["kind"] == "pdf")
    );
    // Words from the body (not the abstract) find the paper.
    let words = lib.json(&["search", "text:introduction"]);
    assert!(
        words
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["id"] == id.as_str()),
        "{words}"
    );
}

#[test]
fn real_world_bibtex_files_import_completely_and_round_trip() {
    for (name, entries) in [("gral", 83), ("polaritons", 38), ("libra", 35)] {
        let file = common::fixture(&format!("formats/third-party/{name}.bib"));
        let lib = Lib::new();
        let report = lib.json(&["import", file.to_str().unwrap()]);
        assert_eq!(report["added"], entries, "{name}: {report}");
        let first = lib.ok(&["export", "bibtex"]);
        let again = Lib::new();
        let exported = write(&again, "exported.bib", &first);
        let report = again.json(&["import", exported.to_str().unwrap()]);
        assert_eq!(report["added"], entries, "{name} re-import: {report}");
        assert_eq!(first, again.ok(&["export", "bibtex"]), "{name} round trip");
    }
    let broken = common::fixture("formats/third-party/incorrect_syntax.bib");
    let lib = Lib::new();
    let out = lib
        .cmd()
        .args(["import", broken.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("incorrect_syntax.bib:11"));
}

#[test]
fn a_pdf_that_makes_the_extractor_panic_gives_one_warning_line() {
    // Found by fuzzing: pdf-extract panics on this file.
    let fixture = common::fixture("formats/pdf-extract-panics.pdf");
    let lib = Lib::new();
    let out = lib
        .cmd()
        .args(["import", fixture.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("warning: "), "{stderr}");
}
