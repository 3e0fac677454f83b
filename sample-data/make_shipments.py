#!/usr/bin/env python3
"""Regenerate sample-data/shipments.csv, truth.csv and networks.json.

Deterministic (fixed seed), standard library only. Run from anywhere:

    python3 sample-data/make_shipments.py

Everything that matters is in the hand-written tables below: the chip catalog,
the product lines, how each party is spelled on shipping documents, the ring's
per-front yearly plan (the planted structuring), the decoy buyers and the
ordinary trade lanes. The script only spreads those totals over line items and
dates, writes the files, and prints per-consignee and per-ring yearly TPP so the
numbers in README.md can be checked.

It reads parties.csv, relationships.csv, screening.csv and entities.ftm.json
(hand-written, same folder) to write the non-shipment part of truth.csv and the
line numbers quoted in networks.json.
"""

import csv
import datetime as dt
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20250115
THRESHOLD_TPP = 26_900_000  # AI Diffusion rule LPP: per ultimate consignee per calendar year

# --------------------------------------------------------------------------
# Chip catalog: TPP per accelerator (dense, best precision).
# --------------------------------------------------------------------------
CHIP_TPP = {
    "H100_SXM": 15_832,
    "H200": 15_832,
    "H800": 15_832,
    "H100_PCIE": 12_104,
    "A100": 4_992,
    "B200": 36_000,
    "MI300X": 20_919,
}

# --------------------------------------------------------------------------
# Products: key -> (product, description, hs_code, unit price range USD,
#                   true chip or None, accelerators per unit, misdeclared?)
# "misdeclared" lines name no controlled chip; their true content is the chip
# given here (the ring's paperwork hides it). Everything with chip None carries
# no controlled compute.
# --------------------------------------------------------------------------
PRODUCTS = {
    # controlled accelerators and servers, declared openly
    "HGX_H100": ("HGX H100 8-GPU server", "Supermicro SYS-821GE-TNHR, 8x NVIDIA H100 SXM5 80GB", "8471.50", (255_000, 320_000), "H100_SXM", 8, False),
    "DGX_H100": ("NVIDIA DGX H100", "DGX H100 system, 8x H100 SXM5 80GB, 2TB RAM", "8471.50", (300_000, 350_000), "H100_SXM", 8, False),
    "HGX_H200": ("HGX H200 8-GPU server", "Dell PowerEdge XE9680, 8x NVIDIA H200 SXM 141GB", "8471.50", (290_000, 345_000), "H200", 8, False),
    "HGX_B200": ("HGX B200 8-GPU server", "Supermicro SYS-A21GE-NBRT, 8x NVIDIA B200 SXM 192GB", "8471.50", (420_000, 500_000), "B200", 8, False),
    "MI300X_SRV": ("AMD MI300X 8-GPU server", "Supermicro AS-8125GS-TNMR2, 8x AMD Instinct MI300X 192GB", "8471.50", (230_000, 280_000), "MI300X", 8, False),
    "A100": ("NVIDIA A100 80GB PCIe", "GPU accelerator card A100 80GB HBM2e, PCIe", "8473.30", (9_500, 13_000), "A100", 1, False),
    "MI300X": ("AMD Instinct MI300X", "MI300X OAM accelerator module 192GB HBM3", "8473.30", (15_000, 20_000), "MI300X", 1, False),
    "B200": ("NVIDIA B200", "B200 SXM accelerator module 192GB HBM3e", "8473.30", (35_000, 42_000), "B200", 1, False),
    # misdeclared: true content is an H100 SXM module (or an 8-GPU H100 server for RX)
    "MIS_ADAPTER": ("graphics adapter", "PCIe graphics adapter, computer parts", "8473.30", (28_000, 32_000), "H100_SXM", 1, True),
    "MIS_PARTS": ("computer parts", "computer parts for server assembly", "8473.30", (29_000, 33_000), "H100_SXM", 1, True),
    "MIS_SAMPLE": ("sample", "engineering samples for testing, not for resale", "8542.31", (27_500, 32_500), "H100_SXM", 1, True),
    "MIS_REEXPORT": ("server parts, used", "used server chassis and parts, refurbished", "8473.30", (9_000, 12_000), "H100_SXM", 8, True),
    # accessories on GPU orders (no controlled compute)
    "IB_CABLE": ("InfiniBand cable", "NDR 400G OSFP active copper cable 2m", "8544.42", (350, 900), None, 0, False),
    "NIC": ("network adapter", "ConnectX-7 400GbE network interface card", "8517.62", (1_400, 2_200), None, 0, False),
    "PSU_SRV": ("server power supply", "3000W Titanium hot-swap server PSU", "8504.40", (450, 700), None, 0, False),
    # ordinary electronics
    "MONITOR27": ("27-inch LCD monitor", "27in IPS LCD monitor, 2560x1440", "8528.52", (120, 260), None, 0, False),
    "MONITOR24": ("24-inch LCD monitor", "24in LCD monitor, 1920x1080", "8528.52", (85, 150), None, 0, False),
    "SSD2TB": ("NVMe SSD 2TB", "M.2 2280 NVMe PCIe 4.0 solid state drive 2TB", "8523.51", (90, 160), None, 0, False),
    "SSD_ENT": ("enterprise SSD 7.68TB", "U.2 NVMe enterprise SSD 7.68TB", "8523.51", (700, 1_100), None, 0, False),
    "ROUTER": ("Wi-Fi 6 router", "dual-band Wi-Fi 6 wireless router", "8517.62", (40, 150), None, 0, False),
    "SWITCH48": ("48-port network switch", "48x1GbE + 4x10G SFP+ managed switch", "8517.62", (800, 3_500), None, 0, False),
    "LAPTOP": ("14-inch laptop", "notebook computer, 14in, 16GB RAM, 512GB SSD", "8471.30", (600, 1_400), None, 0, False),
    "KEYBOARD": ("USB keyboard", "wired USB keyboard, US layout", "8471.60", (8, 25), None, 0, False),
    "CAT6": ("Cat6 patch cable", "Cat6 UTP patch cable 2m, pack of 10", "8544.42", (8, 20), None, 0, False),
    "RTX4070": ("GeForce RTX 4070 graphics card", "consumer graphics card 12GB GDDR6X", "8473.30", (520, 620), None, 0, False),
    "PSU": ("ATX power supply", "850W ATX power supply unit", "8504.40", (90, 160), None, 0, False),
    "UPS": ("UPS 3kVA", "line-interactive rack UPS 3kVA", "8504.40", (600, 1_200), None, 0, False),
}

