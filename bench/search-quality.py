#!/usr/bin/env python3
"""Search quality on real text: ayni's CLI and browser engine against Pagefind.

Builds Debian's Spanish man pages (manpages-es, installed if missing) into an
ayni site with bench/manpages.py, builds it with `ayni build`, and indexes
the same built HTML with Pagefind (product pages only, each page's
`article.product` without its related-products and citation boxes, which is
the text ayni indexes). A fixed program (seeded) makes known-item queries
from the corpus: two words of a product's title, or one or two rare words
of its body; each query loses its accents with even odds; each such clean query also
gets one-typo variants. Every query runs through `ayni search`, the browser
engine (themes/default/static/js/search.js in Node) and Pagefind's own
search (pagefind.js and its WebAssembly, in Node). It prints success@1,
success@3 and MRR (within the top ten) for clean and typo queries, and the
gzip bytes of a first and a follow-up query in headless Chromium for ayni's
browser index and for Pagefind, measured as bench/search-payload.py does.

Usage: python3 bench/search-quality.py [--work DIR] [--limit-pages N] [--queries N] [--seed S]
"""
import argparse, datetime, importlib.util, json, math, os, random, re, shutil, statistics, subprocess, sys, unicodedata
from collections import Counter

from common import HERE, REPO, AYNI, ensure_debian, ensure_pagefind, run
import manpages

LETTERS = "abcdefghijklmnñopqrstuvwxyzáéíóúü"
WORD = re.compile(r"[^\W\d_]+")
# Words too common to pick a known item by, Spanish and man-page boilerplate.
STOP = set("""de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o
este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante
todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él
tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros es son ser
puede si cada debe será sólo solo véase consulte opción opciones archivo archivos orden página manual""".split())


def fold(s):
    """Without accents, ñ kept: what a reader types on a keyboard without them."""
    out = []
    for c in s:
        if c in "ñÑ":
            out.append(c)
        else:
            out.append("".join(d for d in unicodedata.normalize("NFD", c) if not unicodedata.combining(d)))
    return "".join(out)


def read_products(site):
    """[(url, title words, body words)] of the site's products."""
    products = []
    for root, _, files in os.walk(os.path.join(site, "content")):
        for name in sorted(files):
            section = os.path.basename(root)
            if section == "partners" or not name.endswith(".md"):
                continue
            text = open(os.path.join(root, name), encoding="utf-8").read()
            _, front, body = text.split("---\n", 2)
            title = json.loads(front.split("title: ", 1)[1].split("\n", 1)[0])
            words = lambda t: [w.lower() for w in WORD.findall(t.replace("\\", ""))]
            products.append((f"/{section}/{name[:-3]}/", words(title), words(body)))
    return sorted(products)


def typo(word, op, rng):
    """WORD with one edit of kind OP at a random place."""
    i = rng.randrange(len(word))
    if op == "deletion":
        return word[:i] + word[i + 1:]
    if op == "insertion":
        return word[:i] + rng.choice(LETTERS[:27]) + word[i:]
    if op == "substitution":
        return word[:i] + rng.choice([c for c in LETTERS[:27] if c != word[i]]) + word[i + 1:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def make_queries(products, n, seed):
    """(clean, typo) lists of {q, target, kind}; the same for the same corpus and seed."""
    rng = random.Random(seed)
    df = Counter(w for _, _, body in products for w in set(body))
    good = lambda w: len(w) >= 4 and w not in STOP
    clean = []
    for url, title, body in rng.sample(products, min(n, len(products))):
        kind = rng.choice(["title", "rare"])
        if kind == "title":
            pool = sorted(set(filter(good, title)))
            words = rng.sample(pool, min(2, len(pool)))
        else:
            pool = sorted({w for w in body if good(w) and len(w) >= 5 and df[w] <= 3})
            words = rng.sample(pool, min(rng.choice([1, 2]), len(pool)))
        if not words:
            continue
        if rng.random() < 0.5:
            words = [fold(w) for w in words]
        clean.append({"q": " ".join(words), "target": url, "kind": kind})
    typos = []
    for q in clean:
        long = [w for w in q["q"].split() if len(w) >= 5]
        if not long:
            continue
        word = rng.choice(long)
        for op in ("deletion", "insertion", "substitution", "transposition"):
            bad = typo(word, op, rng)
            typos.append({**q, "q": q["q"].replace(word, bad, 1), "kind": op})
    return clean, typos


def cli_urls(site, queries):
    out = []
    for q in queries:
        r = subprocess.run([AYNI, "search", "--json", "--limit", "10", "--root", site, q["q"]], capture_output=True, text=True)
        try:
            out.append([h["url"] for h in json.loads(r.stdout)["hits"]])
        except (ValueError, KeyError):
            out.append([])
    return out


def node_urls(script, folder, queries, work):
    qfile = os.path.join(work, "queries.json")
    with open(qfile, "w") as f:
        json.dump({"queries": [{"q": q["q"]} for q in queries]}, f)
    r = subprocess.run(["node", script, folder, qfile, "10"], capture_output=True, text=True, check=True)
    return [x["urls"] for x in json.loads(r.stdout)]


def scores(queries, results):
    """success@1, success@3 and MRR within the top ten."""
    ranks = [urls.index(q["target"]) + 1 if q["target"] in urls else None for q, urls in zip(queries, results)]
    n = max(len(ranks), 1)
    return (sum(r == 1 for r in ranks) / n, sum(r is not None and r <= 3 for r in ranks) / n,
            sum(1 / r for r in ranks if r) / n)


def payload(work, public, pairs):
    """Median gzip bytes of a first and a follow-up query, per engine, in Chromium."""
    ensure_debian(("chromium", "chromium"), ("chromium-driver", "chromedriver"))
    spec = importlib.util.spec_from_file_location("payload", os.path.join(HERE, "search-payload.py"))
    pl = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pl)
    www = os.path.join(work, "www")
    shutil.rmtree(www, ignore_errors=True)
    os.makedirs(www)
    for name in ("ayni", "pf"):
        os.symlink(os.path.abspath(public), os.path.join(www, name))
    with open(os.path.join(www, "index.html"), "w") as f:
        f.write("<!doctype html><html lang=es><title>bench</title><body>bench</body></html>")
    srv, port = pl.serve(www)
    drv = pl.Driver()
    got = {"ayni": [], "pagefind": []}
    try:
        for q1, q2 in pairs:
            for engine in got:
                got[engine].append(pl.measure(drv, port, engine, q1, q2)[:2])
    finally:
        drv.close()
        srv.shutdown()
    return {e: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v)) for e, v in got.items()}


