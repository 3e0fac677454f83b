//! Clustering: accepted pairs → entities, with a guard against chaining, analyst overrides, and
//! entity ids that stay put across runs.
//!
//! Input: the number of records, the accepted pairs (match probability ≥ the threshold), every
//! scored pair, the override pairs, and a function that scores any pair on demand. Output: one
//! cluster label per record.
//!
//! 1. **Union-find** over the accepted pairs and the `same` overrides gives connected components.
//! 2. **Anti-chaining guard.** Single links chain: A≈B and B≈C put A with C even when A and C
//!    plainly differ. Every component of three or more records (or containing a `different`
//!    override) is re-clustered by *average linkage* on match probability: starting from the
//!    `same`-override groups, the two clusters with the highest average pairwise probability
//!    merge, as long as that average is at least [`LINKAGE_MIN`] and no `different` override
//!    separates them. The rule in words: *a record joins a cluster only if it is, on average,
//!    more likely than not to be the same as the cluster's members*. Components of up to
//!    [`FULL_LINKAGE_MAX`] records are scored on every pair (missing pairs are compared on the
//!    spot); larger ones use the pairs blocking produced.
//! 3. **Overrides** win: `same` pairs start in one cluster and are never split; `different`
//!    pairs never end in one cluster.
//! 4. **Registered apart.** Two entries of one registry (the same parties file) whose
//!    registration ids have none in common — numbered alike, or registered in two countries
//!    (see [`Registered::apart`]) — are two legal entities, and never end in one cluster unless
//!    an analyst says `same`: a registry lists each company once, under its own number.
//!    Sibling firms at one suite ("Lumlinkview Supply Chain Co., Ltd." and "Lumlinkview Realty
//!    (Thailand) Company Limited", one address, one phone) otherwise merge: EM learns from the
//!    co-located firms among candidate pairs that registration ids often differ within its match
//!    class, so a differing id weighs almost nothing against an agreeing suite. Components
//!    holding such a pair are guarded like those with a `different` override; after linkage,
//!    each other record there goes with the entry it is most alike (see `to_nearest_entry`).
//!    The rule trusts a source's numbers; a source whose numbers carry typing errors is not a
//!    registry in this sense, and its entries are left to the model (see [`noisy_id_sources`]).
//!
//! 5. **Sole candidate.** After clustering, an entity made only of shipment mentions of an
//!    organisation joins the one listed entity (holding a registry, screening-list or dataset
//!    record) it could be — when its best pair with that entity is at least
//!    [`SOLE_CANDIDATE_MIN`] likely and no other listed entity has a pair at the possible-match
//!    threshold (see [`attach_mentions`]).
//!
//! The result does not depend on the order of the input pairs or on the number of threads:
//! pairs are sorted first, components are processed independently and merged in component
//! order, and ties are broken by record index.

use std::collections::{BTreeMap, BinaryHeap, HashMap};

use rayon::prelude::*;

/// Average match probability two clusters need to merge in the guard: more likely than not.
pub const LINKAGE_MIN: f64 = 0.5;
/// A pair at least this likely (odds 9,999 to 1, a weight of 13.3 bits: an exact rare name with a
/// shared registration id, say) starts the guard in one cluster, like a `same` override. Average
/// linkage alone would split a record that its own registry entry identifies beyond doubt but
/// that reads differently from the cluster's other spellings (a Chinese-only name among English
/// shipment mentions).
pub const CERTAIN: f64 = 0.9999;
/// Components up to this size are scored on every pair in the guard (≤ 44,850 comparisons,
/// a few milliseconds); larger components use only blocked pairs.
pub const FULL_LINKAGE_MAX: usize = 300;

/// In fully scored components, pairs below this probability are left out of the linkage sums
/// (they still count in the denominators, which come from the cluster sizes): dropping them
/// changes an average by less than 0.001 and keeps the linkage sparse.
pub const NEGLIGIBLE: f64 = 1e-3;

/// Union-find with path halving and union by smaller index (deterministic roots).
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = self.parent[x as usize];
        }
        x
    }

    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.parent[hi as usize] = lo;
        }
    }
}

/// Analyst decisions, as record indexes, and the registry entries that may not merge.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub same: Vec<(u32, u32)>,
    pub different: Vec<(u32, u32)>,
    /// Per record index, its identity if it is a registry entry with a registration id (empty
    /// when no record is): see [`Registered::apart`].
    pub registered: Vec<Option<Registered>>,
}

/// How much the lengths of two registration ids of one numbering scheme may differ: a number
/// that grew a digit over the years ("HRB 97397", "HRB 238961"), a check letter written or
/// not. Ids of two schemes (a tax number, a company number) usually differ more.
pub const ID_LENGTH_SLACK: usize = 2;

/// A registry entry's identity: the source (parties file) it was read from, its country and its
/// normalised registration ids (see `normalize::registration_id`), sorted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Registered {
    pub source: i64,
    pub country: Option<String>,
    pub ids: Vec<String>,
}

impl Registered {
    /// Whether two entries are registered apart: listed by the same registry with no
    /// registration id in common, and either registered in two countries or numbered alike
    /// (two ids whose lengths differ by at most [`ID_LENGTH_SLACK`]: "0105561000001" and
    /// "0105643068227", "HRB 97397" and "HRB 238961"), so two legal entities. Entries of
    /// different sources, or of one country whose ids differ in length more (a 9-digit tax
    /// number beside a 20-character company number), may be one company numbered twice in two
    /// schemes, and are left to the model.
    ///
    /// Ids one [slip](one_slip) apart are not taken as two numbers: that is how one number is
    /// mistyped, and a registry exported with data-entry errors lists a company twice that way.
    pub fn apart(&self, other: &Registered) -> bool {
        if self.source != other.source || self.ids.iter().any(|x| other.ids.contains(x)) {
            return false;
        }
        if let (Some(a), Some(b)) = (&self.country, &other.country) {
            if a != b {
                return true;
            }
        }
        let pairs = || {
            self.ids
                .iter()
                .flat_map(|x| other.ids.iter().map(move |y| (x, y)))
        };
        !pairs().any(|(x, y)| one_slip(x, y))
            && pairs().any(|(x, y)| x.len().abs_diff(y.len()) <= ID_LENGTH_SLACK)
    }
}

