//! Canonical parties (CSV or JSON Lines): one registry company, person or organisation per row.
//!
//! Required: `id`, `name`. `kind` defaults to company when absent. Countries are normalised to
//! alpha-2; `incorporated` and `dob` must be ISO dates (a year or year-month is accepted).

use crate::error::Result;
use crate::ingest::country::normalize_country;
use crate::ingest::rows::{Fields, TableKind};
use crate::ingest::sink::Sink;
use crate::ingest::value::{parse_partial_date, split_multi};
use crate::model::{Origin, PartyKind, Record};

/// The known columns of a parties file.
pub const COLUMNS: &[&str] = &[
    "id",
    "kind",
    "name",
    "aliases",
    "address",
    "city",
    "postcode",
    "country",
    "phone",
    "email",
    "website",
    "registration_id",
    "incorporated",
    "dob",
    "nationality",
];

/// The columns a parties file must have.
pub const REQUIRED: &[&str] = &["id", "name"];

const ID: usize = 0;
const KIND: usize = 1;
const NAME: usize = 2;

/// Parties rows become records.
#[derive(Debug, Default)]
pub struct Parties;

impl TableKind for Parties {
    type Parsed = Record;
    const COLUMNS: &'static [&'static str] = COLUMNS;

    fn parse(fields: &Fields<'_>) -> std::result::Result<Record, String> {
        parse(fields)
    }

    fn write(
        &mut self,
        sink: &mut Sink<'_>,
        line: u64,
        record: &Record,
    ) -> Result<std::result::Result<(), String>> {
        sink.record(Origin::Party, line, record)?;
        Ok(Ok(()))
    }
}

fn parse(f: &Fields<'_>) -> std::result::Result<Record, String> {
    let id = f.get(ID).ok_or("missing required field 'id'")?;
    let name = f.get(NAME).ok_or("missing required field 'name'")?;
    let kind = match f.get(KIND) {
        None => PartyKind::Company,
        Some(k) => match PartyKind::parse(k) {
            Some(PartyKind::Unknown) | None => {
                return Err(format!(
                    "unknown kind '{k}' (expected company, person or organization)"
                ));
            }
            Some(kind) => kind,
        },
    };
    let country = match f.get(7) {
        None => None,
        Some(c) => Some(country_or_err(c, "country")?),
    };
    let nationality = match f.get(14) {
        None => None,
        Some(list) => Some(countries(list, "nationality")?),
    };
    let date = |i: usize, field: &str| -> std::result::Result<Option<String>, String> {
        f.get(i)
            .map(|d| parse_partial_date(d).map_err(|e| format!("{field}: {e}")))
            .transpose()
    };
    Ok(Record {
        source_key: Some(id.to_owned()),
        kind: Some(kind),
        name: name.to_owned(),
        aliases: f.get(3).map(join_multi),
        address: f.get(4).map(str::to_owned),
        city: f.get(5).map(str::to_owned),
        postcode: f.get(6).map(str::to_owned),
        country: country.map(str::to_owned),
        phone: f.get(8).map(join_multi),
        email: f.get(9).map(join_multi),
        website: f.get(10).map(join_multi),
        registration_id: f.get(11).map(join_multi),
        incorporated: date(12, "incorporated")?,
        dob: date(13, "dob")?,
        nationality,
        attrs: f.attrs_json(),
        ..Record::default()
    })
}

/// Normalises one country or explains why it cannot.
pub fn country_or_err(text: &str, field: &str) -> std::result::Result<&'static str, String> {
    normalize_country(text).ok_or_else(|| format!("unknown country '{text}' in {field}"))
}

/// Normalises a `;`-separated list of countries to `;`-joined alpha-2 codes.
pub fn countries(list: &str, field: &str) -> std::result::Result<String, String> {
    let codes: Vec<&str> = split_multi(list)
        .map(|c| country_or_err(c, field))
        .collect::<Result<_, _>>()?;
    Ok(codes.join(";"))
}

/// Re-joins a multi-valued field with `;` and no stray spaces.
pub fn join_multi(s: &str) -> String {
    split_multi(s).collect::<Vec<_>>().join(";")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_company() {
        let pairs = [
            ("id", "C1"),
            ("name", "Apex Tech Pte Ltd"),
            ("country", "Singapore"),
            ("aliases", "APEX TECHNOLOGY; Apex"),
            ("incorporated", "2023-01-05"),
            ("sector", "electronics"),
        ];
        let f = Fields::from_pairs(COLUMNS, &pairs);
        let r = parse(&f).unwrap();
        assert_eq!(r.kind, Some(PartyKind::Company));
        assert_eq!(r.country.as_deref(), Some("SG"));
        assert_eq!(r.aliases.as_deref(), Some("APEX TECHNOLOGY;Apex"));
        assert_eq!(r.attrs.as_deref(), Some(r#"{"sector":"electronics"}"#));
    }

    #[test]
    fn rejects_with_reasons() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("name", "X")], "missing required field 'id'"),
            (&[("id", "1")], "missing required field 'name'"),
            (
                &[("id", "1"), ("name", "X"), ("country", "Atlantis")],
                "unknown country 'Atlantis'",
            ),
            (
                &[("id", "1"), ("name", "X"), ("kind", "robot")],
                "unknown kind 'robot'",
            ),
            (
                &[("id", "1"), ("name", "X"), ("dob", "31/12/1970")],
                "dob: '31/12/1970'",
            ),
        ];
        for (pairs, want) in cases {
            let f = Fields::from_pairs(COLUMNS, pairs);
            let err = parse(&f).unwrap_err();
            assert!(err.contains(want), "{err} should contain {want}");
        }
    }
}
