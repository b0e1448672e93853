//! The commands of the reader's PDF view: reading a paper's PDF ahead of
//! highlighting it, highlights on its pages, a new version of it, the
//! annotations other readers stored in it, and a copy with the highlights.
//! The bytes themselves come through the `attachment:` protocol
//! (`attachments.rs`).

use std::path::PathBuf;

use lectern::model::{Annotation, PdfAnnotationsRead, PdfInfo, PdfReplaced, PdfSelection};
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

use crate::commands::{AppState, blocking, run};
use crate::error::{CommandError, CommandResult};

/// Reads a paper's PDF (`file`, or its first) so highlights on it are
/// stored at once.
#[tauri::command]
#[specta::specta]
pub async fn prepare_pdf(
    state: AppState<'_>,
    key: String,
    file: Option<String>,
) -> CommandResult<PdfInfo> {
    run(&state, move |lib| lib.prepare_pdf(&key, file.as_deref())).await
}

/// Highlights a selection or an area on a page of a paper's PDF.
#[tauri::command]
#[specta::specta]
pub async fn annotate_pdf(
    state: AppState<'_>,
    key: String,
    selection: PdfSelection,
    color: String,
    comment: Option<String>,
) -> CommandResult<Annotation> {
    run(&state, move |lib| {
        lib.annotate_pdf(&key, &selection, comment.as_deref(), Some(&color))
    })
    .await
}

/// Makes a new version the paper's PDF, carrying its highlights over: the
/// file dropped on the window (`path`, which must be one the person
/// dropped or chose), or one chosen now in a dialog. `None` when the
/// dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn replace_pdf(
    app: AppHandle,
    state: AppState<'_>,
    key: String,
    path: Option<String>,
) -> CommandResult<Option<PdfReplaced>> {
    let file = match path {
        Some(p) => {
            let p = PathBuf::from(p);
            if !state.is_granted(&p) {
                return Err(CommandError::new(
                    "invalid",
                    format!("{}: not a file you dropped or chose", p.display()),
                ));
            }
            p
        }
        None => {
            let picked = blocking(move || {
                app.dialog()
                    .file()
                    .set_title("New version of the PDF")
                    .add_filter("PDF", &["pdf"])
                    .blocking_pick_file()
                    .and_then(|p| p.into_path().ok())
            })
            .await?;
            match picked {
                Some(p) => p,
                None => return Ok(None),
            }
        }
    };
    run(&state, move |lib| lib.replace_pdf(&key, &file).map(Some)).await
}

/// Reads the annotations other readers stored in a paper's PDF.
#[tauri::command]
#[specta::specta]
pub async fn read_pdf_annotations(
    state: AppState<'_>,
    key: String,
) -> CommandResult<PdfAnnotationsRead> {
    run(&state, move |lib| lib.read_pdf_annotations(&key)).await
}

/// Saves a copy of a paper's PDF with its highlights where the person
/// chooses in a dialog. Returns where, or `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_pdf_with_highlights(
    app: AppHandle,
    state: AppState<'_>,
    key: String,
    suggested: String,
) -> CommandResult<Option<String>> {
    let picked = blocking(move || {
        app.dialog()
            .file()
            .set_title("Save PDF with highlights")
            .set_file_name(suggested)
            .add_filter("PDF", &["pdf"])
            .blocking_save_file()
            .and_then(|p| p.into_path().ok())
    })
    .await?;
    let Some(out) = picked else {
        return Ok(None);
    };
    run(&state, move |lib| {
        lib.export_pdf(&key, &out)?;
        Ok(Some(out.display().to_string()))
    })
    .await
}
