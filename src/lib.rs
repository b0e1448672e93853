//! Lectern's engine: a local-first library of research papers.
//!
//! SQLite ([`store`]) is the source of truth; a tantivy index ([`index`]) is
//! derived from it for search and related papers. [`Library`] is the façade
//! both front ends (the `lectern` CLI in [`cli`] and the desktop shell) use.
//! See `ARCHITECTURE.md` for the map and the invariants.

#[cfg(feature = "bench")]
pub mod bench;
pub mod citekey;
pub mod cli;
pub mod error;
pub mod export;
pub mod fsutil;
pub mod import;
pub mod index;
pub mod library;
pub mod model;
pub mod panics;
pub mod paths;
pub mod store;
pub mod sync;
pub mod text;
pub mod views;

pub use error::{Error, Result};
pub use library::Library;
