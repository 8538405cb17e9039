//! Markdown to HTML with pulldown-cmark: GFM tables, footnotes,
//! strikethrough, task lists, heading ids; relative links to other `.md`
//! files and to files under `content/` become the URLs they are published
//! at. Every link is recorded so `check` can verify pages and anchors.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::content::load::is_unsafe_url;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::model::{asset_url, normalize};
use crate::msg;
use crate::text::{escape_html, heading_id};

mod deferred;
pub use deferred::{BodyHtml, Deferred, IndexText, KnownBodies, KnownBody, ToIndex};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Where a link in a body points, once resolved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Target {
    /// Another page, by its content-relative source path, with an anchor.
    Page {
        rel: String,
        fragment: Option<String>,
    },
    /// An anchor on the same page.
    Fragment(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub target: Target,
    /// Span of the link in the whole file.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RenderedBody {
    /// A fingerprint of everything it was made of (see [`body_print`]):
    /// what keys a page showing it.
    pub print: u64,
    pub html: String,
    /// Plain text, for the search index.
    pub text: String,
    /// Words in `text`, for the page's reading time.
    pub words: usize,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
}

/// The site's attachments and the HTML sanitizer, which [`Links`]
/// borrows.
pub fn link_targets(site: &crate::model::Site) -> LinkTargets<'_> {
    (
        site.assets.iter().map(String::as_str).collect(),
        sanitizer(&site.config.iframe_hosts),
    )
}

/// What [`link_targets`] makes: the sets [`Deferred`] borrows.
pub type LinkTargets<'a> = (HashSet<&'a str>, ammonia::Builder<'static>);

/// What link rewriting needs to know about the site.
pub struct Links<'a> {
    pub source_urls: &'a HashMap<String, String>,
    pub assets: &'a HashSet<&'a str>,
    pub base_path: &'a str,
    /// Every path the build generates, to check site-absolute links;
    /// `None` leaves them unchecked.
    pub site_paths: Option<&'a crate::build::urls::SitePaths>,
    /// Cleans raw HTML written in bodies; `None` with `unsafe_html: true`.
    pub sanitizer: Option<&'a ammonia::Builder<'static>>,
    /// Pages that failed to load, whose links are not broken for it.
    pub unreadable: Option<&'a HashSet<String>>,
    /// A fingerprint of all of the above (see [`links_generation`]).
    pub generation: u64,
}

impl<'a> Links<'a> {
    fn of(
        site: &'a crate::model::Site,
        assets: &'a HashSet<&'a str>,
        clean: &'a ammonia::Builder<'static>,
    ) -> Links<'a> {
        Links {
            source_urls: &site.source_urls,
            assets,
            base_path: &site.config.base_path,
            site_paths: Some(&site.site_paths),
            sanitizer: (!site.config.unsafe_html).then_some(clean),
            unreadable: Some(&site.unreadable),
            generation: links_generation(site),
        }
    }
}

