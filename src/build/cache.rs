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
use crate::content::sources::SiteSources;

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

/// A fingerprint of everything a build of `opts` depends on, and the
/// source folders as walked and read for it, for the load of a build.
pub fn inputs(opts: &BuildOptions) -> (u64, SiteSources) {
    let root = &opts.root;
    // `site.yaml` is the one input no walk finds: it is admitted here, so
    // that a link out of the site is not read (the load reports it).
    let config = root.join("site.yaml");
    let mut contents = Vec::new();
    if crate::content::jail::Jail::new(root).admit(&config).is_ok() {
        let print = std::fs::read(&config)
            .ok()
            .map(|b| crate::text::fingerprint_bytes(&b));
        contents.push(("site.yaml".to_string(), print));
    }
    let (sources, prints) = SiteSources::read(root);
    contents.extend(prints);
    let out = std::path::absolute(opts.out_dir()).unwrap_or_else(|_| opts.out_dir());
    let print = crate::text::fingerprint(&(
        tool(),
        contents,
        opts.drafts,
        &opts.base_url,
        out,
        crate::model::history::git_head(root),
    ));
    (print, sources)
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
    let mut stamps = crate::content::sources::on_io_pool(|| stamps_under(out, ""));
    stamps.sort_unstable();
    Some(stamps_print(&stamps))
}

/// The stamps of the files under `dir`, whose output path starts with
/// `prefix`, hidden names left out as a build leaves them out. The folders
/// are read many at a time: a large site's output is tens of thousands of
/// them. A link is no file a build writes: it stands as a stamp no build
/// recorded, so an output holding one is never taken as up to date.
fn stamps_under(dir: &Path, prefix: &str) -> Vec<(String, FileStamp)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let entries: Vec<(String, std::fs::DirEntry)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            (!crate::render::theme::hidden(&name)).then(|| (format!("{prefix}{name}"), e))
        })
        .collect();
    entries
        .into_par_iter()
        .flat_map_iter(|(rel, e)| {
            let kind = e.file_type().ok();
            if kind.is_some_and(|k| k.is_dir()) {
                return stamps_under(&e.path(), &format!("{rel}/"));
            }
            let stamp = match kind {
                Some(k) if k.is_file() => e.metadata().ok().map(|m| (m.len(), m.modified().ok())),
                _ => Some((u64::MAX, None)),
            };
            stamp.map(|st| (rel, st)).into_iter().collect()
        })
        .collect()
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_output_print_is_every_visible_files_stamp_and_a_link_changes_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        for (rel, text) in [("index.html", "i"), ("a/b/c.txt", "cc"), (".h/x", "x")] {
            std::fs::create_dir_all(out.join(rel).parent().unwrap()).unwrap();
            std::fs::write(out.join(rel), text).unwrap();
        }
        let stamp = |rel: &str| {
            let m = std::fs::metadata(out.join(rel)).unwrap();
            (rel.to_string(), (m.len(), m.modified().ok()))
        };
        let print = output(out).unwrap();
        assert_eq!(
            print,
            stamps_print(&[stamp("a/b/c.txt"), stamp("index.html")])
        );
        std::fs::write(out.join("a/.scratch"), "s").unwrap();
        assert_eq!(output(out), Some(print), "hidden names count for nothing");
        std::os::unix::fs::symlink(out.join("index.html"), out.join("a/l.html")).unwrap();
        assert_ne!(output(out), Some(print), "a link no build wrote");
        std::fs::remove_file(out.join("a/l.html")).unwrap();
        std::fs::write(out.join("a/b/c.txt"), "changed").unwrap();
        assert_ne!(output(out), Some(print));
        assert_eq!(output(&out.join("none")), None);
    }
}
