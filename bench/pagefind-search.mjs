// Runs queries through Pagefind's own browser search (pagefind.js and its
// WebAssembly) in Node, reading the bundle's files from disk.
// Usage: node pagefind-search.mjs BUNDLE_DIR QUERIES_JSON LIMIT
// Prints one JSON line: [{q, urls}] in the order of the queries, urls best first.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const [dir, queriesFile, limitArg] = process.argv.slice(2);
const limit = Number(limitArg || 10);
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8")).queries;

// pagefind.js fetches its pieces relative to its own URL; here that URL is
// a file, which Node's fetch does not read.
globalThis.fetch = async (url) => {
  const file = fileURLToPath(String(url).split("?")[0]);
  if (!fs.existsSync(file)) return new Response(null, { status: 404 });
  return new Response(fs.readFileSync(file));
};

const pf = await import(pathToFileURL(path.join(path.resolve(dir), "pagefind.js")).href);
await pf.options({ basePath: pathToFileURL(path.resolve(dir)).href + "/", baseUrl: "/" });
await pf.init();
const out = [];
for (const q of queries) {
  const r = await pf.search(q.q);
  const urls = [];
  for (const hit of r.results.slice(0, limit)) urls.push((await hit.data()).url);
  out.push({ q: q.q, urls });
}
console.log(JSON.stringify(out));
