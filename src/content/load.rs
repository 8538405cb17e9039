//! Load: walk `content/`, split front matter, and read each file's keys into
//! typed metadata. Nothing here knows about other files; references between
//! files (partner ids, outcome ids, links) are resolved by `model`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::content::config::Config;
use crate::content::fields::{Fields, found};
use crate::content::frontmatter::{SplitError, split};
use crate::content::jail::{Jail, rel_string};
use crate::content::sources::SiteSources;
use crate::content::yaml::{Locator, parse_mapping};
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::model::date::PartialDate;
use crate::model::vocabulary::{CHANGE_TYPES, INSTRUMENTS, PARTNER_TYPES, ROLES, STAGES};
use crate::msg;
use crate::text::slugify;

pub const PRODUCT_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "kind",
    "date",
    "language",
    "summary",
    "partners",
    "authors",
    "topics",
    "outcomes",
    "countries",
    "regions",
    "sdgs",
    "source",
    "files",
    "license",
    "draft",
    "slug",
    "aliases",
    "translation_of",
];
pub const PARTNER_KEYS: &[&str] = &[
    "name",
    "short_name",
    "type",
    "country",
    "website",
    "ror",
    "logo",
    "members",
];
pub const OUTCOME_KEYS: &[&str] = &[
    "title",
    "instrument",
    "identifier",
    "jurisdiction",
    "decision_maker",
    "date",
    "stage",
    "change_type",
    "url",
];
const TOPIC_KEYS: &[&str] = &["title", "summary"];
/// Keys of a standalone page (`content/pages/<slug>.md`).
pub const PAGE_KEYS: &[&str] = &["title", "description", "language", "translation_of"];
const SOURCE_KEYS: &[&str] = &[
    "publisher",
    "journal",
    "volume",
    "issue",
    "pages",
    "series",
    "number",
    "place",
    "url",
    "doi",
];

