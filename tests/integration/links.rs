//! The sample site in `content/` builds, and every internal link and image
//! of every page resolves to a file in the output.

use std::collections::BTreeSet;
use std::path::Path;

use ayni::build::{BuildOptions, build};

use crate::util::{links, repo_root};

pub(crate) fn check_internal_links(out: &Path, base_path: &str) -> Vec<String> {
    let mut broken = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let page = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .display()
            .to_string();
        for link in links(&html) {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with('#') {
                continue;
            }
            let path = link.split(['#', '?']).next().unwrap();
            let Some(rel) = path.strip_prefix(base_path) else {
                broken.insert(format!("{page}: {link} (outside {base_path})"));
                continue;
            };
            let rel = percent_decode(rel);
            let target = out.join(&rel);
            let ok = if rel.is_empty() || rel.ends_with('/') {
                target.join("index.html").is_file()
            } else {
                target.is_file()
            };
            if !ok {
                broken.insert(format!("{page}: {link}"));
            }
        }
    }
    broken.into_iter().collect()
}

pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn sample_site_internal_links_resolve() {
    let out = tempfile::tempdir().unwrap();
    let mut opts = BuildOptions::new(repo_root());
    opts.out = Some(out.path().join("public"));
    opts.cache = Some(out.path().join("cache"));
    let report = build(&opts).expect("the sample site builds");
    assert!(report.products >= 8, "sample products: {}", report.products);
    let broken = check_internal_links(&out.path().join("public"), "/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn sample_site_links_resolve_under_a_sub_path() {
    let out = tempfile::tempdir().unwrap();
    let mut opts = BuildOptions::new(repo_root());
    opts.out = Some(out.path().join("public"));
    opts.cache = Some(out.path().join("cache"));
    opts.base_url = Some("https://org.github.io/kb/".into());
    build(&opts).expect("the sample site builds");
    let broken = check_internal_links(&out.path().join("public"), "/kb/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn link_checker_finds_a_broken_link() {
    // The checker above must be able to fail.
    let out = tempfile::tempdir().unwrap();
    std::fs::write(
        out.path().join("index.html"),
        "<a href=\"/nada/\">x</a><img src=\"/a.png\">",
    )
    .unwrap();
    assert_eq!(check_internal_links(out.path(), "/").len(), 2);
}

#[test]
fn citations_parse_with_established_parsers() {
    const HOW: &str = "pip install \"bibtexparser<2\" rispy";
    if !crate::tools::python_modules(&["bibtexparser", "rispy"], HOW) {
        return;
    }
    for root in [repo_root(), crate::util::fixtures().join("basic")] {
        let out = tempfile::tempdir().unwrap();
        let mut opts = BuildOptions::new(&root);
        opts.out = Some(out.path().join("public"));
        opts.cache = Some(out.path().join("cache"));
        build(&opts).unwrap();
        let result = std::process::Command::new("python3")
            .arg(repo_root().join("tests/py/check_citations.py"))
            .arg(out.path().join("public"))
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "{}{}",
            String::from_utf8_lossy(&result.stdout),
            String::from_utf8_lossy(&result.stderr)
        );
    }
    let html = std::fs::read_to_string({
        let out = tempfile::tempdir().unwrap().keep();
        let mut opts = BuildOptions::new(crate::util::fixtures().join("basic"));
        opts.out = Some(out.join("public"));
        opts.cache = Some(out.join("cache"));
        build(&opts).unwrap();
        out.join("public/casos/uno/index.html")
    })
    .unwrap();
    assert!(
        html.contains("Pérez, A.; Soto, L. (2014). Caso uno: la red aprende."),
        "cite box"
    );
    assert!(html.contains("href=\"data:application/x-bibtex;charset=utf-8,@"));
    assert!(html.contains("download=\"uno.bib\""));
}

/// By default the citations are only in the page; `citation_files: true`
/// also writes them beside it, as files the Cite box links to, for sites
/// whose readers kept links to them.
#[test]
fn citation_files_are_written_only_when_the_site_asks() {
    let site = crate::util::Site::fixture("basic");
    site.build();
    let dir = site.out().join("casos/uno");
    assert!(!dir.join("cite.bib").exists());
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}\ncitation_files: true\n"));
    site.build();
    for ext in ["bib", "ris", "json"] {
        assert!(dir.join(format!("cite.{ext}")).is_file(), "cite.{ext}");
    }
    let html = site.page("/casos/uno/");
    assert!(html.contains("href=\"/casos/uno/cite.bib\" download=\"uno.bib\""));
    const HOW: &str = "pip install \"bibtexparser<2\" rispy";
    if !crate::tools::python_modules(&["bibtexparser", "rispy"], HOW) {
        return;
    }
    let result = std::process::Command::new("python3")
        .arg(repo_root().join("tests/py/check_citations.py"))
        .arg(site.out())
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stdout)
    );
}

