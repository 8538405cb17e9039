"""Parses every product's BibTeX, RIS and CSL-JSON downloads (the `data:`
links of its page's Cite box, and the cite.* files beside the page when the
site writes them) with established parsers and compares their fields with
/api/products.json.
Usage: python3 check_citations.py PUBLIC_DIR. Exit 1 with a list of problems."""
import json, os, re, sys, urllib.parse

import bibtexparser
import rispy

out = sys.argv[1]
products = json.load(open(os.path.join(out, "api", "products.json"), encoding="utf-8"))["products"]
problems = []


def downloads(d):
    """The page's three downloads by extension, decoded; files beside it must say the same."""
    html = open(os.path.join(d, "index.html"), encoding="utf-8").read()
    found = {}
    for href, ext in re.findall(r'<a href="([^"]+)" download="[^"]+\.(bib|ris|json)"', html):
        if href.startswith("data:"):
            found[ext] = urllib.parse.unquote(href.split(",", 1)[1])
        else:
            found[ext] = open(os.path.join(d, "cite." + ext), encoding="utf-8").read()
    if sorted(found) != ["bib", "json", "ris"]:
        problems.append(f"{d}: downloads {sorted(found)}")
    return found


for p in products:
    d = os.path.join(out, p["path"].strip("/"))
    cite = downloads(d)
    if len(cite) != 3:
        continue
    title = p["title"] + (": " + p["subtitle"] if p.get("subtitle") else "")
    year = p["date"][:4]
    article = bool(p.get("source") and p["source"].get("journal"))

    bib = bibtexparser.loads(cite["bib"])
    if len(bib.entries) != 1:
        problems.append(f"{d}: {len(bib.entries)} BibTeX entries")
        continue
    e = bib.entries[0]
    if e["ENTRYTYPE"] != ("article" if article else "techreport"):
        problems.append(f"{d}: BibTeX type {e['ENTRYTYPE']}")
    if e["title"].strip("{}") != title:
        problems.append(f"{d}: BibTeX title {e['title']!r}")
    if e["year"] != year:
        problems.append(f"{d}: BibTeX year {e['year']}")
    if p["authors"]:
        if e.get("author", "").count(" and ") + 1 != len(p["authors"]):
            problems.append(f"{d}: BibTeX authors {e.get('author')!r}")
    elif "author" in e and not e["author"].startswith("{"):
        problems.append(f"{d}: organisations must be in double braces: {e['author']!r}")

    ris = rispy.loads(cite["ris"])
    if len(ris) != 1:
        problems.append(f"{d}: {len(ris)} RIS records")
        continue
    r = ris[0]
    if r["type_of_reference"] != ("JOUR" if article else "RPRT"):
        problems.append(f"{d}: RIS type {r['type_of_reference']}")
    if r.get("title") != title:
        problems.append(f"{d}: RIS title {r.get('title')!r}")
    if r.get("year") != year:
        problems.append(f"{d}: RIS year {r.get('year')!r}")
    if p["authors"] and len(r.get("authors", [])) != len(p["authors"]):
        problems.append(f"{d}: RIS authors {r.get('authors')!r}")

    csl = json.loads(cite["json"])
    c = csl[0]
    if c["title"] != title or str(c["issued"]["date-parts"][0][0]) != year:
        problems.append(f"{d}: CSL title/date {c['title']!r} {c['issued']}")
    if c["type"] != ("article-journal" if article else "report"):
        problems.append(f"{d}: CSL type {c['type']}")
    if not p["authors"] and any("literal" not in a for a in c["author"]):
        problems.append(f"{d}: CSL organisations must be literal: {c['author']}")
    if article:
        src = p["source"]
        if e.get("journal") != src["journal"] or r.get("journal_name", r.get("secondary_title")) != src["journal"] or c.get("container-title") != src["journal"]:
            problems.append(f"{d}: journal differs: {e.get('journal')!r} {r!r} {c.get('container-title')!r}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"{len(products)} products: BibTeX, RIS and CSL-JSON parse and match")
