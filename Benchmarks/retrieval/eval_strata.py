#!/usr/bin/env python3
"""Strata on the dev set of make_devset.py: MRR@10, recall@10, latency, renamed top-1.

For each corpus (doc, nodoc): `strata init --store TMP` (default settings), `strata import
patterns-<corpus>.jsonl --store TMP`, then `strata serve --store TMP --port P` and the 500
queries as `POST /v1/search {"text", "k": 10, "with_text": false}` over one keep-alive
connection (what `strata search TEXT --k 10` asks the store). With --modes hybrid,dense,lexical
each query is asked once per mode with a "mode" field; a server that does not know the field
ignores it (the answer then says nothing of a mode, and the report marks it). The doc store also
answers renamed.jsonl (each renamed copy's text as the query): the rate of the original at rank 1.

Answers the default store merged into another pattern (near-duplicate dedup at 0.95) are
counted as misses and reported as `answers_missing`; `mrr10_present` scores only the queries
whose answer is stored.

  python3 eval_strata.py --strata .build/release/strata --data /tmp/retrieval/devset --out FILE.json
Only the Python standard library is needed.
"""
import argparse, http.client, json, os, shutil, socket, subprocess, sys, tempfile, time

import statistics


def load(path):
    return [json.loads(l) for l in open(path, encoding="utf-8")]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    raise


def wait_ready(port, proc, timeout=600):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"strata serve exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                return time.time() - t0
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError("strata serve not ready")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else None


def run(cmd, **kw):
    t0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r, time.time() - t0


def ask(client, text, k, mode):
    body = {"text": text, "k": k, "with_text": False}
    if mode:
        body["mode"] = mode
    t = time.perf_counter()
    status, raw = client.call("POST", "/v1/search", body)
    dt = time.perf_counter() - t
    if status != 200:
        return None, dt, None, raw[:300].decode("utf-8", "replace")
    ans = json.loads(raw)
    return [h["id"] for h in ans["results"]], dt, ans, None


