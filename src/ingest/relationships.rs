//! Canonical relationships (CSV or JSON Lines): owner, director, officer, beneficial owner,
//! family, associate between two parties ids.
//!
//! Required: `from_id`, `to_id`, `kind`. Both ids must name a party already in the store (from
//! a parties, FtM or screening file ingested earlier); `share` is a percent in 0..=100.

use crate::error::Result;
use crate::ingest::rows::{Fields, TableKind};
use crate::ingest::sink::{RelationshipRow, Sink};
use crate::ingest::value::{parse_amount, parse_partial_date};
use crate::model::RelKind;

/// The known columns of a relationships file.
pub const COLUMNS: &[&str] = &["from_id", "to_id", "kind", "share", "start", "end"];

/// The columns a relationships file must have.
pub const REQUIRED: &[&str] = &["from_id", "to_id", "kind"];

/// Relationship rows: validated on the reader thread, ids resolved to stored records on the
/// writer thread.
#[derive(Debug, Default)]
pub struct Relationships;

/// A validated relationship whose party ids are not yet looked up.
#[derive(Debug)]
pub struct ParsedRelationship {
    from_id: String,
    to_id: String,
    kind: RelKind,
    share: Option<f64>,
    start: Option<String>,
    end: Option<String>,
    attrs: Option<String>,
}

impl TableKind for Relationships {
    type Parsed = ParsedRelationship;
    const COLUMNS: &'static [&'static str] = COLUMNS;

    fn parse(f: &Fields<'_>) -> std::result::Result<ParsedRelationship, String> {
        let (Some(from_id), Some(to_id)) = (f.get(0), f.get(1)) else {
            let missing = if f.get(0).is_none() {
                "from_id"
            } else {
                "to_id"
            };
            return Err(format!("missing required field '{missing}'"));
        };
        let kind_text = f.get(2).ok_or("missing required field 'kind'")?;
        let kind = RelKind::parse(kind_text).ok_or_else(|| {
            format!(
                "unknown relationship kind '{kind_text}' (expected owner, director, officer, \
                 beneficial_owner, family or associate)"
            )
        })?;
        let share = match f.get(3).map(|s| parse_amount(s.trim_end_matches('%'))) {
            None => None,
            Some(Ok(v)) if v <= 100.0 => Some(v),
            Some(Ok(v)) => return Err(format!("share {v} is over 100 percent")),
            Some(Err(e)) => return Err(format!("share: {e}")),
        };
        let date = |i: usize, field: &str| {
            f.get(i)
                .map(|d| parse_partial_date(d).map_err(|e| format!("{field}: {e}")))
                .transpose()
        };
        Ok(ParsedRelationship {
            from_id: from_id.to_owned(),
            to_id: to_id.to_owned(),
            kind,
            share,
            start: date(4, "start")?,
            end: date(5, "end")?,
            attrs: f.attrs_json(),
        })
    }

    fn write(
        &mut self,
        sink: &mut Sink<'_>,
        line: u64,
        r: &ParsedRelationship,
    ) -> Result<std::result::Result<(), String>> {
        let Some(from) = sink.lookup_key(&r.from_id)? else {
            return Ok(Err(unknown_party("from_id", &r.from_id)));
        };
        let Some(to) = sink.lookup_key(&r.to_id)? else {
            return Ok(Err(unknown_party("to_id", &r.to_id)));
        };
        let row = RelationshipRow {
            from,
            to,
            kind: r.kind.as_str(),
            share: r.share,
            start: r.start.clone(),
            end: r.end.clone(),
            attrs: r.attrs.clone(),
        };
        sink.relationship(line, &row)?;
        Ok(Ok(()))
    }
}

/// The reason for a relationship endpoint that names no stored party.
pub fn unknown_party(field: &str, id: &str) -> String {
    format!("{field} '{id}' is not a known party (ingest the parties file that defines it first)")
}
