#!/bin/sh
# Paired rounds against hnswlib, kernel level by kernel level (issue 17):
#   Benchmarks/kernels/paired_rounds.sh DATASET [ROUNDS] [EFS]
# DATASET is a peer-kit data set in $DATA (default Benchmarks/data): clustered-384-25k,
# clustered-384-100k (../shared/bench/make_dataset.py) or code-384-25k (make_code_vectors.sh).
# Each round runs hnswlib (../shared/bench/peers.py), then `strata bench` forced to each kernel
# level the CPU has (STRATA_KERNELS) with float32 and int8 traversal, one after the other, and
# writes JSON into $OUT (default Benchmarks/peers/kernels); summarize.py turns it into ratios.
set -eu
dataset=$1
rounds=${2:-3}
efs=${3:-16,32,64,128}
DATA=${DATA:-Benchmarks/data}
OUT=${OUT:-Benchmarks/peers/kernels}
STRATA=${STRATA:-.build/release/strata}
PYTHON=${PYTHON:-/tmp/peers-venv/bin/python}
levels=$($STRATA version | sed -n 's/^kernels: .*the cpu supports \([a-z0-9]*\).*/\1/p')
case $levels in
  avx512vnni) levels="portable avx2 avx512 avx512vnni" ;;
  avx512) levels="portable avx2 avx512" ;;
  avx2) levels="portable avx2" ;;
  *) levels="portable" ;;
esac
mkdir -p "$OUT"
round=1
while [ "$round" -le "$rounds" ]; do
  $PYTHON ../shared/bench/peers.py --data "$DATA" --results "$OUT/r$round" --datasets "$dataset" --libs hnswlib \
    --efs $(echo "$efs" | tr ',' ' ') > "$OUT/r$round-peers.log" 2>&1
  for level in $levels; do
    for q in none int8; do
      STRATA_KERNELS=$level $STRATA bench --base "$DATA/$dataset.base.fvecs" --query "$DATA/$dataset.query.fvecs" \
        --gt "$DATA/$dataset.gt.ivecs" --ef "$efs" --quantization $q --json "$OUT/r$round-$dataset-$level-$q.json" --quiet > /dev/null
    done
  done
  round=$((round + 1))
done
python3 Benchmarks/kernels/summarize.py "$OUT" "$dataset"