/// The allowlist for HTML written in Markdown: ammonia's safe defaults
/// (formatting, tables, images, links) plus what the renderer itself emits
/// (ids, classes, task-list checkboxes) and iframes from `iframe_hosts`.
pub fn sanitizer(iframe_hosts: &[String]) -> ammonia::Builder<'static> {
    let hosts: Vec<String> = iframe_hosts.to_vec();
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "aria-hidden", "tabindex"])
        .add_tags(["input", "iframe", "figure", "figcaption"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes(
            "iframe",
            [
                "src",
                "width",
                "height",
                "title",
                "allowfullscreen",
                "loading",
            ],
        )
        .attribute_filter(move |tag, attr, value| {
            if tag == "iframe" && attr == "src" {
                let host = value
                    .strip_prefix("https://")
                    .and_then(|rest| rest.split(['/', '?', '#']).next())
                    .unwrap_or("");
                if !hosts.iter().any(|h| h == host) {
                    return None;
                }
            }
            if tag == "input" && attr == "type" && value != "checkbox" {
                return None;
            }
            Some(value.into())
        });
    b
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders the body of `file` starting at `body_start`, whose source path
/// relative to `content/` is `rel`.
pub fn render(
    file: &SourceFile,
    body_start: usize,
    rel: &str,
    links: &Links<'_>,
    diags: &mut Vec<Diagnostic>,
) -> RenderedBody {
    let body = &file.text[body_start..];
    let mut events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    let mut out = RenderedBody {
        text: String::with_capacity(body.len()),
        print: body_print(links.generation, rel, file, body_start),
        ..RenderedBody::default()
    };
    let raw_html = events
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));

    // Heading ids first: an id depends on the heading's whole text.
    heading_ids(&mut events, &mut out.headings);

    let dir = Path::new(rel)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut rewritten = Vec::with_capacity(events.len());
    for (event, range) in events {
        let span = body_start + range.start..body_start + range.end;
        let event = match event {
            Event::Start(mut tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &mut tag
                    && let Some(dest) = rewrite(
                        dest_url,
                        &dir,
                        rel,
                        links,
                        file,
                        span.clone(),
                        &mut out.links,
                        diags,
                    )
                {
                    *dest_url = CowStr::from(dest);
                }
                Event::Start(tag)
            }
            Event::Text(t) => {
                out.text.push_str(&t);
                Event::Text(t)
            }
            Event::Code(t) => {
                out.text.push_str(&t);
                Event::Code(t)
            }
            Event::SoftBreak | Event::HardBreak | Event::Html(_) | Event::InlineHtml(_) => {
                separate(&mut out.text);
                event
            }
            Event::Start(ref tag) if !inline(tag) => {
                separate(&mut out.text);
                event
            }
            Event::End(tag) if !inline_end(tag) => {
                end_block(&mut out.text);
                event
            }
            other => other,
        };
        rewritten.push(event);
    }
    write_html(
        &mut out,
        rewritten,
        body.len(),
        raw_html.then_some(links.sanitizer).flatten(),
    );
    out
}

/// What a body is made of, as one fingerprint: its file's text, where in
/// it the body starts, its path, and what its links were rewritten and
/// checked against. Two bodies with the same are the same, so a page can
/// be keyed with it instead of its HTML.
pub fn body_print(generation: u64, rel: &str, file: &SourceFile, body_start: usize) -> u64 {
    crate::text::fingerprint(&(generation, rel, file.fingerprint, body_start))
}

/// Gives each heading an id (its own, or one made from its text, unique
/// in the body) and a self-link, and lists it in `headings`.
fn heading_ids(events: &mut Vec<(Event<'_>, Range<usize>)>, headings: &mut Vec<Heading>) {
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = *level;
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = explicit.unwrap_or_else(|| heading_id(&text));
            let n = used.entry(base.clone()).or_insert(0);
            let unique = if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                *id = Some(CowStr::from(unique.clone()));
            }
            // A self-link lets readers share a section.
            if j < events.len() {
                let anchor = format!(
                    "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>",
                    escape_html(&unique)
                );
                events.insert(j, (Event::InlineHtml(anchor.into()), 0..0));
            }
            headings.push(Heading {
                level: heading_level(level),
                id: unique,
                text,
            });
            i = j + 1;
            continue;
        }
        i += 1;
    }
}