/// Text with the span it came from, for later checks that point back.
#[derive(Debug, Clone, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerEntry {
    pub id: String,
    pub roles: Vec<String>,
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Author {
    pub name: String,
    pub affiliation: Option<String>,
    pub orcid: Option<String>,
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeEntry {
    pub id: String,
    pub contribution: Option<String>,
    #[serde(skip)]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Hash)]
pub struct SourceInfo {
    pub publisher: Option<String>,
    pub journal: Option<String>,
    pub volume: Option<String>,
    pub issue: Option<String>,
    pub pages: Option<String>,
    pub series: Option<String>,
    pub number: Option<String>,
    pub place: Option<String>,
    pub url: Option<String>,
    pub doi: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    pub path: String,
    pub title: Option<String>,
    pub language: Option<String>,
    #[serde(skip)]
    pub span: Range<usize>,
}

/// Where a document's Markdown body starts in its file.
#[derive(Debug, Clone)]
pub struct Doc {
    pub file: SourceFile,
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    pub body_start: usize,
}

impl Doc {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }
}

#[derive(Debug, Clone)]
pub struct ProductMeta {
    pub doc: Doc,
    /// Output folder of the product's section (`casos`, `estudios/2014`).
    pub section: String,
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub kind: String,
    pub date: PartialDate,
    pub language: String,
    pub summary: Option<String>,
    pub partners: Vec<PartnerEntry>,
    pub authors: Vec<Author>,
    pub topics: Vec<Spanned<String>>,
    pub outcomes: Vec<OutcomeEntry>,
    pub countries: Vec<String>,
    pub regions: Vec<String>,
    pub sdgs: Vec<u8>,
    pub source: Option<SourceInfo>,
    pub files: Vec<FileEntry>,
    pub license: Option<String>,
    pub draft: bool,
    pub aliases: Vec<Spanned<String>>,
    pub translation_of: Option<Spanned<String>>,
    /// Span of `slug:` if set, for collision reports.
    pub slug_span: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct PartnerMeta {
    pub doc: Doc,
    pub id: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub website: Option<String>,
    pub ror: Option<String>,
    pub logo: Option<Spanned<String>>,
    pub members: Vec<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct OutcomeMeta {
    pub doc: Doc,
    pub id: String,
    pub title: String,
    pub instrument: Option<String>,
    pub identifier: Option<String>,
    pub jurisdiction: Option<String>,
    pub decision_maker: Option<String>,
    pub date: Option<PartialDate>,
    pub stage: String,
    pub change_type: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TopicMeta {
    pub doc: Doc,
    pub slug: String,
    pub title: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PageMeta {
    pub doc: Doc,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// A standalone page (`content/pages/<slug>.md`): text that is not a
/// learning product, such as the contributor guide.
#[derive(Debug, Clone)]
pub struct StandalonePage {
    pub doc: Doc,
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub translation_of: Option<Spanned<String>>,
}

/// Everything read from a site folder, before references are resolved.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    pub products: Vec<ProductMeta>,
    pub partners: Vec<PartnerMeta>,
    pub outcomes: Vec<OutcomeMeta>,
    pub topics: Vec<TopicMeta>,
    pub home: Option<PageMeta>,
    /// Files under `content/` that are not Markdown, relative to it.
    pub assets: Vec<String>,
    pub diags: Vec<Diagnostic>,
    pub pages: Vec<StandalonePage>,
    /// Markdown files that could not be read (their errors are in
    /// `diags`), relative to `content/`: they still exist for links and
    /// ids, so that one mistake is reported once, in its own file.
    pub unreadable: Vec<String>,
}

/// One file found by the walk, classified by its place in `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Product,
    Partner,
    Outcome,
    Topic,
    Home,
    Page,
    Skip,
}

fn classify(rel: &str) -> Role {
    let parts: Vec<&str> = rel.split('/').collect();
    let name = parts.last().copied().unwrap_or("");
    if rel == "_index.md" {
        return Role::Home;
    }
    if name.starts_with('_') || name.eq_ignore_ascii_case("readme.md") {
        return Role::Skip;
    }
    let registry = |dir: &str| {
        parts.first() == Some(&dir)
            && (parts.len() == 2 || (parts.len() == 3 && name == "index.md"))
    };
    if registry("partners") {
        Role::Partner
    } else if registry("outcomes") {
        Role::Outcome
    } else if registry("topics") {
        Role::Topic
    } else if registry("pages") {
        Role::Page
    } else {
        Role::Product
    }
}

/// Id of a registry file: its stem, or its folder for `<id>/index.md`.
fn registry_id(rel: &str) -> String {
    let p = Path::new(rel);
    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem == "index" {
        p.parent()
            .and_then(|d| d.file_name())
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string()
    } else {
        stem.to_string()
    }
}

/// Ids of the registry files under `dir` (`partners`, `outcomes`) among
/// content-relative paths.
pub fn registry_ids(rels: &[String], dir: &str) -> HashSet<String> {
    rels.iter()
        .filter(|r| r.split('/').next() == Some(dir))
        .filter(|r| !matches!(classify(r), Role::Product | Role::Skip))
        .map(|r| registry_id(r))
        .collect()
}

/// Reads the site under `root`: `site.yaml` and every file of `content/`.
pub fn load(root: &Path, drafts: bool) -> Result<Loaded, std::io::Error> {
    load_cached(root, drafts, &mut LoadCache::default())
}

/// What one Markdown file read as, kept between rebuilds of a watched site.
#[derive(Clone)]
enum Parsed {
    Product(Box<ProductMeta>),
    Partner(Box<PartnerMeta>),
    Outcome(Box<OutcomeMeta>),
    Topic(TopicMeta),
    Home(PageMeta),
    Page(Box<StandalonePage>),
    None,
}

/// Parsed files by path, with the size and modification time they had when
/// read: a file whose stamp is unchanged is not read again.
#[derive(Default)]
pub struct LoadCache {
    files: HashMap<PathBuf, (Stamp, Parsed, Vec<Diagnostic>)>,
    /// Set when `site.yaml` differs from the last load: every file is read
    /// again, since parsing depends on the configured kinds.
    config: Option<u64>,
    /// What the last walk of `content/` found.
    walk: Option<Walk>,
    /// Nothing is kept: no later load will ask (a one-shot build).
    off: bool,
    /// The source folders as the build cache walked and read them, for the
    /// next load to take instead of walking and reading.
    pub given: Option<SiteSources>,
}

impl LoadCache {
    /// A cache that keeps nothing, for a load that is never repeated:
    /// copying every file's metadata into it would cost time and memory.
    pub fn off() -> LoadCache {
        LoadCache {
            off: true,
            ..LoadCache::default()
        }
    }
}

type Stamp = (u64, Option<std::time::SystemTime>);

/// One file of a load: where it is, its stamp, what it read as, its
/// diagnostics, and whether it was read now (not taken from the cache).
type Read = (
    PathBuf,
    String,
    Option<Stamp>,
    Parsed,
    Vec<Diagnostic>,
    bool,
);

/// A file modified within the last seconds may be modified again within the
/// file system's timestamp granularity, keeping its stamp: such a file is
/// always read again (git calls this "racily clean").
fn racy(stamp: &Stamp) -> bool {
    match stamp.1 {
        Some(t) => t.elapsed().map(|d| d.as_secs() < 3).unwrap_or(true),
        None => true,
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()))
}

/// [`load`], reusing what `cache` holds for files that did not change.
pub fn load_cached(
    root: &Path,
    drafts: bool,
    cache: &mut LoadCache,
) -> Result<Loaded, std::io::Error> {
    load_files(root, drafts, cache, None)
}

/// [`load_cached`] when a watcher said which paths changed since the last
/// load (`changed`, absolute): without walking `content/` or looking at
/// the stamps of the other files. When the change may add or remove files
/// (a folder, a path that is gone or new, `site.yaml`), it walks after all.
pub fn load_changed(
    root: &Path,
    drafts: bool,
    cache: &mut LoadCache,
    changed: &std::collections::BTreeSet<PathBuf>,
) -> Result<Loaded, std::io::Error> {
    let content = root.join("content");
    let known = |p: &Path| {
        let Some(walk) = &cache.walk else {
            return false;
        };
        if ["static", "templates", "themes"]
            .iter()
            .any(|dir| p.starts_with(root.join(dir)))
        {
            return true;
        }
        p.starts_with(&content)
            && p.is_file()
            && (walk.md_files.iter().any(|(abs, _)| abs == p)
                || p.strip_prefix(&content)
                    .is_ok_and(|rel| walk.assets.contains(&rel_string(rel))))
    };
    if changed.iter().all(|p| known(p)) {
        load_files(root, drafts, cache, Some(changed))
    } else {
        load_files(root, drafts, cache, None)
    }
}

/// The files of `content/` found by the last walk, with its warnings.
#[derive(Clone)]
struct Walk {
    md_files: Vec<(PathBuf, String)>,
    assets: Vec<String>,
    diags: Vec<Diagnostic>,
}

/// Walks `content/`, unless `changed` says which files changed since the
/// last walk, which is then reused; files are read again when their stamp
/// changed, or, with `changed`, when they are among it.
fn load_files(
    root: &Path,
    drafts: bool,
    cache: &mut LoadCache,
    changed: Option<&std::collections::BTreeSet<PathBuf>>,
) -> Result<Loaded, std::io::Error> {
    let (config, mut diags) = Config::load(root)?;
    let (walked, mut markdown) = match cache.given.take() {
        Some(sources) => (Some(walk_of(sources.walks)), sources.markdown),
        None => (None, HashMap::new()),
    };
    let walk = match (changed, &cache.walk, walked) {
        (_, _, Some(walk)) => {
            cache.walk = (!cache.off).then(|| walk.clone());
            walk
        }
        (Some(_), Some(walk), _) => walk.clone(),
        _ => {
            let walk = walk_content(root);
            cache.walk = Some(walk.clone());
            walk
        }
    };
    diags.extend(walk.diags.iter().cloned());
    let jail = Jail::new(root);
    let given = Given {
        walk,
        markdown: &mut markdown,
        changed,
    };
    let mut loaded = read_walked(&jail, drafts, cache, config, diags, given)?;
    let outside = named_outside(&jail, root, &loaded);
    loaded.diags.extend(outside);
    Ok(loaded)
}

/// Attachments and logos that name a link out of the site, reported at the
/// front-matter line that names them: the walk reports the link itself,
/// but the author looks at the line.
fn named_outside(jail: &Jail, root: &Path, loaded: &Loaded) -> Vec<Diagnostic> {
    let breach = |candidates: &[PathBuf]| {
        candidates.iter().find_map(|p| match jail.admit(p) {
            Err(
                b @ (crate::content::jail::Breach::Outside(_)
                | crate::content::jail::Breach::Special),
            ) => Some(b),
            _ => None,
        })
    };
    let report = |file: &SourceFile, span: &Range<usize>, what, b: crate::content::jail::Breach| {
        Diagnostic::error("outside-site", b.said(what))
            .at(file, span.clone())
            .help(msg!("diag.outside-site.help"))
    };
    let mut diags = Vec::new();
    for p in &loaded.products {
        let dir = Path::new(&p.doc.rel).parent().unwrap_or(Path::new(""));
        for f in &p.files {
            let rel = f.path.trim_start_matches('/');
            let mut candidates = vec![root.join("static").join(rel)];
            if !f.path.starts_with('/') {
                candidates.push(root.join("content").join(dir).join(rel));
            }
            if let Some(b) = breach(&candidates) {
                let what = msg!("diag.outside-site.attachment", path = &f.path);
                diags.push(report(&p.doc.file, &f.span, what, b));
            }
        }
    }
    for p in &loaded.partners {
        if let Some(logo) = &p.logo {
            let path = root.join("static").join(logo.value.trim_start_matches('/'));
            if let Some(b) = breach(&[path]) {
                let what = msg!("diag.outside-site.logo", path = &logo.value);
                diags.push(report(&p.doc.file, &logo.span, what, b));
            }
        }
    }
    diags
}

fn walk_content(root: &Path) -> Walk {
    walk_of(crate::content::sources::walks(&Jail::new(root), root))
}

/// The files of `content/` the walks of the source folders found, with
/// what every walk refused: the walks that copy the other folders leave
/// out links and loops in silence.
fn walk_of(walks: Vec<(&str, crate::content::jail::Walked)>) -> Walk {
    let mut diags = Vec::new();
    let mut md_files = Vec::new();
    let mut assets = Vec::new();
    for (dir, walked) in walks {
        diags.extend(walk_diagnostics(&walked));
        if dir != "content" {
            continue;
        }
        for (rel, path) in walked.files {
            if rel.ends_with(".md") {
                md_files.push((path, rel));
            } else {
                assets.push(rel);
            }
        }
    }
    Walk {
        md_files,
        assets,
        diags,
    }
}

/// What a walk refused or could not read, as diagnostics.
fn walk_diagnostics(walked: &crate::content::jail::Walked) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = walked.refused.iter().map(refusal).collect();
    for (path, why) in &walked.unreadable {
        // A symlink loop or unreadable folder: say so and go on.
        let msg = match why {
            None => {
                msg!("diag.walk.loop", path = path)
            }
            Some(e) => msg!("diag.walk.unreadable", path = path, error = e),
        };
        diags.push(Diagnostic::warning("walk", msg));
    }
    diags
}

/// A path the walk would not follow: an error when it leaves the site or
/// names a device, a warning when it names nothing (a dangling link).
pub(crate) fn refusal(r: &crate::content::jail::Refused) -> Diagnostic {
    let at = SourceFile::new(PathBuf::from(&r.rel), String::new());
    match &r.why {
        crate::content::jail::Breach::Unresolved(e) => Diagnostic::warning(
            "walk",
            msg!("diag.walk.unreadable", path = &r.rel, error = e),
        )
        .at(&at, 0..0),
        why => Diagnostic::error(
            "outside-site",
            why.said(msg!("diag.outside-site.path", path = &r.rel)),
        )
        .at(&at, 0..0)
        .help(msg!("diag.outside-site.help")),
    }
}

/// Each Markdown file with its bytes, when they were read already.
fn with_bytes(
    md_files: Vec<(PathBuf, String)>,
    markdown: &mut HashMap<PathBuf, Vec<u8>>,
) -> Vec<(PathBuf, String, Option<Vec<u8>>)> {
    md_files
        .into_iter()
        .map(|(abs, rel)| {
            let bytes = markdown.remove(&abs);
            (abs, rel, bytes)
        })
        .collect()
}

/// What a load reads: the walk, the bytes of Markdown files already read
/// (taken as they are used), and the paths a watcher saw change.
struct Given<'g> {
    walk: Walk,
    markdown: &'g mut HashMap<PathBuf, Vec<u8>>,
    changed: Option<&'g std::collections::BTreeSet<PathBuf>>,
}

/// Reads the Markdown files a walk found, through the cache.
fn read_walked(
    jail: &Jail,
    drafts: bool,
    cache: &mut LoadCache,
    config: Config,
    mut diags: Vec<Diagnostic>,
    given: Given<'_>,
) -> Result<Loaded, std::io::Error> {
    let Given {
        walk,
        markdown,
        changed,
    } = given;
    let Walk {
        md_files, assets, ..
    } = walk;
    let md_files = with_bytes(md_files, markdown);
    let results = read_all(jail, cache, &config, md_files, changed);

    let mut loaded = Loaded {
        config,
        assets,
        ..Loaded::default()
    };
    let mut seen = HashSet::with_capacity(results.len());
    // Reserved up front: growing moves every product's metadata again.
    loaded.products.reserve(results.len());
    for (abs, rel, st, parsed, d, fresh) in results {
        if fresh
            && !cache.off
            && let Some(st) = st
        {
            cache
                .files
                .insert(abs.clone(), (st, parsed.clone(), d.clone()));
        }
        seen.insert(abs);
        diags.extend(d);
        match parsed {
            Parsed::Product(p) if p.draft && !drafts => {}
            Parsed::Product(p) => loaded.products.push(*p),
            Parsed::Partner(p) => loaded.partners.push(*p),
            Parsed::Outcome(p) => loaded.outcomes.push(*p),
            Parsed::Topic(t) => loaded.topics.push(t),
            Parsed::Home(h) => loaded.home = Some(h),
            Parsed::Page(p) => loaded.pages.push(*p),
            Parsed::None if classify(&rel) != Role::Skip => loaded.unreadable.push(rel),
            Parsed::None => {}
        }
    }
    cache.files.retain(|k, _| seen.contains(k));
    loaded.diags = diags;
    Ok(loaded)
}

/// Reads and parses each Markdown file, or takes what the cache holds
/// for it when it did not change.
fn read_all(
    jail: &Jail,
    cache: &mut LoadCache,
    config: &Config,
    md_files: Vec<(PathBuf, String, Option<Vec<u8>>)>,
    changed: Option<&std::collections::BTreeSet<PathBuf>>,
) -> Vec<Read> {
    let config_print = crate::text::fingerprint(&format!("{config:?}"));
    if cache.config != Some(config_print) {
        cache.files.clear();
        cache.config = Some(config_print);
    }
    let cached = &cache.files;
    let off = cache.off;
    md_files
        .into_par_iter()
        .map(|(abs, rel, bytes)| {
            let role = classify(&rel);
            if role == Role::Skip {
                return (abs, rel, None, Parsed::None, Vec::new(), false);
            }
            // Told what changed, the other files are as they were read.
            if let Some(changed) = changed
                && !changed.contains(&abs)
                && let Some((old, parsed, diags)) = cached.get(&abs)
            {
                return (abs, rel, Some(*old), parsed.clone(), diags.clone(), false);
            }
            // A cache that keeps nothing needs no stamp.
            let st = (!off).then(|| stamp(&abs)).flatten();
            if let (Some(st), Some((old, parsed, diags))) = (st, cached.get(&abs))
                && st == *old
                && !racy(old)
                && changed.is_none()
            {
                return (abs, rel, Some(st), parsed.clone(), diags.clone(), false);
            }
            let bytes = bytes.map_or_else(|| jail.read_walked(&abs), Ok);
            let (parsed, diags) = read_one(bytes, &rel, role, config);
            (abs, rel, st, parsed, diags, true)
        })
        .collect()
}

/// A file of `content/` read again because the watcher said it changed.
pub struct Reread {
    pub abs: PathBuf,
    pub diags: Vec<Diagnostic>,
    parsed: Parsed,
    stamp: Option<Stamp>,
}

impl Reread {
    /// What the file is now, if it is a product.
    pub fn product(&self) -> Option<&ProductMeta> {
        match &self.parsed {
            Parsed::Product(p) => Some(p),
            _ => None,
        }
    }

    /// Where its text and body are, whatever it is.
    pub fn doc(&self) -> Option<&Doc> {
        match &self.parsed {
            Parsed::Product(p) => Some(&p.doc),
            Parsed::Partner(p) => Some(&p.doc),
            Parsed::Outcome(o) => Some(&o.doc),
            Parsed::Topic(t) => Some(&t.doc),
            Parsed::Home(h) => Some(&h.doc),
            Parsed::Page(p) => Some(&p.doc),
            Parsed::None => None,
        }
    }
}

/// Reads the file at `abs` again, for an update of the site in place.
/// `None` when it is not a file the last load read as the same kind of
/// document (a new file, one gone, a draft left out...): only a whole
/// load tells what such a change means.
pub fn reread(
    root: &Path,
    abs: &Path,
    drafts: bool,
    config: &Config,
    cache: &LoadCache,
) -> Option<Reread> {
    let rel = rel_string(abs.strip_prefix(root.join("content")).ok()?);
    // The walk skips hidden folders and files; so must this.
    if !rel.ends_with(".md") || rel.split('/').any(|part| part.starts_with('.')) {
        return None;
    }
    let (_, before, _) = cache.files.get(abs)?;
    if matches!(before, Parsed::None) || matches!(before, Parsed::Product(p) if p.draft && !drafts)
    {
        return None;
    }
    let role = classify(&rel);
    if !abs.is_file() {
        return None;
    }
    // The stamp is taken before reading: a write in between leaves a stamp
    // older than the text, and the next load reads the file again.
    let stamp = stamp(abs);
    let (parsed, diags) = read_one(Jail::new(root).read(abs), &rel, role, config);
    let same_kind = std::mem::discriminant(&parsed) == std::mem::discriminant(before);
    match &parsed {
        Parsed::Product(p) if p.draft && !drafts => None,
        _ if !same_kind => None,
        _ => Some(Reread {
            abs: abs.to_path_buf(),
            diags,
            parsed,
            stamp,
        }),
    }
}

impl LoadCache {
    /// Keeps what [`reread`] read, as a load would have.
    pub fn remember(&mut self, r: &Reread) {
        match r.stamp {
            Some(st) => {
                self.files
                    .insert(r.abs.clone(), (st, r.parsed.clone(), r.diags.clone()));
            }
            None => {
                self.files.remove(&r.abs);
            }
        }
    }
}

/// A whole source file again, for a diagnostic in a file of which only
/// the head was kept (see [`SourceFile::keep_head`]); `None` when the
/// file changed since it was read.
pub(crate) fn whole_file(root: &Path, file: &SourceFile) -> Option<SourceFile> {
    let bytes = crate::content::jail::Jail::new(root)
        .read(&root.join(&file.path))
        .ok()?;
    let text = decode(bytes).ok()?;
    let whole = SourceFile::new(file.path.clone(), text);
    (whole.fingerprint == file.fingerprint).then_some(whole)
}

/// Parses one Markdown file of `content/`, given its bytes as read.
fn read_one(
    bytes: std::io::Result<Vec<u8>>,
    rel: &str,
    role: Role,
    config: &Config,
) -> (Parsed, Vec<Diagnostic>) {
    let shown = PathBuf::from("content").join(rel);
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::error("io", msg!("diag.io", path = shown.display(), error = e))
                .at(&SourceFile::new(shown, String::new()), 0..0);
            return (Parsed::None, vec![d]);
        }
    };
    let text = match decode(bytes) {
        Ok(t) => t,
        Err(bad) => {
            let span = bad.at..bad.at + bad.width();
            let file = SourceFile::new(shown.clone(), bad.lossy);
            let d = Diagnostic::error("not-text", bad.why.arg("path", shown.display()))
                .at(&file, span)
                .help(msg!("diag.not-text.help"));
            return (Parsed::None, vec![d]);
        }
    };
    let file = SourceFile::new(shown, text);
    let mut diags = Vec::new();
    let parsed = match role {
        Role::Product => {
            read_product(&file, rel, config, &mut diags).map(|p| Parsed::Product(Box::new(p)))
        }
        Role::Partner => read_partner(&file, rel, &mut diags).map(|p| Parsed::Partner(Box::new(p))),
        Role::Outcome => read_outcome(&file, rel, &mut diags).map(|p| Parsed::Outcome(Box::new(p))),
        Role::Topic => read_topic(&file, rel, &mut diags).map(Parsed::Topic),
        Role::Home => read_home(&file, rel, &mut diags).map(Parsed::Home),
        Role::Page => read_page(&file, rel, config, &mut diags).map(|p| Parsed::Page(Box::new(p))),
        Role::Skip => None,
    };
    (parsed.unwrap_or(Parsed::None), diags)
}

