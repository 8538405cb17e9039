//! `ayni serve`: the preview for editors. Builds the site with drafts into
//! a folder of its own, serves it on loopback, watches the sources, and
//! after each burst of changes runs the same pipeline as `build` through a
//! [`Session`] that re-reads, re-renders and re-writes only what changed.
//! Open pages reload (or swap their stylesheet); content errors show over
//! the page and in the terminal, and the last good site keeps being served.

pub(crate) mod http;
mod idle;
pub(crate) mod incremental;
mod session;
pub(crate) mod watch;

pub use session::{Changes, IndexFiles, IndexJob, Session};

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::build::BuildOptions;
use crate::diagnostics::Diagnostic;
use crate::error::Error;
use crate::messages::{Catalogue, Lang};
use crate::msg;
use http::{Notice, Shared};

/// The port tried first when none is given, as in the contract.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the default are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// What `ayni serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// The address to listen on.
    pub bind: IpAddr,
    /// `None`: the default port, or the next free one after it.
    pub port: Option<u16>,
    /// Where the preview is written; `.ayni-cache/serve/public` by default,
    /// so the preview never touches the `public/` that `build` makes.
    pub out: Option<PathBuf>,
    /// Print the time each stage of every rebuild took.
    pub timings: bool,
    /// `--lang`: the language of the terminal lines and the overlay,
    /// instead of the site's `ui_language`.
    pub lang: Option<Lang>,
}

impl ServeOptions {
    /// Options for the site in `root`, with every default.
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: None,
            out: None,
            timings: false,
            lang: None,
        }
    }
}

/// Binds the listening socket: the port asked for, or else the default
/// and, if it is taken, the next free one (said on the terminal).
pub fn bind(addr: IpAddr, port: Option<u16>, lang: Lang) -> Result<TcpListener, Error> {
    let in_use = |p: u16, e: std::io::Error| {
        let key = match e.kind() {
            std::io::ErrorKind::AddrInUse => "serve.port-in-use",
            _ => "serve.cannot-listen",
        };
        Error::Refused(
            crate::messages::Msg::new(key)
                .arg("addr", SocketAddr::new(addr, p))
                .arg("error", e),
        )
    };
    if let Some(p) = port {
        return TcpListener::bind(SocketAddr::new(addr, p)).map_err(|e| in_use(p, e));
    }
    let mut last = None;
    for p in DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => {
                if p != DEFAULT_PORT {
                    let line = msg!("serve.port-taken", port = DEFAULT_PORT, other = p);
                    say!("{}", Catalogue::get(lang).leveled("note", &line.say(lang)));
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(in_use(p, e)),
        }
    }
    Err(in_use(
        DEFAULT_PORT + PORT_TRIES - 1,
        last.unwrap_or_else(|| std::io::Error::other("no free port")),
    ))
}

/// The overlay's JSON for a set of diagnostics, in `lang`: a title, a
/// note, and for each error its place, message and the same text the
/// terminal shows.
pub fn overlay_json(diags: &[Diagnostic], lang: Lang) -> String {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    let list: Vec<serde_json::Value> = errors
        .iter()
        .map(|d| {
            let json = d.to_json(lang);
            let location = match (&json["file"], &json["line"], &json["column"]) {
                (serde_json::Value::String(f), l, c) if !l.is_null() => format!("{f}:{l}:{c}"),
                (serde_json::Value::String(f), _, _) => f.clone(),
                _ => String::new(),
            };
            serde_json::json!({
                "location": location,
                "message": json["message"],
                "text": d.render(false, lang),
            })
        })
        .collect();
    let count = Catalogue::get(lang).count(errors.len(), "errors");
    serde_json::json!({
        "lang": lang.code(),
        "title": msg!("serve.overlay-title", errors = count).say(lang),
        "note": msg!("serve.overlay-note").say(lang),
        "errors": list,
    })
    .to_string()
}

/// What a batch of changed sources asks of open pages: only stylesheets
/// changed, so they can be swapped without a reload.
fn only_css(batch: &BTreeSet<PathBuf>) -> bool {
    // A new folder comes as one event, before its files can be watched:
    // what it holds is part of the change.
    let mut files: Vec<PathBuf> = Vec::new();
    for p in batch {
        if p.is_dir() {
            files.extend(
                walkdir::WalkDir::new(p)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_file())
                    .map(|e| e.into_path()),
            );
        } else {
            files.push(p.clone());
        }
    }
    !files.is_empty()
        && files
            .iter()
            .all(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css")))
}

