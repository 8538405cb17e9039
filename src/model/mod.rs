//! Model: the whole site as one owned tree. Resolves every reference between
//! files (partners, outcomes, members, topics, translations), derives the
//! relations readers browse by (products by role, co-authors, outcomes by
//! stage, related products) and reports what does not resolve.
//!
//! `render`, `index`, `check` and `serve` all take a [`Site`]; none of them
//! reads content files again.

mod byline;
pub mod countries;
pub mod date;
pub mod history;
pub mod vocabulary;

pub use byline::{Byline, byline};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::build::urls::SitePaths;
use crate::content::config::{Config, Paths};
use crate::content::load::{
    Loaded, OutcomeMeta, PageMeta, PartnerMeta, ProductMeta, StandalonePage, TopicMeta,
};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::vocabulary::{ROLES, STAGES};
use crate::msg;
use crate::text::{non_ascii_count, slugify};

#[derive(Debug, Clone)]
pub struct Product {
    pub meta: ProductMeta,
    /// Site-relative URL path, `/casos/aap/`.
    pub path: String,
    /// Partners (index into `Site::partners`) with their roles.
    pub partners: Vec<(usize, Vec<String>)>,
    pub topics: Vec<usize>,
    pub outcomes: Vec<(usize, Option<String>)>,
    pub related: Vec<usize>,
    /// Other-language versions of this product.
    pub translations: Vec<usize>,
    /// Attachments as (output path, entry index), resolved to real files.
    pub files: Vec<Attachment>,
    /// The folders (`/a/b/`) that redirect here: the front matter's
    /// aliases, normalised, without those that could not be published.
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    /// Site-relative URL path of the copied file.
    pub path: String,
    pub title: Option<String>,
    pub language: Option<String>,
    pub bytes: u64,
    pub name: String,
    /// The file on disk, and its entry's place in the front matter's
    /// `files:`, for the PDF stage and its warnings.
    pub disk: PathBuf,
    pub entry: usize,
    /// A PDF's text, pages and metadata, once the PDF stage has read it.
    pub pdf: Option<std::sync::Arc<crate::pdf::Extraction>>,
    /// A PDF's cover, drawn from its first page, unless the site turned
    /// covers off or the page could not be drawn.
    pub cover: Option<crate::pdf::cover::Cover>,
}

#[derive(Debug, Clone)]
pub struct Partner {
    pub meta: PartnerMeta,
    pub path: String,
    /// Products for each role, in the order of [`ROLES`], newest first.
    pub by_role: Vec<(String, Vec<usize>)>,
    /// All products of the partner in any role, newest first.
    pub products: Vec<usize>,
    /// Partners that share products with this one, with the count.
    pub coauthors: Vec<(usize, usize)>,
    pub outcomes: Vec<usize>,
    pub member_of: Vec<usize>,
    pub members: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub meta: OutcomeMeta,
    pub path: String,
    pub products: Vec<usize>,
    pub partners: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    pub meta: Option<TopicMeta>,
    pub path: String,
    pub products: Vec<usize>,
}

/// A standalone page (`content/pages/<slug>.md`), published at `/<slug>/`.
#[derive(Debug, Clone)]
pub struct Page {
    pub meta: StandalonePage,
    pub path: String,
    /// Other-language versions of this page.
    pub translations: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub path: String,
    pub products: Vec<usize>,
}

/// The resolved site. Lists of products are indices into `products`,
/// sorted newest first, then by title.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub products: Vec<Product>,
    pub partners: Vec<Partner>,
    pub outcomes: Vec<Outcome>,
    pub topics: Vec<Topic>,
    pub kinds: Vec<Group>,
    pub years: Vec<Group>,
    pub home: Option<PageMeta>,
    /// Non-Markdown files under `content/`, relative to it.
    pub assets: Vec<String>,
    pub partner_ids: HashMap<String, usize>,
    pub outcome_ids: HashMap<String, usize>,
    pub topic_slugs: HashMap<String, usize>,
    /// Content-relative source path of every page to its URL path.
    pub source_urls: HashMap<String, String>,
    /// Standalone pages, in file-name order.
    pub pages: Vec<Page>,
    /// Last changes from git, filled by the build when the site has them.
    pub history: crate::model::history::History,
    /// Every path the build generates, for site-absolute links.
    pub site_paths: SitePaths,
    /// Markdown files that failed to load, relative to `content/`: links
    /// to them are not reported a second time.
    pub unreadable: HashSet<String>,
}

impl Site {
    /// The products, newest first; of two with the same date, the first in
    /// the site's order first. The home page and the site's feed list them
    /// so.
    pub fn newest_first(&self) -> Vec<usize> {
        let mut list: Vec<usize> = (0..self.products.len()).collect();
        let date = |i: usize| &self.products[i].meta.date;
        list.sort_by(|&a, &b| date(b).cmp(date(a)).then(a.cmp(&b)));
        list
    }

    /// Takes the products' whole files out, leaving only their front
    /// matter: for a build, whose bodies are rendered once from the files
    /// returned, which are then dropped.
    pub fn take_body_sources(&mut self) -> Vec<crate::diagnostics::SourceFile> {
        self.products
            .iter_mut()
            .map(|p| {
                let doc = &mut p.meta.doc;
                let whole = doc.file.clone();
                doc.file.keep_head(doc.body_start);
                whole
            })
            .collect()
    }

    /// `base_path` joined with a site-relative path: the href to print.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path.trim_start_matches('/'))
    }

    /// Absolute URL, for feeds, canonical links and sitemaps.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path.trim_start_matches('/'))
    }

    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partner_ids.get(id).map(|&i| &self.partners[i])
    }
}

/// What a product's own metadata lacks that readers would miss.
fn product_warnings(meta: &ProductMeta, diags: &mut Vec<Diagnostic>) {
    let file = &meta.doc.file;
    if meta.summary.is_none() {
        diags.push(
            Diagnostic::warning("no-summary", msg!("diag.no-summary"))
                .at(file, 0..3)
                .help(msg!("diag.no-summary.help")),
        );
    }
    if meta.topics.is_empty() {
        diags.push(
            Diagnostic::warning("no-topics", msg!("diag.no-topics"))
                .at(file, 0..3)
                .help(msg!("diag.no-topics.help")),
        );
    }
    let body = meta.doc.body();
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| {
            crate::scaffold::PLACEHOLDERS
                .iter()
                .map(|s| memchr::memmem::Finder::new(s.as_bytes()))
                .collect()
        });
    for (sentence, finder) in crate::scaffold::PLACEHOLDERS.iter().zip(FINDERS.iter()) {
        if let Some(at) = finder.find(body.as_bytes()) {
            let start = meta.doc.body_start + at;
            diags.push(
                Diagnostic::warning("placeholder-text", msg!("diag.placeholder-text"))
                    .at(file, start..start + sentence.len())
                    .label(msg!("diag.placeholder-text.label"))
                    .help(msg!("diag.placeholder-text.help")),
            );
        }
    }
}

fn sort_products(products: &[Product], list: &mut Vec<usize>) {
    list.sort_by(|&a, &b| {
        let (pa, pb) = (&products[a].meta, &products[b].meta);
        pb.date
            .cmp(&pa.date)
            .then_with(|| pa.title.cmp(&pb.title))
            .then(a.cmp(&b))
    });
    list.dedup();
}

/// The most partners a product may name and still make each of them a
/// co-author of the others.
pub const MAX_TEAM: usize = 100;

/// The most partners a product's card or feed entry names: both are
/// repeated on each partner's page or feed, so naming them all would cost
/// the square of a product's partners. Its page names them all.
pub const LISTED_PARTNERS: usize = 12;

