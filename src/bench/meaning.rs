//! `lectern bench --meaning`: the speed of search by meaning.
//!
//! - Embedding: abstracts per second for each model given (`--model DIR`,
//!   several to compare), on the real titles and abstracts of the sample
//!   listing, batched as the background job batches them; the time 100,000
//!   papers would take follows.
//! - Query: embedding a query alone.
//! - At each `--papers` size: a synthetic library (the corpus of the main
//!   benchmark) with one stored vector per paper (random unit vectors: the
//!   scan's cost does not depend on what they hold), then hybrid search,
//!   search by meaning alone and related papers by meaning, timed through
//!   the façade as the window and the CLI call them. With
//!   `--vectors-only`, the library is skipped and only the vector work
//!   (query embedding and scan) is timed, for sizes too big to import.
//! - Disk: bytes per vector in `.lectern/embeddings.db`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{BenchArgs, Latency, latency};
use crate::Library;
use crate::embed::store::{Row, VectorStore};
use crate::embed::{Model, Quantized, VectorSet};

/// One model's embedding speed.
#[derive(Debug, Serialize)]
pub struct ModelSpeed {
    pub model: String,
    /// What ran it (AMX tiles or candle).
    pub runtime: String,
    pub dims: usize,
    pub texts: usize,
    pub texts_per_s: f64,
    /// 100,000 papers at that speed, in minutes.
    pub minutes_for_100k: f64,
    pub query: Latency,
}

/// The figures at one library size.
#[derive(Debug, Serialize)]
pub struct SizeFigures {
    pub papers: u64,
    pub latencies: Vec<Latency>,
    pub bytes_per_vector: f64,
    /// With real vectors: the share of the exact scan's 10 and 50
    /// nearest that the signature prefilter finds.
    pub prefilter_recall: Option<(f64, f64)>,
}

#[derive(Debug, Serialize)]
pub struct MeaningReport {
    pub models: Vec<ModelSpeed>,
    pub sizes: Vec<SizeFigures>,
}

/// The sample listing: real titles and abstracts.
const SAMPLE: &str = include_str!("../../tests/fixtures/trending-papers.txt");

/// Queries a person might type to find papers by their idea.
const QUERIES: [&str; 10] = [
    "pretraining on recordings of brain cells firing",
    "self-supervised pretraining for point clouds",
    "merging the weights of several finetuned networks",
    "detecting phishing web addresses",
    "recovering the shape of a scene from a couple of photos",
    "tweets written during earthquakes and floods",
    "predicting dementia from clinical notes",
    "making transformers faster by removing parts",
    "robot arms grasping objects using image models",
    "a foundation model for spreadsheets",
];

pub fn run(
    args: &BenchArgs,
    models: &[PathBuf],
    vectors_only: bool,
    json: bool,
) -> anyhow::Result<()> {
    let models: Vec<PathBuf> = if models.is_empty() {
        vec![crate::embed::model_dir()]
    } else {
        models.to_vec()
    };
    let texts = sample_texts()?;
    let mut report = MeaningReport {
        models: Vec::new(),
        sizes: Vec::new(),
    };
    let mut first: Option<Model> = None;
    for dir in &models {
        eprintln!("embedding with {}…", dir.display());
        let model = Model::load(dir)?;
        report.models.push(speed(&model, &texts)?);
        if first.is_none() {
            first = Some(model);
        }
    }
    let Some(model) = first else {
        anyhow::bail!("no model given");
    };
    for &n in &args.papers {
        report.sizes.push(if vectors_only {
            vectors_alone(&model, n, args.seed, args.vectors_from.as_deref())?
        } else {
            through_library(args, &models[0], &model, n)?
        });
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(&report));
    }
    if let Some(path) = &args.json_out {
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")?;
    }
    Ok(())
}

