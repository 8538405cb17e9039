//! Small text utilities shared by every stage: line/column lookup, slugs,
//! accent folding, HTML escaping.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Byte offsets of line starts, for turning spans into line:column.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column; the column counts characters, as editors do.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }
}

/// Lowercase, strip accents (ñ becomes n), keep ASCII letters and digits,
/// everything else becomes a single hyphen. Used for URL slugs and for
/// grouping topics, so "Gestión del Conocimiento" and "gestion del
/// conocimiento" are one topic.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'ß' => 's',
            'æ' | 'Æ' => 'a',
            'ø' | 'Ø' => 'o',
            'đ' | 'Đ' => 'd',
            'ł' | 'Ł' => 'l',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

/// `n` and the noun that goes with it: `one` for 1, `many` for any other
/// number (0 included), as Spanish and English count.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Words in `text`, as `split_whitespace` counts them, without its
/// iterator machinery: counting every product's words was a quarter of
/// making its body.
pub fn count_words(text: &str) -> usize {
    let (mut words, mut in_word) = (0, false);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let space = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => true,
            0x00..=0x7f => false,
            // Inside a character, whose first byte decided.
            0x80..=0xbf => continue,
            // Only characters starting with these bytes are spaces
            // (U+0085, U+00A0, U+1680, U+2000 to U+205F, U+3000): the
            // accented letters of a Spanish text are not decoded.
            0xc2 | 0xe1 | 0xe2 | 0xe3 => text[i..].chars().next().is_some_and(char::is_whitespace),
            _ => false,
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
    }
    words
}

/// GitHub-style heading id: lowercase, letters (accents kept) and digits,
/// spaces to hyphens, other punctuation dropped. Partners who link to
/// `#cómo-funciona` from GitHub's preview get the same anchor here.
pub fn heading_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape_html(s: &str) -> String {
    // Byte scan with run copies: escaping sits on the path of every value a
    // template prints, and most values need no escape at all.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len() + 8);
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out
}

/// Count of characters outside ASCII: a hint that a spelling carries its
/// accents, used to pick the display form of a folded topic.
pub fn non_ascii_count(s: &str) -> usize {
    s.chars().filter(|c| !c.is_ascii()).count()
}

/// The first `max` characters of `s`, with "…" when it was longer (as
/// Tera's `truncate` filter does).
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A fingerprint of a file's bytes. SipHash, which [`fingerprint`] uses,
/// was a second at 100,000 products, hashing every source file once when
/// read and once for the build cache; this hashes 16 bytes a step.
pub fn fingerprint_bytes(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// A 64-bit hash for change detection within one process (pages, bodies,
/// output files); never persisted, so the hasher may change between
/// releases.
pub fn fingerprint<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_for_one_only() {
        assert_eq!(counted(1, "error", "errors"), "1 error");
        assert_eq!(counted(0, "error", "errors"), "0 errors");
        assert_eq!(counted(2, "producto", "productos"), "2 productos");
    }

    #[test]
    fn escape_html_escapes_the_five_and_keeps_the_rest() {
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("política"), "política");
        assert_eq!(
            escape_html(r#"<a href="x">'ñ' & b</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;ñ&#39; &amp; b&lt;/a&gt;"
        );
        assert_eq!(escape_html("&&"), "&amp;&amp;");
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\nñandú x\n";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(t, 0), (1, 1));
        assert_eq!(idx.line_col(t, 3), (2, 1));
        let x = t.find('x').unwrap();
        assert_eq!(idx.line_col(t, x), (2, 7));
    }

    #[test]
    fn slugify_folds_case_and_accents() {
        assert_eq!(
            slugify("Gestión del Conocimiento"),
            "gestion-del-conocimiento"
        );
        assert_eq!(
            slugify("gestion del conocimiento"),
            "gestion-del-conocimiento"
        );
        assert_eq!(slugify("  Año 2014: ¡niños!  "), "ano-2014-ninos");
        assert_eq!(slugify("PROCOMPITE"), "procompite");
    }

    #[test]
    fn heading_ids_keep_accents() {
        assert_eq!(
            heading_id("Cómo funciona la alianza?"),
            "cómo-funciona-la-alianza"
        );
        assert_eq!(heading_id("1. Introducción"), "1-introducción");
    }

    #[test]
    fn byte_fingerprints_tell_files_apart() {
        let texts: [&[u8]; 6] = [b"", b"a", b"b", b"ab", b"ba", "política pública".as_bytes()];
        let prints: std::collections::HashSet<u64> =
            texts.iter().map(|t| fingerprint_bytes(t)).collect();
        assert_eq!(prints.len(), texts.len());
        // One byte changed at the end of a long text changes its print.
        let mut long = "palabra ".repeat(1000).into_bytes();
        let before = fingerprint_bytes(&long);
        *long.last_mut().unwrap() = b'!';
        assert_ne!(before, fingerprint_bytes(&long));
        assert_eq!(fingerprint_bytes(b"abc"), fingerprint_bytes(b"abc"));
    }

    #[test]
    fn counts_words_as_split_whitespace_does() {
        for text in [
            "",
            "   ",
            "uno",
            " uno  dos\ttres\ncuatro\r\n",
            "política\u{a0}pública — 77,4\u{2009}% años\u{3000}x",
            "\u{b}a\u{c}b\u{85}c\u{2028}d",
            "ñandú",
            "a\u{1680}b\u{2000}c\u{200a}d\u{202f}e\u{205f}f\u{2029}g\u{e1}\u{2010}h",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn counts_any_text_as_split_whitespace_does(text in "\\PC{0,40}|[ \\t\\n\u{a0}\u{85}\u{2000}-\u{200b}\u{3000}a-zñé]{0,40}") {
            proptest::prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }
}
