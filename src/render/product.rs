//! A product's page: its body and table of contents, partners by role,
//! topics, outcomes, countries, source, files, citation, related products
//! and translations, and its last change from git.

use serde::Serialize;

use super::inputs::{CardShown, Contribution, Later, PageInfo, Shown, TocEntry, With, toc};
use super::outcome::OutcomeView;
use super::plan::Plan;
use super::views::{PartnerView, ProductCard, TopicView};
use super::{CoverView, Env};
use crate::content::load::SourceInfo;
use crate::markdown::BodyHtml;
use crate::outputs::cite::{self, CiteDownload};
use crate::text::fingerprint;

/// What a product's page shows.
#[derive(Serialize, Hash)]
struct ProductPage<'a> {
    page: PageInfo,
    product: ProductDetail<'a>,
}

/// A product's card view with what only its own page shows.
#[derive(Serialize, Hash)]
struct ProductDetail<'a> {
    #[serde(flatten)]
    view: Shown<'a, ProductCard>,
    body: BodyHtml<'a>,
    toc: Vec<TocEntry<'a>>,
    words: usize,
    authors: Vec<AuthorView<'a>>,
    topics: Vec<Shown<'a, TopicView>>,
    outcomes: Vec<With<Shown<'a, OutcomeView>, Contribution<'a>>>,
    partners_by_role: Vec<RoleGroup<'a>>,
    countries: Vec<CountryName<'a>>,
    regions: &'a [String],
    sdgs: &'a [u8],
    source: Option<SourceView<'a>>,
    files: Vec<FileView<'a>>,
    license: Option<&'a str>,
    related: Vec<CardShown<'a>>,
    citation: Later<'a, String>,
    cite_downloads: Later<'a, [CiteDownload; 3]>,
    head_tags: Later<'a, String>,
    /// Shown as links: their views, with no card HTML.
    translations: Vec<Shown<'a, ProductCard>>,
    /// The product file's last change, from git.
    changed: Option<Changed<'a>>,
}

/// A person named as an author.
#[derive(Serialize, Hash)]
struct AuthorView<'a> {
    name: &'a str,
    affiliation: Option<&'a str>,
    orcid: Option<&'a str>,
}

/// The partners of one role.
#[derive(Serialize, Hash)]
struct RoleGroup<'a> {
    role: &'a str,
    label: String,
    partners: Vec<Shown<'a, PartnerView>>,
}

#[derive(Serialize, Hash)]
struct CountryName<'a> {
    code: &'a str,
    name: &'a str,
}

/// The product's source as written, its publisher named and linked when
/// it is a partner: `publisher` then stands for the id, which a map takes
/// the later of.
#[derive(Serialize, Hash)]
struct SourceView<'a> {
    #[serde(flatten)]
    info: &'a SourceInfo,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher_href: Option<String>,
}

/// A file attached to the product, with its size and format.
#[derive(Serialize, Hash)]
struct FileView<'a> {
    format: Option<String>,
    href: String,
    language: Option<&'a str>,
    name: &'a str,
    size: String,
    /// A PDF's page count, when it could be read.
    pages: Option<usize>,
    cover: Option<CoverView>,
    title: Option<&'a str>,
}

#[derive(Serialize, Hash)]
struct Changed<'a> {
    datetime: &'a str,
    date_display: String,
    author: &'a str,
}

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
        if !plan.page("product.html", p.path.clone(), move || page(env, i)) {
            // The citation files show what the page shows.
            for ext in ["bib", "ris", "json"].iter().filter(|_| files) {
                plan.kept.push(format!("{}cite.{ext}", p.path));
            }
            continue;
        }
        match (sink, plan.jobs.last_mut()) {
            (true, Some(job)) => job.product = Some(i),
            _ if files => cited.push(i),
            _ => {}
        }
    }
    cited
}

