//! The browser-facing search in a real headless Chromium, driven through
//! chromedriver's WebDriver protocol: type a query, see the expected result,
//! apply a partner facet, follow a result.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use ayni::build::{BuildOptions, build};

use crate::util::repo_root;

/// A static file server on a free loopback port, for the built site.
pub struct StaticServer {
    pub port: u16,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let root = root.clone();
                std::thread::spawn(move || serve_one(stream, &root));
            }
        });
        StaticServer { port }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }
}

fn serve_one(mut stream: TcpStream, root: &Path) {
    let mut buf = [0u8; 8192];
    let n = stream.read(&mut buf).unwrap_or(0);
    let req = String::from_utf8_lossy(&buf[..n]);
    let path = req.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    let mut file = root.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file = file.join("index.html");
    }
    let (status, body) = match std::fs::read(&file) {
        Ok(b) if !path.contains("..") => ("200 OK", b),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let ctype = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        _ => "text/plain; charset=utf-8",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// Just enough of WebDriver to drive Chromium from a test.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// A fresh headless Chromium, or `None` (the test skipped) on a
    /// machine without it.
    pub fn start() -> Option<Browser> {
        let (driver_bin, chromium) = crate::tools::chromium()?;
        let (driver, port) = launch_driver(&driver_bin);
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                         format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
        };
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Some(b)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        request(self.port, method, path, body)
            .unwrap_or_else(|e| panic!("chromedriver, {method} {path}: {e}"))
    }

    fn s(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", &self.s("/url"), Some(json!({"url": url})));
    }

    pub fn eval(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.s("/execute/sync"),
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Runs a script that calls its last argument when done, and returns
    /// what it passed.
    pub fn eval_async(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            &self.s("/execute/async"),
            Some(json!({"script": script, "args": args})),
        )
    }

    pub fn set_window_width(&self, width: u32) {
        self.call(
            "POST",
            &self.s("/window/rect"),
            Some(json!({"width": width, "height": 900})),
        );
    }

    pub fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            &self.s("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/value")),
            Some(json!({"text": text})),
        );
    }

    pub fn click(&self, css: &str) {
        let id = self.find(css);
        self.call(
            "POST",
            &self.s(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }

    /// Polls a script until it returns true, or fails after `secs`.
    pub fn wait_for(&self, script: &str, secs: u64) {
        let start = Instant::now();
        loop {
            if self.eval(script) == Value::Bool(true) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(secs),
                "timed out waiting for: {script}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// chromedriver on a free port, once it says it is ready. A port found
/// free can be taken before chromedriver binds it (by another test's
/// server): chromedriver then exits, or another server answers, and it is
/// started again on another port.
fn launch_driver(driver_bin: &Path) -> (Child, u16) {
    for _ in 0..5 {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if driver.try_wait().ok().flatten().is_some() {
                break;
            }
            let status = request(port, "GET", "/status", None).unwrap_or(Value::Null);
            if status["ready"] == json!(true) {
                return (driver, port);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = driver.kill();
        let _ = driver.wait();
    }
    panic!("chromedriver did not start on any of five ports")
}

/// One WebDriver request to the server on `port`: the response's `value`
/// (or the whole response when it has none, `null` when it is not JSON).
fn request(port: u16, method: &str, path: &str, body: Option<Value>) -> std::io::Result<Value> {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes())?;
    // chromedriver keeps the connection open: read by Content-Length.
    let closed = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "connection closed");
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let body_start = loop {
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Err(closed());
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&raw[..body_start]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while raw.len() < body_start + len {
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Err(closed());
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let end = (body_start + len).min(raw.len());
    let v: Value = serde_json::from_slice(&raw[body_start..end]).unwrap_or(Value::Null);
    Ok(v.get("value").cloned().unwrap_or(v))
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The sample site built into a temporary folder, served, and a browser;
/// `None` (the test skipped) without Chromium.
fn sample_site_in_browser() -> Option<(tempfile::TempDir, StaticServer, Browser)> {
    let browser = Browser::start()?;
    let dir = tempfile::tempdir().unwrap();
    let mut opts = BuildOptions::new(repo_root());
    opts.out = Some(dir.path().join("public"));
    opts.cache = Some(dir.path().join("cache"));
    build(&opts).unwrap();
    let server = StaticServer::start(dir.path().join("public"));
    Some((dir, server, browser))
}

#[test]
fn search_page_types_filters_and_follows() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };

    browser.goto(&server.url("/search/"));
    browser.wait_for("return !!window.ayniSearch", 10);
    // Typing: results as you type, the last word matched as a prefix.
    browser.type_into("#q", "nutrici");
    browser.wait_for(
        "return document.querySelectorAll('#results-list .result__title a').length >= 3",
        10,
    );
    let first =
        browser.eval("return document.querySelector('#results-list .result__title a').textContent");
    assert_eq!(
        first,
        "Ampliar la nutrición en Zambia con una plataforma de múltiples actores"
    );
    let marked = browser.eval("return document.querySelectorAll('#results-list mark').length");
    assert!(marked.as_u64().unwrap() > 0, "query words are highlighted");
    let status = browser.eval("return document.getElementById('search-status').textContent");
    assert!(status.as_str().unwrap().starts_with("5 "), "{status}");
    assert_eq!(
        browser.eval("return document.activeElement.id"),
        "q",
        "focus stays in the box"
    );

    // A partner facet narrows the results, with counts.
    browser.wait_for(
        "return !!document.querySelector('input[name=partner][value=care-peru]')",
        5,
    );
    browser.click("input[name=partner][value=care-peru]");
    browser.wait_for(
        "return document.getElementById('search-status').textContent.startsWith('2 ')",
        10,
    );
    browser.wait_for(
        "return document.querySelectorAll('#results-list .result__title a').length === 2",
        10,
    );
    let titles = browser.eval(
        "return Array.from(document.querySelectorAll('#results-list .result__title a')).map(a => a.textContent)",
    );
    assert_eq!(
        titles,
        json!([
            "Alianzas de múltiples partes interesadas para la incidencia",
            "La Child Nutrition Initiative y el descenso de la desnutrición infantil en el Perú"
        ])
    );
    let url = browser.eval("return location.search");
    assert!(url.as_str().unwrap().contains("partner=care-peru"), "{url}");

    // Following a result opens its page.
    browser.click("#results-list .result__title a");
    browser.wait_for(
        "return location.pathname === '/guias/care-alianzas-incidencia/'",
        10,
    );
    let h1 = browser.eval("return document.querySelector('h1').textContent");
    assert_eq!(
        h1,
        "Alianzas de múltiples partes interesadas para la incidencia"
    );
}

/// Typing a partner's name shows the partner's own page above the
/// products, marked as a partner, with a link that opens it.
#[test]
fn search_page_shows_the_named_partner_first() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };

    browser.goto(&server.url("/search/"));
    browser.wait_for("return !!window.ayniSearch", 10);
    browser.type_into("#q", "grupo propuesta ciudadana");
    browser.wait_for(
        "return document.querySelectorAll('#entity-list .result__title a').length > 0 \
         && document.querySelectorAll('#results-list .result__title a').length > 0",
        10,
    );
    let first = browser.eval(
        "const li = document.querySelector('#entity-list li'); \
         return [li.dataset.kind, li.querySelector('.result__kind').textContent, \
         li.querySelector('a').textContent, li.querySelector('a').getAttribute('href')]",
    );
    assert_eq!(
        first,
        json!([
            "partner",
            "Socio",
            "Grupo Propuesta Ciudadana",
            "/partners/gpc/"
        ])
    );
    // Above the products, in reading order, and named for screen readers.
    let above = browser.eval(
        "const e = document.getElementById('entity-list'); \
         return !e.hidden && !!e.getAttribute('aria-label') && \
         !!(e.compareDocumentPosition(document.getElementById('results-list')) & Node.DOCUMENT_POSITION_FOLLOWING)",
    );
    assert_eq!(above, json!(true));

    // A word no entity has empties the list.
    browser.eval("document.getElementById('q').value = ''; return 0");
    browser.type_into("#q", "riego");
    browser.wait_for(
        "return document.getElementById('entity-list').hidden \
         && document.querySelectorAll('#results-list .result__title a').length > 0",
        10,
    );

    browser.eval("document.getElementById('q').value = ''; return 0");
    browser.type_into("#q", "GPC ");
    browser.wait_for(
        "return !!document.querySelector('#entity-list a[href=\"/partners/gpc/\"]')",
        10,
    );
    browser.click("#entity-list a");
    browser.wait_for("return location.pathname === '/partners/gpc/'", 10);
    let h1 = browser.eval("return document.querySelector('h1').textContent");
    assert!(
        h1.as_str()
            .unwrap()
            .starts_with("Grupo Propuesta Ciudadana"),
        "{h1}"
    );
}

#[test]
fn search_page_corrects_typos_and_missing_accents() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };
    let first_title =
        "return (document.querySelector('#results-list .result__title a') || {}).textContent";
    let notice = "return document.getElementById('search-correction').textContent";

    // A swapped pair of letters and a missing accent, typed.
    browser.goto(&server.url("/search/"));
    browser.wait_for("return !!window.ayniSearch", 10);
    browser.type_into("#q", "Diseno de alainza");
    browser.wait_for(
        "return !document.getElementById('search-correction').hidden",
        10,
    );
    assert_eq!(
        browser.eval(notice),
        "Mostrando resultados para «diseño de alianza» · Buscar «Diseno de alainza»"
    );
    browser.wait_for(
        &format!("{first_title} === 'Gestión del conocimiento e incidencia de políticas'"),
        10,
    );

    // `n` for `ñ`, from a link; the notice's link searches the words as typed.
    browser.goto(&server.url("/search/?q=campana+ninos"));
    browser.wait_for(
        "return !document.getElementById('search-correction').hidden",
        10,
    );
    assert_eq!(
        browser.eval(notice),
        "Mostrando resultados para «campaña niños» · Buscar «campana ninos»"
    );
    browser.wait_for(
        &format!("{first_title} === 'La Child Nutrition Initiative y el descenso de la desnutrición infantil en el Perú'"),
        10,
    );
    browser.click("#search-correction a");
    browser.wait_for(
        "return document.getElementById('search-status').textContent.startsWith('No hay resultados')",
        10,
    );
    assert_eq!(
        browser.eval("return document.getElementById('search-correction').hidden"),
        true
    );
    let url = browser.eval("return location.search");
    assert!(url.as_str().unwrap().contains("exact=1"), "{url}");
}

