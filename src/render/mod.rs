//! Render: turns the model and rendered bodies into pages with Tera. Each
//! page gets `site`, `t` (interface strings) and its own variables; lists of
//! products arrive as precomputed "cards" so a listing costs a clone, not a
//! re-serialization. Pages render in parallel.
//!
//! Every page also gets a key: a hash of what it shows (its sources'
//! fingerprints and the views of the products, partners, topics and
//! outcomes on it). Given the keys of a previous render of the same site
//! and theme, a page whose key is unchanged is not rendered again; this is
//! how the preview server re-renders only what an edit touched. After an
//! edit applied in place ([`crate::serve::incremental`]), a render with a
//! [`Scope`] goes further: it keeps the previous views but the touched
//! ones, and visits only the pages the edit can have changed.

//!
//! Each page kind is a module of its own that plans its pages (see
//! [`plan::Plan`]); [`exec`] runs the page jobs, and the outputs made
//! after the pages from the whole site are [`producers`].

pub mod chart;
pub mod figures;
pub mod network;
pub mod theme;

mod alias;
mod exec;
mod group;
mod home;
mod inputs;
mod not_found;
mod outcome;
mod outcomes;
mod page;
mod partner;
mod partners;
mod plan;
mod producers;
mod product;
mod search;
mod topic;
mod topics;
pub mod views;

use std::collections::{HashMap, HashSet};

use std::sync::OnceLock;

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::build::write::{OutputFile, Staging};
use crate::error::Error;
use crate::markdown::{Bodies, Deferred};
use crate::model::Site;
use crate::model::vocabulary::STAGES;
use crate::render::theme::Theme;
use crate::search::stage::PendingFiles;
use crate::text::fingerprint;
use inputs::{CardShown, PageInfo, Shown};
use plan::Plan;
use producers::Outputs;
pub use views::CoverView;
use views::{CardHtml, Labels, PartnerView, ProductCard, SiteView, TopicView, card_html};

/// Everything a template may need about the site, computed once.
pub struct Views<'a> {
    pub site: &'a Site,
    pub strings: &'a Map<String, Value>,
    theme: &'a Theme,
    products: Vec<ProductCard>,
    /// Each product's card HTML, made the first time a page shows it (see
    /// [`CardShown`]): a rebuild makes few of the pages that list them.
    cards: Vec<OnceLock<Option<CardHtml>>>,
    /// Template contexts holding `t`, for making cards.
    card_scratch: std::sync::Mutex<Vec<tera::Context>>,
    partners: Vec<PartnerView>,
    outcomes: Vec<outcome::OutcomeView>,
    topics: Vec<TopicView>,
    /// Fingerprints of the views above, index for index.
    product_sigs: Vec<u64>,
    partner_sigs: Vec<u64>,
    outcome_sigs: Vec<u64>,
    topic_sigs: Vec<u64>,
    base: SiteView,
    /// Every page shows `base`, so every key includes its fingerprint.
    base_sig: u64,
    /// Each product's entry in the data files, once made (see
    /// [`crate::outputs::api::product_entry`]).
    api: std::sync::Mutex<Vec<Option<String>>>,
}

fn sigs<T: std::hash::Hash + Sync>(views: &[T]) -> Vec<u64> {
    views.par_iter().map(fingerprint).collect()
}

/// The views of a render without the site and theme they borrow, kept
/// between rebuilds of a watched site so that an edit recomputes only the
/// views it touched.
pub struct ViewParts {
    products: Vec<ProductCard>,
    cards: Vec<OnceLock<Option<CardHtml>>>,
    partners: Vec<PartnerView>,
    outcomes: Vec<outcome::OutcomeView>,
    topics: Vec<TopicView>,
    product_sigs: Vec<u64>,
    partner_sigs: Vec<u64>,
    outcome_sigs: Vec<u64>,
    topic_sigs: Vec<u64>,
    base: SiteView,
    base_sig: u64,
    api: Vec<Option<String>>,
}

impl ViewParts {
    /// The fingerprint of product `i`'s view.
    pub fn product_sig(&self, i: usize) -> u64 {
        self.product_sigs[i]
    }

    /// The fingerprint of topic `t`'s view.
    pub fn topic_sig(&self, t: usize) -> u64 {
        self.topic_sigs[t]
    }
}

