//! ayni turns a folder of Markdown learning products (case studies,
//! studies, evaluations, guides) into a static website for a development
//! alliance, with a page for every partner, topic and policy outcome.
//!
//! The folders follow the data: [`content`] walks the site's folder and
//! reads front matter, [`model`] resolves it into a [`model::Site`],
//! [`markdown`] renders bodies, [`render`] fills the theme's templates,
//! [`outputs`] makes feeds, citations and the API, [`search`] indexes the
//! products, and [`build`] writes the new output in atomically, running the
//! stages in order. [`serve`] (the preview) and `check` ([`cli`]) run the same
//! build; [`serve`] updates it in place when only a few files changed.
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
pub mod error;
pub mod markdown;
pub mod messages;
pub mod model;
pub mod outputs;
pub mod pdf;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;

pub use error::Error;
