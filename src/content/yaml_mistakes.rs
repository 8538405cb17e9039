//! The editor's mistake behind a YAML syntax error.
//!
//! The YAML parser reports where it gave up, which is often lines after the
//! mistake: an unclosed quote swallows the next key and the parser stops at
//! the key after that. This module reads the layout of the text the way an
//! editor wrote it (one `key: value` per line, lists and flow lists) and
//! names the common mistakes at the character where they are, with advice
//! for that mistake alone. What it does not recognise keeps the parser's
//! message and position.

use std::ops::Range;

use crate::messages::Msg;
use crate::msg;

/// One mistake, with its span in the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    /// The diagnostic code, stable for tools.
    pub code: &'static str,
    pub span: Range<usize>,
    pub message: Msg,
    pub label: Option<Msg>,
    pub help: Msg,
}

/// The mistake that made the parser fail with `message` at `offset`.
pub fn explain(yaml: &str, offset: Option<usize>, message: &str) -> Mistake {
    let lines = lines(yaml);
    // The mistake is on the line where the parser stopped or before it.
    let limit = offset.map_or(yaml.len(), |o| {
        yaml[o.min(yaml.len())..]
            .find('\n')
            .map_or(yaml.len(), |i| o + i)
    });
    let found = [
        tab_indent(yaml),
        unclosed_quote(yaml, &lines),
        text_after_quote(&lines),
        unclosed_bracket(yaml, &lines),
        colon_in_value(&lines),
        no_space_after_colon(&lines),
        list_indent(&lines),
        stray_line(&lines),
    ];
    found
        .into_iter()
        .flatten()
        .filter(|m| m.span.start <= limit)
        .min_by_key(|m| m.span.start)
        .unwrap_or_else(|| parser_error(yaml, offset, message))
}

/// The first line indented with a tab, which YAML forbids.
pub fn tab_indent(yaml: &str) -> Option<Mistake> {
    // Asked of every front matter: most have no tab at all.
    if !yaml.contains('\t') {
        return None;
    }
    lines(yaml).into_iter().find_map(|(start, line)| {
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        let tab = line[..lead].find('\t')?;
        Some(Mistake {
            code: "tab-indent",
            span: start + tab..start + tab + 1,
            message: msg!("diag.tab-indent"),
            label: Some(msg!("diag.tab-indent.label")),
            help: msg!("diag.tab-indent.help"),
        })
    })
}

/// Where the text of the page seems to start in a front matter that is
/// never closed: the first line that is neither a key, a list item, a
/// comment nor indented, or the heading just above it.
pub fn body_start(yaml: &str) -> Option<Range<usize>> {
    let lines = lines(yaml);
    let first = first_stray(&lines)?;
    // A Markdown heading is a YAML comment: step back over it.
    let mut at = first;
    let mut j = first;
    while j > 0 && lines[j - 1].1.trim().is_empty() {
        j -= 1;
    }
    if j > 0 && lines[j - 1].1.starts_with("# ") && (j < 2 || lines[j - 2].1.trim().is_empty()) {
        at = j - 1;
    }
    let (start, line) = lines[at];
    Some(start..start + line.trim_end().len())
}

/// The first line that is neither a key, a list item, a comment nor
/// indented: what no front matter holds.
fn first_stray(lines: &[(usize, &str)]) -> Option<usize> {
    lines.iter().position(|(_, l)| {
        let t = l.trim_end();
        !t.is_empty()
            && indent(t) == 0
            && key_of(t).is_none()
            && !t.starts_with(['#', '"', '\'', '[', '{', '?', '&', '*'])
            && !t.starts_with("- ")
            && t != "-"
            && t != "---"
            && t != "..."
    })
}

/// A line that is not `key: value`, such as text of the page above a
/// missing closing `---`.
fn stray_line(lines: &[(usize, &str)]) -> Option<Mistake> {
    let (start, line) = lines[first_stray(lines)?];
    Some(Mistake {
        code: "no-key",
        span: start..start + line.trim_end().len(),
        message: msg!("diag.no-key"),
        label: Some(msg!("diag.no-key.label")),
        help: msg!("diag.no-key.help"),
    })
}

