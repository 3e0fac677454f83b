//! Ownership through chains: effective and ultimate owners, and the affiliates (50 %) rule.
//!
//! Ownership edges are [`EdgeKind::Owns`] and [`EdgeKind::BeneficialOwnerOf`] with a share;
//! when both link the same pair the larger share is the holding (they describe one holding).
//! Edges without a share are not counted (the entity card still lists them as owners, share
//! unknown).
//!
//! **Effective share** of an owner in a target = the sum, over every loop-free chain of holdings
//! from the owner down to the target, of the product of the shares along the chain (P owns 50 %
//! of H, H owns 60 % of T: P holds 30 % of T through H; add any other chain P has to T).
//! Cycles (cross-holdings) are handled by never visiting an entity twice on one chain: a
//! cross-holding contributes its chain once and never loops. Sums are capped at 100 %
//! (inconsistent sources can over-declare). An owner is **ultimate** when it tops at least one
//! chain: it has no holder of its own that is not already on the chain.
//!
//! **Affiliates rule**: an entity is affected when parties on a screening list hold 50 % or more
//! of it, directly or indirectly, individually or in aggregate. Counted the way OFAC's 50 % rule
//! and BIS's affiliates rule count it: an entity that is affected is itself treated as listed,
//! and its holdings count in full (listed L owns 60 % of A, A owns 50 % of B: B is affected,
//! though L's effective share in B is 30 %). Computed as a fixed point: start from the listed
//! entities, add every entity whose holders already in the set hold ≥ the threshold in
//! aggregate, repeat until nothing changes.

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::{EdgeKind, EntityGraph, EntityId};

/// Chains longer than this are not followed (real structures rarely exceed 6 layers).
pub const MAX_CHAIN: usize = 12;
/// At most this many chains are enumerated per query (a guard against dense cross-holdings).
pub const MAX_CHAINS: usize = 100_000;
/// Chains whose product falls below this fraction are not followed further.
pub const MIN_FRACTION: f64 = 1e-6;

/// One chain of holdings, from the top holder down to the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnershipPath {
    /// Entities from the holder to the target.
    pub entities: Vec<EntityId>,
    /// The share (fraction 0–1) of each hop: `shares[i]` is what `entities[i]` holds of
    /// `entities[i + 1]`.
    pub shares: Vec<f64>,
    /// The edge of each hop (its evidence is on the edge).
    #[serde(skip)]
    pub edges: Vec<EdgeIndex>,
    /// The product of the shares.
    pub fraction: f64,
}

/// An owner of an entity with its effective share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerShare {
    pub owner: EntityId,
    /// Effective share, fraction 0–1 (summed over chains, capped at 1).
    pub fraction: f64,
    /// Tops at least one chain.
    pub ultimate: bool,
    /// Hops of the shortest chain (1 = direct).
    pub depth: usize,
    /// The chains that add up to it, largest first.
    pub paths: Vec<OwnershipPath>,
}

/// An entity affected by the affiliates rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Affiliate {
    pub entity: EntityId,
    /// The aggregate share (fraction) held by listed or affected holders.
    pub fraction: f64,
    /// The round of the fixed point it was added in (1 = held directly by listed parties).
    pub round: u32,
    /// Its listed or affected direct holders: (holder, fraction, holder is listed).
    pub holders: Vec<(EntityId, f64, bool)>,
    /// Chains from listed parties down to it (at most [`MAX_AFFILIATE_PATHS`]).
    pub paths: Vec<OwnershipPath>,
}

/// How many chains an affiliate reports.
pub const MAX_AFFILIATE_PATHS: usize = 64;

impl EntityGraph {
    /// A chain as a person reads it: "A —60%→ B —100%→ C".
    pub fn chain_text(&self, p: &OwnershipPath) -> String {
        let mut s = self.entity_ref(p.entities[0]).name;
        for (k, share) in p.shares.iter().enumerate() {
            s.push_str(&format!(
                " —{}%→ {}",
                super::card::pct(share * 100.0),
                self.entity_ref(p.entities[k + 1]).name
            ));
        }
        s
    }

    /// The source (file:line) of each hop of a chain: the first evidence of its edge.
    pub fn chain_cites(&self, p: &OwnershipPath) -> Vec<String> {
        p.edges
            .iter()
            .filter_map(|e| self.graph[*e].evidence.first().map(|ev| self.cite(ev)))
            .collect()
    }

