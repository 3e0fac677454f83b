//! Comparison: a candidate pair becomes a vector of feature levels, and a Fellegi–Sunter model
//! turns the levels into a match weight with one readable contribution per feature.
//!
//! Input: two [`Prepared`] records and the [`Corpus`] statistics. Output: a [`Pattern`] (one
//! level per feature, packed in a `u64`) and, through a [`Model`], per-feature contributions
//! `log2(m / u)` in bits and the match weight = prior log-odds + Σ contributions. A missing value
//! on either side contributes nothing.
//!
//! The model's `m` (P(level | match)) and `u` (P(level | non-match)) and the share of matches
//! λ are estimated from the candidate pairs themselves — those the blocking keys find, not the
//! recall pairs (see [`super::block`]) — with expectation–maximisation (no labels needed), starting from documented weakly-informative priors that also act as
//! [`PRIOR_STRENGTH`] pseudo-pairs, so tiny data sets and empty levels give finite, sensible
//! weights. Organisations and people have a model each. A few parameters are held as anchors
//! that tell EM which latent class is "the same party": the share of matches whose names are
//! different or weak, and for people also whose dates of birth differ or agree only in the year
//! (see [`ORGANISATION_ANCHORS`], [`PERSON_ANCHORS`]); everything else is learnt. With labels
//! (`resolve --labels`), m and u are counted from them instead ([`Models::from_labels`]). EM
//! runs on the counts of distinct patterns (a few thousand), so it costs milliseconds whatever
//! the number of pairs; counts are integers, so the result is the same for any thread count.
//!
//! Every threshold below has its reason beside it.

use serde::{Deserialize, Serialize};

use super::prepare::{Class, Corpus, Prepared, Shape, Vocab};

/// Feature names, in pattern order.
pub const FEATURES: [&str; 12] = [
    "name",
    "legal_form",
    "country",
    "city",
    "address",
    "postcode",
    "phone",
    "email",
    "domain",
    "registration_id",
    "dob",
    "nationality",
];

/// Number of features.
pub const NF: usize = FEATURES.len();

/// Level names of each feature, lowest (most against a match) first.
pub const LEVELS: [&[&str]; NF] = [
    &[
        "different",
        "weak",
        "fair",
        "fair-rare",
        "strong",
        "strong-rare",
        "exact",
        "exact-rare",
    ],
    &["incompatible", "compatible", "same"],
    &["different", "same"],
    &["different", "similar", "same"],
    &["different", "crowded", "some", "similar", "same"],
    &["different", "same"],
    &["different", "shared"],
    &["different", "shared"],
    &["different", "shared"],
    &["different", "same"],
    &["different", "same year", "same"],
    &["disjoint", "shared"],
];

/// The level value meaning "missing on one side": no evidence either way.
pub const MISSING: u8 = 15;

/// One level (4 bits) per feature, feature 0 in the lowest bits.
pub type Pattern = u64;

/// Reads the level of feature `f`.
pub fn level(p: Pattern, f: usize) -> u8 {
    ((p >> (4 * f)) & 0xF) as u8
}

fn pack(levels: &[u8; NF]) -> Pattern {
    levels
        .iter()
        .enumerate()
        .fold(0, |acc, (f, &l)| acc | (u64::from(l) << (4 * f)))
}

/// Minimum Jaro–Winkler for two different words to count as spellings of one word, and only for
/// words of at least [`FUZZY_MIN_LEN`] letters. At 0.9 a one-letter slip in a word of six or
/// more letters passes ("tecnology"/"technology" 0.97), while words that only share a prefix
/// mostly fail. Jaro–Winkler cannot reach 0.9 for a wrong letter in a word of four ("lara" /
/// "lard" 0.88) or early in a word of five ("smyth" / "smith" 0.89), so two words one typing
/// slip apart (one letter wrong, dropped, added, or two swapped: optimal string alignment
/// distance 1) count too, with their Jaro–Winkler similarity as credit. Measured: pairwise F1
/// 0.9513 → 0.9534 on 540k generated records, 0.9818 → 0.9831 on Febrl's 5,000 people.
pub const FUZZY_WORD: f64 = 0.9;
/// Shorter words must match exactly: in three-letter words one letter is a third of the word.
pub const FUZZY_MIN_LEN: usize = 4;
/// Longer words must match exactly too: Jaro–Winkler and the edit distance cost the product of
/// the two lengths, and no word of a name is this long (a field of thousands of letters without
/// a space is not a name to spell-check).
pub const FUZZY_MAX_LEN: usize = 64;

/// Similarity of two words: 1 for the same word, [`ABBREVIATION`] when one abbreviates the
/// other, else the Jaro–Winkler similarity when at least [`FUZZY_WORD`] or when the words are one
/// slip apart, or [`ROMANIZED`] for two romanizations of one syllable string; 0 otherwise. Symmetric. Reads the words' letters
/// only when their [`Shape`]s leave a match possible.
fn word_sim(v: &Vocab, a: u32, b: u32) -> f32 {
    if a == b {
        return 1.0;
    }
    if !v.article_stem.is_empty()
        && (v.article_stem[a as usize] == b || v.article_stem[b as usize] == a)
    {
        // "alnoor" / "noor": the article glued on (see `prepare::glued_articles`)
        return 1.0;
    }
    if !v.skeleton.is_empty() && arabic_spelling(v, a, b) {
        return ROMANIZED;
    }
    let (x, y) = (v.shape[a as usize], v.shape[b as usize]);
    let (short, long) = if x.len < y.len { (x, y) } else { (y, x) };
    // what `abbreviates` needs of the shorter word, and that its bytes all occur in the longer
    if short.len < long.len
        && short.len as usize >= ABBREVIATION_MIN_LEN
        && short.first == long.first
        && !short.first.is_ascii_digit()
        && short.mask & !long.mask == 0
    {
        let (sa, sb) = (
            v.strings[a as usize].as_bytes(),
            v.strings[b as usize].as_bytes(),
        );
        if abbreviates(sa, sb) || abbreviates(sb, sa) {
            return ABBREVIATION;
        }
    }
    if (short.len as usize) < FUZZY_MIN_LEN || x.first.is_ascii_digit() || y.first.is_ascii_digit()
    {
        return 0.0;
    }
    let romanized = match v.romanized.get(a as usize) {
        Some(&k) if k != 0 && v.romanized.get(b as usize) == Some(&k) => ROMANIZED,
        _ => 0.0,
    };
    if long.len as usize > FUZZY_MAX_LEN || !may_share_enough(x, y) {
        return romanized;
    }
    let (sa, sb) = (&v.strings[a as usize], &v.strings[b as usize]);
    if !may_reach_fuzzy(sa.as_bytes(), sb.as_bytes()) {
        return romanized;
    }
    let jw = strsim::jaro_winkler(sa, sb);
    if (jw >= FUZZY_WORD || strsim::osa_distance(sa, sb) == 1) && !opposites(sa, sb) {
        (jw as f32).max(romanized)
    } else {
        romanized
    }
}

/// Words a letter or two apart that name opposites, so never spellings of each other:
/// "Eastern Star" and "Western Star" (Jaro–Winkler 0.905), "Northeast" / "Northwest", "Micro"
/// / "Macro" (one letter) are different firms' names.
const OPPOSITES: &[&str] = &[
    "east",
    "west",
    "eastern",
    "western",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "micro",
    "macro",
];

/// Whether two different words are both in [`OPPOSITES`].
fn opposites(a: &str, b: &str) -> bool {
    a != b && OPPOSITES.contains(&a) && OPPOSITES.contains(&b)
}

/// Whether one of two words is the reading of an Arabic-script word and the other a Latin
/// spelling of it: the same consonant skeleton, and vowels that agree (see
/// [`super::arabic::vowels_agree`]).
fn arabic_spelling(v: &Vocab, a: u32, b: u32) -> bool {
    let (x, y) = (v.skeleton[a as usize], v.skeleton[b as usize]);
    if x ^ y != 1 || x <= 1 || y <= 1 {
        return false;
    }
    let (reading, latin) = if x & 1 == 1 { (a, b) } else { (b, a) };
    super::arabic::vowels_agree(&v.strings[reading as usize], &v.strings[latin as usize])
}

/// Credit of two words that are romanizations of one syllable string (see
/// [`super::cjk::romanized_key`]): as much as a misspelling at the fuzzy threshold, since the
/// folding is about as loose as one slip.
pub const ROMANIZED: f32 = 0.9;

/// Credit for a word that abbreviates the other ("trdg"/"trading", "info"/"information",
/// "cmpts"/"components"): as much as a near spelling at the [`FUZZY_WORD`] boundary, so a name
/// whose only difference is an abbreviation is still a `strong` match.
pub const ABBREVIATION: f32 = 0.9;
/// Shortest abbreviation recognised: two letters ("co", "st") are too ambiguous.
pub const ABBREVIATION_MIN_LEN: usize = 3;

