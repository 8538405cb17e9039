//! Search over the sample site: the labelled relevance set, run through the
//! CLI's search and through the browser index's engine, must give the
//! expected top three, and the two must agree.

use std::process::Command;

use ayni::build::{BuildOptions, build};
use ayni::search::entity::Entities;
use ayni::search::{SearchQuery, index, search};

use crate::util::{fixtures, repo_root};

struct Built {
    dir: tempfile::TempDir,
}

fn build_sample() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = BuildOptions::new(repo_root());
    opts.out = Some(dir.path().join("public"));
    opts.cache = Some(dir.path().join("cache"));
    build(&opts).expect("sample site builds");
    Built { dir }
}

/// A site folder holding only the built sample's search index, where the
/// CLI reads it.
fn with_index(built: &Built) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    crate::util::copy_dir(
        &built.dir.path().join("cache"),
        &site.path().join(".ayni-cache"),
    );
    site
}

fn labelled() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(fixtures().join("relevance.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["queries"].as_array().unwrap().clone()
}

fn cli_top3(built: &Built, q: &serde_json::Value) -> Vec<String> {
    let idx = index::open(&index::index_dir(&built.dir.path().join("cache"))).unwrap();
    let list = |k: &str| {
        q[k].as_str()
            .map(|s| vec![s.to_string()])
            .unwrap_or_default()
    };
    let query = SearchQuery {
        text: q["q"].as_str().unwrap().to_string(),
        partners: list("partner"),
        topics: list("topic"),
        kinds: list("kind"),
        outcomes: list("outcome"),
        limit: 3,
        ..SearchQuery::default()
    };
    search(&idx, &query)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect()
}

#[test]
fn relevance_set_cli_and_browser_agree() {
    let built = build_sample();
    let queries = labelled();
    assert!(queries.len() >= 25);
    let Some(node) = crate::tools::node() else {
        return;
    };
    let browser = crate::tools::run_js(
        &node,
        "relevance.js",
        [
            built.dir.path().join("public/search"),
            fixtures().join("relevance.json"),
        ],
    );
    let mut failures = Vec::new();
    for (q, b) in queries.iter().zip(&browser) {
        let expect: Vec<String> = q["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect();
        let cli = cli_top3(&built, q);
        let web: Vec<String> = b["urls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_str().unwrap().to_string())
            .collect();
        if cli != expect {
            failures.push(format!("CLI {:?}: {cli:?}, expected {expect:?}", q["q"]));
        }
        if web != cli {
            failures.push(format!("browser {:?}: {web:?}, CLI {cli:?}", q["q"]));
        }
        let (cli, web) = (cli_entities(&built, q), urls(&b["entities"]));
        if web != cli {
            failures.push(format!(
                "browser entities {:?}: {web:?}, CLI {cli:?}",
                q["q"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn urls(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect()
}

/// The entity results `ayni search` gives for a labelled query: none when
/// it sets a filter.
fn cli_entities(built: &Built, q: &serde_json::Value) -> Vec<String> {
    if ["partner", "topic", "kind", "outcome", "year"]
        .iter()
        .any(|f| !q[*f].is_null())
    {
        return Vec::new();
    }
    let dir = index::index_dir(&built.dir.path().join("cache"));
    Entities::load(&dir)
        .unwrap()
        .find(q["q"].as_str().unwrap())
        .iter()
        .map(|n| n.entity.url.clone())
        .collect()
}

/// Queries that name a partner (by short name, name or id), an outcome
/// (by identifier or number) or a topic (typed without accents) show that
/// page first, in both engines; a word no entity has shows none.
#[test]
fn entity_queries_cli_and_browser_agree() {
    let built = build_sample();
    let text = std::fs::read_to_string(fixtures().join("entities.json")).unwrap();
    let queries: serde_json::Value = serde_json::from_str(&text).unwrap();
    let queries = queries["queries"].as_array().unwrap();
    assert!(queries.len() >= 8);
    let mut failures = Vec::new();
    for q in queries {
        let cli = cli_entities(&built, q);
        let expect = urls(&q["entities"]);
        if cli != expect {
            failures.push(format!("CLI {:?}: {cli:?}, expected {expect:?}", q["q"]));
        }
    }
    let Some(node) = crate::tools::node() else {
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        return;
    };
    let browser = crate::tools::run_js(
        &node,
        "relevance.js",
        [
            built.dir.path().join("public/search"),
            fixtures().join("entities.json"),
        ],
    );
    for (q, b) in queries.iter().zip(&browser) {
        let (cli, web) = (cli_entities(&built, q), urls(&b["entities"]));
        if web != cli {
            failures.push(format!("browser {:?}: {web:?}, CLI {cli:?}", q["q"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `ayni search` prints the named partner first, labelled in the site's
/// language, and gives it as a `kind: "partner"` hit in `--json`; with a
/// filter, only products.
#[test]
fn cli_search_shows_the_named_partner_first() {
    let built = build_sample();
    let site = with_index(&built);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
            .args(["search"])
            .args(args)
            .arg("--root")
            .arg(site.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["GPC"]);
    assert!(
        text.starts_with("Socio: Grupo Propuesta Ciudadana\n   /partners/gpc/\n"),
        "{text}"
    );
    assert!(text.contains(", showing "), "products follow: {text}");
    let v: serde_json::Value = serde_json::from_str(&run(&["GPC", "--json"])).unwrap();
    let first = &v["hits"][0];
    assert_eq!(first["kind"], "partner");
    assert_eq!(first["id"], "gpc");
    assert_eq!(first["url"], "/partners/gpc/");
    assert_eq!(first["title"], "Grupo Propuesta Ciudadana");
    assert_eq!(first["label"], "Socio");
    assert!(
        v["hits"][1]["score"].as_f64().unwrap() > 0.0,
        "then products"
    );
    let v: serde_json::Value =
        serde_json::from_str(&run(&["GPC", "--kind", "study", "--json"])).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["kind"] == "study"), "{v}");
    let text = run(&["riego"]);
    assert!(
        !text.contains("Socio:") && !text.contains("Tema:"),
        "{text}"
    );
}

#[test]
fn any_query_string_is_answered() {
    let built = build_sample();
    let idx = index::open(&index::index_dir(&built.dir.path().join("cache"))).unwrap();
    let long = "política ".repeat(1200);
    for text in [
        "",
        "   ",
        "\"",
        "\"unbalanced quote",
        "+-&&||!(){}[]^~*?:\\/",
        "title:x AND",
        "🎉🌽",
        &long,
        "NOT",
        "a* ?b",
        "[1 TO 2]",
    ] {
        let r = search(
            &idx,
            &SearchQuery {
                text: text.to_string(),
                limit: 5,
                ..SearchQuery::default()
            },
        );
        assert!(r.is_ok(), "{text:?}: {:?}", r.err());
    }
    let r = search(
        &idx,
        &SearchQuery {
            text: long,
            limit: 5,
            ..SearchQuery::default()
        },
    )
    .unwrap();
    assert!(r.total > 0, "repeated words still match");
}

#[test]
fn cli_search_prints_contract_json_with_marks() {
    let built = build_sample();
    let site = with_index(&built);
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["search", "ley", "29337", "--json", "--limit", "2", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["query"], "ley 29337");
    assert_eq!(v["total"], 2);
    // The outcome the query names comes first (see the entity tests), then
    // the products.
    assert_eq!(v["hits"][0]["kind"], "outcome");
    let hit = &v["hits"][1];
    assert_eq!(hit["url"], "/casos/alianza-aprendizaje-peru/");
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>29337</mark>"),
        "{hit}"
    );
    assert_eq!(hit["kind"], "case-study");
    assert_eq!(hit["year"], 2014);
    assert!(
        hit["partners"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "aap")
    );
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    // Filters.
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["search", "alianzas", "--partner", "gpc", "--json", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!v["hits"].as_array().unwrap().is_empty());
    assert!(
        v["hits"].as_array().unwrap().iter().all(|h| h["partners"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "gpc"))
    );
}

#[test]
fn search_without_index_says_what_to_do() {
    let site = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["search", "x", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A folder without site.yaml speaks the default language, Spanish.
    assert!(String::from_utf8_lossy(&out.stderr).contains("ejecute antes `ayni build`"));
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["search", "x", "--lang", "en", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("run `ayni build` first"));
}

#[test]
fn english_products_are_analysed_in_english() {
    let site = crate::util::Site::fixture("basic");
    site.write(
        "content/estudios/english.md",
        "---\ntitle: Lessons on public policies\nkind: study\ndate: 2016\nlanguage: en\nsummary: How the network informed policy making.\npartners: [ong-a]\ntopics: [incidencia]\n---\nThe studies informed several policies.\n",
    );
    site.build();
    let idx = index::open(&index::index_dir(&site.root().join(".ayni-cache"))).unwrap();
    let find = |text: &str| -> Vec<String> {
        search(
            &idx,
            &SearchQuery {
                text: text.into(),
                limit: 5,
                ..SearchQuery::default()
            },
        )
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.url)
        .collect()
    };
    // English stemming: "policy" finds "policies", "study" finds "studies".
    assert_eq!(find("policy"), ["/estudios/english/"]);
    assert_eq!(find("study lessons"), ["/estudios/english/"]);
    // The browser index knows the English terms too.
    let shard = std::fs::read_to_string(site.out().join("search/v/po.json")).unwrap();
    assert!(shard.contains("\"policies\":[[\"~polici\"]"), "{shard}");
}

/// An extra kind from `site.yaml` is called by its label wherever a
/// reader sees it: on the pages and in the search results and filters.
#[test]
fn extra_kinds_are_labelled_in_search_as_on_pages() {
    let site = crate::util::Site::fixture("basic");
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{yaml}kinds:\n  manual: {{ es: Manual técnico, en: Technical manual }}\n"),
    );
    site.write(
        "content/guias/manual-uno.md",
        "---\ntitle: Manual uno\nkind: manual\ndate: 2020\nsummary: Un manual.\npartners: [ong-a]\ntopics: [incidencia]\n---\nTexto del manual.\n",
    );
    site.build();
    let out = site.out();
    let labels = std::fs::read_to_string(out.join("search/f/labels.json")).unwrap();
    assert!(
        labels.contains(r#"["manual","Manual técnico"]"#),
        "{labels}"
    );
    let doc = std::fs::read_dir(out.join("search/d"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|d| d.contains("Manual uno"))
        .expect("the manual's search document");
    assert!(doc.contains(r#""k":"Manual técnico""#), "{doc}");
    assert!(site.page("/").contains("Manual técnico"));
    assert!(site.page("/kinds/manual/").contains("Manual técnico"));
}

/// The most frequent accented words of the sample site's products, found
/// with and without their accents alike by the CLI.
#[test]
fn accented_words_are_found_without_their_accents() {
    let built = build_sample();
    let idx = index::open(&index::index_dir(&built.dir.path().join("cache"))).unwrap();
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for entry in walkdir::WalkDir::new(repo_root().join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for word in text.split(|c: char| !c.is_alphabetic()) {
            let word = word.to_lowercase();
            if ayni::search::analysis::fold(&word) != word {
                *counts.entry(word).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(usize, String)> = counts.into_iter().map(|(w, n)| (n, w)).collect();
    words.sort_by(|a, b| b.cmp(a));
    assert!(words.len() >= 50, "{}", words.len());
    let urls = |text: &str| -> Vec<String> {
        let query = SearchQuery {
            text: text.to_string(),
            limit: 100,
            ..SearchQuery::default()
        };
        search(&idx, &query)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.url)
            .collect()
    };
    let mut differ = Vec::new();
    for (_, word) in words.iter().take(50) {
        let bare = ayni::search::analysis::fold(word);
        if urls(word) != urls(&bare) {
            differ.push(format!("{word}/{bare}"));
        }
    }
    assert!(differ.is_empty(), "found differently: {differ:?}");
}

/// `ayni search WORDS --json --root ROOT`: the URLs found.
fn found(root: &std::path::Path, words: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["search", words, "--json", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{:?}", out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_failed_build_leaves_the_search_index_of_the_output() {
    let site = crate::util::Site::fixture("basic");
    site.build();
    assert!(found(site.root(), "zanahoriaxyz").is_empty());
    // The broken link is found while pages are made, after the index has
    // taken the new product's text.
    site.write(
        "content/casos/nuevo.md",
        "---\ntitle: Nuevo\nkind: case-study\ndate: 2014\npartners: [ong-a]\n---\nzanahoriaxyz [roto](../nada.md)\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["build", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        found(site.root(), "zanahoriaxyz").is_empty(),
        "the index holds text that public/ does not"
    );
    assert!(!found(site.root(), "caso uno").is_empty());
}

#[test]
fn an_index_older_than_the_output_is_not_searched() {
    let site = crate::util::Site::fixture("basic");
    site.write(
        "content/casos/nuevo.md",
        "---\ntitle: Nuevo\nkind: case-study\ndate: 2014\npartners: [ong-a]\n---\nzanahoriaxyz\n",
    );
    site.build();
    assert_eq!(found(site.root(), "zanahoriaxyz"), ["/casos/nuevo/"]);
    // Killed after the output was replaced, before the index was.
    std::fs::remove_file(site.root().join("content/casos/nuevo.md")).unwrap();
    let killed = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("AYNI_FAULT", "swap:index")
        .output()
        .unwrap();
    assert!(!killed.status.success());
    assert!(!site.out().join("casos/nuevo").exists());
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["search", "zanahoriaxyz", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(!stdout.contains("/casos/nuevo/"), "{stdout}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ayni build"), "{stderr}");
    site.build();
    assert!(found(site.root(), "zanahoriaxyz").is_empty());
}

/// Typos over the sample site, each with the query both engines must search
/// instead: `n` for `ñ`, one edit anywhere (the first letters included),
/// and words that are never replaced.
const TYPOS: &[(&str, Option<&str>)] = &[
    ("anos", Some("años")),
    ("ninos", Some("niños")),
    ("campana", Some("campaña")),
    ("ano", Some("año")),
    ("Diseno de alainza", Some("diseño de alianza")),
    ("\"disenos de\"", Some("\"diseño de\"")),
    ("nutricoin", Some("nutricion")),
    ("nutricion zambai", Some("nutricion zambia")),
    ("iseño", Some("diseño")),
    ("lianza", Some("alianza")),
    ("laianza", Some("alianza")),
    ("xalianza", Some("alianza")),
    ("alianzas", None),
    ("gestion nutricion zambia", None),
    ("zzzzzz", None),
    ("29338", None),
    // A stop word the site does not have is skipped, not corrected.
    ("tuviesemos alianza", None),
];

/// The CLI's corrected query and top three for `text`.
fn cli_corrected(built: &Built, text: &str) -> (Option<String>, Vec<String>) {
    let idx = index::open(&index::index_dir(&built.dir.path().join("cache"))).unwrap();
    let r = search(
        &idx,
        &SearchQuery {
            text: text.to_string(),
            limit: 3,
            ..SearchQuery::default()
        },
    )
    .unwrap();
    (r.corrected, r.hits.into_iter().map(|h| h.url).collect())
}

#[test]
fn misspelled_words_are_corrected_alike_in_cli_and_browser() {
    let built = build_sample();
    let mut failures = Vec::new();
    for (q, expect) in TYPOS {
        let (corrected, urls) = cli_corrected(&built, q);
        if corrected.as_deref() != *expect {
            failures.push(format!("CLI {q:?}: {corrected:?}, expected {expect:?}"));
        }
        if expect.is_some() && urls.is_empty() {
            failures.push(format!("CLI {q:?}: no results after the correction"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let Some(node) = crate::tools::node() else {
        return;
    };
    let queries = serde_json::json!({
        "queries": TYPOS.iter().map(|(q, _)| serde_json::json!({"q": q})).collect::<Vec<_>>()
    });
    let file = built.dir.path().join("typos.json");
    std::fs::write(&file, queries.to_string()).unwrap();
    let browser = crate::tools::run_js(
        &node,
        "search-urls.js",
        [
            built.dir.path().join("public/search").into_os_string(),
            file.into_os_string(),
            "3".into(),
        ],
    );
    for ((q, _), b) in TYPOS.iter().zip(&browser) {
        let (corrected, urls) = cli_corrected(&built, q);
        let web: Vec<String> = serde_json::from_value(b["urls"].clone()).unwrap();
        if b["corrected"].as_str() != corrected.as_deref() {
            failures.push(format!(
                "browser {q:?}: {}, CLI {corrected:?}",
                b["corrected"]
            ));
        }
        if web != urls {
            failures.push(format!("browser {q:?}: {web:?}, CLI {urls:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_word_that_finds_something_is_never_replaced() {
    let built = build_sample();
    // `alianzas` is one edit from `alianza`, found in as many products;
    // `año` and `ano` differ by `ñ` only; stop words find nothing alone.
    for text in [
        "alianzas",
        "alianza",
        "año",
        "de las",
        "gestion nutricion zambia",
    ] {
        assert_eq!(cli_corrected(&built, text).0, None, "{text}");
    }
    // Asked for the words as typed, the CLI corrects nothing.
    let idx = index::open(&index::index_dir(&built.dir.path().join("cache"))).unwrap();
    let exact = search(
        &idx,
        &SearchQuery {
            text: "anos".into(),
            limit: 3,
            exact: true,
            ..SearchQuery::default()
        },
    )
    .unwrap();
    assert_eq!((exact.total, exact.corrected), (0, None));
}

#[test]
fn cli_says_which_query_it_searched_instead() {
    let built = build_sample();
    let site = with_index(&built);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
            .arg("search")
            .args(args)
            .arg("--root")
            .arg(site.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["campana", "ninos"]);
    assert!(
        text.starts_with(
            "Showing results for \"campaña niños\" · Search \"campana ninos\" with --exact\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("/casos/care-peru-iniciativa-nutricion-infantil/"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&run(&["campana", "--json"])).unwrap();
    assert_eq!(
        (&v["query"], &v["corrected"]),
        (&"campana".into(), &"campaña".into())
    );
    let v: serde_json::Value =
        serde_json::from_str(&run(&["campana", "--json", "--exact"])).unwrap();
    assert_eq!((&v["total"], v.get("corrected")), (&0.into(), None));
}

/// A paragraph wrapped by hand (the fixture's `extra-3.md`): the word after
/// each line break is a word of its own in the index and the snippets.
#[test]
fn hand_wrapped_lines_are_separate_words() {
    let site = crate::util::Site::fixture("basic");
    site.build();
    for word in ["moradas", "zanahorias", "termina", "linea"] {
        assert_eq!(found(site.root(), word), ["/estudios/extra-3/"], "`{word}`");
    }
    assert!(found(site.root(), "zanahoriasmoradas").is_empty());
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["search", "moradas", "--json", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let snippet = v["hits"][0]["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("zanahorias <mark>moradas</mark>"),
        "{snippet}"
    );
}

/// Characters of text before the one passage of [`write_long_product`]
/// that holds its rare words.
pub const LONG_PRODUCT_DEPTH: usize = 20_000;

/// A product of the fixture site whose words `colibrí`, `esmeralda` and
/// `protegen` come only after [`LONG_PRODUCT_DEPTH`] characters of other
/// sentences, in a sentence whose end is followed by `Después`; its URL.
pub fn write_long_product(site: &crate::util::Site) -> &'static str {
    let mut filler = String::new();
    let mut i = 0;
    while filler.chars().count() < LONG_PRODUCT_DEPTH {
        filler.push_str(&format!(
            "La parcela {i} recibe agua del canal durante la\nmañana. "
        ));
        i += 1;
    }
    site.write(
        "content/estudios/largo.md",
        &format!(
            "---\ntitle: Estudio largo\nkind: study\ndate: 2014\nsummary: Un estudio \
             con mucho texto.\npartners: [ong-a]\ntopics: [incidencia]\n---\n{filler}\n\n\
             Al final, las políticas de riego protegen al colibrí esmeralda. Después, \
             nada más.\n\n## Colofón\n\nTurquesa del canal.\n"
        ),
    );
    "/estudios/largo/"
}

/// The browser shows, for a word found only deep in a long text, the
/// passage that holds it, marked, fetching one block of the text; and it
/// marks the inflection the text has of the word typed.
#[test]
fn browser_snippets_show_the_passage_where_the_words_are() {
    let site = crate::util::Site::fixture("basic");
    let url = write_long_product(&site);
    site.build();
    let Some(node) = crate::tools::node() else {
        return;
    };
    let queries = serde_json::json!({"queries": [
        {"q": "colibri"}, {"q": "política riego"}, {"q": "parcela 300"}, {"q": "zanahoria"}
    ]});
    let file = site.root().join("snippet-queries.json");
    std::fs::write(&file, queries.to_string()).unwrap();
    let got = crate::tools::run_js(
        &node,
        "snippets.js",
        [site.out().join("search").into_os_string(), file.into()],
    );
    let snippet = |i: usize| got[i]["snippet"].as_str().unwrap().to_string();
    assert_eq!(got[0]["url"], url);
    assert!(
        snippet(0).contains("protegen al colibrí esmeralda."),
        "{}",
        snippet(0)
    );
    assert!(!snippet(0).contains("parcela"), "{}", snippet(0));
    assert_eq!(got[0]["marks"], serde_json::json!(["colibri"]));
    assert!(snippet(1).contains("políticas de riego"), "{}", snippet(1));
    let marks: Vec<String> = serde_json::from_value(got[1]["marks"].clone()).unwrap();
    assert!(marks.contains(&"politicas".to_string()), "{marks:?}");
    assert!(
        snippet(2).starts_with("… La parcela 300 recibe"),
        "{}",
        snippet(2)
    );
    assert!(snippet(3).contains("zanahorias moradas"), "{}", snippet(3));
    // A result costs its result file and one file of blocks, however long
    // its text.
    let block = ayni::search::passages::BLOCK_BYTES as u64;
    let per_file = ayni::search::passages::BLOCKS_PER_FILE as u64;
    for g in &got[..3] {
        assert!(g["bytes"].as_u64().unwrap() < (2 + per_file) * block, "{g}");
    }
}

/// What each phrase query of [`phrases_keep_their_order_and_stop_at_a_sentence_end`]
/// must find: the long product's URL (`true`) or not (`false`).
const PHRASES: &[(&str, bool)] = &[
    ("\"riego protegen\"", true),
    ("\"colibrí esmeralda\"", true),
    ("\"colibri esmeralda\"", true),
    ("esmeralda después", true),
    ("\"protegen riego\"", false),
    ("\"esmeralda colibrí\"", false),
    ("\"esmeralda después\"", false),
    // Typed with its sentence end, the phrase is the text as written.
    ("\"esmeralda. Después\"", true),
    // A stop word of a phrase stands for any one word.
    ("\"políticas de riego\"", true),
    ("\"políticas riego\"", false),
    // A line break inside a sentence is no sentence end.
    ("\"la mañana\"", true),
    // The end of a heading is one.
    ("colofón turquesa", true),
    ("\"colofón turquesa\"", false),
];

/// A quoted phrase matches its words in order within one sentence, in
/// `ayni search` and in the search page's engine alike.
#[test]
fn phrases_keep_their_order_and_stop_at_a_sentence_end() {
    let site = crate::util::Site::fixture("basic");
    let url = write_long_product(&site);
    site.build();
    let root = site.root();
    let mut failures = Vec::new();
    for (q, expect) in PHRASES {
        if found(root, q).contains(&url.to_string()) != *expect {
            failures.push(format!("CLI {q}: expected {expect}"));
        }
    }
    let Some(node) = crate::tools::node() else {
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        return;
    };
    let queries = serde_json::json!({
        "queries": PHRASES.iter().map(|(q, _)| serde_json::json!({"q": q})).collect::<Vec<_>>()
    });
    let file = root.join("phrases.json");
    std::fs::write(&file, queries.to_string()).unwrap();
    let browser = crate::tools::run_js(
        &node,
        "search-urls.js",
        [
            site.out().join("search").into_os_string(),
            file.into_os_string(),
        ],
    );
    for ((q, expect), b) in PHRASES.iter().zip(&browser) {
        let urls: Vec<String> = serde_json::from_value(b["urls"].clone()).unwrap();
        if urls.contains(&url.to_string()) != *expect {
            failures.push(format!("browser {q}: expected {expect}, got {urls:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The search page ranks a first query without any facet file, and the
/// counts it shows after, from the facets of the results at hand, are
/// those `ayni search` finds with each filter.
#[test]
fn facet_counts_come_after_the_results_and_are_exact() {
    let Some(node) = crate::tools::node() else {
        return;
    };
    let built = build_sample();
    let queries = ["gestión", "nutrición infantil", "políticas", "incidencia"];
    let file = built.dir.path().join("facet-queries.json");
    let list: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| serde_json::json!({"q": q}))
        .collect();
    std::fs::write(&file, serde_json::json!({ "queries": list }).to_string()).unwrap();
    let got = crate::tools::run_js(
        &node,
        "facets.js",
        [
            built.dir.path().join("public/search").into_os_string(),
            file.into_os_string(),
        ],
    );
    let idx = index::open(&index::index_dir(&built.dir.path().join("cache"))).unwrap();
    let mut checked = 0;
    for (q, g) in queries.iter().zip(&got) {
        assert_eq!(
            g["early"],
            serde_json::json!([]),
            "{q}: facets before the results"
        );
        assert!(g["total"].as_u64().unwrap() > 0, "{q} finds nothing");
        for (facet, counts) in g["counts"].as_object().unwrap() {
            for (id, n) in counts.as_object().unwrap() {
                let mut query = SearchQuery {
                    text: q.to_string(),
                    limit: 1,
                    ..SearchQuery::default()
                };
                match facet.as_str() {
                    "kind" => query.kinds = vec![id.clone()],
                    "partner" => query.partners = vec![id.clone()],
                    "topic" => query.topics = vec![id.clone()],
                    "outcome" => query.outcomes = vec![id.clone()],
                    _ => query.years = vec![id.parse().unwrap()],
                }
                let total = search(&idx, &query).unwrap().total as u64;
                assert_eq!(n.as_u64().unwrap(), total, "{q}, {facet} {id}");
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} counts checked");
}

/// The segments of each part of the index in `cache`'s search folder, as
/// `parts.json` records them.
fn part_segments(cache: &std::path::Path) -> Vec<String> {
    let text = std::fs::read(cache.join("search/parts.json")).unwrap();
    let parts: Vec<serde_json::Value> = serde_json::from_slice(&text).unwrap();
    parts.iter().map(|p| p["segments"].to_string()).collect()
}

/// Builds `site` after an edit to one product of its three parts, whose
/// segments were `before`: two parts are kept, and the output is that of
/// a clean build, which is returned.
fn rebuild_keeping_two_parts(
    site: &crate::util::Site,
    what: &str,
    before: &[String],
) -> tempfile::TempDir {
    site.build();
    let after = part_segments(&site.root().join(".ayni-cache"));
    let kept = before.iter().zip(&after).filter(|(a, b)| a == b).count();
    assert_eq!(kept, 2, "{what}: parts made again: {before:?} -> {after:?}");
    let clean = tempfile::tempdir().unwrap();
    let mut opts = site.opts();
    opts.out = Some(clean.path().join("public"));
    opts.cache = Some(clean.path().join("cache"));
    build(&opts).unwrap();
    crate::serve::assert_same_tree(what, &site.out(), &clean.path().join("public"));
    clean
}

/// The index is made in parts of 1,024 products. After an edit to one
/// product only its part is indexed again; the others are kept from the
/// previous build, and the output and `ayni search` are a clean build's.
#[test]
fn an_edit_indexes_only_its_part_again() {
    let site = crate::util::Site::fixture("basic");
    for i in 0..2100 {
        site.write(
            &format!("content/estudios/gen-{i:04}.md"),
            &format!(
                "---\ntitle: Estudio {i}\nkind: study\ndate: 2015\npartners: [ong-a]\n---\n\
                 Un estudio sobre riego y cuencas, el número {i}.\n"
            ),
        );
    }
    site.build();
    let cache = site.root().join(".ayni-cache");
    let before = part_segments(&cache);
    assert_eq!(before.len(), 3, "{before:?}");
    site.write(
        "content/estudios/gen-1500.md",
        "---\ntitle: Estudio 1500\nkind: study\ndate: 2015\npartners: [ong-a]\n---\n\
         Un estudio sobre el granizo en los Andes.\n",
    );
    let clean = rebuild_keeping_two_parts(&site, "after an edit", &before);
    for q in ["granizo", "riego cuencas", "estudio 1500", "número 7"] {
        let search_in = |cache: &std::path::Path| {
            let idx = index::open(&index::index_dir(cache)).unwrap();
            let query = SearchQuery {
                text: q.into(),
                limit: 50,
                ..SearchQuery::default()
            };
            let found = search(&idx, &query).unwrap();
            found
                .hits
                .iter()
                .map(|h| (h.url.clone(), h.score.to_bits()))
                .collect::<Vec<_>>()
        };
        let kept = search_in(&cache);
        assert!(!kept.is_empty(), "{q}");
        assert_eq!(kept, search_in(&clean.path().join("cache")), "{q}");
    }
}

/// A product of 2,100, numbered in site order after the fixture's six:
/// `gen-0010` in the first part, `gen-2000` in the second, `gen-2090` in
/// the third. `gen-0010` links to a heading of `gen-2000` and shares a
/// topic with `gen-2090` alone.
fn generated(i: usize, title: &str) -> String {
    let (topics, body) = match i {
        10 => (
            "[granizo andino]",
            "Ver la [parte](gen-2000.md#parte-2000) del otro.".to_string(),
        ),
        2090 => ("[granizo andino]", String::new()),
        _ => ("[]", String::new()),
    };
    format!(
        "---\ntitle: {title}\nkind: study\ndate: 2015\npartners: [ong-a]\ntopics: {topics}\n---\n\
         ## Parte {i}\n\nUn estudio sobre riego y cuencas, el número {i}. {body}\n"
    )
}

/// A rebuild takes the bodies of the products of the parts it keeps from
/// the last build, with their headings and links, and renders them only
/// where a page needs them: a product whose page changed (a related
/// product's new title) shows the same body, and a link in a kept body to
/// a heading that went is still found broken. After each edit the output
/// is a clean build's.
#[test]
fn a_rebuild_takes_the_bodies_of_kept_parts_and_still_checks_their_links() {
    let site = crate::util::Site::fixture("basic");
    let write = |i: usize, title: &str, text: Option<String>| {
        let text = text.unwrap_or_else(|| generated(i, title));
        site.write(&format!("content/estudios/gen-{i:04}.md"), &text);
    };
    for i in 0..2100 {
        write(i, &format!("Estudio {i}"), None);
    }
    site.build();
    let cache = site.root().join(".ayni-cache");
    let edits: [(&str, usize, Option<String>, &str); 2] = [
        (
            "the body a kept body links to",
            2000,
            Some(generated(2000, "Estudio 2000").replace("riego", "granizo")),
            "",
        ),
        (
            "a related product's title",
            2090,
            None,
            "Estudio del granizo",
        ),
    ];
    for (what, i, text, title) in edits {
        let before = part_segments(&cache);
        write(i, title, text);
        rebuild_keeping_two_parts(&site, what, &before);
    }
    let page = site.page("/estudios/gen-0010/");
    assert!(
        page.contains("Estudio del granizo") && page.contains("Ver la"),
        "{page}"
    );
    // The heading `gen-0010` links to goes: its link, taken from the last
    // build with its body, is found broken.
    let renamed = generated(2000, "Estudio 2000").replace("## Parte 2000", "## Otra parte");
    write(2000, "", Some(renamed));
    let Err(ayni::Error::Content(diags)) = build(&site.opts()) else {
        panic!("a broken anchor in a kept body was not found");
    };
    let broken = diags.iter().find(|d| d.code == "broken-anchor");
    let file = broken.and_then(|d| d.file.as_ref()).map(|f| f.path.clone());
    assert!(
        file.is_some_and(|f| f.ends_with("estudios/gen-0010.md")),
        "{diags:?}"
    );
}
