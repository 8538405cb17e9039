//! Reciprocal `hreflang` links between the language versions of a product.

use crate::util::Site;

fn alternates(html: &str) -> Vec<String> {
    html.lines()
        .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_version_links_every_other_and_the_original() {
    let site = Site::fixture("translated");
    site.build();
    let expected = [
        "<link rel=\"alternate\" hreflang=\"es\" href=\"https://example.org/informes/informe/\">",
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/informes/report/\">",
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/informes/rapport/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/informes/informe/\">",
    ];
    // Both directions: the original names its translations, each
    // translation names the original and its sibling.
    for page in [
        "/informes/informe/",
        "/informes/report/",
        "/informes/rapport/",
    ] {
        let html = site.page(page);
        assert_eq!(alternates(&html), expected, "{page}");
        assert_eq!(html.matches("hreflang=\"x-default\"").count(), 1, "{page}");
    }
    assert!(alternates(&site.page("/informes/solo/")).is_empty());
    // The panel of translations lists every other version too, siblings
    // included: `rapport` and `report` are both translations of `informe`.
    // Related products leave the translations to that panel: the one
    // other product of the site is the only related one.
    for page in [
        "/informes/informe/",
        "/informes/report/",
        "/informes/rapport/",
    ] {
        let html = site.page(page);
        let related =
            crate::util::between(&html, "<section class=\"section related\"", "</section>");
        let links = crate::util::links(related);
        assert!(
            links.iter().any(|l| l == "/informes/solo/"),
            "{page}: {links:?}"
        );
        for other in [
            "/informes/informe/",
            "/informes/report/",
            "/informes/rapport/",
        ] {
            assert!(!links.iter().any(|l| l == other), "{page} relates {other}");
        }
    }
    for (page, others) in [
        (
            "/informes/rapport/",
            ["/informes/informe/", "/informes/report/"],
        ),
        (
            "/informes/report/",
            ["/informes/informe/", "/informes/rapport/"],
        ),
        (
            "/informes/informe/",
            ["/informes/report/", "/informes/rapport/"],
        ),
    ] {
        let html = site.page(page);
        let panel = crate::util::between(&html, "<section class=\"panel\">", "</section>");
        for other in others {
            assert!(
                panel.contains(&format!("href=\"{other}\"")),
                "{page} lacks {other}: {panel}"
            );
        }
    }
}

#[test]
fn x_default_is_the_original_even_in_another_language() {
    let site = Site::fixture("translated");
    // Make the English version the original and the Spanish one its translation.
    let informe = std::fs::read_to_string(site.root().join("content/informes/informe.md"))
        .unwrap()
        .replace(
            "topics: [incidencia]\n",
            "topics: [incidencia]\ntranslation_of: report.md\n",
        );
    site.write("content/informes/informe.md", &informe);
    for f in ["report.md", "rapport.md"] {
        let text = std::fs::read_to_string(site.root().join("content/informes").join(f))
            .unwrap()
            .replace(
                "translation_of: informe.md\n",
                if f == "rapport.md" {
                    "translation_of: report.md\n"
                } else {
                    ""
                },
            );
        site.write(&format!("content/informes/{f}"), &text);
    }
    site.build();
    for page in [
        "/informes/informe/",
        "/informes/report/",
        "/informes/rapport/",
    ] {
        let html = site.page(page);
        assert!(
            html.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/informes/report/\">"),
            "{page}"
        );
        assert_eq!(alternates(&html).len(), 4, "{page}");
    }
}
