//! The lists by kind and by year: each group's products, paginated.

use serde_json::json;

use super::Env;
use super::plan::{Plan, paginate};

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
                let key = || page.key(views, &g.products, (template, &title));
                if !plan.needs(&page.path, key) {
                    continue;
                }
                let title = title.clone();
                plan.defer(template, page.path.clone(), move || {
                    let mut ctx = views.context(&page.path, &title, lang);
                    ctx.put("group", json!({"id": g.id, "title": title}));
                    ctx.put("products", views.cards(&g.products[page.range.clone()]));
                    ctx.put("paginator", page.paginator);
                    ctx
                });
            }
        }
    }
}