#[test]
fn search_page_without_javascript_explains_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = BuildOptions::new(repo_root());
    opts.out = Some(dir.path().join("public"));
    opts.cache = Some(dir.path().join("cache"));
    build(&opts).unwrap();
    let html = std::fs::read_to_string(dir.path().join("public/search/index.html")).unwrap();
    assert!(html.contains("<noscript>"));
    assert!(html.contains("La búsqueda funciona con JavaScript"));
    assert!(html.contains("role=\"search\""));
    assert!(html.contains("<label class=\"search-form__label\" for=\"q\">"));
}

/// The preview in a real browser: an open page reloads after an edit, a
/// stylesheet change is swapped in without a reload, and a content error
/// shows over the page until it is fixed.
#[test]
fn preview_reloads_swaps_css_and_shows_errors_in_the_page() {
    let server = crate::serve::Server::start(&[]);
    let root = server.site.root().to_path_buf();
    let Some(browser) = Browser::start() else {
        return;
    };
    browser.goto(&server.url("/estudios/dos/"));
    browser.wait_for("return document.readyState === 'complete'", 10);
    // Let the page's event stream connect before editing.
    std::thread::sleep(Duration::from_millis(300));

    browser.eval("window.ayniMarker = 1; return true");
    let edit = |from: &str, to: &str| {
        let path = root.join("content/estudios/dos.md");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("title: Estudio dos", "title: Estudio recargado");
    browser.wait_for(
        "return !window.ayniMarker && document.querySelector('h1').textContent.includes('Estudio recargado')",
        15,
    );

    // CSS only: the stylesheet changes under the open page, no reload.
    // First let the rebuild of the edit finish (its search index too).
    let start = Instant::now();
    while !server
        .get("/__ayni/status")
        .1
        .contains("\"building\":false")
    {
        assert!(start.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(50));
    }
    browser.eval("window.ayniMarker = 2; return true");
    std::fs::create_dir_all(root.join("static/css")).unwrap();
    let theme_css = String::from_utf8(
        std::fs::read(root.join(".ayni-cache/serve/public/css/ayni.css")).unwrap(),
    )
    .unwrap();
    std::fs::write(
        root.join("static/css/ayni.css"),
        format!("{theme_css}\nh1 {{ color: rgb(1, 2, 3) !important; }}\n"),
    )
    .unwrap();
    browser.wait_for(
        "return getComputedStyle(document.querySelector('h1')).color === 'rgb(1, 2, 3)'",
        15,
    );
    assert_eq!(
        browser.eval("return window.ayniMarker"),
        json!(2),
        "the page reloaded: {:?}",
        server.log()
    );

    // A content error: the overlay names the file, line and column.
    edit("kind: study", "kind: studdy");
    browser.wait_for("return !!document.getElementById('ayni-errors')", 15);
    let text = browser.eval("return document.getElementById('ayni-errors').textContent");
    let text = text.as_str().unwrap();
    assert!(text.contains("content/estudios/dos.md:3:7"), "{text}");
    // In the site's language, and marked as such for screen readers.
    assert!(text.contains("ayni: 1 error en el sitio"), "{text}");
    assert!(
        text.contains("valor desconocido de `kind`: `studdy`"),
        "{text}"
    );
    assert_eq!(
        browser.eval("return document.getElementById('ayni-errors').lang"),
        json!("es")
    );
    // A page opened while the site is broken shows the overlay at once.
    browser.goto(&server.url("/"));
    browser.wait_for("return !!document.getElementById('ayni-errors')", 15);
    // Fixing the file clears it.
    edit("kind: studdy", "kind: study");
    browser.wait_for(
        "return document.readyState === 'complete' && !document.getElementById('ayni-errors')",
        15,
    );
}

#[test]
fn guide_code_blocks_fit_a_desktop_page_and_scroll_inside_on_a_phone() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };
    let measure = "const pres = [...document.querySelectorAll('.prose pre')];
        return [pres.length,
                pres.filter(p => p.scrollWidth > p.clientWidth + 1).length,
                document.documentElement.scrollWidth - document.documentElement.clientWidth];";
    for page in ["/como-publicar/", "/how-to-publish/"] {
        browser.set_window_width(1280);
        browser.goto(&server.url(page));
        let v = browser.eval(measure);
        assert!(v[0].as_u64().unwrap() > 5, "{page}: {v}");
        assert_eq!(
            v[1], 0,
            "{page}: code blocks scroll sideways at 1280 px: {v}"
        );
        assert_eq!(v[2], 0, "{page}: the page scrolls sideways at 1280 px: {v}");
        browser.set_window_width(375);
        browser.goto(&server.url(page));
        let v = browser.eval(measure);
        assert_eq!(v[2], 0, "{page}: the page scrolls sideways at 375 px: {v}");
    }
}

