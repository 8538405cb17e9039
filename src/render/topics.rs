//! The topics' index page: every topic with products, by title.

use serde::Serialize;

use super::Env;
use super::inputs::{PageInfo, Shown};
use super::plan::Plan;
use super::views::TopicView;

/// What the topics' index shows.
#[derive(Serialize, Hash)]
struct TopicsPage<'a> {
    page: PageInfo,
    topics: Vec<Shown<'a, TopicView>>,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    let path = format!("/{}/", site.config.paths.topics);
    plan.page("topics.html", path.clone(), move || {
        let mut list: Vec<usize> = (0..site.topics.len())
            .filter(|&t| !site.topics[t].products.is_empty())
            .collect();
        list.sort_by_cached_key(|&t| crate::text::slugify(&site.topics[t].title));
        TopicsPage {
            page: views.page_info(&path, &views.label("ui", "topics"), lang),
            topics: views.topic_list(&list),
        }
    });
}
