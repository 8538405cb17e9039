use ayni::build::{BuildOptions, build};

use crate::util::{Site, between, repo_root};

#[test]
fn every_page_type_is_built() {
    let site = Site::fixture("basic");
    let report = site.build();
    assert_eq!(report.products, 6, "the draft is left out");
    for url in [
        "/",
        "/casos/uno/",
        "/casos/bundle/",
        "/estudios/dos/",
        "/partners/",
        "/partners/ong-a/",
        "/partners/red/",
        "/topics/",
        "/topics/gestion-del-conocimiento/",
        "/outcomes/",
        "/outcomes/ley-1/",
        "/kinds/study/",
        "/years/2014/",
        "/404.html",
    ] {
        let html = site.page(url);
        assert!(html.starts_with("<!doctype html>"), "{url}");
        assert!(
            html.contains("<main id=\"main\""),
            "{url} has no main landmark"
        );
        assert!(
            html.contains("class=\"skip-link\""),
            "{url} has no skip link"
        );
    }
    let home = site.page("/");
    assert!(home.contains("Bienvenida a la red"));
    assert!(home.contains("Texto de <strong>inicio</strong>"));
    assert!(home.contains("<html lang=\"es\">"));
    let product = site.page("/casos/uno/");
    assert!(
        product.contains("<h1 class=\"product__title\" lang=\"es\">Caso uno: la red aprende</h1>")
    );
    assert!(product.contains("junio de 2014"));
    assert!(product.contains("Luis Soto"));
    assert!(product.contains("https://orcid.org/0000-0002-1825-0097"));
    assert!(product.contains("<table>"));
    assert!(product.contains("footnote-definition"));
    assert!(product.contains("Ley N.° 12345, Ley de prueba"));
    assert!(product.contains("Aportó el estudio técnico."));
    let outcome = site.page("/outcomes/ley-1/");
    assert!(outcome.contains("Caso uno: la red aprende"));
    assert!(outcome.contains("Estudio dos"));
    assert!(
        outcome.contains("aria-current=\"step\">Decisión"),
        "stage shown on the route"
    );
    assert!(
        outcome.contains("href=\"/partners/ong-a/\""),
        "contributing partner listed"
    );
    let outcomes = site.page("/outcomes/");
    let decision = outcomes.find("id=\"stage-decision\"").unwrap();
    let implementation = outcomes.find("id=\"stage-implementation\"").unwrap();
    assert!(decision < implementation, "stages in route order");
    assert!(
        site.page("/404.html").contains("Perdido en la red"),
        "site templates/ override the theme"
    );
    assert!(!site.out().join("estudios/borrador/index.html").exists());
}

#[test]
fn drafts_are_built_on_request() {
    let site = Site::fixture("basic");
    let mut opts = site.opts();
    opts.drafts = true;
    build(&opts).unwrap();
    assert!(
        site.page("/estudios/borrador/")
            .contains("Borrador secreto")
    );
}

#[test]
fn partner_page_groups_products_by_role() {
    let site = Site::fixture("basic");
    site.build();
    let html = site.page("/partners/estado-b/");
    let roles: Vec<&str> = html
        .match_indices("class=\"section role\" id=\"role-")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(roles, ["author", "publisher", "contributor"]);
    let author = between(&html, "id=\"role-author\"", "</section>");
    assert!(author.contains("Guía en carpeta"));
    assert!(!author.contains("Caso uno"));
    let publisher = between(&html, "id=\"role-publisher\"", "</section>");
    assert!(publisher.contains("Caso uno"));
    assert!(!publisher.contains("Guía en carpeta"));
    // Alliances and members.
    assert!(html.contains("Red de Aprendizaje"), "member of the network");
    let red = site.page("/partners/red/");
    let members = between(&red, "id=\"members-title\"", "</section>");
    assert!(members.contains("ONG Alfa") && members.contains("Ministerio Beta"));
    // Co-authors and outcomes on a partner page.
    let alfa = site.page("/partners/ong-a/");
    let coauthors = between(&alfa, "id=\"coauthors-title\"", "</section>");
    assert!(coauthors.contains("Fondo Gamma"));
    assert!(alfa.contains("Ley N.° 12345"));
    let sponsor = site.page("/partners/donante/");
    assert!(between(&sponsor, "id=\"role-sponsor\"", "</section>").contains("Estudio dos"));
}

#[test]
fn topics_fold_case_and_accents() {
    let site = Site::fixture("basic");
    site.build();
    let html = site.page("/topics/gestion-del-conocimiento/");
    assert!(
        html.contains("Caso uno"),
        "spelled `Gestión del Conocimiento`"
    );
    assert!(
        html.contains("Estudio dos"),
        "spelled `gestion del conocimiento`"
    );
    assert!(
        html.contains("<h1>Gestión del conocimiento</h1>"),
        "title from topics/ registry"
    );
    assert!(html.contains("Cómo las organizaciones aprenden"));
    // `incidencia` and `Incidencia` are one topic; its title is the common spelling.
    let index = site.page("/topics/");
    assert_eq!(index.matches("/topics/incidencia/").count(), 1);
    assert!(
        !site
            .out()
            .join("topics/gestion-del-conocimiento-1")
            .exists()
    );
}

#[test]
fn relative_links_become_urls() {
    let site = Site::fixture("basic");
    site.build();
    let uno = site.page("/casos/uno/");
    assert!(
        uno.contains("href=\"/estudios/dos/#resultados-clave\""),
        "md link with anchor"
    );
    assert!(uno.contains("href=\"/casos/bundle/\""), "bundle index link");
    let dos = site.page("/estudios/dos/");
    assert!(dos.contains("id=\"resultados-clave\""));
    assert!(dos.contains("href=\"/casos/uno/\""));
    let bundle = site.page("/casos/bundle/");
    assert!(bundle.contains("src=\"/casos/bundle/mapa.png\""));
    assert!(
        bundle.contains("href=\"/casos/bundle/guia.pdf\""),
        "attachment download"
    );
    assert!(site.out().join("casos/bundle/guia.pdf").is_file());
    assert!(site.out().join("robots.txt").is_file(), "static/ copied");
    // Aliases redirect.
    let alias = site.page("/viejo/caso-uno/");
    assert!(alias.contains("url=/casos/uno/"));
}

