#!/usr/bin/env python3
"""Bytes a reader downloads to search: ayni's static index against Pagefind.

Builds the same generated corpus with ayni, and with Hugo followed by
Pagefind, serves both from one local server that gzips text as static hosts
do, and replays a fixed list of query pairs in headless Chromium. For each
pair it records the body bytes the server sends (Web Worker downloads included) for
the first query (client code, index pieces, the ten results shown), for ayni's
facet counts, which the search page loads after the first results are shown,
and for a follow-up query in the same page, then prints them and the ratios.

Usage: python3 bench/search-payload.py [--products N] [--work DIR] [--reuse]
The Hugo and Pagefind side of a size is built once and kept in DIR/www-N;
ayni's side is rebuilt on every run unless --reuse.
Installs Hugo (Debian), Pagefind (npm), Chromium and chromedriver if missing.
"""
import argparse, gzip, http.server, json, os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

from common import HERE, REPO, ensure_debian, ensure_pagefind, run

# Two-word first queries and one-word follow-ups, Spanish as readers type.
QUERIES = [
    ("gestión comunidades", "presupuesto"),
    ("política nutrición", "agricultura"),
    ("desarrollo rural", "municipalidades"),
    ("alianzas incidencia", "evaluación"),
    ("cadenas productivas", "mujeres"),
    ("descentralización regional", "salud"),
]


def ensure_tools(work):
    ensure_debian(("hugo", "hugo"), ("chromium", "chromium"), ("chromium-driver", "chromedriver"))
    return ensure_pagefind(work)


SENT = {"bytes": 0}
LOCK = threading.Lock()


def count(n):
    with LOCK:
        SENT["bytes"] += n


