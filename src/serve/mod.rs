//! `ayni serve`: the preview for editors. Builds the site with drafts into
//! a folder of its own, serves it on loopback, watches the sources, and
//! after each burst of changes runs the same pipeline as `build` through a
//! [`Session`] that re-reads, re-renders and re-writes only what changed.
//! Open pages reload (or swap their stylesheet); content errors show over
//! the page and in the terminal, and the last good site keeps being served.

pub mod http;
mod idle;
pub mod incremental;
pub mod watch;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::build::{BuildOptions, Changes, IndexJob, Session};
use crate::diagnostics::Diagnostic;
use crate::error::Error;
use http::{Notice, Shared};

/// The port tried first when none is given, as in the contract.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after the default are tried when it is taken.
const PORT_TRIES: u16 = 20;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// `None`: the default port, or the next free one after it.
    pub port: Option<u16>,
    /// Where the preview is written; `.ayni-cache/serve/public` by default,
    /// so the preview never touches the `public/` that `build` makes.
    pub out: Option<PathBuf>,
    /// Print the time each stage of every rebuild took.
    pub timings: bool,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: None,
            out: None,
            timings: false,
        }
    }
}

/// Binds the listening socket: the port asked for, or else the default
/// and, if it is taken, the next free one (said on the terminal).
pub fn bind(addr: IpAddr, port: Option<u16>) -> Result<TcpListener, Error> {
    let in_use = |p: u16, e: std::io::Error| {
        Error::Output(format!(
            "cannot listen on {}: {e}{}",
            SocketAddr::new(addr, p),
            if e.kind() == std::io::ErrorKind::AddrInUse {
                "; another program (perhaps another `ayni serve`) uses that port: stop it, or choose another with --port"
            } else {
                ""
            }
        ))
    };
    if let Some(p) = port {
        return TcpListener::bind(SocketAddr::new(addr, p)).map_err(|e| in_use(p, e));
    }
    let mut last = None;
    for p in DEFAULT_PORT..DEFAULT_PORT + PORT_TRIES {
        match TcpListener::bind(SocketAddr::new(addr, p)) {
            Ok(l) => {
                if p != DEFAULT_PORT {
                    say!("note: port {DEFAULT_PORT} is in use; using {p} instead");
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

/// The overlay's JSON for a set of diagnostics: a title, a note, and for
/// each error its place, message and the same text the terminal shows.
pub fn overlay_json(diags: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    let list: Vec<serde_json::Value> = errors
        .iter()
        .map(|d| {
            let json = d.to_json();
            let location = match (&json["file"], &json["line"], &json["column"]) {
                (serde_json::Value::String(f), l, c) if !l.is_null() => format!("{f}:{l}:{c}"),
                (serde_json::Value::String(f), _, _) => f.clone(),
                _ => String::new(),
            };
            serde_json::json!({
                "location": location,
                "message": d.message,
                "text": d.render(false),
            })
        })
        .collect();
    serde_json::json!({
        "title": format!(
            "ayni: {} in the site",
            crate::text::counted(errors.len(), "error", "errors")
        ),
        "note": "The preview shows the last good version. Fix the file and save: this message goes away.",
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

fn shown(root: &Path, batch: &BTreeSet<PathBuf>) -> String {
    let mut names: Vec<String> = batch
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    if names.len() > 3 {
        let more = names.len() - 3;
        names.truncate(3);
        names.push(format!("and {more} more"));
    }
    names.join(", ")
}

/// The line that tells what a rebuild after `batch` did.
fn rebuilt(
    root: &Path,
    batch: &BTreeSet<PathBuf>,
    changes: &Changes,
    start: Instant,
    was_broken: bool,
) -> String {
    // Said only when it happened: a PDF's text is the one slow read, and
    // an editor sees which save caused it.
    let pdfs = match changes.pdfs_read {
        0 => String::new(),
        n => format!(", {n} PDF(s) read"),
    };
    format!(
        "{}: {} page(s) rendered, {} file(s) written, {} removed{pdfs} in {} ms{}",
        shown(root, batch),
        changes.rendered,
        changes.written.len(),
        changes.removed.len(),
        start.elapsed().as_millis(),
        if was_broken { "; errors fixed" } else { "" }
    )
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
}

impl Rebuilder {
    /// Rebuilds after `batch` changed (everything, the first time); pages
    /// first so the browser reloads at once, then the search index, on its
    /// own thread.
    fn rebuild(&mut self, batch: &BTreeSet<PathBuf>) {
        let start = Instant::now();
        self.shared.building.store(true, Ordering::SeqCst);
        let first = batch.is_empty();
        let mut session = lock(&self.session);
        let root = session.opts.root.clone();
        let pages = if first {
            session.rebuild_pages()
        } else {
            session.rebuild_changed(batch)
        };
        match pages {
            Ok(changes) => {
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
                    say!("{}", rebuilt(&root, batch, &changes, start, was_broken));
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
            Err(Error::Content(diags)) => {
                let text: String = diags
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| d.render(self.color))
                    .collect::<Vec<_>>()
                    .join("\n");
                if self.last_errors.as_deref() != Some(text.as_str()) {
                    say!("{text}");
                    say!(
                        "error: the preview keeps showing the last good version until this is fixed"
                    );
                }
                self.last_errors = Some(text);
                let json = overlay_json(&diags);
                if let Ok(mut e) = self.shared.errors.write() {
                    *e = Some(json.clone());
                }
                self.shared.generation.fetch_add(1, Ordering::SeqCst);
                let _ = self.shared.notices.send(Notice::Errors(json));
            }
            Err(e) => {
                // Not a content error (a broken template, an unreadable
                // folder): shown the same way, as one error without a file.
                let d = Diagnostic::error("build", e.to_string());
                let text = d.render(self.color);
                if self.last_errors.as_deref() != Some(text.as_str()) {
                    say!("{text}");
                }
                self.last_errors = Some(text);
                let json = overlay_json(&[d]);
                if let Ok(mut e) = self.shared.errors.write() {
                    *e = Some(json.clone());
                }
                self.shared.generation.fetch_add(1, Ordering::SeqCst);
                let _ = self.shared.notices.send(Notice::Errors(json));
            }
        }
        drop(session);
        self.shared.building.store(false, Ordering::SeqCst);
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
fn index_worker(session: Arc<Mutex<Session>>, shared: Arc<Shared>, jobs: Receiver<IndexJob>) {
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
            Ok(c) if !c.written.is_empty() || !c.removed.is_empty() => say!(
                "search index updated: {} file(s) written in {} ms",
                c.written.len(),
                start.elapsed().as_millis()
            ),
            Ok(_) => {}
            Err(e) => say!("error: search index: {e}"),
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
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr().map_err(|e| Error::io(&root, e))?;
    if !opts.bind.is_loopback() {
        say!(
            "warning: serving on {} makes the preview, drafts included, readable by anyone on your network",
            opts.bind
        );
    }
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());

    let mut build = BuildOptions::new(&root);
    build.drafts = true;
    build.base_url = Some(url.clone());
    build.cache = Some(root.join(".ayni-cache").join("serve"));
    build.out = Some(
        opts.out
            .clone()
            .unwrap_or_else(|| root.join(".ayni-cache").join("serve").join("public")),
    );
    // Refused before the first build, so the preview never serves a folder
    // it may not replace.
    crate::build::output::guard(&build)?;
    let out = build.out_dir();
    let shared = Shared::new(out);
    let session = Arc::new(Mutex::new(Session::new(build)));
    let (index, jobs) = std::sync::mpsc::channel();
    {
        let (session, shared) = (session.clone(), shared.clone());
        std::thread::spawn(move || index_worker(session, shared, jobs));
    }
    let mut rebuilder = Rebuilder {
        session,
        index,
        shared: shared.clone(),
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        last_errors: None,
        timings: opts.timings,
    };

    // Watch before the first build so no save during it is missed.
    let (mut watcher, events) =
        watch::start(&root).map_err(|e| Error::Output(format!("cannot watch the site: {e}")))?;
    let start = Instant::now();
    rebuilder.rebuild(&BTreeSet::new());
    say!(
        "Serving {} at {url} (drafts included; built in {} ms)",
        root.display(),
        start.elapsed().as_millis()
    );
    say!("Watching content/, static/, templates/, themes/ and site.yaml. Stop with Ctrl+C.");

    let watch_root = root.clone();
    std::thread::spawn(move || {
        while let Some(batch) = watch::next_batch(&events, &watch_root) {
            let paths: Vec<PathBuf> = batch.iter().cloned().collect();
            watch::watch_new_sources(&mut watcher, &watch_root, &paths);
            rebuilder.rebuild(&batch);
        }
    });

    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io(&root, e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(&root, e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Error::Output(format!("cannot listen on {addr}: {e}")))?;
        axum::serve(idle::IdleListener::new(listener), http::router(shared))
            .await
            .map_err(|e| Error::Output(format!("server stopped: {e}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_a_clear_error_when_asked_for() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let err = bind(IpAddr::from([127, 0, 0, 1]), Some(port)).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
        assert!(msg.contains("--port"), "{msg}");
    }

    #[test]
    fn css_only_batches() {
        let set = |v: &[&str]| v.iter().map(PathBuf::from).collect::<BTreeSet<_>>();
        assert!(only_css(&set(&["/s/static/css/a.css"])));
        assert!(!only_css(&set(&["/s/static/css/a.css", "/s/content/a.md"])));
        assert!(!only_css(&set(&[])));
    }
}
