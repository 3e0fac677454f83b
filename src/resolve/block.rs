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
//!   the house number);
//! - **Arabic skeletons**: where names in Arabic script occur, the consonant skeletons of a
//!   name's rarest words (see [`skeleton_keys`]); their blocks pair Arabic-script names with
//!   Latin ones only ([`skeleton_pairs`]).
//! - **acronyms**: a name with a word written as an acronym ("IBM Corp") meets the names that
//!   have a run of words with its initials ("International Business Machines"), and only those
//!   ([`initials_pairs`]).
//!
//! A block of at most `max_block` records yields all its pairs. A larger block yields only
//! the pairs within a window of [`WINDOW`] in the order of the records' names (sorted
//! neighbourhood), so that one entity mentioned hundreds of times is still linked without the
//! quadratic cost. A block larger than `skip_block` says nothing (a word in tens of thousands of
//! names) and is dropped; the statistics count it.
//!
//! A window in name order misses variants that sort apart: in a block of three hundred
//! "Argogate …" records of forty firms, "Argogate FZE" (a shipment mention without a country)
//! sorts first and "Argogate Logistics FZE" (AE) far down. So in a windowed block a record
//! without a country also meets the block's records of its legal form (see [`cell_pairs`]).
//! These are *recall pairs*: compared and scored like any candidate, but the model is not learnt
//! from them ([`Candidates::learn`]), so adding them changes no other pair's decision. They are a
//! different population (pairs the keys alone did not find, mostly namesakes): learnt from,
//! pairs of this kind lowered EM's match share and the weight of an agreeing country, and pairs
//! the keys did find fell under the threshold (measured at 1.03M records with cells of one
//! country as well: pairwise F1 0.906 → 0.859 when learnt from, 0.906 when not; see
//! BENCHMARKS.md).

use rayon::prelude::*;

use super::prepare::{Corpus, Prepared, Vocab, h64};

/// Length of the compact-name prefix key. Six letters separate most names ("apexte") while
/// surviving a typo or a dropped word later in the name.
pub const PREFIX_LEN: usize = 6;
/// Shortest word that gets typo (deletion) keys. Deleting a letter of a shorter word leaves
/// three or four letters, which thousands of unrelated words share; from six letters on, the
/// five-letter remainders are specific.
pub const TYPO_MIN_LEN: usize = 5;
/// Longest word that gets typo (deletion) keys. A word's deletions cost the square of its
/// length to hash; no word of a name is this long, and a run of letters that is (a field of
/// 50,000 letters without a space) would otherwise take seconds.
pub const TYPO_MAX_LEN: usize = 40;
/// Typo-key blocks above this size yield only the pairs of a sorted window, and only when their
/// records spell between two and [`TYPO_MAX_WORDS`] different words: a one-letter deletion
/// that many distinct words share is a common letter pattern, not a misspelling of one rare
/// word, and a block of one word's records ("quantuus" 24 times) adds nothing to its rare-word
/// block. Many records of two spellings ("Quantuus" 24 times, "Quantus" 7 times: an entity
/// mentioned often, misspelt on some documents) are a misspelling, and are windowed.
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

impl BlockConfig {
    /// Whether a block of `m` records is compared by a sorted window (too large to pair out,
    /// not so large that it is dropped).
    fn windows(&self, m: usize) -> bool {
        m > self.max_block && m <= self.skip_block
    }
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
    /// Of those, recall pairs: found only by [`cell_pairs`] (compared and scored, not learnt
    /// from: see the module docs).
    pub recall_pairs: u64,
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

/// Distinct words above this many sharing one deletion variant are a common letter pattern
/// (see [`TYPO_MAX_BLOCK`]) and are not taken as spellings of each other.
pub const TYPO_MAX_WORDS: usize = 25;

/// The blocking spelling of every name word: the most frequent word within one edit of it
/// (words sharing a one-letter deletion, or equal to one: symmetric deletion), or itself when
/// none is more frequent. "kinllink" and "kinlnik" block as "kinlink", so a typo in the rarest
/// word of a name no longer puts the record in other blocks than its correct spellings, however
/// large those blocks are. Only for ASCII words of at least [`TYPO_MIN_LEN`] letters. Chains
/// are followed to their end: when "jaldane" (a typo) is nearest to "jadlane", and "jadlane" to
/// the more frequent "jadline", all three block as "jadline"; stopping after one step left the
/// typo blocked apart from the word it misspells. Each step goes to a more frequent word, so a
/// chain ends. Used by blocking only; comparison sees the words as written.
///
/// # Complexity
/// O(L log L) for the L letters of the vocabulary (one entry per deletion, sorted).
pub fn canonical_words(v: &Vocab) -> Vec<u32> {
    let mut entries: Vec<(u64, u32)> = v
        .strings
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, w)| {
            let mut keys = typo_variants(w);
            keys.sort_unstable();
            keys.dedup();
            keys.into_iter().map(move |k| (k, i as u32))
        })
        .collect();
    entries.par_sort_unstable();
    let mut canon: Vec<u32> = (0..v.strings.len() as u32).collect();
    let rank = |w: u32| (v.df[w as usize], std::cmp::Reverse(w));
    for group in entries.chunk_by(|a, b| a.0 == b.0) {
        if group.len() < 2 || group.len() > TYPO_MAX_WORDS {
            continue;
        }
        let best = group
            .iter()
            .map(|e| e.1)
            .max_by_key(|&w| rank(w))
            .expect("non-empty");
        for e in group {
            if rank(best) > rank(canon[e.1 as usize]) {
                canon[e.1 as usize] = best;
            }
        }
    }
    // follow each chain to its end (every step raises the rank, so chains are finite)
    for w in 0..canon.len() {
        let mut t = canon[w];
        while canon[t as usize] != t {
            t = canon[t as usize];
        }
        canon[w] = t;
    }
    canon
}