/// The most topics a product's feed entry names, for the same reason: the
/// entry is repeated in each of its topics' feeds. Its page names them all.
pub const LISTED_TOPICS: usize = 12;

/// Builds the model from what `load` read. Problems go to `diags`; the site
/// is still returned so that checks further down can run.
#[cfg(test)]
pub fn build(root: &Path, loaded: Loaded, diags: &mut Vec<Diagnostic>) -> Site {
    build_cached(root, loaded, diags, &mut ModelCache::default())
}

/// What [`build_cached`] keeps from one build of a site to the next: in
/// the preview's memory, and in the record of a build for the next.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct ModelCache {
    /// Related products, with a fingerprint of what they were scored from
    /// (every product's outcomes, partners, topics and date): an edit to a
    /// body or a title leaves them as they were.
    related: Option<(u64, Vec<Vec<usize>>)>,
}

/// [`build`], reusing what `cache` holds when its inputs did not change.
pub fn build_cached(
    root: &Path,
    loaded: Loaded,
    diags: &mut Vec<Diagnostic>,
    cache: &mut ModelCache,
) -> Site {
    let Loaded {
        config,
        products: product_metas,
        partners: partner_metas,
        outcomes: outcome_metas,
        topics: topic_metas,
        home,
        assets,
        diags: load_diags,
        pages: page_metas,
        unreadable,
    } = loaded;
    let failed = Failed::of(unreadable);
    diags.extend(load_diags);
    let paths = &config.paths;
    let (mut partners, partner_ids) = partners_of(partner_metas, paths, diags);
    let (mut outcomes, outcome_ids) = outcomes_of(outcome_metas, paths, diags);
    link_members(&mut partners, &partner_ids, &failed, diags);
    report_membership_cycles(&partners, diags);
    let mut products = products_of(product_metas);
    let mut slugs = TopicSlugs::default();
    let ids = (&partner_ids, &outcome_ids);
    let spellings = link_products(&mut products, ids, &failed, &mut slugs, diags);
    let (mut topics, topic_slugs) = topics_of(topic_metas, &spellings, paths, diags);
    link_topics(&mut products, &topic_slugs, &mut slugs);
    attach_files(root, &assets, &mut products, diags);
    link_translations(&mut products, &failed, diags);
    let (kinds, years) = reverse_relations(&products, &mut partners, &mut outcomes, &mut topics);
    let coauthors = coauthor_counts(&partners, &products);
    sort_relations(
        &products,
        &mut partners,
        coauthors,
        &mut outcomes,
        &mut topics,
        diags,
    );
    let kinds = groups_of(kinds, &products, |id| format!("/{}/{id}/", paths.kinds));
    let years = groups_of(years.into_iter().rev(), &products, |y| {
        format!("/{}/{y}/", paths.years)
    });
    relate_products(&mut products, cache);
    let pages = resolve_pages(page_metas, &products, &config, diags);
    let source_urls = source_urls(&products, &partners, &outcomes, &topics, &home, &pages);
    let collections = collections(&partners, &outcomes, &topics, &kinds, &years);
    let mut sp = site_paths(root, &config, &assets, &collections, &pages);
    report_url_collisions(&mut products, &mut sp, diags);

    Site {
        root: root.to_path_buf(),
        config,
        products,
        partners,
        outcomes,
        topics,
        kinds,
        years,
        home,
        assets,
        partner_ids,
        outcome_ids,
        topic_slugs,
        source_urls,
        pages,
        history: Default::default(),
        site_paths: sp,
        unreadable: failed.files,
    }
}

/// The pages of partners, outcomes, topics and lists, with what each is
/// called in a message about a path that collides with it.
fn collections<'s>(
    partners: &'s [Partner],
    outcomes: &'s [Outcome],
    topics: &'s [Topic],
    kinds: &'s [Group],
    years: &'s [Group],
) -> Vec<(&'s str, &'static str)> {
    (partners
        .iter()
        .map(|p| (p.path.as_str(), "a partner's page")))
    .chain(
        outcomes
            .iter()
            .map(|o| (o.path.as_str(), "an outcome's page")),
    )
    .chain(topics.iter().map(|t| (t.path.as_str(), "a topic's page")))
    .chain(
        kinds
            .iter()
            .chain(years)
            .map(|g| (g.path.as_str(), "a list")),
    )
    .collect()
}

/// Files that failed to load, and the ids of the partners and outcomes
/// among them: naming one of them is no second mistake.
struct Failed {
    files: HashSet<String>,
    partners: HashSet<String>,
    outcomes: HashSet<String>,
}

impl Failed {
    fn of(unreadable: Vec<String>) -> Self {
        Failed {
            partners: crate::content::load::registry_ids(&unreadable, "partners"),
            outcomes: crate::content::load::registry_ids(&unreadable, "outcomes"),
            files: unreadable.into_iter().collect(),
        }
    }
}

/// Partners sorted by id, with the map from id to index.
fn partners_of(
    metas: Vec<PartnerMeta>,
    paths: &Paths,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Partner>, HashMap<String, usize>) {
    let mut partners: Vec<Partner> = metas
        .into_iter()
        .map(|meta| Partner {
            path: format!("/{}/{}/", paths.partners, slugify(&meta.id)),
            meta,
            by_role: Vec::new(),
            products: Vec::new(),
            coauthors: Vec::new(),
            outcomes: Vec::new(),
            member_of: Vec::new(),
            members: Vec::new(),
        })
        .collect();
    partners.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    report_case_twins(
        partners.iter().map(|p| (p.path.as_str(), &p.meta.doc.file)),
        diags,
    );
    let ids = partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.meta.id.clone(), i))
        .collect();
    (partners, ids)
}

/// Outcomes sorted by id, with the map from id to index.
fn outcomes_of(
    metas: Vec<OutcomeMeta>,
    paths: &Paths,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Outcome>, HashMap<String, usize>) {
    let mut outcomes: Vec<Outcome> = metas
        .into_iter()
        .map(|meta| Outcome {
            path: format!("/{}/{}/", paths.outcomes, slugify(&meta.id)),
            meta,
            products: Vec::new(),
            partners: Vec::new(),
        })
        .collect();
    outcomes.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    report_case_twins(
        outcomes.iter().map(|o| (o.path.as_str(), &o.meta.doc.file)),
        diags,
    );
    let ids = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| (o.meta.id.clone(), i))
        .collect();
    (outcomes, ids)
}

/// Members and alliances: each network's `members:` resolved both ways.
fn link_members(
    partners: &mut [Partner],
    partner_ids: &HashMap<String, usize>,
    failed: &Failed,
    diags: &mut Vec<Diagnostic>,
) {
    for i in 0..partners.len() {
        let members = partners[i].meta.members.clone();
        // A set, not a search of the list: a network may name thousands.
        let mut listed: HashSet<usize> = HashSet::new();
        for m in members {
            match partner_ids.get(&m.value) {
                Some(&j) if j == i => diags.push(
                    Diagnostic::error(
                        "membership-cycle",
                        msg!("diag.membership-cycle.self", id = &m.value),
                    )
                    .at(&partners[i].meta.doc.file, m.span.clone()),
                ),
                Some(&j) => {
                    if listed.insert(j) {
                        partners[i].members.push(j);
                        partners[j].member_of.push(i);
                    }
                }
                None if failed.partners.contains(&m.value) => {}
                None => diags.push(unknown_id(
                    "unknown-member",
                    "partner",
                    &m.value,
                    partner_ids.keys(),
                    "content/partners/",
                    &partners[i].meta.doc.file,
                    m.span.clone(),
                )),
            }
        }
    }
}