#[test]
fn sub_path_base_url_prefixes_every_link() {
    let site = Site::fixture("basic");
    let mut opts = site.opts();
    opts.base_url = Some("https://org.github.io/kb/".into());
    build(&opts).unwrap();
    let uno = site.page("/casos/uno/");
    assert!(uno.contains("href=\"/kb/estudios/dos/#resultados-clave\""));
    assert!(uno.contains("href=\"/kb/css/ayni.css?v="));
    assert!(uno.contains("<link rel=\"canonical\" href=\"https://org.github.io/kb/casos/uno/\">"));
    for link in crate::util::links(&uno) {
        if link.starts_with('/') {
            assert!(link.starts_with("/kb/"), "{link} lacks the sub-path");
        }
    }
}

#[test]
fn long_lists_are_paginated() {
    let site = Site::fixture("basic");
    site.build();
    // 4 studies (the draft is left out) at 2 per page.
    let first = site.page("/kinds/study/");
    assert!(first.contains("href=\"/kinds/study/page/2/\""));
    assert!(first.contains("rel=\"next\""));
    let last = site.page("/kinds/study/page/2/");
    assert!(last.contains("rel=\"prev\""));
    assert!(!last.contains("rel=\"next\""));
    assert!(!site.out().join("kinds/study/page/3").exists());
    // A partner's role list longer than a page gets its own paged listing.
    let alfa = site.page("/partners/ong-a/");
    assert!(alfa.contains("href=\"/partners/ong-a/author/\""));
    assert!(
        site.page("/partners/ong-a/author/page/2/")
            .contains("rel=\"prev\"")
    );
}

#[test]
fn english_interface_on_request() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        "title: Test network\nui_language: en\npaginate: 2\n",
    );
    site.build();
    let partner = site.page("/partners/estado-b/");
    assert!(partner.contains("As publisher"));
    assert!(partner.contains("Skip to main content"));
    assert!(site.page("/casos/uno/").contains("June 2014"));
    assert!(
        site.page("/estudios/dos/")
            .contains(">Contributed to 1 policy outcome</a>")
    );
    // The page's words are English; its content says it is Spanish.
    let product = site.page("/casos/uno/");
    assert!(product.contains("<html lang=\"en\">"), "interface language");
    assert!(
        product.contains("<div class=\"prose\" lang=\"es\">"),
        "content language"
    );
}

/// A failed build removes the folder it was writing beside the output.
fn assert_no_staging_left(site: &Site) {
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".") && n != ".ayni-cache")
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn failed_build_leaves_previous_output() {
    let site = Site::fixture("basic");
    site.build();
    let before = site.page("/casos/uno/");
    std::fs::write(site.out().join("marker.txt"), "old build").unwrap();
    site.write(
        "content/casos/uno.md",
        "---\ntitle: Nuevo\nkind: case-study\ndate: 2014\npartners: [ong-x]\n---\n",
    );
    let err = build(&site.opts()).unwrap_err();
    let ayni::Error::Content(diags) = err else {
        panic!("expected content errors, got {err}")
    };
    assert!(diags.iter().any(|d| d.code == "unknown-partner"));
    assert_eq!(site.page("/casos/uno/"), before);
    assert_eq!(
        std::fs::read_to_string(site.out().join("marker.txt")).unwrap(),
        "old build"
    );
    assert_no_staging_left(&site);
}

/// A build renders each product's body as its page is made, so anchors
/// into other products are checked once all are done: a good one passes
/// (the fixture links `casos/uno.md` to a heading of `estudios/dos.md`),
/// a broken one fails the build with its place and keeps the old site.
#[test]
fn anchors_between_products_are_checked_after_every_body_is_made() {
    let site = Site::fixture("basic");
    site.build();
    let before = site.page("/estudios/dos/");
    let text = std::fs::read_to_string(site.root().join("content/estudios/dos.md")).unwrap();
    site.write(
        "content/estudios/dos.md",
        &text.replace("../casos/uno.md)", "../casos/uno.md#no-existe)"),
    );
    let err = build(&site.opts()).unwrap_err();
    let ayni::Error::Content(diags) = err else {
        panic!("expected content errors, got {err}")
    };
    let broken: Vec<_> = diags.iter().filter(|d| d.code == "broken-anchor").collect();
    assert_eq!(broken.len(), 1, "{diags:?}");
    let shown = broken[0].render(false, ayni::messages::Lang::En);
    assert!(
        shown.contains("estudios/dos.md:12:") && shown.contains("#no-existe"),
        "{shown}"
    );
    assert_eq!(site.page("/estudios/dos/"), before);
    assert_no_staging_left(&site);
}

/// Pages go to the staging folder as they are rendered; a template that
/// fails on one kind of page, after others were written, must still leave
/// the previous site whole and no staging folder behind.
#[test]
fn failure_halfway_through_rendering_leaves_previous_output() {
    let site = Site::fixture("basic");
    site.build();
    let before = site.page("/casos/uno/");
    site.write(
        "templates/product.html",
        "{% extends \"base.html\" %}{% block content %}{{ product.no_such.field }}{% endblock content %}",
    );
    let err = build(&site.opts()).unwrap_err();
    match &err {
        ayni::Error::Template { template, page, .. } => {
            // Pages render in parallel: whichever product came first.
            assert_eq!(template, "product.html");
            assert!(page.starts_with("/casos/"), "{page}");
            // Tera's error is kept, and the message says what failed.
            assert!(std::error::Error::source(&err).is_some());
            assert!(err.to_string().contains("no_such"), "{err}");
        }
        _ => panic!("expected a template error, got {err}"),
    }
    assert_eq!(site.page("/casos/uno/"), before);
    assert_no_staging_left(&site);
}

