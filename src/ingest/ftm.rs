//! FollowTheMoney JSON Lines, as OpenSanctions and Aleph export them: one entity per line,
//! `{"id", "schema", "properties": {prop: [values]}}`.
//!
//! Parties (Company, Organization, LegalEntity, PublicBody, Person, Vessel, Airplane) become
//! records of origin `ftm` as they are read, keyed by their FtM id. Links and details that point
//! at other entities — Ownership, Directorship, Family, Associate (and Employment, Membership,
//! Representation, UnknownLink as associates), Sanction, Address, Identification, Passport — may
//! come before the entity they name, so they are kept (small) until the end of the file and then
//! applied in line order; one whose entity is in neither this file nor the store is quarantined.
//! Schemas trawl does not use (Position, Occupancy, Note, …) are quarantined with that reason, so
//! nothing is dropped silently.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::Result;
use crate::ingest::country::normalize_country;
use crate::ingest::relationships::unknown_party;
use crate::ingest::rows::for_each_line;
use crate::ingest::sink::{RelationshipRow, Sink};
use crate::ingest::value::{parse_amount, parse_partial_date};
use crate::model::{Origin, PartyKind, Record, RelKind};

/// One FtM entity as read.
#[derive(Debug, Deserialize)]
struct Entity {
    id: Option<String>,
    schema: Option<String>,
    #[serde(default)]
    properties: HashMap<String, Vec<serde_json::Value>>,
}

impl Entity {
    fn values(&self, prop: &str) -> impl Iterator<Item = String> + '_ {
        self.properties
            .get(prop)
            .into_iter()
            .flatten()
            .filter_map(crate::ingest::rows::json_text)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }

    fn first(&self, prop: &str) -> Option<String> {
        self.values(prop).next()
    }

    fn joined(&self, props: &[&str]) -> Option<String> {
        let mut all: Vec<String> = props.iter().flat_map(|p| self.values(p)).collect();
        all.dedup();
        (!all.is_empty()).then(|| all.join(";"))
    }
}

/// Something to apply once every party of the file is stored.
#[derive(Debug)]
enum Deferred {
    Link {
        kind: RelKind,
        from: String,
        to: String,
        share: Option<f64>,
        start: Option<String>,
        end: Option<String>,
        attrs: Option<String>,
    },
    Sanction {
        entity: String,
        programs: Option<String>,
        authority: Option<String>,
    },
    AddressOf {
        entity: String,
        address: String,
    },
    Identifier {
        entity: String,
        number: String,
    },
}

/// Properties mapped onto record fields; the rest are kept as attributes.
const MAPPED: &[&str] = &[
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "address",
    "addressEntity",
    "country",
    "jurisdiction",
    "mainCountry",
    "nationality",
    "citizenship",
    "phone",
    "email",
    "website",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "idNumber",
    "vatCode",
    "swiftBic",
    "incorporationDate",
    "birthDate",
    "imoNumber",
];

/// Reads one FtM file into the sink.
///
/// # Errors
/// Store failures, I/O errors, and the first bad line under `--strict`.
pub fn read(
    path: &Path,
    sink: &mut Sink<'_>,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let mut deferred: Vec<(u64, Deferred)> = Vec::new();
    let mut raws: HashMap<u64, String> = HashMap::new();
    let mut addresses: HashMap<String, String> = HashMap::new();
    for_each_line(path, progress, |line, bytes| {
        sink.row_read();
        let raw = || String::from_utf8_lossy(bytes).trim_end().to_owned();
        let entity: Entity = match serde_json::from_slice(bytes) {
            Ok(e) => e,
            Err(e) if std::str::from_utf8(bytes).is_err() => {
                return sink.quarantine(line, &raw(), &format!("invalid UTF-8 ({e})"));
            }
            Err(e) => return sink.quarantine(line, &raw(), &format!("invalid FtM entity: {e}")),
        };
        let (Some(id), Some(schema)) = (entity.id.as_deref(), entity.schema.as_deref()) else {
            return sink.quarantine(line, &raw(), "FtM entity without 'id' or 'schema'");
        };
        match classify(schema) {
            Some(Class::Party(kind)) => {
                let Some(record) = party(id, kind, &entity) else {
                    return sink.quarantine(line, &raw(), &format!("{schema} '{id}' has no name"));
                };
                sink.record(Origin::Ftm, line, &record)?;
                for address_id in entity.values("addressEntity") {
                    deferred.push((
                        line,
                        Deferred::AddressOf {
                            entity: id.to_owned(),
                            address: address_id,
                        },
                    ));
                }
                sink.row_accepted();
            }
            Some(Class::Address) => {
                let text = entity.first("full").or_else(|| {
                    let parts: Vec<String> = ["street", "city", "postalCode", "region", "country"]
                        .iter()
                        .filter_map(|p| entity.first(p))
                        .collect();
                    (!parts.is_empty()).then(|| parts.join(", "))
                });
                match text {
                    Some(t) => {
                        addresses.insert(id.to_owned(), t);
                        sink.row_accepted();
                    }
                    None => return sink.quarantine(line, &raw(), "Address entity with no text"),
                }
            }
            Some(Class::Deferred) => match link(schema, &entity) {
                Ok(d) => {
                    raws.insert(line, raw());
                    deferred.push((line, d));
                }
                Err(reason) => return sink.quarantine(line, &raw(), &reason),
            },
            None => {
                let reason = format!("FollowTheMoney schema '{schema}' is not used by trawl");
                return sink.quarantine(line, &raw(), &reason);
            }
        }
        Ok(())
    })?;
    apply_deferred(sink, deferred, &raws, &addresses)
}

