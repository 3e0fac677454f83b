//! Scores and alerts: combine detector findings into risk scores, rank alerts, build their
//! evidence bundles and store them.
//!
//! Input: [`Data`], the [`Groups`] and the detectors' [`Finding`]s. Output: an [`Outcome`]
//! (scores per group and entity, ranked [`Alert`]s) and, through [`store`], the tables of
//! `schema/003_score.sql`. The bundle of an alert names the members and every link that holds
//! them together with its source file + line, the orders counted with their source lines and TPP
//! conversion, the threshold and window, the lower/upper totals and each detector's weight,
//! score and contribution.
//!
//! Lower-bound groups are scored first. Then every upper-bound group that joins at least two
//! lower groups is checked for structuring; where it finds orders over the threshold that its
//! lower groups' own findings do not already count (see [`covered`]), every detector runs on
//! the lower groups whose orders it sums, that show red flags of their own and that are tied by
//! at least two weak links (see `score_upper`), and structuring counts with `weight ×
//! detectors.structuring.upper_weight`, so an upper-bound alert needs other detectors to
//! corroborate it. Such alerts are marked `bound: upper`; their bundle lists the lower groups
//! joined and the weak links that join them, with source lines. `schema/004_alert_bound.sql`
//! adds the column.
//!
//! Party groups (the consignees one party or contact ties, see [`groups::PartyGroup`]) are
//! tested the same way (`score_party`): a notify party, forwarder, director or address is no
//! weak link on its own, and the partition may have put weakly tied fronts in different upper
//! groups. A party group's alert is kept only when it counts another threshold's worth of orders
//! that no alert kept before it counts (see `new_hypotheses`); it is titled by what its members
//! share ("4 consignees sharing notify party …") and its bundle's `upper_bound_links` show the
//! shared party's links between the lower groups. A nominee director's group ("… sharing
//! nominee director …") comes last: many unrelated firms share a nominee, so any other
//! hypothesis about the same orders is the more specific.

use crate::score::fast::HashSet;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

use super::groups::{self, Bound, Groups, Link};
use super::patterns::{self, Ctx, Finding, Indexes, WindowTotal};
use super::policy::Policy;
use super::{Catalog, Data, Ix, LineClass, NONE, Options, ScoreSummary, cc_str};
use crate::error::{Error, Result};

/// The scored result of one group.
#[derive(Debug, Clone)]
pub struct GroupResult {
    /// Which grouping `group` indexes.
    pub bound: Bound,
    /// Index into `groups.lower` or `groups.upper`.
    pub group: usize,
    pub score: f64,
    pub findings: Vec<Finding>,
    /// Per window: (label, lower, upper). For a lower group its own total and its upper
    /// group's; for an upper group the largest total of one of its lower groups and its own.
    pub totals: Vec<(String, f64, f64)>,
    /// The lower groups (indices into `groups.lower`) an upper result joins; a lower group's own.
    pub lower_groups: Vec<usize>,
    /// An upper result's members (the lower groups its structuring sums orders of, see
    /// [`score_upper`]); empty for a lower result, whose members are its group's.
    pub members: Vec<Ix>,
    /// An upper result of a party group: its index into `groups.parties` (`group` is then the
    /// upper group of its first member).
    pub party: Option<usize>,
}

impl GroupResult {
    /// The members scored.
    pub fn members<'a>(&'a self, g: &'a Groups) -> &'a [Ix] {
        match self.bound {
            Bound::Lower => &g.lower[self.group].members,
            Bound::Upper => &self.members,
        }
    }
}

/// One alert, ready to store.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub id: i64,
    pub group_id: i64,
    pub score: f64,
    pub title: String,
    pub members: Vec<i64>,
    pub linked: Vec<i64>,
    pub lower_total: f64,
    pub upper_total: f64,
    pub window: String,
    pub detectors: Vec<String>,
    /// Lower: a group held by strong links; upper: lower groups joined by weaker links.
    pub bound: Bound,
    /// Index into `groups.lower` or `groups.upper` (by `bound`).
    #[serde(skip)]
    pub group: usize,
    /// Index into `Outcome::results` or `Outcome::upper_results` (by `bound`).
    #[serde(skip)]
    pub result: usize,
}

/// Everything a run computed.
pub struct Outcome {
    pub data: Data,
    pub groups: Groups,
    /// One per lower group, in group order.
    pub results: Vec<GroupResult>,
    /// Upper groups whose structuring the lower groups do not cover, in group order.
    pub upper_results: Vec<GroupResult>,
    /// Per node entity: (entity index, own score, own findings' scores).
    pub entity_scores: Vec<(Ix, f64, BTreeMap<&'static str, f64>)>,
    pub alerts: Vec<Alert>,
    /// The detectors' indexes, kept for the bundles [`store`] builds.
    pub indexes: Indexes,
    /// How the run was computed ([`store`] builds bundles in parallel when this run was).
    pub opts: Options,
}

impl Outcome {
    /// The scored result an alert rests on.
    pub fn result_of(&self, a: &Alert) -> &GroupResult {
        match a.bound {
            Bound::Lower => &self.results[a.result],
            Bound::Upper => &self.upper_results[a.result],
        }
    }

