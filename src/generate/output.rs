//! Writers for the registry, relationships, screening list, FtM export and the truth files.
//!
//! Inputs: the [`World`] and the [`Plan`]. Outputs: `parties.csv`, `relationships.csv`,
//! `screening.csv` (the US Consolidated Screening List layout, 28 columns), `entities.ftm.json`
//! (FollowTheMoney JSON Lines) and `truth/networks.json`; every record written is also
//! appended to `truth/records.csv` with its true cluster.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::model::RelKind;
use crate::{Error, Result};

use super::calendar::{iso, year_of};
use super::names::Script;
use super::networks::{Decoy, Network, Owner, Plan};
use super::places::{self, COUNTRIES, country_spelling, push_phone};
use super::products::{H100_TPP, PRODUCTS};
use super::rng::{Rng, mix};
use super::shipments::ShipmentStats;
use super::truth::Truth;
use super::world::{Company, Node, Person, Role, World, stream};

fn csv_writer(path: &Path) -> Result<csv::Writer<std::fs::File>> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    Ok(csv::WriterBuilder::new()
        .buffer_capacity(1 << 18)
        .from_writer(file))
}

fn csv_err(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::io(path, std::io::Error::other(e))
}

/// Registry ids of companies and people (None: not in the registry).
pub struct PartyIds {
    pub companies: Vec<Option<u32>>,
    pub people: Vec<Option<u32>>,
}

fn party_id(n: u32) -> String {
    format!("R{n:07}")
}

fn website(c: &Company) -> String {
    match c.email.split_once('@') {
        Some((_, d))
            if c.website && !["gmail.com", "163.com", "qq.com", "outlook.com"].contains(&d) =>
        {
            format!("www.{d}")
        }
        _ => String::new(),
    }
}

