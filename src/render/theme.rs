//! Themes: the Tera templates, static files and interface strings a site is
//! rendered with. The default theme is compiled into the binary so any site
//! builds without copying it; a site's `themes/<name>/` and `templates/`
//! override it file by file.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use tera::Tera;

use crate::content::jail::Jail;
use crate::error::Error;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// Every template of the default theme, by name under `templates/`.
const TEMPLATES: &[(&str, &str)] = embed!(
    "templates/base.html",
    "templates/macros.html",
    "templates/home.html",
    "templates/product.html",
    "templates/partner.html",
    "templates/partners.html",
    "templates/topic.html",
    "templates/topics.html",
    "templates/outcome.html",
    "templates/outcomes.html",
    "templates/kind.html",
    "templates/year.html",
    "templates/list.html",
    "templates/alias.html",
    "templates/404.html",
    "templates/search.html",
    "templates/page.html",
);

const STATIC: &[(&str, &str)] = embed!(
    "static/css/ayni.css",
    "static/favicon.svg",
    "static/js/search.js"
);

const I18N: &[(&str, &str)] = embed!("i18n/es.yaml", "i18n/en.yaml");

/// A static file to publish: embedded bytes or a file on disk.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static str),
    Disk(PathBuf),
}

pub struct Theme {
    pub tera: Tera,
    /// Output path (relative to the output root) and where it comes from.
    pub statics: Vec<(String, StaticSource)>,
    /// Interface strings of the site's `ui_language`.
    pub strings: Map<String, Value>,
    /// A hash of the templates, strings and the stylesheet and script that
    /// pages link with a version: pages made with another theme are stale.
    pub fingerprint: u64,
    /// Whether [`CARD_TEMPLATE`] compiled: the theme's `macros.html` can
    /// make a product's card on its own.
    pub cards: bool,
    /// Whether the templates that list products ([`CARD_LISTS`]) are the
    /// default theme's, which show a listed card by its HTML alone: their
    /// lists then get no other field of it. A theme's or a site's own
    /// template gets them all, and may show any.
    pub cards_by_html: bool,
}

/// The default theme's templates that list products through `card_list`,
/// and the macros that make the list: what reads a listed card. The
/// outcome page shows its products with the `card` macro itself, from
/// their whole views, and is not among them.
const CARD_LISTS: &[&str] = &[
    "macros.html",
    "home.html",
    "list.html",
    "kind.html",
    "year.html",
    "topic.html",
    "partner.html",
    "product.html",
];

/// Whether every template of [`CARD_LISTS`] is the default theme's.
fn lists_are_default(templates: &[(String, String)]) -> bool {
    CARD_LISTS.iter().all(|name| {
        let embedded = embedded_templates().find(|(n, _)| n == name);
        let used = templates.iter().find(|(n, _)| n == name);
        embedded.is_some_and(|(_, body)| used.is_some_and(|(_, b)| b == body))
    })
}

/// The default theme's templates, by name under `templates/`.
fn embedded_templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    TEMPLATES
        .iter()
        .map(|(n, body)| (n.trim_start_matches("templates/"), *body))
}

/// The theme's templates by name: the embedded ones, replaced or added to
/// by the theme folder's, then by the site's own `templates/`.
fn read_templates(root: &Path, theme_dir: &Path) -> Result<Vec<(String, String)>, Error> {
    let mut templates: Vec<(String, String)> = embedded_templates()
        .map(|(n, body)| (n.to_string(), body.to_string()))
        .collect();
    for dir in [theme_dir.join("templates"), root.join("templates")] {
        for (name, body) in read_dir_files(root, &dir)? {
            if !name.ends_with(".html") && !name.ends_with(".xml") && !name.ends_with(".txt") {
                continue;
            }
            match templates.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = body,
                None => templates.push((name, body)),
            }
        }
    }
    Ok(templates)
}

