//! The search index's build step: the products' texts go into the
//! tantivy index as they come, then the files the browser reads of it are
//! made. A build makes it on its own thread while pages are rendered
//! ([`Pending`]), and the render's search producer collects its files; the
//! preview makes it after the pages, off the path of an edit.

use std::path::Path;
use std::sync::Mutex;
use std::thread::ScopedJoinHandle;
use std::time::{Duration, Instant};

use crate::build::write::OutputFile;
use crate::error::Error;
use crate::markdown::Bodies;
use crate::model::Site;
use crate::search::index::Builder;
use crate::search::passages::Blocks;

/// A site's search index and the files the browser reads of it.
pub struct Indexed {
    pub index: tantivy::Index,
    pub files: Vec<OutputFile>,
    /// Block files the output keeps as the last build made them.
    pub kept: Vec<String>,
    /// Each product's search blocks, in site order.
    pub blocks: Vec<Blocks>,
    pub timings: [(&'static str, Duration); 2],
    /// The index, to put in place once its output is.
    pub staged: crate::search::index::StagedIndex,
}

impl Indexed {
    /// Makes the index in `dir` (replacing what is there), then the files
    /// of it the browser reads, from the site's rendered bodies.
    pub fn make(
        site: &Site,
        bodies: &Bodies,
        strings: &serde_json::Map<String, serde_json::Value>,
        dir: &Path,
    ) -> Result<Indexed, Error> {
        let prints: Vec<u64> = bodies.products.iter().map(|b| b.print).collect();
        let builder = Builder::new(dir, site, &prints)?;
        let texts = crate::search::index::texts(bodies)
            .into_iter()
            .enumerate()
            .map(|(n, text)| (n, text, None));
        let known = vec![None; site.products.len()];
        Indexed::of(site, texts, strings, (builder, known), true)
    }

    /// [`Indexed::make`] from texts sent one product at a time, as
    /// `(product, text)` in any order, while pages are rendered: no text
    /// waits for the others. Goes on when `texts` ends: when every sender
    /// is gone, or the last text expected came. The products'
    /// result files are not made here but by the search producer, with
    /// each page (see `render::producers`): on this thread, the one that
    /// feeds the index, they were on the way of the index.
    ///
    /// `builder` says which texts it needs (see [`Builder::wanted`]); of
    /// the products whose text does not come, `known` gives the blocks the
    /// last build made, whose files the output keeps.
    pub fn stream(
        site: &Site,
        texts: impl Iterator<Item = crate::markdown::IndexText>,
        strings: &serde_json::Map<String, serde_json::Value>,
        builder: Builder,
        known: Vec<Option<Blocks>>,
    ) -> Result<Indexed, Error> {
        let texts = texts.map(|(n, text, blocks)| (n, text, Some(blocks)));
        Indexed::of(site, texts, strings, (builder, known), false)
    }

    /// Each text goes into the index and, with `make_docs`, the product's result
    /// file, and is dropped; then the index is committed and its browser
    /// files made.
    fn of<T: AsRef<str>>(
        site: &Site,
        texts: impl IntoIterator<Item = (usize, T, Option<Blocks>)>,
        strings: &serde_json::Map<String, serde_json::Value>,
        (mut builder, known): (Builder, Vec<Option<Blocks>>),
        make_docs: bool,
    ) -> Result<Indexed, Error> {
        let start = Instant::now();
        let search_dir = crate::search::web::dir(site);
        let len = site.products.len();
        let mut docs: Vec<Option<OutputFile>> = site.products.iter().map(|_| None).collect();
        let mut starts = vec![Vec::new(); len];
        let mut counts = vec![0; len];
        let mut block_files = Vec::new();
        for (n, text, blocks) in texts {
            let text = text.as_ref();
            docs[n] = make_docs
                .then(|| crate::search::web::doc_file(site, n, text, strings, &search_dir));
            // Blocks cut where the text was made come with their files
            // written already.
            let blocks = blocks.unwrap_or_else(|| {
                let (files, starts) = crate::search::passages::product(n, text, &search_dir);
                let count = files.len();
                block_files.extend(files);
                Blocks {
                    starts,
                    files: count,
                }
            });
            (starts[n], counts[n]) = (blocks.starts, blocks.files);
            builder.add(site, n, text)?;
        }
        let mut kept = Vec::new();
        for (n, k) in known.into_iter().enumerate() {
            if let Some(k) = k {
                kept.extend(k.paths(n, &search_dir));
                (starts[n], counts[n]) = (k.starts, k.files);
            }
        }
        let (index, words, staged) = builder.finish()?;
        let indexed = start.elapsed();
        let docs = docs.into_iter().flatten().chain(block_files).collect();
        let entities = crate::search::entity::Entities::of(site, strings);
        entities.save(staged.path())?;
        let pdf = crate::search::attached::files(site, &index, words.pdf, &search_dir)?;
        let (mut files, vocabulary) = crate::search::web::files(
            site,
            docs,
            (&index, words.own, &entities, &starts),
            !pdf.is_empty(),
            strings,
            &search_dir,
        )?;
        files.extend(pdf);
        crate::search::spelling::keep(&vocabulary, staged.path())?;
        let blocks = starts
            .into_iter()
            .zip(counts)
            .map(|(starts, files)| Blocks { starts, files })
            .collect();
        Ok(Indexed {
            index,
            files,
            kept,
            blocks,
            staged,
            timings: [
                ("index", indexed),
                ("search files", start.elapsed() - indexed),
            ],
        })
    }
}

/// An index being made on another thread while pages are rendered: the
/// search producer waits for its files, and the build takes the rest.
pub(crate) struct Pending<'s> {
    state: Mutex<State<'s>>,
    /// Told `index` when someone starts waiting for it, for progress bars.
    waiting: &'s (dyn Fn(&'static str) + Sync),
}

