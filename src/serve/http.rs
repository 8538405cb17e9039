//! The preview's HTTP side: files of the output folder (and nothing outside
//! it), the live-reload script injected into pages, and the event stream
//! that tells open pages to reload, swap their stylesheet or show errors.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::UNIX_EPOCH;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// Where the preview's own endpoints live; no site path starts with it.
pub const PREFIX: &str = "/__ayni/";
const LIVE_JS: &str = include_str!("live.js");

/// What the rebuild loop tells open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them in place.
    Css,
    /// The site has content errors; the payload is the JSON the overlay shows.
    Errors(String),
}

/// State shared by the server and the rebuild loop.
pub struct Shared {
    pub out: PathBuf,
    pub notices: broadcast::Sender<Notice>,
    /// The current errors as overlay JSON, while the site has any.
    pub errors: RwLock<Option<String>>,
    /// Bumped after every rebuild, good or bad.
    pub generation: std::sync::atomic::AtomicU64,
    /// A rebuild of the pages is running.
    pub building: std::sync::atomic::AtomicBool,
    /// Search index jobs sent and not finished: the rebuild of the last
    /// change is not over until its index is written.
    pub indexing: std::sync::atomic::AtomicUsize,
}

impl Shared {
    pub fn new(out: PathBuf) -> Arc<Shared> {
        Arc::new(Shared {
            out,
            notices: broadcast::channel(64).0,
            errors: RwLock::new(None),
            generation: Default::default(),
            building: Default::default(),
            indexing: Default::default(),
        })
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__ayni/live.js", get(live_js))
        .route("/__ayni/events", get(events))
        .route("/__ayni/status", get(status))
        .fallback(file)
        .with_state(shared)
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIVE_JS,
    )
}

async fn status(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    use std::sync::atomic::Ordering;
    let errors = shared.errors.read().map(|e| e.clone()).unwrap_or(None);
    let body = serde_json::json!({
        "generation": shared.generation.load(Ordering::SeqCst),
        "building": shared.building.load(Ordering::SeqCst)
            || shared.indexing.load(Ordering::SeqCst) > 0,
        "errors": errors.and_then(|e| serde_json::from_str::<serde_json::Value>(&e).ok()),
    });
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
}

fn sse_event(n: &Notice) -> Event {
    match n {
        Notice::Reload => Event::default().event("reload").data("{}"),
        Notice::Css => Event::default().event("css").data("{}"),
        Notice::Errors(json) => Event::default().event("errors").data(json.as_str()),
    }
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the current state so no notice falls between.
    let rx = shared.notices.subscribe();
    let current = shared.errors.read().map(|e| e.clone()).unwrap_or(None);
    let first = Event::default().event("hello").data("{}");
    let mut initial = vec![Ok(first)];
    if let Some(json) = current {
        initial.push(Ok(sse_event(&Notice::Errors(json))));
    }
    let live = BroadcastStream::new(rx).filter_map(|n| n.ok().map(|n| Ok(sse_event(&n))));
    Sse::new(tokio_stream::iter(initial).chain(live)).keep_alive(KeepAlive::default())
}

/// Where a request path leads inside the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
    /// The path tries to leave the output folder, or cannot be read as one.
    Refused,
}

/// Maps a raw request path to a file under `root`. Percent-encoding is
/// decoded first, then `..`, backslashes and NUL are refused, and the file
/// found must still be under `root` once symbolic links are followed.
pub fn resolve(root: &Path, raw: &str) -> Resolved {
    let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Resolved::Refused;
    };
    if decoded.contains('\\') || decoded.contains('\0') || !decoded.starts_with('/') {
        return Resolved::Refused;
    }
    let mut path = root.to_path_buf();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return Resolved::Refused,
            p if p.contains(':') => return Resolved::Refused,
            p => path.push(p),
        }
    }
    let Ok(real_root) = root.canonicalize() else {
        return Resolved::NotFound;
    };
    let Ok(real) = path.canonicalize() else {
        return Resolved::NotFound;
    };
    if !real.starts_with(&real_root) {
        return Resolved::Refused;
    }
    if real.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(folder_location(raw));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// Where a folder asked for without its slash is: its segments after a
/// single `/`. The raw path as is would let `//evil.example` answer with
/// `Location: //evil.example/`, which a browser reads as another site.
fn folder_location(raw: &str) -> String {
    let segments: Vec<&str> = raw
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    if segments.is_empty() {
        "/".into()
    } else {
        format!("/{}/", segments.join("/"))
    }
}

/// Adds the live-reload script to a page, before `</body>` when there is one.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js\" defer></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn http_date(t: std::time::SystemTime) -> String {
    httpdate::fmt_http_date(t)
}