impl<'a> Views<'a> {
    /// The views of every product, partner, outcome and topic, each with
    /// its fingerprint, which pages' keys read.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Views<'a> {
        let strings = &theme.strings;
        let labels = Labels::new(site, strings);
        let products: Vec<ProductCard> = (0..site.products.len())
            .into_par_iter()
            .map(|i| labels.product(i))
            .collect();
        let partners: Vec<PartnerView> = (0..site.partners.len())
            .map(|i| labels.partner(i))
            .collect();
        let outcomes: Vec<outcome::OutcomeView> = (0..site.outcomes.len())
            .map(|i| outcome::view(&labels, i))
            .collect();
        let topics: Vec<TopicView> = (0..site.topics.len()).map(|t| labels.topic(t)).collect();
        let base = SiteView::of(site, theme);
        Views {
            base_sig: fingerprint(&base),
            api: std::sync::Mutex::new(vec![None; site.products.len()]),
            site,
            strings,
            theme,
            cards: (0..products.len()).map(|_| OnceLock::new()).collect(),
            card_scratch: std::sync::Mutex::new(Vec::new()),
            product_sigs: sigs(&products),
            partner_sigs: sigs(&partners),
            outcome_sigs: sigs(&outcomes),
            topic_sigs: sigs(&topics),
            products,
            partners,
            outcomes,
            topics,
            base,
        }
    }

    /// The views of an earlier render of the same site and theme, with
    /// those of `products` and `topics` made again: an edit that changed
    /// only these leaves every other view as it was.
    pub fn reuse(
        site: &'a Site,
        theme: &'a Theme,
        parts: ViewParts,
        products: &[usize],
        topics: &[usize],
    ) -> Views<'a> {
        let mut views = Views {
            site,
            strings: &theme.strings,
            theme,
            products: parts.products,
            cards: parts.cards,
            card_scratch: std::sync::Mutex::new(Vec::new()),
            partners: parts.partners,
            outcomes: parts.outcomes,
            topics: parts.topics,
            product_sigs: parts.product_sigs,
            partner_sigs: parts.partner_sigs,
            outcome_sigs: parts.outcome_sigs,
            topic_sigs: parts.topic_sigs,
            base: parts.base,
            base_sig: parts.base_sig,
            api: std::sync::Mutex::new(parts.api),
        };
        let labels = Labels::new(site, &theme.strings);
        for &i in products {
            views.api.get_mut().unwrap_or_else(|e| e.into_inner())[i] = None;
            views.products[i] = labels.product(i);
            views.cards[i] = OnceLock::new();
            views.product_sigs[i] = fingerprint(&views.products[i]);
        }
        for &t in topics {
            views.topics[t] = labels.topic(t);
            views.topic_sigs[t] = fingerprint(&views.topics[t]);
        }
        views
    }

    /// The views without what they borrow, for [`Views::reuse`].
    pub fn into_parts(self) -> ViewParts {
        ViewParts {
            products: self.products,
            cards: self.cards,
            partners: self.partners,
            outcomes: self.outcomes,
            topics: self.topics,
            product_sigs: self.product_sigs,
            partner_sigs: self.partner_sigs,
            outcome_sigs: self.outcome_sigs,
            topic_sigs: self.topic_sigs,
            base: self.base,
            base_sig: self.base_sig,
            api: self.api.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Makes product `i`'s entry in the data files, unless it is made.
    fn api_entry(&self, i: usize) {
        let made = self
            .api
            .lock()
            .map(|entries| entries[i].is_some())
            .unwrap_or(true);
        if made {
            return;
        }
        // Made outside the lock, so that page jobs do not wait on it.
        let entry = crate::outputs::api::product_entry(self.site, i);
        if let Ok(mut entries) = self.api.lock() {
            entries[i] = Some(entry);
        }
    }

    /// The data files, making only the product entries not made yet.
    fn api_files(&self) -> Vec<OutputFile> {
        let mut entries = self.api.lock().unwrap_or_else(|e| e.into_inner());
        let missing: Vec<usize> = (0..entries.len())
            .filter(|&i| entries[i].is_none())
            .collect();
        let made: Vec<(usize, String)> = missing
            .into_par_iter()
            .map(|i| (i, crate::outputs::api::product_entry(self.site, i)))
            .collect();
        for (i, entry) in made {
            entries[i] = Some(entry);
        }
        let all: Vec<&str> = entries.iter().map(|e| e.as_deref().unwrap_or("")).collect();
        crate::outputs::api::files_with(self.site, &all)
    }

    /// The fingerprint of product `i`'s view.
    pub fn product_sig(&self, i: usize) -> u64 {
        self.product_sigs[i]
    }

    /// The fingerprint of topic `t`'s view.
    pub fn topic_sig(&self, t: usize) -> u64 {
        self.topic_sigs[t]
    }

    fn label(&self, group: &str, id: &str) -> String {
        crate::render::theme::site_label(self.strings, &self.site.config, group, id)
    }

    /// The site as every page shows it.
    fn base(&self) -> Shown<'_, SiteView> {
        Shown {
            view: &self.base,
            sig: self.base_sig,
        }
    }

    /// Product `i`'s card view, as a page shows it.
    fn card(&self, i: usize) -> CardShown<'_> {
        CardShown { views: self, i }
    }

    /// Product `i`'s card view without its HTML: what its own page shows
    /// of it (the card's HTML is for the pages that list it).
    fn product_view(&self, i: usize) -> Shown<'_, ProductCard> {
        Shown::of(&self.products, &self.product_sigs, i)
    }

    /// The views without card HTML of the products in `list`, in its
    /// order: what links to them shows.
    fn product_views(&self, list: &[usize]) -> Vec<Shown<'_, ProductCard>> {
        Shown::all(&self.products, &self.product_sigs, list)
    }

    /// The card views of the products in `list`, in its order.
    fn cards(&self, list: &[usize]) -> Vec<CardShown<'_>> {
        list.iter().map(|&i| self.card(i)).collect()
    }

    /// Product `i`'s card HTML, made now if no page showed it before.
    fn card_html(&self, i: usize) -> Option<&CardHtml> {
        self.cards[i]
            .get_or_init(|| {
                let pool = &self.card_scratch;
                let taken = pool.lock().ok().and_then(|mut p| p.pop());
                let mut scratch = taken.unwrap_or_else(|| scratch_context(self.strings, None));
                let html = card_html(self.theme, &mut scratch, &self.products[i]);
                if let Ok(mut p) = pool.lock() {
                    p.push(scratch);
                }
                html
            })
            .as_ref()
    }

    fn partner(&self, i: usize) -> Shown<'_, PartnerView> {
        Shown::of(&self.partners, &self.partner_sigs, i)
    }

    fn partner_list(&self, list: &[usize]) -> Vec<Shown<'_, PartnerView>> {
        Shown::all(&self.partners, &self.partner_sigs, list)
    }

    fn outcome(&self, i: usize) -> Shown<'_, outcome::OutcomeView> {
        Shown::of(&self.outcomes, &self.outcome_sigs, i)
    }

    fn outcome_list(&self, list: &[usize]) -> Vec<Shown<'_, outcome::OutcomeView>> {
        Shown::all(&self.outcomes, &self.outcome_sigs, list)
    }

    fn topic(&self, i: usize) -> Shown<'_, TopicView> {
        Shown::of(&self.topics, &self.topic_sigs, i)
    }

    fn topic_list(&self, list: &[usize]) -> Vec<Shown<'_, TopicView>> {
        Shown::all(&self.topics, &self.topic_sigs, list)
    }

    /// Where a page is and what it is called, with the navigation's
    /// section it is in.
    fn page_info(&self, path: &str, title: &str, lang: &str) -> PageInfo {
        let paths = &self.site.config.paths;
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        let section = [
            (&paths.partners, "partners"),
            (&paths.topics, "topics"),
            (&paths.outcomes, "outcomes"),
            (&paths.search, "search"),
        ]
        .iter()
        .find(|(seg, _)| seg.as_str() == first)
        .map(|(_, name)| *name)
        .unwrap_or("");
        PageInfo {
            path: path.to_string(),
            href: self.site.href(path),
            permalink: self.site.permalink(path),
            title: title.to_string(),
            lang: lang.to_string(),
            section,
        }
    }
}

