//! Canonical relationships (CSV or JSON Lines): owner, director, officer, beneficial owner,
//! family, associate between two parties ids.
//!
//! Required: `from_id`, `to_id`, `kind`. Both ids must name a party already in the store (from
//! a parties, FtM or screening file ingested earlier); `share` is a percent in 0..=100.

use crate::error::Result;
use crate::ingest::rows::{Fields, RowParser};
use crate::ingest::sink::{RelationshipRow, Sink};
use crate::ingest::value::{parse_amount, parse_partial_date};
use crate::model::RelKind;

/// The known columns of a relationships file.
pub const COLUMNS: &[&str] = &["from_id", "to_id", "kind", "share", "start", "end"];

/// The columns a relationships file must have.
pub const REQUIRED: &[&str] = &["from_id", "to_id", "kind"];

/// Parses relationship rows, resolving ids to stored records.
#[derive(Debug, Default)]
pub struct RelationshipsParser;

impl RowParser for RelationshipsParser {
    fn columns(&self) -> &'static [&'static str] {
        COLUMNS
    }

    fn row(
        &mut self,
        sink: &mut Sink<'_>,
        f: &Fields<'_>,
        line: u64,
    ) -> Result<std::result::Result<(), String>> {
        let (Some(from_id), Some(to_id)) = (f.get(0), f.get(1)) else {
            let missing = if f.get(0).is_none() {
                "from_id"
            } else {
                "to_id"
            };
            return Ok(Err(format!("missing required field '{missing}'")));
        };
        let Some(kind_text) = f.get(2) else {
            return Ok(Err("missing required field 'kind'".into()));
        };
        let Some(kind) = RelKind::parse(kind_text) else {
            return Ok(Err(format!(
                "unknown relationship kind '{kind_text}' (expected owner, director, officer, \
                 beneficial_owner, family or associate)"
            )));
        };
        let share = match f.get(3).map(|s| parse_amount(s.trim_end_matches('%'))) {
            None => None,
            Some(Ok(v)) if v <= 100.0 => Some(v),
            Some(Ok(v)) => return Ok(Err(format!("share {v} is over 100 percent"))),
            Some(Err(e)) => return Ok(Err(format!("share: {e}"))),
        };
        let mut dates = [None, None];
        for (slot, (i, field)) in dates.iter_mut().zip([(4, "start"), (5, "end")]) {
            if let Some(d) = f.get(i) {
                match parse_partial_date(d) {
                    Ok(d) => *slot = Some(d),
                    Err(e) => return Ok(Err(format!("{field}: {e}"))),
                }
            }
        }
        let [start, end] = dates;
        let Some(from) = sink.lookup_key(from_id)? else {
            return Ok(Err(unknown_party("from_id", from_id)));
        };
        let Some(to) = sink.lookup_key(to_id)? else {
            return Ok(Err(unknown_party("to_id", to_id)));
        };
        let row = RelationshipRow {
            from,
            to,
            kind: kind.as_str(),
            share,
            start,
            end,
            attrs: f.attrs_json(),
        };
        sink.relationship(line, &row)?;
        Ok(Ok(()))
    }
}

/// The reason for a relationship endpoint that names no stored party.
pub fn unknown_party(field: &str, id: &str) -> String {
    format!("{field} '{id}' is not a known party (ingest the parties file that defines it first)")
}
