//! Beneficiary groups: consignees under common control.
//!
//! Input: [`Data`] (entities, entity-level relationships, contacts, resolved shipment lines,
//! possible matches) and the profile's `[groups]` section. Output: [`Groups`] — the links found
//! (each with its kind, strength and source file + line evidence) and two partitions of the
//! *nodes* (entities that are the consignee or end user of a line carrying controlled compute):
//! `lower`, joined by pairs whose summed link strength reaches `groups.strong`, and `upper`,
//! which joins lower groups tied by weaker links (pairs reaching `groups.possible`, and records
//! resolve kept as possible matches) as long as every two lower groups of an upper group are at
//! most two weak links apart inside it: stars and cliques of weakly tied fronts join, chains do
//! not percolate (see `upper_attachments`).
//!
//! A link comes from a *feature* several nodes share: a common owner or ultimate owner, a common
//! director or officer, an address, phone or e-mail, the same end user / notify party / payer /
//! forwarder on their lines, or one node re-exporting to another. A feature shared by `k` nodes
//! adds `strength × damp(k)` to each of their pairs, with `damp(k) = 1 / (1 + ln(k / damp_from))`
//! once `k > damp_from` (not for a common owner or end user: control and the rule's own
//! aggregation unit are not shared by chance); features shared by very many (mass-registration
//! addresses, nominee directors — by their number of directorships, or most of them at one
//! registered agent's address —, carriers, placeholders) make no link at all. A tie through a
//! shipment party whose name other registered firms of its country bear counts
//! × `groups.namesake_party`. A node that *is* the shared party (the notify party that also
//! receives goods, a parent that owns its subsidiary) joins the feature.
//!
//! Besides the two partitions, every feature shared by at least [`PARTY_MIN`] nodes is kept as a
//! [`PartyGroup`] (a shipment party only for the consignees it is habitual to, on at least
//! `groups.party_share` of their relevant lines): a hypothesis that scoring tests on its own,
//! whatever the tie's strength and wherever the partition put its members. So are the nodes
//! each nominee directs or officers (at most `groups.flow_hub`): a nominee makes no link, but a
//! controller of ten fronts is a nominee by the count, and the party group's tests (red flags,
//! structuring beyond what is alerted) are what tells the two apart. Their ties are kept as
//! links of strength 0 (`Link::nominee`), the group's evidence.
//!
//! The function works on plain arrays so that the graph stage's output (typed edges with
//! evidence) can feed it later: a graph edge is a feature with two members.
//!
//! # Complexity
//! O(L + R·depth + C log C + Σ k²) for L lines, R relationships, C contacts and features of
//! size k ≤ the hub caps.

use crate::score::fast::{HashMap, HashSet};
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::policy::Policy;
use super::{ContactKind, Data, Ix, NONE};
use crate::resolve::normalize;
use rayon::prelude::*;

/// A shipment role other than consignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    EndUser,
    Notify,
    Payer,
    Forwarder,
}

/// What ties two group members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Owner,
    Director,
    Officer,
    RelatedController,
    Address,
    Phone,
    Email,
    EndUser,
    Notify,
    Payer,
    Forwarder,
    Reexport,
    PossibleMatch,
}

impl LinkKind {
    fn of_role(r: Role) -> LinkKind {
        match r {
            Role::EndUser => LinkKind::EndUser,
            Role::Notify => LinkKind::Notify,
            Role::Payer => LinkKind::Payer,
            Role::Forwarder => LinkKind::Forwarder,
        }
    }

    /// A tie through a party named on shipment lines.
    fn is_flow(self) -> bool {
        matches!(
            self,
            LinkKind::EndUser | LinkKind::Notify | LinkKind::Payer | LinkKind::Forwarder
        )
    }

    fn strength(self, p: &Policy) -> f64 {
        let s = &p.groups.strength;
        match self {
            LinkKind::Owner => s.owner,
            LinkKind::Director => s.director,
            LinkKind::Officer => s.officer,
            LinkKind::RelatedController => s.related_controller,
            LinkKind::Address => s.address,
            LinkKind::Phone => s.phone,
            LinkKind::Email => s.email,
            LinkKind::EndUser => s.end_user,
            LinkKind::Notify => s.notify,
            LinkKind::Payer => s.payer,
            LinkKind::Forwarder => s.forwarder,
            LinkKind::Reexport => s.reexport,
            LinkKind::PossibleMatch => s.possible_match,
        }
    }

    /// The kind in words, for titles: what the members share ("notify party", "phone").
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::RelatedController => "related controllers",
            LinkKind::EndUser => "end user",
            LinkKind::Notify => "notify party",
            LinkKind::Reexport => "re-exporter",
            LinkKind::PossibleMatch => "possible match",
            other => other.as_str(),
        }
    }

    /// The kind's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Owner => "owner",
            LinkKind::Director => "director",
            LinkKind::Officer => "officer",
            LinkKind::RelatedController => "related_controller",
            LinkKind::Address => "address",
            LinkKind::Phone => "phone",
            LinkKind::Email => "email",
            LinkKind::EndUser => "end_user",
            LinkKind::Notify => "notify",
            LinkKind::Payer => "payer",
            LinkKind::Forwarder => "forwarder",
            LinkKind::Reexport => "reexport",
            LinkKind::PossibleMatch => "possible_match",
        }
    }
}

/// Which grouping a result or an alert rests on: the lower bound (strong links only) or the
/// upper bound (weaker links too).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    #[default]
    Lower,
    Upper,
}

impl Bound {
    /// The bound's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Bound::Lower => "lower",
            Bound::Upper => "upper",
        }
    }
}

/// Evidence: (source id, line).
pub type At = (i64, i64);

/// At most this many source lines are kept per member and feature (the bundle stays readable;
/// the count is kept).
pub const EVIDENCE_LINES: usize = 5;

/// Fewest members of a [`PartyGroup`]: one tie shared by two may be chance (two firms at one
/// address), and a tie among three gives each at least two (`upper_min_ties`).
pub const PARTY_MIN: usize = 3;

