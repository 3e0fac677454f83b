//! Normalisation: turn the raw fields of a record into comparable forms.
//!
//! Input: the text of one field as a source wrote it, in any script. Output: folded tokens (NFKC,
//! case-folded, transliterated to ASCII with `any_ascii`, punctuation to spaces), a recognised
//! legal form (kept as its own field, never silently dropped), the several names one name field
//! can give (a trade name after "d/b/a", a former name, an alias; a status such as "in
//! liquidation" and a "c/o" party left out: [`name_designations`]), address tokens with street and
//! unit words abbreviated one way, phone numbers as their significant digits, e-mail addresses
//! and web domains. Every function here is pure and idempotent on its own output: normalising a
//! normalised value gives it back unchanged (tested below).
//!
//! Nothing here is tuned to a data set: the tables are the usual spellings of legal forms and
//! postal abbreviations in the jurisdictions trade data mentions.

use unicode_normalization::UnicodeNormalization;

/// Folds text for comparison: NFKC, transliteration of non-Latin scripts (Chinese, Japanese,
/// Korean, Cyrillic, Arabic, Greek …) to ASCII, lower case, apostrophes dropped ("McDonald's" →
/// "mcdonalds"), `&` read as "and", every other non-alphanumeric character a single space,
/// trimmed.
///
/// ```
/// use trawl::resolve::normalize::fold;
/// assert_eq!(fold("  APEX  Technology, PTE. Ltd."), "apex technology pte ltd");
/// assert_eq!(fold("深圳"), "shenzhen");
/// assert_eq!(fold("ООО Ромашка"), "ooo romashka");
/// ```
pub fn fold(s: &str) -> String {
    fold_with(s, false)
}

/// [`fold`], with every Han character and Hangul syllable a word of its own ("林国华" → "lin guo
/// hua"). Used for people's names, where each syllable is a name part: "林国华" and "林国国"
/// then share "lin guo" but differ in the last syllable instead of being two near-identical
/// opaque words, and "Lin Guohua" still meets the first through the compact comparison. Company
/// names keep a run of characters as one word: their syllables ("shen zhen shi …") are shared
/// by thousands of unrelated firms.
pub fn fold_syllables(s: &str) -> String {
    fold_with(s, true)
}

fn fold_with(s: &str, split_syllables: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut pending_space = false;
    let push = |out: &mut String, pending: &mut bool, piece: &str| {
        for c in piece.chars() {
            if c.is_ascii_alphanumeric() {
                if *pending && !out.is_empty() {
                    out.push(' ');
                }
                *pending = false;
                out.push(c.to_ascii_lowercase());
            } else if c == '\'' || c == '`' {
                // Apostrophes join: "o'neil" and "oneil" are one spelling.
            } else if c == '&' {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str("and");
                *pending = true;
            } else {
                *pending = true;
            }
        }
    };
    // ASCII text is its own NFKC form and needs no transliteration: the common case, folded
    // without the normaliser's per-character tables.
    if s.is_ascii() {
        push(&mut out, &mut pending_space, s);
        return out;
    }
    for c in s.nfkc() {
        if c.is_ascii() {
            let mut buf = [0u8; 4];
            push(&mut out, &mut pending_space, c.encode_utf8(&mut buf));
        } else if c == '\u{2019}' || c == '\u{2018}' {
            // typographic apostrophes, as above
        } else {
            let t = any_ascii::any_ascii_char(c);
            if t.is_empty() {
                pending_space = true;
            } else if split_syllables && syllabic(c) {
                pending_space = true;
                push(&mut out, &mut pending_space, t);
                pending_space = true;
            } else {
                push(&mut out, &mut pending_space, t);
            }
        }
    }
    out
}

/// Han ideographs and Hangul syllables: scripts where one character is one syllable.
fn syllabic(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF)
}

