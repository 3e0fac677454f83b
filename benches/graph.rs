//! Graph stage benchmarks: building the entity graph from a store of 1M entities and about 5M
//! edges, a 2-hop neighbourhood, and a shortest path between two entities.
//!
//! The store is synthetic and seeded (written straight into SQLite, no resolve run): one record
//! per entity; relationships of every kind; shipments whose shippers, forwarders and payers are
//! drawn from small pools (so, as in real trade data, a few parties have thousands of
//! counterparties); addresses and phones drawn from pools so that some are shared by two to
//! five entities, and 20 mass-registration addresses shared by 5,000 entities each. It is
//! cached in `target/bench-graph-<entities>.db` and reused across runs.
//!
//! `TRAWL_BENCH_ENTITIES` (default 1,000,000) scales it. Peak memory of the build (VmHWM after
//! resetting it) and the graph's size are printed to stderr.
//!
//! Run: `cargo bench --bench graph`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rusqlite::{Connection, params};
use trawl::graph::{self, EntityGraph, EntityId, GraphConfig, Walk};

/// splitmix64: a small, seeded, dependency-free generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn entities() -> u64 {
    std::env::var("TRAWL_BENCH_ENTITIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Writes (or reuses) the synthetic store; returns its path.
fn store(n: u64) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    let path = dir.join(format!("bench-graph-{n}.db"));
    if path.exists() {
        return path;
    }
    let tmp = dir.join(format!("bench-graph-{n}.db.tmp"));
    let _ = std::fs::remove_file(&tmp);
    let started = Instant::now();
    let conn = trawl::store::open(&tmp).expect("open bench store");
    conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF;")
        .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    tx.execute(
        "INSERT INTO sources (id, path, sha256, kind, ingested_at, rows_read, rows_accepted,
                              rows_quarantined)
         VALUES (1, 'bench/synthetic.csv', 'bench', 'parties', '2026-01-01T00:00:00Z', 0, 0, 0)",
        [],
    )
    .unwrap();
    let mut rng = Rng(1);
    {
        let mut rec = tx
            .prepare(
                "INSERT INTO records (id, source_id, line, origin, source_key, kind, name, address,
                                      country, phone, email, list_source)
                 VALUES (?1, 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .unwrap();
        let mut ent = tx
            .prepare(
                "INSERT INTO entities (id, kind, name, country, record_count, anchor_record)
                 VALUES (?1, ?2, ?3, ?4, 1, ?1)",
            )
            .unwrap();
        let mut er = tx
            .prepare("INSERT INTO entity_records (record_id, entity_id) VALUES (?1, ?1)")
            .unwrap();
        const CC: [&str; 8] = ["SG", "MY", "TH", "HK", "AE", "CN", "US", "DE"];
        for id in 1..=n as i64 {
            let person = id % 4 == 0;
            let kind = if person { "person" } else { "company" };
            let name = format!("Entity {id} {}", if person { "" } else { "Pte Ltd" });
            let cc = CC[rng.below(8) as usize];
            // 60 % have an address from a pool of 0.45 n (some shared by a few); 20 mass
            // registration addresses take 100,000 entities between them.
            let address = if id % 10 == 1 && id / 10 < 100_000 {
                Some(format!("{} Registered Agent Road #01-01", id % 20))
            } else if rng.below(10) < 6 {
                Some(format!(
                    "{} Harbour Street Unit {}",
                    rng.below(n * 45 / 100),
                    id % 7
                ))
            } else {
                None
            };
            let phone = (rng.below(10) < 5).then(|| format!("+65 {:08}", rng.below(n * 2)));
            let email = (rng.below(10) < 3).then(|| format!("info{}@example{}.com", id, id % 97));
            let listed =
                (id % 997 == 0).then_some("Entity List (EL) - Bureau of Industry and Security");
            let origin = if listed.is_some() {
                "screening"
            } else {
                "party"
            };
            rec.execute(params![
                id,
                origin,
                format!("K{id}"),
                kind,
                name,
                address,
                cc,
                phone,
                email,
                listed
            ])
            .unwrap();
            ent.execute(params![id, kind, name, cc]).unwrap();
            er.execute([id]).unwrap();
        }
        let mut rel = tx
            .prepare(
                "INSERT INTO relationships (id, source_id, line, from_record, to_record, kind, share)
                 VALUES (?1, 1, ?1, ?2, ?3, ?4, ?5)",
            )
            .unwrap();
        const KINDS: [&str; 6] = [
            "owner",
            "director",
            "officer",
            "beneficial_owner",
            "family",
            "associate",
        ];
        for id in 1..=(n * 5 / 2) as i64 {
            let a = 1 + rng.below(n) as i64;
            let b = 1 + rng.below(n) as i64;
            let kind = KINDS[(rng.below(100) as usize * 6) / 100];
            let share = (kind == "owner" || kind == "beneficial_owner")
                .then(|| (1 + rng.below(100)) as f64);
            rel.execute(params![id, a, b, kind, share]).unwrap();
        }
        let mut shp = tx
            .prepare(
                "INSERT INTO shipments (id, source_id, line, shipment_key, date, shipper_record,
                     consignee_record, notify_record, end_user_record, forwarder_record,
                     payer_record, hs_code, quantity, value_usd)
                 VALUES (?1, 1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, '8471.50', ?10, ?11)",
            )
            .unwrap();
        let pool = |rng: &mut Rng, size: u64| 1 + rng.below(size.min(n)) as i64;
        for id in 1..=(n * 6 / 10) as i64 {
            let consignee = 1 + rng.below(n) as i64;
            let shipper = pool(&mut rng, 5_000);
            let forwarder = pool(&mut rng, 2_000);
            let notify = if rng.below(2) == 0 {
                consignee
            } else {
                1 + rng.below(n) as i64
            };
            let payer = if rng.below(3) == 0 {
                pool(&mut rng, 20_000)
            } else {
                consignee
            };
            let end_user = 1 + rng.below(n) as i64;
            let date = format!(
                "202{}-{:02}-{:02}",
                4 + rng.below(2),
                1 + rng.below(12),
                1 + rng.below(28)
            );
            shp.execute(params![
                id,
                format!("S{id}"),
                date,
                shipper,
                consignee,
                notify,
                end_user,
                forwarder,
                payer,
                (1 + rng.below(50)) as f64,
                (1_000 + rng.below(500_000)) as f64
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    drop(conn);
    std::fs::rename(&tmp, &path).unwrap();
    eprintln!(
        "bench store: {n} entities written to {} in {:.1} s",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    path
}

/// Peak resident memory (kB) since the last reset.
fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Pairs of random entities, seeded.
fn sample_ids(g: &EntityGraph, k: usize, seed: u64) -> Vec<EntityId> {
    let mut rng = Rng(seed);
    let ids = g.entity_ids();
    (0..k)
        .map(|_| ids[rng.below(ids.len() as u64) as usize])
        .collect()
}

fn bench(c: &mut Criterion) {
    let n = entities();
    let path = store(n);
    let conn = Connection::open(&path).unwrap();
    let cfg = GraphConfig::default();

    // One measured build outside criterion for the memory figure.
    reset_peak_rss();
    let base = peak_rss_kb().unwrap_or(0);
    let t = Instant::now();
    let g = graph::build(&conn, &cfg).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let peak = peak_rss_kb().unwrap_or(0);
    let stats = g.stats();
    eprintln!(
        "graph: {} entities, {} hubs, {} lists, {} edges; build {:.2} s; peak RSS {} MB \
         (before build {} MB)",
        stats.entities,
        stats.hubs,
        stats.lists,
        stats.edges,
        secs,
        peak / 1024,
        base / 1024
    );
    eprintln!("edges by kind: {:?}", stats.by_kind);
    eprintln!("build phases (s): {:?}", g.build_timings());

    let mut group = c.benchmark_group("graph");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.throughput(Throughput::Elements(stats.edges as u64));
    group.bench_function(format!("build/{n}_entities"), |b| {
        b.iter(|| graph::build(&conn, &cfg).unwrap())
    });
    group.finish();

    let walk = Walk::default();
    let centres = sample_ids(&g, 1_000, 7);
    let mut sizes: Vec<usize> = centres
        .iter()
        .map(|id| g.neighbors(*id, 2, &walk).unwrap().nodes.len())
        .collect();
    sizes.sort_unstable();
    eprintln!(
        "2-hop neighbourhood sizes: median {}, p99 {}, max {}",
        sizes[sizes.len() / 2],
        sizes[sizes.len() * 99 / 100],
        sizes[sizes.len() - 1]
    );
    let mut group = c.benchmark_group("graph");
    group.sample_size(50);
    let mut i = 0;
    group.bench_function("neighbors/2_hops", |b| {
        b.iter(|| {
            i = (i + 1) % centres.len();
            g.neighbors(centres[i], 2, &walk).unwrap()
        })
    });
    let ends = sample_ids(&g, 2_000, 11);
    let mut j = 0;
    group.bench_function("shortest_path", |b| {
        b.iter(|| {
            j = (j + 2) % ends.len();
            g.shortest_path(ends[j], ends[j + 1], &walk)
        })
    });
    let mut k = 0;
    group.bench_function("k_shortest_paths/3", |b| {
        b.iter(|| {
            k = (k + 2) % 200;
            g.k_shortest_paths(ends[k], ends[k + 1], 3, &walk)
        })
    });
    group.finish();

    // Worst case seen over the sampled pairs, for the report.
    let mut worst = Duration::ZERO;
    let mut found = 0;
    for p in ends.chunks(2).take(500) {
        let t = Instant::now();
        found += usize::from(g.shortest_path(p[0], p[1], &walk).is_some());
        worst = worst.max(t.elapsed());
    }
    eprintln!("shortest path over 500 random pairs: {found} connected, worst {worst:?}");
}

criterion_group!(benches, bench);
criterion_main!(benches);