/// The page's inputs. With deferred bodies, the product's body is
/// rendered here, on the page job's thread, or, when the last build made
/// the same, only if the page is made.
fn page(env: Env<'_>, i: usize) -> ProductPage<'_> {
    let Env {
        site,
        bodies,
        views,
        deferred,
        ..
    } = env;
    let p = &site.products[i];
    let m = &p.meta;
    let (html, body) = match deferred.and_then(|d| d.body(i)) {
        Some(made) => made,
        None => (BodyHtml::of(&bodies.products[i]), &*bodies.products[i]),
    };
    let outcomes = p
        .outcomes
        .iter()
        .map(|(o, c)| With {
            view: views.outcome(*o),
            more: Contribution {
                contribution: c.as_deref(),
            },
        })
        .collect();
    // The citations are made only when the page is: what they show beside
    // the product's own file is on the page already (its partners',
    // topics' and outcomes' views, its files, its address), and the page's
    // key holds all of that. The versions in other languages it links to
    // are the one thing the key lacks, so they are keyed here.
    let own = || p.meta.doc.file.fingerprint;
    let authors = m
        .authors
        .iter()
        .map(|a| AuthorView {
            name: &a.name,
            affiliation: a.affiliation.as_deref(),
            orcid: a.orcid.as_deref(),
        })
        .collect();
    ProductPage {
        page: views.page_info(&p.path, &m.title, &m.language),
        product: ProductDetail {
            view: views.product_view(i),
            body: html,
            toc: toc(body),
            words: body.words,
            authors,
            topics: views.topic_list(&p.topics),
            outcomes,
            partners_by_role: partners_by_role(env, i),
            countries: countries(env, i),
            regions: &m.regions,
            sdgs: &m.sdgs,
            source: source(env, i),
            files: files(env, i),
            license: m.license.as_deref(),
            related: views.cards(&p.related),
            citation: Later::new(own, || cite::formatted(site, p)),
            cite_downloads: Later::new(own, || cite::downloads(site, p)),
            head_tags: Later::new(
                move || fingerprint(&(own(), cite::alternates(site, i))),
                move || cite::head_tags(site, i),
            ),
            translations: views.product_views(&p.translations),
            changed: changed(env, i),
        },
    }
}

/// The product's partners grouped by role, roles in the order of
/// [`crate::model::vocabulary::ROLES`].
fn partners_by_role(env: Env<'_>, i: usize) -> Vec<RoleGroup<'_>> {
    let views = env.views;
    let mut roles: Vec<(usize, &str, Vec<Shown<'_, PartnerView>>)> = Vec::new();
    for (pi, rs) in &env.site.products[i].partners {
        for r in rs {
            let rank = crate::model::vocabulary::ROLES
                .iter()
                .position(|x| x == r)
                .unwrap_or(9);
            match roles.iter_mut().find(|(_, id, _)| id == r) {
                Some((_, _, list)) => list.push(views.partner(*pi)),
                None => roles.push((rank, r, vec![views.partner(*pi)])),
            }
        }
    }
    roles.sort_by_key(|(rank, _, _)| *rank);
    roles
        .into_iter()
        .map(|(_, role, partners)| RoleGroup {
            role,
            label: views.label("roles_plural", role),
            partners,
        })
        .collect()
}

fn countries(env: Env<'_>, i: usize) -> Vec<CountryName<'_>> {
    let lang = &env.site.config.ui_language;
    env.site.products[i]
        .meta
        .countries
        .iter()
        .map(|c| CountryName {
            code: c,
            name: crate::model::countries::name(c, lang).unwrap_or(c),
        })
        .collect()
}

/// The product's source, its publisher named and linked when a partner.
fn source(env: Env<'_>, i: usize) -> Option<SourceView<'_>> {
    let site = env.site;
    let s = site.products[i].meta.source.as_ref()?;
    let partner = s.publisher.as_deref().and_then(|id| site.partner(id));
    Some(SourceView {
        info: s,
        publisher: partner.map(|p| p.meta.name.as_str()),
        publisher_href: partner.map(|p| site.href(&p.path)),
    })
}

/// The files attached to the product, with their size and format.
fn files(env: Env<'_>, i: usize) -> Vec<FileView<'_>> {
    let site = env.site;
    site.products[i]
        .files
        .iter()
        .map(|f| FileView {
            format: f.name.rsplit('.').next().map(str::to_ascii_uppercase),
            href: site.href(&crate::markdown::url_escape(&f.path)),
            language: f.language.as_deref(),
            name: &f.name,
            size: human_size(f.bytes, &site.config.ui_language),
            pages: f.pdf.as_ref().map(|e| e.page_count).filter(|n| *n > 0),
            cover: f.cover.as_ref().map(|c| CoverView::of(site, c)),
            title: f.title.as_deref(),
        })
        .collect()
}

/// The product file's last change, from git.
fn changed(env: Env<'_>, i: usize) -> Option<Changed<'_>> {
    let site = env.site;
    let c = site.history.get(&site.products[i].meta.doc.rel)?;
    Some(Changed {
        datetime: &c.datetime,
        date_display: c.date()?.display(&site.config.ui_language),
        author: &c.author,
    })
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
