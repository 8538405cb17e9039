//! Citations of each product in the formats reference managers read:
//! BibTeX, RIS and CSL-JSON, plus the short reference shown in the page's
//! "Cite" box. The three downloads are `data:` links in the page itself;
//! with `citation_files: true` in `site.yaml` they are also files beside
//! the page (`cite.bib`, `cite.ris`, `cite.json`), as before.

use serde::Serialize;
use serde_json::{Value, json};

use crate::build::write::{Content, OutputFile};
use crate::model::{Product, Site};

/// A name as reference managers want it: a person split in family and
/// given names (the last word is taken as the family name), or an
/// organisation kept whole.
enum Name {
    Person { family: String, given: String },
    Org(String),
}

fn names(site: &Site, p: &Product) -> Vec<Name> {
    if !p.meta.authors.is_empty() {
        return p
            .meta
            .authors
            .iter()
            .map(|a| {
                let parts: Vec<&str> = a.name.split_whitespace().collect();
                match parts.split_last() {
                    Some((family, given)) if !given.is_empty() => Name::Person {
                        family: family.to_string(),
                        given: given.join(" "),
                    },
                    _ => Name::Org(a.name.clone()),
                }
            })
            .collect();
    }
    crate::model::byline(p)
        .authors
        .iter()
        .map(|&i| Name::Org(site.partners[i].meta.name.clone()))
        .collect()
}

/// The publishing institution: `source.publisher` (a partner id or text),
/// else the partners with the publisher role.
fn publisher(site: &Site, p: &Product) -> Option<String> {
    if let Some(pb) = p.meta.source.as_ref().and_then(|s| s.publisher.as_ref()) {
        return Some(
            site.partner(pb)
                .map(|x| x.meta.name.clone())
                .unwrap_or_else(|| pb.clone()),
        );
    }
    let list: Vec<String> = crate::model::byline(p)
        .publisher
        .iter()
        .map(|&i| site.partners[i].meta.name.clone())
        .collect();
    (!list.is_empty()).then(|| list.join(" and "))
}

fn full_title(p: &Product) -> String {
    match &p.meta.subtitle {
        Some(s) => format!("{}: {}", p.meta.title, s),
        None => p.meta.title.clone(),
    }
}

fn is_article(p: &Product) -> bool {
    p.meta.source.as_ref().is_some_and(|s| s.journal.is_some())
}

fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' | '%' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '{' | '}' => {}
            c => out.push(c),
        }
    }
    out
}

const BIB_MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

pub fn bibtex(site: &Site, p: &Product) -> String {
    let m = &p.meta;
    let key = format!("{}{}", p.meta.slug.replace('-', ""), m.date.year);
    let authors: Vec<String> = names(site, p)
        .into_iter()
        .map(|n| match n {
            Name::Person { family, given } => {
                format!("{}, {}", bib_escape(&family), bib_escape(&given))
            }
            // Double braces keep an organisation from being split into names.
            Name::Org(o) => format!("{{{}}}", bib_escape(&o)),
        })
        .collect();
    let mut fields: Vec<(&str, String)> =
        vec![("title", format!("{{{}}}", bib_escape(&full_title(p))))];
    if !authors.is_empty() {
        fields.push(("author", authors.join(" and ")));
    }
    fields.push(("year", m.date.year.to_string()));
    if let Some(mo) = m.date.month {
        fields.push(("month", BIB_MONTHS[mo as usize - 1].to_string()));
    }
    let src = m.source.clone().unwrap_or_default();
    if is_article(p) {
        fields.push(("journal", bib_escape(src.journal.as_deref().unwrap_or(""))));
        if let Some(v) = &src.volume {
            fields.push(("volume", bib_escape(v)));
        }
        if let Some(v) = &src.issue {
            fields.push(("number", bib_escape(v)));
        }
        if let Some(v) = &src.pages {
            fields.push(("pages", bib_escape(&v.replace('-', "--"))));
        }
    } else {
        if let Some(pb) = publisher(site, p) {
            fields.push(("institution", format!("{{{}}}", bib_escape(&pb))));
        }
        if let Some(n) = &src.number {
            fields.push(("number", bib_escape(n)));
        }
    }
    if let Some(v) = &src.place {
        fields.push(("address", bib_escape(v)));
    }
    if let Some(v) = &src.doi {
        fields.push(("doi", bib_escape(v)));
    }
    fields.push(("url", site.permalink(&p.path)));
    fields.push(("language", m.language.clone()));
    if let Some(s) = &m.summary {
        fields.push(("abstract", bib_escape(s)));
    }
    let kind = if is_article(p) {
        "article"
    } else {
        "techreport"
    };
    let mut out = format!("@{kind}{{{key},\n");
    for (k, v) in fields {
        if k == "month" {
            out.push_str(&format!("  {k} = {v},\n"));
        } else {
            out.push_str(&format!("  {k} = {{{v}}},\n"));
        }
    }
    out.push_str("}\n");
    out
}