# Quantity range per line for ordinary goods.
ORDINARY_QTY = {
    "MONITOR27": (50, 400), "MONITOR24": (60, 500), "SSD2TB": (100, 800), "SSD_ENT": (20, 100),
    "ROUTER": (50, 500), "SWITCH48": (5, 40), "LAPTOP": (20, 150), "KEYBOARD": (100, 500),
    "CAT6": (100, 1_000), "RTX4070": (10, 80), "PSU": (20, 120), "UPS": (5, 20),
}

# --------------------------------------------------------------------------
# How parties are written on shipping documents. key = parties.csv id (the true
# entity). names / addresses are free-text variants; countries are what the
# paperwork says (mostly alpha-2, sometimes a name).
# --------------------------------------------------------------------------
SPELLINGS = {
    # --- ring ---
    "C001": (["Shenzhen Huaxin Technology Co., Ltd", "SHENZHEN HUAXIN TECHNOLOGY CO LTD", "Shenzhen Hua Xin Tech Co., Ltd."],
             ["Rm 2308, Block A, Tianan Cyber Times Bldg, Futian, Shenzhen 518040", "ROOM 2308 BLOCK A TIANAN CYBER TIMES BUILDING FUTIAN DISTRICT SHENZHEN"],
             ["CN", "CN", "China"]),
    "C002": (["HUAXIN TECHNOLOGY (HK) LTD", "Huaxin Technology (Hong Kong) Limited", "HUA XIN TECH (HONG KONG) CO., LIMITED", "Huaxin Tech HK Ltd"],
             ["Unit 1808, 18/F, Tower 2, Metroplaza, 223 Hing Fong Road, Kwai Chung, N.T., Hong Kong", "RM 1808 18/F TOWER 2 METROPLAZA 223 HING FONG RD KWAI CHUNG NT HK"],
             ["HK", "HK", "Hong Kong"]),
    "C003": (["GOLDEN BAY TRADING LIMITED", "Golden Bay Trading Ltd", "Golden Bay Trading Ltd. (HK)"], [], ["HK", "HK", "Hong Kong SAR"]),
    "C010": (["APEX TECHNOLOGY PTE. LIMITED", "Apex Tech Pte Ltd", "APEX TECHNOLOGY PTE LTD", "Apex Technology Pte. Ltd."],
             ["10 Anson Road #22-08 International Plaza Singapore 079903", "10 ANSON RD #22-08, INTERNATIONAL PLAZA, SINGAPORE 079903", "#22-08 International Plaza, 10 Anson Rd, S'pore 079903"],
             ["SG", "SG", "Singapore"]),
    "C011": (["MERIDIAN FREIGHT SOLUTIONS PTE LTD", "Meridian Freight Solutions Pte. Ltd.", "Meridian Frieght Solutions Pte Ltd"],
             ["3 Pioneer Sector 1 #03-11 Singapore 628426", "3 PIONEER SECTOR 1, #03-11, SINGAPORE 628426"],
             ["SG", "SG", "SGP"]),
    "C012": (["SINAR CAHAYA REALTY SDN BHD", "Sinar Cahaya Realty Sdn. Bhd.", "Sinar Cahaya Realty"],
             ["Level 15, Menara Sinar, 88 Jalan Ampang, 50450 Kuala Lumpur", "LVL 15 MENARA SINAR NO 88 JLN AMPANG 50450 KL"],
             ["MY", "MY", "Malaysia"]),
    "C013": (["BANGKOK PRIME COMPONENTS CO., LTD.", "Bangkok Prime Components Co Ltd", "BKK Prime Components"],
             ["1168/54 Lumpini Tower, Rama IV Rd, Sathon, Bangkok 10120", "1168/54 LUMPINI TOWER RAMA 4 ROAD THUNG MAHA MEK SATHON BANGKOK"],
             ["TH", "TH", "Thailand"]),
    "C014": (["GULF HORIZON GENERAL TRADING LLC", "Gulf Horizon Gen. Trading L.L.C.", "Gulf Horizon General Trading"],
             ["Office 1204, JBC 1, Cluster G, JLT, Dubai", "OFFICE 1204 JUMEIRAH BUSINESS CENTRE 1 CLUSTER G JUMEIRAH LAKES TOWERS DUBAI"],
             ["AE", "AE", "UAE"]),
    "C015": (["NUSANTARA COMPUTE SOLUTIONS SDN BHD", "Nusantara Compute Solutions Sdn. Bhd.", "Nusantara Compute Sdn Bhd"],
             ["Lvl 15 Menara Sinar, No. 88, Jln Ampang, 50450 Kuala Lumpur", "LEVEL 15 MENARA SINAR 88 JALAN AMPANG KUALA LUMPUR"],
             ["MY", "MY", "MYS"]),
    "C016": (["HANBIT SEMICON CO., LTD.", "Hanbit Semicon Co Ltd", "Hanbit Semiconductor Co., Ltd."],
             ["27 Teheran-ro 77-gil, Gangnam-gu, Seoul 06159", "27, TEHERAN-RO 77GIL, GANGNAM-GU, SEOUL, KOREA"],
             ["KR", "KR", "Korea, Republic of"]),
    # --- suppliers and forwarders (legitimate) ---
    "C024": (["Silverline Systems Inc.", "SILVERLINE SYSTEMS INC"], ["2350 Mission College Blvd, Santa Clara, CA 95054"], ["US"]),
    "C025": (["Formosa Compute Integration Co., Ltd.", "FORMOSA COMPUTE INTEGRATION CO LTD"], ["No. 66, Sec. 2, Nankan Rd, Luzhu Dist., Taoyuan 338"], ["TW", "TW", "Taiwan"]),
    "C026": (["Pacific Rim Server Manufacturing Inc.", "PACIFIC RIM SERVER MFG INC"], ["48233 Warm Springs Blvd, Fremont, CA 94539"], ["US", "US", "USA"]),
    "C027": (["STRAITS GLOBAL LOGISTICS PTE LTD", "Straits Global Logistics Pte. Ltd.", "Straits Global Logistics"], [], ["SG"]),
    "C028": (["Transpacific Freight Partners LLC", "TRANSPACIFIC FREIGHT PARTNERS"], [], ["US"]),
    # --- decoy GPU buyers ---
    "C020": (["Northbeam Cloud Inc.", "NORTHBEAM CLOUD, INC."], ["21715 Filigree Court, Ashburn, VA 20147"], ["US"]),
    "C021": (["Sakura Compute K.K.", "SAKURA COMPUTE KK"], ["1-7-1 Otemachi, Chiyoda-ku, Tokyo 100-0004"], ["JP", "JP", "Japan"]),
    "C022": (["Rheinland Rechenzentrum GmbH", "RHEINLAND RECHENZENTRUM GMBH"], ["Hanauer Landstrasse 298, 60314 Frankfurt am Main"], ["DE"]),
    "C023": (["Lion City Research Computing Pte. Ltd.", "LION CITY RESEARCH COMPUTING PTE LTD"], ["1 Fusionopolis Way #10-10 Connexis Singapore 138632"], ["SG"]),
    "O001": (["National Research Computing Consortium", "NATIONAL RESEARCH COMPUTING CONSORTIUM (NRCC)"], ["1 Fusionopolis Way #20-01 Connexis Singapore 138632"], ["SG"]),
    # --- ordinary electronics shippers ---
    "C029": (["Hubei Huaxin Electronics Co., Ltd.", "HUBEI HUAXIN ELECTRONICS CO LTD"], ["18 Guanggu Ave, East Lake High-tech Zone, Wuhan 430074"], ["CN"]),
    "C030": (["Shenzhen Brightview Display Co., Ltd.", "SHENZHEN BRIGHTVIEW DISPLAY CO LTD"], ["3 Keji South 12th Rd, Nanshan, Shenzhen 518057"], ["CN"]),
    "C031": (["Taoyuan NetLink Corp.", "TAOYUAN NETLINK CORPORATION"], ["No. 12, Xinle Rd, Guishan Dist., Taoyuan 333"], ["TW"]),
    "C032": (["Samsan Storage Co., Ltd.", "SAMSAN STORAGE CO LTD"], ["45 Pangyo-ro 255beon-gil, Bundang-gu, Seongnam 13486"], ["KR"]),
    "C033": (["Penang Precision Cables Sdn. Bhd.", "PENANG PRECISION CABLES SDN BHD"], ["Plot 88, Bayan Lepas FIZ Phase 4, 11900 Penang"], ["MY"]),
    # --- ordinary electronics buyers ---
    "C034": (["Apex Tech Trading Pte Ltd", "APEX TECH TRADING PTE. LTD."], ["2 Jurong East St 21 #05-33 IMM Building Singapore 609601"], ["SG"]),
    "C035": (["Apex Technology Sdn Bhd", "APEX TECHNOLOGY SDN. BHD."], ["12 Lebuh Bishop, 10200 George Town, Penang"], ["MY", "MY", "Malaysia"]),
    "C036": (["Golden Bay Trading Pte Ltd", "GOLDEN BAY TRADING PTE. LTD."], ["55 Ubi Avenue 1 #07-12 Singapore 408935"], ["SG"]),
    "C037": (["Klang Valley IT Supplies Sdn Bhd", "KLANG VALLEY IT SUPPLIES SDN. BHD."], ["23 Jalan SS 15/4, 47500 Subang Jaya, Selangor"], ["MY"]),
    "C038": (["Saigon Office Tech JSC", "SAIGON OFFICE TECHNOLOGY JOINT STOCK COMPANY"], ["45 Nguyen Thi Minh Khai, Ben Nghe, District 1, HCMC"], ["VN", "VN", "Vietnam"]),
    "C039": (["Chiang Mai Digital Co., Ltd.", "CHIANG MAI DIGITAL CO LTD"], ["99 Huay Kaew Rd, Suthep, Mueang, Chiang Mai 50200"], ["TH"]),
    "C040": (["Dubai Digital Souk LLC", "DUBAI DIGITAL SOUK L.L.C."], ["Shop 14, Al Ain Centre, Mankhool Rd, Bur Dubai"], ["AE", "AE", "United Arab Emirates"]),
    "C041": (["PT Mitra Komputer Jakarta", "PT. MITRA KOMPUTER JAKARTA"], ["Jl. Mangga Dua Raya No. 8, Jakarta 14430"], ["ID"]),
    "C042": (["Manila Byte Solutions Inc.", "MANILA BYTE SOLUTIONS INC"], ["6750 Ayala Ave, Makati City 1226"], ["PH"]),
    "C043": (["Bengaluru NetSystems Pvt. Ltd.", "BENGALURU NETSYSTEMS PRIVATE LIMITED"], ["14 Residency Road, Bengaluru 560025"], ["IN"]),
    "C044": (["Harbourfront Office Direct Pty Ltd", "HARBOURFRONT OFFICE DIRECT PTY LTD"], ["88 George St, Sydney NSW 2000"], ["AU"]),
    "C045": (["Bluewater Analytics Pte. Ltd.", "BLUEWATER ANALYTICS PTE LTD"], ["160 Robinson Road #14-04 SBF Center Singapore 068914"], ["SG"]),
    "C046": (["Orchid Lane Interiors Pte. Ltd.", "ORCHID LANE INTERIORS PTE LTD"], ["160 Robinson Rd #14-04 SBF Centre Singapore 068914"], ["SG"]),
    "C047": (["Kestrel Marine Services Pte. Ltd.", "KESTREL MARINE SERVICES PTE LTD"], ["160 Robinson Road, #14-04, Singapore 068914"], ["SG"]),
    "C048": (["Tembusu Learning Pte. Ltd.", "TEMBUSU LEARNING PTE LTD"], ["160 Robinson Road #14-04 SBF Center Singapore 068914"], ["SG"]),
}