/// A template context holding what every page shows: `t`, and `site` when
/// given. Each rendering thread keeps one and moves a page's own values in
/// and out of it, rather than copying these into every page's context.
fn scratch_context(strings: &Map<String, Value>, site: Option<&SiteView>) -> tera::Context {
    let mut c = tera::Context::new();
    c.insert("t", strings);
    if let Some(site) = site {
        c.insert("site", site);
    }
    c
}

fn short_hash(bytes: &[u8]) -> String {
    // FNV-1a: enough to bust caches when the stylesheet changes.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h as u32)
}

/// A page's template variables. Values built for the page are moved in:
/// `tera::Context::insert` serializes its argument again, and that copy
/// cost as much as rendering the page.
#[derive(Default)]
struct Ctx(Map<String, Value>);

impl Ctx {
    /// The variables of a page's typed inputs (see [`inputs`]), one per
    /// field.
    fn of<T: serde::Serialize>(inputs: &T) -> Ctx {
        // Serializing plain data into a `Value` cannot fail, and inputs
        // are structs, which serialize as objects.
        match serde_json::to_value(inputs) {
            Ok(Value::Object(map)) => Ctx(map),
            _ => Ctx::default(),
        }
    }

    /// About the size of the page: its body (whatever the object holding
    /// it is called) and the frame around it.
    fn size_hint(&self) -> usize {
        let body = self
            .0
            .values()
            .filter_map(|v| v.get("body")?.as_str())
            .map(str::len)
            .sum::<usize>();
        body + 16 * 1024
    }