/// Why a file is not Markdown text, where, and its text with the bad bytes
/// replaced, for pointing at them.
struct NotText {
    why: crate::messages::Msg,
    at: usize,
    lossy: String,
}

impl NotText {
    /// Bytes of the replaced character (or the NUL) in `lossy`.
    fn width(&self) -> usize {
        self.lossy
            .get(self.at..)
            .and_then(|t| t.chars().next())
            .map_or(0, char::len_utf8)
    }
}

/// UTF-8 text, or why the file is not Markdown text.
fn decode(bytes: Vec<u8>) -> Result<String, NotText> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(NotText {
            why: msg!("diag.not-text.binary"),
            at,
            lossy: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        // The text before the bad byte is kept as is, so the offset holds.
        let at = e.utf8_error().valid_up_to();
        NotText {
            why: msg!("diag.not-text.utf8"),
            at,
            lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    })
}

/// Splits and parses the front matter; `None` when it cannot be read.
fn front<'a>(
    file: &'a SourceFile,
    required: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<(serde_json::Map<String, Value>, Locator<'a>, usize)> {
    let text: &'a str = &file.text;
    let s = match split(text) {
        Ok(s) => s,
        Err(SplitError::Missing) if !required => {
            let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
            return Some((serde_json::Map::new(), Locator::new("", start), start));
        }
        Err(SplitError::Missing) => {
            diags.push(
                Diagnostic::error("no-front-matter", msg!("diag.no-front-matter"))
                    .at(file, 0..text.find('\n').unwrap_or(text.len()).min(80))
                    .label(msg!("diag.no-front-matter.label"))
                    .help(msg!("diag.no-front-matter.help")),
            );
            return None;
        }
        Err(SplitError::Unclosed(span)) => {
            diags.push(unclosed(file, span));
            return None;
        }
    };
    if let Some(m) = crate::content::yaml_mistakes::tab_indent(s.yaml) {
        // Tabs are refused before parsing: the parser's message on them
        // names the line after the tab.
        diags.push(crate::content::yaml_mistakes::mistake(
            file,
            s.yaml_start,
            m,
        ));
        return None;
    }
    match parse_mapping(s.yaml) {
        Ok(map) => Some((map, Locator::new(s.yaml, s.yaml_start), s.body_start)),
        Err(e) => {
            let at = s.yaml_start + e.offset.unwrap_or(0).min(s.yaml.len());
            if let Some(key) = &e.twice {
                let mut d =
                    Diagnostic::error("duplicate-key", msg!("diag.duplicate-key", key = key))
                        .at(file, at..at + key.len().max(1))
                        .help(msg!("diag.duplicate-key.help"));
                if let Some(first) = e.earlier {
                    let (line, _) = file.line_col(s.yaml_start + first);
                    d = d.label(msg!("diag.duplicate-key.label", line = line));
                }
                diags.push(d);
                return None;
            }
            let m = crate::content::yaml_mistakes::explain(s.yaml, e.offset, &e.message);
            diags.push(crate::content::yaml_mistakes::mistake(
                file,
                s.yaml_start,
                m,
            ));
            None
        }
    }
}

