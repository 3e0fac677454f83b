//! Preparation: records as stored → compact comparable records plus the token statistics of
//! the whole corpus.
//!
//! Input: [`RawRecord`]s read from the `records` table (in id order). Output: a [`Corpus`]: one
//! [`Prepared`] per record (tokens interned as `u32`, identifiers hashed to `u64`) and the
//! vocabularies of name, address and city words with their document frequencies and inverse
//! frequency weights. The kind of shipment mentions (stored `unknown`) is inferred here: a legal
//! form or an organisation word says company, an honorific says person, and otherwise a naive
//! Bayes vote of the name's words (as the name is split for comparison) learnt from the records
//! whose kind the source gave; a name with no word seen among those stays a company.
//!
//! Normalisation runs in parallel (rayon) and its results are collected in input order; interning
//! runs sequentially in id order, so token ids, weights and everything after are the same for any
//! thread count.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::normalize::{self, LegalForm};

/// One record as read from the store (the fields resolution uses).
#[derive(Debug, Clone, Default)]
pub struct RawRecord {
    pub id: i64,
    /// The source (file) the record was read from.
    pub source_id: i64,
    pub origin: String,
    pub source_key: Option<String>,
    pub kind: String,
    pub name: String,
    pub aliases: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub registration_id: Option<String>,
    pub dob: Option<String>,
    pub nationality: Option<String>,
    /// For a shipment mention without a country: the one country its shipments place it in
    /// (the origin for a shipper, the destination for a consignee; see
    /// [`super::shipment_countries`]). Compared as agreement only (see
    /// [`Prepared::context_country`]).
    pub context_country: Option<String>,
}

/// The classes that may merge with each other. People never merge with organisations; vessels
/// and aircraft only with their own kind. Companies and other organisations share a class: the
/// screening list calls a company an "Entity" and a registry calls it a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Organisation = 0,
    Person = 1,
    Vessel = 2,
    Aircraft = 3,
}

impl Class {
    /// The entity kind written to `entities.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Organisation => "company",
            Class::Person => "person",
            Class::Vessel => "vessel",
            Class::Aircraft => "aircraft",
        }
    }
}

/// One spelling of a record's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// Interned name words (see [`Corpus::names`]).
    pub tokens: Vec<u32>,
    /// Hash of the words concatenated without spaces: "Hua Wei" and "Huawei" agree.
    pub compact: u64,
    /// Legal form of this spelling.
    pub legal: Option<LegalForm>,
}

/// A record ready to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub id: i64,
    pub class: Class,
    /// The primary name first, then the aliases (at most [`MAX_NAMES`] in all).
    pub names: Vec<Name>,
    /// The legal form of the primary name, or of the first alias that has one.
    pub legal: Option<LegalForm>,
    pub country: Option<[u8; 2]>,
    /// Where a shipment mention without a country is placed by its shipments (see
    /// [`RawRecord::context_country`]): it agrees with a record of that country, and says
    /// nothing against another (a consignee is nearly always in the destination country, but a
    /// forwarder's warehouse can receive for a firm abroad).
    pub context_country: Option<[u8; 2]>,
    pub city: Option<u32>,
    /// The city is written in a non-Latin script (see [`normalize::non_latin`]).
    pub city_non_latin: bool,
    /// The address line's words, then the words of the city and postcode fields that the line
    /// lacks (see [`full_address`]).
    pub address: Vec<u32>,
    /// How many of `address` come from the address line itself.
    pub address_line: u32,
    /// How many differently named organisations give this address (see [`address_crowds`]).
    pub address_crowd: u32,
    /// The address is written in a non-Latin script (see [`normalize::non_latin`]).
    pub address_non_latin: bool,
    pub postcode: Option<u64>,
    pub phones: Vec<u64>,
    pub emails: Vec<u64>,
    pub domains: Vec<u64>,
    pub reg_ids: Vec<u64>,
    /// (year, yyyymmdd or 0 when only the year is known)
    pub dob: Option<(u16, u32)>,
    pub nationality: Vec<[u8; 2]>,
}

/// How many spellings of a name a record keeps. Screening entries list up to dozens of aliases;
/// comparing every pair of spellings costs the product, and the first sixteen carry nearly all
/// distinct transliterations.
pub const MAX_NAMES: usize = 16;

