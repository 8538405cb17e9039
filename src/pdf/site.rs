//! The PDF stage of the pipeline: every PDF a product attaches is read
//! (from the cache when its bytes were read before) and its extraction
//! kept on the attachment, for the product page, the cards and the index,
//! with the cover drawn from its first page; what cannot be read or drawn
//! is a warning at the product's `files:` entry, and the rest of the site
//! builds.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::cover::{self, Cover, CoverRecord, CoverSize};
use super::store::{self, Memo};
use super::{DEADLINE, Extraction, Problem};
use crate::content::jail::Jail;
use crate::diagnostics::Diagnostic;
use crate::model::Site;

/// Whether an attachment is read as a PDF: by its name, as the product
/// page and the citation tags already tell PDFs.
pub fn is_pdf(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".pdf")
}

/// Reads every attached PDF of `site` into its attachment, with the cache
/// folder `cache` and the preview's `memo`, draws its cover unless the
/// site turned covers off, and reports the PDFs whose text cannot be
/// indexed or whose cover cannot be drawn. The memo counts the PDFs
/// parsed now rather than found in a cache.
pub fn attach(site: &mut Site, cache: &Path, memo: &Memo, diags: &mut Vec<Diagnostic>) {
    let jail = Jail::new(&site.root);
    let dir = store::dir(cache);
    let covers = site.config.covers;
    let wanted: Vec<(usize, usize)> = site
        .products
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            p.files
                .iter()
                .enumerate()
                .filter(|(_, f)| is_pdf(&f.name))
                .map(move |(k, _)| (i, k))
        })
        .collect();
    let read: Vec<(usize, usize, PdfRead)> = wanted
        .into_par_iter()
        .map(|(i, k)| {
            let disk = &site.products[i].files[k].disk;
            (i, k, one(&jail, &dir, memo, disk, covers))
        })
        .collect();
    memo.add_parsed(read.iter().filter(|(_, _, r)| r.parsed).count());
    for (i, k, read) in read {
        let product = &mut site.products[i];
        let file = &mut product.files[k];
        let entry = &product.meta.files[file.entry];
        let at = |d: Diagnostic| d.at(&product.meta.doc.file, entry.span.clone());
        if let Some(problem) = &read.extraction.problem {
            diags.push(at(warning(problem, &entry.path)));
        }
        if let Some(why) = read.cover_problem {
            diags.push(at(no_cover(&entry.path, &why)));
        }
        file.cover = read.cover.map(|(image, size)| Cover {
            image,
            url: cover::url_for(&file.path),
            size,
        });
        file.pdf = Some(read.extraction);
    }
}

/// What the stage made of one PDF.
struct PdfRead {
    extraction: Arc<Extraction>,
    /// Whether the PDF was parsed now, not found in a cache.
    parsed: bool,
    cover: Option<(PathBuf, CoverSize)>,
    /// Why a PDF whose text was read has no cover.
    cover_problem: Option<String>,
}

fn no_cover(name: &str, why: &str) -> Diagnostic {
    Diagnostic::warning(
        "pdf-no-cover",
        format!("the first page of `{name}` cannot be drawn as its cover ({why})"),
    )
    .label("its link and text are published, without a cover")
    .help("export the PDF again, or turn covers off with `covers: false` in site.yaml")
}

fn warning(problem: &Problem, name: &str) -> Diagnostic {
    let message = problem.said(name);
    let d = match problem {
        Problem::NoText => {
            Diagnostic::warning("pdf-no-text", message).help(crate::msg!("diag.pdf-no-text.help"))
        }
        Problem::Encrypted => Diagnostic::warning("pdf-encrypted", message)
            .help(crate::msg!("diag.pdf-encrypted.help")),
        Problem::Damaged(_) => {
            Diagnostic::warning("pdf-damaged", message).help(crate::msg!("diag.pdf-damaged.help"))
        }
        Problem::TooLarge(_) | Problem::Unpacks(_) | Problem::TimedOut => {
            Diagnostic::warning("pdf-skipped", message).help(crate::msg!("diag.pdf-skipped.help"))
        }
    };
    d.label(crate::msg!("diag.pdf.label"))
}

/// One PDF's extraction and cover.
fn one(jail: &Jail, dir: &Path, memo: &Memo, disk: &Path, covers: bool) -> PdfRead {
    let (key, extraction, bytes, parsed) = match memo.get(disk) {
        Some((key, e)) => (key, e, None, false),
        None => match jail.read(disk) {
            Ok(bytes) => {
                let bytes = Arc::new(bytes);
                let key = store::key(&bytes);
                let (e, parsed) = text_of(dir, &key, &bytes);
                let e = Arc::new(e);
                memo.put(disk, &key, &e);
                (key, e, Some(bytes), parsed)
            }
            Err(e) => {
                let problem = Some(Problem::Damaged(e.to_string()));
                let extraction = Arc::new(Extraction {
                    problem,
                    ..Extraction::default()
                });
                return PdfRead {
                    extraction,
                    parsed: false,
                    cover: None,
                    cover_problem: None,
                };
            }
        },
    };
    // A PDF whose text could not be read has its warning already; a scan
    // has pages to draw.
    let drawable = matches!(extraction.problem, None | Some(Problem::NoText));
    let record = (covers && drawable).then(|| {
        cover::cached(dir, &key).unwrap_or_else(|| {
            let bytes = bytes.or_else(|| jail.read(disk).ok().map(Arc::new));
            match bytes {
                Some(b) => cover::make(dir, &key, b, DEADLINE),
                None => CoverRecord {
                    size: None,
                    problem: None,
                },
            }
        })
    });
    let (cover, cover_problem) = match record {
        Some(r) => (r.size.map(|s| (cover::image_path(dir, &key), s)), r.problem),
        None => (None, None),
    };
    PdfRead {
        extraction,
        parsed,
        cover,
        cover_problem,
    }
}

/// A PDF's text from the cache under its bytes' key, or read now (and
/// stored, unless it was given up for time, which a less busy machine may
/// not need); and whether it was read now.
fn text_of(dir: &Path, key: &str, bytes: &Arc<Vec<u8>>) -> (Extraction, bool) {
    if let Some(e) = store::get(dir, key) {
        return (e, false);
    }
    let e = super::extract_shared(bytes.clone(), DEADLINE);
    if e.problem != Some(Problem::TimedOut) {
        store::put(dir, key, &e);
    }
    (e, true)
}
