//! The preview's incremental rebuild: after every kind of edit, the output
//! folder is the same, file for file, as a clean `build --drafts`.

use std::collections::BTreeMap;
use std::path::Path;

use ayni::build::{BuildOptions, build};
use ayni::serve::Session;

use crate::util::Site;

/// Every file under `dir` with its bytes, by `/`-separated relative path.
pub fn tree_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Panics with the first difference between two output folders.
pub fn assert_same_tree(step: &str, got: &Path, want: &Path) {
    let (got, want) = (tree(got), tree(want));
    let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{step}: missing {missing:?}, extra {extra:?}"
    );
    for (path, bytes) in &want {
        let g = &got[path];
        if g != bytes {
            let (g, w) = (String::from_utf8_lossy(g), String::from_utf8_lossy(bytes));
            let line = g
                .lines()
                .zip(w.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{step}: {path} differs at line {}:\n  incremental: {}\n  clean:       {}",
                line + 1,
                g.lines().nth(line).unwrap_or(""),
                w.lines().nth(line).unwrap_or("")
            );
        }
    }
}

struct Preview {
    site: Site,
    session: Session,
    /// Paths changed since the last step, as the watcher would report them.
    pending: std::cell::RefCell<std::collections::BTreeSet<std::path::PathBuf>>,
}

impl Preview {
    fn new() -> Preview {
        let site = Site::fixture("basic");
        let mut opts = BuildOptions::new(site.root());
        opts.drafts = true;
        opts.out = Some(site.root().join("preview"));
        opts.cache = Some(site.root().join(".cache-preview"));
        let session = Session::new(opts);
        Preview {
            site,
            session,
            pending: Default::default(),
        }
    }

    /// Rebuilds incrementally after the paths changed since the last step
    /// (everything, if none), builds from scratch, and compares.
    fn step(&mut self, name: &str) -> ayni::serve::Changes {
        let pending = std::mem::take(&mut *self.pending.borrow_mut());
        let changes = if pending.is_empty() {
            self.session.rebuild_pages()
        } else {
            self.session.rebuild_changed(&pending)
        }
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        self.session.rebuild_index().unwrap();
        let clean_dir = tempfile::tempdir().unwrap();
        let mut opts = BuildOptions::new(self.site.root());
        opts.drafts = true;
        opts.out = Some(clean_dir.path().join("public"));
        opts.cache = Some(clean_dir.path().join("cache"));
        build(&opts).unwrap_or_else(|e| panic!("{name}: clean build: {e}"));
        assert_same_tree(
            name,
            &self.site.root().join("preview"),
            &clean_dir.path().join("public"),
        );
        changes
    }

    /// A step after which the site must have been updated in place.
    fn step_in_place(&mut self, name: &str) {
        let c = self.step(name);
        assert!(c.in_place, "{name}: the site was rebuilt, not updated");
    }

    /// A rebuild of the pending changes, which must fail with content
    /// errors; they are returned.
    fn content_errors(&mut self) -> Vec<ayni::diagnostics::Diagnostic> {
        let pending = std::mem::take(&mut *self.pending.borrow_mut());
        match self.session.rebuild_changed(&pending) {
            Err(ayni::Error::Content(d)) => d,
            other => panic!(
                "expected content errors, got {:?}",
                other.map(|c| c.written)
            ),
        }
    }

    fn changed(&self, rel: &str) {
        self.pending.borrow_mut().insert(self.site.root().join(rel));
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.site.root().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        self.changed(rel);
    }

    fn write(&self, rel: &str, text: &str) {
        self.site.write(rel, text);
        self.changed(rel);
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.site.root().join(rel)).unwrap();
        self.changed(rel);
    }

    fn rename(&self, from: &str, to: &str) {
        let to_path = self.site.root().join(to);
        std::fs::create_dir_all(to_path.parent().unwrap()).unwrap();
        std::fs::rename(self.site.root().join(from), to_path).unwrap();
        self.changed(from);
        self.changed(to);
    }
}

