//! Scoring: find structured sub-threshold orders routed to a common beneficiary.
//!
//! Inputs: the store after `trawl resolve` (records, relationships, shipments, entities,
//! possible matches), a [`Policy`] and a [`Catalog`]. Output: beneficiary groups (lower and
//! upper bound), detector findings, a risk score per entity and per group, and ranked
//! [`alert::Alert`]s with their evidence bundles, written to the tables of
//! `schema/003_score.sql`.
//!
//! The stages, one file each: [`catalog`] converts line items to TPP; [`load`](Data::load) reads
//! the store into compact entity-indexed arrays; [`groups`] forms beneficiary groups;
//! [`patterns`] holds one detector per file; [`alert`] combines findings into scores and alerts
//! and stores them; [`evaluate`] compares alerts with planted networks; [`stream`] scores a new
//! shipment log against the stored result without ingesting it.
//!
//! Deterministic: groups and alerts are sorted by entity id, the parallel twin
//! ([`score_parallel`]) runs the same per-group function with rayon and collects in group order,
//! so its output equals [`score`]'s byte for byte.

pub mod alert;
pub mod catalog;
pub mod evaluate;
pub mod fast;
pub mod groups;
pub mod patterns;
pub mod policy;
pub mod stream;
#[cfg(test)]
mod testutil;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::resolve::normalize;
pub use catalog::{Catalog, LineClass};
use fast::HashMap;
pub use policy::Policy;

/// Dense index of an entity in [`Data::entities`].
pub type Ix = u32;
/// "No party in this role."
pub const NONE: Ix = Ix::MAX;

/// Names that stand for "no separate party" on shipping documents. A role filled with one of
/// these is treated as empty.
pub const PLACEHOLDERS: &[&str] = &[
    "same as consignee",
    "same as above",
    "same",
    "to order",
    "to the order of",
    "to order of shipper",
    "n a",
    "na",
    "none",
    "nil",
    "tbd",
    "unknown",
];

/// Longer names are never placeholders (the longest in [`PLACEHOLDERS`] is 19 bytes).
pub const PLACEHOLDER_MAX_LEN: usize = 32;

/// An entity, as scoring sees it.
#[derive(Debug, Clone, Default)]
pub struct EntityInfo {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub country: Option<[u8; 2]>,
    /// Earliest incorporation date of its records (day number).
    pub incorporated: Option<i32>,
    pub has_website: bool,
    /// It has e-mail addresses and all are free-mail.
    pub free_mail_only: bool,
    /// A screening-list record or a sanctioned FtM record belongs to it: (list, record id).
    pub listed: Option<(String, i64)>,
    /// Its name is a placeholder ("SAME AS CONSIGNEE").
    pub placeholder: bool,
    /// Source keys of its registry / FtM / screening records (for evaluation against truth).
    pub keys: Vec<String>,
    /// The first record: (source id, line).
    pub first: (i64, i64),
}

impl EntityInfo {
    /// A company or organisation (or an unknown shipment party), not a person.
    pub fn is_company(&self) -> bool {
        self.kind != "person"
    }
}

/// A relationship lifted to entities, with provenance.
#[derive(Debug, Clone)]
pub struct Rel {
    pub from: Ix,
    pub to: Ix,
    pub kind: String,
    pub share: Option<f64>,
    pub source: i64,
    pub line: i64,
}

/// A shipment line item, resolved and converted.
#[derive(Debug, Clone)]
pub struct Line {
    pub id: i64,
    pub source: i64,
    pub line: i64,
    pub day: i32,
    pub consignee: Ix,
    pub shipper: Ix,
    pub notify: Ix,
    pub end_user: Ix,
    pub forwarder: Ix,
    pub payer: Ix,
    /// Destination (or the consignee's country when the line has none).
    pub dest: Option<[u8; 2]>,
    /// A transit country is a hub.
    pub transit_hub: bool,
    /// The destination or a transit country is Tier 3.
    pub route_tier3: bool,
    pub class: LineClass,
    /// TPP of recognised chips.
    pub declared: f64,
    /// TPP estimated for a suspected misdeclaration.
    pub suspected: f64,
    pub quantity: f64,
    pub value: f64,
}