pub fn ris(site: &Site, p: &Product) -> String {
    let m = &p.meta;
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut add =
        |tag: &str, v: String| lines.push((tag.to_string(), v.replace(['\n', '\r'], " ")));
    add("TY", if is_article(p) { "JOUR" } else { "RPRT" }.into());
    add("TI", full_title(p));
    for n in names(site, p) {
        match n {
            Name::Person { family, given } => add("AU", format!("{family}, {given}")),
            Name::Org(o) => add("AU", o),
        }
    }
    add("PY", m.date.year.to_string());
    add(
        "DA",
        format!(
            "{:04}/{}/{}/",
            m.date.year,
            m.date.month.map(|x| format!("{x:02}")).unwrap_or_default(),
            m.date.day.map(|x| format!("{x:02}")).unwrap_or_default()
        ),
    );
    let src = m.source.clone().unwrap_or_default();
    if is_article(p) {
        add("JO", src.journal.clone().unwrap_or_default());
        if let Some(v) = &src.volume {
            add("VL", v.clone());
        }
        if let Some(v) = &src.issue {
            add("IS", v.clone());
        }
        if let Some(v) = &src.pages {
            let (sp, ep) = v.split_once('-').unwrap_or((v, ""));
            add("SP", sp.trim().into());
            if !ep.trim().is_empty() {
                add("EP", ep.trim().into());
            }
        }
    } else if let Some(pb) = publisher(site, p) {
        add("PB", pb);
    }
    if let Some(v) = &src.place {
        add("CY", v.clone());
    }
    if let Some(v) = &src.doi {
        add("DO", v.clone());
    }
    add("UR", site.permalink(&p.path));
    add("LA", m.language.clone());
    if let Some(s) = &m.summary {
        add("AB", s.clone());
    }
    for &t in &p.topics {
        add("KW", site.topics[t].title.clone());
    }
    let mut out = String::new();
    for (tag, v) in lines {
        out.push_str(&format!("{tag}  - {v}\r\n"));
    }
    out.push_str("ER  - \r\n");
    out
}

pub fn csl(site: &Site, p: &Product) -> Value {
    let m = &p.meta;
    let authors: Vec<Value> = names(site, p)
        .into_iter()
        .map(|n| match n {
            Name::Person { family, given } => json!({"family": family, "given": given}),
            Name::Org(o) => json!({"literal": o}),
        })
        .collect();
    let mut parts = vec![m.date.year as u32];
    if let Some(mo) = m.date.month {
        parts.push(mo as u32);
        if let Some(d) = m.date.day {
            parts.push(d as u32);
        }
    }
    let src = m.source.clone().unwrap_or_default();
    let mut o = serde_json::Map::new();
    o.insert(
        "id".into(),
        json!(p.path.trim_matches('/').replace('/', "-")),
    );
    let kind = if is_article(p) {
        "article-journal"
    } else {
        "report"
    };
    o.insert("type".into(), json!(kind));
    o.insert("title".into(), json!(full_title(p)));
    o.insert("author".into(), json!(authors));
    o.insert("issued".into(), json!({"date-parts": [parts]}));
    o.insert("URL".into(), json!(site.permalink(&p.path)));
    o.insert("language".into(), json!(m.language));
    let mut put = |k: &str, val: Option<String>| {
        if let Some(val) = val {
            o.insert(k.into(), json!(val));
        }
    };
    put("abstract", m.summary.clone());
    put("container-title", src.journal.clone());
    put("volume", src.volume.clone());
    put("issue", src.issue.clone());
    put("page", src.pages.clone());
    put("DOI", src.doi.clone());
    put("publisher-place", src.place.clone());
    if !is_article(p) {
        put("publisher", publisher(site, p));
    }
    json!([Value::Object(o)])
}

