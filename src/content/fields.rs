//! Typed reading of one YAML mapping (front matter or `site.yaml`), key by
//! key, so that every wrong key and value in a file is reported, each at its
//! own position, instead of stopping at the first.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::content::yaml::{Locator, describe};
use crate::diagnostics::{Diagnostic, SourceFile, did_you_mean};
use crate::model::date::PartialDate;
use crate::msg;

pub struct Fields<'a> {
    pub file: &'a SourceFile,
    pub map: Map<String, Value>,
    pub loc: Locator<'a>,
    pub diags: Vec<Diagnostic>,
    /// Span used for errors about keys that are missing.
    pub anchor: std::ops::Range<usize>,
}

impl<'a> Fields<'a> {
    /// Checks keys against `allowed`, reporting unknown ones with a suggestion.
    pub fn new(
        file: &'a SourceFile,
        map: Map<String, Value>,
        loc: Locator<'a>,
        allowed: &[&str],
        what: &'static str,
    ) -> Self {
        let all = loc.all();
        let anchor = all.start.saturating_sub(4)..all.start.saturating_sub(1);
        let mut fields = Fields {
            file,
            map,
            loc,
            diags: Vec::new(),
            anchor,
        };
        let unknown: Vec<String> = fields
            .map
            .keys()
            .filter(|k| !allowed.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in unknown {
            let suggestion = did_you_mean(&key, allowed.iter().copied());
            let span = fields.loc.key(&key).unwrap_or(fields.anchor.clone());
            let d = Diagnostic::error(
                "unknown-key",
                msg!("diag.unknown-key", key = &key).word("what", what),
            )
            .at(file, span)
            .label(msg!("diag.unknown-key.label").word("what", what))
            .suggest(suggestion)
            .help(msg!("diag.unknown-key.help", keys = allowed.join(", ")).word("what", what));
            fields.diags.push(d);
            fields.map.remove(&key);
        }
        fields
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn span(
        &self,
        key: &str,
        item: Option<usize>,
        field: Option<&str>,
    ) -> std::ops::Range<usize> {
        self.loc.find(key, item, field)
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some_and(|v| !v.is_null())
    }

    pub fn raw(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn missing(&mut self, key: &str, what: &'static str, example: &str) {
        let d = Diagnostic::error("missing-key", msg!("diag.missing-key", key = key))
            .at(self.file, self.anchor.clone())
            .label(msg!("diag.missing-key.label", key = key).word("what", what))
            .help(msg!("diag.missing-key.help", key = key, example = example));
        self.diags.push(d);
    }

    /// A value of any deserializable type; wrong types are reported.
    pub fn get<T: DeserializeOwned>(&mut self, key: &str, expected: &'static str) -> Option<T> {
        let v = self.raw(key)?.clone();
        match serde_json::from_value::<T>(v.clone()) {
            Ok(t) => Some(t),
            Err(_) => {
                let span = self.span(key, None, None);
                let d = Diagnostic::error(
                    "wrong-type",
                    msg!("diag.wrong-type", key = key).word("expected", expected),
                )
                .at(self.file, span)
                .label(found(&v));
                self.diags.push(d);
                None
            }
        }
    }

    /// Text; numbers and booleans are accepted as their text, since YAML
    /// reads `volume: 10` as a number.
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.raw(key)?.clone() {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                let span = self.span(key, None, None);
                self.diags.push(
                    Diagnostic::error("wrong-type", msg!("diag.wrong-type.text", key = key))
                        .at(self.file, span)
                        .label(found(&other)),
                );
                None
            }
        }
    }

    /// Required, non-empty text.
    pub fn required_string(
        &mut self,
        key: &str,
        what: &'static str,
        example: &str,
    ) -> Option<String> {
        if !self.has(key) {
            self.missing(key, what, example);
            return None;
        }
        let s = self.string(key)?;
        if s.trim().is_empty() {
            let span = self.span(key, None, None);
            self.diags.push(
                Diagnostic::error("empty-value", msg!("diag.empty-value", key = key))
                    .at(self.file, span)
                    .label(msg!("diag.empty-value.label"))
                    .help(msg!("diag.empty-value.help", key = key, example = example)),
            );
            return None;
        }
        Some(s.trim().to_string())
    }

    /// One of a closed list of words.
    pub fn choice(&mut self, key: &str, allowed: &[&str]) -> Option<String> {
        let s = self.string(key)?;
        self.check_choice(&s, key, None, None, allowed)
    }

    pub fn check_choice(
        &mut self,
        s: &str,
        key: &str,
        item: Option<usize>,
        field: Option<&str>,
        allowed: &[&str],
    ) -> Option<String> {
        if allowed.contains(&s) {
            return Some(s.to_string());
        }
        let span = self.span(key, item, field);
        let name = field.unwrap_or(key);
        self.diags.push(
            Diagnostic::error(
                "unknown-value",
                msg!(
                    "diag.unknown-value",
                    name = name.trim_end_matches('s'),
                    value = s
                ),
            )
            .at(self.file, span)
            .label(msg!(
                "diag.unknown-value.label",
                allowed = allowed.join(", ")
            ))
            .suggest(did_you_mean(s, allowed.iter().copied())),
        );
        None
    }

    /// A list of text; a single value is read as a list of one.
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let Some(v) = self.raw(key).cloned() else {
            return Vec::new();
        };
        let items = match v {
            Value::Array(items) => items,
            other => vec![other],
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            match item {
                Value::String(s) => out.push(s),
                Value::Number(n) => out.push(n.to_string()),
                other => {
                    let span = self.span(key, Some(i), None);
                    self.diags.push(
                        Diagnostic::error("wrong-type", msg!("diag.wrong-type.items", key = key))
                            .at(self.file, span)
                            .label(found(&other)),
                    );
                }
            }
        }
        out
    }

    pub fn bool(&mut self, key: &str) -> bool {
        self.get::<bool>(key, "true or false").unwrap_or(false)
    }

    pub fn date(&mut self, key: &str) -> Option<PartialDate> {
        let s = self.string(key)?;
        match PartialDate::parse(&s) {
            Ok(d) => Some(d),
            Err(msg) => {
                let span = self.span(key, None, None);
                self.diags.push(
                    Diagnostic::error("bad-date", msg)
                        .at(self.file, span)
                        .label(msg!("diag.bad-date.label")),
                );
                None
            }
        }
    }

    /// Reports a value that is not safe or not allowed in a URL field.
    pub fn url(&mut self, key: &str) -> Option<String> {
        let s = self.string(key)?;
        let lower = s.trim().to_ascii_lowercase();
        if lower.starts_with("javascript:")
            || lower.starts_with("data:")
            || lower.starts_with("vbscript:")
        {
            let span = self.span(key, None, None);
            self.diags.push(
                Diagnostic::error("unsafe-url", msg!("diag.unsafe-url.address", key = key))
                    .at(self.file, span)
                    .label(msg!("diag.unsafe-url.address-label")),
            );
            return None;
        }
        Some(s.trim().to_string())
    }

    pub fn finish(self) -> Vec<Diagnostic> {
        self.diags
    }
}

/// "found a list": what a value of the wrong type is, as a label.
pub fn found(v: &Value) -> crate::messages::Msg {
    msg!("diag.found").word("what", describe(v))
}
