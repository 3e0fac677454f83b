//! Planting: structuring networks, decoy groups, and the orders they place.
//!
//! Inputs: a [`World`] (rewritten in place: fronts, beneficiaries and their helpers replace
//! ordinary importers), the threshold and the seed. Outputs: a [`Plan`] — the networks with the
//! links that tie their members, the decoy groups, and every planned order line sorted by date,
//! which [`super::shipments`] merges into the streamed background trade.
//!
//! A network is a beneficiary (often in CN/HK/RU/IR, sometimes hidden behind a hub intermediary)
//! and 3–12 fronts in hubs. Each front keeps its calendar-year TPP under the threshold (often
//! hugging it), the network as a whole exceeds it well. Which links exist, and which fronts they
//! touch, vary per network; the links always connect every front, and at least one reaches the
//! beneficiary.

use crate::model::RelKind;

use super::calendar::days_from_civil;
use super::names::Business;
use super::places::{self, COUNTRIES};
use super::products::{self, Class, PRODUCTS};
use super::rng::Rng;
use super::world::{HUBS, Node, Rel, Role, World, make_company, stream};

/// Kinds of link tying network members together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    SharedOwner,
    SharedDirector,
    SharedAddress,
    SharedPhone,
    SharedEmail,
    SharedNotify,
    SharedPayer,
    SameEndUser,
    SharedForwarder,
    SimilarName,
    Ownership,
}

impl LinkKind {
    /// The name used in `truth/networks.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::SharedOwner => "shared_owner",
            LinkKind::SharedDirector => "shared_director",
            LinkKind::SharedAddress => "shared_address",
            LinkKind::SharedPhone => "shared_phone",
            LinkKind::SharedEmail => "shared_email",
            LinkKind::SharedNotify => "shared_notify",
            LinkKind::SharedPayer => "shared_payer",
            LinkKind::SameEndUser => "same_end_user",
            LinkKind::SharedForwarder => "shared_forwarder",
            LinkKind::SimilarName => "similar_name",
            LinkKind::Ownership => "ownership",
        }
    }
}

/// One link: `members` (companies) share `via` (a person or company; none for addresses,
/// phones, e-mails and names, which are shared values).
#[derive(Debug, Clone)]
pub struct Link {
    pub kind: LinkKind,
    pub members: Vec<u32>,
    pub via: Option<Node>,
}

/// What a front looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontKind {
    NewCompany,
    Trading,
    Forwarder,
    Realtor,
}

impl FrontKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FrontKind::NewCompany => "new_company",
            FrontKind::Trading => "trading",
            FrontKind::Forwarder => "forwarder",
            FrontKind::Realtor => "realtor",
        }
    }
}

/// One front of a network.
#[derive(Debug, Clone)]
pub struct Front {
    pub company: u32,
    pub kind: FrontKind,
    /// Planned TPP for the window year (always below the threshold).
    pub target: u64,
    pub notify: Option<u32>,
    pub payer: Option<u32>,
    pub end_user: Option<u32>,
    pub forwarder: Option<u32>,
}

/// A planted structuring network.
#[derive(Debug, Clone)]
pub struct Network {
    pub beneficiary: u32,
    pub intermediary: Option<u32>,
    pub fronts: Vec<Front>,
    pub links: Vec<Link>,
    pub year: i32,
    pub products: Vec<usize>,
    /// How the orders look.
    pub style: OrderStyle,
}

/// How a network's orders look on the documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStyle {
    /// Commercial orders of a few to hundreds of units, some misdeclared.
    Standard,
    /// Many small "sample" / "module" shipments from one shipper, all misdeclared (the
    /// 144-samples case).
    Samples,
}

impl OrderStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStyle::Standard => "standard",
            OrderStyle::Samples => "samples",
        }
    }
}

/// A decoy (negative) group: looks suspicious in one way, is not structuring.
#[derive(Debug, Clone)]
pub struct Decoy {
    pub kind: &'static str,
    pub members: Vec<Node>,
    pub note: String,
    pub year: Option<i32>,
}

/// Who a planned order belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Network {
        net: u16,
        front: u16,
    },
    Decoy(u16),
    /// Ordinary background trade.
    Background,
}

