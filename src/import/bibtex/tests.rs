//! The BibTeX importer's tests: detection, parsing quirks and fixtures.

use super::*;
use crate::import::test_support::extra;
use crate::model::{LinkKind, NewPaper};
use proptest::prelude::*;

fn one(text: &str) -> NewPaper {
    let parsed = parse(text, "t.bib");
    assert_eq!(parsed.papers.len(), 1, "problems: {:?}", parsed.problems);
    parsed.papers.into_iter().next().unwrap_or_default()
}

#[test]
fn detects_bibtex() {
    assert!(looks_like("% Encoding: UTF-8\n\n@Article{x,\n}"));
    assert!(looks_like("\u{feff}@misc (x, title=\"a\")"));
    assert!(looks_like("  @inproceedings{"));
    // Stray text first: BibTeX when entries are most of the file.
    assert!(!starts_like("# Title\n@article{x,}"));
    assert!(looks_like("# Title\n@article{x,}"));
    assert!(looks_like(
        "A notice\nof two lines\n@article\n(\n  x\n  ,\n title = {T}\n)"
    ));
    assert!(!looks_like("Prose\nand more\nprose\n@article{x,}"));
    // An entry that is not at the start of a line, or has no key.
    assert!(!looks_like("mail me@article{x, y}"));
    assert!(!looks_like("Notes\n@article{ title = {T} }"));
    assert!(!looks_like("Notes\n@string{x = {y}}"));
    assert!(!looks_like("@ article{x}"));
    assert!(!looks_like("@123{x}"));
    assert!(!looks_like("@article x"));
    assert!(!looks_like(""));
}

#[test]
fn reads_a_plain_article() {
    let p = one(
        "@Article{smith2020,\n  author = {Smith, John and Doe, Jane},\n  title = {A Study},\n  journal = {Nature},\n  year = 2020,\n  volume = {5},\n  pages = {12--19},\n}\n",
    );
    assert_eq!(p.citekey.as_deref(), Some("smith2020"));
    assert_eq!(p.entry_type.as_deref(), Some("article"));
    assert_eq!(p.title, "A Study");
    assert_eq!(p.authors, ["Smith, John", "Doe, Jane"]);
    assert_eq!(p.venue.as_deref(), Some("Nature"));
    assert_eq!(p.year, Some(2020));
    assert_eq!(p.source, "t.bib:1");
    assert_eq!(
        p.extra,
        [
            ("volume".to_string(), "5".to_string()),
            ("pages".to_string(), "12--19".to_string())
        ]
    );
}

#[test]
fn converts_latex_to_unicode() {
    let p = one(concat!(
        "@misc{k, title = {Schr{\\\"o}dinger's caf\\'{e} in Stra{\\ss}e -- A \\& B},\n",
        " author = {M{\\\"u}ller, J{\\\"o}rg and \\v{S}koda, {\\O}ystein},\n",
        " note = {50\\% off \\emph{now}, see \\url{https://x.org/a_b~c}}}"
    ));
    assert_eq!(p.title, "Schrödinger's café in Straße – A & B");
    assert_eq!(p.authors, ["Müller, Jörg", "Škoda, Øystein"]);
    assert_eq!(
        p.note.as_deref(),
        Some("50% off now, see https://x.org/a_b~c")
    );
}

#[test]
fn ties_become_spaces_but_escaped_tildes_stay() {
    let p = one("@misc{k, author = {D.~E. Knuth}, title = {a\\~{n}o \\textasciitilde{} x}}");
    assert_eq!(p.authors, ["Knuth, D. E."]);
    assert_eq!(p.title, "año ~ x");
}

#[test]
fn protected_braces_are_dropped_and_kept_raw() {
    let p = one("@article{k, title = {The {NASA} Mission to {M}ars}}");
    assert_eq!(p.title, "The NASA Mission to Mars");
    assert_eq!(extra(&p, "title_raw"), Some("The {NASA} Mission to {M}ars"));
    let plain = one("@article{k, title = {Caf\\'{e} \\& Bar}}");
    assert_eq!(plain.title, "Café & Bar");
    assert_eq!(extra(&plain, "title_raw"), None);
}

