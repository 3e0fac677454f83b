//! Criterion bench of ingest: generated shipments (the hot path) and parties, each into a fresh
//! store, with throughput in rows. The end-to-end 1M-row figure in BENCHMARKS.md comes from
//! scripts/bench.sh.

use std::path::Path;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use trawl::generate::{GenerateConfig, generate};
use trawl::ingest::{IngestOptions, ingest_file};

fn rows(path: &Path) -> u64 {
    std::fs::read_to_string(path).map_or(0, |t| t.lines().count() as u64 - 1)
}

fn bench_ingest(c: &mut Criterion) {
    let data = tempfile::tempdir().expect("temp dir");
    let cfg = GenerateConfig::new(7, 5_000, 50_000);
    generate(&cfg, data.path()).expect("generate");
    let opts = IngestOptions::default();
    let mut group = c.benchmark_group("ingest");
    group.sample_size(10);
    for file in ["shipments.csv", "parties.csv"] {
        let path = data.path().join(file);
        group.throughput(Throughput::Elements(rows(&path)));
        group.bench_function(file, |b| {
            b.iter_batched(
                || {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let conn = trawl::store::open(&dir.path().join("b.db")).expect("open");
                    (dir, conn)
                },
                |(dir, mut conn)| {
                    ingest_file(&mut conn, &path, &opts).expect("ingest");
                    drop(conn);
                    dir
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bench_ingest);
criterion_main!(benches);
