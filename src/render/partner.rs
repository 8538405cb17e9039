//! A partner's page (its products by role, coauthors, outcomes, members
//! and the drawing of its neighbourhood) and the paginated lists of a
//! role with more products than a page shows.

use serde_json::{Value, json};

use super::plan::{Plan, paginate};
use super::{Ctx, Env, object, pick, sigs_of, with_field};
use crate::text::fingerprint;

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    for (i, p) in env.site.partners.iter().enumerate() {
        if plan.outside(|s| s.partners.contains(&i)) {
            continue;
        }
        role_lists(plan, env, i);
        if !plan.needs(&p.path, || key(env, i)) {
            continue;
        }
        plan.defer("partner.html", p.path.clone(), move || context(env, i));
    }
}

/// The lists of partner `i`'s products in a role, where the partner's
/// page shows only the first of them.
fn role_lists<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>, i: usize) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    let per = site.config.paginate.max(1);
    let p = &site.partners[i];
    for (role, list) in &p.by_role {
        if list.len() <= per {
            continue;
        }
        let more_path = format!("{}{}/", p.path, role);
        let title = format!("{} · {}", p.meta.name, views.label("roles_as", role));
        for page in paginate(views, &more_path, list) {
            let key = || page.key(views, list, ("list", &title, views.partner_sigs[i]));
            if !plan.needs(&page.path, key) {
                continue;
            }
            let title = title.clone();
            plan.defer("list.html", page.path.clone(), move || {
                let mut c = views.context(&page.path, &title, lang);
                c.insert("heading", &title);
                c.insert(
                    "parent",
                    &json!({"title": p.meta.name, "href": site.href(&p.path)}),
                );
                c.put("products", views.cards(&list[page.range.clone()]));
                c.put("paginator", page.paginator);
                c
            });
        }
    }
}

/// The neighbourhood drawing depends on ties between other partners too,
/// so the key takes what the drawing is made of.
fn key(env: Env<'_>, i: usize) -> u64 {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let p = &site.partners[i];
    let per = site.config.paginate.max(1);
    fingerprint(&(
        "partner",
        crate::render::figures::ego_key(site, i, &views.partner_sigs),
        views.partner_sigs[i],
        p.meta.doc.file.fingerprint,
        bodies.generation,
        p.by_role
            .iter()
            .map(|(role, list)| {
                let shown = sigs_of(
                    list[..list.len().min(per)].iter().copied(),
                    &views.product_sigs,
                );
                (role, list.len(), shown)
            })
            .collect::<Vec<_>>(),
        p.coauthors
            .iter()
            .map(|(j, n)| (views.partner_sigs[*j], n))
            .collect::<Vec<_>>(),
        sigs_of(p.outcomes.iter().copied(), &views.outcome_sigs),
        sigs_of(
            p.member_of.iter().chain(&p.members).copied(),
            &views.partner_sigs,
        ),
    ))
}

fn context(env: Env<'_>, i: usize) -> Ctx {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let p = &site.partners[i];
    let mut ctx = views.context(&p.path, &p.meta.name, &site.config.language);
    let mut obj = object(&views.partners[i]);
    obj.insert("body".into(), json!(bodies.partners[i].html));
    obj.insert("website".into(), json!(p.meta.website));
    obj.insert("ror".into(), json!(p.meta.ror));
    let logo = p.meta.logo.as_ref().map(|l| {
        let path = format!("/{}", l.value.trim_start_matches('/'));
        site.href(&path)
    });
    obj.insert("logo".into(), json!(logo));
    obj.insert("by_role".into(), Value::Array(by_role(env, i)));
    let coauthors = p
        .coauthors
        .iter()
        .map(|(j, n)| with_field(&views.partners[*j], "shared", json!(n)))
        .collect();
    obj.insert("coauthors".into(), Value::Array(coauthors));
    let outcomes = pick(&views.outcomes, &p.outcomes);
    obj.insert("outcomes".into(), Value::from(outcomes));
    let member_of = pick(&views.partners, &p.member_of);
    obj.insert("member_of".into(), Value::from(member_of));
    let members = pick(&views.partners, &p.members);
    obj.insert("member_list".into(), Value::from(members));
    let network = crate::render::figures::ego_figure(site, views.strings, &views.partners, i);
    obj.insert("network".into(), network);
    ctx.put("partner", Value::Object(obj));
    ctx
}

/// The partner's products by role: the first page of each, and the
/// address of the role's list when there are more.
fn by_role(env: Env<'_>, i: usize) -> Vec<Value> {
    let Env { site, views, .. } = env;
    let per = site.config.paginate.max(1);
    let p = &site.partners[i];
    let mut roles = Vec::new();
    for (role, list) in &p.by_role {
        let more = (list.len() > per).then(|| format!("{}{}/", p.path, role));
        let mut group = json!({
            "role": role,
            "label": views.label("roles_as", role),
            "count": list.len(),
            "more": more.map(|m| site.href(&m)),
        });
        // Moved in: `json!` would copy the cards once more.
        group["products"] = Value::from(views.cards(&list[..list.len().min(per)]));
        roles.push(group);
    }
    roles
}