/// Splits folded text into tokens, joining runs of single letters ("s a" → "sa", "l l c" →
/// "llc", which is how "S.A." and "L.L.C." fold).
pub fn tokens(folded: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    for t in folded.split(' ').filter(|t| !t.is_empty()) {
        if t.len() == 1 && t.as_bytes()[0].is_ascii_alphabetic() {
            run.push_str(t);
        } else {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            out.push(t.to_string());
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// A legal form, by its canonical spelling. Forms that mean the same thing in different words
/// ("Limited" / "Ltd", "Kabushiki Kaisha" / "K.K." / 株式会社) share a canonical form; forms that
/// are commonly written for one another in translation (有限公司 is "Co., Ltd."; GmbH is often
/// "LLC") share a [family](LegalForm::families).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegalForm(pub &'static str);

/// Family bits: limited company (Ltd, Co Ltd, Pte Ltd …), corporation (Inc, Corp, KK …), limited
/// liability company (LLC, GmbH, OOO, SARL …), joint-stock (AG, SA, JSC …), free-zone (FZE,
/// FZCO, FZ-LLC), partnership (LLP, LP …), Indonesian (PT, CV, Tbk), cooperative / other.
const LTD: u8 = 1;
const CORP: u8 = 2;
const LLC: u8 = 4;
const JSC: u8 = 8;
const FZ: u8 = 16;
const PART: u8 = 32;
const ID: u8 = 64;
const OTHER: u8 = 128;

/// The legal-form table: (canonical, families, spellings as folded token sequences). Longer
/// spellings are tried first, so "pte ltd" wins over "ltd".
const LEGAL_FORMS: &[(&str, u8, &[&str])] = &[
    (
        "ltd",
        LTD,
        &["ltd", "limited", "ltda", "limitada", "ltee", "limitee"],
    ),
    (
        "co ltd",
        LTD | CORP,
        &[
            "co ltd",
            "coltd",
            "company limited",
            "co limited",
            "company ltd",
            "corp ltd",
            "corporation limited",
        ],
    ),
    (
        "pte ltd",
        LTD,
        &["pte ltd", "pte limited", "private limited company", "pte"],
    ),
    (
        "pvt ltd",
        LTD,
        &[
            "pvt ltd",
            "private limited",
            "pvt limited",
            "private ltd",
            "p ltd",
        ],
    ),
    (
        "pty ltd",
        LTD,
        &["pty ltd", "proprietary limited", "pty limited", "pty"],
    ),
    (
        "plc",
        LTD | JSC,
        &[
            "plc",
            "public limited company",
            "public co ltd",
            "public company limited",
            "pcl",
        ],
    ),
    (
        "sdn bhd",
        LTD,
        &["sdn bhd", "sendirian berhad", "sdn berhad"],
    ),
    ("bhd", LTD | JSC, &["bhd", "berhad"]),
    ("inc", CORP, &["inc", "incorporated", "incorporation"]),
    ("corp", CORP, &["corp", "corporation", "corpn"]),
    (
        "co",
        CORP | LTD,
        &["co", "company", "cie", "compania", "companhia"],
    ),
    (
        "llc",
        LLC,
        &[
            "llc",
            "limited liability company",
            "l l c",
            "ltd liability co",
        ],
    ),
    ("llp", PART, &["llp", "limited liability partnership"]),
    ("lp", PART, &["lp", "limited partnership"]),
    (
        "gmbh",
        LLC,
        &[
            "gmbh",
            "gesellschaft mit beschrankter haftung",
            "ges m b h",
            "gesmbh",
        ],
    ),
    (
        "gmbh co kg",
        PART,
        // "und" and its abbreviation "u." as often as "&"
        &[
            "gmbh and co kg",
            "gmbh co kg",
            "gmbh und co kg",
            "gmbh u co kg",
        ],
    ),
    ("kg", PART, &["kg", "kommanditgesellschaft"]),
    ("ag", JSC, &["ag", "aktiengesellschaft"]),
    (
        "sa",
        JSC,
        &[
            "sa",
            "societe anonyme",
            "sociedad anonima",
            "sociedade anonima",
            // Greek Α.Ε. (anonymi etaireia), Polish spółka akcyjna, Peru's S.A.C. / S.A.A.
            "ae",
            "anonymi etaireia",
            "anonymos etaireia",
            "spolka akcyjna",
            "sac",
            "saa",
            "sociedad anonima cerrada",
            "sociedad anonima abierta",
        ],
    ),
    (
        "sas",
        JSC,
        &["sas", "societe par actions simplifiee", "sasu"],
    ),
    (
        "sarl",
        LLC,
        &["sarl", "societe a responsabilite limitee", "eurl"],
    ),
    (
        "sa de cv",
        JSC,
        &["sa de cv", "sapi de cv", "s de rl de cv", "sab de cv"],
    ),
    ("bv", LLC, &["bv", "besloten vennootschap", "bvba"]),
    ("nv", JSC, &["nv", "naamloze vennootschap"]),
    ("spa", JSC, &["spa", "societa per azioni"]),
    (
        "srl",
        LLC,
        &[
            "srl",
            "societa a responsabilita limitata",
            "sro",
            "s r o",
            "spol s r o",
            "sprl",
            "spolecnost s rucenim omezenym",
            "spolocnost s rucenim obmedzenym",
        ],
    ),
    (
        "sp z oo",
        LLC,
        &[
            "sp z oo",
            "sp zoo",
            "spzoo",
            "spolka z ograniczona odpowiedzialnoscia",
            "sp z o o",
        ],
    ),
    ("kft", LLC, &["kft", "korlatolt felelossegu tarsasag"]),
    ("doo", LLC, &["doo", "d o o", "eood", "ood"]),
    // "(Persero)" marks a state-owned PT: PT Pertamina (Persero), PT Telkom Indonesia (Persero)
    ("pt", ID, &["pt", "perseroan terbatas", "persero"]),
    ("tbk", ID | JSC, &["tbk", "pt tbk", "persero tbk"]),
    ("cv", ID | PART, &["cv", "commanditaire vennootschap"]),
    ("fze", FZ, &["fze", "fz e", "free zone establishment"]),
    ("fzco", FZ, &["fzco", "fz co", "fzc", "free zone company"]),
    ("fz llc", FZ | LLC, &["fz llc", "fzllc", "free zone llc"]),
    ("dmcc", FZ, &["dmcc"]),
    (
        "jsc",
        JSC,
        &[
            "jsc",
            "joint stock company",
            "ao",
            "oao",
            "zao",
            "pao",
            "ojsc",
            "cjsc",
            "pjsc",
            "ad",
            "jsc co",
            "aktsionernoe obshchestvo",
            "publichnoe aktsionernoe obshchestvo",
            "otkrytoe aktsionernoe obshchestvo",
            "zakrytoe aktsionernoe obshchestvo",
            "public joint stock company",
            "open joint stock company",
            "closed joint stock company",
            // Hungary: zártkörűen / nyilvánosan működő részvénytársaság
            "zrt",
            "nyrt",
            "cong ty co phan",
            "cty co phan",
            "cong ty cp",
            "cty cp",
            "ctcp",
        ],
    ),
    (
        "ooo",
        LLC,
        &[
            "ooo",
            "obshchestvo s ogranichennoi otvetstvennostiu",
            "obshchestvo s ogranichennoy otvetstvennostyu",
            "obshchestvo s ogranichennoj otvetstvennostju",
            "tov",
            "too",
            "mchj",
        ],
    ),
    (
        "kk",
        CORP | LTD,
        &[
            "kk",
            "kabushiki kaisha",
            "kabushikikaisha",
            "kabushiki gaisha",
            "kabushikigaisha",
            "zhushihuishe",
        ],
    ),
    (
        "yk",
        LTD | LLC,
        &["yk", "yugen kaisha", "yugengaisha", "youxianhuishe"],
    ),
    (
        "gk",
        LLC,
        &["gk", "godo kaisha", "godogaisha", "hetonghuishe"],
    ),
    (
        "youxian gongsi",
        LTD | CORP,
        &["youxian gongsi", "youxiangongsi", "you xian gong si"],
    ),
    (
        "youxian zeren gongsi",
        LTD | LLC,
        &["youxian zeren gongsi", "youxianzerengongsi"],
    ),
    (
        "gufen youxian gongsi",
        // Taiwan's firms also write "Inc." or "Corporation" (華碩電腦股份有限公司, ASUSTeK
        // Computer Inc.)
        LTD | JSC | CORP,
        &["gufen youxian gongsi", "gufenyouxiangongsi"],
    ),
    ("gongsi", CORP | LTD, &["gongsi"]),
    (
        "jusik hoesa",
        CORP | LTD,
        &["jusik hoesa", "jusikhoesa", "chusik hoesa", "jusikoesa"],
    ),
    ("yuhan hoesa", LTD | LLC, &["yuhan hoesa", "yuhanhoesa"]),
    ("oy", LLC, &["oy", "osakeyhtio", "oyj"]),
    // Lithuania's UAB is a private company limited by shares, as Sweden's AB
    (
        "ab",
        LLC,
        &["ab", "aktiebolag", "aktiebolaget", "publ", "uab"],
    ),
    (
        "as",
        LLC,
        &[
            "as",
            "asa",
            "aksjeselskap",
            "aktieselskab",
            "a s",
            "akciova spolecnost",
            "akciova spolocnost",
        ],
    ),
    ("aps", LLC, &["aps", "anpartsselskab"]),
    ("sl", LLC, &["sl", "sociedad limitada", "slu"]),
    ("lda", LLC, &["lda", "sociedade limitada"]),
    (
        "as tr",
        JSC,
        &[
            "as tr",
            "anonim sirketi",
            "anonim sirket",
            "anonim ortakligi",
        ],
    ),
    (
        "ltd sti",
        LLC,
        &["ltd sti", "limited sirketi", "ltd sirketi"],
    ),
    ("pjs", JSC, &["pjs", "pjsc"]),
    // Vietnam, written before the name: Công ty TNHH (trách nhiệm hữu hạn, limited liability:
    // the "Co., Ltd." of English documents); Công ty Cổ phần (joint-stock) is under "jsc"
    (
        "tnhh",
        LTD | LLC,
        &[
            "tnhh",
            "cong ty tnhh",
            "cty tnhh",
            "cong ty trach nhiem huu han",
        ],
    ),
    ("wll", LLC, &["wll", "with limited liability"]),
    // Baltic and Nordic private companies: Latvia, Estonia, Iceland
    ("sia", LLC, &["sia"]),
    ("ou", LLC, &["ou", "osauhing"]),
    ("ehf", LLC, &["ehf", "einkahlutafelag"]),
    // Greece: E.P.E. and I.K.E. (limited liability, private capital company)
    (
        "epe",
        LLC,
        &["epe", "etaireia periorismenis efthynis", "ike"],
    ),
    // the European company and partnerships limited by shares
    ("se", JSC, &["se", "societas europaea"]),
    (
        "kgaa",
        PART | JSC,
        &[
            "kgaa",
            "kommanditgesellschaft auf aktien",
            "sca",
            "societe en commandite par actions",
        ],
    ),
    ("coop", OTHER, &["coop", "cooperative", "co op"]),
];

/// Legal forms written before the name (PT Maju Jaya, OOO Romashka, 株式会社トヨタ, Công ty TNHH
/// Sao Mai, and the English "Co., Ltd. Sao Mai" some Vietnamese documents write).
const PREFIX_FORMS: &[&str] = &[
    "cong ty tnhh",
    "cty tnhh",
    "cong ty trach nhiem huu han",
    "tnhh",
    "cong ty co phan",
    "cty co phan",
    "cong ty cp",
    "cty cp",
    "ctcp",
    "co ltd",
    "pt",
    "cv",
    "ooo",
    "zao",
    "oao",
    "pao",
    "ao",
    "tov",
    "too",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "kabushiki kaisha",
    "kabushikikaisha",
    "zhushihuishe",
    "jusik hoesa",
    "jusikhoesa",
    "aktsionernoe obshchestvo",
    "publichnoe aktsionernoe obshchestvo",
    "otkrytoe aktsionernoe obshchestvo",
    "zakrytoe aktsionernoe obshchestvo",
    "obshchestvo s ogranichennoi otvetstvennostiu",
    "obshchestvo s ogranichennoy otvetstvennostyu",
    "obshchestvo s ogranichennoj otvetstvennostju",
    "perseroan terbatas",
    "aktiebolaget",
    // English translations of Russian and CIS documents keep the form first: "LLC Vektor",
    // "Limited Liability Company Gazprom Neft", "Public Joint Stock Company Rosneft"
    "llc",
    "limited liability company",
    "joint stock company",
    "public joint stock company",
    "open joint stock company",
    "closed joint stock company",
];

/// Legal forms that Latvia and Lithuania write before the name ("SIA Baltic Trade", "UAB
/// Vilniaus Prekyba"), taken as such only when the name has no other form: as words they are
/// also names ("Sia Trading Ltd").
const BARE_PREFIX_FORMS: &[&str] = &["sia", "uab"];

/// Legal forms in CJK script, matched on the NFKC text before transliteration so that
/// 株式会社 is not read as Chinese "zhu shi hui she" only. (spelling, canonical)
const CJK_FORMS: &[(&str, &str)] = &[
    ("股份有限公司", "gufen youxian gongsi"),
    ("有限责任公司", "youxian zeren gongsi"),
    ("有限責任公司", "youxian zeren gongsi"),
    ("有限公司", "youxian gongsi"),
    ("株式会社", "kk"),
    ("(株)", "kk"),
    ("有限会社", "yk"),
    ("合同会社", "gk"),
    ("주식회사", "jusik hoesa"),
    ("(주)", "jusik hoesa"),
    ("유한회사", "yuhan hoesa"),
    ("公司", "gongsi"),
    // written as NFKC leaves it (the names are NFKC-normalised first): ำ (sara am) becomes
    // nikhahit + sara aa, so the composed spelling never matched
    ("จํากัด", "co ltd"),
    // Hebrew בע"מ (be'eravon mugbal, "limited"), with a quotation mark or gershayim
    ("בע\"מ", "ltd"),
    ("בע״מ", "ltd"),
];

impl LegalForm {
    /// The families of this form (see the constants above).
    pub fn families(self) -> u8 {
        LEGAL_FORMS
            .iter()
            .find(|(c, _, _)| *c == self.0)
            .map_or(OTHER, |(_, f, _)| *f)
    }

    /// Looks up a canonical spelling (as stored by [`LegalForm::0`]).
    pub fn from_canonical(s: &str) -> Option<LegalForm> {
        LEGAL_FORMS
            .iter()
            .find(|(c, _, _)| *c == s)
            .map(|(c, _, _)| LegalForm(c))
    }

    /// Compares two forms: 2 the same form (or [equivalent](EQUIVALENT_FORMS)), 1 compatible
    /// (share a family), 0 incompatible.
    pub fn agreement(self, other: LegalForm) -> u8 {
        let equivalent = || {
            EQUIVALENT_FORMS
                .iter()
                .any(|set| set.contains(&self.0) && set.contains(&other.0))
        };
        if self == other || equivalent() {
            2
        } else if self.families() & other.families() != 0 {
            1
        } else {
            0
        }
    }
}

/// Canonical forms that are one legal form written two ways, so they agree as `same`:
/// "Limited", "Company Limited" and 有限公司 (youxian gongsi, officially translated "Co., Ltd.")
/// all denote a company limited by shares — in Hong Kong or the UK "Company" is part of the name,
/// not of the form; "Pte" and "Pvt" both abbreviate "Private" (Singapore, India); a Russian
/// ООО is an LLC.
pub const EQUIVALENT_FORMS: &[&[&str]] = &[
    &["ltd", "co ltd", "youxian gongsi"],
    &["pte ltd", "pvt ltd"],
    // Turkish A.Ş. folds to "as": it abbreviates anonim şirketi
    &["as", "as tr"],
    // ООО (obshchestvo s ogranichennoy otvetstvennostyu) is translated "LLC" word for word, as
    // AO/ZAO/PAO are "JSC" (one canonical form there)
    &["llc", "ooo"],
];

/// Number of distinct legal-form spellings recognised (for docs and tests).
pub fn legal_form_spellings() -> usize {
    LEGAL_FORMS.iter().map(|(_, _, s)| s.len()).sum()
}

fn canonical_of(spelling: &str) -> Option<&'static str> {
    LEGAL_FORMS
        .iter()
        .find(|(_, _, s)| s.contains(&spelling))
        .map(|(c, _, _)| *c)
}

/// Cities that registers and documents name in different languages: the local or older name
/// (folded), and the English one. "München" on one record and "Munich" on another is one city;
/// left apart, the disagreement cost a matching pair more evidence than its names gave it.
const CITY_NAMES: &[(&str, &str)] = &[
    ("munchen", "munich"),
    ("muenchen", "munich"),
    ("koln", "cologne"),
    ("koeln", "cologne"),
    ("wien", "vienna"),
    ("praha", "prague"),
    ("warszawa", "warsaw"),
    ("lisboa", "lisbon"),
    ("roma", "rome"),
    ("milano", "milan"),
    ("torino", "turin"),
    ("napoli", "naples"),
    ("firenze", "florence"),
    ("venezia", "venice"),
    ("geneve", "geneva"),
    ("genf", "geneva"),
    ("bruxelles", "brussels"),
    ("brussel", "brussels"),
    ("antwerpen", "antwerp"),
    ("den haag", "the hague"),
    ("s gravenhage", "the hague"),
    ("kobenhavn", "copenhagen"),
    ("goteborg", "gothenburg"),
    ("athina", "athens"),
    ("moskva", "moscow"),
    ("sankt peterburg", "saint petersburg"),
    ("st petersburg", "saint petersburg"),
    ("kiev", "kyiv"),
    ("kyiv", "kyiv"),
    ("peking", "beijing"),
    ("canton", "guangzhou"),
    ("xianggang", "hong kong"),
    ("hongkong", "hong kong"),
    ("aomen", "macau"),
    ("macao", "macau"),
    ("taibei", "taipei"),
    ("xinbei", "new taipei"),
    ("new taipei city", "new taipei"),
    ("saigon", "ho chi minh city"),
    ("ho chi minh", "ho chi minh city"),
    ("thanh pho ho chi minh", "ho chi minh city"),
    ("tp ho chi minh", "ho chi minh city"),
    ("ha noi", "hanoi"),
    ("bombay", "mumbai"),
    ("calcutta", "kolkata"),
    ("madras", "chennai"),
    ("bangalore", "bengaluru"),
    ("rangoon", "yangon"),
    ("krung thep", "bangkok"),
    ("krung thep maha nakhon", "bangkok"),
    ("singapura", "singapore"),
    ("teheran", "tehran"),
    ("dubayy", "dubai"),
    ("abu zaby", "abu dhabi"),
    ("ad dawhah", "doha"),
    ("ar riyad", "riyadh"),
    ("al kuwayt", "kuwait city"),
    ("ciudad de mexico", "mexico city"),
    ("mexico df", "mexico city"),
];

/// Regions that a firm's name carries as it carries a country ("Evergreen Computer (Middle
/// East) LLC", "Keystone (Asia Pacific) Pte Ltd"): place words, read as the names of countries
/// are (see `prepare::MultiWordPlaces`). Only names of several words: a one-word region ("Asia",
/// "Pacific") is as often the distinctive word of a trade name.
pub const REGIONS: &[&str] = &[
    "Middle East",
    "Near East",
    "Far East",
    "Asia Pacific",
    "South East Asia",
    "Southeast Asia",
    "East Asia",
    "South Asia",
    "Central Asia",
    "North Asia",
    "Greater China",
    "North America",
    "Latin America",
    "South America",
    "Central America",
    "North Africa",
    "West Africa",
    "East Africa",
    "Southern Africa",
    "Western Europe",
    "Eastern Europe",
    "Central Europe",
];

/// A city field folded ([`fold`]) and, when it is one of [`CITY_NAMES`], in its English name.
pub fn city(raw: &str) -> String {
    let folded = fold(raw);
    CITY_NAMES
        .iter()
        .find(|(local, _)| *local == folded)
        .map_or(folded, |(_, english)| (*english).to_string())
}

/// A business name split into its distinctive words and its legal form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameParts {
    /// The name's words, folded, stop words and legal forms removed, common business words
    /// spelled one way ("Technologies", "Tech" → "technology").
    pub tokens: Vec<String>,
    /// The legal form, if one was recognised.
    pub legal_form: Option<LegalForm>,
    /// The words of `tokens` that are readings of Arabic-script words (see
    /// [`super::arabic`]), sorted.
    pub readings: Vec<String>,
    /// The words of `tokens` written as an acronym (see [`written_acronyms`]), sorted.
    pub acronyms: Vec<String>,
}

/// Lengths of a word taken for an acronym. Two letters are too ambiguous ("GE", "HP", "AB" …
/// and every country code); beyond five, initials are rarely how a firm is called.
pub const ACRONYM_LEN: std::ops::RangeInclusive<usize> = 3..=5;

/// The words of a name written as acronyms, folded: dotted initials ("I.B.M.") and, in a name
/// that has lower-case letters, words in capitals ("IBM Corp", "Acme GTS Ltd"), of
/// [`ACRONYM_LEN`] letters. A name written all in capitals (customs documents, screening
/// lists) says nothing of which of its words are acronyms, and gives none.
pub fn written_acronyms(name: &str) -> Vec<String> {
    let mixed = name.chars().any(char::is_lowercase);
    let mut out: Vec<String> = Vec::new();
    for word in name.split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '/')) {
        let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '.');
        let letters: String = word.chars().filter(|&c| c != '.').collect();
        if !ACRONYM_LEN.contains(&letters.len())
            || !letters.chars().all(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        // "I.B.M." or "I.B.M": one letter between dots
        let dotted = word
            .trim_end_matches('.')
            .split('.')
            .all(|part| part.len() == 1);
        let capitals = mixed && letters.chars().all(|c| c.is_ascii_uppercase());
        if dotted || capitals {
            out.push(letters.to_ascii_lowercase());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Words that carry no identity in a name: articles and "and" in the languages of company
/// registers. Not the one-letter "y" and "e" (Spanish, Portuguese and Italian "and"): in
/// customs data a lone letter is more often a split-off syllable ("Hai e Networks").
const STOP: &[&str] = &[
    "the", "and", "of", "und", "et", "de", "der", "la", "le", "les", "del", "al", "el", "ve", "en",
    "og", "och",
];

/// Honorifics that precede personal names.
pub const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mme", "herr", "frau", "sheikh",
];

/// Business words with several spellings, mapped to the full word (so that a typo in the full
/// word still lands near it). Plurals are folded first ("services" → "service"), so only the
/// stems are listed.
const BUSINESS_WORDS: &[(&str, &str)] = &[
    ("tech", "technology"),
    ("techn", "technology"),
    ("technologie", "technology"),
    ("technological", "technology"),
    ("tecnologia", "technology"),
    ("teknologi", "technology"),
    ("intl", "international"),
    ("int", "international"),
    ("internacional", "international"),
    ("internationale", "international"),
    ("ind", "industry"),
    ("indus", "industry"),
    ("industrial", "industry"),
    ("industrie", "industry"),
    ("mfg", "manufacturing"),
    ("manufacturer", "manufacturing"),
    ("manufactory", "manufacturing"),
    ("elec", "electronic"),
    ("electronica", "electronic"),
    ("electrical", "electric"),
    ("eng", "engineering"),
    ("engg", "engineering"),
    ("trade", "trading"),
    ("trader", "trading"),
    ("ent", "enterprise"),
    ("est", "establishment"),
    ("svc", "service"),
    ("svcs", "service"),
    ("sys", "system"),
    ("hldg", "holding"),
    ("hldgs", "holding"),
    ("grp", "group"),
    ("bros", "brother"),
    // French: "Cie de Saint-Gobain" is "Compagnie de Saint-Gobain" ("Cie" after the name is
    // the legal form "& Co", read before these words are). "St" is left alone: as often "ST
    // Engineering" (Singapore Technologies) as "St Gobain".
    ("cie", "compagnie"),
    ("natl", "national"),
    ("mgmt", "management"),
    ("equip", "equipment"),
    ("semi", "semiconductor"),
    ("computing", "computer"),
    ("imp", "import"),
    // not "exp": it abbreviates "export" ("Imp. & Exp.") as often as "express" ("Mekong Exp."),
    // and the comparison credits it as an abbreviation of whichever the other name has
    ("assoc", "associate"),
    ("lab", "laboratory"),
    ("labs", "laboratory"),
    ("laboratorie", "laboratory"),
    ("logistik", "logistic"),
    // Abbreviations of bills of lading and customs declarations ("MERIDIAN LOG. PVT LTD",
    // "STRAITS FRT", "SENTOSA EXPR", "ZHI YUAN SOLN", "STRITS CMPTS"): each stands for one word
    // in a company name.
    ("log", "logistic"),
    ("logis", "logistic"),
    ("frt", "freight"),
    ("frght", "freight"),
    ("expr", "express"),
    ("xpress", "express"),
    ("sup", "supply"),
    ("supp", "supply"),
    ("soln", "solution"),
    ("solns", "solution"),
    ("cmpt", "component"),
    ("cmpts", "component"),
    ("compo", "component"),
    ("dist", "distribution"),
    ("distr", "distribution"),
    ("distrib", "distribution"),
    ("dev", "development"),
    ("devt", "development"),
    ("mktg", "marketing"),
    ("prop", "property"),
    ("props", "property"),
    // Contractions common in customs and registry extracts ("MERIDIAN TRDG PTE LTD", "SILVERLINE
    // SHPG", "SUMSPHERE NTWKS LLC", "MING XIN INDL"): letters dropped from inside the word, so
    // the truncation rule of comparison does not see them and their rarity outweighs the name.
    ("trdg", "trading"),
    ("shpg", "shipping"),
    ("ntwk", "network"),
    ("netw", "network"),
    ("cptr", "computer"),
    ("syst", "system"),
    ("semicon", "semiconductor"),
    ("dgtl", "digital"),
    ("indl", "industry"),
    ("entp", "enterprise"),
    ("entpr", "enterprise"),
    ("serv", "service"),
    ("mfr", "manufacturing"),
    ("info", "information"),
    ("chem", "chemical"),
    ("pharm", "pharmaceutical"),
    ("pharma", "pharmaceutical"),
    ("mach", "machinery"),
    // Russian business words as transliterated (names registered in Russia, Kazakhstan,
    // Kyrgyzstan, Belarus are written in Russian), in their common inflections, and the English
    // loanwords that Russian names spell out ("Интернешнл", "Компьютерс", "Трейдинг")
    ("torgovyy", "trading"),
    ("torgovyi", "trading"),
    ("torgovy", "trading"),
    ("torgovaya", "trading"),
    ("torgovoe", "trading"),
    ("torgovye", "trading"),
    ("torgovlya", "trading"),
    ("treyding", "trading"),
    ("treyd", "trading"),
    ("dom", "house"),
    ("tekhnologii", "technology"),
    ("tekhnologiya", "technology"),
    ("tekhnologiy", "technology"),
    ("tehnologii", "technology"),
    ("tehnologiya", "technology"),
    ("tekhnolodzhi", "technology"),
    ("tekhnolodzhiz", "technology"),
    ("promyshlennyy", "industry"),
    ("promyshlennyi", "industry"),
    ("promyshlennaya", "industry"),
    ("promyshlennye", "industry"),
    ("promyshlennost", "industry"),
    ("indastrial", "industry"),
    ("elektronika", "electronic"),
    ("elektronnye", "electronic"),
    ("elektronnyy", "electronic"),
    ("elektronik", "electronic"),
    ("mikroelektronika", "microelectronic"),
    ("snabzhenie", "supply"),
    ("snabzheniya", "supply"),
    ("snabjenie", "supply"),
    ("postavka", "supply"),
    ("postavki", "supply"),
    ("poluprovodnik", "semiconductor"),
    ("poluprovodniki", "semiconductor"),
    ("poluprovodnikovye", "semiconductor"),
    ("semikondaktor", "semiconductor"),
    ("kompyuter", "computer"),
    ("kompyutery", "computer"),
    ("kompyuternye", "computer"),
    ("kompyuternyy", "computer"),
    ("kompiuter", "computer"),
    ("sistema", "system"),
    ("sistemy", "system"),
    ("sistem", "system"),
    ("komponent", "component"),
    ("komponenty", "component"),
    ("logistika", "logistic"),
    ("logisticheskiy", "logistic"),
    ("gruppa", "group"),
    ("grupp", "group"),
    ("kholding", "holding"),
    ("servis", "service"),
    ("inzhiniring", "engineering"),
    ("eksport", "export"),
    ("proizvodstvo", "manufacturing"),
    ("proizvodstvennaya", "manufacturing"),
    ("zavod", "factory"),
    ("distributsiya", "distribution"),
    ("distribyutsiya", "distribution"),
    ("distribyushn", "distribution"),
    ("resheniya", "solution"),
    ("solyushn", "solution"),
    ("oborudovanie", "equipment"),
    ("interneshnl", "international"),
    ("interneshnal", "international"),
    ("enterprayz", "enterprise"),
    ("yunayted", "united"),
    ("netvork", "network"),
    ("freyt", "freight"),
    ("freit", "freight"),
    ("ekspress", "express"),
    ("ekspres", "express"),
    ("didzhital", "digital"),
    ("manufakturing", "manufacturing"),
    ("kapital", "capital"),
    ("menedzhment", "management"),
    ("konsalting", "consulting"),
    ("kepital", "capital"),
    // Japanese, Korean and Chinese business words as registers romanize them ("Hitachi
    // Seisakusho", "Mitsubishi Shoji", "Hanil Muyeok", "Huawei Keji"); the same words in
    // their own scripts are in the CJK table of `cjk`
    ("shoji", "trading"),
    ("tsusho", "trading"),
    ("boeki", "trading"),
    ("kogyo", "industry"),
    ("sangyo", "industry"),
    ("seisakusho", "manufacturing"),
    ("denki", "electric"),
    ("denshi", "electronic"),
    ("kagaku", "chemical"),
    ("seiyaku", "pharmaceutical"),
    ("kensetsu", "construction"),
    ("kaiun", "shipping"),
    ("butsuryu", "logistic"),
    ("kikai", "machinery"),
    ("muyeok", "trading"),
    ("sangsa", "trading"),
    ("jeonja", "electronic"),
    ("saneop", "industry"),
    ("hwahak", "chemical"),
    ("mulryu", "logistic"),
    ("maoyi", "trading"),
    ("keji", "technology"),
    ("dianzi", "electronic"),
    ("shiye", "industry"),
    ("gongye", "industry"),
    ("wuliu", "logistic"),
    ("huagong", "chemical"),
    ("jixie", "machinery"),
    ("zhizao", "manufacturing"),
    ("touzi", "investment"),
    ("konggu", "holding"),
    ("jituan", "group"),
    ("guoji", "international"),
    // Turkish (Turkey's registry names: "… Elektronik Sanayi ve Ticaret A.Ş.")
    ("ticaret", "trading"),
    ("sanayi", "industry"),
    ("teknoloji", "technology"),
    ("lojistik", "logistic"),
    ("ithalat", "import"),
    ("ihracat", "export"),
    ("makina", "machinery"),
    ("makine", "machinery"),
    ("muhendislik", "engineering"),
    ("yazilim", "software"),
    ("otomotiv", "automotive"),
    ("enerji", "energy"),
    ("yatirim", "investment"),
    ("danismanlik", "consulting"),
    ("insaat", "construction"),
    ("kimya", "chemical"),
    // German, Dutch, French, Spanish, Portuguese and Italian business words
    ("handel", "trading"),
    ("handels", "trading"),
    ("vertrieb", "distribution"),
    ("vertriebs", "distribution"),
    ("technik", "technology"),
    ("techniek", "technology"),
    ("halbleiter", "semiconductor"),
    ("komponenten", "component"),
    ("systeme", "system"),
    ("netzwerk", "network"),
    ("dienstleistungen", "service"),
    ("maschinenbau", "machinery"),
    ("logistiek", "logistic"),
    ("elektronica", "electronic"),
    ("electronique", "electronic"),
    ("ingenierie", "engineering"),
    ("comercial", "trading"),
    ("comercio", "trading"),
    ("commerciale", "trading"),
    ("importadora", "import"),
    ("exportadora", "export"),
    ("distribuidora", "distribution"),
    ("distribuzione", "distribution"),
    ("industria", "industry"),
    ("industrias", "industry"),
    ("servicio", "service"),
    ("servico", "service"),
    ("servizi", "service"),
    ("solucione", "solution"),
    ("solucoe", "solution"),
    ("soluzioni", "solution"),
    ("logistica", "logistic"),
    ("elettronica", "electronic"),
    ("ingegneria", "engineering"),
];

/// Business acronyms that stand for several words of a name, expanded so that "Novaia SCM" meets
/// "Novaia Supply Chain" word for word. Only acronyms whose expansion is unambiguous inside a
/// company name; "SCM" expands to the two words that names share ("Supply Chain [Management]").
const ACRONYMS: &[(&str, &[&str])] = &[
    ("scm", &["supply", "chain"]),
    ("it", &["information", "technology"]),
    ("ict", &["information", "communication", "technology"]),
];

/// The words a name token stands for: its acronym expansion, or the token itself.
fn expand(t: &str) -> Vec<String> {
    ACRONYMS.iter().find(|(a, _)| *a == t).map_or_else(
        || vec![t.to_string()],
        |(_, e)| e.iter().map(|w| (*w).to_string()).collect(),
    )
}

/// Reduces a folded word to the spelling shared by its variants: plural endings go ("ies" → "y",
/// trailing "s" of words of five letters or more unless "ss"/"us"/"is"), then the business-word
/// table applies.
///
/// ```
/// use trawl::resolve::normalize::canonical_word;
/// assert_eq!(canonical_word("logistics"), canonical_word("log"));
/// assert_eq!(canonical_word("frt"), "freight");
/// assert_eq!(canonical_word("technologies"), "technology");
/// ```
pub fn canonical_word(w: &str) -> String {
    let mut s = w.to_string();
    if s.len() > 4 && s.ends_with("ies") {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.len() >= 5
        && s.ends_with('s')
        && !s.ends_with("ss")
        && !s.ends_with("us")
        && !s.ends_with("is")
    {
        s.pop();
    }
    business_words()
        .get(s.as_str())
        .map_or(s, |v| (*v).to_string())
}

/// The full word a business word abbreviates or translates ("tech" → "technology"), if `w` is
/// one (see [`canonical_word`], which also folds plurals).
pub fn business_word(w: &str) -> Option<&'static str> {
    business_words().get(w).copied()
}

fn business_words() -> &'static std::collections::HashMap<Box<str>, &'static str> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<Box<str>, &'static str>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: std::collections::HashMap<Box<str>, &'static str> = BUSINESS_WORDS
            .iter()
            .map(|&(k, v)| (Box::from(k), v))
            .collect();
        for &(k, v) in BUSINESS_WORDS {
            for variant in iotated_spellings(k) {
                map.entry(variant.into_boxed_str()).or_insert(v);
            }
        }
        map
    })
}

