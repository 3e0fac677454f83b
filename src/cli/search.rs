//! `trawl search`: fuzzy name search over entities.

use std::io::Write;

use super::DbArgs;
use super::graph_args::print_hits;
use crate::graph::search::SearchOptions;

/// Search entity names and aliases: fuzzy and transliteration-aware (深圳 finds Shenzhen, "Hua
/// Xin" finds Huaxin, legal forms do not count), ranked by score 0–1 like a screening tool.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// The name to look for.
    text: String,
    /// Only entities with a record in this country (alpha-2 or name).
    #[arg(long)]
    country: Option<String>,
    /// At most this many hits.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Drop hits scoring below this (0–1).
    #[arg(long, default_value_t = 0.7)]
    min_score: f64,
    /// Print JSON Lines, one hit each.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    if !(0.0..=1.0).contains(&args.min_score) {
        anyhow::bail!("--min-score must be between 0 and 1");
    }
    let opts = SearchOptions {
        country: args.country,
        limit: args.limit,
        min_score: args.min_score,
    };
    let hits = crate::graph::search::search(&conn, &args.text, &opts)?;
    if args.json {
        for h in &hits {
            writeln!(out, "{}", serde_json::to_string(h)?)?;
        }
        return Ok(0);
    }
    if hits.is_empty() {
        writeln!(out, "no entity matches {:?}", args.text)?;
        return Ok(0);
    }
    print_hits(&hits, out)?;
    Ok(0)
}
