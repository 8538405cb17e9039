#!/usr/bin/env python3
"""Preview latency: from saving one product to its rebuilt page being served.

Generates the corpus (and its Hugo twin) with gen-corpus.py, times a full
`ayni build --drafts` of it, then starts `ayni serve` and makes N edits to N
different products: each appends a unique word to the body and polls the
product's page over HTTP until the word is there. Prints the median, the
spread and the ratio to the full build; then does the same with `hugo
server` on the twin (installed from Debian if missing) and prints the ratio
ayni / Hugo.

Usage: python3 bench/serve-latency.py [--products 10000] [--edits 20] [--work DIR] [--reuse]
"""
import argparse, json, os, shutil, socket, statistics, subprocess, sys, time, urllib.request

from common import AYNI, HERE, REPO, ensure_debian, fetch, free_port, run


def wait_for(url, word, start, limit=120.0):
    """Polls `url` until it contains `word`; returns seconds since `start`."""
    while True:
        if word in fetch(url):
            return time.perf_counter() - start
        if time.perf_counter() - start > limit:
            raise SystemExit(f"timed out waiting for {word} at {url}")
        time.sleep(0.002)


def products(site):
    out = []
    for section in sorted(os.listdir(os.path.join(site, "content"))):
        d = os.path.join(site, "content", section)
        if section in ("partners", "outcomes", "topics", "pages") or not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith(".md") and not name.startswith("_"):
                out.append((section, name[:-3]))
    return out


def append(path, word):
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"\n\nPárrafo de prueba con {word}.\n")


def edits(site, url_of, n, tag, settle):
    """Makes `n` edits to different products; returns the latencies."""
    chosen = products(site)
    step = max(1, len(chosen) // n)
    times = []
    for k in range(n):
        section, slug = chosen[(k * step + 7) % len(chosen)]
        word = f"marcador{tag}{k}x{int(time.time() * 1000) % 100000}"
        start = time.perf_counter()
        append(os.path.join(site, "content", section, slug + ".md"), word)
        times.append(wait_for(url_of(section, slug), word, start))
        settle()
    return times


def summary(name, times):
    ms = sorted(t * 1000 for t in times)
    print(f"{name:>12}: median {statistics.median(ms):8.1f} ms  (min {ms[0]:.1f}, max {ms[-1]:.1f}, n={len(ms)})")
    return statistics.median(ms)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--work", default="/tmp/ayni-bench")
    ap.add_argument("--reuse", action="store_true", help="reuse a corpus generated before")
    args = ap.parse_args()

    site = os.path.join(args.work, f"serve-site-{args.products}")
    hugo_site = os.path.join(args.work, f"serve-hugo-{args.products}")
    if not (args.reuse and os.path.isdir(site) and os.path.isdir(hugo_site)):
        run([sys.executable, os.path.join(HERE, "gen-corpus.py"), "--products", str(args.products),
             "--out", site, "--hugo", hugo_site])
    run(["cargo", "build", "--release", "--quiet"], cwd=REPO)

    # The full build the edits are compared with: same content, drafts included.
    out = os.path.join(args.work, "serve-full-build")
    builds = []
    for _ in range(3):
        # A real build each time, not the cache's "nothing changed".
        shutil.rmtree(os.path.join(site, ".ayni-cache"), ignore_errors=True)
        start = time.perf_counter()
        run([AYNI, "build", "--drafts", "--root", site, "--out", out], stderr=subprocess.DEVNULL)
        builds.append(time.perf_counter() - start)
    full = statistics.median(builds)
    print(f"full build ({args.products} products, median of 3): {full:.2f} s")

    port = free_port()
    log = open(os.path.join(args.work, "serve.log"), "w")
    server = subprocess.Popen([AYNI, "serve", "--root", site, "--port", str(port)], stderr=log)
    base = f"http://127.0.0.1:{port}"

    def status():
        try:
            return json.loads(fetch(base + "/__ayni/status") or "{}")
        except ValueError:
            return {}

    def settle():
        # The search index follows the page; let it finish before the next edit.
        time.sleep(0.05)
        while status().get("building", True):
            time.sleep(0.05)

    try:
        start = time.perf_counter()
        while status().get("generation", 0) < 1:
            time.sleep(0.1)
            if time.perf_counter() - start > 600:
                raise SystemExit("ayni serve did not start")
        settle()
        ayni = edits(site, lambda s, p: f"{base}/{s}/{p}/", args.edits, "a", settle)
    finally:
        server.terminate()
        server.wait()
    print()
    a = summary("ayni serve", ayni)
    print(f"{'':>12}  median edit / full build: {a / 1000 / full:.4f}  (full build {full * 1000:.0f} ms)")

    ensure_debian(("hugo", "hugo"))
    hport = free_port()
    hlog = open(os.path.join(args.work, "hugo-server.log"), "w")
    hugo = subprocess.Popen(["hugo", "server", "--source", hugo_site, "--port", str(hport), "--bind", "127.0.0.1",
                             "--disableLiveReload", "--baseURL", f"http://127.0.0.1:{hport}/"],
                            stdout=hlog, stderr=subprocess.STDOUT)
    hbase = f"http://127.0.0.1:{hport}"
    try:
        start = time.perf_counter()
        first = products(hugo_site)[0]
        while not fetch(f"{hbase}/{first[0]}/{first[1]}/"):
            time.sleep(0.2)
            if time.perf_counter() - start > 900:
                raise SystemExit("hugo server did not start")
        time.sleep(1)
        h = edits(hugo_site, lambda s, p: f"{hbase}/{s}/{p}/", args.edits, "h", lambda: time.sleep(0.5))
    finally:
        hugo.terminate()
        hugo.wait()
    hm = summary("hugo server", h)
    print(f"\nayni / hugo (median save-to-served): {a / hm:.4f}")


if __name__ == "__main__":
    main()
