//! `trawl generate` output is valid input: every file ingests with nothing quarantined, and the
//! truth names the true entity of every record ingest stores.

use std::collections::HashSet;

use crate::util::Env;

#[test]
fn generated_data_ingests_cleanly_and_truth_covers_every_record() {
    let env = Env::new();
    let out = env.generate("3", "600", "3000");
    let files: Vec<String> = [
        "parties.csv",
        "relationships.csv",
        "screening.csv",
        "entities.ftm.json",
        "shipments.csv",
    ]
    .iter()
    .map(|f| out.join(f).to_string_lossy().into_owned())
    .collect();
    let mut args = vec!["ingest"];
    args.extend(files.iter().map(String::as_str));
    let summary = env.ok(&args);
    let total = summary.lines().find(|l| l.starts_with("total")).unwrap();
    let nums: Vec<u64> = total
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(
        nums[2],
        0,
        "nothing quarantined:\n{summary}\n{}",
        env.ok(&["quarantine"])
    );
    assert_eq!(nums[0], nums[1]);

    let truth = std::fs::read_to_string(out.join("truth/records.csv")).unwrap();
    let keys: HashSet<&str> = truth
        .lines()
        .skip(1)
        .filter_map(|l| l.rsplit_once(',').map(|(id, _)| id))
        .collect();
    let conn = env.conn();
    // Keyed records (parties, screening, FtM parties) by their source key.
    let mut stmt = conn
        .prepare("SELECT source_key FROM records WHERE origin != 'shipment' AND kind != 'unknown'")
        .unwrap();
    let missing: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .filter(|k| !keys.contains(k.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "records without truth: {:?}",
        &missing[..missing.len().min(5)]
    );
    // Shipment mentions by shipment id and role.
    let mut stmt = conn
        .prepare(
            "SELECT shipment_key, shipper_record IS NOT NULL, notify_record IS NOT NULL,
                    end_user_record IS NOT NULL, forwarder_record IS NOT NULL,
                    payer_record IS NOT NULL FROM shipments",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            let flags: Vec<bool> = (1..=5).map(|i| r.get(i).unwrap()).collect();
            Ok((r.get::<_, String>(0)?, flags))
        })
        .unwrap();
    for row in rows {
        let (key, flags) = row.unwrap();
        assert!(
            keys.contains(format!("{key}:consignee").as_str()),
            "{key}:consignee"
        );
        for (role, present) in ["shipper", "notify", "end_user", "forwarder", "payer"]
            .iter()
            .zip(flags)
        {
            if present {
                assert!(
                    keys.contains(format!("{key}:{role}").as_str()),
                    "{key}:{role}"
                );
            }
        }
    }
}
