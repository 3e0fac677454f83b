//! The synthetic world: companies, people and the relationships between them.
//!
//! Inputs: the [`GenerateConfig`](super::GenerateConfig) sizes and seed. Outputs: a [`World`]
//! held in memory (a few hundred bytes per party) from which every output file is rendered:
//! registry rows, screening entries, FtM entities and the party mentions on shipments. Network
//! planting ([`super::networks`]) rewrites some companies in place before relationships are
//! drawn, so fronts get the owners, directors, addresses and phones that tie them together.

use crate::model::RelKind;

use super::calendar::days_from_civil;
use super::names::{Business, CompanyName, PersonName};
use super::places::{self, Address, COUNTRIES};
use super::rng::Rng;

/// Stream tags for [`Rng::derive`], one per kind of draw, so adding draws to one kind never
/// shifts another.
pub mod stream {
    pub const COMPANY: u64 = 1;
    pub const PERSON: u64 = 2;
    pub const REL: u64 = 3;
    pub const NETWORK: u64 = 4;
    pub const DECOY: u64 = 5;
    pub const SPELL: u64 = 6;
    pub const SHIP: u64 = 7;
    pub const LIST: u64 = 8;
    pub const WORLD: u64 = 9;
    pub const ADDR: u64 = 10;
    pub const PARTY: u64 = 11;
    pub const FTM: u64 = 12;
}

/// What part a company plays in the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Buys electronics (the long tail of consignees).
    Importer,
    /// Manufacturer or distributor shipping from an origin country.
    Exporter,
    /// Freight forwarder; `big` ones serve many unrelated shippers.
    Forwarder { big: bool },
    /// Tier-1 cloud / data-centre operator buying in bulk, legitimately.
    DataCentre,
    /// Research institute (kind organization).
    Institute,
    /// Holding company owning other companies.
    Holding,
    /// Front of planted network `n`.
    Front(u16),
    /// Beneficiary of planted network `n`.
    Beneficiary(u16),
    /// Hub intermediary hiding the beneficiary of network `n`.
    Intermediary(u16),
    /// Notify party, payer or small forwarder serving network `n`.
    Service(u16),
    /// Member of decoy group `d` (unrelated sub-threshold buyer).
    DecoyBuyer(u16),
}

/// One company (or organisation).
#[derive(Debug, Clone)]
pub struct Company {
    pub name: CompanyName,
    pub country: u16,
    pub business: Business,
    pub addr: Address,
    /// Country of the phone number (usually `country`).
    pub phone_country: u16,
    pub phone: u64,
    pub email: String,
    pub website: bool,
    pub reg_id: String,
    pub incorporated: i32,
    pub role: Role,
    /// Has a row in parties.csv.
    pub registered: bool,
    /// Has a second, differently spelled registry row.
    pub duplicate: bool,
    /// On the screening list.
    pub listed: bool,
    /// In the FtM export.
    pub in_ftm: bool,
}

impl Company {
    /// The cluster id of company `i`.
    pub fn cluster(i: usize) -> String {
        let mut s = String::with_capacity(8);
        super::truth::push_company(&mut s, i);
        s
    }

    /// Whether it is an organisation rather than a company.
    pub fn is_org(&self) -> bool {
        self.business == Business::Institute
    }
}

/// One natural person.
#[derive(Debug, Clone)]
pub struct Person {
    pub name: PersonName,
    pub country: u16,
    pub nationality: u16,
    pub dob: i32,
    pub listed: bool,
    pub in_ftm: bool,
}

impl Person {
    /// The cluster id of person `i`.
    pub fn cluster(i: usize) -> String {
        let mut s = String::with_capacity(8);
        super::truth::push_person(&mut s, i);
        s
    }
}

/// A party in a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Node {
    Company(u32),
    Person(u32),
}

/// One relationship row.
#[derive(Debug, Clone)]
pub struct Rel {
    pub from: Node,
    pub to: Node,
    pub kind: RelKind,
    pub share: Option<u8>,
    pub start: Option<i32>,
}

