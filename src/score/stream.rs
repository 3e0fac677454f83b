//! Batch scoring of shipment logs (`trawl score-log`): a new log is streamed against the stored
//! groups, scores and totals of the last `trawl score`, never ingested.
//!
//! Per line the score is the noisy-or of the stored score of the consignee's beneficiary group
//! and the line's own signals, each at its detector's weight from the profile: the group's
//! running total over the threshold (structuring), a suspect line ([`SUSPECT_LINE`]), a hub
//! consignee with a Tier 3 notify party / end user / payer or a Tier 3 destination
//! (transshipment).
//!
//! Input: a shipments CSV (the canonical `shipments` columns; unknown columns ignored), the
//! store, the policy and the catalog. Output, per line: a risk score, the reasons, the
//! consignee's beneficiary group and that group's running total in the line's window against the
//! threshold. Parties are matched to entities by their folded name (the names of every stored
//! record); an unknown consignee is its own group.
//!
//! Memory does not grow with the log's length: one reused CSV record, and caches keyed by
//! distinct party names, distinct product texts and distinct (group, window) totals, each
//! cleared when it reaches [`CACHE_MAX`] entries (running totals are kept; they are bounded by
//! groups × windows).
//!
//! # Complexity
//! O(1) amortised per line (hash look-ups), plus the store's names, groups and totals at start.

use std::collections::HashMap;
use std::io::{Read, Write};

use rusqlite::Connection;
use serde::Serialize;

use super::catalog::TextClass;
use super::policy::{Policy, Tier, parse_day, year_of};
use super::{Catalog, LineClass, cc};
use crate::error::{Error, Result};
use crate::resolve::normalize::fold;

/// The misdeclaration score of one suspect line (the detector's 0.4 + 0.2 per line for one line,
/// see [`crate::score::patterns::misdeclaration`]).
pub const SUSPECT_LINE: f64 = 0.6;

/// Caches are cleared when they reach this many entries.
pub const CACHE_MAX: usize = 1 << 20;

/// The stored state a log is scored against.
pub struct Context {
    names: HashMap<String, i64>,
    group_of: HashMap<i64, i64>,
    group_score: HashMap<i64, f64>,
    country: HashMap<i64, String>,
    totals: HashMap<(i64, i32), f64>,
    /// Running totals of consignees not in the store, by hash of the folded name.
    new_totals: HashMap<(u64, i32), f64>,
}

impl Context {
    /// Loads names, groups, scores and totals of the last `trawl score`.
    ///
    /// # Errors
    /// [`Error::Db`]; [`Error::Config`] if the store has not been scored.
    pub fn load(conn: &Connection) -> Result<Context> {
        let runs: i64 = conn.query_row("SELECT count(*) FROM score_runs", [], |r| r.get(0))?;
        if runs == 0 {
            return Err(Error::Config {
                key: "store".into(),
                reason: "not scored yet: run `trawl score` first".into(),
            });
        }
        let mut c = Context {
            names: HashMap::new(),
            group_of: HashMap::new(),
            group_score: HashMap::new(),
            country: HashMap::new(),
            totals: HashMap::new(),
            new_totals: HashMap::new(),
        };
        let mut st = conn.prepare("SELECT name, entity_id FROM score_names")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            c.names.insert(r.get(0)?, r.get(1)?);
        }
        let mut st =
            conn.prepare("SELECT entity_id, group_id FROM score_groups WHERE bound = 'lower'")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            c.group_of.insert(r.get(0)?, r.get(1)?);
        }
        let mut st =
            conn.prepare("SELECT group_id, max(group_score) FROM entity_scores GROUP BY group_id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            c.group_score.insert(r.get(0)?, r.get(1)?);
        }
        let mut st = conn.prepare("SELECT id, country FROM entities WHERE country IS NOT NULL")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            c.country.insert(r.get(0)?, r.get(1)?);
        }
        let mut st = conn.prepare("SELECT group_id, window, total FROM group_totals")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let w: String = r.get(1)?;
            if let Ok(y) = w.parse::<i32>() {
                c.totals.insert((r.get(0)?, y), r.get(2)?);
            }
        }
        Ok(c)
    }
}

/// One scored line.
#[derive(Debug, Clone, Serialize)]
pub struct Scored<'a> {
    pub id: &'a str,
    pub line: u64,
    pub score: f64,
    pub reasons: Vec<String>,
    pub consignee_entity: Option<i64>,
    pub group: Option<i64>,
    pub tpp: f64,
    pub window: i32,
    pub running_total: f64,
    pub threshold: f64,
}

