//! trawl — smuggling-risk graph analysis for export-control enforcement.
//!
//! The pipeline, in the order of the modules below:
//!
//! 1. [`ingest`] reads parties, relationships, shipments, the US Consolidated Screening List and
//!    FollowTheMoney files into the [`store`], every row with its file and line, bad rows to the
//!    quarantine.
//! 2. [`resolve`] clusters records into entities (normalise, block, compare, cluster), keeping
//!    the evidence of every merge; graph links them; score finds structuring (issues 4–5).
//!
//! [`generate`] writes synthetic inputs with planted structuring networks and ground truth.
//! The `trawl` binary ([`cli`]) is a thin layer over these modules.

pub mod cli;
pub mod error;
pub mod generate;
pub mod ingest;
pub mod model;
pub mod resolve;
pub mod store;

pub use error::{Error, Result};
pub use model::{InputKind, PartyKind, Record, RelKind, Role};