/// Products with their URLs, in the order of their files.
fn products_of(metas: Vec<ProductMeta>) -> Vec<Product> {
    let mut products: Vec<Product> = metas
        .into_iter()
        .map(|meta| {
            let path = if meta.section.is_empty() {
                format!("/{}/", meta.slug)
            } else {
                format!("/{}/{}/", meta.section, meta.slug)
            };
            Product {
                meta,
                path,
                partners: Vec::new(),
                topics: Vec::new(),
                outcomes: Vec::new(),
                related: Vec::new(),
                translations: Vec::new(),
                files: Vec::new(),
                aliases: Vec::new(),
            }
        })
        .collect();
    products.sort_by(|a, b| a.meta.doc.rel.cmp(&b.meta.doc.rel));
    products
}

/// The slug of each topic spelling, computed once: a site spells its topics
/// a few hundred ways across many products, and slugifying decomposes every
/// character.
#[derive(Default)]
struct TopicSlugs(HashMap<String, String>);

impl TopicSlugs {
    fn of(&mut self, value: &str) -> String {
        if let Some(s) = self.0.get(value) {
            return s.clone();
        }
        let s = slugify(value);
        self.0.insert(value.to_string(), s.clone());
        s
    }
}

/// Resolves each product's partners and outcomes, and collects the
/// spellings of its topics by slug.
fn link_products(
    products: &mut [Product],
    (partner_ids, outcome_ids): (&HashMap<String, usize>, &HashMap<String, usize>),
    failed: &Failed,
    slugs: &mut TopicSlugs,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<String>> {
    let mut topic_spellings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // Looking for placeholder sentences reads every body: on every core.
    let mut warned: Vec<Vec<Diagnostic>> = products
        .par_iter()
        .map(|p| {
            let mut d = Vec::new();
            product_warnings(&p.meta, &mut d);
            d
        })
        .collect();
    for (product, warned) in products.iter_mut().zip(&mut warned) {
        let file = product.meta.doc.file.clone();
        for entry in &product.meta.partners {
            match partner_ids.get(&entry.id) {
                Some(&i) => match product.partners.iter_mut().find(|(j, _)| *j == i) {
                    Some((_, roles)) => roles.extend(entry.roles.iter().cloned()),
                    None => product.partners.push((i, entry.roles.clone())),
                },
                None if failed.partners.contains(&entry.id) => {}
                None => diags.push(unknown_id(
                    "unknown-partner",
                    "partner",
                    &entry.id,
                    partner_ids.keys(),
                    "content/partners/",
                    &file,
                    entry.span.clone(),
                )),
            }
        }
        for entry in &product.meta.outcomes {
            match outcome_ids.get(&entry.id) {
                Some(&i) => {
                    if !product.outcomes.iter().any(|(j, _)| *j == i) {
                        product.outcomes.push((i, entry.contribution.clone()));
                    }
                }
                None if failed.outcomes.contains(&entry.id) => {}
                None => diags.push(unknown_id(
                    "unknown-outcome",
                    "outcome",
                    &entry.id,
                    outcome_ids.keys(),
                    "content/outcomes/",
                    &file,
                    entry.span.clone(),
                )),
            }
        }
        for t in &product.meta.topics {
            let slug = slugs.of(&t.value);
            if !slug.is_empty() {
                topic_spellings
                    .entry(slug)
                    .or_default()
                    .push(t.value.clone());
            }
        }
        diags.append(warned);
    }
    topic_spellings
}

/// Topics: registry files plus every spelling used by products.
fn topics_of(
    mut topic_metas: Vec<TopicMeta>,
    topic_spellings: &BTreeMap<String, Vec<String>>,
    paths: &Paths,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Topic>, HashMap<String, usize>) {
    topic_metas.sort_by(|a, b| a.doc.rel.cmp(&b.doc.rel));
    report_case_twins(
        topic_metas.iter().map(|t| (t.slug.as_str(), &t.doc.file)),
        diags,
    );
    let mut topic_meta_by_slug: HashMap<String, TopicMeta> = topic_metas
        .into_iter()
        .map(|t| (t.slug.clone(), t))
        .collect();
    let mut slugs: Vec<String> = topic_spellings.keys().cloned().collect();
    for s in topic_meta_by_slug.keys() {
        if !topic_spellings.contains_key(s) {
            slugs.push(s.clone());
        }
    }
    slugs.sort();
    let topics: Vec<Topic> = slugs
        .into_iter()
        .map(|slug| {
            let meta = topic_meta_by_slug.remove(&slug);
            let title = meta
                .as_ref()
                .and_then(|m| m.title.clone())
                .unwrap_or_else(|| {
                    display_spelling(
                        topic_spellings.get(&slug).map(Vec::as_slice).unwrap_or(&[]),
                        &slug,
                    )
                });
            Topic {
                path: format!("/{}/{}/", paths.topics, slug),
                slug,
                title,
                meta,
                products: Vec::new(),
            }
        })
        .collect();
    let topic_slugs: HashMap<String, usize> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.clone(), i))
        .collect();
    (topics, topic_slugs)
}

/// Each product's topics, as indexes into the site's topics.
fn link_topics(
    products: &mut [Product],
    topic_slugs: &HashMap<String, usize>,
    slugs: &mut TopicSlugs,
) {
    for product in products.iter_mut() {
        for t in &product.meta.topics {
            if let Some(&i) = topic_slugs.get(&slugs.of(&t.value))
                && !product.topics.contains(&i)
            {
                product.topics.push(i);
            }
        }
    }
}

/// Attachments: each `files:` entry found beside the product or under
/// `static/`.
fn attach_files(
    root: &Path,
    assets: &[String],
    products: &mut [Product],
    diags: &mut Vec<Diagnostic>,
) {
    let asset_set: HashSet<&str> = assets.iter().map(String::as_str).collect();
    for product in products.iter_mut() {
        let dir = Path::new(&product.meta.doc.rel)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for (n, entry) in product.meta.files.iter().enumerate() {
            let p = entry.path.trim_start_matches('/');
            let beside = normalize(&dir.join(p));
            let (found, url, disk) =
                if !entry.path.starts_with('/') && asset_set.contains(beside.as_str()) {
                    (true, asset_url(&beside), root.join("content").join(&beside))
                } else if root.join("static").join(p).is_file() {
                    (true, format!("/{p}"), root.join("static").join(p))
                } else {
                    (false, String::new(), PathBuf::new())
                };
            if !found {
                diags.push(
                    Diagnostic::error(
                        "missing-file",
                        msg!("diag.missing-file", path = &entry.path),
                    )
                    .at(&product.meta.doc.file, entry.span.clone())
                    .label(msg!("diag.missing-file.label", beside = beside, path = p))
                    .help(msg!("diag.missing-file.help")),
                );
                continue;
            }
            let bytes = std::fs::metadata(&disk).map(|m| m.len()).unwrap_or(0);
            product.files.push(Attachment {
                name: Path::new(p)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path: url,
                title: entry.title.clone(),
                language: entry.language.clone(),
                bytes,
                disk,
                entry: n,
                pdf: None,
                cover: None,
            });
        }
    }
}

/// Translations: each `translation_of` resolved, and the groups of
/// products that translate each other.
fn link_translations(products: &mut [Product], failed: &Failed, diags: &mut Vec<Diagnostic>) {
    let source_index: HashMap<String, usize> = products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.meta.doc.rel.clone(), i))
        .collect();
    let mut pairs = Vec::new();
    for (i, product) in products.iter().enumerate() {
        if let Some(t) = &product.meta.translation_of {
            match translation_candidates(&product.meta.doc.rel, &t.value)
                .iter()
                .find_map(|c| source_index.get(c))
            {
                Some(&j) if j != i => pairs.push((i, j)),
                None if translation_candidates(&product.meta.doc.rel, &t.value)
                    .iter()
                    .any(|c| failed.files.contains(c)) => {}
                _ => diags.push(
                    Diagnostic::error(
                        "unknown-translation",
                        msg!("diag.unknown-translation", path = &t.value),
                    )
                    .at(&product.meta.doc.file, t.span.clone())
                    .label(msg!("diag.unknown-translation.label")),
                ),
            }
        }
    }
    for (i, others) in translation_groups(products.len(), &pairs) {
        products[i].translations = others;
    }
}

