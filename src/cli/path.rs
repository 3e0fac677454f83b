//! `trawl path`: how two entities are connected.

use std::io::Write;

use super::DbArgs;
use super::graph_args::{GraphArgs, WalkArgs, entity_arg, label, node_label, open_graph};
use crate::graph::{EntityGraph, Path};

/// Show the shortest path between two entities (fewest hops, edges followed in both
/// directions), or the K shortest loop-free paths, each hop with every edge between the two
/// nodes and its evidence. Exits with 1 when the two are not connected.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    graph: GraphArgs,
    #[command(flatten)]
    walk: WalkArgs,
    /// From: entity id, source key or name.
    from: String,
    /// To: entity id, source key or name.
    to: String,
    /// How many shortest paths.
    #[arg(long, default_value_t = 1)]
    k: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let walk = args.walk.walk()?;
    let (conn, g) = open_graph(&args.db, &args.graph)?;
    let a = match entity_arg(&conn, &args.from, args.json, out)? {
        Ok(id) => id,
        Err(code) => return Ok(code),
    };
    let b = match entity_arg(&conn, &args.to, args.json, out)? {
        Ok(id) => id,
        Err(code) => return Ok(code),
    };
    let paths = if args.k <= 1 {
        g.shortest_path(a, b, &walk).into_iter().collect()
    } else {
        g.k_shortest_paths(a, b, args.k, &walk)
    };
    if args.json {
        let views: Vec<_> = paths.iter().map(|p| g.path_view(p)).collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&views)?)?;
        return Ok(if paths.is_empty() { 1 } else { 0 });
    }
    if paths.is_empty() {
        writeln!(
            out,
            "no path from {} to {} over the chosen kinds",
            label(&g, a),
            label(&g, b)
        )?;
        return Ok(1);
    }
    print_paths(&g, &paths, out)?;
    Ok(0)
}

/// Prints paths for people: each node, and under each hop its edges with their evidence.
pub(crate) fn print_paths(
    g: &EntityGraph,
    paths: &[Path],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for (i, p) in paths.iter().enumerate() {
        if paths.len() > 1 {
            writeln!(out, "path {} of {}: {} hops", i + 1, paths.len(), p.len())?;
        } else {
            writeln!(out, "{} hops", p.len())?;
        }
        writeln!(out, "  {}", node_label(g, p.nodes[0]))?;
        for s in &p.steps {
            for e in &s.edges {
                writeln!(out, "      {}", g.describe_edge(*e, s.from, 3))?;
            }
            writeln!(out, "  {}", node_label(g, s.to))?;
        }
        if i + 1 < paths.len() {
            writeln!(out)?;
        }
    }
    Ok(())
}
