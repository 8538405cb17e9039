//! `ayni check` and bad input: every mistake reported with its position,
//! hostile files handled without a panic, nothing bad published.

use std::process::Command;
use std::time::Instant;

use ayni::build::{build, check};

use crate::util::Site;

/// Runs `ayni ARGS --root ROOT`; returns the exit code, stdout and stderr.
pub fn ayni(args: &[&str], root: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const BROKEN: &str = "---\ntitle: Roto\nkind: case-study\ndate: 2014-13\npartenrs: [ong-a]\npartners:\n  - care-peu\n  - { id: ong-a, role: sponsr }\noutcomes: [ley-9]\nsdgs: [0, 18]\ncountries: [PEE]\n---\nVer [nada](../nada.md) y [ancla](../estudios/dos.md#no-existe).\n";

/// What `check` says about [`BROKEN`] and a file with an empty title and
/// a misspelt kind, in Spanish (the site's language) and in English.
const SAID: &[(&str, &str)] = &[
    ("mes 13", "month 13"),
    ("clave desconocida `partenrs`", "unknown key `partenrs`"),
    ("¿quiso decir `partners`?", "did you mean `partners`?"),
    (
        "socio desconocido: `care-peu`",
        "unknown partner `care-peu`",
    ),
    (
        "valor desconocido de `role`: `sponsr`",
        "unknown role `sponsr`",
    ),
    ("¿quiso decir `sponsor`?", "did you mean `sponsor`?"),
    (
        "resultado de política desconocido: `ley-9`",
        "unknown outcome `ley-9`",
    ),
    (
        "`#no-existe` no es un título",
        "`#no-existe` is not a heading",
    ),
    (
        "falta la clave obligatoria `date`",
        "missing required key `date`",
    ),
    ("¿quiso decir `study`?", "did you mean `study`?"),
    ("`title` está vacío", "`title` is empty"),
    ("error[unknown-partner]", "error[unknown-partner]"),
    ("ayuda: ", "help: "),
];

#[test]
fn check_reports_every_error_with_position_and_suggestion() {
    let site = Site::fixture("basic");
    site.write("content/casos/roto.md", BROKEN);
    site.write(
        "content/casos/otro.md",
        "---\ntitle: \"\"\nkind: studdy\n---\n",
    );
    let (code, _, err) = ayni(&["check"], site.root());
    assert_eq!(code, 1, "{err}");
    for expected in [
        "content/casos/roto.md:4:7",
        "content/casos/roto.md:5:1",
        "content/casos/roto.md:7:5",
        "content/casos/roto.md:13:5",
        "content/casos/roto.md:13:26",
        "content/casos/otro.md",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    // The site is in Spanish: so is every message, and `--lang en` says
    // them in English.
    let (code, _, english) = ayni(&["check", "--lang", "en"], site.root());
    assert_eq!(code, 1, "{english}");
    for (es, en) in SAID {
        assert!(err.contains(es), "missing `{es}` in:\n{err}");
        assert!(english.contains(en), "missing `{en}` in:\n{english}");
    }
    assert!(err.ends_with("14 errores, 5 avisos\n"), "{err}");
    assert!(english.ends_with("14 errors, 5 warnings\n"), "{english}");
    // A caret under the exact span of the unknown partner.
    assert!(err.contains("  - care-peu\n  |     ^^^^^^^^"), "{err}");
    // Files are reported in order, errors of one file together.
    assert!(err.find("otro.md").unwrap() < err.find("roto.md").unwrap());
}

#[test]
fn check_json_matches_the_contract() {
    let site = Site::fixture("basic");
    site.write("content/casos/roto.md", BROKEN);
    let (code, out, _) = ayni(&["check", "--format", "json"], site.root());
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["errors"].as_u64().unwrap() >= 8);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-partner")
        .unwrap();
    assert_eq!(d["file"], "content/casos/roto.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(5))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(7), Some(13))
    );
    assert_eq!(d["severity"], "error");
    assert!(
        d["suggestion"].is_null(),
        "no partner id is close to `care-peu` here"
    );
    let key = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-key")
        .unwrap();
    assert_eq!(key["suggestion"], "partners");
    assert_eq!(
        (key["line"].as_u64(), key["column"].as_u64()),
        (Some(5), Some(1))
    );
}

#[test]
fn check_github_format_gives_annotations() {
    let site = Site::fixture("basic");
    site.write("content/casos/roto.md", BROKEN);
    let (code, out, _) = ayni(&["check", "--format", "github"], site.root());
    assert_eq!(code, 1);
    assert!(
        out.lines()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")),
        "{out}"
    );
    assert!(
        out.contains("::error file=content/casos/roto.md,line=7,col=5,endLine=7,endColumn=13,title=ayni unknown-partner::socio desconocido: `care-peu`"),
        "{out}"
    );
}

#[test]
fn clean_site_checks_clean_and_warnings_do_not_fail() {
    let site = Site::fixture("basic");
    site.write(
        "content/casos/sin-resumen.md",
        "---\ntitle: Sin resumen\nkind: study\ndate: 2014\npartners: [ong-a]\n---\n",
    );
    let (code, _, err) = ayni(&["check"], site.root());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("aviso[no-summary]"), "{err}");
    assert!(err.contains("aviso[no-topics]"), "{err}");
    assert!(
        err.contains("0 errores, 3 avisos\nNo se encontraron errores."),
        "{err}"
    );
}

