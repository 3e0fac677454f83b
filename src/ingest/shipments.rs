//! Canonical shipments (CSV or JSON Lines): one line item per row, with the parties named on it.
//!
//! Required: `id`, `date`, `consignee_name`. Every party named on the row (shipper, consignee,
//! notify, end user, forwarder, payer) becomes a record of origin `shipment`, linked to the
//! shipment with its role; identical mentions (same name, address, country and `*_id`) within a
//! file share one record, first seen at the line it was first named. A party written as a
//! reference to another role of the row, as bills of lading do ("SAME AS CONSIGNEE" in the notify
//! box), is that role's party (see [`same_as`]). Quantities and values must be non-negative
//! numbers; countries must be known.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::error::Result;
use crate::ingest::parties::{countries, country_or_err};
use crate::ingest::rows::{Fields, TableKind};
use crate::ingest::sink::{ShipmentRow, Sink};
use crate::ingest::value::{parse_amount, parse_date};
use crate::model::{Origin, PartyKind, Record, RecordId, Role};

/// The known columns of a shipments file. The first eleven are the line item's own; then four
/// per role, in [`crate::model::Role::ALL`] order: `<role>_name`, `<role>_address`, `<role>_country`,
/// `<role>_id`.
pub const COLUMNS: &[&str] = &[
    "id",
    "date",
    "origin_country",
    "destination_country",
    "transit_countries",
    "hs_code",
    "product",
    "description",
    "quantity",
    "value_usd",
    "order_ref",
    "shipper_name",
    "shipper_address",
    "shipper_country",
    "shipper_id",
    "consignee_name",
    "consignee_address",
    "consignee_country",
    "consignee_id",
    "notify_name",
    "notify_address",
    "notify_country",
    "notify_id",
    "end_user_name",
    "end_user_address",
    "end_user_country",
    "end_user_id",
    "forwarder_name",
    "forwarder_address",
    "forwarder_country",
    "forwarder_id",
    "payer_name",
    "payer_address",
    "payer_country",
    "payer_id",
];

/// The columns a shipments file must have.
pub const REQUIRED: &[&str] = &["id", "date", "consignee_name"];

const ROLE_BASE: usize = 11;

/// Past this many distinct mentions the sharing cache is cleared, so memory stays flat whatever
/// the file size (later mentions then get records of their own, which resolve merges anyway).
const MENTION_CACHE_LIMIT: usize = 1 << 20;

/// Shipment rows: validated (and their mentions hashed) on the reader thread; the writer shares
/// records between identical mentions.
///
/// Mentions are keyed by the 128-bit XXH3 hash of their fields rather than the text itself: the
/// map stays small and cache-friendly (this lookup runs up to six times per row), and two
/// different mentions colliding is as unlikely as 2^-128 per pair.
#[derive(Debug, Default)]
pub struct Shipments {
    mentions: HashMap<u128, RecordId, BuildHasherDefault<PreHashed>>,
}

/// The map's keys are already uniform hashes: use their low bits as they are.
#[derive(Debug, Default)]
struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

/// A party as named on a shipment, validated but not yet written, with its hash key.
#[derive(Debug, Clone)]
pub struct Mention {
    key: u128,
    name: String,
    address: Option<String>,
    country: Option<&'static str>,
    party_ref: Option<String>,
}

impl Mention {
    fn new(
        name: &str,
        address: Option<&str>,
        country: Option<&'static str>,
        party_ref: Option<&str>,
    ) -> Mention {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in [Some(name), address, country, party_ref] {
            hasher.update(part.unwrap_or_default().as_bytes());
            hasher.update(&[0x1f]);
        }
        Mention {
            key: hasher.digest128(),
            name: name.to_owned(),
            address: address.map(str::to_owned),
            country,
            party_ref: party_ref.map(str::to_owned),
        }
    }
}

