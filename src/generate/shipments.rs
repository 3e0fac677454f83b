//! Streams `shipments.csv`: background trade drawn day by day, with the planned network and
//! decoy orders merged in on their dates, and the truth of every party mention.
//!
//! Inputs: the [`World`], the [`Plan`] and the number of rows wanted. Outputs: rows written
//! straight to buffered writers (nothing is held per shipment, so a million rows need no more
//! memory than a thousand), the truth lines `{shipment_id}:{role},{cluster}`, and the shipment
//! ids of each network's orders for `truth/networks.json`.

use std::fmt::Write as _;
use std::path::Path;

use crate::{Error, Result};

use super::GenerateConfig;

use super::calendar::{days_from_civil, push_iso};
use super::names::Script;
use super::networks::{Owner, Plan, Planned, order_ref, unit_price};
use super::places::{COUNTRIES, country_spelling};
use super::products::{self, Class, PRODUCTS};
use super::rng::Rng;
use super::truth::Truth;
use super::world::{HUBS, Role, World, stream};

/// The header of shipments.csv.
pub const HEADER: [&str; 26] = [
    "id",
    "date",
    "shipper_name",
    "shipper_address",
    "shipper_country",
    "consignee_name",
    "consignee_address",
    "consignee_country",
    "notify_name",
    "notify_address",
    "notify_country",
    "end_user_name",
    "end_user_address",
    "end_user_country",
    "forwarder_name",
    "payer_name",
    "payer_country",
    "origin_country",
    "destination_country",
    "transit_countries",
    "hs_code",
    "product",
    "description",
    "quantity",
    "value_usd",
    "order_ref",
];

/// Spellings of company names and addresses on shipping documents, computed once per
/// (company, variant) and reused: a company has a handful of spellings, not one per row.
/// All spellings live in one text arena addressed by offsets, so a million rows cost no
/// per-string allocations (and no million frees at the end).
pub struct Spellings {
    seed: u64,
    text: String,
    /// Per company, `NAME_SPELLINGS + 1` offsets into `text` (`usize::MAX` = not yet made).
    names: Vec<usize>,
    /// Per company, `ADDR_SPELLINGS + 1` offsets into `text`.
    addrs: Vec<usize>,
}

/// Number of name spellings a company uses on documents (index 0 is canonical).
pub const NAME_SPELLINGS: usize = 6;
const ADDR_SPELLINGS: usize = 4;

impl Spellings {
    pub fn new(seed: u64, companies: usize) -> Spellings {
        Spellings {
            seed,
            text: String::with_capacity(companies * 64),
            names: vec![usize::MAX; companies * (NAME_SPELLINGS + 1)],
            addrs: vec![usize::MAX; companies * (ADDR_SPELLINGS + 1)],
        }
    }

    /// Name spelling `k` of company `i`.
    pub fn name<'a>(&'a mut self, world: &World, i: u32, k: usize) -> &'a str {
        let base = i as usize * (NAME_SPELLINGS + 1);
        if self.names[base] == usize::MAX {
            let c = &world.companies[i as usize];
            self.names[base] = self.text.len();
            self.text.push_str(&c.name.canonical());
            for k in 1..NAME_SPELLINGS {
                self.names[base + k] = self.text.len();
                let mut rng = Rng::derive(self.seed, stream::SPELL, u64::from(i) * 16 + k as u64);
                let s = match (c.name.script, k) {
                    (Script::Chinese | Script::Korean | Script::Russian, 5) if rng.chance(0.3) => {
                        c.name.native().unwrap_or_else(|| c.name.variant(&mut rng))
                    }
                    _ => c.name.variant(&mut rng),
                };
                self.text.push_str(&s);
            }
            self.names[base + NAME_SPELLINGS] = self.text.len();
        }
        let k = k.min(NAME_SPELLINGS - 1);
        &self.text[self.names[base + k]..self.names[base + k + 1]]
    }

    /// Address spelling `k` of company `i`.
    pub fn addr<'a>(&'a mut self, world: &World, i: u32, k: usize) -> &'a str {
        let base = i as usize * (ADDR_SPELLINGS + 1);
        if self.addrs[base] == usize::MAX {
            let c = &world.companies[i as usize];
            for k in 0..ADDR_SPELLINGS {
                self.addrs[base + k] = self.text.len();
                let mut rng = Rng::derive(self.seed, stream::ADDR, u64::from(i) * 8 + k as u64);
                c.addr.push_line(&mut self.text, &mut rng, k > 0);
            }
            self.addrs[base + ADDR_SPELLINGS] = self.text.len();
        }
        let k = k.min(ADDR_SPELLINGS - 1);
        &self.text[self.addrs[base + k]..self.addrs[base + k + 1]]
    }
}