#[test]
fn successful_rebuild_replaces_output_whole() {
    let site = Site::fixture("basic");
    site.build();
    std::fs::write(site.out().join("stale.html"), "x").unwrap();
    site.build();
    assert!(!site.out().join("stale.html").exists());
    assert!(site.out().join("index.html").exists());
}

#[test]
fn output_folder_may_not_hold_the_site() {
    let site = Site::fixture("basic");
    let mut opts = BuildOptions::new(site.root());
    opts.out = Some(site.root().to_path_buf());
    assert!(build(&opts).is_err());
    assert!(site.root().join("content/casos/uno.md").exists());
}

#[test]
fn front_matter_values_are_escaped() {
    let site = Site::fixture("basic");
    site.write(
        "content/casos/xss.md",
        "---\ntitle: \"<script>alert(1)</script>\"\nkind: study\ndate: 2014\nsummary: '\" onmouseover=\"x'\npartners: [ong-a]\nauthors: [\"<img src=x onerror=y>\"]\ntopics: [a]\n---\n",
    );
    site.build();
    let html = site.page("/casos/xss/");
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("\" onmouseover=\"x"));
}

/// Under a product's byline, a line says how many policy outcomes it fed
/// and leads to them, and a link leads to its facts and citation.
#[test]
fn product_header_leads_to_outcomes_and_facts() {
    let site = Site::fixture("basic");
    site.build();
    let one = site.page("/estudios/dos/");
    let header = between(&one, "<header class=\"product__header\">", "</header>");
    assert!(
        header.contains("<a class=\"product__outcomes\" href=\"#outcomes-title\">Contribuyó a 1 resultado de política</a>"),
        "{header}"
    );
    assert!(
        header.contains("<a class=\"product__facts-link\" href=\"#ficha\">Ficha y cómo citar</a>")
    );
    assert!(one.contains("id=\"outcomes-title\""));
    let side = between(
        &one,
        "<aside class=\"layout__side layout__side--sticky\" id=\"ficha\"",
        "</aside>",
    );
    assert!(side.contains("id=\"cite-title\""), "{side}");
    site.write(
        "content/estudios/dos.md",
        &std::fs::read_to_string(site.root().join("content/estudios/dos.md"))
            .unwrap()
            .replace("outcomes: [ley-1]", "outcomes: [ley-1, guia-2]"),
    );
    site.build();
    assert!(
        site.page("/estudios/dos/")
            .contains(">Contribuyó a 2 resultados de política</a>")
    );
    // Without outcomes, no line.
    let uno = site.page("/casos/bundle/");
    assert!(!uno.contains("product__outcomes"));
}

#[test]
fn product_page_main_snapshot() {
    let site = Site::fixture("basic");
    site.build();
    let html = site.page("/casos/uno/");
    let main = between(&html, "<main", "</main>");
    insta::assert_snapshot!(main);
}

