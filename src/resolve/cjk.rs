//! Company names and addresses in Chinese, Japanese and Korean script: words, not one opaque
//! run.
//!
//! Input: a name (after its legal form, e.g. 有限公司, was taken off). Output: the same name
//! with spaces between its parts, and its business words in English, ready for
//! [`super::normalize::fold`]. "北京鸿星制造" becomes "北京 鸿星 manufacturing", which folds to
//! "beijing hongxing manufacturing" and meets the registered English name "Beijing Hong Xing
//! Manufacturing Co., Ltd." (same letters once the spaces go: the compact comparison). Without
//! it the Chinese name folds to one word, "beijinghongxingzhizao", that shares nothing with the
//! English one.
//!
//! A Chinese company name is, by regulation, place + trade name + line of business + legal
//! form. The place is matched at the start against [`PLACES`] (with a following 市 / 省 / 区
//! dropped: "深圳市" is "Shenzhen"); the line of business against [`BUSINESS`], by backward
//! maximum matching (from the end of the name, the longest known word first), which splits
//! "华通信息技术" as 华通 | 信息技术 rather than reading 通信 ("communication") across the
//! trade name's boundary as forward matching would. What is left is the trade name, kept as
//! one run. Japanese (製作所, 商事) and Korean (전자, 무역) business words are in the table
//! too. The tables are the common words of company registers; a word not in them stays in
//! the script and is transliterated as before.
//!
//! Also here: [`space_address`], which spaces out an address written without spaces, and
//! [`romanized_key`], under which the romanizations of one Korean or Chinese syllable string
//! meet.

/// Places that open company names: provincial capitals, the largest commercial cities, the
/// provinces that most often lead a name, and the special administrative regions.
const PLACES: &[&str] = &[
    "北京",
    "上海",
    "天津",
    "重庆",
    "深圳",
    "广州",
    "東莞",
    "东莞",
    "佛山",
    "珠海",
    "中山",
    "惠州",
    "汕头",
    "厦门",
    "福州",
    "泉州",
    "杭州",
    "宁波",
    "温州",
    "南京",
    "苏州",
    "無錫",
    "无锡",
    "常州",
    "南通",
    "合肥",
    "武汉",
    "长沙",
    "成都",
    "西安",
    "郑州",
    "济南",
    "青岛",
    "大连",
    "沈阳",
    "哈尔滨",
    "长春",
    "石家庄",
    "太原",
    "南昌",
    "昆明",
    "贵阳",
    "南宁",
    "海口",
    "兰州",
    "香港",
    "澳门",
    "澳門",
    "台北",
    "臺北",
    "新竹",
    "台中",
    "臺中",
    "高雄",
    "广东",
    "江苏",
    "浙江",
    "福建",
    "山东",
    "廣州",
    "廣東",
    "东京",
    "東京",
    "大阪",
    "서울",
    "부산",
];

/// Suffixes of a place that add nothing to it: city, province, district.
const PLACE_SUFFIXES: &[char] = &['市', '省', '区', '區'];

