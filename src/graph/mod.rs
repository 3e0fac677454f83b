//! The entity graph: who owns, directs, shares an address with and ships to whom, and why.
//!
//! Input: the store after `trawl resolve` (`entities`, `entity_records`, `records`,
//! `relationships`, `shipments`, `possible_matches`). Output: an [`EntityGraph`], a petgraph
//! [`DiGraph`] whose nodes are resolved entities plus two kinds of shared node — **hubs**
//! (a normalised address, phone or e-mail shared by more than [`GraphConfig::max_shared`]
//! entities, flagged as mass registration) and **lists** (a screening list an entity is on) —
//! and whose edges are typed ([`EdgeKind`]) and carry their [`Evidence`]: the records,
//! relationships or shipments they came from, each with its source file and line.
//!
//! The files:
//! [`build`] reads the store into the graph (one pass per table, edges sorted so the graph is
//! the same for the same store); [`query`] neighbourhoods and (k-)shortest paths;
//! [`ownership`] effective and ultimate ownership through chains, and the affiliates (50 %)
//! rule; [`search`] fuzzy name search and the lookup of an entity from what a user typed;
//! [`card`] the entity card of `trawl show`; [`export`] GraphML, GEXF, DOT, Cytoscape.js JSON
//! and FollowTheMoney JSON Lines; [`view`] the serialisable views the outputs share.
//!
//! Conventions: edges point from the actor to the object — owner → owned, director → company,
//! shipper / notify party / forwarder / payer / end user → consignee, entity → hub, entity →
//! list. Symmetric relations (family, associate, shared attributes, possible matches) point
//! from the smaller entity id to the larger. Queries walk edges in both directions, and never
//! pass *through* a list node, nor through a hub unless asked ([`Walk::through_hubs`]): a
//! virtual office shared by 5,000 companies says little about any two of them.
//!
//! ```no_run
//! use trawl::graph::{self, EdgeKind, GraphConfig, KindSet, Walk};
//! use trawl::model::EntityId;
//! let conn = trawl::store::open("trawl.db".as_ref())?;
//! let g = graph::build(&conn, &GraphConfig::default())?;
//! let hood = g.neighbors(EntityId(1), 2, &Walk::default());
//! let owners = g.ultimate_owners(EntityId(1), 0.25);
//! let path = g.shortest_path(EntityId(4), EntityId(1), &Walk::new(KindSet::control()));
//! # Ok::<(), trawl::Error>(())
//! ```

pub mod build;
pub mod card;
pub mod export;
pub mod ownership;
pub mod query;
pub mod search;
pub mod view;

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::Serialize;

pub use crate::model::EntityId;
use crate::model::{PartyKind, RecordId, RelationshipId, ShipmentId, SourceId};
pub use build::build;
pub use ownership::{Affiliate, OwnerShare, OwnershipPath};
pub use query::{Neighborhood, Path, PathStep, Walk};

/// The kinds of edge. The string forms ([`EdgeKind::as_str`]) are used by `--via` and every
/// output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum EdgeKind {
    /// Owner → owned company; [`Edge::share`] is the percentage held (when a source gave it).
    Owns,
    /// Director → company.
    Directs,
    /// Officer (secretary, CEO, agent …) → company.
    OfficerOf,
    /// Declared beneficial owner → company; [`Edge::share`] when given.
    BeneficialOwnerOf,
    /// Family members (symmetric).
    Family,
    /// Associates (symmetric).
    Associate,
    /// Both entities have this normalised address (symmetric), or entity → address hub.
    SharesAddress,
    /// Both entities have this phone number (symmetric), or entity → phone hub.
    SharesPhone,
    /// Both entities have this e-mail address (symmetric), or entity → e-mail hub.
    SharesEmail,
    /// Shipper → consignee, aggregated over shipments ([`Edge::shipments`]).
    ShipsTo,
    /// Notify party → consignee, aggregated over shipments.
    NotifyFor,
    /// Freight forwarder → consignee, aggregated over shipments.
    ForwardsFor,
    /// Payer → consignee, aggregated over shipments.
    PaysFor,
    /// Declared end user → consignee, aggregated over shipments.
    EndUserOf,
    /// Entity → screening list it is on (a screening-list record, or a FollowTheMoney record
    /// with a sanction).
    ListedOn,
    /// Entity resolution kept the two apart but found them possibly the same party
    /// (`possible_matches`); [`Edge::weight`] is the best match probability. Not walked by
    /// default.
    PossibleMatch,
}

