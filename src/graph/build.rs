//! Building the [`EntityGraph`] from the store.
//!
//! One streaming pass per table: `entities` (nodes, in id order), `entity_records` (record →
//! node, a dense vector indexed by record id), `records` (shared addresses, phones, e-mails;
//! screening-list matches; placeholder mentions), `relationships`, `shipments` and
//! `possible_matches`. Every pass emits raw edges — one per row and role, each with its one
//! piece of [`Evidence`] — into a vector that is sorted by (kind, from, to, evidence) and folded
//! into one [`Edge`] per (kind, from, to). The sort makes the graph the same for the same
//! store, whatever the thread count; normalisation of the records runs in parallel with rayon
//! and its results are collected in input order.
//!
//! # Complexity
//! O(R + L + S + E log E) time for R records, L relationships, S shipments and E raw edges;
//! memory O(E) during the build (about 80 bytes a raw edge), the graph itself about 100 bytes an
//! edge plus 32 bytes per piece of evidence.

use std::collections::{BTreeMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};
use rayon::prelude::*;
use rusqlite::Connection;

use super::{
    Attr, Edge, EdgeKind, EntityGraph, EntityNode, Evidence, GraphConfig, Hub, Item, ListNode,
    Node, ShipmentAgg,
};
use crate::error::Result;
use crate::model::{EntityId, PartyKind, RecordId, RelationshipId, ShipmentId, SourceId};
use crate::resolve::normalize;

const NONE: u32 = u32::MAX;

