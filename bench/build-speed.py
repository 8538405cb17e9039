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
    """Runs `cmd` under /usr/bin/time; returns (seconds, peak RSS in MiB, CPU seconds, stderr)."""
    subprocess.run(["sync"])
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSS %M CPU %U %S", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-3000:])
        raise Failed(f"{' '.join(cmd)} exited with {p.returncode}")
    rss, user, system = re.findall(r"RSS (\d+) CPU ([\d.]+) ([\d.]+)", p.stderr)[-1]
    return wall, int(rss) / 1024, float(user) + float(system), p.stderr


def size_mb(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except OSError:
                pass
    return total / 1e6


def measure_once(prepare, cmds):
    """One run of `cmds` after `prepare`: (wall, peak RSS, CPU), or None when it failed."""
    prepare()
    wall, rss, cpu = 0.0, 0.0, 0.0
    try:
        for cmd in cmds:
            w, r, c, _ = timed(cmd)
            wall += w
            rss = max(rss, r)
            cpu += c
    except Failed as e:
        # Out of memory, typically: say so and go on with the others.
        print(f"failed: {e}", file=sys.stderr)
        return None
    return wall, rss, cpu


def summary(name, runs, out_size):
    if not runs or any(r is None for r in runs):
        return {"name": name + " (failed)", "wall": float("nan"), "walls": [], "rss": float("nan"),
                "cpu": float("nan"), "size": 0.0}
    walls = [w for w, _, _ in runs]
    return {"name": name, "wall": statistics.median(walls), "walls": walls, "rss": max(r for _, r, _ in runs),
            "cpu": statistics.median(c for _, _, c in runs), "size": out_size}


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

    # Every round builds each size with each tool once, in turn: this
    # machine's speed drifts by up to a third within minutes, and drift
    # between rounds then moves every tool alike instead of one of them.
    sizes = {}
    for n in args.sizes:
        site = os.path.join(args.work, f"site-{n}")
        hugo_site = os.path.join(args.work, f"hugo-{n}")
        # The peers' twin is written only when the peers are measured.
        twin = [] if args.ayni_only else ["--hugo", hugo_site]
        if not (args.reuse and os.path.isdir(site) and (args.ayni_only or os.path.isdir(hugo_site))):
            run([sys.executable, os.path.join(HERE, "gen-corpus.py"), "--products", str(n), "--out", site, *twin])
        sizes[n] = (site, hugo_site, os.path.join(out_dir, f"ayni-{n}"), os.path.join(out_dir, f"hugo-{n}"))

    def cleaner(*paths):
        return lambda: [shutil.rmtree(p, ignore_errors=True) for p in paths]

    runs = {(n, tool): [] for n in args.sizes for tool in ("ayni", "hugo", "both")}
    again, sizes_mb, timings = {n: [] for n in args.sizes}, {}, {}
    for rnd in range(args.runs):
        for n in args.sizes:
            site, hugo_site, a_out, h_out = sizes[n]
            a = measure_once(cleaner(a_out, os.path.join(site, ".ayni-cache")),
                             [[AYNI, "build", "--root", site, "--out", a_out]])
            runs[(n, "ayni")].append(a)
            # The same build again, nothing changed: the build cache answers.
            again[n].append(timed([AYNI, "build", "--root", site, "--out", a_out])[0])
            sizes_mb[(n, "ayni")] = size_mb(a_out)
            # On a RAM disk two outputs of the largest site would not fit beside the build.
            shutil.rmtree(a_out, ignore_errors=True)
            if not args.ayni_only:
                hugo_cmd = ["hugo", "--quiet", "--source", hugo_site, "--destination", h_out]
                clean_hugo = cleaner(h_out, os.path.join(hugo_site, "resources"))
                runs[(n, "hugo")].append(measure_once(clean_hugo, [hugo_cmd]))
                sizes_mb[(n, "hugo")] = size_mb(h_out)
                runs[(n, "both")].append(measure_once(clean_hugo, [hugo_cmd, [pagefind, "--site", h_out, "--silent"]]))
                sizes_mb[(n, "both")] = size_mb(h_out)
                shutil.rmtree(h_out, ignore_errors=True)
            done = ", ".join(f"{tool} {r[-1][0]:.2f} s" for (m, tool), r in runs.items() if m == n and r and r[-1])
            print(f"round {rnd + 1}, {n} products: {done}", flush=True)
    for n in args.sizes:
        site, _, a_out, _ = sizes[n]
        *_, timings[n] = timed([AYNI, "build", "--timings", "--root", site, "--out", a_out + "-t"])
        shutil.rmtree(a_out + "-t", ignore_errors=True)

    rows = []
    for n in args.sizes:
        ayni = summary("ayni build", runs[(n, "ayni")], sizes_mb.get((n, "ayni"), 0.0))
        hugo = both = None
        if not args.ayni_only:
            hugo = summary("hugo", runs[(n, "hugo")], sizes_mb.get((n, "hugo"), 0.0))
            both = summary("hugo+pagefind", runs[(n, "both")], sizes_mb.get((n, "both"), 0.0))
        rows.append((n, ayni, hugo, both, statistics.median(again[n]), timings[n]))

    print()
    print(f"{'products':>9} {'tool':>14} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'output MB':>10} {'ayni/peer':>10}")
    for n, ayni, hugo, both, again, _ in rows:
        for r in (ayni, hugo, both):
            if r is None:
                continue
            ratio = "" if r is ayni else f"{ayni['wall'] / r['wall']:.2f}"
            print(f"{n:>9} {r['name']:>14} {r['wall']:>8.2f} {r['cpu']:>8.2f} {r['rss']:>13.0f} {r['size']:>10.1f} {ratio:>10}")
        print(f"{n:>9} {'ayni again':>14} {again:>8.2f}   (unchanged site, build cache)")
        if hugo and both:
            print(f"{'':>9} RSS ayni/hugo {ayni['rss'] / hugo['rss']:.2f}, ayni/(hugo+pagefind) {ayni['rss'] / both['rss']:.2f}")
            # The best wall time ayni's work allows: every core busy from
            # start to end. Its ratio to Hugo's wall time bounds what any
            # scheduling could reach without less work.
            floor = ayni["cpu"] / os.cpu_count()
            print(f"{'':>9} ayni's CPU time over {os.cpu_count()} cores: {floor:.2f} s; "
                  f"ayni/hugo could be {floor / hugo['wall']:.2f} at best")
    # Ratios of the same round too: the two builds ran minutes apart, not
    # a whole benchmark apart.
    for n, ayni, hugo, both, *_ in rows:
        for peer in (hugo, both):
            if peer and peer["walls"] and ayni["walls"]:
                paired = [a / p for a, p in zip(ayni["walls"], peer["walls"])]
                print(f"{n:>9} ayni/{peer['name']} by round: "
                      + ", ".join(f"{r:.2f}" for r in paired) + f" (median {statistics.median(paired):.2f})")
    if len(rows) >= 2:
        by = {n: a for n, a, *_ in rows}
        if 10000 in by and 100000 in by:
            print(f"\ntime(100k) / time(10k) = {by[100000]['wall'] / by[10000]['wall']:.1f}")
            paired = [b / a for a, b in zip(by[10000]["walls"], by[100000]["walls"])]
            if paired:
                print("by round: " + ", ".join(f"{r:.1f}" for r in paired) + f" (median {statistics.median(paired):.1f})")
    for n, *_, timings in rows:
        print(f"\n`ayni build --timings`, {n} products:")
        for line in timings.splitlines():
            if re.match(r"\s*[a-z ]+\s+[\d.]+ ms", line):
                print("   ", line.strip())


if __name__ == "__main__":
    main()