/// One planned order line.
#[derive(Debug, Clone)]
pub struct Planned {
    pub date: i32,
    pub order_ref: String,
    pub shipper: u32,
    pub consignee: u32,
    pub notify: Option<u32>,
    pub end_user: Option<u32>,
    pub forwarder: Option<u32>,
    pub payer: Option<u32>,
    pub product: usize,
    pub misdeclared: Option<u8>,
    pub quantity: u64,
    pub unit_price: u64,
    pub origin: u16,
    pub transit: Option<u16>,
    pub dest: u16,
    pub owner: Owner,
}

/// Everything planted.
#[derive(Debug, Default)]
pub struct Plan {
    pub networks: Vec<Network>,
    pub decoys: Vec<Decoy>,
    /// Sorted by date (stable).
    pub planned: Vec<Planned>,
}

/// Planting parameters.
#[derive(Debug, Clone, Copy)]
pub struct PlantConfig {
    pub networks: usize,
    pub threshold: u64,
    pub first_year: i32,
    pub years: i32,
}

/// Controlled products networks buy, with weights (servers and H100-class favoured).
const NET_PRODUCTS: &[(&str, u32)] = &[
    ("NVIDIA H100 SXM5", 8),
    ("NVIDIA H100 PCIe", 5),
    ("NVIDIA H800", 2),
    ("NVIDIA H200", 5),
    ("NVIDIA H20 96GB", 2),
    ("NVIDIA A100", 3),
    ("NVIDIA A800", 1),
    ("NVIDIA B200", 3),
    ("AMD Instinct MI300X 192GB", 2),
    ("NVIDIA HGX H100", 8),
    ("NVIDIA DGX H100", 3),
    ("NVIDIA HGX H200", 5),
    ("NVIDIA HGX B200", 2),
    ("NVIDIA GeForce RTX 4090", 2),
    ("NVIDIA L40S", 2),
    ("Intel Gaudi 3", 1),
];

fn pick_net_product(rng: &mut Rng) -> usize {
    let w: Vec<u32> = NET_PRODUCTS.iter().map(|x| x.1).collect();
    products::find(NET_PRODUCTS[rng.weighted(&w)].0)
}

/// Exporter companies of the world, by origin country.
fn exporters(world: &World) -> Vec<u32> {
    (0..world.companies.len() as u32)
        .filter(|&i| world.companies[i as usize].role == Role::Exporter)
        .collect()
}

fn big_forwarders(world: &World) -> Vec<u32> {
    (0..world.companies.len() as u32)
        .filter(|&i| world.companies[i as usize].role == Role::Forwarder { big: true })
        .collect()
}

/// A unit price in whole dollars within the product's range.
pub fn unit_price(rng: &mut Rng, product: usize) -> u64 {
    let (lo, hi) = PRODUCTS[product].price;
    rng.range(u64::from(lo), u64::from(hi))
}

/// An order reference in one of the styles buyers use.
pub fn order_ref(rng: &mut Rng, year: i32) -> String {
    match rng.below(4) {
        0 => format!("PO-{year}-{:05}", rng.below(100_000)),
        1 => format!("SO{:07}", rng.below(10_000_000)),
        2 => format!("INV/{}/{:04}", year % 100, rng.below(10_000)),
        _ => format!("ORD{:06}", rng.below(1_000_000)),
    }
}

/// Splits `target` TPP into at most `orders` order quantities of a product of `tpp` per unit,
/// never exceeding `target` in total.
fn split_quantities(rng: &mut Rng, target: u64, tpp: u64, orders: usize) -> Vec<u64> {
    let units = target / tpp;
    if units == 0 {
        return Vec::new();
    }
    let orders = orders.clamp(1, units as usize);
    let weights: Vec<f64> = (0..orders).map(|_| rng.uniform(0.5, 1.5)).collect();
    let sum: f64 = weights.iter().sum();
    let mut qs: Vec<u64> = weights
        .iter()
        .map(|w| ((w / sum) * units as f64).floor() as u64)
        .collect();
    for q in &mut qs {
        if *q == 0 {
            *q = 1;
        }
    }
    // Hand the units the floors dropped to random orders, so the total is `units` exactly
    // (a front's total then sits within one unit of its target)…
    let n = qs.len();
    let mut short = units.saturating_sub(qs.iter().sum::<u64>());
    while short > 0 {
        qs[rng.index(n)] += 1;
        short -= 1;
    }
    // …and the bump to 1 can only overshoot by the bumps; trim from the largest.
    while qs.iter().sum::<u64>() > units {
        if let Some(m) = qs.iter_mut().max() {
            *m -= 1;
        }
    }
    qs.retain(|&q| q > 0);
    qs
}

