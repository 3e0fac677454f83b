//! Evaluation of alerts against planted networks (`trawl eval-alerts`).
//!
//! Inputs: the stored alerts of the last `trawl score`, a truth file — the generator's
//! `truth/networks.json` (`networks[]` with `beneficiary`, `intermediary`, `fronts[]`, each with a
//! `cluster`; `decoys[]` with `members`) or sample-data's `networks.json` (`rings[]` with
//! `party_id`s; `must_not_flag`) — and optionally a record truth CSV (`id,cluster`, the
//! generator's `truth/records.csv` or sample-data's `truth.csv`) that maps registry ids and
//! shipment mentions (`{shipment}:{role}`) to true clusters. Without it, registry ids are taken
//! as clusters.
//!
//! Output: network-level precision / recall (an alert is correct when one of its companies
//! belongs to a planted network; a network is found when one alert holds at least half of its
//! fronts), member-level precision / recall over companies (alert members and the parties that
//! link them, against fronts, beneficiaries and intermediaries), decoys flagged, and the same
//! figures for the naive per-consignee check the rule itself applies (a consignee whose own
//! declared total in a window exceeds the threshold).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;

use super::patterns::Ctx;
use super::{Catalog, Data, Policy, groups};
use crate::error::{Error, Result};

/// One planted network.
#[derive(Debug, Clone, Serialize)]
pub struct Network {
    pub id: String,
    /// Fronts, beneficiary, intermediaries (companies).
    pub members: BTreeSet<String>,
    pub fronts: BTreeSet<String>,
}

/// The truth file, normalised.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Truth {
    pub networks: Vec<Network>,
    /// Clusters that must not be flagged.
    pub negatives: BTreeSet<String>,
}

fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(strs).collect(),
        Value::Object(o) => o.values().flat_map(strs).collect(),
        _ => Vec::new(),
    }
}

