//! The products' bodies of a one-shot build, rendered where they are used
//! ([`Deferred`]); what a build remembers of each body for the next one
//! ([`KnownBody`]); and a body's HTML as a page's inputs hold it
//! ([`BodyHtml`]), keyed by what the body is made of, so that a page is
//! keyed, and kept, without its body being rendered.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize, Serializer};

use super::{
    Bodies, LinkTargets, Links, RenderedBody, anchor_target, body_print, check_anchors, documents,
    render,
};
use crate::build::write::OutputFile;
use crate::diagnostics::{Diagnostic, SourceFile};
use crate::search::passages::Blocks;

/// What a build remembers of a product's body for the next build: all
/// that its page and the search files need of it but its HTML and text.
/// Only a body without diagnostics is remembered; the others are made
/// again, and say what they said.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct KnownBody {
    /// The product's number in site order, which names its block files.
    pub n: usize,
    /// Its print, headings, links to anchors and words; no HTML or text.
    /// Shared with the build's bodies, not copied.
    pub body: Arc<RenderedBody>,
    /// Its text's search blocks (see [`crate::search::passages`]).
    pub blocks: Blocks,
}

/// Known bodies by their source's path relative to `content/`.
pub type KnownBodies = HashMap<String, KnownBody>;

/// A product body's HTML in a page's inputs. It hashes as the body's
/// print, which stands for the HTML (see [`super::body_print`]), so a
/// page is keyed without it; it serializes as the HTML, rendered then if
/// it was not yet.
pub struct BodyHtml<'a> {
    print: u64,
    html: Html<'a>,
}

enum Html<'a> {
    Made(Cow<'a, str>),
    /// Product `.1`'s, made only if its page is.
    Later(&'a Deferred<'a>, usize),
}

impl<'a> BodyHtml<'a> {
    /// The HTML of a body rendered already.
    pub fn of(body: &'a RenderedBody) -> BodyHtml<'a> {
        BodyHtml {
            print: body.print,
            html: Html::Made(Cow::Borrowed(&body.html)),
        }
    }
}

impl Hash for BodyHtml<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}

impl Serialize for BodyHtml<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.html {
            Html::Made(html) => s.serialize_str(html),
            Html::Later(deferred, i) => match deferred.html(*i) {
                Some(html) => s.serialize_str(&html),
                None => Err(serde::ser::Error::custom("the body's source is gone")),
            },
        }
    }
}

/// A product's text on its way to the index, with its search blocks, cut
/// on the page job's thread: on the index's, they held up its part.
pub type IndexText = (usize, String, Blocks);

/// Where a build's texts go: the index's queue, how much of each text a
/// search result keeps, and the folder of the search files.
pub struct ToIndex {
    pub queue: SyncSender<IndexText>,
    pub head_chars: usize,
    pub dir: String,
}

/// A body rendered by its page job: what is kept of it, and its
/// diagnostics.
type BodyMade = (RenderedBody, Vec<Diagnostic>);

/// The products' bodies of a one-shot build, rendered where they are used:
/// each product's page job renders its body, moves the HTML into the page,
/// sends the text to the search index and keeps only the headings, links
/// and word count. No product's HTML or text is held beyond its own page,
/// which is what bounds a large site's memory.
///
/// A body the last build made of the same source ([`KnownBody`]) is not
/// rendered at all, unless its page changed or the index needs its text.
pub struct Deferred<'a> {
    site: &'a crate::model::Site,
    links: Links<'a>,
    /// Each product's whole file, until its body is rendered.
    sources: Vec<Mutex<Option<SourceFile>>>,
    /// Each product's body print (see [`super::body_print`]).
    prints: Vec<u64>,
    /// What the last build knew of each body, where its source is the same.
    known: Vec<Option<KnownBody>>,
    /// Whether the index wants each product's text.
    wanted: Vec<bool>,
    /// Each product's body once rendered, without its HTML and text.
    done: Vec<OnceLock<BodyMade>>,
    /// Where texts go, as (product, text); `None` when no index is made,
    /// and once closed. Behind a lock so that whoever renders the last
    /// page can close it, which is what lets the index finish.
    texts: Mutex<Option<SyncSender<IndexText>>>,
    /// The folder of the search files, and each product's block files,
    /// kept until taken (see [`Deferred::take_blocks`]).
    dir: String,
    block_files: Vec<Mutex<Option<Vec<OutputFile>>>>,
    /// The first characters of each product's text, kept until taken
    /// (for its search result), and how many are kept; none without an
    /// index.
    heads: Vec<Mutex<Option<String>>>,
    head_chars: usize,
    /// Time spent rendering bodies, summed over threads, for `--timings`.
    spent: AtomicU64,
}

