//! Neighbourhoods and paths over the entity graph.
//!
//! Every query walks edges in both directions (an investigator follows "owned by" as readily
//! as "owns"), restricted to a [`KindSet`]. List nodes are never passed through (everyone on the
//! Entity List is not linked to everyone else), and hub nodes only when
//! [`Walk::through_hubs`] is set; both still appear as leaves of a neighbourhood.
//! Paths are shortest in number of hops; between two consecutive nodes every edge of an
//! allowed kind is reported, so a step shows all its evidence.

use std::collections::{BTreeSet, HashMap, HashSet};

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::{EntityGraph, EntityId, KindSet, Node};

/// How a query walks the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Walk {
    /// The edge kinds followed.
    pub kinds: KindSet,
    /// Pass through mass-registration hubs (default false: a hub is a leaf).
    pub through_hubs: bool,
}

impl Walk {
    /// A walk over these kinds, not through hubs.
    pub fn new(kinds: KindSet) -> Walk {
        Walk {
            kinds,
            through_hubs: false,
        }
    }
}

impl Default for Walk {
    fn default() -> Self {
        Walk::new(KindSet::all())
    }
}

/// The nodes within some hops of a centre, and the edges among them.
#[derive(Debug, Clone, Serialize)]
pub struct Neighborhood {
    /// The centre.
    #[serde(skip)]
    pub center: NodeIndex,
    /// Every node reached with its distance in hops, sorted by distance then node (entities
    /// first, by id).
    #[serde(skip)]
    pub nodes: Vec<(NodeIndex, u32)>,
    /// The edges of allowed kinds between nodes of the neighbourhood, in edge order.
    #[serde(skip)]
    pub edges: Vec<EdgeIndex>,
}

/// One hop of a path: every allowed edge between two consecutive nodes (either direction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    pub from: NodeIndex,
    pub to: NodeIndex,
    pub edges: Vec<EdgeIndex>,
}

/// A path between two entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// The nodes, from the start to the end.
    pub nodes: Vec<NodeIndex>,
    /// One step per hop.
    pub steps: Vec<PathStep>,
}

impl Path {
    /// Number of hops.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether the path has no hop (start = end).
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

type Banned = (HashSet<NodeIndex>, HashSet<(NodeIndex, NodeIndex)>);

impl EntityGraph {
    /// Whether a walk may continue from this node.
    fn passable(&self, n: NodeIndex, walk: &Walk) -> bool {
        match &self.graph[n] {
            Node::Entity(_) => true,
            Node::Hub(_) => walk.through_hubs,
            Node::List(_) => false,
        }
    }

