//! Deciding what a file is before anything is written: its format (CSV or JSON Lines) and its
//! kind (from the header or the first line), and refusing files that are not what their kind
//! expects — binary content, a header without the kind's required columns, a shipments file
//! given as parties.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};
use crate::ingest::rows::csv_headers;
use crate::ingest::{parties, relationships, screening, shipments};
use crate::model::InputKind;

/// The physical format of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// What [`sniff`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    pub format: Format,
    pub kind: InputKind,
}

fn refuse(path: &Path, reason: impl Into<String>) -> Error {
    Error::Refused {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// Reads the start of a file and decides its format and kind. With `--kind`, checks that the
/// file fits it.
///
/// # Errors
/// [`Error::Refused`] for binary or empty files, unknown headers, a kind that does not fit.
pub fn sniff(path: &Path, given: Option<InputKind>) -> Result<Sniffed> {
    let mut head = Vec::with_capacity(64 * 1024);
    File::open(path)
        .map_err(|e| Error::io(path, e))?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(refuse(path, "the file is empty"));
    }
    if text.contains(&0) {
        return Err(refuse(
            path,
            "this is a binary file, not CSV or JSON Lines text",
        ));
    }
    let first_line = text
        .split(|b| *b == b'\n')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace));
    let first_line = first_line.unwrap_or_default();
    if std::str::from_utf8(first_line).is_err() {
        return Err(refuse(path, "the first line is not UTF-8 text"));
    }
    let first_line = String::from_utf8_lossy(first_line);
    let (format, keys) = if first_line.trim_start().starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(first_line.trim()).map_err(|e| {
            refuse(
                path,
                format!("the first line looks like JSON but does not parse: {e}"),
            )
        })?;
        let keys: Vec<String> = match value {
            serde_json::Value::Object(m) => {
                m.keys().map(|k| k.trim().to_ascii_lowercase()).collect()
            }
            _ => Vec::new(),
        };
        (Format::JsonLines, keys)
    } else {
        (Format::Csv, csv_headers(path)?)
    };
    let has = |k: &str| keys.iter().any(|h| h == k);
    let detected = if format == Format::JsonLines && has("schema") && has("properties") {
        Some(InputKind::Ftm)
    } else if has("alt_names") && has("programs") && has("source") {
        Some(InputKind::Screening)
    } else if has("consignee_name") {
        Some(InputKind::Shipments)
    } else if has("from_id") && has("to_id") {
        Some(InputKind::Relationships)
    } else if has("name") && has("id") {
        Some(InputKind::Parties)
    } else {
        None
    };
    let kind = match (given, detected) {
        (Some(g), Some(d)) if g != d => {
            return Err(refuse(
                path,
                format!(
                    "given as {} but this looks like a {} file (header: {})",
                    g.as_str(),
                    d.as_str(),
                    preview(&keys)
                ),
            ));
        }
        (Some(g), _) => g,
        (None, Some(d)) => d,
        (None, None) => {
            return Err(refuse(
                path,
                format!(
                    "cannot tell what kind of file this is (header: {}); pass --kind",
                    preview(&keys)
                ),
            ));
        }
    };
    match kind {
        InputKind::Ftm if format != Format::JsonLines => {
            return Err(refuse(path, "FollowTheMoney input must be JSON Lines"));
        }
        InputKind::Screening if format != Format::Csv => {
            return Err(refuse(
                path,
                "the Consolidated Screening List is read as its published CSV",
            ));
        }
        _ => {}
    }
    // JSON Lines rows may leave out empty fields, so only a CSV header must be complete.
    let missing: Vec<&str> = required(kind).iter().copied().filter(|c| !has(c)).collect();
    if format == Format::Csv && !missing.is_empty() {
        return Err(refuse(
            path,
            format!(
                "not a {} file: the header lacks {} (header: {})",
                kind.as_str(),
                missing.join(", "),
                preview(&keys)
            ),
        ));
    }
    Ok(Sniffed { format, kind })
}

fn required(kind: InputKind) -> &'static [&'static str] {
    match kind {
        InputKind::Parties => parties::REQUIRED,
        InputKind::Relationships => relationships::REQUIRED,
        InputKind::Shipments => shipments::REQUIRED,
        InputKind::Screening => screening::REQUIRED,
        InputKind::Ftm => &[],
    }
}

fn preview(keys: &[String]) -> String {
    let mut s = keys.iter().take(8).cloned().collect::<Vec<_>>().join(",");
    if keys.len() > 8 {
        s.push_str(",…");
    }
    if s.is_empty() { "none".into() } else { s }
}