/// Pools background trade draws parties from.
struct Pools {
    exporters: Vec<u32>,
    importers: Vec<u32>,
    forwarders: Vec<u32>,
    big_forwarders: Vec<u32>,
    ordinary: Vec<usize>,
    accelerators: Vec<usize>,
    servers: Vec<usize>,
    consumer: Vec<usize>,
}

impl Pools {
    fn new(world: &World) -> Pools {
        let mut p = Pools {
            exporters: Vec::new(),
            importers: Vec::new(),
            forwarders: Vec::new(),
            big_forwarders: Vec::new(),
            ordinary: products::of_class(Class::Ordinary),
            accelerators: products::of_class(Class::Accelerator),
            servers: products::of_class(Class::Server),
            consumer: products::of_class(Class::ConsumerGpu),
        };
        for (i, c) in world.companies.iter().enumerate() {
            let i = i as u32;
            match c.role {
                Role::Exporter => p.exporters.push(i),
                Role::Importer | Role::Holding | Role::DataCentre => p.importers.push(i),
                Role::Forwarder { big } => {
                    p.forwarders.push(i);
                    if big {
                        p.big_forwarders.push(i);
                    }
                }
                _ => {}
            }
        }
        let mut rng = Rng::derive(world.seed, stream::SHIP, u64::MAX);
        // Activity is skewed: a random permutation decides who the busy parties are.
        rng.shuffle(&mut p.exporters);
        rng.shuffle(&mut p.importers);
        rng.shuffle(&mut p.big_forwarders);
        p
    }
}

/// What streaming wrote.
#[derive(Debug, Default)]
pub struct ShipmentStats {
    pub rows: u64,
    pub mentions: u64,
    /// Shipment ids of each network's orders, by network.
    pub network_ids: Vec<Vec<String>>,
    /// Shipment ids of each decoy group's orders.
    pub decoy_ids: Vec<Vec<String>>,
}

