//! The outcomes' index page: every outcome, by stage.

use serde::Serialize;

use super::inputs::PageInfo;
use super::plan::Plan;
use super::{Env, StageGroup, outcomes_by_stage};

/// What the outcomes' index shows.
#[derive(Serialize, Hash)]
struct OutcomesPage<'a> {
    page: PageInfo,
    stages: Vec<StageGroup<'a>>,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    let path = format!("/{}/", site.config.paths.outcomes);
    plan.page("outcomes.html", path.clone(), move || OutcomesPage {
        page: views.page_info(&path, &views.label("ui", "outcomes"), lang),
        stages: outcomes_by_stage(views, false),
    });
}
