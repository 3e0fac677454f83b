//! Policy profiles: the thresholds, windows, country groups, hubs, grouping strengths and
//! detector weights scoring applies. Every number scoring uses comes from here.
//!
//! Input: a TOML profile (`policies/diffusion-2025.toml`, `policies/post-rescission.toml` are
//! compiled in; users pass their own with `--policy FILE`). Output: a validated [`Policy`].
//! Invalid profiles are refused with [`Error::Config`] naming the key and the reason.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The profiles shipped with trawl, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "diffusion-2025",
        include_str!("../../policies/diffusion-2025.toml"),
    ),
    (
        "post-rescission",
        include_str!("../../policies/post-rescission.toml"),
    ),
];

/// The default profile.
pub const DEFAULT: &str = "diffusion-2025";

/// What is summed against the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Total processing performance.
    Tpp,
    /// H100-equivalents (TPP / the catalog's `h100_tpp`).
    H100e,
    /// Declared value in US$.
    ValueUsd,
    /// Units (quantity) of controlled items.
    Units,
}

/// The aggregation unit of the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// The end user where a line names one, else the consignee.
    UltimateConsignee,
    /// The consignee of record.
    Consignee,
}

/// The time window totals are taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Window {
    /// January 1 to December 31.
    CalendarYear,
    /// Any `days` consecutive days.
    Rolling {
        /// Window length in days.
        days: u32,
    },
}

impl Window {
    /// "calendar year" / "rolling 90 days".
    pub fn describe(&self) -> String {
        match self {
            Window::CalendarYear => "calendar year".into(),
            Window::Rolling { days } => format!("rolling {days} days"),
        }
    }
}

/// Country groups and hubs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Countries {
    /// Tier 1: no allowance needed.
    pub tier1: Vec<String>,
    /// Tier 3: licence required (presumption of denial).
    pub tier3: Vec<String>,
    /// Countries treated as another for the groups (HK → CN).
    #[serde(default)]
    pub treat_as: BTreeMap<String, String>,
    /// Groups (tier1 | tier2 | tier3) whose destinations the allowance applies to.
    pub allowance_applies_to: Vec<String>,
    /// Transshipment hubs.
    pub hubs: Vec<String>,
}

/// The country group of a destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Tier1,
    Tier2,
    Tier3,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Tier1 => "tier1",
            Tier::Tier2 => "tier2",
            Tier::Tier3 => "tier3",
        }
    }
}

/// Link strengths for beneficiary groups (see the profile's comments).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strengths {
    pub same_entity: f64,
    pub owner: f64,
    pub director: f64,
    pub officer: f64,
    pub related_controller: f64,
    pub owns: f64,
    pub address: f64,
    pub phone: f64,
    pub email: f64,
    pub end_user: f64,
    pub notify: f64,
    pub payer: f64,
    pub forwarder: f64,
    pub reexport: f64,
    pub possible_match: f64,
}

/// Grouping parameters.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Groups {
    pub strong: f64,
    pub possible: f64,
    pub possible_match_min: f64,
    pub min_owner_share: f64,
    pub owner_depth: u32,
    pub damp_from: u32,
    pub mass_registration: u32,
    pub crowded_address: u32,
    pub nominee_directorships: u32,
    pub flow_hub: u32,
    pub min_role_lines: u32,
    /// Factor on a tie through a shipment party (end user, notify party, payer, forwarder)
    /// whose name, legal form aside, and country another entity bears too (absent: 1).
    #[serde(default = "one")]
    pub namesake_party: f64,
    /// A shipment party joins a consignee to a party group (an upper-bound hypothesis tested
    /// apart from the partition) when it is on at least this share of the consignee's relevant
    /// lines (absent: 0, no party groups).
    #[serde(default)]
    pub party_share: f64,
    pub strength: Strengths,
}

fn one() -> f64 {
    1.0
}

/// Score combination.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub alert_min: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Structuring {
    pub weight: f64,
    pub min_members: u32,
    /// Factor on `weight` for a finding on an upper-bound group (one resting on links weaker
    /// than `groups.strong`), so that such a finding needs other detectors to alert.
    pub upper_weight: f64,
    /// Orders to a transshipment hub count towards the window totals whatever the hub's tier
    /// (absent in a profile: `false`, only `countries.allowance_applies_to`).
    #[serde(default)]
    pub count_hubs: bool,
    /// Upper-bound structuring scores only lower groups whose own findings include one of
    /// these detectors (a red flag besides sub-threshold buying)…
    #[serde(default = "default_upper_red_flags")]
    pub upper_red_flags: Vec<String>,
    /// … and that are tied to the others of the upper group by at least this many weak links.
    #[serde(default = "default_upper_min_ties")]
    pub upper_min_ties: u32,
}