/// Business words of company names and their English. Simplified and traditional Chinese,
/// Japanese and Korean; several spellings may map to one word.
const BUSINESS: &[(&str, &str)] = &[
    ("信息技术", "information technology"),
    ("資訊科技", "information technology"),
    ("集成电路", "integrated circuit"),
    ("解决方案", "solutions"),
    ("供应链", "supply chain"),
    ("供應鏈", "supply chain"),
    ("进出口", "import export"),
    ("進出口", "import export"),
    ("半导体", "semiconductor"),
    ("半導體", "semiconductor"),
    ("研究所", "research institute"),
    ("研究院", "research institute"),
    ("元器件", "components"),
    ("零部件", "components"),
    ("微电子", "microelectronics"),
    ("计算机", "computer"),
    ("計算機", "computer"),
    ("自动化", "automation"),
    ("製作所", "manufacturing"),
    ("科技", "technology"),
    ("技术", "technology"),
    ("技術", "technology"),
    ("信息", "information"),
    ("資訊", "information"),
    ("电子", "electronics"),
    ("電子", "electronics"),
    ("光电", "optoelectronics"),
    ("光電", "optoelectronics"),
    ("芯片", "chip"),
    ("电脑", "computer"),
    ("電腦", "computer"),
    ("数码", "digital"),
    ("數碼", "digital"),
    ("数字", "digital"),
    ("网络", "network"),
    ("網絡", "network"),
    ("網路", "network"),
    ("通信", "communication"),
    ("通讯", "communication"),
    ("通訊", "communication"),
    ("软件", "software"),
    ("軟件", "software"),
    ("軟體", "software"),
    ("系统", "system"),
    ("系統", "system"),
    ("智能", "intelligent"),
    ("设备", "equipment"),
    ("設備", "equipment"),
    ("仪器", "instrument"),
    ("儀器", "instrument"),
    ("器件", "devices"),
    ("材料", "materials"),
    ("能源", "energy"),
    ("制造", "manufacturing"),
    ("製造", "manufacturing"),
    ("工业", "industrial"),
    ("工業", "industrial"),
    ("实业", "industrial"),
    ("實業", "industrial"),
    ("产业", "industry"),
    ("産業", "industry"),
    ("產業", "industry"),
    ("工程", "engineering"),
    ("贸易", "trading"),
    ("貿易", "trading"),
    ("商贸", "trading"),
    ("商貿", "trading"),
    ("商事", "trading"),
    ("物産", "trading"),
    ("通商", "trading"),
    ("自動車", "motor"),
    ("汽车", "motor"),
    ("汽車", "motor"),
    ("電機", "electric"),
    ("电机", "electric"),
    ("電気", "electric"),
    ("電氣", "electric"),
    ("电气", "electric"),
    ("重工業", "heavy industrial"),
    ("重工业", "heavy industrial"),
    ("化学", "chemical"),
    ("化學", "chemical"),
    ("化工", "chemical"),
    ("建設", "construction"),
    ("建设", "construction"),
    ("銀行", "bank"),
    ("银行", "bank"),
    ("保険", "insurance"),
    ("保险", "insurance"),
    ("保險", "insurance"),
    ("証券", "securities"),
    ("证券", "securities"),
    ("證券", "securities"),
    ("海運", "shipping"),
    ("海运", "shipping"),
    ("製薬", "pharmaceutical"),
    ("制药", "pharmaceutical"),
    ("製藥", "pharmaceutical"),
    ("医药", "pharmaceutical"),
    ("醫藥", "pharmaceutical"),
    ("食品", "food"),
    ("纺织", "textile"),
    ("紡織", "textile"),
    ("钢铁", "steel"),
    ("鋼鐵", "steel"),
    ("鉄鋼", "steel"),
    ("石油", "petroleum"),
    ("国际", "international"),
    ("國際", "international"),
    ("物流", "logistics"),
    ("货运", "freight"),
    ("貨運", "freight"),
    ("运输", "transport"),
    ("運輸", "transport"),
    ("航运", "shipping"),
    ("航運", "shipping"),
    ("快递", "express"),
    ("分销", "distribution"),
    ("分銷", "distribution"),
    ("销售", "sales"),
    ("銷售", "sales"),
    ("服务", "services"),
    ("服務", "services"),
    ("咨询", "consulting"),
    ("諮詢", "consulting"),
    ("方案", "solutions"),
    ("发展", "development"),
    ("發展", "development"),
    ("投资", "investment"),
    ("投資", "investment"),
    ("控股", "holdings"),
    ("集团", "group"),
    ("集團", "group"),
    ("企业", "enterprise"),
    ("企業", "enterprise"),
    ("机械", "machinery"),
    ("機械", "machinery"),
    ("精密", "precision"),
    ("医疗", "medical"),
    ("醫療", "medical"),
    ("环球", "global"),
    ("環球", "global"),
    ("全球", "global"),
    ("전자", "electronics"),
    ("반도체", "semiconductor"),
    ("무역", "trading"),
    ("기술", "technology"),
    ("산업", "industrial"),
    ("물류", "logistics"),
    ("통신", "communication"),
    ("시스템", "system"),
    ("솔루션", "solutions"),
    ("네트워크", "network"),
    ("인터내셔널", "international"),
    ("글로벌", "global"),
];

