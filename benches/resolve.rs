//! Criterion bench of `trawl resolve`: records per second on seeded synthetic company records.
//!
//! The records are made here with a fixed seed (name variants: case, punctuation, legal-form
//! spellings, business-word abbreviations, one-letter typos; addresses, cities, phones) so the
//! bench runs without the generator. `BENCHMARKS.md` holds the end-to-end 100k / 1M figures.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rusqlite::{Connection, params};

/// xorshift64*: a tiny seeded generator, enough for bench data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

const SYL: &[&str] = &[
    "ka", "lo", "mi", "ra", "ten", "zor", "vex", "qua", "li", "po", "nar", "sen", "tal", "bri",
    "cor", "dex", "fin", "gal", "hex", "ion", "jun", "kel", "lum", "mar", "nov", "orb",
];
const COMMON: &[&str] = &[
    "Global",
    "International",
    "Technology",
    "Trading",
    "Electronics",
    "Logistics",
    "Systems",
    "Holdings",
    "Pacific",
    "Digital",
    "Supply",
];
const FORMS: &[(&str, &[&str], &[&str])] = &[
    (
        "SG",
        &["Singapore"],
        &["Pte Ltd", "PTE. LIMITED", "Private Limited"],
    ),
    ("MY", &["Kuala Lumpur", "Penang"], &["Sdn Bhd", "SDN. BHD."]),
    ("HK", &["Hong Kong"], &["Limited", "Co., Ltd."]),
    ("AE", &["Dubai"], &["FZE", "FZ-LLC"]),
    ("US", &["Miami", "San Jose"], &["Inc.", "LLC", "Corp"]),
];

fn make(n: usize, seed: u64) -> Vec<(String, String, String, String, String)> {
    let mut r = Rng(seed | 1);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let brand: String = (0..2).map(|_| SYL[r.below(SYL.len())]).collect();
        let word = COMMON[r.below(COMMON.len())];
        let (cc, cities, forms) = FORMS[r.below(FORMS.len())];
        let city = cities[r.below(cities.len())];
        let street = format!("{} {} Road", 1 + r.below(300), SYL[r.below(SYL.len())]);
        let copies = 1 + r.below(4);
        for _ in 0..copies {
            let mut b = brand.clone();
            if r.chance(0.1) && b.len() > 4 {
                b.remove(1 + r.below(b.len() - 2));
            }
            let w = if r.chance(0.3) { &word[..4] } else { word };
            let name = format!("{b} {w} {}", forms[r.below(forms.len())]);
            let name = if r.chance(0.3) {
                name.to_uppercase()
            } else {
                name
            };
            out.push((
                name,
                city.to_string(),
                cc.to_string(),
                street.clone(),
                format!("+{} {}", 60 + r.below(9), 10_000_000 + r.below(89_999_999)),
            ));
        }
    }
    out.truncate(n);
    out
}

fn store(rows: &[(String, String, String, String, String)]) -> Connection {
    let conn = trawl::store::open_in_memory().unwrap();
    conn.execute(
        "INSERT INTO sources (id, path, sha256, kind, ingested_at, rows_read, rows_accepted,
         rows_quarantined) VALUES (1, 'bench.csv', 'b', 'parties', '2026-01-01T00:00:00Z', 0, 0, 0)",
        [],
    )
    .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    {
        let mut st = tx
            .prepare(
                "INSERT INTO records (source_id, line, origin, source_key, kind, name, city,
                 country, address, phone) VALUES (1, ?1, 'party', ?2, 'company', ?3, ?4, ?5, ?6, ?7)",
            )
            .unwrap();
        for (i, (name, city, cc, addr, phone)) in rows.iter().enumerate() {
            st.execute(params![
                i as i64 + 2,
                format!("B{i}"),
                name,
                city,
                cc,
                addr,
                phone
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    conn
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("resolve");
    g.sample_size(10);
    for n in [10_000usize, 50_000] {
        let rows = make(n, 42);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &rows, |b, rows| {
            b.iter_batched(
                || store(rows),
                |conn| trawl::resolve::resolve(&conn, &Default::default()).unwrap(),
                criterion::BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
