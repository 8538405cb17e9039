//! The tool's own words: the catalogues of what `check`, `build`, `serve`,
//! `new` and `init` print, in Spanish and English, and the choice of which
//! one a run speaks.
//!
//! The catalogues sit beside the theme's interface strings
//! (`themes/default/i18n/tool.{es,en}.yaml`), in the same YAML form, and are
//! compiled in: a site whose own files are broken, or that does not exist
//! yet (`init`), must still be told what is wrong in words it reads. A
//! message is a key and its arguments ([`Msg`]), put into words only when
//! printed, so one diagnostic can be shown in either language.

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The languages the tool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Lang {
    /// Spanish.
    Es,
    /// English.
    En,
}

impl Lang {
    /// The language's ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// `es`, `en`, or a locale such as `en_US.UTF-8` or `es-PE`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.split(['_', '-', '.', '@']).next()?;
        match base.to_ascii_lowercase().as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of the environment's locale, read the way POSIX
    /// programs read it: the first of `LC_ALL`, `LC_MESSAGES` and `LANG`
    /// that is set decides, even when it names a language the tool does not
    /// speak (then `None`).
    pub fn from_env() -> Option<Lang> {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::from_code(&v))
    }

    /// The language of a run: `--lang`, else the site's interface language,
    /// else the environment's locale, else Spanish, the language of most
    /// of the people who write and read these sites.
    pub fn choose(flag: Option<Lang>, site: Option<&str>) -> Lang {
        flag.or_else(|| site.and_then(Lang::from_code))
            .or_else(Lang::from_env)
            .unwrap_or(Lang::Es)
    }
}

/// A value put into a message: text as given, or a word of the catalogue
/// (such as `product`), said in the message's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MsgArg {
    /// Text as given.
    Text(String),
    /// A word of the catalogue's `words`, such as `product`.
    Word(&'static str),
    /// Another message, such as a "did you mean" inside an error.
    Nested(Box<Msg>),
}

/// A message before it is put into words: a key of the catalogues and its
/// arguments, or text that has no key (an operating system's error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// Text that has no key, such as an operating system's error.
    Plain(String),
    /// A key of the catalogues and the values of its placeholders.
    Keyed {
        /// The key, as `diag.unknown-partner`.
        key: &'static str,
        /// The placeholders' values, by name.
        args: Vec<(&'static str, MsgArg)>,
    },
}

impl Msg {
    /// The message of `key`, with no arguments yet.
    pub fn new(key: &'static str) -> Msg {
        Msg::Keyed {
            key,
            args: Vec::new(),
        }
    }

    /// Adds `{name}`, replaced by `value` as it is.
    pub fn arg(mut self, name: &'static str, value: impl std::fmt::Display) -> Msg {
        if let Msg::Keyed { args, .. } = &mut self {
            args.push((name, MsgArg::Text(value.to_string())));
        }
        self
    }

    /// Adds `{name}`, replaced by the catalogue's `words.<word>`.
    pub fn word(mut self, name: &'static str, word: &'static str) -> Msg {
        if let Msg::Keyed { args, .. } = &mut self {
            args.push((name, MsgArg::Word(word)));
        }
        self
    }

    /// Adds `{name}`, replaced by `msg` in the same language.
    pub fn nested(mut self, name: &'static str, msg: Msg) -> Msg {
        if let Msg::Keyed { args, .. } = &mut self {
            args.push((name, MsgArg::Nested(Box::new(msg))));
        }
        self
    }

    /// The message in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        Catalogue::get(lang).say(self)
    }
}

impl From<String> for Msg {
    fn from(s: String) -> Msg {
        Msg::Plain(s)
    }
}

impl From<&str> for Msg {
    fn from(s: &str) -> Msg {
        Msg::Plain(s.to_string())
    }
}

/// `msg!("diag.unknown-key", key = k)`: a [`Msg`] with its arguments.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::Msg::new($key)$(.arg(stringify!($name), $value))*
    };
}

const ES: &str = include_str!("../themes/default/i18n/tool.es.yaml");
const EN: &str = include_str!("../themes/default/i18n/tool.en.yaml");

