// Counts the bytes spelling help adds to a query in the browser: the
// spelling files (`s/`) and the vocabulary shards of corrected words, each
// gzipped as a static host serves it, with an empty cache per query.
// Usage: node spelling-bytes.js SEARCH_DIR QUERIES_JSON
// Prints one JSON line: queries, corrected, and the median and mean of the
// extra bytes per query, over all queries and over corrected ones.
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const createEngine = require(path.join(__dirname, "../themes/default/static/js/search.js"));

const dir = process.argv[2];
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8")).queries;
const gz = {};
const size = (p) => {
  if (gz[p] === undefined) gz[p] = zlib.gzipSync(fs.readFileSync(path.join(dir, p))).length;
  return gz[p];
};
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};
const mean = (v) => (v.length ? Math.round(v.reduce((a, b) => a + b, 0) / v.length) : 0);

(async () => {
  const all = [];
  const fixed = [];
  for (const q of queries) {
    const loaded = new Set();
    const engine = createEngine((p, asText) => {
      const file = path.join(dir, p);
      if (!fs.existsSync(file)) return Promise.resolve(null);
      loaded.add(p);
      const text = fs.readFileSync(file, "utf8");
      return Promise.resolve(asText ? text : JSON.parse(text));
    });
    const r = await engine.run(q.q, false, {});
    // The shards a query without spelling help loads: those of its words.
    const own = new Set(engine.words(q.q).map((w) => "v/" + w.slice(0, 2) + ".json"));
    let extra = 0;
    for (const p of loaded) {
      if (p.startsWith("s/") || (p.startsWith("v/") && !own.has(p))) extra += size(p);
    }
    all.push(extra);
    if (r.corrected) fixed.push(extra);
  }
  console.log(JSON.stringify({
    queries: all.length,
    corrected: fixed.length,
    median_all: median(all),
    mean_all: mean(all),
    median_corrected: median(fixed),
    mean_corrected: mean(fixed),
  }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
