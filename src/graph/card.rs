//! The entity card of `trawl show`: everything known about one entity and where it came from.
//!
//! Input: the store (the entity's records, for names, addresses, identifiers and screening
//! entries with their source file and line) and the [`EntityGraph`] (owners through chains,
//! subsidiaries, officers, shared attributes, trade). Output: an [`EntityCard`], serialisable
//! as is for `--json`; every list is sorted so the card is the same on every run.

use std::collections::BTreeMap;

use petgraph::Direction;
use petgraph::visit::EdgeRef;
use rusqlite::Connection;
use serde::Serialize;

use super::{EdgeKind, EntityGraph, EntityId, Node, ShipmentAgg};
use crate::error::{Error, Result};

/// How many counterparties a trade line lists.
pub const TOP_COUNTERPARTIES: usize = 5;
/// How many citations a value lists before "and n more".
pub const MAX_CITES: usize = 5;

/// A short reference to another entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRef {
    pub id: EntityId,
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    pub listed: bool,
}

/// A value (name, address, identifier …) with the sources that give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced {
    pub value: String,
    /// `path:line` of up to [`MAX_CITES`] records.
    pub sources: Vec<String>,
    /// How many records give it in all.
    pub records: usize,
}

/// A direct link to another entity (owner, subsidiary, director, officer, relative …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub entity: EntityRef,
    pub kind: EdgeKind,
    /// Percentage, when the link is a holding with a known share.
    pub share: Option<f64>,
    pub sources: Vec<String>,
}

/// An ultimate owner with its effective share and the chains behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UltimateOwner {
    pub entity: EntityRef,
    /// Effective percentage through all chains.
    pub percent: f64,
    /// Each chain as "A —60%→ B —100%→ C (60%)".
    pub chains: Vec<String>,
}

/// Entities sharing an address, phone or e-mail with this one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shared {
    pub attr: &'static str,
    /// The normalised value.
    pub value: String,
    /// True when the value is a mass-registration hub (the other entities are not listed).
    pub hub: bool,
    /// For a hub: how many entities share it.
    pub hub_size: usize,
    pub entities: Vec<EntityRef>,
    pub sources: Vec<String>,
}

/// One trade role of the entity, aggregated over its counterparties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trade {
    /// The edge kind (ships_to, notify_for, …).
    pub kind: EdgeKind,
    /// "out": this entity is the shipper / notify party / payer …; "in": it is the consignee.
    pub direction: &'static str,
    pub counterparties: usize,
    pub totals: ShipmentAgg,
    /// The largest counterparties by value: (entity, shipments, value).
    pub top: Vec<(EntityRef, u64, f64)>,
}

/// A screening-list entry matched to the entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listing {
    pub list: Option<String>,
    pub name: String,
    pub programs: Option<String>,
    pub source_key: Option<String>,
    pub source: String,
}

/// The card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityCard {
    pub entity: EntityRef,
    pub names: Vec<Sourced>,
    pub addresses: Vec<Sourced>,
    pub identifiers: Vec<Sourced>,
    pub contacts: Vec<Sourced>,
    pub owners: Vec<Link>,
    pub ultimate_owners: Vec<UltimateOwner>,
    pub subsidiaries: Vec<Link>,
    pub directors_officers: Vec<Link>,
    pub positions: Vec<Link>,
    pub relatives_associates: Vec<Link>,
    pub shared: Vec<Shared>,
    pub trade: Vec<Trade>,
    pub listings: Vec<Listing>,
}

impl EntityGraph {
    /// A short reference to an entity.
    ///
    /// # Panics
    /// Never for ids of this graph; unknown ids give an empty reference.
    pub fn entity_ref(&self, id: EntityId) -> EntityRef {
        match self.entity(id) {
            Some(e) => EntityRef {
                id,
                name: e.name.to_string(),
                kind: e.kind.as_str().to_string(),
                country: e.country.as_deref().map(String::from),
                listed: e.listed,
            },
            None => EntityRef {
                id,
                name: String::new(),
                kind: "unknown".into(),
                country: None,
                listed: false,
            },
        }
    }
}