/// A link between two nodes.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub a: Ix,
    pub b: Ix,
    pub kind: LinkKind,
    /// The shared party (entity) when there is one.
    pub via: Ix,
    /// The shared value (address, phone, e-mail) when there is one.
    pub value: String,
    pub strength: f64,
    /// How many nodes share the feature.
    pub shared_by: u32,
    /// A shipment party whose name other registered firms of its country bear too: how many
    /// (the tie counts × `groups.namesake_party`); 0 otherwise.
    pub namesakes: u32,
    /// A tie through a nominee director or officer (see [`Groups::nominees`]): strength 0, shown
    /// as evidence of the nominee's party group, never a link of the partitions.
    pub nominee: bool,
    pub evidence: Vec<At>,
}

/// One group.
#[derive(Debug, Clone)]
pub struct Group {
    /// The smallest entity id among the members.
    pub id: i64,
    pub members: Vec<Ix>,
}

/// The consignees that one party or contact ties, whatever the tie's strength: a hypothesis the
/// upper bound tests apart from its partition (see `alert::score_party`). For a shipment party
/// (end user, notify party, payer, forwarder) only the consignees it is habitual to — on at
/// least `groups.party_share` of their relevant lines — count; for an owner, director, officer,
/// address, phone or e-mail every node that shares it.
#[derive(Debug, Clone)]
pub struct PartyGroup {
    pub kind: LinkKind,
    /// The shared party (entity) when there is one.
    pub via: Ix,
    /// The shared value (address, phone, e-mail) when there is one.
    pub value: String,
    /// Node entities, sorted.
    pub members: Vec<Ix>,
    /// The party is a nominee director or officer (see [`Groups::nominees`]): it makes no link,
    /// and its group is the least specific hypothesis (see `alert::new_hypotheses`).
    pub nominee: bool,
}

/// The groups of a run.
#[derive(Debug, Default)]
pub struct Groups {
    pub nodes: Vec<Ix>,
    pub links: Vec<Link>,
    /// Summed strength per pair (a < b), over lower-bound links.
    pub pair: HashMap<(Ix, Ix), f64>,
    pub lower: Vec<Group>,
    pub upper: Vec<Group>,
    pub lower_of: HashMap<Ix, usize>,
    pub upper_of: HashMap<Ix, usize>,
    /// Entities at a crowded address (at least `groups.crowded_address` companies).
    pub mass_address: HashSet<Ix>,
    /// Professional (nominee) directors: persons or companies directing or officering at least
    /// `nominee_directorships` companies, or at least `crowded_address` of which most sit at one
    /// crowded address (a registered agent's nominee).
    pub nominees: HashSet<Ix>,
    /// Indices into `links` of each node's links.
    pub links_of: HashMap<Ix, Vec<usize>>,
    /// Each node's weak partners in other lower groups (pairs reaching `groups.possible`, or a
    /// possible match), sorted: the ties the upper bound is made of.
    pub weak_of: HashMap<Ix, Vec<Ix>>,
    /// Party groups of at least three members, in (kind, party or value) order.
    pub parties: Vec<PartyGroup>,
}

impl Groups {
    /// The members of group `gi` of a bound.
    pub fn members(&self, bound: Bound, gi: usize) -> &[Ix] {
        match bound {
            Bound::Lower => &self.lower[gi].members,
            Bound::Upper => &self.upper[gi].members,
        }
    }

