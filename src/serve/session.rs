//! The preview's session: the site kept in memory between rebuilds, and
//! what each rebuild changed in the output folder. It runs the build's
//! [`pipeline`] with the keys of the render before, and
//! [`crate::serve::incremental`] applies an edit of products in place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::write::OutputFile;
use crate::build::{BuildOptions, Caches, Rendered, pipeline};
use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::markdown::Bodies;
use crate::model::Site;
use crate::render::{PageKeys, ViewParts};
use crate::search::stage::Indexed;

/// A site kept in memory between rebuilds, for the preview server: each
/// rebuild reads only the files that changed, renders only the pages whose
/// inputs changed, and writes only the output files whose bytes changed.
/// The output is the same, file for file, as a clean build's.
pub struct Session {
    /// What each rebuild builds.
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
    /// applied in place (see `serve::incremental`).
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
        let search = Indexed::make(&self.site, &self.bodies, &self.strings, &self.dir)?;
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
    /// Pages kept from the previous render.
    pub kept: usize,
    /// The site was updated in place (see `serve::incremental`) rather
    /// than read and resolved again.
    pub in_place: bool,
    /// The site's warnings.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took.
    pub timings: Vec<(&'static str, Duration)>,
    /// Attached PDFs parsed again (new or changed ones).
    pub pdfs_read: usize,
}

impl Session {
    /// A session that has built nothing yet.
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