/// A front matter with no closing `---`, shown where the page's text seems
/// to begin, or at the opening fence when nothing looks like text.
fn unclosed(file: &SourceFile, fence: std::ops::Range<usize>) -> Diagnostic {
    let d = Diagnostic::error("unclosed-front-matter", msg!("diag.unclosed-front-matter"));
    let yaml_start = file.text[fence.end..]
        .find('\n')
        .map_or(file.text.len(), |i| fence.end + i + 1);
    match crate::content::yaml_mistakes::body_start(&file.text[yaml_start..]) {
        Some(body) => d
            .at(file, yaml_start + body.start..yaml_start + body.end)
            .label(msg!("diag.unclosed-front-matter.label-text"))
            .help(msg!("diag.unclosed-front-matter.help-text")),
        None => d
            .at(file, fence)
            .label(msg!("diag.unclosed-front-matter.label"))
            .help(msg!("diag.unclosed-front-matter.help")),
    }
}

fn read_product(
    file: &SourceFile,
    rel: &str,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<ProductMeta> {
    let (map, loc, body_start) = front(file, true, diags)?;
    let mut f = Fields::new(file, map, loc, PRODUCT_KEYS, "product");
    let title = f.required_string(
        "title",
        "a learning product",
        "\"Gestión del conocimiento\"",
    );
    let kinds = config.kind_ids();
    let kind = required(&mut f, "kind", "case-study", |f| f.choice("kind", &kinds));
    let date = required(&mut f, "date", "2014-06", |f| f.date("date"));
    let language = f.choice("language", &["es", "en", "pt", "fr", "qu", "ay"]);
    let subtitle = f.string("subtitle");
    let summary = f.string("summary");
    let partners = read_partners(&mut f);
    let authors = read_authors(&mut f);
    let topics = spanned_list(&mut f, "topics");
    let outcomes = read_outcomes(&mut f);
    let countries = read_countries(&mut f);
    let regions = f.string_list("regions");
    let sdgs = read_sdgs(&mut f);
    let source = read_source(&mut f);
    let files = read_files(&mut f);
    let license = f.string("license");
    let draft = f.bool("draft");
    // Checked and normalised with every other path of the site, in the
    // model (`crate::build::urls::normalize_alias`).
    let aliases = spanned_list(&mut f, "aliases");
    let translation_of = f.string("translation_of").map(|v| Spanned {
        span: f.span("translation_of", None, None),
        value: v,
    });
    let (slug, slug_span) = read_slug(&mut f);
    let mut new_diags = f.finish();
    diags.append(&mut new_diags);
    let slug = slug.filter(|s| !s.is_empty()).unwrap_or_else(|| {
        let s = slugify(&registry_id(rel));
        if s.is_empty() { "product".into() } else { s }
    });
    let section = section_of(rel);
    Some(ProductMeta {
        doc: Doc {
            file: file.clone(),
            rel: rel.to_string(),
            body_start,
        },
        section,
        slug,
        title: title.unwrap_or_default(),
        subtitle,
        kind: kind.unwrap_or_default(),
        date: date.unwrap_or(PartialDate {
            year: 0,
            month: None,
            day: None,
        }),
        language: language.unwrap_or_else(|| config.language.clone()),
        summary,
        partners,
        authors,
        topics,
        outcomes,
        countries,
        regions,
        sdgs,
        source,
        files,
        license,
        draft,
        aliases,
        translation_of,
        slug_span,
    })
}

/// A key a product must have, read by `read`; reported missing, with
/// `example`, when it is not there.
fn required<T>(
    f: &mut Fields<'_>,
    key: &str,
    example: &str,
    read: impl FnOnce(&mut Fields<'_>) -> Option<T>,
) -> Option<T> {
    if f.has(key) {
        read(f)
    } else {
        f.missing(key, "a learning product", example);
        None
    }
}

/// `slug`, cleaned segment by segment, and where it is written.
fn read_slug(f: &mut Fields<'_>) -> (Option<String>, Option<Range<usize>>) {
    let Some(s) = f.string("slug") else {
        return (None, None);
    };
    let span = f.span("slug", None, None);
    check_relative(f, "slug", &s, span.clone());
    let cleaned = s
        .trim_matches('/')
        .split('/')
        .map(slugify)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    (Some(cleaned), Some(span))
}

/// The section of a product at `rel`: its folders under `content/`,
/// slugified, the bundle's own folder left out.
fn section_of(rel: &str) -> String {
    let path = Path::new(rel);
    let is_bundle = path.file_name().and_then(|n| n.to_str()) == Some("index.md");
    let dir = if is_bundle {
        path.parent().and_then(Path::parent)
    } else {
        path.parent()
    };
    dir.map(|d| {
        d.components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(slugify(&s.to_string_lossy())),
                _ => None,
            })
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("/")
    })
    .unwrap_or_default()
}

