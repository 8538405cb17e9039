#!/usr/bin/env python3
"""Builds with attached PDFs: time and peak memory of `ayni build` on N products
(default 1,000) each attaching a 30-page PDF, beside the same site without PDFs.

The PDFs are real pdfTeX output: --distinct documents (default 8) of 30 pages
of Spanish sentences from gen-corpus.py's grammar are typeset once, then each
product gets a copy made unique by a comment after `%%EOF` (readers ignore
it; the bytes, and so the extraction cache's key, differ), so every PDF of a
cold build is parsed.

Four builds are timed for each site: cold (no output, no cache), then after
one product's PDF is replaced by another (the PDF site) or one product's text
is edited (the site without PDFs); both sites then have a no-change build,
which the build cache answers. The PDF site's covers (on by default) are
drawn in its cold build and counted at the end.

Work goes to --work (default /tmp/ayni-pdf-bench: a disk, as a partner's
machine has). Usage: python3 bench/pdf-build.py [--products 1000] [--pages 30]
Installs pdfTeX (texlive-latex-base, texlive-lang-spanish) if missing.
"""
import argparse, datetime, importlib.util, os, random, re, shutil, subprocess, sys, time

from common import AYNI, HERE, ensure_debian, run

# Another binary may be timed (a copy, so that rebuilding the tree does not
# change it mid-run).
AYNI = os.environ.get("AYNI_BIN", AYNI)


def corpus_module():
    spec = importlib.util.spec_from_file_location("gen_corpus", os.path.join(HERE, "gen-corpus.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def tex_escape(s):
    return re.sub(r"([%$&#_{}])", r"\\\1", s).replace("~", " ").replace("^", " ")


def typeset(gen, seed, pages, work):
    """A PDF of about `pages` pages of Spanish sentences, made by pdfTeX."""
    rng = random.Random(f"pdf/{seed}")
    es = gen.Es(rng, ["Cusco", "Ayacucho", "Piura", "Puno"])
    body = []
    # About 420 words fill an A4 page of this class in 11pt.
    words = 0
    while words < pages * 420:
        if len(body) % 12 == 0:
            body.append(f"\\section{{{tex_escape(es.heading())}}}")
        para = " ".join(es.sentence() for _ in range(5))
        words += len(para.split())
        body.append(tex_escape(para) + "\n")
    tex = (
        "\\documentclass[11pt,a4paper]{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
        "\\usepackage[utf8]{inputenc}\n\\usepackage[spanish]{babel}\n\\begin{document}\n"
        + "\n\n".join(body) + "\n\\end{document}\n"
    )
    d = os.path.join(work, "tex", str(seed))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "doc.tex"), "w") as f:
        f.write(tex)
    subprocess.run(["pdflatex", "-interaction=batchmode", "doc.tex"], cwd=d, check=True,
                   stdout=subprocess.DEVNULL)
    pdf = os.path.join(d, "doc.pdf")
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout or "Pages: 0").group(1)) if shutil.which("pdfinfo") else pages
    return pdf, n


def products(site):
    """Product files of a generated site: Markdown with a `kind:` outside the registries."""
    content = os.path.join(site, "content")
    for d, _, files in os.walk(content):
        rel = os.path.relpath(d, content)
        if rel.split(os.sep)[0] in ("partners", "outcomes", "topics", "pages"):
            continue
        for f in sorted(files):
            if f.endswith(".md") and not f.startswith("_"):
                p = os.path.join(d, f)
                with open(p) as fh:
                    if re.search(r"^kind:", fh.read(4000), re.M):
                        yield p


def attach(site, pdfs):
    """Gives each product its own copy of one of `pdfs`, beside it."""
    count = 0
    for i, p in enumerate(sorted(products(site))):
        name = os.path.splitext(os.path.basename(p))[0] + ".pdf"
        with open(pdfs[i % len(pdfs)], "rb") as f:
            data = f.read()
        with open(os.path.join(os.path.dirname(p), name), "wb") as f:
            f.write(data + f"\n% copia {i}\n".encode())
        with open(p) as f:
            text = f.read()
        with open(p, "w") as f:
            f.write(text.replace("---\n", f"---\nfiles: [{name}]\n", 1))
        count += 1
    return count


def timed(site):
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSS %M", AYNI, "build", "--root", site],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(p.stderr[-3000:])
    rss = int(re.findall(r"RSS (\d+)", p.stderr)[-1]) / 1024
    return wall, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=1000)
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--distinct", type=int, default=8)
    ap.add_argument("--work", default="/tmp/ayni-pdf-bench")
    a = ap.parse_args()
    ensure_debian(("texlive-latex-base", "pdflatex"), ("texlive-lang-spanish", "pdflatex"))
    if not os.path.exists(AYNI):
        run(["cargo", "build", "--release"])
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    gen = corpus_module()
    made = [typeset(gen, s, a.pages, a.work) for s in range(a.distinct)]
    plain, withpdf = os.path.join(a.work, "plain"), os.path.join(a.work, "pdf")
    run([sys.executable, os.path.join(HERE, "gen-corpus.py"), "--products", str(a.products), "--out", plain],
        stdout=subprocess.DEVNULL)
    shutil.copytree(plain, withpdf)
    n = attach(withpdf, [p for p, _ in made])
    pdf_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(withpdf) for f in fs if f.endswith(".pdf"))
    print(f"# {datetime.date.today()}: {a.products} products; {n} PDFs of {made[0][1]} pages "
          f"({pdf_bytes / 1e6:.0f} MB); ayni {AYNI}")
    print(f"{'site':<14}{'build':<20}{'wall s':>8}{'peak MB':>9}")
    first = sorted(products(plain))[0]
    for label, site in (("no PDFs", plain), ("30-page PDFs", withpdf)):
        rows = [("cold", timed(site))]
        if site == withpdf:
            # Another document in one product's PDF: read again, alone.
            target = os.path.splitext(sorted(products(site))[0])[0] + ".pdf"
            with open(made[-1][0], "rb") as f:
                data = f.read()
            with open(target, "wb") as f:
                f.write(data + b"\n% cambiado\n")
            rows.append(("one PDF changed", timed(site)))
        else:
            with open(first, "a") as f:
                f.write("\nUna línea más.\n")
            rows.append(("one text edited", timed(site)))
        rows.append(("nothing changed", timed(site)))
        for name, (wall, rss) in rows:
            print(f"{label:<14}{name:<20}{wall:>8.2f}{rss:>9.0f}")
    covers = [os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(withpdf, "public"))
              for f in fs if f.endswith(".cover.jpg")]
    if covers:
        print(f"# covers: {len(covers)}, {sum(covers) / 1e6:.1f} MB, {min(covers) / 1e3:.1f} to "
              f"{max(covers) / 1e3:.1f} KB, mean {sum(covers) / len(covers) / 1e3:.1f} KB")


if __name__ == "__main__":
    main()
