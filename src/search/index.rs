//! The tantivy index of a site's products: its schema, how a product becomes
//! a document, and where the index lives (`.ayni-cache/search/`, outside
//! the published output).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, TantivyDocument};

use super::analysis::{self, ENGLISH, SPANISH};
use crate::error::Error;
use crate::markdown::Bodies;
use crate::model::Site;

/// One text of a product, analysed twice: in Spanish and in English (a
/// product is indexed in the field of its language), with its ranking boost.
#[derive(Clone, Copy)]
pub struct FieldPair {
    pub(crate) es: Field,
    pub(crate) en: Field,
    pub(crate) boost: f32,
}

impl FieldPair {
    /// The field of a product in English (`true`) or Spanish.
    pub fn of(&self, english: bool) -> Field {
        if english { self.en } else { self.es }
    }
}

/// The index's fields, each held by name so no code looks one up by a
/// string.
#[derive(Clone)]
pub struct IndexFields {
    pub(crate) schema: Schema,
    pub(crate) url: Field,
    /// Position of the product in the site's list, for the browser index.
    pub n: Field,
    pub(crate) title: FieldPair,
    pub(crate) subtitle: FieldPair,
    pub(crate) summary: FieldPair,
    pub(crate) partners: FieldPair,
    pub(crate) topics: FieldPair,
    pub(crate) outcomes: FieldPair,
    pub(crate) authors: FieldPair,
    pub(crate) body: FieldPair,
    /// The text of attached PDFs, one value per page. Kept out of the
    /// browser index and its spelling vocabulary: their words would make
    /// every query's vocabulary and postings files heavier for the few hits
    /// only a PDF holds.
    pub pdf: FieldPair,
    pub(crate) partner: Field,
    pub(crate) topic: Field,
    pub(crate) kind: Field,
    pub(crate) outcome: Field,
    pub(crate) country: Field,
    pub(crate) year: Field,
    /// The product's date as YYYYMMDD, for ordering filter-only results.
    pub date: Field,
    pub(crate) language: Field,
    /// For each value of the `pdf` field, the page it is: `URL#page=N`
    /// of the PDF, stored beside it in the same order.
    pub pdf_page: Field,
}

/// The fast fields read by name through tantivy's columnar API.
pub const N_COLUMN: &str = "n";
pub(crate) const DATE_COLUMN: &str = "date";

impl IndexFields {
    pub(crate) fn new() -> IndexFields {
        let mut b = Schema::builder();
        let url = b.add_text_field("url", STRING | STORED);
        let n = b.add_u64_field(N_COLUMN, FAST | STORED);
        let text_options = |analyzer: &str, stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let o = TextOptions::default().set_indexing_options(indexing);
            if stored { o.set_stored() } else { o }
        };
        let mut pair = |name: &str, boost: f32, stored: bool| FieldPair {
            es: b.add_text_field(name, text_options(SPANISH, stored)),
            en: b.add_text_field(&format!("{name}_en"), text_options(ENGLISH, stored)),
            boost,
        };
        let title = pair("title", 5.0, true);
        let subtitle = pair("subtitle", 2.5, false);
        let summary = pair("summary", 2.0, true);
        let partners = pair("partners", 2.0, false);
        let topics = pair("topics", 2.0, false);
        let outcomes = pair("outcomes", 2.0, false);
        let authors = pair("authors", 2.0, false);
        let body = pair("body", 1.0, true);
        // Below the body: a word in a 60-page report says less of the
        // product than a word of its page. Its own analyzer names keep its
        // words out of the vocabulary the browser index records.
        let pdf = FieldPair {
            es: b.add_text_field("pdf", text_options(analysis::SPANISH_PDF, true)),
            en: b.add_text_field("pdf_en", text_options(analysis::ENGLISH_PDF, true)),
            boost: 0.5,
        };
        let mut facet = |name: &str| b.add_text_field(name, STRING | STORED);
        let (partner, topic, kind) = (facet("partner"), facet("topic"), facet("kind"));
        let (outcome, country) = (facet("outcome"), facet("country"));
        let year = b.add_u64_field("year", INDEXED | FAST | STORED);
        let date = b.add_u64_field(DATE_COLUMN, FAST);
        let language = b.add_text_field("language", STRING | STORED);
        let pdf_page = b.add_text_field("pdf_page", STORED);
        IndexFields {
            schema: b.build(),
            url,
            n,
            title,
            subtitle,
            summary,
            partners,
            topics,
            outcomes,
            authors,
            body,
            pdf,
            partner,
            topic,
            kind,
            outcome,
            country,
            year,
            date,
            language,
            pdf_page,
        }
    }

    /// Every text field pair a query searches: those of [`Self::texts`] and
    /// the PDFs' text.
    pub fn searched(&self) -> [&FieldPair; 9] {
        let [a, b, c, d, e, f, g, h] = self.texts();
        [a, b, c, d, e, f, g, h, &self.pdf]
    }

    /// Every text field pair the browser index carries, in ranking order of
    /// their boosts.
    pub fn texts(&self) -> [&FieldPair; 8] {
        [
            &self.title,
            &self.subtitle,
            &self.summary,
            &self.partners,
            &self.topics,
            &self.outcomes,
            &self.authors,
            &self.body,
        ]
    }
}

