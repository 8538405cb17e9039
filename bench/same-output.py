#!/usr/bin/env python3
"""Same output: a git revision's ayni and the working tree's build the same site byte for byte.

It builds the revision --base (default HEAD) from `git archive` into its own target dir
(seeded once from this checkout's target/release so only ayni itself compiles), builds the
working tree into target/release, then builds each site with both binaries and compares the
output folders file by file: files only one side has, and files whose bytes differ, with the
first differing lines. It also runs `ayni search --json` for a few queries on each side's
.ayni-cache and compares the results. Exit status 1 when anything differs.

Sites: --sample builds the repository's own sample site (site.yaml and content/ at its root,
what `cargo run --release -- build` builds), in place; --products N generates the benchmark
corpus of N products with gen-corpus.py (reused when present). Both by default (N = 10000).

With --times R, each site is also built R more times with each binary, alternated, into
--out-dir, and the median wall times are printed.

Usage: python3 bench/same-output.py [--base REV] [--no-sample] [--products N | --no-corpus]
                                   [--work /tmp/ayni-same] [--times R]
"""
import argparse, difflib, filecmp, json, os, shutil, statistics, subprocess, sys, time

from common import AYNI, HERE, REPO, run

QUERIES = [["agua"], ["gestión", "del", "riesgo"], ["niños"], ["\"cambio climático\""], ["politica"],
           ["mujeres", "rurales"], ["evaluación"], ["riego"]]
LIMIT = 50


def build_revision(rev, work):
    """The ayni binary of git revision `rev`, built into WORK/target-base."""
    sha = subprocess.run(["git", "-C", REPO, "rev-parse", rev], check=True, capture_output=True,
                         text=True).stdout.strip()
    src = os.path.join(work, f"src-{sha[:12]}")
    if not os.path.isdir(src):
        os.makedirs(src)
        archive = subprocess.run(["git", "-C", REPO, "archive", sha], check=True, capture_output=True).stdout
        # Extracted with the time of extraction, not the commit's (`-m`):
        # sources older than the seeded artifacts would make cargo take
        # those, built from the working tree, as this revision's.
        subprocess.run(["tar", "-x", "-m", "-C", src], input=archive, check=True)
    target = os.path.join(work, "target-base")
    if not os.path.isdir(target):
        # The dependencies are the same crates: their compiled artifacts serve both.
        seed = os.path.join(REPO, "target", "release")
        os.makedirs(os.path.join(target, "release"))
        for part in ("deps", "build", ".fingerprint"):
            if os.path.isdir(os.path.join(seed, part)):
                run(["cp", "-a", os.path.join(seed, part), os.path.join(target, "release", part)])
    run(["cargo", "build", "--release", "--quiet", "--bin", "ayni", "--target-dir", target], cwd=src)
    return os.path.join(target, "release", "ayni")