/// What a run saw.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogSummary {
    pub lines: u64,
    pub skipped: u64,
    pub risky: u64,
    pub seconds: f64,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

/// Scores a shipments CSV, writing one result per line.
///
/// # Errors
/// [`Error::Parse`] for an unreadable CSV or a missing required column; [`Error::Io`] writing.
pub fn score_log(
    ctx: &mut Context,
    p: &Policy,
    cat: &Catalog,
    input: impl Read,
    path: &std::path::Path,
    out: &mut dyn Write,
    format: Format,
) -> Result<LogSummary> {
    let t0 = std::time::Instant::now();
    let perr = |line: u64, reason: String| Error::Parse {
        path: path.into(),
        line,
        reason,
    };
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers = rdr
        .byte_headers()
        .map_err(|e| perr(1, e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name.as_bytes());
    let need = |name: &str| col(name).ok_or_else(|| perr(1, format!("missing column {name}")));
    let (c_id, c_date, c_cons) = (need("id")?, need("date")?, need("consignee_name")?);
    let c_cons_country = col("consignee_country");
    let c_dest = col("destination_country");
    let roles = [
        ("notify", col("notify_name"), col("notify_country")),
        ("end user", col("end_user_name"), col("end_user_country")),
        ("payer", col("payer_name"), col("payer_country")),
    ];
    let (c_hs, c_prod, c_desc) = (col("hs_code"), col("product"), col("description"));
    let (c_qty, c_val) = (col("quantity"), col("value_usd"));
    let mut rec = csv::ByteRecord::new();
    let mut ahead = crate::ingest::ReadAhead::open(path).ok();
    // Raw name → (entity, hash of the folded name).
    let mut name_cache: HashMap<Vec<u8>, (Option<i64>, u64)> = HashMap::new();
    let mut text_cache: HashMap<u64, TextClass> = HashMap::new();
    let mut sum = LogSummary::default();
    let mut json_out: Option<&mut dyn Write> = None;
    let mut csv_out = None;
    if format == Format::Csv {
        csv_out = Some(csv::Writer::from_writer(out));
    } else {
        json_out = Some(out);
    }
    if let Some(w) = csv_out.as_mut() {
        w.write_record([
            "id",
            "line",
            "score",
            "reasons",
            "consignee_entity",
            "group",
            "tpp",
            "window",
            "running_total",
            "threshold",
        ])
        .map_err(|e| perr(0, e.to_string()))?;
    }
    let s = |rec: &csv::ByteRecord, c: Option<usize>| -> String {
        c.and_then(|i| rec.get(i))
            .map(|b| String::from_utf8_lossy(b).trim().to_string())
            .unwrap_or_default()
    };
    let weights = &p.detectors;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(perr(rec.position().map_or(0, |p| p.line()), e.to_string())),
        }
        // Step over the line breaks the csv crate counts before a record (CRLF, blank lines).
        let line = match (rec.position(), ahead.as_mut()) {
            (Some(p), Some(a)) => p.line() + a.line_breaks(p.byte()).map_or(0, |(_, n)| n),
            (Some(p), None) => p.line(),
            (None, _) => 0,
        };
        let Some(day) = rec
            .get(c_date)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(parse_day)
        else {
            sum.skipped += 1;
            continue;
        };
        sum.lines += 1;
        let window = year_of(day);
        if name_cache.len() >= CACHE_MAX {
            name_cache.clear();
        }
        let mut lookup = |raw: &[u8]| -> (Option<i64>, u64) {
            if let Some(v) = name_cache.get(raw) {
                return *v;
            }
            let k = fold(&String::from_utf8_lossy(raw));
            let v = (
                ctx.names.get(&k).copied(),
                xxhash_rust::xxh3::xxh3_64(k.as_bytes()),
            );
            name_cache.insert(raw.to_vec(), v);
            v
        };
        let bytes = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or(b"");
        let text_of = |c: Option<usize>| std::str::from_utf8(bytes(c)).unwrap_or("").trim();
        let cons_raw = rec.get(c_cons).unwrap_or(b"");
        let (consignee, cons_key) = lookup(cons_raw);
        // Line TPP, the text classified once per distinct (HS, product, description).
        let key = {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(bytes(c_hs));
            h.update(&[0]);
            h.update(bytes(c_prod));
            h.update(&[0]);
            h.update(bytes(c_desc));
            h.digest()
        };
        if text_cache.len() >= CACHE_MAX {
            text_cache.clear();
        }
        let text = *text_cache.entry(key).or_insert_with(|| {
            cat.classify_text(&s(&rec, c_prod), &s(&rec, c_desc), &s(&rec, c_hs))
        });
        let qty: f64 = text_of(c_qty).parse().unwrap_or(0.0);
        let val: f64 = text_of(c_val).parse().unwrap_or(0.0);
        let class = cat.classify(text, qty, val, &weights.misdeclaration);
        let (declared, suspected) = cat.tpp(class, qty);
        let tpp = declared + suspected;
        let dest = cc(text_of(c_dest)).or_else(|| cc(text_of(c_cons_country)));
        let group = consignee.map(|e| ctx.group_of.get(&e).copied().unwrap_or(e));
        let mut reasons: Vec<String> = Vec::new();
        let mut keep = 1.0f64;
        if let Some(gs) = group.and_then(|g| ctx.group_score.get(&g)).copied()
            && gs > 0.0
        {
            keep *= 1.0 - gs;
            reasons.push(format!("beneficiary group scored {gs:.3}"));
        }
        let counts = tpp > 0.0 && dest.is_some_and(|d| p.counts_towards_threshold(d));
        let running = if let Some(g) = group {
            let t = ctx.totals.entry((g, window)).or_default();
            if counts {
                *t += tpp;
            }
            *t
        } else {
            let t = ctx.new_totals.entry((cons_key, window)).or_default();
            if counts {
                *t += tpp;
            }
            *t
        };
        if counts && p.threshold > 0.0 && running > p.threshold {
            keep *= 1.0 - weights.structuring.weight;
            reasons.push(format!(
                "group total {running:.0} TPP in {window} is {:.2}x the threshold",
                running / p.threshold
            ));
        }
        if let LineClass::Suspect { consumer, .. } = class {
            keep *= 1.0 - weights.misdeclaration.weight * SUSPECT_LINE;
            reasons.push(format!(
                "priced like {} under \"{}\" (HS {})",
                if consumer {
                    "a consumer accelerator"
                } else {
                    "accelerators"
                },
                text_of(c_prod),
                text_of(c_hs)
            ));
        }
        if tpp > 0.0 {
            let hub = dest.is_some_and(|d| p.is_hub(d));
            for (role, cn, cc_col) in &roles {
                let raw = bytes(*cn);
                if raw.is_empty() {
                    continue;
                }
                let e = lookup(raw).0;
                let c = cc(text_of(*cc_col))
                    .or_else(|| e.and_then(|e| ctx.country.get(&e)).and_then(|c| cc(c)));
                if hub && c.is_some_and(|c| p.tier(c) == Tier::Tier3) {
                    keep *= 1.0 - weights.transshipment.weight;
                    reasons.push(format!("hub consignee, {role} in a Tier 3 country"));
                    break;
                }
            }
            if dest.is_some_and(|d| p.tier(d) == Tier::Tier3) {
                keep *= 1.0 - weights.transshipment.weight;
                reasons.push("destination in a Tier 3 country".into());
            }
        }
        let score = 1.0 - keep;
        if score >= p.scoring.alert_min {
            sum.risky += 1;
        }
        let id = String::from_utf8_lossy(rec.get(c_id).unwrap_or(b"")).into_owned();
        let row = Scored {
            id: &id,
            line,
            score,
            reasons,
            consignee_entity: consignee,
            group,
            tpp,
            window,
            running_total: running,
            threshold: p.threshold,
        };
        match csv_out.as_mut() {
            Some(w) => {
                w.write_record([
                    row.id.to_string(),
                    row.line.to_string(),
                    format!("{:.4}", row.score),
                    row.reasons.join("; "),
                    row.consignee_entity
                        .map(|e| e.to_string())
                        .unwrap_or_default(),
                    row.group.map(|e| e.to_string()).unwrap_or_default(),
                    format!("{:.0}", row.tpp),
                    row.window.to_string(),
                    format!("{:.0}", row.running_total),
                    format!("{:.0}", row.threshold),
                ])
                .map_err(|e| perr(line, e.to_string()))?;
            }
            None => {
                if let Some(out) = json_out.as_mut() {
                    serde_json::to_writer(&mut **out, &row)
                        .map_err(|e| perr(line, e.to_string()))?;
                    out.write_all(b"\n").map_err(|e| Error::io(path, e))?;
                }
            }
        }
    }
    if let Some(mut w) = csv_out {
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    sum.seconds = t0.elapsed().as_secs_f64();
    Ok(sum)
}