/// Interned words of one field with document frequencies and weights.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    pub strings: Vec<String>,
    /// Number of records whose field contains the word.
    pub df: Vec<u32>,
    /// Inverse-frequency weight `ln((N + 1) / (df + 1)) + 1`: a word in every record weighs 1, a
    /// word seen once in a million records about 14. The `+ 1`s keep weights finite and positive
    /// (smoothed IDF as in most retrieval systems).
    pub weight: Vec<f32>,
    /// Number of distinct spellings (word sequences) that contain the word. Unlike `df`, a
    /// company named on a thousand shipments in one spelling counts once, so its own rare word
    /// stays rare. Filled for names only.
    pub spelling_df: Vec<u32>,
    /// Distinct spellings seen (the denominator of `spelling_df`).
    pub spellings: u64,
    /// Hash of each word's [`super::cjk::romanized_key`], 0 when it has none. Names only.
    pub romanized: Vec<u64>,
    /// Each word's skeleton key (see [`super::arabic`]), when the corpus has names in Arabic
    /// script, else empty: the hash of the word's consonant skeleton with the lowest bit
    /// clear, set for a word that is the reading of an Arabic-script word. Two words whose
    /// keys differ in that bit only may be an Arabic word and a Latin spelling of it. 0 for a
    /// word without a skeleton of two classes or more. Names only.
    pub skeleton: Vec<u64>,
    /// Which words are readings of Arabic-script words (filled while interning).
    arabic_reading: Vec<bool>,
    /// Which words were written as an acronym somewhere (see
    /// [`normalize::written_acronyms`]; filled while interning). Names only.
    acronym: Vec<bool>,
    /// Whether any word is an acronym (comparison and blocking skip their initials rules
    /// otherwise).
    pub has_acronyms: bool,
    /// For a word that is the Arabic article glued to another word of the vocabulary ("alnoor"
    /// → "noor"), that word; `u32::MAX` for the others; empty when there is none (see
    /// [`glued_articles`]). Names only.
    pub article_stem: Vec<u32>,
    /// For a word that is two words written together, one or both an abbreviated business
    /// word ("skytech": "sky" + "tech", "infotech": "info" + "tech"), those two words as the
    /// vocabulary holds them, expanded ("sky", "technology"); `(u32::MAX, u32::MAX)` for the
    /// others; empty when there is none (see [`abbreviated_halves`]). Names only.
    pub joined_halves: Vec<(u32, u32)>,
    /// Each word's [`Shape`]: what comparison can tell of it without reading its letters.
    pub shape: Vec<Shape>,
    /// Information of the word in bits, `log2((S + 1) / (spelling_df + 1))` over the `S`
    /// distinct spellings: how surprising it is that a name contains it. Names only.
    pub info: Vec<f32>,
    /// The word names a place: a city of the corpus, a country, or a place of several words
    /// joined into one ("hongkong"); not a code of one or two letters. Names only (see
    /// `compare::places_differ`).
    pub place: Vec<bool>,
    index: HashMap<String, u32>,
}

/// What comparison can tell of a word without reading its letters (see
/// `compare::word_sim`): most pairs of words are settled from their shapes alone, which lie in
/// one compact array, where reading the letters means following a pointer per word to a
/// scattered allocation: at a million records the word-pair loop spent more time waiting for
/// those reads than comparing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Length in bytes.
    pub len: u32,
    /// Which byte classes occur: bit `(byte & 0x7F) % 32`, the buckets of
    /// `compare::may_reach_fuzzy` folded onto 32 bits.
    pub mask: u32,
    /// First and last byte (0 for the empty word).
    pub first: u8,
    pub last: u8,
}

impl Shape {
    /// The shape of `w`.
    pub fn of(w: &str) -> Shape {
        let b = w.as_bytes();
        Shape {
            len: u32::try_from(b.len()).unwrap_or(u32::MAX),
            mask: b.iter().fold(0, |m, &x| m | 1 << ((x & 0x7F) % 32)),
            first: b.first().copied().unwrap_or(0),
            last: b.last().copied().unwrap_or(0),
        }
    }
}

impl Vocab {
    /// The `n` rarest distinct words of `tokens`, rarest first (lowest document frequency; ties
    /// by word id, which is first-seen order).
    pub fn rarest(&self, tokens: &[u32], n: usize) -> Vec<u32> {
        let mut t: Vec<u32> = tokens.to_vec();
        t.sort_unstable_by_key(|&x| (self.df[x as usize], x));
        t.dedup();
        t.truncate(n);
        t
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.df.push(0);
        self.spelling_df.push(0);
        self.arabic_reading.push(false);
        self.acronym.push(false);
        self.index.insert(s.to_string(), i);
        i
    }

    /// The id of a word, if seen.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }

    fn finish(&mut self, n: usize) {
        let n = n as f64;
        self.weight = self
            .df
            .iter()
            .map(|&df| (((n + 1.0) / (df as f64 + 1.0)).ln() + 1.0) as f32)
            .collect();
        self.shape = self.strings.par_iter().map(|w| Shape::of(w)).collect();
        let s = self.spellings as f64;
        self.info = self
            .spelling_df
            .iter()
            .map(|&df| ((s + 1.0) / (df as f64 + 1.0)).log2() as f32)
            .collect();
        if self.arabic_reading.iter().any(|&k| k) {
            self.skeleton = self
                .strings
                .par_iter()
                .zip(self.arabic_reading.par_iter())
                .map(|(w, &arabic)| skeleton_key(w, arabic))
                .collect();
        }
        if self.spellings > 0 {
            self.romanized = self
                .strings
                .par_iter()
                .map(|w| super::cjk::romanized_key(w).map_or(0, |k| h64(&k)))
                .collect();
        }
    }

    /// Whether any spelling in `names` has a reading of an Arabic-script word: the record is
    /// named in Arabic script.
    pub fn names_in_arabic(&self, names: &[Name]) -> bool {
        let reading = |t: u32| {
            self.arabic_reading
                .get(t as usize)
                .copied()
                .unwrap_or(false)
        };
        names.iter().any(|n| n.tokens.iter().any(|&t| reading(t)))
    }

    /// Whether word `t` was written as an acronym (see [`Vocab::acronym`]).
    pub fn is_acronym(&self, t: u32) -> bool {
        self.acronym.get(t as usize).copied().unwrap_or(false)
    }

    /// Records that `s` (interned) was written as an acronym.
    fn mark_acronym(&mut self, s: &str) {
        let i = self.intern(s);
        self.acronym[i as usize] = true;
        self.has_acronyms = true;
    }

    /// Records that `s` (interned) is the reading of an Arabic-script word.
    fn mark_reading(&mut self, s: &str) {
        let i = self.intern(s);
        self.arabic_reading[i as usize] = true;
    }

