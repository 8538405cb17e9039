//! The home page: the site's counts, the latest products, the partners
//! and topics with the most products, outcomes by stage, kinds, years and
//! the chart of products by year.

use serde::Serialize;

use super::inputs::{CardShown, PageInfo, Shown};
use super::plan::Plan;
use super::views::{PartnerView, SiteView, TopicView};
use super::{Env, GroupLink, StageGroup, groups, most_used, outcomes_by_stage};

/// What the home page shows.
#[derive(Serialize, Hash)]
struct HomePage<'a> {
    page: PageInfo,
    site: HomeSite<'a>,
    latest: Vec<CardShown<'a>>,
    /// The home file's text and title, when there is one.
    intro: Option<&'a str>,
    intro_title: Option<&'a str>,
    partners: Vec<Shown<'a, PartnerView>>,
    topics: Vec<Shown<'a, TopicView>>,
    stages: Vec<StageGroup<'a>>,
    kinds: Vec<GroupLink<'a>>,
    years: Vec<GroupLink<'a>>,
    years_chart: Option<String>,
}

/// The site as every page shows it, with its counts: only the home page
/// shows them, since in the site's view they would make every page stale
/// whenever a product is added.
#[derive(Serialize, Hash)]
struct HomeSite<'a> {
    #[serde(flatten)]
    base: Shown<'a, SiteView>,
    counts: Counts,
}

#[derive(Serialize, Hash)]
struct Counts {
    products: usize,
    partners: usize,
    outcomes: usize,
    topics: usize,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    plan.page("home.html", "/".into(), move || page(env));
}

fn page(env: Env<'_>) -> HomePage<'_> {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let lang = site.config.language.as_str();
    let mut latest = site.newest_first();
    latest.truncate(6);
    let top_partners = most_used(site.partners.len(), |i| site.partners[i].products.len(), 12);
    let top_topics = most_used(site.topics.len(), |i| site.topics[i].products.len(), 16);
    HomePage {
        page: views.page_info("/", &site.config.title, lang),
        site: HomeSite {
            base: views.base(),
            counts: Counts {
                products: site.products.len(),
                partners: site.partners.len(),
                outcomes: site.outcomes.len(),
                topics: site.topics.len(),
            },
        },
        latest: views.cards(&latest),
        intro: bodies.home.as_ref().map(|b| b.html.as_str()),
        intro_title: site.home.as_ref().and_then(|h| h.title.as_deref()),
        partners: views.partner_list(&top_partners),
        topics: views.topic_list(&top_topics),
        stages: outcomes_by_stage(views, true),
        kinds: groups(views, &site.kinds, "kinds"),
        years: groups(views, &site.years, ""),
        years_chart: crate::render::figures::years_figure(site, views.strings),
    }
}