fn days_in_window(rng: &mut Rng, year: i32) -> (i32, i32) {
    let jan1 = days_from_civil(year, 1, 1);
    let dec31 = days_from_civil(year, 12, 31);
    let start = jan1 + rng.below(200) as i32;
    let end = (start + rng.range(60, 330) as i32).min(dec31);
    (start, end)
}

/// Rewrites a free importer slot as a new company and returns its index.
fn new_company(
    world: &mut World,
    rng: &mut Rng,
    code: &str,
    business: Business,
    role: Role,
) -> u32 {
    let slot = world.free_slot(rng);
    let mut c = make_company(rng, places::country(code), business, role);
    // Network members are in the registry, so the owner, director and address links the truth
    // lists are observable in relationships.csv and parties.csv; decoy buyers are left to chance.
    c.registered = c.registered || !matches!(role, Role::DecoyBuyer(_));
    world.companies[slot] = c;
    slot as u32
}

/// Plants networks and decoys into `world` and plans their orders.
pub fn plant(world: &mut World, cfg: PlantConfig) -> Plan {
    let mut plan = Plan::default();
    let exporters = exporters(world);
    let big = big_forwarders(world);
    for n in 0..cfg.networks {
        let mut rng = Rng::derive(world.seed, stream::NETWORK, n as u64);
        let net = plant_network(world, &mut rng, n as u16, cfg);
        plan_network_orders(
            world,
            &mut rng,
            &net,
            n as u16,
            cfg,
            &exporters,
            &big,
            &mut plan.planned,
        );
        plan.networks.push(net);
    }
    plant_decoys(world, cfg, &exporters, &big, &mut plan);
    plan.planned.sort_by_key(|p| p.date);
    plan
}

