//! Misdeclaration: a controlled HS code or a harmless description ("adapter", "sample",
//! "computer parts", …) on a line priced like an accelerator or a server.
//!
//! Parameters (`detectors.misdeclaration`): `accelerator_unit_price`, `server_unit_price`,
//! `server_accelerators`; the catalog's `harmless`, `hs_of_interest` and `not_controlled` lists.
//! Classification happens once per line at load ([`crate::score::Catalog::classify`]); this
//! detector reports the member set's suspect lines. Score: 0.4 + 0.2 per suspect line, capped
//! at 1 (one odd line is a question, three are a pattern).
//!
//! # Complexity
//! O(n) in the member set's lines.

use serde_json::json;

use super::{Ctx, Finding};
use crate::score::{Ix, LineClass};

/// Detects suspect lines.
pub fn detect(ctx: &Ctx<'_>, members: &[Ix]) -> Option<Finding> {
    let d = ctx.d;
    let used: Vec<usize> = ctx
        .lines_of(members)
        .into_iter()
        .filter(|&i| matches!(d.lines[i].class, LineClass::Suspect { .. }))
        .collect();
    if used.is_empty() {
        return None;
    }
    let tpp: f64 = used.iter().map(|&i| d.lines[i].suspected).sum();
    let examples: Vec<_> = used
        .iter()
        .take(20)
        .map(|&i| {
            let l = &d.lines[i];
            json!({
                "at": d.at(l.source, l.line),
                "consignee": d.entity(l.consignee).name,
                "quantity": l.quantity,
                "unit_price": if l.quantity > 0.0 { l.value / l.quantity } else { 0.0 },
                "estimated_tpp": l.suspected,
            })
        })
        .collect();
    Some(Finding {
        detector: "misdeclaration",
        score: (0.4 + 0.2 * used.len() as f64).min(1.0),
        summary: format!(
            "{} lines priced like accelerators under a harmless description or controlled HS code (≈ {:.0} H100e)",
            used.len(),
            tpp / ctx.c.h100_tpp
        ),
        details: json!({ "lines": used.len(), "estimated_tpp": tpp, "examples": examples }),
        lines: used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testutil::*;
    use crate::score::{Catalog, groups};

    #[test]
    fn fires_on_suspect_lines_only() {
        let mut w = World::new();
        let (a, b) = (w.company("A", "MY"), w.company("B", "MY"));
        w.line(a).suspect(100.0).push();
        w.line(b).h100(100.0).push();
        let (d, p) = w.data();
        let g = groups::build(&d, &p);
        let c = Catalog::builtin();
        let ctx = Ctx::new(&d, &p, &c, &g);
        let f = detect(&ctx, &[a]).expect("fires");
        assert_eq!(f.lines.len(), 1);
        assert!(detect(&ctx, &[b]).is_none());
    }
}
