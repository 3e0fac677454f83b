//! Blocking: choose which pairs of records are worth comparing.
//!
//! Input: the prepared [`Corpus`]. Output: the sorted, de-duplicated candidate pairs (indexes
//! into `corpus.records`, `a < b`) and [`BlockStats`] (keys, blocks, pairs, reduction ratio).
//!
//! Every record gets several keys, each prefixed by its class so people and organisations
//! never share a block:
//!
//! - **rare words**: the two rarest words (lowest document frequency) of each name spelling
//!   (two, because a typo makes the misspelt word the rarest);
//! - **rare pair**: the two rarest words of each spelling together (catches names made of
//!   common words, "Global Tech Trading", without the huge single-word blocks);
//! - **typo keys**: the rarest word of the primary name and every one-letter deletion of it,
//!   for words of at least [`TYPO_MIN_LEN`] letters (symmetric deletion: two words within one
//!   edit share a key);
//! - **compact prefix**: the first [`PREFIX_LEN`] letters of the name with spaces removed
//!   (catches split and joined words: "Hua Wei" / "Huawei");
//! - **identifiers**: each phone, e-mail, registration id and organisation web domain;
//! - **address**: the two rarest words of the address together (typically the street name and
//!   the house number).
//!
//! A block of at most `max_block` records yields all its pairs. A larger block yields only
//! the pairs within a window of [`WINDOW`] in the order of the records' names (sorted
//! neighbourhood), so that one entity mentioned hundreds of times is still linked without the
//! quadratic cost. A block larger than `skip_block` says nothing (a word in tens of thousands of
//! names) and is dropped; the statistics count it.

use rayon::prelude::*;

use super::prepare::{Corpus, Prepared, Vocab, h64};

/// Length of the compact-name prefix key. Six letters separate most names ("apexte") while
/// surviving a typo or a dropped word later in the name.
pub const PREFIX_LEN: usize = 6;
/// Shortest word that gets typo (deletion) keys. Deleting a letter of a shorter word leaves
/// three or four letters, which thousands of unrelated words share; from six letters on, the
/// five-letter remainders are specific.
pub const TYPO_MIN_LEN: usize = 5;
/// Typo-key blocks above this size are dropped rather than windowed: a one-letter deletion
/// shared by more than this many records is a common letter pattern, not a misspelling of one
/// rare word.
pub const TYPO_MAX_BLOCK: usize = 25;
/// Window of the sorted neighbourhood used inside blocks above `max_block`: each record is
/// paired with the next four in name order, which links a run of near-identical spellings
/// (transitively, through clustering) at a cost linear in the block.
pub const WINDOW: usize = 4;

/// Blocking parameters (see [`super::ResolveConfig`]).
#[derive(Debug, Clone, Copy)]
pub struct BlockConfig {
    pub max_block: usize,
    pub skip_block: usize,
}

/// What blocking did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BlockStats {
    /// Keys generated over all records.
    pub keys: u64,
    /// Keys shared by at least two records.
    pub blocks: u64,
    /// Blocks above `max_block` (compared with the sorted window).
    pub windowed_blocks: u64,
    /// Blocks above `skip_block` (dropped).
    pub skipped_blocks: u64,
    /// Candidate pairs after de-duplication.
    pub candidate_pairs: u64,
    /// All pairs of records: n(n-1)/2.
    pub all_pairs: u64,
}

impl BlockStats {
    /// 1 − candidate pairs / all pairs.
    pub fn reduction_ratio(&self) -> f64 {
        if self.all_pairs == 0 {
            return 0.0;
        }
        1.0 - self.candidate_pairs as f64 / self.all_pairs as f64
    }
}

fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser: spreads structured keys over 64 bits
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn key(tag: u64, class: u64, a: u64, b: u64) -> u64 {
    // the top four bits keep the key's kind (typo keys are capped differently)
    (mix(mix(mix(tag << 8 | class) ^ a) ^ b) & !(0xF << 60)) | (tag << 60)
}

/// The rarest words of a spelling, rarest first (ties by word id, which is first-seen order).
fn rarest(v: &Vocab, tokens: &[u32], n: usize) -> Vec<u32> {
    let mut t: Vec<u32> = tokens.to_vec();
    t.sort_unstable_by_key(|&x| (v.df[x as usize], x));
    t.dedup();
    t.truncate(n);
    t
}

/// The blocking keys of one record.
pub fn keys(c: &Corpus, r: &Prepared, out: &mut Vec<u64>) {
    let class = r.class as u64;
    for (i, name) in r.names.iter().enumerate() {
        let rare = rarest(&c.names, &name.tokens, 2);
        for &t in &rare {
            out.push(key(1, class, u64::from(t), 0));
        }
        if rare.len() == 2 {
            let (a, b) = (rare[0].min(rare[1]), rare[0].max(rare[1]));
            out.push(key(2, class, u64::from(a), u64::from(b)));
        }
        let compact: String = name
            .tokens
            .iter()
            .map(|&t| c.names.strings[t as usize].as_str())
            .collect();
        let prefix: String = compact.chars().take(PREFIX_LEN).collect();
        if prefix.len() >= 3 {
            out.push(key(3, class, h64(&prefix), 0));
        }
        if i == 0 {
            if let Some(&t) = rare.first() {
                let w = &c.names.strings[t as usize];
                if w.len() >= TYPO_MIN_LEN && w.is_ascii() {
                    out.push(key(4, class, h64(w), 0));
                    for d in 0..w.len() {
                        let del = format!("{}{}", &w[..d], &w[d + 1..]);
                        out.push(key(4, class, h64(&del), 0));
                    }
                }
            }
        }
    }
    for &p in &r.phones {
        out.push(key(5, class, p, 0));
    }
    for &e in &r.emails {
        out.push(key(6, class, e, 0));
    }
    for &x in &r.reg_ids {
        out.push(key(7, class, x, 0));
    }
    for &d in &r.domains {
        out.push(key(8, class, d, 0));
    }
    let ra = rarest(&c.addresses, &r.address, 2);
    if ra.len() == 2 {
        let (a, b) = (ra[0].min(ra[1]), ra[0].max(ra[1]));
        out.push(key(9, class, u64::from(a), u64::from(b)));
    }
}