#[test]
fn names_keep_particles_suffixes_and_organizations() {
    let p = one(concat!(
        "@misc{k, author = {van der Maaten, Laurens and Ludwig van Beethoven and ",
        "{World Health Organization} and King, Jr., Martin Luther and Aristotle and ",
        "{Barnes and Noble}}}"
    ));
    assert_eq!(
        p.authors,
        [
            "van der Maaten, Laurens",
            "van Beethoven, Ludwig",
            "World Health Organization",
            "King, Jr., Martin Luther",
            "Aristotle",
            "Barnes and Noble"
        ]
    );
}

#[test]
fn editors_go_to_extra_as_people() {
    let p = one("@book{k, editor = {Jane Doe and {ACME Corp}}, title = {B}}");
    assert_eq!(extra(&p, "editor"), Some("Doe, Jane and ACME Corp"));
}

#[test]
fn string_macros_and_months() {
    let p = one(concat!(
        "@string{ieee = \"IEEE Trans.\"}\n@String(conf = ieee # { on } # \"Things\")\n",
        "@article{k, journal = CONF, month = jan, note = \"Due \" # dec, title = {T}}"
    ));
    assert_eq!(p.venue.as_deref(), Some("IEEE Trans. on Things"));
    assert_eq!(extra(&p, "month"), Some("1"));
    assert_eq!(p.note.as_deref(), Some("Due December"));
}

#[test]
fn month_forms_are_normalized() {
    for (m, want) in [
        ("{January}", "1"),
        ("{Feb.}", "2"),
        ("{09}", "9"),
        ("{Spring}", "Spring"),
    ] {
        let p = one(&format!("@misc{{k, month = {m}}}"));
        assert_eq!(extra(&p, "month"), Some(want), "{m}");
    }
}

#[test]
fn undefined_macro_is_a_warning_not_a_loss() {
    let parsed = parse("@misc{k, title = {T}, publisher = pub}", "t.bib");
    assert_eq!(parsed.papers.len(), 1);
    assert_eq!(parsed.problems.len(), 1);
    assert!(parsed.problems[0].message.contains("`pub`"));
}

