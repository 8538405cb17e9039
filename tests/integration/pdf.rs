//! Attached PDFs: their text against poppler's `pdftotext` on PDFs from
//! three real producers (Chromium's print to PDF, pdfTeX, and a Debian
//! package's Spanish manual made with XeTeX), the warnings for scans and for
//! encrypted, truncated and damaged files, the cache of extractions, and
//! hits found only in a PDF's text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ayni::pdf::{self, Problem};

use crate::check::ayni;
use crate::tools::{self, program};
use crate::util::{Site, fixtures};

/// The Spanish history of Debian, as its package ships it.
const DEBIAN_PDF: &str = "/usr/share/doc/debian-history/docs/project-history.es.pdf";

/// Where the PDFs made from `tests/fixtures/pdf/` are kept between tests.
fn made_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pdf");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a producer once per test binary and file; a failed run fails the
/// test with what the producer said.
fn produce(out: &Path, cmd: &mut Command) -> PathBuf {
    if !out.is_file() {
        let done = cmd.output().unwrap();
        assert!(
            out.is_file(),
            "{cmd:?} made no {}: {}",
            out.display(),
            String::from_utf8_lossy(&done.stderr)
        );
    }
    out.to_path_buf()
}

/// The Spanish report printed to PDF by headless Chromium (subset
/// TrueType fonts, running heads and feet on every page).
fn chromium_pdf() -> Option<PathBuf> {
    let browser = tools::which("chromium")
        .or_else(|| tools::which("chromium-browser"))
        .or_else(|| tools::skip("`chromium`", "apt-get install chromium"))?;
    let dir = made_dir();
    let html = fixtures().join("pdf/informe.html");
    let out = dir.join("chromium.pdf");
    Some(produce(
        &out,
        Command::new(browser)
            .args(["--headless=new", "--no-sandbox", "--disable-gpu"])
            .arg(format!("--print-to-pdf={}", out.display()))
            .arg(format!("file://{}", html.display())),
    ))
}

/// The Spanish evaluation typeset by pdfTeX (Type 1 fonts, fi and fl
/// ligatures, hyphenation, running heads).
fn pdftex_pdf() -> Option<PathBuf> {
    let tex = program(
        "pdflatex",
        "apt-get install texlive-latex-base texlive-lang-spanish",
    )?;
    let dir = made_dir().join("tex");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixtures().join("pdf/informe.tex"), dir.join("informe.tex")).unwrap();
    Some(produce(
        &dir.join("informe.pdf"),
        Command::new(tex)
            .current_dir(&dir)
            .args(["-interaction=nonstopmode", "informe.tex"]),
    ))
}

pub(crate) fn debian_pdf() -> Option<PathBuf> {
    let p = PathBuf::from(DEBIAN_PDF);
    if p.is_file() {
        Some(p)
    } else {
        tools::skip(
            "Debian's Spanish history of the project",
            "apt-get install debian-history",
        )
    }
}

/// A page scanned to an image, with no text layer.
fn scan_pdf() -> Option<PathBuf> {
    let img2pdf = program("img2pdf", "apt-get install img2pdf")?;
    let out = made_dir().join("scan.pdf");
    Some(produce(
        &out,
        Command::new(img2pdf)
            .arg(fixtures().join("pdf/scan.png"))
            .arg("-o")
            .arg(&out),
    ))
}

/// The pdfTeX report encrypted with a password to open it.
fn encrypted_pdf() -> Option<PathBuf> {
    let qpdf = program("qpdf", "apt-get install qpdf")?;
    let plain = pdftex_pdf()?;
    let out = made_dir().join("encrypted.pdf");
    Some(produce(
        &out,
        Command::new(qpdf)
            .args(["--encrypt", "clave", "dueno", "256", "--"])
            .arg(plain)
            .arg(&out),
    ))
}

/// Lowercase words with their counts, as a reader would search them.
fn words(pages: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for page in pages {
        for w in page
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            *counts.entry(w.to_lowercase()).or_default() += 1;
        }
    }
    counts
}

