//! A product's page: its body and table of contents, partners by role,
//! topics, outcomes, countries, source, files, citation, related products
//! and translations, and its last change from git.

use serde_json::{Map, Value, json};

use super::plan::Plan;
use super::{Ctx, Env, object, pick, sigs_of, with_field};
use crate::markdown::RenderedBody as Body;
use crate::text::fingerprint;

/// Plans every product's page and alias pages, and returns the products
/// whose citation files are made after the pages: all of them but those
/// made with their page, when pages go to a sink as they are made.
pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>, sink: bool) -> Vec<usize> {
    let mut cited = Vec::new();
    for (i, p) in env.site.products.iter().enumerate() {
        if plan.outside(|s| s.products.contains(&i)) {
            continue;
        }
        super::alias::plan(plan, env, i);
        let files = env.site.config.citation_files;
        if !plan.needs(&p.path, || key(env, i)) {
            // The citation files show what the page shows.
            for ext in ["bib", "ris", "json"].iter().filter(|_| files) {
                plan.kept.push(format!("{}cite.{ext}", p.path));
            }
            continue;
        }
        plan.defer("product.html", p.path.clone(), move || context(env, i));
        match (sink, plan.jobs.last_mut()) {
            (true, Some(job)) => job.product = Some(i),
            _ if files => cited.push(i),
            _ => {}
        }
    }
    cited
}

fn key(env: Env<'_>, i: usize) -> u64 {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let p = &site.products[i];
    let m = &p.meta;
    let publisher = m
        .source
        .as_ref()
        .and_then(|s| s.publisher.as_deref())
        .and_then(|id| site.partner_ids.get(id))
        .map(|&j| views.partner_sigs[j]);
    fingerprint(&(
        "product",
        &p.path,
        format!("{:?}", site.history.get(&m.doc.rel)),
        m.doc.file.fingerprint,
        bodies.generation,
        views.product_sigs[i],
        p.partners
            .iter()
            .map(|(j, roles)| (views.partner_sigs[*j], roles))
            .collect::<Vec<_>>(),
        publisher,
        sigs_of(p.topics.iter().copied(), &views.topic_sigs),
        sigs_of(p.outcomes.iter().map(|(o, _)| *o), &views.outcome_sigs),
        sigs_of(
            p.related.iter().chain(&p.translations).copied(),
            &views.product_sigs,
        ),
        p.files
            .iter()
            .map(|f| {
                let pages = f.pdf.as_ref().map(|e| e.page_count);
                (&f.path, f.bytes, pages, f.cover.as_ref().map(|c| c.size))
            })
            .collect::<Vec<_>>(),
    ))
}

/// The page's context. With deferred bodies, the product's body is
/// rendered here, on the page job's thread.
fn context(env: Env<'_>, i: usize) -> Ctx {
    let Env {
        site,
        bodies,
        views,
        deferred,
        ..
    } = env;
    let p = &site.products[i];
    let m = &p.meta;
    let mut ctx = views.context(&p.path, &m.title, &m.language);
    let (html, body) = match deferred.and_then(|d| d.render(i)) {
        Some(made) => made,
        None => (bodies.products[i].html.clone(), &*bodies.products[i]),
    };
    let mut obj = object(&views.products[i]);
    obj.insert("body".into(), Value::String(html));
    obj.insert("toc".into(), Value::Array(toc(body)));
    obj.insert("words".into(), json!(body.words));
    obj.insert("authors".into(), json!(m.authors));
    obj.insert("topics".into(), Value::from(pick(&views.topics, &p.topics)));
    let outcomes = p
        .outcomes
        .iter()
        .map(|(o, c)| with_field(&views.outcomes[*o], "contribution", json!(c)))
        .collect();
    obj.insert("outcomes".into(), Value::Array(outcomes));
    obj.insert("partners_by_role".into(), partners_by_role(env, i));
    obj.insert("countries".into(), countries(env, i));
    obj.insert("regions".into(), json!(m.regions));
    obj.insert("sdgs".into(), json!(m.sdgs));
    obj.insert("source".into(), source(env, i));
    obj.insert("files".into(), files(env, i));
    obj.insert("license".into(), json!(m.license));
    obj.insert("related".into(), Value::from(views.cards(&p.related)));
    obj.insert(
        "citation".into(),
        json!(crate::outputs::cite::formatted(site, p)),
    );
    obj.insert(
        "cite_downloads".into(),
        json!(crate::outputs::cite::downloads(site, p)),
    );
    obj.insert(
        "head_tags".into(),
        json!(crate::outputs::cite::head_tags(site, p)),
    );
    let translations = views.cards(&p.translations);
    obj.insert("translations".into(), Value::from(translations));
    obj.insert("changed".into(), changed(env, i));
    ctx.put("product", Value::Object(obj));
    ctx
}