/// Writes parties.csv; returns the ids given and the number of rows.
///
/// # Errors
/// I/O errors.
pub fn write_parties(world: &World, path: &Path, truth: &mut Truth) -> Result<(PartyIds, u64)> {
    let mut w = csv_writer(path)?;
    let err = csv_err(path);
    w.write_record(crate::ingest::PARTY_COLUMNS).map_err(&err)?;
    let mut next = 1u32;
    let mut ids = PartyIds {
        companies: vec![None; world.companies.len()],
        people: vec![None; world.people.len()],
    };
    let mut rows = 0u64;
    let mut f: [String; 15] = Default::default();
    for (i, c) in world.companies.iter().enumerate() {
        if !c.registered {
            continue;
        }
        let mut rng = Rng::derive(world.seed, stream::PARTY, i as u64);
        let copies = if c.duplicate { 2 } else { 1 };
        for copy in 0..copies {
            for x in &mut f {
                x.clear();
            }
            let id = next;
            next += 1;
            if copy == 0 {
                ids.companies[i] = Some(id);
            }
            f[0] = party_id(id);
            f[1].push_str(if c.is_org() {
                "organization"
            } else {
                "company"
            });
            let canonical = c.name.canonical();
            let native = c.name.native();
            let (name, mut aliases) = match (&native, c.name.script) {
                (Some(n), Script::Chinese) if rng.chance(0.75) => {
                    (n.clone(), vec![canonical.clone()])
                }
                (Some(n), Script::Russian) if rng.chance(0.5) => {
                    (n.clone(), vec![canonical.clone()])
                }
                (Some(n), _) => (
                    canonical.clone(),
                    if rng.chance(0.7) {
                        vec![n.clone()]
                    } else {
                        vec![]
                    },
                ),
                (None, _) => (canonical.clone(), vec![]),
            };
            if rng.chance(0.12) {
                aliases.push(c.name.variant(&mut rng));
            }
            // A registry that writes the name in the home script writes the address so too.
            let native_addr = match (&native, c.addr.native()) {
                (Some(n), Some(a)) if copy == 0 && *n == name => Some(a),
                _ => None,
            };
            let city = native_addr.as_ref().map_or(c.addr.city(), |a| a.1);
            if copy == 1 {
                // A second registry's row: another spelling, an address written differently.
                f[2] = c.name.variant(&mut rng);
                f[4].clear();
                c.addr.push_street(&mut f[4], &mut rng, true);
            } else {
                f[2] = name;
                f[3] = aliases.join(";");
                match native_addr {
                    Some((street, _)) => f[4] = street,
                    None => c.addr.push_street(&mut f[4], &mut rng, false),
                }
            }
            f[5].push_str(city);
            if rng.chance(0.9) {
                f[6].push_str(&c.addr.postcode);
            }
            f[7].push_str(country_spelling(&mut rng, c.country as usize, 0.04));
            if rng.chance(0.85) {
                push_phone(
                    &mut f[8],
                    &mut rng,
                    c.phone_country as usize,
                    c.phone,
                    copy == 1,
                );
            }
            if rng.chance(0.7) {
                f[9].push_str(&c.email);
            }
            f[10] = website(c);
            if rng.chance(0.92) {
                f[11].push_str(&c.reg_id);
            }
            if rng.chance(0.95) {
                f[12] = iso(c.incorporated);
            }
            w.write_record(&f).map_err(&err)?;
            truth.company(&f[0], i)?;
            rows += 1;
        }
    }
    for (i, p) in world.people.iter().enumerate() {
        let mut rng = Rng::derive(world.seed, stream::PARTY, (1 << 40) + i as u64);
        for x in &mut f {
            x.clear();
        }
        let id = next;
        next += 1;
        ids.people[i] = Some(id);
        f[0] = party_id(id);
        f[1].push_str("person");
        let canonical = p.name.canonical();
        match p.name.native() {
            Some(n) if rng.chance(0.35) => {
                f[2] = n;
                f[3] = canonical;
            }
            Some(n) => {
                f[2] = canonical;
                f[3] = n;
            }
            None => f[2] = canonical,
        }
        if rng.chance(0.1) {
            if !f[3].is_empty() {
                f[3].push(';');
            }
            let v = p.name.variant(&mut rng);
            f[3].push_str(&v);
        }
        let k = &COUNTRIES[p.country as usize];
        if rng.chance(0.3) {
            f[5].push_str(k.cities[rng.index(k.cities.len())]);
        }
        f[7].push_str(country_spelling(&mut rng, p.country as usize, 0.04));
        if rng.chance(0.7) {
            f[13] = iso(p.dob);
        }
        if rng.chance(0.8) {
            f[14].push_str(country_spelling(&mut rng, p.nationality as usize, 0.1));
        }
        w.write_record(&f).map_err(&err)?;
        truth.person(&f[0], i)?;
        rows += 1;
    }
    w.flush().map_err(|e| Error::io(path, e))?;
    Ok((ids, rows))
}

fn node_party(ids: &PartyIds, n: Node) -> Option<u32> {
    match n {
        Node::Company(c) => ids.companies[c as usize],
        Node::Person(p) => ids.people[p as usize],
    }
}

/// Writes relationships.csv between registered parties; returns the row count.
///
/// # Errors
/// I/O errors.
pub fn write_relationships(world: &World, ids: &PartyIds, path: &Path) -> Result<u64> {
    let mut w = csv_writer(path)?;
    let err = csv_err(path);
    w.write_record(["from_id", "to_id", "kind", "share", "start", "end"])
        .map_err(&err)?;
    let mut rows = 0;
    let mut rng = Rng::derive(world.seed, stream::REL, u64::MAX - 1);
    for r in &world.rels {
        let (Some(a), Some(b)) = (node_party(ids, r.from), node_party(ids, r.to)) else {
            continue;
        };
        let share = r.share.map(|s| s.to_string()).unwrap_or_default();
        let start = match r.start {
            Some(d) if rng.chance(0.7) => iso(d),
            _ => String::new(),
        };
        let end = if r.kind == RelKind::Director && rng.chance(0.04) {
            iso(days_after(r.start, &mut rng))
        } else {
            String::new()
        };
        w.write_record([
            party_id(a).as_str(),
            &party_id(b),
            r.kind.as_str(),
            &share,
            &start,
            &end,
        ])
        .map_err(&err)?;
        rows += 1;
    }
    w.flush().map_err(|e| Error::io(path, e))?;
    Ok(rows)
}

fn days_after(start: Option<i32>, rng: &mut Rng) -> i32 {
    start.unwrap_or(super::calendar::days_from_civil(2015, 1, 1)) + rng.range(200, 3_000) as i32
}