/// The other spellings of a romanized Russian word whose "y" before a vowel stands for the
/// iotation of я, ю, е, ё: "j" (the German and ISO habit: "Soljushns") and "i" ("Soliushns").
/// The list spells these words one way ("solyushn"), firms and registers write all three. Any
/// subset of such letters may be respelt, since "y" is also ы ("kompyuternye": ю, then ые), at
/// most three per word. The first letter is left alone ("yunost" is no "junost" in English
/// text).
fn iotated_spellings(k: &str) -> Vec<String> {
    let b = k.as_bytes();
    let iotated: Vec<usize> = (1..b.len().saturating_sub(1))
        .filter(|&i| b[i] == b'y' && matches!(b[i + 1], b'a' | b'e' | b'o' | b'u'))
        .take(3)
        .collect();
    let mut out = Vec::new();
    for subset in 1..1u32 << iotated.len() {
        for c in [b'j', b'i'] {
            let mut v = b.to_vec();
            for (n, &i) in iotated.iter().enumerate() {
                if subset >> n & 1 == 1 {
                    v[i] = c;
                }
            }
            out.extend(String::from_utf8(v));
        }
    }
    out
}

/// Phrases after which a name field gives another name of the same party: a trade name, a
/// former name, an alias. Where several match at one place, the longest is taken ("formerly
/// known as" over "formerly"). "Trading as" does not cut "Fjord Trading AS" (a Norwegian form):
/// nothing follows it.
const ALIAS_MARKERS: &[&str] = &[
    "also known as",
    "a.k.a.",
    "a.k.a",
    "aka",
    "doing business as",
    "d/b/a",
    "d.b.a.",
    "dba",
    "trading as",
    "t/a",
    "formerly known as",
    "f/k/a",
    "f.k.a.",
    "fka",
    "formerly",
    "previously known as",
    "previously",
    "now known as",
    "n/k/a",
    "née",
    "nee",
];