/// Probability from which a pair of one source's entries counts as strongly matching in
/// [`noisy_id_sources`]: well above the acceptance threshold, so pairs the model is sure of on
/// everything but the number.
pub const NOISY_ID_MIN_P: f64 = 0.9;
/// Least number of near-miss pairs that marks a source noisy: one or two can be chance.
pub const NOISY_ID_MIN_PAIRS: u64 = 3;
/// Least share of near misses among the strongly matching pairs with different ids that marks a
/// source noisy. In a registry with reliable numbers these pairs are sibling firms, numbered
/// independently, and two random numbers of seven or more characters are within two edits in
/// fewer than one pair in a thousand. One in ten is far above chance.
pub const NOISY_ID_MIN_SHARE: f64 = 0.1;

/// How a source's registration ids behave among its strongly matching entry pairs (probability
/// at least [`NOISY_ID_MIN_P`]) that share no id.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdNoise {
    pub source: i64,
    /// Pairs whose ids are within two edits (a typing error or two) — apart from numbers that
    /// differ only in their last two characters (consecutive registrations).
    pub near: u64,
    /// Pairs whose ids differ more.
    pub far: u64,
}

/// The sources whose registration ids carry typing errors, so that two numbers do not make two
/// legal entities (see [`Registered::apart`]). A registry's numbers are exact: its strongly
/// matching pairs that differ in number are sibling firms, with unrelated numbers. In a source
/// whose numbers are mistyped, the same company's entries differ by a slip or two ("2204911" /
/// "2204711"). A source is noisy when at least [`NOISY_ID_MIN_PAIRS`] such near misses are found
/// and they are at least [`NOISY_ID_MIN_SHARE`] of its pairs that differ. Measured on the Febrl
/// data (an outside generator of people records with corrupted identifiers): 13 near and 15
/// far in its 1,000-record set, 326 and 248 in a 5,000-record set; on generated registries 0
/// near among 1 to 25 far.
///
/// # Complexity
/// O(pairs), plus an edit distance per strongly matching pair of entries.
pub fn noisy_id_sources(
    pairs: &[(u32, u32)],
    prob: impl Fn(usize) -> f64,
    registered: &[Option<Registered>],
) -> Vec<IdNoise> {
    let mut by_source: BTreeMap<i64, IdNoise> = BTreeMap::new();
    // most records are not registry entries: a compact mask skips their pairs without reading
    // the entries themselves (20 million pairs at a million records)
    let is_entry: Vec<bool> = registered.iter().map(Option::is_some).collect();
    for (i, &(a, b)) in pairs.iter().enumerate() {
        if !(is_entry[a as usize] && is_entry[b as usize]) {
            continue;
        }
        let (Some(x), Some(y)) = (&registered[a as usize], &registered[b as usize]) else {
            continue;
        };
        if x.source != y.source
            || x.ids.iter().any(|v| y.ids.contains(v))
            || prob(i) < NOISY_ID_MIN_P
        {
            continue;
        }
        let consecutive = |u: &str, v: &str| {
            u.len() == v.len() && u.len() > 2 && u[..u.len() - 2] == v[..v.len() - 2]
        };
        let near = x.ids.iter().any(|u| {
            y.ids
                .iter()
                .any(|v| !consecutive(u, v) && strsim::osa_distance(u, v) <= 2)
        });
        let e = by_source.entry(x.source).or_insert_with(|| IdNoise {
            source: x.source,
            ..IdNoise::default()
        });
        if near {
            e.near += 1;
        } else {
            e.far += 1;
        }
    }
    by_source
        .into_values()
        .filter(|n| {
            n.near >= NOISY_ID_MIN_PAIRS
                && n.near as f64 >= NOISY_ID_MIN_SHARE * (n.near + n.far) as f64
        })
        .collect()
}

/// Whether two different registration ids are one typing slip apart: a character dropped or
/// added (anywhere: a check letter written or not), or two neighbours swapped or one character
/// wrong — but not in the last two characters. There consecutive numbers differ ("…0007" /
/// "…0008"): firms registered one after the other, as a formation agent registers a batch of
/// shells, are distinct legal entities however alike their names and addresses.
pub fn one_slip(x: &str, y: &str) -> bool {
    let (x, y) = (x.as_bytes(), y.as_bytes());
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    if long.len() - short.len() > 1 || x == y {
        return false;
    }
    let first = short.iter().zip(long).take_while(|(a, b)| a == b).count();
    let tail = |n: usize| short[short.len() - n..] == long[long.len() - n..];
    if short.len() < long.len() {
        // one dropped: what follows the first difference lines up shifted by one
        return tail(short.len() - first);
    }
    let last = long.len()
        - 1
        - short
            .iter()
            .rev()
            .zip(long.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
    if first + 2 >= long.len() {
        return false;
    }
    last == first || (last == first + 1 && short[first] == long[last] && short[last] == long[first])
}

/// Whether some entry of `a` is registered apart from some entry of `b`.
fn any_apart(a: &[&Registered], b: &[&Registered]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.apart(y)))
}

/// What the guard did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ClusterStats {
    /// Components re-clustered by the guard.
    pub guarded_components: u64,
    /// Components the guard split into more than one cluster.
    pub split_components: u64,
    /// Components holding two registry entries registered apart (see [`Registered::apart`]).
    pub registered_apart: u64,
    /// Entities of shipment mentions joined to their sole candidate (see [`attach_mentions`]).
    pub attached_mentions: u64,
    /// Sources whose registration ids were read as noisy (see [`noisy_id_sources`]).
    pub noisy_id_sources: Vec<IdNoise>,
}

/// The probability a shipment-mention entity's best pair with its sole candidate needs (see
/// [`attach_mentions`]): more likely than not, like [`LINKAGE_MIN`].
///
/// Why a second, lower bar for these: a bill of lading names a party by name (and often a
/// country) only. Among a million records the words of most names recur in other firms' names,
/// so an exact name with an agreeing country stays under the merge threshold ("Radfield
/// Networks" (AE) against "Radfield Networks FZE" (AE): 0.66), although one firm of that name
/// is registered in that country and no other is near. The pairwise model cannot see that no
/// other party is near; the rule does. Measured on generated data (pairwise, threshold 0.7):
/// 103k records P/R 0.991/0.942 → 0.981/0.966; 1.03M 0.973/0.848 → 0.958/0.902 (see
/// BENCHMARKS.md).
pub const SOLE_CANDIDATE_MIN: f64 = 0.5;

/// Where each record comes from, as [`attach_mentions`] reads it.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// Record i is an organisation's shipment mention.
    pub mention: &'a [bool],
    /// Record i is a registry, screening-list or dataset record.
    pub listed: &'a [bool],
}