class Handler(http.server.SimpleHTTPRequestHandler):
    """Gzips text like a static host and counts every body byte it sends,
    so downloads made from Web Workers count too."""
    TEXT = (".html", ".js", ".json", ".txt", ".css", ".svg", ".mjs")

    def log_message(self, *a):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if path.endswith(self.TEXT) and os.path.isfile(path) and "gzip" in self.headers.get("Accept-Encoding", ""):
            data = gzip.compress(open(path, "rb").read(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            count(len(data))
            return _Bytes(data)
        f = super().send_head()
        if f is not None and hasattr(f, "fileno"):
            try:
                count(os.fstat(f.fileno()).st_size)
            except OSError:
                pass
        return f


class _Bytes:
    def __init__(self, data):
        self.data = data

    def read(self, *a):
        d, self.data = self.data, b""
        return d

    def close(self):
        pass


Handler.extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"}


def serve(root):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    handler = lambda *a, **k: Handler(*a, directory=root, **k)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, port


class Driver:
    def __init__(self):
        s = socket.socket(); s.bind(("127.0.0.1", 0)); self.port = s.getsockname()[1]; s.close()
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port)).close(); break
            except OSError:
                time.sleep(0.05)
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", f"--user-data-dir={tempfile.mkdtemp()}"]
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": shutil.which("chromium"), "args": args}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())["value"]

    def go(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def run_async(self, script, *args):
        self.call("POST", f"/session/{self.session}/timeouts", {"script": 120000})
        return self.call("POST", f"/session/{self.session}/execute/async", {"script": script, "args": list(args)})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.kill()


# Sets up the engine in the page and runs one query (with the ten results
# shown); `window.__query` stays for the follow-up.
SETUP = """
const done = arguments[arguments.length - 1];
const [engine, q] = arguments;
(async () => {
  if (engine === 'ayni') {
    await new Promise((ok, fail) => { const s = document.createElement('script'); s.src = '/ayni/js/search.js'; s.onload = ok; s.onerror = fail; document.head.appendChild(s); });
    const e = window.ayniSearchEngine((p, t) => fetch('/ayni/search/' + p).then(r => r.ok ? (t ? r.text() : r.json()) : null));
    window.__query = async (q) => { const r = await e.run(q, false, {}); await Promise.all(r.hits.slice(0, 10).map(h => e.doc(h[0]))); window.__all = r.all; return r.hits.length; };
    window.__facets = () => e.facets(window.__all).then(() => 0);
  } else {
    const pf = await import('/pf/pagefind/pagefind.js');
    await pf.init();
    window.__query = async (q) => { const r = await pf.search(q); await Promise.all(r.results.slice(0, 10).map(x => x.data())); return r.results.length; };
  }
  done(await window.__query(q));
})().catch(e => done('error: ' + e));
"""
FACETS = """
const done = arguments[arguments.length - 1];
(window.__facets ? window.__facets() : Promise.resolve(0)).then(done, e => done('error: ' + e));
"""
FOLLOW = """
const done = arguments[arguments.length - 1];
window.__query(arguments[0]).then(done, e => done('error: ' + e));
"""


def measure(drv, port, engine, q1, q2):
    drv.go(f"http://127.0.0.1:{port}/index.html")
    time.sleep(0.2)
    SENT["bytes"] = 0
    n1 = drv.run_async(SETUP, engine, q1)
    time.sleep(0.3)
    first = SENT["bytes"]
    SENT["bytes"] = 0
    drv.run_async(FACETS)
    time.sleep(0.3)
    facets = SENT["bytes"]
    SENT["bytes"] = 0
    n2 = drv.run_async(FOLLOW, q2)
    time.sleep(0.3)
    follow = SENT["bytes"]
    if isinstance(n1, str) or isinstance(n2, str):
        raise SystemExit(f"{engine}: {n1} {n2}")
    return [first, follow, n1, n2, facets]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=10000)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "ayni-bench"))
    ap.add_argument("--reuse", action="store_true", help="keep the built sites of a previous run")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    pagefind = ensure_tools(a.work)
    site, twin = os.path.join(a.work, f"site-{a.products}"), os.path.join(a.work, f"hugo-{a.products}")
    if not os.path.exists(os.path.join(site, "site.yaml")) or not os.path.exists(os.path.join(twin, "hugo.toml")):
        run([sys.executable, os.path.join(HERE, "gen-corpus.py"), "--products", str(a.products), "--out", site, "--hugo", twin])
    run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    ayni = os.path.join(REPO, "target", "release", "ayni")
    root = os.path.join(a.work, f"www-{a.products}")
    os.makedirs(root, exist_ok=True)
    if not (a.reuse and os.path.isdir(os.path.join(root, "ayni", "search"))):
        shutil.rmtree(os.path.join(root, "ayni"), ignore_errors=True)
        run([ayni, "build", "--root", site, "--out", os.path.join(root, "ayni"), "--base-url", "/ayni/"])
    if not os.path.isdir(os.path.join(root, "pf", "pagefind")):
        shutil.rmtree(os.path.join(root, "pf"), ignore_errors=True)
        run(["hugo", "--quiet", "--source", twin, "--destination", os.path.join(root, "pf"), "--baseURL", "/pf/"])
        run([pagefind, "--site", os.path.join(root, "pf")], stdout=subprocess.DEVNULL)
    with open(os.path.join(root, "index.html"), "w") as f:
        f.write("<!doctype html><html lang=es><title>bench</title><body>bench</body></html>")
    srv, port = serve(root)
    drv = Driver()
    rows = []
    try:
        for q1, q2 in QUERIES:
            row = {"queries": f"{q1} → {q2}"}
            for engine in ("ayni", "pagefind"):
                row[engine] = measure(drv, port, engine, q1, q2)
            rows.append(row)
    finally:
        drv.close()
        srv.shutdown()
    kb = lambda b: f"{b / 1024:7.1f} KB"
    print(f"\nSearch payload on {a.products} generated products (gzip as a static host serves it)\n")
    print(f"{'queries':44} {'ayni 1st':>10} {'pagefind 1st':>13} {'ratio':>6} {'ayni facets':>12} {'ayni next':>10} {'pagefind next':>14} {'results a/p':>12}")
    for r in rows:
        (a1, a2, an1, _, af), (p1, p2, pn1, _, _) = r["ayni"], r["pagefind"]
        print(f"{r['queries']:44} {kb(a1)} {kb(p1):>13} {a1 / p1:6.2f} {kb(af):>12} {kb(a2)} {kb(p2):>14} {an1:>5}/{pn1:<5}")
    ratios = [r["ayni"][0] / r["pagefind"][0] for r in rows]
    first = statistics.median(ratios)
    follow = statistics.median(r["ayni"][1] for r in rows)
    worst = max(r["ayni"][1] for r in rows)
    print(f"\nfirst-query ratio ayni/pagefind: median {first:.2f}, highest {max(ratios):.2f} (goal ≤ 0.25 for every query)")
    print(f"first query, ayni: median {statistics.median(r['ayni'][0] for r in rows) / 1024:.1f} KB; "
          f"Pagefind: median {statistics.median(r['pagefind'][0] for r in rows) / 1024:.1f} KB")
    print(f"facet counts after the first results, ayni: median {statistics.median(r['ayni'][4] for r in rows) / 1024:.1f} KB, "
          f"highest {max(r['ayni'][4] for r in rows) / 1024:.1f} KB")
    print(f"follow-up query, ayni: median {follow / 1024:.1f} KB, worst {worst / 1024:.1f} KB (goal ≤ 30 KB)")


if __name__ == "__main__":
    main()