    /// The lower groups (indices into `lower`) an upper group joins, in order.
    pub fn lower_groups_of(&self, ui: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.upper[ui]
            .members
            .iter()
            .map(|m| self.lower_of[m])
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The links between members of a group, strongest pairs first.
    pub fn links_within(&self, members: &[Ix]) -> Vec<&Link> {
        let set: HashSet<Ix> = members.iter().copied().collect();
        let mut idx: Vec<usize> = members
            .iter()
            .filter_map(|m| self.links_of.get(m))
            .flatten()
            .copied()
            .filter(|&i| set.contains(&self.links[i].a) && set.contains(&self.links[i].b))
            .collect();
        idx.sort_unstable();
        idx.dedup();
        let mut v: Vec<&Link> = idx.into_iter().map(|i| &self.links[i]).collect();
        v.sort_by(|x, y| {
            (x.a, x.b, x.kind, x.via, &x.value).cmp(&(y.a, y.b, y.kind, y.via, &y.value))
        });
        v
    }
}

#[derive(Default)]
struct Feature {
    members: BTreeMap<Ix, Vec<At>>,
    /// Consignees a shipment party is habitual to (see [`PartyGroup`]).
    habitual: BTreeSet<Ix>,
}

fn add(f: &mut Feature, m: Ix, at: At) {
    let v = f.members.entry(m).or_default();
    if v.len() < EVIDENCE_LINES && !v.contains(&at) {
        v.push(at);
    }
}

/// The links of one shared feature: `template` for every pair of `members` (a < b), with both
/// members' evidence.
fn pair_links(members: &BTreeMap<Ix, Vec<At>>, template: &Link) -> Vec<Link> {
    let m: Vec<(&Ix, &Vec<At>)> = members.iter().collect();
    let mut out = Vec::new();
    for x in 0..m.len() {
        for y in x + 1..m.len() {
            let mut evidence = m[x].1.clone();
            evidence.extend(m[y].1.iter().copied());
            out.push(Link {
                a: *m[x].0,
                b: *m[y].0,
                evidence,
                ..template.clone()
            });
        }
    }
    out
}

/// For each of `parties` that is a company, how many other *registered* companies (entities with
/// a registry, list or FtM record) bear its name — its words with the legal form set aside
/// ([`normalize::split_name`]) — in its country: namesakes that resolve kept apart ("Falcon
/// Networks Co., Ltd." and "Falcon Networks Company Limited", two Thai firms). Parties without
/// namesakes are left out.
///
/// # Complexity
/// O(E) to bucket entities by country and first name word, then the buckets of the parties.
fn namesakes(d: &Data, parties: &[Ix]) -> HashMap<Ix, u32> {
    // A cheap bucket key (both sides computed alike); the count below is on folded words.
    let first_word = |e: &super::EntityInfo| {
        e.name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_lowercase()
    };
    let wanted: HashSet<(Option<[u8; 2]>, String)> = parties
        .iter()
        .map(|&x| d.entity(x))
        .filter(|e| e.is_company() && e.country.is_some())
        .map(|e| (e.country, first_word(e)))
        .collect();
    // The name words of every company that could be a party's namesake, in parallel, and
    // whether it has a registry (or list) record of its own.
    let keyed: Vec<(Ix, Option<[u8; 2]>, String, bool)> = d
        .entities
        .par_iter()
        .enumerate()
        .filter(|(_, e)| e.is_company() && e.country.is_some())
        .filter(|(_, e)| wanted.contains(&(e.country, first_word(e))))
        .map(|(i, e)| {
            let words = normalize::split_name(&e.name).tokens.join(" ");
            (i as Ix, e.country, words, !e.keys.is_empty())
        })
        .collect();
    // (country, name words) of a company.
    type NameKey<'a> = (Option<[u8; 2]>, &'a str);
    let mut registered: HashMap<NameKey<'_>, u32> = HashMap::default();
    let mut key_of: HashMap<Ix, (NameKey<'_>, bool)> = HashMap::default();
    for (i, c, w, reg) in &keyed {
        if w.is_empty() {
            continue;
        }
        if *reg {
            *registered.entry((*c, w.as_str())).or_default() += 1;
        }
        key_of.insert(*i, ((*c, w.as_str()), *reg));
    }
    // A registered party has namesakes when another registered firm bears its name; a party
    // known only from shipment lines, when two do (with one, it is most likely that firm's
    // mentions that resolve left apart, not a namesake's).
    parties
        .iter()
        .filter_map(|x| {
            let (k, reg) = key_of.get(x)?;
            let others = registered.get(k).copied().unwrap_or(0) - u32::from(*reg);
            (others > u32::from(!*reg)).then_some((*x, others))
        })
        .collect()
}

/// The crowded addresses each company sits at — addresses given by at least `min` companies (a
/// registered agent's, a virtual office's) — and every entity at one (`Groups::mass_address`).
/// Contacts are sorted by kind and value and hold each entity once per value (`Data::load`).
fn crowded_addresses(d: &Data, min: u32) -> (HashMap<Ix, Vec<u64>>, HashSet<Ix>) {
    let mut of_company: HashMap<Ix, Vec<u64>> = HashMap::default();
    let mut at_any: HashSet<Ix> = HashSet::default();
    for same in d
        .contacts
        .chunk_by(|a, b| a.kind == b.kind && a.key == b.key)
        .filter(|same| same[0].kind == ContactKind::Address)
    {
        let companies = same.iter().filter(|c| d.entity(c.entity).is_company());
        if companies.clone().count() >= min as usize {
            for c in companies {
                of_company.entry(c.entity).or_default().push(c.key);
            }
            at_any.extend(same.iter().map(|c| c.entity));
        }
    }
    (of_company, at_any)
}

/// Whether a director's companies (`cos`, at least `min` of them) sit mostly (more than half)
/// at one crowded address: the registered agent's nominee, who directs its clients at its own
/// address. A controller's fronts sit at their own addresses, or share one among a few.
fn at_one_agent(cos: &HashSet<Ix>, crowded: &HashMap<Ix, Vec<u64>>, min: u32) -> bool {
    if cos.len() < min as usize {
        return false;
    }
    let mut at: HashMap<u64, usize> = HashMap::default();
    for c in cos {
        for &a in crowded.get(c).map_or(&[][..], Vec::as_slice) {
            *at.entry(a).or_default() += 1;
        }
    }
    at.values().any(|&n| 2 * n > cos.len())
}

/// Damping of a feature shared by `k` nodes.
pub fn damp(k: usize, from: u32) -> f64 {
    let from = f64::from(from);
    let k = k as f64;
    if k <= from {
        1.0
    } else {
        1.0 / (1.0 + (k / from).ln())
    }
}

/// One link of a pair: kind, the shared party (or [`NONE`]), strength.
pub type PairLink = (LinkKind, Ix, f64);

/// The strength of a pair from its links: ownership (any level) counts once at its strongest;
/// a director or officer who is not also one of those owners adds to it; together they are
/// capped at 1. Every other kind is summed within the kind and capped at the kind's strength
/// (two spellings of one forwarder are not twice the evidence), then summed across kinds.
pub fn pair_strength(p: &Policy, links: &[PairLink]) -> f64 {
    let mut own = 0.0f64;
    let owners: Vec<Ix> = links
        .iter()
        .filter(|l| l.0 == LinkKind::Owner)
        .map(|l| l.1)
        .collect();
    let mut mgmt = 0.0f64;
    let mut other: BTreeMap<LinkKind, f64> = BTreeMap::new();
    for &(k, via, s) in links {
        match k {
            LinkKind::Owner => own = own.max(s),
            LinkKind::Director | LinkKind::Officer => {
                if !owners.contains(&via) {
                    mgmt = mgmt.max(s);
                }
            }
            _ => *other.entry(k).or_default() += s,
        }
    }
    (own + mgmt).min(1.0) + other.iter().map(|(k, v)| v.min(k.strength(p))).sum::<f64>()
}

/// Builds the lower- and upper-bound groups.
pub fn build(d: &Data, p: &Policy) -> Groups {
    let g = &p.groups;
    let mut out = Groups::default();
    // Nodes: consignees and end users of lines carrying controlled compute.
    let mut is_node = vec![false; d.entities.len()];
    let mut relevant_lines = vec![0u32; d.entities.len()];
    for l in d.lines.iter().filter(|l| l.relevant()) {
        is_node[l.consignee as usize] = true;
        relevant_lines[l.consignee as usize] += 1;
        if l.end_user != NONE {
            is_node[l.end_user as usize] = true;
        }
    }
    out.nodes = (0..d.entities.len() as Ix)
        .filter(|&i| is_node[i as usize])
        .collect();

    let mut features: BTreeMap<(LinkKind, u64), Feature> = BTreeMap::new();

    // Shipment roles and re-exports.
    let mut role_count: HashMap<(Ix, Role, Ix), (u32, Vec<At>)> = HashMap::default();
    let mut role_consignees: HashMap<(Role, Ix), HashSet<Ix>> = HashMap::default();
    for l in d.lines.iter().filter(|l| l.relevant()) {
        for (role, x) in l.roles() {
            if x == NONE {
                continue;
            }
            let e = role_count.entry((l.consignee, role, x)).or_default();
            e.0 += 1;
            if e.1.len() < EVIDENCE_LINES {
                e.1.push((l.source, l.line));
            }
            role_consignees
                .entry((role, x))
                .or_default()
                .insert(l.consignee);
        }
        if l.shipper != NONE && is_node[l.shipper as usize] {
            let f = features
                .entry((LinkKind::Reexport, u64::from(l.shipper)))
                .or_default();
            add(f, l.consignee, (l.source, l.line));
            add(f, l.shipper, (l.source, l.line));
        }
    }
    let mut rc: Vec<_> = role_count.into_iter().collect();
    rc.sort_by_key(|((c, r, x), _)| (*c, *r, *x));
    for ((c, role, x), (n, ev)) in rc {
        let fanout = role_consignees[&(role, x)].len();
        if fanout > g.flow_hub as usize {
            continue;
        }
        if n < g.min_role_lines.min(relevant_lines[c as usize]) {
            continue;
        }
        let f = features
            .entry((LinkKind::of_role(role), u64::from(x)))
            .or_default();
        for at in ev {
            add(f, c, at);
        }
        if g.party_share > 0.0
            && f64::from(n) >= g.party_share * f64::from(relevant_lines[c as usize])
        {
            f.habitual.insert(c);
        }
        if is_node[x as usize] {
            let e = d.entity(x);
            add(f, x, e.first);
        }
    }

    // Controllers: owners (and ultimate owners up the chain), directors, officers.
    let mut directs: HashMap<Ix, HashSet<Ix>> = HashMap::default();
    let mut owners_of: HashMap<Ix, Vec<(Ix, At)>> = HashMap::default();
    let mut controls_of: HashMap<Ix, Vec<(LinkKind, Ix, At)>> = HashMap::default();
    for r in &d.rels {
        let at = (r.source, r.line);
        match r.kind.as_str() {
            "owner" | "beneficial_owner" if r.share.is_none_or(|s| s >= g.min_owner_share) => {
                owners_of.entry(r.to).or_default().push((r.from, at));
            }
            "director" => {
                directs.entry(r.from).or_default().insert(r.to);
                controls_of
                    .entry(r.to)
                    .or_default()
                    .push((LinkKind::Director, r.from, at));
            }
            "officer" => {
                directs.entry(r.from).or_default().insert(r.to);
                controls_of
                    .entry(r.to)
                    .or_default()
                    .push((LinkKind::Officer, r.from, at));
            }
            _ => {}
        }
    }
    let (agent_addresses, mass_address) = crowded_addresses(d, g.crowded_address);
    out.mass_address = mass_address;
    for (x, cos) in &directs {
        if cos.len() >= g.nominee_directorships as usize
            || at_one_agent(cos, &agent_addresses, g.crowded_address)
        {
            out.nominees.insert(*x);
        }
    }
    let mut controllers_of_node: HashMap<Ix, Vec<Ix>> = HashMap::default();
    // The nodes each nominee directs or officers: no link, a party group only.
    let mut nominee_nodes: BTreeMap<(Ix, LinkKind), Feature> = BTreeMap::new();
    for &n in &out.nodes {
        // Ultimate owners: every ancestor along owner edges, up to owner_depth levels.
        let mut frontier: Vec<(Ix, Vec<At>)> = vec![(n, Vec::new())];
        let mut seen: HashSet<Ix> = HashSet::from_iter([n]);
        for _ in 0..g.owner_depth {
            let mut next = Vec::new();
            for (x, path) in &frontier {
                for (o, at) in owners_of.get(x).map_or(&[][..], Vec::as_slice) {
                    if seen.insert(*o) {
                        let mut p2 = path.clone();
                        p2.push(*at);
                        let f = features
                            .entry((LinkKind::Owner, u64::from(*o)))
                            .or_default();
                        for a in &p2 {
                            add(f, n, *a);
                        }
                        if is_node[*o as usize] {
                            add(f, *o, d.entity(*o).first);
                        }
                        controllers_of_node.entry(n).or_default().push(*o);
                        next.push((*o, p2));
                    }
                }
            }
            frontier = next;
        }
        for (kind, x, at) in controls_of.get(&n).map_or(&[][..], Vec::as_slice) {
            if out.nominees.contains(x) {
                add(nominee_nodes.entry((*x, *kind)).or_default(), n, *at);
                continue;
            }
            let f = features.entry((*kind, u64::from(*x))).or_default();
            add(f, n, *at);
            if is_node[*x as usize] {
                add(f, *x, d.entity(*x).first);
            }
            controllers_of_node.entry(n).or_default().push(*x);
        }
    }
    // Controllers who are family or associates: link the nodes they control.
    let mut controlled_by: HashMap<Ix, Vec<Ix>> = HashMap::default();
    for (n, cs) in &controllers_of_node {
        for c in cs {
            controlled_by.entry(*c).or_default().push(*n);
        }
    }
    for r in &d.rels {
        if r.kind != "family" && r.kind != "associate" {
            continue;
        }
        let (Some(a), Some(b)) = (controlled_by.get(&r.from), controlled_by.get(&r.to)) else {
            continue;
        };
        let key = (u64::from(r.from.min(r.to)) << 32) | u64::from(r.from.max(r.to));
        let f = features
            .entry((LinkKind::RelatedController, key))
            .or_default();
        for &n in a.iter().chain(b) {
            add(f, n, (r.source, r.line));
        }
    }

    // Contacts: shared address, phone, e-mail; mass registration excluded.
    let mut i = 0;
    while i < d.contacts.len() {
        let (kind, key) = (d.contacts[i].kind, d.contacts[i].key);
        let mut j = i;
        while j < d.contacts.len() && d.contacts[j].kind == kind && d.contacts[j].key == key {
            j += 1;
        }
        let same = &d.contacts[i..j];
        let companies = same
            .iter()
            .filter(|c| d.entity(c.entity).is_company())
            .count();
        if companies < g.mass_registration as usize {
            let lk = match kind {
                ContactKind::Address => LinkKind::Address,
                ContactKind::Phone => LinkKind::Phone,
                ContactKind::Email => LinkKind::Email,
            };
            let members: Vec<_> = same.iter().filter(|c| is_node[c.entity as usize]).collect();
            if members.len() >= 2 {
                let f = features.entry((lk, key)).or_default();
                for c in members {
                    add(f, c.entity, (c.source, c.line));
                }
            }
        }
        i = j;
    }
    // Each shared contact as its first holder (in contact order) writes it.
    let mut contact_value: HashMap<(ContactKind, u64), &str> = HashMap::default();
    for c in &d.contacts {
        contact_value
            .entry((c.kind, c.key))
            .or_insert(c.value.as_str());
    }

    // Shipment parties that bear another entity's name: a line names them by name and country,
    // which does not say which namesake it is.
    let parties: Vec<Ix> = features
        .keys()
        .filter(|(kind, _)| kind.is_flow())
        .map(|&(_, key)| key as Ix)
        .collect();
    let namesakes_of = namesakes(d, &parties);

    // Features → links. A pair's strength sums its links, each kind capped at the kind's own
    // strength: two spellings of one forwarder (or two shared forwarders) are not twice the
    // evidence of one.
    let mut per_kind: HashMap<(Ix, Ix), Vec<PairLink>> = HashMap::default();
    for ((kind, key), f) in &features {
        let k = f.members.len();
        if k < 2 {
            continue;
        }
        // The same end user is the rule's aggregation unit, not evidence of control, and an
        // owner controls whatever it owns however many: undamped (nominees are for the
        // nominee rule, not for damping, which is for what many may share by chance).
        let mut strength = if matches!(kind, LinkKind::EndUser | LinkKind::Owner) {
            kind.strength(p)
        } else {
            kind.strength(p) * damp(k, g.damp_from)
        };
        let namesakes = if kind.is_flow() {
            namesakes_of.get(&(*key as Ix)).copied().unwrap_or(0)
        } else {
            0
        };
        if namesakes > 0 {
            strength *= g.namesake_party;
        }
        if strength <= 0.0 {
            continue;
        }
        let (via, value) = match kind {
            LinkKind::Address => (
                NONE,
                contact_value
                    .get(&(ContactKind::Address, *key))
                    .copied()
                    .unwrap_or("")
                    .to_string(),
            ),
            LinkKind::Phone => (
                NONE,
                contact_value
                    .get(&(ContactKind::Phone, *key))
                    .copied()
                    .unwrap_or("")
                    .to_string(),
            ),
            LinkKind::Email => (
                NONE,
                contact_value
                    .get(&(ContactKind::Email, *key))
                    .copied()
                    .unwrap_or("")
                    .to_string(),
            ),
            LinkKind::RelatedController => (NONE, format!("{}~{}", (key >> 32) as Ix, *key as u32)),
            _ => (*key as Ix, String::new()),
        };
        if g.party_share > 0.0 {
            let members: Vec<Ix> = if kind.is_flow() {
                f.habitual.iter().copied().collect()
            } else {
                f.members.keys().copied().collect()
            };
            if members.len() >= PARTY_MIN {
                out.parties.push(PartyGroup {
                    kind: *kind,
                    via,
                    value: value.clone(),
                    members,
                    nominee: false,
                });
            }
        }
        let template = Link {
            a: NONE,
            b: NONE,
            kind: *kind,
            via,
            value,
            strength,
            shared_by: k as u32,
            namesakes,
            nominee: false,
            evidence: Vec::new(),
        };
        for l in pair_links(&f.members, &template) {
            per_kind
                .entry((l.a, l.b))
                .or_default()
                .push((*kind, via, strength));
            out.links.push(l);
        }
    }
    // A nominee makes no link, but the nodes one directs or officers are a hypothesis like any
    // shared party's (the least specific: see `alert::new_hypotheses`), up to `flow_hub` of them
    // as for a shipment party; its ties are kept at strength 0 as the group's evidence.
    if g.party_share > 0.0 {
        for ((x, kind), f) in nominee_nodes {
            let k = f.members.len();
            if k < PARTY_MIN || k > g.flow_hub as usize {
                continue;
            }
            let template = Link {
                a: NONE,
                b: NONE,
                kind,
                via: x,
                value: String::new(),
                strength: 0.0,
                shared_by: k as u32,
                namesakes: 0,
                nominee: true,
                evidence: Vec::new(),
            };
            out.links.extend(pair_links(&f.members, &template));
            out.parties.push(PartyGroup {
                kind,
                via: x,
                value: String::new(),
                members: f.members.into_keys().collect(),
                nominee: true,
            });
        }
    }
    // Each pair's strength: owner, director and officer ties count together as one "control"
    // tie, every other kind is capped at its own strength.
    for (pair, links) in per_kind {
        out.pair.insert(pair, pair_strength(p, &links));
    }
    // Possible matches between records of two nodes: upper bound only.
    let mut possible_pairs: Vec<(Ix, Ix)> = Vec::new();
    for pm in &d.possible {
        if is_node[pm.a as usize]
            && is_node[pm.b as usize]
            && pm.probability >= g.possible_match_min
        {
            let (a, b) = (pm.a.min(pm.b), pm.a.max(pm.b));
            possible_pairs.push((a, b));
            let st = p.groups.strength.possible_match;
            let e = out.pair.entry((a, b)).or_default();
            *e += st;
            out.links.push(Link {
                a,
                b,
                kind: LinkKind::PossibleMatch,
                via: NONE,
                value: format!(
                    "records {} ~ {} (p = {:.2})",
                    pm.record_a, pm.record_b, pm.probability
                ),
                strength: p.groups.strength.possible_match,
                shared_by: 2,
                namesakes: 0,
                nominee: false,
                evidence: vec![d.entity(pm.a).first, d.entity(pm.b).first],
            });
        }
    }

    for (i, l) in out.links.iter().enumerate() {
        out.links_of.entry(l.a).or_default().push(i);
        out.links_of.entry(l.b).or_default().push(i);
    }
    // Partitions.
    let index: HashMap<Ix, u32> = out
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &n)| (n, i as u32))
        .collect();
    let mut lower = crate::resolve::cluster::UnionFind::new(out.nodes.len());
    let mut pairs: Vec<(&(Ix, Ix), &f64)> = out.pair.iter().collect();
    pairs.sort_by_key(|(k, _)| **k);
    let mut weak: Vec<(u32, u32, f64)> = Vec::new();
    for (&(a, b), &s) in pairs {
        let (ia, ib) = (index[&a], index[&b]);
        if s >= g.strong {
            lower.union(ia, ib);
        } else if s >= g.possible {
            weak.push((ia, ib, s));
        }
    }
    for (a, b) in possible_pairs {
        let s = out.pair.get(&(a, b)).copied().unwrap_or(0.0);
        weak.push((index[&a], index[&b], s));
    }
    for &(a, b, _) in &weak {
        if lower.find(a) != lower.find(b) {
            let (x, y) = (out.nodes[a as usize], out.nodes[b as usize]);
            out.weak_of.entry(x).or_default().push(y);
            out.weak_of.entry(y).or_default().push(x);
        }
    }
    for v in out.weak_of.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    let mut upper = lower.clone();
    for (x, y) in upper_attachments(&mut lower, &weak) {
        upper.union(x, y);
    }
    let (lg, lo) = partition(d, &out.nodes, &mut lower);
    let (ug, uo) = partition(d, &out.nodes, &mut upper);
    out.lower = lg;
    out.lower_of = lo;
    out.upper = ug;
    out.upper_of = uo;
    out
}