/// The reference shown in the page, in an author-date style.
pub fn formatted(site: &Site, p: &Product) -> String {
    let m = &p.meta;
    let who: Vec<String> = names(site, p)
        .into_iter()
        .map(|n| match n {
            Name::Person { family, given } => {
                let initials: Vec<String> = given
                    .split_whitespace()
                    .filter_map(|g| g.chars().next().map(|c| format!("{c}.")))
                    .collect();
                format!("{family}, {}", initials.join(" "))
            }
            Name::Org(o) => o,
        })
        .collect();
    let mut s = String::new();
    if !who.is_empty() {
        s.push_str(&who.join("; "));
        s.push(' ');
    }
    s.push_str(&format!("({}). {}.", m.date.year, full_title(p)));
    let src = m.source.clone().unwrap_or_default();
    if let Some(j) = &src.journal {
        s.push_str(&format!(" {j}"));
        if let Some(v) = &src.volume {
            s.push_str(&format!(", {v}"));
            if let Some(i) = &src.issue {
                s.push_str(&format!("({i})"));
            }
        }
        if let Some(pg) = &src.pages {
            s.push_str(&format!(", {pg}"));
        }
        s.push('.');
    } else if let Some(pb) = publisher(site, p) {
        s.push_str(&format!(" {pb}."));
    }
    s.push(' ');
    s.push_str(&site.permalink(&p.path));
    s
}

/// The citation files of the products at `which` (indices into the site's).
pub fn files(site: &Site, which: &[usize]) -> Vec<OutputFile> {
    use rayon::prelude::*;
    // In parallel: made after the pages (a build that writes pages as it
    // makes them writes these with each page instead), on one thread they
    // were seconds of one busy core at 100,000 products.
    which
        .par_iter()
        .flat_map_iter(|&i| product_files(site, &site.products[i]))
        .collect()
}

/// One of the Cite box's downloads: what it is called, where it is, and
/// the name a browser saves it under.
#[derive(Debug, Serialize, Hash)]
pub struct CiteDownload {
    pub label: &'static str,
    /// A `data:` URL holding the citation, or the file beside the page.
    /// Only URL characters that need no HTML escaping are left unencoded.
    pub href: String,
    pub file: String,
}

/// The Cite box's three downloads. In the page itself by default: three
/// files per product were a sixth of the files a 10,000-product site
/// wrote, each a few hundred bytes the kernel creates and the disk keeps,
/// for a download few readers make; the page carries the same bytes, about
/// 1 KB gzipped, and reference managers read the page's tags anyway.
pub fn downloads(site: &Site, p: &Product) -> [CiteDownload; 3] {
    let slug = p
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    let slug = if slug.is_empty() { "cite" } else { slug };
    let csl_text = serde_json::to_string(&csl(site, p)).unwrap_or_default();
    let made = [
        ("BibTeX", "bib", "application/x-bibtex", bibtex(site, p)),
        (
            "RIS",
            "ris",
            "application/x-research-info-systems",
            ris(site, p),
        ),
        (
            "CSL-JSON",
            "json",
            "application/vnd.citationstyles.csl+json",
            csl_text,
        ),
    ];
    made.map(|(label, ext, mime, text)| CiteDownload {
        label,
        href: if site.config.citation_files {
            format!("{}cite.{ext}", site.href(&p.path))
        } else {
            data_url(mime, &text)
        },
        file: format!("{slug}.{ext}"),
    })
}

/// `text` as a `data:` URL, percent-encoding every byte but those that are
/// safe both in a URL and unescaped in an HTML attribute.
fn data_url(mime: &str, text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = format!("data:{mime};charset=utf-8,");
    out.reserve(text.len() * 2);
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'_' | b'.' | b'~' | b'(' | b')' | b'*' | b'!' | b',' | b';' | b':' | b'@' => {
                out.push(b as char)
            }
            b'=' | b'+' | b'$' | b'/' | b'?' => out.push(b as char),
            // Written by hand: `format!` for each byte was most of the
            // time a product's page took to key.
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
    out
}