async fn file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let head = method == Method::HEAD;
    let (path, status) = match resolve(&shared.out, uri.path()) {
        Resolved::File(p) => (p, StatusCode::OK),
        Resolved::Redirect(to) => {
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
        }
        Resolved::Refused => {
            return (StatusCode::FORBIDDEN, "403: outside the site\n").into_response();
        }
        Resolved::NotFound => (shared.out.join("404.html"), StatusCode::NOT_FOUND),
    };
    let (bytes, meta) = match (std::fs::read(&path), std::fs::metadata(&path)) {
        (Ok(b), Ok(m)) => (b, m),
        // No 404 page yet (the first build failed): a bare page that still
        // carries the overlay with the errors.
        _ => {
            let page = inject(b"<!doctype html><title>ayni</title><body></body>");
            return (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                page,
            )
                .into_response();
        }
    };
    let modified = meta.modified().ok();
    let stamp = modified
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let etag = format!("\"{:x}-{:x}\"", meta.len(), stamp);
    let (content_type, is_html) = content_type(&path);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if fresh && status == StatusCode::OK {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let body = if is_html { inject(&bytes) } else { bytes };
        let len = body.len();
        let mut r = Response::new(if head {
            Body::empty()
        } else {
            Body::from(body)
        });
        *r.status_mut() = status;
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        r
    };
    describe(response.headers_mut(), &content_type, &etag, modified);
    response
}

/// A file's content type, with UTF-8 named for text, and whether it is a
/// page (which gets the preview's overlay).
fn content_type(path: &std::path::Path) -> (String, bool) {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/json" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    (content_type, is_html)
}

/// The headers that describe a file: its type, version and date, and
/// that it is always revalidated.
fn describe(
    h: &mut HeaderMap,
    content_type: &str,
    etag: &str,
    modified: Option<std::time::SystemTime>,
) {
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(m) = modified
        && let Ok(v) = HeaderValue::from_str(&http_date(m))
    {
        h.insert(header::LAST_MODIFIED, v);
    }
    // Always revalidate: the preview changes under the browser's feet.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("casos/uno")).unwrap();
        std::fs::write(out.join("casos/uno/index.html"), "uno").unwrap();
        std::fs::write(out.join("a b.txt"), "spaced").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        dir
    }

    #[test]
    fn resolves_files_folders_and_encoded_names() {
        let dir = site();
        let out = dir.path().join("out");
        let real = out.canonicalize().unwrap();
        assert_eq!(
            resolve(&out, "/casos/uno/"),
            Resolved::File(real.join("casos/uno/index.html"))
        );
        assert_eq!(
            resolve(&out, "/casos/uno"),
            Resolved::Redirect("/casos/uno/".into())
        );
        assert_eq!(
            resolve(&out, "/a%20b.txt"),
            Resolved::File(real.join("a b.txt"))
        );
        assert_eq!(resolve(&out, "/nada/"), Resolved::NotFound);
    }

    #[test]
    fn refuses_every_way_out_of_the_output_folder() {
        let dir = site();
        let out = dir.path().join("out");
        for raw in [
            "/../secret.txt",
            "/casos/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/..%2fsecret.txt",
            "/..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/casos/%00",
            "/C:/secret.txt",
            "/%ff",
        ] {
            assert_eq!(resolve(&out, raw), Resolved::Refused, "{raw}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_that_point_out() {
        let dir = site();
        let out = dir.path().join("out");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
        assert_eq!(resolve(&out, "/link.txt"), Resolved::Refused);
        assert_eq!(resolve(&out, "/up/secret.txt"), Resolved::Refused);
    }

    #[test]
    fn redirects_stay_on_the_site() {
        let dir = site();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("evil.example")).unwrap();
        for (raw, to) in [
            ("//evil.example", "/evil.example/"),
            ("///evil.example", "/evil.example/"),
            ("/./evil.example", "/evil.example/"),
            ("/casos//uno", "/casos/uno/"),
            ("/.", "/"),
        ] {
            assert_eq!(resolve(&out, raw), Resolved::Redirect(to.into()), "{raw}");
        }
    }

    proptest::proptest! {
        #[test]
        fn every_redirect_is_a_path_of_the_site(raw in "/[/ab.]{0,12}") {
            let dir = site();
            let out = dir.path().join("out");
            std::fs::create_dir_all(out.join("a/b")).unwrap();
            if let Resolved::Redirect(to) = resolve(&out, &raw) {
                proptest::prop_assert!(to.starts_with('/'), "{}", to);
                proptest::prop_assert!(!to.starts_with("//"), "{}", to);
            }
        }
    }

    #[test]
    fn injects_the_script_before_the_end_of_body() {
        let page = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert_eq!(
            page,
            "<html><body><p>x</p><script src=\"/__ayni/live.js\" defer></script></body></html>"
        );
    }
}
