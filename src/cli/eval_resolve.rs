//! `trawl eval-resolve`: score the latest resolution against ground truth.

use std::io::Write;
use std::path::PathBuf;

use super::DbArgs;

/// Evaluate entities against a truth CSV `id,cluster` (ids: parties id, screening
/// entity_number, FtM id, or `{shipment_key}:{role}` for shipment parties). Prints pairwise and
/// B-cubed precision, recall and F1, and the blocking recall; `--errors FILE` lists what went
/// wrong, part by part.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// The truth CSV.
    #[arg(long, value_name = "FILE")]
    truth: PathBuf,
    /// Write the errors to this CSV: each part of a true entity that blocking left unreachable
    /// (`unreachable`) or resolution split off (`split`), and each part of an entity that
    /// belongs to another true entity (`merged`), with one record of the part and one of the
    /// rest (for `trawl explain-match`), most costly first.
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    let (r, errors) = crate::resolve::evaluate::evaluate_with_errors(&conn, &args.truth)?;
    if let Some(path) = &args.errors {
        let mut w = csv::Writer::from_path(path)?;
        for e in &errors {
            w.serialize(e)?;
        }
        w.flush()?;
    }
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
    if let Some(path) = &args.errors {
        let count = |k| errors.iter().filter(|e| e.kind == k).count();
        use crate::resolve::evaluate::ErrorKind::*;
        writeln!(
            out,
            "errors: {} unreachable, {} split, {} merged parts written to {}",
            count(Unreachable),
            count(Split),
            count(Merged),
            path.display()
        )?;
    }
    Ok(0)
}