    /// Renders `template` with this context's values moved into `scratch`
    /// (see [`scratch_context`]), and leaves `scratch` as it was.
    fn render_in(
        self,
        tera: &tera::Tera,
        template: &str,
        scratch: &mut tera::Context,
        views: &Views<'_>,
        out: &mut Vec<u8>,
    ) -> tera::Result<()> {
        let keys: Vec<String> = self.0.keys().cloned().collect();
        // Only a non-object is refused, and this is an object.
        scratch.extend(tera::Context::from_value(Value::Object(self.0)).unwrap_or_default());
        let result = tera.render_to(template, scratch, out);
        for key in keys {
            match key.as_str() {
                // A page that shows its own `site` (the home page's counts).
                "site" => scratch.insert("site", &views.base),
                "t" => scratch.insert("t", views.strings),
                _ => drop(scratch.remove(&key)),
            }
        }
        result
    }
}
/// Page keys by page path, from one render to the next.
pub type PageKeys = HashMap<String, u64>;

/// The part of a site an edit may have changed: a render with a scope
/// visits only these entities' pages (and the few pages every render
/// makes), and leaves everything else as the previous render made it.
/// [`crate::serve::incremental`] works out the scope of an edit.
#[derive(Debug, Default)]
pub struct Scope {
    /// Product pages, with their aliases and citation files.
    pub products: HashSet<usize>,
    /// Partner pages, their lists by role and their feeds.
    pub partners: HashSet<usize>,
    /// Topic pages and their feeds.
    pub topics: HashSet<usize>,
    pub outcomes: HashSet<usize>,
    /// Kind and year pages, by the group's path.
    pub groups: HashSet<String>,
    /// The site's feed: a product's card or topics changed.
    pub feeds: bool,
    /// Every feed: a topic's title, shown in entries of other feeds, changed.
    pub all_feeds: bool,
    /// The sitemap: a product's date, its `lastmod` without history, changed.
    pub sitemap: bool,
    /// The data files: some product's front matter changed.
    pub api: bool,
}

/// What a render made: the files, the pages it kept from the previous
/// render (output paths, not rendered again), every page's key, and the
/// views, for a later [`render_scoped`].
pub struct RenderOutput {
    pub files: Vec<OutputFile>,
    /// Output paths of the pages already written to the sink.
    pub written: Vec<String>,
    pub kept: Vec<String>,
    pub keys: PageKeys,
    pub views: ViewParts,
}

/// Renders every page of the site and the files its producers make, which
/// is the whole output. Pages whose key is in `previous` are skipped: the
/// caller holds them from the render that produced `previous`, made with
/// the same theme and configuration.
///
/// With `deferred`, each product's body is rendered by its page job, in
/// place of the empty one in `bodies` (see [`Deferred`]); with `index`,
/// the search index is being made meanwhile, and its files are among the
/// render's.
pub(crate) fn render_incremental(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
    previous: Option<&PageKeys>,
    sink: Option<&Staging>,
    deferred: Option<&Deferred<'_>>,
    index: Option<&dyn PendingFiles>,
) -> Result<RenderOutput, Error> {
    let views = Views::new(site, theme);
    let run = Run {
        previous,
        keys: PageKeys::new(),
        scope: None,
        sink,
        deferred,
        index,
    };
    finish(render_with(site, bodies, theme, &views, run)?, views)
}

