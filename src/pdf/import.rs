//! `ayni import`: a draft product for each PDF of a folder of reports,
//! the PDF beside it in a bundle folder, its front matter taken from the
//! PDF's own metadata or, where that is silent, from its first page's
//! largest type (see [`super::lead`]). What could not be told is said,
//! the summary is marked for review, and nothing that exists is ever
//! replaced.

use std::path::{Path, PathBuf};

use crate::scaffold::{ScaffoldError, check_section, io, site_for, write_new};
use crate::text::slugify;

use super::{DEADLINE, Extraction, Meta};

/// What `ayni import` was asked for.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// PDFs, and folders whose PDFs (at any depth) are imported.
    pub paths: Vec<PathBuf>,
    pub partners: Vec<String>,
    /// The products' kind; `study` when the site has it, else its first.
    pub kind: Option<String>,
    /// Folder under `content/`; `kind`'s usual folder when absent.
    pub section: Option<String>,
}

/// One PDF imported: the product file and what the PDF did not tell.
#[derive(Debug)]
pub struct Imported {
    pub source: PathBuf,
    /// The new product file, relative to the site's root.
    pub product: PathBuf,
    pub unknown: Vec<String>,
}

/// What `import` did with each PDF it was given.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: Vec<Imported>,
    /// PDFs not imported, with why.
    pub skipped: Vec<(PathBuf, String)>,
}

/// The PDFs named by `paths`, folders walked, in name order.
pub fn pdfs_under(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| super::site::is_pdf(&p.to_string_lossy()))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Imports every PDF of `req` into the site at `root`.
///
/// # Errors
/// An unknown kind or partner, a bad section, a folder that is not a site,
/// or a file that cannot be written; a PDF that cannot be read is skipped
/// and reported instead.
pub fn import(root: &Path, req: &ImportRequest) -> Result<ImportReport, ScaffoldError> {
    let kind = req.kind.clone().unwrap_or_else(|| default_kind(root));
    let (config, _) = site_for(root, &kind, &req.partners)?;
    let section = match &req.section {
        Some(s) => check_section(s)?,
        None => crate::content::guide::default_section(&kind, &config.language),
    };
    let mut report = ImportReport::default();
    for source in pdfs_under(&req.paths) {
        let bytes = match std::fs::read(&source) {
            Ok(b) => b,
            Err(e) => {
                report.skipped.push((source, e.to_string()));
                continue;
            }
        };
        let extraction = super::extract(bytes.clone(), DEADLINE);
        if let Some(p @ super::Problem::Damaged(_)) = &extraction.problem {
            let name = source.file_name().unwrap_or_default().to_string_lossy();
            report.skipped.push((source.clone(), p.message(&name)));
            continue;
        }
        let draft = Draft::of(&source, &extraction, &config.language);
        let product = write_bundle(root, &section, &draft, (&kind, req), &source, &bytes)?;
        report.imported.push(Imported {
            source,
            product,
            unknown: draft.unknown,
        });
    }
    Ok(report)
}

/// A product's front matter as the PDF tells it.
#[derive(Debug)]
struct Draft {
    title: String,
    authors: Vec<String>,
    date: String,
    language: String,
    summary: Option<String>,
    unknown: Vec<String>,
}

impl Draft {
    fn of(source: &Path, e: &Extraction, site_language: &str) -> Draft {
        let mut unknown = Vec::new();
        let first = e.pages.first().map(String::as_str).unwrap_or("");
        let title = usable_title(&e.meta)
            .or_else(|| e.lead.title.clone())
            .or_else(|| first_heading(first))
            .unwrap_or_else(|| {
                unknown.push("no title found: the file name is used".into());
                file_title(source)
            });
        let authors = if e.meta.authors.is_empty() {
            e.lead.authors.clone()
        } else {
            e.meta.authors.clone()
        };
        if authors.is_empty() {
            unknown.push("no authors found".into());
        }
        let date = match e
            .meta
            .date
            .as_deref()
            .map(crate::model::date::PartialDate::parse)
        {
            Some(Ok(d)) => d.iso(),
            _ => {
                unknown.push("no date found: today's year is written, correct it".into());
                crate::model::date::PartialDate::today().year.to_string()
            }
        };
        let language = e
            .meta
            .language
            .as_deref()
            .and_then(|l| l.split(['-', '_']).next())
            .map(str::to_ascii_lowercase)
            .filter(|l| l.len() == 2)
            .or_else(|| guess_language(&e.pages.concat()))
            .unwrap_or_else(|| {
                unknown.push("no language found: the site's is written".into());
                site_language.to_string()
            });
        let summary = summary(&e.pages, &title);
        if summary.is_none() {
            unknown.push("no text to take a summary from".into());
        }
        if let Some(p) = &e.problem {
            let name = source.file_name().unwrap_or_default().to_string_lossy();
            unknown.push(p.message(&name));
        }
        Draft {
            title,
            authors,
            date,
            language,
            summary,
            unknown,
        }
    }
}

