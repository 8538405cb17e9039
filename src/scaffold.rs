//! `ayni init` and `ayni new`: a new site that builds at once, and a new
//! product that starts from a filled-in template.
//!
//! The files `init` writes live in `scaffold/site/` and are compiled in;
//! the guide pages come from [`crate::content::guide`], and the comments of the
//! product `new` writes come from the same front-matter table. Neither
//! command ever replaces a file: `init` keeps what is there (and refuses a
//! non-empty folder without `--force`), `new` picks a free name.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::content::config::Config;
use crate::content::guide;
use crate::diagnostics::did_you_mean;
use crate::model::date::PartialDate;
use crate::text::slugify;

/// Why `init` or `new` could not do what was asked: usage errors (exit
/// code 2), each saying what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error(
        "`{}` is not empty (it has {}); pass `--force` to add the new site's files to it (existing files are kept)",
        dir.display(),
        entries.join(", ")
    )]
    /// `ayni init` was pointed at a folder that holds files.
    NotEmpty {
        /// The folder.
        dir: PathBuf,
        /// What it holds.
        entries: Vec<String>,
    },
    /// `ayni new` was given a kind the site does not have.
    #[error("unknown kind `{kind}`; expected one of: {}{}", expected.join(", "), hint(suggestion))]
    UnknownKind {
        /// The kind asked for.
        kind: String,
        /// The kinds the site has.
        expected: Vec<String>,
        /// The closest of them, if one is close.
        suggestion: Option<String>,
    },
    #[error(
        "unknown partner `{id}`; expected one of: {}{}",
        if expected.is_empty() { "(none yet: add a file content/partners/<id>.md)".to_string() } else { expected.join(", ") },
        hint(suggestion)
    )]
    /// `ayni new` was given a partner the site does not have.
    UnknownPartner {
        /// The id asked for.
        id: String,
        /// The partners' ids.
        expected: Vec<String>,
        /// The closest of them, if one is close.
        suggestion: Option<String>,
    },
    #[error(
        "the title is empty; give the product's title in quotes, e.g. `ayni new study \"Título\"`"
    )]
    /// The title is empty.
    EmptyTitle,
    /// The title has nothing to name the file after.
    #[error("the title `{0}` has no letters or digits to name the file after")]
    NoSlug(String),
    #[error(
        "`--section {0}` is not a folder under content/: use a relative path without `..`, outside partners/, outcomes/, topics/ and pages/"
    )]
    /// `--section` is not a folder under `content/` a product may be in.
    BadSection(String),
    /// The folder is not a site's.
    #[error("`{}` has no content/ folder; run `ayni new` in a site's folder or pass `--root DIR`", .0.display())]
    NotASite(PathBuf),
    /// A file could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

impl ScaffoldError {
    /// The error as a message of the catalogues: the same words as its
    /// English `Display`, in the language of the run.
    pub fn said(&self) -> crate::messages::Msg {
        use crate::msg;
        let guess = |s: &Option<String>| {
            s.as_ref()
                .map(|s| msg!("new.guess", suggestion = s))
                .unwrap_or_else(|| "".into())
        };
        match self {
            ScaffoldError::NotEmpty { dir, entries } => {
                msg!(
                    "init.not-empty",
                    dir = dir.display(),
                    entries = entries.join(", ")
                )
            }
            ScaffoldError::UnknownKind {
                kind,
                expected,
                suggestion,
            } => msg!(
                "new.unknown-kind",
                kind = kind,
                expected = expected.join(", ")
            )
            .nested("guess", guess(suggestion)),
            ScaffoldError::UnknownPartner {
                id,
                expected,
                suggestion,
            } if expected.is_empty() => {
                msg!("new.no-partners", id = id).nested("guess", guess(suggestion))
            }
            ScaffoldError::UnknownPartner {
                id,
                expected,
                suggestion,
            } => msg!(
                "new.unknown-partner",
                id = id,
                expected = expected.join(", ")
            )
            .nested("guess", guess(suggestion)),
            ScaffoldError::EmptyTitle => msg!("new.empty-title"),
            ScaffoldError::NoSlug(title) => msg!("new.no-slug", title = title),
            ScaffoldError::BadSection(s) => msg!("new.bad-section", section = s),
            ScaffoldError::NotASite(root) => msg!("new.not-a-site", root = root.display()),
            ScaffoldError::Io { path, source } => {
                msg!("new.io", path = path.display(), error = source)
            }
        }
    }
}