/// Wall-clock seconds per phase of a build.
#[derive(Debug)]
struct Clock {
    last: std::time::Instant,
    phases: Vec<(&'static str, f64)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            phases: Vec::new(),
        }
    }

    fn mark(&mut self, phase: &'static str) {
        let now = std::time::Instant::now();
        self.phases.push((phase, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}

/// One row's contribution to an edge, before aggregation.
#[derive(Debug, Clone)]
struct RawEdge {
    kind: EdgeKind,
    from: u32,
    to: u32,
    ev: Evidence,
    /// share (owns, beneficial_owner_of) or probability (possible_match); NaN when none.
    num: f64,
    quantity: f64,
    value: f64,
    /// yyyymmdd of a shipment, 0 otherwise.
    date: u32,
    /// Index into the shared values, NONE otherwise.
    detail: u32,
}

impl RawEdge {
    fn new(kind: EdgeKind, from: u32, to: u32, ev: Evidence) -> RawEdge {
        RawEdge {
            kind,
            from,
            to,
            ev,
            num: f64::NAN,
            quantity: 0.0,
            value: 0.0,
            date: 0,
            detail: NONE,
        }
    }
}

/// A record's fields the build needs, read in one pass.
struct RecordRow {
    node: u32,
    ev: Evidence,
    address: Option<String>,
    country: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// The words that name a place rather than a street: every record's city words and
/// postcodes. Shipment documents write "… Jalan Ampang 50450 Kuala Lumpur Malaysia" in one
/// field where a registry splits address, postcode, city and country; trailing locality words
/// are dropped from an address before comparing, so both spellings give the same key. (A
/// street whose last word is also some record's city loses that word too; the street number
/// and the rest of the address still tell addresses apart.)
#[derive(Debug, Default)]
pub struct Locality {
    words: HashSet<String>,
    postcodes: HashSet<String>,
    /// Cities already tokenised (most records repeat a few cities).
    cities: HashSet<String>,
}

impl Locality {
    /// Learns the city and postcode of one record.
    pub fn add(&mut self, city: Option<&str>, postcode: Option<&str>) {
        if let Some(c) = city {
            if !self.cities.contains(c) {
                self.words.extend(normalize::address_tokens(c));
                self.cities.insert(c.to_string());
            }
        }
        if let Some(p) = postcode {
            self.postcodes.insert(normalize::fold(p).replace(' ', ""));
        }
    }

    /// Drops trailing city words, postcodes and country names.
    fn strip(&self, toks: &mut Vec<String>) {
        let country =
            |t: &str| t.len() >= 4 && crate::ingest::country::normalize_country(t).is_some();
        while let Some(last) = toks.last() {
            if self.words.contains(last) || self.postcodes.contains(last) || country(last) {
                toks.pop();
            } else if toks.len() >= 2 && country(&toks[toks.len() - 2..].join(" ")) {
                toks.truncate(toks.len() - 2);
            } else {
                break;
            }
        }
    }
}

/// Builds the entity graph from a resolved store.
///
/// # Errors
/// [`crate::Error::Config`] if `cfg` is invalid; [`crate::Error::Db`] if the store cannot be
/// read (for instance `trawl resolve` has not run: the graph of an unresolved store is empty).
///
/// # Complexity
/// See the module documentation: linear in the rows plus a sort of the raw edges.
pub fn build(conn: &Connection, cfg: &GraphConfig) -> Result<EntityGraph> {
    cfg.validate()?;
    let mut clock = Clock::start();
    let sources = read_sources(conn)?;
    let mut nodes = read_entities(conn)?;
    let ids: Vec<EntityId> = nodes.iter().map(|n| n.id).collect();
    let record_node = read_entity_records(conn, &ids)?;
    let n_entities = ids.len() as u32;
    clock.mark("entities");

    // Relationships and shipments are read, sorted and aggregated on read-only connections of
    // their own while this thread reads the records, when the store is a file; an in-memory
    // store has only this connection and is read in turn.
    let placeholders: HashSet<String> = cfg
        .placeholders
        .iter()
        .map(|p| normalize::fold(p))
        .collect();
    let file = conn
        .path()
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from);
    let (rels, ships, rec, records_secs) = std::thread::scope(|s| -> Result<_> {
        let (record_node, placeholders) = (&record_node, &placeholders);
        match &file {
            Some(path) => {
                let rels = s.spawn(move || -> Result<Vec<Staged>> {
                    let c = open_reader(path)?;
                    Ok(stage(read_relationships(&c, record_node)?, &[]))
                });
                let ships = s.spawn(move || -> Result<Vec<Staged>> {
                    let c = open_reader(path)?;
                    Ok(stage(read_shipments(&c, record_node, placeholders)?, &[]))
                });
                let t = std::time::Instant::now();
                let rec = read_records(conn, record_node)?;
                let records_secs = t.elapsed().as_secs_f64();
                let join = |h: std::thread::ScopedJoinHandle<'_, Result<Vec<Staged>>>| {
                    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
                };
                let rels = join(rels)?;
                let ships = join(ships)?;
                Ok((rels, ships, rec, records_secs))
            }
            None => {
                let t = std::time::Instant::now();
                let rec = read_records(conn, record_node)?;
                let records_secs = t.elapsed().as_secs_f64();
                let rels = stage(read_relationships(conn, record_node)?, &[]);
                let ships = stage(read_shipments(conn, record_node, placeholders)?, &[]);
                Ok((rels, ships, rec, records_secs))
            }
        }
    })?;
    clock.phases.push(("(records pass alone)", records_secs));
    clock.mark("records, relationships, shipments");

    // Shared attributes: normalise in parallel (collected in record order), then group by value.
    let RecordsPass {
        rows,
        locality,
        listings,
        record_ev,
    } = rec;
    let min_words = cfg.min_address_words;
    let (values, attrs) = shared_values(&rows, &locality, min_words, &mut clock);
    drop(rows);
    clock.mark("normalise attributes");
    let mut raw: Vec<RawEdge> = Vec::new();
    let mut details: Vec<String> = Vec::new();
    // Groups of one value: (start, end) in `attrs`; hubs are laid out sorted by (attr, value).
    let mut hub_groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < attrs.len() {
        let mut j = i + 1;
        while j < attrs.len() && attrs[j].0 == attrs[i].0 {
            j += 1;
        }
        let group = &attrs[i..j];
        let mut members: Vec<u32> = group.iter().map(|g| g.1).collect();
        members.dedup();
        let (attr, value) = &values[group[0].0 as usize];
        let kind = attr.edge_kind();
        if members.len() > cfg.max_shared {
            hub_groups.push((i, j));
        } else if members.len() >= 2 {
            let detail = details.len() as u32;
            details.push(value.clone());
            for (x, &a) in members.iter().enumerate() {
                for &b in &members[x + 1..] {
                    for g in group.iter().filter(|g| g.1 == a || g.1 == b) {
                        let mut e = RawEdge::new(kind, a, b, g.2);
                        e.detail = detail;
                        raw.push(e);
                    }
                }
            }
        }
        i = j;
    }
    hub_groups.sort_by(|a, b| values[attrs[a.0].0 as usize].cmp(&values[attrs[b.0].0 as usize]));
    let mut hubs: Vec<Hub> = Vec::with_capacity(hub_groups.len());
    for (i, j) in hub_groups {
        let group = &attrs[i..j];
        let (attr, value) = &values[group[0].0 as usize];
        let hub = n_entities + hubs.len() as u32;
        let mut members: Vec<u32> = group.iter().map(|g| g.1).collect();
        members.dedup();
        hubs.push(Hub {
            attr: *attr,
            value: value.as_str().into(),
            entities: members.len(),
            mass_registration: true,
        });
        for g in group {
            raw.push(RawEdge::new(attr.edge_kind(), g.1, hub, g.2));
        }
    }
    drop(attrs);
    let shared = stage(raw, &details);
    clock.mark("shared attributes");

    // Listings: one node per list, after the hubs.
    let list_base = n_entities + hubs.len() as u32;
    let mut lists = Vec::with_capacity(listings.len());
    let mut raw = Vec::new();
    for (k, (name, members)) in listings.into_iter().enumerate() {
        lists.push(ListNode { name: name.into() });
        for (node, ev) in members {
            nodes[node as usize].listed = true;
            raw.push(RawEdge::new(
                EdgeKind::ListedOn,
                node,
                list_base + k as u32,
                ev,
            ));
        }
    }
    let listed = stage(raw, &[]);
    let possible = if cfg.possible_matches {
        stage(read_possible_matches(conn, &record_node, &record_ev)?, &[])
    } else {
        Vec::new()
    };
    clock.mark("listings, possible matches");

    // The graph: nodes, then the staged edges group by group in kind order (relationship kinds,
    // shared attributes, shipment roles, listings, possible matches), so edges end up sorted by
    // (kind, from, to) and the graph is the same on every run.
    let n_nodes = nodes.len() + hubs.len() + lists.len();
    let n_edges = rels.len() + shared.len() + ships.len() + listed.len() + possible.len();
    let mut graph: DiGraph<Node, Edge> = DiGraph::with_capacity(n_nodes, n_edges);
    for n in nodes {
        graph.add_node(Node::Entity(n));
    }
    for h in hubs {
        graph.add_node(Node::Hub(h));
    }
    for l in lists {
        graph.add_node(Node::List(l));
    }
    for group in [rels, shared, ships, listed, possible] {
        for (from, to, edge) in group {
            graph.add_edge(
                NodeIndex::new(from as usize),
                NodeIndex::new(to as usize),
                edge,
            );
        }
    }
    clock.mark("graph");
    Ok(EntityGraph {
        graph,
        ids,
        sources,
        timings: clock.phases,
    })
}

/// An aggregated edge waiting for the graph: (from node, to node, edge).
type Staged = (u32, u32, Edge);

/// Sorts raw edges by (kind, from, to, evidence) and folds each run into one edge.
fn stage(mut raw: Vec<RawEdge>, details: &[String]) -> Vec<Staged> {
    raw.par_sort_unstable_by(|a, b| {
        (a.kind, a.from, a.to, a.ev).cmp(&(b.kind, b.from, b.to, b.ev))
    });
    let mut runs = 0;
    for (k, r) in raw.iter().enumerate() {
        if k == 0 || (r.kind, r.from, r.to) != (raw[k - 1].kind, raw[k - 1].from, raw[k - 1].to) {
            runs += 1;
        }
    }
    let mut out = Vec::with_capacity(runs);
    let mut i = 0;
    while i < raw.len() {
        let (kind, from, to) = (raw[i].kind, raw[i].from, raw[i].to);
        let mut j = i + 1;
        while j < raw.len() && raw[j].kind == kind && raw[j].from == from && raw[j].to == to {
            j += 1;
        }
        out.push((from, to, aggregate(&raw[i..j], details)));
        i = j;
    }
    out
}

/// A read-only connection of its own to a store file, for a reading thread.
fn open_reader(path: &std::path::Path) -> Result<Connection> {
    use rusqlite::OpenFlags;
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(std::time::Duration::from_secs(30))?;
    Ok(c)
}

/// What the records pass collects.
struct RecordsPass {
    /// The records with an entity, for the shared attributes.
    rows: Vec<RecordRow>,
    locality: Locality,
    /// List name → (node, evidence) of the records on it.
    listings: BTreeMap<String, Vec<(u32, Evidence)>>,
    /// Record id → (source, line), for possible-match evidence.
    record_ev: Vec<(SourceId, i64)>,
}

/// Reads every record: its shared-attribute fields, its listings, the places it names.
fn read_records(conn: &Connection, record_node: &[u32]) -> Result<RecordsPass> {
    let mut record_ev: Vec<(SourceId, i64)> = vec![(SourceId(0), 0); record_node.len()];
    let mut listings: BTreeMap<String, Vec<(u32, Evidence)>> = BTreeMap::new();
    let mut rows = Vec::new();
    let mut locality = Locality::default();
    let mut stmt = conn.prepare(
        "SELECT id, source_id, line, origin, address, country, phone, email,
                list_source, programs, city, postcode
         FROM records ORDER BY id",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let id: i64 = r.get(0)?;
        let node = node_of(record_node, id);
        let ev = Evidence {
            source: SourceId(r.get(1)?),
            line: r.get(2)?,
            item: Item::Record(RecordId(id)),
        };
        if let Some(slot) = usize::try_from(id).ok().and_then(|i| record_ev.get_mut(i)) {
            *slot = (ev.source, ev.line);
        }
        locality.add(r.get_ref(10)?.as_str().ok(), r.get_ref(11)?.as_str().ok());
        if node == NONE {
            continue;
        }
        let origin = r.get_ref(3)?.as_str().unwrap_or("");
        let list_source: Option<String> = r.get(8)?;
        let programs: Option<String> = r.get(9)?;
        let listed = match origin {
            "screening" => true,
            "ftm" => list_source.is_some() || programs.is_some(),
            _ => false,
        };
        if listed {
            let list = list_source
                .or(programs)
                .unwrap_or_else(|| "screening list".into());
            listings
                .entry(list.trim().to_string())
                .or_default()
                .push((node, ev));
        }
        let (address, phone, email): (Option<String>, Option<String>, Option<String>) =
            (r.get(4)?, r.get(6)?, r.get(7)?);
        if address.is_some() || phone.is_some() || email.is_some() {
            rows.push(RecordRow {
                node,
                ev,
                address,
                country: r.get(5)?,
                phone,
                email,
            });
        }
    }
    Ok(RecordsPass {
        rows,
        locality,
        listings,
        record_ev,
    })
}

/// Folds the raw edges of one (kind, from, to) into an edge.
fn aggregate(run: &[RawEdge], details: &[String]) -> Edge {
    let kind = run[0].kind;
    let mut evidence: Vec<Evidence> = run.iter().map(|r| r.ev).collect();
    evidence.dedup();
    let best = run
        .iter()
        .map(|r| r.num)
        .filter(|x| !x.is_nan())
        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
    let (share, weight) = if kind == EdgeKind::PossibleMatch {
        (None, best)
    } else {
        (best, None)
    };
    let detail = {
        let mut d: Vec<u32> = run
            .iter()
            .map(|r| r.detail)
            .filter(|d| *d != NONE)
            .collect();
        d.sort_unstable();
        d.dedup();
        let mut v: Vec<&str> = d.iter().map(|&i| details[i as usize].as_str()).collect();
        v.sort_unstable();
        (!v.is_empty()).then(|| v.join("; ").into_boxed_str())
    };
    let shipments = kind.is_shipment().then(|| {
        let mut agg = ShipmentAgg::default();
        let (mut first, mut last) = (u32::MAX, 0);
        let mut seen = None;
        for r in run {
            // One shipment counts once even if two records of the entity are named on it.
            if seen == Some(r.ev.item) {
                continue;
            }
            seen = Some(r.ev.item);
            agg.count += 1;
            agg.quantity += r.quantity;
            agg.value_usd += r.value;
            if r.date != 0 {
                first = first.min(r.date);
                last = last.max(r.date);
            }
        }
        agg.first_date = date_string(if first == u32::MAX { 0 } else { first }).into();
        agg.last_date = date_string(last).into();
        Box::new(agg)
    });
    Edge {
        kind,
        share,
        weight,
        detail,
        shipments,
        evidence,
    }
}

fn node_of(record_node: &[u32], record: i64) -> u32 {
    usize::try_from(record)
        .ok()
        .and_then(|i| record_node.get(i).copied())
        .unwrap_or(NONE)
}

/// The shared-attribute values of the records: `values` holds each distinct normalised
/// (attribute, value); `attrs` one (value index, node, evidence) per mention, sorted and
/// deduplicated. Each distinct raw spelling is normalised once (in parallel): a party's address
/// repeats on every shipment that names it.
#[allow(clippy::type_complexity)]
fn shared_values(
    rows: &[RecordRow],
    locality: &Locality,
    min_words: usize,
    clock: &mut Clock,
) -> (Vec<(Attr, String)>, Vec<(u32, u32, Evidence)>) {
    use std::collections::HashMap;
    use xxhash_rust::xxh3::Xxh3DefaultBuilder as Fast;
    fn parts(s: &Option<String>) -> impl Iterator<Item = &str> {
        s.as_deref()
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty())
    }
    // Addresses (the costly normalisation): distinct (spelling, country), in order of first
    // mention. Phones and e-mails are cheap to normalise and are done per mention.
    let mut input_id: HashMap<(&str, &str), u32, Fast> =
        HashMap::with_capacity_and_hasher(rows.len(), Fast::new());
    let mut inputs: Vec<(&str, &str)> = Vec::new();
    let mut addresses: Vec<(u32, u32, Evidence)> = Vec::with_capacity(rows.len());
    for r in rows {
        let cc = r.country.as_deref().unwrap_or("");
        for part in parts(&r.address) {
            let id = *input_id.entry((part, cc)).or_insert_with(|| {
                inputs.push((part, cc));
                inputs.len() as u32 - 1
            });
            addresses.push((id, r.node, r.ev));
        }
    }
    drop(input_id);
    clock.mark("attributes: distinct spellings");
    let keys: Vec<Option<String>> = inputs
        .par_iter()
        .map(|&(raw, cc)| address_key(raw, (!cc.is_empty()).then_some(cc), locality, min_words))
        .collect();
    let contacts: Vec<(Attr, String, u32, Evidence)> = rows
        .par_iter()
        .flat_map_iter(|r| {
            let phones = parts(&r.phone)
                .filter_map(normalize::phone)
                .map(|v| (Attr::Phone, v));
            let emails = parts(&r.email)
                .filter_map(normalize::email)
                .map(|v| (Attr::Email, v));
            phones
                .chain(emails)
                .map(|(a, v)| (a, v, r.node, r.ev))
                .collect::<Vec<_>>()
        })
        .collect();
    clock.mark("attributes: normalise");
    // Intern the normalised values: two spellings of one address share a value.
    let mut value_id: HashMap<(Attr, &str), u32, Fast> =
        HashMap::with_capacity_and_hasher(keys.len() + contacts.len(), Fast::new());
    let mut values: Vec<(Attr, String)> = Vec::new();
    fn intern<'a>(
        ids: &mut HashMap<(Attr, &'a str), u32, Fast>,
        values: &mut Vec<(Attr, String)>,
        attr: Attr,
        v: &'a str,
    ) -> u32 {
        *ids.entry((attr, v)).or_insert_with(|| {
            values.push((attr, v.to_string()));
            values.len() as u32 - 1
        })
    }
    let key_value: Vec<u32> = keys
        .iter()
        .map(|k| {
            k.as_deref().map_or(NONE, |v| {
                intern(&mut value_id, &mut values, Attr::Address, v)
            })
        })
        .collect();
    let mut attrs: Vec<(u32, u32, Evidence)> = addresses
        .into_iter()
        .filter_map(|(input, node, ev)| {
            let v = key_value[input as usize];
            (v != NONE).then_some((v, node, ev))
        })
        .collect();
    for (attr, v, node, ev) in &contacts {
        attrs.push((intern(&mut value_id, &mut values, *attr, v), *node, *ev));
    }
    clock.mark("attributes: intern values");
    attrs.par_sort_unstable();
    attrs.dedup();
    (values, attrs)
}

