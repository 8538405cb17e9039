//! The sample site in `content/` builds, and every internal link and image
//! of every page resolves to a file in the output.

use std::collections::BTreeSet;
use std::path::Path;

use ayni::build::{BuildOptions, build};

use crate::util::{links, repo_root};

fn check_internal_links(out: &Path, base_path: &str) -> Vec<String> {
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

fn percent_decode(s: &str) -> String {
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
            .expect("python3 runs (pip install bibtexparser<2 rispy)");
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
    assert!(html.contains("href=\"/casos/uno/cite.bib\""));
}