/// Lines with their offsets, without their line ends.
fn lines(yaml: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        out.push((pos, line.trim_end_matches(['\n', '\r'])));
        pos += line.len();
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The name of a `key:` line (letters, digits, `_` and `-`), and the offset
/// in the line of its colon.
fn key_of(line: &str) -> Option<(&str, usize)> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    let end = t.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
    let name = &t[..end];
    if name.is_empty() || name.starts_with('-') || !t[end..].starts_with(':') {
        return None;
    }
    Some((name, lead + end))
}

/// Offset in the line where the value of a `key: value` or `- value` line
/// starts, if it has one on the line.
fn value_start(line: &str) -> Option<usize> {
    let after = match key_of(line) {
        Some((_, colon)) => {
            let rest = &line[colon + 1..];
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            colon + 1
        }
        None => {
            let t = line.trim_start();
            t.strip_prefix("- ")?;
            line.len() - t.len() + 2
        }
    };
    let rest = &line[after..];
    let lead = rest.len() - rest.trim_start().len();
    (after + lead < line.len()).then_some(after + lead)
}

/// Whether `line` starts a key at or left of column `col`: where a value
/// opened above must have ended.
fn ends_value(line: &str, col: usize) -> bool {
    key_of(line).is_some() && indent(line) <= col
}

/// The end (exclusive, in `text`) of a quoted scalar opening at 0.
fn closing_quote(text: &str) -> Option<usize> {
    let quote = text.chars().next()?;
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            ('"', '\\') => {
                chars.next();
            }
            ('\'', '\'') if chars.peek().is_some_and(|(_, n)| *n == '\'') => {
                chars.next();
            }
            (q, c) if c == q => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The first value that opens with one of `openers` and is not closed
/// where `end` says (its end missing, or lines of later keys swallowed
/// before it): the opener's position in `yaml` and the opener.
fn unclosed_opener(
    yaml: &str,
    lines: &[(usize, &str)],
    openers: [char; 2],
    end: fn(&str) -> Option<usize>,
) -> Option<(usize, char)> {
    for (n, &(start, line)) in lines.iter().enumerate() {
        let Some(v) = value_start(line) else { continue };
        let Some(open) = line[v..].chars().next().filter(|c| openers.contains(c)) else {
            continue;
        };
        let at = start + v;
        let close = end(&yaml[at..]).map(|e| at + e);
        let col = indent(line);
        let swallowed = lines[n + 1..]
            .iter()
            .take_while(|(s, _)| close.is_none_or(|e| *s < e))
            .any(|(_, l)| ends_value(l, col));
        if close.is_none() || swallowed {
            return Some((at, open));
        }
    }
    None
}

fn unclosed_quote(yaml: &str, lines: &[(usize, &str)]) -> Option<Mistake> {
    let (at, quote) = unclosed_opener(yaml, lines, ['"', '\''], closing_quote)?;
    Some(Mistake {
        code: "unclosed-quote",
        span: at..at + 1,
        message: msg!("diag.unclosed-quote", quote = quote),
        label: Some(msg!("diag.unclosed-quote.label")),
        help: msg!("diag.unclosed-quote.help", quote = quote),
    })
}

/// A quoted value followed by more text: a quote inside the quotes.
fn text_after_quote(lines: &[(usize, &str)]) -> Option<Mistake> {
    lines.iter().find_map(|&(start, line)| {
        let v = value_start(line)?;
        let quote = line[v..]
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''))?;
        let end = v + closing_quote(&line[v..])?;
        let rest = line[end..].trim_start();
        if rest.is_empty() || rest.starts_with('#') {
            return None;
        }
        let other = if quote == '"' { '\'' } else { '"' };
        Some(Mistake {
            code: "text-after-quote",
            span: start + end - 1..start + end,
            message: msg!("diag.text-after-quote", quote = quote),
            label: Some(msg!("diag.text-after-quote.label", quote = quote)),
            help: msg!("diag.text-after-quote.help", quote = quote, other = other),
        })
    })
}