/// The upper bound's joins: which lower groups (by union-find root) weak or possible links
/// join, as pairs to union.
///
/// The rule: **an upper group has weak-link diameter at most 2** — every two lower groups in it
/// are tied by a weak link, or are both tied to a third lower group of the same upper group.
/// Links between lower groups are taken strongest first (at equal strength those whose ends
/// share more weak neighbours, then by group), and the upper groups
/// of their two ends are merged when the merged group keeps that property. So a star (a group
/// and the groups one weak link away) and a clique of fronts tied by equal weak links (six
/// fronts sharing one phone) each end in one upper group, whatever order their links come in,
/// while a chain A ~ B ~ C ~ D never puts A with D, and two stars tied hub to hub stay apart.
/// An upper group lies within two weak hops of each of its lower groups, so it cannot
/// percolate: union-find over every weak link once joined 33,786 entities of a 1M-shipment
/// store (and 2,141 of a 10k-company store) into one upper group, whose total bounded nothing.
///
/// # Complexity
/// O(W log W) to sort the W links between lower groups, plus, per merge attempt of upper groups
/// A and B, O(|A|·|B|·d log d) for d weak neighbours per group, stopping at the first pair more
/// than two hops apart; a failed pair of groups is not tried again until one of them grows.
fn upper_attachments(
    lower: &mut crate::resolve::cluster::UnionFind,
    weak: &[(u32, u32, f64)],
) -> Vec<(u32, u32)> {
    // The strongest link between each pair of lower groups.
    let mut best: BTreeMap<(u32, u32), f64> = BTreeMap::new();
    for &(a, b, s) in weak {
        let (x, y) = (lower.find(a), lower.find(b));
        if x != y {
            let e = best.entry((x.min(y), x.max(y))).or_insert(s);
            *e = e.max(s);
        }
    }
    let mut adj: HashMap<u32, Vec<u32>> = HashMap::default();
    for &(x, y) in best.keys() {
        adj.entry(x).or_default().push(y);
        adj.entry(y).or_default().push(x);
    }
    for v in adj.values_mut() {
        v.sort_unstable();
    }
    let none: Vec<u32> = Vec::new();
    let neighbours = |x: u32| adj.get(&x).unwrap_or(&none);
    // Strongest first; at equal strength, links whose ends share more weak neighbours (inside a
    // clique) before bridges between two neighbourhoods; then by group.
    let mut links: Vec<(u32, u32, f64, usize)> = best
        .into_iter()
        .map(|((x, y), s)| (x, y, s, common(neighbours(x), neighbours(y))))
        .collect();
    links.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then(b.3.cmp(&a.3))
            .then((a.0, a.1).cmp(&(b.0, b.1)))
    });
    // Upper group of each lower group (absent: on its own), members and version of each.
    let mut of: HashMap<u32, u32> = HashMap::default();
    let mut members: HashMap<u32, Vec<u32>> = HashMap::default();
    let mut version: HashMap<u32, u32> = HashMap::default();
    let mut failed: HashSet<(u32, u32, u32, u32)> = HashSet::default();
    let mut out = Vec::new();
    for (x, y, _, _) in links {
        let (cx, cy) = (*of.get(&x).unwrap_or(&x), *of.get(&y).unwrap_or(&y));
        if cx == cy {
            continue;
        }
        let key = {
            let (vx, vy) = (
                *version.get(&cx).unwrap_or(&0),
                *version.get(&cy).unwrap_or(&0),
            );
            if cx < cy {
                (cx, vx, cy, vy)
            } else {
                (cy, vy, cx, vx)
            }
        };
        if failed.contains(&key) {
            continue;
        }
        let (one_x, one_y) = ([cx], [cy]);
        let mx: &[u32] = members.get(&cx).map_or(&one_x, Vec::as_slice);
        let my: &[u32] = members.get(&cy).map_or(&one_y, Vec::as_slice);
        let inside = |c: u32| {
            let g = *of.get(&c).unwrap_or(&c);
            g == cx || g == cy
        };
        let within_two = |a: u32, b: u32| {
            let (na, nb) = (neighbours(a), neighbours(b));
            na.binary_search(&b).is_ok()
                || na
                    .iter()
                    .any(|&c| inside(c) && nb.binary_search(&c).is_ok())
        };
        if !mx.iter().all(|&a| my.iter().all(|&b| within_two(a, b))) {
            failed.insert(key);
            continue;
        }
        // The larger group keeps its id (ties: the smaller id), the other's members move.
        let (keep, gone) = if (mx.len(), cy) > (my.len(), cx) {
            (cx, cy)
        } else {
            (cy, cx)
        };
        let moved = members.remove(&gone).unwrap_or_else(|| vec![gone]);
        for &m in &moved {
            of.insert(m, keep);
        }
        members
            .entry(keep)
            .or_insert_with(|| vec![keep])
            .extend(moved);
        *version.entry(keep).or_default() += 1;
        out.push((x, y));
    }
    out
}

