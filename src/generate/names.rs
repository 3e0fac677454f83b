//! Company and person names, and the many ways registries, lists and shipping documents spell them.
//!
//! Inputs: a [`Rng`], a country code and a business kind. Outputs: a structured [`CompanyName`]
//! or [`PersonName`] that renders canonically (the registry spelling), natively (Chinese
//! characters, Hangul, Cyrillic) and as spelling variants: legal-form variants (Pte. Ltd. / Pte
//! Ltd / Private Limited), abbreviations (Technology → Tech), dropped words, case and punctuation,
//! romanisation and transliteration alternatives, and keyboard typos.

use std::fmt::Write;

use super::rng::Rng;

/// Legal forms, each with its spellings; the first spelling is canonical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    PteLtd,
    SdnBhd,
    CoLtd,
    CompanyLimited,
    Limited,
    PvtLtd,
    Llc,
    Inc,
    Corp,
    Fze,
    Fzco,
    GmbH,
    Jsc,
    Ooo,
    Kk,
    Bv,
    Pt,
    /// Organisations (institutes, universities): no legal form.
    None,
}

impl Form {
    /// The spellings of the form, canonical first.
    pub fn spellings(self) -> &'static [&'static str] {
        match self {
            Form::PteLtd => &[
                "Pte. Ltd.",
                "Pte Ltd",
                "PTE. LTD.",
                "Private Limited",
                "Pte. Limited",
                "Pte Ltd.",
            ],
            Form::SdnBhd => &["Sdn. Bhd.", "Sdn Bhd", "SDN. BHD.", "Sendirian Berhad"],
            Form::CoLtd => &[
                "Co., Ltd.",
                "Co. Ltd",
                "Co Ltd",
                "Company Limited",
                "Co., Limited",
                "Co.,Ltd",
                "Ltd.",
            ],
            Form::CompanyLimited => &[
                "Company Limited",
                "Co., Ltd.",
                "Co. Ltd.",
                "Co Ltd",
                "Limited",
            ],
            Form::Limited => &["Limited", "Ltd", "Ltd.", "Co., Limited", "Company Limited"],
            Form::PvtLtd => &["Private Limited", "Pvt. Ltd.", "Pvt Ltd", "Private Ltd"],
            Form::Llc => &["LLC", "L.L.C.", "Limited Liability Company", "L.L.C"],
            Form::Inc => &["Inc.", "Inc", "Incorporated", "INC."],
            Form::Corp => &["Corporation", "Corp.", "Corp", "Co."],
            Form::Fze => &["FZE", "F.Z.E.", "FZ-E", "Free Zone Establishment"],
            Form::Fzco => &["FZCO", "FZ-CO", "F.Z.C.O.", "FZ Co."],
            Form::GmbH => &["GmbH", "Gmbh", "G.m.b.H.", "GMBH"],
            Form::Jsc => &["JSC", "Joint Stock Company", "J.S.C.", "AO"],
            Form::Ooo => &["LLC", "OOO", "Limited Liability Company", "O.O.O."],
            Form::Kk => &["Co., Ltd.", "K.K.", "Kabushiki Kaisha", "Corporation"],
            Form::Bv => &["B.V.", "BV", "B.V"],
            Form::Pt => &["PT", "P.T.", "PT."],
            Form::None => &[""],
        }
    }

    /// Whether the form is written before the name ("PT Maju Jaya").
    fn prefix(self) -> bool {
        matches!(self, Form::Pt)
    }

    /// The legal forms companies of a country use, with weights.
    pub fn for_country(rng: &mut Rng, code: &str) -> Form {
        let pick = |rng: &mut Rng, xs: &[(Form, u32)]| {
            let w: Vec<u32> = xs.iter().map(|x| x.1).collect();
            xs[rng.weighted(&w)].0
        };
        match code {
            "SG" => pick(rng, &[(Form::PteLtd, 9), (Form::Limited, 1)]),
            "MY" => pick(rng, &[(Form::SdnBhd, 9), (Form::Limited, 1)]),
            "TH" | "VN" => pick(
                rng,
                &[(Form::CompanyLimited, 5), (Form::CoLtd, 4), (Form::Jsc, 1)],
            ),
            "HK" => pick(
                rng,
                &[(Form::Limited, 6), (Form::CoLtd, 3), (Form::Corp, 1)],
            ),
            "AE" => pick(rng, &[(Form::Llc, 4), (Form::Fze, 3), (Form::Fzco, 3)]),
            "TW" => pick(rng, &[(Form::CoLtd, 6), (Form::Corp, 3), (Form::Inc, 1)]),
            "CN" => pick(rng, &[(Form::CoLtd, 9), (Form::Jsc, 1)]),
            "KR" => pick(rng, &[(Form::CoLtd, 8), (Form::Corp, 1), (Form::Inc, 1)]),
            "JP" => pick(rng, &[(Form::Kk, 7), (Form::Corp, 3)]),
            "DE" => Form::GmbH,
            "RU" | "KZ" => pick(rng, &[(Form::Ooo, 8), (Form::Jsc, 2)]),
            "IN" => pick(rng, &[(Form::PvtLtd, 8), (Form::Limited, 2)]),
            "NL" => Form::Bv,
            "ID" => Form::Pt,
            "US" | "CA" => pick(rng, &[(Form::Inc, 5), (Form::Llc, 4), (Form::Corp, 1)]),
            _ => pick(rng, &[(Form::Limited, 5), (Form::Llc, 2), (Form::Inc, 1)]),
        }
    }
}

/// A descriptive word of a company name with abbreviations and native equivalents.
#[derive(Debug)]
pub struct Desc {
    pub en: &'static str,
    pub abbr: &'static [&'static str],
    pub zh: &'static str,
    pub ko: &'static str,
    pub ru: &'static str,
}

macro_rules! d {
    ($en:expr, [$($a:expr),*], $zh:expr, $ko:expr, $ru:expr) => {
        Desc { en: $en, abbr: &[$($a),*], zh: $zh, ko: $ko, ru: $ru }
    };
}

