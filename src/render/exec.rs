//! The executor: runs the planned page jobs on every core, writes each
//! page to the sink as it is made when there is one, with the files the
//! producers make beside a product's page.

use std::collections::HashMap;

use rayon::prelude::*;

use super::plan::{Job, index_file};
use super::{Env, PageKeys, scratch_context};
use crate::build::write::{Content, OutputFile, Staging};
use crate::error::Error;

/// A finished page job: its output path; the file, unless it is in the
/// sink (written, or kept as the output has it); the paths of the files
/// written beside it; and, in a build, its path and key.
struct Done {
    path: String,
    file: Option<OutputFile>,
    beside: Vec<String>,
    key: Option<(String, u64)>,
}

/// The output path of a page's URL path.
pub(super) fn output_path(path: &str) -> String {
    if path.ends_with('/') {
        index_file(path)
    } else {
        path.trim_start_matches('/').to_string()
    }
}

/// Renders `jobs`; returns the pages kept in memory, the output paths of
/// those in `sink` and of the files written beside them, and, with a sink,
/// every page's key.
///
/// With a sink (a build), each job keys its page once its inputs are made,
/// on its own thread; a page whose key `previous` (the build that made the
/// output) has too, and whose file the output still has, is kept as it
/// is, not rendered again.
pub(super) fn run(
    env: Env<'_>,
    jobs: Vec<Job<'_>>,
    sink: Option<&Staging>,
    previous: Option<&PageKeys>,
) -> Result<(Vec<OutputFile>, Vec<String>, PageKeys), Error> {
    // The pages of products whose text the index waits for go first: once
    // it has them all, it makes its files while the other pages are made.
    let (first, rest): (Vec<Job<'_>>, Vec<Job<'_>>) =
        last_at_each_path(jobs).into_iter().partition(|job| {
            job.product
                .is_some_and(|i| env.deferred.is_some_and(|d| d.sends(i)))
        });
    let mut done = run_jobs(env, first, sink, previous)?;
    done.extend(run_jobs(env, rest, sink, previous)?);
    let mut written: Vec<String> = Vec::new();
    let mut out: Vec<OutputFile> = Vec::new();
    let mut keys = PageKeys::new();
    for d in done {
        match d.file {
            Some(file) => out.push(file),
            None => written.push(d.path),
        }
        written.extend(d.beside);
        keys.extend(d.key);
    }
    Ok((out, written, keys))
}

/// Runs `jobs` on every core.
fn run_jobs(
    env: Env<'_>,
    jobs: Vec<Job<'_>>,
    sink: Option<&Staging>,
    previous: Option<&PageKeys>,
) -> Result<Vec<Done>, Error> {
    let views = env.views;
    jobs.into_par_iter()
        .map_init(
            || scratch_context(views.strings, Some(&views.base)),
            |scratch, job| match sink {
                Some(staging) => build_job(env, job, scratch, staging, previous),
                None => {
                    let inputs = (job.inputs)();
                    let file = render_page(env, job.template, &job.path, inputs.ctx(), scratch)?;
                    Ok(Done {
                        path: file.path.clone(),
                        file: Some(file),
                        beside: Vec::new(),
                        key: None,
                    })
                }
            },
        )
        .collect()
}

/// A page job of a build: the page goes to the sink now (unless it is
/// kept), with the files producers make beside a product's page, and only
/// its path is kept: a large site's pages never sit in memory all at once.
fn build_job(
    env: Env<'_>,
    job: Job<'_>,
    scratch: &mut tera::Context,
    staging: &Staging,
    previous: Option<&PageKeys>,
) -> Result<Done, Error> {
    let inputs = (job.inputs)();
    let key = inputs.key();
    let path = output_path(&job.path);
    let same = previous.and_then(|p| p.get(&job.path)) == Some(&key);
    let kept = same && staging.keep(&path);
    if !kept {
        let file = render_page(env, job.template, &job.path, inputs.ctx(), scratch)?;
        staging.put(&file)?;
    }
    let beside = match job.product {
        Some(i) => beside_product(env, i, staging, kept)?,
        None => Vec::new(),
    };
    Ok(Done {
        path,
        file: None,
        beside,
        key: Some((job.path, key)),
    })
}

/// Of two pages at one path the later wins, as it would on disk; pages
/// written as they are made must not race for it.
fn last_at_each_path(jobs: Vec<Job<'_>>) -> Vec<Job<'_>> {
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, j) in jobs.iter().enumerate() {
        last.insert(j.path.as_str(), i);
    }
    let keep: Vec<bool> = (0..jobs.len())
        .map(|i| last.get(jobs[i].path.as_str()) == Some(&i))
        .collect();
    jobs.into_iter()
        .zip(keep)
        .filter_map(|(j, k)| k.then_some(j))
        .collect()
}

/// Renders the page at URL path `path` with `template` and `ctx`.
fn render_page(
    env: Env<'_>,
    template: &'static str,
    path: &str,
    ctx: super::Ctx,
    scratch: &mut tera::Context,
) -> Result<OutputFile, Error> {
    // Room for the page's own text and the frame around it, so the buffer
    // seldom grows; bytes go out without a UTF-8 check.
    let mut html = Vec::with_capacity(ctx.size_hint());
    ctx.render_in(&env.theme.tera, template, scratch, env.views, &mut html)
        .map_err(|source| Error::Template {
            template: template.to_string(),
            page: path.to_string(),
            source,
        })?;
    Ok(OutputFile {
        path: output_path(path),
        content: Content::Bytes(html),
    })
}

/// Writes the files the producers make with product `i`'s page (see
/// [`super::producers::Producer::beside`]); returns their paths. When the
/// page was `kept` and its body is the last build's, they are kept too
/// where the output has them.
fn beside_product(
    env: Env<'_>,
    i: usize,
    staging: &Staging,
    kept: bool,
) -> Result<Vec<String>, Error> {
    let spared = kept && env.deferred.is_some_and(|d| d.spared(i));
    let mut paths = Vec::new();
    for producer in super::producers::PRODUCERS {
        if let Some(same) = spared
            .then(|| producer.keep_beside(env, i, staging))
            .flatten()
        {
            paths.extend(same);
            continue;
        }
        for file in producer.beside(env, i) {
            staging.put(&file)?;
            paths.push(file.path);
        }
    }
    Ok(paths)
}