#[test]
fn feeds_sitemap_and_robots() {
    let site = Site::fixture("basic");
    site.build();
    let feed = std::fs::read_to_string(site.out().join("feed.xml")).unwrap();
    assert!(feed.starts_with("<?xml"));
    assert!(feed.contains("<id>https://example.org/casos/uno/</id>"));
    assert!(
        feed.contains("<updated>2016-02-03T00:00:00Z</updated>"),
        "newest product first"
    );
    assert_eq!(feed.matches("<entry>").count(), 6);
    let partner = std::fs::read_to_string(site.out().join("partners/donante/feed.xml")).unwrap();
    assert_eq!(partner.matches("<entry>").count(), 2);
    let topic =
        std::fs::read_to_string(site.out().join("topics/gestion-del-conocimiento/feed.xml"))
            .unwrap();
    assert_eq!(topic.matches("<entry>").count(), 2);
    assert!(
        site.page("/partners/donante/")
            .contains("href=\"/partners/donante/feed.xml\"")
    );
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains(
            "<url><loc>https://example.org/casos/uno/</loc><lastmod>2014-06-01</lastmod></url>"
        ),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://example.org/partners/</loc>"));
    assert!(
        !sitemap.contains("viejo/caso-uno"),
        "aliases are redirects, not pages"
    );
    assert!(!sitemap.contains("/search/"));
    // The fixture has its own static/robots.txt, which wins.
    assert_eq!(
        std::fs::read_to_string(site.out().join("robots.txt")).unwrap(),
        "User-agent: *\n"
    );
    std::fs::remove_file(site.root().join("static/robots.txt")).unwrap();
    site.build();
    let robots = std::fs::read_to_string(site.out().join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn catalogue_as_data() {
    let site = Site::fixture("basic");
    site.build();
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(
            &std::fs::read_to_string(site.out().join(format!("api/{name}.json"))).unwrap(),
        )
        .unwrap()
    };
    let products = read("products");
    let uno = products["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "/casos/uno/")
        .unwrap();
    assert_eq!(uno["url"], "https://example.org/casos/uno/");
    assert_eq!(uno["date"], "2014-06");
    assert_eq!(
        uno["partners"][2],
        serde_json::json!({"id": "estado-b", "roles": ["publisher", "contributor"]})
    );
    assert_eq!(
        uno["outcomes"][1]["contribution"],
        "Aportó el estudio técnico."
    );
    assert_eq!(uno["topics"][0], "gestion-del-conocimiento");
    let partners = read("partners");
    let red = partners["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "red")
        .unwrap();
    assert_eq!(red["members"], serde_json::json!(["estado-b", "ong-a"]));
    let outcomes = read("outcomes");
    let ley = outcomes["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "ley-1")
        .unwrap();
    assert_eq!(ley["products"].as_array().unwrap().len(), 2);
    assert_eq!(ley["stage"], "decision");
}

#[test]
fn product_pages_carry_scholarly_metadata() {
    let site = Site::fixture("basic");
    site.build();
    let html = site.page("/casos/uno/");
    assert!(html.contains("<meta name=\"citation_title\" content=\"Caso uno: la red aprende\">"));
    assert!(html.contains("<meta name=\"citation_author\" content=\"Pérez, Ana\">"));
    assert!(html.contains("<meta name=\"citation_publication_date\" content=\"2014/06\">"));
    assert!(html.contains(
        "<meta name=\"citation_technical_report_institution\" content=\"Ministerio Beta\">"
    ));
    assert!(html.contains("<meta property=\"og:url\" content=\"https://example.org/casos/uno/\">"));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/casos/uno/\">"));
    let bundle = site.page("/casos/bundle/");
    assert!(bundle.contains(
        "<meta name=\"citation_pdf_url\" content=\"https://example.org/casos/bundle/guia.pdf\">"
    ));
    let ld = between(&html, "<script type=\"application/ld+json\">", "</script>");
    let ld: serde_json::Value =
        serde_json::from_str(ld.trim_start_matches("<script type=\"application/ld+json\">"))
            .unwrap();
    assert_eq!(ld["@type"], "Report");
    assert_eq!(ld["funder"][0]["name"], "Fondo Gamma");
    assert_eq!(ld["publisher"][0]["name"], "Ministerio Beta");
    assert_eq!(ld["inLanguage"], "es");
    let about = ld["about"].as_array().unwrap();
    assert!(
        about
            .iter()
            .any(|a| a["@type"] == "Legislation" && a["name"] == "Ley N.° 12345, Ley de prueba")
    );
}

#[test]
fn unchanged_site_is_not_built_again_and_its_output_stays_identical() {
    let site = Site::fixture("basic");
    let first = site.build();
    assert!(!first.up_to_date);
    let before = crate::serve::tree_of(&site.out());
    let second = site.build();
    assert!(
        second.up_to_date,
        "nothing changed, yet the site was built again"
    );
    assert_eq!(second.pages, first.pages);
    assert!(before == crate::serve::tree_of(&site.out()));
    // Against a clean build elsewhere: the kept output is what a build makes.
    let clean = tempfile::tempdir().unwrap();
    let mut opts = site.opts();
    opts.out = Some(clean.path().join("public"));
    opts.cache = Some(clean.path().join("cache"));
    ayni::build::build(&opts).unwrap();
    crate::serve::assert_same_tree("cached build", &site.out(), &clean.path().join("public"));

    // A changed source, or a damaged output, means a real build.
    site.write(
        "content/casos/uno.md",
        &std::fs::read_to_string(site.root().join("content/casos/uno.md"))
            .unwrap()
            .replace("Caso uno", "Caso 1"),
    );
    let third = site.build();
    assert!(!third.up_to_date);
    assert!(site.page("/casos/uno/").contains("Caso 1"));
    assert!(site.build().up_to_date);
    std::fs::remove_file(site.out().join("casos/uno/index.html")).unwrap();
    let fourth = site.build();
    assert!(!fourth.up_to_date);
    assert!(site.page("/casos/uno/").contains("Caso 1"));
}

#[test]
fn progress_bar_only_on_a_terminal() {
    let site = Site::fixture("basic");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("AYNI_PROGRESS_DELAY_MS", "0")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\r') && !err.contains("\x1b["), "{err:?}");
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("Sitio construido: ")
            && last.contains(" productos, ")
            && last.ends_with(" s"),
        "{last}"
    );

    // On a terminal (given by `script`), the bar is drawn and then cleared.
    if crate::tools::program("script", "apt-get install bsdutils").is_none() {
        return;
    }
    std::fs::remove_dir_all(site.root().join(".ayni-cache")).unwrap();
    let cmd = format!(
        "{} build --root {}",
        env!("CARGO_BIN_EXE_ayni"),
        site.root().display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("AYNI_PROGRESS_DELAY_MS", "0")
        .env("TERM", "xterm")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("render") && shown.contains("/6"),
        "{shown:?}"
    );
    assert!(shown.contains("Sitio construido: "), "{shown:?}");
}

/// Cards are made once per product with the theme's own `card` macro; a
/// site that overrides `macros.html` sees its card on every list, and its
/// own `card_list` may still call the macro itself.
#[test]
fn overridden_card_macro_is_shown_on_every_list() {
    let site = Site::fixture("basic");
    let macros =
        std::fs::read_to_string(repo_root().join("themes/default/templates/macros.html")).unwrap();
    let start = macros.find("{% macro card(").unwrap();
    let end = macros.find("{% endmacro card %}").unwrap();
    let custom = format!(
        "{}{}{}",
        &macros[..start],
        r#"{% macro card(p, t, heading="h3") %}<{{ heading }} class="mine">{{ p.title }}</{{ heading }}>{% endmacro card %}"#,
        &macros[end + "{% endmacro card %}".len()..]
    );
    site.write("templates/macros.html", &custom);
    site.build();
    let topic = site.page("/topics/gestion-del-conocimiento/");
    assert!(
        topic.contains("<h2 class=\"mine\">Caso uno: la red aprende</h2>"),
        "{topic}"
    );
    assert!(!topic.contains("class=\"card\""));
    let product = site.page("/casos/uno/");
    assert!(between(&product, "related-title", "</section>").contains("<h3 class=\"mine\">"));

    // A level no card was made at: the list calls the macro itself.
    let topic_template =
        std::fs::read_to_string(repo_root().join("themes/default/templates/topic.html")).unwrap();
    assert!(topic_template.contains("heading=\"h2\""));
    site.write(
        "templates/topic.html",
        &topic_template.replace("heading=\"h2\"", "heading=\"h4\""),
    );
    site.build();
    let topic = site.page("/topics/gestion-del-conocimiento/");
    assert!(
        topic.contains("<h4 class=\"mine\">Caso uno: la red aprende</h4>"),
        "{topic}"
    );
}

/// The default theme's lists show a card by its HTML alone; a site's own
/// list template still gets every field of a listed product's card.
#[test]
fn a_sites_own_list_template_reads_every_field_of_a_card() {
    let site = Site::fixture("basic");
    let topic_template =
        std::fs::read_to_string(repo_root().join("themes/default/templates/topic.html")).unwrap();
    let list = "{{ m::card_list(products=products, t=t, heading=\"h2\") }}";
    assert!(topic_template.contains(list));
    let own = r#"<ul id="own">{% for p in products %}<li>{{ p.title }} · {{ p.year }} · {{ p.kind_label }}{% if p.cards %} · html{% endif %}</li>{% endfor %}</ul>"#;
    site.write("templates/topic.html", &topic_template.replace(list, own));
    site.build();
    let topic = site.page("/topics/gestion-del-conocimiento/");
    let shown = between(&topic, "<ul id=\"own\">", "</ul>");
    assert!(
        shown.contains("<li>Caso uno: la red aprende · 20"),
        "{shown}"
    );
    assert!(shown.contains(" · html</li>"), "{shown}");
    // The default theme's other lists are as before.
    let product = site.page("/casos/uno/");
    assert!(between(&product, "related-title", "</section>").contains("class=\"card\""));
}

/// Editors' scratch files are no part of the site, wherever they are: not
/// published from `static/` or a theme, not read as templates, and they do
/// not make an unchanged site build again.
#[test]
fn editor_scratch_files_are_not_published() {
    let site = Site::fixture("basic");
    site.write("static/docs/guia.pdf~", "backup");
    site.write("static/docs/4913", "probe");
    site.write("static/docs/guia.pdf", "pdf");
    site.write("themes/default/static/css/.ayni.css.swp", "swap");
    site.write("templates/404.html~", "{{ broken");
    site.build();
    assert!(site.out().join("docs/guia.pdf").exists());
    for gone in ["docs/guia.pdf~", "docs/4913", "css/.ayni.css.swp"] {
        assert!(!site.out().join(gone).exists(), "{gone} was published");
    }
    site.write("content/casos/uno.md~", "copia");
    site.write("static/docs/.guia.pdf.swp", "swap");
    assert!(
        site.build().up_to_date,
        "a scratch file made the site build again"
    );
}

/// Runs `ayni build --root ROOT` with `args` and `env`; returns the exit
/// code and stderr.
fn ayni_build(root: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ayni"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .args(args)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn build_refuses_an_output_folder_that_is_not_its_own() {
    let site = Site::fixture("basic");
    let root = site.root();
    let theirs = tempfile::tempdir().unwrap();
    std::fs::write(theirs.path().join("tesis.docx"), "someone's work").unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let targets = [
        theirs.path().to_path_buf(),
        root.join("static"),
        root.join("content"),
        root.join("templates"),
        root.to_path_buf(),
        root.parent().unwrap().to_path_buf(),
        root.join(".git"),
        root.join(".git/public"),
        root.join(".ayni-cache"),
        "/".into(),
        "//".into(),
        home.into(),
    ];
    let before = std::fs::read_dir(root.join("static")).unwrap().count();
    for out in &targets {
        let (code, err) = ayni_build(root, &["--out", out.to_str().unwrap()], &[]);
        assert_eq!(code, 2, "--out {}: {err}", out.display());
        // The site is Spanish, and so is the refusal.
        assert!(
            err.contains("no se construye en") && err.contains("--out"),
            "--out {}: {err}",
            out.display()
        );
    }
    let home_out = targets.last().unwrap().to_str().unwrap();
    let (code, err) = ayni_build(root, &["--lang", "en", "--out", home_out], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("refusing to build into") && err.contains("it is the home folder"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(theirs.path().join("tesis.docx")).unwrap(),
        b"someone's work"
    );
    assert_eq!(
        std::fs::read_dir(root.join("static")).unwrap().count(),
        before
    );
    assert!(root.join("content/casos/uno.md").exists());
}

#[test]
fn build_replaces_only_empty_marked_or_earlier_outputs() {
    let site = Site::fixture("basic");
    let root = site.root();
    // New, empty, and the output of an earlier build (marked).
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    for out in [tmp.path().join("new/public"), empty.clone(), empty.clone()] {
        let (code, err) = ayni_build(root, &["--out", out.to_str().unwrap()], &[]);
        assert_eq!(code, 0, "--out {}: {err}", out.display());
        assert!(out.join(".ayni-output").is_file());
        assert!(out.join("index.html").is_file());
    }
    // The default public/ of a build made before outputs were marked.
    site.build();
    std::fs::remove_file(site.out().join(".ayni-output")).unwrap();
    // Builds of then wrote the search index's facets in this file.
    std::fs::write(site.out().join("search/facets.json"), "{}").unwrap();
    std::fs::write(site.out().join("stale.html"), "x").unwrap();
    let (code, err) = ayni_build(root, &[], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!site.out().join("stale.html").exists());
    assert!(site.out().join(".ayni-output").is_file());
}

/// Every file under `dir` but the hidden ones at its root, with its bytes.
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn a_build_killed_at_any_step_of_the_swap_leaves_a_whole_site() {
    let site = Site::fixture("basic");
    let root = site.root();
    let product = "content/casos/uno.md";
    let text = std::fs::read_to_string(root.join(product)).unwrap();
    for step in [
        "swap:staged",
        "swap:holder",
        "swap:moved-aside",
        "swap:renamed",
        "swap:removing",
        "swap:index",
    ] {
        std::fs::write(root.join(product), &text).unwrap();
        let (code, err) = ayni_build(root, &[], &[]);
        assert_eq!(code, 0, "{err}");
        let old = tree(&site.out());
        // Without the record of the last build, a build writes the whole
        // output and swaps it in.
        std::fs::remove_file(root.join(".ayni-cache/last-build.bin")).unwrap();
        site.write(
            product,
            &text.replacen("summary: Resumen del caso uno.", "summary: Nuevo.", 1),
        );
        let (code, _) = ayni_build(root, &[], &[("AYNI_FAULT", step)]);
        assert_ne!(code, 0, "{step}: the fault did not stop the build");
        let new = site.out().exists().then(|| tree(&site.out()));
        // The next build fails on content, yet must not lose the site.
        site.write(
            "content/casos/roto.md",
            "---\ntitle: x\nkind: studdy\n---\n",
        );
        let (code, err) = ayni_build(root, &[], &[]);
        assert_eq!(code, 1, "{step}: {err}");
        let after = tree(&site.out());
        assert!(
            after == old || Some(&after) == new.as_ref() && after.contains_key("index.html"),
            "{step}: public/ is neither the old site nor a whole new one: {:?}",
            after.keys().collect::<Vec<_>>()
        );
        assert!(after.contains_key("index.html") && after.contains_key("sitemap.xml"));
        std::fs::remove_file(root.join("content/casos/roto.md")).unwrap();
        let (code, err) = ayni_build(root, &[], &[]);
        assert_eq!(code, 0, "{step}: {err}");
        let leftovers: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public."))
            .collect();
        assert!(leftovers.is_empty(), "{step}: {leftovers:?}");
    }
}

#[test]
fn a_site_left_aside_by_a_killed_build_survives_a_build_that_fails() {
    let site = Site::fixture("basic");
    site.build();
    let old = tree(&site.out());
    // What a build killed between the swap's two renames leaves: the old
    // site moved aside by a process that is gone, and no public/.
    let aside = site.root().join(".public.old-999999999-x");
    std::fs::create_dir_all(&aside).unwrap();
    std::fs::rename(site.out(), aside.join("site")).unwrap();
    site.write(
        "content/casos/roto.md",
        "---\ntitle: x\nkind: studdy\n---\n",
    );
    let (code, err) = ayni_build(site.root(), &[], &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(tree(&site.out()), old, "the old site is lost");
}

/// Every file under `dir`: total bytes and count.
fn tree_size(dir: &std::path::Path) -> (u64, usize) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(bytes, n), e| {
            (bytes + e.metadata().map(|m| m.len()).unwrap_or(0), n + 1)
        })
}

/// A site whose one product lists `k` partners and `k` topics, and a second
/// product whose one partner is a network of those `k` partners.
fn wide_site(k: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("partners")).unwrap();
    std::fs::create_dir_all(content.join("casos")).unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: Escala\n").unwrap();
    let (mut ids, mut topics) = (String::new(), String::new());
    for i in 0..k {
        std::fs::write(
            content.join(format!("partners/p{i:05}.md")),
            format!("---\nname: Socio {i}\ntype: ngo\n---\n"),
        )
        .unwrap();
        ids.push_str(&format!("  - p{i:05}\n"));
        topics.push_str(&format!("  - Tema {i}\n"));
    }
    std::fs::write(
        content.join("partners/red.md"),
        format!("---\nname: Red\ntype: network\nmembers:\n{ids}---\n"),
    )
    .unwrap();
    std::fs::write(
        content.join("casos/grande.md"),
        format!(
            "---\ntitle: Grande\nkind: study\ndate: 2020\npartners:\n{ids}topics:\n{topics}---\nTexto.\n"
        ),
    )
    .unwrap();
    std::fs::write(
        content.join("casos/red.md"),
        "---\ntitle: De la red\nkind: study\ndate: 2021\npartners: [red]\ntopics: [Tema 1]\n---\nTexto.\n",
    )
    .unwrap();
    dir
}

