//! Exporters: the library written out in formats other tools read.

pub mod markdown;
