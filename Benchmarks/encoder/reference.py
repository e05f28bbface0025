"""A float64 numpy forward pass of a BERT sentence encoder (mean pooling, L2 normalization),
the reference the Swift encoder is checked against when sentence-transformers is not at hand.

    /tmp/enc-venv/bin/python Benchmarks/encoder/reference.py MODEL_DIR TEXTS.jsonl OUT.f32 [--max-tokens 256]

Token ids come from HuggingFace `tokenizers` (tokenizer.json), truncated like
sentence-transformers (max_seq_length, [CLS] and [SEP] included).
"""
import argparse, json, math
import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def erf(x):
    return np.vectorize(math.erf, otypes=[np.float64])(x)


class Encoder:
    def __init__(self, model_dir):
        self.config = json.load(open(f"{model_dir}/config.json"))
        self.w = {k: v.astype(np.float64) for k, v in load_file(f"{model_dir}/model.safetensors").items() if v.dtype != np.int64}
        self.tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
        self.tok.no_padding()

    def ids(self, text, max_tokens):
        self.tok.enable_truncation(max_tokens)
        return self.tok.encode(text).ids

    def layer_norm(self, x, name):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.config["layer_norm_eps"]) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def linear(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def forward(self, ids):
        w, c = self.w, self.config
        n, heads = len(ids), c["num_attention_heads"]
        d = c["hidden_size"] // heads
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = self.layer_norm(x, "embeddings.LayerNorm")
        for i in range(c["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            q, k, v = (self.linear(x, p + f"attention.self.{m}").reshape(n, heads, d).transpose(1, 0, 2) for m in ("query", "key", "value"))
            s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(1, 0, 2).reshape(n, heads * d)
            x = self.layer_norm(x + self.linear(ctx, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            h = self.linear(x, p + "intermediate.dense")
            h = 0.5 * h * (1 + erf(h / math.sqrt(2)))
            x = self.layer_norm(x + self.linear(h, p + "output.dense"), p + "output.LayerNorm")
        v = x.mean(0)
        return v / np.linalg.norm(v)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("model"); ap.add_argument("texts"); ap.add_argument("out")
    ap.add_argument("--max-tokens", type=int, default=256)
    ap.add_argument("--limit", type=int, default=None)
    a = ap.parse_args()
    enc = Encoder(a.model)
    texts = [json.loads(l)["text"] for l in open(a.texts)][: a.limit]
    out = np.stack([enc.forward(enc.ids(t, a.max_tokens)) for t in texts]).astype(np.float32)
    out.tofile(a.out)
    print(f"{len(texts)} vectors to {a.out}")