/// Poppler's pages, cleaned as ayni cleans its own, so that only the
/// extraction is compared.
fn oracle(pdf: &Path) -> Option<Vec<String>> {
    let pdftotext = program("pdftotext", "apt-get install poppler-utils")?;
    let out = Command::new(pdftotext).arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\x0c').map(pdf::text::clean_page).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pdf::text::drop_repeated(&mut pages);
    Some(pages)
}

/// The share of words the two texts have in common, counted with their
/// repetitions, over the larger of the two: both a missed word and an
/// invented one lower it.
fn agreement(ours: &[String], theirs: &[String]) -> f64 {
    let (a, b) = (words(ours), words(theirs));
    let common: usize = a
        .iter()
        .map(|(w, n)| (*n).min(b.get(w).copied().unwrap_or(0)))
        .sum();
    let total = a.values().sum::<usize>().max(b.values().sum::<usize>());
    common as f64 / total.max(1) as f64
}

fn extract(path: &Path) -> pdf::Extraction {
    pdf::extract(std::fs::read(path).unwrap(), pdf::DEADLINE)
}

fn assert_agrees(path: &Path, pages: usize) {
    let Some(theirs) = oracle(path) else { return };
    let ours = extract(path);
    assert_eq!(ours.problem, None, "{}", path.display());
    assert_eq!(ours.page_count, pages, "{}", path.display());
    assert_eq!(ours.pages.len(), theirs.len(), "{}", path.display());
    let a = agreement(&ours.pages, &theirs);
    eprintln!("{}: {:.3} word agreement with pdftotext", path.display(), a);
    assert!(a >= 0.95, "{}: {a:.3} word agreement", path.display());
}

#[test]
fn chromium_print_to_pdf_text_agrees_with_pdftotext() {
    let Some(path) = chromium_pdf() else { return };
    assert_agrees(&path, 4);
    let e = extract(&path);
    let all = e.pages.concat();
    assert!(all.contains("Sistematización"), "{all}");
    assert!(all.contains("participación"), "{all}");
    // The running head (the page's title and date) is kept on page 1 only.
    let head = e.pages[1..]
        .iter()
        .filter(|p| p.contains("Sistematización de la mesa"))
        .count();
    assert_eq!(head, 0, "{:?}", e.pages);
    assert_eq!(
        e.meta.title.as_deref(),
        Some("Sistematización de la mesa de concertación de Ayacucho")
    );
}

#[test]
fn pdftex_text_agrees_with_pdftotext_with_ligatures_and_hyphens_joined() {
    let Some(path) = pdftex_pdf() else { return };
    assert_agrees(&path, 3);
    let e = extract(&path);
    let all = e.pages.concat();
    // fi and fl are ligatures in the font; the words come out spelt.
    for word in [
        "eficacia",
        "eficiencia",
        "flores",
        "reflexión",
        "financiamiento",
    ] {
        assert!(all.contains(word), "{word} missing from {all}");
    }
    assert!(!all.contains('\u{FB01}') && !all.contains('\u{FB02}'));
    // Every word TeX broke at a line end is whole again.
    let broken = all.lines().filter(|l| l.trim_end().ends_with('-')).count();
    assert_eq!(broken, 0, "{all}");
    // pdfTeX stamps its Info dictionary with the day it ran.
    assert!(
        e.meta.date.as_ref().is_some_and(|d| d.len() == 10),
        "{:?}",
        e.meta
    );
}

#[test]
fn a_debian_spanish_manual_agrees_with_pdftotext() {
    let Some(path) = debian_pdf() else { return };
    assert_agrees(&path, 28);
    let e = extract(&path);
    assert_eq!(
        e.meta.title.as_deref(),
        Some("Una breve historia de Debian")
    );
}

