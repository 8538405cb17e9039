//! Errors that stop a build before or after content is read: I/O, themes,
//! templates, and the content diagnostics collected over the whole site.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot access `{path}`: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("theme: {0}")]
    Theme(String),
    /// A page's template failed: the template, the page, and Tera's error
    /// (kept as the source; the message spells out its chain, which says
    /// where in the template and why).
    #[error("template: {template} (page {page}): {}", chain(.source))]
    Template {
        template: String,
        page: String,
        #[source]
        source: tera::Error,
    },
    #[error("the site has {}", crate::text::counted(.0.iter().filter(|d| d.is_error()).count(), "error", "errors"))]
    Content(Vec<Diagnostic>),
    #[error("{0}")]
    Output(String),
    /// The preview could not watch the site or serve it: what it was
    /// doing, and the error as the source.
    #[error("{doing}: {source}")]
    Preview {
        doing: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file the build wrote itself could not be read back as JSON.
    #[error("cannot read `{path}`: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// The search index could not be made, opened or read: what was being
    /// done, and tantivy's error as the source.
    #[error("{doing}: {source}")]
    Index {
        doing: &'static str,
        #[source]
        source: tantivy::TantivyError,
    },
    /// What the user asked cannot be done as asked (an output folder the
    /// build must not replace, a port in use, no index yet): said in the
    /// interface language when printed (see [`Error::said`]).
    #[error("{}", .0.say(crate::messages::Lang::En))]
    Refused(crate::messages::Msg),
    /// `ayni init` or `ayni new` could not do what was asked.
    #[error(transparent)]
    Scaffold(#[from] crate::scaffold::ScaffoldError),
}

impl Error {
    /// The error as the terminal says it in `lang`: the messages a user
    /// can act on come from the catalogue; a failure of the tool itself
    /// (a template, the search index) keeps its English text, which is what
    /// a bug report needs.
    pub fn said(&self, lang: crate::messages::Lang) -> String {
        use crate::msg;
        match self {
            Error::Io { path, source } => {
                msg!("cli.io", path = path.display(), error = source).say(lang)
            }
            Error::Refused(m) => m.say(lang),
            Error::Scaffold(s) => s.said().say(lang),
            other => format!("{other:#}"),
        }
    }

    /// An error of the search index while `doing` something.
    pub fn index(doing: &'static str) -> impl Fn(tantivy::TantivyError) -> Error + Copy {
        move |source| Error::Index { doing, source }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and its causes on one line: Tera's errors nest the reason (a
/// line in a template, a missing variable) several sources deep.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