/// Tera with the templates, and whether the card macro could be
/// registered as a template of its own (see [`CARD_TEMPLATE`]).
fn template_engine(templates: Vec<(String, String)>) -> Result<(Tera, bool), Error> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which bloats every URL in a page.
    tera.set_escape_fn(escape);
    let has_macros = templates.iter().any(|(n, _)| n == "macros.html");
    tera.add_raw_templates(templates)
        .map_err(Error::Templates)?;
    // A theme without the macro still works: its lists call their own.
    let cards = has_macros
        && tera
            .add_raw_template(
                CARD_TEMPLATE,
                r#"{% import "macros.html" as m %}{{ m::card(p=p, t=t, heading=heading) }}"#,
            )
            .is_ok();
    Ok((tera, cards))
}

/// The static files: the embedded ones, replaced or added to by the theme
/// folder's `static/`.
fn read_statics(root: &Path, theme_dir: &Path) -> Vec<(String, StaticSource)> {
    let mut statics: Vec<(String, StaticSource)> = STATIC
        .iter()
        .map(|(n, body)| {
            (
                n.trim_start_matches("static/").to_string(),
                StaticSource::Embedded(body),
            )
        })
        .collect();
    for (rel, path) in walk_sources(root, &theme_dir.join("static")) {
        match statics.iter_mut().find(|(n, _)| *n == rel) {
            Some(slot) => slot.1 = StaticSource::Disk(path),
            None => statics.push((rel, StaticSource::Disk(path))),
        }
    }
    statics
}

/// The interface strings of `ui_language`: the embedded ones, with the
/// theme folder's merged over them.
fn read_strings(
    root: &Path,
    theme_dir: &Path,
    ui_language: &str,
) -> Result<Map<String, Value>, Error> {
    let mut strings = Map::new();
    let embedded = I18N
        .iter()
        .find(|(n, _)| *n == format!("i18n/{ui_language}.yaml"))
        .map(|(_, t)| t.to_string());
    let on_disk = Jail::new(root)
        .read(&theme_dir.join("i18n").join(format!("{ui_language}.yaml")))
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    for text in [embedded, on_disk].into_iter().flatten() {
        let map = crate::content::yaml::parse_mapping(&text).map_err(|e| {
            Error::Theme(format!(
                "interface strings for `{ui_language}`: {}",
                e.message
            ))
        })?;
        merge(&mut strings, map);
    }
    if strings.is_empty() {
        return Err(Error::Theme(format!(
            "no interface strings for language `{ui_language}`"
        )));
    }
    Ok(strings)
}

/// Renders the theme's own `card` macro for one product (`p`) and heading
/// level (`heading`). A product's card is the same on every list it is
/// on, so it is made once per render rather than once per list.
pub const CARD_TEMPLATE: &str = "ayni/card.html";

impl Theme {
    /// Loads the theme named in `site.yaml` for the site at `root`.
    pub fn load(root: &Path, name: &str, ui_language: &str) -> Result<Theme, Error> {
        let theme_dir = root.join("themes").join(name);
        if name != "default" && !theme_dir.is_dir() {
            return Err(Error::Theme(format!(
                "theme `{name}` not found: expected a folder themes/{name}/"
            )));
        }
        let templates = read_templates(root, &theme_dir)?;
        let templates_print = crate::text::fingerprint(&templates);
        let default_lists = lists_are_default(&templates);
        let (tera, cards) = template_engine(templates)?;
        let mut theme = Theme {
            tera,
            statics: read_statics(root, &theme_dir),
            fingerprint: 0,
            strings: read_strings(root, &theme_dir, ui_language)?,
            cards,
            cards_by_html: cards && default_lists,
        };
        theme.fingerprint = crate::text::fingerprint(&(
            templates_print,
            Value::Object(theme.strings.clone()).to_string(),
            theme.static_bytes("css/ayni.css"),
            theme.static_bytes("js/search.js"),
        ));
        Ok(theme)
    }

    /// The text of a static file, for fingerprinting.
    pub fn static_bytes(&self, rel: &str) -> Option<Vec<u8>> {
        self.statics
            .iter()
            .find(|(n, _)| n == rel)
            .and_then(|(_, s)| match s {
                StaticSource::Embedded(t) => Some(t.as_bytes().to_vec()),
                StaticSource::Disk(p) => std::fs::read(p).ok(),
            })
    }
}

