#!/usr/bin/env python3
"""A retrieval dev set of real Python code that is NOT the standard library.

Units are the functions, methods and classes (decorators included, 2..200 lines) of a pinned
list of third-party packages (packages.txt beside this file), installed with
`pip install --no-deps` into --venv (made when missing). Writes, into --out:

  patterns-doc.jsonl    --count units as `strata import` records (id, text, name, kind,
                        language, node_type, domain, tags, quality, path, line_start, line_end)
  patterns-nodoc.jsonl  the same ids, each text with every docstring inside it removed (the
                        docstring statement's lines are dropped, the rest byte-identical; a body
                        that held only the docstring gets `pass` in its place)
  queries.jsonl         {"id", "text", "answer"}: --queries functions/methods whose docstring's
                        first line has >= 4 words and is the first line of no other unit's
                        docstring; the query is that line, the answer that unit's id
  renamed.jsonl         {"id", "text", "answer", "renames"}: ~300 function units with the
                        function name, parameters and locals renamed consistently (tokenize);
                        the answer is the original's id (searched against the doc corpus)
  manifest.json         packages and versions, counts, sha256 of each file

Exact duplicates (same text after trailing white space and blank lines are dropped, in either
the doc or the nodoc form) are left out. Deterministic: same packages, same --seed, same bytes.

  python3 make_devset.py --out /tmp/retrieval/devset [--count 25450] [--queries 500] [--seed 1]
"""
import argparse, ast, glob, hashlib, io, json, keyword, os, random, re, subprocess, sys, textwrap, tokenize, builtins

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_TYPES = ["effect", "compute", "reducer", "orchestrator", "none"]
DOMAINS = ["database", "http", "files", "text", "math", "concurrency", "testing", "config"]
SKIP_DIRS = ("/tests/", "/test/", "/testing/", "/_vendor/", "/vendor/", "/_distutils/", "/migrations/", "/locale/")
WORDS = """alpha amber anchor apple arrow aspen atlas autumn badge basin beacon birch blade bloom
bolt breeze brick brook cabin candle canyon carbon cedar chalk cherry cinder citrus clover cobalt
comet copper coral cotton crane crystal dawn delta desert dune eagle echo ember falcon fern field
flint forest fossil garnet glacier granite grove harbor hazel heron horizon indigo iris ivory jade
jasmine juniper kernel lagoon lantern larch lemon lily linen lotus lunar maple marble meadow mesa
mint mist moss nectar nova oak oasis ocean olive onyx opal orbit orchid otter palm pearl pebble
pepper pine planet plum prairie prism quartz quill rain raven reed ridge river robin ruby saffron
sage sand sapphire shadow shell sierra silver slate snow solar spruce star stone storm summit
sun swan thistle thorn thunder tide timber topaz tulip tundra valley velvet violet walnut willow
wind winter wren yarrow zephyr zinc""".split()


def read_packages(path):
    return [l.strip() for l in open(path) if l.strip() and not l.startswith("#")]