/// Every descriptor; [`Business`] chooses among them by index.
pub const DESCS: &[Desc] = &[
    d!(
        "Technology",
        ["Tech", "Techn.", "Tech."],
        "科技",
        "테크",
        "Технологии"
    ), // 0
    d!(
        "Electronics",
        ["Elec", "Electr.", "Elect."],
        "电子",
        "전자",
        "Электроникс"
    ),
    d!("Trading", ["Trdg", "Trd", "Trdg."], "贸易", "상사", "Трейд"),
    d!(
        "International",
        ["Intl", "Int'l", "Intl."],
        "国际",
        "인터내셔널",
        "Интернешнл"
    ),
    d!("Systems", ["Sys", "Syst."], "系统", "시스템", "Системс"),
    d!("Solutions", ["Soln", "Sol."], "方案", "솔루션", "Солюшнс"), // 5
    d!("Computer", ["Comp", "Cptr"], "电脑", "컴퓨터", "Компьютерс"),
    d!(
        "Information Technology",
        ["IT", "Info Tech", "Info. Tech."],
        "信息技术",
        "정보기술",
        "Информационные Технологии"
    ),
    d!("Global", ["Glb", "Glob."], "环球", "글로벌", "Глобал"),
    d!("Digital", ["Dgtl", "Digi"], "数码", "디지털", "Диджитал"),
    d!(
        "Networks",
        ["Ntwks", "Netw."],
        "网络",
        "네트웍스",
        "Нетворкс"
    ), // 10
    d!(
        "Components",
        ["Comps", "Cmpts"],
        "元器件",
        "부품",
        "Компонентс"
    ),
    d!(
        "Distribution",
        ["Dist.", "Distr."],
        "分销",
        "유통",
        "Дистрибьюшн"
    ),
    d!("Industrial", ["Ind.", "Indl"], "实业", "산업", "Индастриал"),
    d!(
        "Semiconductor",
        ["Semi", "Semicon"],
        "半导体",
        "반도체",
        "Семикондактор"
    ),
    d!(
        "Import & Export",
        ["Imp & Exp", "Imp. & Exp.", "I/E"],
        "进出口",
        "무역",
        "Импорт-Экспорт"
    ), // 15
    d!(
        "Supply Chain",
        ["SCM", "Sup. Chain"],
        "供应链",
        "공급망",
        "Снабжение"
    ),
    d!("Services", ["Svcs", "Servs"], "服务", "서비스", "Сервис"),
    d!(
        "Logistics",
        ["Log.", "Logis."],
        "物流",
        "로지스틱스",
        "Логистик"
    ),
    d!("Freight", ["Frt", "Frght"], "货运", "화물", "Фрейт"),
    d!("Shipping", ["Shpg", "Shipg"], "船务", "해운", "Шиппинг"), // 20
    d!(
        "Express",
        ["Exp.", "Expr"],
        "快运",
        "익스프레스",
        "Экспресс"
    ),
    d!("Realty", ["Rlty"], "地产", "부동산", "Риэлти"),
    d!(
        "Properties",
        ["Props", "Prop."],
        "置业",
        "프로퍼티",
        "Пропертиз"
    ),
    d!("Holdings", ["Hldgs", "Hldg"], "控股", "홀딩스", "Холдинг"),
    d!("Cloud", ["Cld"], "云计算", "클라우드", "Клауд"), // 25
    d!(
        "Data Centers",
        ["DC", "Data Ctrs"],
        "数据中心",
        "데이터센터",
        "Дата-Центр"
    ),
    d!(
        "Computing",
        ["Cmptg", "Comp."],
        "计算",
        "컴퓨팅",
        "Компьютинг"
    ),
    d!(
        "Development",
        ["Dev", "Devt"],
        "发展",
        "개발",
        "Девелопмент"
    ),
    d!(
        "Manufacturing",
        ["Mfg", "Mfg."],
        "制造",
        "제조",
        "Мануфактуринг"
    ),
    d!(
        "Research Institute",
        ["Res. Inst.", "Research Inst."],
        "研究所",
        "연구소",
        "Научно-Исследовательский Институт"
    ), // 30
    d!(
        "Enterprise",
        ["Ent.", "Entp"],
        "企业",
        "엔터프라이즈",
        "Энтерпрайз"
    ),
];

/// What a company does, which decides its name words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Business {
    /// Electronics importers, distributors, IT resellers.
    Trade,
    /// Freight forwarders and logistics firms.
    Forwarding,
    /// Cloud and data-centre operators.
    DataCentre,
    /// Property and real estate.
    Realty,
    /// Holding and investment companies.
    Holding,
    /// Research institutes (organisations).
    Institute,
}

impl Business {
    fn descs(self) -> &'static [u8] {
        match self {
            Business::Trade => &[
                0, 1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 29, 31,
            ],
            Business::Forwarding => &[18, 19, 20, 21, 16, 18, 19],
            Business::DataCentre => &[25, 26, 27, 9, 10, 25],
            Business::Realty => &[22, 23, 28, 22],
            Business::Holding => &[24, 24, 31, 28, 3],
            Business::Institute => &[30],
        }
    }
}

/// Script family of a company's home registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Chinese,
    Korean,
    Russian,
}

/// Chinese brand syllables (pinyin, character).
const ZH_SYL: &[(&str, &str)] = &[
    ("Hua", "华"),
    ("Xin", "芯"),
    ("Da", "达"),
    ("Tong", "通"),
    ("Sheng", "盛"),
    ("Rui", "瑞"),
    ("Jie", "杰"),
    ("Kai", "凯"),
    ("Long", "龙"),
    ("Feng", "丰"),
    ("Hong", "鸿"),
    ("Tian", "天"),
    ("Yu", "宇"),
    ("Cheng", "诚"),
    ("Hai", "海"),
    ("Jin", "金"),
    ("Xing", "星"),
    ("Yuan", "远"),
    ("Bo", "博"),
    ("Ming", "明"),
    ("Zhi", "智"),
    ("Heng", "恒"),
    ("Guang", "光"),
    ("Wei", "维"),
    ("Chuang", "创"),
    ("Xun", "讯"),
    ("Ke", "科"),
    ("An", "安"),
    ("Tai", "泰"),
    ("Fu", "富"),
    ("Jia", "嘉"),
    ("Run", "润"),
];

/// Chinese registration cities (pinyin, characters).
const ZH_CITY: &[(&str, &str)] = &[
    ("Shenzhen", "深圳市"),
    ("Shanghai", "上海"),
    ("Beijing", "北京"),
    ("Guangzhou", "广州市"),
    ("Hangzhou", "杭州"),
    ("Chengdu", "成都"),
    ("Wuhan", "武汉"),
    ("Suzhou", "苏州"),
];

/// Korean brand syllables (romanisation, alternative romanisation, Hangul).
const KO_SYL: &[(&str, &str, &str)] = &[
    ("Han", "Hahn", "한"),
    ("Sam", "Sahm", "삼"),
    ("Dae", "Tae", "대"),
    ("Sung", "Seong", "성"),
    ("Jin", "Chin", "진"),
    ("Hyun", "Hyeon", "현"),
    ("Woo", "U", "우"),
    ("Mi", "Mee", "미"),
    ("Rae", "Lae", "래"),
    ("Kwang", "Gwang", "광"),
    ("Seo", "Suh", "서"),
    ("Young", "Yeong", "영"),
    ("Il", "Eel", "일"),
    ("Shin", "Sin", "신"),
    ("Dong", "Tong", "동"),
    ("Myung", "Myeong", "명"),
    ("Kook", "Guk", "국"),
    ("Joo", "Ju", "주"),
    ("Chang", "Chhang", "창"),
    ("Won", "Weon", "원"),
];

/// Russian brand words (Cyrillic).
const RU_BRAND: &[&str] = &[
    "Техно",
    "Электрон",
    "Микрон",
    "Вектор",
    "Альфа",
    "Гранит",
    "Север",
    "Восток",
    "Сигма",
    "Квант",
    "Орион",
    "Импульс",
    "Спектр",
    "Базис",
    "Атлант",
    "Интеграл",
    "Модуль",
    "Логика",
    "Стрела",
    "Меридиан",
    "Сфера",
    "Форпост",
    "Радиант",
    "Каскад",
];