/// A word found only after 20,000 characters of a long text: the search
/// page shows, marked, the passage that holds it, not the text's beginning.
#[test]
fn search_page_shows_a_marked_snippet_from_deep_in_a_long_text() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = crate::util::Site::fixture("basic");
    let url = crate::search::write_long_product(&site);
    site.build();
    let server = StaticServer::start(site.out());
    browser.goto(&server.url("/search/?q=colibri+esmeralda"));
    browser.wait_for(
        "return !!document.querySelector('#results-list .result__snippet mark')",
        10,
    );
    let link = browser.eval(
        "return document.querySelector('#results-list .result__title a').getAttribute('href')",
    );
    assert!(link.as_str().unwrap().ends_with(url), "{link}");
    let snippet =
        browser.eval("return document.querySelector('#results-list .result__snippet').textContent");
    assert!(
        snippet
            .as_str()
            .unwrap()
            .contains("protegen al colibrí esmeralda."),
        "{snippet}"
    );
    let marked = browser.eval(
        "return Array.from(document.querySelectorAll('#results-list .result__snippet mark')).map(m => m.textContent)",
    );
    assert_eq!(marked, json!(["colibrí", "esmeralda"]));
}

/// The search page keeps a quoted phrase's words in order and within one
/// sentence, as `ayni search` does.
#[test]
fn search_page_keeps_a_phrase_in_order_within_a_sentence() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = crate::util::Site::fixture("basic");
    let url = crate::search::write_long_product(&site);
    site.build();
    let server = StaticServer::start(site.out());
    for (q, expect) in [
        ("%22riego+protegen%22", true),
        ("%22protegen+riego%22", false),
        ("%22esmeralda+despues%22", false),
        ("esmeralda+despues", true),
    ] {
        browser.goto(&server.url(&format!("/search/?q={q}")));
        browser.wait_for(
            "return document.querySelectorAll('#results-list .result__title a').length > 0 \
             || /\\u201c/.test(document.getElementById('search-status').textContent)",
            10,
        );
        let links = browser.eval(
            "return Array.from(document.querySelectorAll('#results-list .result__title a')).map(a => a.getAttribute('href'))",
        );
        let found = links
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().ends_with(url));
        assert_eq!(found, expect, "{q}: {links}");
    }
}

