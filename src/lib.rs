//! ayni turns a folder of Markdown learning products (case studies,
//! studies, evaluations, guides) into a static website for a development
//! alliance, with a page for every partner, topic and policy outcome.
//!
//! The folders follow the data: `content` walks the site's folder and
//! reads front matter, `model` resolves it into one tree, `markdown`
//! renders bodies, `render` fills the theme's templates and runs the
//! producers of feeds, citations, data and search files, `search` indexes
//! the products, and [`build`] runs the stages in order and swaps the new
//! output in whole. [`serve`] (the preview) and `check` run the same
//! pipeline; the preview updates it in place when only a few files changed.
//! `docs/architecture.md` has the map.
//!
//! The public API is what the binary and a program driving ayni need:
//! - [`build`]: build or check a site ([`build::BuildOptions`],
//!   [`build::build`], [`build::check`]);
//! - [`serve`]: the preview, and a [`serve::Session`] that keeps a site in
//!   memory between rebuilds;
//! - [`search`]: query the index a build made;
//! - [`diagnostics`] and [`messages`]: what is wrong with a site, said in
//!   Spanish or English;
//! - [`content`]: `site.yaml` and the tables of front-matter keys that the
//!   guide documents;
//! - [`pdf`]: the text of a PDF, page by page; [`scaffold`]: `init` and
//!   `new`; [`cli`]: the command line.
//!
//! The stages in between are the crate's own.
//!
//! ```no_run
//! use ayni::build::{BuildOptions, build};
//!
//! let opts = BuildOptions::new("my-site");
//! match build(&opts) {
//!     Ok(report) => println!("{} pages in {:?}", report.pages, report.elapsed),
//!     Err(ayni::Error::Content(diags)) => {
//!         for d in diags {
//!             eprintln!("{}", d.render(false, ayni::messages::Lang::Es));
//!         }
//!     }
//!     Err(e) => eprintln!("{e}"),
//! }
//! ```

#![warn(missing_docs)]

/// `eprintln!` that ignores a standard error that cannot be written (closed
/// or full): a message nobody can read is no reason to stop.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod build;
pub mod cli;
pub mod content;
pub mod diagnostics;
mod error;
pub(crate) mod markdown;
pub mod messages;
pub(crate) mod model;
pub(crate) mod outputs;
pub mod pdf;
pub(crate) mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub(crate) mod text;

pub use error::Error;
