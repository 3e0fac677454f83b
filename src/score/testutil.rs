//! Hand-made worlds for the detector and grouping unit tests.
#![allow(dead_code)]

use super::catalog::LineClass;
use super::policy::{Policy, parse_day};
use super::{Contact, ContactKind, Data, EntityInfo, Ix, Line, NONE, Possible, Rel};

pub const H100: f64 = 15_832.0;

pub struct World {
    pub d: Data,
    pub policy: Policy,
    next_line: i64,
}

impl World {
    pub fn new() -> World {
        let mut d = Data::default();
        d.sources.insert(1, "test.csv".into());
        World {
            d,
            policy: Policy::builtin("diffusion-2025").unwrap(),
            next_line: 2,
        }
    }

    fn entity(&mut self, name: &str, kind: &str, country: Option<&str>) -> Ix {
        let i = self.d.entities.len() as Ix;
        let id = i64::from(i) + 1;
        self.d.index.insert(id, i);
        self.d.entities.push(EntityInfo {
            id,
            name: name.into(),
            kind: kind.into(),
            country: country.and_then(super::cc),
            has_website: true,
            keys: vec![name.into()],
            first: (1, id),
            ..EntityInfo::default()
        });
        i
    }

    pub fn company(&mut self, name: &str, cc: &str) -> Ix {
        self.entity(name, "company", Some(cc))
    }

    pub fn person(&mut self, name: &str) -> Ix {
        self.entity(name, "person", None)
    }

    pub fn rel(&mut self, from: Ix, to: Ix, kind: &str, share: Option<f64>) {
        self.next_line += 1;
        self.d.rels.push(Rel {
            from,
            to,
            kind: kind.into(),
            share,
            source: 1,
            line: self.next_line,
        });
    }

    fn contact(&mut self, e: Ix, kind: ContactKind, v: &str) {
        self.next_line += 1;
        self.d.contacts.push(Contact {
            entity: e,
            kind,
            key: xxhash_rust::xxh3::xxh3_64(v.as_bytes()),
            value: v.into(),
            source: 1,
            line: self.next_line,
        });
        self.d
            .contacts
            .sort_by_key(|c| (c.kind, c.key, c.entity, c.source, c.line));
    }

    pub fn address(&mut self, e: Ix, v: &str) {
        self.contact(e, ContactKind::Address, v);
    }

    pub fn phone(&mut self, e: Ix, v: &str) {
        self.contact(e, ContactKind::Phone, v);
    }

    pub fn possible(&mut self, a: Ix, b: Ix) {
        self.d.possible.push(Possible {
            a,
            b,
            probability: 0.5,
            record_a: i64::from(a),
            record_b: i64::from(b),
        });
    }

    pub fn line(&mut self, consignee: Ix) -> LineBuilder<'_> {
        self.next_line += 1;
        let dest = self.d.entities[consignee as usize].country;
        let l = Line {
            id: self.next_line,
            source: 1,
            line: self.next_line,
            day: parse_day("2025-03-01").unwrap(),
            consignee,
            shipper: NONE,
            notify: NONE,
            end_user: NONE,
            forwarder: NONE,
            payer: NONE,
            dest,
            transit_hub: false,
            route_tier3: false,
            class: LineClass::NotControlled,
            declared: 0.0,
            suspected: 0.0,
            quantity: 0.0,
            value: 0.0,
        };
        LineBuilder { w: self, l }
    }

    pub fn data(mut self) -> (Data, Policy) {
        self.d.first_day = self.d.lines.iter().map(|l| l.day).min().unwrap_or(0);
        (self.d, self.policy)
    }
}

pub struct LineBuilder<'a> {
    w: &'a mut World,
    l: Line,
}

impl LineBuilder<'_> {
    pub fn payer(mut self, x: Ix) -> Self {
        self.l.payer = x;
        self
    }
    pub fn notify(mut self, x: Ix) -> Self {
        self.l.notify = x;
        self
    }
    pub fn forwarder(mut self, x: Ix) -> Self {
        self.l.forwarder = x;
        self
    }
    pub fn end_user(mut self, x: Ix) -> Self {
        self.l.end_user = x;
        self
    }
    pub fn shipper(mut self, x: Ix) -> Self {
        self.l.shipper = x;
        self
    }
    pub fn date(mut self, s: &str) -> Self {
        self.l.day = parse_day(s).unwrap();
        self
    }
    pub fn dest(mut self, s: &str) -> Self {
        self.l.dest = super::cc(s);
        let p = &self.w.policy;
        self.l.route_tier3 = p.tier(self.l.dest.unwrap()) == super::policy::Tier::Tier3;
        self
    }
    pub fn transit_hub(mut self) -> Self {
        self.l.transit_hub = true;
        self
    }
    /// `n` H100 SXM (declared).
    pub fn h100(mut self, n: f64) -> Self {
        self.l.class = LineClass::Controlled {
            chip: 0,
            per_unit: 1,
        };
        self.l.declared = n * H100;
        self.l.quantity = n;
        self.l.value = n * 30_000.0;
        self
    }
    /// `n` suspected accelerators under a harmless description.
    pub fn suspect(mut self, n: f64) -> Self {
        self.l.class = LineClass::Suspect {
            per_unit: 1,
            consumer: false,
        };
        self.l.suspected = n * H100;
        self.l.quantity = n;
        self.l.value = n * 30_000.0;
        self
    }
    pub fn push(self) {
        self.w.d.lines.push(self.l);
    }
}

/// Builds `world`'s data and groups with the built-in catalog and runs one detector on
/// `members`: the harness every detector's unit tests share.
pub fn run_detector(
    world: World,
    members: &[Ix],
    detect: fn(&super::patterns::Ctx<'_>, &[Ix]) -> Option<super::patterns::Finding>,
) -> Option<super::patterns::Finding> {
    let (d, p) = world.data();
    let g = super::groups::build(&d, &p);
    let c = super::Catalog::builtin();
    detect(&super::patterns::Ctx::new(&d, &p, &c, &g), members)
}