/// Abbreviations after which a name field names someone else: "care of" a forwarder or an
/// agent, to the attention of a person. What follows is not a name of the party. (Spelt out,
/// "care of" and "attention" are also ordinary words of names: "Skin Care of Asia".)
const OTHER_PARTY_MARKERS: &[&str] = &["c/o", "attn"];

/// A company's status written into its name: not a word of the name.
const STATUS_PHRASES: &[&str] = &[
    "in voluntary liquidation",
    "in liquidation",
    "in administration",
    "under administration",
    "in receivership",
    "in bankruptcy",
    "struck off",
    "deregistered",
    "dissolved",
];

/// Where `marker` (lower case; ASCII letters of `s` match in any case) occurs in `s` as whole
/// words, from byte `from` on.
fn find_phrase(s: &str, marker: &str, from: usize) -> Option<usize> {
    // ASCII lower-casing keeps every byte where it was
    let lower = s.to_ascii_lowercase();
    let (b, m) = (s.as_bytes(), marker.as_bytes());
    let word = |c: u8| c.is_ascii_alphanumeric() || c >= 0x80;
    lower.match_indices(marker).map(|(i, _)| i).find(|&i| {
        i >= from
            && (i == 0 || !word(b[i - 1]))
            && b.get(i + m.len())
                .is_none_or(|&c| !word(c) || !word(m[m.len() - 1]))
    })
}

