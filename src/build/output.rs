//! Which folders a build may write its output into. The output is replaced
//! whole, so it must be ayni's alone: a folder that is absent, empty, or
//! marked by an earlier build ([`crate::build::write::MARKER`]). The site's own
//! folders, `.git`, the file system's root and the home folder never are.

use crate::messages::Msg;
use crate::msg;
use std::path::{Component, Path, PathBuf};

use crate::build::BuildOptions;
use crate::error::Error;

/// The site's folders and files an output must not be, nor be inside.
const SITE_PARTS: &[&str] = &["content", "static", "themes", "templates", "site.yaml"];

/// Refuses an output folder the build must not replace, saying why and
/// what to do instead.
pub fn guard(opts: &BuildOptions) -> Result<(), Error> {
    let out = opts.out_dir();
    let why = refusal(&opts.root, &out, &opts.cache_dir())?;
    match why {
        None => Ok(()),
        Some(why) => Err(Error::Refused(
            msg!("out.refused", out = out.display()).nested("why", why),
        )),
    }
}

/// Why `out` may not be the output of the site at `root`, if it may not.
fn refusal(root: &Path, out: &Path, cache: &Path) -> Result<Option<Msg>, Error> {
    let (root, cache, out_real) = (real(root), real(cache), real(out));
    if out_real.parent().is_none() {
        return Ok(Some(msg!("out.root")));
    }
    if home().is_some_and(|h| h == out_real) {
        return Ok(Some(msg!("out.home")));
    }
    if out_real.components().any(|c| c.as_os_str() == ".git") {
        return Ok(Some(msg!("out.git")));
    }
    if root.starts_with(&out_real) {
        return Ok(Some(msg!("out.site")));
    }
    if let Some(part) = SITE_PARTS
        .iter()
        .find(|p| out_real.starts_with(root.join(p)))
    {
        return Ok(Some(msg!("out.part", part = part)));
    }
    let index = crate::search::index::index_dir(&cache);
    if cache.starts_with(&out_real) || out_real.starts_with(&index) {
        return Ok(Some(msg!("out.cache")));
    }
    contents(out)
}

/// Why the folder at `out`, as it is now, may not be replaced.
fn contents(out: &Path) -> Result<Option<Msg>, Error> {
    let meta = match std::fs::metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(out, e)),
    };
    if !meta.is_dir() {
        return Ok(Some(msg!("out.file")));
    }
    if out.join(crate::build::write::MARKER).is_file() || earlier_output(out) {
        return Ok(None);
    }
    let mut entries = std::fs::read_dir(out).map_err(|e| Error::io(out, e))?;
    if entries.next().is_none() {
        return Ok(None);
    }
    Ok(Some(msg!(
        "out.foreign",
        marker = crate::build::write::MARKER
    )))
}

/// Whether `dir` is the output of a build made before outputs were marked:
/// a home page, a 404 page and a sitemap, and a folder with the search
/// index's `meta.json` and `facets.json`, which no other tool writes.
fn earlier_output(dir: &Path) -> bool {
    let has = |p: &Path, names: &[&str]| names.iter().all(|n| p.join(n).is_file());
    if !has(dir, &["index.html", "404.html", "sitemap.xml"]) {
        return false;
    }
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| has(&e.path(), &["meta.json", "facets.json"]))
    })
}

/// `path` made absolute, with `.` and `..` resolved and every symbolic
/// link of the part that exists followed: a link must not lead a build
/// into a folder it would refuse by name.
fn real(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            c => clean.push(c),
        }
    }
    let mut missing = Vec::new();
    let mut existing = clean.as_path();
    loop {
        if let Ok(found) = existing.canonicalize() {
            return missing.iter().rev().fold(found, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return clean,
        }
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| real(Path::new(&h)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(root: &Path, out: &Path) -> Option<String> {
        refusal(root, out, &root.join(".ayni-cache"))
            .unwrap()
            .map(|m| m.say(crate::messages::Lang::En))
    }

    #[test]
    fn the_site_and_its_surroundings_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        for out in [
            root.clone(),
            root.join("."),
            root.join("content/x/.."),
            dir.path().to_path_buf(),
            root.join("content"),
            root.join("static"),
            root.join("static/img"),
            root.join("themes"),
            root.join("templates"),
            root.join(".git"),
            root.join(".git/public"),
            root.join(".ayni-cache"),
            root.join(".ayni-cache/search"),
            PathBuf::from("/"),
            PathBuf::from("//"),
            PathBuf::from("/.."),
        ] {
            assert!(refused(&root, &out).is_some(), "{}", out.display());
        }
        for out in [
            root.join("public"),
            root.join(".ayni-cache/serve/public"),
            dir.path().join("elsewhere/new"),
        ] {
            assert_eq!(refused(&root, &out), None, "{}", out.display());
        }
    }

    #[test]
    fn only_empty_marked_or_earlier_outputs_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        assert_eq!(refused(&root, &out), None, "an empty folder");
        std::fs::write(out.join("tesis.docx"), "mine").unwrap();
        assert!(refused(&root, &out).unwrap().contains("no ayni build"));
        for f in ["index.html", "404.html", "sitemap.xml"] {
            std::fs::write(out.join(f), "x").unwrap();
        }
        assert!(refused(&root, &out).is_some(), "a page and a sitemap");
        std::fs::create_dir_all(out.join("search")).unwrap();
        for f in ["meta.json", "facets.json"] {
            std::fs::write(out.join("search").join(f), "{}").unwrap();
        }
        assert_eq!(refused(&root, &out), None, "an output of an earlier ayni");
        std::fs::remove_dir_all(out.join("search")).unwrap();
        std::fs::write(out.join(crate::build::write::MARKER), "").unwrap();
        assert_eq!(refused(&root, &out), None, "a marked output");
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(refused(&root, &file).unwrap().contains("file"));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_refused_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::os::unix::fs::symlink(root.join("static"), dir.path().join("link")).unwrap();
        assert!(refused(&root, &dir.path().join("link")).is_some());
    }
}