/// Whether `short` abbreviates `long`: same first letter, shorter, at least
/// [`ABBREVIATION_MIN_LEN`] letters, and its letters appear in `long` in order (truncation,
/// dropped vowels and contractions all have that shape). Numbers never abbreviate.
pub fn abbreviates(short: &[u8], long: &[u8]) -> bool {
    if short.len() < ABBREVIATION_MIN_LEN
        || short.len() >= long.len()
        || short[0] != long[0]
        || short[0].is_ascii_digit()
    {
        return false;
    }
    let mut it = long.iter();
    short.iter().all(|c| it.any(|x| x == c))
}

/// A cheap necessary condition for Jaro–Winkler ≥ [`FUZZY_WORD`] (0.9): Jaro's matching
/// characters m are at most the common letters c (multiset intersection), so
/// Jaro ≤ (c/|a| + c/|b| + 1)/3, and Winkler's prefix bonus adds at most 0.4 (1 − Jaro); so
/// JW ≥ 0.9 needs Jaro ≥ 5/6, hence c/|a| + c/|b| ≥ 1.5. Two ASCII words of at least four
/// letters one slip apart have c ≥ n − 1 of n letters, so they pass too (names are folded to
/// ASCII wherever a transliteration is known; the bytes of other scripts' letters are counted
/// apart, and a slip there can fail). Skips most word pairs without
/// running Jaro–Winkler.
fn may_reach_fuzzy(a: &[u8], b: &[u8]) -> bool {
    let mut counts = [0u32; 128];
    for &x in a {
        counts[(x & 0x7F) as usize] += 1;
    }
    let mut common = 0usize;
    for &x in b {
        let c = &mut counts[(x & 0x7F) as usize];
        if *c > 0 {
            *c -= 1;
            common += 1;
        }
    }
    let c = common as f64;
    c / a.len() as f64 + c / b.len() as f64 >= 1.5
}

/// [`may_reach_fuzzy`] from the words' shapes: each byte class that one word has and the other
/// lacks leaves at least one of its bytes unmatched, so the common bytes c are at most the
/// length less those classes, on either side. Where this bound fails the exact count fails too
/// (the test is monotone in c).
fn may_share_enough(x: Shape, y: Shape) -> bool {
    let c = (x.len - (x.mask & !y.mask).count_ones()).min(y.len - (y.mask & !x.mask).count_ones());
    let c = f64::from(c);
    c / f64::from(x.len) + c / f64::from(y.len) >= 1.5
}

/// Weighted soft token overlap in [0, 1]: each word of either side is credited with its best
/// match on the other side (1 for the same word, the Jaro–Winkler similarity for a near
/// spelling), weighted by its inverse frequency; the sum over both sides is divided by the total
/// weight of both sides. Symmetric by construction; order of words is irrelevant.
pub fn soft_overlap(v: &Vocab, x: &[u32], y: &[u32]) -> f32 {
    overlap(v, x, y, false).0
}

/// [`soft_overlap`] and, when `info` is set, the information of the agreement in bits: on each
/// side the sum of the agreeing words' [`Vocab::info`] times their credit, and the smaller of
/// the two sides (so the result is symmetric and a word counts only if the other side has it).
fn overlap(v: &Vocab, x: &[u32], y: &[u32], info: bool) -> (f32, f32) {
    if x.is_empty() || y.is_empty() {
        return (0.0, 0.0);
    }
    // Best match of every word on each side, from one pass over the word pairs. Names longer
    // than MAX_WORDS words are compared on their first MAX_WORDS (no real name is that long;
    // the cap keeps the buffers on the stack).
    const MAX_WORDS: usize = 16;
    let (x, y) = (&x[..x.len().min(MAX_WORDS)], &y[..y.len().min(MAX_WORDS)]);
    let (mut bx, mut by) = ([0.0f32; MAX_WORDS], [0.0f32; MAX_WORDS]);
    for (i, &t) in x.iter().enumerate() {
        for (j, &u) in y.iter().enumerate() {
            let s = word_sim(v, t, u);
            bx[i] = bx[i].max(s);
            by[j] = by[j].max(s);
        }
    }
    credit_joined(v, x, y, &mut bx, &mut by);
    credit_joined(v, y, x, &mut by, &mut bx);
    if v.has_acronyms {
        credit_initials(v, x, y, &mut bx, &mut by);
        credit_initials(v, y, x, &mut by, &mut bx);
    }
    let side = |words: &[u32], best: &[f32]| -> (f32, f32, f32) {
        let (mut num, mut den, mut bits) = (0.0, 0.0, 0.0);
        for (k, &t) in words.iter().enumerate() {
            let w = v.weight[t as usize];
            num += w * best[k];
            den += w;
            if info {
                bits += v.info[t as usize] * best[k];
            }
        }
        (num, den, bits)
    };
    let (n1, d1, i1) = side(x, &bx);
    let (n2, d2, i2) = side(y, &by);
    // two-operand sums commute exactly, so the result is symmetric bit for bit
    ((n1 + n2) / (d1 + d2), i1.min(i2))
}

/// Credits a word of `x` that is two consecutive words of `y` written together ("dafu" / "da
/// fu", "neous" / "neo us", and "skytech" / "sky tech", whose halves the vocabulary knows:
/// [`Vocab::joined_halves`]): transliterated trade names are split into syllables by some
/// sources and joined by others. Joined letter for letter, the word and both halves count as
/// agreeing; within one slip ("guangtian" / "gunag tian": same length ± 1, same first and last
/// letter, Jaro–Winkler ≥ [`FUZZY_WORD`], words of at least six letters) they count that
/// similarity, as a misspelt word does.
fn credit_joined(v: &Vocab, x: &[u32], y: &[u32], bx: &mut [f32], by: &mut [f32]) {
    if y.len() < 2 {
        return;
    }
    // no early exit for words already credited: the credits are then the union of what both
    // directions find, the same whichever side is `x` (symmetry)
    let mut joined = String::new();
    for (i, &t) in x.iter().enumerate() {
        let sw = v.shape[t as usize];
        let halves = v.joined_halves.get(t as usize).copied();
        for j in 0..y.len() - 1 {
            // "skytech" / "sky technology": halves found in preparing the vocabulary
            let abbreviated = halves == Some((y[j], y[j + 1]));
            // both tests below need these (name words are never empty): settled from the
            // shapes, most pairs never read the letters
            let (sa, sb) = (v.shape[y[j] as usize], v.shape[y[j + 1] as usize]);
            if !abbreviated
                && ((sa.len + sb.len).abs_diff(sw.len) > 1
                    || sa.first != sw.first
                    || sb.last != sw.last)
            {
                continue;
            }
            let w = v.strings[t as usize].as_str();
            let (a, b) = (
                v.strings[y[j] as usize].as_str(),
                v.strings[y[j + 1] as usize].as_str(),
            );
            let s = if abbreviated
                || (a.len() + b.len() == w.len() && w.starts_with(a) && w.ends_with(b))
            {
                1.0
            } else if w.len() >= 6
                && (a.len() + b.len()).abs_diff(w.len()) <= 1
                && w.as_bytes()[0] == a.as_bytes()[0]
                && w.as_bytes()[w.len() - 1] == b.as_bytes()[b.len() - 1]
            {
                joined.clear();
                joined.push_str(a);
                joined.push_str(b);
                if may_reach_fuzzy(w.as_bytes(), joined.as_bytes()) {
                    let jw = strsim::jaro_winkler(w, &joined);
                    if jw >= FUZZY_WORD { jw as f32 } else { 0.0 }
                } else {
                    0.0
                }
            } else {
                0.0
            };
            if s > 0.0 {
                bx[i] = bx[i].max(s);
                by[j] = by[j].max(s);
                by[j + 1] = by[j + 1].max(s);
                if s >= 1.0 {
                    break;
                }
            }
        }
    }
}

/// Credits a word of `x` written as an acronym ([`Vocab::is_acronym`]) whose letters are the
/// initials of consecutive words of `y` ("IBM" / "International Business Machines"), and those
/// words, fully: the writer marked the word as an acronym (set in capitals or dotted; read from
/// letters alone, "Sun" would be the initials of "Star United Networks"), and the corpus holds
/// no other name with those initials (an ambiguous acronym is unmarked in
/// `prepare::unmark_ambiguous_acronyms`). Credited as an [`ABBREVIATION`], a name that is only
/// an acronym would fall short of `strong` by the rounding of the sum.
fn credit_initials(v: &Vocab, x: &[u32], y: &[u32], bx: &mut [f32], by: &mut [f32]) {
    for (i, &t) in x.iter().enumerate() {
        if !v.is_acronym(t) {
            continue;
        }
        let letters = v.strings[t as usize].as_bytes();
        if letters.len() > y.len() {
            continue;
        }
        for j in 0..=y.len() - letters.len() {
            let run = &y[j..j + letters.len()];
            if run
                .iter()
                .zip(letters)
                .all(|(&w, &l)| v.shape[w as usize].first == l)
            {
                bx[i] = 1.0;
                for s in &mut by[j..j + letters.len()] {
                    *s = 1.0;
                }
            }
        }
    }
}

/// Total information of a spelling's words in bits (see [`Vocab::info`]).
fn name_info(v: &Vocab, x: &[u32]) -> f32 {
    x.iter().map(|&t| v.info[t as usize]).sum()
}

