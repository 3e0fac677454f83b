//! Row readers for the tabular formats: CSV and JSON Lines with the same field names.
//!
//! Both hand each row to a [`TableKind`] as [`Fields`]: the values of the kind's known columns by
//! index, plus every unknown column (kept as attributes, never dropped). A row the parser rejects,
//! and a row the format itself rejects (quote error, wrong field count, invalid UTF-8, invalid
//! JSON), goes to the quarantine with its line and the raw text as read.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{Error, Result};
use crate::ingest::detect::Format;
use crate::ingest::sink::Sink;

/// One row's values: the kind's known columns by index, and the unknown columns by name.
pub struct Fields<'a> {
    known: Vec<Option<&'a str>>,
    extra: Vec<(&'a str, &'a str)>,
}

impl<'a> Fields<'a> {
    /// The trimmed value of known column `i`; empty is `None`.
    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.known
            .get(i)
            .copied()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The unknown columns (and any values a parser wants kept) as a JSON object, or `None`
    /// when there are none.
    pub fn attrs_json(&self) -> Option<String> {
        attrs_json(self.extra.iter().copied())
    }

    #[cfg(test)]
    pub fn from_pairs(columns: &[&str], pairs: &'a [(&'a str, &'a str)]) -> Fields<'a> {
        let mut known = vec![None; columns.len()];
        let mut extra = Vec::new();
        for (k, v) in pairs {
            match columns.iter().position(|c| c == k) {
                Some(i) => known[i] = Some(*v),
                None => extra.push((*k, *v)),
            }
        }
        Fields { known, extra }
    }
}

/// Builds a JSON object from non-empty key/value pairs; `None` when there are none.
pub fn attrs_json<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Option<String> {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.trim().to_owned())))
        .collect();
    (!map.is_empty()).then(|| serde_json::Value::Object(map).to_string())
}

/// A tabular input kind: how to parse one row (on the reader thread, no state, nothing
/// written) and how to write what was parsed (on the writer thread, inside the transaction).
pub trait TableKind {
    /// A validated row, owned, ready to write.
    type Parsed: Send;

    /// The known columns of this kind, in index order for [`Fields::get`].
    const COLUMNS: &'static [&'static str];

    /// Validates one row. `Err(reason)` sends it to the quarantine. Pure: it runs on the reader
    /// thread while the previous rows are being written.
    ///
    /// # Errors
    /// The reason the row cannot be accepted, in words a person understands.
    fn parse(fields: &Fields<'_>) -> std::result::Result<Self::Parsed, String>;

    /// Writes one parsed row. `Ok(Err(reason))` quarantines it (e.g. a relationship naming an
    /// unknown party); a writer must check everything before it writes anything.
    ///
    /// # Errors
    /// Store failures, which stop the file.
    fn write(
        &mut self,
        sink: &mut Sink<'_>,
        line: u64,
        parsed: &Self::Parsed,
    ) -> Result<std::result::Result<(), String>>;
}

/// Where a row's raw text can be found again, should the writer have to quarantine it.
enum Raw {
    /// Bytes `begin..end` of the file (CSV).
    Range(u64, u64),
    /// The line itself (JSON Lines).
    Text(String),
}

/// What the reader thread hands the writer.
enum Item<P> {
    /// A row that parsed.
    Row { line: u64, raw: Raw, parsed: P },
    /// A row the format or the parser rejected.
    Bad {
        line: u64,
        raw: String,
        reason: String,
    },
}

/// Rows travel between the threads in batches, to keep channel overhead off the per-row cost.
const BATCH: usize = 1024;

/// Collects items into batches and sends them; a closed channel means the writer stopped
/// (`--strict`, or an error), so the reader stops too.
struct Batcher<P> {
    tx: std::sync::mpsc::SyncSender<Vec<Item<P>>>,
    /// Batches the writer has finished with, to be freed (and their vector reused) here.
    done: std::sync::mpsc::Receiver<Vec<Item<P>>>,
    batch: Vec<Item<P>>,
}

impl<P> Batcher<P> {
    /// Queues an item; `false` when the writer has gone.
    fn push(&mut self, item: Item<P>) -> bool {
        self.batch.push(item);
        if self.batch.len() < BATCH {
            return true;
        }
        let next = match self.done.try_recv() {
            Ok(mut old) => {
                old.clear();
                old
            }
            Err(_) => Vec::with_capacity(BATCH),
        };
        let full = std::mem::replace(&mut self.batch, next);
        self.tx.send(full).is_ok()
    }

