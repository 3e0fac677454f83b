//! Structuring: a beneficiary group whose members each stay under the threshold in a window
//! while the group's total exceeds it.
//!
//! Parameters: the profile's `threshold`, `window`, `aggregation`, `countries.allowance_applies_to`
//! and `detectors.structuring.min_members` and `count_hubs`. Lines count when their destination is
//! in a group the allowance applies to, or (`count_hubs`) is a transshipment hub whatever its tier;
//! transfers between members (the same chips again) do not. Fronts split orders in a hub whether
//! or not the allowance formally applies there: in a Tier 1 hub no licence is needed yet the split
//! keeps each buyer small to its vendors; in a Tier 3 hub (Hong Kong as China) every order needed
//! a licence. A window's orders to hubs outside the allowance are reported apart
//! (`outside_allowance`) and named in the summary, since what they evade differs.
//!
//! Score, per window whose group total exceeds the threshold with at least `min_members`
//! contributing: the sum received by consignees whose *declared* total is at or under the
//! threshold, in thresholds, capped at 1 (a consignee declared over it is visible to the
//! per-consignee check and is not what *structuring* hides; what the consignees under it
//! received together is, suspected misdeclarations included, since the check saw none of those).
//! Counted per consignee whatever the profile's aggregation unit: a declared common end user
//! does not undo the split. The finding keeps the best window and lists every window over the
//! threshold with its totals in the measure, TPP and H100-equivalents, the upper-bound total,
//! and the per-consignee totals it scored (`consignees`: entity, name, total, declared part,
//! share of the threshold, under or not). When the
//! aggregation unit holds lines differently (a declared end user that is a member holds its
//! fronts' lines), the per-holder totals follow as `holders`.
//!
//! # Complexity
//! O(n log n) in the group's lines.

use std::collections::BTreeMap;

use serde_json::json;

use super::{Ctx, Finding, name};
use crate::score::policy::Tier;
use crate::score::{Ix, cc_str};

/// The part of a window's orders that went to hubs the allowance does not apply to (counted
/// because the profile counts hubs): its total, the destinations, and what each one's tier means.
fn outside_allowance(ctx: &Ctx<'_>, lines: &[usize]) -> Option<serde_json::Value> {
    let p = ctx.p;
    let mut total = 0.0;
    let mut dests: BTreeMap<[u8; 2], f64> = BTreeMap::new();
    for &i in lines {
        let l = &ctx.d.lines[i];
        if let Some(c) = l.dest.filter(|&c| !p.allowance_applies(c)) {
            let a = l.amount(p, ctx.c);
            total += a;
            *dests.entry(c).or_default() += a;
        }
    }
    if total <= 0.0 {
        return None;
    }
    let note: Vec<String> = dests
        .keys()
        .map(|&c| {
            let what = match p.tier(c) {
                Tier::Tier3 => "licence required",
                Tier::Tier1 => "no licence needed",
                Tier::Tier2 => "not in the allowance",
            };
            format!("{}: {what}", cc_str(Some(c)))
        })
        .collect();
    let dests: serde_json::Map<String, serde_json::Value> = dests
        .into_iter()
        .map(|(c, a)| (cc_str(Some(c)), json!(a)))
        .collect();
    Some(json!({ "total": total, "destinations": dests, "note": note.join(", ") }))
}

