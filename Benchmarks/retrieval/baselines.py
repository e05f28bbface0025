#!/usr/bin/env python3
"""Reference retrievers on the dev set of make_devset.py: MRR@10, recall@10, latency.

For each corpus (patterns-doc.jsonl, patterns-nodoc.jsonl) and the 500 queries:
  bm25          Okapi BM25, k1 1.2, b 0.75, idf log(1 + (N - n + .5) / (n + .5)); text and query
                tokenized alike: identifiers split the way code is named (snake_case, camelCase,
                digits, acronyms: HTTPServer -> http, server), lowercased, no stop words
  minilm-128    all-MiniLM-L6-v2 through sentence-transformers, max_seq_length 128, cosine
  minilm-256    the same at 256 tokens (with --lengths 128,256)
  fusion-z      MiniLM (128) + BM25, each query's scores z-scored over the corpus, summed at equal weight
  fusion-rrf    MiniLM (128) + BM25, reciprocal rank fusion, k = 60, over each one's top 1,000
and renamed.jsonl against the doc corpus: the top-1 rate (the original is the answer).

Corpus embeddings are cached in --cache (keyed by the corpus file's sha256 and the length):
embedding 25k units takes ~10-25 minutes a corpus on 2 cores, so run it once, niced:
  nice -n 10 /tmp/st-venv/bin/python baselines.py --data /tmp/retrieval/devset --out /tmp/retrieval/baselines.json
Latency is per query, one at a time (query embedding included for MiniLM), p50 and p99 in ms.
"""
import argparse, glob, hashlib, json, os, re, sys, time

import numpy as np

MODEL = "/root/.cache/strata/models/all-MiniLM-L6-v2"
WORD = re.compile(r"[A-Za-z0-9]+")
PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def code_tokens(text):
    """Identifier parts, lowercased: getHTTPResponse2_code -> get http response 2 code."""
    out = []
    for w in WORD.findall(text):
        out += [p.lower() for p in PART.findall(w)]
    return out


def load(path):
    return [json.loads(l) for l in open(path, encoding="utf-8")]


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


class BM25:
    def __init__(self, texts, k1=1.2, b=0.75):
        from scipy import sparse
        self.vocab = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(texts))
        for i, t in enumerate(texts):
            toks = code_tokens(t)
            lengths[i] = len(toks)
            counts = {}
            for w in toks:
                j = self.vocab.setdefault(w, len(self.vocab))
                counts[j] = counts.get(j, 0) + 1
            rows += [i] * len(counts)
            cols += list(counts)
            vals += list(counts.values())
        tf = sparse.csr_matrix((np.array(vals, np.float64), (rows, cols)), shape=(len(texts), len(self.vocab)))
        n = len(texts)
        df = np.bincount(tf.indices, minlength=len(self.vocab))
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        avg = lengths.mean()
        norm = k1 * (1 - b + b * lengths / avg)
        tf = tf.tocoo()
        w = idf[tf.col] * tf.data * (k1 + 1) / (tf.data + norm[tf.row])
        self.w = sparse.csc_matrix((w.astype(np.float32), (tf.row, tf.col)), shape=tf.shape)
        self.n = n

    def scores(self, query):
        counts = {}
        for w in code_tokens(query):
            j = self.vocab.get(w)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(self.n, np.float32)
        cols = list(counts)
        return np.asarray(self.w[:, cols] @ np.array(list(counts.values()), np.float32)).ravel()


def topk(scores, k):
    k = min(k, len(scores))
    idx = np.argpartition(-scores, k - 1)[:k]
    return idx[np.argsort(-scores[idx], kind="stable")]


def z(s):
    sd = s.std()
    return (s - s.mean()) / (sd if sd > 0 else 1.0)


def rrf(lists, k=60, n=None):
    out = np.zeros(n, np.float64)
    for ranked in lists:
        out[ranked] += 1.0 / (k + 1 + np.arange(len(ranked)))
    return out


