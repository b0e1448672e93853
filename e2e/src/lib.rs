//! Drives the real Lectern desktop app through WebDriver: `tauri-driver`
//! (with WebKitWebDriver) starts the built `lectern-desktop` binary on a
//! temporary library, and the tests click and type like a person would.
//!
//! Needs a display (run under `xvfb-run`), `tauri-driver` on `PATH`, and a
//! built app (`cargo build -p lectern-desktop` after `npm run build` in
//! `ui/`). `scripts/test` arranges all three.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long to wait for something to appear before failing.
pub const WAIT: Duration = Duration::from_secs(20);

/// The cargo target folder the app and CLI were built into.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target")
}

pub fn app_binary() -> PathBuf {
    target_dir().join("debug/lectern-desktop")
}

pub fn cli_binary() -> PathBuf {
    target_dir().join("debug/lectern")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A running app with its own library, driven through one WebDriver session.
pub struct App {
    pub client: Client,
    pub library: PathBuf,
    _dir: Option<tempfile::TempDir>,
    driver: Child,
}

impl App {
    /// Starts the app on a new, empty library.
    pub async fn start() -> Result<App> {
        let dir = tempfile::tempdir()?;
        let library = dir.path().join("library");
        App::start_on(library, Some(dir)).await
    }

    /// Starts the app on a new library holding the seed listing (imported
    /// with the `lectern` CLI, so each test starts in a known state).
    pub async fn with_sample() -> Result<App> {
        App::with_sample_and_env(&[]).await
    }

    /// [`App::with_sample`], the app started with `env` set (the web
    /// sources' base URLs, say).
    pub async fn with_sample_and_env(env: &[(&str, String)]) -> Result<App> {
        let dir = tempfile::tempdir()?;
        let library = dir.path().join("library");
        let status = Command::new(cli_binary())
            .arg("--library")
            .arg(&library)
            .arg("import")
            .arg(fixture("trending-papers.txt"))
            .stdout(Stdio::null())
            .status()
            .with_context(|| format!("running {}", cli_binary().display()))?;
        if !status.success() {
            bail!("lectern import failed");
        }
        App::start_binary_with(&app_binary(), library, Some(dir), env).await
    }

    /// Starts the app on `library` (created if missing).
    pub async fn start_on(library: PathBuf, dir: Option<tempfile::TempDir>) -> Result<App> {
        App::start_binary_on(&app_binary(), library, dir).await
    }

    /// Starts the given app binary on `library`.
    pub async fn start_binary_on(
        app: &Path,
        library: PathBuf,
        dir: Option<tempfile::TempDir>,
    ) -> Result<App> {
        App::start_binary_with(app, library, dir, &[]).await
    }

    /// [`App::start_binary_on`] with `env` set for the app.
    pub async fn start_binary_with(
        app: &Path,
        library: PathBuf,
        dir: Option<tempfile::TempDir>,
        env: &[(&str, String)],
    ) -> Result<App> {
        App::launch(app, &[], library, dir, env).await
    }

    /// Starts `app` with command-line `args` (files opened with Lectern,
    /// as a file manager passes them) on `library`.
    pub async fn start_with_args(
        app: &Path,
        args: &[String],
        library: PathBuf,
        dir: Option<tempfile::TempDir>,
    ) -> Result<App> {
        App::launch(app, args, library, dir, &[]).await
    }

    async fn launch(
        app: &Path,
        args: &[String],
        library: PathBuf,
        dir: Option<tempfile::TempDir>,
        env: &[(&str, String)],
    ) -> Result<App> {
        if !app.exists() {
            bail!("{} is not built", app.display());
        }
        let port = free_port()?;
        let native = free_port()?;
        let driver = Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("LECTERN_LIBRARY", &library)
            // No test reads the user's embedding model: without one named,
            // the app has none (search by words).
            .env("LECTERN_MODEL", library.with_file_name("no-model"))
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context(
                "starting tauri-driver (install it with `cargo install tauri-driver --locked`)",
            )?;
        let mut app_guard = Partial {
            driver: Some(driver),
        };
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": app.display().to_string(), "args": args }
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if started.elapsed() < WAIT => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(e) => return Err(anyhow!("connecting to tauri-driver: {e}")),
            }
        };
        let app = App {
            client,
            library,
            _dir: dir,
            driver: app_guard
                .driver
                .take()
                .ok_or_else(|| anyhow!("driver gone"))?,
        };
        app.wait_ready().await?;
        Ok(app)
    }

    async fn wait_ready(&self) -> Result<()> {
        self.wait_js("return document.body.dataset.ready === 'true'")
            .await
    }

    /// Waits until `script` returns true.
    pub async fn wait_js(&self, script: &str) -> Result<()> {
        let started = Instant::now();
        loop {
            let v = self.client.execute(script, vec![]).await?;
            if v == Value::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                bail!("timed out waiting for: {script}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client
            .execute(script, args)
            .await
            .with_context(|| format!("running script {script:.60}"))
    }

    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element `{css}`"))
    }

    /// Scrolls the element to the middle of its pane and clicks it; retries
    /// briefly while the page is still settling (a re-render can replace
    /// the element between finding and clicking it).
    pub async fn click(&self, css: &str) -> Result<()> {
        self.settled(&format!("clicking `{css}`"), || async {
            let e = self.find(css).await?;
            let _ = self
                .client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'}); return true",
                    vec![serde_json::to_value(&e)?],
                )
                .await;
            Ok(e.click().await?)
        })
        .await
    }

    /// Runs `step` again, up to ten times 150 ms apart, while it fails: a
    /// re-render can replace an element between finding and using it.
    async fn settled<T, F, Fut>(&self, what: &str, mut step: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let mut tries = 0;
        loop {
            match step().await {
                Ok(v) => return Ok(v),
                Err(_) if tries < 10 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(e) => return Err(e).with_context(|| what.to_string()),
            }
        }
    }

    /// Clears the search box, then types `query` one character at a time,
    /// waiting after each for its results (the page times each keystroke).
    pub async fn type_query(&self, query: &str) -> Result<()> {
        self.search("").await?;
        let box_ = self.find("#search").await?;
        let mut prefix = String::new();
        for ch in query.chars() {
            prefix.push(ch);
            box_.send_keys(&ch.to_string()).await?;
            if ch != ' ' {
                self.wait_results(&prefix).await?;
            }
        }
        Ok(())
    }

    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        self.find(css)
            .await?
            .send_keys(text)
            .await
            .with_context(|| format!("typing into `{css}`"))?;
        Ok(())
    }

    /// The element's text; retried briefly if a re-render replaced the
    /// element between finding and reading it.
    pub async fn text(&self, css: &str) -> Result<String> {
        self.settled(&format!("reading `{css}`"), || async {
            Ok(self.find(css).await?.text().await?)
        })
        .await
    }

    /// Waits until the element's text contains `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str) -> Result<String> {
        let started = Instant::now();
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await
                && let Ok(t) = e.text().await
                && t.contains(needle)
            {
                return Ok(t);
            }
            if started.elapsed() > WAIT {
                let seen = match self.client.find(Locator::Css(css)).await {
                    Ok(e) => e.text().await.unwrap_or_default(),
                    Err(_) => "(no such element)".into(),
                };
                bail!("timed out waiting for `{css}` to contain {needle:?}; it shows {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Texts of every element matching `css`, as shown (an element that
    /// is not rendered reads as empty). Read in one script, so a re-render
    /// between finding the elements and reading them cannot leave a
    /// reference to a node that is gone.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let v = self
            .js(
                "return [...document.querySelectorAll(arguments[0])]
                   .map(e => e.getClientRects().length === 0 ? '' : e.innerText.trim())",
                vec![Value::String(css.to_string())],
            )
            .await?;
        serde_json::from_value(v).with_context(|| format!("texts of `{css}`"))
    }

    /// Replaces the search box's text as a person would: select all,
    /// delete, type. Returns once the emptied list has been shown, so a
    /// later wait for `query`'s results cannot see an earlier answer.
    pub async fn search(&self, query: &str) -> Result<()> {
        let box_ = self.find("#search").await?;
        self.js("const e = document.getElementById('search'); e.focus(); e.select(); return e.value.length", vec![])
            .await?;
        box_.send_keys("\u{E003}").await?;
        self.wait_results("").await?;
        if !query.is_empty() {
            box_.send_keys(query).await?;
        }
        Ok(())
    }

    /// Empties a text input by selecting its text and deleting it.
    pub async fn clear_input(&self, css: &str) -> Result<()> {
        let e = self.find(css).await?;
        self.js(
            "arguments[0].focus(); arguments[0].select(); return true",
            vec![serde_json::to_value(&e)?],
        )
        .await?;
        e.send_keys("\u{E003}").await?;
        Ok(())
    }

    /// Waits until the result list shows the answer to `query`.
    pub async fn wait_results(&self, query: &str) -> Result<()> {
        let started = Instant::now();
        loop {
            let shown = self
                .js(
                    "return document.getElementById('result-list').dataset.query ?? null",
                    vec![],
                )
                .await?;
            if shown == Value::String(query.to_string()) {
                return Ok(());
            }
            if started.elapsed() > WAIT {
                bail!("results for {query:?} never shown (list shows {shown})");
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }

    /// Searches and opens the first hit whose title contains `title`.
    pub async fn open_paper(&self, query: &str, title: &str) -> Result<()> {
        self.search(query).await?;
        self.wait_results(query).await?;
        self.wait_text("#result-list", title).await?;
        // The list may be drawn again (the background job improving the
        // ranking) between finding a hit and clicking it.
        let clicked = self
            .settled(&format!("opening {title:?}"), || {
                self.click_hit_titled(title)
            })
            .await?;
        if !clicked {
            bail!("no hit titled {title:?}");
        }
        self.wait_text("#paper-title", title).await?;
        Ok(())
    }

    /// Clicks the first hit whose text contains `title`; false if none.
    async fn click_hit_titled(&self, title: &str) -> Result<bool> {
        for hit in self
            .client
            .find_all(Locator::Css("#result-list .hit"))
            .await?
        {
            if hit.text().await?.contains(title) {
                hit.click().await?;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Opens the paper a search for `query` lists with `title`, shows its
    /// PDF, and waits for a page to be painted.
    pub async fn show_pdf(&self, query: &str, title: &str) -> Result<()> {
        self.open_paper(query, title).await?;
        if self
            .js(
                "return document.getElementById('view-pdf').classList.contains('on')",
                vec![],
            )
            .await?
            != Value::Bool(true)
        {
            self.click("#view-pdf").await?;
        }
        self.wait_js("return !!document.querySelector('#pdf-pane .pdf-page canvas')")
            .await
    }

    /// The timings the page keeps in `window.__lectern.<name>` (ms).
    pub async fn metric(&self, name: &str) -> Result<Vec<f64>> {
        let v = self
            .js(&format!("return window.__lectern.{name}"), vec![])
            .await?;
        Ok(v.as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default())
    }

    /// Ends the session and the app. Call before asserting, so a failing
    /// check does not leave the app running.
    /// Saves a PNG of the window (for looking at a failure).
    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.client.screenshot().await?)?;
        Ok(())
    }

    /// Returns the temporary folder holding the library, which lives as
    /// long as the caller keeps it.
    pub async fn close(mut self) -> Result<Option<tempfile::TempDir>> {
        let r = self.client.clone().close().await;
        stop(&mut self.driver);
        // The next window on this library must find it free: on a busy
        // machine the app can outlive its session by many seconds, still
        // holding the library (the next window then opens it read-only).
        wait_for_app_exit(&self.library).await;
        r.map_err(|e| anyhow!("closing session: {e}"))?;
        Ok(self._dir.take())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        stop(&mut self.driver);
    }
}

/// The app processes started on `library` (by their `LECTERN_LIBRARY`):
/// the built `lectern-desktop` or an installed `lectern`.
pub fn app_processes(library: &Path) -> Vec<u32> {
    let wanted = format!("LECTERN_LIBRARY={}", library.display());
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| {
            let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
            exe.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("lectern"))
                && std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == wanted.as_bytes()))
        })
        .collect()
}

