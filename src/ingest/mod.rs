//! Ingest: read input files into the store, every row with its file and line.
//!
//! (being written)

pub mod country;
pub mod value;
