//! Figures: the drawings of [`crate::render::network`] and [`crate::render::chart`] with
//! the words around them (titles, descriptions, legend, the strongest ties
//! as a table) from the theme's interface strings, as template values.

use serde_json::{Map, Value};

use crate::model::Site;
use crate::render::chart::years_svg;
use crate::render::network::{Layout, Network, NetworkLabels, alliance, ego, svg, type_class};
use crate::render::views::PartnerView;

/// The alliance drawing shows at most this many partners and ties; a site
/// with 500 partners still gets a drawing of a few tens of kilobytes.
const MAX_NODES: usize = 60;
const MAX_EDGES: usize = 240;
/// Labels written beside the largest nodes.
const LABELLED: usize = 14;
/// Co-authors drawn around a partner.
const MAX_EGO: usize = 20;
/// Ties listed in the text alternative.
const TIES: usize = 15;
/// Partners in the list that stands for the drawing on a phone.
const RANKED: usize = 6;

struct Words<'a>(&'a Map<String, Value>);

impl Words<'_> {
    fn get(&self, group: &str, key: &str) -> String {
        self.0
            .get(group)
            .and_then(|g| g.get(key))
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_string()
    }

    fn ui(&self, key: &str) -> String {
        self.get("ui", key)
    }

    fn count(&self, n: usize) -> String {
        format!(
            "{n} {}",
            if n == 1 {
                self.ui("product")
            } else {
                self.ui("products")
            }
        )
    }
}

fn label(partners: &[PartnerView], i: usize) -> String {
    partners[i].link.label.clone()
}

fn name(site: &Site, i: usize) -> String {
    site.partners[i].meta.name.clone()
}

/// A drawing of partners and the words around it, as a template shows
/// it; the alliance's has the strongest ties and a ranked list too.
#[derive(serde::Serialize, Hash)]
pub struct Drawing {
    svg: String,
    legend: Vec<LegendEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ties: Option<Vec<Tie>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ranked: Option<Vec<RankedPartner>>,
    /// Says how many partners are drawn of how many, when not all are.
    capped: Option<String>,
}

/// A type of partner the drawing colours.
#[derive(serde::Serialize, Hash)]
struct LegendEntry {
    #[serde(rename = "type")]
    kind: String,
    label: String,
}

/// One of the strongest ties, for the drawing's text alternative.
#[derive(serde::Serialize, Hash)]
struct Tie {
    a: TieEnd,
    b: TieEnd,
    shared: usize,
}

#[derive(serde::Serialize, Hash)]
struct TieEnd {
    name: String,
    href: String,
}

fn legend(site: &Site, net: &Network, words: &Words) -> Vec<LegendEntry> {
    let mut kinds: Vec<&str> = net.nodes.iter().map(|&i| type_class(site, i)).collect();
    let rank = |k: &str| {
        crate::model::vocabulary::PARTNER_TYPES
            .iter()
            .position(|t| *t == k)
            .unwrap_or(usize::MAX)
    };
    kinds.sort_by_key(|k| (rank(k), *k));
    kinds.dedup();
    kinds
        .into_iter()
        .map(|k| LegendEntry {
            kind: k.to_string(),
            label: words.get("partner_types", k),
        })
        .collect()
}