/// How two records' names compare: the best over their spellings (primary name and aliases).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NameAgreement {
    /// Weighted soft overlap in [0, 1] (1 for an exact match).
    pub similarity: f32,
    /// Some pair of spellings is identical: the same words, or the same letters once spaces are
    /// removed ("Hua Wei" / "Huawei").
    pub exact: bool,
    /// Information of the agreeing words in bits (see [`overlap`]); among spelling pairs of equal
    /// similarity, the largest.
    pub info: f32,
}

/// Compares the names of two records (see [`NameAgreement`]).
pub fn name_similarity(c: &Corpus, a: &Prepared, b: &Prepared) -> NameAgreement {
    let organisations = a.class != Class::Person && b.class != Class::Person;
    let mut best = NameAgreement {
        similarity: 0.0,
        exact: false,
        info: 0.0,
    };
    for na in &a.names {
        for nb in &b.names {
            let next = if na.compact == nb.compact {
                NameAgreement {
                    similarity: 1.0,
                    exact: true,
                    info: name_info(&c.names, &na.tokens).min(name_info(&c.names, &nb.tokens)),
                }
            } else {
                let (mut similarity, info) = overlap(&c.names, &na.tokens, &nb.tokens, true);
                if organisations && places_differ(&c.names, &na.tokens, &nb.tokens) {
                    similarity = similarity.min(PLACES_DIFFER);
                }
                NameAgreement {
                    similarity,
                    exact: false,
                    info,
                }
            };
            // the order (exact, similarity, info) does not depend on which side is `a`
            let key = |n: &NameAgreement| (n.exact, n.similarity, n.info);
            if key(&next) > key(&best) {
                best = next;
            }
        }
    }
    best
}

/// Whether two spellings of organisations' names each name a place the other does not:
/// "Shenzhen Haiwei Solutions" / "苏州海维进出口" (Suzhou), "Titan (Thailand)" / "Titan
/// (Vietnam)", "Phoenix Components (Malaysia)" / "Phoenix Components (Singapore)". A Chinese
/// firm's registered name opens with the city it is registered in, and a group names its
/// subsidiaries after their countries, so two places are two firms, however alike the rest.
/// A place on one side only says nothing: sources add and drop it ("Haiwei Solutions" /
/// "Shenzhen Haiwei Solutions"). Codes of one or two letters ("(HK)", "(M)") are not read as
/// places here: which place they stand for is not known.
pub fn places_differ(v: &Vocab, x: &[u32], y: &[u32]) -> bool {
    if v.place.is_empty() {
        return false;
    }
    let place = |t: &u32| v.place.get(*t as usize).copied().unwrap_or(false);
    let only = |x: &[u32], y: &[u32]| x.iter().any(|t| place(t) && !y.contains(t));
    only(x, y) && only(y, x)
}

/// The most similarity two spellings of different places ([`places_differ`]) are credited:
/// just under `fair`, so such names grade `weak` at best and only other evidence (an address, a
/// registration id) can join them.
pub const PLACES_DIFFER: f32 = NAME_LEVELS[1] - 0.001;

/// The name level of an agreement: the similarity grade (different, weak, fair, strong, exact)
/// and, for fair and better, whether the agreeing words are rare enough that the corpus is
/// expected to hold less than one such agreement by chance ([`Vocab::rare_bits`]). A shared
/// exact name like "Global Trading" is weak evidence among a million records; "Quantlane
/// Logistics" is strong evidence; one level scale cannot say both.
pub fn name_level(agreement: &NameAgreement, rare_bits: f32) -> u8 {
    let grade = if agreement.exact {
        4
    } else {
        graded(agreement.similarity, &NAME_LEVELS)
    };
    if grade < 2 {
        grade
    } else {
        2 * grade - 2 + u8::from(agreement.info >= rare_bits)
    }
}

/// The similarity grade of a name level (0 different … 4 exact), without the rarity.
pub fn name_grade(level: u8) -> u8 {
    if level < 2 { level } else { (level + 2) / 2 }
}

/// The name level meaning "exact, rare": the top of the scale.
pub const NAME_EXACT_RARE: u8 = 7;

/// Name levels: `strong` ≥ 0.9 (every word agrees up to a typo, or only a very common word
/// differs), `fair` ≥ 0.75 (the informative words agree), `weak` ≥ 0.5 (about half of the name's
/// information agrees). Below that the names are different.
pub const NAME_LEVELS: [f32; 3] = [0.5, 0.75, 0.9];
/// Address levels: `same` ≥ 0.95, `similar` ≥ 0.75, `some` ≥ 0.4 (a street or building
/// shared, the number or unit not). House and unit numbers only ever match exactly.
pub const ADDRESS_LEVELS: [f32; 3] = [0.4, 0.75, 0.95];
/// An address given by at least this many differently named organisations is crowded (see
/// `prepare::address_crowds`): a registered agent, a serviced office or a mass-registration
/// building. Agreeing on it, however closely, is graded `crowded`, a level of its own whose
/// `m` and `u` EM learns. So is an agreeing address between two organisations whose names share
/// nothing (name level `different`): firms under one roof. Left as `same`, address agreement
/// is nearly never seen among the other non-matching candidates, EM gives it 15–20 bits, and
/// it outweighed the different names of unrelated firms at one address (measured on 103k
/// generated records: with this level, [`numbers_differ`] and spaced-out Chinese addresses,
/// pairwise precision rose from 0.961 to 0.986 at the same recall). A firm's own records
/// count as one or two names (its spellings share their rarest word), so five is well above
/// what one firm gives and at the scale of the smallest agent's client list.
pub const CROWDED_ADDRESS: u32 = 5;
/// City names of at least 0.9 Jaro–Winkler are spellings of one city ("Kuala Lumpur" /
/// "Kualalumpur", "Muenchen"/"Munchen").
pub const CITY_SIM: f64 = 0.9;

fn graded(x: f32, cuts: &[f32; 3]) -> u8 {
    cuts.iter().filter(|&&c| x >= c).count() as u8
}

fn shared<T: PartialEq>(a: &[T], b: &[T]) -> u8 {
    if a.is_empty() || b.is_empty() {
        MISSING
    } else {
        u8::from(a.iter().any(|x| b.contains(x)))
    }
}

/// Which of the two records (0 for `a`, 1 for `b`), having no country of its own, its
/// shipments place in the other's country (see [`Prepared::context_country`]), if either.
pub fn placed_in(a: &Prepared, b: &Prepared) -> Option<usize> {
    let by = |x: &Prepared, y: &Prepared| {
        x.country.is_none() && x.context_country.is_some() && x.context_country == y.country
    };
    if by(a, b) {
        Some(0)
    } else if by(b, a) {
        Some(1)
    } else {
        None
    }
}

fn opt_eq<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> u8 {
    match (a, b) {
        (Some(x), Some(y)) => u8::from(x == y),
        _ => MISSING,
    }
}

/// The address words a pair compares. When both records keep city and postcode in their own
/// fields, only the address lines are compared: the city and postcode features compare the
/// rest, and counting them again in the address would count one agreement twice. When one
/// record writes its address on one line, both are compared completed (see
/// `prepare::full_address`), so "55 Jalan Puchong" + "Kuala Lumpur" + "90962" reads as
/// "55 Jalan Puchong, Kuala Lumpur 90962".
fn compared_addresses<'a>(a: &'a Prepared, b: &'a Prepared) -> (&'a [u32], &'a [u32]) {
    let split = |r: &Prepared| (r.address_line as usize) < r.address.len();
    if split(a) && split(b) {
        (
            &a.address[..a.address_line as usize],
            &b.address[..b.address_line as usize],
        )
    } else {
        (&a.address, &b.address)
    }
}

/// Both addresses carry numbers (house, floor, unit, postcode) and share none of them: the
/// same street or building, a different door. Such a pair is graded `some` at most, whatever
/// its word overlap: on a long street name the numbers are a small share of the words' weight,
/// and neighbours on one street would otherwise read as `similar`.
fn numbers_differ(v: &Vocab, x: &[u32], y: &[u32]) -> bool {
    let numeric = |t: &&u32| v.strings[**t as usize].bytes().all(|b| b.is_ascii_digit());
    x.iter().any(|t| numeric(&t))
        && y.iter().any(|t| numeric(&t))
        && !x.iter().filter(numeric).any(|t| y.contains(t))
}

