//! Country normalisation: names, ISO 3166-1 alpha-3 and alpha-2 codes → alpha-2.
//!
//! The ISO table comes from the `celes` crate; this file adds the spellings that trade documents
//! and registries actually use ("UAE", "Hong Kong SAR", "Korea, Republic of", "PRC", "UK").

use std::sync::OnceLock;

use celes::Country;

/// Spellings `celes` does not know, keyed by the squashed form (lowercase ASCII letters only).
const EXTRA: &[(&str, &str)] = &[
    ("uk", "GB"),
    ("greatbritain", "GB"),
    ("britain", "GB"),
    ("england", "GB"),
    ("uae", "AE"),
    ("emirates", "AE"),
    ("unitedarabemirates", "AE"),
    ("dubai", "AE"),
    ("hongkongsar", "HK"),
    ("hongkongsarchina", "HK"),
    ("hksar", "HK"),
    ("macaosar", "MO"),
    ("macausar", "MO"),
    ("prc", "CN"),
    ("mainlandchina", "CN"),
    ("peoplesrepublicofchina", "CN"),
    ("chinamainland", "CN"),
    ("rok", "KR"),
    ("korea", "KR"),
    ("republicofkorea", "KR"),
    ("korearepublicof", "KR"),
    ("dprk", "KP"),
    ("democraticpeoplesrepublicofkorea", "KP"),
    ("koreademocraticpeoplesrepublicof", "KP"),
    ("russianfederation", "RU"),
    ("vietnam", "VN"),
    ("vietnamsocialistrepublicof", "VN"),
    ("taiwanprovinceofchina", "TW"),
    ("taiwanroc", "TW"),
    ("republicofchina", "TW"),
    ("iranislamicrepublicof", "IR"),
    ("usa", "US"),
    ("unitedstatesofamerica", "US"),
    ("america", "US"),
    ("holland", "NL"),
    ("thenetherlands", "NL"),
    ("turkiye", "TR"),
    ("ivorycoast", "CI"),
    ("czechia", "CZ"),
    ("laopdr", "LA"),
    ("bolivia", "BO"),
    ("tanzania", "TZ"),
    ("moldova", "MD"),
    ("syrianarabrepublic", "SY"),
];

/// Normalises a country given as a name, an alpha-3 or an alpha-2 code to its alpha-2 code.
///
/// Returns `None` when the text names no country trawl knows; the caller decides whether that is
/// a bad row. Case, spacing, punctuation and accents do not matter.
///
/// ```
/// use trawl::ingest::country::normalize_country;
/// assert_eq!(normalize_country("Malaysia"), Some("MY"));
/// assert_eq!(normalize_country("SGP"), Some("SG"));
/// assert_eq!(normalize_country("hk"), Some("HK"));
/// assert_eq!(normalize_country("Korea, Republic of"), Some("KR"));
/// assert_eq!(normalize_country("Atlantis"), None);
/// ```
pub fn normalize_country(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // Fast path: an alpha-2 code, as most inputs give.
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        let b = text.as_bytes();
        let slot = usize::from(b[0].to_ascii_uppercase() - b'A') * 26
            + usize::from(b[1].to_ascii_uppercase() - b'A');
        return alpha2_table()[slot];
    }
    let squashed: String = any_ascii::any_ascii(text)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if squashed.is_empty() || squashed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some((_, v)) = EXTRA.iter().find(|(k, _)| *k == squashed) {
        return Some(v);
    }
    let lookup = |s: &str| -> Option<&'static str> {
        s.parse::<Country>()
            .ok()
            .or_else(|| Country::from_alias(s).ok())
            .or_else(|| format!("the{s}").parse::<Country>().ok())
            .map(|c| c.alpha2)
    };
    if let Some(code) = lookup(&squashed) {
        return Some(code);
    }
    // "Korea, Republic of" → "Republic of Korea".
    if let Some((head, tail)) = text.split_once(',') {
        let swapped: String = format!("{tail}{head}")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        return lookup(&swapped);
    }
    None
}

/// Every country name the ISO table knows, long names and aliases, as words ("Hong Kong",
/// "The Republic Of Korea", "South Korea"; an alias written in one word by its capitals,
/// "SouthKorea", is split at them). For finding country names written inside other text.
pub fn country_names() -> Vec<String> {
    let mut out = Vec::new();
    for c in Country::get_countries() {
        out.push(c.long_name.to_string());
        for alias in celes::LookupTable::iter(&c.aliases) {
            let mut words = String::new();
            for ch in alias.chars() {
                if ch.is_uppercase() && !words.is_empty() {
                    words.push(' ');
                }
                words.push(ch);
            }
            out.push(words);
        }
    }
    out
}

/// Every two-letter code AA..ZZ → its country (or an [`EXTRA`] spelling such as "UK"), built
/// once: the fast path for the alpha-2 codes most inputs give, nine times per shipment row.
fn alpha2_table() -> &'static [Option<&'static str>; 676] {
    static TABLE: OnceLock<[Option<&'static str>; 676]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [None; 676];
        for (slot, entry) in table.iter_mut().enumerate() {
            let code = [b'A' + (slot / 26) as u8, b'A' + (slot % 26) as u8];
            let code = std::str::from_utf8(&code).unwrap_or_default();
            *entry = Country::from_alpha2(code)
                .ok()
                .map(|c| c.alpha2)
                .or_else(|| {
                    EXTRA
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(code))
                        .map(|(_, v)| *v)
                });
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_names_are_words() {
        let names = country_names();
        assert!(names.iter().any(|n| n == "Hong Kong"));
        assert!(names.iter().any(|n| n == "South Korea"));
        assert!(names.len() > 250);
    }

    #[test]
    fn names_codes_and_variants() {
        for (input, want) in [
            ("SG", "SG"),
            ("sg", "SG"),
            ("SGP", "SG"),
            ("Singapore", "SG"),
            ("MALAYSIA", "MY"),
            ("Hong Kong", "HK"),
            ("Hong Kong SAR", "HK"),
            ("United Arab Emirates", "AE"),
            ("UAE", "AE"),
            ("China", "CN"),
            ("People's Republic of China", "CN"),
            ("Russia", "RU"),
            ("Russian Federation", "RU"),
            ("South Korea", "KR"),
            ("Korea, Republic of", "KR"),
            ("Viet Nam", "VN"),
            ("Taiwan", "TW"),
            ("United States", "US"),
            ("USA", "US"),
            ("UK", "GB"),
            ("Türkiye", "TR"),
            ("Thailand", "TH"),
            ("Macau", "MO"),
            ("Iran", "IR"),
        ] {
            assert_eq!(normalize_country(input), Some(want), "{input}");
        }
    }

    #[test]
    fn unknowns_are_none() {
        for input in ["", "  ", "Atlantis", "XX", "123", "Narnia Republic"] {
            assert_eq!(normalize_country(input), None, "{input}");
        }
    }

    #[test]
    fn idempotent() {
        for input in ["Malaysia", "HKG", "Viet Nam"] {
            let once = normalize_country(input).unwrap();
            assert_eq!(normalize_country(once), Some(once));
        }
    }
}
