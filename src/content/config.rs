//! `site.yaml`: the site's settings, with defaults for every key.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::content::fields::Fields;
use crate::content::jail::Breach;
use crate::content::yaml::{Locator, parse_mapping};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::messages::Lang;

/// Every key `site.yaml` may have, in the contract's order.
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "ui_language",
    "theme",
    "paginate",
    "paths",
    "search",
    "kinds",
    "unsafe_html",
    "iframe_hosts",
    "citation_files",
    "covers",
];

const PATH_KEYS: &[&str] = &[
    "partners", "topics", "outcomes", "kinds", "years", "search", "api",
];

/// URL segment of each collection (`/partners/`, ...), renamable per site.
#[derive(Debug, Clone, Serialize)]
pub struct Paths {
    /// Partners' pages (`/partners/`).
    pub partners: String,
    /// Topics' pages.
    pub topics: String,
    /// Policy outcomes' pages.
    pub outcomes: String,
    /// Lists by kind of product.
    pub kinds: String,
    /// Lists by year.
    pub years: String,
    /// The search page and its index files.
    pub search: String,
    /// The JSON data files.
    pub api: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            partners: "partners".into(),
            topics: "topics".into(),
            outcomes: "outcomes".into(),
            kinds: "kinds".into(),
            years: "years".into(),
            search: "search".into(),
            api: "api".into(),
        }
    }
}

