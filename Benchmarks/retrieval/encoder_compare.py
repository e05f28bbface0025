#!/usr/bin/env python3
"""all-MiniLM-L6-v2 three ways, side by side on 2 threads each: tokens/s and agreement.

  st      sentence-transformers on torch, torch.set_num_threads(2), batch 32
  numpy   a numpy forward pass (tokenizers + safetensors + numpy/scipy), two worker processes
          with single-threaded BLAS, batch 32
  strata  Strata's native encoder through its benchmark executable `strata-embedding-bench`
          (--strata-bench PATH; skipped when absent), run as `PATH --texts F --max-tokens L
          --batch B --threads T --runs R --model DIR --precision P --out V.f32 --ids-out I`:
          its median tokens/s (wall clock, and per busy cores from CPU time), its vectors
          (cosine) and its token ids (rows that differ from the Hugging Face tokenizer's).

All at --length tokens (default 128) over --texts (default /tmp/encoder-ref/texts.jsonl).
Cosines are per text against the sentence-transformers vectors of this run (and against the
stored reference /tmp/encoder-ref/st-<length>.f32 when it is there): mean, min, p1.
Each engine runs in its own process with its own thread settings.

  nice -n 10 /tmp/st-venv/bin/python encoder_compare.py [--out /tmp/retrieval/encoders.json]
"""
import argparse, json, os, re, subprocess, sys, tempfile, time

MODEL = "/root/.cache/strata/models/all-MiniLM-L6-v2"


def load_texts(path, limit):
    texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8")]
    return texts[:limit] if limit else texts


# ---- numpy forward pass ---------------------------------------------------------------------------

_W = None


