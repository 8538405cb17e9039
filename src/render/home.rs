//! The home page: the site's counts, the latest products, the partners
//! and topics with the most products, outcomes by stage, kinds, years and
//! the chart of products by year.

use serde_json::json;

use super::plan::Plan;
use super::{Env, groups, most_used, outcomes_by_stage, pick};

pub(super) fn plan(plan: &mut Plan<'_, '_>, env: Env<'_>) {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let lang = site.config.language.as_str();
    let mut ctx = views.context("/", &site.config.title, lang);
    // Counts only on the home page: in `base` they would make every
    // page stale whenever a product is added.
    let mut with_counts = views.base.clone();
    with_counts["counts"] = json!({
        "products": site.products.len(),
        "partners": site.partners.len(),
        "outcomes": site.outcomes.len(),
        "topics": site.topics.len(),
    });
    ctx.put("site", with_counts);
    let latest: Vec<usize> = {
        let mut all: Vec<usize> = (0..site.products.len()).collect();
        all.sort_by(|&a, &b| {
            site.products[b]
                .meta
                .date
                .cmp(&site.products[a].meta.date)
                .then(a.cmp(&b))
        });
        all.truncate(6);
        all
    };
    ctx.put("latest", views.cards(&latest));
    ctx.insert("intro", &bodies.home.as_ref().map(|b| b.html.as_str()));
    ctx.insert(
        "intro_title",
        &site.home.as_ref().and_then(|h| h.title.clone()),
    );
    let top_partners = most_used(site.partners.len(), |i| site.partners[i].products.len(), 12);
    ctx.put("partners", pick(&views.partners, &top_partners));
    let top_topics = most_used(site.topics.len(), |i| site.topics[i].products.len(), 16);
    ctx.put("topics", pick(&views.topics, &top_topics));
    ctx.insert("stages", &outcomes_by_stage(views, true));
    ctx.put("kinds", groups(views, &site.kinds, "kinds"));
    ctx.put("years", groups(views, &site.years, ""));
    ctx.insert(
        "years_chart",
        &crate::render::figures::years_figure(site, views.strings),
    );
    plan.push("home.html", "/".into(), ctx);
}
