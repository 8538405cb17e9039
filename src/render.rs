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
//! edit applied in place ([`crate::incremental`]), a render with a
//! [`Scope`] goes further: it keeps the previous views but the touched
//! ones, and visits only the pages the edit can have changed.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::load::STAGES;
use crate::markdown::{Bodies, Deferred};
use crate::model::{Site, stage_rank};
use crate::text::fingerprint;
use crate::theme::{StaticSource, Theme, template_error};
use crate::write::{Content, OutputFile, Staging};

/// Everything a template may need about the site, computed once.
pub struct Views<'a> {
    pub site: &'a Site,
    pub strings: &'a Map<String, Value>,
    pub products: Vec<Value>,
    pub partners: Vec<Value>,
    pub outcomes: Vec<Value>,
    pub topics: Vec<Value>,
    /// Fingerprints of the views above, index for index; zero in a render
    /// that keys no page.
    product_sigs: Vec<u64>,
    partner_sigs: Vec<u64>,
    outcome_sigs: Vec<u64>,
    topic_sigs: Vec<u64>,
    base: Value,
    /// Every page shows `base`, so every key includes its fingerprint.
    base_sig: u64,
    /// Each product's entry in the data files, once made (see
    /// [`crate::api::product_entry`]).
    api: std::sync::Mutex<Vec<Option<String>>>,
}

fn sigs(views: &[Value], keyed: bool) -> Vec<u64> {
    if !keyed {
        return vec![0; views.len()];
    }
    views
        .par_iter()
        .map(|v| fingerprint(&v.to_string()))
        .collect()
}

/// What the views are made with besides the entity itself: labels in the
/// interface language and the partners' display names.
struct Labels<'a> {
    site: &'a Site,
    strings: &'a Map<String, Value>,
    /// A short name stands in for the full name only where no other
    /// partner shares it ("CARE" is three offices in the sample).
    short_counts: HashMap<&'a str, usize>,
}

impl<'a> Labels<'a> {
    fn new(site: &'a Site, strings: &'a Map<String, Value>) -> Labels<'a> {
        let mut short_counts: HashMap<&str, usize> = HashMap::new();
        for p in &site.partners {
            if let Some(s) = &p.meta.short_name {
                *short_counts.entry(s.as_str()).or_default() += 1;
            }
        }
        Labels {
            site,
            strings,
            short_counts,
        }
    }

    fn label(&self, group: &str, id: &str) -> String {
        crate::theme::site_label(self.strings, &self.site.config, group, id)
    }

    fn partner_link(&self, i: usize) -> Value {
        let site = self.site;
        let p = &site.partners[i];
        let label = match &p.meta.short_name {
            Some(s) if self.short_counts.get(s.as_str()) == Some(&1) => s.clone(),
            _ => p.meta.name.clone(),
        };
        json!({
            "id": p.meta.id,
            "name": p.meta.name,
            "short_name": p.meta.short_name,
            "label": label,
            "href": site.href(&p.path),
        })
    }

    /// The partners a product's card names; `partners_more` counts the rest,
    /// which its page lists by role.
    fn product(&self, i: usize) -> Value {
        let site = self.site;
        let lang = site.config.ui_language.as_str();
        let p = &site.products[i];
        let m = &p.meta;
        // A card is shown on each of its partners' pages: listing them all
        // would cost the square of a product's partners.
        let partners: Vec<Value> = p
            .partners
            .iter()
            .take(crate::model::LISTED_PARTNERS)
            .map(|(i, _)| self.partner_link(*i))
            .collect();
        let more = p
            .partners
            .len()
            .saturating_sub(crate::model::LISTED_PARTNERS);
        json!({
            "href": site.href(&p.path),
            "path": p.path,
            "title": m.title,
            "subtitle": m.subtitle,
            "kind": m.kind,
            "kind_label": self.label("kinds", &m.kind),
            "kind_plural": self.label("kinds_plural", &m.kind),
            "kind_href": site.href(&format!("/{}/{}/", site.config.paths.kinds, m.kind)),
            "date": m.date.iso(),
            "date_display": m.date.display(lang),
            "year": m.date.year,
            "summary": m.summary,
            // Cut once here rather than by a filter on every card.
            "summary_short": m.summary.as_deref().map(|s| crate::text::truncate(s, 260)),
            "language": m.language,
            "partners": partners,
            "partners_more": (more > 0).then_some(more),
        })
    }

    fn topic(&self, t: usize) -> Value {
        let t = &self.site.topics[t];
        json!({
            "slug": t.slug,
            "title": t.title,
            "href": self.site.href(&t.path),
            "count": t.products.len(),
        })
    }
}

