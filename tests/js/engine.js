// The search page's engine, reading a built browser index from disk, for
// the scripts that run queries in Node.
"use strict";
const fs = require("fs");
const path = require("path");
const createEngine = require(path.join(__dirname, "../../themes/default/static/js/search.js"));

// The engine over the index files in `dir` (a site's `public/search/`).
module.exports = function engineFor(dir) {
  return createEngine((p, asText) => {
    const file = path.join(dir, p);
    if (!fs.existsSync(file)) return Promise.resolve(null);
    const text = fs.readFileSync(file, "utf8");
    return Promise.resolve(asText ? text : JSON.parse(text));
  });
};
