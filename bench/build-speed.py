#!/usr/bin/env python3
"""Build speed on disk: ayni (search included) against Zola and Hugo (no search), same run.

For each size N (default 10,000; add 1000 or 100000) it generates the corpus
and its Hugo and Zola twins with gen-corpus.py, then builds each with
`ayni build`, `zola build` and `hugo`, --runs rounds (default 3). Every round
runs the tools in a different order, so that this machine's drift moves each
of them alike, and before every build removes that tool's output (and ayni's
`.ayni-cache`), then flushes the disk, so no build pays for another's writes;
with --settle S it then waits S seconds, so that no build pays for the
removal before it either (see `settled`).

ayni is timed as the deploy guides install it, built with the `dist` profile
(target/dist/ayni, brought up to date first); --ayni PATH times another binary.

Outputs go to the project's own folder on disk (`target/bench/`), where
people build; `--where disk tmpfs` adds a column on a RAM disk (/dev/shm).
For each build it prints wall, user and system time, peak RSS, and the
number of files and bytes written (output and cache), then the medians and
the ratios ayni / peer, overall and round by round.

Then, per size and place, ayni's rebuilds after one product changed (`.ayni-cache` of
the previous build present, as CI keeps it), --runs of them, each after
another edit of the same product, and, with --verify, whether the last
output is byte for byte the output of a clean build of the same sources.

Zola is in no package registry. The script uses `zola` from PATH, or
--zola PATH, or builds it from a source checkout given with --zola-src DIR
(or found at target/bench/zola-src): `git clone https://github.com/getzola/zola`.
Without any, its column is skipped with a line saying so.

Usage: python3 bench/build-speed.py [--sizes 10000 100000] [--runs 3] [--where disk tmpfs]
       [--tools ayni zola hugo] [--reuse] [--verify] [--settle 370] [--work DIR]
"""
import argparse, filecmp, os, re, shutil, statistics, subprocess, sys, time

from common import AYNI, HERE, REPO, ensure_debian, run

TOOLS = ("ayni", "zola", "hugo")
AYNI_DIST = os.path.join(REPO, "target", "dist", "ayni")


class Failed(Exception):
    pass


def timed(cmd, cwd=None):
    """Runs `cmd` under /usr/bin/time after flushing the disk: a dict of wall, user, sys, rss (MiB)."""
    subprocess.run(["sync"])
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSS %M USER %U SYS %S", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, cwd=cwd)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise Failed(f"{' '.join(cmd)} exited with {p.returncode}")
    rss, user, system = re.findall(r"RSS (\d+) USER ([\d.]+) SYS ([\d.]+)", p.stderr)[-1]
    return {"wall": wall, "user": float(user), "sys": float(system), "rss": int(rss) / 1024}


def tree_size(*paths):
    """(files, bytes) under the paths that exist."""
    files, size = 0, 0
    for path in paths:
        for d, _, names in os.walk(path):
            for f in names:
                try:
                    size += os.path.getsize(os.path.join(d, f))
                    files += 1
                except OSError:
                    pass
    return files, size


def find_zola(args):
    """The zola binary to measure, or None with the reason printed."""
    if args.zola:
        return args.zola
    if shutil.which("zola"):
        return shutil.which("zola")
    src = args.zola_src or os.path.join(REPO, "target", "bench", "zola-src")
    if os.path.isfile(os.path.join(src, "Cargo.toml")):
        run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=src)
        return os.path.join(src, "target", "release", "zola")
    print("zola: not found; skipping its column. To measure it: git clone https://github.com/getzola/zola "
          "target/bench/zola-src (the script builds it), or pass --zola PATH.", file=sys.stderr)
    return None


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


class Site:
    """One generated size: the sources of each tool and where each writes."""

    def __init__(self, work, n, out_root):
        self.n = n
        self.src = {t: os.path.join(work, f"{t}-{n}") for t in TOOLS}
        self.src["ayni"] = os.path.join(work, f"site-{n}")
        self.out = {t: os.path.join(out_root, f"out-{t}-{n}") for t in TOOLS}

    def generate(self, tools, reuse):
        if reuse and all(os.path.isdir(self.src[t]) for t in tools):
            return
        twins = [a for t in ("hugo", "zola") if t in tools for a in (f"--{t}", self.src[t])]
        run([sys.executable, os.path.join(HERE, "gen-corpus.py"), "--products", str(self.n),
             "--out", self.src["ayni"], *twins])

    def command(self, tool, binary):
        out = self.out[tool]
        if tool == "ayni":
            return [binary, "build", "--root", self.src["ayni"], "--out", out], None
        if tool == "zola":
            return [binary, "build", "--force", "--output-dir", out], self.src["zola"]
        return [binary, "--quiet", "--source", self.src["hugo"], "--destination", out], None

    def written(self, tool):
        """What a build wrote: its output, plus ayni's cache and Hugo's resources."""
        extra = {"ayni": os.path.join(self.src["ayni"], ".ayni-cache"),
                 "hugo": os.path.join(self.src["hugo"], "resources")}.get(tool)
        return [self.out[tool]] + ([extra] if extra else [])

    def clean(self, tool):
        for p in self.written(tool):
            shutil.rmtree(p, ignore_errors=True)