fn unclosed_bracket(yaml: &str, lines: &[(usize, &str)]) -> Option<Mistake> {
    let (at, open) = unclosed_opener(yaml, lines, ['[', '{'], flow_end)?;
    let (close, what) = if open == '[' {
        (']', "yaml-list")
    } else {
        ('}', "yaml-map")
    };
    Some(Mistake {
        code: "unclosed-bracket",
        span: at..at + 1,
        message: msg!("diag.unclosed-bracket", open = open),
        label: Some(msg!("diag.unclosed-bracket.label", open = open).word("what", what)),
        help: msg!("diag.unclosed-bracket.help", close = close).word("what", what),
    })
}

/// The end (exclusive) of a flow collection opening at 0 in `text`.
fn flow_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' => {
                let len = closing_quote(&text[i..])?;
                // Skip the quoted text; the closing quote is consumed too.
                for _ in text[i + 1..i + len].chars() {
                    chars.next();
                }
            }
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// `title: Gestión: una guía`: a `: ` inside a value without quotes.
fn colon_in_value(lines: &[(usize, &str)]) -> Option<Mistake> {
    lines.iter().find_map(|&(start, line)| {
        let (key, colon) = key_of(line)?;
        let v = value_start(line).filter(|&v| v > colon)?;
        let value = line[v..].trim_end();
        if value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '#']) {
            return None;
        }
        let value = value.split(" #").next().unwrap_or(value);
        let inner = value
            .find(": ")
            .or_else(|| value.ends_with(':').then(|| value.len() - 1))?;
        let at = start + v + inner;
        let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
        Some(Mistake {
            code: "colon-in-value",
            span: at..at + 1,
            message: msg!("diag.colon-in-value", key = key),
            label: Some(msg!("diag.colon-in-value.label")),
            help: msg!("diag.colon-in-value.help", key = key, quoted = quoted),
        })
    })
}

/// `kind:study`: a key whose colon has no space after it.
fn no_space_after_colon(lines: &[(usize, &str)]) -> Option<Mistake> {
    lines.iter().find_map(|&(start, line)| {
        let t = line.trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let lead = line.len() - t.len();
        let (key, colon) = key_of(t)?;
        let next = t[colon + 1..].chars().next()?;
        if next.is_whitespace() || next == '/' || next == ':' {
            return None;
        }
        let value = t[colon + 1..].trim_end();
        Some(Mistake {
            code: "no-space-after-colon",
            span: start + lead + colon..start + lead + colon + 1,
            message: msg!("diag.no-space-after-colon", key = key),
            label: Some(msg!("diag.no-space-after-colon.label")),
            help: msg!("diag.no-space-after-colon.help", key = key, value = value),
        })
    })
}

/// A list item to the left of the items above it in the same list.
fn list_indent(lines: &[(usize, &str)]) -> Option<Mistake> {
    let is_item = |l: &str| {
        let t = l.trim_start();
        t == "-" || t.starts_with("- ")
    };
    let mut first: Option<usize> = None;
    for &(start, line) in lines {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !is_item(line) {
            if key_of(line).is_some_and(|_| indent(line) == 0) {
                first = None;
            }
            continue;
        }
        let col = indent(line);
        match first {
            None => first = Some(col),
            Some(f) if col < f => {
                return Some(Mistake {
                    code: "list-indent",
                    span: start + col..start + col + 1,
                    message: msg!("diag.list-indent"),
                    label: Some(msg!("diag.list-indent.label", col = col + 1, first = f + 1)),
                    help: msg!("diag.list-indent.help"),
                });
            }
            Some(_) => {}
        }
    }
    None
}

/// A mistake this module does not recognise: the parser's words, with the
/// advice that fits them.
fn parser_error(yaml: &str, offset: Option<usize>, message: &str) -> Mistake {
    let at = offset.unwrap_or(0).min(yaml.len());
    let help = if message.contains("could not find expected ':'") {
        msg!("diag.yaml.help-colon")
    } else if message.contains("did not find expected key") {
        msg!("diag.yaml.help-indent")
    } else if message.contains("cannot start any") {
        msg!("diag.yaml.help-start")
    } else if message.contains("alias") || message.contains("anchor") {
        msg!("diag.yaml.help-alias")
    } else {
        msg!("diag.yaml.help")
    };
    Mistake {
        code: "yaml",
        span: at..(at + 1).min(yaml.len()),
        message: msg!("diag.yaml", message = message),
        label: None,
        help,
    }
}