/// Kind and year groups, by their key.
type Grouped<K> = BTreeMap<K, Vec<usize>>;

/// The relations readers browse by, read backwards from the products: each
/// partner's products by role and outcomes, each outcome's products and
/// partners, each topic's products; and the products of each kind and year.
fn reverse_relations(
    products: &[Product],
    partners: &mut [Partner],
    outcomes: &mut [Outcome],
    topics: &mut [Topic],
) -> (Grouped<String>, Grouped<u16>) {
    let mut kinds: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    for (pi, product) in products.iter().enumerate() {
        for (partner, roles) in &product.partners {
            let p = &mut partners[*partner];
            p.products.push(pi);
            for role in roles {
                match p.by_role.iter_mut().find(|(r, _)| r == role) {
                    Some((_, list)) => list.push(pi),
                    None => p.by_role.push((role.clone(), vec![pi])),
                }
            }
            for (o, _) in &product.outcomes {
                if !p.outcomes.contains(o) {
                    p.outcomes.push(*o);
                }
            }
        }
        for (o, _) in &product.outcomes {
            outcomes[*o].products.push(pi);
            // Made unique once sorted, below: searching the list for each
            // partner is quadratic in a product's partners.
            outcomes[*o]
                .partners
                .extend(product.partners.iter().map(|(p, _)| *p));
        }
        for &t in &product.topics {
            topics[t].products.push(pi);
        }
        if !product.meta.kind.is_empty() {
            kinds.entry(product.meta.kind.clone()).or_default().push(pi);
        }
        if product.meta.date.year > 0 {
            years.entry(product.meta.date.year).or_default().push(pi);
        }
    }
    (kinds, years)
}

/// Co-authors of each partner: partners named on the same products, most
/// shared products first.
fn coauthor_counts(partners: &[Partner], products: &[Product]) -> Vec<Vec<(usize, usize)>> {
    partners
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for &pi in &p.products {
                // A product naming more partners than a team is a
                // catalogue of the alliance, not a co-authorship; counting
                // its pairs would cost the square of its partners.
                if products[pi].partners.len() > MAX_TEAM {
                    continue;
                }
                for (other, _) in &products[pi].partners {
                    if *other != i {
                        *counts.entry(*other).or_default() += 1;
                    }
                }
            }
            let mut v: Vec<(usize, usize)> = counts.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        })
        .collect()
}

/// Every list of products in the order readers see it, and partners that
/// nothing names reported.
fn sort_relations(
    products: &[Product],
    partners: &mut [Partner],
    coauthor_counts: Vec<Vec<(usize, usize)>>,
    outcomes: &mut [Outcome],
    topics: &mut [Topic],
    diags: &mut Vec<Diagnostic>,
) {
    for (p, c) in partners.iter_mut().zip(coauthor_counts) {
        p.coauthors = c;
        sort_products(products, &mut p.products);
        for (_, list) in p.by_role.iter_mut() {
            sort_products(products, list);
        }
        p.by_role
            .sort_by_key(|(r, _)| ROLES.iter().position(|x| x == r).unwrap_or(usize::MAX));
        p.outcomes.sort();
        p.member_of.sort();
        p.members.sort();
        if p.products.is_empty() && p.member_of.is_empty() && p.members.is_empty() {
            diags.push(
                Diagnostic::warning(
                    "unused-partner",
                    msg!("diag.unused-partner", id = &p.meta.id),
                )
                .at(&p.meta.doc.file, 0..3)
                .help(msg!("diag.unused-partner.help")),
            );
        }
    }
    for o in outcomes.iter_mut() {
        sort_products(products, &mut o.products);
        o.partners.sort();
        o.partners.dedup();
    }
    for t in topics.iter_mut() {
        sort_products(products, &mut t.products);
    }
}

/// Groups of products (by kind or year) with their pages' paths.
fn groups_of<K: ToString>(
    grouped: impl IntoIterator<Item = (K, Vec<usize>)>,
    products: &[Product],
    path: impl Fn(&K) -> String,
) -> Vec<Group> {
    grouped
        .into_iter()
        .map(|(key, mut list)| {
            sort_products(products, &mut list);
            Group {
                path: path(&key),
                id: key.to_string(),
                products: list,
            }
        })
        .collect()
}

/// Related products, scored again only when what they are scored from
/// changed.
fn relate_products(products: &mut [Product], cache: &mut ModelCache) {
    let features = features_print(products);
    let related = match &cache.related {
        Some((print, related)) if *print == features => related.clone(),
        _ => {
            let all: Vec<usize> = (0..products.len()).collect();
            let related = related_products(products, &feature_lists(products), &all);
            cache.related = Some((features, related.clone()));
            related
        }
    };
    for (p, r) in products.iter_mut().zip(related) {
        p.related = r;
    }
}

/// The URL of the page each content file became, by its path under
/// `content/`.
fn source_urls(
    products: &[Product],
    partners: &[Partner],
    outcomes: &[Outcome],
    topics: &[Topic],
    home: &Option<PageMeta>,
    pages: &[Page],
) -> HashMap<String, String> {
    let mut source_urls: HashMap<String, String> = HashMap::new();
    for p in products {
        source_urls.insert(p.meta.doc.rel.clone(), p.path.clone());
    }
    for p in partners {
        source_urls.insert(p.meta.doc.rel.clone(), p.path.clone());
    }
    for o in outcomes {
        source_urls.insert(o.meta.doc.rel.clone(), o.path.clone());
    }
    for t in topics {
        if let Some(m) = &t.meta {
            source_urls.insert(m.doc.rel.clone(), t.path.clone());
        }
    }
    if let Some(h) = home {
        source_urls.insert(h.doc.rel.clone(), "/".into());
    }
    for p in pages {
        source_urls.insert(p.meta.doc.rel.clone(), p.path.clone());
    }
    source_urls
}

/// Output URL path of a file under `content/`: folders slugged as pages
/// are, the file name kept.
pub fn asset_url(rel: &str) -> String {
    let p = Path::new(rel);
    let mut parts: Vec<String> = p
        .parent()
        .map(|d| {
            d.iter()
                .map(|c| slugify(&c.to_string_lossy()))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    parts.push(
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    format!("/{}", parts.join("/"))
}

/// Resolves `.` and `..` in a relative path; `..` above the root is kept
/// out (it cannot name a file in the site).
/// Where a `translation_of` written in the file at `rel` may point: a
/// path relative to that file, or one relative to `content/`.
fn translation_candidates(rel: &str, target: &str) -> [String; 2] {
    let dir = Path::new(rel)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    [
        normalize(&dir.join(target)),
        normalize(Path::new(target.trim_start_matches('/'))),
    ]
}

pub fn normalize(p: &Path) -> String {
    let mut out: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::Normal(s) => out.push(s.to_string_lossy().into_owned()),
            // The guard pops one level; only `..` above the root returns.
            std::path::Component::ParentDir if out.pop().is_none() => {
                return String::from("\u{0}outside");
            }
            _ => {}
        }
    }
    out.join("/")
}

/// The spelling to show for a folded topic: the most used, preferring
/// the one that keeps its accents and capitals.
fn display_spelling(spellings: &[String], slug: &str) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in spellings {
        *counts.entry(s.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| {
            a.1.cmp(&b.1)
                .then(non_ascii_count(a.0).cmp(&non_ascii_count(b.0)))
                .then(
                    a.0.chars()
                        .filter(|c| c.is_uppercase())
                        .count()
                        .cmp(&b.0.chars().filter(|c| c.is_uppercase()).count()),
                )
                .then(b.0.cmp(a.0))
        })
        .map(|(s, _)| s.to_string())
        .map_or_else(|| upper_first(&slug.replace('-', " ")), |s| upper_first(&s))
}

/// `s` with its first letter capitalised: topics are written in lowercase
/// inside lists of front matter, but stand alone as titles and chips. The
/// rest is the author's spelling (acronyms, names) and stays as written.
fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn unknown_id<'a>(
    code: &'static str,
    what: &'static str,
    id: &str,
    known: impl Iterator<Item = &'a String>,
    dir: &str,
    file: &crate::diagnostics::SourceFile,
    span: std::ops::Range<usize>,
) -> Diagnostic {
    let known: Vec<&str> = known.map(String::as_str).collect();
    let suggestion = did_you_mean(id, known.iter().copied());
    Diagnostic::error(code, msg!("diag.unknown-id", id = id).word("what", what))
        .at(file, span)
        .label(msg!("diag.unknown-id.label", dir = dir))
        .suggest(suggestion)
        .help(msg!("diag.unknown-id.help", dir = dir).word("what", what))
}