RING_ID = "ring-huaxin"
BENEFICIARY = "C001"
BENEFICIARY_ARM = "C002"  # HK procurement arm: notify party / consignee of the final leg
PAYER = "C003"            # HK payment conduit
FRONTS = ["C010", "C011", "C012", "C013", "C014", "C015"]
SAMPLE_SHIPPER = "C016"

# --------------------------------------------------------------------------
# THE PLANTED RING: per front, per calendar year, what it buys.
# (consignee, year, product, total units, line items, shippers, window start, window end)
# Each front-year stays at 60-98 % of THRESHOLD_TPP; the group is far over.
# --------------------------------------------------------------------------
RING_PLAN = [
    ("C010", 2024, "HGX_H100", 170, 10, ["C025", "C024"], "2024-03-01", "2024-12-20"),
    ("C010", 2025, "HGX_H200", 200, 11, ["C024", "C026"], "2025-01-08", "2025-11-28"),
    ("C011", 2024, "HGX_H100", 150, 9, ["C025", "C024"], "2024-02-01", "2024-12-15"),
    ("C011", 2025, "HGX_H200", 185, 10, ["C024", "C026"], "2025-01-10", "2025-11-30"),
    ("C012", 2024, "A100", 2000, 8, ["C024"], "2024-02-15", "2024-09-30"),
    ("C012", 2024, "HGX_H100", 80, 5, ["C025"], "2024-08-01", "2024-12-20"),
    ("C012", 2025, "MIS_ADAPTER", 1600, 12, ["C025"], "2025-01-05", "2025-11-25"),
    ("C013", 2024, "HGX_H100", 130, 8, ["C025", "C024"], "2024-04-15", "2024-12-20"),
    ("C013", 2025, "HGX_H100", 150, 8, ["C025", "C024"], "2025-01-12", "2025-11-20"),
    ("C013", 2025, "MIS_PARTS", 300, 5, ["C025"], "2025-03-01", "2025-10-31"),
    ("C014", 2024, "MI300X", 1000, 8, ["C026"], "2024-01-20", "2024-12-10"),
    ("C014", 2025, "HGX_H200", 205, 10, ["C026", "C024"], "2025-01-15", "2025-11-30"),
    ("C015", 2024, "HGX_H100", 140, 8, ["C025", "C024"], "2024-07-01", "2024-12-28"),
    ("C015", 2025, "B200", 700, 9, ["C025"], "2025-01-20", "2025-11-26"),
]
ORDER_PREFIX = {"C010": "PO/APX/{y}/{n:03d}", "C011": "MFS-{yy}-{n:04d}", "C012": "SCR{yy}{n:03d}",
                "C013": "BPC-PO-{y}-{n:02d}", "C014": "GHT/{yy}/{n:03d}", "C015": "NCS-{y}-{n:03d}"}
