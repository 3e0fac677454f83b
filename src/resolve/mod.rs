//! Entity resolution: cluster the records ingest stored into entities.
//!
//! Input: the `records` table (every party mention: registry parties, screening entries,
//! FollowTheMoney entities, parties named on shipments) and any analyst overrides. Output, in
//! one transaction (tables of `schema/002_resolve.sql`): `entities`, `entity_records` (every
//! record maps to exactly one entity, singletons included), `merge_evidence` (the accepted pairs
//! that connect each entity, a maximum spanning forest, with weight and per-feature
//! contributions), `possible_matches` (for each pair of entities their best pair just below the
//! threshold, for upper-bound grouping downstream),
//! `resolve_overrides` and a `resolve_runs` row with the fitted model.
//!
//! The stages, one file each:
//! [`normalize`] → [`prepare`] (interning, inverse-frequency word weights, kind of shipment
//! mentions) → [`block`] (candidate pairs) → [`compare`] (feature levels, Fellegi–Sunter with
//! m/u estimated by EM, or counted from [`labels`]) → [`cluster`] (union-find, anti-chaining guard, overrides, stable ids).
//! [`evaluate`] scores a run against ground truth.
//!
//! Deterministic: comparisons run in parallel with rayon but results are collected in pair
//! order, EM works on integer counts, and ties are broken by record id, so the output is
//! byte-identical for any `RAYON_NUM_THREADS`.

pub mod arabic;
pub mod block;
pub mod cjk;
pub mod cluster;
pub mod compare;
pub mod evaluate;
pub mod labels;
pub mod normalize;
pub mod prepare;

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use compare::{Models, Pattern};
use prepare::{Corpus, RawRecord};

/// Validated settings of a resolution run. `Default` gives the documented defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolveConfig {
    /// Match probability at or above which a pair is accepted. 0.7: more likely than not (0.5,
    /// the decision rule of a calibrated model) with a margin, because EM's probabilities are
    /// only roughly calibrated (conditional independence does not hold between name, legal form
    /// and country); measured against ground truth on three data sets (BENCHMARKS.md), 0.7
    /// gave the best F1 of 0.5 / 0.7 / 0.9 on the two larger and tied on the smallest. The
    /// anti-chaining guard then splits components that are not held together on average.
    pub threshold: f64,
    /// Match probability at or above which a pair that was not merged is kept as a possible
    /// match (0.3: still roughly one chance in three, worth showing as an upper bound).
    pub possible_threshold: f64,
    /// Blocks up to this many records are compared on every pair (100 records = 4,950 pairs).
    pub max_block: usize,
    /// Blocks above this many records are dropped as uninformative (a word in thousands of
    /// names); between `max_block` and this a sorted window is used.
    pub skip_block: usize,
    /// Estimate m/u with EM (true) or use the documented prior model as is.
    pub em: bool,
    /// Join each entity of organisation shipment mentions to its sole plausible listed party
    /// (see [`cluster::attach_mentions`]). Runs stored before the option read as `false`.
    #[serde(default)]
    pub sole_candidates: bool,
    /// Override pairs to add to the stored ones (a later decision on a pair replaces an
    /// earlier one).
    #[serde(skip)]
    pub overrides: Vec<OverridePair>,
    /// Labelled records or pairs to learn m and u from instead of EM (see [`labels`]).
    #[serde(skip)]
    pub labels: Option<labels::Labels>,
}

impl Default for ResolveConfig {
    fn default() -> Self {
        ResolveConfig {
            threshold: 0.7,
            possible_threshold: 0.3,
            max_block: 100,
            skip_block: 5_000,
            em: true,
            sole_candidates: true,
            overrides: Vec::new(),
            labels: None,
        }
    }
}

impl ResolveConfig {
    /// Checks ranges.
    ///
    /// # Errors
    /// [`Error::Config`] naming the offending option.
    pub fn validate(&self) -> Result<()> {
        let bad = |key: &str, reason: &str| {
            Err(Error::Config {
                key: key.into(),
                reason: reason.into(),
            })
        };
        if !(self.threshold > 0.0 && self.threshold < 1.0) {
            return bad(
                "threshold",
                "must be a probability strictly between 0 and 1",
            );
        }
        if !(self.possible_threshold > 0.0 && self.possible_threshold <= self.threshold) {
            return bad("possible-threshold", "must be in (0, threshold]");
        }
        if self.max_block < 2 || self.skip_block < self.max_block {
            return bad("max-block", "need 2 ≤ max-block ≤ skip-block");
        }
        Ok(())
    }

    fn block(&self) -> block::BlockConfig {
        block::BlockConfig {
            max_block: self.max_block,
            skip_block: self.skip_block,
        }
    }
}

/// An analyst decision on a pair of records, each given as a record id or a source key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverridePair {
    pub a: String,
    pub b: String,
    pub same: bool,
    pub note: Option<String>,
}

/// Reads an overrides CSV: header `a,b,decision[,note]`, decision `same` or `different`; `a` and
/// `b` are record ids or source keys.
///
/// # Errors
/// [`Error::Io`] if unreadable, [`Error::Parse`] with the line for a bad row.
pub fn read_overrides(path: &Path) -> Result<Vec<OverridePair>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Error::Parse {
            path: path.into(),
            line: 0,
            reason: e.to_string(),
        })?;
    let mut out = Vec::new();
    for (i, row) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let row = row.map_err(|e| Error::Parse {
            path: path.into(),
            line,
            reason: e.to_string(),
        })?;
        let get = |k: usize| row.get(k).unwrap_or("").to_string();
        let same = match get(2).to_ascii_lowercase().as_str() {
            "same" | "match" => true,
            "different" | "distinct" | "nonmatch" => false,
            other => {
                return Err(Error::Parse {
                    path: path.into(),
                    line,
                    reason: format!("decision {other:?}: expected same or different"),
                });
            }
        };
        if get(0).is_empty() || get(1).is_empty() {
            return Err(Error::Parse {
                path: path.into(),
                line,
                reason: "a and b must both be given".into(),
            });
        }
        out.push(OverridePair {
            a: get(0),
            b: get(1),
            same,
            note: row.get(3).filter(|s| !s.is_empty()).map(String::from),
        });
    }
    Ok(out)
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ResolveSummary {
    pub records: u64,
    pub people: u64,
    pub inferred_people: u64,
    pub blocking: block::BlockStats,
    pub reduction_ratio: f64,
    pub accepted_pairs: u64,
    pub possible_pairs: u64,
    pub overrides: u64,
    pub clustering: cluster::ClusterStats,
    /// Records that joined another record's entity: records − entities.
    pub merges: u64,
    pub entities: u64,
    pub model_source: String,
    pub em_iterations: usize,
    /// What the labels gave, when the run learnt from labels.
    pub labels: Option<labels::LabelStats>,
    /// Share of matches among the organisation candidate pairs EM learns from (not the recall
    /// pairs).
    pub lambda: f64,
    /// Share of matches among person candidate pairs (EM).
    pub lambda_person: f64,
    /// Seconds per stage (not part of the deterministic output).
    pub seconds: Timings,
}