/// On a phone the home page's search box is within the first screen,
/// above the alliance's introduction however long it is.
#[test]
fn home_search_box_is_on_the_first_screen_of_a_phone() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };
    browser.set_window_width(375);
    browser.goto(&server.url("/"));
    let top = browser.eval(
        "const r = document.getElementById('home-q').getBoundingClientRect(); return r.bottom;",
    );
    let bottom = top.as_f64().unwrap();
    assert!(
        bottom < 800.0,
        "the search box ends {bottom} px down at 375 px"
    );
}

/// A long study with Debian's Spanish history of the project as its PDF:
/// fifty sections of text, so that the side column is far taller than a
/// screen and the body far longer than the column.
fn long_product_with_a_pdf(site: &crate::util::Site, pdf: &Path) -> &'static str {
    let mut body = String::new();
    for i in 1..=50 {
        body.push_str(&format!("## Sección {i}\n\n"));
        for j in 0..6 {
            body.push_str(&format!(
                "La red {i} acompañó a la municipalidad {j} durante la campaña, \
                 con talleres, visitas y notas de política para los decisores.\n\n"
            ));
        }
    }
    site.write(
        "content/estudios/largo.md",
        &format!(
            "---\ntitle: Estudio largo de la red\nkind: study\ndate: 2016-03\n\
             summary: Un estudio con mucho texto y su informe completo en PDF.\n\
             partners: [ong-a, estado-b, {{ id: donante, role: sponsor }}]\n\
             topics: [incidencia, gestión del conocimiento, riego]\n\
             countries: [PE, BO]\noutcomes: [ley-1, guia-2]\nfiles: [historia.pdf]\n---\n{body}"
        ),
    );
    std::fs::copy(pdf, site.root().join("content/estudios/historia.pdf")).unwrap();
    "/estudios/largo/"
}