def versions(pagefind):
    out = lambda cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    return [
        out([AYNI, "--version"]) + " (" + out(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]) + ")",
        out([pagefind, "--version"]),
        "node " + out(["node", "--version"]),
        "manpages-es " + out(["dpkg-query", "-W", "-f", "${Version}", "manpages-es"]),
    ]


def report(a, products, words, skipped, clean, typos, results, bytes_, vers):
    print(f"\nKnown-item search on real text — {datetime.date.today().isoformat()}")
    print(f"corpus: Debian manpages-es, {len(products)} products ({skipped} pages skipped), {words:,} words")
    print("versions: " + ", ".join(vers))
    print(f"queries: {len(clean)} clean (each without accents at even odds), {len(typos)} with one typo; seed {a.seed}\n")
    print(f"| queries | engine | success@1 | success@3 | MRR |")
    print(f"| --- | --- | ---: | ---: | ---: |")
    for label, qs in (("clean", clean), ("one typo", typos)):
        for engine in ("ayni CLI", "ayni browser", "Pagefind"):
            s1, s3, mrr = scores(qs, results[label][engine])
            print(f"| {label} | {engine} | {s1:.3f} | {s3:.3f} | {mrr:.3f} |")
    if bytes_:
        print(f"\n| engine | first query (gzip) | follow-up query (gzip) |")
        print(f"| --- | ---: | ---: |")
        for engine, (first, follow) in bytes_.items():
            print(f"| {engine} | {first / 1024:.1f} KB | {follow / 1024:.1f} KB |")
        ratio = bytes_["ayni"][0] / bytes_["pagefind"][0]
        print(f"\nfirst-query bytes ayni/Pagefind: {ratio:.2f} (goal ≤ 0.25); medians over {a.payload_pairs} query pairs")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench-quality"))
    ap.add_argument("--limit-pages", type=int, default=0, help="at most N man pages (default all)")
    ap.add_argument("--queries", type=int, default=300, help="clean queries (default 300)")
    ap.add_argument("--seed", default="22")
    ap.add_argument("--payload-pairs", type=int, default=6, help="query pairs for the byte counts (0: skip)")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    ensure_debian(("man-db", "man"), ("nodejs", "node"), ("npm", "npm"))
    # Other packages bring a few Spanish pages; ls(1) is manpages-es's own.
    if not os.path.isfile(os.path.join(manpages.MAN_DIR, "man1", "ls.1.gz")):
        run(["apt-get", "install", "-y", "-qq", "manpages-es"])
    pagefind = ensure_pagefind(a.work)
    site, public = os.path.join(a.work, "site"), os.path.join(a.work, "public")
    made, skipped = manpages.write_site(site, a.limit_pages)
    run([AYNI, "check", "--root", site], stdout=subprocess.DEVNULL)
    run([AYNI, "build", "--root", site, "--out", public], stdout=subprocess.DEVNULL)
    run([pagefind, "--site", public, "--glob", "man*/*/index.html", "--root-selector", "article.product",
         "--exclude-selectors", ".related", "--exclude-selectors", ".cite"], stdout=subprocess.DEVNULL)
    products = read_products(site)
    clean, typos = make_queries(products, a.queries, a.seed)
    results = {}
    for label, qs in (("clean", clean), ("one typo", typos)):
        results[label] = {
            "ayni CLI": cli_urls(site, qs),
            "ayni browser": node_urls(os.path.join(REPO, "tests", "js", "search-urls.js"), os.path.join(public, "search"), qs, a.work),
            "Pagefind": node_urls(os.path.join(HERE, "pagefind-search.mjs"), os.path.join(public, "pagefind"), qs, a.work),
        }
    rng = random.Random(a.seed)
    titles = [q["q"] for q in clean if q["kind"] == "title"]
    rares = [q["q"] for q in clean if q["kind"] == "rare"]
    pairs = list(zip(rng.sample(titles, min(a.payload_pairs, len(titles))), rng.sample(rares, min(a.payload_pairs, len(rares)))))
    bytes_ = payload(a.work, public, pairs) if pairs else None
    words = sum(len(b) for _, _, b in products)
    report(a, products, words, skipped, clean, typos, results, bytes_, versions(pagefind))


if __name__ == "__main__":
    main()