/// Which entities the screening list and the FtM export carry; set on the world.
pub fn choose_listed(world: &mut World, plan: &Plan) {
    let mut rng = Rng::derive(world.seed, stream::LIST, 0);
    let mut ben_owners = Vec::new();
    let mut is_ben = vec![false; world.companies.len()];
    for net in &plan.networks {
        is_ben[net.beneficiary as usize] = true;
    }
    for r in &world.rels {
        if let (Node::Person(p), Node::Company(c), RelKind::Owner) = (r.from, r.to, r.kind) {
            if is_ben[c as usize] {
                ben_owners.push(p);
            }
        }
    }
    for net in &plan.networks {
        if rng.chance(0.6) {
            world.companies[net.beneficiary as usize].listed = true;
        }
        if let Some(i) = net.intermediary {
            world.companies[i as usize].listed |= rng.chance(0.15);
        }
        for f in &net.fronts {
            world.companies[f.company as usize].listed |= rng.chance(0.04);
        }
    }
    for p in ben_owners {
        world.people[p as usize].listed |= rng.chance(0.4);
    }
    let mut listed = 0;
    for c in &mut world.companies {
        let code = COUNTRIES[c.country as usize].code;
        let risky = matches!(code, "CN" | "RU" | "IR" | "HK" | "AE" | "MO" | "KZ" | "TR");
        let p = match c.role {
            Role::Institute => 0.25,
            Role::Importer | Role::Exporter | Role::Holding if risky => 0.006,
            Role::Importer => 0.0005,
            _ => 0.0,
        };
        if rng.chance(p) {
            c.listed = true;
            listed += 1;
        }
    }
    // Small worlds still get some unrelated listings.
    let mut guard = 0;
    while listed < 20 && guard < 10_000 {
        guard += 1;
        let i = rng.index(world.companies.len());
        let c = &mut world.companies[i];
        if c.role == Role::Importer && !c.listed {
            c.listed = true;
            listed += 1;
        }
    }
    for p in &mut world.people {
        let code = COUNTRIES[p.country as usize].code;
        if matches!(code, "RU" | "IR" | "CN") && rng.chance(0.002) {
            p.listed = true;
        }
    }
    // FtM: listed entities, a sample of the registry, and the people behind them.
    for c in &mut world.companies {
        c.in_ftm = c.listed || rng.chance(0.04);
    }
    let mut ftm_people = vec![false; world.people.len()];
    for r in &world.rels {
        if let (Node::Person(p), Node::Company(c)) = (r.from, r.to) {
            if world.companies[c as usize].in_ftm && rng.chance(0.7) {
                ftm_people[p as usize] = true;
            }
        }
    }
    for (p, f) in world.people.iter_mut().zip(ftm_people) {
        p.in_ftm = p.listed || f;
    }
}

const SOURCES: &[(&str, &str, &str)] = &[
    (
        "Entity List (EL) - Bureau of Industry and Security",
        "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list",
        "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern",
    ),
    (
        "Specially Designated Nationals (SDN) - Treasury Department",
        "https://sanctionssearch.ofac.treas.gov/",
        "https://home.treasury.gov/policy-issues/financial-sanctions/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
    ),
    (
        "Military End User (MEU) List - Bureau of Industry and Security",
        "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/military-end-user-meu-list",
        "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern",
    ),
    (
        "Unverified List (UVL) - Bureau of Industry and Security",
        "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/unverified-list",
        "https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern",
    ),
];

fn programs(code: &str, rng: &mut Rng) -> &'static str {
    match code {
        "RU" | "KZ" => ["RUSSIA-EO14024", "RUSSIA-EO14024; UKRAINE-EO13662"][rng.index(2)],
        "IR" => ["IRAN", "NPWMD; IFSR", "IRAN-EO13902"][rng.index(3)],
        "CN" | "HK" | "MO" => ["CMIC-EO13959", "RUSSIA-EO14024", "NPWMD"][rng.index(3)],
        _ => ["RUSSIA-EO14024", "SDGT", "IRAN-EO13846"][rng.index(3)],
    }
}

