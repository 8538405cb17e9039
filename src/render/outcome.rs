//! An outcome's page: its route through the stages, the products that fed
//! it with their contributions, and its partners.

use serde_json::{Map, Value, json};

use super::plan::Plan;
use super::{Ctx, Env, object, pick, sigs_of, with_field};
use crate::content::load::STAGES;
use crate::model::stage_rank;
use crate::text::fingerprint;

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    for (i, o) in env.site.outcomes.iter().enumerate() {
        if plan.outside(|s| s.outcomes.contains(&i)) {
            continue;
        }
        if !plan.needs(&o.path, || key(env, i)) {
            continue;
        }
        plan.defer("outcome.html", o.path.clone(), move || context(env, i));
    }
}

fn key(env: Env<'_>, i: usize) -> u64 {
    let Env { views, bodies, .. } = env;
    let o = &env.site.outcomes[i];
    fingerprint(&(
        "outcome",
        views.outcome_sigs[i],
        o.meta.doc.file.fingerprint,
        bodies.generation,
        sigs_of(o.products.iter().copied(), &views.product_sigs),
        sigs_of(o.partners.iter().copied(), &views.partner_sigs),
    ))
}

fn context(env: Env<'_>, i: usize) -> Ctx {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let o = &site.outcomes[i];
    let mut ctx = views.context(&o.path, &o.meta.title, &site.config.language);
    let mut obj = object(&views.outcomes[i]);
    obj.insert("body".into(), json!(bodies.outcomes[i].html));
    obj.insert("decision_maker".into(), json!(o.meta.decision_maker));
    obj.insert("url".into(), json!(o.meta.url));
    obj.insert("change_type".into(), json!(o.meta.change_type));
    obj.insert(
        "change_type_label".into(),
        json!(
            o.meta
                .change_type
                .as_deref()
                .map(|c| views.label("change_types", c))
        ),
    );
    obj.insert("route".into(), json!(route(env, i)));
    obj.insert("products".into(), json!(contributions(env, i)));
    obj.insert(
        "partners".into(),
        Value::from(pick(&views.partners, &o.partners)),
    );
    ctx.put("outcome", Value::Object(obj));
    ctx
}

/// The stages an outcome goes through, with the one it is at and those it
/// passed; "shelved" only for a shelved outcome.
fn route(env: Env<'_>, i: usize) -> Vec<Value> {
    let stage = &env.site.outcomes[i].meta.stage;
    let rank = stage_rank(stage);
    STAGES
        .iter()
        .filter(|s| **s != "shelved" || stage == "shelved")
        .map(|s| {
            let r = stage_rank(s);
            let mut step = Map::new();
            step.insert("current".into(), json!(r == rank));
            step.insert("label".into(), json!(env.views.label("stages", s)));
            step.insert("passed".into(), json!(r < rank));
            step.insert("stage".into(), json!(s));
            Value::Object(step)
        })
        .collect()
}

/// The cards of the products that fed outcome `i`, each with what it
/// contributed.
fn contributions(env: Env<'_>, i: usize) -> Vec<Value> {
    let Env { site, views, .. } = env;
    site.outcomes[i]
        .products
        .iter()
        .map(|&pi| {
            let c = site.products[pi]
                .outcomes
                .iter()
                .find(|(x, _)| *x == i)
                .and_then(|(_, c)| c.clone());
            with_field(&views.products[pi], "contribution", json!(c))
        })
        .collect()
}
