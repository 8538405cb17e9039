//! Text analysis shared by every search path: the tantivy index, `ayni
//! search`, and the browser index (which stores the terms this analysis
//! produced, so the browser needs no stemmer).
//!
//! Spanish: lowercase, fold accents except ñ, drop stop words, Snowball
//! stemming, so "política", "politica" and "políticas" meet while "año"
//! and "ano" stay apart, and a word typed without its accents is analysed
//! as the word with them. English products get the English stemmer.

use std::mem;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenStream, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

pub(crate) const SPANISH: &str = "ayni_es";
pub(crate) const ENGLISH: &str = "ayni_en";
/// The same analyses, for attached PDFs' text: under names of their own so
/// that an index being made records their words apart (see [`Recorded`]):
/// they make the browser's separate index of PDF pages, and are never
/// offered by spelling help.
pub const SPANISH_PDF: &str = "ayni_es_pdf";
pub(crate) const ENGLISH_PDF: &str = "ayni_en_pdf";
/// Lowercase and accent folding only: the surface words readers type, used
/// to map a typed word to its stem in the browser index.
pub const PLAIN: &str = "ayni_plain";

/// Folds Spanish and Portuguese accents to their base letter, keeping ñ.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(fold_char(c));
    }
    out
}

/// Base letter of `c` without its accent; ñ and Ñ are letters of their own
/// in Spanish and stay. The browser client folds with the same rule
/// (NFD, marks removed, ñ kept), so the two agree on every word.
fn fold_char(c: char) -> char {
    if c.is_ascii() || c == 'ñ' || c == 'Ñ' {
        return c;
    }
    let mut base = c;
    let mut first = true;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if first {
            base = d;
            first = false;
        }
    });
    base
}

/// Token filter applying [`fold`].
#[derive(Clone)]
pub(crate) struct AccentFolder;

impl TokenFilter for AccentFolder {
    type Tokenizer<T: Tokenizer> = AccentFolderFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        AccentFolderFilter {
            tokenizer,
            buffer: String::new(),
        }
    }
}

