#!/usr/bin/env python3
"""The Chroma server beside `filtered_qdrant.py`: the same 25,000 vectors and payloads (tags
left out: Chroma metadata holds no lists), the same requests, one at a time through
chromadb's HTTP client. Run with a virtualenv holding chromadb (../shared/bench's
requirements-chroma.txt); `filtered_qdrant.py --chroma-venv VENV` runs it after its own
rounds and prints the ratios.

Usage: VENV/bin/python Benchmarks/server/filtered_chroma.py BASE.fvecs QUERY.fvecs [--points N] [--requests N] [--port P]
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from filtered_qdrant import LANGS, percentile, read_fvecs, requests  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("queries")
    parser.add_argument("--points", type=int, default=25_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--port", type=int, default=8798)
    args = parser.parse_args()
    import chromadb

    vectors = read_fvecs(args.base, args.points)
    queries = read_fvecs(args.queries, 100)
    folder = tempfile.mkdtemp(prefix="chroma-filtered-")
    chroma = os.path.join(os.path.dirname(sys.executable), "chroma")
    server = subprocess.Popen([chroma, "run", "--path", folder, "--port", str(args.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                client = chromadb.HttpClient(host="127.0.0.1", port=args.port)
                client.heartbeat()
                break
            except Exception:
                time.sleep(0.2)
        collection = client.create_collection("filtered", metadata={"hnsw:space": "cosine"})
        rng = random.Random(3)
        for start in range(0, len(vectors), 1000):
            ids, embeddings, metadatas = [], [], []
            for i in range(start, min(start + 1000, len(vectors))):
                lang, team, stars = rng.choice(LANGS), f"team-{rng.randrange(50)}", rng.randrange(1000)
                rng.sample([f"tag-{t}" for t in range(20)], 2)  # the same draws as the Strata side
                ids.append(str(i))
                embeddings.append(vectors[i])
                metadatas.append({"lang": lang, "team": team, "stars": stars})
            collection.add(ids=ids, embeddings=embeddings, metadatas=metadatas)
        latencies = {"count": [], "query": [], "mixed": []}
        for request in requests(queries, args.requests):
            keyword = {"lang": request["count"][1]["filter"]["must"][0]["match"]["value"]}
            mixed_source = request["mixed"][1]["filter"]
            mixed = {"$and": [keyword, {"stars": {"$gte": 500}}, {"team": {"$ne": mixed_source["must_not"][0]["match"]["value"]}}]}
            started = time.perf_counter()
            len(collection.get(where=keyword, include=[])["ids"])
            latencies["count"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            collection.query(query_embeddings=[request["query"][1]["query"]], n_results=10, where=keyword, include=[])
            latencies["query"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            len(collection.get(where=mixed, include=[])["ids"])
            latencies["mixed"].append((time.perf_counter() - started) * 1000)
        print(json.dumps({f"chroma_{kind}_p50_ms": round(percentile(values, 0.5), 3) for kind, values in latencies.items()}
                         | {f"chroma_{kind}_p99_ms": round(percentile(values, 0.99), 3) for kind, values in latencies.items()}))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
