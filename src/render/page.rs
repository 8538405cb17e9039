//! The standalone pages (about, contact, ...): body, table of contents
//! and translations.

use serde::Serialize;

use super::Env;
use super::inputs::{PageInfo, TocEntry, toc};
use super::plan::Plan;

/// What a standalone page shows.
#[derive(Serialize, Hash)]
struct StandaloneInputs<'a> {
    page: PageInfo,
    doc: PageDoc<'a>,
}

#[derive(Serialize, Hash)]
struct PageDoc<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    body: &'a str,
    toc: Vec<TocEntry<'a>>,
    translations: Vec<PageTranslation<'a>>,
}

/// The same page in another language.
#[derive(Serialize, Hash)]
struct PageTranslation<'a> {
    title: &'a str,
    language: &'a str,
    href: String,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    for (i, p) in site.pages.iter().enumerate() {
        plan.page("page.html", p.path.clone(), move || {
            let m = &p.meta;
            let body = &bodies.pages[i];
            let translations = p
                .translations
                .iter()
                .map(|&j| {
                    let o = &site.pages[j];
                    PageTranslation {
                        title: &o.meta.title,
                        language: &o.meta.language,
                        href: site.href(&o.path),
                    }
                })
                .collect();
            StandaloneInputs {
                page: views.page_info(&p.path, &m.title, &m.language),
                doc: PageDoc {
                    title: &m.title,
                    description: m.description.as_deref(),
                    language: &m.language,
                    body: &body.html,
                    toc: toc(body),
                    translations,
                },
            }
        });
    }
}