/// The comparable form of an address: the resolve module's address tokens (street and unit
/// words abbreviated one way, "No." dropped, "#05-12" split), trailing city words, postcodes
/// and country names dropped ([`Locality`]), joined by spaces, then `|` and the country. `None`
/// if fewer than `min_words` words remain.
///
/// ```
/// use trawl::graph::build::{Locality, address_key};
/// let mut places = Locality::default();
/// places.add(Some("Kuala Lumpur"), Some("50450"));
/// let key = address_key("Level 15, Menara Sinar, 88 Jalan Ampang", Some("MY"), &places, 3);
/// assert_eq!(key.as_deref(), Some("fl 15 menara sinar 88 jln ampang|MY"));
/// assert_eq!(key, address_key("Lvl 15 Menara Sinar, No. 88, Jln Ampang", Some("MY"), &places, 3));
/// assert_eq!(key, address_key("Level 15 Menara Sinar 88 Jalan Ampang 50450 Kuala Lumpur Malaysia",
///                             Some("MY"), &places, 3));
/// assert_eq!(address_key("Singapore", Some("SG"), &places, 3), None);
/// ```
pub fn address_key(
    address: &str,
    country: Option<&str>,
    locality: &Locality,
    min_words: usize,
) -> Option<String> {
    let mut toks = normalize::address_tokens(address);
    locality.strip(&mut toks);
    if toks.len() < min_words {
        return None;
    }
    let mut key = toks.join(" ");
    key.push('|');
    key.push_str(country.unwrap_or(""));
    Some(key)
}

