//! trawl's integration tests: one test binary (see Cargo.toml), one module per area. Each test
//! runs the real `trawl` executable in a temp dir of its own (see `util`).

mod generate;
mod graph;
mod ingest;
mod resolve;
mod score;
mod util;