#[test]
fn incremental_rebuilds_match_clean_builds_after_every_kind_of_edit() {
    let mut p = Preview::new();
    let first = p.step("first build");
    assert_eq!(first.kept, 0);

    // Every page's key is the hash of what it shows, the home page and
    // the indexes included: nothing changed, nothing is rendered.
    let c = p.step("nothing changed");
    assert_eq!(c.rendered, 0, "{:?}", c.written);
    assert!(c.written.is_empty(), "{:?}", c.written);

    p.edit(
        "content/estudios/dos.md",
        "## Resultados clave",
        "## Resultados clave\n\nUn párrafo nuevo.",
    );
    let c = p.step("body edit");
    assert!(c.in_place, "a body edit rebuilt the site");
    assert!(
        c.written.contains(&"estudios/dos/index.html".to_string()),
        "{:?}",
        c.written
    );
    assert!(c.written.len() <= 2, "{:?}", c.written);

    p.edit(
        "content/estudios/dos.md",
        "title: Estudio dos",
        "title: Estudio 2",
    );
    p.step_in_place("title edit");
    p.edit(
        "content/estudios/dos.md",
        "summary: Resumen del estudio dos.",
        "summary: Otro resumen, más largo.",
    );
    p.step_in_place("summary edit");
    p.edit(
        "content/estudios/dos.md",
        "Un párrafo nuevo.",
        "Un párrafo nuevo.\n\n## Otra sección",
    );
    p.step_in_place("heading added");
    // The case links to `#resultados-clave`: renaming that heading breaks
    // the link, an error found although only the study was read again.
    p.edit(
        "content/estudios/dos.md",
        "## Resultados clave",
        "## Resultados principales",
    );
    let d = p.content_errors();
    assert!(d.iter().any(|d| d.code == "broken-anchor"), "{d:?}");
    p.edit(
        "content/estudios/dos.md",
        "## Resultados principales",
        "## Resultados clave",
    );
    p.step("broken anchor fixed");
    p.edit(
        "content/estudios/dos.md",
        "Un párrafo nuevo.",
        "Un párrafo.",
    );
    p.step_in_place("body edit after a rebuild");
    // Two products saved in one burst, one of them twice.
    p.edit(
        "content/estudios/dos.md",
        "Un párrafo.",
        "Un párrafo corto.",
    );
    p.edit(
        "content/casos/uno.md",
        "Resumen del caso uno.",
        "Resumen del caso uno, editado.",
    );
    p.edit(
        "content/estudios/dos.md",
        "Un párrafo corto.",
        "Dos párrafos.",
    );
    p.step_in_place("edits in quick succession");
    // Saved again with the same text: nothing to write.
    p.changed("content/casos/uno.md");
    let c = p.step("same text saved again");
    assert!(c.written.is_empty(), "{:?}", c.written);
    p.edit("content/estudios/dos.md", "kind: study", "kind: case-study");
    p.step("kind edit");
    p.edit("content/estudios/dos.md", "date: 2015", "date: 2015-03");
    p.step("date edit within the year");
    p.edit("content/estudios/dos.md", "date: 2015", "date: 2031-02");
    p.step("date edit reorders lists");
    p.edit(
        "content/estudios/dos.md",
        "[gestion del conocimiento]",
        "[agua]",
    );
    p.step("topic change");
    p.edit(
        "content/estudios/dos.md",
        "{ id: donante, role: sponsor }",
        "red",
    );
    p.step("partner change");

    p.write(
        "content/estudios/nuevo.md",
        "---\ntitle: Nuevo\nkind: study\ndate: 2020-05\npartners: [ong-a]\ntopics: [agua]\n---\nTexto sobre [el caso](../casos/uno.md).\n",
    );
    p.step("product added");
    p.rename(
        "content/estudios/nuevo.md",
        "content/estudios/renombrado.md",
    );
    p.step("product renamed");
    p.rename("content/estudios", "content/estudios-2");
    p.edit("content/casos/uno.md", "../estudios/", "../estudios-2/");
    p.step("folder renamed");
    p.rename("content/casos/bundle", "content/casos/paquete");
    p.edit("content/casos/uno.md", "bundle/", "paquete/");
    p.step("bundle folder with attachments renamed");
    p.remove("content/estudios-2/renombrado.md");
    p.step("product deleted");

    p.edit("content/partners/ong-a.md", "name:", "name: Nueva");
    p.step("partner renamed");
    // Editors' backup files are no part of the site (the watcher does not
    // even report them).
    p.site.write("content/casos/uno.md~", "copia");
    p.edit("content/outcomes/ley-1.md", "title:", "title: Reformada");
    p.step("outcome edit");
    p.write(
        "content/pages/acerca.md",
        "---\ntitle: Acerca de la red\n---\nQuiénes somos.\n",
    );
    p.step("standalone page added: every footer changes");
    p.write("static/extra.txt", "hola");
    p.step("static file added");
    p.remove("static/extra.txt");
    p.step("static file removed");
    p.edit("templates/404.html", "<", "<!-- edited -->\n<");
    p.step("template edit");
    p.edit("site.yaml", "title: Red de prueba", "title: Red renombrada");
    p.step("site.yaml edit");

    // A content error leaves the output as it was; fixing it resumes.
    let before = tree(&p.site.root().join("preview"));
    p.edit("content/casos/uno.md", "title:", "title: [unclosed");
    p.content_errors();
    assert!(before == tree(&p.site.root().join("preview")));
    p.edit("content/casos/uno.md", "title: [unclosed", "title:");
    p.step("error fixed");
    p.edit(
        "content/casos/uno.md",
        "Texto del contexto.",
        "Texto del contexto, ahora más largo.",
    );
    p.step_in_place("body edit after errors");
    // A broken link in a body is an error too, found in place.
    p.edit(
        "content/casos/uno.md",
        "Texto del contexto",
        "[roto](../no-existe.md) Texto del contexto",
    );
    p.content_errors();
    p.edit("content/casos/uno.md", "[roto](../no-existe.md) ", "");
    p.step("broken link fixed");
}

