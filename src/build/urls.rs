//! Paths of the site that authors write: the one normalisation of an alias
//! (for `check`, `build` and the preview server alike), the set of every
//! path a build generates, and the questions asked of it: is a path taken
//! (by a page, a generated file, a static file or an attachment), and does
//! a site-absolute link name something the build makes.
//!
//! Keys are compared without case: a site built on a case-insensitive file
//! system, or served by a host that folds case, would write one over the
//! other.

use std::collections::{HashMap, HashSet};

/// Why a written alias cannot be a path of this site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AliasProblem {
    /// Nothing is left once `.`, empty segments and slashes are removed:
    /// the alias would replace the home page.
    Home,
    /// A `..` segment, which could climb out of the output folder.
    Climbs,
    /// A scheme, or a leading `//` or host name: an address elsewhere.
    Address,
    /// A character that cannot stand in a folder name or a URL path.
    Char(char),
    /// Percent-escapes that do not decode to UTF-8.
    Encoding,
}

impl AliasProblem {
    pub fn message(&self) -> String {
        match self {
            AliasProblem::Home => "this alias is the home page".into(),
            AliasProblem::Climbs => "an alias cannot contain `..`".into(),
            AliasProblem::Address => {
                "this alias looks like a web address; an alias is a path on this site".into()
            }
            AliasProblem::Char(c) if c.is_control() => format!(
                "an alias cannot contain the control character U+{:04X}",
                *c as u32
            ),
            AliasProblem::Char(c) => format!("an alias cannot contain `{c}`"),
            AliasProblem::Encoding => "this alias's percent-escapes are not UTF-8".into(),
        }
    }
}

/// Characters that make odd folder names or change what a URL means.
const FORBIDDEN: &[char] = &['"', '<', '>', '?', '#', '|', '*', '%', ':'];

/// The folder path (`/a/b/`) an alias redirects from, or why it cannot be
/// one. Escapes are decoded once, `\` is a separator, repeated slashes and
/// `.` segments go; `..`, a scheme, a leading `//`, a host name and what
/// cannot be a folder name are refused.
pub fn normalize_alias(raw: &str) -> Result<String, AliasProblem> {
    let raw = raw.trim();
    if has_scheme(raw) {
        return Err(AliasProblem::Address);
    }
    // A leading `//` as written, not as decoded: `%2F/` is a folder name
    // gone wrong, `//host/` an address.
    let protocol_relative = raw.replace('\\', "/").starts_with("//");
    let decoded = String::from_utf8(percent_decode(raw)).map_err(|_| AliasProblem::Encoding)?;
    if let Some(c) = decoded
        .chars()
        .find(|c| c.is_control() || FORBIDDEN.contains(c))
    {
        return Err(AliasProblem::Char(c));
    }
    let mut segments = Vec::new();
    for s in decoded.split(['/', '\\']) {
        match s {
            "" | "." => {}
            ".." => return Err(AliasProblem::Climbs),
            s => segments.push(s),
        }
    }
    match segments.first() {
        None => Err(AliasProblem::Home),
        Some(_) if protocol_relative => Err(AliasProblem::Address),
        Some(first) if looks_like_host(first) => Err(AliasProblem::Address),
        Some(_) => Ok(format!("/{}/", segments.join("/"))),
    }
}

/// `http:`, `mailto:`, `c:`: a scheme or a drive, never a path here.
fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
}

/// `evil.example` or `www.x.org`: a first segment a browser or a reader
/// takes for a host. A file name (`viejo.html`) is not one.
fn looks_like_host(segment: &str) -> bool {
    const FILE_ENDINGS: &[&str] = &[
        "html", "htm", "php", "asp", "aspx", "jsp", "cgi", "pdf", "xml", "json", "txt",
    ];
    let labels: Vec<&str> = segment.split('.').collect();
    let Some(last) = labels.last() else {
        return false;
    };
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && last.len() >= 2
        && last.chars().all(|c| c.is_ascii_alphabetic())
        && !FILE_ENDINGS.contains(&last.to_ascii_lowercase().as_str())
}

