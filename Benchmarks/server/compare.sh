#!/bin/sh
# Paired runs of two strata binaries serving the same store under the same wrk load, taken in
# turn so that the machine's noise falls on both alike; prints every run and the medians.
# Usage: compare.sh BASELINE_BIN CANDIDATE_BIN STORE QUERIES.txt [ROUNDS] (DURATION, default 20s;
# SCRIPT and STRATA_PATH as for bench.sh, e.g. SCRIPT=Benchmarks/server/bodies.lua for vector bodies)
set -eu
baseline=$1 candidate=$2 store=$3 queries=$4 rounds=${5:-3}
export DURATION=${DURATION:-20s}
out=$(mktemp)
for round in $(seq "$rounds"); do
  for side in baseline candidate; do
    if [ "$side" = baseline ]; then bin=$baseline; else bin=$candidate; fi
    line=$(STRATA_BIN=$bin sh Benchmarks/server/bench.sh "$store" "$queries" | grep '^requests')
    echo "round $round $side: $line"
    echo "$side $line" >> "$out"
  done
done
python3 Benchmarks/server/medians.py "$out" candidate/baseline
rm -f "$out"