fn plant_network(world: &mut World, rng: &mut Rng, n: u16, cfg: PlantConfig) -> Network {
    let year = cfg.first_year + rng.below(cfg.years as u64) as i32;
    let home = *rng.pick(
        &[
            ("SG", 5),
            ("MY", 4),
            ("TH", 2),
            ("HK", 3),
            ("AE", 3),
            ("TW", 1),
            ("VN", 2),
        ]
        .map(|x| x.0),
    );
    let ben_code = ["CN", "CN", "CN", "CN", "HK", "HK", "RU", "RU", "IR", "MO"][rng.index(10)];
    let ben_business = if rng.chance(0.2) {
        Business::Institute
    } else {
        Business::Trade
    };
    let beneficiary = new_company(world, rng, ben_code, ben_business, Role::Beneficiary(n));
    let ben_country = places::country(ben_code);
    let ben_owner = world.person_in(rng, ben_country);
    if ben_business != Business::Institute {
        world.rels.push(Rel {
            from: Node::Person(ben_owner),
            to: Node::Company(beneficiary),
            kind: RelKind::Owner,
            share: Some(100),
            start: None,
        });
    }
    let mut links = Vec::new();
    let intermediary = if rng.chance(0.4) {
        let code = *rng.pick(&["HK", "AE", "SG", "HK"]);
        let i = new_company(world, rng, code, Business::Trade, Role::Intermediary(n));
        let owner = if ben_business != Business::Institute && rng.chance(0.5) {
            Node::Person(ben_owner)
        } else {
            Node::Company(beneficiary)
        };
        world.rels.push(Rel {
            from: owner,
            to: Node::Company(i),
            kind: RelKind::Owner,
            share: Some(100),
            start: None,
        });
        links.push(Link {
            kind: LinkKind::Ownership,
            members: vec![beneficiary, i],
            via: Some(owner),
        });
        Some(i)
    } else {
        None
    };

    // Fronts.
    let n_fronts = if rng.chance(0.6) {
        rng.range(3, 6)
    } else {
        rng.range(7, 12)
    } as usize;
    let mut fronts = Vec::with_capacity(n_fronts);
    let mut realtors = 0;
    let jan1 = days_from_civil(year, 1, 1);
    for _ in 0..n_fronts {
        let code = if rng.chance(0.7) {
            home
        } else {
            *rng.pick(HUBS)
        };
        let kind = match rng.below(20) {
            0..=8 => FrontKind::NewCompany,
            9..=13 => FrontKind::Trading,
            14..=16 => FrontKind::Forwarder,
            _ if realtors < 2 => FrontKind::Realtor,
            _ => FrontKind::NewCompany,
        };
        realtors += usize::from(kind == FrontKind::Realtor);
        let business = match kind {
            FrontKind::Forwarder => Business::Forwarding,
            FrontKind::Realtor => Business::Realty,
            _ => Business::Trade,
        };
        let c = new_company(world, rng, code, business, Role::Front(n));
        if kind == FrontKind::NewCompany {
            world.companies[c as usize].incorporated = jan1 - rng.range(30, 420) as i32;
        }
        let frac = if rng.chance(0.8) {
            rng.uniform(0.60, 0.98)
        } else {
            rng.uniform(0.30, 0.60)
        };
        fronts.push(Front {
            company: c,
            kind,
            target: (frac * cfg.threshold as f64) as u64,
            notify: None,
            payer: None,
            end_user: None,
            forwarder: None,
        });
    }
    // The network as a whole must exceed the threshold well.
    while fronts.iter().map(|f| f.target).sum::<u64>() < cfg.threshold * 3 / 2 {
        let low = fronts.iter_mut().min_by_key(|f| f.target).expect("fronts");
        low.target = (rng.uniform(0.60, 0.98) * cfg.threshold as f64) as u64;
    }

    // Near-identical names among some home fronts.
    if rng.chance(0.3) {
        let home_c = places::country(home);
        let same: Vec<u32> = fronts
            .iter()
            .map(|f| f.company)
            .filter(|&c| world.companies[c as usize].country as usize == home_c)
            .collect();
        if same.len() >= 2 {
            let base = world.companies[same[0] as usize].name.clone();
            let members: Vec<u32> = same
                .iter()
                .copied()
                .take(rng.range(2, same.len() as u64) as usize)
                .collect();
            for &m in &members[1..] {
                let name = &mut world.companies[m as usize].name;
                name.brand = base.brand.clone();
                name.brand_alt = base.brand_alt.clone();
                if let Some(d) = name.descs.first_mut() {
                    if rng.chance(0.5) {
                        *d = base.descs[0];
                    }
                }
                if name.descs == base.descs {
                    // Near-identical, never identical: one word more.
                    let extra = *rng.pick(&[2u8, 3, 8, 31]);
                    if !name.descs.contains(&extra) {
                        name.descs.push(extra);
                    } else {
                        name.descs.truncate(1);
                        name.descs.push(17);
                    }
                }
            }
            links.push(Link {
                kind: LinkKind::SimilarName,
                members,
                via: None,
            });
        }
    }

    // Which links exist, and whom they touch.
    let mut kinds = vec![
        LinkKind::SharedOwner,
        LinkKind::SharedDirector,
        LinkKind::SharedAddress,
        LinkKind::SharedPhone,
        LinkKind::SharedEmail,
        LinkKind::SharedNotify,
        LinkKind::SharedPayer,
        LinkKind::SameEndUser,
        LinkKind::SharedForwarder,
    ];
    rng.shuffle(&mut kinds);
    kinds.truncate([1, 2, 2, 3, 3, 3, 4, 5][rng.index(8)]);
    let nf = fronts.len();
    let mut groups: Vec<(LinkKind, Vec<usize>)> = Vec::new();
    for &k in &kinds {
        let p = rng.uniform(0.35, 0.9);
        let mut members: Vec<usize> = (0..nf).filter(|_| rng.chance(p)).collect();
        if k == LinkKind::SharedAddress {
            // An address is in one country: keep the members that share the first one's.
            let c0 = members
                .first()
                .map(|&m| world.companies[fronts[m].company as usize].country);
            members.retain(|&m| Some(world.companies[fronts[m].company as usize].country) == c0);
        }
        if members.len() >= 2
            || matches!(k, LinkKind::SameEndUser | LinkKind::SharedPayer) && !members.is_empty()
        {
            groups.push((k, members));
        }
    }
    // Connect every front: join each unconnected component to a group that allows it.
    let mut comp: Vec<usize> = (0..nf).collect();
    fn find(c: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while c[r] != r {
            r = c[r];
        }
        c[x] = r;
        r
    }
    let groups_connect = |groups: &[(LinkKind, Vec<usize>)], comp: &mut Vec<usize>| {
        for c in comp
            .iter_mut()
            .enumerate()
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
        {
            comp[c] = c;
        }
        for (_, m) in groups {
            for w in m.windows(2) {
                let (a, b) = (find(comp, w[0]), find(comp, w[1]));
                comp[a] = b;
            }
        }
    };
    loop {
        groups_connect(&groups, &mut comp);
        let root = find(&mut comp, 0);
        let Some(lonely) = (0..nf).find(|&f| find(&mut comp, f) != root) else {
            break;
        };
        let open: Vec<usize> = (0..groups.len())
            .filter(|&g| groups[g].0 != LinkKind::SharedAddress)
            .collect();
        if open.is_empty() || rng.chance(0.15) {
            let k = *rng.pick(&[
                LinkKind::SharedDirector,
                LinkKind::SharedPayer,
                LinkKind::SameEndUser,
                LinkKind::SharedForwarder,
                LinkKind::SharedPhone,
            ]);
            groups.push((k, vec![0, lonely]));
        } else {
            let g = *rng.pick(&open);
            if !groups[g].1.contains(&0) && !groups[g].1.iter().any(|&m| find(&mut comp, m) == root)
            {
                groups[g].1.push(0);
            }
            groups[g].1.push(lonely);
            groups[g].1.sort_unstable();
            groups[g].1.dedup();
        }
    }

    // Realise each group.
    let home_c = places::country(home);
    let end_user_party = intermediary.unwrap_or(beneficiary);
    for (k, members) in groups {
        let cs: Vec<u32> = members.iter().map(|&m| fronts[m].company).collect();
        let mut link = Link {
            kind: k,
            members: cs.clone(),
            via: None,
        };
        match k {
            LinkKind::SharedOwner => {
                let via = if ben_business != Business::Institute && rng.chance(0.5) {
                    link.members.push(beneficiary);
                    Node::Person(ben_owner)
                } else if rng.chance(0.25) {
                    let code = *rng.pick(&["HK", "AE", "SG", "VN"]);
                    Node::Company(new_company(
                        world,
                        rng,
                        code,
                        Business::Holding,
                        Role::Service(n),
                    ))
                } else {
                    Node::Person(world.person_in(rng, home_c))
                };
                for &c in &cs {
                    let share = if rng.chance(0.6) {
                        100
                    } else {
                        rng.range(51, 99) as u8
                    };
                    world.rels.push(Rel {
                        from: via,
                        to: Node::Company(c),
                        kind: RelKind::Owner,
                        share: Some(share),
                        start: Some(world.companies[c as usize].incorporated),
                    });
                }
                link.via = Some(via);
            }
            LinkKind::SharedDirector => {
                let p = world.person_in(rng, home_c);
                for &c in &cs {
                    world.rels.push(Rel {
                        from: Node::Person(p),
                        to: Node::Company(c),
                        kind: RelKind::Director,
                        share: None,
                        start: Some(world.companies[c as usize].incorporated),
                    });
                }
                link.via = Some(Node::Person(p));
            }
            LinkKind::SharedAddress => {
                let addr = world.companies[cs[0] as usize].addr.clone();
                for &c in &cs[1..] {
                    world.companies[c as usize].addr = addr.clone();
                }
            }
            LinkKind::SharedPhone => {
                let (pc, ph) = (
                    world.companies[cs[0] as usize].phone_country,
                    world.companies[cs[0] as usize].phone,
                );
                for &c in &cs[1..] {
                    world.companies[c as usize].phone_country = pc;
                    world.companies[c as usize].phone = ph;
                }
            }
            LinkKind::SharedEmail => {
                let brand: String = world.companies[cs[0] as usize]
                    .name
                    .brand
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .flat_map(char::to_lowercase)
                    .collect();
                let email = format!(
                    "{}.{brand}{}@{}",
                    ["procure", "orders", "purchasing"][rng.index(3)],
                    rng.below(100),
                    ["gmail.com", "163.com", "qq.com", "outlook.com"][rng.index(4)]
                );
                for &c in &cs {
                    world.companies[c as usize].email = email.clone();
                }
            }
            LinkKind::SharedNotify => {
                let code = if rng.chance(0.5) { home } else { ben_code };
                let business = if rng.chance(0.6) {
                    Business::Forwarding
                } else {
                    Business::Trade
                };
                let v = new_company(world, rng, code, business, Role::Service(n));
                for &m in &members {
                    fronts[m].notify = Some(v);
                }
                link.via = Some(Node::Company(v));
            }
            LinkKind::SharedPayer => {
                let v = if rng.chance(0.4) {
                    beneficiary
                } else {
                    let code = *rng.pick(&["AE", "HK", "SG", ben_code]);
                    new_company(world, rng, code, Business::Trade, Role::Service(n))
                };
                for &m in &members {
                    fronts[m].payer = Some(v);
                }
                link.via = Some(Node::Company(v));
            }
            LinkKind::SameEndUser => {
                for &m in &members {
                    fronts[m].end_user = Some(end_user_party);
                }
                link.via = Some(Node::Company(end_user_party));
            }
            LinkKind::SharedForwarder => {
                let v = new_company(world, rng, home, Business::Forwarding, Role::Service(n));
                for &m in &members {
                    fronts[m].forwarder = Some(v);
                }
                link.via = Some(Node::Company(v));
            }
            LinkKind::SimilarName | LinkKind::Ownership => {}
        }
        links.push(link);
    }
    // Some trail must lead from the fronts to the beneficiary side (its owner, itself or its
    // intermediary); when none of the drawn links does, the fronts name it as end user.
    let ben_side = |n: Node| {
        n == Node::Person(ben_owner) && ben_business != Business::Institute
            || n == Node::Company(beneficiary)
            || Some(n) == intermediary.map(Node::Company)
    };
    let tied = links
        .iter()
        .any(|l| l.kind != LinkKind::Ownership && l.via.is_some_and(ben_side));
    if !tied {
        let mut members: Vec<usize> = (0..nf).filter(|_| rng.chance(0.5)).collect();
        if members.is_empty() {
            members.push(rng.index(nf));
        }
        for &m in &members {
            fronts[m].end_user = Some(end_user_party);
        }
        links.push(Link {
            kind: LinkKind::SameEndUser,
            members: members.iter().map(|&m| fronts[m].company).collect(),
            via: Some(Node::Company(end_user_party)),
        });
    }
    let style = if rng.chance(0.12) {
        OrderStyle::Samples
    } else {
        OrderStyle::Standard
    };
    let mut products = vec![pick_net_product(rng)];
    if style == OrderStyle::Samples {
        // Samples are cards, not servers.
        let cards = [
            "NVIDIA H100 SXM5",
            "NVIDIA H100 PCIe",
            "NVIDIA A100",
            "NVIDIA H20 96GB",
        ];
        let card = *rng.pick(&cards);
        products = vec![products::find(card)];
    } else if rng.chance(0.4) {
        let p = pick_net_product(rng);
        if !products.contains(&p) {
            products.push(p);
        }
    }
    Network {
        beneficiary,
        intermediary,
        fronts,
        links,
        year,
        products,
        style,
    }
}