fn report_membership_cycles(partners: &[Partner], diags: &mut Vec<Diagnostic>) {
    // Depth-first search with colours; a back edge is a cycle.
    let n = partners.len();
    let mut state = vec![0u8; n];
    let mut reported: HashSet<Vec<usize>> = HashSet::new();
    fn visit(
        i: usize,
        partners: &[Partner],
        state: &mut [u8],
        stack: &mut Vec<usize>,
        reported: &mut HashSet<Vec<usize>>,
        diags: &mut Vec<Diagnostic>,
    ) {
        state[i] = 1;
        stack.push(i);
        for &j in &partners[i].members {
            if state[j] == 1 {
                let start = stack.iter().position(|&s| s == j).unwrap_or(0);
                let mut cycle: Vec<usize> = stack[start..].to_vec();
                cycle.sort();
                if reported.insert(cycle) {
                    let names: Vec<&str> = stack[start..]
                        .iter()
                        .chain(std::iter::once(&j))
                        .map(|&k| partners[k].meta.id.as_str())
                        .collect();
                    let m = &partners[i].meta;
                    let span = m
                        .members
                        .iter()
                        .find(|s| s.value == partners[j].meta.id)
                        .map(|s| s.span.clone())
                        .unwrap_or(0..0);
                    diags.push(
                        Diagnostic::error(
                            "membership-cycle",
                            msg!("diag.membership-cycle", names = names.join(" → ")),
                        )
                        .at(&m.doc.file, span)
                        .help(msg!("diag.membership-cycle.help")),
                    );
                }
            } else if state[j] == 0 {
                visit(j, partners, state, stack, reported, diags);
            }
        }
        stack.pop();
        state[i] = 2;
    }
    for i in 0..n {
        if state[i] == 0 {
            let mut stack = Vec::new();
            visit(i, partners, &mut state, &mut stack, &mut reported, diags);
        }
    }
}

/// The error for a product whose page URL is `what` already. Told at the
/// `slug:` line that made the two meet: the product's own, or else the
/// holder's (naming this file); at the first line when neither has one.
fn url_taken(p: &Product, holder: Option<&Product>, what: String) -> Diagnostic {
    let diag = |at: &Product, message: crate::messages::Msg| {
        let span = at.meta.slug_span.clone().unwrap_or(0..3);
        Diagnostic::error("duplicate-url", message)
            .at(&at.meta.doc.file, span)
            .help(msg!("diag.duplicate-url.help"))
    };
    match holder {
        Some(h) if p.meta.slug_span.is_none() && h.meta.slug_span.is_some() => diag(
            h,
            msg!(
                "diag.duplicate-url.holder",
                url = &p.path,
                path = p.meta.doc.file.path.display()
            ),
        ),
        _ => diag(p, msg!("diag.duplicate-url", url = &p.path, what = what)),
    }
}

/// Two files whose URL paths differ only in case (`Alianza.md` and
/// `alianza.md`) would be one file on a case-insensitive disk and one URL
/// on many hosts: the second in order is an error naming the first.
fn report_case_twins<'a>(
    items: impl Iterator<Item = (&'a str, &'a crate::diagnostics::SourceFile)>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<String, &crate::diagnostics::SourceFile> = HashMap::new();
    for (path, file) in items {
        match seen.get(&path.to_lowercase()) {
            Some(first) => diags.push(
                Diagnostic::error(
                    "duplicate-id",
                    msg!(
                        "diag.duplicate-id",
                        path = file.path.display(),
                        first = first.path.display()
                    ),
                )
                .at(file, 0..3)
                .label(msg!("diag.duplicate-id.label"))
                .help(msg!("diag.duplicate-id.help")),
            ),
            None => {
                seen.insert(path.to_lowercase(), file);
            }
        }
    }
}

/// Every path a build of the site generates but the products' pages and
/// aliases, which [`report_url_collisions`] adds as it checks them.
fn site_paths(
    root: &Path,
    config: &Config,
    assets: &[String],
    collections: &[(&str, &str)],
    pages: &[Page],
) -> SitePaths {
    let p = &config.paths;
    let mut sp = SitePaths::default();
    for seg in [
        &p.partners,
        &p.topics,
        &p.outcomes,
        &p.kinds,
        &p.years,
        &p.api,
    ] {
        sp.reserve(seg, false);
    }
    sp.reserve(&p.search, true);
    for f in [
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        sp.file(f);
    }
    for f in crate::render::theme::static_paths(root, &config.theme) {
        sp.file(&f);
    }
    for (rel, _) in crate::render::theme::walk_sources(root, &root.join("static")) {
        sp.file(&rel);
    }
    for a in assets {
        sp.file(&asset_url(a));
    }
    for (path, what) in collections {
        sp.page(path, *what);
    }
    for page in pages {
        let what = format!("the page of `{}`", page.meta.doc.file.path.display());
        sp.page(&page.path, what);
    }
    sp
}

/// Checks each product's URL, then each alias, against every other path of
/// the site, in file order (so the second of two files is the one told),
/// and keeps in `Product::aliases` the aliases that can be published.
fn report_url_collisions(
    products: &mut [Product],
    sp: &mut SitePaths,
    diags: &mut Vec<Diagnostic>,
) {
    // Which product holds each page URL, to tell a collision at the
    // `slug:` that made it.
    let mut holders: HashMap<String, usize> = HashMap::new();
    for i in 0..products.len() {
        let p = &products[i];
        match sp.taken(&p.path) {
            Some(what) => {
                let holder = holders.get(&p.path.to_lowercase()).map(|&j| &products[j]);
                diags.push(url_taken(p, holder, what));
            }
            None => {
                let what = format!("the page of `{}`", p.meta.doc.file.path.display());
                sp.page(&p.path, what);
                for cite in ["cite.bib", "cite.ris", "cite.json"] {
                    sp.file(&format!("{}{cite}", p.path));
                }
                holders.insert(p.path.to_lowercase(), i);
            }
        }
    }
    // Aliases after every page: a page keeps its URL, the alias is told.
    for p in products.iter_mut() {
        let file = &p.meta.doc.file;
        let mut kept = Vec::new();
        for a in &p.meta.aliases {
            let taken = match crate::build::urls::normalize_alias(&a.value) {
                Err(problem) => {
                    diags.push(
                        Diagnostic::error("bad-path", problem.message())
                            .at(file, a.span.clone())
                            .help(msg!("diag.bad-path.alias-help")),
                    );
                    continue;
                }
                Ok(path) => match sp.taken(&path) {
                    Some(what) => (path, what),
                    None => {
                        sp.page(&path, format!("an alias of `{}`", file.path.display()));
                        kept.push(path);
                        continue;
                    }
                },
            };
            diags.push(
                Diagnostic::error(
                    "duplicate-url",
                    msg!(
                        "diag.duplicate-url.alias",
                        alias = &taken.0,
                        what = &taken.1
                    ),
                )
                .at(file, a.span.clone())
                .label(msg!("diag.duplicate-url.alias-label"))
                .help(msg!("diag.duplicate-url.alias-help")),
            );
        }
        p.aliases = kept;
    }
}