/// Renders only what an edit within `scope` may have changed, given the
/// views (already brought up to date) and the keys of the render before
/// it. The files returned are the ones made again; every other output
/// file of the previous render stands. The keys returned are all pages'.
pub fn render_scoped(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
    views: Views<'_>,
    keys: PageKeys,
    scope: &Scope,
) -> Result<RenderOutput, Error> {
    let run = Run {
        previous: None,
        keys,
        scope: Some(scope),
        sink: None,
        deferred: None,
        index: None,
    };
    finish(render_with(site, bodies, theme, &views, run)?, views)
}

/// What [`render_with`] made: files, pages already written to the sink,
/// kept pages, keys.
type Made = (Vec<OutputFile>, Vec<String>, Vec<String>, PageKeys);

fn finish((files, written, kept, keys): Made, views: Views<'_>) -> Result<RenderOutput, Error> {
    Ok(RenderOutput {
        files,
        written,
        kept,
        keys,
        views: views.into_parts(),
    })
}

/// How a render runs: the keys of the render before it (pages with the
/// same key are kept), the keys it starts from, the scope of an edit, and
/// where finished pages go at once.
struct Run<'r> {
    previous: Option<&'r PageKeys>,
    keys: PageKeys,
    scope: Option<&'r Scope>,
    sink: Option<&'r Staging>,
    /// Products' bodies, rendered by their page jobs.
    deferred: Option<&'r Deferred<'r>>,
    /// The search index in the making.
    index: Option<&'r dyn PendingFiles>,
}

/// What the page kinds read: the site, its bodies, the theme, the views,
/// and the products' bodies when their page jobs render them.
#[derive(Clone, Copy)]
struct Env<'a> {
    site: &'a Site,
    bodies: &'a Bodies,
    theme: &'a Theme,
    views: &'a Views<'a>,
    deferred: Option<&'a Deferred<'a>>,
}

fn render_with(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
    views: &Views<'_>,
    run: Run<'_>,
) -> Result<Made, Error> {
    let env = Env {
        site,
        bodies,
        theme,
        views,
        deferred: run.deferred,
    };
    let mut plan = Plan {
        previous: run.previous,
        scope: run.scope,
        base_sig: views.base_sig,
        jobs: Vec::new(),
        kept: Vec::new(),
        keys: run.keys,
        keyed: run.deferred.is_none(),
    };
    let cited = plan_pages(&mut plan, env, run.sink.is_some());
    let Plan {
        jobs,
        kept,
        mut keys,
        keyed,
        ..
    } = plan;
    let mut kept: Vec<String> = kept.iter().map(|p| exec::output_path(p)).collect();
    let (mut files, mut written, made_keys) = exec::run(env, jobs, run.sink, run.previous)?;
    keys.extend(made_keys);
    producers::run(&mut Outputs {
        env,
        scope: run.scope,
        previous: run.previous,
        keyed,
        keys: &mut keys,
        files: &mut files,
        index: run.index,
        sink: run.sink,
        written: &mut written,
        kept: &mut kept,
        cited: &cited,
    })?;
    Ok((files, written, kept, keys))
}

/// Plans every page, kind by kind; of two pages at one path the later
/// wins. Returns the products whose citation files are left to
/// [`producers`].
fn plan_pages<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>, sink: bool) -> Vec<usize> {
    home::plan(plan, env);
    let cited = product::plan(plan, env, sink);
    partners::plan(plan, env);
    partner::plan(plan, env);
    topics::plan(plan, env);
    topic::plan(plan, env);
    outcomes::plan(plan, env);
    outcome::plan(plan, env);
    group::plan(plan, env);
    page::plan(plan, env);
    search::plan(plan, env);
    not_found::plan(plan, env);
    cited
}

/// A stage of the advocacy route and its outcomes, as the outcomes index
/// and the home page's board show it.
#[derive(serde::Serialize, Hash)]
struct StageGroup<'a> {
    stage: &'static str,
    label: String,
    /// One line on what an outcome at this stage has reached.
    description: String,
    outcomes: Vec<Shown<'a, outcome::OutcomeView>>,
}