/// `..` or an absolute path in a value that becomes an output path would
/// write outside the output folder.
fn check_relative(f: &mut Fields<'_>, key: &str, value: &str, span: Range<usize>) {
    let bad = value.split(['/', '\\']).any(|p| p == "..") || value.contains(':');
    if bad {
        let file = f.file;
        f.error(
            Diagnostic::error("bad-path", msg!("diag.bad-path.inside", key = key))
                .at(file, span)
                .label(msg!("diag.bad-path.inside-label")),
        );
    }
}

fn spanned_list(f: &mut Fields<'_>, key: &str) -> Vec<Spanned<String>> {
    let values = f.string_list(key);
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| Spanned {
            span: f.span(key, Some(i), None),
            value: v.trim().to_string(),
        })
        .filter(|s| !s.value.is_empty())
        .collect()
}

fn items(f: &mut Fields<'_>, key: &str) -> Vec<Value> {
    match f.raw(key).cloned() {
        Some(Value::Array(items)) => items,
        Some(v) => vec![v],
        None => Vec::new(),
    }
}

fn read_partners(f: &mut Fields<'_>) -> Vec<PartnerEntry> {
    if !f.has("partners") {
        f.missing("partners", "a learning product", "[aap]");
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, item) in items(f, "partners").into_iter().enumerate() {
        let file = f.file;
        match item {
            Value::String(id) => out.push(PartnerEntry {
                id: id.trim().to_string(),
                roles: vec!["author".into()],
                span: f.span("partners", Some(i), None),
            }),
            Value::Object(m) => out.extend(partner_object(f, i, &m)),
            other => {
                let span = f.span("partners", Some(i), None);
                f.error(
                    Diagnostic::error("wrong-type", msg!("diag.wrong-type.partner-entry"))
                        .at(file, span)
                        .label(found(&other)),
                );
            }
        }
    }
    if out.is_empty() && f.diags.iter().all(|d| d.code != "wrong-type") {
        let span = f.span("partners", None, None);
        let file = f.file;
        f.error(
            Diagnostic::error("empty-value", msg!("diag.empty-value.partners"))
                .at(file, span)
                .help(msg!("diag.empty-value.partners-help")),
        );
    }
    out
}

/// Partner entry `i` written as a mapping (`{ id: x, role: sponsor }`):
/// its id and valid roles, each mistake reported at its key.
fn partner_object(
    f: &mut Fields<'_>,
    i: usize,
    m: &serde_json::Map<String, Value>,
) -> Option<PartnerEntry> {
    let file = f.file;
    for k in m.keys() {
        if !["id", "role"].contains(&k.as_str()) {
            let span = f.span("partners", Some(i), Some(k));
            f.error(
                Diagnostic::error(
                    "unknown-key",
                    msg!("diag.unknown-key.entry", key = k).word("what", "a partner entry"),
                )
                .at(file, span)
                .suggest(crate::diagnostics::did_you_mean(k, ["id", "role"]))
                .help(msg!("diag.unknown-key.partner-help")),
            );
        }
    }
    let Some(id) = m.get("id").and_then(Value::as_str) else {
        let span = f.span("partners", Some(i), None);
        f.error(
            Diagnostic::error("missing-key", msg!("diag.missing-key.partner-id"))
                .at(file, span)
                .help(msg!("diag.missing-key.partner-id-help")),
        );
        return None;
    };
    let mut good = Vec::new();
    for r in partner_roles(f, i, m.get("role")) {
        if let Some(r) = f.check_choice(&r, "partners", Some(i), Some("role"), ROLES)
            && !good.contains(&r)
        {
            good.push(r);
        }
    }
    Some(PartnerEntry {
        id: id.trim().to_string(),
        roles: good,
        span: f.span("partners", Some(i), Some("id")),
    })
}

/// The roles a partner entry's `role` names: one, a list, or `author`
/// when it names none.
fn partner_roles(f: &mut Fields<'_>, i: usize, role: Option<&Value>) -> Vec<String> {
    match role {
        None | Some(Value::Null) => vec!["author".into()],
        Some(Value::String(r)) => vec![r.clone()],
        Some(Value::Array(rs)) => rs
            .iter()
            .filter_map(|r| r.as_str().map(str::to_string))
            .collect(),
        Some(other) => {
            let file = f.file;
            let span = f.span("partners", Some(i), Some("role"));
            f.error(
                Diagnostic::error("wrong-type", msg!("diag.wrong-type.role"))
                    .at(file, span)
                    .label(found(other)),
            );
            Vec::new()
        }
    }
}

