//! Watching a site's sources: which folders are watched, which events
//! matter, and how a burst of events becomes one batch of changed paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// The folders under the site root whose files make the site.
pub const SOURCES: [&str; 4] = ["content", "static", "templates", "themes"];

/// A save of one file ends after this long without events. An editor's
/// save (write, or write a temporary file and rename it over the old one)
/// sends its events within a millisecond or two, and every millisecond
/// waited here is a millisecond before the page shows the change.
pub const QUIET_ONE: Duration = Duration::from_millis(8);
/// Once a burst touches more than one path (or a folder), it ends only
/// after this long without events: long enough to join the events of a
/// `git checkout` or a script writing many files into one rebuild.
pub const QUIET: Duration = Duration::from_millis(40);
/// A burst that never goes quiet is still cut after this long, so a
/// process writing continuously does not hold back the preview forever.
pub const LONGEST: Duration = Duration::from_secs(2);

/// Watches `root` (for `site.yaml` and folders that appear later) and every
/// source folder in it. Events arrive on the returned channel.
pub fn start(
    root: &Path,
) -> notify::Result<(RecommendedWatcher, Receiver<notify::Result<notify::Event>>)> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in SOURCES {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok((watcher, rx))
}

/// Starts watching a source folder that was created after the server
/// started (a new `static/`, say). Watching it twice is harmless.
pub fn watch_new_sources(watcher: &mut RecommendedWatcher, root: &Path, changed: &[PathBuf]) {
    for path in changed {
        if path.parent() == Some(root)
            && path.is_dir()
            && path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| SOURCES.contains(&n))
        {
            let _ = watcher.watch(path, RecursiveMode::Recursive);
        }
    }
}

/// Whether a changed path can affect the site: `site.yaml`, or a file in a
/// source folder that is not an editor's scratch file.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    if first == "site.yaml" {
        return true;
    }
    if !SOURCES.contains(&first.as_ref()) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Editors' scratch files and other hidden files: the site skips them,
    // so their churn is not a change.
    !crate::content::sources::is_scratch(&name)
}

/// Waits for the next burst of relevant events and returns its paths
/// (sorted, without repeats), or `None` when the watcher is gone. A path in
/// the batch may no longer exist: deletions and renames are changes too.
pub fn next_batch(
    rx: &Receiver<notify::Result<notify::Event>>,
    root: &Path,
) -> Option<BTreeSet<PathBuf>> {
    let mut batch = BTreeSet::new();
    let take = |event: notify::Result<notify::Event>, batch: &mut BTreeSet<PathBuf>| {
        match event {
            // Reading a file is not changing it; the build's own reads
            // would otherwise trigger the next build.
            Ok(e) if matches!(e.kind, notify::EventKind::Access(_)) => {}
            Ok(e) => {
                if e.need_rescan() {
                    // Events were lost: treat the whole site as changed.
                    batch.insert(root.join("site.yaml"));
                }
                for p in e.paths {
                    if relevant(root, &p) {
                        batch.insert(p);
                    }
                }
            }
            Err(_) => {
                batch.insert(root.join("site.yaml"));
            }
        }
    };
    loop {
        let event = rx.recv().ok()?;
        take(event, &mut batch);
        if batch.is_empty() {
            continue;
        }
        let started = Instant::now();
        loop {
            if started.elapsed() >= LONGEST {
                return Some(batch);
            }
            let quiet = if batch.len() == 1 && !batch.iter().any(|p| p.is_dir()) {
                QUIET_ONE
            } else {
                QUIET
            };
            match rx.recv_timeout(quiet) {
                Ok(event) => take(event, &mut batch),
                Err(RecvTimeoutError::Timeout) => return Some(batch),
                Err(RecvTimeoutError::Disconnected) => return Some(batch),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_and_site_yaml_are_relevant() {
        let root = Path::new("/site");
        assert!(relevant(root, Path::new("/site/site.yaml")));
        assert!(relevant(root, Path::new("/site/content/casos/a.md")));
        assert!(relevant(root, Path::new("/site/static/css/x.css")));
        assert!(relevant(
            root,
            Path::new("/site/themes/t/templates/base.html")
        ));
        assert!(!relevant(root, Path::new("/site/public/index.html")));
        assert!(!relevant(root, Path::new("/site/.ayni-cache/serve/x")));
        assert!(!relevant(root, Path::new("/site/.git/index")));
        assert!(!relevant(root, Path::new("/site/content/casos/.a.md.swp")));
        assert!(!relevant(root, Path::new("/site/content/casos/a.md~")));
        assert!(!relevant(root, Path::new("/site/content/casos/4913")));
        assert!(!relevant(root, Path::new("/elsewhere/content/a.md")));
    }

    #[test]
    fn a_burst_of_events_is_one_batch() {
        let (tx, rx) = std::sync::mpsc::channel();
        let root = PathBuf::from("/site");
        let sender = std::thread::spawn(move || {
            for i in 0..1000 {
                let e = notify::Event::new(notify::EventKind::Any)
                    .add_path(PathBuf::from(format!("/site/content/p{}.md", i % 300)));
                tx.send(Ok(e)).unwrap();
            }
            std::thread::sleep(QUIET * 5);
            let read =
                notify::Event::new(notify::EventKind::Access(notify::event::AccessKind::Any))
                    .add_path(PathBuf::from("/site/content/read.md"));
            tx.send(Ok(read)).unwrap();
            let e = notify::Event::new(notify::EventKind::Any)
                .add_path(PathBuf::from("/site/content/last.md"));
            tx.send(Ok(e)).unwrap();
        });
        let first = next_batch(&rx, &root).unwrap();
        assert_eq!(first.len(), 300);
        // The read of content/read.md in between is not a change.
        let second = next_batch(&rx, &root).unwrap();
        assert_eq!(
            second.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("/site/content/last.md")]
        );
        sender.join().unwrap();
        assert!(next_batch(&rx, &root).is_none());
    }
}