impl EdgeKind {
    /// Every kind, in declaration order.
    pub const ALL: [EdgeKind; 16] = [
        EdgeKind::Owns,
        EdgeKind::Directs,
        EdgeKind::OfficerOf,
        EdgeKind::BeneficialOwnerOf,
        EdgeKind::Family,
        EdgeKind::Associate,
        EdgeKind::SharesAddress,
        EdgeKind::SharesPhone,
        EdgeKind::SharesEmail,
        EdgeKind::ShipsTo,
        EdgeKind::NotifyFor,
        EdgeKind::ForwardsFor,
        EdgeKind::PaysFor,
        EdgeKind::EndUserOf,
        EdgeKind::ListedOn,
        EdgeKind::PossibleMatch,
    ];

    /// The snake_case name (`owns`, `ships_to`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Owns => "owns",
            EdgeKind::Directs => "directs",
            EdgeKind::OfficerOf => "officer_of",
            EdgeKind::BeneficialOwnerOf => "beneficial_owner_of",
            EdgeKind::Family => "family",
            EdgeKind::Associate => "associate",
            EdgeKind::SharesAddress => "shares_address",
            EdgeKind::SharesPhone => "shares_phone",
            EdgeKind::SharesEmail => "shares_email",
            EdgeKind::ShipsTo => "ships_to",
            EdgeKind::NotifyFor => "notify_for",
            EdgeKind::ForwardsFor => "forwards_for",
            EdgeKind::PaysFor => "pays_for",
            EdgeKind::EndUserOf => "end_user_of",
            EdgeKind::ListedOn => "listed_on",
            EdgeKind::PossibleMatch => "possible_match",
        }
    }

    /// Parses a kind name; also accepts the relationship and role names (`owner`, `director`,
    /// `payer`, …). Groups (`control`, `trade` …) are [`KindSet::parse`]'s.
    pub fn parse(s: &str) -> Option<EdgeKind> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        EdgeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .or(match s.as_str() {
                "owner" | "own" | "ownership" => Some(EdgeKind::Owns),
                "director" | "directorship" => Some(EdgeKind::Directs),
                "officer" => Some(EdgeKind::OfficerOf),
                "beneficial_owner" | "ubo" => Some(EdgeKind::BeneficialOwnerOf),
                "address" => Some(EdgeKind::SharesAddress),
                "phone" => Some(EdgeKind::SharesPhone),
                "email" | "e_mail" => Some(EdgeKind::SharesEmail),
                "notify" => Some(EdgeKind::NotifyFor),
                "forwarder" => Some(EdgeKind::ForwardsFor),
                "payer" => Some(EdgeKind::PaysFor),
                "end_user" => Some(EdgeKind::EndUserOf),
                "listed" => Some(EdgeKind::ListedOn),
                _ => None,
            })
    }

    /// Whether the relation has no direction (stored smaller id → larger id).
    pub fn is_symmetric(self) -> bool {
        matches!(
            self,
            EdgeKind::Family
                | EdgeKind::Associate
                | EdgeKind::SharesAddress
                | EdgeKind::SharesPhone
                | EdgeKind::SharesEmail
                | EdgeKind::PossibleMatch
        )
    }

    /// Whether the edge aggregates shipments (carries [`Edge::shipments`]).
    pub fn is_shipment(self) -> bool {
        matches!(
            self,
            EdgeKind::ShipsTo
                | EdgeKind::NotifyFor
                | EdgeKind::ForwardsFor
                | EdgeKind::PaysFor
                | EdgeKind::EndUserOf
        )
    }
}

