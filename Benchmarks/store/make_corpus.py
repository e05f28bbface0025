#!/usr/bin/env python3
"""Real code patterns for the store benchmarks: functions and methods of this machine's
Python (standard library first, then dist-packages), one JSON object a line.

Writes <out>/patterns.jsonl (--count records: id, text, name, kind, language, node_type,
domain, tags, quality) and <out>/queries.jsonl (--queries natural-language lookups made from
the docstrings of other functions, not in the patterns). Deterministic: same machine, same
files. Exact duplicates (same text after trailing white space is dropped) are left out, so
every line becomes one pattern.
"""
import argparse, ast, glob, hashlib, json, os, sys

NODE_TYPES = ["effect", "compute", "reducer", "orchestrator", "none"]
DOMAINS = ["database", "http", "files", "text", "math", "concurrency", "testing", "config"]


def functions(root):
    for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
        if "/site-packages/" in path:
            continue
        try:
            source = open(path, encoding="utf-8").read()
            tree = ast.parse(source)
        except (SyntaxError, UnicodeDecodeError, ValueError, OSError):
            continue
        # split("\n"), not splitlines(): form feeds in old sources would shift ast line numbers.
        lines = source.split("\n")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                text = "\n".join(lines[start - 1:node.end_lineno])
                if 2 <= node.end_lineno - start + 1 <= 200:
                    yield path, node, text


def stable(text, modulo):
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % modulo


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=25_450)
    parser.add_argument("--queries", type=int, default=1_000)
    args = parser.parse_args()
    roots = [p for p in sorted(glob.glob("/usr/lib/python3.[0-9]*")) if os.path.isdir(p)] + ["/usr/lib/python3/dist-packages"]
    os.makedirs(args.out, exist_ok=True)
    seen = set()
    patterns, queries = [], []
    for root in roots:
        for path, node, text in functions(root):
            key = "\n".join(line.rstrip() for line in text.splitlines() if line.strip())
            if key in seen:
                continue
            seen.add(key)
            if len(patterns) < args.count:
                h = stable(path + node.name, 1000)
                patterns.append({
                    "id": f"{os.path.relpath(path, '/usr/lib')}:{node.lineno}:{node.name}",
                    "text": text, "name": node.name, "kind": "function", "language": "python",
                    "node_type": NODE_TYPES[h % 5], "domain": DOMAINS[h % 8],
                    "tags": ["stdlib" if "dist-packages" not in path else "package", "async" if isinstance(node, ast.AsyncFunctionDef) else "sync"],
                    "quality": round((h % 100) / 100, 2),
                })
            doc = ast.get_docstring(node)
            if doc:
                first = doc.strip().splitlines()[0].strip()
                if 4 <= len(first.split()) <= 20:
                    queries.append({"text": first})
            if len(patterns) >= args.count:
                break
        if len(patterns) >= args.count:
            break
    # An even, deterministic sample of the docstring first lines: what a generator asks for.
    step = max(1, len(queries) // args.queries)
    queries = queries[::step][:args.queries]
    with open(os.path.join(args.out, "patterns.jsonl"), "w") as f:
        for p in patterns:
            f.write(json.dumps(p, sort_keys=True) + "\n")
    with open(os.path.join(args.out, "queries.jsonl"), "w") as f:
        for q in queries:
            f.write(json.dumps(q) + "\n")
    print(f"{len(patterns)} patterns, {len(queries)} queries in {args.out}", file=sys.stderr)
    if len(patterns) < args.count:
        sys.exit(f"only {len(patterns)} distinct functions found; fewer than --count {args.count}")


if __name__ == "__main__":
    main()