#[test]
fn scans_encrypted_and_cut_files_say_what_is_wrong() {
    if let Some(scan) = scan_pdf() {
        let e = extract(&scan);
        assert_eq!(e.problem, Some(Problem::NoText));
        assert_eq!(e.page_count, 1);
    }
    if let Some(enc) = encrypted_pdf() {
        assert_eq!(extract(&enc).problem, Some(Problem::Encrypted));
    }
    if let Some(plain) = pdftex_pdf() {
        let bytes = std::fs::read(plain).unwrap();
        let cut = pdf::extract(bytes[..bytes.len() / 3].to_vec(), pdf::DEADLINE);
        assert!(matches!(cut.problem, Some(Problem::Damaged(_))), "{cut:?}");
    }
    let e = pdf::extract(b"<html>no soy un PDF</html>".to_vec(), pdf::DEADLINE);
    assert!(matches!(e.problem, Some(Problem::Damaged(_))), "{e:?}");
}

/// The fixture site with a product attaching `pdf` as `informe.pdf`.
fn site_with(pdf: &Path) -> Site {
    let site = Site::fixture("basic");
    let product = site.root().join("content/casos/uno.md");
    let text = std::fs::read_to_string(&product).unwrap();
    let text = text.replacen("---\n", "---\nfiles: [informe.pdf]\n", 1);
    std::fs::write(&product, text).unwrap();
    std::fs::copy(pdf, site.root().join("content/casos/informe.pdf")).unwrap();
    site
}

#[test]
fn check_and_build_warn_about_a_bad_pdf_and_the_site_still_builds() {
    let cases: Vec<(Option<PathBuf>, &str, &str)> = vec![
        (scan_pdf(), "pdf-no-text", "OCR"),
        (encrypted_pdf(), "pdf-encrypted", "cifrado"),
    ];
    for (pdf, code, says) in cases {
        let Some(pdf) = pdf else { continue };
        let site = site_with(&pdf);
        let (status, _, err) = ayni(&["check"], site.root());
        assert_eq!(status, 0, "{err}");
        assert!(err.contains(code) && err.contains(says), "{err}");
        assert!(err.contains("content/casos/uno.md:"), "{err}");
        let (status, _, err) = ayni(&["build"], site.root());
        assert_eq!(status, 0, "{err}");
        assert!(err.contains(code), "{err}");
        assert!(site.page("/casos/uno/").contains("informe.pdf"));
    }
}

/// A cut file is named with what is wrong, and the site builds: its page
/// still links the PDF, with no cover drawn from it.
#[test]
fn a_cut_pdf_is_named_with_what_is_wrong() {
    let Some(plain) = pdftex_pdf() else { return };
    let bytes = std::fs::read(plain).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.pdf");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let site = site_with(&cut);
    let (status, _, err) = ayni(&["build"], site.root());
    assert_eq!(status, 0, "{err}");
    assert!(
        err.contains("pdf-damaged") && err.contains("informe.pdf"),
        "{err}"
    );
    assert!(!cover_of(&site).exists());
    let page = site.page("/casos/uno/");
    assert!(page.contains("informe.pdf") && !page.contains("cover.jpg"));
}

#[test]
fn a_word_only_in_a_pdf_finds_its_product_and_page() {
    let Some(pdf) = pdftex_pdf() else { return };
    let site = site_with(&pdf);
    site.build();
    // "glosario" is on page 3 of the evaluation and nowhere in the site.
    let (status, out, err) = ayni(&["search", "glosario"], site.root());
    assert_eq!(status, 0, "{err}");
    assert!(
        out.contains("PDF, p. 3: /casos/informe.pdf#page=3"),
        "{out}"
    );
    assert!(out.contains("[glosario]"), "{out}");
    let (_, json, _) = ayni(&["search", "glosario", "--json"], site.root());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hit = &v["hits"][0];
    assert_eq!(hit["url"], "/casos/uno/");
    assert_eq!(hit["file"], "informe.pdf");
    assert_eq!(hit["page"], 3);
    assert_eq!(hit["file_url"], "/casos/informe.pdf#page=3");
    // The product page tells the PDF's pages beside its size.
    assert!(site.page("/casos/uno/").contains("PDF · 3 págs. · "));
}

