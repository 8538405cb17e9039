//! The static browser index, derived from the tantivy index so the browser
//! runs no analysis of its own beyond lowercasing and accent folding.
//!
//! Files under `/<search>/`:
//! - `meta.json`: document count, shards, format version: nothing in it
//!   grows with the number of products.
//! - `v/<xy>.json`: vocabulary shard for words starting with `xy`: each
//!   folded surface word with its index terms and document frequency, and
//!   for each term the postings chunk that holds it.
//! - `p/<n>.txt`: postings chunk: lines `term<TAB>postings`, where postings
//!   are (document delta, impact × 2 + has-block, [block]) in a compact
//!   base-64 varint code; the block is that of the term's first occurrence
//!   in the body, when not the first (see [`super::passages`]).
//!   The impact is the term's BM25 score summed over the boosted fields, as
//!   tantivy computes it, so browser and CLI rank alike.
//! - `o/<n>.txt`: the word positions of the terms of postings chunk `n`,
//!   loaded only for a quoted phrase (see `scored`).
//! - `f/<k>.txt`, `f/labels.json`: facet values, loaded after the first
//!   results are shown (see [`super::facets`]).
//! - `d/<n>.json`: what a result shows: title, URL, labels, summary, and
//!   the first block of its text.
//! - `b/<n>-<g>.txt`: blocks `8g+1` to `8g+8` of product `n`'s text, for
//!   snippets, separated by U+001E (see [`super::passages`]).
//! - `e/<xy>.json`: words of shard `xy` that can name a partner, outcome
//!   or topic, and those entities (see [`super::entity`]).
//! - `s/<key>.json`: the vocabulary again, filed by third and fourth
//!   letters, for spelling help (see [`super::spelling`]).
//! - `pdf/`: the attached PDFs' own index, in the same formats, made by
//!   `search::attached` with the steps this module lends it.
//!
//! A query loads the vocabulary shard of each word, then the postings
//! chunks of its terms, then the documents of the hits shown.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Index, TERMINATED};

use super::analysis::shard_of;
use super::analysis::{self, terms};
use super::entity::{self, Entities};
use super::index::{FieldPair, IndexFields, IndexedWords, N_COLUMN};
use super::passages::block_of;
use super::spelling::Vocabulary;
use crate::build::write::OutputFile;
use crate::error::Error;
use crate::model::Site;

/// Bumped when the file formats change, so old cached clients notice.
pub const FORMAT: u32 = 3;

/// A posting of the browser index: product, impact, block of the text.
pub type Posting = (u32, u32, u32);
/// Impacts are stored as fixed point with this many steps per score unit.
pub const IMPACT_SCALE: f32 = 100.0;
/// Postings chunks are cut near this many bytes.
const CHUNK_BYTES: usize = 6_000;
/// Characters of a product's text its result file is made from: enough
/// for its first block (see [`super::passages`]).
pub const EXCERPT_CHARS: usize = super::passages::HEAD_CHARS;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base-64 varint: 5 value bits per character, the sixth marks "more".
pub fn encode_varint(mut v: u32, out: &mut String) {
    loop {
        let low = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(ALPHABET[low] as char);
            return;
        }
        out.push(ALPHABET[low | 32] as char);
    }
}

#[cfg(test)]
pub fn decode_varints(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u32, 0u32);
    for b in s.bytes() {
        let Some(d) = ALPHABET.iter().position(|a| *a == b) else {
            continue;
        };
        v |= ((d & 31) as u32) << shift;
        if d & 32 != 0 {
            shift += 5;
        } else {
            out.push(v);
            v = 0;
            shift = 0;
        }
    }
    out
}

/// An error of tantivy's (or of the files under it) while the browser's
/// index is made from the index, kept as the source.
fn tantivy_err(e: impl Into<tantivy::TantivyError>) -> Error {
    Error::Index {
        doing: "making the browser search index",
        source: e.into(),
    }
}

/// Terms read from the index, scored and written to chunks at a time: a
/// batch's postings and positions are all that is held of them, where
/// holding every term's made the browser's files the largest thing a
/// build at 100,000 products held (2 GB).
const TERMS_PER_BATCH: usize = 4096;

