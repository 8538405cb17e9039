// Runs queries against the browser index with the same engine the search
// page uses, and lists every result's URL.
// Usage: node search-urls.js SEARCH_DIR QUERIES_JSON [LIMIT]
// Prints one JSON line: [{q, urls, total, corrected}] in the order of the
// queries (corrected: the query searched instead, or null),
// urls best first, at most LIMIT (default: all).
"use strict";
const fs = require("fs");
const path = require("path");
const engineFor = require(path.join(__dirname, "engine.js"));

const dir = process.argv[2];
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8")).queries;
const limit = Number(process.argv[4] || Infinity);
const engine = engineFor(dir);

(async () => {
  const out = [];
  for (const q of queries) {
    const r = await engine.run(q.q, false, {});
    const urls = [];
    for (const [doc] of r.hits.slice(0, limit)) {
      urls.push((await engine.doc(doc)).u);
    }
    out.push({ q: q.q, urls, total: r.hits.length, corrected: r.corrected });
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
