#!/usr/bin/env python3
"""Reference vectors of all-MiniLM-L6-v2 (sentence-transformers) for Strata's native encoder.

Writes, into --out (default /tmp/encoder-ref):
  texts.jsonl      1,000 texts, {"text": ..., "kind": code|snippet|prose|readme|query|odd} a line:
                   500 code (functions, classes and line windows of the third-party packages in
                   this venv's site-packages, never the standard library), 300 prose (docstring
                   first lines, README sentences from the packages' METADATA), 100 short queries,
                   100 odd ones (non-Latin scripts, emoji, accents, long identifiers, punctuation,
                   control characters, white space, one text of 100 KB).
  st-256.f32       float32 little-endian, row-major 1000 x 384: model.encode(texts,
  st-128.f32       normalize_embeddings=True, batch_size=32) at max_seq_length 256 / 128.
  tokens-256.jsonl {"ids": [...], "ids128": [...], "full": N} a line: the token ids the model
                   feeds itself (with [CLS]/[SEP]) at 256 and 128 tokens, and the untruncated count.
  manifest.json    versions, counts, sha256 of each file.
  READY            written last.
and, with --fixture PATH, a small JSON fixture of ~14 tricky texts with ids, ids128 and the
256-token vector rounded to 7 significant digits.

Deterministic: same venv (same package versions), same bytes. Run it niced:
  nice -n 10 /tmp/st-venv/bin/python make_encoder_ref.py --model DIR --fixture FILE
"""
import argparse, ast, glob, hashlib, json, os, random, re, sys, time, unicodedata

PACKAGES = ["transformers", "sentence_transformers", "huggingface_hub", "torch", "numpy", "scipy",
            "sklearn", "sympy", "networkx", "rich", "click", "jinja2", "pydantic", "pygments", "tqdm",
            "anyio", "yaml", "packaging", "tomlkit", "typer", "markdown_it", "filelock", "fsspec",
            "joblib", "mpmath", "markupsafe", "idna", "h11", "safetensors", "tokenizers"]
FILES_PER_PACKAGE = 40

QUERIES_HAND = [
    "write rows to postgres with retries", "parse a yaml config file", "retry http request with exponential backoff",
    "read csv into list of dicts", "validate email address", "compute sha256 of a file in chunks",
    "convert camelCase to snake_case", "flatten nested dictionary", "merge two sorted lists",
    "debounce a function call", "lru cache with expiry", "download file with progress bar",
    "upload object to s3 bucket", "load environment variables from .env", "pretty print json",
    "paginate sql query results", "connection pool for database", "rate limit api calls",
    "parse command line arguments", "jwt token verification", "hash password with salt",
    "resize image keep aspect ratio", "tokenize text into words", "cosine similarity of two vectors",
    "top k largest elements", "topological sort of a graph", "shortest path dijkstra",
    "serialize dataclass to json", "deep copy an object", "timeout for a blocking call",
    "run subprocess and capture output", "walk directory recursively", "atomic write to file",
    "lock file to prevent concurrent access", "parse iso 8601 date", "format bytes as human readable size",
    "stream large response body", "gzip compress bytes", "base64 decode string", "escape html characters",
    "render jinja template", "register a click command", "async http client", "cancel asyncio task",
    "thread safe counter", "batch items into chunks", "normalize unicode string", "strip ansi escape codes",
    "check if port is open", "send email via smtp", "read last n lines of a file", "sparse matrix multiply",
    "softmax over last dimension", "attention mask padding", "save model weights", "load tokenizer from disk",
    "mean pooling of token embeddings", "learning rate warmup schedule", "random seed for reproducibility",
    "split dataset train test",
]
VERBS = ["parse", "read", "write", "validate", "cache", "serialize", "compress", "sort", "merge", "stream",
         "upload", "download", "format", "convert", "encode", "decode", "filter", "group", "retry", "index"]
OBJECTS = ["json config", "rows to postgres", "csv with headers", "http response", "yaml settings", "log records",
           "s3 objects", "graph edges", "user records", "unicode text", "numpy arrays", "query results",
           "request headers", "file paths", "timestamps", "tensors", "tokens", "embeddings"]
