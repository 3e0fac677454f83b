//! Synthetic inputs with planted structuring networks and ground truth.
//!
//! [`generate`] builds a world of companies (heavy in transshipment hubs) and people with
//! owners, directors and officers; plants structuring networks (a beneficiary and 3–12 fronts
//! tied by some of: shared owner, director, address, phone, e-mail, notify party, payer, end
//! user, forwarder, near-identical names) and decoys (unrelated sub-threshold buyers, Tier-1
//! data centres, busy forwarders, registered-agent addresses, nominee directors, similar names);
//! then writes every input format trawl ingests, each party spelled the many ways real sources
//! spell it, plus the truth an evaluation needs:
//!
//! | file                     | content                                                     |
//! |--------------------------|-------------------------------------------------------------|
//! | `parties.csv`            | registry rows of companies, organisations and people        |
//! | `relationships.csv`      | owner, director, officer, beneficial owner, family, associate |
//! | `shipments.csv`          | one line item per row, streamed                              |
//! | `screening.csv`          | US Consolidated Screening List layout (28 columns)           |
//! | `entities.ftm.json`      | FollowTheMoney JSON Lines, OpenSanctions-style               |
//! | `truth/records.csv`      | `id,cluster` for every record of every file                  |
//! | `truth/networks.json`    | planted networks (links, orders, totals) and decoys          |
//!
//! Output is a pure function of the [`GenerateConfig`]: the same configuration gives
//! byte-identical files. Shipments are streamed, so memory depends on the number of parties,
//! not of shipments.

mod calendar;
mod names;
mod networks;
mod output;
mod places;
mod products;
mod rng;
mod shipments;
mod truth;
mod world;

use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::{Error, Result};

/// What to generate. Build with [`GenerateConfig::new`], which derives the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateConfig {
    /// Seed of every random draw.
    pub seed: u64,
    /// Number of companies (and organisations).
    pub companies: usize,
    /// Number of shipment rows (line items); at least every planted order is written.
    pub shipments: u64,
    /// Number of people. Default: 1.5 × companies.
    pub people: usize,
    /// Number of planted structuring networks. Default: companies / 500, at least 3.
    pub networks: usize,
    /// Per-consignee, per-calendar-year TPP threshold the fronts stay under.
    /// Default: 26,900,000 (the AI Diffusion rule's LPP allowance).
    pub threshold_tpp: u64,
    /// First calendar year of shipments. Default: 2023.
    pub first_year: i32,
    /// Number of calendar years of shipments. Default: 3.
    pub years: i32,
}

/// The default TPP threshold: 26,900,000 per ultimate consignee per calendar year.
pub const DEFAULT_THRESHOLD_TPP: u64 = 26_900_000;

impl GenerateConfig {
    /// A configuration with defaults derived from the number of companies.
    pub fn new(seed: u64, companies: usize, shipments: u64) -> GenerateConfig {
        GenerateConfig {
            seed,
            companies,
            shipments,
            people: companies + companies / 2,
            networks: (companies / 500).max(3),
            threshold_tpp: DEFAULT_THRESHOLD_TPP,
            first_year: 2023,
            years: 3,
        }
    }

