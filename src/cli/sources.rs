//! `trawl sources`: the files ingested so far, with their row counts.

use std::io::Write;

use super::DbArgs;

/// List ingested sources with rows read, accepted and quarantined.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// Print JSON Lines instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    let sources = crate::store::sources(&conn)?;
    if args.json {
        for s in &sources {
            writeln!(out, "{}", serde_json::to_string(s)?)?;
        }
        return Ok(0);
    }
    writeln!(
        out,
        "{:>4}  {:<13} {:>9} {:>9} {:>11}  {:<19}  path",
        "id", "kind", "read", "accepted", "quarantined", "ingested (UTC)"
    )?;
    for s in &sources {
        writeln!(
            out,
            "{:>4}  {:<13} {:>9} {:>9} {:>11}  {:<19}  {}",
            s.id,
            s.kind,
            s.rows_read,
            s.rows_accepted,
            s.rows_quarantined,
            &s.ingested_at[..s.ingested_at.len().min(19)],
            s.path
        )?;
    }
    Ok(0)
}
