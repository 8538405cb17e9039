//! A topic's pages: its description and its products, paginated.

use super::Env;
use super::plan::{Plan, paginate};

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
        let description = t.meta.as_ref().map(|m| m.doc.file.fingerprint);
        for page in paginate(views, &t.path, &t.products) {
            let frame = ("topic", views.topic_sigs[i], description, bodies.generation);
            if !plan.needs(&page.path, || page.key(views, &t.products, frame)) {
                continue;
            }
            plan.defer("topic.html", page.path.clone(), move || {
                let mut ctx = views.context(&page.path, &t.title, lang);
                ctx.put("topic", views.topics[i].clone());
                ctx.insert(
                    "description",
                    &bodies.topics[i].as_ref().map(|b| b.html.clone()),
                );
                ctx.put("products", views.cards(&t.products[page.range.clone()]));
                ctx.put("paginator", page.paginator);
                ctx
            });
        }
    }
}
