//! Countries, cities, streets, postcodes and phone numbers, and the ways documents spell them.
//!
//! Inputs: a [`Rng`] and a country index into [`COUNTRIES`]. Outputs: structured [`Address`]es
//! and phone numbers, rendered canonically for registries or as spelling variants for shipments
//! and screening lists (Road/Rd, #05-12/Unit 05-12, 5/F/Floor 5, postcode present or missing,
//! country as alpha-2, alpha-3 or name).

use std::fmt::Write;

use super::rng::Rng;

/// How a country's street type attaches to the street name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreetStyle {
    /// "Orchard Road".
    Suffix,
    /// "Jalan Ampang", "ul. Lenina".
    Prefix,
    /// "Hauptstraße".
    Attached,
}

/// How units and floors are written in a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitStyle {
    /// Singapore / Malaysia: "#05-12".
    Hash,
    /// Hong Kong / China / Taiwan: "Flat 12, 5/F".
    Floor,
    /// Elsewhere: "Suite 512".
    Suite,
}

/// One country the generator places parties in.
#[derive(Debug)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: &'static str,
    /// ISO 3166-1 alpha-3.
    pub alpha3: &'static str,
    /// English short name as trade documents write it.
    pub name: &'static str,
    /// International dialling code.
    pub dial: &'static str,
    /// Relative share of companies registered there.
    pub weight: u32,
    /// Cities (the first is the main one).
    pub cities: &'static [&'static str],
    /// Street names (without the type word).
    pub streets: &'static [&'static str],
    /// Street type words usable here: (full, abbreviations…).
    pub street_types: &'static [(&'static str, &'static [&'static str])],
    /// Where the type word goes.
    pub street_style: StreetStyle,
    /// Unit notation.
    pub unit_style: UnitStyle,
    /// Postcode digits (0 = no postcodes; 7 = Japanese NNN-NNNN).
    pub postcode_digits: u8,
    /// Web domain suffix.
    pub tld: &'static str,
}

const EN_TYPES: &[(&str, &[&str])] = &[
    ("Road", &["Rd", "Rd."]),
    ("Street", &["St", "St."]),
    ("Avenue", &["Ave", "Ave."]),
    ("Drive", &["Dr", "Dr."]),
    ("Boulevard", &["Blvd", "Blvd."]),
];

