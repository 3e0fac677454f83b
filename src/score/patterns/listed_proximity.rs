//! Listed proximity: a member within K hops of a screening-listed entity, or at least 50 %
//! owned by listed parties.
//!
//! Parameters (`detectors.listed_proximity`): `max_hops`, `owned_share`. Hops run over entity
//! links: every relationship (owner, director, officer, family, associate — nominee directors
//! left out) and the parties named on shipments (end user, notify party, payer; not forwarders or
//! suppliers, and not parties on the lines of more than `groups.flow_hub` consignees, which would
//! put everyone two hops from everything). Score: 1 for a listed member or ≥ `owned_share` owned
//! by listed parties, then 0.8, 0.5, 0.3 … for 1, 2, 3+ hops.
//!
//! # Complexity
//! Adjacency O(R + L) once; per member set a BFS bounded by `max_hops`.

use crate::score::fast::{HashMap, HashSet};
use std::collections::VecDeque;

use serde_json::json;

use super::{Ctx, Finding};
use crate::score::groups::Groups;
use crate::score::policy::Policy;
use crate::score::{Data, Ix, NONE};

/// Score by hop count (index = hops; beyond the table the last value holds).
pub const BY_HOPS: [f64; 4] = [1.0, 0.8, 0.5, 0.3];

/// Builds the entity adjacency the BFS walks.
pub fn adjacency(d: &Data, p: &Policy, g: &Groups) -> Vec<Vec<Ix>> {
    let mut adj: Vec<Vec<Ix>> = vec![Vec::new(); d.entities.len()];
    for r in &d.rels {
        if g.nominees.contains(&r.from) {
            continue;
        }
        adj[r.from as usize].push(r.to);
        adj[r.to as usize].push(r.from);
    }
    let mut fanout: HashMap<Ix, HashSet<Ix>> = HashMap::default();
    for l in &d.lines {
        for x in [l.end_user, l.notify, l.payer] {
            if x != NONE {
                fanout.entry(x).or_default().insert(l.consignee);
            }
        }
    }
    for l in &d.lines {
        for x in [l.end_user, l.notify, l.payer] {
            if x != NONE && fanout[&x].len() <= p.groups.flow_hub as usize {
                adj[l.consignee as usize].push(x);
                adj[x as usize].push(l.consignee);
            }
        }
    }
    for v in &mut adj {
        v.sort_unstable();
        v.dedup();
    }
    adj
}

/// Detects proximity to listed entities.
pub fn detect(ctx: &Ctx<'_>, members: &[Ix]) -> Option<Finding> {
    let (d, lp) = (ctx.d, &ctx.p.detectors.listed_proximity);
    // The 50 % rule.
    for &m in members {
        // The same holding may be recorded by several sources: each owner counts once.
        let by_owner = ctx.listed_owners.get(&m).cloned().unwrap_or_default();
        let listed_share: f64 = by_owner.values().sum::<f64>().min(100.0);
        if listed_share >= lp.owned_share {
            return Some(Finding {
                detector: "listed_proximity",
                score: 1.0,
                summary: format!(
                    "{} is {listed_share:.0} % owned by listed parties",
                    d.entity(m).name
                ),
                details: json!({ "entity": d.entity(m).id, "listed_owned_share": listed_share }),
                lines: Vec::new(),
            });
        }
    }
    // BFS from all members at once.
    let mut prev: HashMap<Ix, Ix> = HashMap::default();
    let mut q: VecDeque<(Ix, u32)> = VecDeque::new();
    for &m in members {
        prev.insert(m, NONE);
        q.push_back((m, 0));
    }
    let mut hit: Option<(Ix, u32)> = None;
    while let Some((x, h)) = q.pop_front() {
        if d.entity(x).listed.is_some() {
            hit = Some((x, h));
            break;
        }
        if h >= lp.max_hops {
            continue;
        }
        for &y in &ctx.adjacency[x as usize] {
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(y) {
                e.insert(x);
                q.push_back((y, h + 1));
            }
        }
    }
    let (listed, hops) = hit?;
    let mut path = vec![listed];
    let mut cur = listed;
    while let Some(&p) = prev.get(&cur) {
        if p == NONE {
            break;
        }
        path.push(p);
        cur = p;
    }
    path.reverse();
    let e = d.entity(listed);
    let (list, record) = e.listed.clone().unwrap_or_default();
    Some(Finding {
        detector: "listed_proximity",
        score: BY_HOPS[(hops as usize).min(BY_HOPS.len() - 1)],
        summary: format!("{hops} hop(s) from {} (listed: {list})", e.name),
        details: json!({
            "listed_entity": e.id,
            "listed_name": e.name,
            "list": list,
            "listed_record": record,
            "hops": hops,
            "path": path.iter().map(|&x| json!({"entity": d.entity(x).id, "name": d.entity(x).name})).collect::<Vec<_>>(),
        }),
        lines: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testutil::*;
    use crate::score::{Catalog, groups};

    #[test]
    fn hops_and_the_fifty_percent_rule() {
        let mut w = World::new();
        let (a, b, far) = (
            w.company("A", "SG"),
            w.company("B", "SG"),
            w.company("Far", "SG"),
        );
        let listed = w.company("Listed", "CN");
        w.d.entities[listed as usize].listed = Some(("Entity List".into(), 1));
        let owner = w.person("Owner");
        w.rel(owner, listed, "director", None);
        w.rel(owner, a, "owner", Some(30.0)); // a — owner — listed: 2 hops
        w.rel(listed, b, "owner", Some(60.0)); // b is 60 % owned by a listed party
        let hub = w.company("Hub", "SG");
        w.line(a).h100(1.0).push();
        w.line(far).notify(hub).h100(1.0).push();
        let (d, p) = w.data();
        let g = groups::build(&d, &p);
        let c = Catalog::builtin();
        let ctx = Ctx::new(&d, &p, &c, &g);
        let f = detect(&ctx, &[a]).expect("a is near");
        assert_eq!(f.details["hops"], 2);
        assert_eq!(f.score, 0.5);
        assert_eq!(detect(&ctx, &[b]).expect("b is owned").score, 1.0);
        assert!(detect(&ctx, &[far]).is_none());
    }
}