    /// Bits a name agreement must carry to be `rare`: log2 of the number of distinct
    /// spellings. An agreement on words carrying more information than that is expected to
    /// happen by chance less than once in the whole corpus (words taken as independent).
    pub fn rare_bits(&self) -> f32 {
        ((self.spellings + 1) as f64).log2() as f32
    }
}

/// All records prepared, with the corpus statistics comparison needs.
#[derive(Debug, Default)]
pub struct Corpus {
    pub records: Vec<Prepared>,
    pub names: Vocab,
    pub addresses: Vocab,
    pub cities: Vocab,
    /// Number of shipment mentions (kind `unknown`) inferred to be people.
    pub inferred_people: usize,
    /// The blocking spelling of each name word (see [`super::block::canonical_words`]).
    pub canonical: Vec<u32>,
    /// Countries of the records named in Arabic script, sorted: the records of these countries
    /// named in Latin letters get skeleton blocking keys too (see `block::keys`).
    pub arabic_countries: Vec<[u8; 2]>,
}

/// A stable 64-bit hash (SipHash with fixed keys): the same on every run and platform.
pub fn h64(s: &str) -> u64 {
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
    s.hash(&mut h);
    h.finish()
}

struct Draft {
    class: Option<Class>,
    names: Vec<normalize::NameParts>,
    /// For a stated person, the primary name's words as an organisation's name is split (see
    /// [`Draft::kind_words`]); `None` otherwise.
    person_words: Option<Vec<String>>,
    has_title: bool,
    /// The name carries a bracketed one- or two-letter place code (see [`bracketed_code`]).
    org_mark: bool,
    address: Vec<String>,
    /// words of `address` from the address line itself
    address_line: usize,
    city: Option<String>,
}

fn multi(s: &Option<String>) -> impl Iterator<Item = &str> {
    s.as_deref()
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn class_of(kind: &str) -> Option<Class> {
    match kind {
        "person" => Some(Class::Person),
        "vessel" => Some(Class::Vessel),
        "aircraft" => Some(Class::Aircraft),
        "company" | "organization" => Some(Class::Organisation),
        _ => None,
    }
}

/// The record's names, primary first: each name field cut into the names it gives (see
/// [`normalize::name_designations`]).
fn name_spellings(r: &RawRecord) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for field in std::iter::once(r.name.as_str()).chain(multi(&r.aliases)) {
        for name in normalize::name_designations(field) {
            if !v.contains(&name) {
                v.push(name);
            }
        }
    }
    v.truncate(MAX_NAMES);
    v
}

impl Draft {
    /// The words the kind vote reads: the primary name as an organisation's name is split, a
    /// Chinese name in its parts ("深圳 创鸿 research institute") rather than as a run of
    /// syllables that people's names share. Everyone's, so that learning and voting read alike.
    fn kind_words(&self) -> &[String] {
        match (&self.person_words, self.names.first()) {
            (Some(w), _) => w,
            (None, Some(n)) => &n.tokens,
            (None, None) => &[],
        }
    }
}

fn draft(r: &RawRecord) -> Draft {
    let class = class_of(&r.kind);
    let spellings = name_spellings(r);
    let names: Vec<normalize::NameParts> = if class == Some(Class::Person) {
        spellings.iter().map(|s| person_parts(s)).collect()
    } else {
        spellings.iter().map(|s| normalize::split_name(s)).collect()
    };
    let primary = spellings.first().map_or(r.name.as_str(), String::as_str);
    let has_title = normalize::tokens(&normalize::fold(primary))
        .first()
        .is_some_and(|w| normalize::TITLES.contains(&w.as_str()));
    let person_words =
        (class == Some(Class::Person)).then(|| normalize::split_name(primary).tokens);
    let org_mark = bracketed_code(&r.name);
    let (address, address_line) = r
        .address
        .as_deref()
        .map(|a| full_address(a, r.city.as_deref(), r.postcode.as_deref()))
        .unwrap_or_default();
    let city = r
        .city
        .as_deref()
        .map(normalize::city)
        .filter(|c| !c.is_empty());
    Draft {
        class,
        names,
        person_words,
        has_title,
        org_mark,
        address,
        address_line,
        city,
    }
}

/// Place names of several words — a city of the corpus ("Kuala Lumpur"), a country ("Hong
/// Kong", "South Korea", "The Republic of Korea") or a region ([`normalize::REGIONS`]) — and
/// the one word each is joined into inside a name ("hongkong"). Joined, the place is one place
/// word like "Singapore" (see [`prepare`]): "Keystone Systems International (Hong Kong)
/// Limited" read "hong" and "kong" as two name words of ordinary weight, and graded `weak`
/// against "Keystone Systems International Limited" of the same country.
struct MultiWordPlaces {
    /// Each place's words, keyed by its first word; longest first.
    by_first: HashMap<String, Vec<Vec<String>>>,
    /// The joined words.
    joined: std::collections::HashSet<String>,
}

impl MultiWordPlaces {
    fn new<'a>(cities: impl Iterator<Item = &'a str>) -> MultiWordPlaces {
        let mut places = MultiWordPlaces {
            by_first: HashMap::new(),
            joined: std::collections::HashSet::new(),
        };
        let countries = crate::ingest::country::country_names();
        let names = (countries.into_iter())
            .chain(normalize::REGIONS.iter().map(|r| r.to_string()))
            .chain(cities.map(str::to_string));
        for name in names {
            let name = name.as_str();
            let words = normalize::split_name(name).tokens;
            if words.len() < 2 || places.joined.contains(&words.concat()) {
                continue;
            }
            places.joined.insert(words.concat());
            places
                .by_first
                .entry(words[0].clone())
                .or_default()
                .push(words);
        }
        for runs in places.by_first.values_mut() {
            runs.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        }
        places
    }

    /// Joins each run of `tokens` that spells a place into one word.
    fn join(&self, tokens: &mut Vec<String>) {
        let mut i = 0;
        while i < tokens.len() {
            let run = self.by_first.get(&tokens[i]).and_then(|runs| {
                runs.iter()
                    .find(|r| tokens[i..].starts_with(r))
                    .map(Vec::len)
            });
            if let Some(n) = run {
                let joined = tokens.drain(i..i + n).collect::<String>();
                tokens.insert(i, joined);
            }
            i += 1;
        }
    }
}

