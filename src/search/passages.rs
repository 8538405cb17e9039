//! Passages for the browser's snippets: each product's text cut into
//! blocks of whole sentences, so that a result shows the block where the
//! query's words are, fetched alone, whatever the length of the text.
//!
//! Block 0 is kept in the product's result file (`d/<n>.json`); the
//! others are filed [`BLOCKS_PER_FILE`] to a file, `b/<n>-<g>.txt`, their
//! blocks separated by [`SEPARATOR`]. Each posting of the browser index names
//! the block of the term's first occurrence in the body (see
//! `search::web`), found from its tantivy position through the position
//! each block starts at, which is all this module keeps of a text.
//!
//! A passage is a piece of text with a place to fetch it from; other texts
//! of a product (a document's pages) can become blocks of their own the
//! same way, each with its first position.

use super::analysis::{SENTENCE_GAP, ends_sentence};
use crate::build::write::OutputFile;
use serde::{Deserialize, Serialize};

/// Bytes of text in a block at most: about the size of the excerpt the
/// result file held before, so a result costs what it did plus at most one
/// block of this size.
pub const BLOCK_BYTES: usize = 900;
/// Blocks kept per product: the text beyond (past about 900 KB) gives its
/// words' snippets from the first block. It bounds the files a build
/// writes for one product, not a query's bytes, which are one block.
pub const MAX_BLOCKS: usize = 1000;
/// Blocks in one file of `b/`: one file per block made a 10,000-product
/// site write 94,500 files in 10,000 folders, most of the kernel's share
/// of a build on disk. Eight to a file make about two files per product of
/// 1,200 words and cost a result at most 7.2 KB (under 3 KB gzipped) more
/// than its result file, and only when the words are past the text's first
/// block.
pub const BLOCKS_PER_FILE: usize = 8;
/// Between two blocks of a `b/` file: a control character no text keeps
/// (see [`blocks`]).
pub const SEPARATOR: char = '\u{1e}';
/// Characters of a text the result file needs to cut block 0 exactly as
/// the whole text would be cut: a block, and what tells whether the
/// sentence at its end ends there.
pub const HEAD_CHARS: usize = BLOCK_BYTES + 8;

/// The blocks of a text: runs of whole sentences of at most
/// [`BLOCK_BYTES`] bytes; a sentence longer than that is cut at its last
/// space that fits (or, with none, at a character). Leading spaces are
/// left out of each block.
pub fn blocks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() && out.len() < MAX_BLOCKS {
        let cut = cut_at(rest);
        out.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
    out
}

/// Where the block that starts `text` ends: at the last sentence end
/// within [`BLOCK_BYTES`], else its last space, else at a character.
/// Looked for from the limit back: a sentence ends a few words before it,
/// where reading the block from its start read all 900 bytes.
fn cut_at(text: &str) -> usize {
    if text.len() <= BLOCK_BYTES {
        return text.len();
    }
    // The characters that start within the limit.
    let mut end = BLOCK_BYTES + 1;
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let head = &text[..end];
    let mut space = None;
    for (i, c) in head.char_indices().rev() {
        if !c.is_whitespace() {
            continue;
        }
        space = space.or(Some(i));
        if after_sentence_end(&head[..i]) {
            return i;
        }
    }
    if let Some(i) = space.filter(|i| *i > 0) {
        return i;
    }
    let mut i = BLOCK_BYTES;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i.max(text.chars().next().map_or(1, char::len_utf8))
}

/// Whether `before` ends with a sentence's end mark, closing quotes and
/// brackets allowed after it (`fin.)`).
fn after_sentence_end(before: &str) -> bool {
    let mut chars = before.chars().rev();
    loop {
        match chars.next() {
            Some('.' | '?' | '!' | '…') => return true,
            Some(')' | ']' | '"' | '\'' | '»' | '”' | '’') => {}
            _ => return false,
        }
    }
}

/// What is kept of a product's blocks once their files are made: the
/// tantivy position each block starts at, and how many files they fill.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Blocks {
    /// Where each block starts (none for a text of one block).
    pub starts: Vec<u32>,
    /// How many `b/` files hold the blocks after the first.
    pub files: usize,
}