#[test]
fn build_with_errors_exits_1_and_keeps_old_output() {
    let site = Site::fixture("basic");
    let (code, _, _) = ayni(&["build"], site.root());
    assert_eq!(code, 0);
    let before = site.page("/");
    site.write("content/casos/roto.md", BROKEN);
    let (code, _, err) = ayni(&["build"], site.root());
    assert_eq!(code, 1);
    assert!(err.contains("socio desconocido: `care-peu`"), "{err}");
    assert!(err.contains("error: la construcción se detuvo"), "{err}");
    assert_eq!(site.page("/"), before);
    assert!(!site.out().join("casos/roto").exists());
}

#[test]
fn usage_errors_exit_2() {
    let site = Site::fixture("basic");
    let (code, _, _) = ayni(&["build", "--no-such-flag"], site.root());
    assert_eq!(code, 2);
    let (code, _, err) = ayni(&["build"], &site.root().join("missing"));
    assert_eq!(code, 2, "{err}");
}

fn codes(site: &Site) -> Vec<&'static str> {
    check(&site.opts())
        .unwrap()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect()
}

#[test]
fn hostile_and_broken_files() {
    let site = Site::fixture("basic");
    let cases: &[(&str, &[u8], &str)] = &[
        ("vacio.md", b"", "no-front-matter"),
        (
            "sin-cierre.md",
            b"---\ntitle: x\nkind: study\n",
            "unclosed-front-matter",
        ),
        (
            "tabs.md",
            b"---\ntitle: x\npartners:\n\t- ong-a\n---\n",
            "tab-indent",
        ),
        ("utf8.md", b"---\ntitle: \xff\xfe\n---\n", "not-text"),
        (
            "binario.md",
            b"\x7fELF\x02\x01\x01\x00\x00\x00\x00",
            "not-text",
        ),
        (
            "yaml-roto.md",
            b"---\ntitle: [sin cerrar\n---\n",
            "unclosed-bracket",
        ),
        ("lista.md", b"---\n- a\n- b\n---\n", "yaml"),
    ];
    for (name, bytes, code) in cases {
        std::fs::write(site.root().join("content/casos").join(name), bytes).unwrap();
        let found = codes(&site);
        assert!(
            found.contains(code),
            "{name}: expected {code}, got {found:?}"
        );
        std::fs::remove_file(site.root().join("content/casos").join(name)).unwrap();
    }
}

#[test]
fn bom_crlf_spaces_and_accents_are_fine() {
    let site = Site::fixture("basic");
    site.write(
        "content/casos/Año de Estudio.md",
        "\u{feff}---\r\ntitle: Con BOM y CRLF\r\nkind: study\r\ndate: 2014\r\nsummary: s\r\npartners: [ong-a]\r\ntopics: [x]\r\n---\r\nTexto.\r\n",
    );
    site.build();
    assert!(
        site.page("/casos/ano-de-estudio/")
            .contains("Con BOM y CRLF")
    );
}