impl Line {
    /// Whether the line carries (or may carry) controlled compute.
    pub fn relevant(&self) -> bool {
        self.declared > 0.0 || self.suspected > 0.0
    }

    /// The line's amount in the policy's measure (declared + suspected TPP for TPP measures).
    pub fn amount(&self, p: &Policy, c: &Catalog) -> f64 {
        let tpp = self.declared + self.suspected;
        match p.measure {
            policy::Measure::Tpp => tpp,
            policy::Measure::H100e => tpp / c.h100_tpp,
            policy::Measure::ValueUsd => {
                if self.relevant() {
                    self.value
                } else {
                    0.0
                }
            }
            policy::Measure::Units => {
                if self.relevant() {
                    self.quantity
                } else {
                    0.0
                }
            }
        }
    }

    /// The part of [`Line::amount`] the line declares: what a per-consignee check on the
    /// declared goods sees (a suspected misdeclaration declares nothing controlled).
    pub fn declared_amount(&self, p: &Policy, c: &Catalog) -> f64 {
        if self.declared > 0.0 {
            match p.measure {
                policy::Measure::Tpp => self.declared,
                policy::Measure::H100e => self.declared / c.h100_tpp,
                policy::Measure::ValueUsd | policy::Measure::Units => self.amount(p, c),
            }
        } else {
            0.0
        }
    }

    /// The other parties of the line, by role.
    pub fn roles(&self) -> [(groups::Role, Ix); 4] {
        [
            (groups::Role::EndUser, self.end_user),
            (groups::Role::Notify, self.notify),
            (groups::Role::Payer, self.payer),
            (groups::Role::Forwarder, self.forwarder),
        ]
    }
}

/// A record's contact features, for shared address / phone / e-mail links.
#[derive(Debug, Clone)]
pub struct Contact {
    pub entity: Ix,
    pub kind: ContactKind,
    /// Hash of the normalised value.
    pub key: u64,
    pub value: String,
    pub source: i64,
    pub line: i64,
}

/// Which contact feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Address,
    Phone,
    Email,
}

/// A possible match between records of two entities (upper bound only).
#[derive(Debug, Clone)]
pub struct Possible {
    pub a: Ix,
    pub b: Ix,
    pub probability: f64,
    pub record_a: i64,
    pub record_b: i64,
}

/// Everything scoring reads from the store, indexed by entity.
#[derive(Debug, Default)]
pub struct Data {
    pub sources: HashMap<i64, String>,
    pub entities: Vec<EntityInfo>,
    pub index: HashMap<i64, Ix>,
    pub lines: Vec<Line>,
    pub rels: Vec<Rel>,
    pub contacts: Vec<Contact>,
    /// Possible matches with probability ≥ `groups.possible_match_min` between entities that
    /// receive goods (consignees or end users on some shipment): the only ones grouping uses.
    pub possible: Vec<Possible>,
    /// Lines with an HS code of interest that matched nothing in the catalog.
    pub unknown_lines: u64,
    /// First day of any shipment.
    pub first_day: i32,
}