/// Compares two records into their feature levels.
///
/// # Complexity
/// O(n_a · n_b · w²) for names with n spellings of w words; everything else is O(size of the
/// field).
pub fn compare(c: &Corpus, a: &Prepared, b: &Prepared) -> Pattern {
    let mut l = [MISSING; NF];
    l[0] = name_level(&name_similarity(c, a, b), c.names.rare_bits());
    l[2] = opt_eq(&a.country, &b.country);
    if l[2] == MISSING && placed_in(a, b).is_some() {
        l[2] = 1;
    }
    // Legal forms are chosen by jurisdiction: across two different countries they differ
    // anyway, and counting that disagreement again on top of the country's would count one fact
    // twice. So the legal form is compared only within a country (or when one is unknown).
    l[1] = match (a.legal, b.legal) {
        (Some(x), Some(y)) if l[2] != 0 => x.agreement(y),
        _ => MISSING,
    };
    // A city transliterated from another script agrees when it reads the same ("深圳" /
    // "Shenzhen"); when it does not, that says nothing: "Москва" reads "moskva", not "Moscow".
    l[3] = match (a.city, b.city) {
        (Some(x), Some(y)) if x == y => 2,
        (Some(x), Some(y)) => {
            let jw =
                strsim::jaro_winkler(&c.cities.strings[x as usize], &c.cities.strings[y as usize]);
            if jw >= CITY_SIM {
                1
            } else if a.city_non_latin != b.city_non_latin {
                MISSING
            } else {
                0
            }
        }
        _ => MISSING,
    };
    l[4] = if a.address.is_empty()
        || b.address.is_empty()
        || a.address_non_latin != b.address_non_latin
    {
        MISSING
    } else {
        let (x, y) = compared_addresses(a, b);
        match graded(soft_overlap(&c.addresses, x, y), &ADDRESS_LEVELS) {
            0 => 0,
            g if g >= 2 && numbers_differ(&c.addresses, x, y) => 2,
            g if g >= 2
                && (l[0] == 0 || a.address_crowd.min(b.address_crowd) >= CROWDED_ADDRESS) =>
            {
                1
            }
            g => g + 1,
        }
    };
    l[5] = opt_eq(&a.postcode, &b.postcode);
    l[6] = shared(&a.phones, &b.phones);
    l[7] = shared(&a.emails, &b.emails);
    l[8] = shared(&a.domains, &b.domains);
    l[9] = shared(&a.reg_ids, &b.reg_ids);
    l[10] = match (a.dob, b.dob) {
        (Some((ya, fa)), Some((yb, fb))) => {
            if fa != 0 && fa == fb {
                2
            } else if ya == yb {
                1
            } else {
                0
            }
        }
        _ => MISSING,
    };
    l[11] = shared(&a.nationality, &b.nationality);
    pack(&l) | (u64::from(a.class == Class::Person) << PERSON_BIT)
}

/// Bit of a [`Pattern`] that says the pair is of people, whose model is separate.
pub const PERSON_BIT: u32 = 60;

/// Whether a pattern is of a pair of people.
pub fn is_person(p: Pattern) -> bool {
    p >> PERSON_BIT & 1 == 1
}

/// Share of a name grade's non-matching agreements that the prior puts on its rare level (see
/// [`Model::prior`]).
pub const RARE_SHARE_NONMATCH: f64 = 0.1;

/// A prior row over the five name grades spread over the eight name levels: fair, strong and
/// exact each give `rare` of their mass to their rare level.
fn split_name_row(grades: &[f64; 5], rare: f64) -> Vec<f64> {
    let mut row = vec![grades[0], grades[1]];
    for &g in &grades[2..] {
        row.push(g * (1.0 - rare));
        row.push(g * rare);
    }
    row
}

/// One model for organisations and one for people. They differ where it matters: two
/// unrelated people share an exact name ("William Thompson") far more often than two unrelated
/// companies do, so the same name level is weaker evidence among people and EM learns that
/// from the person pairs alone. Vessels and aircraft use the organisation model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Models {
    pub organisation: Model,
    pub person: Model,
}

impl Models {
    /// Both models at the prior.
    pub fn prior() -> Models {
        Models {
            organisation: Model::prior(),
            person: Model::person_prior(),
        }
    }

    /// Estimates both models from their pairs' pattern counts by EM (see
    /// [`Model::estimate`]), each from its own prior and with its own anchors
    /// ([`ORGANISATION_ANCHORS`], [`PERSON_ANCHORS`]).
    ///
    /// People were long held at [`Model::person_prior`]: among people, common names make the
    /// latent classes hard to tell from candidate pairs alone, and on generated data (150k
    /// people) EM with only the name anchored settled on "same country and nationality" as the
    /// match class (λ 0.36, a date-of-birth *disagreement* in 98% of "matches") and chained
    /// thousands of namesakes into one entity. With the date of birth anchored too, EM learns
    /// what this data's namesakes share (a city, a birth year) and how its listed people are
    /// spelt. Measured (BENCHMARKS.md, 2026-11-29) against the prior held whole: Febrl pairwise
    /// F1 0.9864 / 0.9827 → 0.9984 / 0.9995 (datasets 2 / 3), as good as m and u learnt from
    /// their labels; 1.03M generated records 0.9423 → 0.9446, and up on the four other stores.
    /// Holding m at the prior and learning u and λ alone did as well on those, but on
    /// simulated data with many namesakes, and matches spelt otherwise than the prior expects,
    /// it collapsed (λ 0.1 → 0.002: the namesakes' u absorbed the matches) where EM with m
    /// learnt recovers λ (the unit test `people_are_learnt_with_their_date_of_birth_anchored`).
    pub fn estimate(patterns: &[(Pattern, u64)]) -> Models {
        type Counts = Vec<(Pattern, u64)>;
        let (people, orgs): (Counts, Counts) = patterns.iter().partition(|(p, _)| is_person(*p));
        let person = Model::estimate_anchored(&people, &Model::person_prior(), &PERSON_ANCHORS);
        Models {
            organisation: Model::estimate(&orgs, &Model::prior()),
            person,
        }
    }

    /// The model that scores a pattern.
    pub fn for_pattern(&self, p: Pattern) -> &Model {
        if is_person(p) {
            &self.person
        } else {
            &self.organisation
        }
    }

    /// Match weight of a pattern under its model, bits, with the [`nameless_cap`] applied.
    pub fn weight(&self, p: Pattern) -> f64 {
        let m = self.for_pattern(p);
        let w = m.weight(p);
        if nameless_cap(p) {
            w.min(m.prior_weight())
        } else {
            w
        }
    }
}

/// Whether a pattern is of two organisations whose names share nothing (level `different`) and
/// whose registration ids do not agree. Such a pair's weight is capped at the prior (no better
/// than any candidate pair: neither a match nor, at the default thresholds, a possible match).
///
/// Why: addresses, postcodes, cities, phones, e-mails and domains are what co-located and
/// related companies share — a registered agent's clients, a group's subsidiaries, a shell
/// network's fronts — so their agreement says "the same place or the same people", not "the
/// same company". Fellegi–Sunter adds them up as if independent, and at a busy building that
/// outweighs names with nothing in common (measured at 1.03M records: 442 of the 541 merges
/// whose names were `different` were wrong, and 93 of the 99 right ones had a registration id in
/// common). A registration id is particular to one legal entity, so it alone can join
/// differently named records (a renamed firm, a trade name). People are left to their model:
/// transliterated and reordered names rarely grade `different`, and a person's identifiers
/// (date of birth, nationality) are not shared by the neighbours.
pub fn nameless_cap(p: Pattern) -> bool {
    // Feature 0 is the name, 9 the registration id (see FEATURES).
    !is_person(p) && level(p, 0) == 0 && level(p, 9) != 1
}

/// The lowest name levels (different, weak) whose share among matches EM does not move: the
/// anchor that tells EM which latent class is "the same party". Left free, EM settles on the
/// strongest correlated structure among candidate pairs — "same country and same legal form" —
/// and calls it the match class, with a fifth of its "matches" having unrelated names. Held at
/// the prior (1% + 4% of matches), the rest of the name's `m` is learnt: on clean data most
/// matches are exact, on messy data many are fair.
pub const ANCHORED_NAME_LEVELS: usize = 2;

/// The anchors of the organisation model: the name's lowest levels (see
/// [`ANCHORED_NAME_LEVELS`]).
pub const ORGANISATION_ANCHORS: [(usize, usize); 1] = [(0, ANCHORED_NAME_LEVELS)];

/// The anchors of the person model: the name's lowest levels, and a date of birth that
/// disagrees or agrees only in the year (feature 10, levels `different` and `same year`), held
/// at the prior's 5% and 10% of matches: a person listed twice has one date of birth, however
/// the name is spelt. With the name anchored alone, EM on people settled on namesakes of one
/// country as its match class, a date-of-birth *disagreement* in 98% of its "matches" (see
/// [`Models::estimate`]); with `different` anchored too, it still drew namesakes born in the
/// same year into it (44% of its matches at 103k records, 0.3% of the labelled ones, λ 0.0040
/// against the labels' 0.0016; pairwise F1 0.9817, 0.9820 with both levels anchored).
pub const PERSON_ANCHORS: [(usize, usize); 2] = [(0, ANCHORED_NAME_LEVELS), (10, 2)];

/// Weight of the priors in EM, in pseudo-pairs. Ten imaginary pairs are enough to keep an
/// empty level finite and a handful of pairs from swinging the model, and are swamped by any
/// real data set (thousands of pairs).
pub const PRIOR_STRENGTH: f64 = 10.0;
/// EM stops when no parameter moves by more than this, or after [`MAX_EM_ITERATIONS`].
pub const EM_TOLERANCE: f64 = 1e-6;
/// Iteration cap for EM; it converges in tens of iterations on real data.
pub const MAX_EM_ITERATIONS: usize = 200;

/// A Fellegi–Sunter model: λ and m/u per feature level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Share of matches among the candidate pairs it is learnt from (not the recall pairs).
    pub lambda: f64,
    /// P(level | match), per feature, per level.
    pub m: Vec<Vec<f64>>,
    /// P(level | non-match), per feature, per level.
    pub u: Vec<Vec<f64>>,
    /// EM iterations run (0 for the prior).
    pub iterations: usize,
    /// Candidate pairs EM saw.
    pub pairs: u64,
    /// How the model was obtained: "prior", "em", or "prior (em rejected: …)".
    pub source: String,
}

