#!/usr/bin/env bash
# Checks trawl's exports with the real tools, outside the Rust test suite: Graphviz renders the
# DOT export, and the reference FollowTheMoney implementation validates the FtM export
# (scripts/validate_ftm.py). GraphML, GEXF and Cytoscape JSON are parsed in tests/graph.rs.
#
# Usage: scripts/check_exports.sh            (uses target/release/trawl, building it if needed)
#        TRAWL=target/debug/trawl scripts/check_exports.sh
# Installs graphviz (apt-get) and followthemoney (pip, in a venv under target/) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

TRAWL=${TRAWL:-target/release/trawl}
[ -x "$TRAWL" ] || cargo build --release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/sample.db"

"$TRAWL" ingest --db "$db" sample-data/parties.csv sample-data/relationships.csv \
    sample-data/screening.csv sample-data/entities.ftm.json sample-data/shipments.csv >/dev/null
"$TRAWL" resolve --db "$db" >/dev/null

if ! command -v dot >/dev/null; then
    apt-get install -y graphviz >/dev/null || { apt-get update >/dev/null && apt-get install -y graphviz >/dev/null; }
fi
venv=target/ftm-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import followthemoney' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q followthemoney
fi

status=0
for scope in "--around C001 C010 --hops 2" ""; do
    label=${scope:-whole graph}
    # shellcheck disable=SC2086
    "$TRAWL" export --db "$db" $scope --format dot --out "$work/g.dot" >/dev/null
    if dot -Tsvg "$work/g.dot" -o "$work/g.svg"; then
        echo "dot ($label): rendered $(wc -c <"$work/g.svg") bytes of SVG"
    else
        echo "dot ($label): FAILED"; status=1
    fi
    # shellcheck disable=SC2086
    "$TRAWL" export --db "$db" $scope --format ftm --out "$work/g.ftm" >/dev/null
    "$venv/bin/python" scripts/validate_ftm.py "$work/g.ftm" || status=1
done
exit $status
