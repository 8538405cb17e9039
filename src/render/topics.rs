//! The topics' index page: every topic with products, by title.

use serde_json::Value;

use super::Env;
use super::plan::Plan;

pub(super) fn plan(plan: &mut Plan<'_, '_>, env: Env<'_>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    let paths = &site.config.paths;
    let path = format!("/{}/", paths.topics);
    let mut ctx = views.context(&path, &views.label("ui", "topics"), lang);
    let mut list: Vec<Value> = views
        .topics
        .iter()
        .filter(|t| t["count"].as_u64().unwrap_or(0) > 0)
        .cloned()
        .collect();
    list.sort_by_key(|t| crate::text::slugify(t["title"].as_str().unwrap_or("")));
    ctx.put("topics", list);
    plan.push("topics.html", path, ctx);
}
