//! The pipeline, end to end: load -> model -> markdown -> render -> write.
//! `build`, `check` and `serve` all run this one function; they differ only
//! in what they do with its result.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::markdown::Bodies;
use crate::model::Site;
use crate::theme::Theme;
use crate::write::OutputFile;

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
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: None,
            drafts: false,
            base_url: None,
            cache: None,
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
    /// Warnings (and errors, if any) of the whole site, sorted by file.
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
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
}

/// Runs every stage but writing. Content problems are collected in the
/// result, not returned as an error, so callers choose what to do.
pub fn render_site(opts: &BuildOptions) -> Result<Rendered, Error> {
    let root = &opts.root;
    if !root.is_dir() {
        return Err(Error::io(
            root,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"),
        ));
    }
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    let mut loaded =
        crate::load::load(root, opts.drafts).map_err(|e| Error::io(root.join("site.yaml"), e))?;
    if let Some(url) = &opts.base_url {
        loaded.config.set_base_url(url);
    }
    lap("load", &mut timings);
    let mut diags = Vec::new();
    let mut site = crate::model::build(root, loaded, &mut diags);
    match crate::history::History::read(root) {
        Ok(h) => site.history = h,
        Err(e) => diags.push(Diagnostic::warning(
            "no-history",
            format!("pages show no last change: {e}"),
        )),
    }
    lap("model", &mut timings);
    let bodies = crate::markdown::render_site(&site, &mut diags);
    lap("markdown", &mut timings);
    let theme = Theme::load(root, &site.config.theme, &site.config.ui_language)?;
    let files = crate::render::render(&site, &bodies, &theme)?;
    lap("render", &mut timings);

    let mut all = Diagnostics::default();
    all.extend(diags);
    Ok(Rendered {
        strings: theme.strings.clone(),
        site,
        bodies,
        files,
        diagnostics: all.sorted(),
        timings,
    })
}

/// Builds the site into its output folder. With any content error nothing
/// is written and the error lists every diagnostic.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let out = opts.out_dir();
    guard_output(&opts.root, &out)?;
    let rendered = render_site(opts)?;
    if rendered.has_errors() {
        return Err(Error::Content(rendered.diagnostics));
    }
    let mut timings = rendered.timings;
    let mut files = rendered.files;
    let index_start = Instant::now();
    let index = crate::search::index::build(
        &rendered.site,
        &rendered.bodies,
        &crate::search::index::index_dir(&opts.cache_dir()),
    )?;
    let search_dir = format!("{}/", rendered.site.config.paths.search);
    files.extend(crate::search::web::files(
        &rendered.site,
        &rendered.bodies,
        &index,
        &rendered.strings,
        &search_dir,
    )?);
    timings.push(("index", index_start.elapsed()));
    let write_start = Instant::now();
    crate::write::write_atomic(&out, &files)?;
    timings.push(("write", write_start.elapsed()));
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    Ok(BuildReport {
        out,
        pages,
        files: files.len(),
        products: rendered.site.products.len(),
        partners: rendered.site.partners.len(),
        warnings: rendered.diagnostics,
        elapsed: start.elapsed(),
        timings,
    })
}

/// Every diagnostic of the site, without writing anything.
pub fn check(opts: &BuildOptions) -> Result<Vec<Diagnostic>, Error> {
    Ok(render_site(opts)?.diagnostics)
}

/// The output folder is replaced wholesale, so it must not hold the site.
fn guard_output(root: &Path, out: &Path) -> Result<(), Error> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|p| crate::model::normalize(&p))
            .unwrap_or_default()
    };
    let (root_abs, out_abs) = (abs(root), abs(out));
    let inside = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}/"));
    if inside(&root_abs, &out_abs) || inside(&out_abs, &format!("{root_abs}/content")) {
        return Err(Error::Output(format!(
            "refusing to build into `{}`: it holds the site's own files",
            out.display()
        )));
    }
    Ok(())
}