    /// Checks the configuration can be generated.
    ///
    /// # Errors
    /// [`Error::Config`] naming the option at fault.
    pub fn validate(&self) -> Result<()> {
        let bad = |key: &str, reason: String| {
            Err(Error::Config {
                key: key.into(),
                reason,
            })
        };
        let min_companies = 150 + self.networks * 40;
        if self.companies < min_companies {
            return bad(
                "companies",
                format!(
                    "{} is too few for {} networks; need at least {min_companies}",
                    self.companies, self.networks
                ),
            );
        }
        if self.people < 50 {
            return bad(
                "people",
                format!("{} is too few; need at least 50", self.people),
            );
        }
        if self.networks == 0 {
            return bad("networks", "at least one network must be planted".into());
        }
        if !(1..=10).contains(&self.years) {
            return bad("years", format!("{} is outside 1..=10", self.years));
        }
        if self.threshold_tpp < 1_000_000 {
            return bad(
                "threshold_tpp",
                format!("{} is implausibly small", self.threshold_tpp),
            );
        }
        Ok(())
    }
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GenerateSummary {
    pub companies: u64,
    pub people: u64,
    pub parties: u64,
    pub relationships: u64,
    pub shipments: u64,
    pub shipment_mentions: u64,
    pub screening: u64,
    pub ftm_entities: u64,
    pub truth_records: u64,
    pub networks: u64,
    pub network_lines: u64,
    pub decoys: u64,
}

impl fmt::Display for GenerateSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = [
            ("parties.csv", self.parties, "rows"),
            ("relationships.csv", self.relationships, "rows"),
            ("shipments.csv", self.shipments, "rows"),
            ("screening.csv", self.screening, "rows"),
            ("entities.ftm.json", self.ftm_entities, "entities"),
            ("truth/records.csv", self.truth_records, "records"),
            ("truth/networks.json", self.networks, "networks"),
        ];
        for (file, n, what) in rows {
            writeln!(f, "{file:<22} {n:>12} {what}")?;
        }
        writeln!(
            f,
            "world: {} companies, {} people; {} network order lines; {} decoy groups",
            self.companies, self.people, self.network_lines, self.decoys
        )
    }
}

