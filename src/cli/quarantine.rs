//! `trawl quarantine`: the rows ingest could not accept, with file, line and reason.

use std::io::Write;

use super::DbArgs;

/// List quarantined rows: file, line, reason and the raw row as read.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// Only rows of sources whose path contains this text.
    #[arg(long)]
    source: Option<String>,
    /// Print JSON Lines instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    let rows = crate::store::quarantine(&conn, args.source.as_deref())?;
    for r in &rows {
        if args.json {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        } else {
            writeln!(out, "{}:{}: {}", r.source, r.line, r.reason)?;
            writeln!(out, "    {}", r.raw.replace('\n', "\n    "))?;
        }
    }
    if !args.json {
        writeln!(out, "{} quarantined row(s)", rows.len())?;
    }
    Ok(0)
}