SUFFIXES = ["", " with retries", " asynchronously", " in chunks", " without blocking", " from disk",
            " over http", " in parallel", " lazily", " safely"]

LONG_CAMEL = "get" + "".join(w.capitalize() for w in (
    "http response code from the remote server after following all redirects and "
    "retrying transient failures with exponential backoff and jitter until deadline").split())
LONG_SNAKE = "_".join(("compute the normalized discounted cumulative gain at rank ten for every "
                       "query in the held out evaluation set and write it to disk").split())

# The tricky ones of the committed fixture (also part of the 100 odd texts).
FIXTURE_TEXTS = [
    ("camel", "def getHTTPResponseCode(self, urlOpener):\n    return self._lastHTTPStatus or XMLHttpRequest.DONE"),
    ("snake", "def load_user_config(config_path: str = '~/.app/config.yaml') -> dict:\n    with open(os.path.expanduser(config_path)) as fh:\n        return yaml.safe_load(fh) or {}"),
    ("accents", "Café naïve résumé — Ångström, Straße, İstanbul, São Paulo, e\u0301le\u0300ve (NFD), ﬁnance ligature"),
    ("cjk", "读取配置文件并返回字典。設定ファイルを読み込む関数です。설정 파일을 읽습니다."),
    ("scripts", "Привет, мир! مرحبا بالعالم नमस्ते दुनिया Γειά σου κόσμε שלום עולם สวัสดีชาวโลก"),
    ("emoji", "deploy 🚀 done ✅ by 👩\u200d💻 in 🇯🇵 👍🏽 🔥🔥🔥"),
    ("longword", LONG_CAMEL),
    ("control", "col1\tcol2\x00\x01\x02 \x1b[31mred\x1b[0m\r\nend\u200b\ufeff\u00ad\x7f\x85\u2028next"),
    ("whitespace_only", "   \t\n \r\n  \u3000 "),
    ("whitespace_inside", "   query \n\n\t   with   \u00a0 gaps \u2003 and\ttabs   "),
    ("punctuation", "!!! ... ??? -> => :: {}[]() #@$%^&* ~~ ``` --- ;;"),
    ("query", "write rows to postgres with retries"),
    ("empty", ""),
]


def site_packages():
    import sentence_transformers
    return os.path.dirname(os.path.dirname(sentence_transformers.__file__))


def package_files(sp, pkg, rng):
    root = os.path.join(sp, pkg)
    files = sorted(p for p in glob.glob(os.path.join(root, "**", "*.py"), recursive=True)
                   if "/tests/" not in p and "/test/" not in p)
    rng.shuffle(files)
    return files[:FILES_PER_PACKAGE]


def units_of(path):
    try:
        source = open(path, encoding="utf-8").read()
        tree = ast.parse(source)
    except (SyntaxError, UnicodeDecodeError, ValueError, OSError):
        return [], []
    lines = source.split("\n")
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            out.append("\n".join(lines[start - 1:node.end_lineno]))
    return out, lines


def readme_sentences(sp):
    out = []
    for meta in sorted(glob.glob(os.path.join(sp, "*.dist-info", "METADATA"))):
        text = open(meta, encoding="utf-8", errors="replace").read()
        body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
        for para in re.split(r"\n\s*\n", body):
            para = " ".join(para.split())
            for s in re.split(r"(?<=[.!?])\s+", para):
                if 30 <= len(s) <= 300 and not s.startswith(("|", "<", "[!", "![", "```")) and "http" not in s[:10]:
                    out.append(s)
    return out


