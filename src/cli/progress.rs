//! A one-line progress bar on standard error, for the long steps of a
//! command (a large import) when standard error is a terminal; nothing
//! otherwise, so pipes and logs stay clean.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How often the line is redrawn at most.
const EVERY: Duration = Duration::from_millis(100);
/// A step shorter than this shows no bar.
const QUIET: Duration = Duration::from_millis(300);
/// Width of the bar in characters.
const WIDTH: usize = 30;

/// One step's progress line: `label [#####.....] done/total`.
pub struct Progress {
    label: &'static str,
    on: bool,
    started: Instant,
    drawn: Option<Instant>,
}

impl Progress {
    /// A line for `label`, drawn only when standard error is a terminal.
    pub fn new(label: &'static str) -> Progress {
        Progress {
            label,
            on: std::io::stderr().is_terminal(),
            started: Instant::now(),
            drawn: None,
        }
    }

    /// Shows `done` of `total` (at most every 100 ms, and at the end; not
    /// in the first 300 ms, so a quick step shows nothing).
    pub fn show(&mut self, done: usize, total: usize) {
        if !self.on || total == 0 || self.started.elapsed() < QUIET {
            return;
        }
        if self.drawn.is_some_and(|t| t.elapsed() < EVERY) && done < total {
            return;
        }
        self.drawn = Some(Instant::now());
        let filled = (done.min(total) * WIDTH) / total;
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{} [{}{}] {done}/{total}",
            self.label,
            "#".repeat(filled),
            ".".repeat(WIDTH - filled)
        );
        let _ = err.flush();
    }

    /// Clears the line, so what follows starts on a clean one.
    pub fn clear(&mut self) {
        if self.on && self.drawn.take().is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}