impl Data {
    /// Reads the store.
    ///
    /// # Errors
    /// [`Error::Db`]; [`Error::Config`] if the store has not been resolved.
    ///
    /// # Complexity
    /// One pass over records, relationships, shipments and possible matches; O(n) memory in
    /// entities + lines. Ids are dense row ids, so entity and record lookups index vectors;
    /// text columns are borrowed from SQLite, not copied, unless kept. Line text is classified
    /// once per distinct (HS, product, description), an address once per distinct (address,
    /// city).
    pub fn load(conn: &Connection, p: &Policy, cat: &Catalog) -> Result<Data> {
        let resolved: i64 = conn.query_row("SELECT count(*) FROM entities", [], |r| r.get(0))?;
        let records: i64 = conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
        if resolved == 0 && records > 0 {
            return Err(Error::Config {
                key: "store".into(),
                reason: "no entities: run `trawl resolve` before scoring".into(),
            });
        }
        let mut d = Data::default();
        {
            let mut st = conn.prepare("SELECT id, path FROM sources")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                d.sources.insert(r.get(0)?, r.get(1)?);
            }
        }
        // Entity ids are dense row ids too: `by_id[id]` is the entity's dense index.
        let mut by_id: Vec<Ix> = Vec::new();
        {
            let mut st =
                conn.prepare("SELECT id, name, kind, country FROM entities ORDER BY id")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let name: String = r.get(1)?;
                // Placeholders are short; folding every name of a million entities is not free.
                let placeholder = name.len() <= PLACEHOLDER_MAX_LEN
                    && may_be_placeholder(&name)
                    && PLACEHOLDERS.contains(&normalize::fold(&name).as_str());
                let ix = d.entities.len() as Ix;
                d.index.insert(id, ix);
                if let Ok(slot) = usize::try_from(id) {
                    if slot >= by_id.len() {
                        by_id.resize(slot + 1, NONE);
                    }
                    by_id[slot] = ix;
                }
                d.entities.push(EntityInfo {
                    id,
                    placeholder,
                    name,
                    kind: r.get(2)?,
                    country: text(r, 3)?.and_then(cc),
                    ..EntityInfo::default()
                });
            }
        }
        let entity_of = |id: i64| -> Ix { dense(&by_id, Some(id)) };
        // Records: entity of each.
        // Record ids are dense row ids: a vector indexed by id beats a hash map on millions.
        let max_record: i64 =
            conn.query_row("SELECT coalesce(max(id), 0) FROM records", [], |r| r.get(0))?;
        let mut rec_entity: Vec<Ix> = vec![NONE; max_record.max(0) as usize + 1];
        {
            let mut st = conn.prepare("SELECT record_id, entity_id FROM entity_records")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let e = entity_of(r.get(1)?);
                if e != NONE {
                    let rid: i64 = r.get(0)?;
                    if let Some(slot) = usize::try_from(rid)
                        .ok()
                        .and_then(|i| rec_entity.get_mut(i))
                    {
                        *slot = e;
                    }
                }
            }
        }
        // Entities that receive goods (consignees, end users): only their shipment mentions'
        // contacts matter for links; every registry record's do (mass-registration counts).
        let mut receives = vec![false; d.entities.len()];
        {
            let mut st = conn.prepare("SELECT consignee_record, end_user_record FROM shipments")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                for c in [0, 1] {
                    let e = dense(&rec_entity, r.get(c)?);
                    if e != NONE {
                        receives[e as usize] = true;
                    }
                }
            }
        }
        // Records: the features scoring needs (the entity of each from `rec_entity`).
        {
            let mut st = conn.prepare(
                "SELECT id, source_id, line, origin, source_key, address, city, phone, email,
                        website, incorporated, list_source, programs
                 FROM records ORDER BY id",
            )?;
            let mut rows = st.query([])?;
            let mut emails: Vec<(u32, u32)> = vec![(0, 0); d.entities.len()];
            // Keyed by `address_cache_key`; bounded so that a store of unique addresses does
            // not hold them all twice.
            let mut addr_cache: HashMap<String, AddressKey> = HashMap::default();
            let mut ck = String::new();
            while let Some(r) = rows.next()? {
                let rid: i64 = r.get(0)?;
                let e = dense(&rec_entity, Some(rid));
                if e == NONE {
                    continue;
                }
                let source: i64 = r.get(1)?;
                let line: i64 = r.get(2)?;
                let origin = text(r, 3)?.unwrap_or_default();
                let ent = &mut d.entities[e as usize];
                if ent.first == (0, 0) {
                    ent.first = (source, line);
                }
                if origin == "shipment" && !receives[e as usize] {
                    continue;
                }
                if origin != "shipment"
                    && let Some(k) = text(r, 4)?
                {
                    let k = if origin == "screening" {
                        format!("SL-{k}")
                    } else {
                        k.to_string()
                    };
                    if !ent.keys.contains(&k) {
                        ent.keys.push(k);
                    }
                }
                if text(r, 9)?.is_some_and(|w| !w.trim().is_empty()) {
                    ent.has_website = true;
                }
                if let Some(inc) = text(r, 10)?.and_then(policy::parse_day) {
                    ent.incorporated = Some(ent.incorporated.map_or(inc, |x: i32| x.min(inc)));
                }
                if ent.listed.is_none() {
                    let list = text(r, 11)?;
                    let programs = text(r, 12)?;
                    if origin == "screening"
                        || list.is_some()
                        || programs.is_some_and(|p| !p.trim().is_empty())
                    {
                        let what = list.or(programs).unwrap_or("screening list");
                        ent.listed = Some((what.to_string(), rid));
                    }
                }
                if let Some(a) = text(r, 5)? {
                    let city = text(r, 6)?;
                    address_cache_key(&mut ck, a, city);
                    let found = match addr_cache.get(ck.as_str()) {
                        Some(v) => v.clone(),
                        None => {
                            let v = address_key(a, city);
                            if addr_cache.len() < 1 << 20 {
                                addr_cache.insert(ck.clone(), v.clone());
                            }
                            v
                        }
                    };
                    if let Some((key, _)) = found {
                        // Shown as written (a shared address as its first holder writes it), not
                        // as the sorted tokens it is matched on.
                        let value = match city {
                            Some(c) if !a.to_lowercase().contains(&c.to_lowercase()) => {
                                format!("{}, {}", a.trim(), c.trim())
                            }
                            _ => a.trim().to_string(),
                        };
                        d.contacts.push(Contact {
                            entity: e,
                            kind: ContactKind::Address,
                            key,
                            value,
                            source,
                            line,
                        });
                    }
                }
                if let Some(ph) = text(r, 7)? {
                    for one in ph.split(';') {
                        if let Some(n) = normalize::phone(one) {
                            d.contacts.push(Contact {
                                entity: e,
                                kind: ContactKind::Phone,
                                key: xxhash_rust::xxh3::xxh3_64(n.as_bytes()),
                                value: n,
                                source,
                                line,
                            });
                        }
                    }
                }
                if let Some(em) = text(r, 8)? {
                    for one in em.split(';') {
                        if let Some(n) = normalize::email(one) {
                            let free = normalize::domain(&n).is_none();
                            let c = &mut emails[e as usize];
                            c.0 += 1;
                            c.1 += u32::from(free);
                            d.contacts.push(Contact {
                                entity: e,
                                kind: ContactKind::Email,
                                key: xxhash_rust::xxh3::xxh3_64(n.as_bytes()),
                                value: n,
                                source,
                                line,
                            });
                        }
                    }
                }
            }
            for (ent, (n, free)) in d.entities.iter_mut().zip(emails) {
                ent.free_mail_only = n > 0 && n == free;
            }
        }
        // The same contact value seen on several records of one entity counts once.
        d.contacts
            .sort_by_key(|c| (c.kind, c.key, c.entity, c.source, c.line));
        d.contacts.dedup_by_key(|c| (c.kind, c.key, c.entity));
        let ent = |rid: Option<i64>| -> Ix { dense(&rec_entity, rid) };
        {
            let mut st = conn.prepare(
                "SELECT from_record, to_record, kind, share, source_id, line, end_date
                 FROM relationships ORDER BY id",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let (from, to) = (ent(r.get(0)?), ent(r.get(1)?));
                if from == NONE || to == NONE || from == to {
                    continue;
                }
                d.rels.push(Rel {
                    from,
                    to,
                    kind: r.get(2)?,
                    share: r.get(3)?,
                    source: r.get(4)?,
                    line: r.get(5)?,
                });
            }
        }
        {
            let mut st = conn.prepare(
                "SELECT record_a, record_b, probability FROM possible_matches ORDER BY record_a, record_b",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let (ra, rb): (i64, i64) = (r.get(0)?, r.get(1)?);
                let (a, b) = (ent(Some(ra)), ent(Some(rb)));
                if a == NONE
                    || b == NONE
                    || a == b
                    || !receives[a as usize]
                    || !receives[b as usize]
                {
                    continue;
                }
                let probability: f64 = r.get(2)?;
                if probability >= p.groups.possible_match_min {
                    d.possible.push(Possible {
                        a,
                        b,
                        probability,
                        record_a: ra,
                        record_b: rb,
                    });
                }
            }
        }
        {
            let mut cache: HashMap<u64, catalog::TextClass> = HashMap::default();
            let mut st = conn.prepare(
                "SELECT id, source_id, line, date, consignee_record, shipper_record, notify_record,
                        end_user_record, forwarder_record, payer_record, destination_country,
                        transit_countries, hs_code, product, description, quantity, value_usd
                 FROM shipments ORDER BY id",
            )?;
            let mut rows = st.query([])?;
            let mut first_day = i32::MAX;
            while let Some(r) = rows.next()? {
                let Some(day) = text(r, 3)?.and_then(policy::parse_day) else {
                    continue;
                };
                first_day = first_day.min(day);
                let consignee = ent(r.get(4)?);
                if consignee == NONE {
                    continue;
                }
                let role = |x: Ix| -> Ix {
                    if x == NONE || x == consignee || d.entities[x as usize].placeholder {
                        NONE
                    } else {
                        x
                    }
                };
                let (hs, product, desc) = (
                    text(r, 12)?.unwrap_or_default(),
                    text(r, 13)?.unwrap_or_default(),
                    text(r, 14)?.unwrap_or_default(),
                );
                let key = {
                    let mut h = xxhash_rust::xxh3::Xxh3::new();
                    h.update(hs.as_bytes());
                    h.update(&[0]);
                    h.update(product.as_bytes());
                    h.update(&[0]);
                    h.update(desc.as_bytes());
                    h.digest()
                };
                let text_class = *cache
                    .entry(key)
                    .or_insert_with(|| cat.classify_text(product, desc, hs));
                let quantity: f64 = r.get::<_, Option<f64>>(15)?.unwrap_or(0.0);
                let value: f64 = r.get::<_, Option<f64>>(16)?.unwrap_or(0.0);
                let class = cat.classify(text_class, quantity, value, &p.detectors.misdeclaration);
                if class == LineClass::Unknown {
                    d.unknown_lines += 1;
                }
                let (declared, suspected) = cat.tpp(class, quantity);
                let dest = text(r, 10)?
                    .and_then(cc)
                    .or(d.entities[consignee as usize].country);
                let (mut transit_hub, mut route_tier3) = (false, false);
                for t in text(r, 11)?.unwrap_or("").split(';').filter_map(cc) {
                    transit_hub |= p.is_hub(t);
                    route_tier3 |= p.tier(t) == policy::Tier::Tier3;
                }
                if let Some(dc) = dest {
                    route_tier3 |= p.tier(dc) == policy::Tier::Tier3;
                }
                d.lines.push(Line {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    line: r.get(2)?,
                    day,
                    consignee,
                    shipper: role(ent(r.get(5)?)),
                    notify: role(ent(r.get(6)?)),
                    end_user: role(ent(r.get(7)?)),
                    forwarder: role(ent(r.get(8)?)),
                    payer: role(ent(r.get(9)?)),
                    dest,
                    transit_hub,
                    route_tier3,
                    class,
                    declared,
                    suspected,
                    quantity,
                    value,
                });
            }
            d.first_day = if first_day == i32::MAX { 0 } else { first_day };
        }
        Ok(d)
    }

    /// "path:line" of a source line.
    pub fn at(&self, source: i64, line: i64) -> String {
        format!(
            "{}:{line}",
            self.sources.get(&source).map_or("?", String::as_str)
        )
    }

    /// The entity at a dense index.
    pub fn entity(&self, i: Ix) -> &EntityInfo {
        &self.entities[i as usize]
    }
}