fn hint(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The GitHub Pages workflow `init` writes as `.github/workflows/ayni.yml`.
pub const GITHUB_WORKFLOW: &str = include_str!("../scaffold/site/.github/workflows/ayni.yml");
/// The GitLab CI configuration `init` writes as `.gitlab-ci.yml`.
pub const GITLAB_CI: &str = include_str!("../scaffold/site/gitlab-ci.yml");

/// Every file of a new site, by its path in the site, in the order shown.
pub fn site_files() -> Vec<(&'static str, String)> {
    macro_rules! file {
        ($path:literal, $src:literal) => {
            (
                $path,
                include_str!(concat!("../scaffold/site/", $src)).to_string(),
            )
        };
    }
    vec![
        file!("site.yaml", "site.yaml"),
        file!(".gitignore", "gitignore"),
        file!("content/_index.md", "content/_index.md"),
        file!(
            "content/casos/primer-estudio-de-caso.md",
            "content/casos/primer-estudio-de-caso.md"
        ),
        file!("content/partners/alianza.md", "content/partners/alianza.md"),
        file!(
            "content/outcomes/ordenanza-de-ejemplo.md",
            "content/outcomes/ordenanza-de-ejemplo.md"
        ),
        ("content/pages/como-publicar.md", guide::page("es")),
        ("content/pages/how-to-publish.md", guide::page("en")),
        file!("static/logos/alianza.svg", "static/logos/alianza.svg"),
        (".github/workflows/ayni.yml", GITHUB_WORKFLOW.to_string()),
        (".gitlab-ci.yml", GITLAB_CI.to_string()),
    ]
}

/// What `init` did: the files it wrote and the ones it found and kept.
#[derive(Debug, Default)]
pub struct InitReport {
    /// The site's folder.
    pub dir: PathBuf,
    /// The files written, relative to it.
    pub created: Vec<String>,
    /// The files that were there and were kept.
    pub kept: Vec<String>,
}

/// Creates a new site in `dir` (made if missing). A folder that holds
/// anything but `.git` is refused unless `force`; even then no existing
/// file is replaced.
///
/// # Errors
/// [`ScaffoldError::NotEmpty`] without `force`; [`ScaffoldError::Io`] when a
/// file cannot be written.
pub fn init(dir: &Path, force: bool) -> Result<InitReport, ScaffoldError> {
    if dir.exists() && !force {
        let mut entries: Vec<String> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".git")
            .collect();
        if !entries.is_empty() {
            entries.sort();
            if entries.len() > 5 {
                let more = entries.len() - 4;
                entries.truncate(4);
                entries.push(format!("and {more} more"));
            }
            return Err(ScaffoldError::NotEmpty {
                dir: dir.to_path_buf(),
                entries,
            });
        }
    }
    let mut report = InitReport {
        dir: dir.to_path_buf(),
        ..InitReport::default()
    };
    for (rel, text) in site_files() {
        let path = dir.join(rel);
        if write_new(&path, text.as_bytes())? {
            report.created.push(rel.to_string());
        } else {
            report.kept.push(rel.to_string());
        }
    }
    Ok(report)
}

/// Writes `bytes` to `path` atomically, only if nothing is there yet:
/// the text goes to a temporary file beside it, which is then linked into
/// place without replacing anything. `Ok(false)` when `path` exists.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<bool, ScaffoldError> {
    if path.symlink_metadata().is_ok() {
        return Ok(false);
    }
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".ayni-new-")
        .tempfile_in(parent)
        .map_err(io(parent))?;
    tmp.write_all(bytes).map_err(io(path))?;
    tmp.as_file().sync_all().map_err(io(path))?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(ScaffoldError::Io {
            path: path.to_path_buf(),
            source: e.error,
        }),
    }
}

/// What `ayni new` was asked for.
#[derive(Debug, Clone)]
pub struct NewProduct {
    /// The product's kind.
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its authors: partners' ids.
    pub partners: Vec<String>,
    /// Folder under `content/`; chosen from the kind when absent.
    pub section: Option<String>,
    /// Its date; today, for a new product.
    pub date: PartialDate,
}

