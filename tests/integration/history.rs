//! Last changes from git: a temporary repository with fixed dates, renames
//! and uncommitted files; and the same site outside git.

use std::path::Path;
use std::process::Command;

use crate::util::Site;

fn git(root: &Path, args: &[&str], date: &str, author: &str) {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "autor@example.org")
        .env("GIT_COMMITTER_NAME", "CI")
        .env("GIT_COMMITTER_EMAIL", "ci@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `basic` fixture as a repository with three commits.
fn repo() -> Site {
    let site = Site::fixture("basic");
    let root = site.root();
    git(root, &["init", "-q", "-b", "main"], "", "");
    git(root, &["add", "-A"], "", "");
    git(
        root,
        &["commit", "-q", "-m", "first"],
        "2025-01-10T09:00:00-05:00",
        "Ana Pérez",
    );
    // An edit to one product.
    let uno = std::fs::read_to_string(root.join("content/casos/uno.md")).unwrap();
    site.write(
        "content/casos/uno.md",
        &format!("{uno}\nUn párrafo nuevo.\n"),
    );
    git(
        root,
        &["commit", "-q", "-am", "edit"],
        "2026-03-03T10:00:00-05:00",
        "Rosa Quispe",
    );
    // A move without edits keeps the file's date.
    git(
        root,
        &[
            "mv",
            "content/estudios/dos.md",
            "content/estudios/segundo.md",
        ],
        "",
        "",
    );
    let dos = std::fs::read_to_string(root.join("content/casos/uno.md"))
        .unwrap()
        .replace("../estudios/dos.md", "../estudios/segundo.md");
    site.write("content/casos/uno.md", &dos);
    git(
        root,
        &["commit", "-q", "-am", "move"],
        "2026-04-01T08:00:00+00:00",
        "Luis Soto",
    );
    site
}

#[test]
fn product_pages_show_their_last_change() {
    let site = repo();
    site.write(
        "content/estudios/nuevo.md",
        "---\ntitle: Nuevo\nkind: study\ndate: 2026\npartners: [ong-a]\ntopics: [incidencia]\nsummary: Aún sin commit.\n---\nTexto.\n",
    );
    site.build();

    let uno = site.page("/casos/uno/");
    assert!(
        uno.contains("Última modificación: <time datetime=\"2026-04-01T08:00:00Z\">1 de abril de 2026</time> por Luis Soto"),
        "the last commit touching the file: {}",
        crate::util::between(&uno, "<p class=\"product__changed\"", "</p>")
    );
    // Renamed without edits: the date and author of its last real change.
    let segundo = site.page("/estudios/segundo/");
    assert!(
        segundo.contains("Última modificación: <time datetime=\"2025-01-10T09:00:00-05:00\">10 de enero de 2025</time> por Ana Pérez"),
        "{}",
        crate::util::between(&segundo, "<h1", "</h1>")
    );
    // Not committed yet: no date rather than a file time.
    assert!(!site.page("/estudios/nuevo/").contains("product__changed"));

    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains(
            "<loc>https://example.org/casos/uno/</loc><lastmod>2026-04-01T08:00:00Z</lastmod>"
        ),
        "{sitemap}"
    );
    assert!(sitemap.contains(
        "<loc>https://example.org/estudios/segundo/</loc><lastmod>2025-01-10T09:00:00-05:00</lastmod>"
    ));
    // Uncommitted: the publication date.
    assert!(
        sitemap.contains(
            "<loc>https://example.org/estudios/nuevo/</loc><lastmod>2026-01-01</lastmod>"
        )
    );
}

#[test]
fn last_change_in_english() {
    let site = repo();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}ui_language: en\n"));
    site.build();
    assert!(site.page("/casos/uno/").contains(
        "Last changed: <time datetime=\"2026-04-01T08:00:00Z\">1 April 2026</time> by Luis Soto"
    ));
}

#[test]
fn identical_repositories_build_identical_sites() {
    let (a, b) = (repo(), repo());
    a.build();
    b.build();
    let files = |s: &Site| {
        let out = s.out();
        let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&out)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(&out).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (fa, fb) = (files(&a), files(&b));
    assert!(fa.len() > 20);
    for ((pa, ca), (pb, cb)) in fa.iter().zip(&fb) {
        assert_eq!(pa, pb);
        assert!(ca == cb, "{pa} differs between identical builds");
    }
    assert_eq!(fa.len(), fb.len());
}

#[test]
fn outside_git_there_is_no_last_change() {
    let site = Site::fixture("basic");
    site.build();
    assert!(!site.page("/casos/uno/").contains("product__changed"));
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/casos/uno/</loc><lastmod>2014-06-01</lastmod>")
    );
}