def odd_texts(sp, rng):
    t = [x[1] for x in FIXTURE_TEXTS if x[0] != "query"]  # that one is among the queries
    t.append("¿Dónde está la función? ¡Hola! «guillemets» „Anführungszeichen“")
    t += [
        "如何在 Python 中异步写入数据库？", "東京都の天気予報を取得する", "한국어 형태소 분석기", "中文分词和词性标注",
        "データベース接続プールの設定", "def 関数(引数): return 引数 * 2", "读取 CSV 文件 read_csv()", "漢字かなカナ混じり文ABC123",
        "Записать строки в базу данных с повторными попытками", "функция_разбора(строка)", "Ёлка и ёжик", "Україна, їжак, ґанок",
        "قراءة ملف التكوين", "مرحبا 123 hello عالم", "هذا نص عربي طويل نسبيا لاختبار الترميز",
        "डेटाबेस में पंक्तियाँ लिखें", "हिन्दी और English मिश्रित वाक्य", "क्षत्रिय ज्ञान श्री",
        "Ελληνικά: αβγδεζηθ", "עברית: בדיקה של טקסט", "ภาษาไทยไม่มีช่องว่าง", "Tiếng Việt có dấu: điều khiển",
        "😀", "👨\u200d👩\u200d👧\u200d👦 family", "🏳️\u200d🌈 🏴\u200d☠️", "print('hello 🌍')  # 🐍",
        "✨ feat: add retries ♻️ refactor 🐛 fix", "½ ¼ ¾ ∑ ∫ √ ∞ ≠ ≤ ≥ → ⇒ ∀ ∃", "™ © ® § ¶ † ‡ • …", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙 𝒮𝒸𝓇𝒾𝓅𝓉",
        "ＦＵＬＬＷＩＤＴＨ　ｔｅｘｔ　１２３", "naïve café coöperate Zoë Noël", "résumé vs re\u0301sume\u0301 (NFC vs NFD)",
        "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞß", "Łódź Kraków Gdańsk Wrocław", "Ærøskøbing Ålesund", "Ça va? Où est-ce?",
        LONG_SNAKE, "a" * 300, "x" * 1000, hashlib.sha256(b"strata").hexdigest() * 4,
        "aGVsbG8gd29ybGQgdGhpcyBpcyBhIGJhc2U2NCBibG9iIGZvciB0ZXN0aW5nIHRva2VuaXplcnM=" * 3,
        "AbstractSingletonProxyFactoryBeanWithHTTPServerErrorHandlerAndJSONRPCv2Support",
        "__init__ __repr__ __getattr__ _private _PROTECTED ALL_CAPS_CONSTANT_42",
        "HTTPServer XMLHttpRequest IOError getURLForID parseJSON2XML utf8Decode base64URLSafe",
        "...", "!!!", "()", "{}", "[]", ";", "#", "->", "::", "'' \"\"", "\\", "*" * 50, "-" * 80,
        "\x00", "a\x00b", "\x1b[1;32mOK\x1b[0m", "\x07\x08\x0b\x0c", "line1\rline2\rline3", "zero\u200bwidth\u200cjoin\u200dner",
        "\ufeffBOM at start", "soft\u00adhyphen", "right\u200fto\u200eleft", "combining alone: \u0301\u0308\u0327",
         " ", "\t\t\t", "\n\n\n\n", "   x   ",
        "3.14159265358979", "0xDEADBEEF 0o755 0b1010 1e-10 -0.0 NaN inf", "127.0.0.1:8080 ::1 fe80::1%eth0",
        "https://example.com/path?q=a+b&x=%20y#frag", "user.name+tag@example.co.uk", "/usr/local/lib/python3.11/site-packages/foo/__init__.py",
        "C:\\Users\\name\\AppData\\Local\\Temp\\file.txt", r"^(?P<year>\d{4})-(?P<month>\d{2})$",
        "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '1 day';", '{"key": [1, 2, {"nested": null}]}',
        "<div class=\"a\">&amp; &lt;tag&gt; &#x1F600;</div>", "$ pip install -U 'torch>=2' && echo $?",
        "| col | col |\n|-----|-----|\n| a | b |", "# Title\n\n* item\n* item\n\n> quote",
    ]
    # One text of 100 KB: real code of the packages, concatenated.
    big, files = [], package_files(sp, "transformers", random.Random(7))
    for f in files:
        big.append(open(f, encoding="utf-8").read())
        if sum(len(b) for b in big) > 100_000:
            break
    t.append("\n".join(big)[:100_000])
    return t


