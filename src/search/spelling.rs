//! Spelling help: when a query word matches nothing, the closest word of
//! the site's vocabulary is searched instead. This file owns the edit
//! distance, which words are looked at, the choice among them, the list of
//! words `ayni search` keeps beside its index (`spelling.txt`) and the
//! browser's spelling files (`s/<key>.json`). `search.js` implements the
//! same rules; a test runs both over the same typos.
//!
//! Which words are looked at: the browser holds the vocabulary in shards by
//! the first two letters, and a typo there would hide the word in another
//! shard. So every word of three letters or more is also filed under its
//! third and fourth letters, which one edit in the first two letters leaves
//! in place or shifts by one. A typed word looks at its own shard and at
//! the spelling files of [`keys_to_look`]: four small files at most.

use std::collections::BTreeMap;
use std::path::Path;

use tantivy::Directory;

use tantivy::{Index, Term};

use super::analysis;
use super::analysis::shard_of;
use super::index::IndexFields;
use crate::build::write::OutputFile;
use crate::error::Error;

/// The file in the index folder that lists the vocabulary for `ayni search`.
pub const FILE: &str = "spelling.txt";

/// The site's folded surface words that find something (stop words left
/// out), each with its document frequency, in word order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    words: Vec<(String, u32)>,
}

impl Vocabulary {
    pub fn new(mut words: Vec<(String, u32)>) -> Vocabulary {
        words.sort();
        words.dedup_by(|a, b| a.0 == b.0);
        Vocabulary { words }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|(w, _)| w.as_str().cmp(word))
            .is_ok()
    }

    /// The file kept in the index folder: `word<TAB>df` lines.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (w, df) in &self.words {
            out.push_str(w);
            out.push('\t');
            out.push_str(&df.to_string());
            out.push('\n');
        }
        out
    }

    pub fn from_text(text: &str) -> Vocabulary {
        let words = text
            .lines()
            .filter_map(|l| {
                let (w, df) = l.split_once('\t')?;
                Some((w.to_string(), df.parse().ok()?))
            })
            .collect();
        Vocabulary::new(words)
    }

    /// The vocabulary kept in an index's folder; empty for an index made
    /// before it was kept, which then corrects nothing.
    pub fn of_index(index: &Index) -> Vocabulary {
        index
            .directory()
            .atomic_read(Path::new(FILE))
            .map(|b| Vocabulary::from_text(&String::from_utf8_lossy(&b)))
            .unwrap_or_default()
    }

    /// The browser's spelling files, `s/<key>.json` under `dir`: each word
    /// of three letters or more with its document frequency, filed by
    /// [`tail_key`].
    pub fn files(&self, dir: &str) -> Vec<OutputFile> {
        let mut by_key: BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
            BTreeMap::new();
        for (w, df) in &self.words {
            if let Some(key) = tail_key(w) {
                by_key
                    .entry(shard_of(&key))
                    .or_default()
                    .insert(w.clone(), (*df).into());
            }
        }
        by_key
            .into_iter()
            .map(|(key, words)| {
                OutputFile::text(
                    format!("{dir}s/{key}.json"),
                    serde_json::Value::Object(words).to_string(),
                )
            })
            .collect()
    }

    /// The closest word to `typed` (folded) among the words it looks at.
    pub fn closest(&self, typed: &str) -> Option<&str> {
        let shard = shard_of(typed);
        let keys = keys_to_look(typed);
        best(
            typed,
            self.words.iter().filter_map(|(w, df)| {
                let looked = shard_of(w) == shard || tail_key(w).is_some_and(|k| keys.contains(&k));
                looked.then_some((w.as_str(), *df))
            }),
        )
    }
}

/// Whether a typed (folded) word may be corrected: three letters or more
/// and no digit (codes and numbers are typed as they are meant).
pub fn correctable(word: &str) -> bool {
    word.chars().count() >= 3 && !word.chars().any(char::is_numeric)
}

/// Edits allowed for a typed word: one for short words, where two would
/// reach too many others, two for longer ones.
pub fn max_edits(word: &str) -> usize {
    if word.chars().count() <= 5 { 1 } else { 2 }
}

