//! Search: one tantivy index, built with the site, behind `ayni search`,
//! the preview server and the static browser index.

pub mod analysis;
pub(crate) mod attached;
pub mod entity;
pub(crate) mod facets;
pub mod index;
pub(crate) mod parts;
pub mod passages;
pub(crate) mod query;
pub(crate) mod spelling;
pub(crate) mod stage;
pub(crate) mod web;

pub use query::{Results, SearchQuery, search};
