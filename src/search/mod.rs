//! Search: one tantivy index, built with the site, behind `ayni search`,
//! the preview server and the static browser index.

pub mod analysis;
pub mod attached;
pub mod entity;
pub mod facets;
pub mod index;
pub mod passages;
pub mod query;
pub mod spelling;
pub mod stage;
pub mod web;

pub use query::{Results, SearchQuery, search};