#[test]
fn yaml_alias_bomb_fails_fast() {
    let site = Site::fixture("basic");
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        bomb.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n;
    }
    bomb.push_str("title: x\n---\n");
    site.write("content/casos/bomba.md", &bomb);
    let start = Instant::now();
    let found = codes(&site);
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    assert!(found.contains(&"yaml"), "{found:?}");
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_crash() {
    let site = Site::fixture("basic");
    let deep = format!(
        "---\ntitle: {}{}\n---\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    site.write("content/casos/hondo.md", &deep);
    assert!(codes(&site).contains(&"yaml"));
}

#[test]
fn fifty_megabyte_markdown_builds() {
    let site = Site::fixture("basic");
    let para = "Las alianzas aprenden de sus socios y **comparten** lo que saben sobre políticas públicas.\n\n";
    let mut text = String::from(
        "---\ntitle: Enorme\nkind: study\ndate: 2014\nsummary: s\npartners: [ong-a]\ntopics: [x]\n---\n",
    );
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(para);
    }
    site.write("content/casos/enorme.md", &text);
    site.build();
    let size = std::fs::metadata(site.out().join("casos/enorme/index.html"))
        .unwrap()
        .len();
    assert!(size > 50 * 1024 * 1024);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_and_harmless() {
    let site = Site::fixture("basic");
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/casos/bucle"),
    )
    .unwrap();
    let diags = check(&site.opts()).unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d.code == "walk" && d.message.contains("loops")),
        "{diags:?}"
    );
    build(&site.opts()).unwrap();
}

/// A loop found by the walk, in `content/` or in `static/`, is reported by
/// every build, including one the build cache answers.
#[test]
#[cfg(unix)]
fn symlink_loop_warning_is_repeated_when_the_cache_answers() {
    let site = Site::fixture("basic");
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(site.root().join(target), site.root().join(at)).unwrap()
    };
    link("content", "content/casos/bucle");
    link("static", "static/bucle");
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_ayni"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    for (n, err) in [run(), run()].iter().enumerate() {
        for path in ["content/casos/bucle", "static/bucle"] {
            assert!(
                err.contains(&format!("`{path}` es un enlace simbólico que vuelve")),
                "build {n} did not report {path}:\n{err}"
            );
        }
        assert!(n == 0 || err.contains("Al día"), "{err}");
    }
}

#[test]
fn unsafe_urls_and_paths_are_rejected() {
    let site = Site::fixture("basic");
    site.write(
        "content/casos/malo.md",
        "---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nslug: ../../fuera\naliases: [../escape]\nfiles: [../../etc/passwd]\nsource: { url: \"javascript:alert(1)\" }\n---\n[x](javascript:alert(1))\n",
    );
    site.write(
        "content/partners/malo.md",
        "---\nname: Malo\nwebsite: \"javascript:alert(1)\"\nlogo: ../../secreto.png\n---\n",
    );
    let found = codes(&site);
    assert!(
        found.iter().filter(|c| **c == "bad-path").count() >= 4,
        "{found:?}"
    );
    assert!(
        found.iter().filter(|c| **c == "unsafe-url").count() >= 3,
        "{found:?}"
    );
}

#[test]
fn duplicate_urls_membership_cycles_and_bad_ids() {
    let site = Site::fixture("basic");
    site.write(
        "content/estudios/otro.md",
        "---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nslug: dos\n---\n",
    );
    site.write("content/estudios/tres.md", "---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\naliases: [estudios/dos]\nauthors: [{ name: A, orcid: 0000-0002-1825-0098 }]\n---\n");
    site.write(
        "content/partners/ong-a.md",
        "---\nname: ONG Alfa\nmembers: [red]\n---\n",
    );
    site.write(
        "content/partners/estado-b.md",
        "---\nname: B\nmembers: [nadie]\ntype: estado\ncountry: XX\n---\n",
    );
    let found = codes(&site);
    for code in [
        "duplicate-url",
        "membership-cycle",
        "unknown-member",
        "bad-orcid",
        "unknown-value",
        "unknown-country",
    ] {
        assert!(found.contains(&code), "{code} missing from {found:?}");
    }
}