/// The views of a render without the site and theme they borrow, kept
/// between rebuilds of a watched site so that an edit recomputes only the
/// views it touched.
pub struct ViewParts {
    products: Vec<Value>,
    partners: Vec<Value>,
    outcomes: Vec<Value>,
    topics: Vec<Value>,
    product_sigs: Vec<u64>,
    partner_sigs: Vec<u64>,
    outcome_sigs: Vec<u64>,
    topic_sigs: Vec<u64>,
    base: Value,
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
    /// Without `keyed`, the fingerprints of the views, which only pages'
    /// keys read, are left at zero: they were seconds of serializing and
    /// hashing at 100,000 products.
    pub fn new(site: &'a Site, theme: &'a Theme, keyed: bool) -> Views<'a> {
        let strings = &theme.strings;
        let lang = site.config.ui_language.as_str();
        let labels = Labels::new(site, strings);
        let label = |group: &str, id: &str| labels.label(group, id);
        let partner_link = |i: usize| labels.partner_link(i);
        let products: Vec<Value> = (0..site.products.len())
            .into_par_iter()
            .map_init(
                || scratch_context(strings, None),
                |scratch, i| {
                    let mut v = labels.product(i);
                    add_cards(theme, scratch, &mut v);
                    v
                },
            )
            .collect();
        let partners: Vec<Value> = site
            .partners
            .iter()
            .map(|p| {
                let m = &p.meta;
                let mut v = partner_link(site.partner_ids[&m.id]);
                let obj = v.as_object_mut().expect("object");
                obj.insert("type".into(), json!(m.kind));
                obj.insert(
                    "type_label".into(),
                    json!(m.kind.as_deref().map(|k| label("partner_types", k))),
                );
                obj.insert("country".into(), json!(m.country));
                obj.insert(
                    "country_name".into(),
                    json!(
                        m.country
                            .as_deref()
                            .and_then(|c| crate::countries::name(c, lang))
                    ),
                );
                obj.insert("count".into(), json!(p.products.len()));
                obj.insert("members".into(), json!(p.members.len()));
                v
            })
            .collect();
        let outcomes: Vec<Value> = site
            .outcomes
            .iter()
            .map(|o| {
                let m = &o.meta;
                json!({
                    "id": m.id,
                    "href": site.href(&o.path),
                    "title": m.title,
                    "identifier": m.identifier,
                    "instrument": m.instrument,
                    "instrument_label": m.instrument.as_deref().map(|i| label("instruments", i)),
                    "stage": m.stage,
                    "stage_label": label("stages", &m.stage),
                    "date": m.date.map(|d| d.iso()),
                    "date_display": m.date.map(|d| d.display(lang)),
                    "jurisdiction": m.jurisdiction,
                    "jurisdiction_name": m.jurisdiction.as_deref().and_then(|c| crate::countries::name(c, lang)).or(m.jurisdiction.as_deref()),
                    "count": o.products.len(),
                })
            })
            .collect();
        let topics: Vec<Value> = (0..site.topics.len()).map(|t| labels.topic(t)).collect();
        let css = theme.static_bytes("css/ayni.css").unwrap_or_default();
        let cfg = &site.config;
        let base = json!({
            "title": cfg.title,
            "description": cfg.description,
            "base_url": cfg.base_url,
            "base_path": cfg.base_path,
            "language": cfg.language,
            "ui_language": cfg.ui_language,
            "css": format!("{}css/ayni.css?v={}", cfg.base_path, short_hash(&css)),
            "favicon": format!("{}favicon.svg", cfg.base_path),
            "nav": {
                "home": cfg.base_path,
                "partners": site.href(&format!("/{}/", cfg.paths.partners)),
                "topics": site.href(&format!("/{}/", cfg.paths.topics)),
                "outcomes": site.href(&format!("/{}/", cfg.paths.outcomes)),
                "search": site.href(&format!("/{}/", cfg.paths.search)),
            },
            // Standalone pages in the site's language, for the footer.
            "pages": site
                .pages
                .iter()
                .filter(|p| p.meta.language == cfg.language)
                .map(|p| json!({"title": p.meta.title, "href": site.href(&p.path)}))
                .collect::<Vec<_>>(),
        });
        Views {
            base_sig: fingerprint(&base.to_string()),
            api: std::sync::Mutex::new(vec![None; site.products.len()]),
            site,
            strings,
            product_sigs: sigs(&products, keyed),
            partner_sigs: sigs(&partners, keyed),
            outcome_sigs: sigs(&outcomes, keyed),
            topic_sigs: sigs(&topics, keyed),
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
            products: parts.products,
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
        let mut scratch = scratch_context(&theme.strings, None);
        for &i in products {
            views.api.get_mut().unwrap_or_else(|e| e.into_inner())[i] = None;
            views.products[i] = labels.product(i);
            add_cards(theme, &mut scratch, &mut views.products[i]);
            views.product_sigs[i] = fingerprint(&views.products[i].to_string());
        }
        for &t in topics {
            views.topics[t] = labels.topic(t);
            views.topic_sigs[t] = fingerprint(&views.topics[t].to_string());
        }
        views
    }

    /// The views without what they borrow, for [`Views::reuse`].
    pub fn into_parts(self) -> ViewParts {
        ViewParts {
            products: self.products,
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
        let entry = crate::api::product_entry(self.site, i);
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
            .map(|i| (i, crate::api::product_entry(self.site, i)))
            .collect();
        for (i, entry) in made {
            entries[i] = Some(entry);
        }
        let all: Vec<&str> = entries.iter().map(|e| e.as_deref().unwrap_or("")).collect();
        crate::api::files_with(self.site, &all)
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
        crate::theme::site_label(self.strings, &self.site.config, group, id)
    }

    fn cards(&self, list: &[usize]) -> Vec<Value> {
        pick(&self.products, list)
    }

    /// A context with the variables every page has.
    fn context(&self, path: &str, title: &str, lang: &str) -> Ctx {
        let mut ctx = Ctx::default();
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
        ctx.put(
            "page",
            json!({
                "path": path,
                "href": self.site.href(path),
                "permalink": self.site.permalink(path),
                "title": title,
                "lang": lang,
                "section": section,
            }),
        );
        ctx
    }
}

/// The heading levels lists show cards with; the default theme's lists
/// use these two.
const CARD_HEADINGS: [&str; 2] = ["h2", "h3"];

/// Adds to a product's view its card at each of [`CARD_HEADINGS`], made by
/// the theme's `card` macro, as `cards.h2` and `cards.h3`. `scratch` holds
/// `t`; it is reused from product to product.
fn add_cards(theme: &Theme, scratch: &mut tera::Context, view: &mut Value) {
    if !theme.cards {
        return;
    }
    scratch.insert("p", &*view);
    let mut cards = Map::new();
    for heading in CARD_HEADINGS {
        scratch.insert("heading", heading);
        // A card that fails here fails again, with its page named, where a
        // list calls the macro itself.
        let Ok(html) = theme.tera.render(crate::theme::CARD_TEMPLATE, scratch) else {
            return;
        };
        cards.insert(heading.into(), Value::String(html));
    }
    view["cards"] = Value::Object(cards);
}

/// A template context holding what every page shows: `t`, and `site` when
/// given. Each rendering thread keeps one and moves a page's own values in
/// and out of it, rather than copying these into every page's context.
fn scratch_context(strings: &Map<String, Value>, site: Option<&Value>) -> tera::Context {
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
    fn put(&mut self, key: &str, value: impl Into<Value>) {
        self.0.insert(key.to_string(), value.into());
    }

    fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        // Serializing plain data into a `Value` cannot fail.
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.0.insert(key.to_string(), value);
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

/// One page to render: template, output path, context. Most contexts are
/// made inside the parallel render, so they are built on every core and
/// do not all sit in memory at once.
struct Job<'a> {
    template: &'static str,
    path: String,
    ctx: Make<'a>,
    /// A product whose citation files, data entry and search result are
    /// made with its page, when pages are written as they are made: after
    /// the pages they were a tail of seconds at 100,000 products, on
    /// half-idle cores.
    product: Option<usize>,
}

enum Make<'a> {
    Ready(Ctx),
    Later(Box<dyn FnOnce() -> Ctx + Send + 'a>),
}

/// Page keys by page path, from one render to the next.
pub type PageKeys = HashMap<String, u64>;

/// The part of a site an edit may have changed: a render with a scope
/// visits only these entities' pages (and the few pages every render
/// makes), and leaves everything else as the previous render made it.
/// [`crate::incremental`] works out the scope of an edit.
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

/// The pages to render, and those the previous render already made.
struct Plan<'p, 'a> {
    /// Keys of the previous render. Without them, `keys` may start with
    /// them instead (a scoped render), or empty (a full one).
    previous: Option<&'p PageKeys>,
    /// Only the pages of these entities may have changed; the others are
    /// not visited at all.
    scope: Option<&'p Scope>,
    base_sig: u64,
    jobs: Vec<Job<'a>>,
    kept: Vec<String>,
    keys: PageKeys,
    /// Whether pages get keys: not in a build that defers bodies, which is
    /// made once and dropped (see [`crate::markdown::Deferred`]).
    keyed: bool,
}

impl<'a> Plan<'_, 'a> {
    /// Records the page's key; false when the previous render made the
    /// same page, which is then kept as it is. The key is made only when
    /// keys are kept: hashing what every page shows was a serial second
    /// before the render at 100,000 products, for keys a one-shot build
    /// never reads.
    fn needs(&mut self, path: &str, key: impl FnOnce() -> u64) -> bool {
        if !self.keyed {
            return true;
        }
        let key = fingerprint(&(key(), self.base_sig));
        if plan_keep(&mut self.keys, self.previous, path, key) {
            self.kept.push(path.to_string());
            false
        } else {
            true
        }
    }