/// The sample listing's titles and abstracts, as the job embeds them.
fn sample_texts() -> anyhow::Result<Vec<String>> {
    let dir = tempfile::tempdir()?;
    let mut lib = Library::open(dir.path().join("sample"))?;
    lib.import_text(SAMPLE, "sample")?;
    let mut texts = Vec::new();
    for p in lib.list(None, None)? {
        let mut t = String::new();
        crate::store::texts::about_text(&mut t, &p.title, &p.abstract_text);
        texts.push(t);
    }
    Ok(texts)
}

fn speed(model: &Model, texts: &[String]) -> anyhow::Result<ModelSpeed> {
    // Warm up, then passes sorted by length, in the job's chunks: at
    // least three, and at least ten seconds' worth.
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    model.embed(&refs[..refs.len().min(8)])?;
    let mut sorted = refs.clone();
    sorted.sort_by_key(|t| t.len());
    let t = Instant::now();
    let mut done = 0;
    let mut passes = 0;
    while passes < 3 || t.elapsed() < Duration::from_secs(10) {
        for chunk in sorted.chunks(64) {
            done += model.embed(chunk)?.len();
        }
        passes += 1;
    }
    let per_s = done as f64 / t.elapsed().as_secs_f64();
    let mut samples = Vec::new();
    for _ in 0..5 {
        for q in QUERIES {
            let t = Instant::now();
            std::hint::black_box(model.embed(&[q])?);
            samples.push(t.elapsed());
        }
    }
    Ok(ModelSpeed {
        model: model.id().shown(),
        runtime: model.runtime().to_string(),
        dims: model.id().dims,
        texts: done,
        texts_per_s: per_s,
        minutes_for_100k: 100_000.0 / per_s / 60.0,
        query: latency("query embedding", samples),
    })
}

/// Deterministic random unit vectors, quantized.
struct Vectors {
    state: u64,
    dims: usize,
}

