//! Hostile and careless input, in one table: each row is a site change a
//! pull request could make, with the exit code, the location and the words
//! that `check` and `build` must both print. The next hostile input is one
//! row more. Every row also checks that a failed build leaves the previous
//! `public/` as it was and that no byte of the forbidden marker reaches the
//! output.

use std::path::Path;

use crate::util::Site;

/// A change to the `basic` fixture site.
enum Edit {
    /// A file written at a site-relative path.
    File(&'static str, &'static [u8]),
    /// A symbolic link at a site-relative path. A target starting with
    /// `@/` is a file of the test's own folder outside the site, holding
    /// [`SECRET`]; any other target is taken as is.
    Link(&'static str, &'static str),
}

/// One hostile input and what both commands must say about it.
struct Case {
    name: &'static str,
    edits: &'static [Edit],
    /// Exit code of both `check` and `build`.
    code: i32,
    /// A `file:line` (or `file:line:col`) both print; empty for none.
    location: &'static str,
    /// Words of the message both print.
    message: &'static str,
}

/// Bytes that must never reach the output: they live outside the site.
const SECRET: &str = "AYNI_TEST_SECRET=hunter2";

const CASES: &[Case] = &[
    Case {
        name: "empty file",
        edits: &[Edit::File("content/casos/vacio.md", b"")],
        code: 1,
        location: "content/casos/vacio.md",
        message: "ficha",
    },
    Case {
        name: "front matter never closed",
        edits: &[Edit::File(
            "content/casos/sin-cierre.md",
            b"---\ntitle: x\nkind: study\n",
        )],
        code: 1,
        location: "content/casos/sin-cierre.md",
        message: "ficha",
    },
    Case {
        name: "tab indentation",
        edits: &[Edit::File(
            "content/casos/tabs.md",
            b"---\ntitle: x\npartners:\n\t- ong-a\n---\n",
        )],
        code: 1,
        location: "content/casos/tabs.md:4",
        message: "tab",
    },
    Case {
        name: "a slug that climbs out",
        edits: &[Edit::File(
            "content/casos/malo.md",
            b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nslug: ../../fuera\n---\n",
        )],
        code: 1,
        location: "content/casos/malo.md:6",
        message: "slug",
    },
    // Reading the site from disk: links that leave the site, text that is
    // not UTF-8, keys written twice, impossible years.
    Case {
        name: "a static file linked to a file outside the site",
        edits: &[Edit::Link("static/env.txt", "@/secret.txt")],
        code: 1,
        location: "static/env.txt",
        message: "fuera del sitio",
    },
    Case {
        name: "a static folder linked to a folder outside the site",
        edits: &[Edit::Link("static/ssl", "@/dir")],
        code: 1,
        location: "static/ssl",
        message: "fuera del sitio",
    },
    Case {
        name: "a link to the process environment",
        edits: &[Edit::Link("static/environ.txt", "/proc/self/environ")],
        code: 1,
        location: "static/environ.txt",
        message: "fuera del sitio",
    },
    Case {
        name: "a link to an endless device",
        edits: &[Edit::Link("static/zero.bin", "/dev/zero")],
        code: 1,
        location: "static/zero.bin",
        message: "fuera del sitio",
    },
    Case {
        name: "a content asset linked outside by a relative path",
        edits: &[Edit::Link(
            "content/casos/bundle/clave.pem",
            "../../../../../../../../../../../../../../../../proc/self/environ",
        )],
        code: 1,
        location: "content/casos/bundle/clave.pem",
        message: "fuera del sitio",
    },
    Case {
        name: "a content folder linked outside",
        edits: &[Edit::Link("content/casos/ssl", "@/dir")],
        code: 1,
        location: "content/casos/ssl",
        message: "fuera del sitio",
    },
    Case {
        name: "a Markdown file linked outside",
        edits: &[Edit::Link("content/casos/env.md", "@/secret.txt")],
        code: 1,
        location: "content/casos/env.md",
        message: "fuera del sitio",
    },
    Case {
        name: "a chain of links that ends outside",
        edits: &[
            Edit::Link("static/a.txt", "b.txt"),
            Edit::Link("static/b.txt", "@/secret.txt"),
        ],
        code: 1,
        location: "static/a.txt",
        message: "fuera del sitio",
    },
    Case {
        name: "a link inside a folder linked within the site",
        edits: &[
            Edit::Link("static/dentro", "../content/casos/bundle"),
            Edit::Link("content/casos/bundle/fuga.txt", "@/dir/key.pem"),
        ],
        code: 1,
        location: "content/casos/bundle/fuga.txt",
        message: "fuera del sitio",
    },
    Case {
        name: "a template linked outside",
        edits: &[Edit::Link("templates/robots.txt", "@/secret.txt")],
        code: 1,
        location: "templates/robots.txt",
        message: "fuera del sitio",
    },
    Case {
        name: "a theme's static folder linked outside",
        edits: &[Edit::Link("themes/default/static/ssl", "@/dir")],
        code: 1,
        location: "themes/default/static/ssl",
        message: "fuera del sitio",
    },
    Case {
        name: "an attachment linked outside",
        edits: &[
            Edit::Link("content/casos/clave.pem", "@/dir/key.pem"),
            Edit::File(
                "content/casos/adjunto.md",
                b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nfiles:\n  - { path: clave.pem }\n---\n",
            ),
        ],
        code: 1,
        location: "content/casos/adjunto.md:7",
        message: "fuera del sitio",
    },
    Case {
        name: "an attachment under static/ linked outside",
        edits: &[
            Edit::Link("static/docs", "@/dir"),
            Edit::File(
                "content/casos/adjunto.md",
                b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nfiles:\n  - { path: /docs/key.pem }\n---\n",
            ),
        ],
        code: 1,
        location: "content/casos/adjunto.md:7",
        message: "fuera del sitio",
    },
    Case {
        name: "a partner logo linked outside",
        edits: &[
            Edit::Link("static/logos/a.svg", "@/secret.txt"),
            Edit::File(
                "content/partners/ong-a.md",
                b"---\nname: ONG Alfa\nlogo: logos/a.svg\n---\n",
            ),
        ],
        code: 1,
        location: "content/partners/ong-a.md:3",
        message: "fuera del sitio",
    },
    Case {
        name: "site.yaml linked to an endless device",
        edits: &[Edit::Link("site.yaml", "/dev/zero")],
        code: 1,
        location: "site.yaml",
        message: "fuera del sitio",
    },
    Case {
        name: "site.yaml linked to a file outside the site",
        edits: &[Edit::Link("site.yaml", "@/secret.txt")],
        code: 1,
        location: "site.yaml",
        message: "fuera del sitio",
    },
    Case {
        name: "a link that stays inside the site",
        edits: &[Edit::Link("static/robots-copia.txt", "robots.txt")],
        code: 0,
        location: "",
        message: "",
    },
    Case {
        name: "invalid UTF-8",
        edits: &[Edit::File(
            "content/casos/latin1.md",
            b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\n---\nEspa\xf1a\n",
        )],
        code: 1,
        location: "content/casos/latin1.md:7:5",
        message: "UTF-8",
    },
    Case {
        name: "a key written twice",
        edits: &[Edit::File(
            "content/casos/doble.md",
            b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\ntitle: y\n---\n",
        )],
        code: 1,
        location: "content/casos/doble.md:6",
        message: "`title` está escrita dos veces",
    },
    Case {
        name: "a nested key written twice",
        edits: &[Edit::File(
            "content/casos/doble.md",
            b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nsource:\n  journal: a\n  journal: b\n---\n",
        )],
        code: 1,
        location: "content/casos/doble.md:8",
        message: "`journal` está escrita dos veces",
    },
    Case {
        name: "year zero",
        edits: &[Edit::File(
            "content/casos/cero.md",
            b"---\ntitle: x\nkind: study\ndate: 0000\npartners: [ong-a]\n---\n",
        )],
        code: 1,
        location: "content/casos/cero.md:4",
        message: "año",
    },
    // URLs, ids and cost: aliases and slugs against every generated path,
    // ids equal but for case, site-absolute links.
    Case {
        name: "alias /",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "home page",
    },
    Case {
        name: "alias .",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\".\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "home page",
    },
    Case {
        name: "alias ./",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"./\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "home page",
    },
    Case {
        name: "alias //",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"//\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "home page",
    },
    Case {
        name: "alias feed.xml",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"feed.xml\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "feed.xml",
    },
    Case {
        name: "alias index.html",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"index.html\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "index.html",
    },
    Case {
        name: "alias 404.html",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"404.html\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "404.html",
    },
    Case {
        name: "alias sitemap.xml",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"sitemap.xml\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "sitemap.xml",
    },
    Case {
        name: "alias robots.txt",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"robots.txt\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "robots.txt",
    },
    Case {
        name: "alias search/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"search/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "search",
    },
    Case {
        name: "alias partners/ong-a/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"partners/ong-a/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "partners",
    },
    Case {
        name: "alias casos/uno/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"casos/uno/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "casos/uno",
    },
    Case {
        name: "alias viejo/../../x/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"viejo/../../x/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "..",
    },
    Case {
        name: "alias %2e%2e/x/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"%2e%2e/x/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "..",
    },
    Case {
        name: "alias evil.example/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"evil.example/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "web address",
    },
    Case {
        name: "alias http://x/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"http://x/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "web address",
    },
    Case {
        name: "alias with a quote",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"a\\\"b/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "\"",
    },
    Case {
        name: "alias a<b>/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"a<b>/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "<",
    },
    Case {
        name: "alias a?b/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"a?b/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "?",
    },
    Case {
        name: "alias a#b/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"a#b/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "#",
    },
    Case {
        name: "alias with a control character",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"a\\x01b/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "control",
    },
    Case {
        name: "alias %2F/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"%2F/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "home page",
    },
    Case {
        name: "alias %ff/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"%ff/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "UTF-8",
    },
    Case {
        name: "alias sobre/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"sobre/\"]\n---\n"), Edit::File("content/pages/sobre.md", b"---\ntitle: Sobre\n---\nTexto.\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "sobre",
    },
    Case {
        name: "alias casos/uno/cite.bib/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"casos/uno/cite.bib/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "cite.bib",
    },
    Case {
        name: "alias casos/bundle/guia.pdf/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"casos/bundle/guia.pdf/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "guia.pdf",
    },
    Case {
        name: "alias css/ayni.css/",
        edits: &[Edit::File("content/casos/alias.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [\"css/ayni.css/\"]\n---\n")],
        code: 1,
        location: "content/casos/alias.md:6",
        message: "css/ayni.css",
    },
    Case {
        name: "partner ids that differ only in case",
        edits: &[Edit::File("content/partners/Ong-A.md", b"---\nname: Otra\ntype: ngo\n---\n")],
        code: 1,
        location: "content/partners/Ong-A.md",
        message: "content/partners/ong-a.md",
    },
    Case {
        name: "outcome ids that differ only in case",
        edits: &[Edit::File("content/outcomes/Ley-1.md", b"---\ntitle: Otra\ninstrument: law\ndate: 2010\nstage: decision\n---\n")],
        code: 1,
        location: "content/outcomes/Ley-1.md",
        message: "content/outcomes/ley-1.md",
    },
    Case {
        name: "topic files that differ only in case",
        edits: &[Edit::File("content/topics/Gestion-del-conocimiento.md", b"---\ntitle: Otra\n---\n")],
        code: 1,
        location: "content/topics/Gestion-del-conocimiento.md",
        message: "content/topics/gestion-del-conocimiento.md",
    },
    Case {
        name: "product slugs that differ only in case",
        edits: &[Edit::File("content/casos/z.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nslug: Uno\n---\n")],
        code: 1,
        location: "content/casos/z.md:6",
        message: "content/casos/uno.md",
    },
    Case {
        name: "a slug onto a product named by its file, told at the slug",
        edits: &[Edit::File("content/casos/a.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nslug: uno\n---\n")],
        code: 1,
        location: "content/casos/a.md:6:",
        message: "content/casos/uno.md",
    },
    Case {
        name: "site-absolute link /casos/nada/",
        edits: &[Edit::File("content/casos/enlace.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\n---\nVer [a](/casos/nada/).\n")],
        code: 1,
        location: "content/casos/enlace.md:7:5",
        message: "/casos/nada/",
    },
    Case {
        name: "site-absolute link /falta.pdf",
        edits: &[Edit::File("content/casos/enlace.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\n---\nVer [a](/falta.pdf).\n")],
        code: 1,
        location: "content/casos/enlace.md:7:5",
        message: "/falta.pdf",
    },
    Case {
        name: "site-absolute link /casos/nada/#x",
        edits: &[Edit::File("content/casos/enlace.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\n---\nVer [a](/casos/nada/#x).\n")],
        code: 1,
        location: "content/casos/enlace.md:7:5",
        message: "/casos/nada/",
    },
    Case {
        name: "site-absolute link /casos/nada/?q=1",
        edits: &[Edit::File("content/casos/enlace.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\n---\nVer [a](/casos/nada/?q=1).\n")],
        code: 1,
        location: "content/casos/enlace.md:7:5",
        message: "/casos/nada/",
    },
    Case {
        name: "site-absolute link /fal%74a.pdf",
        edits: &[Edit::File("content/casos/enlace.md", b"---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\n---\nVer [a](/fal%74a.pdf).\n")],
        code: 1,
        location: "content/casos/enlace.md:7:5",
        message: "/falta.pdf",
    },
];

