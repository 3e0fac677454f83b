//! Command-line interface: the top-level parser and one `match`. Each subcommand lives in its own
//! file with an `Args` struct (whose doc comments are the help text) and a `run` function; no
//! business logic lives here.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod affiliates;
mod alert;
mod alerts;
mod demo;
mod entity;
mod eval_alerts;
mod eval_resolve;
mod explain_match;
mod export;
mod generate;
mod graph_args;
mod ingest;
mod neighbors;
mod owners;
mod path;
mod quarantine;
mod resolve;
mod score;
mod score_log;
mod search;
mod show;
mod sources;

/// trawl: smuggling-risk graph analysis for export-control enforcement.
#[derive(Debug, Parser)]
#[command(name = "trawl", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The database option shared by every command that reads or writes the store.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    /// The trawl database (SQLite); created if missing.
    #[arg(long, global = true, default_value = "trawl.db", env = "TRAWL_DB")]
    pub db: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest input files (parties, relationships, shipments, screening list, FollowTheMoney).
    Ingest(ingest::Args),
    /// Write synthetic inputs with planted structuring networks and ground truth.
    Generate(generate::Args),
    /// List quarantined rows: file, line, reason and the raw row.
    Quarantine(quarantine::Args),
    /// List ingested sources with their row counts.
    Sources(sources::Args),
    /// Resolve records into entities (normalise, block, compare, cluster).
    Resolve(resolve::Args),
    /// Explain the comparison of two records feature by feature.
    ExplainMatch(explain_match::Args),
    /// Show an entity: its records with source file and line, and the merge evidence.
    Entity(entity::Args),
    /// Score the latest resolution against a truth CSV (pairwise, B-cubed, blocking recall).
    EvalResolve(eval_resolve::Args),
    /// Show an entity's card: names, owners, officers, shared contacts, shipments, listings.
    Show(show::Args),
    /// Search entity names (fuzzy, transliteration-aware), ranked with scores.
    Search(search::Args),
    /// List the entities within K hops of an entity, with every edge's evidence.
    Neighbors(neighbors::Args),
    /// Show the shortest path(s) between two entities, each edge with its evidence.
    Path(path::Args),
    /// Show the ultimate owners of an entity through chains of holdings.
    Owners(owners::Args),
    /// List entities held 50% or more by screening-listed parties (the affiliates rule).
    Affiliates(affiliates::Args),
    /// Export a subgraph as GraphML, GEXF, DOT, Cytoscape.js JSON or FollowTheMoney.
    Export(export::Args),
    /// Score the store with a policy profile: groups, detectors, risk scores, alerts.
    Score(score::Args),
    /// List the ranked alerts.
    Alerts(alerts::Args),
    /// Show an alert's evidence bundle: members, links, orders, totals, detector contributions.
    Alert(alert::Args),
    /// Score a new shipment log against the stored groups and policy, without ingesting it.
    ScoreLog(score_log::Args),
    /// Score the alerts against planted networks, beside the naive per-consignee check.
    EvalAlerts(eval_alerts::Args),
    /// Ingest sample-data into a throwaway database and run every stage, printing what it found.
    Demo(demo::Args),
}

/// Parses the command line and runs the command. Returns the process exit code.
///
/// # Errors
/// Any error of the command, for `main` to print.
pub fn run() -> anyhow::Result<u8> {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match cli.command {
        Command::Ingest(args) => ingest::run(args, &mut out)?,
        Command::Generate(args) => generate::run(args, &mut out)?,
        Command::Quarantine(args) => quarantine::run(args, &mut out)?,
        Command::Sources(args) => sources::run(args, &mut out)?,
        Command::Resolve(args) => resolve::run(args, &mut out)?,
        Command::ExplainMatch(args) => explain_match::run(args, &mut out)?,
        Command::Entity(args) => entity::run(args, &mut out)?,
        Command::EvalResolve(args) => eval_resolve::run(args, &mut out)?,
        Command::Show(args) => show::run(args, &mut out)?,
        Command::Search(args) => search::run(args, &mut out)?,
        Command::Neighbors(args) => neighbors::run(args, &mut out)?,
        Command::Path(args) => path::run(args, &mut out)?,
        Command::Owners(args) => owners::run(args, &mut out)?,
        Command::Affiliates(args) => affiliates::run(args, &mut out)?,
        Command::Export(args) => export::run(args, &mut out)?,
        Command::Score(args) => score::run(args, &mut out)?,
        Command::Alerts(args) => alerts::run(args, &mut out)?,
        Command::Alert(args) => alert::run(args, &mut out)?,
        Command::ScoreLog(args) => score_log::run(args, &mut out)?,
        Command::EvalAlerts(args) => eval_alerts::run(args, &mut out)?,
        Command::Demo(args) => demo::run(args, &mut out)?,
    };
    out.flush()?;
    Ok(code)
}
