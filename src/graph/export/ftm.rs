//! FollowTheMoney JSON Lines: one `{"id", "schema", "properties": {prop: [strings]}}` per
//! line, the format of Aleph and the `followthemoney` tools (`scripts/validate_ftm.py`
//! validates an export with the reference implementation).
//!
//! Mapping: entities → `Person`, `Company`, `Organization`, `Vessel` or `Airplane` (listed ones
//! with topic `sanction`); holdings → `Ownership` (owner, asset, percentage); directors and
//! officers → `Directorship` (director, organization, role); family → `Family`; associates →
//! `Associate`; a screening listing → `Sanction` (entity, authority); address hubs → an
//! `Address` entity linked by `UnknownLink`; shared attributes, shipment roles and possible
//! matches → `UnknownLink` (subject, object, role, with the totals and dates). Where a
//! relation's ends do not fit the schema's ranges (a person as an Ownership asset, a company as
//! a Family member) it is written as `UnknownLink` with the relation as its role, so nothing is
//! dropped and everything validates. Every link carries its evidence (`file:line`) in
//! `description` (`summary` for a Sanction), and `recordId` holds the trawl edge key. FtM has
//! no entity for a phone number or a mailbox, so the members of a phone or e-mail hub carry the
//! value as a `phone` / `email` property instead.

use std::collections::BTreeMap;
use std::io::{self, Write};

use petgraph::graph::NodeIndex;
use serde_json::{Value, json};

use super::{MAX_CITES, Subgraph};
use crate::graph::card::pct;
use crate::graph::{Attr, EdgeKind, EntityGraph, Node};
use crate::model::PartyKind;

/// The FtM id of a node.
fn fid(g: &EntityGraph, n: NodeIndex) -> String {
    format!("trawl-{}", g.node_key(n))
}

fn schema_of(g: &EntityGraph, n: NodeIndex) -> Option<&'static str> {
    match &g.graph[n] {
        Node::Entity(e) => Some(match e.kind {
            PartyKind::Person => "Person",
            PartyKind::Organization => "Organization",
            PartyKind::Vessel => "Vessel",
            PartyKind::Aircraft => "Airplane",
            PartyKind::Company | PartyKind::Unknown => "Company",
        }),
        Node::Hub(h) if h.attr == Attr::Address => Some("Address"),
        _ => None,
    }
}