impl Default for IndexFields {
    fn default() -> Self {
        IndexFields::new()
    }
}

/// Where the index is kept inside a site's cache folder.
pub fn index_dir(cache: &Path) -> PathBuf {
    cache.join("search")
}

fn tantivy_err(e: tantivy::TantivyError) -> Error {
    Error::index("search index")(e)
}

/// The products' plain text in site order, borrowed from their bodies.
pub fn texts(bodies: &Bodies) -> Vec<Cow<'_, str>> {
    bodies
        .products
        .iter()
        .map(|b| Cow::Borrowed(b.text.as_str()))
        .collect()
}

/// An index being made in a fresh folder beside `dir`, fed one product at
/// a time in any order, part by part (see [`super::parts`]), and swapped
/// in by [`Builder::finish`].
pub struct Builder {
    parts: super::parts::Parts,
    fields: IndexFields,
    staging: tempfile::TempDir,
    dir: PathBuf,
}

impl Builder {
    /// An index of `site`'s products, to replace the one at `dir`, whose
    /// parts it reuses where their documents are the same. `bodies` are
    /// the products' body prints (see [`crate::markdown::body_print`]),
    /// which stand for their texts until a part is made.
    pub(crate) fn new(dir: &Path, site: &Site, bodies: &[u64]) -> Result<Builder, Error> {
        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let staging = crate::build::write::work_dir(parent, ".search.new-")
            .map_err(|e| Error::io(parent, e))?;
        let fields = IndexFields::new();
        let prints = doc_prints(&fields, site, bodies);
        let parts = super::parts::Parts::new(fields.schema.clone(), &prints, staging.path(), dir);
        Ok(Builder {
            parts,
            fields,
            staging,
            dir: dir.to_path_buf(),
        })
    }

    /// Whether each product's text is needed: not when its part is the
    /// previous index's.
    pub fn wanted(&self) -> Vec<bool> {
        self.parts.wanted()
    }

    /// Adds product `n` of the site with its plain text, unless its part
    /// is kept.
    pub fn add(&mut self, site: &Site, n: usize, text: &str) -> Result<(), Error> {
        if !self.parts.wants(n) {
            return Ok(());
        }
        let doc = document(&self.fields, site, n, text);
        self.parts.add(n, doc)
    }

    /// Finishes and opens the index, still in its staging folder: it
    /// replaces the index at `dir` only when [`StagedIndex::install`] is
    /// called, after the output it belongs to is in place. Returns it with
    /// the lowercase words its documents hold.
    pub fn finish(self) -> Result<(Index, HeldWords, StagedIndex), Error> {
        let Builder {
            parts,
            staging,
            dir,
            ..
        } = self;
        let (own, pdf) = parts.finish()?;
        let words = HeldWords { own, pdf };
        let index = open(staging.path())?;
        Ok((index, words, StagedIndex { staging, dir }))
    }
}

/// A finished index waiting to replace the one `ayni search` reads, so that
/// a build that fails after making it leaves the previous one. Dropped
/// uninstalled, it is removed.
pub struct StagedIndex {
    staging: tempfile::TempDir,
    dir: PathBuf,
}

/// The file in an index folder that names the output the index was made
/// with: its path and its build (see [`crate::build::write::build_id`]).
const OUTPUT_FILE: &str = "ayni-output.json";

impl StagedIndex {
    /// The folder the index is made in, for files kept beside it.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Puts the index in place of the previous one; with `output` (the
    /// output folder and the build that wrote it), records them, so that a
    /// search knows whether the output is still the index's.
    pub fn install(self, output: Option<(&Path, &str)>) -> Result<(), Error> {
        let StagedIndex { staging, dir } = self;
        if let Some((out, id)) = output {
            let record = serde_json::json!({ "out": out, "build": id });
            let path = staging.path().join(OUTPUT_FILE);
            std::fs::write(&path, record.to_string()).map_err(|e| Error::io(&path, e))?;
        }
        crate::build::write::fault("swap:index");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let staged = staging.keep();
        std::fs::rename(&staged, &dir).map_err(|e| Error::io(&dir, e))
    }
}

/// Refuses the index at `dir` when the output it was made with has since
/// been replaced by another build (one killed before its index was put in
/// place): its results would name text the site no longer holds. An index
/// that names no output (made by the preview, or by an older ayni) is taken
/// as it is.
pub fn check_output(dir: &Path) -> Result<(), Error> {
    let Ok(text) = std::fs::read_to_string(dir.join(OUTPUT_FILE)) else {
        return Ok(());
    };
    let record: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let out = Path::new(record["out"].as_str().unwrap_or_default());
    if crate::build::write::build_id(out).as_deref() == record["build"].as_str() {
        return Ok(());
    }
    Err(Error::Output(format!(
        "the search index in {} is not the one of the site in `{}`: run `ayni build`",
        dir.display(),
        out.display()
    )))
}