fn csl_address(c: &Company, rng: &mut Rng) -> String {
    let mut street = String::new();
    c.addr.push_street(&mut street, rng, true);
    let state = if c.addr.country().code == "US" {
        "CA"
    } else {
        ""
    };
    let postal = if rng.chance(0.8) {
        c.addr.postcode.as_str()
    } else {
        ""
    };
    format!(
        "{street}, {}, {state}, {postal}, {}",
        c.addr.city(),
        c.addr.country().code
    )
}

/// Writes screening.csv; returns the row count.
///
/// # Errors
/// I/O errors.
pub fn write_screening(world: &World, path: &Path, truth: &mut Truth) -> Result<u64> {
    let mut w = csv_writer(path)?;
    let err = csv_err(path);
    w.write_record(crate::ingest::SCREENING_COLUMNS)
        .map_err(&err)?;
    let mut rng = Rng::derive(world.seed, stream::LIST, 1);
    let mut number = 10_000u64;
    let mut rows = 0;
    let mut f: [String; 28] = Default::default();
    let entries = world
        .companies
        .iter()
        .enumerate()
        .filter(|(_, c)| c.listed)
        .map(|(i, _)| Node::Company(i as u32))
        .chain(
            world
                .people
                .iter()
                .enumerate()
                .filter(|(_, p)| p.listed)
                .map(|(i, _)| Node::Person(i as u32)),
        );
    for node in entries {
        let lists = if rng.chance(0.15) { 2 } else { 1 };
        let first = rng.index(SOURCES.len());
        for l in 0..lists {
            for x in &mut f {
                x.clear();
            }
            let src = if l == 0 {
                first
            } else {
                (first + 1 + rng.index(SOURCES.len() - 1)) % SOURCES.len()
            };
            let (source, list_url, info_url) = SOURCES[src];
            number += rng.range(1, 40);
            f[0].push_str(source);
            f[1] = number.to_string();
            let listed_on =
                super::calendar::days_from_civil(2019, 1, 1) + rng.below(6 * 365) as i32;
            f[8] = iso(listed_on);
            if src == 0 {
                f[7] = format!(
                    "{} FR {}",
                    year_of(listed_on) - 1935,
                    rng.range(1_000, 99_999)
                );
                f[10].push('Y');
                f[11].push_str("For all items subject to the EAR. (See §744.11 of the EAR).");
                f[12].push_str(
                    [
                        "Presumption of denial.",
                        "Case-by-case review for items not subject to the EAR's 744.21.",
                        "Policy of denial for all items subject to the EAR.",
                    ][rng.index(3)],
                );
            }
            f[20].push_str(list_url);
            f[26].push_str(info_url);
            match node {
                Node::Company(i) => {
                    let c = &world.companies[i as usize];
                    let code = COUNTRIES[c.country as usize].code;
                    f[2].push_str("Entity");
                    if src == 1 {
                        f[3].push_str(programs(code, &mut rng));
                    }
                    f[4] = if rng.chance(0.4) {
                        c.name.canonical()
                    } else {
                        c.name.variant(&mut rng)
                    };
                    let mut addrs = vec![csl_address(c, &mut rng)];
                    if rng.chance(0.2) {
                        let other = places::Address::random(&mut rng, c.country as usize);
                        let mut s = String::new();
                        other.push_street(&mut s, &mut rng, false);
                        addrs.push(format!(
                            "{s}, {}, , {}, {code}",
                            other.city(),
                            other.postcode
                        ));
                    }
                    f[6] = addrs.join("; ");
                    let mut alts = Vec::new();
                    if let Some(n) = c.name.native() {
                        alts.push(n);
                    }
                    for _ in 0..rng.range(0, 3) {
                        let v = c.name.variant(&mut rng);
                        if v != f[4] && !alts.contains(&v) {
                            alts.push(v);
                        }
                    }
                    f[21] = alts.join("; ");
                    if rng.chance(0.6) {
                        f[27] = format!("{code}, {}, Registration ID", c.reg_id);
                        if rng.chance(0.3) {
                            f[27].push_str(&format!(
                                "; {code}, {}, Tax ID No.",
                                rng.range(100_000_000, 999_999_999)
                            ));
                        }
                    }
                    if src == 1 && rng.chance(0.5) {
                        f[19].push_str(
                            "Secondary sanctions risk: See Section 11 of Executive Order 14024.",
                        );
                    }
                    truth.company(&f[1], i as usize)?;
                }
                Node::Person(i) => {
                    let p = &world.people[i as usize];
                    let code = COUNTRIES[p.nationality as usize].code;
                    f[2].push_str("Individual");
                    if src == 1 {
                        f[3].push_str(programs(code, &mut rng));
                    }
                    f[4] = if rng.chance(0.4) {
                        p.name.canonical()
                    } else {
                        p.name.variant(&mut rng)
                    };
                    let k = &COUNTRIES[p.country as usize];
                    f[6] = format!(", {}, , , {}", k.cities[0], k.code);
                    let mut alts = Vec::new();
                    if let Some(n) = p.name.native() {
                        alts.push(n);
                    }
                    if rng.chance(0.6) {
                        alts.push(p.name.variant(&mut rng));
                    }
                    f[21] = alts.join("; ");
                    f[22].push_str(code);
                    f[23] = iso(p.dob);
                    f[24].push_str(code);
                    if rng.chance(0.5) {
                        f[25] = format!(
                            "{}, {}",
                            COUNTRIES[p.nationality as usize].cities[0],
                            COUNTRIES[p.nationality as usize].name
                        );
                    }
                    if rng.chance(0.5) {
                        f[27] =
                            format!("{code}, {}, Passport", rng.range(100_000_000, 999_999_999));
                    }
                    truth.person(&f[1], i as usize)?;
                }
            }
            w.write_record(&f).map_err(&err)?;
            rows += 1;
        }
    }
    w.flush().map_err(|e| Error::io(path, e))?;
    Ok(rows)
}