enum Class {
    Party(PartyKind),
    Address,
    Deferred,
}

fn classify(schema: &str) -> Option<Class> {
    Some(match schema {
        "Company" | "LegalEntity" => Class::Party(PartyKind::Company),
        "Organization" | "PublicBody" => Class::Party(PartyKind::Organization),
        "Person" => Class::Party(PartyKind::Person),
        "Vessel" => Class::Party(PartyKind::Vessel),
        "Airplane" => Class::Party(PartyKind::Aircraft),
        "Address" => Class::Address,
        "Ownership" | "Directorship" | "Family" | "Associate" | "Employment" | "Membership"
        | "Representation" | "UnknownLink" | "Sanction" | "Identification" | "Passport" => {
            Class::Deferred
        }
        _ => return None,
    })
}

fn party(id: &str, kind: PartyKind, e: &Entity) -> Option<Record> {
    let mut names = e.values("name");
    let name = names.next()?;
    let mut aliases: Vec<String> = names.collect();
    for p in ["alias", "weakAlias", "previousName"] {
        aliases.extend(e.values(p));
    }
    let country = ["country", "jurisdiction", "mainCountry"]
        .iter()
        .flat_map(|p| e.values(p))
        .find_map(|c| normalize_country(&c));
    let mut nationality: Vec<&str> = ["nationality", "citizenship"]
        .iter()
        .flat_map(|p| e.values(p))
        .filter_map(|c| normalize_country(&c))
        .collect();
    nationality.dedup();
    let attrs: serde_json::Map<String, serde_json::Value> = e
        .properties
        .iter()
        .filter(|(k, _)| !MAPPED.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), serde_json::Value::Array(v.clone())))
        .chain(std::iter::once((
            "schema".to_owned(),
            e.schema.clone().unwrap_or_default().into(),
        )))
        .collect();
    Some(Record {
        source_key: Some(id.to_owned()),
        kind: Some(kind),
        name,
        aliases: (!aliases.is_empty()).then(|| aliases.join(";")),
        address: e.first("address"),
        country: country.map(str::to_owned),
        phone: e.joined(&["phone"]),
        email: e.joined(&["email"]),
        website: e.joined(&["website"]),
        registration_id: e.joined(&[
            "registrationNumber",
            "taxNumber",
            "innCode",
            "ogrnCode",
            "leiCode",
            "idNumber",
            "vatCode",
            "swiftBic",
            "imoNumber",
        ]),
        incorporated: e
            .first("incorporationDate")
            .and_then(|d| parse_partial_date(&d).ok()),
        dob: e
            .first("birthDate")
            .and_then(|d| parse_partial_date(&d).ok()),
        nationality: (!nationality.is_empty()).then(|| nationality.join(";")),
        attrs: Some(serde_json::Value::Object(attrs).to_string()),
        ..Record::default()
    })
}