/// The level-2 headings of a body, for its table of contents.
pub(super) fn toc(body: &Body) -> Vec<Value> {
    body.headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| json!({"id": h.id, "text": h.text}))
        .collect()
}

/// The product's partners grouped by role, roles in the order of
/// [`crate::content::load::ROLES`].
fn partners_by_role(env: Env<'_>, i: usize) -> Value {
    let views = env.views;
    let mut roles: Vec<(usize, String, Vec<Value>)> = Vec::new();
    for (pi, rs) in &env.site.products[i].partners {
        for r in rs {
            let rank = crate::content::load::ROLES
                .iter()
                .position(|x| x == r)
                .unwrap_or(9);
            match roles.iter_mut().find(|(_, id, _)| id == r) {
                Some((_, _, list)) => list.push(views.partners[*pi].clone()),
                None => roles.push((rank, r.clone(), vec![views.partners[*pi].clone()])),
            }
        }
    }
    roles.sort_by_key(|(rank, _, _)| *rank);
    let groups = roles
        .into_iter()
        .map(|(_, r, list)| {
            let mut group = json!({"role": r, "label": views.label("roles_plural", &r)});
            // Moved in: `json!` would copy the partners once more.
            group["partners"] = Value::Array(list);
            group
        })
        .collect();
    Value::Array(groups)
}

fn countries(env: Env<'_>, i: usize) -> Value {
    let lang = &env.site.config.ui_language;
    let list = env.site.products[i]
        .meta
        .countries
        .iter()
        .map(|c| json!({"code": c, "name": crate::model::countries::name(c, lang).unwrap_or(c)}))
        .collect();
    Value::Array(list)
}

/// The product's source, its publisher named and linked when a partner.
fn source(env: Env<'_>, i: usize) -> Value {
    let site = env.site;
    let Some(s) = &site.products[i].meta.source else {
        return Value::Null;
    };
    let mut v = serde_json::to_value(s).unwrap_or(Value::Null);
    if let Some(pubr) = &s.publisher
        && let Some(partner) = site.partner(pubr)
    {
        v["publisher"] = json!(partner.meta.name);
        v["publisher_href"] = json!(site.href(&partner.path));
    }
    v
}

/// The files attached to the product, with their size and format.
fn files(env: Env<'_>, i: usize) -> Value {
    let site = env.site;
    let list = site.products[i]
        .files
        .iter()
        .map(|f| {
            let mut file = Map::new();
            let href = site.href(&crate::markdown::url_escape(&f.path));
            let format = f.name.rsplit('.').next().map(str::to_ascii_uppercase);
            file.insert("format".into(), json!(format));
            file.insert("href".into(), json!(href));
            file.insert("language".into(), json!(f.language));
            file.insert("name".into(), json!(f.name));
            file.insert(
                "size".into(),
                json!(human_size(f.bytes, &site.config.ui_language)),
            );
            // A PDF's page count, when it could be read.
            let pages = f.pdf.as_ref().map(|e| e.page_count).filter(|n| *n > 0);
            file.insert("pages".into(), json!(pages));
            let cover = f.cover.as_ref().map(|c| super::CoverView::of(site, c));
            file.insert("cover".into(), json!(cover));
            file.insert("title".into(), json!(f.title));
            Value::Object(file)
        })
        .collect();
    Value::Array(list)
}

/// The product file's last change, from git.
fn changed(env: Env<'_>, i: usize) -> Value {
    let site = env.site;
    let rel = &site.products[i].meta.doc.rel;
    json!(site.history.get(rel).and_then(|c| Some(json!({
        "datetime": c.datetime,
        "date_display": c.date()?.display(&site.config.ui_language),
        "author": c.author,
    }))))
}

/// A file's size as readers read it: `2,1 MB` in a Spanish interface,
/// `2.1 MB` in an English one.
fn human_size(bytes: u64, ui_language: &str) -> String {
    if bytes >= 1024 * 1024 {
        let mb = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        let mb = if ui_language == "es" {
            mb.replace('.', ",")
        } else {
            mb
        };
        format!("{mb} MB")
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_read_as_in_the_interface_language() {
        assert_eq!(human_size(2_202_009, "es"), "2,1 MB");
        assert_eq!(human_size(2_202_009, "en"), "2.1 MB");
        assert_eq!(human_size(36_000, "es"), "36 KB");
        assert_eq!(human_size(1, "en"), "1 KB");
    }
}