    /// Whether this render is scoped and `inside` says an entity is not in
    /// its scope: its pages are then left as they are, keys and all.
    fn outside(&self, inside: impl FnOnce(&Scope) -> bool) -> bool {
        self.scope.is_some_and(|s| !inside(s))
    }

    fn push(&mut self, template: &'static str, path: String, ctx: Ctx) {
        self.jobs.push(Job {
            template,
            path,
            ctx: Make::Ready(ctx),
            product: None,
        });
    }

    fn defer(
        &mut self,
        template: &'static str,
        path: String,
        make: impl FnOnce() -> Ctx + Send + 'a,
    ) {
        self.jobs.push(Job {
            template,
            path,
            ctx: Make::Later(Box::new(make)),
            product: None,
        });
    }
}

/// One page of a paginated list: its path, the range of the list it
/// shows, and the paginator for the template.
struct ListPage {
    path: String,
    range: std::ops::Range<usize>,
    paginator: Value,
}

impl ListPage {
    /// The key of a list page: its place, what frames it, its items.
    fn key(&self, views: &Views<'_>, list: &[usize], frame: impl std::hash::Hash) -> u64 {
        let items: Vec<u64> = list[self.range.clone()]
            .iter()
            .map(|&i| views.product_sigs[i])
            .collect();
        fingerprint(&(&self.path, self.paginator.to_string(), items, frame))
    }
}

/// Splits `list` into pages at `/base/`, `/base/page/2/`, ... and gives each
/// its range of items and a paginator for the template.
fn paginate(views: &Views<'_>, base_path: &str, list: &[usize]) -> Vec<ListPage> {
    let per = views.site.config.paginate.max(1);
    let pages = list.len().div_ceil(per).max(1);
    let page_path = |n: usize| {
        if n == 1 {
            base_path.to_string()
        } else {
            format!("{base_path}page/{n}/")
        }
    };
    (1..=pages)
        .map(|n| {
            let range = ((n - 1) * per).min(list.len())..(n * per).min(list.len());
            let shown: Vec<usize> = (1..=pages)
                .filter(|&k| k == 1 || k == pages || k.abs_diff(n) <= 2)
                .collect();
            let numbers: Vec<Value> = shown
                .iter()
                .enumerate()
                .map(|(i, &k)| {
                    json!({
                        "number": k,
                        "href": views.site.href(&page_path(k)),
                        "current": k == n,
                        "gap_before": i > 0 && k - shown[i - 1] > 1,
                    })
                })
                .collect();
            let paginator = json!({
                "current": n,
                "total_pages": pages,
                "total_items": list.len(),
                "first_item": (n - 1) * per + 1,
                "last_item": (n * per).min(list.len()),
                "prev": (n > 1).then(|| views.site.href(&page_path(n - 1))),
                "next": (n < pages).then(|| views.site.href(&page_path(n + 1))),
                "pages": numbers,
            });
            ListPage {
                path: page_path(n),
                range,
                paginator,
            }
        })
        .collect()
}

fn index_file(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
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

/// Renders every page of the site; with the theme's and the site's static
/// files and `content/` attachments, this is the whole output.
pub fn render(site: &Site, bodies: &Bodies, theme: &Theme) -> Result<Vec<OutputFile>, Error> {
    Ok(render_incremental(site, bodies, theme, None, None, None)?.files)
}

/// [`render`], skipping the pages whose key is in `previous`: the caller
/// holds those pages from the render that produced `previous`, made with
/// the same theme and configuration.
///
/// With `deferred`, each product's body is rendered by its page job, in
/// place of the empty one in `bodies` (see [`Deferred`]).
pub fn render_incremental(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
    previous: Option<&PageKeys>,
    sink: Option<&Staging>,
    deferred: Option<&Deferred<'_>>,
) -> Result<RenderOutput, Error> {
    // A build that defers bodies keys no page (see `Plan::keyed`), so its
    // views need no fingerprints.
    let views = Views::new(site, theme, deferred.is_none());
    let run = Run {
        previous,
        keys: PageKeys::new(),
        scope: None,
        sink,
        deferred,
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
    };
    finish(render_with(site, bodies, theme, &views, run)?, views)
}

/// What [`render_with`] made: files, pages already written to the sink,
/// kept pages, keys.
type Made = (Vec<OutputFile>, Vec<String>, Vec<String>, PageKeys);

/// A rendered page: its path; the file, unless it was written already;
/// and the paths of the files written beside it.
type Rendered = (String, Option<OutputFile>, Vec<String>);

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
}

