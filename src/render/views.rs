//! The views made once per render: how a product's card, a partner, a
//! topic and the site look wherever a page shows them, as typed structs
//! deriving `Serialize` (what templates read) and `Hash` (what page keys
//! take, through [`super::inputs::Shown`]). An outcome's view is in
//! [`super::outcome`].

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::short_hash;
use super::theme::Theme;
use crate::model::Site;

/// A product as its card and every list show it.
#[derive(Serialize, Hash)]
pub struct ProductCard {
    href: String,
    path: String,
    title: String,
    subtitle: Option<String>,
    kind: String,
    kind_label: String,
    kind_plural: String,
    kind_href: String,
    date: String,
    date_display: String,
    year: u16,
    summary: Option<String>,
    /// Cut once here rather than by a filter on every card.
    summary_short: Option<String>,
    language: String,
    byline: BylineView,
    /// The first attached PDF's cover stands for the product.
    cover: Option<CoverView>,
}

/// A product's card made once, at each heading level lists use.
#[derive(Serialize)]
pub(super) struct CardHtml {
    h2: String,
    h3: String,
}

/// A product's byline as cards and its page header show it: the authors
/// and a publisher that differs from them, then the funders apart.
#[derive(Serialize, Hash)]
struct BylineView {
    names: Vec<PartnerLink>,
    names_more: Option<usize>,
    funders: Vec<PartnerLink>,
    funders_more: Option<usize>,
}

/// A partner as a link to its page shows it.
#[derive(Serialize, Hash)]
pub struct PartnerLink {
    id: String,
    name: String,
    short_name: Option<String>,
    /// The short name where no other partner shares it, else the name.
    pub label: String,
    pub href: String,
}

/// A partner as lists of partners show it.
#[derive(Serialize, Hash)]
pub struct PartnerView {
    #[serde(flatten)]
    pub link: PartnerLink,
    #[serde(rename = "type")]
    kind: Option<String>,
    type_label: Option<String>,
    country: Option<String>,
    country_name: Option<String>,
    count: usize,
    members: usize,
}

/// A topic as lists of topics show it.
#[derive(Serialize, Hash)]
pub struct TopicView {
    slug: String,
    title: String,
    href: String,
    count: usize,
}

/// A PDF's cover as an `<img>` shows it: where it is and its size, so that
/// the page does not move as it loads.
#[derive(Debug, Hash, Serialize)]
pub struct CoverView {
    pub src: String,
    pub width: u32,
    pub height: u32,
}

impl CoverView {
    pub fn of(site: &Site, cover: &crate::pdf::cover::Cover) -> CoverView {
        CoverView {
            src: site.href(&crate::markdown::url_escape(&cover.url)),
            width: cover.size.width,
            height: cover.size.height,
        }
    }
}

/// What every page shows of the site: its title and addresses, the
/// navigation and the footer's standalone pages.
#[derive(Serialize, Hash)]
pub struct SiteView {
    title: String,
    description: String,
    base_url: String,
    base_path: String,
    language: String,
    ui_language: String,
    css: String,
    favicon: String,
    nav: Nav,
    /// Standalone pages in the site's language, for the footer.
    pages: Vec<FooterPage>,
}

#[derive(Serialize, Hash)]
struct Nav {
    home: String,
    partners: String,
    topics: String,
    outcomes: String,
    search: String,
}

#[derive(Serialize, Hash)]
struct FooterPage {
    title: String,
    href: String,
}

impl SiteView {
    pub(super) fn of(site: &Site, theme: &Theme) -> SiteView {
        let css = theme.static_bytes("css/ayni.css").unwrap_or_default();
        let cfg = &site.config;
        let section = |name: &str| site.href(&format!("/{name}/"));
        let pages = site
            .pages
            .iter()
            .filter(|p| p.meta.language == cfg.language)
            .map(|p| FooterPage {
                title: p.meta.title.clone(),
                href: site.href(&p.path),
            })
            .collect();
        SiteView {
            title: cfg.title.clone(),
            description: cfg.description.clone(),
            base_url: cfg.base_url.clone(),
            base_path: cfg.base_path.clone(),
            language: cfg.language.clone(),
            ui_language: cfg.ui_language.clone(),
            css: format!("{}css/ayni.css?v={}", cfg.base_path, short_hash(&css)),
            favicon: format!("{}favicon.svg", cfg.base_path),
            nav: Nav {
                home: cfg.base_path.clone(),
                partners: section(&cfg.paths.partners),
                topics: section(&cfg.paths.topics),
                outcomes: section(&cfg.paths.outcomes),
                search: section(&cfg.paths.search),
            },
            pages,
        }
    }
}

/// What the views are made with besides the entity itself: labels in the
/// interface language and the partners' display names.
pub(super) struct Labels<'a> {
    pub(super) site: &'a Site,
    strings: &'a Map<String, Value>,
    /// A short name stands in for the full name only where no other
    /// partner shares it ("CARE" is three offices in the sample).
    short_counts: HashMap<&'a str, usize>,
}

