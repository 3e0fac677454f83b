//! Hash maps and sets for scoring's per-run indexes, with foldhash's fast fixed-seed hasher
//! instead of SipHash: the keys are entity indexes, pairs of them and normalised strings built
//! from the store, not input an attacker chooses to collide, and the maps are hot (millions of
//! lookups per run). Fixed seeds also make iteration order the same from run to run, although
//! no output depends on it (results are sorted before they are written).

/// A `HashMap` with the fast hasher; construct with `HashMap::default()`.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// A `HashSet` with the fast hasher; construct with `HashSet::default()`.
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;
