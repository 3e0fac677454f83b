//! The product catalogue the generator ships: AI accelerators, GPU servers and the ordinary
//! electronics that make up the bulk of trade, with HS codes, unit prices and TPP.
//!
//! Inputs: none (static tables). Outputs: [`Product`]s and the harmless descriptions network
//! orders hide accelerators under. The TPP figures here only compute the ground-truth totals in
//! `truth/networks.json`; the engine itself reads a configurable chip catalogue.

/// What a product is, for choosing who buys it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A data-centre accelerator card or module (controlled).
    Accelerator,
    /// A multi-accelerator server (controlled).
    Server,
    /// A workstation / gaming GPU (sometimes controlled by TPP).
    ConsumerGpu,
    /// Everything else.
    Ordinary,
}

/// One product line.
#[derive(Debug)]
pub struct Product {
    /// Names as invoices write them; the first is the catalogue name.
    pub names: &'static [&'static str],
    /// Descriptions as declared on shipping documents.
    pub descriptions: &'static [&'static str],
    /// HS codes used for it.
    pub hs: &'static [&'static str],
    /// Unit price range in US$.
    pub price: (u32, u32),
    /// TPP per unit (0 when not an accelerator).
    pub tpp: u64,
    /// Class.
    pub class: Class,
}

macro_rules! p {
    ([$($n:expr),*], [$($d:expr),*], [$($h:expr),*], $lo:expr, $hi:expr, $tpp:expr, $class:ident) => {
        Product { names: &[$($n),*], descriptions: &[$($d),*], hs: &[$($h),*], price: ($lo, $hi), tpp: $tpp, class: Class::$class }
    };
}

/// TPP of one H100 SXM, the unit of "H100-equivalents".
pub const H100_TPP: u64 = 15_832;

