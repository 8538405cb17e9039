//! Updates in place: how the preview applies an edit of some products (or
//! of the text of other documents) to the site it keeps in memory, instead of loading and resolving the whole
//! site again. It owns the decision (which edits can be applied this way)
//! and the scope of an edit (which pages, feeds and data files it can have
//! changed); the work itself is done by the pipeline's own stages, one
//! document at a time: [`crate::content::load::reread`],
//! [`crate::model::update_products`], [`crate::markdown::render_changed`]
//! and [`crate::render::render_scoped`].
//!
//! Anything it does not handle (a new, removed or renamed file, the front
//! matter of partners, outcomes, topics and pages, `site.yaml`, templates,
//! a commit, an edit that moves a product to another URL or gives a list
//! another page, a content error) makes it step aside, and the session rebuilds as a
//! clean build would. The output is the same either way: the preview's
//! tests compare it, file for file, with a clean build after every kind of
//! edit.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::load::{Doc, ProductMeta, Reread};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::markdown::{Bodies, RenderedBody};
use crate::model::history::head_state;
use crate::model::{Site, Update};
use crate::render::{Scope, Views};
use crate::serve::session::{Changes, Owner, Session};

/// One product's edit, with what the scope of the edit depends on.
struct Edit {
    index: usize,
    /// The front matter before the edit changed, so data files may have.
    front_matter: bool,
    /// Its topics before the edit.
    topics: Vec<usize>,
}

/// A document of the site, by its place in the model's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditTarget {
    Product(usize),
    Partner(usize),
    Outcome(usize),
    Topic(usize),
    Home,
    Page(usize),
}

impl EditTarget {
    /// The document of `site` at `rel`, other than a product.
    fn find(site: &Site, rel: &str) -> Option<EditTarget> {
        let at = |d: &Doc| d.rel == rel;
        if let Some(j) = site.partners.iter().position(|p| at(&p.meta.doc)) {
            return Some(EditTarget::Partner(j));
        }
        if let Some(o) = site.outcomes.iter().position(|o| at(&o.meta.doc)) {
            return Some(EditTarget::Outcome(o));
        }
        if let Some(t) = site
            .topics
            .iter()
            .position(|t| t.meta.as_ref().is_some_and(|m| at(&m.doc)))
        {
            return Some(EditTarget::Topic(t));
        }
        if site.home.as_ref().is_some_and(|h| at(&h.doc)) {
            return Some(EditTarget::Home);
        }
        site.pages
            .iter()
            .position(|p| at(&p.meta.doc))
            .map(EditTarget::Page)
    }

    fn doc<'s>(&self, site: &'s Site) -> Option<&'s Doc> {
        Some(match *self {
            EditTarget::Product(i) => &site.products[i].meta.doc,
            EditTarget::Partner(j) => &site.partners[j].meta.doc,
            EditTarget::Outcome(o) => &site.outcomes[o].meta.doc,
            EditTarget::Topic(t) => &site.topics[t].meta.as_ref()?.doc,
            EditTarget::Home => &site.home.as_ref()?.doc,
            EditTarget::Page(p) => &site.pages[p].meta.doc,
        })
    }

    fn doc_mut<'s>(&self, site: &'s mut Site) -> Option<&'s mut Doc> {
        Some(match *self {
            EditTarget::Product(i) => &mut site.products[i].meta.doc,
            EditTarget::Partner(j) => &mut site.partners[j].meta.doc,
            EditTarget::Outcome(o) => &mut site.outcomes[o].meta.doc,
            EditTarget::Topic(t) => &mut site.topics[t].meta.as_mut()?.doc,
            EditTarget::Home => &mut site.home.as_mut()?.doc,
            EditTarget::Page(p) => &mut site.pages[p].meta.doc,
        })
    }

    fn body<'b>(&self, bodies: &'b mut Bodies) -> Option<&'b mut Arc<RenderedBody>> {
        match *self {
            EditTarget::Product(i) => bodies.products.get_mut(i),
            EditTarget::Partner(j) => bodies.partners.get_mut(j),
            EditTarget::Outcome(o) => bodies.outcomes.get_mut(o),
            EditTarget::Topic(t) => bodies.topics.get_mut(t)?.as_mut(),
            EditTarget::Home => bodies.home.as_mut(),
            EditTarget::Page(p) => bodies.pages.get_mut(p),
        }
    }
}