/// Joins each entity of organisation shipment mentions to its sole candidate: the one listed
/// entity (one holding a record that is not a shipment mention) it has a pair with at the
/// `possible` threshold or above, when the best such pair is at least [`SOLE_CANDIDATE_MIN`]
/// likely and no `different` override lies between them. An entity with two or more listed
/// candidates is ambiguous (namesakes) and stays apart; so do people (a shared name says little
/// of a person) and entities holding a listed record.
///
/// `score(a, b)` gives the probability of any pair (see [`as_a_whole`]). `labels` are updated
/// (each record again labelled with the smallest index of its cluster). Returns the pair that
/// joined each attached entity, in order, for the merge evidence.
///
/// # Complexity
/// O(p) over the p scored pairs, O(n) to gather members and relabel, and at most
/// [`WHOLE_MAX`] comparisons per entity that has a sole candidate.
pub fn attach_mentions(
    labels: &mut [u32],
    records: Sources,
    scored: &[(u32, u32)],
    prob: impl Fn(usize) -> f64,
    possible: f64,
    different: &[(u32, u32)],
    score: impl Fn(u32, u32) -> f64,
) -> Vec<(u32, u32)> {
    let Sources { mention, listed } = records;
    let n = labels.len();
    let (mut only_mentions, mut holds_listed) = (vec![true; n], vec![false; n]);
    for i in 0..n {
        let l = labels[i] as usize;
        only_mentions[l] &= mention[i];
        holds_listed[l] |= listed[i];
    }
    struct Best {
        target: u32,
        p: f64,
        pair: (u32, u32),
        rivals: bool,
    }
    let mut best: BTreeMap<u32, Best> = BTreeMap::new();
    for (i, &(a, b)) in scored.iter().enumerate() {
        let (la, lb) = (labels[a as usize], labels[b as usize]);
        if la == lb {
            continue;
        }
        for (m, k) in [(la, lb), (lb, la)] {
            if !only_mentions[m as usize] || !holds_listed[k as usize] {
                continue;
            }
            let p = prob(i);
            if p < possible {
                continue;
            }
            match best.get_mut(&m) {
                None => {
                    best.insert(
                        m,
                        Best {
                            target: k,
                            p,
                            pair: (a, b),
                            rivals: false,
                        },
                    );
                }
                Some(x) if x.target != k => x.rivals = true,
                Some(x) if p > x.p => (x.p, x.pair) = (p, (a, b)),
                Some(_) => {}
            }
        }
    }
    let apart: std::collections::HashSet<(u32, u32)> = different
        .iter()
        .map(|&(a, b)| {
            let (x, y) = (labels[a as usize], labels[b as usize]);
            (x.min(y), x.max(y))
        })
        .collect();
    // the members of each entity that may be joined, in index order
    let mut members: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, &l) in labels.iter().enumerate() {
        if best.contains_key(&l) {
            members.entry(l).or_default().push(i as u32);
        }
    }
    let mut to: HashMap<u32, u32> = HashMap::new();
    let mut joined = Vec::new();
    for (m, x) in best {
        let party = if labels[x.pair.0 as usize] == m {
            x.pair.1
        } else {
            x.pair.0
        };
        if !x.rivals
            && x.p >= SOLE_CANDIDATE_MIN
            && !apart.contains(&(m.min(x.target), m.max(x.target)))
            && as_a_whole(&members[&m], |i| score(i, party))
        {
            to.insert(m, x.target);
            joined.push(x.pair);
        }
    }
    for l in labels.iter_mut() {
        if let Some(&k) = to.get(l) {
            *l = k;
        }
    }
    // each cluster labelled again by its smallest index
    let mut first: HashMap<u32, u32> = HashMap::new();
    for (i, l) in labels.iter_mut().enumerate() {
        *l = *first.entry(*l).or_insert(i as u32);
    }
    joined
}

/// Most members of an entity of mentions read against its sole candidate (see [`as_a_whole`]):
/// a firm named on a thousand bills of lading is judged on its first 64 records, in index order.
pub const WHOLE_MAX: usize = 64;

/// Whether an entity of mentions could be its sole candidate as a whole, not through one of its
/// members only: the mean probability of its members (the first [`WHOLE_MAX`]) against the
/// listed record of the best pair is at least [`SOLE_CANDIDATE_MIN`]. Eight mentions of
/// "Shanghai Jiada Import & Export Enterprise" and two misspelt "Jiafa Import & Export
/// Enterprise" (one entity, at one address) had one listed candidate, 深圳市嘉富进出口元器件
/// (Shenzhen Jiafu), through "Jiafa" (p 0.73): the rule joined all ten to it.
fn as_a_whole(members: &[u32], p: impl Fn(u32) -> f64) -> bool {
    let read = &members[..members.len().min(WHOLE_MAX)];
    let mean = read.iter().map(|&i| p(i)).sum::<f64>() / read.len().max(1) as f64;
    mean >= SOLE_CANDIDATE_MIN
}