/// Every absolute URL in the feeds, the sitemap and robots.txt, and every
/// file the search page fetches, under a sub-path `base_url`.
#[test]
fn sample_site_feeds_and_search_index_work_under_a_sub_path() {
    let base = "https://org.github.io/kb/";
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let mut opts = BuildOptions::new(repo_root());
    opts.out = Some(out.clone());
    opts.cache = Some(tmp.path().join("cache"));
    opts.base_url = Some(base.into());
    build(&opts).expect("the sample site builds");

    let resolves = |path: &str| {
        let rel = percent_decode(path.split(['#', '?']).next().unwrap());
        let target = out.join(&rel);
        if rel.is_empty() || rel.ends_with('/') {
            target.join("index.html").is_file()
        } else {
            target.is_file()
        }
    };
    let mut broken = Vec::new();
    let mut feeds = 0;
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.ends_with(".xml") || name == "robots.txt") {
            continue;
        }
        if name == "feed.xml" {
            feeds += 1;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let mut urls: Vec<String> = Vec::new();
        for (open, close) in [("href=\"", "\""), ("<loc>", "</loc>"), ("<id>", "</id>")] {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(open) {
                let after = &rest[i + open.len()..];
                let end = after.find(close).unwrap();
                urls.push(after[..end].replace("&amp;", "&"));
                rest = &after[end..];
            }
        }
        if let Some(line) = text.lines().find(|l| l.starts_with("Sitemap: ")) {
            urls.push(line["Sitemap: ".len()..].to_string());
        }
        for url in urls {
            checked += 1;
            match url.strip_prefix(base) {
                Some(rel) if resolves(rel) => {}
                _ => broken.push(format!("{name}: {url}")),
            }
        }
    }
    assert!(feeds > 10, "feeds: {feeds}");
    assert!(checked > 100, "urls checked: {checked}");

    // The search page fetches `index + path`: the index must be under the
    // sub-path, hold the files the script asks for first, and every result
    // must link to a page of the site.
    let html = crate::util::read_page(&out, "/search/");
    let config = crate::util::between(&html, "id=\"search-config\">", "</script>");
    let config: serde_json::Value =
        serde_json::from_str(&config["id=\"search-config\">".len()..]).unwrap();
    let index = config["index"].as_str().unwrap();
    assert_eq!(index, "/kb/search/");
    for file in ["meta.json", "f/labels.json", "f/0.txt"] {
        assert!(resolves(&format!("search/{file}")), "{index}{file}");
    }
    for dir in ["v", "p", "d"] {
        let n = std::fs::read_dir(out.join("search").join(dir))
            .unwrap()
            .count();
        assert!(n > 0, "search/{dir}/ is empty");
    }
    let mut docs = 0;
    for entry in std::fs::read_dir(out.join("search/d")).unwrap() {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let url = doc["u"].as_str().unwrap();
        match url.strip_prefix("/kb/") {
            Some(rel) if resolves(rel) => docs += 1,
            _ => broken.push(format!("search result: {url}")),
        }
    }
    assert!(docs >= 8, "search documents: {docs}");
    assert!(
        links(&html)
            .iter()
            .any(|l| l.starts_with("/kb/js/search.js?v=")),
        "search script under the sub-path"
    );
    assert!(broken.is_empty(), "broken:\n{}", broken.join("\n"));
}
