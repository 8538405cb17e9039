//! The executor: runs the planned page jobs on every core, writes each
//! page to the sink as it is made when there is one, with the files the
//! producers make beside a product's page.

use std::collections::HashMap;

use rayon::prelude::*;

use super::plan::{Job, index_file};
use super::{Env, scratch_context};
use crate::build::write::{Content, OutputFile, Staging};
use crate::error::Error;

/// A finished page job: its output path; the file, unless it was written
/// already; and the paths of the files written beside it.
type JobOutput = (String, Option<OutputFile>, Vec<String>);

/// The output path of a page's URL path.
pub(super) fn output_path(path: &str) -> String {
    if path.ends_with('/') {
        index_file(path)
    } else {
        path.trim_start_matches('/').to_string()
    }
}

/// Renders `jobs`; returns the pages kept in memory and the output paths
/// of those written to `sink`, and of the files written beside them.
pub(super) fn run(
    env: Env<'_>,
    jobs: Vec<Job<'_>>,
    sink: Option<&Staging>,
) -> Result<(Vec<OutputFile>, Vec<String>), Error> {
    let views = env.views;
    let rendered: Result<Vec<JobOutput>, Error> = last_at_each_path(jobs)
        .into_par_iter()
        .map_init(
            || scratch_context(views.strings, Some(&views.base)),
            |scratch, job| {
                let file = render_job(env, job, scratch)?;
                // With a sink the page goes to disk now and only its path is
                // kept: a large site's pages never sit in memory all at once.
                match sink {
                    Some(staging) => {
                        staging.put(&file.0)?;
                        let beside = match file.1 {
                            Some(i) => beside_product(env, i, staging)?,
                            None => Vec::new(),
                        };
                        Ok((file.0.path, None, beside))
                    }
                    None => Ok((file.0.path.clone(), Some(file.0), Vec::new())),
                }
            },
        )
        .collect();
    let mut written: Vec<String> = Vec::new();
    let mut out: Vec<OutputFile> = Vec::new();
    for (path, file, beside) in rendered? {
        match file {
            Some(file) => out.push(file),
            None => written.push(path),
        }
        written.extend(beside);
    }
    Ok((out, written))
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

/// One page, and the product it is the page of, if any.
fn render_job(
    env: Env<'_>,
    job: Job<'_>,
    scratch: &mut tera::Context,
) -> Result<(OutputFile, Option<usize>), Error> {
    let ctx = (job.ctx)();
    // Room for the page's own text and the frame around it, so the buffer
    // seldom grows; bytes go out without a UTF-8 check.
    let mut html = Vec::with_capacity(ctx.size_hint());
    ctx.render_in(&env.theme.tera, job.template, scratch, env.views, &mut html)
        .map_err(|source| Error::Template {
            template: job.template.to_string(),
            page: job.path.clone(),
            source,
        })?;
    let file = OutputFile {
        path: output_path(&job.path),
        content: Content::Bytes(html),
    };
    Ok((file, job.product))
}

/// Writes the files the producers make with product `i`'s page (see
/// [`super::producers::Producer::beside`]); returns their paths.
fn beside_product(env: Env<'_>, i: usize, staging: &Staging) -> Result<Vec<String>, Error> {
    let mut paths = Vec::new();
    for producer in super::producers::PRODUCERS {
        for file in producer.beside(env, i) {
            staging.put(&file)?;
            paths.push(file.path);
        }
    }
    Ok(paths)
}
