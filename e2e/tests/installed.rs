//! The installed package's window. `scripts/test-package` installs the
//! `.deb`, imports the sample listing with the installed `lectern`, then
//! runs this test (ignored otherwise) with `LECTERN_INSTALLED_LIBRARY`
//! naming that library and `LECTERN_INSTALLED_APP` the installed program.

use anyhow::{Context, Result};
use lectern_e2e::App;

#[tokio::test]
#[ignore = "needs the installed package: run by scripts/test-package"]
async fn the_installed_window_finds_a_paper_the_installed_cli_imported() -> Result<()> {
    let program = std::env::var_os("LECTERN_INSTALLED_APP").unwrap_or("/usr/bin/lectern".into());
    let library = std::env::var_os("LECTERN_INSTALLED_LIBRARY")
        .context("LECTERN_INSTALLED_LIBRARY names the library the installed CLI filled")?;
    let app = App::start_binary_on(std::path::Path::new(&program), library.into(), None).await?;
    let run = async {
        app.search("VideoMAE V2").await?;
        app.open_paper("VideoMAE V2", "VideoMAE V2").await?;
        app.text("#paper-title").await
    }
    .await;
    let _ = app.close().await?;
    let title = run?;
    assert!(title.starts_with("VideoMAE V2"), "{title}");
    Ok(())
}
