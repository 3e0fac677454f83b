//! The US Consolidated Screening List CSV, exactly as published (28 columns, optionally with the
//! `_id` column of the API export).
//!
//! One row becomes one record of origin `screening`: `name`; `alt_names` as aliases; the first of
//! `addresses` ("street, city, state, postal, CC", `; `-joined, the street may hold commas) as
//! address, city, postcode and country, every address kept in the attributes; `ids`
//! ("CC, number, type") as registration ids; `citizenships` and `nationalities` as nationality;
//! the first parseable `dates_of_birth` as dob; `source` and `programs`. Every other column is
//! kept as an attribute. Only a missing name rejects a row: the list is an authority, so values
//! trawl cannot normalise (a country it does not know, a DOB like "circa 1965") are kept as they
//! are rather than refused.

use crate::error::Result;
use crate::ingest::country::normalize_country;
use crate::ingest::parties::join_multi;
use crate::ingest::rows::{Fields, TableKind, attrs_json};
use crate::ingest::sink::Sink;
use crate::ingest::value::{parse_partial_date, split_multi};
use crate::model::{Origin, PartyKind, Record};

/// The columns of the published list, in order, plus `_id` last (the API export's first column).
pub const COLUMNS: &[&str] = &[
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
    "_id",
];

/// The columns a screening file must have.
pub const REQUIRED: &[&str] = &[
    "source",
    "type",
    "programs",
    "name",
    "addresses",
    "alt_names",
];

/// Columns mapped onto record fields; every other column is kept as an attribute.
const MAPPED: &[usize] = &[0, 1, 2, 3, 4, 6, 21, 22, 23, 24, 27, 28];

/// Screening-list rows become records.
#[derive(Debug, Default)]
pub struct Screening;

/// One address of the list, split from the right: "street, city, state, postal, CC".
#[derive(Debug, Default, PartialEq)]
pub struct CslAddress {
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal: Option<String>,
    pub country: Option<&'static str>,
}

/// Splits a list address. The street keeps its own commas; an address whose last part is not a
/// country is kept whole as the street.
pub fn parse_address(text: &str) -> CslAddress {
    let parts: Vec<&str> = text.rsplitn(5, ',').map(str::trim).collect();
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    match parts.as_slice() {
        [cc, postal, state, city, street] if cc.is_empty() || normalize_country(cc).is_some() => {
            CslAddress {
                street: some(street),
                city: some(city),
                state: some(state),
                postal: some(postal),
                country: normalize_country(cc),
            }
        }
        _ => CslAddress {
            street: some(text.trim()),
            ..CslAddress::default()
        },
    }
}

/// Takes the number out of an id entry ("CC, number, type" — or the older "type, number, CC").
pub fn id_number(entry: &str) -> Option<&str> {
    let parts: Vec<&str> = entry
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [] => None,
        [only] => Some(only),
        // The number is the part with the most digits.
        _ => parts
            .iter()
            .copied()
            .max_by_key(|p| p.bytes().filter(u8::is_ascii_digit).count()),
    }
}

impl TableKind for Screening {
    type Parsed = Record;
    const COLUMNS: &'static [&'static str] = COLUMNS;

    fn write(
        &mut self,
        sink: &mut Sink<'_>,
        line: u64,
        record: &Record,
    ) -> Result<std::result::Result<(), String>> {
        sink.record(Origin::Screening, line, record)?;
        Ok(Ok(()))
    }

    fn parse(f: &Fields<'_>) -> std::result::Result<Record, String> {
        let Some(name) = f.get(4) else {
            return Err("missing required field 'name'".into());
        };
        let kind = match f.get(2).map(str::to_ascii_lowercase).as_deref() {
            Some("individual") => PartyKind::Person,
            Some("vessel") => PartyKind::Vessel,
            Some("aircraft") => PartyKind::Aircraft,
            _ => PartyKind::Company,
        };
        let addresses: Vec<&str> = f
            .get(6)
            .map(|a| split_multi(a).collect())
            .unwrap_or_default();
        let first = addresses
            .first()
            .map(|a| parse_address(a))
            .unwrap_or_default();
        let address = [first.street.as_deref(), first.state.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let mut nationality: Vec<&'static str> = [f.get(22), f.get(24)]
            .into_iter()
            .flatten()
            .flat_map(split_multi)
            .filter_map(normalize_country)
            .collect();
        nationality.dedup();
        let ids: Vec<&str> = f
            .get(27)
            .map(|s| split_multi(s).filter_map(id_number).collect())
            .unwrap_or_default();
        let dob = f
            .get(23)
            .and_then(|d| split_multi(d).find_map(|d| parse_partial_date(d).ok()));
        let mut extra: Vec<(&str, &str)> = (0..COLUMNS.len())
            .filter(|i| !MAPPED.contains(i))
            .filter_map(|i| f.get(i).map(|v| (COLUMNS[i], v)))
            .collect();
        if addresses.len() > 1 {
            extra.push(("addresses", f.get(6).unwrap_or_default()));
        }
        if let Some(all_ids) = f.get(27) {
            extra.push(("ids", all_ids));
        }
        if let Some(dobs) = f.get(23) {
            extra.push(("dates_of_birth", dobs));
        }
        let unknown_attrs = f.attrs_json();
        let mut attrs = attrs_json(extra.into_iter());
        if let Some(unknown) = unknown_attrs {
            attrs = Some(merge_json(attrs, &unknown));
        }
        let record = Record {
            source_key: f.get(1).or(f.get(28)).map(str::to_owned),
            kind: Some(kind),
            name: name.to_owned(),
            aliases: f.get(21).map(join_multi),
            address: (!address.is_empty()).then_some(address),
            city: first.city,
            postcode: first.postal,
            country: first.country.map(str::to_owned),
            registration_id: (!ids.is_empty()).then(|| ids.join(";")),
            dob,
            nationality: (!nationality.is_empty()).then(|| nationality.join(";")),
            list_source: f.get(0).map(str::to_owned),
            programs: f.get(3).map(join_multi),
            attrs,
            ..Record::default()
        };
        Ok(record)
    }
}

/// Merges two JSON object texts (keys of `b` added to `a`).
fn merge_json(a: Option<String>, b: &str) -> String {
    let parse = |s: &str| match serde_json::from_str(s) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let mut base = a.as_deref().map(parse).unwrap_or_default();
    base.extend(parse(b));
    serde_json::Value::Object(base).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_split_from_the_right() {
        let a = parse_address(
            "Room 1501, Grand Millennium Plaza, 181 Queen's Road Central, Hong Kong, , , HK",
        );
        assert_eq!(
            a.street.as_deref(),
            Some("Room 1501, Grand Millennium Plaza, 181 Queen's Road Central")
        );
        assert_eq!(a.city.as_deref(), Some("Hong Kong"));
        assert_eq!(a.country, Some("HK"));
        let b = parse_address("12 Foo Rd, Singapore, , 123456, SG");
        assert_eq!(b.postal.as_deref(), Some("123456"));
        let c = parse_address("Somewhere in the desert");
        assert_eq!(c.street.as_deref(), Some("Somewhere in the desert"));
        assert_eq!(c.country, None);
    }

    #[test]
    fn id_numbers() {
        assert_eq!(
            id_number("CN, 91440300MA5F, Registration ID"),
            Some("91440300MA5F")
        );
        assert_eq!(id_number("Tax ID No., 7703113520, RU"), Some("7703113520"));
        assert_eq!(id_number(""), None);
    }
}