impl Model {
    /// The weakly-informative prior for candidate pairs (pairs that already share a blocking
    /// key, so names agree more often than between random records). Each row reads "among true
    /// matches / among non-matches, how often is this level seen": e.g. a shared phone is seen in
    /// 70% of matches that both have a phone and 1% of non-matches. λ = 0.1: blocking keeps
    /// about one true pair per ten candidates in typical deduplication workloads.
    ///
    /// The name's fair, strong and exact grades are split by rarity (see [`name_level`]): the
    /// prior gives matches no preference between a common and a rare agreement (half each), and
    /// non-matches a rare agreement one time in ten — by definition less than one such
    /// agreement is expected by chance in the whole corpus, while candidate pairs were chosen
    /// for sharing words, so some remain. EM replaces both.
    pub fn prior() -> Model {
        let m: Vec<Vec<f64>> = vec![
            split_name_row(&[0.01, 0.04, 0.10, 0.25, 0.60], 0.5),
            vec![0.05, 0.25, 0.70],
            vec![0.05, 0.95],
            vec![0.10, 0.10, 0.80],
            vec![0.15, 0.02, 0.15, 0.29, 0.39],
            vec![0.10, 0.90],
            vec![0.30, 0.70],
            vec![0.40, 0.60],
            vec![0.30, 0.70],
            vec![0.20, 0.80],
            vec![0.05, 0.10, 0.85],
            vec![0.10, 0.90],
        ];
        let u: Vec<Vec<f64>> = vec![
            split_name_row(&[0.55, 0.25, 0.12, 0.06, 0.02], RARE_SHARE_NONMATCH),
            vec![0.35, 0.30, 0.35],
            vec![0.50, 0.50],
            vec![0.70, 0.05, 0.25],
            vec![0.84, 0.02, 0.10, 0.03, 0.01],
            vec![0.80, 0.20],
            vec![0.99, 0.01],
            vec![0.995, 0.005],
            vec![0.99, 0.01],
            vec![0.99, 0.01],
            vec![0.90, 0.08, 0.02],
            vec![0.60, 0.40],
        ];
        Model {
            lambda: 0.1,
            m,
            u,
            iterations: 0,
            pairs: 0,
            source: "prior".into(),
        }
    }

    /// The prior for pairs of people: as [`Model::prior`], except that unrelated people share a
    /// name far more often (15% of non-matching candidate pairs have the exact same name: common
    /// given and family names), so a name alone is about one bit of evidence, rare or not.
    pub fn person_prior() -> Model {
        let mut m = Model::prior();
        // Rarity is not credited among people: given and family names are drawn from small
        // pools, so "rare" by word independence ("John" × "Wilson") still collides often.
        m.u[0] = split_name_row(&[0.40, 0.25, 0.12, 0.08, 0.15], 0.5);
        m.source = "person prior".into();
        m
    }

    /// Contribution of feature `f` at level `l` in bits: log2(m / u).
    pub fn contribution(&self, f: usize, l: u8) -> Option<f64> {
        if l == MISSING {
            return None;
        }
        let l = l as usize;
        Some((self.m[f][l] / self.u[f][l]).log2())
    }

    /// Prior log-odds of a match among candidate pairs, in bits.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// Match weight of a pattern in bits: prior log-odds + Σ contributions (posterior log-odds).
    pub fn weight(&self, p: Pattern) -> f64 {
        self.prior_weight()
            + (0..NF)
                .filter_map(|f| self.contribution(f, level(p, f)))
                .sum::<f64>()
    }

    /// Estimates the model from the counts of distinct patterns (sorted by pattern) with EM,
    /// starting from and regularised by `prior`. The name's lowest levels are anchored (see
    /// [`ANCHORED_NAME_LEVELS`]): fully free, EM on candidate pairs settled on "same country and
    /// same legal form" as its match class and merged unrelated firms (measured: pairwise
    /// precision 0.32 free vs 0.98 anchored on a messy synthetic set).
    pub fn estimate(patterns: &[(Pattern, u64)], prior: &Model) -> Model {
        Model::estimate_anchored(patterns, prior, &ORGANISATION_ANCHORS)
    }

    /// [`Model::estimate`] with the given anchors: for each `(feature, k)`, the share of
    /// matches at the feature's `k` lowest levels is held at the prior.
    pub fn estimate_anchored(
        patterns: &[(Pattern, u64)],
        prior: &Model,
        anchors: &[(usize, usize)],
    ) -> Model {
        let total: u64 = patterns.iter().map(|(_, n)| n).sum();
        let mut model = prior.clone();
        model.pairs = total;
        if total == 0 {
            return model;
        }
        for it in 1..=MAX_EM_ITERATIONS {
            // E-step: posterior match probability of each pattern; M-step with the prior as
            // pseudo-counts, the anchored levels held (see ANCHORED_NAME_LEVELS). Every other
            // m, every u and λ are learnt.
            let expected = patterns.iter().map(|&(p, n)| {
                let g = 1.0 / (1.0 + 2f64.powf(-model.weight(p)));
                (p, g * n as f64, (1.0 - g) * n as f64)
            });
            let mut next = model.clone();
            (next.lambda, next.m, next.u) = maximise(prior, expected, total as f64);
            for f in 0..NF {
                if let Some(&(_, k)) = anchors.iter().find(|(af, _)| *af == f) {
                    // the anchor: the share of matches at the feature's lowest levels (a name
                    // different or weak) stays at the prior; EM spreads the rest over the others
                    let fixed: f64 = prior.m[f][..k].iter().sum();
                    let free: f64 = next.m[f][k..].iter().sum();
                    for l in 0..next.m[f].len() {
                        next.m[f][l] = if l < k {
                            prior.m[f][l]
                        } else {
                            next.m[f][l] * (1.0 - fixed) / free
                        };
                    }
                }
            }
            let delta = max_delta(&model, &next);
            model = next;
            model.iterations = it;
            if delta < EM_TOLERANCE {
                break;
            }
        }
        model.source = "em".into();
        // Guard against the label switch EM can fall into: the "match" class must be the one
        // in which names agree.
        let name_top = model.contribution(0, NAME_EXACT_RARE).unwrap_or(0.0);
        let name_bottom = model.contribution(0, 0).unwrap_or(0.0);
        if name_top <= name_bottom {
            let mut p = prior.clone();
            p.pairs = total;
            p.source = "prior (em rejected: names did not separate the classes)".into();
            return p;
        }
        model
    }
}

/// Fewest labelled matches and labelled non-matches of a class (organisations, people) from
/// which [`Models::from_labels`] learns that class's m and u. Below it the class keeps what it
/// would have had without labels: a dozen pairs spread over a dozen features leave most levels
/// to the prior's pseudo-counts ([`PRIOR_STRENGTH`]) and say little.
pub const MIN_LABELLED: u64 = 30;

impl Models {
    /// The models learnt from labelled candidate pairs: `labelled` holds, per distinct pattern,
    /// how many labelled pairs have it as (matches, non-matches); `counts` the patterns of
    /// every candidate pair learnt from, as for [`Models::estimate`]; `base` the models the run
    /// would use without labels.
    ///
    /// Per class with at least [`MIN_LABELLED`] matches and non-matches, m is read from the
    /// labelled matches and u from the labelled non-matches ([`Model::from_labels`]). λ is not
    /// taken from the labels, which are rarely a random sample of the candidate pairs (an
    /// analyst labels the pairs in doubt, a benchmark the records with duplicates): it is
    /// estimated by EM over all the class's candidate pairs with m and u held
    /// ([`Model::fit_lambda`]). A class with too few labels keeps its `base` model.
    pub fn from_labels(
        base: Models,
        labelled: &[(Pattern, u64, u64)],
        counts: &[(Pattern, u64)],
    ) -> Models {
        let mut models = base;
        for person in [false, true] {
            let mine = |p: Pattern| is_person(p) == person;
            let labelled: Vec<_> = labelled
                .iter()
                .filter(|(p, ..)| mine(*p))
                .copied()
                .collect();
            let (m, u): (u64, u64) = labelled
                .iter()
                .fold((0, 0), |(m, u), &(_, a, b)| (m + a, u + b));
            if m < MIN_LABELLED || u < MIN_LABELLED {
                continue;
            }
            let (prior, slot) = if person {
                (Model::person_prior(), &mut models.person)
            } else {
                (Model::prior(), &mut models.organisation)
            };
            let pairs = slot.pairs;
            let own: Vec<(Pattern, u64)> =
                counts.iter().filter(|(p, _)| mine(*p)).copied().collect();
            let mut model = Model::from_labels(&labelled, &prior);
            model.fit_lambda(&own);
            model.pairs = pairs;
            *slot = model;
        }
        models
    }
}