/// The hashes of a word and of each of its one-letter deletions (symmetric deletion: two words
/// within one edit share one), for ASCII words of [`TYPO_MIN_LEN`] to [`TYPO_MAX_LEN`] letters;
/// empty for other words.
fn typo_variants(w: &str) -> Vec<u64> {
    if w.len() < TYPO_MIN_LEN || w.len() > TYPO_MAX_LEN || !w.is_ascii() {
        return Vec::new();
    }
    std::iter::once(h64(w))
        .chain((0..w.len()).map(|d| h64(&format!("{}{}", &w[..d], &w[d + 1..]))))
        .collect()
}

/// The blocking spelling of a name word (see [`canonical_words`]).
pub(crate) fn blocking_word(c: &Corpus, t: u32) -> u32 {
    c.canonical.get(t as usize).copied().unwrap_or(t)
}

/// The rarest words of a spelling in their blocking spelling (see [`canonical_words`]),
/// rarest first (ties by word id, which is first-seen order).
pub(crate) fn rarest_canonical(c: &Corpus, tokens: &[u32], n: usize) -> Vec<u32> {
    let t: Vec<u32> = tokens.iter().map(|&t| blocking_word(c, t)).collect();
    c.names.rarest(&t, n)
}

/// Pairs each of `ids` (in sorted order) with the next [`WINDOW`] (sorted neighbourhood).
fn push_window(ids: &[u32], out: &mut Vec<(u32, u32)>) {
    for (i, &a) in ids.iter().enumerate() {
        for &b in &ids[i + 1..(i + 1 + WINDOW).min(ids.len())] {
            out.push((a.min(b), a.max(b)));
        }
    }
}

/// Shortest word kept as a possible joining of two syllables, and longest syllable joined:
/// romanized Chinese, Korean and Malay trade names are written both ways ("Jintian" / "Jin
/// Tian", "Greatwall" / "Great Wall", "Hua Wei" / "Huawei"), and syllables run to five letters
/// ("zhuang", six, is rare enough to leave out).
const JOINED_MIN: usize = 6;
const SYLLABLE_MAX: usize = 5;

/// Keys that let a name written with its syllables joined meet one written apart: the name's
/// two rarest words when long enough to be two syllables, and every two adjacent short words
/// joined. Comparison already credits such pairs (`compare::credit_joined`); without these keys
/// they rarely shared a block ("上海金天服务有限公司" → "shanghai jintian service" and
/// "Jin Tian Services Co., Ltd").
fn joined_keys(c: &Corpus, class: u64, tokens: &[u32], out: &mut Vec<u64>) {
    let word = |t: u32| c.names.strings[t as usize].as_str();
    let letters = |w: &str| w.bytes().all(|b| b.is_ascii_lowercase());
    for t in c.names.rarest(tokens, 2) {
        if word(t).len() >= JOINED_MIN && letters(word(t)) {
            out.push(key(10, class, h64(word(t)), 0));
        }
    }
    for pair in tokens.windows(2) {
        let (a, b) = (word(pair[0]), word(pair[1]));
        if a.len() <= SYLLABLE_MAX
            && b.len() <= SYLLABLE_MAX
            && a.len() + b.len() >= JOINED_MIN
            && letters(a)
            && letters(b)
        {
            out.push(key(10, class, h64(&format!("{a}{b}")), 0));
        }
    }
}

/// The blocking keys of one record.
pub fn keys(c: &Corpus, r: &Prepared, out: &mut Vec<u64>) {
    let class = r.class as u64;
    for (i, name) in r.names.iter().enumerate() {
        let rare = rarest_canonical(c, &name.tokens, 2);
        for &t in &rare {
            out.push(key(1, class, u64::from(t), 0));
        }
        // "alnoor" also under "noor" (see `prepare::glued_articles`)
        for &t in &name.tokens {
            match c.names.article_stem.get(t as usize) {
                Some(&s) if s != u32::MAX => {
                    out.push(key(1, class, u64::from(blocking_word(c, s)), 0));
                }
                _ => {}
            }
        }
        if rare.len() == 2 {
            let (a, b) = (rare[0].min(rare[1]), rare[0].max(rare[1]));
            out.push(key(2, class, u64::from(a), u64::from(b)));
        }
        let word = |t: u32| c.names.strings[t as usize].as_str();
        let compact_prefix = |words: &mut dyn Iterator<Item = &str>| -> String {
            words.flat_map(str::chars).take(PREFIX_LEN).collect()
        };
        let prefix = compact_prefix(&mut name.tokens.iter().map(|&t| word(t)));
        if prefix.len() >= 3 {
            out.push(key(3, class, h64(&prefix), 0));
        }
        // "infotech" also under the prefix of "information technology", as the name is
        // interned when written apart (see `prepare::abbreviated_halves`)
        if let Some(&(h1, h2)) = name
            .tokens
            .first()
            .and_then(|&t| c.names.joined_halves.get(t as usize))
            .filter(|h| h.0 != u32::MAX)
        {
            let apart = compact_prefix(
                &mut [word(h1), word(h2)]
                    .into_iter()
                    .chain(name.tokens[1..].iter().map(|&t| word(t))),
            );
            out.push(key(3, class, h64(&apart), 0));
        }
        if i == 0 {
            if let Some(&t) = c.names.rarest(&name.tokens, 1).first() {
                for v in typo_variants(&c.names.strings[t as usize]) {
                    out.push(key(4, class, v, 0));
                }
            }
            joined_keys(c, class, &name.tokens, out);
        }
    }
    skeleton_keys(c, r, out);
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
    if let Some((a, b)) = super::prepare::address_key(&c.addresses, &r.address) {
        out.push(key(9, class, u64::from(a), u64::from(b)));
    }
}

