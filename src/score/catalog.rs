//! The chip catalog: what a shipment line item is, in TPP.
//!
//! Input: `policies/chips.toml` (compiled in) or a user's catalog file. Output: a [`Catalog`]
//! that classifies a line (product, description, HS code, quantity, value) as a controlled
//! accelerator or server with its TPP, as not controlled, as unknown (an HS code of interest that
//! matches nothing — reported, never silently zero), or as a possible misdeclaration (a
//! controlled HS code or a harmless description with an accelerator-like unit price), with the
//! TPP such a line would carry.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::policy::Misdeclaration;
use crate::error::{Error, Result};
use crate::resolve::normalize::fold;

/// The catalog shipped with trawl.
pub const BUILTIN: &str = include_str!("../../policies/chips.toml");

/// One accelerator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chip {
    pub name: String,
    /// TPP per accelerator.
    pub tpp: f64,
    /// Folded word sequences that name it ("h100 pcie").
    pub patterns: Vec<String>,
}

/// The chip catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub h100_tpp: f64,
    pub server_accelerators: u32,
    pub server_words: Vec<String>,
    pub hs_of_interest: Vec<String>,
    pub hs_component: Vec<String>,
    pub harmless: Vec<String>,
    pub not_controlled: Vec<String>,
    /// The chip a line priced like a consumer accelerator is estimated as (absent: such lines
    /// are unknown).
    #[serde(default)]
    pub consumer_reference: Option<String>,
    /// Its TPP (0 when absent).
    #[serde(skip)]
    pub consumer_tpp: f64,
    #[serde(rename = "chip")]
    pub chips: Vec<Chip>,
}

/// What a line's text says it is (before quantity and price).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextClass {
    /// The matched chip (index into `chips`), if any.
    pub chip: Option<u16>,
    /// Accelerators per unit (1 for a card, 8 for an HGX server, …).
    pub per_unit: u32,
    /// The text matched a `not_controlled` pattern.
    pub not_controlled: bool,
    /// The description is a harmless one ("adapter", "computer parts", …).
    pub harmless: bool,
    /// The HS code is one of interest.
    pub hs_interest: bool,
    /// The HS code is a bare component's (integrated circuits).
    pub hs_component: bool,
}

/// The classification of one line item.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "class", rename_all = "snake_case")]
pub enum LineClass {
    /// A recognised accelerator or server.
    Controlled { chip: u16, per_unit: u32 },
    /// A harmless description or controlled HS code at an accelerator-like unit price: the TPP
    /// it would carry is an estimate (`per_unit` reference accelerators per unit). `consumer`:
    /// priced like a consumer accelerator instead, under a harmless description *and* a
    /// controlled HS code; the reference is then the catalog's `consumer_reference`.
    Suspect { per_unit: u32, consumer: bool },
    /// An HS code of interest that matches nothing and is not priced like an accelerator.
    Unknown,
    /// Not controlled compute.
    NotControlled,
}

impl Catalog {
    /// The built-in catalog.
    pub fn builtin() -> Catalog {
        Catalog::parse(BUILTIN).expect("the built-in catalog is valid")
    }

