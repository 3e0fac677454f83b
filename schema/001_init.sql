-- trawl store, version 1: sources, records (party mentions), relationships, shipments, quarantine.
-- Applied once by store::open when PRAGMA user_version < 1. This file is the single source of
-- truth for the layout; Rust code never creates tables of its own.

-- One ingested file. sha256 is of the file's bytes: the same content is never ingested twice.
CREATE TABLE sources (
    id               INTEGER PRIMARY KEY,
    path             TEXT    NOT NULL,
    sha256           TEXT    NOT NULL UNIQUE,
    kind             TEXT    NOT NULL,  -- parties | relationships | shipments | screening | ftm
    ingested_at      TEXT    NOT NULL,  -- RFC 3339, UTC
    rows_read        INTEGER NOT NULL,
    rows_accepted    INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    CHECK (rows_read = rows_accepted + rows_quarantined)
);

-- One party mention: a registry party, a screening-list entry, a FollowTheMoney entity, or a
-- party named on a shipment (identical mentions within one file share a record).
CREATE TABLE records (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER NOT NULL REFERENCES sources(id),
    line            INTEGER NOT NULL,   -- 1-based physical line of the first mention
    origin          TEXT    NOT NULL,   -- party | screening | ftm | shipment
    source_key      TEXT,               -- the source's own id (party id, CSL entity_number, FtM id)
    kind            TEXT    NOT NULL,   -- company | person | organization | vessel | aircraft | unknown
    name            TEXT    NOT NULL,
    aliases         TEXT,               -- ';'-joined
    address         TEXT,
    city            TEXT,
    postcode        TEXT,
    country         TEXT,               -- ISO 3166-1 alpha-2
    phone           TEXT,               -- ';'-joined
    email           TEXT,               -- ';'-joined
    website         TEXT,               -- ';'-joined
    registration_id TEXT,               -- ';'-joined
    incorporated    TEXT,               -- ISO 8601 date
    dob             TEXT,               -- ISO 8601 date
    nationality     TEXT,               -- ';'-joined alpha-2
    list_source     TEXT,               -- screening: the list (e.g. "Entity List (EL) - ...")
    programs        TEXT,               -- screening: ';'-joined programs
    party_ref       TEXT,               -- shipment mention: the parties id the source gave (*_id)
    attrs           TEXT                -- JSON object: unknown columns and extra values, or NULL
);
CREATE INDEX records_source_key ON records(source_key) WHERE source_key IS NOT NULL;

-- A relationship between two records: owner, director, officer, beneficial_owner, family,
-- associate. from_record owns / directs / is related to to_record.
CREATE TABLE relationships (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources(id),
    line        INTEGER NOT NULL,
    from_record INTEGER NOT NULL REFERENCES records(id),
    to_record   INTEGER NOT NULL REFERENCES records(id),
    kind        TEXT    NOT NULL,
    share       REAL,                   -- percent, 0..=100, owners only
    start_date  TEXT,
    end_date    TEXT,
    attrs       TEXT
);
CREATE INDEX relationships_from ON relationships(from_record);
CREATE INDEX relationships_to ON relationships(to_record);

-- One shipment line item. Each party role points at the record of its mention.
CREATE TABLE shipments (
    id                  INTEGER PRIMARY KEY,
    source_id           INTEGER NOT NULL REFERENCES sources(id),
    line                INTEGER NOT NULL,
    shipment_key        TEXT    NOT NULL,   -- the source's shipment id
    date                TEXT    NOT NULL,   -- ISO 8601 date
    shipper_record      INTEGER REFERENCES records(id),
    consignee_record    INTEGER NOT NULL REFERENCES records(id),
    notify_record       INTEGER REFERENCES records(id),
    end_user_record     INTEGER REFERENCES records(id),
    forwarder_record    INTEGER REFERENCES records(id),
    payer_record        INTEGER REFERENCES records(id),
    origin_country      TEXT,
    destination_country TEXT,
    transit_countries   TEXT,               -- ';'-joined alpha-2
    hs_code             TEXT,
    product             TEXT,
    description         TEXT,
    quantity            REAL,
    value_usd           REAL,
    order_ref           TEXT,
    attrs               TEXT
);
CREATE INDEX shipments_key ON shipments(shipment_key);

-- A row that could not be accepted, with the reason a person can act on.
CREATE TABLE quarantine (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line      INTEGER NOT NULL,
    raw       TEXT    NOT NULL,          -- the row as read (lossy UTF-8 if it was not UTF-8)
    reason    TEXT    NOT NULL
);
CREATE INDEX quarantine_source ON quarantine(source_id, line);