#[derive(Clone)]
pub(crate) struct AccentFolderFilter<T> {
    tokenizer: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for AccentFolderFilter<T> {
    type TokenStream<'a> = AccentFolderStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.buffer.clear();
        AccentFolderStream {
            tail: self.tokenizer.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

pub(crate) struct AccentFolderStream<'a, T> {
    buffer: &'a mut String,
    tail: T,
}

impl<T: TokenStream> TokenStream for AccentFolderStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        if !self.tail.token().text.is_ascii() {
            self.buffer.clear();
            self.buffer
                .extend(self.tail.token().text.chars().map(fold_char));
            mem::swap(&mut self.tail.token_mut().text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// What a word becomes (lowercase, stop word or not, stem, fold),
/// remembered word by word. A corpus says the same words over and over, so
/// a lookup replaces most of the analysis, which was a fifth of a whole
/// build. A word seen for the first time goes through `word`, the plain
/// tantivy chain, so the terms are the same as without the memory.
#[derive(Clone)]
pub(crate) struct Remember {
    word: TextAnalyzer,
    seen: Option<Seen>,
}

/// The lowercase words an index's analyzers met, shared by their clones:
/// the surface words of the browser index's vocabulary. A word is added
/// when it first goes through the chain, so recording costs nothing on the
/// words seen again, which are nearly all.
pub type Seen = std::sync::Arc<std::sync::Mutex<rustc_hash::FxHashSet<String>>>;

impl TokenFilter for Remember {
    type Tokenizer<T: Tokenizer> = RememberFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        RememberFilter {
            inner: tokenizer,
            word: self.word,
            memory: FxHashMap::default(),
            seen: self.seen,
        }
    }
}

/// Words remembered per analyzer; past this many the memory is cleared,
/// which bounds it on a corpus with an endless vocabulary.
const REMEMBERED_WORDS: usize = 200_000;

pub(crate) struct RememberFilter<T> {
    inner: T,
    word: TextAnalyzer,
    /// Word as the tokenizer cut it -> its term, or `None` when the
    /// analysis drops it (a stop word).
    memory: FxHashMap<String, Option<String>>,
    seen: Option<Seen>,
}

// Analyzers are cloned per indexing thread and per query; a clone starts
// with an empty memory instead of copying a large one.
impl<T: Clone> Clone for RememberFilter<T> {
    fn clone(&self) -> Self {
        RememberFilter {
            inner: self.inner.clone(),
            word: self.word.clone(),
            memory: FxHashMap::default(),
            seen: self.seen.clone(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for RememberFilter<T> {
    type TokenStream<'a> = RememberStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberStream {
            tail: self.inner.token_stream(text),
            word: &mut self.word,
            memory: &mut self.memory,
            seen: self.seen.as_ref(),
        }
    }
}

pub(crate) struct RememberStream<'a, T> {
    tail: T,
    word: &'a mut TextAnalyzer,
    memory: &'a mut FxHashMap<String, Option<String>>,
    seen: Option<&'a Seen>,
}

impl<T: TokenStream> TokenStream for RememberStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let text = &mut self.tail.token_mut().text;
            let term = match self.memory.get(text.as_str()) {
                Some(term) => term.as_deref(),
                None => {
                    // The tokenizer cut `text` at word boundaries, so the
                    // chain sees one word and makes one term or none.
                    let mut stream = self.word.token_stream(text);
                    let term = stream.advance().then(|| stream.token().text.clone());
                    drop(stream);
                    if self.memory.len() >= REMEMBERED_WORDS {
                        self.memory.clear();
                    }
                    if let Some(seen) = self.seen
                        && let Ok(mut seen) = seen.lock()
                    {
                        seen.insert(text.to_lowercase());
                    }
                    self.memory.entry(text.clone()).or_insert(term).as_deref()
                }
            };
            if let Some(term) = term {
                text.clear();
                text.push_str(term);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The chain without memory: what [`spanish`] (with accent folding) and
/// [`english`] do to one word.
///
/// Spanish folds accents *before* its stop words and its stemmer: readers
/// type `politica` and `mas` as often as `política` and `más`, and both
/// spellings must make the same term and be, or not be, a stop word alike.
/// Folding after the stemmer made them differ wherever the stemmer reads
/// accents (`categoría` lost its `ía`, `categoria` kept its `ia`).
fn word_chain(language: Language, folds: bool) -> TextAnalyzer {
    let lower = TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser);
    if folds {
        lower
            .filter(AccentFolder)
            .filter(StopWordFilter::remove(
                SPANISH_STOP_WORDS.iter().map(|w| fold(w)),
            ))
            .filter(Stemmer::new(language))
            .build()
    } else {
        lower
            .filter(StopWordFilter::new(language).expect("stop words of a built-in language"))
            .filter(Stemmer::new(language))
            .build()
    }
}

/// Snowball's Spanish stop words, as tantivy ships them for
/// `Language::Spanish`; kept here because they are folded like the words
/// they are compared with, which tantivy's filter cannot do.
const SPANISH_STOP_WORDS: &[&str] = &[
    "de",
    "la",
    "que",
    "el",
    "en",
    "y",
    "a",
    "los",
    "del",
    "se",
    "las",
    "por",
    "un",
    "para",
    "con",
    "no",
    "una",
    "su",
    "al",
    "lo",
    "como",
    "más",
    "pero",
    "sus",
    "le",
    "ya",
    "o",
    "este",
    "sí",
    "porque",
    "esta",
    "entre",
    "cuando",
    "muy",
    "sin",
    "sobre",
    "también",
    "me",
    "hasta",
    "hay",
    "donde",
    "quien",
    "desde",
    "todo",
    "nos",
    "durante",
    "todos",
    "uno",
    "les",
    "ni",
    "contra",
    "otros",
    "ese",
    "eso",
    "ante",
    "ellos",
    "e",
    "esto",
    "mí",
    "antes",
    "algunos",
    "qué",
    "unos",
    "yo",
    "otro",
    "otras",
    "otra",
    "él",
    "tanto",
    "esa",
    "estos",
    "mucho",
    "quienes",
    "nada",
    "muchos",
    "cual",
    "poco",
    "ella",
    "estar",
    "estas",
    "algunas",
    "algo",
    "nosotros",
    "mi",
    "mis",
    "tú",
    "te",
    "ti",
    "tu",
    "tus",
    "ellas",
    "nosotras",
    "vosotros",
    "vosotras",
    "os",
    "mío",
    "mía",
    "míos",
    "mías",
    "tuyo",
    "tuya",
    "tuyos",
    "tuyas",
    "suyo",
    "suya",
    "suyos",
    "suyas",
    "nuestro",
    "nuestra",
    "nuestros",
    "nuestras",
    "vuestro",
    "vuestra",
    "vuestros",
    "vuestras",
    "esos",
    "esas",
    "estoy",
    "estás",
    "está",
    "estamos",
    "estáis",
    "están",
    "esté",
    "estés",
    "estemos",
    "estéis",
    "estén",
    "estaré",
    "estarás",
    "estará",
    "estaremos",
    "estaréis",
    "estarán",
    "estaría",
    "estarías",
    "estaríamos",
    "estaríais",
    "estarían",
    "estaba",
    "estabas",
    "estábamos",
    "estabais",
    "estaban",
    "estuve",
    "estuviste",
    "estuvo",
    "estuvimos",
    "estuvisteis",
    "estuvieron",
    "estuviera",
    "estuvieras",
    "estuviéramos",
    "estuvierais",
    "estuvieran",
    "estuviese",
    "estuvieses",
    "estuviésemos",
    "estuvieseis",
    "estuviesen",
    "estando",
    "estado",
    "estada",
    "estados",
    "estadas",
    "estad",
    "he",
    "has",
    "ha",
    "hemos",
    "habéis",
    "han",
    "haya",
    "hayas",
    "hayamos",
    "hayáis",
    "hayan",
    "habré",
    "habrás",
    "habrá",
    "habremos",
    "habréis",
    "habrán",
    "habría",
    "habrías",
    "habríamos",
    "habríais",
    "habrían",
    "había",
    "habías",
    "habíamos",
    "habíais",
    "habían",
    "hube",
    "hubiste",
    "hubo",
    "hubimos",
    "hubisteis",
    "hubieron",
    "hubiera",
    "hubieras",
    "hubiéramos",
    "hubierais",
    "hubieran",
    "hubiese",
    "hubieses",
    "hubiésemos",
    "hubieseis",
    "hubiesen",
    "habiendo",
    "habido",
    "habida",
    "habidos",
    "habidas",
    "soy",
    "eres",
    "es",
    "somos",
    "sois",
    "son",
    "sea",
    "seas",
    "seamos",
    "seáis",
    "sean",
    "seré",
    "serás",
    "será",
    "seremos",
    "seréis",
    "serán",
    "sería",
    "serías",
    "seríamos",
    "seríais",
    "serían",
    "era",
    "eras",
    "éramos",
    "erais",
    "eran",
    "fui",
    "fuiste",
    "fue",
    "fuimos",
    "fuisteis",
    "fueron",
    "fuera",
    "fueras",
    "fuéramos",
    "fuerais",
    "fueran",
    "fuese",
    "fueses",
    "fuésemos",
    "fueseis",
    "fuesen",
    "siendo",
    "sido",
    "tengo",
    "tienes",
    "tiene",
    "tenemos",
    "tenéis",
    "tienen",
    "tenga",
    "tengas",
    "tengamos",
    "tengáis",
    "tengan",
    "tendré",
    "tendrás",
    "tendrá",
    "tendremos",
    "tendréis",
    "tendrán",
    "tendría",
    "tendrías",
    "tendríamos",
    "tendríais",
    "tendrían",
    "tenía",
    "tenías",
    "teníamos",
    "teníais",
    "tenían",
    "tuve",
    "tuviste",
    "tuvo",
    "tuvimos",
    "tuvisteis",
    "tuvieron",
    "tuviera",
    "tuvieras",
    "tuviéramos",
    "tuvierais",
    "tuvieran",
    "tuviese",
    "tuvieses",
    "tuviésemos",
    "tuvieseis",
    "tuviesen",
    "teniendo",
    "tenido",
    "tenida",
    "tenidos",
    "tenidas",
    "tened",
];

/// Lucene's English stop words, the list tantivy's `Language::English`
/// filter holds (it does not expose it).
const ENGLISH_STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Every stop word a query skips, folded: the browser's vocabulary lists
/// them all, those the site lacks too, so that it skips them as the CLI
/// does instead of finding nothing or correcting them.
pub fn stop_words() -> impl Iterator<Item = String> {
    SPANISH_STOP_WORDS
        .iter()
        .chain(ENGLISH_STOP_WORDS)
        .map(|w| fold(w))
}

/// Positions skipped at a sentence end: more than a phrase query can span
/// (a query holds at most 32 words), so that no phrase, stop words left
/// out of it included, matches across a sentence end.
pub const SENTENCE_GAP: usize = 64;

/// Whether the text between two words ends a sentence: the end of a block
/// (a line break in a body's plain text, see `markdown::end_block`), or a
/// `.`, `?`, `!` or `…` followed by a space, closing quotes and brackets
/// allowed between (`fin.) El`). `N.° 29337`, `3.5` and `a.m.` do not.
pub fn ends_sentence(between: &str) -> bool {
    // Most words are parted by a space alone: only a line break or a
    // sentence's end mark (`…` starts with 0xE2) can end one.
    if !between
        .bytes()
        .any(|b| matches!(b, b'.' | b'?' | b'!' | b'\n' | 0xe2))
    {
        return false;
    }
    if between.contains('\n') {
        return true;
    }
    let mut ended = false;
    for c in between.chars() {
        match c {
            '.' | '?' | '!' | '…' => ended = true,
            ')' | ']' | '"' | '\'' | '»' | '”' | '’' if ended => {}
            c if c.is_whitespace() => {
                if ended {
                    return true;
                }
            }
            _ => ended = false,
        }
    }
    false
}

/// tantivy's simple tokenizer with a gap of [`SENTENCE_GAP`] positions at
/// each sentence end, so that phrases match within a sentence only.
#[derive(Clone, Default)]
pub(crate) struct Sentences(SimpleTokenizer);

/// The tokens of [`Sentences`].
pub(crate) struct SentenceStream<'a> {
    inner: SimpleTokenStream<'a>,
    text: &'a str,
    end: usize,
    count: usize,
    gap: usize,
}

impl Tokenizer for Sentences {
    type TokenStream<'a> = SentenceStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SentenceStream<'a> {
        SentenceStream {
            inner: self.0.token_stream(text),
            text,
            end: 0,
            count: 0,
            gap: 0,
        }
    }
}

impl TokenStream for SentenceStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        if self.end > 0 && ends_sentence(self.text.get(self.end..token.offset_from).unwrap_or("")) {
            self.gap += SENTENCE_GAP;
        }
        self.end = token.offset_to;
        // The inner stream counts on from the position last set, so it is
        // set from a count of its own.
        token.position = self.count + self.gap;
        self.count += 1;
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

fn remembering(word: TextAnalyzer, seen: Option<Seen>) -> TextAnalyzer {
    TextAnalyzer::builder(Sentences::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(Remember { word, seen })
        .build()
}

pub(crate) fn spanish() -> TextAnalyzer {
    remembering(word_chain(Language::Spanish, true), None)
}

pub(crate) fn english() -> TextAnalyzer {
    remembering(word_chain(Language::English, false), None)
}

pub(crate) fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AccentFolder)
        .build()
}

/// Registers the analyzers on an index.
pub fn register(index: &tantivy::Index) {
    let m = index.tokenizers();
    m.register(SPANISH, spanish());
    m.register(ENGLISH, english());
    m.register(PLAIN, plain());
    m.register(SPANISH_PDF, spanish());
    m.register(ENGLISH_PDF, english());
}

/// The words an index being made met: those of the products' own fields
/// and those of their attached PDFs, apart.
#[derive(Default)]
pub struct Recorded {
    pub(crate) words: Seen,
    pub(crate) pdf: Seen,
}

/// Registers analyzers that record every word they meet, for an index
/// being made; returns the record.
pub fn register_recording(index: &tantivy::Index) -> Recorded {
    let seen = Recorded::default();
    let m = index.tokenizers();
    for (names, record) in [
        ((SPANISH, ENGLISH), &seen.words),
        ((SPANISH_PDF, ENGLISH_PDF), &seen.pdf),
    ] {
        m.register(
            names.0,
            remembering(word_chain(Language::Spanish, true), Some(record.clone())),
        );
        m.register(
            names.1,
            remembering(word_chain(Language::English, false), Some(record.clone())),
        );
    }
    m.register(PLAIN, plain());
    seen
}

/// The terms an analyzer makes of `text`.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The vocabulary shard a folded word belongs to.
pub fn shard_of(word: &str) -> String {
    let s: String = word.chars().take(2).collect();
    // Shard names are file names: keep them plain.
    s.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect()
}

/// The words of a query, quotes ignored, as the browser splits them: what
/// entity results are matched on.
pub fn words(text: &str) -> Vec<String> {
    let mut tok = SimpleTokenizer::default();
    let mut stream = tok.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let w = &stream.token().text;
        if w.chars().count() <= 40 {
            out.push(w.clone());
        }
    }
    out.truncate(MAX_WORDS);
    out
}

/// More words than this say nothing more; they only cost time.
pub const MAX_WORDS: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_stop_words_are_skipped_by_queries() {
        let (mut es, mut en) = (spanish(), english());
        for w in stop_words() {
            assert!(
                terms(&mut es, &w).is_empty() || terms(&mut en, &w).is_empty(),
                "{w}"
            );
        }
    }