fn read_sources(conn: &Connection) -> Result<BTreeMap<SourceId, String>> {
    let mut stmt = conn.prepare("SELECT id, path FROM sources ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((SourceId(r.get(0)?), r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn read_entities(conn: &Connection) -> Result<Vec<EntityNode>> {
    let n: i64 = conn.query_row("SELECT count(*) FROM entities", [], |r| r.get(0))?;
    let mut out = Vec::with_capacity(n as usize);
    let mut stmt = conn.prepare("SELECT id, kind, name, country FROM entities ORDER BY id")?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let kind = r.get_ref(1)?.as_str().unwrap_or("");
        out.push(EntityNode {
            id: EntityId(r.get(0)?),
            kind: PartyKind::parse(kind).unwrap_or(PartyKind::Unknown),
            name: r.get_ref(2)?.as_str().unwrap_or("").into(),
            country: r.get::<_, Option<String>>(3)?.map(String::into_boxed_str),
            listed: false,
        });
    }
    Ok(out)
}

/// Record id → node index (NONE when the record has no entity), dense over record ids.
fn read_entity_records(conn: &Connection, ids: &[EntityId]) -> Result<Vec<u32>> {
    let max: Option<i64> = conn.query_row("SELECT max(id) FROM records", [], |r| r.get(0))?;
    let len = usize::try_from(max.unwrap_or(0).max(0)).unwrap_or(0) + 1;
    let mut map = vec![NONE; len];
    let mut stmt = conn.prepare("SELECT record_id, entity_id FROM entity_records")?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let (rec, ent): (i64, i64) = (r.get(0)?, r.get(1)?);
        if let (Ok(i), Ok(n)) = (usize::try_from(rec), ids.binary_search(&EntityId(ent))) {
            if let Some(slot) = map.get_mut(i) {
                *slot = n as u32;
            }
        }
    }
    Ok(map)
}

