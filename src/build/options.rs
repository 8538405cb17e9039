//! What a build is asked to do: the site's folder, where its output and
//! caches go, and what the command line overrides of `site.yaml`.

use std::path::PathBuf;

/// What a build, a check or a preview is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder, with `site.yaml` and `content/`.
    pub root: PathBuf,
    /// Output folder; `public/` under the root by default.
    pub out: Option<PathBuf>,
    /// Whether products marked `draft: true` are built.
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
    /// Options for the site in `root`, with every default.
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

    /// Where the search index and the build's caches go.
    pub fn cache_dir(&self) -> PathBuf {
        self.cache
            .clone()
            .unwrap_or_else(|| self.root.join(".ayni-cache"))
    }

    /// Where the site is written.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}