/// The postings chunks `p/<n>.txt` of an index's terms, in term order,
/// each with the positions of its terms in `o/<n>.txt`; and the chunk and
/// document frequency of each term. English-analysed terms are prefixed
/// with `~`.
///
/// Each posting is a product, the term's BM25 impact summed over the
/// boosted fields, and the block of the product's text where the term
/// first occurs in the body (0 for other fields), from `starts`, the
/// positions each product's blocks start at (see [`super::passages`]).
/// The postings of the PDFs' index name a page for every term; those of
/// the products' own fields, blocks only for the rarer terms (see
/// [`super::passages::names_blocks`]).
pub(super) fn chunks(
    site: &Site,
    (index, starts): (&Index, &[Vec<u32>]),
    corpus: Corpus,
    dir: &str,
) -> Result<(Vec<OutputFile>, ChunkOf), Error> {
    let reader = index.reader().map_err(tantivy_err)?;
    let searcher = reader.searcher();
    let listed = listed_fields(&searcher, corpus)?;
    let terms = browser_terms(&listed);
    let mut chunker = Chunker::new(site, corpus, dir);
    // Each batch's terms are read on every core, then filed in order.
    for batch in terms.chunks(TERMS_PER_BATCH) {
        let made: Vec<(Vec<Posting>, String)> = batch
            .par_iter()
            .map(|(_, from)| term_lists(&listed, from, starts))
            .collect::<Result<_, Error>>()?;
        for ((term, _), (postings, line)) in batch.iter().zip(made) {
            chunker.push(term, &postings, &line);
        }
    }
    Ok(chunker.finish())
}

/// Every term of the listed fields as the browser names it (with the
/// field's prefix), in order, with the fields that hold it (by number)
/// and its place among each field's terms; fields in listed order.
fn browser_terms(listed: &[ListedField]) -> Vec<(String, Vec<(usize, usize)>)> {
    let mut all: Vec<(String, usize, usize)> = listed
        .iter()
        .enumerate()
        .flat_map(|(f, field)| {
            let named = move |(i, (text, _)): (usize, &(String, _))| {
                (format!("{}{text}", field.prefix), f, i)
            };
            field.terms.iter().enumerate().map(named)
        })
        .collect();
    // Stable: a term's fields stay in listed order, as its scores are
    // summed in that order.
    all.par_sort_by(|a, b| a.0.cmp(&b.0));
    runs(all.into_iter().map(|(text, f, i)| (text, (f, i))))
}

/// The values of each run of equal keys, in order: `sorted` holds its
/// pairs sorted by key.
fn runs<K: PartialEq, V>(sorted: impl IntoIterator<Item = (K, V)>) -> Vec<(K, Vec<V>)> {
    let mut grouped: Vec<(K, Vec<V>)> = Vec::new();
    for (key, value) in sorted {
        match grouped.last_mut() {
            Some((k, values)) if *k == key => values.push(value),
            _ => grouped.push((key, vec![value])),
        }
    }
    grouped
}

/// One browser term's postings, from all the fields that hold it (`from`),
/// and its line of positions.
fn term_lists(
    listed: &[ListedField],
    from: &[(usize, usize)],
    starts: &[Vec<u32>],
) -> Result<(Vec<Posting>, String), Error> {
    let mut list = Vec::new();
    let mut at = Vec::new();
    for &(f, i) in from {
        let field = &listed[f];
        let (scores, positions) = scored(field, &field.terms[i].1, starts)?;
        list.extend(scores);
        at.extend(positions);
    }
    Ok((merged(list), position_line(at)))
}

/// A term's positions in one field of one index segment: the encoded
/// entries of its products, one after the other in `text`, and where each
/// product's entry starts in it (it ends where the next starts). Two
/// numbers an entry, not a range: at 100,000 products these lists are
/// tens of millions long, all held until the lines are made.
struct FieldPositions {
    ord: u32,
    text: String,
    entries: Vec<(u32, u32)>,
}

impl FieldPositions {
    /// Each product's number with its encoded entry.
    fn entries(&self) -> impl Iterator<Item = (u32, &str)> {
        let ends = self.entries.iter().skip(1).map(|(_, s)| *s as usize);
        let ends = ends.chain(std::iter::once(self.text.len()));
        self.entries
            .iter()
            .zip(ends)
            .map(|((n, start), end)| (*n, &self.text[*start as usize..end]))
    }
}

