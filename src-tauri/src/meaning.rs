//! Search by meaning in the window: a background thread keeps the vectors
//! up to date (the engine's embedding job, one commit of a few dozen texts
//! at a time, never under the library's lock, so the window stays
//! responsive), and the commands for its status, the "for you" order, the
//! search mode and getting the model (downloaded with the person's
//! consent, or taken from a folder they choose).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use lectern::library::{MeaningStatus, SearchMode};
use lectern::model::ForYouHit;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;

use crate::commands::{AppState, blocking, run};
use crate::error::{CommandError, CommandResult};
use crate::state::{Opened, State};

/// How often the thread looks for a changed library or a new model.
const LOOK_EVERY: Duration = Duration::from_secs(2);
/// Texts embedded between two looks at the library (one commit).
const STEP: usize = 64;

/// Set while a model download runs, so a second one is refused.
static DOWNLOADING: AtomicBool = AtomicBool::new(false);

/// How far the background job is: sent after each commit and when it
/// finishes.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct MeaningEvent {
    /// Texts embedded in this run, and the run's total.
    pub done: u32,
    pub total: u32,
}

/// Starts the thread that computes the vectors of the open library.
pub fn start(app: tauri::AppHandle, state: State) {
    std::thread::spawn(move || {
        let mut job: Option<(PathBuf, lectern::embed::Job)> = None;
        loop {
            std::thread::sleep(LOOK_EVERY);
            let root = match &*state.lock() {
                Opened::Library(lib) => Some(lib.root().to_path_buf()),
                Opened::Failed { .. } => None,
            };
            if job.as_ref().map(|(r, _)| r) != root.as_ref() {
                // Another library, or none yet: a job for the open one
                // (none without the model, or while another process runs
                // one; asked again at the next look).
                job = root.and_then(|r| {
                    let started = state.with(|lib| lib.embedding_job()).ok()?;
                    Some((r, started))
                });
            }
            let Some((_, running)) = job.as_mut() else {
                continue;
            };
            if !running.library_changed().unwrap_or(false) {
                continue;
            }
            let Ok(mut plan) = running.plan() else {
                job = None;
                continue;
            };
            let total = plan.remaining();
            let mut done = 0;
            let mut told = Instant::now();
            // At least one run: it also drops the vectors of deleted papers.
            loop {
                match running.run(&mut plan, STEP, |_, _| true) {
                    Ok(n) => done += n,
                    Err(_) => break,
                }
                if told.elapsed() >= Duration::from_secs(1) || plan.remaining() == 0 {
                    told = Instant::now();
                    let _ = MeaningEvent {
                        done: done as u32,
                        total: total as u32,
                    }
                    .emit(&app);
                }
                if plan.remaining() == 0 {
                    break;
                }
            }
        }
    });
}

/// Whether search by meaning works now, and how far the vectors are.
#[tauri::command]
#[specta::specta]
pub async fn meaning_status(state: AppState<'_>) -> CommandResult<MeaningStatus> {
    run(&state, |lib| lib.meaning_status()).await
}

/// Papers ordered by closeness to those the reader starred, annotated or
/// wrote on; with `query`, only those a search finds.
#[tauri::command]
#[specta::specta]
pub async fn for_you(
    state: AppState<'_>,
    query: Option<String>,
    limit: u32,
) -> CommandResult<Vec<ForYouHit>> {
    run(&state, move |lib| {
        lib.for_you(
            query.as_deref().filter(|q| !q.trim().is_empty()),
            limit as usize,
        )
    })
    .await
}

/// Sets how the search box matches by default.
#[tauri::command]
#[specta::specta]
pub async fn set_search_mode(state: AppState<'_>, mode: SearchMode) -> CommandResult<()> {
    run(&state, move |lib| lib.set_search_mode(mode)).await
}

/// What the model download will take, shown before asking.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ModelOffer {
    pub bytes: f64,
    pub from: String,
    pub into: String,
}

#[tauri::command]
#[specta::specta]
pub fn model_offer() -> ModelOffer {
    ModelOffer {
        bytes: lectern::embed::download::download_size() as f64,
        from: lectern::embed::download::base_url(),
        into: lectern::embed::model_dir().display().to_string(),
    }
}

/// Bytes downloaded so far.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ModelProgress {
    pub done: f64,
    pub total: f64,
}

/// Downloads the model (the window asked the person first, showing
/// [`model_offer`]); every file is checked before it is put in place.
#[tauri::command]
#[specta::specta]
pub async fn fetch_model(progress: Channel<ModelProgress>) -> CommandResult<()> {
    if DOWNLOADING.swap(true, Ordering::SeqCst) {
        return Err(CommandError::new(
            "busy",
            "the model is already being downloaded",
        ));
    }
    let result = blocking(move || {
        let mut told = Instant::now();
        lectern::embed::download::fetch(
            &lectern::embed::model_dir(),
            &lectern::embed::download::base_url(),
            |done, total| {
                if told.elapsed() >= Duration::from_millis(200) || done == total {
                    told = Instant::now();
                    let _ = progress.send(ModelProgress {
                        done: done as f64,
                        total: total as f64,
                    });
                }
            },
        )
    })
    .await;
    DOWNLOADING.store(false, Ordering::SeqCst);
    result?.map_err(CommandError::from)
}

/// Takes the model from a folder the person chooses in a dialog; `false`
/// when they chose none.
#[tauri::command]
#[specta::specta]
pub async fn place_model(app: tauri::AppHandle) -> CommandResult<bool> {
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("Choose the folder holding the model (config.json, tokenizer.json, model.safetensors)")
            .blocking_pick_folder();
        let Some(dir) = picked.and_then(|p| p.into_path().ok()) else {
            return Ok(false);
        };
        lectern::embed::download::place(&dir, &lectern::embed::model_dir())
            .map(|()| true)
            .map_err(CommandError::from)
    })
    .await?
}
