//! Row readers for the tabular formats: CSV and JSON Lines with the same field names.
//!
//! Both hand each row to a [`RowParser`] as [`Fields`]: the values of the kind's known columns by
//! index, plus every unknown column (kept as attributes, never dropped). A row the parser rejects,
//! and a row the format itself rejects (quote error, wrong field count, invalid UTF-8, invalid
//! JSON), goes to the quarantine with its line and the raw text as read.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{Error, Result};
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

/// What a kind-specific parser does with each row.
pub trait RowParser {
    /// The known columns of this kind, in index order for [`Fields::get`].
    fn columns(&self) -> &'static [&'static str];

    /// Validates and writes one row. `Ok(())` means accepted; `Err(reason)` sends it to the
    /// quarantine. A parser must validate everything before it writes anything, so a
    /// quarantined row leaves nothing behind.
    ///
    /// # Errors
    /// The outer `Result` is for store failures, which stop the file.
    fn row(
        &mut self,
        sink: &mut Sink<'_>,
        fields: &Fields<'_>,
        line: u64,
    ) -> Result<std::result::Result<(), String>>;
}

/// Reports progress in bytes as rows are read.
pub trait Progress {
    /// The reader has consumed `bytes` bytes of the file.
    fn at(&mut self, bytes: u64);
}

impl Progress for () {
    fn at(&mut self, _: u64) {}
}

impl Progress for indicatif::ProgressBar {
    fn at(&mut self, bytes: u64) {
        self.set_position(bytes);
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

/// Streams a CSV file's rows through `parser`.
///
/// Rows with the wrong number of fields are quarantined; a quoted field that is never closed
/// swallows the rest of the file into one record, so such a record is detected (wrong field count
/// and spanning several lines), its first line is quarantined as an unbalanced quote, and reading
/// resumes at the next line.
///
/// # Errors
/// Store failures, I/O errors, and the first bad row under `--strict`.
pub fn read_csv(
    path: &Path,
    parser: &mut dyn RowParser,
    sink: &mut Sink<'_>,
    progress: &mut dyn Progress,
) -> Result<()> {
    let io = |e| Error::io(path, e);
    let file = File::open(path).map_err(io)?;
    let mut raw_file = File::open(path).map_err(io)?;
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
    let columns = parser.columns();
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
        rows += 1;
        if rows % 16_384 == 0 {
            progress.at(end);
        }
        // A blank line is not a row.
        if record.len() == 1 && record[0].is_empty() {
            continue;
        }
        sink.row_read();
        if record.len() != width {
            let raw = read_range(&mut raw_file, begin, end).map_err(io)?;
            let first = raw.split('\n').next().unwrap_or("");
            let spans_lines = rdr.position().line() > line + 1;
            if spans_lines && first.matches('"').count() % 2 == 1 {
                // Unbalanced quote: quarantine the first physical line, resume after it.
                let first = first.trim_end_matches('\r');
                sink.quarantine(
                    line,
                    first,
                    "unbalanced quote: a quoted field that starts on this line is never closed",
                )?;
                let mut pos = csv::Position::new();
                pos.set_byte(begin + raw.split('\n').next().unwrap_or("").len() as u64 + 1)
                    .set_line(line + 1);
                rdr.seek(pos).map_err(|e| Error::Parse {
                    path: path.to_owned(),
                    line,
                    reason: e.to_string(),
                })?;
                continue;
            }
            let reason = format!(
                "expected {width} fields as in the header, found {} (an unquoted comma or a \
                 missing field?)",
                record.len()
            );
            sink.quarantine(line, raw.trim_end(), &reason)?;
            continue;
        }
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
        if let Some(i) = bad_utf8 {
            let raw = read_range(&mut raw_file, begin, end).map_err(io)?;
            let reason = format!("invalid UTF-8 in column '{}'", headers[i]);
            sink.quarantine(line, raw.trim_end(), &reason)?;
            continue;
        }
        let fields = Fields { known, extra };
        match parser.row(sink, &fields, line)? {
            Ok(()) => sink.row_accepted(),
            Err(reason) => {
                let raw = read_range(&mut raw_file, begin, end).map_err(io)?;
                sink.quarantine(line, raw.trim_end(), &reason)?;
            }
        }
    }
    progress.at(rdr.position().byte());
    Ok(())
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
    progress: &mut dyn Progress,
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
            progress.at(bytes);
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
    progress.at(bytes);
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

/// Streams a JSON Lines file of canonical rows (the same field names as the CSV) through
/// `parser`. A line that is not a JSON object is quarantined.
///
/// # Errors
/// Store failures, I/O errors, and the first bad row under `--strict`.
pub fn read_jsonl(
    path: &Path,
    parser: &mut dyn RowParser,
    sink: &mut Sink<'_>,
    progress: &mut dyn Progress,
) -> Result<()> {
    let columns = parser.columns();
    for_each_line(path, progress, |line, bytes| {
        sink.row_read();
        let raw = || String::from_utf8_lossy(bytes).trim_end().to_owned();
        let Ok(text) = std::str::from_utf8(bytes) else {
            return sink.quarantine(line, &raw(), "invalid UTF-8");
        };
        let obj = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(obj)) => obj,
            Ok(_) => return sink.quarantine(line, &raw(), "not a JSON object"),
            Err(e) => return sink.quarantine(line, &raw(), &format!("invalid JSON: {e}")),
        };
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
        let fields = Fields { known, extra };
        match parser.row(sink, &fields, line)? {
            Ok(()) => {
                sink.row_accepted();
                Ok(())
            }
            Err(reason) => sink.quarantine(line, &raw(), &reason),
        }
    })
}