/// A term's line of positions: a segment per field, in field order, each
/// the field's number and its products' entries in product order, so the
/// line is the same however the index is cut into segments.
fn position_line(mut parts: Vec<FieldPositions>) -> String {
    parts.sort_by_key(|p| p.ord);
    let mut line = String::new();
    for group in parts.chunk_by(|a, b| a.ord == b.ord) {
        let mut entries: Vec<(u32, &str)> =
            group.iter().flat_map(FieldPositions::entries).collect();
        if entries.is_empty() {
            continue;
        }
        entries.sort_by_key(|(n, _)| *n);
        if !line.is_empty() {
            line.push(' ');
        }
        encode_varint(group[0].ord, &mut line);
        for (_, e) in entries {
            line.push_str(e);
        }
    }
    line
}

/// Which of the browser's two indexes a step makes: that of the products'
/// own fields, or that of their attached PDFs' pages (`search::attached`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Corpus {
    Own,
    Pdf,
}

/// A text field of the index, across its segments, with its terms, for
/// [`impacts`].
struct ListedField {
    /// The field's number among the text fields. The browser offsets a
    /// field's positions by its number times 2^24 (`FIELD_SPAN` in
    /// `search.js`), so one list per document holds them all and a phrase,
    /// whose words lie within one field, never matches across two.
    ord: u32,
    prefix: &'static str,
    boost: f32,
    /// Whether its postings name the block (for the body) or the page
    /// (for a PDF) where a term first occurs.
    blocks: bool,
    segments: Vec<SegmentField>,
    /// Documents in the index, and the field's mean length in tokens, as
    /// tantivy's BM25 takes them from a searcher.
    docs: u64,
    mean_length: f32,
    terms: HeldTerms,
}

/// A field's terms, in order, each with the segments that hold it (by
/// number) and its place in each.
type HeldTerms = Vec<(String, Vec<(usize, tantivy::postings::TermInfo)>)>;

/// What one segment holds of a field.
struct SegmentField {
    n_column: tantivy::columnar::Column<u64>,
    inverted: std::sync::Arc<tantivy::InvertedIndexReader>,
    norms: tantivy::fieldnorm::FieldNormReader,
}

/// (document, score, block) triples of a term in one field.
type FieldPostings = Vec<(u32, f32, u32)>;

fn listed_fields(searcher: &tantivy::Searcher, corpus: Corpus) -> Result<Vec<ListedField>, Error> {
    let fields = IndexFields::new();
    let pairs: Vec<&FieldPair> = match corpus {
        Corpus::Own => fields.texts().to_vec(),
        Corpus::Pdf => vec![&fields.pdf],
    };
    // The PDFs' field is numbered after the others: positions of the two
    // indexes never meet, so the page can merge them for a phrase.
    let first = match corpus {
        Corpus::Own => 0,
        Corpus::Pdf => fields.texts().len(),
    };
    let docs: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum();
    let wanted: Vec<(usize, tantivy::schema::Field, &'static str, f32)> = pairs
        .iter()
        .enumerate()
        .flat_map(|(ord, pair)| {
            [
                (ord, pair.es, "", pair.boost),
                (ord, pair.en, "~", pair.boost),
            ]
        })
        .collect();
    // Each field's terms are listed on a core of its own.
    wanted
        .into_par_iter()
        .map(|(ord, field, prefix, boost)| {
            let (segments, terms, tokens) = field_in_segments(searcher, field)?;
            Ok(ListedField {
                ord: (first + ord) as u32,
                prefix,
                boost,
                blocks: corpus == Corpus::Pdf || field == fields.body.es || field == fields.body.en,
                segments,
                docs,
                mean_length: tokens as tantivy::Score / docs as tantivy::Score,
                terms,
            })
        })
        .collect()
}

/// A field's readers in each segment, its terms with the segments that
/// hold them, and its tokens in all.
fn field_in_segments(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
) -> Result<(Vec<SegmentField>, HeldTerms, u64), Error> {
    let mut segments = Vec::new();
    let mut all = Vec::new();
    let mut tokens = 0u64;
    for (s, segment) in searcher.segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(field).map_err(tantivy_err)?;
        tokens += inverted.total_num_tokens();
        let mut stream = inverted.terms().stream().map_err(tantivy_err)?;
        while stream.advance() {
            let text = String::from_utf8_lossy(stream.key()).into_owned();
            all.push((text, s, stream.value().clone()));
        }
        segments.push(SegmentField {
            n_column: segment.fast_fields().u64(N_COLUMN).map_err(tantivy_err)?,
            norms: segment.get_fieldnorms_reader(field).map_err(tantivy_err)?,
            inverted,
        });
    }
    // Each segment lists its terms in order; stably sorted, a term's
    // segments stay in segment order.
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let terms: HeldTerms = runs(all.into_iter().map(|(text, s, info)| (text, (s, info))));
    Ok((segments, terms, tokens))
}