    fn flush(self) {
        if !self.batch.is_empty() {
            let _ = self.tx.send(self.batch);
        }
    }
}

/// Reads a CSV or JSON Lines file of kind `K` and writes it through `sink`.
///
/// Two stages on two threads: the reader parses, validates and normalises rows (CSV/JSON,
/// UTF-8, fields) while the writer inserts the previous batch into SQLite. Items stay in file
/// order, so the result is the same as a single-threaded read.
///
/// # Errors
/// Store failures, I/O errors, and the first bad row under `--strict`.
pub fn read_table<K: TableKind>(
    path: &Path,
    format: Format,
    kind: &mut K,
    sink: &mut Sink<'_>,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Item<K::Parsed>>>(8);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<Item<K::Parsed>>>();
    let mut raw_file = File::open(path).map_err(|e| Error::io(path, e))?;
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("trawl-reader".into())
            .spawn_scoped(scope, move || {
                let batcher = Batcher {
                    tx,
                    done: done_rx,
                    batch: Vec::with_capacity(BATCH),
                };
                match format {
                    Format::Csv => {
                        read_csv::<K::Parsed>(path, K::COLUMNS, K::parse, batcher, progress)
                    }
                    Format::JsonLines => {
                        read_jsonl::<K::Parsed>(path, K::COLUMNS, K::parse, batcher, progress)
                    }
                }
            });
        let reader = reader.map_err(|e| Error::io(path, e))?;
        let written = (move || -> Result<()> {
            for batch in rx {
                for item in &batch {
                    sink.row_read();
                    match item {
                        Item::Bad { line, raw, reason } => sink.quarantine(*line, raw, reason)?,
                        Item::Row { line, raw, parsed } => match kind.write(sink, *line, parsed)? {
                            Ok(()) => sink.row_accepted(),
                            Err(reason) => {
                                let raw = match raw {
                                    Raw::Text(t) => t.clone(),
                                    Raw::Range(b, e) => read_range(&mut raw_file, *b, *e)
                                        .map_err(|e| Error::io(path, e))?,
                                };
                                sink.quarantine(*line, raw.trim_end(), &reason)?;
                            }
                        },
                    }
                }
                // Freeing a batch's strings is the reader's work: it has cycles to spare.
                let _ = done_tx.send(batch);
            }
            Ok(())
        })();
        let read = reader.join().unwrap_or_else(|_| {
            Err(Error::Parse {
                path: path.to_owned(),
                line: 0,
                reason: "reader thread failed".into(),
            })
        });
        // A write error (or --strict) stops the reader; report the writer's error first.
        written.and(read)
    })
}

/// Moves the progress bar, if any, to `bytes` read.
fn progress_at(bar: Option<&indicatif::ProgressBar>, bytes: u64) {
    if let Some(bar) = bar {
        bar.set_position(bytes);
    }
}

/// Normalises a header cell: trimmed, lowercase, BOM removed.
fn header_name(h: &str) -> String {
    h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase()
}

/// Reads the header names of a CSV file.
///
/// # Errors
/// [`Error::Refused`] when the header is not valid UTF-8 CSV.
pub fn csv_headers(path: &Path) -> Result<Vec<String>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let headers = rdr.headers().map_err(|e| Error::Refused {
        path: path.to_owned(),
        reason: format!("the header row is not valid CSV text: {e}"),
    })?;
    Ok(headers.iter().map(header_name).collect())
}