/// The sort key of the sorted-neighbourhood window: the primary name's words as text.
fn name_order(c: &Corpus, r: &Prepared) -> String {
    r.names.first().map_or_else(String::new, |n| {
        n.tokens
            .iter()
            .map(|&t| c.names.strings[t as usize].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Generates the candidate pairs.
///
/// # Complexity
/// O(k·n log(k·n)) to sort the k·n keys, plus the pairs emitted: at most
/// `max_block²/2` per small block and `WINDOW` per member of a large one.
pub fn candidates(c: &Corpus, cfg: &BlockConfig) -> (Vec<(u32, u32)>, BlockStats) {
    let n = c.records.len();
    let mut entries: Vec<(u64, u32)> = c
        .records
        .par_iter()
        .enumerate()
        .map_init(Vec::new, |buf, (i, r)| {
            buf.clear();
            keys(c, r, buf);
            buf.sort_unstable();
            buf.dedup();
            buf.iter().map(|&k| (k, i as u32)).collect::<Vec<_>>()
        })
        .flatten_iter()
        .collect();
    let mut stats = BlockStats {
        keys: entries.len() as u64,
        all_pairs: (n as u64) * (n as u64).saturating_sub(1) / 2,
        ..BlockStats::default()
    };
    entries.par_sort_unstable();
    // group boundaries
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut s = 0;
    while s < entries.len() {
        let mut e = s + 1;
        while e < entries.len() && entries[e].0 == entries[s].0 {
            e += 1;
        }
        if e - s >= 2 {
            groups.push((s, e));
        }
        s = e;
    }
    stats.blocks = groups.len() as u64;
    stats.windowed_blocks = groups
        .iter()
        .filter(|(s, e)| e - s > cfg.max_block && e - s <= cfg.skip_block)
        .count() as u64;
    stats.skipped_blocks = groups
        .iter()
        .filter(|(s, e)| e - s > cfg.skip_block)
        .count() as u64;
    let mut pairs: Vec<(u32, u32)> = groups
        .par_iter()
        .flat_map_iter(|&(s, e)| {
            let members: Vec<u32> = entries[s..e].iter().map(|x| x.1).collect();
            let mut out = Vec::new();
            let m = members.len();
            let typo = (entries[s].0 >> 60) == 4;
            if typo && m > TYPO_MAX_BLOCK {
                // dropped: see TYPO_MAX_BLOCK
            } else if m <= cfg.max_block {
                for i in 0..m {
                    for j in i + 1..m {
                        out.push((members[i], members[j]));
                    }
                }
            } else if m <= cfg.skip_block {
                let mut sorted: Vec<(String, u32)> = members
                    .iter()
                    .map(|&i| (name_order(c, &c.records[i as usize]), i))
                    .collect();
                sorted.sort_unstable();
                for i in 0..m {
                    for j in i + 1..(i + 1 + WINDOW).min(m) {
                        let (a, b) = (sorted[i].1, sorted[j].1);
                        out.push((a.min(b), a.max(b)));
                    }
                }
            }
            out
        })
        .collect();
    drop(entries);
    pairs.par_sort_unstable();
    pairs.dedup();
    stats.candidate_pairs = pairs.len() as u64;
    (pairs, stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::prepare::tests::raw;
    use crate::resolve::prepare::{RawRecord, prepare};

    #[test]
    fn blocks_variants_together_and_classes_apart() {
        let raws = vec![
            raw(1, "company", "Apex Tech Pte Ltd"),
            raw(2, "company", "APEX TECHNOLOGY PTE. LIMITED"),
            raw(3, "company", "Apexx Tech Pte Ltd"),
            raw(4, "person", "Apex Tech"),
            raw(5, "company", "Hua Wei Ji Shu"),
            raw(6, "company", "华为技术有限公司"),
            raw(7, "company", "Zenith Marine"),
        ];
        let c = prepare(&raws);
        let cfg = BlockConfig {
            max_block: 100,
            skip_block: 10_000,
        };
        let (pairs, stats) = candidates(&c, &cfg);
        assert!(pairs.contains(&(0, 1)));
        assert!(pairs.contains(&(0, 2)), "typo key");
        assert!(pairs.contains(&(4, 5)), "compact key across scripts");
        assert!(
            !pairs.iter().any(|&(a, b)| a == 3 || b == 3),
            "person apart"
        );
        assert!(stats.reduction_ratio() > 0.0);
    }

    #[test]
    fn large_blocks_are_windowed() {
        let raws: Vec<RawRecord> = (0..300)
            .map(|i| raw(i, "company", &format!("Common Name {i}")))
            .collect();
        let c = prepare(&raws);
        let cfg = BlockConfig {
            max_block: 50,
            skip_block: 1000,
        };
        let (pairs, stats) = candidates(&c, &cfg);
        assert!(stats.windowed_blocks >= 1);
        assert!(pairs.len() < 300 * 299 / 2 / 4);
    }
}
