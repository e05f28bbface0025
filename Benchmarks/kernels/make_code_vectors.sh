#!/bin/sh
# code-384-25k for the peer kit: the stored code vectors of a store (the built-in embedder,
# 384-d: `strata export --vectors`), its queries' vectors (`strata embed`, a JSONL of texts) and
# exact cosine ground truth in float64 (top 100).
#   Benchmarks/kernels/make_code_vectors.sh STORE QUERIES.jsonl
# e.g. the retrieval dev set: strata init --store S && strata import patterns-doc.jsonl --store S,
# then this with S and queries.jsonl.
set -eu
store=$1
queries=$2
DATA=${DATA:-Benchmarks/data}
STRATA=${STRATA:-.build/release/strata}
PYTHON=${PYTHON:-/tmp/peers-venv/bin/python}
mkdir -p "$DATA"
$STRATA export --store "$store" "$DATA/code-384-25k.jsonl" --vectors "$DATA/code-384-25k.base.fvecs" > /dev/null
$STRATA embed --store "$store" "$queries" --out "$DATA/code-384-25k.query.fvecs" > /dev/null
DATA=$DATA $PYTHON - <<'PY'
import os, sys
import numpy as np
sys.path.insert(0, "../shared/bench")
from texmex import read_fvecs, write_vecs
d = os.environ["DATA"]
b = read_fvecs(f"{d}/code-384-25k.base.fvecs").astype(np.float64)
q = read_fvecs(f"{d}/code-384-25k.query.fvecs").astype(np.float64)
b /= np.linalg.norm(b, axis=1, keepdims=True) + 1e-30
q /= np.linalg.norm(q, axis=1, keepdims=True) + 1e-30
gt = np.argsort(-(q @ b.T), axis=1, kind="stable")[:, :100].astype(np.int32)
write_vecs(f"{d}/code-384-25k.gt.ivecs", gt)
print(f"code-384-25k: base {b.shape}, queries {q.shape}")
PY