impl<'a> Labels<'a> {
    pub(super) fn new(site: &'a Site, strings: &'a Map<String, Value>) -> Labels<'a> {
        let mut short_counts: HashMap<&str, usize> = HashMap::new();
        for p in &site.partners {
            if let Some(s) = &p.meta.short_name {
                *short_counts.entry(s.as_str()).or_default() += 1;
            }
        }
        Labels {
            site,
            strings,
            short_counts,
        }
    }

    pub(super) fn label(&self, group: &str, id: &str) -> String {
        crate::render::theme::site_label(self.strings, &self.site.config, group, id)
    }

    fn partner_link(&self, i: usize) -> PartnerLink {
        let site = self.site;
        let p = &site.partners[i];
        let label = match &p.meta.short_name {
            Some(s) if self.short_counts.get(s.as_str()) == Some(&1) => s.clone(),
            _ => p.meta.name.clone(),
        };
        PartnerLink {
            id: p.meta.id.clone(),
            name: p.meta.name.clone(),
            short_name: p.meta.short_name.clone(),
            label,
            href: site.href(&p.path),
        }
    }

    /// Product `i`'s card view, without the card's HTML (see
    /// [`card_html`]); the byline by role (see [`crate::model::byline`]).
    pub(super) fn product(&self, i: usize) -> ProductCard {
        let site = self.site;
        let lang = site.config.ui_language.as_str();
        let p = &site.products[i];
        let m = &p.meta;
        ProductCard {
            href: site.href(&p.path),
            path: p.path.clone(),
            title: m.title.clone(),
            subtitle: m.subtitle.clone(),
            kind: m.kind.clone(),
            kind_label: self.label("kinds", &m.kind),
            kind_plural: self.label("kinds_plural", &m.kind),
            kind_href: site.href(&format!("/{}/{}/", site.config.paths.kinds, m.kind)),
            date: m.date.iso(),
            date_display: m.date.display(lang),
            year: m.date.year,
            summary: m.summary.clone(),
            summary_short: m.summary.as_deref().map(|s| crate::text::truncate(s, 260)),
            language: m.language.clone(),
            byline: self.byline(&crate::model::byline(p)),
            cover: p
                .files
                .iter()
                .find_map(|f| f.cover.as_ref())
                .map(|c| CoverView::of(site, c)),
        }
    }

    fn byline(&self, b: &crate::model::Byline) -> BylineView {
        // A card is shown on each of its partners' pages: listing them all
        // would cost the square of a product's partners.
        let listed = |list: &[usize]| -> (Vec<PartnerLink>, Option<usize>) {
            let names = list
                .iter()
                .take(crate::model::LISTED_PARTNERS)
                .map(|&i| self.partner_link(i))
                .collect();
            let more = list.len().saturating_sub(crate::model::LISTED_PARTNERS);
            (names, (more > 0).then_some(more))
        };
        let (names, names_more) = listed(&b.credited());
        let (funders, funders_more) = listed(&b.funders);
        BylineView {
            names,
            names_more,
            funders,
            funders_more,
        }
    }

    pub(super) fn partner(&self, i: usize) -> PartnerView {
        let lang = self.site.config.ui_language.as_str();
        let p = &self.site.partners[i];
        let m = &p.meta;
        PartnerView {
            link: self.partner_link(i),
            kind: m.kind.clone(),
            type_label: m.kind.as_deref().map(|k| self.label("partner_types", k)),
            country: m.country.clone(),
            country_name: m
                .country
                .as_deref()
                .and_then(|c| crate::model::countries::name(c, lang))
                .map(str::to_string),
            count: p.products.len(),
            members: p.members.len(),
        }
    }

    pub(super) fn topic(&self, t: usize) -> TopicView {
        let t = &self.site.topics[t];
        TopicView {
            slug: t.slug.clone(),
            title: t.title.clone(),
            href: self.site.href(&t.path),
            count: t.products.len(),
        }
    }
}

/// The heading levels lists show cards with; the default theme's lists
/// use these two.
pub(super) const CARD_HEADINGS: [&str; 2] = ["h2", "h3"];

/// A product's card at each of [`CARD_HEADINGS`], made by the theme's
/// `card` macro; none when the theme has no such macro. `scratch` holds
/// `t`; it is reused from card to card.
pub(super) fn card_html(
    theme: &Theme,
    scratch: &mut tera::Context,
    view: &ProductCard,
) -> Option<CardHtml> {
    if !theme.cards {
        return None;
    }
    scratch.insert("p", view);
    let mut made = Vec::with_capacity(CARD_HEADINGS.len());
    for heading in CARD_HEADINGS {
        scratch.insert("heading", heading);
        // A card that fails here fails again, with its page named, where a
        // list calls the macro itself.
        let html = theme
            .tera
            .render(crate::render::theme::CARD_TEMPLATE, scratch)
            .ok()?;
        made.push(html);
    }
    let mut made = made.into_iter();
    Some(CardHtml {
        h2: made.next()?,
        h3: made.next()?,
    })
}
