//! Exporting a subgraph for other tools, one file per format: [`graphml`] and [`gexf`] (Gephi,
//! Cytoscape desktop, yEd, NetworkX), [`dot`] (Graphviz), [`cytoscape`] (Cytoscape.js JSON)
//! and [`ftm`] (FollowTheMoney JSON Lines for Aleph and the `followthemoney` tools).
//!
//! Input: an [`EntityGraph`] and a [`Subgraph`] (the neighbourhood of some entities, or the
//! whole graph). Every format carries the same facts: node type, name, kind, country, listed,
//! mass-registration flag; edge kind, share, shipment totals, shared value and the evidence as
//! `file:line` citations. Nodes are written in node order and edges in edge order, so an export
//! is byte-identical for the same store and arguments.

pub mod cytoscape;
pub mod dot;
pub mod ftm;
pub mod gexf;
pub mod graphml;

use std::collections::BTreeSet;
use std::io::{self, Write};

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{EntityGraph, EntityId, Walk};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// GraphML (XML).
    Graphml,
    /// GEXF 1.2 (XML), Gephi's own format.
    Gexf,
    /// Graphviz DOT.
    Dot,
    /// Cytoscape.js JSON (`{"elements": {"nodes": […], "edges": […]}}`).
    Json,
    /// FollowTheMoney JSON Lines.
    Ftm,
}

/// A set of nodes and the edges among them to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    /// Sorted node indices.
    pub nodes: Vec<NodeIndex>,
    /// Sorted edge indices.
    pub edges: Vec<EdgeIndex>,
}

/// How many citations an edge carries in the XML and DOT formats (all of them are in the JSON
/// and FtM formats); the count of the rest follows.
pub const MAX_CITES: usize = 20;

impl EntityGraph {
    /// The union of the neighbourhoods of `ids` within `hops`, and every edge of an allowed kind
    /// among its nodes. Unknown ids are skipped.
    pub fn subgraph_around(&self, ids: &[EntityId], hops: u32, walk: &Walk) -> Subgraph {
        let mut nodes = BTreeSet::new();
        for id in ids {
            if let Some(h) = self.neighbors(*id, hops, walk) {
                nodes.extend(h.nodes.iter().map(|(n, _)| *n));
            }
        }
        let mut edges = Vec::new();
        for &n in &nodes {
            for e in self.graph.edges(n) {
                if walk.kinds.contains(e.weight().kind) && nodes.contains(&e.target()) {
                    edges.push(e.id());
                }
            }
        }
        edges.sort_unstable();
        Subgraph {
            nodes: nodes.into_iter().collect(),
            edges,
        }
    }

    /// The whole graph.
    pub fn whole(&self) -> Subgraph {
        Subgraph {
            nodes: self.graph.node_indices().collect(),
            edges: self.graph.edge_indices().collect(),
        }
    }

    /// The evidence of an edge as `file:line` citations, at most `max`, then "+n more".
    pub fn citations(&self, e: EdgeIndex, max: usize) -> String {
        let ev = &self.graph[e].evidence;
        let mut c: Vec<String> = ev.iter().take(max).map(|x| self.cite(x)).collect();
        if ev.len() > max {
            c.push(format!("+{} more", ev.len() - max));
        }
        c.join("; ")
    }

    /// A numeric weight for layout tools: the share for holdings, the shipment count for
    /// shipment edges, the probability for possible matches, otherwise 1.
    pub fn edge_weight(&self, e: EdgeIndex) -> f64 {
        let w = &self.graph[e];
        w.share
            .or(w.weight)
            .or(w.shipments.as_ref().map(|s| s.count as f64))
            .unwrap_or(1.0)
    }
}

/// Writes a subgraph in a format.
///
/// # Errors
/// Any I/O error of `out`.
pub fn write(
    g: &EntityGraph,
    sub: &Subgraph,
    format: Format,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Graphml => graphml::write(g, sub, out),
        Format::Gexf => gexf::write(g, sub, out),
        Format::Dot => dot::write(g, sub, out),
        Format::Json => cytoscape::write(g, sub, out),
        Format::Ftm => ftm::write(g, sub, out),
    }
}

/// Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The attributes every format writes for a node, as (name, value) strings; empty values are
/// left out.
pub(crate) fn node_attrs(g: &EntityGraph, n: NodeIndex) -> Vec<(&'static str, String)> {
    let v = g.node_view(n);
    let mut a = vec![
        ("type", v.node.to_string()),
        ("label", v.name),
        ("kind", v.kind),
    ];
    if let Some(id) = v.id {
        a.push(("entity_id", id.to_string()));
    }
    if let Some(c) = v.country {
        a.push(("country", c));
    }
    a.push(("listed", v.listed.to_string()));
    a.push(("mass_registration", v.mass_registration.to_string()));
    if let Some(s) = v.hub_size {
        a.push(("hub_size", s.to_string()));
    }
    a
}

/// The attributes every format writes for an edge.
pub(crate) fn edge_attrs(g: &EntityGraph, e: EdgeIndex) -> Vec<(&'static str, String)> {
    let w = &g.graph[e];
    let mut a = vec![
        ("kind", w.kind.as_str().to_string()),
        ("weight", g.edge_weight(e).to_string()),
    ];
    if let Some(s) = w.share {
        a.push(("share", s.to_string()));
    }
    if let Some(p) = w.weight {
        a.push(("probability", p.to_string()));
    }
    if let Some(d) = &w.detail {
        a.push(("shared_value", d.to_string()));
    }
    if let Some(s) = &w.shipments {
        a.push(("shipments", s.count.to_string()));
        a.push(("quantity", s.quantity.to_string()));
        a.push(("value_usd", s.value_usd.to_string()));
        a.push(("first_date", s.first_date.to_string()));
        a.push(("last_date", s.last_date.to_string()));
    }
    a.push(("evidence", g.citations(e, MAX_CITES)));
    a
}

/// The declared type of each attribute name (for GraphML keys and GEXF attributes).
pub(crate) const NODE_KEYS: &[(&str, &str)] = &[
    ("type", "string"),
    ("label", "string"),
    ("kind", "string"),
    ("entity_id", "long"),
    ("country", "string"),
    ("listed", "boolean"),
    ("mass_registration", "boolean"),
    ("hub_size", "long"),
];

/// See [`NODE_KEYS`].
pub(crate) const EDGE_KEYS: &[(&str, &str)] = &[
    ("kind", "string"),
    ("weight", "double"),
    ("share", "double"),
    ("probability", "double"),
    ("shared_value", "string"),
    ("shipments", "long"),
    ("quantity", "double"),
    ("value_usd", "double"),
    ("first_date", "string"),
    ("last_date", "string"),
    ("evidence", "string"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_handles_markup_and_controls() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
