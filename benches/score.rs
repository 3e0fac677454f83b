//! Scoring throughput: `score::compute` (load, groups, detectors, alerts) sequential and
//! parallel, and `score-log` streaming, over a resolved store.
//!
//! Data: the directory in `TRAWL_BENCH_DATA` (the generator's output: `trawl generate --out DIR
//! --seed 1 --companies N --shipments M`), else `sample-data/`. The store is built once (ingest +
//! resolve) in a temp dir before measuring.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use trawl::score::{self, Catalog, Options, Policy};

fn data_dir() -> PathBuf {
    std::env::var_os("TRAWL_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"))
}

fn build_store(dir: &Path, db: &Path) -> rusqlite::Connection {
    let mut conn = trawl::store::open(db).expect("open store");
    let opts = trawl::ingest::IngestOptions {
        kind: None,
        strict: false,
        progress: false,
    };
    for f in [
        "parties.csv",
        "relationships.csv",
        "screening.csv",
        "entities.ftm.json",
        "shipments.csv",
    ] {
        let p = dir.join(f);
        if p.exists() {
            trawl::ingest::ingest_file(&mut conn, &p, &opts).expect("ingest");
        }
    }
    trawl::resolve::resolve(&conn, &trawl::resolve::ResolveConfig::default()).expect("resolve");
    conn
}

fn bench(c: &mut Criterion) {
    let dir = data_dir();
    let tmp = tempfile::tempdir().expect("temp dir");
    let conn = build_store(&dir, &tmp.path().join("bench.db"));
    let p = Policy::builtin("diffusion-2025").expect("policy");
    let cat = Catalog::builtin();
    let shipments: i64 = conn
        .query_row("SELECT count(*) FROM shipments", [], |r| r.get(0))
        .expect("count");
    let shipments = shipments as u64;
    let mut g = c.benchmark_group("score");
    g.sample_size(10);
    g.throughput(Throughput::Elements(shipments));
    g.bench_function("compute_sequential", |b| {
        b.iter(|| score::compute(&conn, &p, &cat, Options { parallel: false }).expect("score"))
    });
    g.bench_function("compute_parallel", |b| {
        b.iter(|| score::compute(&conn, &p, &cat, Options { parallel: true }).expect("score"))
    });
    score::score_parallel(&conn, &p, &cat).expect("score");
    let log = dir.join("shipments.csv");
    g.bench_function("score_log", |b| {
        b.iter(|| {
            let mut ctx = score::stream::Context::load(&conn).expect("context");
            let f = std::fs::File::open(&log).expect("log");
            let mut sink = std::io::sink();
            score::stream::score_log(
                &mut ctx,
                &p,
                &cat,
                std::io::BufReader::new(f),
                &log,
                &mut sink,
                score::stream::Format::Jsonl,
            )
            .expect("score-log")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
