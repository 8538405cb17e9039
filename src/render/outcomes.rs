//! The outcomes' index page: every outcome, by stage.

use super::plan::Plan;
use super::{Env, outcomes_by_stage};

pub(super) fn plan(plan: &mut Plan<'_, '_>, env: Env<'_>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    let paths = &site.config.paths;
    let path = format!("/{}/", paths.outcomes);
    let mut ctx = views.context(&path, &views.label("ui", "outcomes"), lang);
    ctx.insert("stages", &outcomes_by_stage(views, false));
    plan.push("outcomes.html", path, ctx);
}
