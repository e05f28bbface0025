#!/usr/bin/env python3
"""Chroma (PersistentClient) on the store benchmark's data, with the same vectors Strata uses.

Reads <data>/patterns.jsonl + patterns.fvecs and queries.fvecs (make them with
make_corpus.py and `strata embed`), adds everything to a fresh persistent collection
(cosine, M=16, ef_construction=128, ef_search=128, like Strata's defaults) in batches, then
runs every query one at a time, unfiltered and with each --filter, k=10, fetching metadata
and documents as a RAG lookup does. Prints and writes JSON: import seconds, p50/p95/p99 µs and
QPS per filter. Run it beside `make bench-store`, same sitting.
"""
import argparse, json, os, shutil, struct, sys, tempfile, time

import numpy as np


def read_fvecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    dim = raw[0]
    return raw.reshape(-1, dim + 1)[:, 1:].view(np.float32).copy()


def where_of(expression):
    """node_type=effect,quality>=0.5 → a Chroma where clause."""
    clauses = []
    for clause in expression.split(","):
        for op, chroma in ((">=", "$gte"), ("<=", "$lte"), ("=", "$eq")):
            if op in clause:
                key, value = clause.split(op, 1)
                if "|" in value:
                    clauses.append({key: {"$in": value.split("|")}})
                else:
                    clauses.append({key: {chroma: float(value) if key == "quality" else value}})
                break
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(np.ceil(p * len(values))) - 1))]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", required=True)
    parser.add_argument("--filters", nargs="*", default=["node_type=effect", "node_type=effect,quality>=0.5"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--ef-construction", type=int, default=128, help="Strata's default, for equal graph settings")
    args = parser.parse_args()
    import chromadb
    from chromadb.config import Settings

    records = [json.loads(line) for line in open(os.path.join(args.data, "patterns.jsonl"))]
    vectors = read_fvecs(os.path.join(args.data, "patterns.fvecs"))
    queries = read_fvecs(os.path.join(args.data, "queries.fvecs"))
    assert len(records) == len(vectors), (len(records), len(vectors))
    root = tempfile.mkdtemp(prefix="chroma-store-")
    client = chromadb.PersistentClient(path=root, settings=Settings(anonymized_telemetry=False))
    collection = client.create_collection("patterns", configuration={"hnsw": {
        "space": "cosine", "max_neighbors": 16, "ef_construction": args.ef_construction, "ef_search": 128}})
    batch = min(5000, client.get_max_batch_size())
    started = time.perf_counter()
    for start in range(0, len(records), batch):
        chunk = records[start:start + batch]
        collection.add(
            ids=[r["id"] for r in chunk], embeddings=vectors[start:start + len(chunk)],
            documents=[r["text"] for r in chunk],
            metadatas=[{"name": r["name"], "kind": r["kind"], "node_type": r["node_type"], "domain": r["domain"],
                        "language": r["language"], "quality": float(r["quality"])} for r in chunk])
    import_seconds = time.perf_counter() - started
    collection.query(query_embeddings=queries[:1], n_results=10)
    result = {"peer": "chromadb", "version": chromadb.__version__, "ef_construction": args.ef_construction, "patterns": len(records), "queries": len(queries),
              "import_seconds": import_seconds, "search": {}}
    print(f"chroma import: {len(records)} patterns in {import_seconds:.2f} s")
    for expression in [""] + args.filters:
        where = where_of(expression) if expression else None
        best = None
        for _ in range(args.passes):
            latencies = []
            begin = time.perf_counter()
            for q in queries:
                t = time.perf_counter()
                collection.query(query_embeddings=q[None, :], n_results=10, where=where, include=["metadatas", "documents", "distances"])
                latencies.append((time.perf_counter() - t) * 1e6)
            total = time.perf_counter() - begin
            if best is None or total < best[1]:
                best = (latencies, total)
        latencies, total = best
        row = {"p50_us": percentile(latencies, 0.5), "p95_us": percentile(latencies, 0.95), "p99_us": percentile(latencies, 0.99),
               "qps": len(latencies) / total}
        result["search"][expression or "none"] = row
        print(f"chroma query filter={expression or 'none'}: p50 {row['p50_us']:.0f} µs p99 {row['p99_us']:.0f} µs {row['qps']:.0f} QPS")
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
    del collection, client
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
