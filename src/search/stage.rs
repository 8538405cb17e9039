//! The search index's build step: the products' texts go into the
//! tantivy index as they come, then the files the browser reads of it are
//! made. A build makes it on its own thread while pages are rendered
//! ([`Pending`]), and the render's search producer collects its files; the
//! preview makes it after the pages, off the path of an edit.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Mutex;
use std::thread::ScopedJoinHandle;
use std::time::{Duration, Instant};

use crate::build::write::OutputFile;
use crate::error::Error;
use crate::model::Site;

/// A site's search index and the files the browser reads of it.
pub struct Indexed {
    pub index: tantivy::Index,
    pub files: Vec<OutputFile>,
    pub timings: [(&'static str, Duration); 2],
    /// The index, to put in place once its output is.
    pub staged: crate::search::index::StagedIndex,
}

impl Indexed {
    /// Makes the index in `dir` (replacing what is there), then the files
    /// of it the browser reads. `texts` are the products' plain text, in
    /// site order; owned ones are freed as they are indexed.
    pub fn make(
        site: &Site,
        texts: Vec<Cow<'_, str>>,
        strings: &serde_json::Map<String, serde_json::Value>,
        dir: &Path,
    ) -> Result<Indexed, Error> {
        Indexed::of(site, texts.into_iter().enumerate(), strings, dir, true)
    }

    /// [`Indexed::make`] from texts sent one product at a time, as
    /// `(product, text)` in any order, while pages are rendered: no text
    /// waits for the others. Ends when every sender is gone. The products'
    /// result files are not made here but by the search producer, with
    /// each page (see `render::producers`): on this thread, the one that
    /// feeds the index, they were on the way of the index.
    pub fn stream(
        site: &Site,
        texts: std::sync::mpsc::Receiver<(usize, String)>,
        strings: &serde_json::Map<String, serde_json::Value>,
        dir: &Path,
    ) -> Result<Indexed, Error> {
        Indexed::of(site, texts, strings, dir, false)
    }

    /// Each text goes into the index and, with `make_docs`, the product's result
    /// file, and is dropped; then the index is committed and its browser
    /// files made.
    fn of<T: AsRef<str>>(
        site: &Site,
        texts: impl IntoIterator<Item = (usize, T)>,
        strings: &serde_json::Map<String, serde_json::Value>,
        dir: &Path,
        make_docs: bool,
    ) -> Result<Indexed, Error> {
        let start = Instant::now();
        let search_dir = crate::search::web::dir(site);
        let mut docs: Vec<Option<OutputFile>> = site.products.iter().map(|_| None).collect();
        let mut builder = crate::search::index::Builder::new(dir, site)?;
        let mut starts = vec![Vec::new(); site.products.len()];
        let mut blocks = Vec::new();
        for (n, text) in texts {
            let text = text.as_ref();
            docs[n] = make_docs
                .then(|| crate::search::web::doc_file(site, n, text, strings, &search_dir));
            let (files, at) = crate::search::passages::product(n, text, &search_dir);
            starts[n] = at;
            blocks.extend(files);
            builder.add(site, n, text)?;
        }
        let (index, words, staged) = builder.finish()?;
        let indexed = start.elapsed();
        let docs = docs.into_iter().flatten().chain(blocks).collect();
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
        Ok(Indexed {
            index,
            files,
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
    /// Waits for the index and takes the files the browser reads of it;
    /// the index itself stays for [`Pending::finish`]. Its texts must all
    /// have been sent, or it waits forever.
    fn take_files(&self) -> Result<Vec<OutputFile>, Error>;
}

impl PendingFiles for Pending<'_> {
    fn take_files(&self) -> Result<Vec<OutputFile>, Error> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.join(self.waiting);
        if let State::Done(made) = &mut *state
            && let Ok(indexed) = made.as_mut()
        {
            return Ok(std::mem::take(&mut indexed.files));
        }
        // An error is returned once; then nothing is left to take.
        match std::mem::replace(&mut *state, State::Taken) {
            State::Done(made) => made.map(|_| Vec::new()),
            _ => Ok(Vec::new()),
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
