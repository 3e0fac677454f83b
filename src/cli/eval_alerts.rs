//! `trawl eval-alerts`: score the stored alerts against planted networks.

use std::io::Write;
use std::path::PathBuf;

use super::DbArgs;
use crate::score::{Catalog, Policy, evaluate};

/// Compare the last run's alerts with planted networks (network- and member-level precision and
/// recall) and report the naive per-consignee check on the same data.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// The truth: the generator's truth/networks.json or sample-data/networks.json.
    #[arg(long)]
    truth: PathBuf,
    /// Record truth (`id,cluster`: truth/records.csv or sample-data/truth.csv) to map registry
    /// ids and shipment mentions to clusters. Without it, a records.csv or truth.csv beside the
    /// truth file is used (and named); failing that, registry ids are taken as clusters.
    #[arg(long)]
    records: Option<PathBuf>,
    /// The policy profile the naive check applies (as for `trawl score`).
    #[arg(long, default_value = crate::score::policy::DEFAULT)]
    policy: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let policy = Policy::load(&args.policy)?;
    let conn = crate::store::open(&args.db.db)?;
    let records = args.records.clone().or_else(|| {
        let dir = args.truth.parent()?;
        ["records.csv", "truth.csv"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.is_file())
    });
    if args.records.is_none()
        && !args.json
        && let Some(p) = &records
    {
        writeln!(
            out,
            "record truth   {} (found beside the truth file)",
            p.display()
        )?;
    }
    let r = evaluate::evaluate(
        &conn,
        &policy,
        &Catalog::builtin(),
        &args.truth,
        records.as_deref(),
    )?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string(&r)?)?;
        return Ok(0);
    }
    writeln!(
        out,
        "networks {}  (member companies {})",
        r.networks, r.truth_members
    )?;
    writeln!(
        out,
        "{:<22} {:>8} {:>10} {:>10} {:>10} {:>10}  decoys flagged / networks missed",
        "method", "flagged", "net P", "net R", "member P", "member R"
    )?;
    for (name, m) in [
        ("trawl", &r.trawl),
        ("naive per-consignee", &r.naive_per_consignee),
    ] {
        writeln!(
            out,
            "{:<22} {:>8} {:>10.3} {:>10.3} {:>10.3} {:>10.3}  {:?} / {:?}",
            name,
            m.flagged,
            m.network.precision,
            m.network.recall,
            m.member.precision,
            m.member.recall,
            m.decoys_flagged,
            m.networks_missed
        )?;
    }
    Ok(0)
}
