#!/usr/bin/env python3
"""Strata beside the peers, from one sitting's JSON files.

    python3 Benchmarks/compare.py Benchmarks/peers 25k 100k

reads  <dir>/peers-clustered-384-<n>.json   (../shared/bench/peers.py)
       <dir>/strata-<n>-none.json, strata-<n>-int8.json, strata-<n>-none-1t.json  (strata bench --json)
and prints markdown: per engine and ef, recall@10, single-thread QPS one query per call,
p50/p99 latency, batch QPS; build times; bytes per vector; and the ratios the issue's targets
are stated in, at the lowest ef where each engine reaches recall@10 >= 0.95.
"""
import json
import os
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def first_at(points, recall):
    ok = [p for p in points if p["recall"] >= recall]
    return min(ok, key=lambda p: p["ef"]) if ok else None


def peers_points(r):
    return [{"ef": s["ef"], "recall": s["recall"], "qps": s["qps_1by1"], "p50": s["lat_p50_us"],
             "p99": s["lat_p99_us"], "batch": s["qps_batch_2t"]} for s in r.get("search", []) if s.get("ef")]


def strata_points(r):
    return [{"ef": s["ef"], "recall": s["recall_at_10"], "qps": s["qps"], "p50": s["p50_us"],
             "p99": s["p99_us"], "batch": s["qps_batch"]} for s in r["search"]]


def main():
    folder, sizes = sys.argv[1], sys.argv[2:]
    for n in sizes:
        peers = load(os.path.join(folder, f"peers-clustered-384-{n}.json"))["results"]
        engines = {}
        for name, r in peers.items():
            engines[name] = {
                "points": peers_points(r),
                "build1": r.get("build_1t", {}).get("seconds"),
                "build2": r.get("build_2t", {}).get("seconds"),
                "bytes": r.get("memory", {}).get("bytes_per_vector"),
                "flat_batch": (r["search"][0]["qps_batch_2t"] if name == "faiss-flat" else None),
            }
        for q in ("none", "int8"):
            path = os.path.join(folder, f"strata-{n}-{q}.json")
            if not os.path.exists(path):
                continue
            s = load(path)
            one = os.path.join(folder, f"strata-{n}-{q}-1t.json")
            engines[f"strata" + ("" if q == "none" else "-int8")] = {
                "points": strata_points(s),
                "build1": load(one)["build"]["seconds"] if os.path.exists(one) else None,
                "build2": s["build"]["seconds"],
                "bytes": s["memory"]["bytes"] / s["n"],
                "file_bytes": s["memory"]["file_bytes"] / s["n"],
                "flat_batch": s["exact"]["qps_batch"],
                "open": s["open"],
            }
        print(f"\n### clustered-384-{n}\n")
        print("| engine | ef | recall@10 | QPS 1 thread | p50 µs | p99 µs | batch QPS 2T |")
        print("|---|---|---|---|---|---|---|")
        for name, e in engines.items():
            for p in e["points"]:
                print(f"| {name} | {p['ef']} | {p['recall']:.4f} | {p['qps']:,.0f} | {p['p50']:.0f} | {p['p99']:.0f} | {p['batch']:,.0f} |")
        print("\n| engine | build 1T s | build 2T s | bytes/vector (memory) | exact batch QPS |")
        print("|---|---|---|---|---|")
        for name, e in engines.items():
            b1 = f"{e['build1']:.2f}" if e["build1"] else "-"
            b2 = f"{e['build2']:.2f}" if e["build2"] else "-"
            by = f"{e['bytes']:.0f}" if e["bytes"] else "-"
            fb = f"{e['flat_batch']:,.0f}" if e["flat_batch"] else "-"
            print(f"| {name} | {b1} | {b2} | {by} | {fb} |")
        print("\nRatios at the lowest ef reaching recall@10 ≥ 0.95 (ef in brackets):\n")
        strata = engines.get("strata")
        if not strata:
            continue
        mine = first_at(strata["points"], 0.95)
        for peer in ("hnswlib", "usearch", "faiss-hnsw"):
            if peer not in engines:
                continue
            theirs = first_at(engines[peer]["points"], 0.95)
            if mine and theirs:
                print(f"- single-thread QPS vs {peer}: {mine['qps']:,.0f} ({mine['ef']}) / {theirs['qps']:,.0f} ({theirs['ef']}) = **{mine['qps'] / theirs['qps']:.2f}×**")
        if "hnswlib" in engines and engines["hnswlib"]["build2"]:
            print(f"- build 2T vs hnswlib: {strata['build2']:.2f} s / {engines['hnswlib']['build2']:.2f} s = **{strata['build2'] / engines['hnswlib']['build2']:.2f}×**")
            print(f"- memory vs hnswlib's index: {strata['bytes']:.0f} / {engines['hnswlib']['bytes']:.0f} bytes per vector = **{strata['bytes'] / engines['hnswlib']['bytes']:.2f}×** (segment file: {strata['file_bytes']:.0f})")
        if "faiss-flat" in engines:
            f = engines["faiss-flat"]["flat_batch"]
            print(f"- exact batch vs FAISS IndexFlatIP (2 threads): {strata['flat_batch']:,.0f} / {f:,.0f} QPS = **{strata['flat_batch'] / f:.2f}×**")
        o = strata["open"]
        print(f"- segment open {o['ms']:.3f} ms, first query {o['first_query_ms']:.3f} ms (after dropping the page cache: {o.get('cold_first_query_ms') or float('nan'):.1f} ms)")


if __name__ == "__main__":
    main()
