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
        "the many spellings of each party become one entity",
    )?;
    let s = crate::resolve::resolve(&conn, &crate::resolve::ResolveConfig::default())?;
    writeln!(
        out,
        "{} records -> {} entities: {} merges from {} candidate pairs (reduction ratio {:.4}); \
         {} possible matches kept for upper-bound grouping",
        s.records,
        s.entities,
        s.merges,
        s.blocking.candidate_pairs,
        s.reduction_ratio,
        s.possible_pairs
    )?;
    // The ring's first front, as the sample-data README names it.
    if let Ok(record) = crate::resolve::find_record(&conn, "C010") {
        let entity_id: i64 = conn.query_row(
            "SELECT entity_id FROM entity_records WHERE record_id = ?1",
            [record],
            |r| r.get(0),
        )?;
        let e = crate::resolve::entity(&conn, entity_id)?;
        writeln!(
            out,
            "e.g. entity {} \"{}\" ({}): {} records merged, spelled:",
            e.id,
            e.name,
            e.country.as_deref().unwrap_or("-"),
            e.record_count
        )?;
        let mut names: Vec<&str> = e.records.iter().map(|r| r.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names.iter().take(8) {
            let first = e
                .records
                .iter()
                .find(|r| r.name == *name)
                .expect("name of a record");
            let file = Path::new(&first.source)
                .file_name()
                .unwrap_or_default()
                .to_string_lossy();
            writeln!(out, "    {name:<45} first at {file}:{}", first.line)?;
        }
        if names.len() > 8 {
            writeln!(
                out,
                "    … and {} more spellings (trawl entity {})",
                names.len() - 8,
                e.id
            )?;
        }
    }

    heading(
        out,
        "3. graph",
        "who owns, directs, shares an address with and ships to whom, and why",
    )?;
    let g = crate::graph::build(&conn, &crate::graph::GraphConfig::default())?;
    let st = g.stats();
    writeln!(
        out,
        "{} entities, {} mass-registration hubs, {} lists, {} edges",
        st.entities, st.hubs, st.lists, st.edges
    )?;
    let entity = |key: &str| -> anyhow::Result<crate::graph::EntityId> {
        match crate::graph::search::lookup(&conn, key)? {
            crate::graph::search::Lookup::Found { entity } => Ok(entity),
            other => anyhow::bail!("sample-data: {key} does not resolve to one entity: {other:?}"),
        }
    };
    let (beneficiary, front) = (entity("C001")?, entity("C010")?);
    writeln!(out, "\nThe ring's beneficiary (`trawl show C001`):\n")?;
    let card = crate::graph::card::card(&conn, &g, beneficiary, 0.25)?;
    super::show::print_card(&g, &card, 25.0, out)?;
    writeln!(out, "\nFrom a front to it (`trawl path C010 C001`):\n")?;
    let paths: Vec<_> = g
        .shortest_path(front, beneficiary, &crate::graph::Walk::default())
        .into_iter()
        .collect();
    super::path::print_paths(&g, &paths, out)?;

    heading(
        out,
        "4. score",
        "structuring and the other red flags, under the diffusion-2025 profile",
    )?;
    let policy = crate::score::policy::Policy::load("diffusion-2025")?;
    let catalog = crate::score::catalog::Catalog::builtin();
    let s = crate::score::score_parallel(&conn, &policy, &catalog)?;
    writeln!(
        out,
        "{} shipment lines ({} controlled or suspect, {} unknown); {} beneficiary groups \
         ({} with several members); {} alert(s)\n",
        s.shipments,
        s.relevant_lines,
        s.unknown_lines,
        s.groups_lower,
        s.multi_member_groups,
        s.alerts
    )?;
    let alerts = crate::score::alert::list(&conn, Some(10))?;
    super::alerts::print_table(&alerts, out)?;
    if let Some(first) = alerts.first() {
        writeln!(
            out,
            "\nThe top alert's evidence bundle (`trawl alert {}`):\n",
            first.id
        )?;
        let bundle = crate::score::alert::get(&conn, first.id)?;
        super::alert::print_bundle(&bundle, 12, out)?;
    }
    Ok(0)
}

fn heading(out: &mut dyn Write, title: &str, what: &str) -> std::io::Result<()> {
    writeln!(out, "\n== {title}: {what}")
}