/// Clusters `n` records. `accepted` are pairs of indexes with their probability; `scored` are
/// all blocked pairs (including the accepted ones), whose probability `scored_prob(i)` gives by
/// position; `score(a, b)` gives the probability of any pair.
/// Returns for each record the smallest index in its cluster.
///
/// # Complexity
/// O(p α(n)) for union-find over p pairs. The guard scores the k²/2 pairs of a component of
/// k ≤ [`FULL_LINKAGE_MAX`] records; its agglomeration over e links costs O(e log e) plus, per
/// merge, the merged cluster's links re-scored (a heap with lazy deletion, not a scan of every
/// link: a scan made large components quadratic).
pub fn cluster<F, G>(
    n: usize,
    accepted: &[(u32, u32, f64)],
    scored: &[(u32, u32)],
    scored_prob: G,
    overrides: &Overrides,
    score: F,
) -> (Vec<u32>, ClusterStats)
where
    F: Fn(u32, u32) -> f64 + Sync,
    G: Fn(usize) -> f64,
{
    let mut uf = UnionFind::new(n);
    for &(a, b, _) in accepted {
        uf.union(a, b);
    }
    for &(a, b) in &overrides.same {
        uf.union(a, b);
    }
    // members of each component, in index order
    let mut comps: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for i in 0..n as u32 {
        let r = uf.find(i);
        comps.entry(r).or_default().push(i);
    }
    let mut root_of: Vec<u32> = (0..n as u32).map(|i| uf.find(i)).collect();
    let mut diff_by_comp: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    for &(a, b) in &overrides.different {
        if root_of[a as usize] == root_of[b as usize] {
            diff_by_comp
                .entry(root_of[a as usize])
                .or_default()
                .push((a, b));
        }
    }
    let apart: std::collections::HashSet<u32> = comps
        .iter()
        .filter(|(_, m)| holds_apart(m, &overrides.registered))
        .map(|(r, _)| *r)
        .collect();
    let guarded: Vec<(u32, &Vec<u32>)> = comps
        .iter()
        .filter(|(r, m)| m.len() >= 3 || diff_by_comp.contains_key(r) || apart.contains(r))
        .map(|(r, m)| (*r, m))
        .collect();
    // scored pairs inside guarded components of the sparse kind
    let mut big = vec![false; n];
    for (r, m) in &comps {
        big[*r as usize] = m.len() > FULL_LINKAGE_MAX;
    }
    let mut sparse: HashMap<u32, Vec<(u32, u32, f64)>> = HashMap::new();
    for (i, &(a, b)) in scored.iter().enumerate() {
        let r = root_of[a as usize];
        if big[r as usize] && r == root_of[b as usize] {
            sparse.entry(r).or_default().push((a, b, scored_prob(i)));
        }
    }
    for &(a, b) in &overrides.same {
        let r = root_of[a as usize];
        if big[r as usize] {
            sparse.entry(r).or_default().push((a.min(b), a.max(b), 1.0));
        }
    }
    // the `same`-override group of every record (its smallest member), computed once
    let same_root: Vec<u32> = {
        let mut g = UnionFind::new(n);
        for &(a, b) in &overrides.same {
            g.union(a, b);
        }
        (0..n as u32).map(|i| g.find(i)).collect()
    };
    // each guarded component in pieces small enough to score fully (see `tighten`)
    let pieces: Vec<Vec<Piece>> = guarded
        .par_iter()
        .map(|(r, members)| match sparse.get(r) {
            Some(edges) if members.len() > FULL_LINKAGE_MAX => tighten(members, edges),
            _ => vec![Piece {
                members: members.to_vec(),
                edges: Vec::new(),
            }],
        })
        .collect();
    let results: Vec<Vec<(u32, u32)>> = guarded
        .par_iter()
        .zip(&pieces)
        .map(|((r, _), pieces)| {
            let diff = diff_by_comp.get(r).map_or(&[][..], |v| &v[..]);
            let registered = if apart.contains(r) {
                &overrides.registered[..]
            } else {
                &[][..]
            };
            let mut labels = Vec::new();
            for piece in pieces {
                let members = &piece.members;
                let full = members.len() <= FULL_LINKAGE_MAX;
                let edges: Vec<(u32, u32, f64)> = if full {
                    let mut e = Vec::new();
                    for (i, &a) in members.iter().enumerate() {
                        for &b in &members[i + 1..] {
                            let p = score(a, b);
                            if p >= NEGLIGIBLE {
                                e.push((a, b, p));
                            }
                        }
                    }
                    e
                } else {
                    piece.edges.clone()
                };
                let rules = Rules {
                    diff,
                    same_root: &same_root,
                    registered,
                };
                labels.extend(average_linkage(members, &edges, full, &rules));
            }
            labels.sort_unstable();
            labels
        })
        .collect();
    let mut stats = ClusterStats {
        registered_apart: apart.len() as u64,
        ..ClusterStats::default()
    };
    for ((_, members), labels) in guarded.iter().zip(&results) {
        stats.guarded_components += 1;
        let first = labels.first().map(|x| x.1);
        if labels.iter().any(|x| Some(x.1) != first) {
            stats.split_components += 1;
        }
        debug_assert_eq!(members.len(), labels.len());
        for &(rec, label) in labels {
            root_of[rec as usize] = label;
        }
    }
    (root_of, stats)
}

/// Whether a component's members include two registry entries registered apart. Quadratic in
/// the distinct entries of one source, with an early exit: components hold few.
fn holds_apart(members: &[u32], registered: &[Option<Registered>]) -> bool {
    if registered.is_empty() || members.len() < 2 {
        return false;
    }
    let mut entries: Vec<&Registered> = members
        .iter()
        .filter_map(|&m| registered[m as usize].as_ref())
        .collect();
    entries.sort_unstable();
    entries.dedup();
    entries
        .iter()
        .enumerate()
        .any(|(i, x)| entries[i + 1..].iter().any(|y| x.apart(y)))
}

/// What the guard may not join inside one component: the analyst's `different` pairs, the
/// `same`-override group of every record, and the registry entries (empty unless the component
/// holds two registered apart).
struct Rules<'a> {
    diff: &'a [(u32, u32)],
    same_root: &'a [u32],
    registered: &'a [Option<Registered>],
}

/// A part of a component that the guard clusters on its own: its members (ascending) and, for a
/// part still above [`FULL_LINKAGE_MAX`], its scored pairs (sorted).
#[derive(Debug, Clone)]
struct Piece {
    members: Vec<u32>,
    edges: Vec<(u32, u32, f64)>,
}

/// Match probabilities at which a component too large to score fully is cut: at each level
/// only the pairs at or above it hold the records together, and the parts that fit
/// [`FULL_LINKAGE_MAX`] are set aside for full scoring. Each level asks ten times the odds of
/// the one before (error 1 in 10, 100, 1,000, 10,000).
pub const TIGHTEN_LEVELS: [f64; 4] = [0.9, 0.99, 0.999, 0.9999];

/// Cuts a large component (`edges`: its scored pairs, `same` overrides at probability 1) into
/// pieces: the connected parts over the pairs at each of [`TIGHTEN_LEVELS`] in turn; a part
/// small enough for full scoring stops there, a larger one goes on to the next level. What is
/// still large after the last level (one party named many times, all its pairs near certain)
/// is clustered on its scored pairs. A large component is almost always a chain: sparse
/// average linkage over the pairs blocking produced would see only the similar neighbours
/// along the chain and keep it whole (measured: a 34,780-record component of unrelated firms).
fn tighten(members: &[u32], edges: &[(u32, u32, f64)]) -> Vec<Piece> {
    let mut done = Vec::new();
    let mut todo = vec![members.to_vec()];
    for &level in &TIGHTEN_LEVELS {
        let mut next = Vec::new();
        for part in todo {
            let (_, mut uf) = connect(&part, edges, level);
            let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
            for (i, &m) in part.iter().enumerate() {
                groups.entry(uf.find(i as u32)).or_default().push(m);
            }
            for (_, g) in groups {
                if g.len() <= FULL_LINKAGE_MAX {
                    done.push(g);
                } else {
                    next.push(g);
                }
            }
        }
        todo = next;
    }
    let mut pieces: Vec<Piece> = done
        .into_iter()
        .map(|members| Piece {
            members,
            edges: Vec::new(),
        })
        .collect();
    for part in todo {
        let set: std::collections::HashSet<u32> = part.iter().copied().collect();
        let mut e: Vec<(u32, u32, f64)> = edges
            .iter()
            .copied()
            .filter(|(a, b, _)| set.contains(a) && set.contains(b))
            .collect();
        e.sort_by_key(|x| (x.0, x.1));
        pieces.push(Piece {
            members: part,
            edges: e,
        });
    }
    pieces
}

