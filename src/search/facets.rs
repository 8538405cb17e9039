//! The facets of the browser index: each product's kind, date, partners,
//! topics and outcomes, for the search page's filters and their counts,
//! and the labels of their values.
//!
//! Nothing here is loaded by a first query: the page ranks without it, and
//! fetches the facet rows of the results at hand (`f/<k>.txt`, the
//! products `k × ROWS_PER_FILE` on) and the labels (`f/labels.json`) after
//! the first results are shown, or before ranking when a filter is set.
//! So a first query costs the same whatever the number of products, and
//! the counts shown are exact.

use std::collections::HashMap;

use serde::Serialize;

use crate::build::write::OutputFile;
use crate::model::Site;

/// Products per facet file: a query whose results are few loads few rows;
/// one that matches a large share of the products loads most files either
/// way, and fewer, larger files then cost it fewer requests.
pub const ROWS_PER_FILE: usize = 512;

/// The labels of facet values, by facet: `[id, label]` in the order the
/// rows number them.
#[derive(Serialize)]
struct FacetLabels<'a> {
    kind: Vec<(&'a str, String)>,
    partner: Vec<(&'a str, &'a str)>,
    topic: Vec<(&'a str, &'a str)>,
    outcome: Vec<(&'a str, &'a str)>,
}

/// The facet files under `dir`: the rows, then the labels.
pub fn browser_files(
    site: &Site,
    strings: &serde_json::Map<String, serde_json::Value>,
    dir: &str,
) -> Vec<OutputFile> {
    let kind_index: HashMap<&str, usize> = site
        .kinds
        .iter()
        .enumerate()
        .map(|(i, k)| (k.id.as_str(), i))
        .collect();
    let mut out: Vec<OutputFile> = site
        .products
        .chunks(ROWS_PER_FILE)
        .enumerate()
        .map(|(k, products)| {
            let rows: Vec<String> = products.iter().map(|p| row(p, &kind_index)).collect();
            OutputFile::text(format!("{dir}f/{k}.txt"), rows.join("\n"))
        })
        .collect();
    let label =
        |group: &str, id: &str| crate::render::theme::site_label(strings, &site.config, group, id);
    let labels = FacetLabels {
        kind: site
            .kinds
            .iter()
            .map(|k| (k.id.as_str(), label("kinds", &k.id)))
            .collect(),
        partner: site
            .partners
            .iter()
            .map(|p| (p.meta.id.as_str(), p.meta.name.as_str()))
            .collect(),
        topic: site
            .topics
            .iter()
            .map(|t| (t.slug.as_str(), t.title.as_str()))
            .collect(),
        outcome: site
            .outcomes
            .iter()
            .map(|o| (o.meta.id.as_str(), o.meta.title.as_str()))
            .collect(),
    };
    out.push(OutputFile::text(
        format!("{dir}f/labels.json"),
        serde_json::to_string(&labels).unwrap_or_default(),
    ));
    out
}

/// A product's row: `kind,date;partners;topics;outcomes`, numbers in base
/// 36, each list sorted and delta-coded: the rows of a query's results may
/// be most of them, so every byte counts.
fn row(p: &crate::model::Product, kind_index: &HashMap<&str, usize>) -> String {
    let k = kind_index.get(p.meta.kind.as_str()).copied().unwrap_or(0);
    let d = &p.meta.date;
    let packed = ((d.year.saturating_sub(1900) as u64 * 13 + d.month.unwrap_or(0) as u64) * 32)
        + d.day.unwrap_or(0) as u64;
    format!(
        "{},{};{};{};{}",
        base36(k as u64),
        base36(packed),
        joined(p.partners.iter().map(|(i, _)| *i)),
        joined(p.topics.iter().copied()),
        joined(p.outcomes.iter().map(|(i, _)| *i)),
    )
}

/// Ids sorted, delta-coded in base 36, joined by commas.
fn joined(ids: impl Iterator<Item = usize>) -> String {
    let mut ids: Vec<usize> = ids.collect();
    ids.sort_unstable();
    let mut prev = 0;
    ids.iter()
        .map(|&i| {
            let d = i - prev;
            prev = i;
            base36(d as u64)
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn base36(mut v: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(v % 36) as usize]);
        v /= 36;
        if v == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_delta_coded() {
        assert_eq!(joined([40usize, 3, 5].into_iter()), "3,2,z");
        assert_eq!(joined(std::iter::empty()), "");
        assert_eq!(base36(36 * 36), "100");
    }
}