impl Vectors {
    fn next(&mut self) -> Quantized {
        let v: Vec<f32> = (0..self.dims)
            .map(|_| {
                self.state ^= self.state << 13;
                self.state ^= self.state >> 7;
                self.state ^= self.state << 17;
                (self.state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
            })
            .collect();
        Quantized::from_floats(&crate::embed::model::normalised(v))
    }
}

/// The vector work alone at `n` papers: query embedding and the scan.
fn vectors_alone(
    model: &Model,
    n: u64,
    seed: u64,
    from: Option<&Path>,
) -> anyhow::Result<SizeFigures> {
    let dims = model.id().dims;
    let mut set = match from {
        Some(dir) => VectorStore::open(&dir.join(crate::library::PRIVATE_DIR))?.load(dims)?,
        None => VectorSet::new(dims),
    };
    let real = set.vectors();
    eprintln!(
        "{real} real vectors, {} random ones…",
        (n as usize).saturating_sub(real)
    );
    let mut random = Vectors {
        state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
        dims,
    };
    // After every real id (hexadecimal), in order.
    for i in real as u64..n {
        set.push(&format!("~{i:012}"), &random.next());
    }
    let mut queries = Vec::new();
    for q in QUERIES {
        queries.push(Quantized::from_floats(
            &model.embed(&[q])?.pop().unwrap_or_default(),
        ));
    }
    // With real vectors, papers' own vectors are queries too.
    let ids: Vec<String> = set.ids().take(real).map(str::to_string).collect();
    for id in ids.iter().step_by((ids.len() / 90).max(1)).take(90) {
        queries.extend(set.of(id).into_iter().take(1));
    }
    let mut scan = Vec::new();
    let mut exact_scan = Vec::new();
    let mut both = Vec::new();
    for _ in 0..10 {
        for q in QUERIES {
            let t = Instant::now();
            let v = Quantized::from_floats(&model.embed(&[q])?.pop().unwrap_or_default());
            let embedded = t.elapsed();
            std::hint::black_box(set.nearest(&v, 50, |_| false));
            both.push(t.elapsed());
            scan.push(t.elapsed() - embedded);
            let t = Instant::now();
            std::hint::black_box(set.nearest_by(&v, 50, |_| false, false));
            exact_scan.push(t.elapsed());
        }
    }
    let prefilter_recall = (real > 0).then(|| {
        let (mut at10, mut at50) = (0usize, 0usize);
        for q in &queries {
            let exact = set.nearest_by(q, 50, |_| false, false);
            let quick = set.nearest_by(q, 50, |_| false, true);
            let found = |k: usize| {
                quick[..k.min(quick.len())]
                    .iter()
                    .filter(|x| exact[..k.min(exact.len())].iter().any(|e| e.1 == x.1))
                    .count()
            };
            at10 += found(10);
            at50 += found(50);
        }
        let n = queries.len().max(1) as f64;
        (at10 as f64 / (10.0 * n), at50 as f64 / (50.0 * n))
    });
    Ok(SizeFigures {
        papers: n.max(real as u64),
        latencies: vec![
            latency(
                if set.vectors() >= crate::embed::vectors::PREFILTER_FROM {
                    "vector search (top 50; signatures, then exact)"
                } else {
                    "vector search (top 50; exact)"
                },
                scan,
            ),
            latency("exact scan alone (top 50)", exact_scan),
            latency("query embedding + vector search", both),
        ],
        bytes_per_vector: f64::NAN,
        prefilter_recall,
    })
}

/// Hybrid search, meaning alone and related by meaning through the
/// façade, on a synthetic library of `n` papers with a vector each.
fn through_library(
    args: &BenchArgs,
    model_dir: &Path,
    model: &Model,
    n: u64,
) -> anyhow::Result<SizeFigures> {
    let (_tmp, root) = super::library_root(args, n)?;
    let corpus = super::corpus::Corpus::new(args.seed, args.topics);
    let papers: Vec<crate::model::NewPaper> = corpus.papers(n).map(|cp| cp.paper).collect();
    let imported = super::import_or_reuse(&root, papers, n)?;
    let private = root.join(crate::library::PRIVATE_DIR);
    let mut store = VectorStore::open(&private)?;
    if store.model()?.as_deref() != Some(&model.id().key()) || store.count()? != n {
        eprintln!("storing {n} vectors…");
        store.use_model(&model.id().key())?;
        let mut random = Vectors {
            state: args.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
            dims: model.id().dims,
        };
        for chunk in imported.ids.chunks(10_000) {
            let rows: Vec<Row> = chunk
                .iter()
                .map(|id| Row {
                    paper_id: id.clone(),
                    part: 0,
                    source: 0,
                    vector: random.next(),
                })
                .collect();
            store.write(&rows, &[])?;
        }
    }
    drop(store);
    let bytes = disk_bytes(&private);
    // SAFETY of the environment: this benchmark is single-threaded here.
    unsafe { std::env::set_var("LECTERN_MODEL", model_dir) };
    let lib = Library::open_with(&root, crate::library::Opening::BULK)?;
    // The first search loads the model and the vectors.
    let t = Instant::now();
    lib.search("masked autoencoders for video", 10)?;
    let first = t.elapsed();
    let q = corpus.queries(args.queries);
    let timed = |queries: &[String], prefix: &str| -> anyhow::Result<Vec<Duration>> {
        let mut out = Vec::new();
        for query in queries {
            let t = Instant::now();
            std::hint::black_box(lib.search(&format!("{prefix}{query}"), 10)?);
            out.push(t.elapsed());
        }
        Ok(out)
    };
    let mut ideas: Vec<String> = QUERIES.iter().map(|s| s.to_string()).collect();
    ideas.extend(q.best_match.iter().take(90).cloned());
    let hybrid = timed(&ideas, "")?;
    let meaning = timed(&ideas, "~")?;
    let words = timed(&ideas, "=")?;
    // As the background job runs: it commits 64 vectors, then a search.
    let mut job = VectorStore::open(&private)?;
    let mut redone = Vectors {
        state: args.seed.wrapping_mul(0xD134_2543_DE82_EF95) | 1,
        dims: model.id().dims,
    };
    let mut during_job = Vec::new();
    let mut notes: Vec<(String, u8)> = Vec::new();
    for (round, chunk) in imported.ids.chunks(64).step_by(31).take(50).enumerate() {
        let rows: Vec<Row> = chunk
            .iter()
            .map(|id| Row {
                paper_id: id.clone(),
                part: 1,
                source: 0,
                vector: redone.next(),
            })
            .collect();
        job.write(&rows, &[])?;
        notes.extend(chunk.iter().map(|id| (id.clone(), 1)));
        let t = Instant::now();
        std::hint::black_box(lib.search(&format!("~{}", ideas[round % ideas.len()]), 10)?);
        during_job.push(t.elapsed());
    }
    // Left as it was, so the next run reuses the library.
    job.write(&[], &notes)?;
    drop(job);
    // 100 papers spread over the library, each timed.
    let sample: Vec<&String> = imported
        .ids
        .iter()
        .step_by((n as usize / 100).max(1))
        .take(100)
        .collect();
    let each = |f: &dyn Fn(&str) -> anyhow::Result<()>| -> anyhow::Result<Vec<Duration>> {
        let mut out = Vec::new();
        for id in &sample {
            let t = Instant::now();
            f(id)?;
            out.push(t.elapsed());
        }
        Ok(out)
    };
    let related = each(&|id| {
        std::hint::black_box(lib.related(id, 10)?);
        Ok(())
    })?;
    let listed = each(&|id| {
        std::hint::black_box(lib.related_without_sentences(id, 10)?);
        Ok(())
    })?;
    // The neighbours by meaning alone, without the sentence that explains
    // each (the part of "related" that grows with the library).
    let set = VectorStore::open(&private)?.load(model.id().dims)?;
    let neighbours = each(&|id| {
        for v in set.of(id) {
            std::hint::black_box(set.nearest(&v, 50, |o| o == id));
        }
        Ok(())
    })?;
    let mut first_l = latency("first search (loads model and vectors)", vec![first]);
    first_l.queries = 1;
    Ok(SizeFigures {
        papers: n,
        latencies: vec![
            first_l,
            latency("hybrid search", hybrid),
            latency("meaning only (~)", meaning),
            latency("words only (=)", words),
            latency(
                "meaning only, each just after the job stored 64 vectors",
                during_job,
            ),
            latency(
                "related (terms + meaning, with the closest sentence)",
                related,
            ),
            latency("related, the list the window shows first", listed),
            latency("related by meaning: the neighbours alone", neighbours),
        ],
        bytes_per_vector: bytes as f64 / n as f64,
        prefilter_recall: None,
    })
}

/// Bytes of the vector file and its write-ahead log.
fn disk_bytes(private: &Path) -> u64 {
    ["embeddings.db", "embeddings.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(private.join(f)).ok())
        .map(|m| m.len())
        .sum()
}

/// The report as Markdown tables.
pub fn table(r: &MeaningReport) -> String {
    let mut s = String::from(
        "| model | runtime | dims | texts | texts/s | 100k papers | query embedding p50 / p99 |\n|---|---|---:|---:|---:|---:|---:|\n",
    );
    for m in &r.models {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {:.1} | {:.1} min | {:.1} / {:.1} ms |\n",
            m.model,
            m.runtime,
            m.dims,
            m.texts,
            m.texts_per_s,
            m.minutes_for_100k,
            m.query.p50_ms,
            m.query.p99_ms
        ));
    }
    for size in &r.sizes {
        s.push_str(&format!(
            "\n{} papers{}\n\n| stage | n | p50 | p90 | p99 | max |\n|---|---:|---:|---:|---:|---:|\n",
            size.papers,
            if let Some((at10, at50)) = size.prefilter_recall {
                format!(" (the prefilter finds {:.1} % of the exact 10 nearest, {:.1} % of the 50)", at10 * 100.0, at50 * 100.0)
            } else if size.bytes_per_vector.is_finite() {
                format!(" ({:.0} bytes per stored vector on disk)", size.bytes_per_vector)
            } else {
                String::new()
            }
        ));
        for l in &size.latencies {
            s.push_str(&format!(
                "| {} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |\n",
                l.kind, l.queries, l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms
            ));
        }
    }
    s
}
