//! Fuzzy, transliteration-aware name search over entities, and the lookup of an entity from what
//! a user typed (an id, a source key, or a name).
//!
//! Input: the store (every record's name and aliases, grouped by entity). Names are compared the
//! way the resolve module normalises them ([`crate::resolve::normalize`]): folded to ASCII
//! (深圳 → "shenzhen", Cyrillic, Korean … transliterated), legal forms split off ("Co., Ltd."
//! does not count towards a match), common business words spelled one way. The score of a
//! spelling is the better of a token score — each word of the query against its best
//! Jaro–Winkler match among the name's words, and the name's words against the query's, weighted
//! two to one towards covering the query — and the Jaro–Winkler similarity of the words run
//! together ("Hua Xin" = "Huaxin"). An entity scores its best spelling. Like a screening tool,
//! the result is a ranked list with scores in 0–1, not a yes/no.
//!
//! # Complexity
//! One scan of the records: O(R · w²) for R records of w words.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::error::Result;
use crate::model::EntityId;
use crate::resolve::normalize;

/// Options of a search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Keep entities with a record in this country (alpha-2, or a name the ingest accepts).
    pub country: Option<String>,
    /// At most this many hits. Default 20.
    pub limit: usize,
    /// Hits below this score are dropped. Default 0.7.
    pub min_score: f64,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            country: None,
            limit: 20,
            min_score: 0.7,
        }
    }
}

/// One ranked hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub entity: EntityId,
    /// The entity's representative name.
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    /// The spelling (name or alias of one of its records) that matched best.
    pub matched: String,
    /// 0–1.
    pub score: f64,
}

/// A name prepared for comparison: its distinctive words and those words run together.
#[derive(Debug, Clone)]
struct Prepared {
    words: Vec<String>,
    compact: String,
}

fn prepare(s: &str) -> Prepared {
    let mut words = normalize::split_name(s).tokens;
    if words.is_empty() {
        words = normalize::tokens(&normalize::fold(s));
    }
    let compact = words.concat();
    Prepared { words, compact }
}

/// The similarity of a query to a name, 0–1 (see the module documentation).
///
/// ```
/// use trawl::graph::search::similarity;
/// assert!(similarity("Shenzhen Huaxin Technology", "SHENZHEN HUA XIN TECHNOLOGY CO., LTD.") > 0.95);
/// assert!(similarity("Zhang Wei", "ZHANG, Wei") > 0.99);
/// assert!(similarity("Huaxin", "Northbeam Cloud Inc.") < 0.7);
/// ```
pub fn similarity(query: &str, name: &str) -> f64 {
    score(&prepare(query), &prepare(name))
}

fn score(q: &Prepared, c: &Prepared) -> f64 {
    if q.words.is_empty() || c.words.is_empty() {
        return 0.0;
    }
    if q.compact == c.compact {
        return 1.0;
    }
    let best = |w: &str, among: &[String]| -> f64 {
        among
            .iter()
            .map(|x| {
                let s = strsim::jaro_winkler(w, x);
                if s < 0.8 { 0.0 } else { s }
            })
            .fold(0.0, f64::max)
    };
    let weight = |w: &String| w.len().max(2) as f64;
    let cover = |from: &[String], to: &[String]| -> f64 {
        let total: f64 = from.iter().map(weight).sum();
        from.iter().map(|w| best(w, to) * weight(w)).sum::<f64>() / total
    };
    let recall = cover(&q.words, &c.words);
    let precision = cover(&c.words, &q.words);
    let tokens = (2.0 * recall + precision) / 3.0;
    let compact = strsim::jaro_winkler(&q.compact, &c.compact);
    // Run-together words only count when they are long enough to carry identity.
    let compact = if q.compact.len() >= 6 { compact } else { 0.0 };
    tokens.max(compact * 0.98)
}