/// On a phone a long product's byline, date, kind, downloads, its policy
/// outcomes and the way to its facts come before its text, on the first
/// screen; on a desktop its side column stays in view at the end of the
/// text.
#[test]
fn product_facts_and_downloads_come_before_the_body_on_a_phone() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let Some(pdf) = crate::pdf::debian_pdf() else {
        return;
    };
    let site = crate::util::Site::fixture("basic");
    let url = long_product_with_a_pdf(&site, &pdf);
    site.build();
    let server = StaticServer::start(site.out());
    browser.set_window_width(375);
    browser.goto(&server.url(url));
    let bottoms = browser.eval(
        "const b = s => document.querySelector(s).getBoundingClientRect().bottom + window.scrollY;
         return {byline: b('.product__byline'), kind: b('.product__kind'),
                 downloads: b('.downloads'), outcomes: b('.product__outcomes'),
                 facts: b('a[href=\"#ficha\"]'),
                 heading: document.querySelector('.prose h2').getBoundingClientRect().top + window.scrollY,
                 meta: document.querySelector('.download__meta').textContent,
                 line: document.querySelector('.product__outcomes').textContent};",
    );
    let at = |k: &str| bottoms[k].as_f64().unwrap();
    for k in ["byline", "kind", "downloads", "outcomes", "facts"] {
        assert!(
            at(k) < at("heading"),
            "{k} after the body at 375 px: {bottoms}"
        );
        assert!(
            at(k) < 800.0,
            "{k} below the first screen at 375 px: {bottoms}"
        );
    }
    let meta = bottoms["meta"].as_str().unwrap();
    assert!(
        meta.starts_with("PDF · ") && meta.contains(" págs. · ") && meta.ends_with(" KB"),
        "{meta}"
    );
    assert_eq!(bottoms["line"], "Contribuyó a 2 resultados de política");
    // The jump reaches the facts and the citation in one tap.
    browser.click("a[href=\"#ficha\"]");
    let cite = browser.eval(
        "const r = document.getElementById('cite-title').getBoundingClientRect();
         return [document.getElementById('ficha').getBoundingClientRect().top, r.top];",
    );
    assert!(cite[0].as_f64().unwrap().abs() < 2.0, "{cite}");
    assert!(cite[1].as_f64().unwrap() > 0.0, "{cite}");

    // On a desktop, near the end of the text, the side column is in view
    // and its own end can be scrolled to.
    browser.set_window_width(1280);
    browser.goto(&server.url(url));
    let side = browser.eval(
        "document.querySelectorAll('.prose h2')[45].scrollIntoView();
         const s = document.getElementById('ficha');
         const r = s.getBoundingClientRect();
         return [r.top, r.bottom, window.innerHeight, s.scrollHeight > s.clientHeight,
                 getComputedStyle(document.querySelector('a[href=\"#ficha\"]')).display];",
    );
    let (top, bottom, screen) = (
        side[0].as_f64().unwrap(),
        side[1].as_f64().unwrap(),
        side[2].as_f64().unwrap(),
    );
    assert!(
        top >= 0.0 && bottom <= screen + 1.0,
        "side column out of view: {side}"
    );
    assert_eq!(
        side[3], true,
        "the column taller than the window scrolls: {side}"
    );
    assert_eq!(side[4], "none", "no jump to a column in view: {side}");
}

