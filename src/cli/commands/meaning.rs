//! Search by meaning from the command line: computing the vectors
//! (`embed`), the model (`model status|fetch|place`) and the "for you"
//! order (`rank --for-me`).

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{open_for_reading, open_library};
use crate::cli::args::ModelCommand;
use crate::cli::output::{Output, print_json};
use crate::cli::progress::Progress;
use crate::embed;

/// `lectern embed`: computes the missing and stale vectors.
pub(in crate::cli) fn embed(root: &Path, out: &Output, limit: Option<usize>) -> anyhow::Result<()> {
    let lib = open_library(root)?;
    let mut job = lib.embedding_job()?;
    let mut plan = job.plan()?;
    let todo = plan.remaining();
    let started = std::time::Instant::now();
    let mut bar = Progress::new("embedding");
    let done = job.run(&mut plan, limit.unwrap_or(usize::MAX), |done, total| {
        bar.show(done, total);
        true
    })?;
    bar.clear();
    let secs = started.elapsed().as_secs_f64();
    let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
    out.done(
        &serde_json::json!({
            "embedded": done,
            "remaining": todo - done,
            "up_to_date": plan.current,
            "seconds": secs,
        }),
        &format!(
            "Embedded {done} texts in {secs:.1} s ({rate:.0}/s); {} left, {} already up to date",
            todo - done,
            plan.current
        ),
    )
}

/// `lectern model …`.
pub(in crate::cli) fn model(root: &Path, out: &Output, cmd: ModelCommand) -> anyhow::Result<()> {
    match cmd {
        ModelCommand::Status => status(root, out),
        ModelCommand::Fetch { yes } => fetch(out, yes),
        ModelCommand::Place { dir } => {
            let dest = embed::model_dir();
            embed::download::place(&dir, &dest)?;
            out.done(
                &serde_json::json!({ "model_dir": dest }),
                &format!("Model placed in {}", dest.display()),
            )
        }
    }
}

fn status(root: &Path, out: &Output) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    let s = lib.meaning_status()?;
    if out.is_json() {
        return print_json(&s);
    }
    println!("model folder  {}", s.model_dir);
    match (&s.model, &s.problem) {
        (Some(model), _) => println!("model         {model}"),
        (None, Some(problem)) => println!("model         none: {problem}"),
        (None, None) => println!("model         none"),
    }
    if let Some(runtime) = &s.runtime {
        println!("runs on       {runtime}");
    }
    println!("embedded      {} of {} papers", s.embedded, s.papers);
    println!("search mode   {}", s.mode.as_str());
    Ok(())
}

fn fetch(out: &Output, yes: bool) -> anyhow::Result<()> {
    let dest = embed::model_dir();
    let base = embed::download::base_url();
    let mb = embed::download::download_size() as f64 / 1e6;
    if !yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "fetching the model downloads {mb:.0} MB from {base}; run `lectern model fetch --yes` to agree"
            );
        }
        eprint!(
            "Download the embedding model ({mb:.0} MB) from {base}\ninto {}? Search by meaning runs on this machine; nothing else is sent. [y/N] ",
            dest.display()
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            anyhow::bail!("not downloaded");
        }
    }
    let mut bar = Progress::new("downloading");
    embed::download::fetch(&dest, &base, |done, total| {
        bar.show((done / 1024) as usize, (total / 1024) as usize)
    })?;
    bar.clear();
    out.done(
        &serde_json::json!({ "model_dir": dest }),
        &format!("Model installed in {}", dest.display()),
    )
}

/// `lectern rank --for-me`.
pub(in crate::cli) fn for_you(
    root: &Path,
    out: &Output,
    query: Option<&str>,
    limit: usize,
) -> anyhow::Result<()> {
    let lib = open_for_reading(root)?;
    let hits = lib.for_you(query, limit)?;
    if out.is_json() {
        return print_json(&hits);
    }
    if hits.is_empty() {
        println!("No papers to order.");
    }
    for h in &hits {
        println!("{:<36} {:>5.2}  {}", h.citekey, h.score, h.title);
        println!("    close to {} ({})", h.because_citekey, h.because_title);
    }
    Ok(())
}
