//! Evaluation: compare the latest resolution with ground truth.
//!
//! Input: a truth CSV `id,cluster` keyed by the sources' own ids — a parties id, a screening
//! `entity_number` or a FollowTheMoney id (all `records.source_key`), or
//! `{shipment_key}:{role}` for a party named on a shipment (role ∈ shipper, consignee, notify,
//! end_user, forwarder, payer, looked up through `shipments`). Output: pairwise and B-cubed
//! precision, recall and F1 over the records the truth labels, and the blocking recall: the
//! share of true pairs that blocking put in one block (direct), and the share connected through
//! candidate pairs at all (reachable).
//!
//! Identical mentions within one file share a record, so several truth ids can name one record;
//! the record then takes its most common truth cluster and the conflicts are counted.
//!
//! On request, the errors themselves ([`ErrorRow`]): each part of a true entity that blocking
//! left unreachable from the rest, each part that resolution split off, and each part of an
//! entity that belongs to another true entity, with one record of the part and one of the rest
//! to pass to `trawl explain-match`.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

use super::{ResolveConfig, block, cluster::UnionFind, prepare};
use crate::error::{Error, Result};

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// The evaluation report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvalReport {
    pub truth_rows: u64,
    /// Truth ids that matched no record.
    pub unmatched_ids: u64,
    /// Records labelled (evaluated).
    pub records: u64,
    /// Records named by truth ids of different clusters.
    pub conflicting_records: u64,
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
    pub pairwise: Prf,
    pub bcubed: Prf,
    /// True pairs in a common block.
    pub blocking_recall: f64,
    /// True pairs connected through candidate pairs.
    pub blocking_reachable: f64,
    pub truth_clusters: u64,
    pub predicted_entities: u64,
}

/// What went wrong with a part of a true entity or of a predicted one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorKind {
    /// Records of one true entity that no chain of candidate pairs joins to the rest of it
    /// (the largest part): blocking lost them, comparison never saw them.
    Unreachable,
    /// Records of one true entity in another predicted entity than the rest of it (the largest
    /// part), though blocking reached them.
    Split,
    /// Records of a predicted entity that belong to another true entity than the rest of it
    /// (the largest part).
    Merged,
}

/// One error: a part of a true entity (unreachable, split) or of a predicted one (merged),
/// with one record of the part and one of the rest, to pass to `trawl explain-match`.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorRow {
    pub kind: ErrorKind,
    pub truth_cluster: String,
    /// The predicted entity of `record` (for `merged`, the entity the part was put in).
    pub entity: i64,
    /// Records in the part.
    pub records: u64,
    /// Pairs between the part and the rest (the pairs this part costs recall or precision).
    pub pairs: u64,
    pub record: i64,
    pub name: String,
    pub country: String,
    pub other_record: i64,
    pub other_truth_cluster: String,
    pub other_name: String,
    pub other_country: String,
}

const ROLES: [&str; 6] = [
    "shipper",
    "consignee",
    "notify",
    "end_user",
    "forwarder",
    "payer",
];

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Every key a truth file may name a record by: its source key, and `SHIPMENT:role` for the
/// parties named on shipments (the generator's truth names them so). A key of several records
/// names the first.
///
/// # Errors
/// [`Error::Db`].
pub fn record_keys(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut by_key: HashMap<String, i64> = HashMap::new();
    let mut st = conn
        .prepare("SELECT source_key, id FROM records WHERE source_key IS NOT NULL ORDER BY id")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        by_key.entry(r.get(0)?).or_insert(r.get(1)?);
    }
    let mut st = conn.prepare(
        "SELECT shipment_key, shipper_record, consignee_record, notify_record,
                end_user_record, forwarder_record, payer_record FROM shipments ORDER BY id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(0)?;
        for (i, role) in ROLES.iter().enumerate() {
            if let Some(id) = r.get::<_, Option<i64>>(i + 1)? {
                by_key.entry(format!("{key}:{role}")).or_insert(id);
            }
        }
    }
    Ok(by_key)
}