fn read_relationships(conn: &Connection, record_node: &[u32]) -> Result<Vec<RawEdge>> {
    let n: i64 = conn.query_row("SELECT count(*) FROM relationships", [], |r| r.get(0))?;
    let mut raw = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    let mut stmt = conn.prepare(
        "SELECT id, source_id, line, from_record, to_record, kind, share FROM relationships",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let (mut a, mut b) = (
            node_of(record_node, r.get(3)?),
            node_of(record_node, r.get(4)?),
        );
        if a == NONE || b == NONE || a == b {
            continue;
        }
        let kind = match r.get_ref(5)?.as_str().unwrap_or("") {
            "owner" => EdgeKind::Owns,
            "director" => EdgeKind::Directs,
            "officer" => EdgeKind::OfficerOf,
            "beneficial_owner" => EdgeKind::BeneficialOwnerOf,
            "family" => EdgeKind::Family,
            "associate" => EdgeKind::Associate,
            _ => continue,
        };
        if kind.is_symmetric() && a > b {
            std::mem::swap(&mut a, &mut b);
        }
        let ev = Evidence {
            source: SourceId(r.get(1)?),
            line: r.get(2)?,
            item: Item::Relationship(RelationshipId(r.get(0)?)),
        };
        let mut e = RawEdge::new(kind, a, b, ev);
        if let Some(share) = r.get::<_, Option<f64>>(6)? {
            e.num = share;
        }
        raw.push(e);
    }
    Ok(raw)
}