impl<'a> Deferred<'a> {
    /// `sources` are the products' whole files in site order (see
    /// [`crate::model::Site::take_body_sources`]). Of `known`, a body is
    /// taken where its source is the same and `usable` says the output
    /// still holds its block files.
    pub fn new(
        site: &'a crate::model::Site,
        targets: &'a LinkTargets<'a>,
        sources: Vec<SourceFile>,
        to_index: Option<ToIndex>,
        (mut known, usable): (KnownBodies, &dyn Fn(&KnownBody) -> bool),
    ) -> Deferred<'a> {
        let (texts, head_chars, dir) = match to_index {
            Some(t) => (Some(t.queue), t.head_chars, t.dir),
            None => (None, 0, String::new()),
        };
        let links = Links::of(site, &targets.0, &targets.1);
        let prints: Vec<u64> = site
            .products
            .iter()
            .zip(&sources)
            .map(|(p, file)| {
                body_print(
                    links.generation,
                    &p.meta.doc.rel,
                    file,
                    p.meta.doc.body_start,
                )
            })
            .collect();
        let known: Vec<Option<KnownBody>> = site
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let k = known.remove(&p.meta.doc.rel)?;
                (k.n == i && k.body.print == prints[i] && usable(&k)).then_some(k)
            })
            .collect();
        Deferred {
            heads: known.iter().map(|_| Mutex::new(None)).collect(),
            block_files: known.iter().map(|_| Mutex::new(None)).collect(),
            dir,
            head_chars,
            site,
            links,
            wanted: vec![true; sources.len()],
            done: sources.iter().map(|_| OnceLock::new()).collect(),
            sources: sources.into_iter().map(|s| Mutex::new(Some(s))).collect(),
            prints,
            known,
            texts: Mutex::new(texts),
            spent: AtomicU64::new(0),
        }
    }

    /// Each product's body print, in site order.
    pub fn prints(&self) -> &[u64] {
        &self.prints
    }

    /// Tells which products' texts the index needs for its parts; the
    /// others are not sent to it, but for those of bodies not known, whose
    /// blocks it makes. Returns which texts it will be sent.
    pub fn want(&mut self, parts: Vec<bool>) -> &[bool] {
        if parts.len() == self.wanted.len() {
            self.wanted = parts
                .into_iter()
                .zip(&self.known)
                .map(|(part, known)| part || known.is_none())
                .collect();
        }
        &self.wanted
    }

    /// Whether rendering product `i`'s body sends its text to the index.
    pub fn sends(&self, i: usize) -> bool {
        self.head_chars > 0 && self.wanted.get(i) == Some(&true)
    }

    /// Whether product `i`'s body is known and nobody needs it rendered:
    /// neither the index, for its text, nor its page, unless it changed.
    pub fn spared(&self, i: usize) -> bool {
        self.known[i].is_some() && !self.wanted[i]
    }

    /// The search blocks of the products whose text the index is not
    /// sent, which the last build made.
    pub fn known_blocks(&self) -> Vec<Option<Blocks>> {
        (0..self.known.len())
            .map(|i| {
                let k = self.known[i].as_ref().filter(|_| self.spared(i))?;
                Some(k.blocks.clone())
            })
            .collect()
    }

    /// Product `i`'s body for its page: its HTML, rendered now unless it
    /// is known (then only if the page is made), and what is kept of it.
    pub fn body(&'a self, i: usize) -> Option<(BodyHtml<'a>, &'a RenderedBody)> {
        if self.spared(i) {
            let known = self.known[i].as_ref()?;
            let html = BodyHtml {
                print: known.body.print,
                html: Html::Later(self, i),
            };
            return Some((html, &known.body));
        }
        let (html, body) = self.render(i)?;
        let html = BodyHtml {
            print: body.print,
            html: Html::Made(Cow::Owned(html)),
        };
        Some((html, body))
    }

    /// Product `i`'s HTML alone, for a known body whose page is made, and
    /// the head of its text for its search result, which is made too; its
    /// source stays.
    fn html(&self, i: usize) -> Option<String> {
        let r = self.render_again(i)?;
        self.keep_head(i, &r.text);
        Some(r.html)
    }

    /// The head of a known body's text, for a search result made though
    /// its page was kept.
    pub fn head_again(&self, i: usize) -> Option<String> {
        if self.head_chars == 0 {
            return None;
        }
        let r = self.render_again(i)?;
        Some(r.text.chars().take(self.head_chars).collect())
    }

    /// Renders product `i`'s body from its source, which stays.
    fn render_again(&self, i: usize) -> Option<RenderedBody> {
        let file = self.sources.get(i)?.lock().ok()?.clone()?;
        let doc = &self.site.products[i].meta.doc;
        let start = Instant::now();
        let r = render(
            &file,
            doc.body_start,
            &doc.rel,
            &self.links,
            &mut Vec::new(),
        );
        self.spent
            .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        Some(r)
    }

    /// Keeps the head of product `i`'s `text` for its search result.
    fn keep_head(&self, i: usize, text: &str) {
        if self.head_chars > 0
            && let Ok(mut slot) = self.heads[i].lock()
        {
            *slot = Some(text.chars().take(self.head_chars).collect());
        }
    }

    /// Renders product `i`'s body, once: its HTML, and what is kept of it.
    pub fn render(&self, i: usize) -> Option<(String, &RenderedBody)> {
        let file = self.sources.get(i)?.lock().ok()?.take()?;
        let start = Instant::now();
        let doc = &self.site.products[i].meta.doc;
        let mut diags = Vec::new();
        let mut r = render(&file, doc.body_start, &doc.rel, &self.links, &mut diags);
        drop(file);
        let html = std::mem::take(&mut r.html);
        let text = std::mem::take(&mut r.text);
        self.spent
            .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        self.keep_head(i, &text);
        // A clone, so that no page job holds the lock while the queue is
        // full.
        let tx = self.texts.lock().ok().and_then(|t| t.clone());
        if let Some(tx) = tx.filter(|_| self.wanted[i]) {
            let (files, starts) = crate::search::passages::product(i, &text, &self.dir);
            let blocks = Blocks {
                starts,
                files: files.len(),
            };
            if let Ok(mut slot) = self.block_files[i].lock() {
                *slot = Some(files);
            }
            // A closed channel means the index gave up with an error of its
            // own, which the build reports.
            let _ = tx.send((i, text, blocks));
        }
        let kept = self.done[i].get_or_init(|| (r, diags));
        Some((html, &kept.0))
    }

    /// The first characters of product `i`'s text, once its body is made;
    /// once only.
    pub fn take_head(&self, i: usize) -> Option<String> {
        self.heads.get(i)?.lock().ok()?.take()
    }

    /// The block files of product `i`'s text, once its body is made and
    /// its text sent; once only.
    pub fn take_blocks(&self, i: usize) -> Vec<OutputFile> {
        let slot = self.block_files.get(i).and_then(|b| b.lock().ok()?.take());
        slot.unwrap_or_default()
    }

    /// The block files not taken yet.
    pub fn take_all_blocks(&self) -> Vec<OutputFile> {
        (0..self.block_files.len())
            .flat_map(|i| self.take_blocks(i))
            .collect()
    }

    /// The heads not taken yet, by product.
    pub fn take_heads(&self) -> Vec<(usize, String)> {
        (0..self.heads.len())
            .filter_map(|i| Some((i, self.take_head(i)?)))
            .collect()
    }

    /// Closes the texts' channel without making the bodies left.
    pub fn abandon(&self) {
        self.close_texts();
    }

    /// Renders the bodies no page asked for, but those nobody needs, and
    /// closes the texts' channel.
    pub fn close(&self) {
        for i in 0..self.sources.len() {
            if !self.spared(i) {
                let _ = self.render(i);
            }
        }
        self.close_texts();
    }

    fn close_texts(&self) {
        if let Ok(mut texts) = self.texts.lock() {
            *texts = None;
        }
    }

    /// Puts every body into `bodies` with its diagnostics, then checks the
    /// anchors of the whole site. Returns the time spent rendering bodies,
    /// summed over threads, and, given each product's search blocks, what
    /// the next build may know of the bodies.
    pub fn finish(
        self,
        bodies: &mut Bodies,
        diags: &mut Vec<Diagnostic>,
        blocks: Option<&[Blocks]>,
    ) -> (Duration, KnownBodies) {
        self.close();
        let Deferred {
            site,
            done,
            known,
            spent,
            ..
        } = self;
        let mut next = KnownBodies::new();
        for (i, (made, known)) in done.into_iter().zip(known).enumerate() {
            let rel = &site.products[i].meta.doc.rel;
            let blocks = blocks.and_then(|b| b.get(i));
            match (made.into_inner(), known) {
                (Some((mut r, d)), _) => {
                    // Of its links only those to anchors are checked again
                    // (see `check_anchors`), now and by the next build.
                    r.links.retain(|l| anchor_target(rel, l).is_some());
                    let body = Arc::new(r);
                    bodies.products[i] = body.clone();
                    if let (true, Some(blocks)) = (d.is_empty(), blocks) {
                        let (blocks, n) = (blocks.clone(), i);
                        next.insert(rel.clone(), KnownBody { n, body, blocks });
                    }
                    diags.extend(d);
                }
                (None, Some(k)) => {
                    bodies.products[i] = k.body.clone();
                    if blocks.is_some() {
                        next.insert(rel.clone(), k);
                    }
                }
                (None, None) => {}
            }
        }
        check_anchors(&site.root, &documents(site, bodies), diags);
        (Duration::from_nanos(spent.into_inner()), next)
    }
}
