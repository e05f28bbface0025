#!/usr/bin/env python3
"""Features offline (issue 19): every shipped workflow for five entities, each made with its
independent nodes at once and one after another, alternating, then every feature's tests.

Usage: python3 Benchmarks/generation/features.py STRATA [--store DIR] [--rounds 3]
       python3 Benchmarks/generation/features.py STRATA --learning

For each workflow x entity, `rounds` times each way: `strata generate --workflow W --entity E
--fields F --json` (with `--sequential` for one after another), timing the whole process (end
to end, start-up included) and reading the feature's own `seconds` and `node_seconds` (the
nodes' pipelines added up). Prints per workflow the median process time, the median in-process
time of both ways and their ratio; then runs `python3 -m pytest` over every feature made and
prints its summary. With --store, generations retrieve from (and learn into) that store.

With --learning: a fresh store seeded with Fixtures/patterns/onex-nodes.jsonl, then the crud
feature for User, Order and Invoice in turn. Prints each feature's quality, the stored feature
it was based on (and how similar), and per node its quality and whether its RAG lookup returned
the first feature's node of the same role.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

WORKFLOWS = ["crud", "event-handler", "api-endpoint", "etl"]
ENTITIES = [
    ("User", "name:str,email:str"),
    ("Order", "total:float,paid:bool"),
    ("OrderLine", "sku:str,quantity:int"),
    ("Category", "title:str"),
    ("ClassRoom", "capacity:int,label:str"),
]


def generate(strata, workflow, entity, fields, out, store, sequential):
    command = [strata, "generate", f"Build the {workflow} feature for {entity}", "--workflow", workflow, "--entity", entity,
               "--fields", fields, "--out", out, "--store", store, "--json", "--force"]
    if sequential:
        command.append("--sequential")
    started = time.perf_counter()
    answer = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if answer.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {answer.stderr.strip()}")
    result = json.loads(answer.stdout)
    return wall, result


def learning(strata):
    folder = tempfile.mkdtemp(prefix="strata-feature-learning-")
    store = os.path.join(folder, "store")
    corpus = os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "patterns", "onex-nodes.jsonl")
    try:
        for command in ([strata, "init", "--store", store], [strata, "import", corpus, "--store", store]):
            subprocess.run(command, check=True, capture_output=True)
        first = None
        for entity, fields in [("User", "name:str,email:str"), ("Order", "total:float,paid:bool"), ("Invoice", "amount:float,customer:str")]:
            _, result = generate(strata, "crud", entity, fields, os.path.join(folder, "out"), store, False)
            first = first or result
            nodes = {}
            for node in result["nodes"]:
                earlier = next(n for n in first["nodes"] if n["role"] == node["role"])
                stored = (result.get("based_on") or {}).get("nodes", {}).get(node["role"])
                nodes[node["role"]] = {"quality": round(node["quality"], 3), "first_quality": round(earlier["quality"], 3),
                                       "retrieved_first_features_node": stored is not None and any(p["id"] == stored for p in node["patterns"])}
            based = result.get("based_on")
            print(json.dumps({"entity": entity, "quality": round(result["quality"], 3), "stored_as": result["stored_as"],
                              "based_on": based and {"id": based["id"], "similarity": round(based["similarity"], 3)}, "nodes": nodes}), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("strata")
    parser.add_argument("--store", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--learning", action="store_true")
    args = parser.parse_args()
    if args.learning:
        learning(args.strata)
        return
    folder = tempfile.mkdtemp(prefix="strata-features-")
    store = args.store or os.path.join(folder, "no-store")
    rows = []
    try:
        for workflow in WORKFLOWS:
            walls, concurrent, sequential, gates = [], [], [], True
            for entity, fields in ENTITIES:
                out = os.path.join(folder, f"{workflow}-{entity}")
                for _ in range(args.rounds):
                    for ordered in (False, True):
                        wall, result = generate(args.strata, workflow, entity, fields, out, store, ordered)
                        gates = gates and result["all_gates_passed"]
                        if ordered:
                            sequential.append(result["seconds"])
                        else:
                            walls.append(wall)
                            concurrent.append(result["seconds"])
            row = {"workflow": workflow, "nodes": len(result["nodes"]), "features": len(ENTITIES), "all_gates_passed": gates,
                   "process_seconds_median": round(statistics.median(walls), 3),
                   "concurrent_seconds_median": round(statistics.median(concurrent), 3),
                   "sequential_seconds_median": round(statistics.median(sequential), 3),
                   "ratio": round(statistics.median(concurrent) / statistics.median(sequential), 2)}
            rows.append(row)
            print(json.dumps(row), flush=True)
        tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", folder], capture_output=True, text=True)
        summary = tests.stdout.strip().splitlines()[-1] if tests.stdout.strip() else tests.stderr.strip()
        print(json.dumps({"pytest_exit": tests.returncode, "pytest": summary, "features": len(WORKFLOWS) * len(ENTITIES)}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