/// Decodes `%XX` escapes once; a `%` without two hex digits stays.
pub fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Every path a build of the site generates, to tell whether an alias,
/// slug or link lands on one.
#[derive(Debug, Clone, Default)]
pub struct SitePaths {
    /// Page folders (`/a/b/`, lower case) and what is published there.
    pages: HashMap<String, String>,
    /// Output files (`a/b.pdf`, lower case, no leading slash).
    files: HashSet<String>,
    /// First segments whose whole folder ayni generates (`partners`, the
    /// search files, the data files).
    reserved: HashSet<String>,
    /// Of those, the ones whose files are not all known by name (the
    /// search files): any link into them is taken as found.
    opaque: HashSet<String>,
}

impl SitePaths {
    /// Reserves the folder `segment` as ayni's; with `opaque`, its files
    /// are not listed one by one.
    pub fn reserve(&mut self, segment: &str, opaque: bool) {
        let key = segment.trim_matches('/').to_lowercase();
        if opaque {
            self.opaque.insert(key.clone());
        }
        self.reserved.insert(key);
    }

    /// Adds the page at `path` (`/a/b/`), described as `what`.
    pub fn page(&mut self, path: &str, what: impl Into<String>) {
        self.pages.entry(path.to_lowercase()).or_insert(what.into());
    }

    /// Adds the output file `path` (`a/b.pdf`).
    pub fn file(&mut self, path: &str) {
        self.files
            .insert(path.trim_start_matches('/').to_lowercase());
    }