/// The shipment-role edges, one per shipment and role. Parties named by a placeholder ("SAME AS
/// CONSIGNEE") are skipped: found here with their own scan of the shipment mentions, so this can
/// run beside the records pass.
fn read_shipments(
    conn: &Connection,
    record_node: &[u32],
    placeholders: &HashSet<String>,
) -> Result<Vec<RawEdge>> {
    let mut placeholder = vec![false; record_node.len()];
    {
        let mut stmt = conn.prepare("SELECT id, name FROM records WHERE origin = 'shipment'")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            let name = r.get_ref(1)?.as_str().unwrap_or("");
            if placeholders.contains(&normalize::fold(name)) {
                if let Some(slot) = usize::try_from(id)
                    .ok()
                    .and_then(|i| placeholder.get_mut(i))
                {
                    *slot = true;
                }
            }
        }
    }
    let n: i64 = conn.query_row("SELECT count(*) FROM shipments", [], |r| r.get(0))?;
    let mut raw = Vec::with_capacity(usize::try_from(n).unwrap_or(0) * 4);
    let mut stmt = conn.prepare(
        "SELECT id, source_id, line, date, consignee_record, shipper_record, notify_record,
                forwarder_record, payer_record, end_user_record, quantity, value_usd
         FROM shipments",
    )?;
    const ROLES: [EdgeKind; 5] = [
        EdgeKind::ShipsTo,
        EdgeKind::NotifyFor,
        EdgeKind::ForwardsFor,
        EdgeKind::PaysFor,
        EdgeKind::EndUserOf,
    ];
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let consignee = node_of(record_node, r.get(4)?);
        if consignee == NONE {
            continue;
        }
        let ev = Evidence {
            source: SourceId(r.get(1)?),
            line: r.get(2)?,
            item: Item::Shipment(ShipmentId(r.get(0)?)),
        };
        let date = parse_date(r.get_ref(3)?.as_str().unwrap_or(""));
        let quantity = r.get::<_, Option<f64>>(10)?.unwrap_or(0.0);
        let value = r.get::<_, Option<f64>>(11)?.unwrap_or(0.0);
        for (k, kind) in ROLES.into_iter().enumerate() {
            let Some(rec) = r.get::<_, Option<i64>>(5 + k)? else {
                continue;
            };
            if usize::try_from(rec)
                .ok()
                .and_then(|i| placeholder.get(i))
                .copied()
                .unwrap_or(false)
            {
                continue;
            }
            let from = node_of(record_node, rec);
            if from == NONE || from == consignee {
                continue;
            }
            let mut e = RawEdge::new(kind, from, consignee, ev);
            e.quantity = quantity;
            e.value = value;
            e.date = date;
            raw.push(e);
        }
    }
    Ok(raw)
}

