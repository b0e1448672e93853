//! The typed bridge to the UI: every command and event is registered here,
//! and `ui/src/bindings.ts` is generated from their Rust signatures, with the
//! engine's constants the UI shows (the highlight palette).
//!
//! Regenerate with `LECTERN_WRITE_BINDINGS=1 cargo test -p lectern-desktop`;
//! the test below fails while the committed file is stale.

use tauri_specta::{Builder, collect_commands, collect_events};

use crate::{commands, fetching, meaning, pdf_reader};

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::library_info,
            commands::folder_changes,
            fetching::fetch_papers,
            fetching::cancel_fetch,
            fetching::import_hf_daily,
            fetching::online_settings,
            fetching::set_online_settings,
            commands::choose_library,
            commands::search,
            commands::paper,
            commands::related,
            commands::related_sentences,
            commands::backlinks,
            commands::complete,
            commands::graph,
            commands::add_note,
            commands::update_note,
            commands::delete_note,
            commands::annotate,
            commands::update_annotation,
            commands::delete_annotation,
            commands::link,
            commands::unlink,
            commands::tag,
            commands::untag,
            commands::set_status,
            commands::set_starred,
            commands::import_text,
            commands::import_sample,
            commands::import_files,
            commands::cancel_import,
            commands::pick_import_files,
            commands::pick_folder,
            commands::export_markdown,
            commands::open_url,
            commands::open_attachment,
            commands::delete_paper,
            commands::edit_paper,
            commands::possible_duplicates,
            commands::merge_papers,
            pdf_reader::prepare_pdf,
            pdf_reader::annotate_pdf,
            pdf_reader::replace_pdf,
            pdf_reader::read_pdf_annotations,
            pdf_reader::save_pdf_with_highlights,
            meaning::meaning_status,
            meaning::for_you,
            meaning::set_search_mode,
            meaning::model_offer,
            meaning::fetch_model,
            meaning::place_model,
        ])
        .events(collect_events![
            commands::DropEvent,
            commands::FolderEvent,
            meaning::MeaningEvent
        ])
        .constant("PALETTE", lectern::model::PALETTE)
        .dangerously_cast_bigints_to_number()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use specta_typescript::Typescript;

    fn committed() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts")
    }

    #[test]
    fn committed_bindings_are_current() {
        let dir = tempfile_dir();
        let fresh = dir.join("bindings.ts");
        super::builder()
            .export(Typescript::default().header("// @ts-nocheck\n"), &fresh)
            .expect("export bindings");
        let fresh = std::fs::read_to_string(&fresh).expect("read fresh bindings");
        if std::env::var_os("LECTERN_WRITE_BINDINGS").is_some() {
            std::fs::write(committed(), &fresh).expect("write ui/src/bindings.ts");
        }
        let old = std::fs::read_to_string(committed()).unwrap_or_default();
        assert!(
            old == fresh,
            "ui/src/bindings.ts is stale; run LECTERN_WRITE_BINDINGS=1 cargo test -p lectern-desktop"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lectern-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
