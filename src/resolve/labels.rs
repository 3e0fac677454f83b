//! Labelled pairs: m and u learnt from ground truth instead of EM (`trawl resolve --labels`).
//!
//! Input: a labels file, in either of the two formats the project already reads —
//! - a truth CSV `id,cluster` (as `trawl eval-resolve --truth` takes: ids are the sources' own
//!   record keys, `SHIPMENT:role` for parties named on shipments), which labels every candidate
//!   pair whose two records it names: the same cluster is a match, different clusters are not;
//! - analyst decisions `a,b,decision[,note]` (as `--overrides` takes), each pair labelled as
//!   decided, whether or not blocking made it a candidate.
//!
//! Output: per distinct comparison pattern, how many labelled pairs have it as matches and as
//! non-matches, for [`Models::from_labels`](super::compare::Models::from_labels), and
//! [`LabelStats`] that reconcile the file with what was used.
//!
//! Labels train the model only. They never force a decision: that is what overrides are for.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

use super::compare::{Pattern, compare};
use super::prepare::Corpus;
use super::{OverridePair, find_record, read_overrides};
use crate::error::{Error, Result};

/// A labels file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Labels {
    /// `(record key, cluster)` rows of a truth CSV.
    Clusters(Vec<(String, String)>),
    /// Analyst decisions on pairs.
    Pairs(Vec<OverridePair>),
}

/// What the labels gave the run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LabelStats {
    /// Rows of the labels file.
    pub rows: u64,
    /// Rows whose record key names no record (of a truth CSV; a decision naming an unknown
    /// record is an error, as for overrides).
    pub unknown_ids: u64,
    /// Labelled pairs that are matches / non-matches (organisations and people together).
    pub matches: u64,
    pub non_matches: u64,
}

/// Reads a labels file; the header says which format: a third column `decision` means
/// decisions, otherwise the first two columns are `id,cluster`.
///
/// # Errors
/// [`Error::Parse`] with the file and line for an unreadable file or a bad row.
pub fn read_labels(path: &Path) -> Result<Labels> {
    let parse = |line: u64, e: csv::Error| Error::Parse {
        path: path.into(),
        line,
        reason: e.to_string(),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| parse(0, e))?;
    let header = rdr.headers().map_err(|e| parse(1, e))?;
    if header
        .get(2)
        .is_some_and(|h| h.eq_ignore_ascii_case("decision"))
    {
        return Ok(Labels::Pairs(read_overrides(path)?));
    }
    let mut rows = Vec::new();
    for (i, row) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let row = row.map_err(|e| parse(line, e))?;
        match (row.get(0), row.get(1)) {
            (Some(id), Some(cluster)) if !id.is_empty() && !cluster.is_empty() => {
                rows.push((id.to_string(), cluster.to_string()));
            }
            _ => {
                return Err(Error::Parse {
                    path: path.into(),
                    line,
                    reason: "expected `id,cluster` (or a header `a,b,decision` for decisions)"
                        .into(),
                });
            }
        }
    }
    Ok(Labels::Clusters(rows))
}

/// Labels mapped onto a run's records (indexes into the run's record list).
#[derive(Debug, Default)]
pub(crate) struct Labelling {
    /// Per record, its truth cluster (an index), for a truth CSV.
    cluster: Vec<Option<u32>>,
    /// Decided pairs `(a, b, same)`, for decisions.
    pairs: Vec<(u32, u32, bool)>,
    stats: LabelStats,
}