#[test]
fn crossref_inherits_from_the_parent() {
    let parsed = parse(
        concat!(
            "@inproceedings{child, author = {A, B}, title = {Paper}, crossref = {Proc}, pages = {1--2}}\n",
            "@proceedings{proc, title = {Proc. of Things}, year = 1999, publisher = {ACM}, doi = {10.1/parent}, editor = {E, F}}\n",
        ),
        "t.bib",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let p = &parsed.papers[0];
    assert_eq!(p.title, "Paper");
    assert_eq!(p.venue.as_deref(), Some("Proc. of Things"));
    assert_eq!(p.year, Some(1999));
    assert_eq!(p.doi, None);
    assert_eq!(extra(p, "publisher"), Some("ACM"));
    assert_eq!(extra(p, "editor"), Some("E, F"));
    assert_eq!(extra(p, "crossref"), Some("Proc"));
    assert_eq!(parsed.papers[1].title, "Proc. of Things");
}

#[test]
fn self_and_cyclic_crossrefs_do_not_loop() {
    let parsed = parse(
        "@misc{a, crossref = {a}, title = {A}}\n@misc{b, crossref = {c}}\n@misc{c, crossref = {b}, year = 2000}",
        "t.bib",
    );
    assert_eq!(parsed.papers.len(), 3);
    assert_eq!(parsed.papers[1].year, Some(2000));
}

#[test]
fn identifiers() {
    let p = one(concat!(
        "@article{k, doi = {https://doi.org/10.1145/3292500.3330701}, ",
        "eprint = {2303.16727v2}, archivePrefix = {arXiv}, primaryClass = {cs.CL}, ",
        "url = {https://github.com/a/b\\_c https://doi.org/10.1145/3292500.3330701}}"
    ));
    assert_eq!(p.doi.as_deref(), Some("10.1145/3292500.3330701"));
    assert_eq!(p.arxiv.as_deref(), Some("2303.16727"));
    assert_eq!(p.links.len(), 1);
    assert_eq!(p.links[0].url, "https://github.com/a/b_c");
    assert_eq!(p.links[0].kind, LinkKind::Code);
    assert_eq!(p.extra, [("primaryclass".to_string(), "cs.CL".to_string())]);
}

#[test]
fn arxiv_from_eprinttype_url_doi_and_journal() {
    let a = one("@online{k, eprint = {hep-th/9901001 [hep-th]}, eprinttype = {arxiv}}");
    assert_eq!(a.arxiv.as_deref(), Some("hep-th/9901001"));
    let b = one("@misc{k, url = {https://arxiv.org/pdf/2101.00001v3.pdf}}");
    assert_eq!(b.arxiv.as_deref(), Some("2101.00001"));
    assert_eq!(b.links[0].kind, LinkKind::Pdf);
    let c = one("@article{k, journal = {arXiv preprint arXiv:1706.03762}}");
    assert_eq!(c.arxiv.as_deref(), Some("1706.03762"));
    assert_eq!(c.venue.as_deref(), Some("arXiv preprint arXiv:1706.03762"));
    let d = one("@misc{k, doi = {10.48550/arXiv.2303.16727}}");
    assert_eq!(d.arxiv.as_deref(), Some("2303.16727"));
    let e = one("@misc{k, eprint = {12345}, eprinttype = {pubmed}}");
    assert_eq!(e.arxiv, None);
    assert_eq!(extra(&e, "eprint"), Some("12345"));
    assert_eq!(extra(&e, "eprinttype"), Some("pubmed"));
}

#[test]
fn biblatex_date_and_fields() {
    let p = one(
        "@article{k, date = {2021-06-01}, journaltitle = {J}, location = {Berlin}, abstract = {One\n\n  two\nlines.\n\nThree.}}",
    );
    assert_eq!(p.year, Some(2021));
    assert_eq!(extra(&p, "month"), Some("6"));
    assert_eq!(extra(&p, "day"), Some("1"));
    assert_eq!(extra(&p, "date"), None);
    assert_eq!(p.venue.as_deref(), Some("J"));
    assert_eq!(extra(&p, "location"), Some("Berlin"));
    assert_eq!(p.abstract_text, "One\n\ntwo lines.\n\nThree.");
    let range = one("@misc{k, date = {2020/2021}}");
    assert_eq!(range.year, Some(2020));
    assert_eq!(extra(&range, "date"), Some("2020/2021"));
    let odd = one("@misc{k, year = {in press}}");
    assert_eq!(odd.year, None);
    assert_eq!(extra(&odd, "year"), Some("in press"));
}

#[test]
fn keywords_become_tags() {
    let p = one("@misc{k, keywords = {deep learning; NLP, nlp,  Graph  Neural Nets ,NLP}}");
    assert_eq!(p.tags, ["deep-learning", "NLP", "nlp", "Graph-Neural-Nets"]);
}

#[test]
fn verbatim_fields_are_taken_as_written() {
    let p = one(
        "@misc{k, file = {Full Text:files/1/a--b.pdf:application/pdf}, url = {https://x.org/a--b%20c#d}}",
    );
    assert_eq!(
        extra(&p, "file"),
        Some("Full Text:files/1/a--b.pdf:application/pdf")
    );
    assert_eq!(p.links[0].url, "https://x.org/a--b%20c#d");
}

#[test]
fn howpublished_url_becomes_a_link_and_text_the_venue() {
    let p = one("@misc{k, howpublished = {\\url{https://github.com/a/b}}}");
    assert_eq!(p.venue, None);
    assert_eq!(p.links[0].url, "https://github.com/a/b");
    let q = one("@misc{k, howpublished = {Blog post}}");
    assert_eq!(q.venue.as_deref(), Some("Blog post"));
}

#[test]
fn paren_entries_comments_and_preamble() {
    let parsed = parse(
        concat!(
            "% a comment with @article{fake,}\n",
            "@preamble{\"\\newcommand{\\x}{y}\"}\n",
            "@comment{jabref-meta: {x}}\n",
            "Free text between entries.\n",
            "@book(k1,\n  title = \"A (Paren) Book\",\n  % title = {commented {out\n  year = 2001)\n",
            "@misc{k2, title = \"50% off\"}\n",
        ),
        "t.bib",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 2);
    assert_eq!(parsed.papers[0].title, "A (Paren) Book");
    assert_eq!(parsed.papers[0].source, "t.bib:5");
    assert_eq!(parsed.papers[1].title, "50% off");
    assert_eq!(parsed.papers[1].source, "t.bib:9");
}

#[test]
fn broken_entries_are_problems_with_their_line() {
    let parsed = parse(
        concat!(
            "@article{good1, title = {One}}\n",
            "\n",
            "@article{bad, title = {Two}\n",
            "  author = {X}}\n",
            "@article{unclosed, title = {Three\n",
            "@article{good2, title = {Four}}\n",
            "@article\n",
        ),
        "t.bib",
    );
    let titles: Vec<_> = parsed.papers.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["One", "Four"]);
    let locations: Vec<_> = parsed
        .problems
        .iter()
        .map(|p| p.location.as_str())
        .collect();
    assert_eq!(locations, ["t.bib:3", "t.bib:5", "t.bib:7"]);
    assert!(parsed.problems[0].message.contains("`bad`"));
    assert!(parsed.problems[0].message.contains("line 4"));
    assert!(parsed.problems[1].message.contains("not closed"));
}

