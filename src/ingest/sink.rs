//! The write side of one file's ingest: every accepted row and every quarantined row goes
//! through a [`Sink`], inside the file's single transaction.
//!
//! The sink counts rows (read = accepted + quarantined), enforces `--strict`, and keeps the SQL
//! in one place: statements are prepared once per transaction (`prepare_cached`) and every value
//! is a bound parameter.

use std::path::{Path, PathBuf};

use rusqlite::{Statement, Transaction, params};

use crate::error::{Error, Result};
use crate::model::{Origin, PartyKind, Record, RecordId, SourceId};

/// A relationship ready to store.
#[derive(Debug, Clone)]
pub struct RelationshipRow {
    pub from: RecordId,
    pub to: RecordId,
    pub kind: &'static str,
    pub share: Option<f64>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub attrs: Option<String>,
}

/// A shipment line item ready to store; party roles are filled in by the writer.
#[derive(Debug, Clone, Default)]
pub struct ShipmentRow {
    pub key: String,
    pub date: String,
    pub origin_country: Option<&'static str>,
    pub destination_country: Option<&'static str>,
    pub transit_countries: Option<String>,
    pub hs_code: Option<String>,
    pub product: Option<String>,
    pub description: Option<String>,
    pub quantity: Option<f64>,
    pub value_usd: Option<f64>,
    pub order_ref: Option<String>,
    pub attrs: Option<String>,
}

/// Row counts of one file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RowCounts {
    /// Rows read (blank lines are not rows).
    pub read: u64,
    /// Rows accepted into the store.
    pub accepted: u64,
    /// Rows sent to the quarantine.
    pub quarantined: u64,
    /// Records (party mentions) written.
    pub records: u64,
    /// Relationships written.
    pub relationships: u64,
    /// Shipments written.
    pub shipments: u64,
}

const INSERT_RECORD: &str = "INSERT INTO records (source_id, line, origin, source_key, kind, name,
        aliases, address, city, postcode, country, phone, email, website, registration_id,
        incorporated, dob, nationality, list_source, programs, party_ref, attrs)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
        ?20, ?21, ?22)";

const INSERT_SHIPMENT: &str = "INSERT INTO shipments (source_id, line, shipment_key, date,
        shipper_record, consignee_record, notify_record, end_user_record, forwarder_record,
        payer_record, origin_country, destination_country, transit_countries, hs_code, product,
        description, quantity, value_usd, order_ref, attrs)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
        ?20)";

/// Writes one file's rows inside its transaction.
///
/// The two hot statements are prepared once and held here: `prepare_cached` would hash and
/// compare the SQL text on every row.
pub struct Sink<'t> {
    tx: &'t Transaction<'t>,
    insert_record: Statement<'t>,
    insert_shipment: Statement<'t>,
    source: SourceId,
    path: PathBuf,
    strict: bool,
    /// Row counts so far.
    pub counts: RowCounts,
}

impl<'t> Sink<'t> {
    /// A sink writing rows of `source` (already inserted) within `tx`.
    ///
    /// # Errors
    /// [`Error::Db`] if the statements cannot be prepared.
    pub fn new(
        tx: &'t Transaction<'t>,
        source: SourceId,
        path: &Path,
        strict: bool,
    ) -> Result<Self> {
        Ok(Sink {
            tx,
            insert_record: tx.prepare(INSERT_RECORD)?,
            insert_shipment: tx.prepare(INSERT_SHIPMENT)?,
            source,
            path: path.to_owned(),
            strict,
            counts: RowCounts::default(),
        })
    }

