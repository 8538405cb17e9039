//! The standalone pages (about, contact, ...): body, table of contents
//! and translations.

use serde_json::{Value, json};

use super::Env;
use super::plan::Plan;

pub(super) fn plan(plan: &mut Plan<'_, '_>, env: Env<'_>) {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    for (i, p) in site.pages.iter().enumerate() {
        let m = &p.meta;
        let mut ctx = views.context(&p.path, &m.title, &m.language);
        let body = &bodies.pages[i];
        let translations: Vec<Value> = p
            .translations
            .iter()
            .map(|&j| {
                let o = &site.pages[j];
                json!({
                    "title": o.meta.title,
                    "language": o.meta.language,
                    "href": site.href(&o.path),
                })
            })
            .collect();
        ctx.insert(
            "doc",
            &json!({
                "title": m.title,
                "description": m.description,
                "language": m.language,
                "body": body.html,
                "toc": body
                    .headings
                    .iter()
                    .filter(|h| h.level == 2)
                    .map(|h| json!({"id": h.id, "text": h.text}))
                    .collect::<Vec<_>>(),
                "translations": translations,
            }),
        );
        plan.push("page.html", p.path.clone(), ctx);
    }
}