fn render_with(
    site: &Site,
    bodies: &Bodies,
    theme: &Theme,
    views: &Views<'_>,
    run: Run<'_>,
) -> Result<Made, Error> {
    let Run {
        previous,
        keys,
        scope,
        sink,
        deferred,
    } = run;
    let lang = site.config.language.as_str();
    let paths = &site.config.paths;
    let mut plan = Plan {
        previous,
        scope,
        base_sig: views.base_sig,
        jobs: Vec::new(),
        kept: Vec::new(),
        keys,
        keyed: deferred.is_none(),
    };

    // Home.
    {
        let mut ctx = views.context("/", &site.config.title, lang);
        // Counts only on the home page: in `base` they would make every
        // page stale whenever a product is added.
        let mut with_counts = views.base.clone();
        with_counts["counts"] = json!({
            "products": site.products.len(),
            "partners": site.partners.len(),
            "outcomes": site.outcomes.len(),
            "topics": site.topics.len(),
        });
        ctx.put("site", with_counts);
        let latest: Vec<usize> = {
            let mut all: Vec<usize> = (0..site.products.len()).collect();
            all.sort_by(|&a, &b| {
                site.products[b]
                    .meta
                    .date
                    .cmp(&site.products[a].meta.date)
                    .then(a.cmp(&b))
            });
            all.truncate(6);
            all
        };
        ctx.put("latest", views.cards(&latest));
        ctx.insert("intro", &bodies.home.as_ref().map(|b| b.html.as_str()));
        ctx.insert(
            "intro_title",
            &site.home.as_ref().and_then(|h| h.title.clone()),
        );
        let top_partners = most_used(site.partners.len(), |i| site.partners[i].products.len(), 12);
        ctx.put("partners", pick(&views.partners, &top_partners));
        let top_topics = most_used(site.topics.len(), |i| site.topics[i].products.len(), 16);
        ctx.put("topics", pick(&views.topics, &top_topics));
        ctx.put("stages", outcomes_by_stage(views));
        ctx.put("kinds", groups(views, &site.kinds, "kinds"));
        ctx.put("years", groups(views, &site.years, ""));
        ctx.insert(
            "years_chart",
            &crate::figures::years_figure(site, views.strings),
        );
        plan.push("home.html", "/".into(), ctx);
    }

    // Products.
    let mut cited = Vec::new();
    for (i, p) in site.products.iter().enumerate() {
        if plan.outside(|s| s.products.contains(&i)) {
            continue;
        }
        let m = &p.meta;
        for from in &p.aliases {
            let from = from.clone();
            let key = || fingerprint(&("alias", &from, &p.path, &m.title, &m.language));
            if !plan.needs(&from, key) {
                continue;
            }
            let mut ctx = views.context(&from, &m.title, &m.language);
            ctx.insert("target", &site.href(&p.path));
            ctx.insert("target_permalink", &site.permalink(&p.path));
            plan.push("alias.html", from, ctx);
        }
        let key = || {
            let publisher = m
                .source
                .as_ref()
                .and_then(|s| s.publisher.as_deref())
                .and_then(|id| site.partner_ids.get(id))
                .map(|&j| views.partner_sigs[j]);
            fingerprint(&(
                "product",
                &p.path,
                format!("{:?}", site.history.get(&m.doc.rel)),
                m.doc.file.fingerprint,
                bodies.generation,
                views.product_sigs[i],
                p.partners
                    .iter()
                    .map(|(j, roles)| (views.partner_sigs[*j], roles))
                    .collect::<Vec<_>>(),
                publisher,
                p.topics
                    .iter()
                    .map(|&t| views.topic_sigs[t])
                    .collect::<Vec<_>>(),
                p.outcomes
                    .iter()
                    .map(|(o, _)| views.outcome_sigs[*o])
                    .collect::<Vec<_>>(),
                p.related
                    .iter()
                    .chain(&p.translations)
                    .map(|&r| views.product_sigs[r])
                    .collect::<Vec<_>>(),
                p.files
                    .iter()
                    .map(|f| (&f.path, f.bytes, f.pdf.as_ref().map(|e| e.page_count)))
                    .collect::<Vec<_>>(),
            ))
        };
        if !plan.needs(&p.path, key) {
            // The citation files show what the page shows.
            for ext in ["bib", "ris", "json"] {
                plan.kept.push(format!("{}cite.{ext}", p.path));
            }
            continue;
        }
        plan.defer("product.html", p.path.clone(), move || {
        let mut ctx = views.context(&p.path, &m.title, &m.language);
        let (html, body) = match deferred.and_then(|d| d.render(i)) {
            Some(made) => made,
            None => (bodies.products[i].html.clone(), &*bodies.products[i]),
        };
        let mut product = views.products[i].clone();
        let obj = product.as_object_mut().expect("object");
        obj.insert("body".into(), Value::String(html));
        obj.insert(
            "toc".into(),
            Value::Array(
                body.headings
                    .iter()
                    .filter(|h| h.level == 2)
                    .map(|h| json!({"id": h.id, "text": h.text}))
                    .collect::<Vec<_>>()
            ),
        );
        obj.insert("words".into(), json!(body.words));
        obj.insert("authors".into(), json!(m.authors));
        obj.insert("topics".into(), Value::from(pick(&views.topics, &p.topics)));
        obj.insert(
            "outcomes".into(),
            Value::Array(
                p.outcomes
                    .iter()
                    .map(|(o, c)| with_field(&views.outcomes[*o], "contribution", json!(c)))
                    .collect::<Vec<_>>()
            ),
        );
        let mut roles: Vec<(usize, String, Vec<Value>)> = Vec::new();
        for (pi, rs) in &p.partners {
            for r in rs {
                let rank = crate::load::ROLES.iter().position(|x| x == r).unwrap_or(9);
                match roles.iter_mut().find(|(_, id, _)| id == r) {
                    Some((_, _, list)) => list.push(views.partners[*pi].clone()),
                    None => roles.push((rank, r.clone(), vec![views.partners[*pi].clone()])),
                }
            }
        }
        roles.sort_by_key(|(rank, _, _)| *rank);
        obj.insert(
            "partners_by_role".into(),
            Value::Array(
                roles
                    .into_iter()
                    .map(|(_, r, list)| {
                        let mut group =
                            json!({"role": r, "label": views.label("roles_plural", &r)});
                        // Moved in: `json!` would copy the partners once more.
                        group["partners"] = Value::Array(list);
                        group
                    })
                    .collect::<Vec<_>>()
            ),
        );
        obj.insert(
            "countries".into(),
            Value::Array(m.countries.iter().map(|c| json!({"code": c, "name": crate::countries::name(c, &site.config.ui_language).unwrap_or(c)})).collect::<Vec<_>>()),
        );
        obj.insert("regions".into(), json!(m.regions));
        obj.insert("sdgs".into(), json!(m.sdgs));
        obj.insert(
            "source".into(),
            json!(m.source.as_ref().map(|s| {
                let mut v = serde_json::to_value(s).unwrap_or(Value::Null);
                if let Some(pubr) = &s.publisher
                    && let Some(partner) = site.partner(pubr)
                {
                    v["publisher"] = json!(partner.meta.name);
                    v["publisher_href"] = json!(site.href(&partner.path));
                }
                v
            })),
        );
        obj.insert(
            "files".into(),
            Value::Array(
                p.files
                    .iter()
                    .map(|f| json!({
                        "href": site.href(&crate::markdown::url_escape(&f.path)),
                        "title": f.title,
                        "name": f.name,
                        "language": f.language,
                        "size": human_size(f.bytes),
                        // A PDF's page count, when it could be read.
                        "pages": f.pdf.as_ref().map(|e| e.page_count).filter(|n| *n > 0),
                        "format": f.name.rsplit('.').next().map(str::to_ascii_uppercase),
                    }))
                    .collect::<Vec<_>>()
            ),
        );
        obj.insert("license".into(), json!(m.license));
        obj.insert("related".into(), Value::from(views.cards(&p.related)));
        obj.insert("citation".into(), json!(crate::cite::formatted(site, p)));
        obj.insert("head_tags".into(), json!(crate::cite::head_tags(site, p)));
        obj.insert("translations".into(), Value::from(views.cards(&p.translations)));
        obj.insert(
            "changed".into(),
            json!(site.history.get(&m.doc.rel).and_then(|c| Some(json!({
                "datetime": c.datetime,
                "date_display": c.date()?.display(&site.config.ui_language),
                "author": c.author,
            })))),
        );
        ctx.put("product", product);
        ctx
        });
        match (sink, plan.jobs.last_mut()) {
            (Some(_), Some(job)) => job.product = Some(i),
            _ => cited.push(i),
        }
    }

    // Partners. The index shows every partner's view and the drawing of
    // the alliance, whose layout is the slowest part of a page: it is
    // made again only when its key changes.
    let index_key = || {
        fingerprint(&(
            "partners",
            &views.partner_sigs,
            crate::figures::alliance_key(site, &views.partner_sigs),
        ))
    };
    if plan.needs(&format!("/{}/", paths.partners), index_key) {
        let path = format!("/{}/", paths.partners);
        let mut ctx = views.context(&path, &views.label("ui", "partners"), lang);
        let mut by_type: BTreeMap<usize, (String, Vec<Value>)> = BTreeMap::new();
        let order = crate::load::PARTNER_TYPES;
        let mut sorted: Vec<usize> = (0..site.partners.len()).collect();
        sorted.sort_by_key(|&i| site.partners[i].meta.name.to_lowercase());
        for i in sorted {
            let t = site.partners[i]
                .meta
                .kind
                .clone()
                .unwrap_or_else(|| "other".into());
            let rank = order.iter().position(|x| *x == t).unwrap_or(order.len());
            by_type
                .entry(rank)
                .or_insert_with(|| (views.label("partner_types_plural", &t), Vec::new()))
                .1
                .push(views.partners[i].clone());
        }
        // Moved in: `json!` and `insert` would each copy every partner.
        let groups: Vec<Value> = by_type
            .into_values()
            .map(|(label, list)| {
                let mut group = json!({ "label": label });
                group["partners"] = Value::Array(list);
                group
            })
            .collect();
        ctx.put("groups", groups);
        ctx.insert(
            "network",
            &crate::figures::alliance_figure(site, views.strings, &views.partners),
        );
        plan.push("partners.html", path, ctx);
    }
    let per = site.config.paginate.max(1);
    for (i, p) in site.partners.iter().enumerate() {
        if plan.outside(|s| s.partners.contains(&i)) {
            continue;
        }
        for (role, list) in &p.by_role {
            if list.len() <= per {
                continue;
            }
            let more_path = format!("{}{}/", p.path, role);
            let title = format!("{} · {}", p.meta.name, views.label("roles_as", role));
            for page in paginate(views, &more_path, list) {
                let key = || page.key(views, list, ("list", &title, views.partner_sigs[i]));
                if !plan.needs(&page.path, key) {
                    continue;
                }
                let title = title.clone();
                plan.defer("list.html", page.path.clone(), move || {
                    let mut c = views.context(&page.path, &title, lang);
                    c.insert("heading", &title);
                    c.insert(
                        "parent",
                        &json!({"title": p.meta.name, "href": site.href(&p.path)}),
                    );
                    c.put("products", views.cards(&list[page.range.clone()]));
                    c.put("paginator", page.paginator);
                    c
                });
            }
        }
        // The neighbourhood drawing depends on ties between other partners
        // too, so the key takes what the drawing is made of.
        let key = || {
            fingerprint(&(
                "partner",
                crate::figures::ego_key(site, i, &views.partner_sigs),
                views.partner_sigs[i],
                p.meta.doc.file.fingerprint,
                bodies.generation,
                p.by_role
                    .iter()
                    .map(|(role, list)| {
                        let shown: Vec<u64> = list[..list.len().min(per)]
                            .iter()
                            .map(|&k| views.product_sigs[k])
                            .collect();
                        (role, list.len(), shown)
                    })
                    .collect::<Vec<_>>(),
                p.coauthors
                    .iter()
                    .map(|(j, n)| (views.partner_sigs[*j], n))
                    .collect::<Vec<_>>(),
                p.outcomes
                    .iter()
                    .map(|&o| views.outcome_sigs[o])
                    .collect::<Vec<_>>(),
                p.member_of
                    .iter()
                    .chain(&p.members)
                    .map(|&j| views.partner_sigs[j])
                    .collect::<Vec<_>>(),
            ))
        };
        if !plan.needs(&p.path, key) {
            continue;
        }
        plan.defer("partner.html", p.path.clone(), move || {
            let mut ctx = views.context(&p.path, &p.meta.name, lang);
            let mut partner = views.partners[i].clone();
            let obj = partner.as_object_mut().expect("object");
            obj.insert("body".into(), json!(bodies.partners[i].html));
            obj.insert("website".into(), json!(p.meta.website));
            obj.insert("ror".into(), json!(p.meta.ror));
            obj.insert(
                "logo".into(),
                json!(
                    p.meta
                        .logo
                        .as_ref()
                        .map(|l| site.href(&format!("/{}", l.value.trim_start_matches('/'))))
                ),
            );
            let mut roles = Vec::new();
            for (role, list) in &p.by_role {
                let more = (list.len() > per).then(|| format!("{}{}/", p.path, role));
                let mut group = json!({
                    "role": role,
                    "label": views.label("roles_as", role),
                    "count": list.len(),
                    "more": more.map(|m| site.href(&m)),
                });
                // Moved in: `json!` would copy the cards once more.
                group["products"] = Value::from(views.cards(&list[..list.len().min(per)]));
                roles.push(group);
            }
            obj.insert("by_role".into(), Value::Array(roles));
            obj.insert(
                "coauthors".into(),
                Value::Array(
                    p.coauthors
                        .iter()
                        .map(|(j, n)| with_field(&views.partners[*j], "shared", json!(n)))
                        .collect::<Vec<_>>(),
                ),
            );
            obj.insert(
                "outcomes".into(),
                Value::from(pick(&views.outcomes, &p.outcomes)),
            );
            obj.insert(
                "member_of".into(),
                Value::from(pick(&views.partners, &p.member_of)),
            );
            obj.insert(
                "member_list".into(),
                Value::from(pick(&views.partners, &p.members)),
            );
            obj.insert(
                "network".into(),
                crate::figures::ego_figure(site, views.strings, &views.partners, i),
            );
            ctx.put("partner", partner);
            ctx
        });
    }

    // Topics.
    {
        let path = format!("/{}/", paths.topics);
        let mut ctx = views.context(&path, &views.label("ui", "topics"), lang);
        let mut list: Vec<Value> = views
            .topics
            .iter()
            .filter(|t| t["count"].as_u64().unwrap_or(0) > 0)
            .cloned()
            .collect();
        list.sort_by_key(|t| crate::text::slugify(t["title"].as_str().unwrap_or("")));
        ctx.put("topics", list);
        plan.push("topics.html", path, ctx);
    }
    for (i, t) in site.topics.iter().enumerate() {
        if plan.outside(|s| s.topics.contains(&i)) {
            continue;
        }
        let description = t.meta.as_ref().map(|m| m.doc.file.fingerprint);
        for page in paginate(views, &t.path, &t.products) {
            let frame = ("topic", views.topic_sigs[i], description, bodies.generation);
            if !plan.needs(&page.path, || page.key(views, &t.products, frame)) {
                continue;
            }
            plan.defer("topic.html", page.path.clone(), move || {
                let mut ctx = views.context(&page.path, &t.title, lang);
                ctx.put("topic", views.topics[i].clone());
                ctx.insert(
                    "description",
                    &bodies.topics[i].as_ref().map(|b| b.html.clone()),
                );
                ctx.put("products", views.cards(&t.products[page.range.clone()]));
                ctx.put("paginator", page.paginator);
                ctx
            });
        }
    }

    // Outcomes.
    {
        let path = format!("/{}/", paths.outcomes);
        let mut ctx = views.context(&path, &views.label("ui", "outcomes"), lang);
        ctx.put("stages", outcomes_by_stage(views));
        plan.push("outcomes.html", path, ctx);
    }
    for (i, o) in site.outcomes.iter().enumerate() {
        if plan.outside(|s| s.outcomes.contains(&i)) {
            continue;
        }
        let key = || {
            fingerprint(&(
                "outcome",
                views.outcome_sigs[i],
                o.meta.doc.file.fingerprint,
                bodies.generation,
                o.products
                    .iter()
                    .map(|&k| views.product_sigs[k])
                    .collect::<Vec<_>>(),
                o.partners
                    .iter()
                    .map(|&j| views.partner_sigs[j])
                    .collect::<Vec<_>>(),
            ))
        };
        if !plan.needs(&o.path, key) {
            continue;
        }
        plan.defer("outcome.html", o.path.clone(), move || {
        let mut ctx = views.context(&o.path, &o.meta.title, lang);
        let mut outcome = views.outcomes[i].clone();
        let obj = outcome.as_object_mut().expect("object");
        obj.insert("body".into(), json!(bodies.outcomes[i].html));
        obj.insert("decision_maker".into(), json!(o.meta.decision_maker));
        obj.insert("url".into(), json!(o.meta.url));
        obj.insert("change_type".into(), json!(o.meta.change_type));
        obj.insert(
            "change_type_label".into(),
            json!(
                o.meta
                    .change_type
                    .as_deref()
                    .map(|c| views.label("change_types", c))
            ),
        );
        let rank = stage_rank(&o.meta.stage);
        let route: Vec<Value> = STAGES
            .iter()
            .filter(|s| **s != "shelved" || o.meta.stage == "shelved")
            .map(|s| {
                let r = stage_rank(s);
                json!({"stage": s, "label": views.label("stages", s), "current": r == rank, "passed": r < rank})
            })
            .collect();
        obj.insert("route".into(), json!(route));
        let mut contributions = Vec::new();
        for &pi in &o.products {
            let c = site.products[pi]
                .outcomes
                .iter()
                .find(|(x, _)| *x == i)
                .and_then(|(_, c)| c.clone());
            contributions.push(with_field(&views.products[pi], "contribution", json!(c)));
        }
        obj.insert("products".into(), json!(contributions));
        obj.insert("partners".into(), Value::from(pick(&views.partners, &o.partners)));
        ctx.put("outcome", outcome);
        ctx
        });
    }

    // Kinds and years.
    for (template, list) in [("kind.html", &site.kinds), ("year.html", &site.years)] {
        for g in list.iter() {
            if plan.outside(|s| s.groups.contains(&g.path)) {
                continue;
            }
            let title = if template == "kind.html" {
                views.label("kinds_plural", &g.id)
            } else {
                g.id.clone()
            };
            for page in paginate(views, &g.path, &g.products) {
                let key = || page.key(views, &g.products, (template, &title));
                if !plan.needs(&page.path, key) {
                    continue;
                }
                let title = title.clone();
                plan.defer(template, page.path.clone(), move || {
                    let mut ctx = views.context(&page.path, &title, lang);
                    ctx.put("group", json!({"id": g.id, "title": title}));
                    ctx.put("products", views.cards(&g.products[page.range.clone()]));
                    ctx.put("paginator", page.paginator);
                    ctx
                });
            }
        }
    }

    // Standalone pages.
    for (i, p) in site.pages.iter().enumerate() {
        let m = &p.meta;
        let mut ctx = views.context(&p.path, &m.title, &m.language);
        let body = &bodies.pages[i];
        let translations: Vec<Value> = p
            .translations
            .iter()
            .map(|&j| {
                let o = &site.pages[j];
                json!({
                    "title": o.meta.title,
                    "language": o.meta.language,
                    "href": site.href(&o.path),
                })
            })
            .collect();
        ctx.insert(
            "doc",
            &json!({
                "title": m.title,
                "description": m.description,
                "language": m.language,
                "body": body.html,
                "toc": body
                    .headings
                    .iter()
                    .filter(|h| h.level == 2)
                    .map(|h| json!({"id": h.id, "text": h.text}))
                    .collect::<Vec<_>>(),
                "translations": translations,
            }),
        );
        plan.push("page.html", p.path.clone(), ctx);
    }

    // Search page: the client reads its settings from a JSON script tag.
    {
        let path = format!("/{}/", paths.search);
        let mut ctx = views.context(&path, &views.label("ui", "search_title"), lang);
        let ui = views.strings.get("ui").cloned().unwrap_or_default();
        let ui_text = |k: &str| ui.get(k).cloned().unwrap_or(Value::Null);
        let config = json!({
            "index": site.href(&path),
            "strings": {
                "loading": ui_text("search_loading"),
                "none": ui_text("search_none"),
                "one": ui_text("search_one"),
                "many": ui_text("search_many"),
                "error": ui_text("search_error"),
                "clear": ui_text("search_clear"),
                "prompt": ui_text("search_prompt"),
                "corrected": ui_text("search_corrected"),
                "original": ui_text("search_original"),
                "partner": ui_text("facet_partner"),
                "topic": ui_text("facet_topic"),
                "kind": ui_text("facet_kind"),
                "outcome": ui_text("facet_outcome"),
                "year": ui_text("facet_year"),
            },
        });
        // `<` escaped so no string can close the script element.
        let config = serde_json::to_string(&config)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        let js = theme.static_bytes("js/search.js").unwrap_or_default();
        ctx.insert(
            "search",
            &json!({
                "config": config,
                "js": format!("{}js/search.js?v={}", site.config.base_path, short_hash(&js)),
            }),
        );
        plan.push("search.html", path, ctx);
    }

    // 404: written at the root, served for any missing path, so its links
    // must be absolute (they already carry `base_path`).
    {
        let ctx = views.context("/404.html", &views.label("ui", "not_found_title"), lang);
        plan.push("404.html", "/404.html".into(), ctx);
    }

    let tera = &theme.tera;
    let Plan {
        jobs,
        kept,
        keys,
        keyed,
        ..
    } = plan;
    let output_path = |path: &str| {
        if path.ends_with('/') {
            index_file(path)
        } else {
            path.trim_start_matches('/').to_string()
        }
    };
    let mut kept: Vec<String> = kept.iter().map(|p| output_path(p)).collect();
    let mut keys = keys;
    // Of two pages at one path the later wins, as it would on disk; pages
    // written as they are made must not race for it.
    let jobs = {
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (i, j) in jobs.iter().enumerate() {
            last.insert(j.path.as_str(), i);
        }
        let keep: Vec<bool> = (0..jobs.len())
            .map(|i| last.get(jobs[i].path.as_str()) == Some(&i))
            .collect();
        jobs.into_iter()
            .zip(keep)
            .filter_map(|(j, k)| k.then_some(j))
            .collect::<Vec<_>>()
    };
    let search_dir = crate::search::web::dir(site);
    let rendered: Result<Vec<Rendered>, Error> = jobs
        .into_par_iter()
        .map_init(
            || scratch_context(views.strings, Some(&views.base)),
            |scratch, job| {
                let ctx = match job.ctx {
                    Make::Ready(ctx) => ctx,
                    Make::Later(make) => make(),
                };
                // Room for the page's own text and the frame around it, so the
                // buffer seldom grows; bytes go out without a UTF-8 check.
                let mut html = Vec::with_capacity(ctx.size_hint());
                ctx.render_in(tera, job.template, scratch, views, &mut html)
                    .map_err(|e| {
                        Error::Template(format!(
                            "{} (page {}): {}",
                            job.template,
                            job.path,
                            template_error(&e)
                        ))
                    })?;
                let file = OutputFile {
                    path: output_path(&job.path),
                    content: Content::Bytes(html),
                };
                // With a sink the page goes to disk now and only its path is
                // kept: a large site's pages never sit in memory all at once.
                match sink {
                    Some(staging) => {
                        staging.put(&file)?;
                        let mut beside = Vec::new();
                        if let Some(i) = job.product {
                            views.api_entry(i);
                            let cites = crate::cite::product_files(site, &site.products[i]);
                            // Its search result, when an index is made.
                            let doc = deferred.and_then(|d| d.take_head(i)).map(|head| {
                                crate::search::web::doc_file(
                                    site,
                                    i,
                                    &head,
                                    views.strings,
                                    &search_dir,
                                )
                            });
                            for f in cites.iter().chain(&doc) {
                                staging.put(f)?;
                            }
                            beside.extend(cites.into_iter().chain(doc).map(|f| f.path));
                        }
                        Ok((file.path, None, beside))
                    }
                    None => Ok((file.path.clone(), Some(file), Vec::new())),
                }
            },
        )
        .collect();
    let rendered = rendered?;
    let mut written: Vec<String> = Vec::new();
    let mut out: Vec<OutputFile> = Vec::new();
    for (path, file, beside) in rendered {
        match file {
            Some(file) => out.push(file),
            None => written.push(path),
        }
        written.extend(beside);
    }

    // Feeds and the sitemap, before static files so a site's own
    // `static/robots.txt` replaces the generated one.
    let pages = match scope {
        None => sitemap_pages(
            site,
            out.iter()
                .map(|f| f.path.as_str())
                .chain(written.iter().map(String::as_str))
                .chain(kept.iter().map(String::as_str)),
        ),
        Some(s) if s.sitemap => {
            // Kept pages are not listed in a scoped render: every page has
            // a key, or was made now.
            let keyed: Vec<String> = keys
                .keys()
                .filter(|k| k.ends_with('/'))
                .map(|k| index_file(k))
                .collect();
            let made = out.iter().map(|f| f.path.as_str());
            let mut pages = sitemap_pages(site, made.chain(keyed.iter().map(String::as_str)));
            pages.dedup();
            pages
        }
        Some(_) => Vec::new(),
    };
    match scope {
        None => out.extend(crate::feeds::files(site, &pages)),
        Some(s) if s.all_feeds => out.extend(crate::feeds::feeds(site, true, None, None)),
        Some(s) => out.extend(crate::feeds::feeds(
            site,
            s.feeds,
            Some(&s.partners),
            Some(&s.topics),
        )),
    }
    if scope.is_some_and(|s| s.sitemap) {
        out.push(crate::feeds::sitemap(site, &pages));
    }
    // The data files show every product's front matter and the views of
    // partners and outcomes; bodies do not count.
    if scope.is_some_and(|s| s.api) {
        // A front matter changed, so they did; and no key is kept for
        // them, so that a later full render cannot take them for the ones
        // made before.
        keys.remove("@api");
        out.extend(views.api_files());
    } else if scope.is_none() {
        // Like a page, kept when its key is the previous render's; a build
        // that keys no page makes them without one.
        let keep = keyed && {
            let api_key = fingerprint(&(
                site.products
                    .iter()
                    .map(|p| {
                        let m = &p.meta;
                        (
                            &p.path,
                            fingerprint(&m.doc.file.text[..m.doc.body_start]),
                            p.files.iter().map(|f| f.bytes).collect::<Vec<_>>(),
                            &p.translations,
                        )
                    })
                    .collect::<Vec<_>>(),
                &views.partner_sigs,
                &views.outcome_sigs,
                &views.topic_sigs,
                &site.config.base_url,
            ));
            plan_keep(&mut keys, previous, "@api", api_key)
        };
        if keep {
            kept.extend(crate::api::paths(site));
        } else {
            out.extend(views.api_files());
        }
    }
    out.extend(crate::cite::files(site, &cited));
    if scope.is_some() {
        // Static files and attachments change only with files outside
        // `content/`'s Markdown, which a scoped render never follows.
        return Ok((out, written, kept, keys));
    }
    // Static files: the theme's, then the site's `static/`, then the
    // non-Markdown files of `content/` at their mirrored paths.
    for (rel, src) in &theme.statics {
        out.push(OutputFile {
            path: rel.clone(),
            content: match src {
                StaticSource::Embedded(t) => Content::Static(t),
                StaticSource::Disk(p) => Content::File(p.clone()),
            },
        });
    }
    for (rel, path) in crate::theme::walk_sources(&site.root, &site.root.join("static")) {
        out.push(OutputFile {
            path: rel,
            content: Content::File(path),
        });
    }
    for rel in &site.assets {
        out.push(OutputFile {
            path: crate::model::asset_url(rel)
                .trim_start_matches('/')
                .to_string(),
            content: Content::File(site.root.join("content").join(rel)),
        });
    }
    // Feeds, data files, citations and static files go to the sink now
    // too, after every page (a static file replaces a page at its path),
    // while the search index may still be in the making.
    if let Some(staging) = sink {
        staging.put_all(&out)?;
        written.extend(out.drain(..).map(|f| f.path));
    }
    Ok((out, written, kept, keys))
}

