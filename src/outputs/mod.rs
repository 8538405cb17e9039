//! Outputs beside the pages: Atom feeds, the sitemap and `robots.txt`
//! ([`feeds`]), the JSON API ([`api`]) and the citation files ([`cite`]).

pub mod api;
pub mod cite;
pub mod feeds;