def np_init(model):
    global _W
    import numpy as np
    from safetensors.numpy import load_file
    w = load_file(os.path.join(model, "model.safetensors"))
    _W = {k: v.astype(np.float32) for k, v in w.items()}
    # Fused Q|K|V and transposed weights: x @ W.T == x @ Wt.
    for i in range(6):
        p = f"encoder.layer.{i}."
        _W[p + "qkv.w"] = np.ascontiguousarray(np.concatenate([_W[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T)
        _W[p + "qkv.b"] = np.concatenate([_W[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
        for n in ("attention.output.dense", "intermediate.dense", "output.dense"):
            _W[p + n + ".wt"] = np.ascontiguousarray(_W[p + n + ".weight"].T)


def _ln(x, g, b, eps=1e-12):
    import numpy as np
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def np_forward(batch):
    """batch: list of token id lists -> (n, 384) normalized mean-pooled embeddings."""
    import numpy as np
    from scipy.special import erf
    W = _W
    n, L = len(batch), max(len(b) for b in batch)
    ids = np.zeros((n, L), np.int64)
    mask = np.zeros((n, L), np.float32)
    for i, b in enumerate(batch):
        ids[i, :len(b)] = b
        mask[i, :len(b)] = 1
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:L][None] + W["embeddings.token_type_embeddings.weight"][0]
    x = _ln(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"]).reshape(n * L, 384)
    bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
    for i in range(6):
        p = f"encoder.layer.{i}."
        qkv = x @ W[p + "qkv.w"] + W[p + "qkv.b"]
        # Contiguous heads: numpy hands stacked matmuls to BLAS only when each slice is blas-able.
        q, k, v = (np.ascontiguousarray(qkv[:, j * 384:(j + 1) * 384].reshape(n, L, 12, 32).transpose(0, 2, 1, 3)) for j in range(3))
        s = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1 / np.sqrt(32)) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(n * L, 384)
        a = a @ W[p + "attention.output.dense.wt"] + W[p + "attention.output.dense.bias"]
        x = _ln(a + x, W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"])
        h = x @ W[p + "intermediate.dense.wt"] + W[p + "intermediate.dense.bias"]
        h = h * 0.5 * (1.0 + erf(h * np.float32(1 / np.sqrt(2)))).astype(np.float32)
        h = h @ W[p + "output.dense.wt"] + W[p + "output.dense.bias"]
        x = _ln(h + x, W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"])
    x = x.reshape(n, L, 384)
    e = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    return (e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def tokenize(model, texts, length):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=length)
    # sentence-transformers strips each text before tokenizing.
    return [e.ids for e in tok.encode_batch([t.strip() for t in texts])]


def np_forward_timed(batch):
    c0 = time.process_time()
    v = np_forward(batch)
    return v, time.process_time() - c0


def run_numpy(texts, length, model, batch, workers):
    import numpy as np
    from multiprocessing import get_context
    t0 = time.time()
    ids = tokenize(model, texts, length)
    t_tok = time.time() - t0
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    batches = [order[i:i + batch] for i in range(0, len(order), batch)]
    ctx = get_context("spawn")
    with ctx.Pool(workers, initializer=np_init, initargs=(model,)) as pool:
        pool.map(np_forward, [[[101, 102]]] * workers)  # warm: weights loaded in each worker
        t0 = time.time()
        outs = pool.map(np_forward_timed, [[ids[i] for i in b] for b in batches], chunksize=1)
        dt = time.time() - t0
    v = np.zeros((len(texts), 384), np.float32)
    for b, (o, _) in zip(batches, outs):
        v[b] = o
    return v, dt + t_tok, sum(map(len, ids)), sum(c for _, c in outs) + t_tok


def run_st(texts, length, model, batch, threads):
    import numpy as np, torch
    from sentence_transformers import SentenceTransformer
    torch.set_num_threads(threads)
    m = SentenceTransformer(model, device="cpu")
    m.max_seq_length = length
    m.encode(texts[:8], batch_size=batch)  # warm
    ntok = sum(len(x) for x in tokenize(model, texts, length))
    t0, c0 = time.time(), time.process_time()
    v = m.encode(texts, normalize_embeddings=True, batch_size=batch, convert_to_numpy=True)
    return v.astype(np.float32), time.time() - t0, ntok, time.process_time() - c0


def engine_main(args):
    # Runs in a child process: --engine st|numpy, writes vectors and a timing JSON.
    texts = load_texts(args.texts, args.limit)
    if args.engine == "st":
        v, dt, ntok, cpu = run_st(texts, args.length, args.model, args.batch, args.threads)
        cores = args.threads
    else:
        v, dt, ntok, cpu = run_numpy(texts, args.length, args.model, args.batch, args.workers)
        cores = args.workers
    v.astype("<f4").tofile(args.vectors_out)
    # tokens / CPU seconds x cores: what an idle machine would give (as strata-embedding-bench reports).
    json.dump({"seconds": dt, "tokens": ntok, "tokens_per_s": ntok / dt, "cpu_seconds": cpu,
               "tokens_per_s_cpu": ntok / max(cpu, 1e-9) * cores}, open(args.vectors_out + ".json", "w"))


def cos_stats(a, b):
    import numpy as np
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    c = (a * b).sum(1)
    worst = np.argsort(c)[:3]
    return {"mean": round(float(c.mean()), 6), "min": round(float(c.min()), 6), "p1": round(float(np.percentile(c, 1)), 6),
            "worst_rows": [int(i) for i in worst]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--texts", default="/tmp/encoder-ref/texts.jsonl")
    ap.add_argument("--model", default=MODEL)
    ap.add_argument("--length", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--engines", default="st,numpy,strata")
    ap.add_argument("--strata-bench", default="/work/main/.build/release/strata-embedding-bench")
    ap.add_argument("--strata-vectors", help="raw float32 N x 384 from elsewhere, compared too")
    ap.add_argument("--strata-precisions", default="float32", help="float32 and/or bfloat16, comma separated")
    ap.add_argument("--strata-runs", type=int, default=3)
    ap.add_argument("--reference", help="default /tmp/encoder-ref/st-<length>.f32")
    ap.add_argument("--out", default="/tmp/retrieval/encoders.json")
    ap.add_argument("--engine", help=argparse.SUPPRESS)
    ap.add_argument("--vectors-out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.engine:
        return engine_main(args)
    import numpy as np
    texts = load_texts(args.texts, args.limit)
    tmp = tempfile.mkdtemp(prefix="enc-", dir="/tmp/retrieval" if os.path.isdir("/tmp/retrieval") else None)
    result = {"texts": args.texts, "count": len(texts), "length": args.length, "batch": args.batch, "engines": {}}
    vecs = {}
    for eng in args.engines.split(","):
        if eng in ("st", "numpy"):
            env = dict(os.environ)
            one = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
            env.update(one if eng == "numpy" else {k: str(args.threads) for k in one})
            out = os.path.join(tmp, f"{eng}.f32")
            cmd = [sys.executable, os.path.abspath(__file__), "--engine", eng, "--vectors-out", out, "--texts", args.texts,
                   "--model", args.model, "--length", str(args.length), "--batch", str(args.batch), "--threads", str(args.threads),
                   "--workers", str(args.workers), "--limit", str(args.limit)]
            r = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if r.returncode != 0:
                result["engines"][eng] = {"error": r.stderr[-1500:]}
                print(f"{eng}: failed\n{r.stderr[-1500:]}", file=sys.stderr)
                continue
            info = json.load(open(out + ".json"))
            vecs[eng] = np.fromfile(out, dtype="<f4").reshape(len(texts), 384)
            result["engines"][eng] = {"tokens_per_s": round(info["tokens_per_s"]), "tokens_per_s_cpu": round(info["tokens_per_s_cpu"]),
                                      "cpu_seconds": round(info["cpu_seconds"], 2), "seconds": round(info["seconds"], 2), "tokens": info["tokens"],
                                      "threads": args.threads if eng == "st" else f"{args.workers} processes x 1"}
        elif eng == "strata":
            bench = args.strata_bench
            if not bench or not os.path.exists(bench):
                result["engines"]["strata"] = {"skipped": f"no benchmark executable at {bench}"}
                continue
            for precision in args.strata_precisions.split(","):
                name = "strata" if precision == "float32" else f"strata-{precision}"
                out = os.path.join(tmp, f"{name}.f32")
                ids_out = os.path.join(tmp, f"{name}-ids.txt")
                cmd = [bench, "--texts", args.texts, "--max-tokens", str(args.length), "--batch", str(args.batch),
                       "--threads", str(args.threads), "--runs", str(args.strata_runs), "--model", args.model,
                       "--precision", precision, "--out", out, "--ids-out", ids_out]
                if args.limit:
                    cmd += ["--limit", str(args.limit)]
                t0 = time.time()
                r = subprocess.run(cmd, capture_output=True, text=True)
                info = {"seconds_wall": round(time.time() - t0, 2), "exit": r.returncode, "threads": args.threads, "precision": precision}
                wall = re.search(r"median: (\d+) tokens/s \(tokenize", r.stdout)
                cpu = re.search(r"median: (\d+) tokens/s per", r.stdout)
                if wall:
                    info["tokens_per_s"] = int(wall.group(1))
                if cpu:
                    info["tokens_per_s_cpu"] = int(cpu.group(1))
                if r.returncode != 0:
                    info["error"] = (r.stdout + r.stderr)[-1500:]
                    print(f"{name}: failed\n{info['error']}", file=sys.stderr)
                info["stdout"] = r.stdout[-1200:]
                if os.path.exists(out):
                    vecs[name] = np.fromfile(out, dtype="<f4").reshape(-1, 384)[:len(texts)]
                if os.path.exists(ids_out):
                    theirs = [json.loads(l) for l in open(ids_out) if l.strip()]
                    ours = tokenize(args.model, texts, args.length)
                    bad = [i for i, (a, b) in enumerate(zip(theirs, ours)) if a != b]
                    info["ids_mismatch"] = len(bad) + abs(len(theirs) - len(ours))
                    info["ids_mismatch_rows"] = bad[:20]
                result["engines"][name] = info
            if args.strata_vectors and os.path.exists(args.strata_vectors):
                vecs["strata-file"] = np.fromfile(args.strata_vectors, dtype="<f4").reshape(-1, 384)[:len(texts)]
                result["engines"]["strata-file"] = {"file": args.strata_vectors}
    ref_path = args.reference or f"/tmp/encoder-ref/st-{args.length}.f32"
    ref = None
    if os.path.exists(ref_path) and not args.limit and args.texts == "/tmp/encoder-ref/texts.jsonl":
        ref = np.fromfile(ref_path, dtype="<f4").reshape(-1, 384)
    for eng, v in vecs.items():
        e = result["engines"][eng]
        if "st" in vecs and eng != "st":
            e["cosine_vs_st"] = cos_stats(v, vecs["st"])
        if ref is not None and len(ref) == len(v):
            e["cosine_vs_reference"] = cos_stats(v, ref)
    json.dump(result, open(args.out, "w"), indent=1)
    print("| engine | tokens/s (wall) | tokens/s (CPU time x cores) | seconds | cosine vs st (mean / min) | cosine vs stored reference (mean / min) |")
    print("|---|---|---|---|---|---|")
    def cs(c):
        return f"{c['mean']:.6f} / {c['min']:.6f}" if c else "-"
    for eng, e in result["engines"].items():
        note = f" {e['skipped']}" if "skipped" in e else (" FAILED" if "error" in e else "")
        print(f"| {eng} | {e.get('tokens_per_s', '-')} | {e.get('tokens_per_s_cpu', '-')} | {e.get('seconds', e.get('seconds_wall', '-'))} | "
              f"{cs(e.get('cosine_vs_st'))} | {cs(e.get('cosine_vs_reference'))} |{note}")

if __name__ == "__main__":
    main()