/// Every country the generator uses. Index 0.. are stable; code looks countries up by code.
pub const COUNTRIES: &[Country] = &[
    Country {
        code: "SG",
        alpha3: "SGP",
        name: "Singapore",
        dial: "65",
        weight: 120,
        cities: &["Singapore"],
        streets: &[
            "Robinson",
            "Ubi",
            "Kallang Bahru",
            "Jurong East",
            "Tai Seng",
            "Ang Mo Kio Industrial Park",
            "Changi South",
            "Kaki Bukit",
            "Woodlands",
            "Pioneer",
            "Cecil",
            "Beach",
            "Tampines",
        ],
        street_types: &[
            ("Road", &["Rd", "Rd."]),
            ("Street", &["St", "St."]),
            ("Avenue", &["Ave", "Ave."]),
            ("Crescent", &["Cres", "Cres."]),
        ],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Hash,
        postcode_digits: 6,
        tld: "com.sg",
    },
    Country {
        code: "MY",
        alpha3: "MYS",
        name: "Malaysia",
        dial: "60",
        weight: 80,
        cities: &[
            "Kuala Lumpur",
            "Johor Bahru",
            "Penang",
            "Petaling Jaya",
            "Shah Alam",
            "Cyberjaya",
        ],
        streets: &[
            "Ampang",
            "Sultan Ismail",
            "Tun Razak",
            "Bukit Bintang",
            "Puchong",
            "Perindustrian Bayan Lepas",
            "Klang Lama",
            "Teknologi",
        ],
        street_types: &[("Jalan", &["Jln", "Jln."])],
        street_style: StreetStyle::Prefix,
        unit_style: UnitStyle::Hash,
        postcode_digits: 5,
        tld: "com.my",
    },
    Country {
        code: "TH",
        alpha3: "THA",
        name: "Thailand",
        dial: "66",
        weight: 60,
        cities: &["Bangkok", "Samut Prakan", "Chonburi", "Nonthaburi"],
        streets: &[
            "Sukhumvit",
            "Rama IV",
            "Silom",
            "Ratchadaphisek",
            "Phahonyothin",
            "Bangna-Trad",
            "Sathorn",
        ],
        street_types: &[("Road", &["Rd", "Rd."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 5,
        tld: "co.th",
    },
    Country {
        code: "HK",
        alpha3: "HKG",
        name: "Hong Kong",
        dial: "852",
        weight: 100,
        cities: &[
            "Hong Kong",
            "Kowloon",
            "Kwun Tong",
            "Tsuen Wan",
            "Sheung Wan",
            "Wan Chai",
        ],
        streets: &[
            "Queen's",
            "Des Voeux",
            "Nathan",
            "Hoi Bun",
            "How Ming",
            "Castle Peak",
            "Lockhart",
            "Hung To",
            "Wing Hong",
        ],
        street_types: &[("Road", &["Rd", "Rd."]), ("Street", &["St", "St."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Floor,
        postcode_digits: 0,
        tld: "com.hk",
    },
    Country {
        code: "AE",
        alpha3: "ARE",
        name: "United Arab Emirates",
        dial: "971",
        weight: 70,
        cities: &["Dubai", "Abu Dhabi", "Sharjah", "Ajman"],
        streets: &[
            "Sheikh Zayed",
            "Al Maktoum",
            "Jebel Ali Free Zone",
            "Al Garhoud",
            "Airport",
            "Dubai Silicon Oasis",
            "Hamdan",
        ],
        street_types: &[("Road", &["Rd", "Rd."]), ("Street", &["St", "St."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 0,
        tld: "ae",
    },
    Country {
        code: "TW",
        alpha3: "TWN",
        name: "Taiwan",
        dial: "886",
        weight: 60,
        cities: &[
            "Taipei",
            "New Taipei",
            "Hsinchu",
            "Taoyuan",
            "Taichung",
            "Kaohsiung",
        ],
        streets: &[
            "Zhongxiao East",
            "Nanjing East",
            "Keelung",
            "Ruiguang",
            "Neihu",
            "Xinhu 1st",
            "Guangfu",
            "Zhongshan North",
        ],
        street_types: &[("Road", &["Rd", "Rd."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Floor,
        postcode_digits: 6,
        tld: "com.tw",
    },
    Country {
        code: "VN",
        alpha3: "VNM",
        name: "Vietnam",
        dial: "84",
        weight: 50,
        cities: &[
            "Ho Chi Minh City",
            "Hanoi",
            "Hai Phong",
            "Da Nang",
            "Bac Ninh",
        ],
        streets: &[
            "Nguyen Hue",
            "Le Loi",
            "Tran Hung Dao",
            "Dien Bien Phu",
            "Pham Van Dong",
            "Hai Ba Trung",
        ],
        street_types: &[("Street", &["St", "St."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Floor,
        postcode_digits: 6,
        tld: "com.vn",
    },
    Country {
        code: "CN",
        alpha3: "CHN",
        name: "China",
        dial: "86",
        weight: 140,
        cities: &[
            "Shenzhen",
            "Shanghai",
            "Beijing",
            "Guangzhou",
            "Hangzhou",
            "Chengdu",
            "Wuhan",
            "Suzhou",
        ],
        streets: &[
            "Keyuan",
            "Shennan",
            "Huaqiang North",
            "Zhangjiang",
            "Zhongguancun",
            "Gaoxin South",
            "Tianfu",
            "Binhai",
        ],
        street_types: &[("Road", &["Rd", "Rd."]), ("Avenue", &["Ave", "Ave."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Floor,
        postcode_digits: 6,
        tld: "com.cn",
    },
    Country {
        code: "US",
        alpha3: "USA",
        name: "United States",
        dial: "1",
        weight: 100,
        cities: &[
            "San Jose",
            "Santa Clara",
            "Fremont",
            "Austin",
            "Miami",
            "Los Angeles",
            "New York",
            "Seattle",
            "Dallas",
        ],
        streets: &[
            "Mission",
            "Great America",
            "Stevens Creek",
            "Technology",
            "Main",
            "Brickell",
            "Lakeside",
            "Commerce",
        ],
        street_types: EN_TYPES,
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 5,
        tld: "com",
    },
    Country {
        code: "KR",
        alpha3: "KOR",
        name: "South Korea",
        dial: "82",
        weight: 50,
        cities: &["Seoul", "Seongnam", "Suwon", "Incheon", "Busan"],
        streets: &[
            "Teheran",
            "Pangyo",
            "Gasan Digital 1",
            "Digital",
            "Sejong",
            "Gangnam",
        ],
        street_types: &[("-ro", &["-ro"]), ("-gil", &["-gil"])],
        street_style: StreetStyle::Attached,
        unit_style: UnitStyle::Floor,
        postcode_digits: 5,
        tld: "co.kr",
    },
    Country {
        code: "JP",
        alpha3: "JPN",
        name: "Japan",
        dial: "81",
        weight: 40,
        cities: &["Tokyo", "Osaka", "Yokohama", "Kawasaki", "Nagoya"],
        streets: &[
            "Shibaura",
            "Shinagawa",
            "Akihabara",
            "Minato Mirai",
            "Umeda",
            "Nishi-Shinjuku",
        ],
        street_types: &[("Street", &["St", "St."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Floor,
        postcode_digits: 7,
        tld: "co.jp",
    },
    Country {
        code: "DE",
        alpha3: "DEU",
        name: "Germany",
        dial: "49",
        weight: 40,
        cities: &[
            "Frankfurt am Main",
            "Munich",
            "Berlin",
            "Hamburg",
            "Dusseldorf",
        ],
        streets: &[
            "Haupt",
            "Industrie",
            "Hanauer Land",
            "Mainzer Land",
            "Bahnhof",
            "Leopold",
            "Kaiser",
        ],
        street_types: &[("straße", &["strasse", "str.", "str"])],
        street_style: StreetStyle::Attached,
        unit_style: UnitStyle::Suite,
        postcode_digits: 5,
        tld: "de",
    },
    Country {
        code: "RU",
        alpha3: "RUS",
        name: "Russia",
        dial: "7",
        weight: 40,
        cities: &[
            "Moscow",
            "Saint Petersburg",
            "Novosibirsk",
            "Yekaterinburg",
            "Kazan",
        ],
        streets: &[
            "Lenina",
            "Tverskaya",
            "Profsoyuznaya",
            "Leninsky",
            "Nevsky",
            "Bolshaya Ordynka",
        ],
        street_types: &[("ulitsa", &["ul.", "ul"]), ("prospekt", &["pr.", "prosp."])],
        street_style: StreetStyle::Prefix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 6,
        tld: "ru",
    },
    Country {
        code: "IN",
        alpha3: "IND",
        name: "India",
        dial: "91",
        weight: 50,
        cities: &[
            "Bengaluru",
            "Mumbai",
            "New Delhi",
            "Chennai",
            "Hyderabad",
            "Pune",
        ],
        streets: &[
            "MG",
            "Outer Ring",
            "Whitefield Main",
            "Andheri Kurla",
            "Anna Salai",
            "Hitech City",
        ],
        street_types: &[("Road", &["Rd", "Rd."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 6,
        tld: "in",
    },
    Country {
        code: "GB",
        alpha3: "GBR",
        name: "United Kingdom",
        dial: "44",
        weight: 12,
        cities: &["London", "Manchester", "Cambridge", "Reading"],
        streets: &["High", "Station", "Old Street", "King", "Victoria"],
        street_types: EN_TYPES,
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 0,
        tld: "co.uk",
    },
    Country {
        code: "NL",
        alpha3: "NLD",
        name: "Netherlands",
        dial: "31",
        weight: 8,
        cities: &["Amsterdam", "Rotterdam", "Eindhoven"],
        streets: &["Keizers", "Herengracht", "Stations", "Industrie"],
        street_types: &[("straat", &["str."]), ("weg", &["wg."])],
        street_style: StreetStyle::Attached,
        unit_style: UnitStyle::Suite,
        postcode_digits: 4,
        tld: "nl",
    },
    Country {
        code: "ID",
        alpha3: "IDN",
        name: "Indonesia",
        dial: "62",
        weight: 12,
        cities: &["Jakarta", "Batam", "Surabaya"],
        streets: &["Sudirman", "Thamrin", "Gatot Subroto", "Kuningan"],
        street_types: &[("Jalan", &["Jl.", "Jl"])],
        street_style: StreetStyle::Prefix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 5,
        tld: "co.id",
    },
    Country {
        code: "TR",
        alpha3: "TUR",
        name: "Turkey",
        dial: "90",
        weight: 10,
        cities: &["Istanbul", "Ankara", "Izmir"],
        streets: &["Ataturk", "Buyukdere", "Istiklal", "Baglar"],
        street_types: &[("Caddesi", &["Cad.", "Cd."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 5,
        tld: "com.tr",
    },
    Country {
        code: "KZ",
        alpha3: "KAZ",
        name: "Kazakhstan",
        dial: "7",
        weight: 8,
        cities: &["Almaty", "Astana"],
        streets: &["Abaya", "Dostyk", "Al-Farabi", "Seifullina"],
        street_types: &[("Avenue", &["Ave", "Ave."]), ("Street", &["St", "St."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 6,
        tld: "kz",
    },
    Country {
        code: "IR",
        alpha3: "IRN",
        name: "Iran",
        dial: "98",
        weight: 4,
        cities: &["Tehran", "Isfahan", "Tabriz"],
        streets: &["Valiasr", "Enghelab", "Azadi", "Motahari"],
        street_types: &[("Street", &["St", "St."]), ("Avenue", &["Ave", "Ave."])],
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 10,
        tld: "ir",
    },
    Country {
        code: "MO",
        alpha3: "MAC",
        name: "Macao",
        dial: "853",
        weight: 3,
        cities: &["Macau"],
        streets: &["Praia Grande", "Almeida Ribeiro", "Infante D. Henrique"],
        street_types: &[("Avenida", &["Av.", "Avda"])],
        street_style: StreetStyle::Prefix,
        unit_style: UnitStyle::Floor,
        postcode_digits: 0,
        tld: "com.mo",
    },
    Country {
        code: "CA",
        alpha3: "CAN",
        name: "Canada",
        dial: "1",
        weight: 8,
        cities: &["Toronto", "Vancouver", "Montreal"],
        streets: &["King", "Bay", "Granville", "Queen"],
        street_types: EN_TYPES,
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 0,
        tld: "ca",
    },
    Country {
        code: "AU",
        alpha3: "AUS",
        name: "Australia",
        dial: "61",
        weight: 8,
        cities: &["Sydney", "Melbourne", "Brisbane"],
        streets: &["George", "Collins", "Pitt", "Elizabeth"],
        street_types: EN_TYPES,
        street_style: StreetStyle::Suffix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 4,
        tld: "com.au",
    },
    Country {
        code: "FR",
        alpha3: "FRA",
        name: "France",
        dial: "33",
        weight: 8,
        cities: &["Paris", "Lyon", "Grenoble"],
        streets: &["de la Paix", "Saint-Honore", "de Rivoli", "Victor Hugo"],
        street_types: &[("Rue", &["R."]), ("Avenue", &["Av.", "Ave"])],
        street_style: StreetStyle::Prefix,
        unit_style: UnitStyle::Suite,
        postcode_digits: 5,
        tld: "fr",
    },
];

/// Index of a country by alpha-2 code.
///
/// # Panics
/// If the code is not in [`COUNTRIES`] (a programming error: codes come from this file).
pub fn country(code: &str) -> usize {
    COUNTRIES
        .iter()
        .position(|c| c.code == code)
        .unwrap_or_else(|| panic!("unknown country {code}"))
}

/// Weights of [`COUNTRIES`] for picking a company's country.
pub fn weights() -> Vec<u32> {
    COUNTRIES.iter().map(|c| c.weight).collect()
}

/// How a country is written in a field.
pub fn country_spelling(rng: &mut Rng, c: usize, noise: f64) -> &'static str {
    let k = &COUNTRIES[c];
    if !rng.chance(noise) {
        return k.code;
    }
    if rng.chance(0.6) { k.name } else { k.alpha3 }
}

/// A structured address.
#[derive(Debug, Clone)]
pub struct Address {
    /// Index into [`COUNTRIES`].
    pub country: u16,
    /// Index into the country's cities.
    pub city: u8,
    /// Index into the country's streets.
    pub street: u8,
    /// Index into the country's street types.
    pub street_type: u8,
    /// House number.
    pub number: u16,
    /// Floor (0 = none).
    pub floor: u8,
    /// Unit on the floor (0 = none).
    pub unit: u16,
    /// Building name (index into [`BUILDINGS`] + 1; 0 = none).
    pub building: u8,
    /// Postcode (empty where the country has none).
    pub postcode: String,
}

/// Building name stems; the kind word comes from [`BUILDING_KINDS`].
pub const BUILDINGS: &[&str] = &[
    "Tech",
    "Harbour",
    "Pacific",
    "Golden",
    "Everbright",
    "Century",
    "Metro",
    "Prosperity",
    "Oriental",
    "Phoenix",
    "Sunrise",
    "Grand",
    "Lucky",
    "Crystal",
    "Summit",
    "Gateway",
];

/// Building kind words with their abbreviations.
pub const BUILDING_KINDS: &[(&str, &[&str])] = &[
    ("Building", &["Bldg", "Bldg."]),
    ("Centre", &["Center", "Ctr"]),
    ("Tower", &["Twr", "Twr."]),
    ("Industrial Building", &["Ind. Bldg", "Industrial Bldg"]),
    ("Plaza", &["Plz"]),
    ("Business Park", &["Biz Park", "Bus. Park"]),
];

impl Address {
    /// A random address in country `c`.
    pub fn random(rng: &mut Rng, c: usize) -> Address {
        let k = &COUNTRIES[c];
        let city = if rng.chance(0.5) {
            0
        } else {
            rng.index(k.cities.len())
        };
        let has_unit = rng.chance(0.7);
        let postcode = postcode(rng, k.postcode_digits);
        Address {
            country: c as u16,
            city: city as u8,
            street: rng.index(k.streets.len()) as u8,
            street_type: rng.index(k.street_types.len()) as u8,
            number: rng.range(1, 420) as u16,
            floor: if has_unit { rng.range(1, 38) as u8 } else { 0 },
            unit: if has_unit { rng.range(1, 60) as u16 } else { 0 },
            building: if rng.chance(0.45) {
                rng.range(1, (BUILDINGS.len() * BUILDING_KINDS.len()) as u64) as u8
            } else {
                0
            },
            postcode,
        }
    }

    /// The country's record.
    pub fn country(&self) -> &'static Country {
        &COUNTRIES[self.country as usize]
    }

    /// The city name.
    pub fn city(&self) -> &'static str {
        self.country().cities[self.city as usize]
    }

    /// Writes the street line (unit, building, number, street) canonically (`variant` = false) or
    /// as a random spelling variant.
    pub fn push_street(&self, out: &mut String, rng: &mut Rng, variant: bool) {
        let k = self.country();
        let v = |p: f64, rng: &mut Rng| variant && rng.chance(p);
        if self.unit > 0 {
            match k.unit_style {
                UnitStyle::Hash => {
                    let form = if variant { rng.below(4) } else { 0 };
                    let _ = match form {
                        0 | 1 => write!(out, "#{:02}-{:02}", self.floor, self.unit),
                        2 => write!(out, "Unit {:02}-{:02}", self.floor, self.unit),
                        _ => write!(out, "{:02}-{:02}", self.floor, self.unit),
                    };
                }
                UnitStyle::Floor => {
                    let form = if variant { rng.below(5) } else { 0 };
                    let _ = match form {
                        0 | 1 => write!(out, "Flat {}, {}/F", self.unit, self.floor),
                        2 => write!(out, "Unit {}, {}F", self.unit, self.floor),
                        3 => write!(out, "Rm {}, Floor {}", self.unit, self.floor),
                        _ => write!(out, "{}/F, Room {}", self.floor, self.unit),
                    };
                }
                UnitStyle::Suite => {
                    let form = if variant { rng.below(4) } else { 0 };
                    let _ = match form {
                        0 | 1 => write!(out, "Suite {}{:02}", self.floor, self.unit),
                        2 => write!(out, "Ste {}{:02}", self.floor, self.unit),
                        _ => write!(out, "Floor {}, Unit {}", self.floor, self.unit),
                    };
                }
            }
            out.push_str(", ");
        }
        if self.building > 0 && !v(0.25, rng) {
            let b = self.building as usize - 1;
            let (kind, abbrs) = BUILDING_KINDS[b % BUILDING_KINDS.len()];
            out.push_str(BUILDINGS[b / BUILDING_KINDS.len() % BUILDINGS.len()]);
            out.push(' ');
            let abbr = *rng.pick(abbrs);
            let word = if v(0.5, rng) { abbr } else { kind };
            out.push_str(word);
            out.push_str(", ");
        }
        let (ty, abbrs) = k.street_types[self.street_type as usize];
        let ty = if v(0.55, rng) { *rng.pick(abbrs) } else { ty };
        let street = k.streets[self.street as usize];
        let n = self.number;
        let _ = match (k.code, k.street_style) {
            // Number after the street where the country writes it so.
            ("RU", _) => {
                let d = if v(0.5, rng) { "d. " } else { "" };
                write!(out, "{ty} {street}, {d}{n}")
            }
            ("ID", _) => write!(out, "{ty} {street} No. {n}"),
            ("TR", _) => write!(out, "{street} {ty} No: {n}"),
            (_, StreetStyle::Attached) if k.code != "KR" => write!(out, "{street}{ty} {n}"),
            (_, StreetStyle::Attached) => write!(out, "{n} {street}{ty}"),
            (_, StreetStyle::Suffix) => write!(out, "{n} {street} {ty}"),
            (_, StreetStyle::Prefix) => write!(out, "{n} {ty} {street}"),
        };
    }

    /// Writes the full one-line address as a shipment would give it: street line, city,
    /// postcode (sometimes missing), sometimes the country name.
    pub fn push_line(&self, out: &mut String, rng: &mut Rng, variant: bool) {
        let start = out.len();
        self.push_street(out, rng, variant);
        let k = self.country();
        if !(variant && rng.chance(0.08)) {
            out.push_str(", ");
            out.push_str(self.city());
        }
        let drop_postcode = variant && rng.chance(0.3);
        if !self.postcode.is_empty() && !drop_postcode {
            out.push(' ');
            out.push_str(&self.postcode);
        }
        if variant && rng.chance(0.3) {
            out.push_str(", ");
            out.push_str(k.name);
        }
        if variant && rng.chance(0.3) {
            let upper = out[start..].to_uppercase();
            out.truncate(start);
            out.push_str(&upper);
        }
    }

    /// The canonical street line.
    pub fn street_line(&self) -> String {
        let mut s = String::new();
        self.push_street(&mut s, &mut Rng::new(0), false);
        s
    }

    /// The street line and city in the home script, as a Chinese or Russian registry writes
    /// them ("深圳市科苑路88号2楼15室", "ул. Ленина, д. 12, оф. 305"); `None` elsewhere.
    pub fn native(&self) -> Option<(String, &'static str)> {
        let k = self.country();
        let street = self.street as usize;
        match k.code {
            "CN" => {
                let city = CN_CITIES.get(self.city as usize)?;
                let mut s = format!("{city}{}{}号", CN_STREETS.get(street)?, self.number);
                if self.unit > 0 {
                    s.push_str(&format!("{}楼{}室", self.floor, self.unit));
                }
                Some((s, city))
            }
            "RU" => {
                let (ty, name) = RU_STREETS.get(street)?;
                let mut s = format!("{ty} {name}, д. {}", self.number);
                if self.unit > 0 {
                    s.push_str(&format!(", оф. {}{:02}", self.floor, self.unit));
                }
                Some((s, RU_CITIES.get(self.city as usize)?))
            }
            _ => None,
        }
    }
}

/// Chinese names of the CN cities and streets above, index for index.
const CN_CITIES: &[&str] = &[
    "深圳市",
    "上海市",
    "北京市",
    "广州市",
    "杭州市",
    "成都市",
    "武汉市",
    "苏州市",
];
const CN_STREETS: &[&str] = &[
    "科苑路",
    "深南大道",
    "华强北路",
    "张江路",
    "中关村大街",
    "高新南路",
    "天府大道",
    "滨海大道",
];
/// Russian names of the RU cities and streets above, index for index.
const RU_CITIES: &[&str] = &[
    "Москва",
    "Санкт-Петербург",
    "Новосибирск",
    "Екатеринбург",
    "Казань",
];
const RU_STREETS: &[(&str, &str)] = &[
    ("ул.", "Ленина"),
    ("ул.", "Тверская"),
    ("ул.", "Профсоюзная"),
    ("пр-т", "Ленинский"),
    ("пр-т", "Невский"),
    ("ул.", "Большая Ордынка"),
];

fn postcode(rng: &mut Rng, digits: u8) -> String {
    match digits {
        0 => String::new(),
        7 => format!("{:03}-{:04}", rng.range(100, 999), rng.below(10_000)),
        4 => format!("{}", rng.range(1000, 9999)),
        n => {
            let lo = 10u64.pow(u32::from(n) - 1);
            format!("{}", rng.range(lo, lo * 10 - 1))
        }
    }
}

/// A random phone number of country `c` as national significant digits (no country code).
pub fn phone_digits(rng: &mut Rng, c: usize) -> u64 {
    let _ = c;
    rng.range(20_000_000, 99_999_999)
}

/// Writes a phone number, canonically "+CC NNNN NNNN" or as a formatting variant.
pub fn push_phone(out: &mut String, rng: &mut Rng, c: usize, digits: u64, variant: bool) {
    let dial = COUNTRIES[c].dial;
    let (a, b) = (digits / 10_000, digits % 10_000);
    let form = if variant { rng.below(5) } else { 0 };
    let _ = match form {
        0 => write!(out, "+{dial} {a:04} {b:04}"),
        1 => write!(out, "+{dial}{a:04}{b:04}"),
        2 => write!(out, "({dial}) {a:04}-{b:04}"),
        3 => write!(out, "00{dial} {a:04}{b:04}"),
        _ => write!(out, "{a:04}-{b:04}"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_is_consistent() {
        for (i, k) in COUNTRIES.iter().enumerate() {
            assert_eq!(country(k.code), i);
            assert!(!k.cities.is_empty() && !k.streets.is_empty() && !k.street_types.is_empty());
        }
    }

    #[test]
    fn native_addresses_cover_every_street_and_city() {
        let (cn, ru) = (&COUNTRIES[country("CN")], &COUNTRIES[country("RU")]);
        assert_eq!(
            (cn.cities.len(), cn.streets.len()),
            (CN_CITIES.len(), CN_STREETS.len())
        );
        assert_eq!(
            (ru.cities.len(), ru.streets.len()),
            (RU_CITIES.len(), RU_STREETS.len())
        );
        let mut rng = Rng::new(2);
        let a = Address::random(&mut rng, country("CN"));
        let (street, city) = a.native().unwrap();
        assert!(street.starts_with(city) && street.contains('号'));
        assert!(Address::random(&mut rng, country("SG")).native().is_none());
    }

    #[test]
    fn address_variants_differ_but_keep_the_number() {
        let mut rng = Rng::new(3);
        let sg = country("SG");
        let a = Address::random(&mut rng, sg);
        let canon = a.street_line();
        let mut seen_other = false;
        for _ in 0..50 {
            let mut s = String::new();
            a.push_line(&mut s, &mut rng, true);
            assert!(s.contains(&a.number.to_string()));
            seen_other |= !s.starts_with(&canon);
        }
        assert!(seen_other);
    }
}
