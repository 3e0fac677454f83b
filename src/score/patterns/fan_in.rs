//! Fan-in: many new consignees starting to feed one end user, notify party, payer or forwarder
//! within a short window.
//!
//! Parameters (`detectors.fan_in`): `min_consignees`, `new_days` (a consignee is new if it was
//! incorporated at most this many days before its first line to the party; a company whose
//! incorporation is unknown is not counted as new), `window_days` (the new consignees' first lines to the party fall
//! within this many days). Parties on the lines of more than `groups.flow_hub` consignees
//! (carriers, placeholders) are skipped. Score: count / (2 × min_consignees), capped at 1.
//!
//! # Complexity
//! O(Σ lines of the parties the member set's lines name).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::{Ctx, Finding};
use crate::score::policy::format_day;
use crate::score::{Ix, NONE};

/// The fan-in around one party: the largest set of new consignees whose first line to it falls
/// within `window_days`. Computed once per party by [`Ctx::new`].
pub fn per_party(
    d: &crate::score::Data,
    p: &crate::score::Policy,
    x: Ix,
    lines: &[usize],
) -> Option<(usize, serde_json::Value, Vec<usize>)> {
    let f = &p.detectors.fan_in;
    // First line of each consignee to x.
    let mut first: BTreeMap<Ix, (i32, usize)> = BTreeMap::new();
    for &i in lines {
        let l = &d.lines[i];
        let e = first.entry(l.consignee).or_insert((l.day, i));
        if l.day < e.0 {
            *e = (l.day, i);
        }
    }
    if first.len() > p.groups.flow_hub as usize || first.len() < f.min_consignees as usize {
        return None;
    }
    let mut new: Vec<(i32, Ix, usize)> = first
        .iter()
        .filter(|(c, (day, _))| {
            d.entity(**c)
                .incorporated
                .is_some_and(|inc| *day - inc <= f.new_days as i32 && *day >= inc)
        })
        .map(|(c, (day, i))| (*day, *c, *i))
        .collect();
    new.sort_unstable();
    let (mut lo, mut top) = (0usize, (0usize, 0usize));
    for hi in 0..new.len() {
        while new[hi].0 - new[lo].0 > f.window_days as i32 {
            lo += 1;
        }
        if hi + 1 - lo > top.1 - top.0 {
            top = (lo, hi + 1);
        }
    }
    let n = top.1 - top.0;
    if n < f.min_consignees as usize {
        return None;
    }
    let win = &new[top.0..top.1];
    let role = lines
        .first()
        .and_then(|&i| d.lines[i].roles().into_iter().find(|(_, y)| *y == x))
        .map_or("party", |(r, _)| role_name(r));
    Some((
        n,
        json!({
            "party": d.entity(x).id,
            "party_name": d.entity(x).name,
            "role": role,
            "from": format_day(win[0].0),
            "to": format_day(win[win.len() - 1].0),
            "new_consignees": win.iter().map(|(day, c, _)| json!({
                "entity": d.entity(*c).id, "name": d.entity(*c).name, "first_line": format_day(*day),
            })).collect::<Vec<_>>(),
        }),
        win.iter().map(|w| w.2).collect(),
    ))
}

/// Detects fan-in around the parties on a member set's lines.
pub fn detect(ctx: &Ctx<'_>, members: &[Ix]) -> Option<Finding> {
    let f = &ctx.p.detectors.fan_in;
    let d = ctx.d;
    let mut parties: BTreeSet<Ix> = BTreeSet::new();
    for i in ctx.lines_of(members) {
        for (_, x) in d.lines[i].roles() {
            if x != NONE {
                parties.insert(x);
            }
        }
    }
    let mut best: Option<&(usize, serde_json::Value, Vec<usize>)> = None;
    for x in parties {
        if let Some(found) = ctx.fan_in.get(&x)
            && best.is_none_or(|b| b.0 < found.0)
        {
            best = Some(found);
        }
    }
    let (n, details, lines) = best?.clone();
    Some(Finding {
        detector: "fan_in",
        score: (n as f64 / (2.0 * f64::from(f.min_consignees))).min(1.0),
        summary: format!(
            "{n} new consignees began feeding {} ({}) within {} days",
            details["party_name"].as_str().unwrap_or(""),
            details["role"].as_str().unwrap_or(""),
            f.window_days
        ),
        details,
        lines,
    })
}

fn role_name(r: crate::score::groups::Role) -> &'static str {
    match r {
        crate::score::groups::Role::EndUser => "end user",
        crate::score::groups::Role::Notify => "notify party",
        crate::score::groups::Role::Payer => "payer",
        crate::score::groups::Role::Forwarder => "forwarder",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::policy::parse_day;
    use crate::score::testutil::*;

    fn run(w: World, members: &[Ix]) -> Option<Finding> {
        run_detector(w, members, detect)
    }

    #[test]
    fn fires_on_new_companies_feeding_one_party() {
        let mut w = World::new();
        let ben = w.company("Ben", "HK");
        let fronts: Vec<Ix> = (0..4).map(|i| w.company(&format!("F{i}"), "SG")).collect();
        for (i, &f) in fronts.iter().enumerate() {
            w.d.entities[f as usize].incorporated = parse_day("2025-01-01");
            w.line(f)
                .notify(ben)
                .h100(10.0)
                .date(&format!("2025-0{}-01", i + 2))
                .push();
        }
        let f = run(w, &fronts[..1]).expect("fires");
        assert_eq!(f.details["new_consignees"].as_array().unwrap().len(), 4);
    }

    #[test]
    fn silent_for_established_buyers_or_a_spread_over_years() {
        let mut w = World::new();
        let ben = w.company("Ben", "HK");
        let fronts: Vec<Ix> = (0..4).map(|i| w.company(&format!("F{i}"), "SG")).collect();
        for (i, &f) in fronts.iter().enumerate() {
            w.d.entities[f as usize].incorporated = parse_day("2001-01-01");
            w.line(f)
                .notify(ben)
                .h100(10.0)
                .date(&format!("2025-0{}-01", i + 2))
                .push();
        }
        assert!(run(w, &fronts[..1]).is_none(), "old companies");
        let mut w = World::new();
        let ben = w.company("Ben", "HK");
        let fronts: Vec<Ix> = (0..4).map(|i| w.company(&format!("F{i}"), "SG")).collect();
        for (i, &f) in fronts.iter().enumerate() {
            let y = 2020 + 2 * i;
            w.d.entities[f as usize].incorporated = parse_day(&format!("{y}-01-01"));
            w.line(f)
                .notify(ben)
                .h100(10.0)
                .date(&format!("{y}-03-01"))
                .push();
        }
        assert!(
            run(w, &fronts[..1]).is_none(),
            "one new consignee every two years"
        );
    }
}
