/* ayni search: a small client for the static index that `ayni build` writes
   under /search/. It fetches only what a query needs: one vocabulary shard
   per word, the postings chunks of the matching terms, and the documents of
   the results shown; the positions of a quoted phrase's words, and the
   facets of the results, only when needed. Ranking sums the BM25 impacts tantivy computed, so
   results match `ayni search`. No dependencies. */
(function (global) {
  "use strict";
  var PREFIX_EXPANSIONS = 24;
  var FACETS = ["kind", "year", "partner", "topic", "outcome"];

  // The search engine, free of the page: `load(path, asText)` fetches a
  // file of the index. Node runs the same code in the tests.
  function createEngine(load) {
    var cache = {};
    function get(path, asText) {
      if (!cache[path]) cache[path] = load(path, asText);
      return cache[path];
    }

    // Lowercase, strip accents, keep ñ: the rule the index was built with.
    function fold(s) {
      return s
        .toLowerCase()
        .replace(/ñ/g, "\u0001")
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace(/\u0001/g, "ñ");
    }

    function words(q) {
      return fold(q.replace(/"/g, " "))
        .split(/[^\p{L}\p{N}]+/u)
        .filter(function (w) { return w.length > 0 && w.length <= 40; })
        .slice(0, 32);
    }

    // Whether the text between two words ends a sentence, as the index
    // decides it (analysis.rs `ends_sentence`).
    function endsSentence(between) {
      if (between.indexOf("\n") >= 0) return true;
      var ended = false;
      for (var i = 0; i < between.length; i++) {
        var c = between.charAt(i);
        if (/[.?!\u2026]/.test(c)) ended = true;
        else if (ended && /[)\]"'\u00bb\u201d\u2019]/.test(c)) continue;
        else if (/\s/.test(c)) { if (ended) return true; }
        else ended = false;
      }
      return false;
    }
    // Positions skipped at a sentence end (analysis.rs `SENTENCE_GAP`).
    var SENTENCE_GAP = 64;

    // The quoted phrases of a query: for each, its words as indices into
    // `words(q)` with their positions in the phrase, numbered as tantivy
    // numbers them (query.rs `parts`, analysis.rs `Sentences`).
    function phrases(q) {
      var out = [], at = 0;
      q.split('"').forEach(function (chunk, i) {
        var phrase = [], re = /[\p{L}\p{N}]+/gu, m, pos = -1, end = 0;
        while ((m = re.exec(chunk))) {
          pos += pos >= 0 && endsSentence(chunk.slice(end, m.index)) ? SENTENCE_GAP + 1 : 1;
          end = m.index + m[0].length;
          if (m[0].length > 40) continue;
          if (at < 32) phrase.push({ index: at, offset: pos });
          at++;
        }
        if (i % 2 === 1 && phrase.length > 1) out.push(phrase);
      });
      return out;
    }

    function shardOf(w) {
      return Array.from(w).slice(0, 2).map(function (c) {
        return /[\p{L}\p{N}]/u.test(c) ? c : "_";
      }).join("");
    }

    var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    var DIGIT = {};
    for (var i = 0; i < 64; i++) DIGIT[ALPHABET.charAt(i)] = i;

    function decode(s) {
      var out = [], v = 0, shift = 0;
      for (var i = 0; i < s.length; i++) {
        var d = DIGIT[s.charAt(i)];
        if (d === undefined) continue;
        v += (d & 31) * Math.pow(2, shift);
        if (d & 32) { shift += 5; } else { out.push(v); v = 0; shift = 0; }
      }
      return out;
    }

    // The files of the attached PDFs' index are under PDF (see attached.rs);
    // every function that reads an index takes the folder, "" or PDF.
    var PDF = "pdf/";
    var chunks = {};
    function postings(term, chunkId, dir) {
      var key = dir + chunkId;
      if (!chunks[key]) {
        chunks[key] = get(dir + "p/" + chunkId + ".txt", true).then(function (text) {
          var map = {};
          (text || "").split("\n").forEach(function (line) {
            var tab = line.indexOf("\t");
            if (tab > 0) map[line.slice(0, tab)] = line.slice(tab + 1);
          });
          return map;
        });
      }
      return chunks[key].then(function (map) {
        // (document delta, impact * 2 + has-block, [block]), see web.rs;
        // in the PDFs' index the block is the page.
        var nums = decode(map[term] || "");
        var scores = new Map(), blocks = new Map();
        var doc = 0;
        for (var i = 0; i + 1 < nums.length;) {
          doc = i === 0 ? nums[0] : doc + nums[i];
          var v = nums[i + 1];
          scores.set(doc, Math.floor(v / 2));
          i += 2;
          if (v % 2) blocks.set(doc, nums[i++]);
        }
        scores.blocks = blocks;
        return scores;
      });
    }

    // Scores of one typed word: for the word being typed, every indexed word
    // it begins; otherwise the word itself. `null` means a stop word.
    function wordScores(w, asPrefix, dir) {
      dir = dir || "";
      return get(dir + "v/" + shardOf(w) + ".json").then(function (shard) {
        if (!shard) return new Map();
        var entry = shard.w[w];
        if (entry === 0 && !asPrefix) return null;
        var surfaces = [];
        if (entry) surfaces.push([w, entry]);
        if (asPrefix && w.length >= 2) {
          var found = [];
          for (var s in shard.w) {
            if (s !== w && s.lastIndexOf(w, 0) === 0 && shard.w[s]) found.push([s, shard.w[s]]);
          }
          found.sort(function (a, b) { return b[1][1] - a[1][1]; });
          surfaces = surfaces.concat(found.slice(0, PREFIX_EXPANSIONS));
        }
        if (entry === 0 && surfaces.length === 0) return null;
        var terms = {};
        surfaces.forEach(function (s) { s[1][0].forEach(function (t) { terms[t] = true; }); });
        var listed = Object.keys(terms).map(function (t) { return [t, shard.t[t], dir]; });
        return Promise.all(listed.map(function (t) {
          return postings(t[0], t[1], dir);
        })).then(function (maps) {
          // Alternatives for one word do not add up: a document counts the
          // best of them, and the earliest block any of them is in.
          var best = new Map(), blocks = new Map();
          maps.forEach(function (m) {
            m.forEach(function (score, doc) {
              if (!(best.get(doc) >= score)) best.set(doc, score);
              var b = m.blocks.get(doc) || 0;
              if (!(blocks.get(doc) <= b)) blocks.set(doc, b);
            });
          });
          best.blocks = blocks;
          best.terms = listed;
          return best;
        });
      });
    }

    // Positions: the line of a term in `o/<chunk>.txt` (see web.rs
    // `scored`): segments of a field number, then for each document its
    // number, its count of positions and the positions, delta-coded.
    var FIELD_SPAN = 16777216;
    var positionFiles = {};
    function termPositions(term, chunkId, dir) {
      var key = dir + chunkId;
      if (!positionFiles[key]) {
        positionFiles[key] = get(dir + "o/" + chunkId + ".txt", true).then(function (text) {
          var map = {};
          (text || "").split("\n").forEach(function (line) {
            var tab = line.indexOf("\t");
            if (tab > 0) map[line.slice(0, tab)] = line.slice(tab + 1);
          });
          return map;
        });
      }
      return positionFiles[key].then(function (map) {
        var byDoc = new Map();
        (map[term] || "").split(" ").forEach(function (segment) {
          var nums = decode(segment), field = nums[0] * FIELD_SPAN;
          for (var i = 1; i + 1 < nums.length;) {
            var doc = nums[i], n = nums[i + 1], p = field, list = byDoc.get(doc) || [];
            i += 2;
            for (var k = 0; k < n && i < nums.length; k++) { p += nums[i++]; list.push(p); }
            byDoc.set(doc, list);
          }
        });
        return byDoc;
      });
    }
    // The positions of a query word's terms, by document, as sets.
    function wordPositions(scores) {
      return Promise.all((scores.terms || []).map(function (t) {
        return termPositions(t[0], t[1], t[2]);
      })).then(function (maps) {
        var all = new Map();
        maps.forEach(function (m) {
          m.forEach(function (list, doc) {
            var set = all.get(doc) || new Set();
            list.forEach(function (p) { set.add(p); });
            all.set(doc, set);
          });
        });
        return all;
      });
    }
    // Keeps in `total` the documents where every phrase's words stand in
    // order, one position apart but for the words skipped (stop words):
    // as tantivy's phrase query, and, as the index leaves a gap of
    // positions at each sentence end, within one sentence.
    function matchPhrases(list, perWord, total) {
      var checks = list.map(function (phrase) {
        var parts = phrase.filter(function (w) { return perWord[w.index]; });
        if (parts.length < 2 || total.size === 0) return Promise.resolve();
        return Promise.all(parts.map(function (w) {
          return wordPositions(perWord[w.index]);
        })).then(function (sets) {
          total.forEach(function (_, doc) {
            var first = sets[0].get(doc), found = false;
            if (first) {
              first.forEach(function (p) {
                if (found) return;
                var start = p - parts[0].offset;
                found = parts.every(function (w, j) {
                  var at = sets[j].get(doc);
                  return at && at.has(start + w.offset);
                });
              });
            }
            if (!found) total.delete(doc);
          });
        });
      });
      return Promise.all(checks).then(function () { return total; });
    }

    // Entity results (see entity.rs for the rule): the partners, outcomes
    // and topics every non-stop word of the query names, best first. Only
    // the entity files of the query's shards are fetched, and only those
    // the index lists.
    var MAX_ENTITIES = 3;
    function wordEntities(w) {
      var shard = shardOf(w);
      var listed = (meta.entities || []).indexOf(shard) >= 0;
      return Promise.all([
        get("v/" + shard + ".json"),
        listed ? get("e/" + shard + ".json") : Promise.resolve(null)
      ]).then(function (r) {
        if (r[0] && r[0].w[w] === 0) return null;
        var terms = r[1] && r[1].w[w];
        if (terms && terms.length === 0) return null;
        var found = {};
        if (!terms) return found;
        Object.keys(r[1].n).forEach(function (key) {
          var names = r[1].n[key][3], all = {};
          names.forEach(function (n) { n.forEach(function (t) { all[t] = true; }); });
          if (terms.every(function (t) { return all[t]; })) found[key] = [terms, r[1].n[key]];
        });
        return found;
      });
    }

    function entities(ws) {
      return Promise.all(ws.map(wordEntities)).then(function (perWord) {
        var used = perWord.filter(function (m) { return m !== null; });
        if (used.length === 0) return [];
        var q = {};
        used.forEach(function (m) {
          for (var k in m) m[k][0].forEach(function (t) { q[t] = true; });
        });
        var qTerms = Object.keys(q);
        var out = [];
        Object.keys(used[0]).forEach(function (key) {
          if (!used.every(function (m) { return m[key]; })) return;
          var e = used[0][key][1], exact = false, best = null;
          e[3].forEach(function (n) {
            var c = n.filter(function (t) { return q[t]; }).length;
            if (c === n.length && c === qTerms.length) exact = true;
            if (!best || c * best[1] > best[0] * n.length) best = [c, n.length];
          });
          if (!best || (!exact && best[0] * 3 < best[1])) return;
          out.push({ key: Number(key), exact: exact, covered: best, kind: e[0], title: e[1], url: e[2] });
        });
        out.sort(function (a, b) {
          return (b.exact - a.exact) ||
            (b.covered[0] * a.covered[1] - a.covered[0] * b.covered[1]) ||
            a.key - b.key;
        });
        return out.slice(0, MAX_ENTITIES);
      });
    }

    // Spelling help: the rules of src/search/spelling.rs, which explains them.
    function same(a, b) {
      return a === b || (a === "ñ" && b === "n") || (a === "n" && b === "ñ");
    }
    // Damerau–Levenshtein (optimal string alignment), `n` for `ñ` free.
    function distance(a, b) {
      a = Array.from(a);
      b = Array.from(b);
      var w = b.length + 1, d = new Array((a.length + 1) * w);
      for (var i = 0; i <= a.length; i++) {
        for (var j = 0; j <= b.length; j++) {
          if (i === 0 || j === 0) { d[i * w + j] = i + j; continue; }
          var v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1,
            d[(i - 1) * w + j - 1] + (same(a[i - 1], b[j - 1]) ? 0 : 1));
          if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
            v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
          }
          d[i * w + j] = v;
        }
      }
      return d[a.length * w + b.length];
    }
    function correctable(w) { return Array.from(w).length >= 3 && !/\p{N}/u.test(w); }
    function maxEdits(w) { return Array.from(w).length <= 5 ? 1 : 2; }
    function tailKey(w) {
      var c = Array.from(w);
      return c.length >= 3 ? c.slice(2, 4).join("") : null;
    }
    function keysToLook(w) {
      var c = Array.from(w);
      var keys = [c.slice(1, 3).join(""), c.slice(2, 4).join(""), c.slice(3, 5).join("")];
      if (c.length >= 4) keys.push(c[1] + c[3]);
      return keys.filter(function (k, i) { return k && keys.indexOf(k) === i; });
    }
    var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
    // Fewest edits, then most documents, then alphabetical; or null.
    function closest(w, shardWords) {
      var keys = keysToLook(w);
      return Promise.all(keys.map(function (k) {
        return get("s/" + shardOf(k) + ".json");
      })).then(function (files) {
        var found = {};
        for (var s in shardWords) if (own(shardWords, s) && shardWords[s]) found[s] = shardWords[s][1];
        files.forEach(function (f) {
          for (var s in f || {}) if (own(f, s) && keys.indexOf(tailKey(s)) >= 0) found[s] = f[s];
        });
        var limit = maxEdits(w), len = Array.from(w).length, best = null;
        for (var c in found) {
          if (!own(found, c) || c === w || Math.abs(Array.from(c).length - len) > limit) continue;
          var d = distance(w, c);
          if (d > limit) continue;
          var e = [d, -found[c], c];
          if (!best || e[0] < best[0] || (e[0] === best[0] && (e[1] < best[1] ||
              (e[1] === best[1] && e[2] < best[2])))) best = e;
        }
        return best ? best[2] : null;
      });
    }
    // The word searched for `w`: itself if the site has it (or, typed,
    // begins one of its words), else its closest word, if any.
    function spelled(w, asPrefix) {
      return get("v/" + shardOf(w) + ".json").then(function (shard) {
        var sw = shard ? shard.w : {};
        if (known(sw, w, asPrefix) || !correctable(w)) return w;
        // A word only an attached PDF holds is found there, not corrected.
        var inPdf = meta.pdf ? get(PDF + "v/" + shardOf(w) + ".json") : Promise.resolve(null);
        return inPdf.then(function (p) {
          if (p && known(p.w, w, asPrefix)) return w;
          return closest(w, sw).then(function (c) { return c || w; });
        });
      });
    }
    // Whether a shard's words hold `w` (or, typed, a word it begins).
    function known(sw, w, asPrefix) {
      if (own(sw, w)) return true;
      if (asPrefix) {
        for (var s in sw) if (own(sw, s) && sw[s] && s.lastIndexOf(w, 0) === 0) return true;
      }
      return false;
    }
    // The query as typed with the corrected words replaced, or null.
    function correctedText(q, ws, fixed) {
      var fix = {}, any = false;
      ws.forEach(function (w, i) { if (fixed[i] !== w) { fix[w] = fixed[i]; any = true; } });
      if (!any) return null;
      return q.replace(/[\p{L}\p{N}]+/gu, function (t) {
        var f = fold(t);
        return own(fix, f) ? fix[f] : t;
      });
    }

    var meta = null, labels = null;
    function ready() {
      return get("meta.json").then(function (m) { meta = m; });
    }

    // Facet rows (see facets.rs), parsed per file of `meta.rows` products:
    // only the files that hold the documents asked for are loaded.
    var rowFiles = {}, rows = {};
    function rowFile(k) {
      if (!rowFiles[k]) {
        rowFiles[k] = get("f/" + k + ".txt", true).then(function (text) {
          var num = function (x) { return parseInt(x, 36); };
          var list = function (x) {
            var acc = 0;
            return x ? x.split(",").map(function (d) { acc += num(d); return acc; }) : [];
          };
          (text || "").split("\n").forEach(function (line, i) {
            var f = line.split(";"), head = (f[0] || "").split(",");
            var v = num(head[1]), day = v % 32, rest = Math.floor(v / 32);
            rows[k * meta.rows + i] = {
              kind: num(head[0]),
              date: (1900 + Math.floor(rest / 13)) * 10000 + (rest % 13) * 100 + day,
              partner: list(f[1]), topic: list(f[2]), outcome: list(f[3])
            };
          });
        });
      }
      return rowFiles[k];
    }
    // Loads the facets of `docs` (numbers, or hits) and the labels.
    function loadFacets(docs) {
      var files = {};
      docs.forEach(function (d) { files[Math.floor((d[0] === undefined ? d : d[0]) / meta.rows)] = true; });
      var all = Object.keys(files).map(rowFile);
      all.push(get("f/labels.json").then(function (l) {
        labels = l || {};
        // The page looks ids up in `meta().facets`.
        meta.facets = labels;
      }));
      return Promise.all(all);
    }
    function dateOf(doc) { return rows[doc] ? rows[doc].date : 0; }

    function facetValues(name, doc) {
      var row = rows[doc];
      if (!row) return [];
      if (name === "kind") return [row.kind];
      if (name === "year") return [Math.floor(row.date / 10000)];
      return row[name] || [];
    }
    function facetLabel(name, value) {
      if (name === "year") return String(value);
      var v = labels && labels[name] && labels[name][value];
      return v ? v[1] : String(value);
    }
    function facetId(name, value) {
      if (name === "year") return String(value);
      var v = labels && labels[name] && labels[name][value];
      return v ? v[0] : String(value);
    }

    function passes(selected, doc, except) {
      for (var k = 0; k < FACETS.length; k++) {
        var name = FACETS[k];
        if (name === except || !selected[name] || selected[name].size === 0) continue;
        var vals = facetValues(name, doc), ok = false;
        for (var j = 0; j < vals.length; j++) {
          if (selected[name].has(facetId(name, vals[j]))) { ok = true; break; }
        }
        if (!ok) return false;
      }
      return true;
    }


    // The block of a document's text to show for a query: the one where
    // most of its words first occur; on a tie, the latest: a word first
    // met late is rare in the text, one met early often comes back.
    function blockOf(scored, doc) {
      var votes = {}, best = 0;
      scored.forEach(function (m) {
        var b = m.blocks ? m.blocks.get(doc) || 0 : 0;
        votes[b] = (votes[b] || 0) + 1;
        if (!(votes[b] < votes[best]) && !(votes[b] === votes[best] && b < best)) best = b;
      });
      return best;
    }

    // For each query word, the words of the site that match it: those
    // sharing one of its index terms (so "políticas" marks "politica"),
    // and, for the word being typed, every word it begins. Stop words mark
    // nothing.
    function marks(ws, lastIsPrefix, dir) {
      return Promise.all(ws.map(function (w, i) {
        return get((dir || "") + "v/" + shardOf(w) + ".json").then(function (shard) {
          var out = new Set(), sw = shard ? shard.w : {};
          var prefix = lastIsPrefix && i === ws.length - 1, terms = {};
          if (sw[w] === 0 && !prefix) return out;
          out.add(w);
          if (sw[w]) sw[w][0].forEach(function (t) { terms[t] = true; });
          for (var s in sw) {
            if (!own(sw, s) || !sw[s]) continue;
            if ((prefix && s.lastIndexOf(w, 0) === 0) ||
                sw[s][0].some(function (t) { return terms[t]; })) out.add(s);
          }
          return out;
        });
      }));
    }

    // How many of the query's words (sets of `marks`) a text holds.
    function wordsIn(text, sets) {
      var tokens = fold(text).split(/[^\p{L}\p{N}]+/u);
      return sets.filter(function (set) {
        return tokens.some(function (t) { return set.has(t); });
      }).length;
    }

    // The passage of a block to show: the sentence with the most query
    // words (the first on a tie), with the sentences after it up to about
    // PASSAGE_CHARS, or cut around its first marked word when longer.
    var PASSAGE_CHARS = 240;
    function passage(text, sets) {
      var sentences = text.split(/(?<=[.?!\u2026]["')\]\u00bb\u201d\u2019]*)\s+/u);
      var best = -1, most = 0;
      sentences.forEach(function (s, i) {
        var n = wordsIn(s, sets);
        if (n > most) { best = i; most = n; }
      });
      if (best < 0) return { text: "", found: 0 };
      var out = sentences[best];
      for (var k = best + 1; k < sentences.length && out.length < PASSAGE_CHARS; k++) {
        out += " " + sentences[k];
      }
      var from = 0;
      if (out.length > PASSAGE_CHARS) {
        var re = /[\p{L}\p{N}]+/gu, m, first = 0;
        while ((m = re.exec(out))) {
          var f = fold(m[0]);
          if (sets.some(function (set) { return set.has(f); })) { first = m.index; break; }
        }
        // Some words of context before the first marked word, from a space.
        if (first > 60) {
          from = out.indexOf(" ", first - 60) + 1;
          if (from <= 0 || from > first) from = first;
        }
        var end = out.lastIndexOf(" ", from + PASSAGE_CHARS);
        out = out.slice(from, end > first ? end : from + PASSAGE_CHARS) + " \u2026";
      }
      var lead = best > 0 || from > 0 || text.indexOf(sentences[0]) > 0;
      return { text: (lead ? "\u2026 " : "") + out, found: most };
    }

    // Block `k` (1 and up) of document `doc`'s text: blocks are filed
    // BLOCKS_PER_FILE to a file, separated by U+001E (see passages.rs; the
    // snippet tests fail when the two numbers differ).
    var BLOCKS_PER_FILE = 8;
    function block(doc, k) {
      var g = Math.floor((k - 1) / BLOCKS_PER_FILE);
      return get("b/" + doc + "-" + g + ".txt", true).then(function (t) {
        return t == null ? null : t.split("\u001e")[(k - 1) % BLOCKS_PER_FILE] || null;
      });
    }

    // What a result shows for hit `h` of words `ws`: its document and the
    // snippet: the passage of the block of its text where the words are,
    // fetched alone (see passages.rs), else its summary or its beginning;
    // with the words to mark.
    function snippet(h, ws, lastIsPrefix) {
      if (h.length > 3) return pdfSnippet(h, ws, lastIsPrefix);
      return Promise.all([
        get("d/" + h[0] + ".json"),
        h[2] ? block(h[0], h[2]) : Promise.resolve(null),
        marks(ws, lastIsPrefix)
      ]).then(function (r) {
        var doc = r[0] || {}, sets = r[2].filter(function (s) { return s.size > 0; });
        var p = passage(r[1] || doc.x || "", sets);
        var text = p.text;
        if (!p.found || (doc.s && wordsIn(doc.s, sets) >= p.found)) {
          text = doc.s || (doc.x || "").slice(0, PASSAGE_CHARS);
        }
        var all = new Set();
        sets.forEach(function (set) { set.forEach(function (w) { all.add(w); }); });
        return { doc: r[0], text: text, marks: all };
      });
    }

    // Page `k` (from 0) of the pages of document `doc`'s PDFs the index
    // holds: its URL (opening the PDF at the page) and its text; filed
    // PAGES_PER_FILE to a file (see attached.rs).
    var PAGES_PER_FILE = 4;
    function pdfPage(doc, k) {
      var g = Math.floor(k / PAGES_PER_FILE);
      return get(PDF + "t/" + doc + "-" + g + ".txt", true).then(function (t) {
        var entry = t == null ? null : t.split("\u001e")[k % PAGES_PER_FILE];
        if (!entry) return null;
        var cut = entry.indexOf("\u001f");
        var m = /#page=(\d+)$/.exec(entry.slice(0, cut));
        return { url: entry.slice(0, cut), page: m ? Number(m[1]) : 1, text: entry.slice(cut + 1) };
      });
    }

    // The snippet of a hit found with its PDFs' text: the passage of the
    // page where most of the words first occur, with the words of either
    // index that match the query marked, and the page to link to.
    function pdfSnippet(h, ws, lastIsPrefix) {
      return Promise.all([
        get("d/" + h[0] + ".json"),
        pdfPage(h[0], h[3]),
        marks(ws, lastIsPrefix),
        marks(ws, lastIsPrefix, PDF)
      ]).then(function (r) {
        var sets = r[2].map(function (set, i) {
          var both = new Set(set);
          r[3][i].forEach(function (w) { both.add(w); });
          return both;
        }).filter(function (s) { return s.size > 0; });
        var page = r[1] || { url: "", page: 1, text: "" };
        var p = passage(page.text, sets);
        var all = new Set();
        sets.forEach(function (set) { set.forEach(function (w) { all.add(w); }); });
        return {
          doc: r[0],
          text: p.found ? p.text : page.text.slice(0, PASSAGE_CHARS),
          marks: all,
          pdf: { url: page.url, page: page.page }
        };
      });
    }

    // The products a query finds only with their attached PDFs' text: each
    // word in the product's own fields or its PDFs, every phrase in order,
    // and not among the results `r` of `run`. Scores add up over both
    // indexes, as tantivy's do over the fields; the page appends these
    // below the others, after they are on screen (see web.rs).
    function pdfHits(r, q, selected) {
      var none = { all: [], hits: [] };
      if (!meta.pdf || !r.perWord || r.perWord.every(function (m) { return m === null; })) {
        return Promise.resolve(none);
      }
      var ws = r.words, last = ws.length - 1;
      return Promise.all(ws.map(function (w, i) {
        return r.perWord[i] === null ? null : wordScores(w, r.prefix && i === last, PDF);
      })).then(function (inPdf) {
        var both = r.perWord.map(function (m, i) { return m === null ? null : joined(m, inPdf[i]); });
        var scored = both.filter(function (m) { return m !== null; });
        scored.sort(function (a, b) { return a.size - b.size; });
        var found = new Set(r.all.map(function (h) { return h[0]; }));
        var total = new Map();
        scored[0].forEach(function (s, doc) { if (!found.has(doc)) total.set(doc, s); });
        for (var k = 1; k < scored.length; k++) {
          var next = new Map();
          total.forEach(function (s, doc) {
            var t = scored[k].get(doc);
            if (t !== undefined) next.set(doc, s + t);
          });
          total = next;
        }
        return matchPhrases(phrases(q), both, total).then(function (kept) {
          var pages = inPdf.filter(function (m) { return m; });
          var all = [];
          kept.forEach(function (s, doc) { all.push([doc, s, 0, blockOf(pages, doc)]); });
          var anyFilter = FACETS.some(function (f) { return selected[f] && selected[f].size > 0; });
          return (anyFilter ? loadFacets(all) : Promise.resolve()).then(function () {
            var hits = all.filter(function (h) { return passes(selected, h[0]); });
            hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
            return { all: all, hits: hits };
          });
        });
      });
    }
    // A word's scores in both indexes, added up, with the terms of both.
    function joined(own, inPdf) {
      var out = new Map(own);
      if (inPdf) inPdf.forEach(function (s, doc) { out.set(doc, (out.get(doc) || 0) + s); });
      out.terms = (own.terms || []).concat(inPdf && inPdf.terms || []);
      return out;
    }

    // Ranks every document for a query. `selected` maps facet names to
    // sets of ids. Resolves to all matches (before facet filters, for the
    // counts) and the filtered hits, best first.
    function run(q, typing, selected, exact) {
      var ws = words(q);
      var anyFilter = FACETS.some(function (f) { return selected[f] && selected[f].size > 0; });
      var lastIsPrefix = typing && !/\s$/.test(q);
      var isPrefix = function (i) { return lastIsPrefix && i === ws.length - 1; };
      var corrected = null;
      return ready().then(function () {
        if (exact) return ws;
        return Promise.all(ws.map(function (w, i) { return spelled(w, isPrefix(i)); }));
      }).then(function (fixed) {
        corrected = correctedText(q, ws, fixed);
        ws = fixed;
        return Promise.all(ws.map(function (w, i) { return wordScores(w, isPrefix(i)); }));
      }).then(function (perWord) {
        // Filters narrow products; entity results show without them.
        return (anyFilter ? Promise.resolve([]) : entities(ws)).then(function (named) {
          return [perWord, named];
        });
      }).then(function (r) {
        return ranked(q, r[0], r[1], selected, anyFilter).then(function (out) {
          out.words = ws;
          out.corrected = corrected;
          out.perWord = r[0];
          out.prefix = lastIsPrefix;
          return out;
        });
      });
    }

    // The documents with every word (and every quoted phrase), their
    // scores summed; all of them, and those the filters pass, best first.
    function ranked(q, perWord, named, selected, anyFilter) {
      var scored = perWord.filter(function (m) { return m !== null; });
      var total = new Map();
      if (scored.length === 0) {
        if (!anyFilter) return Promise.resolve({ all: [], hits: [], entities: named });
        for (var d = 0; d < meta.docs; d++) total.set(d, 0);
        return finish(total, scored, named, selected, anyFilter);
      }
      scored.sort(function (a, b) { return a.size - b.size; });
      scored[0].forEach(function (s, doc) { total.set(doc, s); });
      for (var k = 1; k < scored.length; k++) {
        var next = new Map();
        total.forEach(function (s, doc) {
          var t = scored[k].get(doc);
          if (t !== undefined) next.set(doc, s + t);
        });
        total = next;
      }
      return matchPhrases(phrases(q), perWord, total).then(function (kept) {
        return finish(kept, scored, named, selected, anyFilter);
      });
    }

    // Filters need the facets of every match, loaded first; without a
    // filter, none are loaded before the results are shown. Ties go to the
    // newest with filters alone, as in `ayni search`, else to site order.
    function finish(total, scored, named, selected, anyFilter) {
      var all = [];
      total.forEach(function (s, doc) { all.push([doc, s, blockOf(scored, doc)]); });
      return (anyFilter ? loadFacets(all) : Promise.resolve()).then(function () {
        var hits = all.filter(function (h) { return passes(selected, h[0]); });
        var byDate = scored.length === 0;
        hits.sort(function (a, b) {
          return b[1] - a[1] || (byDate ? dateOf(b[0]) - dateOf(a[0]) : 0) || a[0] - b[0];
        });
        return { all: all, hits: hits, entities: named };
      });
    }

    return {
      run: run,
      pdfHits: pdfHits,
      hasPdf: function () { return !!(meta && meta.pdf); },
      entities: entities,
      snippet: snippet,
      passage: passage,
      ready: ready,
      spelled: spelled,
      words: words,
      phrases: phrases,
      facets: loadFacets,
      fold: fold,
      passes: passes,
      facetValues: facetValues,
      facetLabel: facetLabel,
      facetId: facetId,
      doc: function (n) { return get("d/" + n + ".json"); },
      meta: function () { return meta; },
    };
  }

  global.ayniSearchEngine = createEngine;
  if (typeof module !== "undefined" && module.exports) module.exports = createEngine;
  if (typeof document === "undefined") return;

  var configEl = document.getElementById("search-config");
  if (!configEl || !window.fetch) return;
  var config = JSON.parse(configEl.textContent);
  var S = config.strings;
  var base = config.index;
  var PAGE = 10;

  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var statusEl = document.getElementById("search-status");
  var correctionEl = document.getElementById("search-correction");
  var list = document.getElementById("results-list");
  var entityList = document.getElementById("entity-list");
  var more = document.getElementById("search-more");
  var facetBox = document.getElementById("search-facets");
  var facetGroups = document.getElementById("facet-groups");
  var toolbar = document.getElementById("search-toolbar");
  var filtersToggle = document.getElementById("filters-toggle");
  var filtersCount = document.getElementById("filters-count");
  var activeList = document.getElementById("active-filters");
  var help = document.getElementById("search-help");
  var helpFilters = document.getElementById("search-help-filters");

  var engine = createEngine(function (path, asText) {
    return fetch(base + path).then(function (r) {
      if (!r.ok) {
        if (r.status === 404) return null;
        throw new Error(r.status + " " + path);
      }
      return asText ? r.text() : r.json();
    });
  });
  global.ayniSearch = engine;
  var fold = engine.fold;
  var selected = {};
  FACETS.forEach(function (f) { selected[f] = new Set(); });

  var current = { hits: [], shown: 0, words: [], token: 0, typing: false, prefix: false };
  // Set by the notice's link: search the words as typed, no correction.
  var exact = false;

  function search(q, typing) {
    var token = ++current.token;
    current.typing = typing;
    var ws = engine.words(q);
    var anyFilter = FACETS.some(function (f) { return selected[f].size > 0; });
    if (ws.length === 0 && !anyFilter) {
      list.innerHTML = "";
      showEntities([]);
      more.hidden = true;
      facetBox.hidden = true;
      showActiveFilters();
      showHelp(false);
      showCorrection(null, q);
      statusEl.textContent = S.prompt;
      return Promise.resolve();
    }
    statusEl.textContent = S.loading;
    return engine.run(q, typing, selected, exact).then(function (r) {
      if (token !== current.token) return;
      // The PDFs' index is read after the first results are on screen;
      // with none, before saying nothing was found.
      var early = r.hits.length === 0 && engine.hasPdf();
      return (early ? engine.pdfHits(r, q, selected) : Promise.resolve(null)).then(function (found) {
        if (token !== current.token) return;
        if (found) { r.hits = found.hits; r.all = found.all; }
        showCorrection(r.corrected, q);
        showEntities(r.entities);
        current.prefix = typing && !/\s$/.test(q);
        show(r.hits, r.words, q);
        var later = found || !engine.hasPdf() ? Promise.resolve(null) : engine.pdfHits(r, q, selected);
        return later.then(function (more) {
          if (token !== current.token) return;
          if (more && more.all.length) {
            r.all = r.all.concat(more.all);
            append(more.hits, q);
          }
          // The facet counts come after the results: their rows are not
          // part of a first query.
          return (r.all.length ? engine.facets(r.all) : Promise.resolve()).then(function () {
            if (token === current.token) renderFacets(r.all);
          });
        });
      });
    }).catch(function () {
      if (token === current.token) statusEl.textContent = S.error;
    });
  }

  // The pages the query names, above the products, each marked with its
  // kind ("Socio", "Tema", ...).
  function showEntities(named) {
    if (!entityList) return;
    entityList.innerHTML = "";
    (named || []).forEach(function (e) {
      var li = document.createElement("li");
      li.className = "result result--entity";
      li.dataset.kind = e.kind;
      var kind = document.createElement("p");
      kind.className = "result__meta result__kind";
      kind.textContent = S[e.kind] || e.kind;
      var h = document.createElement("h2");
      h.className = "result__title";
      var a = document.createElement("a");
      a.href = e.url;
      a.textContent = e.title;
      h.appendChild(a);
      li.appendChild(kind);
      li.appendChild(h);
      entityList.appendChild(li);
    });
    entityList.hidden = entityList.children.length === 0;
  }

  function show(hits, ws, q) {
    current.hits = hits;
    current.words = ws;
    current.shown = 0;
    list.innerHTML = "";
    showCount(q);
    showMore(PAGE);
  }

  function showCount(q) {
    var n = current.hits.length;
    statusEl.textContent = n === 0
      ? S.none + " \u201c" + q.trim() + "\u201d."
      : n + " " + (n === 1 ? S.one : S.many);
    showHelp(n === 0);
  }

  // Hits found in the PDFs' text, below those shown: the first page of
  // results is filled up to PAGE, the rest waits for "more".
  function append(hits, q) {
    if (!hits.length) return;
    current.hits = current.hits.concat(hits);
    showCount(q);
    showMore(Math.max(0, PAGE - current.shown));
  }

  // Above the results, when a word was corrected: what was searched, and a
  // link that searches the words as typed.
  function showCorrection(corrected, q) {
    correctionEl.textContent = "";
    correctionEl.hidden = !corrected;
    if (!corrected) return;
    correctionEl.appendChild(document.createTextNode(S.corrected.replace("{q}", corrected.trim()) + " \u00b7 "));
    var a = document.createElement("a");
    var params = new URLSearchParams(location.search);
    params.set("q", q.trim());
    params.set("exact", "1");
    a.href = "?" + params.toString();
    a.textContent = S.original.replace("{q}", q.trim());
    a.addEventListener("click", function (e) {
      e.preventDefault();
      exact = true;
      syncUrl();
      search(input.value, false);
    });
    correctionEl.appendChild(a);
  }

  function showMore(count) {
    var start = current.shown;
    var slice = current.hits.slice(start, start + count);
    current.shown += slice.length;
    more.hidden = current.shown >= current.hits.length;
    var token = current.token;
    var items = slice.map(function (h) {
      var li = document.createElement("li");
      li.className = "result";
      list.appendChild(li);
      return engine.snippet(h, current.words, current.prefix).then(function (s) {
        if (token === current.token && s.doc) fillResult(li, s);
      });
    });
    return Promise.all(items);
  }

  // Marks the words of `text` that match the query (see `marks`).
  function highlight(el, text, marks) {
    text.split(/([\p{L}\p{N}]+)/u).forEach(function (p) {
      if (p && marks.has(fold(p))) {
        var mark = document.createElement("mark");
        mark.textContent = p;
        el.appendChild(mark);
      } else if (p) {
        el.appendChild(document.createTextNode(p));
      }
    });
  }

  function fillResult(li, s) {
    var doc = s.doc;
    var meta = document.createElement("p");
    meta.className = "result__meta";
    meta.textContent = doc.k + " \u00b7 " + doc.d;
    var h = document.createElement("h2");
    h.className = "result__title";
    var a = document.createElement("a");
    a.href = doc.u;
    highlight(a, doc.t, s.marks);
    h.appendChild(a);
    var snip = document.createElement("p");
    snip.className = "result__snippet";
    if (s.pdf) {
      // Found in an attached PDF: say where, and open it at the page.
      var at = document.createElement("a");
      at.className = "result__pdf";
      at.href = s.pdf.url;
      at.textContent = S.pdf_page.replace("{page}", s.pdf.page);
      snip.appendChild(at);
      snip.appendChild(document.createTextNode(": "));
    }
    highlight(snip, s.text, s.marks);
    var partners = document.createElement("p");
    partners.className = "result__partners";
    // Authors first; funders apart, as on the site's cards.
    var named = (doc.p || []).slice();
    if (doc.f && doc.f.length) named.push((S.support || "") + " " + doc.f.join(", "));
    partners.textContent = named.join(" \u00b7 ");
    li.lang = doc.l || "";
    li.appendChild(meta);
    li.appendChild(h);
    li.appendChild(snip);
    li.appendChild(partners);
  }

  function renderFacets(all) {
    facetGroups.innerHTML = "";
    var any = false;
    FACETS.forEach(function (name) {
      var counts = new Map();
      all.forEach(function (h) {
        if (!engine.passes(selected, h[0], name)) return;
        engine.facetValues(name, h[0]).forEach(function (v) {
          counts.set(v, (counts.get(v) || 0) + 1);
        });
      });
      selected[name].forEach(function (id) {
        var known = false;
        counts.forEach(function (_, v) { if (engine.facetId(name, v) === id) known = true; });
        if (!known) counts.set(name === "year" ? Number(id) : indexOfId(name, id), 0);
      });
      if (counts.size < 2 && selected[name].size === 0) return;
      any = true;
      var entries = [];
      counts.forEach(function (c, v) { entries.push([v, c]); });
      entries.sort(function (a, b) {
        return name === "year" ? b[0] - a[0] : b[1] - a[1] || engine.facetLabel(name, a[0]).localeCompare(engine.facetLabel(name, b[0]));
      });
      var fs = document.createElement("fieldset");
      fs.className = "facet";
      var legend = document.createElement("legend");
      legend.textContent = S[name];
      fs.appendChild(legend);
      var ul = document.createElement("ul");
      entries.slice(0, 12).forEach(function (e) {
        var id = engine.facetId(name, e[0]);
        var li = document.createElement("li");
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = id;
        box.checked = selected[name].has(id);
        box.addEventListener("change", function () {
          if (box.checked) selected[name].add(id); else selected[name].delete(id);
          syncUrl();
          // Keep matching the half-typed word as the results showed it.
          search(input.value, current.typing);
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + engine.facetLabel(name, e[0]) + " "));
        var count = document.createElement("span");
        count.className = "count";
        count.textContent = e[1];
        label.appendChild(count);
        li.appendChild(label);
        ul.appendChild(li);
      });
      fs.appendChild(ul);
      facetGroups.appendChild(fs);
    });
    if (FACETS.some(function (f) { return selected[f].size > 0; })) {
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "button-secondary";
      clear.textContent = S.clear;
      clear.addEventListener("click", clearFilters);
      facetGroups.appendChild(clear);
    }
    facetBox.hidden = !any;
    showActiveFilters();
  }

  function activeFilters() {
    var out = [];
    FACETS.forEach(function (name) {
      selected[name].forEach(function (id) { out.push([name, id]); });
    });
    return out;
  }

  function clearFilters() {
    FACETS.forEach(function (f) { selected[f].clear(); });
    syncUrl();
    search(input.value, false);
  }

  // Above the results: "Filtros (n)", which opens the filters on a narrow
  // screen where they would otherwise be out of sight, and each active
  // filter as a chip that removes it.
  function showActiveFilters() {
    if (!toolbar) return;
    var active = activeFilters();
    filtersCount.textContent = active.length;
    activeList.innerHTML = "";
    active.forEach(function (f) {
      var name = f[0], id = f[1];
      var value = name === "year" ? Number(id) : indexOfId(name, id);
      var text = S[name] + ": " + (value === -1 ? id : engine.facetLabel(name, value));
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.className = "chip chip--remove";
      b.dataset.facet = name;
      b.dataset.value = id;
      b.setAttribute("aria-label", S.remove.replace("{f}", text));
      b.appendChild(document.createTextNode(text + " "));
      var x = document.createElement("span");
      x.className = "chip__x";
      x.setAttribute("aria-hidden", "true");
      x.textContent = "\u00d7";
      b.appendChild(x);
      b.addEventListener("click", function () {
        selected[name].delete(id);
        syncUrl();
        search(input.value, false);
        // The chip is gone: keep focus near it, and on a phone away from
        // the box, which would open the keyboard.
        (filtersToggle.getClientRects().length ? filtersToggle : input).focus();
      });
      li.appendChild(b);
      activeList.appendChild(li);
    });
    activeList.hidden = active.length === 0;
    toolbar.hidden = facetBox.hidden && active.length === 0;
  }

  function setFiltersOpen(open) {
    filtersToggle.setAttribute("aria-expanded", open ? "true" : "false");
    facetBox.classList.toggle("search-facets--open", open);
  }

  // When nothing is found: what to try next, with the filters first
  // when any is set, since they are the likeliest cause.
  function showHelp(none) {
    if (!help) return;
    help.hidden = !none;
    helpFilters.hidden = activeFilters().length === 0;
  }

  function indexOfId(name, id) {
    var list = engine.meta().facets[name] || [];
    for (var i = 0; i < list.length; i++) if (list[i][0] === id) return i;
    return -1;
  }

  function syncUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    FACETS.forEach(function (f) { selected[f].forEach(function (v) { params.append(f, v); }); });
    if (exact) params.set("exact", "1");
    var qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    exact = false;
    timer = setTimeout(function () { syncUrl(); search(input.value, true); }, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    syncUrl();
    search(input.value, false);
  });
  if (filtersToggle) {
    filtersToggle.addEventListener("click", function () {
      setFiltersOpen(filtersToggle.getAttribute("aria-expanded") !== "true");
    });
    document.getElementById("search-help-clear").addEventListener("click", clearFilters);
  }
  more.addEventListener("click", function () {
    var first = list.children.length;
    showMore(PAGE).then(function () {
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    });
  });

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  exact = params.get("exact") === "1";
  FACETS.forEach(function (f) { params.getAll(f).forEach(function (v) { selected[f].add(v); }); });
  search(input.value, false);
})(typeof window !== "undefined" ? window : globalThis);