def build_texts(sp, seed):
    rng = random.Random(seed)
    units, docs, windows = [], [], []
    for pkg in PACKAGES:
        if not os.path.isdir(os.path.join(sp, pkg)):
            continue
        for f in package_files(sp, pkg, rng):
            u, lines = units_of(f)
            units += u
            # docstring first lines (of the module, its classes and functions)
            try:
                tree = ast.parse(open(f, encoding="utf-8").read())
                for node in ast.walk(tree):
                    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
                        doc = ast.get_docstring(node)
                        if doc:
                            first = doc.strip().splitlines()[0].strip()
                            if len(first.split()) >= 3:
                                docs.append(first)
            except (SyntaxError, UnicodeDecodeError, ValueError):
                pass
            nonblank = [i for i, l in enumerate(lines) if l.strip()]
            if len(nonblank) > 20:
                for _ in range(2):
                    i = rng.choice(nonblank)
                    windows.append("\n".join(lines[i:i + rng.randint(1, 15)]))
    seen = set()

    def take(pool, n, label):
        out = []
        pool = sorted(set(pool))
        rng.shuffle(pool)
        for x in pool:
            if len(out) == n:
                break
            if x.strip() and x not in seen:
                seen.add(x)
                out.append({"text": x, "kind": label})
        if len(out) < n:
            sys.exit(f"only {len(out)} {label} texts")
        return out

    def nlines(s):
        return s.count("\n") + 1
    buckets = [(lambda n: n <= 5, 100), (lambda n: 6 <= n <= 30, 150), (lambda n: 31 <= n <= 120, 100), (lambda n: 121 <= n <= 400, 50)]
    code = []
    for ok, n in buckets:
        code += take([u for u in units if ok(nlines(u))], n, "code")
    code += take(windows, 100, "snippet")
    prose = take(docs, 200, "prose") + take(readme_sentences(sp), 100, "readme")
    gen = sorted({f"{v} {o}{s}" for v in VERBS for o in OBJECTS for s in SUFFIXES})
    rng.shuffle(gen)
    queries = [{"text": q, "kind": "query"} for q in QUERIES_HAND]
    for q in gen:
        if len(queries) == 100:
            break
        if q not in QUERIES_HAND:
            queries.append({"text": q, "kind": "query"})
    odd = [{"text": x, "kind": "odd"} for x in odd_texts(sp, rng)]
    assert len(odd) == len({o["text"] for o in odd}), "duplicate odd texts"
    if len(odd) != 100:
        sys.exit(f"{len(odd)} odd texts, want 100")
    return code + prose + queries + odd


def dump_line(obj):
    s = json.dumps(obj, ensure_ascii=False)
    # Keep one record per "\n"-split line for any reader.
    return s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


def token_ids(model, texts, max_len):
    model.max_seq_length = max_len
    out = []
    for i in range(0, len(texts), 64):
        feats = model.preprocess(texts[i:i + 64]) if hasattr(model, "preprocess") else model.tokenize(texts[i:i + 64])
        ids, mask = feats["input_ids"].tolist(), feats["attention_mask"].tolist()
        for row, m in zip(ids, mask):
            out.append([t for t, k in zip(row, m) if k])
    return out


def encode(model, texts, max_len):
    import numpy as np
    model.max_seq_length = max_len
    t0 = time.time()
    v = model.encode(texts, normalize_embeddings=True, batch_size=32, convert_to_numpy=True)
    return np.ascontiguousarray(v, dtype="<f4"), time.time() - t0


