#!/bin/sh
# What tracing costs search throughput, paired: in each round the server runs three times in
# turn on the same store under the same wrk load (bench.sh), in an order that rotates:
#   before  BEFORE_BIN, a build without tracing;
#   off     BIN with tracing off (the default);
#   on      BIN tracing every request (sampling 1.0), spans posted over OTLP/HTTP to a local
#           sink (otlp_sink.py) that counts and drops them.
# Prints every run, the medians (with the server's CPU time a request), on/off (the cost of
# tracing) and off/before (the cost of tracing's hooks when it is off).
# Usage: tracing.sh BEFORE_BIN BIN STORE QUERIES.txt [ROUNDS] (DURATION, default 20s; SCRIPT and
# STRATA_PATH as for bench.sh).
set -eu
before=$1 bin=$2 store=$3 queries=$4 rounds=${5:-3}
export DURATION=${DURATION:-20s}
sink_port=${SINK_PORT:-14318}
python3 Benchmarks/server/otlp_sink.py "$sink_port" > /tmp/strata-otlp-sink.log 2>&1 &
sink=$!
out=$(mktemp)
trap 'kill $sink 2>/dev/null; rm -f "$out"' EXIT
for round in $(seq "$rounds"); do
  # Each round starts with a different side, so that no side always runs first or last.
  case $(( round % 3 )) in 1) order="before off on" ;; 2) order="off on before" ;; *) order="on before off" ;; esac
  for side in $order; do
    case $side in
      before) run=$(STRATA_BIN=$before sh Benchmarks/server/bench.sh "$store" "$queries") ;;
      off) run=$(STRATA_BIN=$bin sh Benchmarks/server/bench.sh "$store" "$queries") ;;
      on) run=$(STRATA_TRACING_ENDPOINT=http://127.0.0.1:$sink_port STRATA_TRACING_SAMPLING=1 STRATA_BIN=$bin \
            sh Benchmarks/server/bench.sh "$store" "$queries") ;;
    esac
    line="$(echo "$run" | grep '^requests') cpu $(echo "$run" | sed -n 's/^server cpu: \([0-9]*\) ticks.*/\1/p') ticks"
    echo "round $round $side: $line"
    echo "$side $line" >> "$out"
  done
done
kill "$sink"; wait "$sink" 2>/dev/null || true
cat /tmp/strata-otlp-sink.log
# on/off: what tracing every request costs; off/before: what its hooks cost when it is off.
python3 Benchmarks/server/medians.py "$out" on/off off/before
