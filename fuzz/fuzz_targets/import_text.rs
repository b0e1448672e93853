//! Every text importer on the same input: none may panic, and every
//! problem must name a line of the input.
#![no_main]

use lectern::import::{self, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Format::detect(text);
    for format in Format::ALL {
        if let Ok(parsed) = import::parse_as(text, "f", Some(format)) {
            for p in &parsed.problems {
                assert!(p.location.starts_with("f:"), "{format:?}: {}", p.location);
            }
        }
    }
});