/// Two letters that count as the same: equal, or `n` for `ñ` (keyboards
/// without ñ type `n`).
fn same(a: char, b: char) -> bool {
    a == b || matches!((a, b), ('ñ', 'n') | ('n', 'ñ'))
}

/// Damerau–Levenshtein distance (optimal string alignment: deletions,
/// insertions, substitutions and transpositions of neighbours cost one),
/// with `n` for `ñ` free.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(!same(a[i - 1], b[j - 1]));
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    d[a.len() * w + b.len()]
}

/// The best of `candidates` (word, document frequency) for `typed`: the
/// fewest edits, within [`max_edits`], then the most documents, then the
/// first in alphabetical order, so both engines choose the same.
pub fn best<'a>(typed: &str, candidates: impl Iterator<Item = (&'a str, u32)>) -> Option<&'a str> {
    let limit = max_edits(typed);
    let len = typed.chars().count();
    candidates
        .filter(|(w, _)| *w != typed && w.chars().count().abs_diff(len) <= limit)
        .map(|(w, df)| (distance(typed, w), std::cmp::Reverse(df), w))
        .filter(|(d, _, _)| *d <= limit)
        .min()
        .map(|(_, _, w)| w)
}

/// The key a word is filed under in the spelling files: its third and
/// fourth letters; none for words shorter than three letters.
pub fn tail_key(word: &str) -> Option<String> {
    let c: Vec<char> = word.chars().collect();
    (c.len() >= 3).then(|| c[2..c.len().min(4)].iter().collect())
}