/// Everything generated that is not a shipment.
#[derive(Debug, Default)]
pub struct World {
    pub seed: u64,
    pub companies: Vec<Company>,
    pub people: Vec<Person>,
    pub rels: Vec<Rel>,
    /// People index by country.
    pub people_by_country: Vec<Vec<u32>>,
    /// Mass-registration (registered-agent) addresses and the companies placed there.
    pub mass_addresses: Vec<(Address, Vec<u32>)>,
    /// Nominee directors and the unrelated companies each directs.
    pub nominees: Vec<(u32, Vec<u32>)>,
    /// Pairs of unrelated companies with near-identical names.
    pub similar_pairs: Vec<(u32, u32)>,
}

/// Countries goods are exported from.
pub const ORIGINS: &[&str] = &["US", "TW", "KR", "JP", "CN", "DE"];
/// Transshipment hubs.
pub const HUBS: &[&str] = &["SG", "MY", "TH", "HK", "AE", "TW", "VN"];
/// Tier-1-like countries where big data centres sit.
pub const DC_COUNTRIES: &[&str] = &["US", "JP", "DE", "KR", "GB", "NL", "FR", "AU", "CA"];

/// Day number range of incorporation dates for established companies.
fn established(rng: &mut Rng) -> i32 {
    rng.range(
        days_from_civil(1988, 1, 1) as u64,
        days_from_civil(2021, 12, 31) as u64,
    ) as i32
}

/// A registration number in the country's format.
pub fn reg_id(rng: &mut Rng, code: &str, incorporated: i32) -> String {
    let year = super::calendar::year_of(incorporated);
    let letter = (b'A' + rng.below(26) as u8) as char;
    match code {
        "SG" => format!("{year}{:05}{letter}", rng.below(100_000)),
        "MY" => format!(
            "{year}01{:06} ({}-{letter})",
            rng.below(1_000_000),
            rng.range(100_000, 1_599_999)
        ),
        "HK" => format!("{}", rng.range(1_000_000, 3_499_999)),
        "CN" => format!(
            "91{}{:04}MA{:08X}",
            rng.range(110_000, 650_000),
            rng.below(10_000),
            rng.next_u64() as u32
        ),
        "US" => format!("{:02}-{:07}", rng.range(10, 99), rng.below(10_000_000)),
        "AE" => format!(
            "{}-{}",
            ["DMCC", "JAFZA", "DED", "DSO"][rng.index(4)],
            rng.range(100_000, 999_999)
        ),
        "TW" => format!("{:08}", rng.below(100_000_000)),
        "KR" => format!(
            "{:03}-{:02}-{:05}",
            rng.range(100, 899),
            rng.below(100),
            rng.below(100_000)
        ),
        "JP" => format!("{:013}", rng.below(10_000_000_000_000)),
        "DE" => format!("HRB {}", rng.range(10_000, 299_999)),
        "RU" => format!("1{:02}77{:08}", year % 100, rng.below(100_000_000)),
        "IN" => format!("U72900KA{year}PTC{:06}", rng.below(1_000_000)),
        "VN" => format!("0{:09}", rng.below(1_000_000_000)),
        "TH" => format!("0105{:09}", rng.below(1_000_000_000)),
        _ => format!("{}{:08}", code, rng.below(100_000_000)),
    }
}

/// A company email of a brand: "sales@apextek.com.sg".
fn email_for(rng: &mut Rng, name: &CompanyName, tld: &str) -> String {
    let domain: String = name
        .brand
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(char::to_lowercase)
        .collect();
    let user = ["info", "sales", "admin", "contact", "trade", "procurement"][rng.index(6)];
    format!("{user}@{domain}.{tld}")
}

/// Builds a company of `country` doing `business` with role `role` from `rng`.
pub fn make_company(rng: &mut Rng, country: usize, business: Business, role: Role) -> Company {
    let code = COUNTRIES[country].code;
    let mut name = CompanyName::random(rng, code, business);
    let addr = Address::random(rng, country);
    if name.region.is_some() {
        // Chinese names carry the registration city; keep it the address's city.
        name.region = Some(addr.city);
    }
    let incorporated = established(rng);
    let email = email_for(rng, &name, COUNTRIES[country].tld);
    Company {
        reg_id: reg_id(rng, code, incorporated),
        phone: places::phone_digits(rng, country),
        phone_country: country as u16,
        website: rng.chance(0.55),
        name,
        country: country as u16,
        business,
        addr,
        email,
        incorporated,
        role,
        registered: rng.chance(0.93),
        duplicate: rng.chance(0.03),
        listed: false,
        in_ftm: false,
    }
}