/// Keys under which a name in Arabic script meets its Latin spelling (see
/// [`super::arabic`]): the consonant skeletons of the two rarest reading words of an Arabic
/// spelling, and of the two rarest words of a Latin spelling of a record in a country where
/// names in Arabic script are (`Corpus::arabic_countries`). A corpus without Arabic script
/// has none.
fn skeleton_keys(c: &Corpus, r: &Prepared, out: &mut Vec<u64>) {
    let skeleton = &c.names.skeleton;
    if skeleton.is_empty() {
        return;
    }
    let latin_here = r
        .country
        .is_some_and(|k| c.arabic_countries.binary_search(&k).is_ok());
    for name in &r.names {
        // an Arabic spelling's reading words, or a Latin spelling's words here
        let words = |keep: fn(u64) -> bool| -> Vec<u32> {
            let t = name.tokens.iter().copied();
            t.filter(|&t| keep(skeleton[t as usize])).collect()
        };
        let arabic = words(|k| k & 1 == 1);
        let with = if !arabic.is_empty() {
            arabic
        } else if latin_here {
            words(|k| k > 1)
        } else {
            continue;
        };
        for t in c.names.rarest(&with, 2) {
            out.push(key(12, r.class as u64, skeleton[t as usize] & !1, 0));
        }
    }
}

/// The pairs of a skeleton-key block (see [`skeleton_keys`]): only between a record named in
/// Arabic script and one named in Latin letters. Two Latin names of one consonant skeleton
/// ("Noor", "Nair", "Nora") are no candidates on that account; paired out, the block of a
/// common skeleton added a quarter of a million pairs to 103k records when 19 Arabic names
/// joined them. All such pairs when at most `max_block² / 2`, else those of the name-order
/// window.
fn skeleton_pairs(
    members: &[u32],
    arabic: &[bool],
    cfg: &BlockConfig,
    by_name: &dyn Fn(&[u32]) -> Vec<u32>,
    out: &mut Vec<(u32, u32)>,
) {
    let is_arabic = |i: u32| arabic.get(i as usize).copied().unwrap_or(false);
    let (ar, la): (Vec<u32>, Vec<u32>) = members.iter().partition(|&&i| is_arabic(i));
    if ar.len() * la.len() <= cfg.max_block * cfg.max_block / 2 {
        for &a in &ar {
            for &b in &la {
                out.push((a.min(b), a.max(b)));
            }
        }
    } else {
        let mut window = Vec::new();
        push_window(&by_name(members), &mut window);
        out.extend(
            window
                .into_iter()
                .filter(|&(a, b)| is_arabic(a) != is_arabic(b)),
        );
    }
}

/// Longest name whose runs of words are read for initials (see [`initials_pairs`]).
const INITIALS_MAX_WORDS: usize = 8;

/// Calls `f(initials, words)` for each run of consecutive words of a name, of a length in
/// [`super::normalize::ACRONYM_LEN`], when the name has at most [`INITIALS_MAX_WORDS`] words.
pub(crate) fn initial_runs(v: &Vocab, tokens: &[u32], mut f: impl FnMut(&[u8], &[u32])) {
    if tokens.len() > INITIALS_MAX_WORDS {
        return;
    }
    let firsts: Vec<u8> = tokens.iter().map(|&t| v.shape[t as usize].first).collect();
    for len in super::normalize::ACRONYM_LEN {
        for (j, run) in firsts.windows(len).enumerate() {
            f(run, &tokens[j..j + len]);
        }
    }
}