/// The members' positions and a union-find over them joined by the `edges` of probability at
/// least `min_p` (edges with an end outside `members` are ignored).
fn connect(
    members: &[u32],
    edges: &[(u32, u32, f64)],
    min_p: f64,
) -> (HashMap<u32, u32>, UnionFind) {
    let index: HashMap<u32, u32> = members
        .iter()
        .enumerate()
        .map(|(i, &m)| (m, i as u32))
        .collect();
    let mut uf = UnionFind::new(members.len());
    for &(a, b, p) in edges {
        if p >= min_p
            && let (Some(&x), Some(&y)) = (index.get(&a), index.get(&b))
        {
            uf.union(x, y);
        }
    }
    (index, uf)
}

/// Average linkage inside one component. With `full`, `edges` hold every pair of at least
/// [`NEGLIGIBLE`] probability and an average is taken over all |A|·|B| pairs; otherwise over
/// the pairs given. Returns (record, label = smallest index in its cluster) for every member.
fn average_linkage(
    members: &[u32],
    edges: &[(u32, u32, f64)],
    full: bool,
    rules: &Rules,
) -> Vec<(u32, u32)> {
    let Rules {
        diff,
        same_root,
        registered,
    } = *rules;
    // the registry entries of a set of records
    let entries_of = |ms: &[u32]| -> Vec<&Registered> {
        if registered.is_empty() {
            return Vec::new();
        }
        ms.iter()
            .filter_map(|&m| registered[m as usize].as_ref())
            .collect()
    };
    // initial clusters: same-override groups joined by near-certain pairs (see CERTAIN; not
    // where an analyst said `different`, nor across registry entries registered apart),
    // numbered by position of their first member
    let min_p = if diff.is_empty() {
        CERTAIN
    } else {
        f64::INFINITY
    };
    // Registry entries registered apart are in this component: join near-certain pairs one by
    // one, never across two such entries (`join_apart`); otherwise all at once.
    let (index, mut start) = if registered.is_empty() {
        connect(members, edges, min_p)
    } else {
        connect(members, &[], min_p)
    };
    for (i, &m) in members.iter().enumerate() {
        start.union(i as u32, index[&same_root[m as usize]]);
    }
    if !registered.is_empty() {
        join_apart(members, edges, min_p, &index, &mut start, registered);
    }
    let mut cl_of: HashMap<u32, usize> = HashMap::new();
    let mut clusters: Vec<Vec<u32>> = Vec::new();
    let mut root_cluster: HashMap<u32, usize> = HashMap::new();
    for (i, &m) in members.iter().enumerate() {
        let r = start.find(i as u32);
        let c = *root_cluster.entry(r).or_insert_with(|| {
            clusters.push(Vec::new());
            clusters.len() - 1
        });
        clusters[c].push(m);
        cl_of.insert(m, c);
    }
    let mut cluster_entries: Vec<Vec<&Registered>> =
        clusters.iter().map(|ms| entries_of(ms)).collect();
    // link (sum of probabilities, pairs seen) between clusters, and each cluster's neighbours
    let mut links: BTreeMap<(usize, usize), (f64, u64)> = BTreeMap::new();
    let mut nbrs: Vec<std::collections::BTreeSet<usize>> = vec![Default::default(); clusters.len()];
    for &(a, b, p) in edges {
        let (ca, cb) = (cl_of[&a], cl_of[&b]);
        if ca != cb {
            let k = (ca.min(cb), ca.max(cb));
            let e = links.entry(k).or_insert((0.0, 0));
            e.0 += p;
            e.1 += 1;
            nbrs[k.0].insert(k.1);
            nbrs[k.1].insert(k.0);
        }
    }
    let avg = |links: &BTreeMap<(usize, usize), (f64, u64)>, clusters: &[Vec<u32>], k| {
        links.get(&k).map(|&(s, c): &(f64, u64)| {
            let pairs = if full {
                (clusters[k.0].len() * clusters[k.1].len()) as f64
            } else {
                c as f64
            };
            s / pairs
        })
    };
    // Candidate merges, best first: highest average, then the smallest key. An entry whose
    // average no longer matches the link's current one is stale and skipped (lazy deletion), so
    // each merge costs the neighbours it re-scores, not a scan of every link.
    let mut heap: BinaryHeap<Candidate> = links
        .keys()
        .filter_map(|&k| avg(&links, &clusters, k).map(|a| Candidate(a, k)))
        .filter(|c| c.0 >= LINKAGE_MIN)
        .collect();
    while let Some(Candidate(a, (x, y))) = heap.pop() {
        if avg(&links, &clusters, (x, y)).is_none_or(|now| now.to_bits() != a.to_bits())
            || forbidden(&clusters[x], &clusters[y], diff)
            || any_apart(&cluster_entries[x], &cluster_entries[y])
        {
            continue;
        }
        // merge y into x
        let moved_entries = std::mem::take(&mut cluster_entries[y]);
        cluster_entries[x].extend(moved_entries);
        let moved = std::mem::take(&mut clusters[y]);
        for &m in &moved {
            cl_of.insert(m, x);
        }
        clusters[x].extend(moved);
        links.remove(&(x, y));
        let ny = std::mem::take(&mut nbrs[y]);
        nbrs[x].remove(&y);
        for other in ny {
            if other == x {
                continue;
            }
            let v = links
                .remove(&(y.min(other), y.max(other)))
                .expect("neighbour has a link");
            nbrs[other].remove(&y);
            let e = links
                .entry((x.min(other), x.max(other)))
                .or_insert((0.0, 0));
            e.0 += v.0;
            e.1 += v.1;
            nbrs[x].insert(other);
            nbrs[other].insert(x);
        }
        // every link of x has a new average (its size changed, or it gained y's pairs)
        for &other in &nbrs[x] {
            let k = (x.min(other), x.max(other));
            if let Some(a) = avg(&links, &clusters, k).filter(|&a| a >= LINKAGE_MIN) {
                heap.push(Candidate(a, k));
            }
        }
    }
    if !registered.is_empty() {
        to_nearest_entry(&mut clusters, edges, rules);
    }
    let mut out = Vec::with_capacity(members.len());
    for ms in clusters.iter().filter(|c| !c.is_empty()) {
        let label = *ms.iter().min().expect("non-empty");
        out.extend(ms.iter().map(|&m| (m, label)));
    }
    out.sort_unstable();
    out
}

