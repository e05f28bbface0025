#!/usr/bin/env python3
"""Ratios to hnswlib from paired_rounds.sh's JSON: per kernel level and traversal, single-thread
QPS at the lowest ef reaching recall@10 >= 0.95 (hnswlib at its own such ef), per round and the
median; build time with 2 threads as a ratio to hnswlib's; the CPU the figures come from.

    python3 Benchmarks/kernels/summarize.py OUT DATASET
"""
import glob, json, os, statistics, sys

out, dataset = sys.argv[1], sys.argv[2]
rows, cpu = {}, "unknown"
for peers_path in sorted(glob.glob(os.path.join(out, "r*", f"peers-{dataset}.json"))):
    round_dir = os.path.dirname(peers_path)
    hnsw = json.load(open(peers_path))["results"]["hnswlib"]
    points = [s for s in hnsw["search"] if s.get("ef") and s["recall"] >= 0.95]
    if not points:
        continue
    h = min(points, key=lambda s: s["ef"])
    for path in sorted(glob.glob(f"{round_dir}-{dataset}-*.json")):
        s = json.load(open(path))
        level, traversal = path[:-5].rsplit("-", 2)[-2:]
        cpu = s.get("kernels", {}).get("cpu", cpu)
        ok = [p for p in s["search"] if p["recall_at_10"] >= 0.95]
        if not ok:
            continue
        b = min(ok, key=lambda p: p["ef"])
        rows.setdefault((level, traversal), []).append(
            (b["qps"] / h["qps_1by1"], s["build"]["seconds"] / hnsw["build_2t"]["seconds"], b["ef"], h["ef"]))
print(f"{dataset} on {cpu}: QPS ratio to hnswlib at recall@10 >= 0.95 (Strata ef / hnswlib ef), build ratio")
print("| level | traversal | QPS ratio per round | median | build ratio per round |")
print("|---|---|---|---|---|")
for (level, traversal), v in sorted(rows.items()):
    print(f"| {level} | {traversal} | {', '.join(f'{x[0]:.2f} ({x[2]}/{x[3]})' for x in v)} | {statistics.median(x[0] for x in v):.2f} | "
          f"{', '.join(f'{x[1]:.2f}' for x in v)} |")
