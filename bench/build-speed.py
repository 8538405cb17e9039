#!/usr/bin/env python3
"""Build speed and memory: ayni against Hugo and Hugo + Pagefind, same run.

For each size N (default 1,000 and 10,000; add 100000 for the large run) it
generates the corpus and its Hugo twin with gen-corpus.py, then builds it
with `ayni build` (search index included), `hugo`, and `hugo` followed by
`pagefind` over Hugo's output. Each tool runs --runs times (default 3); the
median wall time, the peak RSS (from /usr/bin/time) and the output size are
printed with the ratios ayni / peer. It also times a second `ayni build` of
the unchanged site, which the build cache answers.

Outputs go to --out-dir (default /dev/shm when it exists): on this kind of
virtual disk, creating tens of thousands of files costs more and varies
more than building them, for every tool alike; a RAM disk measures the
tools, as a laptop's SSD would. Pass --out-dir /tmp/... to include the disk.

Usage: python3 bench/build-speed.py [--sizes 1000 10000 100000] [--runs 3] [--reuse] [--ayni-only]
Installs Hugo (Debian) and Pagefind (npm) if missing.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, time

from common import AYNI, HERE, REPO, ensure_debian, ensure_pagefind, run


def ensure_tools(work):
    ensure_debian(("hugo", "hugo"))
    return ensure_pagefind(work)


class Failed(Exception):
    pass


def timed(cmd):
    """Runs `cmd` under /usr/bin/time; returns (seconds, peak RSS in MiB)."""
    subprocess.run(["sync"])
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSS %M", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise Failed(f"{' '.join(cmd)} exited with {p.returncode}")
    rss = int(re.findall(r"RSS (\d+)", p.stderr)[-1]) / 1024
    return wall, rss, p.stderr


def size_mb(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except OSError:
                pass
    return total / 1e6


def measure(name, runs, prepare, cmds, out):
    walls, rsss = [], []
    for _ in range(runs):
        prepare()
        wall, rss = 0.0, 0.0
        try:
            for cmd in cmds:
                w, r, _ = timed(cmd)
                wall += w
                rss = max(rss, r)
        except Failed as e:
            # Out of memory, typically: say so and go on with the others.
            print(f"{name}: failed: {e}", file=sys.stderr)
            return {"name": name + " (failed)", "wall": float("nan"), "walls": [], "rss": float("nan"), "size": 0.0}
        walls.append(wall)
        rsss.append(rss)
    return {"name": name, "wall": statistics.median(walls), "walls": walls, "rss": max(rsss), "size": size_mb(out)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/ayni-bench")
    ap.add_argument("--out-dir", default="/dev/shm" if os.path.isdir("/dev/shm") else None)
    ap.add_argument("--reuse", action="store_true", help="reuse corpora generated before")
    ap.add_argument("--ayni-only", action="store_true",
                    help="skip the peers (for the 100,000 scale run: time(100k) / time(10k) and peak RSS)")
    args = ap.parse_args()
    out_dir = args.out_dir or os.path.join(args.work, "out")
    os.makedirs(out_dir, exist_ok=True)
    pagefind = None if args.ayni_only else ensure_tools(args.work)
    run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"{subprocess.run(['hugo', 'version'], capture_output=True, text=True).stdout.split()[1]}; outputs in {out_dir}")

    rows = []
    for n in args.sizes:
        site = os.path.join(args.work, f"site-{n}")
        hugo_site = os.path.join(args.work, f"hugo-{n}")
        # The peers' twin is written only when the peers are measured.
        twin = [] if args.ayni_only else ["--hugo", hugo_site]
        if not (args.reuse and os.path.isdir(site) and (args.ayni_only or os.path.isdir(hugo_site))):
            run([sys.executable, os.path.join(HERE, "gen-corpus.py"), "--products", str(n), "--out", site, *twin])
        a_out = os.path.join(out_dir, f"ayni-{n}")
        h_out = os.path.join(out_dir, f"hugo-{n}")

        def clean_ayni():
            shutil.rmtree(a_out, ignore_errors=True)
            shutil.rmtree(os.path.join(site, ".ayni-cache"), ignore_errors=True)

        def clean_hugo():
            shutil.rmtree(h_out, ignore_errors=True)
            shutil.rmtree(os.path.join(hugo_site, "resources"), ignore_errors=True)

        ayni = measure("ayni build", args.runs, clean_ayni, [[AYNI, "build", "--root", site, "--out", a_out]], a_out)
        # The same build again, nothing changed: the build cache answers.
        again = [timed([AYNI, "build", "--root", site, "--out", a_out])[0] for _ in range(args.runs)]
        # On a RAM disk two outputs of the largest site would not fit beside the build.
        shutil.rmtree(a_out, ignore_errors=True)
        _, _, timings = timed([AYNI, "build", "--timings", "--root", site, "--out", a_out + "-t"])
        shutil.rmtree(a_out + "-t", ignore_errors=True)
        if args.ayni_only:
            hugo = both = None
        else:
            hugo = measure("hugo", args.runs, clean_hugo, [["hugo", "--quiet", "--source", hugo_site, "--destination", h_out]], h_out)
            both = measure("hugo+pagefind", args.runs, clean_hugo,
                           [["hugo", "--quiet", "--source", hugo_site, "--destination", h_out],
                            [pagefind, "--site", h_out, "--silent"]], h_out)
        rows.append((n, ayni, hugo, both, statistics.median(again), timings))
        shutil.rmtree(a_out, ignore_errors=True)
        shutil.rmtree(h_out, ignore_errors=True)

    print()
    print(f"{'products':>9} {'tool':>14} {'wall s':>8} {'peak RSS MiB':>13} {'output MB':>10} {'ayni/peer':>10}")
    for n, ayni, hugo, both, again, _ in rows:
        for r in (ayni, hugo, both):
            if r is None:
                continue
            ratio = "" if r is ayni else f"{ayni['wall'] / r['wall']:.2f}"
            print(f"{n:>9} {r['name']:>14} {r['wall']:>8.2f} {r['rss']:>13.0f} {r['size']:>10.1f} {ratio:>10}")
        print(f"{n:>9} {'ayni again':>14} {again:>8.2f}   (unchanged site, build cache)")
        if hugo and both:
            print(f"{'':>9} RSS ayni/hugo {ayni['rss'] / hugo['rss']:.2f}, ayni/(hugo+pagefind) {ayni['rss'] / both['rss']:.2f}")
    if len(rows) >= 2:
        by = {n: a["wall"] for n, a, *_ in rows}
        if 10000 in by and 100000 in by:
            print(f"\ntime(100k) / time(10k) = {by[100000] / by[10000]:.1f}")
    for n, *_, timings in rows:
        print(f"\n`ayni build --timings`, {n} products:")
        for line in timings.splitlines():
            if re.match(r"\s*[a-z ]+\s+[\d.]+ ms", line):
                print("   ", line.strip())


if __name__ == "__main__":
    main()