/// Evaluates the entities in the store against `truth`.
///
/// # Errors
/// [`Error::Io`]/[`Error::Parse`] for the truth file, [`Error::NotFound`] if `trawl resolve`
/// has not run, [`Error::Db`].
pub fn evaluate(conn: &Connection, truth: &Path) -> Result<EvalReport> {
    Ok(evaluate_with_errors(conn, truth)?.0)
}

/// [`evaluate`], and the errors: sorted by kind, then by the pairs they cost (most first).
///
/// # Errors
/// As [`evaluate`].
pub fn evaluate_with_errors(
    conn: &Connection,
    truth: &Path,
) -> Result<(EvalReport, Vec<ErrorRow>)> {
    let mut report = EvalReport::default();
    let by_key = record_keys(conn)?;
    // record id → truth cluster votes
    let mut votes: HashMap<i64, HashMap<String, u32>> = HashMap::new();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(truth)
        .map_err(|e| Error::Parse {
            path: truth.into(),
            line: 0,
            reason: e.to_string(),
        })?;
    for (i, row) in rdr.records().enumerate() {
        let row = row.map_err(|e| Error::Parse {
            path: truth.into(),
            line: i as u64 + 2,
            reason: e.to_string(),
        })?;
        report.truth_rows += 1;
        let (Some(id), Some(cl)) = (row.get(0), row.get(1)) else {
            continue;
        };
        match by_key.get(id) {
            Some(&rec) => *votes.entry(rec).or_default().entry(cl.into()).or_default() += 1,
            None => report.unmatched_ids += 1,
        }
    }
    drop(by_key);
    // predicted entity of each record
    let mut entity: HashMap<i64, i64> = HashMap::new();
    {
        let mut st = conn.prepare("SELECT record_id, entity_id FROM entity_records")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            entity.insert(r.get(0)?, r.get(1)?);
        }
    }
    if entity.is_empty() {
        return Err(Error::NotFound(
            "entities: run `trawl resolve` before `trawl eval-resolve`".into(),
        ));
    }
    let mut labelled: Vec<Labelled> = Vec::with_capacity(votes.len());
    for (rec, v) in votes {
        if v.len() > 1 {
            report.conflicting_records += 1;
        }
        let mut v: Vec<(String, u32)> = v.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let Some(&e) = entity.get(&rec) else { continue };
        labelled.push((rec, v.swap_remove(0).0, e));
    }
    labelled.sort();
    report.records = labelled.len() as u64;
    let mut t_size: HashMap<&str, u64> = HashMap::new();
    let mut e_size: HashMap<i64, u64> = HashMap::new();
    let mut cell: HashMap<(&str, i64), u64> = HashMap::new();
    for (_, t, e) in &labelled {
        *t_size.entry(t).or_default() += 1;
        *e_size.entry(*e).or_default() += 1;
        *cell.entry((t, *e)).or_default() += 1;
    }
    report.truth_clusters = t_size.len() as u64;
    report.predicted_entities = e_size.len() as u64;
    report.true_pairs = t_size.values().map(|&n| pairs(n)).sum();
    report.predicted_pairs = e_size.values().map(|&n| pairs(n)).sum();
    report.correct_pairs = cell.values().map(|&n| pairs(n)).sum();
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    report.pairwise = Prf::new(
        ratio(report.correct_pairs, report.predicted_pairs),
        ratio(report.correct_pairs, report.true_pairs),
    );
    let (mut bp, mut br) = (0.0, 0.0);
    for (_, t, e) in &labelled {
        let c = cell[&(t.as_str(), *e)] as f64;
        bp += c / e_size[e] as f64;
        br += c / t_size[t.as_str()] as f64;
    }
    let n = labelled.len().max(1) as f64;
    report.bcubed = Prf::new(bp / n, br / n);

    // blocking recall: re-run blocking with the latest run's settings
    let cfg = super::latest_model(conn)?
        .map(|(_, c)| c)
        .unwrap_or_else(ResolveConfig::default);
    let raws = super::load_records(conn)?;
    let corpus = prepare::prepare(&raws);
    let (cand, _) = block::candidates(&corpus, &cfg.block());
    let cand = cand.pairs;
    let truth_of: HashMap<i64, &str> = labelled.iter().map(|(r, t, _)| (*r, t.as_str())).collect();
    let label_at: Vec<Option<&str>> = raws.iter().map(|r| truth_of.get(&r.id).copied()).collect();
    let mut found = 0u64;
    let mut uf = UnionFind::new(raws.len());
    for &(a, b) in &cand {
        if let (Some(x), Some(y)) = (label_at[a as usize], label_at[b as usize]) {
            if x == y {
                found += 1;
                uf.union(a, b);
            }
        }
    }
    let mut reach: HashMap<(u32, &str), u64> = HashMap::new();
    for (i, l) in label_at.iter().enumerate() {
        if let Some(l) = l {
            *reach.entry((uf.find(i as u32), l)).or_default() += 1;
        }
    }
    let reachable: u64 = reach.values().map(|&n| pairs(n)).sum();
    report.blocking_recall = ratio(found, report.true_pairs);
    report.blocking_reachable = ratio(reachable, report.true_pairs);
    let roots: Vec<u32> = (0..raws.len() as u32).map(|i| uf.find(i)).collect();
    let component = |rec: i64| {
        raws.binary_search_by_key(&rec, |r| r.id)
            .map_or(u32::MAX, |i| roots[i])
    };
    let errors = error_rows(&labelled, &raws, component);
    Ok((report, errors))
}

