// Runs labelled queries against the browser index with the same engine the
// search page uses. Usage: node relevance.js SEARCH_DIR QUERIES_JSON
// Prints one JSON line: [{q, urls, entities}] in the order of the queries,
// `entities` being the URLs of the partner, outcome and topic pages shown
// above the products.
"use strict";
const fs = require("fs");
const path = require("path");
const engineFor = require(path.join(__dirname, "engine.js"));

const dir = process.argv[2];
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8")).queries;
const engine = engineFor(dir);

(async () => {
  const out = [];
  for (const q of queries) {
    const selected = {};
    for (const f of ["partner", "kind", "outcome", "year"]) {
      if (q[f]) selected[f] = new Set([q[f]]);
    }
    if (q.topic) {
      // Topics are filtered by slug, as the page's checkboxes do.
      const slug = engine.fold(q.topic).replace(/[^\p{L}\p{N}]+/gu, "-").replace(/ñ/g, "n");
      selected.topic = new Set([slug]);
    }
    const r = await engine.run(q.q, false, selected);
    const urls = [];
    for (const [doc] of r.hits.slice(0, 3)) {
      urls.push((await engine.doc(doc)).u);
    }
    out.push({ q: q.q, urls, entities: r.entities.map((e) => e.url) });
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