/// The citation files of one product: `cite.bib`, `cite.ris` and
/// `cite.json` beside its page, when the site keeps them as files.
pub fn product_files(site: &Site, p: &Product) -> [OutputFile; 3] {
    let dir = p.path.trim_start_matches('/');
    [
        OutputFile {
            path: format!("{dir}cite.bib"),
            content: Content::Bytes(bibtex(site, p).into_bytes()),
        },
        OutputFile {
            path: format!("{dir}cite.ris"),
            content: Content::Bytes(ris(site, p).into_bytes()),
        },
        OutputFile {
            path: format!("{dir}cite.json"),
            content: Content::Bytes(serde_json::to_vec_pretty(&csl(site, p)).unwrap_or_default()),
        },
    ]
}

/// `hreflang` links between the versions of product `start` in different
/// languages (found by its index: looking it up by path, for each page,
/// was quadratic in the products): every version lists all of them, itself included, and
/// `x-default` names the original (the version that is not a
/// `translation_of` another). Search engines ignore a set unless each
/// page links back, so the set is the whole group of translations, not
/// only this page's direct ones.
pub fn alternates(site: &Site, start: usize) -> String {
    use crate::text::escape_html as esc;
    if site.products[start].translations.is_empty() {
        return String::new();
    }
    let mut group = vec![start];
    let mut next = 0;
    while next < group.len() {
        for &t in &site.products[group[next]].translations {
            if !group.contains(&t) {
                group.push(t);
            }
        }
        next += 1;
    }
    // The original first, then by language and path, so that output does
    // not depend on which version is being rendered.
    let original = |i: usize| site.products[i].meta.translation_of.is_none();
    group.sort_by(|&a, &b| {
        let (pa, pb) = (&site.products[a], &site.products[b]);
        original(b)
            .cmp(&original(a))
            .then_with(|| {
                (pa.meta.language == site.config.language)
                    .cmp(&(pb.meta.language == site.config.language))
                    .reverse()
            })
            .then_with(|| pa.meta.language.cmp(&pb.meta.language))
            .then_with(|| pa.path.cmp(&pb.path))
    });
    let mut out = String::new();
    let mut seen = std::collections::HashSet::new();
    let link = |lang: &str, path: &str| {
        format!(
            "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">\n",
            esc(lang),
            esc(&site.permalink(path))
        )
    };
    for &i in &group {
        let q = &site.products[i];
        // Two versions in one language would contradict each other.
        if seen.insert(q.meta.language.as_str()) {
            out.push_str(&link(&q.meta.language, &q.path));
        }
    }
    out.push_str(&link("x-default", &site.products[group[0]].path));
    out
}

/// `<meta>` tags and JSON-LD for product `i`'s page: Highwire `citation_*`
/// (read by Google Scholar), Dublin Core, OpenGraph, and schema.org.
pub fn head_tags(site: &Site, i: usize) -> String {
    let p = &site.products[i];
    let mut out = alternates(site, i);
    highwire(&mut out, site, p);
    dublin_core(&mut out, site, p);
    open_graph(&mut out, site, p);
    out.push_str(&json_ld(site, p));
    out
}

/// A `<meta>` element: `attr` is `name` or `property`.
fn meta_tag(out: &mut String, attr: &str, name: &str, content: &str) {
    out.push_str(&format!(
        "<meta {attr}=\"{name}\" content=\"{}\">\n",
        crate::text::escape_html(content)
    ));
}

/// The Highwire Press tags Google Scholar and Zotero read.
fn highwire(out: &mut String, site: &Site, p: &Product) {
    let m = &p.meta;
    let mut meta = |name: &str, content: &str| meta_tag(out, "name", name, content);
    meta("citation_title", &full_title(p));
    for n in names(site, p) {
        match n {
            Name::Person { family, given } => {
                meta("citation_author", &format!("{family}, {given}"))
            }
            Name::Org(o) => meta("citation_author", &o),
        }
    }
    let date = format!(
        "{:04}/{}/{}",
        m.date.year,
        m.date.month.map(|x| format!("{x:02}")).unwrap_or_default(),
        m.date.day.map(|x| format!("{x:02}")).unwrap_or_default()
    );
    meta("citation_publication_date", date.trim_end_matches('/'));
    meta("citation_language", &m.language);
    let src = m.source.clone().unwrap_or_default();
    if let Some(j) = &src.journal {
        meta("citation_journal_title", j);
        if let Some(v) = &src.volume {
            meta("citation_volume", v);
        }
        if let Some(v) = &src.issue {
            meta("citation_issue", v);
        }
        if let Some(pg) = &src.pages {
            let (a, b) = pg.split_once('-').unwrap_or((pg, ""));
            meta("citation_firstpage", a.trim());
            if !b.trim().is_empty() {
                meta("citation_lastpage", b.trim());
            }
        }
    } else if let Some(pb) = publisher(site, p) {
        meta("citation_technical_report_institution", &pb);
    }
    if let Some(d) = &src.doi {
        meta("citation_doi", d);
    }
    for f in p
        .files
        .iter()
        .filter(|f| f.name.to_ascii_lowercase().ends_with(".pdf"))
    {
        meta("citation_pdf_url", &site.permalink(&f.path));
    }
}