/// The URL paths of the HTML pages among `files` (output paths), sorted,
/// without the products' aliases, for the sitemap.
fn sitemap_pages<'f>(site: &Site, files: impl Iterator<Item = &'f str>) -> Vec<String> {
    let mut pages: Vec<String> = files
        .filter(|p| p.ends_with("index.html"))
        .map(|p| format!("/{}", p.trim_end_matches("index.html")))
        .collect();
    // Rendered pages come back in job order and kept ones after them; the
    // sitemap must not depend on which were kept.
    pages.sort();
    let aliases: HashSet<String> = site
        .products
        .iter()
        .flat_map(|p| p.aliases.iter().cloned())
        .collect();
    pages.into_iter().filter(|p| !aliases.contains(p)).collect()
}

/// [`Plan::needs`] for outputs made after the pages: records `key` under
/// `name` and says whether the previous render made the same.
fn plan_keep(keys: &mut PageKeys, previous: Option<&PageKeys>, name: &str, key: u64) -> bool {
    let old = keys.insert(name.to_string(), key);
    let before = match previous {
        Some(p) => p.get(name).copied(),
        None => old,
    };
    before == Some(key)
}

fn outcomes_by_stage(views: &Views<'_>) -> Vec<Value> {
    STAGES
        .iter()
        .map(|s| {
            let list: Vec<Value> = views
                .site
                .outcomes
                .iter()
                .enumerate()
                .filter(|(_, o)| o.meta.stage == *s)
                .map(|(i, _)| views.outcomes[i].clone())
                .collect();
            json!({"stage": s, "label": views.label("stages", s), "outcomes": list})
        })
        .filter(|v| v["outcomes"].as_array().is_some_and(|a| !a.is_empty()))
        .collect()
}