    /// The direct holders of a node: (holder, fraction, edge), the larger share when both an
    /// owns and a beneficial-owner edge link the pair; sorted by holder.
    pub fn holders(&self, n: NodeIndex) -> Vec<(NodeIndex, f64, EdgeIndex)> {
        let mut best: BTreeMap<NodeIndex, (f64, EdgeIndex)> = BTreeMap::new();
        for e in self.graph.edges_directed(n, Direction::Incoming) {
            let w = e.weight();
            if !matches!(w.kind, EdgeKind::Owns | EdgeKind::BeneficialOwnerOf) {
                continue;
            }
            let Some(share) = w.share else { continue };
            let f = (share / 100.0).clamp(0.0, 1.0);
            if f <= 0.0 || self.entity_id(e.source()).is_none() {
                continue;
            }
            let slot = best.entry(e.source()).or_insert((f, e.id()));
            if f > slot.0 {
                *slot = (f, e.id());
            }
        }
        best.into_iter().map(|(n, (f, e))| (n, f, e)).collect()
    }

    /// Every direct and indirect owner of an entity with its effective share and the chains,
    /// sorted by share (largest first), then id. Empty for an unknown entity.
    ///
    /// # Complexity
    /// O(number of loop-free chains above the entity), capped at [`MAX_CHAINS`].
    pub fn owners(&self, entity: EntityId) -> Vec<OwnerShare> {
        let Some(target) = self.node(entity) else {
            return Vec::new();
        };
        let mut acc: HashMap<NodeIndex, OwnerShare> = HashMap::new();
        let mut on_path = HashSet::from([target]);
        // stack of (node, fraction so far, chain of (holder, fraction, edge) from target up)
        let mut chain: Vec<(NodeIndex, f64, EdgeIndex)> = Vec::new();
        let mut budget = MAX_CHAINS;
        self.climb(target, 1.0, &mut chain, &mut on_path, &mut acc, &mut budget);
        let mut out: Vec<OwnerShare> = acc
            .into_values()
            .map(|mut o| {
                o.fraction = o.fraction.min(1.0);
                o.paths.sort_by(|a, b| {
                    b.fraction
                        .total_cmp(&a.fraction)
                        .then_with(|| a.entities.cmp(&b.entities))
                });
                o
            })
            .collect();
        out.sort_by(|a, b| {
            b.fraction
                .total_cmp(&a.fraction)
                .then(a.owner.cmp(&b.owner))
        });
        out
    }

    fn climb(
        &self,
        n: NodeIndex,
        fraction: f64,
        chain: &mut Vec<(NodeIndex, f64, EdgeIndex)>,
        on_path: &mut HashSet<NodeIndex>,
        acc: &mut HashMap<NodeIndex, OwnerShare>,
        budget: &mut usize,
    ) {
        let holders: Vec<_> = self
            .holders(n)
            .into_iter()
            .filter(|(h, _, _)| !on_path.contains(h))
            .collect();
        let top = holders.is_empty() || chain.len() >= MAX_CHAIN;
        if let Some(&(holder, _, _)) = chain.last() {
            let path = self.chain_path(chain, fraction);
            let id = self.entity_id(holder).expect("holders are entities");
            let o = acc.entry(holder).or_insert_with(|| OwnerShare {
                owner: id,
                fraction: 0.0,
                ultimate: false,
                depth: chain.len(),
                paths: Vec::new(),
            });
            o.fraction += fraction;
            o.ultimate |= top;
            o.depth = o.depth.min(chain.len());
            o.paths.push(path);
        }
        if top {
            return;
        }
        for (h, f, e) in holders {
            let next = fraction * f;
            if next < MIN_FRACTION || *budget == 0 {
                continue;
            }
            *budget -= 1;
            chain.push((h, f, e));
            on_path.insert(h);
            self.climb(h, next, chain, on_path, acc, budget);
            on_path.remove(&h);
            chain.pop();
        }
    }

    /// The chain (target-first on the stack) as a path from the top holder down to the target.
    fn chain_path(&self, chain: &[(NodeIndex, f64, EdgeIndex)], fraction: f64) -> OwnershipPath {
        let target = self.graph.edge_endpoints(chain[0].2).expect("edge").1;
        let mut entities: Vec<EntityId> = chain
            .iter()
            .rev()
            .map(|(h, _, _)| self.entity_id(*h).expect("entity"))
            .collect();
        entities.push(self.entity_id(target).expect("entity"));
        OwnershipPath {
            entities,
            shares: chain.iter().rev().map(|c| c.1).collect(),
            edges: chain.iter().rev().map(|c| c.2).collect(),
            fraction,
        }
    }