/// Waits until the app started on `library` has exited: up to 10 s, then
/// it is asked to stop (SIGTERM), then killed.
async fn wait_for_app_exit(library: &Path) {
    let started = Instant::now();
    loop {
        let left = app_processes(library);
        if left.is_empty() {
            return;
        }
        let signal = match started.elapsed() {
            t if t > Duration::from_secs(15) => "-KILL",
            t if t > Duration::from_secs(10) => "-TERM",
            _ => "",
        };
        if !signal.is_empty() {
            for pid in &left {
                let _ = Command::new("kill")
                    .args([signal, &pid.to_string()])
                    .status();
            }
        }
        if started.elapsed() > Duration::from_secs(20) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Owns tauri-driver until the session exists, so an early error stops it.
struct Partial {
    driver: Option<Child>,
}

impl Drop for Partial {
    fn drop(&mut self) {
        if let Some(d) = self.driver.as_mut() {
            stop(d);
        }
    }
}

/// SIGTERM lets tauri-driver stop WebKitWebDriver too (SIGKILL would leave
/// it holding its port).
fn stop(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The `p` quantile (0 to 1) of sorted values; NaN when there are none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Prints one row of a benchmark table: count, median, p95 and maximum.
pub fn summary(name: &str, mut v: Vec<f64>) {
    v.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| {name} | {} | {:.1} | {:.1} | {:.1} |",
        v.len(),
        percentile(&v, 0.5),
        percentile(&v, 0.95),
        v.last().copied().unwrap_or(f64::NAN)
    );
}
