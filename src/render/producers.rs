//! The outputs made beside the pages: feeds, the sitemap and robots.txt,
//! the data files, the citation files, the search files and the static
//! files. Each is a [`Producer`]; [`PRODUCERS`] is the list a render runs,
//! in order (a static file replaces a generated file at its path, so the
//! static files come last).
//!
//! A producer makes its files after the pages, from the whole site, and
//! may make some with each product's page instead ([`Producer::beside`]),
//! when pages are written as they are made: those go out with the page
//! rather than wait for all of them.

use std::collections::HashSet;

use super::plan::plan_keep;
use super::{Env, PageKeys, Scope};
use crate::build::write::{Content, OutputFile, Staging};
use crate::error::Error;
use crate::model::Site;
use crate::render::theme::StaticSource;
use crate::search::stage::PendingFiles;
use crate::text::fingerprint;

/// What producers read and add to: the render's site and views, its scope
/// and page keys, and the files made so far.
pub(super) struct Outputs<'r, 'a> {
    pub(super) env: Env<'a>,
    /// The scope of an edit, in a scoped render.
    pub(super) scope: Option<&'r Scope>,
    /// The keys of the previous render, when its files are at hand.
    pub(super) previous: Option<&'r PageKeys>,
    /// Whether this render keeps keys (see [`super::plan::Plan::keyed`]).
    pub(super) keyed: bool,
    pub(super) keys: &'r mut PageKeys,
    /// Files made, pages first.
    pub(super) files: &'r mut Vec<OutputFile>,
    /// Where files go as they are made, if anywhere (a build's staging
    /// folder).
    pub(super) sink: Option<&'r Staging>,
    /// Output paths of the files written to the sink already.
    pub(super) written: &'r mut Vec<String>,
    /// Output paths of the files the previous render made and this one
    /// keeps.
    pub(super) kept: &'r mut Vec<String>,
    /// Products whose citation files were not made with their page.
    pub(super) cited: &'r [usize],
    /// The search index, when it is being made beside the render.
    pub(super) index: Option<&'r dyn PendingFiles>,
}

/// One kind of output file a render makes besides its pages.
pub(super) trait Producer: Sync {
    /// Its name: its key, if any, is kept among the pages' as `@name`.
    fn name(&self) -> &'static str;

    /// Whether a render within `scope` makes its files again.
    fn in_scope(&self, scope: &Scope) -> bool;

    /// A fingerprint of what its files show: when the previous render had
    /// the same, its files are kept, not made again.
    fn key(&self, _out: &Outputs<'_, '_>) -> Option<u64> {
        None
    }

    /// The output paths of its files, for a render that keeps them.
    fn paths(&self, _site: &Site) -> Vec<String> {
        Vec::new()
    }

    /// The files it makes with product `i`'s page, when pages are written
    /// as they are made.
    fn beside(&self, _env: Env<'_>, _i: usize) -> Vec<OutputFile> {
        Vec::new()
    }

    /// Keeps in `staging` the files [`Producer::beside`] would make, as
    /// the output has them, and returns their paths; `None` when it cannot,
    /// and they are made. Asked only when product `i`'s page is kept and
    /// its body is the last build's (see [`crate::markdown::Deferred`]):
    /// the page's inputs then hold all that these files show.
    fn keep_beside(&self, _env: Env<'_>, _i: usize, _staging: &Staging) -> Option<Vec<String>> {
        Some(Vec::new())
    }

    /// Adds its files to `out.files`.
    fn produce(&self, out: &mut Outputs<'_, '_>) -> Result<(), Error>;

    /// Adds the files it waits for, once every producer has made its own
    /// and those are written: the search index's, made on another thread
    /// meanwhile. They come last, and replace any file at their path.
    fn collect(&self, _out: &mut Outputs<'_, '_>) -> Result<(), Error> {
        Ok(())
    }
}

/// Every producer, in the order their files are written.
pub(super) const PRODUCERS: [&dyn Producer; 6] = [
    &Feeds,
    &Sitemap,
    &DataFiles,
    &Citations,
    &SearchFiles,
    &StaticFiles,
];

/// Runs [`PRODUCERS`]: each makes its files, which go to the sink, if
/// any, after every page; then each collects what it waited for.
pub(super) fn run(out: &mut Outputs<'_, '_>) -> Result<(), Error> {
    produce(out)?;
    out.flush()?;
    for producer in PRODUCERS {
        producer.collect(out)?;
    }
    out.flush()
}

impl Outputs<'_, '_> {
    /// Writes the files made so far to the sink, if there is one, so they
    /// are not held to the end.
    fn flush(&mut self) -> Result<(), Error> {
        if let Some(staging) = self.sink {
            staging.put_all(self.files)?;
            self.written.extend(self.files.drain(..).map(|f| f.path));
        }
        Ok(())
    }
}

