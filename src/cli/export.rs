//! `trawl export`: a subgraph for Gephi, Cytoscape, Graphviz or Aleph.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;

use super::DbArgs;
use super::graph_args::{GraphArgs, WalkArgs, entity_arg, open_graph};
use crate::graph::export::{self, Format};

/// Export the neighbourhood of one or more entities (or the whole graph) as GraphML, GEXF, DOT,
/// Cytoscape.js JSON or FollowTheMoney JSON Lines. Nodes carry type, name, kind, country,
/// listed and mass-registration flags; edges their kind, weight, share, shipment totals and
/// evidence (file:line).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    graph: GraphArgs,
    #[command(flatten)]
    walk: WalkArgs,
    /// Centre entities (id, source key or name); repeat or give several. Without it the whole
    /// graph is exported.
    #[arg(long, num_args = 1.., value_name = "ENTITY")]
    around: Vec<String>,
    /// Hops around each centre.
    #[arg(long, default_value_t = 2)]
    hops: u32,
    /// Output format.
    #[arg(long, value_enum, default_value = "graphml")]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// With --out: print a JSON summary (nodes, edges, file) instead of a sentence.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let walk = args.walk.walk()?;
    if args.json && args.out.is_none() {
        anyhow::bail!("--json prints a summary of the file written: give --out FILE");
    }
    let (conn, g) = open_graph(&args.db, &args.graph)?;
    let sub = if args.around.is_empty() {
        g.whole()
    } else {
        let mut ids = Vec::new();
        for a in &args.around {
            match entity_arg(&conn, a, args.json, out)? {
                Ok(id) => ids.push(id),
                Err(code) => return Ok(code),
            }
        }
        g.subgraph_around(&ids, args.hops, &walk)
    };
    match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut w = BufWriter::new(file);
            export::write(&g, &sub, args.format, &mut w)?;
            w.flush()?;
            if args.json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({
                        "file": path.display().to_string(),
                        "format": format!("{:?}", args.format).to_lowercase(),
                        "nodes": sub.nodes.len(),
                        "edges": sub.edges.len(),
                    })
                )?;
            } else {
                writeln!(
                    out,
                    "wrote {} nodes and {} edges to {}",
                    sub.nodes.len(),
                    sub.edges.len(),
                    path.display()
                )?;
            }
        }
        None => export::write(&g, &sub, args.format, out)?,
    }
    Ok(0)
}