/// The reader stage for CSV: parses rows and hands them to the writer in file order.
///
/// Rows with the wrong number of fields are rejected; a quoted field that is never closed
/// swallows the rest of the file into one record, so such a record is detected (wrong field count
/// and spanning several lines), its first line is rejected as an unbalanced quote, and reading
/// resumes at the next line.
fn read_csv<P>(
    path: &Path,
    columns: &[&str],
    parse: fn(&Fields<'_>) -> std::result::Result<P, String>,
    mut out: Batcher<P>,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let io = |e| Error::io(path, e);
    let file = File::open(path).map_err(io)?;
    let mut raw_file = File::open(path).map_err(io)?;
    let mut ahead = ReadAhead {
        file: File::open(path).map_err(io)?,
        buf: Vec::new(),
        start: 0,
    };
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let headers: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| Error::Parse {
            path: path.to_owned(),
            line: 1,
            reason: e.to_string(),
        })?
        .iter()
        .map(|h| header_name(&String::from_utf8_lossy(h)))
        .collect();
    // Map each header once to a known column index, or keep it as an attribute name.
    let slots: Vec<Option<usize>> = headers
        .iter()
        .map(|h| columns.iter().position(|c| c == h))
        .collect();
    let width = headers.len();

    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    loop {
        let start = rdr.position().clone();
        let more = rdr
            .read_byte_record(&mut record)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(e) => Error::io(path, e),
                other => Error::Parse {
                    path: path.to_owned(),
                    line: start.line(),
                    reason: format!("{other:?}"),
                },
            })?;
        if !more {
            break;
        }
        let line = record.position().map_or(start.line(), |p| p.line());
        let begin = record.position().map_or(start.byte(), |p| p.byte());
        let end = rdr.position().byte();
        // The csv crate places a record after the previous terminator's '\r' (CRLF files) and
        // before any blank lines it skipped: step over those to the row's own first byte and line.
        let (skipped, newlines) = ahead.line_breaks(begin).map_err(io)?;
        let (line, begin) = (line + newlines, begin + skipped);
        rows += 1;
        if rows % 16_384 == 0 {
            progress_at(progress, end);
        }
        // A blank line is not a row.
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        let bad = |raw: &str, reason: String| Item::Bad {
            line,
            raw: raw.trim_end().to_owned(),
            reason,
        };
        let item = if record.len() != width {
            let raw = read_range(&mut raw_file, begin, end).map_err(io)?;
            let first = raw.split('\n').next().unwrap_or("");
            let spans_lines = rdr.position().line() > line + 1;
            if spans_lines && first.matches('"').count() % 2 == 1 {
                // Unbalanced quote: reject the first physical line, resume after it.
                let mut pos = csv::Position::new();
                pos.set_byte(begin + first.len() as u64 + 1)
                    .set_line(line + 1);
                rdr.seek(pos).map_err(|e| Error::Parse {
                    path: path.to_owned(),
                    line,
                    reason: e.to_string(),
                })?;
                bad(
                    first.trim_end_matches('\r'),
                    "unbalanced quote: a quoted field that starts on this line is never closed"
                        .into(),
                )
            } else {
                bad(
                    &raw,
                    format!(
                        "expected {width} fields as in the header, found {} (an unquoted comma \
                         or a missing field?)",
                        record.len()
                    ),
                )
            }
        } else {
            let mut known: Vec<Option<&str>> = vec![None; columns.len()];
            let mut extra: Vec<(&str, &str)> = Vec::new();
            let mut bad_utf8 = None;
            for (i, bytes) in record.iter().enumerate() {
                let Ok(value) = std::str::from_utf8(bytes) else {
                    bad_utf8 = Some(i);
                    break;
                };
                match slots[i] {
                    Some(k) => known[k] = Some(value),
                    None => extra.push((headers[i].as_str(), value)),
                }
            }
            match bad_utf8 {
                Some(i) => {
                    let raw = read_range(&mut raw_file, begin, end).map_err(io)?;
                    bad(&raw, format!("invalid UTF-8 in column '{}'", headers[i]))
                }
                None => match parse(&Fields { known, extra }) {
                    Ok(parsed) => Item::Row {
                        line,
                        raw: Raw::Range(begin, end),
                        parsed,
                    },
                    Err(reason) => {
                        let raw = read_range(&mut raw_file, begin, end).map_err(io)?;
                        bad(&raw, reason)
                    }
                },
            }
        };
        if !out.push(item) {
            return Ok(());
        }
    }
    progress_at(progress, rdr.position().byte());
    out.flush();
    Ok(())
}

/// A forward-only window over a file, to look at the bytes where each CSV record starts (the
/// csv crate places a record after the previous terminator's `\r` in CRLF files and before any
/// blank lines it skips).
pub struct ReadAhead {
    file: File,
    buf: Vec<u8>,
    /// File offset of `buf[0]`.
    start: u64,
}

impl ReadAhead {
    const WINDOW: usize = 1 << 16;

    /// A window over the file at `path`.
    ///
    /// # Errors
    /// The file cannot be opened.
    pub fn open(path: &Path) -> std::io::Result<ReadAhead> {
        Ok(ReadAhead {
            file: File::open(path)?,
            buf: Vec::new(),
            start: 0,
        })
    }

