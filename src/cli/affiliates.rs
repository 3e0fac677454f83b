//! `trawl affiliates`: the affiliates (50 %) rule.

use std::io::Write;

use super::DbArgs;
use super::graph_args::{GraphArgs, label, open_graph};
use crate::graph::card::pct;

/// List every entity owned 50 % or more — directly or indirectly, individually or in aggregate —
/// by screening-listed parties, with the ownership chains that add up to it. An affected entity
/// counts as listed for what it owns in turn (OFAC 50 % rule, BIS affiliates rule). Exits with 1
/// when any entity is affected.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    graph: GraphArgs,
    /// The aggregate holding (percent) from which an entity is affected.
    #[arg(long, default_value_t = 50.0, value_name = "PERCENT")]
    threshold: f64,
    /// Print JSON Lines, one affected entity each.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    if !(args.threshold > 0.0 && args.threshold <= 100.0) {
        anyhow::bail!("--threshold is a percentage in (0, 100]");
    }
    let (_conn, g) = open_graph(&args.db, &args.graph)?;
    let affected = g.affiliates(args.threshold / 100.0);
    let code = u8::from(!affected.is_empty());
    if args.json {
        for a in &affected {
            writeln!(out, "{}", serde_json::to_string(a)?)?;
        }
        return Ok(code);
    }
    writeln!(
        out,
        "{} entit{} held ≥ {}% by listed parties (directly, indirectly or in aggregate)",
        affected.len(),
        if affected.len() == 1 { "y" } else { "ies" },
        pct(args.threshold)
    )?;
    for a in &affected {
        writeln!(
            out,
            "\n  {}  held {}% (round {})",
            label(&g, a.entity),
            pct(a.fraction * 100.0),
            a.round
        )?;
        for (h, f, listed) in &a.holders {
            writeln!(
                out,
                "    {}% by {}{}",
                pct(f * 100.0),
                label(&g, *h),
                if *listed { "" } else { " (affected itself)" }
            )?;
        }
        for p in &a.paths {
            let (s, cites) = (g.chain_text(p), g.chain_cites(p));
            writeln!(out, "      {s}  [{}]", cites.join(", "))?;
        }
    }
    Ok(code)
}