#[test]
fn crlf_line_endings() {
    let parsed = parse(
        "% c\r\n@misc{a,\r\n  title = {T},\r\n  abstract = {One\r\n\r\nTwo}\r\n}\r\n\r\n@misc{b, title = {U}}\r\n",
        "t.bib",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers[0].abstract_text, "One\n\nTwo");
    assert_eq!(parsed.papers[1].source, "t.bib:9");
}

#[test]
fn bad_latex_in_one_field_keeps_the_entry() {
    let parsed = parse("@misc{k, title = {Costs $5}, note = {ok}}", "t.bib");
    assert_eq!(parsed.papers.len(), 1);
    assert_eq!(parsed.papers[0].title, "Costs $5");
    assert_eq!(parsed.papers[0].note.as_deref(), Some("ok"));
}

#[test]
fn deep_nesting_is_refused_not_overflowing() {
    let deep = format!(
        "@misc{{a, title = {{{}x{}}}}}\n@misc{{b, title = {{ok}}}}",
        "\\textbf{".repeat(5000),
        "}".repeat(5000)
    );
    let parsed = parse(&deep, "t.bib");
    assert_eq!(parsed.papers.len(), 1);
    assert_eq!(parsed.papers[0].title, "ok");
    assert!(parsed.problems[0].message.contains("deep"));
}

#[test]
fn exploding_macros_are_refused() {
    let mut text = String::from("@string{a0 = \"xxxxxxxxxxxxxxxx\"}\n");
    for i in 1..40 {
        text.push_str(&format!("@string{{a{i} = a{p} # a{p}}}\n", p = i - 1));
    }
    text.push_str("@misc{k, title = a39}\n@misc{k2, title = a10}\n");
    let parsed = parse(&text, "t.bib");
    assert_eq!(parsed.papers.len(), 2);
    assert_eq!(parsed.papers[1].title.len(), 16 * 1024);
    assert!(!parsed.problems.is_empty());
}

#[test]
fn latex_to_text_matches_import() {
    assert_eq!(
        latex_to_text("The {NASA} \\emph{way}").as_deref(),
        Some("The NASA way")
    );
    assert_eq!(latex_to_text("bad $").as_deref(), None);
}