/// A quick test before folding a name to compare it with [`PLACEHOLDERS`]: an ASCII name folds
/// to its letters and digits in lower case, `&` read as "and", everything else a space, so its
/// folded form can only be a placeholder if that sequence, spaces left out, is one. Other names
/// may be.
fn may_be_placeholder(name: &str) -> bool {
    if !name.is_ascii() {
        return true;
    }
    let mut letters = Vec::with_capacity(name.len() + 8);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            letters.push(b.to_ascii_lowercase());
        } else if b == b'&' {
            letters.extend_from_slice(b"and");
        }
    }
    PLACEHOLDERS
        .iter()
        .any(|p| p.bytes().filter(|&b| b != b' ').eq(letters.iter().copied()))
}

/// A text column borrowed from the row (no copy); `None` for NULL.
pub(crate) fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

/// The dense index stored at `id` in an id-indexed vector, [`NONE`] for no id, an id out of
/// range or an empty slot.
fn dense(by_id: &[Ix], id: Option<i64>) -> Ix {
    id.and_then(|i| usize::try_from(i).ok())
        .and_then(|i| by_id.get(i).copied())
        .unwrap_or(NONE)
}

/// The address cache's key for (address, city), written into a reused buffer; the address's
/// length comes first so that no two pairs share a key.
fn address_cache_key(buf: &mut String, address: &str, city: Option<&str>) {
    use std::fmt::Write;
    buf.clear();
    let _ = write!(buf, "{}:{address}", address.len());
    if let Some(c) = city {
        buf.push('|');
        buf.push_str(c);
    }
}