#[test]
fn front_matter_edits_move_products_between_lists_in_place() {
    let mut p = Preview::new();
    // Lists long enough that no edit below gives one another page.
    p.edit("site.yaml", "paginate: 2", "paginate: 50");
    p.step("first build");
    p.edit("content/estudios/dos.md", "kind: study", "kind: case-study");
    p.step_in_place("kind edit");
    p.edit(
        "content/estudios/dos.md",
        "[gestion del conocimiento]",
        "[gestion del conocimiento, incidencia]",
    );
    p.step_in_place("topic added");
    p.edit(
        "content/estudios/extra-3.md",
        "[incidencia]",
        "[Incidencia]",
    );
    p.step_in_place("topic spelled otherwise");
    p.edit(
        "content/estudios/extra-5.md",
        "[incidencia]",
        "[Incidencia]",
    );
    p.edit(
        "content/estudios/extra-4.md",
        "[incidencia]",
        "[Incidencia]",
    );
    p.step_in_place("topic spelled otherwise by most products: its title changes");
    p.edit("content/estudios/extra-4.md", "date: 2014", "date: 2015-07");
    p.step_in_place("date moves a product to another year");
    p.edit("content/estudios/dos.md", "date: 2015", "date: 2016-01");
    p.step_in_place("date reorders lists and related products");
    p.edit(
        "content/estudios/dos.md",
        "[gestion del conocimiento, incidencia]",
        "[incidencia]",
    );
    p.step_in_place("topic removed");
    p.edit(
        "content/estudios/dos.md",
        "title: Estudio dos",
        "title: A estudio",
    );
    p.edit("content/estudios/extra-4.md", "title:", "title: Z");
    p.step_in_place("titles reorder lists");
    // A topic nobody used before is a new page: not an update in place.
    p.edit("content/estudios/dos.md", "[incidencia]", "[agua nueva]");
    p.step("new topic");
}

#[test]
fn body_edits_of_other_documents_are_applied_in_place() {
    let mut p = Preview::new();
    p.write(
        "content/pages/acerca.md",
        "---\ntitle: Acerca de la red\n---\nQuiénes somos.\n\n## Historia\n",
    );
    p.step("first build");
    p.edit(
        "content/partners/ong-a.md",
        "Una ONG de prueba.",
        "Una ONG de prueba, con **historia**.",
    );
    p.step_in_place("partner text");
    p.edit(
        "content/outcomes/ley-1.md",
        "La ley cambió algo.",
        "La ley cambió algo.\n\n## Después",
    );
    p.step_in_place("outcome text");
    p.edit(
        "content/topics/gestion-del-conocimiento.md",
        "Cómo las organizaciones aprenden.",
        "Cómo aprenden las organizaciones.",
    );
    p.step_in_place("topic text");
    p.edit(
        "content/_index.md",
        "Texto de **inicio**",
        "Texto de *inicio*",
    );
    p.step_in_place("home text");
    p.edit(
        "content/pages/acerca.md",
        "Quiénes somos.",
        "Quiénes somos y qué hacemos.",
    );
    p.step_in_place("page text");
    // A link into a page's heading, then the heading renamed.
    p.edit(
        "content/partners/ong-a.md",
        "con **historia**",
        "con [historia](../pages/acerca.md#historia)",
    );
    p.step_in_place("link to a heading");
    p.edit("content/pages/acerca.md", "## Historia", "## Pasado");
    p.content_errors();
    p.edit("content/pages/acerca.md", "## Pasado", "## Historia");
    p.step("heading back");
    // Front matter of a partner names and groups: not followed in place.
    p.edit("content/partners/ong-a.md", "type: ngo", "type: network");
    let c = p.step("partner type");
    assert!(!c.in_place);
}