/// Searches entity names and aliases; hits sorted by score (highest first), then entity id.
///
/// # Errors
/// [`crate::Error::Db`].
pub fn search(conn: &Connection, query: &str, opts: &SearchOptions) -> Result<Vec<SearchHit>> {
    let q = prepare(query);
    let country = opts.country.as_deref().map(|c| {
        crate::ingest::country::normalize_country(c)
            .map_or_else(|| c.to_ascii_uppercase(), String::from)
    });
    let mut stmt = conn.prepare(
        "SELECT er.entity_id, r.name, r.aliases, r.country, e.name, e.kind, e.country
         FROM records r JOIN entity_records er ON er.record_id = r.id
         JOIN entities e ON e.id = er.entity_id
         ORDER BY er.entity_id, r.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut current: Option<SearchHit> = None;
    let mut in_country = country.is_none();
    let flush = |hit: Option<SearchHit>, ok: bool, hits: &mut Vec<SearchHit>| {
        if let Some(h) = hit {
            if ok && h.score >= opts.min_score {
                hits.push(h);
            }
        }
    };
    while let Some(r) = rows.next()? {
        let entity = EntityId(r.get(0)?);
        if current.as_ref().is_none_or(|h| h.entity != entity) {
            flush(current.take(), in_country, &mut hits);
            in_country = country.is_none();
            current = Some(SearchHit {
                entity,
                name: r.get(4)?,
                kind: r.get(5)?,
                country: r.get(6)?,
                matched: String::new(),
                score: -1.0,
            });
        }
        let hit = current.as_mut().expect("set above");
        if let Some(c) = &country {
            let rc: Option<String> = r.get(3)?;
            if rc.as_deref() == Some(c) || hit.country.as_deref() == Some(c) {
                in_country = true;
            }
        }
        let name: String = r.get(1)?;
        let aliases: Option<String> = r.get(2)?;
        for spelling in std::iter::once(name.as_str()).chain(
            aliases
                .as_deref()
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty()),
        ) {
            let s = score(&q, &prepare(spelling));
            if s > hit.score {
                hit.score = s;
                hit.matched = spelling.to_string();
            }
        }
    }
    flush(current.take(), in_country, &mut hits);
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entity.cmp(&b.entity)));
    hits.truncate(opts.limit);
    Ok(hits)
}

/// What a user's reference to an entity resolved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "lookup", rename_all = "lowercase")]
pub enum Lookup {
    /// One entity.
    Found { entity: EntityId },
    /// A name that fits several entities about equally: the candidates, best first.
    Ambiguous { candidates: Vec<SearchHit> },
    /// Nothing fits.
    NotFound,
}

/// A name is taken as one entity when its best hit scores at least this …
pub const ACCEPT_SCORE: f64 = 0.9;
/// … and the next one scores at least this much less.
pub const ACCEPT_MARGIN: f64 = 0.05;

/// Finds the entity a user means: an entity id (all digits), a source key (`C001`,
/// `ftm-co-huaxin-sz`, a screening entity number that is not also an entity id), or a name
/// (fuzzy search: taken when the best hit scores ≥ [`ACCEPT_SCORE`] and leads the next by
/// [`ACCEPT_MARGIN`]; otherwise the candidates).
///
/// # Errors
/// [`crate::Error::Db`].
pub fn lookup(conn: &Connection, text: &str) -> Result<Lookup> {
    let text = text.trim();
    if let Ok(id) = text.parse::<i64>() {
        let found: Option<i64> = conn
            .query_row("SELECT id FROM entities WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        if let Some(id) = found {
            return Ok(Lookup::Found {
                entity: EntityId(id),
            });
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT er.entity_id FROM records r JOIN entity_records er ON er.record_id = r.id
         WHERE r.source_key = ?1 ORDER BY er.entity_id",
    )?;
    let by_key: Vec<i64> = stmt
        .query_map([text], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if let [one] = by_key.as_slice() {
        return Ok(Lookup::Found {
            entity: EntityId(*one),
        });
    }
    let opts = SearchOptions {
        limit: 10,
        ..SearchOptions::default()
    };
    let hits = search(conn, text, &opts)?;
    match hits.as_slice() {
        [] => Ok(Lookup::NotFound),
        [top, rest @ ..]
            if top.score >= ACCEPT_SCORE
                && rest
                    .first()
                    .is_none_or(|n| n.score <= top.score - ACCEPT_MARGIN) =>
        {
            Ok(Lookup::Found { entity: top.entity })
        }
        _ => Ok(Lookup::Ambiguous { candidates: hits }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_rank_spelling_variants_above_other_names() {
        let q = "Apex Technology Pte Ltd";
        let same = similarity(q, "APEX TECHNOLOGY PTE. LIMITED");
        let variant = similarity(q, "Apex Tech Pte Ltd");
        let other = similarity(q, "Apex Microelectronics (HK) Co., Limited");
        assert!(same > 0.99, "{same}");
        assert!(variant > 0.95, "{variant}");
        assert!(other < variant, "{other} < {variant}");
        assert!(similarity("Hua Xin", "Huaxin") > 0.95);
        assert!(similarity("深圳市华芯科技", "Shenzhen Huaxin Technology") > 0.8);
    }

    #[test]
    fn similarity_is_bounded() {
        for (a, b) in [("", "x"), ("a", "b"), ("Zhang Wei", "Zhang Wei")] {
            let s = similarity(a, b);
            assert!((0.0..=1.0).contains(&s), "{a} {b} {s}");
        }
    }
}
