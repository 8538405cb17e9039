//! The pipeline, end to end: load -> model -> markdown -> render -> write.
//! `build`, `check` and `serve` all run this one function; they differ only
//! in what they do with its result.

pub mod cache;
pub mod output;
pub mod urls;
pub mod write;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use std::time::{Duration, Instant};

use crate::build::write::{OutputFile, Staging};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::markdown::Bodies;
use crate::model::Site;
use crate::render::theme::Theme;
use crate::render::{PageKeys, RenderOutput, ViewParts};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `public/` under the root by default.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Where the search index and build caches live; `.ayni-cache/` under
    /// the root by default.
    pub cache: Option<PathBuf>,
    /// The language of the warnings kept for an up-to-date build; the
    /// site's `ui_language` when `None`.
    pub lang: Option<crate::messages::Lang>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            base_url: None,
            cache: None,
            lang: None,
        }
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.cache
            .clone()
            .unwrap_or_else(|| self.root.join(".ayni-cache"))
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// A site read, resolved and rendered in memory.
pub struct Rendered {
    pub site: Site,
    /// The interface strings of the theme, for outputs made outside templates.
    pub strings: serde_json::Map<String, serde_json::Value>,
    pub bodies: Bodies,
    pub files: Vec<OutputFile>,
    /// Output paths of pages already written to the staging folder.
    pub written: Vec<String>,
    /// Warnings (and errors, if any) of the whole site, sorted by file.
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    /// The search index and the browser's files of it, when the pipeline
    /// was asked to make them (a build does, alongside the render).
    pub search: Option<Search>,
}

/// Texts waiting for the index while pages are rendered: a few megabytes
/// of text, enough that rendering seldom waits for the index.
const TEXTS_QUEUED: usize = 4096;

