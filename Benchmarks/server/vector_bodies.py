#!/usr/bin/env python3
"""Request bodies for the HTTP vector-search benchmark: the first COUNT vectors of a TEXMEX
.fvecs file, each written as serve_peers.sh writes them (7 decimals), one JSON body a line.

Writes <out>/native.txt (POST /v1/search: {"vector", "k": 10}) and <out>/qdrant.txt
(POST /collections/{c}/points/query: {"query", "limit": 10, "with_payload": true}).
Usage: vector_bodies.py QUERIES.fvecs OUT_DIR [--count 200]
"""
import argparse, json, os, struct


def fvecs(path):
    with open(path, "rb") as f:
        while header := f.read(4):
            (dim,) = struct.unpack("<i", header)
            yield struct.unpack(f"<{dim}f", f.read(4 * dim))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("queries")
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    vectors = [[round(float(x), 7) for x in v] for _, v in zip(range(args.count), fvecs(args.queries))]
    with open(os.path.join(args.out, "native.txt"), "w") as f:
        for v in vectors:
            f.write(json.dumps({"vector": v, "k": 10}) + "\n")
    with open(os.path.join(args.out, "qdrant.txt"), "w") as f:
        for v in vectors:
            f.write(json.dumps({"query": v, "limit": 10, "with_payload": True}) + "\n")
    print(f"{len(vectors)} bodies of {len(vectors[0])} dimensions in {args.out}")


main()
