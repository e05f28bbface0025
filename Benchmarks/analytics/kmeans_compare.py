#!/usr/bin/env python3
"""Strata k-means beside FAISS and scikit-learn, in the same sitting, interleaved.

For each data set (clustered-384-25k / -100k from ../shared/bench/make_dataset.py), k=64,
25 iterations: each round runs Strata (strata-analytics-bench, release) and FAISS Kmeans on all
points, then both trained on a 16,384-point sample (FAISS's default, 256 per centroid; Strata's
`trainingSample`, then one assignment pass over every point), back to back, so that load on the
shared machine hits all of them alike; medians over the rounds. scikit-learn KMeans
(k-means++, lloyd, n_init=1, tol=0) runs once per data set for the inertia reference (it is
far slower). Inertia is recomputed in float64 on every point from each final centroid set.

Usage: python kmeans_compare.py [--rounds 3] [--threads 2] [--datasets ...] [--bench PATH]
Prints a markdown table and writes Benchmarks/peers/kmeans-compare.json.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "..", "shared", "bench"))
from texmex import read_fvecs  # noqa: E402

K, NITER, SEED = 64, 25, 1234


def full_inertia(X, C, block=20000):
    C = C.astype(np.float64)
    cn = np.sum(C * C, axis=1)
    total = 0.0
    for s in range(0, X.shape[0], block):
        x = X[s:s + block].astype(np.float64)
        d = np.sum(x * x, axis=1)[:, None] - 2.0 * x @ C.T + cn[None, :]
        total += float(np.sum(np.maximum(d.min(axis=1), 0.0)))
    return total


def strata(bench, path, threads, sample=None):
    extra = ["--training-sample", str(sample)] if sample else []
    out = subprocess.run([bench, "kmeans", path, "--k", str(K), "--iterations", str(NITER), "--seed", str(SEED),
                          "--runs", "1", "--threads", str(threads), "--json"] + extra, check=True, capture_output=True, text=True)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    return row["seconds_median"], row["inertia_full"]


def faiss_run(X, threads, all_points):
    import faiss
    faiss.omp_set_num_threads(threads)
    kw = {"niter": NITER, "seed": SEED, "verbose": False}
    if all_points:
        kw["max_points_per_centroid"] = 10 ** 9
    t0 = time.perf_counter()
    km = faiss.Kmeans(X.shape[1], K, **kw)
    km.train(X)
    return time.perf_counter() - t0, full_inertia(X, km.centroids)


def sklearn_run(X, threads):
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=threads):
        t0 = time.perf_counter()
        km = KMeans(n_clusters=K, n_init=1, max_iter=NITER, init="k-means++", algorithm="lloyd", tol=0,
                    random_state=SEED).fit(X)
        return time.perf_counter() - t0, full_inertia(X, km.cluster_centers_)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", nargs="+", default=["clustered-384-25k", "clustered-384-100k"])
    ap.add_argument("--data", default=os.path.join(ROOT, "Benchmarks", "data"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bench", default=os.path.join(ROOT, ".build", "release", "strata-analytics-bench"))
    ap.add_argument("--no-sklearn", action="store_true")
    args = ap.parse_args()
    results = {}
    for ds in args.datasets:
        path = os.path.join(args.data, f"{ds}.base.fvecs")
        X = read_fvecs(path)
        times = {"strata": [], "faiss (all points)": [], "strata (trained on 16,384 points)": [],
                 "faiss (defaults, 16,384 points)": []}
        inertia = {}
        for _ in range(args.rounds):
            t, i = strata(args.bench, path, args.threads)
            times["strata"].append(t); inertia["strata"] = i
            t, i = faiss_run(X, args.threads, True)
            times["faiss (all points)"].append(t); inertia["faiss (all points)"] = i
            t, i = strata(args.bench, path, args.threads, sample=256 * K)
            times["strata (trained on 16,384 points)"].append(t); inertia["strata (trained on 16,384 points)"] = i
            t, i = faiss_run(X, args.threads, False)
            times["faiss (defaults, 16,384 points)"].append(t); inertia["faiss (defaults, 16,384 points)"] = i
        if not args.no_sklearn:
            t, i = sklearn_run(X, args.threads)
            times["sklearn KMeans (k-means++, once)"] = [t]; inertia["sklearn KMeans (k-means++, once)"] = i
        results[ds] = {"n": int(X.shape[0]), "times": times, "inertia": inertia}
        ref = inertia.get("sklearn KMeans (k-means++, once)")
        base = float(np.median(times["faiss (all points)"]))
        print(f"\n### {ds} (n={X.shape[0]}, d={X.shape[1]}), k={K}, {NITER} iterations, {args.threads} threads, "
              f"{args.rounds} interleaved rounds\n")
        print("| implementation | median s | runs | time ÷ FAISS all points | inertia (float64, all points) | vs sklearn |")
        print("|---|---:|---|---:|---:|---:|")
        for name, ts in times.items():
            med = float(np.median(ts))
            rel = f"{(inertia[name] / ref - 1) * 100:+.2f} %" if ref else "-"
            print(f"| {name} | {med:.3f} | {', '.join(f'{t:.2f}' for t in ts)} | {med / base:.2f} | "
                  f"{inertia[name]:.2f} | {rel} |")
    out = os.path.join(ROOT, "Benchmarks", "peers", "kmeans-compare.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