/// One language's messages, as `section.key` to text.
#[derive(Debug)]
pub struct Catalogue {
    lang: Lang,
    strings: Map<String, Value>,
}

impl Catalogue {
    /// The compiled-in catalogue of `lang`, read once.
    pub fn get(lang: Lang) -> &'static Catalogue {
        static CATALOGUES: [OnceLock<Catalogue>; 2] = [OnceLock::new(), OnceLock::new()];
        let (slot, text) = match lang {
            Lang::Es => (&CATALOGUES[0], ES),
            Lang::En => (&CATALOGUES[1], EN),
        };
        slot.get_or_init(|| Catalogue::parse(lang, text))
    }

    fn parse(lang: Lang, text: &str) -> Catalogue {
        // Compiled in and checked by the tests below: a mistake here is
        // the tool's, and the messages fall back to their keys.
        let sections = crate::content::yaml::parse_mapping(text).unwrap_or_default();
        let mut strings = Map::new();
        for (section, keys) in sections {
            if let Value::Object(keys) = keys {
                for (key, value) in keys {
                    strings.insert(format!("{section}.{key}"), value);
                }
            }
        }
        Catalogue { lang, strings }
    }

    /// The language it speaks.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text of `key` with its placeholders left in, falling back to
    /// English, then to the key itself.
    pub fn template(&self, key: &str) -> String {
        let found = |c: &Catalogue| c.strings.get(key).and_then(Value::as_str).map(String::from);
        found(self)
            .or_else(|| (self.lang != Lang::En).then(|| found(Catalogue::get(Lang::En)))?)
            .unwrap_or_else(|| key.to_string())
    }

    /// Every key with its text, for the tests that compare the catalogues
    /// with each other and with the guide.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.strings
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
    }

    /// `msg` in this catalogue's words.
    pub fn say(&self, msg: &Msg) -> String {
        match msg {
            Msg::Plain(s) => s.clone(),
            Msg::Keyed { key, args } => {
                let mut text = self.template(key);
                for (name, value) in args {
                    let value = match value {
                        MsgArg::Text(s) => s.clone(),
                        MsgArg::Word(w) => self.template(&format!("words.{w}")),
                        MsgArg::Nested(m) => self.say(m),
                    };
                    text = text.replace(&format!("{{{name}}}"), &value);
                }
                text
            }
        }
    }

    /// `text` after a level's name, as `error: text` or `nota: text`, for
    /// lines that are not a file's diagnostic.
    pub fn leveled(&self, level: &str, text: &str) -> String {
        format!("{}: {text}", self.template(&format!("levels.{level}")))
    }

    /// Whether `text` is one of this catalogue's messages, its
    /// placeholders standing for any text: how the guide's quotes are
    /// checked against what the tool prints.
    pub fn says(&self, text: &str) -> bool {
        self.strings
            .values()
            .filter_map(Value::as_str)
            .any(|template| fits(template, text))
    }

    /// `n` and the noun `counts.<noun>_one` or `counts.<noun>_many`, as
    /// "1 error" or "2 avisos".
    pub fn count(&self, n: usize, noun: &str) -> String {
        let form = if n == 1 { "one" } else { "many" };
        let word = self.template(&format!("counts.{noun}_{form}"));
        format!("{n} {word}")
    }
}

/// Whether `text` is `template` with some text in place of each of its
/// placeholders.
pub fn fits(template: &str, text: &str) -> bool {
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = template;
    for name in placeholders(template) {
        let at = rest.find(&format!("{{{name}}}")).unwrap_or(rest.len());
        pieces.push(&rest[..at]);
        rest = rest.get(at + name.len() + 2..).unwrap_or("");
    }
    pieces.push(rest);
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if pieces.len() == 1 {
        return text == first;
    }
    let Some(mut text) = text.strip_prefix(first) else {
        return false;
    };
    for piece in &pieces[1..pieces.len() - 1] {
        // A placeholder stands for at least one character.
        let skip = text.chars().next().map_or(0, char::len_utf8);
        match text[skip..].find(piece) {
            Some(at) if skip > 0 => text = &text[skip + at + piece.len()..],
            _ => return false,
        }
    }
    text.len() > last.len() && text.ends_with(last)
}

