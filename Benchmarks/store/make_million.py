#!/usr/bin/env python3
"""One million small patterns with 16-dimensional vectors, for the cold-tier reopen benchmark:
<out>/million.jsonl and <out>/million.fvecs. Deterministic (seeded)."""
import argparse, json, os
import numpy as np

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--out", required=True)
parser.add_argument("--count", type=int, default=1_000_000)
parser.add_argument("--dim", type=int, default=16)
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)
rng = np.random.default_rng(7)
vectors = rng.standard_normal((args.count, args.dim)).astype(np.float32)
types = ["effect", "compute", "reducer", "orchestrator", "none"]
with open(os.path.join(args.out, "million.jsonl"), "w") as f:
    for i in range(args.count):
        f.write(json.dumps({"id": f"m{i}", "text": f"def f{i}(x):\n    return x * {i}\n", "node_type": types[i % 5], "quality": (i % 100) / 100}) + "\n")
with open(os.path.join(args.out, "million.fvecs"), "wb") as f:
    header = np.full((args.count, 1), args.dim, dtype=np.int32)
    np.hstack([header, vectors.view(np.int32)]).tofile(f)
