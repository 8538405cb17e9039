//! Fixture helpers: copy a fixture site to a temporary folder, build it,
//! read its pages.

use std::path::{Path, PathBuf};

use ayni::build::{BuildOptions, BuildReport, build};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of a fixture site that tests may edit.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixtures().join(name), dir.path());
        Site { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn opts(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    pub fn build(&self) -> BuildReport {
        match build(&self.opts()) {
            Ok(r) => r,
            Err(ayni::Error::Content(d)) => {
                panic!(
                    "build failed:\n{}",
                    d.iter()
                        .map(|d| d.render(false, ayni::messages::Lang::En))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            }
            Err(e) => panic!("build failed: {e}"),
        }
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// A built page, by its URL path (`/casos/uno/`).
    pub fn page(&self, url: &str) -> String {
        read_page(&self.out(), url)
    }
}

pub fn read_page(out: &Path, url: &str) -> String {
    let rel = url.trim_start_matches('/');
    let p = if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    };
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The text of the first element that starts with `open` (e.g.
/// `<section class="section role" id="role-author"`) up to `close`.
pub fn between<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("`{open}` not in page"));
    let rest = &html[start..];
    let end = rest.find(close).unwrap_or(rest.len());
    &rest[..end]
}

/// Every `href` and `src` attribute value of a page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            let end = after.find('"').unwrap_or(after.len());
            out.push(after[..end].replace("&amp;", "&"));
            rest = &after[end..];
        }
    }
    out
}
