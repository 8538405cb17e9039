// Runs queries against the browser index with the search page's engine as
// the page does: the results of the products' own text first, then those
// found only with their attached PDFs' text.
// Usage: node pdf.js SEARCH_DIR QUERIES_JSON
// Prints one JSON line: [{q, first, firstFiles, pdf, pdfFiles}] in query
// order: the URLs found first and the index files that took; the hits
// found with the PDFs (url, pdf link, page, snippet, marks) and the files
// that took, with their bytes.
"use strict";
const fs = require("fs");
const path = require("path");
const createEngine = require(path.join(__dirname, "../../themes/default/static/js/search.js"));

const dir = process.argv[2];
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8")).queries;
let fetched = [];
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
    fetched = [];
    const r = await engine.run(q.q, false, {});
    const first = [];
    for (const h of r.hits) first.push((await engine.doc(h[0])).u);
    const firstFiles = fetched;
    fetched = [];
    const more = await engine.pdfHits(r, q.q, {});
    const pdf = [];
    for (const h of more.hits) {
      const s = await engine.snippet(h, r.words, false);
      pdf.push({ url: s.doc.u, file: s.pdf.url, page: s.pdf.page, snippet: s.text, marks: [...s.marks].sort() });
    }
    out.push({ q: q.q, corrected: r.corrected, first, firstFiles, pdf, pdfFiles: fetched });
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