/// ISO alpha-2 (ingest normalises countries) to bytes.
pub fn cc(s: &str) -> Option<[u8; 2]> {
    let b = s.trim().as_bytes();
    (b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic))
        .then(|| [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
}

/// Country bytes to a string.
pub fn cc_str(c: Option<[u8; 2]>) -> String {
    c.map(|c| String::from_utf8_lossy(&c).into_owned())
        .unwrap_or_default()
}

/// An address key and its normalised text, or `None` when too vague to link on.
pub type AddressKey = Option<(u64, String)>;

/// A comparable address key: resolve's address tokens minus the city's words, sorted and
/// de-duplicated, so "Level 15, Menara Sinar, 88 Jalan Ampang" and "Lvl 15 Menara Sinar No. 88
/// Jln Ampang" agree. Addresses with fewer than 3 tokens or no digit are too vague to link on.
pub fn address_key(address: &str, city: Option<&str>) -> AddressKey {
    let city: Vec<String> = city.map(normalize::address_tokens).unwrap_or_default();
    let mut t: Vec<String> = normalize::address_tokens(address)
        .into_iter()
        .filter(|w| !city.contains(w))
        .collect();
    t.sort();
    t.dedup();
    if t.len() < 3 || !t.iter().any(|w| w.bytes().any(|b| b.is_ascii_digit())) {
        return None;
    }
    let v = t.join(" ");
    Some((xxhash_rust::xxh3::xxh3_64(v.as_bytes()), v))
}

/// Options of a scoring run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Run the per-group detectors with rayon.
    pub parallel: bool,
}

