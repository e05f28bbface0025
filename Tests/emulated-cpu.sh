#!/bin/sh
# Runs the release build on an emulated CPU without AVX-512: the kernel and index tests, and
# the `strata` tool, under qemu-user with `-cpu Haswell` (AVX2 + FMA, the oldest CPU a build on
# an AVX2 machine targets). A binary built on an AVX-512 machine must pick its AVX2 kernels
# there at run time, answer the same tests, and never execute an instruction the CPU lacks
# (qemu stops the process with SIGILL if it does).
#
# Usage: Tests/emulated-cpu.sh [BUILD_DIR]    (default .build/release, built with --build-tests)
# Needs Debian's qemu-user package (`make deps` installs it); skipped on a non-x86-64 machine.
set -eu
build=${1:-.build/release}
# Haswell without the features qemu's TCG cannot give (it warns about each), none of them SIMD.
cpu=Haswell-noTSX,-pcid,-x2apic,-tsc-deadline,-invpcid

if [ "$(uname -m)" != x86_64 ]; then
  echo "emulated-cpu.sh: skipped, the emulated CPU check is for x86-64 builds"
  exit 0
fi
if ! command -v qemu-x86_64 >/dev/null; then
  echo "emulated-cpu.sh: qemu-x86_64 not found; install Debian's qemu-user package (make deps)" >&2
  exit 2
fi

# qemu-user tracks every page of a reservation: a graph's default 1 TiB would cost gigabytes
# of emulator memory, so each graph reserves 8 GiB here (over a million 384-d nodes).
export STRATA_ARENA_GIB=8
emulate() { qemu-x86_64 -cpu "$cpu" "$@"; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

emulate "$build/strata" version > "$scratch/version"
if ! grep -q '^kernels: avx2 ' "$scratch/version"; then
  echo "emulated-cpu.sh: on an emulated Haswell the tool should run its avx2 kernels, but says:" >&2
  cat "$scratch/version" >&2
  exit 1
fi
echo "emulated Haswell: $(grep '^kernels:' "$scratch/version")"

emulate "$build/strata" bench --synthetic 3000 --dim 64 --seed 1 --ef 64 --quantization int8 \
  --json "$scratch/bench.json" --quiet > /dev/null
python3 - "$scratch/bench.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
level, recall = report["kernels"]["level"], report["search"][0]["recall_at_10"]
if level != "avx2" or recall < 0.95 or not report["segment_matches_graph"]:
    sys.exit(f"emulated-cpu.sh: bench on the emulated CPU ran {level} kernels, recall@10 {recall}, "
             f"segment matches graph: {report['segment_matches_graph']} (expected avx2, >= 0.95, true)")
print(f"emulated bench: kernels {level}, recall@10 {recall:.4f}, segment matches graph")
EOF

emulate "$build/StrataPackageTests.xctest" --testing-library swift-testing \
  --filter 'StrataKernelsTests|StrataIndexTests' > "$scratch/tests" 2>&1 || status=$?
tail -n 1 "$scratch/tests"
if [ "${status:-0}" != 0 ]; then
  grep '✘' "$scratch/tests" >&2 || true
  exit 1
fi
