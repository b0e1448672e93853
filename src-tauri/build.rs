//! Reads the top-level `tauri.conf.json` (the repository keeps it beside
//! `ui/` and `icons/`, not in this folder).
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri.conf.json at the repository root");
}