/// In a component whose registry entries are registered apart, moves each other record of a
/// cluster holding an entry to the cluster of the entry it is most alike (highest match
/// probability, so weight), when that is another cluster's entry, at least [`LINKAGE_MIN`]
/// likely, and no `different` override forbids it. Why: the shipment mentions of sibling firms
/// at one suite ("LUMLINKVIEW REALTY (THAI) CO., LTD.", "LUMLINKVIEW SUPPLY CHAIN CO LTD") are
/// each more alike one another than unlike (the suite outweighs the differing word), so average
/// linkage joins them all first and the whole pile then joins one entry; each mention is still
/// more alike its own firm's entry than its sibling's. Records tied by a `same` override stay.
/// Moves are decided on the linkage's result and applied together: independent of order.
fn to_nearest_entry(clusters: &mut [Vec<u32>], edges: &[(u32, u32, f64)], rules: &Rules) {
    let prob: HashMap<(u32, u32), f64> = edges
        .iter()
        .map(|&(a, b, p)| ((a.min(b), a.max(b)), p))
        .collect();
    let p = |a: u32, b: u32| prob.get(&(a.min(b), a.max(b))).copied().unwrap_or(0.0);
    let is_entry = |m: u32| rules.registered[m as usize].is_some();
    let entries: Vec<(usize, u32)> = clusters
        .iter()
        .enumerate()
        .flat_map(|(c, ms)| ms.iter().filter(|&&m| is_entry(m)).map(move |&m| (c, m)))
        .collect();
    let mut same_size: HashMap<u32, usize> = HashMap::new();
    for ms in clusters.iter() {
        for &m in ms {
            *same_size.entry(rules.same_root[m as usize]).or_default() += 1;
        }
    }
    let mut moves: Vec<(u32, usize, usize)> = Vec::new();
    for (c, ms) in clusters.iter().enumerate() {
        if !ms.iter().any(|&m| is_entry(m)) {
            continue;
        }
        for &m in ms {
            if is_entry(m) || same_size[&rules.same_root[m as usize]] > 1 {
                continue;
            }
            // the most alike entry: highest probability, then the first in order
            let mut best: Option<(f64, usize)> = None;
            for &(ce, e) in &entries {
                let pe = p(m, e);
                if best.is_none_or(|(bp, _)| pe > bp) {
                    best = Some((pe, ce));
                }
            }
            if let Some((bp, to)) = best
                && to != c
                && bp >= LINKAGE_MIN
                && !forbidden(&[m], &clusters[to], rules.diff)
            {
                let here = entries
                    .iter()
                    .filter(|&&(ce, _)| ce == c)
                    .map(|&(_, e)| p(m, e))
                    .fold(0.0, f64::max);
                if bp > here {
                    moves.push((m, c, to));
                }
            }
        }
    }
    for (m, from, to) in moves {
        clusters[from].retain(|&x| x != m);
        clusters[to].push(m);
    }
}

/// Joins in `start` (a union-find over `members`' positions) the `edges` of probability at
/// least `min_p`, except where the two sides hold registry entries registered apart.
fn join_apart(
    members: &[u32],
    edges: &[(u32, u32, f64)],
    min_p: f64,
    index: &HashMap<u32, u32>,
    start: &mut UnionFind,
    registered: &[Option<Registered>],
) {
    let mut entries: HashMap<u32, Vec<&Registered>> = HashMap::new();
    for (i, &m) in members.iter().enumerate() {
        if let Some(r) = &registered[m as usize] {
            entries.entry(start.find(i as u32)).or_default().push(r);
        }
    }
    for &(a, b, p) in edges {
        if p < min_p {
            continue;
        }
        let (Some(&x), Some(&y)) = (index.get(&a), index.get(&b)) else {
            continue;
        };
        let (rx, ry) = (start.find(x), start.find(y));
        if rx == ry {
            continue;
        }
        let of = |r: u32| entries.get(&r).map_or(&[][..], Vec::as_slice);
        if any_apart(of(rx), of(ry)) {
            continue;
        }
        start.union(x, y);
        let root = start.find(x);
        let mut joined = entries.remove(&rx).unwrap_or_default();
        joined.extend(entries.remove(&ry).unwrap_or_default());
        if !joined.is_empty() {
            entries.insert(root, joined);
        }
    }
}

/// A possible merge in the guard: (average probability, cluster pair). Ordered so that the
/// greatest is the highest average and, among equal averages, the smallest pair.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Candidate(f64, (usize, usize));

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn forbidden(a: &[u32], b: &[u32], diff: &[(u32, u32)]) -> bool {
    diff.iter()
        .any(|&(x, y)| (a.contains(&x) && b.contains(&y)) || (a.contains(&y) && b.contains(&x)))
}

