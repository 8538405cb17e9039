//! The catalogue as data: `/api/products.json`, `/api/partners.json` and
//! `/api/outcomes.json`, for anyone who wants to reuse it. The schema is
//! described in the README.

use serde_json::{Value, json};

use crate::model::Site;
use crate::write::{Content, OutputFile};

/// The output paths [`files`] writes.
pub fn paths(site: &Site) -> Vec<String> {
    let dir = &site.config.paths.api;
    ["products", "partners", "outcomes"]
        .iter()
        .map(|name| format!("{dir}/{name}.json"))
        .collect()
}

pub fn files(site: &Site) -> Vec<OutputFile> {
    let products: Vec<Value> = site
        .products
        .iter()
        .map(|p| {
            let m = &p.meta;
            json!({
                "url": site.permalink(&p.path),
                "path": p.path,
                "title": m.title,
                "subtitle": m.subtitle,
                "kind": m.kind,
                "date": m.date.iso(),
                "language": m.language,
                "summary": m.summary,
                "partners": p.partners.iter().map(|(i, roles)| json!({"id": site.partners[*i].meta.id, "roles": roles})).collect::<Vec<_>>(),
                "authors": m.authors,
                "topics": p.topics.iter().map(|&t| site.topics[t].slug.clone()).collect::<Vec<_>>(),
                "outcomes": p.outcomes.iter().map(|(o, c)| json!({"id": site.outcomes[*o].meta.id, "contribution": c})).collect::<Vec<_>>(),
                "countries": m.countries,
                "regions": m.regions,
                "sdgs": m.sdgs,
                "source": m.source,
                "files": p.files.iter().map(|f| json!({"url": site.permalink(&f.path), "title": f.title, "language": f.language, "bytes": f.bytes})).collect::<Vec<_>>(),
                "license": m.license,
                "translations": p.translations.iter().map(|&t| site.products[t].path.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let partners: Vec<Value> = site
        .partners
        .iter()
        .map(|p| {
            let m = &p.meta;
            json!({
                "id": m.id,
                "url": site.permalink(&p.path),
                "name": m.name,
                "short_name": m.short_name,
                "type": m.kind,
                "country": m.country,
                "website": m.website,
                "ror": m.ror,
                "members": p.members.iter().map(|&j| site.partners[j].meta.id.clone()).collect::<Vec<_>>(),
                "member_of": p.member_of.iter().map(|&j| site.partners[j].meta.id.clone()).collect::<Vec<_>>(),
                "products": p.by_role.iter().map(|(role, list)| (role.clone(), json!(list.iter().map(|&i| site.products[i].path.clone()).collect::<Vec<_>>()))).collect::<serde_json::Map<_, _>>(),
            })
        })
        .collect();
    let outcomes: Vec<Value> = site
        .outcomes
        .iter()
        .map(|o| {
            let m = &o.meta;
            json!({
                "id": m.id,
                "url": site.permalink(&o.path),
                "title": m.title,
                "instrument": m.instrument,
                "identifier": m.identifier,
                "jurisdiction": m.jurisdiction,
                "decision_maker": m.decision_maker,
                "date": m.date.map(|d| d.iso()),
                "stage": m.stage,
                "change_type": m.change_type,
                "official_url": m.url,
                "products": o.products.iter().map(|&i| site.products[i].path.clone()).collect::<Vec<_>>(),
                "partners": o.partners.iter().map(|&j| site.partners[j].meta.id.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let dir = &site.config.paths.api;
    [
        ("products", products),
        ("partners", partners),
        ("outcomes", outcomes),
    ]
    .into_iter()
    .map(|(name, list)| OutputFile {
        path: format!("{dir}/{name}.json"),
        content: Content::Bytes(
            serde_json::to_vec_pretty(&json!({ name: list })).unwrap_or_default(),
        ),
    })
    .collect()
}
