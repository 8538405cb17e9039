//! Outside validators on every page type: the Nu HTML Checker (vnu.jar),
//! the Atom RelaxNG grammar of RFC 4287 (Jing, which vnu.jar carries), the
//! sitemaps.org schema (the JDK's XML Schema validator) and axe-core in
//! headless Chromium. vnu.jar and axe-core come from npm into
//! `target/npm/`, installed once and reused by later runs; Java must be on
//! the PATH (Debian: default-jre-headless).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::{Value, json};

use ayni::build::{BuildOptions, build};

use crate::browser::{Browser, StaticServer};
use crate::tools::{program, skip};
use crate::util::{copy_dir, fixtures, repo_root};

const VNU: &str = "vnu-jar@26.9.27";
const AXE: &str = "axe-core@4.14.1";

/// `target/npm/`, with vnu.jar and axe-core installed; `None` (the test
/// skipped) where npm is missing or cannot reach its registry.
fn npm_dir() -> Option<&'static Path> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = repo_root().join("target/npm");
        let vnu = dir.join("node_modules/vnu-jar/build/dist/vnu.jar");
        let axe = dir.join("node_modules/axe-core/axe.min.js");
        if vnu.is_file() && axe.is_file() {
            return Ok(dir);
        }
        let npm = crate::tools::which("npm").ok_or("`npm`")?;
        std::fs::create_dir_all(&dir).unwrap();
        let out = Command::new(npm)
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .args([VNU, AXE])
            .output()
            .unwrap();
        if out.status.success() && vnu.is_file() && axe.is_file() {
            Ok(dir)
        } else {
            Err(format!(
                "{VNU} and {AXE} (npm install failed: {})",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    });
    match dir {
        Ok(dir) => Some(dir),
        Err(what) => skip(
            what,
            "apt-get install npm; the test installs the packages itself",
        ),
    }
}

/// Java and vnu.jar, for the Nu HTML Checker and Jing.
fn vnu() -> Option<(PathBuf, PathBuf)> {
    let java = java()?;
    let jar = npm_dir()?.join("node_modules/vnu-jar/build/dist/vnu.jar");
    Some((java, jar))
}

fn java() -> Option<PathBuf> {
    program("java", "apt-get install default-jre-headless")
}

/// axe-core's script, to run in the page.
fn axe_source() -> Option<String> {
    let path = npm_dir()?.join("node_modules/axe-core/axe.min.js");
    Some(std::fs::read_to_string(path).unwrap())
}

/// The built sites every check looks at: the sample site (networks,
/// charts, history), the `basic` fixture (list pages, pagination, an alias)
/// and the `translated` fixture (hreflang).
struct Built {
    _dir: tempfile::TempDir,
    sample: PathBuf,
    basic: PathBuf,
    translated: PathBuf,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = |name: &str| dir.path().join(name).join("public");
        let mut opts = BuildOptions::new(repo_root());
        opts.out = Some(out("sample"));
        opts.cache = Some(dir.path().join("cache"));
        build(&opts).unwrap();
        for name in ["basic", "translated"] {
            let root = dir.path().join(name);
            copy_dir(&fixtures().join(name), &root);
            build(&BuildOptions::new(&root)).unwrap();
        }
        Built {
            sample: out("sample"),
            basic: out("basic"),
            translated: out("translated"),
            _dir: dir,
        }
    })
}

/// One page of every type, as (site output, URL path).
fn pages() -> Vec<(&'static Path, &'static str)> {
    let b = built();
    let (s, f, t) = (
        b.sample.as_path(),
        b.basic.as_path(),
        b.translated.as_path(),
    );
    vec![
        (s, "/"),
        (s, "/casos/alianza-aprendizaje-peru/"),
        (s, "/evaluaciones/pc-ici-evaluacion-final/"),
        (s, "/partners/"),
        (s, "/partners/care-peru/"),
        (s, "/partners/agrorural/"),
        // One co-author: a list where the drawing would be.
        (s, "/partners/gpc/"),
        (s, "/topics/"),
        (s, "/topics/incidencia-politica/"),
        (s, "/outcomes/"),
        (s, "/outcomes/ley-29337-procompite/"),
        (s, "/kinds/case-study/"),
        (s, "/years/2014/"),
        (s, "/search/"),
        // With a query: the entity result above the products, then results.
        (s, "/search/?q=GPC"),
        // With a filter: its chip above the results, and the filters'
        // control; then a filter that leaves nothing, and the suggestions.
        (s, "/search/?q=nutrici%C3%B3n&partner=care-peru"),
        (s, "/search/?q=nutrici%C3%B3n&kind=evaluation"),
        (s, "/404.html"),
        (f, "/partners/ong-a/author/"),
        (f, "/kinds/study/page/2/"),
        (f, "/casos/bundle/"),
        (f, "/viejo/caso-uno/"),
        (t, "/informes/report/"),
    ]
}

fn file_of(out: &Path, url: &str) -> PathBuf {
    let url = url.split('?').next().unwrap_or(url);
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}

#[test]
fn every_page_type_passes_the_nu_html_checker() {
    let files: Vec<PathBuf> = pages()
        .into_iter()
        .map(|(out, url)| file_of(out, url))
        .collect();
    for f in &files {
        assert!(f.is_file(), "{} was not built", f.display());
    }
    let Some((java, jar)) = vnu() else { return };
    let out = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "text"])
        .args(&files)
        .output()
        .unwrap();
    let (_, report) = outcome(&out);
    assert!(
        out.status.success(),
        "the Nu HTML Checker found errors:\n{report}"
    );
    assert!(!report.contains("Error:"), "{report}");
}

