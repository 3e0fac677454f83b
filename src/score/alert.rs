//! Scores and alerts: combine detector findings into risk scores, rank alerts, build their
//! evidence bundles and store them.
//!
//! Input: [`Data`], the [`Groups`] and the detectors' [`Finding`]s. Output: an [`Outcome`]
//! (scores per group and entity, ranked [`Alert`]s) and, through [`store`], the tables of
//! `schema/003_score.sql`. The bundle of an alert names the members and every link that holds
//! them together with its source file + line, the orders counted with their source lines and TPP
//! conversion, the threshold and window, the lower/upper totals and each detector's weight,
//! score and contribution.

use crate::score::fast::HashSet;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};

use super::groups::{self, Groups, Link};
use super::patterns::{self, Ctx, Finding, Indexes};
use super::policy::Policy;
use super::{Catalog, Data, Ix, LineClass, NONE, Options, ScoreSummary, cc_str};
use crate::error::{Error, Result};

/// The scored result of one lower-bound group.
#[derive(Debug, Clone)]
pub struct GroupResult {
    /// Index into `groups.lower`.
    pub group: usize,
    pub score: f64,
    pub findings: Vec<Finding>,
    /// Window totals (lower bound) and the matching upper-bound totals: (label, lower, upper).
    pub totals: Vec<(String, f64, f64)>,
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
    #[serde(skip)]
    pub group: usize,
}

/// Everything a run computed.
pub struct Outcome {
    pub data: Data,
    pub groups: Groups,
    pub results: Vec<GroupResult>,
    /// Per node entity: (entity index, own score, own findings' scores).
    pub entity_scores: Vec<(Ix, f64, BTreeMap<&'static str, f64>)>,
    pub alerts: Vec<Alert>,
    /// The detectors' indexes, kept for the bundles [`store`] builds.
    pub indexes: Indexes,
    /// How the run was computed ([`store`] builds bundles in parallel when this run was).
    pub opts: Options,
}

impl Outcome {
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
        group: gi,
        score,
        findings,
        totals,
    }
}

/// Lower- and upper-bound totals per window (allowance lines when the profile has a threshold,
/// every controlled line otherwise).
fn totals(ctx: &Ctx<'_>, members: &[Ix]) -> Vec<(String, f64, f64)> {
    let lines_for = |m: &[Ix]| {
        if ctx.p.threshold > 0.0 {
            ctx.allowance_lines(m)
        } else {
            ctx.lines_of(m)
        }
    };
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

/// Scores every group and entity and ranks the alerts.
pub fn outcome(data: Data, p: &Policy, c: &Catalog, opts: Options) -> Outcome {
    let groups = groups::build(&data, p);
    let (results, entity_scores, indexes) = {
        let indexes = Indexes::new(&data, p, &groups);
        let ctx = Ctx::with(&data, p, c, &groups, &indexes);
        let n = groups.lower.len();
        let results: Vec<GroupResult> = if opts.parallel {
            (0..n)
                .into_par_iter()
                .map(|gi| score_group(&ctx, gi))
                .collect()
        } else {
            (0..n).map(|gi| score_group(&ctx, gi)).collect()
        };
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
        (results, entity_scores, indexes)
    };
    let mut alerts: Vec<Alert> = results
        .iter()
        .filter(|r| r.score >= p.scoring.alert_min)
        .map(|r| {
            let g = &groups.lower[r.group];
            let (window, lower, upper) = r
                .totals
                .iter()
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .cloned()
                .unwrap_or_default();
            let linked = linked_parties(&data, &groups, &g.members);
            let lead = g.members[0];
            let hub = linked.first().map(|&x| data.entity(x).name.clone());
            let title = match (&hub, g.members.len()) {
                (Some(h), n) if n > 1 => format!("{n} consignees tied through {h}"),
                (_, n) if n > 1 => format!("{n} consignees led by {}", data.entity(lead).name),
                _ => data.entity(lead).name.clone(),
            };
            Alert {
                id: 0,
                group_id: g.id,
                score: r.score,
                title,
                members: g.members.iter().map(|&m| data.entity(m).id).collect(),
                linked: linked.iter().map(|&m| data.entity(m).id).collect(),
                lower_total: lower,
                upper_total: upper,
                window,
                detectors: r.findings.iter().map(|f| f.detector.to_string()).collect(),
                group: r.group,
            }
        })
        .collect();
    alerts.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
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
        entity_scores,
        alerts,
        indexes,
        opts,
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
        if l.via != NONE && !set.contains(&l.via) && (l.via as usize) < d.entities.len() {
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
fn orders(conn: &Connection, ctx: &Ctx<'_>, a: &Alert) -> Result<Vec<(usize, OrderText)>> {
    let order_lines: BTreeSet<usize> = ctx
        .lines_of(&ctx.g.lower[a.group].members)
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
    let r = &out.results[a.group];
    let members = &g.lower[a.group].members;
    let upper_members: Vec<Ix> = g
        .upper_of
        .get(&members[0])
        .map(|&u| g.upper[u].members.clone())
        .unwrap_or_default();
    let counted: HashSet<usize> = ctx.allowance_lines(members).into_iter().collect();
    let mut orders = Vec::with_capacity(order_text.len());
    for (i, (key, date, order_ref, product, hs)) in order_text {
        let l = &d.lines[i];
        let conversion = match l.class {
            LineClass::Controlled { chip, per_unit } => json!({
                "class": "controlled", "chip": c.chip_name(chip), "tpp_per_accelerator": c.chips[chip as usize].tpp,
                "accelerators_per_unit": per_unit,
            }),
            LineClass::Suspect { per_unit } => json!({
                "class": "suspected misdeclaration", "reference_tpp": c.h100_tpp, "accelerators_per_unit": per_unit,
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
        json!({
            "entity": e.id, "name": e.name, "country": cc_str(e.country), "role": role,
            "keys": e.keys, "first_record": d.at(e.first.0, e.first.1),
            "listed": e.listed.as_ref().map(|l| &l.0),
        })
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
    let links: Vec<Value> = g
        .links_within(members)
        .into_iter()
        .map(|l| link_json(d, l))
        .collect();
    // Links from the members to the rest of their upper-bound group (what the upper total adds),
    // at most UPPER_LINKS of them.
    let mut upper_links: Vec<&Link> = Vec::new();
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
    upper_links.sort_by_key(|l| (l.a, l.b, l.kind, l.via));
    upper_links.dedup_by_key(|l| (l.a, l.b, l.kind, l.via));
    let upper_links_total = upper_links.len();
    let upper_links: Vec<Value> = upper_links
        .into_iter()
        .take(UPPER_LINKS)
        .map(|l| link_json(d, l))
        .collect();
    let detectors: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let w = patterns::weight(p, f.detector);
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
                                 threshold, window, detectors, bundle)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
            .map(|a| orders(&tx, &ctx, a))
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
                b
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
}

/// The stored alerts in rank order, at most `top`.
///
/// # Errors
/// [`Error::Db`].
pub fn list(conn: &Connection, top: Option<usize>) -> Result<Vec<AlertRow>> {
    let mut st = conn.prepare(
        "SELECT id, score, group_id, members, title, window, lower_total, upper_total, threshold,
                detectors
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