/// Wall-clock seconds per stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    pub load: f64,
    pub prepare: f64,
    pub block: f64,
    pub compare: f64,
    pub cluster: f64,
    pub write: f64,
    pub total: f64,
}

/// Reads every record, in id order.
///
/// # Errors
/// [`Error::Db`].
pub fn load_records(conn: &Connection) -> Result<Vec<RawRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, origin, source_key, kind, name, aliases, address, city, postcode, country,
                phone, email, website, registration_id, dob, nationality, source_id
         FROM records ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(RawRecord {
            id: r.get(0)?,
            origin: r.get(1)?,
            source_key: r.get(2)?,
            kind: r.get(3)?,
            name: r.get(4)?,
            aliases: r.get(5)?,
            address: r.get(6)?,
            city: r.get(7)?,
            postcode: r.get(8)?,
            country: r.get(9)?,
            phone: r.get(10)?,
            email: r.get(11)?,
            website: r.get(12)?,
            registration_id: r.get(13)?,
            dob: r.get(14)?,
            nationality: r.get(15)?,
            source_id: r.get(16)?,
            context_country: None,
        });
    }
    let placed = shipment_countries(conn)?;
    for r in &mut out {
        if r.origin == "shipment" && r.country.as_deref().is_none_or(|c| c.trim().is_empty()) {
            r.context_country = placed.get(&r.id).cloned();
        }
    }
    Ok(out)
}

/// The one country each shipment mention's shipments place it in: the origin country for a
/// shipper, the destination country for a consignee, when every shipment that names the record
/// in that role gives one and the same. Notify parties, end users, forwarders and payers are
/// left out: an end user abroad is the very red flag scoring looks for, and a notify party is
/// often the forwarder at the other end.
///
/// # Errors
/// [`Error::Db`].
pub fn shipment_countries(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut seen: HashMap<i64, Option<String>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT shipper_record, origin_country, consignee_record, destination_country
         FROM shipments ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        for (rec, country) in [(0, 1), (2, 3)] {
            let (Some(rec), country) = (
                r.get::<_, Option<i64>>(rec)?,
                r.get::<_, Option<String>>(country)?,
            ) else {
                continue;
            };
            let country = country.filter(|c| !c.trim().is_empty());
            match seen.get_mut(&rec) {
                None => {
                    seen.insert(rec, country);
                }
                Some(known) if *known != country => *known = None,
                Some(_) => {}
            }
        }
    }
    Ok(seen
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect())
}

/// Each record's identity as a registry entry (see [`cluster::Registered`]): a record of the
/// parties file (origin `party`) that carries a registration id. Screening lists and FtM
/// entities give ids too, but of several kinds (tax, registration, LEI) and not one per entity,
/// so they are left to the model.
fn registered(raws: &[RawRecord]) -> Vec<Option<cluster::Registered>> {
    raws.iter().map(registered_one).collect()
}

fn registered_one(r: &RawRecord) -> Option<cluster::Registered> {
    if r.origin != "party" {
        return None;
    }
    let mut ids: Vec<String> = r
        .registration_id
        .as_deref()
        .unwrap_or("")
        .split(';')
        .filter_map(normalize::registration_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    (!ids.is_empty()).then(|| cluster::Registered {
        source: r.source_id,
        country: r
            .country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_ascii_uppercase),
        ids,
    })
}

/// Finds a record by id (all digits) or by source key.
///
/// # Errors
/// [`Error::NotFound`] if nothing matches, [`Error::Config`] if a source key is ambiguous.
pub fn find_record(conn: &Connection, key: &str) -> Result<i64> {
    if let Ok(id) = key.parse::<i64>() {
        let found: Option<i64> = conn
            .query_row("SELECT id FROM records WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if let Some(id) = found {
            return Ok(id);
        }
    }
    let mut stmt = conn.prepare_cached("SELECT id FROM records WHERE source_key = ?1 LIMIT 2")?;
    let ids: Vec<i64> = stmt
        .query_map([key], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match ids.as_slice() {
        [] => Err(Error::NotFound(format!("record {key}"))),
        [one] => Ok(*one),
        _ => Err(Error::Config {
            key: key.into(),
            reason: "source key names several records; give a record id".into(),
        }),
    }
}

fn store_overrides(conn: &Connection, pairs: &[OverridePair]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO resolve_overrides (record_a, record_b, decision, note) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (record_a, record_b) DO UPDATE SET decision = excluded.decision,
                                                       note = excluded.note",
    )?;
    for p in pairs {
        let (a, b) = (find_record(conn, &p.a)?, find_record(conn, &p.b)?);
        if a == b {
            continue;
        }
        let decision = if p.same { "same" } else { "different" };
        stmt.execute(params![a.min(b), a.max(b), decision, p.note])?;
    }
    Ok(())
}

fn stored_overrides(conn: &Connection) -> Result<Vec<(i64, i64, bool)>> {
    let mut stmt = conn.prepare(
        "SELECT record_a, record_b, decision = 'same' FROM resolve_overrides
         ORDER BY record_a, record_b",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The model and settings of the latest run, if any.
///
/// # Errors
/// [`Error::Db`]; [`Error::Config`] if the stored JSON is unreadable.
pub fn latest_model(conn: &Connection) -> Result<Option<(Models, ResolveConfig)>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT model, config FROM resolve_runs ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((m, c)) = row else { return Ok(None) };
    let bad = |e: serde_json::Error| Error::Config {
        key: "resolve_runs".into(),
        reason: e.to_string(),
    };
    Ok(Some((
        serde_json::from_str(&m).map_err(bad)?,
        serde_json::from_str(&c).map_err(bad)?,
    )))
}

/// The sources whose registration ids the latest run read as noisy (see
/// [`cluster::noisy_id_sources`]); empty before the first run.
fn latest_noisy_sources(conn: &Connection) -> Result<Vec<i64>> {
    let summary: Option<String> = conn
        .query_row(
            "SELECT summary FROM resolve_runs ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(summary) = summary else {
        return Ok(Vec::new());
    };
    let s: serde_json::Value = serde_json::from_str(&summary).map_err(|e| Error::Config {
        key: "resolve_runs".into(),
        reason: e.to_string(),
    })?;
    Ok(s["clustering"]["noisy_id_sources"]
        .as_array()
        .map(|v| v.iter().filter_map(|n| n["source"].as_i64()).collect())
        .unwrap_or_default())
}

/// Resolves every record into entities and writes the result (see the module docs).
///
/// ```
/// let conn = trawl::store::open_in_memory().unwrap();
/// let summary = trawl::resolve::resolve(&conn, &Default::default()).unwrap();
/// assert_eq!(summary.entities, 0);
/// ```
///
/// # Errors
/// [`Error::Config`] for invalid settings or override keys, [`Error::NotFound`] for an override
/// naming an unknown record, [`Error::Db`] if the store fails (nothing is written then).
///
/// # Complexity
/// O(n log n) for normalisation and blocking plus O(p) comparisons for p candidate pairs,
/// which the block cap keeps near-linear in n.
pub fn resolve(conn: &Connection, cfg: &ResolveConfig) -> Result<ResolveSummary> {
    cfg.validate()?;
    // The run writes millions of rows whose references it has just computed from the records
    // table itself; checking each foreign key again costs three index lookups per row (measured:
    // most of the write time at 780k records). Checks are off for the run's transaction and on
    // again afterwards; `PRAGMA foreign_key_check` in the tests confirms the result is sound.
    //
    // The write raises the page cache (see WRITE_CACHE_KIB); the store's own size comes back
    // with the checks.
    let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let result = resolve_unchecked(conn, cfg);
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = ON; PRAGMA cache_size = {cache}"
    ))?;
    result
}