    /// Counts the line-break bytes (`\r`, `\n`) at `at` and how many of them are `\n`.
    /// Offsets only grow, so each part of the file is read once.
    ///
    /// # Errors
    /// Reading the file failed.
    pub fn line_breaks(&mut self, at: u64) -> std::io::Result<(u64, u64)> {
        let (mut skipped, mut newlines) = (0u64, 0u64);
        loop {
            let pos = at + skipped;
            let end = self.start + self.buf.len() as u64;
            if pos < self.start || pos >= end {
                self.buf.resize(Self::WINDOW, 0);
                self.file.seek(SeekFrom::Start(pos))?;
                let n = self.file.read(&mut self.buf)?;
                self.buf.truncate(n);
                self.start = pos;
                if n == 0 {
                    return Ok((skipped, newlines));
                }
            }
            match self.buf[(pos - self.start) as usize] {
                b'\n' => newlines += 1,
                b'\r' => {}
                _ => return Ok((skipped, newlines)),
            }
            skipped += 1;
        }
    }
}

/// Reads bytes `begin..end` of a file as (lossy) text, for the quarantine's raw column.
fn read_range(file: &mut File, begin: u64, end: u64) -> std::io::Result<String> {
    let mut buf = vec![0; end.saturating_sub(begin).min(1 << 20) as usize];
    file.seek(SeekFrom::Start(begin))?;
    let n = file.read(&mut buf)?;
    buf.truncate(n);
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Calls `each(line_number, line_bytes)` for every non-blank line of a JSON Lines file, reusing
/// one buffer.
///
/// # Errors
/// I/O errors, and whatever `each` returns.
pub fn for_each_line(
    path: &Path,
    progress: Option<&indicatif::ProgressBar>,
    mut each: impl FnMut(u64, &[u8]) -> Result<()>,
) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut rdr = BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::with_capacity(4096);
    let mut line = 0u64;
    let mut bytes = 0u64;
    loop {
        buf.clear();
        let n = rdr
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        line += 1;
        bytes += n as u64;
        if line % 16_384 == 0 {
            progress_at(progress, bytes);
        }
        let mut text: &[u8] = &buf;
        if line == 1 {
            text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
        }
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        each(line, text)?;
    }
    progress_at(progress, bytes);
    Ok(())
}

/// Converts a JSON value to the text a CSV cell would hold: strings as they are, numbers and
/// booleans printed, arrays `;`-joined, null as nothing, objects as JSON.
pub fn json_text(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(json_text).collect();
            (!parts.is_empty()).then(|| parts.join(";"))
        }
        Value::Object(_) => Some(v.to_string()),
    }
}

/// The reader stage for JSON Lines of canonical rows (the same field names as the CSV). A line
/// that is not a JSON object is rejected.
fn read_jsonl<P>(
    path: &Path,
    columns: &[&str],
    parse: fn(&Fields<'_>) -> std::result::Result<P, String>,
    mut out: Batcher<P>,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<()> {
    let mut open = true;
    for_each_line(path, progress, |line, bytes| {
        if !open {
            return Ok(());
        }
        let raw = || String::from_utf8_lossy(bytes).trim_end().to_owned();
        let bad = |reason: String| Item::Bad {
            line,
            raw: raw(),
            reason,
        };
        let item = match std::str::from_utf8(bytes) {
            Err(_) => bad("invalid UTF-8".into()),
            Ok(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(serde_json::Value::Object(obj)) => {
                    let values: Vec<(String, Option<String>)> = obj
                        .iter()
                        .map(|(k, v)| (header_name(k), json_text(v)))
                        .collect();
                    let mut known: Vec<Option<&str>> = vec![None; columns.len()];
                    let mut extra: Vec<(&str, &str)> = Vec::new();
                    for (k, v) in &values {
                        let Some(v) = v.as_deref() else { continue };
                        match columns.iter().position(|c| c == k) {
                            Some(i) => known[i] = Some(v),
                            None => extra.push((k.as_str(), v)),
                        }
                    }
                    match parse(&Fields { known, extra }) {
                        Ok(parsed) => Item::Row {
                            line,
                            raw: Raw::Text(raw()),
                            parsed,
                        },
                        Err(reason) => bad(reason),
                    }
                }
                Ok(_) => bad("not a JSON object".into()),
                Err(e) => bad(format!("invalid JSON: {e}")),
            },
        };
        open = out.push(item);
        Ok(())
    })?;
    out.flush();
    Ok(())
}