#[allow(clippy::too_many_arguments)]
fn plan_network_orders(
    world: &World,
    rng: &mut Rng,
    net: &Network,
    n: u16,
    cfg: PlantConfig,
    exporters: &[u32],
    big: &[u32],
    out: &mut Vec<Planned>,
) {
    let misdeclare = if rng.chance(0.4) {
        0.0
    } else {
        rng.uniform(0.15, 0.6)
    };
    let mut shippers: Vec<u32> = (0..rng.range(1, 3)).map(|_| *rng.pick(exporters)).collect();
    let samples = net.style == OrderStyle::Samples;
    if samples {
        // One shipper, preferably Korean, sends them all.
        let kr: Vec<u32> = exporters
            .iter()
            .copied()
            .filter(|&e| COUNTRIES[world.companies[e as usize].country as usize].code == "KR")
            .collect();
        shippers = vec![if kr.is_empty() {
            shippers[0]
        } else {
            *rng.pick(&kr)
        }];
    }
    let hub = *rng.pick(HUBS);
    let transit_hub = places::country(hub);
    for (fi, front) in net.fronts.iter().enumerate() {
        let c = &world.companies[front.company as usize];
        let (start, end) = days_in_window(rng, net.year);
        let product = *rng.pick(&net.products);
        let tpp = PRODUCTS[product].tpp;
        let orders = if samples {
            rng.range(30, 80)
        } else {
            rng.range(4, 30)
        } as usize;
        let owner = Owner::Network {
            net: n,
            front: fi as u16,
        };
        for q in split_quantities(rng, front.target, tpp, orders) {
            let shipper = *rng.pick(&shippers);
            let date = rng.range(start as u64, end as u64) as i32;
            let notify = front.notify.or_else(|| match rng.below(10) {
                0..=4 => None,
                5 | 6 => Some(front.company),
                _ => Some(*rng.pick(big)),
            });
            out.push(Planned {
                date,
                order_ref: order_ref(rng, net.year),
                shipper,
                consignee: front.company,
                notify,
                end_user: front
                    .end_user
                    .or_else(|| rng.chance(0.4).then_some(front.company)),
                forwarder: front
                    .forwarder
                    .or_else(|| rng.chance(0.8).then(|| *rng.pick(big))),
                payer: front
                    .payer
                    .or_else(|| rng.chance(0.5).then_some(front.company)),
                product,
                misdeclared: if samples {
                    Some(if rng.chance(0.7) { 3 } else { 4 })
                } else {
                    rng.chance(misdeclare)
                        .then(|| rng.index(products::MISDECLARED.len()) as u8)
                },
                quantity: q,
                unit_price: unit_price(rng, product),
                origin: world.companies[shipper as usize].country,
                transit: (rng.chance(0.5) && transit_hub != c.country as usize)
                    .then_some(transit_hub as u16),
                dest: c.country,
                owner,
            });
        }
        // A few ordinary orders as cover.
        let ordinary = products::of_class(Class::Ordinary);
        for _ in 0..rng.below(4) {
            let product = *rng.pick(&ordinary);
            let shipper = *rng.pick(exporters);
            out.push(Planned {
                date: rng.range(start as u64, end as u64) as i32,
                order_ref: order_ref(rng, net.year),
                shipper,
                consignee: front.company,
                notify: None,
                end_user: None,
                forwarder: rng.chance(0.7).then(|| *rng.pick(big)),
                payer: rng.chance(0.5).then_some(front.company),
                product,
                misdeclared: None,
                quantity: rng.range(1, 200),
                unit_price: unit_price(rng, product),
                origin: world.companies[shipper as usize].country,
                transit: None,
                dest: c.country,
                owner,
            });
        }
    }
    let _ = cfg;
}