impl Session {
    /// Applies an edit of `changed` files in place when they are all
    /// documents the site already has, products whose edit leaves the
    /// site's shape alone, or other documents whose front matter did not
    /// change. `None` when it cannot (nothing is written then, and the
    /// caller rebuilds everything).
    pub(crate) fn update_in_place(
        &mut self,
        changed: &BTreeSet<PathBuf>,
    ) -> Option<Result<Changes, Error>> {
        let mut timings: Vec<(&'static str, Duration)> = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
            timings.push((name, clock.elapsed()));
            clock = Instant::now();
        };
        let root = self.opts.root.clone();
        let drafts = self.opts.drafts;
        self.views.as_ref()?;
        self.caches.theme.as_ref()?;
        // A commit changes every page's history: only a full build reads it.
        match &self.caches.head {
            Some((seen, _)) if seen.is_some() && *seen == head_state(&root) => {}
            _ => return None,
        }
        let last = self.last.as_mut()?;

        // Load: read the changed files again, and nothing else.
        let rereads = reread_all(&root, drafts, &last.site, &self.caches.loads, changed)?;
        lap("load", &mut timings);

        // Markdown: the bodies of the edited documents.
        let rendered = render_all(last, &rereads, &mut self.caches.bodies)?;
        let (edits, metas, edited_paths) = product_edits(&last.site, &rereads);
        lap("markdown", &mut timings);

        // Model: from here on the site is changed, so any failure leaves
        // it to a full rebuild.
        let mut warnings = Vec::new();
        let update = update_model(last, &mut self.caches, metas, &rereads, &mut warnings)?;
        lap("model", &mut timings);
        if !install_bodies(last, &rendered)? {
            self.views = None;
            return None;
        }
        replace_warnings(last, &edited_paths, warnings);

        // Render: the views the edit touched, then the pages in its scope.
        let parts = self.views.take()?;
        let ((_, theme), site, bodies) = (self.caches.theme.as_ref()?, &last.site, &last.bodies);
        let products: Vec<usize> = edits.iter().map(|e| e.index).collect();
        let before: Vec<u64> = products.iter().map(|&i| parts.product_sig(i)).collect();
        let topics_before: Vec<u64> = update.topics.iter().map(|&t| parts.topic_sig(t)).collect();
        let views = Views::reuse(site, theme, parts, &products, &update.topics);
        let mut scope = scope(site, &views, &edits, &before, &update, &topics_before);
        add_documents(&mut scope, &rendered);
        let keys = std::mem::take(&mut self.keys);
        let out = match crate::render::render_scoped(site, bodies, theme, views, keys, &scope) {
            Ok(out) => out,
            Err(e) => return Some(Err(e)),
        };
        lap("render", &mut timings);

        // Write: only the files made again, and of those only the ones
        // whose bytes changed.
        let rendered_pages = out.files.iter().filter(|f| is_page(&f.path)).count();
        let pages = edited_pages(site, &products);
        let mut changes = match self.write_edited_first(&pages, out.files, &out.kept) {
            Ok(c) => c,
            Err(e) => return Some(Err(e)),
        };
        lap("write", &mut timings);
        self.keys = out.keys;
        self.views = Some(out.views);
        changes.timings = timings;
        changes.rendered = rendered_pages;
        changes.kept = out.kept.len();
        let last = self.last.as_ref();
        changes.warnings = last.map(|l| l.diagnostics.clone()).unwrap_or_default();
        changes.in_place = true;
        Some(Ok(changes))
    }
}