class Encoder:
    def __init__(self, model_path, threads):
        import torch
        from sentence_transformers import SentenceTransformer
        torch.set_num_threads(threads)
        self.model = SentenceTransformer(model_path, device="cpu")

    def encode(self, texts, length, batch_size=32, progress=False):
        self.model.max_seq_length = length
        return self.model.encode(texts, normalize_embeddings=True, batch_size=batch_size, convert_to_numpy=True,
                                 show_progress_bar=progress).astype(np.float32)


def corpus_vectors(enc, path, texts, length, cache):
    os.makedirs(cache, exist_ok=True)
    f = os.path.join(cache, f"{os.path.basename(path).split('.')[0]}-{sha(path)[:12]}-{length}.f32")
    if os.path.exists(f):
        return np.fromfile(f, dtype="<f4").reshape(len(texts), 384)
    # Texts another corpus of the same folder already has vectors for (most of nodoc is doc) are
    # not embedded again.
    known = {}
    for other in sorted(glob.glob(os.path.join(os.path.dirname(path), "patterns-*.jsonl"))):
        if os.path.abspath(other) == os.path.abspath(path):
            continue
        g = os.path.join(cache, f"{os.path.basename(other).split('.')[0]}-{sha(other)[:12]}-{length}.f32")
        if os.path.exists(g):
            otexts = [r["text"] for r in load(other)]
            ov = np.fromfile(g, dtype="<f4").reshape(len(otexts), 384)
            for t, row in zip(otexts, ov):
                known.setdefault(t, row)
    t0 = time.time()
    todo = sorted({t for t in texts if t not in known})
    fresh = dict(zip(todo, enc.encode(todo, length, progress=sys.stderr.isatty()))) if todo else {}
    v = np.stack([fresh[t] if t in fresh else known[t] for t in texts]).astype(np.float32)
    print(f"  {len(texts) - len(todo)} of {len(texts)} texts reused from the other corpora's vectors", file=sys.stderr)
    v.astype("<f4").tofile(f + ".part")
    os.replace(f + ".part", f)
    print(f"  embedded {len(todo)} of {os.path.basename(path)} at {length} in {time.time() - t0:.0f}s -> {f}", file=sys.stderr)
    return v


def evaluate(ranked_lists, answers, ids):
    pos = {d: i for i, d in enumerate(ids)}
    rr, hit = [], []
    for ranked, ans in zip(ranked_lists, answers):
        a = pos.get(ans)
        r = next((j for j, x in enumerate(ranked[:10]) if x == a), None)
        rr.append(0.0 if r is None else 1.0 / (r + 1))
        hit.append(r is not None)
    return {"mrr10": round(float(np.mean(rr)), 4), "recall10": round(float(np.mean(hit)), 4)}