/// Every product. Accelerators and servers first.
pub const PRODUCTS: &[Product] = &[
    p!(
        [
            "NVIDIA H100 SXM5 80GB",
            "H100 SXM5 80GB HBM3",
            "NVIDIA H100 SXM 80G"
        ],
        [
            "GPU accelerator module",
            "Tensor core GPU",
            "Data center GPU"
        ],
        ["8473.30", "8542.31"],
        25_000,
        40_000,
        15_832,
        Accelerator
    ),
    p!(
        ["NVIDIA H100 PCIe 80GB", "H100 PCIe", "H100 80GB PCIe Gen5"],
        ["GPU accelerator card", "Graphics processing unit PCIe"],
        ["8473.30", "8471.80"],
        22_000,
        32_000,
        12_104,
        Accelerator
    ),
    p!(
        ["NVIDIA H800 SXM5 80GB", "H800 80GB", "NVIDIA H800"],
        ["GPU accelerator module", "Data center GPU"],
        ["8473.30", "8542.31"],
        28_000,
        40_000,
        15_832,
        Accelerator
    ),
    p!(
        ["NVIDIA H200 SXM 141GB", "H200 141GB HBM3e", "NVIDIA H200"],
        ["GPU accelerator module", "Tensor core GPU"],
        ["8473.30", "8542.31"],
        30_000,
        45_000,
        15_832,
        Accelerator
    ),
    p!(
        ["NVIDIA H20 96GB", "H20 96G", "NVIDIA H20"],
        ["GPU accelerator card", "AI inference card"],
        ["8473.30", "8471.80"],
        12_000,
        16_000,
        2_368,
        Accelerator
    ),
    p!(
        [
            "NVIDIA A100 80GB PCIe",
            "A100 80GB",
            "NVIDIA A100 SXM4 80GB"
        ],
        ["GPU accelerator card", "Tensor core GPU"],
        ["8473.30", "8471.80"],
        10_000,
        18_000,
        4_992,
        Accelerator
    ),
    p!(
        ["NVIDIA A800 80GB PCIe", "A800 80GB", "NVIDIA A800"],
        ["GPU accelerator card", "Data center GPU"],
        ["8473.30", "8471.80"],
        12_000,
        20_000,
        4_992,
        Accelerator
    ),
    p!(
        [
            "NVIDIA B200 192GB",
            "B200 SXM 192GB",
            "NVIDIA Blackwell B200"
        ],
        ["GPU accelerator module", "AI accelerator"],
        ["8473.30", "8542.31"],
        35_000,
        50_000,
        36_000,
        Accelerator
    ),
    p!(
        ["AMD Instinct MI300X 192GB", "MI300X OAM", "AMD MI300X"],
        ["GPU accelerator module", "AI accelerator OAM"],
        ["8473.30", "8542.31"],
        15_000,
        25_000,
        20_919,
        Accelerator
    ),
    p!(
        ["Intel Gaudi 3 HL-325L", "Gaudi 3 OAM", "Intel Gaudi3"],
        ["AI accelerator module", "Deep learning accelerator"],
        ["8473.30", "8542.31"],
        12_000,
        16_000,
        14_680,
        Accelerator
    ),
    p!(
        [
            "Huawei Ascend 910B",
            "Ascend 910B",
            "Atlas 300T A2 (Ascend 910B)"
        ],
        ["AI accelerator module", "NPU training card"],
        ["8473.30", "8542.31"],
        12_000,
        20_000,
        5_120,
        Accelerator
    ),
    p!(
        [
            "NVIDIA HGX H100 8-GPU server",
            "HGX H100 8-GPU",
            "8x H100 SXM5 GPU server"
        ],
        ["GPU server", "Rack server with accelerators", "AI server"],
        ["8471.50", "8471.41", "8471.49"],
        250_000,
        400_000,
        8 * 15_832,
        Server
    ),
    p!(
        ["NVIDIA DGX H100", "DGX H100 640GB", "DGX H100 system"],
        ["AI computing system", "GPU server"],
        ["8471.50", "8471.41"],
        300_000,
        450_000,
        8 * 15_832,
        Server
    ),
    p!(
        [
            "NVIDIA HGX H200 8-GPU server",
            "HGX H200 8-GPU",
            "8x H200 GPU server"
        ],
        ["GPU server", "AI server"],
        ["8471.50", "8471.41", "8471.49"],
        300_000,
        450_000,
        8 * 15_832,
        Server
    ),
    p!(
        [
            "NVIDIA HGX B200 8-GPU server",
            "HGX B200 8-GPU",
            "8x B200 GPU server"
        ],
        ["GPU server", "AI server"],
        ["8471.50", "8471.49"],
        400_000,
        550_000,
        8 * 36_000,
        Server
    ),
    p!(
        [
            "8x A100 80GB GPU server",
            "A100 8-GPU server",
            "HGX A100 8-GPU"
        ],
        ["GPU server", "Rack server"],
        ["8471.50", "8471.41"],
        120_000,
        200_000,
        8 * 4_992,
        Server
    ),
    p!(
        ["AMD Instinct MI300X 8-GPU platform", "MI300X 8-GPU server"],
        ["GPU server", "AI server"],
        ["8471.50", "8471.49"],
        200_000,
        320_000,
        8 * 20_919,
        Server
    ),
    p!(
        [
            "NVIDIA GeForce RTX 4090 24GB",
            "RTX 4090",
            "GeForce RTX4090 24G"
        ],
        ["Graphics card", "Video card", "Gaming graphics card"],
        ["8473.30", "8471.80"],
        1_600,
        2_600,
        5_286,
        ConsumerGpu
    ),
    p!(
        ["NVIDIA L40S 48GB", "L40S", "NVIDIA L40S PCIe"],
        ["GPU accelerator card", "Professional graphics card"],
        ["8473.30", "8471.80"],
        7_000,
        11_000,
        5_864,
        ConsumerGpu
    ),
    p!(
        ["NVIDIA RTX A6000 48GB", "RTX A6000"],
        ["Professional graphics card", "Workstation GPU"],
        ["8473.30"],
        4_000,
        6_000,
        0,
        Ordinary
    ),
    p!(
        ["NVIDIA GeForce RTX 4060 8GB", "RTX 4060"],
        ["Graphics card", "Video card"],
        ["8473.30"],
        280,
        380,
        0,
        Ordinary
    ),
    p!(
        [
            "27\" LED monitor",
            "Dell P2723QE monitor",
            "LG 27UL500 monitor"
        ],
        ["LCD monitor", "Computer monitor"],
        ["8528.52"],
        150,
        450,
        0,
        Ordinary
    ),
    p!(
        [
            "Cat6 patch cable 2m",
            "HDMI cable 1.5m",
            "QSFP28 DAC cable 3m",
            "USB-C cable"
        ],
        ["Cables", "Data cable", "Copper cable assembly"],
        ["8544.42"],
        2,
        60,
        0,
        Ordinary
    ),
    p!(
        [
            "Cisco Catalyst 9300 switch",
            "TP-Link router",
            "Ubiquiti UniFi switch",
            "MikroTik router"
        ],
        ["Network switch", "Router", "Networking equipment"],
        ["8517.62"],
        80,
        6_000,
        0,
        Ordinary
    ),
    p!(
        [
            "Samsung 990 PRO 2TB SSD",
            "Kingston NV2 1TB SSD",
            "Micron 7450 3.84TB NVMe"
        ],
        ["Solid state drive", "SSD storage"],
        ["8471.70", "8523.51"],
        60,
        900,
        0,
        Ordinary
    ),
    p!(
        ["Seagate Exos 18TB HDD", "WD Red 8TB HDD"],
        ["Hard disk drive"],
        ["8471.70"],
        150,
        450,
        0,
        Ordinary
    ),
    p!(
        [
            "DDR5 32GB RDIMM",
            "Samsung 64GB DDR4 RDIMM",
            "Kingston 16GB DDR4"
        ],
        ["Memory module", "RAM"],
        ["8473.30", "8542.32"],
        40,
        400,
        0,
        Ordinary
    ),
    p!(
        [
            "Intel Xeon Gold 6430",
            "AMD EPYC 9354",
            "Intel Core i7-13700"
        ],
        ["Processor", "CPU"],
        ["8542.31"],
        300,
        4_000,
        0,
        Ordinary
    ),
    p!(
        [
            "Supermicro X13 motherboard",
            "ASUS server motherboard",
            "Gigabyte B650 motherboard"
        ],
        ["Motherboard", "Mainboard"],
        ["8473.30"],
        150,
        900,
        0,
        Ordinary
    ),
    p!(
        [
            "Dell PowerEdge R760 (no GPU)",
            "HPE ProLiant DL380 Gen11",
            "Lenovo ThinkSystem SR650"
        ],
        ["Rack server", "Server"],
        ["8471.50", "8471.41"],
        6_000,
        25_000,
        0,
        Ordinary
    ),
    p!(
        [
            "Lenovo ThinkPad T14",
            "Dell Latitude 5440",
            "HP EliteBook 840"
        ],
        ["Laptop computer", "Notebook"],
        ["8471.30"],
        700,
        1_800,
        0,
        Ordinary
    ),
    p!(
        [
            "1600W server power supply",
            "APC Smart-UPS 3000VA",
            "850W ATX PSU"
        ],
        ["Power supply", "UPS"],
        ["8504.40"],
        80,
        2_500,
        0,
        Ordinary
    ),
    p!(
        ["Logitech keyboard and mouse set", "Mechanical keyboard"],
        ["Keyboard", "Input device"],
        ["8471.60"],
        15,
        150,
        0,
        Ordinary
    ),
    p!(
        ["Smartphone 128GB", "Android tablet 10\""],
        ["Mobile phone", "Tablet"],
        ["8517.13", "8471.30"],
        120,
        900,
        0,
        Ordinary
    ),
    p!(
        ["Server chassis fan module", "CPU cooler"],
        ["Cooling fan", "Cooler"],
        ["8414.59"],
        10,
        120,
        0,
        Ordinary
    ),
    p!(
        ["100G QSFP28 optical transceiver", "400G OSFP transceiver"],
        ["Optical transceiver", "Optical module"],
        ["8517.62"],
        60,
        900,
        0,
        Ordinary
    ),
    p!(
        ["Mellanox ConnectX-7 NIC", "Intel E810 100GbE NIC"],
        ["Network interface card", "Network adapter"],
        ["8517.62", "8471.80"],
        400,
        2_000,
        0,
        Ordinary
    ),
];