impl std::fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of edge kinds (a bit set), for `--via` and the query methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KindSet(u32);

impl KindSet {
    /// No kind.
    pub const EMPTY: KindSet = KindSet(0);

    /// Every kind except [`EdgeKind::PossibleMatch`]: the default of every query.
    pub fn all() -> KindSet {
        KindSet::of(
            &EdgeKind::ALL
                .into_iter()
                .filter(|k| *k != EdgeKind::PossibleMatch)
                .collect::<Vec<_>>(),
        )
    }

    /// Common-control relations: ownership, directorship, officers, family, associates and
    /// shared addresses, phones and e-mails.
    pub fn control() -> KindSet {
        KindSet::of(&[
            EdgeKind::Owns,
            EdgeKind::Directs,
            EdgeKind::OfficerOf,
            EdgeKind::BeneficialOwnerOf,
            EdgeKind::Family,
            EdgeKind::Associate,
            EdgeKind::SharesAddress,
            EdgeKind::SharesPhone,
            EdgeKind::SharesEmail,
        ])
    }

    /// The shipment roles: ships_to, notify_for, forwards_for, pays_for, end_user_of.
    pub fn trade() -> KindSet {
        KindSet::of(&[
            EdgeKind::ShipsTo,
            EdgeKind::NotifyFor,
            EdgeKind::ForwardsFor,
            EdgeKind::PaysFor,
            EdgeKind::EndUserOf,
        ])
    }

    /// Exactly these kinds.
    pub fn of(kinds: &[EdgeKind]) -> KindSet {
        KindSet(kinds.iter().fold(0, |acc, k| acc | 1 << *k as u32))
    }

    /// Whether `kind` is in the set.
    pub fn contains(self, kind: EdgeKind) -> bool {
        self.0 & (1 << kind as u32) != 0
    }

    /// Union.
    pub fn with(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }

    /// The kinds in the set, in declaration order.
    pub fn kinds(self) -> Vec<EdgeKind> {
        EdgeKind::ALL
            .into_iter()
            .filter(|k| self.contains(*k))
            .collect()
    }

    /// Parses a comma-separated list of kind names (see [`EdgeKind::parse`]) and the groups
    /// `all`, `control`, `trade`, `shared` (address, phone, e-mail) and `ownership` (owns,
    /// beneficial_owner_of).
    ///
    /// # Errors
    /// [`crate::Error::Config`] naming the unknown kind.
    pub fn parse(s: &str) -> crate::Result<KindSet> {
        let mut set = KindSet::EMPTY;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let add = match part.to_ascii_lowercase().as_str() {
                "all" => KindSet::all(),
                "control" => KindSet::control(),
                "trade" | "shipments" => KindSet::trade(),
                "shared" => KindSet::of(&[
                    EdgeKind::SharesAddress,
                    EdgeKind::SharesPhone,
                    EdgeKind::SharesEmail,
                ]),
                "ownership" => KindSet::of(&[EdgeKind::Owns, EdgeKind::BeneficialOwnerOf]),
                _ => KindSet::of(&[EdgeKind::parse(part).ok_or_else(|| crate::Error::Config {
                    key: "via".into(),
                    reason: format!(
                        "unknown edge kind {part:?} (kinds: {}; groups: all, control, trade, \
                         shared, ownership)",
                        EdgeKind::ALL.map(EdgeKind::as_str).join(", ")
                    ),
                })?]),
            };
            set = set.with(add);
        }
        Ok(set)
    }
}

impl Default for KindSet {
    fn default() -> Self {
        KindSet::all()
    }
}

