//! Querying the index: the query language readers use (words, all required;
//! "quoted phrases"), facet filters, BM25 ranking and highlighted snippets.
//! Any input string gives results or an empty list, never an error: the
//! query is built from analyzed tokens, not parsed as a grammar.

use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{SimpleTokenizer, TokenStream, Tokenizer};
use tantivy::{Index, TantivyDocument, Term};

use super::analysis;
use super::analysis::MAX_WORDS;
use super::index::{DATE_COLUMN, IndexFields, N_COLUMN};
use crate::error::Error;

/// A query and its filters, as `ayni search` takes them.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The words; "quoted phrases" match in order.
    pub text: String,
    /// Only products of any of these partners (ids).
    pub partners: Vec<String>,
    /// Only products on any of these topics (names or slugs).
    pub topics: Vec<String>,
    /// Only products of any of these kinds.
    pub kinds: Vec<String>,
    /// Only products that fed any of these outcomes (ids).
    pub outcomes: Vec<String>,
    /// Only products about any of these countries (ISO codes).
    pub countries: Vec<String>,
    /// Only products published in any of these years.
    pub years: Vec<u16>,
    /// How many hits to return.
    pub limit: usize,
    /// Words as typed: no spelling help.
    pub exact: bool,
}

impl SearchQuery {
    /// Whether any facet filter is set: filters narrow products, so entity
    /// results are not shown with them.
    pub fn filtered(&self) -> bool {
        !(self.partners.is_empty()
            && self.topics.is_empty()
            && self.kinds.is_empty()
            && self.outcomes.is_empty()
            && self.countries.is_empty()
            && self.years.is_empty())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub url: String,
    pub title: String,
    pub score: f32,
    pub snippet: String,
    pub kind: String,
    pub year: u64,
    pub partners: Vec<String>,
    /// For a hit found only in an attached PDF: the PDF's file name, the
    /// page the snippet is from, and the PDF's URL opened at that page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
}

/// Where in an attached PDF a hit was found, and the passage of that page.
struct PdfPassage {
    file: String,
    page: u32,
    file_url: String,
    snippet: String,
}

/// The page of the product's PDFs where the query's words are most
/// present, with its highlighted passage; `None` when no page has them.
fn pdf_passage(
    fields: &IndexFields,
    doc: &TantivyDocument,
    generator: &SnippetGenerator,
    english: bool,
) -> Option<PdfPassage> {
    let field = fields.pdf.of(english);
    let pages = doc.get_all(fields.pdf_page).filter_map(|v| v.as_str());
    let (best, url) = doc
        .get_all(field)
        .filter_map(|v| v.as_str())
        .zip(pages)
        .map(|(text, url)| (generator.snippet(text), url))
        .filter(|(s, _)| !s.highlighted().is_empty())
        // The first of the pages with the most highlighted words.
        .min_by_key(|(s, _)| std::cmp::Reverse(s.highlighted().len()))?;
    let (path, page) = url.rsplit_once("#page=")?;
    let mut best = best;
    best.set_snippet_prefix_postfix("<mark>", "</mark>");
    Some(PdfPassage {
        file: path.rsplit('/').next().unwrap_or(path).to_string(),
        page: page.parse().ok()?,
        file_url: url.to_string(),
        snippet: one_line(best.to_html()),
    })
}

/// What a query found.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// The query as searched.
    pub query: String,
    /// The query searched instead, when a word of it found nothing and
    /// the site has a word close to it (see `search::spelling`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<String>,
    /// How many products match, beyond the hits returned.
    pub total: usize,
    /// The best hits, best first.
    pub hits: Vec<Hit>,
}

/// One part of the reader's query: a word or a quoted phrase.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Word(String),
    Phrase(String),
}

/// Splits a query into words and phrases. Unbalanced quotes close at the
/// end; operators and punctuation are word separators.
pub fn parts(text: &str) -> Vec<Part> {
    let mut out = Vec::new();
    for (i, chunk) in text.split('"').enumerate() {
        if i % 2 == 1 {
            if !chunk.trim().is_empty() {
                out.push(Part::Phrase(chunk.to_string()));
            }
            continue;
        }
        let mut tok = SimpleTokenizer::default();
        let mut stream = tok.token_stream(chunk);
        while stream.advance() {
            out.push(Part::Word(stream.token().text.clone()));
        }
    }
    out.truncate(MAX_WORDS);
    out
}

