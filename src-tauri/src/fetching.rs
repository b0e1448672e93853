//! "Find details and PDF": the window's fetch. The sources are asked on
//! the async runtime without the library; each paper's findings are
//! written under the library's lock (one engine call, one transaction),
//! so searching and reading go on while a fetch runs. Progress reaches
//! the window paper by paper; a fetch can be cancelled.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use lectern::model::{Applied, ImportReport, OnlineSettings};
use lectern::online::{Fetcher, OnlineOptions, PdfWanted};
use serde::Serialize;
use tauri::ipc::Channel;

use crate::commands::{AppState, ImportProgress, blocking, import_parsed, run};
use crate::error::{CommandError, CommandResult};

/// How many papers are looked for at once.
const AT_ONCE: usize = 4;

/// One paper done.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FetchStep {
    pub done: u32,
    pub total: u32,
    /// Since the fetch started, for an estimate of the time left.
    pub elapsed_ms: u32,
    pub paper: Applied,
}

/// What a whole fetch did.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
pub struct FetchSummary {
    pub total: u32,
    pub filled: u32,
    pub unchanged: u32,
    pub ambiguous: u32,
    pub not_found: u32,
    pub failed: u32,
    pub pdfs: u32,
    pub cancelled: bool,
}

/// Finds details (and, with `pdf`, the open-access PDF) for the papers
/// `keys`, or, when `keys` is empty, for every paper missing something.
/// With `dry_run` nothing is written or downloaded: each step says what
/// would be (the review before a fetch is applied).
#[tauri::command]
#[specta::specta]
pub async fn fetch_papers(
    state: AppState<'_>,
    keys: Vec<String>,
    pdf: bool,
    dry_run: bool,
    progress: Channel<FetchStep>,
) -> CommandResult<FetchSummary> {
    let shared = state.inner().clone();
    shared.fetch_cancel.store(false, Ordering::SeqCst);
    let all = keys.is_empty();
    let (targets, root, settings) = run(&state, move |lib| {
        Ok((
            lib.fetch_targets(&keys, None, all)?,
            lib.root().to_path_buf(),
            lib.online_settings()?,
        ))
    })
    .await?;
    let options = OnlineOptions::from_settings(&settings);
    let fetcher = Arc::new(Fetcher::standard(&root, &options).map_err(CommandError::from)?);
    let wanted =
        (pdf && !dry_run).then(|| PdfWanted::in_library(&root, lectern::online::download::MAX_PDF));
    let total = targets.len() as u32;
    // What the steps add up, shared with each step's future.
    let tally = Arc::new(std::sync::Mutex::new((
        FetchSummary {
            total,
            ..FetchSummary::default()
        },
        None::<CommandError>,
    )));
    let started = Instant::now();
    let progress = Arc::new(progress);
    fetcher
        .resolve_each(targets, AT_ONCE, wanted, |found| {
            let shared = shared.clone();
            let tally = Arc::clone(&tally);
            let progress = Arc::clone(&progress);
            async move {
                let writer = shared.clone();
                let applied = tauri::async_runtime::spawn_blocking(move || {
                    writer.with(|lib| lib.apply_found(&found, dry_run))
                })
                .await
                .unwrap_or_else(|e| Err(CommandError::new("internal", e.to_string())));
                let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
                let paper = match applied {
                    Ok(p) => p,
                    Err(e) => {
                        t.1 = Some(e);
                        return false;
                    }
                };
                let s = &mut t.0;
                match paper.outcome.as_str() {
                    "filled" => s.filled += 1,
                    "unchanged" => s.unchanged += 1,
                    "ambiguous" => s.ambiguous += 1,
                    "not_found" => s.not_found += 1,
                    _ => s.failed += 1,
                }
                if paper.pdf.is_some() {
                    s.pdfs += 1;
                }
                let done = s.filled + s.unchanged + s.ambiguous + s.not_found + s.failed;
                let _ = progress.send(FetchStep {
                    done,
                    total,
                    elapsed_ms: started.elapsed().as_millis().min(u32::MAX as u128) as u32,
                    paper,
                });
                if shared.fetch_cancel.load(Ordering::SeqCst) {
                    s.cancelled = true;
                    return false;
                }
                true
            }
        })
        .await;
    let (summary, failure) = std::mem::take(&mut *tally.lock().unwrap_or_else(|p| p.into_inner()));
    match failure {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

/// Imports a day's Hugging Face daily papers (`date` as `YYYY-MM-DD`;
/// `None`: the latest day).
#[tauri::command]
#[specta::specta]
pub async fn import_hf_daily(
    state: AppState<'_>,
    date: Option<String>,
    progress: Channel<ImportProgress>,
) -> CommandResult<ImportReport> {
    let shared = state.inner().clone();
    shared.cancel.store(false, Ordering::SeqCst);
    let (root, settings) = run(&state, |lib| {
        Ok((lib.root().to_path_buf(), lib.online_settings()?))
    })
    .await?;
    let fetcher = Fetcher::standard(&root, &OnlineOptions::from_settings(&settings))
        .map_err(CommandError::from)?;
    let parsed = fetcher
        .daily_papers(date.as_deref())
        .await
        .map_err(CommandError::from)?;
    blocking(move || import_parsed(&shared, parsed.papers, parsed.problems, &progress)).await?
}

/// The library's online settings.
#[tauri::command]
#[specta::specta]
pub async fn online_settings(state: AppState<'_>) -> CommandResult<OnlineSettings> {
    run(&state, |lib| lib.online_settings()).await
}

/// Saves the library's online settings.
#[tauri::command]
#[specta::specta]
pub async fn set_online_settings(
    state: AppState<'_>,
    settings: OnlineSettings,
) -> CommandResult<()> {
    run(&state, move |lib| lib.set_online_settings(&settings)).await
}

/// Stops a running fetch after the papers being looked up now.
#[tauri::command]
#[specta::specta]
pub fn cancel_fetch(state: AppState<'_>) {
    state.fetch_cancel.store(true, Ordering::SeqCst);
}