fn shown(root: &Path, batch: &BTreeSet<PathBuf>, lang: Lang) -> String {
    let mut names: Vec<String> = batch
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    if names.len() > 3 {
        let more = names.len() - 3;
        names.truncate(3);
        names.push(msg!("serve.more", n = more).say(lang));
    }
    names.join(", ")
}

/// The rebuild side of the preview: owns the session and tells the server.
struct Rebuilder {
    session: Arc<Mutex<Session>>,
    /// Jobs for the search index's thread.
    index: Sender<IndexJob>,
    shared: Arc<Shared>,
    color: bool,
    /// The terminal text of the last errors, so the same errors are not
    /// printed again on every save.
    last_errors: Option<String>,
    timings: bool,
    /// `--lang`, if given; else each message follows the site's
    /// `ui_language` as it is when the message is said.
    lang: Option<Lang>,
}

impl Rebuilder {
    /// Rebuilds after `batch` changed (everything, the first time); pages
    /// first so the browser reloads at once, then the search index, on its
    /// own thread.
    fn rebuild(&mut self, batch: &BTreeSet<PathBuf>) {
        let start = Instant::now();
        self.shared.building.store(true, Ordering::SeqCst);
        let first = batch.is_empty();
        // Its own handle, so that the guard does not hold `self`.
        let handle = self.session.clone();
        let mut session = lock(&handle);
        let root = session.opts.root.clone();
        let pages = if first {
            session.rebuild_pages()
        } else {
            session.rebuild_changed(batch)
        };
        let failed = match pages {
            Ok(changes) => {
                self.succeeded(&mut session, &changes, batch, start);
                None
            }
            Err(Error::Content(diags)) => Some((diags, true)),
            // Not a content error (a broken template, an unreadable
            // folder): shown the same way, as one error without a file.
            Err(e) => Some((vec![Diagnostic::error("build", e.to_string())], false)),
        };
        drop(session);
        if let Some((diags, content)) = failed {
            self.show_errors(&diags, &root, content);
        }
        self.shared.building.store(false, Ordering::SeqCst);
    }

    /// After pages built without errors: says what changed, tells open
    /// pages to reload (or swap the stylesheet), and queues the index.
    fn succeeded(
        &mut self,
        session: &mut Session,
        changes: &Changes,
        batch: &BTreeSet<PathBuf>,
        start: Instant,
    ) {
        let first = batch.is_empty();
        let root = session.opts.root.clone();
        let was_broken = self.last_errors.take().is_some();
        if let Ok(mut e) = self.shared.errors.write() {
            *e = None;
        }
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        let notice = if only_css(batch) && !was_broken {
            Notice::Css
        } else {
            Notice::Reload
        };
        if self.timings {
            let parts: Vec<String> = changes
                .timings
                .iter()
                .map(|(n, d)| format!("{n} {:.0}", d.as_secs_f64() * 1000.0))
                .collect();
            say!("timings (ms): {}", parts.join(", "));
        }
        // A burst whose files ended as they were (a save of the
        // same text, events that arrive late) changes nothing on
        // disk, and open pages are left alone.
        let nothing = changes.written.is_empty() && changes.removed.is_empty();
        if !first && (!nothing || was_broken) {
            let lang = self.lang(&root);
            let words = Catalogue::get(lang);
            // Said only when it happened: a PDF's text is the one
            // slow read, and an editor sees which save caused it.
            let pdfs = match changes.pdfs_read {
                0 => String::new(),
                n => format!(", {}", words.count(n, "pdfs_read")),
            };
            let line = msg!(
                "serve.rebuilt",
                files = shown(&root, batch, lang),
                rendered = words.count(changes.rendered, "rendered"),
                written = words.count(changes.written.len(), "written"),
                removed = words.count(changes.removed.len(), "removed"),
                pdfs = pdfs,
                ms = start.elapsed().as_millis()
            );
            let fixed = if was_broken {
                msg!("serve.fixed")
            } else {
                "".into()
            };
            say!("{}{}", line.say(lang), fixed.say(lang));
            let _ = self.shared.notices.send(notice);
        }
        // Pages that came out the same mean an index that would too.
        if (first || !nothing || was_broken)
            && let Some(job) = session.index_job()
        {
            self.shared.indexing.fetch_add(1, Ordering::SeqCst);
            if self.index.send(job).is_err() {
                self.shared.indexing.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }

    /// The language of what is said now: `--lang`, or the site's.
    fn lang(&self, root: &Path) -> Lang {
        crate::content::config::Config::messages_language(self.lang, Some(root))
    }

    /// Prints the errors (once while they stay the same) and sends them to
    /// open pages, which show them over the last good version.
    fn show_errors(&mut self, diags: &[Diagnostic], root: &Path, content: bool) {
        let lang = self.lang(root);
        let text: String = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(self.color, lang))
            .collect::<Vec<_>>()
            .join("\n");
        if self.last_errors.as_deref() != Some(text.as_str()) {
            say!("{text}");
            if content {
                let keeps = msg!("serve.keeps-last").say(lang);
                say!("{}", Catalogue::get(lang).leveled("error", &keeps));
            }
        }
        self.last_errors = Some(text);
        let json = overlay_json(diags, lang);
        if let Ok(mut e) = self.shared.errors.write() {
            *e = Some(json.clone());
        }
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        let _ = self.shared.notices.send(Notice::Errors(json));
    }
}

fn lock(session: &Mutex<Session>) -> std::sync::MutexGuard<'_, Session> {
    // A panic in a rebuild is a bug, but the session's files stay valid.
    session.lock().unwrap_or_else(|e| e.into_inner())
}

