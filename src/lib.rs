//! ayni turns a folder of Markdown learning products (case studies,
//! studies, evaluations, guides) into a static website for a development
//! alliance, with a page for every partner, topic and policy outcome.
//!
//! The pipeline follows the data: [`load`] walks `content/` and reads front
//! matter, [`model`] resolves it into a [`model::Site`], [`markdown`] renders
//! bodies, [`render`] fills the theme's templates, and [`write`] swaps the
//! new output in atomically. [`build`] runs them in order.
//!
//! ```no_run
//! use ayni::build::{BuildOptions, build};
//!
//! let opts = BuildOptions::new("my-site");
//! match build(&opts) {
//!     Ok(report) => println!("{} pages in {:?}", report.pages, report.elapsed),
//!     Err(ayni::Error::Content(diags)) => {
//!         for d in diags {
//!             eprintln!("{}", d.render(false));
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

pub mod api;
pub mod build;
pub mod cache;
pub mod chart;
pub mod cite;
pub mod cli;
pub mod config;
pub mod countries;
pub mod date;
pub mod diagnostics;
pub mod error;
pub mod feeds;
pub mod fields;
pub mod figures;
pub mod frontmatter;
pub mod guide;
pub mod history;
pub mod incremental;
pub mod jail;
pub mod load;
pub mod markdown;
pub mod model;
pub mod network;
pub mod output;
pub mod pdf;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
pub mod urls;
pub mod write;
pub mod yaml;

pub use error::Error;