/// The Dublin Core tags.
fn dublin_core(out: &mut String, site: &Site, p: &Product) {
    let m = &p.meta;
    meta_tag(out, "name", "DC.title", &full_title(p));
    meta_tag(out, "name", "DC.date", &m.date.iso());
    meta_tag(out, "name", "DC.language", &m.language);
    meta_tag(out, "name", "DC.type", "Text");
    for (i, _) in &p.partners {
        meta_tag(out, "name", "DC.contributor", &site.partners[*i].meta.name);
    }
}

/// The Open Graph tags link previews read.
fn open_graph(out: &mut String, site: &Site, p: &Product) {
    let m = &p.meta;
    let mut prop = |name: &str, content: &str| meta_tag(out, "property", name, content);
    prop("og:type", "article");
    prop("og:title", &m.title);
    prop("og:url", &site.permalink(&p.path));
    prop("og:site_name", &site.config.title);
    prop(
        "og:locale",
        if m.language == "en" { "en_US" } else { "es_PE" },
    );
    if let Some(s) = &m.summary {
        prop("og:description", s);
    }
}

/// The product as schema.org JSON-LD, in a script element.
fn json_ld(site: &Site, p: &Product) -> String {
    let m = &p.meta;
    let org = |i: usize| {
        let pm = &site.partners[i].meta;
        json!({"@type": "Organization", "name": pm.name, "url": site.permalink(&site.partners[i].path)})
    };
    let with_role = |role: &str| -> Vec<Value> {
        p.partners
            .iter()
            .filter(|(_, roles)| roles.iter().any(|r| r == role))
            .map(|(i, _)| org(*i))
            .collect()
    };
    let mut authors: Vec<Value> = m
        .authors
        .iter()
        .map(|a| json!({"@type": "Person", "name": a.name}))
        .collect();
    let byline = crate::model::byline(p);
    authors.extend(byline.authors.iter().map(|&i| org(i)));
    let about: Vec<Value> = p
        .outcomes
        .iter()
        .map(|(o, _)| {
            let om = &site.outcomes[*o].meta;
            let kind = match om.instrument.as_deref() {
                Some("law" | "regulation" | "ordinance") => "Legislation",
                _ => "Thing",
            };
            json!({"@type": kind, "name": om.title, "url": site.permalink(&site.outcomes[*o].path)})
        })
        .chain(
            p.topics
                .iter()
                .map(|&t| json!({"@type": "Thing", "name": site.topics[t].title})),
        )
        .collect();
    let places: Vec<Value> = m
        .countries
        .iter()
        .chain(m.regions.iter())
        .map(|c| json!({"@type": "Place", "name": crate::model::countries::name(c, "en").unwrap_or(c)}))
        .collect();
    let ld = json!({
        "@context": "https://schema.org",
        "@type": if is_article(p) { "ScholarlyArticle" } else { "Report" },
        "name": full_title(p),
        "headline": m.title,
        "url": site.permalink(&p.path),
        "datePublished": m.date.iso(),
        "inLanguage": m.language,
        "abstract": m.summary,
        "author": authors,
        "publisher": with_role("publisher"),
        "funder": with_role("sponsor"),
        "contributor": with_role("contributor"),
        "about": about,
        "spatialCoverage": places,
        "license": m.license,
    });
    // `<` escaped so no value can close the script element.
    let text = serde_json::to_string(&ld)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    format!("<script type=\"application/ld+json\">{text}</script>\n")
}