/// Latin brand stems and endings, combined into invented brands.
const LAT_PRE: &[&str] = &[
    "Apex", "Nova", "Orion", "Zen", "Vert", "Sum", "Pac", "Ever", "Lum", "Quant", "Stel", "Tita",
    "Hor", "Argo", "Astra", "Cor", "Del", "Eco", "Fal", "Gal", "Hel", "Ion", "Jad", "Kin", "Lex",
    "Mer", "Nex", "Omni", "Pri", "Rad", "Sil", "Ter", "Ult", "Val", "Wis", "Xen", "Yor", "Zet",
    "Blu", "Sun", "Star", "Sky", "Gold", "Silver", "Grand", "Prime", "Alpha", "Delta", "Sigma",
    "Neo", "Tera", "Giga", "Vanta", "Aero", "Cyber", "Infini", "Maxi", "Micro", "Opti", "Poly",
];
const LAT_SUF: &[&str] = &[
    "tek", "tron", "ex", "ia", "ion", "ix", "ora", "on", "ara", "is", "us", "ent", "way", "line",
    "bridge", "point", "field", "gate", "link", "wave", "core", "star", "peak", "stone", "view",
    "bay", "logic", "nova", "sys", "net", "max", "vision", "tech", "works", "lane", "sphere",
];
const LAT_WORD: &[&str] = &[
    "Apex",
    "Summit",
    "Pinnacle",
    "Harbor",
    "Meridian",
    "Horizon",
    "Vanguard",
    "Keystone",
    "Evergreen",
    "Lotus",
    "Phoenix",
    "Dragon",
    "Tiger",
    "Eagle",
    "Falcon",
    "Atlas",
    "Titan",
    "Zenith",
    "Crest",
    "Crown",
    "Pacific",
    "Oriental",
    "Golden Bridge",
    "Silverline",
    "Bluewave",
    "Red Star",
    "Great Wall",
    "Jade",
    "Orchid",
    "Lion City",
    "Mekong",
    "Straits",
    "Sentosa",
];

/// Geographic tags some names carry: "(Singapore)", "(HK)", "Asia".
fn geo_tag(code: &str) -> Option<(&'static str, &'static str)> {
    Some(match code {
        "SG" => ("(Singapore)", "(S)"),
        "MY" => ("(Malaysia)", "(M)"),
        "HK" => ("(Hong Kong)", "(HK)"),
        "TH" => ("(Thailand)", "(Thai)"),
        "AE" => ("(Middle East)", "ME"),
        "VN" => ("Vietnam", "VN"),
        "TW" => ("(Taiwan)", "TW"),
        _ => return None,
    })
}

/// A company's name, kept in parts so it can be spelled many ways.
#[derive(Debug, Clone)]
pub struct CompanyName {
    /// Latin brand as the registry romanises it ("Huaxin", "Hansung", "Kvant", "Apex").
    pub brand: String,
    /// Alternative Latin spelling of the brand ("Hua Xin", "Hanseong", "Quant").
    pub brand_alt: String,
    /// Brand in the home script ("华芯", "한성", "Квант"); empty for Latin-script companies.
    pub brand_native: String,
    /// Descriptor indexes into [`DESCS`].
    pub descs: Vec<u8>,
    /// Legal form.
    pub form: Form,
    /// Chinese registration city index (Chinese names only).
    pub region: Option<u8>,
    /// Home script.
    pub script: Script,
    /// Alpha-2 of the registering country.
    pub country: &'static str,
    /// Whether the canonical name carries a geographic tag.
    pub geo: bool,
}

impl CompanyName {
    /// A random name for a company of `country` doing `business`.
    pub fn random(rng: &mut Rng, country: &'static str, business: Business) -> CompanyName {
        let script = match country {
            "CN" => Script::Chinese,
            "KR" => Script::Korean,
            "RU" => Script::Russian,
            "KZ" if rng.chance(0.5) => Script::Russian,
            _ => Script::Latin,
        };
        let pool = business.descs();
        let mut descs = vec![*rng.pick(pool)];
        if rng.chance(0.35) {
            let d = *rng.pick(pool);
            if !descs.contains(&d) {
                descs.push(d);
            }
        }
        if business == Business::Trade && rng.chance(0.12) && !descs.contains(&3) {
            descs.push(3);
        }
        let form = if business == Business::Institute {
            Form::None
        } else {
            Form::for_country(rng, country)
        };
        let (brand, brand_alt, brand_native, region) = match script {
            Script::Chinese => {
                let a = rng.pick(ZH_SYL);
                let b = rng.pick(ZH_SYL);
                let brand = format!("{}{}", a.0, b.0.to_lowercase());
                let alt = format!("{} {}", a.0, b.0);
                let native = format!("{}{}", a.1, b.1);
                (brand, alt, native, Some(rng.index(ZH_CITY.len()) as u8))
            }
            Script::Korean => {
                let a = rng.pick(KO_SYL);
                let b = rng.pick(KO_SYL);
                let brand = format!("{}{}", a.0, b.0.to_lowercase());
                let alt = format!("{}{}", a.1, b.1.to_lowercase());
                (brand, alt, format!("{}{}", a.2, b.2), None)
            }
            Script::Russian => {
                let w = rng.pick(RU_BRAND);
                let native = if rng.chance(0.3) {
                    format!("{}-{}", w, rng.pick(RU_BRAND))
                } else {
                    (*w).to_string()
                };
                (translit(&native, 0), translit(&native, 1), native, None)
            }
            Script::Latin => {
                let (brand, alt) = if rng.chance(0.3) {
                    // "Golden Bridge" / "Goldenbridge"; single words have no alternative.
                    let w = *rng.pick(LAT_WORD);
                    (w.to_string(), w.replace(' ', ""))
                } else {
                    // Invented brands: "Sigmabridge" / "Sigma Bridge" (or "Sigma-Bridge").
                    let pre = *rng.pick(LAT_PRE);
                    let mut sufs = vec![*rng.pick(LAT_SUF)];
                    if rng.chance(0.15) {
                        let s2 = *rng.pick(LAT_SUF);
                        sufs.push(s2);
                    }
                    let tail: String = sufs.concat();
                    let sep = if rng.chance(0.8) { " " } else { "-" };
                    (
                        format!("{pre}{tail}"),
                        format!("{pre}{sep}{}", capitalise(&tail)),
                    )
                };
                (brand, alt, String::new(), None)
            }
        };
        let geo = script == Script::Latin && geo_tag(country).is_some() && rng.chance(0.12);
        CompanyName {
            brand,
            brand_alt,
            brand_native,
            descs,
            form,
            region,
            script,
            country,
            geo,
        }
    }

    /// The canonical Latin-script name, as an English-language registry or invoice gives it.
    pub fn canonical(&self) -> String {
        let mut s = String::with_capacity(48);
        self.render(&mut s, &mut Rng::new(0), &Style::CANONICAL);
        s
    }

    /// The name in the home script (Chinese characters, Hangul, Cyrillic), if any.
    pub fn native(&self) -> Option<String> {
        let descs = || self.descs.iter().map(|&d| &DESCS[d as usize]);
        match self.script {
            Script::Latin => None,
            Script::Chinese => {
                let mut s = String::new();
                if let Some(r) = self.region {
                    s.push_str(ZH_CITY[r as usize].1);
                }
                s.push_str(&self.brand_native);
                for d in descs() {
                    s.push_str(d.zh);
                }
                s.push_str(match self.form {
                    Form::None => "",
                    Form::Jsc => "股份有限公司",
                    _ => "有限公司",
                });
                Some(s)
            }
            Script::Korean => {
                let mut s = String::from(if self.form == Form::None {
                    ""
                } else {
                    "주식회사 "
                });
                s.push_str(&self.brand_native);
                for d in descs() {
                    s.push_str(d.ko);
                }
                Some(s)
            }
            Script::Russian => {
                let form = match self.form {
                    Form::None => "",
                    Form::Jsc => "АО ",
                    _ => "ООО ",
                };
                let mut s = format!("{form}«{}", self.brand_native);
                for d in descs() {
                    s.push(' ');
                    s.push_str(d.ru);
                }
                s.push('»');
                Some(s)
            }
        }
    }

