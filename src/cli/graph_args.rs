//! Options and helpers shared by the graph commands (show, search, neighbors, path, owners,
//! affiliates, export): building the graph with validated settings, and turning what the user
//! typed into an entity id (printing the candidates when a name is ambiguous).

use std::io::Write;

use anyhow::Context;
use rusqlite::Connection;

use super::DbArgs;
use crate::graph::search::{Lookup, SearchHit};
use crate::graph::{EntityGraph, EntityId, GraphConfig, KindSet, Walk};

/// How the graph is built.
#[derive(Debug, Clone, clap::Args)]
pub struct GraphArgs {
    /// A normalised address, phone or e-mail shared by more than this many entities becomes one
    /// hub node flagged as mass registration (registered agent, virtual office) instead of pair
    /// links.
    #[arg(long, default_value_t = GraphConfig::default().max_shared, value_name = "N")]
    pub max_shared: usize,
}

impl GraphArgs {
    /// The validated build settings.
    pub fn config(&self) -> anyhow::Result<GraphConfig> {
        let cfg = GraphConfig {
            max_shared: self.max_shared,
            ..GraphConfig::default()
        };
        cfg.validate()?;
        Ok(cfg)
    }
}

/// Which edges a walk follows.
#[derive(Debug, Clone, clap::Args)]
pub struct WalkArgs {
    /// Edge kinds to follow, comma-separated: owns, directs, officer_of, beneficial_owner_of,
    /// family, associate, shares_address, shares_phone, shares_email, ships_to, notify_for,
    /// forwards_for, pays_for, end_user_of, listed_on, possible_match; or the groups all
    /// (default: every kind but possible_match), control, trade, shared, ownership.
    #[arg(long, value_name = "KINDS")]
    pub via: Option<String>,
    /// Walk through mass-registration hubs (by default a hub is shown but not passed through).
    #[arg(long)]
    pub through_hubs: bool,
}

impl WalkArgs {
    /// The validated walk.
    pub fn walk(&self) -> anyhow::Result<Walk> {
        let kinds = match &self.via {
            Some(v) => KindSet::parse(v)?,
            None => KindSet::all(),
        };
        Ok(Walk {
            kinds,
            through_hubs: self.through_hubs,
        })
    }
}

/// Opens the store and builds the graph.
pub fn open_graph(db: &DbArgs, args: &GraphArgs) -> anyhow::Result<(Connection, EntityGraph)> {
    let cfg = args.config()?;
    let conn = crate::store::open(&db.db)?;
    let entities: i64 = conn.query_row("SELECT count(*) FROM entities", [], |r| r.get(0))?;
    if entities == 0 {
        anyhow::bail!(
            "{}: no entities; run `trawl ingest` and `trawl resolve` first",
            db.db.display()
        );
    }
    let g = crate::graph::build(&conn, &cfg).context("building the entity graph")?;
    Ok((conn, g))
}

/// Resolves a user's reference (id, source key or name) to an entity. When it does not resolve
/// to exactly one, prints why (the candidates for an ambiguous name) and returns the exit code
/// to end with (2).
pub fn entity_arg(
    conn: &Connection,
    text: &str,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Result<EntityId, u8>> {
    let found = crate::graph::search::lookup(conn, text)?;
    match &found {
        Lookup::Found { entity } => return Ok(Ok(*entity)),
        _ if json => writeln!(out, "{}", serde_json::to_string(&found)?)?,
        Lookup::NotFound => writeln!(out, "no entity matches {text:?}")?,
        Lookup::Ambiguous { candidates } => {
            writeln!(
                out,
                "{text:?} is ambiguous; give one of these ids (or a source key):"
            )?;
            print_hits(candidates, out)?;
        }
    }
    Ok(Err(2))
}

/// A table of search hits.
pub fn print_hits(hits: &[SearchHit], out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "{:>6}  {:>7}  {:<12} {:<2}  name (matched spelling)",
        "score", "id", "kind", "cc"
    )?;
    for h in hits {
        let matched = if h.matched == h.name {
            String::new()
        } else {
            format!("  ({})", h.matched)
        };
        writeln!(
            out,
            "{:>6.3}  {:>7}  {:<12} {:<2}  {}{}",
            h.score,
            h.entity,
            h.kind,
            h.country.as_deref().unwrap_or(""),
            h.name,
            matched
        )?;
    }
    Ok(())
}

/// "id name (kind, CC) LISTED" for an entity.
pub fn label(g: &EntityGraph, id: EntityId) -> String {
    let e = g.entity_ref(id);
    format!(
        "{} {} ({}{}){}",
        id,
        e.name,
        e.kind,
        e.country.map_or(String::new(), |c| format!(", {c}")),
        if e.listed { " LISTED" } else { "" }
    )
}

/// A label for any node.
pub fn node_label(g: &EntityGraph, n: petgraph::graph::NodeIndex) -> String {
    match g.entity_id(n) {
        Some(id) => label(g, id),
        None => {
            let v = g.node_view(n);
            match v.node {
                "hub" => format!(
                    "[{} hub, mass registration, {} entities] {}",
                    v.kind,
                    v.hub_size.unwrap_or(0),
                    v.name
                ),
                _ => format!("[list] {}", v.name),
            }
        }
    }
}