/// Assigns entity ids to clusters given in the order of their smallest record id. A cluster
/// keeps the id most of its records had in the previous run (ties: the smaller id) unless an
/// earlier cluster already took it; otherwise it gets `next_id`, which then grows. So the same
/// input gives the same ids, and records added later do not renumber existing entities.
pub fn assign_ids(
    clusters: &[Vec<i64>],
    previous: &HashMap<i64, i64>,
    mut next_id: i64,
) -> (Vec<i64>, i64) {
    let mut taken: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let mut ids = Vec::with_capacity(clusters.len());
    for members in clusters {
        let mut votes: BTreeMap<i64, usize> = BTreeMap::new();
        for r in members {
            if let Some(&e) = previous.get(r) {
                *votes.entry(e).or_default() += 1;
            }
        }
        let mut ranked: Vec<(i64, usize)> = votes.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let id = ranked
            .iter()
            .map(|x| x.0)
            .find(|e| !taken.contains(e))
            .unwrap_or_else(|| {
                let id = next_id;
                next_id += 1;
                id
            });
        taken.insert(id);
        ids.push(id);
    }
    (ids, next_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs [`attach_mentions`] on singletons: records `listed` are registry entries, the others
    /// organisation shipment mentions (or people, `person`).
    fn attach(
        listed: &[bool],
        person: &[bool],
        pairs: &[(u32, u32, f64)],
        different: &[(u32, u32)],
    ) -> (Vec<u32>, Vec<(u32, u32)>) {
        let mut labels: Vec<u32> = (0..listed.len() as u32).collect();
        let mention: Vec<bool> = listed.iter().zip(person).map(|(l, p)| !l && !p).collect();
        let scored: Vec<(u32, u32)> = pairs.iter().map(|p| (p.0, p.1)).collect();
        let joined = attach_mentions(
            &mut labels,
            Sources {
                mention: &mention,
                listed,
            },
            &scored,
            |i| pairs[i].2,
            0.3,
            different,
            |a, b| {
                let p = pairs.iter().find(|p| (p.0, p.1) == (a.min(b), a.max(b)));
                p.map_or(0.0, |p| p.2)
            },
        );
        (labels, joined)
    }

    #[test]
    fn a_mention_joins_its_sole_listed_candidate_only() {
        let listed = [true, true, false, false, false];
        let nobody = [false; 5];
        // 2 could be only 0; 3 could be 0 or 1 (namesakes); 4 is too weak for 1
        let pairs = [(0, 2, 0.6), (0, 3, 0.4), (1, 3, 0.65), (1, 4, 0.45)];
        let (labels, joined) = attach(&listed, &nobody, &pairs, &[]);
        assert_eq!(labels, vec![0, 1, 0, 3, 4]);
        assert_eq!(joined, vec![(0, 2)]);
        // the mention is listed first: the cluster keeps its smallest index as label
        let (labels, _) = attach(&[false, true], &[false; 2], &[(0, 1, 0.6)], &[]);
        assert_eq!(labels, vec![0, 0]);
        // an analyst's `different` wins
        let (labels, _) = attach(&listed, &nobody, &pairs, &[(0, 2)]);
        assert_eq!(labels, vec![0, 1, 2, 3, 4]);
        // people stay apart: a shared name says little of a person
        let (labels, _) = attach(&listed, &[false, false, true, false, false], &pairs, &[]);
        assert_eq!(labels[2], 2);
        // two listed records: neither moves
        let (labels, _) = attach(&[true, true], &[false; 2], &[(0, 1, 0.6)], &[]);
        assert_eq!(labels, vec![0, 1]);
    }

    #[test]
    fn an_entity_of_mentions_joins_as_a_whole_or_not_at_all() {
        // record 0 is listed; 1, 2, 3 are one entity of mentions, and only 1 is near 0
        let mention = [false, true, true, true];
        let listed = [true, false, false, false];
        let scored = [(0, 1)];
        let run = |others: f64| {
            let mut labels = vec![0, 1, 1, 1];
            let p = |a: u32, b: u32| {
                if a.min(b) == 0 && a.max(b) == 1 {
                    0.73
                } else {
                    others
                }
            };
            let records = Sources {
                mention: &mention,
                listed: &listed,
            };
            attach_mentions(&mut labels, records, &scored, |_| 0.73, 0.3, &[], p);
            labels
        };
        // the others are clearly another firm ("Shanghai Jiada" against "Shenzhen Jiafu")
        assert_eq!(run(0.0), vec![0, 1, 1, 1]);
        // the others are spellings of the party too
        assert_eq!(run(0.6), vec![0, 0, 0, 0]);
    }

    fn run(n: usize, pairs: &[(u32, u32, f64)], ov: &Overrides) -> Vec<u32> {
        let accepted: Vec<_> = pairs.iter().copied().filter(|p| p.2 >= 0.9).collect();
        let lookup = |a: u32, b: u32| {
            pairs
                .iter()
                .find(|p| (p.0, p.1) == (a.min(b), a.max(b)))
                .map_or(0.0, |p| p.2)
        };
        let scored: Vec<(u32, u32)> = pairs.iter().map(|p| (p.0, p.1)).collect();
        cluster(n, &accepted, &scored, |i| pairs[i].2, ov, lookup).0
    }

    #[test]
    fn chains_are_split() {
        // 0≈1, 1≈2, but 0 and 2 clearly differ; 3≈4 plainly
        let pairs = [(0, 1, 0.99), (1, 2, 0.95), (0, 2, 0.01), (3, 4, 0.97)];
        let l = run(5, &pairs, &Overrides::default());
        assert_eq!(l[0], l[1]);
        assert_ne!(l[1], l[2]);
        assert_eq!(l[3], l[4]);
    }

    #[test]
    fn triangles_stay_together() {
        let pairs = [(0, 1, 0.99), (1, 2, 0.95), (0, 2, 0.7)];
        let l = run(3, &pairs, &Overrides::default());
        assert!(l.iter().all(|&x| x == 0));
    }

    #[test]
    fn overrides_win() {
        let pairs = [(0, 1, 0.99), (2, 3, 0.01)];
        let ov = Overrides {
            same: vec![(2, 3)],
            different: vec![(0, 1)],
            ..Overrides::default()
        };
        let l = run(4, &pairs, &ov);
        assert_ne!(l[0], l[1]);
        assert_eq!(l[2], l[3]);
    }

    fn entry(source: i64, ids: &[u64]) -> Option<Registered> {
        Some(Registered {
            source,
            country: Some("TH".into()),
            ids: ids.iter().map(|i| format!("{i:08}")).collect(),
        })
    }

    #[test]
    fn a_source_whose_numbers_are_mistyped_is_noisy() {
        let reg = |source: i64, id: &str| {
            Some(Registered {
                source,
                country: None,
                ids: vec![id.into()],
            })
        };
        // source 1: the same people entered twice, numbers mistyped ("4892623" / "4897623");
        // source 2: sibling firms, numbered one after the other or independently
        let registered = vec![
            reg(1, "4892623"),
            reg(1, "4897623"),
            reg(1, "2204911"),
            reg(1, "2204711"),
            reg(1, "7186634"),
            reg(1, "7816634"),
            reg(1, "8164610"),
            reg(1, "8587561"),
            reg(2, "0105561000007"),
            reg(2, "0105561000008"),
            reg(2, "0105561000019"),
            reg(2, "0105643068227"),
            reg(2, "0105004281793"),
            reg(2, "0105010912044"),
            None,
        ];
        let pairs = [
            (0, 1),
            (2, 3),
            (4, 5),
            (6, 7),
            (8, 9),
            (10, 11),
            (12, 13),
            (0, 14),
        ];
        let noisy = noisy_id_sources(&pairs, |_| 0.99, &registered);
        assert_eq!(
            noisy,
            vec![IdNoise {
                source: 1,
                near: 3,
                far: 1
            }]
        );
        // the model unsure of them, the pairs say nothing of the numbers
        assert!(noisy_id_sources(&pairs, |_| 0.8, &registered).is_empty());
        // two near misses can be chance
        assert!(noisy_id_sources(&pairs[1..], |_| 0.99, &registered).is_empty());
    }

    #[test]
    fn one_slip_is_a_typing_error_not_the_next_number() {
        for (a, b) in [
            ("1804974", "1804794"), // swapped
            ("1804974", "1809974"), // one wrong
            ("1804974", "180974"),  // one dropped
            ("1804974", "18049741"),
            ("HRB97397", "HRB97397B"),
        ] {
            assert!(one_slip(a, b) && one_slip(b, a), "{a} {b}");
        }
        for (a, b) in [
            ("00000007", "00000008"), // consecutive numbers
            ("0105561000019", "0105561000020"),
            ("1804974", "1804947"),
            ("1804974", "1804974"),
            ("1804974", "2804975"),
            ("1804974", "18049"),
            ("0105561000001", "0105643068227"),
        ] {
            assert!(!one_slip(a, b) && !one_slip(b, a), "{a} {b}");
        }
    }

    #[test]
    fn registry_entries_registered_apart_never_merge() {
        // 0 and 1: two entries of one registry, ids 7 and 8, near certain on everything else
        // (sibling firms at one suite). 2: a shipment mention, closest to 0.
        let pairs = [(0, 1, 0.99999), (0, 2, 0.99), (1, 2, 0.9)];
        let mut ov = Overrides {
            registered: vec![entry(1, &[7]), entry(1, &[8]), None],
            ..Overrides::default()
        };
        let l = run(3, &pairs, &ov);
        assert_ne!(l[0], l[1], "two legal entities");
        assert_eq!(l[0], l[2], "the mention goes with its closer entry");
        // a pair of two alone is guarded too
        let l = run(2, &pairs[..1], &ov);
        assert_ne!(l[0], l[1]);
        // an id in common, or entries of different sources: the model decides
        ov.registered = vec![entry(1, &[7, 9]), entry(1, &[8, 9]), None];
        assert!(run(3, &pairs, &ov).iter().all(|&x| x == 0));
        ov.registered = vec![entry(1, &[7]), entry(2, &[8]), None];
        assert!(run(3, &pairs, &ov).iter().all(|&x| x == 0));
        // ids of two lengths in one country (a tax id, a company number): maybe one company
        // numbered twice; in two countries, two registrations
        ov.registered[1] = Some(Registered {
            source: 1,
            country: Some("TH".into()),
            ids: vec!["T20240187312K".into()],
        });
        assert!(run(3, &pairs, &ov).iter().all(|&x| x == 0));
        ov.registered[1].as_mut().unwrap().country = Some("SG".into());
        assert_ne!(run(3, &pairs, &ov)[0], run(3, &pairs, &ov)[1]);
        // an analyst's `same` wins
        ov.registered = vec![entry(1, &[7]), entry(1, &[8]), None];
        ov.same = vec![(0, 1)];
        assert!(run(3, &pairs, &ov).iter().all(|&x| x == 0));
    }

    #[test]
    fn mentions_piled_on_one_entry_go_to_the_entry_they_are_most_alike() {
        // 0, 1: sibling firms' registry entries. 2 is a mention of 0, 3 of 1; the two mentions
        // are more alike each other (one suite) than either is to its own entry, so linkage
        // puts both with the first entry; each then goes to the entry it is most alike.
        let pairs = [
            (0, 1, 0.99),
            (0, 2, 0.999),
            (0, 3, 0.99),
            (1, 2, 0.99),
            (1, 3, 0.999),
            (2, 3, 0.99999),
        ];
        let mut ov = Overrides {
            registered: vec![entry(1, &[7]), entry(1, &[8]), None, None],
            ..Overrides::default()
        };
        let l = run(4, &pairs, &ov);
        assert_eq!((l[2], l[3]), (l[0], l[1]), "{l:?}");
        assert_ne!(l[0], l[1]);
        // an analyst's `different` keeps a mention where it is
        ov.different = vec![(1, 3)];
        let l = run(4, &pairs, &ov);
        assert_ne!(l[3], l[1], "{l:?}");
    }

    #[test]
    fn independent_of_input_order() {
        let pairs = vec![
            (0, 1, 0.99),
            (1, 2, 0.95),
            (0, 2, 0.3),
            (3, 4, 0.97),
            (4, 5, 0.92),
            (3, 5, 0.9),
            (5, 6, 0.91),
        ];
        let a = run(7, &pairs, &Overrides::default());
        let mut rev = pairs.clone();
        rev.reverse();
        let b = run(7, &rev, &Overrides::default());
        assert_eq!(a, b);
    }

    #[test]
    fn long_chains_are_cut_before_linkage() {
        // Two tight groups of FULL_LINKAGE_MAX records each, every record close to the next
        // (0.995), joined by one link of 0.95: too large to score fully as one component; the
        // sparse average over the chain's own pairs would keep it whole. Tightening cuts the
        // weak link, and each group stays one cluster.
        let g = FULL_LINKAGE_MAX as u32;
        let mut pairs: Vec<(u32, u32, f64)> = Vec::new();
        for i in 0..2 * g - 1 {
            let p = if i == g - 1 { 0.95 } else { 0.995 };
            pairs.push((i, i + 1, p));
        }
        let accepted = pairs.clone();
        let lookup = |a: u32, b: u32| {
            if (a < g) == (b < g) { 0.99 } else { 0.0 }
        };
        let scored: Vec<(u32, u32)> = pairs.iter().map(|p| (p.0, p.1)).collect();
        let (l, _) = cluster(
            2 * g as usize,
            &accepted,
            &scored,
            |i| pairs[i].2,
            &Overrides::default(),
            lookup,
        );
        assert!(l[..g as usize].iter().all(|&x| x == 0));
        assert!(l[g as usize..].iter().all(|&x| x == g));
    }

    #[test]
    fn ids_are_stable() {
        let clusters = vec![vec![1, 2], vec![3], vec![4, 5]];
        let (ids, next) = assign_ids(&clusters, &HashMap::new(), 1);
        assert_eq!(ids, [1, 2, 3]);
        // a new record 6 joins nobody; an unrelated cluster appears first in order
        let prev: HashMap<i64, i64> = [(1, 1), (2, 1), (3, 2), (4, 3), (5, 3)].into();
        let clusters = vec![vec![0], vec![1, 2], vec![3], vec![4, 5, 6]];
        let (ids2, _) = assign_ids(&clusters, &prev, next);
        assert_eq!(ids2, [4, 1, 2, 3]);
    }
}
