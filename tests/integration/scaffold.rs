//! `ayni init`, `ayni new`, the contributor guide and the deployment
//! workflows: a new site builds and checks clean, a new product passes the
//! check, the guide cannot drift from the code or the contract, and the
//! workflows' commands run on a new site under a sub-path.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ayni::build::{BuildOptions, build, check};
use ayni::content::guide;
use ayni::scaffold::{self, GITHUB_WORKFLOW, GITLAB_CI};
use clap::Parser;
use serde_json::Value;

use crate::links::check_internal_links;
use crate::util::{read_page, repo_root};

fn ayni(args: &[&str], cwd: &Path) -> Output {
    ayni_in_locale(args, cwd, None)
}

/// `ayni` run with `LANG` set to `locale`, or with no locale at all, as on
/// a bare server: where there is no site yet, the locale chooses the
/// language of the messages.
fn ayni_in_locale(args: &[&str], cwd: &Path, locale: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ayni"));
    command
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(locale) = locale {
        command.env("LANG", locale);
    }
    command.output().expect("ayni runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A new site made by `ayni init` in a temporary folder.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    let out = ayni(&["init", dir.to_str().unwrap()], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    (tmp, dir)
}

fn errors(root: &Path) -> Vec<String> {
    check(&BuildOptions::new(root))
        .unwrap()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render(false, ayni::messages::Lang::En))
        .collect()
}

