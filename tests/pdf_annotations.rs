//! The annotated copies Lectern writes, read by another PDF library: pypdf
//! (in strict mode) lists the annotations of a copy of
//! `tests/fixtures/pdf/plain.pdf` (made by reportlab), and they must be the
//! ones written, with their quadrilaterals, comments, colours and
//! appearance streams.
//!
//! pypdf lives in the virtual environment `scripts/fetch-test-data` keeps
//! in the test-data cache (`$LECTERN_TEST_DATA` or
//! `${XDG_CACHE_HOME:-$HOME/.cache}/lectern-test-data`). Without it this
//! test fails, saying so. The copy is left in the target's temporary
//! folder (`pdf_annotations.pdf`) to look at.

mod common;

use std::path::PathBuf;
use std::process::Command;

use lectern::pdf_annotations::{OutAnnotation, OutKind, Rect, with_annotations};
use serde_json::Value;

/// Lists every annotation of the PDF named by argv[1] as JSON.
const LIST: &str = r#"
import json, sys
from pypdf import PdfReader

reader = PdfReader(sys.argv[1], strict=True)
found = []
for number, page in enumerate(reader.pages, 1):
    for ref in page.get("/Annots") or []:
        a = ref.get_object()
        normal = a["/AP"]["/N"].get_object() if "/AP" in a else None
        found.append({
            "page": number,
            "subtype": a["/Subtype"],
            "quad_points": [float(v) for v in a.get("/QuadPoints", [])],
            "rect": [float(v) for v in a["/Rect"]],
            "contents": a.get("/Contents"),
            "color": [float(v) for v in a.get("/C", [])],
            "opacity": float(a.get("/CA", 1)),
            "id": a.get("/NM"),
            "author": a.get("/T"),
            "modified": a.get("/M"),
            "prints": int(a.get("/F", 0)) & 4 == 4,
            "page_ref": a.raw_get("/P").idnum == page.indirect_reference.idnum,
            "appearance": normal is not None
                and normal.get("/Subtype") == "/Form"
                and len(normal.get_data()) > 0,
        })
print(json.dumps(found))
"#;

fn pypdf_annotations(pdf: &std::path::Path) -> Vec<Value> {
    let python = common::test_data_dir().join("venv/bin/python");
    if !python.exists() {
        panic!(
            "no Python environment with pypdf at {}: run scripts/fetch-test-data first",
            python.display()
        );
    }
    let out = Command::new(&python)
        .args(["-c", LIST])
        .arg(pdf)
        .output()
        .expect("run python");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'pypdf'") {
        panic!(
            "pypdf is missing from {}: run scripts/fetch-test-data again",
            python.display()
        );
    }
    assert!(
        out.status.success(),
        "pypdf could not read the copy: {stderr}"
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .expect("JSON from the script")
        .as_array()
        .cloned()
        .expect("a list")
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|n| n.as_f64().expect("a number"))
        .collect()
}

fn assert_close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-3, "{got:?} vs {want:?}");
    }
}

#[test]
fn pypdf_reads_the_annotations_lectern_writes() {
    let plain = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pdf/plain.pdf"
    ))
    .expect("the fixture");
    let two_lines = vec![
        Rect::new(177.16, 673.25, 312.284, 684.8),
        Rect::new(72.0, 659.25, 128.859, 670.8),
    ];
    let written = [
        OutAnnotation {
            page: 1,
            kind: OutKind::Highlight,
            rects: two_lines.clone(),
            color: [1.0, 0.831, 0.0],
            comment: Some("Über zwei Zeilen ☕".into()),
            id: "0190a1b2-0000-7000-8000-000000000001".into(),
            modified: "2024-05-01T12:34:56+02:00".into(),
        },
        OutAnnotation {
            page: 2,
            kind: OutKind::Area,
            rects: vec![Rect::new(72.0, 420.0, 272.0, 560.0)],
            color: [0.18, 0.659, 0.898],
            comment: Some("The figure".into()),
            id: "0190a1b2-0000-7000-8000-000000000002".into(),
            modified: "2024-05-02T08:00:00Z".into(),
        },
        OutAnnotation {
            page: 2,
            kind: OutKind::Highlight,
            rects: vec![Rect::new(320.0, 717.25, 470.0, 728.8)],
            color: [0.373, 0.698, 0.212],
            comment: None,
            id: "0190a1b2-0000-7000-8000-000000000003".into(),
            modified: "2024-05-03T09:30:00-05:00".into(),
        },
    ];
    let copy = with_annotations(&plain, &written).expect("writes the copy");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf_annotations.pdf");
    std::fs::write(&path, &copy).expect("write the copy");

    let found = pypdf_annotations(&path);
    assert_eq!(found.len(), written.len(), "{found:#?}");
    for (got, want) in found.iter().zip(&written) {
        let id = want.id.as_str();
        assert_eq!(got["id"], id);
        assert_eq!(got["page"], want.page, "{id}");
        assert_eq!(got["author"], "Lectern", "{id}");
        assert_eq!(got["contents"].as_str(), want.comment.as_deref(), "{id}");
        assert_close(&numbers(&got["color"]), &want.color.map(f64::from));
        assert_eq!(got["opacity"], 1.0, "{id}");
        assert_eq!(got["prints"], true, "{id}");
        assert_eq!(got["page_ref"], true, "{id}");
        assert_eq!(got["appearance"], true, "{id}");
        assert!(
            got["modified"]
                .as_str()
                .is_some_and(|m| m.starts_with("D:2024050")),
            "{id}"
        );
        let bounds = want.rects[1..].iter().fold(want.rects[0], |a, r| Rect {
            x0: a.x0.min(r.x0),
            y0: a.y0.min(r.y0),
            x1: a.x1.max(r.x1),
            y1: a.y1.max(r.y1),
        });
        assert_close(
            &numbers(&got["rect"]),
            &[bounds.x0, bounds.y0, bounds.x1, bounds.y1],
        );
        match want.kind {
            OutKind::Highlight => {
                assert_eq!(got["subtype"], "/Highlight", "{id}");
                // Top-left, top-right, bottom-left, bottom-right per rectangle.
                let quads: Vec<f64> = want
                    .rects
                    .iter()
                    .flat_map(|r| [r.x0, r.y1, r.x1, r.y1, r.x0, r.y0, r.x1, r.y0])
                    .collect();
                assert_close(&numbers(&got["quad_points"]), &quads);
            }
            OutKind::Area => {
                assert_eq!(got["subtype"], "/Square", "{id}");
                assert!(numbers(&got["quad_points"]).is_empty(), "{id}");
            }
        }
    }
}
