//! Content diagnostics: what is wrong with a file, where, and what to do.
//!
//! Every stage that reads content reports problems here instead of failing
//! fast, so one run lists every mistake in the site (ripgrep's "report and go
//! on"). Spans are byte ranges into the whole source file, never into the
//! front matter alone, so line and column match what the partner sees in
//! their editor.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::messages::{Catalogue, Lang, Msg};
use crate::text::LineIndex;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site is not published until it is fixed.
    Error,
    /// Shown, but the site is still published.
    Warning,
}

/// A source file kept for diagnostics: its site-relative path and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file's path relative to the site's folder.
    pub path: PathBuf,
    /// Shared, not copied: a product's text is the biggest thing a build
    /// holds, and `Arc<str>` would copy each file once more after reading.
    pub text: Arc<String>,
    /// Made on first use: only a diagnostic asks for a line and column.
    lines: Arc<OnceLock<LineIndex>>,
    /// A hash of the text, computed once when the file is read, so that
    /// incremental rebuilds can tell changed files without rehashing.
    pub fingerprint: u64,
}

impl SourceFile {
    /// Keeps only the text before `end` (a char boundary), for a file
    /// whose rest is no longer read. Spans before `end` stay valid.
    pub fn keep_head(&mut self, end: usize) {
        if end < self.text.len() {
            self.text = Arc::new(self.text[..end].to_string());
            self.lines = Arc::default();
        }
    }

    /// A file at `path` (relative to the site) with `text`.
    pub fn new(path: PathBuf, text: impl Into<String>) -> Self {
        let text = Arc::new(text.into());
        let lines = Arc::default();
        let fingerprint = crate::text::fingerprint_bytes(text.as_bytes());
        SourceFile {
            path,
            text,
            lines,
            fingerprint,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }
}

/// A problem of the site's content, with where it is and what to do.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Whether it stops the build.
    pub severity: Severity,
    /// Stable machine-readable name, e.g. `unknown-partner`.
    pub code: &'static str,
    /// What is wrong, in English.
    pub message: String,
    /// The file it is in, if it is in one.
    pub file: Option<SourceFile>,
    /// The bytes of `file` it is about.
    pub span: Range<usize>,
    /// Label under the caret: what was expected.
    pub label: Option<String>,
    /// A likely replacement, shown as "did you mean" and given to tools.
    pub suggestion: Option<String>,
    /// Extra advice, shown as a help line.
    pub help: Option<String>,
    /// The message, label and help before they are put into words: the
    /// strings above are their English, for logs and tests; the terminal,
    /// the preview and pull requests get them in the site's language.
    pub said: Said,
}

/// The keyed forms of a diagnostic's texts.
#[derive(Debug, Clone)]
pub struct Said {
    /// What is wrong.
    pub message: Msg,
    /// The label under the caret.
    pub label: Option<Msg>,
    /// The help line.
    pub help: Option<Msg>,
}

