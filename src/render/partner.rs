//! A partner's page (its products by role, coauthors, outcomes, members
//! and the drawing of its neighbourhood) and the paginated lists of a
//! role with more products than a page shows.

use crate::render::figures::Drawing;
use serde::Serialize;

use super::Env;
use super::inputs::{CardShown, Later, PageInfo, Paginator, Shown, TitledLink, With};
use super::outcome::OutcomeView;
use super::plan::{Plan, paginate};
use super::views::PartnerView;

/// What a partner's page shows.
#[derive(Serialize, Hash)]
struct PartnerPage<'a> {
    page: PageInfo,
    partner: PartnerDetail<'a>,
}

/// A partner's view with what only its own page shows.
#[derive(Serialize, Hash)]
struct PartnerDetail<'a> {
    #[serde(flatten)]
    view: Shown<'a, PartnerView>,
    body: &'a str,
    website: Option<&'a str>,
    ror: Option<&'a str>,
    logo: Option<String>,
    by_role: Vec<RoleProducts<'a>>,
    coauthors: Vec<With<Shown<'a, PartnerView>, CoauthorShare>>,
    outcomes: Vec<Shown<'a, OutcomeView>>,
    member_of: Vec<Shown<'a, PartnerView>>,
    member_list: Vec<Shown<'a, PartnerView>>,
    /// The drawing of the partner and its co-authors: its layout is made
    /// only when the page is, and its key holds the ties between other
    /// partners too.
    network: Later<'a, Option<Drawing>>,
}

/// How many products a co-author shares with the partner.
#[derive(Serialize, Hash)]
struct CoauthorShare {
    shared: usize,
}

/// The first page of a partner's products in one role, and the address
/// of the role's list when there are more.
#[derive(Serialize, Hash)]
struct RoleProducts<'a> {
    role: &'a str,
    label: String,
    count: usize,
    more: Option<String>,
    products: Vec<CardShown<'a>>,
}

/// What a page of a partner's list in one role shows.
#[derive(Serialize, Hash)]
struct RoleListPage<'a> {
    page: PageInfo,
    heading: String,
    parent: TitledLink<'a>,
    products: Vec<CardShown<'a>>,
    paginator: Paginator,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    for (i, p) in env.site.partners.iter().enumerate() {
        if plan.outside(|s| s.partners.contains(&i)) {
            continue;
        }
        role_lists(plan, env, i);
        plan.page("partner.html", p.path.clone(), move || page(env, i));
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
            let title = title.clone();
            plan.page("list.html", page.path.clone(), move || RoleListPage {
                page: views.page_info(&page.path, &title, lang),
                heading: title,
                parent: TitledLink {
                    title: &p.meta.name,
                    href: site.href(&p.path),
                },
                products: views.cards(&list[page.range.clone()]),
                paginator: page.paginator,
            });
        }
    }
}

fn page(env: Env<'_>, i: usize) -> PartnerPage<'_> {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let p = &site.partners[i];
    let logo = p.meta.logo.as_ref().map(|l| {
        let path = format!("/{}", l.value.trim_start_matches('/'));
        site.href(&path)
    });
    let coauthors = p
        .coauthors
        .iter()
        .map(|&(j, n)| With {
            view: views.partner(j),
            more: CoauthorShare { shared: n },
        })
        .collect();
    PartnerPage {
        page: views.page_info(&p.path, &p.meta.name, &site.config.language),
        partner: PartnerDetail {
            view: views.partner(i),
            body: &bodies.partners[i].html,
            website: p.meta.website.as_deref(),
            ror: p.meta.ror.as_deref(),
            logo,
            by_role: by_role(env, i),
            coauthors,
            outcomes: views.outcome_list(&p.outcomes),
            member_of: views.partner_list(&p.member_of),
            member_list: views.partner_list(&p.members),
            network: Later::new(
                move || crate::render::figures::ego_key(site, i, &views.partner_sigs),
                move || crate::render::figures::ego_figure(site, views.strings, &views.partners, i),
            ),
        },
    }
}

/// The partner's products by role: the first page of each, and the
/// address of the role's list when there are more.
fn by_role(env: Env<'_>, i: usize) -> Vec<RoleProducts<'_>> {
    let Env { site, views, .. } = env;
    let per = site.config.paginate.max(1);
    let p = &site.partners[i];
    p.by_role
        .iter()
        .map(|(role, list)| RoleProducts {
            role,
            label: views.label("roles_as", role),
            count: list.len(),
            more: (list.len() > per).then(|| site.href(&format!("{}{}/", p.path, role))),
            products: views.cards(&list[..list.len().min(per)]),
        })
        .collect()
}