/// The detectors whose finding on a lower group counts as a red flag of its own for upper-bound
/// structuring (absent in a profile): every one but structuring and shell indicators, which
/// unrelated small buyers show too.
fn default_upper_red_flags() -> Vec<String> {
    [
        "threshold_hugging",
        "fan_in",
        "transshipment",
        "listed_proximity",
        "misdeclaration",
    ]
    .map(String::from)
    .to_vec()
}

/// Weak links a lower group needs to the rest of an upper alert (absent in a profile).
fn default_upper_min_ties() -> u32 {
    2
}

/// The detectors, by the names findings, profiles and alerts use.
pub const DETECTORS: [&str; 7] = [
    "structuring",
    "threshold_hugging",
    "fan_in",
    "transshipment",
    "listed_proximity",
    "shell_indicators",
    "misdeclaration",
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdHugging {
    pub weight: f64,
    pub band: f64,
    pub min_hits: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FanIn {
    pub weight: f64,
    pub min_consignees: u32,
    pub new_days: u32,
    pub window_days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weight {
    pub weight: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShellIndicators {
    pub weight: f64,
    /// Folded words of a consignee name that mark a freight forwarder or logistics firm.
    pub logistics_words: Vec<String>,
    /// Folded words of a consignee name that mark a business line unrelated to computing.
    pub unrelated_words: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListedProximity {
    pub weight: f64,
    pub max_hops: u32,
    pub owned_share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misdeclaration {
    pub weight: f64,
    pub accelerator_unit_price: f64,
    pub server_unit_price: f64,
    pub server_accelerators: u32,
    /// Unit price (US$) from which a harmless description under a controlled HS code looks like
    /// a consumer accelerator (the catalog's `consumer_reference`); absent or 0: never.
    #[serde(default)]
    pub consumer_unit_price: f64,
}

/// Detector parameters and weights.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Detectors {
    pub structuring: Structuring,
    pub threshold_hugging: ThresholdHugging,
    pub fan_in: FanIn,
    pub transshipment: Weight,
    pub listed_proximity: ListedProximity,
    pub shell_indicators: ShellIndicators,
    pub misdeclaration: Misdeclaration,
}

/// A validated policy profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub measure: Measure,
    /// Allowance per aggregation unit and window; 0 = none (structuring off).
    pub threshold: f64,
    pub aggregation: Aggregation,
    /// ISO date the controls started.
    pub control_start: String,
    pub window: Window,
    pub countries: Countries,
    pub groups: Groups,
    pub scoring: Scoring,
    pub detectors: Detectors,
    /// Day number of `control_start` (filled by validation).
    #[serde(skip)]
    pub control_start_day: i32,
    #[serde(skip)]
    tier1: HashSet<[u8; 2]>,
    #[serde(skip)]
    tier3: HashSet<[u8; 2]>,
    #[serde(skip)]
    hubs: HashSet<[u8; 2]>,
    #[serde(skip)]
    applies: [bool; 3],
}

impl Policy {
    /// A built-in profile by name.
    ///
    /// # Errors
    /// [`Error::Config`] for an unknown name.
    pub fn builtin(name: &str) -> Result<Policy> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| Error::Config {
                key: "policy".into(),
                reason: format!(
                    "no built-in profile {name:?} (built in: {})",
                    BUILTIN
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        Policy::parse(text)
    }

    /// A built-in name or a TOML file path.
    ///
    /// # Errors
    /// [`Error::Io`] reading the file, [`Error::Config`] if it is invalid.
    pub fn load(name_or_path: &str) -> Result<Policy> {
        if BUILTIN.iter().any(|(n, _)| *n == name_or_path) {
            return Policy::builtin(name_or_path);
        }
        let p = Path::new(name_or_path);
        let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
        Policy::parse(&text)
    }

    /// Parses and validates a TOML profile.
    ///
    /// # Errors
    /// [`Error::Config`] with the key and the reason.
    pub fn parse(text: &str) -> Result<Policy> {
        let mut p: Policy = toml::from_str(text).map_err(|e| {
            let key = e
                .span()
                .and_then(|s| text.get(s))
                .map(|s| s.trim().to_string())
                .unwrap_or_else(|| "profile".into());
            Error::Config {
                key,
                reason: e.message().to_string(),
            }
        })?;
        p.validate()?;
        Ok(p)
    }

    /// Checks every value and builds the lookup sets.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first invalid key.
    pub fn validate(&mut self) -> Result<()> {
        fn bad<T>(key: &str, reason: impl Into<String>) -> Result<T> {
            Err(Error::Config {
                key: key.into(),
                reason: reason.into(),
            })
        }
        if self.name.trim().is_empty() {
            return bad("name", "must not be empty");
        }
        if !self.threshold.is_finite() || self.threshold < 0.0 {
            return bad("threshold", format!("{} must be ≥ 0", self.threshold));
        }
        self.control_start_day = match parse_day(&self.control_start) {
            Some(d) => d,
            None => {
                return bad(
                    "control_start",
                    format!("{:?} is not a YYYY-MM-DD date", self.control_start),
                );
            }
        };
        if let Window::Rolling { days } = self.window
            && !(1..=3660).contains(&days)
        {
            return bad("window.days", format!("{days} is outside 1..=3660"));
        }
        let country = |key: &str, c: &str| -> Result<[u8; 2]> {
            let b = c.as_bytes();
            if b.len() == 2 && b.iter().all(u8::is_ascii_uppercase) {
                Ok([b[0], b[1]])
            } else {
                bad(key, format!("{c:?} is not an ISO 3166-1 alpha-2 code"))
            }
        };
        let c = &self.countries;
        let mut tier1 = HashSet::new();
        for x in &c.tier1 {
            tier1.insert(country("countries.tier1", x)?);
        }
        let mut tier3 = HashSet::new();
        for x in &c.tier3 {
            let k = country("countries.tier3", x)?;
            if tier1.contains(&k) {
                return bad("countries.tier3", format!("{x} is also in tier1"));
            }
            tier3.insert(k);
        }
        let mut hubs = HashSet::new();
        for x in &c.hubs {
            hubs.insert(country("countries.hubs", x)?);
        }
        for (k, v) in &c.treat_as {
            country("countries.treat_as", k)?;
            country("countries.treat_as", v)?;
        }
        let mut applies = [false; 3];
        for g in &c.allowance_applies_to {
            match g.as_str() {
                "tier1" => applies[0] = true,
                "tier2" => applies[1] = true,
                "tier3" => applies[2] = true,
                other => {
                    return bad(
                        "countries.allowance_applies_to",
                        format!("{other:?} is not tier1, tier2 or tier3"),
                    );
                }
            }
        }
        if self.threshold > 0.0 && !applies.iter().any(|&a| a) {
            return bad(
                "countries.allowance_applies_to",
                "a threshold > 0 needs at least one group it applies to",
            );
        }
        let g = &self.groups;
        if !(g.strong > 0.0 && g.strong.is_finite()) {
            return bad("groups.strong", "must be > 0");
        }
        if !(g.possible > 0.0 && g.possible <= g.strong) {
            return bad("groups.possible", "must be > 0 and ≤ groups.strong");
        }
        if !(0.0..=1.0).contains(&g.possible_match_min) {
            return bad("groups.possible_match_min", "must be a probability 0..=1");
        }
        if !(0.0..=100.0).contains(&g.min_owner_share) {
            return bad("groups.min_owner_share", "must be a percentage 0..=100");
        }
        if g.owner_depth == 0 || g.owner_depth > 20 {
            return bad("groups.owner_depth", "must be in 1..=20");
        }
        if g.damp_from == 0 {
            return bad("groups.damp_from", "must be ≥ 1");
        }
        if g.mass_registration < 2 {
            return bad("groups.mass_registration", "must be ≥ 2");
        }
        if !(0.0..=1.0).contains(&g.namesake_party) {
            return bad(
                "groups.namesake_party",
                format!("{} is outside 0..=1", g.namesake_party),
            );
        }
        if !(0.0..=1.0).contains(&g.party_share) {
            return bad(
                "groups.party_share",
                format!("{} is outside 0..=1", g.party_share),
            );
        }
        if g.nominee_directorships < 2 {
            return bad("groups.nominee_directorships", "must be ≥ 2");
        }
        if g.flow_hub < 2 {
            return bad("groups.flow_hub", "must be ≥ 2");
        }
        let s = &g.strength;
        for (k, v) in [
            ("same_entity", s.same_entity),
            ("owner", s.owner),
            ("director", s.director),
            ("officer", s.officer),
            ("related_controller", s.related_controller),
            ("owns", s.owns),
            ("address", s.address),
            ("phone", s.phone),
            ("email", s.email),
            ("end_user", s.end_user),
            ("notify", s.notify),
            ("payer", s.payer),
            ("forwarder", s.forwarder),
            ("reexport", s.reexport),
            ("possible_match", s.possible_match),
        ] {
            if !(0.0..=10.0).contains(&v) {
                return bad(
                    &format!("groups.strength.{k}"),
                    format!("{v} is outside 0..=10"),
                );
            }
        }
        if !(self.scoring.alert_min > 0.0 && self.scoring.alert_min <= 1.0) {
            return bad("scoring.alert_min", "must be in (0, 1]");
        }
        let d = &self.detectors;
        for (k, w) in [
            ("structuring", d.structuring.weight),
            ("threshold_hugging", d.threshold_hugging.weight),
            ("fan_in", d.fan_in.weight),
            ("transshipment", d.transshipment.weight),
            ("listed_proximity", d.listed_proximity.weight),
            ("shell_indicators", d.shell_indicators.weight),
            ("misdeclaration", d.misdeclaration.weight),
        ] {
            if !(0.0..=1.0).contains(&w) {
                return bad(
                    &format!("detectors.{k}.weight"),
                    format!("{w} is outside 0..=1"),
                );
            }
        }
        if !(d.threshold_hugging.band > 0.0 && d.threshold_hugging.band < 1.0) {
            return bad("detectors.threshold_hugging.band", "must be in (0, 1)");
        }
        if !(0.0..=1.0).contains(&d.structuring.upper_weight) {
            return bad(
                "detectors.structuring.upper_weight",
                format!("{} is outside 0..=1", d.structuring.upper_weight),
            );
        }
        if d.structuring.min_members < 2 {
            return bad("detectors.structuring.min_members", "must be ≥ 2");
        }
        if let Some(x) = d
            .structuring
            .upper_red_flags
            .iter()
            .find(|x| !DETECTORS.contains(&x.as_str()) || x.as_str() == "structuring")
        {
            return bad(
                "detectors.structuring.upper_red_flags",
                format!("{x:?} is not a detector other than structuring"),
            );
        }
        if d.fan_in.min_consignees < 2 {
            return bad("detectors.fan_in.min_consignees", "must be ≥ 2");
        }
        if d.listed_proximity.max_hops == 0 || d.listed_proximity.max_hops > 6 {
            return bad("detectors.listed_proximity.max_hops", "must be in 1..=6");
        }
        if !(0.0..=100.0).contains(&d.listed_proximity.owned_share) {
            return bad(
                "detectors.listed_proximity.owned_share",
                "must be a percentage",
            );
        }
        let m = &d.misdeclaration;
        if !(m.accelerator_unit_price > 0.0 && m.server_unit_price > m.accelerator_unit_price) {
            return bad(
                "detectors.misdeclaration.server_unit_price",
                "must be > accelerator_unit_price > 0",
            );
        }
        if !(0.0..m.accelerator_unit_price).contains(&m.consumer_unit_price) {
            return bad(
                "detectors.misdeclaration.consumer_unit_price",
                "must be ≥ 0 and < accelerator_unit_price",
            );
        }
        if m.server_accelerators == 0 {
            return bad(
                "detectors.misdeclaration.server_accelerators",
                "must be ≥ 1",
            );
        }
        self.tier1 = tier1;
        self.tier3 = tier3;
        self.hubs = hubs;
        self.applies = applies;
        Ok(())
    }

    fn mapped(&self, c: [u8; 2]) -> [u8; 2] {
        let s = std::str::from_utf8(&c).unwrap_or("");
        match self.countries.treat_as.get(s) {
            Some(t) if t.len() == 2 => [t.as_bytes()[0], t.as_bytes()[1]],
            _ => c,
        }
    }

    /// The country group of an alpha-2 code (after `treat_as`).
    pub fn tier(&self, c: [u8; 2]) -> Tier {
        let c = self.mapped(c);
        if self.tier3.contains(&c) {
            Tier::Tier3
        } else if self.tier1.contains(&c) {
            Tier::Tier1
        } else {
            Tier::Tier2
        }
    }

    /// Whether the allowance (and so the threshold) applies to a destination.
    pub fn allowance_applies(&self, c: [u8; 2]) -> bool {
        self.threshold > 0.0
            && match self.tier(c) {
                Tier::Tier1 => self.applies[0],
                Tier::Tier2 => self.applies[1],
                Tier::Tier3 => self.applies[2],
            }
    }

    /// Whether orders to a destination count towards the window totals (structuring, hugging,
    /// group totals, score-log's running totals): the allowance applies to it, or it is a hub
    /// and `detectors.structuring.count_hubs` is set. Never without a threshold.
    pub fn counts_towards_threshold(&self, c: [u8; 2]) -> bool {
        self.allowance_applies(c)
            || (self.threshold > 0.0 && self.detectors.structuring.count_hubs && self.is_hub(c))
    }

    /// Whether a country is a transshipment hub (checked before `treat_as`).
    pub fn is_hub(&self, c: [u8; 2]) -> bool {
        self.hubs.contains(&c)
    }

    /// The unit of the measure, for messages.
    pub fn unit(&self) -> &'static str {
        match self.measure {
            Measure::Tpp => "TPP",
            Measure::H100e => "H100e",
            Measure::ValueUsd => "US$",
            Measure::Units => "units",
        }
    }
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`, longer strings use their first 10 bytes).
pub fn parse_day(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let mut v = 0i32;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i32::from(c - b'0');
        }
        Some(v)
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The ISO date of a day number (inverse of [`parse_day`]).
pub fn format_day(days: i32) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i32::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The calendar year of a day number.
pub fn year_of(days: i32) -> i32 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i32::from(m <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(s: &str) -> [u8; 2] {
        [s.as_bytes()[0], s.as_bytes()[1]]
    }

    #[test]
    fn builtin_profiles_load() {
        let d = Policy::builtin("diffusion-2025").unwrap();
        assert_eq!(d.threshold, 26_900_000.0);
        assert_eq!(d.window, Window::CalendarYear);
        assert_eq!(d.tier(cc("SG")), Tier::Tier2);
        assert_eq!(d.tier(cc("US")), Tier::Tier1);
        assert_eq!(d.tier(cc("CN")), Tier::Tier3);
        assert_eq!(d.tier(cc("HK")), Tier::Tier3, "HK treated as China");
        assert!(d.is_hub(cc("HK")), "and also a hub");
        assert!(d.allowance_applies(cc("MY")));
        assert!(!d.allowance_applies(cc("DE")));
        let p = Policy::builtin("post-rescission").unwrap();
        assert_eq!(p.threshold, 0.0);
        assert!(!p.allowance_applies(cc("MY")), "no small-order allowance");
        assert_eq!(p.tier(cc("MO")), Tier::Tier3);
        assert_eq!(p.tier(cc("US")), Tier::Tier2);
    }

    #[test]
    fn invalid_profiles_name_key_and_reason() {
        let base = BUILTIN[0].1;
        let cases = [
            ("threshold = 26_900_000", "threshold = -5", "threshold"),
            (
                "kind = \"calendar_year\"",
                "kind = \"rolling\"\ndays = 0",
                "window.days",
            ),
            ("\"MO\", \"MM\"", "\"MOO\", \"MM\"", "countries.tier3"),
            ("alert_min = 0.6", "alert_min = 1.5", "scoring.alert_min"),
            (
                "weight = 0.7\n",
                "weight = 2.0\n",
                "detectors.structuring.weight",
            ),
            (
                "control_start = \"2022-10-07\"",
                "control_start = \"Oct 2022\"",
                "control_start",
            ),
            (
                "band = 0.6",
                "band = 1.0",
                "detectors.threshold_hugging.band",
            ),
            (
                "upper_weight = 0.5",
                "upper_weight = 1.5",
                "detectors.structuring.upper_weight",
            ),
            (
                "\"fan_in\", \"transshipment\", \"listed_proximity\"",
                "\"fan_in\", \"transhipment\", \"listed_proximity\"",
                "detectors.structuring.upper_red_flags",
            ),
            (
                "party_share = 0.5",
                "party_share = 1.5",
                "groups.party_share",
            ),
        ];
        for (from, to, key) in cases {
            assert!(base.contains(from), "{from}");
            let text = base.replacen(from, to, 1);
            match Policy::parse(&text) {
                Err(Error::Config { key: k, reason }) => {
                    assert_eq!(k, key, "{to}: {reason}");
                    assert!(!reason.is_empty());
                }
                other => panic!("{to}: expected a config error, got {other:?}"),
            }
        }
        // Unknown keys and wrong types are refused too, naming the offending text.
        let e = Policy::parse(&base.replacen("measure = \"tpp\"", "measure = \"furlongs\"", 1));
        assert!(matches!(e, Err(Error::Config { .. })));
        let e = Policy::parse(&format!("{base}\nsurprise = 1\n"));
        assert!(matches!(e, Err(Error::Config { .. })));
    }

    #[test]
    fn days_round_trip() {
        for s in ["1970-01-01", "2024-02-29", "2025-12-31", "2022-10-07"] {
            assert_eq!(format_day(parse_day(s).unwrap()), s);
        }
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(year_of(parse_day("2025-01-01").unwrap()), 2025);
        assert_eq!(parse_day("2025-13-01"), None);
    }
}
