//! GEXF 1.2: Gephi's format. Node and edge attributes declared once (`<attributes>`), nodes
//! with `label`, edges with `label` (the kind) and `weight` (share, shipment count or 1) so
//! Gephi's layouts and filters use them directly.

use std::io::{self, Write};

use super::{EDGE_KEYS, NODE_KEYS, Subgraph, edge_attrs, node_attrs, xml_escape};
use crate::graph::EntityGraph;

fn gexf_type(t: &str) -> &str {
    match t {
        "long" => "long",
        "double" => "double",
        "boolean" => "boolean",
        _ => "string",
    }
}

/// Writes a subgraph as GEXF 1.2.
///
/// # Errors
/// Any I/O error of `out`.
pub fn write(g: &EntityGraph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">"#
    )?;
    writeln!(
        out,
        "  <meta>\n    <creator>trawl {}</creator>\n    <description>trawl entity graph</description>\n  </meta>",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, r#"  <graph defaultedgetype="directed" mode="static">"#)?;
    writeln!(out, r#"    <attributes class="node">"#)?;
    for (i, (name, ty)) in NODE_KEYS.iter().enumerate() {
        writeln!(
            out,
            r#"      <attribute id="{i}" title="{name}" type="{}"/>"#,
            gexf_type(ty)
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge">"#)?;
    for (i, (name, ty)) in EDGE_KEYS.iter().enumerate() {
        writeln!(
            out,
            r#"      <attribute id="{i}" title="{name}" type="{}"/>"#,
            gexf_type(ty)
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, "    <nodes>")?;
    for &n in &sub.nodes {
        let attrs = node_attrs(g, n);
        let label = attrs
            .iter()
            .find(|(k, _)| *k == "label")
            .map_or("", |(_, v)| v.as_str());
        writeln!(
            out,
            r#"      <node id="{}" label="{}">"#,
            xml_escape(&g.node_key(n)),
            xml_escape(label)
        )?;
        writeln!(out, "        <attvalues>")?;
        for (k, v) in &attrs {
            let i = NODE_KEYS
                .iter()
                .position(|(n, _)| n == k)
                .expect("declared");
            writeln!(
                out,
                r#"          <attvalue for="{i}" value="{}"/>"#,
                xml_escape(v)
            )?;
        }
        writeln!(out, "        </attvalues>\n      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    for &e in &sub.edges {
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        writeln!(
            out,
            r#"      <edge id="x{}" source="{}" target="{}" label="{}" weight="{}">"#,
            e.index(),
            xml_escape(&g.node_key(a)),
            xml_escape(&g.node_key(b)),
            g.graph[e].kind,
            g.edge_weight(e)
        )?;
        writeln!(out, "        <attvalues>")?;
        for (k, v) in edge_attrs(g, e) {
            let i = EDGE_KEYS
                .iter()
                .position(|(n, _)| *n == k)
                .expect("declared");
            writeln!(
                out,
                r#"          <attvalue for="{i}" value="{}"/>"#,
                xml_escape(&v)
            )?;
        }
        writeln!(out, "        </attvalues>\n      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")?;
    Ok(())
}
