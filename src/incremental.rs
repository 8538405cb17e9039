//! Updates in place: how the preview applies an edit of some products to
//! the site it keeps in memory, instead of loading and resolving the whole
//! site again. It owns the decision (which edits can be applied this way)
//! and the scope of an edit (which pages, feeds and data files it can have
//! changed); the work itself is done by the pipeline's own stages, one
//! product at a time: [`crate::load::reread_product`],
//! [`crate::model::update_products`], [`crate::markdown::render_changed`]
//! and [`crate::render::render_scoped`].
//!
//! Anything it does not handle (a new, removed or renamed file, partners,
//! outcomes, topics' own files, `site.yaml`, templates, a commit, an edit
//! that moves a product to another URL or gives a list another page, a
//! content error) makes it step aside, and the session rebuilds as a
//! clean build would. The output is the same either way: the preview's
//! tests compare it, file for file, with a clean build after every kind of
//! edit.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::build::{Changes, Owner, Session, head_state};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::load::ProductMeta;
use crate::model::{Site, Update};
use crate::render::{Scope, Views};

/// One product's edit, with what the scope of the edit depends on.
struct Edit {
    index: usize,
    /// The front matter before the edit changed, so data files may have.
    front_matter: bool,
    /// Its headings changed, so links into it may point nowhere now.
    headings: bool,
    /// Its topics before the edit.
    topics: Vec<usize>,
}

impl Session {
    /// Applies an edit of `changed` files in place when they are all
    /// products the site already has, and the edit leaves the site's shape
    /// alone. `None` when it cannot (nothing is written then, and the
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
        let last = self.last.as_ref()?;
        let site = &last.site;

        // Load: read the changed files again, and nothing else.
        let mut rereads = Vec::new();
        for path in changed {
            let r =
                crate::load::reread_product(&root, path, drafts, &site.config, &self.caches.loads)?;
            if r.diags.iter().any(Diagnostic::is_error) {
                return None;
            }
            let index = site
                .products
                .iter()
                .position(|p| p.meta.doc.rel == r.meta.doc.rel)?;
            rereads.push((index, r));
        }
        // The same text saved again (or events that came late) changes
        // nothing.
        let edited: Vec<&(usize, crate::load::Reread)> = rereads
            .iter()
            .filter(|(i, r)| {
                site.products[*i].meta.doc.file.fingerprint != r.meta.doc.file.fingerprint
            })
            .collect();
        lap("load", &mut timings);

        // Markdown: the bodies of the edited products.
        let mut rendered = Vec::new();
        for (i, r) in &edited {
            let (body, diags) =
                crate::markdown::render_changed(site, &r.meta.doc, &mut self.caches.bodies);
            if diags.iter().any(Diagnostic::is_error) {
                return None;
            }
            let ids = |b: &crate::markdown::Rendered| {
                b.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>()
            };
            let headings = ids(&body) != ids(&last.bodies.products[*i]);
            rendered.push((*i, body, headings));
        }
        let edits: Vec<Edit> = edited
            .iter()
            .zip(&rendered)
            .map(|((i, r), (_, _, headings))| {
                let old = &site.products[*i];
                Edit {
                    index: *i,
                    front_matter: front_matter(&old.meta) != front_matter(&r.meta),
                    headings: *headings,
                    topics: old.topics.clone(),
                }
            })
            .collect();
        let metas: Vec<(usize, ProductMeta)> =
            edited.iter().map(|(i, r)| (*i, r.meta.clone())).collect();
        let edited_paths: HashSet<PathBuf> = edited
            .iter()
            .map(|(_, r)| r.meta.doc.file.path.clone())
            .collect();
        lap("markdown", &mut timings);

        // Model: from here on the site is changed, so any failure leaves
        // it to a full rebuild.
        let last = self.last.as_mut()?;
        let mut warnings = Vec::new();
        let update = crate::model::update_products(
            &mut last.site,
            metas,
            &mut self.caches.model,
            &mut warnings,
        )?;
        for (_, r) in &rereads {
            self.caches.loads.remember(r);
        }
        lap("model", &mut timings);
        for (i, body, _) in rendered {
            last.bodies.products[i] = body;
        }
        let mut errors = Vec::new();
        let anchors: Vec<(usize, bool)> = edits.iter().map(|e| (e.index, e.headings)).collect();
        crate::markdown::check_changed_anchors(&last.site, &last.bodies, &anchors, &mut errors);
        if !errors.is_empty() {
            self.views = None;
            return None;
        }
        // The edited files' warnings are made again; the others stand.
        let mut all = Diagnostics::default();
        all.extend(
            std::mem::take(&mut last.diagnostics)
                .into_iter()
                .filter(|d| d.path().is_none_or(|p| !edited_paths.contains(p))),
        );
        all.extend(warnings);
        last.diagnostics = all.sorted();

        // Render: the views the edit touched, then the pages in its scope.
        let parts = self.views.take()?;
        let ((_, theme), site, bodies) = (self.caches.theme.as_ref()?, &last.site, &last.bodies);
        let products: Vec<usize> = edits.iter().map(|e| e.index).collect();
        let before: Vec<u64> = products.iter().map(|&i| parts.product_sig(i)).collect();
        let topics_before: Vec<u64> = update.topics.iter().map(|&t| parts.topic_sig(t)).collect();
        let views = Views::reuse(site, theme, parts, &products, &update.topics);
        let scope = scope(site, &views, &edits, &before, &update, &topics_before);
        let keys = std::mem::take(&mut self.keys);
        let out = match crate::render::render_scoped(site, bodies, theme, views, keys, &scope) {
            Ok(out) => out,
            Err(e) => return Some(Err(e)),
        };
        lap("render", &mut timings);

        // Write: only the files made again, and of those only the ones
        // whose bytes changed.
        let rendered_pages = out
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count();
        // The edited products' pages first: they are what the editor is
        // waiting to see, and the data files can be large.
        let dir = self.opts.out_dir();
        let pages: HashSet<String> = products
            .iter()
            .map(|&i| {
                format!(
                    "{}index.html",
                    site.products[i].path.trim_start_matches('/')
                )
            })
            .collect();
        let (first, rest): (Vec<_>, Vec<_>) =
            out.files.into_iter().partition(|f| pages.contains(&f.path));
        let mut changes = match self.apply(&dir, &first, &[], Owner::Some) {
            Ok(c) => c,
            Err(e) => return Some(Err(e)),
        };
        match self.apply(&dir, &rest, &out.kept, Owner::Some) {
            Ok(c) => {
                changes.written.extend(c.written);
                changes.written.sort();
            }
            Err(e) => return Some(Err(e)),
        }
        lap("write", &mut timings);
        self.keys = out.keys;
        self.views = Some(out.views);
        changes.timings = timings;
        changes.rendered = rendered_pages;
        changes.kept = out.kept.len();
        changes.warnings = self
            .last
            .as_ref()
            .map(|l| l.diagnostics.clone())
            .unwrap_or_default();
        changes.in_place = true;
        Some(Ok(changes))
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
