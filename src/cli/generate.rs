//! `trawl generate`: write synthetic inputs with planted structuring networks and ground truth.

use std::io::Write;
use std::path::PathBuf;

use crate::generate::{GenerateConfig, generate};

/// Write synthetic parties, relationships, shipments, a screening list and an FtM export, with
/// planted structuring networks, decoys and the ground truth (truth/records.csv,
/// truth/networks.json). The same arguments always give byte-identical files.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write into (created if missing; existing files are overwritten).
    #[arg(long)]
    out: PathBuf,
    /// Seed of every random draw.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of companies and organisations.
    #[arg(long, default_value_t = 2_000)]
    companies: usize,
    /// Number of shipment rows (line items); every planted order is written even if more.
    #[arg(long, default_value_t = 20_000)]
    shipments: u64,
    /// Number of people [default: 1.5 × companies].
    #[arg(long)]
    people: Option<usize>,
    /// Number of planted structuring networks [default: companies / 500, at least 3].
    #[arg(long)]
    networks: Option<usize>,
    /// Per-consignee, per-calendar-year TPP threshold the fronts stay under.
    #[arg(long, default_value_t = crate::generate::DEFAULT_THRESHOLD_TPP)]
    threshold_tpp: u64,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut cfg = GenerateConfig::new(args.seed, args.companies, args.shipments);
    if let Some(p) = args.people {
        cfg.people = p;
    }
    if let Some(n) = args.networks {
        cfg.networks = n;
    }
    cfg.threshold_tpp = args.threshold_tpp;
    let summary = generate(&cfg, &args.out)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    } else {
        writeln!(out, "wrote {}", args.out.display())?;
        write!(out, "{summary}")?;
    }
    Ok(0)
}