def build_once(site, tool, binary, settle=0):
    site.clean(tool)
    settled(settle)
    cmd, cwd = site.command(tool, binary)
    try:
        r = timed(cmd, cwd)
    except Failed as e:
        print(f"failed: {e}", file=sys.stderr)
        return None
    r["files"], r["bytes"] = tree_size(*site.written(tool))
    return r


def one_change_rebuild(site, binary, verify, runs):
    """ayni's rebuilds after one product's text changed, its cache present:
    (each rebuild's seconds, identical or None). Each round adds another
    paragraph to the same product, so every rebuild has a change to make."""
    site.clean("ayni")
    cmd, _ = site.command("ayni", binary)
    timed(cmd)
    product = first_product(site.src["ayni"])
    with open(product, encoding="utf-8") as f:
        original = f.read()
    try:
        walls = []
        for i in range(runs):
            with open(product, "a", encoding="utf-8") as f:
                f.write(f"\nUn párrafo añadido, el {i + 1}, para medir la reconstrucción.\n")
            walls.append(timed(cmd)["wall"])
        same = None
        if verify:
            clean_out = site.out["ayni"] + "-clean"
            cache = os.path.join(site.src["ayni"], ".ayni-cache")
            saved = cache + "-saved"
            shutil.rmtree(saved, ignore_errors=True)
            os.rename(cache, saved)
            shutil.rmtree(clean_out, ignore_errors=True)
            timed([binary, "build", "--root", site.src["ayni"], "--out", clean_out])
            shutil.rmtree(cache, ignore_errors=True)
            os.rename(saved, cache)
            same = same_tree(site.out["ayni"], clean_out)
            shutil.rmtree(clean_out, ignore_errors=True)
    finally:
        with open(product, "w", encoding="utf-8") as f:
            f.write(original)
    return walls, same


def settled(seconds):
    """Waits `seconds` after a removal, its writes flushed. On an ext4 without a journal (this
    machine's disk), the kernel does not reuse an inode freed less than a minute before (six while
    its inode table block is unwritten): every file created meanwhile scans past them. A build
    started right after removing 450,000 files spent a third of its time there (perf: ext4's
    `recently_deleted`), whichever tool it was."""
    if seconds > 0:
        subprocess.run(["sync"])
        time.sleep(seconds)


def first_product(root):
    content = os.path.join(root, "content")
    for section in sorted(os.listdir(content)):
        if section in ("partners", "outcomes", "topics", "pages"):
            continue
        d = os.path.join(content, section)
        if os.path.isdir(d):
            names = sorted(n for n in os.listdir(d) if n.endswith(".md") and n != "_index.md")
            if names:
                return os.path.join(d, names[0])
    raise SystemExit(f"no product under {content}")


def same_tree(a, b):
    """Whether two folders hold the same files with the same bytes."""
    def listing(root):
        return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)
    la, lb = listing(a), listing(b)
    if la != lb:
        print(f"  differ in files: {len(set(la) ^ set(lb))}", file=sys.stderr)
        return False
    bad = [p for p in la if not filecmp.cmp(os.path.join(a, p), os.path.join(b, p), shallow=False)]
    for p in bad[:5]:
        print(f"  differs: {p}", file=sys.stderr)
    return not bad


def median(rows, key):
    vals = [r[key] for r in rows if r]
    return statistics.median(vals) if vals else float("nan")


