//! The redirect pages of a product's aliases: each old address leaves for
//! the product's page.

use super::Env;
use super::plan::Plan;
use crate::text::fingerprint;

/// Plans the alias pages of product `i`.
pub(super) fn plan(plan: &mut Plan<'_, '_>, env: Env<'_>, i: usize) {
    let Env { site, views, .. } = env;
    let p = &site.products[i];
    let m = &p.meta;
    for from in &p.aliases {
        let from = from.clone();
        let key = || fingerprint(&("alias", &from, &p.path, &m.title, &m.language));
        if !plan.needs(&from, key) {
            continue;
        }
        let mut ctx = views.context(&from, &m.title, &m.language);
        ctx.insert("target", &site.href(&p.path));
        ctx.insert("target_permalink", &site.permalink(&p.path));
        plan.push("alias.html", from, ctx);
    }
}