enum State<'s> {
    Making(ScopedJoinHandle<'s, Result<Indexed, Error>>),
    Done(Box<Result<Indexed, Error>>),
    Taken,
}

impl<'s> Pending<'s> {
    pub(crate) fn new(
        job: ScopedJoinHandle<'s, Result<Indexed, Error>>,
        waiting: &'s (dyn Fn(&'static str) + Sync),
    ) -> Pending<'s> {
        Pending {
            state: Mutex::new(State::Making(job)),
            waiting,
        }
    }

    /// The index, waited for if nobody took its files; `None` when its
    /// error was returned already.
    pub(crate) fn finish(self) -> Option<Result<Indexed, Error>> {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        state.join(self.waiting);
        match state {
            State::Done(made) => Some(*made),
            _ => None,
        }
    }
}

/// What a render asks of an index made beside it: its files, once they are
/// made. (A trait, so that the render need not name how long the thread
/// making it lives.)
pub(crate) trait PendingFiles {
    /// Waits for the index and takes the files the browser reads of it,
    /// and the paths of those the output keeps; the index itself stays for
    /// [`Pending::finish`]. Its texts must all have been sent, or it waits
    /// forever.
    fn take_files(&self) -> Result<(Vec<OutputFile>, Vec<String>), Error>;
}

impl PendingFiles for Pending<'_> {
    fn take_files(&self) -> Result<(Vec<OutputFile>, Vec<String>), Error> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.join(self.waiting);
        if let State::Done(made) = &mut *state
            && let Ok(indexed) = made.as_mut()
        {
            let files = std::mem::take(&mut indexed.files);
            return Ok((files, std::mem::take(&mut indexed.kept)));
        }
        // An error is returned once; then nothing is left to take.
        match std::mem::replace(&mut *state, State::Taken) {
            State::Done(made) => made.map(|_| Default::default()),
            _ => Ok(Default::default()),
        }
    }
}

impl State<'_> {
    /// Waits for the job, if it is still running.
    fn join(&mut self, waiting: &(dyn Fn(&'static str) + Sync)) {
        if !matches!(self, State::Making(_)) {
            return;
        }
        waiting("index");
        if let State::Making(job) = std::mem::replace(self, State::Taken) {
            *self = State::Done(Box::new(
                job.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            ));
        }
    }
}
