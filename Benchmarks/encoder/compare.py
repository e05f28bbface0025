"""Cosines between two raw float32 matrices of the same texts (rows × dim).

    python3 Benchmarks/encoder/compare.py A.f32 B.f32 [--dim 384]
"""
import argparse
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("a"); ap.add_argument("b"); ap.add_argument("--dim", type=int, default=384)
a = ap.parse_args()
x = np.fromfile(a.a, dtype=np.float32).reshape(-1, a.dim)
y = np.fromfile(a.b, dtype=np.float32).reshape(-1, a.dim)
n = min(len(x), len(y))
x, y = x[:n].astype(np.float64), y[:n].astype(np.float64)
cos = (x * y).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)
worst = np.argsort(cos)[:5]
print(f"rows {n}: cosine min {cos.min():.7f} mean {cos.mean():.7f} p1 {np.percentile(cos, 1):.7f}; worst rows {worst.tolist()}")
