#!/usr/bin/env python3
"""Filtered Qdrant count and query at 25k points, before and after a keyword payload index
(issue 18, item 3).

Usage: python3 Benchmarks/server/filtered_qdrant.py STRATA_BINARY BASE.fvecs QUERY.fvecs
       [--points 25000] [--requests 300] [--rounds 3] [--port 8799] [--chroma-venv VENV]

Serves a fresh store of its own, creates a Qdrant collection of the file's first `--points`
vectors with payloads {"lang": one of 10, "team": one of 50, "stars": 0..999, "tags": 2 of
20}, then each round measures, one request at a time over a kept-alive connection:

  count  POST /points/count  {"filter": {"must": [{"key": "lang", "match": {"value": L}}]}}
  query  POST /points/query  {"query": vector, "limit": 10, "filter": the same}
  mixed  POST /points/count  lang = L and stars >= 500 and not team = T

first without an index on the fields, then after PUT /index for lang (keyword), stars
(integer) and team (keyword), and then again without (DELETE /index). Every answer of the
indexed phase must equal the unindexed one, request by request. Prints p50 / p99 per phase
and the ratio of the unindexed p50 to the indexed one.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import struct
import subprocess
import tempfile
import time


def read_fvecs(path, limit):
    vectors = []
    with open(path, "rb") as f:
        while len(vectors) < limit:
            head = f.read(4)
            if not head:
                break
            (d,) = struct.unpack("<i", head)
            vectors.append(list(struct.unpack(f"<{d}f", f.read(4 * d))))
    return vectors


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        self.connection.request(method, path, body=data, headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {answer}")
        return answer["result"]


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


LANGS = ["python", "swift", "go", "rust", "java", "kotlin", "ruby", "c", "cpp", "scala"]


def requests(queries, count):
    rng = random.Random(7)
    made = []
    for i in range(count):
        lang = rng.choice(LANGS)
        keyword = {"must": [{"key": "lang", "match": {"value": lang}}]}
        mixed = {"must": [{"key": "lang", "match": {"value": lang}}, {"key": "stars", "range": {"gte": 500}}],
                 "must_not": [{"key": "team", "match": {"value": f"team-{rng.randrange(50)}"}}]}
        made.append({
            "count": ("/points/count", {"filter": keyword, "exact": True}),
            "query": ("/points/query", {"query": queries[i % len(queries)], "limit": 10, "filter": keyword}),
            "mixed": ("/points/count", {"filter": mixed, "exact": True}),
        })
    return made


def measure(client, base, made):
    latencies = {"count": [], "query": [], "mixed": []}
    answers = []
    for request in made:
        row = {}
        for kind, (path, body) in request.items():
            started = time.perf_counter()
            result = client.call("POST", base + path, body)
            latencies[kind].append((time.perf_counter() - started) * 1000)
            row[kind] = result["count"] if kind != "query" else [point["id"] for point in result["points"]]
        answers.append(row)
    return latencies, answers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("strata")
    parser.add_argument("base")
    parser.add_argument("queries")
    parser.add_argument("--points", type=int, default=25_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--chroma-venv", help="a virtualenv with chromadb: run the Chroma server on the same data after, and print the ratios")
    args = parser.parse_args()
    vectors = read_fvecs(args.base, args.points)
    queries = read_fvecs(args.queries, 100)
    folder = tempfile.mkdtemp(prefix="strata-filtered-")
    store = os.path.join(folder, "store")
    subprocess.run([args.strata, "init", "--store", store, "--embedder", "none", "--dim", str(len(vectors[0]))], check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([args.strata, "serve", "--store", store, "--port", str(args.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                client = Client(args.port)
                client.call("GET", "/collections")
                break
            except (ConnectionError, OSError):
                time.sleep(0.1)
        base = "/collections/filtered"
        client.call("PUT", base, {"vectors": {"size": len(vectors[0]), "distance": "Cosine"}})
        rng = random.Random(3)
        for start in range(0, len(vectors), 1000):
            points = [{"id": i, "vector": vectors[i], "payload": {
                "lang": rng.choice(LANGS), "team": f"team-{rng.randrange(50)}", "stars": rng.randrange(1000),
                "tags": rng.sample([f"tag-{t}" for t in range(20)], 2)}} for i in range(start, min(start + 1000, len(vectors)))]
            client.call("PUT", base + "/points?wait=true", {"points": points})
        made = requests(queries, args.requests)
        indexes = [("lang", "keyword"), ("stars", "integer"), ("team", "keyword")]
        rows = []
        for round_number in range(args.rounds):
            plain, expected = measure(client, base, made)
            for field, schema in indexes:
                client.call("PUT", base + "/index?wait=true", {"field_name": field, "field_schema": schema})
            indexed, answers = measure(client, base, made)
            mismatches = sum(1 for a, b in zip(answers, expected) if a != b)
            for field, _ in indexes:
                client.call("DELETE", base + f"/index/{field}")
            row = {"round": round_number + 1, "mismatches": mismatches}
            for kind in plain:
                row[f"{kind}_unindexed_p50_ms"] = round(percentile(plain[kind], 0.5), 3)
                row[f"{kind}_unindexed_p99_ms"] = round(percentile(plain[kind], 0.99), 3)
                row[f"{kind}_indexed_p50_ms"] = round(percentile(indexed[kind], 0.5), 3)
                row[f"{kind}_indexed_p99_ms"] = round(percentile(indexed[kind], 0.99), 3)
                row[f"{kind}_speedup_p50"] = round(percentile(plain[kind], 0.5) / percentile(indexed[kind], 0.5), 1)
            rows.append(row)
            print(json.dumps(row), flush=True)
        summary = {"points": len(vectors), "requests_per_round": args.requests, "mismatches": sum(r["mismatches"] for r in rows)}
        for kind in ("count", "query", "mixed"):
            summary[f"{kind}_indexed_p50_ms_median"] = statistics.median(r[f"{kind}_indexed_p50_ms"] for r in rows)
            summary[f"{kind}_unindexed_p50_ms_median"] = statistics.median(r[f"{kind}_unindexed_p50_ms"] for r in rows)
        print(json.dumps(summary), flush=True)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)
    if args.chroma_venv:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "filtered_chroma.py")
        answer = subprocess.run([os.path.join(args.chroma_venv, "bin", "python"), script, args.base, args.queries, "--points", str(args.points),
                                 "--requests", str(args.requests)], capture_output=True, text=True, check=True)
        chroma = json.loads(answer.stdout.strip().splitlines()[-1])
        print(json.dumps(chroma | {f"{kind}_chroma_over_strata_indexed_p50": round(chroma[f"chroma_{kind}_p50_ms"] / summary[f"{kind}_indexed_p50_ms_median"], 1)
                                   for kind in ("count", "query", "mixed")}))


if __name__ == "__main__":
    main()