fn ftm_id(seed: u64, kind: &str, tag: u64, i: u64) -> String {
    format!("{kind}-{:016x}", mix(&[seed, tag, i]))
}

/// Writes entities.ftm.json; returns the number of entities.
///
/// # Errors
/// I/O errors.
pub fn write_ftm(world: &World, path: &Path, truth: &mut Truth) -> Result<u64> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 18, file);
    let ioe = |e| Error::io(path, e);
    let mut rng = Rng::derive(world.seed, stream::FTM, 0);
    let mut n = 0u64;
    let mut line = |w: &mut std::io::BufWriter<std::fs::File>, v: Value| -> Result<()> {
        serde_json::to_writer(&mut *w, &v)
            .map_err(|e| Error::io(path, std::io::Error::other(e)))?;
        w.write_all(b"\n").map_err(ioe)?;
        n += 1;
        Ok(())
    };
    let cid = |i: usize| ftm_id(world.seed, "co", 1, i as u64);
    let pid = |i: usize| ftm_id(world.seed, "pe", 2, i as u64);
    for (i, c) in world.companies.iter().enumerate().filter(|(_, c)| c.in_ftm) {
        let code = COUNTRIES[c.country as usize].code.to_ascii_lowercase();
        let addr_id = ftm_id(world.seed, "addr", 3, i as u64);
        let mut full = String::new();
        let variant = rng.chance(0.5);
        c.addr.push_line(&mut full, &mut rng, variant);
        line(
            &mut w,
            json!({"id": addr_id, "schema": "Address", "properties": {
            "full": [full], "street": [c.addr.street_line()], "city": [c.addr.city()],
            "postalCode": if c.addr.postcode.is_empty() { vec![] } else { vec![c.addr.postcode.clone()] },
            "country": [code]}}),
        )?;
        let name = if rng.chance(0.5) {
            c.name.canonical()
        } else {
            c.name.variant(&mut rng)
        };
        let mut alias: Vec<String> = c.name.native().into_iter().collect();
        if rng.chance(0.4) {
            alias.push(c.name.variant(&mut rng));
        }
        let mut props = json!({"name": [name], "alias": alias, "country": [code], "jurisdiction": [code],
            "addressEntity": [addr_id], "address": [full]});
        let o = props.as_object_mut().expect("object");
        if rng.chance(0.8) {
            o.insert("registrationNumber".into(), json!([c.reg_id]));
        }
        if rng.chance(0.8) {
            o.insert("incorporationDate".into(), json!([iso(c.incorporated)]));
        }
        if rng.chance(0.5) {
            let mut ph = String::new();
            push_phone(&mut ph, &mut rng, c.phone_country as usize, c.phone, true);
            o.insert("phone".into(), json!([ph]));
        }
        if rng.chance(0.5) {
            o.insert("email".into(), json!([c.email]));
        }
        if c.listed {
            o.insert("topics".into(), json!(["sanction"]));
        }
        let schema = if c.is_org() {
            "Organization"
        } else {
            "Company"
        };
        let id = cid(i);
        line(
            &mut w,
            json!({"id": id, "schema": schema, "properties": props}),
        )?;
        truth.company(&id, i)?;
        if c.listed {
            let sid = ftm_id(world.seed, "sanction", 4, i as u64);
            let authority = [
                "Bureau of Industry and Security",
                "Office of Foreign Assets Control",
            ][rng.index(2)];
            line(
                &mut w,
                json!({"id": sid, "schema": "Sanction", "properties": {
                "entity": [id], "program": [programs(COUNTRIES[c.country as usize].code, &mut rng)],
                "authority": [authority],
                "startDate": [iso(super::calendar::days_from_civil(2019, 1, 1) + rng.below(2000) as i32)]}}),
            )?;
        }
    }
    for (i, p) in world.people.iter().enumerate().filter(|(_, p)| p.in_ftm) {
        let id = pid(i);
        let name = if rng.chance(0.5) {
            p.name.canonical()
        } else {
            p.name.variant(&mut rng)
        };
        let alias: Vec<String> = p.name.native().into_iter().collect();
        let nat = COUNTRIES[p.nationality as usize].code.to_ascii_lowercase();
        let mut props = json!({"name": [name], "alias": alias, "nationality": [nat],
            "country": [COUNTRIES[p.country as usize].code.to_ascii_lowercase()]});
        if rng.chance(0.6) {
            props
                .as_object_mut()
                .expect("object")
                .insert("birthDate".into(), json!([iso(p.dob)]));
        }
        if p.listed {
            props
                .as_object_mut()
                .expect("object")
                .insert("topics".into(), json!(["sanction"]));
        }
        line(
            &mut w,
            json!({"id": id, "schema": "Person", "properties": props}),
        )?;
        truth.person(&id, i)?;
        if p.listed {
            let sid = ftm_id(world.seed, "sanction", 6, i as u64);
            let program = programs(COUNTRIES[p.nationality as usize].code, &mut rng);
            line(
                &mut w,
                json!({"id": sid, "schema": "Sanction", "properties": {
                    "entity": [id], "program": [program],
                    "authority": ["Office of Foreign Assets Control"]}}),
            )?;
        }
    }
    for (k, r) in world.rels.iter().enumerate() {
        let (from, to) = match (r.from, r.to) {
            (Node::Person(p), Node::Company(c))
                if world.people[p as usize].in_ftm && world.companies[c as usize].in_ftm =>
            {
                (pid(p as usize), cid(c as usize))
            }
            (Node::Company(a), Node::Company(c))
                if world.companies[a as usize].in_ftm && world.companies[c as usize].in_ftm =>
            {
                (cid(a as usize), cid(c as usize))
            }
            (Node::Person(a), Node::Person(b))
                if world.people[a as usize].in_ftm && world.people[b as usize].in_ftm =>
            {
                (pid(a as usize), pid(b as usize))
            }
            _ => continue,
        };
        let id = ftm_id(world.seed, "rel", 5, k as u64);
        let v = match r.kind {
            RelKind::Owner | RelKind::BeneficialOwner => {
                let pct: Vec<String> = r.share.map(|s| s.to_string()).into_iter().collect();
                json!({"id": id, "schema": "Ownership", "properties": {"owner": [from], "asset": [to], "percentage": pct}})
            }
            RelKind::Director | RelKind::Officer => {
                let role = if r.kind == RelKind::Director {
                    "Director"
                } else {
                    "Officer"
                };
                json!({"id": id, "schema": "Directorship", "properties": {"director": [from], "organization": [to], "role": [role]}})
            }
            RelKind::Family => {
                let rel = ["spouse", "sibling", "parent", "cousin"][rng.index(4)];
                json!({"id": id, "schema": "Family", "properties": {"person": [from], "relative": [to], "relationship": [rel]}})
            }
            RelKind::Associate => {
                json!({"id": id, "schema": "Associate", "properties": {"person": [from], "associate": [to]}})
            }
        };
        line(&mut w, v)?;
    }
    w.flush().map_err(ioe)?;
    Ok(n)
}