/// One term's (product, score, block) in one field, in every segment that
/// holds it; the block, for the body, from the position of the term's
/// first occurrence. With them, the term's positions in this field, a
/// list per segment, for its line in `o/<n>.txt` (see [`position_line`]):
/// for each product its number, the count of positions and the positions,
/// delta-coded. The score is BM25 with the statistics of the whole index,
/// as tantivy takes them from a searcher.
fn scored(
    f: &ListedField,
    held: &[(usize, tantivy::postings::TermInfo)],
    starts: &[Vec<u32>],
) -> Result<(FieldPostings, Vec<FieldPositions>), Error> {
    let doc_freq: u64 = held.iter().map(|(_, i)| u64::from(i.doc_freq)).sum();
    let weight = Bm25Weight::for_one_term(doc_freq, f.docs, f.mean_length);
    let mut list = Vec::new();
    let mut lines = Vec::new();
    let mut positions = Vec::new();
    for (s, info) in held {
        let segment = &f.segments[*s];
        let mut postings = segment
            .inverted
            .read_postings_from_terminfo(info, IndexRecordOption::WithFreqsAndPositions)
            .map_err(tantivy_err)?;
        let mut at = FieldPositions {
            ord: f.ord,
            text: String::new(),
            entries: Vec::new(),
        };
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let norm = segment.norms.fieldnorm_id(doc);
            let score = weight.score(norm, postings.term_freq()) * f.boost;
            let n = segment.n_column.first(doc).unwrap_or(0) as u32;
            let starts = starts.get(n as usize).map_or(&[][..], Vec::as_slice);
            postings.positions(&mut positions);
            let block = if f.blocks && starts.len() > 1 {
                positions.first().map_or(0, |p| block_of(starts, *p))
            } else {
                0
            };
            let start = at.text.len();
            encode_varint(n, &mut at.text);
            encode_varint(positions.len() as u32, &mut at.text);
            let mut prev = 0;
            for p in &positions {
                encode_varint(p - prev, &mut at.text);
                prev = *p;
            }
            at.entries.push((n, start as u32));
            list.push((n, score, block));
            doc = postings.advance();
        }
        lines.push(at);
    }
    Ok((list, lines))
}

/// A term's postings from all fields as one per product: scores summed,
/// as fixed point, and the body's block (other fields give 0).
fn merged(mut list: Vec<(u32, f32, u32)>) -> Vec<Posting> {
    list.sort_by_key(|(d, _, _)| *d);
    let scaled = |s: f32| (s * IMPACT_SCALE).round().max(1.0) as u32;
    let mut merged: Vec<Posting> = Vec::with_capacity(list.len());
    let mut last: Option<(u32, f32, u32)> = None;
    for (d, s, b) in list {
        match &mut last {
            Some((ld, ls, lb)) if *ld == d => {
                *ls += s;
                *lb = (*lb).max(b);
            }
            _ => {
                if let Some((ld, ls, lb)) = last {
                    merged.push((ld, scaled(ls), lb));
                }
                last = Some((d, s, b));
            }
        }
    }
    if let Some((ld, ls, lb)) = last {
        merged.push((ld, scaled(ls), lb));
    }
    merged
}

