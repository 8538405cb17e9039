//! The one door to YAML. Front matter, `site.yaml` and registries are parsed
//! here into `serde_json` values, so the YAML crate can be swapped by editing
//! this file alone. It also owns [`Locator`], which finds where a key or a
//! list item sits in the YAML text so that later checks can point at it.

use std::ops::Range;

use serde_json::{Map, Value};

/// A YAML syntax error with its byte offset in the parsed text, if known.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub(crate) message: String,
    pub(crate) offset: Option<usize>,
    /// A key written twice in one mapping (the error is at the second).
    pub twice: Option<String>,
    /// The offset of its first occurrence, when the layout tells it.
    pub earlier: Option<usize>,
}

/// Parses a YAML document that must be a mapping (or empty).
pub fn parse_mapping(text: &str) -> Result<Map<String, Value>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    let de = serde_yaml_ng::Deserializer::from_str(text);
    let value: Value = serde::de::DeserializeSeed::deserialize(Unique, de).map_err(|e| {
        let offset = e.location().map(|l| l.index());
        // The crate appends " at line X column Y"; we show positions ourselves.
        let mut message = e.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        // A nested key's message starts with the path to its mapping.
        let twice = message
            .find("key `")
            .and_then(|i| message[i + 5..].strip_suffix(TWICE))
            .map(str::to_string);
        let earlier = twice
            .as_deref()
            .zip(offset)
            .and_then(|(key, at)| first_of(text, key, at));
        YamlError {
            message,
            offset,
            twice,
            earlier,
        }
    })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(YamlError {
            message: format!(
                "expected `key: value` lines, found {}",
                crate::content::yaml::describe(&other)
            ),
            offset: Some(0),
            twice: None,
            earlier: None,
        }),
    }
}

/// How a key written twice is reported, after "key `" and the key.
const TWICE: &str = "` written twice";

/// Where `key` was first written before `at` (the second occurrence's
/// offset), at the same indentation: a block mapping's earlier line.
fn first_of(text: &str, key: &str, at: usize) -> Option<usize> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let col = at - line_start;
    let mut pos = 0;
    for line in text[..line_start].split_inclusive('\n') {
        let rest = line.get(col..).unwrap_or("");
        let head = &line[..col.min(line.len())];
        let bare = rest.strip_prefix('"').unwrap_or(rest);
        let plain = head.chars().all(|c| c == ' ' || c == '-');
        if plain
            && let Some(after) = bare.strip_prefix(key)
            && after.trim_start_matches('"').trim_start().starts_with(':')
        {
            return Some(pos + col);
        }
        pos += line.len();
    }
    None
}

/// Reads YAML into JSON values as `serde_json` would, but refuses a key
/// written twice in one mapping, which YAML forbids and serde would let
/// the later value win in silence.
#[derive(Clone, Copy)]
struct Unique;

impl<'de> serde::de::DeserializeSeed<'de> for Unique {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Unique {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| Value::from(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| Value::from(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element_seed(self)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(NewKey(&out))? {
            let value = map.next_value_seed(self)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A mapping's key, refused when the mapping already has it: the error
/// is raised while the key is read, so the parser places it at the key.
struct NewKey<'m>(&'m Map<String, Value>);

impl<'de> serde::de::DeserializeSeed<'de> for NewKey<'_> {
    type Value = String;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        // As `serde_json` reads keys: as text, whatever their YAML type.
        d.deserialize_string(self)
    }
}

impl<'de> serde::de::Visitor<'de> for NewKey<'_> {
    type Value = String;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        self.visit_string(v.to_string())
    }
    fn visit_string<E: serde::de::Error>(self, key: String) -> Result<String, E> {
        if self.0.contains_key(&key) {
            return Err(E::custom(format!("key `{key}{TWICE}")));
        }
        Ok(key)
    }
}

/// Serializes a value as YAML (used by `ayni new` and `ayni init`).
pub fn to_string<T: serde::Serialize>(value: &T) -> String {
    serde_yaml_ng::to_string(value).unwrap_or_default()
}

/// "a string", "a list", ... for messages about wrong types.
pub fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map of keys",
    }
}

/// Finds spans of keys, values and list items in a YAML mapping's text.
///
/// YAML libraries behind serde do not expose positions of values, so this
/// reads the layout that front matter actually uses (top-level keys at
/// column 0, block or flow lists, maps in items). When the layout is
/// unusual it falls back to the enclosing key, which still names the line.
pub struct Locator<'a> {
    text: &'a str,
    base: usize,
    lines: Vec<(usize, &'a str)>,
    /// The items of each list value already found: every item of a list is
    /// asked for, and finding them all for each would cost the square of
    /// the list's length (a product naming 10,000 partners).
    items: std::sync::Mutex<std::collections::HashMap<String, Option<Vec<Range<usize>>>>>,
}