#[test]
fn fixture_zotero() {
    let parsed = parse(
        include_str!("../../../tests/fixtures/formats/bibtex-zotero.bib"),
        "z.bib",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 3);
    let p = &parsed.papers[0];
    assert_eq!(p.citekey.as_deref(), Some("vaswani_attention_2017"));
    assert_eq!(p.arxiv.as_deref(), Some("1706.03762"));
    assert_eq!(
        p.tags,
        [
            "Computer-Science---Computation-and-Language",
            "Transformers"
        ]
    );
    assert!(extra(p, "file").is_some_and(|f| f.contains("Vaswani et al. - 2017")));
    assert_eq!(extra(p, "urldate"), Some("2023-05-01"));
    assert_eq!(p.authors[0], "Vaswani, Ashish");
    let book = &parsed.papers[1];
    assert_eq!(book.entry_type.as_deref(), Some("book"));
    assert_eq!(book.doi.as_deref(), Some("10.1007/978-0-387-84858-7"));
    assert_eq!(extra(book, "address"), Some("New York, NY"));
    let web = &parsed.papers[2];
    assert_eq!(
        web.links[0].url,
        "https://www.who.int/publications/i/item/9789240064324"
    );
    assert_eq!(web.authors, ["World Health Organization"]);
}

#[test]
fn fixture_macros() {
    let parsed = parse(
        include_str!("../../../tests/fixtures/formats/bibtex-macros.bib"),
        "m.bib",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 3);
    let a = &parsed.papers[0];
    assert_eq!(
        a.venue.as_deref(),
        Some("Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition")
    );
    assert_eq!(a.year, Some(2016));
    assert_eq!(extra(a, "month"), Some("6"));
    assert_eq!(extra(a, "publisher"), Some("IEEE"));
    assert_eq!(extra(a, "address"), Some("Las Vegas, NV, USA"));
    let b = &parsed.papers[1];
    assert_eq!(
        b.venue.as_deref(),
        Some("Journal of Machine Learning Research")
    );
    assert_eq!(extra(b, "month"), Some("11"));
    assert_eq!(b.year, Some(2008));
    assert_eq!(b.authors[0], "van der Maaten, Laurens");
}

#[test]
fn fixture_latex() {
    let parsed = parse(
        include_str!("../../../tests/fixtures/formats/bibtex-latex.bib"),
        "l.bib",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let p = &parsed.papers[0];
    assert_eq!(
        p.title,
        "Über die Quantenmechanik der BCS-Theorie: Schrödinger's Ansatz – Revisited"
    );
    assert_eq!(
        p.authors,
        [
            "Gödel, Kurt",
            "Erdős, Paul",
            "Çelik, Ayşe",
            "de la Peña, José",
            "Łukasiewicz, Jan",
            "Strauß, Hans"
        ]
    );
    assert_eq!(
        extra(p, "title_raw"),
        Some(
            "{\\\"U}ber die {Quantenmechanik} der {BCS}-Theorie: Schr\\\"{o}dinger's {Ansatz} -- {R}evisited"
        )
    );
    assert_eq!(extra(p, "pages"), Some("101--142"));
    assert_eq!(p.venue.as_deref(), Some("Annalen der Physik & Chemie"));
    let q = &parsed.papers[1];
    assert_eq!(
        q.title,
        "Price of $O(n^2)$ Algorithms: 100% Correct_Ness #1"
    );
    assert_eq!(
        extra(q, "title_raw"),
        Some(r"Price of $O(n^2)$ Algorithms: 100\% Correct\_Ness \#1")
    );
    assert_eq!(
        q.abstract_text,
        "First paragraph with ellipsis… and “quotes”.\n\nSecond paragraph."
    );
}

#[test]
fn fixture_broken() {
    let parsed = parse(
        include_str!("../../../tests/fixtures/formats/bibtex-broken.bib"),
        "b.bib",
    );
    let keys: Vec<_> = parsed
        .papers
        .iter()
        .filter_map(|p| p.citekey.as_deref())
        .collect();
    assert_eq!(keys, ["good_before", "good_after", "good_last"]);
    assert_eq!(parsed.problems.len(), 2, "{:?}", parsed.problems);
    assert_eq!(parsed.problems[0].location, "b.bib:9");
    assert_eq!(parsed.problems[1].location, "b.bib:20");
}

#[test]
fn fixture_biblatex() {
    let parsed = parse(
        include_str!("../../../tests/fixtures/formats/bibtex-biblatex.bib"),
        "x.bib",
    );
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.papers.len(), 2);
    let p = &parsed.papers[0];
    assert_eq!(p.source, "x.bib:4");
    assert_eq!(p.authors, ["Radford, Alec", "Kim, Jong Wook", "others"]);
    assert_eq!(p.year, Some(2021));
    assert_eq!(p.arxiv.as_deref(), Some("2103.00020"));
    assert_eq!(
        p.venue.as_deref(),
        Some("Proceedings of Machine Learning Research")
    );
    assert_eq!(p.tags, ["vision", "language", "contrastive-learning"]);
    assert_eq!(extra(p, "eprintclass"), Some("cs.CV"));
    assert_eq!(extra(p, "month"), Some("6"));
    assert_eq!(extra(p, "day"), Some("1"));
    let q = &parsed.papers[1];
    assert_eq!(q.source, "x.bib:16");
    assert_eq!(q.entry_type.as_deref(), Some("online"));
    assert_eq!(q.authors, ["Hugging Face"]);
    assert_eq!(q.year, Some(2020));
    assert_eq!(q.links[0].kind, LinkKind::Dataset);
    assert_eq!(extra(q, "urldate"), Some("2024-01-02"));
}

