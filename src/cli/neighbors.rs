//! `trawl neighbors`: everything within K hops of an entity, and why.

use std::io::Write;

use serde::Serialize;

use super::DbArgs;
use super::graph_args::{GraphArgs, WalkArgs, entity_arg, label, node_label, open_graph};
use crate::graph::view::{EdgeView, NodeView};

/// List the entities (and hubs, lists) within K hops of an entity, following edges in both
/// directions, and every edge among them with its evidence (file:line).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    graph: GraphArgs,
    #[command(flatten)]
    walk: WalkArgs,
    /// Entity id, source key or name.
    entity: String,
    /// How many hops.
    #[arg(long, default_value_t = 1)]
    hops: u32,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Json {
    center: NodeView,
    hops: u32,
    via: Vec<&'static str>,
    nodes: Vec<NodeView>,
    edges: Vec<EdgeView>,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let walk = args.walk.walk()?;
    let (conn, g) = open_graph(&args.db, &args.graph)?;
    let id = match entity_arg(&conn, &args.entity, args.json, out)? {
        Ok(id) => id,
        Err(code) => return Ok(code),
    };
    let h = g
        .neighbors(id, args.hops, &walk)
        .ok_or_else(|| anyhow::anyhow!("entity {id} is not in the graph"))?;
    if args.json {
        let j = Json {
            center: g.node_view(h.center),
            hops: args.hops,
            via: walk.kinds.kinds().into_iter().map(|k| k.as_str()).collect(),
            nodes: h
                .nodes
                .iter()
                .map(|(n, d)| {
                    let mut v = g.node_view(*n);
                    v.hops = Some(*d);
                    v
                })
                .collect(),
            edges: h.edges.iter().map(|e| g.edge_view(*e)).collect(),
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&j)?)?;
        return Ok(0);
    }
    writeln!(
        out,
        "within {} hop{} of {}: {} nodes, {} edges",
        args.hops,
        if args.hops == 1 { "" } else { "s" },
        label(&g, id),
        h.nodes.len() - 1,
        h.edges.len()
    )?;
    for (n, d) in h.nodes.iter().skip(1) {
        writeln!(out, "  {d}  {}", node_label(&g, *n))?;
    }
    writeln!(out, "\nedges")?;
    for e in &h.edges {
        let (a, b) = g.graph.edge_endpoints(*e).expect("edge");
        writeln!(
            out,
            "  {}  {}  {}",
            g.node_key(a),
            g.describe_edge(*e, a, 3),
            g.node_key(b)
        )?;
    }
    Ok(0)
}