/// Page cache of a resolve run's write, KiB. The output tables of a million records (entities,
/// entity records, merge evidence, possible matches) and their indexes outgrow the store's
/// usual 64 MB, and each page evicted mid-transaction is written out and read back. Measured at
/// 1.03M records: the write took 9.1 s with 64 MB and 7.3 s with this; 512 MB gained nothing
/// more. Raised for the write only: raised for the whole run, the cache kept the records table
/// read at the start and the peak rose from 2.22–2.36 to 2.31–2.43 GB.
const WRITE_CACHE_KIB: u64 = 256 * 1024;

fn resolve_unchecked(conn: &Connection, cfg: &ResolveConfig) -> Result<ResolveSummary> {
    let t0 = Instant::now();
    let mut s = ResolveSummary::default();
    let tx = conn.unchecked_transaction()?;
    store_overrides(&tx, &cfg.overrides)?;
    let raws = load_records(&tx)?;
    s.seconds.load = t0.elapsed().as_secs_f64();

    let t = Instant::now();
    let corpus = prepare::prepare(&raws);
    s.records = raws.len() as u64;
    s.people = corpus
        .records
        .iter()
        .filter(|r| r.class == prepare::Class::Person)
        .count() as u64;
    s.inferred_people = corpus.inferred_people as u64;
    s.seconds.prepare = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let (block::Candidates { pairs, learn }, stats) = block::candidates(&corpus, &cfg.block());
    s.reduction_ratio = stats.reduction_ratio();
    s.blocking = stats;
    s.seconds.block = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let patterns: Vec<Pattern> = pairs
        .par_iter()
        .map(|&(a, b)| {
            compare::compare(
                &corpus,
                &corpus.records[a as usize],
                &corpus.records[b as usize],
            )
        })
        .collect();
    let counts = pattern_counts(&patterns, &learn);
    let index_of: HashMap<i64, u32> = raws
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id, i as u32))
        .collect();
    let labelled = match &cfg.labels {
        Some(l) => {
            let lab = labels::Labelling::new(&tx, l, &index_of, raws.len())?;
            Some(lab.tally(&corpus, &pairs, &patterns, &learn))
        }
        None => None,
    };
    drop(learn);
    // each pair's pattern as an index into `counts` (sorted, distinct): the later stages look up
    // its probability by index rather than hashing 20 million patterns several times. Rewritten
    // in place: a second vector of 20 million ids raised the run's peak memory.
    let mut pattern_ids = patterns;
    pattern_ids
        .par_iter_mut()
        .for_each(|p| *p = counts.partition_point(|x| x.0 < *p) as u64);
    let mut model = if cfg.em {
        Models::estimate(&counts)
    } else {
        Models::prior()
    };
    if let Some((tally, stats)) = labelled {
        model = Models::from_labels(model, &tally, &counts);
        s.labels = Some(stats);
    }
    s.model_source = model.organisation.source.clone();
    s.em_iterations = model.organisation.iterations;
    s.lambda = model.organisation.lambda;
    s.lambda_person = model.person.lambda;
    let prob_of: Vec<f64> = counts
        .iter()
        .map(|&(p, _)| compare::probability(model.weight(p)))
        .collect();
    let prob = |i: usize| prob_of[pattern_ids[i] as usize];
    s.seconds.compare = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let accepted: Vec<(u32, u32, f64)> = pairs
        .iter()
        .enumerate()
        .filter_map(|(i, &(a, b))| {
            let pr = prob(i);
            (pr >= cfg.threshold).then_some((a, b, pr))
        })
        .collect();
    s.accepted_pairs = accepted.len() as u64;
    let mut overrides = cluster::Overrides::default();
    for (a, b, same) in stored_overrides(&tx)? {
        let (Some(&ia), Some(&ib)) = (index_of.get(&a), index_of.get(&b)) else {
            continue;
        };
        if same {
            overrides.same.push((ia, ib));
        } else {
            overrides.different.push((ia, ib));
        }
    }
    s.overrides = (overrides.same.len() + overrides.different.len()) as u64;
    overrides.registered = registered(&raws);
    let noisy = cluster::noisy_id_sources(&pairs, prob, &overrides.registered);
    for r in &mut overrides.registered {
        if r.as_ref()
            .is_some_and(|x| noisy.iter().any(|n| n.source == x.source))
        {
            *r = None;
        }
    }
    let score = |a: u32, b: u32| {
        let p = compare::compare(
            &corpus,
            &corpus.records[a as usize],
            &corpus.records[b as usize],
        );
        compare::probability(model.weight(p))
    };
    let (mut labels, cstats) =
        cluster::cluster(raws.len(), &accepted, &pairs, prob, &overrides, score);
    let attached = if cfg.sole_candidates {
        let shipment = |i: usize| raws[i].origin == "shipment";
        let mention: Vec<bool> = (0..raws.len())
            .map(|i| shipment(i) && corpus.records[i].class != prepare::Class::Person)
            .collect();
        let listed: Vec<bool> = (0..raws.len()).map(|i| !shipment(i)).collect();
        cluster::attach_mentions(
            &mut labels,
            cluster::Sources {
                mention: &mention,
                listed: &listed,
            },
            &pairs,
            prob,
            cfg.possible_threshold,
            &overrides.different,
            score,
        )
    } else {
        Vec::new()
    };
    s.clustering = cluster::ClusterStats {
        attached_mentions: attached.len() as u64,
        noisy_id_sources: noisy,
        ..cstats
    };
    s.seconds.cluster = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let out = Output {
        raws: &raws,
        corpus: &corpus,
        labels: &labels,
        pairs: &pairs,
        pattern_ids: &pattern_ids,
        patterns: &counts,
        prob: &prob_of,
        model: &model,
        overrides: &overrides,
        attached: &attached,
        cfg,
    };
    let entities = write(&tx, &out)?;
    s.entities = entities;
    s.merges = s.records - entities;
    s.possible_pairs = tx.query_row("SELECT count(*) FROM possible_matches", [], |r| {
        r.get::<_, i64>(0)
    })? as u64;
    s.seconds.write = t.elapsed().as_secs_f64();
    s.seconds.total = t0.elapsed().as_secs_f64();
    // serialising plain structs of numbers and strings cannot fail
    let json = |r: serde_json::Result<String>| r.unwrap_or_default();
    tx.execute(
        "INSERT INTO resolve_runs (config, model, summary) VALUES (?1, ?2, ?3)",
        params![
            json(serde_json::to_string(cfg)),
            json(serde_json::to_string(&model)),
            json(serde_json::to_string(&s))
        ],
    )?;
    tx.commit()?;
    Ok(s)
}

