"""Parses every product's cite.bib, cite.ris and cite.json with established
parsers and compares their fields with /api/products.json.
Usage: python3 check_citations.py PUBLIC_DIR. Exit 1 with a list of problems."""
import json, os, sys

import bibtexparser
import rispy

out = sys.argv[1]
products = json.load(open(os.path.join(out, "api", "products.json"), encoding="utf-8"))["products"]
problems = []
for p in products:
    d = os.path.join(out, p["path"].strip("/"))
    title = p["title"] + (": " + p["subtitle"] if p.get("subtitle") else "")
    year = p["date"][:4]
    article = bool(p.get("source") and p["source"].get("journal"))

    bib = bibtexparser.loads(open(os.path.join(d, "cite.bib"), encoding="utf-8").read())
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

    ris = rispy.loads(open(os.path.join(d, "cite.ris"), encoding="utf-8").read())
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

    csl = json.load(open(os.path.join(d, "cite.json"), encoding="utf-8"))
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
