//! The lists by kind and by year: each group's products, paginated.

use serde::Serialize;

use super::Env;
use super::inputs::{CardShown, PageInfo, Paginator};
use super::plan::{Plan, paginate};

/// What a page of a kind's or a year's list shows.
#[derive(Serialize, Hash)]
struct GroupPage<'a> {
    page: PageInfo,
    group: GroupHeading<'a>,
    products: Vec<CardShown<'a>>,
    paginator: Paginator,
}

#[derive(Serialize, Hash)]
struct GroupHeading<'a> {
    id: &'a str,
    title: String,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    for (template, list) in [("kind.html", &site.kinds), ("year.html", &site.years)] {
        for g in list.iter() {
            if plan.outside(|s| s.groups.contains(&g.path)) {
                continue;
            }
            let title = if template == "kind.html" {
                views.label("kinds_plural", &g.id)
            } else {
                g.id.clone()
            };
            for page in paginate(views, &g.path, &g.products) {
                let title = title.clone();
                plan.page(template, page.path.clone(), move || GroupPage {
                    page: views.page_info(&page.path, &title, lang),
                    products: views.cards(&g.products[page.range.clone()]),
                    group: GroupHeading { id: &g.id, title },
                    paginator: page.paginator,
                });
            }
        }
    }
}
