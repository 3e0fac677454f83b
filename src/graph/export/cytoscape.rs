//! Cytoscape.js JSON: `{"elements": {"nodes": [{"data": {…}}], "edges": [{"data": {…}}]}}`,
//! the format `cy.json()` reads and Cytoscape desktop imports. Every node attribute and every
//! edge attribute, with the full evidence list, sits in `data`.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::Subgraph;
use crate::graph::EntityGraph;

/// Writes a subgraph as Cytoscape.js JSON (one document, pretty-printed).
///
/// # Errors
/// Any I/O error of `out`.
pub fn write(g: &EntityGraph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    let nodes: Vec<Value> = sub
        .nodes
        .iter()
        .map(|&n| {
            let v = g.node_view(n);
            let mut data = Map::new();
            data.insert("id".into(), json!(v.key));
            data.insert("label".into(), json!(v.name));
            data.insert("type".into(), json!(v.node));
            data.insert("kind".into(), json!(v.kind));
            if let Some(id) = v.id {
                data.insert("entity_id".into(), json!(id));
            }
            if let Some(c) = v.country {
                data.insert("country".into(), json!(c));
            }
            data.insert("listed".into(), json!(v.listed));
            data.insert("mass_registration".into(), json!(v.mass_registration));
            if let Some(s) = v.hub_size {
                data.insert("hub_size".into(), json!(s));
            }
            json!({ "data": data })
        })
        .collect();
    let edges: Vec<Value> = sub
        .edges
        .iter()
        .map(|&e| {
            let v = g.edge_view(e);
            let mut data = Map::new();
            data.insert("id".into(), json!(format!("x{}", e.index())));
            data.insert("source".into(), json!(v.from));
            data.insert("target".into(), json!(v.to));
            data.insert("kind".into(), json!(v.kind));
            data.insert("label".into(), json!(v.kind));
            data.insert("weight".into(), json!(g.edge_weight(e)));
            if let Some(s) = v.share {
                data.insert("share".into(), json!(s));
            }
            if let Some(p) = v.weight {
                data.insert("probability".into(), json!(p));
            }
            if let Some(d) = v.detail {
                data.insert("shared_value".into(), json!(d));
            }
            if let Some(s) = v.shipments {
                data.insert("shipments".into(), json!(s));
            }
            data.insert("evidence".into(), json!(v.evidence));
            json!({ "data": data })
        })
        .collect();
    let doc = json!({
        "format_version": "1.0",
        "generated_by": format!("trawl {}", env!("CARGO_PKG_VERSION")),
        "elements": { "nodes": nodes, "edges": edges },
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}
