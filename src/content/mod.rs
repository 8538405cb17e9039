//! Content: everything read from the site's folder before any file is
//! related to another. The walk and the one gate to the disk ([`jail`]),
//! front matter ([`frontmatter`], [`yaml`], [`fields`]), each file's typed
//! metadata ([`load`]), the site's settings ([`config`]) and the table of
//! front-matter keys that documents them ([`guide`]).

pub mod config;
pub mod fields;
pub mod frontmatter;
pub mod guide;
pub mod jail;
pub mod load;
pub mod yaml;
pub mod yaml_mistakes;
