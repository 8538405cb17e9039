//! The pipeline, end to end: load -> model -> markdown -> render -> write.
//! `build`, `check` and `serve` all run this one function; they differ only
//! in what they do with its result.

pub(crate) mod cache;
mod options;
pub(crate) mod output;
pub(crate) mod record;
pub(crate) mod urls;
pub(crate) mod write;

pub use options::BuildOptions;
pub use write::{Content, OutputFile};

use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

use crate::build::write::Staging;
use crate::content::sources::SiteSources;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::markdown::Bodies;
use crate::model::Site;
use crate::render::theme::Theme;
use crate::render::{PageKeys, RenderOutput, ViewParts};
use crate::search::stage::{Indexed, Pending, PendingFiles};

/// A site read, resolved and rendered in memory.
pub struct Rendered {
    pub(crate) site: Site,
    /// The interface strings of the theme, for outputs made outside templates.
    pub(crate) strings: serde_json::Map<String, serde_json::Value>,
    pub(crate) bodies: Bodies,
    /// Every output file made in memory: all of them, unless pages were
    /// written to a staging folder as they were made.
    pub files: Vec<OutputFile>,
    /// Output paths of pages already written to the staging folder.
    pub written: Vec<String>,
    /// Warnings (and errors, if any) of the whole site, sorted by file.
    pub diagnostics: Vec<Diagnostic>,
    /// How long each stage took, in the order they ran.
    pub timings: Vec<(&'static str, Duration)>,
    /// The search index and the browser's files of it, when the pipeline
    /// was asked to make them (a build does, alongside the render).
    pub(crate) search: Option<Indexed>,
    /// What the next build may know of the products' bodies.
    pub(crate) known: crate::markdown::KnownBodies,
}

/// Texts waiting for the index while pages are rendered: a few megabytes
/// of text, enough that rendering seldom waits for the index.
const TEXTS_QUEUED: usize = 4096;

impl Rendered {
    /// Whether any diagnostic is an error, which stops a build.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// What a build did.
#[derive(Debug)]
pub struct BuildReport {
    /// The output folder.
    pub out: PathBuf,
    /// HTML pages written.
    pub pages: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Products on the site.
    pub products: usize,
    /// Partners on the site.
    pub partners: usize,
    /// The warnings of the site, sorted by file.
    pub warnings: Vec<Diagnostic>,
    /// How long the build took.
    pub elapsed: Duration,
    /// How long each stage took (`--timings`).
    pub timings: Vec<(&'static str, Duration)>,
    /// Nothing changed since the last build, whose output was kept; its
    /// warnings are in `cached_warnings`, as text.
    pub up_to_date: bool,
    /// The warnings of the build that made the kept output, as it said them.
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
pub const PROGRESS_STAGES: [&str; 6] = ["load", "model", "markdown", "render", "index", "write"];

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
    /// Where the repository's HEAD pointed
    /// ([`crate::model::history::head_state`]) when git was
    /// last asked, and git's answer.
    pub(crate) head: Option<(Option<String>, Option<String>)>,
    /// The PDFs read by earlier runs, by file size and modification time.
    pub(crate) pdfs: crate::pdf::store::Memo,
    /// What the last build knew of the products' bodies (see
    /// [`crate::markdown::KnownBody`]), for a build that updates its output.
    pub(crate) known: crate::markdown::KnownBodies,
    /// The paths a watcher saw change since the last run, if it is known:
    /// the load then walks `content/` only when files may have come or gone.
    pub(crate) changed: Option<std::collections::BTreeSet<PathBuf>>,
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

/// Every stage but writing. With `previous` (the page keys of an earlier
/// run and the theme and configuration it ran with), pages whose key is
/// unchanged are not rendered again; their output paths come back in the
/// second value, and the new keys in the third. With `search` (the index
/// folder), the search index is made on another thread while pages are
/// rendered, unless the content has errors; only a one-shot run (a build)
/// makes it, from the texts its page jobs send as they render bodies.
pub(crate) fn pipeline(
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
        .as_ref()
        .map(|_| crate::markdown::link_targets(&site));
    let deferral = Deferral {
        targets: targets.as_ref(),
        search,
        known: std::mem::take(&mut caches.known),
        sink,
    };
    let (deferred, streamed) = defer_bodies(&site, sources, deferral)?;
    let stage = RenderStage {
        site: &site,
        bodies: &bodies,
        theme: &theme,
        strings: &strings,
        previous,
        sink,
    };
    let (out, search) = render_and_index(&stage, &deferred, streamed, progress);
    caches.theme = Some((wanted, theme));
    let (out, search) = (out?, search.transpose()?);
    let blocks = search.as_ref().map(|s| s.blocks.as_slice());
    let (spent, known) = deferred
        .map(|d| d.finish(&mut bodies, &mut diags, blocks))
        .unzip();
    lap("render", &mut timings);
    timings.extend(spent.map(|spent| ("bodies", spent)));
    timings.extend(search.iter().flat_map(|s| s.timings));
    let rendered = Rendered {
        strings,
        site,
        bodies,
        files: out.files,
        written: out.written,
        diagnostics: Diagnostics::from(diags).sorted(),
        timings,
        search,
        known: known.unwrap_or_default(),
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

/// What the products' bodies are deferred with: the sets links are
/// checked against, the index folder (when an index is made), what the
/// last build knew of the bodies, and the staging folder of the output.
struct Deferral<'s> {
    targets: Option<&'s crate::markdown::LinkTargets<'s>>,
    search: Option<&'s Path>,
    known: crate::markdown::KnownBodies,
    sink: Option<&'s Staging>,
}

/// The index being made from the texts the page jobs send: its builder,
/// the queue, and the blocks of the products whose text is not sent.
type Indexing = (
    crate::search::index::Builder,
    Texts,
    Vec<Option<crate::search::passages::Blocks>>,
);

/// The products' bodies left for their page jobs (given their sources),
/// and, when an index is made, the queue their texts reach it by as each
/// page is made. The queue's bound keeps pages from running far ahead of
/// the index with texts piling up. A body the last build made of the same
/// source is known, and is rendered only if its page or the index needs
/// it; the index needs only the texts of the parts it makes again.
fn defer_bodies<'s>(
    site: &'s Site,
    sources: Option<Vec<crate::diagnostics::SourceFile>>,
    d: Deferral<'s>,
) -> Result<(Option<crate::markdown::Deferred<'s>>, Option<Indexing>), Error> {
    let (Some(files), Some(targets)) = (sources, d.targets) else {
        return Ok((None, None));
    };
    // A text sent after the index stopped reading fails at once: nothing
    // waits on a queue nobody reads.
    let (texts, streamed) = d
        .search
        .map(|_| std::sync::mpsc::sync_channel(TEXTS_QUEUED))
        .unzip();
    let search_dir = crate::search::web::dir(site);
    // Known blocks are kept, not made: the output must hold their files.
    let usable = |k: &crate::markdown::KnownBody| {
        d.sink.is_some_and(|sink| {
            k.blocks.possible() && {
                let paths = k.blocks.paths(k.n, &search_dir);
                paths.iter().all(|p| sink.had(p))
            }
        })
    };
    let to_index = texts.map(|queue| crate::markdown::ToIndex {
        queue,
        head_chars: crate::search::web::EXCERPT_CHARS,
        dir: search_dir.clone(),
    });
    let mut deferred =
        crate::markdown::Deferred::new(site, targets, files, to_index, (d.known, &usable));
    let indexing = match (d.search, streamed) {
        (Some(dir), Some(rx)) => {
            let builder = crate::search::index::Builder::new(dir, site, deferred.prints())?;
            let sent = deferred
                .want(builder.wanted())
                .iter()
                .filter(|w| **w)
                .count();
            let texts = rx.into_iter().take(sent);
            Some((builder, texts, deferred.known_blocks()))
        }
        _ => None,
    };
    Ok((Some(deferred), indexing))
}

/// The products' texts on their way to the index, as their pages are
/// made, numbered by product: as many as it was told it would be sent, so
/// that it goes on as soon as the last comes, while pages are still made.
type Texts = std::iter::Take<std::sync::mpsc::IntoIter<crate::markdown::IndexText>>;

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
/// the deferred bodies' texts come by), makes the search index on another
/// thread meanwhile; the render's search producer waits for its files.
/// The index and the pages need the same inputs and nothing of each
/// other: side by side they keep both cores busy through the index's
/// serial stretches.
fn render_and_index(
    r: &RenderStage<'_>,
    deferred: &Option<crate::markdown::Deferred<'_>>,
    search: Option<Indexing>,
    progress: Progress<'_>,
) -> (Result<RenderOutput, Error>, Option<Result<Indexed, Error>>) {
    std::thread::scope(|s| {
        let pending = search.map(|(builder, texts, known)| {
            let (site, strings) = (r.site, r.strings);
            let job = s.spawn(move || Indexed::stream(site, texts, strings, builder, known));
            Pending::new(job, progress)
        });
        let out = crate::render::render_incremental(
            r.site,
            r.bodies,
            r.theme,
            r.previous,
            r.sink,
            deferred.as_ref(),
            pending.as_ref().map(|p| p as &dyn PendingFiles),
        );
        // The search producer closed the queue of texts after a good
        // render. After a failed one the bodies left are not made: nothing
        // will show them. Either way the index can finish now.
        if let Some(d) = deferred {
            match out.is_ok() {
                true => d.close(),
                false => d.abandon(),
            }
        }
        (out, pending.and_then(Pending::finish))
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
    let head = crate::model::history::git_head_cached(root, &mut caches.head);
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
    let Looked {
        inputs,
        sources,
        output,
        record: (record, read),
    } = look_before_building(opts, &out);
    if let Some(m) = crate::build::cache::fresh(opts, inputs, output) {
        // What was read for a build is not needed: it goes in the background.
        std::thread::spawn(move || drop((sources, record)));
        return Ok(up_to_date(out, m, start));
    }
    let record = (record.filter(|r| r.holds(output)), read);
    let checked = start.elapsed();
    crate::build::cache::forget(opts);
    site_folder(&opts.root)?;
    let (mut rendered, staging, (keys, frame), model) =
        render_staged(opts, &out, (sources, record), progress)?;
    if rendered.has_errors() {
        return Err(Error::Content(rendered.diagnostics));
    }
    let mut timings = vec![("check", checked)];
    timings.append(&mut rendered.timings);
    let files = std::mem::take(&mut rendered.files);
    let Some(Indexed {
        index,
        staged: staged_index,
        ..
    }) = rendered.search.take()
    else {
        return Err(Error::Output("the search index was not made".into()));
    };
    let write_start = Instant::now();
    progress("write");
    staging.put_all(&files)?;
    let id = staging.id().to_string();
    // An update that stops halfway leaves an output no record describes.
    record::forget(opts);
    let made = staging.finish()?;
    let out_abs = std::path::absolute(&out).unwrap_or_else(|_| out.clone());
    staged_index.install(Some((&out_abs, &id)))?;
    let known = std::mem::take(&mut rendered.known);
    record::save(opts, frame, keys, &made, (known, model));
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
    remember(opts, inputs, record::print(&made), &report);
    Ok(report)
}

/// What a build looks at before it knows whether to build.
struct Looked {
    /// The fingerprint of everything the build depends on.
    inputs: u64,
    /// The sources, walked and read.
    sources: SiteSources,
    /// The output's fingerprint, if there is an output.
    output: Option<u64>,
    /// The record of the last build, and the time it took to read.
    record: (Option<record::Record>, Duration),
}

/// Reads what a build looks at before it knows whether to build, side by
/// side.
fn look_before_building(opts: &BuildOptions, out: &Path) -> Looked {
    let (((inputs, sources), output), record) = rayon::join(
        || {
            rayon::join(
                || crate::build::cache::inputs(opts),
                || crate::build::cache::output(out),
            )
        },
        || {
            let start = Instant::now();
            (record::read(opts), start.elapsed())
        },
    );
    Looked {
        inputs,
        sources,
        output,
        record,
    }
}

/// Runs the pipeline for a build of `sources` (as the build cache read
/// them). Pages go to the staging folder as they are rendered; content
/// errors are known before any page is, and a failure drops the folder.
/// With the record of the build that made the output (and the time it
/// took to read), only what changed is rendered and written. Returns the
/// new pages' keys and the frame they were keyed in, and what the model
/// keeps, for the next build's record.
fn render_staged(
    opts: &BuildOptions,
    out: &Path,
    (sources, (record, read)): (SiteSources, (Option<record::Record>, Duration)),
    progress: Progress<'_>,
) -> Result<(Rendered, Staging, (PageKeys, u64), crate::model::ModelCache), Error> {
    let mut caches = Caches::one_shot();
    caches.loads.given = Some(sources);
    let (staging, last) = match record {
        Some(r) => {
            caches.known = r.known;
            caches.model = r.model;
            (Staging::update(out, r.files)?, Some((r.keys, r.frame)))
        }
        None => (Staging::new(out)?, None),
    };
    let index_dir = crate::search::index::index_dir(&opts.cache_dir());
    let (rendered, _, keys, _, frame) = pipeline(
        opts,
        &mut caches,
        last.as_ref().map(|(keys, frame)| (keys, *frame)),
        Some(&staging),
        Some(&index_dir),
        progress,
    )?;
    let mut rendered = rendered;
    rendered.timings.insert(0, ("record", read));
    Ok((rendered, staging, (keys, frame), caches.model))
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
fn remember(opts: &BuildOptions, inputs: u64, output: u64, report: &BuildReport) {
    crate::build::cache::record(
        opts,
        inputs,
        Some(output),
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