fn plant_decoys(
    world: &mut World,
    cfg: PlantConfig,
    exporters: &[u32],
    big: &[u32],
    plan: &mut Plan,
) {
    let mut rng = Rng::derive(world.seed, stream::DECOY, 0);
    // Unrelated sub-threshold buyers: together over the threshold, but nothing ties them.
    let groups = (cfg.networks / 2).max(2);
    for _ in 0..groups {
        let d = plan.decoys.len() as u16;
        let year = cfg.first_year + rng.below(cfg.years as u64) as i32;
        let code = *rng.pick(HUBS);
        let mut members = Vec::new();
        for _ in 0..rng.range(4, 8) {
            let c = new_company(world, &mut rng, code, Business::Trade, Role::DecoyBuyer(d));
            let target = (rng.uniform(0.45, 0.95) * cfg.threshold as f64) as u64;
            let product = pick_net_product(&mut rng);
            let (start, end) = days_in_window(&mut rng, year);
            let shipper = *rng.pick(exporters);
            let orders = rng.range(3, 15) as usize;
            for q in split_quantities(&mut rng, target, PRODUCTS[product].tpp, orders) {
                plan.planned.push(Planned {
                    date: rng.range(start as u64, end as u64) as i32,
                    order_ref: order_ref(&mut rng, year),
                    shipper,
                    consignee: c,
                    notify: rng.chance(0.3).then_some(c),
                    end_user: rng.chance(0.5).then_some(c),
                    forwarder: rng.chance(0.8).then(|| *rng.pick(big)),
                    payer: rng.chance(0.5).then_some(c),
                    product,
                    misdeclared: None,
                    quantity: q,
                    unit_price: unit_price(&mut rng, product),
                    origin: world.companies[shipper as usize].country,
                    transit: None,
                    dest: world.companies[c as usize].country,
                    owner: Owner::Decoy(d),
                });
            }
            members.push(Node::Company(c));
        }
        plan.decoys.push(Decoy {
            kind: "unrelated_sub_threshold_buyers",
            members,
            note: format!("independent buyers in {code}, each under the threshold in {year}, together over it; no shared owner, director, address, phone, payer, notify party or end user"),
            year: Some(year),
        });
    }
    // Tier-1 data centres: big single orders, legitimately over the threshold.
    let dcs: Vec<u32> = (0..world.companies.len() as u32)
        .filter(|&i| world.companies[i as usize].role == Role::DataCentre)
        .take(12)
        .collect();
    let d = plan.decoys.len() as u16;
    let servers = products::of_class(Class::Server);
    let us_tw: Vec<u32> = exporters
        .iter()
        .copied()
        .filter(|&e| {
            matches!(
                COUNTRIES[world.companies[e as usize].country as usize].code,
                "US" | "TW"
            )
        })
        .collect();
    let us_tw = if us_tw.is_empty() {
        exporters.to_vec()
    } else {
        us_tw
    };
    for &dc in &dcs {
        for y in 0..cfg.years {
            if !rng.chance(0.6) {
                continue;
            }
            for _ in 0..rng.range(1, 3) {
                let product = *rng.pick(&servers);
                let shipper = *rng.pick(&us_tw);
                plan.planned.push(Planned {
                    date: days_from_civil(cfg.first_year + y, 1, 1) + rng.below(365) as i32,
                    order_ref: order_ref(&mut rng, cfg.first_year + y),
                    shipper,
                    consignee: dc,
                    notify: rng.chance(0.5).then_some(dc),
                    end_user: Some(dc),
                    forwarder: rng.chance(0.9).then(|| *rng.pick(big)),
                    payer: Some(dc),
                    product,
                    misdeclared: None,
                    quantity: rng.range(50, 400),
                    unit_price: unit_price(&mut rng, product),
                    origin: world.companies[shipper as usize].country,
                    transit: None,
                    dest: world.companies[dc as usize].country,
                    owner: Owner::Decoy(d),
                });
            }
        }
    }
    plan.decoys.push(Decoy {
        kind: "tier1_datacentre",
        members: dcs.iter().map(|&c| Node::Company(c)).collect(),
        note:
            "large licensed buyers in Tier-1 countries placing big single orders over the threshold"
                .into(),
        year: None,
    });
    plan.decoys.push(Decoy {
        kind: "shared_forwarder_hub",
        members: big.iter().map(|&c| Node::Company(c)).collect(),
        note: "large freight forwarders serving many unrelated shippers and consignees".into(),
        year: None,
    });
}

