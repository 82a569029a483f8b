#!/usr/bin/env bash
# The main job on the embedded store: build filo, make a synthetic case,
# ingest it, scan it, show the strongest leads and how well they match the
# world's ground truth. Usage: scripts/demo.sh [WORKDIR] (default ./demo).
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-demo}"
scale="${FILO_DEMO_SCALE:-1}"
mkdir -p "$work"
go build -o "$work/filo" ./cmd/filo
f="$work/filo"
rm -rf "$work/case" "$work/case.truth" "$work/case.db"
"$f" synth  --out "$work/case" --seed 1 --scale "$scale"
"$f" ingest --db "$work/case.db" "$work/case"
"$f" scan   --db "$work/case.db"
echo "--- strongest buyer leads"
"$f" leads  --db "$work/case.db" --role buyer --format csv --limit 10
echo "--- strongest facilitator-ring leads"
"$f" leads  --db "$work/case.db" --role facilitator --format csv --limit 5
echo "--- against the ground truth"
"$f" eval er     --db "$work/case.db" --truth "$work/case.truth"
"$f" eval detect --db "$work/case.db" --truth "$work/case.truth"