impl<'a> Locator<'a> {
    /// `base` is the offset of `text` in the whole file.
    pub fn new(text: &'a str, base: usize) -> Self {
        let mut lines = Vec::new();
        let mut pos = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            lines.push((pos, content));
            pos += line.len();
        }
        Locator {
            text,
            base,
            lines,
            items: Default::default(),
        }
    }

    /// The whole front matter, for errors about it as a whole.
    pub fn all(&self) -> Range<usize> {
        self.base..self.base + self.text.trim_end().len()
    }

    fn key_line(&self, key: &str) -> Option<usize> {
        self.lines.iter().position(|(_, l)| {
            let l = l.strip_prefix('"').unwrap_or(l);
            l.strip_prefix(key)
                .map(|rest| {
                    let rest = rest.strip_prefix('"').unwrap_or(rest);
                    rest.trim_start().starts_with(':')
                })
                .unwrap_or(false)
        })
    }

    /// Span of a top-level key's name.
    pub fn key(&self, key: &str) -> Option<Range<usize>> {
        let i = self.key_line(key)?;
        let (start, line) = self.lines[i];
        let len = line.find(':').unwrap_or(key.len());
        let name = line[..len].trim_end();
        Some(self.base + start..self.base + start + name.len())
    }

    /// Span of a key's value: the rest of its line, or its indented block.
    pub fn value(&self, key: &str) -> Option<Range<usize>> {
        let i = self.key_line(key)?;
        let (start, line) = self.lines[i];
        let colon = line.find(':')?;
        let inline = strip_comment(&line[colon + 1..]);
        let lead = inline.len() - inline.trim_start().len();
        let inline_t = inline.trim();
        if !inline_t.is_empty() {
            let s = start + colon + 1 + lead;
            return Some(self.base + s..self.base + s + inline_t.len());
        }
        let block = self.block(i);
        if block.is_empty() {
            return self.key(key);
        }
        let first = block.first()?;
        let last = block.last()?;
        let s = self.lines[*first].0 + indent(self.lines[*first].1);
        let e = self.lines[*last].0 + self.lines[*last].1.len();
        Some(self.base + s..self.base + e)
    }

    /// Non-blank lines belonging to the value of the key at line `i`.
    fn block(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for j in i + 1..self.lines.len() {
            let l = self.lines[j].1;
            if l.trim().is_empty() || l.trim_start().starts_with('#') {
                continue;
            }
            if indent(l) == 0 && !l.starts_with('-') {
                break;
            }
            out.push(j);
        }
        out
    }

    /// Span of the `n`-th item of a list value.
    pub fn item(&self, key: &str, n: usize) -> Option<Range<usize>> {
        let mut known = self.items.lock().unwrap_or_else(|e| e.into_inner());
        if !known.contains_key(key) {
            known.insert(key.to_string(), self.items(key));
        }
        known.get(key)?.as_ref()?.get(n).cloned()
    }

    fn items(&self, key: &str) -> Option<Vec<Range<usize>>> {
        let value = self.value(key)?;
        let vtext = &self.text[value.start - self.base..value.end - self.base];
        if vtext.starts_with('[') {
            return Some(
                flow_items(vtext)
                    .into_iter()
                    .map(|r| r.start + value.start..r.end + value.start)
                    .collect(),
            );
        }
        let i = self.key_line(key)?;
        let block = self.block(i);
        let item_indent = block
            .iter()
            .filter(|&&j| is_item(self.lines[j].1))
            .map(|&j| indent(self.lines[j].1))
            .min()?;
        let mut items: Vec<Range<usize>> = Vec::new();
        for &j in &block {
            let (start, line) = self.lines[j];
            if indent(line) == item_indent && is_item(line) {
                let after = item_indent + 1;
                let rest = &line[after..];
                let lead = rest.len() - rest.trim_start().len();
                let s = start + after + lead;
                let e = start + strip_comment(line).trim_end().len();
                items.push(self.base + s..self.base + e.max(s));
            } else if let Some(last) = items.last_mut() {
                last.end = self.base + start + strip_comment(line).trim_end().len();
            }
        }
        Some(items)
    }

    /// Span of `field`'s value inside the `n`-th item of a list of maps,
    /// falling back to the item, then to the key.
    pub fn item_field(&self, key: &str, n: usize, field: &str) -> Option<Range<usize>> {
        let item = self.item(key, n)?;
        let itext = &self.text[item.start - self.base..item.end - self.base];
        find_field(itext, field)
            .map(|r| item.start + r.start..item.start + r.end)
            .or(Some(item))
    }

    /// Span of `field`'s value in a nested map value (`source: {journal: x}`).
    pub fn field(&self, key: &str, field: &str) -> Option<Range<usize>> {
        let value = self.value(key)?;
        let vtext = &self.text[value.start - self.base..value.end - self.base];
        find_field(vtext, field)
            .map(|r| value.start + r.start..value.start + r.end)
            .or(Some(value))
    }

    /// Best span for a path of key, optional item index, optional field.
    pub fn find(&self, key: &str, item: Option<usize>, field: Option<&str>) -> Range<usize> {
        let found = match (item, field) {
            (Some(n), Some(f)) => self.item_field(key, n, f),
            (Some(n), None) => self.item(key, n),
            (None, Some(f)) => self.field(key, f),
            (None, None) => self.value(key),
        };
        found
            .or_else(|| self.key(key))
            .unwrap_or(self.base..self.base)
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t == "-" || t.starts_with("- ")
}

