//! Civil dates as day numbers, for generated registration, birth and shipment dates.
//!
//! Inputs: days since 1970-01-01 (may be negative). Outputs: ISO `YYYY-MM-DD` text and year
//! numbers. Howard Hinnant's algorithms; no time-zone or leap-second concerns.

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day number.
pub fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The calendar year of a day number.
pub fn year_of(days: i32) -> i32 {
    civil_from_days(days).0
}

/// Appends `YYYY-MM-DD` to `out`.
pub fn push_iso(out: &mut String, days: i32) {
    use std::fmt::Write;
    let (y, m, d) = civil_from_days(days);
    let _ = write!(out, "{y:04}-{m:02}-{d:02}");
}

/// `YYYY-MM-DD` of a day number.
pub fn iso(days: i32) -> String {
    let mut s = String::with_capacity(10);
    push_iso(&mut s, days);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(iso(days_from_civil(2024, 2, 29)), "2024-02-29");
        for z in -30_000..30_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(year_of(days_from_civil(2025, 12, 31)), 2025);
    }
}
