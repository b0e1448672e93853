//! The commands the web UI may call. Each one takes the shared state, runs
//! one engine call on a blocking worker thread, and returns data or a
//! [`CommandError`]. Nothing here decides anything the engine could.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use lectern::model::{Annotation, ImportReport, Note, Paper, Problem, Related, SearchHit, Status};
use lectern::views::{Backlink, Facets, Filter, Graph, PaperRef};
use lectern::{ExportReport, Library};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri::ipc::Channel;
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::error::{CommandError, CommandResult};
use crate::state::{Opened, State};

pub(crate) type AppState<'a> = tauri::State<'a, State>;

/// How many related papers the reader's panel shows.
const RELATED_LIMIT: usize = 8;

/// Runs `f` on the library on a blocking worker thread.
pub(crate) async fn run<T, F>(state: &AppState<'_>, f: F) -> CommandResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Library) -> lectern::Result<T> + Send + 'static,
{
    let shared = state.inner().clone();
    tauri::async_runtime::spawn_blocking(move || shared.with(f))
        .await
        .map_err(|e| CommandError::new("internal", e.to_string()))?
}

/// Which library is open and what it holds.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct LibraryInfo {
    pub root: String,
    pub writable: bool,
    pub facets: Option<Facets>,
    /// Why the library could not be opened, if it could not.
    pub problem: Option<CommandError>,
}

fn info(opened: &Opened) -> LibraryInfo {
    match opened {
        Opened::Library(lib) => {
            let facets = lib.facets();
            LibraryInfo {
                root: lib.root().display().to_string(),
                writable: lib.is_writable(),
                problem: facets.as_ref().err().map(CommandError::from_ref),
                facets: facets.ok(),
            }
        }
        Opened::Failed { path, error } => LibraryInfo {
            root: path.display().to_string(),
            writable: false,
            facets: None,
            problem: Some(error.clone()),
        },
    }
}

impl CommandError {
    fn from_ref(e: &lectern::Error) -> CommandError {
        CommandError::new(e.kind(), e.to_string())
    }
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| CommandError::new("internal", e.to_string()))
}

#[tauri::command]
#[specta::specta]
pub async fn library_info(state: AppState<'_>) -> CommandResult<LibraryInfo> {
    let shared = state.inner().clone();
    blocking(move || info(&shared.lock())).await
}

#[tauri::command]
#[specta::specta]
pub async fn choose_library(
    app: AppHandle,
    state: AppState<'_>,
) -> CommandResult<Option<LibraryInfo>> {
    let shared = state.inner().clone();
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title("Open a Lectern library folder")
            .blocking_pick_folder();
        let path = picked.and_then(|p| p.into_path().ok())?;
        shared.replace(path);
        Some(info(&shared.lock()))
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn search(
    state: AppState<'_>,
    query: String,
    filter: Filter,
    limit: u32,
) -> CommandResult<Vec<SearchHit>> {
    run(&state, move |lib| lib.find(&query, &filter, limit as usize)).await
}

#[tauri::command]
#[specta::specta]
pub async fn paper(state: AppState<'_>, key: String) -> CommandResult<Paper> {
    run(&state, move |lib| lib.paper(&key)).await
}

#[tauri::command]
#[specta::specta]
pub async fn related(state: AppState<'_>, key: String) -> CommandResult<Related> {
    // The closest sentences come after, from `related_sentences`.
    run(&state, move |lib| {
        lib.related_without_sentences(&key, RELATED_LIMIT)
    })
    .await
}

/// One related paper's sentence closest in meaning to the paper shown.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ClosestSentence {
    pub id: String,
    pub sentence: String,
}

