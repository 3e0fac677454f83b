//! `trawl eval-resolve`: score the latest resolution against ground truth.

use std::io::Write;
use std::path::PathBuf;

use super::DbArgs;

/// Evaluate entities against a truth CSV `id,cluster` (ids: parties id, screening
/// entity_number, FtM id, or `{shipment_key}:{role}` for shipment parties). Prints pairwise and
/// B-cubed precision, recall and F1, and the blocking recall.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// The truth CSV.
    #[arg(long, value_name = "FILE")]
    truth: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    let r = crate::resolve::evaluate::evaluate(&conn, &args.truth)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&r)?)?;
        return Ok(0);
    }
    writeln!(
        out,
        "truth rows {} ({} ids not found), records evaluated {} ({} with conflicting labels)",
        r.truth_rows, r.unmatched_ids, r.records, r.conflicting_records
    )?;
    writeln!(
        out,
        "truth clusters {}, predicted entities {}; pairs: true {}, predicted {}, correct {}",
        r.truth_clusters, r.predicted_entities, r.true_pairs, r.predicted_pairs, r.correct_pairs
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<10} {:>9} {:>9} {:>9}",
        "", "precision", "recall", "F1"
    )?;
    for (name, m) in [("pairwise", r.pairwise), ("B-cubed", r.bcubed)] {
        writeln!(
            out,
            "{:<10} {:>9.4} {:>9.4} {:>9.4}",
            name, m.precision, m.recall, m.f1
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "blocking recall {:.4} (true pairs sharing a block), {:.4} reachable through candidate pairs",
        r.blocking_recall, r.blocking_reachable
    )?;
    Ok(0)
}