/// The attribute a hub or a shared-attribute edge is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attr {
    /// A normalised street address (with country).
    Address,
    /// A phone number (its last [`crate::resolve::normalize::PHONE_DIGITS`] digits).
    Phone,
    /// An e-mail address.
    Email,
}

impl Attr {
    /// The name used in output (`address`, `phone`, `email`).
    pub fn as_str(self) -> &'static str {
        match self {
            Attr::Address => "address",
            Attr::Phone => "phone",
            Attr::Email => "email",
        }
    }

    /// The edge kind of sharing this attribute.
    pub fn edge_kind(self) -> EdgeKind {
        match self {
            Attr::Address => EdgeKind::SharesAddress,
            Attr::Phone => EdgeKind::SharesPhone,
            Attr::Email => EdgeKind::SharesEmail,
        }
    }
}

/// A resolved party.
#[derive(Debug, Clone, Serialize)]
pub struct EntityNode {
    pub id: EntityId,
    pub kind: PartyKind,
    /// The representative name (`entities.name`).
    pub name: Box<str>,
    /// ISO 3166-1 alpha-2, when known.
    pub country: Option<Box<str>>,
    /// Whether the entity has a screening-list record or a sanctioned FtM record.
    pub listed: bool,
}

/// A normalised address, phone or e-mail shared by more than [`GraphConfig::max_shared`]
/// entities: one node instead of a clique of pair edges, flagged as mass registration.
#[derive(Debug, Clone, Serialize)]
pub struct Hub {
    pub attr: Attr,
    /// The normalised value (address tokens joined by spaces and `|` country; phone digits;
    /// e-mail).
    pub value: Box<str>,
    /// How many entities share it.
    pub entities: usize,
    /// Always true for hubs built from the threshold (a mass-registration address, phone or
    /// e-mail: registered agent, virtual office, call centre).
    pub mass_registration: bool,
}

/// A screening list (`records.list_source`, or the programs when no list is named).
#[derive(Debug, Clone, Serialize)]
pub struct ListNode {
    pub name: Box<str>,
}

/// A node of the graph.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "node", rename_all = "lowercase")]
pub enum Node {
    Entity(EntityNode),
    Hub(Hub),
    List(ListNode),
}

impl Node {
    /// The entity, if the node is one.
    pub fn entity(&self) -> Option<&EntityNode> {
        match self {
            Node::Entity(e) => Some(e),
            _ => None,
        }
    }

    /// A label for people: the entity's name, the hub's attribute and value, the list's name.
    pub fn label(&self) -> String {
        match self {
            Node::Entity(e) => e.name.to_string(),
            Node::Hub(h) => format!("{} hub: {}", h.attr.as_str(), h.value),
            Node::List(l) => l.name.to_string(),
        }
    }
}

/// What an edge came from: one record, relationship or shipment, with its source file and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    pub source: SourceId,
    pub line: i64,
    pub item: Item,
}

/// The row behind a piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase", tag = "table", content = "id")]
pub enum Item {
    /// A record (shared attributes, screening-list matches, possible matches).
    Record(RecordId),
    /// A relationship row.
    Relationship(RelationshipId),
    /// A shipment line item.
    Shipment(ShipmentId),
}

/// Totals of the shipments behind a shipment-role edge. TPP is not computed here: it belongs to
/// the chip catalog of a policy profile (score); the shipment ids are in [`Edge::evidence`]
/// ([`Edge::shipment_ids`]) so a scorer can total it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ShipmentAgg {
    /// Number of shipment line items.
    pub count: u64,
    /// Sum of `quantity` (lines without one count 0).
    pub quantity: f64,
    /// Sum of `value_usd` (lines without one count 0).
    pub value_usd: f64,
    /// Earliest date (ISO 8601).
    pub first_date: Box<str>,
    /// Latest date (ISO 8601).
    pub last_date: Box<str>,
}