/// Records the world-level decoys (mass-registration addresses, nominee directors, similar
/// names) in the plan, after [`World`] planted them.
pub fn record_world_decoys(world: &World, plan: &mut Plan) {
    for (addr, members) in &world.mass_addresses {
        plan.decoys.push(Decoy {
            kind: "mass_registration_address",
            members: members.iter().map(|&c| Node::Company(c)).collect(),
            note: format!(
                "registered-agent address shared by unrelated companies: {}, {}",
                addr.street_line(),
                addr.city()
            ),
            year: None,
        });
    }
    for (p, members) in &world.nominees {
        let mut m = vec![Node::Person(*p)];
        m.extend(members.iter().map(|&c| Node::Company(c)));
        plan.decoys.push(Decoy {
            kind: "nominee_director",
            members: m,
            note: "professional nominee director of unrelated companies".into(),
            year: None,
        });
    }
    for &(a, b) in &world.similar_pairs {
        plan.decoys.push(Decoy {
            kind: "similar_name_unrelated",
            members: vec![Node::Company(a), Node::Company(b)],
            note: format!(
                "different companies with near-identical names: {} / {}",
                world.companies[a as usize].name.canonical(),
                world.companies[b as usize].name.canonical()
            ),
            year: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_products_name_one_controlled_product_each() {
        for (prefix, _) in NET_PRODUCTS {
            assert!(PRODUCTS[products::find(prefix)].tpp > 0, "{prefix}");
        }
    }

    #[test]
    fn split_never_exceeds_target() {
        let mut rng = Rng::new(4);
        for _ in 0..500 {
            let target = rng.range(1_000_000, 26_000_000);
            let tpp = *rng.pick(&[2_368u64, 15_832, 126_656, 288_000]);
            let orders = rng.range(1, 30) as usize;
            let qs = split_quantities(&mut rng, target, tpp, orders);
            assert!(qs.iter().sum::<u64>() * tpp <= target);
            assert!(qs.iter().sum::<u64>() == target / tpp);
            assert!(qs.iter().all(|&q| q > 0));
        }
    }
}