fn read_authors(f: &mut Fields<'_>) -> Vec<Author> {
    let mut out = Vec::new();
    for (i, item) in items(f, "authors").into_iter().enumerate() {
        let file = f.file;
        let span = f.span("authors", Some(i), None);
        match item {
            Value::String(name) if !name.trim().is_empty() => out.push(Author {
                name: name.trim().to_string(),
                affiliation: None,
                orcid: None,
                span,
            }),
            Value::Object(m) => {
                for k in m.keys() {
                    if !["name", "affiliation", "orcid"].contains(&k.as_str()) {
                        let span = f.span("authors", Some(i), Some(k));
                        f.error(
                            Diagnostic::error(
                                "unknown-key",
                                msg!("diag.unknown-key.entry", key = k).word("what", "an author"),
                            )
                            .at(file, span)
                            .suggest(crate::diagnostics::did_you_mean(
                                k,
                                ["name", "affiliation", "orcid"],
                            )),
                        );
                    }
                }
                let Some(name) = m
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|n| !n.trim().is_empty())
                else {
                    f.error(
                        Diagnostic::error("missing-key", msg!("diag.missing-key.author-name"))
                            .at(file, span)
                            .help(msg!("diag.missing-key.author-name-help")),
                    );
                    continue;
                };
                let orcid = m.get("orcid").and_then(|v| match v {
                    Value::String(s) => Some(s.trim().to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                });
                if let Some(o) = &orcid
                    && let Err(msg) = check_orcid(o)
                {
                    let span = f.span("authors", Some(i), Some("orcid"));
                    f.error(
                        Diagnostic::error("bad-orcid", msg)
                            .at(file, span)
                            .label(msg!("diag.bad-orcid.label")),
                    );
                }
                out.push(Author {
                    name: name.trim().to_string(),
                    affiliation: m
                        .get("affiliation")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    orcid,
                    span: f.span("authors", Some(i), Some("name")),
                });
            }
            other => f.error(
                Diagnostic::error("wrong-type", msg!("diag.wrong-type.author"))
                    .at(file, span)
                    .label(found(&other)),
            ),
        }
    }
    out
}

/// ORCID iDs end in an ISO 7064 11,2 check digit; a typo almost always
/// breaks it.
pub fn check_orcid(s: &str) -> Result<(), crate::messages::Msg> {
    let id = s
        .trim()
        .trim_start_matches("https://orcid.org/")
        .trim_start_matches("http://orcid.org/");
    let digits: Vec<char> = id.chars().filter(|c| *c != '-').collect();
    let shape_ok = id.len() == 19
        && id.split('-').count() == 4
        && id.split('-').all(|g| g.len() == 4)
        && digits.len() == 16
        && digits[..15].iter().all(char::is_ascii_digit)
        && (digits[15].is_ascii_digit() || digits[15] == 'X');
    if !shape_ok {
        return Err(msg!("diag.bad-orcid", value = s));
    }
    let mut total = 0u32;
    for c in &digits[..15] {
        total = (total + c.to_digit(10).unwrap_or(0)) * 2;
    }
    let check = (12 - total % 11) % 11;
    let expected = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap_or('0')
    };
    if digits[15] != expected {
        return Err(msg!("diag.bad-orcid.check", value = s, expected = expected));
    }
    Ok(())
}

fn read_outcomes(f: &mut Fields<'_>) -> Vec<OutcomeEntry> {
    let mut out = Vec::new();
    for (i, item) in items(f, "outcomes").into_iter().enumerate() {
        let file = f.file;
        match item {
            Value::String(id) => out.push(OutcomeEntry {
                id: id.trim().to_string(),
                contribution: None,
                span: f.span("outcomes", Some(i), None),
            }),
            Value::Object(m) => {
                for k in m.keys() {
                    if !["id", "contribution"].contains(&k.as_str()) {
                        let span = f.span("outcomes", Some(i), Some(k));
                        f.error(
                            Diagnostic::error(
                                "unknown-key",
                                msg!("diag.unknown-key.entry", key = k)
                                    .word("what", "an outcome entry"),
                            )
                            .at(file, span)
                            .suggest(crate::diagnostics::did_you_mean(k, ["id", "contribution"])),
                        );
                    }
                }
                match m.get("id").and_then(Value::as_str) {
                    Some(id) => out.push(OutcomeEntry {
                        id: id.trim().to_string(),
                        contribution: m
                            .get("contribution")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        span: f.span("outcomes", Some(i), Some("id")),
                    }),
                    None => {
                        let span = f.span("outcomes", Some(i), None);
                        f.error(
                            Diagnostic::error("missing-key", msg!("diag.missing-key.outcome-id"))
                                .at(file, span),
                        );
                    }
                }
            }
            other => {
                let span = f.span("outcomes", Some(i), None);
                f.error(
                    Diagnostic::error("wrong-type", msg!("diag.wrong-type.outcome-entry"))
                        .at(file, span)
                        .label(found(&other)),
                );
            }
        }
    }
    out
}

fn read_countries(f: &mut Fields<'_>) -> Vec<String> {
    let values = f.string_list("countries");
    let mut out = Vec::new();
    for (i, c) in values.into_iter().enumerate() {
        let code = c.trim().to_ascii_uppercase();
        if crate::model::countries::name(&code, "en").is_some() {
            out.push(code);
        } else {
            let span = f.span("countries", Some(i), None);
            let file = f.file;
            f.error(
                Diagnostic::error("unknown-country", msg!("diag.unknown-country", code = &c))
                    .at(file, span)
                    .label(msg!("diag.unknown-country.label"))
                    .suggest(crate::model::countries::guess(&c)),
            );
        }
    }
    out
}

fn read_sdgs(f: &mut Fields<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, v) in items(f, "sdgs").into_iter().enumerate() {
        let n = match &v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        match n {
            Some(n @ 1..=17) => out.push(n as u8),
            _ => {
                let span = f.span("sdgs", Some(i), None);
                let file = f.file;
                f.error(
                    Diagnostic::error("bad-sdg", msg!("diag.bad-sdg"))
                        .at(file, span)
                        .label(msg!("diag.bad-sdg.label")),
                );
            }
        }
    }
    out
}

fn read_source(f: &mut Fields<'_>) -> Option<SourceInfo> {
    let v = f.raw("source")?.clone();
    let file = f.file;
    let Value::Object(m) = v else {
        let span = f.span("source", None, None);
        f.error(
            Diagnostic::error("wrong-type", msg!("diag.wrong-type.source"))
                .at(file, span)
                .label(found(&v)),
        );
        return None;
    };
    let mut s = SourceInfo::default();
    for (k, v) in m {
        let text = match v {
            Value::String(t) => t,
            Value::Number(n) => n.to_string(),
            Value::Null => continue,
            other => {
                let span = f.span("source", None, Some(&k));
                f.error(
                    Diagnostic::error("wrong-type", msg!("diag.wrong-type.source-key", key = &k))
                        .at(file, span)
                        .label(found(&other)),
                );
                continue;
            }
        };
        let slot = match k.as_str() {
            "publisher" => &mut s.publisher,
            "journal" => &mut s.journal,
            "volume" => &mut s.volume,
            "issue" => &mut s.issue,
            "pages" => &mut s.pages,
            "series" => &mut s.series,
            "number" => &mut s.number,
            "place" => &mut s.place,
            "url" => &mut s.url,
            "doi" => &mut s.doi,
            _ => {
                let span = f.span("source", None, Some(&k));
                f.error(
                    Diagnostic::error("unknown-key", msg!("diag.unknown-key.source", key = &k))
                        .at(file, span)
                        .suggest(crate::diagnostics::did_you_mean(
                            &k,
                            SOURCE_KEYS.iter().copied(),
                        ))
                        .help(msg!(
                            "diag.unknown-key.source-help",
                            keys = SOURCE_KEYS.join(", ")
                        )),
                );
                continue;
            }
        };
        if k == "url" && is_unsafe_url(&text) {
            let span = f.span("source", None, Some("url"));
            f.error(
                Diagnostic::error(
                    "unsafe-url",
                    msg!("diag.unsafe-url.address", key = "source.url"),
                )
                .at(file, span)
                .label(msg!("diag.unsafe-url.address-label")),
            );
            continue;
        }
        *slot = Some(text);
    }
    Some(s)
}