    /// The run's summary.
    pub fn summary(&self, p: &Policy) -> ScoreSummary {
        ScoreSummary {
            policy: p.name.clone(),
            entities: self.data.entities.len(),
            shipments: self.data.lines.len(),
            relevant_lines: self.data.lines.iter().filter(|l| l.relevant()).count(),
            unknown_lines: self.data.unknown_lines,
            groups_lower: self.groups.lower.len(),
            groups_upper: self.groups.upper.len(),
            multi_member_groups: self
                .groups
                .lower
                .iter()
                .filter(|g| g.members.len() > 1)
                .count(),
            alerts: self.alerts.len(),
            upper_alerts: self
                .alerts
                .iter()
                .filter(|a| a.bound == Bound::Upper)
                .count(),
            top_score: self.alerts.first().map_or(0.0, |a| a.score),
            seconds: 0.0,
        }
    }
}

fn score_group(ctx: &Ctx<'_>, gi: usize) -> GroupResult {
    let members = &ctx.g.lower[gi].members;
    let findings = patterns::run(ctx, members);
    let score = patterns::combine(ctx.p, &findings);
    let totals = totals(ctx, members);
    GroupResult {
        bound: Bound::Lower,
        group: gi,
        score,
        findings,
        totals,
        lower_groups: vec![gi],
        members: Vec::new(),
        party: None,
    }
}

/// Scores upper group `ui` when it joins at least two lower groups and finds structuring that
/// their own findings do not cover (see [`covered`]); `None` otherwise.
///
/// What is scored and alerted is the part of the upper group that structuring sums, that shows
/// red flags of its own and that weak ties hold: the lower groups holding a consignee or holder
/// of an order in a window over the threshold; of those, the ones whose own findings include a
/// detector of `detectors.structuring.upper_red_flags` (by default every one but structuring
/// and shell indicators: sub-threshold buying and a thin web presence are what unrelated small
/// buyers show too; hub routing to Tier 3, listed proximity, misdeclaration, hugging or fan-in
/// are not); less, repeatedly, any tied to the others by fewer than
/// `detectors.structuring.upper_min_ties` weak links (by default two: one shared phone or one
/// near-identical name can be chance; a clique of fronts has many). What remains must still
/// find uncovered structuring.
fn score_upper(ctx: &Ctx<'_>, lower: &[GroupResult], ui: usize) -> Option<GroupResult> {
    let members = &ctx.g.upper[ui].members;
    if members.len() < 2 {
        return None;
    }
    // The upper totals are cached (every lower group's totals read them): no window over the
    // threshold, no structuring to look for.
    let t = ctx.p.threshold;
    if !(t > 0.0
        && ctx
            .upper_totals(members[0])
            .is_some_and(|w| w.values().any(|&v| v > t)))
    {
        return None;
    }
    let lower_groups = ctx.g.lower_groups_of(ui);
    // Weak ties between lower groups (member pairs).
    let set: HashSet<Ix> = members.iter().copied().collect();
    let mut ties: Vec<(usize, usize)> = Vec::new();
    for &m in members {
        for x in ctx.g.weak_of.get(&m).map_or(&[][..], Vec::as_slice) {
            if m < *x && set.contains(x) {
                ties.push((ctx.g.lower_of[&m], ctx.g.lower_of[x]));
            }
        }
    }
    let mut r = score_joined(ctx, lower, members, &lower_groups, &ties)?;
    r.group = ui;
    Some(r)
}

/// Scores party group `pi` (see [`groups::PartyGroup`]) as [`score_upper`] scores an upper
/// group: the lower groups of the consignees one party or contact ties, each tied to every
/// other through it. `None` when fewer than three of those lower groups show a red flag of their
/// own, or structuring does not fire beyond what they report.
fn score_party(ctx: &Ctx<'_>, lower: &[GroupResult], pi: usize) -> Option<GroupResult> {
    // No threshold (a licence for every order): no structuring for a party group to find.
    if ctx.p.threshold <= 0.0 {
        return None;
    }
    let party = &ctx.g.parties[pi];
    let mut lower_groups: Vec<usize> = party.members.iter().map(|m| ctx.g.lower_of[m]).collect();
    lower_groups.sort_unstable();
    lower_groups.dedup();
    // Only lower groups with a red flag of their own can be in the core (see `score_joined`).
    lower_groups.retain(|&l| red_flagged(ctx, lower, l));
    if lower_groups.len() < groups::PARTY_MIN {
        return None;
    }
    // Their own totals together must pass the threshold in some window (a cheap bound before
    // structuring runs on them; rolling windows: all of each group's windows together).
    let mut sum: BTreeMap<&str, f64> = BTreeMap::new();
    let rolling = matches!(ctx.p.window, super::policy::Window::Rolling { .. });
    for &l in &lower_groups {
        for (label, total, _) in &lower[l].totals {
            let key = if rolling { "" } else { label.as_str() };
            *sum.entry(key).or_default() += total;
        }
    }
    if !sum.values().any(|&v| v > ctx.p.threshold) {
        return None;
    }
    let mut members: Vec<Ix> = lower_groups
        .iter()
        .flat_map(|&l| ctx.g.lower[l].members.iter().copied())
        .collect();
    members.sort_by_key(|&x| ctx.d.entity(x).id);
    let mut ties = Vec::new();
    for (i, &a) in lower_groups.iter().enumerate() {
        for &b in &lower_groups[i + 1..] {
            ties.push((a, b));
        }
    }
    let mut r = score_joined(ctx, lower, &members, &lower_groups, &ties)?;
    r.party = Some(pi);
    r.group = ctx.g.upper_of[&r.members[0]];
    Some(r)
}

/// The party results that add to `upper`: those that alert (score ≥ `alert_min`), nominees'
/// last, largest core first (then higher score, then party), each kept only when its structuring counts, in some
/// window, more than a threshold's worth of orders that no alerting result kept before it (an
/// upper group's, or a larger party group's) counts — the rule that keeps an upper group from
/// repeating its lower groups (see [`covered`]). Two hypotheses about one network (its fronts'
/// common director, and the upper group their phones join) make one alert, not two.
fn new_hypotheses(
    ctx: &Ctx<'_>,
    upper: &[GroupResult],
    mut party: Vec<GroupResult>,
) -> Vec<GroupResult> {
    let alert_min = ctx.p.scoring.alert_min;
    party.retain(|r| r.score >= alert_min);
    let nominee = |r: &GroupResult| r.party.is_some_and(|pi| ctx.g.parties[pi].nominee);
    party.sort_by(|a, b| {
        nominee(a)
            .cmp(&nominee(b))
            .then(b.lower_groups.len().cmp(&a.lower_groups.len()))
            .then(b.score.total_cmp(&a.score))
            .then(a.party.cmp(&b.party))
    });
    let structuring_lines = |r: &GroupResult| -> Vec<usize> {
        r.findings
            .iter()
            .filter(|f| f.detector == "structuring")
            .flat_map(|f| f.lines.iter().copied())
            .collect()
    };
    let mut reported: HashSet<usize> = upper
        .iter()
        .filter(|r| r.score >= alert_min)
        .flat_map(structuring_lines)
        .collect();
    let mut out = Vec::new();
    for r in party {
        let lines = structuring_lines(&r);
        let new: Vec<usize> = lines
            .iter()
            .copied()
            .filter(|i| !reported.contains(i))
            .collect();
        if !ctx
            .windows(&r.members, &new)
            .iter()
            .any(|w| w.total > ctx.p.threshold)
        {
            continue;
        }
        reported.extend(lines);
        out.push(r);
    }
    out
}

/// Whether lower group `l`'s own findings include a detector of
/// `detectors.structuring.upper_red_flags`: a red flag besides sub-threshold buying.
fn red_flagged(ctx: &Ctx<'_>, lower: &[GroupResult], l: usize) -> bool {
    let flags = &ctx.p.detectors.structuring.upper_red_flags;
    lower.get(l).is_some_and(|r| {
        r.findings
            .iter()
            .any(|f| flags.iter().any(|x| x == f.detector))
    })
}

/// The common part of [`score_upper`] and [`score_party`]: `members`, the members of
/// `lower_groups`, tied by `ties` (pairs of lower groups, one per weak tie).
fn score_joined(
    ctx: &Ctx<'_>,
    lower: &[GroupResult],
    members: &[Ix],
    lower_groups: &[usize],
    ties: &[(usize, usize)],
) -> Option<GroupResult> {
    if ctx.p.threshold <= 0.0 || lower_groups.len() < 2 {
        return None;
    }
    let (whole, windows) = uncovered_windows(ctx, members, lower_groups, lower)?;
    let set: HashSet<Ix> = members.iter().copied().collect();
    let inside: HashSet<usize> = lower_groups.iter().copied().collect();
    let mut core: BTreeSet<usize> = BTreeSet::new();
    for w in &windows {
        for &i in &w.lines {
            let l = &ctx.d.lines[i];
            for x in [l.consignee, ctx.holder(l, &set)] {
                if let Some(&lg) = ctx.g.lower_of.get(&x)
                    && inside.contains(&lg)
                {
                    core.insert(lg);
                }
            }
        }
    }
    // Each must show a red flag of its own (see above).
    core.retain(|&l| red_flagged(ctx, lower, l));
    let rule = &ctx.p.detectors.structuring;
    // Weak ties between core groups, pruned to groups with at least `upper_min_ties`.
    loop {
        let mut degree: BTreeMap<usize, usize> = core.iter().map(|&l| (l, 0)).collect();
        for &(a, b) in ties {
            if a != b && core.contains(&a) && core.contains(&b) {
                *degree.entry(a).or_default() += 1;
                *degree.entry(b).or_default() += 1;
            }
        }
        let weak: Vec<usize> = degree
            .into_iter()
            .filter(|&(_, n)| n < rule.upper_min_ties as usize)
            .map(|(l, _)| l)
            .collect();
        if weak.is_empty() {
            break;
        }
        for l in weak {
            core.remove(&l);
        }
    }
    if core.len() < 2 {
        return None;
    }
    let core_groups: Vec<usize> = core.into_iter().collect();
    let mut core_members: Vec<Ix> = core_groups
        .iter()
        .flat_map(|&l| ctx.g.lower[l].members.iter().copied())
        .collect();
    core_members.sort_by_key(|&x| ctx.d.entity(x).id);
    // every lower group kept: the core is the whole upper group (both sorted by entity id),
    // whose structuring is already found
    let s = if core_groups.len() == lower_groups.len() {
        whole
    } else {
        uncovered_windows(ctx, &core_members, &core_groups, lower)?.0
    };
    let findings = patterns::run_with(ctx, &core_members, Some(s));
    let score = patterns::combine_in(ctx.p, &findings, Bound::Upper);
    let totals = upper_group_totals(ctx, &core_members, &core_groups);
    Some(GroupResult {
        bound: Bound::Upper,
        group: 0,
        party: None,
        score,
        findings,
        totals,
        lower_groups: core_groups,
        members: core_members,
    })
}

/// The windows in which structuring fires on `members` (lower groups `lower_groups`) and is
/// not [`covered`] by those groups' own findings, with the structuring finding itself; `None`
/// when it does not fire or is covered.
fn uncovered_windows(
    ctx: &Ctx<'_>,
    members: &[Ix],
    lower_groups: &[usize],
    lower: &[GroupResult],
) -> Option<(Finding, Vec<WindowTotal>)> {
    let s = patterns::structuring::detect(ctx, members)?;
    let fired: BTreeSet<&str> = s.details["windows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w["window"].as_str())
        .collect();
    let windows: Vec<WindowTotal> = ctx
        .windows(members, &ctx.threshold_lines(members))
        .into_iter()
        .filter(|w| fired.contains(w.label.as_str()))
        .collect();
    (!covered(ctx, &windows, lower_groups, lower)).then_some((s, windows))
}

/// Whether an upper group's structuring is covered by the lower bound: in every window it
/// fires (`windows`), the orders that none of its lower groups' own structuring findings counts
/// sum to no more than the threshold. The weak links then only add orders to structuring the
/// lower bound already reports (or join networks already reported); otherwise they reveal,
/// beyond what is reported, another threshold's worth of orders split under it.
pub fn covered(
    ctx: &Ctx<'_>,
    windows: &[WindowTotal],
    lower_groups: &[usize],
    lower: &[GroupResult],
) -> bool {
    let reported: HashSet<usize> = lower_groups
        .iter()
        .filter_map(|&l| lower.get(l))
        .flat_map(|r| &r.findings)
        .filter(|f| f.detector == "structuring")
        .flat_map(|f| f.lines.iter().copied())
        .collect();
    let (p, c) = (ctx.p, ctx.c);
    !windows.iter().any(|w| {
        let new: f64 = w
            .lines
            .iter()
            .filter(|i| !reported.contains(i))
            .map(|&i| ctx.d.lines[i].amount(p, c))
            .sum();
        new > p.threshold
    })
}

/// An upper group's totals per window beside the largest total one of its lower groups reaches
/// in the same window (rolling windows: in its own heaviest window).
fn upper_group_totals(
    ctx: &Ctx<'_>,
    members: &[Ix],
    lower_groups: &[usize],
) -> Vec<(String, f64, f64)> {
    let per_lower: Vec<BTreeMap<String, f64>> = lower_groups
        .iter()
        .map(|&l| {
            let m = &ctx.g.lower[l].members;
            ctx.windows(m, &ctx.counted_lines(m))
                .into_iter()
                .map(|w| (w.label, w.total))
                .collect()
        })
        .collect();
    let rolling = matches!(ctx.p.window, super::policy::Window::Rolling { .. });
    ctx.windows(members, &ctx.counted_lines(members))
        .into_iter()
        .map(|w| {
            let lower = per_lower
                .iter()
                .map(|t| {
                    if rolling {
                        t.values().copied().fold(0.0, f64::max)
                    } else {
                        t.get(&w.label).copied().unwrap_or(0.0)
                    }
                })
                .fold(0.0, f64::max)
                .min(w.total);
            (w.label, lower, w.total)
        })
        .collect()
}

/// Lower- and upper-bound totals per window of a lower group.
fn totals(ctx: &Ctx<'_>, members: &[Ix]) -> Vec<(String, f64, f64)> {
    let lines_for = |m: &[Ix]| ctx.counted_lines(m);
    let lower = ctx.windows(members, &lines_for(members));
    let upper = members.first().and_then(|&m| ctx.upper_totals(m));
    lower
        .iter()
        .map(|w| {
            let u = upper
                .and_then(|u| u.get(&w.label))
                .map_or(w.total, |u| u.max(w.total));
            (w.label.clone(), w.total, u)
        })
        .collect()
}

/// `f` over `0..n`, in order, in parallel or not; `None`s left out.
fn scored<F>(parallel: bool, n: usize, f: F) -> Vec<GroupResult>
where
    F: Fn(usize) -> Option<GroupResult> + Sync + Send,
{
    if parallel {
        (0..n).into_par_iter().filter_map(f).collect()
    } else {
        (0..n).filter_map(f).collect()
    }
}

/// Scores every group and entity and ranks the alerts.
pub fn outcome(data: Data, p: &Policy, c: &Catalog, opts: Options) -> Outcome {
    let groups = groups::build(&data, p);
    let (results, upper_results, entity_scores, indexes) = {
        let indexes = Indexes::new(&data, p, &groups);
        let ctx = Ctx::with(&data, p, c, &groups, &indexes);
        let n = groups.lower.len();
        let results: Vec<GroupResult> = scored(opts.parallel, n, |gi| Some(score_group(&ctx, gi)));
        let mut upper_results = scored(opts.parallel, groups.upper.len(), |ui| {
            score_upper(&ctx, &results, ui)
        });
        let party_results = scored(opts.parallel, groups.parties.len(), |pi| {
            score_party(&ctx, &results, pi)
        });
        upper_results.extend(new_hypotheses(&ctx, &upper_results, party_results));
        let entity = |m: Ix| -> (Ix, f64, BTreeMap<&'static str, f64>) {
            let gi = groups.lower_of[&m];
            let f = if groups.lower[gi].members.len() == 1 {
                results[gi].findings.clone()
            } else {
                patterns::run(&ctx, &[m])
            };
            let s = patterns::combine(p, &f);
            (m, s, f.iter().map(|f| (f.detector, f.score)).collect())
        };
        let entity_scores: Vec<_> = if opts.parallel {
            groups.nodes.par_iter().map(|&m| entity(m)).collect()
        } else {
            groups.nodes.iter().map(|&m| entity(m)).collect()
        };
        (results, upper_results, entity_scores, indexes)
    };
    let candidates = results
        .iter()
        .enumerate()
        .chain(upper_results.iter().enumerate());
    let mut alerts: Vec<Alert> = candidates
        .filter(|(_, r)| r.score >= p.scoring.alert_min)
        .map(|(ri, r)| {
            let group_id = match (r.bound, r.party) {
                (Bound::Lower, _) => groups.lower[r.group].id,
                (Bound::Upper, None) => groups.upper[r.group].id,
                (Bound::Upper, Some(_)) => data.entity(r.members[0]).id,
            };
            let members = r.members(&groups);
            // The window an alert names: the heaviest of the bound it rests on.
            let (window, lower, upper) = r
                .totals
                .iter()
                .max_by(|a, b| {
                    let (x, y) = match r.bound {
                        Bound::Lower => (a.1, b.1),
                        Bound::Upper => (a.2, b.2),
                    };
                    x.total_cmp(&y).then(b.0.cmp(&a.0))
                })
                .cloned()
                .unwrap_or_default();
            let linked = linked_parties(&data, &groups, members);
            let lead = members[0];
            let hub = linked.first().map(|&x| data.entity(x).name.clone());
            let title = match (r.party, &hub, members.len()) {
                (Some(pi), _, n) => format!(
                    "{n} consignees sharing {}",
                    party_label(&data, &groups.parties[pi])
                ),
                (None, Some(h), n) if n > 1 => format!("{n} consignees tied through {h}"),
                (None, _, n) if n > 1 => {
                    format!("{n} consignees led by {}", data.entity(lead).name)
                }
                _ => data.entity(lead).name.clone(),
            };
            Alert {
                id: 0,
                group_id,
                score: r.score,
                title,
                members: members.iter().map(|&m| data.entity(m).id).collect(),
                linked: linked.iter().map(|&m| data.entity(m).id).collect(),
                lower_total: lower,
                upper_total: upper,
                window,
                detectors: r.findings.iter().map(|f| f.detector.to_string()).collect(),
                bound: r.bound,
                group: r.group,
                result: ri,
            }
        })
        .collect();
    alerts.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.bound.cmp(&b.bound))
            .then(b.lower_total.total_cmp(&a.lower_total))
            .then(a.group_id.cmp(&b.group_id))
    });
    for (i, a) in alerts.iter_mut().enumerate() {
        a.id = i as i64 + 1;
    }
    Outcome {
        data,
        groups,
        results,
        upper_results,
        entity_scores,
        alerts,
        indexes,
        opts,
    }
}