/// Reads a truth file (generator or sample-data layout).
///
/// # Errors
/// [`Error::Io`], or [`Error::Parse`] if it is neither layout.
pub fn read_truth(path: &Path) -> Result<Truth> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| Error::Parse {
        path: path.into(),
        line: e.line() as u64,
        reason: e.to_string(),
    })?;
    let mut t = Truth::default();
    let id_of = |x: &Value| -> Option<String> {
        x.get("cluster")
            .or_else(|| x.get("party_id"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if let Some(nets) = v.get("networks").and_then(Value::as_array) {
        for n in nets {
            let fronts: BTreeSet<String> = n["fronts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(id_of)
                .collect();
            let mut members = fronts.clone();
            for k in ["beneficiary", "intermediary"] {
                if let Some(c) = n.get(k).and_then(id_of) {
                    members.insert(c);
                }
            }
            t.networks.push(Network {
                id: n["id"].as_str().unwrap_or("").into(),
                members,
                fronts,
            });
        }
        for dcy in v["decoys"].as_array().into_iter().flatten() {
            t.negatives.extend(strs(&dcy["members"]));
        }
    } else if let Some(rings) = v.get("rings").and_then(Value::as_array) {
        for r in rings {
            let fronts: BTreeSet<String> = r["fronts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(id_of)
                .collect();
            let mut members = fronts.clone();
            for k in ["beneficiary", "beneficiary_arm", "payer", "sample_channel"] {
                if let Some(c) = r.get(k).and_then(id_of) {
                    members.insert(c);
                }
            }
            t.networks.push(Network {
                id: r["id"].as_str().unwrap_or("").into(),
                members,
                fronts,
            });
        }
        t.negatives.extend(
            strs(&v["must_not_flag"])
                .into_iter()
                .filter(|s| !s.contains(' ')),
        );
    } else {
        return Err(Error::Parse {
            path: path.into(),
            line: 0,
            reason: "neither a generator truth/networks.json (`networks`) nor a sample-data networks.json (`rings`)".into(),
        });
    }
    Ok(t)
}

/// The true cluster of each entity: the most common cluster of its records.
///
/// # Errors
/// [`Error::Io`] / [`Error::Parse`] reading the CSV, [`Error::Db`].
pub fn entity_clusters(conn: &Connection, records: Option<&Path>) -> Result<HashMap<i64, String>> {
    let mut truth: HashMap<String, String> = HashMap::new();
    if let Some(p) = records {
        let mut rdr = csv::Reader::from_path(p).map_err(|e| Error::Parse {
            path: p.into(),
            line: 0,
            reason: e.to_string(),
        })?;
        for r in rdr.records() {
            let r = r.map_err(|e| Error::Parse {
                path: p.into(),
                line: e.position().map_or(0, |x| x.line()),
                reason: e.to_string(),
            })?;
            if let (Some(a), Some(b)) = (r.get(0), r.get(1)) {
                truth.insert(a.to_owned(), b.to_owned());
            }
        }
    }
    let mut votes: HashMap<i64, BTreeMap<String, u32>> = HashMap::new();
    {
        let mut st = conn.prepare(
            "SELECT er.entity_id, r.origin, r.source_key FROM records r
             JOIN entity_records er ON er.record_id = r.id
             WHERE r.source_key IS NOT NULL AND r.origin != 'shipment'",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let (e, origin, key): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let c = truth.get(&key).cloned().unwrap_or_else(|| {
                if origin == "screening" {
                    format!("SL-{key}")
                } else {
                    key
                }
            });
            *votes.entry(e).or_default().entry(c).or_default() += 1;
        }
    }
    if !truth.is_empty() {
        let mut st = conn.prepare(
            "SELECT s.shipment_key, s.consignee_record, s.notify_record, s.end_user_record,
                    s.payer_record, s.forwarder_record, s.shipper_record FROM shipments s",
        )?;
        let mut rec_entity: HashMap<i64, i64> = HashMap::new();
        {
            let mut st2 = conn.prepare("SELECT record_id, entity_id FROM entity_records")?;
            let mut rows = st2.query([])?;
            while let Some(r) = rows.next()? {
                rec_entity.insert(r.get(0)?, r.get(1)?);
            }
        }
        let roles = [
            "consignee",
            "notify",
            "end_user",
            "payer",
            "forwarder",
            "shipper",
        ];
        let mut rows = st.query([])?;
        let mut key = String::new();
        while let Some(r) = rows.next()? {
            let sk: String = r.get(0)?;
            for (i, role) in roles.iter().enumerate() {
                let Some(rec) = r.get::<_, Option<i64>>(i + 1)? else {
                    continue;
                };
                key.clear();
                key.push_str(&sk);
                key.push(':');
                key.push_str(role);
                if let (Some(c), Some(e)) = (truth.get(&key), rec_entity.get(&rec)) {
                    *votes.entry(*e).or_default().entry(c.clone()).or_default() += 1;
                }
            }
        }
    }
    Ok(votes
        .into_iter()
        .filter_map(|(e, v)| {
            v.into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|(c, _)| (e, c))
        })
        .collect())
}

/// Precision and recall.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Pr {
    pub precision: f64,
    pub recall: f64,
}

fn pr(tp_pred: usize, pred: usize, tp_truth: usize, truth: usize) -> Pr {
    Pr {
        precision: if pred == 0 {
            1.0
        } else {
            tp_pred as f64 / pred as f64
        },
        recall: if truth == 0 {
            1.0
        } else {
            tp_truth as f64 / truth as f64
        },
    }
}

/// The figures of one method (trawl's alerts, or the naive check).
#[derive(Debug, Clone, Default, Serialize)]
pub struct MethodReport {
    /// Alerts (trawl) or flagged consignees (naive).
    pub flagged: usize,
    pub network: Pr,
    pub member: Pr,
    pub decoys_flagged: Vec<String>,
    pub networks_missed: Vec<String>,
}

/// The evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub networks: usize,
    pub truth_members: usize,
    pub trawl: MethodReport,
    pub naive_per_consignee: MethodReport,
}