/// The changed files read again, with what each is the document of;
/// `None` when one cannot be applied in place: it has errors, is new, or
/// is not a product and its front matter changed. Files saved with the
/// same text are left out.
fn reread_all(
    root: &Path,
    drafts: bool,
    site: &Site,
    loads: &crate::content::load::LoadCache,
    changed: &BTreeSet<PathBuf>,
) -> Option<Vec<(EditTarget, Reread)>> {
    let mut rereads = Vec::new();
    for path in changed {
        let r = crate::content::load::reread(root, path, drafts, &site.config, loads)?;
        if r.diags.iter().any(Diagnostic::is_error) {
            return None;
        }
        let doc = r.doc()?;
        let target = match r.product() {
            Some(_) => EditTarget::Product(
                site.products
                    .iter()
                    .position(|p| p.meta.doc.rel == doc.rel)?,
            ),
            None => {
                // Partners, outcomes, topics and pages name, group and
                // link other things in their front matter: only their
                // body is followed here.
                let target = EditTarget::find(site, &doc.rel)?;
                let old = target.doc(site)?;
                if old.file.text[..old.body_start] != doc.file.text[..doc.body_start] {
                    return None;
                }
                target
            }
        };
        // The same text saved again (or events that came late) changes
        // nothing.
        if target.doc(site)?.file.fingerprint != doc.file.fingerprint {
            rereads.push((target, r));
        }
    }
    Some(rereads)
}

/// A document's body made again, with its path and whether its headings'
/// ids changed (links to them are checked again then).
type Remade = (EditTarget, Arc<RenderedBody>, String, bool);

/// The bodies of the edited documents; `None` when one has an error.
fn render_all(
    last: &mut crate::build::Rendered,
    rereads: &[(EditTarget, Reread)],
    cache: &mut crate::markdown::BodyCache,
) -> Option<Vec<Remade>> {
    let mut rendered = Vec::new();
    for (target, r) in rereads {
        let doc = r.doc()?;
        let (body, diags) = crate::markdown::render_changed(&last.site, doc, cache);
        if diags.iter().any(Diagnostic::is_error) {
            return None;
        }
        let ids = |b: &RenderedBody| b.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        let headings = ids(&body) != ids(target.body(&mut last.bodies)?);
        rendered.push((*target, body, doc.rel.clone(), headings));
    }
    Some(rendered)
}

/// The edited products: what changed of each, their new front matter,
/// and their files (whose warnings are made again).
fn product_edits(
    site: &Site,
    rereads: &[(EditTarget, Reread)],
) -> (Vec<Edit>, Vec<(usize, ProductMeta)>, HashSet<PathBuf>) {
    let mut edits = Vec::new();
    let mut metas = Vec::new();
    let mut edited_paths = HashSet::new();
    for (target, r) in rereads {
        if let (EditTarget::Product(i), Some(meta)) = (target, r.product()) {
            let old = &site.products[*i];
            edits.push(Edit {
                index: *i,
                front_matter: front_matter(&old.meta) != front_matter(meta),
                topics: old.topics.clone(),
            });
            metas.push((*i, meta.clone()));
            edited_paths.insert(meta.doc.file.path.clone());
        }
    }
    (edits, metas, edited_paths)
}

/// Updates the model with the edited products' front matter and the
/// other documents read again; `None` when the edit changes the site's
/// shape. From here on the site is changed, so any failure leaves it to a
/// full rebuild.
fn update_model(
    last: &mut crate::build::Rendered,
    caches: &mut crate::build::Caches,
    metas: Vec<(usize, ProductMeta)>,
    rereads: &[(EditTarget, Reread)],
    warnings: &mut Vec<Diagnostic>,
) -> Option<Update> {
    let update = crate::model::update_products(&mut last.site, metas, &mut caches.model, warnings)?;
    for (target, r) in rereads {
        caches.loads.remember(r);
        if !matches!(target, EditTarget::Product(_)) {
            *target.doc_mut(&mut last.site)? = r.doc()?.clone();
        }
    }
    Some(update)
}

/// Puts the bodies made again in place and checks the links to headings
/// whose ids changed: false when one of them is broken now.
fn install_bodies(last: &mut crate::build::Rendered, rendered: &[Remade]) -> Option<bool> {
    for (target, body, _, _) in rendered {
        *target.body(&mut last.bodies)? = body.clone();
    }
    let mut errors = Vec::new();
    let anchors: Vec<(&str, bool)> = rendered
        .iter()
        .map(|(_, _, rel, headings)| (rel.as_str(), *headings))
        .collect();
    crate::markdown::check_changed_anchors(&last.site, &last.bodies, &anchors, &mut errors);
    Some(errors.is_empty())
}