impl Model {
    /// m and u counted from labelled pairs (`(pattern, matches, non-matches)`), with `prior`
    /// as [`PRIOR_STRENGTH`] pseudo-pairs so that a level no labelled pair shows stays finite;
    /// λ is the labelled share of matches until [`Model::fit_lambda`] replaces it.
    pub fn from_labels(labelled: &[(Pattern, u64, u64)], prior: &Model) -> Model {
        let total: u64 = labelled.iter().map(|&(_, m, u)| m + u).sum();
        let counted = labelled.iter().map(|&(p, m, u)| (p, m as f64, u as f64));
        let mut model = prior.clone();
        (model.lambda, model.m, model.u) = maximise(prior, counted, total as f64);
        model.iterations = 0;
        model.pairs = total;
        model.source = "labelled".into();
        model
    }

    /// Estimates λ alone by EM over the candidate pairs' pattern counts, m and u held: each
    /// round λ becomes the mean posterior match probability of the pairs.
    pub fn fit_lambda(&mut self, patterns: &[(Pattern, u64)]) {
        let total: u64 = patterns.iter().map(|(_, n)| n).sum();
        if total == 0 {
            return;
        }
        for it in 1..=MAX_EM_ITERATIONS {
            let matches: f64 = patterns
                .iter()
                .map(|&(p, n)| probability(self.weight(p)) * n as f64)
                .sum();
            // kept off 0 and 1, whose log-odds are infinite
            let next = (matches / total as f64).clamp(1e-9, 1.0 - 1e-9);
            let delta = (next - self.lambda).abs();
            self.lambda = next;
            self.iterations = it;
            if delta < EM_TOLERANCE {
                break;
            }
        }
    }
}

/// The M-step: λ, m and u from each pattern's (expected or labelled) matches and non-matches,
/// `total` pairs in all, with `prior` as [`PRIOR_STRENGTH`] pseudo-pairs so that a level no
/// pair shows stays finite.
fn maximise(
    prior: &Model,
    pairs: impl Iterator<Item = (Pattern, f64, f64)>,
    total: f64,
) -> (f64, Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let a = PRIOR_STRENGTH;
    let mut m: Vec<Vec<f64>> = prior.m.iter().map(|r| vec![0.0; r.len()]).collect();
    let mut u = m.clone();
    let mut matches = 0.0;
    for (p, wm, wu) in pairs {
        matches += wm;
        for f in 0..NF {
            let l = level(p, f);
            if l != MISSING {
                m[f][l as usize] += wm;
                u[f][l as usize] += wu;
            }
        }
    }
    for f in 0..NF {
        let (sm, su): (f64, f64) = (m[f].iter().sum(), u[f].iter().sum());
        for l in 0..m[f].len() {
            m[f][l] = (m[f][l] + a * prior.m[f][l]) / (sm + a);
            u[f][l] = (u[f][l] + a * prior.u[f][l]) / (su + a);
        }
    }
    ((matches + a * prior.lambda) / (total + a), m, u)
}

fn max_delta(a: &Model, b: &Model) -> f64 {
    let mut d = (a.lambda - b.lambda).abs();
    for f in 0..NF {
        for l in 0..a.m[f].len() {
            d = d.max((a.m[f][l] - b.m[f][l]).abs());
            d = d.max((a.u[f][l] - b.u[f][l]).abs());
        }
    }
    d
}

/// Posterior match probability of a weight in bits.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + 2f64.powf(-weight))
}

/// The log-odds (bits) of a probability: the inverse of [`probability`].
pub fn log_odds(p: f64) -> f64 {
    (p / (1.0 - p)).log2()
}

/// One feature of an explained pair.
#[derive(Debug, Clone, Serialize)]
pub struct FeatureExplained {
    pub feature: &'static str,
    pub level: Option<&'static str>,
    pub contribution: Option<f64>,
}

/// Spells out a pattern: each feature's level name and contribution in bits.
pub fn explain(model: &Model, p: Pattern) -> Vec<FeatureExplained> {
    (0..NF)
        .map(|f| {
            let l = level(p, f);
            FeatureExplained {
                feature: FEATURES[f],
                level: (l != MISSING).then(|| LEVELS[f][l as usize]),
                contribution: model.contribution(f, l),
            }
        })
        .collect()
}