fn ties(site: &Site, net: &Network, partners: &[PartnerView]) -> Vec<Tie> {
    let mut list = net.edges.clone();
    list.sort_by(|x, y| y.2.cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    list.truncate(TIES);
    list.iter()
        .map(|&(a, b, n)| {
            let (i, j) = (net.nodes[a], net.nodes[b]);
            let end = |k: usize| TieEnd {
                name: name(site, k),
                href: partners[k].link.href.clone(),
            };
            Tie {
                a: end(i),
                b: end(j),
                shared: n,
            }
        })
        .collect()
}

/// "Name: N products", a node's tooltip.
fn with_count(site: &Site, words: &Words<'_>, i: usize) -> String {
    format!(
        "{}: {}",
        name(site, i),
        words.count(site.partners[i].products.len())
    )
}

/// What a drawing of `net` is made of: its ties and the views of its
/// partners (names, types), as fingerprints.
fn network_key(net: &crate::render::network::Network, partner_sigs: &[u64]) -> u64 {
    crate::text::fingerprint(&(
        net.total,
        &net.edges,
        net.nodes
            .iter()
            .map(|&n| partner_sigs[n])
            .collect::<Vec<_>>(),
    ))
}

/// A key for [`alliance_figure`], as [`ego_key`] is for [`ego_figure`].
pub fn alliance_key(site: &Site, partner_sigs: &[u64]) -> u64 {
    let net = alliance(site, MAX_NODES, MAX_EDGES);
    // The ranked list counts co-authors outside the drawing too.
    let coauthors: Vec<usize> = net
        .nodes
        .iter()
        .map(|&i| site.partners[i].coauthors.len())
        .collect();
    crate::text::fingerprint(&(network_key(&net, partner_sigs), coauthors))
}

/// The partner index's drawing of the whole alliance.
pub fn alliance_figure(
    site: &Site,
    strings: &Map<String, Value>,
    partners: &[PartnerView],
) -> Option<Drawing> {
    let words = Words(strings);
    let net = alliance(site, MAX_NODES, MAX_EDGES);
    if net.nodes.len() < 2 {
        return None;
    }
    let tooltip = |i: usize| with_count(site, &words, i);
    let short = |i: usize| label(partners, i);
    let drawing = svg(
        site,
        &net,
        Layout::Force,
        LABELLED,
        &NetworkLabels {
            id: "network",
            title: &words.ui("network_title"),
            desc: &words.ui("network_desc"),
            tooltip: &tooltip,
            label: &short,
        },
    );
    let capped = (net.total > net.nodes.len()).then(|| {
        words
            .ui("network_capped")
            .replace("{shown}", &net.nodes.len().to_string())
            .replace("{total}", &net.total.to_string())
    });
    Some(Drawing {
        svg: drawing,
        legend: legend(site, &net, &words),
        ties: Some(ties(site, &net, partners)),
        ranked: Some(ranked(site, &net, partners)),
        capped,
    })
}

/// A partner in the list that stands for the alliance drawing where the
/// drawing would be too small to name its nodes.
#[derive(serde::Serialize, Hash)]
struct RankedPartner {
    name: String,
    href: String,
    products: usize,
    coauthors: usize,
}

/// The partners drawn with the most co-authors, then the most products:
/// the names a reader of the drawing looks for first.
fn ranked(site: &Site, net: &Network, partners: &[PartnerView]) -> Vec<RankedPartner> {
    let mut list: Vec<usize> = net
        .nodes
        .iter()
        .copied()
        .filter(|&i| !site.partners[i].coauthors.is_empty())
        .collect();
    list.sort_by_cached_key(|&i| {
        let p = &site.partners[i];
        (
            std::cmp::Reverse(p.coauthors.len()),
            std::cmp::Reverse(p.products.len()),
            p.meta.name.to_lowercase(),
        )
    });
    list.truncate(RANKED);
    list.into_iter()
        .map(|i| RankedPartner {
            name: name(site, i),
            href: partners[i].link.href.clone(),
            products: site.partners[i].products.len(),
            coauthors: site.partners[i].coauthors.len(),
        })
        .collect()
}

/// A partner page's drawing of the partner and its co-authors.
/// A key for [`ego_figure`]: the neighbourhood's nodes and ties and the
/// fingerprints of the partners drawn (`partner_sigs`, index for index), so
/// a page can tell its drawing is unchanged without laying it out again.
pub fn ego_key(site: &Site, partner: usize, partner_sigs: &[u64]) -> u64 {
    match ego(site, partner, MAX_EGO) {
        None => 0,
        Some(net) => network_key(&net, partner_sigs),
    }
}

pub fn ego_figure(
    site: &Site,
    strings: &Map<String, Value>,
    partners: &[PartnerView],
    partner: usize,
) -> Option<Drawing> {
    let words = Words(strings);
    let net = ego(site, partner, MAX_EGO)?;
    let who = name(site, partner);
    let shared = |i: usize| {
        site.partners[partner]
            .coauthors
            .iter()
            .find(|c| c.0 == i)
            .map(|c| c.1)
    };
    let tooltip = |i: usize| match shared(i) {
        Some(n) => format!(
            "{}: {n} {}",
            name(site, i),
            words.ui(if n == 1 {
                "shared_product"
            } else {
                "shared_products"
            })
        ),
        None => with_count(site, &words, i),
    };
    let short = |i: usize| label(partners, i);
    let drawing = svg(
        site,
        &net,
        Layout::Radial,
        net.nodes.len(),
        &NetworkLabels {
            id: "ego",
            title: &words.ui("ego_title").replace("{name}", &who),
            desc: &words.ui("ego_desc").replace("{name}", &who),
            tooltip: &tooltip,
            label: &short,
        },
    );
    let capped = (net.total > net.nodes.len()).then(|| {
        words
            .ui("ego_capped")
            .replace("{shown}", &(net.nodes.len() - 1).to_string())
            .replace("{total}", &(net.total - 1).to_string())
    });
    Some(Drawing {
        svg: drawing,
        legend: legend(site, &net, &words),
        ties: None,
        ranked: None,
        capped,
    })
}

/// The home page's products per year.
pub fn years_figure(site: &Site, strings: &Map<String, Value>) -> Option<String> {
    let words = Words(strings);
    let counts: Vec<(u16, usize)> = site
        .years
        .iter()
        .filter_map(|g| Some((g.id.parse().ok()?, g.products.len())))
        .collect();
    let tooltip = |y: u16, n: usize| format!("{y}: {}", words.count(n));
    years_svg(
        "years-chart",
        &words.ui("years_title"),
        &words.ui("years_desc"),
        &counts,
        &tooltip,
    )
}