/// What `ayni new` wrote.
#[derive(Debug)]
pub struct NewReport {
    /// The new file, relative to the site's root (`content/casos/x.md`).
    pub path: PathBuf,
    /// Notes for the author, such as a missing partner, said in the
    /// language of the run.
    pub notes: Vec<crate::messages::Msg>,
}

/// Ids of the partner registry: `content/partners/<id>.md` and
/// `content/partners/<id>/index.md`.
pub fn partner_ids(root: &Path) -> Vec<String> {
    let dir = root.join("content/partners");
    let mut ids: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = e.path();
            if name.starts_with(['.', '_']) || name.eq_ignore_ascii_case("readme.md") {
                None
            } else if path.is_dir() {
                path.join("index.md").is_file().then_some(name)
            } else {
                name.strip_suffix(".md").map(str::to_string)
            }
        })
        .collect();
    ids.sort();
    ids
}

/// The folder (under `content/`) most products of `kind` already live in.
fn section_in_use(root: &Path, kind: &str) -> Option<String> {
    let loaded = crate::content::load::load(root, true).ok()?;
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for p in loaded.products.iter().filter(|p| p.kind == kind) {
        let rel = Path::new(&p.doc.rel);
        let mut dir = rel.parent();
        if rel.file_name().is_some_and(|n| n == "index.md") {
            dir = dir.and_then(Path::parent);
        }
        let dir = dir.map(|d| d.to_string_lossy().replace('\\', "/"));
        if let Some(d) = dir.filter(|d| !d.is_empty()) {
            *counts.entry(d).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(d, _)| d)
}

pub(crate) fn check_section(section: &str) -> Result<String, ScaffoldError> {
    let s = section.trim().trim_matches('/').replace('\\', "/");
    let bad = s.is_empty()
        || s.starts_with('/')
        || s.contains(':')
        || s.split('/')
            .any(|p| p.is_empty() || p == "." || p == ".." || p.starts_with('.'))
        || matches!(
            s.split('/').next(),
            Some("partners" | "outcomes" | "topics" | "pages")
        );
    if bad {
        return Err(ScaffoldError::BadSection(section.to_string()));
    }
    Ok(s)
}

/// The front matter and body of a new product.
pub fn product_text(req: &NewProduct, language: &str, ui: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut s = String::from("---\n");
    s.push_str(&format!("title: {}\n", q(req.title.trim())));
    s.push_str(&format!("kind: {}\n", req.kind));
    s.push_str(&format!("date: {}\n", req.date.iso()));
    s.push_str(&format!("language: {language}\n"));
    s.push_str(&guide::comment("summary", ui));
    s.push_str("\n# summary: \"\"\n");
    if req.partners.is_empty() {
        s.push_str(&guide::comment("partners", ui));
        s.push_str("\npartners: []\n");
    } else {
        s.push_str("partners:\n");
        for p in &req.partners {
            s.push_str(&format!("  - {p}\n"));
        }
    }
    s.push_str(&guide::comment("topics", ui));
    s.push_str("\ntopics: []\n");
    s.push_str(&guide::comment("outcomes", ui));
    s.push_str("\noutcomes: []\n");
    // A draft until the author has written it: the template's sentences
    // must not be published by a merge made too early.
    s.push_str(&guide::comment("draft", ui));
    s.push_str("\ndraft: true\n");
    s.push_str("---\n\n");
    s.push_str(if ui == "en" {
        PLACEHOLDERS[1]
    } else {
        PLACEHOLDERS[0]
    });
    if ui == "en" {
        s.push_str("\n\n## Context\n\n## What we learned\n");
    } else {
        s.push_str("\n\n## Contexto\n\n## Qué aprendimos\n");
    }
    s
}

/// The sentences `ayni new` writes for the author to replace, in Spanish
/// and English: `check` warns about a product that still has one.
pub const PLACEHOLDERS: &[&str] = &[
    "Escriba aquí el texto del producto, en Markdown. Los títulos de sección empiezan con `## `.",
    "Write the text of the product here, in Markdown. Section headings start with `## `.",
];

/// The settings of the site at `root` and its partner ids, once `kind`
/// and `partners` are known to be among them: what `new` and `import`
/// check before they write.
pub(crate) fn site_for(
    root: &Path,
    kind: &str,
    partners: &[String],
) -> Result<(Config, Vec<String>), ScaffoldError> {
    if !root.join("content").is_dir() {
        return Err(ScaffoldError::NotASite(root.to_path_buf()));
    }
    let (config, _) = Config::load(root).map_err(io(&root.join("site.yaml")))?;
    let kinds: Vec<String> = config.kind_ids().iter().map(|k| k.to_string()).collect();
    if !kinds.iter().any(|k| k == kind) {
        return Err(ScaffoldError::UnknownKind {
            suggestion: did_you_mean(kind, kinds.iter().map(String::as_str)),
            kind: kind.to_string(),
            expected: kinds,
        });
    }
    let ids = partner_ids(root);
    for p in partners {
        if !ids.contains(p) {
            return Err(ScaffoldError::UnknownPartner {
                suggestion: did_you_mean(p, ids.iter().map(String::as_str)),
                id: p.clone(),
                expected: ids,
            });
        }
    }
    Ok((config, ids))
}

/// Writes a new product file under `root` and returns its path.
///
/// # Errors
/// [`ScaffoldError::UnknownKind`] or [`ScaffoldError::UnknownPartner`] with
/// the valid values; [`ScaffoldError::EmptyTitle`], [`ScaffoldError::NoSlug`],
/// [`ScaffoldError::BadSection`], [`ScaffoldError::NotASite`]; I/O errors.
pub fn new_product(root: &Path, req: &NewProduct) -> Result<NewReport, ScaffoldError> {
    let (config, ids) = site_for(root, &req.kind, &req.partners)?;
    if req.title.trim().is_empty() {
        return Err(ScaffoldError::EmptyTitle);
    }
    let slug = slugify(&req.title);
    if slug.is_empty() {
        return Err(ScaffoldError::NoSlug(req.title.clone()));
    }
    let section = match &req.section {
        Some(s) => check_section(s)?,
        None => section_in_use(root, &req.kind)
            .unwrap_or_else(|| guide::default_section(&req.kind, &config.language)),
    };
    let dir = root.join("content").join(&section);
    let text = product_text(req, &config.language, &config.ui_language);
    let mut notes = Vec::new();
    if req.partners.is_empty() {
        notes.push(if ids.is_empty() {
            crate::msg!("new.no-partner")
        } else {
            crate::msg!("new.no-partner-ids", ids = ids.join(", "))
        });
    }
    for n in 1.. {
        let name = if n == 1 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        };
        // A bundle folder of the same name would publish at the same URL.
        if dir.join(&name).exists() {
            continue;
        }
        let path = dir.join(format!("{name}.md"));
        if write_new(&path, text.as_bytes())? {
            return Ok(NewReport {
                path: Path::new("content")
                    .join(&section)
                    .join(format!("{name}.md")),
                notes,
            });
        }
    }
    unreachable!("some suffix is always free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_must_stay_inside_content() {
        assert_eq!(check_section("estudios/2024/").unwrap(), "estudios/2024");
        for bad in ["../x", "/", "partners", "a/../b", ".hidden", "c:/x"] {
            assert!(check_section(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_kind_message_lists_and_suggests() {
        let e = ScaffoldError::UnknownKind {
            kind: "studdy".into(),
            expected: vec!["case-study".into(), "study".into()],
            suggestion: Some("study".into()),
        };
        assert_eq!(
            e.to_string(),
            "unknown kind `studdy`; expected one of: case-study, study; did you mean `study`?"
        );
    }

    #[test]
    fn template_quotes_titles_and_comments_lists() {
        let req = NewProduct {
            kind: "study".into(),
            title: "Agua: \"sí\" o no".into(),
            partners: vec!["aap".into()],
            section: None,
            date: PartialDate::parse("2024-05-06").unwrap(),
        };
        let t = product_text(&req, "es", "es");
        assert!(t.starts_with("---\ntitle: \"Agua: \\\"sí\\\" o no\"\nkind: study\ndate: 2024-05-06\nlanguage: es\n"), "{t}");
        assert!(t.contains("partners:\n  - aap\n"), "{t}");
        assert!(t.contains("\ntopics: []\n"), "{t}");
        assert!(t.contains("# Los temas"), "{t}");
        assert!(t.contains("\noutcomes: []\n"), "{t}");
        assert!(t.contains("# Los resultados de política"), "{t}");
    }
}