/// An edge: its kind, weights and evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub kind: EdgeKind,
    /// Ownership percentage 0–100 (owns, beneficial_owner_of) when a source gave one; the
    /// largest when sources disagree (they describe the same holding, so never summed).
    pub share: Option<f64>,
    /// Possible matches: the best match probability.
    pub weight: Option<f64>,
    /// Shared attributes: the normalised value(s) shared, `; `-joined.
    pub detail: Option<Box<str>>,
    /// Shipment-role edges: the totals.
    pub shipments: Option<Box<ShipmentAgg>>,
    /// The rows the edge came from, sorted.
    pub evidence: Vec<Evidence>,
}

impl Edge {
    /// The shipment line items behind a shipment-role edge, in id order.
    pub fn shipment_ids(&self) -> impl Iterator<Item = ShipmentId> + '_ {
        self.evidence.iter().filter_map(|e| match e.item {
            Item::Shipment(s) => Some(s),
            _ => None,
        })
    }
}

/// Validated settings of a graph build. `Default` gives the documented defaults.
#[derive(Debug, Clone, Serialize)]
pub struct GraphConfig {
    /// A normalised address, phone or e-mail shared by more than this many entities becomes one
    /// hub node flagged as mass registration instead of pair edges. Default 5: up to five
    /// entities at one unit-level address, phone or mailbox is how a small group under common
    /// control looks (a front network, a family office) and costs at most 10 pair edges; six or
    /// more unrelated companies at one unit is the signature of a registered agent or virtual
    /// office (sample-data's 160 Robinson Road has six), and a clique would cost n(n−1)/2 edges
    /// (12.5 million for 5,000 companies).
    pub max_shared: usize,
    /// Addresses with fewer normalised words than this are too vague to share ("Singapore",
    /// "PO Box 12"). Default 3.
    pub min_address_words: usize,
    /// Shipment party names that are placeholders, not parties ("SAME AS CONSIGNEE", "TO
    /// ORDER"): compared folded; such a mention is read as the consignee itself, so it adds no
    /// edge.
    pub placeholders: Vec<String>,
    /// Add [`EdgeKind::PossibleMatch`] edges from `possible_matches`. Default true.
    pub possible_matches: bool,
}

impl Default for GraphConfig {
    fn default() -> Self {
        GraphConfig {
            max_shared: 5,
            min_address_words: 3,
            placeholders: [
                "same as consignee",
                "same as above",
                "same as buyer",
                "as consignee",
                "to order",
                "to the order of",
                "to order of shipper",
                "n a",
                "na",
                "none",
                "nil",
                "unknown",
            ]
            .map(String::from)
            .to_vec(),
            possible_matches: true,
        }
    }
}

impl GraphConfig {
    /// Checks ranges.
    ///
    /// # Errors
    /// [`crate::Error::Config`] naming the option.
    pub fn validate(&self) -> crate::Result<()> {
        if self.max_shared < 2 {
            return Err(crate::Error::Config {
                key: "max-shared".into(),
                reason: "must be at least 2 (a value shared by two entities is a link)".into(),
            });
        }
        Ok(())
    }
}

/// The entity graph: a petgraph [`DiGraph`] plus the `EntityId ↔ NodeIndex` map and the
/// source paths evidence refers to.
///
/// Entities are nodes `0..entity_count()` in id order, so the map from an [`EntityId`] to its
/// [`NodeIndex`] is a binary search; hubs and lists follow, sorted.
#[derive(Debug, Clone)]
pub struct EntityGraph {
    /// The graph. Never remove nodes from it (indices would move).
    pub graph: DiGraph<Node, Edge>,
    /// Entity ids in node order (node i is `ids[i]`).
    ids: Vec<EntityId>,
    /// Source id → path, for evidence.
    sources: BTreeMap<SourceId, String>,
    /// Seconds per phase of the build (for benchmarks and `--verbose` summaries).
    timings: Vec<(&'static str, f64)>,
}

impl EntityGraph {
    /// The node of an entity.
    pub fn node(&self, id: EntityId) -> Option<NodeIndex> {
        self.ids.binary_search(&id).ok().map(NodeIndex::new)
    }

