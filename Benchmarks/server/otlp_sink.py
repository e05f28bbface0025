#!/usr/bin/env python3
"""An OTLP/HTTP collector that keeps nothing: accepts POST /v1/traces, answers 200 with an
empty export response, counts the posts and bytes. Stands in for a collector while tracing.sh
measures what tracing costs the server, so that the cost is the engine's, not a collector's.
Prints the counts when stopped (SIGTERM or SIGINT). Usage: otlp_sink.py PORT"""
import signal, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

posts = 0
received = 0


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global posts, received
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        posts += 1
        received += length
        self.send_response(200 if self.path == "/v1/traces" else 404)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def stop(*_):
    print(f"sink: {posts} posts, {received} bytes", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
