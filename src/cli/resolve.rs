//! `trawl resolve`: cluster every record into entities.

use std::io::Write;
use std::path::PathBuf;

use super::DbArgs;
use crate::resolve::labels::read_labels;
use crate::resolve::{ResolveConfig, read_overrides, resolve};

/// Resolve records into entities: normalise, block, compare (Fellegi–Sunter, m/u estimated by
/// EM), cluster. Rewrites entities, entity_records, merge_evidence and possible_matches.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// CSV of analyst decisions `a,b,decision[,note]` (decision: same | different; a, b: record
    /// ids or source keys). Stored, so they also apply to later runs.
    #[arg(long, value_name = "FILE")]
    overrides: Option<PathBuf>,
    /// Learn m and u from labels instead of EM: a truth CSV `id,cluster` (as eval-resolve
    /// takes) labels the candidate pairs of the records it names; decisions `a,b,decision`
    /// label their pairs. The match share is still estimated over all candidate pairs. Labels
    /// train the model only; they force no merge (overrides do).
    #[arg(long, value_name = "FILE")]
    labels: Option<PathBuf>,
    /// Match probability at or above which two records merge.
    #[arg(long, default_value_t = ResolveConfig::default().threshold)]
    threshold: f64,
    /// Match probability at or above which an unmerged pair is kept as a possible match.
    #[arg(long, default_value_t = ResolveConfig::default().possible_threshold)]
    possible_threshold: f64,
    /// Blocks up to this size are compared on every pair; larger ones by a sorted window.
    #[arg(long, default_value_t = ResolveConfig::default().max_block)]
    max_block: usize,
    /// Blocks above this size are dropped as uninformative.
    #[arg(long, default_value_t = ResolveConfig::default().skip_block)]
    skip_block: usize,
    /// Use the documented prior model instead of estimating m/u with EM.
    #[arg(long)]
    no_em: bool,
    /// Leave entities of shipment mentions apart from their sole plausible listed party (by
    /// default they join it when the pair is at least 0.5 likely).
    #[arg(long)]
    no_sole_candidates: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let overrides = match &args.overrides {
        Some(p) => read_overrides(p)?,
        None => Vec::new(),
    };
    let cfg = ResolveConfig {
        threshold: args.threshold,
        possible_threshold: args.possible_threshold,
        max_block: args.max_block,
        skip_block: args.skip_block,
        em: !args.no_em,
        sole_candidates: !args.no_sole_candidates,
        overrides,
        labels: args.labels.as_deref().map(read_labels).transpose()?,
    };
    cfg.validate()?;
    let conn = crate::store::open(&args.db.db)?;
    let s = resolve(&conn, &cfg)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?;
        return Ok(0);
    }
    let b = &s.blocking;
    writeln!(out, "records            {:>12}", s.records)?;
    writeln!(
        out,
        "  people           {:>12}  ({} shipment mentions inferred as people)",
        s.people, s.inferred_people
    )?;
    writeln!(
        out,
        "blocking keys      {:>12}  in {} shared blocks ({} windowed, {} dropped as too large)",
        b.keys, b.blocks, b.windowed_blocks, b.skipped_blocks
    )?;
    writeln!(
        out,
        "candidate pairs    {:>12}  ({} recall pairs: countryless records met by legal form; \
         scored, not learnt from)",
        b.candidate_pairs, b.recall_pairs
    )?;
    writeln!(
        out,
        "reduction ratio    {:>12.6}  (of {} possible pairs)",
        s.reduction_ratio, b.all_pairs
    )?;
    writeln!(
        out,
        "model              {:>12}  ({} EM iterations; match share among learnt pairs {:.4}, among people {:.4})",
        s.model_source, s.em_iterations, s.lambda, s.lambda_person
    )?;
    if let Some(l) = &s.labels {
        writeln!(
            out,
            "labels             {:>12}  rows ({} naming no record): {} labelled pairs are matches, \
             {} are not",
            l.rows, l.unknown_ids, l.matches, l.non_matches
        )?;
    }
    writeln!(
        out,
        "accepted pairs     {:>12}  (probability >= {})",
        s.accepted_pairs, cfg.threshold
    )?;
    writeln!(out, "possible matches   {:>12}", s.possible_pairs)?;
    writeln!(
        out,
        "guard              {:>12}  components re-clustered, {} split; {} held registry \
         entries registered apart",
        s.clustering.guarded_components,
        s.clustering.split_components,
        s.clustering.registered_apart
    )?;
    writeln!(
        out,
        "sole candidates    {:>12}  entities of shipment mentions joined to the one listed party \
         they could be (probability >= {}, and on average over the entity's records)",
        s.clustering.attached_mentions,
        crate::resolve::cluster::SOLE_CANDIDATE_MIN
    )?;
    for n in &s.clustering.noisy_id_sources {
        let path: String = conn
            .query_row("SELECT path FROM sources WHERE id = ?1", [n.source], |r| {
                r.get(0)
            })
            .unwrap_or_else(|_| format!("source {}", n.source));
        writeln!(
            out,
            "noisy ids          {:>12}  of {}'s strongly matching entry pairs with different \
             registration ids are a typing slip or two apart ({} further apart): its numbers do \
             not hold entries apart",
            n.near, path, n.far
        )?;
    }
    writeln!(out, "overrides          {:>12}", s.overrides)?;
    writeln!(out, "merges             {:>12}", s.merges)?;
    writeln!(out, "entities           {:>12}", s.entities)?;
    let t = &s.seconds;
    writeln!(
        out,
        "time               {:>11.2}s  (load {:.2}, prepare {:.2}, block {:.2}, compare {:.2}, cluster {:.2}, write {:.2})",
        t.total, t.load, t.prepare, t.block, t.compare, t.cluster, t.write
    )?;
    Ok(0)
}