#[test]
fn many_entries_quickly() {
    let mut text = String::from("@string{jml = {Journal of ML}}\n");
    for i in 0..10_000 {
        text.push_str(&format!(
            "@article{{key{i},\n  author = {{M{{\\\"u}}ller, J. and van Dam, A{i}}},\n  title = {{A {{Study}} of Things {i}}},\n  journal = jml,\n  year = {{2020}},\n  month = mar,\n  pages = {{1--{i}}},\n  doi = {{10.1/{i}}},\n  keywords = {{a, b c}},\n  abstract = {{Some text about \\emph{{things}} that goes on for a while.}},\n}}\n\n"
        ));
    }
    let start = std::time::Instant::now();
    let parsed = parse(&text, "big.bib");
    let elapsed = start.elapsed();
    assert_eq!(parsed.papers.len(), 10_000);
    assert!(parsed.problems.is_empty());
    assert_eq!(parsed.papers[9_999].source, "big.bib:119990");
    eprintln!("parsed 10k entries ({} bytes) in {elapsed:?}", text.len());
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,300}") {
        let _ = parse(&s, "p.bib");
        let _ = looks_like(&s);
    }

    #[test]
    fn bibtex_like_text_never_panics(
        parts in prop::collection::vec(
            prop_oneof![
                Just("@article{".to_string()), Just("@string{".to_string()),
                Just("@misc(".to_string()), Just("@comment{".to_string()),
                Just("}".to_string()), Just("{".to_string()), Just(")".to_string()),
                Just(",".to_string()), Just(" = ".to_string()), Just("\"".to_string()),
                Just("#".to_string()), Just("\\".to_string()), Just("$".to_string()),
                Just("%".to_string()), Just("\n".to_string()), Just("~".to_string()),
                Just("author".to_string()), Just("title".to_string()),
                Just("crossref".to_string()), Just(" and ".to_string()),
                Just("jan".to_string()), Just("\\'".to_string()), Just("\\url".to_string()),
                Just("\\href".to_string()), Just("\\emph".to_string()),
                Just("=".to_string()), Just("x".to_string()), "[a-z0-9 ,.=-]{0,8}",
            ],
            0..60,
        )
    ) {
        let text = parts.concat();
        let _ = parse(&text, "p.bib");
    }
}
