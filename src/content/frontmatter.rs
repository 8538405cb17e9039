//! Splits a Markdown file into its YAML front matter and body, keeping the
//! byte offset of each part so errors point into the whole file.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (may be empty).
    pub yaml: &'a str,
    pub yaml_start: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    pub body_start: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not begin with a `---` line.
    Missing,
    /// A `---` opens the front matter but no line closes it; the span is
    /// the opening fence.
    Unclosed(Range<usize>),
}

/// Splits `text`. A UTF-8 byte-order mark and CRLF line ends are accepted,
/// since editors on Windows write both.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_end = rest.find('\n').map(|i| i + 1).unwrap_or(rest.len());
    if rest[..first_end].trim_end() != "---" {
        return Err(SplitError::Missing);
    }
    let yaml_start = start + first_end;
    let mut pos = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let t = line
            .trim_end_matches(['\n', '\r'])
            .trim_end_matches([' ', '\t']);
        if t == "---" || t == "..." {
            let body_start = pos + line.len();
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_start,
                body: &text[body_start..],
                body_start,
            });
        }
        pos += line.len();
    }
    Err(SplitError::Unclosed(start..start + 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_offsets() {
        let t = "---\ntitle: a\n---\n# Body\n";
        let s = split(t).unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(&t[s.yaml_start..s.yaml_start + 5], "title");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_start, 17);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let t = "\u{feff}---\r\ntitle: a\r\n---\r\nbody";
        let s = split(t).unwrap();
        assert_eq!(s.yaml, "title: a\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("# hi"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: a\n"), Err(SplitError::Unclosed(0..3)));
        // A `---` inside the body is a thematic break, not a fence.
        let s = split("---\n---\ntext\n---\nmore").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "text\n---\nmore");
    }
}
