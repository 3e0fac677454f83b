//! `trawl score-log`: stream a new shipment log against the stored groups and policy.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use super::DbArgs;
use crate::score::stream::{self, Format};
use crate::score::{Catalog, Policy};

/// Score a shipments CSV without ingesting it: per line a risk score, the reasons, and the
/// running total of its beneficiary group against the threshold. Needs a `trawl score` run.
///
/// Exit code 1 ("risk found") when a line scores at or above the profile's alert_min, else 0;
/// 2 on errors.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// The shipment log (canonical shipments CSV columns).
    file: PathBuf,
    /// Write results here (.csv for CSV, anything else JSON Lines); default: stdout, JSON Lines.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Policy profile: a built-in name or a TOML file.
    #[arg(long, default_value = crate::score::policy::DEFAULT)]
    policy: String,
    /// Print the summary (lines, risky, seconds, lines/s) on stderr.
    #[arg(long)]
    stats: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let policy = Policy::load(&args.policy)?;
    let cat = Catalog::builtin();
    let conn = crate::store::open(&args.db.db)?;
    let mut ctx = stream::Context::load(&conn)?;
    let input = std::fs::File::open(&args.file).map_err(|e| crate::Error::io(&args.file, e))?;
    let input = std::io::BufReader::with_capacity(1 << 16, input);
    let s = match &args.out {
        Some(p) => {
            let f = std::fs::File::create(p).map_err(|e| crate::Error::io(p, e))?;
            let mut w = BufWriter::with_capacity(1 << 16, f);
            let fmt = if p.extension().is_some_and(|e| e == "csv") {
                Format::Csv
            } else {
                Format::Jsonl
            };
            let s = stream::score_log(&mut ctx, &policy, &cat, input, &args.file, &mut w, fmt)?;
            w.flush()?;
            s
        }
        None => {
            let mut w = BufWriter::with_capacity(1 << 16, out);
            let s = stream::score_log(
                &mut ctx,
                &policy,
                &cat,
                input,
                &args.file,
                &mut w,
                Format::Jsonl,
            )?;
            w.flush()?;
            s
        }
    };
    if args.stats || args.out.is_some() {
        eprintln!(
            "score-log: {} lines ({} skipped), {} at or above alert_min, {:.2}s ({:.0} lines/s)",
            s.lines,
            s.skipped,
            s.risky,
            s.seconds,
            s.lines as f64 / s.seconds.max(1e-9)
        );
    }
    Ok(u8::from(s.risky > 0))
}
