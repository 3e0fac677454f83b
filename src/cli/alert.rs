//! `trawl alert ID`: one alert's evidence bundle.

use std::io::Write;

use serde_json::Value;

use super::DbArgs;

/// Print an alert's evidence: members and the links that group them (with source file and
/// line), the threshold and window, lower/upper totals, each detector's contribution, and the
/// orders counted (with source lines and TPP conversion).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// The alert id (its rank), as listed by `trawl alerts`.
    id: i64,
    /// Print the bundle as JSON.
    #[arg(long)]
    json: bool,
    /// Print at most this many orders and links in text mode (all with --json).
    #[arg(long, default_value_t = 40)]
    limit: usize,
}

pub fn run(args: Args, out: &mut dyn Write) -> anyhow::Result<u8> {
    let conn = crate::store::open(&args.db.db)?;
    let b = crate::score::alert::get(&conn, args.id)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&b)?)?;
        return Ok(0);
    }
    print_bundle(&b, args.limit, out)?;
    Ok(0)
}

/// Prints an evidence bundle (as `trawl alert` and `trawl demo` show it), at most `limit`
/// orders and links.
///
/// # Errors
/// Writing to `out` failed.
pub fn print_bundle(b: &Value, limit: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let s = |v: &Value| {
        v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string())
    };
    let num = |v: &Value| v.as_f64().unwrap_or(0.0);
    writeln!(
        out,
        "alert {}  score {:.3}  {}",
        b["alert"],
        num(&b["score"]),
        s(&b["title"])
    )?;
    writeln!(
        out,
        "policy {}: threshold {} {} per {} (score = {})",
        s(&b["policy"]),
        num(&b["threshold"]),
        s(&b["measure"]),
        s(&b["window"]),
        s(&b["combination"])
    )?;
    if b["bound"].as_str() == Some("upper") {
        writeln!(
            out,
            "bound upper: {} lower groups joined by weaker links; structuring weighs × {} (needs corroboration)",
            b["lower_groups"].as_array().map_or(0, Vec::len),
            num(&b["structuring_upper_weight"])
        )?;
        for g in b["lower_groups"].as_array().into_iter().flatten() {
            writeln!(
                out,
                "  lower group {:<8} {} members, score {:.3}{}",
                g["group"],
                g["members"].as_array().map_or(0, Vec::len),
                num(&g["score"]),
                g["alert"]
                    .as_i64()
                    .map(|a| format!(", alert {a}"))
                    .unwrap_or_default()
            )?;
        }
    }
    writeln!(
        out,
        "\ntotals (lower bound = strong links; upper bound = possible links too)"
    )?;
    for t in b["totals"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  {:<12} lower {:>16.0} ({:.2}×)   upper {:>16.0} ({:.2}×)",
            s(&t["window"]),
            num(&t["lower"]),
            num(&t["lower_ratio"]),
            num(&t["upper"]),
            num(&t["upper_ratio"])
        )?;
    }
    writeln!(out, "\ndetectors")?;
    for d in b["detectors"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  {:<18} score {:.2} × weight {:.2} = {:.3}  {}",
            s(&d["detector"]),
            num(&d["score"]),
            num(&d["weight"]),
            num(&d["contribution"]),
            s(&d["summary"])
        )?;
    }
    writeln!(out, "\nmembers")?;
    for m in b["members"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  {:<17} {:>6}  {:<48} {:<3} {}{}",
            s(&m["role"]),
            m["entity"],
            s(&m["name"]),
            s(&m["country"]),
            s(&m["first_record"]),
            m["listed"]
                .as_str()
                .map(|l| format!("  LISTED: {l}"))
                .unwrap_or_default()
        )?;
    }
    let links = b["links"].as_array().cloned().unwrap_or_default();
    writeln!(out, "\nlinks ({})", links.len())?;
    print_links(&links, limit, out)?;
    if b["bound"].as_str() == Some("upper") {
        let weak = b["upper_bound_links"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        writeln!(
            out,
            "\nweaker links joining the lower groups ({})",
            b["upper_bound_links_total"]
        )?;
        print_links(&weak, limit, out)?;
    }
    print_orders(b, limit, out)
}

/// Prints links, at most `limit`.
fn print_links(links: &[Value], limit: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let s = |v: &Value| {
        v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string())
    };
    let num = |v: &Value| v.as_f64().unwrap_or(0.0);
    for l in links.iter().take(limit) {
        let via = l["via"]["name"]
            .as_str()
            .map(|v| format!(" via {v}"))
            .unwrap_or_default();
        let mut value = l["value"]
            .as_str()
            .map(|v| format!(" \"{v}\""))
            .unwrap_or_default();
        if let Some(n) = l["namesakes"].as_u64() {
            value.push_str(&format!(" (its name is borne by {n} other entities)"));
        }
        if l["nominee"].as_bool() == Some(true) {
            value.push_str(" (a nominee of many companies: no link, the party group's evidence)");
        }
        let ev: Vec<String> = l["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .map(s)
            .collect();
        writeln!(
            out,
            "  {} — {}: {}{}{} (strength {:.2}) [{}]",
            s(&l["a_name"]),
            s(&l["b_name"]),
            s(&l["kind"]),
            via,
            value,
            num(&l["strength"]),
            ev.join(", ")
        )?;
    }
    if links.len() > limit {
        writeln!(out, "  … {} more (--json for all)", links.len() - limit)?;
    }
    Ok(())
}

/// Prints a bundle's orders, at most `limit`.
fn print_orders(b: &Value, limit: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let s = |v: &Value| {
        v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string())
    };
    let num = |v: &Value| v.as_f64().unwrap_or(0.0);
    let orders = b["orders"].as_array().cloned().unwrap_or_default();
    writeln!(out, "\norders ({})", orders.len())?;
    for o in orders.iter().take(limit) {
        let conv = &o["conversion"];
        let how = match conv["class"].as_str() {
            Some("controlled") => format!(
                "{} × {} × {} TPP",
                num(&o["quantity"]),
                conv["accelerators_per_unit"],
                num(&conv["tpp_per_accelerator"])
            ),
            Some("suspected misdeclaration") => format!(
                "SUSPECT {} × {} × {} TPP (reference)",
                num(&o["quantity"]),
                conv["accelerators_per_unit"],
                num(&conv["reference_tpp"])
            ),
            other => other.unwrap_or("").to_string(),
        };
        writeln!(
            out,
            "  {:<8} {} {:<22} {:<10} {:<36} {:>12.0} TPP ({}){}",
            s(&o["shipment"]),
            s(&o["date"]),
            s(&o["at"]),
            o["order_ref"].as_str().unwrap_or(""),
            o["consignee"].as_str().unwrap_or(""),
            num(&o["tpp"]),
            how,
            if o["counted"].as_bool() == Some(true) {
                ""
            } else {
                "  [not counted]"
            }
        )?;
    }
    if orders.len() > limit {
        writeln!(out, "  … {} more (--json for all)", orders.len() - limit)?;
    }
    Ok(())
}