def score(ranked, answers):
    rr, hit = [], []
    for r, a in zip(ranked, answers):
        i = next((j for j, x in enumerate((r or [])[:10]) if x == a), None)
        rr.append(0.0 if i is None else 1 / (i + 1))
        hit.append(i is not None)
    return rr, hit


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--strata", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--modes", default="", help="comma list of search modes to send (hybrid,dense,lexical); none: the default")
    ap.add_argument("--corpora", default="doc,nodoc")
    ap.add_argument("--workdir", default="/tmp/retrieval/stores")
    ap.add_argument("--keep", action="store_true", help="keep the stores")
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args()
    strata = os.path.abspath(args.strata)
    modes = [m for m in args.modes.split(",") if m] or [None]
    queries = load(os.path.join(args.data, "queries.jsonl"))
    renamed = load(os.path.join(args.data, "renamed.jsonl"))
    version = subprocess.run([strata, "--version"], capture_output=True, text=True).stdout.strip()
    result = {"strata": strata, "version": version, "data": os.path.abspath(args.data), "queries": len(queries), "corpora": {}}
    os.makedirs(args.workdir, exist_ok=True)
    for c in args.corpora.split(","):
        path = os.path.abspath(os.path.join(args.data, f"patterns-{c}.jsonl"))
        units = sum(1 for _ in open(path))
        store = tempfile.mkdtemp(prefix=f"{c}-", dir=args.workdir)
        shutil.rmtree(store)
        out = result["corpora"][c] = {"units": units, "store": store}
        _, out["init_s"] = run([strata, "init", "--store", store])
        r, out["import_s"] = run([strata, "import", path, "--store", store, "--json"])
        last = [l for l in r.stdout.splitlines() if l.startswith("{")]
        out["import"] = json.loads(last[-1]) if last else r.stdout.strip()[-300:]
        print(f"{c}: imported {units} in {out['import_s']:.0f}s: {out['import']}", file=sys.stderr)
        # Which ids the store kept (merged ones are gone): an export, before the server holds the store.
        exported = os.path.join(args.workdir, f"export-{c}.jsonl")
        run([strata, "export", exported, "--store", store])
        stored = {json.loads(l)["id"] for l in open(exported, encoding="utf-8")}
        os.remove(exported)
        port = free_port()
        log = open(os.path.join(args.workdir, f"serve-{c}.log"), "w")
        proc = subprocess.Popen([strata, "serve", "--store", store, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
        try:
            out["serve_ready_s"] = round(wait_ready(port, proc), 2)
            client = Client(port)
            present = [q["answer"] in stored for q in queries]
            out["answers_missing"] = present.count(False)
            rankings = {}
            for mode in modes:
                name = mode or "default"
                ranked, lat, took, errors, echoed = [], [], [], [], set()
                for q in queries:
                    ids, dt, ans, err = ask(client, q["text"], args.k, mode)
                    ranked.append(ids)
                    lat.append(dt)
                    if err:
                        errors.append(err)
                    elif ans:
                        took.append(ans.get("took_us", 0) / 1e3)
                        for key in ("mode", "plan"):
                            if key in ans:
                                echoed.add(f"{key}={ans[key]}")
                rankings[name] = ranked
                rr, hit = score(ranked, [q["answer"] for q in queries])
                m = {"mrr10": round(statistics.mean(rr), 4), "recall10": round(statistics.mean(hit), 4),
                     "client_p50_ms": round(pct(lat, 50) * 1e3, 3), "client_p99_ms": round(pct(lat, 99) * 1e3, 3),
                     "server_p50_ms": round(pct(took, 50), 3) if took else None, "server_p99_ms": round(pct(took, 99), 3) if took else None,
                     "mrr10_present": round(statistics.mean([x for x, p in zip(rr, present) if p] or [0]), 4),
                     "errors": len(errors), "answer_fields": sorted(echoed)}
                if errors:
                    m["first_error"] = errors[0]
                if mode and not any(e.startswith("mode=") for e in echoed):
                    m["note"] = "the server's answers name no mode: it may have ignored the field"
                out[name] = m
                print(f"{c} {name}: MRR@10 {m['mrr10']}, recall@10 {m['recall10']}, p50 {m['client_p50_ms']} ms, errors {len(errors)}", file=sys.stderr)
                if c == "doc":
                    top1 = []
                    for r_ in renamed:
                        ids, _, _, err = ask(client, r_["text"], args.k, mode)
                        top1.append(bool(ids) and ids[0] == r_["answer"])
                    out.setdefault("renamed_top1", {})[name] = round(statistics.mean(top1), 4)
                    print(f"{c} {name}: renamed top-1 {out['renamed_top1'][name]}", file=sys.stderr)
            if len(rankings) > 1:
                first = next(iter(rankings.values()))
                out["modes_identical"] = all(r == first for r in rankings.values())
                if out["modes_identical"]:
                    print(f"{c}: every mode gave the same rankings: the server ignores \"mode\"?", file=sys.stderr)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
        if not args.keep:
            shutil.rmtree(store, ignore_errors=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    rows = ["| strata mode | corpus | MRR@10 | recall@10 | p50 ms | p99 ms |", "|---|---|---|---|---|---|"]
    for c, out in result["corpora"].items():
        for k, v in out.items():
            if isinstance(v, dict) and "mrr10" in v:
                rows.append(f"| {k} | {c} | {v['mrr10']:.3f} | {v['recall10']:.3f} | {v['client_p50_ms']:.2f} | {v['client_p99_ms']:.2f} |")
    if "renamed_top1" in result["corpora"].get("doc", {}):
        rows.append("\nrenamed copies, top-1 = original: " + ", ".join(f"{k} {v:.3f}" for k, v in result["corpora"]["doc"]["renamed_top1"].items()))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