/// The search index's thread: makes the index of the newest job (older
/// ones waiting behind it are skipped) while pages go on being rebuilt,
/// and writes its files between rebuilds. The index is made on a thread
/// pool of its own, so a page rebuild never queues behind its work.
fn index_worker(
    session: Arc<Mutex<Session>>,
    shared: Arc<Shared>,
    jobs: Receiver<IndexJob>,
    lang: Lang,
) {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("ayni-index-{i}"))
        .build()
        .ok();
    while let Ok(mut job) = jobs.recv() {
        let mut taken = 1;
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
            taken += 1;
        }
        let start = Instant::now();
        let made = match &pool {
            Some(pool) => pool.install(|| job.run()),
            None => job.run(),
        };
        match made.and_then(|m| lock(&session).apply_index(m)) {
            Ok(c) if !c.written.is_empty() || !c.removed.is_empty() => {
                let written = Catalogue::get(lang).count(c.written.len(), "written");
                let ms = start.elapsed().as_millis();
                say!(
                    "{}",
                    msg!("serve.indexed", written = written, ms = ms).say(lang)
                );
            }
            Ok(_) => {}
            Err(e) => {
                let failed = msg!("serve.index-failed", error = e).say(lang);
                say!("{}", Catalogue::get(lang).leveled("error", &failed));
            }
        }
        shared.indexing.fetch_sub(taken, Ordering::SeqCst);
    }
}