/// Writes the body's HTML from its rewritten events, through `sanitizer`
/// when the body holds HTML its authors wrote, and counts its text's words.
fn write_html(
    out: &mut RenderedBody,
    events: Vec<Event<'_>>,
    body_len: usize,
    sanitizer: Option<&ammonia::Builder<'static>>,
) {
    out.html.reserve(body_len * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    // Parsing HTML is the costly part, so only bodies that contain HTML
    // written by their authors go through the sanitizer.
    if let Some(clean) = sanitizer {
        out.html = clean.clean(&out.html).to_string();
    }
    // Bodies stay in memory until the pages and the index are made: room
    // left over by growing buffers would be a third of it.
    out.html.shrink_to_fit();
    out.text.shrink_to_fit();
    out.words = crate::text::count_words(&out.text);
}

/// Ends the word being written to a body's plain text. The text feeds the
/// index, the snippets and the word counts, so every edge the reader sees
/// as a break must be one there: a line break inside a paragraph (how most
/// people wrap Markdown by hand), the edges of headings, list items, table
/// cells, quotes and footnotes, and raw HTML such as `<br>`.
fn separate(text: &mut String) {
    if !text.is_empty() && !text.ends_with([' ', '\n']) {
        text.push(' ');
    }
}

/// Ends a block (a paragraph, heading, list item, table cell, quote or
/// footnote) in a body's plain text with a line break: the index takes it
/// as a sentence end, so a quoted phrase does not run from a heading into
/// the paragraph under it.
fn end_block(text: &mut String) {
    if text.ends_with(' ') {
        text.pop();
    }
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}

/// Whether a tag sits inside a line of text, so that its edges do not
/// end a word (`**im**portante` is one word).
fn inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// [`inline`] for the end of a tag.
fn inline_end(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The published URL for a link written in a body, or `None` to keep it.
#[allow(clippy::too_many_arguments)]
fn rewrite(
    dest: &str,
    dir: &Path,
    rel: &str,
    links: &Links<'_>,
    file: &SourceFile,
    span: Range<usize>,
    found: &mut Vec<Link>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let dest = dest.trim();
    if is_unsafe_url(dest) {
        let unsafe_url = Diagnostic::error("unsafe-url", msg!("diag.unsafe-url"));
        diags.push(
            unsafe_url
                .at(file, span)
                .label(msg!("diag.unsafe-url.label")),
        );
        return Some("#".into());
    }
    if dest.is_empty() || is_external(dest) {
        return None;
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        found.push(Link {
            target: Target::Fragment(percent_decode(fragment)),
            span,
        });
        return None;
    }
    if let Some(abs) = dest.strip_prefix('/') {
        return site_absolute(dest, abs, links, file, span, diags);
    }
    let (path_part, query, fragment) = split_link(dest);
    let decoded = percent_decode(path_part);
    let target = normalize(&dir.join(&decoded));
    let suffix = fragment.as_ref().map(|f| format!("#{f}"));
    let suffix = suffix.unwrap_or_default();
    if decoded.ends_with(".md") {
        return match links.source_urls.get(&target) {
            Some(url) => {
                found.push(Link {
                    target: Target::Page {
                        rel: target,
                        fragment,
                    },
                    span,
                });
                Some(format!(
                    "{}{}{suffix}",
                    links.base_path,
                    url.trim_start_matches('/')
                ))
            }
            None if links.unreadable.is_some_and(|u| u.contains(&target)) => None,
            None => {
                let broken = msg!("diag.broken-link", link = &decoded);
                let help = msg!("diag.broken-link.help", rel = &rel);
                diags.push(broken_link(broken, &target, help).at(file, span));
                None
            }
        };
    }
    if links.assets.contains(target.as_str()) {
        let q = query.map(|q| format!("?{q}")).unwrap_or_default();
        return Some(format!(
            "{}{}{q}{suffix}",
            links.base_path,
            url_escape(asset_url(&target).trim_start_matches('/'))
        ));
    }
    if decoded.ends_with('/') || !decoded.contains('.') {
        // A written URL path such as `../partners/aap/`: leave it to the browser.
        return None;
    }
    let broken = msg!("diag.broken-link.file", link = &decoded);
    let help = msg!("diag.broken-link.file-help");
    diags.push(broken_link(broken, &target, help).at(file, span));
    None
}

/// Whether a link leaves the site: a scheme, or a host of its own.
fn is_external(dest: &str) -> bool {
    dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with("//")
}

/// A relative link's path, query and fragment (decoded), as written.
fn split_link(dest: &str) -> (&str, Option<&str>, Option<String>) {
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (dest, None),
    };
    match path_part.split_once('?') {
        Some((p, q)) => (p, Some(q), fragment),
        None => (path_part, None, fragment),
    }
}

/// A link to a file the site does not have, with the path it was looked
/// for at.
fn broken_link(
    message: crate::messages::Msg,
    target: &str,
    help: crate::messages::Msg,
) -> Diagnostic {
    Diagnostic::error("broken-link", message)
        .label(msg!(
            "diag.broken-link.label",
            path = target.trim_start_matches('\u{0}')
        ))
        .help(help)
}

/// A link written from the site's root (`/casos/x/`, `/informe.pdf#page=2`):
/// checked against every path the build generates, and kept working
/// under a sub-path base URL.
fn site_absolute(
    dest: &str,
    abs: &str,
    links: &Links<'_>,
    file: &SourceFile,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let path = percent_decode(dest.split(['#', '?']).next().unwrap_or_default());
    let prefixed = format!("{}{}", links.base_path, abs);
    let Some(paths) = links.site_paths else {
        return Some(prefixed);
    };
    // Written with the base URL's path already: published as written.
    if links.base_path.len() > 1
        && let Some(rest) = path.strip_prefix(links.base_path)
        && paths.exists(&format!("/{rest}"))
    {
        return Some(dest.to_string());
    }
    if paths.exists(&path) {
        return Some(prefixed);
    }
    diags.push(
        Diagnostic::error("broken-link", msg!("diag.broken-link.root", link = &path))
            .at(file, span)
            .label(msg!("diag.broken-link.root-label"))
            .help(msg!("diag.broken-link.root-help")),
    );
    None
}

fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&crate::build::urls::percent_decode(s)).into_owned()
}