/// What a scoring run found.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreSummary {
    pub policy: String,
    pub entities: usize,
    pub shipments: usize,
    pub relevant_lines: usize,
    pub unknown_lines: u64,
    pub groups_lower: usize,
    pub groups_upper: usize,
    pub multi_member_groups: usize,
    pub alerts: usize,
    /// Of `alerts`, those resting on an upper-bound group.
    pub upper_alerts: usize,
    pub top_score: f64,
    pub seconds: f64,
}

/// Scores the store with a policy and writes groups, entity scores and alerts
/// (sequential).
///
/// # Errors
/// [`Error::Db`], or [`Error::Config`] if the store is not resolved.
pub fn score(conn: &Connection, p: &Policy, cat: &Catalog) -> Result<ScoreSummary> {
    run(conn, p, cat, Options { parallel: false })
}

/// [`score`], with the per-group detectors run in parallel. Same output.
///
/// # Errors
/// As [`score`].
pub fn score_parallel(conn: &Connection, p: &Policy, cat: &Catalog) -> Result<ScoreSummary> {
    run(conn, p, cat, Options { parallel: true })
}

/// Computes (without writing) the scored result.
///
/// # Errors
/// As [`score`].
pub fn compute(
    conn: &Connection,
    p: &Policy,
    cat: &Catalog,
    opts: Options,
) -> Result<alert::Outcome> {
    let data = Data::load(conn, p, cat)?;
    Ok(alert::outcome(data, p, cat, opts))
}

