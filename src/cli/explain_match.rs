//! `trawl explain-match`: why two records are, or are not, one entity.

use std::io::Write;

use super::DbArgs;

/// Explain the comparison of two records: each feature's level and contribution (bits) to the
/// match weight, the weight, the probability and the decision, under the latest run's model.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// First record: a record id or a source key (parties id, screening entity_number, FtM id).
    a: String,
    /// Second record, as the first.
    b: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    let x = crate::resolve::explain_pair(&conn, &args.a, &args.b)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&x)?)?;
        return Ok(0);
    }
    let ent = |e: Option<i64>| e.map_or("-".to_string(), |e| e.to_string());
    writeln!(
        out,
        "A  record {:<8} {:<8} entity {:<8} {}",
        x.record_a,
        x.kind_a,
        ent(x.entity_a),
        x.name_a
    )?;
    writeln!(
        out,
        "B  record {:<8} {:<8} entity {:<8} {}",
        x.record_b,
        x.kind_b,
        ent(x.entity_b),
        x.name_b
    )?;
    writeln!(out)?;
    writeln!(out, "{:<16} {:<13} {:>8}", "feature", "level", "bits")?;
    writeln!(out, "{:<16} {:<13} {:>+8.2}", "prior", "", x.prior)?;
    for f in &x.features {
        match (f.level, f.contribution) {
            (Some(l), Some(c)) => writeln!(out, "{:<16} {:<13} {:>+8.2}", f.feature, l, c)?,
            _ => writeln!(out, "{:<16} {:<13} {:>8}", f.feature, "(missing)", "0")?,
        }
    }
    if let Some(cap) = &x.cap {
        writeln!(out, "{:<16} {:<13} {:>+8.2}", "sum", "", x.uncapped)?;
        writeln!(out, "{:<16} {cap}", "capped")?;
    }
    writeln!(out, "{:<16} {:<13} {:>+8.2}", "weight", "", x.weight)?;
    if let Some((side, country)) = &x.placed_by_shipments {
        writeln!(
            out,
            "(country: {side} gives none; its shipments place it in {country}: the origin of a \
             shipper, the destination of a consignee)"
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "probability {:.4} (threshold {}): {}",
        x.probability, x.threshold, x.decision
    )?;
    let blocked = match (x.blocked_together, x.shared_key, x.recall_pair) {
        (false, _, _) => "no (resolve never compared them)",
        (true, _, true) => "yes (a recall pair: scored, not learnt from)",
        (true, true, false) => "yes (a shared key)",
        (true, false, false) => "yes (a sorted window or an acronym or script pairing)",
    };
    writeln!(out, "blocked together: {blocked}; model: {}", x.model)?;
    Ok(0)
}