#[test]
fn ten_thousand_partners_topics_and_members_build_in_linear_size() {
    let sizes: Vec<(u64, usize)> = [1_000, 10_000]
        .iter()
        .map(|&k| {
            let site = wide_site(k);
            // The bound is on size, not time: how long a build takes depends
            // on what else the machine runs.
            ayni::build::build(&ayni::build::BuildOptions::new(site.path())).unwrap();
            tree_size(&site.path().join("public"))
        })
        .collect();
    let (small, large) = (sizes[0].0, sizes[1].0);
    // Ten times the partners, about ten times the output: each partner's
    // page no longer lists every other partner of the product.
    assert!(
        large < small * 15,
        "1,000 partners: {small} bytes; 10,000 partners: {large} bytes"
    );
    assert!(large < 10_000 * 40_000, "{large} bytes for 10,000 partners");
}

/// A funder is credited apart ("Con apoyo de"), never as an author: not on
/// a card's byline, not among a feed entry's authors, not in a citation's
/// author field.
#[test]
fn funders_are_not_named_as_authors() {
    let site = Site::fixture("basic");
    // No people authors, so the citation's authors are the partners.
    site.write(
        "content/casos/financiado.md",
        "---\ntitle: Financiado\nkind: study\ndate: 2020\npartners:\n  - ong-a\n  - { id: donante, role: sponsor }\n  - { id: estado-b, role: publisher }\n  - { id: red, role: contributor }\n---\nTexto.\n",
    );
    site.build();
    let list = site.page("/partners/ong-a/");
    let card = between(&list, "/casos/financiado/", "</article>");
    let byline = between(card, "card__partners", "</p>");
    assert!(
        byline.contains("ONG Alfa") && byline.contains("MB"),
        "{byline}"
    );
    assert!(!byline.contains("Fondo Gamma"), "{byline}");
    assert!(
        card.contains("<p class=\"card__funders\">Con apoyo de Fondo Gamma</p>"),
        "{card}"
    );
    assert!(
        !card.contains("RA") && !card.contains("Red de Aprendizaje"),
        "a contributor is not on a card: {card}"
    );

    let page = site.page("/casos/financiado/");
    let header = between(&page, "product__byline", "</p>");
    assert!(header.contains("Con apoyo de"), "{header}");
    assert!(!between(header, "product__partners", "</span>").contains("Fondo Gamma"));
    assert!(!header.contains("/partners/red/"), "{header}");

    let feed = std::fs::read_to_string(site.out().join("feed.xml")).unwrap();
    let entry = between(&feed, "<title>Financiado</title>", "</entry>");
    let authors: Vec<&str> = entry
        .split("<author><name>")
        .skip(1)
        .filter_map(|s| s.split("</name>").next())
        .collect();
    assert_eq!(authors, ["ONG Alfa"], "{entry}");

    // The search page's result names them as the cards do.
    let result = std::fs::read_dir(site.out().join("search/d"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|t| serde_json::from_str::<serde_json::Value>(&t).unwrap())
        .find(|d| d["u"] == "/casos/financiado/")
        .unwrap();
    assert_eq!(
        result["p"],
        serde_json::json!(["ONG Alfa", "Ministerio Beta"])
    );
    assert_eq!(result["f"], serde_json::json!(["Fondo Gamma"]));

    let page = site.page("/casos/financiado/");
    let bib = between(&page, "data:application/x-bibtex;charset=utf-8,", "\"");
    let bib = percent_decode(bib);
    let author = between(&bib, "author", "\n");
    assert!(author.contains("ONG Alfa"), "{bib}");
    assert!(
        !author.contains("Fondo Gamma") && !author.contains("Ministerio Beta"),
        "{bib}"
    );
    assert!(!bib.contains("Fondo Gamma"), "{bib}");
    assert!(
        between(&bib, "institution", "\n").contains("Ministerio Beta"),
        "{bib}"
    );
}

/// A `data:` URL's percent-encoded text, decoded.
fn percent_decode(s: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = s.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        match (b, tail.get(..2)) {
            (b'%', Some(hex)) => {
                let hex = std::str::from_utf8(hex).unwrap();
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
                rest = &tail[2..];
            }
            _ => {
                bytes.push(b);
                rest = tail;
            }
        }
    }
    String::from_utf8(bytes).unwrap()
}