/// The site's settings, from `site.yaml`, with defaults for what it leaves out.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// The site's name.
    pub title: String,
    /// One sentence about the site, for the home page, feeds and search engines.
    pub description: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/kb/`), prefixed to every link.
    pub base_path: String,
    /// The language of the content (`es`, `en`), for `lang` and the search analysis.
    pub language: String,
    /// The language of the interface: labels, dates, messages.
    pub ui_language: String,
    /// The theme's name: `default`, or a folder under `themes/`.
    pub theme: String,
    /// Products per page of a list.
    pub paginate: usize,
    /// The URL segment of each collection.
    pub paths: Paths,
    /// Options for the search index, read by the search stage.
    pub search: Value,
    /// Extra kinds from `site.yaml`: id to label per language.
    pub kinds: BTreeMap<String, BTreeMap<String, String>>,
    /// Whether HTML in Markdown is kept as written instead of sanitized.
    pub unsafe_html: bool,
    /// Whether each product's citations are also written as files beside
    /// its page (`cite.bib`, `cite.ris`, `cite.json`), for sites whose
    /// readers have links to them; the Cite box offers them from the page.
    pub citation_files: bool,
    /// Hosts whose pages may be embedded with `<iframe>` in sanitized HTML.
    pub iframe_hosts: Vec<String>,
    /// Whether page 1 of each attached PDF is drawn as its cover.
    pub covers: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "ayni".into(),
            description: String::new(),
            base_url: "/".into(),
            base_path: "/".into(),
            language: "es".into(),
            ui_language: "es".into(),
            theme: "default".into(),
            paginate: 20,
            paths: Paths::default(),
            search: Value::Null,
            kinds: BTreeMap::new(),
            unsafe_html: false,
            citation_files: false,
            iframe_hosts: vec![
                "www.youtube.com".into(),
                "www.youtube-nocookie.com".into(),
                "player.vimeo.com".into(),
            ],
            covers: true,
        }
    }
}

impl Config {
    /// Every kind id a product may use.
    pub fn kind_ids(&self) -> Vec<&str> {
        crate::model::vocabulary::BUILTIN_KINDS
            .iter()
            .copied()
            .chain(self.kinds.keys().map(String::as_str))
            .collect()
    }

    /// Replaces the base URL (from `--base-url` or the preview server).
    pub fn set_base_url(&mut self, url: &str) {
        let mut url = url.trim().to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        let path = match url.find("://") {
            Some(i) => match url[i + 3..].find('/') {
                Some(j) => url[i + 3 + j..].to_string(),
                None => "/".into(),
            },
            None if url.starts_with('/') => url.clone(),
            None => format!("/{url}"),
        };
        self.base_url = url;
        self.base_path = path;
    }

    /// Reads `site.yaml` under `root`, or the defaults if there is none.
    pub fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>), std::io::Error> {
        let path = root.join("site.yaml");
        let text = match crate::content::jail::Jail::new(root).read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((Config::default(), Vec::new()));
            }
            // A link out of the site is the content's mistake, not the disk's.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                let at = SourceFile::new("site.yaml".into(), String::new());
                let path = crate::msg!("diag.outside-site.path", path = "site.yaml");
                let breach = e.get_ref().and_then(|b| b.downcast_ref::<Breach>());
                let said =
                    breach.map_or_else(|| format!("`site.yaml` {e}").into(), |b| b.said(path));
                let d = Diagnostic::error("outside-site", said)
                    .help(crate::msg!("diag.outside-site.help"))
                    .at(&at, 0..0);
                return Ok((Config::default(), vec![d]));
            }
            Err(e) => return Err(e),
        };
        let file = SourceFile::new("site.yaml".into(), text);
        Ok(Config::parse(&file))
    }

    /// The interface language of the site at `root`: `None` when there is
    /// no `site.yaml`, so that the caller falls back to the environment.
    pub fn interface_language(root: &Path) -> Option<String> {
        if !root.join("site.yaml").is_file() {
            return None;
        }
        Config::load(root).ok().map(|(c, _)| c.ui_language)
    }

    /// The language of a run's messages: `--lang`, the interface language
    /// of the site at `root`, the locale, Spanish (see `Lang::choose`).
    pub fn messages_language(flag: Option<Lang>, root: Option<&Path>) -> Lang {
        let site = root.and_then(Config::interface_language);
        Lang::choose(flag, site.as_deref())
    }

    /// Reads `site.yaml`: its settings, and every problem with its location.
    /// Settings that are wrong fall back to their defaults.
    pub fn parse(file: &SourceFile) -> (Config, Vec<Diagnostic>) {
        let mut config = Config::default();
        let text = file.text.trim_start_matches('\u{feff}');
        let base = file.text.len() - text.len();
        let map = match parse_mapping(text) {
            Ok(map) => map,
            Err(e) => {
                let m = crate::content::yaml_mistakes::explain(text, e.offset, &e.message);
                return (
                    config,
                    vec![crate::content::yaml_mistakes::mistake(file, base, m)],
                );
            }
        };
        let mut f = Fields::new(file, map, Locator::new(text, base), KEYS, "site.yaml");
        if let Some(v) = f.string("title") {
            config.title = v;
        }
        if let Some(v) = f.string("description") {
            config.description = v;
        }
        if let Some(v) = f.url("base_url") {
            config.set_base_url(&v);
        }
        if let Some(v) = f.choice("language", &["es", "en"]) {
            config.language = v.clone();
            config.ui_language = v;
        }
        if let Some(v) = f.choice("ui_language", &["es", "en"]) {
            config.ui_language = v;
        }
        config.layout(&mut f);
        config.paths(&mut f);
        if let Some(v) = f.raw("search") {
            config.search = v.clone();
        }
        config.kinds(&mut f);
        config.switches(&mut f);
        (config, f.finish())
    }

    /// The theme and how many items a list page shows.
    fn layout(&mut self, f: &mut Fields<'_>) {
        let file = f.file;
        if let Some(v) = f.string("theme") {
            if v.contains(['/', '\\']) || v.starts_with('.') {
                let span = f.span("theme", None, None);
                f.error(
                    Diagnostic::error("bad-path", crate::msg!("diag.bad-path.theme"))
                        .at(file, span),
                );
            } else {
                self.theme = v;
            }
        }
        if let Some(n) = f.get::<usize>("paginate", "a whole number of at least 1") {
            if n == 0 {
                let span = f.span("paginate", None, None);
                f.error(
                    Diagnostic::error("bad-value", crate::msg!("diag.bad-value.paginate"))
                        .at(file, span),
                );
            } else {
                self.paginate = n;
            }
        }
    }

    /// `paths`: the URL segment of each collection, slugified.
    fn paths(&mut self, f: &mut Fields<'_>) {
        let file = f.file;
        let Some(paths) =
            f.get::<BTreeMap<String, String>>("paths", "a map of collection to URL segment")
        else {
            return;
        };
        for (k, v) in paths {
            let seg = crate::text::slugify(&v);
            let slot = match k.as_str() {
                "partners" => &mut self.paths.partners,
                "topics" => &mut self.paths.topics,
                "outcomes" => &mut self.paths.outcomes,
                "kinds" => &mut self.paths.kinds,
                "years" => &mut self.paths.years,
                "search" => &mut self.paths.search,
                "api" => &mut self.paths.api,
                _ => {
                    let span = f.span("paths", None, Some(&k));
                    f.error(unknown_path(file, span, &k));
                    continue;
                }
            };
            if !seg.is_empty() {
                *slot = seg;
            }
        }
    }

    /// `kinds`: the site's kinds of product, as a list of ids or a map of
    /// ids to a label (one for both languages, or one per language).
    fn kinds(&mut self, f: &mut Fields<'_>) {
        let file = f.file;
        match f.raw("kinds").cloned() {
            None => {}
            Some(Value::Object(m)) => {
                for (id, label) in m {
                    let labels = match label {
                        Value::String(s) => [("es".to_string(), s.clone()), ("en".to_string(), s)]
                            .into_iter()
                            .collect(),
                        Value::Object(l) => l
                            .into_iter()
                            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                            .collect(),
                        _ => BTreeMap::new(),
                    };
                    self.kinds.insert(id, labels);
                }
            }
            Some(Value::Array(items)) => {
                for id in items.iter().filter_map(Value::as_str) {
                    self.kinds.insert(id.to_string(), BTreeMap::new());
                }
            }
            Some(other) => {
                let span = f.span("kinds", None, None);
                f.error(
                    Diagnostic::error("wrong-type", crate::msg!("diag.wrong-type.kinds"))
                        .at(file, span)
                        .label(crate::content::fields::found(&other))
                        .help(crate::msg!("diag.wrong-type.kinds-help")),
                );
            }
        }
    }

    /// The keys that turn features on or off.
    fn switches(&mut self, f: &mut Fields<'_>) {
        self.unsafe_html = f.bool("unsafe_html");
        self.citation_files = f.bool("citation_files");
        if f.has("iframe_hosts") {
            self.iframe_hosts = f.string_list("iframe_hosts");
        }
        if f.has("covers") {
            self.covers = f.bool("covers");
        }
    }
}

/// A collection under `paths` that the site does not have.
fn unknown_path(file: &SourceFile, span: std::ops::Range<usize>, key: &str) -> Diagnostic {
    let keys = PATH_KEYS.join(", ");
    Diagnostic::error(
        "unknown-key",
        crate::msg!("diag.unknown-key.path", key = key),
    )
    .at(file, span)
    .suggest(crate::diagnostics::did_you_mean(
        key,
        PATH_KEYS.iter().copied(),
    ))
    .help(crate::msg!("diag.unknown-key.path-help", keys = keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_from_base_url() {
        let mut c = Config::default();
        c.set_base_url("https://org.github.io/kb");
        assert_eq!(c.base_url, "https://org.github.io/kb/");
        assert_eq!(c.base_path, "/kb/");
        c.set_base_url("https://example.org");
        assert_eq!(c.base_path, "/");
    }

    #[test]
    fn reports_unknown_keys_and_keeps_defaults() {
        let file = SourceFile::new(
            "site.yaml".into(),
            "title: Hola\npaginte: 5\nlanguage: en\n",
        );
        let (c, diags) = Config::parse(&file);
        assert_eq!(c.title, "Hola");
        assert_eq!(c.paginate, 20);
        assert_eq!(c.ui_language, "en");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].suggestion.as_deref(), Some("paginate"));
        assert_eq!(diags[0].position().unwrap().0, (2, 1));
    }
}