#[test]
fn the_checker_catches_an_error() {
    // The same run on a broken page fails: the test above can fail.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!doctype html><html lang=es><title>x</title><p id=a>1<p id=a>2</html>",
    )
    .unwrap();
    let Some((java, jar)) = vnu() else { return };
    let out = Command::new(java)
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "text"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Duplicate ID"));
}

/// Jing's verdict on `files`, or `None` (skipped) without Java or vnu.jar.
fn jing(files: &[PathBuf]) -> Option<(bool, String)> {
    let (java, jar) = vnu()?;
    let out = Command::new(java)
        .arg("-cp")
        .arg(jar)
        .arg("nu.validator.vendor.thaiopensource.relaxng.util.Driver")
        .arg("-c")
        .arg(repo_root().join("tests/validators/atom.rnc"))
        .args(files)
        .output()
        .unwrap();
    Some(outcome(&out))
}

fn feeds(out: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "feed.xml")
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn feeds_follow_the_atom_grammar() {
    let b = built();
    let mut files = feeds(&b.sample);
    files.extend(feeds(&b.basic));
    assert!(files.len() > 20, "{}", files.len());
    let Some((ok, report)) = jing(&files) else {
        return;
    };
    assert!(ok, "Atom feeds do not follow RFC 4287:\n{report}");

    // A feed without its id fails, so the grammar is really applied.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("feed.xml");
    let text = std::fs::read_to_string(b.sample.join("feed.xml")).unwrap();
    let start = text.find("  <id>").unwrap();
    let end = start + text[start..].find('\n').unwrap() + 1;
    std::fs::write(&bad, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let (ok, report) = jing(&[bad]).unwrap();
    assert!(!ok && report.contains("id"), "{report}");
}

/// Whether a checker passed, and everything it printed.
fn outcome(out: &Output) -> (bool, String) {
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The JDK's XML Schema verdict on `files`, or `None` (skipped) without Java.
fn xsd(files: &[PathBuf]) -> Option<(bool, String)> {
    let out = Command::new(java()?)
        .arg(repo_root().join("tests/validators/XsdCheck.java"))
        .arg(repo_root().join("tests/validators/sitemap.xsd"))
        .args(files)
        .output()
        .unwrap();
    Some(outcome(&out))
}

#[test]
fn sitemaps_follow_the_sitemaps_schema() {
    let b = built();
    let files: Vec<PathBuf> = [&b.sample, &b.basic, &b.translated]
        .iter()
        .map(|o| o.join("sitemap.xml"))
        .collect();
    let Some((ok, report)) = xsd(&files) else {
        return;
    };
    assert!(ok, "sitemap.xml does not follow the schema:\n{report}");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("sitemap.xml");
    let text = std::fs::read_to_string(&files[1]).unwrap();
    std::fs::write(&bad, text.replacen("<lastmod>", "<lastmod>yesterday ", 1)).unwrap();
    let (ok, report) = xsd(&[bad]).unwrap();
    assert!(!ok && report.contains("lastmod"), "{report}");
}

/// Runs axe-core on the page in the browser; the violations it reports.
fn axe(browser: &Browser, source: &str) -> Vec<Value> {
    browser.eval(source);
    let result = browser.eval_async(
        "const done = arguments[arguments.length - 1];\
         axe.run(document, {resultTypes: ['violations']})\
            .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,\
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))\
            .catch(e => done({error: String(e)}));",
        json!([]),
    );
    match result {
        Value::Array(list) => list,
        other => panic!("axe-core did not run: {other}"),
    }
}

#[test]
fn no_serious_accessibility_violations_on_any_page_type() {
    let Some(source) = axe_source() else { return };
    let b = built();
    let servers = [
        (b.sample.as_path(), StaticServer::start(b.sample.clone())),
        (b.basic.as_path(), StaticServer::start(b.basic.clone())),
        (
            b.translated.as_path(),
            StaticServer::start(b.translated.clone()),
        ),
    ];
    let Some(browser) = Browser::start() else {
        return;
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for width in [1280, 375] {
        browser.set_window_width(width);
        for (out, url) in pages() {
            // An alias page leaves for its target at once; the target is
            // checked as itself.
            if url.starts_with("/viejo/") {
                continue;
            }
            let server = &servers.iter().find(|(o, _)| *o == out).unwrap().1;
            browser.goto(&server.url(url));
            if url.contains("?q=") {
                // The results the query shows are part of the page.
                browser.wait_for(
                    "return document.querySelectorAll('#entity-list a, #results-list a').length > 1 \
                     || !document.getElementById('search-help').hidden",
                    10,
                );
            }
            checked += 1;
            for v in axe(&browser, &source) {
                let impact = v["impact"].as_str().unwrap_or("");
                if impact == "serious" || impact == "critical" {
                    problems.push(format!(
                        "{url} at {width}px: [{impact}] {} ({})\n    {}",
                        v["id"].as_str().unwrap_or(""),
                        v["help"].as_str().unwrap_or(""),
                        v["nodes"]
                            .as_array()
                            .map(|n| n
                                .iter()
                                .map(|x| x.as_str().unwrap_or("").replace('\n', " "))
                                .collect::<Vec<_>>()
                                .join("\n    "))
                            .unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(checked >= 30);
    assert!(
        problems.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        problems.join("\n")
    );
}

#[test]
fn axe_reports_a_real_violation() {
    // An image without alt text is a critical violation: the check above
    // would see one.
    let Some(source) = axe_source() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><html lang=es><title>x</title><main><img src=a.png></main></html>",
    )
    .unwrap();
    let server = StaticServer::start(dir.path().to_path_buf());
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.goto(&server.url("/"));
    let found = axe(&browser, &source);
    assert!(
        found
            .iter()
            .any(|v| v["id"] == "image-alt" && v["impact"] == "critical"),
        "{found:?}"
    );
}
