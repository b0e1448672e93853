//! `start-bench`: how long Lectern takes to start on a large library, the
//! window and the command line, cold (the page cache dropped first, which
//! needs root) or warm.
//!
//! ```text
//! xvfb-run -a target/release/start-bench --library DIR [--app PATH] [--cli PATH] [--runs N] [--cold]
//! ```
//!
//! - window: from the app process's start (its `/proc` start time) to the
//!   first results painted (the page's own clock: `performance.timeOrigin`
//!   plus the time it marked ready), so the WebDriver session around it is
//!   not counted;
//! - `lectern search`: from spawning the command to its exit, output read.
//!
//! `--app` defaults to the release `lectern-desktop`, `--cli` to the
//! release CLI-only `lectern`; pass `/usr/bin/lectern` for both to measure
//! the installed package.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use lectern_e2e::{App, summary};

struct Args {
    library: PathBuf,
    app: PathBuf,
    cli: PathBuf,
    runs: usize,
    cold: bool,
}

fn parse_args() -> Result<Args> {
    let release = lectern_e2e::target_dir().join("release");
    let mut library = None;
    let mut a = Args {
        library: PathBuf::new(),
        app: release.join("lectern-desktop"),
        cli: release.join("lectern"),
        runs: 5,
        cold: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--library" => library = Some(PathBuf::from(value()?)),
            "--app" => a.app = PathBuf::from(value()?),
            "--cli" => a.cli = PathBuf::from(value()?),
            "--runs" => a.runs = value()?.parse()?,
            "--cold" => a.cold = true,
            "--help" | "-h" => {
                println!("start-bench --library DIR [--app PATH] [--cli PATH] [--runs N] [--cold]");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}"),
        }
    }
    a.library = library.context("--library DIR: a library to start on")?;
    if !a.library.join(".lectern").exists() {
        bail!("{} is not a Lectern library", a.library.display());
    }
    Ok(a)
}

/// Empties the page cache, so the next start reads from the disk.
fn drop_caches() -> Result<()> {
    // SAFETY: sync(2) takes no arguments and cannot fail.
    unsafe { libc_sync() };
    std::fs::write("/proc/sys/vm/drop_caches", "3\n")
        .context("dropping the page cache (--cold needs root)")
}

unsafe extern "C" {
    #[link_name = "sync"]
    fn libc_sync();
}

/// When process `pid` started, in ms since the Unix epoch (10 ms steps).
fn process_start_ms(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses.
    let after = stat.rsplit_once(')').context("unreadable /proc stat")?.1;
    let ticks: f64 = after
        .split_whitespace()
        .nth(19)
        .context("no start time in /proc stat")?
        .parse()?;
    let boot: f64 = std::fs::read_to_string("/proc/stat")?
        .lines()
        .find_map(|l| l.strip_prefix("btime "))
        .context("no boot time in /proc/stat")?
        .trim()
        .parse()?;
    // The clock tick is 100 Hz on Linux for every architecture we build.
    Ok((boot + ticks / 100.0) * 1000.0)
}

async fn window_start(args: &Args) -> Result<f64> {
    let app = App::start_binary_on(&args.app, args.library.clone(), None).await?;
    let painted = app
        .js(
            "return performance.timeOrigin + window.__lectern.ready",
            vec![],
        )
        .await?
        .as_f64()
        .context("the page has no ready time")?;
    let pids = lectern_e2e::app_processes(&args.library);
    let started = match pids.as_slice() {
        [pid] => process_start_ms(*pid),
        other => Err(anyhow::anyhow!("expected one app process, found {other:?}")),
    };
    let _ = app.close().await?;
    Ok(painted - started?)
}

fn cli_search(args: &Args) -> Result<f64> {
    let started = Instant::now();
    let out = Command::new(&args.cli)
        .arg("--library")
        .arg(&args.library)
        .args(["search", "driving"])
        .env_remove("DISPLAY")
        .output()
        .with_context(|| format!("running {}", args.cli.display()))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !out.status.success() || out.stdout.is_empty() {
        bail!(
            "{} search failed: {}",
            args.cli.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(ms)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = parse_args()?;
    let mut window = Vec::new();
    let mut search = Vec::new();
    for _ in 0..args.runs {
        if args.cold {
            drop_caches()?;
        }
        window.push(window_start(&args).await?);
        if args.cold {
            drop_caches()?;
        }
        search.push(cli_search(&args)?);
    }
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    println!(
        "\nStart on {} ({}), {} runs, at {stamp}\napp: {}\ncli: {}\n",
        args.library.display(),
        if args.cold {
            "cold: page cache dropped before each"
        } else {
            "warm"
        },
        args.runs,
        args.app.display(),
        args.cli.display()
    );
    println!("| measure | n | median ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    summary("process start → first results painted", window);
    summary("`lectern search driving`, spawn → exit", search);
    Ok(())
}
