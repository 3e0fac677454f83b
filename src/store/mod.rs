//! The SQLite store: open, migrate, and the small queries every stage shares.
//!
//! Inputs: a database path (created if missing). Output: a [`rusqlite::Connection`] with WAL,
//! foreign keys on, and every file of `schema/` applied in order (tracked with
//! `PRAGMA user_version`). Writes happen in one transaction per input file (see
//! [`crate::ingest`]), so a killed process leaves the database as it was before that file.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

/// The schema files, applied in order; file N brings the database to `user_version` N.
/// `schema/` is the single source of truth: nothing else creates tables.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("001_init", include_str!("../../schema/001_init.sql")),
    ("002_resolve", include_str!("../../schema/002_resolve.sql")),
    ("003_score", include_str!("../../schema/003_score.sql")),
    (
        "004_alert_bound",
        include_str!("../../schema/004_alert_bound.sql"),
    ),
];

/// The schema version this build writes.
pub fn schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Opens (creating if needed) the store at `path` and brings its schema up to date.
///
/// # Errors
/// [`Error::Db`] if SQLite fails; [`Error::SchemaTooNew`] if a newer trawl wrote the file.
pub fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// Opens a fresh in-memory store (tests, benches).
///
/// # Errors
/// [`Error::Db`] if SQLite fails.
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    // WAL: readers never block the writer and a crash mid-transaction rolls back cleanly.
    // synchronous=NORMAL is durable across process crashes in WAL mode (only an OS crash can lose
    // the last committed transaction), which is the guarantee ingest promises.
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -65536;",
    )?;
    Ok(())
}

fn migrate(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let supported = schema_version();
    if current > supported {
        return Err(Error::SchemaTooNew {
            found: current,
            supported,
        });
    }
    for (i, (_name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        tx.commit()?;
    }
    Ok(())
}

/// The current time as RFC 3339 UTC (`2026-11-28T10:42:00Z`), for `sources.ingested_at`.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// A source row as listed by `trawl sources` and the ingest summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceInfo {
    pub id: i64,
    pub path: String,
    pub sha256: String,
    pub kind: String,
    pub ingested_at: String,
    pub rows_read: i64,
    pub rows_accepted: i64,
    pub rows_quarantined: i64,
}

/// Finds an already-ingested source by content hash.
///
/// # Errors
/// [`Error::Db`].
pub fn source_by_sha(conn: &Connection, sha256: &str) -> Result<Option<SourceInfo>> {
    Ok(conn
        .query_row(
            "SELECT id, path, sha256, kind, ingested_at, rows_read, rows_accepted, rows_quarantined
             FROM sources WHERE sha256 = ?1",
            [sha256],
            source_from_row,
        )
        .optional()?)
}

/// Lists every source in ingest order.
///
/// # Errors
/// [`Error::Db`].
pub fn sources(conn: &Connection) -> Result<Vec<SourceInfo>> {
    let mut stmt = conn.prepare(
        "SELECT id, path, sha256, kind, ingested_at, rows_read, rows_accepted, rows_quarantined
         FROM sources ORDER BY id",
    )?;
    let rows = stmt.query_map([], source_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn source_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceInfo> {
    Ok(SourceInfo {
        id: r.get(0)?,
        path: r.get(1)?,
        sha256: r.get(2)?,
        kind: r.get(3)?,
        ingested_at: r.get(4)?,
        rows_read: r.get(5)?,
        rows_accepted: r.get(6)?,
        rows_quarantined: r.get(7)?,
    })
}

/// One quarantined row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QuarantineRow {
    pub source: String,
    pub line: i64,
    pub reason: String,
    pub raw: String,
}

/// Lists quarantined rows, optionally only those of sources whose path contains `source`.
///
/// # Errors
/// [`Error::Db`].
pub fn quarantine(conn: &Connection, source: Option<&str>) -> Result<Vec<QuarantineRow>> {
    let mut stmt = conn.prepare(
        "SELECT s.path, q.line, q.reason, q.raw FROM quarantine q JOIN sources s ON s.id = q.source_id
         WHERE ?1 IS NULL OR instr(s.path, ?1) > 0
         ORDER BY q.source_id, q.line",
    )?;
    let rows = stmt.query_map([source], |r| {
        Ok(QuarantineRow {
            source: r.get(0)?,
            line: r.get(1)?,
            reason: r.get(2)?,
            raw: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Row counts of the main tables, for summaries and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub sources: i64,
    pub records: i64,
    pub relationships: i64,
    pub shipments: i64,
    pub quarantine: i64,
}

/// Counts the rows of the main tables.
///
/// # Errors
/// [`Error::Db`].
pub fn counts(conn: &Connection) -> Result<Counts> {
    let n = |t: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?)
    };
    Ok(Counts {
        sources: n("sources")?,
        records: n("records")?,
        relationships: n("relationships")?,
        shipments: n("shipments")?,
        quarantine: n("quarantine")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_to_latest_and_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let c = open(&path).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema_version());
        drop(c);
        let c = open(&path).unwrap();
        assert_eq!(counts(&c).unwrap(), Counts::default());
    }

    #[test]
    fn refuses_newer_schema() {
        let c = open_in_memory().unwrap();
        c.execute_batch("PRAGMA user_version = 999").unwrap();
        assert!(matches!(
            migrate(&c),
            Err(Error::SchemaTooNew { found: 999, .. })
        ));
    }
}