/// How many elements two sorted slices share.
fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn partition(
    d: &Data,
    nodes: &[Ix],
    uf: &mut crate::resolve::cluster::UnionFind,
) -> (Vec<Group>, HashMap<Ix, usize>) {
    let mut by_root: BTreeMap<u32, Vec<Ix>> = BTreeMap::new();
    for (i, &n) in nodes.iter().enumerate() {
        by_root.entry(uf.find(i as u32)).or_default().push(n);
    }
    let mut groups: Vec<Group> = by_root
        .into_values()
        .map(|mut members| {
            members.sort_by_key(|&m| d.entity(m).id);
            Group {
                id: d.entity(members[0]).id,
                members,
            }
        })
        .collect();
    groups.sort_by_key(|g| g.id);
    let mut of = HashMap::default();
    for (gi, g) in groups.iter().enumerate() {
        for &m in &g.members {
            of.insert(m, gi);
        }
    }
    (groups, of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testutil::*;

    #[test]
    fn a_payer_whose_name_other_registered_firms_bear_is_marked_and_discounted() {
        let world = |factor: f64, payer_registered: bool| {
            let mut w = World::new();
            w.policy.groups.namesake_party = factor;
            let (a, b) = (w.company("A", "SG"), w.company("B", "MY"));
            let payer = w.company("Falcon Networks Co., Ltd.", "TH");
            // A namesake: another registered Thai firm of the same name, legal form aside.
            w.company("FALCON NETWORKS COMPANY LIMITED", "TH");
            // Not a namesake: another word, or another country.
            w.company("Falcon Networks Trading Co., Ltd.", "TH");
            w.company("Falcon Networks Co., Ltd.", "VN");
            if !payer_registered {
                w.d.entities[payer as usize].keys.clear();
            }
            for x in [a, b] {
                w.line(x).payer(payer).h100(100.0).push();
            }
            let (d, p) = w.data();
            (build(&d, &p), a, b)
        };
        let payer_link = |g: &Groups| {
            g.links
                .iter()
                .find(|l| l.kind == LinkKind::Payer)
                .cloned()
                .expect("a payer link")
        };
        // Marked, and at factor 1 still decisive.
        let (g, a, b) = world(1.0, true);
        assert_eq!(payer_link(&g).namesakes, 1);
        assert_eq!(g.lower_of[&a], g.lower_of[&b]);
        // Discounted, it is a weak tie: upper bound only.
        let (g, a, b) = world(0.75, true);
        assert!((payer_link(&g).strength - 0.75).abs() < 1e-9);
        assert_ne!(g.lower_of[&a], g.lower_of[&b]);
        assert_eq!(g.upper_of[&a], g.upper_of[&b]);
        // A payer known only from shipment lines with one registered firm of its name is most
        // likely that firm's mentions left apart: no namesake.
        let (g, _, _) = world(0.75, false);
        assert_eq!(payer_link(&g).namesakes, 0);
    }

    #[test]
    fn a_common_owner_of_many_is_not_damped_a_common_phone_is() {
        let mut w = World::new();
        let owned: Vec<Ix> = (0..12).map(|i| w.company(&format!("O{i}"), "HK")).collect();
        let phoned: Vec<Ix> = (0..12).map(|i| w.company(&format!("T{i}"), "HK")).collect();
        let owner = w.person("Owner");
        for (i, &c) in owned.iter().enumerate() {
            w.rel(owner, c, "owner", Some(100.0));
            w.address(c, &format!("{} Nathan Road", i + 1));
            w.line(c).h100(100.0).push();
        }
        for (i, &c) in phoned.iter().enumerate() {
            w.phone(c, "+852 2000 0001");
            w.address(c, &format!("{} Queen's Road", i + 1));
            w.line(c).h100(100.0).push();
        }
        let (d, p) = w.data();
        let g = build(&d, &p);
        let strength = |kind: LinkKind| {
            g.links
                .iter()
                .find(|l| l.kind == kind)
                .map(|l| l.strength)
                .unwrap()
        };
        assert_eq!(strength(LinkKind::Owner), p.groups.strength.owner);
        assert!(
            strength(LinkKind::Phone) < p.groups.strength.phone,
            "damped over damp_from"
        );
        // The owner's twelve are one upper group (weak ties, a clique); the phone's are not.
        assert!(owned.iter().all(|c| g.upper_of[c] == g.upper_of[&owned[0]]));
        assert!(
            phoned
                .iter()
                .any(|c| g.upper_of[c] != g.upper_of[&phoned[0]])
        );
    }

    #[test]
    fn shared_payer_and_notify_group_fronts_but_a_forwarder_alone_does_not() {
        let mut w = World::new();
        let (a, b, c) = (
            w.company("A", "SG"),
            w.company("B", "MY"),
            w.company("C", "TH"),
        );
        let (payer, notify, fwd) = (
            w.company("P", "HK"),
            w.company("N", "HK"),
            w.company("F", "SG"),
        );
        for x in [a, b] {
            for _ in 0..3 {
                w.line(x)
                    .payer(payer)
                    .notify(notify)
                    .forwarder(fwd)
                    .h100(100.0)
                    .push();
            }
        }
        for _ in 0..3 {
            w.line(c).forwarder(fwd).h100(100.0).push();
        }
        let (d, p) = w.data();
        let g = build(&d, &p);
        assert_eq!(g.lower_of[&a], g.lower_of[&b]);
        assert_ne!(
            g.lower_of[&a], g.lower_of[&c],
            "a shared forwarder is not common control"
        );
    }

    #[test]
    fn nominee_director_and_mass_address_make_no_link_but_a_real_owner_does() {
        let mut w = World::new();
        let cos: Vec<Ix> = (0..6).map(|i| w.company(&format!("V{i}"), "SG")).collect();
        let nominee = w.person("Nominee");
        for &c in &cos {
            w.rel(nominee, c, "director", None);
            w.address(c, "160 Robinson Road #14-04 SBF Center");
            w.line(c).h100(100.0).push();
        }
        let owner = w.person("Owner");
        w.rel(owner, cos[0], "owner", Some(60.0));
        w.rel(owner, cos[1], "owner", Some(30.0));
        let (d, p) = w.data();
        let g = build(&d, &p);
        assert_eq!(
            g.lower_of[&cos[0]], g.lower_of[&cos[1]],
            "common owner ≥ 25 %"
        );
        for &c in &cos[2..] {
            assert_ne!(g.lower_of[&cos[0]], g.lower_of[&c]);
        }
        assert!(
            g.nominees.contains(&nominee),
            "most of them at one agent's address"
        );
        assert!(g.mass_address.contains(&cos[3]));
    }

    #[test]
    fn a_controller_directing_a_few_fronts_links_them_a_nominee_of_many_does_not() {
        let mut w = World::new();
        let fronts: Vec<Ix> = (0..6).map(|i| w.company(&format!("F{i}"), "SG")).collect();
        let controller = w.person("Controller");
        let many: Vec<Ix> = (0..12).map(|i| w.company(&format!("M{i}"), "MY")).collect();
        let nominee = w.person("Nominee");
        for (i, &c) in fronts.iter().enumerate() {
            w.rel(controller, c, "director", None);
            w.address(c, &format!("{} Orchard Road", 10 + i));
            w.phone(c, "+65 6000 0001"); // with the director, a strong tie
            w.line(c).h100(100.0).push();
        }
        for (i, &c) in many.iter().enumerate() {
            w.rel(nominee, c, "director", None);
            w.address(c, &format!("{} Jalan Ampang", 10 + i));
            w.phone(c, "+60 3000 0001");
            w.line(c).h100(100.0).push();
        }
        let (d, p) = w.data();
        let g = build(&d, &p);
        assert!(!g.nominees.contains(&controller));
        assert!(g.nominees.contains(&nominee), "12 ≥ nominee_directorships");
        assert!(
            fronts
                .iter()
                .all(|c| g.lower_of[c] == g.lower_of[&fronts[0]])
        );
        assert!(
            many.iter()
                .all(|c| g.lower_of[c] != g.lower_of[&many[0]] || *c == many[0])
        );
    }

    #[test]
    fn upper_bound_adds_possible_matches() {
        let mut w = World::new();
        let (a, b) = (w.company("A", "SG"), w.company("A2", "SG"));
        w.line(a).h100(10.0).push();
        w.line(b).h100(10.0).push();
        w.possible(a, b);
        let (d, p) = w.data();
        let g = build(&d, &p);
        assert_ne!(g.lower_of[&a], g.lower_of[&b]);
        assert_eq!(g.upper_of[&a], g.upper_of[&b]);
    }

    #[test]
    fn a_weak_clique_is_one_upper_group_even_when_one_pair_is_tied_tighter() {
        // Six fronts share one phone (0.6 < strong: six lower groups); two of them also share a
        // forwarder, so their pair (0.8) is taken first. Attaching each group to its strongest
        // neighbour first made {F2, F3} one star and the other four another.
        let mut w = World::new();
        let fronts: Vec<Ix> = (0..6).map(|i| w.company(&format!("F{i}"), "SG")).collect();
        let fwd = w.company("Forwarder", "SG");
        for (i, &f) in fronts.iter().enumerate() {
            w.phone(f, "+6560001234");
            if i == 2 || i == 3 {
                w.line(f).forwarder(fwd).h100(10.0).push();
            } else {
                w.line(f).h100(10.0).push();
            }
        }
        let (d, p) = w.data();
        let g = build(&d, &p);
        let lower: HashSet<usize> = fronts.iter().map(|f| g.lower_of[f]).collect();
        assert_eq!(lower.len(), 6, "a shared phone alone is not a strong link");
        for &f in &fronts {
            assert_eq!(g.upper_of[&f], g.upper_of[&fronts[0]]);
        }
    }

    #[test]
    fn two_weak_stars_tied_hub_to_hub_stay_apart() {
        // Hubs H1 ~ H2, each with three leaves: every leaf of one star is three weak links
        // from the other star's leaves.
        let mut w = World::new();
        let h1 = w.company("H1", "SG");
        let h2 = w.company("H2", "MY");
        w.line(h1).h100(10.0).push();
        w.line(h2).h100(10.0).push();
        w.possible(h1, h2);
        let mut leaves = Vec::new();
        for (h, tag) in [(h1, "a"), (h2, "b")] {
            for i in 0..3 {
                let l = w.company(&format!("L{tag}{i}"), "TH");
                w.line(l).h100(10.0).push();
                w.possible(h, l);
                leaves.push(l);
            }
        }
        let (d, p) = w.data();
        let g = build(&d, &p);
        for &l in &leaves[..3] {
            for &m in &leaves[3..] {
                assert_ne!(g.upper_of[&l], g.upper_of[&m]);
            }
        }
        assert!(g.upper.iter().all(|u| u.members.len() <= 5));
    }

    #[test]
    fn upper_bound_is_one_hop_not_a_chain() {
        // A chain of possible matches A1 ~ A2 ~ … ~ A6: no upper group holds two groups more
        // than two links apart, so the chain's ends are never summed together.
        let mut w = World::new();
        let xs: Vec<Ix> = (0..6).map(|i| w.company(&format!("A{i}"), "SG")).collect();
        for &x in &xs {
            w.line(x).h100(10.0).push();
        }
        for pair in xs.windows(2) {
            w.possible(pair[0], pair[1]);
        }
        let (d, p) = w.data();
        let g = build(&d, &p);
        assert_ne!(g.upper_of[&xs[0]], g.upper_of[&xs[5]]);
        assert!(g.upper.iter().all(|u| u.members.len() <= 3));
        // every link still joins something: no upper group is left a singleton here
        assert!(g.upper.iter().all(|u| u.members.len() >= 2));
    }
}