/// Whether a name carries a bracketed code of one or two Latin letters: "Quantus (S)",
/// "Jadlink (M)", "Crown (HK)" — the place marks of Singapore, Malaysian and Hong Kong trade
/// names, which a name-only mention keeps when it drops the legal form. A person's bracketed
/// part is a name ("Tan Ah Kow (Alex)"), not a code; without this mark the lone letter reads as
/// an initial and the mention is taken for a person.
fn bracketed_code(name: &str) -> bool {
    name.split('(').skip(1).any(|rest| {
        rest.split_once(')').is_some_and(|(inner, _)| {
            let inner = inner.trim();
            (1..=2).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_alphabetic())
        })
    })
}

/// The address's tokens completed with the words of the city and postcode fields that the
/// address line does not already contain. Sources split one address differently: a registry
/// keeps "55 Jalan Puchong" with city and postcode in their own fields, a bill of lading writes
/// "55 Jalan Puchong, Kuala Lumpur 90962" on one line. Completed, both read the same, so the
/// address compares as the same and gets the same blocking key (its two rarest words are
/// otherwise the postcode on one side and the street on the other). Only an address is
/// completed: a city alone is the city feature, not an address. Returns the tokens and how many
/// of them the line itself has.
fn full_address(address: &str, city: Option<&str>, postcode: Option<&str>) -> (Vec<String>, usize) {
    let mut tokens = normalize::address_tokens(address);
    tokens.dedup();
    let line = tokens.len();
    if tokens.is_empty() {
        return (tokens, 0);
    }
    for extra in [city, postcode].into_iter().flatten() {
        for t in normalize::address_tokens(extra) {
            if !tokens.contains(&t) {
                tokens.push(t);
            }
        }
    }
    (tokens, line)
}

/// See [`Vocab::skeleton`]: skeletons of one consonant class ("ali" → "l") are too common to
/// say anything.
fn skeleton_key(word: &str, arabic: bool) -> u64 {
    let skeleton = if arabic {
        Some(super::arabic::reading_skeleton(word))
    } else {
        super::arabic::latin_skeleton(word)
    };
    match skeleton {
        Some(k) if k.len() >= 2 => h64(&k) & !1 | u64::from(arabic),
        _ => 0,
    }
}

fn person_parts(s: &str) -> normalize::NameParts {
    if super::arabic::has_arabic(s) {
        let r = super::arabic::romanize(s);
        let tokens = normalize::person_tokens(&r.text);
        let readings = r.readings_among(&tokens);
        return normalize::NameParts {
            tokens,
            legal_form: None,
            readings,
            acronyms: Vec::new(),
        };
    }
    normalize::NameParts {
        tokens: normalize::person_tokens(s),
        legal_form: None,
        readings: Vec::new(),
        acronyms: Vec::new(),
    }
}

fn country(s: &Option<String>) -> Option<[u8; 2]> {
    let c = s.as_deref()?.trim().as_bytes();
    (c.len() == 2).then(|| [c[0].to_ascii_uppercase(), c[1].to_ascii_uppercase()])
}

fn dob(s: &Option<String>) -> Option<(u16, u32)> {
    let d = multi(s).next()?;
    let digits: String = d.chars().filter(char::is_ascii_digit).collect();
    let year: u16 = digits.get(..4)?.parse().ok()?;
    let full = if digits.len() >= 8 {
        digits[..8].parse().unwrap_or(0)
    } else {
        0
    };
    Some((year, full))
}