def build(binary, root, out):
    """A clean build of `root` into `out`; the build cache and its index are removed first."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(root, ".ayni-cache"), ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([binary, "build", "--root", root, "--out", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def searches(binary, root):
    results = {}
    for q in QUERIES:
        p = subprocess.run([binary, "search", "--root", root, "--json", "--limit", str(LIMIT), *q],
                           capture_output=True, text=True)
        results[" ".join(q)] = (p.returncode, canonical(p.stdout))
    return results


def canonical(out):
    """The search's JSON with hits of equal score in URL order, and without the hits tied with
    the last one: the index is built on several threads, and which of two documents of equal
    score comes first changes from one build to the next, with either binary."""
    try:
        found = json.loads(out)
    except ValueError:
        return out
    hits = found.get("hits") if isinstance(found, dict) else None
    if not hits:
        return json.dumps(found, sort_keys=True, indent=1)
    score = lambda h: round(h.get("score", float("inf")), 4)
    # Only a full page of hits can have left out some of those tied with its last.
    last = score(hits[-1]) if len(hits) >= LIMIT else None
    found["hits"] = sorted((h for h in hits if score(h) != last), key=lambda h: (-score(h), h.get("url", "")))
    return json.dumps(found, sort_keys=True, indent=1)


def files(top):
    out = set()
    for d, _, names in os.walk(top):
        for n in names:
            out.add(os.path.relpath(os.path.join(d, n), top))
    return out


def compare(a, b, label):
    """Prints how trees `a` and `b` differ; returns the number of differences."""
    fa, fb = files(a), files(b)
    problems = 0
    for rel in sorted(fa - fb):
        print(f"{label}: only in base: {rel}")
        problems += 1
    for rel in sorted(fb - fa):
        print(f"{label}: only in working tree: {rel}")
        problems += 1
    common = sorted(fa & fb)
    for rel in common:
        pa, pb = os.path.join(a, rel), os.path.join(b, rel)
        if filecmp.cmp(pa, pb, shallow=False):
            continue
        problems += 1
        print(f"{label}: differs: {rel}")
        if problems > 40:
            continue
        try:
            la = open(pa, encoding="utf-8").read().splitlines()
            lb = open(pb, encoding="utf-8").read().splitlines()
        except UnicodeDecodeError:
            continue
        for line in list(difflib.unified_diff(la, lb, "base", "work", n=1, lineterm=""))[:12]:
            print("    " + line[:200])
    print(f"{label}: {len(common)} files in both, {problems} differences")
    return problems


def compare_search(base, work, label):
    problems = 0
    for q in base:
        if base[q] != work[q]:
            problems += 1
            print(f"{label}: search {q!r} differs:")
            diff = difflib.unified_diff(base[q][1].splitlines(), work[q][1].splitlines(), "base", "work", n=1,
                                        lineterm="")
            for line in list(diff)[:20]:
                print("    " + line[:200])
        else:
            compared = base[q][1].count('"url"')
            print(f"{label}: search {q!r}: same (exit {base[q][0]}, {compared} results compared)")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="HEAD", help="git revision to compare with (default HEAD)")
    ap.add_argument("--base-bin", help="an ayni binary to use instead of building --base")
    ap.add_argument("--no-sample", action="store_true")
    ap.add_argument("--products", type=int, default=10000)
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--work", default="/tmp/ayni-same")
    ap.add_argument("--times", type=int, default=0, help="also time R builds of each binary, alternated")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    base = args.base_bin or build_revision(args.base, args.work)
    run(["cargo", "build", "--release", "--quiet", "--bin", "ayni"], cwd=REPO)
    sites = []
    if not args.no_sample:
        sites.append(("sample", REPO))
    if not args.no_corpus:
        site = os.path.join(args.work, f"site-{args.products}")
        if not os.path.isdir(site):
            run([sys.executable, os.path.join(HERE, "gen-corpus.py"), "--products", str(args.products),
                 "--out", site])
        sites.append((f"{args.products} products", site))
    problems = 0
    for label, root in sites:
        out_base, out_work = (os.path.join(args.work, f"out-{label.split()[0]}-{s}") for s in ("base", "work"))
        build(base, root, out_base)
        found_base = searches(base, root)
        build(AYNI, root, out_work)
        found_work = searches(AYNI, root)
        problems += compare(out_base, out_work, label)
        problems += compare_search(found_base, found_work, label)
        shutil.rmtree(out_base, ignore_errors=True)
        shutil.rmtree(out_work, ignore_errors=True)
        if args.times:
            walls = {"base": [], "work": []}
            for _ in range(args.times):
                for name, binary in (("base", base), ("work", AYNI)):
                    subprocess.run(["sync"])
                    walls[name].append(build(binary, root, out_work))
            shutil.rmtree(out_work, ignore_errors=True)
            for name, w in walls.items():
                print(f"{label}: {name} build {statistics.median(w):.2f} s median of "
                      + ", ".join(f"{x:.2f}" for x in w))
        if root == REPO:
            shutil.rmtree(os.path.join(root, ".ayni-cache"), ignore_errors=True)
    print("same output" if problems == 0 else f"{problems} differences")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