/// A site's search index and the files the browser reads of it.
pub struct Search {
    pub index: tantivy::Index,
    pub files: Vec<OutputFile>,
    /// Output paths of the files already written to the staging folder.
    pub written: Vec<String>,
    pub timings: [(&'static str, Duration); 2],
    /// The index, to put in place once its output is.
    pub staged: crate::search::index::StagedIndex,
}

impl Search {
    /// Makes the index in `dir` (replacing what is there), then the files
    /// of it the browser reads. `texts` are the products' plain text, in
    /// site order; owned ones are freed as they are indexed.
    pub fn make(
        site: &Site,
        texts: Vec<Cow<'_, str>>,
        strings: &serde_json::Map<String, serde_json::Value>,
        dir: &Path,
    ) -> Result<Search, Error> {
        Search::of(site, texts.into_iter().enumerate(), strings, dir, true)
    }

    /// [`Search::make`] from texts sent one product at a time, as
    /// `(product, text)` in any order, while pages are rendered: no text
    /// waits for the others. Ends when every sender is gone. The products'
    /// result files are not made here but with their pages (see
    /// [`crate::markdown::Deferred::take_head`]): on this thread, the one
    /// that feeds the index, they were on the way of the index.
    pub fn stream(
        site: &Site,
        texts: std::sync::mpsc::Receiver<(usize, String)>,
        strings: &serde_json::Map<String, serde_json::Value>,
        dir: &Path,
    ) -> Result<Search, Error> {
        Search::of(site, texts, strings, dir, false)
    }

    /// Each text goes into the index and, with `make_docs`, the product's result
    /// file, and is dropped; then the index is committed and its browser
    /// files made.
    fn of<T: AsRef<str>>(
        site: &Site,
        texts: impl IntoIterator<Item = (usize, T)>,
        strings: &serde_json::Map<String, serde_json::Value>,
        dir: &Path,
        make_docs: bool,
    ) -> Result<Search, Error> {
        let start = Instant::now();
        let search_dir = crate::search::web::dir(site);
        let mut docs: Vec<Option<OutputFile>> = site.products.iter().map(|_| None).collect();
        let mut builder = crate::search::index::Builder::new(dir)?;
        let mut starts = vec![Vec::new(); site.products.len()];
        let mut blocks = Vec::new();
        for (n, text) in texts {
            let text = text.as_ref();
            docs[n] = make_docs
                .then(|| crate::search::web::doc_file(site, n, text, strings, &search_dir));
            let (files, at) = crate::search::passages::product(n, text, &search_dir);
            starts[n] = at;
            blocks.extend(files);
            builder.add(site, n, text)?;
        }
        let (index, words, staged) = builder.finish()?;
        let indexed = start.elapsed();
        let docs = docs.into_iter().flatten().chain(blocks).collect();
        let entities = crate::search::entity::Entities::of(site, strings);
        entities.save(staged.path())?;
        let pdf = crate::search::attached::files(site, &index, words.pdf, &search_dir)?;
        let (mut files, vocabulary) = crate::search::web::files(
            site,
            docs,
            (&index, words.own, &entities, &starts),
            !pdf.is_empty(),
            strings,
            &search_dir,
        )?;
        files.extend(pdf);
        crate::search::spelling::keep(&vocabulary, staged.path())?;
        Ok(Search {
            index,
            files,
            written: Vec::new(),
            staged,
            timings: [
                ("index", indexed),
                ("search files", start.elapsed() - indexed),
            ],
        })
    }

    /// Writes the files to `sink`, if any, so they are not held to the end.
    fn write_to(&mut self, sink: Option<&Staging>) -> Result<(), Error> {
        if let Some(staging) = sink {
            staging.put_all(&self.files)?;
            self.written.extend(self.files.drain(..).map(|f| f.path));
        }
        Ok(())
    }
}

impl Rendered {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

#[derive(Debug)]
pub struct BuildReport {
    pub out: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub products: usize,
    pub partners: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    pub timings: Vec<(&'static str, Duration)>,
    /// Nothing changed since the last build, whose output was kept; its
    /// warnings are in `cached_warnings`, as text.
    pub up_to_date: bool,
    pub cached_warnings: Vec<String>,
}

/// Runs every stage but writing. Content problems are collected in the
/// result, not returned as an error, so callers choose what to do.
pub fn render_site(opts: &BuildOptions) -> Result<Rendered, Error> {
    let mut caches = Caches::default();
    Ok(pipeline(opts, &mut caches, None, None, None, &|_| {})?.0)
}

/// Told the name of each stage as it starts (`load`, `model`, `markdown`,
/// `render`, `index`, `write`), for progress bars.
pub type Progress<'a> = &'a (dyn Fn(&'static str) + Sync);

/// The stages [`build`] reports to its [`Progress`], in order.
pub const STAGES: [&str; 6] = ["load", "model", "markdown", "render", "index", "write"];

/// What one run of the pipeline may reuse from the previous one.
#[derive(Default)]
pub(crate) struct Caches {
    pub(crate) loads: crate::content::load::LoadCache,
    pub(crate) bodies: crate::markdown::BodyCache,
    history: Option<(Option<String>, crate::model::history::History)>,
    pub(crate) model: crate::model::ModelCache,
    /// The theme with the name and interface language it was loaded for;
    /// whoever knows that templates or themes changed drops it.
    pub(crate) theme: Option<((String, String), Theme)>,
    /// Where the repository's HEAD pointed ([`head_state`]) when git was
    /// last asked, and git's answer.
    pub(crate) head: Option<(Option<String>, Option<String>)>,
    /// The PDFs read by earlier runs, by file size and modification time.
    pub(crate) pdfs: crate::pdf::store::Memo,
    /// The paths a watcher saw change since the last run, if it is known:
    /// the load then walks `content/` only when files may have come or gone.
    changed: Option<std::collections::BTreeSet<PathBuf>>,
    /// Nothing runs after this pipeline: each stage's cache is dropped as
    /// soon as the stage is done, and so are the bodies' Markdown sources
    /// once rendered, which at 100,000 products is gigabytes.
    one_shot: bool,
}

impl Caches {
    fn one_shot() -> Caches {
        Caches {
            one_shot: true,
            loads: crate::content::load::LoadCache::off(),
            bodies: crate::markdown::BodyCache::off(),
            ..Caches::default()
        }
    }
}

/// What the repository's HEAD points at, read from the files git keeps it
/// in (`HEAD`, the ref it names, `packed-refs`) without running git: a
/// commit, checkout or reset changes it. `None` when it cannot be told
/// this way; "no repository" when the site is in none.
pub(crate) fn head_state(root: &Path) -> Option<String> {
    let root = std::path::absolute(root).ok()?;
    let Some(dot_git) = root
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|g| g.exists())
    else {
        return Some("no repository".into());
    };
    let git_dir = if dot_git.is_dir() {
        dot_git
    } else {
        // A linked worktree or submodule: `.git` names the real folder.
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let target = PathBuf::from(text.strip_prefix("gitdir:")?.trim());
        dot_git.parent()?.join(target)
    };
    let common = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(c) => git_dir.join(c.trim()),
        Err(_) => git_dir.clone(),
    };
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let mut state = head.clone();
    if let Some(name) = head.strip_prefix("ref:") {
        let name = name.trim();
        for dir in [&git_dir, &common] {
            state.push('\0');
            state.push_str(&std::fs::read_to_string(dir.join(name)).unwrap_or_default());
        }
        state.push('\0');
        state.push_str(&std::fs::read_to_string(common.join("packed-refs")).unwrap_or_default());
    }
    Some(state)
}

/// [`git_head`], asking git only when [`head_state`] changed since the
/// answer in `cache`.
fn git_head_cached(
    root: &Path,
    cache: &mut Option<(Option<String>, Option<String>)>,
) -> Option<String> {
    let state = head_state(root);
    if let Some((seen, head)) = cache
        && state.is_some()
        && *seen == state
    {
        return head.clone();
    }
    let head = git_head(root);
    *cache = Some((state, head.clone()));
    head
}

/// The commit the site's repository is at, if it is in one.
pub(crate) fn git_head(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Every stage but writing. With `previous` (the page keys of an earlier
/// run and the theme and configuration it ran with), pages whose key is
/// unchanged are not rendered again; their output paths come back in the
/// second value, and the new keys in the third. With `search` (the index
/// folder), the search index is made on another thread while pages are
/// rendered, unless the content has errors.
fn pipeline(
    opts: &BuildOptions,
    caches: &mut Caches,
    previous: Option<(&PageKeys, u64)>,
    sink: Option<&Staging>,
    search: Option<&Path>,
    progress: Progress<'_>,
) -> Result<(Rendered, Vec<String>, PageKeys, ViewParts, u64), Error> {
    let root = &opts.root;
    site_folder(root)?;
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    progress("load");
    let loaded = load(opts, caches)?;
    lap("load", &mut timings);
    progress("model");
    let mut diags = Vec::new();
    let mut site = crate::model::build_cached(root, loaded, &mut diags, &mut caches.model);
    attach_history(root, caches, &mut site, &mut diags);
    crate::pdf::site::attach(&mut site, &opts.cache_dir(), &caches.pdfs, &mut diags);
    lap("model", &mut timings);
    progress("markdown");
    // A build renders each product's body where its page is made (see
    // `Deferred`); the other bodies, and every body of a preview, here.
    let sources = caches.one_shot.then(|| site.take_body_sources());
    let cache = &mut caches.bodies;
    let mut bodies =
        crate::markdown::render_site_cached(&site, &mut diags, cache, sources.is_some());
    lap("markdown", &mut timings);
    progress("render");
    let (wanted, theme) = theme_for(root, &site, caches)?;
    let frame = crate::text::fingerprint(&(theme.fingerprint, format!("{:?}", site.config)));
    let previous = previous.and_then(|(keys, f)| (f == frame).then_some(keys));
    let strings = theme.strings.clone();
    let search = search.filter(|_| !diags.iter().any(Diagnostic::is_error));
    let targets = sources
        .is_some()
        .then(|| crate::markdown::link_targets(&site));
    let (mut deferred, streamed) = defer_bodies(&site, sources, targets.as_ref(), search.is_some());
    let stage = RenderStage {
        site: &site,
        bodies: &bodies,
        theme: &theme,
        strings: &strings,
        previous,
        sink,
    };
    let (out, search) =
        render_and_index(&stage, &mut deferred, search.zip(Some(streamed)), progress);
    caches.theme = Some((wanted, theme));
    let out = out?;
    let spent = deferred.map(|d| d.finish(&mut bodies, &mut diags));
    let search = search.transpose()?;
    lap("render", &mut timings);
    if let Some(spent) = spent {
        timings.push(("bodies", spent));
    }
    if let Some(s) = &search {
        timings.extend(s.timings);
    }

    let rendered = Rendered {
        strings,
        site,
        bodies,
        files: out.files,
        written: out.written,
        diagnostics: Diagnostics::from(diags).sorted(),
        timings,
        search,
    };
    Ok((rendered, out.kept, out.keys, out.views, frame))
}

/// The theme the site asks for, kept from the last build when it asked
/// for the same, and what it was loaded for.
fn theme_for(
    root: &Path,
    site: &Site,
    caches: &mut Caches,
) -> Result<((String, String), Theme), Error> {
    let wanted = (site.config.theme.clone(), site.config.ui_language.clone());
    let theme = match caches.theme.take() {
        Some((loaded_for, theme)) if loaded_for == wanted => theme,
        _ => Theme::load(root, &site.config.theme, &site.config.ui_language)?,
    };
    Ok((wanted, theme))
}

/// The products' bodies left for their page jobs (given their sources),
/// and, when an index is made, the queue their texts reach it by as each
/// page is made. The queue's bound keeps pages from running far ahead of
/// the index with texts piling up.
fn defer_bodies<'s>(
    site: &'s Site,
    sources: Option<Vec<crate::diagnostics::SourceFile>>,
    targets: Option<&'s crate::markdown::LinkTargets<'s>>,
    indexed: bool,
) -> (Option<crate::markdown::Deferred<'s>>, Option<Texts>) {
    let (texts, streamed) = match (indexed, &sources) {
        (true, Some(_)) => {
            let (tx, rx) = std::sync::mpsc::sync_channel(TEXTS_QUEUED);
            (Some(tx), Some(rx))
        }
        _ => (None, None),
    };
    let deferred = sources.zip(targets).map(|(files, targets)| {
        let head = crate::search::web::EXCERPT_CHARS;
        crate::markdown::Deferred::new(site, targets, files, texts, head)
    });
    (deferred, streamed)
}

/// The products' texts on their way to the index, as their pages are
/// made, numbered by product.
type Texts = std::sync::mpsc::Receiver<(usize, String)>;

/// What the render stage reads: the site, its bodies, the theme and its
/// strings, the keys of the render before, and where pages go as they are
/// made.
struct RenderStage<'r> {
    site: &'r Site,
    bodies: &'r Bodies,
    theme: &'r Theme,
    strings: &'r serde_json::Map<String, serde_json::Value>,
    previous: Option<&'r PageKeys>,
    sink: Option<&'r Staging>,
}

/// Renders the pages and, given `search` (the index folder, and the queue
/// of texts when bodies are deferred), makes the search index on another
/// thread meanwhile. The index and the pages need the same inputs and
/// nothing of each other: side by side they keep both cores busy through
/// the index's serial stretches.
fn render_and_index(
    r: &RenderStage<'_>,
    deferred: &mut Option<crate::markdown::Deferred<'_>>,
    search: Option<(&Path, Option<Texts>)>,
    progress: Progress<'_>,
) -> (Result<RenderOutput, Error>, Option<Result<Search, Error>>) {
    std::thread::scope(|s| {
        let job = search.map(|(dir, streamed)| {
            let (site, strings) = (r.site, r.strings);
            match streamed {
                Some(rx) => s.spawn(move || Search::stream(site, rx, strings, dir)),
                None => {
                    let texts = crate::search::index::texts(r.bodies);
                    s.spawn(move || Search::make(site, texts, strings, dir))
                }
            }
        });
        let out = crate::render::render_incremental(
            r.site,
            r.bodies,
            r.theme,
            r.previous,
            r.sink,
            deferred.as_ref(),
        );
        let docs = match deferred {
            Some(d) => close_deferred(d, out.is_ok(), r.site, r.strings),
            None => Vec::new(),
        };
        let search = job.map(|j| {
            progress("index");
            let mut made = j.join().unwrap_or_else(|e| std::panic::resume_unwind(e))?;
            made.files.extend(docs);
            made.write_to(r.sink)?;
            Ok::<Search, Error>(made)
        });
        (out, search)
    })
}

/// The site's files, read again only where they changed since the last
/// load, with the base URL a build was told to use.
fn load(opts: &BuildOptions, caches: &mut Caches) -> Result<crate::content::load::Loaded, Error> {
    let root = &opts.root;
    let mut loaded = match caches.changed.take() {
        Some(changed) => {
            crate::content::load::load_changed(root, opts.drafts, &mut caches.loads, &changed)
        }
        None => crate::content::load::load_cached(root, opts.drafts, &mut caches.loads),
    }
    .map_err(|e| Error::io(root.join("site.yaml"), e))?;
    if let Some(url) = &opts.base_url {
        loaded.config.set_base_url(url);
    }
    Ok(loaded)
}

/// Gives the site the last change of each file from git. The log is read
/// again only when the repository's HEAD moved: edits in the working tree
/// do not change it.
fn attach_history(root: &Path, caches: &mut Caches, site: &mut Site, diags: &mut Vec<Diagnostic>) {
    let head = git_head_cached(root, &mut caches.head);
    match &caches.history {
        Some((h, history)) if head.is_some() && *h == head => site.history = history.clone(),
        _ => match crate::model::history::History::read(root) {
            Ok(h) => {
                caches.history = Some((head, h.clone()));
                site.history = h;
            }
            Err(e) => diags.push(Diagnostic::warning(
                "no-history",
                crate::msg!("diag.no-history", error = e),
            )),
        },
    }
}

/// Ends the deferred bodies' queue of texts, so the index can finish, and
/// returns the result files of products no page job made (none in a whole
/// build), made while the index finishes. After a failed render the
/// bodies left are not made: nothing will show them.
fn close_deferred(
    deferred: &mut crate::markdown::Deferred<'_>,
    rendered: bool,
    site: &Site,
    strings: &serde_json::Map<String, serde_json::Value>,
) -> Vec<OutputFile> {
    if !rendered {
        deferred.abandon();
        return Vec::new();
    }
    deferred.close();
    let dir = crate::search::web::dir(site);
    deferred
        .take_heads()
        .into_iter()
        .map(|(i, head)| crate::search::web::doc_file(site, i, &head, strings, &dir))
        .collect()
}

/// A site kept in memory between rebuilds, for the preview server: each
/// rebuild reads only the files that changed, renders only the pages whose
/// inputs changed, and writes only the output files whose bytes changed.
/// The output is the same, file for file, as a clean build's.
pub struct Session {
    pub opts: BuildOptions,
    pub(crate) caches: Caches,
    /// Page keys of the last good render and the frame they were made in.
    pub(crate) keys: PageKeys,
    frame: u64,
    /// Every output file of the last good build with its fingerprint.
    written: HashMap<String, u64>,
    /// The last good site, for the search index and for updates in place.
    pub(crate) last: Option<Rendered>,
    /// The views of the last good render, while `last`, `keys` and the
    /// output folder agree with each other; only then can an edit be
    /// applied in place (see [`crate::serve::incremental`]).
    pub(crate) views: Option<ViewParts>,
}

/// A copy of a site to make its search index from (see
/// [`Session::index_job`]).
pub struct IndexJob {
    site: Site,
    bodies: Bodies,
    strings: serde_json::Map<String, serde_json::Value>,
    dir: PathBuf,
}

/// The browser index files of a site, to write with
/// [`Session::apply_index`].
pub struct IndexFiles {
    files: Vec<OutputFile>,
    elapsed: Duration,
}

impl IndexJob {
    /// Makes the index (in the session's cache folder: one job at a time)
    /// and the files the browser reads.
    pub fn run(self) -> Result<IndexFiles, Error> {
        let start = Instant::now();
        let texts = crate::search::index::texts(&self.bodies);
        let search = Search::make(&self.site, texts, &self.strings, &self.dir)?;
        search.staged.install(None)?;
        Ok(IndexFiles {
            files: search.files,
            elapsed: start.elapsed(),
        })
    }
}

/// Which output files a call to [`Session::apply`] is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Every page file (all but the search index's).
    Pages,
    /// Every file of the search index.
    Search,
    /// Some page files; the others stay as they are.
    Some,
}

/// What a rebuild changed in the output folder.
#[derive(Debug, Default)]
pub struct Changes {
    /// Output paths written (new or changed bytes).
    pub written: Vec<String>,
    /// Output paths removed.
    pub removed: Vec<String>,
    /// Pages rendered, and pages kept from the previous render.
    pub rendered: usize,
    pub kept: usize,
    /// The site was updated in place (see [`crate::serve::incremental`]) rather
    /// than read and resolved again.
    pub in_place: bool,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    /// Attached PDFs parsed again (new or changed ones).
    pub pdfs_read: usize,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Session {
        Session {
            opts,
            caches: Caches::default(),
            keys: PageKeys::new(),
            frame: 0,
            written: HashMap::new(),
            last: None,
            views: None,
        }
    }

    /// Forgets every cache, so the next rebuild renders everything.
    pub fn invalidate(&mut self) {
        self.caches = Caches::default();
        self.keys.clear();
        self.views = None;
    }

    /// Rebuilds after the files at `changed` (absolute paths, as a watcher
    /// reports them; folders and paths that are gone included) changed.
    /// An edit of products alone is applied to the site in place; anything
    /// else, or anything unclear, rebuilds as [`Session::rebuild_pages`]
    /// does, with the theme kept unless templates, themes or `site.yaml`
    /// changed.
    pub fn rebuild_changed(
        &mut self,
        changed: &std::collections::BTreeSet<PathBuf>,
    ) -> Result<Changes, Error> {
        let root = &self.opts.root;
        let theme_safe = changed.iter().all(|p| {
            ["content", "static"]
                .iter()
                .any(|dir| p.starts_with(root.join(dir)))
        });
        if !theme_safe {
            self.caches.theme = None;
        }
        if !changed.is_empty()
            && let Some(result) = self.update_in_place(changed)
        {
            return result;
        }
        if !changed.is_empty() {
            self.caches.changed = Some(changed.clone());
        }
        self.rebuild_all()
    }

    /// Rebuilds the pages, feeds and static files (not the search index:
    /// see [`Session::rebuild_index`]). With content errors nothing is
    /// written and the error lists every diagnostic; the previous output
    /// stays as it was.
    pub fn rebuild_pages(&mut self) -> Result<Changes, Error> {
        // Nothing says what changed: the theme may have too.
        self.caches.theme = None;
        self.rebuild_all()
    }

    fn rebuild_all(&mut self) -> Result<Changes, Error> {
        self.views = None;
        let out = self.opts.out_dir();
        crate::build::output::guard(&self.opts)?;
        let (rendered, kept, keys, views, frame) = pipeline(
            &self.opts,
            &mut self.caches,
            Some((&self.keys, self.frame)),
            None,
            None,
            &|_| {},
        )?;
        if rendered.has_errors() {
            return Err(Error::Content(rendered.diagnostics));
        }
        let write_start = Instant::now();
        let mut changes = self.apply(&out, &rendered.files, &kept, Owner::Pages)?;
        changes.timings = rendered.timings.clone();
        changes.timings.push(("write", write_start.elapsed()));
        changes.rendered = rendered
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count();
        changes.kept = kept.len();
        changes.pdfs_read = self.caches.pdfs.take_parsed();
        changes.warnings = rendered.diagnostics.clone();
        self.keys = keys;
        self.frame = frame;
        self.last = Some(rendered);
        self.views = Some(views);
        Ok(changes)
    }

    /// Rebuilds the search index of the last good site and writes the
    /// browser index files whose bytes changed. BM25 weights depend on the
    /// whole collection, so the index is made anew; only its files that
    /// differ are written.
    pub fn rebuild_index(&mut self) -> Result<Changes, Error> {
        let Some(job) = self.index_job() else {
            return Ok(Changes::default());
        };
        let made = job.run()?;
        self.apply_index(made)
    }

    /// What the search index of the last good site is made from, copied so
    /// it can be made on another thread while pages go on being rebuilt.
    pub fn index_job(&self) -> Option<IndexJob> {
        let r = self.last.as_ref()?;
        Some(IndexJob {
            site: r.site.clone(),
            bodies: r.bodies.clone(),
            strings: r.strings.clone(),
            dir: crate::search::index::index_dir(&self.opts.cache_dir()),
        })
    }

    /// Writes the index files [`IndexJob::run`] made, those whose bytes
    /// changed. Files of an index made from an older site are fine: the
    /// index of the newer one follows and replaces them.
    pub fn apply_index(&mut self, made: IndexFiles) -> Result<Changes, Error> {
        let out = self.opts.out_dir();
        let mut changes = self.apply(&out, &made.files, &[], Owner::Search)?;
        changes.timings.push(("index", made.elapsed));
        Ok(changes)
    }

    /// Writes what differs from the last build into `out`. Page files are
    /// everything but the search folder, which `rebuild_index` owns. With
    /// [`Owner::Some`], `files` are only some of the pages, and no other
    /// file is removed.
    pub(crate) fn apply(
        &mut self,
        out: &Path,
        files: &[OutputFile],
        kept: &[String],
        owner: Owner,
    ) -> Result<Changes, Error> {
        let search = owner == Owner::Search;
        let search_prefix = match &self.last {
            Some(r) => crate::search::web::dir(&r.site),
            None => String::new(),
        };
        let owned = |path: &str| {
            let in_search = !search_prefix.is_empty()
                && path.starts_with(&search_prefix)
                && !path.ends_with(".html");
            in_search == search
        };
        let files = crate::build::write::last_wins(files);
        let prints: Vec<(String, u64)> = files
            .par_iter()
            .map(|f| (f.path.clone(), crate::build::write::fingerprint(&f.content)))
            .collect();
        let mut changes = Changes::default();
        let mut next: HashMap<String, u64> = HashMap::new();
        let mut to_write = Vec::new();
        for (f, (path, print)) in files.iter().zip(prints) {
            if self.written.get(&path) != Some(&print) || !out.join(&path).exists() {
                to_write.push((*f).clone());
                changes.written.push(path.clone());
            }
            next.insert(path, print);
        }
        for path in kept {
            if let Some(print) = self.written.get(path) {
                next.insert(path.clone(), *print);
            }
        }
        for (path, _) in self.written.iter() {
            if owner != Owner::Some && owned(path) && !next.contains_key(path) {
                changes.removed.push(path.clone());
            }
        }
        if self.written.is_empty() {
            // The first build replaces whatever the folder held, so no file
            // of an earlier session lingers.
            crate::build::write::write_atomic(out, &to_write)?;
        } else {
            crate::build::write::write_in_place(out, &to_write, &changes.removed)?;
        }
        for path in &changes.removed {
            self.written.remove(path);
        }
        self.written.extend(next);
        changes.written.sort();
        changes.removed.sort();
        Ok(changes)
    }
}

/// Builds the site into its output folder. With any content error nothing
/// is written and the error lists every diagnostic.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    build_with_progress(opts, &|_| {})
}

/// [`build`], telling `progress` each stage as it starts.
pub fn build_with_progress(
    opts: &BuildOptions,
    progress: Progress<'_>,
) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let out = opts.out_dir();
    crate::build::output::guard(opts)?;
    let inputs = crate::build::cache::inputs(opts);
    if let Some(m) = crate::build::cache::fresh(opts, inputs) {
        return Ok(up_to_date(out, m, start));
    }
    crate::build::cache::forget(opts);
    // Pages go to the staging folder as they are rendered; content errors
    // are known before any page is, and a failure drops the folder.
    site_folder(&opts.root)?;
    let staging = Staging::new(&out)?;
    let index_dir = crate::search::index::index_dir(&opts.cache_dir());
    let mut rendered = pipeline(
        opts,
        &mut Caches::one_shot(),
        None,
        Some(&staging),
        Some(&index_dir),
        progress,
    )?
    .0;
    if rendered.has_errors() {
        return Err(Error::Content(rendered.diagnostics));
    }
    let mut timings = std::mem::take(&mut rendered.timings);
    let mut files = std::mem::take(&mut rendered.files);
    let Some(Search {
        index,
        files: search_files,
        written: search_written,
        staged: staged_index,
        ..
    }) = rendered.search.take()
    else {
        return Err(Error::Output("the search index was not made".into()));
    };
    files.extend(search_files);
    rendered.written.extend(search_written);
    let write_start = Instant::now();
    progress("write");
    staging.put_all(&files)?;
    let id = staging.id().to_string();
    let stamps = staging.finish()?;
    let out_abs = std::path::absolute(&out).unwrap_or_else(|_| out.clone());
    staged_index.install(Some((&out_abs, &id)))?;
    timings.push(("write", write_start.elapsed()));
    let written = &rendered.written;
    let pages = count_pages(&files, written);
    let files_count = files.len() + written.len();
    let (products, partners) = (rendered.site.products.len(), rendered.site.partners.len());
    let Rendered {
        site,
        bodies,
        diagnostics,
        ..
    } = rendered;
    // Freeing a large site's millions of small allocations takes a while
    // and nobody waits for it: it happens on another thread (or not at
    // all when the process exits first).
    std::thread::spawn(move || drop((files, site, bodies, index)));
    let report = BuildReport {
        out,
        pages,
        files: files_count,
        products,
        partners,
        warnings: diagnostics,
        elapsed: start.elapsed(),
        timings,
        up_to_date: false,
        cached_warnings: Vec::new(),
    };
    remember(opts, inputs, &stamps, &report);
    Ok(report)
}

/// The pages among the files a build made and those it wrote as it went.
fn count_pages(files: &[OutputFile], written: &[String]) -> usize {
    files
        .iter()
        .map(|f| &f.path)
        .chain(written)
        .filter(|p| p.ends_with(".html"))
        .count()
}

/// The report of a build the cache says is up to date: what the build
/// that made the output reported, and its warnings as it said them.
fn up_to_date(out: PathBuf, m: crate::build::cache::Manifest, start: Instant) -> BuildReport {
    BuildReport {
        out,
        pages: m.pages,
        files: m.files,
        products: m.products,
        partners: m.partners,
        warnings: Vec::new(),
        elapsed: start.elapsed(),
        timings: vec![("cache", start.elapsed())],
        up_to_date: true,
        cached_warnings: m.warnings,
    }
}

/// Keeps what a build made from which inputs, so that the next build with
/// the same inputs and output is known to be up to date.
fn remember(
    opts: &BuildOptions,
    inputs: u64,
    stamps: &[(String, crate::build::write::FileStamp)],
    report: &BuildReport,
) {
    crate::build::cache::record(
        opts,
        inputs,
        Some(crate::build::cache::stamps_print(stamps)),
        crate::build::cache::Manifest {
            format: 0,
            inputs: String::new(),
            output: String::new(),
            pages: report.pages,
            files: report.files,
            products: report.products,
            partners: report.partners,
            warnings: kept_warnings(&report.warnings, opts),
        },
    );
}

/// The warnings of a build as the terminal shows them, kept with the build
/// so that an up-to-date build can say them again.
fn kept_warnings(warnings: &[Diagnostic], opts: &BuildOptions) -> Vec<String> {
    let lang = crate::content::config::Config::messages_language(opts.lang, Some(&opts.root));
    warnings.iter().map(|d| d.render(false, lang)).collect()
}

/// Every diagnostic of the site, without writing anything.
pub fn check(opts: &BuildOptions) -> Result<Vec<Diagnostic>, Error> {
    Ok(render_site(opts)?.diagnostics)
}

/// The site's folder must be there before anything is made beside it.
fn site_folder(root: &Path) -> Result<(), Error> {
    if root.is_dir() {
        return Ok(());
    }
    Err(Error::io(
        root,
        std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"),
    ))
}
