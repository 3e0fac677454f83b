//! `trawl owners`: ultimate beneficial owners through chains.

use std::io::Write;

use super::DbArgs;
use super::graph_args::{GraphArgs, entity_arg, label, open_graph};
use crate::graph::card::pct;

/// Show who ultimately owns an entity: shares multiplied along chains of holdings and summed
/// over parallel chains, each entity visited once per chain (cross-holdings handled), with the
/// chains that add up to each owner's share.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    graph: GraphArgs,
    /// Entity id, source key or name.
    entity: String,
    /// Ultimate owners from this effective share (percent).
    #[arg(long, default_value_t = 25.0, value_name = "PERCENT")]
    threshold: f64,
    /// Also list intermediate holders and owners below the threshold.
    #[arg(long)]
    all: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    if !(0.0..=100.0).contains(&args.threshold) {
        anyhow::bail!("--threshold is a percentage between 0 and 100");
    }
    let (conn, g) = open_graph(&args.db, &args.graph)?;
    let id = match entity_arg(&conn, &args.entity, args.json, out)? {
        Ok(id) => id,
        Err(code) => return Ok(code),
    };
    let t = args.threshold / 100.0;
    let owners: Vec<_> = if args.all {
        g.owners(id)
    } else {
        g.ultimate_owners(id, t)
    };
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&owners)?)?;
        return Ok(0);
    }
    writeln!(
        out,
        "{} of {}{}",
        if args.all {
            "owners"
        } else {
            "ultimate owners"
        },
        label(&g, id),
        if args.all {
            String::new()
        } else {
            format!(" (≥ {}%)", pct(args.threshold))
        }
    )?;
    if owners.is_empty() {
        writeln!(out, "  none known with a share")?;
    }
    for o in &owners {
        writeln!(
            out,
            "  {:>6}%  {}{}",
            pct(o.fraction * 100.0),
            label(&g, o.owner),
            if o.ultimate { "  ultimate" } else { "" }
        )?;
        for p in &o.paths {
            let (s, cites) = (g.chain_text(p), g.chain_cites(p));
            writeln!(
                out,
                "             {s}  ({}%)  [{}]",
                pct(p.fraction * 100.0),
                cites.join(", ")
            )?;
        }
    }
    Ok(0)
}
