//! The partners' index page: the partners grouped by type, those with the
//! most products first and those without any behind their count, and the
//! drawing of the alliance.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::render::figures::Drawing;
use serde::Serialize;

use super::Env;
use super::inputs::{Later, PageInfo, Shown};
use super::plan::Plan;
use super::views::PartnerView;

/// What the partners' index shows: every partner's view and the drawing
/// of the alliance, whose layout is the slowest part of a page and is made
/// only when the page is.
#[derive(Serialize, Hash)]
struct PartnersPage<'a> {
    page: PageInfo,
    #[serde(flatten)]
    index: PartnerIndex<'a>,
    network: Later<'a, Option<Drawing>>,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    let Env { site, views, .. } = env;
    let lang = site.config.language.as_str();
    let path = format!("/{}/", site.config.paths.partners);
    plan.page("partners.html", path.clone(), move || PartnersPage {
        page: views.page_info(&path, &views.label("ui", "partners"), lang),
        index: by_type(env),
        network: Later::new(
            move || crate::render::figures::alliance_key(site, &views.partner_sigs),
            move || crate::render::figures::alliance_figure(site, views.strings, &views.partners),
        ),
    });
}

/// One type of partner on the index.
#[derive(Serialize, Hash)]
struct PartnerTypeGroup<'a> {
    label: String,
    /// The group's products, each counted once however many of its
    /// partners are in the group.
    products: usize,
    partners: Vec<Shown<'a, PartnerView>>,
}

/// The index's lists: the groups that lead with what partners published,
/// and the partners with nothing published yet, listed apart.
#[derive(Serialize, Hash)]
struct PartnerIndex<'a> {
    groups: Vec<PartnerTypeGroup<'a>>,
    unlisted: Vec<PartnerTypeGroup<'a>>,
    unlisted_count: usize,
}

/// The partners grouped by type: groups with the most products first, and
/// in each the partners with the most products first, then by name. The
/// partners without products are grouped apart, by type in the order of
/// [`crate::model::vocabulary::PARTNER_TYPES`], so that a reader's first screen
/// shows who published.
fn by_type(env: Env<'_>) -> PartnerIndex<'_> {
    let Env { site, views, .. } = env;
    let order = crate::model::vocabulary::PARTNER_TYPES;
    let mut sorted: Vec<usize> = (0..site.partners.len()).collect();
    sorted.sort_by_cached_key(|&i| {
        let p = &site.partners[i];
        (Reverse(p.products.len()), p.meta.name.to_lowercase())
    });
    let mut with: BTreeMap<usize, (String, Vec<usize>)> = BTreeMap::new();
    let mut without: BTreeMap<usize, (String, Vec<usize>)> = BTreeMap::new();
    for i in sorted {
        let t = site.partners[i].meta.kind.as_deref().unwrap_or("other");
        let rank = order.iter().position(|x| *x == t).unwrap_or(order.len());
        let side = if site.partners[i].products.is_empty() {
            &mut without
        } else {
            &mut with
        };
        side.entry(rank)
            .or_insert_with(|| (views.label("partner_types_plural", t), Vec::new()))
            .1
            .push(i);
    }
    let group = |(label, list): (String, Vec<usize>)| {
        let products: BTreeSet<usize> = list
            .iter()
            .flat_map(|&i| site.partners[i].products.iter().copied())
            .collect();
        PartnerTypeGroup {
            label,
            products: products.len(),
            partners: views.partner_list(&list),
        }
    };
    let mut groups: Vec<PartnerTypeGroup> = with.into_values().map(group).collect();
    // Stable: groups with as many products keep the order of types.
    groups.sort_by_key(|g| Reverse(g.products));
    let unlisted: Vec<PartnerTypeGroup> = without.into_values().map(group).collect();
    PartnerIndex {
        unlisted_count: unlisted.iter().map(|g| g.partners.len()).sum(),
        groups,
        unlisted,
    }
}