def report(results, wheres, sizes, tools, rebuilds):
    print()
    head = f"{'products':>9} {'where':>6} {'tool':>6} {'wall s':>7} {'user s':>7} {'sys s':>7} " \
           f"{'RSS MiB':>8} {'files':>8} {'MB':>7}"
    print(head)
    for n in sizes:
        for w in wheres:
            for t in tools:
                rows = results[(w, n, t)]
                if not any(rows):
                    continue
                last = [r for r in rows if r][-1]
                print(f"{n:>9} {w:>6} {t:>6} {median(rows, 'wall'):>7.2f} {median(rows, 'user'):>7.2f} "
                      f"{median(rows, 'sys'):>7.2f} {max(r['rss'] for r in rows if r):>8.0f} "
                      f"{last['files']:>8} {last['bytes'] / 1e6:>7.0f}")
    print()
    for n in sizes:
        for w in wheres:
            a = results[(w, n, "ayni")]
            for peer in tools:
                p = results[(w, n, peer)]
                if peer == "ayni" or not any(p) or not any(a):
                    continue
                paired = [x["wall"] / y["wall"] for x, y in zip(a, p) if x and y]
                sys_ratio = median(a, "sys") / max(median(p, "sys"), 1e-9)
                print(f"{n:>9} {w:>6} ayni/{peer}: wall {median(a, 'wall') / median(p, 'wall'):.2f} "
                      f"(by round {', '.join(f'{r:.2f}' for r in paired)}), sys {sys_ratio:.2f}")
    for (w, n), (secs, same) in rebuilds.items():
        verdict = "" if same is None else ("; output identical to a clean build" if same else "; OUTPUT DIFFERS")
        each = ", ".join(f"{x:.2f}" for x in secs)
        print(f"{n:>9} {w:>6} ayni, one product changed, cache present: median "
              f"{statistics.median(secs):.2f} s ({each}){verdict}")
    if 10000 in sizes and 100000 in sizes:
        for w in wheres:
            small, big = results[(w, 10000, "ayni")], results[(w, 100000, "ayni")]
            if any(small) and any(big):
                print(f"{'':>9} {w:>6} ayni time(100k) / time(10k) = "
                      f"{median(big, 'wall') / median(small, 'wall'):.1f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--where", nargs="+", choices=["disk", "tmpfs"], default=["disk"])
    ap.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    ap.add_argument("--work", default=os.path.join(REPO, "target", "bench"))
    ap.add_argument("--zola", help="a zola binary")
    ap.add_argument("--zola-src", help="a checkout of getzola/zola to build")
    ap.add_argument("--reuse", action="store_true", help="reuse corpora generated before")
    ap.add_argument("--ayni", default=AYNI_DIST,
                    help="the ayni binary (default target/dist/ayni, the `dist` profile's, thin LTO, "
                         "as the deploy guides' `cargo install --profile dist` makes it; "
                         "target/release/ayni is `cargo build --release`'s)")
    ap.add_argument("--no-rebuilds", action="store_true", help="clean builds only")
    ap.add_argument("--settle", type=float, default=0,
                    help="seconds to wait after removing an output before timing a build "
                         "(370 on an ext4 without a journal; see settled())")
    ap.add_argument("--verify", action="store_true",
                    help="check that the one-change rebuild's output equals a clean build's")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    tools = list(args.tools)
    if "hugo" in tools:
        ensure_debian(("hugo", "hugo"))
    binaries = {"ayni": args.ayni, "hugo": "hugo", "zola": find_zola(args) if "zola" in tools else None}
    tools = [t for t in tools if binaries[t]]
    # The binaries this repository makes are brought up to date; another is timed as it is.
    profile = {AYNI_DIST: ["--profile", "dist"], AYNI: ["--release"]}.get(os.path.abspath(args.ayni))
    if profile:
        run(["cargo", "build", *profile, "--locked", "--quiet"], cwd=REPO)
    roots = {"disk": args.work, "tmpfs": "/dev/shm/ayni-bench"}
    print(f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          + "; ".join(f"{t}: {' '.join(version([binaries[t], '--version'] if t != 'hugo' else ['hugo', 'version']).split()[:2])}"
                      for t in tools)
          + f"; {time.strftime('%Y-%m-%d')}")
    sites = {}
    for n in args.sizes:
        for w in args.where:
            os.makedirs(roots[w], exist_ok=True)
            sites[(w, n)] = Site(args.work, n, roots[w])
        sites[(args.where[0], n)].generate(tools, args.reuse)
    results = {(w, n, t): [] for w in args.where for n in args.sizes for t in tools}
    for rnd in range(args.runs):
        # Each round starts with a different tool.
        order = tools[rnd % len(tools):] + tools[:rnd % len(tools)]
        for n in args.sizes:
            for w in args.where:
                site = sites[(w, n)]
                for t in order:
                    r = build_once(site, t, binaries[t], args.settle)
                    results[(w, n, t)].append(r)
                    site.clean(t) if w == "tmpfs" else None
                    if r:
                        print(f"round {rnd + 1}, {n} products, {w}, {t}: {r['wall']:.2f} s "
                              f"(user {r['user']:.2f}, sys {r['sys']:.2f}, {r['rss']:.0f} MiB, "
                              f"{r['files']} files)", flush=True)
    rebuilds = {}
    if "ayni" in tools and not args.no_rebuilds:
        for n in args.sizes:
            for w in args.where:
                rebuilds[(w, n)] = one_change_rebuild(sites[(w, n)], args.ayni, args.verify, args.runs)
                sites[(w, n)].clean("ayni")
    for site in sites.values():
        for t in tools:
            site.clean(t)
    report(results, args.where, args.sizes, tools, rebuilds)


if __name__ == "__main__":
    main()