/// What a party group shares, for titles: "notify party Optipeak Shipping Corporation",
/// "phone +852 …".
fn party_label(d: &Data, party: &groups::PartyGroup) -> String {
    let what = if party.nominee {
        format!("nominee {}", party.kind.label())
    } else {
        party.kind.label().to_string()
    };
    if party.via == NONE {
        format!("{what} {}", party.value)
    } else {
        format!("{what} {}", d.entity(party.via).name)
    }
}

/// Parties that tie the members together as their likely beneficiary: the `via` of control,
/// payment, end-user and re-export links (a shared notify party or forwarder is usually a
/// broker or carrier, so it is shown in the links but not named here), most links first.
fn linked_parties(d: &Data, g: &Groups, members: &[Ix]) -> Vec<Ix> {
    let set: HashSet<Ix> = members.iter().copied().collect();
    let mut count: BTreeMap<Ix, usize> = BTreeMap::new();
    for l in g.links_within(members) {
        if matches!(
            l.kind,
            groups::LinkKind::Forwarder
                | groups::LinkKind::Notify
                | groups::LinkKind::PossibleMatch
        ) {
            continue;
        }
        if l.via != NONE
            && !l.nominee
            && !set.contains(&l.via)
            && (l.via as usize) < d.entities.len()
        {
            *count.entry(l.via).or_default() += 1;
        }
    }
    let mut v: Vec<(Ix, usize)> = count.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(d.entity(a.0).id.cmp(&d.entity(b.0).id)));
    v.into_iter().map(|(x, _)| x).collect()
}

