#!/usr/bin/env python3
"""Drives headless Chromium through the pattern explorer as a person would: opens /explore,
types a query into the search box, presses Enter, and reads the results the page then shows.
Prints one JSON object: {"url", "summary", "results": [{"id", "title"}...], "code"}.

Speaks the Chrome DevTools Protocol over a WebSocket written here on the standard library
(the handshake and unmasked/masked text frames are all CDP needs), so that the test needs
nothing beyond python3 and the chromium the Makefile installs.
Usage: explorer_browser_check.py CHROMIUM BASE_URL QUERY"""
import base64, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request


class WebSocket:
    def __init__(self, url):
        host, port, path = re.match(r"ws://([^:/]+):(\d+)(/.*)", url).groups()
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise SystemExit(f"the DevTools WebSocket refused the upgrade: {head[:80]!r}")

    def send(self, text):
        payload, mask = text.encode(), os.urandom(4)
        header = bytes([0x81])
        length = len(payload)
        header += bytes([0x80 | length]) if length < 126 else (bytes([0x80 | 126]) + struct.pack(">H", length) if length < 65536 else bytes([0x80 | 127]) + struct.pack(">Q", length))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def exactly(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise SystemExit("the DevTools WebSocket closed")
            data += chunk
        return data

    def receive(self):
        message = b""
        while True:
            first, second = self.exactly(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self.exactly(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self.exactly(8))[0]
            payload = self.exactly(length)
            if first & 0x0F in (0x1, 0x0):
                message += payload
                if first & 0x80:
                    return json.loads(message)


class Page:
    def __init__(self, socket):
        self.socket, self.next_id, self.events = socket, 0, []

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = self.socket.receive()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise SystemExit(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message.get("method"))

    def wait_for(self, event, seconds=20):
        deadline = time.time() + seconds
        while event not in self.events:
            if time.time() > deadline:
                raise SystemExit(f"no {event} within {seconds} s")
            self.events.append(self.socket.receive().get("method"))
        self.events.remove(event)

    def evaluate(self, expression):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")


def main():
    chromium, base, query = sys.argv[1:4]
    profile = tempfile.mkdtemp(prefix="strata-explorer-")
    browser = subprocess.Popen([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
                                "--remote-debugging-port=0", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for line in browser.stderr:
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                port = found.group(1)
                break
        if port is None:
            raise SystemExit("chromium printed no DevTools address")
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = Page(WebSocket(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]))
        page.call("Page.enable")
        page.call("Page.navigate", url=base + "/explore")
        page.wait_for("Page.loadEventFired")
        page.evaluate("document.querySelector('#search input[name=q]').focus()")
        page.call("Input.insertText", text=query)
        for kind in ("keyDown", "keyUp"):
            page.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r" if kind == "keyDown" else "")
        page.wait_for("Page.loadEventFired")
        print(page.evaluate("""JSON.stringify({
            url: location.href,
            summary: (document.querySelector('#summary') || {}).innerText || '',
            results: [...document.querySelectorAll('#results article.hit')].map(a => ({
                id: (a.querySelector('p.meta').innerText.split(' · ')[0]), title: a.querySelector('h3').innerText})),
            code: ((document.querySelector('#results article.hit pre') || {}).innerText || '')})"""))
    finally:
        browser.terminate()
        try:
            browser.wait(10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)


main()
