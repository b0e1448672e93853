//! Real bibliographies that Lectern's own tests never wrote: TeX Live's
//! BibTeX files (a magazine's 40-year bibliography, BibTeX's example file,
//! journal bibliographies, BibLaTeX's examples, publisher samples), imported
//! through the real `lectern` binary. Each file must give as many papers as
//! an independent parser (pybtex, cross-checked with bibtexparser) finds
//! entries, except for the few entries listed in [`KNOWN`] with the reason.
//!
//! The files are not in the repository: `scripts/fetch-test-data` puts them
//! and their counts (`counts.tsv`) in a cache folder, `$LECTERN_TEST_DATA`
//! or `${XDG_CACHE_HOME:-$HOME/.cache}/lectern-test-data`. Without it these
//! tests fail, saying so.

mod common;

use common::Lib;
use serde_json::Value;

/// Entries of a file that are, on purpose, not papers of their own, or
/// that are imported under a made-up title.
struct Known {
    file: &'static str,
    /// Entries without a title: imported as "Untitled: <venue, volume,
    /// pages, year>" and each reported as "entry has no title".
    untitled: usize,
    /// Entries merged into another one of the file because they share a
    /// DOI or arXiv id (the same work written twice).
    same_id: usize,
    /// Entries that are not works at all: BibLaTeX `@set` (only groups
    /// others; the parser reads its members), IEEEtran's style-control
    /// `@IEEEtranBSTCTL` (reported and left out).
    not_works: usize,
    why: &'static str,
}

const KNOWN: &[Known] = &[
    Known {
        file: "xampl.bib",
        untitled: 3,
        same_id: 0,
        not_works: 0,
        why: "whole-journal (a journal issue), misc-minimal and random-note-crossref have no title",
    },
    Known {
        file: "iopart-num.bib",
        untitled: 9,
        same_id: 0,
        not_works: 0,
        why: "physics style: 9 articles are only journal, volume and page, with no title",
    },
    Known {
        file: "IEEEexample.bib",
        untitled: 1,
        same_id: 0,
        not_works: 1,
        why: "@IEEEtranBSTCTL is a style-control entry, and a private communication has no title",
    },
    Known {
        file: "biblatex-examples.bib",
        untitled: 0,
        same_id: 1,
        not_works: 2,
        why: "two @set entries only group others; baez/article and baez/online share arXiv math/0307200",
    },
];

/// `counts.tsv`: file, entries per pybtex, entries per bibtexparser.
fn counts() -> Vec<(String, usize, usize)> {
    let path = common::test_data_dir().join("counts.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "no real test bibliographies at {} ({e}): run scripts/fetch-test-data first",
            path.display()
        )
    });
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let num = |i: usize| -> usize {
                cols.get(i)
                    .and_then(|c| c.trim().parse().ok())
                    .unwrap_or_else(|| panic!("bad line in {}: {l}", path.display()))
            };
            (cols[0].to_string(), num(1), num(2))
        })
        .collect()
}

/// Runs `lectern --json COMMAND ARGS…`, which must succeed; returns its
/// output and what it wrote on stderr.
fn run(lib: &Lib, file: &str, args: &[&str], command: &str) -> (Value, String) {
    let out = lib
        .cmd()
        .args(["--json", command])
        .args(args)
        .output()
        .expect("run lectern");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{file}: {command} failed: {stderr}");
    let json = serde_json::from_slice(&out.stdout).expect("JSON output");
    (json, stderr.into_owned())
}

/// Imports one cached file into a new library and checks its papers
/// against the independent count.
fn check(file: &str) {
    let (_, pybtex, bibtexparser) = counts()
        .into_iter()
        .find(|(name, _, _)| name == file)
        .unwrap_or_else(|| {
            panic!("{file} is not in counts.tsv: run scripts/fetch-test-data again")
        });
    assert_eq!(
        pybtex, bibtexparser,
        "{file}: the two independent parsers disagree, so neither count is a reference"
    );
    let path = common::test_data_dir().join("bib").join(file);
    let lib = Lib::new();
    let (report, import_err) = run(&lib, file, &[path.to_str().expect("UTF-8 path")], "import");
    let (list, list_err) = run(&lib, file, &[], "list");
    let listed = list.as_array().expect("list").len();

    let known = KNOWN.iter().find(|k| k.file == file);
    let (untitled, same_id, not_works) =
        known.map_or((0, 0, 0), |k| (k.untitled, k.same_id, k.not_works));
    let why = known.map_or("", |k| k.why);
    let problems = report["problems"].as_array().expect("problems");
    let no_title = problems
        .iter()
        .filter(|p| {
            p["message"]
                .as_str()
                .is_some_and(|m| m.contains("has no title"))
        })
        .count();
    let want = pybtex - same_id - not_works;
    let merges: Vec<&Value> = report["merges"]
        .as_array()
        .map_or(Vec::new(), |m| m.iter().take(5).collect());
    assert_eq!(
        (
            listed,
            report["merged"].as_u64(),
            report["skipped"].as_u64(),
            no_title
        ),
        (want, Some(same_id as u64), Some(0), untitled),
        "{file}: {pybtex} entries (pybtex, bibtexparser) should be {want} papers, with \
         {same_id} merged, none already there, and {untitled} imported without a title \
         ({why}); got (papers, merged, already there, no-title problems); first merges: \
         {merges:?}"
    );
    assert_eq!(report["added"].as_u64(), Some(listed as u64), "{file}");
    // Problems of entries are in the report: anything on stderr is the
    // library itself going wrong.
    for (command, stderr) in [("import", import_err), ("list", list_err)] {
        assert!(
            stderr.trim().is_empty(),
            "{file}: {command} left a warning: {stderr}"
        );
    }
}

macro_rules! real_bib {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($file);
            }
        )*

        /// Every file the fetch script counted has a test here.
        #[test]
        fn every_fetched_file_is_tested() {
            let tested = [$($file),*];
            for (file, _, _) in counts() {
                assert!(tested.contains(&file.as_str()), "{file} is fetched but not tested");
            }
            for known in KNOWN {
                assert!(tested.contains(&known.file), "{} is not tested", known.file);
            }
        }
    };
}

real_bib! {
    tugboat => "tugboat.bib",
    xampl => "xampl.bib",
    typeset => "typeset.bib",
    epodd => "epodd.bib",
    biblatex_examples => "biblatex-examples.bib",
    ecca_ex => "ecca-ex.bib",
    iopart_num => "iopart-num.bib",
    bibtopic_articles => "bibtopic-articles.bib",
    ieee_example => "IEEEexample.bib",
    nostarch => "nostarch.bib",
}