/// A labelled record: its id, its truth cluster, its predicted entity.
type Labelled = (i64, String, i64);

/// The parts of `labelled` (sorted by record) that went wrong; `component` gives a record's
/// blocking component.
fn error_rows(
    labelled: &[Labelled],
    raws: &[prepare::RawRecord],
    component: impl Fn(i64) -> u32,
) -> Vec<ErrorRow> {
    let describe = |rec: i64| -> (String, String) {
        raws.binary_search_by_key(&rec, |r| r.id)
            .map(|i| {
                (
                    raws[i].name.clone(),
                    raws[i].country.clone().unwrap_or_default(),
                )
            })
            .unwrap_or_default()
    };
    let row = |kind, part: &[&Labelled], rest: &[&Labelled], total: usize| {
        let (name, country) = describe(part[0].0);
        let (other_name, other_country) = describe(rest[0].0);
        ErrorRow {
            kind,
            truth_cluster: part[0].1.clone(),
            entity: part[0].2,
            records: part.len() as u64,
            pairs: (part.len() * (total - part.len())) as u64,
            record: part[0].0,
            name,
            country,
            other_record: rest[0].0,
            other_truth_cluster: rest[0].1.clone(),
            other_name,
            other_country,
        }
    };
    // the parts of each group by `part_of`, the largest (then earliest) first
    fn parts<'a, K: Ord + Copy>(
        group: &[&'a Labelled],
        part_of: impl Fn(&'a Labelled) -> K,
    ) -> Vec<Vec<&'a Labelled>> {
        let mut sorted = group.to_vec();
        sorted.sort_by_key(|&x| (part_of(x), x.0));
        let mut out: Vec<Vec<_>> = sorted
            .chunk_by(|&x, &y| part_of(x) == part_of(y))
            .map(<[_]>::to_vec)
            .collect();
        out.sort_by_key(|p| (std::cmp::Reverse(p.len()), p[0].0));
        out
    }
    let mut out = Vec::new();
    let mut by_truth: Vec<&Labelled> = labelled.iter().collect();
    by_truth.sort_by(|x, y| x.1.cmp(&y.1).then(x.0.cmp(&y.0)));
    for group in by_truth.chunk_by(|x, y| x.1 == y.1) {
        let reach = parts(group, |x| component(x.0));
        for p in &reach[1..] {
            out.push(row(ErrorKind::Unreachable, p, &reach[0], group.len()));
        }
        let split = parts(group, |x| x.2);
        let home = component(split[0][0].0);
        for p in split[1..].iter().filter(|p| component(p[0].0) == home) {
            out.push(row(ErrorKind::Split, p, &split[0], group.len()));
        }
    }
    let mut by_entity: Vec<&Labelled> = labelled.iter().collect();
    by_entity.sort_by_key(|x| (x.2, x.0));
    for group in by_entity.chunk_by(|x, y| x.2 == y.2) {
        let merged = parts(group, |x| x.1.as_str());
        for p in &merged[1..] {
            out.push(row(ErrorKind::Merged, p, &merged[0], group.len()));
        }
    }
    out.sort_by(|a, b| {
        (a.kind, std::cmp::Reverse(a.pairs), a.record).cmp(&(
            b.kind,
            std::cmp::Reverse(b.pairs),
            b.record,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::testutil::insert;

    #[test]
    fn perfect_and_imperfect_scores() {
        let conn = crate::store::open_in_memory().unwrap();
        insert(
            &conn,
            &[
                ("a1", "company", "Apex Tech Pte Ltd", "Singapore", "SG", ""),
                (
                    "a2",
                    "company",
                    "APEX TECHNOLOGY PTE. LIMITED",
                    "Singapore",
                    "SG",
                    "",
                ),
                ("b1", "company", "Zenith Marine Ltd", "Hong Kong", "HK", ""),
                (
                    "c1",
                    "company",
                    "Blue Ocean Shipping Sdn Bhd",
                    "Kuala Lumpur",
                    "MY",
                    "",
                ),
            ],
        );
        crate::resolve::resolve(&conn, &Default::default()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("truth.csv");
        std::fs::write(&path, "id,cluster\na1,A\na2,A\nb1,B\nc1,C\nzz,Z\n").unwrap();
        let r = evaluate(&conn, &path).unwrap();
        assert_eq!(r.unmatched_ids, 1);
        assert_eq!(r.records, 4);
        assert_eq!(r.true_pairs, 1);
        assert!((r.pairwise.f1 - 1.0).abs() < 1e-9, "{r:?}");
        assert!((r.bcubed.f1 - 1.0).abs() < 1e-9);
        assert!((r.blocking_recall - 1.0).abs() < 1e-9);
        // b1 and c1 said to be one: recall drops, precision stays
        std::fs::write(&path, "id,cluster\na1,A\na2,A\nb1,B\nc1,B\n").unwrap();
        let r = evaluate(&conn, &path).unwrap();
        assert!((r.pairwise.precision - 1.0).abs() < 1e-9);
        assert!((r.pairwise.recall - 0.5).abs() < 1e-9);
        // the error listed: c1 split off from b1 (reached: blocking pairs this small store out)
        let (_, errors) = evaluate_with_errors(&conn, &path).unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(
            (e.kind, e.truth_cluster.as_str(), e.pairs),
            (ErrorKind::Split, "B", 1)
        );
        assert_eq!(
            (e.name.as_str(), e.other_name.as_str()),
            ("Blue Ocean Shipping Sdn Bhd", "Zenith Marine Ltd")
        );
        // a1 and a2 said to be two: the entity holding both is a merge
        std::fs::write(&path, "id,cluster\na1,A\na2,X\nb1,B\nc1,C\n").unwrap();
        let (r, errors) = evaluate_with_errors(&conn, &path).unwrap();
        assert!((r.pairwise.precision - 0.0).abs() < 1e-9);
        let kinds: Vec<ErrorKind> = errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [ErrorKind::Merged]);
        assert_eq!((errors[0].record, errors[0].other_record), (2, 1));
    }
}
