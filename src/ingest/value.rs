//! Field-level parsing shared by every input format: dates, numbers, multi-valued fields.
//!
//! Each function returns `Err(reason)` with words a person understands; the format readers add
//! the file, line and column and send the row to the quarantine.

/// Trims a field; an empty field is `None`.
pub fn opt(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Splits a multi-valued field on `;`, trimming each value and dropping empty ones.
pub fn split_multi(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|v| !v.is_empty())
}

/// Parses an ISO 8601 calendar date (`YYYY-MM-DD`, optionally followed by a time) into
/// `YYYY-MM-DD`.
///
/// # Errors
/// A reason when the text is not a valid date (month 13, 30 February, `12/03/2024`…).
pub fn parse_date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let date = s.get(..10).ok_or_else(|| bad_date(s))?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return Err(bad_date(s));
    }
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return Err(bad_date(s));
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &date[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(bad_date(s));
    };
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return Err(format!("'{s}' is not a real calendar date"));
    }
    Ok(date.to_owned())
}

/// Parses a possibly partial ISO date (`YYYY`, `YYYY-MM` or a full date), as registries and
/// sanctions lists give birth and incorporation dates.
///
/// # Errors
/// A reason when the text is none of those forms.
pub fn parse_partial_date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
    match s.len() {
        4 if digits(s) => Ok(s.to_owned()),
        7 if digits(&s[..4]) && &s[4..5] == "-" && digits(&s[5..]) => {
            let m: u32 = s[5..].parse().map_err(|_| bad_date(s))?;
            if (1..=12).contains(&m) {
                Ok(s.to_owned())
            } else {
                Err(bad_date(s))
            }
        }
        _ => parse_date(s),
    }
}

fn bad_date(s: &str) -> String {
    format!("'{s}' is not an ISO 8601 date (YYYY-MM-DD)")
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses a non-negative decimal number; thousands separators (`1,250`) and a leading `$` are
/// accepted.
///
/// # Errors
/// A reason when the text is not a number, is negative, or is not finite.
pub fn parse_amount(s: &str) -> Result<f64, String> {
    let s = s.trim();
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '$' | '_' | ' '))
        .collect();
    let v: f64 = cleaned
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    if !v.is_finite() {
        return Err(format!("'{s}' is not a finite number"));
    }
    if v < 0.0 {
        return Err(format!("negative value {s}"));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29").unwrap(), "2024-02-29");
        assert_eq!(parse_date("2024-03-01T10:00:00Z").unwrap(), "2024-03-01");
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "12/03/2024",
            "2024-1-1",
            "",
            "x",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn partial_dates() {
        assert_eq!(parse_partial_date("1970").unwrap(), "1970");
        assert_eq!(parse_partial_date("1970-05").unwrap(), "1970-05");
        assert!(parse_partial_date("1970-13").is_err());
        assert!(parse_partial_date("circa 1970").is_err());
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("1,250.5").unwrap(), 1250.5);
        assert_eq!(parse_amount("$30000").unwrap(), 30000.0);
        assert!(parse_amount("-3").unwrap_err().contains("negative"));
        assert!(parse_amount("ten").is_err());
        assert!(parse_amount("NaN").is_err());
    }

    #[test]
    fn multi_values() {
        assert_eq!(split_multi(" a ; ;b;").collect::<Vec<_>>(), vec!["a", "b"]);
    }
}
