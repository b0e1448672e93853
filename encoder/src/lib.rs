//! `lectern-encoder`: a BERT sentence encoder for x86-64 CPUs with
//! AVX-512 bf16 (AMX tiles where there are some).
//!
//! Lectern embeds every paper's title and abstract. A general f32 runtime
//! manages about nine abstracts a second on two cores; the AMX tiles of
//! recent Xeon processors multiply bf16 matrices an order of magnitude
//! faster, and AVX-512 bf16 dot products (AMD Zen 4 and later) several
//! times faster. This crate is only that fast path: [`Bert::load`] takes
//! the weights by name and fails when the CPU has neither, and the caller
//! falls back to its general runtime. It knows nothing of tokenizers,
//! files or Lectern.
//!
//! - [`amx`]: the products (tiles or registers) and the packed layout they read;
//! - [`math`]: layer norm, GELU, softmax and bf16 rounding in vector code;
//! - [`bert`]: the forward pass, mean-pooled.

pub mod amx;
mod bert;
mod math;

pub use bert::{Bert, Shape};