/// The longest entry of [`BUSINESS`] and [`PLACES`], in characters.
const MAX_WORD: usize = 5;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // kana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xAC00..=0xD7AF) // Hangul syllables
}

fn business(word: &str) -> Option<&'static str> {
    BUSINESS.iter().find(|(w, _)| *w == word).map(|(_, e)| *e)
}

/// Spaces out the parts of a CJK company name and puts its business words in English (see the
/// module docs). Only runs of CJK characters change; other text is kept as it is.
///
/// ```
/// use trawl::resolve::cjk::segment;
/// assert_eq!(segment("北京鸿星制造"), "北京 鸿星 manufacturing");
/// assert_eq!(segment("深圳市华通信息技术"), "深圳 华通 information technology");
/// assert_eq!(segment("Apex Tech"), "Apex Tech");
/// ```
pub fn segment(name: &str) -> String {
    if !name.chars().any(is_cjk) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 16);
    let mut run: Vec<char> = Vec::new();
    let mut first = true;
    for c in name.chars().chain(std::iter::once(' ')) {
        if is_cjk(c) {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            out.push(' ');
            out.push_str(&segment_run(&run, first));
            out.push(' ');
            run.clear();
        }
        if !c.is_whitespace() {
            out.push(c);
        } else {
            out.push(' ');
        }
        first = first && c.is_whitespace();
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One run of CJK characters: the place at its start when the run opens the name, then
/// business words from the end.
fn segment_run(chars: &[char], opens_name: bool) -> String {
    let mut start = 0;
    let mut head = String::new();
    if opens_name {
        for len in (2..=MAX_WORD.min(chars.len().saturating_sub(1))).rev() {
            let w: String = chars[..len].iter().collect();
            if PLACES.contains(&w.as_str()) {
                head = w;
                start = len;
                while start < chars.len() - 1 && PLACE_SUFFIXES.contains(&chars[start]) {
                    start += 1;
                }
                break;
            }
        }
    }
    let mut parts: Vec<String> = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut end = chars.len();
    while end > start {
        let found = (2..=MAX_WORD.min(end - start)).rev().find_map(|len| {
            let w: String = chars[end - len..end].iter().collect();
            business(&w).map(|e| (len, e))
        });
        match found {
            Some((len, english)) => {
                if !run.is_empty() {
                    parts.push(run.iter().rev().collect());
                    run.clear();
                }
                parts.push(english.to_string());
                end -= len;
            }
            None => {
                run.push(chars[end - 1]);
                end -= 1;
            }
        }
    }
    if !run.is_empty() {
        parts.push(run.iter().rev().collect());
    }
    if !head.is_empty() {
        parts.push(head);
    }
    parts.reverse();
    parts.join(" ")
}

/// Chinese and Japanese address components that end a part of the address: province, city,
/// district, county, town, road, street, number, building, floor, room.
const CJK_ADDRESS_MARKS: &[char] = &[
    '省', '市', '区', '區', '县', '縣', '镇', '鎮', '路', '街', '道', '号', '號', '楼', '樓', '层',
    '層', '室', '座', '栋', '棟', '丁', '目', '番', '地',
];

/// Spaces out an address written without spaces (Chinese, Japanese): after each component mark
/// ([`CJK_ADDRESS_MARKS`]) and between digits and other characters, so that
/// "深圳市华强北路289号23楼26室" becomes words ("shenzhenshi huaqiangbeilu 289 hao 23 lou 26
/// shi") whose house, floor and room numbers compare on their own, instead of one long word
/// that nearly equals every other address on the street.
pub fn space_address(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.is_ascii() {
        return raw.into();
    }
    let mut out = String::with_capacity(raw.len() + 16);
    let mut prev: Option<char> = None;
    for c in raw.chars() {
        if let Some(p) = prev {
            let boundary = p.is_ascii_digit() != c.is_ascii_digit()
                && (!p.is_ascii() || !c.is_ascii())
                || CJK_ADDRESS_MARKS.contains(&p);
            if boundary {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out.into()
}

/// Shortest word that gets a [`romanized_key`]: shorter words collide by chance.
pub const ROMANIZED_MIN_LEN: usize = 5;

/// A key under which the romanizations of one Korean or Chinese syllable string meet:
/// McCune–Reischauer and Revised Romanization ("Kwangshin" / "Gwangsin", "Taeju" / "Daejoo"),
/// Wade–Giles and Pinyin stops ("Tian" / "Dian"), and the spellings firms choose for English
/// readers ("Meesahm" / "Misam", "Hahnmee" / "Hanmi", as in Lee, Ahn, Hahn). Voiced and
/// unvoiced stops fold together (k/g, t/d, p/b), as do sh/s, ch/j, chh/ch, r/l and the vowel
/// spellings eo/o/u/oo/eu, ae/e and ee/i; an h after a vowel and before a consonant or the
/// end is silent; runs of one letter collapse. `None` for words shorter than
/// [`ROMANIZED_MIN_LEN`] or not ASCII letters.
///
/// ```
/// use trawl::resolve::cjk::romanized_key;
/// assert_eq!(romanized_key("kwangshin"), romanized_key("gwangsin"));
/// assert_eq!(romanized_key("daejoo"), romanized_key("taeju"));
/// assert_ne!(romanized_key("daejoo"), romanized_key("daewoo"));
/// assert_eq!(romanized_key("meesahm"), romanized_key("misam"));
/// assert_eq!(romanized_key("hahnmee"), romanized_key("hanmi"));
/// assert_eq!(romanized_key("tongchhang"), romanized_key("dongchang"));
/// assert_ne!(romanized_key("hanmi"), romanized_key("hanami"));
/// ```
pub fn romanized_key(word: &str) -> Option<String> {
    if word.len() < ROMANIZED_MIN_LEN || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut w = word.to_string();
    for (from, to) in [
        ("chh", "ch"),
        ("ee", "i"),
        ("tch", "j"),
        ("sh", "s"),
        ("ch", "j"),
        ("ae", "e"),
        ("eo", "o"),
        ("eu", "o"),
        ("oo", "o"),
        ("u", "o"),
        ("k", "g"),
        ("t", "d"),
        ("p", "b"),
        ("r", "l"),
    ] {
        if w.contains(from) {
            w = w.replace(from, to);
        }
    }
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let b = w.as_bytes();
    let mut out = String::with_capacity(w.len());
    for (i, &c) in b.iter().enumerate() {
        let silent_h =
            c == b'h' && i > 0 && vowel(b[i - 1]) && b.get(i + 1).is_none_or(|&n| !vowel(n));
        if !silent_h && !out.ends_with(char::from(c)) {
            out.push(char::from(c));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::normalize::split_name;

    #[test]
    fn chinese_names_meet_their_english_registration() {
        let zh = split_name("北京鸿星制造有限公司");
        let en = split_name("Beijing Hong Xing Manufacturing Co., Ltd.");
        assert_eq!(zh.tokens.concat(), en.tokens.concat());
        let zh = split_name("深圳市凯星科技贸易有限公司");
        assert_eq!(zh.tokens[0], "shenzhen");
        assert!(
            zh.tokens.contains(&"kaixing".to_string()),
            "{:?}",
            zh.tokens
        );
        // a Japanese name: katakana trade name, kanji line of business
        let ja = split_name("トヨタ自動車株式会社");
        let en = split_name("Toyota Motor Corporation");
        assert_eq!(ja.tokens, en.tokens);
    }

    #[test]
    fn backward_matching_keeps_the_trade_name_whole() {
        // 通信 ("communication") must not be read across 华通 | 信息
        assert_eq!(
            segment("上海华通信息技术国际"),
            "上海 华通 information technology international"
        );
        // a name that is only a place stays a name
        assert_eq!(segment("深圳"), "深圳");
        // a Korean name
        assert_eq!(segment("삼성전자"), "삼성 electronics");
    }

    #[test]
    fn segmenting_is_idempotent() {
        for s in ["北京鸿星制造", "深圳市华通信息技术", "Apex", "삼성전자"] {
            let once = segment(s);
            assert_eq!(segment(&once), once);
        }
    }
}