    /// A spelling variant, different from the canonical name. `rng` decides which; the same
    /// rng state gives the same variant.
    pub fn variant(&self, rng: &mut Rng) -> String {
        let canon = self.canonical();
        for _ in 0..8 {
            let style = Style::random(rng, self);
            let mut s = String::with_capacity(48);
            self.render(&mut s, rng, &style);
            if s != canon && !s.trim().is_empty() {
                return s;
            }
        }
        // Fall back to an unmistakable variant: upper case without punctuation.
        canon.to_uppercase().replace(['.', ','], "")
    }

    /// Writes the name in `style` to `out`.
    fn render(&self, out: &mut String, rng: &mut Rng, style: &Style) {
        let start = out.len();
        let form = self.form.spellings()[style.form as usize % self.form.spellings().len()];
        let ru_prefix =
            self.script == Script::Russian && style.ru_prefix && self.form != Form::None;
        if self.form.prefix() {
            out.push_str(form);
            out.push(' ');
        }
        if ru_prefix {
            out.push_str(if self.form == Form::Jsc {
                "AO "
            } else {
                "OOO "
            });
            if style.quotes {
                out.push('"');
            }
        }
        if self.script == Script::Chinese && style.city_front {
            if let Some(r) = self.region {
                out.push_str(ZH_CITY[r as usize].0);
                out.push(' ');
            }
        }
        let brand_start = out.len();
        out.push_str(if style.brand_alt {
            &self.brand_alt
        } else {
            &self.brand
        });
        if style.typo {
            let mut b = out.split_off(brand_start);
            typo(rng, &mut b);
            out.push_str(&b);
        }
        let mut words: Vec<&str> = Vec::with_capacity(3);
        for (i, &d) in self.descs.iter().enumerate() {
            let desc = &DESCS[d as usize];
            if style.drop_desc == Some(i) {
                continue;
            }
            let w = if self.script == Script::Russian && !style.translate {
                ""
            } else if style.abbreviate.is_some_and(|a| a == i || a == usize::MAX) {
                desc.abbr[style.form as usize % desc.abbr.len()]
            } else {
                desc.en
            };
            if w.is_empty() {
                // Russian descriptor transliterated, appended below.
                words.push("");
            } else {
                words.push(w);
            }
        }
        if style.swap_words && words.len() >= 2 {
            words.swap(0, 1);
        }
        for (i, w) in words.iter().enumerate() {
            out.push(' ');
            if w.is_empty() {
                let d = self
                    .descs
                    .iter()
                    .filter(|_| true)
                    .nth(i)
                    .copied()
                    .unwrap_or(0);
                out.push_str(&translit(DESCS[d as usize].ru, style.translit));
            } else {
                out.push_str(w);
            }
        }
        if ru_prefix && style.quotes {
            out.push('"');
        }
        if self.geo != style.flip_geo {
            if let Some((long, short)) = geo_tag(self.country) {
                out.push(' ');
                out.push_str(if style.short_geo { short } else { long });
            }
        }
        if self.script == Script::Chinese && !style.city_front && style.city_paren {
            if let Some(r) = self.region {
                let _ = write!(out, " ({})", ZH_CITY[r as usize].0);
            }
        }
        if !self.form.prefix() && !ru_prefix && !style.drop_form && !form.is_empty() {
            if style.comma_form {
                out.push(',');
            }
            out.push(' ');
            out.push_str(form);
        }
        finish_case(out, start, style);
    }
}

/// The choices that make one spelling of a company name.
#[derive(Debug, Clone)]
struct Style {
    form: u8,
    drop_form: bool,
    comma_form: bool,
    abbreviate: Option<usize>,
    drop_desc: Option<usize>,
    swap_words: bool,
    brand_alt: bool,
    typo: bool,
    upper: bool,
    lower: bool,
    strip_punct: bool,
    flip_geo: bool,
    short_geo: bool,
    city_front: bool,
    city_paren: bool,
    ru_prefix: bool,
    quotes: bool,
    translate: bool,
    translit: u8,
    ampersand: bool,
}

impl Style {
    const CANONICAL: Style = Style {
        form: 0,
        drop_form: false,
        comma_form: false,
        abbreviate: None,
        drop_desc: None,
        swap_words: false,
        brand_alt: false,
        typo: false,
        upper: false,
        lower: false,
        strip_punct: false,
        flip_geo: false,
        short_geo: false,
        city_front: true,
        city_paren: false,
        ru_prefix: false,
        quotes: false,
        translate: false,
        translit: 0,
        ampersand: false,
    };

    fn random(rng: &mut Rng, name: &CompanyName) -> Style {
        let n = name.descs.len();
        let city_front = rng.chance(0.55);
        Style {
            form: if rng.chance(0.6) {
                rng.range(1, 6) as u8
            } else {
                0
            },
            drop_form: rng.chance(0.08),
            comma_form: rng.chance(0.08),
            abbreviate: if rng.chance(0.3) {
                Some(if rng.chance(0.2) {
                    usize::MAX
                } else {
                    rng.index(n)
                })
            } else {
                None
            },
            drop_desc: if rng.chance(if n > 1 { 0.25 } else { 0.08 }) {
                Some(rng.index(n))
            } else {
                None
            },
            swap_words: rng.chance(0.05),
            brand_alt: rng.chance(if name.script == Script::Latin {
                0.08
            } else {
                0.3
            }),
            typo: rng.chance(0.12),
            upper: rng.chance(0.35),
            lower: rng.chance(0.02),
            strip_punct: rng.chance(0.2),
            flip_geo: rng.chance(0.1),
            short_geo: rng.chance(0.5),
            city_front,
            city_paren: !city_front && rng.chance(0.6),
            ru_prefix: rng.chance(0.35),
            quotes: rng.chance(0.5),
            translate: rng.chance(0.4),
            translit: rng.below(2) as u8,
            ampersand: rng.chance(0.3),
        }
    }
}

fn finish_case(out: &mut String, start: usize, style: &Style) {
    if !(style.upper || style.lower || style.strip_punct || style.ampersand) {
        return;
    }
    let mut s = out.split_off(start);
    if style.ampersand && s.contains(" & ") {
        s = s.replace(" & ", " and ");
    }
    if style.strip_punct {
        s.retain(|c| c != '.' && c != ',');
    }
    if style.upper {
        s = s.to_uppercase();
    } else if style.lower {
        s = s.to_lowercase();
    }
    out.push_str(&s);
}