# End user declared on each front's paperwork: the SG fronts name the "Malaysian
# data centre" Nusantara (a false end-user statement); the others name themselves
# or leave it blank.
RING_END_USER = {"C010": "C015", "C011": "C015", "C012": None, "C013": "C013", "C014": "C014", "C015": "C015"}

# The Korean "samples" channel: many small sample shipments to the HK arm.
SAMPLES = dict(n=36, first="2024-02-05", last="2025-11-20", qty=(2, 5))
# The final leg: fronts re-export "used server parts" to the HK arm.
# (shipper front, date, 8-GPU H100 servers inside)
REEXPORTS = [
    ("C011", "2024-05-21", 14), ("C010", "2024-07-09", 18), ("C012", "2024-10-02", 12),
    ("C011", "2024-12-03", 20), ("C015", "2025-02-18", 16), ("C010", "2025-05-27", 22),
    ("C011", "2025-08-12", 15), ("C015", "2025-10-21", 24),
]

# --------------------------------------------------------------------------
# DECOYS: big open buyers (Tier 1) and one small Tier-2 research buyer.
# (consignee, year, product, total units, lines, shipper, end user, window)
# --------------------------------------------------------------------------
DECOY_GPU_PLAN = [
    ("C020", 2024, "HGX_H100", 300, 8, "C025", "C020", "2024-01-10", "2024-12-15"),
    ("C020", 2025, "HGX_B200", 150, 6, "C025", "C020", "2025-02-01", "2025-11-30"),
    ("C021", 2024, "HGX_H100", 120, 6, "C026", "C021", "2024-02-01", "2024-12-01"),
    ("C021", 2025, "HGX_H200", 260, 8, "C026", "C021", "2025-01-15", "2025-12-10"),
    ("C022", 2024, "DGX_H100", 90, 5, "C024", "C022", "2024-03-01", "2024-11-30"),
    ("C022", 2025, "MI300X_SRV", 140, 6, "C026", "C022", "2025-02-01", "2025-11-15"),
    ("C023", 2024, "HGX_H100", 16, 2, "C024", "O001", "2024-05-01", "2024-10-31"),
    ("C023", 2025, "HGX_H200", 24, 3, "C024", "O001", "2025-03-01", "2025-09-30"),
]
DECOY_PREFIX = {"C020": "NB-{y}-{n:04d}", "C021": "SKR{yy}-{n:03d}", "C022": "RRZ/{y}/{n:02d}", "C023": "LCRC-PO-{yy}{n:02d}"}