impl Blocks {
    /// Whether a text could have been cut into these blocks: a record
    /// that says otherwise is not taken.
    pub fn possible(&self) -> bool {
        self.starts.len() <= MAX_BLOCKS
            && self.files <= MAX_BLOCKS.div_ceil(BLOCKS_PER_FILE)
            && self.starts.is_sorted()
    }

    /// The paths of product `n`'s block files, under `dir`.
    pub fn paths(&self, n: usize, dir: &str) -> Vec<String> {
        (0..self.files).map(|g| block_file(n, g, dir)).collect()
    }
}

/// The path of product `n`'s block file `g`, under `dir`.
fn block_file(n: usize, g: usize, dir: &str) -> String {
    format!("{dir}b/{n}-{g}.txt")
}

/// The browser files of a product's blocks after the first, and the
/// tantivy position each block starts at, as the index's analysis counts
/// positions (see `analysis::Sentences`).
pub fn product(n: usize, text: &str, dir: &str) -> (Vec<OutputFile>, Vec<u32>) {
    let blocks = blocks(text);
    if blocks.len() < 2 {
        return (Vec::new(), Vec::new());
    }
    let offsets: Vec<usize> = blocks
        .iter()
        .map(|b| b.as_ptr() as usize - text.as_ptr() as usize)
        .collect();
    let starts = positions_at(text, &offsets);
    let files = blocks[1..]
        .chunks(BLOCKS_PER_FILE)
        .enumerate()
        .map(|(g, group)| {
            let text: Vec<String> = group.iter().map(|b| b.replace(SEPARATOR, " ")).collect();
            let sep = SEPARATOR.to_string();
            OutputFile::text(block_file(n, g, dir), text.join(&sep))
        })
        .collect();
    (files, starts)
}

/// The tantivy position of the first word at or after each of `offsets`
/// (in order) of `text`, as [`Sentences`](super::analysis::Sentences) numbers its words: a word is a
/// run of alphanumeric characters, and each sentence end adds
/// [`SENTENCE_GAP`]. Offsets past the last word get none. Counted here
/// without making tokens, and decoding only characters outside ASCII:
/// tokenizing every product's text for this was a fifth of making its body.
fn positions_at(text: &str, offsets: &[usize]) -> Vec<u32> {
    let bytes = text.as_bytes();
    // Whether the character at `i` (a character's first byte, not ASCII)
    // is part of a word, and its length.
    let wide = |i: usize| -> (bool, usize) {
        // Latin letters with accents take two bytes: looked up, not
        // decoded and searched for in Unicode's tables.
        if bytes[i] < 0xe0 {
            let u = usize::from(bytes[i] & 0x1f) << 6
                | usize::from(bytes.get(i + 1).map_or(0, |b| b & 0x3f));
            return (two_byte_word_chars()[u], 2);
        }
        text[i..]
            .chars()
            .next()
            .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
    };
    // Whether the character at `i` is part of a word, and its length.
    let word_char = |i: usize| match bytes[i] {
        b @ 0x00..=0x7f => (b.is_ascii_alphanumeric(), 1),
        _ => wide(i),
    };
    let mut out = Vec::with_capacity(offsets.len());
    let (mut i, mut count, mut gap) = (0, 0, 0);
    let mut end = None;
    // Whether a byte that can end a sentence (see `ends_sentence`) came
    // since the last word: most words are parted by a space alone.
    let mut marked = false;
    while i < bytes.len() && out.len() < offsets.len() {
        let (is_word, len) = word_char(i);
        if !is_word {
            marked |= matches!(bytes[i], b'.' | b'?' | b'!' | b'\n' | 0xe2);
            i += len;
            continue;
        }
        let from = i;
        i += len;
        while i < bytes.len() {
            let (is_word, len) = word_char(i);
            if !is_word {
                break;
            }
            i += len;
        }
        if marked && end.is_some_and(|end| ends_sentence(&text[end..from])) {
            gap += SENTENCE_GAP;
        }
        (marked, end) = (false, Some(i));
        let position = (count + gap) as u32;
        count += 1;
        while out.len() < offsets.len() && from >= offsets[out.len()] {
            out.push(position);
        }
    }
    out
}

