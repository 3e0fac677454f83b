//! `trawl entity`: one entity's records with their sources, and the evidence that merged them.

use std::io::Write;

use super::DbArgs;

/// Show an entity: its records (source file and line), the merge evidence (pairs, weights,
/// per-feature contributions) and its possible matches.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// Entity id.
    id: i64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    let e = crate::resolve::entity(&conn, args.id)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&e)?)?;
        return Ok(0);
    }
    writeln!(
        out,
        "entity {}: {} ({}{}{}), {} records",
        e.id,
        e.name,
        e.kind,
        e.country
            .as_deref()
            .map_or(String::new(), |c| format!(", {c}")),
        e.legal_form
            .as_deref()
            .map_or(String::new(), |l| format!(", {l}")),
        e.record_count
    )?;
    writeln!(out)?;
    writeln!(out, "records")?;
    for r in &e.records {
        writeln!(
            out,
            "  {:>8}  {:<9} {:<12} {:<2}  {}  [{}:{}{}]",
            r.record_id,
            r.origin,
            r.kind,
            r.country.as_deref().unwrap_or(""),
            r.name,
            r.source,
            r.line,
            r.source_key
                .as_deref()
                .map_or(String::new(), |k| format!(" id {k}"))
        )?;
    }
    if !e.evidence.is_empty() {
        writeln!(out)?;
        writeln!(out, "merge evidence")?;
        for p in &e.evidence {
            writeln!(
                out,
                "  {} ~ {}  weight {:+.2}  p {:.4}  {}  {}",
                p.record_a, p.record_b, p.weight, p.probability, p.reason, p.features
            )?;
        }
    }
    if !e.possible_matches.is_empty() {
        writeln!(out)?;
        writeln!(out, "possible matches (other entities)")?;
        for p in &e.possible_matches {
            writeln!(
                out,
                "  {} ~ {}  weight {:+.2}  p {:.4}  {}  {}",
                p.record_a, p.record_b, p.weight, p.probability, p.reason, p.features
            )?;
        }
    }
    Ok(0)
}