/// Writes `cfg.shipments` lines (at least every planned line) over `cfg.years` years to `path`, and the truth of
/// every mention to `truth`.
///
/// # Errors
/// I/O errors writing either file.
pub fn write(
    world: &World,
    plan: &Plan,
    cfg: &GenerateConfig,
    path: &Path,
    truth: &mut Truth,
) -> Result<ShipmentStats> {
    let (rows, first_year, years) = (cfg.shipments, cfg.first_year, cfg.years);
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 20)
        .from_writer(file);
    let csv_err = |e: csv::Error| Error::io(path, std::io::Error::other(e));
    w.write_record(HEADER).map_err(csv_err)?;
    let pools = Pools::new(world);
    let mut sp = Spellings::new(world.seed, world.companies.len());
    let mut st = ShipmentStats {
        network_ids: vec![Vec::new(); plan.networks.len()],
        decoy_ids: vec![Vec::new(); plan.decoys.len()],
        ..ShipmentStats::default()
    };
    let planned = plan.planned.len() as u64;
    let background = rows.saturating_sub(planned);
    let day0 = days_from_civil(first_year, 1, 1);
    let days = (days_from_civil(first_year + years, 1, 1) - day0) as u64;
    let mut next_planned = 0usize;
    let mut row = Row::default();
    let mut seq: u64 = 0;
    let width = if rows + planned >= 10_000_000 { 9 } else { 8 };
    for d in 0..days {
        let date = day0 + d as i32;
        let mut rng = Rng::derive(world.seed, stream::SHIP, d);
        let mut bg_left = background * (d + 1) / days - background * d / days;
        let plan_start = next_planned;
        while next_planned < plan.planned.len() && plan.planned[next_planned].date <= date {
            next_planned += 1;
        }
        let mut todays: &[Planned] = &plan.planned[plan_start..next_planned];
        while bg_left > 0 || !todays.is_empty() {
            let total = bg_left + todays.len() as u64;
            if !todays.is_empty() && rng.below(total) < todays.len() as u64 {
                let p = &todays[0];
                todays = &todays[1..];
                seq += 1;
                let id = format!("SH{seq:0width$}");
                match p.owner {
                    Owner::Network { net, .. } => st.network_ids[net as usize].push(id.clone()),
                    Owner::Decoy(dg) => st.decoy_ids[dg as usize].push(id.clone()),
                    Owner::Background => {}
                }
                let front = matches!(p.owner, Owner::Network { .. });
                st.mentions += row.fill(world, &mut sp, &mut rng, p, &id, front, truth)?;
                w.write_record(&row.fields).map_err(csv_err)?;
                st.rows += 1;
                continue;
            }
            // One background order of 1–4 lines.
            let order = background_order(world, &pools, &mut rng, date);
            let lines = (rng.range(1, 4)).min(bg_left);
            for l in 0..lines {
                let mut line = order.clone();
                if l > 0 {
                    let (product, qty) = background_product(&pools, &mut rng);
                    line.product = product;
                    line.quantity = qty;
                    line.unit_price = unit_price(&mut rng, product);
                }
                seq += 1;
                let id = format!("SH{seq:0width$}");
                st.mentions += row.fill(world, &mut sp, &mut rng, &line, &id, false, truth)?;
                w.write_record(&row.fields).map_err(csv_err)?;
                st.rows += 1;
            }
            bg_left -= lines;
        }
    }
    // Planned lines dated after the last day (none by construction) would be lost: flush them.
    debug_assert_eq!(next_planned, plan.planned.len());
    w.flush().map_err(|e| Error::io(path, e))?;
    Ok(st)
}

fn background_product(pools: &Pools, rng: &mut Rng) -> (usize, u64) {
    let r = rng.f64();
    if r < 0.025 {
        (*rng.pick(&pools.accelerators), rng.range(1, 8))
    } else if r < 0.032 {
        (*rng.pick(&pools.servers), rng.range(1, 2))
    } else if r < 0.08 {
        (*rng.pick(&pools.consumer), rng.range(1, 24))
    } else {
        (
            *rng.pick(&pools.ordinary),
            if rng.chance(0.3) {
                rng.range(100, 2_000)
            } else {
                rng.range(1, 100)
            },
        )
    }
}

fn background_order(world: &World, pools: &Pools, rng: &mut Rng, date: i32) -> Planned {
    let shipper = pools.exporters[rng.skewed(pools.exporters.len(), 2)];
    let consignee = pools.importers[rng.skewed(pools.importers.len(), 2)];
    let (product, quantity) = background_product(pools, rng);
    let cc = world.companies[consignee as usize].country;
    let origin = world.companies[shipper as usize].country;
    let big = &pools.big_forwarders;
    let transit = if rng.chance(0.25) {
        let hub = *rng.pick(HUBS);
        let h = super::places::country(hub) as u16;
        (h != cc && h != origin).then_some(h)
    } else {
        None
    };
    Planned {
        date,
        order_ref: order_ref(rng, super::calendar::year_of(date)),
        shipper,
        consignee,
        notify: match rng.below(20) {
            0..=8 => None,
            9..=13 => Some(consignee),
            _ => Some(big[rng.skewed(big.len(), 2)]),
        },
        end_user: match rng.below(20) {
            0..=10 => None,
            11..=18 => Some(consignee),
            _ => Some(pools.importers[rng.index(pools.importers.len())]),
        },
        forwarder: match rng.below(4) {
            0 => None,
            1 | 2 => Some(big[rng.skewed(big.len(), 2)]),
            _ => Some(pools.forwarders[rng.index(pools.forwarders.len())]),
        },
        payer: rng.chance(0.5).then_some(consignee),
        product,
        misdeclared: None,
        quantity,
        unit_price: unit_price(rng, product),
        origin,
        transit,
        dest: cc,
        owner: Owner::Background,
    }
}