/// Gives each standalone page its URL (`/<slug>/`), links its translations
/// and reports URLs that another page already has.
fn resolve_pages(
    metas: Vec<StandalonePage>,
    products: &[Product],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    let paths = &config.paths;
    let reserved: HashSet<String> = [
        &paths.partners,
        &paths.topics,
        &paths.outcomes,
        &paths.kinds,
        &paths.years,
        &paths.search,
        &paths.api,
    ]
    .iter()
    .map(|s| format!("/{s}/"))
    .collect();
    let product_urls: HashMap<&str, &Path> = products
        .iter()
        .map(|p| (p.path.as_str(), p.meta.doc.file.path.as_path()))
        .collect();
    let mut pages: Vec<Page> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for meta in metas {
        let path = format!("/{}/", meta.slug);
        let taken = if reserved.contains(&path) {
            Some("a page ayni generates".to_string())
        } else if let Some(other) = product_urls.get(path.as_str()) {
            Some(format!("the product `{}`", other.display()))
        } else {
            seen.get(&path)
                .map(|&j| format!("the page `{}`", pages[j].meta.doc.file.path.display()))
        };
        if let Some(other) = taken {
            diags.push(
                Diagnostic::error(
                    "duplicate-url",
                    msg!("diag.duplicate-url.page", url = &path, other = other),
                )
                .at(&meta.doc.file, 0..3)
                .help(msg!("diag.duplicate-url.page-help")),
            );
            continue;
        }
        seen.insert(path.clone(), pages.len());
        pages.push(Page {
            meta,
            path,
            translations: Vec::new(),
        });
    }
    link_page_translations(&mut pages, diags);
    pages
}

/// Translations of standalone pages: each `translation_of` resolved, and
/// the groups of pages that translate each other.
fn link_page_translations(pages: &mut [Page], diags: &mut Vec<Diagnostic>) {
    let by_rel: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.meta.doc.rel.clone(), i))
        .collect();
    let mut pairs = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let Some(t) = &page.meta.translation_of else {
            continue;
        };
        match translation_candidates(&page.meta.doc.rel, &t.value)
            .iter()
            .find_map(|c| by_rel.get(c))
        {
            Some(&j) if j != i => pairs.push((i, j)),
            _ => diags.push(
                Diagnostic::error(
                    "unknown-translation",
                    msg!("diag.unknown-translation.page", path = &t.value),
                )
                .at(&page.meta.doc.file, t.span.clone())
                .label(msg!("diag.unknown-translation.page-label")),
            ),
        }
    }
    for (i, others) in translation_groups(pages.len(), &pairs) {
        pages[i].translations = others;
    }
}

/// Moves product `i` from the group `from` to the group `to` (kinds or
/// years), noting the path of the group it left in `left`.
fn move_between(groups: &mut [Group], i: usize, from: &str, to: &str, left: &mut Vec<String>) {
    for g in groups.iter_mut() {
        if g.id == from {
            g.products.retain(|&k| k != i);
            left.push(g.path.clone());
        } else if g.id == to {
            g.products.push(i);
        }
    }
}

/// The translations of each document `translation_of` links, given as
/// pairs (translation, original) among `n` documents: every other version
/// of its group, siblings included, in site order. A reader on one
/// version sees all the others, as the page's `hreflang` links do.
fn translation_groups(n: usize, pairs: &[(usize, usize)]) -> Vec<(usize, Vec<usize>)> {
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut parent: Vec<usize> = (0..n).collect();
    let mut linked = vec![false; n];
    for &(a, b) in pairs {
        linked[a] = true;
        linked[b] = true;
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra] = rb;
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in (0..n).filter(|&i| linked[i]) {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    (0..n)
        .filter(|&i| linked[i])
        .map(|i| {
            let r = root(&mut parent, i);
            let others = groups[&r].iter().copied().filter(|&j| j != i).collect();
            (i, others)
        })
        .collect()
}

/// What related products are scored from: every product's outcomes,
/// partners, topics and date, and its translations, which are left out.
fn features_print(products: &[Product]) -> u64 {
    crate::text::fingerprint(
        &products
            .iter()
            .map(|p| {
                (
                    p.outcomes.iter().map(|(o, _)| *o).collect::<Vec<_>>(),
                    p.partners.iter().map(|(pa, _)| *pa).collect::<Vec<_>>(),
                    &p.topics,
                    &p.meta.date,
                    &p.translations,
                )
            })
            .collect::<Vec<_>>(),
    )
}

/// Features shared by more products than this say little about
/// relatedness and would make scoring quadratic, so they are skipped.
const RELATED_LIMIT: usize = 400;

/// A feature of a product for relatedness: (0, outcome), (1, partner) or
/// (2, topic).
type Feature = (u8, usize);

fn features(p: &Product) -> impl Iterator<Item = (Feature, u32)> + '_ {
    p.outcomes
        .iter()
        .map(|(o, _)| ((0u8, *o), 3u32))
        .chain(p.partners.iter().map(|(pa, _)| ((1u8, *pa), 2u32)))
        .chain(p.topics.iter().map(|t| ((2u8, *t), 2u32)))
}

/// The products that have each feature.
fn feature_lists(products: &[Product]) -> HashMap<Feature, Vec<usize>> {
    let mut by_feature: HashMap<Feature, Vec<usize>> = HashMap::new();
    for (i, p) in products.iter().enumerate() {
        for (f, _) in features(p) {
            by_feature.entry(f).or_default().push(i);
        }
    }
    by_feature
}

/// Up to five related products for each product of `which`, scored by
/// shared outcomes, partners and topics. A product's translations are not
/// among them: the page lists them on their own, and they share
/// everything, so they would take the first places.
fn related_products(
    products: &[Product],
    by_feature: &HashMap<Feature, Vec<usize>>,
    which: &[usize],
) -> Vec<Vec<usize>> {
    const LIMIT: usize = RELATED_LIMIT;
    // Scores go into a dense array per thread, cleared through the list of
    // entries touched: a hash map per product was most of the model's time.
    which
        .par_iter()
        .map(|&i| (i, &products[i]))
        .map_init(
            || {
                (
                    vec![0u32; products.len()],
                    Vec::<usize>::new(),
                    Vec::<(usize, u32)>::new(),
                )
            },
            |(scores, touched, v), (i, p)| {
                for (key, weight) in features(p) {
                    let Some(list) = by_feature.get(&key) else {
                        continue;
                    };
                    if list.len() > LIMIT {
                        continue;
                    }
                    for &j in list {
                        if j != i && !p.translations.contains(&j) {
                            if scores[j] == 0 {
                                touched.push(j);
                            }
                            scores[j] += weight;
                        }
                    }
                }
                // The candidates are reused from product to product: at
                // 100,000 products each has thousands.
                v.clear();
                v.extend(touched.iter().map(|&j| (j, scores[j])));
                for &j in touched.iter() {
                    scores[j] = 0;
                }
                touched.clear();
                let order = |a: &(usize, u32), b: &(usize, u32)| {
                    b.1.cmp(&a.1)
                        .then(products[b.0].meta.date.cmp(&products[a.0].meta.date))
                        .then(a.0.cmp(&b.0))
                };
                if v.len() > 5 {
                    v.select_nth_unstable_by(4, order);
                }
                let n = v.len().min(5);
                let top = &mut v[..n];
                top.sort_by(order);
                top.iter().map(|&(j, _)| j).collect()
            },
        )
        .collect()
}

