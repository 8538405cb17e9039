//! The search page: its settings for the client, in a JSON script tag,
//! and the address of the client's script.

use serde::Serialize;
use serde_json::{Value, json};

use super::inputs::PageInfo;
use super::plan::Plan;
use super::{Env, short_hash};

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
    let ui = views.strings.get("ui").cloned().unwrap_or_default();
    let ui_text = |k: &str| ui.get(k).cloned().unwrap_or(Value::Null);
    let config = json!({
        "index": site.href(path),
        "strings": {
            "loading": ui_text("search_loading"),
            "none": ui_text("search_none"),
            "one": ui_text("search_one"),
            "many": ui_text("search_many"),
            "error": ui_text("search_error"),
            "clear": ui_text("search_clear"),
            "remove": ui_text("search_remove_filter"),
            "support": ui_text("with_support"),
            "prompt": ui_text("search_prompt"),
            "corrected": ui_text("search_corrected"),
            "original": ui_text("search_original"),
            "pdf_page": ui_text("search_pdf_page"),
            "partner": ui_text("facet_partner"),
            "topic": ui_text("facet_topic"),
            "kind": ui_text("facet_kind"),
            "outcome": ui_text("facet_outcome"),
            "year": ui_text("facet_year"),
        },
    });
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