/// Percent-encodes what cannot stand in a URL path (spaces, quotes, ...).
pub fn url_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Verifies the links recorded while rendering: target pages exist (done
/// while rendering) and anchors name a heading of the target page.
pub fn check_anchors(
    root: &Path,
    rendered: &[(&SourceFile, &str, &RenderedBody)],
    diags: &mut Vec<Diagnostic>,
) {
    let ids: HashMap<&str, HashSet<&str>> = rendered
        .iter()
        .map(|(_, rel, r)| (*rel, r.headings.iter().map(|h| h.id.as_str()).collect()))
        .collect();
    for (file, rel, r) in rendered {
        for link in &r.links {
            let Some((target_rel, fragment)) = anchor_target(rel, link) else {
                continue;
            };
            if let Some(set) = ids.get(target_rel)
                && !set.contains(fragment)
            {
                // A build keeps only the head of a product's file once its
                // body is made; the snippet needs the line again.
                let whole = (link.span.end > file.text.len())
                    .then(|| crate::content::load::whole_file(root, file))
                    .flatten();
                let file = whole.as_ref().unwrap_or(file);
                diags.push(broken_anchor(file, link, target_rel, fragment, set));
            }
        }
    }
}

/// The fragment a link points at and the document it is in, if the link
/// is one whose anchor is checked.
fn anchor_target<'l>(rel: &'l str, link: &'l Link) -> Option<(&'l str, &'l str)> {
    let (target_rel, fragment) = match &link.target {
        Target::Fragment(f) => (rel, f.as_str()),
        Target::Page {
            rel,
            fragment: Some(f),
        } => (rel.as_str(), f.as_str()),
        Target::Page { fragment: None, .. } => return None,
    };
    let skipped = fragment.is_empty() || fragment.starts_with("fn") || fragment.starts_with("cite");
    (!skipped).then_some((target_rel, fragment))
}

fn broken_anchor(
    file: &SourceFile,
    link: &Link,
    target_rel: &str,
    fragment: &str,
    ids: &HashSet<&str>,
) -> Diagnostic {
    let suggestion = crate::diagnostics::did_you_mean(fragment, ids.iter().copied());
    Diagnostic::error(
        "broken-anchor",
        msg!("diag.broken-anchor", fragment = fragment, path = target_rel),
    )
    .at(file, link.span.clone())
    .label(msg!("diag.broken-anchor.label"))
    .suggest(suggestion)
    .help(msg!("diag.broken-anchor.help"))
}

/// Renders the body of one document of `site` whose file changed, keeping
/// it in `cache` as [`render_site_cached`] would. The links' targets must
/// be those `cache` was made with (the same [`Bodies::generation`]).
pub fn render_changed(
    site: &crate::model::Site,
    doc: &crate::content::load::Doc,
    cache: &mut BodyCache,
) -> (Arc<RenderedBody>, Vec<Diagnostic>) {
    let (assets, clean) = link_targets(site);
    let links = Links::of(site, &assets, &clean);
    let mut diags = Vec::new();
    let r = Arc::new(render(
        &doc.file,
        doc.body_start,
        &doc.rel,
        &links,
        &mut diags,
    ));
    cache.docs.insert(
        doc.rel.clone(),
        (doc.file.fingerprint, r.clone(), diags.clone()),
    );
    (r, diags)
}