def lat(ts):
    return {"p50_ms": round(float(np.percentile(ts, 50)) * 1e3, 3), "p99_ms": round(float(np.percentile(ts, 99)) * 1e3, 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--cache", default="/tmp/retrieval/emb")
    ap.add_argument("--lengths", default="128", help="MiniLM max_seq_length values, e.g. 128,256 (fusions use the first)")
    ap.add_argument("--corpora", default="doc,nodoc")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--embed-only", action="store_true", help="fill the embedding cache and stop")
    args = ap.parse_args()
    lengths = [int(x) for x in args.lengths.split(",") if x]
    queries = load(os.path.join(args.data, "queries.jsonl"))
    renamed = load(os.path.join(args.data, "renamed.jsonl"))
    qtexts, answers = [q["text"] for q in queries], [q["answer"] for q in queries]
    enc = Encoder(args.model, args.threads) if lengths else None
    if args.embed_only:
        for c in args.corpora.split(","):
            path = os.path.join(args.data, f"patterns-{c}.jsonl")
            texts = [r["text"] for r in load(path)]
            for L in lengths:
                corpus_vectors(enc, path, texts, L, args.cache)
        return
    result = {"data": os.path.abspath(args.data), "queries": len(queries), "renamed": len(renamed), "corpora": {}}
    for c in args.corpora.split(","):
        path = os.path.join(args.data, f"patterns-{c}.jsonl")
        recs = load(path)
        ids, texts = [r["id"] for r in recs], [r["text"] for r in recs]
        out = result["corpora"][c] = {"units": len(ids)}
        t0 = time.time()
        bm = BM25(texts)
        out["bm25_index_s"] = round(time.time() - t0, 2)
        qsets = [("queries", qtexts, answers)] + ([("renamed", [r["text"] for r in renamed], [r["answer"] for r in renamed])] if c == "doc" else [])
        for qname, qt, ans in qsets:
            runs = {"bm25": [], **{f"minilm-{L}": [] for L in lengths}}
            if lengths:
                runs.update({"fusion-z": [], "fusion-rrf": []})
            times = {k: [] for k in runs}
            vecs = {L: corpus_vectors(enc, path, texts, L, args.cache) for L in lengths}
            for q in qt:
                t = time.perf_counter()
                sb = bm.scores(q)
                rb = topk(sb, 10)
                tb = time.perf_counter() - t
                runs["bm25"].append(rb); times["bm25"].append(tb)
                for j, L in enumerate(lengths):
                    t = time.perf_counter()
                    qv = enc.encode([q], L)[0]
                    sd = vecs[L] @ qv
                    rd = topk(sd, 10)
                    td = time.perf_counter() - t
                    runs[f"minilm-{L}"].append(rd); times[f"minilm-{L}"].append(td)
                    if j == 0:
                        t = time.perf_counter()
                        rz = topk(z(sb) + z(sd), 10)
                        times["fusion-z"].append(tb + td + time.perf_counter() - t)
                        runs["fusion-z"].append(rz)
                        t = time.perf_counter()
                        rr = topk(rrf([topk(sb, 1000), topk(sd, 1000)], 60, len(ids)), 10)
                        times["fusion-rrf"].append(tb + td + time.perf_counter() - t)
                        runs["fusion-rrf"].append(rr)
            pos = {d: i for i, d in enumerate(ids)}
            for m in runs:
                if qname == "queries":
                    out[m] = {**evaluate(runs[m], ans, ids), **lat(times[m])}
                else:
                    top1 = float(np.mean([len(r) and r[0] == pos.get(a) for r, a in zip(runs[m], ans)]))
                    out.setdefault("renamed_top1", {})[m] = round(top1, 4)
            print(f"{c} {qname}: " + ", ".join(f"{m} {out[m]['mrr10'] if qname == 'queries' else out['renamed_top1'][m]}" for m in runs), file=sys.stderr)
    result["versions"] = {"numpy": np.__version__}
    if lengths:
        import sentence_transformers, torch
        result["versions"].update({"sentence_transformers": sentence_transformers.__version__, "torch": torch.__version__})
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    print(table(result))


def table(result):
    rows = ["| method | corpus | MRR@10 | recall@10 | p50 ms | p99 ms |", "|---|---|---|---|---|---|"]
    for c, out in result["corpora"].items():
        for m, v in out.items():
            if isinstance(v, dict) and "mrr10" in v:
                rows.append(f"| {m} | {c} | {v['mrr10']:.3f} | {v['recall10']:.3f} | {v['p50_ms']:.2f} | {v['p99_ms']:.2f} |")
    if "renamed_top1" in result["corpora"].get("doc", {}):
        rows.append("")
        rows.append("renamed copies, top-1 = original (doc corpus): " + ", ".join(f"{m} {v:.3f}" for m, v in result["corpora"]["doc"]["renamed_top1"].items()))
    return "\n".join(rows)


if __name__ == "__main__":
    main()