/// Draws the role and business of an ordinary company of `country`.
fn ordinary_role(rng: &mut Rng, code: &str) -> (Business, Role) {
    let origin = ORIGINS.contains(&code);
    let hub = HUBS.contains(&code);
    let r = rng.f64();
    if r < if origin { 0.16 } else { 0.03 } {
        (Business::Trade, Role::Exporter)
    } else if r < 0.16 + if hub { 0.035 } else { 0.012 } {
        (
            Business::Forwarding,
            Role::Forwarder {
                big: rng.chance(0.15),
            },
        )
    } else if DC_COUNTRIES.contains(&code) && rng.chance(0.01) {
        (Business::DataCentre, Role::DataCentre)
    } else if matches!(code, "CN" | "RU" | "IR") && rng.chance(0.02) {
        (Business::Institute, Role::Institute)
    } else if rng.chance(0.03) {
        (Business::Holding, Role::Holding)
    } else {
        (Business::Trade, Role::Importer)
    }
}

impl World {
    /// Builds companies and people (no relationships yet: [`World::draw_relationships`] runs
    /// after networks are planted).
    pub fn new(seed: u64, companies: usize, people: usize) -> World {
        let weights = places::weights();
        let mut cs = Vec::with_capacity(companies);
        for i in 0..companies {
            let mut rng = Rng::derive(seed, stream::COMPANY, i as u64);
            let country = rng.weighted(&weights);
            let (business, role) = ordinary_role(&mut rng, COUNTRIES[country].code);
            cs.push(make_company(&mut rng, country, business, role));
        }
        let mut ps = Vec::with_capacity(people);
        let mut by_country = vec![Vec::new(); COUNTRIES.len()];
        for i in 0..people {
            let mut rng = Rng::derive(seed, stream::PERSON, i as u64);
            let country = rng.weighted(&weights);
            let nationality = if rng.chance(0.9) {
                country
            } else {
                rng.weighted(&weights)
            };
            let dob = days_from_civil(1950, 1, 1) + rng.below(51 * 365) as i32;
            ps.push(Person {
                name: PersonName::random(&mut rng, COUNTRIES[nationality].code),
                country: country as u16,
                nationality: nationality as u16,
                dob,
                listed: false,
                in_ftm: false,
            });
            by_country[country].push(i as u32);
        }
        let mut world = World {
            seed,
            companies: cs,
            people: ps,
            people_by_country: by_country,
            ..World::default()
        };
        world.ensure_minimums();
        world
    }

    /// Guarantees the pools background trade draws from are never empty, even for tiny worlds.
    fn ensure_minimums(&mut self) {
        let mut rng = Rng::derive(self.seed, stream::WORLD, 0);
        let need: [(Role, usize, &[&str], Business); 3] = [
            (Role::Exporter, 6, ORIGINS, Business::Trade),
            (Role::Forwarder { big: true }, 4, HUBS, Business::Forwarding),
            (Role::DataCentre, 3, DC_COUNTRIES, Business::DataCentre),
        ];
        for (role, min, countries, business) in need {
            let have = self
                .companies
                .iter()
                .filter(|c| std::mem::discriminant(&c.role) == std::mem::discriminant(&role))
                .count();
            for _ in have..min {
                let slot = self.free_slot(&mut rng);
                let code = *rng.pick(countries);
                let country = places::country(code);
                self.companies[slot] = make_company(&mut rng, country, business, role);
            }
        }
    }

    /// A random importer slot that planting may rewrite.
    pub fn free_slot(&self, rng: &mut Rng) -> usize {
        for _ in 0..10_000 {
            let i = rng.index(self.companies.len());
            if self.companies[i].role == Role::Importer {
                return i;
            }
        }
        panic!("no free importer slot left; too few companies for the planted patterns")
    }