#[test]
fn an_unchanged_pdf_is_read_from_the_cache_and_a_changed_one_again() {
    let (Some(tex), Some(chromium)) = (pdftex_pdf(), chromium_pdf()) else {
        return;
    };
    let site = site_with(&tex);
    site.build();
    // The cache's record of the PDF is given a word the PDF does not
    // have: found after a rebuild, it shows the PDF was not parsed again.
    let store = pdf::store::dir(&site.opts().cache_dir());
    let key = pdf::store::key(&std::fs::read(&tex).unwrap());
    let mut e = pdf::store::get(&store, &key).expect("the extraction is cached");
    e.pages[0].push_str("\nxilofonista\n");
    pdf::store::put(&store, &key, &e);
    touch_product(&site);
    site.build();
    let (_, out, _) = ayni(&["search", "xilofonista"], site.root());
    assert!(out.contains("PDF, p. 1"), "{out}");
    // Another PDF in its place is read.
    std::fs::copy(&chromium, site.root().join("content/casos/informe.pdf")).unwrap();
    site.build();
    let (_, out, _) = ayni(&["search", "xilofonista"], site.root());
    assert!(out.contains("No results"), "{out}");
    let (_, out, _) = ayni(&["search", "lideresas"], site.root());
    assert!(out.contains("PDF, p. 4"), "{out}");
}

/// Edits the product's body, so that the build cache does not keep the
/// last output.
fn touch_product(site: &Site) {
    let p = site.root().join("content/casos/uno.md");
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str("\nUna línea más.\n");
    std::fs::write(p, text).unwrap();
}