fn link_json(d: &Data, l: &Link) -> Value {
    json!({
        "a": d.entity(l.a).id,
        "a_name": d.entity(l.a).name,
        "b": d.entity(l.b).id,
        "b_name": d.entity(l.b).name,
        "kind": l.kind.as_str(),
        "via": (l.via != NONE && (l.via as usize) < d.entities.len()).then(|| json!({"entity": d.entity(l.via).id, "name": d.entity(l.via).name})),
        "value": (!l.value.is_empty()).then_some(&l.value),
        "strength": l.strength,
        "shared_by": l.shared_by,
        "namesakes": (l.namesakes > 0).then_some(l.namesakes),
        "nominee": l.nominee.then_some(true),
        "evidence": l.evidence.iter().map(|&(s, n)| d.at(s, n)).collect::<Vec<_>>(),
    })
}

/// At most this many upper-bound links are written into a bundle (the total is kept).
pub const UPPER_LINKS: usize = 200;

/// shipment_key, date, order_ref, product, hs_code of a stored shipment.
type OrderText = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The orders of an alert's group — its own lines (a fan-in finding's lines of other consignees
/// stay in its details), by line index — with their text read from the store.
fn orders(
    conn: &Connection,
    ctx: &Ctx<'_>,
    out: &Outcome,
    a: &Alert,
) -> Result<Vec<(usize, OrderText)>> {
    let order_lines: BTreeSet<usize> = ctx
        .lines_of(out.result_of(a).members(ctx.g))
        .into_iter()
        .collect();
    let mut st = conn.prepare_cached(
        "SELECT shipment_key, date, order_ref, product, hs_code FROM shipments WHERE id = ?1",
    )?;
    let mut orders = Vec::with_capacity(order_lines.len());
    for i in order_lines {
        let row: Option<OrderText> = st
            .query_row([ctx.d.lines[i].id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        orders.push((i, row.unwrap_or_default()));
    }
    Ok(orders)
}

/// Builds an alert's evidence bundle from its [`orders`].
fn bundle(ctx: &Ctx<'_>, out: &Outcome, a: &Alert, order_text: Vec<(usize, OrderText)>) -> Value {
    let (p, c) = (ctx.p, ctx.c);
    let d = &out.data;
    let g = &out.groups;
    let r = out.result_of(a);
    let members = r.members(g);
    // A lower alert's upper group adds members ("upper_bound_only"); an upper alert's members
    // are its upper group already.
    let upper_members: Vec<Ix> = match a.bound {
        Bound::Lower => g
            .upper_of
            .get(&members[0])
            .map(|&u| g.upper[u].members.clone())
            .unwrap_or_default(),
        Bound::Upper => match r.party {
            Some(_) => r.members.clone(),
            None => g.upper[a.group].members.clone(),
        },
    };
    let counted: HashSet<usize> = ctx.threshold_lines(members).into_iter().collect();
    let mut orders = Vec::with_capacity(order_text.len());
    for (i, (key, date, order_ref, product, hs)) in order_text {
        let l = &d.lines[i];
        let conversion = match l.class {
            LineClass::Controlled { chip, per_unit } => json!({
                "class": "controlled", "chip": c.chip_name(chip), "tpp_per_accelerator": c.chips[chip as usize].tpp,
                "accelerators_per_unit": per_unit,
            }),
            LineClass::Suspect { per_unit, consumer } => json!({
                "class": "suspected misdeclaration",
                "reference": if consumer { c.consumer_reference.as_deref().unwrap_or("") } else { "H100" },
                "reference_tpp": c.suspect_tpp(consumer), "accelerators_per_unit": per_unit,
            }),
            LineClass::Unknown => json!({"class": "unknown"}),
            LineClass::NotControlled => json!({"class": "not controlled"}),
        };
        orders.push(json!({
            "shipment": key,
            "at": d.at(l.source, l.line),
            "date": date,
            "order_ref": order_ref,
            "consignee": d.entity(l.consignee).name,
            "consignee_entity": d.entity(l.consignee).id,
            "destination": cc_str(l.dest),
            "product": product,
            "hs_code": hs,
            "quantity": l.quantity,
            "value_usd": l.value,
            "conversion": conversion,
            "tpp": l.declared + l.suspected,
            "h100e": (l.declared + l.suspected) / c.h100_tpp,
            "counted": counted.contains(&i),
        }));
    }
    let member_json = |m: Ix, role: &str| {
        let e = d.entity(m);
        let mut v = json!({
            "entity": e.id, "name": e.name, "country": cc_str(e.country), "role": role,
            "keys": e.keys, "first_record": d.at(e.first.0, e.first.1),
            "listed": e.listed.as_ref().map(|l| &l.0),
        });
        if a.bound == Bound::Upper
            && let (Some(&l), Value::Object(o)) = (g.lower_of.get(&m), &mut v)
        {
            o.insert("lower_group".into(), json!(g.lower[l].id));
        }
        v
    };
    let mut ms: Vec<Value> = members.iter().map(|&m| member_json(m, "member")).collect();
    let linked_ix: Vec<Ix> = linked_parties(d, g, members);
    ms.extend(linked_ix.iter().map(|&m| member_json(m, "linked")));
    let member_set: HashSet<Ix> = members.iter().copied().collect();
    ms.extend(
        upper_members
            .iter()
            .filter(|m| !member_set.contains(m))
            .take(UPPER_LINKS)
            .map(|&m| member_json(m, "upper_bound_only")),
    );
    let same_lower = |l: &Link| g.lower_of.get(&l.a) == g.lower_of.get(&l.b);
    // `links`: what holds the members (an upper alert: each of its lower groups) by strong links.
    let links: Vec<Value> = g
        .links_within(members)
        .into_iter()
        .filter(|l| a.bound == Bound::Lower || same_lower(l))
        .map(|l| link_json(d, l))
        .collect();
    // `upper_bound_links`: a lower alert's links from its members to the rest of their upper
    // group (what the upper total adds); an upper alert's weaker links between lower groups
    // (what joins them, with the pair's summed strength). At most UPPER_LINKS of them.
    let mut upper_links: Vec<&Link> = Vec::new();
    match a.bound {
        Bound::Lower => {
            let upper_set: HashSet<Ix> = upper_members.iter().copied().collect();
            for &m in members {
                for &li in g.links_of.get(&m).map_or(&[][..], Vec::as_slice) {
                    let l = &g.links[li];
                    let other = if l.a == m { l.b } else { l.a };
                    if !member_set.contains(&other) && upper_set.contains(&other) {
                        upper_links.push(l);
                    }
                }
            }
        }
        Bound::Upper => {
            // Between lower groups of the upper group, at least one end a member: the links
            // that join the members' lower groups, directly or through a third group.
            upper_links.extend(g.links_within(&upper_members).into_iter().filter(|l| {
                !same_lower(l) && (member_set.contains(&l.a) || member_set.contains(&l.b))
            }));
        }
    }
    upper_links.sort_by_key(|l| (l.a, l.b, l.kind, l.via));
    upper_links.dedup_by_key(|l| (l.a, l.b, l.kind, l.via));
    let upper_links_total = upper_links.len();
    let upper_links: Vec<Value> = upper_links
        .into_iter()
        .take(UPPER_LINKS)
        .map(|l| {
            let mut v = link_json(d, l);
            if let Value::Object(o) = &mut v {
                let pair = g.pair.get(&(l.a.min(l.b), l.a.max(l.b))).copied();
                o.insert("pair_strength".into(), json!(pair.unwrap_or(l.strength)));
            }
            v
        })
        .collect();
    // An upper alert's lower groups: their members, own score and own alert, if any.
    let lower_groups: Vec<Value> = match a.bound {
        Bound::Lower => Vec::new(),
        Bound::Upper => r
            .lower_groups
            .iter()
            .map(|&l| {
                let own = out
                    .alerts
                    .iter()
                    .find(|x| x.bound == Bound::Lower && x.group == l)
                    .map(|x| x.id);
                json!({
                    "group": g.lower[l].id,
                    "members": g.lower[l].members.iter().map(|&m| d.entity(m).id).collect::<Vec<_>>(),
                    "score": out.results[l].score,
                    "alert": own,
                })
            })
            .collect(),
    };
    let detectors: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let w = patterns::weight_in(p, f.detector, a.bound);
            json!({
                "detector": f.detector, "score": f.score, "weight": w, "contribution": w * f.score,
                "summary": f.summary, "details": f.details,
            })
        })
        .collect();
    let mut b = json!({
        "alert": a.id,
        "score": a.score,
        "title": a.title,
        "bound": a.bound.as_str(),
        "structuring_upper_weight": p.detectors.structuring.upper_weight,
        "policy": p.name,
        "measure": p.unit(),
        "threshold": p.threshold,
        "window": p.window.describe(),
        "combination": "1 - product(1 - weight x score)",
        "totals": r.totals.iter().map(|(w, lo, up)| json!({
            "window": w, "lower": lo, "upper": up,
            "lower_ratio": if p.threshold > 0.0 { lo / p.threshold } else { 0.0 },
            "upper_ratio": if p.threshold > 0.0 { up / p.threshold } else { 0.0 },
        })).collect::<Vec<_>>(),
        "upper_bound_links_total": upper_links_total,
    });
    // The large arrays are moved in (`json!` would copy them).
    if let Value::Object(m) = &mut b {
        m.insert("members".into(), Value::Array(ms));
        m.insert("links".into(), Value::Array(links));
        m.insert("upper_bound_links".into(), Value::Array(upper_links));
        if a.bound == Bound::Upper {
            m.insert("lower_groups".into(), Value::Array(lower_groups));
        }
        m.insert("detectors".into(), Value::Array(detectors));
        m.insert("orders".into(), Value::Array(orders));
    }
    b
}