def ensure_venv(venv, packages):
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    subprocess.check_call([py, "-m", "pip", "install", "-q", "--no-deps", *packages])
    return subprocess.check_output([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip()


def installed_versions(sp, packages):
    out = {}
    for spec in packages:
        name = spec.split("==")[0]
        norm = re.sub(r"[-_.]+", "_", name).lower()
        for meta in glob.glob(os.path.join(sp, "*.dist-info", "METADATA")):
            d = os.path.basename(os.path.dirname(meta))
            if re.sub(r"[-_.]+", "_", d[:-len(".dist-info")].rsplit("-", 1)[0]).lower() == norm:
                ver = re.search(r"^Version: (.+)$", open(meta, encoding="utf-8", errors="replace").read(), re.M)
                out[name] = ver.group(1).strip() if ver else "?"
    return out


def top_level(sp, name):
    """The import folders of a distribution (top_level.txt or RECORD)."""
    norm = re.sub(r"[-_.]+", "_", name).lower()
    for d in sorted(glob.glob(os.path.join(sp, "*.dist-info"))):
        if re.sub(r"[-_.]+", "_", os.path.basename(d)[:-len(".dist-info")].rsplit("-", 1)[0]).lower() != norm:
            continue
        tops = set()
        if os.path.exists(os.path.join(d, "top_level.txt")):
            tops = {l.strip() for l in open(os.path.join(d, "top_level.txt")) if l.strip()}
        if not tops and os.path.exists(os.path.join(d, "RECORD")):
            for l in open(os.path.join(d, "RECORD")):
                p = l.split(",")[0]
                if "/" in p and p.endswith(".py") and not p.startswith(("..", "__pycache__")) and ".dist-info" not in p:
                    tops.add(p.split("/")[0])
        return sorted(t for t in tops if os.path.isdir(os.path.join(sp, t)))
    return []


def docstring_node(node):
    body = getattr(node, "body", None)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
        return body[0]
    return None


def strip_docstrings(lines, tree):
    """Per-line edits that remove every function/class docstring: {index: new line or None}."""
    edits = {}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        doc = docstring_node(node)
        if doc is None:
            continue
        a, b = doc.lineno - 1, doc.end_lineno - 1
        alone = len(node.body) == 1
        before, after = lines[a][:doc.col_offset], lines[b][doc.end_col_offset:]
        if before.strip() == "" and after.strip() == "" and a not in edits and b not in edits:
            for i in range(a, b + 1):
                edits[i] = None
            if alone:
                edits[a] = before + "pass"
        else:
            # Shares a line with other code: replace just the string by `pass` (valid either way).
            if a in edits or b in edits:
                continue
            new = before + "pass" + after
            for i in range(a + 1, b + 1):
                edits[i] = None
            edits[a] = new if a == b else before + "pass" + after
    return edits


def units_of(path, relpath):
    try:
        source = open(path, encoding="utf-8").read()
        tree = ast.parse(source)
    except (SyntaxError, UnicodeDecodeError, ValueError, OSError, RecursionError):
        return
    # split("\n"), not splitlines(): form feeds would shift ast line numbers.
    lines = source.split("\n")
    edits = strip_docstrings(lines, tree)
    nodoc = [edits.get(i, l) for i, l in enumerate(lines)]

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qual = prefix + child.name
                start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                n = child.end_lineno - start + 1
                if 2 <= n <= 200:
                    text = "\n".join(lines[start - 1:child.end_lineno])
                    text_nodoc = "\n".join(l for l in nodoc[start - 1:child.end_lineno] if l is not None)
                    kind = "class" if isinstance(child, ast.ClassDef) else ("method" if isinstance(node, ast.ClassDef) else "function")
                    doc = ast.get_docstring(child)
                    yield {"qual": qual, "node": child, "text": text, "nodoc": text_nodoc, "kind": kind,
                           "doc": doc, "start": start, "end": child.end_lineno, "path": relpath}
                yield from walk(child, qual + ".")
            else:
                yield from walk(child, prefix)
    yield from walk(tree, "")


def key(text):
    return "\n".join(line.rstrip() for line in text.split("\n") if line.strip())


def stable(text, modulo):
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % modulo


def first_line(doc):
    return doc.strip().splitlines()[0].strip() if doc and doc.strip() else ""


# ---- renaming ---------------------------------------------------------------------------------

RESERVED = set(keyword.kwlist) | set(dir(builtins)) | {"self", "cls", "match", "case", "_"}


def local_names(fn):
    names, declared = [], set()
    a = fn.args
    for arg in a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]:
        names.append(arg.arg)
    for n in ast.walk(fn):
        if isinstance(n, (ast.Global, ast.Nonlocal)):
            declared |= set(n.names)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            declared |= {(al.asname or al.name).split(".")[0] for al in n.names}
        elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            names.append(n.id)
    seen, out = set(), []
    for n in names:
        if n not in seen and n not in declared and n not in RESERVED and not n.startswith("__"):
            seen.add(n)
            out.append(n)
    return out


def rename(text, fn, rng):
    """Rename the function and its parameters/locals in `text` (the unit's source)."""
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(text + "\n").readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None, None
    existing = {t.string for t in toks if t.type == tokenize.NAME}
    pool = [w for w in WORDS if w not in existing]
    rng.shuffle(pool)
    mapping = {}
    parts = pool[:2]
    if "_" in fn.name.strip("_") or fn.name.islower():
        new_fn = "_".join(parts)
    else:
        new_fn = parts[0] + parts[1].capitalize()
    if fn.name.startswith("_") and not fn.name.startswith("__"):
        new_fn = "_" + new_fn
    if not fn.name.startswith("__"):
        mapping[fn.name] = new_fn
    for i, n in enumerate(local_names(fn)):
        w = pool[2 + i] if 2 + i < len(pool) else f"v{i}"
        mapping[n] = ("_" + w) if n.startswith("_") else w
    if len(mapping) < 2:
        return None, None
    # Which NAME tokens to change: not after ".", not a keyword argument of a call.
    sig = [t for t in toks if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]
    changes, depth, in_sig, seen_def = [], 0, False, False
    for i, t in enumerate(sig):
        if t.type == tokenize.OP and t.string in "([{":
            depth += 1
        elif t.type == tokenize.OP and t.string in ")]}":
            depth -= 1
        if t.type == tokenize.NAME and t.string == "def" and not seen_def:
            seen_def, in_sig = True, True
        elif in_sig and t.type == tokenize.OP and t.string == ":" and depth == 0:
            in_sig = False
        if t.type != tokenize.NAME or t.string not in mapping:
            continue
        prev = sig[i - 1].string if i else ""
        nxt = sig[i + 1].string if i + 1 < len(sig) else ""
        if prev == ".":
            continue
        if nxt == "=" and depth > 0 and not in_sig:
            continue
        changes.append((t.start, t.end, mapping[t.string]))
    lines = (text + "\n").split("\n")
    for (r0, c0), (r1, c1), new in sorted(changes, reverse=True):
        ln = lines[r0 - 1]
        lines[r0 - 1] = ln[:c0] + new + ln[c1:]
    out = "\n".join(lines)[:-1]
    try:
        ast.parse(textwrap.dedent(out))
    except SyntaxError:
        return None, None
    used = {k: v for k, v in mapping.items()}
    return out, used


# ---- main ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=25_450)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--renamed", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--venv", default="/tmp/retrieval-venv")
    ap.add_argument("--packages", default=os.path.join(HERE, "packages.txt"))
    ap.add_argument("--cap", type=float, default=0.08, help="most units one package gives, as a share of --count")
    ap.add_argument("--no-install", action="store_true", help="use --venv as it is")
    args = ap.parse_args()
    packages = read_packages(args.packages)
    if args.no_install:
        sp = subprocess.check_output([os.path.join(args.venv, "bin", "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip()
    else:
        sp = ensure_venv(args.venv, packages)
    versions = installed_versions(sp, packages)
    for spec in packages:
        name, _, want = spec.partition("==")
        if want and versions.get(name) != want:
            sys.exit(f"{name}: want {want}, found {versions.get(name)} in {sp}")
    rng = random.Random(args.seed)
    seen = set()
    per_package = {}
    for spec in packages:
        name = spec.split("==")[0]
        units = []
        for top in top_level(sp, name):
            for path in sorted(glob.glob(os.path.join(sp, top, "**", "*.py"), recursive=True)):
                rel = os.path.relpath(path, sp)
                if any(s in "/" + rel for s in SKIP_DIRS):
                    continue
                for u in units_of(path, rel):
                    k1, k2 = key(u["text"]), key(u["nodoc"])
                    if k1 in seen or k2 in seen or not k2.strip():
                        seen.add(k1), seen.add(k2)
                        continue
                    seen.add(k1), seen.add(k2)
                    u["package"] = name
                    units.append(u)
        per_package[name] = units
    cap = int(args.cap * args.count)
    chosen = []
    # Packages under the cap give everything; the others a seeded sample of `cap`... and the
    # remainder is spread over the big ones until --count is reached.
    sizes = {p: len(u) for p, u in per_package.items()}
    quota = {p: min(n, cap) for p, n in sizes.items()}
    while sum(quota.values()) < args.count and any(quota[p] < sizes[p] for p in quota):
        for p in sorted(quota):
            if quota[p] < sizes[p] and sum(quota.values()) < args.count:
                quota[p] += 1
    total = sum(quota.values())
    if total < args.count:
        sys.exit(f"only {total} distinct units; fewer than --count {args.count}")
    # trim the largest quotas if over
    while sum(quota.values()) > args.count:
        p = max(sorted(quota), key=lambda x: quota[x])
        quota[p] -= 1
    for p in sorted(per_package):
        units = per_package[p]
        idx = list(range(len(units)))
        random.Random(f"{args.seed}:{p}").shuffle(idx)
        keep = sorted(idx[:quota[p]])
        chosen += [units[i] for i in keep]
    # ids
    for u in chosen:
        u["id"] = f"{u['path']}:{u['start']}:{u['qual']}"
    assert len({u["id"] for u in chosen}) == len(chosen)
    os.makedirs(args.out, exist_ok=True)

    def record(u, text):
        h = stable(u["id"], 1000)
        return {"id": u["id"], "text": text, "name": u["node"].name, "kind": "class" if u["kind"] == "class" else "function",
                "language": "python", "node_type": NODE_TYPES[h % 5], "domain": DOMAINS[h % 8],
                "tags": [u["package"], u["kind"], "async" if isinstance(u["node"], ast.AsyncFunctionDef) else "sync"],
                "quality": round((h % 100) / 100, 2), "path": u["path"], "line_start": u["start"], "line_end": u["end"]}
    with open(os.path.join(args.out, "patterns-doc.jsonl"), "w") as f:
        for u in chosen:
            f.write(json.dumps(record(u, u["text"]), sort_keys=True) + "\n")
    with open(os.path.join(args.out, "patterns-nodoc.jsonl"), "w") as f:
        for u in chosen:
            f.write(json.dumps(record(u, u["nodoc"]), sort_keys=True) + "\n")
    # queries: unique first lines of >= 4 words, functions and methods only
    firsts = {}
    for u in chosen:
        fl = first_line(u["doc"])
        if fl:
            firsts.setdefault(fl, []).append(u)
    cands = [us[0] for fl, us in firsts.items() if len(us) == 1 and us[0]["kind"] != "class" and len(fl.split()) >= 4]
    cands.sort(key=lambda u: u["id"])
    qrng = random.Random(f"{args.seed}:queries")
    picked = sorted(qrng.sample(range(len(cands)), min(args.queries, len(cands))))
    with open(os.path.join(args.out, "queries.jsonl"), "w") as f:
        for j, i in enumerate(picked):
            u = cands[i]
            f.write(json.dumps({"id": f"q{j:04d}", "text": first_line(u["doc"]), "answer": u["id"]}, ensure_ascii=False) + "\n")
    # renamed copies
    fns = sorted((u for u in chosen if u["kind"] != "class"), key=lambda u: u["id"])
    rrng = random.Random(f"{args.seed}:renamed")
    order = list(range(len(fns)))
    rrng.shuffle(order)
    renamed = []
    for i in order:
        if len(renamed) == args.renamed:
            break
        u = fns[i]
        text, used = rename(u["text"], u["node"], random.Random(f"{args.seed}:{u['id']}"))
        if text is None or text == u["text"]:
            continue
        renamed.append({"id": f"r{len(renamed):04d}", "text": text, "answer": u["id"], "renames": used})
    with open(os.path.join(args.out, "renamed.jsonl"), "w") as f:
        for r in renamed:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    kinds = {}
    for u in chosen:
        kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
    man = {"site_packages": sp, "packages": versions, "units": len(chosen), "kinds": kinds,
           "units_per_package": {p: quota[p] for p in sorted(quota)}, "available_per_package": sizes,
           "with_docstring": sum(1 for u in chosen if u["doc"]), "query_candidates": len(cands),
           "queries": len(picked), "renamed": len(renamed), "seed": args.seed, "files": {}}
    for name in ("patterns-doc.jsonl", "patterns-nodoc.jsonl", "queries.jsonl", "renamed.jsonl"):
        man["files"][name] = hashlib.sha256(open(os.path.join(args.out, name), "rb").read()).hexdigest()
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, sort_keys=True)
    print(f"{len(chosen)} units ({kinds}), {len(picked)} queries of {len(cands)} candidates, {len(renamed)} renamed -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