    /// Reads a catalog file.
    ///
    /// # Errors
    /// [`Error::Io`], or [`Error::Config`] naming the problem.
    pub fn load(path: &Path) -> Result<Catalog> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Catalog::parse(&text)
    }

    /// Parses and validates a catalog.
    ///
    /// # Errors
    /// [`Error::Config`] naming the key and the reason.
    pub fn parse(text: &str) -> Result<Catalog> {
        let mut c: Catalog = toml::from_str(text).map_err(|e| Error::Config {
            key: "catalog".into(),
            reason: e.message().to_string(),
        })?;
        if c.h100_tpp.is_nan() || c.h100_tpp <= 0.0 {
            return Err(Error::Config {
                key: "catalog.h100_tpp".into(),
                reason: "must be > 0".into(),
            });
        }
        for (i, chip) in c.chips.iter_mut().enumerate() {
            if chip.tpp.is_nan() || chip.tpp <= 0.0 || chip.patterns.is_empty() {
                return Err(Error::Config {
                    key: format!("catalog.chip[{i}]"),
                    reason: format!("{}: needs tpp > 0 and at least one pattern", chip.name),
                });
            }
            for p in &mut chip.patterns {
                *p = words(p);
            }
        }
        for list in [&mut c.server_words, &mut c.harmless, &mut c.not_controlled] {
            for p in list.iter_mut() {
                *p = words(p);
            }
        }
        if let Some(name) = &c.consumer_reference {
            c.consumer_tpp = c
                .chips
                .iter()
                .find(|chip| &chip.name == name)
                .map(|chip| chip.tpp)
                .ok_or_else(|| Error::Config {
                    key: "catalog.consumer_reference".into(),
                    reason: format!("no chip is named {name:?}"),
                })?;
        }
        c.hs_of_interest = c.hs_of_interest.iter().map(|h| hs_digits(h)).collect();
        c.hs_component = c.hs_component.iter().map(|h| hs_digits(h)).collect();
        Ok(c)
    }

    /// Classifies the text of a line. Cache the result per distinct text: it does not depend on
    /// quantity or price.
    pub fn classify_text(&self, product: &str, description: &str, hs: &str) -> TextClass {
        let text = format!(" {} {} ", words(product), words(description));
        let has = |p: &str| !p.is_empty() && text.contains(&format!(" {p} "));
        let mut best: Option<(usize, u16)> = None;
        for (i, chip) in self.chips.iter().enumerate() {
            for p in &chip.patterns {
                if has(p) && best.is_none_or(|(len, _)| p.len() > len) {
                    best = Some((p.len(), i as u16));
                }
            }
        }
        let per_unit = count_in(&text).unwrap_or_else(|| {
            if self.server_words.iter().any(|w| has(w)) {
                self.server_accelerators
            } else {
                1
            }
        });
        let hs = hs_digits(hs);
        TextClass {
            chip: best.map(|(_, i)| i),
            per_unit: per_unit.max(1),
            not_controlled: self.not_controlled.iter().any(|w| has(w)),
            harmless: self.harmless.iter().any(|w| has(w)),
            hs_interest: !hs.is_empty()
                && self
                    .hs_of_interest
                    .iter()
                    .any(|h| hs.starts_with(h.as_str())),
            hs_component: !hs.is_empty()
                && self.hs_component.iter().any(|h| hs.starts_with(h.as_str())),
        }
    }

    /// Classifies a line from its text class, quantity and value.
    pub fn classify(
        &self,
        t: TextClass,
        quantity: f64,
        value_usd: f64,
        m: &Misdeclaration,
    ) -> LineClass {
        if let Some(chip) = t.chip {
            return LineClass::Controlled {
                chip,
                per_unit: t.per_unit,
            };
        }
        let unit_price = if quantity > 0.0 {
            value_usd / quantity
        } else {
            0.0
        };
        let priced_like_accelerator = unit_price >= m.accelerator_unit_price;
        // A harmless description ("adapter", "sample", "computer parts") or a bare integrated
        // circuit priced like an accelerator. An ordinary computer under 8471 at server prices is
        // just a computer.
        if (t.harmless || t.hs_component) && priced_like_accelerator && !t.not_controlled {
            let per_unit = if unit_price >= m.server_unit_price {
                m.server_accelerators
            } else {
                1
            };
            return LineClass::Suspect {
                per_unit,
                consumer: false,
            };
        }
        // A harmless description under a controlled HS code, priced like a consumer
        // accelerator ("video card", 8471.80, US$1,900 each): the catalog's consumer reference
        // (an RTX 4090-class card is itself controlled), one per unit.
        if t.harmless
            && t.hs_interest
            && !t.not_controlled
            && self.consumer_tpp > 0.0
            && m.consumer_unit_price > 0.0
            && unit_price >= m.consumer_unit_price
        {
            return LineClass::Suspect {
                per_unit: 1,
                consumer: true,
            };
        }
        if t.hs_interest && !t.not_controlled {
            LineClass::Unknown
        } else {
            LineClass::NotControlled
        }
    }

    /// TPP of a line: declared (recognised chips) and suspected (estimated for misdeclarations,
    /// at the reference accelerator's TPP).
    pub fn tpp(&self, class: LineClass, quantity: f64) -> (f64, f64) {
        let q = quantity.max(0.0);
        match class {
            LineClass::Controlled { chip, per_unit } => {
                (self.chips[chip as usize].tpp * f64::from(per_unit) * q, 0.0)
            }
            LineClass::Suspect { per_unit, consumer } => {
                (0.0, self.suspect_tpp(consumer) * f64::from(per_unit) * q)
            }
            _ => (0.0, 0.0),
        }
    }

    /// TPP per unit assumed for a suspected misdeclaration: the reference accelerator's, or
    /// the consumer reference's.
    pub fn suspect_tpp(&self, consumer: bool) -> f64 {
        if consumer {
            self.consumer_tpp
        } else {
            self.h100_tpp
        }
    }

    /// A chip's name.
    pub fn chip_name(&self, i: u16) -> &str {
        &self.chips[i as usize].name
    }
}