/// The keys under which a word with one edit in its first letters is
/// filed: a substitution or a swap of the first two letters leaves the
/// third and fourth in place; a missing letter shifts them right, an extra
/// one left; a swap of the second and third letters puts the second third.
pub fn keys_to_look(typed: &str) -> Vec<String> {
    let c: Vec<char> = typed.chars().collect();
    let slice = |from: usize| -> String { c.iter().skip(from).take(2).collect() };
    let mut keys = vec![slice(1), slice(2), slice(3)];
    if c.len() >= 4 {
        keys.push([c[1], c[3]].iter().collect());
    }
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// Whether a folded word finds a document in any text field, an attached
/// PDF's included (a word only a report holds is found, not corrected), as
/// the query would look for it (its Spanish and English terms); `None` for
/// a stop word, which a query skips.
fn finds_something(index: &Index, fields: &IndexFields, word: &str) -> Result<Option<bool>, Error> {
    let err = Error::index("search");
    let es = analysis::terms(&mut analysis::spanish(), word);
    let en = analysis::terms(&mut analysis::english(), word);
    if es.is_empty() || en.is_empty() {
        return Ok(None);
    }
    let searcher = index.reader().map_err(err)?.searcher();
    for pair in fields.searched() {
        for (field, terms) in [(pair.es, &es), (pair.en, &en)] {
            for t in terms.iter() {
                let df = searcher
                    .doc_freq(&Term::from_field_text(field, t))
                    .map_err(err)?;
                if df > 0 {
                    return Ok(Some(true));
                }
            }
        }
    }
    Ok(Some(false))
}

/// The query with each word that finds nothing replaced by its closest
/// word in the vocabulary; `None` when no word was replaced. Words that
/// find something, stop words, short words and numbers stay as typed.
pub fn corrected(index: &Index, text: &str) -> Result<Option<String>, Error> {
    let vocabulary = Vocabulary::of_index(index);
    if vocabulary.words.is_empty() {
        return Ok(None);
    }
    let fields = IndexFields::new();
    let mut fixes: BTreeMap<String, Option<String>> = BTreeMap::new();
    for token in tokens(text) {
        let word = analysis::fold(&token.to_lowercase());
        if fixes.contains_key(&word) || vocabulary.contains(&word) || !correctable(&word) {
            continue;
        }
        let fix = match finds_something(index, &fields, &word)? {
            Some(false) => vocabulary.closest(&word).map(str::to_string),
            _ => None,
        };
        fixes.insert(word, fix);
    }
    if fixes.values().all(Option::is_none) {
        return Ok(None);
    }
    Ok(Some(replace_words(text, |t| {
        fixes
            .get(&analysis::fold(&t.to_lowercase()))
            .cloned()
            .flatten()
    })))
}

/// The words of a text, as the query splits them.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// `text` with each word for which `fix` has a replacement replaced, all
/// else kept as typed.
fn replace_words(text: &str, fix: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            out.push_str(&fix(word).unwrap_or_else(|| word.clone()));
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Keeps `vocabulary` for spelling help in the folder of a staged index,
/// so that it is installed with it.
pub fn keep(vocabulary: &Vocabulary, staged: &std::path::Path) -> Result<(), Error> {
    let path = staged.join(FILE);
    std::fs::write(&path, vocabulary.to_text()).map_err(|e| Error::io(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_edits_with_n_for_ñ_free() {
        assert_eq!(distance("contrasena", "contraseña"), 0);
        assert_eq!(distance("tabal", "tabla"), 1, "a swap is one edit");
        assert_eq!(distance("tabla", "tabl"), 1);
        assert_eq!(distance("tabla", "tablas"), 1);
        assert_eq!(distance("tabla", "tebla"), 1);
        assert_eq!(distance("ocntraseña", "contraseña"), 1);
        assert_eq!(distance("abc", "xyz"), 3);
        assert_eq!(distance("", "año"), 3);
    }

    #[test]
    fn short_words_get_one_edit_long_ones_two() {
        assert_eq!(max_edits("tabal"), 1);
        assert_eq!(max_edits("contrasena"), 2);
        assert!(!correctable("de"));
        assert!(!correctable("2024a"));
        assert!(correctable("año"));
    }

    fn vocab() -> Vocabulary {
        Vocabulary::new(
            [
                ("contraseña", 3),
                ("contrasta", 9),
                ("tabla", 5),
                ("tablas", 2),
                ("tala", 7),
                ("bala", 7),
                ("mala", 7),
                ("año", 4),
                ("ano", 1),
                ("gestion", 8),
            ]
            .iter()
            .map(|(w, d)| (w.to_string(), *d))
            .collect(),
        )
    }

    #[test]
    fn chooses_fewest_edits_then_most_documents_then_alphabet() {
        let v = vocab();
        assert_eq!(v.closest("contrasena"), Some("contraseña"));
        assert_eq!(v.closest("tabal"), Some("tabla"));
        // `tala`, `bala` and `mala` are one edit from `xala` with as many
        // documents: the first in alphabetical order wins.
        assert_eq!(v.closest("xala"), Some("bala"));
        assert_eq!(v.closest("zzzzz"), None);
        assert_eq!(v.closest("gestoin"), Some("gestion"));
    }

    #[test]
    fn finds_typos_in_the_first_letters() {
        let v = vocab();
        assert_eq!(
            v.closest("ontraseña"),
            Some("contraseña"),
            "first letter missing"
        );
        assert_eq!(
            v.closest("vontraseña"),
            Some("contraseña"),
            "first letter wrong"
        );
        assert_eq!(v.closest("cxontraseña"), Some("contraseña"), "letter added");
        assert_eq!(
            v.closest("ocntraseña"),
            Some("contraseña"),
            "first two swapped"
        );
        assert_eq!(
            v.closest("cnotraseña"),
            Some("contraseña"),
            "second and third"
        );
        assert_eq!(v.closest("estion"), Some("gestion"));
    }

    #[test]
    fn vocabulary_round_trips_and_files_by_third_letters() {
        let v = vocab();
        assert_eq!(Vocabulary::from_text(&v.to_text()), v);
        assert_eq!(tail_key("contraseña").as_deref(), Some("nt"));
        assert_eq!(tail_key("año").as_deref(), Some("o"));
        assert_eq!(tail_key("de"), None);
        assert_eq!(keys_to_look("ontraseña"), ["nr", "nt", "ra", "tr"]);
        let files = v.files("search/");
        assert!(files.iter().any(|f| f.path == "search/s/nt.json"));
    }

    #[test]
    fn replaces_only_the_fixed_words() {
        let out = replace_words("Contrasena, \"tabal\" 2024", |w| {
            (w == "tabal").then(|| "tabla".to_string())
        });
        assert_eq!(out, "Contrasena, \"tabla\" 2024");
    }
}
