//! Text analysis shared by every search path: the tantivy index, `ayni
//! search`, and the browser index (which stores the terms this analysis
//! produced, so the browser needs no stemmer).
//!
//! Spanish: lowercase, drop stop words, Snowball stemming, then fold
//! accents except ñ, so "política", "politica" and "políticas" meet while
//! "año" and "ano" stay apart. English products get the English stemmer.

use std::mem;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

pub const SPANISH: &str = "ayni_es";
pub const ENGLISH: &str = "ayni_en";
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
pub struct AccentFolder;

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
pub struct AccentFolderFilter<T> {
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

pub struct AccentFolderStream<'a, T> {
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

/// Snowball stemming, then (for Spanish) [`fold`], remembered word by
/// word. A corpus says the same words over and over, so a lookup replaces
/// most stemming, which was a fifth of a whole build. Same terms as
/// tantivy's `Stemmer` followed by [`AccentFolder`].
pub struct CachedStem {
    stemmer: frostem::Stemmer,
    fold: bool,
}

impl CachedStem {
    pub fn spanish() -> CachedStem {
        CachedStem {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::Spanish),
            fold: true,
        }
    }

    pub fn english() -> CachedStem {
        CachedStem {
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
            fold: false,
        }
    }
}

impl TokenFilter for CachedStem {
    type Tokenizer<T: Tokenizer> = CachedStemFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        CachedStemFilter {
            inner: tokenizer,
            stemmer: self.stemmer,
            fold: self.fold,
            cache: FxHashMap::default(),
        }
    }
}

/// Words remembered per analyzer; past this many the memory is cleared,
/// which bounds it on a corpus with an endless vocabulary.
const CACHED_WORDS: usize = 200_000;

pub struct CachedStemFilter<T> {
    inner: T,
    stemmer: frostem::Stemmer,
    fold: bool,
    cache: FxHashMap<String, String>,
}

// Analyzers are cloned per indexing thread and per query; a clone starts
// with an empty memory instead of copying a large one.
impl<T: Clone> Clone for CachedStemFilter<T> {
    fn clone(&self) -> Self {
        CachedStemFilter {
            inner: self.inner.clone(),
            stemmer: self.stemmer,
            fold: self.fold,
            cache: FxHashMap::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemFilter<T> {
    type TokenStream<'a> = CachedStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
            fold: self.fold,
            cache: &mut self.cache,
        }
    }
}

pub struct CachedStemStream<'a, T> {
    tail: T,
    stemmer: &'a frostem::Stemmer,
    fold: bool,
    cache: &'a mut FxHashMap<String, String>,
}

impl<T: TokenStream> TokenStream for CachedStemStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if let Some(term) = self.cache.get(text.as_str()) {
            text.clear();
            text.push_str(term);
            return true;
        }
        let stemmed = self.stemmer.stem(text);
        let term = if self.fold && !stemmed.is_ascii() {
            fold(&stemmed)
        } else {
            stemmed.into_owned()
        };
        if self.cache.len() >= CACHED_WORDS {
            self.cache.clear();
        }
        self.cache.insert(mem::replace(text, term.clone()), term);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

pub fn spanish() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Spanish).expect("Spanish stop words"))
        .filter(CachedStem::spanish())
        .build()
}

pub fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("English stop words"))
        .filter(CachedStem::english())
        .build()
}

pub fn plain() -> TextAnalyzer {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The remembered stems are tantivy's own, word for word, including
    /// words seen again after the memory was cleared.
    #[test]
    fn cached_stems_match_tantivys_stemmer() {
        use tantivy::tokenizer::Stemmer;
        let reference = |lang: Language, fold: bool| {
            let b = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(StopWordFilter::new(lang).expect("stop words"))
                .filter(Stemmer::new(lang));
            if fold {
                b.filter(AccentFolder).build()
            } else {
                b.build()
            }
        };
        let text = "Las políticas públicas de gestión del agua, la política hídrica \
            y los años de gestiones: niños, camiones, información, INFORMACIÓN. \
            Policies and policy making; the Ley 29337 and PROCOMPITE budgets.";
        for (mut ours, mut theirs) in [
            (spanish(), reference(Language::Spanish, true)),
            (english(), reference(Language::English, false)),
        ] {
            for _ in 0..3 {
                assert_eq!(terms(&mut ours, text), terms(&mut theirs, text));
            }
        }
        let mut es = spanish();
        let words: Vec<String> = (0..CACHED_WORDS + 10)
            .map(|i| format!("palabras{i}"))
            .collect();
        let many = words.join(" ");
        let once = terms(&mut es, &many);
        assert_eq!(terms(&mut es, &many), once, "after the memory is cleared");
        assert_eq!(terms(&mut es, "políticas"), ["polit"]);
    }

    #[test]
    fn english_stems() {
        let mut en = english();
        assert_eq!(terms(&mut en, "policies"), terms(&mut en, "policy"));
    }
}
