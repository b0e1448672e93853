//! The PDF reader on arbitrary bytes: it may warn, never panic out of
//! `read_pdf` or crash the process.
//!
//! pdf-extract and lopdf panic on many malformed files; `read_pdf` catches
//! those. libFuzzer's panic hook would report even a caught panic, so the
//! target installs a silent hook: a panic that escapes `read_pdf` is still
//! caught by libfuzzer-sys's own wrapper and reported as a crash, and stack
//! overflows and aborts are still deadly signals.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;

static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = lectern::import::pdf::read_pdf(data, "f.pdf", "f");
});
