//! The pattern detectors, one file each (like petgraph's `algo/`): a plain function over a
//! group's members and the shared [`Ctx`] returning an optional [`Finding`] that carries its
//! evidence. Each detector's doc says what it detects, its parameters (all in the profile's
//! `[detectors.*]` section) and its complexity.

pub mod fan_in;
pub mod listed_proximity;
pub mod misdeclaration;
pub mod shell_indicators;
pub mod structuring;
pub mod threshold_hugging;
pub mod transshipment;

use crate::score::fast::{HashMap, HashSet};
use std::collections::BTreeMap;

use serde::Serialize;

use super::groups::{Bound, Groups};
use super::policy::{Aggregation, Policy, Window, format_day, year_of};
use super::{Catalog, Data, Ix, Line, NONE};

/// What one detector found about one subject.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub detector: &'static str,
    /// 0..=1.
    pub score: f64,
    /// One sentence for people.
    pub summary: String,
    /// Detector-specific structured evidence.
    pub details: serde_json::Value,
    /// Indices into [`Data::lines`] of the lines it rests on.
    #[serde(skip)]
    pub lines: Vec<usize>,
}

/// What every detector reads: the data, policy, catalog and groups of a run and the run's
/// [`Indexes`] (reached through `Deref`: `ctx.by_consignee`).
pub struct Ctx<'a> {
    pub d: &'a Data,
    pub p: &'a Policy,
    pub c: &'a Catalog,
    pub g: &'a Groups,
    ix: IndexesRef<'a>,
}

/// The indexes a [`Ctx`] owns (built for it) or borrows (built once per run and shared by
/// scoring and storing).
enum IndexesRef<'a> {
    Owned(Box<Indexes>),
    Borrowed(&'a Indexes),
}

impl std::ops::Deref for Ctx<'_> {
    type Target = Indexes;

    fn deref(&self) -> &Indexes {
        match &self.ix {
            IndexesRef::Owned(ix) => ix,
            IndexesRef::Borrowed(ix) => ix,
        }
    }
}

/// Indexes shared by every detector, built once per run.
pub struct Indexes {
    /// Relevant lines per consignee, by day.
    pub by_consignee: HashMap<Ix, Vec<usize>>,
    /// Relevant lines per end user, by day.
    pub by_end_user: HashMap<Ix, Vec<usize>>,
    /// Relevant lines naming an entity as end user, notify party, payer or forwarder.
    pub by_party: HashMap<Ix, Vec<usize>>,
    /// Window totals of each upper-bound group (label → total), computed lazily once per group:
    /// allowance lines when the profile has a threshold, every controlled line otherwise.
    upper_totals: Vec<std::sync::OnceLock<BTreeMap<String, f64>>>,
    /// Fan-in found around each party (see [`fan_in::per_party`]).
    pub fan_in: HashMap<Ix, (usize, serde_json::Value, Vec<usize>)>,
    /// First relevant day per consignee.
    pub first_seen: HashMap<Ix, i32>,
    /// Listed owners of each entity with their largest recorded share (the 50 % rule).
    pub listed_owners: HashMap<Ix, BTreeMap<Ix, f64>>,
    /// Entity adjacency for listed proximity (control relationships and shipment parties,
    /// hubs left out), sorted and de-duplicated.
    pub adjacency: Vec<Vec<Ix>>,
}