fn read_possible_matches(
    conn: &Connection,
    record_node: &[u32],
    record_ev: &[(SourceId, i64)],
) -> Result<Vec<RawEdge>> {
    let mut raw = Vec::new();
    let mut stmt = conn.prepare("SELECT record_a, record_b, probability FROM possible_matches")?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let (ra, rb): (i64, i64) = (r.get(0)?, r.get(1)?);
        let (mut a, mut b) = (node_of(record_node, ra), node_of(record_node, rb));
        if a == NONE || b == NONE || a == b {
            continue;
        }
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        let p: f64 = r.get(2)?;
        for rec in [ra, rb] {
            let (source, line) = record_ev
                .get(rec as usize)
                .copied()
                .unwrap_or((SourceId(0), 0));
            let mut e = RawEdge::new(
                EdgeKind::PossibleMatch,
                a,
                b,
                Evidence {
                    source,
                    line,
                    item: Item::Record(RecordId(rec)),
                },
            );
            e.num = p;
            raw.push(e);
        }
    }
    Ok(raw)
}

/// "2024-02-08" → 20240208; 0 when not a date.
fn parse_date(s: &str) -> u32 {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return 0;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    match (digits(0..4), digits(5..7), digits(8..10)) {
        (Some(y), Some(m), Some(d)) => y * 10_000 + m * 100 + d,
        _ => 0,
    }
}

