//! The CSL-JSON importer's tests: mapping, quirks, fixtures and fuzzing.

use proptest::prelude::*;

use super::*;
use crate::import::test_support::{extra, only_paper};
use crate::model::{LinkKind, NewPaper};

fn one(text: &str) -> NewPaper {
    only_paper(parse(text, "t.json"))
}

#[test]
fn sniffs_csl() {
    assert!(looks_like(r#"  [{"id": "a", "title": "T"}]"#));
    assert!(looks_like(r#"{"title": "T", "author": []}"#));
    assert!(!looks_like(r#"{"title": "T"}"#));
    assert!(!looks_like(r#"x [{"id": "a", "title": "T"}]"#));
    assert!(!looks_like("TY  - JOUR\n"));
    // The 4 KB window ends inside a multi-byte character without panicking.
    let long = format!("[{{\"id\": \"{}\"}}, {{\"title\": 1}}]", "é".repeat(3000));
    assert!(!looks_like(&long));
}

#[test]
fn maps_an_item() {
    let p = one(r#"[{"id": "maaten2008", "type": "article-journal",
            "title": "Visualizing  Data\nusing t-SNE",
            "author": [{"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
                       {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
                       {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
                       {"literal": "World Health Organization"}],
            "issued": {"date-parts": [[2008, 11, 3]]},
            "container-title": "Journal of Machine Learning Research",
            "volume": 9, "issue": "86", "page": "2579-2605", "publisher": "JMLR",
            "publisher-place": "Cambridge, MA", "ISSN": "1532-4435", "language": "en",
            "DOI": "https://doi.org/10.5555/abc", "URL": "https://jmlr.org/papers/v9/",
            "keyword": "t-SNE; Dimensionality reduction, visualization",
            "abstract": "One.\n\nTwo  lines\nhere.", "note": "  A note.  ",
            "editor": [{"family": "Doe", "given": "Jane"}],
            "accessed": {"date-parts": [["2024", "1", "5"]]},
            "title-short": "t-SNE", "translator": [{"family": "Roe", "given": "R."}]}]"#);
    assert_eq!(p.title, "Visualizing Data using t-SNE");
    assert_eq!(
        p.authors,
        [
            "van der Maaten, Laurens",
            "van Beethoven, Ludwig",
            "King, Martin Luther Jr.",
            "World Health Organization"
        ]
    );
    assert_eq!(p.year, Some(2008));
    assert_eq!(p.doi.as_deref(), Some("10.5555/abc"));
    assert_eq!(p.citekey.as_deref(), Some("maaten2008"));
    assert_eq!(p.entry_type.as_deref(), Some("article"));
    assert_eq!(
        p.venue.as_deref(),
        Some("Journal of Machine Learning Research")
    );
    assert_eq!(
        p.tags,
        ["t-sne", "dimensionality-reduction", "visualization"]
    );
    assert_eq!(p.abstract_text, "One.\n\nTwo lines here.");
    assert_eq!(p.note.as_deref(), Some("A note."));
    assert_eq!(p.links.len(), 1);
    assert_eq!(p.links[0].url, "https://jmlr.org/papers/v9/");
    assert_eq!(
        p.extra,
        [
            ("month", "11"),
            ("day", "3"),
            ("volume", "9"),
            ("number", "86"),
            ("pages", "2579--2605"),
            ("publisher", "JMLR"),
            ("address", "Cambridge, MA"),
            ("issn", "1532-4435"),
            ("language", "en"),
            ("editor", "Doe, Jane"),
            ("urldate", "2024-01-05"),
            ("csl_title-short", "t-SNE"),
            ("csl_translator", "Roe, R."),
        ]
        .map(|(n, v)| (n.to_string(), v.to_string()))
    );
}

#[test]
fn dates_in_every_shape() {
    let year = |issued: &str| {
        let p = one(&format!(r#"[{{"title": "T", "issued": {issued}}}]"#));
        (
            p.year,
            extra(&p, "month").map(str::to_string),
            extra(&p, "day").map(str::to_string),
        )
    };
    let ymd = |y, m: Option<&str>, d: Option<&str>| {
        (Some(y), m.map(str::to_string), d.map(str::to_string))
    };
    assert_eq!(
        year(r#"{"date-parts": [["2021", "06", "01"]]}"#),
        ymd(2021, Some("6"), Some("1"))
    );
    assert_eq!(
        year(r#"{"date-parts": [[2021.0, 13]]}"#),
        ymd(2021, None, None)
    );
    assert_eq!(
        year(r#"{"date-parts": [[2020], [2021]]}"#),
        ymd(2020, None, None)
    );
    assert_eq!(
        year(r#"{"raw": "2021-06-01"}"#),
        ymd(2021, Some("6"), Some("1"))
    );
    assert_eq!(year(r#"{"raw": "June 2021"}"#), ymd(2021, Some("6"), None));
    assert_eq!(year(r#"{"literal": "Spring 2019"}"#), ymd(2019, None, None));
    assert_eq!(year(r#"{"edtf": "2021-06"}"#), ymd(2021, Some("6"), None));
    assert_eq!(year(r#""2021-06-01""#), ymd(2021, Some("6"), Some("1")));
    assert_eq!(year(r#""2021?""#), ymd(2021, None, None));
    assert_eq!(year(r#""2021-21""#), ymd(2021, None, None));
    assert_eq!(year(r#""2021-06/2021-08""#), ymd(2021, Some("6"), None));
    assert_eq!(year("2021"), ymd(2021, None, None));
    let p = one(r#"[{"title": "T", "issued": {"literal": "n.d."}}]"#);
    assert_eq!(p.year, None);
    assert_eq!(extra(&p, "csl_issued"), Some("n.d."));
    let p = one(r#"[{"title": "T", "issued": {"date-parts": [[1e300]]}}]"#);
    assert_eq!(p.year, None);
}

#[test]
fn citekeys_and_generated_ids() {
    let key = |item: &str| one(&format!("[{item}]")).citekey;
    assert_eq!(
        key(r#"{"id": "x1", "citation-key": "smith2020"}"#).as_deref(),
        Some("smith2020")
    );
    assert_eq!(
        key(r#"{"citation-key": "smith2020", "id": "smith2020"}"#).as_deref(),
        Some("smith2020")
    );
    assert_eq!(
        key(r#"{"id": "vanDerMaaten2008visualizing"}"#).as_deref(),
        Some("vanDerMaaten2008visualizing")
    );
    assert_eq!(key(r#"{"id": 12}"#), None);
    assert_eq!(key(r#"{"id": "12"}"#), None);
    assert_eq!(
        key(r#"{"id": "http://zotero.org/users/1/items/ABCD2345"}"#),
        None
    );
    assert_eq!(key(r#"{"id": "ABCD2345"}"#), None);
    assert_eq!(key(r#"{"id": "ITEM-3"}"#), None);
    assert_eq!(
        key(r#"{"id": "3f2a9c1e-7b4d-4e2a-9f1c-0a1b2c3d4e5f"}"#),
        None
    );
    assert_eq!(key(r#"{"id": "k8d7f6s5a4q3w2e1r9t"}"#), None);
    let p = one(r#"[{"id": 7, "note": "Citation Key: lee2019\nother line"}]"#);
    assert_eq!(p.citekey.as_deref(), Some("lee2019"));
    assert_eq!(p.note.as_deref(), Some("other line"));
    assert_eq!(extra(&p, "csl_id"), Some("7"));
    let p = one(r#"[{"citation-key": "a", "note": "Citation Key: b"}]"#);
    assert_eq!(p.citekey.as_deref(), Some("a"));
    assert_eq!(p.note.as_deref(), Some("Citation Key: b"));
}

#[test]
fn arxiv_from_number_url_and_doi() {
    let p = one(r#"[{"type": "article", "publisher": "arXiv", "number": "2303.16727v2"}]"#);
    assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
    assert_eq!(p.entry_type.as_deref(), Some("article"));
    assert_eq!(extra(&p, "csl_type"), Some("article"));
    assert_eq!(extra(&p, "csl_number"), None);
    let p = one(r#"[{"number": "arXiv:hep-th/9901001 [hep-th]"}]"#);
    assert_eq!(p.arxiv.as_deref(), Some("hep-th/9901001"));
    let p = one(r#"[{"number": "TR-17", "publisher": "ACME"}]"#);
    assert_eq!(
        (p.arxiv.as_deref(), extra(&p, "csl_number")),
        (None, Some("TR-17"))
    );
    let p = one(r#"[{"URL": "https://arxiv.org/pdf/2303.16727v1.pdf"}]"#);
    assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
    assert_eq!(p.links[0].kind, LinkKind::Pdf);
    let p = one(
        r#"[{"DOI": "10.48550/arXiv.2303.16727", "URL": "https://doi.org/10.48550/arXiv.2303.16727"}]"#,
    );
    assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
    assert!(p.links.is_empty());
    let p = one(r#"[{"URL": "https://doi.org/10.1/x", "DOI": "10.2/y"}]"#);
    assert_eq!(p.doi.as_deref(), Some("10.2/y"));
    assert_eq!(p.links[0].url, "https://doi.org/10.1/x");
}

#[test]
fn types_map_to_bibtex() {
    let ty = |item: &str| {
        let p = one(&format!("[{item}]"));
        (
            p.entry_type.clone().unwrap_or_default(),
            extra(&p, "csl_type").map(str::to_string),
        )
    };
    assert_eq!(
        ty(r#"{"type": "paper-conference"}"#),
        ("inproceedings".into(), None)
    );
    assert_eq!(
        ty(r#"{"type": "article-newspaper"}"#),
        ("article".into(), Some("article-newspaper".into()))
    );
    assert_eq!(
        ty(r#"{"type": "thesis", "genre": "Master's thesis"}"#),
        ("mastersthesis".into(), None)
    );
    assert_eq!(ty(r#"{"type": "thesis"}"#), ("phdthesis".into(), None));
    assert_eq!(
        ty(r#"{"type": "post-weblog"}"#),
        ("online".into(), Some("post-weblog".into()))
    );
    assert_eq!(
        ty(r#"{"type": "dataset"}"#),
        ("misc".into(), Some("dataset".into()))
    );
    assert_eq!(ty(r#"{"type": "document"}"#), ("misc".into(), None));
    assert_eq!(ty(r#"{}"#), ("misc".into(), None));
}

#[test]
fn custom_members_and_other_fields() {
    let p = one(
        r#"[{"title": "T", "custom": {"urls": ["https://github.com/a/b"], "arxiv": "2101.00001", "Shelf": "B2", "n": 3},
            "categories": ["ml", "nlp"], "original-date": {"date-parts": [[1999, 2]]},
            "event-date": {"literal": "Spring 1999"}, "PMID": "123", "flag": true, "nested": {"a": [1]}}]"#,
    );
    assert_eq!(p.links[0].kind, LinkKind::Code);
    assert_eq!(p.arxiv.as_deref(), Some("2101.00001"));
    assert_eq!(
        p.extra,
        [
            ("csl_shelf", "B2"),
            ("csl_n", "3"),
            ("csl_categories", "ml, nlp"),
            ("csl_original-date", "1999-02"),
            ("csl_event-date", "Spring 1999"),
            ("csl_pmid", "123"),
            ("csl_flag", "true"),
            ("csl_nested", r#"{"a":[1]}"#),
        ]
        .map(|(n, v)| (n.to_string(), v.to_string()))
    );
}

#[test]
fn lines_and_problems() {
    let text = "[\n  {\"title\": \"A\"},\n  \"oops\",\n\n  {\"title\": \"B \\\" ] {\",\n   \"x\": [1, {}]}, 5, [1]\n]";
    let parsed = parse(text, "l.json");
    let sources: Vec<_> = parsed.papers.iter().map(|p| p.source.as_str()).collect();
    assert_eq!(sources, ["l.json:2", "l.json:5"]);
    assert_eq!(parsed.papers[1].title, "B \" ] {");
    let problems: Vec<_> = parsed
        .problems
        .iter()
        .map(|p| (p.location.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            ("l.json:3", "item 2 is a string, not an object; skipped"),
            ("l.json:6", "item 4 is a number, not an object; skipped"),
            ("l.json:6", "item 5 is an array, not an object; skipped"),
        ]
    );
}

#[test]
fn invalid_json_is_one_problem() {
    let parsed = parse("[\n {\"title\": \"A\"},\n {\"title\": }\n]", "bad.json");
    assert!(parsed.papers.is_empty());
    assert_eq!(parsed.problems.len(), 1);
    assert_eq!(parsed.problems[0].location, "bad.json:3");
    assert!(
        parsed.problems[0].message.starts_with("not valid JSON: "),
        "{:?}",
        parsed.problems
    );
    let parsed = parse("\"just a string\"", "s.json");
    assert_eq!(
        parsed.problems[0].message,
        "expected an array of CSL items, found a string"
    );
    let p = one("\u{feff}\n{\"title\": \"Single\"}");
    assert_eq!(
        (p.title.as_str(), p.source.as_str()),
        ("Single", "t.json:2")
    );
}

#[test]
fn zotero_fixture() {
    let parsed = parse(
        include_str!("../../../tests/fixtures/formats/csl-zotero.json"),
        "csl-zotero.json",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let [a, b] = parsed.papers.as_slice() else {
        panic!("expected two papers, got {}", parsed.papers.len());
    };
    assert_eq!(a.citekey.as_deref(), Some("vaswaniAttentionAllYou2017"));
    assert_eq!(a.title, "Attention Is All You Need");
    assert_eq!(
        a.authors,
        ["Vaswani, Ashish", "Shazeer, Noam", "Google Brain"]
    );
    assert_eq!(a.year, Some(2017));
    assert_eq!(a.arxiv.as_deref(), Some("1706.03762"));
    assert_eq!(a.doi.as_deref(), Some("10.48550/arXiv.1706.03762"));
    assert_eq!(a.entry_type.as_deref(), Some("article"));
    assert_eq!(
        a.tags,
        [
            "computer-science---computation-and-language",
            "transformers"
        ]
    );
    assert_eq!(extra(a, "urldate"), Some("2023-03-01"));
    assert_eq!(a.source, "csl-zotero.json:2");
    assert_eq!(b.citekey.as_deref(), Some("lecunDeepLearning2015"));
    assert_eq!(b.entry_type.as_deref(), Some("article"));
    assert_eq!(b.venue.as_deref(), Some("Nature"));
    assert_eq!(extra(b, "pages"), Some("436--444"));
    assert_eq!(
        extra(b, "csl_id"),
        Some("http://zotero.org/users/local/abc/items/QX7K2M9P")
    );
    assert_eq!(extra(b, "csl_container-title-short"), Some("Nature"));
    assert_eq!(b.note.as_deref(), Some("Number: 7553"));
}

#[test]
fn quirks_fixture() {
    let parsed = parse(
        include_str!("../../../tests/fixtures/formats/csl-quirks.json"),
        "csl-quirks.json",
    );
    let problems: Vec<_> = parsed
        .problems
        .iter()
        .map(|p| (p.location.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        problems,
        [(
            "csl-quirks.json:32",
            "item 4 is a string, not an object; skipped"
        )]
    );
    let [a, b, c, d] = parsed.papers.as_slice() else {
        panic!("expected four papers, got {}", parsed.papers.len());
    };
    assert_eq!(
        a.authors,
        [
            "de la Fontaine, Jean",
            "van Gogh, Vincent",
            "Müller, Jürgen"
        ]
    );
    assert_eq!((a.year, extra(a, "month")), (Some(2019), Some("6")));
    assert_eq!(a.citekey, None);
    assert_eq!(a.source, "csl-quirks.json:2");
    assert_eq!(
        (b.year, extra(b, "month"), extra(b, "day")),
        (Some(2020), Some("3"), Some("14"))
    );
    assert_eq!(b.entry_type.as_deref(), Some("mastersthesis"));
    assert_eq!((c.year, extra(c, "month")), (Some(2021), Some("12")));
    assert_eq!(c.tags, ["graphs", "gnn"]);
    assert_eq!(extra(c, "pages"), Some("e1001--e1010"));
    assert_eq!(d.year, Some(1998));
    assert_eq!(d.title, "Édition critique");
    assert_eq!(d.source, "csl-quirks.json:33");
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn never_panics_on_json_like_text(text in r#"([\[\]{}:,"\\ \n]|"title"|"issued"|"date-parts"|"author"|"id"|-?[0-9]{1,6}|[a-zé]{1,5}){0,80}"#) {
        let _ = parse(&text, "p.json");
        let _ = looks_like(&text);
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,300}") {
        let _ = parse(&text, "p.json");
        let _ = looks_like(&text);
    }

    #[test]
    fn never_panics_on_odd_items(
        key in "(type|id|citation-key|title|author|editor|issued|accessed|DOI|URL|keyword|number|custom|page|note|x)",
        value in r#"(null|true|-?[0-9]{1,25}(\.[0-9]+)?(e[0-9]{1,3})?|"[^"\\]{0,12}"|\[\]|\{\}|\[\[\]\]|\{"date-parts": \[\["[0-9x]{0,5}", -?[0-9]{1,12}\]\]\}|\[\{"family": 1, "literal": null\}\]|\{"urls": \[1\]\})"#,
    ) {
        let text = format!(r#"[{{"{key}": {value}}}]"#);
        let parsed = parse(&text, "p.json");
        prop_assert_eq!(parsed.papers.len() + parsed.problems.len(), 1);
    }
}
