//! `trawl ingest`: read input files into the store, one transaction per file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use super::DbArgs;
use crate::ingest::{IngestOptions, ingest_file};
use crate::model::InputKind;

/// Ingest parties, relationships, shipments (CSV or JSON Lines), the US Consolidated Screening
/// List CSV and FollowTheMoney JSON Lines. The kind of each file is detected from its header or
/// first line unless --kind is given. Bad rows go to the quarantine (`trawl quarantine`); the
/// summary shows rows read, accepted and quarantined per file. A file that is not what its kind
/// expects is refused (nothing of it written) and the others still go in; the exit code is then 2.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// The kind of every file given (detected per file when absent).
    #[arg(long, value_enum)]
    kind: Option<InputKind>,
    /// Stop at the first bad row with a non-zero exit, keeping nothing of that file.
    #[arg(long)]
    strict: bool,
    /// Print one JSON object per file instead of the table.
    #[arg(long)]
    json: bool,
    /// Files to ingest, in order (parties before the relationships that name them).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut conn = crate::store::open(&args.db.db)
        .with_context(|| format!("opening {}", args.db.db.display()))?;
    let opts = IngestOptions {
        kind: args.kind,
        strict: args.strict,
        progress: !args.json,
    };
    if !args.json {
        writeln!(
            out,
            "{:<13} {:>9} {:>9} {:>11}  file",
            "kind", "read", "accepted", "quarantined"
        )?;
    }
    let (mut read, mut accepted, mut quarantined, mut refused) = (0, 0, 0, 0);
    for path in &args.files {
        let s = match ingest_file(&mut conn, path, &opts) {
            Ok(s) => s,
            // A refused file wrote nothing; say why and go on with the others (exit 2 at the
            // end). Under --strict, and for any other error, stop here.
            Err(e @ crate::Error::Refused { .. }) if !args.strict => {
                eprintln!("trawl: {e}");
                refused += 1;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if args.json {
            writeln!(out, "{}", serde_json::to_string(&s)?)?;
            continue;
        }
        if s.already_ingested {
            writeln!(
                out,
                "{:<13} {:>9} {:>9} {:>11}  {}  (already ingested as source {}: nothing added)",
                s.kind.as_str(),
                "-",
                "-",
                "-",
                s.path,
                s.source_id
            )?;
            continue;
        }
        let c = s.counts;
        (read, accepted, quarantined) = (
            read + c.read,
            accepted + c.accepted,
            quarantined + c.quarantined,
        );
        writeln!(
            out,
            "{:<13} {:>9} {:>9} {:>11}  {}",
            s.kind.as_str(),
            c.read,
            c.accepted,
            c.quarantined,
            s.path
        )?;
    }
    if !args.json {
        writeln!(
            out,
            "{:<13} {read:>9} {accepted:>9} {quarantined:>11}",
            "total"
        )?;
        if quarantined > 0 {
            writeln!(
                out,
                "{quarantined} row(s) quarantined: see `trawl quarantine`"
            )?;
        }
    }
    if refused > 0 {
        eprintln!("trawl: {refused} file(s) refused, nothing of them written");
        return Ok(2);
    }
    Ok(0)
}