#[test]
fn import_writes_a_draft_per_pdf_that_passes_check_and_never_overwrites() {
    let pdfs: Vec<PathBuf> = [chromium_pdf(), pdftex_pdf(), debian_pdf(), scan_pdf()]
        .into_iter()
        .flatten()
        .collect();
    if pdfs.is_empty() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    for (i, p) in pdfs.iter().enumerate() {
        std::fs::copy(p, folder.path().join(format!("informe-{i}.pdf"))).unwrap();
    }
    let site = Site::fixture("basic");
    let args = [
        "import",
        folder.path().to_str().unwrap(),
        "--partner",
        "ong-a",
        "--kind",
        "study",
    ];
    let (status, out, err) = ayni(&args, site.root());
    assert_eq!(status, 0, "{out}{err}");
    let written: Vec<&str> = out.lines().filter(|l| l.contains(" <- ")).collect();
    assert_eq!(written.len(), pdfs.len(), "{out}");
    for line in &written {
        let product = line.split(" <- ").next().unwrap();
        let text = std::fs::read_to_string(product).unwrap();
        assert!(text.contains("\ndraft: true\n"), "{text}");
        assert!(text.contains("partners:\n  - ong-a\n"), "{text}");
        let pdf = Path::new(product).parent().unwrap();
        assert!(
            std::fs::read_dir(pdf).unwrap().any(|e| e
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pdf"))
        );
    }
    let all = written
        .iter()
        .map(|l| std::fs::read_to_string(l.split(" <- ").next().unwrap()).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    if chromium_pdf().is_some() {
        assert!(
            all.contains("title: \"Sistematización de la mesa de concertación de Ayacucho\""),
            "{all}"
        );
        assert!(
            all.contains("# Tomado de los primeros párrafos del PDF: revíselo.\nsummary: "),
            "{all}"
        );
    }
    // The scan has no text and no title: the note says so.
    if scan_pdf().is_some() {
        assert!(
            err.contains("no title found") && err.contains("OCR"),
            "{err}"
        );
    }
    // Checked as drafts, that is with the new files in the site.
    let (status, _, check_err) = ayni(&["check", "--drafts"], site.root());
    assert_eq!(status, 0, "{check_err}");
    // A second import writes beside, never over, what the first wrote.
    let before: Vec<String> = written
        .iter()
        .map(|l| std::fs::read_to_string(l.split(" <- ").next().unwrap()).unwrap())
        .collect();
    let (status, again, _) = ayni(&args, site.root());
    assert_eq!(status, 0);
    for (line, text) in written.iter().zip(&before) {
        let product = line.split(" <- ").next().unwrap();
        assert_eq!(&std::fs::read_to_string(product).unwrap(), text);
        assert!(!again.contains(&format!("{product} <- ")), "{again}");
    }
}

/// Every file under the output's `search/`, by path.
fn search_files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(out.join("search"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().display().to_string();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A PDF changes nothing of the search page's first index: its words are
/// in an index of their own, `search/pdf/`, which `meta.json` announces.
#[test]
fn a_pdf_adds_its_own_index_and_changes_nothing_a_first_query_loads() {
    let Some(pdf) = pdftex_pdf() else { return };
    let plain = Site::fixture("basic");
    plain.build();
    let with = site_with(&pdf);
    // The same product, with the attachment named and absent from the
    // plain site's files: only the PDF's text differs.
    with.build();
    let (a, b) = (search_files(&plain.out()), search_files(&with.out()));
    assert!(!a.is_empty());
    let (own, added): (Vec<_>, Vec<_>) =
        b.into_iter().partition(|f| !f.0.starts_with("search/pdf/"));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&own));
    let differ: Vec<&String> = a
        .iter()
        .zip(&own)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| &x.0)
        .collect();
    assert_eq!(differ, ["search/meta.json"]);
    let meta = |v: &[(String, Vec<u8>)]| -> serde_json::Value {
        let f = v.iter().find(|f| f.0 == "search/meta.json").unwrap();
        serde_json::from_slice(&f.1).unwrap()
    };
    let (mut before, after) = (meta(&a), meta(&own));
    assert_eq!(before.get("pdf"), None);
    before["pdf"] = serde_json::json!(true);
    assert_eq!(before, after);
    for dir in ["v/", "p/", "o/", "t/"] {
        assert!(
            added
                .iter()
                .any(|f| f.0.starts_with(&format!("search/pdf/{dir}"))),
            "{dir}: {:?}",
            names(&added)
        );
    }
}

/// The search page finds a product by words only its PDF holds, after the
/// first results: the page, its passage with the words marked, the PDF's
/// link at that page, phrases in order; the same page `ayni search` gives.
#[test]
fn the_search_page_finds_words_only_a_pdf_holds_after_the_first_results() {
    let Some(pdf) = pdftex_pdf() else { return };
    let site = site_with(&pdf);
    site.build();
    let Some(node) = crate::tools::node() else {
        return;
    };
    let queries = serde_json::json!({"queries": [
        {"q": "glosario"}, {"q": "contexto glosario"}, {"q": "\"glosario de términos\""},
        {"q": "\"términos glosario\""}, {"q": "contexto"}, {"q": "morosidad"}, {"q": "caudal"}
    ]});
    let file = site.root().join("pdf-queries.json");
    std::fs::write(&file, queries.to_string()).unwrap();
    let got = crate::tools::run_js(
        &node,
        "pdf.js",
        [site.out().join("search").into_os_string(), file.into()],
    );
    let files = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| f[0].as_str().unwrap().to_string())
            .collect()
    };
    // Found only in the PDF: nothing first, then the product at page 3,
    // where `ayni search` finds it too.
    let (_, json, _) = ayni(&["search", "glosario", "--json"], site.root());
    let cli: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(got[0]["first"], serde_json::json!([]));
    let hit = &got[0]["pdf"][0];
    assert_eq!(hit["url"], "/casos/uno/");
    assert_eq!(hit["file"], cli["hits"][0]["file_url"]);
    assert_eq!(hit["file"], "/casos/informe.pdf#page=3");
    assert_eq!(hit["page"], 3);
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("un glosario de términos"),
        "{hit}"
    );
    assert_eq!(hit["marks"], serde_json::json!(["glosario"]));
    // A word of the product's text and one of its PDF find it together.
    assert_eq!(got[1]["pdf"][0]["url"], "/casos/uno/", "{}", got[1]);
    // A phrase keeps its order in the PDF as elsewhere.
    assert_eq!(got[2]["pdf"][0]["page"], 3, "{}", got[2]);
    assert_eq!(got[3]["pdf"], serde_json::json!([]), "{}", got[3]);
    // A word the product's own text holds is found first, loading nothing
    // of the PDFs' index; the PDFs add no second hit of the same product.
    assert_eq!(got[4]["first"], serde_json::json!(["/casos/uno/"]));
    assert!(
        files(&got[4]["firstFiles"])
            .iter()
            .all(|f| !f.starts_with("pdf/")),
        "{}",
        got[4]
    );
    assert_eq!(got[4]["pdf"], serde_json::json!([]));
    // "morosidad" is on page 2 of the evaluation; its PDF files are small.
    assert_eq!(got[5]["pdf"][0]["page"], 2, "{}", got[5]);
    let bytes: u64 = got[5]["pdfFiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[1].as_u64().unwrap())
        .sum();
    assert!(bytes < 20_000, "{}", got[5]);
    // A word only the PDF holds is searched as typed, not corrected to the
    // close word of the site ("cada"), in the page and in `ayni search`.
    assert_eq!(got[6]["corrected"], serde_json::Value::Null, "{}", got[6]);
    assert_eq!(got[6]["pdf"][0]["page"], 2, "{}", got[6]);
    let (_, json, _) = ayni(&["search", "caudal", "--json"], site.root());
    let cli: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(cli.get("corrected"), None, "{cli}");
    assert_eq!(cli["hits"][0]["page"], 2, "{cli}");
}