/// Generates every input file and the truth into `out` (created if missing).
///
/// # Errors
/// [`Error::Config`] for an invalid configuration, [`Error::Io`] when a file cannot be written.
///
/// # Complexity
/// O(companies + people + shipments) time; memory O(companies + people), independent of the
/// number of shipments.
///
/// # Example
/// ```
/// use trawl::generate::{GenerateConfig, generate};
///
/// let dir = tempfile::tempdir().unwrap();
/// let summary = generate(&GenerateConfig::new(42, 400, 2_000), dir.path()).unwrap();
/// assert_eq!(summary.shipments, 2_000);
/// assert!(summary.networks >= 3);
/// assert!(dir.path().join("truth/networks.json").exists());
/// ```
pub fn generate(cfg: &GenerateConfig, out: &Path) -> Result<GenerateSummary> {
    cfg.validate()?;
    let truth_dir = out.join("truth");
    std::fs::create_dir_all(&truth_dir).map_err(|e| Error::io(&truth_dir, e))?;

    let mut world = world::World::new(cfg.seed, cfg.companies, cfg.people);
    let plant_cfg = networks::PlantConfig {
        networks: cfg.networks,
        threshold: cfg.threshold_tpp,
        first_year: cfg.first_year,
        years: cfg.years,
    };
    let mut plan = networks::plant(&mut world, plant_cfg);
    world.plant_shared_services();
    world.plant_similar_names();
    networks::record_world_decoys(&world, &mut plan);
    world.draw_relationships();
    output::choose_listed(&mut world, &plan);

    let mut truth = truth::Truth::create(&truth_dir.join("records.csv"))?;
    let (ids, parties) = output::write_parties(&world, &out.join("parties.csv"), &mut truth)?;
    let relationships = output::write_relationships(&world, &ids, &out.join("relationships.csv"))?;
    let screening = output::write_screening(&world, &out.join("screening.csv"), &mut truth)?;
    let ftm_entities = output::write_ftm(&world, &out.join("entities.ftm.json"), &mut truth)?;
    let stats = shipments::write(&world, &plan, cfg, &out.join("shipments.csv"), &mut truth)?;
    let truth_records = truth.finish()?;

    let nets_path = truth_dir.join("networks.json");
    let value = output::networks_json(&world, &plan, &stats, cfg.threshold_tpp);
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| Error::io(&nets_path, std::io::Error::other(e)))?;
    text.push('\n');
    std::fs::write(&nets_path, text).map_err(|e| Error::io(&nets_path, e))?;

    Ok(GenerateSummary {
        companies: world.companies.len() as u64,
        people: world.people.len() as u64,
        parties,
        relationships,
        shipments: stats.rows,
        shipment_mentions: stats.mentions,
        screening,
        ftm_entities,
        truth_records,
        networks: plan.networks.len() as u64,
        network_lines: stats.network_ids.iter().map(|v| v.len() as u64).sum(),
        decoys: plan.decoys.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    fn small(seed: u64) -> GenerateConfig {
        let mut cfg = GenerateConfig::new(seed, 600, 4_000);
        cfg.people = 900;
        cfg
    }

    fn read_all(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        for name in [
            "parties.csv",
            "relationships.csv",
            "shipments.csv",
            "screening.csv",
            "entities.ftm.json",
            "truth/records.csv",
            "truth/networks.json",
        ] {
            files.insert(name.to_string(), std::fs::read(dir.join(name)).unwrap());
        }
        files
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let sa = generate(&small(7), a.path()).unwrap();
        let sb = generate(&small(7), b.path()).unwrap();
        generate(&small(8), c.path()).unwrap();
        assert_eq!(sa, sb);
        let (fa, fb, fc) = (read_all(a.path()), read_all(b.path()), read_all(c.path()));
        for (name, bytes) in &fa {
            assert_eq!(bytes, &fb[name], "{name} differs between runs of one seed");
            assert_ne!(bytes, &fc[name], "{name} identical for two seeds");
        }
    }

    #[test]
    fn truth_covers_every_record() {
        let dir = tempfile::tempdir().unwrap();
        let summary = generate(&small(3), dir.path()).unwrap();
        let mut truth = BTreeMap::new();
        let mut r = csv::Reader::from_path(dir.path().join("truth/records.csv")).unwrap();
        for row in r.records() {
            let row = row.unwrap();
            assert!(
                truth
                    .insert(row[0].to_string(), row[1].to_string())
                    .is_none(),
                "duplicate truth key {}",
                &row[0]
            );
        }
        assert_eq!(truth.len() as u64, summary.truth_records);
        let mut expected = BTreeSet::new();
        let mut r = csv::Reader::from_path(dir.path().join("parties.csv")).unwrap();
        assert_eq!(r.headers().unwrap().len(), 15);
        for row in r.records() {
            expected.insert(row.unwrap()[0].to_string());
        }
        let mut r = csv::Reader::from_path(dir.path().join("screening.csv")).unwrap();
        assert_eq!(r.headers().unwrap().len(), 28);
        for row in r.records() {
            let row = row.unwrap();
            assert_eq!(row.len(), 28);
            assert!(!row[1].is_empty());
            assert!(
                expected.insert(row[1].to_string()),
                "entity_number {} not unique",
                &row[1]
            );
        }
        let ftm = std::fs::read_to_string(dir.path().join("entities.ftm.json")).unwrap();
        for line in ftm.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            if matches!(
                v["schema"].as_str(),
                Some("Company" | "Person" | "Organization" | "LegalEntity")
            ) {
                expected.insert(v["id"].as_str().unwrap().to_string());
            }
        }
        let mut r = csv::Reader::from_path(dir.path().join("shipments.csv")).unwrap();
        let h = r.headers().unwrap().clone();
        assert_eq!(h.len(), 26);
        for row in r.records() {
            let row = row.unwrap();
            for (role, col) in [
                ("shipper", 2),
                ("consignee", 5),
                ("notify", 8),
                ("end_user", 11),
                ("forwarder", 14),
                ("payer", 15),
            ] {
                if !row[col].is_empty() {
                    expected.insert(format!("{}:{role}", &row[0]));
                }
            }
        }
        let keys: BTreeSet<String> = truth.keys().cloned().collect();
        assert_eq!(keys, expected);
        // Relationships refer to parties.
        let mut r = csv::Reader::from_path(dir.path().join("relationships.csv")).unwrap();
        for row in r.records() {
            let row = row.unwrap();
            assert!(truth.contains_key(&row[0]) && truth.contains_key(&row[1]));
        }
    }

    #[test]
    fn fronts_stay_under_threshold_and_networks_exceed_it() {
        for seed in [5, 6, 7, 8, 9, 10] {
            check_plan(seed);
        }
    }

    fn check_plan(seed: u64) {
        let mut cfg = small(seed);
        cfg.companies = 2_000;
        cfg.networks = 8;
        let mut world = world::World::new(cfg.seed, cfg.companies, cfg.people);
        let plan = networks::plant(
            &mut world,
            networks::PlantConfig {
                networks: cfg.networks,
                threshold: cfg.threshold_tpp,
                first_year: 2023,
                years: 3,
            },
        );
        assert!(plan.networks.len() >= 3);
        // TPP per (consignee, calendar year) over every planned line.
        let mut per: BTreeMap<(u32, i32), u64> = BTreeMap::new();
        let mut per_net = vec![0u64; plan.networks.len()];
        for p in &plan.planned {
            let tpp = products::PRODUCTS[p.product].tpp * p.quantity;
            *per.entry((p.consignee, calendar::year_of(p.date)))
                .or_default() += tpp;
            if let networks::Owner::Network { net, .. } = p.owner {
                per_net[net as usize] += tpp;
                assert_eq!(calendar::year_of(p.date), plan.networks[net as usize].year);
            }
        }
        for (n, net) in plan.networks.iter().enumerate() {
            assert!((3..=12).contains(&net.fronts.len()));
            for f in &net.fronts {
                for y in 2023..=2025 {
                    let t = per.get(&(f.company, y)).copied().unwrap_or(0);
                    assert!(
                        t < cfg.threshold_tpp,
                        "front {} of network {n} at {t} TPP in {y}",
                        f.company
                    );
                }
            }
            assert!(
                per_net[n] > cfg.threshold_tpp * 3 / 2,
                "network {n} totals only {}",
                per_net[n]
            );
            assert!(!net.links.is_empty());
            for f in &net.fronts {
                assert!(world.companies[f.company as usize].registered);
            }
            // A trail leads from the fronts to the beneficiary side.
            let ben = world::Node::Company(net.beneficiary);
            let ben_side = |n: world::Node| {
                n == ben
                    || Some(n) == net.intermediary.map(world::Node::Company)
                    || world.rels.iter().any(|r| r.from == n && r.to == ben)
            };
            assert!(
                net.links.iter().any(|l| l.kind != networks::LinkKind::Ownership && l.via.is_some_and(ben_side)),
                "network {n} has no trail to its beneficiary"
            );
        }
        for d in &plan.decoys {
            if d.kind == "unrelated_sub_threshold_buyers" {
                for m in &d.members {
                    let world::Node::Company(c) = *m else {
                        panic!("company expected")
                    };
                    assert!(
                        per.iter()
                            .filter(|(k, _)| k.0 == c)
                            .all(|(_, &t)| t < cfg.threshold_tpp)
                    );
                }
            }
        }
    }

    #[test]
    fn shipment_spellings_vary_but_truth_holds() {
        let dir = tempfile::tempdir().unwrap();
        generate(&small(11), dir.path()).unwrap();
        let mut truth = BTreeMap::new();
        for row in csv::Reader::from_path(dir.path().join("truth/records.csv"))
            .unwrap()
            .records()
        {
            let row = row.unwrap();
            truth.insert(row[0].to_string(), row[1].to_string());
        }
        let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for row in csv::Reader::from_path(dir.path().join("shipments.csv"))
            .unwrap()
            .records()
        {
            let row = row.unwrap();
            let cluster = &truth[&format!("{}:consignee", &row[0])];
            names
                .entry(cluster.clone())
                .or_default()
                .insert(row[5].to_string());
        }
        let multi = names.values().filter(|s| s.len() > 1).count();
        assert!(
            multi * 4 > names.len(),
            "{multi} of {} consignees spelled more than one way",
            names.len()
        );
    }

    #[test]
    fn rejects_too_small_worlds() {
        let cfg = GenerateConfig::new(1, 20, 10);
        assert!(matches!(cfg.validate(), Err(Error::Config { .. })));
    }
}