/// Trims what separates a name from a marker: spaces and the punctuation around a qualifier.
fn trim_joins(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '(' | ')' | '/')
    })
}

/// The names written in one name field, primary first: the field cut at a trade, former or
/// alias name ("Northwind Traders, Inc. d/b/a Northwind Direct", "Globex Corp (formerly Globex
/// Industries)", "X a.k.a. Y"), without what names another party ("… c/o Art Vandelay") or the
/// company's status ("ACME WIDGETS LTD (IN LIQUIDATION)"). A field that is nothing but such a
/// phrase, starts with one or ends with one, is kept as written: a firm may be called "Aka
/// Trading", a person "Taro Aka".
///
/// ```
/// use trawl::resolve::normalize::name_designations;
/// assert_eq!(name_designations("Globex Corp (formerly Globex Industries)"),
///            ["Globex Corp", "Globex Industries"]);
/// assert_eq!(name_designations("ACME WIDGETS LTD (IN LIQUIDATION)"), ["ACME WIDGETS LTD"]);
/// assert_eq!(name_designations("Vandelay Industries, L.L.C. c/o Art Vandelay"),
///            ["Vandelay Industries, L.L.C."]);
/// assert_eq!(name_designations("Aka Trading Co"), ["Aka Trading Co"]);
/// assert_eq!(name_designations("Taro Aka"), ["Taro Aka"]);
/// ```
pub fn name_designations(raw: &str) -> Vec<String> {
    let lower = raw.to_ascii_lowercase();
    let phrases = || {
        STATUS_PHRASES
            .iter()
            .chain(ALIAS_MARKERS)
            .chain(OTHER_PARTY_MARKERS)
    };
    if !phrases().any(|p| lower.contains(p)) {
        return vec![raw.to_string()];
    }
    let mut name = raw.to_string();
    for phrase in STATUS_PHRASES {
        while let Some(i) = find_phrase(&name, phrase, 0) {
            let (head, tail) = (
                trim_joins(&name[..i]),
                trim_joins(&name[i + phrase.len()..]),
            );
            if head.is_empty() {
                break;
            }
            name = if tail.is_empty() {
                head.to_string()
            } else {
                format!("{head} {tail}")
            };
        }
    }
    let cut = |name: &str| {
        ALIAS_MARKERS
            .iter()
            .map(|m| (m, true))
            .chain(OTHER_PARTY_MARKERS.iter().map(|m| (m, false)))
            .filter_map(|(m, alias)| {
                find_phrase(name, m, 1).map(|i| (i, std::cmp::Reverse(m.len()), alias))
            })
            .filter(|&(i, std::cmp::Reverse(len), _)| {
                !trim_joins(&name[..i]).is_empty() && !trim_joins(&name[i + len..]).is_empty()
            })
            .min()
    };
    let mut out = Vec::new();
    let mut rest = name.as_str();
    while let Some((i, std::cmp::Reverse(len), alias)) = cut(rest) {
        out.push(trim_joins(&rest[..i]).to_string());
        rest = trim_joins(&rest[i + len..]);
        if !alias {
            rest = "";
            break;
        }
    }
    if !trim_joins(rest).is_empty() {
        out.push(trim_joins(rest).to_string());
    }
    if out.is_empty() {
        out.push(raw.to_string());
    }
    out
}

/// How many words at the end of `toks` say "branch" ("branch", "branch office"), if any.
fn branch_words(toks: &[String]) -> Option<usize> {
    match toks {
        [.., b, o] if b == "branch" && o == "office" => Some(2),
        [.., b] if b == "branch" => Some(1),
        _ => None,
    }
}

/// Drops a branch designation after the legal form: "Apex Components Pte Ltd - Singapore
/// Branch" is a place of business of Apex Components Pte Ltd, not another party, and its form
/// is only found once the designation has gone. Up to two words of place before "branch" go
/// with it. Only when a legal form then ends the name: "Olive Branch" keeps its branch.
fn strip_branch(toks: &mut Vec<String>) {
    let Some(n) = branch_words(toks) else { return };
    let ends_in_form = |t: &[String]| {
        (1..=3.min(t.len().saturating_sub(1)))
            .any(|len| canonical_of(&t[t.len() - len..].join(" ")).is_some())
    };
    let head = toks.len() - n;
    if let Some(place) = (0..=2.min(head)).find(|&p| ends_in_form(&toks[..head - p])) {
        toks.truncate(head - place);
    }
}

/// Turkish firms write "Sanayi ve Ticaret" (industry and trade) as "San. ve Tic.": read so only
/// together, since "san" alone is as often a Chinese syllable or a saint.
fn turkish_abbreviations(toks: &mut [String]) {
    for i in 0..toks.len() {
        let at = |k: usize| toks.get(k).map(String::as_str);
        let sanayi = at(i) == Some("san")
            && (at(i + 1) == Some("tic")
                || (at(i + 1) == Some("ve") && matches!(at(i + 2), Some("tic" | "ticaret"))));
        let ticaret =
            at(i) == Some("tic") && i > 0 && matches!(at(i - 1), Some("san" | "sanayi" | "ve"));
        if sanayi {
            toks[i] = "sanayi".into();
        } else if ticaret {
            toks[i] = "ticaret".into();
        }
    }
}

/// Splits a name into distinctive words and legal form. Legal forms are recognised at the end
/// (repeatedly, the longest spelling first: "Apex Co., Ltd." → "co ltd") and at the start for
/// the forms written first (PT, OOO, 株式会社 …); CJK forms are recognised in the original script.
/// A form is only taken if a word of the name remains.
///
/// ```
/// use trawl::resolve::normalize::split_name;
/// let p = split_name("APEX TECHNOLOGY PTE. LIMITED");
/// assert_eq!(p.tokens, ["apex", "technology"]);
/// assert_eq!(p.legal_form.unwrap().0, "pte ltd");
/// ```
pub fn split_name(raw: &str) -> NameParts {
    let nfkc: String = raw.nfkc().collect();
    // Parenthesised parts ("Golden Bay Trading Ltd. (HK)", "Titan (Thailand) Co Ltd") are
    // qualifiers: they are set aside so the legal form before them is still found, and their
    // words are added back after it.
    let (main, qualifiers) = set_aside_parentheses(&nfkc);
    let public_thai = qualifiers.trim() == "มหาชน";
    let qualifiers = if public_thai {
        String::new()
    } else {
        qualifiers
    };
    let mut cjk_form = None;
    let mut text = main.trim().to_string();
    for (spelling, canon) in CJK_FORMS {
        if let Some(rest) = text.strip_suffix(spelling) {
            if !rest.trim().is_empty() {
                cjk_form = Some(*canon);
                text = rest.to_string();
                break;
            }
        }
        if let Some(rest) = text.strip_prefix(spelling) {
            if !rest.trim().is_empty() {
                cjk_form = Some(*canon);
                text = rest.to_string();
                break;
            }
        }
    }
    // Thai: บริษัท … จำกัด ("company … limited") is one form written around the name, and
    // จำกัด (มหาชน) is "public company limited"
    if public_thai && cjk_form == Some("co ltd") {
        cjk_form = Some("plc");
    }
    if let Some(rest) = text.trim().strip_prefix("บริษัท") {
        if !rest.trim().is_empty() {
            cjk_form = cjk_form.or(Some("co ltd"));
            text = rest.to_string();
        }
    }
    // Arabic script: legal form and business words in Latin, other words as readings
    let mut arabic = None;
    if super::arabic::has_arabic(&text) {
        let mut r = super::arabic::romanize(&text);
        text = std::mem::take(&mut r.text);
        arabic = Some(r);
    }
    let mut toks = tokens(&fold(&super::cjk::segment(&text)));
    strip_branch(&mut toks);
    let mut forms: Vec<&'static str> = cjk_form.into_iter().collect();
    // suffixes, longest spelling first (up to 6 words)
    'outer: loop {
        for len in (1..=6.min(toks.len().saturating_sub(1))).rev() {
            let cand = toks[toks.len() - len..].join(" ");
            if let Some(c) = canonical_of(&cand) {
                toks.truncate(toks.len() - len);
                forms.push(c);
                continue 'outer;
            }
        }
        break;
    }
    // prefixes (up to 6 words: "cong ty trach nhiem huu han")
    let bare = forms.is_empty();
    for len in (1..=6.min(toks.len().saturating_sub(1))).rev() {
        let cand = toks[..len].join(" ");
        if PREFIX_FORMS.contains(&cand.as_str())
            || (bare && BARE_PREFIX_FORMS.contains(&cand.as_str()))
        {
            if let Some(c) = canonical_of(&cand) {
                toks.drain(..len);
                forms.push(c);
                break;
            }
        }
    }
    // "Apex Co Ltd" gives ["ltd", "co"]; two forms combine to the most specific one
    let legal_form = combine_forms(&forms).map(LegalForm);
    let mut qualifiers = tokens(&fold(&qualifiers));
    if let Some(n) = branch_words(&qualifiers) {
        qualifiers.truncate(qualifiers.len() - n);
    }
    toks.extend(qualifiers);
    turkish_abbreviations(&mut toks);
    let mut out: Vec<String> = Vec::with_capacity(toks.len());
    for t in &toks {
        if arabic.as_ref().is_some_and(|r| r.readings.contains(t)) {
            // a reading is no spelling to fold further ("frt" is not "freight" here)
            out.push(t.clone());
        } else if !STOP.contains(&t.as_str()) {
            out.extend(expand(t).iter().map(|w| canonical_word(w)));
        }
    }
    if out.is_empty() {
        out = toks;
    }
    let readings = arabic.map(|r| r.readings_among(&out)).unwrap_or_default();
    let mut acronyms = written_acronyms(&nfkc);
    acronyms.retain(|a| out.contains(a));
    NameParts {
        tokens: out,
        legal_form,
        readings,
        acronyms,
    }
}

