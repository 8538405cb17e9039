//! Machine-readable outputs beside the pages: Atom feeds (site, each
//! partner, each topic), `sitemap.xml` and `robots.txt`.

use std::collections::HashSet;

use crate::build::write::OutputFile;
use crate::model::Site;
use crate::text::escape_html as esc;

/// How many entries a feed carries: readers want what is new.
const FEED_ENTRIES: usize = 50;

fn atom(site: &Site, path: &str, title: &str, products: &[usize]) -> String {
    let updated = products
        .iter()
        .map(|&i| site.products[i].meta.date)
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut x = String::with_capacity(1024 + products.len().min(FEED_ENTRIES) * 600);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        esc(&site.config.language)
    ));
    x.push_str(&format!("  <title>{}</title>\n", esc(title)));
    x.push_str(&format!("  <id>{}</id>\n", esc(&site.permalink(path))));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        esc(&site.permalink(&format!("{path}feed.xml")))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&site.permalink(path))
    ));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(&site.config.title)
    ));
    for &i in products.iter().take(FEED_ENTRIES) {
        let p = &site.products[i];
        let m = &p.meta;
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", esc(&m.title)));
        x.push_str(&format!("    <id>{}</id>\n", esc(&site.permalink(&p.path))));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            esc(&site.permalink(&p.path))
        ));
        x.push_str(&format!("    <updated>{}</updated>\n", m.date.rfc3339()));
        // Only the authors: a funder or a contributor listed here would
        // read as a co-author. Repeated in each partner's feed: see
        // `LISTED_PARTNERS`.
        let authors = crate::model::byline(p).authors;
        for pi in authors.iter().take(crate::model::LISTED_PARTNERS) {
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                esc(&site.partners[*pi].meta.name)
            ));
        }
        for &t in p.topics.iter().take(crate::model::LISTED_TOPICS) {
            x.push_str(&format!(
                "    <category term=\"{}\" label=\"{}\"/>\n",
                esc(&site.topics[t].slug),
                esc(&site.topics[t].title)
            ));
        }
        if let Some(s) = &m.summary {
            x.push_str(&format!("    <summary>{}</summary>\n", esc(s)));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The sitemap and the robots.txt that names it. `pages` are the URL
/// paths of the HTML pages rendered, for the sitemap.
pub fn sitemap_files(site: &Site, pages: &[String]) -> [OutputFile; 2] {
    let robots = OutputFile::text(
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            site.permalink("/sitemap.xml")
        ),
    );
    [sitemap(site, pages), robots]
}

/// The site's feed (if `site_feed`) and those of the partners and topics
/// (by index) named, or of every one for `None`.
pub fn feeds(
    site: &Site,
    site_feed: bool,
    partners: Option<&HashSet<usize>>,
    topics: Option<&HashSet<usize>>,
) -> Vec<OutputFile> {
    let mut out = Vec::new();
    if site_feed {
        let newest = site.newest_first();
        out.push(OutputFile::text(
            "feed.xml".into(),
            atom(site, "/", &site.config.title, &newest),
        ));
    }
    use rayon::prelude::*;
    let feed = |name: &str, path: &str, products: &[usize]| {
        let title = format!("{name} · {}", site.config.title);
        OutputFile::text(
            format!("{}feed.xml", path.trim_start_matches('/')),
            atom(site, path, &title, products),
        )
    };
    out.par_extend(
        site.partners
            .par_iter()
            .enumerate()
            .filter(|(i, _)| partners.is_none_or(|set| set.contains(i)))
            .map(|(_, p)| feed(&p.meta.name, &p.path, &p.products)),
    );
    out.par_extend(
        site.topics
            .par_iter()
            .enumerate()
            .filter(|(i, _)| topics.is_none_or(|set| set.contains(i)))
            .map(|(_, t)| feed(&t.title, &t.path, &t.products)),
    );
    out
}

/// `sitemap.xml`, listing `pages` (URL paths).
pub fn sitemap(site: &Site, pages: &[String]) -> OutputFile {
    // Product pages carry the date of their last commit, or else their
    // publication date.
    let lastmod: std::collections::HashMap<&str, String> = site
        .products
        .iter()
        .map(|p| {
            let date = match site.history.get(&p.meta.doc.rel) {
                Some(c) => c.datetime.clone(),
                None => p.meta.date.rfc3339()[..10].to_string(),
            };
            (p.path.as_str(), date)
        })
        .collect();
    let mut x = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    ));
    let search = format!("/{}/", site.config.paths.search);
    for path in pages {
        if path == &search {
            continue;
        }
        x.push_str(&format!("  <url><loc>{}</loc>", esc(&site.permalink(path))));
        if let Some(d) = lastmod.get(path.as_str()) {
            x.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    OutputFile::text("sitemap.xml".into(), x)
}