    /// A person of `country` (any person when the country has none), chosen by `rng`.
    pub fn person_in(&self, rng: &mut Rng, country: usize) -> u32 {
        let pool = &self.people_by_country[country];
        if pool.is_empty() {
            rng.index(self.people.len()) as u32
        } else {
            *rng.pick(pool)
        }
    }

    /// Places many unrelated companies at a few registered-agent addresses, and makes a few
    /// people nominee directors of many unrelated companies: both are legitimate and common,
    /// and both look like "shared address" / "shared director" evidence.
    pub fn plant_shared_services(&mut self) {
        let mut rng = Rng::derive(self.seed, stream::WORLD, 1);
        let n = self.companies.len();
        let per_address = (n / 400).clamp(6, 800);
        for (k, code) in ["SG", "HK", "AE", "MY", "SG"].iter().enumerate() {
            if k >= 2 && n < 2_000 {
                break;
            }
            let c = places::country(code);
            let mut addr = Address::random(&mut rng, c);
            addr.floor = rng.range(2, 20) as u8;
            addr.unit = 0;
            addr.building = 0;
            let members: Vec<u32> = (0..n as u32)
                .filter(|&i| {
                    let co = &self.companies[i as usize];
                    co.country as usize == c
                        && co.role == Role::Importer
                        && !co.name.brand.is_empty()
                })
                .collect();
            let mut chosen = Vec::new();
            for _ in 0..per_address.min(members.len()) {
                let i = *rng.pick(&members);
                if !chosen.contains(&i) && !self.mass_addresses.iter().any(|m| m.1.contains(&i)) {
                    chosen.push(i);
                }
            }
            chosen.sort_unstable();
            for &i in &chosen {
                self.companies[i as usize].addr = addr.clone();
            }
            self.mass_addresses.push((addr, chosen));
        }
        let nominees = (n / 5_000).clamp(2, 40);
        for k in 0..nominees {
            let code = ["SG", "HK", "AE", "MY"][k % 4];
            let c = places::country(code);
            let person = self.person_in(&mut rng, c);
            let candidates: Vec<u32> = (0..n as u32)
                .filter(|&i| {
                    let co = &self.companies[i as usize];
                    co.country as usize == c && co.role == Role::Importer
                })
                .collect();
            let mut directs = Vec::new();
            let count = rng.range(8, 60) as usize;
            for _ in 0..count.min(candidates.len()) {
                let i = *rng.pick(&candidates);
                if !directs.contains(&i) {
                    directs.push(i);
                }
            }
            directs.sort_unstable();
            self.nominees.push((person, directs));
        }
    }

    /// Gives about 1% of companies a near-identical name of another, unrelated company (same
    /// brand, a word added or dropped, often another country): hard negatives for resolution.
    pub fn plant_similar_names(&mut self) {
        let mut rng = Rng::derive(self.seed, stream::WORLD, 2);
        let n = self.companies.len();
        let pairs = (n / 100).max(4);
        for _ in 0..pairs {
            let a = rng.index(n);
            let b = rng.index(n);
            let (ca, cb) = (&self.companies[a], &self.companies[b]);
            if a == b
                || ca.role != Role::Importer
                || cb.role != Role::Importer
                || cb.name.script != super::names::Script::Latin
                || ca.name.script != super::names::Script::Latin
            {
                continue;
            }
            let mut name = ca.name.clone();
            name.country = cb.name.country;
            name.form = cb.name.form;
            if rng.chance(0.5) {
                // "Apex Tech" vs "Apex Tech Trading".
                let extra = *rng.pick(&[2u8, 3, 8, 17, 12]);
                if !name.descs.contains(&extra) {
                    name.descs.push(extra);
                }
            } else if rng.chance(0.5) && name.descs.len() > 1 {
                name.descs.pop();
            }
            if name.canonical() == self.companies[a].name.canonical() {
                // Registries refuse identical names in one jurisdiction; elsewhere keep "same
                // name, other country" as a hard negative too.
                if name.country == self.companies[a].name.country {
                    let extra = *rng.pick(&[2u8, 3, 8]);
                    if name.descs.contains(&extra) {
                        name.descs.retain(|&d| d != extra);
                    } else {
                        name.descs.push(extra);
                    }
                }
            }
            self.companies[b].name = name;
            self.similar_pairs.push((a as u32, b as u32));
        }
    }