/// Outcomes read as words: a region's code as the place's name in the
/// interface language, no identifier that repeats the title, no "Otro" as
/// an instrument, each stage with a line saying what it means, and the
/// home page's board with every stage of the route, empty ones included.
#[test]
fn outcomes_are_shown_in_words() {
    let site = Site::fixture("basic");
    site.write(
        "content/outcomes/fondo-sam.md",
        "---\ntitle: Fondo regional de prueba\ninstrument: other\n\
         identifier: Ordenanza Regional 001-2020-GRSM\njurisdiction: PE-SAM\nstage: agenda\n---\n",
    );
    site.write(
        "content/outcomes/rof-are.md",
        "---\ntitle: Nuevo ROF de prueba\ninstrument: ordinance\n\
         identifier: Ordenanza Regional 002-2021-GRA\njurisdiction: PE-ARE\nstage: decision\n---\n",
    );
    site.build();
    let fondo = site.page("/outcomes/fondo-sam/");
    assert_eq!(
        kicker(&fondo),
        "San Martín, Perú",
        "a place, and no \"Otro\""
    );
    assert!(!fondo.contains("PE-SAM"), "the code is not shown");
    assert!(
        !fondo.contains(">Otro<"),
        "an unknown instrument is not shown"
    );
    assert!(fondo.contains("<dd>Ordenanza Regional 001-2020-GRSM</dd>"));
    assert!(
        fondo.contains("<strong>Agenda:</strong> El tema entró en la agenda"),
        "the stage reached, in words"
    );
    let ley = site.page("/outcomes/ley-1/");
    assert!(
        ley.contains("Ley · Perú"),
        "{}",
        between(&ley, "<header", "</header>")
    );
    assert!(
        !ley.contains("<dd>Ley N.° 12345</dd>"),
        "the identifier is in the title already"
    );

    let outcomes = site.page("/outcomes/");
    assert!(outcomes.contains("El cambio se aplica en la práctica."));
    assert!(outcomes.contains("San Martín, Perú · Ordenanza Regional 001-2020-GRSM · 0 productos"));
    assert!(outcomes.contains("Perú · Ley · 2010 · 2 productos"));
    assert!(
        outcomes.contains("Arequipa, Perú · Ordenanza Regional 002-2021-GRA · 0 productos"),
        "an identifier that names the instrument stands for both"
    );
    assert!(
        !outcomes.contains("id=\"stage-evidence\""),
        "the index lists stages with outcomes"
    );

    let home = site.page("/");
    let board = between(&home, "class=\"route route--board\"", "</ol>");
    for stage in [
        "Agenda",
        "Evidencia",
        "Propuesta",
        "Diálogo",
        "Decisión",
        "Implementación",
    ] {
        assert!(
            board.contains(&format!("<h3 class=\"route__label\">{stage} ")),
            "{stage}"
        );
    }
    assert!(
        !board.contains("Archivado"),
        "shelved only when an outcome is"
    );
    assert_eq!(
        board.matches("Ninguno aún").count(),
        3,
        "evidence, proposal, dialogue"
    );
    assert!(board.contains(
        "Fondo regional de prueba</a> <span class=\"route__place\">San Martín, Perú</span>"
    ));

    site.write("site.yaml", "title: Test network\nui_language: en\n");
    site.build();
    let fondo = site.page("/outcomes/fondo-sam/");
    assert_eq!(kicker(&fondo), "San Martín, Peru");
    assert_eq!(
        between(&site.page("/"), "class=\"route route--board\"", "</ol>")
            .matches("None yet")
            .count(),
        3
    );
}