/// Russian Cyrillic → Latin. Scheme 0 is BGN/PCGN-like ("Kh", "Ts", "Y"), scheme 1 the looser
/// spelling trade documents use ("H", "Tz", "I").
pub fn translit(s: &str, scheme: u8) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let t: &str = match (lower, scheme) {
            ('а', _) => "a",
            ('б', _) => "b",
            ('в', _) => "v",
            ('г', _) => "g",
            ('д', _) => "d",
            ('е', _) | ('ё', _) | ('э', _) => "e",
            ('ж', 0) => "zh",
            ('ж', _) => "j",
            ('з', _) => "z",
            ('и', _) => "i",
            ('й', 0) => "y",
            ('й', _) => "i",
            ('к', _) => "k",
            ('л', _) => "l",
            ('м', _) => "m",
            ('н', _) => "n",
            ('о', _) => "o",
            ('п', _) => "p",
            ('р', _) => "r",
            ('с', _) => "s",
            ('т', _) => "t",
            ('у', _) => "u",
            ('ф', _) => "f",
            ('х', 0) => "kh",
            ('х', _) => "h",
            ('ц', 0) => "ts",
            ('ц', _) => "tz",
            ('ч', _) => "ch",
            ('ш', _) => "sh",
            ('щ', 0) => "shch",
            ('щ', _) => "sch",
            ('ъ', _) | ('ь', _) => "",
            ('ы', 0) => "y",
            ('ы', _) => "i",
            ('ю', 0) => "yu",
            ('ю', _) => "ju",
            ('я', 0) => "ya",
            ('я', _) => "ja",
            _ => {
                out.push(c);
                continue;
            }
        };
        if c.is_uppercase() {
            let mut chars = t.chars();
            if let Some(f) = chars.next() {
                out.extend(f.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(t);
        }
    }
    out
}

/// QWERTY neighbours for keyboard typos.
fn neighbour(c: char) -> char {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let lower = c.to_ascii_lowercase();
    for row in ROWS {
        if let Some(i) = row.find(lower) {
            let b = row.as_bytes();
            let n = if i + 1 < b.len() { b[i + 1] } else { b[i - 1] } as char;
            return if c.is_ascii_uppercase() {
                n.to_ascii_uppercase()
            } else {
                n
            };
        }
    }
    c
}

/// Applies one typo (swap, drop, double or keyboard neighbour) to an ASCII word of 5+ letters;
/// shorter or non-ASCII words are left alone.
pub fn typo(rng: &mut Rng, word: &mut String) {
    if word.len() < 5 || !word.is_ascii() {
        return;
    }
    let mut b: Vec<char> = word.chars().collect();
    let i = rng.range(1, b.len() as u64 - 2) as usize;
    match rng.below(4) {
        0 => b.swap(i, i + 1),
        1 => {
            b.remove(i);
        }
        2 => b.insert(i, b[i]),
        _ => b[i] = neighbour(b[i]),
    }
    *word = b.into_iter().collect();
}

/// Cultural naming convention of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culture {
    Chinese,
    SouthernChinese,
    Korean,
    Russian,
    Malay,
    Thai,
    Vietnamese,
    Indian,
    Arabic,
    Persian,
    Japanese,
    German,
    Western,
}

impl Culture {
    /// The convention for a person of `country`.
    pub fn for_country(rng: &mut Rng, country: &str) -> Culture {
        match country {
            "CN" | "TW" => Culture::Chinese,
            "HK" | "MO" => Culture::SouthernChinese,
            "SG" if rng.chance(0.75) => Culture::SouthernChinese,
            "MY" if rng.chance(0.35) => Culture::SouthernChinese,
            "SG" | "MY" | "ID" => Culture::Malay,
            "KR" => Culture::Korean,
            "RU" | "KZ" => Culture::Russian,
            "TH" => Culture::Thai,
            "VN" => Culture::Vietnamese,
            "IN" => Culture::Indian,
            "AE" | "TR" => Culture::Arabic,
            "IR" => Culture::Persian,
            "JP" => Culture::Japanese,
            "DE" | "NL" => Culture::German,
            _ => Culture::Western,
        }
    }
}

