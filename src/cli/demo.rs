//! `trawl demo`: ingest sample-data into a throwaway database and run every stage, printing what
//! each found. The newcomer's first command (README).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::ingest::{IngestOptions, ingest_file};

/// Ingest sample-data/ into a throwaway database and run every stage on it, printing what each
/// stage found.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The sample-data folder (default: ./sample-data, else the one this trawl was built from).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Keep the database here for exploring afterwards (default: a temp file, removed at the end).
    #[arg(long)]
    db: Option<PathBuf>,
}

/// The sample files, in the order ingest needs them (parties before the links that name them).
const FILES: &[&str] = &[
    "parties.csv",
    "relationships.csv",
    "screening.csv",
    "entities.ftm.json",
    "shipments.csv",
];

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let data = match args.data {
        Some(d) => d,
        None if Path::new("sample-data").is_dir() => PathBuf::from("sample-data"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data"),
    };
    let (db, throwaway) = match args.db {
        Some(db) => (db, false),
        None => {
            let name = format!("trawl-demo-{}.db", std::process::id());
            (std::env::temp_dir().join(name), true)
        }
    };
    let result = run_stages(&data, &db, out);
    if throwaway {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    } else {
        writeln!(
            out,
            "\nThe database is kept at {}: try `trawl sources --db {0}`.",
            db.display()
        )?;
    }
    result
}

fn run_stages(data: &Path, db: &Path, out: &mut dyn Write) -> anyhow::Result<u8> {
    let mut conn = crate::store::open(db).with_context(|| format!("opening {}", db.display()))?;
    writeln!(out, "trawl demo on {}", data.display())?;

    heading(
        out,
        "1. ingest",
        "every row with its file and line; bad rows to the quarantine",
    )?;
    writeln!(
        out,
        "{:<13} {:>6} {:>9} {:>11}  file",
        "kind", "read", "accepted", "quarantined"
    )?;
    let opts = IngestOptions {
        kind: None,
        strict: false,
        progress: false,
    };
    for name in FILES {
        let path = data.join(name);
        let s = ingest_file(&mut conn, &path, &opts)
            .with_context(|| format!("ingesting {}", path.display()))?;
        let c = s.counts;
        writeln!(
            out,
            "{:<13} {:>6} {:>9} {:>11}  {name}",
            s.kind.as_str(),
            c.read,
            c.accepted,
            c.quarantined
        )?;
    }
    let n = crate::store::counts(&conn)?;
    writeln!(
        out,
        "store: {} party mentions (records), {} relationships, {} shipment line items, {} quarantined",
        n.records, n.relationships, n.shipments, n.quarantine
    )?;

    heading(
        out,
        "2. resolve",
        "the many spellings of one party become one entity, with the evidence",
    )?;
    let r = crate::resolve::resolve(&conn, &Default::default())?;
    writeln!(
        out,
        "{} records -> {} entities ({} merges) from {} candidate pairs (reduction ratio {:.4})",
        r.records, r.entities, r.merges, r.blocking.candidate_pairs, r.reduction_ratio
    )?;
    let mut stmt = conn.prepare(
        "SELECT e.id, e.record_count,
                (SELECT group_concat(name, ' | ') FROM (
                    SELECT DISTINCT r.name FROM entity_records er JOIN records r
                    ON r.id = er.record_id WHERE er.entity_id = e.id ORDER BY r.id))
         FROM entities e WHERE e.kind IN ('company', 'organization')
         ORDER BY (SELECT count(DISTINCT r.name) FROM entity_records er JOIN records r
                   ON r.id = er.record_id WHERE er.entity_id = e.id) DESC, e.id LIMIT 5",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (id, n, names): (i64, i64, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
        writeln!(out, "entity {id:>4} ({n} records): {names}")?;
    }
    writeln!(
        out,
        "(trawl entity ID shows the records, sources and merge evidence)"
    )?;
    Ok(0)
}

fn heading(out: &mut dyn Write, title: &str, what: &str) -> std::io::Result<()> {
    writeln!(out, "\n== {title}: {what}")
}
