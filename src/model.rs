//! The data model shared by every stage: newtype ids and the rows that ingest writes.
//!
//! A [`Record`] is one party mention as a source gave it (after normalisation of countries and
//! dates); a [`Relationship`] links two records; a [`Shipment`] is one line item with the record
//! of each party role. Later stages add entities (resolve), edges (graph) and alerts (score).

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Row id of an ingested file in `sources`.
    SourceId
);
id_type!(
    /// Row id of a party mention in `records`.
    RecordId
);
id_type!(
    /// Row id of a shipment line item in `shipments`.
    ShipmentId
);
id_type!(
    /// Row id of a resolved party in `entities` (stable across resolve runs).
    EntityId
);
id_type!(
    /// Row id of a relationship in `relationships`.
    RelationshipId
);

/// The input kinds trawl reads (DESIGN.md, data contracts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Canonical parties (CSV or JSON Lines).
    Parties,
    /// Canonical relationships (CSV or JSON Lines).
    Relationships,
    /// Canonical shipments (CSV or JSON Lines).
    Shipments,
    /// The US Consolidated Screening List CSV as published.
    Screening,
    /// FollowTheMoney JSON Lines (OpenSanctions, Aleph).
    Ftm,
}

impl InputKind {
    /// The name stored in `sources.kind` and accepted by `--kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Parties => "parties",
            InputKind::Relationships => "relationships",
            InputKind::Shipments => "shipments",
            InputKind::Screening => "screening",
            InputKind::Ftm => "ftm",
        }
    }
}

/// Where a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A row of a parties file (a registry).
    Party,
    /// A screening-list entry.
    Screening,
    /// A FollowTheMoney entity.
    Ftm,
    /// A party named on a shipment.
    Shipment,
}

impl Origin {
    /// The name stored in `records.origin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Party => "party",
            Origin::Screening => "screening",
            Origin::Ftm => "ftm",
            Origin::Shipment => "shipment",
        }
    }
}

/// What a party is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartyKind {
    /// A company or other business.
    Company,
    /// A natural person.
    Person,
    /// A non-company organisation (agency, institute, university…).
    Organization,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
    /// Not stated by the source (parties named on shipments).
    Unknown,
}

impl PartyKind {
    /// The name stored in `records.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Company => "company",
            PartyKind::Person => "person",
            PartyKind::Organization => "organization",
            PartyKind::Vessel => "vessel",
            PartyKind::Aircraft => "aircraft",
            PartyKind::Unknown => "unknown",
        }
    }

    /// Parses a stored or user-given kind ("company", "Person", "organisation", "entity"…).
    pub fn parse(s: &str) -> Option<PartyKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "company" | "business" | "legalentity" | "legal_entity" | "entity" => {
                PartyKind::Company
            }
            "person" | "individual" | "natural_person" => PartyKind::Person,
            "organization" | "organisation" | "org" | "publicbody" => PartyKind::Organization,
            "vessel" => PartyKind::Vessel,
            "aircraft" | "airplane" => PartyKind::Aircraft,
            "unknown" | "" => PartyKind::Unknown,
            _ => return None,
        })
    }
}

/// One party mention, ready to store. Multi-valued fields are `;`-joined; countries are ISO
/// 3166-1 alpha-2; dates ISO 8601.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub source_key: Option<String>,
    pub kind: Option<PartyKind>,
    pub name: String,
    pub aliases: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub registration_id: Option<String>,
    pub incorporated: Option<String>,
    pub dob: Option<String>,
    pub nationality: Option<String>,
    pub list_source: Option<String>,
    pub programs: Option<String>,
    pub party_ref: Option<String>,
    /// JSON object text of unknown columns and extra values.
    pub attrs: Option<String>,
}

/// The kinds of relationship between parties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelKind {
    /// `from` owns shares of `to` (share = percent).
    Owner,
    /// `from` is a director of `to`.
    Director,
    /// `from` is an officer (secretary, CEO, agent…) of `to`.
    Officer,
    /// `from` is a beneficial owner of `to`.
    BeneficialOwner,
    /// `from` and `to` are family.
    Family,
    /// `from` and `to` are associates.
    Associate,
}

impl RelKind {
    /// The name stored in `relationships.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            RelKind::Owner => "owner",
            RelKind::Director => "director",
            RelKind::Officer => "officer",
            RelKind::BeneficialOwner => "beneficial_owner",
            RelKind::Family => "family",
            RelKind::Associate => "associate",
        }
    }

    /// Parses a relationship kind; accepts a few common synonyms.
    pub fn parse(s: &str) -> Option<RelKind> {
        Some(
            match s
                .trim()
                .to_ascii_lowercase()
                .replace([' ', '-'], "_")
                .as_str()
            {
                "owner" | "owns" | "shareholder" | "ownership" => RelKind::Owner,
                "director" | "directorship" => RelKind::Director,
                "officer" => RelKind::Officer,
                "beneficial_owner" | "ubo" => RelKind::BeneficialOwner,
                "family" => RelKind::Family,
                "associate" => RelKind::Associate,
                _ => return None,
            },
        )
    }
}

/// The roles a party can play on a shipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Shipper,
    Consignee,
    Notify,
    EndUser,
    Forwarder,
    Payer,
}

impl Role {
    /// Every role, in the order of the shipments columns.
    pub const ALL: [Role; 6] = [
        Role::Shipper,
        Role::Consignee,
        Role::Notify,
        Role::EndUser,
        Role::Forwarder,
        Role::Payer,
    ];

    /// The role's name, as used in column prefixes (`end_user_name`) and truth keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Shipper => "shipper",
            Role::Consignee => "consignee",
            Role::Notify => "notify",
            Role::EndUser => "end_user",
            Role::Forwarder => "forwarder",
            Role::Payer => "payer",
        }
    }

    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}