fn apply(site: &Site, outside: &Path, edit: &Edit) {
    match edit {
        Edit::File(rel, bytes) => {
            let p = site.root().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        #[cfg(unix)]
        Edit::Link(rel, target) => {
            let p = site.root().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            let target = match target.strip_prefix("@/") {
                Some(name) => outside.join(name),
                None => Path::new(target).to_path_buf(),
            };
            // A link replaces a file of the fixture.
            let _ = std::fs::remove_file(&p);
            std::os::unix::fs::symlink(target, p).unwrap();
        }
        #[cfg(not(unix))]
        Edit::Link(..) => {}
    }
}

/// Every file under `dir` as (relative path, bytes).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn run_case(case: &Case) -> Result<(), String> {
    let site = Site::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), SECRET).unwrap();
    std::fs::create_dir_all(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/key.pem"), SECRET).unwrap();
    site.build();
    let before = snapshot(&site.out());
    for edit in case.edits {
        apply(&site, outside.path(), edit);
    }
    let mut problems = Vec::new();
    for cmd in ["check", "build"] {
        let (code, _, err) = crate::check::ayni(&[cmd], site.root());
        if code != case.code {
            problems.push(format!("`{cmd}` exited {code}, expected {}", case.code));
        }
        if !err.contains(case.location) || !err.contains(case.message) {
            problems.push(format!(
                "`{cmd}` did not print `{}` and `{}`",
                case.location, case.message
            ));
        }
        if code != 0 && !problems.is_empty() {
            problems.push(format!("`{cmd}` printed:\n{err}"));
        }
    }
    let after = snapshot(&site.out());
    if case.code != 0 && after != before {
        problems.push("a failed build changed public/".into());
    }
    for (rel, bytes) in &after {
        if contains(bytes, SECRET.as_bytes()) {
            problems.push(format!("public/{rel} holds bytes from outside the site"));
        }
    }
    let cache = site.root().join(".ayni-cache");
    for (rel, bytes) in snapshot(&cache) {
        if contains(&bytes, SECRET.as_bytes()) {
            problems.push(format!(
                ".ayni-cache/{rel} holds bytes from outside the site"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}:\n  {}", case.name, problems.join("\n  ")))
    }
}

#[test]
fn every_hostile_input_is_reported_by_check_and_build_alike() {
    let failures: Vec<String> = CASES.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} hostile inputs mishandled:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}