# --------------------------------------------------------------------------
# ORDINARY TRADE: (shipper, consignee, products, number of orders)
# --------------------------------------------------------------------------
LANES = [
    ("C029", "C037", ["MONITOR27", "MONITOR24"], 14),
    ("C029", "C038", ["MONITOR24"], 14),
    ("C029", "C042", ["MONITOR27"], 10),
    ("C030", "C034", ["MONITOR27", "MONITOR24"], 14),
    ("C030", "C040", ["MONITOR27"], 12),
    ("C030", "C046", ["MONITOR27"], 5),
    ("C030", "C044", ["MONITOR24", "KEYBOARD"], 7),
    ("C031", "C035", ["ROUTER", "SWITCH48"], 12),
    ("C031", "C036", ["ROUTER"], 10),
    ("C031", "C047", ["ROUTER", "SWITCH48"], 5),
    ("C031", "C043", ["SWITCH48", "ROUTER"], 12),
    ("C031", "C039", ["ROUTER"], 8),
    ("C032", "C034", ["SSD2TB", "SSD_ENT"], 12),
    ("C032", "C041", ["SSD2TB"], 10),
    ("C032", "C048", ["SSD2TB"], 5),
    ("C032", "C044", ["SSD2TB"], 7),
    ("C033", "C036", ["CAT6"], 8),
    ("C033", "C039", ["CAT6", "KEYBOARD"], 7),
    ("C024", "C045", ["LAPTOP"], 5),
    ("C025", "C040", ["RTX4070", "SSD2TB"], 8),
    ("C025", "C037", ["RTX4070", "PSU"], 8),
    ("C026", "C035", ["UPS", "SWITCH48"], 5),
]
SEA = {"SG", "MY", "ID", "PH", "TH", "VN"}

# --------------------------------------------------------------------------
# Truth for the non-shipment sources.
# --------------------------------------------------------------------------
PARTY_DUPLICATES = {"C051": "C010", "C052": "C014", "C053": "C020", "C054": "C001", "P021": "P004"}
SCREENING_TRUTH = {"31845": "C001"}  # every other screening row is its own entity: SL-<entity_number>
FTM_TRUTH = {
    "ftm-co-huaxin-sz": "C001", "ftm-co-huaxin-hk": "C002", "ftm-pe-zhang-wei": "P001",
    "ftm-pe-chen-xiaoling": "P002", "ftm-co-apex-sg": "C010", "ftm-pe-lim-wei-jie": "P003",
    "ftm-co-gulf-horizon": "C014", "ftm-pe-tan-mei-ling": "P004", "ftm-co-sinar-cahaya": "C012",
    "ftm-co-nusantara": "C015", "ftm-co-apex-trading": "C034", "ftm-pe-lim-wei-jie-my": "P011",
    "ftm-co-sinoray": "SL-31702", "ftm-co-northbeam": "C020",
}

HEADER = ["id", "date", "shipper_name", "shipper_address", "shipper_country", "consignee_name",
          "consignee_address", "consignee_country", "notify_name", "notify_address", "notify_country",
          "end_user_name", "end_user_address", "end_user_country", "forwarder_name", "payer_name",
          "payer_country", "origin_country", "destination_country", "transit_countries", "hs_code",
          "product", "description", "quantity", "value_usd", "order_ref"]
ROLES = ["shipper", "consignee", "notify", "end_user", "forwarder", "payer"]
SAME_AS_CONSIGNEE = "SAME AS CONSIGNEE"