    /// The neighbours of a node over allowed edges, both directions: (other node, edge).
    pub fn links<'a>(
        &'a self,
        n: NodeIndex,
        kinds: KindSet,
    ) -> impl Iterator<Item = (NodeIndex, EdgeIndex)> + 'a {
        let out = self
            .graph
            .edges_directed(n, Direction::Outgoing)
            .filter(move |e| kinds.contains(e.weight().kind))
            .map(|e| (e.target(), e.id()));
        let inc = self
            .graph
            .edges_directed(n, Direction::Incoming)
            .filter(move |e| kinds.contains(e.weight().kind))
            .map(|e| (e.source(), e.id()));
        out.chain(inc)
    }

    /// Every node within `hops` of an entity, and the edges among them.
    ///
    /// Returns `None` if the entity is not in the graph.
    ///
    /// # Complexity
    /// O(sum of the degrees of the nodes reached within `hops − 1`), plus a sort of the result.
    pub fn neighbors(&self, entity: EntityId, hops: u32, walk: &Walk) -> Option<Neighborhood> {
        let center = self.node(entity)?;
        let mut depth: HashMap<NodeIndex, u32> = HashMap::new();
        depth.insert(center, 0);
        let mut frontier = vec![center];
        for d in 1..=hops {
            let mut next = Vec::new();
            for &n in &frontier {
                if n != center && !self.passable(n, walk) {
                    continue;
                }
                for (m, _) in self.links(n, walk.kinds) {
                    if let std::collections::hash_map::Entry::Vacant(v) = depth.entry(m) {
                        v.insert(d);
                        next.push(m);
                    }
                }
            }
            if next.is_empty() {
                break;
            }
            frontier = next;
        }
        let mut nodes: Vec<(NodeIndex, u32)> = depth.iter().map(|(n, d)| (*n, *d)).collect();
        nodes.sort_unstable_by_key(|(n, d)| (*d, *n));
        let mut edges: Vec<EdgeIndex> = Vec::new();
        for &(n, _) in &nodes {
            for e in self.graph.edges_directed(n, Direction::Outgoing) {
                if walk.kinds.contains(e.weight().kind) && depth.contains_key(&e.target()) {
                    edges.push(e.id());
                }
            }
        }
        edges.sort_unstable();
        Some(Neighborhood {
            center,
            nodes,
            edges,
        })
    }

    /// A shortest path (fewest hops) between two entities, or `None` if they are not connected
    /// over the allowed kinds (or either is unknown). Ties are broken towards the smaller node
    /// index, so the answer is the same on every run.
    ///
    /// # Complexity
    /// Bidirectional breadth-first search: O(degree sum of the nodes within half the distance of
    /// each end) in the usual case, O(V + E) at worst.
    pub fn shortest_path(&self, a: EntityId, b: EntityId, walk: &Walk) -> Option<Path> {
        let (a, b) = (self.node(a)?, self.node(b)?);
        let nodes = self.bfs_path(a, b, walk, &(HashSet::new(), HashSet::new()))?;
        Some(self.path_of(nodes, walk))
    }

    /// Up to `k` shortest loop-free paths between two entities, shortest first (Yen's
    /// algorithm over hop counts; parallel edges between two nodes count as one link).
    ///
    /// # Complexity
    /// O(k · L) breadth-first searches for paths of L hops.
    pub fn k_shortest_paths(&self, a: EntityId, b: EntityId, k: usize, walk: &Walk) -> Vec<Path> {
        let (Some(a), Some(b)) = (self.node(a), self.node(b)) else {
            return Vec::new();
        };
        let mut found: Vec<Vec<NodeIndex>> = Vec::new();
        let none = (HashSet::new(), HashSet::new());
        let Some(first) = self.bfs_path(a, b, walk, &none) else {
            return Vec::new();
        };
        found.push(first);
        let mut candidates: BTreeSet<(usize, Vec<NodeIndex>)> = BTreeSet::new();
        while found.len() < k {
            let last = found.last().expect("non-empty").clone();
            for i in 0..last.len().saturating_sub(1) {
                let spur = last[i];
                let root = &last[..=i];
                let mut banned: Banned = (HashSet::new(), HashSet::new());
                for p in &found {
                    if p.len() > i + 1 && p[..=i] == *root {
                        banned.1.insert((p[i], p[i + 1]));
                        banned.1.insert((p[i + 1], p[i]));
                    }
                }
                banned.0.extend(root[..i].iter().copied());
                if let Some(tail) = self.bfs_path(spur, b, walk, &banned) {
                    let mut full = root[..i].to_vec();
                    full.extend(tail);
                    if !found.contains(&full) {
                        candidates.insert((full.len(), full));
                    }
                }
            }
            match candidates.pop_first() {
                Some((_, p)) => found.push(p),
                None => break,
            }
        }
        found.into_iter().map(|p| self.path_of(p, walk)).collect()
    }

    fn path_of(&self, nodes: Vec<NodeIndex>, walk: &Walk) -> Path {
        let steps = nodes
            .windows(2)
            .map(|w| {
                let mut edges: Vec<EdgeIndex> = self
                    .graph
                    .edges_connecting(w[0], w[1])
                    .chain(self.graph.edges_connecting(w[1], w[0]))
                    .filter(|e| walk.kinds.contains(e.weight().kind))
                    .map(|e| e.id())
                    .collect();
                edges.sort_unstable();
                edges.dedup();
                PathStep {
                    from: w[0],
                    to: w[1],
                    edges,
                }
            })
            .collect();
        Path { nodes, steps }
    }

    /// Bidirectional BFS from `a` to `b` avoiding banned nodes and links; the node sequence.
    fn bfs_path(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        walk: &Walk,
        banned: &Banned,
    ) -> Option<Vec<NodeIndex>> {
        if a == b {
            return Some(vec![a]);
        }
        // parent maps: node → (predecessor towards its side's root, depth)
        let mut side: [HashMap<NodeIndex, (NodeIndex, u32)>; 2] = [HashMap::new(), HashMap::new()];
        side[0].insert(a, (a, 0));
        side[1].insert(b, (b, 0));
        let mut frontier: [Vec<NodeIndex>; 2] = [vec![a], vec![b]];
        loop {
            if frontier[0].is_empty() || frontier[1].is_empty() {
                return None;
            }
            // Expand the smaller frontier by one full level.
            let s = usize::from(frontier[1].len() < frontier[0].len());
            let o = 1 - s;
            let mut next = Vec::new();
            let mut best: Option<(u32, NodeIndex, NodeIndex)> = None; // (total, meet, from)
            let mut current = std::mem::take(&mut frontier[s]);
            current.sort_unstable();
            for &n in &current {
                let dn = side[s][&n].1;
                for (m, _) in self.links(n, walk.kinds) {
                    if banned.0.contains(&m) || banned.1.contains(&(n, m)) {
                        continue;
                    }
                    if let Some(&(_, dm)) = side[o].get(&m) {
                        let total = dn + 1 + dm;
                        if best.is_none_or(|(t, meet, from)| (total, m, n) < (t, meet, from)) {
                            best = Some((total, m, n));
                        }
                        continue;
                    }
                    if side[s].contains_key(&m) || !self.passable(m, walk) {
                        continue;
                    }
                    side[s].insert(m, (n, dn + 1));
                    next.push(m);
                }
            }
            if let Some((_, meet, from)) = best {
                // side s: root … from ; side o: meet … root
                let mut half_s = vec![from];
                let mut x = from;
                while side[s][&x].0 != x {
                    x = side[s][&x].0;
                    half_s.push(x);
                }
                half_s.reverse();
                let mut half_o = vec![meet];
                let mut y = meet;
                while side[o][&y].0 != y {
                    y = side[o][&y].0;
                    half_o.push(y);
                }
                half_s.extend(half_o);
                if s == 1 {
                    half_s.reverse();
                }
                return Some(half_s);
            }
            frontier[s] = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::tiny;
    use super::*;
    use crate::graph::EdgeKind;

    #[test]
    fn neighbors_respect_hops_and_kinds() {
        let g = tiny();
        let h = g.neighbors(EntityId(1), 1, &Walk::default()).unwrap();
        let ids: Vec<_> = h
            .nodes
            .iter()
            .filter_map(|(n, _)| g.entity_id(*n))
            .collect();
        assert_eq!(ids, [EntityId(1), EntityId(2), EntityId(3)]);
        let own = Walk::new(KindSet::of(&[EdgeKind::Owns]));
        let h = g.neighbors(EntityId(1), 3, &own).unwrap();
        let ids: Vec<_> = h
            .nodes
            .iter()
            .filter_map(|(n, _)| g.entity_id(*n))
            .collect();
        assert_eq!(ids, [EntityId(1), EntityId(2), EntityId(4)]);
    }

    #[test]
    fn shortest_and_k_shortest_paths() {
        let g = tiny();
        let p = g
            .shortest_path(EntityId(1), EntityId(4), &Walk::default())
            .unwrap();
        assert_eq!(p.len(), 2);
        let ps = g.k_shortest_paths(EntityId(1), EntityId(4), 5, &Walk::default());
        assert!(ps.len() >= 2, "{ps:?}");
        assert!(ps.windows(2).all(|w| w[0].len() <= w[1].len()));
        let mut seen = HashSet::new();
        assert!(ps.iter().all(|p| seen.insert(p.nodes.clone())));
        assert!(
            g.shortest_path(EntityId(1), EntityId(9), &Walk::default())
                .is_none()
        );
    }
}