fn company_json(world: &World, c: u32) -> Value {
    let co = &world.companies[c as usize];
    json!({"cluster": Company::cluster(c as usize), "name": co.name.canonical(), "country": COUNTRIES[co.country as usize].code})
}

fn node_cluster(n: Node) -> String {
    match n {
        Node::Company(c) => Company::cluster(c as usize),
        Node::Person(p) => Person::cluster(p as usize),
    }
}

/// Builds `truth/networks.json`: networks, their links, orders and totals, and the decoys.
pub fn networks_json(world: &World, plan: &Plan, stats: &ShipmentStats, threshold: u64) -> Value {
    let mut front_tpp: Vec<Vec<u64>> = plan
        .networks
        .iter()
        .map(|n| vec![0; n.fronts.len()])
        .collect();
    let mut front_orders: Vec<Vec<u64>> = front_tpp.clone();
    let mut misdeclared = vec![0u64; plan.networks.len()];
    for p in &plan.planned {
        if let Owner::Network { net, front } = p.owner {
            let tpp = PRODUCTS[p.product].tpp * p.quantity;
            front_tpp[net as usize][front as usize] += tpp;
            if tpp > 0 {
                front_orders[net as usize][front as usize] += 1;
            }
            misdeclared[net as usize] += u64::from(p.misdeclared.is_some());
        }
    }
    let networks: Vec<Value> = plan
        .networks
        .iter()
        .enumerate()
        .map(|(n, net): (usize, &Network)| {
            let total: u64 = front_tpp[n].iter().sum();
            let fronts: Vec<Value> = net
                .fronts
                .iter()
                .enumerate()
                .map(|(f, fr)| {
                    let mut v = company_json(world, fr.company);
                    let o = v.as_object_mut().expect("object");
                    o.insert("kind".into(), json!(fr.kind.as_str()));
                    o.insert(
                        "incorporated".into(),
                        json!(iso(world.companies[fr.company as usize].incorporated)),
                    );
                    o.insert("tpp".into(), json!(front_tpp[n][f]));
                    o.insert(
                        "share_of_threshold".into(),
                        json!(
                            (front_tpp[n][f] as f64 / threshold as f64 * 1000.0).round() / 1000.0
                        ),
                    );
                    o.insert("controlled_orders".into(), json!(front_orders[n][f]));
                    v
                })
                .collect();
            let links: Vec<Value> = net.links.iter().map(|l| json!({
            "kind": l.kind.as_str(),
            "via": l.via.map(node_cluster),
            "members": l.members.iter().map(|&c| Company::cluster(c as usize)).collect::<Vec<_>>(),
        })).collect();
            json!({
                "id": format!("N{:03}", n + 1),
                "kind": "structuring",
                "beneficiary": company_json(world, net.beneficiary),
                "intermediary": net.intermediary.map(|i| company_json(world, i)),
                "fronts": fronts,
                "links": links,
                "products": net.products.iter().map(|&p| PRODUCTS[p].names[0]).collect::<Vec<_>>(),
                "window": net.year,
            "order_style": net.style.as_str(),
                "threshold_tpp": threshold,
                "total_tpp": total,
                "h100_equivalents": total / H100_TPP,
                "misdeclared_lines": misdeclared[n],
                "shipment_ids": stats.network_ids[n],
            })
        })
        .collect();
    let decoys: Vec<Value> = plan
        .decoys
        .iter()
        .enumerate()
        .map(|(d, dec): (usize, &Decoy)| {
            json!({
                "id": format!("D{:03}", d + 1),
                "kind": dec.kind,
                "label": "negative",
                "note": dec.note,
                "window": dec.year,
                "members": dec.members.iter().map(|&m| node_cluster(m)).collect::<Vec<_>>(),
                "shipment_ids": stats.decoy_ids.get(d).cloned().unwrap_or_default(),
            })
        })
        .collect();
    json!({"threshold_tpp": threshold, "networks": networks, "decoys": decoys})
}