    /// The entity id of a node (None for hubs and lists).
    pub fn entity_id(&self, n: NodeIndex) -> Option<EntityId> {
        self.ids.get(n.index()).copied()
    }

    /// The entity of an id.
    pub fn entity(&self, id: EntityId) -> Option<&EntityNode> {
        self.node(id).and_then(|n| self.graph[n].entity())
    }

    /// Wall-clock seconds per phase of the build that made this graph, in order.
    pub fn build_timings(&self) -> &[(&'static str, f64)] {
        &self.timings
    }

    /// Number of entity nodes.
    pub fn entity_count(&self) -> usize {
        self.ids.len()
    }

    /// Entity ids in ascending order.
    pub fn entity_ids(&self) -> &[EntityId] {
        &self.ids
    }

    /// The path of a source file (as ingested).
    pub fn source_path(&self, id: SourceId) -> &str {
        self.sources.get(&id).map_or("?", String::as_str)
    }

    /// Evidence as `path:line` strings.
    pub fn cite(&self, e: &Evidence) -> String {
        format!("{}:{}", self.source_path(e.source), e.line)
    }

    /// Whether an entity is on a screening list: it has a screening-list record, or a
    /// FollowTheMoney record with programs or a list source (a Sanction).
    pub fn is_listed(&self, id: EntityId) -> bool {
        self.entity(id).is_some_and(|e| e.listed)
    }

    /// The lists an entity is on, with the evidence.
    pub fn listings(&self, id: EntityId) -> Vec<(&str, &Edge)> {
        let Some(n) = self.node(id) else {
            return Vec::new();
        };
        let mut out: Vec<(&str, &Edge)> = self
            .graph
            .edges(n)
            .filter(|e| e.weight().kind == EdgeKind::ListedOn)
            .filter_map(
                |e| match &self.graph[petgraph::visit::EdgeRef::target(&e)] {
                    Node::List(l) => Some((&*l.name, e.weight())),
                    _ => None,
                },
            )
            .collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The mass-registration hubs, in node order (sorted by attribute, then value).
    pub fn mass_registration_hubs(&self) -> Vec<(NodeIndex, &Hub)> {
        self.graph
            .node_indices()
            .skip(self.ids.len())
            .filter_map(|n| match &self.graph[n] {
                Node::Hub(h) if h.mass_registration => Some((n, h)),
                _ => None,
            })
            .collect()
    }

    /// The edge between two nodes in the stored direction, of a kind, if any.
    pub fn find_edge(&self, a: NodeIndex, b: NodeIndex, kind: EdgeKind) -> Option<EdgeIndex> {
        self.graph
            .edges_connecting(a, b)
            .find(|e| e.weight().kind == kind)
            .map(|e| petgraph::visit::EdgeRef::id(&e))
    }

    /// A stable string id of a node for exports: `e<entity id>`, `hub<n>`, `list<n>` where n is
    /// the node index (hubs and lists are sorted, so it is the same for the same store).
    pub fn node_key(&self, n: NodeIndex) -> String {
        match &self.graph[n] {
            Node::Entity(e) => format!("e{}", e.id),
            Node::Hub(_) => format!("hub{}", n.index()),
            Node::List(_) => format!("list{}", n.index()),
        }
    }

    /// Counts for summaries: entities, hubs, lists, edges per kind.
    pub fn stats(&self) -> GraphStats {
        let mut by_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
        for e in self.graph.edge_weights() {
            *by_kind.entry(e.kind.as_str()).or_default() += 1;
        }
        let hubs = self
            .graph
            .node_weights()
            .filter(|n| matches!(n, Node::Hub(_)))
            .count();
        GraphStats {
            entities: self.ids.len(),
            hubs,
            lists: self.graph.node_count() - self.ids.len() - hubs,
            edges: self.graph.edge_count(),
            by_kind,
        }
    }
}

/// Node and edge counts of a graph.
#[derive(Debug, Clone, Serialize)]
pub struct GraphStats {
    pub entities: usize,
    pub hubs: usize,
    pub lists: usize,
    pub edges: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
}

#[cfg(test)]
pub(crate) mod tests {
    //! Small graphs built by hand for the unit tests of the query and ownership files.
    use super::*;

    /// Builds an [`EntityGraph`] edge by edge, entities given by id.
    pub struct GraphBuilder {
        g: EntityGraph,
        line: i64,
    }

    impl GraphBuilder {
        pub fn new(ids: &[i64]) -> GraphBuilder {
            let mut graph = DiGraph::new();
            let mut sorted = ids.to_vec();
            sorted.sort_unstable();
            for &id in &sorted {
                graph.add_node(Node::Entity(EntityNode {
                    id: EntityId(id),
                    kind: PartyKind::Company,
                    name: format!("E{id}").into(),
                    country: None,
                    listed: false,
                }));
            }
            GraphBuilder {
                g: EntityGraph {
                    graph,
                    ids: sorted.into_iter().map(EntityId).collect(),
                    sources: BTreeMap::from([(SourceId(1), "test.csv".to_string())]),
                    timings: Vec::new(),
                },
                line: 1,
            }
        }

        pub fn edge(&mut self, kind: EdgeKind, a: i64, b: i64, share: Option<f64>) -> &mut Self {
            self.line += 1;
            let (na, nb) = (
                self.g.node(EntityId(a)).unwrap(),
                self.g.node(EntityId(b)).unwrap(),
            );
            self.g.graph.add_edge(
                na,
                nb,
                Edge {
                    kind,
                    share,
                    weight: None,
                    detail: None,
                    shipments: None,
                    evidence: vec![Evidence {
                        source: SourceId(1),
                        line: self.line,
                        item: Item::Relationship(RelationshipId(self.line)),
                    }],
                },
            );
            self
        }

        pub fn owns(&mut self, a: i64, b: i64, share: f64) -> &mut Self {
            self.edge(EdgeKind::Owns, a, b, Some(share))
        }

        pub fn listed(&mut self, a: i64) -> &mut Self {
            let n = self.g.node(EntityId(a)).unwrap();
            if let Node::Entity(e) = &mut self.g.graph[n] {
                e.listed = true;
            }
            self
        }

        pub fn finish(&mut self) -> EntityGraph {
            self.g.clone()
        }
    }

    /// 1 owns 60 % of 2, 2 owns 4, 1 – 3 family, 3 ships to 4; 5 and 9 isolated.
    pub fn tiny() -> EntityGraph {
        let mut b = GraphBuilder::new(&[1, 2, 3, 4, 5, 9]);
        b.owns(1, 2, 60.0)
            .owns(2, 4, 100.0)
            .edge(EdgeKind::Family, 1, 3, None)
            .edge(EdgeKind::ShipsTo, 3, 4, None);
        b.finish()
    }

    #[test]
    fn kind_sets_parse_names_and_groups() {
        let k = KindSet::parse("owns,director,shared").unwrap();
        assert!(k.contains(EdgeKind::Owns) && k.contains(EdgeKind::Directs));
        assert!(k.contains(EdgeKind::SharesEmail) && !k.contains(EdgeKind::ShipsTo));
        assert!(KindSet::parse("bogus").is_err());
        assert!(!KindSet::all().contains(EdgeKind::PossibleMatch));
        for k in EdgeKind::ALL {
            assert_eq!(EdgeKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn entity_node_map_round_trips() {
        let g = tiny();
        for &id in g.entity_ids() {
            assert_eq!(g.entity_id(g.node(id).unwrap()), Some(id));
        }
        assert_eq!(g.node(EntityId(7)), None);
    }
}