/// The query for the text part: every word required, each word matching
/// any text field (with that field's boost) in either language.
pub fn text_query(fields: &IndexFields, text: &str) -> Option<Box<dyn Query>> {
    let mut es = analysis::spanish();
    let mut en = analysis::english();
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for part in parts(text) {
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let source = match &part {
            Part::Word(w) | Part::Phrase(w) => w.as_str(),
        };
        let analyzed: Vec<(bool, Vec<(usize, String)>)> = [(false, &mut es), (true, &mut en)]
            .into_iter()
            .map(|(english, analyzer)| {
                let mut terms = Vec::new();
                let mut stream = analyzer.token_stream(source);
                while stream.advance() {
                    let t = stream.token();
                    terms.push((t.position, t.text.clone()));
                }
                (english, terms)
            })
            .collect();
        // A stop word in either language says nothing; requiring it would
        // empty the results (the browser index skips the same words).
        if analyzed.iter().any(|(_, t)| t.is_empty()) {
            continue;
        }
        for (english, terms) in analyzed {
            for pair in fields.searched() {
                let (field, boost) = (pair.of(english), &pair.boost);
                let q: Box<dyn Query> = if terms.len() == 1 {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &terms[0].1),
                        IndexRecordOption::WithFreqs,
                    ))
                } else if matches!(part, Part::Phrase(_)) {
                    let first = terms[0].0;
                    Box::new(PhraseQuery::new_with_offset(
                        terms
                            .iter()
                            .map(|(p, t)| (p - first, Term::from_field_text(field, t)))
                            .collect(),
                    ))
                } else {
                    // One typed word the analyzer split ("29337-procompite").
                    Box::new(BooleanQuery::new(
                        terms
                            .iter()
                            .map(|(_, t)| {
                                (
                                    Occur::Must,
                                    Box::new(TermQuery::new(
                                        Term::from_field_text(field, t),
                                        IndexRecordOption::WithFreqs,
                                    )) as Box<dyn Query>,
                                )
                            })
                            .collect(),
                    ))
                };
                should.push((Occur::Should, Box::new(BoostQuery::new(q, *boost))));
            }
        }
        if !should.is_empty() {
            must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
        }
    }
    (!must.is_empty()).then(|| Box::new(BooleanQuery::new(must)) as Box<dyn Query>)
}

fn filter(field: Field, facet: &str, values: &[String]) -> Option<Box<dyn Query>> {
    if values.is_empty() {
        return None;
    }
    let any: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|v| {
            let v = if facet == "topic" {
                crate::text::slugify(v)
            } else if facet == "country" {
                v.to_ascii_uppercase()
            } else {
                v.trim().to_string()
            };
            (
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &v),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            )
        })
        .collect();
    Some(Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(any)),
        0.0,
    )))
}

/// Runs a query against an index.
pub fn search(index: &Index, q: &SearchQuery) -> Result<Results, Error> {
    let fields = IndexFields::new();
    let reader = index.reader().map_err(search_error)?;
    let searcher = reader.searcher();
    let text = text_query(&fields, &q.text);
    let has_text = text.is_some();
    let filters = filter_clauses(&fields, q);
    if !has_text && filters.is_empty() {
        return Ok(Results {
            query: q.text.clone(),
            corrected: None,
            total: 0,
            hits: Vec::new(),
        });
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        text.map(|t| (Occur::Must, t)).into_iter().collect();
    clauses.extend(filters);
    if !has_text {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
        ));
    }
    let query = BooleanQuery::new(clauses);
    let limit = q.limit.max(1);
    let (docs, total) = if has_text {
        searcher
            .search(
                &query,
                &(TopDocs::with_limit(limit).order_by_score(), Count),
            )
            .map_err(search_error)?
    } else {
        by_date(&searcher, &query, limit)?
    };
    if total == 0
        && has_text
        && !q.exact
        && let Some(results) = corrected(index, q)?
    {
        return Ok(results);
    }
    let snippets = Snippets::new(&searcher, &query, &fields)?;
    let mut hits = Vec::with_capacity(docs.len());
    for (score, addr) in docs {
        let doc: TantivyDocument = searcher.doc(addr).map_err(search_error)?;
        hits.push(snippets.hit(&doc, score, has_text));
    }
    Ok(Results {
        query: q.text.clone(),
        corrected: None,
        total,
        hits,
    })
}

fn search_error(e: tantivy::TantivyError) -> Error {
    Error::index("search")(e)
}

/// The query's filters: one clause per facet it names (any of its values
/// matches), and one for its years.
fn filter_clauses(fields: &IndexFields, q: &SearchQuery) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, facet, values) in [
        (fields.partner, "partner", &q.partners),
        (fields.topic, "topic", &q.topics),
        (fields.kind, "kind", &q.kinds),
        (fields.outcome, "outcome", &q.outcomes),
        (fields.country, "country", &q.countries),
    ] {
        if let Some(f) = filter(field, facet, values) {
            clauses.push((Occur::Must, f));
        }
    }
    if !q.years.is_empty() {
        let any: Vec<(Occur, Box<dyn Query>)> = q
            .years
            .iter()
            .map(|y| {
                let term = Term::from_field_u64(fields.year, *y as u64);
                let year: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, year)
            })
            .collect();
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
        ));
    }
    clauses
}

