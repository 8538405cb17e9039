//! The search page: its settings for the client, in a JSON script tag,
//! and the address of the client's script.

use serde::Serialize;
use serde_json::Value;

use super::inputs::PageInfo;
use super::plan::Plan;
use super::{Env, short_hash};

/// The settings the search page's client reads.
#[derive(Serialize)]
struct ClientConfig {
    index: String,
    strings: ClientStrings,
}

/// The interface strings the client shows. Fields are in alphabetical
/// order, the order the settings were always written in.
#[derive(Serialize)]
struct ClientStrings {
    clear: Option<String>,
    corrected: Option<String>,
    error: Option<String>,
    kind: Option<String>,
    loading: Option<String>,
    many: Option<String>,
    none: Option<String>,
    one: Option<String>,
    original: Option<String>,
    outcome: Option<String>,
    partner: Option<String>,
    pdf_page: Option<String>,
    prompt: Option<String>,
    remove: Option<String>,
    support: Option<String>,
    topic: Option<String>,
    year: Option<String>,
}

/// What the search page shows: the settings of its client.
#[derive(Serialize, Hash)]
struct SearchPage {
    page: PageInfo,
    search: SearchClient,
}

#[derive(Serialize, Hash)]
struct SearchClient {
    /// The client's settings as JSON, safe inside a script element.
    config: String,
    /// The address of the client's script, changed with its content.
    js: String,
}

pub(super) fn plan<'a>(plan: &mut Plan<'_, 'a>, env: Env<'a>) {
    let path = format!("/{}/", env.site.config.paths.search);
    plan.page("search.html", path.clone(), move || page(env, &path));
}

fn page(env: Env<'_>, path: &str) -> SearchPage {
    let Env {
        site, views, theme, ..
    } = env;
    let lang = site.config.language.as_str();
    let ui = views.strings.get("ui");
    let ui_text = |k: &str| {
        ui.and_then(|u| u.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let config = ClientConfig {
        index: site.href(path),
        strings: ClientStrings {
            clear: ui_text("search_clear"),
            corrected: ui_text("search_corrected"),
            error: ui_text("search_error"),
            kind: ui_text("facet_kind"),
            loading: ui_text("search_loading"),
            many: ui_text("search_many"),
            none: ui_text("search_none"),
            one: ui_text("search_one"),
            original: ui_text("search_original"),
            outcome: ui_text("facet_outcome"),
            partner: ui_text("facet_partner"),
            pdf_page: ui_text("search_pdf_page"),
            prompt: ui_text("search_prompt"),
            remove: ui_text("search_remove_filter"),
            support: ui_text("with_support"),
            topic: ui_text("facet_topic"),
            year: ui_text("facet_year"),
        },
    };
    // `<` escaped so no string can close the script element.
    let config = serde_json::to_string(&config)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let js = theme.static_bytes("js/search.js").unwrap_or_default();
    SearchPage {
        page: views.page_info(path, &views.label("ui", "search_title"), lang),
        search: SearchClient {
            config,
            js: format!(
                "{}js/search.js?v={}",
                site.config.base_path,
                short_hash(&js)
            ),
        },
    }
}
