//! A topic's pages: its description and its products, paginated.

use serde::Serialize;

use super::Env;
use super::inputs::{CardShown, PageInfo, Paginator, Shown};
use super::plan::{Plan, paginate};
use super::views::TopicView;

/// What a page of a topic's list shows.
#[derive(Serialize, Hash)]
struct TopicPage<'a> {
    page: PageInfo,
    topic: Shown<'a, TopicView>,
    /// The topic file's body, when there is one.
    description: Option<&'a str>,
    products: Vec<CardShown<'a>>,
    paginator: Paginator,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let lang = site.config.language.as_str();
    for (i, t) in site.topics.iter().enumerate() {
        if plan.outside(|s| s.topics.contains(&i)) {
            continue;
        }
        for page in paginate(views, &t.path, &t.products) {
            plan.page("topic.html", page.path.clone(), move || TopicPage {
                page: views.page_info(&page.path, &t.title, lang),
                topic: views.topic(i),
                description: bodies.topics[i].as_ref().map(|b| b.html.as_str()),
                products: views.cards(&t.products[page.range.clone()]),
                paginator: page.paginator,
            });
        }
    }
}
