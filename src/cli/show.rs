//! `trawl show`: the entity card.

use std::io::Write;

use super::DbArgs;
use super::graph_args::{GraphArgs, entity_arg, label, open_graph};
use crate::graph::EntityGraph;
use crate::graph::card::{EntityCard, Link, Sourced, pct};
use crate::graph::view::num;

/// Show an entity's card: names and aliases with their sources, addresses, identifiers, owners
/// and ultimate owners (effective share through chains), subsidiaries, directors and officers,
/// entities sharing an address, phone or e-mail, shipments in and out, and screening-list
/// matches. The entity is an id, a source key (C001, an FtM id) or a name (fuzzy; an ambiguous
/// name lists the candidates and exits with 2).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    graph: GraphArgs,
    /// Entity id, source key or name.
    entity: String,
    /// Ultimate owners listed from this effective share (percent).
    #[arg(long, default_value_t = 25.0, value_name = "PERCENT")]
    threshold: f64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let (conn, g) = open_graph(&args.db, &args.graph)?;
    let id = match entity_arg(&conn, &args.entity, args.json, out)? {
        Ok(id) => id,
        Err(code) => return Ok(code),
    };
    let c = crate::graph::card::card(&conn, &g, id, args.threshold / 100.0)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&c)?)?;
        return Ok(0);
    }
    print_card(&g, &c, args.threshold, out)?;
    Ok(0)
}

/// Prints a card for people; `threshold` is the ultimate-owner threshold in percent.
pub(crate) fn print_card(
    g: &EntityGraph,
    c: &EntityCard,
    threshold: f64,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let id = c.entity.id;
    writeln!(out, "entity {}", label(g, id))?;
    let sourced = |title: &str, v: &[Sourced], out: &mut dyn Write| -> anyhow::Result<()> {
        if v.is_empty() {
            return Ok(());
        }
        writeln!(out, "\n{title}")?;
        for s in v {
            let more = if s.records > s.sources.len() {
                format!(" +{} more", s.records - s.sources.len())
            } else {
                String::new()
            };
            writeln!(out, "  {}  [{}{}]", s.value, s.sources.join(", "), more)?;
        }
        Ok(())
    };
    let links = |title: &str, v: &[Link], out: &mut dyn Write| -> anyhow::Result<()> {
        if v.is_empty() {
            return Ok(());
        }
        writeln!(out, "\n{title}")?;
        for l in v {
            let share = l.share.map_or(String::new(), |s| format!(" {}%", pct(s)));
            writeln!(
                out,
                "  {}  {}{}  [{}]",
                label(g, l.entity.id),
                l.kind,
                share,
                l.sources.join(", ")
            )?;
        }
        Ok(())
    };
    sourced("names and aliases", &c.names, out)?;
    sourced("addresses", &c.addresses, out)?;
    sourced("identifiers", &c.identifiers, out)?;
    sourced("phones, e-mails, websites", &c.contacts, out)?;
    if !c.listings.is_empty() {
        writeln!(out, "\nscreening-list matches")?;
        for l in &c.listings {
            writeln!(
                out,
                "  {}: {}{}{}  [{}]",
                l.list.as_deref().unwrap_or("list"),
                l.name,
                l.programs
                    .as_deref()
                    .map_or(String::new(), |p| format!("; programs {p}")),
                l.source_key
                    .as_deref()
                    .map_or(String::new(), |k| format!("; id {k}")),
                l.source
            )?;
        }
    }
    links("owners", &c.owners, out)?;
    if !c.ultimate_owners.is_empty() {
        writeln!(out, "\nultimate owners (≥ {}%)", pct(threshold))?;
        for u in &c.ultimate_owners {
            writeln!(out, "  {}  {}%", label(g, u.entity.id), pct(u.percent))?;
            for ch in &u.chains {
                writeln!(out, "      {ch}")?;
            }
        }
    }
    links("subsidiaries", &c.subsidiaries, out)?;
    links("directors and officers", &c.directors_officers, out)?;
    links("positions held", &c.positions, out)?;
    links("family and associates", &c.relatives_associates, out)?;
    if !c.shared.is_empty() {
        writeln!(out, "\nshared addresses, phones, e-mails")?;
        for s in &c.shared {
            if s.hub {
                writeln!(
                    out,
                    "  {} {:?}: MASS REGISTRATION, shared by {} entities  [{}]",
                    s.attr,
                    s.value,
                    s.hub_size,
                    s.sources.join(", ")
                )?;
            } else {
                let who: Vec<String> = s.entities.iter().map(|e| label(g, e.id)).collect();
                writeln!(
                    out,
                    "  {} {:?}: {}  [{}]",
                    s.attr,
                    s.value,
                    who.join("; "),
                    s.sources.join(", ")
                )?;
            }
        }
    }
    if !c.trade.is_empty() {
        writeln!(out, "\nshipments")?;
        for t in &c.trade {
            let role = match (t.kind.as_str(), t.direction) {
                ("ships_to", "in") => "consignee, from shippers",
                ("ships_to", _) => "shipper, to consignees",
                ("notify_for", "in") => "consignee, notify parties",
                ("notify_for", _) => "notify party, for consignees",
                ("forwards_for", "in") => "consignee, forwarders",
                ("forwards_for", _) => "forwarder, for consignees",
                ("pays_for", "in") => "consignee, payers",
                ("pays_for", _) => "payer, for consignees",
                ("end_user_of", "in") => "consignee, declared end users",
                _ => "declared end user, of consignees",
            };
            writeln!(
                out,
                "  {} ({}): {} shipments, qty {}, US${}, {} … {}, {} counterparties",
                t.kind,
                role,
                t.totals.count,
                num(t.totals.quantity),
                num(t.totals.value_usd),
                t.totals.first_date,
                t.totals.last_date,
                t.counterparties
            )?;
            for (e, count, value) in &t.top {
                writeln!(
                    out,
                    "      {}  {} shipments, US${}",
                    label(g, e.id),
                    count,
                    num(*value)
                )?;
            }
        }
    }
    Ok(())
}