/// Each producer's own files, or those of the previous render it keeps.
fn produce(out: &mut Outputs<'_, '_>) -> Result<(), Error> {
    for producer in PRODUCERS {
        let name = format!("@{}", producer.name());
        if let Some(scope) = out.scope {
            if producer.in_scope(scope) {
                // Made again, and no key is kept for it, so that a later
                // full render cannot take its files for the ones made
                // before.
                out.keys.remove(&name);
                producer.produce(out)?;
            }
            continue;
        }
        // A render that keys no page makes them without a key.
        if out.keyed
            && let Some(key) = producer.key(out)
            && plan_keep(out.keys, out.previous, &name, key)
        {
            out.kept.extend(producer.paths(out.env.site));
            continue;
        }
        producer.produce(out)?;
    }
    Ok(())
}

/// The site's Atom feeds and those of its partners and topics.
struct Feeds;

impl Producer for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }

    /// A scoped render makes the feeds its scope names (see [`Scope`]).
    fn in_scope(&self, _scope: &Scope) -> bool {
        true
    }

    fn produce(&self, out: &mut Outputs<'_, '_>) -> Result<(), Error> {
        let site = out.env.site;
        let feeds = match out.scope {
            None => crate::outputs::feeds::feeds(site, true, None, None),
            Some(s) if s.all_feeds => crate::outputs::feeds::feeds(site, true, None, None),
            Some(s) => {
                crate::outputs::feeds::feeds(site, s.feeds, Some(&s.partners), Some(&s.topics))
            }
        };
        out.files.extend(feeds);
        Ok(())
    }
}

/// The sitemap, and robots.txt, which names it (before the static files,
/// so that a site's own `static/robots.txt` replaces it).
struct Sitemap;

impl Producer for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn in_scope(&self, scope: &Scope) -> bool {
        scope.sitemap
    }

    fn produce(&self, out: &mut Outputs<'_, '_>) -> Result<(), Error> {
        let site = out.env.site;
        let made = out.files.iter().map(|f| f.path.as_str());
        if out.scope.is_none() {
            let pages = made
                .chain(out.written.iter().map(String::as_str))
                .chain(out.kept.iter().map(String::as_str));
            let pages = sitemap_pages(site, pages);
            out.files
                .extend(crate::outputs::feeds::sitemap_files(site, &pages));
            return Ok(());
        }
        // Kept pages are not listed in a scoped render: every page has a
        // key, or was made now.
        let keyed: Vec<String> = out
            .keys
            .keys()
            .filter(|k| k.ends_with('/'))
            .map(|k| super::plan::index_file(k))
            .collect();
        let mut pages = sitemap_pages(site, made.chain(keyed.iter().map(String::as_str)));
        pages.dedup();
        out.files.push(crate::outputs::feeds::sitemap(site, &pages));
        Ok(())
    }
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

/// The data files (see [`crate::outputs::api`]): every product's front matter and
/// the views of partners and outcomes; bodies do not count.
struct DataFiles;

impl Producer for DataFiles {
    fn name(&self) -> &'static str {
        "api"
    }

    /// Some product's front matter changed.
    fn in_scope(&self, scope: &Scope) -> bool {
        scope.api
    }

    fn key(&self, out: &Outputs<'_, '_>) -> Option<u64> {
        let Env { site, views, .. } = out.env;
        let products = site
            .products
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
            .collect::<Vec<_>>();
        Some(fingerprint(&(
            products,
            &views.partner_sigs,
            &views.outcome_sigs,
            &views.topic_sigs,
            &site.config.base_url,
        )))
    }

    fn paths(&self, site: &Site) -> Vec<String> {
        crate::outputs::api::paths(site)
    }

    /// The product's entry, kept for the data files: its front matter is
    /// at hand now.
    fn beside(&self, env: Env<'_>, i: usize) -> Vec<OutputFile> {
        env.views.api_entry(i);
        Vec::new()
    }

    fn keep_beside(&self, env: Env<'_>, i: usize, _staging: &Staging) -> Option<Vec<String>> {
        env.views.api_entry(i);
        Some(Vec::new())
    }

    fn produce(&self, out: &mut Outputs<'_, '_>) -> Result<(), Error> {
        out.files.extend(out.env.views.api_files());
        Ok(())
    }
}

/// The citation files of the products whose page did not write them.
struct Citations;

impl Producer for Citations {
    fn name(&self) -> &'static str {
        "cite"
    }

    fn in_scope(&self, _scope: &Scope) -> bool {
        true
    }

    fn beside(&self, env: Env<'_>, i: usize) -> Vec<OutputFile> {
        let site = env.site;
        match site.config.citation_files {
            true => crate::outputs::cite::product_files(site, &site.products[i]).to_vec(),
            false => Vec::new(),
        }
    }

    /// Nothing to keep without them. With them, the page links to the
    /// files instead of holding their texts: its key does not cover them,
    /// and they are made.
    fn keep_beside(&self, env: Env<'_>, _i: usize, _staging: &Staging) -> Option<Vec<String>> {
        (!env.site.config.citation_files).then(Vec::new)
    }

    fn produce(&self, out: &mut Outputs<'_, '_>) -> Result<(), Error> {
        out.files
            .extend(crate::outputs::cite::files(out.env.site, out.cited));
        Ok(())
    }
}

