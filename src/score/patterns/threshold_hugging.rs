//! Threshold hugging: per-holder window totals bunched just under the threshold.
//!
//! Parameters: `detectors.threshold_hugging.band` (totals in `[band × threshold, threshold]`
//! hug) and `min_hits` (at least this many hugging member-windows). Score: hits / (2 × min_hits),
//! capped at 1. Off when the profile has no threshold.
//!
//! # Complexity
//! O(n log n) in the member set's lines.

use serde_json::json;

use super::{Ctx, Finding};
use crate::score::Ix;

/// Detects totals bunched under the threshold.
pub fn detect(ctx: &Ctx<'_>, members: &[Ix]) -> Option<Finding> {
    let p = ctx.p;
    let h = &p.detectors.threshold_hugging;
    if p.threshold <= 0.0 {
        return None;
    }
    let t = p.threshold;
    let lines = ctx.threshold_lines(members);
    let mut hits = Vec::new();
    let mut used = Vec::new();
    let set: crate::score::fast::HashSet<Ix> = members.iter().copied().collect();
    for w in ctx.windows(members, &lines) {
        for (m, v) in &w.members {
            if *v >= h.band * t && *v <= t {
                hits.push(json!({
                    "entity": ctx.d.entity(*m).id,
                    "name": ctx.d.entity(*m).name,
                    "window": w.label,
                    "total": v,
                    "share_of_threshold": v / t,
                }));
                used.extend(
                    w.lines
                        .iter()
                        .copied()
                        .filter(|&i| ctx.holder(&ctx.d.lines[i], &set) == *m),
                );
            }
        }
    }
    if hits.len() < h.min_hits as usize {
        return None;
    }
    used.sort_unstable();
    used.dedup();
    Some(Finding {
        detector: "threshold_hugging",
        score: (hits.len() as f64 / (2.0 * f64::from(h.min_hits))).min(1.0),
        summary: format!(
            "{} member-window totals between {:.0} % and 100 % of the threshold",
            hits.len(),
            h.band * 100.0
        ),
        details: json!({ "band": h.band, "threshold": t, "hits": hits }),
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
    fn fires_on_repeated_totals_just_under() {
        let mut w = World::new();
        let a = w.company("A", "SG");
        w.line(a).h100(1600.0).date("2024-05-01").push(); // 94 %
        w.line(a).h100(1650.0).date("2025-05-01").push(); // 97 %
        let f = run(w, &[a]).expect("fires");
        assert_eq!(f.details["hits"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn silent_for_one_year_or_small_totals() {
        let mut w = World::new();
        let a = w.company("A", "SG");
        w.line(a).h100(1600.0).date("2024-05-01").push();
        w.line(a).h100(100.0).date("2025-05-01").push();
        assert!(run(w, &[a]).is_none());
    }
}