    /// The transaction, for readers that need a lookup (relationship endpoints).
    pub fn tx(&self) -> &Transaction<'t> {
        self.tx
    }

    /// Counts one row read; call before accepting or quarantining it.
    pub fn row_read(&mut self) {
        self.counts.read += 1;
    }

    /// Counts one row accepted.
    pub fn row_accepted(&mut self) {
        self.counts.accepted += 1;
    }

    /// Sends a row to the quarantine with the reason, or under `--strict` stops with an error
    /// (the caller then drops the transaction, so nothing of the file is kept).
    ///
    /// # Errors
    /// [`Error::Parse`] under `--strict`; [`Error::Db`] if the write fails.
    pub fn quarantine(&mut self, line: u64, raw: &str, reason: &str) -> Result<()> {
        if self.strict {
            return Err(Error::Parse {
                path: self.path.clone(),
                line,
                reason: reason.to_owned(),
            });
        }
        self.counts.quarantined += 1;
        self.tx
            .prepare_cached(
                "INSERT INTO quarantine (source_id, line, raw, reason) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![self.source.0, line as i64, raw, reason])?;
        Ok(())
    }

    /// Writes a record (party mention) first seen at `line`.
    ///
    /// # Errors
    /// [`Error::Db`].
    pub fn record(&mut self, origin: Origin, line: u64, r: &Record) -> Result<RecordId> {
        self.insert_record.execute(params![
            self.source.0,
            line as i64,
            origin.as_str(),
            r.source_key,
            r.kind.unwrap_or(PartyKind::Unknown).as_str(),
            r.name,
            r.aliases,
            r.address,
            r.city,
            r.postcode,
            r.country,
            r.phone,
            r.email,
            r.website,
            r.registration_id,
            r.incorporated,
            r.dob,
            r.nationality,
            r.list_source,
            r.programs,
            r.party_ref,
            r.attrs,
        ])?;
        self.counts.records += 1;
        Ok(RecordId(self.tx.last_insert_rowid()))
    }

    /// Writes a relationship read at `line`.
    ///
    /// # Errors
    /// [`Error::Db`].
    pub fn relationship(&mut self, line: u64, r: &RelationshipRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO relationships (source_id, line, from_record, to_record, kind, share,
                     start_date, end_date, attrs)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                self.source.0,
                line as i64,
                r.from.0,
                r.to.0,
                r.kind,
                r.share,
                r.start,
                r.end,
                r.attrs
            ])?;
        self.counts.relationships += 1;
        Ok(())
    }

    /// Writes a shipment line item read at `line`.
    ///
    /// # Errors
    /// [`Error::Db`].
    /// `roles` holds the record of each party role, in [`crate::model::Role::ALL`] order.
    pub fn shipment(
        &mut self,
        line: u64,
        s: &ShipmentRow,
        roles: &[Option<RecordId>; 6],
    ) -> Result<()> {
        let id = |r: Option<RecordId>| r.map(|r| r.0);
        self.insert_shipment.execute(params![
            self.source.0,
            line as i64,
            s.key,
            s.date,
            id(roles[0]),
            id(roles[1]),
            id(roles[2]),
            id(roles[3]),
            id(roles[4]),
            id(roles[5]),
            s.origin_country,
            s.destination_country,
            s.transit_countries,
            s.hs_code,
            s.product,
            s.description,
            s.quantity,
            s.value_usd,
            s.order_ref,
            s.attrs
        ])?;
        self.counts.shipments += 1;
        Ok(())
    }

    /// Finds the record a source gave the id `key` (a parties id or FtM id), preferring this
    /// file's own records, then the most recently ingested.
    ///
    /// # Errors
    /// [`Error::Db`].
    pub fn lookup_key(&self, key: &str) -> Result<Option<RecordId>> {
        // The preference is applied here rather than in an ORDER BY on a bound parameter, which
        // made SQLite re-prepare the statement on every call.
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, source_id FROM records
             WHERE source_key = ?1 AND origin IN ('party', 'ftm', 'screening')",
        )?;
        let mut rows = stmt.query([key])?;
        let mut best: Option<(bool, i64)> = None;
        while let Some(row) = rows.next()? {
            let candidate = (
                row.get::<_, i64>(1)? == self.source.0,
                row.get::<_, i64>(0)?,
            );
            best = best.max(Some(candidate));
        }
        Ok(best.map(|(_, id)| RecordId(id)))
    }
}