/// The drawings' names stay inside their canvas as the browser lays them
/// out; on a phone a ranked list stands for each drawing, never both.
#[test]
fn network_names_fit_their_drawing_and_a_list_replaces_it_on_a_phone() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };
    let measure = "const svg = document.querySelector('svg.network');
        const [,, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
        return [...svg.querySelectorAll('.net-l')].map(t => {
            const b = t.getBBox();
            return [t.textContent, b.x >= 0 && b.y >= 0 && b.x + b.width <= w && b.y + b.height <= h];
        });";
    let shown = "const v = s => { const e = document.querySelector(s); return !!e && e.getClientRects().length > 0; };
        return [v('svg.network'), v('.network-ranked'), v('#coauthors-title')];";
    for page in [
        "/partners/",
        "/partners/care-peru/",
        "/partners/aap/",
        "/partners/care-international/",
    ] {
        browser.set_window_width(1280);
        browser.goto(&server.url(page));
        let labels = browser.eval(measure);
        let labels = labels.as_array().unwrap();
        assert!(labels.len() >= 4, "{page}: {labels:?}");
        for l in labels {
            assert_eq!(l[1], true, "{page}: {} leaves the drawing", l[0]);
        }
        let on_desktop = browser.eval(shown);
        browser.set_window_width(375);
        browser.goto(&server.url(page));
        let on_phone = browser.eval(shown);
        assert_eq!(on_desktop[0], true, "{page}: {on_desktop}");
        assert_eq!(on_phone[0], false, "{page}: {on_phone}");
        if page == "/partners/" {
            assert_eq!(on_desktop[1], false, "{page}: {on_desktop}");
            assert_eq!(on_phone[1], true, "{page}: {on_phone}");
        } else {
            assert_eq!(on_phone[2], true, "{page}: {on_phone}");
        }
    }
}