/// Folded surface words of the site with the index terms each one makes.
pub(super) fn vocabulary(words: IndexedWords) -> BTreeMap<String, BTreeSet<String>> {
    let mut words: Vec<String> = words.into_iter().collect();
    words.sort_unstable();
    let pairs: Vec<(String, String)> = words
        .par_chunks(2048)
        .flat_map_iter(|chunk| {
            let mut es = analysis::spanish();
            let mut en = analysis::english();
            let mut out = Vec::new();
            for w in chunk {
                let surface = analysis::fold(w);
                let es_terms = terms(&mut es, w);
                let en_terms = terms(&mut en, w);
                if es_terms.is_empty() || en_terms.is_empty() {
                    // A stop word in either language, skipped by queries.
                    out.push((surface, String::new()));
                    continue;
                }
                for t in es_terms {
                    out.push((surface.clone(), t));
                }
                for t in en_terms {
                    out.push((surface.clone(), format!("~{t}")));
                }
            }
            out
        })
        .collect();
    let mut vocab: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stop: BTreeSet<String> = BTreeSet::new();
    for (s, t) in pairs {
        if t.is_empty() {
            stop.insert(s);
        } else {
            vocab.entry(s).or_default().insert(t);
        }
    }
    // Stop words are kept with no terms, so the browser knows to skip them
    // rather than find nothing, or correct them; those the site lacks too.
    for s in stop.into_iter().chain(analysis::stop_words()) {
        vocab.insert(s, BTreeSet::new());
    }
    vocab
}

/// The Spanish terms of each word of the vocabulary, stop words left out.
fn spanish(vocab: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<String, Vec<String>> {
    vocab
        .iter()
        .filter(|(_, ts)| !ts.is_empty())
        .map(|(s, ts)| {
            let es = ts.iter().filter(|t| !t.starts_with('~')).cloned();
            (s.clone(), es.collect())
        })
        .collect()
}

/// A vocabulary shard: surface words (with their terms and document
/// frequency), and the postings chunk of each term.
pub(super) type Shard = (
    serde_json::Map<String, serde_json::Value>,
    BTreeMap<String, usize>,
);

/// What the search page loads first: the index's size and scale, the
/// shards it has, and the facet files' size. Nothing in it has an entry
/// per product, partner, topic or outcome, so it does not grow with the
/// site.
#[derive(Serialize)]
struct IndexMeta<'a> {
    format: u32,
    docs: usize,
    scale: f32,
    shards: Vec<String>,
    entities: Vec<String>,
    rows: usize,
    lang: &'a str,
    /// Whether the site's attached PDFs have an index of their own, `pdf/`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pdf: bool,
}

/// Each term's postings chunk and the number of products it is in.
pub(super) type ChunkOf = HashMap<String, (usize, usize)>;

/// Postings chunks being filled a term at a time, in term order.
struct Chunker<'s> {
    out: Vec<OutputFile>,
    chunk_of: ChunkOf,
    chunk: String,
    at: String,
    n: usize,
    corpus: Corpus,
    products: usize,
    dir: &'s str,
}