/// Loads, scores and stores.
///
/// # Errors
/// As [`score`].
pub fn run(conn: &Connection, p: &Policy, cat: &Catalog, opts: Options) -> Result<ScoreSummary> {
    let t0 = std::time::Instant::now();
    let out = compute(conn, p, cat, opts)?;
    alert::store(conn, p, cat, &out)?;
    let mut s = out.summary(p);
    s.seconds = t0.elapsed().as_secs_f64();
    // Freeing a large run (millions of small allocations) takes seconds that the caller does
    // not wait for; a CLI run exits without waiting for it at all.
    std::thread::spawn(move || drop(out));
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_prefilter_never_rejects_what_folds_to_a_placeholder() {
        for name in [
            "SAME AS CONSIGNEE",
            "Same-as-Consignee.",
            "N/A",
            "n.a.",
            "TO ORDER",
            "To the order of",
            "TBD",
            "same  as above",
            "Nil",
        ] {
            assert!(may_be_placeholder(name), "{name}");
            assert!(
                PLACEHOLDERS.contains(&normalize::fold(name).as_str()),
                "{name}"
            );
        }
        for name in [
            "Apex Tech Pte Ltd",
            "SAME AS CONSIGNEE 2",
            "Nill",
            "N&A",
            "Nanjing",
        ] {
            assert!(!may_be_placeholder(name), "{name}");
        }
        // Non-ASCII names go to the fold.
        assert!(may_be_placeholder("ＮＯＮＥ"));
        assert!(PLACEHOLDERS.contains(&normalize::fold("ＮＯＮＥ").as_str()));
    }

    #[test]
    fn address_cache_keys_differ_for_different_pairs() {
        let key = |a: &str, c: Option<&str>| {
            let mut b = String::from("stale");
            address_cache_key(&mut b, a, c);
            b
        };
        assert_eq!(key("1 Main St", Some("X")), key("1 Main St", Some("X")));
        assert_ne!(key("1 Main St", None), key("1 Main St", Some("")));
        assert_ne!(key("a|b", Some("c")), key("a", Some("b|c")));
    }

    #[test]
    fn dense_lookup_handles_missing_and_out_of_range_ids() {
        let v = vec![NONE, 0, 1];
        assert_eq!(dense(&v, Some(2)), 1);
        assert_eq!(dense(&v, Some(0)), NONE);
        assert_eq!(dense(&v, Some(9)), NONE);
        assert_eq!(dense(&v, Some(-1)), NONE);
        assert_eq!(dense(&v, None), NONE);
    }
}