fn groups(views: &Views<'_>, list: &[crate::model::Group], label_group: &str) -> Vec<Value> {
    list.iter()
        .map(|g| {
            json!({
                "id": g.id,
                "label": if label_group.is_empty() { g.id.clone() } else { views.label(&format!("{label_group}_plural"), &g.id) },
                "href": views.site.href(&g.path),
                "count": g.products.len(),
            })
        })
        .collect()
}

/// The precomputed views of `list`'s entries, in its order.
/// A copy of a view with one more field, for what a view shows only in
/// one place (an outcome's contribution, a coauthor's shared count).
fn with_field(view: &Value, key: &str, value: Value) -> Value {
    let mut v = view.clone();
    if let Some(obj) = v.as_object_mut() {
        obj.insert(key.to_string(), value);
    }
    v
}

fn pick(views: &[Value], list: &[usize]) -> Vec<Value> {
    list.iter().map(|&i| views[i].clone()).collect()
}

/// Indices of the `n` entries with the most products (none without).
fn most_used(len: usize, count: impl Fn(usize) -> usize, n: usize) -> Vec<usize> {
    let mut list: Vec<usize> = (0..len).filter(|&i| count(i) > 0).collect();
    list.sort_by(|&a, &b| count(b).cmp(&count(a)).then(a.cmp(&b)));
    list.truncate(n);
    list
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}