/// Whether each character of two bytes in UTF-8 (U+0080 to U+07FF) is
/// alphanumeric, by its code point.
fn two_byte_word_chars() -> &'static [bool; 0x800] {
    static TABLE: std::sync::OnceLock<[bool; 0x800]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [false; 0x800];
        for (u, slot) in table.iter_mut().enumerate() {
            *slot = char::from_u32(u as u32).is_some_and(char::is_alphanumeric);
        }
        table
    })
}

/// The file of `b/` holding block `k` (1 and up) of a product, and the
/// block's place in it: what the browser computes to fetch it.
pub fn file_of(k: usize) -> (usize, usize) {
    ((k - 1) / BLOCKS_PER_FILE, (k - 1) % BLOCKS_PER_FILE)
}

/// Whether a term found in `df` of a site's `products` names its blocks in
/// the postings. A term in more than a sixteenth of the products (and more
/// than 64) does not: its block numbers were a quarter of the postings'
/// bytes on 10,000 generated products, loaded by every query with the
/// word, while a word that common is usually met in a text's first block,
/// and it is the rare words of a query that pick the block shown.
pub fn names_blocks(df: usize, products: usize) -> bool {
    df <= 64 || df * 16 <= products
}

/// The block holding the word at tantivy position `position` of a text
/// whose blocks start at `starts`.
pub fn block_of(starts: &[u32], position: u32) -> u32 {
    starts.partition_point(|s| *s <= position).saturating_sub(1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(&format!(
                "La frase número {i} habla de riego, agua y suelos. ¿Y después?\n"
            ));
        }
        text
    }

    #[test]
    fn blocks_are_whole_sentences_within_the_limit() {
        let text = sample();
        let blocks = blocks(&text);
        assert!(blocks.len() > 20);
        for b in &blocks {
            assert!(b.len() <= BLOCK_BYTES, "{}", b.len());
            assert!(b.starts_with("La frase") || b.starts_with("¿Y"), "{b}");
            assert!(b.ends_with('.') || b.ends_with('?'), "{b}");
        }
        let joined: String = blocks.concat();
        let squeezed: String = text.split_whitespace().collect();
        assert_eq!(joined.split_whitespace().collect::<String>(), squeezed);
    }

    /// The result file cuts block 0 from the head of the text alone.
    #[test]
    fn the_head_gives_the_first_block() {
        let long_sentence = "palabra ".repeat(300);
        let no_space = "x".repeat(3000);
        let accented = "ñandú árbol ".repeat(200);
        for text in [sample(), long_sentence, no_space, accented, "corto.".into()] {
            let head: String = text.chars().take(HEAD_CHARS).collect();
            assert_eq!(blocks(&head)[0], blocks(&text)[0]);
        }
    }

    #[test]
    fn positions_name_their_block() {
        let text = sample();
        let (files, starts) = product(7, &text, "search/");
        assert_eq!(files.len(), (starts.len() - 1).div_ceil(BLOCKS_PER_FILE));
        assert_eq!(files[0].path, "search/b/7-0.txt");
        assert_eq!(starts[0], 0);
        assert!(starts.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(block_of(&starts, 0), 0);
        assert_eq!(block_of(&starts, starts[3]), 3);
        assert_eq!(block_of(&starts, starts[3] - 1), 2);
        assert_eq!(block_of(&starts, u32::MAX), starts.len() as u32 - 1);
        assert!(names_blocks(64, 100) && names_blocks(625, 10_000));
        assert!(!names_blocks(65, 100) && !names_blocks(626, 10_000));
    }

    /// Each block after the first is found where the browser looks for it.
    #[test]
    fn blocks_are_filed_where_the_browser_looks() {
        let text = sample().replace("agua", "agua\u{1e}");
        let all = blocks(&text);
        let (files, _) = product(3, &text, "s/");
        for (k, b) in all.iter().enumerate().skip(1) {
            let (g, i) = file_of(k);
            let file = &files[g];
            assert_eq!(file.path, format!("s/b/3-{g}.txt"));
            let crate::build::write::Content::Bytes(bytes) = &file.content else {
                panic!("{} is not text", file.path);
            };
            let body = std::str::from_utf8(bytes).unwrap();
            let got = body.split(SEPARATOR).nth(i).unwrap();
            assert_eq!(got, b.replace(SEPARATOR, " "), "block {k}");
        }
    }

    #[test]
    fn a_huge_text_is_cut_at_the_block_limit() {
        let text = "Una frase corta. ".repeat(100_000);
        assert_eq!(blocks(&text).len(), MAX_BLOCKS);
        assert!(blocks("").is_empty());
        assert!(blocks("   \n ").is_empty());
    }

    /// What a build records of a text's blocks names the files it made,
    /// and a record no text could give is not taken.
    #[test]
    fn recorded_blocks_name_their_files_and_only_possible_ones_are_taken() {
        let text = "Una frase corta. ".repeat(100_000);
        let (files, starts) = product(3, &text, "search/");
        let made = Blocks {
            starts,
            files: files.len(),
        };
        assert!(made.possible());
        let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(made.paths(3, "search/"), paths);
        let huge = Blocks {
            starts: Vec::new(),
            files: 1_000_000,
        };
        let unsorted = Blocks {
            starts: vec![5, 1],
            files: 1,
        };
        assert!(!huge.possible() && !unsorted.possible());
    }

    /// The positions [`Sentences`](crate::search::analysis::Sentences)
    /// gives the first word at or after each offset: what
    /// [`positions_at`] counts without it.
    fn tokenized(text: &str, offsets: &[usize]) -> Vec<u32> {
        use tantivy::tokenizer::{TokenStream, Tokenizer};
        let mut tokenizer = crate::search::analysis::Sentences::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while out.len() < offsets.len() && stream.advance() {
            let token = stream.token();
            while out.len() < offsets.len() && token.offset_from >= offsets[out.len()] {
                out.push(token.position as u32);
            }
        }
        out
    }

    /// [`cut_at`] a character at a time, as it was written first.
    fn cut_by_chars(text: &str) -> usize {
        if text.len() <= BLOCK_BYTES {
            return text.len();
        }
        let (mut sentence_end, mut space, mut ended) = (None, None, false);
        for (i, c) in text.char_indices() {
            if i > BLOCK_BYTES {
                break;
            }
            match c {
                '.' | '?' | '!' | '…' => ended = true,
                ')' | ']' | '"' | '\'' | '»' | '”' | '’' if ended => {}
                c if c.is_whitespace() => {
                    if ended {
                        sentence_end = Some(i);
                    }
                    space = Some(i);
                    ended = false;
                }
                _ => ended = false,
            }
        }
        if let Some(i) = sentence_end.or(space).filter(|i| *i > 0) {
            return i;
        }
        let mut i = BLOCK_BYTES;
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i.max(text.chars().next().map_or(1, char::len_utf8))
    }

    #[test]
    fn block_starts_are_the_positions_the_index_gives() {
        let text = sample();
        let blocks = blocks(&text);
        let offsets: Vec<usize> = blocks
            .iter()
            .map(|b| b.as_ptr() as usize - text.as_ptr() as usize)
            .collect();
        let counted = positions_at(&text, &offsets);
        assert_eq!(counted.len(), blocks.len());
        assert!(counted.iter().any(|p| *p as usize > SENTENCE_GAP));
        assert_eq!(counted, tokenized(&text, &offsets));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

        /// Counted without tokens, block starts are the tokenizer's, on
        /// texts of words, numbers, sentence ends, closing quotes, line
        /// breaks and characters from any script.
        #[test]
        fn positions_are_counted_as_the_tokenizer_numbers_words(
            text in "([a-zñáé0-9]{1,8}|[ .?!…»”’)\\]\"'\n\u{a0}\u{2028}]|\\PC){0,120}",
            cuts in proptest::collection::vec(0usize..400, 0..8),
        ) {
            let mut offsets: Vec<usize> = cuts
                .into_iter()
                .filter(|c| *c <= text.len() && text.is_char_boundary(*c))
                .collect();
            offsets.sort_unstable();
            proptest::prop_assert_eq!(positions_at(&text, &offsets), tokenized(&text, &offsets));
        }

        /// Read a byte at a time, a block ends where reading it a
        /// character at a time ends it.
        #[test]
        fn blocks_end_where_a_reading_by_characters_ends_them(
            text in "([a-zñáé]{1,9}|[ .?!…»”’)\\]\"'\n\u{a0}\u{2028}]|\\PC){100,700}",
        ) {
            proptest::prop_assert_eq!(cut_at(&text), cut_by_chars(&text));
        }
    }
}