    /// The ultimate owners of an entity holding at least `threshold` (fraction, 0.25 = 25 %),
    /// with the chains that add up to their share; largest first.
    pub fn ultimate_owners(&self, entity: EntityId, threshold: f64) -> Vec<OwnerShare> {
        self.owners(entity)
            .into_iter()
            .filter(|o| o.ultimate && o.fraction + 1e-12 >= threshold)
            .collect()
    }

    /// Every entity held `threshold` (fraction; 0.5 for the 50 % rule) or more, directly or
    /// indirectly, individually or in aggregate, by listed parties (see the module
    /// documentation), sorted by entity id.
    ///
    /// # Complexity
    /// O(rounds × ownership edges out of the affected set); rounds ≤ the longest chain.
    pub fn affiliates(&self, threshold: f64) -> Vec<Affiliate> {
        // node → (round, listed)
        let mut set: HashMap<NodeIndex, (u32, bool)> = self
            .entity_ids()
            .iter()
            .filter(|id| self.is_listed(**id))
            .filter_map(|id| self.node(*id))
            .map(|n| (n, (0, true)))
            .collect();
        let mut frontier: Vec<NodeIndex> = set.keys().copied().collect();
        let mut round = 0;
        while !frontier.is_empty() {
            round += 1;
            let mut candidates: Vec<NodeIndex> = Vec::new();
            for &n in &frontier {
                for e in self.graph.edges_directed(n, Direction::Outgoing) {
                    if matches!(
                        e.weight().kind,
                        EdgeKind::Owns | EdgeKind::BeneficialOwnerOf
                    ) && !set.contains_key(&e.target())
                        && self.entity_id(e.target()).is_some()
                    {
                        candidates.push(e.target());
                    }
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let added: Vec<NodeIndex> = candidates
                .into_iter()
                .filter(|&c| {
                    let held: f64 = self
                        .holders(c)
                        .iter()
                        .filter(|(h, _, _)| set.contains_key(h))
                        .map(|(_, f, _)| f)
                        .sum();
                    held + 1e-12 >= threshold
                })
                .collect();
            for &a in &added {
                set.insert(a, (round, false));
            }
            frontier = added;
        }
        let mut out: Vec<Affiliate> = set
            .iter()
            .filter(|(_, (_, listed))| !listed)
            .map(|(&n, &(round, _))| {
                let holders: Vec<(EntityId, f64, bool)> = self
                    .holders(n)
                    .into_iter()
                    .filter_map(|(h, f, _)| {
                        set.get(&h)
                            .map(|(_, listed)| (self.entity_id(h).expect("entity"), f, *listed))
                    })
                    .collect();
                let mut paths = Vec::new();
                let mut chain = Vec::new();
                self.listed_chains(n, n, 1.0, &set, &mut chain, &mut paths);
                paths.sort_by(|a, b| {
                    b.fraction
                        .total_cmp(&a.fraction)
                        .then_with(|| a.entities.cmp(&b.entities))
                });
                Affiliate {
                    entity: self.entity_id(n).expect("entity"),
                    fraction: holders.iter().map(|h| h.1).sum::<f64>().min(1.0),
                    round,
                    holders,
                    paths,
                }
            })
            .collect();
        out.sort_by_key(|a| a.entity);
        out
    }

    /// Chains from listed parties down to `n` through affected holders; `target` is where the
    /// chains end (never passed through).
    fn listed_chains(
        &self,
        target: NodeIndex,
        n: NodeIndex,
        fraction: f64,
        set: &HashMap<NodeIndex, (u32, bool)>,
        chain: &mut Vec<(NodeIndex, f64, EdgeIndex)>,
        out: &mut Vec<OwnershipPath>,
    ) {
        if out.len() >= MAX_AFFILIATE_PATHS || chain.len() >= MAX_CHAIN {
            return;
        }
        for (h, f, e) in self.holders(n) {
            let Some(&(_, listed)) = set.get(&h) else {
                continue;
            };
            if h == target || chain.iter().any(|c| c.0 == h) {
                continue;
            }
            chain.push((h, f, e));
            if listed {
                out.push(self.chain_path(chain, fraction * f));
            } else {
                self.listed_chains(target, h, fraction * f, set, chain, out);
            }
            chain.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{GraphBuilder, tiny};
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn shares_multiply_along_chains_and_sum_over_parallel_chains() {
        // P owns 50 % of H1 and 40 % of H2; H1 owns 60 % of T, H2 owns 40 % of T; P owns 10 % of T.
        let mut b = GraphBuilder::new(&[1, 2, 3, 4]);
        b.owns(1, 2, 50.0)
            .owns(1, 3, 40.0)
            .owns(2, 4, 60.0)
            .owns(3, 4, 40.0)
            .owns(1, 4, 10.0);
        let g = b.finish();
        let o = g.owners(EntityId(4));
        let p = o.iter().find(|o| o.owner == EntityId(1)).unwrap();
        assert!(
            close(p.fraction, 0.5 * 0.6 + 0.4 * 0.4 + 0.1),
            "{}",
            p.fraction
        );
        assert_eq!(p.paths.len(), 3);
        assert!(p.ultimate);
        assert_eq!(p.depth, 1);
        let h1 = o.iter().find(|o| o.owner == EntityId(2)).unwrap();
        assert!(!h1.ultimate);
        let u = g.ultimate_owners(EntityId(4), 0.25);
        assert_eq!(u.iter().map(|o| o.owner).collect::<Vec<_>>(), [EntityId(1)]);
    }

    #[test]
    fn cycles_terminate_and_count_each_chain_once() {
        // A owns 100 % of B, B owns 50 % of A (cross-holding); B owns 80 % of T; P owns 50 % of A.
        let mut b = GraphBuilder::new(&[1, 2, 3, 4]);
        b.owns(1, 2, 100.0)
            .owns(2, 1, 50.0)
            .owns(2, 3, 80.0)
            .owns(4, 1, 50.0);
        let g = b.finish();
        let o = g.owners(EntityId(3));
        let get = |id| o.iter().find(|x| x.owner == EntityId(id)).unwrap();
        assert!(close(get(2).fraction, 0.8));
        assert!(close(get(1).fraction, 0.8));
        assert!(close(get(4).fraction, 0.4));
        assert!(get(4).ultimate);
        // A's only holders are P and B (already on the chain): A is not the top, P is.
        assert!(!get(1).ultimate);
        // A pure cycle with no outside holder: someone still tops each chain.
        let mut b = GraphBuilder::new(&[1, 2, 3]);
        b.owns(1, 2, 100.0).owns(2, 1, 100.0).owns(2, 3, 100.0);
        let g = b.finish();
        let o = g.owners(EntityId(3));
        assert_eq!(o.len(), 2);
        assert!(o.iter().any(|x| x.ultimate));
        assert!(o.iter().all(|x| x.fraction <= 1.0));
    }

    #[test]
    fn affiliates_aggregate_and_chain() {
        // L1, L2 listed. L1 25 % + L2 25 % of A (aggregate 50 %: affected).
        // L1 60 % of B (affected), B 50 % of C (affected via B, effective 30 %).
        // L2 49 % of D (not affected). B 30 % + L2 20 % of E: affected in aggregate, round 2.
        let mut b = GraphBuilder::new(&[1, 2, 10, 11, 12, 13, 14]);
        b.listed(1).listed(2);
        b.owns(1, 10, 25.0).owns(2, 10, 25.0);
        b.owns(1, 11, 60.0).owns(11, 12, 50.0);
        b.owns(2, 13, 49.0);
        b.owns(11, 14, 30.0).owns(2, 14, 20.0);
        b.owns(12, 11, 10.0); // a cross-holding: C holds 10 % of B
        let g = b.finish();
        let a = g.affiliates(0.5);
        let ids: Vec<i64> = a.iter().map(|x| x.entity.0).collect();
        assert_eq!(ids, [10, 11, 12, 14]);
        let a10 = &a[0];
        assert!(close(a10.fraction, 0.5));
        assert_eq!(a10.holders.len(), 2);
        assert_eq!(a10.paths.len(), 2);
        for x in &a {
            for p in &x.paths {
                let last = p.entities.len() - 1;
                assert!(!p.entities[..last].contains(&x.entity), "{p:?}");
                assert_eq!(p.entities[last], x.entity);
            }
        }
        let a11 = &a[1];
        assert!(
            close(a11.fraction, 0.7),
            "held by L1 60 % and affected C 10 %"
        );
        let a12 = &a[2];
        assert_eq!(a12.round, 2);
        assert_eq!(
            a12.paths[0].entities,
            [EntityId(1), EntityId(11), EntityId(12)]
        );
        assert!(close(a12.paths[0].fraction, 0.3));
        let a14 = &a[3];
        assert!(close(a14.fraction, 0.5));
        assert_eq!(a14.round, 2);
        let _ = tiny();
    }
}