/// Cuts a trailing ` # comment`, leaving `#` inside quotes alone.
fn strip_comment(s: &str) -> &str {
    let mut quote = None;
    let mut prev_space = true;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev_space => return &s[..i],
            _ => {}
        }
        prev_space = c.is_whitespace();
    }
    s
}

/// Items of a flow list `[a, {b: c}, "d, e"]`, as spans into `s`.
fn flow_items(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote = None;
    let mut start = 1;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    push_trimmed(&mut out, s, start..i);
                    break;
                }
            }
            (None, ',') if depth == 1 => {
                push_trimmed(&mut out, s, start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, s: &str, r: Range<usize>) {
    let part = &s[r.clone()];
    let lead = part.len() - part.trim_start().len();
    let t = part.trim();
    if !t.is_empty() {
        out.push(r.start + lead..r.start + lead + t.len());
    }
}

/// Span of `field`'s value in a flow map `{id: x, role: y}` or block map.
fn find_field(s: &str, field: &str) -> Option<Range<usize>> {
    if field.is_empty() {
        // An empty key (`"": x`) would match everywhere and never advance.
        return None;
    }
    let mut search = 0;
    while let Some(found) = s[search..].find(field) {
        let at = search + found;
        search = at + field.len();
        let before_ok = at == 0
            || matches!(
                s[..at].chars().next_back(),
                Some('{' | ',' | ' ' | '\n' | '"' | '\'')
            );
        let rest = &s[at + field.len()..];
        let rest_t = rest.trim_start_matches(['"', '\'']).trim_start();
        if !before_ok || !rest_t.starts_with(':') {
            continue;
        }
        let colon = at + field.len() + (rest.len() - rest_t.len()) + 1;
        let after = &s[colon..];
        let end_rel = after
            .find(['\n', ',', '}'])
            .map(|e| {
                // A comma inside brackets belongs to the value (`role: [a, b]`).
                if after.trim_start().starts_with('[') {
                    after.find(']').map(|b| b + 1).unwrap_or(e)
                } else {
                    e
                }
            })
            .unwrap_or(after.len());
        let val = &after[..end_rel];
        let lead = val.len() - val.trim_start().len();
        let t = strip_comment(val.trim_start()).trim_end();
        if t.is_empty() {
            return Some(at..at + field.len());
        }
        return Some(colon + lead..colon + lead + t.len());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FM: &str = "title: \"Hola\"\npartners:\n  - aap\n  - { id: care-peu, role: sponsor }\ntopics: [uno, \"dos, tres\", cuatro]  # c\nsource:\n  journal: KM4D\n";

    fn at(r: Range<usize>) -> &'static str {
        &FM[r]
    }

    #[test]
    fn finds_keys_values_and_items() {
        let l = Locator::new(FM, 0);
        assert_eq!(at(l.key("partners").unwrap()), "partners");
        assert_eq!(at(l.value("title").unwrap()), "\"Hola\"");
        assert_eq!(at(l.item("partners", 0).unwrap()), "aap");
        assert_eq!(
            at(l.item("partners", 1).unwrap()),
            "{ id: care-peu, role: sponsor }"
        );
        assert_eq!(at(l.item_field("partners", 1, "id").unwrap()), "care-peu");
        assert_eq!(at(l.item_field("partners", 1, "role").unwrap()), "sponsor");
        assert_eq!(at(l.item("topics", 1).unwrap()), "\"dos, tres\"");
        assert_eq!(at(l.item("topics", 2).unwrap()), "cuatro");
        assert_eq!(at(l.field("source", "journal").unwrap()), "KM4D");
    }

    #[test]
    fn block_items_with_maps() {
        let fm = "authors:\n- name: Ana\n  orcid: 1234\n- Luis\n";
        let l = Locator::new(fm, 10);
        let r = l.item_field("authors", 0, "orcid").unwrap();
        assert_eq!(&fm[r.start - 10..r.end - 10], "1234");
        let r = l.item("authors", 1).unwrap();
        assert_eq!(&fm[r.start - 10..r.end - 10], "Luis");
    }

    #[test]
    fn empty_field_names_do_not_hang() {
        let l = Locator::new("partners:\n  - { \"\": x }\n", 0);
        assert!(l.item_field("partners", 0, "").is_some());
    }

    #[test]
    fn parse_reports_offset() {
        let e = parse_mapping("title: x\n  bad: [\n").unwrap_err();
        assert!(e.offset.is_some());
        assert!(!e.message.contains(" at line "));
        assert!(parse_mapping("- a\n- b\n").is_err());
        assert!(parse_mapping("").unwrap().is_empty());
    }
}
