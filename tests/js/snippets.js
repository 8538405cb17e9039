// Runs queries against the browser index with the search page's engine and
// prints the snippet of each query's first result, with the bytes of the
// index files that snippet fetched (its result file and text block).
// Usage: node snippets.js SEARCH_DIR QUERIES_JSON
// Prints one JSON line: [{q, url, snippet, marks, bytes}] in query order;
// url null when nothing was found.
"use strict";
const fs = require("fs");
const path = require("path");
const createEngine = require(path.join(__dirname, "../../themes/default/static/js/search.js"));

const dir = process.argv[2];
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8")).queries;
const fetched = [];
const engine = createEngine((p, asText) => {
  const file = path.join(dir, p);
  if (!fs.existsSync(file)) return Promise.resolve(null);
  const text = fs.readFileSync(file, "utf8");
  fetched.push([p, Buffer.byteLength(text)]);
  return Promise.resolve(asText ? text : JSON.parse(text));
});

(async () => {
  const out = [];
  for (const q of queries) {
    const r = await engine.run(q.q, false, {});
    if (r.hits.length === 0) {
      out.push({ q: q.q, url: null });
      continue;
    }
    fetched.length = 0;
    const s = await engine.snippet(r.hits[0], r.words, false);
    const bytes = fetched
      .filter(([p]) => /^(d|b)\//.test(p))
      .reduce((sum, [, n]) => sum + n, 0);
    out.push({ q: q.q, url: s.doc.u, snippet: s.text, marks: [...s.marks].sort(), bytes });
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