    /// What already holds the page folder `path` (`/a/b/`): the home page,
    /// a folder of ayni's own, a page, or a file on the way to it.
    pub fn taken(&self, path: &str) -> Option<String> {
        let key = path.to_lowercase();
        let inner = key.trim_matches('/');
        if inner.is_empty() {
            return Some("the home page".into());
        }
        let first = inner.split('/').next().unwrap_or_default();
        if self.reserved.contains(first) {
            return Some(format!("`/{first}/`, a folder ayni generates"));
        }
        if let Some(what) = self.pages.get(&key) {
            return Some(what.clone());
        }
        let index = format!("{inner}/index.html");
        let mut prefix = String::new();
        for seg in inner.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(seg);
            if self.files.contains(&prefix) {
                return Some(format!("the generated file `/{prefix}`"));
            }
        }
        self.files
            .contains(&index)
            .then(|| format!("the generated file `/{index}`"))
    }

    /// A fingerprint of what [`SitePaths::exists`] answers from: the paths,
    /// not what is published at them.
    pub fn fingerprint(&self) -> u64 {
        let sorted = |set: &mut dyn Iterator<Item = &String>| {
            let mut v: Vec<&String> = set.collect();
            v.sort_unstable();
            crate::text::fingerprint(&v)
        };
        crate::text::fingerprint(&[
            sorted(&mut self.pages.keys()),
            sorted(&mut self.files.iter()),
            sorted(&mut self.reserved.iter()),
            sorted(&mut self.opaque.iter()),
        ])
    }

    /// Whether a site-absolute link path (decoded, without query, fragment
    /// or the base URL's path) names a page or file the build makes.
    pub fn exists(&self, path: &str) -> bool {
        let key = path.to_lowercase();
        let inner = key.trim_start_matches('/');
        if inner.is_empty() || self.files.contains(inner) {
            return true;
        }
        let folder = format!("/{}/", inner.trim_end_matches('/'));
        if self.pages.contains_key(&folder) {
            return true;
        }
        if let Some(page) = inner.strip_suffix("index.html")
            && (page.is_empty() || self.pages.contains_key(&format!("/{page}")))
        {
            return true;
        }
        let mut segs = inner.split('/').filter(|s| !s.is_empty());
        let first = segs.next().unwrap_or_default();
        if self.opaque.contains(first) {
            return true;
        }
        // Inside a collection, the item's page stands for what lies under
        // it (its feed, its role lists, its further list pages).
        self.reserved.contains(first)
            && match segs.next() {
                None => true,
                Some(item) => self.pages.contains_key(&format!("/{first}/{item}/")),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn aliases_are_normalised() {
        assert_eq!(normalize_alias("viejo/caso"), Ok("/viejo/caso/".into()));
        assert_eq!(normalize_alias("/a//b/./c/"), Ok("/a/b/c/".into()));
        assert_eq!(normalize_alias("a\\b"), Ok("/a/b/".into()));
        assert_eq!(normalize_alias("a%20b/"), Ok("/a b/".into()));
        assert_eq!(normalize_alias("viejo.html"), Ok("/viejo.html/".into()));
        for home in ["/", ".", "./", "//", "", "%2F", "/./"] {
            assert!(normalize_alias(home).is_err(), "{home}");
        }
        assert_eq!(normalize_alias("a/../b"), Err(AliasProblem::Climbs));
        assert_eq!(normalize_alias("%2e%2e/x"), Err(AliasProblem::Climbs));
        assert_eq!(normalize_alias("evil.example/"), Err(AliasProblem::Address));
        assert_eq!(normalize_alias("http://x/"), Err(AliasProblem::Address));
        assert_eq!(normalize_alias("//evil/"), Err(AliasProblem::Address));
        assert_eq!(normalize_alias("\\\\evil/"), Err(AliasProblem::Address));
        assert_eq!(normalize_alias("a?b"), Err(AliasProblem::Char('?')));
        assert_eq!(normalize_alias("%ff/"), Err(AliasProblem::Encoding));
    }

    fn paths() -> SitePaths {
        let mut p = SitePaths::default();
        p.reserve("partners", false);
        p.reserve("search", true);
        p.page("/casos/uno/", "the page of `content/casos/uno.md`");
        p.page("/partners/ong-a/", "a partner");
        for f in ["feed.xml", "casos/uno/cite.bib", "docs/index.html"] {
            p.file(f);
        }
        p
    }

    #[test]
    fn taken_paths_are_found() {
        let p = paths();
        for t in [
            "/",
            "/feed.xml/",
            "/Casos/Uno/",
            "/casos/uno/cite.bib/",
            "/partners/x/",
            "/docs/",
        ] {
            assert!(p.taken(t).is_some(), "{t}");
        }
        assert!(p.taken("/casos/dos/").is_none());
        assert!(p.taken("/casos/uno/viejo/").is_none());
    }

    #[test]
    fn links_are_found() {
        let p = paths();
        for l in [
            "/",
            "/casos/uno/",
            "/casos/uno",
            "/casos/uno/index.html",
            "/feed.xml",
            "/partners/",
            "/partners/ong-a/feed.xml",
            "/search/x.json",
        ] {
            assert!(p.exists(l), "{l}");
        }
        for l in ["/casos/nada/", "/falta.pdf", "/partners/nadie/"] {
            assert!(!p.exists(l), "{l}");
        }
    }

    proptest! {
        #[test]
        fn normalised_aliases_stay_inside_and_off_generated_paths(
            raw in "\\PC{0,40}|[./\\\\%a-z2eEfF:]{0,24}",
        ) {
            if let Ok(path) = normalize_alias(&raw) {
                prop_assert!(path.starts_with('/') && path.ends_with('/'));
                prop_assert!(!path.starts_with("//"));
                prop_assert!(path.len() > 2);
                prop_assert!(!path.split('/').any(|s| s == ".." || s == "."));
                let forbidden = |c: char| c.is_control() || FORBIDDEN.contains(&c) || c == '\\';
                prop_assert!(!path.chars().any(forbidden));
                // Once normalised, an alias is itself: the check and the
                // writer agree on it.
                prop_assert_eq!(normalize_alias(&path), Ok(path.clone()));
                let p = paths();
                if p.taken(&path).is_none() {
                    let generated = ["/", "/feed.xml/", "/casos/uno/"];
                    prop_assert!(!generated.contains(&path.to_lowercase().as_str()));
                }
            }
        }

        #[test]
        fn link_lookups_never_panic(raw in "\\PC{0,40}") {
            let p = paths();
            let _ = p.exists(&raw);
            let _ = p.taken(&raw);
        }
    }
}