/// Builds the card of an entity; ultimate owners are those holding at least `owner_threshold`
/// (fraction).
///
/// # Errors
/// [`Error::NotFound`] if the entity is not in the graph; [`Error::Db`].
pub fn card(
    conn: &Connection,
    g: &EntityGraph,
    id: EntityId,
    owner_threshold: f64,
) -> Result<EntityCard> {
    let n = g
        .node(id)
        .ok_or_else(|| Error::NotFound(format!("entity {id}")))?;
    let cites = |edge: &super::Edge| -> Vec<String> {
        edge.evidence
            .iter()
            .take(MAX_CITES)
            .map(|e| g.cite(e))
            .collect()
    };

    // Records: names, addresses, identifiers, contacts, listings.
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut addresses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut identifiers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut contacts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut listings = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT r.origin, r.name, r.aliases, r.address, r.city, r.postcode, r.country, r.phone,
                r.email, r.website, r.registration_id, r.dob, r.list_source, r.programs,
                r.source_key, s.path, r.line
         FROM entity_records er JOIN records r ON r.id = er.record_id
         JOIN sources s ON s.id = r.source_id
         WHERE er.entity_id = ?1 ORDER BY r.id",
    )?;
    let mut rows = stmt.query([id.0])?;
    while let Some(r) = rows.next()? {
        let get = |i: usize| -> rusqlite::Result<Option<String>> { r.get(i) };
        let cite = format!("{}:{}", r.get::<_, String>(15)?, r.get::<_, i64>(16)?);
        let origin: String = r.get(0)?;
        let name: String = r.get(1)?;
        names.entry(name.clone()).or_default().push(cite.clone());
        for a in split(get(2)?) {
            names.entry(a).or_default().push(cite.clone());
        }
        if let Some(a) = get(3)? {
            let full = [Some(a), get(4)?, get(5)?, get(6)?]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            addresses.entry(full).or_default().push(cite.clone());
        }
        for (label, i) in [("phone", 7), ("email", 8), ("website", 9)] {
            for v in split(get(i)?) {
                contacts
                    .entry(format!("{label} {v}"))
                    .or_default()
                    .push(cite.clone());
            }
        }
        for v in split(get(10)?) {
            identifiers
                .entry(format!("registration {v}"))
                .or_default()
                .push(cite.clone());
        }
        if let Some(d) = get(11)? {
            identifiers
                .entry(format!("born {d}"))
                .or_default()
                .push(cite.clone());
        }
        let (list, programs) = (get(12)?, get(13)?);
        if origin == "screening" || (origin == "ftm" && (list.is_some() || programs.is_some())) {
            listings.push(Listing {
                list,
                name,
                programs,
                source_key: get(14)?,
                source: cite,
            });
        }
    }

    // Links from the graph.
    let mut owners = Vec::new();
    let mut subsidiaries = Vec::new();
    let mut directors_officers = Vec::new();
    let mut positions = Vec::new();
    let mut relatives_associates = Vec::new();
    let mut shared: Vec<Shared> = Vec::new();
    let mut trade: BTreeMap<(EdgeKind, &'static str), Vec<(EntityId, &ShipmentAgg)>> =
        BTreeMap::new();
    for dir in [Direction::Outgoing, Direction::Incoming] {
        for e in g.graph.edges_directed(n, dir) {
            let other = if dir == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            let w = e.weight();
            if let Node::Hub(h) = &g.graph[other] {
                shared.push(Shared {
                    attr: h.attr.as_str(),
                    value: h.value.to_string(),
                    hub: true,
                    hub_size: h.entities,
                    entities: Vec::new(),
                    sources: cites(w),
                });
                continue;
            }
            let Some(oid) = g.entity_id(other) else {
                continue;
            };
            let link = || Link {
                entity: g.entity_ref(oid),
                kind: w.kind,
                share: w.share,
                sources: cites(w),
            };
            let out = dir == Direction::Outgoing;
            match w.kind {
                EdgeKind::Owns | EdgeKind::BeneficialOwnerOf if out => subsidiaries.push(link()),
                EdgeKind::Owns | EdgeKind::BeneficialOwnerOf => owners.push(link()),
                EdgeKind::Directs | EdgeKind::OfficerOf if out => positions.push(link()),
                EdgeKind::Directs | EdgeKind::OfficerOf => directors_officers.push(link()),
                EdgeKind::Family | EdgeKind::Associate => relatives_associates.push(link()),
                EdgeKind::SharesAddress | EdgeKind::SharesPhone | EdgeKind::SharesEmail => {
                    let attr = match w.kind {
                        EdgeKind::SharesAddress => "address",
                        EdgeKind::SharesPhone => "phone",
                        _ => "email",
                    };
                    let value = w.detail.as_deref().unwrap_or("").to_string();
                    match shared
                        .iter_mut()
                        .find(|s| !s.hub && s.attr == attr && s.value == value)
                    {
                        Some(s) => s.entities.push(g.entity_ref(oid)),
                        None => shared.push(Shared {
                            attr,
                            value,
                            hub: false,
                            hub_size: 0,
                            entities: vec![g.entity_ref(oid)],
                            sources: cites(w),
                        }),
                    }
                }
                k if k.is_shipment() => {
                    if let Some(agg) = &w.shipments {
                        trade
                            .entry((k, if out { "out" } else { "in" }))
                            .or_default()
                            .push((oid, agg));
                    }
                }
                _ => {}
            }
        }
    }
    let by_id = |a: &Link, b: &Link| a.entity.id.cmp(&b.entity.id).then(a.kind.cmp(&b.kind));
    for v in [
        &mut owners,
        &mut subsidiaries,
        &mut directors_officers,
        &mut positions,
        &mut relatives_associates,
    ] {
        v.sort_by(by_id);
    }
    for s in &mut shared {
        s.entities.sort_by_key(|e| e.id);
    }
    shared.sort_by(|a, b| (a.attr, &a.value).cmp(&(b.attr, &b.value)));

    let ultimate_owners = g
        .ultimate_owners(id, owner_threshold)
        .into_iter()
        .map(|o| UltimateOwner {
            entity: g.entity_ref(o.owner),
            percent: o.fraction * 100.0,
            chains: o
                .paths
                .iter()
                .map(|p| format!("{} ({}%)", g.chain_text(p), pct(p.fraction * 100.0)))
                .collect(),
        })
        .collect();

    let trade = trade
        .into_iter()
        .map(|((kind, direction), mut parts)| {
            let mut totals = ShipmentAgg::default();
            for (_, a) in &parts {
                totals.count += a.count;
                totals.quantity += a.quantity;
                totals.value_usd += a.value_usd;
                if totals.first_date.is_empty() || a.first_date < totals.first_date {
                    totals.first_date = a.first_date.clone();
                }
                if a.last_date > totals.last_date {
                    totals.last_date = a.last_date.clone();
                }
            }
            parts.sort_by(|a, b| {
                b.1.value_usd
                    .total_cmp(&a.1.value_usd)
                    .then(b.1.count.cmp(&a.1.count))
                    .then(a.0.cmp(&b.0))
            });
            Trade {
                kind,
                direction,
                counterparties: parts.len(),
                top: parts
                    .iter()
                    .take(TOP_COUNTERPARTIES)
                    .map(|(id, a)| (g.entity_ref(*id), a.count, a.value_usd))
                    .collect(),
                totals,
            }
        })
        .collect();

    let sourced = |m: BTreeMap<String, Vec<String>>| -> Vec<Sourced> {
        m.into_iter()
            .map(|(value, mut sources)| {
                sources.dedup();
                let records = sources.len();
                sources.truncate(MAX_CITES);
                Sourced {
                    value,
                    sources,
                    records,
                }
            })
            .collect()
    };
    Ok(EntityCard {
        entity: g.entity_ref(id),
        names: sourced(names),
        addresses: sourced(addresses),
        identifiers: sourced(identifiers),
        contacts: sourced(contacts),
        owners,
        ultimate_owners,
        subsidiaries,
        directors_officers,
        positions,
        relatives_associates,
        shared,
        trade,
        listings,
    })
}

fn split(v: Option<String>) -> Vec<String> {
    v.map(|s| {
        s.split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

/// A percentage for display: no decimals when whole, else up to two.
pub fn pct(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round())
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