/// Detects structuring in a member set.
pub fn detect(ctx: &Ctx<'_>, members: &[Ix]) -> Option<Finding> {
    let p = ctx.p;
    if p.threshold <= 0.0 || members.len() < p.detectors.structuring.min_members as usize {
        return None;
    }
    let t = p.threshold;
    let lines = ctx.threshold_lines(members);
    let windows = ctx.windows(members, &lines);
    let upper_windows = members.first().and_then(|&m| ctx.upper_totals(m));
    let mut best = 0.0f64;
    let mut fired = Vec::new();
    let mut used = Vec::new();
    for w in &windows {
        // What each consignee received: the orders were placed, and each order passed the
        // exporter's check, consignee by consignee. Holding by the profile's aggregation unit
        // (`w.members`: the declared end user, when it is a member) would make a group whose
        // fronts all name one end user a single holder over the threshold, and the split that
        // hid it from the per-consignee check invisible here.
        let contributing = w.consignees.values().filter(|&&v| v > 0.0).count();
        if w.total <= t || contributing < p.detectors.structuring.min_members as usize {
            continue;
        }
        // Under means under *as declared*: the exporter's per-consignee check sees the declared
        // goods, so a consignee whose misdeclared lines carry it over the threshold was hidden
        // from it all the same.
        let hidden = |c: &Ix| w.consignees_declared.get(c).copied().unwrap_or(0.0) <= t;
        let under: f64 = w
            .consignees
            .iter()
            .filter(|(c, _)| hidden(c))
            .map(|(_, v)| v)
            .sum();
        let s = (under / t).min(1.0);
        if s <= 0.0 {
            continue;
        }
        best = best.max(s);
        used.extend(w.lines.iter().copied());
        let outside = outside_allowance(ctx, &w.lines);
        let upper = upper_windows
            .and_then(|u| u.get(&w.label))
            .map_or(w.total, |u| u.max(w.total));
        fired.push(json!({
            "window": w.label,
            "total": w.total,
            "upper_total": upper,
            "ratio": w.total / t,
            "tpp": w.declared_tpp + w.suspected_tpp,
            "declared_tpp": w.declared_tpp,
            "suspected_tpp": w.suspected_tpp,
            "h100e": (w.declared_tpp + w.suspected_tpp) / ctx.c.h100_tpp,
            "consignees_under": w.consignees.iter().filter(|(c, v)| **v > 0.0 && hidden(c)).count(),
            "consignees": totals_json(ctx, &w.consignees, Some(&w.consignees_declared)),
            "lines": w.lines.len(),
        }));
        if let (Some(o), Some(serde_json::Value::Object(last))) = (outside, fired.last_mut()) {
            last.insert("outside_allowance".into(), o);
        }
        // The holders (the aggregation unit's totals) are shown beside what was scored when
        // they differ: under ultimate-consignee aggregation a declared end user holds its
        // fronts' lines.
        if w.members != w.consignees
            && let Some(serde_json::Value::Object(o)) = fired.last_mut()
        {
            o.insert("holders".into(), totals_json(ctx, &w.members, None));
        }
    }
    if fired.is_empty() {
        return None;
    }
    used.sort_unstable();
    used.dedup();
    let top = &fired
        .iter()
        .max_by(|a, b| {
            a["ratio"]
                .as_f64()
                .partial_cmp(&b["ratio"].as_f64())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .expect("non-empty");
    let outside = match &top["outside_allowance"] {
        serde_json::Value::Object(o) => format!(
            "; {:.0}% of it to hubs outside the allowance ({})",
            100.0 * o["total"].as_f64().unwrap_or(0.0) / top["total"].as_f64().unwrap_or(1.0),
            o["note"].as_str().unwrap_or(""),
        ),
        _ => String::new(),
    };
    Some(Finding {
        detector: "structuring",
        score: best.min(1.0),
        summary: format!(
            "{} consignees each under {} {} per {}, together {:.2}× the threshold in {} (led by {}){outside}",
            top["consignees_under"].as_u64().unwrap_or(0),
            t,
            p.unit(),
            p.window.describe(),
            top["ratio"].as_f64().unwrap_or(0.0),
            top["window"].as_str().unwrap_or(""),
            name(ctx.d, members[0]),
        ),
        details: json!({
            "threshold": t,
            "unit": p.unit(),
            "window": p.window.describe(),
            "windows": fired,
        }),
        lines: used,
    })
}

/// Per-entity window totals as evidence: entity id, name, total, share of the threshold and
/// whether it is at or under the threshold.
/// Totals per entity with their share of the threshold. With `declared` (per consignee), each
/// lists its declared part too, and is `under` when that is: what the per-consignee check saw.
fn totals_json(
    ctx: &Ctx<'_>,
    totals: &BTreeMap<Ix, f64>,
    declared: Option<&BTreeMap<Ix, f64>>,
) -> serde_json::Value {
    let t = ctx.p.threshold;
    totals
        .iter()
        .map(|(m, v)| {
            let mut o = json!({
                "entity": ctx.d.entity(*m).id,
                "name": ctx.d.entity(*m).name,
                "total": v,
                "share_of_threshold": v / t,
            });
            let seen = match declared {
                Some(d) => {
                    let x = d.get(m).copied().unwrap_or(0.0);
                    o["declared"] = json!(x);
                    x
                }
                None => *v,
            };
            o["under"] = json!(seen <= t);
            o
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testutil::*;

    fn run(w: World, members: &[Ix]) -> Option<Finding> {
        run_detector(w, members, detect)
    }

    #[test]
    fn fires_when_members_are_under_and_the_group_is_over() {
        let mut w = World::new();
        let fronts: Vec<Ix> = (0..3).map(|i| w.company(&format!("F{i}"), "SG")).collect();
        for &f in &fronts {
            for _ in 0..4 {
                w.line(f).h100(300.0).push(); // 1,200 H100 each = 19.0M TPP < 26.9M
            }
        }
        let f = run(w, &fronts).expect("fires");
        assert_eq!(f.score, 1.0);
        let win = &f.details["windows"][0];
        assert!((win["ratio"].as_f64().unwrap() - 3.0 * 1200.0 * H100 / 26.9e6).abs() < 1e-9);
        assert_eq!(f.lines.len(), 12);
        assert_eq!(win["consignees"].as_array().unwrap().len(), 3);
        assert!(
            win.get("holders").is_none(),
            "holders equal consignees here"
        );
    }

    #[test]
    fn silent_under_the_threshold_outside_tier2_or_across_years() {
        // Under in total.
        let mut w = World::new();
        let fronts: Vec<Ix> = (0..2).map(|i| w.company(&format!("F{i}"), "SG")).collect();
        for &f in &fronts {
            w.line(f).h100(500.0).push();
        }
        assert!(run(w, &fronts).is_none());
        // Over, but to Tier 1 (no allowance applies).
        let mut w = World::new();
        let fronts: Vec<Ix> = (0..2).map(|i| w.company(&format!("F{i}"), "DE")).collect();
        for &f in &fronts {
            w.line(f).h100(1500.0).push();
        }
        assert!(run(w, &fronts).is_none());
        // Over in sum, but split across two calendar years.
        let mut w = World::new();
        let fronts: Vec<Ix> = (0..2).map(|i| w.company(&format!("F{i}"), "MY")).collect();
        w.line(fronts[0]).h100(1000.0).date("2024-06-01").push();
        w.line(fronts[1]).h100(1000.0).date("2025-06-01").push();
        assert!(run(w, &fronts).is_none());
        // A single consignee over the threshold is the naive check's business.
        let mut w = World::new();
        let (a, b) = (w.company("A", "MY"), w.company("B", "MY"));
        w.line(a).h100(2000.0).push();
        w.line(b).h100(1.0).push();
        let f = run(w, &[a, b]);
        assert!(f.is_none_or(|f| f.score < 0.01));
    }

    #[test]
    fn fires_when_the_fronts_declare_their_common_end_user() {
        // Ultimate-consignee aggregation holds these lines by the end user, a member of the
        // group; each consignee still received under the threshold.
        let mut w = World::new();
        let fronts: Vec<Ix> = (0..3).map(|i| w.company(&format!("F{i}"), "MY")).collect();
        let beneficiary = w.company("B", "IR");
        for &f in &fronts {
            w.line(f).h100(1000.0).end_user(beneficiary).push();
        }
        let mut members = fronts.clone();
        members.push(beneficiary);
        let f = run(w, &members).expect("fires");
        assert_eq!(f.score, 1.0);
        // The evidence lists what was scored: each front, under the threshold …
        let win = &f.details["windows"][0];
        let cons = win["consignees"].as_array().expect("consignees");
        let ids: Vec<i64> = cons.iter().map(|c| c["entity"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![1, 2, 3], "the three fronts, not the end user");
        assert!(cons.iter().all(|c| c["under"] == true));
        // … and, apart, the end user that holds their lines under the aggregation unit.
        let holders = win["holders"].as_array().expect("holders differ, so shown");
        assert_eq!(holders.len(), 1);
        assert_eq!(holders[0]["entity"], 4);
        assert_eq!(holders[0]["under"], false);
    }

    #[test]
    fn hub_orders_count_whatever_the_tier_and_are_reported_apart() {
        // Taiwan is Tier 1 (no allowance needed) and Hong Kong Tier 3 (as China), both hubs.
        let world = |count_hubs: bool| {
            let mut w = World::new();
            w.policy.detectors.structuring.count_hubs = count_hubs;
            let tw = w.company("TW front", "TW");
            let hk = w.company("HK front", "HK");
            let my = w.company("MY front", "MY");
            for f in [tw, hk, my] {
                w.line(f).h100(1000.0).push(); // 15.8M TPP each, under 26.9M
            }
            (w, vec![tw, hk, my])
        };
        let (w, fronts) = world(true);
        let f = run(w, &fronts).expect("fires on the hubs' orders");
        let win = &f.details["windows"][0];
        assert_eq!(win["consignees"].as_array().unwrap().len(), 3);
        let out = &win["outside_allowance"];
        assert!((out["total"].as_f64().unwrap() - 2000.0 * H100).abs() < 1e-6);
        assert_eq!(
            out["note"], "HK: licence required, TW: no licence needed",
            "what each destination's tier means"
        );
        assert!(
            f.summary
                .contains("67% of it to hubs outside the allowance"),
            "{}",
            f.summary
        );
        // Without count_hubs only the Malaysian front counts: under the threshold.
        let (w, fronts) = world(false);
        assert!(run(w, &fronts).is_none());
    }

    #[test]
    fn under_means_under_as_declared() {
        // A's declared orders are under the threshold; its suspected misdeclarations carry it
        // over, but the per-consignee check never saw those, so A still hid from it.
        let mut w = World::new();
        let (a, b) = (w.company("A", "MY"), w.company("B", "MY"));
        w.line(a).h100(1000.0).push();
        w.line(a).suspect(1000.0).push();
        w.line(b).h100(1000.0).push();
        let f = run(w, &[a, b]).expect("fires");
        assert_eq!(f.score, 1.0);
        let cons = f.details["windows"][0]["consignees"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(cons[0]["under"], true);
        assert!(cons[0]["share_of_threshold"].as_f64().unwrap() > 1.0);
        assert!((cons[0]["declared"].as_f64().unwrap() - 1000.0 * H100).abs() < 1e-6);
        // Declared over the threshold, A is the naive check's business: only B counts.
        let mut w = World::new();
        let (a, b) = (w.company("A", "MY"), w.company("B", "MY"));
        w.line(a).h100(2000.0).push();
        w.line(b).h100(100.0).push();
        let f = run(w, &[a, b]).expect("B's share still fires, weakly");
        assert!(f.score < 0.1);
        assert_eq!(f.details["windows"][0]["consignees_under"], 1);
    }

    #[test]
    fn rolling_window_catches_a_burst_across_new_year() {
        let mut w = World::new();
        w.policy.window = crate::score::policy::Window::Rolling { days: 90 };
        let fronts: Vec<Ix> = (0..2).map(|i| w.company(&format!("F{i}"), "TH")).collect();
        w.line(fronts[0]).h100(1000.0).date("2024-12-20").push();
        w.line(fronts[1]).h100(1000.0).date("2025-01-10").push();
        assert!(run(w, &fronts).is_some());
    }
}
