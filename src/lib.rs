//! Lectern's engine: a local-first library of research papers.
//!
//! SQLite ([`store`]) is the source of truth; a tantivy index ([`index`]) is
//! derived from it for search and related papers. [`Library`] is the façade
//! both front ends (the `lectern` CLI in [`cli`] and the desktop shell) use.
//! See `ARCHITECTURE.md` for the map and the invariants.

pub(crate) mod anchor;
#[cfg(feature = "bench")]
pub mod bench;
pub(crate) mod citekey;
pub mod cli;
pub mod embed;
pub mod error;
pub(crate) mod export;
pub(crate) mod fsutil;
pub mod import;
pub(crate) mod index;
pub mod library;
pub mod model;
pub mod online;
pub(crate) mod panics;
pub mod paths;
pub(crate) mod store;
pub(crate) mod sync;
pub(crate) mod text;
pub mod views;

/// Writing a copy of a PDF with annotations, for the integration test that
/// checks the result with another PDF library. Not an API: the window and
/// the CLI will reach it through [`Library`].
#[doc(hidden)]
pub mod pdf_annotations {
    pub use crate::export::pdf_annots::{OutAnnotation, OutKind, with_annotations};
    pub use crate::import::pdf::pages::Rect;
}

pub use error::{Error, Result};
pub use export::markdown::ExportReport;
pub use fsutil::write_atomic;
pub use library::watch::{Closed, FolderSession, POLL as WATCH_POLL, Round};
pub use library::{Library, Opening, Reconcile, WhenHeld};
pub use sync::SyncReport;
pub use sync::state::TrashEntry;