/// Lower-case words of a text, separated by single spaces (resolve's folding), with a model
/// number joined to the word before it: "RTX 4090" and "RTX4090", "Ascend 910B" and
/// "Ascend910B" are written both ways on documents. Joined only when the word is letters and the
/// number has at least three digits, so "server 8 gpu" and "gaudi 3" stay as they are (text and
/// patterns are folded alike, so either way they meet).
pub fn words(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    let mut prev_letters = false;
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        let digits = w.bytes().take_while(u8::is_ascii_digit).count();
        let joined = prev_letters && digits >= 3;
        if !out.is_empty() && !joined {
            out.push(' ');
        }
        out.push_str(w);
        prev_letters = w.chars().all(char::is_alphabetic);
    }
    out
}

fn hs_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// "8x", "8 x", "8 gpu", "8-gpu" (after folding: "8x", "8 x", "8 gpu") → 8.
fn count_in(text: &str) -> Option<u32> {
    let toks: Vec<&str> = text.split(' ').filter(|t| !t.is_empty()).collect();
    for (i, t) in toks.iter().enumerate() {
        if let Some(n) = t.strip_suffix('x').and_then(|n| n.parse::<u32>().ok())
            && (2..=72).contains(&n)
        {
            return Some(n);
        }
        if let Ok(n) = t.parse::<u32>()
            && (2..=72).contains(&n)
            && matches!(toks.get(i + 1), Some(&"x") | Some(&"gpu") | Some(&"gpus"))
        {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::policy::Policy;

    fn tpp(product: &str, desc: &str, hs: &str, q: f64, v: f64) -> (LineClass, f64, f64) {
        let c = Catalog::builtin();
        let p = Policy::builtin("diffusion-2025").unwrap();
        let t = c.classify_text(product, desc, hs);
        let class = c.classify(t, q, v, &p.detectors.misdeclaration);
        let (d, s) = c.tpp(class, q);
        (class, d, s)
    }

    #[test]
    fn tpp_conversion() {
        assert_eq!(
            tpp(
                "NVIDIA H100 SXM5 80GB",
                "GPU accelerator module",
                "8542.31",
                1.0,
                30e3
            )
            .1,
            15_832.0
        );
        assert_eq!(
            tpp("NVIDIA H100 PCIe 80GB", "", "8473.30", 2.0, 50e3).1,
            24_208.0
        );
        assert_eq!(
            tpp("H20 96G", "AI inference card", "8473.30", 10.0, 1e5).1,
            23_680.0
        );
        assert_eq!(
            tpp("NVIDIA A100 80GB PCIe", "", "8473.30", 1.0, 1e4).1,
            4_992.0
        );
        assert_eq!(
            tpp("AMD Instinct MI300X", "OAM module", "8473.30", 1.0, 1e4).1,
            20_919.0
        );
        assert_eq!(tpp("NVIDIA B200", "", "8473.30", 1.0, 1e4).1, 36_000.0);
        assert_eq!(tpp("GeForce RTX 4090", "", "8473.30", 1.0, 2e3).1, 5_286.0);
        // Servers count every accelerator.
        assert_eq!(
            tpp(
                "HGX H100 8-GPU server",
                "Supermicro SYS-821GE-TNHR, 8x NVIDIA H100 SXM5 80GB",
                "8471.50",
                1.0,
                3e5
            )
            .1,
            126_656.0
        );
        assert_eq!(
            tpp("NVIDIA DGX H100", "DGX H100 system", "8471.50", 2.0, 6e5).1,
            253_312.0
        );
        assert_eq!(tpp("Ascend 910B", "", "8542.31", 1.0, 1e4).1, 5_120.0);
        assert_eq!(tpp("Intel Gaudi 3", "", "8542.31", 1.0, 1e4).1, 29_360.0);
    }

    #[test]
    fn unknown_and_not_controlled_are_told_apart() {
        assert_eq!(
            tpp("27-inch LCD monitor", "", "8528.52", 10.0, 2e3).0,
            LineClass::NotControlled
        );
        assert_eq!(
            tpp("mystery card", "", "8473.30", 10.0, 2e3).0,
            LineClass::Unknown
        );
        assert_eq!(
            tpp(
                "GeForce RTX 4070 graphics card",
                "consumer graphics card",
                "8473.30",
                10.0,
                5.7e3
            )
            .0,
            LineClass::NotControlled,
            "a consumer card priced like one is not a misdeclaration"
        );
    }

    #[test]
    fn a_model_number_matches_written_with_or_without_a_space() {
        let c = Catalog::builtin();
        let rtx = c.chips.iter().position(|x| x.name == "RTX 4090").unwrap() as u16;
        for text in [
            "GeForce RTX4090 24G",
            "NVIDIA GeForce RTX 4090 24GB",
            "rtx-4090",
        ] {
            assert_eq!(c.classify_text(text, "", "").chip, Some(rtx), "{text}");
        }
        assert_eq!(words("Server 8 GPU, Gaudi 3"), "server 8 gpu gaudi 3");
        assert_eq!(words("RTX 4090 x 8"), "rtx4090 x 8");
    }

    #[test]
    fn a_video_card_under_a_controlled_code_at_a_consumer_accelerators_price_counts_as_one() {
        // 100 "video cards" under 8471.80 at US$1,900 each: RTX 4090-class, 5,286 TPP apiece.
        let (c, d, s) = tpp("Video card", "video card", "8471.80", 100.0, 190e3);
        assert_eq!(
            c,
            LineClass::Suspect {
                per_unit: 1,
                consumer: true
            }
        );
        assert_eq!((d, s), (0.0, 528_600.0));
        // Under the floor (an RTX 4080's price), or without a controlled HS code, or with
        // no harmless word: unknown or not controlled, as before.
        for (product, desc, hs, value, want) in [
            (
                "Video card",
                "video card",
                "8471.80",
                110e3,
                LineClass::Unknown,
            ),
            (
                "Video card",
                "video card",
                "8528.52",
                190e3,
                LineClass::NotControlled,
            ),
            ("mystery card", "", "8473.30", 190e3, LineClass::Unknown),
        ] {
            assert_eq!(
                tpp(product, desc, hs, 100.0, value).0,
                want,
                "{product} {hs}"
            );
        }
        // A catalog without a consumer reference leaves such lines unknown.
        let mut cat = Catalog::builtin();
        cat.consumer_tpp = 0.0;
        let p = crate::score::Policy::builtin("diffusion-2025").unwrap();
        let t = cat.classify_text("Video card", "video card", "8471.80");
        assert_eq!(
            cat.classify(t, 100.0, 190e3, &p.detectors.misdeclaration),
            LineClass::Unknown
        );
        // A reference that names no chip is refused.
        let bad = BUILTIN.replacen(
            "consumer_reference = \"RTX 4090\"",
            "consumer_reference = \"RTX 9999\"",
            1,
        );
        assert!(matches!(
            Catalog::parse(&bad),
            Err(Error::Config { key, .. }) if key == "catalog.consumer_reference"
        ));
    }

    #[test]
    fn misdeclaration_by_price_under_harmless_words() {
        let (c, d, s) = tpp(
            "graphics adapter",
            "PCIe graphics adapter, computer parts",
            "8473.30",
            100.0,
            3.0e6,
        );
        assert_eq!(
            c,
            LineClass::Suspect {
                per_unit: 1,
                consumer: false
            }
        );
        assert_eq!((d, s), (0.0, 1_583_200.0));
        let (c, _, s) = tpp(
            "sample",
            "engineering samples for testing",
            "8542.31",
            2.0,
            60e3,
        );
        assert_eq!(
            c,
            LineClass::Suspect {
                per_unit: 1,
                consumer: false
            }
        );
        assert_eq!(s, 31_664.0);
        // A whole server priced like one under "computer parts".
        let (c, _, _) = tpp("computer parts", "", "8471.50", 1.0, 3e5);
        assert_eq!(
            c,
            LineClass::Suspect {
                per_unit: 8,
                consumer: false
            }
        );
        // An ordinary server priced like one is a computer, not a misdeclaration.
        assert_ne!(
            tpp("Lenovo ThinkSystem SR650", "", "8471.41", 1.0, 15e3).0,
            LineClass::Suspect {
                per_unit: 1,
                consumer: false
            }
        );
        assert_eq!(
            tpp("Dell PowerEdge R760 (no GPU)", "", "8471.41", 1.0, 15e3).0,
            LineClass::NotControlled
        );
        // A bare IC priced like an accelerator is suspect whatever it is called.
        assert_eq!(
            tpp("AI processor", "integrated circuit", "8542.31", 10.0, 3e5).0,
            LineClass::Suspect {
                per_unit: 1,
                consumer: false
            }
        );
        // Cheap parts are just parts.
        assert_eq!(
            tpp("computer parts", "", "8473.30", 100.0, 2e3).0,
            LineClass::Unknown
        );
        assert_eq!(
            tpp("adapter", "USB-C adapter", "8544.42", 100.0, 2e3).0,
            LineClass::NotControlled
        );
    }
}