fn kicker(html: &str) -> &str {
    let open = "page-header__kicker\">";
    &between(html, open, "</p>")[open.len()..]
}

/// Each output file's identity on disk: its inode and modification time,
/// which writing it anew (a new file renamed over it) changes.
#[cfg(unix)]
fn identities(
    dir: &std::path::Path,
) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.into_owned(), (m.ino(), m.modified().unwrap()))
        })
        .collect()
}

/// A clean build of `site` elsewhere, to compare a rebuild's output with.
fn clean_build(site: &Site) -> tempfile::TempDir {
    let clean = tempfile::tempdir().unwrap();
    let mut opts = site.opts();
    opts.out = Some(clean.path().join("public"));
    opts.cache = Some(clean.path().join("cache"));
    ayni::build::build(&opts).unwrap();
    clean
}

/// With the record of the build that made the output, a build renders and
/// writes only what an edit changed, in place; after every kind of edit its
/// output is byte for byte a clean build's.
#[cfg(unix)]
#[test]
fn a_rebuild_writes_only_what_changed_and_matches_a_clean_build() {
    let site = Site::fixture("basic");
    site.build();
    let uno = std::fs::read_to_string(site.root().join("content/casos/uno.md")).unwrap();
    let tres = "---\ntitle: Caso tres\nkind: case-study\ndate: 2015\npartners: [ong-a]\n---\nUn texto breve sobre riego.\n";
    let ong = std::fs::read_to_string(site.root().join("content/partners/ong-a.md")).unwrap();
    let version = |lang: &str, of: &str| {
        format!(
            "---\ntitle: Case one {lang}\nkind: case-study\ndate: 2014-06\nlanguage: {lang}\npartners: [ong-a]\n{of}---\nText.\n"
        )
    };
    type Edit<'a> = (&'a str, Box<dyn Fn(&Site) + 'a>, usize);
    let edits: Vec<Edit> = vec![
        (
            "a body",
            Box::new(|s| {
                s.write(
                    "content/casos/uno.md",
                    &uno.replace("Texto del contexto.", "Texto nuevo del contexto."),
                )
            }),
            12,
        ),
        (
            "a title",
            Box::new(|s| {
                s.write(
                    "content/casos/uno.md",
                    &uno.replace("Caso uno: la red aprende", "Caso 1: la red aprende"),
                )
            }),
            60,
        ),
        (
            "a new product",
            Box::new(|s| s.write("content/casos/tres.md", tres)),
            80,
        ),
        (
            "a removed product",
            Box::new(|s| std::fs::remove_file(s.root().join("content/casos/tres.md")).unwrap()),
            80,
        ),
        (
            "a partner's name",
            Box::new(|s| {
                s.write(
                    "content/partners/ong-a.md",
                    &ong.replace("name: ONG Alfa", "name: ONG Alfa Nueva"),
                )
            }),
            80,
        ),
        (
            "two translations",
            Box::new(|s| {
                s.write(
                    "content/casos/en.md",
                    &version("en", "translation_of: uno.md\n"),
                );
                s.write(
                    "content/casos/fr.md",
                    &version("fr", "translation_of: uno.md\n"),
                );
            }),
            80,
        ),
        (
            // The English page's file and the cards it shows stay as they
            // were; the version its links name as the original changes.
            "another original",
            Box::new(|s| {
                let path = s.root().join("content/casos/uno.md");
                let now = std::fs::read_to_string(path).unwrap();
                s.write(
                    "content/casos/uno.md",
                    &now.replacen("---\n", "---\ntranslation_of: fr.md\n", 1),
                );
                s.write("content/casos/fr.md", &version("fr", ""));
            }),
            80,
        ),
        (
            "a static file",
            Box::new(|s| s.write("static/extra.txt", "nuevo\n")),
            1,
        ),
        (
            "a static file that becomes a folder",
            Box::new(|s| {
                std::fs::remove_file(s.root().join("static/extra.txt")).unwrap();
                s.write("static/extra.txt/dentro.txt", "dentro\n");
            }),
            1,
        ),
        (
            "a folder that becomes a static file",
            Box::new(|s| {
                std::fs::remove_dir_all(s.root().join("static/extra.txt")).unwrap();
                s.write("static/extra.txt", "otra vez\n");
            }),
            1,
        ),
    ];
    for (what, edit, at_most) in edits {
        let before = identities(&site.out());
        edit(&site);
        let report = site.build();
        assert!(!report.up_to_date, "{what}");
        let clean = clean_build(&site);
        crate::serve::assert_same_tree(what, &site.out(), &clean.path().join("public"));
        let after = identities(&site.out());
        let written = after
            .iter()
            .filter(|(p, id)| before.get(*p) != Some(id))
            .count();
        assert!(written > 0, "{what}: nothing was written");
        assert!(
            written <= at_most && written * 3 < after.len(),
            "{what}: {written} of {} files written again",
            after.len()
        );
        assert_eq!(
            after.get(".ayni-output"),
            before.get(".ayni-output"),
            "{what}: the output was replaced whole"
        );
    }
    assert_no_staging_left(&site);
}

/// A rebuild killed while it moves its changed files into the output leaves
/// a mix of old and new files; the next build sees that the output is not
/// what its record says and writes it whole.
#[test]
fn a_rebuild_killed_while_updating_is_made_whole_by_the_next_build() {
    let site = Site::fixture("basic");
    let root = site.root();
    let text = std::fs::read_to_string(root.join("content/casos/uno.md")).unwrap();
    for step in ["update:staged", "update:moving"] {
        site.write("content/casos/uno.md", &text);
        let (code, err) = ayni_build(root, &[], &[]);
        assert_eq!(code, 0, "{err}");
        site.write(
            "content/casos/uno.md",
            &text.replace("Texto del contexto.", "Otro texto del contexto."),
        );
        let (code, _) = ayni_build(root, &[], &[("AYNI_FAULT", step)]);
        assert_ne!(code, 0, "{step}: the fault did not stop the build");
        let (code, err) = ayni_build(root, &[], &[]);
        assert_eq!(code, 0, "{step}: {err}");
        let clean = clean_build(&site);
        crate::serve::assert_same_tree(step, &site.out(), &clean.path().join("public"));
    }
    let leftovers: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