fn date_string(d: u32) -> String {
    if d == 0 {
        return String::new();
    }
    format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{KindSet, Walk};
    use rusqlite::params;

    /// A small resolved world written straight into a store: 8 companies at one address (a
    /// hub), a shared phone and e-mail, an ownership cycle, shipments with a placeholder notify
    /// party.
    fn world(conn: &Connection) {
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO sources VALUES (1, 'w.csv', 'x', 'parties', 't', 0, 0, 0);",
        )
        .unwrap();
        let mut rec = conn
            .prepare(
                "INSERT INTO records (id, source_id, line, origin, kind, name, address, country,
                                      phone, email)
                 VALUES (?1, 1, ?1 + 1, ?2, 'company', ?3, ?4, 'SG', ?5, ?6)",
            )
            .unwrap();
        for id in 1..=13i64 {
            let address = (id <= 8).then_some(if id % 2 == 0 {
                "160 Robinson Road #14-04, SBF Center"
            } else {
                "160 Robinson Rd, #14-04 SBF Centre"
            });
            let phone = matches!(id, 9 | 10).then_some("+65 6221 7801");
            let email = matches!(id, 11 | 12).then_some("ops@example.sg");
            let (origin, name) = if id == 13 {
                ("shipment", "SAME AS CONSIGNEE".to_string())
            } else {
                ("party", format!("Company {id}"))
            };
            rec.execute(params![id, origin, name, address, phone, email])
                .unwrap();
            conn.execute(
                "INSERT INTO entities VALUES (?1, 'company', ?2, 'SG', 1, NULL, ?1)",
                params![id, name],
            )
            .unwrap();
            conn.execute("INSERT INTO entity_records VALUES (?1, ?1)", [id])
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO relationships (id, source_id, line, from_record, to_record, kind, share)
             VALUES (1, 1, 20, 1, 2, 'owner', 60), (2, 1, 21, 2, 3, 'owner', 50),
                    (3, 1, 22, 3, 1, 'owner', 10), (4, 1, 23, 4, 5, 'director', NULL);
             INSERT INTO shipments (id, source_id, line, shipment_key, date, shipper_record,
                                    consignee_record, notify_record, payer_record, quantity,
                                    value_usd)
             VALUES (1, 1, 30, 'S1', '2024-02-08', 9, 10, 13, 11, 8, 1000.0),
                    (2, 1, 31, 'S2', '2025-01-02', 9, 10, NULL, NULL, 2, 500.0);",
        )
        .unwrap();
    }

    fn kinds(g: &EntityGraph, kind: EdgeKind) -> usize {
        g.graph.edge_weights().filter(|e| e.kind == kind).count()
    }

    #[test]
    fn builds_hubs_pairs_trade_and_skips_placeholders() {
        let conn = crate::store::open_in_memory().unwrap();
        world(&conn);
        let g = build(&conn, &GraphConfig::default()).unwrap();
        let hubs = g.mass_registration_hubs();
        assert_eq!(hubs.len(), 1);
        assert_eq!(hubs[0].1.entities, 8);
        assert_eq!(
            kinds(&g, EdgeKind::SharesAddress),
            8,
            "one edge per member, no clique"
        );
        assert_eq!(kinds(&g, EdgeKind::SharesPhone), 1);
        assert_eq!(kinds(&g, EdgeKind::SharesEmail), 1);
        assert_eq!(
            kinds(&g, EdgeKind::NotifyFor),
            0,
            "SAME AS CONSIGNEE is not a party"
        );
        let ships: Vec<_> = g
            .graph
            .edge_weights()
            .filter(|e| e.kind == EdgeKind::ShipsTo)
            .collect();
        assert_eq!(ships.len(), 1);
        let agg = ships[0].shipments.as_deref().unwrap();
        assert_eq!((agg.count, agg.quantity, agg.value_usd), (2, 10.0, 1500.0));
        assert_eq!(
            (&*agg.first_date, &*agg.last_date),
            ("2024-02-08", "2025-01-02")
        );
        assert_eq!(ships[0].shipment_ids().count(), 2);
        assert_eq!(kinds(&g, EdgeKind::PaysFor), 1);
        // Every edge cites its rows.
        assert!(g.graph.edge_weights().all(|e| !e.evidence.is_empty()));
        // The hub is a leaf unless asked.
        let shared = KindSet::parse("shared").unwrap();
        let h = g.neighbors(EntityId(1), 2, &Walk::new(shared)).unwrap();
        assert_eq!(h.nodes.len(), 2);
        let through = Walk {
            kinds: shared,
            through_hubs: true,
        };
        assert_eq!(
            g.neighbors(EntityId(1), 2, &through).unwrap().nodes.len(),
            9
        );
        // Below the limit: pair edges instead.
        let cfg = GraphConfig {
            max_shared: 8,
            ..GraphConfig::default()
        };
        let g = build(&conn, &cfg).unwrap();
        assert!(g.mass_registration_hubs().is_empty());
        assert_eq!(kinds(&g, EdgeKind::SharesAddress), 28);
    }

    #[test]
    fn threaded_file_build_equals_sequential_in_memory_build() {
        let dir = tempfile::tempdir().unwrap();
        let file = crate::store::open(&dir.path().join("w.db")).unwrap();
        world(&file);
        let mem = crate::store::open_in_memory().unwrap();
        world(&mem);
        let cfg = GraphConfig::default();
        let (a, b) = (build(&file, &cfg).unwrap(), build(&mem, &cfg).unwrap());
        let dump = |g: &EntityGraph| {
            let mut out = Vec::new();
            crate::graph::export::write(
                g,
                &g.whole(),
                crate::graph::export::Format::Json,
                &mut out,
            )
            .unwrap();
            out
        };
        assert_eq!(dump(&a), dump(&b));
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(parse_date("2024-02-08"), 20240208);
        assert_eq!(date_string(20240208), "2024-02-08");
        assert_eq!(parse_date("08/02/2024"), 0);
        assert_eq!(date_string(0), "");
    }

    #[test]
    fn address_keys_use_resolve_normalisation() {
        let mut l = Locality::default();
        l.add(Some("Singapore"), Some("068914"));
        let key = |a: &str, c: &str| address_key(a, Some(c), &l, 3);
        let a = key("160 Robinson Road #14-04, SBF Center", "SG");
        assert_eq!(a.as_deref(), Some("160 robinson rd 14 04 sbf ctr|SG"));
        assert_eq!(a, key("160 Robinson Rd, #14-04 SBF Centre", "SG"));
        assert_eq!(
            a,
            key("160 ROBINSON RD #14-04 SBF CENTER SINGAPORE 068914", "SG")
        );
        assert_ne!(a, key("160 Robinson Road #14-04, SBF Center", "MY"));
        assert_ne!(a, key("160 Robinson Road #14-05, SBF Center", "SG"));
    }
}