impl<'a> Ctx<'a> {
    /// A context with its own indexes. O(L + R) time and memory.
    pub fn new(d: &'a Data, p: &'a Policy, c: &'a Catalog, g: &'a Groups) -> Ctx<'a> {
        Ctx {
            d,
            p,
            c,
            g,
            ix: IndexesRef::Owned(Box::new(Indexes::new(d, p, g))),
        }
    }

    /// A context over indexes built by [`Indexes::new`] on the same data, policy and groups.
    pub fn with(
        d: &'a Data,
        p: &'a Policy,
        c: &'a Catalog,
        g: &'a Groups,
        ix: &'a Indexes,
    ) -> Ctx<'a> {
        Ctx {
            d,
            p,
            c,
            g,
            ix: IndexesRef::Borrowed(ix),
        }
    }

    /// The upper-bound totals per window of the upper group holding `member`.
    pub fn upper_totals(&self, member: Ix) -> Option<&BTreeMap<String, f64>> {
        let u = *self.g.upper_of.get(&member)?;
        Some(self.upper_totals[u].get_or_init(|| {
            let m = &self.g.upper[u].members;
            self.windows(m, &self.counted_lines(m))
                .into_iter()
                .map(|w| (w.label, w.total))
                .collect()
        }))
    }

    /// Relevant lines of a set of members: those they receive, and (ultimate-consignee
    /// aggregation) those naming one of them as end user. Sorted by index.
    pub fn lines_of(&self, members: &[Ix]) -> Vec<usize> {
        let mut v: Vec<usize> = Vec::new();
        for m in members {
            if let Some(ls) = self.by_consignee.get(m) {
                v.extend(ls);
            }
            if self.p.aggregation == Aggregation::UltimateConsignee
                && let Some(ls) = self.by_end_user.get(m)
            {
                v.extend(ls);
            }
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Who a line counts against within a member set: the end user when it is a member and the
    /// profile aggregates by ultimate consignee, else the consignee.
    pub fn holder(&self, l: &Line, set: &HashSet<Ix>) -> Ix {
        if self.p.aggregation == Aggregation::UltimateConsignee
            && l.end_user != NONE
            && set.contains(&l.end_user)
        {
            l.end_user
        } else {
            l.consignee
        }
    }

    /// The lines a member set's totals count: [`Ctx::threshold_lines`] when the profile has a
    /// threshold, every relevant line otherwise.
    pub fn counted_lines(&self, members: &[Ix]) -> Vec<usize> {
        if self.p.threshold > 0.0 {
            self.threshold_lines(members)
        } else {
            self.lines_of(members)
        }
    }

    /// Lines that count towards the threshold: destination in a group the allowance applies
    /// to, or a hub when the profile counts hubs ([`Policy::counts_towards_threshold`]); not an
    /// intra-group transfer (the shipper a member: the same chips again).
    pub fn threshold_lines(&self, members: &[Ix]) -> Vec<usize> {
        let set: HashSet<Ix> = members.iter().copied().collect();
        self.lines_of(members)
            .into_iter()
            .filter(|&i| {
                let l = &self.d.lines[i];
                l.dest.is_some_and(|c| self.p.counts_towards_threshold(c))
                    && !(l.shipper != NONE && set.contains(&l.shipper))
            })
            .collect()
    }

    /// Totals per window (calendar years, or the heaviest rolling window) and per holder.
    pub fn windows(&self, members: &[Ix], lines: &[usize]) -> Vec<WindowTotal> {
        let set: HashSet<Ix> = members.iter().copied().collect();
        let amount = |i: usize| self.d.lines[i].amount(self.p, self.c);
        let mut out = Vec::new();
        match self.p.window {
            Window::CalendarYear => {
                let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
                for &i in lines {
                    by_year
                        .entry(year_of(self.d.lines[i].day))
                        .or_default()
                        .push(i);
                }
                for (y, ls) in by_year {
                    out.push(self.window_total(
                        y.to_string(),
                        super::policy::parse_day(&format!("{y:04}-01-01")).unwrap_or(0),
                        super::policy::parse_day(&format!("{y:04}-12-31")).unwrap_or(0),
                        ls,
                        &set,
                    ));
                }
            }
            Window::Rolling { days } => {
                let mut ls: Vec<usize> = lines.to_vec();
                ls.sort_by_key(|&i| (self.d.lines[i].day, i));
                let (mut best, mut best_at, mut sum, mut lo) = (0.0, (0usize, 0usize), 0.0, 0usize);
                for hi in 0..ls.len() {
                    sum += amount(ls[hi]);
                    while self.d.lines[ls[hi]].day - self.d.lines[ls[lo]].day >= days as i32 {
                        sum -= amount(ls[lo]);
                        lo += 1;
                    }
                    if sum > best {
                        best = sum;
                        best_at = (lo, hi);
                    }
                }
                if !ls.is_empty() && best > 0.0 {
                    let win: Vec<usize> = ls[best_at.0..=best_at.1].to_vec();
                    let start = self.d.lines[win[0]].day;
                    let end = start + days as i32 - 1;
                    out.push(self.window_total(
                        format!("{} … {}", format_day(start), format_day(end)),
                        start,
                        end,
                        win,
                        &set,
                    ));
                }
            }
        }
        out
    }

    fn window_total(
        &self,
        label: String,
        start: i32,
        end: i32,
        lines: Vec<usize>,
        set: &HashSet<Ix>,
    ) -> WindowTotal {
        let mut members: BTreeMap<Ix, f64> = BTreeMap::new();
        let mut consignees: BTreeMap<Ix, f64> = BTreeMap::new();
        let mut consignees_declared: BTreeMap<Ix, f64> = BTreeMap::new();
        let (mut total, mut declared, mut suspected) = (0.0, 0.0, 0.0);
        for &i in &lines {
            let l = &self.d.lines[i];
            let a = l.amount(self.p, self.c);
            total += a;
            declared += l.declared;
            suspected += l.suspected;
            *members.entry(self.holder(l, set)).or_default() += a;
            *consignees.entry(l.consignee).or_default() += a;
            *consignees_declared.entry(l.consignee).or_default() +=
                l.declared_amount(self.p, self.c);
        }
        WindowTotal {
            label,
            start,
            end,
            total,
            declared_tpp: declared,
            suspected_tpp: suspected,
            members,
            consignees,
            consignees_declared,
            lines,
        }
    }
}

impl Indexes {
    /// Builds the indexes of a run. O(L + R) time and memory.
    pub fn new(d: &Data, p: &Policy, g: &Groups) -> Indexes {
        let mut by_consignee: HashMap<Ix, Vec<usize>> = HashMap::default();
        let mut by_end_user: HashMap<Ix, Vec<usize>> = HashMap::default();
        let mut first_seen: HashMap<Ix, i32> = HashMap::default();
        let mut by_party: HashMap<Ix, Vec<usize>> = HashMap::default();
        for (i, l) in d.lines.iter().enumerate().filter(|(_, l)| l.relevant()) {
            let mut seen = [NONE; 4];
            for (k, (_, x)) in l.roles().into_iter().enumerate() {
                if x != NONE && !seen[..k].contains(&x) {
                    by_party.entry(x).or_default().push(i);
                }
                seen[k] = x;
            }
            by_consignee.entry(l.consignee).or_default().push(i);
            if l.end_user != NONE {
                by_end_user.entry(l.end_user).or_default().push(i);
            }
            let f = first_seen.entry(l.consignee).or_insert(l.day);
            *f = (*f).min(l.day);
        }
        for v in by_consignee.values_mut().chain(by_end_user.values_mut()) {
            v.sort_by_key(|&i| (d.lines[i].day, i));
        }
        let adjacency = listed_proximity::adjacency(d, p, g);
        let mut parties: Vec<&Ix> = by_party.keys().collect();
        parties.sort_unstable();
        let fan_in: HashMap<Ix, (usize, serde_json::Value, Vec<usize>)> = parties
            .into_iter()
            .filter_map(|&x| fan_in::per_party(d, p, x, &by_party[&x]).map(|f| (x, f)))
            .collect();
        let mut listed_owners: HashMap<Ix, BTreeMap<Ix, f64>> = HashMap::default();
        for r in &d.rels {
            if matches!(r.kind.as_str(), "owner" | "beneficial_owner")
                && d.entity(r.from).listed.is_some()
                && let Some(s) = r.share
            {
                let e = listed_owners
                    .entry(r.to)
                    .or_default()
                    .entry(r.from)
                    .or_default();
                *e = e.max(s);
            }
        }
        Indexes {
            by_consignee,
            by_end_user,
            by_party,
            upper_totals: (0..g.upper.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            fan_in,
            first_seen,
            listed_owners,
            adjacency,
        }
    }
}

/// The total of a member set in one window.
#[derive(Debug, Clone)]
pub struct WindowTotal {
    pub label: String,
    pub start: i32,
    pub end: i32,
    /// In the profile's measure.
    pub total: f64,
    pub declared_tpp: f64,
    pub suspected_tpp: f64,
    /// Per holder (consignee or ultimate consignee), in the measure.
    pub members: BTreeMap<Ix, f64>,
    /// Per consignee, in the measure, whatever the profile's aggregation unit.
    pub consignees: BTreeMap<Ix, f64>,
    /// Per consignee, the declared part ([`Line::declared_amount`]): what the exporter's
    /// per-consignee check saw.
    pub consignees_declared: BTreeMap<Ix, f64>,
    pub lines: Vec<usize>,
}

/// Runs every detector on one member set. Findings come in a fixed order.
pub fn run(ctx: &Ctx<'_>, members: &[Ix]) -> Vec<Finding> {
    run_with(ctx, members, structuring::detect(ctx, members))
}

/// [`run`], with the structuring finding already computed.
pub fn run_with(ctx: &Ctx<'_>, members: &[Ix], structuring: Option<Finding>) -> Vec<Finding> {
    [
        structuring,
        threshold_hugging::detect(ctx, members),
        fan_in::detect(ctx, members),
        transshipment::detect(ctx, members),
        listed_proximity::detect(ctx, members),
        shell_indicators::detect(ctx, members),
        misdeclaration::detect(ctx, members),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The weight of a detector in the profile.
pub fn weight(p: &Policy, detector: &str) -> f64 {
    let d = &p.detectors;
    match detector {
        "structuring" => d.structuring.weight,
        "threshold_hugging" => d.threshold_hugging.weight,
        "fan_in" => d.fan_in.weight,
        "transshipment" => d.transshipment.weight,
        "listed_proximity" => d.listed_proximity.weight,
        "shell_indicators" => d.shell_indicators.weight,
        "misdeclaration" => d.misdeclaration.weight,
        _ => 0.0,
    }
}

/// The weight of a detector's finding on a group of a bound: on an upper-bound group,
/// structuring's weight times `detectors.structuring.upper_weight` (the group rests on links
/// weaker than `groups.strong`); every other detector reads its members' own facts and keeps
/// its weight.
pub fn weight_in(p: &Policy, detector: &str, bound: Bound) -> f64 {
    let w = weight(p, detector);
    if bound == Bound::Upper && detector == "structuring" {
        w * p.detectors.structuring.upper_weight
    } else {
        w
    }
}

/// Noisy-or of weighted detector scores: 1 − Π (1 − weight × score).
pub fn combine(p: &Policy, findings: &[Finding]) -> f64 {
    combine_in(p, findings, Bound::Lower)
}

/// [`combine`] for the findings on a group of a bound (weights from [`weight_in`]).
pub fn combine_in(p: &Policy, findings: &[Finding], bound: Bound) -> f64 {
    1.0 - findings
        .iter()
        .map(|f| 1.0 - weight_in(p, f.detector, bound) * f.score.clamp(0.0, 1.0))
        .product::<f64>()
}

/// An entity's name and id for summaries.
pub fn name(d: &Data, i: Ix) -> String {
    let e = d.entity(i);
    format!("{} [{}]", e.name, e.id)
}
