//! Content: everything read from the site's folder before any file is
//! related to another. The walk and the one gate to the disk (`jail`),
//! the source folders walked and read once (`sources`), front matter
//! (`frontmatter`, [`yaml`], `fields`), each file's typed metadata
//! (`load`), the site's settings ([`config`]) and the table of
//! front-matter keys that documents them ([`guide`]).

pub mod config;
pub(crate) mod fields;
pub(crate) mod frontmatter;
pub mod guide;
pub(crate) mod jail;
pub(crate) mod load;
pub(crate) mod sources;
pub mod yaml;
pub(crate) mod yaml_mistakes;