    #[test]
    fn spanish_meets_accents_and_plurals() {
        let mut es = spanish();
        let a = terms(&mut es, "política");
        assert_eq!(a, terms(&mut es, "politica"));
        assert_eq!(a, terms(&mut es, "políticas"));
        assert_eq!(a, terms(&mut es, "POLÍTICAS"));
        assert_eq!(terms(&mut es, "gestión"), terms(&mut es, "gestion"));
        assert_ne!(terms(&mut es, "año"), terms(&mut es, "ano"));
        assert_eq!(fold("Çàñé"), "Cañe");
        assert!(terms(&mut es, "de la y los").is_empty(), "stop words");
        assert_eq!(terms(&mut es, "Ley 29337"), ["ley", "29337"]);
    }

    /// A word typed without its accents is the word: the same terms, and a
    /// stop word either way. These are words whose accent the stemmer used
    /// to read.
    #[test]
    fn accents_never_change_the_terms() {
        let mut es = spanish();
        for word in [
            "galería",
            "sangría",
            "categoría",
            "bibliografía",
            "ortografía",
            "aparecerá",
            "información",
            "también",
            "públicas",
            "según",
        ] {
            assert_eq!(terms(&mut es, word), terms(&mut es, &fold(word)), "{word}");
        }
        for stop in ["más", "mas", "él", "está", "qué", "sí", "mí"] {
            assert!(terms(&mut es, stop).is_empty(), "`{stop}` is a stop word");
        }
        // Every stop word is one however it is typed.
        for w in SPANISH_STOP_WORDS {
            assert!(terms(&mut es, &fold(w)).is_empty(), "{w}");
            assert!(terms(&mut es, &w.to_uppercase()).is_empty(), "{w}");
        }
    }

