#!/usr/bin/env python3
"""A real Spanish corpus: Debian's Spanish man pages as an ayni site.

Each page of /usr/share/man/es/man*/ is rendered to text with `man` (no
justification, no hyphenation, 80 columns) and becomes one product: title
from its NAME line, summary from the line's description, body the page's
text as Markdown paragraphs. The renderer's line breaks stay inside the
paragraphs, as in hand-wrapped Markdown. Pages that cannot be rendered or
have no NAME line are skipped and counted.

Usage: python3 bench/manpages.py --out DIR [--limit-pages N]
The search benchmark and the integration tests both build their corpus with it.
"""
import argparse, concurrent.futures, glob, os, re, shutil, subprocess, sys

MAN_DIR = "/usr/share/man/es"
# Topics from the man section, as the Spanish pages name them.
SECTIONS = {
    "1": "órdenes de usuario", "2": "llamadas al sistema", "3": "funciones de biblioteca",
    "4": "archivos especiales", "5": "formatos de archivo", "6": "juegos",
    "7": "miscelánea", "8": "administración del sistema",
}
NAME_HEADINGS = ("NOMBRE", "NAME")
# Markdown punctuation escaped in the text, so a man page's `-x`, `*`,
# `<file>` or `[opción]` stays text instead of becoming markup.
ESCAPE = re.compile(r"([\\`*_\[\]<>#+\-!|~&={}])")
ORDERED = re.compile(r"^(\d+)([.)])")


def pages(limit):
    """The man page files, in a fixed order, at most LIMIT of them."""
    files = sorted(glob.glob(os.path.join(MAN_DIR, "man*", "*.gz")))
    return files[:limit] if limit else files


def render(path):
    """The page as plain text lines, or None when `man` cannot render it."""
    env = dict(os.environ, MANWIDTH="80", LANG="C.UTF-8", MAN_KEEP_FORMATTING="")
    try:
        out = subprocess.run(["man", "--nj", "--nh", "-l", path], env=env, capture_output=True, timeout=60)
        text = subprocess.run(["col", "-bx"], input=out.stdout, capture_output=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    lines = text.decode("utf-8", "replace").splitlines()
    # The first and last lines are the running header and footer.
    return lines[1:-1] if out.returncode == 0 and len(lines) > 4 else None


def sections(lines):
    """(heading, paragraphs) pairs; a paragraph is its list of stripped lines."""
    out, para = [], []
    for line in lines:
        if line and not line[0].isspace():
            out.append((line.strip(), []))
            para = []
        elif not line.strip():
            para = []
        elif out:
            if not para:
                out[-1][1].append(para)
            para.append(line.strip())
    return out


def escape(line):
    return ORDERED.sub(r"\1\\\2", ESCAPE.sub(r"\\\1", line))


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def product(path):
    """(slug, section, Markdown file text), or None for a page to skip."""
    lines = render(path)
    if not lines:
        return None
    parts = sections(lines)
    name = next((" ".join(sum(p, [])) for h, p in parts if h in NAME_HEADINGS), "")
    if " - " not in name:
        return None
    summary = name.split(" - ", 1)[1].strip()
    body = []
    for heading, paras in parts:
        if heading in NAME_HEADINGS or not paras:
            continue
        body.append("## " + escape(heading.capitalize()))
        body.extend("\n".join(escape(l) for l in p) for p in paras)
    if not summary or not body:
        return None
    base = os.path.basename(path)[:-3]
    section = os.path.basename(os.path.dirname(path))[3:]
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
    front = [
        "---",
        f"title: {yaml_str(name.strip())}",
        "kind: guide",
        "date: 2023-01",
        f"summary: {yaml_str(summary)}",
        "partners: [manpages-l10n]",
        f"topics: [{yaml_str(SECTIONS.get(section[:1], 'manual'))}]",
        "---",
    ]
    return slug, f"man{section[:1]}", "\n".join(front) + "\n\n" + "\n\n".join(body) + "\n"


SITE = """title: Manual de Debian en español
description: Las páginas de manual de Debian traducidas al español.
language: es
"""
PARTNER = """---
name: Proyecto manpages-l10n
type: network
---
Las traducciones de las páginas de manual.
"""


def write_site(out, limit):
    """Writes the site into OUT (replaced); returns (products, skipped)."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "content", "partners"))
    with open(os.path.join(out, "site.yaml"), "w") as f:
        f.write(SITE)
    with open(os.path.join(out, "content", "partners", "manpages-l10n.md"), "w") as f:
        f.write(PARTNER)
    made, skipped = 0, 0
    # `man` runs in worker threads: rendering, not Python, takes the time.
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(product, pages(limit)))
    for p in results:
        if p is None:
            skipped += 1
            continue
        slug, section, text = p
        folder = os.path.join(out, "content", section)
        os.makedirs(folder, exist_ok=True)
        file = os.path.join(folder, slug + ".md")
        # Links such as iso_8859-1.7 and iso-8859-1.7 are the same page.
        if os.path.exists(file):
            skipped += 1
            continue
        with open(file, "w") as f:
            f.write(text)
        made += 1
    return made, skipped


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--limit-pages", type=int, default=0)
    a = ap.parse_args()
    if not os.path.isdir(MAN_DIR):
        raise SystemExit(f"{MAN_DIR} is missing: apt-get install manpages-es")
    made, skipped = write_site(a.out, a.limit_pages)
    print(f"{made} products, {skipped} pages skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