/// Writes a run's groups, scores, totals, names and alerts (replacing the previous run's).
///
/// # Errors
/// [`Error::Db`].
pub fn store(conn: &Connection, p: &Policy, c: &Catalog, out: &Outcome) -> Result<()> {
    let d = &out.data;
    let g = &out.groups;
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch(
        "DELETE FROM alert_members; DELETE FROM alerts; DELETE FROM score_groups;
         DELETE FROM entity_scores; DELETE FROM group_totals; DELETE FROM score_names;",
    )?;
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO score_groups (bound, entity_id, group_id) VALUES (?1, ?2, ?3)",
        )?;
        for (bound, groups) in [("lower", &g.lower), ("upper", &g.upper)] {
            for grp in groups {
                for &m in &grp.members {
                    st.execute(params![bound, d.entity(m).id, grp.id])?;
                }
            }
        }
        let mut st = tx.prepare_cached(
            "INSERT INTO entity_scores (entity_id, group_id, score, group_score, detectors)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (m, s, dets) in &out.entity_scores {
            let gi = g.lower_of[m];
            st.execute(params![
                d.entity(*m).id,
                g.lower[gi].id,
                s,
                out.results[gi].score,
                serde_json::to_string(dets).unwrap_or_default()
            ])?;
        }
        let mut st = tx.prepare_cached(
            "INSERT INTO group_totals (group_id, window, total) VALUES (?1, ?2, ?3)",
        )?;
        for r in &out.results {
            for (w, lo, _) in &r.totals {
                st.execute(params![g.lower[r.group].id, w, lo])?;
            }
        }
        // Names for score-log: the folded names of every node's records (only nodes have a
        // group and a score for a new log to be matched against).
        let mut st = tx.prepare_cached(
            "INSERT OR IGNORE INTO score_names (name, entity_id)
             SELECT ?1, ?2",
        )?;
        let mut names: BTreeMap<String, i64> = BTreeMap::new();
        // Entity ids are dense row ids: a flag per id.
        let max_id = d.entities.iter().map(|e| e.id).max().unwrap_or(0);
        let mut is_node = vec![false; usize::try_from(max_id).unwrap_or(0) + 1];
        for &n in &g.nodes {
            if let Ok(i) = usize::try_from(d.entity(n).id) {
                is_node[i] = true;
            }
        }
        // A spelling seen before folds to a name already taken (the first record keeps it).
        let mut seen: HashSet<String> = HashSet::default();
        let mut rs = tx.prepare(
            "SELECT r.name, er.entity_id FROM records r JOIN entity_records er ON er.record_id = r.id
             ORDER BY r.id",
        )?;
        let mut rows = rs.query([])?;
        while let Some(row) = rows.next()? {
            let e: i64 = row.get(1)?;
            if !usize::try_from(e).is_ok_and(|i| is_node.get(i).copied().unwrap_or(false)) {
                continue;
            }
            let name = super::text(row, 0)?.unwrap_or_default();
            if seen.contains(name) {
                continue;
            }
            seen.insert(name.to_string());
            let k = crate::resolve::normalize::fold(name);
            if !k.is_empty() {
                names.entry(k).or_insert(e);
            }
        }
        for (k, e) in &names {
            st.execute(params![k, e])?;
        }
        let mut ins = tx.prepare_cached(
            "INSERT INTO alerts (id, group_id, score, title, members, lower_total, upper_total,
                                 threshold, window, detectors, bundle, bound)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        let mut mem = tx.prepare_cached(
            "INSERT OR IGNORE INTO alert_members (alert_id, entity_id, role) VALUES (?1, ?2, ?3)",
        )?;
        let ctx = Ctx::with(d, p, c, g, &out.indexes);
        // Order text is read first; the bundles (the bulk of the work) are then built and
        // serialised independently, in parallel when the run was, and collected in alert order.
        let texts = out
            .alerts
            .iter()
            .map(|a| orders(&tx, &ctx, out, a))
            .collect::<Result<Vec<_>>>()?;
        let build = |(a, t): (&Alert, Vec<(usize, OrderText)>)| {
            serde_json::to_string(&bundle(&ctx, out, a, t)).unwrap_or_default()
        };
        let bundles: Vec<String> = if out.opts.parallel {
            out.alerts.par_iter().zip(texts).map(build).collect()
        } else {
            out.alerts.iter().zip(texts).map(build).collect()
        };
        for (a, b) in out.alerts.iter().zip(bundles) {
            ins.execute(params![
                a.id,
                a.group_id,
                a.score,
                a.title,
                a.members.len() as i64,
                a.lower_total,
                a.upper_total,
                p.threshold,
                a.window,
                a.detectors.join(","),
                b,
                a.bound.as_str()
            ])?;
            for m in &a.members {
                mem.execute(params![a.id, m, "member"])?;
            }
            for m in &a.linked {
                mem.execute(params![a.id, m, "linked"])?;
            }
        }
    }
    let summary = serde_json::to_string(&out.summary(p)).unwrap_or_default();
    tx.execute(
        "INSERT INTO score_runs (policy, policy_toml, summary) VALUES (?1, ?2, ?3)",
        params![p.name, toml::to_string(p).unwrap_or_default(), summary],
    )?;
    tx.commit()?;
    Ok(())
}

