//! The 404 page: written at the root, served for any missing path, so
//! its links must be absolute (they already carry `base_path`).

use serde::Serialize;

use super::Env;
use super::inputs::PageInfo;
use super::plan::Plan;

/// The 404 page shows only what every page does.
#[derive(Serialize, Hash)]
struct NotFoundPage {
    page: PageInfo,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    plan.page("404.html", "/404.html".into(), move || NotFoundPage {
        page: views.page_info("/404.html", &views.label("ui", "not_found_title"), lang),
    });
}