/// The placeholders of a template, `{name}`, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        match rest.find('}') {
            Some(close)
                if close > 0
                    && rest[..close]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                found.push(&rest[..close]);
                rest = &rest[close + 1..];
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys_and_placeholders() {
        let (es, en) = (Catalogue::get(Lang::Es), Catalogue::get(Lang::En));
        assert!(en.entries().count() > 100, "the English catalogue is read");
        for (a, b) in [(es, en), (en, es)] {
            for (key, text) in a.entries() {
                let other = b.strings.get(key).and_then(Value::as_str);
                let other = other.unwrap_or_else(|| panic!("`{key}` missing in {:?}", b.lang));
                let (mut p, mut q) = (placeholders(text), placeholders(other));
                p.sort_unstable();
                q.sort_unstable();
                assert_eq!(p, q, "placeholders of `{key}`");
            }
        }
    }

    /// Every key the source names is in the catalogue: a misspelt key
    /// would print itself.
    #[test]
    fn every_key_in_the_source_is_in_the_catalogue() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let en = Catalogue::get(Lang::En);
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            for opener in ["msg!(", "Msg::new("] {
                for (i, _) in text.match_indices(opener) {
                    let Some(rest) = text[i + opener.len()..].trim_start().strip_prefix('"') else {
                        continue;
                    };
                    let key = &rest[..rest.find('"').unwrap()];
                    let is_key = |c: char| c.is_ascii_lowercase() || c == '.' || c == '-';
                    if !key.contains('.') || !key.chars().all(is_key) {
                        continue;
                    }
                    if !en.strings.contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys without a message: {missing:#?}");
    }

    #[test]
    fn messages_are_said_in_either_language_with_their_words() {
        let m = crate::msg!("diag.unknown-id", id = "care-peu").word("what", "partner");
        assert_eq!(m.say(Lang::En), "unknown partner `care-peu`");
        assert_eq!(m.say(Lang::Es), "socio desconocido: `care-peu`");
        let es = Catalogue::get(Lang::Es);
        assert_eq!(
            format!("{}, {}", es.count(1, "errors"), es.count(2, "warnings")),
            "1 error, 2 avisos"
        );
        assert_eq!(Catalogue::get(Lang::En).count(1, "warnings"), "1 warning");
    }

    #[test]
    fn the_language_is_the_flag_then_the_site_then_the_locale() {
        assert_eq!(Lang::from_code("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_code("es-PE"), Some(Lang::Es));
        assert_eq!(Lang::from_code("C.UTF-8"), None);
        assert_eq!(Lang::choose(Some(Lang::En), Some("es")), Lang::En);
        assert_eq!(Lang::choose(None, Some("en")), Lang::En);
        assert_eq!(Lang::choose(None, Some("es")), Lang::Es);
    }

    #[test]
    fn a_text_fits_a_template_with_anything_for_its_placeholders() {
        assert!(fits("unknown {what} `{id}`", "unknown partner `care-peu`"));
        assert!(fits(
            "{files}: {rendered}, {written}",
            "a.md: 1 page, 2 files"
        ));
        assert!(!fits("unknown {what} `{id}`", "unknown partner care-peu"));
        assert!(!fits("unknown {what} `{id}`", "unknown `x`"));
        assert!(fits("a {x} b {y}", "a Ñandú b ü"));
        assert!(!fits("a {x} b {y}", "a  b ü"));
        assert!(fits("indent with spaces", "indent with spaces"));
        assert!(!fits("indent with spaces", "indent with tabs"));
        let es = Catalogue::get(Lang::Es);
        assert!(es.says("socio desconocido: `care-peu`"));
        assert!(!es.says("unknown partner `care-peu`"));
        assert!(Catalogue::get(Lang::En).says("unknown partner `care-peu`"));
    }

    #[test]
    fn placeholders_are_names_in_braces() {
        assert_eq!(
            placeholders("a `{ id: x }` {key} in {what}{"),
            ["key", "what"]
        );
    }
}