/// The outcomes by stage, in the route's order. With `whole_route`, every
/// stage of the route is listed, empty or not, so that a reader sees where
/// nothing stands yet; "shelved" only when an outcome is shelved.
fn outcomes_by_stage<'a>(views: &'a Views<'_>, whole_route: bool) -> Vec<StageGroup<'a>> {
    STAGES
        .iter()
        .map(|&stage| StageGroup {
            stage,
            label: views.label("stages", stage),
            description: views.label("stage_descriptions", stage),
            outcomes: views
                .site
                .outcomes
                .iter()
                .enumerate()
                .filter(|(_, o)| o.meta.stage == stage)
                .map(|(i, _)| views.outcome(i))
                .collect(),
        })
        .filter(|g| !g.outcomes.is_empty() || (whole_route && g.stage != "shelved"))
        .collect()
}

/// A kind or a year, as the home page lists it.
#[derive(serde::Serialize, Hash)]
struct GroupLink<'a> {
    id: &'a str,
    label: String,
    href: String,
    count: usize,
}

fn groups<'a>(
    views: &Views<'_>,
    list: &'a [crate::model::Group],
    label_group: &str,
) -> Vec<GroupLink<'a>> {
    let label = |g: &crate::model::Group| {
        if label_group.is_empty() {
            g.id.clone()
        } else {
            views.label(&format!("{label_group}_plural"), &g.id)
        }
    };
    list.iter()
        .map(|g| GroupLink {
            id: &g.id,
            label: label(g),
            href: views.site.href(&g.path),
            count: g.products.len(),
        })
        .collect()
}

/// Indices of the `n` entries with the most products (none without).
fn most_used(len: usize, count: impl Fn(usize) -> usize, n: usize) -> Vec<usize> {
    let mut list: Vec<usize> = (0..len).filter(|&i| count(i) > 0).collect();
    list.sort_by(|&a, &b| count(b).cmp(&count(a)).then(a.cmp(&b)));
    list.truncate(n);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A card's HTML is made the first time a page shows it, once, and a
    /// page is keyed without making it.
    #[test]
    fn a_card_is_made_when_a_page_first_shows_it_not_when_keyed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let loaded = crate::content::load::load(&root, true).unwrap();
        let site = crate::model::build(&root, loaded, &mut Vec::new());
        let theme = Theme::load(&root, &site.config.theme, &site.config.ui_language).unwrap();
        let views = Views::new(&site, &theme);
        assert!(site.products.len() > 1 && theme.cards);
        assert!(views.cards.iter().all(|c| c.get().is_none()));
        let key = fingerprint(&views.card(0));
        assert!(views.cards[0].get().is_none(), "keying made the card");
        let shown = serde_json::to_value(views.card(0)).unwrap();
        let h2 = shown["cards"]["h2"]
            .as_str()
            .expect("the card's HTML is shown");
        let view = serde_json::to_value(&views.products[0]).unwrap();
        let title = view["title"].as_str().unwrap();
        assert!(h2.contains("<h2") && h2.contains(&crate::text::escape_html(title).to_string()));
        assert!(views.cards[0].get().is_some_and(Option::is_some));
        assert!(views.cards[1].get().is_none(), "a card no page showed");
        assert_eq!(key, fingerprint(&views.card(0)));
        assert_eq!(shown, serde_json::to_value(views.card(0)).unwrap());
    }

    /// The default theme's lists get a card's HTML alone; a theme whose
    /// lists are its own gets the whole view beside it, the key the same.
    #[test]
    fn a_card_brings_its_view_only_to_lists_that_may_read_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let loaded = crate::content::load::load(&root, true).unwrap();
        let site = crate::model::build(&root, loaded, &mut Vec::new());
        let mut theme = Theme::load(&root, &site.config.theme, &site.config.ui_language).unwrap();
        assert!(theme.cards_by_html);
        let (lean, key) = {
            let views = Views::new(&site, &theme);
            let card = views.card(0);
            (serde_json::to_value(&card).unwrap(), fingerprint(&card))
        };
        let keys: Vec<&String> = lean.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["cards"]);
        theme.cards_by_html = false;
        let views = Views::new(&site, &theme);
        let full = serde_json::to_value(views.card(0)).unwrap();
        assert_eq!(full["cards"], lean["cards"]);
        let view = serde_json::to_value(&views.products[0]).unwrap();
        for (field, value) in view.as_object().unwrap() {
            assert_eq!(&full[field], value, "{field}");
        }
        assert_eq!(fingerprint(&views.card(0)), key);
    }
}
