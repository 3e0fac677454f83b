//! `trawl score`: score the resolved store with a policy profile and rank alerts.

use std::io::Write;

use super::DbArgs;
use crate::score::{self, Catalog, Policy};

/// Score the store: beneficiary groups, detectors, risk scores and ranked alerts.
///
/// Exit code 1 ("risk found") when at least one alert is raised, 0 when none, 2 on errors.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// Policy profile: a built-in name (diffusion-2025, post-rescission) or a TOML file.
    #[arg(long, default_value = score::policy::DEFAULT)]
    pub policy: String,
    /// Chip catalog TOML file (default: the built-in policies/chips.toml).
    #[arg(long)]
    pub catalog: Option<std::path::PathBuf>,
    /// Run the detectors on one thread (the output is identical either way).
    #[arg(long)]
    pub sequential: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Show this many top alerts after the summary.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let policy = Policy::load(&args.policy)?;
    let catalog = match &args.catalog {
        Some(p) => Catalog::load(p)?,
        None => Catalog::builtin(),
    };
    let conn = crate::store::open(&args.db.db)?;
    let s = if args.sequential {
        score::score(&conn, &policy, &catalog)?
    } else {
        score::score_parallel(&conn, &policy, &catalog)?
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
    } else {
        writeln!(out, "policy              {}", s.policy)?;
        writeln!(out, "entities            {}", s.entities)?;
        writeln!(
            out,
            "shipment lines      {}  ({} controlled or suspect, {} unknown)",
            s.shipments, s.relevant_lines, s.unknown_lines
        )?;
        writeln!(
            out,
            "groups              {} lower bound ({} with several members), {} upper bound",
            s.groups_lower, s.multi_member_groups, s.groups_upper
        )?;
        writeln!(
            out,
            "alerts              {}  ({} on upper-bound groups)",
            s.alerts, s.upper_alerts
        )?;
        writeln!(out, "time                {:.2}s", s.seconds)?;
        if s.alerts > 0 && args.top > 0 {
            writeln!(out)?;
            super::alerts::print_table(&crate::score::alert::list(&conn, Some(args.top))?, out)?;
        }
    }
    Ok(u8::from(s.alerts > 0))
}