/// Every distinct pattern with the number of pairs of that pattern the model is learnt from
/// (`learn`; zero for a pattern seen only among recall pairs), sorted by pattern (integer
/// counts: thread-independent).
fn pattern_counts(patterns: &[Pattern], learn: &[bool]) -> Vec<(Pattern, u64)> {
    let map = patterns
        .par_iter()
        .zip(learn)
        .fold(HashMap::new, |mut m: HashMap<Pattern, u64>, (&p, &l)| {
            *m.entry(p).or_default() += u64::from(l);
            m
        })
        .reduce(HashMap::new, |mut a, b| {
            for (k, v) in b {
                *a.entry(k).or_default() += v;
            }
            a
        });
    let mut v: Vec<(Pattern, u64)> = map.into_iter().collect();
    v.sort_unstable();
    v
}

struct Output<'a> {
    raws: &'a [RawRecord],
    corpus: &'a Corpus,
    labels: &'a [u32],
    pairs: &'a [(u32, u32)],
    /// Per pair, its pattern: an index into `patterns` and `prob`.
    pattern_ids: &'a [u64],
    /// The distinct patterns (with their counts).
    patterns: &'a [(Pattern, u64)],
    /// Per distinct pattern, its match probability.
    prob: &'a [f64],
    model: &'a Models,
    /// The pairs that joined mention entities to their sole candidate.
    attached: &'a [(u32, u32)],
    overrides: &'a cluster::Overrides,
    cfg: &'a ResolveConfig,
}

fn most_common<'s>(values: impl Iterator<Item = &'s str>) -> Option<&'s str> {
    // first-seen order breaks ties, so the earliest record's spelling wins
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(k, _)| *k == v) {
            Some(e) => e.1 += 1,
            None => counts.push((v, 1)),
        }
    }
    let max = counts.iter().map(|x| x.1).max()?;
    counts.into_iter().find(|x| x.1 == max).map(|x| x.0)
}

