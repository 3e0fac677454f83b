//! Graphviz DOT: a `digraph`, entities as boxes (people as ellipses, listed entities red),
//! hubs as grey diamonds, lists as red octagons; edges labelled with their kind and share or
//! shipment count, symmetric relations without arrowheads, evidence in the `tooltip`.

use std::io::{self, Write};

use super::{MAX_CITES, Subgraph};
use crate::graph::card::pct;
use crate::graph::{EntityGraph, Node};
use crate::model::PartyKind;

/// Quotes a DOT string: backslashes and double quotes escaped, line breaks as `\n`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a subgraph as DOT.
///
/// # Errors
/// Any I/O error of `out`.
pub fn write(g: &EntityGraph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "digraph trawl {{")?;
    writeln!(out, "  graph [rankdir=LR, overlap=false];")?;
    writeln!(out, "  node [fontname=\"Helvetica\", fontsize=10];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=8];")?;
    for &n in &sub.nodes {
        let (label, shape, color) = match &g.graph[n] {
            Node::Entity(e) => (
                format!(
                    "{}\n{} {}{}",
                    e.name,
                    e.id,
                    e.kind.as_str(),
                    e.country
                        .as_deref()
                        .map_or(String::new(), |c| format!(", {c}"))
                ),
                if e.kind == PartyKind::Person {
                    "ellipse"
                } else {
                    "box"
                },
                if e.listed { "red" } else { "black" },
            ),
            Node::Hub(h) => (
                format!(
                    "{} hub (mass registration, {} entities)\n{}",
                    h.attr.as_str(),
                    h.entities,
                    h.value
                ),
                "diamond",
                "grey",
            ),
            Node::List(l) => (l.name.to_string(), "octagon", "red"),
        };
        writeln!(
            out,
            "  {} [label={}, shape={shape}, color={color}];",
            quote(&g.node_key(n)),
            quote(&label)
        )?;
    }
    for &e in &sub.edges {
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        let w = &g.graph[e];
        let mut label = w.kind.as_str().to_string();
        if let Some(s) = w.share {
            label.push_str(&format!(" {}%", pct(s)));
        }
        if let Some(s) = &w.shipments {
            label.push_str(&format!(" ×{}", s.count));
        }
        writeln!(
            out,
            "  {} -> {} [label={}, weight={}, tooltip={}{}];",
            quote(&g.node_key(a)),
            quote(&g.node_key(b)),
            quote(&label),
            // Graphviz wants integer-ish positive weights; a hop is a hop for layout.
            1,
            quote(&g.citations(e, MAX_CITES)),
            if w.kind.is_symmetric() {
                ", dir=none"
            } else {
                ""
            }
        )?;
    }
    writeln!(out, "}}")?;
    Ok(())
}