/// `study` when the site has that kind, else the site's first kind.
fn default_kind(root: &Path) -> String {
    let kinds = crate::content::config::Config::load(root)
        .map(|(c, _)| {
            c.kind_ids()
                .iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    if kinds.iter().any(|k| k == "study") || kinds.is_empty() {
        "study".into()
    } else {
        kinds[0].clone()
    }
}

/// The Info or XMP title, unless it is a producer's placeholder
/// ("Microsoft Word - informe.docx", "untitled").
fn usable_title(meta: &Meta) -> Option<String> {
    let t = meta.title.as_deref()?.trim();
    let lower = t.to_lowercase();
    let placeholder = lower.starts_with("microsoft ")
        || [".doc", ".docx", ".pdf", ".odt", ".indd", ".tex"]
            .iter()
            .any(|e| lower.ends_with(e))
        || matches!(
            lower.as_str(),
            "untitled" | "sin título" | "sin titulo" | "title"
        );
    (!placeholder && t.chars().any(char::is_alphabetic)).then(|| t.to_string())
}

/// The first page's opening line with words in it: the title on a cover
/// or first page as producers lay it out.
fn first_heading(page: &str) -> Option<String> {
    page.lines()
        .map(str::trim)
        .find(|l| l.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .map(|l| crate::text::truncate(l, 200))
}

fn file_title(source: &Path) -> String {
    source
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['_', '-'], " "))
        .unwrap_or_else(|| "Documento".into())
}

/// Spanish or English, by which language's commonest words the text has
/// more of; `None` for a text too short to tell.
fn guess_language(text: &str) -> Option<String> {
    const ES: &[&str] = &[
        "de", "la", "que", "el", "en", "los", "las", "del", "por", "con",
    ];
    const EN: &[&str] = &[
        "the", "of", "and", "to", "in", "is", "that", "for", "with", "on",
    ];
    let (mut es, mut en) = (0, 0);
    for w in text.split(|c: char| !c.is_alphabetic()).take(5000) {
        let w = w.to_lowercase();
        es += usize::from(ES.contains(&w.as_str()));
        en += usize::from(EN.contains(&w.as_str()));
    }
    match (es, en) {
        (a, b) if a + b < 20 => None,
        (a, b) if a >= b => Some("es".into()),
        _ => Some("en".into()),
    }
}

/// The first paragraphs of real prose (lines joined, headings and short
/// lines left out), up to about 60 words.
fn summary(pages: &[String], title: &str) -> Option<String> {
    let mut words: Vec<&str> = Vec::new();
    for page in pages.iter().take(3) {
        for para in page.split("\n\n") {
            // Addresses, links and lines that open with a number (dates,
            // page numbers, section numbers) are a page's furniture.
            let prose = para.lines().filter(|l| {
                let l = l.trim();
                !l.contains('@')
                    && !l.contains("://")
                    && !l.starts_with(|c: char| c.is_ascii_digit())
            });
            let line = prose.flat_map(str::split_whitespace).collect::<Vec<_>>();
            let text = line.join(" ");
            if line.len() < 12 || text == title || !text.contains(['.', ',']) {
                continue;
            }
            words.extend(line);
            if words.len() >= 60 {
                break;
            }
        }
        if words.len() >= 60 {
            break;
        }
    }
    if words.is_empty() {
        return None;
    }
    let mut s = words.into_iter().take(80).collect::<Vec<_>>().join(" ");
    // Some producers space punctuation off its word.
    s = s.replace(" .", ".").replace(" ,", ",");
    if !s.ends_with('.') {
        s.push('…');
    }
    Some(s)
}

/// The product file's text: `draft: true`, and the summary under a
/// comment that asks the editor to review it.
fn front_matter(d: &Draft, (kind, req): (&str, &ImportRequest), pdf: &str, ui: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut s = String::from("---\n");
    s.push_str(&format!("title: {}\n", q(&d.title)));
    s.push_str(&format!("kind: {kind}\n"));
    s.push_str(&format!("date: {}\n", d.date));
    s.push_str(&format!("language: {}\n", d.language));
    s.push_str("draft: true\n");
    if let Some(summary) = &d.summary {
        s.push_str(if ui == "en" {
            "# Taken from the PDF's first paragraphs: review it.\n"
        } else {
            "# Tomado de los primeros párrafos del PDF: revíselo.\n"
        });
        s.push_str(&format!("summary: {}\n", q(summary)));
    }
    if !d.authors.is_empty() {
        s.push_str("authors:\n");
        for a in &d.authors {
            s.push_str(&format!("  - {}\n", q(a)));
        }
    }
    s.push_str("partners:");
    if req.partners.is_empty() {
        s.push_str(" []\n");
    } else {
        s.push('\n');
        for p in &req.partners {
            s.push_str(&format!("  - {p}\n"));
        }
    }
    s.push_str(&format!("files: [{}]\n---\n", q(pdf)));
    s
}

/// Writes `content/<section>/<slug>/index.md` with the PDF beside it, in a
/// folder no other file uses (`-2`, `-3`… when the title's is taken).
fn write_bundle(
    root: &Path,
    section: &str,
    d: &Draft,
    req: (&str, &ImportRequest),
    source: &Path,
    bytes: &[u8],
) -> Result<PathBuf, ScaffoldError> {
    let slug = Some(slugify(&d.title))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "documento".into());
    let pdf = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .unwrap_or_else(|| "documento.pdf".into());
    let dir = root.join("content").join(section);
    let ui = crate::content::config::Config::load(root)
        .map(|(c, _)| c.ui_language)
        .unwrap_or_default();
    let text = front_matter(d, req, &pdf, &ui);
    for n in 1.. {
        let name = if n == 1 {
            slug.clone()
        } else {
            format!("{slug}-{n}")
        };
        let folder = dir.join(&name);
        if folder.exists() || dir.join(format!("{name}.md")).exists() {
            continue;
        }
        std::fs::create_dir_all(&folder).map_err(io(&folder))?;
        if !write_new(&folder.join(&pdf), bytes)?
            || !write_new(&folder.join("index.md"), text.as_bytes())?
        {
            continue;
        }
        return Ok(Path::new("content")
            .join(section)
            .join(name)
            .join("index.md"));
    }
    unreachable!("some suffix is always free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_titles_are_not_taken() {
        let m = |t: &str| Meta {
            title: Some(t.into()),
            ..Meta::default()
        };
        assert_eq!(
            usable_title(&m("Microsoft Word - informe final.docx")),
            None
        );
        assert_eq!(usable_title(&m("untitled")), None);
        assert_eq!(
            usable_title(&m("Evaluación final")).as_deref(),
            Some("Evaluación final")
        );
    }

    #[test]
    fn the_language_is_told_by_its_commonest_words() {
        let es = "la evaluación de los programas en el país y la participación de las mujeres "
            .repeat(3);
        assert_eq!(guess_language(&es).as_deref(), Some("es"));
        let en = "the evaluation of the programme and the participation of women in the country "
            .repeat(3);
        assert_eq!(guess_language(&en).as_deref(), Some("en"));
        assert_eq!(guess_language("hola"), None);
    }

    #[test]
    fn the_summary_skips_headings_and_takes_prose() {
        let pages = vec![
            "Informe final\n\n1. Introducción\n\nLa evaluación examinó la eficacia, la eficiencia y la sostenibilidad del programa de riego en cuatro provincias.\n".to_string(),
        ];
        let s = summary(&pages, "Informe final").unwrap();
        assert!(s.starts_with("La evaluación examinó"), "{s}");
    }
}