#[test]
fn missing_attachment_is_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/casos/sin-pdf.md",
        "---\ntitle: x\nkind: study\ndate: 2014\npartners: [ong-a]\nfiles:\n  - { path: informe.pdf, title: Informe }\n---\n",
    );
    let diags = check(&site.opts()).unwrap();
    let d = diags
        .iter()
        .find(|d| d.code == "missing-file")
        .expect("missing-file reported");
    assert_eq!(d.position().unwrap().0, (7, 13));
}

#[test]
fn raw_html_is_sanitized_unless_the_site_opts_out() {
    let site = Site::fixture("basic");
    site.write(
        "content/casos/html.md",
        "---\ntitle: x\nkind: study\ndate: 2014\nsummary: s\npartners: [ong-a]\ntopics: [x]\n---\n<script>alert('x')</script>\n\n<p onmouseover=\"steal()\">hola</p>\n",
    );
    site.write("content/partners/ong-a.md", "---\nname: \"ONG <script>alert(2)</script>\"\nshort_name: \"\\\" onmouseover=\\\"x\"\n---\n");
    site.build();
    let html = site.page("/casos/html/");
    assert!(!html.contains("<script>alert"), "script removed");
    assert!(!html.contains("onmouseover=\"steal"), "handler removed");
    assert!(html.contains("hola"));
    assert!(
        html.contains("ONG &lt;script&gt;alert(2)&lt;/script&gt;"),
        "partner names escaped"
    );
    assert!(!html.contains("\" onmouseover=\"x"), "short names escaped");
    site.write("site.yaml", "title: t\nunsafe_html: true\n");
    site.build();
    assert!(
        site.page("/casos/html/")
            .contains("<script>alert('x')</script>"),
        "opt-out keeps raw HTML"
    );
}

/// How standard output is spoiled for [`no_command_panics_on_a_closed_or_full_stdout`].
#[derive(Debug, Clone, Copy)]
enum Spoiled {
    /// A pipe whose reader has gone (`| head -c0`).
    Pipe,
    /// `> /dev/full`.
    Full,
    /// `>&-`.
    Closed,
}

/// Runs `ayni ARGS` with stdout spoiled; returns the exit code and stderr.
fn spoiled(args: &[String], how: Spoiled) -> (i32, String) {
    use std::process::Stdio;
    let bin = env!("CARGO_BIN_EXE_ayni");
    let mut cmd = match how {
        Spoiled::Closed => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg("exec \"$0\" \"$@\" >&-")
                .arg(bin)
                .args(args);
            c
        }
        _ => {
            let mut c = Command::new(bin);
            c.args(args);
            c
        }
    };
    cmd.env("NO_COLOR", "1").stderr(Stdio::piped());
    match how {
        Spoiled::Full => {
            cmd.stdout(std::fs::File::create("/dev/full").unwrap());
        }
        Spoiled::Pipe => {
            cmd.stdout(Stdio::piped());
        }
        Spoiled::Closed => {}
    }
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn no_command_panics_on_a_closed_or_full_stdout() {
    let site = Site::fixture("basic");
    site.build();
    let root = site.root().to_str().unwrap().to_string();
    // `new` adds a product, which would change what `check` says.
    let other = Site::fixture("basic");
    let other_root = other.root().to_str().unwrap().to_string();
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("out").to_str().unwrap().to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["--help"],
        vec!["--version"],
        vec!["build", "--root", &root],
        vec!["build", "--root", &root, "--out", &out, "--timings"],
        vec!["check", "--root", &root],
        vec!["check", "--root", &root, "--format", "json"],
        vec!["check", "--root", &root, "--format", "github"],
        vec!["search", "caso", "--root", &root],
        vec!["search", "caso", "--root", &root, "--json"],
        vec!["search", "nadadenada", "--root", &root],
        vec!["new", "study", "Un estudio", "--root", &other_root],
        vec!["init"],
    ];
    let mut n = 0;
    for case in &cases {
        for how in [Spoiled::Pipe, Spoiled::Full, Spoiled::Closed] {
            let mut args: Vec<String> = case.iter().map(|s| s.to_string()).collect();
            if args == ["init"] {
                n += 1;
                args.push(fresh.path().join(format!("init{n}")).display().to_string());
            }
            let (code, err) = spoiled(&args, how);
            assert!(
                (0..=2).contains(&code) && !err.contains("panicked"),
                "ayni {args:?} with stdout {how:?}: exit {code}\n{err}"
            );
        }
    }
    // A full disk is an error with a message; a reader that left is not.
    let json = ["check", "--root", &root, "--format", "json"].map(String::from);
    let (code, err) = spoiled(&json, Spoiled::Full);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("No space left"), "{err}");
    let (code, err) = spoiled(&json, Spoiled::Pipe);
    assert_eq!(code, 0, "{err}");
    assert!(err.trim().is_empty() || !err.contains("error"), "{err}");
}

