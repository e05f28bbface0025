#!/usr/bin/env python3
"""Search latency beside a long job on a served store (issue 18).

Usage: python3 Benchmarks/server/long_job.py BASE_URL QUERIES_FILE [--k 32] [--restarts 1] [--rounds 3]

QUERIES_FILE holds one search text per line. Each round measures POST /v1/search one request at
a time for 5 s alone, then again while a POST /v1/clusters (k-means over the whole store) runs,
and prints p50 / p99 of both and how long the cluster run took. The client shares the machine
with the server: on 2 cores its own scheduling is part of what it measures.
"""
import argparse
import json
import statistics
import threading
import time
import urllib.request


def post(base, path, body, timeout=600):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def searches(base, texts, until):
    """Latencies in ms of sequential searches until `until()` says stop."""
    latencies, i = [], 0
    while not until():
        started = time.perf_counter()
        post(base, "/v1/search", {"text": texts[i % len(texts)], "k": 10})
        latencies.append((time.perf_counter() - started) * 1000)
        i += 1
    return latencies


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("queries")
    parser.add_argument("--k", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--restarts", type=int, default=1)
    args = parser.parse_args()
    texts = [line.strip() for line in open(args.queries) if line.strip()]
    rows = []
    for round_number in range(args.rounds):
        deadline = time.time() + 5
        alone = searches(args.base, texts, lambda: time.time() > deadline)
        finished = threading.Event()
        took = {}

        def cluster():
            started = time.time()
            post(args.base, "/v1/clusters", {"k": args.k, "restarts": args.restarts})
            took["seconds"] = time.time() - started
            finished.set()

        job = threading.Thread(target=cluster)
        job.start()
        beside = searches(args.base, texts, finished.is_set)
        job.join()
        row = {"round": round_number + 1, "alone_p50_ms": percentile(alone, 0.5), "alone_p99_ms": percentile(alone, 0.99),
               "beside_p50_ms": percentile(beside, 0.5), "beside_p99_ms": percentile(beside, 0.99),
               "beside_searches": len(beside), "cluster_seconds": took["seconds"]}
        rows.append(row)
        print(json.dumps(row))
    print(json.dumps({"median_p99_ratio": statistics.median(r["beside_p99_ms"] / r["alone_p99_ms"] for r in rows),
                      "median_cluster_seconds": statistics.median(r["cluster_seconds"] for r in rows)}))


if __name__ == "__main__":
    main()