/// Pairs a record whose name has a word written as an acronym ([`Vocab::is_acronym`]: "IBM
/// Corp") with each record of its class that has a run of consecutive name words with those
/// initials ("International Business Machines Corporation"); the two share no word, so no
/// other key meets them. Only acronyms and runs pair, never two runs of like initials ("Global
/// Trading Services" / "Golden Tech Systems"). An acronym that more than `max_block² / 2` pairs
/// would link is too common to say which firm it is, and gives none. Without acronyms in the
/// corpus, nothing to do.
///
/// # Complexity
/// O(n · w) for the runs of the n records' names of at most [`INITIALS_MAX_WORDS`] words, plus
/// the pairs.
fn initials_pairs(c: &Corpus, cfg: &BlockConfig) -> Vec<(u32, u32)> {
    use std::collections::HashMap;
    if !c.names.has_acronyms {
        return Vec::new();
    }
    let v = &c.names;
    // each acronym: the records that write it, and those with a run of its initials
    let mut sides: HashMap<&[u8], (Vec<u32>, Vec<u32>)> = (0..v.strings.len() as u32)
        .filter(|&t| v.is_acronym(t))
        .map(|t| (v.strings[t as usize].as_bytes(), Default::default()))
        .collect();
    for (i, r) in c.records.iter().enumerate() {
        let i = i as u32;
        for name in &r.names {
            for &t in &name.tokens {
                if v.is_acronym(t) {
                    let side = sides.get_mut(v.strings[t as usize].as_bytes());
                    side.expect("every acronym has an entry").0.push(i);
                }
            }
            initial_runs(v, &name.tokens, |run, _| {
                if let Some(side) = sides.get_mut(run) {
                    side.1.push(i);
                }
            });
        }
    }
    let mut out = Vec::new();
    for (mut acronym, mut initials) in sides.into_values() {
        acronym.dedup();
        initials.dedup();
        if acronym.len() * initials.len() > cfg.max_block * cfg.max_block / 2 {
            continue;
        }
        for &a in &acronym {
            for &b in &initials {
                if a != b && c.records[a as usize].class == c.records[b as usize].class {
                    out.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    out
}

/// The orders of the sorted-neighbourhood passes (see [`sorted_passes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The primary name's words as written: neighbours share a beginning ("Pacific Log" /
    /// "Pacific Logistics"), so truncations meet even when every key block is too large.
    Name,
    /// The primary name's words in their blocking spelling ([`canonical_words`]), rarest
    /// first: neighbours share their most specific word, so "Shenzhen Hong Sheng Systems" meets
    /// "Hong Sheng Systems (Shenzhen)" and "Kinllink Logistics" meets "Kinlink Logistics".
    RarestFirst,
    /// The primary name's letters without spaces: "Lex Way Express" meets "Lexway Express".
    Compact,
}

/// A sort key of the sorted neighbourhood: the primary name's words in `order`, then the
/// country, then the legal form, so that namesakes in different countries, or of different
/// forms in one country ("Silverline Electronics Co., Ltd." and "Silverline Electronics JSC"),
/// do not interleave with each other's records and push them out of the window.
fn sort_key(c: &Corpus, r: &Prepared, order: Order) -> SortKey {
    let name = r.names.first().map_or_else(String::new, |n| {
        let mut words: Vec<u32> = n.tokens.clone();
        if order == Order::RarestFirst {
            for t in &mut words {
                *t = blocking_word(c, *t);
            }
            words.sort_by_key(|&t| (c.names.df[t as usize], t));
        }
        let sep = if order == Order::Compact { "" } else { " " };
        words
            .iter()
            .map(|&t| c.names.strings[t as usize].as_str())
            .collect::<Vec<_>>()
            .join(sep)
    });
    (
        name,
        r.country.unwrap_or([0, 0]),
        r.legal.map_or("", |l| l.0),
    )
}

/// See [`sort_key`].
type SortKey = (String, [u8; 2], &'static str);

/// Pairs each record with the next [`WINDOW`] records of its class in each [`Order`] over the
/// whole corpus (multi-pass sorted neighbourhood). Key blocks miss pairs whose shared words
/// are all common (their blocks are windowed among thousands of other names, or dropped);
/// these passes bound that loss at a cost of `3 · WINDOW` pairs per record.
pub fn sorted_passes(c: &Corpus) -> Passes {
    let mut out = Vec::new();
    let mut name_rank = vec![0u32; c.records.len()];
    for order in [Order::Name, Order::RarestFirst, Order::Compact] {
        let mut keyed: Vec<(super::prepare::Class, SortKey, u32)> = c
            .records
            .par_iter()
            .enumerate()
            .map(|(i, r)| (r.class, sort_key(c, r, order), i as u32))
            .collect();
        keyed.par_sort_unstable();
        if order == Order::Name {
            for (i, k) in keyed.iter().enumerate() {
                name_rank[k.2 as usize] = i as u32;
            }
        }
        for class in keyed.chunk_by(|a, b| a.0 == b.0) {
            let ids: Vec<u32> = class.iter().map(|k| k.2).collect();
            push_window(&ids, &mut out);
        }
    }
    Passes {
        pairs: out,
        name_rank,
    }
}

/// What the sorted passes found (see [`sorted_passes`]).
pub struct Passes {
    /// The window pairs of every pass (not de-duplicated).
    pub pairs: Vec<(u32, u32)>,
    /// Each record's place in the name-order pass: sorting any set of records of one class by
    /// it sorts them by [`sort_key`] in [`Order::Name`], without building the keys again.
    pub name_rank: Vec<u32>,
}

/// The recall pairs of a windowed block (see the module docs): each member without a country
/// meets the block's members of its legal form, when at most `max_block` members have that
/// form. The mention "Argogate FZE" meets "Argogate Logistics FZE" (AE) but not the block's
/// thirty "Argogate … Co., Ltd." records. A member without a legal form is left to the keys and
/// the window: with neither a country nor a form, a name that forty firms share cannot be placed
/// by blocking.
///
/// Cells of one country and one legal form (all pairs when at most 25) were measured too, at
/// 1.03M records: they reached 0.0018 more of the true pairs for 1.55M more pairs and left F1
/// where it was, and the run took 59–61 s against the 60 s budget. Not kept.
///
/// # Complexity
/// O(m log m) to sort the m members, plus at most `max_block` pairs per member without a
/// country.
fn cell_pairs(cell_of: &[u64], members: &[u32], max_block: usize, out: &mut Vec<(u32, u32)>) {
    let mut cells: Vec<(u64, u32)> = members
        .iter()
        .map(|&i| (cell_of[i as usize], i))
        .filter(|x| x.0 != 0)
        .collect();
    cells.sort_unstable();
    for form in cells.chunk_by(|x, y| x.0 >> 16 == y.0 >> 16) {
        let stateless = form.iter().take_while(|x| x.0 & 0xFFFF == 0).count();
        if stateless > 0 && form.len() <= max_block {
            for (i, x) in form[..stateless].iter().enumerate() {
                for y in &form[i + 1..] {
                    out.push((x.1.min(y.1), x.1.max(y.1)));
                }
            }
        }
    }
}

/// Each record's cell (see [`cell_pairs`]): its legal form's hash in the upper 48 bits and its
/// country in the lower 16 (zero without one), so that sorting puts a form's records without a
/// country first; 0 for a record without a legal form.
fn cell_of(r: &Prepared) -> u64 {
    r.legal.map_or(0, |l| {
        let [a, b] = r.country.unwrap_or([0, 0]);
        (h64(l.0) | 1 << 16) << 16 | u64::from(a) << 8 | u64::from(b)
    })
}

/// Whether the block of key `k` pairs its records by a rule of its own rather than all pairs
/// when small: typo keys (windowed from [`TYPO_MAX_BLOCK`] records, and only among several
/// spellings) and Arabic skeletons (Arabic-script names with Latin ones only).
fn pairs_by_own_rule(k: u64) -> bool {
    matches!(k >> 60, 4 | 12)
}

/// How blocking treats one pair of records (see [`pairing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairing {
    /// The two are a candidate pair: `resolve` compares them.
    pub candidate: bool,
    /// They share a key (which alone does not make a candidate pair in a windowed block).
    pub shared_key: bool,
    /// A recall pair: compared and scored, not learnt from.
    pub recall: bool,
}

/// How blocking treats records `a` and `b` (indexes into `c.records`), as [`candidates`] would.
/// A shared key whose block is small enough to pair out settles it from one scan of every
/// record's keys; otherwise the candidates are generated again (at a million records, twice
/// the time of the scan).
pub fn pairing(c: &Corpus, cfg: &BlockConfig, a: usize, b: usize) -> Pairing {
    let (mut ka, mut kb) = (Vec::new(), Vec::new());
    keys(c, &c.records[a], &mut ka);
    keys(c, &c.records[b], &mut kb);
    let shared: Vec<u64> = ka.into_iter().filter(|k| kb.contains(k)).collect();
    let plain: Vec<u64> = (shared.iter().copied())
        .filter(|&k| !pairs_by_own_rule(k))
        .collect();
    let small_block = !plain.is_empty() && {
        let members = (c.records.par_iter())
            .map_init(Vec::new, |buf, r| {
                buf.clear();
                keys(c, r, buf);
                plain
                    .iter()
                    .map(|k| usize::from(buf.contains(k)))
                    .collect::<Vec<_>>()
            })
            .reduce(
                || vec![0; plain.len()],
                |x, y| x.iter().zip(&y).map(|(p, q)| p + q).collect(),
            );
        members.iter().any(|&m| m <= cfg.max_block)
    };
    let shared_key = !shared.is_empty();
    if small_block {
        return Pairing {
            candidate: true,
            shared_key,
            recall: false,
        };
    }
    let (cand, _) = candidates(c, cfg);
    let pair = (a.min(b) as u32, a.max(b) as u32);
    let found = cand.pairs.binary_search(&pair).ok();
    Pairing {
        candidate: found.is_some(),
        shared_key,
        recall: found.is_some_and(|i| !cand.learn[i]),
    }
}

/// The candidate pairs of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// Sorted, de-duplicated pairs of record indexes (into `corpus.records`, `a < b`).
    pub pairs: Vec<(u32, u32)>,
    /// Per pair: whether the model is learnt from it (the keys, windows and sorted passes found
    /// it), or it is a recall pair of the cells only (see the module docs).
    pub learn: Vec<bool>,
}

/// Generates the candidate pairs.
///
/// # Complexity
/// O(k·n log(k·n)) to sort the k·n keys, plus the pairs emitted: at most
/// `max_block²/2` per small block, and `WINDOW` per member of a large one plus its
/// [`cell_pairs`].
pub fn candidates(c: &Corpus, cfg: &BlockConfig) -> (Candidates, BlockStats) {
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
    stats.windowed_blocks = groups.iter().filter(|(s, e)| cfg.windows(e - s)).count() as u64;
    stats.skipped_blocks = groups
        .iter()
        .filter(|(s, e)| e - s > cfg.skip_block)
        .count() as u64;
    // The word each record's typo keys come from (the rarest of its primary name).
    let typo_word: Vec<u32> = c
        .records
        .par_iter()
        .map(|r| {
            r.names
                .first()
                .and_then(|n| c.names.rarest(&n.tokens, 1).first().copied())
                .unwrap_or(u32::MAX)
        })
        .collect();
    // Records in the order of their names (sorted neighbourhood within a large block).
    let Passes {
        pairs: pass_pairs,
        name_rank,
    } = sorted_passes(c);
    let by_name = |members: &[u32]| -> Vec<u32> {
        let mut sorted = members.to_vec();
        sorted.sort_unstable_by_key(|&i| name_rank[i as usize]);
        sorted
    };
    // records named in Arabic script (see `skeleton_keys`); empty without any
    let arabic: Vec<bool> = if c.names.skeleton.is_empty() {
        Vec::new()
    } else {
        (c.records.par_iter())
            .map(|r| c.names.names_in_arabic(&r.names))
            .collect()
    };
    let mut pairs: Vec<(u32, u32)> = groups
        .par_iter()
        .flat_map_iter(|&(s, e)| {
            let members: Vec<u32> = entries[s..e].iter().map(|x| x.1).collect();
            let mut out = Vec::new();
            let m = members.len();
            let typo = (entries[s].0 >> 60) == 4;
            if (entries[s].0 >> 60) == 12 {
                skeleton_pairs(&members, &arabic, cfg, &by_name, &mut out);
                return out;
            }
            let spellings = || {
                let mut w: Vec<u32> = members.iter().map(|&i| typo_word[i as usize]).collect();
                w.sort_unstable();
                w.dedup();
                w.len()
            };
            if typo && m > TYPO_MAX_BLOCK {
                // see TYPO_MAX_BLOCK
                if (2..=TYPO_MAX_WORDS).contains(&spellings()) {
                    push_window(&by_name(&members), &mut out);
                }
            } else if m <= cfg.max_block {
                for i in 0..m {
                    for j in i + 1..m {
                        out.push((members[i], members[j]));
                    }
                }
            } else if cfg.windows(m) {
                push_window(&by_name(&members), &mut out);
            }
            out
        })
        .collect();
    pairs.extend(pass_pairs);
    pairs.extend(initials_pairs(c, cfg));
    pairs.par_sort_unstable();
    pairs.dedup();
    // the recall pairs of the windowed blocks other than typo and skeleton keys' (see the
    // module docs)
    let cell_of: Vec<u64> = c.records.par_iter().map(cell_of).collect();
    let mut cells: Vec<(u32, u32)> = groups
        .par_iter()
        .filter(|&&(s, e)| !pairs_by_own_rule(entries[s].0) && cfg.windows(e - s))
        .flat_map_iter(|&(s, e)| {
            let members: Vec<u32> = entries[s..e].iter().map(|x| x.1).collect();
            let mut out = Vec::new();
            cell_pairs(&cell_of, &members, cfg.max_block, &mut out);
            out
        })
        .collect();
    drop(entries);
    cells.par_sort_unstable();
    cells.dedup();
    let cand = merge_recall(pairs, &cells);
    stats.candidate_pairs = cand.pairs.len() as u64;
    stats.recall_pairs = cand.learn.iter().filter(|&&l| !l).count() as u64;
    (cand, stats)
}

/// Merges the sorted, de-duplicated pairs found by the keys (learnt from) with the sorted,
/// de-duplicated recall pairs (those the keys also found stay learnt from).
fn merge_recall(keyed: Vec<(u32, u32)>, recall: &[(u32, u32)]) -> Candidates {
    let mut out = Candidates {
        pairs: Vec::with_capacity(keyed.len() + recall.len()),
        learn: Vec::with_capacity(keyed.len() + recall.len()),
    };
    let mut r = recall.iter().peekable();
    for p in keyed {
        while let Some(&&q) = r.peek() {
            if q > p {
                break;
            }
            r.next();
            if q < p {
                out.pairs.push(q);
                out.learn.push(false);
            }
        }
        out.pairs.push(p);
        out.learn.push(true);
    }
    for &q in r {
        out.pairs.push(q);
        out.learn.push(false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::prepare::tests::raw;
    use crate::resolve::prepare::{RawRecord, prepare};

    #[test]
    fn pairing_answers_as_the_candidates_do() {
        // small blocks (settled from a shared key) and windowed ones (settled by blocking)
        let mut raws = vec![
            raw(1, "company", "Apex Tech Pte Ltd"),
            raw(2, "company", "APEX TECHNOLOGY PTE. LIMITED"),
            raw(3, "company", "Apexx Tech Pte Ltd"),
            raw(4, "person", "Apex Tech"),
            raw(5, "company", "Zenith Marine"),
        ];
        for i in 0..12 {
            raws.push(raw(10 + i, "company", &format!("Apex Holdings {i} Ltd")));
        }
        let c = prepare(&raws);
        let cfg = BlockConfig {
            max_block: 4,
            skip_block: 10_000,
        };
        let (cand, _) = candidates(&c, &cfg);
        let n = c.records.len();
        for a in 0..n {
            for b in a + 1..n {
                let p = pairing(&c, &cfg, a, b);
                let i = cand.pairs.binary_search(&(a as u32, b as u32)).ok();
                assert_eq!(p.candidate, i.is_some(), "{a} {b}");
                assert_eq!(p.recall, i.is_some_and(|i| !cand.learn[i]), "{a} {b}");
            }
        }
    }

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
            raw(8, "company", "Infotech Ltd"),
            raw(9, "company", "Info Tech Ltd"),
            // names that sort between the two, so that no window pairs them
            raw(10, "company", "Infosys Ltd"),
            raw(11, "company", "Infoserve Ltd"),
            raw(12, "company", "Infopulse Ltd"),
            raw(13, "company", "Infoscan Ltd"),
            raw(14, "company", "Infosat Ltd"),
            raw(15, "company", "Inforum Ltd"),
        ];
        let c = prepare(&raws);
        let cfg = BlockConfig {
            max_block: 100,
            skip_block: 10_000,
        };
        let (Candidates { pairs, .. }, stats) = candidates(&c, &cfg);
        assert!(pairs.contains(&(7, 8)), "compact key of the halves");
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
    fn joined_and_separate_syllables_share_a_key() {
        let mut raws = vec![
            raw(1, "company", "上海金天服务有限公司"),
            raw(2, "company", "Jin Tian Services Co., Ltd"),
            raw(3, "company", "Greatwall Components"),
            raw(4, "company", "Great Wall Components Limited"),
            raw(5, "company", "Pacific Services"),
        ];
        // The place is a common word, as in any real corpus.
        for i in 6..12 {
            raws.push(raw(i, "company", &format!("Shanghai Trading {i}")));
        }
        let c = prepare(&raws);
        let ks = |i: usize| {
            let mut v = Vec::new();
            keys(&c, &c.records[i], &mut v);
            v.into_iter()
                .filter(|k| k >> 60 == 10)
                .collect::<std::collections::HashSet<u64>>()
        };
        assert!(!ks(0).is_disjoint(&ks(1)), "jintian / jin tian");
        assert!(!ks(2).is_disjoint(&ks(3)), "greatwall / great wall");
        assert!(ks(4).is_disjoint(&ks(1)));
    }

    #[test]
    fn a_misspelling_of_a_word_with_many_records_is_windowed_not_dropped() {
        // 30 mentions of "Quantuus", 3 of "Quantus" (one deletion apart: their typo block holds
        // 33 records, over TYPO_MAX_BLOCK); "Quantum" is more frequent, so "quantus" blocks as
        // "quantum" by its rare word, and the 20 "Quantut…" names sit between the two
        // spellings in every sorted order (and, with `max_block` 40, in the windowed block of
        // the compact prefix "quantu" that all 53 share).
        let mut raws: Vec<RawRecord> = (0..30)
            .map(|i| raw(i, "company", "Quantuus Pte Ltd"))
            .collect();
        for i in 30..33 {
            raws.push(raw(i, "company", "Quantus Pte Ltd"));
        }
        for i in 33..80 {
            raws.push(raw(i, "company", &format!("Quantum Works {i} Pte Ltd")));
        }
        for i in 80..100 {
            raws.push(raw(i, "company", &format!("Quantut{i} Pte Ltd")));
        }
        let c = prepare(&raws);
        let (Candidates { pairs, .. }, _) = candidates(
            &c,
            &BlockConfig {
                max_block: 40,
                skip_block: 5000,
            },
        );
        assert!(
            pairs.iter().any(|&(a, b)| a < 30 && (30..33).contains(&b)),
            "the two spellings meet"
        );
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
        let (Candidates { pairs, .. }, stats) = candidates(&c, &cfg);
        assert!(stats.windowed_blocks >= 1);
        assert!(pairs.len() < 300 * 299 / 2 / 4);
    }

    #[test]
    fn a_countryless_mention_meets_its_legal_form_in_a_windowed_block() {
        // sixty "Argogate K.. Co Ltd" firms sort between the mention "Argogate FZE" and the
        // firm "Argogate Logistics FZE" in every order, so neither the block's window nor the
        // sorted passes pair them; the cell of the form FZE does
        let mut raws: Vec<RawRecord> = (0..60)
            .map(|i| {
                let mut r = raw(i, "company", &format!("Argogate K{i:02} Co Ltd"));
                r.country = Some("HK".into());
                r
            })
            .collect();
        let mut firm = raw(60, "company", "Argogate Logistics FZE");
        firm.country = Some("AE".into());
        raws.push(firm);
        raws.push(raw(61, "company", "Argogate FZE"));
        let c = prepare(&raws);
        let cfg = BlockConfig {
            max_block: 20,
            skip_block: 1000,
        };
        let (cand, stats) = candidates(&c, &cfg);
        assert!(stats.windowed_blocks >= 1);
        let at = |p: (u32, u32)| cand.pairs.binary_search(&p).ok();
        let i = at((60, 61)).expect("the mention meets the firm of its legal form");
        assert!(!cand.learn[i], "a recall pair: scored, not learnt from");
        assert_eq!(stats.recall_pairs, 1, "not the firms of another form");
        assert!(cand.pairs.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(cand.pairs.len(), cand.learn.len());
        // a pair that a key finds stays learnt from
        let j = at((0, 1)).expect("window pair");
        assert!(cand.learn[j]);
    }

    #[test]
    fn recall_pairs_merge_in_order_and_keyed_pairs_stay_learnt() {
        let keyed = vec![(0, 1), (0, 3), (2, 3)];
        let recall = [(0, 2), (0, 3), (4, 5)];
        let c = merge_recall(keyed, &recall);
        assert_eq!(c.pairs, vec![(0, 1), (0, 2), (0, 3), (2, 3), (4, 5)]);
        assert_eq!(c.learn, vec![true, false, true, true, false]);
    }

    #[test]
    fn typos_block_as_the_common_spelling() {
        let mut raws: Vec<RawRecord> = (0..5)
            .map(|i| raw(i, "company", "Kinlink Logistics Pte Ltd"))
            .collect();
        raws.push(raw(5, "company", "Kinllink Logistics"));
        raws.push(raw(6, "company", "Kinlnik Logistics"));
        raws.push(raw(7, "company", "Zenith Marine"));
        let c = prepare(&raws);
        let id = |w: &str| c.names.get(w).unwrap();
        assert_eq!(c.canonical[id("kinllink") as usize], id("kinlink"));
        assert_eq!(c.canonical[id("kinlnik") as usize], id("kinlink"));
        assert_eq!(c.canonical[id("kinlink") as usize], id("kinlink"));
        assert_eq!(c.canonical[id("zenith") as usize], id("zenith"));
    }

    #[test]
    fn typo_chains_block_as_their_most_common_end() {
        // "jaldane" is one edit from "jadlane", which is one edit from the commoner "jadline";
        // "jaldane" and "jadline" are two edits apart
        let mut raws: Vec<RawRecord> = (0..6)
            .map(|i| raw(i, "company", "Jadline Trading Ltd"))
            .collect();
        raws.extend((6..9).map(|i| raw(i, "company", "Jadlane Trading Co Ltd")));
        raws.push(raw(9, "company", "Jaldane Trading Co Ltd"));
        let c = prepare(&raws);
        let id = |w: &str| c.names.get(w).unwrap();
        for w in ["jaldane", "jadlane", "jadline"] {
            assert_eq!(c.canonical[id(w) as usize], id("jadline"), "{w}");
        }
    }

    #[test]
    fn windows_keep_a_country_s_legal_forms_apart() {
        // forty records of one name and country: twenty of one firm (JSC) and twenty of another
        // (Co., Ltd.), interleaved in input order; each firm's records sort as one run, so the
        // windows cross between the firms only where the runs meet
        let raws: Vec<RawRecord> = (0..40)
            .map(|i| {
                let form = if i % 2 == 0 { "JSC" } else { "Co., Ltd." };
                let mut r = raw(i, "company", &format!("Silverline Electronics {form}"));
                r.country = Some("VN".into());
                r
            })
            .collect();
        let c = prepare(&raws);
        let pairs = sorted_passes(&c).pairs;
        let mut uf = crate::resolve::cluster::UnionFind::new(40);
        for &(a, b) in &pairs {
            if a % 2 == b % 2 {
                uf.union(a, b);
            }
        }
        assert_eq!(uf.find(1), uf.find(39));
        let mut across: Vec<(u32, u32)> =
            pairs.into_iter().filter(|&(a, b)| a % 2 != b % 2).collect();
        across.sort_unstable();
        across.dedup();
        assert!(across.len() <= WINDOW * (WINDOW + 1) / 2, "{across:?}");
    }

    #[test]
    fn acronyms_meet_the_names_they_are_the_initials_of() {
        let names = [
            "IBM Corp",
            "International Business Machines Corporation",
            "Global Trading Services Ltd",
            "Golden Tech Systems Ltd",
            "GTS Ltd",
            "IBM Global Services Inc",
            "SUN TRADING LTD",
            "Star United Networks Trading Ltd",
        ];
        let raws: Vec<RawRecord> = (0..names.len())
            .map(|i| raw(i as i64 + 1, "company", names[i]))
            .collect();
        let c = prepare(&raws);
        let cfg = BlockConfig {
            max_block: 100,
            skip_block: 5000,
        };
        let mut pairs = initials_pairs(&c, &cfg);
        pairs.sort_unstable();
        // IBM meets its one expansion; GTS begins two names and meets neither, and two runs of
        // like initials never meet each other; a name in capitals has no acronym
        assert_eq!(pairs, vec![(0, 1), (1, 5)]);
    }

    #[test]
    fn skeleton_blocks_pair_arabic_names_with_latin_ones_only() {
        // records 0 and 3 are named in Arabic script, 1, 2 and 4 in Latin letters
        let arabic = [true, false, false, true, false];
        let cfg = BlockConfig {
            max_block: 100,
            skip_block: 5000,
        };
        let by_name = |m: &[u32]| m.to_vec();
        let mut out = Vec::new();
        skeleton_pairs(&[0, 1, 2, 3, 4], &arabic, &cfg, &by_name, &mut out);
        out.sort_unstable();
        assert_eq!(out, vec![(0, 1), (0, 2), (0, 4), (1, 3), (2, 3), (3, 4)]);
        // a block too large to pair out keeps the window's pairs across the scripts
        let cfg = BlockConfig {
            max_block: 2,
            skip_block: 5000,
        };
        let mut out = Vec::new();
        skeleton_pairs(&[0, 1, 2, 3, 4], &arabic, &cfg, &by_name, &mut out);
        assert!(!out.is_empty());
        assert!(
            out.iter()
                .all(|&(a, b)| arabic[a as usize] != arabic[b as usize])
        );
    }

    #[test]
    fn sorted_passes_reach_past_crowded_blocks() {
        // every word is in hundreds of names, so every key block is windowed or dropped; the
        // split spelling still meets the joined one in compact-letter order
        let mut raws: Vec<RawRecord> = (0..400)
            .map(|i| raw(i, "company", &format!("Star Trading {i}")))
            .collect();
        raws.push(raw(400, "company", "Starent Trading"));
        raws.push(raw(401, "company", "Star Ent Trading"));
        let c = prepare(&raws);
        let pairs = sorted_passes(&c).pairs;
        assert!(pairs.contains(&(400, 401)));
        assert!(pairs.iter().all(|&(a, b)| a < b));
    }
}
