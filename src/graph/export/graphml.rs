//! GraphML: `<graphml>` with one `<key>` per attribute, a directed `<graph>`, nodes keyed `e<id>`
//! / `hub<n>` / `list<n>`, edges `x<edge index>` with their kind, weight and evidence as data.
//! Opens in Gephi, Cytoscape desktop, yEd and NetworkX (`networkx.read_graphml`).

use std::io::{self, Write};

use super::{EDGE_KEYS, NODE_KEYS, Subgraph, edge_attrs, node_attrs, xml_escape};
use crate::graph::EntityGraph;

/// Writes a subgraph as GraphML.
///
/// # Errors
/// Any I/O error of `out`.
pub fn write(g: &EntityGraph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (name, ty) in NODE_KEYS {
        writeln!(
            out,
            r#"  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    for (name, ty) in EDGE_KEYS {
        writeln!(
            out,
            r#"  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{ty}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="trawl" edgedefault="directed">"#)?;
    for &n in &sub.nodes {
        writeln!(out, r#"    <node id="{}">"#, xml_escape(&g.node_key(n)))?;
        for (k, v) in node_attrs(g, n) {
            writeln!(out, r#"      <data key="n_{k}">{}</data>"#, xml_escape(&v))?;
        }
        writeln!(out, "    </node>")?;
    }
    for &e in &sub.edges {
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        writeln!(
            out,
            r#"    <edge id="x{}" source="{}" target="{}">"#,
            e.index(),
            xml_escape(&g.node_key(a)),
            xml_escape(&g.node_key(b))
        )?;
        for (k, v) in edge_attrs(g, e) {
            writeln!(out, r#"      <data key="e_{k}">{}</data>"#, xml_escape(&v))?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok(())
}
