//! An outcome's page: its route through the stages, the products that fed
//! it with their contributions, and its partners; and the view of an
//! outcome that every list of outcomes shows, in words rather than codes.

use serde::Serialize;

use super::Env;
use super::inputs::{Contribution, PageInfo, Shown, With};
use super::plan::Plan;
use super::views::Labels;
use super::views::{PartnerView, ProductCard};
use crate::model::stage_rank;
use crate::model::vocabulary::STAGES;
use crate::text::slugify;

/// An outcome as lists, cards and its own page show it.
#[derive(Serialize, Hash)]
pub(super) struct OutcomeView {
    id: String,
    href: String,
    title: String,
    /// `None` where the title already says it ("Ley N.° 29337" in "Ley
    /// N.° 29337, Ley de PROCOMPITE"), so that it is not read twice.
    identifier: Option<String>,
    instrument: Option<String>,
    /// `None` for "other": a reader learns nothing from "Otro".
    instrument_label: Option<String>,
    /// Whether the identifier begins with the instrument ("Ordenanza
    /// Regional 039-2007"), where a list need not print both.
    identifier_names_instrument: bool,
    stage: String,
    stage_label: String,
    date: Option<String>,
    date_display: Option<String>,
    jurisdiction: Option<String>,
    /// The place in words ("San Martín, Perú"), or the value as written
    /// when it is not a code of the country and region tables.
    jurisdiction_name: Option<String>,
    count: usize,
}

/// The view of outcome `i`, with its labels in the interface language.
pub(super) fn view(labels: &Labels<'_>, i: usize) -> OutcomeView {
    let site = labels.site;
    let lang = site.config.ui_language.as_str();
    let o = &site.outcomes[i];
    let m = &o.meta;
    let instrument_label = m
        .instrument
        .as_deref()
        .filter(|i| *i != "other")
        .map(|i| labels.label("instruments", i));
    let identifier = m.identifier.clone().filter(|id| !repeats(&m.title, id));
    let identifier_names_instrument = match (&identifier, &instrument_label) {
        (Some(id), Some(label)) => slugify(id).starts_with(&slugify(label)),
        _ => false,
    };
    OutcomeView {
        id: m.id.clone(),
        href: site.href(&o.path),
        title: m.title.clone(),
        identifier,
        instrument: m.instrument.clone(),
        instrument_label,
        identifier_names_instrument,
        stage: m.stage.clone(),
        stage_label: labels.label("stages", &m.stage),
        date: m.date.map(|d| d.iso()),
        date_display: m.date.map(|d| d.display(lang)),
        jurisdiction: m.jurisdiction.clone(),
        jurisdiction_name: m
            .jurisdiction
            .as_deref()
            .map(|j| crate::model::countries::place_name(j, lang).unwrap_or_else(|| j.to_string())),
        count: o.products.len(),
    }
}

/// Whether `identifier` is already in `title`, word for word, ignoring
/// case, accents and punctuation.
fn repeats(title: &str, identifier: &str) -> bool {
    let id = slugify(identifier);
    !id.is_empty() && format!("-{}-", slugify(title)).contains(&format!("-{id}-"))
}

/// What an outcome's page shows.
#[derive(Serialize, Hash)]
struct OutcomePage<'a> {
    page: PageInfo,
    outcome: OutcomeDetail<'a>,
}

/// An outcome's view with what only its own page shows.
#[derive(Serialize, Hash)]
struct OutcomeDetail<'a> {
    #[serde(flatten)]
    view: Shown<'a, OutcomeView>,
    body: &'a str,
    decision_maker: Option<&'a str>,
    url: Option<&'a str>,
    change_type: Option<&'a str>,
    change_type_label: Option<String>,
    route: Vec<RouteStep>,
    /// The cards of the products that fed it, each with what it
    /// contributed.
    products: Vec<With<Shown<'a, ProductCard>, Contribution<'a>>>,
    partners: Vec<Shown<'a, PartnerView>>,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    for (i, o) in env.site.outcomes.iter().enumerate() {
        if plan.outside(|s| s.outcomes.contains(&i)) {
            continue;
        }
        plan.page("outcome.html", o.path.clone(), move || page(env, i));
    }
}

fn page(env: Env<'_>, i: usize) -> OutcomePage<'_> {
    let Env {
        site,
        bodies,
        views,
        ..
    } = env;
    let o = &site.outcomes[i];
    let m = &o.meta;
    OutcomePage {
        page: views.page_info(&o.path, &m.title, &site.config.language),
        outcome: OutcomeDetail {
            view: views.outcome(i),
            body: &bodies.outcomes[i].html,
            decision_maker: m.decision_maker.as_deref(),
            url: m.url.as_deref(),
            change_type: m.change_type.as_deref(),
            change_type_label: m
                .change_type
                .as_deref()
                .map(|c| views.label("change_types", c)),
            route: route(env, i),
            products: contributions(env, i),
            partners: views.partner_list(&o.partners),
        },
    }
}

/// One stage of an outcome's route, as its page shows it.
#[derive(Serialize, Hash)]
struct RouteStep {
    stage: &'static str,
    label: String,
    /// What an outcome at this stage has reached, in one line.
    description: String,
    current: bool,
    passed: bool,
}

/// The stages an outcome goes through, with the one it is at and those it
/// passed; "shelved" only for a shelved outcome.
fn route(env: Env<'_>, i: usize) -> Vec<RouteStep> {
    let stage = &env.site.outcomes[i].meta.stage;
    let rank = stage_rank(stage);
    STAGES
        .iter()
        .filter(|s| **s != "shelved" || stage == "shelved")
        .map(|&s| {
            let r = stage_rank(s);
            RouteStep {
                stage: s,
                label: env.views.label("stages", s),
                description: env.views.label("stage_descriptions", s),
                current: r == rank,
                passed: r < rank,
            }
        })
        .collect()
}

/// The cards of the products that fed outcome `i`, each with what it
/// contributed.
fn contributions(env: Env<'_>, i: usize) -> Vec<With<Shown<'_, ProductCard>, Contribution<'_>>> {
    let Env { site, views, .. } = env;
    site.outcomes[i]
        .products
        .iter()
        .map(|&pi| {
            let contribution = site.products[pi]
                .outcomes
                .iter()
                .find(|(x, _)| *x == i)
                .and_then(|(_, c)| c.as_deref());
            With {
                view: views.product_view(pi),
                more: Contribution { contribution },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::repeats;

    #[test]
    fn an_identifier_in_the_title_repeats_it() {
        assert!(repeats("Ley N.° 29337, Ley de PROCOMPITE", "Ley N.° 29337"));
        assert!(repeats(
            "Programa de Acciones Integrales para Mejorar la Nutrición Infantil (Paimni)",
            "PAIMNI"
        ));
        assert!(repeats(
            "Ordenanza Regional 039-2007",
            "ordenanza regional 039 2007"
        ));
    }

    #[test]
    fn an_identifier_that_says_more_is_kept() {
        assert!(!repeats(
            "Creación del Fondo de Desarrollo Amazónico (Fondesam) en San Martín",
            "Ordenanza Regional 039-2007-GRSM/CR"
        ));
        // A part of a word is not the word.
        assert!(!repeats("Ley 293370", "Ley 29337"));
        assert!(!repeats("Título", ""));
        assert!(!repeats("Título", "¿?"));
    }
}