def g7(x):
    return float(f"{x:.7g}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="/root/.cache/strata/models/all-MiniLM-L6-v2")
    ap.add_argument("--out", default="/tmp/encoder-ref")
    ap.add_argument("--fixture")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    import numpy as np, torch, sentence_transformers, transformers, tokenizers
    from sentence_transformers import SentenceTransformer
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    records = build_texts(site_packages(), args.seed)
    texts = [r["text"] for r in records]
    assert len(texts) == 1000 and len(set(texts)) == 1000, (len(texts), len(set(texts)))
    with open(os.path.join(args.out, "texts.jsonl"), "w", encoding="utf-8") as f:
        for r in records:
            f.write(dump_line(r) + "\n")
    print(f"texts: {time.time() - t0:.1f}s", file=sys.stderr)
    model = SentenceTransformer(args.model, device="cpu")
    tok = model.tokenizer
    ids256, ids128 = token_ids(model, texts, 256), token_ids(model, texts, 128)
    full = [len(tok(t, add_special_tokens=True, truncation=False)["input_ids"]) for t in texts]
    with open(os.path.join(args.out, "tokens-256.jsonl"), "w") as f:
        for a, b, n in zip(ids256, ids128, full):
            f.write(json.dumps({"ids": a, "ids128": b, "full": n}) + "\n")
    timing = {}
    for L in (256, 128):
        v, dt = encode(model, texts, L)
        assert v.shape == (1000, 384)
        v.tofile(os.path.join(args.out, f"st-{L}.f32"))
        ntok = sum(len(x) for x in (ids256 if L == 256 else ids128))
        timing[L] = {"seconds": round(dt, 2), "tokens": ntok, "tokens_per_s": round(ntok / dt)}
        print(f"encode {L}: {dt:.1f}s, {ntok / dt:.0f} tokens/s", file=sys.stderr)
    man = {
        "model": args.model, "normalize_embeddings": True, "batch_size": 32, "pooling": "mean",
        "versions": {"sentence_transformers": sentence_transformers.__version__, "torch": torch.__version__,
                     "transformers": transformers.__version__, "tokenizers": tokenizers.__version__, "numpy": np.__version__},
        "count": len(texts), "dim": 384, "kinds": {k: sum(r["kind"] == k for r in records) for k in sorted({r["kind"] for r in records})},
        "encode": timing, "truncated_at_256": sum(n > 256 for n in full), "truncated_at_128": sum(n > 128 for n in full),
        "files": {},
    }
    for name in ("texts.jsonl", "tokens-256.jsonl", "st-256.f32", "st-128.f32"):
        man["files"][name] = hashlib.sha256(open(os.path.join(args.out, name), "rb").read()).hexdigest()
    json.dump(man, open(os.path.join(args.out, "manifest.json"), "w"), indent=1)
    if args.fixture:
        write_fixture(model, args.fixture, man)
    open(os.path.join(args.out, "READY"), "w").write(time.strftime("%Y-%m-%dT%H:%M:%S") + "\n")
    print(f"done in {time.time() - t0:.1f}s", file=sys.stderr)


def write_fixture(model, path, man):
    # The truncated one: real code of > 300 tokens.
    items = list(FIXTURE_TEXTS)
    src = open(os.path.join(os.path.dirname(__import__("sentence_transformers").__file__), "util", "__init__.py") if os.path.exists(
        os.path.join(os.path.dirname(__import__("sentence_transformers").__file__), "util", "__init__.py")) else __file__, encoding="utf-8").read()
    tok = model.tokenizer
    lines, chosen = src.split("\n"), None
    for i in range(len(lines)):
        cand = "\n".join(lines[i:i + 60])
        n = len(tok(cand)["input_ids"])
        if 300 <= n <= 420:
            chosen = cand
            break
    items.append(("truncated", chosen or (LONG_SNAKE + " ") * 20))
    texts = [t for _, t in items]
    ids256, ids128 = token_ids(model, texts, 256), token_ids(model, texts, 128)
    model.max_seq_length = 256
    vec = model.encode(texts, normalize_embeddings=True, batch_size=32, convert_to_numpy=True)
    out = ["{", ' "model": "sentence-transformers/all-MiniLM-L6-v2",',
           ' "note": "ids at max_seq_length 256 and 128 with [CLS]/[SEP], as the model tokenizes; vector: encode(normalize_embeddings=True) at 256, 7 significant digits",',
           ' "versions": ' + json.dumps(man["versions"]) + ",", ' "items": [']
    for j, ((name, text), a, b, v) in enumerate(zip(items, ids256, ids128, vec)):
        rec = ('  {"name": ' + json.dumps(name) + ', "text": ' + json.dumps(text, ensure_ascii=True) +
               ',\n   "full": ' + str(len(tok(text, truncation=False)["input_ids"])) +
               ',\n   "ids": ' + json.dumps(a) + ',\n   "ids128": ' + json.dumps(b) +
               ',\n   "vector": ' + json.dumps([g7(float(x)) for x in v]) + "}")
        out.append(rec + ("," if j < len(items) - 1 else ""))
    out += [" ]", "}"]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    json.load(open(path))  # parses


if __name__ == "__main__":
    main()
