// Runs queries with the search page's engine and prints, for each, the
// index files it fetched before its results were ranked that hold facets,
// and then, after loading the facets of its results, the count of results
// for each value of each facet.
// Usage: node facets.js SEARCH_DIR QUERIES_JSON
// Prints one JSON line: [{q, total, early, counts: {facet: {id: n}}}].
"use strict";
const fs = require("fs");
const path = require("path");
const createEngine = require(path.join(__dirname, "../../themes/default/static/js/search.js"));

const dir = process.argv[2];
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8")).queries;

(async () => {
  const out = [];
  for (const q of queries) {
    const fetched = [];
    const engine = createEngine((p, asText) => {
      fetched.push(p);
      const file = path.join(dir, p);
      if (!fs.existsSync(file)) return Promise.resolve(null);
      const text = fs.readFileSync(file, "utf8");
      return Promise.resolve(asText ? text : JSON.parse(text));
    });
    const r = await engine.run(q.q, false, {});
    const early = fetched.filter((p) => /^f\/|facets/.test(p));
    await engine.facets(r.all);
    const counts = {};
    for (const name of ["kind", "year", "partner", "topic", "outcome"]) {
      counts[name] = {};
      for (const [doc] of r.all) {
        for (const v of engine.facetValues(name, doc)) {
          const id = engine.facetId(name, v);
          counts[name][id] = (counts[name][id] || 0) + 1;
        }
      }
    }
    out.push({ q: q.q, total: r.hits.length, early, counts });
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
