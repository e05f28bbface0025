#!/usr/bin/env python3
"""A snapshot of a serving store taken while a writer adds patterns (issue 20's target).

Serves STORE, adds patterns to it one at a time over HTTP (each acknowledged by its 201), takes
`strata snapshot create` beside the server meanwhile, restores the archive into a new folder and
checks it: `strata verify` is clean; every pattern acknowledged before the snapshot began is in
it, and none acknowledged after it ended; and, once the source has the same patterns (the ones
added after the snapshot deleted), exact searches of both answer the same ids. Prints one JSON
object. The source is written to: give it a scratch store.

  snapshot_under_writer.py make CORPUS.jsonl STORE [--count 100000]   # a store of COUNT patterns
  snapshot_under_writer.py run STORE QUERIES.txt [--bin B] [--port P]
CORPUS.jsonl is make_corpus.py's patterns.jsonl; its functions are repeated under new names
(`name_v2`) up to COUNT, as the standard library has some 29,000.
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def serve(binary, store, port):
    process = subprocess.Popen([binary, "serve", "--store", store, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if call(base, "GET", "/healthz")[0] == 200:
                return process, base
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"strata serve on {store} did not start")


def make(args):
    records = [json.loads(line) for line in open(args.corpus)]
    out = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False)
    for index in range(args.count):
        record, variant = dict(records[index % len(records)]), index // len(records)
        if variant:
            record["id"] = f"{record['id']}-v{variant}"
            record["text"] = re.sub(r"def (\w+)", lambda m: f"def {m.group(1)}_v{variant}", record["text"], count=1)
        out.write(json.dumps(record) + "\n")
    out.close()
    subprocess.run([args.bin, "init", "--store", args.store, "--near-duplicate", "off"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([args.bin, "import", out.name, "--store", args.store], check=True)
    os.unlink(out.name)


def run(args):
    queries = [line.strip() for line in open(args.queries) if line.strip()][:50]
    source, base = serve(args.bin, args.store, args.port)
    acknowledged, stop = [], threading.Event()

    def writer():
        index = 0
        while not stop.is_set():
            pattern = {"id": f"live-{index}", "text": f"def live_{index}(rows):\n    return [row for row in rows if row.key == {index}]\n", "node_type": "compute"}
            if call(base, "POST", "/v1/patterns", pattern)[0] == 201:
                acknowledged.append(pattern["id"])
            index += 1

    work = tempfile.mkdtemp(prefix="strata-snapshot-")
    archive, restored_folder = os.path.join(work, "snap.strata"), os.path.join(work, "restored")
    try:
        thread = threading.Thread(target=writer)
        thread.start()
        time.sleep(2)
        before = set(acknowledged)
        started = time.monotonic()
        created = json.loads(subprocess.run([args.bin, "snapshot", "create", "--store", args.store, "--out", archive, "--json"],
                                            check=True, capture_output=True, text=True).stdout)
        create_seconds = time.monotonic() - started
        after = set(acknowledged)
        time.sleep(1)
        stop.set()
        thread.join()
        restore = subprocess.run([args.bin, "snapshot", "restore", archive, "--store", restored_folder, "--json"], capture_output=True, text=True)
        verify = subprocess.run([args.bin, "verify", "--store", restored_folder], capture_output=True, text=True)
        copy, copy_base = serve(args.bin, restored_folder, args.port + 1)
        try:
            held = {pattern for pattern in acknowledged if call(copy_base, "GET", f"/v1/patterns/{pattern}")[0] == 200}
            for pattern in acknowledged:
                if pattern not in held:
                    call(base, "DELETE", f"/v1/patterns/{pattern}")
            equal, overlap = 0, 0.0
            for query in queries:
                exact = {"text": query, "k": 10, "exact": True, "mode": "dense"}
                ids = [[hit["id"] for hit in call(b, "POST", "/v1/search", exact)[1]["results"]] for b in (base, copy_base)]
                equal += ids[0] == ids[1]
                graph = [{hit["id"] for hit in call(b, "POST", "/v1/search", {"text": query, "k": 10, "mode": "dense"})[1]["results"]} for b in (base, copy_base)]
                overlap += len(graph[0] & graph[1]) / 10
            counts = [call(b, "GET", "/readyz")[1].get("patterns") for b in (base, copy_base)]
        finally:
            copy.terminate()
            copy.wait()
        print(json.dumps({
            "snapshot": created, "create_seconds_wall": round(create_seconds, 3), "restore_exit": restore.returncode,
            "verify_exit": verify.returncode, "verify": verify.stdout.strip()[-300:],
            "acknowledged": {"before": len(before), "during": len(after - before), "all": len(acknowledged)},
            "held": {"live": len(held), "missing_acknowledged_before": len(before - held), "acknowledged_after_end": len(held - after)},
            "patterns": {"snapshot_says": created["patterns"], "source_after_deletes": counts[0], "restored": counts[1]},
            "exact_search_equal": f"{equal}/{len(queries)}", "graph_overlap_at_10": round(overlap / len(queries), 4),
        }, indent=1))
    finally:
        source.terminate()
        source.wait()
        shutil.rmtree(work, ignore_errors=True)


parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--bin", default=".build/release/strata")
parser.add_argument("--port", type=int, default=18790)
sub = parser.add_subparsers(dest="command", required=True)
m = sub.add_parser("make")
m.add_argument("corpus")
m.add_argument("store")
m.add_argument("--count", type=int, default=100_000)
r = sub.add_parser("run")
r.add_argument("store")
r.add_argument("queries")
args = parser.parse_args()
make(args) if args.command == "make" else run(args)