/// The role that a party field of role `role` refers to instead of naming a party: "SAME AS
/// CONSIGNEE", "Same as cnee", "AS CONSIGNEE", "SAME AS BUYER", "SAME AS SHIPPER"; "SAME AS
/// ABOVE" in the notify box is the consignee (the box above it on a bill of lading). `None` for
/// a party's name. The graph's placeholders (`GraphConfig::placeholders`) read the same words
/// the same way in stores ingested before.
pub fn same_as(role: Role, name: &str) -> Option<Role> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let rest = match words.as_slice() {
        [same, as_, rest @ ..] if same == "SAME" && as_ == "AS" => rest,
        [as_, rest @ ..] if as_ == "AS" => rest,
        _ => return None,
    };
    let target = match rest {
        [w] | [w, _] if matches!(w.as_str(), "CONSIGNEE" | "CNEE" | "CONS" | "CNE" | "BUYER") => {
            Role::Consignee
        }
        [w] if matches!(w.as_str(), "SHIPPER" | "SHPR") => Role::Shipper,
        [w] if w == "NOTIFY" => Role::Notify,
        [w] if w == "ABOVE" && role == Role::Notify => Role::Consignee,
        _ => return None,
    };
    (target != role).then_some(target)
}

/// A validated shipment: the line item and the mention of each role (in
/// [`crate::model::Role::ALL`] order).
#[derive(Debug)]
pub struct ParsedShipment {
    row: ShipmentRow,
    mentions: [Option<Mention>; 6],
}

impl TableKind for Shipments {
    type Parsed = ParsedShipment;
    const COLUMNS: &'static [&'static str] = COLUMNS;

    fn parse(fields: &Fields<'_>) -> std::result::Result<ParsedShipment, String> {
        parse(fields)
    }

    fn write(
        &mut self,
        sink: &mut Sink<'_>,
        line: u64,
        parsed: &ParsedShipment,
    ) -> Result<std::result::Result<(), String>> {
        let mentions = &parsed.mentions;
        // Probe every mention first: independent probes overlap their cache misses.
        let found = mentions
            .each_ref()
            .map(|m| m.as_ref().and_then(|m| self.mentions.get(&m.key).copied()));
        let mut roles = [None; 6];
        for (r, slot) in roles.iter_mut().enumerate() {
            let Some(m) = &mentions[r] else { continue };
            *slot = Some(match found[r] {
                Some(id) => id,
                None => self.new_mention(sink, line, m)?,
            });
        }
        sink.shipment(line, &parsed.row, &roles)?;
        Ok(Ok(()))
    }
}

impl Shipments {
    /// The record of a mention not found in the first probe (it may still have been written
    /// for an earlier role of this same row).
    fn new_mention(&mut self, sink: &mut Sink<'_>, line: u64, m: &Mention) -> Result<RecordId> {
        if let Some(id) = self.mentions.get(&m.key) {
            return Ok(*id);
        }
        let record = Record {
            kind: Some(PartyKind::Unknown),
            name: m.name.clone(),
            address: m.address.clone(),
            country: m.country.map(str::to_owned),
            party_ref: m.party_ref.clone(),
            ..Record::default()
        };
        let id = sink.record(Origin::Shipment, line, &record)?;
        if self.mentions.len() >= MENTION_CACHE_LIMIT {
            self.mentions.clear();
        }
        self.mentions.insert(m.key, id);
        Ok(id)
    }
}