/// The mistakes editors make in front matter: each row is a product's
/// file, the code, the line and column of the mistake and words of its
/// message and advice.
const YAML_MISTAKES: &[(&str, &str, (usize, usize), &str)] = &[
    (
        "---\ntitle: \"Gestión del conocimiento\nkind: study\ndate: 2014\n---\n",
        "unclosed-quote",
        (2, 8),
        "this `\"` is never closed",
    ),
    (
        "---\ntitle: \"Gestión\nkind: \"study\"\ndate: 2014\n---\n",
        "unclosed-quote",
        (2, 8),
        "end the text with `\"` on the same line",
    ),
    (
        "---\ntitle: \"El \"buen\" vivir\"\nkind: study\n---\n",
        "text-after-quote",
        (2, 12),
        "put the whole text between `'` instead",
    ),
    (
        "---\ntitle: x\npartners:\n\t- ong-a\n---\n",
        "tab-indent",
        (4, 1),
        "indent with spaces",
    ),
    (
        "---\ntitle: x\nkind:study\ndate: 2014\n---\n",
        "no-space-after-colon",
        (3, 5),
        "write `kind: study`",
    ),
    (
        "---\ntitle: x\ntopics: [agua, clima\nkind: study\n---\n",
        "unclosed-bracket",
        (3, 9),
        "close the list with `]`",
    ),
    (
        "---\ntitle: x\npartners:\n  - ong-a\n - donante\nkind: study\n---\n",
        "list-indent",
        (5, 2),
        "start every `-` of one list in the same column",
    ),
    (
        "---\ntitle: Gestión: una guía\nkind: study\n---\n",
        "colon-in-value",
        (2, 15),
        "put the value in quotes: `title: \"Gestión: una guía\"`",
    ),
    (
        "---\ntitle: x\nkind: study\ndate: 2014\n\n# Resultados\n\nEl texto.\n",
        "unclosed-front-matter",
        (6, 1),
        "add a line `---` after the last key, before the text",
    ),
];

#[test]
fn yaml_mistakes_are_reported_where_they_are_with_fitting_advice() {
    let site = Site::fixture("basic");
    for (text, code, (line, col), words) in YAML_MISTAKES {
        site.write("content/casos/error.md", text);
        let diags = check(&site.opts()).unwrap();
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{text:?}: {errors:#?}");
        let d = errors[0];
        let shown = format!("{}\n{}", d.render(false, ayni::messages::Lang::En), d);
        assert_eq!(d.code, *code, "{text:?}: {shown}");
        assert_eq!(
            d.position().map(|p| p.0),
            Some((*line, *col)),
            "{text:?}: {shown}"
        );
        assert!(shown.contains(words), "{text:?}: `{words}` not in {shown}");
    }
}

#[test]
fn a_file_that_fails_to_load_adds_no_errors_elsewhere() {
    let site = Site::fixture("basic");
    let broken = |rel: &str, from: &str, to: &str| {
        let path = site.root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    // Linked from another product, a partner and an outcome that products name.
    broken(
        "content/estudios/dos.md",
        "title: Estudio dos",
        "title: \"Estudio dos",
    );
    broken(
        "content/partners/ong-a.md",
        "name: ONG Alfa",
        "name: \"ONG Alfa",
    );
    broken(
        "content/outcomes/ley-1.md",
        "jurisdiction: PE",
        "jurisdiction: [PE",
    );
    let errors: Vec<String> = check(&site.opts())
        .unwrap()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    for rel in ["estudios/dos.md", "partners/ong-a.md", "outcomes/ley-1.md"] {
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("content/{rel}:"))),
            "{errors:#?}"
        );
    }
}
