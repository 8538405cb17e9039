#!/usr/bin/env python3
"""Build time, peak memory and output size against partners per product.

For each count K (default 10, 100, 1,000 and 10,000) it writes a small site
whose one product lists K partners (plus a few ordinary products), builds
it with `ayni build` and prints the wall time, the peak RSS (from
/usr/bin/time when it is there) and the output's size and file count.
With cost linear in the front matter, time and size grow with K, not K².

Usage: python3 bench/partners-scale.py [--counts 10 100 1000 10000] [--work DIR]
Needs `cargo build --release` first.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

from common import AYNI


def write_site(root, k):
    content = os.path.join(root, "content")
    os.makedirs(os.path.join(content, "partners"))
    os.makedirs(os.path.join(content, "casos"))
    with open(os.path.join(root, "site.yaml"), "w") as f:
        f.write("title: Escala\nbase_url: https://example.org/\n")
    for i in range(k):
        with open(os.path.join(content, "partners", f"p{i:05}.md"), "w") as f:
            f.write(f"---\nname: Socio {i}\ntype: ngo\n---\n")
    ids = "\n".join(f"  - p{i:05}" for i in range(k))
    with open(os.path.join(content, "casos", "grande.md"), "w") as f:
        f.write(f"---\ntitle: Grande\nkind: study\ndate: 2020\npartners:\n{ids}\n---\nTexto.\n")
    for j in range(5):
        with open(os.path.join(content, "casos", f"caso-{j}.md"), "w") as f:
            f.write(f"---\ntitle: Caso {j}\nkind: study\ndate: 2019\npartners: [p{j:05}, p{j + 1:05}]\n---\nTexto.\n")


def tree_size(path):
    total = files = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            total += os.path.getsize(os.path.join(dirpath, n))
            files += 1
    return total, files


def build(root):
    """Wall seconds and peak RSS in MB (None without /usr/bin/time)."""
    cmd = [AYNI, "build", "--root", root]
    timed = os.path.exists("/usr/bin/time")
    if timed:
        cmd = ["/usr/bin/time", "-v", *cmd]
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr[-2000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return wall, (int(m.group(1)) / 1024 if m else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", type=int, nargs="+", default=[10, 100, 1000, 10000])
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    if not os.path.exists(AYNI):
        sys.exit(f"{AYNI} is missing: run `cargo build --release` first")
    work = args.work or tempfile.mkdtemp(prefix="ayni-partners-")
    print(f"{'partners':>9} {'build s':>8} {'peak MB':>8} {'output MB':>10} {'files':>7} {'bytes/partner':>14}")
    for k in args.counts:
        root = os.path.join(work, f"k{k}")
        shutil.rmtree(root, ignore_errors=True)
        write_site(root, k)
        wall, rss = build(root)
        size, files = tree_size(os.path.join(root, "public"))
        rss_text = f"{rss:8.0f}" if rss is not None else f"{'-':>8}"
        print(f"{k:>9} {wall:8.2f} {rss_text} {size / 1e6:10.1f} {files:>7} {size // k:>14}")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