/// An alert as listed by `trawl alerts`.
#[derive(Debug, Clone, Serialize)]
pub struct AlertRow {
    pub id: i64,
    pub score: f64,
    pub group_id: i64,
    pub members: i64,
    pub title: String,
    pub window: String,
    pub lower_total: f64,
    pub upper_total: f64,
    pub threshold: f64,
    pub detectors: String,
    /// `lower` or `upper`: the grouping the alert rests on.
    pub bound: String,
}

/// The stored alerts in rank order, at most `top`.
///
/// # Errors
/// [`Error::Db`].
pub fn list(conn: &Connection, top: Option<usize>) -> Result<Vec<AlertRow>> {
    let mut st = conn.prepare(
        "SELECT id, score, group_id, members, title, window, lower_total, upper_total, threshold,
                detectors, bound
         FROM alerts ORDER BY id LIMIT ?1",
    )?;
    let limit = top.map_or(-1, |t| t as i64);
    let rows = st.query_map([limit], |r| {
        Ok(AlertRow {
            id: r.get(0)?,
            score: r.get(1)?,
            group_id: r.get(2)?,
            members: r.get(3)?,
            title: r.get(4)?,
            window: r.get(5)?,
            lower_total: r.get(6)?,
            upper_total: r.get(7)?,
            threshold: r.get(8)?,
            detectors: r.get(9)?,
            bound: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The evidence bundle of one alert.
///
/// # Errors
/// [`Error::NotFound`] for an unknown id; [`Error::Db`].
pub fn get(conn: &Connection, id: i64) -> Result<Value> {
    let b: Option<String> = conn
        .query_row("SELECT bundle FROM alerts WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    let b = b.ok_or_else(|| Error::NotFound(format!("alert {id} (run `trawl score` first?)")))?;
    serde_json::from_str(&b).map_err(|e| Error::Config {
        key: format!("alerts.{id}.bundle"),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::testutil::*;

    /// Six fronts in Malaysia tied only by one shared phone (0.6 < `groups.strong`), each
    /// ordering 1,200 H100 in 2025 (0.71 of the threshold; 4.2× together). With `corroborate`,
    /// each line names its own notify party in China (transshipment), the first of them on the
    /// Entity List (listed proximity, one hop). With `suspect`, the lines are priced like
    /// accelerators under a harmless description (misdeclaration) instead of declared.
    fn weak_ring(corroborate: bool, suspect: bool) -> (World, Vec<Ix>) {
        let mut w = World::new();
        let fronts: Vec<Ix> = (0..6)
            .map(|i| w.company(&format!("Front {i} Sdn Bhd"), "MY"))
            .collect();
        for (i, &f) in fronts.iter().enumerate() {
            w.phone(f, "+60321234567");
            let notify = corroborate.then(|| w.company(&format!("Notify {i} Ltd"), "CN"));
            if let Some(n) = notify
                && i == 0
            {
                w.d.entities[n as usize].listed = Some(("Entity List".into(), 1));
            }
            for _ in 0..4 {
                let l = if suspect {
                    w.line(f).suspect(300.0)
                } else {
                    w.line(f).h100(300.0)
                };
                match notify {
                    Some(n) => l.notify(n).push(),
                    None => l.push(),
                }
            }
        }
        (w, fronts)
    }

    fn outcome_of(w: World) -> Outcome {
        let (d, p) = w.data();
        outcome(d, &p, &Catalog::builtin(), Options::default())
    }

    #[test]
    fn weakly_tied_fronts_alert_on_the_upper_bound_with_corroboration() {
        let (w, fronts) = weak_ring(true, false);
        let out = outcome_of(w);
        let lower: HashSet<usize> = fronts.iter().map(|f| out.groups.lower_of[f]).collect();
        assert_eq!(lower.len(), 6, "no strong tie: six lower groups");
        assert!(
            out.alerts.iter().all(|a| a.bound == Bound::Upper),
            "no front alerts alone"
        );
        let a = out.alerts.first().expect("the upper group alerts");
        assert_eq!(a.members.len(), 6);
        let r = out.result_of(a);
        let s = r.findings.iter().find(|f| f.detector == "structuring");
        assert_eq!(s.map(|f| f.score), Some(1.0));
        // Structuring alone would not reach alert_min: it counts at weight × upper_weight.
        let p = Policy::builtin("diffusion-2025").unwrap();
        let w = patterns::weight_in(&p, "structuring", Bound::Upper);
        assert!((w - 0.7 * p.detectors.structuring.upper_weight).abs() < 1e-12);
        assert!(w < p.scoring.alert_min);
        assert!(r.findings.iter().any(|f| f.detector == "transshipment"));
        assert!(r.findings.iter().any(|f| f.detector == "listed_proximity"));
        // The bundle says it rests on the upper bound and shows the weak links, with lines.
        let c = Catalog::builtin();
        let ctx = Ctx::with(&out.data, &p, &c, &out.groups, &out.indexes);
        let b = bundle(&ctx, &out, a, Vec::new());
        assert_eq!(b["bound"], "upper");
        assert_eq!(b["lower_groups"].as_array().unwrap().len(), 6);
        let weak = b["upper_bound_links"].as_array().unwrap();
        assert_eq!(weak.len(), 15, "every pair of the six shares the phone");
        for l in weak {
            assert_eq!(l["kind"], "phone");
            assert!(l["evidence"][0].as_str().unwrap().starts_with("test.csv:"));
        }
    }

    #[test]
    fn upper_bound_scoring_is_the_same_in_parallel() {
        let key = |out: &Outcome| -> Vec<(i64, String, u64, Vec<i64>)> {
            out.alerts
                .iter()
                .map(|a| {
                    let b = a.bound.as_str().to_string();
                    (a.id, b, a.score.to_bits(), a.members.clone())
                })
                .collect()
        };
        let (w, _) = weak_ring(true, false);
        let seq = outcome_of(w);
        let (w, _) = weak_ring(true, false);
        let (d, p) = w.data();
        let par = outcome(d, &p, &Catalog::builtin(), Options { parallel: true });
        assert_eq!(key(&seq), key(&par));
        assert!(!key(&seq).is_empty());
    }

    #[test]
    fn weakly_tied_fronts_without_corroboration_do_not_alert() {
        // Nothing of their own beyond sub-threshold buying: not even scored on the upper bound.
        let (w, _) = weak_ring(false, false);
        let out = outcome_of(w);
        assert!(out.alerts.is_empty(), "{:?}", out.alerts);
        let u: HashSet<usize> = out.groups.upper_of.values().copied().collect();
        assert_eq!(u.len(), 1, "one upper group holds them");
        assert!(out.upper_results.is_empty());
        // A weak red flag of their own (misdeclared lines): scored, discounted, under alert_min.
        let (w, _) = weak_ring(false, true);
        let out = outcome_of(w);
        assert!(out.alerts.is_empty(), "{:?}", out.alerts);
        let r = out
            .upper_results
            .first()
            .expect("scored on the upper bound");
        assert!(r.findings.iter().any(|f| f.detector == "structuring"));
        assert!(r.findings.iter().any(|f| f.detector == "misdeclaration"));
        assert!(r.score < 0.6, "{}", r.score);
    }

    #[test]
    fn a_registered_agents_clients_do_not_alert() {
        // Twenty-five unrelated firms registered at one agent's address and phone, each under
        // the threshold, together far over it, each shipping on to China: mass registration
        // makes no link, so there is no group, lower or upper, to sum them.
        let mut w = World::new();
        for i in 0..25 {
            let f = w.company(&format!("Client {i} Pte Ltd"), "SG");
            w.address(f, "160 Robinson Road #14-04 SBF Center");
            w.phone(f, "+6562223333");
            let n = w.company(&format!("Buyer {i}"), "CN");
            for _ in 0..2 {
                w.line(f).notify(n).h100(500.0).push();
            }
        }
        let out = outcome_of(w);
        assert!(out.alerts.is_empty(), "{:?}", out.alerts);
        assert!(out.upper_results.is_empty());
        assert!(out.groups.upper.iter().all(|u| u.members.len() == 1));
    }

    #[test]
    fn the_fronts_a_nominee_directs_are_tested_as_the_least_specific_party_group() {
        // One person directs twelve companies — a nominee by the profile's bound, so no link —
        // four of them fronts in Malaysia, each shipping on to its own listed buyer in China.
        let mut w = World::new();
        let park = w.person("Park Yeon-soo");
        let fronts: Vec<Ix> = (0..4)
            .map(|i| w.company(&format!("Front {i} Sdn Bhd"), "MY"))
            .collect();
        for i in 0..8 {
            let c = w.company(&format!("Client {i} Pte Ltd"), "SG");
            w.rel(park, c, "director", None);
        }
        for (i, &f) in fronts.iter().enumerate() {
            w.rel(park, f, "director", None);
            let buyer = w.company(&format!("Buyer {i}"), "CN");
            w.d.entities[buyer as usize].listed = Some(("Entity List".into(), 1));
            for _ in 0..4 {
                w.line(f).notify(buyer).h100(300.0).push();
            }
        }
        let out = outcome_of(w);
        assert!(out.groups.nominees.contains(&park));
        assert!(
            fronts.iter().all(|f| {
                let u = out.groups.upper_of[f];
                out.groups.upper[u].members == [*f]
            }),
            "a nominee makes no link"
        );
        let a = out
            .alerts
            .first()
            .expect("the nominee's party group alerts");
        assert_eq!(
            a.title,
            "4 consignees sharing nominee director Park Yeon-soo"
        );
        let r = out.result_of(a);
        let party = &out.groups.parties[r.party.expect("a party result")];
        assert!(party.nominee);
        // Its evidence: the directorships, at strength 0, with their source lines.
        let p = Policy::builtin("diffusion-2025").unwrap();
        let c = Catalog::builtin();
        let ctx = Ctx::with(&out.data, &p, &c, &out.groups, &out.indexes);
        let b = bundle(&ctx, &out, a, Vec::new());
        let links = b["upper_bound_links"].as_array().unwrap();
        assert_eq!(links.len(), 6, "every pair of the four fronts");
        assert!(
            links
                .iter()
                .all(|l| l["nominee"] == true && l["strength"] == 0.0)
        );
        assert!(
            links
                .iter()
                .all(|l| l["evidence"].as_array().is_some_and(|e| e.len() == 2))
        );
    }

    /// Four fronts in Malaysia tied by nothing but one notify party in China on the Entity
    /// List, named on `habitual` of each front's four lines (four lines of 300 H100 each: 0.71
    /// of the threshold per front, 2.8× together).
    fn notify_ring(habitual: usize) -> (World, Vec<Ix>, Ix) {
        let mut w = World::new();
        let hub = w.company("Optipeak Shipping Ltd", "CN");
        w.d.entities[hub as usize].listed = Some(("Entity List".into(), 1));
        let fronts: Vec<Ix> = (0..4)
            .map(|i| w.company(&format!("Front {i} Sdn Bhd"), "MY"))
            .collect();
        for &f in &fronts {
            for k in 0..4 {
                let l = w.line(f).h100(300.0);
                if k < habitual {
                    l.notify(hub).push();
                } else {
                    l.push();
                }
            }
        }
        (w, fronts, hub)
    }

    #[test]
    fn fronts_sharing_a_habitual_party_are_tested_together_as_a_party_group() {
        let (w, fronts, hub) = notify_ring(4);
        let out = outcome_of(w);
        // A notify party (0.5) is no weak link: the partition leaves every front alone …
        assert!(fronts.iter().all(|f| {
            let u = out.groups.upper_of[f];
            out.groups.upper[u].members == [*f]
        }));
        // … the party group holds them.
        let a = out.alerts.first().expect("the party group alerts");
        assert_eq!(a.bound, Bound::Upper);
        let mut members = fronts
            .iter()
            .map(|&f| out.data.entity(f).id)
            .collect::<Vec<_>>();
        members.sort_unstable();
        assert_eq!(a.members, members);
        assert_eq!(
            a.title,
            "4 consignees sharing notify party Optipeak Shipping Ltd"
        );
        let r = out.result_of(a);
        assert_eq!(r.party.map(|pi| out.groups.parties[pi].via), Some(hub));
        assert!(r.findings.iter().any(|f| f.detector == "structuring"));
        assert!(r.findings.iter().any(|f| f.detector == "transshipment"));
        assert!(r.findings.iter().any(|f| f.detector == "listed_proximity"));
        // The bundle shows the shared party's links between the lower groups, with lines.
        let p = Policy::builtin("diffusion-2025").unwrap();
        let c = Catalog::builtin();
        let ctx = Ctx::with(&out.data, &p, &c, &out.groups, &out.indexes);
        let b = bundle(&ctx, &out, a, Vec::new());
        let links = b["upper_bound_links"].as_array().unwrap();
        assert_eq!(
            links.len(),
            6,
            "every pair of the four shares the notify party"
        );
        assert!(links.iter().all(|l| l["kind"] == "notify"));
    }

    #[test]
    fn a_party_on_few_of_a_fronts_lines_or_party_groups_off_raise_nothing() {
        // On one line of four: not habitual.
        let (w, _, _) = notify_ring(1);
        let out = outcome_of(w);
        assert!(out.groups.parties.is_empty());
        assert!(out.alerts.is_empty(), "{:?}", out.alerts);
        // Habitual, but party groups turned off.
        let (mut w, _, _) = notify_ring(4);
        w.policy.groups.party_share = 0.0;
        let out = outcome_of(w);
        assert!(out.groups.parties.is_empty());
        assert!(out.alerts.is_empty(), "{:?}", out.alerts);
    }
}
