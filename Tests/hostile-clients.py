#!/usr/bin/env python3
"""Careless and hostile clients against a running `strata serve` (issue 18).

Usage: python3 Tests/hostile-clients.py BASE_URL HEADER_TIMEOUT BODY_TIMEOUT

Sends malformed requests of every kind with Python's urllib (which writes a whole body before
it reads anything), a 64 MiB body among them, then trickles a request head and a request body
over raw sockets. Fails (exit 1, one line per failure) on any 5xx answer, any request that
hangs past its timeout or whose connection drops without an answer, a trickling connection
the server does not cut within its timeout, or a store whose pattern count changed.
"""
import json
import socket
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

BASE, HEADER_TIMEOUT, BODY_TIMEOUT = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
HOST, PORT = urlparse(BASE).hostname, urlparse(BASE).port
failures = []


def send(method, path, body=None, headers=None, timeout=30):
    """(status, body bytes), or (None, reason) when no answer came."""
    request = urllib.request.Request(BASE + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except Exception as error:  # timeouts, resets, refused
        return None, f"{type(error).__name__}: {error}"


def patterns():
    status, body = send("GET", "/readyz")
    return json.loads(body)["patterns"] if status == 200 else None


JSON = {"Content-Type": "application/json"}
before = patterns()
if before is None:
    sys.exit("hostile-clients: the server does not answer /readyz")

cases = [
    ("64 MiB body", "POST", "/v1/patterns", b'{"text": "' + b"a" * (64 << 20) + b'"}', JSON),
    ("33 MiB body", "POST", "/v1/search", b'{"text": "' + b"x" * (33 << 20) + b'"}', JSON),
    ("empty body", "POST", "/v1/patterns", b"", JSON),
    ("not JSON", "POST", "/v1/patterns", b"hello", JSON),
    ("truncated JSON", "POST", "/v1/patterns", b'{"text": "def f(', JSON),
    ("JSON array", "POST", "/v1/patterns", b"[1, 2, 3]", JSON),
    ("JSON null", "POST", "/v1/search", b"null", JSON),
    ("deep nesting", "POST", "/v1/search", b"[" * 100000 + b"]" * 100000, JSON),
    ("invalid UTF-8", "POST", "/v1/patterns", b'{"text": "\xff\xfe\xfd"}', JSON),
    ("NUL bytes", "POST", "/v1/patterns", b'{"text": "a\x00b"}', JSON),
    ("wrong type for text", "POST", "/v1/patterns", b'{"text": 42}', JSON),
    ("wrong type for k", "POST", "/v1/search", b'{"text": "rows", "k": "ten"}', JSON),
    ("negative k", "POST", "/v1/search", b'{"text": "rows", "k": -1}', JSON),
    ("huge k", "POST", "/v1/search", b'{"text": "rows", "k": 99999999999999999999}', JSON),
    ("NaN in a vector", "POST", "/v1/search", b'{"vector": [NaN, 1]}', JSON),
    ("vector of the wrong size", "POST", "/v1/search", b'{"vector": [1, 2, 3]}', JSON),
    ("unknown field", "POST", "/v1/search", b'{"txet": "rows"}', JSON),
    ("bad filter", "POST", "/v1/search", b'{"text": "rows", "filter": "node_type=="}', JSON),
    ("empty text", "POST", "/v1/search", b'{"text": ""}', JSON),
    ("plain text", "POST", "/v1/patterns", b"def f(): pass", {"Content-Type": "text/plain"}),
    ("form body", "POST", "/v1/patterns", b"text=def+f", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("unknown route", "GET", "/v1/nothing-here", None, {}),
    ("unknown method", "PURGE", "/v1/patterns", None, {}),
    ("DELETE unknown id", "DELETE", "/v1/patterns/no-such-id", None, {}),
    ("PATCH bad outcome", "PATCH", "/v1/patterns/no-such-id", b'{"outcome": "maybe"}', JSON),
    ("path traversal", "GET", "/v1/patterns/..%2F..%2Fetc%2Fpasswd", None, {}),
    ("very long path", "GET", "/v1/patterns/" + "a" * 20000, None, {}),
    ("huge header", "GET", "/healthz", None, {"X-Padding": "p" * 100000}),
    ("many headers", "GET", "/healthz", None, {f"X-H{i}": "v" for i in range(2000)}),
    ("bad percent escape", "GET", "/v1/patterns/%zz", None, {}),
    ("query with junk", "GET", "/v1/patterns?limit=abc&offset=-5", None, {}),
    ("Qdrant bad collection name", "PUT", "/collections/..", b'{"vectors": {"size": 4, "distance": "Cosine"}}', JSON),
    ("Qdrant bad vector size", "PUT", "/collections/hostile", b'{"vectors": {"size": -4, "distance": "Cosine"}}', JSON),
    ("Qdrant unknown distance", "PUT", "/collections/hostile", b'{"vectors": {"size": 4, "distance": "Manhattan2"}}', JSON),
    ("Qdrant search on no collection", "POST", "/collections/none/points/search", b'{"vector": [1, 0], "limit": 3}', JSON),
    ("Qdrant bad filter", "POST", "/collections/none/points/count", b'{"filter": {"must": [{"key": 5}]}}', JSON),
    ("cluster with bad k", "POST", "/v1/clusters", b'{"k": -3}', JSON),
    ("generate with no prompt", "POST", "/v1/generate", b"{}", JSON),
    ("HEAD on a POST route", "HEAD", "/v1/search", None, {}),
    ("OPTIONS", "OPTIONS", "/v1/search", None, {}),
]

for name, method, path, body, headers in cases:
    started = time.time()
    status, answer = send(method, path, body, headers)
    took = time.time() - started
    if status is None:
        failures.append(f"{name}: no answer after {took:.1f} s ({answer})")
    elif status >= 500:
        failures.append(f"{name}: {status} {answer[:160]!r}")
    print(f"{name}: {status} in {took:.2f} s")


def trickle(payload, pause, limit, prefix=b""):
    """Sends `prefix` at once, then `payload` a byte at a time, `pause` s apart; the seconds
    until the server closed the connection, or None when it was still open after `limit` s."""
    connection = socket.create_connection((HOST, PORT))
    connection.sendall(prefix)
    connection.settimeout(0.05)
    started = time.time()
    try:
        for byte in payload:
            if time.time() - started > limit:
                return None
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                return time.time() - started
            try:
                if connection.recv(4096) == b"":
                    return time.time() - started
            except socket.timeout:
                pass
            except OSError:
                return time.time() - started
            time.sleep(pause)
        return None
    finally:
        connection.close()


head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"s" * 10000 + b"\r\n\r\n"
cut = trickle(head, 0.2, HEADER_TIMEOUT + 5)
if cut is None or cut > HEADER_TIMEOUT + 2:
    failures.append(f"slow head: connection still open after {HEADER_TIMEOUT + 5:.0f} s (header_timeout {HEADER_TIMEOUT})")
print(f"slow head cut after {cut}")

body = b'{"text": "' + b"t" * 10000 + b'"}'
slow = b"POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
cut = trickle(body, 0.02, BODY_TIMEOUT + 5, prefix=slow)
if cut is None or cut > BODY_TIMEOUT + 2:
    failures.append(f"slow body: connection still open after {BODY_TIMEOUT + 5:.0f} s (body_timeout {BODY_TIMEOUT})")
print(f"slow body cut after {cut}")

after = patterns()
if after != before:
    failures.append(f"the store changed: {before} patterns before, {after} after")
status, _ = send("GET", "/healthz")
if status != 200:
    failures.append(f"the server does not answer /healthz afterwards ({status})")

for failure in failures:
    print("FAIL " + failure)
print(f"{len(cases)} malformed requests, 2 trickling connections: {len(failures)} failures")
sys.exit(1 if failures else 0)