impl<'s> Chunker<'s> {
    fn new(site: &Site, corpus: Corpus, dir: &'s str) -> Chunker<'s> {
        Chunker {
            out: Vec::new(),
            chunk_of: HashMap::new(),
            chunk: String::new(),
            at: String::new(),
            n: 0,
            corpus,
            products: site.products.len(),
            dir,
        }
    }

    /// Files a term's postings and its line of positions.
    fn push(&mut self, term: &str, postings: &[Posting], positions: &str) {
        let blocks = self.corpus == Corpus::Pdf
            || super::passages::names_blocks(postings.len(), self.products);
        let line = postings_line(term, postings, blocks);
        if !self.chunk.is_empty() && self.chunk.len() + line.len() > CHUNK_BYTES {
            self.flush();
            self.n += 1;
        }
        self.chunk.push_str(&line);
        self.at.push_str(term);
        self.at.push('\t');
        self.at.push_str(positions);
        self.at.push('\n');
        self.chunk_of
            .insert(term.to_string(), (self.n, postings.len()));
    }

    fn flush(&mut self) {
        let (dir, n) = (self.dir, self.n);
        let chunk = std::mem::take(&mut self.chunk);
        self.out
            .push(OutputFile::text(format!("{dir}p/{n}.txt"), chunk));
        let at = std::mem::take(&mut self.at);
        self.out
            .push(OutputFile::text(format!("{dir}o/{n}.txt"), at));
    }

    fn finish(mut self) -> (Vec<OutputFile>, ChunkOf) {
        if !self.chunk.is_empty() {
            self.flush();
        }
        (self.out, self.chunk_of)
    }
}

/// A term's line of its postings chunk: `term<TAB>postings<LF>`.
fn postings_line(term: &str, postings: &[Posting], blocks: bool) -> String {
    let mut line = String::with_capacity(term.len() + postings.len() * 4 + 2);
    line.push_str(term);
    line.push('\t');
    let mut prev = 0u32;
    for (i, (d, impact, block)) in postings.iter().enumerate() {
        let block = if blocks { block } else { &0 };
        encode_varint(if i == 0 { *d } else { d - prev }, &mut line);
        // The low bit says a block number follows: most postings are
        // in a text's first block and pay one bit for the others.
        encode_varint(impact * 2 + u32::from(*block > 0), &mut line);
        if *block > 0 {
            encode_varint(*block, &mut line);
        }
        prev = *d;
    }
    line.push('\n');
    line
}

/// The folder of the browser's search files in the output, as a prefix
/// of their paths (`search/`).
pub fn dir(site: &Site) -> String {
    format!("{}/", site.config.paths.search)
}

/// The path of product `n`'s result file, under `dir`.
pub fn doc_path(dir: &str, n: usize) -> String {
    format!("{dir}d/{n}.json")
}

/// What a result shows of product `n`: `d/<n>.json`, under `dir`.
pub fn doc_file(
    site: &Site,
    n: usize,
    text: &str,
    strings: &serde_json::Map<String, serde_json::Value>,
    dir: &str,
) -> OutputFile {
    let p = &site.products[n];
    let m = &p.meta;
    let lang = site.config.ui_language.as_str();
    let excerpt = super::passages::blocks(text).first().copied().unwrap_or("");
    // Named by role, as cards are: the authors (and a publisher who is
    // not one), funders apart (see `model::byline`).
    let byline = crate::model::byline(p);
    let names = |which: &[usize]| -> Vec<&str> {
        which
            .iter()
            .map(|&i| site.partners[i].meta.name.as_str())
            .collect()
    };
    let partners = names(&byline.credited());
    let funders = names(&byline.funders);
    OutputFile::text(
        doc_path(dir, n),
        serde_json::to_string(&json!({
            "u": site.href(&p.path),
            "t": m.title,
            "k": crate::render::theme::site_label(strings, &site.config, "kinds", &m.kind),
            "d": m.date.display(lang),
            "p": partners,
            "f": funders,
            "s": m.summary,
            "x": excerpt,
            "l": m.language,
        }))
        .unwrap_or_default(),
    )
}

/// The vocabulary shards of an index: each surface word with the terms it
/// makes that have postings and its document frequency (stop words with
/// 0); and the words with their frequency, for spelling help.
pub(super) fn shards(
    vocab: &BTreeMap<String, BTreeSet<String>>,
    chunk_of: &ChunkOf,
) -> (BTreeMap<String, Shard>, Vec<(String, u32)>) {
    let mut shards: BTreeMap<String, Shard> = BTreeMap::new();
    let mut spelled: Vec<(String, u32)> = Vec::new();
    for (surface, ts) in vocab {
        if ts.is_empty() {
            shards
                .entry(shard_of(surface))
                .or_default()
                .0
                .insert(surface.clone(), json!(0));
            continue;
        }
        let known: Vec<&String> = ts
            .iter()
            .filter(|t| chunk_of.contains_key(t.as_str()))
            .collect();
        if known.is_empty() {
            continue;
        }
        let df = known
            .iter()
            .map(|t| chunk_of.get(t.as_str()).map_or(0, |(_, df)| *df))
            .max()
            .unwrap_or(0);
        spelled.push((surface.clone(), df as u32));
        let entry = shards.entry(shard_of(surface)).or_default();
        entry.0.insert(surface.clone(), json!([known, df]));
        for t in known {
            entry.1.insert(t.clone(), chunk_of[t.as_str()].0);
        }
    }
    (shards, spelled)
}

/// The files `v/<xy>.json` of vocabulary shards.
pub(super) fn shard_files(shards: BTreeMap<String, Shard>, dir: &str) -> Vec<OutputFile> {
    shards
        .into_iter()
        .map(|(name, (words, terms))| {
            OutputFile::text(
                format!("{dir}v/{name}.json"),
                serde_json::to_string(&json!({"w": words, "t": terms})).unwrap_or_default(),
            )
        })
        .collect()
}

/// Every file of the browser index, under `dir` (e.g. `search/`), from
/// the tantivy index, the words its products' own fields hold, and the
/// products' result files (see [`doc_file`]); with the vocabulary `ayni
/// search` keeps for spelling help. `pdf` says whether the index of the
/// attached PDFs' pages is made beside it (`search::attached`).
pub fn files(
    site: &Site,
    docs: Vec<OutputFile>,
    (index, words, entities, starts): (&Index, IndexedWords, &Entities, &[Vec<u32>]),
    pdf: bool,
    strings: &serde_json::Map<String, serde_json::Value>,
    dir: &str,
) -> Result<(Vec<OutputFile>, Vocabulary), Error> {
    let (mut out, chunk_of) = chunks(site, (index, starts), Corpus::Own, dir)?;
    let vocab = vocabulary(words);
    let (shards, spelled) = shards(&vocab, &chunk_of);
    let shard_names: Vec<String> = shards.keys().cloned().collect();

    // Entity files, for the shards whose words can name an entity.
    let (entity_files, entity_shards) = entity::browser_files(entities, &spanish(&vocab), dir);
    out.extend(entity_files);
    out.extend(shard_files(shards, dir));
    let spelling = Vocabulary::new(spelled);
    out.extend(spelling.files(dir));
    out.extend(super::facets::browser_files(site, strings, dir));
    out.push(OutputFile::text(
        format!("{dir}meta.json"),
        serde_json::to_string(&IndexMeta {
            format: FORMAT,
            docs: site.products.len(),
            scale: IMPACT_SCALE,
            shards: shard_names,
            entities: entity_shards,
            rows: super::facets::ROWS_PER_FILE,
            lang: site.config.ui_language.as_str(),
            pdf,
        })
        .unwrap_or_default(),
    ));
    out.extend(docs);
    Ok((out, spelling))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_group_equal_neighbours_and_keep_their_order() {
        let sorted = [("a", 1), ("a", 2), ("b", 3), ("c", 4), ("c", 5), ("c", 6)];
        assert_eq!(
            runs(sorted),
            [("a", vec![1, 2]), ("b", vec![3]), ("c", vec![4, 5, 6])]
        );
        assert!(runs(Vec::<(u8, u8)>::new()).is_empty());
        // Equal keys apart are two runs: the input must be sorted.
        assert_eq!(runs([(1, 'x'), (2, 'y'), (1, 'z')]).len(), 3);
    }

    #[test]
    fn varints_round_trip() {
        let mut s = String::new();
        let values = [0u32, 1, 31, 32, 1000, 65_535, 4_000_000];
        for v in values {
            encode_varint(v, &mut s);
        }
        assert_eq!(decode_varints(&s), values);
        let mut one = String::new();
        encode_varint(17, &mut one);
        assert_eq!(one.len(), 1, "small numbers take one character");
    }

    /// The line of a term's positions is the same however the index cut
    /// its products into segments: fields in order, products in order.
    #[test]
    fn position_lines_do_not_depend_on_segments() {
        let part = |ord: u32, entries: &[(u32, &str)]| {
            let mut text = String::new();
            let mut list = Vec::new();
            for (n, e) in entries {
                list.push((*n, text.len() as u32));
                text.push_str(e);
            }
            FieldPositions {
                ord,
                text,
                entries: list,
            }
        };
        let one = position_line(vec![
            part(1, &[(4, "EBB"), (2, "CBC")]),
            part(0, &[(3, "DBA")]),
            part(1, &[(0, "ABD")]),
        ]);
        let other = position_line(vec![
            part(0, &[(3, "DBA")]),
            part(1, &[(0, "ABD"), (2, "CBC"), (4, "EBB")]),
        ]);
        assert_eq!(one, "ADBA BABDCBCEBB");
        assert_eq!(one, other);
    }

    #[test]
    fn shards_by_first_two_letters() {
        assert_eq!(shard_of("politica"), "po");
        assert_eq!(shard_of("ñandu"), "ña");
        assert_eq!(shard_of("a"), "a");
    }
}
