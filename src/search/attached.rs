//! The search page's second index: the pages of attached PDFs, under
//! `<search>/pdf/`. The page loads it only after the first results are on
//! screen (or when they are none), so a long report makes no query heavier
//! before then, and its words stay out of the first index's vocabulary and
//! of spelling help.
//!
//! Its files have the formats of [`super::web`]'s:
//! - `pdf/v/<xy>.json`, `pdf/p/<n>.txt`, `pdf/o/<n>.txt`: the vocabulary
//!   shards, postings and positions of the PDFs' words. Each posting names
//!   the page where the term first occurs, as its place among the
//!   product's indexed pages ([`pdf_pages`]); positions are numbered after
//!   those of the product's own fields, so the page can check a phrase
//!   over both.
//! - `pdf/t/<n>-<g>.txt`: pages `4g` to `4g + 3` of product `n`, each its
//!   URL (`/casos/informe.pdf#page=3`, with the site's base path), U+001F
//!   and its text, separated by U+001E: what a hit's passage is cut from.

use rayon::prelude::*;
use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use super::analysis;
use super::index::{IndexedWords, pdf_pages};
use super::web::{self, Corpus};
use crate::build::write::OutputFile;
use crate::error::Error;
use crate::model::{Product, Site};

/// Pages in one file of `pdf/t/`: a hit costs one file, about 4 KB
/// gzipped for pages of a dense report.
pub const PAGES_PER_FILE: usize = 4;
/// Characters of a page kept for passages: more than a page of text
/// holds; a longer one (a table of figures, a broken text layer) shows
/// passages from its beginning.
pub const PAGE_CHARS: usize = 12_000;
/// Between a page's URL and its text in a file of `pdf/t/`.
pub const URL_END: char = '\u{1f}';

/// The files of the PDFs' index under `dir` (e.g. `search/`), none when no
/// product has a PDF with text.
pub fn files(
    site: &Site,
    index: &Index,
    words: IndexedWords,
    dir: &str,
) -> Result<Vec<OutputFile>, Error> {
    if site.products.iter().all(|p| pdf_pages(p).next().is_none()) {
        return Ok(Vec::new());
    }
    let dir = format!("{dir}pdf/");
    let starts: Vec<Vec<u32>> = site
        .products
        .par_iter()
        .map_init(
            || (analysis::spanish(), analysis::english()),
            |(es, en), p| page_starts(p, if p.meta.language == "en" { en } else { es }),
        )
        .collect();
    let (mut out, chunk_of) = web::chunks(site, (index, &starts), Corpus::Pdf, &dir)?;
    let vocab = web::vocabulary(words);
    let (shards, _) = web::shards(&vocab, &chunk_of);
    out.extend(web::shard_files(shards, &dir));
    let pages: Vec<OutputFile> = site
        .products
        .par_iter()
        .enumerate()
        .flat_map_iter(|(n, p)| page_files(site, n, p, &dir))
        .collect();
    out.extend(pages);
    Ok(out)
}

/// The tantivy position each of a product's indexed PDF pages starts at.
fn page_starts(p: &Product, analyzer: &mut TextAnalyzer) -> Vec<u32> {
    let pages: Vec<String> = pdf_pages(p).map(|page| page.text).collect();
    starts_of(pages.iter().map(String::as_str), analyzer)
}

/// The position each value of a field starts at, counted as tantivy counts
/// the values of one field: each starts one past the end of the last token
/// the analysis kept of the one before.
fn starts_of<'a>(values: impl Iterator<Item = &'a str>, analyzer: &mut TextAnalyzer) -> Vec<u32> {
    let mut starts = Vec::new();
    let mut at = 0u32;
    for value in values {
        starts.push(at);
        let mut end = 0u32;
        let mut stream = analyzer.token_stream(value);
        while stream.advance() {
            let t = stream.token();
            end = end.max((t.position + t.position_length) as u32);
        }
        at += end + 1;
    }
    starts
}

/// The files `pdf/t/<n>-<g>.txt` of product `n`'s pages.
fn page_files(site: &Site, n: usize, p: &Product, dir: &str) -> Vec<OutputFile> {
    let pages: Vec<String> = pdf_pages(p)
        .map(|page| {
            let text: String = page
                .text
                .chars()
                .take(PAGE_CHARS)
                .map(|c| if c < ' ' && c != '\n' { ' ' } else { c })
                .collect();
            format!("{}{URL_END}{text}", site.href(&page.url()))
        })
        .collect();
    pages
        .chunks(PAGES_PER_FILE)
        .enumerate()
        .map(|(g, group)| {
            OutputFile::text(
                format!("{dir}t/{n}-{g}.txt"),
                group.join(&super::passages::SEPARATOR.to_string()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::IndexFields;
    use crate::search::passages::block_of;
    use tantivy::postings::Postings;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{DocSet, Term};

    /// The page a posting names is found from the tantivy position of the
    /// term's first occurrence: the starts computed here must be those
    /// tantivy gives the values of the field, stop words at a page's end,
    /// sentence ends and empty lines included.
    #[test]
    fn page_starts_are_where_tantivy_puts_each_page() {
        let pages = [
            "Primera página sobre el riego. Termina con de la",
            "Segunda: el glosario.\n\nUn párrafo aparte con cuenca y de",
            "Tercera con xilófono y la",
            "Cuarta, la última: colibrí.",
        ];
        let fields = IndexFields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        analysis::register(&index);
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_u64(fields.n, 0);
        for page in pages {
            doc.add_text(fields.pdf.es, page);
        }
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let inverted = segment.inverted_index(fields.pdf.es).unwrap();
        let mut es = analysis::spanish();
        let starts = starts_of(pages.into_iter(), &mut es);
        for (page, word) in [
            (0, "riego"),
            (1, "glosario"),
            (1, "cuenca"),
            (2, "xilófono"),
            (3, "colibrí"),
        ] {
            let term = analysis::terms(&mut es, word).remove(0);
            let mut postings = inverted
                .read_postings(
                    &Term::from_field_text(fields.pdf.es, &term),
                    IndexRecordOption::WithFreqsAndPositions,
                )
                .unwrap()
                .unwrap();
            assert_eq!(postings.doc(), 0);
            let mut positions = Vec::new();
            postings.positions(&mut positions);
            assert_eq!(block_of(&starts, positions[0]), page, "{word}");
        }
    }
}
