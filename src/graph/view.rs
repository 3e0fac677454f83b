//! Serialisable views of nodes, edges and paths, shared by the `--json` outputs of the graph
//! commands and the exports: node keys instead of indices, evidence with file paths.

use petgraph::graph::{EdgeIndex, NodeIndex};
use serde::Serialize;

use super::{EdgeKind, EntityGraph, Item, Node, Path, ShipmentAgg};
use crate::model::EntityId;

/// A node as the outputs show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeView {
    /// `e<id>` for entities, `hub<n>` / `list<n>` otherwise.
    pub key: String,
    /// `entity`, `hub` or `list`.
    pub node: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<EntityId>,
    /// Entity name, hub value or list name.
    pub name: String,
    /// Entity kind (company, person …), or the hub's attribute.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub listed: bool,
    pub mass_registration: bool,
    /// Hubs: entities sharing the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hub_size: Option<usize>,
    /// Distance from the centre (neighbourhoods).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hops: Option<u32>,
}

/// A piece of evidence: file, line and the row it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceView {
    pub source: String,
    pub line: i64,
    /// `record`, `relationship` or `shipment`.
    pub table: &'static str,
    pub id: i64,
}

/// An edge as the outputs show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeView {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipments: Option<ShipmentAgg>,
    pub evidence: Vec<EvidenceView>,
}

/// A path: its nodes and, per hop, the edges with their evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathView {
    pub hops: usize,
    pub nodes: Vec<NodeView>,
    pub steps: Vec<Vec<EdgeView>>,
}

impl EntityGraph {
    /// The view of a node.
    pub fn node_view(&self, n: NodeIndex) -> NodeView {
        let key = self.node_key(n);
        match &self.graph[n] {
            Node::Entity(e) => NodeView {
                key,
                node: "entity",
                id: Some(e.id),
                name: e.name.to_string(),
                kind: e.kind.as_str().into(),
                country: e.country.as_deref().map(String::from),
                listed: e.listed,
                mass_registration: false,
                hub_size: None,
                hops: None,
            },
            Node::Hub(h) => NodeView {
                key,
                node: "hub",
                id: None,
                name: h.value.to_string(),
                kind: h.attr.as_str().into(),
                country: None,
                listed: false,
                mass_registration: h.mass_registration,
                hub_size: Some(h.entities),
                hops: None,
            },
            Node::List(l) => NodeView {
                key,
                node: "list",
                id: None,
                name: l.name.to_string(),
                kind: "list".into(),
                country: None,
                listed: false,
                mass_registration: false,
                hub_size: None,
                hops: None,
            },
        }
    }

    /// The view of an edge, with every piece of evidence.
    pub fn edge_view(&self, e: EdgeIndex) -> EdgeView {
        let (a, b) = self.graph.edge_endpoints(e).expect("edge of this graph");
        let w = &self.graph[e];
        EdgeView {
            from: self.node_key(a),
            to: self.node_key(b),
            kind: w.kind,
            share: w.share,
            weight: w.weight,
            detail: w.detail.as_deref().map(String::from),
            shipments: w.shipments.as_deref().cloned(),
            evidence: w
                .evidence
                .iter()
                .map(|ev| {
                    let (table, id) = match ev.item {
                        Item::Record(r) => ("record", r.0),
                        Item::Relationship(r) => ("relationship", r.0),
                        Item::Shipment(s) => ("shipment", s.0),
                    };
                    EvidenceView {
                        source: self.source_path(ev.source).to_string(),
                        line: ev.line,
                        table,
                        id,
                    }
                })
                .collect(),
        }
    }

    /// The view of a path.
    pub fn path_view(&self, p: &Path) -> PathView {
        PathView {
            hops: p.len(),
            nodes: p.nodes.iter().map(|n| self.node_view(*n)).collect(),
            steps: p
                .steps
                .iter()
                .map(|s| s.edges.iter().map(|e| self.edge_view(*e)).collect())
                .collect(),
        }
    }

    /// One line describing an edge for people: kind, direction relative to `from`, weights and
    /// up to `cites` citations.
    pub fn describe_edge(&self, e: EdgeIndex, from: NodeIndex, cites: usize) -> String {
        let (a, _) = self.graph.edge_endpoints(e).expect("edge of this graph");
        let w = &self.graph[e];
        let arrow = if w.kind.is_symmetric() {
            format!("—{}—", w.kind)
        } else if a == from {
            format!("—{}→", w.kind)
        } else {
            format!("←{}—", w.kind)
        };
        let mut s = arrow;
        if let Some(share) = w.share {
            s.push_str(&format!(" {}%", super::card::pct(share)));
        }
        if let Some(p) = w.weight {
            s.push_str(&format!(" p={p:.2}"));
        }
        if let Some(d) = &w.detail {
            s.push_str(&format!(" \"{d}\""));
        }
        if let Some(agg) = &w.shipments {
            s.push_str(&format!(
                " {} shipments, qty {}, US${}, {}…{}",
                agg.count,
                num(agg.quantity),
                num(agg.value_usd),
                agg.first_date,
                agg.last_date
            ));
        }
        let mut c: Vec<String> = w
            .evidence
            .iter()
            .take(cites)
            .map(|e| self.cite(e))
            .collect();
        if w.evidence.len() > cites {
            c.push(format!("+{} more", w.evidence.len() - cites));
        }
        s.push_str(&format!("  [{}]", c.join(", ")));
        s
    }
}

/// A number with thousands separators, no decimals.
pub fn num(x: f64) -> String {
    let n = x.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}
