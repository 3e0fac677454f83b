//! The graph commands on sample-data (show, search, neighbors, path, owners, affiliates,
//! export) and on a small FollowTheMoney fixture for the affiliates rule; every export format
//! read back with a real parser.

use std::collections::HashSet;

use serde_json::Value;

use crate::util::{Env, data, s, sample};

/// A store with sample-data ingested and resolved.
fn sample_env() -> Env {
    Env::sample_resolved()
}

/// The entity of a source key (parties id, FtM id).
fn entity_of(env: &Env, key: &str) -> i64 {
    env.conn()
        .query_row(
            "SELECT er.entity_id FROM records r JOIN entity_records er ON er.record_id = r.id
             WHERE r.source_key = ?1 AND r.origin IN ('party', 'ftm')",
            [key],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{key}: {e}"))
}

fn json(env: &Env, args: &[&str]) -> Value {
    serde_json::from_str(&env.ok(args)).expect("json output")
}

fn assert_evidence(edge: &Value) {
    let ev = edge["evidence"].as_array().expect("evidence array");
    assert!(!ev.is_empty(), "edge without evidence: {edge}");
    for e in ev {
        assert!(
            e["source"].as_str().unwrap().contains("sample-data/"),
            "{e}"
        );
        assert!(e["line"].as_i64().unwrap() >= 1, "{e}");
    }
}

#[test]
fn show_gives_the_card_of_the_ring_beneficiary() {
    let env = sample_env();
    let c001 = entity_of(&env, "C001");
    let card = json(&env, &["show", "C001", "--json"]);
    assert_eq!(card["entity"]["id"], c001);
    assert_eq!(card["entity"]["listed"], true);
    let listings = card["listings"].as_array().unwrap();
    assert!(
        listings
            .iter()
            .any(|l| l["source"].as_str().unwrap().ends_with("screening.csv:2")),
        "the Entity List entry 31845 on screening.csv line 2: {listings:?}"
    );
    let p001 = entity_of(&env, "P001");
    let owners = card["owners"].as_array().unwrap();
    assert!(
        owners
            .iter()
            .any(|o| o["entity"]["id"] == p001 && o["share"] == 60.0),
        "{owners:?}"
    );
    let ubo = card["ultimate_owners"].as_array().unwrap();
    assert!(ubo.iter().any(|o| o["entity"]["id"] == p001), "{ubo:?}");
    let c002 = entity_of(&env, "C002");
    assert!(
        card["subsidiaries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["entity"]["id"] == c002)
    );
    assert!(
        card["names"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["value"] == "SHENZHEN HUA XIN SCIENCE AND TECHNOLOGY CO., LTD.")
    );
    assert!(!card["trade"].as_array().unwrap().is_empty());

    // By name, and in words.
    let text = env.ok(&["show", "Shenzhen Huaxin Technology Co., Ltd."]);
    for part in [
        "screening-list matches",
        "ultimate owners",
        "subsidiaries",
        "shipments",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    // Deterministic.
    assert_eq!(
        env.ok(&["show", "C001", "--json"]),
        env.ok(&["show", "C001", "--json"])
    );
}

#[test]
fn an_ambiguous_name_lists_the_candidates() {
    let env = sample_env();
    let out = env.run(&["show", "Zhang Wei"]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ambiguous"), "{text}");
    let p001 = entity_of(&env, "P001").to_string();
    let p010 = entity_of(&env, "P010").to_string();
    assert!(text.contains(&p001) && text.contains(&p010), "{text}");
    let out = env.run(&["show", "Zhang Wei", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lookup"], "ambiguous");
    assert!(v["candidates"].as_array().unwrap().len() >= 2);
    let out = env.run(&["show", "Qwxzv Plonk"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn search_ranks_spellings_and_scripts() {
    let env = sample_env();
    let c001 = entity_of(&env, "C001");
    let hits: Vec<Value> = env
        .ok(&["search", "Shenzhen Hua Xin Technology", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(hits[0]["entity"], c001, "{hits:?}");
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let cjk = env.ok(&["search", "深圳华芯科技", "--json", "--limit", "3"]);
    assert!(cjk.contains(&format!("\"entity\":{c001}")), "{cjk}");
    let sg = env.ok(&["search", "Apex Technology", "--country", "SG", "--json"]);
    let c010 = entity_of(&env, "C010");
    let c035 = entity_of(&env, "C035");
    assert!(sg.contains(&format!("\"entity\":{c010},")), "{sg}");
    assert!(
        !sg.contains(&format!("\"entity\":{c035},")),
        "MY company filtered: {sg}"
    );
    let text = env.ok(&["search", "Apex Technology", "--limit", "2"]);
    assert_eq!(text.lines().count(), 3, "header and two hits:\n{text}");
}

#[test]
fn neighbors_show_the_ties_between_fronts() {
    let env = sample_env();
    let v = json(
        &env,
        &[
            "neighbors",
            "C012",
            "--hops",
            "1",
            "--via",
            "control",
            "--json",
        ],
    );
    let ids: HashSet<i64> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["id"].as_i64())
        .collect();
    for key in ["C015", "C013", "P004"] {
        assert!(ids.contains(&entity_of(&env, key)), "{key} next to C012");
    }
    let edges = v["edges"].as_array().unwrap();
    assert!(edges.iter().any(|e| e["kind"] == "shares_phone"));
    assert!(edges.iter().any(|e| e["kind"] == "shares_address"));
    edges.iter().for_each(assert_evidence);
    // Two hops reach more; --via trade only shipment roles.
    let v2 = json(&env, &["neighbors", "C012", "--hops", "2", "--json"]);
    assert!(v2["nodes"].as_array().unwrap().len() > v["nodes"].as_array().unwrap().len());
    let t = json(&env, &["neighbors", "C012", "--via", "trade", "--json"]);
    for e in t["edges"].as_array().unwrap() {
        assert!(e["shipments"]["count"].as_u64().unwrap() >= 1, "{e}");
    }
    let text = env.ok(&["neighbors", "C012"]);
    assert!(text.starts_with("within 1 hop of"), "{text}");
    assert!(
        !env.run(&["neighbors", "C012", "--via", "nonsense"])
            .status
            .success()
    );
}

#[test]
fn path_from_a_front_to_the_beneficiary_cites_every_hop() {
    let env = sample_env();
    let (c010, c001) = (entity_of(&env, "C010"), entity_of(&env, "C001"));
    let v = json(&env, &["path", "C010", "C001", "--json"]);
    let p = &v[0];
    let nodes = p["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["id"], c010);
    assert_eq!(nodes[nodes.len() - 1]["id"], c001);
    assert_eq!(
        p["steps"].as_array().unwrap().len(),
        p["hops"].as_u64().unwrap() as usize
    );
    for step in p["steps"].as_array().unwrap() {
        let edges = step.as_array().unwrap();
        assert!(!edges.is_empty());
        edges.iter().for_each(assert_evidence);
    }
    let k = json(&env, &["path", "C010", "C001", "--k", "3", "--json"]);
    let paths = k.as_array().unwrap();
    assert_eq!(paths.len(), 3);
    let hops: Vec<u64> = paths.iter().map(|p| p["hops"].as_u64().unwrap()).collect();
    assert!(hops.windows(2).all(|w| w[0] <= w[1]), "{hops:?}");
    let distinct: HashSet<String> = paths.iter().map(|p| p["nodes"].to_string()).collect();
    assert_eq!(distinct.len(), 3);
    // Not connected over family links alone: exit 1.
    let out = env.run(&["path", "C010", "C001", "--via", "family"]);
    assert_eq!(out.status.code(), Some(1));
    let text = env.ok(&["path", "C010", "C001"]);
    assert!(text.contains("hops"), "{text}");
}

#[test]
fn owners_multiply_shares_along_the_chain() {
    let env = sample_env();
    let (p001, p002) = (entity_of(&env, "P001"), entity_of(&env, "P002"));
    let v = json(&env, &["owners", "C001", "--json"]);
    let owners = v.as_array().unwrap();
    let share = |id: i64| {
        owners
            .iter()
            .find(|o| o["owner"] == id)
            .map(|o| o["fraction"].as_f64().unwrap())
    };
    assert!((share(p001).unwrap() - 0.6).abs() < 1e-9);
    assert!((share(p002).unwrap() - 0.4).abs() < 1e-9);
    // C002 is held 100 % by C001: Zhang Wei holds 60 % of it through the chain.
    let v = json(&env, &["owners", "C002", "--json"]);
    let zw = v
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["owner"] == p001)
        .expect("Zhang Wei owns C002 through C001");
    assert_eq!(zw["ultimate"], true);
    for p in zw["paths"].as_array().unwrap() {
        assert_eq!(p["entities"].as_array().unwrap().len(), 3, "{p}");
        assert!((p["fraction"].as_f64().unwrap() - 0.6).abs() < 1e-9);
    }
    // A high threshold leaves only the large holders.
    let v = json(&env, &["owners", "C001", "--threshold", "50", "--json"]);
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn affiliates_rule_aggregates_and_follows_chains() {
    let env = Env::new();
    env.ok(&["ingest", &data("graph/affiliates.ftm.json")]);
    env.ok(&["resolve"]);
    let out = env.run(&["affiliates", "--json"]);
    assert_eq!(out.status.code(), Some(1), "risk found");
    let rows: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let key = |k: &str| entity_of(&env, k);
    let affected: Vec<i64> = rows.iter().map(|r| r["entity"].as_i64().unwrap()).collect();
    let mut expect = vec![key("a"), key("b"), key("c"), key("e")];
    expect.sort_unstable();
    assert_eq!(affected, expect, "d (49 %) is not affected");
    let row = |k: &str| rows.iter().find(|r| r["entity"] == key(k)).unwrap();
    assert_eq!(row("a")["fraction"], 0.5, "25 % + 25 % in aggregate");
    assert_eq!(row("a")["paths"].as_array().unwrap().len(), 2);
    assert_eq!(row("c")["round"], 2, "through the affected b");
    assert_eq!(
        row("e")["round"],
        2,
        "30 % by affected b + 20 % by listed l2"
    );
    // The b ↔ c cross-holding terminates and never routes a chain through its own target.
    for r in &rows {
        for p in r["paths"].as_array().unwrap() {
            let ents = p["entities"].as_array().unwrap();
            assert_eq!(ents.last().unwrap(), &r["entity"]);
            assert!(!ents[..ents.len() - 1].contains(&r["entity"]));
        }
    }
    let text = env.ok_code(&["affiliates"], 1);
    assert!(text.starts_with("4 entities held ≥ 50%"), "{text}");
    // The sample ring: C001 is listed and owns 100 % of C002.
    let env = sample_env();
    let out = env.run(&["affiliates", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let c002 = entity_of(&env, "C002");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains(&format!("{{\"entity\":{c002},"))
    );
}

#[test]
fn mass_registration_addresses_become_one_hub() {
    let env = sample_env();
    let c045 = entity_of(&env, "C045");
    let v = json(&env, &["neighbors", "C045", "--via", "shared", "--json"]);
    let nodes = v["nodes"].as_array().unwrap();
    let hub = nodes
        .iter()
        .find(|n| n["node"] == "hub")
        .expect("160 Robinson Road is a hub");
    assert_eq!(hub["mass_registration"], true);
    assert!(hub["hub_size"].as_u64().unwrap() >= 6);
    assert_eq!(nodes.len(), 2, "the hub is a leaf, not a clique: {nodes:?}");
    // Through the hub the other companies are two hops away.
    let v = json(
        &env,
        &[
            "neighbors",
            "C045",
            "--via",
            "shared",
            "--hops",
            "2",
            "--through-hubs",
            "--json",
        ],
    );
    let ids: HashSet<i64> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["id"].as_i64())
        .collect();
    for k in ["C046", "C047", "C048", "C049", "C050"] {
        assert!(ids.contains(&entity_of(&env, k)), "{k}");
    }
    // A higher limit gives pair edges instead.
    let v = json(
        &env,
        &[
            "neighbors",
            "C045",
            "--via",
            "shared",
            "--max-shared",
            "50",
            "--json",
        ],
    );
    let nodes = v["nodes"].as_array().unwrap();
    assert!(nodes.iter().all(|n| n["node"] == "entity"));
    assert!(nodes.len() >= 6);
    let card = json(&env, &["show", "C045", "--json"]);
    assert!(
        card["shared"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["hub"] == true)
    );
    assert!(card["entity"]["id"] == c045);
}

/// Exports around the beneficiary and a front in every format; returns (format, bytes).
fn exports(env: &Env) -> Vec<(&'static str, String)> {
    ["graphml", "gexf", "dot", "json", "ftm"]
        .into_iter()
        .map(|f| {
            let path = env.path(&format!("x.{f}"));
            let summary = json(
                env,
                &[
                    "export",
                    "--around",
                    "C001",
                    "C010",
                    "--hops",
                    "2",
                    "--format",
                    f,
                    "--out",
                    s(&path),
                    "--json",
                ],
            );
            assert!(summary["nodes"].as_u64().unwrap() > 10, "{summary}");
            (f, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

#[test]
fn every_export_parses_with_a_real_reader() {
    let env = sample_env();
    let files = exports(&env);
    let get = |f: &str| files.iter().find(|x| x.0 == f).unwrap().1.clone();

    // GraphML
    let text = get("graphml");
    let doc = roxmltree::Document::parse(&text).expect("GraphML is XML");
    let ns = "http://graphml.graphdrawing.org/xmlns";
    assert_eq!(doc.root_element().tag_name().name(), "graphml");
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let ids: HashSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "node")))
        .map(|n| n.attribute("id").unwrap())
        .collect();
    let keys: HashSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "key")))
        .map(|n| n.attribute("id").unwrap())
        .collect();
    let mut edges = 0;
    for e in doc.descendants().filter(|n| n.has_tag_name((ns, "edge"))) {
        edges += 1;
        assert!(ids.contains(e.attribute("source").unwrap()));
        assert!(ids.contains(e.attribute("target").unwrap()));
    }
    for d in doc.descendants().filter(|n| n.has_tag_name((ns, "data"))) {
        assert!(keys.contains(d.attribute("key").unwrap()));
    }
    assert!(edges > 10);
    let graphml_nodes = ids.len();

    // GEXF
    let text = get("gexf");
    let doc = roxmltree::Document::parse(&text).expect("GEXF is XML");
    let ns = "http://www.gexf.net/1.2draft";
    assert_eq!(doc.root_element().attribute("version"), Some("1.2"));
    let nodes: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "node")))
        .collect();
    assert_eq!(nodes.len(), graphml_nodes);
    let gexf_edges: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "edge")))
        .collect();
    assert_eq!(gexf_edges.len(), edges);
    for e in &gexf_edges {
        e.attribute("weight")
            .unwrap()
            .parse::<f64>()
            .expect("numeric weight");
        assert!(e.attribute("label").is_some());
    }

    // Cytoscape.js JSON
    let v: Value = serde_json::from_str(&get("json")).expect("Cytoscape JSON");
    let nodes = v["elements"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), graphml_nodes);
    let ids: HashSet<&str> = nodes
        .iter()
        .map(|n| n["data"]["id"].as_str().unwrap())
        .collect();
    let cy_edges = v["elements"]["edges"].as_array().unwrap();
    assert_eq!(cy_edges.len(), edges);
    for e in cy_edges {
        assert!(ids.contains(e["data"]["source"].as_str().unwrap()));
        assert!(ids.contains(e["data"]["target"].as_str().unwrap()));
        assert_evidence(&e["data"]);
    }

    // DOT: structure here; `scripts/check_exports.sh` renders it with Graphviz.
    let dot = get("dot");
    assert!(dot.starts_with("digraph trawl {") && dot.trim_end().ends_with('}'));
    assert_eq!(dot.matches(" -> ").count(), edges);

    // FollowTheMoney: every line an entity; every reference resolves.
    let ftm = get("ftm");
    let lines: Vec<Value> = ftm
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: HashSet<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), lines.len(), "ids are unique");
    let schemas: HashSet<&str> = lines
        .iter()
        .map(|l| l["schema"].as_str().unwrap())
        .collect();
    for s in [
        "Company",
        "Person",
        "Ownership",
        "Directorship",
        "Sanction",
        "UnknownLink",
    ] {
        assert!(schemas.contains(s), "{s} in {schemas:?}");
    }
    for l in &lines {
        for prop in [
            "owner",
            "asset",
            "director",
            "organization",
            "person",
            "relative",
            "associate",
            "subject",
            "object",
            "entity",
        ] {
            for r in l["properties"][prop].as_array().into_iter().flatten() {
                assert!(ids.contains(r.as_str().unwrap()), "{prop} → {r} in {l}");
            }
        }
    }

    // Byte-identical on a second run.
    assert_eq!(files, exports(&env));
}

#[test]
fn graph_commands_need_a_resolved_store() {
    let env = Env::new();
    env.ok(&["ingest", &sample("parties.csv")]);
    let out = env.run(&["show", "C001"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("trawl resolve"));
}

#[test]
fn demo_shows_the_beneficiary_card_and_a_path_from_a_front() {
    let env = Env::new();
    let text = env.ok(&["demo"]);
    for part in [
        "== 3. graph",
        "entity ",
        "Shenzhen Huaxin",
        "screening-list matches",
        "From a front to it",
        "hops",
    ] {
        assert!(text.contains(part), "{part} missing from the demo:\n{text}");
    }
}
