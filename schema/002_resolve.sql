-- trawl store, version 2: entity resolution (trawl resolve). Every run rewrites entities,
-- entity_records, merge_evidence and possible_matches in one transaction; overrides, the id
-- counter and the run log persist across runs.

-- One resolved party. Ids are stable: a cluster keeps the id most of its records had in the
-- previous run; new clusters take resolve_state.next_entity_id (never reused).
CREATE TABLE entities (
    id            INTEGER PRIMARY KEY,
    kind          TEXT    NOT NULL,   -- company | organization | person | vessel | aircraft
    name          TEXT    NOT NULL,   -- representative name: the most common spelling
    country       TEXT,               -- most common country (alpha-2) of the records
    record_count  INTEGER NOT NULL,
    legal_form    TEXT,               -- most common recognised legal form (canonical)
    anchor_record INTEGER NOT NULL REFERENCES records(id)  -- smallest record id
);

-- Every record belongs to exactly one entity after trawl resolve (singletons included).
CREATE TABLE entity_records (
    record_id INTEGER PRIMARY KEY REFERENCES records(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id)
);
CREATE INDEX entity_records_entity ON entity_records(entity_id);

-- Why records were merged: the accepted pairs that connect each entity, strongest first (a
-- maximum spanning forest over the accepted pairs inside the entity, so every record's merge is
-- justified by its best link; override pairs always), record_a < record_b, with the match
-- weight (posterior log-odds, bits), probability and per-feature contributions written
-- "feature=level:+bits" separated by spaces. reason: model | override.
CREATE TABLE merge_evidence (
    record_a    INTEGER NOT NULL REFERENCES records(id),
    record_b    INTEGER NOT NULL REFERENCES records(id),
    entity_id   INTEGER NOT NULL REFERENCES entities(id),
    weight      REAL    NOT NULL,
    probability REAL    NOT NULL,
    features    TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    PRIMARY KEY (record_a, record_b)
) WITHOUT ROWID;
CREATE INDEX merge_evidence_entity ON merge_evidence(entity_id);

-- Possible matches between *different* entities: for each pair of entities, the best pair of
-- their records whose match probability is at least the run's possible_threshold (default 0.3):
-- just below the merge threshold, or accepted by the model but separated by the anti-chaining
-- guard or an override. Downstream stages use them for an "upper bound" grouping (treat the two
-- entities as possibly one party). record_a < record_b.
CREATE TABLE possible_matches (
    record_a    INTEGER NOT NULL REFERENCES records(id),
    record_b    INTEGER NOT NULL REFERENCES records(id),
    weight      REAL    NOT NULL,
    probability REAL    NOT NULL,
    features    TEXT    NOT NULL,
    reason      TEXT    NOT NULL,   -- below threshold | split by guard or override | registered apart
    PRIMARY KEY (record_a, record_b)
) WITHOUT ROWID;
CREATE INDEX possible_matches_b ON possible_matches(record_b);

-- Analyst decisions that win over the model and survive re-runs (record_a < record_b).
CREATE TABLE resolve_overrides (
    record_a INTEGER NOT NULL REFERENCES records(id),
    record_b INTEGER NOT NULL REFERENCES records(id),
    decision TEXT    NOT NULL CHECK (decision IN ('same', 'different')),
    note     TEXT,
    PRIMARY KEY (record_a, record_b)
) WITHOUT ROWID;

-- Counters that outlive a run (next_entity_id).
CREATE TABLE resolve_state (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per run: settings, fitted model (lambda, m, u) and summary, as JSON. explain-match
-- uses the latest model.
CREATE TABLE resolve_runs (
    id      INTEGER PRIMARY KEY,
    run_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    config  TEXT NOT NULL,
    model   TEXT NOT NULL,
    summary TEXT NOT NULL
);