/// On a phone, "Filtros (n)" sits above the first result and opens the
/// filters, and each active filter is a chip above the results that
/// removes it.
#[test]
fn search_filters_are_above_the_results_on_a_phone_and_chips_remove_them() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };
    browser.set_window_width(375);
    browser.goto(&server.url("/search/?q=nutrici%C3%B3n&partner=care-peru"));
    browser.wait_for(
        "return document.getElementById('search-status').textContent.startsWith('2 ')",
        10,
    );
    browser.wait_for(
        "return document.querySelectorAll('#results-list .result__title a').length === 2",
        10,
    );
    let layout = browser.eval(
        "const t = document.getElementById('filters-toggle'); \
         const first = document.querySelector('#results-list .result'); \
         const facets = document.getElementById('search-facets'); \
         return {toggle: t.textContent, shown: t.getClientRects().length > 0, \
                 above: t.getBoundingClientRect().bottom <= first.getBoundingClientRect().top, \
                 top: t.getBoundingClientRect().top, \
                 facetsShown: facets.getClientRects().length > 0, \
                 chips: Array.from(document.querySelectorAll('#active-filters .chip')).map(c => c.textContent)};",
    );
    assert_eq!(layout["toggle"], "Filtros (1)", "{layout}");
    assert_eq!(layout["shown"], true, "{layout}");
    assert_eq!(layout["above"], true, "{layout}");
    assert!(
        layout["top"].as_f64().unwrap() < 900.0,
        "on the first screen: {layout}"
    );
    assert_eq!(
        layout["facetsShown"], false,
        "closed until asked for: {layout}"
    );
    assert_eq!(layout["chips"], json!(["Socio: CARE Perú ×"]));
    // Long summaries are cut to a few lines.
    let clamp = browser.eval(
        "const s = document.querySelector('#results-list .result__snippet'); \
         const line = parseFloat(getComputedStyle(s).lineHeight); \
         return [s.getBoundingClientRect().height <= 4 * line + 1, s.scrollHeight > s.clientHeight];",
    );
    assert_eq!(clamp, json!([true, true]), "a four-line summary, cut");

    browser.click("#filters-toggle");
    let open = browser.eval(
        "return [document.getElementById('filters-toggle').getAttribute('aria-expanded'), \
                 document.getElementById('search-facets').getClientRects().length > 0, \
                 document.querySelector('input[name=partner][value=care-peru]').checked]",
    );
    assert_eq!(open, json!(["true", true, true]));

    browser.click("#active-filters .chip");
    browser.wait_for(
        "return document.getElementById('search-status').textContent.startsWith('5 ')",
        10,
    );
    let after = browser.eval(
        "return [document.getElementById('filters-toggle').textContent, \
                 document.querySelectorAll('#active-filters .chip').length, location.search, \
                 document.activeElement.id]",
    );
    assert_eq!(after[0], "Filtros (0)");
    assert_eq!(
        after[3], "filters-toggle",
        "focus stays by the results, off the box"
    );
    assert_eq!(after[1], 0);
    assert!(!after[2].as_str().unwrap().contains("partner="), "{after}");
}

/// A search that finds nothing says what to try: removing the filters
/// (while any is set), checking the spelling, and browsing by topic.
#[test]
fn search_without_results_suggests_what_to_try() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };
    browser.set_window_width(375);
    browser.goto(&server.url("/search/?q=nutrici%C3%B3n&kind=evaluation"));
    browser.wait_for(
        "return document.getElementById('search-status').textContent.startsWith('No hay')",
        10,
    );
    let help = browser.eval(
        "const h = document.getElementById('search-help'); \
         return {shown: h.getClientRects().length > 0, \
                 items: Array.from(h.querySelectorAll('li')).filter(li => li.getClientRects().length > 0).map(li => li.textContent.trim()), \
                 topics: h.querySelector('a').getAttribute('href')};",
    );
    assert_eq!(help["shown"], true, "{help}");
    assert_eq!(
        help["items"],
        json!([
            "Quite uno o más filtros de arriba, o quítelos todos.",
            "Revise la ortografía o pruebe con otras palabras, más generales.",
            "Explore los productos por tema."
        ])
    );
    assert_eq!(help["topics"], "/topics/");

    browser.click("#search-help-clear");
    browser.wait_for(
        "return /^[0-9]+ /.test(document.getElementById('search-status').textContent)",
        10,
    );
    let gone =
        browser.eval("return document.getElementById('search-help').getClientRects().length");
    assert_eq!(gone, 0, "the help leaves with the empty result");

    // Without a filter, the help does not suggest removing one.
    browser.goto(&server.url("/search/?q=xyzzyqwv"));
    browser.wait_for(
        "return document.getElementById('search-status').textContent.startsWith('No hay')",
        10,
    );
    let items = browser.eval(
        "return Array.from(document.querySelectorAll('#search-help li')).filter(li => li.getClientRects().length > 0).length",
    );
    assert_eq!(items, 2);
}

/// An outcome page names its place, not its code, at the top of a phone's
/// screen.
#[test]
fn outcome_page_names_its_place_not_its_code() {
    let Some((_dir, server, browser)) = sample_site_in_browser() else {
        return;
    };
    browser.set_window_width(375);
    browser.goto(&server.url("/outcomes/paimni-san-martin/"));
    let shown = browser.eval(
        "const k = document.querySelector('.page-header__kicker'); \
         return {kicker: k.innerText, top: k.getBoundingClientRect().top, \
                 code: document.body.innerText.includes('PE-SAM')};",
    );
    assert_eq!(shown["kicker"], "PROGRAMA · SAN MARTÍN, PERÚ", "{shown}");
    assert!(shown["top"].as_f64().unwrap() < 900.0, "{shown}");
    assert_eq!(shown["code"], false, "{shown}");
}