/// The edited products' warnings are made again; the others stand (other
/// documents kept their front matter, so their warnings).
fn replace_warnings(
    last: &mut crate::build::Rendered,
    edited: &HashSet<PathBuf>,
    warnings: Vec<Diagnostic>,
) {
    let mut all = Diagnostics::default();
    all.extend(
        std::mem::take(&mut last.diagnostics)
            .into_iter()
            .filter(|d| d.path().is_none_or(|p| !edited.contains(p))),
    );
    all.extend(warnings);
    last.diagnostics = all.sorted();
}

/// Adds to `scope` the pages of the partners, outcomes and topics whose
/// body was edited.
fn add_documents(scope: &mut Scope, rendered: &[Remade]) {
    for (target, ..) in rendered {
        match *target {
            EditTarget::Partner(j) => _ = scope.partners.insert(j),
            EditTarget::Outcome(o) => _ = scope.outcomes.insert(o),
            EditTarget::Topic(t) => _ = scope.topics.insert(t),
            // Every render visits the home page and standalone pages.
            EditTarget::Product(_) | EditTarget::Home | EditTarget::Page(_) => {}
        }
    }
}

fn is_page(path: &str) -> bool {
    path.ends_with(".html")
}

/// The output paths of the products' pages.
fn edited_pages(site: &Site, products: &[usize]) -> HashSet<String> {
    products
        .iter()
        .map(|&i| {
            format!(
                "{}index.html",
                site.products[i].path.trim_start_matches('/')
            )
        })
        .collect()
}

impl Session {
    /// Writes the files an in-place edit made again, the edited products'
    /// pages first: they are what the editor is waiting to see, and the
    /// data files can be large.
    fn write_edited_first(
        &mut self,
        pages: &HashSet<String>,
        files: Vec<crate::build::write::OutputFile>,
        kept: &[String],
    ) -> Result<Changes, Error> {
        let dir = self.opts.out_dir();
        let (first, rest): (Vec<_>, Vec<_>) =
            files.into_iter().partition(|f| pages.contains(&f.path));
        let mut changes = self.apply(&dir, &first, &[], Owner::Some)?;
        let c = self.apply(&dir, &rest, kept, Owner::Some)?;
        changes.written.extend(c.written);
        changes.written.sort();
        Ok(changes)
    }
}

/// A product's front matter, which the data files show.
fn front_matter(meta: &ProductMeta) -> &str {
    &meta.doc.file.text[..meta.doc.body_start]
}

/// The pages, feeds and data files an edit can have changed: those that
/// show an edited product's view (its card), its topics, or lists it moved
/// in, and every product page whose related products changed. Pages whose
/// key is unchanged are then still kept as they are.
fn scope(
    site: &Site,
    views: &Views<'_>,
    edits: &[Edit],
    before: &[u64],
    update: &Update,
    topics_before: &[u64],
) -> Scope {
    let mut scope = Scope {
        all_feeds: update.retitled,
        sitemap: update.dates,
        ..Scope::default()
    };
    // Cards of these products changed wherever they are shown.
    let mut shown: HashSet<usize> = HashSet::new();
    for (e, &sig) in edits.iter().zip(before) {
        let i = e.index;
        let p = &site.products[i];
        scope.products.insert(i);
        scope.api |= e.front_matter;
        let card = views.product_sig(i) != sig;
        if card || e.topics != p.topics {
            shown.insert(i);
            scope.partners.extend(p.partners.iter().map(|(j, _)| *j));
            scope.outcomes.extend(p.outcomes.iter().map(|(o, _)| *o));
            scope.topics.extend(p.topics.iter().chain(&e.topics));
            for list in [&site.kinds, &site.years] {
                scope.groups.extend(
                    list.iter()
                        .filter(|g| g.products.contains(&i))
                        .map(|g| g.path.clone()),
                );
            }
            scope.feeds = true;
        }
    }
    scope.groups.extend(update.groups.iter().cloned());
    scope.products.extend(&update.related);
    scope.topics.extend(&update.topics);
    for (&t, &sig) in update.topics.iter().zip(topics_before) {
        if views.topic_sig(t) != sig {
            scope.products.extend(&site.topics[t].products);
        }
    }
    if !shown.is_empty() {
        // Related products and translations show the card too.
        for (j, p) in site.products.iter().enumerate() {
            if p.related
                .iter()
                .chain(&p.translations)
                .any(|k| shown.contains(k))
            {
                scope.products.insert(j);
            }
        }
    }
    scope
}