/// [`check_anchors`] after the bodies of the documents at `changed`
/// (content-relative paths) were rendered again: the anchors their links
/// point at and, for those whose headings changed (`true`), the links of
/// every other body into them.
pub fn check_changed_anchors(
    site: &crate::model::Site,
    bodies: &Bodies,
    changed: &[(&str, bool)],
    diags: &mut Vec<Diagnostic>,
) {
    let all = documents(site, bodies);
    let by_rel: HashMap<&str, &RenderedBody> = all.iter().map(|(_, rel, r)| (*rel, *r)).collect();
    let ids = |rel: &str| -> Option<HashSet<&str>> {
        by_rel
            .get(rel)
            .map(|r| r.headings.iter().map(|h| h.id.as_str()).collect())
    };
    let mut check = |file: &SourceFile, rel: &str, link: &Link, into: Option<&str>| {
        let Some((target, fragment)) = anchor_target(rel, link) else {
            return;
        };
        if into.is_some_and(|t| t != target) {
            return;
        }
        if let Some(set) = ids(target)
            && !set.contains(fragment)
        {
            diags.push(broken_anchor(file, link, target, fragment, &set));
        }
    };
    for (file, rel, r) in &all {
        if changed.iter().any(|(c, _)| c == rel) {
            for link in &r.links {
                check(file, rel, link, None);
            }
        }
    }
    for &(target, _) in changed.iter().filter(|(_, headings)| *headings) {
        for (file, rel, r) in &all {
            if *rel == target {
                continue;
            }
            for link in &r.links {
                check(file, rel, link, Some(target));
            }
        }
    }
}

/// Every document of the site with its rendered body.
fn documents<'s>(
    site: &'s crate::model::Site,
    bodies: &'s Bodies,
) -> Vec<(&'s SourceFile, &'s str, &'s RenderedBody)> {
    let mut all: Vec<(&SourceFile, &str, &RenderedBody)> = Vec::new();
    for (p, r) in site.products.iter().zip(&bodies.products) {
        all.push((&p.meta.doc.file, &p.meta.doc.rel, r));
    }
    for (p, r) in site.partners.iter().zip(&bodies.partners) {
        all.push((&p.meta.doc.file, &p.meta.doc.rel, r));
    }
    for (o, r) in site.outcomes.iter().zip(&bodies.outcomes) {
        all.push((&o.meta.doc.file, &o.meta.doc.rel, r));
    }
    for (t, r) in site.topics.iter().zip(&bodies.topics) {
        if let (Some(m), Some(r)) = (&t.meta, r) {
            all.push((&m.doc.file, &m.doc.rel, r));
        }
    }
    if let (Some(h), Some(r)) = (&site.home, &bodies.home) {
        all.push((&h.doc.file, &h.doc.rel, r));
    }
    for (p, r) in site.pages.iter().zip(&bodies.pages) {
        all.push((&p.meta.doc.file, &p.meta.doc.rel, r));
    }
    all
}

/// Rendered bodies of every page of a site, in the order of its lists.
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    /// A hash of everything link rewriting depended on besides each body's
    /// own text: pages pair it with their sources' fingerprints.
    pub generation: u64,
    pub products: Vec<Arc<RenderedBody>>,
    pub partners: Vec<Arc<RenderedBody>>,
    pub outcomes: Vec<Arc<RenderedBody>>,
    pub topics: Vec<Option<Arc<RenderedBody>>>,
    pub home: Option<Arc<RenderedBody>>,
    pub pages: Vec<Arc<RenderedBody>>,
}

/// Rendered bodies by source path, kept between rebuilds of a watched site.
#[derive(Default)]
pub struct BodyCache {
    generation: u64,
    docs: HashMap<String, (u64, Arc<RenderedBody>, Vec<Diagnostic>)>,
    /// Nothing is kept: no later render will ask (a one-shot build), and
    /// each body is used once (see [`Deferred`]).
    off: bool,
}

impl BodyCache {
    pub fn off() -> BodyCache {
        BodyCache {
            off: true,
            ..BodyCache::default()
        }
    }
}