def home_country(pid):
    """The true ISO country of a shipping party (first spelling is always alpha-2)."""
    return SPELLINGS[pid][2][0]


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.lines = []  # dicts with HEADER fields (minus id) + hidden fields
        self.order = None
        self.spelled = {}

    # -- helpers -----------------------------------------------------------
    def name(self, pid):
        return self.rng.choice(SPELLINGS[pid][0])

    def addr(self, pid):
        addrs = SPELLINGS[pid][1]
        return self.rng.choice(addrs) if addrs else ""

    def country(self, pid):
        return self.rng.choice(SPELLINGS[pid][2])

    def party(self, pid):
        # One order (one set of shipping documents) spells a party one way.
        key = (self.order, pid)
        if key not in self.spelled:
            self.spelled[key] = (self.name(pid), self.addr(pid), self.country(pid))
        return self.spelled[key]

    def dates(self, start, end, n):
        a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        span = (b - a).days
        return sorted(a + dt.timedelta(days=self.rng.randint(0, span)) for _ in range(n))

    def split(self, total, n):
        """n positive integers summing to total, each within +-40 % of the mean."""
        weights = [self.rng.uniform(0.6, 1.4) for _ in range(n)]
        s = sum(weights)
        parts = [max(1, int(total * w / s)) for w in weights]
        i = 0
        while sum(parts) < total:
            parts[i % n] += 1
            i += 1
        while sum(parts) > total:
            if parts[i % n] > 1:
                parts[i % n] -= 1
            i += 1
        return parts

    def price(self, key):
        lo, hi = PRODUCTS[key][3]
        return self.rng.randint(lo, hi)

    def add(self, date, shipper, consignee, product_key, qty, order_ref, *, notify=None, end_user=None,
            forwarder=None, payer=None, transit="", kind, unit_price=None, countries=None):
        """notify/end_user/forwarder/payer: a party id, SAME_AS_CONSIGNEE, or None (empty)."""
        prod, desc, hs, _, chip, per_unit, mis = PRODUCTS[product_key]
        self.order = order_ref
        unit = unit_price if unit_price is not None else self.price(product_key)
        row = {"date": date.isoformat(), "hs_code": hs, "product": prod, "description": desc,
               "quantity": str(qty), "value_usd": f"{qty * unit}.00", "order_ref": order_ref,
               "transit_countries": transit}
        truth = {}
        s_name, s_addr, s_cty = self.party(shipper)
        c_name, c_addr, c_cty = self.party(consignee)
        row.update(shipper_name=s_name, shipper_address=s_addr, shipper_country=s_cty,
                   consignee_name=c_name, consignee_address=c_addr, consignee_country=c_cty)
        truth["shipper"], truth["consignee"] = shipper, consignee
        for role, pid in (("notify", notify), ("end_user", end_user)):
            if pid is None:
                row.update({f"{role}_name": "", f"{role}_address": "", f"{role}_country": ""})
            elif pid == SAME_AS_CONSIGNEE:
                row.update({f"{role}_name": SAME_AS_CONSIGNEE, f"{role}_address": "", f"{role}_country": ""})
                truth[role] = consignee
            else:
                n, a, c = self.party(pid)
                row.update({f"{role}_name": n, f"{role}_address": a, f"{role}_country": c})
                truth[role] = pid
        row["forwarder_name"] = self.party(forwarder)[0] if forwarder else ""
        if forwarder:
            truth["forwarder"] = forwarder
        if payer:
            p_name, _, p_cty = self.party(payer)
            row["payer_name"], row["payer_country"] = p_name, p_cty
            truth["payer"] = payer
        else:
            row["payer_name"] = row["payer_country"] = ""
        row["origin_country"] = home_country(shipper)
        row["destination_country"] = home_country(consignee)
        tpp = qty * per_unit * CHIP_TPP[chip] if chip else 0
        self.lines.append({"row": row, "truth": truth, "kind": kind, "consignee": consignee,
                           "shipper": shipper, "year": date.year, "tpp": tpp, "misdeclared": mis,
                           "gpus": qty * per_unit if chip else 0})

    # -- the planted ring ---------------------------------------------------
    def ring(self):
        counters = {}
        for consignee, year, key, total, n, shippers, start, end in RING_PLAN:
            qtys = self.split(total, n)
            for date, qty in zip(self.dates(start, end, n), qtys):
                k = counters.get((consignee, year), 0) + 1
                counters[(consignee, year)] = k
                ref = ORDER_PREFIX[consignee].format(y=year, yy=year % 100, n=k)
                shipper = self.rng.choice(shippers)
                r = self.rng.random()
                notify = BENEFICIARY_ARM if r < 0.75 else (SAME_AS_CONSIGNEE if r < 0.87 or consignee == "C011" else "C011")
                payer = PAYER if self.rng.random() < 0.7 else consignee
                if consignee == "C011":
                    forwarder = "C011"
                elif consignee in ("C010", "C012", "C015"):
                    forwarder = "C011" if self.rng.random() < 0.6 else "C027"
                else:
                    forwarder = self.rng.choice(["C027", "C028"])
                transit = ""
                if consignee == "C014" and self.rng.random() < 0.4:
                    transit = "SG"
                elif consignee in ("C012", "C015") and self.rng.random() < 0.3:
                    transit = "SG"
                elif consignee == "C013" and self.rng.random() < 0.3:
                    transit = "MY"
                eu = RING_END_USER[consignee]
                common = dict(notify=notify, end_user=eu, forwarder=forwarder, payer=payer, transit=transit, kind="ring")
                self.add(date, shipper, consignee, key, qty, ref, **common)
                if PRODUCTS[key][5] == 8 and self.rng.random() < 0.2:
                    acc = self.rng.choice(["IB_CABLE", "NIC", "PSU_SRV"])
                    self.add(date, shipper, consignee, acc, qty * 8, ref, **common)

    def samples(self):
        n = SAMPLES["n"]
        for i, date in enumerate(self.dates(SAMPLES["first"], SAMPLES["last"], n), 1):
            qty = self.rng.randint(*SAMPLES["qty"])
            notify = BENEFICIARY_ARM if self.rng.random() < 0.5 else SAME_AS_CONSIGNEE
            self.add(date, SAMPLE_SHIPPER, BENEFICIARY_ARM, "MIS_SAMPLE", qty, f"HB-SMP-{date.year % 100}{i:03d}",
                     notify=notify, end_user=BENEFICIARY, payer=PAYER, kind="ring-sample")

    def reexports(self):
        for i, (front, date, servers) in enumerate(REEXPORTS, 1):
            self.add(dt.date.fromisoformat(date), front, BENEFICIARY_ARM, "MIS_REEXPORT", servers,
                     f"RX-{front}-{i:02d}", notify=SAME_AS_CONSIGNEE, end_user=BENEFICIARY if i % 2 else None,
                     payer=PAYER, kind="ring-reexport")

    # -- decoys ------------------------------------------------------------
    def decoys(self):
        counters = {}
        for consignee, year, key, total, n, shipper, end_user, start, end in DECOY_GPU_PLAN:
            qtys = self.split(total, n)
            for date, qty in zip(self.dates(start, end, n), qtys):
                k = counters.get((consignee, year), 0) + 1
                counters[(consignee, year)] = k
                ref = DECOY_PREFIX[consignee].format(y=year, yy=year % 100, n=k)
                dest = home_country(consignee)
                if dest == "US":
                    forwarder = "C028"
                elif dest == "SG":
                    forwarder = "C027"
                else:
                    forwarder = "C028" if home_country(shipper) == "US" else None
                notify = SAME_AS_CONSIGNEE if self.rng.random() < 0.5 else consignee
                common = dict(notify=notify, end_user=end_user, forwarder=forwarder, payer=consignee, kind="decoy-gpu")
                self.add(date, shipper, consignee, key, qty, ref, **common)
                if self.rng.random() < 0.3:
                    self.add(date, shipper, consignee, self.rng.choice(["IB_CABLE", "NIC", "SSD_ENT"]), qty * 8, ref, **common)

    def ordinary(self):
        for shipper, consignee, products, n_orders in LANES:
            dest, orig = home_country(consignee), home_country(shipper)
            tag = "".join(w[0] for w in SPELLINGS[consignee][0][0].split()[:3]).upper()
            for i, date in enumerate(self.dates("2024-01-03", "2025-12-19", n_orders), 1):
                ref = f"{tag}-{date.year % 100}-{self.rng.randint(1000, 9999)}-{i}"
                r = self.rng.random()
                notify = SAME_AS_CONSIGNEE if r < 0.4 else (consignee if r < 0.7 else None)
                payer = consignee if self.rng.random() < 0.6 else None
                r = self.rng.random()
                if orig == "US":
                    forwarder = "C028" if r < 0.7 else None
                elif dest in SEA:
                    # Straits Global is the shared forwarder; Meridian (a ring front) also
                    # handles a little legitimate cover business.
                    forwarder = "C027" if r < 0.5 else ("C011" if r < 0.6 else None)
                else:
                    forwarder = None
                k = self.rng.randint(1, len(products))
                for key in self.rng.sample(products, k):
                    qty = self.rng.randint(*ORDINARY_QTY[key])
                    self.add(date, shipper, consignee, key, qty, ref, notify=notify, forwarder=forwarder,
                             payer=payer, kind="ordinary")


