//! The page plan: the jobs a render will run, each page's key checked
//! against the previous render's first, and the pagination of lists.

use std::hash::Hash;

use serde::Serialize;

use super::inputs::{PageNumber, Paginator};
use super::{Ctx, PageKeys, Scope, Views};
use crate::text::fingerprint;

/// One page to render: template, output path, inputs. Most inputs are
/// made inside the parallel render, so they are built on every core and
/// do not all sit in memory at once.
pub(super) struct Job<'a> {
    pub(super) template: &'static str,
    pub(super) path: String,
    pub(super) inputs: Box<dyn FnOnce() -> Box<dyn PageInputs + 'a> + Send + 'a>,
    /// A product whose citation files, data entry and search result are
    /// made with its page, when pages are written as they are made: after
    /// the pages they were a tail of seconds at 100,000 products, on
    /// half-idle cores.
    pub(super) product: Option<usize>,
}

/// A page's inputs, made: its key, and the template's variables.
pub(super) trait PageInputs: Send {
    /// What decides whether the page is made again: the template, the
    /// inputs and what every page shows (see [`Plan::needs`]).
    fn key(&self) -> u64;
    fn ctx(&self) -> Ctx;
}

/// The typed inputs of a page made with `template` (see [`super::inputs`]).
struct TypedInputs<I> {
    template: &'static str,
    inputs: I,
    base_sig: u64,
}

impl<I: Serialize + Hash + Send> PageInputs for TypedInputs<I> {
    fn key(&self) -> u64 {
        page_key(fingerprint(&(self.template, &self.inputs)), self.base_sig)
    }

    fn ctx(&self) -> Ctx {
        Ctx::of(&self.inputs)
    }
}

/// A page's key: its own inputs' fingerprint with that of what every page
/// shows.
fn page_key(own: u64, base_sig: u64) -> u64 {
    fingerprint(&(own, base_sig))
}

/// The pages to render, and those the previous render already made.
pub(super) struct Plan<'p, 'a> {
    /// Keys of the previous render. Without them, `keys` may start with
    /// them instead (a scoped render), or empty (a full one).
    pub(super) previous: Option<&'p PageKeys>,
    /// Only the pages of these entities may have changed; the others are
    /// not visited at all.
    pub(super) scope: Option<&'p Scope>,
    pub(super) base_sig: u64,
    pub(super) jobs: Vec<Job<'a>>,
    pub(super) kept: Vec<String>,
    pub(super) keys: PageKeys,
    /// Whether pages are keyed as they are planned: not in a build, which
    /// defers bodies to the page jobs (see [`crate::markdown::Deferred`]);
    /// its jobs key their pages once the inputs are made (see
    /// [`super::exec::run`]).
    pub(super) keyed: bool,
}

impl<'a> Plan<'_, 'a> {
    /// Records the page's key; false when the previous render made the
    /// same page, which is then kept as it is. The key is made only when
    /// keys are kept: hashing what every page shows was a serial second
    /// before the render at 100,000 products, for keys a one-shot build
    /// never reads.
    pub(super) fn needs(&mut self, path: &str, key: impl FnOnce() -> u64) -> bool {
        if !self.keyed {
            return true;
        }
        let key = page_key(key(), self.base_sig);
        if plan_keep(&mut self.keys, self.previous, path, key) {
            self.kept.push(path.to_string());
            false
        } else {
            true
        }
    }

    /// Whether this render is scoped and `inside` says an entity is not in
    /// its scope: its pages are then left as they are, keys and all.
    pub(super) fn outside(&self, inside: impl FnOnce(&Scope) -> bool) -> bool {
        self.scope.is_some_and(|s| !inside(s))
    }

    /// Plans a page whose template reads the inputs `make` gives (see
    /// [`super::inputs`]); false when the previous render made the same
    /// page. When pages are keyed the inputs are made now, hashed for the
    /// key and moved into the job; otherwise the job makes and keys them
    /// on its own thread, so that a build makes them on every core.
    pub(super) fn page<I, F>(&mut self, template: &'static str, path: String, make: F) -> bool
    where
        I: Serialize + Hash + Send + 'a,
        F: FnOnce() -> I + Send + 'a,
    {
        let base_sig = self.base_sig;
        if !self.keyed {
            self.defer(template, path, move || {
                let inputs = make();
                Box::new(TypedInputs {
                    template,
                    inputs,
                    base_sig,
                })
            });
            return true;
        }
        let inputs = make();
        if !self.needs(&path, || fingerprint(&(template, &inputs))) {
            return false;
        }
        self.defer(template, path, move || {
            Box::new(TypedInputs {
                template,
                inputs,
                base_sig,
            })
        });
        true
    }

    fn defer(
        &mut self,
        template: &'static str,
        path: String,
        make: impl FnOnce() -> Box<dyn PageInputs + 'a> + Send + 'a,
    ) {
        self.jobs.push(Job {
            template,
            path,
            inputs: Box::new(make),
            product: None,
        });
    }
}

/// One page of a paginated list: its path, the range of the list it
/// shows, and the paginator for the template.
pub(super) struct ListPage {
    pub(super) path: String,
    pub(super) range: std::ops::Range<usize>,
    pub(super) paginator: Paginator,
}

/// Splits `list` into pages at `/base/`, `/base/page/2/`, ... and gives each
/// its range of items and a paginator for the template.
pub(super) fn paginate(views: &Views<'_>, base_path: &str, list: &[usize]) -> Vec<ListPage> {
    let per = views.site.config.paginate.max(1);
    let pages = list.len().div_ceil(per).max(1);
    let page_path = |n: usize| {
        if n == 1 {
            base_path.to_string()
        } else {
            format!("{base_path}page/{n}/")
        }
    };
    (1..=pages)
        .map(|n| {
            let range = ((n - 1) * per).min(list.len())..(n * per).min(list.len());
            let shown: Vec<usize> = (1..=pages)
                .filter(|&k| k == 1 || k == pages || k.abs_diff(n) <= 2)
                .collect();
            let numbers: Vec<PageNumber> = shown
                .iter()
                .enumerate()
                .map(|(i, &k)| PageNumber {
                    number: k,
                    href: views.site.href(&page_path(k)),
                    current: k == n,
                    gap_before: i > 0 && k - shown[i - 1] > 1,
                })
                .collect();
            let paginator = Paginator {
                current: n,
                total_pages: pages,
                total_items: list.len(),
                first_item: (n - 1) * per + 1,
                last_item: (n * per).min(list.len()),
                prev: (n > 1).then(|| views.site.href(&page_path(n - 1))),
                next: (n < pages).then(|| views.site.href(&page_path(n + 1))),
                pages: numbers,
            };
            ListPage {
                path: page_path(n),
                range,
                paginator,
            }
        })
        .collect()
}

pub(super) fn index_file(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

/// [`Plan::needs`] for outputs made after the pages: records `key` under
/// `name` and says whether the previous render made the same.
pub(super) fn plan_keep(
    keys: &mut PageKeys,
    previous: Option<&PageKeys>,
    name: &str,
    key: u64,
) -> bool {
    let old = keys.insert(name.to_string(), key);
    let before = match previous {
        Some(p) => p.get(name).copied(),
        None => old,
    };
    before == Some(key)
}