/// Renders every body of the site in parallel and checks their links,
/// reusing bodies whose text and link targets did not change.
/// With `defer_products`, products are left empty and their anchors
/// unchecked: a build renders each where its page is made (see
/// [`Deferred`]), and checks the anchors when all are done.
pub fn render_site_cached(
    site: &crate::model::Site,
    diags: &mut Vec<Diagnostic>,
    cache: &mut BodyCache,
    defer_products: bool,
) -> Bodies {
    use rayon::prelude::*;
    let (assets, clean) = link_targets(site);
    let links = Links::of(site, &assets, &clean);
    let generation = links.generation;
    if cache.generation != generation {
        cache.docs.clear();
        cache.generation = generation;
    }
    let cached = &cache.docs;
    let one = |doc: &crate::content::load::Doc| {
        if let Some((print, r, d)) = cached.get(&doc.rel)
            && *print == doc.file.fingerprint
        {
            return (r.clone(), d.clone());
        }
        let mut d = Vec::new();
        let r = render(&doc.file, doc.body_start, &doc.rel, &links, &mut d);
        (Arc::new(r), d)
    };
    let products: Vec<_> = if defer_products {
        site.products
            .iter()
            .map(|_| (Arc::new(RenderedBody::default()), Vec::new()))
            .collect()
    } else {
        site.products.par_iter().map(|p| one(&p.meta.doc)).collect()
    };
    let made = MadeBodies {
        products,
        partners: site.partners.par_iter().map(|p| one(&p.meta.doc)).collect(),
        outcomes: site.outcomes.par_iter().map(|o| one(&o.meta.doc)).collect(),
        topics: site
            .topics
            .par_iter()
            .map(|t| t.meta.as_ref().map(|m| one(&m.doc)))
            .collect(),
        home: site.home.as_ref().map(|h| one(&h.doc)),
        pages: site.pages.par_iter().map(|p| one(&p.meta.doc)).collect(),
    };
    cache.docs = if cache.off {
        HashMap::new()
    } else {
        made.each(site)
            .map(|(doc, (r, d))| {
                (
                    doc.rel.clone(),
                    (doc.file.fingerprint, r.clone(), d.clone()),
                )
            })
            .collect()
    };
    let bodies = made.into_bodies(generation, diags);
    if !defer_products {
        check_anchors(&site.root, &documents(site, &bodies), diags);
    }
    bodies
}

/// A fingerprint of what every body's links are checked and rewritten
/// against: a body made with another is made again.
fn links_generation(site: &crate::model::Site) -> u64 {
    let mut urls: Vec<(&String, &String)> = site.source_urls.iter().collect();
    urls.sort_unstable();
    let mut unreadable: Vec<&String> = site.unreadable.iter().collect();
    unreadable.sort_unstable();
    crate::text::fingerprint(&(
        urls,
        &site.assets,
        &site.config.base_path,
        site.config.unsafe_html,
        &site.config.iframe_hosts,
        site.site_paths.fingerprint(),
        unreadable,
    ))
}

/// A body and the diagnostics its rendering gave.
type MadeBody = (Arc<RenderedBody>, Vec<Diagnostic>);

/// The bodies of a site as they are made, kind by kind, in the site's
/// order.
struct MadeBodies {
    products: Vec<MadeBody>,
    partners: Vec<MadeBody>,
    outcomes: Vec<MadeBody>,
    topics: Vec<Option<MadeBody>>,
    home: Option<MadeBody>,
    pages: Vec<MadeBody>,
}

