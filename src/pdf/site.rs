//! The PDF stage of the pipeline: every PDF a product attaches is read
//! (from the cache when its bytes were read before) and its extraction
//! kept on the attachment, for the product page, the cards and the index;
//! what cannot be read is a warning at the product's `files:` entry, and
//! the rest of the site builds.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

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
/// folder `cache` and the preview's `memo`, and reports the PDFs whose
/// text cannot be indexed.
pub fn attach(site: &mut Site, cache: &Path, memo: &Memo, diags: &mut Vec<Diagnostic>) {
    let jail = Jail::new(&site.root);
    let dir = store::dir(cache);
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
    let read: Vec<(usize, usize, Arc<Extraction>)> = wanted
        .into_par_iter()
        .map(|(i, k)| {
            let disk = &site.products[i].files[k].disk;
            (i, k, one(&jail, &dir, memo, disk))
        })
        .collect();
    for (i, k, extraction) in read {
        let product = &mut site.products[i];
        let file = &mut product.files[k];
        if let Some(problem) = &extraction.problem {
            let entry = &product.meta.files[file.entry];
            diags
                .push(warning(problem, &entry.path).at(&product.meta.doc.file, entry.span.clone()));
        }
        file.pdf = Some(extraction);
    }
}

fn warning(problem: &Problem, name: &str) -> Diagnostic {
    let message = problem.said(name);
    let d =
        match problem {
            Problem::NoText => Diagnostic::warning("pdf-no-text", message)
                .help(crate::msg!("diag.pdf-no-text.help")),
            Problem::Encrypted => Diagnostic::warning("pdf-encrypted", message)
                .help(crate::msg!("diag.pdf-encrypted.help")),
            Problem::Damaged(_) => Diagnostic::warning("pdf-damaged", message)
                .help(crate::msg!("diag.pdf-damaged.help")),
            Problem::TooLarge(_) | Problem::TimedOut => Diagnostic::warning("pdf-skipped", message)
                .help(crate::msg!("diag.pdf-skipped.help")),
        };
    d.label(crate::msg!("diag.pdf.label"))
}

/// One PDF's extraction: remembered by the preview, or stored in the cache
/// under its bytes' key, or read now (and stored, unless it was given up
/// for time, which a less busy machine may not need).
fn one(jail: &Jail, dir: &Path, memo: &Memo, disk: &Path) -> Arc<Extraction> {
    if let Some(e) = memo.get(disk) {
        return e;
    }
    let bytes = match jail.read(disk) {
        Ok(b) => b,
        Err(e) => {
            return Arc::new(Extraction {
                problem: Some(Problem::Damaged(e.to_string())),
                ..Extraction::default()
            });
        }
    };
    let key = store::key(&bytes);
    let extraction = match store::get(dir, &key) {
        Some(e) => e,
        None => {
            let e = super::extract(bytes, DEADLINE);
            if e.problem != Some(Problem::TimedOut) {
                store::put(dir, &key, &e);
            }
            e
        }
    };
    let extraction = Arc::new(extraction);
    memo.put(disk, &extraction);
    extraction
}