fn parse(f: &Fields<'_>) -> std::result::Result<ParsedShipment, String> {
    let key = f.get(0).ok_or("missing required field 'id'")?;
    let date = parse_date(f.get(1).ok_or("missing required field 'date'")?)
        .map_err(|e| format!("date: {e}"))?;
    let country = |i: usize| -> std::result::Result<Option<&'static str>, String> {
        f.get(i).map(|c| country_or_err(c, COLUMNS[i])).transpose()
    };
    let amount = |i: usize| -> std::result::Result<Option<f64>, String> {
        f.get(i)
            .map(|v| {
                parse_amount(v).map_err(|e| {
                    if e.starts_with("negative") {
                        format!("negative {}: {v}", COLUMNS[i])
                    } else {
                        format!("{}: {e}", COLUMNS[i])
                    }
                })
            })
            .transpose()
    };
    let mut mentions: [Option<Mention>; 6] = Default::default();
    for (r, slot) in mentions.iter_mut().enumerate() {
        let base = ROLE_BASE + 4 * r;
        let name = f.get(base);
        let ctry = country(base + 2)?;
        match name {
            Some(name) => {
                *slot = Some(Mention::new(name, f.get(base + 1), ctry, f.get(base + 3)));
            }
            None if r == 1 => return Err("missing required field 'consignee_name'".into()),
            None => {}
        }
    }
    for (r, &role) in Role::ALL.iter().enumerate() {
        let target = (mentions[r].as_ref())
            .and_then(|m| same_as(role, &m.name))
            .and_then(|t| Role::ALL.iter().position(|&x| x == t));
        if let Some(t) = target.filter(|&t| mentions[t].is_some()) {
            mentions[r] = mentions[t].clone();
        }
    }
    let row = ShipmentRow {
        key: key.to_owned(),
        date,
        origin_country: country(2)?,
        destination_country: country(3)?,
        transit_countries: f
            .get(4)
            .map(|t| countries(t, "transit_countries"))
            .transpose()?,
        hs_code: f.get(5).map(str::to_owned),
        product: f.get(6).map(str::to_owned),
        description: f.get(7).map(str::to_owned),
        quantity: amount(8)?,
        value_usd: amount(9)?,
        order_ref: f.get(10).map(str::to_owned),
        attrs: f.attrs_json(),
    };
    Ok(ParsedShipment { row, mentions })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("id", "S1"),
            ("date", "2024-05-01"),
            ("consignee_name", "Apex Tech Pte Ltd"),
            ("consignee_country", "SG"),
            ("quantity", "8"),
            ("value_usd", "240000"),
        ]
    }

    fn parse_err(change: (&'static str, &'static str)) -> String {
        let mut pairs = base();
        pairs.retain(|(k, _)| *k != change.0);
        if !change.1.is_empty() {
            pairs.push(change);
        }
        let f = Fields::from_pairs(COLUMNS, &pairs);
        parse(&f).err().unwrap_or_default()
    }

    #[test]
    fn a_reference_to_another_role_is_that_role() {
        use Role::{Consignee, Notify, Payer, Shipper};
        assert_eq!(same_as(Notify, "SAME AS CONSIGNEE"), Some(Consignee));
        assert_eq!(same_as(Notify, "Same as cnee."), Some(Consignee));
        assert_eq!(same_as(Notify, "AS CONSIGNEE"), Some(Consignee));
        assert_eq!(same_as(Notify, "SAME AS BUYER"), Some(Consignee));
        assert_eq!(same_as(Notify, "SAME AS ABOVE"), Some(Consignee));
        assert_eq!(same_as(Payer, "same as shipper"), Some(Shipper));
        assert_eq!(same_as(Consignee, "SAME AS CONSIGNEE"), None);
        assert_eq!(same_as(Shipper, "SAME AS ABOVE"), None);
        assert_eq!(same_as(Notify, "Asia Consignee Services Ltd"), None);
        let mut row = base();
        row.push(("notify_name", "SAME AS CONSIGNEE"));
        let f = Fields::from_pairs(COLUMNS, &row);
        let p = parse(&f).unwrap();
        let (c, n) = (
            p.mentions[1].as_ref().unwrap(),
            p.mentions[2].as_ref().unwrap(),
        );
        assert_eq!((n.key, n.name.as_str()), (c.key, c.name.as_str()));
    }

    #[test]
    fn accepts_a_valid_row() {
        let pairs = base();
        let f = Fields::from_pairs(COLUMNS, &pairs);
        let parsed = parse(&f).unwrap();
        assert_eq!(parsed.row.quantity, Some(8.0));
        assert!(parsed.mentions[1].is_some() && parsed.mentions[0].is_none());
    }

    #[test]
    fn each_bad_field_has_a_reason() {
        assert!(parse_err(("quantity", "-5")).contains("negative quantity"));
        assert!(parse_err(("value_usd", "lots")).contains("value_usd: 'lots' is not a number"));
        assert!(parse_err(("date", "2024-02-30")).contains("date:"));
        assert!(parse_err(("consignee_country", "Mordor")).contains("unknown country 'Mordor'"));
        assert!(parse_err(("consignee_name", "")).contains("consignee_name"));
        assert!(parse_err(("date", "")).contains("'date'"));
    }
}
