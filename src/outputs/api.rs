//! The catalogue as data: `/api/products.json`, `/api/partners.json` and
//! `/api/outcomes.json`, for anyone who wants to reuse it. The schema is
//! described in the README.

use serde_json::{Value, json};

use crate::build::write::{Content, OutputFile};
use crate::model::Site;

/// The output paths [`files`] writes.
pub fn paths(site: &Site) -> Vec<String> {
    let dir = &site.config.paths.api;
    ["products", "partners", "outcomes"]
        .iter()
        .map(|name| format!("{dir}/{name}.json"))
        .collect()
}

/// Every data file, each product's entry made here.
#[cfg(test)]
fn files(site: &Site) -> Vec<OutputFile> {
    let entries: Vec<String> = (0..site.products.len())
        .map(|i| product_entry(site, i))
        .collect();
    files_with(site, &entries)
}

/// Product `i`'s entry in `products.json`, as the file has it (indented),
/// so that a preview can make the file again after an edit of a few
/// products without writing out every other entry anew.
pub fn product_entry(site: &Site, i: usize) -> String {
    // JSON strings hold no raw line breaks, so indenting every line is
    // indenting the value.
    let text = serde_json::to_string_pretty(&product(site, i)).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

fn product(site: &Site, i: usize) -> Value {
    let p = &site.products[i];
    let m = &p.meta;
    let partners: Vec<Value> = p
        .partners
        .iter()
        .map(|(i, roles)| json!({"id": site.partners[*i].meta.id, "roles": roles}))
        .collect();
    let outcomes: Vec<Value> = p
        .outcomes
        .iter()
        .map(|(o, c)| json!({"id": site.outcomes[*o].meta.id, "contribution": c}))
        .collect();
    let files: Vec<Value> = p
        .files
        .iter()
        .map(|f| {
            let url = site.permalink(&f.path);
            json!({"url": url, "title": f.title, "language": f.language, "bytes": f.bytes})
        })
        .collect();
    let translations: Vec<&str> = p
        .translations
        .iter()
        .map(|&t| site.products[t].path.as_str())
        .collect();
    json!({
        "url": site.permalink(&p.path),
        "path": p.path,
        "title": m.title,
        "subtitle": m.subtitle,
        "kind": m.kind,
        "date": m.date.iso(),
        "language": m.language,
        "summary": m.summary,
        "partners": partners,
        "authors": m.authors,
        "topics": p.topics.iter().map(|&t| site.topics[t].slug.clone()).collect::<Vec<_>>(),
        "outcomes": outcomes,
        "countries": m.countries,
        "regions": m.regions,
        "sdgs": m.sdgs,
        "source": m.source,
        "files": files,
        "license": m.license,
        "translations": translations,
    })
}

/// The data files, given every product's [`product_entry`].
pub fn files_with<S: AsRef<str>>(site: &Site, entries: &[S]) -> Vec<OutputFile> {
    let partners = partners(site);
    let outcomes = outcomes(site);
    let dir = &site.config.paths.api;
    // What `to_vec_pretty` makes of `{"products": [...]}`, from the entries.
    let products = if entries.is_empty() {
        serde_json::to_vec_pretty(&json!({ "products": [] })).unwrap_or_default()
    } else {
        let size: usize = entries.iter().map(|e| e.as_ref().len() + 2).sum();
        let mut text = String::with_capacity(size + 32);
        text.push_str("{\n  \"products\": [\n");
        for (n, e) in entries.iter().enumerate() {
            if n > 0 {
                text.push_str(",\n");
            }
            text.push_str(e.as_ref());
        }
        text.push_str("\n  ]\n}");
        text.into_bytes()
    };
    let mut out = vec![OutputFile {
        path: format!("{dir}/products.json"),
        content: Content::Bytes(products),
    }];
    out.extend(
        [("partners", partners), ("outcomes", outcomes)]
            .into_iter()
            .map(|(name, list)| OutputFile {
                path: format!("{dir}/{name}.json"),
                content: Content::Bytes(
                    serde_json::to_vec_pretty(&json!({ name: list })).unwrap_or_default(),
                ),
            }),
    );
    out
}

/// Every partner, for `partners.json`.
fn partners(site: &Site) -> Vec<Value> {
    site.partners
        .iter()
        .map(|p| {
            let m = &p.meta;
            let ids = |list: &[usize]| -> Vec<&str> {
                list.iter()
                    .map(|&j| site.partners[j].meta.id.as_str())
                    .collect()
            };
            let products: serde_json::Map<String, Value> = p
                .by_role
                .iter()
                .map(|(role, list)| {
                    let paths: Vec<&str> = list
                        .iter()
                        .map(|&i| site.products[i].path.as_str())
                        .collect();
                    (role.clone(), json!(paths))
                })
                .collect();
            json!({
                "id": m.id,
                "url": site.permalink(&p.path),
                "name": m.name,
                "short_name": m.short_name,
                "type": m.kind,
                "country": m.country,
                "website": m.website,
                "ror": m.ror,
                "members": ids(&p.members),
                "member_of": ids(&p.member_of),
                "products": products,
            })
        })
        .collect()
}

/// Every outcome, for `outcomes.json`.
fn outcomes(site: &Site) -> Vec<Value> {
    site.outcomes
        .iter()
        .map(|o| {
            let m = &o.meta;
            let products: Vec<&str> = o
                .products
                .iter()
                .map(|&i| site.products[i].path.as_str())
                .collect();
            let partners: Vec<&str> = o
                .partners
                .iter()
                .map(|&j| site.partners[j].meta.id.as_str())
                .collect();
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
                "products": products,
                "partners": partners,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_file_is_the_pretty_json_of_every_entry() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let loaded = crate::content::load::load(&root, true).unwrap();
        let site = crate::model::build(&root, loaded, &mut Vec::new());
        let list: Vec<Value> = (0..site.products.len())
            .map(|i| product(&site, i))
            .collect();
        let whole = serde_json::to_vec_pretty(&json!({ "products": list })).unwrap();
        let made = files(&site);
        assert_eq!(made[0].path, "api/products.json");
        match &made[0].content {
            Content::Bytes(b) => {
                assert_eq!(String::from_utf8_lossy(b), String::from_utf8_lossy(&whole))
            }
            _ => panic!("products.json is not bytes"),
        }
    }
}