fn link(schema: &str, e: &Entity) -> std::result::Result<Deferred, String> {
    let need = |prop: &str| {
        e.first(prop)
            .ok_or_else(|| format!("{schema} without '{prop}'"))
    };
    let dates = || (e.first("startDate"), e.first("endDate"));
    let attrs = |extra: &[&str]| {
        let map: serde_json::Map<String, serde_json::Value> = extra
            .iter()
            .filter_map(|p| e.joined(&[p]).map(|v| ((*p).to_owned(), v.into())))
            .chain(std::iter::once(("ftm_schema".to_owned(), schema.into())))
            .chain(e.id.clone().map(|id| ("ftm_id".to_owned(), id.into())))
            .collect();
        Some(serde_json::Value::Object(map).to_string())
    };
    let (start, end) = dates();
    let (kind, from, to, share) = match schema {
        "Ownership" => {
            let share = match e.first("percentage") {
                Some(p) => Some(
                    parse_amount(p.trim_end_matches('%'))
                        .map_err(|err| format!("Ownership percentage: {err}"))?,
                ),
                None => None,
            };
            (RelKind::Owner, need("owner")?, need("asset")?, share)
        }
        "Directorship" => {
            let role = e.first("role").unwrap_or_default().to_ascii_lowercase();
            let kind = if role.contains("director") || role.is_empty() {
                RelKind::Director
            } else {
                RelKind::Officer
            };
            (kind, need("director")?, need("organization")?, None)
        }
        "Family" => (RelKind::Family, need("person")?, need("relative")?, None),
        "Associate" => (
            RelKind::Associate,
            need("person")?,
            need("associate")?,
            None,
        ),
        "Employment" => (
            RelKind::Associate,
            need("employee")?,
            need("employer")?,
            None,
        ),
        "Membership" => (
            RelKind::Associate,
            need("member")?,
            need("organization")?,
            None,
        ),
        "Representation" => (RelKind::Associate, need("agent")?, need("client")?, None),
        "UnknownLink" => (RelKind::Associate, need("subject")?, need("object")?, None),
        "Sanction" => {
            return Ok(Deferred::Sanction {
                entity: need("entity")?,
                programs: e.joined(&["program", "programId"]),
                authority: e.first("authority"),
            });
        }
        _ => {
            // Identification, Passport.
            return Ok(Deferred::Identifier {
                entity: need("holder")?,
                number: need("number")?,
            });
        }
    };
    Ok(Deferred::Link {
        kind,
        from,
        to,
        share,
        start: start.and_then(|d| parse_partial_date(&d).ok()),
        end: end.and_then(|d| parse_partial_date(&d).ok()),
        attrs: attrs(&["role", "relationship", "summary"]),
    })
}

fn apply_deferred(
    sink: &mut Sink<'_>,
    deferred: Vec<(u64, Deferred)>,
    raws: &HashMap<u64, String>,
    addresses: &HashMap<String, String>,
) -> Result<()> {
    for (line, item) in deferred {
        let raw = raws.get(&line).map(String::as_str).unwrap_or_default();
        match item {
            Deferred::Link {
                kind,
                from,
                to,
                share,
                start,
                end,
                attrs,
            } => {
                let Some(from_rec) = sink.lookup_key(&from)? else {
                    sink.quarantine(line, raw, &unknown_party("from", &from))?;
                    continue;
                };
                let Some(to_rec) = sink.lookup_key(&to)? else {
                    sink.quarantine(line, raw, &unknown_party("to", &to))?;
                    continue;
                };
                let row = RelationshipRow {
                    from: from_rec,
                    to: to_rec,
                    kind: kind.as_str(),
                    share,
                    start,
                    end,
                    attrs,
                };
                sink.relationship(line, &row)?;
                sink.row_accepted();
            }
            Deferred::Sanction {
                entity,
                programs,
                authority,
            } => {
                let Some(rec) = sink.lookup_key(&entity)? else {
                    sink.quarantine(line, raw, &unknown_party("entity", &entity))?;
                    continue;
                };
                sink.tx()
                    .prepare_cached(
                        "UPDATE records SET
                            programs = CASE WHEN programs IS NULL THEN ?2 WHEN ?2 IS NULL THEN programs
                                            ELSE programs || ';' || ?2 END,
                            list_source = coalesce(list_source, ?3)
                         WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![rec.0, programs, authority.or(Some("sanctioned".into()))])?;
                sink.row_accepted();
            }
            Deferred::AddressOf { entity, address } => {
                // Part of the party's own line, already counted: only fill the address.
                if let (Some(text), Some(rec)) =
                    (addresses.get(&address), sink.lookup_key(&entity)?)
                {
                    sink.tx()
                        .prepare_cached(
                            "UPDATE records SET address = coalesce(address, ?2) WHERE id = ?1",
                        )?
                        .execute(rusqlite::params![rec.0, text])?;
                }
            }
            Deferred::Identifier { entity, number } => {
                let Some(rec) = sink.lookup_key(&entity)? else {
                    sink.quarantine(line, raw, &unknown_party("holder", &entity))?;
                    continue;
                };
                sink.tx()
                    .prepare_cached(
                        "UPDATE records SET registration_id =
                            CASE WHEN registration_id IS NULL THEN ?2 ELSE registration_id || ';' || ?2 END
                         WHERE id = ?1",
                    )?
                    .execute(rusqlite::params![rec.0, number])?;
                sink.row_accepted();
            }
        }
    }
    Ok(())
}