/// The search files of a build: each product's result, made with its page
/// from the start of its text, and the files of the index made beside the
/// render (see [`crate::search::stage`]). The preview makes its index
/// after the pages instead, and writes its files on its own.
struct SearchFiles;

impl Producer for SearchFiles {
    fn name(&self) -> &'static str {
        "search"
    }

    fn in_scope(&self, _scope: &Scope) -> bool {
        false
    }

    fn beside(&self, env: Env<'_>, i: usize) -> Vec<OutputFile> {
        // A known body's head is made only with its page; a result made
        // without it makes it now.
        let head = env.deferred.and_then(|d| {
            d.take_head(i)
                .or_else(|| d.spared(i).then(|| d.head_again(i)).flatten())
        });
        let Some(head) = head else {
            return Vec::new();
        };
        let dir = crate::search::web::dir(env.site);
        let result = crate::search::web::doc_file(env.site, i, &head, env.views.strings, &dir);
        let mut files = env.deferred.map(|d| d.take_blocks(i)).unwrap_or_default();
        files.push(result);
        files
    }

    /// The page shows what the result does, and the body's print stands
    /// for the excerpt.
    fn keep_beside(&self, env: Env<'_>, i: usize, staging: &Staging) -> Option<Vec<String>> {
        let deferred = env.deferred?;
        let path = crate::search::web::doc_path(&crate::search::web::dir(env.site), i);
        if !staging.keep(&path) {
            return None;
        }
        deferred.take_head(i);
        Some(vec![path])
    }

    /// Ends the texts' queue, so the index can finish, and makes the
    /// results of products no page made (none in a whole build) while it
    /// does.
    fn produce(&self, out: &mut Outputs<'_, '_>) -> Result<(), Error> {
        let Env {
            site,
            views,
            deferred,
            ..
        } = out.env;
        if let Some(d) = deferred {
            d.close();
            let dir = crate::search::web::dir(site);
            out.files
                .extend(d.take_heads().into_iter().map(|(i, head)| {
                    crate::search::web::doc_file(site, i, &head, views.strings, &dir)
                }));
            out.files.extend(d.take_all_blocks());
        }
        Ok(())
    }

    /// The index's files, once it is made, and those the output keeps.
    fn collect(&self, out: &mut Outputs<'_, '_>) -> Result<(), Error> {
        let Some(index) = out.index else {
            return Ok(());
        };
        let (files, kept) = index.take_files()?;
        out.files.extend(files);
        for path in kept {
            // Only the files the output has are known (see `Deferred`).
            if !out.sink.is_some_and(|sink| sink.keep(&path)) {
                return Err(Error::Output(format!(
                    "`{path}` is no longer in the output"
                )));
            }
            out.written.push(path);
        }
        Ok(())
    }
}

/// The theme's static files, then the site's `static/`, then the
/// non-Markdown files of `content/` at their mirrored paths, then the
/// covers of attached PDFs.
struct StaticFiles;

impl Producer for StaticFiles {
    fn name(&self) -> &'static str {
        "static"
    }

    /// They change only with files outside `content/`'s Markdown, which a
    /// scoped render never follows.
    fn in_scope(&self, _scope: &Scope) -> bool {
        false
    }

    fn produce(&self, out: &mut Outputs<'_, '_>) -> Result<(), Error> {
        let Env { site, theme, .. } = out.env;
        for (rel, src) in &theme.statics {
            out.files.push(OutputFile {
                path: rel.clone(),
                content: match src {
                    StaticSource::Embedded(t) => Content::Static(t),
                    StaticSource::Disk(p) => Content::File(p.clone()),
                },
            });
        }
        for (rel, path) in crate::render::theme::walk_sources(&site.root, &site.root.join("static"))
        {
            out.files.push(OutputFile {
                path: rel,
                content: Content::File(path),
            });
        }
        for rel in &site.assets {
            out.files.push(OutputFile {
                path: crate::model::asset_url(rel)
                    .trim_start_matches('/')
                    .to_string(),
                content: Content::File(site.root.join("content").join(rel)),
            });
        }
        // Each PDF's cover, from the cache, beside the PDF.
        for f in site.products.iter().flat_map(|p| &p.files) {
            if let Some(cover) = &f.cover {
                out.files.push(OutputFile {
                    path: cover.url.trim_start_matches('/').to_string(),
                    content: Content::File(cover.image.clone()),
                });
            }
        }
        Ok(())
    }
}