/// One output row, its 26 fields reused from row to row.
#[derive(Default)]
struct Row {
    fields: [String; 26],
}

/// Which spelling a mention uses: network parties vary more, others mostly the canonical name.
fn spelling_index(rng: &mut Rng, front: bool) -> usize {
    if front {
        rng.index(NAME_SPELLINGS)
    } else if rng.chance(0.55) {
        0
    } else {
        rng.range(1, 3) as usize
    }
}

impl Row {
    #[allow(clippy::too_many_arguments)]
    fn fill(
        &mut self,
        world: &World,
        sp: &mut Spellings,
        rng: &mut Rng,
        p: &Planned,
        id: &str,
        front: bool,
        truth: &mut Truth,
    ) -> Result<u64> {
        for f in &mut self.fields {
            f.clear();
        }
        let f = &mut self.fields;
        f[0].push_str(id);
        push_iso(&mut f[1], p.date);
        let mut mentions = 0;
        let mut mention = |f: &mut [String; 26],
                           role: &str,
                           who: Option<u32>,
                           name: usize,
                           addr: Option<usize>,
                           country: Option<usize>,
                           rng: &mut Rng,
                           sp: &mut Spellings|
         -> Result<()> {
            let Some(c) = who else { return Ok(()) };
            let k = spelling_index(rng, front && role != "shipper");
            f[name].push_str(sp.name(world, c, k));
            if let Some(a) = addr {
                if rng.chance(0.93) {
                    let k = if rng.chance(0.5) {
                        0
                    } else {
                        rng.range(1, 3) as usize
                    };
                    f[a].push_str(sp.addr(world, c, k));
                }
            }
            if let Some(cn) = country {
                if rng.chance(0.97) {
                    f[cn].push_str(country_spelling(
                        rng,
                        world.companies[c as usize].country as usize,
                        0.04,
                    ));
                }
            }
            mentions += 1;
            truth.mention(id, role, c as usize)
        };
        mention(f, "shipper", Some(p.shipper), 2, Some(3), Some(4), rng, sp)?;
        mention(
            f,
            "consignee",
            Some(p.consignee),
            5,
            Some(6),
            Some(7),
            rng,
            sp,
        )?;
        mention(f, "notify", p.notify, 8, Some(9), Some(10), rng, sp)?;
        mention(f, "end_user", p.end_user, 11, Some(12), Some(13), rng, sp)?;
        mention(f, "forwarder", p.forwarder, 14, None, None, rng, sp)?;
        mention(f, "payer", p.payer, 15, None, Some(16), rng, sp)?;
        f[17].push_str(country_spelling(rng, p.origin as usize, 0.03));
        f[18].push_str(country_spelling(rng, p.dest as usize, 0.03));
        if let Some(t) = p.transit {
            f[19].push_str(COUNTRIES[t as usize].code);
            if rng.chance(0.15) {
                // A second hub on the way ("SG;MY").
                let hub = *rng.pick(HUBS);
                if hub != COUNTRIES[t as usize].code && hub != COUNTRIES[p.dest as usize].code {
                    f[19].push(';');
                    f[19].push_str(hub);
                }
            }
        }
        let prod = &PRODUCTS[p.product];
        match p.misdeclared {
            Some(k) => {
                let (name, desc) = products::MISDECLARED[k as usize];
                let hs = *rng.pick(products::MISDECLARED_HS);
                f[20].push_str(hs);
                f[21].push_str(name);
                f[22].push_str(desc);
            }
            None => {
                let hs = rng.pick(prod.hs);
                if rng.chance(0.1) {
                    f[20].extend(hs.chars().filter(|c| *c != '.'));
                } else {
                    f[20].push_str(hs);
                }
                let name = *rng.pick(prod.names);
                f[21].push_str(name);
                let desc = *rng.pick(prod.descriptions);
                f[22].push_str(desc);
            }
        }
        let _ = write!(f[23], "{}", p.quantity);
        let _ = write!(f[24], "{}.00", p.quantity * p.unit_price);
        f[25].push_str(&p.order_ref);
        Ok(mentions)
    }
}