/// A compact, readable form of a pattern's contributions for the evidence tables:
/// `name=exact:+5.81 country=same:+0.93 …` (missing features left out).
pub fn evidence_string(model: &Model, p: Pattern) -> String {
    let mut s = String::new();
    for e in explain(model, p) {
        if let (Some(l), Some(c)) = (e.level, e.contribution) {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(&format!("{}={}:{:+.2}", e.feature, l, c));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::prepare::{RawRecord, prepare};

    fn corpus(names: &[&str]) -> Corpus {
        let raws: Vec<RawRecord> = names
            .iter()
            .enumerate()
            .map(|(i, n)| RawRecord {
                id: i as i64 + 1,
                kind: "company".into(),
                name: (*n).into(),
                ..RawRecord::default()
            })
            .collect();
        prepare(&raws)
    }

    fn at(id: i64, name: &str, address: &str) -> RawRecord {
        RawRecord {
            id,
            kind: "company".into(),
            name: name.into(),
            address: Some(address.into()),
            country: Some("SG".into()),
            ..RawRecord::default()
        }
    }

    fn address_level(c: &Corpus, a: usize, b: usize) -> &'static str {
        LEVELS[4][level(compare(c, &c.records[a], &c.records[b]), 4) as usize]
    }

    #[test]
    fn address_agreement_that_does_not_identify_is_graded_apart() {
        let agent = "80 Robinson Road #10-01";
        let mut raws = vec![
            at(1, "Apex Tech Pte Ltd", "10 Anson Road #05-12"),
            at(2, "Apex Technology Pte Ltd", "10 Anson Rd #05-12"),
            at(3, "Zenith Marine Pte Ltd", "10 Anson Road #05-12"),
            at(4, "Apex Tech Pte Ltd", "12 Anson Road #07-01"),
        ];
        for (i, n) in ["Kestrel", "Borealis", "Quokka", "Marlin", "Tundra"]
            .iter()
            .enumerate()
        {
            raws.push(at(10 + i as i64, &format!("{n} Holdings Pte Ltd"), agent));
        }
        raws.push(at(20, "Kestrel Holdings Pte Ltd", agent));
        let c = prepare(&raws);
        assert_eq!(address_level(&c, 0, 1), "same");
        // names that share nothing: firms under one roof
        assert_eq!(address_level(&c, 0, 2), "crowded");
        // the same street, other numbers: another door
        assert_eq!(address_level(&c, 0, 3), "some");
        // five differently named firms at a registered agent's address
        let kestrel = c.records.len() - 1;
        assert_eq!(address_level(&c, 4, kestrel), "crowded");
    }

    #[test]
    fn a_city_in_another_script_agrees_or_says_nothing() {
        let in_city = |id: i64, city: &str| RawRecord {
            city: Some(city.into()),
            ..at(id, "Romashka LLC", "")
        };
        let c = prepare(&[
            in_city(1, "Москва"),
            in_city(2, "Moscow"),
            in_city(3, "深圳"),
            in_city(4, "Shenzhen"),
            in_city(5, "Saint Petersburg"),
            in_city(6, "Екатеринбург"),
            in_city(7, "Yekaterinburg City"),
        ]);
        let city = |a: usize, b: usize| level(compare(&c, &c.records[a], &c.records[b]), 3);
        assert_eq!(city(0, 1), 2, "\"moskva\" is read as Moscow");
        assert_eq!(
            city(5, 6),
            MISSING,
            "a transliteration against a name it does not spell says nothing"
        );
        assert_eq!(city(2, 3), 2, "\"shenzhen\" reads the same");
        assert_eq!(city(1, 4), 0, "two Latin names that differ disagree");
        assert_eq!(city(1, 0), city(0, 1));
    }

    #[test]
    fn similarity_is_symmetric() {
        let c = corpus(&[
            "Apex Tech Pte Ltd",
            "Apex Tech Trading Pte Ltd",
            "APEX TECHNOLOGIES PTE LTD",
            "Apexx Tecnology Ltd",
            "Blue Ocean Shipping",
            "Ocean Blue Shiping Co",
            "华为技术有限公司",
            "Hua Wei Technology",
        ]);
        let r = &c.records;
        for a in r {
            for b in r {
                assert_eq!(compare(&c, a, b), compare(&c, b, a));
                assert_eq!(name_similarity(&c, a, b), name_similarity(&c, b, a));
            }
        }
        // cross-script: the transliteration meets the Latin spelling
        assert_eq!(name_grade(level(compare(&c, &r[6], &r[7]), 0)), 4);
    }

    #[test]
    fn romanizations_of_one_name_agree() {
        let c = corpus(&[
            "Kwangshin Manufacturing Computer Corp",
            "GWANGSIN MANUFACTURING COMPUTER CORP.",
            "Daejoo Comp Co Ltd",
            "Taeju Comp Co., Ltd.",
        ]);
        let r = &c.records;
        let sim = |a: usize, b: usize| name_similarity(&c, &r[a], &r[b]).similarity;
        assert!(sim(0, 1) >= NAME_LEVELS[2], "{}", sim(0, 1));
        assert!(sim(2, 3) >= NAME_LEVELS[1], "{}", sim(2, 3));
    }

    #[test]
    fn the_arabic_article_glued_on_is_the_article() {
        let named = |id: i64, name: &str, country: &str| RawRecord {
            country: Some(country.into()),
            ..at(id, name, "")
        };
        let c = prepare(&[
            named(1, "Al Noor Trading LLC", "AE"),
            named(2, "ALNOOR TRADING L.L.C.", "AE"),
            named(3, "Pine Trading Inc", "US"),
            named(4, "Alpine Trading Inc", "US"),
            named(5, "Al Noor Holding LLC", "AE"),
            named(6, "ALNOOR INVESTMENT LLC", "AE"),
            named(7, "Pine Holding Inc", "US"),
            named(8, "Alpine Investment Inc", "US"),
        ]);
        let r = &c.records;
        let sim = |a: usize, b: usize| name_similarity(&c, &r[a], &r[b]).similarity;
        assert!(sim(0, 1) >= NAME_LEVELS[2], "{}", sim(0, 1));
        assert_eq!(sim(0, 1), sim(1, 0));
        // outside the Arab countries "al" starts a word
        assert!(sim(2, 3) < NAME_LEVELS[1], "{}", sim(2, 3));
        // and blocking meets the two spellings under the word (they share no other)
        let keys = |i: usize| {
            let mut k = Vec::new();
            crate::resolve::block::keys(&c, &r[i], &mut k);
            k
        };
        let share = |a: usize, b: usize| keys(a).iter().any(|k| keys(b).contains(k));
        assert!(share(4, 5));
        assert!(!share(6, 7));
    }

    #[test]
    fn an_acronym_agrees_with_the_one_name_it_abbreviates() {
        let c = corpus(&[
            "IBM Corp",
            "International Business Machines Corp",
            "GTS Ltd",
            "Global Trading Services Ltd",
            "Golden Tech Systems Ltd",
            "SUN TRADING LTD",
            "Star United Networks Trading Ltd",
        ]);
        let r = &c.records;
        let sim = |a: usize, b: usize| name_similarity(&c, &r[a], &r[b]).similarity;
        assert!(sim(0, 1) >= NAME_LEVELS[2], "{}", sim(0, 1));
        assert_eq!(sim(0, 1), sim(1, 0));
        // GTS begins two names here: it says neither
        assert!(sim(2, 3) < NAME_LEVELS[0] && sim(2, 4) < NAME_LEVELS[0]);
        // in capitals throughout, "SUN" is a word, not an acronym
        assert!(sim(5, 6) < NAME_LEVELS[1], "{}", sim(5, 6));
    }

    #[test]
    fn exp_abbreviates_express_and_export_alike() {
        let c = corpus(&[
            "Mekong Exp. Ltd",
            "Mekong Express Ltd",
            "Hanil Imp. & Exp. Co Ltd",
            "Hanil Import & Export Co Ltd",
        ]);
        let r = &c.records;
        let sim = |a: usize, b: usize| name_similarity(&c, &r[a], &r[b]).similarity;
        assert!(sim(0, 1) >= NAME_LEVELS[2], "{}", sim(0, 1));
        assert!(sim(2, 3) >= NAME_LEVELS[2], "{}", sim(2, 3));
    }

    #[test]
    fn split_and_joined_syllables_agree() {
        let c = corpus(&[
            "Shenzhen Dafu Solutions Co Ltd",
            "Da Fu Solutions (Shenzhen) Company Limited",
            "Beijing Hua Sheng Electronics",
            "Beijing Huasheng Electronics Networks",
            "Chengdu Guangtian Networks Co Ltd",
            "Chengdu Gunag Tian Networks Company Limited",
            "Skytech Components Limited",
            "Sky Tech Components Ltd",
            "Infotech Solutions Pte Ltd",
            "Info Tech Solutions Pte. Ltd.",
        ]);
        let r = &c.records;
        for (a, b) in [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)] {
            let s = name_similarity(&c, &r[a], &r[b]).similarity;
            assert!(s >= NAME_LEVELS[1], "{a} {b}: {s}");
            assert_eq!(s, name_similarity(&c, &r[b], &r[a]).similarity);
        }
    }

    #[test]
    fn name_levels_order_variants() {
        let c = corpus(&[
            "Apex Tech Pte Ltd",
            "APEX TECHNOLOGY PTE. LIMITED",
            "Apex Tech Trading Pte Ltd",
            "Apexx Tech Pte Ltd",
            "Zenith Marine Ltd",
        ]);
        let r = &c.records;
        let name = |i: usize, j: usize| name_grade(level(compare(&c, &r[i], &r[j]), 0));
        assert_eq!(name(0, 1), 4);
        assert!(name(0, 3) >= 2, "typo keeps the name close");
        assert!(name(0, 2) < 4);
        assert_eq!(name(0, 4), 0);
    }

    #[test]
    fn names_of_two_places_are_two_firms() {
        let firm = |id: i64, name: &str, city: &str| RawRecord {
            city: Some(city.into()),
            ..at(id, name, "")
        };
        let c = prepare(&[
            firm(1, "Shenzhen Haiwei Solutions Co., Ltd.", "Shenzhen"),
            firm(2, "苏州海维方案有限公司", "Suzhou"),
            firm(3, "Haiwei Solutions Co Ltd", ""),
            firm(4, "Phoenix Components (Malaysia) Sdn Bhd", "Kuala Lumpur"),
            firm(5, "Phoenix Components (Singapore) Pte Ltd", "Singapore"),
            firm(6, "Phoenix Components Sdn Bhd", "Kuala Lumpur"),
            firm(7, "Suzhou Haiwei Solutions Co Ltd", "Suzhou"),
        ]);
        let r = &c.records;
        let name = |i: usize, j: usize| name_grade(level(compare(&c, &r[i], &r[j]), 0));
        let differ = |i: usize, j: usize| {
            places_differ(&c.names, &r[i].names[0].tokens, &r[j].names[0].tokens)
        };
        assert!(differ(0, 6) && differ(6, 0), "Shenzhen / Suzhou");
        assert!(name(0, 6) <= 1, "weak at best");
        assert!(differ(3, 4) && name(3, 4) <= 1, "Malaysia / Singapore");
        // a place on one side only
        assert!(!differ(0, 2) && name(0, 2) >= 2);
        assert!(!differ(3, 5) && name(3, 5) >= 2);
        // the Chinese name reads its city too: 苏州 is Suzhou
        assert!(!differ(1, 6), "{:?}", r[1].names[0].tokens);
        assert!(differ(0, 1));
    }

    #[test]
    fn abbreviations() {
        for (a, b) in [
            ("trdg", "trading"),
            ("info", "information"),
            ("cmpts", "components"),
            ("exp", "express"),
            ("soln", "solution"),
        ] {
            assert!(abbreviates(a.as_bytes(), b.as_bytes()), "{a} {b}");
        }
        for (a, b) in [
            ("co", "company"),
            ("tarding", "trading"),
            ("xpress", "express"),
        ] {
            assert!(!abbreviates(a.as_bytes(), b.as_bytes()), "{a} {b}");
        }
    }

    #[test]
    fn prefilter_never_rejects_a_fuzzy_match() {
        let words = [
            "technology",
            "tecnology",
            "technolgy",
            "apex",
            "apexx",
            "smith",
            "smyth",
            "zenith",
            "zenit",
            "international",
            "internatinal",
            "shenzhen",
            "shenzen",
            "global",
            "golbal",
            "trdg",
            "trading",
            "cmpts",
            "components",
            "guangtian",
            "gunag",
            "tian",
            "münchen",
            "munchen",
            "zürich",
            "0123",
            "01234",
            "čapek",
            "capek",
            "lara",
            "lard",
            "lra",
            "smyth",
            "smiht",
        ];
        for a in words {
            for b in words {
                let (x, y) = (Shape::of(a), Shape::of(b));
                let slip = a.is_ascii()
                    && b.is_ascii()
                    && a.len().min(b.len()) >= FUZZY_MIN_LEN
                    && strsim::osa_distance(a, b) == 1;
                if strsim::jaro_winkler(a, b) >= FUZZY_WORD || slip {
                    assert!(may_reach_fuzzy(a.as_bytes(), b.as_bytes()), "{a} {b}");
                }
                if may_reach_fuzzy(a.as_bytes(), b.as_bytes()) {
                    assert!(may_share_enough(x, y), "{a} {b}");
                }
                if abbreviates(a.as_bytes(), b.as_bytes()) {
                    assert_eq!(x.mask & !y.mask, 0, "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn word_similarity_read_from_shapes_equals_the_letters_reading() {
        // the rules as they read with every word's letters at hand
        fn by_letters(v: &Vocab, a: u32, b: u32) -> f32 {
            let (sa, sb) = (
                v.strings[a as usize].as_str(),
                v.strings[b as usize].as_str(),
            );
            let reading = |w: u32| v.skeleton.get(w as usize).is_some_and(|k| k & 1 == 1);
            let arabic = a != b && reading(a) != reading(b) && {
                let (r, l) = if reading(a) { (sa, sb) } else { (sb, sa) };
                let skeleton = crate::resolve::arabic::reading_skeleton(r);
                skeleton.len() >= 2
                    && crate::resolve::arabic::latin_skeleton(l) == Some(skeleton)
                    && crate::resolve::arabic::vowels_agree(r, l)
            };
            if a == b {
                1.0
            } else if arabic {
                ROMANIZED
            } else if abbreviates(sa.as_bytes(), sb.as_bytes())
                || abbreviates(sb.as_bytes(), sa.as_bytes())
            {
                ABBREVIATION
            } else if sa.len() < FUZZY_MIN_LEN
                || sb.len() < FUZZY_MIN_LEN
                || sa.as_bytes()[0].is_ascii_digit()
                || sb.as_bytes()[0].is_ascii_digit()
            {
                0.0
            } else {
                let r = v.romanized[a as usize];
                let romanized = if r != 0 && r == v.romanized[b as usize] {
                    ROMANIZED
                } else {
                    0.0
                };
                let jw = strsim::jaro_winkler(sa, sb) as f32;
                if sa.len().max(sb.len()) > FUZZY_MAX_LEN {
                    romanized
                } else if (f64::from(jw) >= FUZZY_WORD || strsim::osa_distance(sa, sb) == 1)
                    && !opposites(sa, sb)
                {
                    jw.max(romanized)
                } else {
                    romanized
                }
            }
        }
        let c = corpus(&[
            "Apex Technology Trading International",
            "Apexx Tecnology Trdg Internatinal",
            "Guangtian Gunag Tian Guang Tian Sdn Bhd",
            "Zhong Xing Chung Hsing Jong Sing",
            "München Munchen Zürich Zurich Čapek Capek",
            "Info Information Cmpts Components Exp Express Co Company",
            "0123 01234 12345 Smith Smyth Zenith Zenit",
            "Eastern Western Micro Macro Northeast Northwest",
            "النور الفطيم كريم Noor Nour Nair Futtaim Karam Kareem Ali Al-Noor",
        ]);
        let v = &c.names;
        assert!(!v.skeleton.is_empty());
        let id = |w: &str| v.get(w).expect(w);
        assert_eq!(word_sim(v, id("nur"), id("noor")), ROMANIZED);
        assert_eq!(word_sim(v, id("krim"), id("kareem")), ROMANIZED);
        assert_eq!(word_sim(v, id("nur"), id("nair")), 0.0);
        assert_eq!(word_sim(v, id("noor"), id("nair")), 0.0);
        assert_eq!(word_sim(v, id("eastern"), id("western")), 0.0);
        assert!(word_sim(v, id("smith"), id("smyth")) > 0.0);
        for a in 0..v.strings.len() as u32 {
            for b in 0..v.strings.len() as u32 {
                assert_eq!(
                    word_sim(v, a, b).to_bits(),
                    by_letters(v, a, b).to_bits(),
                    "{} {}",
                    v.strings[a as usize],
                    v.strings[b as usize]
                );
            }
        }
    }

    #[test]
    fn em_learns_from_unlabelled_pairs() {
        // 100 pairs with matching names and phones, 900 with neither
        let mut l = [MISSING; NF];
        l[0] = NAME_EXACT_RARE;
        l[6] = 1;
        l[2] = 1;
        let good = pack(&l);
        l[0] = 0;
        l[6] = 0;
        l[2] = 1;
        let bad = pack(&l);
        let mut pats = vec![(good, 100u64), (bad, 900)];
        pats.sort_unstable();
        let m = Model::estimate(&pats, &Model::prior());
        assert_eq!(m.source, "em");
        assert!((m.lambda - 0.083).abs() < 0.02, "{}", m.lambda);
        assert!(m.weight(good) > 5.0 && m.weight(bad) < -5.0);
    }

    #[test]
    fn people_are_learnt_with_their_date_of_birth_anchored() {
        // 100 twice-listed people and 900 namesakes, features independent within each class:
        // (share of matches, share of non-matches) at the agreeing level. With m held at the
        // prior (exact-rare names in 30% of matches, here 80%) EM found λ 0.002 here.
        let name = (0.8, 0.4); // exact-rare, else fair
        let city = (0.8, 0.6); // same, else different: namesakes of one city are common here
        let dob = (0.9, 0.01); // same, else different
        let mut counts = Vec::new();
        for bits in 0..8u32 {
            let on = |b: u32| bits >> b & 1 == 1;
            let mut l = [MISSING; NF];
            l[0] = if on(0) { NAME_EXACT_RARE } else { 2 };
            l[3] = if on(1) { 2 } else { 0 };
            l[10] = if on(2) { 2 } else { 0 };
            let share = |(m, u): (f64, f64), b: u32, matches: bool| {
                let p = if matches { m } else { u };
                if on(b) { p } else { 1.0 - p }
            };
            let class = |matches: bool, n: f64| {
                n * share(name, 0, matches) * share(city, 1, matches) * share(dob, 2, matches)
            };
            let n = (class(true, 100.0) + class(false, 900.0)).round() as u64;
            counts.push((pack(&l) | 1 << PERSON_BIT, n));
        }
        // and 200 pairs of people whose names share little: λ = 100 / 1,200
        let mut l = [MISSING; NF];
        (l[0], l[3], l[10]) = (0, 0, 0);
        counts.push((pack(&l) | 1 << PERSON_BIT, 200));
        counts.sort_unstable();
        let prior = Model::person_prior();
        let m = Models::estimate(&counts).person;
        assert_eq!(m.source, "em");
        assert_eq!(m.m[10][..2], prior.m[10][..2], "the anchor holds");
        assert!((m.lambda - 0.083).abs() < 0.015, "{}", m.lambda);
        assert!(
            m.m[0][NAME_EXACT_RARE as usize] > 0.6, // the prior's 0.3, learnt
            "{:?}",
            m.m[0]
        );
        // u follows the namesakes: sharing a city is common among them, a birthday rare
        assert!((m.u[3][2] - 0.5).abs() < 0.05, "{:?}", m.u[3]);
        assert!(m.u[10][2] < 0.02, "{:?}", m.u[10]);
        let (city, dob) = (
            |x: &Model| x.contribution(3, 2),
            |x: &Model| x.contribution(10, 2),
        );
        assert!(city(&m) < city(&prior), "{:?} {:?}", city(&m), city(&prior));
        assert!(dob(&m) > dob(&prior), "{:?} {:?}", dob(&m), dob(&prior));
    }

    #[test]
    fn labels_set_m_and_u_and_em_sets_only_the_match_share() {
        let mut l = [MISSING; NF];
        l[2] = 1; // country same
        l[0] = NAME_EXACT_RARE;
        l[6] = 1; // phone shared
        let good = pack(&l);
        l[0] = 0; // name different, phone shared: a switchboard the firms of a building share
        let switchboard = pack(&l);
        l[6] = 0;
        let bad = pack(&l);
        let labelled = [(good, 40, 0), (switchboard, 0, 60), (bad, 0, 200)];
        let mut counts = vec![(good, 100u64), (switchboard, 150), (bad, 750)];
        counts.sort_unstable();
        let base = Models::prior();
        let m = Models::from_labels(base.clone(), &labelled, &counts);
        assert_eq!(m.organisation.source, "labelled");
        // a shared phone in every labelled match and 60 of 260 non-matches: about 2 bits, where
        // the prior gives it 6
        let phone = m.organisation.contribution(6, 1).unwrap();
        assert!(phone > 1.5 && phone < 2.5, "{phone}");
        assert!(base.organisation.contribution(6, 1).unwrap() > 5.0);
        // λ from all the candidate pairs, not the labelled share (40 of 300)
        assert!(
            (m.organisation.lambda - 0.1).abs() < 0.01,
            "{}",
            m.organisation.lambda
        );
        // no labelled people: their model stays; too few labels: so does the organisations'
        assert_eq!(m.person, base.person);
        let few = Models::from_labels(base.clone(), &labelled[..1], &counts);
        assert_eq!(few.organisation, base.organisation);
    }

    #[test]
    fn names_that_share_nothing_need_a_registration_id() {
        assert_eq!(FEATURES[0], "name");
        assert_eq!(FEATURES[9], "registration_id");
        let models = Models::prior();
        let prior = models.organisation.prior_weight();
        // Two firms at one building with one phone, names unrelated.
        let mut l = [MISSING; NF];
        l[0] = 0; // name different
        l[2] = 1; // country same
        l[3] = 2; // city same
        l[4] = 1; // address crowded
        l[5] = 1; // postcode same
        l[6] = 1; // phone shared
        let neighbours = pack(&l);
        assert!(
            models.organisation.weight(neighbours) > prior,
            "the sum alone"
        );
        assert_eq!(models.weight(neighbours), prior, "capped at the prior");
        // A registration id in common joins them (a renamed firm, a trade name).
        l[9] = 1;
        let renamed = pack(&l);
        assert!(!nameless_cap(renamed));
        assert_eq!(models.weight(renamed), models.organisation.weight(renamed));
        // A weak name agreement is the model's business, not the cap's.
        l[9] = MISSING;
        l[0] = 1;
        assert!(!nameless_cap(pack(&l)));
        // People are not capped.
        l[0] = 0;
        let people = pack(&l) | (1 << PERSON_BIT);
        assert!(!nameless_cap(people));
        assert_eq!(models.weight(people), models.person.weight(people));
    }
}