#[test]
fn init_creates_a_site_that_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    let out = ayni(&["init", "kb"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    for (rel, body) in scaffold::site_files() {
        assert!(said.contains(rel), "`{rel}` not listed in:\n{said}");
        assert_eq!(std::fs::read_to_string(dir.join(rel)).unwrap(), body);
    }
    assert!(dir.join("static").is_dir());

    // Not even a warning: a new site is a clean example.
    let out = ayni(&["check"], &dir);
    assert_eq!(out.status.code(), Some(0));
    let diags = check(&BuildOptions::new(&dir)).unwrap();
    assert!(
        diags.is_empty(),
        "{}",
        diags
            .iter()
            .map(|d| d.render(false, ayni::messages::Lang::En))
            .collect::<Vec<_>>()
            .join("\n")
    );

    let out = ayni(&["build"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let public = dir.join("public");
    let home = read_page(&public, "/");
    assert!(home.contains("href=\"/como-publicar/\""), "guide in footer");
    let product = read_page(&public, "/casos/primer-estudio-de-caso/");
    assert!(product.contains("href=\"/partners/alianza/\""));
    assert!(product.contains("href=\"/outcomes/ordenanza-de-ejemplo/\""));
    assert!(read_page(&public, "/partners/alianza/").contains("src=\"/logos/alianza.svg\""));
    assert!(read_page(&public, "/como-publicar/").contains("<h1 lang=\"es\">Cómo publicar</h1>"));
    let broken = check_internal_links(&public, "/");
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn starter_site_counts_topics_and_404_read_right() {
    let (_tmp, dir) = new_site();
    build(&BuildOptions::new(&dir)).unwrap();
    let public = dir.join("public");
    let home = read_page(&public, "/");
    // One of each: the singular, not "1 productos · 1 socios".
    for said in [
        "<strong>1</strong> producto</li>",
        "<strong>1</strong> socio</a>",
        "<strong>1</strong> resultado de política</a>",
        "<strong>2</strong> temas</a>",
    ] {
        assert!(home.contains(said), "`{said}` not on the home page");
    }
    let topic = read_page(&public, "/topics/gestion-del-conocimiento/");
    assert!(topic.contains("<p class=\"page-header__kicker\">Tema</p>"));
    // Written in lowercase in the front matter, shown as a title.
    assert!(topic.contains("<h1>Gestión del conocimiento</h1>"));
    let missing = std::fs::read_to_string(public.join("404.html")).unwrap();
    let form = crate::util::between(&missing, "<form", "</form>");
    assert!(
        form.contains("action=\"/search/\" method=\"get\""),
        "{form}"
    );
    assert!(form.contains("name=\"q\""), "{form}");

    // An English interface on Spanish content: the page says it is English.
    std::fs::write(
        dir.join("site.yaml"),
        std::fs::read_to_string(dir.join("site.yaml")).unwrap() + "ui_language: en\n",
    )
    .unwrap();
    build(&BuildOptions::new(&dir)).unwrap();
    let home = read_page(&public, "/");
    assert!(home.contains("<html lang=\"en\">"));
    assert!(home.contains("<strong>1</strong> product</li>"));
    assert!(home.contains("<strong>1</strong> policy outcome</a>"));
    let product = read_page(&public, "/casos/primer-estudio-de-caso/");
    assert!(product.contains("<html lang=\"en\">"));
    assert!(product.contains("<h1 class=\"product__title\" lang=\"es\">"));
}

#[test]
fn init_site_yaml_documents_every_key() {
    let (_tmp, dir) = new_site();
    let yaml = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    let is_key_line = |l: &str| {
        let l = l.strip_prefix("# ").unwrap_or(l);
        ayni::content::config::KEYS
            .iter()
            .any(|k| l.starts_with(&format!("{k}:")))
    };
    let lines: Vec<&str> = yaml.lines().collect();
    for key in ayni::content::config::KEYS {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{key}:")) || l.starts_with(&format!("# {key}:")))
            .unwrap_or_else(|| panic!("`{key}` not in site.yaml"));
        let above = lines[at - 1];
        assert!(
            above.starts_with("# ") && !is_key_line(above),
            "`{key}` has no comment above it: {above}"
        );
    }
    // Every commented key, uncommented, is still a valid site.yaml.
    let all: String = lines
        .iter()
        .map(|l| {
            if l.starts_with("#   ") || (l.starts_with("# ") && is_key_line(l)) {
                &l[2..]
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file = ayni::diagnostics::SourceFile::new("site.yaml".into(), all.clone());
    let (config, diags) = ayni::content::config::Config::parse(&file);
    assert!(diags.is_empty(), "{all}\n{diags:?}");
    assert_eq!(config.paths.partners, "socios");
    assert!(config.kinds.contains_key("manual"));
}

#[test]
fn init_gitignore_keeps_output_and_cache_out_of_git() {
    let (_tmp, dir) = new_site();
    assert_eq!(ayni(&["build"], &dir).status.code(), Some(0));
    assert!(dir.join(".ayni-cache").is_dir());
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("git runs")
    };
    assert!(git(&["init", "-q"]).status.success());
    let status = text(&git(&["status", "--porcelain", "--untracked-files=all"]).stdout);
    assert!(status.contains("site.yaml"), "{status}");
    assert!(status.contains(".github/workflows/ayni.yml"), "{status}");
    assert!(!status.contains("public/"), "{status}");
    assert!(!status.contains(".ayni-cache"), "{status}");
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join("site.yaml"), "title: Mío\n").unwrap();
    let out = ayni(&["init", "kb"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no está vacía (tiene site.yaml)"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert!(!dir.join("content").exists(), "nothing written");

    let out = ayni(&["init", "kb", "--force"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1 archivo existente, sin cambios:"));
    assert_eq!(
        std::fs::read_to_string(dir.join("site.yaml")).unwrap(),
        "title: Mío\n",
        "an existing file is never replaced"
    );
    assert!(
        dir.join("content/casos/primer-estudio-de-caso.md")
            .is_file()
    );
    assert!(errors(&dir).is_empty());
}

#[test]
fn init_accepts_a_fresh_clone_with_only_git() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("kb/.git")).unwrap();
    let out = ayni(&["init", "kb"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

fn today() -> String {
    let out = Command::new("date").args(["-u", "+%F"]).output().unwrap();
    text(&out.stdout).trim().to_string()
}

#[test]
fn new_writes_a_product_that_passes_check() {
    let (_tmp, dir) = new_site();
    let before = today();
    let out = ayni(
        &[
            "new",
            "study",
            "Año de la niñez: ¿qué cambió?",
            "--partner",
            "alianza",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let path = text(&out.stdout).trim().to_string();
    assert_eq!(path, "content/estudios/ano-de-la-ninez-que-cambio.md");
    let file = std::fs::read_to_string(dir.join(&path)).unwrap();
    let date = file.lines().find_map(|l| l.strip_prefix("date: ")).unwrap();
    assert!(date == before || date == today(), "date {date}");
    assert!(file.starts_with("---\ntitle: \"Año de la niñez: ¿qué cambió?\"\nkind: study\n"));
    assert!(file.contains("\nlanguage: es\n"));
    assert!(file.contains("partners:\n  - alianza\n"));
    for (key, comment) in [("topics", "# Los temas"), ("outcomes", "# Los resultados")] {
        let at = file.find(&format!("\n{key}: []\n")).expect(key);
        let above = file[..at].lines().last().unwrap();
        assert!(above.starts_with(comment), "{key}: {above}");
    }
    assert!(errors(&dir).is_empty(), "{:?}", errors(&dir));
    // A draft: the template's text is not published by an early merge.
    assert!(file.contains("\ndraft: true\n---\n"), "{file}");
    let report = build(&BuildOptions::new(&dir)).unwrap();
    assert_eq!(report.products, 1);
    let mut drafts = BuildOptions::new(&dir);
    drafts.drafts = true;
    let report = build(&drafts).unwrap();
    assert_eq!(report.products, 2);
    let page = read_page(&dir.join("public"), "/estudios/ano-de-la-ninez-que-cambio/");
    assert!(page.contains("Año de la niñez: ¿qué cambió?"));
    // Published with the template's sentence left in: a warning at it.
    std::fs::write(dir.join(&path), file.replace("draft: true", "draft: false")).unwrap();
    let warned: Vec<String> = check(&BuildOptions::new(&dir))
        .unwrap()
        .iter()
        .filter(|d| d.code == "placeholder-text")
        .map(|d| d.to_string())
        .collect();
    let line = file
        .lines()
        .position(|l| l.starts_with("Escriba aquí"))
        .unwrap()
        + 1;
    assert_eq!(
        warned,
        [format!(
            "{path}:{line}:1: warning[placeholder-text]: the text `ayni new` wrote is still here"
        )]
    );
}

#[test]
fn new_product_with_several_partners_and_english_site() {
    let (_tmp, dir) = new_site();
    std::fs::write(
        dir.join("site.yaml"),
        "title: KB\nlanguage: en\nkinds: { manual: Manual }\n",
    )
    .unwrap();
    std::fs::write(dir.join("content/partners/gpc.md"), "---\nname: GPC\n---\n").unwrap();
    let out = ayni(
        &[
            "new",
            "report",
            "Water & Sanitation",
            "--partner",
            "gpc",
            "--partner",
            "alianza",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim(),
        "content/reports/water-sanitation.md"
    );
    let file = std::fs::read_to_string(dir.join("content/reports/water-sanitation.md")).unwrap();
    assert!(file.contains("partners:\n  - gpc\n  - alianza\n"), "{file}");
    assert!(file.contains("\nlanguage: en\n"), "{file}");
    assert!(file.contains("# The topics"), "{file}");
    // An extra kind from site.yaml is accepted and gets its own folder.
    let out = ayni(
        &["new", "manual", "Primer manual", "--partner", "gpc"],
        &dir,
    );
    assert_eq!(text(&out.stdout).trim(), "content/manual/primer-manual.md");
    assert!(errors(&dir).is_empty(), "{:?}", errors(&dir));
}

#[test]
fn new_slug_collisions_get_a_suffix_and_nothing_is_overwritten() {
    let (_tmp, dir) = new_site();
    let run = || {
        let out = ayni(
            &[
                "new",
                "case-study",
                "Primer estudio de caso",
                "--partner",
                "alianza",
            ],
            &dir,
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout).trim().to_string()
    };
    let original =
        std::fs::read_to_string(dir.join("content/casos/primer-estudio-de-caso.md")).unwrap();
    // The kind's folder comes from where the site keeps its case studies.
    assert_eq!(run(), "content/casos/primer-estudio-de-caso-2.md");
    // A bundle folder would publish at the same URL, so it counts as taken.
    std::fs::create_dir_all(dir.join("content/casos/primer-estudio-de-caso-3")).unwrap();
    assert_eq!(run(), "content/casos/primer-estudio-de-caso-4.md");
    assert_eq!(
        std::fs::read_to_string(dir.join("content/casos/primer-estudio-de-caso.md")).unwrap(),
        original
    );
    assert!(errors(&dir).is_empty(), "{:?}", errors(&dir));
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("content/casos"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn new_section_flag_overrides_and_is_kept_inside_content() {
    let (_tmp, dir) = new_site();
    let out = ayni(
        &[
            "new",
            "case-study",
            "Ñandú",
            "--partner",
            "alianza",
            "--section",
            "casos/2024",
        ],
        &dir,
    );
    assert_eq!(text(&out.stdout).trim(), "content/casos/2024/nandu.md");
    for bad in ["../fuera", "partners"] {
        let out = ayni(
            &[
                "new",
                "study",
                "X",
                "--partner",
                "alianza",
                "--section",
                bad,
            ],
            &dir,
        );
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(text(&out.stderr).contains("no es una carpeta de content/"));
    }
    assert!(!dir.parent().unwrap().join("fuera").exists());
}

#[test]
fn new_refuses_unknown_kinds_and_partners_with_the_valid_ones() {
    let (_tmp, dir) = new_site();
    let out = ayni(
        &["new", "studdy", "Un estudio", "--partner", "alianza"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: tipo desconocido `studdy`; se esperaba uno de: case-study, study, systematization, \
         evaluation, guide, policy-brief, article, report; ¿quiso decir `study`?"
    );
    let out = ayni(&["new", "study", "Un estudio", "--partner", "alianz"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "error: socio desconocido `alianz`; se esperaba uno de: alianza; ¿quiso decir `alianza`?"
    );
    let out = ayni(&["new", "study", "  ", "--partner", "alianza"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("el título está vacío"));
    assert!(!dir.join("content/estudios").exists(), "nothing written");
    let out = ayni(&["new", "study", "X"], &dir.join("content"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no tiene carpeta content/"));
}

#[test]
fn new_without_partner_says_what_is_missing() {
    let (_tmp, dir) = new_site();
    let out = ayni(&["new", "guide", "Guía rápida"], &dir);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains(
        "nota: agregue al menos un socio en `partners:` antes de publicar (ids: alianza)"
    ));
    let errs = errors(&dir);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("content/guias/guia-rapida.md"),
        "{}",
        errs[0]
    );
}

// The guide and its single source of truth.

/// Top-level keys of the first ```yaml block after `heading` in the contract.
fn contract_keys(heading: &str) -> Vec<String> {
    let contract = std::fs::read_to_string(repo_root().join("docs/content-format.md")).unwrap();
    let at = contract
        .find(heading)
        .unwrap_or_else(|| panic!("{heading}"));
    let block = &contract[at..];
    let start = block.find("```yaml\n").unwrap() + 8;
    let end = start + block[start..].find("```").unwrap();
    block[start..end]
        .lines()
        .filter(|l| !l.starts_with([' ', '-', '#']))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.to_string()))
        .collect()
}

#[test]
fn guide_keys_match_the_contract() {
    let keys = |docs: &[guide::KeyDoc]| docs.iter().map(|k| k.key.to_string()).collect::<Vec<_>>();
    assert_eq!(
        contract_keys("## 2. A learning product"),
        keys(guide::PRODUCT_KEY_DOCS)
    );
    assert_eq!(
        contract_keys("## 3. A partner"),
        keys(guide::PARTNER_KEY_DOCS)
    );
    assert_eq!(
        contract_keys("## 4. A policy outcome"),
        keys(guide::OUTCOME_KEY_DOCS)
    );
    // The `source` example carries every sub-key the contract lists.
    let source = guide::product_key("source").unwrap().example;
    for sub in [
        "publisher",
        "journal",
        "volume",
        "issue",
        "pages",
        "series",
        "number",
        "place",
        "url",
        "doi",
    ] {
        assert!(source.contains(&format!("\n  {sub}: ")), "source.{sub}");
    }
}

#[test]
fn guide_example_front_matter_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let w = |rel: &str, s: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    for id in ["aap", "care-peru", "oxfam"] {
        w(
            &format!("content/partners/{id}.md"),
            &format!("---\nname: {id}\n---\n"),
        );
    }
    for id in ["ley-29337-procompite", "lineamientos-snip"] {
        w(
            &format!("content/outcomes/{id}.md"),
            &format!("---\ntitle: {id}\n---\n"),
        );
    }
    w("content/casos/ordinola-2014.pdf", "%PDF-1.4\n");
    w(
        "content/en/aap-knowledge-management.md",
        "---\ntitle: KM\nkind: case-study\ndate: 2014\nlanguage: en\npartners: [aap]\n---\n",
    );
    let example = guide::example_front_matter();
    w("content/casos/ejemplo.md", &format!("{example}\nTexto.\n"));
    let errs = errors(root);
    assert!(errs.is_empty(), "{example}\n{}", errs.join("\n"));
    // The example is complete: every key is there.
    for k in guide::PRODUCT_KEY_DOCS {
        assert!(example.contains(&format!("\n{}:", k.key)), "{}", k.key);
    }
}

/// String literals passed as codes to `Diagnostic::error`/`warning` and to
/// the model's unknown-id helper, anywhere under `src/`.
fn emitted_codes() -> Vec<(String, bool)> {
    let mut codes = Vec::new();
    for entry in walkdir::WalkDir::new(repo_root().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let src = std::fs::read_to_string(entry.path()).unwrap();
        for (call, warning) in [
            ("Diagnostic::error(", false),
            ("Diagnostic::warning(", true),
            ("unknown_id(", false),
            // The YAML mistakes are a table of their own.
            ("code: ", false),
        ] {
            for (i, _) in src.match_indices(call) {
                let rest = src[i + call.len()..].trim_start();
                if let Some(lit) = rest.strip_prefix('"') {
                    let code = &lit[..lit.find('"').unwrap()];
                    codes.push((code.to_string(), warning));
                }
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn every_check_code_is_explained_in_the_guide() {
    let emitted = emitted_codes();
    assert!(emitted.len() > 25, "{emitted:?}");
    for (code, warning) in &emitted {
        let doc = guide::CHECK_CODES
            .iter()
            .find(|c| c.code == code)
            .unwrap_or_else(|| {
                panic!("`{code}` is emitted but not explained in guide::CHECK_CODES")
            });
        assert_eq!(doc.warning, *warning, "severity of `{code}`");
    }
    for doc in guide::CHECK_CODES {
        assert!(
            emitted.iter().any(|(c, _)| c == doc.code),
            "`{}` is explained but never emitted",
            doc.code
        );
    }
}

#[test]
fn sample_site_guide_is_generated() {
    for lang in ["es", "en"] {
        let path = repo_root()
            .join("content/pages")
            .join(guide::page_file(lang));
        let want = guide::page(lang);
        if std::env::var_os("AYNI_UPDATE_GUIDE").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is not what guide::page writes; run `AYNI_UPDATE_GUIDE=1 cargo test --release --test integration sample_site_guide_is_generated`",
            path.display()
        );
    }
}

#[test]
fn guide_pages_are_linked_from_the_footer_and_to_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let mut opts = BuildOptions::new(repo_root());
    opts.out = Some(out.clone());
    opts.cache = Some(tmp.path().join("cache"));
    build(&opts).unwrap();
    let es = read_page(&out, "/como-publicar/");
    let en = read_page(&out, "/how-to-publish/");
    // The interface is Spanish on both; the English page's text says so.
    assert!(es.contains("<html lang=\"es\">"));
    assert!(en.contains("<html lang=\"es\">"));
    assert!(es.contains("<h1 lang=\"es\">Cómo publicar</h1>"));
    assert!(en.contains("<h1 lang=\"en\">How to publish</h1>"));
    assert!(en.contains("<div class=\"prose\" lang=\"en\">"));
    assert!(
        es.contains("<a href=\"/how-to-publish/\" hreflang=\"en\" lang=\"en\">How to publish</a>")
    );
    assert!(
        en.contains("<a href=\"/como-publicar/\" hreflang=\"es\" lang=\"es\">Cómo publicar</a>")
    );
    // Every key and every code is on the page, with the theme's layout.
    for k in guide::PRODUCT_KEY_DOCS {
        assert!(es.contains(&format!("<code>{}</code>", k.key)), "{}", k.key);
    }
    for c in guide::CHECK_CODES {
        assert!(
            en.contains(&format!("<code>{}</code>", c.code)),
            "{}",
            c.code
        );
    }
    assert!(es.contains("class=\"toc\""));
    for page in ["/", "/casos/alianza-aprendizaje-peru/", "/partners/"] {
        let html = read_page(&out, page);
        let footer = crate::util::between(&html, "<footer", "</footer>");
        assert!(
            footer.contains("<a href=\"/como-publicar/\">Cómo publicar</a>"),
            "{page}"
        );
    }
    assert!(
        std::fs::read_to_string(out.join("sitemap.xml"))
            .unwrap()
            .contains("/como-publicar/</loc>")
    );
}

#[test]
fn page_errors_are_reported() {
    let (_tmp, dir) = new_site();
    std::fs::write(
        dir.join("content/pages/otra.md"),
        "---\ntitel: x\ntranslation_of: nada.md\n---\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/pages/partners.md"),
        "---\ntitle: P\n---\n",
    )
    .unwrap();
    let errs = errors(&dir).join("\n");
    assert!(errs.contains("unknown key `titel` in page"), "{errs}");
    assert!(errs.contains("did you mean `title`"), "{errs}");
    assert!(
        errs.contains("page URL `/partners/` is also the URL of a page ayni generates"),
        "{errs}"
    );
    std::fs::write(
        dir.join("content/pages/otra.md"),
        "---\ntitle: Otra\ntranslation_of: nada.md\n---\n",
    )
    .unwrap();
    let errs = errors(&dir).join("\n");
    assert!(
        errs.contains("`translation_of` names `nada.md`, which is not a page"),
        "{errs}"
    );
}

// Deployment workflows.

fn yaml(text: &str) -> Value {
    Value::Object(ayni::content::yaml::parse_mapping(text).expect("valid YAML"))
}

/// Splits a shell line into words, honouring double quotes.
pub fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// The `ayni` commands of a list of shell lines, with `vars` substituted.
fn ayni_commands(lines: &[String], vars: &[(&str, &str)]) -> Vec<Vec<String>> {
    let mut cmds = Vec::new();
    for line in lines {
        let mut line = line.clone();
        for (k, v) in vars {
            line = line.replace(k, v);
        }
        for part in line
            .split("||")
            .flat_map(|p| p.split("&&"))
            .flat_map(|p| p.split(';'))
        {
            let w = words(part.trim());
            if w.first().is_some_and(|c| c == "ayni") {
                // The real command-line parser: a renamed flag fails here.
                ayni::cli::Cli::try_parse_from(&w).unwrap_or_else(|e| {
                    panic!("`{}` is not a valid ayni command: {e}", w.join(" "))
                });
                cmds.push(w);
            }
        }
    }
    cmds
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_array().expect("steps")
}

/// Whether a workflow step uses the action `action` (at any version).
fn uses_action(step: &Value, action: &str) -> bool {
    step["uses"].as_str().is_some_and(|u| u.starts_with(action))
}

fn runs(job: &Value) -> Vec<String> {
    steps(job)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .map(str::to_string)
        .collect()
}

fn uses(job: &Value) -> Vec<String> {
    steps(job)
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .map(|u| u.split('@').next().unwrap().to_string())
        .collect()
}

/// Runs `cmds` in `dir` as a CI runner would, failing on the first error.
fn run_all(cmds: &[Vec<String>], dir: &Path) {
    for c in cmds {
        let args: Vec<&str> = c[1..].iter().map(String::as_str).collect();
        let out = ayni(&args, dir);
        assert_eq!(
            out.status.code(),
            Some(0),
            "`{}` failed:\n{}",
            c.join(" "),
            text(&out.stderr)
        );
    }
}

#[test]
fn github_workflow_checks_pull_requests_and_deploys_main() {
    let w = yaml(GITHUB_WORKFLOW);
    let on = &w["on"];
    assert_eq!(on["push"]["branches"], serde_json::json!(["main"]));
    assert!(on.get("pull_request").is_some());
    let jobs = &w["jobs"];

    let check = &jobs["check"];
    assert_eq!(check["if"], "github.event_name == 'pull_request'");
    let check_cmds = ayni_commands(&runs(check), &[]);
    assert_eq!(check_cmds, [["ayni", "check", "--format", "github"]]);

    let build_job = &jobs["build"];
    assert_eq!(build_job["if"], "github.event_name != 'pull_request'");
    let order = uses(build_job);
    assert_eq!(
        order,
        [
            "actions/checkout",
            "actions/cache",
            "actions/cache",
            "actions/configure-pages",
            "actions/upload-pages-artifact"
        ]
    );
    // The second cache is the site's: what the last build of main kept.
    let site_cache = steps(build_job)
        .iter()
        .filter(|s| uses_action(s, "actions/cache"))
        .nth(1)
        .unwrap()
        .clone();
    assert_eq!(site_cache["with"]["path"], ".ayni-cache");
    assert_eq!(site_cache["with"]["restore-keys"], "ayni-site-");
    let pages = steps(build_job)
        .iter()
        .find(|s| uses_action(s, "actions/configure-pages"))
        .unwrap();
    assert_eq!(pages["id"], "pages");
    let upload = steps(build_job).last().unwrap();
    assert_eq!(upload["with"]["path"], "public");
    let build_runs = runs(build_job);
    assert!(
        build_runs
            .iter()
            .any(|r| r == "ayni build --base-url \"${{ steps.pages.outputs.base_url }}\"")
    );

    let deploy = &jobs["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert_eq!(uses(deploy), ["actions/deploy-pages"]);

    // What the runner would do, on a new site: the pull request's check,
    // then main's check and build with the Pages address of a project site
    // (configure-pages gives it without the final slash).
    let (_tmp, dir) = new_site();
    run_all(&check_cmds, &dir);
    let build_cmds = ayni_commands(
        &build_runs,
        &[(
            "${{ steps.pages.outputs.base_url }}",
            "https://org.github.io/kb",
        )],
    );
    assert_eq!(build_cmds.len(), 2, "{build_cmds:?}");
    run_all(&build_cmds, &dir);
    let public = dir.join("public");
    let broken = check_internal_links(&public, "/kb/");
    assert!(broken.is_empty(), "{broken:?}");
    assert!(read_page(&public, "/").contains("href=\"/kb/como-publicar/\""));
    assert!(
        std::fs::read_to_string(public.join("feed.xml"))
            .unwrap()
            .contains("href=\"https://org.github.io/kb/casos/primer-estudio-de-caso/\"")
    );
}

#[test]
fn gitlab_ci_checks_merge_requests_and_publishes_pages() {
    let c = yaml(GITLAB_CI);
    let before: Vec<String> = c["default"]["before_script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    assert!(
        before
            .iter()
            .any(|l| l.contains("cargo install --locked --profile dist --git \"$AYNI_GIT\" ayni"))
    );

    let check = &c["check"];
    assert_eq!(
        check["rules"][0]["if"],
        "$CI_PIPELINE_SOURCE == \"merge_request_event\""
    );
    let script = |job: &Value| -> Vec<String> {
        job["script"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let check_cmds = ayni_commands(&script(check), &[]);
    assert_eq!(check_cmds, [["ayni", "check"]]);

    // GitLab publishes the job named `pages` and its `public` artifact.
    let pages = &c["pages"];
    assert_eq!(pages["stage"], "deploy");
    assert_eq!(
        pages["rules"][0]["if"],
        "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    );
    assert_eq!(pages["artifacts"]["paths"], serde_json::json!(["public"]));
    assert_eq!(
        pages["cache"][1]["paths"],
        serde_json::json!([".ayni-cache/"]),
        "the site's cache"
    );
    assert_eq!(pages["cache"][0]["paths"], c["default"]["cache"]["paths"]);
    let pages_cmds = ayni_commands(
        &script(pages),
        &[("$CI_PAGES_URL", "https://org.gitlab.io/kb")],
    );
    assert_eq!(
        pages_cmds,
        [
            vec!["ayni", "check"],
            vec!["ayni", "build", "--base-url", "https://org.gitlab.io/kb"]
        ]
    );

    let (_tmp, dir) = new_site();
    run_all(&check_cmds, &dir);
    run_all(&pages_cmds, &dir);
    let broken = check_internal_links(&dir.join("public"), "/kb/");
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn workflow_command_check_can_fail() {
    // The parser the workflow tests rely on rejects what ayni would.
    assert!(ayni::cli::Cli::try_parse_from(["ayni", "build", "--base_url", "x"]).is_err());
    assert!(ayni::cli::Cli::try_parse_from(["ayni", "check", "--format", "gitlab"]).is_err());
    assert_eq!(
        words("ayni build --base-url \"a b\""),
        ["ayni", "build", "--base-url", "a b"]
    );
}

#[test]
fn deploy_doc_shows_the_workflows_init_writes() {
    let doc = std::fs::read_to_string(repo_root().join("docs/deploy.md")).unwrap();
    assert!(
        doc.contains(&format!("```yaml\n{}```", GITHUB_WORKFLOW)),
        "GitHub workflow differs"
    );
    assert!(
        doc.contains(&format!("```yaml\n{}```", GITLAB_CI)),
        "GitLab CI differs"
    );
}

#[test]
fn init_speaks_the_locale_and_new_the_site_unless_told_otherwise() {
    let tmp = tempfile::tempdir().unwrap();
    // No site yet: the locale decides, and Spanish is the default.
    let out = ayni_in_locale(&["init", "en"], tmp.path(), Some("en_US.UTF-8"));
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("Created a new site in `en` (11 files):"),
        "{err}"
    );
    assert!(err.contains("content/pages/how-to-publish.md."), "{err}");
    let out = ayni_in_locale(&["init", "es"], tmp.path(), None);
    let err = text(&out.stderr);
    assert!(
        err.starts_with("Se creó un sitio nuevo en `es` (11 archivos):"),
        "{err}"
    );
    assert!(err.contains("content/pages/como-publicar.md."), "{err}");
    let out = ayni_in_locale(
        &["init", "fr", "--lang", "en"],
        tmp.path(),
        Some("es_PE.UTF-8"),
    );
    assert!(text(&out.stderr).starts_with("Created a new site"));
    // A site's interface language wins over the locale; `--lang` over both.
    let site = tmp.path().join("en");
    let missing = ["new", "guide", "Guía rápida"];
    let out = ayni_in_locale(&missing, &site, Some("en_US.UTF-8"));
    assert!(text(&out.stderr).starts_with("nota: agregue al menos un socio"));
    let out = ayni_in_locale(&["new", "guide", "Otra guía", "--lang", "en"], &site, None);
    assert!(
        text(&out.stderr).starts_with("note: add at least one partner"),
        "{}",
        text(&out.stderr)
    );
    let out = ayni_in_locale(&["new", "studdy", "X", "--lang", "en"], &site, None);
    assert!(text(&out.stderr).starts_with("error: unknown kind `studdy`"));
}
