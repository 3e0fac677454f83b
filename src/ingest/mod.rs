//! Ingest: read input files into the store, every row with its file and line.
//!
//! Inputs: files of the kinds in DESIGN.md's data contracts — canonical parties, relationships
//! and shipments (CSV or JSON Lines), the US Consolidated Screening List CSV, FollowTheMoney JSON
//! Lines. Output: rows in `sources`, `records`, `relationships`, `shipments` and `quarantine`,
//! and a [`FileSummary`] per file.
//!
//! Guarantees:
//! - **One file, one transaction.** A file is written whole or not at all; a killed process
//!   leaves the store as it was before that file.
//! - **Idempotent.** A file whose content (sha256) was already ingested adds nothing.
//! - **Nothing lost.** rows read = accepted + quarantined; each quarantined row keeps its line,
//!   raw text and a reason. `strict` stops at the first bad row and keeps nothing of the file.
//! - **Refused, not guessed.** A file that is not what its kind expects is refused before
//!   anything is written.

pub mod country;
mod detect;
mod ftm;
mod parties;
mod relationships;
mod rows;
mod screening;
mod shipments;
mod sink;
pub mod value;

use std::fs::File;
use std::io::{BufReader, IsTerminal, Read};
use std::path::Path;

use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

pub use detect::{Format, Sniffed, sniff};
pub use rows::ReadAhead;
pub use screening::{CslAddress, parse_address};
pub use sink::RowCounts;

/// The columns of a canonical parties file, in their canonical order.
pub const PARTY_COLUMNS: &[&str] = parties::COLUMNS;

/// The 28 columns of the Consolidated Screening List CSV, in published order.
pub const SCREENING_COLUMNS: &[&str] = screening::COLUMNS.split_at(28).0;

use crate::error::{Error, Result};
use crate::model::{InputKind, SourceId};
use rows::read_table;

/// Options of one ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// The kind of every file; detected per file when `None`.
    pub kind: Option<InputKind>,
    /// Stop at the first bad row, keeping nothing of that file.
    pub strict: bool,
    /// Show a progress bar on stderr (only when it is a terminal).
    pub progress: bool,
}

/// What happened to one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileSummary {
    pub path: String,
    pub kind: InputKind,
    pub sha256: String,
    /// The source row: new, or the earlier one with the same content.
    pub source_id: SourceId,
    /// True when the same content was ingested before and nothing was added.
    pub already_ingested: bool,
    pub counts: RowCounts,
}

/// Ingests one file in one transaction.
///
/// # Errors
/// [`Error::Refused`] when the file is not what its kind expects (nothing written);
/// [`Error::Parse`] on the first bad row under `strict` (nothing of the file kept);
/// [`Error::Io`], [`Error::Db`].
pub fn ingest_file(
    conn: &mut Connection,
    path: &Path,
    opts: &IngestOptions,
) -> Result<FileSummary> {
    let sniffed = sniff(path, opts.kind)?;
    let sha256 = sha256_file(path)?;
    let display = path.display().to_string();
    if let Some(prev) = crate::store::source_by_sha(conn, &sha256)? {
        return Ok(FileSummary {
            path: display,
            kind: sniffed.kind,
            sha256,
            source_id: SourceId(prev.id),
            already_ingested: true,
            counts: RowCounts {
                read: prev.rows_read as u64,
                accepted: prev.rows_accepted as u64,
                quarantined: prev.rows_quarantined as u64,
                ..RowCounts::default()
            },
        });
    }
    // Every reference ingest writes is to a row it has just written or looked up in the same
    // transaction, so the per-row foreign-key checks (seven index probes per shipment) are
    // redundant work; they are switched off for the file's transaction only (the pragma cannot
    // change inside a transaction) and `tests/` checks `PRAGMA foreign_key_check` after ingest.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let result = ingest_source(conn, path, opts, sniffed, sha256, display);
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    result
}

/// Writes one sniffed, not yet ingested file in its transaction.
fn ingest_source(
    conn: &mut Connection,
    path: &Path,
    opts: &IngestOptions,
    sniffed: Sniffed,
    sha256: String,
    display: String,
) -> Result<FileSummary> {
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    let bar = progress_bar(opts.progress, len, &display);
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO sources (path, sha256, kind, ingested_at, rows_read, rows_accepted,
             rows_quarantined) VALUES (?1, ?2, ?3, ?4, 0, 0, 0)",
        params![
            display,
            sha256,
            sniffed.kind.as_str(),
            crate::store::now_utc()
        ],
    )?;
    let source = SourceId(tx.last_insert_rowid());
    let counts = {
        let mut sink = sink::Sink::new(&tx, source, path, opts.strict)?;
        let (path, format, bar) = (path, sniffed.format, bar.as_ref());
        match sniffed.kind {
            InputKind::Ftm => ftm::read(path, &mut sink, bar)?,
            InputKind::Parties => read_table(path, format, &mut parties::Parties, &mut sink, bar)?,
            InputKind::Relationships => read_table(
                path,
                format,
                &mut relationships::Relationships,
                &mut sink,
                bar,
            )?,
            InputKind::Shipments => read_table(
                path,
                format,
                &mut shipments::Shipments::default(),
                &mut sink,
                bar,
            )?,
            InputKind::Screening => {
                read_table(path, format, &mut screening::Screening, &mut sink, bar)?
            }
        }
        sink.counts
    };
    finish(tx, source, counts, bar, display, sniffed.kind, sha256)
}

/// Records the file's counts on its source row and commits its transaction.
fn finish(
    tx: rusqlite::Transaction<'_>,
    source: SourceId,
    counts: RowCounts,
    bar: Option<indicatif::ProgressBar>,
    path: String,
    kind: InputKind,
    sha256: String,
) -> Result<FileSummary> {
    tx.execute(
        "UPDATE sources SET rows_read = ?2, rows_accepted = ?3, rows_quarantined = ?4 WHERE id = ?1",
        params![source.0, counts.read as i64, counts.accepted as i64, counts.quarantined as i64],
    )?;
    tx.commit()?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(FileSummary {
        path,
        kind,
        sha256,
        source_id: source,
        already_ingested: false,
        counts,
    })
}

/// The sha256 of a file's bytes, as lowercase hex.
///
/// # Errors
/// [`Error::Io`].
pub fn sha256_file(path: &Path) -> Result<String> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rdr = BufReader::with_capacity(1 << 20, file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = rdr.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn progress_bar(wanted: bool, len: u64, name: &str) -> Option<indicatif::ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(name.to_owned());
    Some(bar)
}