/// A YAML mistake found at `base` in `file`.
pub(crate) fn mistake(
    file: &crate::diagnostics::SourceFile,
    base: usize,
    m: Mistake,
) -> crate::diagnostics::Diagnostic {
    let mut d = crate::diagnostics::Diagnostic::error(m.code, m.message)
        .at(file, base + m.span.start..base + m.span.end)
        .help(m.help);
    if let Some(label) = m.label {
        d = d.label(label);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each mistake: the YAML, its code, its 1-based line and column, and
    /// words of its help.
    const MISTAKES: &[(&str, &str, (usize, usize), &str)] = &[
        (
            "title: \"Hola\nkind: study\ndate: 2014\n",
            "unclosed-quote",
            (1, 8),
            "end the text with `\"`",
        ),
        (
            "title: \"Hola\nkind: \"study\"\ndate: 2014\n",
            "unclosed-quote",
            (1, 8),
            "same line",
        ),
        (
            "kind: study\npartners:\n  - 'aap\n  - gpc\n",
            "unclosed-quote",
            (3, 5),
            "`'`",
        ),
        (
            "title: \"El \"buen\" vivir\"\n",
            "text-after-quote",
            (1, 12),
            "between `'`",
        ),
        ("title: x\n\tkind: y\n", "tab-indent", (2, 1), "spaces"),
        (
            "title: x\nkind:study\ndate: 2014\n",
            "no-space-after-colon",
            (2, 5),
            "`kind: study`",
        ),
        (
            "topics: [agua, clima\nkind: x\n",
            "unclosed-bracket",
            (1, 9),
            "`]`",
        ),
        (
            "source: {journal: x\nkind: x\n",
            "unclosed-bracket",
            (1, 9),
            "`}`",
        ),
        (
            "partners:\n  - aap\n - gpc\nkind: x\n",
            "list-indent",
            (3, 2),
            "same column",
        ),
        (
            "title: Gestión: una guía\nkind: x\n",
            "colon-in-value",
            (1, 15),
            "`title: \"Gestión: una guía\"`",
        ),
        (
            "title: x\nkind: y\n\nSome text here, more.\n\nAnother.\n",
            "no-key",
            (4, 1),
            "end the front matter with a line `---`",
        ),
        ("title: x\nkind: `y`\n", "yaml", (2, 7), "starts with `@`"),
    ];

    fn line_col(text: &str, at: usize) -> (usize, usize) {
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line, col)
    }

    #[test]
    fn each_mistake_is_named_where_it_is() {
        for (yaml, code, pos, help) in MISTAKES {
            let err = crate::content::yaml::parse_mapping(yaml).expect_err(yaml);
            let m = explain(yaml, err.offset, &err.message);
            assert_eq!(m.code, *code, "{yaml:?}: {m:?}");
            assert_eq!(line_col(yaml, m.span.start), *pos, "{yaml:?}: {m:?}");
            let said = m.help.say(crate::messages::Lang::En);
            assert!(said.contains(help), "{yaml:?}: {m:?}");
        }
    }

    #[test]
    fn valid_layouts_are_not_mistakes() {
        let yaml = "title: \"Hola: todos\"\nsummary: \"una\n  dos\"\nurl: https://x.org/a\ntime: 12:30\ntopics: [a, \"b, c\"]\npartners:\n  - aap\n  - { id: gpc, role: funder }\n";
        assert!(crate::content::yaml::parse_mapping(yaml).is_ok());
        let lines = lines(yaml);
        assert_eq!(unclosed_quote(yaml, &lines), None);
        assert_eq!(unclosed_bracket(yaml, &lines), None);
        assert_eq!(colon_in_value(&lines), None);
        assert_eq!(no_space_after_colon(&lines), None);
        assert_eq!(list_indent(&lines), None);
        assert_eq!(text_after_quote(&lines), None);
    }

    #[test]
    fn finds_where_the_page_text_starts() {
        let yaml = "title: x\n# a comment\nkind: y\n\n# Título\n\nEl texto.\n";
        let r = body_start(yaml).unwrap();
        assert_eq!(&yaml[r], "# Título");
        let yaml = "title: x\nkind: y\nEl texto.\n";
        assert_eq!(&yaml[body_start(yaml).unwrap()], "El texto.");
        assert_eq!(body_start("title: x\n# note\n"), None);
    }
}
