//! Errors that stop a build before or after content is read: I/O, themes,
//! templates, and the content diagnostics collected over the whole site.

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;

/// Why a command could not finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("cannot access `{path}`: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The theme could not be loaded: a missing theme, or templates it
    /// needs and does not have.
    #[error("theme: {0}")]
    Theme(String),
    /// The theme's templates do not parse: Tera's error, whose chain says
    /// which template, where and why.
    #[error("theme: {}", chain(.0))]
    Templates(#[source] tera::Error),
    /// A page's template failed: the template, the page, and Tera's error
    /// (kept as the source; the message spells out its chain, which says
    /// where in the template and why).
    #[error("template: {template} (page {page}): {}", chain(.source))]
    Template {
        /// The template's name.
        template: String,
        /// The URL path of the page being rendered.
        page: String,
        /// Tera's error.
        #[source]
        source: tera::Error,
    },
    /// The site's content has errors: every diagnostic, warnings included.
    #[error("the site has {}", crate::text::counted(.0.iter().filter(|d| d.is_error()).count(), "error", "errors"))]
    Content(Vec<Diagnostic>),
    /// The output could not be made as asked, for a reason with no error
    /// underneath (a path outside the output folder, an index of another
    /// site).
    #[error("{0}")]
    Output(String),
    /// The preview could not watch the site or serve it: what it was
    /// doing, and the error as the source.
    #[error("{doing}: {source}")]
    Preview {
        /// What it was doing.
        doing: String,
        /// The error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file the build wrote itself could not be read back as JSON.
    #[error("cannot read `{path}`: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// serde's error.
        #[source]
        source: serde_json::Error,
    },
    /// The search index could not be made, opened or read: what was being
    /// done, and tantivy's error as the source.
    #[error("{doing}: {source}")]
    Index {
        /// What was being done.
        doing: &'static str,
        /// tantivy's error.
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

    /// A file or folder at `path` could not be read or written.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

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
