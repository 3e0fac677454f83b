//! trawl — smuggling-risk graph analysis for export-control enforcement.
//!
//! The pipeline, in the order of the modules below:
//!
//! 1. [`ingest`] reads parties, relationships, shipments, the US Consolidated Screening List and
//!    FollowTheMoney files into the [`store`], every row with its file and line, bad rows to the
//!    quarantine.
//! 2. [`resolve`] clusters records into entities (normalise, block, compare, cluster), keeping
//!    the evidence of every merge.
//! 3. [`graph`] links entities — owns, directs, shares an address with, ships to — every edge
//!    with the records and source lines it came from; score finds structuring (issue 5).
//!
//! [`generate`] writes synthetic inputs with planted structuring networks and ground truth.
//! The `trawl` binary ([`cli`]) is a thin layer over these modules.

pub mod cli;
pub mod error;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod model;
pub mod resolve;
pub mod store;

pub use error::{Error, Result};
pub use model::{InputKind, PartyKind, Record, RelKind, Role};
