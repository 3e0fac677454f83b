//! Transshipment: a consignee in a hub whose notify party, end user or payer sits in a Tier 3
//! country, or controlled goods routed through a hub towards a Tier 3 country.
//!
//! Parameters: `countries.hubs`, `countries.tier3`, `countries.treat_as` (so Hong Kong can be
//! both a hub and China). Score: 0.25 for one hit, rising with the share of the member set's
//! controlled lines that hit (2 × share), capped at 1.
//!
//! # Complexity
//! O(n) in the member set's lines.

use serde_json::json;

use super::{Ctx, Finding};
use crate::score::policy::Tier;
use crate::score::{Ix, NONE, cc_str};

/// The score of a single hit; lower would let one odd line pass unseen, higher would let it
/// alert on its own with another weak signal.
pub const SINGLE_HIT: f64 = 0.25;

/// Detects hub consignees tied to Tier 3 parties and hub routes to Tier 3.
pub fn detect(ctx: &Ctx<'_>, members: &[Ix]) -> Option<Finding> {
    let (d, p) = (ctx.d, ctx.p);
    let lines = ctx.lines_of(members);
    if lines.is_empty() {
        return None;
    }
    let mut hits = Vec::new();
    let mut used = Vec::new();
    for &i in &lines {
        let l = &d.lines[i];
        let hub_consignee = l.dest.is_some_and(|c| p.is_hub(c))
            || d.entity(l.consignee).country.is_some_and(|c| p.is_hub(c));
        let mut why: Vec<String> = Vec::new();
        if hub_consignee {
            for (role, x) in l.roles() {
                if x == NONE || matches!(role, crate::score::groups::Role::Forwarder) {
                    continue;
                }
                let e = d.entity(x);
                if e.country.is_some_and(|c| p.tier(c) == Tier::Tier3) {
                    why.push(
                        format!("{role:?} {} in {}", e.name, cc_str(e.country)).to_lowercase(),
                    );
                }
            }
        }
        if l.transit_hub && l.route_tier3 {
            why.push("routed through a hub to a tier 3 country".into());
        }
        if !why.is_empty() {
            used.push(i);
            if hits.len() < 20 {
                hits.push(json!({
                    "at": d.at(l.source, l.line),
                    "consignee": d.entity(l.consignee).name,
                    "destination": cc_str(l.dest),
                    "reasons": why,
                }));
            }
        }
    }
    if used.is_empty() {
        return None;
    }
    let share = used.len() as f64 / lines.len() as f64;
    Some(Finding {
        detector: "transshipment",
        score: (2.0 * share).clamp(SINGLE_HIT, 1.0),
        summary: format!(
            "{} of {} controlled lines go to a hub consignee tied to a Tier 3 party or route via a hub to Tier 3",
            used.len(),
            lines.len()
        ),
        details: json!({ "hit_lines": used.len(), "lines": lines.len(), "examples": hits }),
        lines: used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testutil::*;

    fn run(w: World, members: &[Ix]) -> Option<Finding> {
        run_detector(w, members, detect)
    }

    #[test]
    fn fires_for_a_hub_consignee_with_a_china_payer() {
        let mut w = World::new();
        let a = w.company("A", "SG");
        let hk = w.company("HK payer", "HK"); // HK is treated as CN: Tier 3
        w.line(a).payer(hk).h100(10.0).push();
        w.line(a).payer(hk).h100(10.0).push();
        let f = run(w, &[a]).expect("fires");
        assert_eq!(f.score, 1.0);
    }

    #[test]
    fn silent_for_a_domestic_payer_or_a_non_hub_consignee() {
        let mut w = World::new();
        let a = w.company("A", "SG");
        let sg = w.company("SG parent", "SG");
        w.line(a).payer(sg).h100(10.0).push();
        assert!(run(w, &[a]).is_none());
        let mut w = World::new();
        let a = w.company("A", "IN");
        let cn = w.company("CN payer", "CN");
        w.line(a).payer(cn).h100(10.0).push();
        assert!(run(w, &[a]).is_none());
    }
}