impl Labelling {
    /// Maps `labels` onto the records; `index_of` gives a record id's index in the run.
    ///
    /// # Errors
    /// [`Error::Db`]; for decisions, as [`find_record`].
    pub(crate) fn new(
        conn: &Connection,
        labels: &Labels,
        index_of: &HashMap<i64, u32>,
        records: usize,
    ) -> Result<Labelling> {
        let mut out = Labelling::default();
        match labels {
            Labels::Clusters(rows) => {
                let keys = super::evaluate::record_keys(conn)?;
                let mut ids: HashMap<&str, u32> = HashMap::new();
                out.cluster = vec![None; records];
                for (key, cluster) in rows {
                    out.stats.rows += 1;
                    let Some(i) = keys.get(key).and_then(|id| index_of.get(id)) else {
                        out.stats.unknown_ids += 1;
                        continue;
                    };
                    let next = ids.len() as u32;
                    out.cluster[*i as usize] = Some(*ids.entry(cluster).or_insert(next));
                }
            }
            Labels::Pairs(pairs) => {
                for p in pairs {
                    out.stats.rows += 1;
                    let (a, b) = (find_record(conn, &p.a)?, find_record(conn, &p.b)?);
                    if let (Some(&a), Some(&b)) = (index_of.get(&a), index_of.get(&b))
                        && a != b
                    {
                        out.pairs.push((a.min(b), a.max(b), p.same));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Per distinct pattern, the labelled matches and non-matches, and the stats: the candidate
    /// pairs learnt from (`learn`) whose records the truth CSV both names, and the decided
    /// pairs, compared here.
    pub(crate) fn tally(
        self,
        corpus: &Corpus,
        pairs: &[(u32, u32)],
        patterns: &[Pattern],
        learn: &[bool],
    ) -> (Vec<(Pattern, u64, u64)>, LabelStats) {
        let candidates = pairs
            .iter()
            .zip(patterns)
            .zip(learn)
            .filter(|&(_, &learnt)| learnt)
            .filter_map(|((&(a, b), &p), _)| Some((p, self.of(a, b)?)));
        let decided = self.pairs.iter().map(|&(a, b, same)| {
            let (a, b) = (&corpus.records[a as usize], &corpus.records[b as usize]);
            (compare(corpus, a, b), same)
        });
        let tally = tally(candidates.chain(decided));
        let mut stats = self.stats;
        (stats.matches, stats.non_matches) = tally
            .iter()
            .fold((0, 0), |(m, u), &(_, a, b)| (m + a, u + b));
        (tally, stats)
    }

    /// The label of candidate pair `(a, b)` from a truth CSV: `Some(true)` for one cluster.
    pub(crate) fn of(&self, a: u32, b: u32) -> Option<bool> {
        let c = |i: u32| self.cluster.get(i as usize).copied().flatten();
        Some(c(a)? == c(b)?)
    }
}

/// Per distinct pattern, its labelled matches and non-matches, sorted by pattern. `labelled`
/// yields each labelled pair's pattern and label.
pub(crate) fn tally(labelled: impl Iterator<Item = (Pattern, bool)>) -> Vec<(Pattern, u64, u64)> {
    let mut by: HashMap<Pattern, (u64, u64)> = HashMap::new();
    for (p, same) in labelled {
        let e = by.entry(p).or_default();
        if same {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let mut v: Vec<(Pattern, u64, u64)> = by.into_iter().map(|(p, (m, u))| (p, m, u)).collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn the_header_says_which_format() {
        let truth = file("id,cluster\nP1,a\nP2,a\nP3,b\n");
        assert_eq!(
            read_labels(truth.path()).unwrap(),
            Labels::Clusters(vec![
                ("P1".into(), "a".into()),
                ("P2".into(), "a".into()),
                ("P3".into(), "b".into())
            ])
        );
        let decisions = file("a,b,decision\nP1,P2,same\nP1,P3,different\n");
        let Labels::Pairs(p) = read_labels(decisions.path()).unwrap() else {
            panic!("decisions read as clusters")
        };
        assert_eq!(p.len(), 2);
        assert!(p[0].same && !p[1].same);
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let f = file("id,cluster\nP1,a\nP2\n");
        let err = read_labels(f.path()).unwrap_err().to_string();
        assert!(err.contains(":3") || err.contains("line 3"), "{err}");
    }

    #[test]
    fn tally_counts_each_pattern_by_label() {
        let t = tally([(5, true), (3, false), (5, false), (5, true)].into_iter());
        assert_eq!(t, vec![(3, 0, 1), (5, 2, 1)]);
    }

    #[test]
    fn a_pair_is_labelled_only_when_both_records_are() {
        let l = Labelling {
            cluster: vec![Some(0), Some(0), Some(1), None],
            ..Default::default()
        };
        assert_eq!(l.of(0, 1), Some(true));
        assert_eq!(l.of(0, 2), Some(false));
        assert_eq!(l.of(0, 3), None);
    }
}
