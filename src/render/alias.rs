//! The redirect pages of a product's aliases: each old address leaves for
//! the product's page.

use serde::Serialize;

use super::Env;
use super::inputs::PageInfo;
use super::plan::Plan;

/// What a redirect page shows: where it sends the reader.
#[derive(Serialize, Hash)]
struct AliasPage {
    page: PageInfo,
    target: String,
    target_permalink: String,
}

/// Plans the alias pages of product `i`.
pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>, i: usize) {
    let Env { site, views, .. } = env;
    let p = &site.products[i];
    let m = &p.meta;
    for from in &p.aliases {
        plan.page("alias.html", from.clone(), move || AliasPage {
            page: views.page_info(from, &m.title, &m.language),
            target: site.href(&p.path),
            target_permalink: site.permalink(&p.path),
        });
    }
}
