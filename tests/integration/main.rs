//! Integration tests: each builds a small fixture site (or the sample site)
//! in a temporary folder and asserts on the pages it produced.

mod browser;
mod build;
mod check;
mod docs;
mod figures;
mod history;
mod hostile;
mod hreflang;
mod layout;
mod links;
mod pdf;
mod real_text;
mod scaffold;
mod search;
mod serve;
mod tools;
mod util;
mod validators;