/// A copy of `pdf` without its Info dictionary and XMP packet, as some
/// producers and every "remove metadata" step leave a file.
fn without_metadata(pdf: &Path, out: &Path) -> PathBuf {
    let mut doc = pdf_extract::Document::load(pdf).unwrap();
    doc.trailer.remove(b"Info");
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    doc.get_dictionary_mut(root).unwrap().remove(b"Metadata");
    doc.save(out).unwrap();
    let e = extract(out);
    assert_eq!(
        (e.meta.title, e.meta.authors),
        (None, vec![]),
        "{}",
        out.display()
    );
    out.to_path_buf()
}

#[test]
fn import_takes_title_and_authors_from_the_largest_type_when_metadata_is_silent() {
    let folder = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    if let Some(tex) = pdftex_pdf() {
        // `\title` and `\author` of the LaTeX source, under a running head
        // that the first lines of the page would have given.
        let p = without_metadata(&tex, &folder.path().join("evaluacion.pdf"));
        expected.push((
            p,
            "title: \"Evaluación final del programa de riego en Cajamarca\"\n",
            Some("authors:\n  - \"Equipo de evaluación\"\n"),
        ));
    }
    if let Some(chromium) = chromium_pdf() {
        // The page's `<h1>`; Chromium wrote `<title>` into the Info
        // dictionary, which is gone.
        let p = without_metadata(&chromium, &folder.path().join("mesa.pdf"));
        expected.push((
            p,
            "title: \"Sistematización de la mesa de concertación de Ayacucho\"\n",
            None,
        ));
    }
    if expected.is_empty() {
        return;
    }
    let site = Site::fixture("basic");
    for (pdf, title, authors) in expected {
        let args = [
            "import",
            pdf.to_str().unwrap(),
            "--kind",
            "study",
            "--partner",
            "ong-a",
        ];
        let (status, out, err) = ayni(&args, site.root());
        assert_eq!(status, 0, "{out}{err}");
        let product = out.split(" <- ").next().unwrap().trim();
        let text = std::fs::read_to_string(site.root().join(product))
            .or_else(|_| std::fs::read_to_string(product))
            .unwrap();
        assert!(text.contains(title), "{text}");
        if let Some(authors) = authors {
            assert!(text.contains(authors), "{text}");
        }
    }
    let (status, _, err) = ayni(&["check", "--drafts"], site.root());
    assert_eq!(status, 0, "{err}");
}

