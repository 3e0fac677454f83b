-- trawl store, version 4 (003 is the graph's): scoring (trawl score). Every run rewrites
-- score_groups, entity_scores, group_totals, score_names, alerts and alert_members in one
-- transaction; score_runs keeps one row per run with the profile applied.

-- One row per scoring run: the profile (name and full TOML as applied) and the summary (JSON).
CREATE TABLE score_runs (
    id          INTEGER PRIMARY KEY,
    run_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    policy      TEXT NOT NULL,
    policy_toml TEXT NOT NULL,
    summary     TEXT NOT NULL
);

-- Beneficiary groups: every node entity (consignee or end user of controlled goods) in its
-- lower-bound (strong links) and upper-bound (possible links too) group. group_id is the
-- smallest entity id of the group.
CREATE TABLE score_groups (
    bound     TEXT    NOT NULL CHECK (bound IN ('lower', 'upper')),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    group_id  INTEGER NOT NULL,
    PRIMARY KEY (bound, entity_id)
) WITHOUT ROWID;
CREATE INDEX score_groups_group ON score_groups(bound, group_id);

-- Risk score of each node entity on its own and of its lower-bound group (noisy-or of the
-- weighted detector scores); detectors: JSON object detector -> score.
CREATE TABLE entity_scores (
    entity_id   INTEGER PRIMARY KEY REFERENCES entities(id),
    group_id    INTEGER NOT NULL,
    score       REAL    NOT NULL,
    group_score REAL    NOT NULL,
    detectors   TEXT    NOT NULL
);

-- Totals of each lower-bound group per window (the measure of the profile), for score-log's
-- running totals. window: the calendar year, or the first day of a rolling window.
CREATE TABLE group_totals (
    group_id INTEGER NOT NULL,
    window   TEXT    NOT NULL,
    total    REAL    NOT NULL,
    PRIMARY KEY (group_id, window)
) WITHOUT ROWID;

-- Folded party names → entity, for matching the parties of a new shipment log (score-log).
CREATE TABLE score_names (
    name      TEXT    PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id)
) WITHOUT ROWID;

-- Ranked alerts with their evidence bundle (JSON): members and links with source file + line,
-- orders with source lines and TPP conversion, threshold and window, lower/upper totals, and
-- each detector's contribution.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,   -- = rank
    group_id    INTEGER NOT NULL,
    score       REAL    NOT NULL,
    title       TEXT    NOT NULL,
    members     INTEGER NOT NULL,
    lower_total REAL    NOT NULL,
    upper_total REAL    NOT NULL,
    threshold   REAL    NOT NULL,
    window      TEXT    NOT NULL,
    detectors   TEXT    NOT NULL,      -- comma-separated detectors that fired
    bundle      TEXT    NOT NULL
);

-- The entities of each alert: role member (a consignee / ultimate consignee of the group) or
-- linked (a party that ties members: shared end user, notify party, payer, owner, …).
CREATE TABLE alert_members (
    alert_id  INTEGER NOT NULL REFERENCES alerts(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    role      TEXT    NOT NULL,
    PRIMARY KEY (alert_id, entity_id)
) WITHOUT ROWID;
