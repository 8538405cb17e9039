//! The partners' index page: every partner grouped by type, and the
//! drawing of the alliance.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Env;
use super::plan::Plan;
use crate::text::fingerprint;

/// The index shows every partner's view and the drawing of the alliance,
/// whose layout is the slowest part of a page: it is made again only when
/// its key changes.
pub(super) fn plan(plan: &mut Plan<'_, '_>, env: Env<'_>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    let path = format!("/{}/", site.config.paths.partners);
    let index_key = || {
        fingerprint(&(
            "partners",
            &views.partner_sigs,
            crate::render::figures::alliance_key(site, &views.partner_sigs),
        ))
    };
    if !plan.needs(&path, index_key) {
        return;
    }
    let mut ctx = views.context(&path, &views.label("ui", "partners"), lang);
    ctx.put("groups", by_type(env));
    ctx.insert(
        "network",
        &crate::render::figures::alliance_figure(site, views.strings, &views.partners),
    );
    plan.push("partners.html", path, ctx);
}

/// The partners grouped by type, in the order of
/// [`crate::content::load::PARTNER_TYPES`], each group by name.
fn by_type(env: Env<'_>) -> Vec<Value> {
    let Env { site, views, .. } = env;
    let mut by_type: BTreeMap<usize, (String, Vec<Value>)> = BTreeMap::new();
    let order = crate::content::load::PARTNER_TYPES;
    let mut sorted: Vec<usize> = (0..site.partners.len()).collect();
    sorted.sort_by_key(|&i| site.partners[i].meta.name.to_lowercase());
    for i in sorted {
        let t = site.partners[i]
            .meta
            .kind
            .clone()
            .unwrap_or_else(|| "other".into());
        let rank = order.iter().position(|x| *x == t).unwrap_or(order.len());
        by_type
            .entry(rank)
            .or_insert_with(|| (views.label("partner_types_plural", &t), Vec::new()))
            .1
            .push(views.partners[i].clone());
    }
    // Moved in: `json!` and `insert` would each copy every partner.
    by_type
        .into_values()
        .map(|(label, list)| {
            let mut group = json!({ "label": label });
            group["partners"] = Value::Array(list);
            group
        })
        .collect()
}
