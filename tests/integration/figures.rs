//! The drawn figures: the alliance network on the partner index, each
//! partner's neighbourhood, products per year on the home page, and the
//! size of the drawing for a big alliance.

use ayni::build::Content;
use ayni::build::{BuildOptions, build, render_site};

use crate::util::{between, read_page, repo_root};

fn sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = BuildOptions::new(repo_root());
    opts.out = Some(dir.path().join("public"));
    opts.cache = Some(dir.path().join("cache"));
    build(&opts).unwrap();
    let out = dir.path().join("public");
    (dir, out)
}

#[test]
fn partner_index_draws_the_alliance() {
    let (_dir, out) = sample();
    let html = read_page(&out, "/partners/");
    let svg = between(&html, "<svg class=\"network\"", "</svg>");
    assert!(svg.contains(
        "role=\"group\" aria-labelledby=\"network-title\" aria-describedby=\"network-desc\""
    ));
    assert!(svg.contains("<title id=\"network-title\">La alianza como red</title>"));
    assert!(svg.contains("<desc id=\"network-desc\">Cada círculo es un socio"));
    // Nodes link to partner pages, sized by products, coloured by type.
    assert!(svg.contains(
        "<a href=\"/partners/care-peru/\"><title>CARE Perú: 3 productos</title><circle class=\"net-n t-international-ngo\""
    ));
    // Edges: co-authors of CARE Perú are drawn, partners without products are not.
    assert!(svg.contains("<path class=\"net-e net-e1\" d=\"M"));
    assert!(
        svg.contains("<path class=\"net-e net-e2\" d=\"M"),
        "CARE Perú and CARE International share two"
    );
    assert!(!svg.contains("/partners/agrorural/"));
    // Labels for the larger nodes.
    assert!(svg.contains(">CARE Perú</text>"));
    // Legend and the text alternative.
    let legend = between(&html, "<ul class=\"legend\">", "</ul>");
    assert!(legend.contains("ONG internacional") && legend.contains("Entidad del Estado"));
    let table = between(&html, "<details class=\"details\">", "</details>");
    assert!(table.contains("<summary>Vínculos más fuertes, en una tabla</summary>"));
    assert!(table.contains(
        "<a href=\"/partners/care-international/\">CARE International</a> · <a href=\"/partners/care-peru/\">CARE Perú</a></td><td class=\"num\">2</td>"
    ), "{table}");
    assert!(!html.contains("figure__note"), "no cap on a small alliance");

    // The same site draws the same picture.
    let (_dir2, out2) = sample();
    assert_eq!(
        svg,
        between(
            &read_page(&out2, "/partners/"),
            "<svg class=\"network\"",
            "</svg>"
        )
    );
}

#[test]
fn partner_pages_draw_their_neighbourhood() {
    let (_dir, out) = sample();
    let html = read_page(&out, "/partners/care-peru/");
    let svg = between(&html, "<svg class=\"network\"", "</svg>");
    assert!(
        svg.contains("<title id=\"ego-title\">CARE Perú y los socios con los que publica</title>")
    );
    // The partner itself in the middle, marked, then every co-author.
    assert!(svg.contains("<a href=\"/partners/care-peru/\"><title>CARE Perú: 3 productos</title><circle class=\"net-n t-international-ngo net-c\" cx=\"360\""), "{svg}");
    for id in [
        "care-international",
        "aap",
        "care-caucaso",
        "care-zambia",
        "cni-peru",
        "km4dev",
        "mef",
    ] {
        assert!(
            svg.contains(&format!("<a href=\"/partners/{id}/\">")),
            "{id}"
        );
    }
    assert!(svg.contains("<title>CARE International: 2 productos en común</title>"));
    assert!(svg.contains("<title>CARE Zambia: 1 producto en común</title>"));
    assert_eq!(svg.matches("<circle").count(), 8);
    // A partner without co-authors has no drawing.
    assert!(!read_page(&out, "/partners/agrorural/").contains("<svg class=\"network\""));
    // One or two co-authors are named in a list, not drawn as two dots.
    for (id, named) in [("gpc", "Oxfam"), ("cni-peru", "CARE Perú")] {
        let html = read_page(&out, &format!("/partners/{id}/"));
        assert!(!html.contains("<svg class=\"network\""), "{id}");
        let list = between(&html, "id=\"coauthors-title\"", "</section>");
        assert!(list.contains(&format!(">{named}</a>")), "{id}: {list}");
    }
    // Three are drawn, and listed with their counts beside the drawing.
    let html = read_page(&out, "/partners/aap/");
    let svg = between(&html, "<svg class=\"network\"", "</svg>");
    // Each of the four is named inside the drawing, the top one too.
    assert_eq!(svg.matches("class=\"net-n ").count(), 4, "{svg}");
    assert_eq!(svg.matches("<text class=\"net-l\"").count(), 4, "{svg}");
    let list = between(&html, "id=\"coauthors-title\"", "</section>");
    assert_eq!(list.matches("<li>").count(), 3, "{list}");
}

