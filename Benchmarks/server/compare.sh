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
python3 - "$out" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    side = line.split()[0]
    m = re.search(r"([\d.]+) req/s, p50 ([\d.]+) ms, p99 ([\d.]+) ms", line)
    runs.setdefault(side, []).append(tuple(float(x) for x in m.groups()))
med = {side: [statistics.median(v[i] for v in values) for i in range(3)] for side, values in runs.items()}
for side, (rps, p50, p99) in med.items():
    print(f"median {side}: {rps:.0f} req/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms")
print(f"candidate / baseline: {med['candidate'][0] / med['baseline'][0]:.2f}x req/s")
PY
rm -f "$out"