impl Diagnostic {
    /// An error, named by its `code`.
    pub fn error(code: &'static str, message: impl Into<Msg>) -> Self {
        let message = message.into();
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.say(Lang::En),
            file: None,
            span: 0..0,
            label: None,
            suggestion: None,
            help: None,
            said: Said {
                message,
                label: None,
                help: None,
            },
        }
    }

    /// A warning, named by its `code`.
    pub fn warning(code: &'static str, message: impl Into<Msg>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Places it at `span` of `file`.
    pub fn at(mut self, file: &SourceFile, span: Range<usize>) -> Self {
        let len = file.text.len();
        let start = floor_char_boundary(&file.text, span.start.min(len));
        let end = floor_char_boundary(&file.text, span.end.clamp(start, len));
        self.file = Some(file.clone());
        self.span = start..end;
        self
    }

    /// Adds the label under the caret.
    pub fn label(mut self, label: impl Into<Msg>) -> Self {
        let label = label.into();
        self.label = Some(label.say(Lang::En));
        self.said.label = Some(label);
        self
    }

    /// Adds a likely replacement, if there is one.
    pub fn suggest(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<Msg>) -> Self {
        let help = help.into();
        self.help = Some(help.say(Lang::En));
        self.said.help = Some(help);
        self
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> String {
        self.said.message.say(lang)
    }

    /// The help line in `lang`: the suggestion, then the advice.
    fn help_in(&self, words: &Catalogue) -> Option<String> {
        let advice = self.said.help.as_ref().map(|h| words.say(h));
        let guess = self
            .suggestion
            .as_ref()
            .map(|s| words.say(&crate::msg!("diag.did-you-mean", suggestion = s)));
        match (guess, advice) {
            (Some(g), Some(a)) => Some(format!("{g} {a}")),
            (g, a) => g.or(a),
        }
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The site-relative path of its file.
    pub fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(|f| f.path.as_path())
    }

    /// 1-based (line, column) of the start and end of the span.
    pub fn position(&self) -> Option<((usize, usize), (usize, usize))> {
        let file = self.file.as_ref()?;
        Some((file.line_col(self.span.start), file.line_col(self.span.end)))
    }

    fn sort_key(&self) -> (Option<PathBuf>, usize, Severity) {
        (
            self.file.as_ref().map(|f| f.path.clone()),
            self.span.start,
            self.severity,
        )
    }

    /// Renders like a compiler error: path:line:column, the line, a caret.
    pub fn render(&self, color: bool, lang: Lang) -> String {
        let words = Catalogue::get(lang);
        let level = match self.severity {
            Severity::Error => Level::ERROR.with_name(words.template("levels.error")),
            Severity::Warning => Level::WARNING.with_name(words.template("levels.warning")),
        };
        let message = words.say(&self.said.message);
        let label = self.said.label.as_ref().map(|l| words.say(l));
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut groups: Vec<Group<'_>> = Vec::new();
        let title = level.primary_title(message.as_str()).id(self.code);
        let path_display;
        match &self.file {
            Some(file) => {
                path_display = file.path.display().to_string();
                let mut annotation = AnnotationKind::Primary.span(self.span.clone());
                if let Some(label) = &label {
                    annotation = annotation.label(label.as_str());
                }
                groups.push(
                    title.element(
                        Snippet::source(&*file.text)
                            .path(path_display.as_str())
                            .annotation(annotation),
                    ),
                );
            }
            None => groups.push(Group::with_title(title)),
        }
        let help = self.help_in(words);
        if let Some(help) = &help {
            let level = Level::HELP.with_name(words.template("levels.help"));
            groups.push(Group::with_title(level.secondary_title(help.as_str())));
        }
        renderer.render(&groups).to_string()
    }

    /// A GitHub Actions workflow command, shown as an inline annotation on
    /// the pull request's diff, in `lang`.
    pub fn to_github(&self, lang: Lang) -> String {
        let words = Catalogue::get(lang);
        fn data(s: &str) -> String {
            s.replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A")
        }
        fn prop(s: &str) -> String {
            data(s).replace(':', "%3A").replace(',', "%2C")
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(path) = self.path() {
            props.push(format!(
                "file={}",
                prop(&path.to_string_lossy().replace('\\', "/"))
            ));
        }
        if let Some(((l, c), (el, ec))) = self.position() {
            props.push(format!("line={l},col={c},endLine={el},endColumn={ec}"));
        }
        props.push(format!("title={}", prop(&format!("ayni {}", self.code))));
        let mut msg = words.say(&self.said.message);
        if let Some(label) = &self.said.label {
            msg.push_str(&format!(" ({})", words.say(label)));
        }
        if let Some(s) = &self.suggestion {
            let guess = words.say(&crate::msg!("diag.did-you-mean", suggestion = s));
            msg.push_str(&format!("; {guess}"));
        }
        if let Some(help) = &self.said.help {
            msg.push_str(&format!("\n{}", words.say(help)));
        }
        format!("::{level} {}::{}", props.join(","), data(&msg))
    }

    /// The diagnostic as data: English keys, a stable `code`, and the
    /// texts in `lang`.
    pub fn to_json(&self, lang: Lang) -> serde_json::Value {
        let words = Catalogue::get(lang);
        let pos = self.position();
        serde_json::json!({
            "file": self.path().map(|p| p.to_string_lossy().replace('\\', "/")),
            "line": pos.map(|p| p.0.0),
            "column": pos.map(|p| p.0.1),
            "end_line": pos.map(|p| p.1.0),
            "end_column": pos.map(|p| p.1.1),
            "severity": self.severity,
            "code": self.code,
            "message": words.say(&self.said.message),
            "label": self.said.label.as_ref().map(|l| words.say(l)),
            "help": self.help_in(words),
            "suggestion": self.suggestion,
        })
    }
}

impl fmt::Display for Diagnostic {
    /// One line, `path:line:col: severity[code]: message`, for logs and tests.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(path), Some(((line, col), _))) = (self.path(), self.position()) {
            write!(f, "{}:{line}:{col}: ", path.display())?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}[{}]: {}", self.code, self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

/// All diagnostics of a run, sorted by file and position when reported.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(items: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics { items }
    }
}

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds several.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Whether any is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many are errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// How many are warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// All of them, by file and position.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by_key(Diagnostic::sort_key);
        self.items
    }

    /// Each of them, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// All of them, in the order they were found.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The closest candidate by edit distance, if close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.filter(|(score, _)| *score >= 0.8)
        .map(|(_, c)| c.to_string())
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["care-peru", "aap", "gpc"];
        assert_eq!(did_you_mean("care-peu", ids).as_deref(), Some("care-peru"));
        assert_eq!(did_you_mean("zzzz", ids), None);
    }

    #[test]
    fn renders_path_line_column_and_caret() {
        let file = SourceFile::new("content/a.md".into(), "---\ntitle: x\npartenrs: [a]\n---\n");
        let d = Diagnostic::error("unknown-key", "unknown key `partenrs`")
            .at(&file, 13..21)
            .label("not a product key")
            .suggest(Some("partners".into()));
        let out = d.render(false, Lang::En);
        assert!(out.contains("content/a.md:3:1"), "{out}");
        assert!(out.contains("^^^^^^^^"), "{out}");
        assert!(out.contains("did you mean `partners`?"), "{out}");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:1: error[unknown-key]: unknown key `partenrs` (did you mean `partners`?)"
        );
        let json = d.to_json(Lang::En);
        assert_eq!(json["end_column"], 9);
        assert_eq!(
            d.to_github(Lang::En),
            "::error file=content/a.md,line=3,col=1,endLine=3,endColumn=9,title=ayni unknown-key::unknown key `partenrs` (not a product key); did you mean `partners`?"
        );
    }
}