pub fn is_unsafe_url(s: &str) -> bool {
    let lower: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    lower.starts_with("javascript:") || lower.starts_with("data:") || lower.starts_with("vbscript:")
}

fn read_files(f: &mut Fields<'_>) -> Vec<FileEntry> {
    let mut out = Vec::new();
    for (i, item) in items(f, "files").into_iter().enumerate() {
        let file = f.file;
        let span = f.span("files", Some(i), None);
        let (path, title, language) = match item {
            Value::String(p) => (p, None, None),
            Value::Object(m) => {
                for k in m.keys() {
                    if !["path", "title", "language"].contains(&k.as_str()) {
                        let span = f.span("files", Some(i), Some(k));
                        f.error(
                            Diagnostic::error(
                                "unknown-key",
                                msg!("diag.unknown-key.entry", key = k)
                                    .word("what", "a file entry"),
                            )
                            .at(file, span)
                            .suggest(crate::diagnostics::did_you_mean(
                                k,
                                ["path", "title", "language"],
                            )),
                        );
                    }
                }
                let Some(p) = m.get("path").and_then(Value::as_str) else {
                    f.error(
                        Diagnostic::error("missing-key", msg!("diag.missing-key.file-path"))
                            .at(file, span)
                            .help(msg!("diag.missing-key.file-path-help")),
                    );
                    continue;
                };
                (
                    p.to_string(),
                    m.get("title").and_then(Value::as_str).map(str::to_string),
                    m.get("language")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                )
            }
            other => {
                f.error(
                    Diagnostic::error("wrong-type", msg!("diag.wrong-type.file-entry"))
                        .at(file, span)
                        .label(found(&other)),
                );
                continue;
            }
        };
        let pspan = f.span("files", Some(i), Some("path"));
        check_relative(f, "files", &path, pspan.clone());
        out.push(FileEntry {
            path,
            title,
            language,
            span: pspan,
        });
    }
    out
}