/// `ayni serve` running on a copy of a fixture, on a free port.
pub struct Server {
    child: std::process::Child,
    pub port: u16,
    pub site: Site,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(extra: &[&str]) -> Server {
        Server::start_with(Site::fixture("basic"), extra, &[])
    }

    /// [`Server::start`] of `site`, with variables `env` set.
    pub fn start_with(site: Site, extra: &[&str], env: &[(&str, &str)]) -> Server {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ayni"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .args(extra)
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let port = line
                    .split("http://127.0.0.1:")
                    .nth(1)
                    .map(|rest| rest.split('/').next().unwrap().parse::<u16>().unwrap());
                // The line is in the log before the test hears the port:
                // it reads the log as soon as it does.
                sink.lock().unwrap().push(line);
                if let Some(port) = port {
                    let _ = tx.send(port);
                }
            }
        });
        let port = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("serve did not start: {:?}", log.lock().unwrap()));
        Server {
            child,
            port,
            site,
            log,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// The log once a line contains `needle`: the edited page is written
    /// (and may be served) before the rebuild's line is printed.
    pub fn log_until(&self, needle: &str) -> String {
        let start = std::time::Instant::now();
        loop {
            let log = self.log().join("\n");
            if log.contains(needle) || start.elapsed() > std::time::Duration::from_secs(10) {
                return log;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// One raw request; the path is sent as is, without normalisation.
    pub fn request(&self, method: &str, path: &str, headers: &str) -> (u16, String, Vec<u8>) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&buf[..split]).to_string();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        (status, head, buf[split + 4..].to_vec())
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.request("GET", path, "");
        (status, String::from_utf8_lossy(&body).to_string())
    }

    /// Opens the event stream and returns a reader of its events.
    pub fn events(&self) -> Events {
        use std::io::Write;
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "GET /__ayni/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        let mut events = Events {
            reader: std::io::BufReader::new(s),
        };
        assert_eq!(events.next().0, "hello");
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Events {
    reader: std::io::BufReader<std::net::TcpStream>,
}

impl Events {
    /// The next event's name and data (chunked framing lines are skipped).
    pub fn next(&mut self) -> (String, String) {
        use std::io::BufRead;
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("event stream read");
            assert!(n > 0, "event stream closed");
            let line = line.trim_end();
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push_str(v.trim_start());
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }

    /// Skips events until one named `name` arrives.
    pub fn until(&mut self, name: &str) -> String {
        loop {
            let (n, data) = self.next();
            if n == name {
                return data;
            }
        }
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serve_rebuilds_after_an_edit_and_announces_it() {
    let server = Server::start(&[]);
    let (status, page) = server.get("/estudios/dos/");
    assert_eq!(status, 200);
    assert!(page.contains("Estudio dos"));
    assert!(page.contains("<script src=\"/__ayni/live.js\" defer></script></body>"));
    // Drafts are part of the preview.
    assert_eq!(server.get("/estudios/borrador/").0, 200);

    let mut events = server.events();
    edit(
        server.site.root(),
        "content/estudios/dos.md",
        "title: Estudio dos",
        "title: Estudio editado",
    );
    events.until("reload");
    let (_, page) = server.get("/estudios/dos/");
    assert!(page.contains("Estudio editado"), "{page}");
    let log = server.log_until("content/estudios/dos.md:");
    assert!(log.contains("content/estudios/dos.md:"), "{log}");
    assert!(log.contains("Vista previa de "), "{log}");
    assert!(
        log.contains("página generada") || log.contains("páginas generadas"),
        "{log}"
    );

    // A content error: the overlay's data names the place, the last good
    // page stays, the terminal says it once, and fixing it reloads.
    edit(
        server.site.root(),
        "content/estudios/dos.md",
        "kind: study",
        "kind: studdy",
    );
    let data = events.until("errors");
    let report: serde_json::Value = serde_json::from_str(&data).unwrap();
    // In the site's language, as the terminal says it.
    assert_eq!(report["lang"], "es", "{report}");
    assert_eq!(report["title"], "ayni: 1 error en el sitio", "{report}");
    assert!(
        report["note"]
            .as_str()
            .unwrap()
            .starts_with("La vista previa muestra"),
        "{report}"
    );
    assert_eq!(
        report["errors"][0]["message"],
        "valor desconocido de `kind`: `studdy`"
    );
    let location = report["errors"][0]["location"].as_str().unwrap();
    assert!(
        location.starts_with("content/estudios/dos.md:3:"),
        "{location}"
    );
    assert!(
        report["errors"][0]["text"]
            .as_str()
            .unwrap()
            .contains("studdy")
    );
    assert!(server.get("/estudios/dos/").1.contains("Estudio editado"));
    // Saving the same broken file again does not print the error again.
    edit(
        server.site.root(),
        "content/estudios/dos.md",
        "Resumen",
        "Resumen.",
    );
    events.until("errors");
    let printed = server
        .log()
        .iter()
        .filter(|l| l.contains("valor desconocido de `kind`: `studdy`"))
        .count();
    assert_eq!(printed, 1, "{:?}", server.log());
    edit(
        server.site.root(),
        "content/estudios/dos.md",
        "kind: studdy",
        "kind: study",
    );
    events.until("reload");
    assert!(server.get("/__ayni/status").1.contains("\"errors\":null"));
}

#[test]
fn serve_answers_like_a_static_host_and_stays_inside_the_site() {
    let server = Server::start(&[]);
    std::fs::write(server.site.root().join("secret.txt"), "secret").unwrap();
    // Content types, HEAD, ETag and Last-Modified.
    let (status, head, body) = server.request("GET", "/feed.xml", "");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: application/xml") || head.contains("content-type: text/xml"),
        "{head}"
    );
    let (_, head, _) = server.request("GET", "/", "");
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .expect("etag")
        .to_string();
    assert!(head.contains("last-modified: "), "{head}");
    let (status, _, body304) = server.request("GET", "/", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(status, 304);
    assert!(body304.is_empty());
    let (status, head, body_head) = server.request("HEAD", "/feed.xml", "");
    assert_eq!(status, 200);
    assert!(body_head.is_empty());
    assert!(
        head.contains(&format!("content-length: {}", body.len())),
        "{head}"
    );
    // The site's own 404 page, with a 404 status.
    let (status, page) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(page.contains("Perdido en la red"), "{page}");
    // A folder without its slash is redirected.
    let (status, head, _) = server.request("GET", "/estudios/dos", "");
    assert_eq!(status, 301);
    assert!(head.contains("location: /estudios/dos/"), "{head}");
    // Nothing outside the output folder, however the path is spelled.
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/estudios/..%2f..%2f..%2fsecret.txt",
    ] {
        let (status, _, body) = server.request("GET", path, "");
        assert!(status == 403 || status == 404, "{path}: {status}");
        assert!(!String::from_utf8_lossy(&body).contains("secret"), "{path}");
    }
    #[cfg(unix)]
    {
        let out = server.site.root().join(".ayni-cache/serve/public");
        std::os::unix::fs::symlink(server.site.root().join("secret.txt"), out.join("link.txt"))
            .unwrap();
        assert_eq!(server.request("GET", "/link.txt", "").0, 403);
    }
    assert_eq!(server.request("POST", "/", "Content-Length: 0\r\n").0, 405);
}

#[test]
fn serve_warns_when_bound_beyond_loopback_and_refuses_a_taken_port() {
    // `--lang` speaks English on a Spanish site.
    let server = Server::start(&["--bind", "0.0.0.0", "--lang", "en"]);
    let log = server.log().join("\n");
    assert!(log.contains("warning: serving on 0.0.0.0"), "{log}");
    assert!(log.contains("Serving "), "{log}");
    let taken = server.port;
    let site = Site::fixture("basic");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args([
            "serve",
            "--bind",
            "0.0.0.0",
            "--port",
            &taken.to_string(),
            "--root",
        ])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("no se puede escuchar en 0.0.0.0:{taken}")),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn serve_follows_editor_saves_and_bursts_of_changes() {
    let server = Server::start(&[]);
    let root = server.site.root().to_path_buf();
    let mut events = server.events();
    let rebuilds = || {
        server
            .log()
            .iter()
            .filter(|l| l.contains(" generada"))
            .count()
    };

    // Save by writing a temporary file and renaming it over the original,
    // with a swap file beside it, as vim and many editors do.
    let path = root.join("content/estudios/dos.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(root.join("content/estudios/.dos.md.swp"), "swap").unwrap();
    let tmp = root.join("content/estudios/.dos.md.tmp");
    std::fs::write(&tmp, text.replace("Estudio dos", "Guardado por renombre")).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    std::fs::remove_file(root.join("content/estudios/.dos.md.swp")).unwrap();
    events.until("reload");
    assert!(
        server
            .get("/estudios/dos/")
            .1
            .contains("Guardado por renombre")
    );

    // Delete, then create again.
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, text.replace("Estudio dos", "Creado de nuevo")).unwrap();
    events.until("reload");
    assert!(server.get("/estudios/dos/").1.contains("Creado de nuevo"));

    // A burst like a checkout: 1,000 files in a new folder at once.
    let before = rebuilds();
    let dir = root.join("content/lote");
    std::fs::create_dir_all(&dir).unwrap();
    for n in 0..1000 {
        std::fs::write(
            dir.join(format!("p{n:04}.md")),
            format!("---\ntitle: Producto {n}\nkind: study\ndate: 2020\npartners: [ong-a]\ntopics: [agua]\n---\nTexto {n}.\n"),
        )
        .unwrap();
    }
    events.until("reload");
    // The last file may still have been on its way: wait for the state.
    let start = std::time::Instant::now();
    while server.get("/lote/p0999/").0 != 200 {
        assert!(start.elapsed().as_secs() < 60, "{:?}", server.log());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let after = rebuilds() - before;
    // A burst is a few rebuilds, never one per file: on a loaded machine
    // writing 1,000 files takes longer than the pause that ends a burst, so
    // it may arrive as two or three.
    assert!(
        after <= 4,
        "1,000 files made {after} rebuilds: {:?}",
        server.log()
    );
    assert_eq!(server.get("/lote/p0000/").0, 200);

    // The folder goes away: its pages too.
    std::fs::remove_dir_all(&dir).unwrap();
    events.until("reload");
    let start = std::time::Instant::now();
    while server.get("/lote/p0999/").0 != 404 {
        assert!(start.elapsed().as_secs() < 60);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn serve_never_redirects_off_site() {
    let site = Site::fixture("basic");
    std::fs::create_dir_all(site.root().join("static/evil.example")).unwrap();
    std::fs::write(site.root().join("static/evil.example/index.html"), "x").unwrap();
    let server = Server::start_with(site, &[], &[("AYNI_IDLE_TIMEOUT_MS", "500")]);
    for path in ["//evil.example", "///evil.example", "/.//evil.example"] {
        let (status, head, _) = server.request("GET", path, "");
        assert_eq!(status, 301, "{path}: {head}");
        let location = head
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap_or_default();
        assert_eq!(location, "/evil.example/", "{path}");
    }
}

#[test]
fn serve_closes_idle_connections() {
    use std::io::{Read, Write};
    let server = Server::start_with(
        Site::fixture("basic"),
        &[],
        &[("AYNI_IDLE_TIMEOUT_MS", "500")],
    );
    // A connection that sends nothing, and one that stops after a request,
    // are closed once idle.
    for request in ["", "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"] {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let start = std::time::Instant::now();
        let mut buf = Vec::new();
        let read = s.read_to_end(&mut buf);
        let closed = match &read {
            Ok(_) => true,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        };
        assert!(
            closed && start.elapsed() < std::time::Duration::from_secs(5),
            "{request:?}: still open after {:?}: {read:?}",
            start.elapsed()
        );
    }
}

#[test]
fn serve_refuses_an_output_folder_that_is_not_its_own() {
    let site = Site::fixture("basic");
    let theirs = tempfile::tempdir().unwrap();
    std::fs::write(theirs.path().join("tesis.docx"), "someone's work").unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ayni"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .arg("--out")
        .arg(theirs.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no se construye en"), "{err}");
    assert!(theirs.path().join("tesis.docx").exists());
}