/// The lowercase words an index's documents hold (see [`analysis::Seen`]).
pub type IndexedWords = rustc_hash::FxHashSet<String>;

/// The words of an index's products' own fields, and those of their
/// attached PDFs, apart: the vocabularies of the browser's two indexes.
pub struct HeldWords {
    pub(crate) own: IndexedWords,
    pub(crate) pdf: IndexedWords,
}

/// Opens the index a build made in `dir`.
pub fn open(dir: &Path) -> Result<Index, Error> {
    let index = Index::open_in_dir(dir).map_err(tantivy_err)?;
    analysis::register(&index);
    Ok(index)
}

/// A name and, when there is one, its other name (a short name, an
/// identifier), searched as one text.
fn joined(name: &str, other: &Option<String>) -> String {
    match other {
        Some(o) => format!("{name} {o}"),
        None => name.to_string(),
    }
}

/// A page of an attached PDF as the index holds it: a value of the `pdf`
/// field.
pub struct PdfPage<'a> {
    /// The PDF's URL (`/casos/informe.pdf`).
    pub file: &'a str,
    /// The page's number, from 1.
    pub number: usize,
    /// Its text as indexed: a PDF's lines end where its layout wrapped
    /// them, not its sentences, so only a blank line ends a block.
    pub text: String,
}

impl PdfPage<'_> {
    /// The page's URL, which opens the PDF at it: `/casos/informe.pdf#page=3`.
    pub fn url(&self) -> String {
        format!("{}#page={}", self.file, self.number)
    }
}

/// The values of a product's `pdf` field, in the order they are indexed:
/// the pages that hold text of each attached PDF.
pub fn pdf_pages(p: &crate::model::Product) -> impl Iterator<Item = PdfPage<'_>> {
    p.files.iter().flat_map(|f| {
        let pages = f.pdf.as_ref().map_or(&[][..], |pdf| pdf.pages.as_slice());
        pages.iter().enumerate().filter_map(|(n, page)| {
            if page.trim().is_empty() {
                return None;
            }
            let flat: Vec<String> = page.split("\n\n").map(|p| p.replace('\n', " ")).collect();
            Some(PdfPage {
                file: &f.path,
                number: n + 1,
                text: flat.join("\n"),
            })
        })
    })
}

/// Each product's print as a document: its fields without its body's
/// text, with its body's print instead, which stands for it; so parts are
/// compared before any text is made.
fn doc_prints(fields: &IndexFields, site: &Site, bodies: &[u64]) -> Vec<u64> {
    use rayon::prelude::*;
    (0..site.products.len())
        .into_par_iter()
        .map(|n| {
            let doc = document(fields, site, n, "");
            crate::text::fingerprint(&(super::parts::doc_print(&doc), bodies.get(n)))
        })
        .collect()
}

/// Product `n` of the site as a document, with its plain text as body.
fn document(fields: &IndexFields, site: &Site, n: usize, text: &str) -> TantivyDocument {
    let p = &site.products[n];
    let m = &p.meta;
    let en = m.language == "en";
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.url, &p.path);
    doc.add_u64(fields.n, n as u64);
    doc.add_text(fields.language, &m.language);
    let put = |doc: &mut TantivyDocument, pair: &FieldPair, text: &str| {
        doc.add_text(pair.of(en), text);
    };
    put(&mut doc, &fields.title, &m.title);
    if let Some(s) = &m.subtitle {
        put(&mut doc, &fields.subtitle, s);
    }
    if let Some(s) = &m.summary {
        put(&mut doc, &fields.summary, s);
    }
    for (i, _) in &p.partners {
        let partner = &site.partners[*i].meta;
        put(
            &mut doc,
            &fields.partners,
            &joined(&partner.name, &partner.short_name),
        );
        doc.add_text(fields.partner, &partner.id);
    }
    for &t in &p.topics {
        put(&mut doc, &fields.topics, &site.topics[t].title);
        doc.add_text(fields.topic, &site.topics[t].slug);
    }
    for (o, _) in &p.outcomes {
        let outcome = &site.outcomes[*o].meta;
        put(
            &mut doc,
            &fields.outcomes,
            &joined(&outcome.title, &outcome.identifier),
        );
        doc.add_text(fields.outcome, &outcome.id);
    }
    for a in &m.authors {
        put(&mut doc, &fields.authors, &a.name);
    }
    put(&mut doc, &fields.body, text);
    for page in pdf_pages(p) {
        put(&mut doc, &fields.pdf, &page.text);
        doc.add_text(fields.pdf_page, page.url());
    }
    doc.add_text(fields.kind, &m.kind);
    for c in &m.countries {
        doc.add_text(fields.country, c);
    }
    doc.add_u64(fields.year, m.date.year as u64);
    let d = &m.date;
    doc.add_u64(
        fields.date,
        d.year as u64 * 10_000 + d.month.unwrap_or(0) as u64 * 100 + d.day.unwrap_or(0) as u64,
    );
    doc
}