    /// A sentence end breaks positions; other dots and punctuation do not.
    #[test]
    fn sentence_ends_leave_a_gap_in_positions() {
        let positions = |text: &str| {
            let mut es = spanish();
            let mut stream = es.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().position);
            }
            out
        };
        assert_eq!(positions("agua potable, riego"), [0, 1, 2]);
        assert_eq!(positions("agua. Potable"), [0, 1 + SENTENCE_GAP]);
        assert_eq!(
            positions("¿agua? ¡Potable! (riego.) Fin"),
            [0, 65, 130, 195]
        );
        assert_eq!(positions("Ley N.° 29337 de 3.5 km"), [0, 1, 2, 4, 5, 6]);
        assert!(!ends_sentence(".° "));
        assert!(ends_sentence(".» "));
        assert!(ends_sentence("…\n"));
        assert!(ends_sentence("… "));
        assert!(ends_sentence(" \n "));
        assert!(ends_sentence("!) "));
        assert!(!ends_sentence(" "));
        assert!(!ends_sentence(", "));
        assert!(!ends_sentence(".)"));
    }

    /// The remembered terms are tantivy's own, word for word, including
    /// words seen again after the memory was cleared.
    #[test]
    fn remembered_terms_match_tantivys_chain() {
        let reference = |lang: Language, folds: bool| {
            let b = TextAnalyzer::builder(Sentences::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser);
            if folds {
                let stop = SPANISH_STOP_WORDS.iter().map(|w| fold(w));
                b.filter(AccentFolder)
                    .filter(StopWordFilter::remove(stop))
                    .filter(Stemmer::new(lang))
                    .build()
            } else {
                b.filter(StopWordFilter::new(lang).expect("stop words"))
                    .filter(Stemmer::new(lang))
                    .build()
            }
        };
        let text = "Las políticas públicas de gestión del agua, LA política hídrica \
            y los años de gestiones: niños, camiones, información, INFORMACIÓN. \
            Policies and policy making; the Ley 29337 and PROCOMPITE budgets.";
        for (mut ours, mut theirs) in [
            (spanish(), reference(Language::Spanish, true)),
            (english(), reference(Language::English, false)),
        ] {
            let with_positions = |a: &mut TextAnalyzer| {
                let mut out = Vec::new();
                let mut stream = a.token_stream(text);
                while stream.advance() {
                    let t = stream.token();
                    out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
                }
                out
            };
            for _ in 0..3 {
                assert_eq!(with_positions(&mut ours), with_positions(&mut theirs));
            }
        }
        let mut es = spanish();
        let words: Vec<String> = (0..REMEMBERED_WORDS + 10)
            .map(|i| format!("palabras{i}"))
            .collect();
        let many = words.join(" ");
        let once = terms(&mut es, &many);
        assert_eq!(terms(&mut es, &many), once, "after the memory is cleared");
        assert_eq!(terms(&mut es, "políticas"), ["polit"]);
    }

    /// The browser's vocabulary is the record of the words an index's
    /// analyzers met: every word once, lowercase, stop words included (the
    /// browser must know to skip them), whichever analyzer met it.
    #[test]
    fn recording_analyzers_keep_each_word_met() {
        let mut b = tantivy::schema::Schema::builder();
        let indexing = |name| {
            tantivy::schema::TextOptions::default().set_indexing_options(
                tantivy::schema::TextFieldIndexing::default().set_tokenizer(name),
            )
        };
        let es = b.add_text_field("es", indexing(SPANISH));
        let en = b.add_text_field("en", indexing(ENGLISH));
        let pdf = b.add_text_field("pdf", indexing(SPANISH_PDF));
        let index = tantivy::Index::create_in_ram(b.build());
        let seen = register_recording(&index);
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_text(es, "Las Políticas de agua, las políticas");
        doc.add_text(en, "Water policies");
        doc.add_text(pdf, "Glosario del Agua");
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
        let sorted = |seen: &Seen| {
            let mut words: Vec<String> = seen.lock().unwrap().iter().cloned().collect();
            words.sort();
            words
        };
        assert_eq!(
            sorted(&seen.words),
            ["agua", "de", "las", "policies", "políticas", "water"]
        );
        // A PDF's words are kept apart, for its own browser index.
        assert_eq!(sorted(&seen.pdf), ["agua", "del", "glosario"]);
    }

    #[test]
    fn english_stems() {
        let mut en = english();
        assert_eq!(terms(&mut en, "policies"), terms(&mut en, "policy"));
    }
}