    /// Draws owners, directors and officers of every company that planting did not already
    /// provide, plus some family and associate ties between people.
    pub fn draw_relationships(&mut self) {
        let n = self.companies.len();
        let mut has_owner = vec![false; n];
        let mut has_director = vec![false; n];
        for r in &self.rels {
            if let Node::Company(c) = r.to {
                match r.kind {
                    RelKind::Owner | RelKind::BeneficialOwner => has_owner[c as usize] = true,
                    RelKind::Director => has_director[c as usize] = true,
                    _ => {}
                }
            }
        }
        for (p, directs) in &self.nominees {
            for &c in directs {
                self.rels.push(Rel {
                    from: Node::Person(*p),
                    to: Node::Company(c),
                    kind: RelKind::Director,
                    share: None,
                    start: None,
                });
            }
        }
        let holdings: Vec<u32> = (0..n as u32)
            .filter(|&i| self.companies[i as usize].role == Role::Holding)
            .collect();
        for i in 0..n {
            let mut rng = Rng::derive(self.seed, stream::REL, i as u64);
            let c = &self.companies[i];
            let country = c.country as usize;
            let start = Some(c.incorporated);
            let mut first_director = None;
            if !has_director[i] {
                let max = if rng.chance(0.3) { 3 } else { 1 };
                for _ in 0..rng.range(1, max) {
                    let p = self.person_in(&mut rng, country);
                    first_director.get_or_insert(p);
                    self.rels.push(Rel {
                        from: Node::Person(p),
                        to: Node::Company(i as u32),
                        kind: RelKind::Director,
                        share: None,
                        start,
                    });
                }
            }
            if rng.chance(0.15) {
                let p = self.person_in(&mut rng, country);
                self.rels.push(Rel {
                    from: Node::Person(p),
                    to: Node::Company(i as u32),
                    kind: RelKind::Officer,
                    share: None,
                    start,
                });
            }
            if has_owner[i] || c.is_org() {
                continue;
            }
            let r = rng.f64();
            if r < 0.2 && !holdings.is_empty() {
                let h = *rng.pick(&holdings);
                if h as usize != i {
                    self.rels.push(Rel {
                        from: Node::Company(h),
                        to: Node::Company(i as u32),
                        kind: RelKind::Owner,
                        share: Some(100),
                        start,
                    });
                    let p = self.person_in(&mut rng, country);
                    self.rels.push(Rel {
                        from: Node::Person(p),
                        to: Node::Company(i as u32),
                        kind: RelKind::BeneficialOwner,
                        share: None,
                        start,
                    });
                }
            } else if r < 0.85 {
                let owners = if rng.chance(0.35) { 2 } else { 1 };
                let first = if owners == 2 {
                    rng.range(51, 90) as u8
                } else {
                    100
                };
                // In small companies the owner usually is the director.
                let p = match first_director {
                    Some(d) if rng.chance(0.6) => d,
                    _ => self.person_in(&mut rng, country),
                };
                self.rels.push(Rel {
                    from: Node::Person(p),
                    to: Node::Company(i as u32),
                    kind: RelKind::Owner,
                    share: Some(first),
                    start,
                });
                if owners == 2 {
                    let q = self.person_in(&mut rng, country);
                    if q != p {
                        self.rels.push(Rel {
                            from: Node::Person(q),
                            to: Node::Company(i as u32),
                            kind: RelKind::Owner,
                            share: Some(100 - first),
                            start,
                        });
                    }
                }
            }
        }
        let mut rng = Rng::derive(self.seed, stream::REL, u64::MAX);
        let np = self.people.len();
        for _ in 0..np / 50 {
            let a = rng.index(np);
            let c = self.people[a].country as usize;
            let b = self.person_in(&mut rng, c) as usize;
            if a != b {
                let kind = if rng.chance(0.6) {
                    RelKind::Family
                } else {
                    RelKind::Associate
                };
                self.rels.push(Rel {
                    from: Node::Person(a as u32),
                    to: Node::Person(b as u32),
                    kind,
                    share: None,
                    start: None,
                });
            }
        }
    }
}