/// Stage of an outcome as its position on the advocacy route.
pub fn stage_rank(stage: &str) -> usize {
    STAGES
        .iter()
        .position(|s| *s == stage)
        .unwrap_or(STAGES.len())
}

/// What [`update_products`] changed besides the products' own metadata.
#[derive(Debug, Default)]
pub struct Update {
    /// Products whose related products changed.
    pub related: Vec<usize>,
    /// Topics whose list of products or title changed.
    pub topics: Vec<usize>,
    /// Whether a topic's title changed (titles are made from the spellings
    /// products use).
    pub retitled: bool,
    /// Kind and year groups whose list changed, by path.
    pub groups: Vec<String>,
    /// Whether a product's date changed.
    pub dates: bool,
}

/// Whether two versions of a product are the same node of the site: the
/// same URL and aliases, partners, outcomes, attachments and translation.
/// Its topics, kind and date may differ; [`update_products`] moves it.
fn same_place(a: &ProductMeta, b: &ProductMeta) -> bool {
    let aliases = |m: &ProductMeta| {
        m.aliases
            .iter()
            .map(|a| a.value.clone())
            .collect::<Vec<_>>()
    };
    let partners = |m: &ProductMeta| {
        m.partners
            .iter()
            .map(|p| (p.id.clone(), p.roles.clone()))
            .collect::<Vec<_>>()
    };
    let outcomes = |m: &ProductMeta| {
        m.outcomes
            .iter()
            .map(|o| (o.id.clone(), o.contribution.clone()))
            .collect::<Vec<_>>()
    };
    let files = |m: &ProductMeta| {
        m.files
            .iter()
            .map(|f| (f.path.clone(), f.title.clone(), f.language.clone()))
            .collect::<Vec<_>>()
    };
    a.section == b.section
        && a.slug == b.slug
        && a.draft == b.draft
        && aliases(a) == aliases(b)
        && a.translation_of.as_ref().map(|t| &t.value)
            == b.translation_of.as_ref().map(|t| &t.value)
        && partners(a) == partners(b)
        && outcomes(a) == outcomes(b)
        && files(a) == files(b)
}

/// The topics a product's metadata names, as indices, in its order.
fn topic_indices(site: &Site, meta: &ProductMeta) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for t in &meta.topics {
        let slug = slugify(&t.value);
        if slug.is_empty() {
            continue;
        }
        // A topic no product used before is a new page: not an update.
        let &i = site.topic_slugs.get(&slug)?;
        if !out.contains(&i) {
            out.push(i);
        }
    }
    Some(out)
}

/// Puts new metadata of existing products into the site in place, for an
/// edit that leaves the site's shape alone: each product keeps its URL,
/// aliases, partners, outcomes, attachments and translation, and its
/// topics, kind and year are ones other products already have, with no
/// list gaining or losing a page. Lists are sorted again and related
/// products scored again where the edit can have moved them, as
/// [`build`] would. Returns `None`, having changed nothing, for any other
/// edit: the caller builds the model anew. Warnings of the products go
/// to `diags`.
pub fn update_products(
    site: &mut Site,
    edits: Vec<(usize, ProductMeta)>,
    cache: &mut ModelCache,
    diags: &mut Vec<Diagnostic>,
) -> Option<Update> {
    let Deltas {
        new_topics,
        topic_delta,
        ..
    } = deltas_in_place(site, &edits)?;

    // From here on the edit is applied.
    let mut applied = Applied::default();
    let crossed = topic_delta.iter().any(|(&t, &d)| {
        let before = site.topics[t].products.len();
        let after = (before as isize + d) as usize;
        (before > RELATED_LIMIT) != (after > RELATED_LIMIT)
    });
    for ((i, meta), topics) in edits.into_iter().zip(new_topics) {
        apply_edit(site, i, meta, topics, &mut applied, diags);
    }
    let Applied {
        mut update,
        resort,
        features_changed,
        edited,
        retitle,
    } = applied;
    resort_lists(site, resort);
    retitle_topics(site, retitle, &mut update);
    update.topics.sort_unstable();
    update.topics.dedup();
    update.groups.sort();
    update.groups.dedup();

    if features_changed {
        update.related = update_related(&mut site.products, &edited, crossed, cache);
    }
    Some(update)
}

/// How many products each topic, kind and year gains or loses with some
/// edits, and each edited product's new topics.
struct Deltas {
    new_topics: Vec<Vec<usize>>,
    topic_delta: HashMap<usize, isize>,
    kind_delta: HashMap<String, isize>,
    year_delta: HashMap<u16, isize>,
}

/// The [`Deltas`] of `edits`, or `None` when they cannot be applied in
/// place: a product that moves, a kind or year that appears or vanishes, or
/// a list whose number of pages changes.
fn deltas_in_place(site: &Site, edits: &[(usize, ProductMeta)]) -> Option<Deltas> {
    let deltas = deltas(site, edits)?;
    let per = site.config.paginate.max(1);
    let pages = |n: usize| n.div_ceil(per).max(1);
    let same_pages = |len: usize, delta: isize| {
        let after = len as isize + delta;
        after > 0 && pages(len) == pages(after as usize)
    };
    for (&t, &d) in &deltas.topic_delta {
        let topic = &site.topics[t];
        // A topic left without products and without a file of its own is
        // gone; one without products is not paginated the same way either.
        if d != 0 && !same_pages(topic.products.len(), d) {
            return None;
        }
    }
    let group = |list: &[Group], id: &str| list.iter().position(|g| g.id == id);
    for (kind, &d) in &deltas.kind_delta {
        let g = group(&site.kinds, kind)?;
        if d != 0 && !same_pages(site.kinds[g].products.len(), d) {
            return None;
        }
    }
    for (year, &d) in &deltas.year_delta {
        let g = group(&site.years, &year.to_string())?;
        if d != 0 && !same_pages(site.years[g].products.len(), d) {
            return None;
        }
    }
    Some(deltas)
}

fn deltas(site: &Site, edits: &[(usize, ProductMeta)]) -> Option<Deltas> {
    let mut deltas = Deltas {
        new_topics: Vec::new(),
        topic_delta: HashMap::new(),
        kind_delta: HashMap::new(),
        year_delta: HashMap::new(),
    };
    for (i, meta) in edits {
        let old = &site.products[*i];
        if !same_place(&old.meta, meta) {
            return None;
        }
        let topics = topic_indices(site, meta)?;
        for t in &old.topics {
            *deltas.topic_delta.entry(*t).or_default() -= 1;
        }
        for t in &topics {
            *deltas.topic_delta.entry(*t).or_default() += 1;
        }
        deltas.new_topics.push(topics);
        if old.meta.kind != meta.kind {
            if old.meta.kind.is_empty() || meta.kind.is_empty() {
                return None;
            }
            *deltas.kind_delta.entry(old.meta.kind.clone()).or_default() -= 1;
            *deltas.kind_delta.entry(meta.kind.clone()).or_default() += 1;
        }
        if old.meta.date.year != meta.date.year {
            if old.meta.date.year == 0 || meta.date.year == 0 {
                return None;
            }
            *deltas.year_delta.entry(old.meta.date.year).or_default() -= 1;
            *deltas.year_delta.entry(meta.date.year).or_default() += 1;
        }
    }
    Some(deltas)
}