/// Harmless descriptions structuring orders hide accelerators under, with the product text
/// they use.
pub const MISDECLARED: &[(&str, &str)] = &[
    ("Graphics adapter", "graphics adapter"),
    ("Computer parts", "computer parts"),
    ("Video card", "video card"),
    ("Sample", "sample, no commercial value"),
    ("Module", "electronic module"),
    ("GPU card", "graphics card for PC"),
    ("Adapter", "PCIe adapter card"),
];

/// Controlled HS codes misdeclared orders still carry.
pub const MISDECLARED_HS: &[&str] = &["8542.31", "8473.30", "8471.80", "8471.50"];

/// Indexes of products of one class.
pub fn of_class(class: Class) -> Vec<usize> {
    PRODUCTS
        .iter()
        .enumerate()
        .filter(|(_, p)| p.class == class)
        .map(|(i, _)| i)
        .collect()
}

/// Index of the one product whose catalogue name starts with `prefix`.
///
/// # Panics
/// If no product or more than one matches (a programming error: "NVIDIA H20" would also
/// match the H200).
pub fn find(prefix: &str) -> usize {
    let mut hits = PRODUCTS
        .iter()
        .enumerate()
        .filter(|(_, p)| p.names[0].starts_with(prefix));
    match (hits.next(), hits.next()) {
        (Some((i, _)), None) => i,
        _ => panic!("product prefix {prefix:?} matches no product or several"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_consistent() {
        for p in PRODUCTS {
            assert!(!p.names.is_empty() && !p.descriptions.is_empty() && !p.hs.is_empty());
            assert!(p.price.0 <= p.price.1);
            if matches!(p.class, Class::Accelerator | Class::Server) {
                assert!(p.tpp > 0);
            }
        }
        assert_eq!(PRODUCTS[find("NVIDIA HGX H100")].tpp, 126_656);
        assert_eq!(PRODUCTS[find("NVIDIA H100 SXM5")].tpp, H100_TPP);
        assert_eq!(PRODUCTS[find("NVIDIA H20 96GB")].tpp, 2_368);
    }
}
