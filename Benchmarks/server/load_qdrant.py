#!/usr/bin/env python3
"""Loads a Qdrant collection of a running `strata serve` with the vectors of a TEXMEX .fvecs
file and, as payload, the "name" and "text" of the same line of a JSONL file (the points of
the Qdrant side of the HTTP benchmark: the same data as the native store's patterns).

Usage: load_qdrant.py URL COLLECTION PATTERNS.jsonl PATTERNS.fvecs [--distance Cosine]
"""
import argparse, json, struct, urllib.request


def call(method, url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        return json.loads(answer.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("collection")
    parser.add_argument("patterns")
    parser.add_argument("vectors")
    parser.add_argument("--distance", default="Cosine")
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    base = f"{args.url}/collections/{args.collection}"
    with open(args.vectors, "rb") as f:
        (dim,) = struct.unpack("<i", f.read(4))
    call("PUT", base, {"vectors": {"size": dim, "distance": args.distance}})
    points, total = [], 0
    with open(args.patterns) as lines, open(args.vectors, "rb") as vectors:
        for index, line in enumerate(lines):
            record = json.loads(line)
            (d,) = struct.unpack("<i", vectors.read(4))
            vector = list(struct.unpack(f"<{d}f", vectors.read(4 * d)))
            points.append({"id": index, "vector": vector, "payload": {"name": record.get("name", ""), "text": record["text"]}})
            if len(points) == args.batch:
                call("PUT", base + "/points?wait=true", {"points": points})
                total += len(points)
                points = []
    if points:
        call("PUT", base + "/points?wait=true", {"points": points})
        total += len(points)
    print(f"{total} points of {dim} dimensions in collection {args.collection}")


main()
