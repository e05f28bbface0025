#!/bin/sh
# Serves STORE on a free port, warms it, then runs wrk against POST /v1/search for 60 s and
# prints the server's resident memory before and after. Usage: bench.sh STORE QUERIES.txt
# STRATA_BIN picks the binary (default .build/release/strata), DURATION the run (default 60s),
# SCRIPT the wrk script (default search.lua: text queries, one a line in QUERIES.txt; bodies.lua
# posts the JSON bodies of QUERIES.txt, one a line, to STRATA_PATH, default /v1/search).
# Vector search, native and Qdrant's (vector_bodies.py writes the bodies, load_qdrant.py the
# collection):
#   SCRIPT=Benchmarks/server/bodies.lua sh Benchmarks/server/bench.sh STORE native.txt
#   SCRIPT=Benchmarks/server/bodies.lua STRATA_PATH=/collections/code/points/query sh Benchmarks/server/bench.sh STORE qdrant.txt
set -eu
store=$1
export STRATA_QUERIES=$2
port=${PORT:-18765}
"${STRATA_BIN:-.build/release/strata}" serve --store "$store" --port "$port" > /tmp/strata-bench-serve.log 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
script=${SCRIPT:-Benchmarks/server/search.lua}
wrk -t2 -c16 -d10s -s "$script" "http://127.0.0.1:$port" > /dev/null
echo "rss before: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
# The server's user + system time over the timed run, in clock ticks (/proc/PID/stat 14, 15).
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before_ticks=$(ticks)
wrk -t2 -c16 -d${DURATION:-60s} --latency -s "$script" "http://127.0.0.1:$port"
echo "server cpu: $(( $(ticks) - before_ticks )) ticks of $(getconf CLK_TCK) a second"
echo "rss after: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