/// What applying edits in place has done so far, and what is left to do
/// once all are applied.
#[derive(Default)]
struct Applied {
    update: Update,
    /// Lists to sort again: (0 partner, 1 outcome, 2 topic, 3 kind, 4 year;
    /// index).
    resort: HashSet<(u8, usize)>,
    features_changed: bool,
    /// Each edited product with its topics before the edit.
    edited: Vec<(usize, Vec<usize>)>,
    /// Topics whose title, taken from their spellings, may change.
    retitle: HashSet<usize>,
}

/// Puts `meta` in place of product `i`'s, moving it between topics, kinds
/// and years.
fn apply_edit(
    site: &mut Site,
    i: usize,
    meta: ProductMeta,
    topics: Vec<usize>,
    applied: &mut Applied,
    diags: &mut Vec<Diagnostic>,
) {
    let Applied {
        update,
        resort,
        features_changed,
        edited,
        retitle,
    } = applied;
    let old_meta = std::mem::replace(&mut site.products[i].meta, meta);
    let p = &site.products[i];
    let moved = old_meta.date != p.meta.date || old_meta.title != p.meta.title;
    update.dates |= old_meta.date != p.meta.date;
    *features_changed |= old_meta.date != p.meta.date || topics != p.topics;
    product_warnings(&p.meta, diags);
    let spellings = |m: &ProductMeta| m.topics.iter().map(|t| t.value.clone()).collect::<Vec<_>>();
    if spellings(&old_meta) != spellings(&p.meta) {
        retitle.extend(p.topics.iter().chain(&topics));
    }
    for &t in p.topics.iter().filter(|t| !topics.contains(t)) {
        site.topics[t].products.retain(|&k| k != i);
        update.topics.push(t);
    }
    for &t in topics.iter().filter(|t| !p.topics.contains(t)) {
        site.topics[t].products.push(i);
        resort.insert((2, t));
        update.topics.push(t);
    }
    let p = &mut site.products[i];
    edited.push((i, std::mem::replace(&mut p.topics, topics)));
    if old_meta.kind != p.meta.kind {
        let to = p.meta.kind.clone();
        move_between(&mut site.kinds, i, &old_meta.kind, &to, &mut update.groups);
    }
    let (from, to) = (old_meta.date.year, site.products[i].meta.date.year);
    if from != to {
        let (from, to) = (from.to_string(), to.to_string());
        move_between(&mut site.years, i, &from, &to, &mut update.groups);
    }
    let p = &site.products[i];
    let kind = &p.meta.kind;
    let year = p.meta.date.year.to_string();
    if let Some(g) = site.kinds.iter().position(|g| &g.id == kind)
        && (moved || old_meta.kind != *kind)
    {
        update.groups.push(site.kinds[g].path.clone());
        resort.insert((3, g));
    }
    if let Some(g) = site.years.iter().position(|g| g.id == year)
        && (moved || old_meta.date.year != p.meta.date.year)
    {
        update.groups.push(site.years[g].path.clone());
        resort.insert((4, g));
    }
    if moved {
        for (pa, _) in &p.partners {
            resort.insert((0, *pa));
        }
        for (o, _) in &p.outcomes {
            resort.insert((1, *o));
        }
        for &t in &p.topics {
            resort.insert((2, t));
        }
    }
}

/// Sorts again the lists an edit moved products within.
fn resort_lists(site: &mut Site, resort: HashSet<(u8, usize)>) {
    let products = &site.products;
    for (what, k) in resort {
        match what {
            0 => {
                let p = &mut site.partners[k];
                sort_products(products, &mut p.products);
                for (_, list) in p.by_role.iter_mut() {
                    sort_products(products, list);
                }
            }
            1 => sort_products(products, &mut site.outcomes[k].products),
            2 => sort_products(products, &mut site.topics[k].products),
            3 => sort_products(products, &mut site.kinds[k].products),
            _ => sort_products(products, &mut site.years[k].products),
        }
    }
}

/// Takes again the title of topics without a file of their own from
/// their products' spellings.
fn retitle_topics(site: &mut Site, retitle: HashSet<usize>, update: &mut Update) {
    for t in retitle {
        let topic = &site.topics[t];
        if topic.meta.as_ref().and_then(|m| m.title.as_ref()).is_some() {
            continue;
        }
        let spellings: Vec<String> = topic
            .products
            .iter()
            .flat_map(|&k| &site.products[k].meta.topics)
            .filter(|s| slugify(&s.value) == topic.slug)
            .map(|s| s.value.clone())
            .collect();
        let title = display_spelling(&spellings, &topic.slug);
        if title != topic.title {
            site.topics[t].title = title;
            update.retitled = true;
            update.topics.push(t);
        }
    }
}

/// Scores related products again after some products' topics or dates
/// changed. Only products that share a feature (before or after) with an
/// edited one can have another list, so only they are scored; all are when
/// a feature crossed the size beyond which it is skipped. `edited` holds
/// each edited product with its topics before the edit. Returns the
/// products whose list changed.
fn update_related(
    products: &mut [Product],
    edited: &[(usize, Vec<usize>)],
    crossed: bool,
    cache: &mut ModelCache,
) -> Vec<usize> {
    let by_feature = feature_lists(products);
    let which: Vec<usize> = if crossed || cache.related.is_none() {
        (0..products.len()).collect()
    } else {
        let mut set: HashSet<usize> = HashSet::new();
        for (e, old_topics) in edited {
            set.insert(*e);
            let old = old_topics.iter().map(|t| (2u8, *t));
            for f in features(&products[*e]).map(|(f, _)| f).chain(old) {
                if let Some(list) = by_feature.get(&f)
                    && list.len() <= RELATED_LIMIT
                {
                    set.extend(list);
                }
            }
        }
        let mut v: Vec<usize> = set.into_iter().collect();
        v.sort_unstable();
        v
    };
    let related = related_products(products, &by_feature, &which);
    let mut changed = Vec::new();
    for (i, r) in which.into_iter().zip(related) {
        if products[i].related != r {
            products[i].related = r;
            changed.push(i);
        }
    }
    cache.related = Some((
        features_print(products),
        products.iter().map(|p| p.related.clone()).collect(),
    ));
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_groups_join_siblings_and_chains() {
        // 1 and 2 translate 0; 4 translates 3, and 5 translates 4.
        let groups = translation_groups(7, &[(1, 0), (2, 0), (4, 3), (5, 4)]);
        assert_eq!(
            groups,
            vec![
                (0, vec![1, 2]),
                (1, vec![0, 2]),
                (2, vec![0, 1]),
                (3, vec![4, 5]),
                (4, vec![3, 5]),
                (5, vec![3, 4]),
            ]
        );
    }

    #[test]
    fn topic_display_prefers_common_then_accented() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            display_spelling(
                &s(&["gestion del conocimiento", "Gestión del conocimiento"]),
                "x"
            ),
            "Gestión del conocimiento"
        );
        assert_eq!(display_spelling(&s(&["a b", "a b", "Á B"]), "x"), "A b");
        // Shown as a title: the first letter capitalised, the rest as written.
        assert_eq!(display_spelling(&s(&["ética de ONG"]), "x"), "Ética de ONG");
        assert_eq!(display_spelling(&[], "agua-y-clima"), "Agua y clima");
    }

    #[test]
    fn normalize_and_asset_urls() {
        assert_eq!(normalize(Path::new("casos/../guias/x.md")), "guias/x.md");
        assert!(normalize(Path::new("../x.md")).starts_with('\u{0}'));
        assert_eq!(
            asset_url("Casos Año/img/Foto 1.png"),
            "/casos-ano/img/Foto 1.png"
        );
    }
}
