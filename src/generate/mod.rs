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
mod world;

use std::fmt;
use std::io::Write;
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

    let truth_path = truth_dir.join("records.csv");
    let file = std::fs::File::create(&truth_path).map_err(|e| Error::io(&truth_path, e))?;
    let mut truth = CountingWriter::new(std::io::BufWriter::with_capacity(1 << 20, file));
    writeln!(truth, "id,cluster").map_err(|e| Error::io(&truth_path, e))?;
    truth.lines = 0;

    let (ids, parties) =
        output::write_parties(&world, &out.join("parties.csv"), &mut truth, &truth_path)?;
    let relationships = output::write_relationships(&world, &ids, &out.join("relationships.csv"))?;
    let screening =
        output::write_screening(&world, &out.join("screening.csv"), &mut truth, &truth_path)?;
    let ftm_entities = output::write_ftm(
        &world,
        &out.join("entities.ftm.json"),
        &mut truth,
        &truth_path,
    )?;
    let stats = shipments::write(
        &world,
        &plan,
        cfg.shipments,
        cfg.first_year,
        cfg.years,
        &out.join("shipments.csv"),
        &mut truth,
        &truth_path,
    )?;
    truth.flush().map_err(|e| Error::io(&truth_path, e))?;

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
        truth_records: truth.lines,
        networks: plan.networks.len() as u64,
        network_lines: stats.network_ids.iter().map(|v| v.len() as u64).sum(),
        decoys: plan.decoys.len() as u64,
    })
}

/// A writer that counts the lines written through it.
struct CountingWriter<W: Write> {
    inner: W,
    lines: u64,
}

impl<W: Write> CountingWriter<W> {
    fn new(inner: W) -> Self {
        CountingWriter { inner, lines: 0 }
    }
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