def read_csv(name):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def main():
    g = Gen(SEED)
    g.ring()
    g.samples()
    g.reexports()
    g.decoys()
    g.ordinary()
    g.lines.sort(key=lambda l: (l["row"]["date"], l["row"]["order_ref"], l["row"]["product"]))
    for i, l in enumerate(g.lines, 1):
        l["row"]["id"] = f"S{i:04d}"

    # ---- shipments.csv ----
    with open(os.path.join(HERE, "shipments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for l in g.lines:
            w.writerow([l["row"][h] for h in HEADER])

    # ---- truth.csv ----
    truth = []
    for row in read_csv("parties.csv")[1:]:
        truth.append((row[0], PARTY_DUPLICATES.get(row[0], row[0])))
    for row in read_csv("screening.csv")[1:]:
        truth.append((row[1], SCREENING_TRUTH.get(row[1], f"SL-{row[1]}")))
    with open(os.path.join(HERE, "entities.ftm.json"), encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e["schema"] in ("Company", "Person", "Organization", "LegalEntity"):
                truth.append((e["id"], FTM_TRUTH[e["id"]]))
    for l in g.lines:
        for role in ROLES:
            if role in l["truth"]:
                truth.append((f"{l['row']['id']}:{role}", l["truth"][role]))
    with open(os.path.join(HERE, "truth.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "cluster"])
        w.writerows(truth)

    # ---- totals ----
    by_cy = {}
    for l in g.lines:
        key = (l["consignee"], l["year"])
        t = by_cy.setdefault(key, {"tpp": 0, "declared": 0, "lines": 0, "gpu_lines": 0, "value": 0.0})
        t["tpp"] += l["tpp"]
        t["declared"] += 0 if l["misdeclared"] else l["tpp"]
        t["lines"] += 1
        t["gpu_lines"] += 1 if l["tpp"] else 0
        t["value"] += float(l["row"]["value_usd"])
    print(f"{'consignee':<10}{'year':>5}{'lines':>7}{'ctrl':>6}{'true TPP':>14}{'% thr':>8}{'declared TPP':>15}{'value USD':>16}")
    for (c, y) in sorted(by_cy):
        t = by_cy[(c, y)]
        if not t["tpp"]:
            continue
        print(f"{c:<10}{y:>5}{t['lines']:>7}{t['gpu_lines']:>6}{t['tpp']:>14,}{100 * t['tpp'] / THRESHOLD_TPP:>7.1f}%"
              f"{t['declared']:>15,}{t['value']:>16,.0f}")
    ring_years = {}
    for (c, y), t in by_cy.items():
        if c in FRONTS:
            ring_years.setdefault(y, [0, 0])[0] += t["tpp"]
        if c == BENEFICIARY_ARM:
            ring_years.setdefault(y, [0, 0])[1] += t["tpp"]
    print(f"\nring {RING_ID}: group TPP per year (fronts | + HK arm as consignee | x threshold)")
    for y in sorted(ring_years):
        fr, arm = ring_years[y]
        print(f"  {y}: fronts {fr:,} ({fr / THRESHOLD_TPP:.2f}x)   with HK arm {fr + arm:,} ({(fr + arm) / THRESHOLD_TPP:.2f}x)")
    kinds = {}
    for l in g.lines:
        kinds[l["kind"]] = kinds.get(l["kind"], 0) + 1
    print(f"\nlines: {len(g.lines)} {dict(sorted(kinds.items()))}; truth rows: {len(truth)}")

    # ---- networks.json ----
    rel = read_csv("relationships.csv")
    parties = read_csv("parties.csv")
    pline = {row[0]: i + 1 for i, row in enumerate(parties)}
    pname = {row[0]: row[2] for row in parties}

    def rel_line(a, b, kind):
        for i, row in enumerate(rel):
            if row[0] == a and row[1] == b and row[2] == kind:
                return i + 1
        raise KeyError((a, b, kind))

    ring_lines = [l for l in g.lines if l["kind"].startswith("ring")]
    orders = sorted({l["row"]["order_ref"] for l in ring_lines})
    fronts = []
    for c in FRONTS:
        lines = [l for l in ring_lines if l["consignee"] == c]
        fronts.append({
            "party_id": c, "name": pname[c], "parties_line": pline[c],
            "yearly_tpp": {str(y): by_cy[(c, y)]["tpp"] for y in (2024, 2025) if (c, y) in by_cy},
            "yearly_pct_of_threshold": {str(y): round(100 * by_cy[(c, y)]["tpp"] / THRESHOLD_TPP, 1)
                                        for y in (2024, 2025) if (c, y) in by_cy},
            "orders": sorted({l["row"]["order_ref"] for l in lines}),
            "shipments": [l["row"]["id"] for l in lines],
        })
    links = [
        {"kind": "shared_director", "via": "P003", "parties": ["C010", "C011"],
         "evidence": [f"relationships.csv:{rel_line('P003', 'C010', 'director')}", f"relationships.csv:{rel_line('P003', 'C011', 'director')}"]},
        {"kind": "shared_owner", "via": "P003", "parties": ["C010", "C011"],
         "evidence": [f"relationships.csv:{rel_line('P003', 'C010', 'owner')}", f"relationships.csv:{rel_line('P003', 'C011', 'owner')}"]},
        {"kind": "shared_owner", "via": "P004", "parties": ["C012", "C014"],
         "evidence": [f"relationships.csv:{rel_line('P004', 'C012', 'owner')}", f"relationships.csv:{rel_line('P004', 'C014', 'owner')}"]},
        {"kind": "shared_address", "via": "Level 15, Menara Sinar, 88 Jalan Ampang, Kuala Lumpur 50450", "parties": ["C012", "C015", "P004", "P021"],
         "evidence": [f"parties.csv:{pline['C012']}", f"parties.csv:{pline['C015']}", f"parties.csv:{pline['P004']}", f"parties.csv:{pline['P021']}"]},
        {"kind": "shared_phone", "via": "+60 3 2181 7730", "parties": ["C012", "C013"],
         "evidence": [f"parties.csv:{pline['C012']}", f"parties.csv:{pline['C013']}"]},
        {"kind": "shared_email", "via": "procurement@nusantaracompute.my", "parties": ["C013", "C015"],
         "evidence": [f"parties.csv:{pline['C013']}", f"parties.csv:{pline['C015']}"]},
        {"kind": "owner_is_director_of_beneficiary_arm", "via": "P008", "parties": ["C015", "C002"],
         "evidence": [f"relationships.csv:{rel_line('P008', 'C015', 'owner')}", f"relationships.csv:{rel_line('P008', 'C002', 'director')}"]},
        {"kind": "associate_of_beneficiary_owner", "via": "P004", "parties": ["P004", "P001"],
         "evidence": [f"relationships.csv:{rel_line('P001', 'P004', 'associate')}"]},
        {"kind": "beneficiary_owns_arm", "via": "C001", "parties": ["C001", "C002"],
         "evidence": [f"relationships.csv:{rel_line('C001', 'C002', 'owner')}"]},
        {"kind": "payer_owned_by_beneficiary_family", "via": "P002", "parties": ["C003", "P002", "P001"],
         "evidence": [f"relationships.csv:{rel_line('P002', 'C003', 'beneficial_owner')}", f"relationships.csv:{rel_line('P001', 'P002', 'family')}"]},
        {"kind": "shared_notify_party", "via": "C002", "parties": FRONTS + ["C016"],
         "evidence": sorted({l["row"]["id"] for l in ring_lines if l["truth"].get("notify") == "C002"})},
        {"kind": "shared_payer", "via": "C003", "parties": FRONTS + ["C016"],
         "evidence": sorted({l["row"]["id"] for l in ring_lines if l["truth"].get("payer") == "C003"})},
        {"kind": "false_end_user", "via": "C015", "parties": ["C010", "C011", "C015"],
         "evidence": sorted({l["row"]["id"] for l in ring_lines if l["truth"].get("end_user") == "C015" and l["consignee"] != "C015"})},
        {"kind": "reexport_to_beneficiary_arm", "via": "C002", "parties": sorted({r[0] for r in REEXPORTS}),
         "evidence": [l["row"]["id"] for l in ring_lines if l["kind"] == "ring-reexport"]},
    ]
    dates = [l["row"]["date"] for l in ring_lines]
    net = {
        "threshold_tpp": THRESHOLD_TPP,
        "rings": [{
            "id": RING_ID,
            "pattern": "structuring: per-consignee sub-threshold orders by several fronts for one beneficiary",
            "beneficiary": {"party_id": BENEFICIARY, "name": pname[BENEFICIARY], "parties_line": pline[BENEFICIARY],
                            "screening_entity_number": "31845", "ftm_id": "ftm-co-huaxin-sz",
                            "duplicate_party_ids": ["C054"]},
            "beneficiary_arm": {"party_id": BENEFICIARY_ARM, "name": pname[BENEFICIARY_ARM], "role": "HK procurement arm; notify party; consignee of samples and re-exports"},
            "payer": {"party_id": PAYER, "name": pname[PAYER], "role": "HK payment conduit"},
            "people": ["P001", "P002", "P003", "P004", "P005", "P006", "P007", "P008", "P009", "P021"],
            "fronts": fronts,
            "sample_channel": {"party_id": SAMPLE_SHIPPER, "name": pname[SAMPLE_SHIPPER],
                               "shipments": [l["row"]["id"] for l in ring_lines if l["kind"] == "ring-sample"]},
            "links": links,
            "group_yearly_tpp": {str(y): v[0] for y, v in sorted(ring_years.items())},
            "group_yearly_tpp_with_arm": {str(y): v[0] + v[1] for y, v in sorted(ring_years.items())},
            "orders": orders,
            "order_count": len(orders),
            "shipment_count": len(ring_lines),
            "window": {"start": min(dates), "end": max(dates)},
        }],
        "must_not_flag": {
            "tier1_buyers": ["C020", "C021", "C022"],
            "small_tier2_gpu_buyer": ["C023"],
            "ordinary_buyers": sorted({c for _, c, _, _ in LANES}),
            "shared_forwarder": "C027",
            "virtual_office": {"address": "160 Robinson Road #14-04, SBF Center, Singapore 068914",
                               "parties": ["C045", "C046", "C047", "C048", "C049", "C050"], "nominee_director": "P017"},
        },
        "must_not_merge": [
            ["C010", "C034"], ["C010", "C035"], ["C034", "C035"], ["C003", "C036"],
            ["P001", "P010"], ["P003", "P011"], ["C001", "C029"], ["C001", "SL-31791"], ["P001", "SL-20417"],
            ["C010", "SL-31688"],
        ],
    }
    with open(os.path.join(HERE, "networks.json"), "w", encoding="utf-8") as f:
        json.dump(net, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
