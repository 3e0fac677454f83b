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
//!    with the records and source lines it came from.
//! 4. [`score`] applies a policy profile: TPP through the chip catalog, beneficiary groups,
//!    pattern detectors (structuring, threshold hugging, fan-in, transshipment, listed proximity,
//!    shell indicators, misdeclaration), risk scores and ranked alerts with evidence.
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
pub mod score;
pub mod store;

pub use error::{Error, Result};
pub use model::{InputKind, PartyKind, Record, RelKind, Role};