/// For the related papers `others` of paper `key`, the sentence of each
/// abstract closest in meaning to it.
#[tauri::command]
#[specta::specta]
pub async fn related_sentences(
    state: AppState<'_>,
    key: String,
    others: Vec<String>,
) -> CommandResult<Vec<ClosestSentence>> {
    run(&state, move |lib| {
        Ok(lib
            .closest_sentences(&key, &others)?
            .into_iter()
            .map(|(id, sentence)| ClosestSentence { id, sentence })
            .collect())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn backlinks(state: AppState<'_>, key: String) -> CommandResult<Vec<Backlink>> {
    run(&state, move |lib| lib.backlinks(&key)).await
}

#[tauri::command]
#[specta::specta]
pub async fn complete(state: AppState<'_>, prefix: String) -> CommandResult<Vec<PaperRef>> {
    run(&state, move |lib| lib.complete(&prefix, 12)).await
}

#[tauri::command]
#[specta::specta]
pub async fn graph(state: AppState<'_>, center: Option<String>) -> CommandResult<Graph> {
    run(&state, move |lib| lib.graph(center.as_deref(), 6)).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_note(state: AppState<'_>, key: String, body: String) -> CommandResult<Note> {
    run(&state, move |lib| lib.add_note(&key, &body)).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_note(
    state: AppState<'_>,
    note_id: String,
    body: String,
) -> CommandResult<Note> {
    run(&state, move |lib| lib.update_note(&note_id, &body)).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_note(state: AppState<'_>, note_id: String) -> CommandResult<()> {
    run(&state, move |lib| lib.delete_note(&note_id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn annotate(
    state: AppState<'_>,
    key: String,
    start: u32,
    end: u32,
    color: String,
    comment: Option<String>,
) -> CommandResult<Annotation> {
    run(&state, move |lib| {
        lib.annotate_range(
            &key,
            start as usize,
            end as usize,
            comment.as_deref(),
            Some(&color),
        )
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn update_annotation(
    state: AppState<'_>,
    id: String,
    color: Option<String>,
    comment: Option<String>,
) -> CommandResult<Annotation> {
    run(&state, move |lib| {
        lib.update_annotation(&id, comment.as_deref(), color.as_deref())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_annotation(state: AppState<'_>, id: String) -> CommandResult<()> {
    run(&state, move |lib| lib.delete_annotation(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn link(
    state: AppState<'_>,
    from: String,
    to: String,
    kind: String,
) -> CommandResult<bool> {
    run(&state, move |lib| lib.link(&from, &to, &kind)).await
}

#[tauri::command]
#[specta::specta]
pub async fn unlink(
    state: AppState<'_>,
    a: String,
    b: String,
    kind: Option<String>,
) -> CommandResult<u32> {
    run(&state, move |lib| {
        lib.unlink(&a, &b, kind.as_deref()).map(|n| n as u32)
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn tag(
    state: AppState<'_>,
    key: String,
    tags: Vec<String>,
) -> CommandResult<Vec<String>> {
    run(&state, move |lib| lib.tag(&key, &tags)).await
}

#[tauri::command]
#[specta::specta]
pub async fn untag(
    state: AppState<'_>,
    key: String,
    tags: Vec<String>,
) -> CommandResult<Vec<String>> {
    run(&state, move |lib| lib.untag(&key, &tags)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_status(state: AppState<'_>, key: String, status: Status) -> CommandResult<()> {
    run(&state, move |lib| lib.set_status(&key, status)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_starred(state: AppState<'_>, key: String, starred: bool) -> CommandResult<()> {
    run(&state, move |lib| lib.set_starred(&key, starred)).await
}

/// How far a running import has come.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(tag = "stage", rename_all = "camelCase")]
pub enum ImportProgress {
    /// Reading and parsing file `done + 1` of `total`.
    Reading { file: String, done: u32, total: u32 },
    /// Writing papers into the library.
    Writing { done: u32, total: u32 },
}

/// Imports parsed papers, reporting progress and honouring Cancel.
pub(crate) fn import_parsed(
    shared: &State,
    papers: Vec<lectern::model::NewPaper>,
    problems: Vec<Problem>,
    progress: &Channel<ImportProgress>,
) -> CommandResult<ImportReport> {
    shared.with(|lib| {
        lib.import_papers_with_progress(papers, problems, &mut |done, total| {
            let _ = progress.send(ImportProgress::Writing {
                done: done as u32,
                total: total as u32,
            });
            !shared.cancel.load(Ordering::SeqCst)
        })
    })
}

#[tauri::command]
#[specta::specta]
pub async fn import_text(
    state: AppState<'_>,
    text: String,
    source: String,
    progress: Channel<ImportProgress>,
) -> CommandResult<ImportReport> {
    let shared = state.inner().clone();
    shared.cancel.store(false, Ordering::SeqCst);
    blocking(move || {
        let parsed = lectern::import::parse(&text, &source)?;
        import_parsed(&shared, parsed.papers, parsed.problems, &progress)
    })
    .await?
}

#[tauri::command]
#[specta::specta]
pub async fn import_sample(
    state: AppState<'_>,
    progress: Channel<ImportProgress>,
) -> CommandResult<ImportReport> {
    let shared = state.inner().clone();
    shared.cancel.store(false, Ordering::SeqCst);
    blocking(move || {
        let parsed = lectern::import::parse(crate::SAMPLE_LISTING, "sample papers")?;
        import_parsed(&shared, parsed.papers, parsed.problems, &progress)
    })
    .await?
}

/// Imports files (dropped on the window or picked in a dialog). A file that
/// cannot be read or parsed is reported as a problem; the others import, all
/// in one transaction.
#[tauri::command]
#[specta::specta]
pub async fn import_files(
    state: AppState<'_>,
    paths: Vec<String>,
    progress: Channel<ImportProgress>,
) -> CommandResult<ImportReport> {
    let shared = state.inner().clone();
    shared.cancel.store(false, Ordering::SeqCst);
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    // Only files the person chose in the dialog or dropped on the window.
    if let Some(p) = paths.iter().find(|p| !shared.is_granted(p)) {
        return Err(CommandError::new(
            "invalid",
            format!(
                "{}: not chosen in the Import dialog or dropped on the window; not read",
                p.display()
            ),
        ));
    }
    blocking(move || {
        let parsed = lectern::import::read_files_lenient(&paths, &mut |done, total, path| {
            let _ = progress.send(ImportProgress::Reading {
                file: path.display().to_string(),
                done: done as u32,
                total: total as u32,
            });
            !shared.cancel.load(Ordering::SeqCst)
        })
        .ok_or(lectern::Error::Cancelled)?;
        import_parsed(&shared, parsed.papers, parsed.problems, &progress)
    })
    .await?
}

#[tauri::command]
#[specta::specta]
pub fn cancel_import(state: AppState<'_>) {
    state.cancel.store(true, Ordering::SeqCst);
}

#[tauri::command]
#[specta::specta]
pub async fn pick_import_files(app: AppHandle, state: AppState<'_>) -> CommandResult<Vec<String>> {
    let shared = state.inner().clone();
    blocking(move || {
        let picked: Vec<PathBuf> = app
            .dialog()
            .file()
            .set_title("Import papers")
            .add_filter(
                "Listings and references",
                &[
                    "txt", "text", "bib", "ris", "json", "xml", "atom", "md", "pdf",
                ],
            )
            .blocking_pick_files()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.into_path().ok())
            .collect();
        shared.grant(&picked);
        picked.iter().map(|p| p.display().to_string()).collect()
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn pick_folder(
    app: AppHandle,
    state: AppState<'_>,
    title: String,
) -> CommandResult<Option<String>> {
    let shared = state.inner().clone();
    blocking(move || {
        let picked = app
            .dialog()
            .file()
            .set_title(title)
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok())?;
        shared.grant(std::slice::from_ref(&picked));
        Some(picked.display().to_string())
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn export_markdown(
    state: AppState<'_>,
    dir: String,
    keys: Option<Vec<String>>,
) -> CommandResult<ExportReport> {
    let dir = PathBuf::from(dir);
    if !state.is_granted(&dir) {
        typed_export_folder(&dir)?;
    }
    run(&state, move |lib| match keys {
        Some(keys) => lib.export_markdown_of(&dir, &keys),
        None => lib.export_markdown(&dir),
    })
    .await
}

/// Checks a folder typed into the export dialog (not chosen with its
/// Choose… button): an absolute path to a folder that does not exist yet,
/// is empty, or already holds Markdown files (an earlier export, a vault).
/// Anything else is refused, so the web view cannot have Markdown written
/// into an arbitrary folder.
fn typed_export_folder(dir: &Path) -> CommandResult<()> {
    let refuse = |why: &str| {
        Err(CommandError::new(
            "invalid",
            format!(
                "{}: {why}; choose the folder with Choose… to export there",
                dir.display()
            ),
        ))
    };
    if !dir.is_absolute() {
        return refuse("not an absolute path");
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return refuse(&e.to_string()),
    };
    let mut any = false;
    for e in entries.flatten() {
        any = true;
        if e.file_name().to_string_lossy().ends_with(".md") {
            return Ok(());
        }
    }
    if any {
        refuse("the folder is not empty and holds no Markdown files")
    } else {
        Ok(())
    }
}

/// Opens a paper's web link in the system browser. Only `http` and `https`
/// URLs are opened; the app itself never navigates away from its UI.
#[tauri::command]
#[specta::specta]
pub fn open_url(app: AppHandle, url: String) -> CommandResult<()> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(CommandError::new(
            "invalid",
            format!("not a web link, not opened: {url}"),
        ));
    }
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| CommandError::new("io", e.to_string()))
}

/// Opens a file attached to a paper (`attachments/<citekey>/…` inside the
/// library) with the system's viewer. Nothing outside that folder opens.
#[tauri::command]
#[specta::specta]
pub async fn open_attachment(
    app: AppHandle,
    state: AppState<'_>,
    path: String,
) -> CommandResult<()> {
    let file = run(&state, move |lib| lib.attachment_path(&path)).await?;
    app.opener()
        .open_path(file.display().to_string(), None::<&str>)
        .map_err(|e| CommandError::new("io", e.to_string()))
}

/// The library folder changed outside the window (or a write-out found a
/// conflict): what the sync did. `seq` counts these events; the window
/// also asks for the count now and then ([`folder_changes`]), so a change
/// whose event did not arrive still reaches it.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct FolderEvent {
    pub report: lectern::SyncReport,
    pub seq: u32,
}

/// How many [`FolderEvent`]s were sent: the window compares it with the
/// last one it received. An event is sometimes not delivered to the page
/// while the machine is busy (seen under load in the end-to-end tests);
/// the count lets the window catch up within its next look.
#[tauri::command]
#[specta::specta]
pub fn folder_changes(state: AppState<'_>) -> u32 {
    state.folder_changes.load(Ordering::SeqCst)
}

/// Corrects a paper's title, authors, year, venue, DOI and arXiv id.
#[tauri::command]
#[specta::specta]
pub async fn edit_paper(
    state: AppState<'_>,
    key: String,
    edit: lectern::model::PaperEdit,
) -> CommandResult<Paper> {
    run(&state, move |lib| lib.edit_paper(&key, &edit)).await
}

/// Moves a paper to the trash (restorable for 30 days).
#[tauri::command]
#[specta::specta]
pub async fn delete_paper(state: AppState<'_>, key: String) -> CommandResult<lectern::TrashEntry> {
    run(&state, move |lib| lib.delete_paper(&key)).await
}

/// Pairs of papers with the same title that the library keeps apart, and
/// why (the "Possible duplicates" view).
#[tauri::command]
#[specta::specta]
pub async fn possible_duplicates(
    state: AppState<'_>,
) -> CommandResult<Vec<lectern::model::PossibleDuplicate>> {
    run(&state, move |lib| lib.possible_duplicates(500)).await
}

/// Merges paper `other` into paper `keep`; `other`'s citekey becomes an
/// alias of `keep`.
#[tauri::command]
#[specta::specta]
pub async fn merge_papers(
    state: AppState<'_>,
    keep: String,
    other: String,
) -> CommandResult<Paper> {
    run(&state, move |lib| lib.merge_papers(&keep, &other)).await
}

/// Files entering, leaving or dropped on the window.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DropEvent {
    Hover,
    Left,
    Dropped { paths: Vec<String> },
}

#[cfg(test)]
mod tests {
    use super::typed_export_folder;

    #[test]
    fn a_typed_export_folder_must_be_new_empty_or_hold_markdown() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        assert!(typed_export_folder(&root.join("new")).is_ok());
        std::fs::create_dir(root.join("empty")).unwrap();
        assert!(typed_export_folder(&root.join("empty")).is_ok());
        std::fs::create_dir(root.join("vault")).unwrap();
        std::fs::write(root.join("vault/a.md"), "x").unwrap();
        assert!(typed_export_folder(&root.join("vault")).is_ok());
        std::fs::create_dir(root.join("secrets")).unwrap();
        std::fs::write(root.join("secrets/id_rsa"), "x").unwrap();
        let err = typed_export_folder(&root.join("secrets")).unwrap_err();
        assert!(err.message.contains("holds no Markdown"), "{}", err.message);
        assert!(typed_export_folder(std::path::Path::new("relative/dir")).is_err());
    }
}