fn judge(truth: &Truth, flagged: &[BTreeSet<String>]) -> MethodReport {
    let all_members: BTreeSet<&String> = truth.networks.iter().flat_map(|n| &n.members).collect();
    let correct = flagged
        .iter()
        .filter(|f| f.iter().any(|c| all_members.contains(c)))
        .count();
    let mut found = 0;
    let mut missed = Vec::new();
    for n in &truth.networks {
        let need = n.fronts.len().div_ceil(2).max(1);
        let hit = flagged.iter().any(|f| {
            let base = if n.fronts.is_empty() {
                &n.members
            } else {
                &n.fronts
            };
            f.iter().filter(|c| base.contains(*c)).count() >= need.min(base.len())
        });
        if hit {
            found += 1;
        } else {
            missed.push(n.id.clone());
        }
    }
    let pred: BTreeSet<&String> = flagged.iter().flatten().collect();
    let tp = pred.iter().filter(|c| all_members.contains(*c)).count();
    MethodReport {
        flagged: flagged.len(),
        network: pr(correct, flagged.len(), found, truth.networks.len()),
        member: pr(tp, pred.len(), tp, all_members.len()),
        decoys_flagged: pred
            .iter()
            .filter(|c| truth.negatives.contains(**c))
            .map(|c| (*c).clone())
            .collect(),
        networks_missed: missed,
    }
}

/// Evaluates the stored alerts and the naive per-consignee check against a truth file.
///
/// # Errors
/// As [`read_truth`], [`entity_clusters`] and [`Data::load`].
pub fn evaluate(
    conn: &Connection,
    p: &Policy,
    c: &Catalog,
    truth_path: &Path,
    records: Option<&Path>,
) -> Result<EvalReport> {
    let truth = read_truth(truth_path)?;
    let clusters = entity_clusters(conn, records)?;
    // trawl: the companies of each alert (members and linking parties).
    let mut by_alert: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    {
        let mut st = conn.prepare(
            "SELECT m.alert_id, m.entity_id FROM alert_members m JOIN entities e ON e.id = m.entity_id
             WHERE e.kind != 'person' ORDER BY m.alert_id",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let (a, e): (i64, i64) = (r.get(0)?, r.get(1)?);
            let set = by_alert.entry(a).or_default();
            if let Some(cl) = clusters.get(&e) {
                set.insert(cl.clone());
            }
        }
    }
    let trawl_flagged: Vec<BTreeSet<String>> = by_alert.into_values().collect();
    // Naive: each consignee alone against the threshold, declared TPP only.
    let data = Data::load(conn, p, c)?;
    let g = groups::Groups::default();
    let ctx = Ctx::new(&data, p, c, &g);
    let mut naive: Vec<BTreeSet<String>> = Vec::new();
    if p.threshold > 0.0 {
        let mut cons: Vec<_> = ctx.by_consignee.keys().copied().collect();
        cons.sort_unstable();
        for m in cons {
            let lines: Vec<usize> = ctx.by_consignee[&m]
                .iter()
                .copied()
                .filter(|&i| data.lines[i].dest.is_some_and(|d| p.allowance_applies(d)))
                .collect();
            let mut by_window: BTreeMap<i32, f64> = BTreeMap::new();
            for i in lines {
                let l = &data.lines[i];
                *by_window.entry(super::policy::year_of(l.day)).or_default() += l.declared;
            }
            if by_window.values().any(|&v| v > p.threshold)
                && let Some(cl) = clusters.get(&data.entity(m).id)
            {
                naive.push(BTreeSet::from([cl.clone()]));
            }
        }
    }
    Ok(EvalReport {
        networks: truth.networks.len(),
        truth_members: truth
            .networks
            .iter()
            .flat_map(|n| &n.members)
            .collect::<BTreeSet<_>>()
            .len(),
        trawl: judge(&truth, &trawl_flagged),
        naive_per_consignee: judge(&truth, &naive),
    })
}