/// The partner index leads with the partners who published, most products
/// first; those with none are behind their count; on a phone a ranked list
/// stands for the drawing.
#[test]
fn partner_index_leads_with_who_published() {
    let (_dir, out) = sample();
    let html = read_page(&out, "/partners/");
    let (listed, unlisted) = html
        .split_once("<details class=\"details unlisted\">")
        .unwrap();
    let listed = listed.split_once("id=\"group-1\"").unwrap().1;
    assert!(
        listed.starts_with(">ONG internacionales"),
        "{}",
        &listed[..80]
    );
    let counts: Vec<Vec<usize>> = listed
        .split("<section class=\"section\"")
        .map(|group| {
            group
                .split("class=\"partner-card__meta\">")
                .skip(1)
                .map(|meta| {
                    let meta = &meta[..meta.find("</span>").unwrap()];
                    let n = meta.split(" producto").next().unwrap();
                    n.rsplit(' ').next().unwrap().parse().unwrap()
                })
                .collect()
        })
        .collect();
    assert_eq!(counts[0], [4, 3, 2, 2, 1, 1], "{counts:?}");
    for group in &counts {
        assert!(group.iter().all(|&n| n > 0), "{counts:?}");
        assert!(group.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    }
    let shown: usize = counts.iter().map(Vec::len).sum();
    let summary = &between(unlisted, "<summary>", "</summary>")["<summary>".len()..];
    let hidden: usize = summary.split(' ').next().unwrap().parse().unwrap();
    assert_eq!(summary, format!("{hidden} socios sin productos aún"));
    assert_eq!(unlisted.matches("class=\"partner-card\"").count(), hidden);
    assert_eq!(shown + hidden, 54);
    assert!(unlisted.contains("/partners/agrorural/") && !listed.contains("/partners/agrorural/"));
    let ranked = between(&html, "<div class=\"network-ranked\">", "</div>");
    assert!(
        ranked.contains("<li><a href=\"/partners/care-international/\">CARE International</a> <span class=\"count-list__n\">4 productos, con 10 socios</span></li>"),
        "{ranked}"
    );
    assert_eq!(ranked.matches("<li>").count(), 6);
}

#[test]
fn home_page_charts_products_per_year() {
    let (_dir, out) = sample();
    let html = read_page(&out, "/");
    let svg = between(&html, "<svg class=\"chart\"", "</svg>");
    assert!(svg.contains("viewBox=\"0 0 320 150\" role=\"img\" aria-labelledby=\"years-chart-title years-chart-desc\""));
    assert!(svg.contains("<title id=\"years-chart-title\">Productos por año</title>"));
    // 2013 to 2017, with 2016 as a gap.
    assert_eq!(svg.matches("<rect").count(), 4);
    assert!(svg.contains("<title>2017: 5 productos</title>"));
    assert!(svg.contains("<title>2013: 1 producto</title>"));
    assert!(svg.contains(">2016</text>"));
    // The numbers are also in the page as links.
    assert!(html.contains("<a href=\"/years/2017/\">2017</a> <span class=\"count\">5</span>"));
}

/// A generated alliance of `partners` partners and `products` products,
/// each product by three partners.
fn big_site(partners: usize, products: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("site.yaml"),
        "title: Grande\nbase_url: https://example.org/\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/partners")).unwrap();
    std::fs::create_dir_all(root.join("content/estudios")).unwrap();
    let types = ["ngo", "state", "donor", "research", "network"];
    for i in 0..partners {
        std::fs::write(
            root.join(format!("content/partners/p{i:03}.md")),
            format!(
                "---\nname: Socio número {i}\ntype: {}\n---\n",
                types[i % types.len()]
            ),
        )
        .unwrap();
    }
    for k in 0..products {
        // Skewed: low ids write much more, as real alliances do.
        let a = (k * k) % partners.min(40);
        let b = (k * 7 + 3) % partners;
        let c = (k * 13 + 11) % partners;
        let mut ids = vec![a, b, c];
        ids.sort();
        ids.dedup();
        let list: Vec<String> = ids.iter().map(|i| format!("p{i:03}")).collect();
        std::fs::write(
            root.join(format!("content/estudios/e{k:05}.md")),
            format!(
                "---\ntitle: Estudio {k}\nkind: study\ndate: {}\nsummary: Un estudio.\ntopics: [tema]\npartners: [{}]\n---\nTexto.\n",
                1990 + k % 35,
                list.join(", ")
            ),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_big_alliance_draws_a_small_picture() {
    let dir = big_site(500, 3000);
    let rendered = render_site(&BuildOptions::new(dir.path())).unwrap();
    assert!(!rendered.has_errors());
    let page = rendered
        .files
        .iter()
        .find(|f| f.path == "partners/index.html")
        .unwrap();
    let Content::Bytes(bytes) = &page.content else {
        panic!("pages are rendered in memory")
    };
    let html = String::from_utf8_lossy(bytes);
    let svg = between(&html, "<svg class=\"network\"", "</svg>");
    assert!(svg.len() < 40_000, "{} bytes", svg.len());
    assert_eq!(svg.matches("<circle").count(), 60);
    assert!(html.contains("Se muestran los 60 socios con más productos, de 500."));
    let home = rendered
        .files
        .iter()
        .find(|f| f.path == "index.html")
        .unwrap();
    let Content::Bytes(home) = &home.content else {
        panic!()
    };
    let chart = String::from_utf8_lossy(home);
    assert_eq!(
        between(&chart, "<svg class=\"chart\"", "</svg>")
            .matches("<rect")
            .count(),
        35
    );
}
