use fantoccini::Locator;
use lectern_e2e::App;
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let app = App::with_sample().await?;
    app.open_paper("context autoencoder", "Context Autoencoder")
        .await?;
    let e = app.client.find(Locator::Css("#tab-notes")).await?;
    println!("rect {:?}", e.rectangle().await);
    let r = e.click().await;
    println!("click {r:?}");
    app.screenshot(std::path::Path::new("/tmp/probe.png"))
        .await?;
    let _ = app.close().await?;
    Ok(())
}