impl MadeBodies {
    /// Every body made, with the document it was made of.
    fn each<'s>(
        &'s self,
        site: &'s crate::model::Site,
    ) -> impl Iterator<Item = (&'s crate::content::load::Doc, &'s MadeBody)> {
        let products = site
            .products
            .iter()
            .map(|p| &p.meta.doc)
            .zip(&self.products);
        let partners = site
            .partners
            .iter()
            .map(|p| &p.meta.doc)
            .zip(&self.partners);
        let outcomes = site
            .outcomes
            .iter()
            .map(|o| &o.meta.doc)
            .zip(&self.outcomes);
        let topics = site
            .topics
            .iter()
            .zip(&self.topics)
            .filter_map(|(t, r)| Some((&t.meta.as_ref()?.doc, r.as_ref()?)));
        let home = site.home.as_ref().map(|h| &h.doc).zip(self.home.as_ref());
        let pages = site.pages.iter().map(|p| &p.meta.doc).zip(&self.pages);
        products
            .chain(partners)
            .chain(outcomes)
            .chain(topics)
            .chain(home)
            .chain(pages)
    }

    /// The bodies, their diagnostics added to `diags` in the site's order.
    fn into_bodies(self, generation: u64, diags: &mut Vec<Diagnostic>) -> Bodies {
        let mut take = |(r, d): MadeBody| {
            diags.extend(d);
            r
        };
        Bodies {
            generation,
            products: self.products.into_iter().map(&mut take).collect(),
            partners: self.partners.into_iter().map(&mut take).collect(),
            outcomes: self.outcomes.into_iter().map(&mut take).collect(),
            topics: self.topics.into_iter().map(|t| t.map(&mut take)).collect(),
            home: self.home.map(&mut take),
            pages: self.pages.into_iter().map(&mut take).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_str(body: &str, rel: &str) -> (RenderedBody, Vec<Diagnostic>) {
        let mut urls = HashMap::new();
        urls.insert("guias/care.md".to_string(), "/guias/care/".to_string());
        urls.insert("casos/aap.md".to_string(), "/casos/aap/".to_string());
        let assets: HashSet<&str> = ["casos/img/mapa.png"].into_iter().collect();
        let clean = sanitizer(&["www.youtube.com".to_string()]);
        let links = Links {
            source_urls: &urls,
            assets: &assets,
            base_path: "/kb/",
            site_paths: None,
            sanitizer: Some(&clean),
            unreadable: None,
            generation: 0,
        };
        let file = SourceFile::new(format!("content/{rel}").into(), body);
        let mut diags = Vec::new();
        let r = render(&file, 0, rel, &links, &mut diags);
        (r, diags)
    }

    #[test]
    fn rewrites_relative_md_links_and_assets() {
        let (r, diags) = render_str(
            "See [guide](../guias/care.md#pasos) and ![map](img/mapa.png) and [abs](/partners/aap/).",
            "casos/aap.md",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(
            r.html.contains("href=\"/kb/guias/care/#pasos\""),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("src=\"/kb/casos/img/mapa.png\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/kb/partners/aap/\""), "{}", r.html);
    }

    #[test]
    fn reports_broken_and_unsafe_links() {
        let (_, diags) = render_str("[x](../nada.md) [y](javascript:alert(1))", "casos/aap.md");
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["broken-link", "unsafe-url"]);
        assert_eq!(diags[0].position().unwrap().0, (1, 1));
    }

    #[test]
    fn raw_html_is_sanitized() {
        let (r, _) = render_str(
            "<script>alert(1)</script>\n\n<p onclick=\"x()\">hola <b>sí</b></p>\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n<iframe src=\"https://evil.example/x\"></iframe>\n\n<a href=\"javascript:alert(1)\">x</a>\n\n## Título\n\n- [x] hecho\n",
            "casos/aap.md",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(r.html.contains("<b>sí</b>"));
        assert!(r.html.contains("src=\"https://www.youtube.com/embed/x\""));
        assert!(!r.html.contains("evil.example"));
        assert!(r.html.contains("id=\"título\""), "{}", r.html);
        assert!(r.html.contains("type=\"checkbox\""), "{}", r.html);
    }

    #[test]
    fn headings_get_unique_ids_and_gfm_extensions_work() {
        let (r, _) = render_str(
            "## Cómo funciona\n\n## Cómo funciona\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~no~~ [^1]\n\n- [x] hecho\n\n[^1]: nota\n",
            "casos/aap.md",
        );
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["cómo-funciona", "cómo-funciona-1"]);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>no</del>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("footnote-definition"));
    }

    #[test]
    fn every_edge_a_reader_sees_separates_words() {
        let (r, _) = render_str(
            "La zanahoria\nmorada crece.  \nAquí\n## Título\n- uno\n  - dos\n\n| celda | otra |\n|---|---|\n| a | b |\n\n> cita\n> larga\n\nfin<br>nota[^1] y **im**portante.\n\n[^1]: pie\n",
            "casos/aap.md",
        );
        let words: Vec<&str> = r.text.split_whitespace().collect();
        for w in [
            "zanahoria",
            "morada",
            "crece.",
            "Aquí",
            "Título",
            "uno",
            "dos",
            "celda",
            "otra",
            "a",
            "b",
            "cita",
            "larga",
            "fin",
            "importante.",
            "pie",
        ] {
            assert!(words.contains(&w), "`{w}` not a word of {:?}", r.text);
        }
        assert_eq!(r.words, words.len());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Wrapping a paragraph's lines anywhere changes neither its text
        /// (the snippets) nor the terms the index makes of it.
        #[test]
        fn rewrapping_a_paragraph_changes_no_term(
            words in proptest::collection::vec("[a-zA-ZáéíóúñÑ]{1,12}", 1..60),
            breaks in proptest::collection::vec(proptest::bool::ANY, 60),
        ) {
            let one_line = words.join(" ");
            let wrapped: String = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let sep = if i == 0 { "" } else if breaks[i] { "\n" } else { " " };
                    format!("{sep}{w}")
                })
                .collect();
            let (a, _) = render_str(&one_line, "casos/aap.md");
            let (b, _) = render_str(&wrapped, "casos/aap.md");
            proptest::prop_assert_eq!(&a.text, &b.text);
            let mut es = crate::search::analysis::spanish();
            proptest::prop_assert_eq!(
                crate::search::analysis::terms(&mut es, &a.text),
                crate::search::analysis::terms(&mut es, &b.text)
            );
            proptest::prop_assert_eq!(a.words, words.len());
        }
    }

    /// [`render_str`] with the site's paths known, so that links starting
    /// with `/` are checked.
    fn render_checked(body: &str, base: &str) -> (RenderedBody, Vec<Diagnostic>) {
        let urls = HashMap::new();
        let assets: HashSet<&str> = HashSet::new();
        let mut paths = crate::build::urls::SitePaths::default();
        paths.reserve("partners", false);
        paths.page("/casos/uno/", "a product");
        paths.page("/partners/ong-a/", "a partner");
        paths.file("informe.pdf");
        let links = Links {
            source_urls: &urls,
            assets: &assets,
            base_path: base,
            site_paths: Some(&paths),
            sanitizer: None,
            unreadable: None,
            generation: 0,
        };
        let file = SourceFile::new("content/casos/x.md".into(), body);
        let mut diags = Vec::new();
        let r = render(&file, 0, "casos/x.md", &links, &mut diags);
        (r, diags)
    }

    #[test]
    fn site_absolute_links_are_checked() {
        for ok in [
            "/casos/uno/",
            "/casos/uno/#a",
            "/casos/uno?x=1",
            "/informe.pdf#page=2",
            "/inform%65.pdf",
            "/partners/",
            "/partners/ong-a/feed.xml",
            "/",
        ] {
            let (_, d) = render_checked(&format!("[a]({ok})"), "/");
            assert!(d.is_empty(), "{ok}: {d:?}");
        }
        for broken in ["/casos/nada/", "/falta.pdf", "/partners/nadie/", "/casos/"] {
            let (_, d) = render_checked(&format!("x [a]({broken})"), "/");
            assert_eq!(d.len(), 1, "{broken}");
            assert_eq!(d[0].code, "broken-link");
            assert_eq!(d[0].span, 2..7 + broken.len(), "{broken}");
        }
        let (r, d) = render_checked("[a](/kb/casos/uno/) [b](/casos/uno/)", "/kb/");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            r.html.matches("href=\"/kb/casos/uno/\"").count(),
            2,
            "{}",
            r.html
        );
    }

    proptest::proptest! {
        #[test]
        fn any_link_is_checked_without_panicking(dest in "\\PC{0,30}", text in "\\PC{0,30}") {
            for base in ["/", "/kb/"] {
                let body = format!("{text} [a]({dest}) ![i](/{dest}) <{dest}>\n\n[r]: {dest}\n[x][r]");
                let _ = render_checked(&body, base);
                let _ = render_str(&body, "casos/x.md");
            }
        }
    }
}