/// The interface string `group.id` (a kind's name, a role's label). An
/// extra kind from `site.yaml` the theme has no name for is called what
/// `site.yaml` calls it, in the interface's language or else its first,
/// on pages and in search results alike; anything else unnamed is `id`
/// itself, hyphens as spaces.
pub fn site_label(
    strings: &Map<String, Value>,
    config: &crate::content::config::Config,
    group: &str,
    id: &str,
) -> String {
    strings
        .get(group)
        .and_then(|g| g.get(id))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            let labels = config.kinds.get(id)?;
            labels
                .get(&config.ui_language)
                .or_else(|| labels.values().next())
                .cloned()
        })
        .unwrap_or_else(|| id.replace('-', " "))
}

fn escape(s: &str) -> String {
    crate::text::escape_html(s)
}

fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

fn read_dir_files(root: &Path, dir: &Path) -> Result<Vec<(String, String)>, Error> {
    let jail = Jail::new(root);
    let mut out = Vec::new();
    for (rel, path) in walk_sources(root, dir) {
        let bytes = jail.read(&path).map_err(|e| Error::io(path.clone(), e))?;
        let body = String::from_utf8(bytes).map_err(|e| {
            Error::io(
                path.clone(),
                std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            )
        })?;
        out.push((rel, body));
    }
    Ok(out)
}

/// A hidden file or folder's name.
pub fn hidden(name: &str) -> bool {
    name.starts_with('.')
}

/// Files under `dir`, a folder of the site at `root` (`static/`,
/// templates, themes; none if it does not exist), relative,
/// `/`-separated, without editors' scratch files, and without links that
/// leave the site, which the load reports.
pub fn walk_sources(root: &Path, dir: &Path) -> Vec<(String, PathBuf)> {
    Jail::new(root)
        .walk(dir, crate::content::sources::is_scratch)
        .files
}

/// The output paths of a theme's static files, the embedded ones and those
/// of `themes/<name>/static`, without loading its templates.
pub fn static_paths(root: &Path, name: &str) -> Vec<String> {
    let mut paths: Vec<String> = STATIC
        .iter()
        .map(|(n, _)| n.trim_start_matches("static/").to_string())
        .collect();
    let dir = root.join("themes").join(name).join("static");
    paths.extend(walk_sources(root, &dir).into_iter().map(|(rel, _)| rel));
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_that_does_not_parse_keeps_teras_error_as_its_source() {
        let broken = vec![("page.html".to_string(), "<p>{% if %}</p>".to_string())];
        let Err(e) = template_engine(broken) else {
            panic!("a broken template was taken")
        };
        assert!(matches!(e, Error::Templates(_)), "{e:?}");
        let source = std::error::Error::source(&e).expect("Tera's error is the source");
        assert!(source.to_string().contains("page.html"), "{source}");
        // The message spells out the chain: which template, and where.
        assert!(e.to_string().starts_with("theme: "), "{e}");
        assert!(e.to_string().len() > source.to_string().len(), "{e}");
    }

    fn default_templates() -> Vec<(String, String)> {
        embedded_templates()
            .map(|(n, b)| (n.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn cards_go_by_their_html_only_while_every_list_is_the_default_themes() {
        let mut templates = default_templates();
        assert!(lists_are_default(&templates));
        // A template that lists no products may be a site's own.
        let page = templates
            .iter_mut()
            .find(|(n, _)| n == "page.html")
            .unwrap();
        page.1 = "{{ page.title }}".into();
        assert!(lists_are_default(&templates));
        for name in CARD_LISTS {
            let mut templates = default_templates();
            let own = templates.iter_mut().find(|(n, _)| n == name).unwrap();
            own.1.push_str("{# a site's own #}");
            assert!(!lists_are_default(&templates), "{name}");
        }
    }

    #[test]
    fn every_default_template_that_lists_cards_is_counted_as_one() {
        for (name, body) in default_templates() {
            if body.contains("card_list(") || body.contains(".cards") {
                assert!(CARD_LISTS.contains(&name.as_str()), "{name} lists cards");
            }
        }
    }
}
