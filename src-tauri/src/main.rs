//! `lectern-desktop`: the Tauri window over the engine.
//!
//! This crate stays thin. Each command in [`commands`] takes the shared
//! state, calls one engine method on a blocking worker thread (never the
//! main thread), maps the engine's error to `{kind, message}` and returns
//! data. The web UI in `ui/` calls the commands through `ui/src/bindings.ts`,
//! which [`bindings`] generates from these Rust signatures.

mod attachments;
mod bindings;
mod commands;
mod error;
mod fetching;
mod meaning;
mod pdf_reader;
mod state;
mod watch;

use tauri_specta::Event;

/// The seed listing, bundled so an empty library can be tried at once.
pub const SAMPLE_LISTING: &str = include_str!("../../tests/fixtures/trending-papers.txt");

/// Keeps the window on the app's own pages: a link that would navigate the
/// web view elsewhere is refused (web links open in the system browser
/// through the `open_url` command instead).
fn navigation_guard() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_, url| is_app_url(url))
        .build()
}

fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => true,
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

/// The window program (`/usr/lib/lectern/lectern-window` in the package,
/// which `lectern` with no command runs). Without a command it opens the
/// window, first handing any files it was given (a file manager's "Open
/// with Lectern") to the library's inbox; with one it is the command line,
/// like `lectern`.
fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    match lectern::cli::launch(&args) {
        lectern::cli::Launch::Cli => lectern::cli::main(),
        lectern::cli::Launch::Window { open, library } => {
            let root = library.unwrap_or_else(state::default_library);
            match lectern::Library::deliver_to_inbox(&root, &open) {
                Ok(_) => window(root, open.len()),
                Err(e) => {
                    eprintln!(
                        "lectern: error: cannot hand a file to {}: {e}",
                        root.display()
                    );
                    std::process::ExitCode::FAILURE
                }
            }
        }
    }
}

/// Opens the window on the library at `root`. When `opened` files were
/// just put in its inbox and another Lectern holds the library, that one
/// imports them, and no second window opens.
fn window(root: std::path::PathBuf, opened: usize) -> std::process::ExitCode {
    let shared = state::Shared::start(root);
    if opened > 0 && shared.held_elsewhere() {
        println!(
            "lectern: {opened} file{} handed to the Lectern that has this library open",
            if opened == 1 { "" } else { "s" }
        );
        return std::process::ExitCode::SUCCESS;
    }
    let builder = bindings::builder();
    let for_watcher = shared.clone();
    let for_drops = shared.clone();
    let for_reader = shared.clone();
    let for_meaning = shared.clone();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(navigation_guard())
        .register_asynchronous_uri_scheme_protocol(
            attachments::SCHEME,
            attachments::serve(for_reader),
        )
        .manage(shared)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            watch::start(app.handle().clone(), for_watcher);
            meaning::start(app.handle().clone(), for_meaning);
            Ok(())
        })
        .on_window_event(move |window, event| {
            if let tauri::WindowEvent::DragDrop(drop) = event {
                let payload = match drop {
                    tauri::DragDropEvent::Enter { .. } | tauri::DragDropEvent::Over { .. } => {
                        commands::DropEvent::Hover
                    }
                    tauri::DragDropEvent::Drop { paths, .. } => {
                        // Dropped files may be imported: the person chose them.
                        for_drops.grant(paths);
                        commands::DropEvent::Dropped {
                            paths: paths.iter().map(|p| p.display().to_string()).collect(),
                        }
                    }
                    _ => commands::DropEvent::Left,
                };
                let _ = payload.emit(window);
            }
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .unwrap_or_else(|e| {
            eprintln!("lectern: error: {e}");
            std::process::exit(1);
        });
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::is_app_url;

    #[test]
    fn only_the_apps_own_pages_may_load() {
        let ok = ["tauri://localhost/", "http://tauri.localhost/index.html"];
        let refused = [
            "https://example.com/",
            "http://localhost:1420/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://tauri.localhost.evil.com/",
        ];
        for u in ok {
            assert!(is_app_url(&u.parse().unwrap()), "{u}");
        }
        for u in refused {
            assert!(!is_app_url(&u.parse().unwrap()), "{u}");
        }
    }
}