/// Runs the preview until the process is stopped.
pub fn run(opts: ServeOptions) -> Result<(), Error> {
    if !opts.root.is_dir() {
        return Err(Error::io(
            &opts.root,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder"),
        ));
    }
    // The watcher reports absolute paths, which must match the root's.
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| Error::io(&opts.root, e))?;
    let lang = crate::content::config::Config::messages_language(opts.lang, Some(&root));
    let listener = bind(opts.bind, opts.port, lang)?;
    let addr = listener.local_addr().map_err(|e| Error::io(&root, e))?;
    if !opts.bind.is_loopback() {
        let shared = msg!("serve.shared", bind = opts.bind).say(lang);
        say!("{}", Catalogue::get(lang).leveled("warning", &shared));
    }
    let url = preview_url(addr);
    let build = preview_build(&root, &opts, &url);
    // Refused before the first build, so the preview never serves a folder
    // it may not replace.
    crate::build::output::guard(&build)?;
    let out = build.out_dir();
    let shared = Shared::new(out);
    let session = Arc::new(Mutex::new(Session::new(build)));
    let (index, jobs) = std::sync::mpsc::channel();
    {
        let (session, shared) = (session.clone(), shared.clone());
        std::thread::spawn(move || index_worker(session, shared, jobs, lang));
    }
    let mut rebuilder = Rebuilder {
        session,
        index,
        shared: shared.clone(),
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        last_errors: None,
        timings: opts.timings,
        lang: opts.lang,
    };

    // Watch before the first build so no save during it is missed.
    let (mut watcher, events) =
        watch::start(&root).map_err(|e| preview_error("cannot watch the site", e))?;
    let start = Instant::now();
    rebuilder.rebuild(&BTreeSet::new());
    let ms = start.elapsed().as_millis();
    let serving = msg!("serve.serving", root = root.display(), url = &url, ms = ms);
    say!("{}", serving.say(lang));
    say!("{}", msg!("serve.watching").say(lang));

    let watch_root = root.clone();
    std::thread::spawn(move || {
        while let Some(batch) = watch::next_batch(&events, &watch_root) {
            let paths: Vec<PathBuf> = batch.iter().cloned().collect();
            watch::watch_new_sources(&mut watcher, &watch_root, &paths);
            rebuilder.rebuild(&batch);
        }
    });

    serve_http(listener, &root, shared)
}

/// What the preview was doing when `source` stopped it.
fn preview_error(
    doing: impl Into<String>,
    source: impl std::error::Error + Send + Sync + 'static,
) -> Error {
    Error::Preview {
        doing: doing.into(),
        source: Box::new(source),
    }
}

/// The address the preview is at, as a browser is sent to it.
fn preview_url(addr: SocketAddr) -> String {
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("http://{host}:{}/", addr.port())
}

/// The preview's builds: drafts included, links to `url`, a cache and an
/// output folder of their own under `.ayni-cache/serve/` unless told
/// another output folder.
fn preview_build(root: &Path, opts: &ServeOptions, url: &str) -> BuildOptions {
    let mut build = BuildOptions::new(root);
    build.drafts = true;
    build.base_url = Some(url.to_string());
    build.cache = Some(root.join(".ayni-cache").join("serve"));
    build.out = Some(
        opts.out
            .clone()
            .unwrap_or_else(|| root.join(".ayni-cache").join("serve").join("public")),
    );
    build
}

/// Answers HTTP on `listener` until the process ends.
fn serve_http(listener: TcpListener, root: &Path, shared: Arc<Shared>) -> Result<(), Error> {
    let addr = listener.local_addr().map_err(|e| Error::io(root, e))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io(root, e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(root, e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| preview_error(format!("cannot listen on {addr}"), e))?;
        axum::serve(idle::IdleListener::new(listener), http::router(shared))
            .await
            .map_err(|e| preview_error("server stopped", e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_a_clear_error_when_asked_for() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let err = bind(IpAddr::from([127, 0, 0, 1]), Some(port), Lang::En).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
        assert!(msg.contains("--port"), "{msg}");
    }

    #[test]
    fn the_overlay_speaks_the_language_it_is_given() {
        let d = Diagnostic::error(
            "unknown-value",
            crate::msg!("diag.empty-value", key = "title"),
        );
        let es: serde_json::Value =
            serde_json::from_str(&overlay_json(std::slice::from_ref(&d), Lang::Es)).unwrap();
        assert_eq!(es["title"], "ayni: 1 error en el sitio");
        assert_eq!(es["errors"][0]["message"], "`title` está vacío");
        let en: serde_json::Value = serde_json::from_str(&overlay_json(&[d], Lang::En)).unwrap();
        assert_eq!(en["title"], "ayni: 1 error in the site");
        assert_eq!(en["errors"][0]["message"], "`title` is empty");
        assert!(
            en["errors"][0]["text"]
                .as_str()
                .unwrap()
                .starts_with("error[unknown-value]")
        );
    }

    #[test]
    fn css_only_batches() {
        let set = |v: &[&str]| v.iter().map(PathBuf::from).collect::<BTreeSet<_>>();
        assert!(only_css(&set(&["/s/static/css/a.css"])));
        assert!(!only_css(&set(&["/s/static/css/a.css", "/s/content/a.md"])));
        assert!(!only_css(&set(&[])));
    }
}