fn hashed<F: Fn(&str) -> Option<String>>(s: &Option<String>, f: F) -> Vec<u64> {
    let mut v: Vec<u64> = multi(s).filter_map(f).map(|x| h64(&x)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Naive Bayes vote person vs organisation over name words, learnt from records whose kind the
/// source stated. Add-one smoothing; prior from the class counts.
struct KindModel {
    person: HashMap<String, u32>,
    org: HashMap<String, u32>,
    n_person: f64,
    n_org: f64,
    log_prior: f64,
    vocab: f64,
}

impl KindModel {
    fn learn(raws: &[RawRecord], drafts: &[Draft]) -> Option<KindModel> {
        let mut m = KindModel {
            person: HashMap::new(),
            org: HashMap::new(),
            n_person: 0.0,
            n_org: 0.0,
            log_prior: 0.0,
            vocab: 0.0,
        };
        let (mut docs_p, mut docs_o) = (0.0f64, 0.0f64);
        for (_, d) in raws.iter().zip(drafts) {
            let (map, n, docs) = match d.class {
                Some(Class::Person) => (&mut m.person, &mut m.n_person, &mut docs_p),
                Some(Class::Organisation) => (&mut m.org, &mut m.n_org, &mut docs_o),
                _ => continue,
            };
            *docs += 1.0;
            for w in d.kind_words() {
                match map.get_mut(w) {
                    Some(c) => *c += 1,
                    None => {
                        map.insert(w.clone(), 1);
                    }
                }
                *n += 1.0;
            }
        }
        if docs_p == 0.0 || docs_o == 0.0 {
            return None;
        }
        let mut all: std::collections::HashSet<&String> = m.person.keys().collect();
        all.extend(m.org.keys());
        m.vocab = all.len() as f64;
        m.log_prior = (docs_p / docs_o).ln();
        Some(m)
    }

    /// Whether the words vote person. A name none of whose words was seen with a known kind
    /// ("PACFIIC", a misspelt mention) has no vote and stays an organisation: the prior alone is
    /// the share of people among the records whose kind was stated (registry directors outnumber
    /// companies), not among the unstated ones, which are shipment parties and mostly firms.
    fn is_person(&self, words: &[String]) -> bool {
        let mut lo = self.log_prior;
        let mut seen = false;
        for w in words {
            let p = *self.person.get(w).unwrap_or(&0) as f64;
            let o = *self.org.get(w).unwrap_or(&0) as f64;
            if p + o == 0.0 {
                // a word never seen with a known kind says nothing (with add-one smoothing it
                // would otherwise favour the smaller class)
                continue;
            }
            seen = true;
            lo += ((p + 1.0) / (self.n_person + self.vocab)).ln()
                - ((o + 1.0) / (self.n_org + self.vocab)).ln();
        }
        seen && lo > 0.0
    }
}

/// Prepares every record: normalises in parallel, then interns words and computes weights in
/// input order.
///
/// # Complexity
/// O(total characters) for normalisation plus O(words) hash-map operations for interning.
pub fn prepare(raws: &[RawRecord]) -> Corpus {
    let mut drafts: Vec<Draft> = raws.par_iter().map(draft).collect();
    let kind_model = KindModel::learn(raws, &drafts);
    let mut inferred_people = 0;
    for (r, d) in raws.iter().zip(drafts.iter_mut()) {
        if d.class.is_some() {
            continue;
        }
        let has_form = d.names.first().is_some_and(|n| n.legal_form.is_some());
        let person = !has_form
            && !d.org_mark
            && (d.has_title
                || kind_model
                    .as_ref()
                    .is_some_and(|m| m.is_person(d.kind_words())));
        if person {
            inferred_people += 1;
            d.class = Some(Class::Person);
            d.names = name_spellings(r).iter().map(|s| person_parts(s)).collect();
        } else {
            d.class = Some(Class::Organisation);
        }
    }
    let mut cities: Vec<&str> = drafts
        .iter()
        .filter_map(|d| d.city.as_deref())
        .filter(|c| c.contains(' '))
        .collect();
    cities.sort_unstable();
    cities.dedup();
    let places = MultiWordPlaces::new(cities.into_iter());
    drafts
        .par_iter_mut()
        .filter(|d| d.class == Some(Class::Organisation))
        .flat_map_iter(|d| d.names.iter_mut())
        .for_each(|p| places.join(&mut p.tokens));
    let mut corpus = Corpus {
        inferred_people,
        ..Corpus::default()
    };
    let mut seen: Vec<u32> = Vec::new();
    // per word, the records of people that use it (see the place words below)
    let mut person_df: Vec<u32> = Vec::new();
    let mut spellings: std::collections::HashSet<u64> = std::collections::HashSet::new();
    let mut spelling_words: Vec<u32> = Vec::new();
    let mut records = Vec::with_capacity(raws.len());
    for (r, d) in raws.iter().zip(drafts) {
        let mut names = Vec::with_capacity(d.names.len());
        seen.clear();
        for p in &d.names {
            if p.tokens.is_empty() {
                continue;
            }
            let tokens: Vec<u32> = p.tokens.iter().map(|t| corpus.names.intern(t)).collect();
            for k in &p.readings {
                corpus.names.mark_reading(k);
            }
            for k in &p.acronyms {
                corpus.names.mark_acronym(k);
            }
            seen.extend(&tokens);
            let compact = h64(&p.tokens.concat());
            if spellings.insert(h64(&p.tokens.join(" "))) {
                spelling_words.clear();
                spelling_words.extend(&tokens);
                spelling_words.sort_unstable();
                spelling_words.dedup();
                for &t in &spelling_words {
                    corpus.names.spelling_df[t as usize] += 1;
                }
            }
            let name = Name {
                tokens,
                compact,
                legal: p.legal_form,
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        for &t in &seen {
            corpus.names.df[t as usize] += 1;
        }
        if d.class == Some(Class::Person) {
            for &t in &seen {
                if person_df.len() <= t as usize {
                    person_df.resize(t as usize + 1, 0);
                }
                person_df[t as usize] += 1;
            }
        }
        let address: Vec<u32> = d
            .address
            .iter()
            .map(|t| corpus.addresses.intern(t))
            .collect();
        let mut uniq = address.clone();
        uniq.sort_unstable();
        uniq.dedup();
        for &t in &uniq {
            corpus.addresses.df[t as usize] += 1;
        }
        let address_line = d.address_line as u32;
        let city = d.city.as_deref().map(|c| {
            let i = corpus.cities.intern(c);
            corpus.cities.df[i as usize] += 1;
            i
        });
        let legal = names.iter().find_map(|n| n.legal);
        let mut domains = hashed(&r.website, normalize::domain);
        domains.extend(hashed(&r.email, normalize::domain));
        domains.sort_unstable();
        domains.dedup();
        let mut nationality: Vec<[u8; 2]> = multi(&r.nationality)
            .filter(|c| c.len() == 2)
            .map(|c| {
                let b = c.as_bytes();
                [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]
            })
            .collect();
        nationality.sort_unstable();
        nationality.dedup();
        records.push(Prepared {
            id: r.id,
            class: d.class.unwrap_or(Class::Organisation),
            names,
            legal,
            country: country(&r.country),
            context_country: country(&r.context_country),
            city,
            address,
            address_line,
            address_crowd: 0,
            address_non_latin: r.address.as_deref().is_some_and(normalize::non_latin),
            city_non_latin: r.city.as_deref().is_some_and(normalize::non_latin),
            postcode: r
                .postcode
                .as_deref()
                .and_then(normalize::postcode)
                .map(|p| h64(&p)),
            phones: hashed(&r.phone, normalize::phone),
            emails: hashed(&r.email, normalize::email),
            domains,
            reg_ids: hashed(&r.registration_id, normalize::registration_id),
            dob: dob(&r.dob),
            nationality,
        });
    }
    let n = records.len();
    corpus.names.spellings = spellings.len() as u64;
    corpus.names.finish(n);
    // Place names inside company names ("Beijing Botian", "Titan (Thailand)") are the commonest
    // optional part of a name: sources add or drop them at will. A name word that is a city of
    // the corpus, a country name or a place of several words joined into one
    // ([`MultiWordPlaces`]) weighs no more than a word found in every record (1.0). So do words
    // of one or two letters: country codes and initials ("(HK)", "(S)", "(M)") that sources add
    // or drop the same way, and that say little about identity; an agreement on them carries no
    // information towards a `rare` name level either. A short word met mostly in people's names
    // is a syllable of a name, not a code ("Li", "Wu", "Le": 陈华丽 and 陈华强 are two people).
    corpus.names.place = vec![false; corpus.names.strings.len()];
    for (i, w) in corpus.names.strings.iter().enumerate() {
        let of_people = person_df.get(i).copied().unwrap_or(0);
        // a skeleton of two consonants ("nr", Noor) is a whole Arabic word, not an initial
        let code =
            !corpus.names.arabic_reading[i] && w.len() <= 2 && 2 * of_people <= corpus.names.df[i];
        let named = (w.len() >= 3 && corpus.cities.get(w).is_some())
            || (w.len() >= 4 && crate::ingest::country::normalize_country(w).is_some())
            || places.joined.contains(w);
        corpus.names.place[i] = named;
        if code || named {
            corpus.names.weight[i] = corpus.names.weight[i].min(1.0);
            corpus.names.info[i] = 0.0;
        }
    }
    corpus.addresses.finish(n);
    corpus.cities.finish(n);
    corpus.canonical = super::block::canonical_words(&corpus.names);
    unmark_ambiguous_acronyms(&mut corpus, &records);
    let crowds = address_crowds(&corpus, &records);
    for (r, n) in records.iter_mut().zip(crowds) {
        r.address_crowd = n;
    }
    if !corpus.names.skeleton.is_empty() {
        let mut countries: Vec<[u8; 2]> = records
            .iter()
            .filter(|r| corpus.names.names_in_arabic(&r.names))
            .filter_map(|r| r.country)
            .collect();
        countries.sort_unstable();
        countries.dedup();
        corpus.arabic_countries = countries;
    }
    corpus.names.article_stem = glued_articles(&corpus.names, &records);
    corpus.names.joined_halves = abbreviated_halves(&corpus.names);
    corpus.records = records;
    corpus
}

/// The two rarest words of an address (lowest document frequency, ties by word id), sorted: the
/// address's identity for blocking and crowding (typically the house number and the street, or
/// the postcode).
pub fn address_key(v: &Vocab, address: &[u32]) -> Option<(u32, u32)> {
    let t = v.rarest(address, 2);
    (t.len() == 2).then(|| (t[0].min(t[1]), t[0].max(t[1])))
}

/// Countries whose firms' names carry the Arabic article, written apart or glued ("Al Noor",
/// "Al-Noor", "Alnoor"): the Arab League's members.
const ARTICLE_COUNTRIES: &[[u8; 2]] = &[
    *b"AE", *b"BH", *b"DJ", *b"DZ", *b"EG", *b"IQ", *b"JO", *b"KM", *b"KW", *b"LB", *b"LY", *b"MA",
    *b"MR", *b"OM", *b"PS", *b"QA", *b"SA", *b"SD", *b"SO", *b"SY", *b"TN", *b"YE",
];

/// The article stems of the name words (see [`Vocab::article_stem`]): a word of a record of an
/// [`ARTICLE_COUNTRIES`] country that starts with "al" or "el" and whose rest, of at least three
/// letters, is a name word of the corpus too. "Al" is a stop word, so "Al Noor Trading" is
/// "noor trading", while "ALNOOR TRADING" on a bill of lading was "alnoor trading" and shared
/// no word with it. Only there: elsewhere "Alpine" is no article before "pine".
fn glued_articles(v: &Vocab, records: &[Prepared]) -> Vec<u32> {
    let mut stem = Vec::new();
    for r in records {
        if !r.country.is_some_and(|k| ARTICLE_COUNTRIES.contains(&k)) {
            continue;
        }
        for name in &r.names {
            for &t in &name.tokens {
                let w = v.strings[t as usize].as_str();
                let Some(rest) = w.strip_prefix("al").or_else(|| w.strip_prefix("el")) else {
                    continue;
                };
                if rest.len() < 3 || !rest.bytes().all(|b| b.is_ascii_lowercase()) {
                    continue;
                }
                if let Some(s) = v.get(rest) {
                    if stem.is_empty() {
                        stem = vec![u32::MAX; v.strings.len()];
                    }
                    stem[t as usize] = s;
                }
            }
        }
    }
    stem
}

/// The halves of the name words written together from an abbreviated business word (see
/// [`Vocab::joined_halves`]). Split, "Sky Tech" is interned expanded ("sky technology");
/// joined, "Skytech" as written, so comparing letter for letter cannot see that they are one
/// name. Each half has at least three letters and both must be words of the vocabulary.
fn abbreviated_halves(v: &Vocab) -> Vec<(u32, u32)> {
    let found: Vec<(u32, (u32, u32))> = (0..v.strings.len())
        .into_par_iter()
        .filter_map(|t| {
            let w = v.strings[t].as_str();
            if w.len() < 6 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
                return None;
            }
            (3..=w.len() - 3).find_map(|k| {
                let (l, r) = w.split_at(k);
                let (bl, br) = (normalize::business_word(l), normalize::business_word(r));
                if bl.is_none() && br.is_none() {
                    return None;
                }
                Some((t as u32, (v.get(bl.unwrap_or(l))?, v.get(br.unwrap_or(r))?)))
            })
        })
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    let mut halves = vec![(u32::MAX, u32::MAX); v.strings.len()];
    for (t, h) in found {
        halves[t as usize] = h;
    }
    halves
}

/// Takes back the acronym mark of every acronym whose letters begin more than one name in the
/// corpus (runs of consecutive words, in their blocking spelling, so that a firm's typos and
/// plurals count once): "GTS" beside both "Global Trading Services" and "Golden Tech Systems"
/// says neither, and credited against both it joined the two firms through the acronym. An
/// acronym that begins one name, or none, keeps its mark.
fn unmark_ambiguous_acronyms(c: &mut Corpus, records: &[Prepared]) {
    /// What the corpus spells an acronym as.
    enum Expansion {
        None,
        One(Vec<u32>),
        Many,
    }
    if !c.names.has_acronyms {
        return;
    }
    let mut expansions: HashMap<&[u8], Expansion> = (0..c.names.strings.len())
        .filter(|&t| c.names.acronym[t])
        .map(|t| (c.names.strings[t].as_bytes(), Expansion::None))
        .collect();
    for r in records {
        for name in &r.names {
            super::block::initial_runs(&c.names, &name.tokens, |run, words| {
                let Some(e) = expansions.get_mut(run) else {
                    return;
                };
                let words: Vec<u32> = words
                    .iter()
                    .map(|&w| super::block::blocking_word(c, w))
                    .collect();
                *e = match std::mem::replace(e, Expansion::Many) {
                    Expansion::None => Expansion::One(words),
                    Expansion::One(x) if x == words => Expansion::One(x),
                    _ => Expansion::Many,
                };
            });
        }
    }
    let ambiguous: Vec<u32> = expansions
        .into_iter()
        .filter(|(_, e)| matches!(e, Expansion::Many))
        .filter_map(|(w, _)| c.names.get(std::str::from_utf8(w).ok()?))
        .collect();
    for t in ambiguous {
        c.names.acronym[t as usize] = false;
    }
    c.names.has_acronyms = c.names.acronym.iter().any(|&a| a);
}

/// For each record, how many differently named organisations give its address: the number of
/// distinct rarest name words (in their blocking spelling, so that a firm's own spellings and
/// typos count once or twice, not ten times) among the organisations with the same
/// [`address_key`]. Zero for people and records without an address. A registered agent's or a
/// serviced office's address is given by many firms, so agreeing on it says little about
/// identity; comparison grades it apart (see `compare::CROWDED_ADDRESS`).
///
/// # Complexity
/// O(n log n).
fn address_crowds(c: &Corpus, records: &[Prepared]) -> Vec<u32> {
    let keyed: Vec<Option<((u32, u32), u32)>> = records
        .iter()
        .map(|r| {
            if r.class != Class::Organisation {
                return None;
            }
            let key = address_key(&c.addresses, &r.address)?;
            let name = r.names.first()?;
            let word = *super::block::rarest_canonical(c, &name.tokens, 1).first()?;
            Some((key, word))
        })
        .collect();
    let mut pairs: Vec<((u32, u32), u32)> = keyed.iter().flatten().copied().collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut count: HashMap<(u32, u32), u32> = HashMap::new();
    for (k, _) in &pairs {
        *count.entry(*k).or_default() += 1;
    }
    keyed
        .iter()
        .map(|k| k.map_or(0, |(k, _)| count[&k]))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A record with only an id, a kind and a name (shared with the blocking tests).
    pub(crate) fn raw(id: i64, kind: &str, name: &str) -> RawRecord {
        RawRecord {
            id,
            kind: kind.into(),
            name: name.into(),
            ..RawRecord::default()
        }
    }

    #[test]
    fn split_and_one_line_addresses_read_the_same() {
        let (mut split, n) = full_address("55 Jalan Puchong", Some("Kuala Lumpur"), Some("90962"));
        assert_eq!(n, 3, "the line's own words come first");
        let (mut line, m) = full_address("55 Jalan Puchong, Kuala Lumpur 90962", None, None);
        assert_eq!(m, line.len());
        split.sort();
        line.sort();
        assert_eq!(split, line);
        // fields the line already has are not repeated; a city alone is not an address
        let (t, n) = full_address("55 Jalan Puchong, Kuala Lumpur", Some("Kuala Lumpur"), None);
        assert_eq!((t.len(), n), (5, 5));
        assert!(
            full_address("", Some("Kuala Lumpur"), Some("90962"))
                .0
                .is_empty()
        );
    }

    /// The class `prepare` gives each (kind, name) record, numbered from 1 in order, and how
    /// many of the unstated kinds it took for people.
    fn classes(records: &[(&str, &str)]) -> (Vec<Class>, usize) {
        let raws: Vec<RawRecord> = (1..)
            .zip(records)
            .map(|(i, &(kind, name))| raw(i, kind, name))
            .collect();
        let c = prepare(&raws);
        (
            c.records.iter().map(|r| r.class).collect(),
            c.inferred_people,
        )
    }

    #[test]
    fn infers_kind_of_shipment_mentions() {
        let (k, inferred) = classes(&[
            ("person", "John Smith"),
            ("person", "Mary Smith"),
            ("company", "Apex Tech Pte Ltd"),
            ("company", "Blue Ocean Trading"),
            ("unknown", "Smith John"),
            ("unknown", "Ocean Tech Trading"),
            ("unknown", "Mr Nobody"),
            ("unknown", "Zeta Holdings Ltd"),
            ("unknown", "Smith J"),
            ("unknown", "Smith (S)"),
            ("unknown", "John Smith (Jack)"),
        ]);
        assert_eq!(k[4], Class::Person);
        assert_eq!(k[5], Class::Organisation);
        assert_eq!(k[6], Class::Person);
        assert_eq!(k[7], Class::Organisation);
        // A lone letter reads as an initial; bracketed, as a place code ("(S)": Singapore).
        assert_eq!(k[8], Class::Person);
        assert_eq!(k[9], Class::Organisation);
        assert_eq!(k[10], Class::Person);
        assert_eq!(inferred, 4);
    }

    #[test]
    fn a_chinese_company_name_without_a_legal_form_is_not_read_as_a_person() {
        // Read letter by letter, the name's syllables ("shen zhen shi chuang hong …") are those
        // of Chinese people's names; read as the name is compared (place, trade name, line of
        // business), it is Shenzhen's "chuanghong" research institute.
        let (k, _) = classes(&[
            ("person", "王洪"),
            ("person", "张创"),
            ("person", "沈嘉"),
            ("person", "李研"),
            ("company", "Apex Research Institute"),
            ("company", "北京鸿星制造有限公司"),
            ("unknown", "深圳市创鸿研究所"),
            ("unknown", "王洪"),
        ]);
        assert_eq!(k[6], Class::Organisation);
        assert_eq!(k[7], Class::Person);
    }

    #[test]
    fn a_name_of_unseen_words_stays_an_organisation_when_people_outnumber_firms() {
        // registries list more directors than companies; the unstated kinds are shipment
        // parties, so a misspelt one-word mention is not a person for want of evidence
        let (k, _) = classes(&[
            ("person", "John Smith"),
            ("person", "Mary Jones"),
            ("person", "Wei Zhang"),
            ("person", "Ali Khan"),
            ("company", "Pacific Trading Ltd"),
            ("unknown", "PACFIIC"),
            ("unknown", "Smith Mary"),
        ]);
        assert_eq!(k[5], Class::Organisation);
        assert_eq!(k[6], Class::Person);
    }

    #[test]
    fn rare_words_weigh_more() {
        let mut raws = vec![raw(1, "company", "Zyxor Trading")];
        for i in 2..50 {
            raws.push(raw(i, "company", &format!("Name{i} Trading")));
        }
        let c = prepare(&raws);
        let w = |s: &str| c.names.weight[c.names.get(s).unwrap() as usize];
        assert!(w("zyxor") > 3.0 * w("trading"));
    }

    #[test]
    fn a_place_of_several_words_is_one_place_word() {
        let mut raws = vec![
            raw(
                1,
                "company",
                "Keystone Systems International (Hong Kong) Limited",
            ),
            raw(2, "company", "Evergreen Computer (Middle East) LLC"),
            raw(3, "company", "Hong Fa Trading Ltd"),
            raw(4, "person", "Hong Kong Wei"),
        ];
        raws[1].city = Some("Kuala Lumpur".into());
        raws.push(raw(5, "company", "Zenith Kuala Lumpur Sdn Bhd"));
        let c = prepare(&raws);
        let words = |i: usize| -> Vec<&str> {
            let t = &c.records[i].names[0].tokens;
            t.iter()
                .map(|&t| c.names.strings[t as usize].as_str())
                .collect()
        };
        assert_eq!(
            words(0),
            ["keystone", "system", "international", "hongkong"]
        );
        assert_eq!(words(1), ["evergreen", "computer", "middleeast"]);
        // a city of the corpus, of two words
        assert_eq!(words(4), ["zenith", "kualalumpur"]);
        // "hong" alone is a name word, and a person's name is not read for places
        assert_eq!(words(2), ["hong", "fa", "trading"]);
        assert!(c.names.get("hongkong").is_some());
        assert_eq!(c.records[3].names[0].tokens.len(), 3);
        let weight = |w: &str| c.names.weight[c.names.get(w).unwrap() as usize];
        assert_eq!(weight("hongkong"), 1.0);
        assert_eq!(weight("middleeast"), 1.0);
        assert!(weight("hong") > 1.0);
    }

    #[test]
    fn a_short_word_of_people_s_names_is_a_syllable_not_a_place_code() {
        let c = prepare(&[
            raw(1, "person", "陈华丽"),
            raw(2, "person", "Li Wei"),
            raw(3, "person", "Wu Li Na"),
            raw(4, "company", "Crown (HK) Ltd"),
            raw(5, "company", "Quantus (S) Pte Ltd"),
            raw(6, "company", "Zenith HK Ltd"),
        ]);
        let weight = |w: &str| c.names.weight[c.names.get(w).unwrap() as usize];
        assert!(weight("li") > 1.0, "{}", weight("li"));
        assert_eq!(weight("hk"), 1.0);
        assert_eq!(weight("s"), 1.0);
    }
}