/// The matches of a query of filters alone: newest first, then in site
/// order, as the browser index orders them; the first `limit` and how
/// many there are.
fn by_date(
    searcher: &tantivy::Searcher,
    query: &BooleanQuery,
    limit: usize,
) -> Result<(Vec<(f32, tantivy::DocAddress)>, usize), Error> {
    let addrs = searcher
        .search(query, &DocSetCollector)
        .map_err(search_error)?;
    let mut dated: Vec<(u64, u64, tantivy::DocAddress)> = Vec::with_capacity(addrs.len());
    for addr in addrs {
        let ff = searcher.segment_reader(addr.segment_ord).fast_fields();
        let column = |name| -> Result<u64, Error> {
            let column = ff.u64(name).map_err(search_error)?;
            Ok(column.first(addr.doc_id).unwrap_or(0))
        };
        dated.push((column(DATE_COLUMN)?, column(N_COLUMN)?, addr));
    }
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let total = dated.len();
    let first = dated
        .into_iter()
        .take(limit)
        .map(|(_, _, d)| (0.0, d))
        .collect();
    Ok((first, total))
}

/// The snippet makers of a query, one per searched text and language.
struct Snippets<'f> {
    fields: &'f IndexFields,
    body: [SnippetGenerator; 2],
    summary: [SnippetGenerator; 2],
    pdf: [SnippetGenerator; 2],
}

impl<'f> Snippets<'f> {
    fn new(
        searcher: &tantivy::Searcher,
        query: &BooleanQuery,
        fields: &'f IndexFields,
    ) -> Result<Snippets<'f>, Error> {
        let make = |field| {
            SnippetGenerator::create(searcher, query, field)
                .map(|mut g| {
                    g.set_max_num_chars(240);
                    g
                })
                .map_err(search_error)
        };
        let pair = |es, en| -> Result<[SnippetGenerator; 2], Error> { Ok([make(es)?, make(en)?]) };
        Ok(Snippets {
            fields,
            body: pair(fields.body.es, fields.body.en)?,
            summary: pair(fields.summary.es, fields.summary.en)?,
            pdf: pair(fields.pdf.es, fields.pdf.en)?,
        })
    }

    /// A hit as results show it: the summary's or the body's passage with
    /// the query's words marked, else a PDF page's, else the summary.
    fn hit(&self, doc: &TantivyDocument, score: f32, has_text: bool) -> Hit {
        let fields = self.fields;
        let get = |f| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let english = get(fields.language) == "en";
        let lang = usize::from(english);
        let mut passage = None;
        let mut snippet = String::new();
        if has_text {
            let mut s = self.summary[lang].snippet_from_doc(doc);
            if s.highlighted().is_empty() {
                s = self.body[lang].snippet_from_doc(doc);
            }
            if s.highlighted().is_empty() {
                passage = pdf_passage(fields, doc, &self.pdf[lang], english);
            }
            s.set_snippet_prefix_postfix("<mark>", "</mark>");
            snippet = match &passage {
                Some(p) => p.snippet.clone(),
                None => one_line(s.to_html()),
            };
        }
        if snippet.trim().is_empty() {
            let summary = get(fields.summary.of(english));
            snippet = crate::text::escape_html(&summary.chars().take(240).collect::<String>());
        }
        Hit {
            url: get(fields.url),
            title: get(fields.title.of(english)),
            score,
            snippet,
            kind: get(fields.kind),
            year: doc
                .get_first(fields.year)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            partners: doc
                .get_all(fields.partner)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            file: passage.as_ref().map(|p| p.file.clone()),
            page: passage.as_ref().map(|p| p.page),
            file_url: passage.map(|p| p.file_url),
        }
    }
}

/// The results of the query with its misspelled words corrected, when
/// there are any to correct; they are given as the reader's query.
fn corrected(index: &Index, q: &SearchQuery) -> Result<Option<Results>, Error> {
    let Some(text) = super::spelling::corrected(index, &q.text)? else {
        return Ok(None);
    };
    let mut results = search(
        index,
        &SearchQuery {
            text: text.clone(),
            ..q.clone()
        },
    )?;
    results.query = q.text.clone();
    results.corrected = Some(text);
    Ok(Some(results))
}

/// A snippet on one line: the line breaks that end blocks in the indexed
/// text are spaces to a reader.
fn one_line(snippet: String) -> String {
    if snippet.contains('\n') {
        snippet.replace('\n', " ")
    } else {
        snippet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_and_phrases_whatever_the_input() {
        assert_eq!(
            parts("gestión \"ley de procompite\" SNIP"),
            [
                Part::Word("gestión".into()),
                Part::Phrase("ley de procompite".into()),
                Part::Word("SNIP".into())
            ]
        );
        assert_eq!(parts("\"sin cerrar"), [Part::Phrase("sin cerrar".into())]);
        assert!(parts("+-:()[]{}^~ 🎉").is_empty());
        assert_eq!(parts(&"palabra ".repeat(10_000)).len(), MAX_WORDS);
    }
}