/// Splits text into what is outside parentheses and what is inside them. A bracketed part
/// that is itself a legal form stays in place: "Acme (Pty) Ltd" is "Acme Pty Ltd".
fn set_aside_parentheses(s: &str) -> (String, String) {
    let (mut main, mut inner) = (String::with_capacity(s.len()), String::new());
    let mut depth = 0usize;
    // where the outermost open group starts in `inner`
    let mut start = 0;
    for c in s.chars() {
        match c {
            '(' | '[' => {
                if depth == 0 {
                    start = inner.len();
                }
                depth += 1;
                main.push(' ');
                inner.push(' ');
            }
            ')' | ']' if depth > 0 => {
                depth -= 1;
                if depth == 0 && canonical_of(&tokens(&fold(&inner[start..])).join(" ")).is_some() {
                    main.push_str(&inner[start..]);
                    inner.truncate(start);
                }
                main.push(' ');
                inner.push(' ');
            }
            _ if depth > 0 => inner.push(c),
            _ => main.push(c),
        }
    }
    if main.trim().is_empty() {
        // a name entirely in parentheses is the name
        return (inner, String::new());
    }
    (main, inner)
}

fn combine_forms(forms: &[&'static str]) -> Option<&'static str> {
    match forms {
        [] => None,
        [one] => Some(*one),
        _ => {
            // a suffix pair like "co" + "ltd" reads as "co ltd"; otherwise the longest spelling
            let mut parts: Vec<&str> = forms.to_vec();
            parts.reverse();
            let joined = parts.join(" ");
            canonical_of(&joined).or_else(|| forms.iter().max_by_key(|f| f.len()).copied())
        }
    }
}

/// Normalises a person's name: folded words without honorifics, in the order given (comparison
/// is order-free, so "Li Wei" and "WEI, Li" agree).
pub fn person_tokens(raw: &str) -> Vec<String> {
    let toks = tokens(&fold_syllables(raw));
    let kept: Vec<String> = toks
        .iter()
        .filter(|t| !TITLES.contains(&t.as_str()))
        .cloned()
        .collect();
    if kept.is_empty() { toks } else { kept }
}

/// Address words with several spellings, mapped to one (street types, units, floors,
/// buildings; English, Malay, Spanish, French, German, Thai). Words that only say "number"
/// are dropped.
const ADDRESS_WORDS: &[(&str, &str)] = &[
    ("street", "st"),
    ("str", "st"),
    ("strasse", "st"),
    ("road", "rd"),
    ("avenue", "ave"),
    ("av", "ave"),
    ("avenida", "ave"),
    ("boulevard", "blvd"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("highway", "hwy"),
    ("building", "bldg"),
    ("block", "blk"),
    ("bld", "bldg"),
    ("bldng", "bldg"),
    ("floor", "fl"),
    ("flr", "fl"),
    ("level", "fl"),
    ("lvl", "fl"),
    ("suite", "ste"),
    ("room", "rm"),
    ("apartment", "apt"),
    ("unit", "unit"),
    ("unt", "unit"),
    ("flat", "unit"),
    ("tower", "twr"),
    ("centre", "ctr"),
    ("center", "ctr"),
    ("plaza", "plz"),
    ("industrial", "ind"),
    ("estate", "est"),
    ("park", "pk"),
    ("square", "sq"),
    ("jalan", "jln"),
    ("taman", "tmn"),
    ("lorong", "lor"),
    ("kampung", "kg"),
    ("calle", "c"),
    ("rue", "r"),
    ("district", "dist"),
    ("province", "prov"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
    ("saint", "st"),
    ("mount", "mt"),
    ("post office box", "pobox"),
    ("po box", "pobox"),
    ("pob", "pobox"),
];

const ADDRESS_DROP: &[&str] = &["no", "nr", "number", "num", "and", "the", "of"];

/// Normalises an address to tokens: folded, street/unit words abbreviated one way, "No." and
/// similar dropped, floor/unit markers like "#05-12" split into their numbers, ordinals read as
/// their number and "/F" after a number as the floor ("5/F", "5th Floor" and "Floor 5" give the
/// same words).
///
/// ```
/// use trawl::resolve::normalize::address_tokens;
/// assert_eq!(address_tokens("10 Anson Road, #05-12 International Plaza"),
///            ["10", "anson", "rd", "05", "12", "international", "plz"]);
/// assert_eq!(address_tokens("深圳市华强北路289号23楼26室"),
///            ["shenzhenshi", "huaqiangbeilu", "289", "hao", "23", "lou", "26", "shi"]);
/// ```
pub fn address_tokens(raw: &str) -> Vec<String> {
    let folded = fold(&super::cjk::space_address(raw));
    let folded = format!(" {folded} ");
    let mut folded = folded.replace(" post office box ", " pobox ");
    folded = folded.replace(" po box ", " pobox ");
    let mut out: Vec<String> = Vec::new();
    for t in folded.split(' ') {
        if t.is_empty() || ADDRESS_DROP.contains(&t) {
            continue;
        }
        let after_number = out
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
        out.push(
            if let Some((_, v)) = ADDRESS_WORDS.iter().find(|(k, _)| *k == t) {
                v.to_string()
            } else if t.bytes().all(|b| b.is_ascii_digit()) {
                t.to_string()
            } else if let Some(n) = ordinal(t) {
                // "5th Floor" is floor 5, "1st Avenue" avenue 1
                n.to_string()
            } else if t == "f" && after_number {
                // "5/F", "12/F": the floor, as Hong Kong and Chinese addresses write it
                "fl".to_string()
            } else {
                canonical_word(t)
            },
        );
    }
    out
}

/// The number of an English ordinal ("1st", "22nd", "3rd", "12th" → "1", "22", "3", "12").
fn ordinal(t: &str) -> Option<&str> {
    let digits = t.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let suffix = &t[digits.len()..];
    (!digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(suffix, "st" | "nd" | "rd" | "th"))
    .then_some(digits)
}

/// Whether text is written (at least partly) in a non-Latin script: any letter beyond the
/// Latin blocks (U+0000–U+024F and the Latin Extended Additional block). Two addresses in
/// different scripts cannot be compared word by word after transliteration ("深圳市南山区" vs
/// "Nanshan District, Shenzhen"), so comparison treats that as missing, not as a disagreement.
pub fn non_latin(s: &str) -> bool {
    s.chars().any(|c| {
        let u = c as u32;
        c.is_alphabetic() && u > 0x024F && !(0x1E00..=0x1EFF).contains(&u)
    })
}

/// Normalises a postcode: letters and digits only, upper case ("sw1a 1aa" → "SW1A1AA").
pub fn postcode(raw: &str) -> Option<String> {
    let p: String = raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (p.len() >= 3).then_some(p)
}

/// How many trailing digits of a phone number are compared. National significant numbers are
/// 8 digits or more in most trading countries (SG, HK 8; MY, TH 9; US 10; CN 11), so the last 8
/// identify a line whether or not the country code or a trunk prefix ("0") was written, and
/// two different lines among candidate pairs (which already look alike) rarely share them.
pub const PHONE_DIGITS: usize = 8;

/// Normalises a phone number to its digits, international prefix ("+", "00") removed, and keeps
/// the last [`PHONE_DIGITS`] digits as the comparable key. Numbers with fewer than 7 digits
/// (extensions, junk) give `None`.
///
/// ```
/// use trawl::resolve::normalize::phone;
/// assert_eq!(phone("+65 6123-4567"), phone("0065 (6) 123 4567"));
/// assert_eq!(phone("+65 6123 4567").as_deref(), Some("61234567"));
/// ```
pub fn phone(raw: &str) -> Option<String> {
    let raw = raw.split(['x', 'X']).next().unwrap_or(raw); // drop extensions
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.strip_prefix("00").unwrap_or(&digits);
    if digits.len() < 7 {
        return None;
    }
    Some(digits[digits.len().saturating_sub(PHONE_DIGITS)..].to_string())
}

/// Normalises an e-mail address: trimmed, lower case, `mailto:` removed. Requires one `@` and a
/// dotted domain.
pub fn email(raw: &str) -> Option<String> {
    let e = raw.trim().to_ascii_lowercase();
    let e = e.trim_start_matches("mailto:").to_string();
    let (local, domain) = e.split_once('@')?;
    if local.is_empty() || !domain.contains('.') || domain.contains('@') {
        return None;
    }
    Some(e)
}

/// Free-mail providers: a shared domain here says nothing about common control.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yahoo.com.sg",
    "yahoo.co.jp",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mail.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "sohu.com",
    "yeah.net",
    "aliyun.com",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "rambler.ru",
    "bk.ru",
    "inbox.ru",
    "list.ru",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "rediffmail.com",
    "zoho.com",
    "tutanota.com",
];

/// The organisation's domain of an e-mail address or website: host lower case, scheme, `www.`,
/// port and path removed. Free-mail domains give `None`.
///
/// ```
/// use trawl::resolve::normalize::domain;
/// assert_eq!(domain("https://WWW.Apex-Tech.com.sg/about").as_deref(), Some("apex-tech.com.sg"));
/// assert_eq!(domain("sales@apex-tech.com.sg").as_deref(), Some("apex-tech.com.sg"));
/// assert_eq!(domain("someone@gmail.com"), None);
/// ```
pub fn domain(raw: &str) -> Option<String> {
    let s = raw.trim().to_ascii_lowercase();
    let host = if let Some((_, d)) = s.split_once('@') {
        d.to_string()
    } else {
        let s = s.split_once("://").map_or(s.as_str(), |(_, r)| r);
        s.split(['/', '?', '#', ':'])
            .next()
            .unwrap_or("")
            .to_string()
    };
    let host = host.trim_start_matches("www.").trim_end_matches('.');
    if !host.contains('.') || host.contains(' ') || FREE_MAIL.contains(&host) {
        return None;
    }
    Some(host.to_string())
}

/// Normalises a registration or tax id: letters and digits, upper case; ids shorter than 4
/// characters are too ambiguous to compare. Sources write the register's label into the field
/// or leave it out ("UEN 201912345K", "Reg. No.: 201912345-K", "201912345K"), so the words
/// before the id's first word with a digit and after its last are labels, not the id; except a
/// two-letter word (a country prefix: "DE 123456789") other than "No". An id without any digit
/// is kept whole.
///
/// ```
/// use trawl::resolve::normalize::registration_id;
/// assert_eq!(registration_id("UEN 201912345-K"), registration_id("201912345K"));
/// assert_eq!(registration_id("Company No.: 0123 4567").as_deref(), Some("01234567"));
/// ```
pub fn registration_id(raw: &str) -> Option<String> {
    let words: Vec<&str> = raw
        .split(|c: char| c.is_whitespace() || c == ':')
        .filter(|w| w.chars().any(|c| c.is_ascii_alphanumeric()))
        .collect();
    // a word of the id: one with a digit, or a two-letter prefix ("DE 123456789", a VAT
    // number's country) other than "No"
    let numbered = |w: &&str| {
        let letters: String = w.chars().filter(char::is_ascii_alphanumeric).collect();
        w.chars().any(|c| c.is_ascii_digit())
            || (letters.len() == 2 && !matches!(letters.to_ascii_lowercase().as_str(), "no" | "nr"))
    };
    let id = match (
        words.iter().position(numbered),
        words.iter().rposition(numbered),
    ) {
        (Some(first), Some(last)) => &words[first..=last],
        _ => &words[..],
    };
    let r: String = id
        .iter()
        .flat_map(|w| w.chars())
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (r.len() >= 4).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_field_gives_its_trade_former_and_alias_names() {
        let d = |s: &str| name_designations(s);
        assert_eq!(
            d("Northwind Traders, Inc. d/b/a Northwind Direct"),
            ["Northwind Traders, Inc.", "Northwind Direct"]
        );
        assert_eq!(
            d("ALPHA LTD A.K.A. BETA LTD aka Gamma Limited"),
            ["ALPHA LTD", "BETA LTD", "Gamma Limited"]
        );
        assert_eq!(d("Jane Smith (née Doe)"), ["Jane Smith", "Doe"]);
        assert_eq!(d("Ömer Trading AKA Omer Ltd"), ["Ömer Trading", "Omer Ltd"]);
        assert_eq!(
            d("Kinlink Logistics Sdn Bhd (In Liquidation) t/a KL Express"),
            ["Kinlink Logistics Sdn Bhd", "KL Express"]
        );
        assert_eq!(
            d("SUNRISE TRADING LTD C/O ABC FORWARDING"),
            ["SUNRISE TRADING LTD"]
        );
        assert_eq!(
            d("深圳市华芯科技有限公司 (formerly 深圳华芯)"),
            ["深圳市华芯科技有限公司", "深圳华芯"]
        );
        // marker words inside names, or a name that is only a marker phrase, stay as written
        for name in [
            "Skin Care of Asia Ltd",
            "DBA Systems Inc",
            "Osaka Trading Co",
            "Formerly Brewing Company",
            "Dissolved Air Systems Ltd",
            "Pay Attention Media",
            "Taro Aka",
            "Fjord Trading AS",
        ] {
            assert_eq!(d(name), [name], "{name}");
        }
        // idempotent on each name it gives
        for name in d("Globex Corp (formerly Globex Industries) c/o Hank Scorpio") {
            assert_eq!(d(&name), [name.as_str()]);
        }
    }

    #[test]
    fn russian_names_spell_english_loanwords_as_the_english_words() {
        for (ru, en) in [
            ("ООО «Сигма Фрейт»", "Sigma Freight LLC"),
            ("OOO Kaskad Freit", "Kaskad Freight LLC"),
            ("Vostok Ekspress LLC", "Vostok Express LLC"),
            ("ООО «Интеграл Диджитал»", "Integral Digital LLC"),
            ("ООО «Форпост Мануфактуринг»", "Forpost Manufacturing LLC"),
        ] {
            assert_eq!(split_name(ru).tokens, split_name(en).tokens, "{ru} / {en}");
        }
    }

    #[test]
    fn fold_is_idempotent() {
        for s in [
            "APEX TECHNOLOGY PTE. LIMITED",
            "  Müller & Söhne GmbH ",
            "深圳华为技术有限公司",
            "ООО «Ромашка»",
            "شركة النور",
            "삼성전자 주식회사",
            "McDonald’s Corp.",
            "S.A. de C.V.",
            "",
        ] {
            let once = fold(s);
            assert_eq!(fold(&once), once, "{s}");
            let t = tokens(&once).join(" ");
            assert_eq!(tokens(&t).join(" "), t, "{s}");
        }
    }

    #[test]
    fn split_name_is_idempotent() {
        for s in [
            "APEX TECHNOLOGY PTE. LIMITED",
            "Apex Tech Trading Pte Ltd",
            "PT Maju Jaya Tbk",
            "深圳华为技术有限公司",
            "Global Services International Co., Ltd.",
        ] {
            let p = split_name(s);
            let again = split_name(&p.tokens.join(" "));
            assert_eq!(again.tokens, p.tokens, "{s}");
        }
        for s in ["10 Anson Road #05-12", "Jalan Ampang 5, Kuala Lumpur"] {
            let a = address_tokens(s).join(" ");
            assert_eq!(address_tokens(&a).join(" "), a);
        }
    }

    #[test]
    fn transliterates_scripts() {
        assert_eq!(fold("Борис"), "boris");
        assert!(!fold("株式会社トヨタ").is_empty());
        assert!(fold("삼성").is_ascii());
        assert!(fold("النور").is_ascii() && !fold("النور").is_empty());
    }

    #[test]
    fn recognises_legal_forms() {
        let cases = [
            ("Apex Tech Pte Ltd", "pte ltd"),
            ("APEX TECHNOLOGIES PTE LTD", "pte ltd"),
            ("Apex Co., Ltd.", "co ltd"),
            ("Siemens Aktiengesellschaft", "ag"),
            ("Siemens AG", "ag"),
            ("Acme L.L.C.", "llc"),
            ("Acme Sdn. Bhd.", "sdn bhd"),
            ("PT Maju Jaya", "pt"),
            ("OOO Romashka", "ooo"),
            ("Romashka Sp. z o.o.", "sp z oo"),
            ("Nova s.r.o.", "srl"),
            ("Gulf Star FZE", "fze"),
            ("Gulf Star FZ-LLC", "fz llc"),
            ("Toyota Kabushiki Kaisha", "kk"),
            ("株式会社トヨタ", "kk"),
            ("华为技术有限公司", "youxian gongsi"),
            ("삼성전자 주식회사", "jusik hoesa"),
            ("Tata Pvt. Ltd.", "pvt ltd"),
            ("Qantas Pty Ltd", "pty ltd"),
            ("Nokia Oyj", "oy"),
            ("Volvo AB", "ab"),
            ("Maersk A/S", "as"),
            ("Mol Kft.", "kft"),
            ("Acme Inc.", "inc"),
            ("Acme Corporation", "corp"),
            ("Acme GmbH", "gmbh"),
            ("Acme S.A.", "sa"),
            ("Acme SAS", "sas"),
            ("Acme SARL", "sarl"),
            ("Acme B.V.", "bv"),
            ("Acme N.V.", "nv"),
            ("Acme S.p.A.", "spa"),
            ("Acme S.r.l.", "srl"),
            ("Acme PLC", "plc"),
            ("Acme LLP", "llp"),
            ("Acme JSC", "jsc"),
            ("Acme ApS", "aps"),
            ("Golden Bay Trading Ltd. (HK)", "ltd"),
            ("Titan (Thailand) Company Limited", "co ltd"),
            ("CÔNG TY TNHH SAO MAI", "tnhh"),
            ("Cty TNHH Sao Mai", "tnhh"),
            ("Công ty Cổ phần Hoa Sen", "jsc"),
            ("Co.,Ltd Sunrise Electronics", "co ltd"),
            ("บริษัท สยามเทค จำกัด", "co ltd"),
            ("LLC Vektor", "llc"),
            ("Limited Liability Company Gazprom Neft", "llc"),
            ("Public Joint Stock Company Rosneft Oil", "jsc"),
            ("Müller Elektronik GmbH u. Co. KG", "gmbh co kg"),
            ("Mueller Elektronik GmbH und Co KG", "gmbh co kg"),
        ];
        for (name, form) in cases {
            let p = split_name(name);
            assert_eq!(p.legal_form.map(|f| f.0), Some(form), "{name}: {p:?}");
            assert!(!p.tokens.is_empty());
        }
        assert!(LEGAL_FORMS.len() >= 30);
        // A name that is only a legal-form word keeps it as its name.
        assert_eq!(split_name("Limited").tokens, ["limited"]);
    }

    #[test]
    fn registers_write_a_form_in_full_or_short_alike() {
        // (full, short): the same words and the same form, wherever each register puts it
        for (a, b) in [
            (
                "ΕΘΝΙΚΗ ΤΡΑΠΕΖΑ ΤΗΣ ΕΛΛΑΔΟΣ Α.Ε.",
                "Εθνική Τράπεζα της Ελλάδος Ανώνυμη Εταιρεία",
            ),
            ("KGHM Polska Miedź Spółka Akcyjna", "KGHM Polska Miedz S.A."),
            ("Skoda Auto akciová společnost", "Skoda Auto a.s."),
            ("Nova společnost s ručením omezeným", "Nova s.r.o."),
            (
                "Publichnoe Aktsionernoe Obshchestvo Sberbank",
                "Sberbank PJSC",
            ),
            (
                "Obshchestvo s Ogranichennoy Otvetstvennostyu Romashka",
                "OOO Romashka",
            ),
            ("Romashka Open Joint Stock Company", "Romashka OJSC"),
            ("Aktiebolaget Volvo", "Volvo AB"),
            ("Perseroan Terbatas Maju Jaya", "PT Maju Jaya"),
            ("SIA Baltic Trade", "Baltic Trade SIA"),
            ("UAB Vilniaus Prekyba", "Vilniaus Prekyba UAB"),
            ("Acme (Pty) Ltd", "Acme Proprietary Limited"),
            ("Koç Holding A.Ş.", "Koc Holding Anonim Sirketi"),
            ("Acme Societas Europaea", "Acme SE"),
            ("Acme Kommanditgesellschaft auf Aktien", "Acme KGaA"),
            ("Acme Sociedad Anónima Cerrada", "Acme S.A.C."),
            ("ธนาคารกรุงเทพ จำกัด (มหาชน)", "ธนาคารกรุงเทพ PCL"),
            ("בנק הפועלים בע\"מ", "בנק הפועלים Ltd"),
        ] {
            let (x, y) = (split_name(a), split_name(b));
            assert_eq!(x.tokens, y.tokens, "{a} / {b}");
            let (fx, fy) = (x.legal_form.expect(a), y.legal_form.expect(b));
            assert_eq!(fx.agreement(fy), 2, "{a} {fx:?} / {b} {fy:?}");
        }
        // a Baltic form word before a name that has its own form is a name ("Sia")
        let p = split_name("Sia Trading Ltd");
        assert_eq!(
            (p.tokens, p.legal_form),
            (vec!["sia".into(), "trading".into()], Some(LegalForm("ltd")))
        );
        // a bracketed place stays a qualifier
        assert_eq!(split_name("Acme (S) Pte Ltd").tokens, ["acme", "s"]);
    }

    #[test]
    fn acronyms_are_what_the_writer_set_in_capitals_or_dotted() {
        assert_eq!(written_acronyms("IBM Corp"), ["ibm"]);
        assert_eq!(split_name("IBM Corp").acronyms, ["ibm"]);
        assert_eq!(split_name("I.B.M. Corporation").acronyms, ["ibm"]);
        assert_eq!(split_name("Acme GTS Holdings, Ltd.").acronyms, ["gts"]);
        // a name all in capitals says nothing; two letters are too few; a legal form is none
        assert!(split_name("SUN TRADING LTD").acronyms.is_empty());
        assert!(split_name("AB Volvo").acronyms.is_empty());
        assert!(split_name("Acme Trading LLC").acronyms.is_empty());
    }

    #[test]
    fn cities_read_in_english() {
        assert_eq!(city("München"), "munich");
        assert_eq!(city("Санкт-Петербург"), city("Saint Petersburg"));
        assert_eq!(city("TP. Hồ Chí Minh"), "ho chi minh city");
        assert_eq!(city("Kuala Lumpur"), "kuala lumpur");
        // every English name reads as itself
        for (_, english) in CITY_NAMES {
            assert_eq!(city(english), *english);
        }
    }

    #[test]
    fn legal_form_agreement() {
        let form = |s: &str| split_name(s).legal_form.unwrap();
        let same = |a: &str, b: &str| form(a).agreement(form(b));
        assert_eq!(
            same(
                "深圳市天龙网络有限公司",
                "Shenzhen Tianlong Networks Co., Ltd."
            ),
            2
        );
        assert_eq!(
            same(
                "Falcon Electronics Limited",
                "Falcon Electronics Co., Limited"
            ),
            2
        );
        assert_eq!(same("Noenet Private Limited", "Noenet Pte. Ltd."), 2);
        assert_eq!(same("ООО «Вектор Нетворкс»", "Vektor Netvorks LLC"), 2);
        assert_eq!(same("OOO Vektor", "AO Vektor"), 0);
        assert_eq!(
            same("Apex Pte Ltd", "Apex Limited"),
            1,
            "a family, not one form"
        );
        assert_eq!(same("Apex Inc", "Apex GmbH"), 0);
        for a in [
            "Apex Ltd",
            "Apex Co Ltd",
            "Apex Pte Ltd",
            "Apex LLC",
            "Apex AG",
        ] {
            for b in [
                "Apex Ltd",
                "Apex Co Ltd",
                "Apex Pte Ltd",
                "Apex LLC",
                "Apex AG",
            ] {
                assert_eq!(same(a, b), same(b, a), "{a} {b}");
            }
        }
    }

    #[test]
    fn russian_words_match_however_their_iotation_is_spelt() {
        let tokens = |s: &str| split_name(s).tokens;
        let solutions = ["alfa", "solution"];
        assert_eq!(tokens("ООО «Альфа Солюшнс»"), solutions);
        assert_eq!(tokens("OOO Alfa Solyushns"), solutions);
        assert_eq!(tokens("OOO Alfa Soljushns"), solutions);
        assert_eq!(tokens("Alfa Soliushns LLC"), solutions);
        // "y" is also ы: only some of a word's letters are respelt
        assert_eq!(tokens("Kompjuternye Sistemy")[0], "computer");
        // a variant never displaces a listed spelling
        for &(k, v) in BUSINESS_WORDS {
            assert_eq!(business_word(k), Some(v), "{k}");
        }
    }

    #[test]
    fn a_branch_is_its_company_and_turkish_abbreviations_read_in_full() {
        let parts = |s: &str| {
            let p = split_name(s);
            (p.tokens, p.legal_form.map(|f| f.0))
        };
        let apex = (
            vec!["apex".to_string(), "component".into()],
            Some("pte ltd"),
        );
        assert_eq!(parts("Apex Components Pte Ltd"), apex);
        assert_eq!(parts("Apex Components Pte Ltd - Singapore Branch"), apex);
        assert_eq!(
            parts("APEX COMPONENTS PTE LTD HONG KONG BRANCH OFFICE"),
            apex
        );
        assert_eq!(parts("Apex Components Pte Ltd (Branch)"), apex);
        // no form before it: "branch" is a word of the name
        assert_eq!(parts("Olive Branch").0, ["olive", "branch"]);
        assert_eq!(
            parts("Özdemir Elektronik Sanayi ve Ticaret A.Ş."),
            parts("OZDEMIR ELEKTRONIK SAN. VE TIC. A.S.")
        );
        assert_eq!(
            parts("Yilmaz San. Tic. Ltd. Sti.").0,
            ["yilmaz", "industry", "trading"]
        );
        // alone, "san" is a word of the name
        assert_eq!(parts("San Miguel Corp").0, ["san", "miguel"]);
    }

    #[test]
    fn acronyms_expand() {
        assert_eq!(
            split_name("Novaia SCM Limited").tokens,
            split_name("Novaia Supply Chain Ltd").tokens
        );
        assert_eq!(
            split_name("Apex IT Solutions").tokens,
            ["apex", "information", "technology", "solution"]
        );
        // expansion is idempotent: the expanded words expand to themselves
        let once = split_name("Novaia SCM").tokens.join(" ");
        assert_eq!(split_name(&once).tokens.join(" "), once);
    }

    #[test]
    fn business_words_are_listed_once_and_map_to_full_words() {
        let mut keys: Vec<&str> = BUSINESS_WORDS.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(
            keys.len(),
            n,
            "a word listed twice: the later entry would win silently"
        );
        // a full word is its own canonical form, so folding is idempotent
        for (_, full) in BUSINESS_WORDS {
            assert_eq!(canonical_word(full), *full);
        }
    }

    #[test]
    fn business_words_fold_one_way() {
        let a = split_name("APEX TECHNOLOGY PTE. LIMITED");
        let b = split_name("Apex Tech Pte Ltd");
        let c = split_name("APEX TECHNOLOGIES PTE LTD");
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_ne!(split_name("Apex Tech Trading Pte Ltd").tokens, b.tokens);
        // contractions of customs extracts
        for (short, full) in [
            ("MERIDIAN TRDG PTE LTD", "Meridian Trading Pte. Ltd."),
            ("Silverline Shpg", "Silverline Shipping"),
            ("SUMSPHERE NTWKS LLC", "Sumsphere Networks LLC"),
            ("Ming Xin Indl", "Ming Xin Industrial"),
            ("Red Star Dgtl Components", "Red Star Digital Components"),
            // Russian names and their English registration
            (
                "ООО «Торговый Дом Технологии»",
                "Trading House Technologies LLC",
            ),
            ("АО Промышленная Электроника", "Industrial Electronics JSC"),
            (
                "ООО «Север Компьютерс Семикондактор»",
                "Sever Computers Semiconductor",
            ),
            (
                "Radiant Distribution International",
                "Радиант Дистрибьюшн Интернешнл",
            ),
            // other languages' registry names and their English one
            (
                "Anadolu Elektronik Sanayi ve Ticaret A.Ş.",
                "Anadolu Electronics Industry and Trading JSC",
            ),
            (
                "Meyer Halbleiter Vertrieb GmbH",
                "Meyer Semiconductor Distribution GmbH",
            ),
            ("Distribuidora Andina S.A.", "Andina Distribution S.A."),
            ("CIE DE SAINT GOBAIN", "Compagnie de Saint-Gobain"),
        ] {
            // comparison reads words in any order
            let words = |s: &str| {
                let mut t = split_name(s).tokens;
                t.sort_unstable();
                t
            };
            assert_eq!(words(short), words(full), "{short}");
        }
    }

    #[test]
    fn phones_emails_domains() {
        assert_eq!(phone("+65 6123 4567"), phone("(065) 6123-4567"));
        assert_eq!(phone("123"), None);
        assert_eq!(
            email("Mailto:Sales@Apex.SG").as_deref(),
            Some("sales@apex.sg")
        );
        assert_eq!(email("not an email"), None);
        assert_eq!(domain("apex.sg").as_deref(), Some("apex.sg"));
        assert_eq!(postcode("079903").as_deref(), Some("079903"));
        assert_eq!(
            registration_id("201912345-K").as_deref(),
            Some("201912345K")
        );
        // the register's label is no part of the id; letters inside or beside its digits are
        for (labelled, id) in [
            ("Reg. No.: 201912345-K", "201912345K"),
            ("CIN U72200MH2000PLC123456", "U72200MH2000PLC123456"),
            ("VAT DE 123456789", "DE123456789"),
            ("HRB 86891 (Amtsgericht München)", "86891"),
            ("KvK-nummer 12345678", "12345678"),
            ("ABCDEF", "ABCDEF"),
        ] {
            assert_eq!(registration_id(labelled).as_deref(), Some(id), "{labelled}");
        }
    }
}
