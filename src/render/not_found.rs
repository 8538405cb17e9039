//! The 404 page: written at the root, served for any missing path, so
//! its links must be absolute (they already carry `base_path`).

use super::Env;
use super::plan::Plan;

pub(super) fn plan(plan: &mut Plan<'_, '_>, env: Env<'_>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    let ctx = views.context("/404.html", &views.label("ui", "not_found_title"), lang);
    plan.push("404.html", "/404.html".into(), ctx);
}