/// Writes a subgraph as FollowTheMoney JSON Lines: the entities first (node order), then the
/// links (edge order).
///
/// # Errors
/// Any I/O error of `out`.
pub fn write(g: &EntityGraph, sub: &Subgraph, out: &mut dyn Write) -> io::Result<()> {
    // Phone / e-mail hub values become properties of their members.
    let mut extra: BTreeMap<NodeIndex, Vec<(&'static str, String)>> = BTreeMap::new();
    for &e in &sub.edges {
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        if let Node::Hub(h) = &g.graph[b] {
            match h.attr {
                Attr::Email => extra
                    .entry(a)
                    .or_default()
                    .push(("email", h.value.to_string())),
                Attr::Phone => extra
                    .entry(a)
                    .or_default()
                    .push(("phone", h.value.to_string())),
                Attr::Address => {}
            }
        }
    }
    for &n in &sub.nodes {
        let Some(schema) = schema_of(g, n) else {
            continue;
        };
        let mut props: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        match &g.graph[n] {
            Node::Entity(e) => {
                props.insert("name", vec![e.name.to_string()]);
                if let Some(c) = &e.country {
                    props.insert("country", vec![c.to_ascii_lowercase()]);
                }
                if e.listed {
                    props.insert("topics", vec!["sanction".into()]);
                }
                for (k, v) in extra.get(&n).into_iter().flatten() {
                    props.entry(k).or_default().push(v.clone());
                }
            }
            Node::Hub(h) => {
                let (street, country) = h.value.split_once('|').unwrap_or((&h.value, ""));
                props.insert("full", vec![street.to_string()]);
                if !country.is_empty() {
                    props.insert("country", vec![country.to_ascii_lowercase()]);
                }
                props.insert(
                    "summary",
                    vec![format!(
                        "mass-registration address shared by {} entities",
                        h.entities
                    )],
                );
            }
            Node::List(_) => continue,
        }
        line(out, &fid(g, n), schema, props)?;
    }
    for &e in &sub.edges {
        let (a, b) = g.graph.edge_endpoints(e).expect("edge of this graph");
        let w = &g.graph[e];
        let (sa, sb) = (schema_of(g, a), schema_of(g, b));
        let id = format!("trawl-{}-{}-{}", w.kind, g.node_key(a), g.node_key(b));
        let evidence = g.citations(e, MAX_CITES);
        let mut props: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        props.insert("recordId", vec![format!("x{}", e.index())]);
        props.insert("description", vec![format!("evidence: {evidence}")]);
        let is_org = |s: Option<&str>| matches!(s, Some("Company" | "Organization"));
        let schema = match w.kind {
            EdgeKind::ListedOn => {
                let Node::List(l) = &g.graph[b] else { continue };
                props.insert("entity", vec![fid(g, a)]);
                props.insert("authority", vec![l.name.to_string()]);
                props.remove("description");
                props.insert("summary", vec![format!("evidence: {evidence}")]);
                "Sanction"
            }
            EdgeKind::Owns | EdgeKind::BeneficialOwnerOf
                if sb == Some("Company") && sa.is_some() && sa != Some("Address") =>
            {
                props.insert("owner", vec![fid(g, a)]);
                props.insert("asset", vec![fid(g, b)]);
                if let Some(s) = w.share {
                    props.insert("percentage", vec![pct(s)]);
                }
                if w.kind == EdgeKind::BeneficialOwnerOf {
                    props.insert("role", vec!["beneficial owner".into()]);
                }
                "Ownership"
            }
            EdgeKind::Directs | EdgeKind::OfficerOf if is_org(sb) => {
                props.insert("director", vec![fid(g, a)]);
                props.insert("organization", vec![fid(g, b)]);
                props.insert(
                    "role",
                    vec![if w.kind == EdgeKind::Directs {
                        "director".into()
                    } else {
                        "officer".into()
                    }],
                );
                "Directorship"
            }
            EdgeKind::Family if sa == Some("Person") && sb == Some("Person") => {
                props.insert("person", vec![fid(g, a)]);
                props.insert("relative", vec![fid(g, b)]);
                "Family"
            }
            EdgeKind::Associate if sa == Some("Person") && sb == Some("Person") => {
                props.insert("person", vec![fid(g, a)]);
                props.insert("associate", vec![fid(g, b)]);
                "Associate"
            }
            _ => {
                if sa.is_none() || sb.is_none() {
                    // phone / e-mail hubs (carried as properties) and lists
                    continue;
                }
                props.insert("subject", vec![fid(g, a)]);
                props.insert("object", vec![fid(g, b)]);
                props.insert("role", vec![w.kind.as_str().to_string()]);
                let mut summary = Vec::new();
                if let Some(d) = &w.detail {
                    summary.push(format!("shared: {d}"));
                }
                if let Some(p) = w.weight {
                    summary.push(format!("match probability {p:.2}"));
                }
                if let Some(s) = &w.shipments {
                    summary.push(format!(
                        "{} shipments, quantity {}, value USD {}",
                        s.count, s.quantity, s.value_usd
                    ));
                    if !s.first_date.is_empty() {
                        props.insert("startDate", vec![s.first_date.to_string()]);
                        props.insert("endDate", vec![s.last_date.to_string()]);
                    }
                }
                if !summary.is_empty() {
                    props.insert("summary", vec![summary.join("; ")]);
                }
                "UnknownLink"
            }
        };
        line(out, &id, schema, props)?;
    }
    Ok(())
}

fn line(
    out: &mut dyn Write,
    id: &str,
    schema: &str,
    props: BTreeMap<&str, Vec<String>>,
) -> io::Result<()> {
    let props: serde_json::Map<String, Value> = props
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    serde_json::to_writer(
        &mut *out,
        &json!({ "id": id, "schema": schema, "properties": props }),
    )?;
    writeln!(out)
}
