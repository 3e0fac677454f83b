//! Shell indicators: signs that a consignee is a front rather than a business.
//!
//! Per member with controlled lines, one fifth each: incorporated on or after the profile's
//! `control_start` or within `fan_in.new_days` before its first controlled line; at a
//! mass-registration address (see [`crate::score::groups`]); no website or only free-mail
//! contacts; a freight forwarder or an unrelated business line (`logistics_words`,
//! `unrelated_words`) as consignee of accelerators; a third party pays for most of its lines.
//! Score: the mean over those members.
//!
//! # Complexity
//! O(n) in the member set's lines.

use serde_json::json;

use super::{Ctx, Finding};
use crate::resolve::normalize::fold;
use crate::score::{Ix, NONE};

/// Number of indicators (each weighs 1/INDICATORS).
pub const INDICATORS: f64 = 5.0;

/// Detects shell indicators among the members that receive controlled goods.
pub fn detect(ctx: &Ctx<'_>, members: &[Ix]) -> Option<Finding> {
    let (d, p) = (ctx.d, ctx.p);
    let s = &p.detectors.shell_indicators;
    let mut per = Vec::new();
    let mut total = 0.0;
    let mut n = 0usize;
    for &m in members {
        let Some(lines) = ctx.by_consignee.get(&m) else {
            continue;
        };
        let e = d.entity(m);
        if !e.is_company() {
            continue;
        }
        n += 1;
        let mut why: Vec<&str> = Vec::new();
        let first = ctx.first_seen.get(&m).copied().unwrap_or(0);
        if e.incorporated.is_some_and(|inc| {
            inc >= p.control_start_day
                || (first >= inc && first - inc <= p.detectors.fan_in.new_days as i32)
        }) {
            why.push("newly incorporated");
        }
        if ctx.g.mass_address.contains(&m) {
            why.push("mass-registration address");
        }
        if !e.has_website || e.free_mail_only {
            why.push("no web presence or free-mail only");
        }
        let name = format!(" {} ", fold(&e.name));
        let has = |w: &String| name.contains(&format!(" {w} "));
        if s.logistics_words.iter().any(has) {
            why.push("freight forwarder as consignee of accelerators");
        } else if s.unrelated_words.iter().any(has) {
            why.push("unrelated business line as consignee of accelerators");
        }
        let paid: Vec<bool> = lines
            .iter()
            .map(|&i| d.lines[i].payer)
            .filter(|&x| x != NONE)
            .map(|x| x != m)
            .collect();
        if !paid.is_empty() && paid.iter().filter(|&&x| x).count() * 2 > lines.len() {
            why.push("a third party pays");
        }
        if !why.is_empty() {
            total += why.len() as f64 / INDICATORS;
            per.push(json!({ "entity": e.id, "name": e.name, "indicators": why }));
        }
    }
    if per.is_empty() || n == 0 {
        return None;
    }
    Some(Finding {
        detector: "shell_indicators",
        score: (total / n as f64).min(1.0),
        summary: format!("{} of {n} consignees show shell indicators", per.len()),
        details: json!({ "members": per }),
        lines: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testutil::*;
    use crate::score::{Catalog, groups, policy::parse_day};

    #[test]
    fn a_new_realtor_paid_by_others_scores_and_an_old_lab_does_not() {
        let mut w = World::new();
        let front = w.company("Sinar Realty Sdn Bhd", "MY");
        w.d.entities[front as usize].incorporated = parse_day("2024-01-01");
        w.d.entities[front as usize].has_website = false;
        let payer = w.company("Payer", "HK");
        w.line(front).payer(payer).h100(10.0).push();
        let lab = w.company("Research Computing Ltd", "SG");
        w.d.entities[lab as usize].incorporated = parse_day("1999-01-01");
        w.line(lab).payer(lab).h100(10.0).push();
        let (d, p) = w.data();
        let g = groups::build(&d, &p);
        let c = Catalog::builtin();
        let ctx = Ctx::new(&d, &p, &c, &g);
        let f = detect(&ctx, &[front]).expect("fires");
        assert!((f.score - 4.0 / INDICATORS).abs() < 1e-9, "{}", f.details);
        assert!(detect(&ctx, &[lab]).is_none());
    }
}
