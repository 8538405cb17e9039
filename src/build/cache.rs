//! The build cache: tells whether the output of the last build is still
//! exactly what a build would make, so that building an unchanged site
//! costs a walk and a hash of its files instead of the whole pipeline.
//!
//! The inputs are the content of every file of the site (`site.yaml`,
//! `content/`, `static/`, `templates/`, `themes/`), the build options, the
//! git commit (for last-change dates) and the `ayni` binary itself (its
//! embedded theme). The output is known by every file's path, size and
//! modification time, so a touched or deleted output file forces a build.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::build::BuildOptions;
use crate::build::write::FileStamp;
use crate::render::theme::{walk_files, walk_sources};

/// What the last build recorded in `.ayni-cache/build.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    /// Bumped when the manifest's meaning changes.
    pub format: u32,
    pub inputs: String,
    pub output: String,
    pub pages: usize,
    pub files: usize,
    pub products: usize,
    pub partners: usize,
    /// The warnings of that build, as printed without colour.
    pub warnings: Vec<String>,
}

const FORMAT: u32 = 2;

fn manifest_path(opts: &BuildOptions) -> PathBuf {
    opts.cache_dir().join("build.json")
}

/// A fingerprint of everything a build of `opts` depends on.
pub fn inputs(opts: &BuildOptions) -> u64 {
    let root = &opts.root;
    // `site.yaml` is the one input no walk finds: it is admitted here, so
    // that a link out of the site is not read (the load reports it).
    let config = root.join("site.yaml");
    let mut files = Vec::new();
    if crate::content::jail::Jail::new(root).admit(&config).is_ok() {
        files.push(("site.yaml".to_string(), config));
    }
    for dir in ["content", "static", "templates", "themes"] {
        files.extend(
            walk_sources(root, &root.join(dir))
                .into_iter()
                .map(|(rel, path)| (format!("{dir}/{rel}"), path)),
        );
    }
    // Each thread reads into one buffer: a fresh one per file was, at
    // 100,000 products, a gigabyte of memory to fault in before the build.
    let contents: Vec<(String, Option<u64>)> = files
        .into_par_iter()
        .map_init(Vec::new, |buf, (rel, path)| {
            buf.clear();
            let print = std::fs::File::open(&path)
                .and_then(|mut f| std::io::Read::read_to_end(&mut f, buf))
                .ok()
                .map(|_| crate::text::fingerprint_bytes(buf));
            (rel, print)
        })
        .collect();
    let out = std::path::absolute(opts.out_dir()).unwrap_or_else(|_| opts.out_dir());
    crate::text::fingerprint(&(
        tool(),
        contents,
        opts.drafts,
        &opts.base_url,
        out,
        crate::model::history::git_head(root),
    ))
}

/// A fingerprint of the `ayni` binary running: its version, and its size
/// and modification time.
pub fn tool() -> u64 {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| (m.len(), m.modified().ok()));
    crate::text::fingerprint(&(env!("CARGO_PKG_VERSION"), exe))
}

/// A fingerprint of the output folder: every file's path, size and
/// modification time. `None` when there is no output.
pub fn output(out: &Path) -> Option<u64> {
    if !out.is_dir() {
        return None;
    }
    let mut stamps: Vec<(String, FileStamp)> = walk_files(out)
        .into_par_iter()
        .filter_map(|(rel, path)| {
            let m = std::fs::metadata(&path).ok()?;
            crate::build::write::counted(&rel).then(|| (rel, (m.len(), m.modified().ok())))
        })
        .collect();
    stamps.sort_unstable();
    Some(stamps_print(&stamps))
}

/// The fingerprint [`output`] gives a folder with these files, sorted by
/// path, as writing them recorded (see [`crate::build::write::Staging::finish`]).
pub fn stamps_print(stamps: &[(String, FileStamp)]) -> u64 {
    crate::text::fingerprint(&stamps)
}

/// The manifest of the last build, if it is still valid for `inputs` and
/// the output's fingerprint is `out` (see [`output`]).
pub fn fresh(opts: &BuildOptions, inputs: u64, out: Option<u64>) -> Option<Manifest> {
    let text = std::fs::read_to_string(manifest_path(opts)).ok()?;
    let m: Manifest = serde_json::from_str(&text).ok()?;
    let out = out?;
    (m.format == FORMAT
        && m.inputs == format!("{inputs:016x}")
        && m.output == format!("{out:016x}"))
    .then_some(m)
}

/// Records a finished build. A failure only costs the next build its
/// shortcut, so it is not an error.
///
/// `out` is the output's fingerprint when the caller knows it (from the
/// stamps taken as it was written); otherwise the output is walked.
pub fn record(opts: &BuildOptions, inputs: u64, out: Option<u64>, mut m: Manifest) {
    let Some(out) = out.or_else(|| output(&opts.out_dir())) else {
        return;
    };
    m.format = FORMAT;
    m.inputs = format!("{inputs:016x}");
    m.output = format!("{out:016x}");
    let path = manifest_path(opts);
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Ok(text) = serde_json::to_string_pretty(&m) {
        let _ = std::fs::write(path, text);
    }
}

/// Forgets the last build, before a build that may fail halfway.
pub fn forget(opts: &BuildOptions) {
    let _ = std::fs::remove_file(manifest_path(opts));
}
