//! `trawl alerts`: the ranked alerts of the last `trawl score`.

use std::io::Write;

use super::DbArgs;
use crate::score::alert::{self, AlertRow};

/// List alerts in rank order: score, bound (lower: a group held by strong links; upper: lower
/// groups joined by weaker links, structuring discounted), members, window, lower/upper totals,
/// detectors.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// Show only the first N alerts.
    #[arg(long)]
    top: Option<usize>,
    /// Print JSON Lines.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV.
    #[arg(long)]
    csv: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    let rows = alert::list(&conn, args.top)?;
    if args.json {
        for r in &rows {
            writeln!(out, "{}", serde_json::to_string(r)?)?;
        }
    } else if args.csv {
        let mut w = csv::Writer::from_writer(out);
        for r in &rows {
            w.serialize(r)?;
        }
        w.flush()?;
    } else {
        print_table(&rows, out)?;
    }
    Ok(0)
}

/// The alerts table shared with `trawl score`.
pub fn print_table(rows: &[AlertRow], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>4}  {:>5}  {:<5}  {:>7}  {:<10} {:>7} {:>7}  {:<52} detectors",
        "id", "score", "bound", "members", "window", "lower×", "upper×", "title"
    )?;
    for r in rows {
        let ratio = |v: f64| {
            if r.threshold > 0.0 {
                format!("{:.2}", v / r.threshold)
            } else {
                "-".into()
            }
        };
        let title: String = r.title.chars().take(52).collect();
        writeln!(
            out,
            "{:>4}  {:>5.3}  {:<5}  {:>7}  {:<10} {:>7} {:>7}  {:<52} {}",
            r.id,
            r.score,
            r.bound,
            r.members,
            r.window,
            ratio(r.lower_total),
            ratio(r.upper_total),
            title,
            r.detectors
        )?;
    }
    Ok(())
}