fn read_partner(file: &SourceFile, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<PartnerMeta> {
    let (map, loc, body_start) = front(file, true, diags)?;
    let mut f = Fields::new(file, map, loc, PARTNER_KEYS, "partner");
    let name = f.required_string("name", "a partner", "CARE Perú");
    let short_name = f.string("short_name");
    let kind = f.choice("type", PARTNER_TYPES);
    let country = f.string("country").and_then(|c| {
        let code = c.trim().to_ascii_uppercase();
        if crate::model::countries::name(&code, "en").is_some() {
            Some(code)
        } else {
            let span = f.span("country", None, None);
            f.error(
                Diagnostic::error("unknown-country", msg!("diag.unknown-country", code = &c))
                    .at(file, span)
                    .label(msg!("diag.unknown-country.label"))
                    .suggest(crate::model::countries::guess(&c)),
            );
            None
        }
    });
    let website = f.url("website");
    let ror = f.url("ror");
    let logo = f.string("logo").map(|l| {
        let span = f.span("logo", None, None);
        check_relative(&mut f, "logo", &l, span.clone());
        Spanned { value: l, span }
    });
    let members = spanned_list(&mut f, "members");
    diags.append(&mut f.finish());
    Some(PartnerMeta {
        doc: Doc {
            file: file.clone(),
            rel: rel.to_string(),
            body_start,
        },
        id: registry_id(rel),
        name: name.unwrap_or_else(|| registry_id(rel)),
        short_name,
        kind,
        country,
        website,
        ror,
        logo,
        members,
    })
}

fn read_outcome(file: &SourceFile, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<OutcomeMeta> {
    let (map, loc, body_start) = front(file, true, diags)?;
    let mut f = Fields::new(file, map, loc, OUTCOME_KEYS, "outcome");
    let title = f.required_string(
        "title",
        "a policy outcome",
        "\"Ley N.° 29337, Ley de PROCOMPITE\"",
    );
    let instrument = f.choice("instrument", INSTRUMENTS);
    let identifier = f.string("identifier");
    let jurisdiction = f.string("jurisdiction");
    let decision_maker = f.string("decision_maker");
    let date = f.date("date");
    let stage = f.choice("stage", STAGES);
    let change_type = f.choice("change_type", CHANGE_TYPES);
    let url = f.url("url");
    diags.append(&mut f.finish());
    Some(OutcomeMeta {
        doc: Doc {
            file: file.clone(),
            rel: rel.to_string(),
            body_start,
        },
        id: registry_id(rel),
        title: title.unwrap_or_else(|| registry_id(rel)),
        instrument,
        identifier,
        jurisdiction,
        decision_maker,
        date,
        stage: stage.unwrap_or_else(|| "agenda".into()),
        change_type,
        url,
    })
}

fn read_topic(file: &SourceFile, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<TopicMeta> {
    let (map, loc, body_start) = front(file, false, diags)?;
    let mut f = Fields::new(file, map, loc, TOPIC_KEYS, "topic");
    let title = f.string("title");
    let summary = f.string("summary");
    diags.append(&mut f.finish());
    Some(TopicMeta {
        doc: Doc {
            file: file.clone(),
            rel: rel.to_string(),
            body_start,
        },
        slug: slugify(&registry_id(rel)),
        title,
        summary,
    })
}

fn read_home(file: &SourceFile, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<PageMeta> {
    let (map, loc, body_start) = front(file, false, diags)?;
    let mut f = Fields::new(file, map, loc, &["title", "description"], "page");
    let title = f.string("title");
    let description = f.string("description");
    diags.append(&mut f.finish());
    Some(PageMeta {
        doc: Doc {
            file: file.clone(),
            rel: rel.to_string(),
            body_start,
        },
        title,
        description,
    })
}

fn read_page(
    file: &SourceFile,
    rel: &str,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Option<StandalonePage> {
    let (map, loc, body_start) = front(file, true, diags)?;
    let mut f = Fields::new(file, map, loc, PAGE_KEYS, "page");
    let title = f.required_string("title", "a page", "\"Cómo publicar\"");
    let description = f.string("description");
    let language = f.choice("language", &["es", "en", "pt", "fr", "qu", "ay"]);
    let translation_of = f.string("translation_of").map(|v| Spanned {
        span: f.span("translation_of", None, None),
        value: v,
    });
    let mut new_diags = f.finish();
    let failed = new_diags.iter().any(Diagnostic::is_error);
    diags.append(&mut new_diags);
    if failed {
        return None;
    }
    Some(StandalonePage {
        doc: Doc {
            file: file.clone(),
            rel: rel.to_string(),
            body_start,
        },
        slug: slugify(&registry_id(rel)),
        title: title?,
        description,
        language: language.unwrap_or_else(|| config.language.clone()),
        translation_of,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(text: &str) -> (Option<ProductMeta>, Vec<Diagnostic>) {
        let file = SourceFile::new("content/casos/x.md".into(), text);
        let mut diags = Vec::new();
        let p = read_product(&file, "casos/x.md", &Config::default(), &mut diags);
        (p, diags)
    }

    #[test]
    fn reads_shorthand_and_full_forms() {
        let (p, diags) = product(
            "---\ntitle: T\nkind: study\ndate: 2014-06\npartners:\n  - aap\n  - { id: oxfam, role: [sponsor, publisher] }\nauthors:\n  - Miguel Ordinola\n  - { name: Rosa Quispe, affiliation: care-peru, orcid: 0000-0002-1825-0097 }\n---\nbody\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let p = p.unwrap();
        assert_eq!(p.partners[0].roles, vec!["author"]);
        assert_eq!(p.partners[1].roles, vec!["sponsor", "publisher"]);
        assert_eq!(p.authors[1].orcid.as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(p.date.iso(), "2014-06");
        assert_eq!(p.section, "casos");
        assert_eq!(p.slug, "x");
        assert_eq!(p.doc.body(), "body\n");
    }

    #[test]
    fn year_only_dates_are_numbers_in_yaml() {
        let (p, diags) = product("---\ntitle: T\nkind: study\ndate: 2014\npartners: [aap]\n---\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(p.unwrap().date.year, 2014);
    }

    #[test]
    fn collects_every_error_of_a_file() {
        let (_, diags) = product(
            "---\ntitle: \"\"\nkind: studdy\ndate: 2014-13\npartenrs: [aap]\nsdgs: [18]\ncountries: [XX]\n---\n",
        );
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        for code in [
            "empty-value",
            "unknown-value",
            "bad-date",
            "unknown-key",
            "missing-key",
            "bad-sdg",
            "unknown-country",
        ] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
        let unknown = diags.iter().find(|d| d.code == "unknown-key").unwrap();
        assert_eq!(unknown.position().unwrap().0, (5, 1));
        assert_eq!(unknown.suggestion.as_deref(), Some("partners"));
        let kind = diags.iter().find(|d| d.code == "unknown-value").unwrap();
        assert_eq!(kind.suggestion.as_deref(), Some("study"));
        assert_eq!(kind.position().unwrap().0, (3, 7));
    }

    #[test]
    fn orcid_checksum() {
        assert!(check_orcid("0000-0002-1825-0097").is_ok());
        assert!(check_orcid("0000-0002-1694-233X").is_ok());
        assert!(check_orcid("0000-0002-1825-0098").is_err());
        assert!(check_orcid("1234").is_err());
    }

    #[test]
    fn classifies_registries_and_bundles() {
        assert_eq!(classify("partners/aap.md"), Role::Partner);
        assert_eq!(classify("partners/aap/index.md"), Role::Partner);
        assert_eq!(classify("partners/old/aap.md"), Role::Product);
        assert_eq!(classify("casos/x/index.md"), Role::Product);
        assert_eq!(classify("_index.md"), Role::Home);
        assert_eq!(classify("casos/_index.md"), Role::Skip);
        assert_eq!(classify("pages/como-publicar.md"), Role::Page);
        assert_eq!(classify("casos/pages/x.md"), Role::Product);
        assert_eq!(registry_id("casos/x/index.md"), "x");
    }

    #[test]
    fn a_key_written_twice_is_an_error_at_the_second() {
        for (text, line, first) in [
            ("---\ntitle: a\nkind: study\ntitle: b\n---\n", 4, 2),
            (
                "---\ntitle: a\nsource:\n  journal: a\n  \"journal\": b\n---\n",
                5,
                4,
            ),
            ("---\npartners:\n  - { id: a, id: b }\n---\n", 3, 0),
        ] {
            let (_, diags) = product(text);
            let d = diags
                .iter()
                .find(|d| d.code == "duplicate-key")
                .unwrap_or_else(|| panic!("{text}: {diags:?}"));
            assert_eq!(d.position().unwrap().0.0, line, "{text}");
            let label = d.label.clone().unwrap_or_default();
            assert_eq!(
                first != 0,
                label.contains(&format!("line {first}")),
                "{label}"
            );
        }
    }

    #[test]
    fn text_that_is_not_utf8_is_pointed_at() {
        let mut bytes = b"---\ntitle: x\n---\nEspa".to_vec();
        bytes.extend([0xf1, b'a', b'\n']);
        let (_, diags) = bytes_product(bytes);
        let d = &diags[0];
        assert_eq!(d.code, "not-text");
        assert_eq!(d.position().unwrap().0, (4, 5));
        assert_eq!(
            d.to_json(crate::messages::Lang::En)["file"],
            "content/casos/x.md"
        );
    }

    /// [`read_one`] on a file of `bytes`, as the walk would give it.
    fn bytes_product(bytes: Vec<u8>) -> (Parsed, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("content/casos/x.md");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let jail = Jail::new(dir.path());
        read_one(
            jail.read(&path),
            "casos/x.md",
            Role::Product,
            &Config::default(),
        )
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        /// Every error names its file, with a span inside the file's text.
        fn located(diags: &[Diagnostic]) -> Result<(), TestCaseError> {
            for d in diags.iter().filter(|d| d.is_error()) {
                let file = d.file.as_ref();
                prop_assert!(file.is_some(), "no file: {d:?}");
                prop_assert!(file.is_some_and(|f| d.span.end <= f.text.len()));
                let _ = d.render(false, crate::messages::Lang::En);
                let _ = d.to_json(crate::messages::Lang::En);
            }
            Ok(())
        }

        const VALID: &str = "---\ntitle: \"T\"\nkind: study\ndate: 2014-06\npartners:\n  - aap\n  - { id: care, role: [sponsor] }\nauthors: [A, { name: B, orcid: 0000-0002-1825-0097 }]\ntopics: [x, y]\nsource: { journal: J, volume: 10 }\nfiles: [{ path: a.pdf }]\n---\n# Body\n";

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// The splitter and the whole front-matter reader never panic,
            /// whatever the text, and spans stay inside the file.
            #[test]
            fn any_text_is_read_without_panic(text in "\\PC*") {
                let (_, diags) = product(&text);
                for d in diags {
                    prop_assert!(d.span.end <= text.len());
                    let _ = d.render(false, crate::messages::Lang::En);
                }
            }

            /// Valid front matter with bytes cut, repeated or inserted.
            #[test]
            fn mutated_front_matter_is_read_without_panic(
                at in 0usize..VALID.len(),
                len in 0usize..20,
                insert in "[-:\\[\\]{},&*!|>'\" \\n\\tñ#]{0,8}",
            ) {
                let mut text = VALID.to_string();
                let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
                let end = (at + len).min(text.len());
                let end = (end..=text.len())
                    .find(|i| text.is_char_boundary(*i))
                    .unwrap_or(text.len());
                text.replace_range(at..end, &insert);
                let (_, diags) = product(&text);
                located(&diags)?;
                for d in diags {
                    prop_assert!(d.span.end <= text.len());
                }
            }

            /// Any bytes at all, as a file of `content/`: read without
            /// panic, and every error points into the file.
            #[test]
            fn any_bytes_are_read_without_panic(
                bytes in proptest::collection::vec(any::<u8>(), 0..200),
                head in any::<bool>(),
            ) {
                let mut all = if head { b"---\ntitle: x\n".to_vec() } else { Vec::new() };
                all.extend(bytes);
                let (_, diags) = bytes_product(all);
                located(&diags)?;
            }

            /// A key of the valid front matter written again anywhere after
            /// it is always reported, at the line of the second one.
            #[test]
            fn a_repeated_key_is_always_found(
                key in prop::sample::select(vec!["title", "kind", "date", "topics", "source"]),
                after in 0usize..8,
            ) {
                let mut lines: Vec<&str> = VALID.lines().collect();
                let close = lines.iter().skip(1).position(|l| *l == "---").unwrap_or(0) + 1;
                let starts = format!("{key}:");
                let first = lines.iter().position(|l| l.starts_with(&starts)).unwrap_or(1);
                let at = (first + 1 + after).min(close);
                let extra = format!("{key}: again");
                lines.insert(at, &extra);
                let text = lines.join("\n");
                let (_, diags) = product(&text);
                let d = diags.iter().find(|d| d.code == "duplicate-key");
                prop_assert!(d.is_some(), "{text}\n{diags:?}");
                prop_assert_eq!(d.and_then(Diagnostic::position).map(|p| p.0.0), Some(at + 1));
            }
        }
    }
}