fn write(tx: &Connection, o: &Output<'_>) -> Result<u64> {
    tx.execute_batch(&format!("PRAGMA cache_size = -{WRITE_CACHE_KIB}"))?;
    // previous assignment, for stable ids
    let mut previous: HashMap<i64, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare("SELECT record_id, entity_id FROM entity_records")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            previous.insert(r.get(0)?, r.get(1)?);
        }
    }
    let next_id: i64 = tx
        .query_row(
            "SELECT value FROM resolve_state WHERE key = 'next_entity_id'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(1);
    // clusters in order of their smallest record (labels are smallest indexes, records are in
    // id order)
    let mut by_label: std::collections::BTreeMap<u32, Vec<u32>> = Default::default();
    for (i, &l) in o.labels.iter().enumerate() {
        by_label.entry(l).or_default().push(i as u32);
    }
    let clusters: Vec<Vec<u32>> = by_label.into_values().collect();
    let record_ids: Vec<Vec<i64>> = clusters
        .iter()
        .map(|c| c.iter().map(|&i| o.raws[i as usize].id).collect())
        .collect();
    let (ids, next_id) = cluster::assign_ids(&record_ids, &previous, next_id);
    let mut entity_of: Vec<i64> = vec![0; o.raws.len()];
    for (c, &id) in clusters.iter().zip(&ids) {
        for &i in c {
            entity_of[i as usize] = id;
        }
    }

    tx.execute_batch(
        "DELETE FROM merge_evidence; DELETE FROM possible_matches;
         DELETE FROM entity_records; DELETE FROM entities;",
    )?;
    // The secondary indexes of the output tables are dropped for the inserts and built again
    // afterwards: building an index sorts once, keeping it up to date inserts each row at a
    // random place in it. Their definitions are read from the schema, so they stay the
    // schema's.
    let indexes: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
               AND tbl_name IN ('entities', 'entity_records', 'merge_evidence', 'possible_matches')
             ORDER BY name",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    {
        let mut ent = tx.prepare_cached(
            "INSERT INTO entities (id, kind, name, country, record_count, legal_form, anchor_record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (c, &id) in clusters.iter().zip(&ids) {
            let recs: Vec<&RawRecord> = c.iter().map(|&i| &o.raws[i as usize]).collect();
            let prepared = &o.corpus.records[c[0] as usize];
            let kind = match prepared.class {
                prepare::Class::Organisation => {
                    let orgs = recs.iter().filter(|r| r.kind == "organization").count();
                    let comps = recs.iter().filter(|r| r.kind == "company").count();
                    if orgs > comps {
                        "organization"
                    } else {
                        "company"
                    }
                }
                other => other.as_str(),
            };
            let name = most_common(recs.iter().map(|r| r.name.trim())).unwrap_or("");
            let country = most_common(recs.iter().filter_map(|r| r.country.as_deref()));
            let legal = most_common(
                c.iter()
                    .filter_map(|&i| o.corpus.records[i as usize].legal.map(|l| l.0)),
            );
            ent.execute(params![
                id,
                kind,
                name,
                country,
                recs.len() as i64,
                legal,
                recs[0].id
            ])?;
        }
        // in record order: the table's key, so each insert appends to its B-tree (in cluster
        // order they land all over it, which took seconds at a million records)
        let mut er =
            tx.prepare_cached("INSERT INTO entity_records (record_id, entity_id) VALUES (?1, ?2)")?;
        for (r, &id) in o.raws.iter().zip(&entity_of) {
            er.execute(params![r.id, id])?;
        }
    }
    {
        let mut ev = tx.prepare_cached(
            "INSERT INTO merge_evidence (record_a, record_b, entity_id, weight, probability,
                                         features, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut pm = tx.prepare_cached(
            "INSERT INTO possible_matches (record_a, record_b, weight, probability, features,
                                           reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let forced_pairs: std::collections::HashSet<(u32, u32)> = o
            .overrides
            .same
            .iter()
            .map(|&(a, b)| (a.min(b), a.max(b)))
            .collect();
        let sole_pairs: std::collections::HashSet<(u32, u32)> =
            o.attached.iter().copied().collect();
        let mut same_written: std::collections::HashSet<(u32, u32)> = Default::default();
        // patterns repeat: spell each one out once
        let mut evidence: HashMap<Pattern, String> = HashMap::new();
        // accepted pairs inside an entity, ranked: override 2, sole candidate 1, model 0; and the
        // best pair between two entities
        let mut inside: Vec<(u8, f64, u32, u32, Pattern)> = Vec::new();
        /// the best pair between two entities: (weight, record index a, b, pattern)
        type Best = (f64, u32, u32, Pattern);
        let mut between: HashMap<(i64, i64), Best> = HashMap::new();
        for (&(a, b), &id) in o.pairs.iter().zip(o.pattern_ids) {
            let pr = o.prob[id as usize];
            if pr < o.cfg.possible_threshold {
                continue;
            }
            let p = &o.patterns[id as usize].0;
            let (ea, eb) = (entity_of[a as usize], entity_of[b as usize]);
            let w = o.model.weight(*p);
            let rank = if forced_pairs.contains(&(a, b)) {
                2
            } else {
                u8::from(sole_pairs.contains(&(a, b)))
            };
            if ea == eb {
                // below the threshold too: the guard's average linkage joins a record to a
                // cluster it is more likely than not the same as, through pairs under it
                inside.push((rank, w, a, b, *p));
            } else if ea != eb {
                let k = (ea.min(eb), ea.max(eb));
                let better = between
                    .get(&k)
                    .is_none_or(|x| w > x.0 || (w == x.0 && (a, b) < (x.1, x.2)));
                if better {
                    between.insert(k, (w, a, b, *p));
                }
            }
        }
        // Evidence: the links that connect each entity, strongest first (a maximum spanning
        // forest): every record's merge is justified by its best link, overrides always.
        inside.sort_by(|x, y| {
            y.0.cmp(&x.0)
                .then(y.1.total_cmp(&x.1))
                .then((x.2, x.3).cmp(&(y.2, y.3)))
        });
        let mut forest = cluster::UnionFind::new(o.raws.len());
        // the links written: record indexes a < b, weight, pattern, reason
        let mut links: Vec<(u32, u32, f64, Pattern, &str)> = Vec::new();
        let mut emit = |forest: &mut cluster::UnionFind,
                        (rank, w, a, b, p): (u8, f64, u32, u32, Pattern)| {
            let forced = rank == 2;
            let joins = forest.find(a) != forest.find(b);
            if !(joins || forced) || (forced && !same_written.insert((a, b))) {
                return;
            }
            forest.union(a, b);
            let pr = compare::probability(w);
            let reason = match rank {
                2 => "override",
                1 => "sole candidate",
                _ if pr >= o.cfg.threshold => "model",
                _ => "average linkage",
            };
            links.push((a, b, w, p, reason));
        };
        for link in inside {
            emit(&mut forest, link);
        }
        // override pairs that no blocking key produced or that scored under the possible-match
        // threshold: written all the same
        for &(a, b) in &o.overrides.same {
            let (a, b) = (a.min(b), a.max(b));
            let p = compare::compare(
                o.corpus,
                &o.corpus.records[a as usize],
                &o.corpus.records[b as usize],
            );
            emit(&mut forest, (2, o.model.weight(p), a, b, p));
        }
        // The guard scores small components on every pair, so it can join records through
        // pairs no blocking key produced: link what is still apart by its best pair, scored now.
        for c in clusters
            .iter()
            .filter(|c| c.len() <= cluster::FULL_LINKAGE_MAX)
        {
            let root = forest.find(c[0]);
            if c.iter().all(|&i| forest.find(i) == root) {
                continue;
            }
            let mut gaps = Vec::new();
            for (x, &a) in c.iter().enumerate() {
                for &b in &c[x + 1..] {
                    if forest.find(a) != forest.find(b) {
                        let (ra, rb) =
                            (&o.corpus.records[a as usize], &o.corpus.records[b as usize]);
                        let p = compare::compare(o.corpus, ra, rb);
                        gaps.push((0, o.model.weight(p), a, b, p));
                    }
                }
            }
            gaps.sort_by(|x, y| y.1.total_cmp(&x.1).then((x.2, x.3).cmp(&(y.2, y.3))));
            for link in gaps {
                emit(&mut forest, link);
            }
        }
        // in key order, so each insert appends to the table's B-tree
        links.sort_unstable_by_key(|l| (l.0, l.1));
        for (a, b, w, p, reason) in links {
            let features = evidence
                .entry(p)
                .or_insert_with(|| compare::evidence_string(o.model.for_pattern(p), p))
                .as_str();
            ev.execute(params![
                o.raws[a as usize].id,
                o.raws[b as usize].id,
                entity_of[a as usize],
                w,
                compare::probability(w),
                features,
                reason
            ])?;
        }
        // Possible matches: the best pair between two entities (one row per entity pair).
        // Each entity's registry entries, to say when two were kept apart by their numbers.
        let mut entries_of: HashMap<i64, Vec<&cluster::Registered>> = HashMap::new();
        for (i, r) in o.overrides.registered.iter().enumerate() {
            if let Some(r) = r {
                entries_of.entry(entity_of[i]).or_default().push(r);
            }
        }
        // in key order (record indexes follow record ids), so each insert appends to the B-tree
        let mut between: Vec<Best> = between.into_values().collect();
        between.sort_unstable_by_key(|x| (x.1, x.2));
        for (w, a, b, p) in between {
            let pr = compare::probability(w);
            let apart = |x: u32, y: u32| {
                let of = |i: u32| {
                    entries_of
                        .get(&entity_of[i as usize])
                        .map_or(&[][..], Vec::as_slice)
                };
                of(x).iter().any(|p| of(y).iter().any(|q| p.apart(q)))
            };
            let reason = if pr >= o.cfg.threshold && apart(a, b) {
                "registered apart"
            } else if pr >= o.cfg.threshold {
                "split by guard or override"
            } else {
                "below threshold"
            };
            let features = evidence
                .entry(p)
                .or_insert_with(|| compare::evidence_string(o.model.for_pattern(p), p))
                .as_str();
            let (ra, rb) = (o.raws[a as usize].id, o.raws[b as usize].id);
            pm.execute(params![ra, rb, w, pr, features, reason])?;
        }
    }
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    tx.execute(
        "INSERT INTO resolve_state (key, value) VALUES ('next_entity_id', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [next_id],
    )?;
    Ok(clusters.len() as u64)
}

/// Why two records are (or are not) one entity.
#[derive(Debug, Clone, Serialize)]
pub struct PairExplanation {
    pub record_a: i64,
    pub record_b: i64,
    pub name_a: String,
    pub name_b: String,
    pub kind_a: &'static str,
    pub kind_b: &'static str,
    pub features: Vec<compare::FeatureExplained>,
    /// Prior log-odds of a match among candidate pairs, bits.
    pub prior: f64,
    /// Prior + Σ contributions, bits, before any cap.
    pub uncapped: f64,
    /// Why the weight was capped (see [`compare::nameless_cap`]), if it was.
    pub cap: Option<String>,
    /// The match weight, bits: `uncapped`, or the cap.
    pub weight: f64,
    pub probability: f64,
    pub threshold: f64,
    /// "match", "possible match", "non-match", "possible match only (registered apart …)", or
    /// "never (person vs organisation …)".
    pub decision: String,
    /// Whether blocking made the two a candidate pair, so that `resolve` compared them: by a
    /// shared key, a sorted-neighbourhood window, an acronym, Arabic-skeleton or legal-form
    /// pairing, under the latest run's settings (see [`block::pairing`]).
    pub blocked_together: bool,
    /// Whether the two share a blocking key (a shared key alone does not make a candidate pair
    /// in a block too large to pair out).
    pub shared_key: bool,
    /// Whether the pair is a recall pair: compared and scored, not learnt from (see
    /// [`block`]).
    pub recall_pair: bool,
    /// When one record has no country and its shipments place it in the other's (see
    /// [`shipment_countries`]): which record ("A" or "B") and the country. The country then
    /// agrees.
    pub placed_by_shipments: Option<(&'static str, String)>,
    /// Entity of each record in the latest run.
    pub entity_a: Option<i64>,
    pub entity_b: Option<i64>,
    /// The model used ("em", "prior" …; "prior (no run yet)").
    pub model: String,
}

/// Whether the latest run joined records `a` and `b` as a mention entity and its sole candidate
/// (see [`cluster::attach_mentions`]).
fn sole_candidate(conn: &Connection, a: i64, b: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM merge_evidence WHERE record_a = ?1 AND record_b = ?2
             AND reason = 'sole candidate'",
            [a.min(b), a.max(b)],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Explains the comparison of two records (ids or source keys) under the latest run's model.
///
/// # Errors
/// [`Error::NotFound`] for an unknown record; [`Error::Db`].
pub fn explain_pair(conn: &Connection, a: &str, b: &str) -> Result<PairExplanation> {
    let (ia, ib) = (find_record(conn, a)?, find_record(conn, b)?);
    let (model, cfg, ran) = match latest_model(conn)? {
        Some((m, c)) => (m, c, true),
        None => (Models::prior(), ResolveConfig::default(), false),
    };
    let raws = load_records(conn)?;
    let corpus = prepare::prepare(&raws);
    let pos = |id: i64| {
        raws.binary_search_by_key(&id, |r| r.id)
            .map_err(|_| Error::NotFound(format!("record {id}")))
    };
    let (pa, pb) = (pos(ia)?, pos(ib)?);
    let (ra, rb) = (&corpus.records[pa], &corpus.records[pb]);
    let p = compare::compare(&corpus, ra, rb);
    let source = if ran {
        model.for_pattern(p).source.clone()
    } else {
        "prior (no run yet)".to_string()
    };
    let weight = model.weight(p);
    let uncapped = model.for_pattern(p).weight(p);
    let cap = (weight < uncapped).then(|| {
        "at the prior: the names share nothing and no registration id agrees (place and contacts \
         are what neighbours and related firms share)"
            .to_string()
    });
    let probability = compare::probability(weight);
    let decision = if ra.class != rb.class {
        format!(
            "never ({} vs {}: different kinds never merge)",
            ra.class.as_str(),
            rb.class.as_str()
        )
    } else if probability >= cfg.possible_threshold
        && let [Some(x), Some(y)] = [pa, pb].map(|i| registered_one(&raws[i]))
        && x.apart(&y)
        && !latest_noisy_sources(conn)?.contains(&x.source)
    {
        "possible match only (registered apart: two entries of one registry with no \
         registration id in common are two legal entities)"
            .into()
    } else if probability >= cfg.threshold {
        "match".into()
    } else if sole_candidate(conn, ia, ib)? {
        format!(
            "match as the sole candidate: the shipment mentions' only listed party within reach \
             (probability >= {} with it, under {} with any other)",
            cluster::SOLE_CANDIDATE_MIN,
            cfg.possible_threshold
        )
    } else if probability >= cfg.possible_threshold {
        "possible match".into()
    } else {
        "non-match".into()
    };
    let pairing = block::pairing(&corpus, &cfg.block(), pa, pb);
    let entity = |id: i64| -> Result<Option<i64>> {
        Ok(conn
            .query_row(
                "SELECT entity_id FROM entity_records WHERE record_id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    };
    Ok(PairExplanation {
        record_a: ia,
        record_b: ib,
        name_a: raws[pa].name.clone(),
        name_b: raws[pb].name.clone(),
        kind_a: ra.class.as_str(),
        kind_b: rb.class.as_str(),
        features: compare::explain(model.for_pattern(p), p),
        prior: model.for_pattern(p).prior_weight(),
        uncapped,
        cap,
        weight,
        probability,
        threshold: cfg.threshold,
        decision,
        blocked_together: pairing.candidate,
        shared_key: pairing.shared_key,
        recall_pair: pairing.recall,
        placed_by_shipments: compare::placed_in(ra, rb).map(|side| {
            let placed = &raws[[pa, pb][side]];
            (
                ["A", "B"][side],
                placed.context_country.clone().unwrap_or_default(),
            )
        }),
        entity_a: entity(ia)?,
        entity_b: entity(ib)?,
        model: source,
    })
}

/// One record of an entity, with its provenance.
#[derive(Debug, Clone, Serialize)]
pub struct EntityRecord {
    pub record_id: i64,
    pub origin: String,
    pub source_key: Option<String>,
    pub kind: String,
    pub name: String,
    pub country: Option<String>,
    pub source: String,
    pub line: i64,
}

/// One pair of merge evidence or a possible match.
#[derive(Debug, Clone, Serialize)]
pub struct PairEvidence {
    pub record_a: i64,
    pub record_b: i64,
    pub weight: f64,
    pub probability: f64,
    pub features: String,
    pub reason: String,
}

/// An entity with its records, the evidence that merged them, and its possible matches.
#[derive(Debug, Clone, Serialize)]
pub struct EntityDetail {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub country: Option<String>,
    pub legal_form: Option<String>,
    pub record_count: i64,
    pub records: Vec<EntityRecord>,
    pub evidence: Vec<PairEvidence>,
    pub possible_matches: Vec<PairEvidence>,
}

/// Loads an entity for `trawl entity`.
///
/// # Errors
/// [`Error::NotFound`] if no such entity; [`Error::Db`].
pub fn entity(conn: &Connection, id: i64) -> Result<EntityDetail> {
    let head = conn
        .query_row(
            "SELECT kind, name, country, legal_form, record_count FROM entities WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("entity {id}")))?;
    let mut stmt = conn.prepare(
        "SELECT r.id, r.origin, r.source_key, r.kind, r.name, r.country, s.path, r.line
         FROM entity_records er JOIN records r ON r.id = er.record_id
         JOIN sources s ON s.id = r.source_id
         WHERE er.entity_id = ?1 ORDER BY r.id",
    )?;
    let records = stmt
        .query_map([id], |r| {
            Ok(EntityRecord {
                record_id: r.get(0)?,
                origin: r.get(1)?,
                source_key: r.get(2)?,
                kind: r.get(3)?,
                name: r.get(4)?,
                country: r.get(5)?,
                source: r.get(6)?,
                line: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let pair = |r: &rusqlite::Row<'_>| {
        Ok(PairEvidence {
            record_a: r.get(0)?,
            record_b: r.get(1)?,
            weight: r.get(2)?,
            probability: r.get(3)?,
            features: r.get(4)?,
            reason: r.get(5)?,
        })
    };
    let evidence = conn
        .prepare(
            "SELECT record_a, record_b, weight, probability, features, reason FROM merge_evidence
             WHERE entity_id = ?1 ORDER BY weight DESC, record_a, record_b",
        )?
        .query_map([id], pair)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let possible_matches = conn
        .prepare(
            "SELECT p.record_a, p.record_b, p.weight, p.probability, p.features, p.reason
             FROM possible_matches p
             WHERE p.record_a IN (SELECT record_id FROM entity_records WHERE entity_id = ?1)
                OR p.record_b IN (SELECT record_id FROM entity_records WHERE entity_id = ?1)
             ORDER BY p.weight DESC, p.record_a, p.record_b",
        )?
        .query_map([id], pair)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(EntityDetail {
        id,
        kind: head.0,
        name: head.1,
        country: head.2,
        legal_form: head.3,
        record_count: head.4,
        records,
        evidence,
        possible_matches,
    })
}

#[cfg(test)]
pub(crate) mod testutil {
    //! A small helper to put records in a store without ingest.
    use rusqlite::{Connection, params};

    /// A record to insert: (source_key, kind, name, city, country, address).
    pub type Row<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str);

    pub fn insert(conn: &Connection, rows: &[Row<'_>]) {
        conn.execute(
            "INSERT OR IGNORE INTO sources (id, path, sha256, kind, ingested_at, rows_read,
             rows_accepted, rows_quarantined) VALUES (1, 'test.csv', 'x', 'parties',
             '2026-01-01T00:00:00Z', 0, 0, 0)",
            [],
        )
        .unwrap();
        let line: i64 = conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get(0))
            .unwrap();
        for (i, (key, kind, name, city, country, address)) in rows.iter().enumerate() {
            let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
            conn.execute(
                "INSERT INTO records (source_id, line, origin, source_key, kind, name, city,
                 country, address) VALUES (1, ?1, 'party', ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    line + i as i64 + 2,
                    key,
                    kind,
                    name,
                    opt(city),
                    opt(country),
                    opt(address)
                ],
            )
            .unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::insert;
    use super::*;

    fn entity_of(conn: &Connection, key: &str) -> i64 {
        conn.query_row(
            "SELECT entity_id FROM entity_records er JOIN records r ON r.id = er.record_id
             WHERE r.source_key = ?1",
            [key],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn the_model_learns_only_from_the_pairs_the_keys_found() {
        use prepare::tests::raw;
        let raws = [
            raw(1, "company", "Apex Tech Pte Ltd"),
            raw(2, "company", "Apex Tech Pte Ltd"),
            raw(3, "company", "Apex Trading Sdn Bhd"),
        ];
        let c = prepare::prepare(&raws);
        let same = compare::compare(&c, &c.records[0], &c.records[1]);
        let other = compare::compare(&c, &c.records[0], &c.records[2]);
        assert_ne!(same, other);
        // `same` twice, learnt; `other` a recall pair only: listed (to be scored), no weight
        let counts = pattern_counts(&[other, same, same], &[false, true, true]);
        let mut want = vec![(same, 2), (other, 0)];
        want.sort_unstable();
        assert_eq!(counts, want);
        let only_learnt = pattern_counts(&[same, same], &[true, true]);
        let m = |c: &[(Pattern, u64)]| Models::estimate(c).organisation;
        assert_eq!(m(&counts), m(&only_learnt));
    }

    fn apex(conn: &Connection) {
        insert(
            conn,
            &[
                (
                    "p1",
                    "company",
                    "Apex Tech Pte Ltd",
                    "Singapore",
                    "SG",
                    "10 Anson Road #05-12",
                ),
                (
                    "p2",
                    "company",
                    "APEX TECHNOLOGY PTE. LIMITED",
                    "",
                    "SG",
                    "10 Anson Rd, #05-12",
                ),
                (
                    "p3",
                    "company",
                    "APEX TECHNOLOGIES PTE LTD",
                    "Singapore",
                    "SG",
                    "",
                ),
                (
                    "p4",
                    "company",
                    "Apex Tech Trading Pte Ltd",
                    "Jurong",
                    "SG",
                    "88 Jurong West St 41",
                ),
                (
                    "p5",
                    "person",
                    "Apex Tech",
                    "Singapore",
                    "SG",
                    "10 Anson Road #05-12",
                ),
                (
                    "p6",
                    "company",
                    "Blue Ocean Shipping Sdn Bhd",
                    "Kuala Lumpur",
                    "MY",
                    "Jalan Ampang 5",
                ),
                (
                    "p7",
                    "company",
                    "Blue Ocean Shipping Sdn. Bhd.",
                    "Kuala Lumpur",
                    "MY",
                    "5 Jln Ampang",
                ),
                ("p8", "company", "Zenith Marine Ltd", "Hong Kong", "HK", ""),
                (
                    "p9",
                    "company",
                    "Global Trading Co Ltd",
                    "Shenzhen",
                    "CN",
                    "",
                ),
                ("p10", "company", "Global Trading Co Ltd", "Dubai", "AE", ""),
            ],
        );
    }

    #[test]
    fn apex_variants_merge_and_hard_negatives_stay_apart() {
        let conn = crate::store::open_in_memory().unwrap();
        apex(&conn);
        let s = resolve(&conn, &ResolveConfig::default()).unwrap();
        assert_eq!(s.records, 10);
        let e = |k| entity_of(&conn, k);
        assert_eq!(e("p1"), e("p2"));
        assert_eq!(e("p1"), e("p3"));
        assert_ne!(
            e("p1"),
            e("p4"),
            "Apex Tech Trading in another city is another firm"
        );
        assert_ne!(e("p1"), e("p5"), "people never merge with companies");
        assert_eq!(e("p6"), e("p7"));
        assert_ne!(
            e("p9"),
            e("p10"),
            "same generic name, different countries and cities"
        );
        let n: i64 = conn
            .query_row("SELECT count(*) FROM entity_records", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 10, "every record maps to one entity");
        let dangling: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(dangling, 0, "every reference the run wrote resolves");
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1, "foreign keys are checked again after the run");
        let ev: i64 = conn
            .query_row("SELECT count(*) FROM merge_evidence", [], |r| r.get(0))
            .unwrap();
        assert!(ev >= 3);
        let d = entity(&conn, e("p1")).unwrap();
        assert_eq!(d.records.len(), 3);
        assert_eq!(d.records[0].source, "test.csv");
        let x = explain_pair(&conn, "p1", "p4").unwrap();
        assert_ne!(x.decision, "match");
        let x = explain_pair(&conn, "p1", "p5").unwrap();
        assert!(x.decision.starts_with("never"));
        // a person and a company share no block: resolve never compared them
        assert!(!x.blocked_together && !x.shared_key);
        let x = explain_pair(&conn, "p1", "p2").unwrap();
        assert!(x.blocked_together && x.shared_key && !x.recall_pair);
    }

    #[test]
    fn registry_entries_with_different_numbers_stay_two_entities() {
        let conn = crate::store::open_in_memory().unwrap();
        let at = "88 Sukhumvit Road, Suite 3157";
        insert(
            &conn,
            &[
                (
                    "p1",
                    "company",
                    "Lumlink Supply Chain Co., Ltd.",
                    "Bangkok",
                    "TH",
                    at,
                ),
                (
                    "p2",
                    "company",
                    "LUMLINK SUPPLY CHAIN COMPANY LIMITED",
                    "Bangkok",
                    "TH",
                    at,
                ),
                (
                    "p3",
                    "company",
                    "Lumlink Supply Chain Co Ltd",
                    "Bangkok",
                    "TH",
                    at,
                ),
            ],
        );
        let set = |key: &str, reg: &str| {
            conn.execute(
                "UPDATE records SET registration_id = ?2 WHERE source_key = ?1",
                [key, reg],
            )
            .unwrap();
        };
        set("p1", "0105561000001");
        set("p2", "0105561000002");
        resolve(&conn, &ResolveConfig::default()).unwrap();
        let e = |k| entity_of(&conn, k);
        assert_ne!(
            e("p1"),
            e("p2"),
            "one registry, two numbers: two legal entities"
        );
        let x = explain_pair(&conn, "p1", "p2").unwrap();
        assert!(x.decision.contains("registered apart"), "{}", x.decision);
        let reason: String = conn
            .query_row("SELECT reason FROM possible_matches", [], |r| r.get(0))
            .unwrap();
        assert_eq!(reason, "registered apart");
        assert!(
            e("p3") == e("p1") || e("p3") == e("p2"),
            "the mention joins one"
        );
        // the same number: one entity
        set("p2", "0105561000001");
        resolve(&conn, &ResolveConfig::default()).unwrap();
        assert_eq!(entity_of(&conn, "p1"), entity_of(&conn, "p2"));
    }

    #[test]
    fn overrides_win_and_survive_reruns() {
        let conn = crate::store::open_in_memory().unwrap();
        apex(&conn);
        let cfg = ResolveConfig {
            overrides: vec![
                OverridePair {
                    a: "p1".into(),
                    b: "p2".into(),
                    same: false,
                    note: None,
                },
                OverridePair {
                    a: "p8".into(),
                    b: "p9".into(),
                    same: true,
                    note: Some("analyst".into()),
                },
            ],
            ..ResolveConfig::default()
        };
        resolve(&conn, &cfg).unwrap();
        let check = |conn: &Connection| {
            assert_ne!(entity_of(conn, "p1"), entity_of(conn, "p2"));
            assert_eq!(entity_of(conn, "p8"), entity_of(conn, "p9"));
        };
        check(&conn);
        resolve(&conn, &ResolveConfig::default()).unwrap();
        check(&conn);
    }

    #[test]
    fn ids_are_stable_when_unrelated_records_arrive() {
        let conn = crate::store::open_in_memory().unwrap();
        apex(&conn);
        resolve(&conn, &ResolveConfig::default()).unwrap();
        let before: Vec<(String, i64)> = ["p1", "p4", "p6", "p8", "p9", "p10"]
            .iter()
            .map(|k| (k.to_string(), entity_of(&conn, k)))
            .collect();
        insert(
            &conn,
            &[(
                "q1",
                "company",
                "Northwind Robotics GmbH",
                "Berlin",
                "DE",
                "",
            )],
        );
        resolve(&conn, &ResolveConfig::default()).unwrap();
        for (k, id) in before {
            assert_eq!(entity_of(&conn, &k), id, "{k}");
        }
    }

    fn dump(conn: &Connection) -> String {
        let mut out = String::new();
        for sql in [
            "SELECT id, kind, name, country, record_count, legal_form FROM entities ORDER BY id",
            "SELECT record_id, entity_id FROM entity_records ORDER BY record_id",
            "SELECT record_a, record_b, weight, features FROM merge_evidence ORDER BY 1, 2",
            "SELECT record_a, record_b, weight, features FROM possible_matches ORDER BY 1, 2",
            "SELECT model FROM resolve_runs",
        ] {
            let mut st = conn.prepare(sql).unwrap();
            let n = st.column_count();
            let mut rows = st.query([]).unwrap();
            while let Some(r) = rows.next().unwrap() {
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i).unwrap();
                    out.push_str(&format!("{v:?}|"));
                }
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn output_is_identical_for_one_and_two_threads() {
        let mut rows = Vec::new();
        let names = [
            "Apex Tech",
            "Blue Ocean",
            "Zenith Marine",
            "Golden Star",
            "Northwind",
            "Sunrise",
        ];
        let forms = ["Pte Ltd", "PTE. LIMITED", "Ltd", "Co., Ltd.", "Limited", ""];
        let keys: Vec<String> = (0..120).map(|i| format!("k{i}")).collect();
        let full: Vec<String> = (0..120)
            .map(|i| {
                format!(
                    "{} {} {}",
                    names[i % names.len()],
                    ["", "Trading", "Holdings", ""][i / 6 % 4],
                    forms[i / 3 % forms.len()]
                )
            })
            .collect();
        for i in 0..120 {
            rows.push((
                keys[i].as_str(),
                "company",
                full[i].as_str(),
                ["Singapore", "Kuala Lumpur", ""][i % 3],
                ["SG", "MY", "SG", "HK"][i / 5 % 4],
                "",
            ));
        }
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let conn = crate::store::open_in_memory().unwrap();
                insert(&conn, &rows);
                resolve(&conn, &ResolveConfig::default()).unwrap();
                dump(&conn)
            })
        };
        let one = run(1);
        assert!(one.contains("merge") || one.lines().count() > 120);
        assert_eq!(one, run(2));
    }
}