// Name tables: "canonical|alternative|…" spellings. Chinese and Korean pair with native script.
const ZH_FAMILY: &[(&str, &str)] = &[
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Huang", "黄"),
    ("Zhao", "赵"),
    ("Wu", "吴"),
    ("Zhou", "周"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Ma", "马"),
    ("Zhu", "朱"),
    ("Hu", "胡"),
    ("Guo", "郭"),
    ("Lin", "林"),
    ("He", "何"),
    ("Gao", "高"),
    ("Luo", "罗"),
];
const ZH_GIVEN: &[(&str, &str)] = &[
    ("Wei", "伟"),
    ("Ming", "明"),
    ("Jun", "军"),
    ("Hua", "华"),
    ("Li", "丽"),
    ("Jing", "静"),
    ("Qiang", "强"),
    ("Yong", "勇"),
    ("Lei", "磊"),
    ("Yan", "燕"),
    ("Fang", "芳"),
    ("Hao", "浩"),
    ("Xin", "欣"),
    ("Tao", "涛"),
    ("Bin", "斌"),
    ("Hong", "红"),
    ("Jian", "建"),
    ("Ping", "平"),
];
const YUE_FAMILY: &[(&str, &str)] = &[
    ("Chan", "陳"),
    ("Wong", "黃"),
    ("Lee", "李"),
    ("Cheung", "張"),
    ("Lau", "劉"),
    ("Ng", "吳"),
    ("Ho", "何"),
    ("Lam", "林"),
    ("Tan", "陳"),
    ("Lim", "林"),
    ("Goh", "吳"),
    ("Ong", "王"),
    ("Teo", "張"),
    ("Koh", "許"),
    ("Chua", "蔡"),
    ("Yeo", "楊"),
];
const YUE_GIVEN: &[(&str, &str)] = &[
    ("Wai", "偉"),
    ("Ming", "明"),
    ("Kok", "國"),
    ("Leong", "良"),
    ("Siew", "秀"),
    ("Ling", "玲"),
    ("Chee", "志"),
    ("Keong", "強"),
    ("Hui", "慧"),
    ("Kwok", "國"),
    ("Yan", "欣"),
    ("Boon", "文"),
    ("Kin", "健"),
    ("Man", "敏"),
];
const KO_FAMILY: &[(&str, &str)] = &[
    ("Kim|Gim", "김"),
    ("Lee|Yi|Rhee", "이"),
    ("Park|Pak|Bak", "박"),
    ("Choi|Choe", "최"),
    ("Jung|Jeong|Chung", "정"),
    ("Kang|Gang", "강"),
    ("Cho|Jo", "조"),
    ("Yoon|Yun", "윤"),
    ("Jang|Chang", "장"),
    ("Lim|Im", "임"),
    ("Han|Hahn", "한"),
    ("Shin|Sin", "신"),
];
const KO_GIVEN: &[(&str, &str)] = &[
    ("min", "민"),
    ("jun", "준"),
    ("seo", "서"),
    ("yeon", "연"),
    ("ji", "지"),
    ("hoon", "훈"),
    ("woo", "우"),
    ("sung", "성"),
    ("hyun", "현"),
    ("young", "영"),
    ("soo", "수"),
    ("jae", "재"),
    ("ho", "호"),
    ("eun", "은"),
];
const RU_GIVEN_M: &[&str] = &[
    "Александр",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Алексей",
    "Михаил",
    "Юрий",
    "Игорь",
    "Владимир",
    "Николай",
    "Евгений",
    "Олег",
    "Павел",
    "Виктор",
];
const RU_GIVEN_F: &[&str] = &[
    "Елена",
    "Ольга",
    "Наталья",
    "Ирина",
    "Татьяна",
    "Светлана",
    "Анна",
];
const RU_FAMILY: &[&str] = &[
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Соколов",
    "Волков",
    "Морозов",
    "Новиков",
    "Лебедев",
    "Козлов",
    "Федоров",
    "Орлов",
    "Захаров",
    "Белов",
    "Жуков",
    "Чернов",
];
const RU_PATRONYM: &[&str] = &[
    "Иванов",
    "Петров",
    "Сергеев",
    "Викторов",
    "Николаев",
    "Александров",
    "Юрьев",
    "Михайлов",
];
const MALAY_GIVEN: &[&str] = &[
    "Muhammad|Mohd|Mohamad",
    "Ahmad|Ahmed",
    "Siti",
    "Nur|Noor",
    "Azman",
    "Farid",
    "Aisyah|Aishah",
    "Hafiz|Hafidz",
    "Rizal",
    "Zulkifli",
    "Nurul",
    "Faizal|Faisal",
];
const MALAY_FATHER: &[&str] = &[
    "Abdullah",
    "Ismail",
    "Hassan|Hasan",
    "Ibrahim",
    "Yusof|Yusuf",
    "Osman|Othman",
    "Rahman",
    "Ali",
    "Hamid",
    "Salleh|Saleh",
];
const THAI_GIVEN: &[&str] = &[
    "Somchai",
    "Suda",
    "Anan",
    "Niran",
    "Kanya",
    "Prasert",
    "Wichai|Vichai",
    "Malee",
    "Surachai",
    "Pornthip|Porntip",
];
const THAI_FAMILY: &[&str] = &[
    "Wongsakul",
    "Srisuk",
    "Chaiyaporn",
    "Rattanakorn|Ratanakorn",
    "Thongdee",
    "Saetang",
    "Kittisak|Kittisakul",
    "Boonyarit",
];
const VI_FAMILY: &[&str] = &[
    "Nguyễn|Nguyen",
    "Trần|Tran",
    "Lê|Le",
    "Phạm|Pham",
    "Hoàng|Hoang|Huynh",
    "Vũ|Vu",
    "Đặng|Dang",
];
const VI_MIDDLE: &[&str] = &[
    "Văn|Van",
    "Thị|Thi",
    "Đức|Duc",
    "Minh",
    "Quốc|Quoc",
    "Thanh",
];
const VI_GIVEN: &[&str] = &[
    "An",
    "Minh",
    "Hùng|Hung",
    "Lan",
    "Tuấn|Tuan",
    "Dũng|Dung",
    "Hương|Huong",
    "Long",
    "Nam",
    "Phúc|Phuc",
];
const IN_GIVEN: &[&str] = &[
    "Rajesh", "Priya", "Amit", "Sanjay", "Anita", "Vikram", "Suresh", "Deepak", "Kavita", "Arjun",
    "Ramesh", "Sunil",
];
const IN_MIDDLE: &[&str] = &["Kumar", "Prasad", "Kumari", "Nath", "Lal"];
const IN_FAMILY: &[&str] = &[
    "Sharma",
    "Patel",
    "Gupta",
    "Reddy",
    "Iyer|Iyar",
    "Singh",
    "Agarwal|Aggarwal",
    "Mehta",
    "Nair",
    "Rao",
];
const AR_GIVEN: &[&str] = &[
    "Mohammed|Mohamed|Muhammad",
    "Ahmed|Ahmad",
    "Omar|Umar",
    "Khalid|Khaled",
    "Hassan|Hasan",
    "Yousef|Yusuf|Youssef",
    "Fatima|Fatma",
    "Ali",
    "Abdullah|Abdallah",
    "Saeed|Said",
    "Rashid|Rashed",
];
const AR_FAMILY: &[&str] = &[
    "Al-Rashid|Alrashid|Al Rashid",
    "Al-Mansouri|Al Mansoori|Almansouri",
    "Haddad",
    "Khoury|Khouri",
    "Al-Hashimi|Al Hashemi",
    "Al-Falasi|Al Falasi",
    "Nasser|Nasir",
    "Al-Qasimi|Al Qassimi",
    "Demir",
    "Yilmaz|Yılmaz",
    "Kaya",
];
const FA_GIVEN: &[&str] = &[
    "Reza",
    "Ali",
    "Hossein|Hosein|Hussein",
    "Mehdi|Mahdi",
    "Mohammad|Mohammed",
    "Saeed|Said",
    "Maryam",
    "Zahra",
];
const FA_FAMILY: &[&str] = &[
    "Rahimi",
    "Karimi",
    "Hosseini|Husseini",
    "Tehrani",
    "Mohammadi",
    "Ahmadi",
    "Rezaei|Rezaee",
    "Jafari|Jafary",
];
const JA_GIVEN: &[&str] = &[
    "Hiroshi",
    "Takashi",
    "Kenji",
    "Yuki",
    "Akira",
    "Naoko",
    "Satoshi",
    "Yusuke|Yuusuke",
    "Taro|Tarou",
    "Shota|Shouta",
];
const JA_FAMILY: &[&str] = &[
    "Tanaka",
    "Suzuki",
    "Sato|Satou",
    "Takahashi",
    "Watanabe",
    "Ito|Itou",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato|Katou",
];
const DE_GIVEN: &[&str] = &[
    "Thomas",
    "Stefan|Stephan",
    "Andreas",
    "Julia",
    "Klaus",
    "Michael",
    "Sabine",
    "Jürgen|Juergen|Jurgen",
    "Markus|Marcus",
    "Anja",
];
const DE_FAMILY: &[&str] = &[
    "Müller|Mueller|Muller",
    "Schmidt|Schmitt",
    "Schneider",
    "Fischer",
    "Weber",
    "Schäfer|Schaefer|Schafer",
    "Becker",
    "Hoffmann|Hofmann",
    "Wagner",
    "Krüger|Krueger",
];
const EN_GIVEN: &[&str] = &[
    "John|Jon",
    "Michael|Mike",
    "David|Dave",
    "Sarah|Sara",
    "Emily",
    "Robert|Bob",
    "James|Jim",
    "Laura",
    "Daniel|Dan",
    "Jennifer|Jenny",
    "William|Bill",
    "Steven|Stephen|Steve",
];
const EN_FAMILY: &[&str] = &[
    "Smith",
    "Johnson|Jonson",
    "Miller",
    "Brown",
    "Davis",
    "Wilson",
    "Anderson|Andersen",
    "Taylor",
    "Thompson|Thomson",
    "Garcia",
    "Martinez",
    "Lee",
];

/// Spelling `k` of a "canonical|alt|…" table entry (0 = canonical; out of range = canonical).
fn spell(entry: &'static str, k: usize) -> &'static str {
    entry
        .split('|')
        .nth(k)
        .unwrap_or_else(|| entry.split('|').next().unwrap_or(entry))
}

/// Number of spellings of a table entry.
fn spellings(entry: &str) -> usize {
    entry.split('|').count()
}

/// A person's name, kept as table indexes so it can be spelled many ways.
#[derive(Debug, Clone)]
pub struct PersonName {
    /// Naming convention.
    pub culture: Culture,
    /// Given name index.
    pub given: u16,
    /// Second given syllable / middle name / patronymic / father's name index.
    pub middle: u16,
    /// Whether the middle part is used.
    pub has_middle: bool,
    /// Family name index.
    pub family: u16,
    /// Grammatical gender where the convention needs it (Russian, Malay bin/binti).
    pub female: bool,
}

/// Table sizes (given, middle, family) of a culture.
fn table_sizes(c: Culture) -> (usize, usize, usize) {
    match c {
        Culture::Chinese => (ZH_GIVEN.len(), ZH_GIVEN.len(), ZH_FAMILY.len()),
        Culture::SouthernChinese => (YUE_GIVEN.len(), YUE_GIVEN.len(), YUE_FAMILY.len()),
        Culture::Korean => (KO_GIVEN.len(), KO_GIVEN.len(), KO_FAMILY.len()),
        Culture::Russian => (
            RU_GIVEN_M.len().max(RU_GIVEN_F.len()),
            RU_PATRONYM.len(),
            RU_FAMILY.len(),
        ),
        Culture::Malay => (MALAY_GIVEN.len(), 1, MALAY_FATHER.len()),
        Culture::Thai => (THAI_GIVEN.len(), 1, THAI_FAMILY.len()),
        Culture::Vietnamese => (VI_GIVEN.len(), VI_MIDDLE.len(), VI_FAMILY.len()),
        Culture::Indian => (IN_GIVEN.len(), IN_MIDDLE.len(), IN_FAMILY.len()),
        Culture::Arabic => (AR_GIVEN.len(), AR_GIVEN.len(), AR_FAMILY.len()),
        Culture::Persian => (FA_GIVEN.len(), 1, FA_FAMILY.len()),
        Culture::Japanese => (JA_GIVEN.len(), 1, JA_FAMILY.len()),
        Culture::German => (DE_GIVEN.len(), DE_GIVEN.len(), DE_FAMILY.len()),
        Culture::Western => (EN_GIVEN.len(), 26, EN_FAMILY.len()),
    }
}

impl PersonName {
    /// A random name of the convention of `country`.
    pub fn random(rng: &mut Rng, country: &str) -> PersonName {
        let culture = Culture::for_country(rng, country);
        let (g, m, f) = table_sizes(culture);
        let mut female = rng.chance(0.3);
        let given = if culture == Culture::Russian && female {
            rng.index(RU_GIVEN_F.len())
        } else if culture == Culture::Russian {
            rng.index(RU_GIVEN_M.len())
        } else {
            rng.index(g)
        };
        if culture == Culture::Malay {
            // Malay patronymics follow the given name: "bin" for men, "binti" for women.
            female = ["Siti", "Nur", "Aisyah", "Nurul"].contains(&spell(MALAY_GIVEN[given], 0));
        }
        let has_middle = match culture {
            Culture::Chinese => rng.chance(0.6),
            Culture::SouthernChinese | Culture::Korean | Culture::Russian | Culture::Vietnamese => {
                true
            }
            Culture::Malay => true,
            Culture::Indian | Culture::Western | Culture::German | Culture::Arabic => {
                rng.chance(0.3)
            }
            _ => false,
        };
        PersonName {
            culture,
            given: given as u16,
            middle: rng.index(m) as u16,
            has_middle,
            family: rng.index(f) as u16,
            female,
        }
    }

    /// The canonical Latin-script name.
    pub fn canonical(&self) -> String {
        self.render(&mut Rng::new(0), false)
    }

    /// The name in the home script (Chinese characters, Hangul, Cyrillic), if any.
    pub fn native(&self) -> Option<String> {
        let (g, m, f) = (
            self.given as usize,
            self.middle as usize,
            self.family as usize,
        );
        Some(match self.culture {
            Culture::Chinese => {
                let mut s = format!("{}{}", ZH_FAMILY[f].1, ZH_GIVEN[g].1);
                if self.has_middle {
                    s.push_str(ZH_GIVEN[m].1);
                }
                s
            }
            Culture::SouthernChinese => {
                format!("{}{}{}", YUE_FAMILY[f].1, YUE_GIVEN[g].1, YUE_GIVEN[m].1)
            }
            Culture::Korean => format!("{}{}{}", KO_FAMILY[f].1, KO_GIVEN[g].1, KO_GIVEN[m].1),
            Culture::Russian => {
                let (given, family, patronym) = self.russian_parts();
                format!("{family} {given} {patronym}")
            }
            _ => return None,
        })
    }

    fn russian_parts(&self) -> (String, String, String) {
        let (g, m, f) = (
            self.given as usize,
            self.middle as usize,
            self.family as usize,
        );
        if self.female {
            (
                RU_GIVEN_F[g % RU_GIVEN_F.len()].to_string(),
                format!("{}а", RU_FAMILY[f]),
                format!("{}на", RU_PATRONYM[m]),
            )
        } else {
            (
                RU_GIVEN_M[g % RU_GIVEN_M.len()].to_string(),
                RU_FAMILY[f].to_string(),
                format!("{}ич", RU_PATRONYM[m]),
            )
        }
    }

    /// A spelling variant, different from the canonical name.
    pub fn variant(&self, rng: &mut Rng) -> String {
        let canon = self.canonical();
        for _ in 0..8 {
            let s = self.render(rng, true);
            if s != canon {
                return s;
            }
        }
        canon.to_uppercase()
    }

    /// Renders canonically (`variant` = false) or as a random variant.
    fn render(&self, rng: &mut Rng, variant: bool) -> String {
        let (g, m, f) = (
            self.given as usize,
            self.middle as usize,
            self.family as usize,
        );
        let mut v = |p: f64| variant && rng.chance(p);
        // Parts: (given, middle, family) and whether family comes first canonically.
        let (mut given, mut middle, mut family, family_first): (String, String, String, bool) =
            match self.culture {
                Culture::Chinese => {
                    let second = if self.has_middle {
                        ZH_GIVEN[m].0.to_lowercase()
                    } else {
                        String::new()
                    };
                    let given = format!("{}{}", ZH_GIVEN[g].0, second);
                    (given, String::new(), ZH_FAMILY[f].0.to_string(), true)
                }
                Culture::SouthernChinese => (
                    format!("{} {}", YUE_GIVEN[g].0, YUE_GIVEN[m].0),
                    String::new(),
                    YUE_FAMILY[f].0.to_string(),
                    true,
                ),
                Culture::Korean => {
                    let given = format!(
                        "{}{}-{}",
                        KO_GIVEN[g].0[..1].to_uppercase(),
                        &KO_GIVEN[g].0[1..],
                        KO_GIVEN[m].0
                    );
                    let alt = if v(0.3) { rng.below(3) as usize } else { 0 };
                    let fam = spell(KO_FAMILY[f].0, alt % spellings(KO_FAMILY[f].0));
                    (given, String::new(), fam.to_string(), true)
                }
                Culture::Russian => {
                    let (gi, fa, pa) = self.russian_parts();
                    let scheme = if v(0.4) { 1 } else { 0 };
                    let pat = if self.has_middle && !v(0.4) {
                        translit(&pa, scheme)
                    } else {
                        String::new()
                    };
                    (translit(&gi, scheme), pat, translit(&fa, scheme), false)
                }
                Culture::Malay => {
                    let k = if v(0.4) { 1 } else { 0 };
                    let link = if self.female { "binti" } else { "bin" };
                    let link = if v(0.3) {
                        if self.female { "bt." } else { "b." }
                    } else {
                        link
                    };
                    let given = spell(MALAY_GIVEN[g], k).to_string();
                    let father = spell(MALAY_FATHER[f], k).to_string();
                    let family = if v(0.3) {
                        father
                    } else {
                        format!("{link} {father}")
                    };
                    (given, String::new(), family, false)
                }
                Culture::Thai => (
                    spell(THAI_GIVEN[g], usize::from(v(0.3))).into(),
                    String::new(),
                    spell(THAI_FAMILY[f], usize::from(v(0.3))).into(),
                    false,
                ),
                Culture::Vietnamese => {
                    let k = usize::from(v(0.6));
                    (
                        spell(VI_GIVEN[g], k).into(),
                        spell(VI_MIDDLE[m], k).into(),
                        spell(VI_FAMILY[f], k).into(),
                        true,
                    )
                }
                Culture::Indian => (
                    IN_GIVEN[g].into(),
                    if self.has_middle {
                        IN_MIDDLE[m].into()
                    } else {
                        String::new()
                    },
                    spell(IN_FAMILY[f], usize::from(v(0.2))).into(),
                    false,
                ),
                Culture::Arabic => {
                    let k = if v(0.5) { rng.below(3) as usize } else { 0 };
                    let mid = if self.has_middle {
                        spell(AR_GIVEN[m], k).to_string()
                    } else {
                        String::new()
                    };
                    (
                        spell(AR_GIVEN[g], k).into(),
                        mid,
                        spell(AR_FAMILY[f], k).into(),
                        false,
                    )
                }
                Culture::Persian => {
                    let k = usize::from(v(0.5));
                    (
                        spell(FA_GIVEN[g], k).into(),
                        String::new(),
                        spell(FA_FAMILY[f], k).into(),
                        false,
                    )
                }
                Culture::Japanese => {
                    let k = usize::from(v(0.3));
                    (
                        spell(JA_GIVEN[g], k).into(),
                        String::new(),
                        spell(JA_FAMILY[f], k).into(),
                        false,
                    )
                }
                Culture::German => {
                    let k = if v(0.5) { rng.below(3) as usize } else { 0 };
                    let mid = if self.has_middle {
                        spell(DE_GIVEN[m], 0).to_string()
                    } else {
                        String::new()
                    };
                    (
                        spell(DE_GIVEN[g], k).into(),
                        mid,
                        spell(DE_FAMILY[f], k).into(),
                        false,
                    )
                }
                Culture::Western => {
                    let k = usize::from(v(0.2));
                    let mid = if self.has_middle {
                        format!("{}.", (b'A' + m as u8) as char)
                    } else {
                        String::new()
                    };
                    (
                        spell(EN_GIVEN[g], k).into(),
                        mid,
                        spell(EN_FAMILY[f], k).into(),
                        false,
                    )
                }
            };
        if variant {
            if rng.chance(0.2) {
                middle.clear();
            }
            match self.culture {
                Culture::Korean => match rng.below(4) {
                    0 => given = given.replace('-', ""),
                    1 => {
                        given = given
                            .replace('-', " ")
                            .split(' ')
                            .map(capitalise)
                            .collect::<Vec<_>>()
                            .join(" ")
                    }
                    _ => {}
                },
                Culture::Chinese
                    if rng.chance(0.3) && given.chars().skip(1).any(|c| c.is_lowercase()) =>
                {
                    // "Weiming" → "Wei-Ming" / "Wei Ming".
                    if let Some(split) = ZH_GIVEN
                        .iter()
                        .find(|x| given.starts_with(x.0) && given.len() > x.0.len())
                    {
                        let rest = capitalise(&given[split.0.len()..]);
                        given = format!(
                            "{}{}{}",
                            split.0,
                            if rng.chance(0.5) { "-" } else { " " },
                            rest
                        );
                    }
                }
                Culture::SouthernChinese if rng.chance(0.3) => {
                    given = given.replacen(' ', "-", 1);
                }
                _ => {}
            }
            if rng.chance(0.12) {
                typo(rng, &mut family);
            }
            if rng.chance(0.1)
                && !matches!(
                    self.culture,
                    Culture::Chinese | Culture::SouthernChinese | Culture::Korean
                )
            {
                given = format!("{}.", given.chars().next().unwrap_or('X'));
            }
        }
        let swap = variant && rng.chance(0.35);
        let family_first = family_first != swap;
        let upper_family = variant && rng.chance(0.25);
        if upper_family {
            family = family.to_uppercase();
        }
        let mut out = String::with_capacity(32);
        let mut push = |s: &str| {
            if !s.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(s);
            }
        };
        if family_first {
            if variant && !upper_family && rng.chance(0.15) {
                push(&format!("{family},"));
            } else {
                push(&family);
            }
            if self.culture == Culture::Vietnamese {
                // "Nguyễn Văn Minh": family, middle, given.
                push(&middle);
                push(&given);
            } else {
                push(&given);
                push(&middle);
            }
        } else {
            push(&given);
            push(&middle);
            push(&family);
        }
        if variant && rng.chance(0.2) {
            out = out.to_uppercase();
        }
        out
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_variants_differ_from_canonical() {
        let mut rng = Rng::new(11);
        for country in ["SG", "MY", "CN", "KR", "RU", "AE", "US", "HK", "DE", "ID"] {
            for _ in 0..50 {
                let n = CompanyName::random(&mut rng, country, Business::Trade);
                let c = n.canonical();
                assert!(!c.is_empty());
                for _ in 0..5 {
                    assert_ne!(n.variant(&mut rng), c, "{country}");
                }
            }
        }
    }

    #[test]
    fn native_names_use_home_scripts() {
        let mut rng = Rng::new(5);
        let cn = CompanyName::random(&mut rng, "CN", Business::Trade);
        let native = cn.native().unwrap();
        assert!(native.ends_with("有限公司"), "{native}");
        assert!(cn.canonical().contains(&cn.brand));
        let ru = CompanyName::random(&mut rng, "RU", Business::Trade);
        assert!(ru.native().unwrap().starts_with("ООО") || ru.native().unwrap().starts_with("АО"));
        let kr = CompanyName::random(&mut rng, "KR", Business::Trade);
        assert!(kr.native().unwrap().starts_with("주식회사"));
        let inst = CompanyName::random(&mut rng, "RU", Business::Institute);
        assert!(
            inst.native().unwrap().starts_with('«'),
            "{:?}",
            inst.native()
        );
        let inst = CompanyName::random(&mut rng, "CN", Business::Institute);
        assert!(
            inst.native().unwrap().ends_with("研究所"),
            "{:?}",
            inst.native()
        );
        assert!(
            CompanyName::random(&mut rng, "SG", Business::Trade)
                .native()
                .is_none()
        );
    }

    #[test]
    fn translit_schemes() {
        assert_eq!(translit("Техно", 0), "Tekhno");
        assert_eq!(translit("Техно", 1), "Tehno");
        assert_eq!(translit("Юрий", 0), "Yuriy");
    }

    #[test]
    fn person_variants_differ() {
        let mut rng = Rng::new(9);
        for country in [
            "CN", "HK", "KR", "RU", "MY", "TH", "VN", "IN", "AE", "IR", "JP", "DE", "US",
        ] {
            for _ in 0..30 {
                let p = PersonName::random(&mut rng, country);
                let c = p.canonical();
                assert!(!c.trim().is_empty());
                assert_ne!(p.variant(&mut rng), c);
            }
        }
    }

    #[test]
    fn typos_change_long_words_only() {
        let mut rng = Rng::new(1);
        let mut w = String::from("Apextek");
        typo(&mut rng, &mut w);
        assert_ne!(w, "Apextek");
        let mut short = String::from("Apex");
        typo(&mut rng, &mut short);
        assert_eq!(short, "Apex");
    }
}
