#!/usr/bin/env bash
# End-to-end benchmarks behind BENCHMARKS.md: release build, generated data, median of several
# runs, peak memory. Usage: scripts/bench.sh [stage...]   (stages: generate ingest; default all)
# Prints one markdown table row per measurement; paste them into BENCHMARKS.md with the date.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORK=${WORK:-/tmp/trawl-bench}
SEED=${SEED:-1}
COMPANIES=${COMPANIES:-200000}
SHIPMENTS=${SHIPMENTS:-1000000}
mkdir -p "$WORK"
cargo build --release --quiet
T=$PWD/target/release/trawl

# measure NAME SETUP CMD: runs SETUP then CMD (timed) RUNS times; prints the median wall time,
# the median CPU time (user + sys, all threads: less sensitive to other load on the machine),
# the largest peak RSS, the load average before the runs and every run's wall time.
measure() {
  local name=$1 setup=$2 cmd=$3 times=() cpus=() rss=0 load
  load=$(cut -d' ' -f1 /proc/loadavg)
  for _ in $(seq "$RUNS"); do
    eval "$setup"
    /usr/bin/time -o "$WORK/time.txt" -f "%e %U %S %M" bash -c "$cmd" >/dev/null 2>&1
    read -r wall user sys mem < <(tail -n 1 "$WORK/time.txt")
    times+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
    (( mem > rss )) && rss=$mem
  done
  echo "| $name | $(median "${times[@]}") s | $(median "${cpus[@]}") s | $((rss / 1024)) MB | $load | ${times[*]} |"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

stage_generate() {
  measure "generate --companies $COMPANIES --shipments $SHIPMENTS" \
    "rm -rf $WORK/gen" \
    "$T generate --out $WORK/gen --seed $SEED --companies $COMPANIES --shipments $SHIPMENTS"
}

stage_ingest() {
  [ -f "$WORK/gen/shipments.csv" ] || \
    $T generate --out "$WORK/gen" --seed "$SEED" --companies "$COMPANIES" --shipments "$SHIPMENTS" >/dev/null
  local rows
  rows=$(($(wc -l < "$WORK/gen/shipments.csv") - 1))
  measure "ingest shipments.csv ($rows rows, $(du -m "$WORK/gen/shipments.csv" | cut -f1) MB)" \
    "rm -f $WORK/ingest.db*" \
    "$T ingest --db $WORK/ingest.db $WORK/gen/shipments.csv"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d); runs: $RUNS"
echo "| command | median wall | median CPU | peak RSS | load before | all runs, wall (s) |"
echo "|---|---|---|---|---|---|"
stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=(generate ingest)
for s in "${stages[@]}"; do "stage_$s"; done
