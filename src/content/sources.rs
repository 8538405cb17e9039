//! The site's source folders walked once and their files read once: the
//! build cache fingerprints what it reads here, and the load that follows
//! when the output is out of date takes the same walks and the Markdown
//! files' bytes instead of walking and reading again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::jail::{Jail, Walked};

/// Threads that wait on the disk: more than the cores, so that files not
/// in the page cache are asked for many at a time. With two, reading
/// 100,000 files the disk had to deliver took three times as long.
const IO_THREADS: usize = 16;

/// The pool the walks and reads of a build run on (see [`IO_THREADS`]);
/// the cores' own pool when it cannot be made.
pub(crate) fn on_io_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(IO_THREADS)
            .thread_name(|i| format!("ayni-io-{i}"))
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// The folders of a site a build reads, besides `site.yaml`.
pub const SOURCE_DIRS: [&str; 4] = ["content", "static", "templates", "themes"];

/// Hidden files and folders, and editors' scratch files (Vim's swap and
/// probe files, Emacs' lock and backup files): no part of the site. The
/// preview's watcher ignores the same names.
pub fn is_scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

/// Each source folder of the site at `root`, walked through its jail.
pub fn walks(jail: &Jail, root: &Path) -> Vec<(&'static str, Walked)> {
    SOURCE_DIRS
        .iter()
        .map(|dir| (*dir, jail.walk(&root.join(dir), is_scratch)))
        .collect()
}

/// Each source folder walked, and the bytes of the Markdown files of
/// `content/` by path.
#[derive(Debug, Default)]
pub struct SiteSources {
    pub walks: Vec<(&'static str, Walked)>,
    pub markdown: HashMap<PathBuf, Vec<u8>>,
}

/// A file of the walks and its fingerprint; the bytes of a Markdown file
/// of `content/` are kept.
type SourceRead = (String, Option<u64>, Option<(PathBuf, Vec<u8>)>);

impl SiteSources {
    /// Walks the source folders of the site at `root` through its jail
    /// (see [`Jail::walk`]) and reads every file found; returns them with
    /// each file's site-relative path and fingerprint (`None` when it could
    /// not be read), in the order walked.
    pub fn read(root: &Path) -> (SiteSources, Vec<(String, Option<u64>)>) {
        let jail = Jail::new(root);
        let walks = walks(&jail, root);
        let files: Vec<(String, &PathBuf, bool)> = walks
            .iter()
            .flat_map(|(dir, walked)| {
                walked.files.iter().map(move |(rel, path)| {
                    let kept = *dir == "content" && rel.ends_with(".md");
                    (format!("{dir}/{rel}"), path, kept)
                })
            })
            .collect();
        // Files not kept go through one buffer per thread: a fresh one for
        // each PDF and image is memory faulted in for nothing.
        let read: Vec<SourceRead> = on_io_pool(|| {
            files
                .into_par_iter()
                .map_init(Vec::new, |buf, (rel, path, kept)| {
                    if kept {
                        let bytes = jail.read_walked(path).ok();
                        let print = bytes.as_deref().map(crate::text::fingerprint_bytes);
                        return (rel, print, bytes.map(|b| (path.clone(), b)));
                    }
                    buf.clear();
                    let print = std::fs::File::open(path)
                        .and_then(|mut f| std::io::Read::read_to_end(&mut f, buf))
                        .ok()
                        .map(|_| crate::text::fingerprint_bytes(buf));
                    (rel, print, None)
                })
                .collect()
        });
        let mut markdown = HashMap::with_capacity(read.len());
        let prints = read
            .into_iter()
            .map(|(rel, print, bytes)| {
                markdown.extend(bytes);
                (rel, print)
            })
            .collect();
        (SiteSources { walks, markdown }, prints)
    }
}