/// The output's cover of the fixture's `informe.pdf`.
fn cover_of(site: &Site) -> PathBuf {
    site.out().join("casos/informe.pdf.cover.jpg")
}

#[test]
fn a_cover_is_drawn_at_its_size_cached_and_can_be_turned_off() {
    let Some(pdf) = pdftex_pdf() else { return };
    let site = site_with(&pdf);
    site.build();
    let cover = cover_of(&site);
    let (w, h) = image::image_dimensions(&cover).expect("a cover in the output");
    // An A5 page (1.41 times as tall as wide), 240 pixels wide.
    assert_eq!(w, 240);
    assert!((335..=345).contains(&h), "{h}");
    let bytes = std::fs::metadata(&cover).unwrap().len();
    assert!((1_000..30_000).contains(&bytes), "{bytes} bytes");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cover).unwrap().permissions().mode();
        assert_eq!(mode & 0o044, 0o044, "a web server can read it: {mode:o}");
    }
    // Its text alternative is the title its cover shows.
    let img = format!(
        r#"src="/casos/informe.pdf.cover.jpg" width="240" height="{h}" alt="Portada de «Caso uno: la red aprende»""#
    );
    let page = site.page("/casos/uno/");
    assert!(
        page.contains(&format!(
            r#"<img class="download__cover" {img} loading="lazy""#
        )),
        "{page}"
    );
    // Cards show it too.
    let list = site.page("/kinds/case-study/");
    assert!(
        list.contains(&format!(r#"<img class="card__cover" {img} loading="lazy""#)),
        "{list}"
    );

    // The cached image is given other bytes: published after a rebuild,
    // they show the page was not drawn again.
    let dir = pdf::store::dir(&site.opts().cache_dir());
    let key = pdf::store::key(&std::fs::read(&pdf).unwrap());
    let cached = pdf::cover::image_path(&dir, &key);
    let mut marked = std::fs::read(&cached).unwrap();
    marked.extend(b"sin volver a dibujar");
    std::fs::write(&cached, &marked).unwrap();
    touch_product(&site);
    site.build();
    assert_eq!(std::fs::read(&cover).unwrap(), marked);

    // `covers: false` in site.yaml: no image, and no <img> for one.
    let config = site.root().join("site.yaml");
    let mut yaml = std::fs::read_to_string(&config).unwrap();
    yaml.push_str("covers: false\n");
    std::fs::write(&config, yaml).unwrap();
    site.build();
    assert!(!cover.exists());
    assert!(!site.page("/casos/uno/").contains("cover.jpg"));
    assert!(!site.page("/kinds/case-study/").contains("card__cover"));
}

/// A one-off Spanish page with a word no other PDF has, printed by
/// Chromium: a PDF that has not been read before.
fn chromium_pdf_with(word: &str, pages: usize) -> Option<PathBuf> {
    let browser = tools::which("chromium")
        .or_else(|| tools::which("chromium-browser"))
        .or_else(|| tools::skip("`chromium`", "apt-get install chromium"))?;
    let dir = made_dir();
    let html = dir.join(format!("{word}.html"));
    let body: String = (1..=pages)
        .map(|n| format!("<section style=\"break-after: page\"><h2>Parte {n}</h2><p>El {word} de la parte {n} trabajó con las comunidades.</p></section>"))
        .collect();
    std::fs::write(
        &html,
        format!("<!doctype html><html lang=\"es\"><meta charset=\"utf-8\"><title>{word}</title><body>{body}</body></html>"),
    )
    .unwrap();
    let out = dir.join(format!("{word}.pdf"));
    Some(produce(
        &out,
        Command::new(browser)
            .args(["--headless=new", "--no-sandbox", "--disable-gpu"])
            .arg("--no-pdf-header-footer")
            .arg(format!("--print-to-pdf={}", out.display()))
            .arg(format!("file://{}", html.display())),
    ))
}

#[test]
fn serve_reads_again_only_the_pdf_that_changed() {
    let (Some(tex), Some(chromium), Some(new)) = (
        pdftex_pdf(),
        chromium_pdf(),
        chromium_pdf_with("xilofonista", 2),
    ) else {
        return;
    };
    let site = site_with(&tex);
    let dos = site.root().join("content/estudios/dos.md");
    let text = std::fs::read_to_string(&dos).unwrap();
    std::fs::write(&dos, text.replacen("---\n", "---\nfiles: [mesa.pdf]\n", 1)).unwrap();
    std::fs::copy(&chromium, site.root().join("content/estudios/mesa.pdf")).unwrap();
    let server = crate::serve::Server::start_with(site, &[], &[]);
    assert!(server.get("/casos/uno/").1.contains("PDF · 3 págs. · "));
    let mut events = server.events();

    // Saved whole, as a download or an export ends: beside, then renamed.
    let casos = server.site.root().join("content/casos");
    std::fs::copy(&new, casos.join(".informe.pdf.part")).unwrap();
    std::fs::rename(casos.join(".informe.pdf.part"), casos.join("informe.pdf")).unwrap();
    events.until("reload");
    let log = server.log_until("PDF leído");
    let said: Vec<&str> = log.lines().filter(|l| l.contains("PDF leído")).collect();
    assert_eq!(said.len(), 1, "{log}");
    assert!(said[0].contains(", 1 PDF leído "), "{log}");
    assert!(server.get("/casos/uno/").1.contains("PDF · 2 págs. · "));
    // The other product's PDF, not read again, is still told.
    let pages = format!("PDF · {} págs. · ", extract(&chromium).page_count);
    assert!(server.get("/estudios/dos/").1.contains(&pages));

    // The new text reaches the preview's index (on its own thread, after
    // the pages; the browser's files do not carry PDF text, so no line
    // says when).
    let dir = ayni::search::index::index_dir(&server.site.root().join(".ayni-cache/serve"));
    let q = ayni::search::SearchQuery {
        text: "xilofonista".into(),
        limit: 5,
        ..Default::default()
    };
    let start = std::time::Instant::now();
    let results = loop {
        let found =
            ayni::search::index::open(&dir).and_then(|index| ayni::search::search(&index, &q));
        if let Ok(r) = &found
            && !r.hits.is_empty()
        {
            break found.unwrap();
        }
        let last = found.map(|r| r.hits.len());
        assert!(
            start.elapsed().as_secs() < 60,
            "{last:?} {:?}",
            server.log()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let hit = &results.hits[0];
    assert_eq!(hit.url, "/casos/uno/");
    assert_eq!(hit.file.as_deref(), Some("informe.pdf"));
}

/// In Chromium: a word only the PDF holds shows its product with the
/// PDF's page named and linked, and the passage marked.
#[test]
fn the_search_page_shows_a_pdf_hit_with_its_page_in_chromium() {
    let Some(pdf) = pdftex_pdf() else { return };
    let Some(browser) = crate::browser::Browser::start() else {
        return;
    };
    let site = site_with(&pdf);
    site.build();
    let server = crate::browser::StaticServer::start(site.out());
    browser.goto(&server.url("/search/"));
    browser.type_into("#q", "contexto glosario");
    browser.wait_for(
        "return !!document.querySelector('#results-list .result__pdf')",
        10,
    );
    let got = browser.eval(
        "const r = document.querySelector('#results-list .result');\
         return [r.querySelector('.result__title a').getAttribute('href'),\
                 r.querySelector('.result__pdf').textContent,\
                 r.querySelector('.result__pdf').getAttribute('href'),\
                 Array.from(r.querySelectorAll('.result__snippet mark')).map(m => m.textContent),\
                 document.getElementById('search-status').textContent]",
    );
    assert_eq!(got[0], "/casos/uno/", "{got}");
    assert_eq!(got[1], "PDF, p. 3", "{got}");
    assert_eq!(got[2], "/casos/informe.pdf#page=3", "{got}");
    assert_eq!(got[3], serde_json::json!(["glosario"]), "{got}");
    assert!(got[4].as_str().unwrap().starts_with("1 "), "{got}");
}
